/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internal to topology-yaml.c, topology-load.c and topology-load-forward.c:
 * the YAML tree (struct topology_ynode, topology.h) into the model. Every
 * function refuses what it cannot load with "FILE:LINE:COL: KEY: REASON"
 * through tl_fail() and returns -EINVAL (-ENOMEM when out of memory).
 */
#ifndef NSNET_TOPOLOGY_LOADER_H
#define NSNET_TOPOLOGY_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "topology.h"

#define KEY_MAX 512 /* a key path: "namespaces.blue.routes[1].via" */

struct loader {
	const char *file;
	struct error *err;
};

int tl_fail(struct loader *l, const struct topology_ynode *n, const char *key, const char *fmt,
	    ...) _printf_(4, 5);
/* Turns an error from a helper (name.h, inet.h) into a located one. */
int tl_fail_from(struct loader *l, const struct topology_ynode *n, const char *key,
		 const struct error *e);

/* Key paths, truncated at KEY_MAX: "parent.child", "parent[i]". */
void tl_key_join(char *out, const char *parent, const char *child);
void tl_key_index(char *out, const char *parent, size_t i);

const char *tl_type_name(const struct topology_ynode *n);
/* An empty value ("key:" with nothing after it), which YAML reads as null. */
bool tl_is_null(const struct topology_ynode *n);
int tl_expect(struct loader *l, const struct topology_ynode *n, const char *key,
	      enum topology_ynode_type t);
/* A fixed-shape mapping: each key one of allowed[] (NULL-ended, at most 16), once. */
int tl_check_keys(struct loader *l, const struct topology_ynode *map, const char *key,
		  const char *const *allowed);
/* A mapping keyed by object names: at most max, each name once. */
int tl_check_names(struct loader *l, const struct topology_ynode *map, const char *key,
		   const char *what, size_t max);
const struct topology_ynode *tl_map_get(const struct topology_ynode *map, const char *name);

int tl_load_bool(struct loader *l, const struct topology_ynode *n, const char *key, bool *ret);
/* A decimal number, unquoted, at most 10 digits so it cannot overflow. */
bool tl_parse_uint(const char *s, size_t n, uint64_t *ret);
int tl_load_mtu(struct loader *l, const struct topology_ynode *n, const char *key,
		uint32_t *ret);
int tl_load_ifname(struct loader *l, const struct topology_ynode *n, const char *key, char *out);
/* name: n's text, or a part of it. */
int tl_load_nsname(struct loader *l, const struct topology_ynode *n, const char *name,
		   const char *key, char *out);
int tl_load_addr_one(struct loader *l, const struct topology_ynode *n, const char *key,
		     struct topology_addr *ret);
/* "address: CIDR" or "addresses: [CIDR, ...]", not both. */
int tl_load_addrs(struct loader *l, const struct topology_ynode *map, const char *key,
		  struct topology_addr *addrs, size_t *n_addrs, bool *listed);

/* topology-load-forward.c */
int tl_load_forward(struct loader *l, const struct topology_ynode *v, const char *key,
		    struct topology_forward *f);
int tl_load_probe(struct loader *l, const struct topology_ynode *v, const char *key,
		  struct topology_probe *p);

#endif
