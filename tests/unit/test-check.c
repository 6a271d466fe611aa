// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What `nsnet check` probes, from the model alone: gateways and peers of a
 * bridge, cables, routes through the host between two bridges (and none where
 * a route back is missing), isolation both ways, forwards with their host
 * address and listener, the file's checks, and a large bridge as a ring.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/check.h"
#include "core/strbuf.h"
#include "core/topology.h"

static struct topology *parse(const char *yaml)
{
	struct topology *t = NULL;
	struct error err = {0};

	if (topology_parse("t.yaml", yaml, strlen(yaml), &t, &err) < 0)
		fail_msg("%s", err.msg);
	return t;
}

/* The probes as "kind from target address[:port] expect", one per line. */
static char *render(const struct check_list *l)
{
	struct strbuf b = {0};
	char to[INET_STR_MAX];

	for (size_t i = 0; i < l->n; i++) {
		const struct check_probe *p = &l->v[i];

		inet_addr_format(&p->to, to, sizeof(to));
		strbuf_printf(&b, "%s %s %s %s", check_kind_name(p->kind), p->from[0] ? p->from : "-",
			      p->target, to);
		if (p->port)
			strbuf_printf(&b, ":%u/%s", p->port, check_proto_name(p->proto));
		strbuf_printf(&b, "%s\n", p->expect_blocked ? " blocked" : "");
	}
	return strbuf_take(&b);
}

static void expect_probes(const char *yaml, const char *other, const char *want)
{
	struct topology *t = parse(yaml), *o = other ? parse(other) : NULL;
	const struct topology *others[1] = {o};
	struct check_list l;
	struct error err = {0};
	char *got;

	assert_int_equal(check_list_build(t, others, o ? 1 : 0, &l, &err), 0);
	got = render(&l);
	assert_string_equal(got, want);
	free(got);
	check_list_clear(&l);
	topology_free(t);
	topology_free(o);
}

static const char tutorial[] = "name: tut\n"
			       "bridges: {v-net-0: {address: 192.168.15.5/24, nat: true}}\n"
			       "namespaces:\n"
			       "  red: {interfaces: {e: {bridge: v-net-0, address: 192.168.15.1/24}},"
			       " routes: [{to: default, via: 192.168.15.5}]}\n"
			       "  blue: {interfaces: {e: {bridge: v-net-0, address: 192.168.15.2/24}},"
			       " routes: [{to: default, via: 192.168.15.5}]}\n"
			       "forwards: [{port: 80, to: '192.168.15.2:8080'}]\n"
			       "checks: [{from: blue, to: 192.168.1.3}, {from: red, to: 10.1.1.1,"
			       " port: 22, expect: blocked}]\n";

static void test_tutorial(void **state)
{
	(void)state;
	expect_probes(tutorial, NULL,
		      "gateway red v-net-0 192.168.15.5\n"
		      "peer red blue 192.168.15.2\n"
		      "gateway blue v-net-0 192.168.15.5\n"
		      "peer blue red 192.168.15.1\n"
		      "forward - blue 192.168.15.5:80/tcp\n"
		      "file blue 192.168.1.3 192.168.1.3\n"
		      "file red 10.1.1.1 10.1.1.1:22/tcp blocked\n");
}

static void test_isolation(void **state)
{
	(void)state;
	expect_probes(tutorial,
		      "name: oth\nbridges: {b1: {address: 10.10.0.1/24}}\n"
		      "namespaces: {green: {interfaces: {e: {bridge: b1, address: 10.10.0.2/24}}}}\n",
		      "gateway red v-net-0 192.168.15.5\n"
		      "peer red blue 192.168.15.2\n"
		      "gateway blue v-net-0 192.168.15.5\n"
		      "peer blue red 192.168.15.1\n"
		      "isolation red oth/green 10.10.0.2 blocked\n"
		      "isolation green red 192.168.15.1 blocked\n"
		      "isolation blue oth/green 10.10.0.2 blocked\n"
		      "isolation green blue 192.168.15.2 blocked\n"
		      "forward - blue 192.168.15.5:80/tcp\n"
		      "file blue 192.168.1.3 192.168.1.3\n"
		      "file red 10.1.1.1 10.1.1.1:22/tcp blocked\n");
}

