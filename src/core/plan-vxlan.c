// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The planner's bridges that span hosts (topology.h, struct topology_vxlan):
 * a VXLAN device as a port of the bridge, and one all-zeros FDB entry per
 * remote on it. Flooded frames (broadcast, unknown unicast) are then sent to
 * every remote, one copy each (head-end replication); with learning the
 * device also learns which remote a MAC sits behind.
 *
 * The device is kept while its configuration (VNI, port, local address,
 * underlay device, learning) is the file's; anything else recreates it.
 * Remotes are its FDB entries: adding or removing one adds or deletes an
 * entry and leaves the device alone.
 *
 * MTU: a frame of the segment travels inside an outer IP, UDP and VXLAN
 * header plus its own Ethernet header, 50 bytes over IPv4 and 70 over IPv6.
 * The kernel makes a VXLAN device without an underlay device 1500 bytes
 * long, too long for an underlay of 1500: frames over 1450 bytes would be
 * fragmented or lost. Unless the file sets an MTU, the bridge, the device
 * and the interfaces on the bridge get the underlay's MTU less that, the
 * underlay being "dev" or the devices of the routes to the remotes (the
 * smallest). Policy routing and a route's own MTU are not looked at.
 */
#include <errno.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "plan-internal.h"

#define OVERHEAD4 50 /* IPv4 20, UDP 8, VXLAN 8, Ethernet 14 */
#define OVERHEAD6 70 /* IPv6 40, UDP 8, VXLAN 8, Ethernet 14 */

static bool underlay6(const struct topology_vxlan *vx)
{
	return vx->remotes[0].prefix.addr.family == AF_INET6;
}

unsigned plan_vxlan_overhead(const struct topology_vxlan *vx)
{
	return underlay6(vx) ? OVERHEAD6 : OVERHEAD4;
}

const struct ns_route *plan_route_lookup(const struct netstate *host, const struct inet_addr *a)
{
	const struct ns_route *best = NULL;

	for (size_t i = 0; host && i < host->n_routes; i++) {
		const struct ns_route *rt = &host->routes[i];

		if (rt->table != RT_TABLE_MAIN || rt->type != RTN_UNICAST ||
		    !inet_prefix_contains(&rt->dst, a))
			continue;
		if (!best || rt->dst.len > best->dst.len ||
		    (rt->dst.len == best->dst.len && rt->priority < best->priority))
			best = rt;
	}
	return best;
}

void plan_vxlan_underlay(const struct netstate *host, const struct topology_vxlan *vx,
			 struct plan_underlay *ret)
{
	const struct ns_link *l;

	memset(ret, 0, sizeof(*ret));
	ret->unrouted = SIZE_MAX;
	if (vx->dev[0]) {
		l = netstate_link_by_name(host, vx->dev);
		ret->dev_missing = !l;
		if (l) {
			ret->mtu = l->mtu;
			ret->ifindex = l->ifindex;
		}
		return;
	}
	for (size_t i = 0; i < vx->n_remotes; i++) {
		const struct ns_route *rt = plan_route_lookup(host, &vx->remotes[i].prefix.addr);

		l = rt ? netstate_link_by_index(host, rt->oif) : NULL;
		if (!l) {
			if (ret->unrouted == SIZE_MAX)
				ret->unrouted = i;
			continue;
		}
		if (!ret->mtu || l->mtu < ret->mtu) {
			ret->mtu = l->mtu;
			ret->ifindex = l->ifindex;
		}
	}
}

unsigned plan_bridge_mtu(const struct builder *b, size_t i)
{
	return b->seg_mtu ? b->seg_mtu[i] : b->want->bridges[i].mtu;
}

unsigned plan_iface_mtu(const struct builder *b, const struct topology_iface *ifc)
{
	/* Only a segment that spans hosts hands its MTU down to its interfaces. */
	if (ifc->mtu || !b->want->bridges[ifc->bridge_idx].vxlan)
		return ifc->mtu;
	return plan_bridge_mtu(b, ifc->bridge_idx);
}

static int dev_index(const struct builder *b, const struct topology_vxlan *vx)
{
	const struct ns_link *l = vx->dev[0] ? netstate_link_by_name(b->have->host, vx->dev) : NULL;

	return l ? l->ifindex : 0;
}

/* Another device holding the VNI on the same port and underlay: the kernel refuses ours. */
static int check_vni_free(struct builder *b, const struct topology_bridge *br)
{
	const struct topology_vxlan *vx = br->vxlan;
	const struct netstate *host = b->have->host;

	for (size_t i = 0; i < b->have->n_vxlans; i++) {
		const struct world_vxlan *w = &b->have->vxlans[i];
		const struct ns_link *l = netstate_link_by_index(host, w->ifindex);
		const char *owner = l ? owner_of_alias(l->alias) : NULL;

		if (w->id != vx->id || w->port != vx->port || w->link != dev_index(b, vx) ||
		    strcmp(w->name, vx->name) == 0 || plan_is_deleted(b, "", w->name) ||
		    (l && plan_owned_at(b, "", l)))
			continue;
		if (owner)
			return error_set(b->err, -EEXIST,
					 "bridge '%s': VNI %u on UDP port %u is taken by VXLAN "
					 "device '%s' of topology '%s'",
					 br->name, vx->id, vx->port, w->name, owner);
		return error_set(
			b->err, -EEXIST,
			"bridge '%s': VNI %u on UDP port %u is taken by VXLAN device '%s', "
			"which is not nsnet's (choose another 'id' or 'port')",
			br->name, vx->id, vx->port, w->name);
	}
	return 0;
}

