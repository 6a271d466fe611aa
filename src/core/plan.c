// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The planner: want (a topology) against have (struct world) -> actions.
 *
 * Actions are collected per phase and concatenated, so the order is fixed by
 * kind, not by discovery: namespaces first (everything lives in them), then
 * deletions (they free names a creation may need: the tutorial's cable
 * veth-red becomes a bridge port of the same name), creations, changes in
 * place, addresses, links up, routes, forwarding, the firewall, and last the
 * deletion of whole namespaces, which cannot be undone and so runs only when
 * everything else succeeded.
 *
 * Only objects carrying the topology's mark are ever changed or deleted; a
 * wanted name held by anything else is a conflict, reported, never taken.
 */
#include <errno.h>
#include <linux/if.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw.h"
#include "plan.h"

enum phase {
	PH_NS_ADD,
	PH_DEL,
	PH_CREATE,
	PH_SET,
	PH_ADDR,
	PH_UP,
	PH_ROUTE,
	PH_SYSCTL,
	PH_FW,
	PH_NS_DEL,
	PH_COUNT,
};

struct deleted {
	char ns[NETNS_NAME_MAX + 1];
	char name[IFNAME_MAX + 1];
};

struct builder {
	const char *topo;
	const struct topology *want;
	const struct world *have;
	char alias[OWNER_ALIAS_MAX];
	struct action *ph[PH_COUNT];
	size_t n[PH_COUNT];
	struct deleted *del;
	size_t n_del;
	bool oom;
	struct error *err;
};

void action_clear(struct action *a)
{
	for (size_t i = 0; i < a->n_restore; i++)
		action_clear(&a->restore[i]);
	free(a->restore);
	free(a->script);
	a->restore = NULL;
	a->n_restore = 0;
	a->script = NULL;
}

struct action *plan_append(struct action **v, size_t *n, const struct action *a)
{
	struct action *nv = realloc(*v, (*n + 1) * sizeof(**v));
	struct action *dst;

	if (!nv)
		return NULL;
	*v = nv;
	dst = &nv[*n];
	*dst = *a;
	dst->restore = NULL;
	dst->n_restore = 0;
	dst->script = NULL;
	if (a->script && !(dst->script = strdup(a->script)))
		return NULL;
	for (size_t i = 0; i < a->n_restore; i++)
		if (!plan_append(&dst->restore, &dst->n_restore, &a->restore[i])) {
			action_clear(dst);
			return NULL;
		}
	(*n)++;
	return dst;
}

void plan_free(struct plan *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++)
		action_clear(&p->v[i]);
	free(p->v);
	free(p);
}

void world_claims_add(struct world_claims *c, const char *name)
{
	char (*nv)[IFNAME_MAX + 1];

	if (world_claims_has(c, name))
		return;
	nv = realloc(c->names, (c->n + 1) * sizeof(*nv));
	if (!nv)
		return; /* unclaimed: at worst a conflict is reported, nothing is lost */
	c->names = nv;
	snprintf(nv[c->n], sizeof(nv[c->n]), "%s", name);
	c->n++;
}

bool world_claims_has(const struct world_claims *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->names[i], name) == 0)
			return true;
	return false;
}

void world_claims_clear(struct world_claims *c)
{
	free(c->names);
	c->names = NULL;
	c->n = 0;
}

void world_free(struct world *w)
{
	if (!w)
		return;
	world_claims_clear(&w->claims);
	netstate_free(w->host);
	for (size_t i = 0; i < w->n_ns; i++)
		netstate_free(w->ns[i].st);
	free(w->ns);
	free(w);
}

struct world_ns *world_ns_find(const struct world *w, const char *name)
{
	for (size_t i = 0; i < w->n_ns; i++)
		if (strcmp(w->ns[i].name, name) == 0)
			return &w->ns[i];
	return NULL;
}

