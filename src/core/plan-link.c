// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The planner's links, addresses and routes (see plan.c for the phases).
 * A veth pair is kept only when both ends are ours and each other's peer;
 * otherwise whatever of ours holds the names is deleted, with what it takes
 * to put it back recorded for a rollback, and the pair is made anew.
 */
#include <errno.h>
#include <linux/if.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan-internal.h"

static bool link_local6(const struct inet_prefix *p)
{
	return p->addr.family == AF_INET6 && p->addr.bytes[0] == 0xfe &&
	       (p->addr.bytes[1] & 0xc0) == 0x80;
}

/*
 * Whether link l has an IPv6 address, link-local ones included: a link made
 * without IPv6 has none, so one put back by a rollback is made without it too.
 */
static bool has_ipv6(const struct netstate *st, const struct ns_link *l)
{
	for (size_t i = 0; st && l && i < st->n_addrs; i++)
		if (st->addrs[i].ifindex == l->ifindex &&
		    st->addrs[i].prefix.addr.family == AF_INET6)
			return true;
	return false;
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
		a = plan_act(ACT_ROUTE_ADD, ns, NULL);
		a.route.dst = r->dst;
		a.route.gateway = r->gateway;
		snprintf(a.route.dev, sizeof(a.route.dev), "%s", l->name);
		plan_add_restore(b, owner, &a);
	}
}

/*
 * The per-interface sysctls observed for link name in ns (keys
 * "net/FAMILY/conf/NAME/..."), to put back on the link a rollback re-creates:
 * a new link starts from the defaults.
 */
static void restore_sysctls(struct builder *b, struct action *owner, const char *ns,
			    const char *name)
{
	char mid[IFNAME_MAX + 16];

	snprintf(mid, sizeof(mid), "/conf/%s/", name);
	for (size_t i = 0; i < b->have->n_sysctls; i++) {
		const struct world_sysctl *w = &b->have->sysctls[i];
		struct action a;

		if (strcmp(w->ns, ns) != 0 || w->value < 0 || !strstr(w->key, mid))
			continue;
		a = plan_act(ACT_SYSCTL, ns, NULL);
		snprintf(a.key, sizeof(a.key), "%s", w->key);
		a.value = w->value;
		plan_add_restore(b, owner, &a);
	}
}

