/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internal to topology.c and topology-load*.c: the YAML tree and how it is
 * loaded into the model.
 *
 * The YAML is first read into a small tree of struct ynode (topology.c),
 * which keeps every node's position (libfyaml 0.7 has no position for a
 * collection node) and holds no alias, anchor or tag. The tree is then loaded
 * by tables: every object of the file (the top level, a bridge, a namespace,
 * an interface, a route, a forward, a check) is a struct shape, a list of
 * its fields (key, value loader, where the value goes in the model, whether
 * it is required) and of the choices between two keys. load_object() does
 * what every object needs (node types, unknown and duplicate keys, required
 * keys, choices, hints at misplaced keys) and calls the value loaders of
 * topology-load-value.c. Every function refuses what it cannot load with
 * "FILE:LINE:COL: KEY: REASON" through load_fail() and returns -EINVAL
 * (-ENOMEM when out of memory).
 */
#ifndef NSNET_TOPOLOGY_LOADER_H
#define NSNET_TOPOLOGY_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "topology.h"

/* --- the YAML tree (topology-tree.c) --- */

enum ynode_type {
	YNODE_SCALAR,
	YNODE_MAP, /* kids: key, value, key, value... */
	YNODE_SEQ,
};

struct ynode {
	enum ynode_type type;
	struct topology_pos pos;
	char *str;  /* YNODE_SCALAR: NUL-terminated, no NUL inside */
	bool plain; /* unquoted scalar: only these can be null, booleans or numbers */
	struct ynode **kids;
	size_t n_kids;
	size_t cap_kids;
};

/*
 * Reads buf into a tree (*ret NULL for a stream with no document: only
 * comments or blank lines). The caller has checked the raw caps.
 */
int ynode_tree_read(const char *file, const char *buf, size_t len, struct ynode **ret,
		    struct error *err);
void ynode_free(struct ynode *n);
static inline void ynode_freep(struct ynode **n)
{
	ynode_free(*n);
}

/* The value of key name in map, or NULL. */
const struct ynode *ynode_get(const struct ynode *map, const char *name);
/* An empty value ("key:" with nothing after it), "~" or "null": YAML's null. */
bool ynode_is_null(const struct ynode *n);
/* "a mapping", "a sequence", "a scalar" or "null". */
const char *ynode_type_name(const struct ynode *n);

/* --- located errors (topology-load-object.c) and key paths (topology-tree.c) --- */

struct loader {
	const char *file;
	struct error *err;
};

int load_fail(struct loader *l, const struct ynode *n, const char *key, const char *fmt, ...)
	_printf_(4, 5);
/* Turns an error from a helper (name.h, inet.h) into a located one. */
int load_fail_from(struct loader *l, const struct ynode *n, const char *key, const struct error *e);
/* Appends " (HINT)" to the error a load just failed with, when it is an input error. */
void load_hint(struct loader *l, const char *fmt, ...) _printf_(2, 3);

/*
 * Key paths, truncated at TOPOLOGY_KEY_MAX: "parent.child", "parent[i]". Bytes a
 * message cannot show as they are (control characters, quotes, non-ASCII)
 * are escaped as name_escape() does, so a message stays one line.
 */
void load_key_join(char *out, const char *parent, const char *child);
void load_key_index(char *out, const char *parent, size_t i);

/* --- objects as tables of fields (topology-load-object.c) --- */

/*
 * A value loader: n is the value of key, dst where it goes (the field's
 * offset in the object, or the object itself for loaders that fill several
 * members), arg the field's arg.
 */
typedef int load_value_fn(struct loader *l, const struct ynode *n, const char *key, void *dst,
			  const void *arg);

/* Offsets of optional members, +1 so that 0 says "none". */
#define LOAD_AT(type, member) (offsetof(type, member) + 1)

struct field {
	const char *key;
	load_value_fn *load;
	size_t dst; /* offsetof the destination in the object */
	const void *arg;
	size_t pos;    /* LOAD_AT of a struct topology_pos set to the value's, or 0 */
	size_t given;  /* LOAD_AT of a bool set when the key is there, or 0 */
	bool required; /* missing: "needs 'a' and 'b'", naming every required key */
};

/* Two keys of which at most one (exclusive) or at least one (needed) is given. */
struct choice {
	const char *a, *b;
	bool exclusive, needed;
};

