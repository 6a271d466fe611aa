// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The planner's Open vSwitch part (src/core/plan-ovs.c) and the transaction
 * it becomes (src/core/ovsdb-plan.c), without a server: the tutorial on an
 * OVS bridge planned against OVSDB rows read from hand-written replies (as
 * ovsdb-server 3.1 sends them), conflicts with foreign rows and links,
 * ovs-vswitchd missing, `down` with and without it, the transaction's
 * operations and guards, and what doctor finds of the same facts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/doctor.h"
#include "core/ovsdb-plan.h"
#include "core/ovsdb-state.h"
#include "core/plan.h"
#include "slurp.h"

#define U_ROOT "2ae9b648-fec9-4b78-86ac-277477474063"
#define U_BR "624963a2-7f68-4eb9-a0df-7427e2223de3"
#define U_PBR "a0f98def-186a-4c2e-b0ae-988140ea11fb"
#define U_PRED "72b6f554-117b-4d43-a847-89b6527c3271"
#define U_PBLUE "01dfbd33-da5b-4c54-94a8-053a83e26062"
#define U_IBR "16ef9191-64e9-44d3-9d64-bfcab790337a"
#define U_IRED "e9c0619f-8f5e-436d-8e65-d479f5252554"
#define U_IBLUE "669f10bd-f65d-4dc5-bd59-fae49cca9f10"

static struct topology *tutorial(void)
{
	struct topology *t = NULL;
	struct error err = {0};
	size_t len;
	char *text = slurp(EXAMPLES_DIR "/tutorial-ovs.yaml", &len);

	assert_non_null(text);
	if (topology_parse("tutorial-ovs.yaml", text, len, &t, &err) < 0)
		fail_msg("%s", err.msg);
	free(text);
	return t;
}

/* The rows of a reply to the observer's selects; "" for a table means no rows. */
static struct ovsdb_state *rows(const char *bridges, const char *ports, const char *ifaces)
{
	struct ovsdb_txn *t = ovsdb_txn_new("Open_vSwitch");
	struct ovsdb_state *s = NULL;
	struct ovsdb_msg m = {0};
	struct error err = {0};
	char *text = NULL;

	assert_int_equal(ovsdb_state_select(t), 0);
	assert_true(asprintf(&text,
			     "{\"id\":1,\"result\":[{\"rows\":[{\"_uuid\":[\"uuid\",\"" U_ROOT
			     "\"],\"bridges\":[\"set\",[]],\"next_cfg\":1,\"cur_cfg\":1}]},"
			     "{\"rows\":[%s]},{\"rows\":[%s]},{\"rows\":[%s]}],\"error\":null}",
			     bridges, ports, ifaces) > 0);
	if (ovsdb_msg_parse(text, strlen(text), &m, &err) < 0 ||
	    ovsdb_txn_reply_check(t, &m, &err) < 0 || ovsdb_state_parse(&m, 0, &s, &err) < 0)
		fail_msg("%s", err.msg);
	ovsdb_msg_clear(&m);
	free(text);
	ovsdb_txn_free(t);
	return s;
}

#define MARK(topo) "[\"map\",[[\"nsnet-topology\",\"" topo "\"]]]"
#define BRIDGE_ROW(uuid, name, dp, ports, ids)                                             \
	"{\"_uuid\":[\"uuid\",\"" uuid "\"],\"name\":\"" name "\",\"datapath_type\":\"" dp \
	"\",\"ports\":" ports ",\"external_ids\":" ids "}"
#define PORT_ROW(uuid, name, iface, ids)                      \
	"{\"_uuid\":[\"uuid\",\"" uuid "\"],\"name\":\"" name \
	"\",\"interfaces\":[\"uuid\",\"" iface "\"],\"external_ids\":" ids "}"
#define IFACE_ROW(uuid, name, type, ids)                                            \
	"{\"_uuid\":[\"uuid\",\"" uuid "\"],\"name\":\"" name "\",\"type\":\"" type \
	"\",\"ofport\":1,\"error\":[\"set\",[]],\"external_ids\":" ids "}"

