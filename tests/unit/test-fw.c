// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The firewall of a topology (core/fw.h), without root: the generated nft
 * text against the golden files of GOLDEN_FW_DIR (NAME.yaml -> NAME.nft; the
 * tutorial from examples/; run with NSNET_GOLDEN_UPDATE=1 to rewrite them),
 * a hostile bridge name refused (NAME.err), which bridges need
 * route_localnet, the order the planner gives that sysctl around the table,
 * and which listening sockets a forward shadows.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/fw.h"
#include "core/plan.h"
#include "core/topology.h"
#include "slurp.h"
#include "topo-file.h"

static struct topology *load(const char *path)
{
	return topo_file_load(path);
}

/* text against the golden file path; NSNET_GOLDEN_UPDATE=1 writes it instead. */
static void golden(const char *path, const char *text)
{
	size_t n;
	char *want;

	if (getenv("NSNET_GOLDEN_UPDATE")) {
		FILE *f = fopen(path, "w");

		assert_non_null(f);
		fputs(text, f);
		assert_int_equal(fclose(f), 0);
		return;
	}
	want = slurp(path, &n);
	if (!want)
		fail_msg("no golden file %s (NSNET_GOLDEN_UPDATE=1 makes it)", path);
	if (strcmp(want, text) != 0)
		fail_msg("%s differs; got:\n%s", path, text);
	free(want);
}

static void golden_script(const char *yaml, const char *name)
{
	struct topology *t = load(yaml);
	struct error err = {0};
	char path[512], hash[FW_HASH_LEN + 1];
	char *s = NULL;

	if (fw_script_build(t, &s, hash, &err) < 0)
		fail_msg("%s: %s", yaml, err.msg);
	assert_non_null(s);
	assert_int_equal(strlen(hash), FW_HASH_LEN);
	snprintf(path, sizeof(path), "%s/%s.nft", GOLDEN_FW_DIR, name);
	golden(path, s);
	free(s);
	topology_free(t);
}

static void test_golden(void **state)
{
	static const char *const names[] = {"localhost", "two-bridges", "bridge-only", "dual"};
	char yaml[512];

	(void)state;
	golden_script(EXAMPLES_DIR "/tutorial.yaml", "tutorial");
	golden_script(EXAMPLES_DIR "/tutorial-dual.yaml", "tutorial-dual");
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		snprintf(yaml, sizeof(yaml), "%s/%s.yaml", GOLDEN_FW_DIR, names[i]);
		golden_script(yaml, names[i]);
	}
}

/*
 * Names are refused at load; the script refuses them again. The issue's
 * bridge `a","eth0` would have put eth0 into our set of bridges.
 */
static void test_hostile(void **state)
{
	static const char *const refused[] = {"a\",\"eth0", "br\"x", "a\\b", "a\nb", "\x1b"};
	struct topology *t = load(EXAMPLES_DIR "/tutorial.yaml");
	struct error err = {0};
	char hash[FW_HASH_LEN + 1], path[512];
	char *s = (char *)"untouched";

	(void)state;
	snprintf(t->bridges[0].name, sizeof(t->bridges[0].name), "%s", refused[0]);
	assert_int_equal(fw_script_build(t, &s, hash, &err), -EINVAL);
	assert_null(s);
	assert_string_equal(hash, "");
	assert_int_equal(err.kind, ERROR_INPUT);
	snprintf(path, sizeof(path), "%s/hostile.err", GOLDEN_FW_DIR);
	strcat(err.msg, "\n");
	golden(path, err.msg);
	for (size_t i = 1; i < ARRAY_SIZE(refused); i++) {
		snprintf(t->bridges[0].name, sizeof(t->bridges[0].name), "%s", refused[i]);
		assert_int_equal(fw_script_build(t, &s, hash, NULL), -EINVAL);
	}
	/* Shell syntax means nothing to nft inside its quotes: kept, quoted. */
	snprintf(t->bridges[0].name, sizeof(t->bridges[0].name), "$(id);{x}");
	assert_int_equal(fw_script_build(t, &s, hash, NULL), 0);
	assert_non_null(strstr(s, "elements = { \"$(id);{x}\" }"));
	free(s);
	topology_free(t);
}

