// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Named namespaces. Compatibility with iproute2 decides the mechanism:
 *
 * - /run/netns is made a shared mount (bound onto itself first if it is not a
 *   mount point), so a later `ip netns exec` or `nsnet exec`, which make their
 *   mount namespace a slave of ours, see namespaces added and deleted after
 *   they started, and so an unmount here propagates there. (Current kernels
 *   also let the unlink detach copies held privately elsewhere; older ones
 *   answered EBUSY, which netns_del still handles by putting the mount back.)
 * - A namespace is created by unshare(CLONE_NEWNET) in this thread, its lo
 *   set up (and marked, for topologies), a bind mount of the thread's nsfs
 *   file onto an empty file we just created with O_EXCL, then setns() back:
 *   no helper process.
 * - Anything in /run/netns that is not an nsfs mount (a regular file, a
 *   symlink) is refused and left alone; we open with O_NOFOLLOW and mount
 *   through /proc/self/fd, so no path is ever resolved through a link.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "fault.h"
#include "netns.h"
#include "nl.h"
#include "rtnl.h"

static bool fd_is_nsfs(int fd)
{
	struct statfs sfs;

	return fstatfs(fd, &sfs) == 0 && sfs.f_type == (__typeof__(sfs.f_type))NSFS_MAGIC;
}

/* Describes what stands at /run/netns/NAME when it is not a namespace. */
static int refuse_entry(int dirfd, const char *name, const char *verb, struct error *err)
{
	struct stat st;
	const char *what = "not a network namespace mount";

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (S_ISLNK(st.st_mode))
			what = "a symbolic link, not a namespace mount";
		else if (S_ISREG(st.st_mode))
			what = "a regular file, not a namespace mount (stale or foreign)";
		else if (S_ISDIR(st.st_mode))
			what = "a directory, not a namespace mount";
	}
	return error_set(err, -EEXIST, "namespace '%s': " NETNS_RUN_DIR "/%s is %s; refusing to %s it",
			 name, name, what, verb);
}

static int run_dir_open(int *ret_fd, struct error *err)
{
	_cleanup_close_ int fd = -1;

	fd = open(NETNS_RUN_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOTDIR || errno == ELOOP)
			return error_set(err, -ENOTDIR, NETNS_RUN_DIR " is not a directory");
		return error_errno(err, -errno, "open " NETNS_RUN_DIR);
	}
	*ret_fd = TAKE_FD(fd);
	return 0;
}

/*
 * Opens dir/name as the namespace it must be, or explains why not. The first
 * open is O_PATH: opening a FIFO planted there for reading would block
 * forever, and a device would have side effects. Only a proven nsfs file is
 * reopened with the wanted flags.
 */
static int entry_open(int dirfd, const char *name, int flags, const char *verb, int *ret_fd,
		      struct error *err)
{
	_cleanup_close_ int fd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	char path[64];
	int real;

