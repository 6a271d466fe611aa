// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Observing the world of one topology. Every named namespace is looked at
 * once (its links tell whether lo carries a mark); the ones that matter are
 * kept with their full state. veth peers are reported by the kernel as
 * (namespace id, ifindex) with ids local to the asking namespace: host links
 * are resolved through the ids the host gives each namespace, namespace links
 * through the host side when their peer is there, else by asking that
 * namespace for the id of each candidate.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/fw.h"
#include "core/owner.h"
#include "fault.h"
#include "netns.h"
#include "nft.h"
#include "rtnl.h"
#include "world.h"

int sysctl_ip_forward_get(void)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/sys/net/ipv4/ip_forward", "re");
	int v;

	if (!f || fscanf(f, "%d", &v) != 1)
		return -1;
	return v;
}

int sysctl_ip_forward_set(int value, struct error *err)
{
	_cleanup_close_ int fd = open("/proc/sys/net/ipv4/ip_forward", O_WRONLY | O_CLOEXEC);
	char c = value ? '1' : '0';
	int r;

	r = fault_before("sysctl net.ipv4.ip_forward", err);
	if (r < 0)
		return r;
	if (fd < 0 || write(fd, &c, 1) != 1)
		return error_errno(err, -errno, "sysctl net.ipv4.ip_forward=%d", value);
	fault_after();
	return 0;
}

/* /proc/sys/net/ipv4/conf/IFNAME/route_localnet; the kernel's names hold no '/'. */
static void localnet_path(const char *ifname, char *buf, size_t len)
{
	snprintf(buf, len, "/proc/sys/net/ipv4/conf/%s/route_localnet", ifname);
}

int sysctl_route_localnet_get(const char *ifname)
{
	char path[96];
	_cleanup_fclose_ FILE *f = NULL;
	int v;

	if (strchr(ifname, '/') || !strcmp(ifname, "..") || !strcmp(ifname, "."))
		return -1;
	localnet_path(ifname, path, sizeof(path));
	f = fopen(path, "re");
	if (!f || fscanf(f, "%d", &v) != 1)
		return -1;
	return v;
}

int sysctl_route_localnet_set(const char *ifname, int value, struct error *err)
{
	char path[96];
	_cleanup_close_ int fd = -1;
	char c = value ? '1' : '0';
	int r;

	r = fault_before("sysctl route_localnet", err);
	if (r < 0)
		return r;
	if (strchr(ifname, '/') || !strcmp(ifname, "..") || !strcmp(ifname, "."))
		return error_set(err, -EINVAL, "bridge '%s': not an interface name", ifname);
	localnet_path(ifname, path, sizeof(path));
	fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 || write(fd, &c, 1) != 1)
		return error_errno(err, -errno, "sysctl net.ipv4.conf.%s.route_localnet=%d", ifname,
				   value);
	fault_after();
	return 0;
}

/* route_localnet of every bridge on the host carrying topo's mark, and the default. */
static int observe_localnet(struct world *w, const char *topo, struct error *err)
{
	w->localnet = calloc(w->host->n_links ? w->host->n_links : 1, sizeof(*w->localnet));
	if (!w->localnet)
		return error_set(err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < w->host->n_links; i++) {
		const struct ns_link *l = &w->host->links[i];
		struct world_localnet *e = &w->localnet[w->n_localnet];

		if (strcmp(l->kind, "bridge") != 0 || !owner_alias_is(l->alias, topo))
			continue;
		snprintf(e->name, sizeof(e->name), "%s", l->name);
		e->value = sysctl_route_localnet_get(l->name);
		w->n_localnet++;
	}
	w->localnet_default = sysctl_route_localnet_get("default");
	return 0;
}

struct candidate {
	struct world_ns w;
	int nsid; /* as the host sees it */
	int fd;
};

static bool relevant(const struct candidate *cand, const char *topo, const struct topology *want)
{
	if (want && topology_ns_find(want, cand->w.name))
		return true;
	return cand->w.marked && strcmp(cand->w.owner, topo) == 0;
}

