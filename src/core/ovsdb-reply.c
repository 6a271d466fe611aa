// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * OVSDB replies (see ovsdb.h): a transaction's results checked against its
 * operations, the results read, and the data types of RFC 7047 5.1 read with
 * their types checked.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ovsdb.h"

/* "<error>: <details>" of a server error object (or of whatever else the server sent). */
static int server_error(struct error *err, int code, const char *what, const json_t *e)
{
	const char *text = json_string_value(json_is_object(e) ? json_object_get(e, "error") : e);
	const char *details = json_string_value(json_object_get(e, "details"));
	char qt[OVSDB_QUOTE_MAX], qd[OVSDB_QUOTE_MAX];

	if (!text)
		return error_set(err, -EREMOTEIO, "%s: the server failed (error of no known form)",
				 what);
	ovsdb_quote(text, qt, sizeof(qt));
	if (!details)
		return error_set(err, code, "%s: %s", what, qt);
	ovsdb_quote(details, qd, sizeof(qd));
	return error_set(err, code, "%s: %s: %s", what, qt, qd);
}

static int error_code(const json_t *e)
{
	const char *text = json_string_value(json_object_get(e, "error"));

	return text && strcmp(text, "timed out") == 0 ? -ETIMEDOUT : -EREMOTEIO;
}

int ovsdb_txn_reply_check(const struct ovsdb_txn *t, const struct ovsdb_msg *reply,
			  struct error *err)
{
	size_t n = ovsdb_txn_size(t), got;
	char what[160];

	if (reply->error)
		return server_error(err, -EREMOTEIO, "OVSDB transaction", reply->error);
	if (!json_is_array(reply->result))
		return error_set(err, -EBADMSG, "OVSDB transaction: the result is no array");
	got = json_array_size(reply->result);
	/* RFC 7047 4.1.3: an operation's error ends the array early, or is followed by nulls. */
	for (size_t i = 0; i < got && i < n; i++) {
		const json_t *r = json_array_get(reply->result, i);
		char op[96];

		if (json_is_object(r) && !json_object_get(r, "error"))
			continue;
		ovsdb_txn_describe(t, i, op, sizeof(op));
		snprintf(what, sizeof(what), "OVSDB transaction: op %zu (%s)", i, op);
		if (!json_is_object(r))
			return error_set(err, -EBADMSG, "%s: the result is no object", what);
		return server_error(err, error_code(r), what, r);
	}
	/* One more element: the commit failed after every operation went well. */
	if (got > n) {
		const json_t *r = json_array_get(reply->result, n);

		return server_error(err, error_code(r), "OVSDB transaction: commit", r);
	}
	if (got < n)
		return error_set(err, -EBADMSG,
				 "OVSDB transaction: %zu results for %zu operations, no error", got,
				 n);
	return 0;
}

static const json_t *result_member(const struct ovsdb_msg *reply, size_t op, const char *key,
				   struct error *err)
{
	const json_t *v = json_object_get(json_array_get(reply->result, op), key);

	if (!v)
		error_set(err, -EBADMSG, "OVSDB transaction: the result of op %zu has no \"%s\"",
			  op, key);
	return v;
}

int ovsdb_result_uuid(const struct ovsdb_msg *reply, size_t op, char ret[OVSDB_UUID_LEN + 1],
		      struct error *err)
{
	const json_t *v = result_member(reply, op, "uuid", err);

	if (!v)
		return -EBADMSG;
	if (ovsdb_atom_uuid(v, ret) < 0)
		return error_set(err, -EBADMSG, "OVSDB transaction: op %zu: a malformed uuid", op);
	return 0;
}

int ovsdb_result_count(const struct ovsdb_msg *reply, size_t op, int64_t *ret, struct error *err)
{
	const json_t *v = result_member(reply, op, "count", err);

	if (!v)
		return -EBADMSG;
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return error_set(err, -EBADMSG, "OVSDB transaction: op %zu: the count is no count",
				 op);
	*ret = json_integer_value(v);
	return 0;
}

