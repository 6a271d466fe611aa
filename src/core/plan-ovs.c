// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The planner's Open vSwitch part: bridges of `type: ovs` as OVSDB rows
 * (have->ovs.db) against what the file wants, as a merge by name.
 *
 * Wanted: for each OVS bridge a Bridge row with its internal port (a Port
 * and an Interface of type internal, named after the bridge), and a Port and
 * Interface for the host end of each interface on it. Owned: the rows whose
 * external_ids carry OWNER_OVS_KEY=TOPOLOGY. A wanted name held by a row that
 * is not ours is a conflict, before any change; an owned row nobody wants
 * goes (a Bridge takes its Ports and Interfaces along: OVSDB collects rows
 * no one refers to). A kept bridge keeps its ports unless the host end of
 * one is made anew in this plan: then its port is made anew too, so that
 * ovs-vswitchd opens the new device.
 *
 * Order: in `up` the rows are one transaction (PH_OVS) once the veths of
 * their ports exist; ovs-vswitchd applies it while the namespaces get their
 * addresses and routes, and the plan waits for it (PH_OVS_WAIT) before it
 * marks the internal port vswitchd made and gives it its addresses
 * (PH_OVS_APPLIED). In `down` the removal is committed first (PH_DEL),
 * vswitchd removes the ports while the namespaces go, and the plan waits
 * for it after them (PH_OVS_GONE). Without ovs-vswitchd nothing would apply
 * an `up`, which is then refused; a `down` still removes the rows, and the
 * internal ports it would have removed are deleted as the links they are.
 *
 * On the userspace datapath (netdev), TX checksum offload goes off on the
 * namespace ends of the ports (src/sys/ethtool.h says why).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ovsdb-state.h"
#include "plan-internal.h"

const char *plan_ovs_datapath(const struct topology_bridge *br, bool kmod)
{
	if (br->datapath == TOPOLOGY_DATAPATH_SYSTEM)
		return "system";
	if (br->datapath == TOPOLOGY_DATAPATH_NETDEV)
		return "netdev";
	return kmod ? "system" : "netdev";
}

void plan_ovs_txcsum_links(const struct topology *want, bool kmod,
			   void (*fn)(const char *ns, const char *name, void *data), void *data)
{
	for (size_t i = 0; want && i < want->n_namespaces; i++) {
		const struct topology_ns *ns = &want->namespaces[i];

		for (size_t k = 0; k < ns->n_ifaces; k++) {
			const struct topology_iface *ifc = &ns->ifaces[k];
			const struct topology_bridge *br;

			if (ifc->link != TOPOLOGY_LINK_BRIDGE)
				continue;
			br = &want->bridges[ifc->bridge_idx];
			if (br->type == TOPOLOGY_BRIDGE_OVS &&
			    strcmp(plan_ovs_datapath(br, kmod), "netdev") == 0)
				fn(ns->name, ifc->name, data);
		}
	}
}

/* The rows, when they were read. */
static const struct ovsdb_state *db(const struct builder *b)
{
	return b->have->ovs.state == WORLD_OVS_OK ? b->have->ovs.db : NULL;
}

static bool ours(const struct builder *b, const struct ovsdb_strmap *ids)
{
	const char *v = ovsdb_strmap_get(ids, OWNER_OVS_KEY);

	return v && strcmp(v, b->topo) == 0;
}

/* The link of an OVS bridge's internal port: a tap (netdev), or the kernel datapath's. */
static bool internal_kind(const struct ns_link *l)
{
	return strcmp(l->kind, "tun") == 0 || strcmp(l->kind, "openvswitch") == 0;
}

/* Needs OVSDB: what observe found, or why it could not read it. */
static int usable(struct builder *b, const char *bridge)
{
	const struct world_ovs *o = &b->have->ovs;

	if (o->state == WORLD_OVS_OK && o->db)
		return 0;
	if (o->state == WORLD_OVS_UNREACHABLE)
		return error_set(b->err, -EHOSTUNREACH, "OVS bridge '%s': %s", bridge, o->error);
	return error_set(b->err, -EHOSTUNREACH, "OVS bridge '%s': OVSDB was not read", bridge);
}

