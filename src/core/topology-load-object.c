// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What loading every object of a topology file shares, driven by its shape
 * (topology-loader.h): located errors, node types, unknown keys (with the
 * nearest known one, or the level they belong to), duplicate keys, required
 * keys and choices, and collections of objects (mappings keyed by names and
 * lists), capped, with hints at keys indented too little.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "topology-loader.h"

int load_fail(struct loader *l, const struct ynode *n, const char *key, const char *fmt, ...)
{
	char reason[ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	return topology_error(l->err, l->file, n->pos, key, "%s", reason);
}

int load_fail_from(struct loader *l, const struct ynode *n, const char *key, const struct error *e)
{
	return topology_error(l->err, l->file, n->pos, key, "%s", e->msg);
}

void load_hint(struct loader *l, const char *fmt, ...)
{
	size_t o;
	va_list ap;

	if (!l->err || l->err->kind != ERROR_INPUT)
		return;
	o = strlen(l->err->msg);
	if (o + 3 >= sizeof(l->err->msg))
		return;
	l->err->msg[o++] = ' ';
	l->err->msg[o++] = '(';
	va_start(ap, fmt);
	vsnprintf(l->err->msg + o, sizeof(l->err->msg) - o, fmt, ap);
	va_end(ap);
	o = strlen(l->err->msg);
	if (o + 1 < sizeof(l->err->msg)) {
		l->err->msg[o++] = ')';
		l->err->msg[o] = '\0';
	}
}

bool shape_has(const struct shape *s, const char *key)
{
	for (size_t i = 0; i < s->n_fields; i++)
		if (strcmp(s->fields[i].key, key) == 0)
			return true;
	return false;
}

/*
 * Edit distance with transpositions (optimal string alignment), given up on
 * past cap: keys are short, and only a close one is worth suggesting.
 */
static size_t edit_distance(const char *a, const char *b, size_t cap)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t d[3][TOPOLOGY_KEY_MAX / 16 + 1];

	if (la > TOPOLOGY_KEY_MAX / 16 || lb > TOPOLOGY_KEY_MAX / 16 ||
	    (la > lb ? la - lb : lb - la) > cap)
		return cap + 1;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t *cur = d[i % 3], *prev = d[(i - 1) % 3], *prev2 = d[(i + 1) % 3];

		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t v = prev[j - 1] + cost;

			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    prev2[j - 2] + 1 < v)
				v = prev2[j - 2] + 1;
			cur[j] = v;
		}
	}
	return d[la % 3][lb];
}

/*
 * An unknown key, and what it most likely is: a key of the object one level
 * up or down (indentation), else a known key of this object a typo or two
 * away ("adress"). Short keys get one edit, longer ones two.
 */
static int unknown_key(struct loader *l, const struct shape *s, const struct ynode *kn,
		       const char *k)
{
	const char *name = kn->str, *best = NULL;
	size_t cap = strlen(name) <= 4 ? 1 : 2, best_d = cap + 1;
	char esc[96];

	name_escape(name, esc, sizeof(esc));
	if (s->parent && shape_has(s->parent, name))
		return load_fail(l, kn, k,
				 "unknown key '%s': a key of %s, one level up; indent it less", esc,
				 s->parent->what);
	for (const struct shape *const *c = s->children; c && *c; c++)
		if (shape_has(*c, name))
			return load_fail(l, kn, k,
					 "unknown key '%s': a key of %s, one level down; indent it "
					 "%s",
					 esc, (*c)->what, (*c)->under);
	for (size_t i = 0; i < s->n_fields; i++) {
		const char *f = s->fields[i].key;
		size_t d = edit_distance(name, f, cap);

		if (d < best_d && d < strlen(f)) {
			best_d = d;
			best = f;
		}
	}
	if (best)
		return load_fail(l, kn, k, "unknown key '%s': did you mean '%s'?", esc, best);
	return load_fail(l, kn, k, "unknown key");
}

/*
 * Keys of an object: each one of its fields, once. Linear in the mapping's
 * size, whatever it is. seen[i]: the key node of field i, or NULL.
 */
