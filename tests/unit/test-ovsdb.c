// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The OVSDB protocol layer (src/core/ovsdb.c, ovsdb-state.c) without a
 * server: requests against golden strings, the stream cut into messages,
 * replies of ovsdb-server 3.1 captured in tests/fuzz/ovsdb-seeds/ (errors
 * inside a transaction's result among them), and hostile replies.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/ovsdb-state.h"
#include "core/ovsdb.h"
#include "slurp.h"

static char *seed(const char *name, size_t *len)
{
	char path[512];
	char *s;

	snprintf(path, sizeof(path), "%s/%s", SEEDS_DIR, name);
	s = slurp(path, len);
	assert_non_null(s);
	return s;
}

/* The request text of t, checked against want. */
static void assert_request(const struct ovsdb_txn *t, uint64_t id, const char *want)
{
	struct error err = {0};
	char *s = NULL;

	assert_int_equal(ovsdb_txn_request(t, id, &s, &err), 0);
	assert_string_equal(s, want);
	free(s);
}

static void build_transact(void **state)
{
	static const char *const cols[] = {"_uuid", "name", NULL};
	struct ovsdb_txn *t = ovsdb_txn_new("Open_vSwitch");

	(void)state;
	assert_int_equal(
		ovsdb_txn_select(t, "Bridge", ovsdb_where("name", "==", json_string("b")), cols),
		0);
	assert_int_equal(ovsdb_txn_insert(t, "Port",
					  json_pack("{s:s,s:o,s:o}", "name", "p", "interfaces",
						    ovsdb_named_uuid("i"), "external_ids",
						    ovsdb_map_pair("nsnet-topology", "t")),
					  "p"),
			 1);
	assert_int_equal(ovsdb_txn_update(t, "Interface",
					  ovsdb_where("_uuid", "==",
						      ovsdb_uuid("36d4b9b0-0c5f-4d43-a9b1-"
								 "a5d3cf0fcc2c")),
					  json_pack("{s:s}", "type", "internal")),
			 2);
	assert_int_equal(
		ovsdb_txn_mutate(t, "Open_vSwitch", NULL,
				 json_pack("[o,o]",
					   ovsdb_mutation("bridges", "insert",
							  ovsdb_set(json_pack(
								  "[o]", ovsdb_named_uuid("br")))),
					   ovsdb_mutation("next_cfg", "+=", json_integer(1)))),
		3);
	assert_int_equal(ovsdb_txn_delete(t, "Port", ovsdb_where("name", "!=", json_string("x"))),
			 4);
	assert_int_equal(ovsdb_txn_wait(t, "Open_vSwitch", NULL,
					(const char *const[]){"cur_cfg", NULL}, OVSDB_UNTIL_NE,
					json_pack("[{s:i}]", "cur_cfg", 4), 5000),
			 5);
	assert_int_equal(ovsdb_txn_wait(t, "Bridge", NULL, NULL, OVSDB_UNTIL_EQ, json_array(), -1),
			 6);
	assert_int_equal(ovsdb_txn_comment(t, "nsnet up 'demo'"), 7);
	assert_int_equal(ovsdb_txn_size(t), 8);
	assert_request(
		t, 7,
		"{\"id\":7,\"method\":\"transact\",\"params\":[\"Open_vSwitch\","
		"{\"op\":\"select\",\"table\":\"Bridge\",\"where\":[[\"name\",\"==\",\"b\"]],"
		"\"columns\":[\"_uuid\",\"name\"]},"
		"{\"op\":\"insert\",\"table\":\"Port\",\"row\":{\"name\":\"p\",\"interfaces\":"
		"[\"named-uuid\",\"i\"],\"external_ids\":[\"map\",[[\"nsnet-topology\",\"t\"]]]},"
		"\"uuid-name\":\"p\"},"
		"{\"op\":\"update\",\"table\":\"Interface\",\"where\":[[\"_uuid\",\"==\",[\"uuid\","
		"\"36d4b9b0-0c5f-4d43-a9b1-a5d3cf0fcc2c\"]]],\"row\":{\"type\":\"internal\"}},"
		"{\"op\":\"mutate\",\"table\":\"Open_vSwitch\",\"where\":[],\"mutations\":"
		"[[\"bridges\",\"insert\",[\"set\",[[\"named-uuid\",\"br\"]]]],"
		"[\"next_cfg\",\"+=\",1]]},"
		"{\"op\":\"delete\",\"table\":\"Port\",\"where\":[[\"name\",\"!=\",\"x\"]]},"
		"{\"op\":\"wait\",\"table\":\"Open_vSwitch\",\"where\":[],\"timeout\":5000,"
		"\"columns\":[\"cur_cfg\"],\"until\":\"!=\",\"rows\":[{\"cur_cfg\":4}]},"
		"{\"op\":\"wait\",\"table\":\"Bridge\",\"where\":[],\"until\":\"==\",\"rows\":[]},"
		"{\"op\":\"comment\",\"comment\":\"nsnet up 'demo'\"}]}");
	ovsdb_txn_free(t);
}

static void build_oom_is_sticky(void **state)
{
	struct ovsdb_txn *t = ovsdb_txn_new("Open_vSwitch");
	struct error err = {0};
	char *s = NULL;

	(void)state;
	/* A NULL argument stands for a failed allocation inside a nested builder. */
	assert_int_equal(ovsdb_txn_insert(t, "Port", NULL, "p"), -ENOMEM);
	assert_int_equal(ovsdb_txn_delete(t, "Port", NULL), -ENOMEM);
	assert_null(ovsdb_where("name", "==", NULL));
	assert_null(ovsdb_set(NULL));
	assert_int_equal(ovsdb_txn_request(t, 1, &s, &err), -ENOMEM);
	assert_null(s);
	assert_string_equal(err.msg, "OVSDB transaction: out of memory");
	ovsdb_txn_free(t);
	ovsdb_txn_free(NULL);
}

static void build_other_requests(void **state)
{
	struct ovsdb_msg m = {0};
	struct error err = {0};
	char *s = NULL;

	(void)state;
	assert_int_equal(ovsdb_request("lock", json_pack("[s]", "ovs_vswitchd"), 3, &s, &err), 0);
	assert_string_equal(s, "{\"id\":3,\"method\":\"lock\",\"params\":[\"ovs_vswitchd\"]}");
	free(s);
	/* The server's echo request gets its params back under its own id (any JSON). */
	const char *echo = "{\"id\":\"echo\",\"method\":\"echo\",\"params\":[{\"a\":[1]}]}";
	assert_int_equal(ovsdb_msg_parse(echo, strlen(echo), &m, &err), 0);
	assert_int_equal(m.kind, OVSDB_MSG_REQUEST);
	assert_string_equal(m.method, "echo");
	assert_int_equal(ovsdb_echo_reply(&m, &s, &err), 0);
	assert_string_equal(s, "{\"id\":\"echo\",\"result\":[{\"a\":[1]}],\"error\":null}");
	free(s);
	ovsdb_msg_clear(&m);
}

/* Feeds text one byte more at a time, as a slow socket would; returns the message lengths. */
static size_t scan_all(const char *text, size_t *ends, size_t max)
{
	struct ovsdb_scan s = {0};
	struct error err = {0};
	size_t len = strlen(text), base = 0, n = 0;

	for (size_t avail = 1; avail <= len - base && n < max;) {
		size_t end;
		int r = ovsdb_scan_next(&s, text + base, avail, &end, &err);

		assert_true(r >= 0);
		if (r == 1) {
			ends[n++] = end;
			base += end;
			avail = 1;
			continue;
		}
		avail++;
	}
	return n;
}

static void scan_stream(void **state)
{
	size_t ends[4];
	const char *two = " {\"id\":1,\"result\":[\"}\\\"{[\"],\"error\":null}\n"
			  "{\"id\":null,\"method\":\"update\",\"params\":[[[{}]]]}";

	(void)state;
	assert_int_equal(scan_all(two, ends, 4), 2);
	/* Braces inside strings and escaped quotes do not count. */
	assert_int_equal(ends[0], strlen(" {\"id\":1,\"result\":[\"}\\\"{[\"],\"error\":null}"));
	assert_int_equal(ends[1],
			 strlen("\n{\"id\":null,\"method\":\"update\",\"params\":[[[{}]]]}"));
	assert_int_equal(scan_all("{\"a\":\"\\\\\"}", ends, 4), 1);
}

static void scan_hostile(void **state)
{
	struct ovsdb_scan s = {0};
	struct error err = {0};
	char deep[OVSDB_DEPTH_MAX + 8];
	size_t end;

	(void)state;
	assert_int_equal(ovsdb_scan_next(&s, "[1]", 3, &end, &err), -EBADMSG);
	assert_string_equal(err.msg, "OVSDB stream: a message starts with byte 0x5b, not '{'");
	s = (struct ovsdb_scan){0};
	assert_int_equal(ovsdb_scan_next(&s, "\x01", 1, &end, &err), -EBADMSG);
	s = (struct ovsdb_scan){0};
	deep[0] = '{';
	memset(deep + 1, '[', sizeof(deep) - 1);
	assert_int_equal(ovsdb_scan_next(&s, deep, sizeof(deep), &end, &err), -EBADMSG);
	assert_string_equal(err.msg, "OVSDB stream: message nested over 32 levels");
	/* Exactly at the cap is fine. */
	s = (struct ovsdb_scan){0};
	char ok[2 * OVSDB_DEPTH_MAX];
	ok[0] = '{';
	memset(ok + 1, '[', OVSDB_DEPTH_MAX - 1);
	memset(ok + OVSDB_DEPTH_MAX, ']', OVSDB_DEPTH_MAX - 1);
	ok[2 * OVSDB_DEPTH_MAX - 1] = '}';
	assert_int_equal(ovsdb_scan_next(&s, ok, sizeof(ok), &end, &err), 1);
	assert_int_equal(end, sizeof(ok));
}

static void msg_kinds(void **state)
{
	struct ovsdb_msg m = {0};
	struct error err = {0};
	const char *n = "{\"id\":null,\"method\":\"locked\",\"params\":[\"x\"]}";
	size_t len;
	char *lock = seed("lock.json", &len);

	(void)state;
	assert_int_equal(ovsdb_msg_parse(n, strlen(n), &m, &err), 0);
	assert_int_equal(m.kind, OVSDB_MSG_NOTIFY);
	assert_false(ovsdb_msg_is_reply_to(&m, 1));
	ovsdb_msg_clear(&m);
	bool locked = true;
	assert_int_equal(ovsdb_msg_parse(lock, len, &m, &err), 0);
	assert_true(ovsdb_msg_is_reply_to(&m, 7));
	assert_false(ovsdb_msg_is_reply_to(&m, 8));
	assert_int_equal(ovsdb_result_locked(&m, &locked, &err), 0);
	assert_false(locked);
	ovsdb_msg_clear(&m);
	free(lock);
}

static void msg_hostile(void **state)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{"{\"id\":1}", "OVSDB reply: needs exactly one of \"result\" and \"error\""},
		{"{\"id\":1,\"result\":[],\"error\":\"x\"}",
		 "OVSDB reply: needs exactly one of \"result\" and \"error\""},
		{"{\"result\":[]}", "OVSDB message without \"id\""},
		{"{\"id\":1,\"method\":7,\"params\":[]}", "OVSDB message: \"method\" is no string"},
		{"{\"id\":1,\"method\":\"echo\",\"params\":{}}",
		 "OVSDB request: \"params\" is no array"},
		{"{\"id\":1,\"id\":2,\"result\":[]}",
		 "OVSDB message: offset 12: duplicate object key near '\"id\"'"},
		{"{\"id\":1,\"result\":[]} x", "OVSDB message: bytes after its end (offset 21)"},
		{"{\"id\":1,\"result\":[", "OVSDB message: incomplete"},
		{"{\"id\":1,\"result\":[]]", "OVSDB message: offset 20: '}' expected near ']'"},
		{"{\"id\":1,\"result\":[\"\\u0000\"]}",
		 "OVSDB message: offset 26: \\u0000 is not allowed without JSON_ALLOW_NUL near "
		 "'\"\\u0000\"'"},
		{"{\"id\":1e999,\"result\":[]}",
		 "OVSDB message: offset 11: real number overflow near '1e999'"},
		{"{\"id\":1,\"result\":[\"\x01\x1b[31m\"]}",
		 "OVSDB message: offset 19: control character 0x1 near '\"'"},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct ovsdb_msg m = {0};
		struct error err = {0};

		assert_int_equal(ovsdb_msg_parse(cases[i].text, strlen(cases[i].text), &m, &err),
				 -EBADMSG);
		assert_string_equal(err.msg, cases[i].msg);
		assert_null(m.json);
	}
}

