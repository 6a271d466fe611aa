/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The OVSDB management protocol (RFC 7047), without I/O: JSON-RPC requests
 * built with jansson (transact and its operations, lock, echo replies), the
 * byte stream cut into messages, and replies checked and read. The transport
 * is src/sys/ovsdb-client.c; rows of the tables nsnet reads are in
 * ovsdb-state.h.
 *
 * Everything the server sends is untrusted: a message is cut from the stream
 * only up to OVSDB_MSG_MAX bytes and OVSDB_DEPTH_MAX levels of nesting, every
 * value is type-checked before use, and text quoted from the server into an
 * error is escaped (name_escape) and shortened.
 *
 * Builders take ownership of their json_t arguments (as jansson's "_new"
 * functions do) and accept NULL for them, so requests are nested expressions;
 * an allocation failure anywhere is sticky in the transaction and reported
 * once, by ovsdb_txn_request.
 */
#ifndef NSNET_OVSDB_H
#define NSNET_OVSDB_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define OVSDB_DB "Open_vSwitch"
#define OVSDB_MSG_MAX (32u << 20) /* bytes of one message from the server */
#define OVSDB_DEPTH_MAX 32	  /* nesting of one message; replies need about 8 */
#define OVSDB_ROWS_MAX 100000	  /* rows of one select */
#define OVSDB_SET_MAX 100000	  /* elements of one set or map */
#define OVSDB_STR_MAX 65535	  /* bytes of one string from the server */
#define OVSDB_UUID_LEN 36

/* Bytes of server text quoted in an error: room is left for the context. */
#define OVSDB_QUOTE_MAX 200
/*
 * Copies untrusted text (the server's) for a message: control characters
 * become \xHH, so no escape sequence reaches a terminal, and long text is cut
 * at a character boundary and ends in "..." (jansson has checked the UTF-8).
 */
void ovsdb_quote(const char *s, char *buf, size_t len);

/* Atoms and data (RFC 7047 5.1). */
json_t *ovsdb_uuid(const char *uuid);	    /* ["uuid", UUID] */
json_t *ovsdb_named_uuid(const char *name); /* ["named-uuid", NAME]: a row of this transaction */
json_t *ovsdb_set(json_t *elements);	    /* ["set", ELEMENTS] */
json_t *ovsdb_map(json_t *pairs);	    /* ["map", PAIRS], PAIRS an array of [K, V] */
/* ["map", [[KEY, VALUE]]]: an external_ids mark. */
json_t *ovsdb_map_pair(const char *key, const char *value);
/* [COLUMN, FUNCTION, VALUE]: a condition of a where clause ("==", "!=", "includes"...). */
json_t *ovsdb_cond(const char *column, const char *function, json_t *value);
/* [[COLUMN, FUNCTION, VALUE]]: a where clause of one condition. */
json_t *ovsdb_where(const char *column, const char *function, json_t *value);
/* [COLUMN, MUTATOR, VALUE]: a mutation ("insert", "delete" on sets and maps, "+=" ...). */
json_t *ovsdb_mutation(const char *column, const char *mutator, json_t *value);

/* A transact request being built. */
struct ovsdb_txn {
	char *db;
	json_t *ops;
	bool oom; /* an operation could not be built; ovsdb_txn_request says so */
};

struct ovsdb_txn *ovsdb_txn_new(const char *db);
void ovsdb_txn_free(struct ovsdb_txn *t);
static inline void ovsdb_txn_freep(struct ovsdb_txn **t)
{
	ovsdb_txn_free(*t);
}
#define _cleanup_ovsdb_txn_ _cleanup_(ovsdb_txn_freep)

/*
 * Operations (RFC 7047 5.2). Each returns its index in the transaction, which
 * is the index of its result in the reply, or -ENOMEM. where NULL means every
 * row ([]); columns is NULL-terminated, NULL for all of them.
 */
int ovsdb_txn_select(struct ovsdb_txn *t, const char *table, json_t *where,
		     const char *const *columns);
/* uuid_name (may be NULL) lets later operations refer to the row as ["named-uuid", NAME]. */
int ovsdb_txn_insert(struct ovsdb_txn *t, const char *table, json_t *row, const char *uuid_name);
int ovsdb_txn_update(struct ovsdb_txn *t, const char *table, json_t *where, json_t *row);
/* mutations: an array of ovsdb_mutation()s. */
int ovsdb_txn_mutate(struct ovsdb_txn *t, const char *table, json_t *where, json_t *mutations);
int ovsdb_txn_delete(struct ovsdb_txn *t, const char *table, json_t *where);

enum ovsdb_until {
	OVSDB_UNTIL_EQ, /* "==": the selected columns of the rows equal rows */
	OVSDB_UNTIL_NE, /* "!=": they differ */
};
/*
 * Holds the transaction until the condition is true, at most timeout_ms
 * (< 0: no timeout; 0: fails at once if false). rows: an array of objects.
 */
