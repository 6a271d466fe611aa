// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Bridges that span hosts (topology.h, struct topology_vxlan), without root:
 * what the loader fills in by default, the firewall's rules against their
 * golden file (GOLDEN_FW_DIR/vxlan.nft), and the planner against hand-made
 * worlds: the device and its entries from nothing; the MTU from the route to
 * the remotes or from dev; a remote added or removed changes FDB entries and
 * nothing else; a changed VNI recreates the device, with what puts it back;
 * an unknown underlay or a VNI taken by another device stops the plan.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "core/doctor.h"
#include "core/fw.h"
#include "core/plan.h"
#include "core/topology.h"
#include "slurp.h"

#define FILE_A                                                     \
	"name: a\n"                                                \
	"bridges:\n"                                               \
	"  br0:\n"                                                 \
	"    address: 10.40.0.1/24\n"                              \
	"    vxlan: {id: 42, remotes: [172.31.0.2, 172.31.0.3]}\n" \
	"namespaces:\n"                                            \
	"  a1:\n"                                                  \
	"    interfaces:\n"                                        \
	"      eth0: {bridge: br0, address: 10.40.0.11/24}\n"

static struct topology *parse(const char *text)
{
	struct topology *t = NULL;
	struct error err = {0};

	if (topology_parse("t.yaml", text, strlen(text), &t, &err) < 0)
		fail_msg("%s", err.msg);
	return t;
}

static void test_defaults(void **state)
{
	struct topology *t = parse(FILE_A);
	const struct topology_vxlan *vx = t->bridges[0].vxlan;

	(void)state;
	assert_non_null(vx);
	assert_int_equal(vx->id, 42);
	assert_int_equal(vx->port, 4789);
	assert_true(vx->learning);
	assert_false(vx->has_local);
	assert_string_equal(vx->dev, "");
	assert_int_equal(vx->n_remotes, 2);
	assert_int_equal(vx->remotes[1].prefix.len, 32);
	/* Derived from the bridge's name alone: the same on every host and every run. */
	assert_string_equal(vx->name, "nsv-26e65d5f");
	assert_true(strlen(vx->name) <= IFNAME_MAX);
	topology_free(t);
}

static void test_fw_golden(void **state)
{
	struct topology *t = NULL;
	struct error err = {0};
	char *s = NULL, *want, hash[FW_HASH_LEN + 1];
	size_t n;
	char *text = slurp(GOLDEN_FW_DIR "/vxlan.yaml", &n);

	(void)state;
	assert_non_null(text);
	if (topology_parse("vxlan.yaml", text, n, &t, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(fw_script_build(t, &s, hash, &err), 0);
	if (getenv("NSNET_GOLDEN_UPDATE")) {
		FILE *f = fopen(GOLDEN_FW_DIR "/vxlan.nft", "w");

		assert_non_null(f);
		fputs(s, f);
		assert_int_equal(fclose(f), 0);
	}
	want = slurp(GOLDEN_FW_DIR "/vxlan.nft", &n);
	if (!want)
		fail_msg("no golden file vxlan.nft (NSNET_GOLDEN_UPDATE=1 makes it)");
	if (strcmp(want, s) != 0)
		fail_msg("vxlan.nft differs; got:\n%s", s);
	/* One rule per bridge: its port, its VNI, its remotes, nothing broader. */
	assert_non_null(strstr(s,
			       "udp dport 4789 @th,96,24 42 iifname \"eth1\" ip daddr 172.31.0.1 "
			       "ip saddr != { 172.31.0.2, 172.31.0.3 } drop"));
	assert_non_null(strstr(s, "udp dport 8472 @th,96,24 7 ip6 saddr != { fd31::2 } drop"));
	free(want);
	free(s);
	free(text);
	topology_free(t);
}

/* A host with eth1 (MTU mtu) and a route to 172.31.0.0/24 through it. */
static struct world *host_world(unsigned mtu)
{
	struct world *w = calloc(1, sizeof(*w));
	struct ns_link *l;
	struct ns_route *rt;

	assert_non_null(w);
	w->host = netstate_new();
	assert_non_null(w->host);
	assert_int_equal(world_sysctl_set(w, "", "net/ipv4/ip_forward", 1), 0);
	l = netstate_add_link(w->host);
	l->ifindex = 2;
	l->mtu = mtu;
	snprintf(l->name, sizeof(l->name), "eth1");
	rt = netstate_add_route(w->host);
	assert_int_equal(inet_prefix_parse("172.31.0.0/24", &rt->dst, NULL), 0);
	rt->oif = 2;
	rt->table = 254;
	rt->type = 1; /* RTN_UNICAST */
	netstate_sort(w->host);
	return w;
}

static size_t count(const struct plan *p, enum action_type type)
{
	size_t n = 0;

	for (size_t i = 0; i < p->n; i++)
		n += p->v[i].type == type;
	return n;
}

static const struct action *find(const struct plan *p, enum action_type type, const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].type == type && (!name || strcmp(p->v[i].name, name) == 0))
			return &p->v[i];
	return NULL;
}