/* A transaction of n comments: the reply checks below only count operations. */
static struct ovsdb_txn *comments(size_t n)
{
	struct ovsdb_txn *t = ovsdb_txn_new("Open_vSwitch");

	for (size_t i = 0; i < n; i++)
		ovsdb_txn_comment(t, "c");
	return t;
}

/* Parses text as a reply to t and checks it: the return code, err.msg in *msg. */
static int check_reply(const struct ovsdb_txn *t, const char *text, size_t len, struct error *err)
{
	struct ovsdb_msg m = {0};
	int r = ovsdb_msg_parse(text, len, &m, err);

	if (r >= 0)
		r = ovsdb_txn_reply_check(t, &m, err);
	ovsdb_msg_clear(&m);
	return r;
}

static void reply_errors(void **state)
{
	static const struct {
		const char *seed;
		size_t ops;
		int code;
		const char *msg;
	} cases[] = {
		{"wait-timeout.json", 2, -ETIMEDOUT,
		 "OVSDB transaction: op 0 (wait for 'Bridge'): timed out: \"where\" clause test "
		 "failed"},
		{"op-error.json", 3, -EREMOTEIO,
		 "OVSDB transaction: op 1 (insert into 'Port'): syntax error: expected string"},
		{"referential.json", 2, -EREMOTEIO,
		 "OVSDB transaction: commit: referential integrity violation: Table Port column "
		 "interfaces row decba2cf-7ac5-4e90-8c94-843281aefaa2 references nonexistent row "
		 "00000000-0000-0000-0000-000000000001 in table Interface."},
		{"no-db.json", 1, -EREMOTEIO,
		 "OVSDB transaction: unknown database: transact request specifies unknown database "
		 "Nope"},
		{"bad-method.json", 1, -EREMOTEIO, "OVSDB transaction: unknown method"},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct ovsdb_txn *t = ovsdb_txn_new("Open_vSwitch");
		struct error err = {0};
		size_t len;
		char *text = seed(cases[i].seed, &len);

		/* The operations the captured replies answered, for the names in messages. */
		if (strcmp(cases[i].seed, "wait-timeout.json") == 0) {
			ovsdb_txn_wait(t, "Bridge", NULL, NULL, OVSDB_UNTIL_EQ, json_array(), 0);
			ovsdb_txn_comment(t, "x");
		} else if (strcmp(cases[i].seed, "op-error.json") == 0) {
			ovsdb_txn_comment(t, "x");
			ovsdb_txn_insert(t, "Port", json_pack("{s:i}", "name", 7), NULL);
			ovsdb_txn_select(t, "Bridge", NULL, NULL);
		} else {
			for (size_t k = 0; k < cases[i].ops; k++)
				ovsdb_txn_comment(t, "x");
		}
		assert_int_equal(check_reply(t, text, len, &err), cases[i].code);
		assert_string_equal(err.msg, cases[i].msg);
		ovsdb_txn_free(t);
		free(text);
	}
}

