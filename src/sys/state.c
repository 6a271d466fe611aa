// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fault.h"
#include "state.h"

#define LOCK_FILE_MAX 4096

static const char *kind_of(mode_t m)
{
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISLNK(m))
		return "a symbolic link";
	if (S_ISSOCK(m))
		return "a socket";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "a device";
	return "not a regular file";
}

/* "remove it" advice for path, the one thing a person can do about it. */
#define REMOVE_HINT "nsnet only ever writes regular files there: remove it ('rm -r %s') and retry"

/*
 * Opens name in the state directory without following a link or blocking,
 * then insists on a regular file of ours of at most max bytes.
 */
static int safe_openat(int dirfd, const char *dir, const char *name, int flags, size_t max,
		       int *ret_fd, struct error *err)
{
	_cleanup_close_ int fd = -1;
	char path[PATH_MAX + NETNS_NAME_MAX + 16];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = openat(dirfd, name, flags | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0600);
	if (fd < 0) {
		int e = errno;
		struct stat lst;

		if (e == ENOENT)
			return -ENOENT;
		if ((e == ELOOP || e == EISDIR || e == ENXIO || e == EWOULDBLOCK) &&
		    fstatat(dirfd, name, &lst, AT_SYMLINK_NOFOLLOW) == 0)
			return error_set(err, -EINVAL, "%s is %s: " REMOVE_HINT, path,
					 kind_of(lst.st_mode), path);
		return error_errno(err, -e, "open %s", path);
	}
	if (fstat(fd, &st) < 0)
		return error_errno(err, -errno, "stat %s", path);
	if (!S_ISREG(st.st_mode))
		return error_set(err, -EINVAL, "%s is %s: " REMOVE_HINT, path,
				 kind_of(st.st_mode), path);
	if (st.st_uid != geteuid())
		return error_set(err, -EPERM, "%s is owned by uid %u, not by nsnet's user: " REMOVE_HINT,
				 path, (unsigned)st.st_uid, path);
	if ((size_t)st.st_size > max)
		return error_set(err, -EFBIG,
				 "%s is %lld bytes, more than nsnet ever writes there (%zu): " REMOVE_HINT,
				 path, (long long)st.st_size, max, path);
	*ret_fd = TAKE_FD(fd);
	return 0;
}

int state_dir_open(const char *dir, bool create, int *ret_fd, struct error *err)
{
	_cleanup_close_ int fd = -1;
	struct stat st;

	if (create && mkdir(dir, 0755) < 0 && errno != EEXIST)
		return error_errno(err, -errno, "mkdir %s", dir);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT && !create)
			return -ENOENT;
		if (errno == ENOTDIR || errno == ELOOP)
			return error_set(err, -ENOTDIR,
					 "%s is not a directory (a symbolic link or a file): nsnet "
					 "keeps its state there; remove it and retry",
					 dir);
		return error_errno(err, -errno, "open %s", dir);
	}
	if (fstat(fd, &st) < 0)
		return error_errno(err, -errno, "stat %s", dir);
	if (st.st_uid != geteuid() || (st.st_mode & 022))
		return error_set(err, -EPERM,
				 "%s must be a directory of nsnet's user that no one else may write "
				 "(it is uid %u, mode %04o): fix it ('chown root: %s; chmod 755 %s') "
				 "or remove it",
				 dir, (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777), dir, dir);
	*ret_fd = TAKE_FD(fd);
	return 0;
}

/*
 * A lock file may be unlinked by the holder (down removes it). A waiter that
 * then gets the flock holds a lock on a file no one else can find, so after
 * locking we check that the path still names the file we locked, and retry
 * when it does not.
 */
/* flock LOCK_EX on fd, for at most timeout_ms (0: no bound): polled, from 1 ms up to 20 ms. */
static int flock_within(int fd, unsigned timeout_ms)
{
	struct timespec t0, now, nap = {0, 1000000};

	if (!timeout_ms) {
		while (flock(fd, LOCK_EX) < 0)
			if (errno != EINTR)
				return -errno;
		return 0;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK && errno != EINTR)
			return -errno;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000 >=
		    (long)timeout_ms)
			return -ETIMEDOUT;
		nanosleep(&nap, NULL);
		if (nap.tv_nsec < 20000000)
			nap.tv_nsec *= 2;
	}
	return 0;
}

