// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The DOT of a topology: the examples' nodes, edges and labels, forwards of
 * every shape, and quoting of names no parsed file can hold (a model built by
 * hand). Each output also goes through a small DOT lexer, so an unbalanced
 * quote or brace fails here without Graphviz; tests/integration/graph.bats
 * runs the real dot.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/graph.h"
#include "core/topology.h"

#include "slurp.h"

/*
 * Lexes dot as Graphviz would: quoted strings end at an unescaped '"' on the
 * same line, only printable ASCII and tabs appear, braces and brackets
 * balance outside strings.
 */
static void assert_dot_well_formed(const char *dot)
{
	int braces = 0, brackets = 0;
	bool in_str = false;

	for (const char *p = dot; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c >= 0x7f || (c < 0x20 && c != '\n' && c != '\t'))
			fail_msg("raw byte 0x%02x at offset %td", c, p - dot);
		if (in_str) {
			if (c == '\n')
				fail_msg("line break inside a string at offset %td", p - dot);
			if (c == '\\' && p[1] && p[1] != '\n')
				p++;
			else if (c == '"')
				in_str = false;
			continue;
		}
		if (c == '"')
			in_str = true;
		braces += c == '{' ? 1 : c == '}' ? -1 : 0;
		brackets += c == '[' ? 1 : c == ']' ? -1 : 0;
		if (braces < 0 || brackets < 0)
			fail_msg("unbalanced at offset %td", p - dot);
	}
	assert_false(in_str);
	assert_int_equal(braces, 0);
	assert_int_equal(brackets, 0);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static void assert_has(const char *dot, const char *want)
{
	if (!strstr(dot, want))
		fail_msg("DOT lacks '%s':\n%s", want, dot);
}

static char *graph_of_text(const char *file, const char *text)
{
	struct error err = {0};
	struct topology *t = NULL;
	char *dot = NULL;

	if (topology_parse(file, text, strlen(text), &t, &err) < 0)
		fail_msg("%s: %s", file, err.msg);
	if (graph_dot_build(t, &dot, &err) < 0)
		fail_msg("%s: %s", file, err.msg);
	topology_free(t);
	assert_non_null(dot);
	assert_dot_well_formed(dot);
	return dot;
}

static char *graph_of_example(const char *name)
{
	char path[4096], *text, *dot;
	size_t len;

	snprintf(path, sizeof(path), "%s/%s", EXAMPLES_DIR, name);
	text = slurp(path, &len);
	if (!text)
		fail_msg("cannot read %s", path);
	dot = graph_of_text(name, text);
	free(text);
	return dot;
}

static void test_tutorial(void **state)
{
	char *dot = graph_of_example("tutorial.yaml");

	(void)state;
	assert_true(strncmp(dot, "digraph \"tutorial\" {\n", 21) == 0);
	assert_has(dot, "subgraph \"cluster_host\" {");
	assert_has(dot, "\"host\" [shape=house, label=\"host\"];");
	assert_has(dot,
		   "\"br/v-net-0\" [shape=ellipse, label=\"v-net-0\\n192.168.15.5/24\\nnat\"];");
	assert_has(dot, "\"ns/red\" [shape=box, style=rounded, "
			"label=\"red\\ndefault via 192.168.15.5\"];");
	assert_has(dot, "\"ns/blue\" [shape=box, style=rounded, label=\"blue\\n192.168.1.0/24 via "
			"192.168.15.5\\ndefault via 192.168.15.5\"];");
	assert_has(dot, "\"br/v-net-0\" -> \"ns/red\" [taillabel=\"veth-red-br\", "
			"headlabel=\"veth-red 192.168.15.1/24\"];");
	assert_has(dot, "\"br/v-net-0\" -> \"ns/blue\" [taillabel=\"veth-blue-br\", "
			"headlabel=\"veth-blue 192.168.15.2/24\"];");
	assert_has(dot, "\"host\" -> \"ns/blue\" [dir=forward, ");
	assert_has(dot, "label=\"tcp 80 -> 192.168.15.2:80\"];");
	/* Two bridge ports and one forward; the label's "->" is inside quotes. */
	assert_int_equal(count(dot, "\" -> \""), 3);
	assert_true(dot[strlen(dot) - 2] == '}');
	free(dot);
}

static void test_direct(void **state)
{
	char *dot = graph_of_example("tutorial-direct.yaml");

	(void)state;
	/* Declared on both sides, drawn once, from the side first in the file. */
	assert_has(dot, "\"ns/red\" -> \"ns/blue\" [taillabel=\"veth-red 192.168.15.1/24\", "
			"headlabel=\"veth-blue 192.168.15.2/24\"];");
	assert_int_equal(count(dot, "\" -> \""), 1);
	assert_null(strstr(dot, "br/"));
	assert_has(dot, "\"ns/red\" [shape=box, style=rounded, label=\"red\"];");
	assert_has(dot, "\"host\" [shape=house");
	free(dot);
}

