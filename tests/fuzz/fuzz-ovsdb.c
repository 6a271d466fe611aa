// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: what ovsdb-server could send, as a byte stream. Each
 * message cut by the scanner is parsed; replies are checked as the reply to
 * the observer's transaction and read into its state, and every result is
 * read with each accessor; echo requests are answered. Every refusal must
 * carry a message. Pure code: no socket.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/ovsdb-state.h"
#include "core/ovsdb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A refusal without a message is a bug. */
static void refused(int r, const struct error *err)
{
	if (r < 0 && !err->msg[0])
		abort();
}

static void reply(const struct ovsdb_txn *observe, const struct ovsdb_msg *m)
{
	struct ovsdb_state *s = NULL;
	struct error err = {0};
	char uuid[OVSDB_UUID_LEN + 1];
	bool locked;
	int64_t n;
	json_t *rows;
	int r;

	r = ovsdb_result_locked(m, &locked, &err);
	refused(r, &err);
	r = ovsdb_txn_reply_check(observe, m, &err);
	refused(r, &err);
	if (r < 0)
		return;
	for (size_t i = 0; i < ovsdb_txn_size(observe); i++) {
		error_clear(&err);
		refused(ovsdb_result_uuid(m, i, uuid, &err), &err);
		refused(ovsdb_result_count(m, i, &n, &err), &err);
		refused(ovsdb_result_rows(m, i, &rows, &err), &err);
	}
	error_clear(&err);
	r = ovsdb_state_parse(m, 0, &s, &err);
	refused(r, &err);
	if (r < 0)
		return;
	/* Walk it as the observer would. */
	for (size_t i = 0; i < s->n_bridges; i++) {
		const struct ovsdb_bridge *b = &s->bridges[i];

		if (ovsdb_state_bridge(s, b->name) == NULL)
			abort();
		for (size_t k = 0; k < b->ports.n; k++)
			ovsdb_state_port(s, b->ports.v[k]);
		ovsdb_strmap_get(&b->external_ids, "nsnet-topology");
	}
	for (size_t i = 0; i < s->n_ports; i++)
		if (ovsdb_state_port_named(s, s->ports[i].name) == NULL)
			abort();
	for (size_t i = 0; i < s->n_ifaces; i++)
		if (ovsdb_state_iface_named(s, s->ifaces[i].name) == NULL)
			abort();
	ovsdb_state_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ovsdb_txn *observe;
	const char *buf = (const char *)data;
	struct ovsdb_scan scan = {0};
	size_t off = 0;

	if (!observe) {
		observe = ovsdb_txn_new(OVSDB_DB);
		if (!observe || ovsdb_state_select(observe) < 0)
			abort();
	}
	while (off < size) {
		struct ovsdb_msg m = {0};
		struct error err = {0};
		size_t end;
		int r = ovsdb_scan_next(&scan, buf + off, size - off, &end, &err);

		refused(r, &err);
		if (r <= 0)
			break;
		r = ovsdb_msg_parse(buf + off, end, &m, &err);
		refused(r, &err);
		off += end;
		if (r < 0)
			continue;
		if (m.kind == OVSDB_MSG_REPLY) {
			reply(observe, &m);
		} else if (m.kind == OVSDB_MSG_REQUEST) {
			char *text = NULL;

			r = ovsdb_echo_reply(&m, &text, &err);
			refused(r, &err);
			free(text);
		}
		ovsdb_msg_clear(&m);
	}
	return 0;
}