static void reply_index_violation(void **state)
{
	struct ovsdb_txn *t = comments(3);
	struct error err = {0};
	size_t len;
	char *text = seed("index-violation.json", &len);

	(void)state;
	assert_int_equal(check_reply(t, text, len, &err), -EREMOTEIO);
	/* Long server text is cut, and marked so. */
	assert_true(
		strncmp(err.msg,
			"OVSDB transaction: commit: constraint violation: Transaction causes "
			"multiple rows in \"Interface\" table to have identical values (foreign)",
			120) == 0);
	assert_true(strstr(err.msg, "...") != NULL);
	ovsdb_txn_free(t);
	free(text);
}

static void reply_long_text(void **state)
{
	struct ovsdb_txn *t = comments(1);
	struct error err = {0};
	char text[1024], *p = text;
	json_t *j;

	(void)state;
	/* 2-byte characters: the cut must not split one (jansson accepts only UTF-8). */
	p += sprintf(p, "{\"id\":1,\"error\":\"");
	for (int i = 0; i < 150; i++)
		p += sprintf(p, "\xc3\xa9");
	sprintf(p, "\"}");
	assert_int_equal(check_reply(t, text, strlen(text), &err), -EREMOTEIO);
	assert_true(strlen(err.msg) < 230);
	assert_true(strstr(err.msg, "...") != NULL);
	j = json_string(err.msg);
	assert_non_null(j);
	json_decref(j);
	ovsdb_txn_free(t);
}

