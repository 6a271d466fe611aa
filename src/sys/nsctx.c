// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Entries are kept sorted by name: a run over 1000 namespaces looks one up
 * for every action. /run/netns and the host's namespace stay open for the
 * run, so opening a namespace costs no more than the namespace itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netns.h"
#include "nft.h"
#include "nsctx.h"
#include "ovs.h"

struct nsctx_entry {
	char name[NETNS_NAME_MAX + 1];
	int fd;
	struct nl_sock *s;
};

struct nsctx {
	struct nsctx_entry *v;
	size_t n;
	int dirfd; /* /run/netns, opened on first use */
	struct nft_reserve nft;
	struct nft_reserve *prev_nft; /* the thread's reserve before ours */
	struct ovs_session *ovs;
};

int nsctx_new(struct nsctx **ret, struct error *err)
{
	*ret = calloc(1, sizeof(struct nsctx));
	if (!*ret)
		return error_set(err, -ENOMEM, "out of memory");
	(*ret)->dirfd = -1;
	/* This run may hold two descriptors per namespace: keep libnftables' below 1024. */
	nft_reserve_init(&(*ret)->nft);
	(*ret)->prev_nft = nft_reserve_use(&(*ret)->nft);
	return 0;
}

static void entry_close(struct nsctx_entry *e)
{
	nl_sock_free(e->s);
	if (e->fd >= 0)
		close(e->fd);
	e->s = NULL;
	e->fd = -1;
}

void nsctx_free(struct nsctx *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		entry_close(&c->v[i]);
	if (c->dirfd >= 0)
		close(c->dirfd);
	ovs_session_free(c->ovs);
	free(c->v);
	nft_reserve_use(c->prev_nft);
	nft_reserve_clear(&c->nft);
	free(c);
}

/* The index of ns, or where it would go (*found false). */
static size_t find(const struct nsctx *c, const char *ns, bool *found)
{
	size_t lo = 0, hi = c->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int d = strcmp(c->v[mid].name, ns);

		if (d == 0) {
			*found = true;
			return mid;
		}
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

static int entry_open(struct nsctx *c, struct nsctx_entry *e, int home_fd, struct error *err)
{
	int r;

	if (!e->name[0]) {
		e->fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
		if (e->fd < 0)
			return error_errno(err, -errno, "open /proc/thread-self/ns/net");
		return nl_sock_open(&e->s, err);
	}
	if (c->dirfd < 0) {
		r = netns_dir_open(&c->dirfd, err);
		if (r == -ENOENT)
			return error_set(err, -ENOENT, "namespace '%s' does not exist", e->name);
		if (r < 0)
			return r;
	}
	r = netns_open_at(c->dirfd, e->name, &e->fd, err);
	if (r < 0)
		return r;
	return nl_sock_open_ns(e->fd, home_fd, e->name, &e->s, err);
}

/* Puts e at position i (where find says it goes); closes it when out of memory. */
static int entry_insert(struct nsctx *c, size_t i, struct nsctx_entry *e, struct error *err)
{
	struct nsctx_entry *nv = realloc(c->v, (c->n + 1) * sizeof(*nv));

	if (!nv) {
		entry_close(e);
		return error_set(err, -ENOMEM, "out of memory");
	}
	c->v = nv;
	memmove(&nv[i + 1], &nv[i], (c->n - i) * sizeof(*nv));
	nv[i] = *e;
	c->n++;
	return 0;
}

int nsctx_get(struct nsctx *c, const char *ns, struct nl_sock **ret, int *ret_fd,
	      struct error *err)
{
	struct nsctx_entry e = {.fd = -1};
	int home_fd = -1, r;
	bool found;
	size_t i;

	i = find(c, ns, &found);
	if (found) {
		*ret = c->v[i].s;
		if (ret_fd)
			*ret_fd = c->v[i].fd;
		return 0;
	}
	/* The host's entry first: its fd is where the thread returns after a setns. */
	if (ns[0]) {
		struct nl_sock *host;

		r = nsctx_get(c, "", &host, &home_fd, err);
		if (r < 0)
			return r;
		i = find(c, ns, &found);
	}
	snprintf(e.name, sizeof(e.name), "%s", ns);
	r = entry_open(c, &e, home_fd, err);
	if (r < 0) {
		entry_close(&e);
		return r;
	}
	r = entry_insert(c, i, &e, err);
	if (r < 0)
		return r;
	*ret = e.s;
	if (ret_fd)
		*ret_fd = e.fd;
	return 0;
}

int nsctx_ns_add(struct nsctx *c, const char *ns, const char *lo_alias, uint64_t mark,
		 struct error *err)
{
	struct netns_handles h = {.fd = -1};
	struct nsctx_entry *nv;
	struct nl_sock *host;
	int home_fd, r;
	bool found;
	size_t i;

	r = nsctx_get(c, "", &host, &home_fd, err);
	if (r < 0)
		return r;
	r = netns_add_open(ns, 0, lo_alias, mark, home_fd, &h, err);
	if (r < 0)
		return r;
	nsctx_forget(c, ns); /* a stale entry of an earlier namespace of this name */
	i = find(c, ns, &found);
	nv = realloc(c->v, (c->n + 1) * sizeof(*nv));
	if (!nv) {
		/* The namespace exists; only the handles are lost, reopened on use. */
		nl_sock_free(h.sock);
		close(h.fd);
		return 0;
	}
	c->v = nv;
	memmove(&nv[i + 1], &nv[i], (c->n - i) * sizeof(*nv));
	memset(&nv[i], 0, sizeof(nv[i]));
	snprintf(nv[i].name, sizeof(nv[i].name), "%s", ns);
	nv[i].fd = h.fd;
	nv[i].s = h.sock;
	nl_sock_set_label(h.sock, ns);
	c->n++;
	return 0;
}

void nsctx_forget(struct nsctx *c, const char *ns)
{
	bool found;
	size_t i = find(c, ns, &found);

	if (!found)
		return;
	entry_close(&c->v[i]);
	memmove(&c->v[i], &c->v[i + 1], (c->n - i - 1) * sizeof(*c->v));
	c->n--;
}

struct ovs_session *nsctx_ovs(const struct nsctx *c)
{
	return c->ovs;
}

void nsctx_ovs_set(struct nsctx *c, struct ovs_session *s)
{
	if (c->ovs != s)
		ovs_session_free(c->ovs);
	c->ovs = s;
}

int nsctx_adopt(struct nsctx *c, const char *key, int fd, struct error *err)
{
	struct nsctx_entry e = {.fd = fd};
	struct nl_sock *host;
	int home_fd, r;
	bool found;
	size_t i;

	r = nsctx_get(c, "", &host, &home_fd, err);
	if (r >= 0)
		r = nl_sock_open_ns(fd, home_fd, key, &e.s, err);
	if (r < 0) {
		entry_close(&e);
		return r;
	}
	snprintf(e.name, sizeof(e.name), "%s", key);
	nsctx_forget(c, key);
	i = find(c, key, &found);
	return entry_insert(c, i, &e, err);
}