static void test_plan_new(void **state)
{
	struct topology *t = parse(FILE_A);
	struct world *w = host_world(1500);
	struct error err = {0};
	struct plan *p = NULL;
	const struct action *a;
	char line[256];

	(void)state;
	assert_int_equal(plan_build("a", t, w, &p, &err), 0);
	a = find(p, ACT_VXLAN_ADD, "nsv-26e65d5f");
	assert_non_null(a);
	assert_int_equal(a->mtu, 1450);
	assert_true(a->no_ipv6);
	assert_string_equal(a->alias, "nsnet:a");
	action_describe(a, line, sizeof(line));
	assert_string_equal(line, "+ vxlan 'nsv-26e65d5f' (VNI 42, port 4789, IPv4)");
	/* A port of the bridge, up, one entry per remote. */
	a = find(p, ACT_LINK_MASTER, "nsv-26e65d5f");
	assert_non_null(a);
	assert_string_equal(a->master, "br0");
	assert_non_null(find(p, ACT_LINK_UP, "nsv-26e65d5f"));
	assert_int_equal(count(p, ACT_FDB_ADD), 2);
	action_describe(find(p, ACT_FDB_ADD, NULL), line, sizeof(line));
	assert_string_equal(line, "+ fdb 'nsv-26e65d5f': 00:00:00:00:00:00 dst 172.31.0.2");
	/* The bridge and both ends of the namespace's cable get the segment's MTU. */
	assert_int_equal(find(p, ACT_BRIDGE_ADD, "br0")->mtu, 1450);
	a = find(p, ACT_VETH_ADD, NULL);
	assert_int_equal(a->mtu, 1450);
	assert_int_equal(a->peer_mtu, 1450);
	plan_free(p);
	world_free(w);

	/* A jumbo underlay: 9000 - 50. An MTU in the file wins. */
	w = host_world(9000);
	assert_int_equal(plan_build("a", t, w, &p, &err), 0);
	assert_int_equal(find(p, ACT_VXLAN_ADD, NULL)->mtu, 8950);
	plan_free(p);
	t->bridges[0].mtu = 1400;
	assert_int_equal(plan_build("a", t, w, &p, &err), 0);
	assert_int_equal(find(p, ACT_VXLAN_ADD, NULL)->mtu, 1400);
	assert_int_equal(find(p, ACT_VETH_ADD, NULL)->mtu, 1400);
	plan_free(p);
	world_free(w);
	topology_free(t);
}

static void test_plan_ipv6_dev(void **state)
{
	struct topology *t = parse("bridges:\n  br0:\n    address: 10.40.0.1/24\n"
				   "    vxlan: {id: 9, remotes: ['fd31::2'], dev: eth1}\n");
	struct world *w = host_world(1500);
	struct error err = {0};
	struct plan *p = NULL;
	const struct action *a;

	(void)state;
	assert_int_equal(plan_build("t", t, w, &p, &err), 0);
	a = find(p, ACT_VXLAN_ADD, NULL);
	assert_int_equal(a->mtu, 1430); /* 1500 - 70: dev's MTU, no route needed */
	assert_true(a->vxlan.ipv6);
	assert_string_equal(a->vxlan.dev, "eth1");
	/* Each entry is bound to the underlay device too. */
	assert_int_equal(find(p, ACT_FDB_ADD, NULL)->value, 2);
	plan_free(p);
	world_free(w);

	/* No such device on the host: refused before any change. */
	w = host_world(1500);
	snprintf(w->host->links[0].name, sizeof(w->host->links[0].name), "eth9");
	w->host->sorted = false;
	netstate_sort(w->host);
	assert_int_equal(plan_build("t", t, w, &p, &err), -ENODEV);
	assert_string_equal(err.msg, "bridge 'br0': vxlan dev 'eth1' does not exist on the host");
	world_free(w);
	topology_free(t);
}

/* The host of host_world with the device of FILE_A up on br0, and entries to dst[0..n). */
static struct world *world_up(const char *const *dst, size_t n, uint32_t vni)
{
	struct world *w = host_world(1500);
	struct ns_link *l;
	struct world_vxlan *v;