/*
 * Its links first: lo's mark says whether the namespace matters; only then
 * its addresses, routes and id. *ret_relevant false: skip it.
 */
static int observe_ns(struct nsctx *c, const char *name, const char *topo,
		      const struct topology *want, struct candidate *cand, bool *ret_relevant,
		      struct error *err)
{
	struct nl_sock *s, *host;
	const struct ns_link *lo;
	const char *owner;
	int r;

	memset(cand, 0, sizeof(*cand));
	*ret_relevant = false;
	snprintf(cand->w.name, sizeof(cand->w.name), "%s", name);
	r = nsctx_get(c, name, &s, &cand->fd, err);
	if (r >= 0)
		r = nsctx_get(c, "", &host, NULL, err);
	if (r < 0)
		return r;
	cand->w.st = netstate_new();
	if (!cand->w.st)
		return error_set(err, -ENOMEM, "out of memory");
	r = nl_observe(s, cand->w.st, NL_OBSERVE_LINKS, err);
	if (r < 0)
		return error_prefix(err, "namespace '%s'", name);
	lo = netstate_link_by_name(cand->w.st, "lo");
	owner = lo ? owner_of_alias(lo->alias) : NULL;
	if (owner && name_netns_check(owner, NULL) == 0) {
		cand->w.marked = true;
		snprintf(cand->w.owner, sizeof(cand->w.owner), "%s", owner);
	}
	if (!relevant(cand, topo, want))
		return 0;
	*ret_relevant = true;
	/* Of a namespace the plan can only delete (down), links and id are all it needs. */
	if (want && topology_ns_find(want, name)) {
		r = nl_observe(s, cand->w.st, NL_OBSERVE_ADDRS | NL_OBSERVE_ROUTES, err);
		if (r < 0)
			return error_prefix(err, "namespace '%s'", name);
	}
	return nl_netns_id(host, cand->fd, &cand->nsid, err);
}

struct nsid_index {
	int nsid;
	size_t k;
};

static int cmp_nsid(const void *x, const void *y)
{
	const struct nsid_index *a = x, *b = y;

	return (a->nsid > b->nsid) - (a->nsid < b->nsid);
}

/*
 * Host links name their peer by (namespace id, ifindex): found through the
 * candidates sorted by id. The peer is told of its host end at once, so
 * resolve_ns need not search the host for it.
 */
static int resolve_host(struct world *w, struct candidate *cands, size_t n, struct error *err)
{
	_cleanup_free_ struct nsid_index *ids = calloc(n ? n : 1, sizeof(*ids));

	if (!ids)
		return error_set(err, -ENOMEM, "out of memory");
	for (size_t k = 0; k < n; k++)
		ids[k] = (struct nsid_index){cands[k].nsid, k};
	qsort(ids, n, sizeof(*ids), cmp_nsid);
	for (size_t i = 0; i < w->host->n_links; i++) {
		struct ns_link *l = &w->host->links[i];
		struct nsid_index key = {.nsid = l->link_nsid}, *id;
		struct candidate *cand;
		struct ns_link *p;

		if (!l->link || l->link_nsid < 0)
			continue;
		id = bsearch(&key, ids, n, sizeof(*ids), cmp_nsid);
		if (!id)
			continue;
		cand = &cands[id->k];
		p = (struct ns_link *)netstate_link_by_index(cand->w.st, l->link);
		if (!p)
			continue;
		snprintf(l->peer_name, sizeof(l->peer_name), "%s", p->name);
		snprintf(l->peer_netns, sizeof(l->peer_netns), "%s", cand->w.name);
		l->peer_resolved = true;
		/* Its peer on the host names it back. */
		if (p->link && p->link_nsid >= 0 && !p->peer_resolved) {
			snprintf(p->peer_name, sizeof(p->peer_name), "%s", l->name);
			p->peer_in_host = true;
			p->peer_resolved = true;
		}
	}
	return 0;
}

