// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The leases of nsnet's IPAM, one file per address: see cni-state.h and
 * core/ipam.h. Taking an address is creating its file with O_EXCL, so no
 * two holders can ever share one, whoever else writes the directory.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cni-state.h"
#include "fault.h"
#include "state.h"

#define LEASE_MAX (CNI_ID_MAX + IFNAME_MAX + 8)
#define WALK_MAX (1u << 20) /* addresses tried before a pool counts as full */

static void lease_path(const char *data_dir, const char *network, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", data_dir, network);
}

/* mkdir -p of an absolute path, each new part 0755 (the IPAM's dataDir may be new). */
static int mkdir_parents(const char *path, struct error *err)
{
	char buf[CNI_DIR_MAX + NETNS_NAME_MAX + 2];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1;; p++) {
		char c = *p;

		if (c != '/' && c)
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return error_errno(err, -errno, "mkdir %s", buf);
		*p = c;
		if (!c)
			return 0;
	}
}

static int leases_open(const char *data_dir, const char *network, bool create, int *ret_fd,
		       char *path, size_t len, struct error *err)
{
	int r;

	lease_path(data_dir, network, path, len);
	if (create) {
		r = mkdir_parents(path, err);
		if (r < 0)
			return error_prefix(err, "leases");
	}
	r = state_dir_open(path, false, ret_fd, err);
	return r == -ENOENT ? -ENOENT : r < 0 ? error_prefix(err, "leases") : 0;
}

static void owner_text(const char *container_id, const char *ifname, char *buf, size_t len)
{
	snprintf(buf, len, "%s\n%s\n", container_id, ifname);
}

/* Whether the lease name in dirfd is held by owner (its exact text). */
static bool held_by(int dirfd, const char *dir, const char *name, const char *owner)
{
	_cleanup_close_ int fd = -1;
	_cleanup_free_ char *text = NULL;
	size_t n;

	return state_file_open(dirfd, dir, name, O_RDONLY, LEASE_MAX, &fd, NULL) == 0 &&
	       state_file_read(fd, LEASE_MAX, &text, &n) == 0 && strcmp(text, owner) == 0;
}

/* Creates the lease name for owner; -EEXIST when someone holds it. */
static int lease_create(int dirfd, const char *dir, const char *name, const char *owner,
			struct error *err)
{
	size_t len = strlen(owner);
	_cleanup_close_ int fd = -1;
	int r;

	r = fault_before("lease", err);
	if (r < 0)
		return r;
	fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return errno == EEXIST ? -EEXIST : error_errno(err, -errno, "create %s/%s", dir,
								   name);
	if (write(fd, owner, len) != (ssize_t)len) {
		r = error_errno(err, -errno, "write %s/%s", dir, name);
		(void)unlinkat(dirfd, name, 0);
		return r;
	}
	fault_after();
	return 0;
}

static const char *hint_name(int family)
{
	return family == AF_INET6 ? "last.6" : "last.4";
}

/* Where the last walk ended; family 0 when unknown. */
static struct inet_addr hint_read(int dirfd, const char *dir, int family)
{
	struct inet_addr a = {0};
	_cleanup_close_ int fd = -1;
	_cleanup_free_ char *text = NULL;
	size_t n;

	if (state_file_open(dirfd, dir, hint_name(family), O_RDONLY, INET_STR_MAX, &fd, NULL) < 0 ||
	    state_file_read(fd, INET_STR_MAX, &text, &n) < 0 || inet_addr_parse(text, &a, NULL) < 0 ||
	    a.family != family)
		memset(&a, 0, sizeof(a));
	return a;
}

static int hint_write(int dirfd, const char *dir, const struct inet_addr *a, struct error *err)
{
	_cleanup_close_ int fd = -1;
	char s[INET_STR_MAX];
	size_t n;
	int r;

	inet_addr_format(a, s, sizeof(s));
	n = strlen(s);
	r = fault_before("lease hint", err);
	if (r >= 0)
		r = state_file_open(dirfd, dir, hint_name(a->family), O_WRONLY | O_CREAT | O_TRUNC,
				    SIZE_MAX, &fd, err);
	if (r < 0)
		return r;
	if (write(fd, s, n) != (ssize_t)n)
		return error_errno(err, -errno, "write %s/%s", dir, hint_name(a->family));
	fault_after();
	return 0;
}

int ipam_lease_take(const char *data_dir, const char *network, const struct ipam_pool *p,
		    const struct inet_addr *want, const char *container_id, const char *ifname,
		    struct inet_addr *ret, struct error *err)
{
	char dir[CNI_DIR_MAX + NETNS_NAME_MAX + 2], owner[LEASE_MAX], name[INET_STR_MAX];
	uint64_t size = ipam_pool_size(p), tries;
	_cleanup_close_ int dirfd = -1;
	struct inet_addr a;
	int r;

