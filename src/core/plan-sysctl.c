// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The sysctls a topology needs, planned like its links: each is a key in a
 * namespace (or the host) with a wanted value, compared with what was read
 * (world.sysctls) and set only when different. Which keys to read is said by
 * plan_sysctl_keys, from the same rules, so the observer reads no more than
 * the planner looks at.
 *
 *   - net.ipv4.ip_forward on the host, on while the topology has a bridge or
 *     a forward (the host routes for its namespaces); left on by down;
 *   - net.ipv4.conf.BRIDGE.route_localnet, on for the bridges a forward's
 *     IPv4 target sits behind (localhost reaches the forward, fw.h), and only
 *     once the table with its guard exists; off before the table changes and
 *     by down before the table goes;
 *   - in a namespace that says `forwarding:`, net.ipv4.ip_forward and
 *     net.ipv6.conf.all.forwarding: it routes for the others;
 *   - router advertisements: net.ipv6.conf.IF.accept_ra = 0 on every link
 *     nsnet configures in a namespace and on every bridge, before it comes
 *     up: nothing nsnet made takes an address or a route from a router
 *     advertisement (a namespace running a router daemon cannot become
 *     everyone's router, nor the host's), and a link that accepts none sends
 *     no router solicitation either. With addr_gen_mode none (nl-link.c) an
 *     IPv4-only link then has no IPv6 at all;
 *   - IPv6 forwarding through the host, for a topology with a bridge that has
 *     an IPv6 address beyond link-local. Not net.ipv6.conf.all.forwarding:
 *     with it on, Linux stops accepting router advertisements on every
 *     interface whose accept_ra is not 2 and drops the default routes they
 *     gave (a host loses its SLAAC route). Linux 6.17 and later forward what
 *     arrives on an interface with net.ipv6.conf.IF.force_forwarding = 1
 *     while it keeps accepting advertisements: set on each such bridge
 *     (what the namespaces send) and on each uplink, a host link that is not
 *     nsnet's with an IPv6 route (replies of masqueraded traffic and port
 *     forwards arrive there). all.force_forwarding is not used: it does not
 *     reach links made later. Older kernels: accept_ra = 2 on each uplink
 *     that accepts advertisements (1), then all.forwarding = 1;
 *   - those settings of the host that are not nsnet's (an uplink's, and
 *     all.forwarding) are noted in the state directory before the first
 *     write (SYSCTL_NOTE_KEEP, with the value found), and put back to the
 *     noted value (SYSCTL_NOTE_DROP) by the `down` or `up` after which no
 *     topology needs IPv6 forwarding: none wants it, and the host carries no
 *     other topology's bridge with an IPv6 address (its mark says whose). A
 *     setting that was already on is not noted, and so never turned off.
 *     The bridges' own go with them.
 *   - net.ipv4.conf.HOST-END.arp_ignore = 8 on the host end of each port of
 *     an OVS bridge: OVS's userspace datapath only listens on the link (an
 *     AF_PACKET socket), so the host's own stack sees every frame too and
 *     would answer a namespace's ARP for the gateway there, racing the
 *     internal port's answer; traffic would then enter the host through the
 *     port, not the bridge (and the isolation rule drop it). Left on the
 *     link; it goes with it.
 */
#include <linux/if.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <sys/socket.h>
#include <string.h>

#include "fw.h"
#include "plan-internal.h"

#define KEY_IP_FORWARD "net/ipv4/ip_forward"
#define KEY_IP6_FORWARD "net/ipv6/conf/all/forwarding"
#define KEY_LOCALNET_DEFAULT "net/ipv4/conf/default/route_localnet"
#define KEY_ALL_FORCE_FORWARDING "net/ipv6/conf/all/force_forwarding"
#define KEY_DEFAULT_ACCEPT_RA "net/ipv6/conf/default/accept_ra" /* -1: no IPv6 here */
#define RA "accept_ra"
#define FF "force_forwarding"

