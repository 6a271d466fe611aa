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
 *   - net.ipv4.conf.HOST-END.arp_ignore = 8 on the host end of each port of
 *     an OVS bridge: OVS's userspace datapath only listens on the link (an
 *     AF_PACKET socket), so the host's own stack sees every frame too and
 *     would answer a namespace's ARP for the gateway there, racing the
 *     internal port's answer; traffic would then enter the host through the
 *     port, not the bridge (and the isolation rule drop it). Left on the
 *     link; it goes with it.
 */
#include <stdio.h>
#include <sys/socket.h>
#include <string.h>

#include "fw.h"
#include "plan-internal.h"

#define KEY_IP_FORWARD "net/ipv4/ip_forward"
#define KEY_IP6_FORWARD "net/ipv6/conf/all/forwarding"
#define KEY_LOCALNET_DEFAULT "net/ipv4/conf/default/route_localnet"

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

static void emit(struct builder *b, enum phase ph, const char *ns, const char *key, int value)
{
	struct action a = plan_act(ACT_SYSCTL, ns, NULL);

	snprintf(a.key, sizeof(a.key), "%s", key);
	a.value = value;
	plan_emit(b, ph, &a);
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
}