/* Adds a to phase ph; a's script and restore list are moved, not copied. */
static struct action *emit(struct builder *b, enum phase ph, struct action *a)
{
	struct action *dst;

	dst = plan_append(&b->ph[ph], &b->n[ph], a);
	action_clear(a);
	if (!dst)
		b->oom = true;
	return dst;
}

static struct action act(enum action_type type, const char *ns, const char *name)
{
	struct action a = {.type = type};

	snprintf(a.ns, sizeof(a.ns), "%s", ns ? ns : "");
	snprintf(a.name, sizeof(a.name), "%s", name ? name : "");
	return a;
}

static void add_restore(struct builder *b, struct action *owner, struct action *r)
{
	if (!plan_append(&owner->restore, &owner->n_restore, r))
		b->oom = true;
	action_clear(r);
}

/* The state of a place: "" the host, else a namespace; NULL if it does not exist. */
static const struct netstate *place(const struct builder *b, const char *ns)
{
	const struct world_ns *w;

	if (!ns[0])
		return b->have->host;
	w = world_ns_find(b->have, ns);
	return w ? w->st : NULL;
}

static bool unmarked_nsnet(const struct ns_link *l)
{
	return l->group == OWNER_GROUP && !l->alias[0];
}

/*
 * Ours: carries our mark, or was made by nsnet (its group) and lost its run
 * before the mark was set. Unmarked, a link inside a namespace is ours when
 * the namespace is (we only look into ours); on the host, only when our
 * journal says we were creating it: another topology may be creating it now.
 * An unmarked link of ours is only ever recreated.
 */
static bool owned_at(const struct builder *b, const char *ns, const struct ns_link *l)
{
	if (owner_alias_is(l->alias, b->topo))
		return true;
	if (!unmarked_nsnet(l))
		return false;
	return ns[0] || world_claims_has(&b->have->claims, l->name);
}

static bool is_deleted(const struct builder *b, const char *ns, const char *name)
{
	for (size_t i = 0; i < b->n_del; i++)
		if (strcmp(b->del[i].ns, ns) == 0 && strcmp(b->del[i].name, name) == 0)
			return true;
	return false;
}

static void mark_deleted(struct builder *b, const char *ns, const char *name)
{
	struct deleted *nd = realloc(b->del, (b->n_del + 1) * sizeof(*nd));

	if (!nd) {
		b->oom = true;
		return;
	}
	b->del = nd;
	snprintf(nd[b->n_del].ns, sizeof(nd->ns), "%s", ns);
	snprintf(nd[b->n_del].name, sizeof(nd->name), "%s", name);
	b->n_del++;
}

static const char *where(const char *ns, char *buf, size_t len)
{
	if (!ns[0])
		return "on the host";
	snprintf(buf, len, "in '%s'", ns);
	return buf;
}

static int conflict(struct builder *b, const char *ns, const struct ns_link *l)
{
	const char *other = owner_of_alias(l->alias);
	char w[NETNS_NAME_MAX + 8];

	if (other)
		return error_set(b->err, -EEXIST,
				 "link '%s' %s belongs to topology '%s', not '%s'; refusing to "
				 "take it over",
				 l->name, where(ns, w, sizeof(w)), other, b->topo);
	return error_set(b->err, -EEXIST,
			 "link '%s' %s exists and is not nsnet's; refusing to touch it (remove "
			 "it, or choose another name in the topology)",
			 l->name, where(ns, w, sizeof(w)));
}

static bool link_local6(const struct inet_prefix *p)
{
	return p->addr.family == AF_INET6 && p->addr.bytes[0] == 0xfe &&
	       (p->addr.bytes[1] & 0xc0) == 0x80;
}