	if (fd < 0) {
		if (errno == ENOENT)
			return error_set(err, -ENOENT, "namespace '%s' does not exist", name);
		return error_errno(err, -errno, "namespace '%s': open " NETNS_RUN_DIR "/%s", name,
				   name);
	}
	if (!fd_is_nsfs(fd))
		return refuse_entry(dirfd, name, verb, err);
	if (flags == O_PATH) {
		*ret_fd = TAKE_FD(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	real = open(path, flags | O_CLOEXEC);
	if (real < 0)
		return error_errno(err, -errno, "namespace '%s': open", name);
	*ret_fd = real;
	return 0;
}

int netns_open_path(const char *path, int *ret_fd, struct error *err)
{
	_cleanup_close_ int fd = -1;
	char proc[64];
	int real;

	/* O_PATH first, as for /run/netns: a FIFO or a device there is never opened for real. */
	fd = open(path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return error_errno(err, -errno, "network namespace %s", path);
	if (!fd_is_nsfs(fd))
		return error_set(err, -EINVAL, "network namespace %s: not a namespace (no nsfs "
				 "file)", path);
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	real = open(proc, O_RDONLY | O_CLOEXEC);
	if (real < 0)
		return error_errno(err, -errno, "network namespace %s: open", path);
	*ret_fd = real;
	return 0;
}

int netns_dir_open(int *ret_fd, struct error *err)
{
	int r = run_dir_open(ret_fd, err);

	if (r == -ENOENT)
		return error_set(err, -ENOENT, NETNS_RUN_DIR " does not exist");
	return r;
}

int netns_open_at(int dirfd, const char *name, int *ret_fd, struct error *err)
{
	int r = name_netns_check(name, err);

	return r < 0 ? r : entry_open(dirfd, name, O_RDONLY, "use", ret_fd, err);
}

/* The entry of namespace name, opened as it must be (entry_open), with /run/netns held. */
static int named_open(const char *name, int flags, const char *verb, int *ret_dirfd, int *ret_fd,
		      struct error *err)
{
	_cleanup_close_ int dirfd = -1;
	int r;

	r = name_netns_check(name, err);
	if (r < 0)
		return r;
	r = run_dir_open(&dirfd, err);
	if (r == -ENOENT)
		return error_set(err, -ENOENT, "namespace '%s' does not exist", name);
	if (r < 0)
		return r;
	r = entry_open(dirfd, name, flags, verb, ret_fd, err);
	if (r >= 0 && ret_dirfd)
		*ret_dirfd = TAKE_FD(dirfd);
	return r;
}

int netns_open(const char *name, int *ret_fd, struct error *err)
{
	return named_open(name, O_RDONLY, "use", NULL, ret_fd, err);
}

static int run_dir_make_shared_locked(struct error *err)
{
	bool bound = false;

	/* iproute2's dance: MS_SHARED needs a mount point, so bind the dir onto itself once. */
	while (mount("", NETNS_RUN_DIR, "none", MS_SHARED | MS_REC, NULL) < 0) {
		if (errno != EINVAL || bound)
			return error_errno(err, -errno, "make " NETNS_RUN_DIR " a shared mount");
		if (mount(NETNS_RUN_DIR, NETNS_RUN_DIR, "none", MS_BIND | MS_REC, NULL) < 0)
			return error_errno(err, -errno, "bind-mount " NETNS_RUN_DIR " onto itself");
		bound = true;
	}
	return 0;
}

/*
 * Two first-time runs at once would each see /run/netns unshared and each
 * bind it onto itself, stacking mounts. A flock on the directory (the same
 * inode before and after the bind) makes the check-and-bind atomic.
 */
static int run_dir_make_shared(struct error *err)
{
	/* Once per process: an `up` of 1000 namespaces need not redo it 1000 times. */
	static bool done;
	_cleanup_close_ int fd = -1;
	int r;

	if (done)
		return 0;
	if (mkdir(NETNS_RUN_DIR, 0755) < 0 && errno != EEXIST)
		return error_errno(err, -errno, "mkdir " NETNS_RUN_DIR);
	fd = open(NETNS_RUN_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return error_errno(err, -errno, "open " NETNS_RUN_DIR);
	while (flock(fd, LOCK_EX) < 0)
		if (errno != EINTR)
			return error_errno(err, -errno, "lock " NETNS_RUN_DIR);
	r = run_dir_make_shared_locked(err);
	(void)flock(fd, LOCK_UN);
	done = r >= 0;
	return r;
}

/* lo's mark and state, through a socket of the new namespace, kept if ret_s asks for it. */
static int loopback_setup(bool up, const char *alias, struct nl_sock **ret_s, struct error *err)
{
	_cleanup_nl_sock_ struct nl_sock *s = NULL;
	int r;

	r = nl_sock_open(&s, err);
	if (r < 0)
		return r;
	if (alias && up)
		r = nl_link_set_alias_up(s, "lo", alias, err);
	else if (alias)
		r = nl_link_set_alias(s, "lo", alias, err);
	else if (up)
		r = nl_link_set_up(s, "lo", true, err);
	if (r >= 0 && ret_s)
		*ret_s = TAKE_PTR(s);
	return r;
}

/*
 * In a new network namespace of this thread, binds it onto the file behind
 * fd, and returns to where the thread was (home_fd, or the thread's namespace
 * when -1). Leaves no namespace behind on error.
 */
static int create_and_bind(const char *name, int fd, unsigned flags, const char *lo_alias,
			   int home_fd, struct netns_handles *ret, struct error *err)
{
	_cleanup_close_ int saved = -1, nsfd = -1;
	_cleanup_nl_sock_ struct nl_sock *s = NULL;
	char target[64];
	int r = 0;

	if (home_fd < 0) {
		saved = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
		if (saved < 0)
			return error_errno(err, -errno, "open /proc/thread-self/ns/net");
	}
	if (unshare(CLONE_NEWNET) < 0)
		return error_errno(err, -errno, "namespace '%s': unshare", name);
	snprintf(target, sizeof(target), "/proc/self/fd/%d", fd);
	r = loopback_setup(!(flags & NETNS_ADD_NO_LOOPBACK), lo_alias, ret ? &s : NULL, err);
	if (r < 0)
		error_prefix(err, "namespace '%s'", name);
	else if (ret && (nsfd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)) < 0)
		r = error_errno(err, -errno, "namespace '%s': open", name);
	else if (mount("/proc/thread-self/ns/net", target, "none", MS_BIND, NULL) < 0)
		r = error_errno(err, -errno, "namespace '%s': bind-mount onto " NETNS_RUN_DIR "/%s",
				name, name);
	if (setns(home_fd >= 0 ? home_fd : saved, CLONE_NEWNET) < 0)
		abort(); /* see nsenter_leave() */
	if (r >= 0 && ret) {
		ret->sock = TAKE_PTR(s);
		ret->fd = TAKE_FD(nsfd);
	}
	return r;
}

/*
 * NAME exists. An empty regular file may be another run's creation in flight
 * (placeholder made, namespace not yet mounted): give it a moment to become
 * a namespace before calling it stale, so concurrent adds of one name all
 * answer "already exists" but one.
 */
static int explain_existing(int dirfd, const char *name, struct error *err)
{
	struct error tmp = {0};

	for (int tries = 0; tries < 200; tries++) {
		_cleanup_close_ int nsfd = -1;
		struct stat st;

		if (entry_open(dirfd, name, O_PATH, "replace", &nsfd, &tmp) == 0)
			return error_set(err, -EEXIST, "namespace '%s' already exists", name);
		if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode) ||
		    st.st_size != 0)
			break;
		usleep(10000);
	}
	if (err)
		*err = tmp;
	return tmp.code ? tmp.code : -EEXIST;
}

int netns_add(const char *name, unsigned flags, const char *lo_alias, struct error *err)
{
	return netns_add_open(name, flags, lo_alias, 0, -1, NULL, err);
}

static struct timespec mark_time(uint64_t mark)
{
	return (struct timespec){.tv_sec = (time_t)(mark / 1000000000u),
				 .tv_nsec = (long)(mark % 1000000000u)};
}

uint64_t netns_mark_new(void)
{
	uint64_t v = 0;

	/* Any value will do as long as another run does not pick the same one. */
	if (getrandom(&v, sizeof(v), 0) != sizeof(v))
		v = (uint64_t)getpid() << 32 ^ (uint64_t)time(NULL);
	return (v % ((uint64_t)1 << 31)) * 1000000000u + (v >> 33) % 1000000000u + 1;
}

/*
 * The empty file the namespace is mounted on, appearing under its name only
 * once it carries mark (if any) as its modification time: made anonymous
 * (O_TMPFILE), marked, then linked in, so no one ever sees it unmarked. Falls
 * back to O_EXCL where the filesystem has no O_TMPFILE. The returned fd is
 * of the named file, the mount's target.
 */
static int placeholder_create(int dirfd, const char *name, uint64_t mark, int *ret_fd,
			      struct error *err)
{
	_cleanup_close_ int tmp = -1, fd = -1;
	struct timespec ts[2] = {mark_time(mark), mark_time(mark)};
	struct stat a, b;