/* a routes to c through the host and back; b has no route back, so a -> b is not expected. */
static void test_routed_and_cable(void **state)
{
	(void)state;
	expect_probes("name: r\nbridges: {b1: {address: 10.1.0.1/24}, b2: {address: 10.2.0.1/24}}\n"
		      "namespaces:\n"
		      "  a: {interfaces: {e: {bridge: b1, address: 10.1.0.2/24},"
		      " k: {peer: d/k, address: 10.9.0.1/30}},"
		      " routes: [{to: default, via: 10.1.0.1}]}\n"
		      "  b: {interfaces: {e: {bridge: b2, address: 10.2.0.3/24}}}\n"
		      "  c: {interfaces: {e: {bridge: b2, address: 10.2.0.2/24}},"
		      " routes: [{to: 10.1.0.0/16, via: 10.2.0.1}]}\n"
		      "  d: {interfaces: {k: {peer: a/k, address: 10.9.0.2/30}}}\n",
		      NULL,
		      "gateway a b1 10.1.0.1\n"
		      "routed a c 10.2.0.2\n"
		      "peer a d 10.9.0.2\n"
		      "gateway b b2 10.2.0.1\n"
		      "peer b c 10.2.0.2\n"
		      "gateway c b2 10.2.0.1\n"
		      "routed c a 10.1.0.2\n"
		      "peer c b 10.2.0.3\n"
		      "peer d a 10.9.0.1\n");
}

/*
 * IPv6 derives like IPv4: every address an endpoint, the bridge's IPv6
 * address a gateway, its members peers; a forward to NS:PORT probed in both
 * families, each at the bridge address of its family.
 */
static const char dual[] =
	"name: dual\n"
	"bridges: {v-net-0: {addresses: [192.168.15.5/24, 'fd00:15::5/64'], nat: true}}\n"
	"namespaces:\n"
	"  red: {interfaces: {e: {bridge: v-net-0, addresses: [192.168.15.1/24, 'fd00:15::1/64']}},"
	" routes: [{to: default, via: 192.168.15.5}, {to: '::/0', via: 'fd00:15::5'}]}\n"
	"  blue: {interfaces: {e: {bridge: v-net-0, addresses: [192.168.15.2/24, 'fd00:15::2/64']}},"
	" routes: [{to: default, via: 192.168.15.5}, {to: '::/0', via: 'fd00:15::5'}]}\n"
	"forwards: [{port: 80, to: 'blue:8080'}]\n";

/* The probes of dual's one segment, in both families. */
#define DUAL_SEGMENT                                                                              \
	"gateway red v-net-0 192.168.15.5\n"                                                       \
	"peer red blue 192.168.15.2\n"                                                             \
	"gateway red v-net-0 fd00:15::5\n"                                                         \
	"peer red blue fd00:15::2\n"                                                               \
	"gateway blue v-net-0 192.168.15.5\n"                                                      \
	"peer blue red 192.168.15.1\n"                                                             \
	"gateway blue v-net-0 fd00:15::5\n"                                                        \
	"peer blue red fd00:15::1\n"

static void test_dual_stack(void **state)
{
	(void)state;
	expect_probes(dual, NULL,
		      DUAL_SEGMENT
		      "forward - blue 192.168.15.5:80/tcp\n"
		      "forward - blue fd00:15::5:80/tcp\n");
}

/*
 * Isolation in each family the two topologies share: an IPv6-only other
 * topology is probed over IPv6 alone, a dual-stack one over both.
 */