int ovsdb_result_rows(const struct ovsdb_msg *reply, size_t op, json_t **ret, struct error *err)
{
	const json_t *v = result_member(reply, op, "rows", err);

	if (!v)
		return -EBADMSG;
	if (!json_is_array(v))
		return error_set(err, -EBADMSG, "OVSDB transaction: op %zu: the rows are no array",
				 op);
	if (json_array_size(v) > OVSDB_ROWS_MAX)
		return error_set(err, -EMSGSIZE, "OVSDB transaction: op %zu: over %d rows", op,
				 OVSDB_ROWS_MAX);
	*ret = (json_t *)v;
	return 0;
}

int ovsdb_result_locked(const struct ovsdb_msg *reply, bool *ret, struct error *err)
{
	const json_t *v;

	if (reply->error)
		return server_error(err, -EREMOTEIO, "OVSDB lock", reply->error);
	v = json_object_get(reply->result, "locked");
	if (!json_is_boolean(v))
		return error_set(err, -EBADMSG, "OVSDB lock: the reply has no \"locked\" boolean");
	*ret = json_is_true(v);
	return 0;
}

/* A two-element array whose first element is the string tag. */
static const json_t *tagged(const json_t *v, const char *tag)
{
	if (!json_is_array(v) || json_array_size(v) != 2)
		return NULL;
	if (!json_is_string(json_array_get(v, 0)) ||
	    strcmp(json_string_value(json_array_get(v, 0)), tag) != 0)
		return NULL;
	return json_array_get(v, 1);
}

int ovsdb_set_size(const json_t *datum, size_t *ret)
{
	const json_t *elems = tagged(datum, "set");

	if (!elems) {
		/* A bare atom is a set of one; a map or a malformed array is not. */
		if (!datum || json_is_null(datum) || json_is_object(datum) ||
		    tagged(datum, "map") ||
		    (json_is_array(datum) && !tagged(datum, "uuid") &&
		     !tagged(datum, "named-uuid")))
			return -EBADMSG;
		*ret = 1;
		return 0;
	}
	if (!json_is_array(elems) || json_array_size(elems) > OVSDB_SET_MAX)
		return -EBADMSG;
	*ret = json_array_size(elems);
	return 0;
}

const json_t *ovsdb_set_at(const json_t *datum, size_t i)
{
	const json_t *elems = tagged(datum, "set");

	if (!elems)
		return i == 0 ? datum : NULL;
	return json_array_get(elems, i);
}

int ovsdb_atom_uuid(const json_t *atom, char ret[OVSDB_UUID_LEN + 1])
{
	const json_t *u = tagged(atom, "uuid");
	const char *s = json_string_value(u);

	if (!s || json_string_length(u) != OVSDB_UUID_LEN)
		return -EBADMSG;
	for (size_t i = 0; i < OVSDB_UUID_LEN; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		char c = s[i];

		if (dash ? c != '-'
			 : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
			     (c >= 'A' && c <= 'F')))
			return -EBADMSG;
	}
	memcpy(ret, s, OVSDB_UUID_LEN + 1);
	return 0;
}

int ovsdb_map_pairs(const json_t *datum, const json_t **ret)
{
	const json_t *pairs = tagged(datum, "map");

	if (!json_is_array(pairs) || json_array_size(pairs) > OVSDB_SET_MAX)
		return -EBADMSG;
	for (size_t i = 0; i < json_array_size(pairs); i++) {
		const json_t *p = json_array_get(pairs, i);

		if (!json_is_array(p) || json_array_size(p) != 2)
			return -EBADMSG;
	}
	*ret = pairs;
	return 0;
}

int ovsdb_atom_string(const json_t *atom, const char **ret)
{
	if (!json_is_string(atom) || json_string_length(atom) > OVSDB_STR_MAX)
		return -EBADMSG;
	*ret = json_string_value(atom);
	return 0;
}