static void resolve_local(struct netstate *st, const char *self)
{
	for (size_t i = 0; i < st->n_links; i++) {
		struct ns_link *l = &st->links[i];
		const struct ns_link *p;

		if (!l->link || l->link_nsid >= 0)
			continue;
		p = netstate_link_by_index(st, l->link);
		if (!p)
			continue;
		snprintf(l->peer_name, sizeof(l->peer_name), "%s", p->name);
		snprintf(l->peer_netns, sizeof(l->peer_netns), "%s", self);
		l->peer_in_host = !self[0];
		l->peer_resolved = true;
	}
}

static int resolve_ns(struct nsctx *c, struct world *w, const struct candidate *cands, size_t n,
		      size_t self, struct error *err)
{
	struct netstate *st = cands[self].w.st;
	const char *name = cands[self].w.name;

	resolve_local(st, name);
	for (size_t i = 0; i < st->n_links; i++) {
		struct ns_link *l = &st->links[i];

		/* Peers on the host were found by resolve_host. */
		if (!l->link || l->link_nsid < 0 || l->peer_resolved)
			continue;
		for (size_t k = 0; k < n && !l->peer_resolved; k++) {
			struct nl_sock *s;
			const struct ns_link *p;
			int id, r;

			if (k == self)
				continue;
			r = nsctx_get(c, name, &s, NULL, err);
			if (r >= 0)
				r = nl_netns_id(s, cands[k].fd, &id, err);
			if (r < 0)
				return r;
			if (id != l->link_nsid)
				continue;
			p = netstate_link_by_index(cands[k].w.st, l->link);
			if (p) {
				snprintf(l->peer_name, sizeof(l->peer_name), "%s", p->name);
				snprintf(l->peer_netns, sizeof(l->peer_netns), "%s", cands[k].w.name);
				l->peer_resolved = true;
			}
		}
	}
	return 0;
}

static int observe_firewall(struct world *w, const char *topo, struct error *err)
{
	char table[OWNER_ALIAS_MAX + 8];
	int r;

	owner_table(topo, table, sizeof(table));
	r = nft_table_comment(OWNER_TABLE_FAMILY, table, w->fw_comment, sizeof(w->fw_comment),
			      err);
	if (r == -ENOENT) {
		w->fw_exists = false;
		return 0;
	}
	if (r < 0)
		return r;
	w->fw_exists = true;
	return 0;
}