static void test_script_delete(void **state)
{
	struct error err = {0};
	char *s;

	(void)state;
	assert_int_equal(fw_script_delete("tutorial", NULL, &s, &err), 0);
	assert_string_equal(s, "table inet nsnet-tutorial {}\ndelete table inet nsnet-tutorial\n");
	free(s);
	assert_int_equal(fw_script_delete("t", "table inet nsnet-t {\n}\n", &s, &err), 0);
	assert_string_equal(s, "table inet nsnet-t {}\ndelete table inet nsnet-t\n"
			       "table inet nsnet-t {\n}\n");
	free(s);
	s = (char *)"untouched";
	assert_int_equal(fw_script_delete("x; flush ruleset", NULL, &s, &err), -EINVAL);
	assert_null(s);
	assert_non_null(strstr(err.msg, "byte 0x3b"));
}

static void test_localnet(void **state)
{
	struct topology *t = load(GOLDEN_FW_DIR "/two-bridges.yaml");
	struct topology *lh = load(GOLDEN_FW_DIR "/localhost.yaml");

	(void)state;
	assert_true(fw_bridge_localnet(t, topology_bridge_find(t, "br-front")));
	assert_false(fw_bridge_localnet(t, topology_bridge_find(t, "br-back")));
	t->n_forwards = 0;
	assert_false(fw_bridge_localnet(t, topology_bridge_find(t, "br-front")));
	/* Only IPv4 targets: an IPv6 forward alone needs no route_localnet. */
	lh->forwards[0] = lh->forwards[3];
	lh->n_forwards = 1;
	assert_false(fw_bridge_localnet(lh, &lh->bridges[0]));
	topology_free(t);
	topology_free(lh);
}

static size_t find_action(const struct plan *p, enum action_type type)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].type == type)
			return i;
	fail_msg("no %s action in the plan", action_type_name(type));
	return 0;
}

#define LOCALNET "net/ipv4/conf/v-net-0/route_localnet"

/* The route_localnet action of the plan (ACT_SYSCTL of that key), or fails. */
static size_t find_localnet(const struct plan *p)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].type == ACT_SYSCTL && strcmp(p->v[i].key, LOCALNET) == 0)
			return i;
	fail_msg("no route_localnet action in the plan");
	return 0;
}

static size_t count_localnet(const struct plan *p)
{
	size_t n = 0;

	for (size_t i = 0; i < p->n; i++)
		n += p->v[i].type == ACT_SYSCTL && strcmp(p->v[i].key, LOCALNET) == 0;
	return n;
}

static struct world *world_empty(void)
{
	struct world *w = calloc(1, sizeof(*w));

	assert_non_null(w);
	w->host = netstate_new();
	assert_non_null(w->host);
	w->ip_forward = 1;
	assert_int_equal(world_sysctl_set(w, "", "net/ipv4/ip_forward", 1), 0);
	assert_int_equal(world_sysctl_set(w, "", "net/ipv4/conf/default/route_localnet", 0), 0);
	return w;
}

/*
 * route_localnet goes on only once the table (with its guard) is in place,
 * and off before the table goes: never a moment with it on and unguarded.
 */
/* The forwards a table change adds and removes, as a dry run shows them; capped. */
static void test_fw_detail(void **state)
{
	struct topology *t = load(EXAMPLES_DIR "/tutorial.yaml");
	struct world *w = world_empty();
	char *have[] = {"tcp 80 -> 192.168.15.2:80", "udp 53 -> 192.168.15.9:53"};
	struct error err = {0};
	struct plan *p = NULL;

	(void)state;
	assert_int_equal(plan_build("tutorial", t, w, &p, &err), 0);
	assert_int_equal(plan_fw_detail(p, t, have, 2, &err), 0);
	assert_string_equal(p->fw_detail, "- forward udp 53 -> 192.168.15.9:53");
	assert_int_equal(plan_fw_detail(p, t, NULL, 0, &err), 0);
	assert_string_equal(p->fw_detail, "+ forward tcp 80 -> 192.168.15.2:80");
	/* 100 ports: 40 lines, then a count. */
	t->forwards[0].port_hi = 179;
	t->forwards[0].to_port_hi = 179;
	assert_int_equal(plan_fw_detail(p, t, NULL, 0, &err), 0);
	assert_non_null(strstr(p->fw_detail, "\n  ... and 60 more forward changes"));
	plan_free(p);
	world_free(w);
	topology_free(t);
}

