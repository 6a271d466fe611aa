/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the observer reads from OVSDB: the Open_vSwitch row and every Bridge,
 * Port and Interface row, with only the columns nsnet uses, read into C
 * structs from the reply of one transaction of four selects. Strings point
 * into the reply, which the state holds. Every row is type-checked: a column
 * of the wrong type, a duplicate uuid or bridge name, a string or set over the
 * caps is an error naming the table and the row, never a guess.
 */
#ifndef NSNET_OVSDB_STATE_H
#define NSNET_OVSDB_STATE_H

#include "ovsdb.h"

struct ovsdb_kv {
	const char *key, *value;
};

/* A map of strings to strings (external_ids). */
struct ovsdb_strmap {
	size_t n;
	struct ovsdb_kv *v;
};

struct ovsdb_uuids {
	size_t n;
	char (*v)[OVSDB_UUID_LEN + 1];
};

struct ovsdb_root {
	char uuid[OVSDB_UUID_LEN + 1];
	struct ovsdb_uuids bridges;
	int64_t next_cfg, cur_cfg;
};

struct ovsdb_bridge {
	char uuid[OVSDB_UUID_LEN + 1];
	const char *name, *datapath_type;
	struct ovsdb_uuids ports;
	struct ovsdb_strmap external_ids;
};

struct ovsdb_port {
	char uuid[OVSDB_UUID_LEN + 1];
	const char *name;
	const struct ovsdb_bridge *bridge; /* the (first) bridge listing it; NULL: none */
	struct ovsdb_uuids interfaces;
	struct ovsdb_strmap external_ids;
};

struct ovsdb_iface {
	char uuid[OVSDB_UUID_LEN + 1];
	const char *name, *type;
	const char *error;	       /* NULL: none */
	const struct ovsdb_port *port; /* the (first) port listing it; NULL: none */
	bool has_ofport;	       /* ofport is set (-1: vswitchd could not add it) */
	int64_t ofport;
	struct ovsdb_strmap external_ids;
};

struct ovsdb_state {
	json_t *json; /* the reply the strings point into */
	bool has_root;
	struct ovsdb_root root;
	size_t n_bridges, n_ports, n_ifaces;
	struct ovsdb_bridge *bridges; /* sorted by name */
	struct ovsdb_port *ports;     /* sorted by uuid */
	struct ovsdb_iface *ifaces;   /* sorted by uuid */
	const struct ovsdb_port **ports_by_name;
	const struct ovsdb_iface **ifaces_by_name;
};

/* Adds the four selects to t; returns the index of the first (then Bridge, Port, Interface). */
int ovsdb_state_select(struct ovsdb_txn *t);
/* Reads the results of those selects, first at index op, from a checked reply. */
int ovsdb_state_parse(const struct ovsdb_msg *reply, size_t op, struct ovsdb_state **ret,
		      struct error *err);
void ovsdb_state_free(struct ovsdb_state *s);
static inline void ovsdb_state_freep(struct ovsdb_state **s)
{
	ovsdb_state_free(*s);
}
#define _cleanup_ovsdb_state_ _cleanup_(ovsdb_state_freep)

/* Lookups; NULL when there is none. */
const struct ovsdb_bridge *ovsdb_state_bridge(const struct ovsdb_state *s, const char *name);
const struct ovsdb_port *ovsdb_state_port(const struct ovsdb_state *s, const char *uuid);
const struct ovsdb_iface *ovsdb_state_iface(const struct ovsdb_state *s, const char *uuid);
/* Port and Interface names are unique in OVSDB (the schema's indexes). */
const struct ovsdb_port *ovsdb_state_port_named(const struct ovsdb_state *s, const char *name);
const struct ovsdb_iface *ovsdb_state_iface_named(const struct ovsdb_state *s, const char *name);
const char *ovsdb_strmap_get(const struct ovsdb_strmap *m, const char *key);

#endif