static void key6(const char *ifname, const char *what, char *buf, size_t len)
{
	snprintf(buf, len, "net/ipv6/conf/%s/%s", ifname, what);
}

static bool routed6(const struct inet_prefix *p)
{
	return p->addr.family == AF_INET6 && inet_addr_kind(&p->addr) != INET_KIND_LINK_LOCAL;
}

/* A bridge the host forwards IPv6 for: one with an address beyond link-local. */
static bool bridge_routes6(const struct topology_bridge *br)
{
	for (size_t i = 0; i < br->n_addrs; i++)
		if (routed6(&br->addrs[i].prefix))
			return true;
	return false;
}

static bool topology_routes6(const struct topology *t)
{
	for (size_t i = 0; t && i < t->n_bridges; i++)
		if (bridge_routes6(&t->bridges[i]))
			return true;
	return false;
}

static bool link_has_routed6(const struct netstate *host, const struct ns_link *l)
{
	for (size_t i = 0; i < host->n_addrs; i++)
		if (host->addrs[i].ifindex == l->ifindex && routed6(&host->addrs[i].prefix))
			return true;
	return false;
}

/* A link of the host that is not nsnet's (nor loopback): its settings are the host's. */
static bool foreign_link(const struct ns_link *l)
{
	return !(l->flags & IFF_LOOPBACK) && l->group != OWNER_GROUP && !owner_of_alias(l->alias);
}

/* An uplink: a foreign link the host has an IPv6 route through (not link-local only). */
static bool uplink6(const struct netstate *host, const struct ns_link *l)
{
	if (!foreign_link(l))
		return false;
	for (size_t i = 0; i < host->n_routes; i++) {
		const struct ns_route *r = &host->routes[i];

		if (r->oif == l->ifindex && r->dst.addr.family == AF_INET6 &&
		    r->table == RT_TABLE_MAIN && r->type == RTN_UNICAST &&
		    (r->dst.len < 10 || inet_addr_kind(&r->dst.addr) != INET_KIND_LINK_LOCAL))
			return true;
	}
	return false;
}

/*
 * Whether another topology still needs the host to forward IPv6: a bridge of
 * nsnet's (its group, or its mark) that is not ours, with an IPv6 address.
 */
static bool others_route6(const char *topo, const struct netstate *host)
{
	for (size_t i = 0; host && i < host->n_links; i++) {
		const struct ns_link *l = &host->links[i];

		if (strcmp(l->kind, "bridge") == 0 && !owner_alias_is(l->alias, topo) &&
		    (l->group == OWNER_GROUP || owner_of_alias(l->alias)) &&
		    link_has_routed6(host, l))
			return true;
	}
	return false;
}

static bool owns_bridge(const char *topo, const struct netstate *host);
static bool is_owned_bridge(const char *topo, const struct ns_link *l);

/* Whether the host's uplinks matter to this plan: IPv6 wanted, or perhaps to give back. */
static bool uplinks_matter(const char *topo, const struct topology *want,
			   const struct netstate *host)
{
	return topology_routes6(want) || owns_bridge(topo, host);
}

/* Every namespace link the topology configures: its interfaces and undeclared cable ends. */
static void ns_links(const struct topology *t,
		     void (*fn)(const char *ns, const char *ifname, void *data), void *data)
{
	for (size_t i = 0; t && i < t->n_namespaces; i++) {
		const struct topology_ns *ns = &t->namespaces[i];

		for (size_t k = 0; k < ns->n_ifaces; k++) {
			const struct topology_iface *ifc = &ns->ifaces[k];

			fn(ns->name, ifc->name, data);
			if (ifc->link == TOPOLOGY_LINK_PEER && ifc->peer_iface_idx == SIZE_MAX)
				fn(t->namespaces[ifc->peer_ns_idx].name, ifc->peer_iface, data);
		}
	}
}

struct keys_fn {
	void (*fn)(const char *ns, const char *key, void *data);
	void *data;
};

