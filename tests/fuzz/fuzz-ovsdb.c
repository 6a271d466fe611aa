// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: what ovsdb-server could send, as a byte stream. Each
 * message cut by the scanner is parsed; replies are checked as the reply to
 * the observer's transaction and read into its state, and every result is
 * read with each accessor; echo requests are answered. The rows are then
 * what the planner, its transaction and doctor see of a topology that wants
 * OVS bridges and ports (up and down, two topologies' marks): hostile names,
 * marks and errors of the server must neither crash them nor pass unquoted.
 * Every refusal must carry a message. Pure code: no socket.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/doctor.h"
#include "core/ovsdb-plan.h"
#include "core/ovsdb-state.h"
#include "core/ovsdb.h"
#include "core/plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A refusal without a message is a bug. */
static void refused(int r, const struct error *err)
{
	if (r < 0 && !err->msg[0])
		abort();
}

/* The names the seeds use: ovsbr0 with veth-a and veth-b, marked "test"; foreign. */
static const char topology[] = "name: test\n"
			       "bridges:\n"
			       "  ovsbr0: {type: ovs, address: 10.0.0.1/24}\n"
			       "  foreign: {type: ovs}\n"
			       "  lbr: {}\n"
			       "namespaces:\n"
			       "  a: {interfaces: {eth0: {bridge: ovsbr0, host-end: veth-a}}}\n"
			       "  b: {interfaces: {eth0: {bridge: ovsbr0, host-end: veth-b}}}\n"
			       "  c: {interfaces: {eth0: {bridge: lbr, host-end: veth-c}}}\n";

/* One plan of topo against the rows; its OVSDB runs become transactions. */
static void plan_once(const char *topo, const struct topology *want, struct world *w)
{
	struct plan *p = NULL;
	struct error err = {0};
	int r = plan_build(topo, want, w, &p, &err);

	refused(r, &err);
	if (r < 0)
		return;
	for (size_t i = 0; i < p->n;) {
		const struct action *v[64];
		int op[64];
		size_t n = 0;
		struct ovsdb_txn *t;

		while (i < p->n && ovsdb_plan_is_row(p->v[i].type) && n < 64)
			v[n++] = &p->v[i++];
		if (!n) {
			char line[512];

			action_describe(&p->v[i++], line, sizeof(line));
			continue;
		}
		t = ovsdb_txn_new(OVSDB_DB);
		if (!t)
			abort();
		error_clear(&err);
		r = ovsdb_plan_txn(v, n, t, op, &err);
		refused(r, &err);
		ovsdb_txn_free(t);
	}
	plan_free(p);
}

/* The planner and doctor on rows s (taken). */
static void plan_on(struct ovsdb_state *s)
{
	static struct topology *want;
	struct world w = {.ovs = {.state = WORLD_OVS_OK, .db = s, .vswitchd = true}};
	struct doctor_topo dt = {.name = "test", .have = &w};
	struct doctor_facts f = {.ip_forward = 1, .bridge_nf_ip4 = -1, .bridge_nf_ip6 = -1};
	struct doctor_report rep = {0};
	struct error err = {0};

	if (!want && topology_parse("fuzz.yaml", topology, sizeof(topology) - 1, &want, &err) < 0)
		abort();
	w.host = netstate_new();
	if (!w.host)
		abort();
	f.host = w.host;
	dt.want = want;
	f.topos = &dt;
	f.n_topos = 1;
	plan_once("test", want, &w);
	plan_once("test", NULL, &w);
	plan_once("other", want, &w);
	w.ovs.vswitchd = false;
	plan_once("test", NULL, &w);
	if (doctor_run(&f, &rep, &err) < 0)
		refused(-1, &err);
	doctor_report_clear(&rep);
	netstate_free(w.host);
	ovsdb_state_free(s);
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
	plan_on(s);
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
