// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ovsdbtool: drives the OVSDB client (src/sys/ovsdb-client.h) and the ethtool
 * calls (src/sys/ethtool.h) one operation at a time, so integration tests can
 * check each against ovs-vsctl, ovsdb-client and ethtool. Test-only.
 *
 *   ovsdbtool [-t SECONDS] [--no-lock-check] [--no-wait] TARGET add-bridge NAME [PORT...]
 *   ovsdbtool [-t SECONDS] [--no-wait] TARGET del-bridge NAME
 *   ovsdbtool [-t SECONDS] TARGET dump
 *   ovsdbtool txcsum-off NS IFACE | txcsum NS IFACE
 *
 * TARGET is unix:PATH or a bare PATH. add-bridge makes, in one transaction, a
 * netdev bridge with its internal port and one port per PORT, every row marked
 * external_ids:nsnet-topology=test, and waits until ovs-vswitchd applied it;
 * del-bridge removes a bridge only if it carries that mark; dump prints the
 * bridges, ports and interfaces as JSON lines. --no-wait commits without
 * waiting for ovs-vswitchd (to time the two apart).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/name.h"
#include "sys/ethtool.h"
#include "sys/netns.h"
#include "sys/ovsdb-client.h"

#define MARK_KEY "nsnet-topology"
#define MARK_VALUE "test"

struct opts {
	int timeout_ms;
	bool lock_check, wait;
};

static int usage(void)
{
	fprintf(stderr, "usage: ovsdbtool [-t SECONDS] [--no-lock-check] [--no-wait] TARGET "
			"add-bridge NAME [PORT...] | del-bridge NAME | dump\n"
			"       ovsdbtool txcsum-off NS IFACE | txcsum NS IFACE\n");
	return 2;
}

/* Interface and Port rows for one port; the Port's named uuid is "pI". */
static void add_port(struct ovsdb_txn *t, const char *name, const char *type, size_t i)
{
	char iface[32], port[32];

	snprintf(iface, sizeof(iface), "i%zu", i);
	snprintf(port, sizeof(port), "p%zu", i);
	ovsdb_txn_insert(t, "Interface",
			 json_pack("{s:s,s:s,s:o}", "name", name, "type", type, "external_ids",
				   ovsdb_map_pair(MARK_KEY, MARK_VALUE)),
			 iface);
	ovsdb_txn_insert(t, "Port",
			 json_pack("{s:s,s:o,s:o}", "name", name, "interfaces",
				   ovsdb_named_uuid(iface), "external_ids",
				   ovsdb_map_pair(MARK_KEY, MARK_VALUE)),
			 port);
}

/*
 * Commits t, and waits for ovs-vswitchd unless told not to. add-bridge does
 * both in one call, del-bridge in two (the client's two ways).
 */
static int commit(struct ovsdb_client *c, struct ovsdb_txn *t, const struct opts *o, bool split,
		  struct error *err)
{
	struct ovsdb_msg m = {0};
	struct ovsdb_cfg cfg;
	int r;

	if (o->wait && !split)
		return ovsdb_client_transact_applied(c, t, o->timeout_ms, NULL, err);
	if (o->wait)
		r = ovsdb_client_commit(c, t, o->timeout_ms, &m, &cfg, err);
	else
		r = ovsdb_client_transact(c, t, o->timeout_ms, &m, err);
	ovsdb_msg_clear(&m);
	if (r >= 0 && o->wait)
		r = ovsdb_client_wait_applied(c, &cfg, o->timeout_ms, err);
	return r;
}