static void test_plan_localnet(void **state)
{
	struct topology *t = load(EXAMPLES_DIR "/tutorial.yaml");
	struct world *w = world_empty();
	struct error err = {0};
	struct plan *p = NULL;
	struct ns_link *br;
	char line[256];
	size_t at;

	(void)state;
	assert_int_equal(plan_build("tutorial", t, w, &p, &err), 0);
	at = find_localnet(p);
	assert_true(find_action(p, ACT_FW_APPLY) < at);
	assert_true(find_action(p, ACT_BRIDGE_ADD) < at);
	assert_int_equal(count_localnet(p), 1);
	assert_string_equal(p->v[at].ns, "");
	assert_int_equal(p->v[at].value, 1);
	action_describe(&p->v[at], line, sizeof(line));
	assert_string_equal(line, "~ sysctl net.ipv4.conf.v-net-0.route_localnet = 1");
	assert_string_equal(action_type_name(ACT_SYSCTL), "sysctl");
	plan_free(p);

	/* The bridge there, the setting on: nothing to do. Off: turned on. */
	br = netstate_add_link(w->host);
	assert_non_null(br);
	br->ifindex = 3;
	snprintf(br->name, sizeof(br->name), "v-net-0");
	snprintf(br->kind, sizeof(br->kind), "bridge");
	snprintf(br->alias, sizeof(br->alias), "nsnet:tutorial");
	assert_int_equal(world_sysctl_set(w, "", LOCALNET, 1), 0);
	assert_int_equal(plan_build("tutorial", t, w, &p, &err), 0);
	assert_int_equal(count_localnet(p), 0);
	plan_free(p);

	/* The forward removed from the file: turned off, before the table changes. */
	t->n_forwards = 0;
	assert_int_equal(plan_build("tutorial", t, w, &p, &err), 0);
	at = find_localnet(p);
	assert_int_equal(p->v[at].value, 0);
	assert_true(at < find_action(p, ACT_FW_APPLY));
	plan_free(p);

	/* down: off before the table goes, the bridge a few steps later. */
	w->fw_exists = true;
	assert_int_equal(plan_build("tutorial", NULL, w, &p, &err), 0);
	at = find_localnet(p);
	assert_int_equal(p->v[at].value, 0);
	assert_true(at < find_action(p, ACT_FW_DEL));
	assert_true(at < find_action(p, ACT_LINK_DEL));
	plan_free(p);
	assert_int_equal(world_sysctl_set(w, "", LOCALNET, 0), 0);
	assert_int_equal(plan_build("tutorial", NULL, w, &p, &err), 0);
	assert_int_equal(count_localnet(p), 0);
	plan_free(p);

	world_free(w);
	topology_free(t);
}

static struct fw_listener listener(enum topology_proto proto, const char *addr, uint16_t port,
				   bool v6only)
{
	struct fw_listener l = {.proto = proto, .port = port, .v6only = v6only};

	assert_int_equal(inet_addr_parse(addr, &l.addr, NULL), 0);
	return l;
}

static bool shadowed(const struct topology *t, const char *addr, uint16_t port, bool udp,
		     bool v6only, char *msg, size_t len)
{
	struct fw_listener l =
		listener(udp ? TOPOLOGY_PROTO_UDP : TOPOLOGY_PROTO_TCP, addr, port, v6only);

	msg[0] = '\0';
	return fw_listener_shadowed(t, &l, msg, len);
}

