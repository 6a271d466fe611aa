// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "topofile.h"

int topofile_load(const char *path, struct topology **ret, struct error *err)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	_cleanup_free_ char *buf = NULL;
	size_t len = 0, cap = TOPOLOGY_FILE_MAX + 1;
	struct stat st;

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
