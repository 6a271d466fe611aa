// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libnftables wrapper. Each call gets a fresh context: contexts cache the
 * ruleset, and a cache from before another writer's change would make our
 * reads lie. Output and errors are buffered so nothing reaches the terminal.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <nftables/libnftables.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/fw.h"
#include "core/quote.h"
#include "fault.h"
#include "nft.h"

/* "list chain FAMILY TABLE CHAIN", each name at most QUOTE_NFT_IDENT_MAX bytes. */
#define NFT_CMD_MAX (16 + 3 * (QUOTE_NFT_IDENT_MAX + 1))

/*
 * The reserve of the nsctx the thread runs with (nft_reserve_use): a run
 * that holds a socket and an fd per namespace owns one for its life.
 */
static _Thread_local struct nft_reserve *reserve;

static void reserve_take(struct nft_reserve *res)
{
	int base = open("/", O_PATH | O_CLOEXEC);

	if (base < 0)
		return; /* then libnftables takes its chances */
	res->fd[res->n++] = base;
	while (res->n < NFT_FD_RESERVED) {
		int fd = fcntl(base, F_DUPFD_CLOEXEC, 0);

		if (fd < 0)
			break;
		res->fd[res->n++] = fd;
	}
}

static void reserve_drop(struct nft_reserve *res)
{
	while (res && res->n > 0)
		close(res->fd[--res->n]);
}

void nft_reserve_init(struct nft_reserve *res)
{
	res->n = 0;
	reserve_take(res);
}

void nft_reserve_clear(struct nft_reserve *res)
{
	reserve_drop(res);
}

struct nft_reserve *nft_reserve_use(struct nft_reserve *res)
{
	struct nft_reserve *old = reserve;

	reserve = res;
	return old;
}

/*
 * The context, with the reserved descriptors handed over for its life: they
 * are taken again when it is freed.
 */
static void nft_ctx_freep(struct nft_ctx **c)
{
	if (*c)
		nft_ctx_free(*c);
	if (reserve && !reserve->n)
		reserve_take(reserve);
}
#define _cleanup_nft_ _cleanup_(nft_ctx_freep)

static int ctx_new(unsigned flags, struct nft_ctx **ret, struct error *err)
{
	struct nft_ctx *c;

	reserve_drop(reserve);
	c = nft_ctx_new(NFT_CTX_DEFAULT);
	if (!c)
		return error_set(err, -ENOMEM, "nftables: cannot create a context");
	nft_ctx_output_set_flags(c, flags);
	if (nft_ctx_buffer_output(c) < 0 || nft_ctx_buffer_error(c) < 0) {
		nft_ctx_free(c);
		return error_set(err, -ENOMEM, "nftables: cannot buffer output");
	}
	*ret = c;
	return 0;
}

/* nft's error text, trimmed to its first line that says something. */
static void first_error_line(const char *text, char *buf, size_t len)
{
	const char *p = text ? text : "";
	const char *nl;

	while (*p == '\n')
		p++;
	nl = strchr(p, '\n');
	snprintf(buf, len, "%.*s", nl ? (int)(nl - p) : (int)strlen(p), p);
}

static int run(struct nft_ctx *c, const char *cmd, const char *what, struct error *err)
{
	char line[512];

	if (nft_run_cmd_from_buffer(c, cmd) == 0)
		return 0;
	first_error_line(nft_ctx_get_error_buffer(c), line, sizeof(line));
	if (strstr(line, "No such file or directory"))
		return error_set(err, -ENOENT, "nftables: %s: %s", what, line);
	if (strstr(line, "Operation not permitted"))
		return error_set(err, -EPERM, "nftables: %s: %s", what, line);
	if (strstr(line, "File exists"))
		return error_set(err, -EEXIST, "nftables: %s: %s", what, line);
	return error_set(err, -EINVAL, "nftables: %s: %s", what, line[0] ? line : "failed");
}

/*
 * "list OBJECT FAMILY TABLE [CHAIN]" into buf, every name through quote_nft:
 * names of other tools' tables come from the kernel, and one holding `;`
 * would otherwise add commands of its own.
 */