/* "exists and is not nsnet's" or "belongs to topology 'X'", for a row holding a wanted name. */
static int foreign(struct builder *b, const char *what, const char *name, const char *on,
		   const struct ovsdb_strmap *ids)
{
	const char *other = ovsdb_strmap_get(ids, OWNER_OVS_KEY);
	char q[OVSDB_QUOTE_MAX + 8], where[OVSDB_QUOTE_MAX + 24] = "";

	if (on) {
		ovsdb_quote(on, q, sizeof(q));
		snprintf(where, sizeof(where), " (on bridge '%s')", q);
	}
	if (other) {
		ovsdb_quote(other, q, sizeof(q));
		return error_set(b->err, -EEXIST,
				 "OVS %s '%s'%s belongs to topology '%s', not '%s'; refusing to "
				 "take it over",
				 what, name, where, q, b->topo);
	}
	return error_set(b->err, -EEXIST,
			 "OVS %s '%s'%s exists and is not nsnet's; refusing to touch it (remove "
			 "it, or choose another name in the topology)",
			 what, name, where);
}

/*
 * A name the topology wants for a port (and its interface) on OVS bridge
 * bridge: free, or held by rows of ours only. The internal port of a bridge
 * has the bridge's name.
 */
static int check_port_name(struct builder *b, const char *name)
{
	const struct ovsdb_state *s = db(b);
	const struct ovsdb_port *p = ovsdb_state_port_named(s, name);
	const struct ovsdb_iface *f = ovsdb_state_iface_named(s, name);

	if (p && !ours(b, &p->external_ids))
		return foreign(b, "port", name, p->bridge ? p->bridge->name : NULL,
			       &p->external_ids);
	if (f && !ours(b, &f->external_ids))
		return foreign(b, "interface", name,
			       f->port && f->port->bridge ? f->port->bridge->name : NULL,
			       &f->external_ids);
	return 0;
}

static int check_bridge_name(struct builder *b, const char *name)
{
	const struct ovsdb_bridge *ob = ovsdb_state_bridge(db(b), name);

	if (ob && !ours(b, &ob->external_ids))
		return foreign(b, "bridge", name, NULL, &ob->external_ids);
	return check_port_name(b, name);
}

/* The names of br's ports, before their links are looked at: the row says more. */
static int check_ports(struct builder *b, const struct topology_bridge *br)
{
	size_t bi = (size_t)(br - b->want->bridges);
	int r = 0;

	for (size_t i = 0; i < b->want->n_namespaces && r >= 0; i++) {
		const struct topology_ns *ns = &b->want->namespaces[i];

		for (size_t k = 0; k < ns->n_ifaces && r >= 0; k++)
			if (ns->ifaces[k].link == TOPOLOGY_LINK_BRIDGE &&
			    ns->ifaces[k].bridge_idx == bi)
				r = check_port_name(b, ns->ifaces[k].host_end);
	}
	return r;
}

/*
 * Our Bridge row for br, kept as it is: ours, of the wanted datapath, and its
 * internal port there as the link of its name. NULL: br is made anew.
 */
static const struct ovsdb_bridge *bridge_kept(const struct builder *b,
					      const struct topology_bridge *br)
{
	const struct ovsdb_state *s = db(b);
	const struct ovsdb_bridge *ob = s ? ovsdb_state_bridge(s, br->name) : NULL;
	const struct ns_link *l;

	if (!ob || !ours(b, &ob->external_ids) ||
	    strcmp(ob->datapath_type, plan_ovs_datapath(br, b->have->ovs.kmod)) != 0)
		return NULL;
	l = netstate_link_by_name(b->have->host, br->name);
	return l && internal_kind(l) ? ob : NULL;
}

bool plan_ovs_link_goes(const struct builder *b, const struct ns_link *l)
{
	const struct ovsdb_state *s = db(b);
	const struct ovsdb_bridge *ob;

	if (!s || !b->have->ovs.vswitchd || !internal_kind(l))
		return false;
	ob = ovsdb_state_bridge(s, l->name);
	return ob && ours(b, &ob->external_ids);
}

const char *plan_ovs_port_master(const struct builder *b, const struct ns_link *l)
{
	const struct ns_link *m;

	if (!l || !l->master)
		return NULL;
	m = netstate_link_by_index(b->have->host, l->master);
	/* A Linux bridge being deleted lets go of it itself (and takes it back on a rollback). */
	return m && strcmp(m->kind, "bridge") == 0 && !plan_is_deleted(b, "", m->name) ? "" : NULL;
}