/* Addresses, master, up and routes of an existing link, to rebuild it after a delete. */
static void restore_link_config(struct builder *b, struct action *owner, const char *ns,
				const struct netstate *st, const struct ns_link *l)
{
	struct action a;

	plan_sysctl_restore_link(b, owner, ns, l);
	if (l->master) {
		const struct ns_link *m = netstate_link_by_index(st, l->master);

		/* ovs-system: the kernel datapath's, which OVS puts its ports under itself. */
		if (m && strcmp(m->kind, "openvswitch") != 0) {
			a = plan_act(ACT_LINK_MASTER, ns, l->name);
			snprintf(a.master, sizeof(a.master), "%s", m->name);
			plan_add_restore(b, owner, &a);
		}
	}
	for (size_t i = 0; i < st->n_addrs; i++) {
		if (st->addrs[i].ifindex != l->ifindex || link_local6(&st->addrs[i].prefix))
			continue;
		a = plan_act(ACT_ADDR_ADD, ns, l->name);
		a.prefix = st->addrs[i].prefix;
		plan_add_restore(b, owner, &a);
	}
	if (l->flags & IFF_UP) {
		a = plan_act(ACT_LINK_UP, ns, l->name);
		plan_add_restore(b, owner, &a);
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
	const struct netstate *st = plan_place(b, ns);
	struct action d = plan_act(ACT_LINK_DEL, ns, l->name), r;

	if (plan_is_deleted(b, ns, l->name))
		return;
	d.recreate = recreate;
	plan_mark_deleted(b, ns, l->name);
	if (!b->want) {
		/*
		 * down: nothing is rolled back, so no restore list; and the links
		 * go after the namespaces, when the bridges have lost their ports.
		 */
		if (strcmp(l->kind, "veth") == 0 && l->peer_resolved)
			plan_mark_deleted(b, l->peer_in_host ? "" : l->peer_netns, l->peer_name);
		plan_emit(b, PH_LATE_DEL, &d);
		return;
	}
	if (strcmp(l->kind, "veth") == 0 && l->peer_resolved) {
		const char *pns = l->peer_in_host ? "" : l->peer_netns;
		const struct netstate *pst = plan_place(b, pns);
		const struct ns_link *p = pst ? netstate_link_by_name(pst, l->peer_name) : NULL;

		plan_mark_deleted(b, pns, l->peer_name);
		r = plan_act(ACT_VETH_ADD, ns, l->name);
		snprintf(r.peer_ns, sizeof(r.peer_ns), "%s", pns);
		snprintf(r.peer, sizeof(r.peer), "%s", l->peer_name);
		snprintf(r.alias, sizeof(r.alias), "%s", b->alias); /* owned: ours */
		r.mtu = l->mtu;
		r.no_ipv6 = !has_ipv6(st, l);
		set_mac(&r, l, false);
		if (p) {
			r.peer_mtu = p->mtu;
			r.peer_no_ipv6 = !has_ipv6(pst, p);
			set_mac(&r, p, true);
		}
		plan_add_restore(b, &d, &r);
		restore_link_config(b, &d, ns, st, l);
		if (p)
			restore_link_config(b, &d, pns, pst, p);
	} else if (strcmp(l->kind, "bridge") == 0) {
		r = plan_act(ACT_BRIDGE_ADD, ns, l->name);
		snprintf(r.alias, sizeof(r.alias), "%s", b->alias); /* owned: ours */
		r.mtu = l->mtu;
		r.no_ipv6 = !has_ipv6(st, l);
		set_mac(&r, l, false);
		plan_add_restore(b, &d, &r);
		restore_link_config(b, &d, ns, st, l);
		restore_sysctls(b, &d, ns, l->name);
		/* Its ports that stay are put back on it; plan_ports_settle drops the others. */
		for (size_t i = 0; i < st->n_links; i++) {
			if (st->links[i].master != l->ifindex)
				continue;
			r = plan_act(ACT_LINK_MASTER, ns, st->links[i].name);
			snprintf(r.master, sizeof(r.master), "%s", l->name);
			plan_add_restore(b, &d, &r);
		}
		plan_emit(b, PH_DEL_MASTER, &d);
		return;
	} else if (strcmp(l->kind, "vxlan") == 0) {
		plan_vxlan_restore(b, &d, l); /* the device and its FDB entries */
		restore_link_config(b, &d, ns, st, l);
	}
	plan_emit(b, PH_DEL, &d);
}

/* Addresses of a link: add what is wanted and missing, remove what is ours and unwanted. */
static void converge_addrs(struct builder *b, const char *ns, const char *name,
			   const struct ns_link *l, const struct topology_addr *want, size_t n)
{
	const struct netstate *st = plan_place(b, ns);
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
		a = plan_act(ACT_ADDR_ADD, ns, name);
		a.prefix = want[i].prefix;
		plan_emit(b, PH_ADDR, &a);
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
		a = plan_act(ACT_ADDR_DEL, ns, name);
		a.prefix = st->addrs[k].prefix;
		plan_emit(b, PH_ADDR, &a);
	}
}