/* The owned routes of place ns that go through ifindex. */
static void restore_routes(struct builder *b, struct action *owner, const char *ns,
			   const struct netstate *st, const struct ns_link *l)
{
	for (size_t i = 0; i < st->n_routes; i++) {
		const struct ns_route *r = &st->routes[i];
		struct action a;

		if (r->protocol != OWNER_RTPROT || r->oif != l->ifindex ||
		    r->table != RT_TABLE_MAIN)
			continue;
		a = act(ACT_ROUTE_ADD, ns, NULL);
		a.route.dst = r->dst;
		a.route.gateway = r->gateway;
		snprintf(a.route.dev, sizeof(a.route.dev), "%s", l->name);
		add_restore(b, owner, &a);
	}
}

/* Addresses, master, up and routes of an existing link, to rebuild it after a delete. */
static void restore_link_config(struct builder *b, struct action *owner, const char *ns,
				const struct netstate *st, const struct ns_link *l)
{
	struct action a;

	if (l->master) {
		const struct ns_link *m = netstate_link_by_index(st, l->master);

		if (m) {
			a = act(ACT_LINK_MASTER, ns, l->name);
			snprintf(a.master, sizeof(a.master), "%s", m->name);
			add_restore(b, owner, &a);
		}
	}
	for (size_t i = 0; i < st->n_addrs; i++) {
		if (st->addrs[i].ifindex != l->ifindex || link_local6(&st->addrs[i].prefix))
			continue;
		a = act(ACT_ADDR_ADD, ns, l->name);
		a.prefix = st->addrs[i].prefix;
		add_restore(b, owner, &a);
	}
	if (l->flags & IFF_UP) {
		a = act(ACT_LINK_UP, ns, l->name);
		add_restore(b, owner, &a);
	}
	restore_routes(b, owner, ns, st, l);
}

static void set_mac(struct action *a, const struct ns_link *l, bool peer)
{
	if (l->mac_len != MAC_LEN)
		return;
	if (peer) {
		a->peer_has_mac = true;
		memcpy(a->peer_mac, l->mac, MAC_LEN);
	} else {
		a->has_mac = true;
		memcpy(a->mac, l->mac, MAC_LEN);
	}
}

/*
 * Deletes an owned link (and, for a veth, its peer), recording how to put both
 * back: a rollback must return the kernel to where it was.
 */
static void delete_link(struct builder *b, const char *ns, const struct ns_link *l, bool recreate)
{
	const struct netstate *st = place(b, ns);
	struct action d = act(ACT_LINK_DEL, ns, l->name), r;

	if (is_deleted(b, ns, l->name))
		return;
	d.recreate = recreate;
	mark_deleted(b, ns, l->name);
	if (strcmp(l->kind, "veth") == 0 && l->peer_resolved) {
		const char *pns = l->peer_in_host ? "" : l->peer_netns;
		const struct netstate *pst = place(b, pns);
		const struct ns_link *p = pst ? netstate_link_by_name(pst, l->peer_name) : NULL;

		mark_deleted(b, pns, l->peer_name);
		r = act(ACT_VETH_ADD, ns, l->name);
		snprintf(r.peer_ns, sizeof(r.peer_ns), "%s", pns);
		snprintf(r.peer, sizeof(r.peer), "%s", l->peer_name);
		snprintf(r.alias, sizeof(r.alias), "%s", b->alias); /* owned: ours */
		r.mtu = l->mtu;
		set_mac(&r, l, false);
		if (p) {
			r.peer_mtu = p->mtu;
			set_mac(&r, p, true);
		}
		add_restore(b, &d, &r);
		restore_link_config(b, &d, ns, st, l);
		if (p)
			restore_link_config(b, &d, pns, pst, p);
	} else if (strcmp(l->kind, "bridge") == 0) {
		r = act(ACT_BRIDGE_ADD, ns, l->name);
		snprintf(r.alias, sizeof(r.alias), "%s", b->alias); /* owned: ours */
		r.mtu = l->mtu;
		set_mac(&r, l, false);
		add_restore(b, &d, &r);
		restore_link_config(b, &d, ns, st, l);
		for (size_t i = 0; i < st->n_links; i++) {
			if (st->links[i].master != l->ifindex)
				continue;
			r = act(ACT_LINK_MASTER, ns, st->links[i].name);
			snprintf(r.master, sizeof(r.master), "%s", l->name);
			add_restore(b, &d, &r);
		}
	}
	emit(b, PH_DEL, &d);
}