/* The tutorial's rows as an up made them, marked for topo. */
#define TUTORIAL_BRIDGE(topo)                                               \
	BRIDGE_ROW(U_BR, "v-net-0", "netdev",                               \
		   "[\"set\",[[\"uuid\",\"" U_PBR "\"],[\"uuid\",\"" U_PRED \
		   "\"],[\"uuid\",\"" U_PBLUE "\"]]]",                      \
		   MARK(topo))
#define TUTORIAL_PORTS(topo)                          \
	PORT_ROW(U_PBR, "v-net-0", U_IBR, MARK(topo)) \
	"," PORT_ROW(U_PRED, "veth-red-br", U_IRED,   \
		     MARK(topo)) "," PORT_ROW(U_PBLUE, "veth-blue-br", U_IBLUE, MARK(topo))
#define TUTORIAL_IFACES(topo)                               \
	IFACE_ROW(U_IBR, "v-net-0", "internal", MARK(topo)) \
	"," IFACE_ROW(U_IRED, "veth-red-br", "",            \
		      MARK(topo)) "," IFACE_ROW(U_IBLUE, "veth-blue-br", "", MARK(topo))

static struct world *world_new(struct ovsdb_state *db)
{
	struct world *w = calloc(1, sizeof(*w));

	assert_non_null(w);
	w->host = netstate_new();
	assert_non_null(w->host);
	w->ip_forward = 1;
	w->ovs.state = db ? WORLD_OVS_OK : WORLD_OVS_NONE;
	w->ovs.db = db;
	w->ovs.vswitchd = true;
	snprintf(w->ovs.target, sizeof(w->ovs.target), "unix:/run/openvswitch/db.sock");
	return w;
}

/* A link on the host: an internal port ("tun"), a Linux bridge, a veth. */
static struct ns_link *host_link(struct world *w, int ifindex, const char *name, const char *kind,
				 const char *alias)
{
	struct ns_link *l = netstate_add_link(w->host);

	assert_non_null(l);
	l->ifindex = ifindex;
	snprintf(l->name, sizeof(l->name), "%s", name);
	snprintf(l->kind, sizeof(l->kind), "%s", kind);
	snprintf(l->alias, sizeof(l->alias), "%s", alias);
	l->flags = 1; /* IFF_UP */
	l->mtu = 1500;
	if (alias[0])
		l->group = OWNER_GROUP;
	return l;
}

/* Namespaces red and blue of the tutorial, their veth ends peers of the host's. */
static void namespaces(struct world *w)
{
	static const char *const names[] = {"blue", "red"};

	w->ns = calloc(2, sizeof(*w->ns));
	assert_non_null(w->ns);
	w->n_ns = 2;
	for (size_t i = 0; i < 2; i++) {
		struct world_ns *n = &w->ns[i];
		struct ns_link *lo, *v;
		char host_end[IFNAME_MAX + 1];

		snprintf(n->name, sizeof(n->name), "%s", names[i]);
		snprintf(n->owner, sizeof(n->owner), "tutorial-ovs");
		n->marked = true;
		n->st = netstate_new();
		assert_non_null(n->st);
		lo = netstate_add_link(n->st);
		lo->ifindex = 1;
		snprintf(lo->name, sizeof(lo->name), "lo");
		snprintf(lo->alias, sizeof(lo->alias), "nsnet:tutorial-ovs");
		lo->flags = 1;
		v = netstate_add_link(n->st);
		v->ifindex = 2;
		snprintf(v->name, sizeof(v->name), "veth-%s", names[i]);
		snprintf(v->kind, sizeof(v->kind), "veth");
		snprintf(v->alias, sizeof(v->alias), "nsnet:tutorial-ovs");
		v->group = OWNER_GROUP;
		v->flags = 1;
		snprintf(host_end, sizeof(host_end), "veth-%s-br", names[i]);
		snprintf(v->peer_name, sizeof(v->peer_name), "%s", host_end);
		v->peer_resolved = v->peer_in_host = true;
		for (size_t k = 0; k < w->host->n_links; k++) {
			struct ns_link *h = &w->host->links[k];

			if (strcmp(h->name, host_end) != 0)
				continue;
			snprintf(h->peer_name, sizeof(h->peer_name), "%s", v->name);
			snprintf(h->peer_netns, sizeof(h->peer_netns), "%s", names[i]);
			h->peer_resolved = true;
		}
	}
}