static int add_bridge(struct ovsdb_client *c, const struct opts *o, const char *name, int nports,
		      char **ports, struct error *err)
{
	static const char *const name_col[] = {"name", NULL};
	_cleanup_ovsdb_txn_ struct ovsdb_txn *t = ovsdb_txn_new(OVSDB_DB);
	json_t *set = json_array();
	bool running;
	int r;

	if (!t || !set) {
		json_decref(set);
		return error_set(err, -ENOMEM, "out of memory");
	}
	if (o->lock_check) {
		/* Before any change: with no vswitchd the commit would only wait in vain. */
		r = ovsdb_client_lock_held(c, OVSDB_VSWITCHD_LOCK, o->timeout_ms, &running, err);
		if (r >= 0 && !running)
			r = error_set(err, -ESRCH,
				      "ovs-vswitchd is not running (no one holds OVSDB lock '%s')",
				      OVSDB_VSWITCHD_LOCK);
		if (r < 0) {
			json_decref(set);
			return r;
		}
	}
	ovsdb_txn_comment(t, "ovsdbtool add-bridge");
	/* No bridge of that name yet: the name index would refuse it, less clearly. */
	ovsdb_txn_wait(t, "Bridge", ovsdb_where("name", "==", json_string(name)), name_col,
		       OVSDB_UNTIL_EQ, json_array(), 0);
	add_port(t, name, "internal", 0);
	json_array_append_new(set, ovsdb_named_uuid("p0"));
	for (int i = 0; i < nports; i++) {
		char port[32];

		add_port(t, ports[i], "", (size_t)i + 1);
		snprintf(port, sizeof(port), "p%d", i + 1);
		json_array_append_new(set, ovsdb_named_uuid(port));
	}
	ovsdb_txn_insert(t, "Bridge",
			 json_pack("{s:s,s:s,s:o,s:o}", "name", name, "datapath_type", "netdev",
				   "ports", ovsdb_set(set), "external_ids",
				   ovsdb_map_pair(MARK_KEY, MARK_VALUE)),
			 "br");
	ovsdb_txn_mutate(
		t, "Open_vSwitch", NULL,
		json_pack("[o]",
			  ovsdb_mutation("bridges", "insert",
					 ovsdb_set(json_pack("[o]", ovsdb_named_uuid("br"))))));
	return commit(c, t, o, false, err);
}

static int del_bridge(struct ovsdb_client *c, const struct opts *o, const char *name,
		      struct error *err)
{
	static const char *const ids[] = {"external_ids", NULL};
	_cleanup_ovsdb_state_ struct ovsdb_state *s = NULL;
	_cleanup_ovsdb_txn_ struct ovsdb_txn *t = NULL;
	const struct ovsdb_bridge *br;
	const char *mark;
	int r;

	r = ovsdb_client_observe(c, o->timeout_ms, &s, err);
	if (r < 0)
		return r;
	br = ovsdb_state_bridge(s, name);
	if (!br)
		return error_set(err, -ENOENT, "no OVS bridge '%s'", name);
	mark = ovsdb_strmap_get(&br->external_ids, MARK_KEY);
	if (!mark || strcmp(mark, MARK_VALUE) != 0)
		return error_set(err, -EPERM, "OVS bridge '%s' is not ours (no external_ids:%s=%s)",
				 name, MARK_KEY, MARK_VALUE);
	t = ovsdb_txn_new(OVSDB_DB);
	if (!t)
		return error_set(err, -ENOMEM, "out of memory");
	ovsdb_txn_comment(t, "ovsdbtool del-bridge");
	/* Still the row we looked at, still marked: otherwise nothing happens. */
	ovsdb_txn_wait(
		t, "Bridge", ovsdb_where("_uuid", "==", ovsdb_uuid(br->uuid)), ids, OVSDB_UNTIL_EQ,
		json_pack("[{s:o}]", "external_ids", ovsdb_map_pair(MARK_KEY, MARK_VALUE)), 0);
	/* Unreferenced, the Bridge and then its Ports and Interfaces are garbage-collected. */
	ovsdb_txn_mutate(
		t, "Open_vSwitch", NULL,
		json_pack("[o]",
			  ovsdb_mutation("bridges", "delete",
					 ovsdb_set(json_pack("[o]", ovsdb_uuid(br->uuid))))));
	return commit(c, t, o, true, err);
}

static json_t *strmap_json(const struct ovsdb_strmap *m)
{
	json_t *o = json_object();

	for (size_t i = 0; o && i < m->n; i++)
		json_object_set_new(o, m->v[i].key, json_string(m->v[i].value));
	return o;
}

static void print_line(json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);

	if (s)
		puts(s);
	free(s);
	json_decref(o);
}

