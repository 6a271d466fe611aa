// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What every object loader of topology-load*.c shares: located errors, key
 * paths, node types, fixed-shape mappings (unknown and duplicate keys),
 * mappings keyed by names, and the values found everywhere (booleans, MTUs,
 * interface and namespace names, addresses).
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "topology-loader.h"

int tl_fail(struct loader *l, const struct topology_ynode *n, const char *key, const char *fmt, ...)
{
	char reason[ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	return topology_error(l->err, l->file, n->pos, key, "%s", reason);
}

/* Turns an error from a helper (name.h, inet.h) into a located one. */
int tl_fail_from(struct loader *l, const struct topology_ynode *n, const char *key,
		 const struct error *e)
{
	return topology_error(l->err, l->file, n->pos, key, "%s", e->msg);
}

/* Appends to a key path, truncating at KEY_MAX (names are capped far below it). */
static void key_append(char *out, size_t *o, const char *s)
{
	for (; *s && *o + 1 < KEY_MAX; s++)
		out[(*o)++] = *s;
	out[*o] = '\0';
}

void tl_key_join(char *out, const char *parent, const char *child)
{
	size_t o = 0;

	out[0] = '\0';
	key_append(out, &o, parent);
	if (*parent)
		key_append(out, &o, ".");
	key_append(out, &o, child);
}

void tl_key_index(char *out, const char *parent, size_t i)
{
	char idx[24];
	size_t o = 0;

	snprintf(idx, sizeof(idx), "[%zu]", i);
	out[0] = '\0';
	key_append(out, &o, parent);
	key_append(out, &o, idx);
}

const char *tl_type_name(const struct topology_ynode *n)
{
	switch (n->type) {
	case TOPOLOGY_Y_MAP:
		return "a mapping";
	case TOPOLOGY_Y_SEQ:
		return "a sequence";
	default:
		return n->str[0] || !n->plain ? "a scalar" : "nothing";
	}
}

/* An empty value ("key:" with nothing after it), which YAML reads as null. */
bool tl_is_null(const struct topology_ynode *n)
{
	return n->type == TOPOLOGY_Y_SCALAR && n->plain &&
	       (!n->str[0] || strcmp(n->str, "~") == 0 || strcmp(n->str, "null") == 0);
}

int tl_expect(struct loader *l, const struct topology_ynode *n, const char *key,
	      enum topology_ynode_type t)
{
	static const char *const want[] = {
		[TOPOLOGY_Y_SCALAR] = "a scalar",
		[TOPOLOGY_Y_MAP] = "a mapping",
		[TOPOLOGY_Y_SEQ] = "a sequence",
	};

	if (n->type == t && !(t == TOPOLOGY_Y_SCALAR && tl_is_null(n)))
		return 0;
	return tl_fail(l, n, key, "expected %s, got %s", want[t], tl_type_name(n));
}

/*
 * Keys of a fixed-shape mapping: each must be one of allowed[] (NULL-ended,
 * at most 16) and appear once. Linear in the mapping's size, whatever it is.
 */
int tl_check_keys(struct loader *l, const struct topology_ynode *map, const char *key,
		  const char *const *allowed)
{
	const struct topology_ynode *seen[16] = {0};
	char k[KEY_MAX];

	for (size_t i = 0; i < map->n_kids; i += 2) {
		const struct topology_ynode *kn = map->kids[i];
		size_t j;

		tl_key_join(k, key, kn->str);
		for (j = 0; allowed[j]; j++)
			if (strcmp(kn->str, allowed[j]) == 0)
				break;
		if (!allowed[j])
			return tl_fail(l, kn, k, "unknown key");
		if (seen[j])
			return tl_fail(l, kn, k, "duplicate key (first at %u:%u)",
				       seen[j]->pos.line, seen[j]->pos.col);
		seen[j] = kn;
	}
	return 0;
}

/*
 * Keys of a mapping keyed by object names: counted against the cap first, so
 * the quadratic duplicate search stays bounded.
 */
static int cmp_pos(const struct topology_ynode *a, const struct topology_ynode *b)
{
	if (a->pos.line != b->pos.line)
		return a->pos.line < b->pos.line ? -1 : 1;
	return (a->pos.col > b->pos.col) - (a->pos.col < b->pos.col);
}

static int cmp_key(const void *x, const void *y)
{
	const struct topology_ynode *const *a = x, *const *b = y;
	int d = strcmp((*a)->str, (*b)->str);

	/* Equal keys in file order. */
	return d ? d : cmp_pos(*a, *b);
}

/*
 * The first key (in file order) that repeats an earlier one, reported with
 * where that one is. Sorted, not compared pairwise: a map of 4096 namespaces
 * would take 8 million comparisons.
 */
static int check_duplicates(struct loader *l, const struct topology_ynode *map, const char *key)
{
	_cleanup_free_ const struct topology_ynode **v = NULL;
	const struct topology_ynode *dup = NULL, *first = NULL;
	size_t n = map->n_kids / 2;
	char k[KEY_MAX];

	if (n < 2)
		return 0;
	v = malloc(n * sizeof(*v));
	if (!v)
		return error_set(l->err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++)
		v[i] = map->kids[2 * i];
	qsort(v, n, sizeof(*v), cmp_key);
	for (size_t i = 1; i < n; i++) {
		if (strcmp(v[i]->str, v[i - 1]->str) != 0)
			continue;
		/* v[i] is the second of its run: compare with the best so far. */
		if (i >= 2 && strcmp(v[i - 2]->str, v[i]->str) == 0)
			continue;
		if (!dup || cmp_pos(v[i], dup) < 0) {
			dup = v[i];
			first = v[i - 1];
		}
	}
	if (!dup)
		return 0;
	tl_key_join(k, key, dup->str);
	return tl_fail(l, dup, k, "duplicate key (first at %u:%u)", first->pos.line,
		       first->pos.col);
}

int tl_check_names(struct loader *l, const struct topology_ynode *map, const char *key,
		   const char *what, size_t max)
{
	char k[KEY_MAX];

	if (map->n_kids / 2 > max) {
		const struct topology_ynode *kn = map->kids[max * 2];

		tl_key_join(k, key, kn->str);
		return tl_fail(l, kn, k, "too many %s (at most %zu)", what, max);
	}
	return check_duplicates(l, map, key);
}

const struct topology_ynode *tl_map_get(const struct topology_ynode *map, const char *name)
{
	for (size_t i = 0; i < map->n_kids; i += 2)
		if (strcmp(map->kids[i]->str, name) == 0)
			return map->kids[i + 1];
	return NULL;
}

int tl_load_bool(struct loader *l, const struct topology_ynode *n, const char *key, bool *ret)
{
	if (n->type == TOPOLOGY_Y_SCALAR && n->plain && strcmp(n->str, "true") == 0)
		*ret = true;
	else if (n->type == TOPOLOGY_Y_SCALAR && n->plain && strcmp(n->str, "false") == 0)
		*ret = false;
	else
		return tl_fail(l, n, key, "expected true or false");
	return 0;
}

/* A decimal number, unquoted, at most 10 digits so it cannot overflow. */
bool tl_parse_uint(const char *s, size_t n, uint64_t *ret)
{
	uint64_t v = 0;

	if (n == 0 || n > 10)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*ret = v;
	return true;
}

int tl_load_mtu(struct loader *l, const struct topology_ynode *n, const char *key, uint32_t *ret)
{
	uint64_t v;

	if (n->type != TOPOLOGY_Y_SCALAR || !n->plain || !tl_parse_uint(n->str, strlen(n->str), &v))
		return tl_fail(l, n, key, "expected an integer");
	if (v < TOPOLOGY_MTU_MIN || v > TOPOLOGY_MTU_MAX)
		return tl_fail(l, n, key, "MTU %llu out of range (%d to %d)", (unsigned long long)v,
			       TOPOLOGY_MTU_MIN, TOPOLOGY_MTU_MAX);
	*ret = (uint32_t)v;
	return 0;
}

int tl_load_ifname(struct loader *l, const struct topology_ynode *n, const char *key, char *out)
{
	struct error e = {0};
	int r;

	r = tl_expect(l, n, key, TOPOLOGY_Y_SCALAR);
	if (r < 0)
		return r;
	if (name_ifname_check(n->str, &e) < 0)
		return tl_fail_from(l, n, key, &e);
	strcpy(out, n->str); /* checked: at most IFNAME_MAX bytes */
	return 0;
}

/* name: n's text, or a part of it. */
int tl_load_nsname(struct loader *l, const struct topology_ynode *n, const char *name,
		   const char *key, char *out)
{
	struct error e = {0};

	if (name_netns_check(name, &e) < 0)
		return tl_fail_from(l, n, key, &e);
	strcpy(out, name); /* checked: at most NETNS_NAME_MAX bytes */
	return 0;
}

int tl_load_addr_one(struct loader *l, const struct topology_ynode *n, const char *key,
		     struct topology_addr *ret)
{
	struct error e = {0};
	int r;

	r = tl_expect(l, n, key, TOPOLOGY_Y_SCALAR);
	if (r < 0)
		return r;
	if (!strchr(n->str, '/'))
		return tl_fail(l, n, key, "'%s' lacks a prefix length (as in 192.168.15.1/24)",
			       n->str);
	if (inet_prefix_parse(n->str, &ret->prefix, &e) < 0)
		return tl_fail_from(l, n, key, &e);
	ret->pos = n->pos;
	return 0;
}

/* "address: CIDR" or "addresses: [CIDR, ...]", not both. */
int tl_load_addrs(struct loader *l, const struct topology_ynode *map, const char *key,
		  struct topology_addr *addrs, size_t *n_addrs, bool *listed)
{
	const struct topology_ynode *one = tl_map_get(map, "address"),
				    *list = tl_map_get(map, "addresses");
	char k[KEY_MAX], ki[KEY_MAX];
	int r;

	if (one && list) {
		tl_key_join(k, key, "addresses");
		return tl_fail(l, list, k, "give either 'address' or 'addresses', not both");
	}
	if (one) {
		tl_key_join(k, key, "address");
		*n_addrs = 1;
		return tl_load_addr_one(l, one, k, &addrs[0]);
	}
	if (!list)
		return 0;
	tl_key_join(k, key, "addresses");
	*listed = true;
	r = tl_expect(l, list, k, TOPOLOGY_Y_SEQ);
	if (r < 0)
		return r;
	if (list->n_kids > TOPOLOGY_ADDRS_MAX)
		return tl_fail(l, list->kids[TOPOLOGY_ADDRS_MAX], k,
			       "too many addresses (at most %d)", TOPOLOGY_ADDRS_MAX);
	for (size_t i = 0; i < list->n_kids; i++) {
		tl_key_index(ki, k, i);
		r = tl_load_addr_one(l, list->kids[i], ki, &addrs[i]);
		if (r < 0)
			return r;
	}
	*n_addrs = list->n_kids;
	return 0;
}