/* Addresses of a link: add what is wanted and missing, remove what is ours and unwanted. */
static void converge_addrs(struct builder *b, const char *ns, const char *name,
			   const struct ns_link *l, const struct topology_addr *want, size_t n)
{
	const struct netstate *st = place(b, ns);
	struct action a;

	for (size_t i = 0; i < n; i++) {
		bool have = false;

		for (size_t k = 0; l && k < st->n_addrs; k++)
			have = have || (st->addrs[k].ifindex == l->ifindex &&
					inet_addr_equal(&st->addrs[k].prefix.addr,
							&want[i].prefix.addr) &&
					st->addrs[k].prefix.len == want[i].prefix.len);
		if (have)
			continue;
		a = act(ACT_ADDR_ADD, ns, name);
		a.prefix = want[i].prefix;
		emit(b, PH_ADDR, &a);
	}
	for (size_t k = 0; l && k < st->n_addrs; k++) {
		bool wanted = false;

		if (st->addrs[k].ifindex != l->ifindex || link_local6(&st->addrs[k].prefix))
			continue;
		for (size_t i = 0; i < n; i++)
			wanted = wanted ||
				 (inet_addr_equal(&st->addrs[k].prefix.addr, &want[i].prefix.addr) &&
				  st->addrs[k].prefix.len == want[i].prefix.len);
		if (wanted)
			continue;
		a = act(ACT_ADDR_DEL, ns, name);
		a.prefix = st->addrs[k].prefix;
		emit(b, PH_ADDR, &a);
	}
}

/* MTU, MAC, master and up of a link that stays; l NULL: a link being created. */
static void converge_link(struct builder *b, const char *ns, const char *name,
			  const struct ns_link *l, unsigned mtu, const uint8_t *mac,
			  const char *master)
{
	const struct netstate *st = place(b, ns);
	struct action a, r;

	if (l && mtu && l->mtu != mtu) {
		a = act(ACT_LINK_MTU, ns, name);
		a.mtu = mtu;
		r = act(ACT_LINK_MTU, ns, name);
		r.mtu = l->mtu;
		add_restore(b, &a, &r);
		emit(b, PH_SET, &a);
	}
	if (l && mac && (l->mac_len != MAC_LEN || memcmp(l->mac, mac, MAC_LEN) != 0)) {
		a = act(ACT_LINK_MAC, ns, name);
		a.has_mac = true;
		memcpy(a.mac, mac, MAC_LEN);
		r = act(ACT_LINK_MAC, ns, name);
		set_mac(&r, l, false);
		if (r.has_mac)
			add_restore(b, &a, &r);
		emit(b, PH_SET, &a);
	}
	if (master) {
		const struct ns_link *m = l && l->master ? netstate_link_by_index(st, l->master) : NULL;

		if (!m || strcmp(m->name, master) != 0) {
			a = act(ACT_LINK_MASTER, ns, name);
			snprintf(a.master, sizeof(a.master), "%s", master);
			r = act(ACT_LINK_MASTER, ns, name);
			snprintf(r.master, sizeof(r.master), "%s", m ? m->name : "");
			if (l)
				add_restore(b, &a, &r);
			emit(b, PH_SET, &a);
		}
	}
	if (!l || !(l->flags & IFF_UP)) {
		a = act(ACT_LINK_UP, ns, name);
		emit(b, PH_UP, &a);
	}
}