static int list_cmd(char *buf, size_t len, const char *object, const char *family,
		    const char *table, const char *chain, struct error *err)
{
	const char *names[] = {family, table, chain};
	const char *what[] = {"nft family", "nft table", "nft chain"};
	int n = snprintf(buf, len, "list %s", object);

	for (size_t i = 0; i < 3 && names[i]; i++) {
		char q[QUOTE_NFT_IDENT_MAX + 1];
		int r = quote_nft(names[i], QUOTE_NFT_IDENT, q, sizeof(q), what[i], err);

		if (r < 0)
			return r;
		n += snprintf(buf + n, len - (size_t)n, " %s", q);
	}
	return 0;
}

int nft_apply(const char *script, struct error *err)
{
	_cleanup_nft_ struct nft_ctx *c = NULL;
	int r;

	r = ctx_new(0, &c, err);
	if (r >= 0)
		r = fault_before("nftables transaction", err);
	if (r < 0)
		return r;
	r = run(c, script, "apply", err);
	fault_after();
	return r;
}

int nft_table_comment(const char *family, const char *name, char *buf, size_t len,
		      struct error *err)
{
	_cleanup_nft_ struct nft_ctx *c = NULL;
	char cmd[NFT_CMD_MAX], what[320];
	const char *out, *p;
	int r;

	r = list_cmd(cmd, sizeof(cmd), "table", family, name, NULL, err);
	if (r < 0)
		return r;
	/* Terse: without the elements of its maps (a forward each); the comment is all we want. */
	r = ctx_new(NFT_CTX_OUTPUT_TERSE, &c, err);
	if (r < 0)
		return r;
	snprintf(what, sizeof(what), "table %s '%s'", family, name);
	r = run(c, cmd, what, err);
	if (r < 0)
		return r;
	/* The JSON output of this nft version omits table comments; the text has them. */
	out = nft_ctx_get_output_buffer(c);
	buf[0] = '\0';
	p = out ? strstr(out, "\n\tcomment \"") : NULL;
	if (p) {
		const char *s = p + strlen("\n\tcomment \"");
		const char *e = strchr(s, '"');

		if (e)
			snprintf(buf, len, "%.*s", (int)(e - s), s);
	}
	return 0;
}

char *nft_table_dump(const char *family, const char *name, struct error *err)
{
	_cleanup_nft_ struct nft_ctx *c = NULL;
	char cmd[NFT_CMD_MAX];
	const char *out;

	if (list_cmd(cmd, sizeof(cmd), "table", family, name, NULL, err) < 0 ||
	    ctx_new(0, &c, err) < 0)
		return NULL;
	if (run(c, cmd, cmd, err) < 0)
		return NULL;
	out = nft_ctx_get_output_buffer(c);
	return strdup(out ? out : "");
}

static int list_json(const char *cmd, json_t **ret, struct error *err)
{
	_cleanup_nft_ struct nft_ctx *c = NULL;
	json_error_t jerr;
	json_t *root;
	int r;

	r = ctx_new(NFT_CTX_OUTPUT_JSON, &c, err);
	if (r < 0)
		return r;
	r = run(c, cmd, cmd, err);
	if (r < 0)
		return r;
	root = json_loads(nft_ctx_get_output_buffer(c), 0, &jerr);
	if (!root)
		return error_set(err, -EBADMSG, "nftables: %s: unreadable JSON: %s", cmd, jerr.text);
	*ret = root;
	return 0;
}

static void copy(char *dst, size_t len, json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	snprintf(dst, len, "%s", s ? s : "");
}

/* Appends a zeroed element of size sz to *v (n elements); NULL when out of memory. */
static void *append(void **v, size_t *n, size_t sz)
{
	char *nv = realloc(*v, (*n + 1) * sz);

	if (!nv)
		return NULL;
	*v = nv;
	memset(nv + *n * sz, 0, sz);
	return nv + (*n)++ * sz;
}

/* Ends a listing: hands v over, or frees it and reports ENOMEM. */
static int list_done(json_t *root, void *v, size_t n, bool oom, void **ret, size_t *ret_n,
		     struct error *err)
{
	json_decref(root);
	if (oom) {
		free(v);
		return error_set(err, -ENOMEM, "out of memory");
	}
	*ret = v;
	*ret_n = n;
	return 0;
}

int nft_tables_list(const char *prefix, struct nft_table_id **ret, size_t *ret_n,
		    struct error *err)
{
	json_t *root = NULL, *item;
	struct nft_table_id *v = NULL;
	size_t n = 0, i;
	int r;

