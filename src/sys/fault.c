// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fault.h"

static _Thread_local struct fault *current;

struct fault *fault_use(struct fault *f)
{
	struct fault *old = current;

	current = f;
	return old;
}

void fault_write_count(const struct fault *f)
{
	_cleanup_close_ int fd = -1;
	char buf[32];
	int n;

	if (!f || !f->count_file[0])
		return;
	fd = open(f->count_file, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC,
		  0644);
	n = snprintf(buf, sizeof(buf), "%lu\n", f->count);
	if (fd >= 0 && write(fd, buf, (size_t)n) != n)
		return; /* a test knob: the test sees the count missing */
}

int fault_before(const char *what, struct error *err)
{
	struct fault *f = current;
	int e;

	if (!f)
		return 0;
	f->count++;
	if (f->kill || !f->at || f->count != f->at)
		return 0;
	e = f->fail_errno > 0 ? f->fail_errno : EIO;
	return error_set(err, -e, "%s: injected fault #%lu: %s", what, f->count, strerror(e));
}

void fault_after(void)
{
	struct fault *f = current;

	/* >=: a mutation nested in another (lo set up inside a namespace add) kills
	 * when the enclosing one completes. */
	if (f && f->kill && f->at && f->count >= f->at) {
		fault_write_count(f);
		raise(SIGKILL);
	}
}