int plan_ovs_bridge(struct builder *b, const struct topology_bridge *br)
{
	const struct ns_link *l = NULL;
	struct action a;
	int r;

	r = usable(b, br->name);
	if (r >= 0 && br->datapath == TOPOLOGY_DATAPATH_SYSTEM && !b->have->ovs.kmod)
		r = error_set(b->err, -EOPNOTSUPP,
			      "OVS bridge '%s': datapath system needs the kernel's openvswitch "
			      "module (modprobe openvswitch), or say datapath: netdev",
			      br->name);
	if (r >= 0)
		r = check_bridge_name(b, br->name);
	if (r >= 0)
		r = check_ports(b, br);
	if (r < 0)
		return r;
	if (!plan_is_deleted(b, "", br->name))
		l = netstate_link_by_name(b->have->host, br->name);
	if (l && bridge_kept(b, br)) {
		const char *other = owner_of_alias(l->alias);

		if (other && strcmp(other, b->topo) != 0)
			return plan_conflict(b, "", l);
		/* Made by vswitchd for our row: ours, marked or not yet (a run killed before). */
		if (!other || l->group != OWNER_GROUP) {
			a = plan_act(ACT_LINK_CLAIM, "", br->name);
			snprintf(a.alias, sizeof(a.alias), "%s", b->alias);
			a.no_ipv6 = !plan_wants_ipv6(br->addrs, br->n_addrs);
			plan_emit(b, PH_SET, &a);
		}
		plan_link_converge(b, "", br->name, l, br->mtu, NULL, NULL);
		plan_link_addrs(b, "", br->name, l, br->addrs, br->n_addrs);
		return 0;
	}
	if (l) {
		/* An old Linux bridge of ours, or an internal port left by a lost row. */
		l = plan_link_existing(b, "", br->name, &r);
		if (r < 0)
			return r;
		if (l)
			plan_link_delete(b, "", l, true);
	}
	/* The internal port appears with the transaction: once it is applied, mark it, then the
	 * rest. */
	a = plan_act(ACT_LINK_CLAIM, "", br->name);
	snprintf(a.alias, sizeof(a.alias), "%s", b->alias);
	a.no_ipv6 = !plan_wants_ipv6(br->addrs, br->n_addrs);
	plan_emit(b, PH_OVS_APPLIED, &a);
	b->redirect = PH_OVS_APPLIED;
	plan_link_converge(b, "", br->name, NULL, br->mtu, NULL, NULL);
	plan_link_addrs(b, "", br->name, NULL, br->addrs, br->n_addrs);
	b->redirect = 0;
	return 0;
}

/* The rows this plan deletes, by uuid: a bridge's ports go with it. */
struct gone_rows {
	const char **uuid;
	size_t n;
};

static bool gone_has(const struct gone_rows *g, const char *uuid)
{
	for (size_t i = 0; i < g->n; i++)
		if (strcmp(g->uuid[i], uuid) == 0)
			return true;
	return false;
}

static void gone_add(struct builder *b, struct gone_rows *g, const char *uuid)
{
	const char **nv = realloc(g->uuid, (g->n + 1) * sizeof(*nv));

	if (!nv) {
		b->oom = true;
		return;
	}
	g->uuid = nv;
	nv[g->n++] = uuid;
}

/*
 * A name read from OVSDB, for an action: as it is when it is a name nsnet
 * could have given (then a rollback can put the row back by it), else quoted
 * for the messages it appears in; a delete finds its row by uuid anyway.
 */
static void row_name(char *dst, size_t len, const char *name)
{
	if (!name[0] || name_link_check(name, NULL) == 0)
		snprintf(dst, len, "%s", name);
	else
		ovsdb_quote(name, dst, len);
}

static struct action ovs_act(struct builder *b, enum action_type type, const char *name,
			     const char *bridge, const char *key)
{
	struct action a = plan_act(type, "", NULL);

	row_name(a.name, sizeof(a.name), name);
	row_name(a.master, sizeof(a.master), bridge ? bridge : "");
	snprintf(a.key, sizeof(a.key), "%s", key ? key : "");
	snprintf(a.alias, sizeof(a.alias), "%s", b->alias);
	return a;
}

/* The type of a port's (first) interface, to put it back as it was. */
static const char *port_type(const struct ovsdb_state *s, const struct ovsdb_port *p)
{
	const struct ovsdb_iface *f =
		p->interfaces.n ? ovsdb_state_iface(s, p->interfaces.v[0]) : NULL;

	return f ? f->type : "";
}

/* What puts port p of bridge back: its rows, marked as they were. */
static struct action port_restore(struct builder *b, const struct ovsdb_state *s,
				  const struct ovsdb_port *p, const char *bridge)
{
	struct action r = ovs_act(b, ACT_OVS_PORT_ADD, p->name, bridge, port_type(s, p));

	if (!ours(b, &p->external_ids))
		r.alias[0] = '\0';
	r.no_guard = true;
	return r;
}

