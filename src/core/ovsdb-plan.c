// SPDX-License-Identifier: GPL-2.0-or-later
/* The plan's OVSDB actions as one transaction (see ovsdb-plan.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ovsdb-plan.h"

bool ovsdb_plan_is_row(enum action_type t)
{
	return t == ACT_OVS_BRIDGE_ADD || t == ACT_OVS_PORT_ADD || t == ACT_OVS_PORT_DEL ||
	       t == ACT_OVS_BRIDGE_DEL;
}

static const char *const name_col[] = {"name", NULL};

/* The mark of a's rows, or an empty map (a row put back as it was: unmarked). */
static json_t *ids(const struct action *a)
{
	const char *topo = owner_of_alias(a->alias);

	return topo ? ovsdb_map_pair(OWNER_OVS_KEY, topo) : ovsdb_map(json_array());
}

/* [["name", "==", NAME]] (and the mark, when marked): a's row by name. */
static json_t *by_name(const char *name, const struct action *a)
{
	const char *topo = owner_of_alias(a->alias);

	if (!topo)
		return ovsdb_where("name", "==", json_string(name));
	return json_pack(
		"[o,o]", ovsdb_cond("name", "==", json_string(name)),
		ovsdb_cond("external_ids", "includes", ovsdb_map_pair(OWNER_OVS_KEY, topo)));
}

/* The row a deletes, as the plan saw it: its uuid, still marked. */
static void guard_row(struct ovsdb_txn *t, const char *table, const struct action *a)
{
	static const char *const uuid_col[] = {"_uuid", NULL};
	const char *topo = owner_of_alias(a->alias);
	json_t *where = json_pack("[o]", ovsdb_cond("_uuid", "==", ovsdb_uuid(a->key)));

	if (topo)
		json_array_append_new(where, ovsdb_cond("external_ids", "includes",
							ovsdb_map_pair(OWNER_OVS_KEY, topo)));
	ovsdb_txn_wait(t, table, where, uuid_col, OVSDB_UNTIL_EQ,
		       json_pack("[{s:o}]", "_uuid", ovsdb_uuid(a->key)), 0);
}

/* No row of that name in table. */
static void guard_absent(struct ovsdb_txn *t, const char *table, const char *name)
{
	ovsdb_txn_wait(t, table, ovsdb_where("name", "==", json_string(name)), name_col,
		       OVSDB_UNTIL_EQ, json_array(), 0);
}

/* Whether the run deletes a row named name (then an add of that name has no absence guard). */
static bool run_deletes(const struct action *const *v, size_t n, enum action_type type,
			const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (v[i]->type == type && strcmp(v[i]->name, name) == 0)
			return true;
	return false;
}

static bool run_adds_bridge(const struct action *const *v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (v[i]->type == ACT_OVS_BRIDGE_ADD && strcmp(v[i]->name, name) == 0)
			return true;
	return false;
}

/* An Interface and its Port; returns the Port's insert. */
static int insert_port(struct ovsdb_txn *t, const struct action *a, const char *type, size_t i,
		       char *port_uuid_name, size_t len)
{
	char iface[32];
	json_t *row;

	snprintf(iface, sizeof(iface), "i%zu", i);
	snprintf(port_uuid_name, len, "p%zu", i);
	row = json_pack("{s:s,s:o}", "name", a->name, "external_ids", ids(a));
	if (row && type[0])
		json_object_set_new(row, "type", json_string(type));
	ovsdb_txn_insert(t, "Interface", row, iface);
	return ovsdb_txn_insert(t, "Port",
				json_pack("{s:s,s:o,s:o}", "name", a->name, "interfaces",
					  ovsdb_named_uuid(iface), "external_ids", ids(a)),
				port_uuid_name);
}