static void test_listener(void **state)
{
	struct topology *t = load(EXAMPLES_DIR "/tutorial.yaml");
	struct topology *lh = load(GOLDEN_FW_DIR "/localhost.yaml");
	char msg[512];
	uint16_t lo, hi;

	(void)state;
	assert_true(shadowed(t, "0.0.0.0", 80, false, false, msg, sizeof(msg)));
	assert_string_equal(msg, "tcp port 80 is forwarded to 192.168.15.2:80, but a socket on the "
				 "host listens on 0.0.0.0:80: connections to port 80 of every host "
				 "address (127.0.0.1 too) now reach the forward, not that socket");
	assert_true(shadowed(t, "127.0.0.1", 80, false, false, msg, sizeof(msg)));
	assert_non_null(strstr(msg, "listens on 127.0.0.1:80"));
	assert_true(shadowed(t, "192.168.1.2", 80, false, false, msg, sizeof(msg)));
	/* Dual-stack wildcard takes IPv4 too; V6ONLY does not. */
	assert_true(shadowed(t, "::", 80, false, false, msg, sizeof(msg)));
	assert_non_null(strstr(msg, "listens on [::]:80"));
	assert_false(shadowed(t, "::", 80, false, true, msg, sizeof(msg)));
	assert_true(shadowed(t, "::ffff:127.0.0.1", 80, false, false, msg, sizeof(msg)));
	assert_false(shadowed(t, "fd00::1", 80, false, false, msg, sizeof(msg)));
	/* Another port, another protocol. */
	assert_false(shadowed(t, "0.0.0.0", 81, false, false, msg, sizeof(msg)));
	assert_false(shadowed(t, "0.0.0.0", 80, true, false, msg, sizeof(msg)));
	assert_string_equal(msg, "");

	/* Bound to 127.0.0.1:9090: only what listens there or on the wildcard. */
	assert_true(shadowed(lh, "127.0.0.1", 9090, false, false, msg, sizeof(msg)));
	assert_string_equal(msg,
			    "tcp port 9090 is forwarded to 10.20.0.2:90, but a socket on the "
			    "host listens on 127.0.0.1:9090: connections to 127.0.0.1:9090 now "
			    "reach the forward, not that socket");
	assert_true(shadowed(lh, "0.0.0.0", 9090, false, false, msg, sizeof(msg)));
	assert_false(shadowed(lh, "10.20.0.1", 9090, false, false, msg, sizeof(msg)));
	/* A range maps port by port. */
	assert_true(shadowed(lh, "0.0.0.0", 5301, true, false, msg, sizeof(msg)));
	assert_non_null(strstr(msg, "udp port 5301 is forwarded to 10.20.0.2:54"));
	assert_non_null(strstr(msg, "datagrams to port 5301"));
	/* IPv6: ::1 is never DNATed, the wildcard is. */
	assert_false(shadowed(lh, "::1", 8443, false, false, msg, sizeof(msg)));
	assert_true(shadowed(lh, "::", 8443, false, true, msg, sizeof(msg)));
	assert_non_null(strstr(msg, "forwarded to [fd20::2]:443"));
	assert_null(strstr(msg, "127.0.0.1"));
	assert_false(shadowed(lh, "0.0.0.0", 8443, false, false, msg, sizeof(msg)));

	assert_true(fw_port_span(lh, TOPOLOGY_PROTO_TCP, &lo, &hi));
	assert_int_equal(lo, 8080);
	assert_int_equal(hi, 9090);
	assert_true(fw_port_span(lh, TOPOLOGY_PROTO_UDP, &lo, &hi));
	assert_int_equal(lo, 5300);
	assert_int_equal(hi, 5301);
	assert_false(fw_port_span(t, TOPOLOGY_PROTO_UDP, &lo, &hi));
	topology_free(t);
	topology_free(lh);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden),	      cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_script_delete), cmocka_unit_test(test_localnet),
		cmocka_unit_test(test_plan_localnet), cmocka_unit_test(test_listener),
		cmocka_unit_test(test_fw_detail),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