int ovsdb_txn_wait(struct ovsdb_txn *t, const char *table, json_t *where,
		   const char *const *columns, enum ovsdb_until until, json_t *rows,
		   int timeout_ms);
/* Text the server writes to its log with the transaction. */
int ovsdb_txn_comment(struct ovsdb_txn *t, const char *comment);

/* Operations in t. */
size_t ovsdb_txn_size(const struct ovsdb_txn *t);
/* "insert into 'Port'": what operation i is, for messages. */
void ovsdb_txn_describe(const struct ovsdb_txn *t, size_t i, char *buf, size_t len);

/* {"id":ID,"method":"transact","params":[DB, OPS...]}, compact, in *ret (free()). */
int ovsdb_txn_request(const struct ovsdb_txn *t, uint64_t id, char **ret, struct error *err);
/* {"id":ID,"method":METHOD,"params":PARAMS} (lock, unlock, list_dbs...); params is taken. */
int ovsdb_request(const char *method, json_t *params, uint64_t id, char **ret, struct error *err);

/*
 * Cutting the byte stream into messages: JSON-RPC over a stream socket has no
 * framing, so the end of a message is where its outermost object closes. The
 * scanner keeps its place between calls over a buffer that only grows at the
 * end, so every byte is looked at once.
 */
struct ovsdb_scan {
	size_t pos;
	unsigned depth;
	bool started, in_string, escape;
};
/*
 * 1 when buf[0..len) holds a whole message: its length (leading white space
 * included) in *ret_end, and the scanner is reset for the next one. 0 when
 * more bytes are needed. -EBADMSG when the stream is no JSON-RPC (a message
 * that is not an object, nesting over OVSDB_DEPTH_MAX).
 */
int ovsdb_scan_next(struct ovsdb_scan *s, const char *buf, size_t len, size_t *ret_end,
		    struct error *err);

enum ovsdb_msg_kind {
	OVSDB_MSG_REPLY,   /* result or error, id */
	OVSDB_MSG_REQUEST, /* method, params, id: the server asks (echo) */
	OVSDB_MSG_NOTIFY,  /* method, params, id null: update, locked, stolen */
};

/* One message from the server; the pointers point into json. */
struct ovsdb_msg {
	json_t *json;
	enum ovsdb_msg_kind kind;
	const char *method;
	json_t *params, *id;
	json_t *result, *error; /* a reply: exactly one is not null */
};

/*
 * Parses one message (as cut by ovsdb_scan_next, or any buffer) and checks its
 * JSON-RPC shape. The message is the whole buffer: trailing bytes other than
 * white space are an error.
 */
int ovsdb_msg_parse(const char *buf, size_t len, struct ovsdb_msg *ret, struct error *err);
void ovsdb_msg_clear(struct ovsdb_msg *m);
/* A reply to request id. */
bool ovsdb_msg_is_reply_to(const struct ovsdb_msg *m, uint64_t id);
/* The reply to an echo request: its params back, same id. */
int ovsdb_echo_reply(const struct ovsdb_msg *m, char **ret, struct error *err);

/*
 * Checks a reply to t: no top-level error, one result per operation, none an
 * error, none missing. A server error names the operation: "op 3 (insert into
 * 'Port'): constraint violation: <details>". A failed wait returns -ETIMEDOUT,
 * any other server error -EREMOTEIO, a malformed reply -EBADMSG.
 */
int ovsdb_txn_reply_check(const struct ovsdb_txn *t, const struct ovsdb_msg *reply,
			  struct error *err);
/* Results of a checked reply: the uuid of an insert, the count of an update, mutate or
 * delete, the rows of a select (an array owned by the reply). */
int ovsdb_result_uuid(const struct ovsdb_msg *reply, size_t op, char ret[OVSDB_UUID_LEN + 1],
		      struct error *err);
int ovsdb_result_count(const struct ovsdb_msg *reply, size_t op, int64_t *ret, struct error *err);
int ovsdb_result_rows(const struct ovsdb_msg *reply, size_t op, json_t **ret, struct error *err);
/* A reply to lock: {"locked": BOOL}. */
int ovsdb_result_locked(const struct ovsdb_msg *reply, bool *ret, struct error *err);

/*
 * Reading data (RFC 7047 5.1). A set of one element may be sent as the bare
 * element, so a set is read through these two: -EBADMSG for a malformed set.
 */
int ovsdb_set_size(const json_t *datum, size_t *ret);
const json_t *ovsdb_set_at(const json_t *datum, size_t i);
/* ["uuid", "8-4-4-4-12 hex"] into ret. */
int ovsdb_atom_uuid(const json_t *atom, char ret[OVSDB_UUID_LEN + 1]);
/* The [K, V] pairs of ["map", PAIRS]. */
int ovsdb_map_pairs(const json_t *datum, const json_t **ret);
/* A string of at most OVSDB_STR_MAX bytes. */
int ovsdb_atom_string(const json_t *atom, const char **ret);

#endif