static void reply_malformed(void **state)
{
	static const struct {
		const char *text;
		size_t ops;
		const char *msg;
	} cases[] = {
		{"{\"id\":1,\"result\":{}}", 1, "OVSDB transaction: the result is no array"},
		{"{\"id\":1,\"result\":[{}]}", 2,
		 "OVSDB transaction: 1 results for 2 operations, no error"},
		{"{\"id\":1,\"result\":[{},null]}", 2,
		 "OVSDB transaction: op 1 (comment): the result is no object"},
		{"{\"id\":1,\"result\":[{\"error\":7}]}", 1,
		 "OVSDB transaction: op 0 (comment): the server failed (error of no known form)"},
		{"{\"id\":1,\"result\":[{},{\"error\":\"x\\u001b[2J\",\"details\":[]}]}", 1,
		 "OVSDB transaction: commit: x\\x1b[2J"},
		{"{\"id\":1,\"error\":{\"error\":\"it's\",\"details\":\"a\\\\b\"}}", 1,
		 "OVSDB transaction: it's: a\\b"},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct ovsdb_txn *t = comments(cases[i].ops);
		struct error err = {0};

		assert_true(check_reply(t, cases[i].text, strlen(cases[i].text), &err) < 0);
		assert_string_equal(err.msg, cases[i].msg);
		ovsdb_txn_free(t);
	}
}

