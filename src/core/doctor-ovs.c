// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The doctor's checks of a topology's Open vSwitch side, on what the
 * observer read (world.ovs): ovsdb-server not answering at the file's
 * socket, ovs-vswitchd not running, a wanted bridge or port name held by a
 * row nsnet did not make, and ports ovs-vswitchd could not add. Text from
 * the server (names of foreign rows, error messages) is quoted.
 */
#include <stdio.h>
#include <string.h>

#include "doctor-internal.h"
#include "ovsdb-state.h"
#include "owner.h"

#define START_OVS "start Open vSwitch (systemctl start openvswitch-switch, or its daemons by hand)"

static bool owns_rows(const struct world_ovs *o, const char *topo)
{
	const char *v;

	for (size_t i = 0; o->db && i < o->db->n_bridges; i++)
		if ((v = ovsdb_strmap_get(&o->db->bridges[i].external_ids, OWNER_OVS_KEY)) &&
		    strcmp(v, topo) == 0)
			return true;
	return false;
}

/* A wanted name held by a row that is not this topology's: up refuses it. */
static void name_taken(struct doctor_ctx *c, const struct doctor_topo *dt, const char *what,
		       const char *name, const struct ovsdb_strmap *ids, const char *on)
{
	const char *other = ovsdb_strmap_get(ids, OWNER_OVS_KEY);
	struct doctor_finding *d;
	char q[OVSDB_QUOTE_MAX + 8];

	if ((other && strcmp(other, dt->name) == 0) ||
	    !(d = doctor_add(c, "ovs-name-taken", DOCTOR_PROBLEM, dt->name)))
		return;
	put(d->subject, "OVS %s '%s'", what, name);
	if (other) {
		ovsdb_quote(other, q, sizeof(q));
		put(d->what, "the name is held by a %s of topology '%s'", what, q);
	} else {
		put(d->what, "the name is held by a %s nsnet did not make", what);
	}
	if (on) {
		ovsdb_quote(on, q, sizeof(q));
		more(d->what, " (on bridge '%s')", q);
	}
	put(d->why, "up refuses to take over a row it did not make, so the topology cannot "
		    "come up while the name is taken");
	if (strcmp(what, "bridge") == 0)
		fix_cmd(d, "ovs-vsctl", "del-br", name);
	else
		fix_cmd(d, "ovs-vsctl", "del-port", name);
	more(d->fix, " if it is a leftover; else choose another name in the topology");
}

static void check_names(struct doctor_ctx *c, const struct doctor_topo *dt)
{
	const struct ovsdb_state *s = dt->have->ovs.db;
	const struct topology *t = dt->want;

	for (size_t i = 0; i < t->n_bridges; i++) {
		const struct ovsdb_bridge *b;

		if (t->bridges[i].type != TOPOLOGY_BRIDGE_OVS)
			continue;
		b = ovsdb_state_bridge(s, t->bridges[i].name);
		if (b)
			name_taken(c, dt, "bridge", t->bridges[i].name, &b->external_ids, NULL);
	}
	for (size_t i = 0; i < t->n_namespaces; i++)
		for (size_t k = 0; k < t->namespaces[i].n_ifaces; k++) {
			const struct topology_iface *ifc = &t->namespaces[i].ifaces[k];
			const struct ovsdb_port *p;

			if (ifc->link != TOPOLOGY_LINK_BRIDGE ||
			    t->bridges[ifc->bridge_idx].type != TOPOLOGY_BRIDGE_OVS)
				continue;
			p = ovsdb_state_port_named(s, ifc->host_end);
			if (p)
				name_taken(c, dt, "port", ifc->host_end, &p->external_ids,
					   p->bridge ? p->bridge->name : NULL);
		}
}

/* Interfaces of ours ovs-vswitchd could not open (their link gone, for one). */
static void check_errors(struct doctor_ctx *c, const struct doctor_topo *dt)
{
	const struct ovsdb_state *s = dt->have->ovs.db;

	for (size_t i = 0; i < s->n_ifaces; i++) {
		const struct ovsdb_iface *f = &s->ifaces[i];
		const char *v = ovsdb_strmap_get(&f->external_ids, OWNER_OVS_KEY);
		struct doctor_finding *d;
		char name[OVSDB_QUOTE_MAX + 8], why[OVSDB_QUOTE_MAX + 8];

		if (!f->error || !v || strcmp(v, dt->name) != 0 ||
		    !(d = doctor_add(c, "ovs-port-error", DOCTOR_PROBLEM, dt->name)))
			continue;
		ovsdb_quote(f->name, name, sizeof(name));
		ovsdb_quote(f->error, why, sizeof(why));
		put(d->subject, "OVS interface '%s'", name);
		put(d->what, "ovs-vswitchd could not add it: %s", why);
		put(d->why, "its port carries no traffic");
		put(d->fix, "nsnet up FILE makes a missing link and its port anew");
	}
}

void doctor_check_ovs(struct doctor_ctx *c, const struct doctor_topo *dt)
{
	const struct world_ovs *o = dt->have ? &dt->have->ovs : NULL;
	bool wanted = topology_has_ovs(dt->want);
	struct doctor_finding *d;

	if (!o)
		return;
	if (wanted && o->state == WORLD_OVS_UNREACHABLE &&
	    (d = doctor_add(c, "ovsdb-unreachable", DOCTOR_PROBLEM, dt->name))) {
		put(d->subject, "OVSDB at %s", o->target);
		put(d->what, "%s", o->error);
		put(d->why, "the topology's OVS bridges are rows of Open vSwitch's database: "
			    "without ovsdb-server nsnet can neither make nor read them");
		put(d->fix, "%s, or name the socket it listens on in the file (ovsdb: unix:PATH)",
		    START_OVS);
	}
	if (o->state != WORLD_OVS_OK || !o->db)
		return;
	if (!o->vswitchd && (wanted || owns_rows(o, dt->name)) &&
	    (d = doctor_add(c, "ovs-vswitchd-down", DOCTOR_PROBLEM, dt->name))) {
		put(d->subject, "ovs-vswitchd");
		put(d->what,
		    "ovs-vswitchd is not running (no one holds OVSDB lock "
		    "'ovs_vswitchd' at %s)",
		    o->target);
		put(d->why, "it makes the OVS bridges' ports and forwards their traffic: without "
			    "it nothing crosses an OVS bridge, and up is refused");
		put(d->fix, "%s", START_OVS);
	}
	if (wanted)
		check_names(c, dt);
	check_errors(c, dt);
}