	tmp = openat(dirfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0);
	if (tmp < 0 && errno != EOPNOTSUPP && errno != EISDIR)
		return error_errno(err, -errno, "namespace '%s': create " NETNS_RUN_DIR "/%s", name,
				   name);
	if (tmp < 0) {
		fd = openat(dirfd, name, O_RDONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0);
		if (fd < 0)
			return -errno;
		if (mark && futimens(fd, ts) < 0) {
			int e = -errno;

			(void)unlinkat(dirfd, name, 0);
			return error_errno(err, e, "namespace '%s': mark", name);
		}
		*ret_fd = TAKE_FD(fd);
		return 0;
	}
	if (mark && futimens(tmp, ts) < 0)
		return error_errno(err, -errno, "namespace '%s': mark", name);
	if (linkat(tmp, "", dirfd, name, AT_EMPTY_PATH) < 0)
		return -errno;
	/* A mount needs a named file: the one just linked, proven by its inode. */
	fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &a) < 0 || fstat(tmp, &b) < 0 || a.st_ino != b.st_ino ||
	    a.st_dev != b.st_dev)
		return error_set(err, -EEXIST, "namespace '%s': " NETNS_RUN_DIR "/%s was replaced "
				 "while being created", name, name);
	*ret_fd = TAKE_FD(fd);
	return 0;
}