static int segment_mtu(struct builder *b, const struct topology_bridge *br, unsigned *ret)
{
	const struct topology_vxlan *vx = br->vxlan;
	unsigned over = plan_vxlan_overhead(vx);
	struct plan_underlay u;
	char a[INET_STR_MAX];

	plan_vxlan_underlay(b->have->host, vx, &u);
	if (u.dev_missing)
		return error_set(b->err, -ENODEV,
				 "bridge '%s': vxlan dev '%s' does not exist on "
				 "the host",
				 br->name, vx->dev);
	*ret = br->mtu;
	if (br->mtu)
		return 0;
	if (!u.mtu) {
		inet_addr_format(&vx->remotes[u.unrouted].prefix.addr, a, sizeof(a));
		return error_set(b->err, -ENETUNREACH,
				 "bridge '%s': the host has no route to remote %s, so the "
				 "underlay's MTU is unknown (add the route, give the vxlan a "
				 "'dev', or set the bridge's 'mtu')",
				 br->name, a);
	}
	if (u.mtu < over + TOPOLOGY_MTU_MIN)
		return error_set(b->err, -EINVAL,
				 "bridge '%s': the underlay's MTU %u leaves no room for VXLAN's "
				 "%u bytes",
				 br->name, u.mtu, over);
	*ret = u.mtu - over;
	return 0;
}

int plan_vxlan_prepare(struct builder *b)
{
	const struct topology *t = b->want;
	int r;

	b->seg_mtu = calloc(t->n_bridges + 1, sizeof(*b->seg_mtu));
	if (!b->seg_mtu)
		return error_set(b->err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < t->n_bridges; i++) {
		const struct topology_bridge *br = &t->bridges[i];

		b->seg_mtu[i] = br->mtu;
		if (!br->vxlan)
			continue;
		r = segment_mtu(b, br, &b->seg_mtu[i]);
		if (r >= 0)
			r = check_vni_free(b, br);
		if (r < 0)
			return r;
	}
	return 0;
}

/* The family of a kept device's underlay: its local address's, else its entries'. */
static bool family_matches(const struct world_vxlan *w, int family)
{
	if (w->local.family)
		return w->local.family == family;
	for (size_t i = 0; i < w->n_fdb; i++)
		if (w->fdb[i].dst.family != family)
			return false;
	return true;
}

static bool keeps(const struct builder *b, const struct world_vxlan *w,
		  const struct topology_vxlan *vx)
{
	if (!w || w->id != vx->id || w->port != vx->port || w->learning != vx->learning ||
	    w->link != dev_index(b, vx) || w->group.family ||
	    w->local.family != (vx->has_local ? vx->local.family : 0))
		return false;
	if (vx->has_local && !inet_addr_equal(&w->local, &vx->local))
		return false;
	return family_matches(w, vx->remotes[0].prefix.addr.family);
}

/* An FDB action on device name for entry e (its own port, VNI and via). */
static struct action fdb_act(const struct builder *b, enum action_type type, const char *name,
			     const struct world_fdb *e)
{
	struct action a = plan_act(type, "", name);
	const struct ns_link *via = e->via ? netstate_link_by_index(b->have->host, e->via) : NULL;

	a.vxlan.remote = e->dst;
	a.vxlan.port = e->port;
	a.vxlan.id = e->has_vni ? e->vni : 0;
	a.value = e->via;
	if (via)
		snprintf(a.vxlan.dev, sizeof(a.vxlan.dev), "%s", via->name);
	return a;
}

static bool fdb_wanted(const struct world_fdb *e, const struct topology_vxlan *vx, int via)
{
	if (e->port || e->has_vni || e->via != via)
		return false;
	for (size_t i = 0; i < vx->n_remotes; i++)
		if (inet_addr_equal(&e->dst, &vx->remotes[i].prefix.addr))
			return true;
	return false;
}

/* The entries of a device that stays: the file's remotes, nothing else all-zeros. */
static void plan_fdb(struct builder *b, const struct topology_vxlan *vx,
		     const struct world_vxlan *w)
{
	int via = dev_index(b, vx);
	struct action a;

	for (size_t i = 0; w && i < w->n_fdb; i++) {
		if (fdb_wanted(&w->fdb[i], vx, via))
			continue;
		a = fdb_act(b, ACT_FDB_DEL, vx->name, &w->fdb[i]);
		plan_emit(b, PH_ADDR, &a);
	}
	for (size_t i = 0; i < vx->n_remotes; i++) {
		struct world_fdb e = {.dst = vx->remotes[i].prefix.addr, .via = via};
		bool have = false;

		for (size_t k = 0; w && k < w->n_fdb && !have; k++)
			have = fdb_wanted(&w->fdb[k], vx, via) &&
			       inet_addr_equal(&w->fdb[k].dst, &e.dst);
		if (have)
			continue;
		a = fdb_act(b, ACT_FDB_ADD, vx->name, &e);
		plan_emit(b, PH_ADDR, &a);
	}
}