static int dump(struct ovsdb_client *c, int timeout_ms, struct error *err)
{
	_cleanup_ovsdb_state_ struct ovsdb_state *s = NULL;
	int r = ovsdb_client_observe(c, timeout_ms, &s, err);

	if (r < 0)
		return r;
	for (size_t i = 0; i < s->n_bridges; i++) {
		const struct ovsdb_bridge *b = &s->bridges[i];
		json_t *ports = json_array();

		for (size_t k = 0; k < b->ports.n; k++) {
			const struct ovsdb_port *p = ovsdb_state_port(s, b->ports.v[k]);

			json_array_append_new(ports, json_string(p ? p->name : "?"));
		}
		print_line(json_pack("{s:s,s:s,s:s,s:o,s:o}", "table", "Bridge", "name", b->name,
				     "datapath_type", b->datapath_type, "ports", ports,
				     "external_ids", strmap_json(&b->external_ids)));
	}
	for (size_t i = 0; i < s->n_ports; i++) {
		const struct ovsdb_port *p = s->ports_by_name[i];
		json_t *ifaces = json_array();

		for (size_t k = 0; k < p->interfaces.n; k++) {
			const struct ovsdb_iface *f = ovsdb_state_iface(s, p->interfaces.v[k]);

			json_array_append_new(ifaces, json_string(f ? f->name : "?"));
		}
		print_line(json_pack("{s:s,s:s,s:s?,s:o,s:o}", "table", "Port", "name", p->name,
				     "bridge", p->bridge ? p->bridge->name : NULL, "interfaces",
				     ifaces, "external_ids", strmap_json(&p->external_ids)));
	}
	for (size_t i = 0; i < s->n_ifaces; i++) {
		const struct ovsdb_iface *f = s->ifaces_by_name[i];

		print_line(json_pack("{s:s,s:s,s:s,s:o,s:s?,s:o}", "table", "Interface", "name",
				     f->name, "type", f->type, "ofport",
				     f->has_ofport ? json_integer(f->ofport) : json_null(), "error",
				     f->error, "external_ids", strmap_json(&f->external_ids)));
	}
	return 0;
}

static int txcsum(const char *ns, const char *ifname, bool set, struct error *err)
{
	_cleanup_close_ int nsfd = -1, fd = -1;
	char where[NETNS_NAME_MAX + 8];
	bool on;
	int r;

	r = netns_open(ns, &nsfd, err);
	if (r >= 0)
		r = ethtool_sock_open(nsfd, &fd, err);
	if (r < 0)
		return r;
	snprintf(where, sizeof(where), " in '%s'", ns);
	if (set)
		return ethtool_tx_csum_set(fd, ifname, false, where, err);
	r = ethtool_tx_csum_get(fd, ifname, &on, where, err);
	if (r >= 0)
		puts(on ? "on" : "off");
	return r;
}

static int run(int argc, char **argv, struct error *err)
{
	_cleanup_ovsdb_client_ struct ovsdb_client *c = NULL;
	_cleanup_free_ char *target = NULL;
	struct opts o = {.timeout_ms = 5000, .lock_check = true, .wait = true};
	int i = 0, r;

	if (argc == 3 && strcmp(argv[0], "txcsum-off") == 0)
		return txcsum(argv[1], argv[2], true, err);
	if (argc == 3 && strcmp(argv[0], "txcsum") == 0)
		return txcsum(argv[1], argv[2], false, err);
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-t") == 0 && i + 1 < argc)
			o.timeout_ms = (int)(strtod(argv[++i], NULL) * 1000);
		else if (strcmp(argv[i], "--no-lock-check") == 0)
			o.lock_check = false;
		else if (strcmp(argv[i], "--no-wait") == 0)
			o.wait = false;
		else
			return error_input(err, -EINVAL, "unknown option '%s'", argv[i]);
	}
	if (argc - i < 2)
		return error_input(err, -EINVAL, "missing TARGET or command");
	if (strchr(argv[i], ':'))
		target = strdup(argv[i]);
	else if (asprintf(&target, "unix:%s", argv[i]) < 0)
		target = NULL;
	if (!target)
		return error_set(err, -ENOMEM, "out of memory");
	r = ovsdb_client_connect(target, o.timeout_ms, &c, err);
	if (r < 0)
		return r;
	argv += i + 1;
	argc -= i + 1;
	if (strcmp(argv[0], "add-bridge") == 0 && argc >= 2)
		return add_bridge(c, &o, argv[1], argc - 2, argv + 2, err);
	if (strcmp(argv[0], "del-bridge") == 0 && argc == 2)
		return del_bridge(c, &o, argv[1], err);
	if (strcmp(argv[0], "dump") == 0 && argc == 1)
		return dump(c, o.timeout_ms, err);
	return error_input(err, -EINVAL, "unknown command or wrong arguments: '%s'", argv[0]);
}

int main(int argc, char **argv)
{
	struct error err = {0};
	int r;

	if (argc < 2)
		return usage();
	r = run(argc - 1, argv + 1, &err);
	if (r < 0) {
		fprintf(stderr, "ovsdbtool: %s\n", err.msg);
		return error_exit_status(&err);
	}
	return 0;
}