static void test_isolation6(void **state)
{
	(void)state;
	expect_probes(dual,
		      "name: six\nbridges: {b6: {address: 'fd66::1/64'}}\n"
		      "namespaces: {green: {interfaces: {e: {bridge: b6, addresses: ['fe80::2/64',"
		      " 'fd66::2/64'], link-local: true}}}}\n",
		      DUAL_SEGMENT
		      "isolation red six/green fd66::2 blocked\n"
		      "isolation green red fd00:15::1 blocked\n"
		      "isolation blue six/green fd66::2 blocked\n"
		      "isolation green blue fd00:15::2 blocked\n"
		      "forward - blue 192.168.15.5:80/tcp\n"
		      "forward - blue fd00:15::5:80/tcp\n");
	expect_probes("name: v4\nbridges: {b: {address: 10.1.0.1/24}}\n"
		      "namespaces: {a: {interfaces: {e: {bridge: b, address: 10.1.0.2/24}}}}\n",
		      dual,
		      "gateway a b 10.1.0.1\n"
		      "isolation a dual/red 192.168.15.1 blocked\n"
		      "isolation red a 10.1.0.2 blocked\n");
	expect_probes("name: d2\nbridges: {b: {addresses: [10.1.0.1/24, 'fd01::1/64']}}\n"
		      "namespaces: {a: {interfaces: {e: {bridge: b, addresses: [10.1.0.2/24,"
		      " 'fd01::2/64']}}}}\n",
		      dual,
		      "gateway a b 10.1.0.1\n"
		      "gateway a b fd01::1\n"
		      "isolation a dual/red 192.168.15.1 blocked\n"
		      "isolation red a 10.1.0.2 blocked\n"
		      "isolation a dual/red fd00:15::1 blocked\n"
		      "isolation red a fd01::2 blocked\n");
}

/* A forwarding item: a setting of the host, read, with no address or port. */
static void test_forwarding_item(void **state)
{
	struct check_list l = {0};
	struct error err = {0};
	struct check_probe *p;
	char line[256];

	(void)state;
	p = check_list_add_forwarding(&l, "eth0", "net/ipv6/conf/eth0/force_forwarding", &err);
	assert_non_null(p);
	assert_int_equal(p->kind, CHECK_FORWARDING);
	assert_string_equal(check_kind_name(p->kind), "forwarding");
	assert_string_equal(check_proto_name(p->proto), "sysctl");
	assert_int_equal(p->port, 0);
	check_probe_describe(p, line, sizeof(line));
	assert_string_equal(line, "host forwards IPv6 arriving on 'eth0' "
				  "(net.ipv6.conf.eth0.force_forwarding = 1)");
	p = check_list_add_forwarding(&l, "v.net", "net/ipv6/conf/v.net/force_forwarding", &err);
	check_probe_describe(p, line, sizeof(line));
	assert_string_equal(line, "host forwards IPv6 arriving on 'v.net' "
				  "(net/ipv6/conf/v.net/force_forwarding = 1)");
	p = check_list_add_forwarding(&l, "all", "net/ipv6/conf/all/forwarding", &err);
	check_probe_describe(p, line, sizeof(line));
	assert_string_equal(line, "host forwards IPv6 (net.ipv6.conf.all.forwarding = 1)");
	p->result = CHECK_UNREACHABLE;
	assert_false(check_probe_ok(p));
	p->result = CHECK_REACHED;
	assert_true(check_probe_ok(p));
	check_list_clear(&l);
}

/* Routed through the host between two IPv6 bridges, as for IPv4. */
static void test_routed6(void **state)
{
	(void)state;
	expect_probes("name: r6\nbridges: {b1: {address: 'fd01::1/64'}, b2: {address: 'fd02::1/64'}}\n"
		      "namespaces:\n"
		      "  a: {interfaces: {e: {bridge: b1, address: 'fd01::2/64'}},"
		      " routes: [{to: '::/0', via: 'fd01::1'}]}\n"
		      "  c: {interfaces: {e: {bridge: b2, address: 'fd02::2/64'}},"
		      " routes: [{to: 'fd01::/64', via: 'fd02::1'}]}\n",
		      NULL,
		      "gateway a b1 fd01::1\n"
		      "routed a c fd02::2\n"
		      "gateway c b2 fd02::1\n"
		      "routed c a fd01::2\n");
}

