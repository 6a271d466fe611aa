// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fault.h"
#include "sysctl.h"

#define SYSCTL_PATH_MAX 256

static int path_of(const char *key, char *buf, size_t len)
{
	/* Keys are ours, interface names come from the kernel: never a "..". */
	if (strstr(key, "..") || (size_t)snprintf(buf, len, "/proc/sys/%s", key) >= len)
		return -EINVAL;
	return 0;
}

int sysctl_get(const char *key)
{
	char path[SYSCTL_PATH_MAX], buf[32];
	_cleanup_close_ int fd = -1;
	ssize_t n;
	char *end;
	long v;

	if (path_of(key, path, sizeof(path)) < 0)
		return -1;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	errno = 0;
	v = strtol(buf, &end, 10);
	if (errno || end == buf || v < 0 || v > 1000000)
		return -1;
	return (int)v;
}

int sysctl_set(const char *key, int value, struct error *err)
{
	char path[SYSCTL_PATH_MAX], buf[16];
	_cleanup_close_ int fd = -1;
	int n, r;

	if (path_of(key, path, sizeof(path)) < 0)
		return error_set(err, -EINVAL, "sysctl %s: bad key", key);
	r = fault_before("sysctl", err);
	if (r < 0)
		return error_prefix(err, "sysctl %s=%d", key, value);
	fd = open(path, O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	n = snprintf(buf, sizeof(buf), "%d", value);
	if (fd < 0 || write(fd, buf, (size_t)n) != n)
		return error_errno(err, -errno, "sysctl %s=%d", key, value);
	fault_after();
	return 0;
}

void sysctl_iface_key(const char *family, const char *ifname, const char *name, char *buf,
		      size_t len)
{
	snprintf(buf, len, "net/%s/conf/%s/%s", family, ifname, name);
}