struct shape {
	const char *what;  /* "an interface", for hints */
	const char *noun;  /* "interface" */
	const char *under; /* where its keys go: "under an interface's name" */
	const struct field *fields;
	size_t n_fields; /* at most SHAPE_FIELDS_MAX */
	const struct choice *choices;
	size_t n_choices;
	bool null_ok; /* "NAME:" with nothing after it is an empty object */
	/* After the fields: what relates them. where: the object's node, v its mapping. */
	int (*finish)(struct loader *l, const struct ynode *where, const struct ynode *v,
		      const char *key, void *obj);
	/* The objects one level up and down, for hints at misindented keys. */
	const struct shape *parent;
	const struct shape *const *children; /* NULL-ended */
};

#define SHAPE_FIELDS_MAX 16

/*
 * Loads mapping v into obj by shape s. where: the node errors about the object
 * as a whole point at (its name for a named object, else v itself).
 */
int load_object(struct loader *l, const struct shape *s, const struct ynode *where,
		const struct ynode *v, const char *key, void *obj);

/* Whether key is one of s's fields. */
bool shape_has(const struct shape *s, const char *key);

/*
 * A collection of objects: a mapping of named objects (bridges, namespaces,
 * interfaces) or a list (routes, forwards, checks), capped, loaded into an
 * array of the parent object. The field's arg of load_collection().
 */
struct collection {
	const char *what; /* "interfaces": "too many interfaces (at most 64)" */
	enum ynode_type type;
	size_t max, size;
	size_t items, count; /* offsetof the array pointer and its count in the parent */
	const struct shape *shape;
	/* YNODE_MAP: checks and stores an object's name; the offset of its position. */
	load_value_fn *name;
	size_t name_dst, name_pos;
	/* YNODE_SEQ: LOAD_AT of the position of each item in its object, or 0. */
	size_t item_pos;
};

/* dst: the parent object; arg: its struct collection. */
load_value_fn load_collection;

/* --- values (topology-load-value.c): dst as said, arg unused unless said --- */

/* A scalar that is not null, else "expected WHAT, got null" (or a mapping, a sequence). */
int load_scalar(struct loader *l, const struct ynode *n, const char *key, const char *what);
/* A decimal number, unquoted, at most 10 digits so it cannot overflow. */
bool load_parse_uint(const char *s, size_t n, uint64_t *ret);
/* An unquoted decimal integer, else "expected an integer". */
int load_uint(struct loader *l, const struct ynode *n, const char *key, uint64_t *ret);
/* s: "80" or "8000-8010", each end 1 to 65535 (n's text, or a part of it). */
int load_ports(struct loader *l, const struct ynode *n, const char *key, const char *s,
	       uint16_t *lo, uint16_t *hi);

/* The text of n, one of words[] (NULL-ended) into *ret, else "expected EXPECTED". */
int load_word(struct loader *l, const struct ynode *n, const char *key, const char *expected,
	      const char *const *words, size_t *ret);

load_value_fn load_bool;    /* bool */
load_value_fn load_mtu;	    /* uint32_t */
load_value_fn load_ifname;  /* char[IFNAME_MAX + 1], by name_link_check() */
load_value_fn load_nsname;  /* char[NETNS_NAME_MAX + 1] */
load_value_fn load_topname; /* char[TOPOLOGY_NAME_MAX + 1] */
load_value_fn load_addr;    /* struct inet_addr */
load_value_fn load_mac;	    /* uint8_t[MAC_LEN] */
load_value_fn load_port;    /* uint16_t: one port, not a range */

/* Where an object keeps its addresses: the arg of load_address and load_addresses. */
struct addrs_at {
	size_t v, n, listed; /* offsetof the struct topology_addr array, its count, the flag */
};
load_value_fn load_address;   /* "address: CIDR"; dst: the object */
load_value_fn load_addresses; /* "addresses: [CIDR, ...]"; dst: the object */

/* A bridge's "vxlan:" (topology-load-vxlan.c); dst: the bridge, named already. */
load_value_fn load_vxlan;

/* --- the objects (topology-load.c, topology-load-forward.c) --- */

extern const struct shape load_top_shape, load_forward_shape, load_probe_shape;

int topology_load(const char *file, const struct ynode *root, struct topology *t,
		  struct error *err);

#endif
