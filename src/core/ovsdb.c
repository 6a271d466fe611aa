// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * OVSDB requests, the stream cut into messages, and their JSON-RPC shape (see
 * ovsdb.h). Requests are built with jansson in insertion order, so they read
 * like the examples of RFC 7047 and unit tests can compare them with a string.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ovsdb.h"

void ovsdb_quote(const char *s, char *buf, size_t len)
{
	size_t o = 0;

	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		bool ctl = *p < 0x20 || *p == 0x7f;
		size_t need = ctl ? 4 : 1;

		if (o + need + 4 > len) {
			/* Not in the middle of a character: back to its first byte. */
			for (; o > 0 && (*p & 0xc0) == 0x80; p--)
				o--;
			memcpy(buf + o, "...", 4);
			return;
		}
		if (ctl)
			o += (size_t)snprintf(buf + o, len - o, "\\x%02x", *p);
		else
			buf[o++] = (char)*p;
	}
	buf[o] = '\0';
}

static json_t *pair(const char *tag, json_t *v)
{
	return v ? json_pack("[s,o]", tag, v) : NULL;
}

json_t *ovsdb_uuid(const char *uuid)
{
	return uuid ? pair("uuid", json_string(uuid)) : NULL;
}

json_t *ovsdb_named_uuid(const char *name)
{
	return name ? pair("named-uuid", json_string(name)) : NULL;
}

json_t *ovsdb_set(json_t *elements)
{
	return pair("set", elements);
}

json_t *ovsdb_map(json_t *pairs)
{
	return pair("map", pairs);
}

json_t *ovsdb_map_pair(const char *key, const char *value)
{
	if (!key || !value)
		return NULL;
	return ovsdb_map(json_pack("[[s,s]]", key, value));
}

static json_t *triple(const char *a, const char *b, json_t *v)
{
	if (!a || !b) {
		json_decref(v);
		return NULL;
	}
	return v ? json_pack("[s,s,o]", a, b, v) : NULL;
}

json_t *ovsdb_cond(const char *column, const char *function, json_t *value)
{
	return triple(column, function, value);
}

json_t *ovsdb_where(const char *column, const char *function, json_t *value)
{
	json_t *c = triple(column, function, value);

	return c ? json_pack("[o]", c) : NULL;
}

json_t *ovsdb_mutation(const char *column, const char *mutator, json_t *value)
{
	return triple(column, mutator, value);
}

struct ovsdb_txn *ovsdb_txn_new(const char *db)
{
	struct ovsdb_txn *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->db = strdup(db);
	t->ops = json_array();
	if (!t->db || !t->ops) {
		ovsdb_txn_free(t);
		return NULL;
	}
	return t;
}

void ovsdb_txn_free(struct ovsdb_txn *t)
{
	if (!t)
		return;
	free(t->db);
	json_decref(t->ops);
	free(t);
}

size_t ovsdb_txn_size(const struct ovsdb_txn *t)
{
	return json_array_size(t->ops);
}

/* Appends op (taken); the index of the operation or -ENOMEM, sticky. */
static int add(struct ovsdb_txn *t, json_t *op)
{
	/* json_array_append_new takes op even when it fails. */
	if (!op || t->oom || json_array_append_new(t->ops, op) < 0) {
		if (op && t->oom)
			json_decref(op);
		t->oom = true;
		return -ENOMEM;
	}
	return (int)json_array_size(t->ops) - 1;
}