/* MTU, MAC, master and up of a link that stays; l NULL: a link being created. */
static void converge_link(struct builder *b, const char *ns, const char *name,
			  const struct ns_link *l, unsigned mtu, const uint8_t *mac,
			  const char *master)
{
	const struct netstate *st = plan_place(b, ns);
	struct action a, r;

	if (l && mtu && l->mtu != mtu) {
		a = plan_act(ACT_LINK_MTU, ns, name);
		a.mtu = mtu;
		r = plan_act(ACT_LINK_MTU, ns, name);
		r.mtu = l->mtu;
		plan_add_restore(b, &a, &r);
		plan_emit(b, PH_SET, &a);
	}
	if (l && mac && (l->mac_len != MAC_LEN || memcmp(l->mac, mac, MAC_LEN) != 0)) {
		a = plan_act(ACT_LINK_MAC, ns, name);
		a.has_mac = true;
		memcpy(a.mac, mac, MAC_LEN);
		r = plan_act(ACT_LINK_MAC, ns, name);
		set_mac(&r, l, false);
		if (r.has_mac)
			plan_add_restore(b, &a, &r);
		plan_emit(b, PH_SET, &a);
	}
	if (master) {
		const struct ns_link *m = l && l->master ? netstate_link_by_index(st, l->master) : NULL;

		if (!m || strcmp(m->name, master) != 0) {
			a = plan_act(ACT_LINK_MASTER, ns, name);
			snprintf(a.master, sizeof(a.master), "%s", master);
			r = plan_act(ACT_LINK_MASTER, ns, name);
			snprintf(r.master, sizeof(r.master), "%s", m ? m->name : "");
			if (l)
				plan_add_restore(b, &a, &r);
			plan_emit(b, PH_SET, &a);
		}
	}
	if (!l || !(l->flags & IFF_UP)) {
		a = plan_act(ACT_LINK_UP, ns, name);
		plan_emit(b, PH_UP, &a);
	}
}

/* The existing link at ns:name, or NULL; a foreign one is a conflict (returned in *r). */
static const struct ns_link *existing(struct builder *b, const char *ns, const char *name, int *r)
{
	const struct netstate *st = plan_place(b, ns);
	const struct ns_link *l = st ? netstate_link_by_name(st, name) : NULL;

	*r = 0;
	if (!l || plan_is_deleted(b, ns, name))
		return NULL;
	if (!plan_owned_at(b, ns, l)) {
		*r = plan_conflict(b, ns, l);
		return NULL;
	}
	if (plan_unmarked_nsnet(l)) {
		delete_link(b, ns, l, true);
		return NULL;
	}
	return l;
}

/* Whether a link gets an IPv6 address: the others are made without IPv6 (see apply). */
static bool wants_ipv6(const struct topology_addr *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].prefix.addr.family == AF_INET6)
			return true;
	return false;
}

