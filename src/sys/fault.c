// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fault.h"

static unsigned long count;
static long target = -1; /* -1: not read yet, 0: off */
static bool kill_mode;
static int fail_errno = EIO;
static const char *count_file;

static void write_count(void)
{
	FILE *f = fopen(count_file, "we");

	if (f) {
		fprintf(f, "%lu\n", count);
		fclose(f);
	}
}

static void setup(void)
{
	const char *at = getenv("NSNET_FAULT_AT");
	const char *mode = getenv("NSNET_FAULT_MODE");
	const char *e = getenv("NSNET_FAULT_ERRNO");

	target = at ? strtol(at, NULL, 10) : 0;
	if (target < 0)
		target = 0;
	kill_mode = mode && strcmp(mode, "kill") == 0;
	if (e && atoi(e) > 0)
		fail_errno = atoi(e);
	count_file = getenv("NSNET_FAULT_COUNT");
	if (count_file && *count_file)
		atexit(write_count);
}

int fault_before(const char *what, struct error *err)
{
	if (target < 0)
		setup();
	count++;
	if (!kill_mode && target > 0 && count == (unsigned long)target)
		return error_set(err, -fail_errno, "%s: injected fault #%lu: %s", what, count,
				 strerror(fail_errno));
	return 0;
}

void fault_after(void)
{
	/* >=: a mutation nested in another (lo set up inside a namespace add) kills
	 * when the enclosing one completes. */
	if (kill_mode && target > 0 && count >= (unsigned long)target) {
		if (count_file && *count_file)
			write_count();
		raise(SIGKILL);
	}
}