static void ns_link_key(const char *ns, const char *ifname, void *data)
{
	const struct keys_fn *k = data;
	char key[WORLD_SYSCTL_KEY_MAX];

	key6(ifname, RA, key, sizeof(key));
	k->fn(ns, key, k->data);
}

/* The keys of IPv6 on the host's bridges and uplinks, and in the namespaces. */
static void keys6(const char *topo, const struct topology *want, const struct netstate *host,
		  void (*fn)(const char *ns, const char *key, void *data), void *data)
{
	struct keys_fn k = {fn, data};
	char key[WORLD_SYSCTL_KEY_MAX];
	bool uplinks = uplinks_matter(topo, want, host); /* once: a host may have 1000 links */

	fn("", KEY_DEFAULT_ACCEPT_RA, data);
	fn("", KEY_ALL_FORCE_FORWARDING, data);
	fn("", KEY_IP6_FORWARD, data);
	for (size_t i = 0; want && i < want->n_bridges; i++) {
		key6(want->bridges[i].name, RA, key, sizeof(key));
		fn("", key, data);
		key6(want->bridges[i].name, FF, key, sizeof(key));
		fn("", key, data);
	}
	for (size_t i = 0; host && i < host->n_links; i++) {
		const struct ns_link *l = &host->links[i];

		if (!is_owned_bridge(topo, l) && !(uplinks && foreign_link(l)))
			continue;
		key6(l->name, FF, key, sizeof(key));
		fn("", key, data);
		key6(l->name, RA, key, sizeof(key));
		fn("", key, data);
	}
	ns_links(want, ns_link_key, &k);
}

static void localnet_key(const char *bridge, char *buf, size_t len)
{
	snprintf(buf, len, "net/ipv4/conf/%s/route_localnet", bridge);
}

/* The host ends of the ports of OVS bridges, one by one (*i, *k start at 0); NULL: no more. */
static const char *next_ovs_port(const struct topology *t, size_t *i, size_t *k)
{
	for (; t && *i < t->n_namespaces; (*i)++, *k = 0)
		while (*k < t->namespaces[*i].n_ifaces) {
			const struct topology_iface *ifc = &t->namespaces[*i].ifaces[(*k)++];

			if (ifc->link == TOPOLOGY_LINK_BRIDGE &&
			    t->bridges[ifc->bridge_idx].type == TOPOLOGY_BRIDGE_OVS)
				return ifc->host_end;
		}
	return NULL;
}

static void arp_ignore_key(const char *link, char *buf, size_t len)
{
	snprintf(buf, len, "net/ipv4/conf/%s/arp_ignore", link);
}

#define ARP_IGNORE_NEVER 8 /* "do not reply for all local addresses" */

static bool is_owned_bridge(const char *topo, const struct ns_link *l)
{
	return strcmp(l->kind, "bridge") == 0 && owner_alias_is(l->alias, topo);
}

void plan_sysctl_keys(const char *topo, const struct topology *want, const struct netstate *host,
		      void (*fn)(const char *ns, const char *key, void *data), void *data)
{
	char key[WORLD_SYSCTL_KEY_MAX];
	const char *port;

	fn("", KEY_IP_FORWARD, data);
	fn("", KEY_LOCALNET_DEFAULT, data);
	keys6(topo, want, host, fn, data);
	for (size_t i = 0; want && i < want->n_bridges; i++) {
		localnet_key(want->bridges[i].name, key, sizeof(key));
		fn("", key, data);
	}
	for (size_t i = 0; host && i < host->n_links; i++)
		if (is_owned_bridge(topo, &host->links[i])) {
			localnet_key(host->links[i].name, key, sizeof(key));
			fn("", key, data);
		}
	for (size_t i = 0, k = 0; (port = next_ovs_port(want, &i, &k));) {
		arp_ignore_key(port, key, sizeof(key));
		fn("", key, data);
	}
	for (size_t i = 0; want && i < want->n_namespaces; i++) {
		const struct topology_ns *ns = &want->namespaces[i];

		if (ns->forwarding_set) {
			fn(ns->name, KEY_IP_FORWARD, data);
			fn(ns->name, KEY_IP6_FORWARD, data);
		}
		/* The routers others route through, for doctor: do they forward? */
		for (size_t k = 0; k < ns->n_routes; k++) {
			const struct topology_route *rt = &ns->routes[k];
			const struct topology_ns *r =
				rt->has_via ? topology_ns_with_addr(want, &rt->via) : NULL;

			if (r && r != ns)
				fn(r->name, rt->via.family == AF_INET6 ? KEY_IP6_FORWARD : KEY_IP_FORWARD,
				   data);
		}
	}
}