/* The existing link at ns:name, or NULL; a foreign one is a conflict (returned in *r). */
static const struct ns_link *existing(struct builder *b, const char *ns, const char *name, int *r)
{
	const struct netstate *st = place(b, ns);
	const struct ns_link *l = st ? netstate_link_by_name(st, name) : NULL;

	*r = 0;
	if (!l || is_deleted(b, ns, name))
		return NULL;
	if (!owned_at(b, ns, l)) {
		*r = conflict(b, ns, l);
		return NULL;
	}
	if (unmarked_nsnet(l)) {
		delete_link(b, ns, l, true);
		return NULL;
	}
	return l;
}

static int plan_bridges(struct builder *b)
{
	for (size_t i = 0; i < b->want->n_bridges; i++) {
		const struct topology_bridge *br = &b->want->bridges[i];
		const struct ns_link *l;
		struct action a;
		int r;

		l = existing(b, "", br->name, &r);
		if (r < 0)
			return r;
		if (l && strcmp(l->kind, "bridge") != 0) {
			delete_link(b, "", l, true);
			l = NULL;
		}
		if (!l) {
			a = act(ACT_BRIDGE_ADD, "", br->name);
			a.mtu = br->mtu;
			snprintf(a.alias, sizeof(a.alias), "%s", b->alias);
			emit(b, PH_CREATE, &a);
		}
		converge_link(b, "", br->name, l, br->mtu, NULL, NULL);
		converge_addrs(b, "", br->name, l, br->addrs, br->n_addrs);
	}
	return 0;
}

static bool peers_are(const struct ns_link *l, const char *peer_ns, const char *peer)
{
	if (!l || strcmp(l->kind, "veth") != 0 || !l->peer_resolved ||
	    strcmp(l->peer_name, peer) != 0)
		return false;
	return peer_ns[0] ? strcmp(l->peer_netns, peer_ns) == 0 && !l->peer_in_host
			  : l->peer_in_host;
}

/*
 * One veth pair, ends (ns1:n1, ns2:n2): kept when both ends are ours and each
 * other's peer, else whatever of ours holds the names is deleted and the pair
 * made anew. Returns the kept ends in *l1 and *l2 (NULL when created).
 */
static int plan_pair(struct builder *b, const char *ns1, const char *n1, unsigned mtu1,
		     const uint8_t *mac1, const char *ns2, const char *n2, unsigned mtu2,
		     const uint8_t *mac2, const struct ns_link **l1, const struct ns_link **l2)
{
	struct action a;
	int r;

	*l1 = existing(b, ns1, n1, &r);
	if (r < 0)
		return r;
	*l2 = existing(b, ns2, n2, &r);
	if (r < 0)
		return r;
	if (*l1 && *l2 && peers_are(*l1, ns2, n2))
		return 0;
	if (*l1)
		delete_link(b, ns1, *l1, true);
	if (*l2 && !is_deleted(b, ns2, n2))
		delete_link(b, ns2, *l2, true);
	*l1 = *l2 = NULL;
	a = act(ACT_VETH_ADD, ns1, n1);
	snprintf(a.peer_ns, sizeof(a.peer_ns), "%s", ns2);
	snprintf(a.peer, sizeof(a.peer), "%s", n2);
	snprintf(a.alias, sizeof(a.alias), "%s", b->alias);
	a.mtu = mtu1;
	a.peer_mtu = mtu2;
	if (mac1) {
		a.has_mac = true;
		memcpy(a.mac, mac1, MAC_LEN);
	}
	if (mac2) {
		a.peer_has_mac = true;
		memcpy(a.peer_mac, mac2, MAC_LEN);
	}
	emit(b, PH_CREATE, &a);
	return 0;
}