static void test_shapes(void **state)
{
	char *dot = graph_of_text(
		"shapes.yaml", "name: shapes\n"
			       "bridges:\n"
			       "  br0: {addresses: [10.0.0.1/24, 'fd00::1/64'], mtu: 9000}\n"
			       "namespaces:\n"
			       "  web.1:\n"
			       "    interfaces:\n"
			       "      eth0:\n"
			       "        bridge: br0\n"
			       "        addresses: [10.0.0.2/24, 'fd00::2/64']\n"
			       "        mtu: 9000\n"
			       "        mac: 02:00:00:00:00:01\n"
			       "      p_0: {peer: db/p_1, address: 10.1.0.1/30}\n"
			       "    routes:\n"
			       "      - {to: 10.9.0.0/16, via: 10.1.0.2, dev: p_0}\n"
			       "  db:\n"
			       "    interfaces:\n"
			       "      eth0: {bridge: br0, host-end: db-br, address: 10.0.0.3/24}\n"
			       "forwards:\n"
			       "  - {port: 8000-8001, to: 'web.1:9000', protocol: udp}\n"
			       "  - {port: 443, to: 10.0.0.3:8443, host-address: 192.0.2.1}\n");

	(void)state;
	assert_has(dot, "label=\"br0\\n10.0.0.1/24\\nfd00::1/64\\nmtu 9000\"");
	/* No "nat" for a bridge without it. */
	assert_null(strstr(dot, "\\nnat"));
	assert_has(dot, "label=\"web.1\\n10.9.0.0/16 via 10.1.0.2 dev p_0\"");
	/* A derived host end, then the addresses one a line, MTU and MAC. */
	assert_has(dot, "\"br/br0\" -> \"ns/web.1\" [taillabel=\"nsn-");
	assert_has(dot, "headlabel=\"eth0 10.0.0.2/24\\nfd00::2/64\\nmtu 9000\\n"
			"02:00:00:00:00:01\"];");
	/* Declared on one side: the other end is created bare. */
	assert_has(dot, "\"ns/web.1\" -> \"ns/db\" [taillabel=\"p_0 10.1.0.1/30\", "
			"headlabel=\"p_1\"];");
	assert_has(dot, "\"host\" -> \"ns/web.1\" [dir=forward, ");
	/* web.1 has both families: "NS:PORT" reaches both. */
	assert_has(dot, "label=\"udp 8000-8001 -> 10.0.0.2:9000-9001, [fd00::2]:9000-9001\"];");
	assert_has(dot, "\"host\" -> \"ns/db\" [dir=forward, ");
	assert_has(dot, "label=\"tcp 192.0.2.1:443 -> 10.0.0.3:8443\"];");
	free(dot);
}

/* Names the loader refuses, put into a model by hand: quoting must hold anyway. */
static void test_quoting(void **state)
{
	struct topology_route route = {.to = {.addr = {.family = AF_INET6}, .len = 0},
				       .has_via = true,
				       .via = {.family = AF_INET6}};
	struct topology_iface ifc = {.link = TOPOLOGY_LINK_PEER, .peer_iface_idx = SIZE_MAX};
	struct topology_ns ns = {.ifaces = &ifc, .n_ifaces = 1, .routes = &route, .n_routes = 1};
	struct topology_forward fwd = {.proto = TOPOLOGY_PROTO_TCP,
				       .port_lo = 80,
				       .port_hi = 80,
				       .to = {.family = AF_INET6},
				       .to_port_lo = 8080,
				       .to_port_hi = 8080,
				       .has_host_addr = true,
				       .host_addr = {.family = AF_INET6}};
	struct topology t = {
		.namespaces = &ns, .n_namespaces = 1, .forwards = &fwd, .n_forwards = 1};
	struct error err = {0};
	char *dot = NULL;

	(void)state;
	strcpy(t.name, "a\"b\\c");
	strcpy(ns.name, "q\"\\\n\xc3");
	strcpy(ifc.name, "i\\N");
	strcpy(ifc.peer_ns, "q\"\\\n\xc3");
	strcpy(ifc.peer_iface, "x\"");
	inet_pton(AF_INET6, "fd00::5", route.via.bytes);
	inet_pton(AF_INET6, "fd00::2", fwd.to.bytes);
	inet_pton(AF_INET6, "2001:db8::1", fwd.host_addr.bytes);
	assert_int_equal(graph_dot_build(&t, &dot, &err), 0);
	assert_dot_well_formed(dot);
	assert_has(dot, "digraph \"a\\\"b\\\\c\" {");
	assert_has(dot, "label=\"nsnet topology 'a\\\"b\\\\c'\"");
	/* A control byte and a non-ASCII one are shown as text, never emitted raw. */
	assert_has(dot, "\"ns/q\\\"\\\\\\\\x0a\\\\xc3\" [shape=box, style=rounded, "
			"label=\"q\\\"\\\\\\\\x0a\\\\xc3\\ndefault via fd00::5\"];");
	/* "\N" would be Graphviz's node name: the backslash is doubled. */
	assert_has(dot, "[taillabel=\"i\\\\N\", headlabel=\"x\\\"\"];");
	/* No namespace owns the address: the arrow goes to the address itself. */
	assert_has(dot, "\"addr/fd00::2\" [shape=plaintext, label=\"fd00::2\"];");
	assert_has(dot, "\"host\" -> \"addr/fd00::2\" [");
	assert_has(dot, "label=\"tcp [2001:db8::1]:80 -> [fd00::2]:8080\"];");
	free(dot);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tutorial),
		cmocka_unit_test(test_direct),
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_quoting),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