static void emit_noted(struct builder *b, enum phase ph, const char *ns, const char *key, int value,
		       enum sysctl_note note)
{
	struct action a = plan_act(ACT_SYSCTL, ns, NULL);

	snprintf(a.key, sizeof(a.key), "%s", key);
	a.value = value;
	a.note = note;
	plan_emit(b, ph, &a);
}

static void emit(struct builder *b, enum phase ph, const char *ns, const char *key, int value)
{
	emit_noted(b, ph, ns, key, value, SYSCTL_NOTE_NONE);
}

static bool owns_bridge(const char *topo, const struct netstate *host)
{
	for (size_t i = 0; host && i < host->n_links; i++)
		if (is_owned_bridge(topo, &host->links[i]))
			return true;
	return false;
}

/*
 * A setting of a link in place ns wanted at value: written unless the link
 * is there (not deleted by this plan) and has it already. A link being made
 * has the kernel's default. A key that cannot be read (-1) does not exist.
 */
static void want_link(struct builder *b, enum phase ph, const char *ns, const char *ifname,
		      const char *what, int value)
{
	const struct netstate *st = plan_place(b, ns);
	char key[WORLD_SYSCTL_KEY_MAX];
	int now = -2;

	key6(ifname, what, key, sizeof(key));
	if (st && netstate_link_by_name(st, ifname) && !plan_is_deleted(b, ns, ifname))
		now = world_sysctl_get(b->have, ns, key);
	if (now != -1 && now != value)
		emit(b, ph, ns, key, value);
}

static void ns_link_ra(const char *ns, const char *ifname, void *data)
{
	want_link(data, PH_ADDR, ns, ifname, RA, 0);
}

/* No router advertisement taken by anything nsnet made; before the links come up. */
static void plan_ra(struct builder *b)
{
	if (!b->want || world_sysctl_get(b->have, "", KEY_DEFAULT_ACCEPT_RA) < 0)
		return;
	/* An OVS bridge's link is the internal port ovs-vswitchd makes: there once applied. */
	for (size_t i = 0; i < b->want->n_bridges; i++)
		want_link(b, b->want->bridges[i].type == TOPOLOGY_BRIDGE_OVS ? PH_OVS_APPLIED : PH_ADDR,
			  "", b->want->bridges[i].name, RA, 0);
	ns_links(b->want, ns_link_ra, b);
}

/*
 * The host forwards what the bridges and uplinks receive, keeping RAs
 * accepted: force_forwarding, or on older kernels accept_ra = 2 on every
 * foreign link that takes RAs, then all.forwarding.
 */
