// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A lock file may be unlinked by the holder (down removes it). A waiter that
 * then gets the flock holds a lock on a file no one else can find, so after
 * locking we check that the path still names the file we locked, and retry
 * when it does not.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/name.h"
#include "lock.h"

int run_dir_open_nsnet(struct error *err)
{
	int fd;

	if (mkdir(NSNET_RUN_DIR, 0755) < 0 && errno != EEXIST)
		return error_errno(err, -errno, "mkdir " NSNET_RUN_DIR);
	fd = open(NSNET_RUN_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return error_errno(err, -errno, "open " NSNET_RUN_DIR);
	return fd;
}

int lock_take(const char *topo, int *ret_fd, struct error *err)
{
	_cleanup_close_ int dir = -1;
	char name[NETNS_NAME_MAX + 8];
	int r;

	r = name_netns_check(topo, err);
	if (r < 0)
		return r;
	dir = run_dir_open_nsnet(err);
	if (dir < 0)
		return dir;
	snprintf(name, sizeof(name), "%s.lock", topo);
	for (int tries = 0; tries < 1000; tries++) {
		_cleanup_close_ int fd = -1;
		struct stat a, b;

		fd = openat(dir, name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0)
			return error_errno(err, -errno, "topology '%s': open lock " NSNET_RUN_DIR "/%s",
					   topo, name);
		while (flock(fd, LOCK_EX) < 0)
			if (errno != EINTR)
				return error_errno(err, -errno, "topology '%s': lock", topo);
		if (fstat(fd, &a) == 0 && fstatat(dir, name, &b, AT_SYMLINK_NOFOLLOW) == 0 &&
		    a.st_ino == b.st_ino && a.st_dev == b.st_dev) {
			*ret_fd = TAKE_FD(fd);
			return 0;
		}
		/* Removed (and maybe re-created) while we waited: take the current one. */
	}
	return error_set(err, -EAGAIN, "topology '%s': lock keeps being replaced", topo);
}

void lock_release(const char *topo, int fd, bool remove)
{
	char path[sizeof(NSNET_RUN_DIR) + NETNS_NAME_MAX + 8];

	if (fd < 0)
		return;
	if (remove) {
		snprintf(path, sizeof(path), NSNET_RUN_DIR "/%s.lock", topo);
		(void)unlink(path);
	}
	close(fd);
}