/* Starts {"op":OP,"table":TABLE}; takes where (NULL: []) into "where" unless no_where. */
static json_t *op_new(const char *op, const char *table, json_t *where)
{
	json_t *o = json_pack("{s:s,s:s}", "op", op, "table", table);

	if (!where)
		where = json_array();
	if (!o || !where || json_object_set_new(o, "where", where) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* Sets key to v (taken) in o; on failure frees o and returns NULL. */
static json_t *op_set(json_t *o, const char *key, json_t *v)
{
	if (!o || !v || json_object_set_new(o, key, v) < 0) {
		json_decref(o);
		json_decref(v);
		return NULL;
	}
	return o;
}

static json_t *columns_new(const char *const *columns)
{
	json_t *a = json_array();

	for (size_t i = 0; a && columns[i]; i++) {
		if (json_array_append_new(a, json_string(columns[i])) < 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

int ovsdb_txn_select(struct ovsdb_txn *t, const char *table, json_t *where,
		     const char *const *columns)
{
	json_t *o = op_new("select", table, where);

	if (columns)
		o = op_set(o, "columns", columns_new(columns));
	return add(t, o);
}

int ovsdb_txn_insert(struct ovsdb_txn *t, const char *table, json_t *row, const char *uuid_name)
{
	json_t *o = json_pack("{s:s,s:s}", "op", "insert", "table", table);

	o = op_set(o, "row", row);
	if (uuid_name)
		o = op_set(o, "uuid-name", json_string(uuid_name));
	return add(t, o);
}

int ovsdb_txn_update(struct ovsdb_txn *t, const char *table, json_t *where, json_t *row)
{
	return add(t, op_set(op_new("update", table, where), "row", row));
}

int ovsdb_txn_mutate(struct ovsdb_txn *t, const char *table, json_t *where, json_t *mutations)
{
	return add(t, op_set(op_new("mutate", table, where), "mutations", mutations));
}

int ovsdb_txn_delete(struct ovsdb_txn *t, const char *table, json_t *where)
{
	return add(t, op_new("delete", table, where));
}

int ovsdb_txn_wait(struct ovsdb_txn *t, const char *table, json_t *where,
		   const char *const *columns, enum ovsdb_until until, json_t *rows, int timeout_ms)
{
	json_t *o = op_new("wait", table, where);

	if (timeout_ms >= 0)
		o = op_set(o, "timeout", json_integer(timeout_ms));
	if (columns)
		o = op_set(o, "columns", columns_new(columns));
	o = op_set(o, "until", json_string(until == OVSDB_UNTIL_EQ ? "==" : "!="));
	return add(t, op_set(o, "rows", rows));
}

int ovsdb_txn_comment(struct ovsdb_txn *t, const char *comment)
{
	return add(t, json_pack("{s:s,s:s}", "op", "comment", "comment", comment));
}

void ovsdb_txn_describe(const struct ovsdb_txn *t, size_t i, char *buf, size_t len)
{
	const json_t *o = json_array_get(t->ops, i);
	const char *op = json_string_value(json_object_get(o, "op"));
	const char *table = json_string_value(json_object_get(o, "table"));
	static const char *const prep[][2] = {
		{"insert", "into"}, {"select", "from"}, {"delete", "from"},
		{"update", "of"},   {"mutate", "of"},	{"wait", "for"},
	};
	const char *p = "of";

	if (!op) {
		snprintf(buf, len, "?");
		return;
	}
	for (size_t k = 0; k < sizeof(prep) / sizeof(prep[0]); k++)
		if (strcmp(op, prep[k][0]) == 0)
			p = prep[k][1];
	if (table)
		snprintf(buf, len, "%s %s '%s'", op, p, table);
	else
		snprintf(buf, len, "%s", op);
}

static int dump(json_t *msg, char **ret, struct error *err)
{
	char *s = msg ? json_dumps(msg, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;

	json_decref(msg);
	if (!s)
		return error_set(err, -ENOMEM, "OVSDB request: out of memory");
	*ret = s;
	return 0;
}

int ovsdb_request(const char *method, json_t *params, uint64_t id, char **ret, struct error *err)
{
	if (!params)
		return error_set(err, -ENOMEM, "OVSDB request '%s': out of memory", method);
	return dump(json_pack("{s:I,s:s,s:o}", "id", (json_int_t)id, "method", method, "params",
			      params),
		    ret, err);
}

int ovsdb_txn_request(const struct ovsdb_txn *t, uint64_t id, char **ret, struct error *err)
{
	json_t *params;

	if (t->oom)
		return error_set(err, -ENOMEM, "OVSDB transaction: out of memory");
	params = json_pack("[s]", t->db);
	if (params && json_array_extend(params, t->ops) < 0) {
		json_decref(params);
		params = NULL;
	}
	return ovsdb_request("transact", params, id, ret, err);
}

/* JSON white space (RFC 8259): the only bytes allowed between messages. */
static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int ovsdb_scan_next(struct ovsdb_scan *s, const char *buf, size_t len, size_t *ret_end,
		    struct error *err)
{
	for (; s->pos < len; s->pos++) {
		unsigned char c = (unsigned char)buf[s->pos];

		if (s->in_string) {
			if (s->escape)
				s->escape = false;
			else if (c == '\\')
				s->escape = true;
			else if (c == '"')
				s->in_string = false;
			continue;
		}
		if (!s->started) {
			if (is_space((char)c))
				continue;
			if (c != '{')
				return error_set(err, -EBADMSG,
						 "OVSDB stream: a message starts with byte 0x%02x, "
						 "not '{'",
						 c);
			s->started = true;
		}
		if (c == '"') {
			s->in_string = true;
		} else if (c == '{' || c == '[') {
			if (++s->depth > OVSDB_DEPTH_MAX)
				return error_set(err, -EBADMSG,
						 "OVSDB stream: message nested over %d levels",
						 OVSDB_DEPTH_MAX);
		} else if (c == '}' || c == ']') {
			/* A stray closer is left to the JSON parser: depth stays above 0. */
			if (s->depth > 0 && --s->depth == 0) {
				*ret_end = s->pos + 1;
				*s = (struct ovsdb_scan){0};
				return 1;
			}
		}
	}
	return 0;
}

void ovsdb_msg_clear(struct ovsdb_msg *m)
{
	json_decref(m->json);
	*m = (struct ovsdb_msg){0};
}

static int msg_classify(struct ovsdb_msg *m, struct error *err)
{
	json_t *j = m->json, *method = json_object_get(j, "method");

	m->id = json_object_get(j, "id");
	if (!m->id)
		return error_set(err, -EBADMSG, "OVSDB message without \"id\"");
	if (method) {
		if (!json_is_string(method))
			return error_set(err, -EBADMSG, "OVSDB message: \"method\" is no string");
		m->method = json_string_value(method);
		m->params = json_object_get(j, "params");
		if (!json_is_array(m->params))
			return error_set(err, -EBADMSG, "OVSDB request: \"params\" is no array");
		m->kind = json_is_null(m->id) ? OVSDB_MSG_NOTIFY : OVSDB_MSG_REQUEST;
		return 0;
	}
	m->kind = OVSDB_MSG_REPLY;
	m->result = json_object_get(j, "result");
	m->error = json_object_get(j, "error");
	if (json_is_null(m->result))
		m->result = NULL;
	if (json_is_null(m->error))
		m->error = NULL;
	if (!m->result == !m->error)
		return error_set(err, -EBADMSG,
				 "OVSDB reply: needs exactly one of \"result\" and \"error\"");
	return 0;
}

int ovsdb_msg_parse(const char *buf, size_t len, struct ovsdb_msg *ret, struct error *err)
{
	struct ovsdb_msg m = {0};
	struct ovsdb_scan s = {0};
	json_error_t jerr;
	char q[OVSDB_QUOTE_MAX];
	size_t end = 0;
	int r;

	if (len > OVSDB_MSG_MAX)
		return error_set(err, -EMSGSIZE, "OVSDB message over %u bytes", OVSDB_MSG_MAX);
	/* The scanner bounds the nesting before jansson recurses into it. */
	r = ovsdb_scan_next(&s, buf, len, &end, err);
	if (r < 0)
		return r;
	if (r == 0)
		return error_set(err, -EBADMSG, "OVSDB message: incomplete");
	for (size_t i = end; i < len; i++)
		if (!is_space(buf[i]))
			return error_set(err, -EBADMSG,
					 "OVSDB message: bytes after its end (offset %zu)", i);
	m.json = json_loadb(buf, end, JSON_REJECT_DUPLICATES, &jerr);
	if (!m.json) {
		ovsdb_quote(jerr.text, q, sizeof(q));
		return error_set(err, -EBADMSG, "OVSDB message: offset %d: %s", jerr.position, q);
	}
	if (!json_is_object(m.json)) {
		ovsdb_msg_clear(&m);
		return error_set(err, -EBADMSG, "OVSDB message: not an object");
	}
	r = msg_classify(&m, err);
	if (r < 0) {
		ovsdb_msg_clear(&m);
		return r;
	}
	*ret = m;
	return 0;
}

bool ovsdb_msg_is_reply_to(const struct ovsdb_msg *m, uint64_t id)
{
	return m->kind == OVSDB_MSG_REPLY && json_is_integer(m->id) &&
	       json_integer_value(m->id) == (json_int_t)id;
}

int ovsdb_echo_reply(const struct ovsdb_msg *m, char **ret, struct error *err)
{
	return dump(json_pack("{s:O,s:O,s:n}", "id", m->id, "result", m->params, "error"), ret,
		    err);
}