	l = netstate_add_link(w->host);
	l->ifindex = 3;
	l->mtu = 1450;
	l->flags = 1; /* IFF_UP */
	snprintf(l->name, sizeof(l->name), "br0");
	snprintf(l->kind, sizeof(l->kind), "bridge");
	snprintf(l->alias, sizeof(l->alias), "nsnet:a");
	l = netstate_add_link(w->host);
	l->ifindex = 4;
	l->mtu = 1450;
	l->master = 3;
	l->flags = 1;
	snprintf(l->name, sizeof(l->name), "nsv-26e65d5f");
	snprintf(l->kind, sizeof(l->kind), "vxlan");
	snprintf(l->alias, sizeof(l->alias), "nsnet:a");
	netstate_sort(w->host);
	w->vxlans = calloc(1, sizeof(*w->vxlans));
	assert_non_null(w->vxlans);
	w->n_vxlans = 1;
	v = &w->vxlans[0];
	*v = (struct world_vxlan){.ifindex = 4, .id = vni, .port = 4789, .learning = true};
	snprintf(v->name, sizeof(v->name), "nsv-26e65d5f");
	v->fdb = calloc(n + 1, sizeof(*v->fdb));
	assert_non_null(v->fdb);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(inet_addr_parse(dst[i], &v->fdb[i].dst, NULL), 0);
	v->n_fdb = n;
	v->fdb_read = true;
	return w;
}

static void test_plan_remotes(void **state)
{
	static const char *const both[] = {"172.31.0.2", "172.31.0.3"};
	static const char *const old[] = {"172.31.0.2", "172.31.0.9"};
	struct topology *t = parse(FILE_A);
	struct world *w = world_up(both, 2, 42);
	struct error err = {0};
	struct plan *p = NULL;
	char line[256];

	(void)state;
	/* In sync as far as the device goes: no link action on it. */
	assert_int_equal(plan_build("a", t, w, &p, &err), 0);
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->v[i].name, "nsv-26e65d5f") == 0)
			fail_msg("unexpected action %s", action_type_name(p->v[i].type));
	plan_free(p);
	world_free(w);

	/* .9 gone from the file, .3 new: one entry each way, the device kept. */
	w = world_up(old, 2, 42);
	assert_int_equal(plan_build("a", t, w, &p, &err), 0);
	assert_int_equal(count(p, ACT_FDB_ADD), 1);
	assert_int_equal(count(p, ACT_FDB_DEL), 1);
	assert_null(find(p, ACT_LINK_DEL, "nsv-26e65d5f"));
	assert_null(find(p, ACT_VXLAN_ADD, NULL));
	action_describe(find(p, ACT_FDB_DEL, NULL), line, sizeof(line));
	assert_string_equal(line, "- fdb 'nsv-26e65d5f': 00:00:00:00:00:00 dst 172.31.0.9");
	plan_free(p);
	world_free(w);

	/* Another VNI: recreated, and the deletion knows how to put the old one back. */
	w = world_up(old, 2, 41);
	assert_int_equal(plan_build("a", t, w, &p, &err), 0);
	{
		const struct action *d = find(p, ACT_LINK_DEL, "nsv-26e65d5f");
		size_t fdb = 0, add = 0;

		assert_non_null(d);
		assert_true(d->recreate);
		for (size_t i = 0; i < d->n_restore; i++) {
			fdb += d->restore[i].type == ACT_FDB_ADD;
			add += d->restore[i].type == ACT_VXLAN_ADD && d->restore[i].vxlan.id == 41;
		}
		assert_int_equal(add, 1);
		assert_int_equal(fdb, 2);
		assert_int_equal(d->restore[0].type, ACT_VXLAN_ADD); /* re-created first */
	}
	assert_non_null(find(p, ACT_VXLAN_ADD, NULL));
	assert_int_equal(count(p, ACT_FDB_ADD), 2);
	plan_free(p);

	/* down: the device goes (its entries with it), nothing else about it. */
	assert_int_equal(plan_build("a", NULL, w, &p, &err), 0);
	assert_non_null(find(p, ACT_LINK_DEL, "nsv-26e65d5f"));
	assert_int_equal(count(p, ACT_FDB_DEL), 0);
	plan_free(p);
	world_free(w);
	topology_free(t);
}

static void test_plan_refusals(void **state)
{
	struct topology *t = parse(FILE_A);
	struct world *w = host_world(1500);
	struct error err = {0};
	struct plan *p = NULL;

	(void)state;
	/* No route to any remote: the MTU cannot be derived. */
	w->host->n_routes = 0;
	assert_int_equal(plan_build("a", t, w, &p, &err), -ENETUNREACH);
	assert_non_null(strstr(err.msg, "no route to remote 172.31.0.2"));
	world_free(w);

	/* Another topology's device holds VNI 42 on 4789. */
	w = world_up(NULL, 0, 42);
	snprintf(w->vxlans[0].name, sizeof(w->vxlans[0].name), "nsv-other");
	snprintf(w->host->links[2].alias, sizeof(w->host->links[2].alias), "nsnet:b");
	assert_int_equal(plan_build("a", t, w, &p, &err), -EEXIST);
	assert_non_null(strstr(err.msg, "VNI 42 on UDP port 4789 is taken by VXLAN device "
					"'nsv-other' of topology 'b'"));
	world_free(w);
	topology_free(t);
}