	r = leases_open(data_dir, network, true, &dirfd, dir, sizeof(dir), err);
	if (r < 0)
		return r;
	owner_text(container_id, ifname, owner, sizeof(owner));
	if (want && want->family) {
		inet_addr_format(want, name, sizeof(name));
		r = lease_create(dirfd, dir, name, owner, err);
		if (r == -EEXIST)
			return error_set(err, -EADDRINUSE, "address %s is taken (lease %s/%s)", name,
					 dir, name);
		if (r >= 0)
			*ret = *want;
		return r;
	}
	a = ipam_pool_next(p, &(struct inet_addr){0});
	{
		struct inet_addr last = hint_read(dirfd, dir, p->subnet.addr.family);

		if (last.family)
			a = ipam_pool_next(p, &last);
	}
	for (tries = 0; tries < size && tries < WALK_MAX; tries++, a = ipam_pool_next(p, &a)) {
		inet_addr_format(&a, name, sizeof(name));
		r = lease_create(dirfd, dir, name, owner, err);
		if (r == -EEXIST)
			continue;
		if (r < 0)
			return r;
		r = hint_write(dirfd, dir, &a, err);
		if (r < 0) {
			(void)unlinkat(dirfd, name, 0);
			return r;
		}
		*ret = a;
		return 0;
	}
	inet_prefix_format(&p->subnet, name, sizeof(name));
	return error_set(err, -ENOSPC, "no free address left in %s (leases in %s)", name, dir);
}

/* Removes a's lease: if container_id is not NULL, only when that holder has it. */
static int lease_remove(const char *data_dir, const char *network, const struct inet_addr *a,
			const char *container_id, const char *ifname, struct error *err)
{
	char dir[CNI_DIR_MAX + NETNS_NAME_MAX + 2], owner[LEASE_MAX], name[INET_STR_MAX];
	_cleanup_close_ int dirfd = -1;
	int r;

	r = leases_open(data_dir, network, false, &dirfd, dir, sizeof(dir), err);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	inet_addr_format(a, name, sizeof(name));
	if (container_id) {
		owner_text(container_id, ifname, owner, sizeof(owner));
		/* Someone else's (or nobody's) lease is not ours to remove. */
		if (!held_by(dirfd, dir, name, owner))
			return 0;
	}
	r = fault_before("lease release", err);
	if (r < 0)
		return r;
	(void)state_file_remove(dirfd, name);
	fault_after();
	return 0;
}

int ipam_lease_drop(const char *data_dir, const char *network, const struct inet_addr *a,
		    struct error *err)
{
	return lease_remove(data_dir, network, a, NULL, NULL, err);
}

int ipam_lease_release(const char *data_dir, const char *network, const struct inet_addr *a,
		       const char *container_id, const char *ifname, struct error *err)
{
	return lease_remove(data_dir, network, a, container_id, ifname, err);
}

bool ipam_lease_held(const char *data_dir, const char *network, const struct inet_addr *a,
		     const char *container_id, const char *ifname)
{
	char dir[CNI_DIR_MAX + NETNS_NAME_MAX + 2], owner[LEASE_MAX], name[INET_STR_MAX];
	_cleanup_close_ int dirfd = -1;

	if (leases_open(data_dir, network, false, &dirfd, dir, sizeof(dir), NULL) < 0)
		return false;
	owner_text(container_id, ifname, owner, sizeof(owner));
	inet_addr_format(a, name, sizeof(name));
	return held_by(dirfd, dir, name, owner);
}

int ipam_leases_each(const char *data_dir, const char *network,
		     void (*fn)(const struct inet_addr *a, const char *container_id,
				const char *ifname, void *data),
		     void *data, struct error *err)
{
	char dir[CNI_DIR_MAX + NETNS_NAME_MAX + 2];
	_cleanup_close_ int fd = -1;
	struct dirent *de;
	int r, dfd;
	DIR *d;

	r = leases_open(data_dir, network, false, &fd, dir, sizeof(dir), err);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	d = fdopendir(fd);
	if (!d)
		return error_errno(err, -errno, "read %s", dir);
	dfd = TAKE_FD(fd); /* the stream's now */
	while ((de = readdir(d))) {
		char cid[CNI_ID_MAX + 1] = "", ifn[IFNAME_MAX + 1] = "";
		_cleanup_close_ int lfd = -1;
		_cleanup_free_ char *text = NULL;
		struct inet_addr a;
		size_t n;

		if (inet_addr_parse(de->d_name, &a, NULL) < 0)
			continue;
		/* A lease whose holder cannot be read is held by no one: GC takes it. */
		if (state_file_open(dfd, dir, de->d_name, O_RDONLY, LEASE_MAX, &lfd, NULL) == 0 &&
		    state_file_read(lfd, LEASE_MAX, &text, &n) == 0) {
			char *nl = strchr(text, '\n');

			if (nl && (size_t)(nl - text) <= CNI_ID_MAX) {
				snprintf(cid, sizeof(cid), "%.*s", (int)(nl - text), text);
				snprintf(ifn, sizeof(ifn), "%.*s", (int)strcspn(nl + 1, "\n"), nl + 1);
			}
		}
		fn(&a, cid, ifn, data);
	}
	closedir(d);
	return 0;
}

static void count_one(const struct inet_addr *a, const char *cid, const char *ifn, void *data)
{
	(void)a;
	(void)cid;
	(void)ifn;
	(*(size_t *)data)++;
}

void ipam_leases_tidy(const char *data_dir, const char *network)
{
	char dir[CNI_DIR_MAX + NETNS_NAME_MAX + 2];
	_cleanup_close_ int dirfd = -1;
	size_t n = 0;

	if (ipam_leases_each(data_dir, network, count_one, &n, NULL) < 0 || n)
		return;
	if (leases_open(data_dir, network, false, &dirfd, dir, sizeof(dir), NULL) < 0)
		return;
	(void)state_file_remove(dirfd, hint_name(AF_INET));
	(void)state_file_remove(dirfd, hint_name(AF_INET6));
	(void)rmdir(dir);
}