static void plan_forward6_on(struct builder *b)
{
	const struct netstate *host = b->have->host;
	bool per_link = world_sysctl_get(b->have, "", KEY_ALL_FORCE_FORWARDING) >= 0;
	char key[WORLD_SYSCTL_KEY_MAX];

	for (size_t i = 0; per_link && i < b->want->n_bridges; i++)
		if (bridge_routes6(&b->want->bridges[i]))
			want_link(b, PH_SYSCTL, "", b->want->bridges[i].name, FF, 1);
	for (size_t i = 0; host && i < host->n_links; i++) {
		const struct ns_link *l = &host->links[i];

		if (per_link && uplink6(host, l)) {
			key6(l->name, FF, key, sizeof(key));
			if (world_sysctl_get(b->have, "", key) == 0)
				emit_noted(b, PH_SYSCTL, "", key, 1, SYSCTL_NOTE_KEEP);
		} else if (!per_link && foreign_link(l)) {
			key6(l->name, RA, key, sizeof(key));
			if (world_sysctl_get(b->have, "", key) == 1)
				emit_noted(b, PH_SYSCTL, "", key, 2, SYSCTL_NOTE_KEEP);
		}
	}
	/* Last: once every link that takes RAs takes them while forwarding. */
	if (!per_link && world_sysctl_get(b->have, "", KEY_IP6_FORWARD) == 0)
		emit_noted(b, PH_SYSCTL, "", KEY_IP6_FORWARD, 1, SYSCTL_NOTE_KEEP);
}

/*
 * Nobody needs IPv6 forwarding: what was noted goes back, all.forwarding
 * first (with it still on, an uplink's accept_ra = 1 would take no RA).
 */
static void plan_forward6_off(struct builder *b)
{
	const struct world *h = b->have;
	int old = world_sysctl_noted(h, "", KEY_IP6_FORWARD);

	if (old >= 0 && world_sysctl_get(h, "", KEY_IP6_FORWARD) != old)
		emit_noted(b, PH_SYSCTL, "", KEY_IP6_FORWARD, old, SYSCTL_NOTE_DROP);
	for (size_t i = 0; i < h->n_sysctls; i++) {
		const struct world_sysctl *s = &h->sysctls[i];

		if (s->ns[0] || s->noted < 0 || s->value < 0 || s->value == s->noted ||
		    strcmp(s->key, KEY_IP6_FORWARD) == 0)
			continue;
		emit_noted(b, PH_SYSCTL, "", s->key, s->noted, SYSCTL_NOTE_DROP);
	}
}

static void plan_forward6(struct builder *b)
{
	if (world_sysctl_get(b->have, "", KEY_DEFAULT_ACCEPT_RA) < 0)
		return; /* no IPv6 in this kernel */
	if (topology_routes6(b->want))
		plan_forward6_on(b);
	else if (!others_route6(b->topo, b->have->host))
		plan_forward6_off(b);
}

void plan_sysctl_forwarding6(const struct topology *want, const struct world *have,
			     void (*fn)(const char *ifname, const char *key, void *data), void *data)
{
	const struct netstate *host = have->host;
	char key[WORLD_SYSCTL_KEY_MAX];

	if (!topology_routes6(want) || world_sysctl_get(have, "", KEY_DEFAULT_ACCEPT_RA) < 0)
		return;
	if (world_sysctl_get(have, "", KEY_ALL_FORCE_FORWARDING) < 0) {
		fn("all", KEY_IP6_FORWARD, data);
		return;
	}
	for (size_t i = 0; i < want->n_bridges; i++)
		if (bridge_routes6(&want->bridges[i])) {
			key6(want->bridges[i].name, FF, key, sizeof(key));
			fn(want->bridges[i].name, key, data);
		}
	for (size_t i = 0; host && i < host->n_links; i++)
		if (uplink6(host, &host->links[i])) {
			key6(host->links[i].name, FF, key, sizeof(key));
			fn(host->links[i].name, key, data);
		}
}

void plan_sysctl_restore_link(struct builder *b, struct action *owner, const char *ns,
			      const struct ns_link *l)
{
	char key[WORLD_SYSCTL_KEY_MAX];
	struct action a;
	int ff;

	if (l->has_accept_ra) {
		a = plan_act(ACT_SYSCTL, ns, NULL);
		key6(l->name, RA, a.key, sizeof(a.key));
		a.value = l->accept_ra;
		plan_add_restore(b, owner, &a);
	}
	key6(l->name, FF, key, sizeof(key));
	if (!ns[0] && (ff = world_sysctl_get(b->have, "", key)) >= 0) {
		a = plan_act(ACT_SYSCTL, ns, NULL);
		snprintf(a.key, sizeof(a.key), "%s", key);
		a.value = ff;
		plan_add_restore(b, owner, &a);
	}
}