	*ret = NULL;
	*ret_n = 0;
	r = list_json("list tables", &root, err);
	if (r < 0)
		return r;
	json_array_foreach(json_object_get(root, "nftables"), i, item) {
		json_t *t = json_object_get(item, "table");
		const char *name = json_string_value(json_object_get(t, "name"));
		struct nft_table_id *e;

		if (!name || strncmp(name, prefix, strlen(prefix)) != 0)
			continue;
		e = append((void **)&v, &n, sizeof(*v));
		if (!e)
			return list_done(root, v, n, true, (void **)ret, ret_n, err);
		copy(e->family, sizeof(e->family), t, "family");
		copy(e->name, sizeof(e->name), t, "name");
	}
	return list_done(root, v, n, false, (void **)ret, ret_n, err);
}

int nft_drop_chains(const char *hook, const char *own_prefix, struct nft_chain_id **ret,
		    size_t *ret_n, struct error *err)
{
	json_t *root = NULL, *item;
	struct nft_chain_id *v = NULL;
	size_t n = 0, i;
	int r;

	*ret = NULL;
	*ret_n = 0;
	r = list_json("list chains", &root, err);
	if (r < 0)
		return r;
	json_array_foreach(json_object_get(root, "nftables"), i, item) {
		json_t *c = json_object_get(item, "chain");
		const char *h = json_string_value(json_object_get(c, "hook"));
		const char *pol = json_string_value(json_object_get(c, "policy"));
		const char *table = json_string_value(json_object_get(c, "table"));
		struct nft_chain_id *e;

		if (!h || !pol || !table || strcmp(h, hook) != 0 || strcmp(pol, "drop") != 0 ||
		    strncmp(table, own_prefix, strlen(own_prefix)) == 0)
			continue;
		e = append((void **)&v, &n, sizeof(*v));
		if (!e)
			return list_done(root, v, n, true, (void **)ret, ret_n, err);
		copy(e->family, sizeof(e->family), c, "family");
		copy(e->table, sizeof(e->table), c, "table");
		copy(e->name, sizeof(e->name), c, "name");
		copy(e->hook, sizeof(e->hook), c, "hook");
		copy(e->policy, sizeof(e->policy), c, "policy");
	}
	return list_done(root, v, n, false, (void **)ret, ret_n, err);
}

/* The interface-name match of one rule expression: its key (out: oifname) and names. */
static bool ifname_match(json_t *expr, bool *out, json_t **names)
{
	json_t *m = json_object_get(expr, "match");
	const char *key = json_string_value(
		json_object_get(json_object_get(json_object_get(m, "left"), "meta"), "key"));
	const char *op = json_string_value(json_object_get(m, "op"));
	json_t *right = json_object_get(m, "right");

	if (!key || !op || strcmp(op, "==") != 0 ||
	    (strcmp(key, "iifname") != 0 && strcmp(key, "oifname") != 0))
		return false;
	*out = strcmp(key, "oifname") == 0;
	*names = json_is_object(right) ? json_object_get(right, "set") : right;
	return true;
}

int nft_chain_accepts(const char *family, const char *table, const char *chain,
		      void (*fn)(bool out, const char *ifname, void *data), void *data,
		      struct error *err)
{
	json_t *root = NULL, *item;
	char cmd[NFT_CMD_MAX];
	size_t i;
	int r;

	r = list_cmd(cmd, sizeof(cmd), "chain", family, table, chain, err);
	if (r >= 0)
		r = list_json(cmd, &root, err);
	if (r < 0)
		return r;
	json_array_foreach(json_object_get(root, "nftables"), i, item) {
		json_t *exprs = json_object_get(json_object_get(item, "rule"), "expr");
		size_t n = json_array_size(exprs), k, j;
		json_t *e, *names, *name;
		bool out;

		if (!n || !json_object_get(json_array_get(exprs, n - 1), "accept"))
			continue;
		json_array_foreach(exprs, k, e) {
			if (!ifname_match(e, &out, &names))
				continue;
			if (json_is_string(names))
				fn(out, json_string_value(names), data);
			json_array_foreach(names, j, name)
				if (json_is_string(name))
					fn(out, json_string_value(name), data);
		}
	}
	json_decref(root);
	return 0;
}

/* One key or value of a concatenation: a string, or a number (a port, a protocol). */
static bool concat_part(json_t *v, char *buf, size_t len)
{
	if (json_is_string(v))
		snprintf(buf, len, "%s", json_string_value(v));
	else if (json_is_integer(v))
		snprintf(buf, len, "%lld", (long long)json_integer_value(v));
	else
		return false;
	return true;
}