/* The plan's actions as "type name" lines. */
static void assert_plan(const struct plan *p, const char *const *want)
{
	size_t n = 0;

	while (want[n])
		n++;
	for (size_t i = 0; i < p->n && i < n; i++) {
		char line[128];

		snprintf(line, sizeof(line), "%s %s", action_type_name(p->v[i].type),
			 p->v[i].name[0] ? p->v[i].name : p->v[i].ns);
		if (strcmp(line, want[i]) != 0)
			fail_msg("action %zu: '%s', want '%s'", i, line, want[i]);
	}
	assert_int_equal(p->n, n);
}

static void plan_fails(const struct topology *t, const char *topo, struct world *w,
		       const char *want)
{
	struct plan *p = NULL;
	struct error err = {0};

	assert_true(plan_build(topo, t, w, &p, &err) < 0);
	assert_null(p);
	if (!strstr(err.msg, want))
		fail_msg("error '%s', want '%s'", err.msg, want);
}

static void up_from_nothing(void **state)
{
	static const char *const want[] = {
		"ns-add red", "ns-add blue", "veth-add veth-red-br", "veth-add veth-blue-br",
		"ovs-bridge-add v-net-0", "ovs-port-add veth-red-br", "ovs-port-add veth-blue-br",
		"tx-checksum veth-red", "tx-checksum veth-blue", "sysctl ", "sysctl ",
		"addr-add veth-red", "addr-add veth-blue", "link-up veth-red-br",
		"link-up veth-red", "link-up veth-blue-br", "link-up veth-blue", "route-add red",
		"route-add blue", "route-add blue",
		/* ovs-vswitchd made the ports meanwhile; then the internal port it made */
		"ovs-wait ", "link-claim v-net-0", "link-up v-net-0", "addr-add v-net-0", NULL};
	struct topology *t = tutorial();
	struct world *w = world_new(rows("", "", ""));
	struct plan *p = NULL;
	struct error err = {0};
	const struct action *a;

	(void)state;
	assert_int_equal(plan_build("tutorial-ovs", t, w, &p, &err), 0);
	/* Then ip_forward, the firewall, route_localnet: as for a Linux bridge. */
	assert_true(p->n > 24);
	for (size_t i = 0; want[i]; i++) {
		char line[128];

		snprintf(line, sizeof(line), "%s %s", action_type_name(p->v[i].type),
			 p->v[i].name[0] ? p->v[i].name : p->v[i].ns);
		assert_string_equal(line, want[i]);
	}
	/* The host ends answer no ARP: the host's stack sees their frames too. */
	assert_string_equal(p->v[9].key, "net/ipv4/conf/veth-red-br/arp_ignore");
	assert_int_equal(p->v[9].value, 8);
	assert_string_equal(p->v[21].alias, "nsnet:tutorial-ovs");
	assert_true(p->v[21].no_ipv6);
	assert_string_equal(p->v[23].name, "v-net-0");
	a = &p->v[4];
	assert_string_equal(a->key, "netdev");
	assert_string_equal(a->alias, "nsnet:tutorial-ovs");
	assert_false(a->no_guard);
	assert_string_equal(p->v[5].master, "v-net-0");
	/* No Linux master for an OVS port's host end, no Linux bridge. */
	for (size_t i = 0; i < p->n; i++) {
		assert_int_not_equal(p->v[i].type, ACT_LINK_MASTER);
		assert_int_not_equal(p->v[i].type, ACT_BRIDGE_ADD);
	}
	assert_int_equal(p->v[7].value, 0);
	plan_free(p);

	/* With the kernel's openvswitch module: the system datapath, checksums left alone. */
	w->ovs.kmod = true;
	assert_int_equal(plan_build("tutorial-ovs", t, w, &p, &err), 0);
	assert_string_equal(p->v[4].key, "system");
	for (size_t i = 0; i < p->n; i++)
		assert_int_not_equal(p->v[i].type, ACT_TXCSUM);
	plan_free(p);
	world_free(w);
	topology_free(t);
}