int lock_take(const char *dir, const char *topo, int *ret_fd, struct error *err)
{
	return lock_take_within(dir, topo, 0, ret_fd, err);
}

int lock_take_within(const char *dir, const char *topo, unsigned timeout_ms, int *ret_fd,
		     struct error *err)
{
	_cleanup_close_ int dirfd = -1;
	char name[NETNS_NAME_MAX + 8];
	int r;

	r = name_topology_check(topo, err);
	if (r < 0)
		return r;
	r = state_dir_open(dir, true, &dirfd, err);
	if (r < 0)
		return r;
	snprintf(name, sizeof(name), "%s.lock", topo);
	for (int tries = 0; tries < 1000; tries++) {
		_cleanup_close_ int fd = -1;
		struct stat a, b;

		r = safe_openat(dirfd, dir, name, O_RDWR | O_CREAT, LOCK_FILE_MAX, &fd, err);
		if (r < 0)
			return error_prefix(err, "topology '%s': lock", topo);
		r = flock_within(fd, timeout_ms);
		if (r == -ETIMEDOUT)
			return error_set(err, r, "busy: another call has held its lock for "
					 "%u ms (try again)", timeout_ms);
		if (r < 0)
			return error_errno(err, r, "topology '%s': lock", topo);
		if (fstat(fd, &a) == 0 && fstatat(dirfd, name, &b, AT_SYMLINK_NOFOLLOW) == 0 &&
		    a.st_ino == b.st_ino && a.st_dev == b.st_dev) {
			*ret_fd = TAKE_FD(fd);
			return 0;
		}
		/* Removed (and maybe re-created) while we waited: take the current one. */
	}
	return error_set(err, -EAGAIN, "topology '%s': lock keeps being replaced", topo);
}

/* Unlinks dir/name if it is a regular file: nothing else there is ours. */
static void remove_regular(const char *dir, const char *name)
{
	_cleanup_close_ int dirfd = -1;
	struct stat st;

	if (state_dir_open(dir, false, &dirfd, NULL) < 0)
		return;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode))
		(void)unlinkat(dirfd, name, 0);
}

void lock_release(const char *dir, const char *topo, int fd, bool remove)
{
	char name[NETNS_NAME_MAX + 8];

	if (fd < 0)
		return;
	if (remove) {
		snprintf(name, sizeof(name), "%s.lock", topo);
		remove_regular(dir, name);
	}
	close(fd);
}