static void port_del(struct builder *b, enum phase ph, struct gone_rows *g,
		     const struct ovsdb_port *p)
{
	const char *bridge = p->bridge ? p->bridge->name : "";
	struct action a = ovs_act(b, ACT_OVS_PORT_DEL, p->name, bridge, p->uuid), r;

	if (gone_has(g, p->uuid))
		return;
	gone_add(b, g, p->uuid);
	if (b->want && p->bridge) {
		r = port_restore(b, db(b), p, bridge);
		plan_add_restore(b, &a, &r);
	}
	plan_emit(b, ph, &a);
}

/*
 * Deletes our bridge ob; what puts it back on a rollback: its rows, then,
 * once vswitchd made its internal port again, the port's mark and config.
 */
static void bridge_del(struct builder *b, enum phase ph, struct gone_rows *g,
		       const struct ovsdb_bridge *ob)
{
	const struct ovsdb_state *s = db(b);
	struct action a = ovs_act(b, ACT_OVS_BRIDGE_DEL, ob->name, NULL, ob->uuid), r;
	const struct ns_link *tap = netstate_link_by_name(b->have->host, ob->name);

	if (gone_has(g, ob->uuid))
		return;
	gone_add(b, g, ob->uuid);
	for (size_t i = 0; i < ob->ports.n; i++)
		gone_add(b, g, ob->ports.v[i]);
	if (!b->want) {
		plan_emit(b, ph, &a);
		return;
	}
	r = ovs_act(b, ACT_OVS_BRIDGE_ADD, ob->name, NULL, ob->datapath_type);
	r.no_guard = true;
	plan_add_restore(b, &a, &r);
	for (size_t i = 0; i < ob->ports.n; i++) {
		const struct ovsdb_port *p = ovsdb_state_port(s, ob->ports.v[i]);

		if (p && strcmp(p->name, ob->name) != 0) {
			r = port_restore(b, s, p, ob->name);
			plan_add_restore(b, &a, &r);
		}
	}
	if (tap && internal_kind(tap) && owner_alias_is(tap->alias, b->topo)) {
		r = plan_act(ACT_OVS_WAIT, "", NULL);
		plan_add_restore(b, &a, &r);
		r = plan_act(ACT_LINK_CLAIM, "", ob->name);
		snprintf(r.alias, sizeof(r.alias), "%s", b->alias);
		r.no_ipv6 = !plan_link_has_ipv6(b->have->host, tap);
		plan_add_restore(b, &a, &r);
		plan_link_restore(b, &a, "", b->have->host, tap);
	}
	plan_emit(b, ph, &a);
}

/* Whether the file wants port name on an OVS bridge (the host end of an interface on it). */
static bool port_wanted(const struct builder *b, const char *name)
{
	for (size_t i = 0; b->want && i < b->want->n_namespaces; i++) {
		const struct topology_ns *ns = &b->want->namespaces[i];

		for (size_t k = 0; k < ns->n_ifaces; k++) {
			const struct topology_iface *ifc = &ns->ifaces[k];

			if (ifc->link == TOPOLOGY_LINK_BRIDGE &&
			    b->want->bridges[ifc->bridge_idx].type == TOPOLOGY_BRIDGE_OVS &&
			    strcmp(ifc->host_end, name) == 0)
				return true;
		}
	}
	return false;
}

static bool bridge_wanted(const struct builder *b, const char *name)
{
	const struct topology_bridge *br = b->want ? topology_bridge_find(b->want, name) : NULL;

	return br && br->type == TOPOLOGY_BRIDGE_OVS;
}

/* The ports of wanted bridge br (index bi): kept, made, or made anew. */
static void plan_ports(struct builder *b, enum phase ph, struct gone_rows *g, size_t bi,
		       const struct ovsdb_bridge *kept)
{
	const struct ovsdb_state *s = db(b);
	const char *bridge = b->want->bridges[bi].name;

	for (size_t i = 0; i < b->want->n_namespaces; i++) {
		const struct topology_ns *ns = &b->want->namespaces[i];

		for (size_t k = 0; k < ns->n_ifaces; k++) {
			const struct topology_iface *ifc = &ns->ifaces[k];
			const struct ovsdb_port *p;
			struct action a;
			bool fresh;

			if (ifc->link != TOPOLOGY_LINK_BRIDGE || ifc->bridge_idx != bi)
				continue;
			p = ovsdb_state_port_named(s, ifc->host_end);
			fresh = !netstate_link_by_name(b->have->host, ifc->host_end) ||
				plan_is_deleted(b, "", ifc->host_end);
			if (kept && p && p->bridge == kept && !fresh)
				continue;
			if (p)
				port_del(b, ph, g, p);
			a = ovs_act(b, ACT_OVS_PORT_ADD, ifc->host_end, bridge, "");
			a.no_guard = p != NULL;
			plan_emit(b, ph, &a);
		}
	}
}