int netns_add_open(const char *name, unsigned flags, const char *lo_alias, uint64_t mark,
		   int home_fd, struct netns_handles *ret, struct error *err)
{
	_cleanup_close_ int dirfd = -1, fd = -1;
	int r;

	r = name_netns_check(name, err);
	if (r < 0)
		return r;
	r = run_dir_make_shared(err);
	if (r < 0)
		return r;
	/*
	 * Only now: a directory fd opened before the bind above would point
	 * under it, and a namespace mounted through it would be invisible.
	 */
	r = run_dir_open(&dirfd, err);
	if (r < 0)
		return r;
	r = fault_before("namespace add", err);
	if (r < 0)
		return r;
	r = placeholder_create(dirfd, name, mark, &fd, err);
	if (r == -EEXIST && (!err || !err->code))
		return explain_existing(dirfd, name, err);
	if (r < 0 && (!err || !err->code))
		return error_errno(err, r, "namespace '%s': create " NETNS_RUN_DIR "/%s", name,
				   name);
	if (r < 0)
		return r;
	r = create_and_bind(name, fd, flags, lo_alias, home_fd, ret, err);
	if (r < 0) {
		(void)unlinkat(dirfd, name, 0);
		return r;
	}
	fault_after();
	return 0;
}

/* Unmounts every layer at dir/name; a name can carry stacked binds. */
static void entry_umount_all(const char *name)
{
	char path[sizeof(NETNS_RUN_DIR) + NETNS_NAME_MAX + 2];

	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", name);
	for (int i = 0; i < 64; i++)
		if (umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW) < 0)
			break;
}

int netns_del(const char *name, struct error *err)
{
	_cleanup_close_ int dirfd = -1, nsfd = -1;
	char path[sizeof(NETNS_RUN_DIR) + NETNS_NAME_MAX + 2];
	char src[64];
	int r;

	r = named_open(name, O_RDONLY, "delete", &dirfd, &nsfd, err);
	if (r < 0)
		return r;
	r = fault_before("namespace delete", err);
	if (r < 0)
		return error_prefix(err, "namespace '%s'", name);
	entry_umount_all(name);
	if (unlinkat(dirfd, name, 0) == 0) {
		fault_after();
		return 0;
	}
	r = -errno;
	/*
	 * EBUSY: another mount namespace holds a private copy of the mount
	 * (a process that unshared its mounts with private propagation). Put
	 * ours back so the namespace stays usable and the delete can be
	 * retried once that process is gone, rather than leaving a file that
	 * is no longer a namespace here.
	 */
	snprintf(src, sizeof(src), "/proc/self/fd/%d", nsfd);
	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", name);
	(void)mount(src, path, "none", MS_BIND, NULL);
	if (r == -EBUSY)
		return error_set(err, r,
				 "namespace '%s': " NETNS_RUN_DIR "/%s is busy: it is still mounted in "
				 "another mount namespace (a process that unshared its mounts with "
				 "private propagation holds it); stop that process and retry",
				 name, name);
	return error_errno(err, r, "namespace '%s': remove " NETNS_RUN_DIR "/%s", name, name);
}

int netns_remove_stale(const char *name, uint64_t mark, struct error *err)
{
	_cleanup_close_ int dirfd = -1, fd = -1;
	struct timespec want = mark_time(mark);
	struct stat st;
	int r;

	r = name_netns_check(name, err);
	if (r < 0 || !mark)
		return r;
	r = run_dir_open(&dirfd, err);
	if (r < 0)
		return r == -ENOENT ? 0 : r;
	fd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return 0;
	/* Ours beyond doubt: empty, no mount on it, root's, and carrying this run's mark. */
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size != 0 || fd_is_nsfs(fd) ||
	    st.st_uid != 0 || st.st_mtim.tv_sec != want.tv_sec ||
	    st.st_mtim.tv_nsec != want.tv_nsec)
		return 0;
	if (unlinkat(dirfd, name, 0) < 0 && errno != ENOENT)
		return error_errno(err, -errno, "remove stale " NETNS_RUN_DIR "/%s", name);
	return 0;
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct netns_entry *)a)->name, ((const struct netns_entry *)b)->name);
}