/* Rows, tap and host ends there: only what is not (the checksums, read as on). */
static void up_again(void **state)
{
	struct topology *t = tutorial();
	struct world *w =
		world_new(rows(TUTORIAL_BRIDGE("tutorial-ovs"), TUTORIAL_PORTS("tutorial-ovs"),
			       TUTORIAL_IFACES("tutorial-ovs")));
	struct plan *p = NULL;
	struct error err = {0};
	bool saw_wait = false;

	(void)state;
	host_link(w, 5, "v-net-0", "tun", "nsnet:tutorial-ovs");
	host_link(w, 6, "veth-red-br", "veth", "nsnet:tutorial-ovs");
	host_link(w, 7, "veth-blue-br", "veth", "nsnet:tutorial-ovs");
	namespaces(w);
	assert_int_equal(world_sysctl_set(w, "", "net/ipv4/conf/veth-red-br/arp_ignore", 8), 0);
	assert_int_equal(world_sysctl_set(w, "", "net/ipv4/conf/veth-blue-br/arp_ignore", 8), 0);
	assert_int_equal(plan_build("tutorial-ovs", t, w, &p, &err), 0);
	for (size_t i = 0; i < p->n; i++) {
		assert_false(p->v[i].type == ACT_SYSCTL && strstr(p->v[i].key, "arp_ignore"));
		assert_false(ovsdb_plan_is_row(p->v[i].type));
		assert_int_not_equal(p->v[i].type, ACT_LINK_CLAIM);
		saw_wait = saw_wait || p->v[i].type == ACT_OVS_WAIT;
	}
	assert_false(saw_wait);
	plan_free(p);

	/* The tap of a run killed before its mark: claimed, nothing else of OVS. */
	w->host->links[0].alias[0] = '\0';
	w->host->links[0].group = 0;
	assert_int_equal(plan_build("tutorial-ovs", t, w, &p, &err), 0);
	{
		size_t claims = 0;

		for (size_t i = 0; i < p->n; i++) {
			assert_false(ovsdb_plan_is_row(p->v[i].type));
			claims += p->v[i].type == ACT_LINK_CLAIM;
		}
		assert_int_equal(claims, 1);
	}
	plan_free(p);

	/* A host end gone (deleted by hand): remade, and its port made anew for it. */
	w->host->links[0].group = OWNER_GROUP;
	snprintf(w->host->links[0].alias, sizeof(w->host->links[0].alias), "nsnet:tutorial-ovs");
	w->host->n_links = 2; /* veth-blue-br is gone */
	w->host->sorted = false;
	assert_int_equal(plan_build("tutorial-ovs", t, w, &p, &err), 0);
	{
		const struct action *del = NULL, *add = NULL;

		for (size_t i = 0; i < p->n; i++) {
			if (p->v[i].type == ACT_OVS_PORT_DEL)
				del = &p->v[i];
			if (p->v[i].type == ACT_OVS_PORT_ADD)
				add = &p->v[i];
		}
		assert_non_null(del);
		assert_non_null(add);
		assert_true(del < add);
		assert_string_equal(del->name, "veth-blue-br");
		assert_string_equal(del->key, U_PBLUE);
		assert_string_equal(add->name, "veth-blue-br");
		assert_true(add->no_guard);
		/* Its rollback puts the old port back on its bridge. */
		assert_int_equal(del->n_restore, 1);
		assert_int_equal(del->restore[0].type, ACT_OVS_PORT_ADD);
		assert_string_equal(del->restore[0].master, "v-net-0");
	}
	plan_free(p);
	world_free(w);
	topology_free(t);
}

