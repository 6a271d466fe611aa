// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * topology_parse(): the caps checked on the raw bytes before libfyaml sees
 * them, the YAML event stream read into a position-keeping tree (refusing
 * aliases, anchors, tags and deep nesting as they come), then the load and
 * check passes. Also the model's lookups and topology_free().
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfyaml.h>

#include "topology.h"

#define KEY_MAX 512

int topology_error(struct error *err, const char *file, struct topology_pos pos, const char *key,
		   const char *fmt, ...)
{
	char reason[ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	if (key && *key)
		return error_input(err, -EINVAL, "%s:%u:%u: %s: %s", file, pos.line, pos.col, key,
				   reason);
	return error_input(err, -EINVAL, "%s:%u:%u: %s", file, pos.line, pos.col, reason);
}

/*
 * Refuses what must never reach libfyaml: more than we cap, NUL bytes (the
 * scanner stops there, so what follows would be silently ignored) and
 * directive lines (Debian's 0.7.12 can loop forever on some of them).
 */
static int raw_check(const char *file, const char *buf, size_t len, struct error *err)
{
	struct topology_pos pos = {1, 1};
	bool line_start = true;

	if (len > TOPOLOGY_FILE_MAX)
		return topology_error(err, file, pos, NULL,
				      "file too large (%zu bytes, at most %d)", len,
				      TOPOLOGY_FILE_MAX);
	for (size_t i = 0; i < len; i++) {
		char c = buf[i];
		const unsigned char *u = (const unsigned char *)buf + i;

		if (c == '\0')
			return topology_error(err, file, pos, NULL, "binary data (NUL byte)");
		if (c == '%' && line_start)
			return topology_error(err, file, pos, NULL,
					      "YAML directives ('%%') are not supported");
		/*
		 * Every break libfyaml may honour starts a line: LF, CR, and in
		 * YAML 1.1 NEL, LS and PS; a byte-order mark keeps the line start.
		 * (A '%' after a lone CR made libfyaml hang; found by fuzzing.)
		 */
		if (c == '\n' || c == '\r') {
			line_start = true;
		} else if (i + 1 < len && u[0] == 0xc2 && u[1] == 0x85) {
			line_start = true;
			i += 1;
		} else if (i + 2 < len && u[0] == 0xe2 && u[1] == 0x80 &&
			   (u[2] == 0xa8 || u[2] == 0xa9)) {
			line_start = true;
			i += 2;
		} else if (i + 2 < len && u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf) {
			i += 2;
		} else {
			line_start = false;
		}
		if (c == '\n') {
			pos.line++;
			pos.col = 1;
		} else {
			pos.col++;
		}
	}
	return 0;
}

static void ynode_free(struct topology_ynode *n)
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

static void ynode_freep(struct topology_ynode **n)
{
	ynode_free(*n);
}

struct frame {
	struct topology_ynode *node;
};

struct reader {
	const char *file;
	struct frame stack[TOPOLOGY_DEPTH_MAX];
	size_t depth;
	struct topology_ynode *root;
	unsigned docs;
	struct error *err;
};

/* The key path of the node about to be added, for errors while reading. */
static void reader_path(const struct reader *r, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < r->depth && o < len; i++) {
		const struct topology_ynode *n = r->stack[i].node;
		/* Below the innermost frame, the child on the path is already added. */
		size_t added = i + 1 < r->depth ? 1 : 0;

		if (n->type == TOPOLOGY_Y_SEQ)
			o += (size_t)snprintf(buf + o, len - o, "[%zu]", n->n_kids - added);
		else if ((n->n_kids - added) % 2 == 1)
			o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? "." : "",
					      n->kids[n->n_kids - added - 1]->str);
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
	char key[KEY_MAX];

	reader_path(r, key, sizeof(key));
	return topology_error(r->err, r->file, pos, key, "%s", reason);
}

static int reader_add(struct reader *r, struct topology_ynode *n)
{
	struct topology_ynode *p;

	if (r->depth == 0) {
		r->root = n;
		return 0;
	}
	p = r->stack[r->depth - 1].node;
	if (p->type == TOPOLOGY_Y_MAP && p->n_kids % 2 == 0 && n->type != TOPOLOGY_Y_SCALAR)
		return reader_fail(r, n->pos, "a key must be a plain string");
	if (p->n_kids == p->cap_kids) {
		size_t cap = p->cap_kids ? p->cap_kids * 2 : 8;
		struct topology_ynode **k = realloc(p->kids, cap * sizeof(*k));

		if (!k)
			return error_set(r->err, -ENOMEM, "out of memory");
		p->kids = k;
		p->cap_kids = cap;
	}
	p->kids[p->n_kids++] = n;
	return 0;
}

