// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reading the kernel. Every named namespace is looked at once: its links
 * first (lo's mark says who owns it), then, if the caller wants it, its
 * addresses, routes or neighbours. veth peers are reported by the kernel as
 * (namespace id, ifindex) with ids local to the asking namespace: host links
 * are resolved through the ids the host gives each namespace, namespace links
 * through the host side when their peer is there, else by asking that
 * namespace for the id of each candidate. The planner's world and `show` are
 * both made this way.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/owner.h"
#include "core/plan.h"
#include "netns.h"
#include "nft.h"
#include "observe.h"
#include "ovs.h"
#include "rtnl.h"
#include "sysctl.h"
#include "vxlan.h"

struct candidate {
	struct world_ns w;
	int nsid; /* as the host sees it */
	int fd;
};

/*
 * What a reader wants of a namespace whose links (and owner) are known: 0
 * skips it, otherwise NL_OBSERVE_LINKS plus whatever else to read.
 */
typedef unsigned (*observe_choose_fn)(const struct world_ns *ns, void *data);

struct namespaces {
	struct candidate *v;
	size_t n;
};

static void namespaces_clear(struct namespaces *ns)
{
	for (size_t i = 0; i < ns->n; i++)
		netstate_free(ns->v[i].w.st);
	free(ns->v);
	ns->v = NULL;
	ns->n = 0;
}

/* Reads one namespace into cand; *ret_keep false: the reader does not want it. */
static int observe_ns(struct nsctx *c, const char *name, observe_choose_fn choose, void *data,
		      struct candidate *cand, bool *ret_keep, struct error *err)
{
	struct nl_sock *s, *host;
	const struct ns_link *lo;
	const char *owner;
	unsigned more;
	int r;

	memset(cand, 0, sizeof(*cand));
	*ret_keep = false;
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
	more = choose(&cand->w, data);
	if (!more)
		return 0;
	*ret_keep = true;
	more &= ~(unsigned)NL_OBSERVE_LINKS;
	if (more) {
		r = nl_observe(s, cand->w.st, more, err);
		if (r < 0)
			return error_prefix(err, "namespace '%s'", name);
	}
	return nl_netns_id(host, cand->fd, &cand->nsid, err);
}

/* Every named namespace choose wants, sorted by name (as /run/netns lists them). */
static int observe_namespaces(struct nsctx *c, observe_choose_fn choose, void *data,
			      struct namespaces *ret, struct error *err)
{
	_cleanup_free_ struct netns_entry *entries = NULL;
	struct namespaces ns = {0};
	size_t n_entries;
	int r;

	/* Not probed: observe_ns opens each entry anyway, and refuses what is no namespace. */
	r = netns_list_names(&entries, &n_entries, err);
	if (r < 0)
		return r;
	ns.v = calloc(n_entries ? n_entries : 1, sizeof(*ns.v));
	if (!ns.v)
		return error_set(err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < n_entries; i++) {
		bool keep;

		if (!entries[i].valid)
			continue;
		r = observe_ns(c, entries[i].name, choose, data, &ns.v[ns.n], &keep, err);
		if (r == -ENOENT || r == -EEXIST) {
			/* Deleted since we listed it (or half way: unmounted, not yet unlinked). */
			keep = false;
			r = 0;
		}
		if (r < 0) {
			netstate_free(ns.v[ns.n].w.st);
			namespaces_clear(&ns);
			return r;
		}
		if (!keep) {
			netstate_free(ns.v[ns.n].w.st);
			nsctx_forget(c, entries[i].name);
			continue;
		}
		ns.n++;
	}
	*ret = ns;
	return 0;
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

static void peer_set(struct ns_link *l, const char *name, const char *netns, bool in_host)
{
	snprintf(l->peer_name, sizeof(l->peer_name), "%s", name);
	snprintf(l->peer_netns, sizeof(l->peer_netns), "%s", netns);
	l->peer_in_host = in_host;
	l->peer_resolved = true;
}

/*
 * Host links name their peer by (namespace id, ifindex): found through the
 * candidates sorted by id. The peer is told of its host end at once, so
 * resolve_ns need not search the host for it.
 */
static int resolve_host(struct netstate *host, struct namespaces *ns, struct error *err)
{
	_cleanup_free_ struct nsid_index *ids = calloc(ns->n ? ns->n : 1, sizeof(*ids));

	if (!ids)
		return error_set(err, -ENOMEM, "out of memory");
	for (size_t k = 0; k < ns->n; k++)
		ids[k] = (struct nsid_index){ns->v[k].nsid, k};
	qsort(ids, ns->n, sizeof(*ids), cmp_nsid);
	for (size_t i = 0; i < host->n_links; i++) {
		struct ns_link *l = &host->links[i];
		struct nsid_index key = {.nsid = l->link_nsid}, *id;
		struct candidate *cand;
		struct ns_link *p;

		if (!l->link || l->link_nsid < 0)
			continue;
		id = bsearch(&key, ids, ns->n, sizeof(*ids), cmp_nsid);
		if (!id)
			continue;
		cand = &ns->v[id->k];
		p = (struct ns_link *)netstate_link_by_index(cand->w.st, l->link);
		if (!p)
			continue;
		peer_set(l, p->name, cand->w.name, false);
		/* Its peer on the host names it back. */
		if (p->link && p->link_nsid >= 0 && !p->peer_resolved)
			peer_set(p, l->name, "", true);
	}
	return 0;
}

/* Peers in the same namespace (a veth with both ends here). */
static void resolve_local(struct netstate *st, const char *self)
{
	for (size_t i = 0; i < st->n_links; i++) {
		struct ns_link *l = &st->links[i];
		const struct ns_link *p;

		if (!l->link || l->link_nsid >= 0)
			continue;
		p = netstate_link_by_index(st, l->link);
		if (p)
			peer_set(l, p->name, self, !self[0]);
	}
}

/* The peers of candidate self that are in other named namespaces. */
static int resolve_ns(struct nsctx *c, const struct namespaces *ns, size_t self,
		      struct error *err)
{
	struct netstate *st = ns->v[self].w.st;
	const char *name = ns->v[self].w.name;

	resolve_local(st, name);
	for (size_t i = 0; i < st->n_links; i++) {
		struct ns_link *l = &st->links[i];

		/* Peers on the host were found by resolve_host. */
		if (!l->link || l->link_nsid < 0 || l->peer_resolved)
			continue;
		for (size_t k = 0; k < ns->n && !l->peer_resolved; k++) {
			const struct ns_link *p;
			struct nl_sock *s;
			int id, r;

			if (k == self)
				continue;
			r = nsctx_get(c, name, &s, NULL, err);
			if (r >= 0)
				r = nl_netns_id(s, ns->v[k].fd, &id, err);
			if (r < 0)
				return r;
			if (id != l->link_nsid)
				continue;
			p = netstate_link_by_index(ns->v[k].w.st, l->link);
			if (p)
				peer_set(l, p->name, ns->v[k].w.name, false);
		}
	}
	return 0;
}

static int observe_host(struct nsctx *c, unsigned what, struct netstate **ret, struct error *err)
{
	_cleanup_(netstate_freep) struct netstate *st = netstate_new();
	struct nl_sock *host;
	int r;

	if (!st)
		return error_set(err, -ENOMEM, "out of memory");
	r = nsctx_get(c, "", &host, NULL, err);
	if (r >= 0)
		r = nl_observe(host, st, what, err);
	if (r < 0)
		return r;
	*ret = TAKE_PTR(st);
	return 0;
}

static int observe_firewall(struct world *w, const char *topo, struct error *err)
{
	char table[OWNER_ALIAS_MAX + 8];
	int r;

	owner_table(topo, table, sizeof(table));
	r = nft_table_comment(OWNER_TABLE_FAMILY, table, w->fw_comment, sizeof(w->fw_comment),
			      err);
	w->fw_exists = r >= 0;
	return r == -ENOENT ? 0 : r;
}

struct sysctl_reader {
	struct nsctx *c;
	struct world *w;
	int r;
};

/*
 * net/ipv6/conf/IFNAME/accept_ra as the link dump of that place told it: one
 * key per namespace interface, read without opening a file for each.
 */
static bool sysctl_from_links(const struct netstate *st, const char *key, int *ret)
{
	static const char pre[] = "net/ipv6/conf/", post[] = "/accept_ra";
	size_t n = strlen(key), lp = sizeof(pre) - 1, lq = sizeof(post) - 1;
	char name[IFNAME_MAX + 1];
	const struct ns_link *l;

	if (n <= lp + lq || n - lp - lq > IFNAME_MAX || strncmp(key, pre, lp) != 0 ||
	    strcmp(key + n - lq, post) != 0)
		return false;
	memcpy(name, key + lp, n - lp - lq);
	name[n - lp - lq] = '\0';
	l = st ? netstate_link_by_name(st, name) : NULL;
	if (!l || !l->has_accept_ra)
		return false;
	*ret = l->accept_ra;
	return true;
}

/* One key the planner looks at, read where it lives; a namespace not there yet has none. */
static void read_sysctl(const char *ns, const char *key, void *data)
{
	struct sysctl_reader *rd = data;
	const struct world_ns *wns = ns[0] ? world_ns_find(rd->w, ns) : NULL;
	int fd = -1, home = -1, v;
	struct nl_sock *s;

	if (rd->r < 0 || (ns[0] && !wns))
		return;
	if (!sysctl_from_links(ns[0] ? wns->st : rd->w->host, key, &v)) {
		if (ns[0] && (nsctx_get(rd->c, ns, &s, &fd, NULL) < 0 ||
			      nsctx_get(rd->c, "", &s, &home, NULL) < 0))
			return;
		v = sysctl_get_at(fd, home, key);
	}
	if (world_sysctl_set(rd->w, ns, key, v) < 0)
		rd->r = -ENOMEM;
}

static int observe_sysctls(struct nsctx *c, struct world *w, const char *topo,
			   const struct topology *want, struct error *err)
{
	struct sysctl_reader rd = {c, w, 0};

	plan_sysctl_keys(topo, want, w->host, read_sysctl, &rd);
	return rd.r < 0 ? error_set(err, -ENOMEM, "out of memory") : 0;
}

struct topology_choice {
	const char *topo;
	const struct topology *want;
};

/* A topology's own namespaces; those it wants in full, the others (it can only delete). */
static unsigned choose_topology(const struct world_ns *ns, void *data)
{
	const struct topology_choice *tc = data;

	if (tc->want && topology_ns_find(tc->want, ns->name))
		return NL_OBSERVE_LINKS | NL_OBSERVE_ADDRS | NL_OBSERVE_ROUTES;
	return ns->marked && strcmp(ns->owner, tc->topo) == 0 ? NL_OBSERVE_LINKS : 0;
}

int world_observe(struct nsctx *c, const char *topo, const struct topology *want,
		  const struct world_claims *claims, struct world **ret, struct error *err)
{
	_cleanup_(world_freep) struct world *w = calloc(1, sizeof(struct world));
	struct topology_choice tc = {topo, want};
	struct namespaces ns = {0};
	int r;

	if (!w)
		return error_set(err, -ENOMEM, "out of memory");
	for (size_t i = 0; claims && i < claims->n; i++)
		world_claims_add(&w->claims, claims->names[i]);
	r = observe_host(c, NL_OBSERVE_LINKS | NL_OBSERVE_ADDRS | NL_OBSERVE_ROUTES, &w->host,
			 err);
	if (r >= 0)
		r = observe_namespaces(c, choose_topology, &tc, &ns, err);
	if (r < 0)
		return r;
	r = resolve_host(w->host, &ns, err);
	for (size_t i = 0; i < ns.n && r >= 0; i++)
		r = resolve_ns(c, &ns, i, err);
	if (r >= 0)
		r = observe_firewall(w, topo, err);
	if (r >= 0)
		r = vxlan_observe(c, w, topo, want, err);
	w->ip_forward = sysctl_get(SYSCTL_IP_FORWARD);
	w->ns = calloc(ns.n ? ns.n : 1, sizeof(*w->ns));
	if (!w->ns) {
		namespaces_clear(&ns);
		return error_set(err, -ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < ns.n; i++)
		w->ns[i] = ns.v[i].w;
	w->n_ns = ns.n;
	free(ns.v);
	if (r >= 0)
		r = observe_sysctls(c, w, topo, want, err);
	if (r >= 0)
		r = ovs_observe(c, topo, want, w, err);
	if (r < 0)
		return r;
	*ret = TAKE_PTR(w);
	return 0;
}

/* Every namespace by its links (peers may be anywhere); the one shown in full. */
static unsigned choose_show(const struct world_ns *ns, void *data)
{
	const char *shown = data;

	return strcmp(ns->name, shown) == 0 ? NL_OBSERVE_ALL : NL_OBSERVE_LINKS;
}

int observe_show(struct nsctx *c, const char *ns, struct netstate **ret, struct error *err)
{
	_cleanup_(netstate_freep) struct netstate *host = NULL;
	struct namespaces all = {0};
	size_t self = SIZE_MAX;
	int r;

	if (ns[0]) {
		struct nl_sock *s;

		/* Opened first, so a missing or foreign entry gets its own error. */
		r = nsctx_get(c, ns, &s, NULL, err);
		if (r < 0)
			return r;
	}
	r = observe_host(c, ns[0] ? NL_OBSERVE_LINKS : NL_OBSERVE_ALL, &host, err);
	if (r >= 0)
		r = observe_namespaces(c, choose_show, (void *)ns, &all, err);
	if (r < 0)
		return r;
	for (size_t i = 0; i < all.n; i++)
		if (strcmp(all.v[i].w.name, ns) == 0)
			self = i;
	r = resolve_host(host, &all, err);
	if (r >= 0 && !ns[0])
		resolve_local(host, "");
	if (r >= 0 && self != SIZE_MAX)
		r = resolve_ns(c, &all, self, err);
	if (r >= 0 && ns[0] && self == SIZE_MAX)
		r = error_set(err, -ENOENT, "namespace '%s' does not exist", ns);
	if (r >= 0 && ns[0]) {
		*ret = all.v[self].w.st;
		all.v[self].w.st = NULL;
	} else if (r >= 0) {
		*ret = TAKE_PTR(host);
	}
	namespaces_clear(&all);
	return r;
}
