// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fault.h"
#include "nsenter.h"
#include "sysctl.h"

#define SYSCTL_PATH_MAX 256

static int path_of(const char *key, char *buf, size_t len)
{
	/* Keys are ours, interface names come from the kernel: never a "..". */
	if (strstr(key, "..") || (size_t)snprintf(buf, len, "/proc/sys/%s", key) >= len)
		return -EINVAL;
	return 0;
}

/* Opens key's file in the namespace behind netns_fd (-1: here); -errno. */
static int open_at(int netns_fd, int home_fd, const char *key, int flags)
{
	char path[SYSCTL_PATH_MAX];
	int saved, fd, r;

	if (path_of(key, path, sizeof(path)) < 0)
		return -EINVAL;
	if (netns_fd >= 0) {
		r = nsenter_enter(netns_fd, home_fd, &saved, NULL);
		if (r < 0)
			return r;
	}
	fd = open(path, flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	r = fd < 0 ? -errno : fd;
	if (netns_fd >= 0)
		nsenter_leave(saved, home_fd);
	return r;
}

int sysctl_get(const char *key)
{
	return sysctl_get_at(-1, -1, key);
}

int sysctl_get_at(int netns_fd, int home_fd, const char *key)
{
	_cleanup_close_ int fd = -1;
	char buf[32];
	ssize_t n;
	char *end;
	long v;

	fd = open_at(netns_fd, home_fd, key, O_RDONLY);
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
	return sysctl_set_at(-1, -1, key, value, err);
}

int sysctl_set_at(int netns_fd, int home_fd, const char *key, int value, struct error *err)
{
	_cleanup_close_ int fd = -1;
	char buf[16];
	int n, r;

	r = fault_before("sysctl", err);
	if (r < 0)
		return error_prefix(err, "sysctl %s=%d", key, value);
	fd = open_at(netns_fd, home_fd, key, O_WRONLY);
	if (fd < 0)
		return error_errno(err, fd, "sysctl %s=%d", key, value);
	n = snprintf(buf, sizeof(buf), "%d", value);
	if (write(fd, buf, (size_t)n) != n)
		return error_errno(err, -errno, "sysctl %s=%d", key, value);
	fault_after();
	return 0;
}

void sysctl_iface_key(const char *family, const char *ifname, const char *name, char *buf,
		      size_t len)
{
	snprintf(buf, len, "net/%s/conf/%s/%s", family, ifname, name);
}
