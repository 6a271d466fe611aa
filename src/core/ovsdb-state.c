// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * OVSDB rows into the structs of ovsdb-state.h. A table is described by its
 * columns (name, type, place in the struct), which give both the select's
 * column list and the reader; every datum's type is checked, and an error
 * names the table, the row and the column.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "name.h"
#include "ovsdb-state.h"

/* What a column holds, and where its value goes in the table's struct. */
enum col_type {
	COL_UUID,	/* char[OVSDB_UUID_LEN + 1] */
	COL_STRING,	/* const char * */
	COL_INT,	/* int64_t */
	COL_OPT_STRING, /* const char *, NULL when unset */
	COL_OPT_INT,	/* int64_t, and a bool at has */
	COL_UUIDS,	/* struct ovsdb_uuids */
	COL_STRMAP,	/* struct ovsdb_strmap */
};

struct column {
	const char *name;
	enum col_type type;
	size_t offset, has;
};

#define COLUMNS_MAX 8

struct table {
	const char *name;
	size_t size; /* of one struct */
	struct column columns[COLUMNS_MAX];
};

#define COL(s, n, t, f)                        \
	{                                      \
		n, t, offsetof(struct s, f), 0 \
	}

static const struct table root_table = {
	"Open_vSwitch",
	sizeof(struct ovsdb_root),
	{COL(ovsdb_root, "_uuid", COL_UUID, uuid), COL(ovsdb_root, "bridges", COL_UUIDS, bridges),
	 COL(ovsdb_root, "next_cfg", COL_INT, next_cfg),
	 COL(ovsdb_root, "cur_cfg", COL_INT, cur_cfg)},
};

static const struct table tables[] = {
	{"Bridge",
	 sizeof(struct ovsdb_bridge),
	 {COL(ovsdb_bridge, "_uuid", COL_UUID, uuid), COL(ovsdb_bridge, "name", COL_STRING, name),
	  COL(ovsdb_bridge, "ports", COL_UUIDS, ports),
	  COL(ovsdb_bridge, "external_ids", COL_STRMAP, external_ids),
	  COL(ovsdb_bridge, "datapath_type", COL_STRING, datapath_type)}},
	{"Port",
	 sizeof(struct ovsdb_port),
	 {COL(ovsdb_port, "_uuid", COL_UUID, uuid), COL(ovsdb_port, "name", COL_STRING, name),
	  COL(ovsdb_port, "interfaces", COL_UUIDS, interfaces),
	  COL(ovsdb_port, "external_ids", COL_STRMAP, external_ids)}},
	{"Interface",
	 sizeof(struct ovsdb_iface),
	 {COL(ovsdb_iface, "_uuid", COL_UUID, uuid),
	  COL(ovsdb_iface, "name", COL_STRING, name),
	  COL(ovsdb_iface, "type", COL_STRING, type),
	  COL(ovsdb_iface, "external_ids", COL_STRMAP, external_ids),
	  {"ofport", COL_OPT_INT, offsetof(struct ovsdb_iface, ofport),
	   offsetof(struct ovsdb_iface, has_ofport)},
	  COL(ovsdb_iface, "error", COL_OPT_STRING, error)}},
};

static int select_table(struct ovsdb_txn *t, const struct table *tb)
{
	const char *names[COLUMNS_MAX + 1] = {0};

	for (size_t i = 0; i < COLUMNS_MAX && tb->columns[i].name; i++)
		names[i] = tb->columns[i].name;
	return ovsdb_txn_select(t, tb->name, NULL, names);
}

int ovsdb_state_select(struct ovsdb_txn *t)
{
	int first = select_table(t, &root_table);

	for (size_t i = 0; i < ARRAY_SIZE(tables); i++)
		select_table(t, &tables[i]);
	return t->oom ? -ENOMEM : first;
}

/* The row being read, for errors. */
struct row {
	const char *table;
	size_t index;
	struct error *err;
};

static int bad(const struct row *r, const char *column, const char *why)
{
	return error_set(r->err, -EBADMSG, "OVSDB reply: table '%s' row %zu: column '%s': %s",
			 r->table, r->index, column, why);
}

/* An optional value (a set of at most one element): *ret NULL when empty. */
static int read_optional(const json_t *v, const json_t **ret)
{
	size_t n;

	if (ovsdb_set_size(v, &n) < 0 || n > 1)
		return -EBADMSG;
	*ret = n ? ovsdb_set_at(v, 0) : NULL;
	return 0;
}

static int read_uuids(const struct row *r, const char *column, const json_t *v,
		      struct ovsdb_uuids *ret)
{
	size_t n;