/* Reads all of fd (at most max bytes, the caller checked the size) into a new buffer. */
static int read_all(int fd, size_t max, char **ret, size_t *ret_len)
{
	_cleanup_free_ char *buf = malloc(max + 1);
	size_t len = 0;

	if (!buf)
		return -ENOMEM;
	while (len <= max) {
		ssize_t n = read(fd, buf + len, max + 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > max)
		return -EFBIG; /* it grew since it was checked */
	buf[len] = '\0';
	*ret_len = len;
	*ret = TAKE_PTR(buf);
	return 0;
}

/* What nsnet records: an absolute path, without "." or ".." parts or repeated slashes. */
static bool path_is_clean(const char *p, size_t n)
{
	if (!n || p[0] != '/' || strlen(p) != n || n >= PATH_MAX)
		return false;
	return !strstr(p, "//") && !strstr(p, "/./") && !strstr(p, "/../") &&
	       !(n >= 2 && strcmp(p + n - 2, "/.") == 0) && !(n >= 3 && strcmp(p + n - 3, "/..") == 0);
}

int state_read(const char *dir, const char *topo, char *buf, size_t len, struct error *err)
{
	_cleanup_close_ int dirfd = -1, fd = -1;
	_cleanup_free_ char *text = NULL;
	char name[NETNS_NAME_MAX + 8], path[PATH_MAX + NETNS_NAME_MAX + 16];
	const char *file, *who;
	json_error_t jerr;
	size_t n, flen;
	json_t *o;
	int r;

	r = state_dir_open(dir, false, &dirfd, err);
	if (r < 0)
		return r;
	snprintf(name, sizeof(name), "%s.json", topo);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	r = safe_openat(dirfd, dir, name, O_RDONLY, STATE_JSON_MAX, &fd, err);
	if (r < 0)
		return r;
	r = read_all(fd, STATE_JSON_MAX, &text, &n);
	if (r < 0)
		return error_errno(err, r, "read %s", path);
	o = json_loadb(text, n, JSON_REJECT_DUPLICATES, &jerr);
	if (!o)
		return error_set(err, -EBADMSG, "%s is not nsnet's state (%s): remove it and run "
				 "'nsnet up FILE' again", path, jerr.text);
	file = json_string_value(json_object_get(o, "file"));
	flen = json_string_length(json_object_get(o, "file"));
	who = json_string_value(json_object_get(o, "name"));
	if (!who || strcmp(who, topo) != 0 || !file || !path_is_clean(file, flen) || flen >= len) {
		json_decref(o);
		return error_set(err, -EBADMSG,
				 "%s is not nsnet's state for '%s' (no clean absolute file path "
				 "recorded): remove it and run 'nsnet up FILE' again",
				 path, topo);
	}
	snprintf(buf, len, "%s", file);
	json_decref(o);
	return 0;
}

bool state_exists(const char *dir, const char *topo)
{
	_cleanup_close_ int dirfd = -1;
	char name[NETNS_NAME_MAX + 8];
	struct stat st;

	if (state_dir_open(dir, false, &dirfd, NULL) < 0)
		return false;
	snprintf(name, sizeof(name), "%s.json", topo);
	return fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

int state_prepare(const char *dir, const char *topo, const char *file, struct state_txn *txn,
		  struct error *err)
{
	_cleanup_close_ int fd = -1;
	_cleanup_free_ char *text = NULL;
	char path[PATH_MAX + NETNS_NAME_MAX + 16];
	struct stat st;
	size_t len;
	json_t *o;
	int r;

	memset(txn, 0, sizeof(*txn));
	txn->dirfd = -1;
	snprintf(txn->dir, sizeof(txn->dir), "%s", dir);
	snprintf(txn->path, sizeof(txn->path), "%s.json", topo);
	snprintf(txn->tmp, sizeof(txn->tmp), "%s.json.tmp", topo);
	r = state_dir_open(dir, true, &txn->dirfd, err);
	if (r < 0)
		return r;
	/* What the rename will replace must be replaceable: a file, or nothing. */
	snprintf(path, sizeof(path), "%s/%s", dir, txn->path);
	if (fstatat(txn->dirfd, txn->path, &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISREG(st.st_mode)) {
		r = error_set(err, -EINVAL, "%s is %s: " REMOVE_HINT, path, kind_of(st.st_mode),
			      path);
		goto fail;
	}
	o = json_pack("{s:s, s:s, s:i}", "name", topo, "file", file, "version", 1);
	text = o ? json_dumps(o, JSON_INDENT(2)) : NULL;
	json_decref(o);
	if (!text) {
		r = error_set(err, -ENOMEM, "out of memory");
		goto fail;
	}
	len = strlen(text);
	r = fault_before("state file", err);
	if (r < 0)
		goto fail;
	r = safe_openat(txn->dirfd, dir, txn->tmp, O_WRONLY | O_CREAT | O_TRUNC, SIZE_MAX, &fd, err);
	if (r == -ENOENT)
		r = error_set(err, -ENOENT, "%s vanished while being written", txn->tmp);
	if (r < 0)
		goto fail;
	if (write(fd, text, len) != (ssize_t)len || write(fd, "\n", 1) != 1 || fsync(fd) < 0) {
		r = error_errno(err, -errno, "write %s/%s", dir, txn->tmp);
		(void)unlinkat(txn->dirfd, txn->tmp, 0);
		goto fail;
	}
	fault_after();
	return 0;
fail:
	close(txn->dirfd);
	txn->dirfd = -1;
	return r;
}

int state_commit(struct state_txn *txn, struct error *err)
{
	int r;

	r = fault_before("state file rename", err);
	if (r >= 0 && renameat(txn->dirfd, txn->tmp, txn->dirfd, txn->path) < 0)
		r = error_errno(err, -errno, "rename %s/%s", txn->dir, txn->tmp);
	if (r < 0) {
		state_abort(txn);
		return r;
	}
	fault_after();
	close(txn->dirfd);
	txn->dirfd = -1;
	return 0;
}

void state_abort(struct state_txn *txn)
{
	struct stat st;

	if (txn->dirfd < 0)
		return;
	if (fstatat(txn->dirfd, txn->tmp, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode))
		(void)unlinkat(txn->dirfd, txn->tmp, 0);
	close(txn->dirfd);
	txn->dirfd = -1;
}

void state_remove(const char *dir, const char *topo)
{
	char name[NETNS_NAME_MAX + 16];

	snprintf(name, sizeof(name), "%s.json", topo);
	remove_regular(dir, name);
	snprintf(name, sizeof(name), "%s.json.tmp", topo);
	remove_regular(dir, name);
}

#define NOTE_MAX 32

/* The note's file name: the key with dots for slashes (an interface name has no slash). */
static int note_name(const char *key, char *buf, size_t len, struct error *err)
{
	int n = snprintf(buf, len, "%s.sysctl", key);

	if (n < 0 || (size_t)n >= len || !key[0] || key[0] == '.')
		return error_set(err, -EINVAL, "sysctl '%s': no note can be named after it", key);
	for (char *c = buf; *c; c++)
		if (*c == '/')
			*c = '.';
	return 0;
}

int state_note_keep(const char *dir, const char *key, int old, bool *ret_made, struct error *err)
{
	_cleanup_close_ int dirfd = -1, fd = -1;
	char name[NAME_MAX + 1], tmp[NAME_MAX + 8], text[NOTE_MAX];
	int n, r;

	*ret_made = false;
	r = note_name(key, name, sizeof(name) - 4, err);
	if (r >= 0)
		r = state_dir_open(dir, true, &dirfd, err);
	if (r < 0)
		return r;
	snprintf(tmp, sizeof(tmp), "%s.tmp", name);
	n = snprintf(text, sizeof(text), "%d\n", old);
	r = fault_before("state note", err);
	if (r < 0)
		return r;
	r = safe_openat(dirfd, dir, tmp, O_WRONLY | O_CREAT | O_TRUNC, SIZE_MAX, &fd, err);
	if (r == -ENOENT)
		r = error_set(err, -ENOENT, "%s vanished while being written", tmp);
	if (r < 0)
		return r;
	if (write(fd, text, (size_t)n) != n || fsync(fd) < 0) {
		r = error_errno(err, -errno, "write %s/%s", dir, tmp);
		(void)unlinkat(dirfd, tmp, 0);
		return r;
	}
	/* link(), not rename(): an existing note is the older, true value, and stays. */
	if (linkat(dirfd, tmp, dirfd, name, 0) == 0)
		*ret_made = true;
	else if (errno != EEXIST)
		r = error_errno(err, -errno, "link %s/%s", dir, name);
	(void)unlinkat(dirfd, tmp, 0);
	if (r < 0)
		return r;
	fault_after();
	return 0;
}

int state_note_read(const char *dir, const char *key, int *ret_old, struct error *err)
{
	_cleanup_close_ int dirfd = -1, fd = -1;
	char name[NAME_MAX + 1], text[NOTE_MAX + 1], *end;
	ssize_t n;
	long v;
	int r;

	*ret_old = -1;
	r = note_name(key, name, sizeof(name), err);
	if (r < 0)
		return r;
	r = state_dir_open(dir, false, &dirfd, err);
	if (r >= 0)
		r = safe_openat(dirfd, dir, name, O_RDONLY, NOTE_MAX, &fd, err);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	n = read(fd, text, NOTE_MAX);
	if (n < 0)
		return error_errno(err, -errno, "read %s/%s", dir, name);
	text[n] = '\0';
	errno = 0;
	v = strtol(text, &end, 10);
	if (errno || end == text || strcmp(end, "\n") != 0 || v < 0 || v > 1000000) {
		char path[PATH_MAX + NAME_MAX + 2];

		snprintf(path, sizeof(path), "%s/%s", dir, name);
		return error_set(err, -EBADMSG, "%s is not a note of nsnet's: " REMOVE_HINT, path,
				 path);
	}
	*ret_old = (int)v;
	return 0;
}

int state_note_drop(const char *dir, const char *key, struct error *err)
{
	char name[NAME_MAX + 1];
	int r = note_name(key, name, sizeof(name), err);

	if (r >= 0)
		r = fault_before("state note", err);
	if (r < 0)
		return r;
	remove_regular(dir, name);
	fault_after();
	return 0;
}

void journal_init(struct journal *j, const char *dir, const char *topo)
{
	snprintf(j->dir, sizeof(j->dir), "%s", dir);
	snprintf(j->topo, sizeof(j->topo), "%s", topo);
	j->fd = -1;
}

/*
 * The journal stays open from its first line to journal_clear: an `up` of
 * 1000 namespaces writes 2000 lines. A line is in the file once write()
 * returns, which is all a killed run needs (the machine does not crash).
 */
int journal_add(struct journal *j, enum pending_kind kind, const char *name, uint64_t mark,
		struct error *err)
{
	char line[NETNS_NAME_MAX + 40], file[NETNS_NAME_MAX + 16];
	int n, r;

	snprintf(file, sizeof(file), "%s.pending", j->topo);
	if (j->fd < 0) {
		_cleanup_close_ int dirfd = -1;

		r = state_dir_open(j->dir, true, &dirfd, err);
		if (r >= 0)
			r = safe_openat(dirfd, j->dir, file, O_WRONLY | O_CREAT | O_APPEND,
					STATE_JOURNAL_MAX, &j->fd, err);
		if (r < 0)
			return error_prefix(err, "journal");
	}
	if (kind == PENDING_NS)
		n = snprintf(line, sizeof(line), "ns %s %" PRIu64 "\n", name, mark);
	else
		n = snprintf(line, sizeof(line), "link %s\n", name);
	r = fault_before("journal", err);
	if (r < 0)
		return r;
	if (write(j->fd, line, (size_t)n) != n)
		return error_errno(err, -errno, "write %s/%s", j->dir, file);
	fault_after();
	return 0;
}

void journal_clear(struct journal *j)
{
	char file[NETNS_NAME_MAX + 16];

	if (j->fd >= 0)
		close(j->fd);
	j->fd = -1;
	snprintf(file, sizeof(file), "%s.pending", j->topo);
	remove_regular(j->dir, file);
}

int journal_read(const char *dir, const char *topo,
		 void (*fn)(enum pending_kind kind, const char *name, uint64_t mark, void *data),
		 void *data, struct error *err)
{
	_cleanup_close_ int dirfd = -1, fd = -1;
	_cleanup_free_ char *text = NULL;
	char file[NETNS_NAME_MAX + 16];
	size_t n;
	char *line, *save = NULL;
	int r;

	r = state_dir_open(dir, false, &dirfd, err);
	if (r < 0)
		return r == -ENOENT ? 0 : r;
	snprintf(file, sizeof(file), "%s.pending", topo);
	r = safe_openat(dirfd, dir, file, O_RDONLY, STATE_JOURNAL_MAX, &fd, err);
	if (r < 0)
		return r == -ENOENT ? 0 : r;
	r = read_all(fd, STATE_JOURNAL_MAX, &text, &n);
	if (r < 0)
		return error_errno(err, r, "read %s/%s", dir, file);
	/* Only well-formed lines naming valid names count; anything else is not ours. */
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char nm[NETNS_NAME_MAX + 2];
		uint64_t mark = 0;
		int used = 0;

		if (sscanf(line, "ns %64s %" SCNu64 "%n", nm, &mark, &used) == 2 &&
		    !line[used] && name_netns_check(nm, NULL) == 0)
			fn(PENDING_NS, nm, mark, data);
		else if (sscanf(line, "link %16s%n", nm, &used) == 1 && !line[used] &&
			 name_ifname_check(nm, NULL) == 0)
			fn(PENDING_LINK, nm, 0, data);
	}
	return 0;
}

int state_file_open(int dirfd, const char *dir, const char *name, int flags, size_t max,
		    int *ret_fd, struct error *err)
{
	return safe_openat(dirfd, dir, name, flags, max, ret_fd, err);
}

int state_file_read(int fd, size_t max, char **ret, size_t *ret_len)
{
	return read_all(fd, max, ret, ret_len);
}

bool state_file_remove(int dirfd, const char *name)
{
	struct stat st;

	return fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
	       unlinkat(dirfd, name, 0) == 0;
}