int plan_vxlans(struct builder *b)
{
	for (size_t i = 0; i < b->want->n_bridges; i++) {
		const struct topology_bridge *br = &b->want->bridges[i];
		const struct topology_vxlan *vx = br->vxlan;
		const struct world_vxlan *w;
		const struct ns_link *l;
		struct action a;
		int r;

		if (!vx)
			continue;
		l = plan_link_existing(b, "", vx->name, &r);
		if (r < 0)
			return r;
		w = l ? world_vxlan_find(b->have, vx->name) : NULL;
		if (l && (strcmp(l->kind, "vxlan") != 0 || !keeps(b, w, vx))) {
			plan_link_delete(b, "", l, true);
			l = NULL;
			w = NULL;
		}
		if (!l) {
			a = plan_act(ACT_VXLAN_ADD, "", vx->name);
			a.mtu = b->seg_mtu[i];
			a.no_ipv6 = true; /* a bridge port */
			snprintf(a.alias, sizeof(a.alias), "%s", b->alias);
			a.vxlan.id = vx->id;
			a.vxlan.port = vx->port;
			a.vxlan.local = vx->local;
			a.vxlan.learning = vx->learning;
			a.vxlan.ipv6 = underlay6(vx);
			snprintf(a.vxlan.dev, sizeof(a.vxlan.dev), "%s", vx->dev);
			plan_emit(b, PH_CREATE, &a);
		}
		plan_link_converge(b, "", vx->name, l, b->seg_mtu[i], NULL, br->name);
		plan_fdb(b, vx, w);
	}
	return 0;
}

void plan_vxlan_restore(struct builder *b, struct action *owner, const struct ns_link *l)
{
	const struct world_vxlan *w = world_vxlan_find(b->have, l->name);
	const struct ns_link *dev;
	struct action a;

	if (!w)
		return; /* not read: nothing to rebuild it from */
	dev = w->link ? netstate_link_by_index(b->have->host, w->link) : NULL;
	a = plan_act(ACT_VXLAN_ADD, "", l->name);
	snprintf(a.alias, sizeof(a.alias), "%s", b->alias); /* owned: ours */
	a.mtu = l->mtu;
	a.no_ipv6 = true;
	if (l->mac_len == MAC_LEN) {
		a.has_mac = true;
		memcpy(a.mac, l->mac, MAC_LEN);
	}
	a.vxlan.id = w->id;
	a.vxlan.port = w->port;
	a.vxlan.local = w->local;
	a.vxlan.learning = w->learning;
	a.vxlan.ipv6 = w->local.family ? w->local.family == AF_INET6
				       : w->n_fdb && w->fdb[0].dst.family == AF_INET6;
	if (dev)
		snprintf(a.vxlan.dev, sizeof(a.vxlan.dev), "%s", dev->name);
	plan_add_restore(b, owner, &a);
	for (size_t i = 0; i < w->n_fdb; i++) {
		a = fdb_act(b, ACT_FDB_ADD, l->name, &w->fdb[i]);
		plan_add_restore(b, owner, &a);
	}
}

void plan_vxlan_describe(const struct action *a, char *buf, size_t len)
{
	const struct plan_vxlan *v = &a->vxlan;
	char addr[INET_STR_MAX];
	int n;

	if (a->type == ACT_VXLAN_ADD) {
		n = snprintf(buf, len, "+ vxlan '%s' (VNI %u, port %u, IPv%c", a->name, v->id,
			     v->port, v->ipv6 ? '6' : '4');
		if (v->local.family && n >= 0 && (size_t)n < len) {
			inet_addr_format(&v->local, addr, sizeof(addr));
			n += snprintf(buf + n, len - (size_t)n, ", local %s", addr);
		}
		if (v->dev[0] && n >= 0 && (size_t)n < len)
			n += snprintf(buf + n, len - (size_t)n, ", dev '%s'", v->dev);
		if (n >= 0 && (size_t)n < len)
			snprintf(buf + n, len - (size_t)n, "%s)",
				 v->learning ? "" : ", no learning");
		return;
	}
	inet_addr_format(&v->remote, addr, sizeof(addr));
	n = snprintf(buf, len, "%c fdb '%s': 00:00:00:00:00:00 dst %s",
		     a->type == ACT_FDB_ADD ? '+' : '-', a->name, addr);
	if (v->port && n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " port %u", v->port);
	if (v->id && n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " vni %u", v->id);
	if (a->value && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " via '%s'", v->dev[0] ? v->dev : "?");
}
