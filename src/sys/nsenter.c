// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "nsenter.h"

int nsenter_enter(int fd, int home_fd, int *ret_saved, struct error *err)
{
	_cleanup_close_ int saved = -1;

	if (home_fd < 0) {
		saved = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
		if (saved < 0)
			return error_errno(err, -errno, "open /proc/thread-self/ns/net");
	}
	if (setns(fd, CLONE_NEWNET) < 0)
		return error_errno(err, -errno, "setns");
	*ret_saved = home_fd < 0 ? TAKE_FD(saved) : home_fd;
	return 0;
}

void nsenter_leave(int saved, int home_fd)
{
	/*
	 * Failing to return would leave every later kernel call of this
	 * process acting on the wrong namespace; nothing sane can follow.
	 */
	if (setns(saved, CLONE_NEWNET) < 0)
		abort();
	if (saved != home_fd)
		close(saved);
}

int nsenter_socket(int netns_fd, int home_fd, const char *label, int family, int type,
		   int protocol, struct error *err)
{
	int saved, fd, r;

	if (netns_fd < 0) {
		fd = socket(family, type | SOCK_CLOEXEC, protocol);
	} else {
		r = nsenter_enter(netns_fd, home_fd, &saved, err);
		if (r < 0)
			return error_prefix(err, "namespace '%s'", label);
		fd = socket(family, type | SOCK_CLOEXEC, protocol);
		nsenter_leave(saved, home_fd);
	}
	if (fd < 0)
		return error_errno(err, -errno, "socket in '%s'", netns_fd < 0 ? "host" : label);
	return fd;
}