/*
 * Through a router namespace on both cables: probed both ways, as routed; with
 * the way back missing, not probed at all (it could not answer).
 */
static void test_router(void **state)
{
	static const char head[] = "namespaces:\n"
				   "  left:\n"
				   "    interfaces: {eth0: {peer: r/a, address: 10.1.0.2/24}}\n"
				   "    routes: [{to: 10.2.0.0/24, via: 10.1.0.1}]\n"
				   "  right:\n"
				   "    interfaces: {eth0: {peer: r/b, address: 10.2.0.2/24}}\n";
	static const char tail[] = "  r:\n"
				   "    interfaces:\n"
				   "      a: {peer: left/eth0, address: 10.1.0.1/24}\n"
				   "      b: {peer: right/eth0, address: 10.2.0.1/24}\n";
	char yaml[1024];

	(void)state;
	snprintf(yaml, sizeof(yaml), "%s    routes: [{to: 10.1.0.0/24, via: 10.2.0.1}]\n%s", head,
		 tail);
	expect_probes(yaml, NULL,
		      "routed left right 10.2.0.2\n"
		      "peer left r 10.1.0.1\n"
		      "routed right left 10.1.0.2\n"
		      "peer right r 10.2.0.1\n"
		      "peer r left 10.1.0.2\n"
		      "peer r right 10.2.0.2\n");
	snprintf(yaml, sizeof(yaml), "%s%s", head, tail);
	expect_probes(yaml, NULL,
		      "peer left r 10.1.0.1\n"
		      "peer right r 10.2.0.1\n"
		      "peer r left 10.1.0.2\n"
		      "peer r right 10.2.0.2\n");
}

static void test_ring(void **state)
{
	struct strbuf b = {0};
	struct topology *t;
	struct check_list l;
	struct error err = {0};
	size_t peers = 0;
	char *yaml;

	(void)state;
	strbuf_printf(&b, "name: big\nbridges: {br: {address: 10.0.0.1/16}}\nnamespaces:\n");
	for (int i = 0; i < 40; i++)
		strbuf_printf(&b, "  n%d: {interfaces: {e: {bridge: br, address: 10.0.1.%d/16}}}\n", i,
			      i + 1);
	yaml = strbuf_take(&b);
	t = parse(yaml);
	assert_int_equal(check_list_build(t, NULL, 0, &l, &err), 0);
	assert_true(l.sampled);
	for (size_t i = 0; i < l.n; i++)
		if (l.v[i].kind == CHECK_PEER) {
			int from = atoi(l.v[i].from + 1), to = atoi(l.v[i].target + 1);

			assert_int_equal(to, (from + 1) % 40);
			peers++;
		}
	assert_int_equal(peers, 40);
	assert_int_equal(l.n, 80);
	check_list_clear(&l);
	topology_free(t);
	free(yaml);
}

static void test_verdicts(void **state)
{
	struct check_probe p = {.result = CHECK_REACHED};

	(void)state;
	assert_true(check_probe_ok(&p));
	p.expect_blocked = true;
	assert_false(check_probe_ok(&p));
	p.result = CHECK_NO_REPLY;
	assert_true(check_probe_ok(&p));
	p.result = CHECK_FAILED;
	assert_false(check_probe_ok(&p));
	p.result = CHECK_SKIPPED;
	assert_true(check_probe_ok(&p));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tutorial),	  cmocka_unit_test(test_isolation),
		cmocka_unit_test(test_routed_and_cable), cmocka_unit_test(test_router),
		cmocka_unit_test(test_ring),
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_dual_stack),	  cmocka_unit_test(test_isolation6),
		cmocka_unit_test(test_routed6),	  cmocka_unit_test(test_forwarding_item),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