/*
 * route_localnet of our bridges: on where a forward's target sits behind the
 * bridge, off elsewhere. On only once the table with its guard is in place,
 * off before the table changes; `down` turns it off before it deletes the
 * table, as the bridges outlive it by a few steps.
 */
static void plan_localnet(struct builder *b)
{
	const struct world *h = b->have;
	const struct netstate *host = h->host;
	char key[WORLD_SYSCTL_KEY_MAX];

	if (!b->want) {
		for (size_t i = 0; host && i < host->n_links; i++) {
			if (!is_owned_bridge(b->topo, &host->links[i]))
				continue;
			localnet_key(host->links[i].name, key, sizeof(key));
			if (world_sysctl_get(h, "", key) == 1)
				emit(b, PH_SYSCTL, "", key, 0);
		}
		return;
	}
	for (size_t i = 0; i < b->want->n_bridges; i++) {
		const struct topology_bridge *br = &b->want->bridges[i];
		bool need = fw_bridge_localnet(b->want, br);
		int now;

		localnet_key(br->name, key, sizeof(key));
		now = world_sysctl_get(h, "", key);
		/* Made by this plan: it starts with the default. */
		if (now < 0 || plan_is_deleted(b, "", br->name))
			now = world_sysctl_get(h, "", KEY_LOCALNET_DEFAULT);
		if (need && now != 1)
			emit(b, PH_SYSCTL_LATE, "", key, 1);
		else if (!need && now == 1)
			emit(b, PH_SYSCTL, "", key, 0);
	}
}

/* A router namespace forwards both families; a new namespace starts with both off. */
static void plan_ns_forwarding(struct builder *b)
{
	static const char *const keys[] = {KEY_IP_FORWARD, KEY_IP6_FORWARD};

	for (size_t i = 0; b->want && i < b->want->n_namespaces; i++) {
		const struct topology_ns *ns = &b->want->namespaces[i];
		bool exists = world_ns_find(b->have, ns->name) != NULL;

		if (!ns->forwarding_set)
			continue;
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			int now = exists ? world_sysctl_get(b->have, ns->name, keys[k]) : 0;

			/* -1: not there at all (IPv6 off in this kernel): nothing to set. */
			if (now >= 0 && now != ns->forwarding)
				emit(b, PH_SYSCTL, ns->name, keys[k], ns->forwarding);
		}
	}
}

/*
 * The host ends of OVS ports answer no ARP (see the top); one made by this
 * plan starts at 0. Before the links go up: an answer from the wrong link
 * would stay in a namespace's neighbour table.
 */
static void plan_arp_ignore(struct builder *b)
{
	char key[WORLD_SYSCTL_KEY_MAX];
	const char *port;
	size_t i = 0, k = 0;

	while ((port = next_ovs_port(b->want, &i, &k))) {
		arp_ignore_key(port, key, sizeof(key));
		if (plan_is_deleted(b, "", port) ||
		    world_sysctl_get(b->have, "", key) != ARP_IGNORE_NEVER)
			emit(b, PH_SET, "", key, ARP_IGNORE_NEVER);
	}
}

void plan_sysctls(struct builder *b)
{
	const struct topology *t = b->want;

	plan_arp_ignore(b);
	if (t && (t->n_bridges || t->n_forwards) && world_sysctl_get(b->have, "", KEY_IP_FORWARD) != 1)
		emit(b, PH_SYSCTL, "", KEY_IP_FORWARD, 1);
	plan_localnet(b);
	plan_ns_forwarding(b);
	plan_ra(b);
	plan_forward6(b);
}
