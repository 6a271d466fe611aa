// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "topofile.h"

/*
 * Never blocks (a FIFO given as the file is refused, not waited on) and, with
 * O_NOFOLLOW in extra, never follows a link at the last component.
 */
static int load(const char *path, int extra, struct topology **ret, struct error *err)
{
	_cleanup_close_ int fd = -1;
	_cleanup_free_ char *buf = NULL;
	size_t len = 0, cap = TOPOLOGY_FILE_MAX + 1;
	struct stat st;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | extra);
	if (fd < 0 && errno == ELOOP && (extra & O_NOFOLLOW))
		return error_input(err, -ELOOP, "%s: is a symbolic link now", path);
	if (fd < 0)
		return error_input(err, -errno, "%s: cannot open: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return error_input(err, -EINVAL, "%s: not a regular file", path);
	buf = malloc(cap);
	if (!buf)
		return error_set(err, -ENOMEM, "out of memory");
	while (len < cap) {
		ssize_t n = read(fd, buf + len, cap - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return error_input(err, -errno, "%s: read: %s", path, strerror(errno));
		if (n == 0)
			break;
		len += (size_t)n;
	}
	return topology_parse(path, buf, len, ret, err);
}

int topofile_load(const char *path, struct topology **ret, struct error *err)
{
	return load(path, 0, ret, err);
}

int topofile_load_recorded(const char *path, struct topology **ret, struct error *err)
{
	struct error e = {0};
	size_t n = strlen(path);
	unsigned line, col;
	int r, used = 0;

	r = load(path, O_NOFOLLOW, ret, &e);
	if (r >= 0)
		return r;
	/*
	 * "FILE:LINE:COL: key: reason" may quote the file (an unknown key is its
	 * text): a record pointing at a file that is no topology (say, one only
	 * root may read) must not leak a line of it. Its position is enough.
	 */
	if (strncmp(e.msg, path, n) == 0 &&
	    sscanf(e.msg + n, ":%u:%u:%n", &line, &col, &used) == 2 && used)
		return error_input(err, r, "%s:%u:%u: not a valid topology file now (run 'nsnet up' "
				   "on it to see why)", path, line, col);
	if (err)
		*err = e;
	return r;
}