static void conflicts(void **state)
{
	struct topology *t = tutorial();
	struct world *w;

	(void)state;
	w = world_new(rows(BRIDGE_ROW(U_BR, "v-net-0", "netdev", "[\"uuid\",\"" U_PBR "\"]",
				      "[\"map\",[[\"owner\",\"someone\"]]]"),
			   PORT_ROW(U_PBR, "v-net-0", U_IBR, "[\"map\",[]]"),
			   IFACE_ROW(U_IBR, "v-net-0", "internal", "[\"map\",[]]")));
	plan_fails(t, "tutorial-ovs", w,
		   "OVS bridge 'v-net-0' exists and is not nsnet's; refusing to touch it");
	world_free(w);

	w = world_new(
		rows(TUTORIAL_BRIDGE("other"), TUTORIAL_PORTS("other"), TUTORIAL_IFACES("other")));
	plan_fails(t, "tutorial-ovs", w,
		   "OVS bridge 'v-net-0' belongs to topology 'other', not 'tutorial-ovs'");
	world_free(w);

	/* A foreign port holding a host end's name, on a foreign bridge. */
	w = world_new(rows(
		BRIDGE_ROW(U_BR, "br-x", "netdev", "[\"uuid\",\"" U_PRED "\"]", "[\"map\",[]]"),
		PORT_ROW(U_PRED, "veth-red-br", U_IRED, "[\"map\",[]]"),
		IFACE_ROW(U_IRED, "veth-red-br", "", "[\"map\",[]]")));
	plan_fails(t, "tutorial-ovs", w,
		   "OVS port 'veth-red-br' (on bridge 'br-x') exists and is not nsnet's");
	world_free(w);

	/* A Linux link with the bridge's name. */
	w = world_new(rows("", "", ""));
	host_link(w, 3, "v-net-0", "bridge", "");
	plan_fails(t, "tutorial-ovs", w, "link 'v-net-0' on the host exists and is not nsnet's");
	world_free(w);

	/* No vswitchd to apply it; no server at all. */
	w = world_new(rows("", "", ""));
	w->ovs.vswitchd = false;
	plan_fails(t, "tutorial-ovs", w,
		   "ovs-vswitchd is not running (no one holds OVSDB lock 'ovs_vswitchd' at "
		   "unix:/run/openvswitch/db.sock): start Open vSwitch");
	world_free(w);
	/* The kernel's datapath asked for, without its module. */
	w = world_new(rows("", "", ""));
	t->bridges[0].datapath = TOPOLOGY_DATAPATH_SYSTEM;
	plan_fails(t, "tutorial-ovs", w,
		   "OVS bridge 'v-net-0': datapath system needs the kernel's openvswitch module");
	t->bridges[0].datapath = TOPOLOGY_DATAPATH_AUTO;
	world_free(w);
	w = world_new(NULL);
	w->ovs.state = WORLD_OVS_UNREACHABLE;
	snprintf(w->ovs.error, sizeof(w->ovs.error),
		 "cannot reach OVSDB at /run/openvswitch/db.sock: No such file or directory: "
		 "start Open vSwitch (ovsdb-server)");
	plan_fails(t, "tutorial-ovs", w,
		   "OVS bridge 'v-net-0': cannot reach OVSDB at /run/openvswitch/db.sock");
	world_free(w);
	topology_free(t);
}

/* down: the rows first (PH_DEL), the wait after the namespaces; the tap left to vswitchd. */
static void down(void **state)
{
	struct world *w =
		world_new(rows(TUTORIAL_BRIDGE("tutorial-ovs"), TUTORIAL_PORTS("tutorial-ovs"),
			       TUTORIAL_IFACES("tutorial-ovs")));
	static const char *const want[] = {"ovs-bridge-del v-net-0", "ovs-wait ", NULL};
	static const char *const alone[] = {"ovs-bridge-del v-net-0", "link-del v-net-0", NULL};
	struct plan *p = NULL;
	struct error err = {0};

	(void)state;
	host_link(w, 5, "v-net-0", "tun", "nsnet:tutorial-ovs");
	assert_int_equal(plan_build("tutorial-ovs", NULL, w, &p, &err), 0);
	assert_plan(p, want);
	assert_string_equal(p->v[0].key, U_BR);
	plan_free(p);
	/* Without vswitchd: the rows go all the same; the tap it would remove, by netlink. */
	w->ovs.vswitchd = false;
	assert_int_equal(plan_build("tutorial-ovs", NULL, w, &p, &err), 0);
	assert_plan(p, alone);
	plan_free(p);
	/* Another topology's rows are none of ours. */
	w->ovs.vswitchd = true;
	assert_int_equal(plan_build("other", NULL, w, &p, &err), 0);
	assert_int_equal(p->n, 0);
	plan_free(p);
	world_free(w);
}