static int plan_iface(struct builder *b, const struct topology_ns *ns,
		      const struct topology_iface *ifc)
{
	const uint8_t *mac = ifc->has_mac ? ifc->mac : NULL;
	const struct ns_link *l1, *l2;
	int r;

	if (ifc->link == TOPOLOGY_LINK_BRIDGE) {
		/* The host end takes the interface's MTU: a smaller one would drop frames. */
		r = plan_pair(b, "", ifc->host_end, ifc->mtu, NULL, ns->name, ifc->name, ifc->mtu,
			      mac, &l1, &l2);
		if (r < 0)
			return r;
		converge_link(b, "", ifc->host_end, l1, ifc->mtu, NULL, ifc->bridge);
		converge_link(b, ns->name, ifc->name, l2, ifc->mtu, mac, NULL);
		converge_addrs(b, ns->name, ifc->name, l2, ifc->addrs, ifc->n_addrs);
		return 0;
	}
	{
		const struct topology_ns *pns = &b->want->namespaces[ifc->peer_ns_idx];
		const struct topology_iface *p = ifc->peer_iface_idx == SIZE_MAX
							 ? NULL
							 : &pns->ifaces[ifc->peer_iface_idx];
		int order = strcmp(ns->name, pns->name);

		/* A cable declared on both sides is made once, from its smaller end. */
		if (p && (order > 0 || (order == 0 && strcmp(ifc->name, p->name) > 0)))
			return 0;
		r = plan_pair(b, ns->name, ifc->name, ifc->mtu, mac, pns->name, ifc->peer_iface,
			      p ? p->mtu : 0, p && p->has_mac ? p->mac : NULL, &l1, &l2);
		if (r < 0)
			return r;
		converge_link(b, ns->name, ifc->name, l1, ifc->mtu, mac, NULL);
		converge_addrs(b, ns->name, ifc->name, l1, ifc->addrs, ifc->n_addrs);
		converge_link(b, pns->name, ifc->peer_iface, l2, p ? p->mtu : 0,
			      p && p->has_mac ? p->mac : NULL, NULL);
		if (p)
			converge_addrs(b, pns->name, p->name, l2, p->addrs, p->n_addrs);
		return 0;
	}
}

static bool route_matches(const struct netstate *st, const struct ns_route *have,
			  const struct topology_route *want)
{
	const struct ns_link *dev;

	if (have->dst.len != want->to.len || !inet_addr_equal(&have->dst.addr, &want->to.addr))
		return false;
	if (want->has_via != (have->gateway.family != 0))
		return false;
	if (want->has_via && !inet_addr_equal(&have->gateway, &want->via))
		return false;
	if (!want->dev[0])
		return true;
	dev = netstate_link_by_index(st, have->oif);
	return dev && strcmp(dev->name, want->dev) == 0;
}

static void plan_routes(struct builder *b, const struct topology_ns *ns)
{
	const struct netstate *st = place(b, ns->name);
	struct action a;

	for (size_t i = 0; i < ns->n_routes; i++) {
		const struct topology_route *w = &ns->routes[i];
		bool have = false;

		for (size_t k = 0; st && k < st->n_routes && !have; k++) {
			const struct ns_route *h = &st->routes[k];
			const struct ns_link *dev = netstate_link_by_index(st, h->oif);

			have = h->protocol == OWNER_RTPROT && h->table == RT_TABLE_MAIN &&
			       dev && !is_deleted(b, ns->name, dev->name) &&
			       route_matches(st, h, w);
		}
		if (have)
			continue;
		a = act(ACT_ROUTE_ADD, ns->name, NULL);
		a.route.dst = w->to;
		if (w->has_via)
			a.route.gateway = w->via;
		snprintf(a.route.dev, sizeof(a.route.dev), "%s", w->dev);
		emit(b, PH_ROUTE, &a);
	}
	for (size_t k = 0; st && k < st->n_routes; k++) {
		const struct ns_route *h = &st->routes[k];
		const struct ns_link *dev = netstate_link_by_index(st, h->oif);
		bool wanted = false;

		if (h->protocol != OWNER_RTPROT || h->table != RT_TABLE_MAIN || !dev ||
		    is_deleted(b, ns->name, dev->name))
			continue;
		for (size_t i = 0; i < ns->n_routes && !wanted; i++)
			wanted = route_matches(st, h, &ns->routes[i]);
		if (wanted)
			continue;
		a = act(ACT_ROUTE_DEL, ns->name, NULL);
		a.route.dst = h->dst;
		a.route.gateway = h->gateway;
		snprintf(a.route.dev, sizeof(a.route.dev), "%s", dev->name);
		emit(b, PH_ROUTE, &a);
	}
}