	if (ovsdb_set_size(v, &n) < 0)
		return bad(r, column, "not a set (or one too large)");
	if (n == 0)
		return 0;
	ret->v = calloc(n, sizeof(*ret->v));
	if (!ret->v)
		return error_set(r->err, -ENOMEM, "OVSDB reply: out of memory");
	ret->n = n;
	for (size_t i = 0; i < n; i++)
		if (ovsdb_atom_uuid(ovsdb_set_at(v, i), ret->v[i]) < 0)
			return bad(r, column, "an element is not a uuid");
	return 0;
}

static int read_strmap(const struct row *r, const char *column, const json_t *v,
		       struct ovsdb_strmap *ret)
{
	const json_t *pairs;

	if (ovsdb_map_pairs(v, &pairs) < 0)
		return bad(r, column, "not a map (or one too large)");
	if (json_array_size(pairs) == 0)
		return 0;
	ret->v = calloc(json_array_size(pairs), sizeof(*ret->v));
	if (!ret->v)
		return error_set(r->err, -ENOMEM, "OVSDB reply: out of memory");
	for (size_t i = 0; i < json_array_size(pairs); i++) {
		const json_t *p = json_array_get(pairs, i);
		struct ovsdb_kv *kv = &ret->v[i];

		if (ovsdb_atom_string(json_array_get(p, 0), &kv->key) < 0 ||
		    ovsdb_atom_string(json_array_get(p, 1), &kv->value) < 0)
			return bad(r, column, "not a map of strings");
		ret->n = i + 1;
	}
	return 0;
}

static int read_column(const struct row *r, const struct column *c, const json_t *v, char *obj)
{
	void *dst = obj + c->offset;
	const json_t *opt;

	switch (c->type) {
	case COL_UUID:
		return ovsdb_atom_uuid(v, dst) < 0 ? bad(r, c->name, "not a uuid") : 0;
	case COL_STRING:
		if (ovsdb_atom_string(v, dst) < 0)
			return bad(r, c->name, "not a string (or one too long)");
		return 0;
	case COL_INT:
		if (!json_is_integer(v))
			return bad(r, c->name, "not an integer");
		*(int64_t *)dst = json_integer_value(v);
		return 0;
	case COL_OPT_STRING:
	case COL_OPT_INT:
		if (read_optional(v, &opt) < 0)
			return bad(r, c->name, "not an optional value");
		if (!opt)
			return 0;
		if (c->type == COL_OPT_STRING)
			return ovsdb_atom_string(opt, dst) < 0 ? bad(r, c->name, "not a string")
							       : 0;
		if (!json_is_integer(opt))
			return bad(r, c->name, "not an integer");
		*(int64_t *)dst = json_integer_value(opt);
		*(bool *)(obj + c->has) = true;
		return 0;
	case COL_UUIDS:
		return read_uuids(r, c->name, v, dst);
	case COL_STRMAP:
		return read_strmap(r, c->name, v, dst);
	}
	return -EINVAL;
}

/* Frees what the columns of n structs at v allocated, and v. */
static void free_rows(const struct table *t, void *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *obj = (char *)v + i * t->size;

		for (const struct column *c = t->columns; c < t->columns + COLUMNS_MAX && c->name;
		     c++) {
			if (c->type == COL_UUIDS)
				free(((struct ovsdb_uuids *)(obj + c->offset))->v);
			else if (c->type == COL_STRMAP)
				free(((struct ovsdb_strmap *)(obj + c->offset))->v);
		}
	}
	free(v);
}

/* Reads the rows of the select at op into a new array of *ret_n structs. */
static int read_table(const struct ovsdb_msg *reply, size_t op, const struct table *t, void **ret,
		      size_t *ret_n, struct error *err)
{
	json_t *rows;
	char *v;
	int r;

	r = ovsdb_result_rows(reply, op, &rows, err);
	if (r < 0)
		return r;
	*ret_n = 0;
	if (json_array_size(rows) == 0)
		return 0;
	v = calloc(json_array_size(rows), t->size);
	if (!v)
		return error_set(err, -ENOMEM, "OVSDB reply: out of memory");
	*ret = v;
	for (size_t i = 0; i < json_array_size(rows); i++) {
		const json_t *row = json_array_get(rows, i);
		struct row ctx = {.table = t->name, .index = i, .err = err};

		/* Counted first: a half-read row still has its sets freed. */
		*ret_n = i + 1;
		if (!json_is_object(row))
			return error_set(err, -EBADMSG,
					 "OVSDB reply: table '%s' row %zu: not an object", t->name,
					 i);
		for (const struct column *c = t->columns; c < t->columns + COLUMNS_MAX && c->name;
		     c++) {
			const json_t *val = json_object_get(row, c->name);

			r = val ? read_column(&ctx, c, val, v + i * t->size)
				: bad(&ctx, c->name, "missing");
			if (r < 0)
				return r;
		}
	}
	return 0;
}