/* The operations of a transaction, "op table" each, from its request. */
static json_t *ops_of(const struct ovsdb_txn *t)
{
	struct error err = {0};
	json_t *req, *ops = json_array();
	char *s = NULL;

	assert_int_equal(ovsdb_txn_request(t, 1, &s, &err), 0);
	req = json_loads(s, 0, NULL);
	assert_non_null(req);
	for (size_t i = 1; i < json_array_size(json_object_get(req, "params")); i++) {
		json_array_append(ops, json_array_get(json_object_get(req, "params"), i));
	}
	json_decref(req);
	free(s);
	return ops;
}

static const char *op_line(json_t *op, char *buf, size_t len)
{
	const char *table = json_string_value(json_object_get(op, "table"));

	snprintf(buf, len, "%s%s%s", json_string_value(json_object_get(op, "op")), table ? " " : "",
		 table ? table : "");
	return buf;
}

static void transaction(void **state)
{
	static const char *const want[] = {"comment",
					   "wait Bridge",
					   "insert Interface",
					   "insert Port",
					   "insert Bridge",
					   "wait Port",
					   "insert Interface",
					   "insert Port",
					   "wait Port",
					   "insert Interface",
					   "insert Port",
					   "mutate Bridge",
					   "mutate Open_vSwitch",
					   NULL};
	struct topology *t = tutorial();
	struct world *w = world_new(rows("", "", ""));
	const struct action *v[8];
	struct ovsdb_txn *txn = ovsdb_txn_new("Open_vSwitch");
	struct plan *p = NULL;
	struct error err = {0};
	int op[8];
	size_t n = 0;
	json_t *ops, *o;
	char line[64], *text;

	(void)state;
	assert_int_equal(plan_build("tutorial-ovs", t, w, &p, &err), 0);
	for (size_t i = 0; i < p->n; i++)
		if (ovsdb_plan_is_row(p->v[i].type))
			v[n++] = &p->v[i];
	assert_int_equal(n, 3);
	assert_int_equal(ovsdb_plan_txn(v, n, txn, op, &err), 0);
	assert_int_equal(op[0], 4); /* the Bridge's insert */
	assert_int_equal(op[1], 7); /* each Port's */
	assert_int_equal(op[2], 10);
	ops = ops_of(txn);
	for (size_t i = 0; want[i]; i++)
		assert_string_equal(op_line(json_array_get(ops, i), line, sizeof(line)), want[i]);
	assert_int_equal(json_array_size(ops), 13);
	/* The guard: no Bridge of the name, at once. */
	text = json_dumps(json_array_get(ops, 1), JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(text, "{\"columns\":[\"name\"],\"op\":\"wait\",\"rows\":[],\"table\":"
				  "\"Bridge\",\"timeout\":0,\"until\":\"==\",\"where\":[[\"name\","
				  "\"==\",\"v-net-0\"]]}");
	free(text);
	/* Every row marked; the bridge of the userspace datapath with its internal port. */
	o = json_array_get(ops, 4);
	text = json_dumps(json_object_get(o, "row"), JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(text, "{\"datapath_type\":\"netdev\",\"external_ids\":[\"map\",[["
				  "\"nsnet-topology\",\"tutorial-ovs\"]]],\"name\":\"v-net-0\","
				  "\"ports\":[\"named-uuid\",\"p0\"]}");
	free(text);
	text = json_dumps(json_object_get(json_array_get(ops, 2), "row"),
			  JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(text, "{\"external_ids\":[\"map\",[[\"nsnet-topology\",\"tutorial-"
				  "ovs\"]]],\"name\":\"v-net-0\",\"type\":\"internal\"}");
	free(text);
	/* Both ports in one mutation of their bridge, found by name. */
	text = json_dumps(json_array_get(ops, 11), JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(text,
			    "{\"mutations\":[[\"ports\",\"insert\",[\"set\",[[\"named-uuid"
			    "\",\"p1\"],[\"named-uuid\",\"p2\"]]]]],\"op\":\"mutate\","
			    "\"table\":\"Bridge\",\"where\":[[\"name\",\"==\",\"v-net-0\"]]}");
	free(text);
	json_decref(ops);
	ovsdb_txn_free(txn);
	plan_free(p);
	world_free(w);
	topology_free(t);
}

/* The inverse of an up's transaction, as a rollback sends it: deletes by uuid, guarded. */
static void transaction_undo(void **state)
{
	struct action br = {.type = ACT_OVS_BRIDGE_DEL}, port = {.type = ACT_OVS_PORT_DEL};
	const struct action *v[] = {&port, &br};
	struct ovsdb_txn *txn = ovsdb_txn_new("Open_vSwitch");
	struct error err = {0};
	json_t *ops;
	int op[2];
	char *text;

	(void)state;
	snprintf(br.name, sizeof(br.name), "v-net-0");
	snprintf(br.key, sizeof(br.key), U_BR);
	snprintf(br.alias, sizeof(br.alias), "nsnet:t");
	snprintf(port.name, sizeof(port.name), "veth-red-br");
	snprintf(port.master, sizeof(port.master), "v-net-0");
	snprintf(port.key, sizeof(port.key), U_PRED);
	snprintf(port.alias, sizeof(port.alias), "nsnet:t");
	assert_int_equal(ovsdb_plan_txn(v, 2, txn, op, &err), 0);
	assert_int_equal(op[0], -1);
	assert_int_equal(op[1], -1);
	ops = ops_of(txn);
	assert_int_equal(json_array_size(ops), 5);
	text = json_dumps(json_array_get(ops, 1), JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(text,
			    "{\"columns\":[\"_uuid\"],\"op\":\"wait\",\"rows\":[{\"_uuid\":"
			    "[\"uuid\",\"" U_PRED "\"]}],\"table\":\"Port\",\"timeout\":0,"
			    "\"until\":\"==\",\"where\":[[\"_uuid\",\"==\",[\"uuid\",\"" U_PRED
			    "\"]],[\"external_ids\",\"includes\",[\"map\",[[\"nsnet-"
			    "topology\",\"t\"]]]]]}");
	free(text);
	text = json_dumps(json_array_get(ops, 2), JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(text, "{\"mutations\":[[\"ports\",\"delete\",[\"uuid\",\"" U_PRED
				  "\"]]],\"op\":\"mutate\",\"table\":\"Bridge\",\"where\":[["
				  "\"ports\",\"includes\",[\"uuid\",\"" U_PRED "\"]]]}");
	free(text);
	text = json_dumps(json_array_get(ops, 4), JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(text, "{\"mutations\":[[\"bridges\",\"delete\",[\"set\",[[\"uuid\","
				  "\"" U_BR "\"]]]]],\"op\":\"mutate\",\"table\":\"Open_vSwitch\","
				  "\"where\":[]}");
	free(text);
	json_decref(ops);
	ovsdb_txn_free(txn);

	/* Anything else is no row change. */
	txn = ovsdb_txn_new("Open_vSwitch");
	br.type = ACT_LINK_UP;
	assert_int_equal(ovsdb_plan_txn((const struct action *const[]){&br}, 1, txn, op, &err),
			 -EINVAL);
	ovsdb_txn_free(txn);
}

/* The ids of doctor's OVS findings (and their subjects) for t as w holds it. */
static void assert_findings(const struct topology *t, struct world *w, const char *want)
{
	struct doctor_topo dt = {.want = t, .have = w};
	struct doctor_facts f = {.ip_forward = 1,
				 .bridge_nf_ip4 = -1,
				 .bridge_nf_ip6 = -1,
				 .host = w->host,
				 .topos = &dt,
				 .n_topos = 1};
	struct doctor_report r = {0};
	struct error err = {0};
	char got[8192] = "";

	snprintf(dt.name, sizeof(dt.name), "tutorial-ovs");
	assert_int_equal(doctor_run(&f, &r, &err), 0);
	for (size_t i = 0; i < r.n; i++)
		if (strncmp(r.v[i].id, "ovs", 3) == 0 && strlen(got) < 4096)
			snprintf(got + strlen(got), 4096, "%s%s: %.1000s: %.1000s",
				 got[0] ? "; " : "", r.v[i].id, r.v[i].subject, r.v[i].what);
	if (strcmp(got, want) != 0)
		fail_msg("findings '%s', want '%s'", got, want);
	for (size_t i = 0; i < r.n; i++)
		if (strcmp(r.v[i].id, "ovs-name-taken") == 0)
			assert_non_null(strstr(r.v[i].fix, "ovs-vsctl "));
	doctor_report_clear(&r);
}

static void doctor(void **state)
{
	struct topology *t = tutorial();
	struct world *w;

	(void)state;
	w = world_new(rows(TUTORIAL_BRIDGE("tutorial-ovs"), TUTORIAL_PORTS("tutorial-ovs"),
			   TUTORIAL_IFACES("tutorial-ovs")));
	assert_findings(t, w, "");
	w->ovs.vswitchd = false;
	assert_findings(
		t, w,
		"ovs-vswitchd-down: ovs-vswitchd: ovs-vswitchd is not running (no one holds "
		"OVSDB lock 'ovs_vswitchd' at unix:/run/openvswitch/db.sock)");
	/* Only its rows (no file): still worth saying. */
	assert_findings(
		NULL, w,
		"ovs-vswitchd-down: ovs-vswitchd: ovs-vswitchd is not running (no one holds "
		"OVSDB lock 'ovs_vswitchd' at unix:/run/openvswitch/db.sock)");
	world_free(w);

	w = world_new(
		rows(TUTORIAL_BRIDGE("other"), TUTORIAL_PORTS("other"), TUTORIAL_IFACES("other")));
	assert_findings(
		t, w,
		"ovs-name-taken: OVS bridge 'v-net-0': the name is held by a bridge of "
		"topology 'other'; ovs-name-taken: OVS port 'veth-red-br': the name is held "
		"by a port of topology 'other' (on bridge 'v-net-0'); ovs-name-taken: OVS "
		"port 'veth-blue-br': the name is held by a port of topology 'other' (on "
		"bridge 'v-net-0')");
	world_free(w);

	/* A port vswitchd could not add; the server's text quoted. */
	w = world_new(rows(
		TUTORIAL_BRIDGE("tutorial-ovs"), TUTORIAL_PORTS("tutorial-ovs"),
		IFACE_ROW(
			U_IBR, "v-net-0", "internal",
			MARK("tutorial-ovs")) ","
					      "{\"_uuid\":[\"uuid\",\"" U_IRED
					      "\"],\"name\":\"veth-red-br\","
					      "\"type\":\"\",\"ofport\":-1,\"error\":\"could not "
					      "open network device "
					      "veth-red-br (No such "
					      "device)\\u001b[0m\",\"external_ids\":" MARK(
						      "tutorial-ovs") "}," IFACE_ROW(U_IBLUE,
										     "veth-blue-br",
										     "",
										     MARK("tutorial"
											  "-ov"
											  "s"))));
	assert_findings(t, w,
			"ovs-port-error: OVS interface 'veth-red-br': ovs-vswitchd could not add "
			"it: could not open network device veth-red-br (No such device)\\x1b[0m");
	world_free(w);

	w = world_new(NULL);
	w->ovs.state = WORLD_OVS_UNREACHABLE;
	snprintf(w->ovs.error, sizeof(w->ovs.error),
		 "cannot reach OVSDB at /x.sock: Connection "
		 "refused: start Open vSwitch (ovsdb-server)");
	assert_findings(t, w,
			"ovsdb-unreachable: OVSDB at unix:/run/openvswitch/db.sock: cannot reach "
			"OVSDB at /x.sock: Connection refused: start Open vSwitch (ovsdb-server)");
	/* A file without OVS bridges has nothing to say about it. */
	world_free(w);
	topology_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(up_from_nothing), cmocka_unit_test(up_again),
		cmocka_unit_test(conflicts),	   cmocka_unit_test(down),
		cmocka_unit_test(transaction),	   cmocka_unit_test(transaction_undo),
		cmocka_unit_test(doctor),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