static int reader_node(struct reader *r, struct fy_event *ev, struct fy_token *anchor,
		       struct fy_token *tag, enum topology_ynode_type type)
{
	_cleanup_(ynode_freep) struct topology_ynode *n = NULL;
	struct topology_pos pos = mark_pos(fy_event_start_mark(ev));
	int ret;

	/* Aliases make positions lie and let a small file expand without bound. */
	if (anchor)
		return reader_fail(r, mark_pos(fy_token_start_mark(anchor)),
				   "anchors and aliases are not supported");
	if (tag)
		return reader_fail(r, mark_pos(fy_token_start_mark(tag)), "tags are not supported");
	if (type != TOPOLOGY_Y_SCALAR && r->depth == TOPOLOGY_DEPTH_MAX)
		return reader_fail(r, pos, "nested too deep");

	n = calloc(1, sizeof(*n));
	if (!n)
		return error_set(r->err, -ENOMEM, "out of memory");
	n->type = type;
	n->pos = pos;
	if (type == TOPOLOGY_Y_SCALAR) {
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
	if (type != TOPOLOGY_Y_SCALAR)
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
		return reader_node(r, ev, ev->scalar.anchor, ev->scalar.tag, TOPOLOGY_Y_SCALAR);
	case FYET_MAPPING_START:
		return reader_node(r, ev, ev->mapping_start.anchor, ev->mapping_start.tag,
				   TOPOLOGY_Y_MAP);
	case FYET_SEQUENCE_START:
		return reader_node(r, ev, ev->sequence_start.anchor, ev->sequence_start.tag,
				   TOPOLOGY_Y_SEQ);
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

static int read_tree(const char *file, const char *buf, size_t len, struct topology_ynode **ret,
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

int topology_parse(const char *file, const char *buf, size_t len, struct topology **ret,
		   struct error *err)
{
	_cleanup_(ynode_freep) struct topology_ynode *root = NULL;
	_cleanup_(topology_freep) struct topology *t = NULL;
	int r;

	r = raw_check(file, buf, len, err);
	if (r < 0)
		return r;
	r = read_tree(file, buf, len, &root, err);
	if (r < 0)
		return r;
	/* A file of only comments or blank lines holds no document at all. */
	if (!root || (root->type == TOPOLOGY_Y_SCALAR && root->plain && !root->str[0]))
		return topology_error(err, file, (struct topology_pos){1, 1}, NULL,
				      "empty topology");
	t = calloc(1, sizeof(*t));
	if (!t)
		return error_set(err, -ENOMEM, "out of memory");
	r = topology_load(file, root, t, err);
	if (r < 0)
		return r;
	if (topology_index(t) < 0)
		return error_set(err, -ENOMEM, "out of memory");
	r = topology_check(file, t, err);
	if (r < 0)
		return r;
	*ret = TAKE_PTR(t);
	return 0;
}

void topology_free(struct topology *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n_namespaces; i++) {
		free(t->namespaces[i].ifaces);
		free(t->namespaces[i].routes);
	}
	free(t->namespaces);
	free(t->bridges);
	free(t->forwards);
	free(t->checks);
	free(t->ns_by_name);
	free(t);
}

static const struct topology *sort_ctx; /* qsort has no context argument */

static int cmp_ns_index(const void *x, const void *y)
{
	return strcmp(sort_ctx->namespaces[*(const size_t *)x].name,
		      sort_ctx->namespaces[*(const size_t *)y].name);
}

int topology_index(struct topology *t)
{
	free(t->ns_by_name);
	t->ns_by_name = malloc((t->n_namespaces ? t->n_namespaces : 1) * sizeof(size_t));
	if (!t->ns_by_name)
		return -ENOMEM;
	for (size_t i = 0; i < t->n_namespaces; i++)
		t->ns_by_name[i] = i;
	sort_ctx = t;
	qsort(t->ns_by_name, t->n_namespaces, sizeof(size_t), cmp_ns_index);
	sort_ctx = NULL;
	return 0;
}

struct topology_ns *topology_ns_find(const struct topology *t, const char *name)
{
	size_t lo = 0, hi = t->n_namespaces;

	if (!t->ns_by_name) {
		for (size_t i = 0; i < t->n_namespaces; i++)
			if (strcmp(t->namespaces[i].name, name) == 0)
				return &t->namespaces[i];
		return NULL;
	}
	/* Planning 1000 namespaces asks this for each of them, several times. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		struct topology_ns *ns = &t->namespaces[t->ns_by_name[mid]];
		int d = strcmp(ns->name, name);

		if (d == 0)
			return ns;
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

struct topology_bridge *topology_bridge_find(const struct topology *t, const char *name)
{
	for (size_t i = 0; i < t->n_bridges; i++)
		if (strcmp(t->bridges[i].name, name) == 0)
			return &t->bridges[i];
	return NULL;
}