int nft_forward_elements(const char *family, const char *name,
			 void (*fn)(const char *elem, void *data), void *data, struct error *err)
{
	static const char *const maps[] = {"fwd4", "fwd4h", "fwd6", "fwd6h"};
	char fam[QUOTE_NFT_IDENT_MAX + 1], tab[QUOTE_NFT_IDENT_MAX + 1], cmd[NFT_CMD_MAX];
	int r;

	r = quote_nft(family, QUOTE_NFT_IDENT, fam, sizeof(fam), "family", err);
	if (r >= 0)
		r = quote_nft(name, QUOTE_NFT_IDENT, tab, sizeof(tab), "table", err);
	if (r < 0)
		return r;
	for (size_t m = 0; m < sizeof(maps) / sizeof(maps[0]); m++) {
		json_t *root = NULL, *item, *el;
		size_t i, k;

		snprintf(cmd, sizeof(cmd), "list map %s %s %s", fam, tab, maps[m]);
		r = list_json(cmd, &root, NULL);
		if (r < 0)
			continue; /* no such map: no forward of that kind */
		json_array_foreach(json_object_get(root, "nftables"), i, item) {
			json_array_foreach(json_object_get(json_object_get(item, "map"), "elem"), k, el) {
				json_t *key = json_object_get(json_array_get(el, 0), "concat");
				json_t *val = json_object_get(json_array_get(el, 1), "concat");
				bool host = json_array_size(key) == 3;
				char a[64] = "", proto[16], port[16], to[64], tport[16], text[128];

				if (json_array_size(val) != 2 || json_array_size(key) != (host ? 3 : 2) ||
				    (host && !concat_part(json_array_get(key, 0), a, sizeof(a))) ||
				    !concat_part(json_array_get(key, host), proto, sizeof(proto)) ||
				    !concat_part(json_array_get(key, host + 1), port, sizeof(port)) ||
				    !concat_part(json_array_get(val, 0), to, sizeof(to)) ||
				    !concat_part(json_array_get(val, 1), tport, sizeof(tport)))
					continue;
				fw_element_text(host ? a : NULL, proto, (unsigned)atoi(port), to,
						(unsigned)atoi(tport), text, sizeof(text));
				fn(text, data);
			}
		}
		json_decref(root);
	}
	return 0;
}

int nft_apply_each(const char *script, struct error *err)
{
	_cleanup_nft_ struct nft_ctx *c = NULL;
	_cleanup_free_ char *copy = strdup(script);
	char *save = NULL, *line;
	int r, first = 0;

	if (!copy)
		return error_set(err, -ENOMEM, "out of memory");
	r = ctx_new(0, &c, err);
	if (r < 0)
		return r;
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct error e = {0};

		r = fault_before("nftables transaction", &e);
		if (r >= 0) {
			r = run(c, line, "apply", &e);
			fault_after();
		}
		if (r < 0 && r != -ENOENT && !first) {
			first = r;
			if (err)
				*err = e;
		}
	}
	return first;
}

int nft_element_get(const char *family, const char *table, const char *set, const char *key,
		    char *buf, size_t len, struct error *err)
{
	_cleanup_nft_ struct nft_ctx *c = NULL;
	_cleanup_free_ char *cmd = NULL;
	char qf[QUOTE_NFT_IDENT_MAX + 1], qt[QUOTE_NFT_IDENT_MAX + 1], qs[QUOTE_NFT_IDENT_MAX + 1];
	const char *out;
	int r;

	r = quote_nft(family, QUOTE_NFT_IDENT, qf, sizeof(qf), "nft family", err);
	if (r >= 0)
		r = quote_nft(table, QUOTE_NFT_IDENT, qt, sizeof(qt), "nft table", err);
	if (r >= 0)
		r = quote_nft(set, QUOTE_NFT_IDENT, qs, sizeof(qs), "nft set", err);
	if (r < 0)
		return r;
	if (asprintf(&cmd, "get element %s %s %s { %s }", qf, qt, qs, key) < 0) {
		cmd = NULL;
		return error_set(err, -ENOMEM, "out of memory");
	}
	r = ctx_new(0, &c, err);
	if (r >= 0)
		r = run(c, cmd, "get element", err);
	if (r < 0)
		return r;
	out = nft_ctx_get_output_buffer(c);
	snprintf(buf, len, "%s", out ? out : "");
	return 0;
}