static bool has_finding(const struct doctor_report *r, const char *id, const char *needle)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->v[i].id, id) == 0 && (!needle || strstr(r->v[i].what, needle)))
			return true;
	return false;
}

/* The doctor's judgement of what a prober saw of remote 172.31.0.2 (and .3). */
static void test_doctor(void **state)
{
	static const char *const both[] = {"172.31.0.2", "172.31.0.3"};
	struct topology *t = parse(FILE_A);
	struct world *w = world_up(both, 2, 42);
	struct doctor_vxlan_remote seen[2] = {0};
	struct doctor_topo dt = {.want = t, .have = w};
	struct doctor_facts f = {.ip_forward = 1,
				 .bridge_nf_ip4 = -1,
				 .bridge_nf_ip6 = -1,
				 .host = w->host,
				 .topos = &dt,
				 .n_topos = 1,
				 .vxlan = seen,
				 .n_vxlan = 2};
	struct doctor_report r = {0};

	(void)state;
	snprintf(dt.name, sizeof(dt.name), "a");
	for (size_t i = 0; i < 2; i++) {
		seen[i] = (struct doctor_vxlan_remote){.bridge = &t->bridges[0],
						       .probed = true,
						       .tunnel_probed = true,
						       .echo_reply = true,
						       .tunnel_reply = true};
		assert_int_equal(inet_addr_parse(both[i], &seen[i].remote, NULL), 0);
	}
	assert_int_equal(doctor_run(&f, &r, NULL), 0);
	assert_int_equal(r.n, 0);
	doctor_report_clear(&r);

	/* .2 sends VNI 43 only; .3 answers nothing at all. */
	seen[0].tunnel_reply = false;
	seen[0].vnis[0] = 43;
	seen[0].n_vnis = 1;
	seen[1] = (struct doctor_vxlan_remote){.bridge = &t->bridges[0],
					       .probed = true,
					       .tunnel_probed = true,
					       .remote = seen[1].remote};
	assert_int_equal(doctor_run(&f, &r, NULL), 0);
	assert_true(has_finding(&r, "vxlan-vni-mismatch",
				"172.31.0.2 sends VXLAN to port 4789 "
				"with VNI 43; bridge 'br0' uses VNI 42"));
	assert_true(has_finding(&r, "vxlan-remote-unreachable", "remote 172.31.0.3 answered"));
	assert_int_equal(r.n, 2);
	doctor_report_clear(&r);

	/* Ours among what it sent: no mismatch (a stale datagram of another VNI is not one). */
	seen[0].vnis[1] = 42;
	seen[0].n_vnis = 2;
	seen[1].echo_reply = true; /* there, but silent through the tunnel: a warning */
	assert_int_equal(doctor_run(&f, &r, NULL), 0);
	assert_false(has_finding(&r, "vxlan-vni-mismatch", NULL));
	assert_true(has_finding(&r, "vxlan-tunnel-silent", "172.31.0.3"));
	assert_int_equal(r.n, 1);
	assert_int_equal(r.v[0].level, DOCTOR_WARNING);
	doctor_report_clear(&r);

	/* The device at 1500 on an underlay of 1500; no route to .3 any more. */
	seen[1].tunnel_reply = true;
	w->host->links[2].mtu = 1500;
	w->host->n_routes = 0;
	assert_int_equal(inet_prefix_parse("172.31.0.2/32", &w->host->routes[0].dst, NULL), 0);
	w->host->n_routes = 1;
	assert_int_equal(doctor_run(&f, &r, NULL), 0);
	assert_true(has_finding(&r, "vxlan-mtu", "its MTU is 1500, so its frames need 1550 bytes"));
	assert_true(has_finding(&r, "vxlan-remote-unreachable", "no route to remote 172.31.0.3"));
	for (size_t i = 0; i < r.n; i++)
		if (strcmp(r.v[i].id, "vxlan-mtu") == 0)
			assert_non_null(
				strstr(r.v[i].fix, "ip link set dev nsv-26e65d5f mtu 1450"));
	doctor_report_clear(&r);
	world_free(w);
	topology_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),     cmocka_unit_test(test_fw_golden),
		cmocka_unit_test(test_plan_new),     cmocka_unit_test(test_plan_ipv6_dev),
		cmocka_unit_test(test_plan_remotes), cmocka_unit_test(test_plan_refusals),
		cmocka_unit_test(test_doctor),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