static int plan_namespaces(struct builder *b)
{
	for (size_t i = 0; b->want && i < b->want->n_namespaces; i++) {
		const char *name = b->want->namespaces[i].name;
		const struct world_ns *w = world_ns_find(b->have, name);
		struct action a;

		if (!w) {
			a = act(ACT_NS_ADD, name, NULL);
			snprintf(a.alias, sizeof(a.alias), "%s", b->alias);
			emit(b, PH_NS_ADD, &a);
			continue;
		}
		if (!w->marked)
			return error_set(b->err, -EEXIST,
					 "namespace '%s' exists and is not nsnet's; refusing to take "
					 "it over (delete it, or choose another name in the topology)",
					 name);
		if (strcmp(w->owner, b->topo) != 0)
			return error_set(b->err, -EEXIST,
					 "namespace '%s' belongs to topology '%s', not '%s'", name,
					 w->owner, b->topo);
		{
			const struct ns_link *lo = netstate_link_by_name(w->st, "lo");

			if (lo && !(lo->flags & IFF_UP)) {
				a = act(ACT_LINK_UP, name, "lo");
				emit(b, PH_UP, &a);
			}
		}
	}
	for (size_t i = 0; i < b->have->n_ns; i++) {
		const struct world_ns *w = &b->have->ns[i];
		struct action a;

		if (!w->marked || strcmp(w->owner, b->topo) != 0 ||
		    (b->want && topology_ns_find(b->want, w->name)))
			continue;
		a = act(ACT_NS_DEL, w->name, NULL);
		emit(b, PH_NS_DEL, &a);
	}
	return 0;
}

static bool wanted_host_link(const struct builder *b, const char *name)
{
	if (!b->want)
		return false;
	if (topology_bridge_find(b->want, name))
		return true;
	for (size_t i = 0; i < b->want->n_namespaces; i++)
		for (size_t k = 0; k < b->want->namespaces[i].n_ifaces; k++) {
			const struct topology_iface *ifc = &b->want->namespaces[i].ifaces[k];

			if (ifc->link == TOPOLOGY_LINK_BRIDGE && strcmp(ifc->host_end, name) == 0)
				return true;
		}
	return false;
}

static bool wanted_ns_link(const struct builder *b, const char *ns, const char *name)
{
	const struct topology_ns *tns = b->want ? topology_ns_find(b->want, ns) : NULL;

	if (!tns)
		return false;
	for (size_t k = 0; k < tns->n_ifaces; k++)
		if (strcmp(tns->ifaces[k].name, name) == 0)
			return true;
	/* The undeclared far end of a cable declared elsewhere. */
	for (size_t i = 0; i < b->want->n_namespaces; i++)
		for (size_t k = 0; k < b->want->namespaces[i].n_ifaces; k++) {
			const struct topology_iface *ifc = &b->want->namespaces[i].ifaces[k];

			if (ifc->link == TOPOLOGY_LINK_PEER && strcmp(ifc->peer_ns, ns) == 0 &&
			    strcmp(ifc->peer_iface, name) == 0)
				return true;
		}
	return false;
}

