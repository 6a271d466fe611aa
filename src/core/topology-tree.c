// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The YAML event stream read into a tree of struct ynode that keeps every
 * node's position, refusing aliases, anchors, tags and deep nesting as they
 * come; the tree's accessors; and the key paths that name a node in errors.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfyaml.h>

#include "topology-loader.h"

void ynode_free(struct ynode *n)
{
	if (!n)
		return;
	/* Depth is capped, so recursion is bounded. */
	for (size_t i = 0; i < n->n_kids; i++)
		ynode_free(n->kids[i]);
	free(n->kids);
	free(n->str);
	free(n);
}

struct frame {
	struct ynode *node;
};

struct reader {
	const char *file;
	struct frame stack[TOPOLOGY_DEPTH_MAX];
	size_t depth;
	struct ynode *root;
	unsigned docs;
	struct error *err;
};

/* The key path of the node about to be added, for errors while reading. */
static void reader_path(const struct reader *r, char *buf)
{
	char part[TOPOLOGY_KEY_MAX];

	buf[0] = '\0';
	for (size_t i = 0; i < r->depth; i++) {
		const struct ynode *n = r->stack[i].node;
		/* Below the innermost frame, the child on the path is already added. */
		size_t added = i + 1 < r->depth ? 1 : 0;

		strcpy(part, buf);
		if (n->type == YNODE_SEQ)
			load_key_index(buf, part, n->n_kids - added);
		else if ((n->n_kids - added) % 2 == 1)
			load_key_join(buf, part, n->kids[n->n_kids - added - 1]->str);
	}
}

static struct topology_pos mark_pos(const struct fy_mark *m)
{
	if (!m)
		return (struct topology_pos){1, 1};
	return (struct topology_pos){(unsigned)m->line + 1, (unsigned)m->column + 1};
}

static int reader_fail(struct reader *r, struct topology_pos pos, const char *reason)
{
	char key[TOPOLOGY_KEY_MAX];

	reader_path(r, key);
	return topology_error(r->err, r->file, pos, key, "%s", reason);
}

static int reader_add(struct reader *r, struct ynode *n)
{
	struct ynode *p;

	if (r->depth == 0) {
		r->root = n;
		return 0;
	}
	p = r->stack[r->depth - 1].node;
	if (p->type == YNODE_MAP && p->n_kids % 2 == 0 && n->type != YNODE_SCALAR)
		return reader_fail(r, n->pos, "a key must be a plain string");
	if (p->n_kids == p->cap_kids) {
		size_t cap = p->cap_kids ? p->cap_kids * 2 : 8;
		struct ynode **k = realloc(p->kids, cap * sizeof(*k));

		if (!k)
			return error_set(r->err, -ENOMEM, "out of memory");
		p->kids = k;
		p->cap_kids = cap;
	}
	p->kids[p->n_kids++] = n;
	return 0;
}

static int reader_node(struct reader *r, struct fy_event *ev, struct fy_token *anchor,
		       struct fy_token *tag, enum ynode_type type)
{
	_cleanup_(ynode_freep) struct ynode *n = NULL;
	const struct fy_mark *mark = fy_event_start_mark(ev);
	struct topology_pos pos = mark_pos(mark);
	int ret;

	/*
	 * An empty value ("key:" and nothing) has no mark of its own: it is
	 * where its key is, or the sequence it is an item of.
	 */
	if (!mark && r->depth > 0) {
		const struct ynode *p = r->stack[r->depth - 1].node;

		pos = p->type == YNODE_MAP && p->n_kids % 2 == 1 ? p->kids[p->n_kids - 1]->pos
								 : p->pos;
	}

	/* Aliases make positions lie and let a small file expand without bound. */
	if (anchor)
		return reader_fail(r, mark_pos(fy_token_start_mark(anchor)),
				   "anchors and aliases are not supported");
	if (tag)
		return reader_fail(r, mark_pos(fy_token_start_mark(tag)), "tags are not supported");
	if (type != YNODE_SCALAR && r->depth == TOPOLOGY_DEPTH_MAX)
		return reader_fail(r, pos, "nested too deep");

	n = calloc(1, sizeof(*n));
	if (!n)
		return error_set(r->err, -ENOMEM, "out of memory");
	n->type = type;
	n->pos = pos;
	if (type == YNODE_SCALAR) {
		struct fy_token *v = ev->scalar.value;
		const char *text = NULL;
		size_t len = 0;

		if (v)
			text = fy_token_get_text(v, &len);
		if (!text)
			text = "";
		if (memchr(text, '\0', len))
			return reader_fail(r, pos, "NUL in a string");
		n->str = strndup(text, len);
		if (!n->str)
			return error_set(r->err, -ENOMEM, "out of memory");
		n->plain = !v || fy_token_scalar_style(v) == FYSS_PLAIN;
	}
	ret = reader_add(r, n);
	if (ret < 0)
		return ret;
	if (type != YNODE_SCALAR)
		r->stack[r->depth++].node = n;
	TAKE_PTR(n);
	return 0;
}

static int reader_event(struct reader *r, struct fy_event *ev)
{
	switch (ev->type) {
	case FYET_DOCUMENT_START:
		if (++r->docs > 1)
			return reader_fail(r, mark_pos(fy_event_start_mark(ev)),
					   "more than one YAML document");
		return 0;
	case FYET_ALIAS:
		return reader_fail(r, mark_pos(fy_event_start_mark(ev)),
				   "anchors and aliases are not supported");
	case FYET_SCALAR:
		return reader_node(r, ev, ev->scalar.anchor, ev->scalar.tag, YNODE_SCALAR);
	case FYET_MAPPING_START:
		return reader_node(r, ev, ev->mapping_start.anchor, ev->mapping_start.tag,
				   YNODE_MAP);
	case FYET_SEQUENCE_START:
		return reader_node(r, ev, ev->sequence_start.anchor, ev->sequence_start.tag,
				   YNODE_SEQ);
	case FYET_MAPPING_END:
	case FYET_SEQUENCE_END:
		if (r->depth > 0)
			r->depth--;
		return 0;
	default:
		return 0;
	}
}