static void reply_results(void **state)
{
	struct ovsdb_txn *t = comments(4);
	struct ovsdb_msg m = {0};
	struct error err = {0};
	char uuid[OVSDB_UUID_LEN + 1];
	int64_t count = -1;
	json_t *rows = NULL;
	size_t len;
	char *text = seed("mutate-count.json", &len), *ins;

	(void)state;
	assert_int_equal(ovsdb_msg_parse(text, len, &m, &err), 0);
	assert_int_equal(ovsdb_txn_reply_check(t, &m, &err), 0);
	assert_int_equal(ovsdb_result_count(&m, 0, &count, &err), 0);
	assert_int_equal(count, 1);
	assert_int_equal(ovsdb_result_rows(&m, 1, &rows, &err), 0);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(rows, 0), "next_cfg")),
			 5);
	assert_int_equal(ovsdb_result_count(&m, 2, &count, &err), 0);
	assert_int_equal(count, 0);
	assert_int_equal(ovsdb_result_uuid(&m, 0, uuid, &err), -EBADMSG);
	assert_string_equal(err.msg, "OVSDB transaction: the result of op 0 has no \"uuid\"");
	assert_int_equal(ovsdb_result_rows(&m, 0, &rows, &err), -EBADMSG);
	ovsdb_msg_clear(&m);
	free(text);
	ovsdb_txn_free(t);

	ins = seed("insert.json", &len);
	assert_int_equal(ovsdb_msg_parse(ins, len, &m, &err), 0);
	assert_int_equal(ovsdb_result_uuid(&m, 1, uuid, &err), 0);
	assert_string_equal(uuid, "8ea8bae8-faf6-4591-be4d-7d7c1755cfca");
	ovsdb_msg_clear(&m);
	free(ins);
}