static int check_keys(struct loader *l, const struct shape *s, const struct ynode *map,
		      const char *key, const struct ynode **seen)
{
	char k[TOPOLOGY_KEY_MAX];

	for (size_t i = 0; i < map->n_kids; i += 2) {
		const struct ynode *kn = map->kids[i];
		size_t j;

		for (j = 0; j < s->n_fields; j++)
			if (strcmp(kn->str, s->fields[j].key) == 0)
				break;
		load_key_join(k, key, kn->str);
		if (j == s->n_fields)
			return unknown_key(l, s, kn, k);
		if (seen[j])
			return load_fail(l, kn, k, "duplicate key (first at %u:%u)",
					 seen[j]->pos.line, seen[j]->pos.col);
		seen[j] = kn;
	}
	return 0;
}

/* "needs 'port' and 'to'": every required key, when one is missing. */
static int check_required(struct loader *l, const struct shape *s, const struct ynode *where,
			  const char *key, const struct ynode **seen)
{
	char msg[256];
	size_t o = 0, n = 0;
	bool missing = false;

	for (size_t i = 0; i < s->n_fields; i++)
		missing = missing || (s->fields[i].required && !seen[i]);
	if (!missing)
		return 0;
	o += (size_t)snprintf(msg, sizeof(msg), "needs");
	for (size_t i = 0; i < s->n_fields && o < sizeof(msg); i++)
		if (s->fields[i].required)
			o += (size_t)snprintf(msg + o, sizeof(msg) - o, "%s '%s'",
					      n++ ? " and" : "", s->fields[i].key);
	return load_fail(l, where, key, "%s", msg);
}

static int check_choices(struct loader *l, const struct shape *s, const struct ynode *where,
			 const struct ynode *map, const char *key)
{
	char k[TOPOLOGY_KEY_MAX];

	for (size_t i = 0; i < s->n_choices; i++) {
		const struct choice *c = &s->choices[i];
		const struct ynode *a = ynode_get(map, c->a), *b = ynode_get(map, c->b);

		if (c->exclusive && a && b) {
			load_key_join(k, key, c->b);
			return load_fail(l, b, k, "give either '%s' or '%s', not both", c->a, c->b);
		}
		if (c->needed && !a && !b)
			return load_fail(l, where, key, "needs '%s' or '%s'", c->a, c->b);
	}
	return 0;
}

int load_object(struct loader *l, const struct shape *s, const struct ynode *where,
		const struct ynode *v, const char *key, void *obj)
{
	const struct ynode *seen[SHAPE_FIELDS_MAX] = {0};
	char k[TOPOLOGY_KEY_MAX];
	int r;

	if (s->null_ok && ynode_is_null(v))
		v = NULL;
	else if (v->type != YNODE_MAP)
		return load_fail(l, v, key, "expected a mapping, got %s", ynode_type_name(v));
	if (v) {
		r = check_keys(l, s, v, key, seen);
		if (r < 0)
			return r;
	}
	r = check_required(l, s, where, key, seen);
	if (r < 0)
		return r;
	if (v) {
		r = check_choices(l, s, where, v, key);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < s->n_fields; i++) {
		const struct field *f = &s->fields[i];
		const struct ynode *n = v ? ynode_get(v, f->key) : NULL;

		if (!n)
			continue;
		load_key_join(k, key, f->key);
		r = f->load(l, n, k, (char *)obj + f->dst, f->arg);
		if (r < 0)
			return r;
		if (f->pos)
			*(struct topology_pos *)((char *)obj + f->pos - 1) = n->pos;
		if (f->given)
			*(bool *)((char *)obj + f->given - 1) = true;
	}
	return s->finish ? s->finish(l, where, v, key, obj) : 0;
}

static int cmp_pos(const struct ynode *a, const struct ynode *b)
{
	if (a->pos.line != b->pos.line)
		return a->pos.line < b->pos.line ? -1 : 1;
	return (a->pos.col > b->pos.col) - (a->pos.col < b->pos.col);
}

static int cmp_key(const void *x, const void *y)
{
	const struct ynode *const *a = x, *const *b = y;
	int d = strcmp((*a)->str, (*b)->str);

	/* Equal keys in file order. */
	return d ? d : cmp_pos(*a, *b);
}

