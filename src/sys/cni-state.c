// SPDX-License-Identifier: GPL-2.0-or-later
/* CNI records under the state directory: see cni-state.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cni-state.h"
#include "fault.h"
#include "state.h"

#define RECORDS_SUFFIX ".cni"

void cni_records_path(const char *state_dir, const char *network, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s" RECORDS_SUFFIX, state_dir, network);
}

/* The records directory, made on demand (writers only). */
static int records_open(const char *state_dir, const char *network, bool create, int *ret_fd,
			struct error *err)
{
	char path[PATH_MAX + NETNS_NAME_MAX + 8];
	_cleanup_close_ int top = -1;
	int r;

	r = name_topology_check(network, err);
	if (r < 0)
		return r;
	r = state_dir_open(state_dir, create, &top, err);
	if (r < 0)
		return r;
	cni_records_path(state_dir, network, path, sizeof(path));
	return state_dir_open(path, create, ret_fd, err);
}

int cni_record_read(const char *state_dir, const char *network, const char *container_id,
		    const char *ifname, struct cni_attachment *ret, struct error *err)
{
	char name[CNI_RECORD_NAME_MAX + 1], dir[PATH_MAX + NETNS_NAME_MAX + 8];
	_cleanup_close_ int dirfd = -1, fd = -1;
	_cleanup_free_ char *text = NULL;
	size_t n;
	int r;

	r = records_open(state_dir, network, false, &dirfd, err);
	if (r == -ENOENT)
		return -ENOENT;
	if (r < 0)
		return r;
	cni_records_path(state_dir, network, dir, sizeof(dir));
	cni_record_name(container_id, ifname, name, sizeof(name));
	r = state_file_open(dirfd, dir, name, O_RDONLY, CNI_RECORD_MAX, &fd, err);
	if (r < 0)
		return r;
	r = state_file_read(fd, CNI_RECORD_MAX, &text, &n);
	if (r < 0)
		return error_errno(err, r, "read %s/%s", dir, name);
	r = cni_record_parse(name, text, n, ret, err);
	if (r < 0)
		return error_prefix(err, "%s", dir);
	if (strcmp(ret->network, network) || strcmp(ret->container_id, container_id) ||
	    strcmp(ret->ifname, ifname)) {
		cni_attachment_clear(ret);
		return error_set(err, -EBADMSG, "%s/%s: names another attachment", dir, name);
	}
	return 0;
}

int cni_record_write(const char *state_dir, const struct cni_attachment *a, struct error *err)
{
	char name[CNI_RECORD_NAME_MAX + 1], tmp[CNI_RECORD_NAME_MAX + 8];
	char dir[PATH_MAX + NETNS_NAME_MAX + 8];
	_cleanup_close_ int dirfd = -1, fd = -1;
	_cleanup_free_ char *text = NULL;
	size_t len;
	int r;

	r = cni_record_format(a, &text, err);
	if (r >= 0)
		r = records_open(state_dir, a->network, true, &dirfd, err);
	if (r < 0)
		return error_prefix(err, "attachment record");
	cni_records_path(state_dir, a->network, dir, sizeof(dir));
	cni_record_name(a->container_id, a->ifname, name, sizeof(name));
	snprintf(tmp, sizeof(tmp), "%s.tmp", name);
	len = strlen(text);
	r = fault_before("attachment record", err);
	if (r < 0)
		return r;
	r = state_file_open(dirfd, dir, tmp, O_WRONLY | O_CREAT | O_TRUNC, SIZE_MAX, &fd, err);
	if (r == -ENOENT)
		r = error_set(err, -ENOENT, "%s/%s vanished while being written", dir, tmp);
	if (r < 0)
		return r;
	if (write(fd, text, len) != (ssize_t)len || write(fd, "\n", 1) != 1) {
		r = error_errno(err, -errno, "write %s/%s", dir, tmp);
		(void)unlinkat(dirfd, tmp, 0);
		return r;
	}
	if (renameat(dirfd, tmp, dirfd, name) < 0) {
		r = error_errno(err, -errno, "rename %s/%s", dir, tmp);
		(void)unlinkat(dirfd, tmp, 0);
		return r;
	}
	fault_after();
	return 0;
}

/* The records directory, removed when empty (its last record went). */
static void records_tidy(const char *state_dir, const char *network)
{
	char path[PATH_MAX + NETNS_NAME_MAX + 8];

	if (cni_records_other(state_dir, network, NULL, NULL))
		return;
	cni_records_path(state_dir, network, path, sizeof(path));
	(void)rmdir(path);
}