/* The ports added to each bridge, inserted into its `ports` in one mutation per bridge. */
static void mutate_ports(struct ovsdb_txn *t, const struct action *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		json_t *set;
		bool first = true;

		if (v[i]->type != ACT_OVS_PORT_ADD)
			continue;
		for (size_t k = 0; k < i && first; k++)
			first = !(v[k]->type == ACT_OVS_PORT_ADD &&
				  strcmp(v[k]->master, v[i]->master) == 0);
		if (!first)
			continue;
		set = json_array();
		for (size_t k = i; k < n; k++) {
			char port[32];

			if (v[k]->type != ACT_OVS_PORT_ADD ||
			    strcmp(v[k]->master, v[i]->master) != 0)
				continue;
			snprintf(port, sizeof(port), "p%zu", k);
			json_array_append_new(set, ovsdb_named_uuid(port));
		}
		ovsdb_txn_mutate(
			t, "Bridge", ovsdb_where("name", "==", json_string(v[i]->master)),
			json_pack("[o]", ovsdb_mutation("ports", "insert", ovsdb_set(set))));
	}
}

int ovsdb_plan_txn(const struct action *const *v, size_t n, struct ovsdb_txn *t, int *ret_op,
		   struct error *err)
{
	json_t *add = json_array(), *del = json_array();
	const char *topo = n ? owner_of_alias(v[0]->alias) : NULL;
	char comment[OWNER_ALIAS_MAX + 16];

	if (!add || !del) {
		json_decref(add);
		json_decref(del);
		return error_set(err, -ENOMEM, "OVSDB transaction: out of memory");
	}
	snprintf(comment, sizeof(comment), "nsnet %s", topo ? topo : "");
	ovsdb_txn_comment(t, comment);
	for (size_t i = 0; i < n; i++) {
		const struct action *a = v[i];
		char port[32], bridge[32];

		ret_op[i] = -1;
		switch (a->type) {
		case ACT_OVS_BRIDGE_ADD:
			if (!a->no_guard && !run_deletes(v, n, ACT_OVS_BRIDGE_DEL, a->name))
				guard_absent(t, "Bridge", a->name);
			insert_port(t, a, "internal", i, port, sizeof(port));
			snprintf(bridge, sizeof(bridge), "b%zu", i);
			ret_op[i] = ovsdb_txn_insert(t, "Bridge",
						     json_pack("{s:s,s:s,s:o,s:o}", "name", a->name,
							       "datapath_type", a->key, "ports",
							       ovsdb_named_uuid(port),
							       "external_ids", ids(a)),
						     bridge);
			json_array_append_new(add, ovsdb_named_uuid(bridge));
			break;
		case ACT_OVS_PORT_ADD:
			if (!a->no_guard && !run_deletes(v, n, ACT_OVS_PORT_DEL, a->name))
				guard_absent(t, "Port", a->name);
			/* Its bridge is there (and ours): a port of no bridge would just vanish. */
			if (!run_adds_bridge(v, n, a->master))
				ovsdb_txn_wait(t, "Bridge", by_name(a->master, a), name_col,
					       OVSDB_UNTIL_EQ,
					       json_pack("[{s:s}]", "name", a->master), 0);
			ret_op[i] = insert_port(t, a, a->key, i, port, sizeof(port));
			break;
		case ACT_OVS_PORT_DEL:
			guard_row(t, "Port", a);
			ovsdb_txn_mutate(t, "Bridge",
					 ovsdb_where("ports", "includes", ovsdb_uuid(a->key)),
					 json_pack("[o]", ovsdb_mutation("ports", "delete",
									 ovsdb_uuid(a->key))));
			break;
		case ACT_OVS_BRIDGE_DEL:
			guard_row(t, "Bridge", a);
			json_array_append_new(del, ovsdb_uuid(a->key));
			break;
		default:
			json_decref(add);
			json_decref(del);
			return error_set(err, -EINVAL, "not an OVSDB change: %s",
					 action_type_name(a->type));
		}
	}
	mutate_ports(t, v, n);
	if (json_array_size(del))
		ovsdb_txn_mutate(
			t, "Open_vSwitch", NULL,
			json_pack("[o]", ovsdb_mutation("bridges", "delete", ovsdb_set(del))));
	else
		json_decref(del);
	if (json_array_size(add))
		ovsdb_txn_mutate(
			t, "Open_vSwitch", NULL,
			json_pack("[o]", ovsdb_mutation("bridges", "insert", ovsdb_set(add))));
	else
		json_decref(add);
	if (t->oom)
		return error_set(err, -ENOMEM, "OVSDB transaction: out of memory");
	return 0;
}