static int list(bool probe, struct netns_entry **ret, size_t *ret_n, struct error *err)
{
	_cleanup_free_ struct netns_entry *v = NULL;
	_cleanup_close_ int dfd = -1;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d;
	int r;

	*ret = NULL;
	*ret_n = 0;
	r = run_dir_open(&dfd, err);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	d = fdopendir(dfd);
	if (!d)
		return error_errno(err, -errno, "read " NETNS_RUN_DIR);
	dfd = -1; /* owned by d now */
	while ((errno = 0, de = readdir(d))) {
		_cleanup_close_ int fd = -1;

		size_t len = strlen(de->d_name);

		if (de->d_name[0] == '.' || len > NETNS_NAME_MAX)
			continue;
		if (n == cap) {
			struct netns_entry *nv;

			cap = cap ? cap * 2 : 16;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				closedir(d);
				return error_set(err, -ENOMEM, "out of memory");
			}
			v = nv;
		}
		memcpy(v[n].name, de->d_name, len + 1);
		v[n].valid = name_netns_check(de->d_name, NULL) == 0;
		v[n].is_ns = false;
		if (probe) {
			/* Any name is looked at (O_PATH opens nothing): iproute2 takes more. */
			fd = openat(dirfd(d), de->d_name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
			v[n].is_ns = fd >= 0 && fd_is_nsfs(fd);
			v[n].valid = v[n].valid && v[n].is_ns;
		}
		n++;
	}
	r = errno ? -errno : 0;
	closedir(d);
	if (r < 0)
		return error_errno(err, r, "read " NETNS_RUN_DIR);
	if (n)
		qsort(v, n, sizeof(*v), cmp_entry);
	*ret = TAKE_PTR(v);
	*ret_n = n;
	return 0;
}

int netns_list(struct netns_entry **ret, size_t *ret_n, struct error *err)
{
	return list(true, ret, ret_n, err);
}

int netns_list_names(struct netns_entry **ret, size_t *ret_n, struct error *err)
{
	return list(false, ret, ret_n, err);
}

/* /sys shows the devices of the namespace that mounted it: mount a fresh one. */
static int remount_sys(const char *name, struct error *err)
{
	unsigned long flags = 0;
	struct statvfs sv;

	if (statvfs("/sys", &sv) == 0 && (sv.f_flag & ST_RDONLY))
		flags = MS_RDONLY;
	if (umount2("/sys", MNT_DETACH) < 0 && errno != EINVAL)
		flags = MS_RDONLY; /* cannot hide the old one: at least do not make it writable */
	if (mount(name, "/sys", "sysfs", flags, NULL) < 0)
		return error_errno(err, -errno, "namespace '%s': mount /sys", name);
	return 0;
}

static void bind_etc(const char *name, void (*warn)(const char *msg))
{
	char dir[sizeof(NETNS_ETC_DIR) + NETNS_NAME_MAX + 2];
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), NETNS_ETC_DIR "/%s", name);
	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d))) {
		char src[PATH_MAX], dst[PATH_MAX], msg[PATH_MAX * 2 + 64];

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(src, sizeof(src), "%s/%s", dir, de->d_name);
		snprintf(dst, sizeof(dst), "/etc/%s", de->d_name);
		if (mount(src, dst, "none", MS_BIND, NULL) < 0 && warn) {
			snprintf(msg, sizeof(msg), "namespace '%s': bind %s over %s: %s", name, src,
				 dst, strerror(errno));
			warn(msg);
		}
	}
	closedir(d);
}

int netns_switch(const char *name, void (*warn)(const char *msg), struct error *err)
{
	_cleanup_close_ int fd = -1;
	int r;

	r = netns_open(name, &fd, err);
	if (r < 0)
		return r;
	if (setns(fd, CLONE_NEWNET) < 0)
		return error_errno(err, -errno, "namespace '%s': setns", name);
	if (unshare(CLONE_NEWNS) < 0)
		return error_errno(err, -errno, "namespace '%s': unshare mount namespace", name);
	/* Slave, not private: namespaces added or deleted later still propagate in. */
	if (mount("", "/", "none", MS_SLAVE | MS_REC, NULL) < 0)
		return error_errno(err, -errno, "namespace '%s': make / a slave mount", name);
	r = remount_sys(name, err);
	if (r < 0)
		return r;
	bind_etc(name, warn);
	return 0;
}