int cni_record_remove(const char *state_dir, const char *network, const char *container_id,
		      const char *ifname, struct error *err)
{
	char name[CNI_RECORD_NAME_MAX + 8];
	_cleanup_close_ int dirfd = -1;
	int r;

	r = records_open(state_dir, network, false, &dirfd, err);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	cni_record_name(container_id, ifname, name, sizeof(name));
	r = fault_before("attachment record removal", err);
	if (r < 0)
		return r;
	(void)state_file_remove(dirfd, name);
	/* What a run killed between its write and its rename left. */
	strcat(name, ".tmp");
	(void)state_file_remove(dirfd, name);
	fault_after();
	records_tidy(state_dir, network);
	return 0;
}

/* A record's file name, its .tmp companion excluded. */
static bool is_record(const char *name)
{
	size_t n = strlen(name);

	return name[0] != '.' && strchr(name, '@') && !(n > 4 && strcmp(name + n - 4, ".tmp") == 0);
}

bool cni_records_other(const char *state_dir, const char *network, const char *container_id,
		       const char *ifname)
{
	char self[CNI_RECORD_NAME_MAX + 1] = "";
	_cleanup_close_ int dirfd = -1;
	/* A few names at a time: readdir(3) would read 32 KiB, a thousand records. */
	char buf[1024] __attribute__((aligned(8)));
	bool other = false;
	ssize_t got;

	if (records_open(state_dir, network, false, &dirfd, NULL) < 0)
		return false;
	if (container_id)
		cni_record_name(container_id, ifname, self, sizeof(self));
	/* The first other name ends the walk: every ADD and DEL asks this. */
	while (!other && (got = getdents64(dirfd, buf, sizeof(buf))) > 0) {
		for (ssize_t off = 0; !other && off < got;) {
			const struct dirent64 *de = (const struct dirent64 *)(buf + off);
			size_t n = strnlen(de->d_name, de->d_reclen);

			off += de->d_reclen;
			if (n > 4 && strcmp(de->d_name + n - 4, ".tmp") == 0)
				n -= 4;
			other = de->d_name[0] != '.' && memchr(de->d_name, '@', n) &&
				(strlen(self) != n || strncmp(de->d_name, self, n) != 0);
		}
	}
	return other;
}

void cni_attachments_free(struct cni_attachment *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		cni_attachment_clear(&v[i]);
	free(v);
}

int cni_records_load(const char *state_dir, const char *network, struct cni_attachment **ret,
		     size_t *ret_n, size_t *ret_bad, void (*bad)(const char *name, void *data),
		     void *data, struct error *err)
{
	struct cni_attachment *v = NULL;
	_cleanup_close_ int dirfd = -1;
	size_t n = 0, cap = 0, n_bad = 0;
	struct dirent *de;
	DIR *d;
	int r;

	*ret = NULL;
	*ret_n = 0;
	if (ret_bad)
		*ret_bad = 0;
	r = records_open(state_dir, network, false, &dirfd, err);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	d = fdopendir(dirfd);
	if (!d)
		return error_errno(err, -errno, "read %s/%s" RECORDS_SUFFIX, state_dir, network);
	dirfd = -1;
	while ((de = readdir(d))) {
		char cid[CNI_ID_MAX + 1], ifn[IFNAME_MAX + 1];
		const char *at = strchr(de->d_name, '@');

		if (!is_record(de->d_name))
			continue;
		snprintf(cid, sizeof(cid), "%.*s", (int)(at - de->d_name), de->d_name);
		snprintf(ifn, sizeof(ifn), "%s", at + 1);
		if (n == cap) {
			struct cni_attachment *nv = realloc(v, (cap ? cap * 2 : 16) * sizeof(*nv));

			if (!nv) {
				closedir(d);
				cni_attachments_free(v, n);
				return error_set(err, -ENOMEM, "out of memory");
			}
			v = nv;
			cap = cap ? cap * 2 : 16;
		}
		memset(&v[n], 0, sizeof(v[n]));
		if (cni_record_read(state_dir, network, cid, ifn, &v[n], NULL) < 0) {
			n_bad++;
			if (bad)
				bad(de->d_name, data);
			continue;
		}
		n++;
	}
	closedir(d);
	*ret = v;
	*ret_n = n;
	if (ret_bad)
		*ret_bad = n_bad;
	return 0;
}