static int plan_bridges(struct builder *b)
{
	for (size_t i = 0; i < b->want->n_bridges; i++) {
		const struct topology_bridge *br = &b->want->bridges[i];
		const struct ns_link *l;
		struct action a;
		int r;

		if (br->type == TOPOLOGY_BRIDGE_OVS) {
			r = plan_ovs_bridge(b, br);
			if (r < 0)
				return r;
			continue;
		}
		l = existing(b, "", br->name, &r);
		if (r < 0)
			return r;
		if (l && strcmp(l->kind, "bridge") != 0) {
			/* An OVS bridge's internal port goes with its bridge, removed first. */
			if (plan_ovs_link_goes(b, l))
				plan_mark_deleted(b, "", l->name);
			else
				delete_link(b, "", l, true);
			l = NULL;
		}
		if (!l) {
			a = plan_act(ACT_BRIDGE_ADD, "", br->name);
			a.mtu = plan_bridge_mtu(b, i);
			a.no_ipv6 = !wants_ipv6(br->addrs, br->n_addrs);
			snprintf(a.alias, sizeof(a.alias), "%s", b->alias);
			plan_emit(b, PH_CREATE, &a);
			/*
			 * The kernel takes a bridge's MTU from creation as a default:
			 * the first port to join replaces it. Set again once the ports
			 * are on it, it is the user's and stays.
			 */
			if (br->mtu) {
				a = plan_act(ACT_LINK_MTU, "", br->name);
				a.mtu = br->mtu;
				plan_emit(b, PH_ADDR, &a);
			}
		}
		converge_link(b, "", br->name, l, plan_bridge_mtu(b, i), NULL, NULL);
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
struct pair_end {
	const char *ns, *name;
	unsigned mtu;
	const uint8_t *mac; /* NULL: the kernel's */
	bool ipv6;	    /* it gets an IPv6 address */
};

static int plan_pair(struct builder *b, const struct pair_end *e1, const struct pair_end *e2,
		     const struct ns_link **l1, const struct ns_link **l2)
{
	const char *ns1 = e1->ns, *n1 = e1->name, *ns2 = e2->ns, *n2 = e2->name;
	const uint8_t *mac1 = e1->mac, *mac2 = e2->mac;
	unsigned mtu1 = e1->mtu, mtu2 = e2->mtu;
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
	if (*l2 && !plan_is_deleted(b, ns2, n2))
		delete_link(b, ns2, *l2, true);
	*l1 = *l2 = NULL;
	a = plan_act(ACT_VETH_ADD, ns1, n1);
	snprintf(a.peer_ns, sizeof(a.peer_ns), "%s", ns2);
	snprintf(a.peer, sizeof(a.peer), "%s", n2);
	snprintf(a.alias, sizeof(a.alias), "%s", b->alias);
	a.mtu = mtu1;
	a.peer_mtu = mtu2;
	a.no_ipv6 = !e1->ipv6;
	a.peer_no_ipv6 = !e2->ipv6;
	if (mac1) {
		a.has_mac = true;
		memcpy(a.mac, mac1, MAC_LEN);
	}
	if (mac2) {
		a.peer_has_mac = true;
		memcpy(a.peer_mac, mac2, MAC_LEN);
	}
	plan_emit(b, PH_CREATE, &a);
	return 0;
}

static int plan_iface(struct builder *b, const struct topology_ns *ns,
		      const struct topology_iface *ifc)
{
	const uint8_t *mac = ifc->has_mac ? ifc->mac : NULL;
	const struct ns_link *l1, *l2;
	int r;

	if (ifc->link == TOPOLOGY_LINK_BRIDGE) {
		/*
		 * The host end takes the interface's MTU (a smaller one would drop
		 * frames); a bridge port, it has an address of neither family.
		 */
		unsigned mtu = plan_iface_mtu(b, ifc);
		struct pair_end host = {"", ifc->host_end, mtu, NULL, false};
		struct pair_end inside = {ns->name, ifc->name, mtu, mac,
					  wants_ipv6(ifc->addrs, ifc->n_addrs)};

		const char *master = ifc->bridge;

		r = plan_pair(b, &host, &inside, &l1, &l2);
		if (r < 0)
			return r;
		/* An OVS bridge takes its ports through OVSDB, not as their master. */
		if (b->want->bridges[ifc->bridge_idx].type == TOPOLOGY_BRIDGE_OVS)
			master = plan_ovs_port_master(b, l1);
		converge_link(b, "", ifc->host_end, l1, mtu, NULL, master);
		converge_link(b, ns->name, ifc->name, l2, mtu, mac, NULL);
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
		struct pair_end e1 = {ns->name, ifc->name, ifc->mtu, mac,
				      wants_ipv6(ifc->addrs, ifc->n_addrs)};
		struct pair_end e2 = {pns->name, ifc->peer_iface, p ? p->mtu : 0,
				      p && p->has_mac ? p->mac : NULL,
				      p && wants_ipv6(p->addrs, p->n_addrs)};

		r = plan_pair(b, &e1, &e2, &l1, &l2);
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
	const struct netstate *st = plan_place(b, ns->name);
	struct action a;

	/* Deletions first: a route of the same destination is added only once the old is gone. */
	for (size_t k = 0; st && k < st->n_routes; k++) {
		const struct ns_route *h = &st->routes[k];
		const struct ns_link *dev = netstate_link_by_index(st, h->oif);
		bool wanted = false;

		if (h->protocol != OWNER_RTPROT || h->table != RT_TABLE_MAIN || !dev ||
		    plan_is_deleted(b, ns->name, dev->name))
			continue;
		for (size_t i = 0; i < ns->n_routes && !wanted; i++)
			wanted = route_matches(st, h, &ns->routes[i]);
		if (wanted)
			continue;
		a = plan_act(ACT_ROUTE_DEL, ns->name, NULL);
		a.route.dst = h->dst;
		a.route.gateway = h->gateway;
		snprintf(a.route.dev, sizeof(a.route.dev), "%s", dev->name);
		plan_emit(b, PH_ROUTE, &a);
	}
	for (size_t i = 0; i < ns->n_routes; i++) {
		const struct topology_route *w = &ns->routes[i];
		bool have = false;

		for (size_t k = 0; st && k < st->n_routes && !have; k++) {
			const struct ns_route *h = &st->routes[k];
			const struct ns_link *dev = netstate_link_by_index(st, h->oif);

			have = h->protocol == OWNER_RTPROT && h->table == RT_TABLE_MAIN &&
			       dev && !plan_is_deleted(b, ns->name, dev->name) &&
			       route_matches(st, h, w);
		}
		if (have)
			continue;
		a = plan_act(ACT_ROUTE_ADD, ns->name, NULL);
		a.route.dst = w->to;
		if (w->has_via)
			a.route.gateway = w->via;
		snprintf(a.route.dev, sizeof(a.route.dev), "%s", w->dev);
		plan_emit(b, PH_ROUTE, &a);
	}
}

static int cmp_name(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* The host links the topology wants (bridges, host ends), sorted; NULL when out of memory. */
static const char **wanted_host_names(const struct topology *t, size_t *ret_n)
{
	size_t n = 2 * t->n_bridges;
	const char **v;

	for (size_t i = 0; i < t->n_namespaces; i++)
		n += t->namespaces[i].n_ifaces;
	v = malloc((n ? n : 1) * sizeof(*v));
	if (!v)
		return NULL;
	n = 0;
	for (size_t i = 0; i < t->n_bridges; i++) {
		v[n++] = t->bridges[i].name;
		if (t->bridges[i].vxlan)
			v[n++] = t->bridges[i].vxlan->name;
	}
	for (size_t i = 0; i < t->n_namespaces; i++)
		for (size_t k = 0; k < t->namespaces[i].n_ifaces; k++) {
			const struct topology_iface *ifc = &t->namespaces[i].ifaces[k];

			if (ifc->link == TOPOLOGY_LINK_BRIDGE)
				v[n++] = ifc->host_end;
		}
	qsort(v, n, sizeof(*v), cmp_name);
	*ret_n = n;
	return v;
}

static bool wanted_host_link(const char **wanted, size_t n, const char *name)
{
	return wanted && bsearch(&name, wanted, n, sizeof(*wanted), cmp_name);
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

/* Whether the planner deletes the namespace ns (ours, and not wanted). */
static bool ns_going(const struct builder *b, const char *ns)
{
	const struct world_ns *w = ns[0] ? world_ns_find(b->have, ns) : NULL;

	return w && w->marked && strcmp(w->owner, b->topo) == 0 &&
	       !(b->want && topology_ns_find(b->want, ns));
}

/*
 * A host end whose peer lives in a namespace being deleted goes with it: the
 * kernel removes both ends when it frees the namespace, all namespaces in one
 * batch, where deleting the links one by one waits for RCU each time (~25 ms).
 * The plan only waits for it to be gone, so its name is free when we return.
 */
static void host_link_gone(struct builder *b, const struct ns_link *l)
{
	struct action a = plan_act(ACT_LINK_GONE, "", l->name);

	plan_mark_deleted(b, "", l->name);
	plan_mark_deleted(b, l->peer_netns, l->peer_name);
	snprintf(a.peer_ns, sizeof(a.peer_ns), "%s", l->peer_netns);
	snprintf(a.peer, sizeof(a.peer), "%s", l->peer_name);
	a.value = l->ifindex;
	plan_emit(b, PH_GONE, &a);
}

/* Links of ours that the topology no longer wants, on the host and in kept namespaces. */
static int plan_unwanted_links(struct builder *b)
{
	const struct netstate *host = b->have->host;
	_cleanup_free_ const char **wanted = NULL;
	size_t n_wanted = 0;

	if (b->want && !(wanted = wanted_host_names(b->want, &n_wanted)))
		return error_set(b->err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < host->n_links; i++) {
		const struct ns_link *l = &host->links[i];

		if (!plan_owned_at(b, "", l) || wanted_host_link(wanted, n_wanted, l->name) ||
		    plan_ovs_link_goes(b, l))
			continue;
		if (strcmp(l->kind, "veth") == 0 && l->peer_resolved && !l->peer_in_host &&
		    ns_going(b, l->peer_netns))
			host_link_gone(b, l);
		else
			delete_link(b, "", l, false);
	}
	for (size_t n = 0; b->want && n < b->have->n_ns; n++) {
		const struct world_ns *w = &b->have->ns[n];

		if (!w->marked || strcmp(w->owner, b->topo) != 0 ||
		    !topology_ns_find(b->want, w->name))
			continue;
		for (size_t i = 0; i < w->st->n_links; i++) {
			const struct ns_link *l = &w->st->links[i];

			if (strcmp(l->name, "lo") != 0 && plan_owned_at(b, w->name, l) &&
			    !wanted_ns_link(b, w->name, l->name))
				delete_link(b, w->name, l, false);
		}
	}
	return 0;
}

/*
 * A deleted bridge's restore list puts its ports back on it, but a port this
 * plan deletes too comes back by its own restore, after the bridge (ports are
 * deleted first, so rolled back last) and attached by it: dropped here, once
 * every deletion is known, or the rollback would fail attaching a port that
 * is not there yet.
 */
static void plan_ports_settle(struct builder *b)
{
	for (size_t i = 0; i < b->n[PH_DEL_MASTER]; i++) {
		struct action *d = &b->ph[PH_DEL_MASTER][i];
		size_t n = 0;

		for (size_t k = 0; k < d->n_restore; k++) {
			struct action *r = &d->restore[k];

			if (r->type == ACT_LINK_MASTER && strcmp(r->name, d->name) != 0 &&
			    plan_is_deleted(b, r->ns, r->name)) {
				action_clear(r);
				continue;
			}
			d->restore[n++] = *r;
		}
		d->n_restore = n;
	}
}

int plan_links(struct builder *b)
{
	int r;

	/* Deletions of unwanted links first: they may free names wanted below. */
	r = plan_unwanted_links(b);
	if (r < 0 || !b->want)
		return r;
	r = plan_vxlan_prepare(b);
	if (r >= 0)
		r = plan_bridges(b);
	if (r >= 0)
		r = plan_vxlans(b);
	for (size_t i = 0; r >= 0 && i < b->want->n_namespaces; i++) {
		const struct topology_ns *ns = &b->want->namespaces[i];

		for (size_t k = 0; r >= 0 && k < ns->n_ifaces; k++)
			r = plan_iface(b, ns, &ns->ifaces[k]);
	}
	for (size_t i = 0; r >= 0 && i < b->want->n_namespaces; i++)
		plan_routes(b, &b->want->namespaces[i]);
	plan_ports_settle(b);
	return r;
}

const struct ns_link *plan_link_existing(struct builder *b, const char *ns, const char *name,
					 int *r)
{
	return existing(b, ns, name, r);
}

void plan_link_delete(struct builder *b, const char *ns, const struct ns_link *l, bool recreate)
{
	delete_link(b, ns, l, recreate);
}

void plan_link_converge(struct builder *b, const char *ns, const char *name,
			const struct ns_link *l, unsigned mtu, const uint8_t *mac,
			const char *master)
{
	converge_link(b, ns, name, l, mtu, mac, master);
}

void plan_link_addrs(struct builder *b, const char *ns, const char *name, const struct ns_link *l,
		     const struct topology_addr *want, size_t n)
{
	converge_addrs(b, ns, name, l, want, n);
}

void plan_link_restore(struct builder *b, struct action *owner, const char *ns,
		       const struct netstate *st, const struct ns_link *l)
{
	restore_link_config(b, owner, ns, st, l);
}

bool plan_wants_ipv6(const struct topology_addr *v, size_t n)
{
	return wants_ipv6(v, n);
}

bool plan_link_has_ipv6(const struct netstate *st, const struct ns_link *l)
{
	return has_ipv6(st, l);
}