int world_observe(struct nsctx *c, const char *topo, const struct topology *want,
		  const struct world_claims *claims, struct world **ret, struct error *err)
{
	_cleanup_(world_freep) struct world *w = calloc(1, sizeof(struct world));
	_cleanup_free_ struct netns_entry *entries = NULL;
	_cleanup_free_ struct candidate *cands = NULL;
	struct nl_sock *host;
	size_t n_entries, n = 0;
	int r;

	if (!w)
		return error_set(err, -ENOMEM, "out of memory");
	w->host = netstate_new();
	if (!w->host)
		return error_set(err, -ENOMEM, "out of memory");
	for (size_t i = 0; claims && i < claims->n; i++)
		world_claims_add(&w->claims, claims->names[i]);
	r = nsctx_get(c, "", &host, NULL, err);
	if (r >= 0)
		r = nl_observe(host, w->host,
			       NL_OBSERVE_LINKS | NL_OBSERVE_ADDRS | NL_OBSERVE_ROUTES, err);
	/* Not probed: observe_ns opens each entry anyway, and refuses what is no namespace. */
	if (r >= 0)
		r = netns_list_names(&entries, &n_entries, err);
	if (r < 0)
		return r;
	cands = calloc(n_entries ? n_entries : 1, sizeof(*cands));
	if (!cands)
		return error_set(err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < n_entries; i++) {
		if (!entries[i].valid)
			continue;
		bool keep;

		r = observe_ns(c, entries[i].name, topo, want, &cands[n], &keep, err);
		if (r == -ENOENT || r == -EEXIST) {
			/* Deleted since we listed it (or half way: unmounted, not yet unlinked). */
			netstate_free(cands[n].w.st);
			nsctx_forget(c, entries[i].name);
			r = 0;
			continue;
		}
		if (r < 0) {
			netstate_free(cands[n].w.st);
			goto out;
		}
		if (!keep) {
			netstate_free(cands[n].w.st);
			nsctx_forget(c, entries[i].name);
			continue;
		}
		n++;
	}
	r = resolve_host(w, cands, n, err);
	for (size_t i = 0; i < n && r >= 0; i++)
		r = resolve_ns(c, w, cands, n, i, err);
	if (r >= 0)
		r = observe_firewall(w, topo, err);
	if (r >= 0)
		r = observe_localnet(w, topo, err);
	w->ip_forward = sysctl_ip_forward_get();
out:
	w->ns = calloc(n ? n : 1, sizeof(*w->ns));
	if (!w->ns) {
		for (size_t i = 0; i < n; i++)
			netstate_free(cands[i].w.st);
		return error_set(err, -ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++)
		w->ns[i] = cands[i].w;
	w->n_ns = n;
	if (r < 0)
		return r;
	*ret = TAKE_PTR(w);
	return 0;
}

static int add_name(char ***v, size_t *n, const char *name)
{
	char **nv;

	for (size_t i = 0; i < *n; i++)
		if (strcmp((*v)[i], name) == 0)
			return 0;
	nv = realloc(*v, (*n + 1) * sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	*v = nv;
	nv[*n] = strdup(name);
	if (!nv[*n])
		return -ENOMEM;
	(*n)++;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int world_topologies(struct nsctx *c, char ***ret, size_t *ret_n, struct error *err)
{
	_cleanup_(netstate_freep) struct netstate *host = netstate_new();
	_cleanup_free_ struct netns_entry *entries = NULL;
	_cleanup_free_ struct nft_table_id *tables = NULL;
	struct nl_sock *s;
	char **v = NULL;
	size_t n = 0, n_entries, n_tables;
	int r;

	if (!host)
		return error_set(err, -ENOMEM, "out of memory");
	r = nsctx_get(c, "", &s, NULL, err);
	if (r >= 0)
		r = nl_observe(s, host, NL_OBSERVE_LINKS, err);
	for (size_t i = 0; r >= 0 && i < host->n_links; i++) {
		const char *o = owner_of_alias(host->links[i].alias);

		if (o && name_netns_check(o, NULL) == 0 && add_name(&v, &n, o) < 0)
			r = error_set(err, -ENOMEM, "out of memory");
	}
	if (r >= 0)
		r = netns_list(&entries, &n_entries, err);
	for (size_t i = 0; r >= 0 && i < n_entries; i++) {
		_cleanup_(netstate_freep) struct netstate *st = netstate_new();
		const struct ns_link *lo;
		const char *o;

		if (!entries[i].valid)
			continue;
		if (!st || nsctx_get(c, entries[i].name, &s, NULL, NULL) < 0 ||
		    nl_observe(s, st, NL_OBSERVE_LINKS, NULL) < 0)
			continue; /* gone meanwhile, or not ours to read */
		lo = netstate_link_by_name(st, "lo");
		o = lo ? owner_of_alias(lo->alias) : NULL;
		if (o && name_netns_check(o, NULL) == 0 && add_name(&v, &n, o) < 0)
			r = error_set(err, -ENOMEM, "out of memory");
		nsctx_forget(c, entries[i].name);
	}
	if (r >= 0)
		r = nft_tables_list(OWNER_TABLE_PREFIX, &tables, &n_tables, err);
	for (size_t i = 0; r >= 0 && i < n_tables; i++) {
		const char *o = tables[i].name + strlen(OWNER_TABLE_PREFIX);

		if (strcmp(tables[i].family, OWNER_TABLE_FAMILY) == 0 &&
		    name_netns_check(o, NULL) == 0 && add_name(&v, &n, o) < 0)
			r = error_set(err, -ENOMEM, "out of memory");
	}
	if (r < 0) {
		for (size_t i = 0; i < n; i++)
			free(v[i]);
		free(v);
		return r;
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_str);
	*ret = v;
	*ret_n = n;
	return 0;
}