/* qsort and bsearch, for arrays that may be empty (and then NULL, which libc may not get). */
static void sort(void *v, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(v, n, size, cmp);
}

static void *find(const void *key, const void *v, size_t n, size_t size,
		  int (*cmp)(const void *, const void *))
{
	return n ? bsearch(key, v, n, size, cmp) : NULL;
}

static int cmp_bridge(const void *a, const void *b)
{
	return strcmp(((const struct ovsdb_bridge *)a)->name,
		      ((const struct ovsdb_bridge *)b)->name);
}

/* Ports and interfaces start with their uuid. */
static int cmp_uuid(const void *a, const void *b)
{
	return strcmp(a, b);
}

static int cmp_port_name(const void *a, const void *b)
{
	return strcmp((*(const struct ovsdb_port *const *)a)->name,
		      (*(const struct ovsdb_port *const *)b)->name);
}

static int cmp_iface_name(const void *a, const void *b)
{
	return strcmp((*(const struct ovsdb_iface *const *)a)->name,
		      (*(const struct ovsdb_iface *const *)b)->name);
}

static int duplicate(struct error *err, const char *table, const char *what, const char *key)
{
	char q[96];

	name_escape(key, q, sizeof(q));
	return error_set(err, -EBADMSG, "OVSDB reply: table '%s': two rows with %s '%s'", table,
			 what, q);
}

/* Sorted arrays of fixed-size structs: a pair of equal keys is adjacent. */
static int check_unique(const void *v, size_t n, size_t size,
			int (*cmp)(const void *, const void *), const char *(*key)(const void *),
			const char *table, const char *what, struct error *err)
{
	const char *p = v;

	for (size_t i = 1; i < n; i++)
		if (cmp(p + (i - 1) * size, p + i * size) == 0)
			return duplicate(err, table, what, key(p + i * size));
	return 0;
}

static const char *key_uuid(const void *o)
{
	return o;
}

static const char *key_bridge(const void *o)
{
	return ((const struct ovsdb_bridge *)o)->name;
}

static const char *key_port(const void *o)
{
	return (*(const struct ovsdb_port *const *)o)->name;
}

static const char *key_iface(const void *o)
{
	return (*(const struct ovsdb_iface *const *)o)->name;
}

/* A name index over n structs of size bytes, sorted with cmp. */
static void *index_new(void *v, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	const void **idx = calloc(n ? n : 1, sizeof(*idx));

	if (!idx)
		return NULL;
	for (size_t i = 0; i < n; i++)
		idx[i] = (char *)v + i * size;
	sort(idx, n, sizeof(*idx), cmp);
	return idx;
}

/* Each port and interface learns who lists it, which is what the observer walks up. */
static void link_rows(struct ovsdb_state *s)
{
	for (size_t b = 0; b < s->n_bridges; b++) {
		const struct ovsdb_bridge *br = &s->bridges[b];

		for (size_t i = 0; i < br->ports.n; i++) {
			struct ovsdb_port *p =
				(struct ovsdb_port *)ovsdb_state_port(s, br->ports.v[i]);

			if (p && !p->bridge)
				p->bridge = br;
		}
	}
	for (size_t k = 0; k < s->n_ports; k++) {
		const struct ovsdb_port *p = &s->ports[k];

		for (size_t i = 0; i < p->interfaces.n; i++) {
			struct ovsdb_iface *f =
				(struct ovsdb_iface *)ovsdb_state_iface(s, p->interfaces.v[i]);

			if (f && !f->port)
				f->port = p;
		}
	}
}