/*
 * The first key (in file order) that repeats an earlier one, reported with
 * where that one is. Sorted, not compared pairwise: a map of 4096 namespaces
 * would take 8 million comparisons.
 */
static int check_duplicates(struct loader *l, const struct ynode *map, const char *key)
{
	_cleanup_free_ const struct ynode **v = NULL;
	const struct ynode *dup = NULL, *first = NULL;
	size_t n = map->n_kids / 2;
	char k[TOPOLOGY_KEY_MAX];

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
	load_key_join(k, key, dup->str);
	return load_fail(l, dup, k, "duplicate key (first at %u:%u)", first->pos.line,
			 first->pos.col);
}

/*
 * After a named object failed to load: was a key of the object above
 * indented as if it were a sibling? Either this object's name is one of the
 * keys of its kind ("address:" under "bridges:"), or it is empty and a later
 * sibling's name is.
 */
static void hint_misindented(struct loader *l, const struct collection *c, const struct ynode *map,
			     size_t i)
{
	const struct ynode *kn = map->kids[i], *v = map->kids[i + 1];
	char esc[96];

	if (shape_has(c->shape, kn->str)) {
		name_escape(kn->str, esc, sizeof(esc));
		load_hint(l, "is '%s' a key of the %s above, indented too little?", esc,
			  c->shape->noun);
		return;
	}
	if (!ynode_is_null(v))
		return;
	for (size_t j = i + 2; j < map->n_kids; j += 2) {
		if (!shape_has(c->shape, map->kids[j]->str))
			continue;
		name_escape(map->kids[j]->str, esc, sizeof(esc));
		load_hint(l, "is '%s' at %u:%u one of its keys, indented too little?", esc,
			  map->kids[j]->pos.line, map->kids[j]->pos.col);
		return;
	}
}

static int load_item(struct loader *l, const struct collection *c, const struct ynode *n, size_t i,
		     const char *key, char *obj)
{
	const struct ynode *kn, *v;
	char k[TOPOLOGY_KEY_MAX];
	int r;

	if (c->type == YNODE_SEQ) {
		v = n->kids[i];
		load_key_index(k, key, i);
		if (c->item_pos)
			*(struct topology_pos *)(obj + c->item_pos - 1) = v->pos;
		return load_object(l, c->shape, v, v, k, obj);
	}
	kn = n->kids[2 * i];
	v = n->kids[2 * i + 1];
	load_key_join(k, key, kn->str);
	r = c->name(l, kn, k, obj + c->name_dst, NULL);
	if (r < 0)
		return r;
	*(struct topology_pos *)(obj + c->name_pos) = kn->pos;
	r = load_object(l, c->shape, kn, v, k, obj);
	if (r < 0)
		hint_misindented(l, c, n, 2 * i);
	return r;
}

int load_collection(struct loader *l, const struct ynode *n, const char *key, void *dst,
		    const void *arg)
{
	const struct collection *c = arg;
	void **items = (void **)((char *)dst + c->items);
	size_t *count = (size_t *)((char *)dst + c->count);
	bool map = c->type == YNODE_MAP;
	size_t len;
	int r;

	if (ynode_is_null(n))
		return 0;
	if (n->type != c->type)
		return load_fail(l, n, key, "expected %s, got %s", map ? "a mapping" : "a sequence",
				 ynode_type_name(n));
	len = map ? n->n_kids / 2 : n->n_kids;
	if (len > c->max) {
		char k[TOPOLOGY_KEY_MAX];

		if (!map)
			return load_fail(l, n->kids[c->max], key, "too many %s (at most %zu)",
					 c->what, c->max);
		load_key_join(k, key, n->kids[2 * c->max]->str);
		return load_fail(l, n->kids[2 * c->max], k, "too many %s (at most %zu)", c->what,
				 c->max);
	}
	if (map) {
		r = check_duplicates(l, n, key);
		if (r < 0)
			return r;
	}
	*items = calloc(len + 1, c->size);
	if (!*items)
		return error_set(l->err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < len; i++) {
		/* Counted first: a half-loaded object is freed with the rest. */
		r = load_item(l, c, n, i, key, (char *)*items + (*count)++ * c->size);
		if (r < 0)
			return r;
	}
	return 0;
}