static void datum_readers(void **state)
{
	char uuid[OVSDB_UUID_LEN + 1];
	const json_t *pairs;
	const char *s;
	size_t n;
	json_t *v;

	(void)state;
	v = json_loads("[\"set\",[1,2,3]]", 0, NULL);
	assert_int_equal(ovsdb_set_size(v, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(json_integer_value(ovsdb_set_at(v, 2)), 3);
	json_decref(v);
	/* A set of one may be the bare element; a uuid is an element, not a set of two. */
	v = json_loads("[\"uuid\",\"01dfbd33-da5b-4c54-94a8-053a83e26062\"]", 0, NULL);
	assert_int_equal(ovsdb_set_size(v, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(ovsdb_atom_uuid(ovsdb_set_at(v, 0), uuid), 0);
	assert_null(ovsdb_set_at(v, 1));
	json_decref(v);
	static const char *const bad_sets[] = {"[\"set\",{}]", "[\"map\",[]]", "[1,2]",
					       "null",	       "{}",	       "[\"set\"]"};
	for (size_t i = 0; i < ARRAY_SIZE(bad_sets); i++) {
		v = json_loads(bad_sets[i], JSON_DECODE_ANY, NULL);
		assert_int_equal(ovsdb_set_size(v, &n), -EBADMSG);
		json_decref(v);
	}
	static const char *const bad_uuids[] = {
		"[\"uuid\",\"01dfbd33-da5b-4c54-94a8-053a83e2606\"]",
		"[\"uuid\",\"01dfbd33-da5b-4c54-94a8-053a83e2606g\"]",
		"[\"uuid\",\"01dfbd33da5b-4c54-94a8-053a83e26062-\"]",
		"[\"named-uuid\",\"01dfbd33-da5b-4c54-94a8-053a83e26062\"]",
		"[\"uuid\",7]",
		"\"01dfbd33-da5b-4c54-94a8-053a83e26062\""};
	for (size_t i = 0; i < ARRAY_SIZE(bad_uuids); i++) {
		v = json_loads(bad_uuids[i], JSON_DECODE_ANY, NULL);
		assert_int_equal(ovsdb_atom_uuid(v, uuid), -EBADMSG);
		json_decref(v);
	}
	v = json_loads("[\"map\",[[\"a\",\"b\"],[\"c\"]]]", 0, NULL);
	assert_int_equal(ovsdb_map_pairs(v, &pairs), -EBADMSG);
	json_decref(v);
	v = json_string("x");
	assert_int_equal(ovsdb_atom_string(v, &s), 0);
	json_decref(v);
	v = json_integer(1);
	assert_int_equal(ovsdb_atom_string(v, &s), -EBADMSG);
	json_decref(v);
}

/* Parses a reply of the observer's four selects from its rows. */
static int state_from(const char *root, const char *bridges, const char *ports, const char *ifaces,
		      struct ovsdb_state **ret, struct error *err)
{
	struct ovsdb_txn *t = ovsdb_txn_new("Open_vSwitch");
	struct ovsdb_msg m = {0};
	char *text = NULL;
	int first = ovsdb_state_select(t), r;

	assert_int_equal(first, 0);
	assert_true(asprintf(&text,
			     "{\"id\":1,\"result\":[{\"rows\":%s},{\"rows\":%s},{\"rows\":%s},"
			     "{\"rows\":%s}],\"error\":null}",
			     root, bridges, ports, ifaces) > 0);
	r = ovsdb_msg_parse(text, strlen(text), &m, err);
	if (r >= 0)
		r = ovsdb_txn_reply_check(t, &m, err);
	if (r >= 0)
		r = ovsdb_state_parse(&m, 0, ret, err);
	ovsdb_msg_clear(&m);
	free(text);
	ovsdb_txn_free(t);
	return r;
}

static void state_real(void **state)
{
	struct ovsdb_state *s = NULL;
	struct ovsdb_txn *t = ovsdb_txn_new("Open_vSwitch");
	struct ovsdb_msg m = {0};
	struct error err = {0};
	const struct ovsdb_bridge *br;
	const struct ovsdb_port *p;
	const struct ovsdb_iface *f;
	size_t len;
	char *text = seed("observe.json", &len);

	(void)state;
	assert_int_equal(ovsdb_state_select(t), 0);
	assert_int_equal(ovsdb_msg_parse(text, len, &m, &err), 0);
	assert_int_equal(ovsdb_txn_reply_check(t, &m, &err), 0);
	assert_int_equal(ovsdb_state_parse(&m, 0, &s, &err), 0);
	/* The state keeps the reply alive: the message can go. */
	ovsdb_msg_clear(&m);
	assert_true(s->has_root);
	assert_int_equal(s->root.bridges.n, 2);
	assert_int_equal(s->root.next_cfg, 3);
	assert_int_equal(s->root.cur_cfg, 3);
	assert_int_equal(s->n_bridges, 2);
	assert_int_equal(s->n_ports, 4);
	assert_int_equal(s->n_ifaces, 4);
	br = ovsdb_state_bridge(s, "ovsbr0");
	assert_non_null(br);
	assert_string_equal(br->datapath_type, "netdev");
	assert_int_equal(br->ports.n, 3);
	assert_string_equal(ovsdb_strmap_get(&br->external_ids, "nsnet-topology"), "test");
	br = ovsdb_state_bridge(s, "foreign");
	assert_non_null(br);
	assert_null(ovsdb_strmap_get(&br->external_ids, "nsnet-topology"));
	assert_string_equal(ovsdb_strmap_get(&br->external_ids, "owner"), "someone");
	/* A set of one port, sent as the bare uuid. */
	assert_int_equal(br->ports.n, 1);
	p = ovsdb_state_port(s, br->ports.v[0]);
	assert_non_null(p);
	assert_string_equal(p->name, "foreign");
	assert_ptr_equal(p->bridge, br);
	assert_null(ovsdb_state_bridge(s, "nope"));
	p = ovsdb_state_port_named(s, "veth-b");
	assert_non_null(p);
	assert_string_equal(p->bridge->name, "ovsbr0");
	f = ovsdb_state_iface_named(s, "veth-a");
	assert_non_null(f);
	assert_string_equal(f->port->name, "veth-a");
	assert_true(f->has_ofport);
	assert_int_equal(f->ofport, 1);
	assert_null(f->error);
	assert_string_equal(f->type, "");
	f = ovsdb_state_iface_named(s, "ovsbr0");
	assert_string_equal(f->type, "internal");
	assert_int_equal(f->ofport, 65534);
	assert_null(ovsdb_state_iface_named(s, "nope"));
	assert_null(ovsdb_state_port(s, "00000000-0000-0000-0000-000000000000"));
	ovsdb_state_free(s);
	ovsdb_txn_free(t);
	free(text);
}

#define UUID1 "[\"uuid\",\"00000000-0000-0000-0000-000000000001\"]"
#define UUID2 "[\"uuid\",\"00000000-0000-0000-0000-000000000002\"]"
#define ROOT "[{\"_uuid\":" UUID1 ",\"bridges\":[\"set\",[]],\"next_cfg\":1,\"cur_cfg\":0}]"
#define NOMAP "[\"map\",[]]"

static void state_edge_rows(void **state)
{
	struct ovsdb_state *s = NULL;
	struct error err = {0};
	const struct ovsdb_iface *f;

	(void)state;
	/* An interface vswitchd could not add; a port listed by no bridge; no root row. */
	assert_int_equal(
		state_from("[]", "[]",
			   "[{\"_uuid\":" UUID1 ",\"name\":\"p\",\"interfaces\":" UUID2
			   ",\"external_ids\":" NOMAP "}]",
			   "[{\"_uuid\":" UUID2 ",\"name\":\"p\",\"type\":\"\","
			   "\"external_ids\":" NOMAP ",\"ofport\":-1,"
			   "\"error\":\"could not open network device p (No such device)\"}]",
			   &s, &err),
		0);
	assert_false(s->has_root);
	assert_null(s->ports[0].bridge);
	f = ovsdb_state_iface_named(s, "p");
	assert_int_equal(f->ofport, -1);
	assert_string_equal(f->error, "could not open network device p (No such device)");
	ovsdb_state_free(s);
	s = NULL;
	/* ofport not yet assigned: the empty set. */
	assert_int_equal(state_from(ROOT, "[]", "[]",
				    "[{\"_uuid\":" UUID2 ",\"name\":\"q\",\"type\":\"internal\","
				    "\"external_ids\":" NOMAP ",\"ofport\":[\"set\",[]],"
				    "\"error\":[\"set\",[]]}]",
				    &s, &err),
			 0);
	assert_false(s->ifaces[0].has_ofport);
	assert_int_equal(s->root.next_cfg, 1);
	ovsdb_state_free(s);
}

static void state_hostile(void **state)
{
	static const struct {
		const char *root, *bridges, *ports, *ifaces, *msg;
	} cases[] = {
		{ROOT ",", "[]", "[]", "[]", NULL}, /* not JSON: the parser's message */
		{"{}", "[]", "[]", "[]", "OVSDB transaction: op 0: the rows are no array"},
		{"[7]", "[]", "[]", "[]", "OVSDB reply: table 'Open_vSwitch' row 0: not an object"},
		{"[{\"_uuid\":" UUID1 ",\"bridges\":[],\"next_cfg\":1,\"cur_cfg\":0}]", "[]", "[]",
		 "[]",
		 "OVSDB reply: table 'Open_vSwitch' row 0: column 'bridges': not a set (or one too "
		 "large)"},
		{"[{\"_uuid\":" UUID1 ",\"bridges\":[\"set\",[]],\"next_cfg\":1.5,\"cur_cfg\":0}]",
		 "[]", "[]", "[]",
		 "OVSDB reply: table 'Open_vSwitch' row 0: column 'next_cfg': not an integer"},
		{ROOT "", "[{\"_uuid\":" UUID1 "}]", "[]", "[]",
		 "OVSDB reply: table 'Bridge' row 0: column 'name': missing"},
		{ROOT,
		 "[{\"_uuid\":" UUID1 ",\"name\":[\"set\",[\"a\"]],\"ports\":[\"set\",[]],"
		 "\"external_ids\":" NOMAP ",\"datapath_type\":\"\"}]",
		 "[]", "[]",
		 "OVSDB reply: table 'Bridge' row 0: column 'name': not a string (or one too "
		 "long)"},
		{ROOT,
		 "[{\"_uuid\":" UUID1 ",\"name\":\"b\",\"ports\":[\"set\",[\"x\"]],"
		 "\"external_ids\":" NOMAP ",\"datapath_type\":\"\"}]",
		 "[]", "[]",
		 "OVSDB reply: table 'Bridge' row 0: column 'ports': an element is not a uuid"},
		{ROOT,
		 "[{\"_uuid\":" UUID1 ",\"name\":\"b\",\"ports\":[\"set\",[]],"
		 "\"external_ids\":[\"map\",[[\"k\",1]]],\"datapath_type\":\"\"}]",
		 "[]", "[]",
		 "OVSDB reply: table 'Bridge' row 0: column 'external_ids': not a map of strings"},
		{ROOT,
		 "[{\"_uuid\":" UUID1
		 ",\"name\":\"b\",\"ports\":[\"set\",[]],\"external_ids\":" NOMAP
		 ",\"datapath_type\":\"\"},{\"_uuid\":" UUID2
		 ",\"name\":\"b\",\"ports\":[\"set\",[]],"
		 "\"external_ids\":" NOMAP ",\"datapath_type\":\"\"}]",
		 "[]", "[]", "OVSDB reply: table 'Bridge': two rows with name 'b'"},
		{ROOT, "[]",
		 "[{\"_uuid\":" UUID1
		 ",\"name\":\"p\",\"interfaces\":[\"set\",[]],\"external_ids\":" NOMAP
		 "},{\"_uuid\":" UUID1
		 ",\"name\":\"q\",\"interfaces\":[\"set\",[]],\"external_ids\":" NOMAP "}]",
		 "[]",
		 "OVSDB reply: table 'Port': two rows with uuid "
		 "'00000000-0000-0000-0000-000000000001'"},
		{ROOT, "[]", "[]",
		 "[{\"_uuid\":" UUID1 ",\"name\":\"i\",\"type\":\"\",\"external_ids\":" NOMAP
		 ",\"ofport\":\"1\",\"error\":[\"set\",[]]}]",
		 "OVSDB reply: table 'Interface' row 0: column 'ofport': not an integer"},
		{ROOT, "[]", "[]",
		 "[{\"_uuid\":" UUID1 ",\"name\":\"i\",\"type\":\"\",\"external_ids\":" NOMAP
		 ",\"ofport\":[\"set\",[1,2]],\"error\":[\"set\",[]]}]",
		 "OVSDB reply: table 'Interface' row 0: column 'ofport': not an optional value"},
		{ROOT, "[]", "[]",
		 "[{\"_uuid\":" UUID1 ",\"name\":\"i\",\"type\":\"\",\"external_ids\":" NOMAP
		 ",\"ofport\":1,\"error\":[\"set\",[false]]}]",
		 "OVSDB reply: table 'Interface' row 0: column 'error': not a string"},
		{ROOT "," ROOT, "[]", "[]", "[]", NULL},
		{"[{\"_uuid\":" UUID1 ",\"bridges\":[\"set\",[]],\"next_cfg\":1,\"cur_cfg\":0},"
		 "{\"_uuid\":" UUID2 ",\"bridges\":" UUID1 ",\"next_cfg\":1,\"cur_cfg\":0}]",
		 "[]", "[]", "[]", "OVSDB reply: 2 rows in table 'Open_vSwitch'"},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct ovsdb_state *s = NULL;
		struct error err = {0};

		assert_true(state_from(cases[i].root, cases[i].bridges, cases[i].ports,
				       cases[i].ifaces, &s, &err) < 0);
		assert_null(s);
		if (cases[i].msg)
			assert_string_equal(err.msg, cases[i].msg);
		else
			assert_true(err.msg[0]);
	}
}

static void state_huge(void **state)
{
	struct ovsdb_state *s = NULL;
	struct error err = {0};
	size_t n = OVSDB_SET_MAX + 1, len = n * 2 + 64;
	char *elems = malloc(len), *p = elems;

	(void)state;
	/* A set one over the cap: refused before anything is allocated for it. */
	p += sprintf(p, "[\"set\",[");
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, i ? ",1" : "1");
	sprintf(p, "]]");
	char *root = NULL;
	assert_true(asprintf(&root,
			     "[{\"_uuid\":" UUID1 ",\"bridges\":%s,\"next_cfg\":1,"
			     "\"cur_cfg\":0}]",
			     elems) > 0);
	assert_int_equal(state_from(root, "[]", "[]", "[]", &s, &err), -EBADMSG);
	assert_string_equal(err.msg, "OVSDB reply: table 'Open_vSwitch' row 0: column 'bridges': "
				     "not a set (or one too large)");
	free(root);
	free(elems);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(build_transact),
		cmocka_unit_test(build_oom_is_sticky),
		cmocka_unit_test(build_other_requests),
		cmocka_unit_test(scan_stream),
		cmocka_unit_test(scan_hostile),
		cmocka_unit_test(msg_kinds),
		cmocka_unit_test(msg_hostile),
		cmocka_unit_test(reply_errors),
		cmocka_unit_test(reply_index_violation),
		cmocka_unit_test(reply_long_text),
		cmocka_unit_test(reply_malformed),
		cmocka_unit_test(reply_results),
		cmocka_unit_test(datum_readers),
		cmocka_unit_test(state_real),
		cmocka_unit_test(state_edge_rows),
		cmocka_unit_test(state_hostile),
		cmocka_unit_test(state_huge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