/* Links of ours that the topology no longer wants, on the host and in kept namespaces. */
static void plan_unwanted_links(struct builder *b)
{
	const struct netstate *host = b->have->host;

	for (size_t i = 0; i < host->n_links; i++)
		if (owned_at(b, "", &host->links[i]) && !wanted_host_link(b, host->links[i].name))
			delete_link(b, "", &host->links[i], false);
	for (size_t n = 0; b->want && n < b->have->n_ns; n++) {
		const struct world_ns *w = &b->have->ns[n];

		if (!w->marked || strcmp(w->owner, b->topo) != 0 ||
		    !topology_ns_find(b->want, w->name))
			continue;
		for (size_t i = 0; i < w->st->n_links; i++) {
			const struct ns_link *l = &w->st->links[i];

			if (strcmp(l->name, "lo") != 0 && owned_at(b, w->name, l) &&
			    !wanted_ns_link(b, w->name, l->name))
				delete_link(b, w->name, l, false);
		}
	}
}

static int plan_firewall(struct builder *b, char hash[FW_HASH_LEN + 1])
{
	char comment[OWNER_ALIAS_MAX + FW_HASH_LEN + 8];
	struct action a;
	char *script = NULL;
	int r;

	hash[0] = '\0';
	if (b->want) {
		r = fw_script_build(b->want, &script, hash, b->err);
		if (r < 0)
			return r;
	}
	if (script) {
		fw_comment(b->topo, hash, comment, sizeof(comment));
		if (b->have->fw_exists && strcmp(b->have->fw_comment, comment) == 0) {
			free(script);
			return 0;
		}
		a = act(ACT_FW_APPLY, NULL, NULL);
		owner_table(b->topo, a.alias, sizeof(a.alias));
		a.script = script;
		emit(b, PH_FW, &a);
	} else if (b->have->fw_exists) {
		a = act(ACT_FW_DEL, NULL, NULL);
		owner_table(b->topo, a.alias, sizeof(a.alias));
		emit(b, PH_FW, &a);
	}
	if (b->want && (b->want->n_bridges || b->want->n_forwards) && b->have->ip_forward != 1) {
		a = act(ACT_FORWARDING, NULL, NULL);
		a.value = 1;
		emit(b, PH_SYSCTL, &a);
	}
	return 0;
}

static int plan_links(struct builder *b)
{
	int r;

	/* Deletions of unwanted links first: they may free names wanted below. */
	plan_unwanted_links(b);
	if (!b->want)
		return 0;
	r = plan_bridges(b);
	for (size_t i = 0; r >= 0 && i < b->want->n_namespaces; i++) {
		const struct topology_ns *ns = &b->want->namespaces[i];

		for (size_t k = 0; r >= 0 && k < ns->n_ifaces; k++)
			r = plan_iface(b, ns, &ns->ifaces[k]);
	}
	for (size_t i = 0; r >= 0 && i < b->want->n_namespaces; i++)
		plan_routes(b, &b->want->namespaces[i]);
	return r;
}

int plan_build(const char *topo, const struct topology *want, const struct world *have,
	       struct plan **ret, struct error *err)
{
	struct builder b = {.topo = topo, .want = want, .have = have, .err = err};
	struct plan *p = calloc(1, sizeof(*p));
	int r;

	if (!p)
		return error_set(err, -ENOMEM, "out of memory");
	snprintf(p->topology, sizeof(p->topology), "%s", topo);
	owner_alias(topo, b.alias, sizeof(b.alias));
	r = plan_namespaces(&b);
	if (r >= 0)
		r = plan_links(&b);
	if (r >= 0)
		r = plan_firewall(&b, p->fw_hash);
	if (r >= 0 && b.oom)
		r = error_set(err, -ENOMEM, "out of memory");
	for (int ph = 0; ph < PH_COUNT; ph++) {
		for (size_t i = 0; i < b.n[ph]; i++) {
			if (r >= 0 && !plan_append(&p->v, &p->n, &b.ph[ph][i]))
				r = error_set(err, -ENOMEM, "out of memory");
			action_clear(&b.ph[ph][i]);
		}
		free(b.ph[ph]);
	}
	free(b.del);
	if (r < 0) {
		plan_free(p);
		return r;
	}
	*ret = p;
	return 0;
}