static int state_index(struct ovsdb_state *s, struct error *err)
{
	int r;

	sort(s->bridges, s->n_bridges, sizeof(*s->bridges), cmp_bridge);
	sort(s->ports, s->n_ports, sizeof(*s->ports), cmp_uuid);
	sort(s->ifaces, s->n_ifaces, sizeof(*s->ifaces), cmp_uuid);
	s->ports_by_name = index_new(s->ports, s->n_ports, sizeof(*s->ports), cmp_port_name);
	s->ifaces_by_name = index_new(s->ifaces, s->n_ifaces, sizeof(*s->ifaces), cmp_iface_name);
	if (!s->ports_by_name || !s->ifaces_by_name)
		return error_set(err, -ENOMEM, "OVSDB reply: out of memory");
	r = check_unique(s->bridges, s->n_bridges, sizeof(*s->bridges), cmp_bridge, key_bridge,
			 "Bridge", "name", err);
	if (r >= 0)
		r = check_unique(s->ports, s->n_ports, sizeof(*s->ports), cmp_uuid, key_uuid,
				 "Port", "uuid", err);
	if (r >= 0)
		r = check_unique(s->ifaces, s->n_ifaces, sizeof(*s->ifaces), cmp_uuid, key_uuid,
				 "Interface", "uuid", err);
	if (r >= 0)
		r = check_unique(s->ports_by_name, s->n_ports, sizeof(void *), cmp_port_name,
				 key_port, "Port", "name", err);
	if (r >= 0)
		r = check_unique(s->ifaces_by_name, s->n_ifaces, sizeof(void *), cmp_iface_name,
				 key_iface, "Interface", "name", err);
	if (r >= 0)
		link_rows(s);
	return r;
}

int ovsdb_state_parse(const struct ovsdb_msg *reply, size_t op, struct ovsdb_state **ret,
		      struct error *err)
{
	_cleanup_ovsdb_state_ struct ovsdb_state *s = calloc(1, sizeof(*s));
	struct ovsdb_root *roots = NULL;
	size_t n_roots = 0;
	int r;

	if (!s)
		return error_set(err, -ENOMEM, "OVSDB reply: out of memory");
	s->json = json_incref(reply->json);
	r = read_table(reply, op, &root_table, (void **)&roots, &n_roots, err);
	if (r >= 0 && n_roots > 1)
		r = error_set(err, -EBADMSG, "OVSDB reply: %zu rows in table 'Open_vSwitch'",
			      n_roots);
	if (r >= 0 && n_roots == 1) {
		s->root = roots[0];
		s->has_root = true;
		free(roots);
	} else {
		free_rows(&root_table, roots, n_roots);
	}
	if (r >= 0)
		r = read_table(reply, op + 1, &tables[0], (void **)&s->bridges, &s->n_bridges, err);
	if (r >= 0)
		r = read_table(reply, op + 2, &tables[1], (void **)&s->ports, &s->n_ports, err);
	if (r >= 0)
		r = read_table(reply, op + 3, &tables[2], (void **)&s->ifaces, &s->n_ifaces, err);
	if (r >= 0)
		r = state_index(s, err);
	if (r < 0)
		return r;
	*ret = TAKE_PTR(s);
	return 0;
}

void ovsdb_state_free(struct ovsdb_state *s)
{
	if (!s)
		return;
	free(s->root.bridges.v);
	free_rows(&tables[0], s->bridges, s->n_bridges);
	free_rows(&tables[1], s->ports, s->n_ports);
	free_rows(&tables[2], s->ifaces, s->n_ifaces);
	free(s->ports_by_name);
	free(s->ifaces_by_name);
	json_decref(s->json);
	free(s);
}

const struct ovsdb_bridge *ovsdb_state_bridge(const struct ovsdb_state *s, const char *name)
{
	struct ovsdb_bridge key = {.name = name};

	return find(&key, s->bridges, s->n_bridges, sizeof(*s->bridges), cmp_bridge);
}

const struct ovsdb_port *ovsdb_state_port(const struct ovsdb_state *s, const char *uuid)
{
	return find(uuid, s->ports, s->n_ports, sizeof(*s->ports), cmp_uuid);
}

const struct ovsdb_iface *ovsdb_state_iface(const struct ovsdb_state *s, const char *uuid)
{
	return find(uuid, s->ifaces, s->n_ifaces, sizeof(*s->ifaces), cmp_uuid);
}

const struct ovsdb_port *ovsdb_state_port_named(const struct ovsdb_state *s, const char *name)
{
	struct ovsdb_port key = {.name = name};
	const struct ovsdb_port *k = &key, *const * p;

	p = find(&k, s->ports_by_name, s->n_ports, sizeof(*p), cmp_port_name);
	return p ? *p : NULL;
}

const struct ovsdb_iface *ovsdb_state_iface_named(const struct ovsdb_state *s, const char *name)
{
	struct ovsdb_iface key = {.name = name};
	const struct ovsdb_iface *k = &key, *const * p;

	p = find(&k, s->ifaces_by_name, s->n_ifaces, sizeof(*p), cmp_iface_name);
	return p ? *p : NULL;
}

const char *ovsdb_strmap_get(const struct ovsdb_strmap *m, const char *key)
{
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->v[i].key, key) == 0)
			return m->v[i].value;
	return NULL;
}