/* Namespace ends of ports on the userspace datapath: TX checksum offload off. */
struct txcsum_ctx {
	struct builder *b;
};

static void txcsum_one(const char *ns, const char *name, void *data)
{
	struct txcsum_ctx *t = data;
	struct builder *b = t->b;
	const struct netstate *st = plan_place(b, ns);
	struct action a;

	if (st && netstate_link_by_name(st, name) && !plan_is_deleted(b, ns, name) &&
	    world_txcsum_get(&b->have->ovs, ns, name) == 0)
		return;
	a = plan_act(ACT_TXCSUM, ns, name);
	a.value = 0;
	plan_emit(b, PH_SET, &a);
}

int plan_ovs(struct builder *b)
{
	const struct ovsdb_state *s = db(b);
	enum phase ph = b->want ? PH_OVS : PH_DEL;
	struct gone_rows g = {0};
	struct txcsum_ctx tc = {b};
	bool early = false;
	size_t before;
	if (!s)
		return 0; /* a wanted OVS bridge has said why already */
	before = b->n[ph];
	for (size_t i = 0; b->want && i < b->want->n_bridges; i++) {
		const struct topology_bridge *br = &b->want->bridges[i];
		const struct ovsdb_bridge *ob, *kept;
		struct action a;

		if (br->type != TOPOLOGY_BRIDGE_OVS)
			continue;
		ob = ovsdb_state_bridge(s, br->name);
		kept = bridge_kept(b, br);
		if (!kept) {
			if (ob)
				bridge_del(b, ph, &g, ob);
			a = ovs_act(b, ACT_OVS_BRIDGE_ADD, br->name, NULL,
				    plan_ovs_datapath(br, b->have->ovs.kmod));
			a.no_guard = ob != NULL;
			plan_emit(b, ph, &a);
		}
		plan_ports(b, ph, &g, i, kept);
	}
	for (size_t i = 0; i < s->n_bridges; i++) {
		const struct ovsdb_bridge *ob = &s->bridges[i];

		if (!ours(b, &ob->external_ids) || bridge_wanted(b, ob->name))
			continue;
		/*
		 * Its name wanted for a Linux bridge: removed in a transaction of its
		 * own before the links are made, and waited for, so that vswitchd has
		 * let go of the name (a `type` changed in place).
		 */
		if (b->want && topology_bridge_find(b->want, ob->name) && !gone_has(&g, ob->uuid)) {
			bridge_del(b, PH_DEL, &g, ob);
			early = true;
			continue;
		}
		bridge_del(b, ph, &g, ob);
	}
	for (size_t i = 0; i < s->n_ports; i++) {
		const struct ovsdb_port *p = &s->ports[i];

		if (!ours(b, &p->external_ids) || gone_has(&g, p->uuid) ||
		    (p->bridge && strcmp(p->name, p->bridge->name) == 0) || port_wanted(b, p->name))
			continue;
		port_del(b, ph, &g, p);
	}
	free(g.uuid);
	if (early && b->have->ovs.vswitchd) {
		struct action w = plan_act(ACT_OVS_WAIT, "", NULL);

		plan_emit(b, PH_DEL, &w);
	}
	if (b->n[ph] > before || early) {
		if (b->have->ovs.vswitchd && b->n[ph] > before) {
			struct action w = plan_act(ACT_OVS_WAIT, "", NULL);

			plan_emit(b, b->want ? PH_OVS_WAIT : PH_OVS_GONE, &w);
		} else if (b->want) {
			return error_set(b->err, -ESRCH,
					 "ovs-vswitchd is not running (no one holds OVSDB lock "
					 "'ovs_vswitchd' at %s): start Open vSwitch",
					 b->have->ovs.target);
		}
	}
	plan_ovs_txcsum_links(b->want, b->have->ovs.kmod, txcsum_one, &tc);
	return 0;
}