static void fy_parser_destroyp(struct fy_parser **p)
{
	if (*p)
		fy_parser_destroy(*p);
}

/*
 * libfyaml 0.7.12 frees the errors it collected only when collecting is
 * switched off, not when the diag object goes away.
 */
static void fy_diag_unrefp(struct fy_diag **d)
{
	if (!*d)
		return;
	fy_diag_set_collect_errors(*d, false);
	fy_diag_unref(*d);
}

/* Library code never prints: libfyaml's diagnostics are collected, not written. */
static void diag_discard(struct fy_diag *diag, void *user, const char *buf, size_t len)
{
}

/* libfyaml's own words, at its own position, for a syntax error. */
static int syntax_error(struct reader *r, struct fy_diag *diag)
{
	struct fy_diag_error *de;
	void *it = NULL;

	while ((de = fy_diag_errors_iterate(diag, &it))) {
		if (de->type != FYET_ERROR)
			continue;
		/* Unlike struct fy_mark, collected errors count from 1. */
		return topology_error(
			r->err, r->file,
			(struct topology_pos){(unsigned)de->line, (unsigned)de->column}, NULL,
			"syntax error: %s", de->msg ? de->msg : "invalid YAML");
	}
	return topology_error(r->err, r->file, (struct topology_pos){1, 1}, NULL,
			      "syntax error: invalid YAML");
}

int ynode_tree_read(const char *file, const char *buf, size_t len, struct ynode **ret,
		    struct error *err)
{
	_cleanup_(fy_diag_unrefp) struct fy_diag *diag = NULL;
	_cleanup_(fy_parser_destroyp) struct fy_parser *fyp = NULL;
	struct reader r = {.file = file, .err = err};
	struct fy_diag_cfg dcfg;
	struct fy_parse_cfg cfg;
	struct fy_event *ev;
	int ret_code = 0;

	fy_diag_cfg_default(&dcfg);
	dcfg.fp = NULL;
	dcfg.output_fn = diag_discard;
	diag = fy_diag_create(&dcfg);
	if (!diag)
		return error_set(err, -ENOMEM, "cannot create a YAML diagnostic object");
	fy_diag_set_collect_errors(diag, true);
	cfg = (struct fy_parse_cfg){.flags = FYPCF_QUIET | FYPCF_COLLECT_DIAG, .diag = diag};
	fyp = fy_parser_create(&cfg);
	if (!fyp)
		return error_set(err, -ENOMEM, "cannot create a YAML parser");
	if (fy_parser_set_string(fyp, buf, len) < 0)
		return error_set(err, -ENOMEM, "cannot set the YAML input");
	while ((ev = fy_parser_parse(fyp))) {
		ret_code = reader_event(&r, ev);
		fy_parser_event_free(fyp, ev);
		if (ret_code < 0)
			break;
	}
	if (ret_code == 0 && fy_parser_get_stream_error(fyp))
		ret_code = syntax_error(&r, diag);
	if (ret_code < 0) {
		ynode_free(r.root);
		return ret_code;
	}
	*ret = r.root;
	return 0;
}

const struct ynode *ynode_get(const struct ynode *map, const char *name)
{
	for (size_t i = 0; i < map->n_kids; i += 2)
		if (strcmp(map->kids[i]->str, name) == 0)
			return map->kids[i + 1];
	return NULL;
}

bool ynode_is_null(const struct ynode *n)
{
	static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};

	if (n->type != YNODE_SCALAR || !n->plain)
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(nulls); i++)
		if (strcmp(n->str, nulls[i]) == 0)
			return true;
	return false;
}

const char *ynode_type_name(const struct ynode *n)
{
	switch (n->type) {
	case YNODE_MAP:
		return "a mapping";
	case YNODE_SEQ:
		return "a sequence";
	default:
		return ynode_is_null(n) ? "null" : "a scalar";
	}
}

/*
 * Appends s to a key path, escaping what a message cannot show as it is, and
 * truncating at TOPOLOGY_KEY_MAX (names are capped far below it).
 */
static void key_append(char *out, size_t *o, const char *s)
{
	char esc[TOPOLOGY_KEY_MAX];

	name_escape(s, esc, sizeof(esc));
	for (const char *p = esc; *p && *o + 1 < TOPOLOGY_KEY_MAX; p++)
		out[(*o)++] = *p;
	out[*o] = '\0';
}

void load_key_join(char *out, const char *parent, const char *child)
{
	size_t o;

	/* out may be parent: the path so far is kept. */
	if (out != parent)
		snprintf(out, TOPOLOGY_KEY_MAX, "%s", parent);
	o = strlen(out);
	if (o)
		key_append(out, &o, ".");
	key_append(out, &o, child);
}

void load_key_index(char *out, const char *parent, size_t i)
{
	char idx[24];
	size_t o;

	snprintf(idx, sizeof(idx), "[%zu]", i);
	if (out != parent)
		snprintf(out, TOPOLOGY_KEY_MAX, "%s", parent);
	o = strlen(out);
	for (const char *c = idx; *c && o + 1 < TOPOLOGY_KEY_MAX; c++)
		out[o++] = *c;
	out[o] = '\0';
}
