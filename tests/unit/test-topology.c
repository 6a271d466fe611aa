// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The topology loader: the examples and a few shapes parsed field by field,
 * then the corpus of bad files in BAD_DIR, each of which must fail with the
 * exact one-line message of its .err twin, labelled by its base name.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <time.h>

#include <arpa/inet.h>
#include <cmocka.h>

#include "core/topology.h"

#include "slurp.h"

static const char tutorial[] = "name: tutorial\n"
			       "bridges:\n"
			       "  v-net-0:\n"
			       "    address: 192.168.15.5/24\n"
			       "    nat: true\n"
			       "    mtu: 1500\n"
			       "namespaces:\n"
			       "  red:\n"
			       "    interfaces:\n"
			       "      veth-red:\n"
			       "        bridge: v-net-0\n"
			       "        host-end: veth-red-br\n"
			       "        address: 192.168.15.1/24\n"
			       "        mtu: 1500\n"
			       "        mac: 02:00:00:00:00:01\n"
			       "    routes:\n"
			       "      - {to: default, via: 192.168.15.5}\n"
			       "  blue:\n"
			       "    interfaces:\n"
			       "      veth-blue: {bridge: v-net-0, host-end: veth-blue-br, "
			       "address: 192.168.15.2/24}\n"
			       "    routes:\n"
			       "      - {to: 192.168.1.0/24, via: 192.168.15.5}\n"
			       "      - {to: default, via: 192.168.15.5}\n"
			       "forwards:\n"
			       "  - {port: 80, to: 192.168.15.2:80}\n";

static struct topology *parse_ok(const char *file, const char *text)
{
	struct error err = {0};
	struct topology *t = NULL;

	if (topology_parse(file, text, strlen(text), &t, &err) < 0)
		fail_msg("%s: unexpected error: %s", file, err.msg);
	assert_non_null(t);
	return t;
}

static void parse_fails(const char *file, const char *text, size_t len, const char *want)
{
	struct error err = {0};
	struct topology *t = NULL;

	assert_int_equal(topology_parse(file, text, len, &t, &err), -EINVAL);
	assert_null(t);
	assert_int_equal(error_exit_status(&err), 2);
	if (strcmp(err.msg, want) != 0)
		fail_msg("%s: got '%s', want '%s'", file, err.msg, want);
}

static void assert_prefix(const struct topology_addr *a, const char *want, unsigned line,
			  unsigned col)
{
	char buf[PREFIX_STR_MAX];

	inet_prefix_format(&a->prefix, buf, sizeof(buf));
	assert_string_equal(buf, want);
	assert_int_equal(a->pos.line, line);
	assert_int_equal(a->pos.col, col);
}

static void assert_addr(const struct inet_addr *a, const char *want)
{
	char buf[INET_STR_MAX];

	inet_addr_format(a, buf, sizeof(buf));
	assert_string_equal(buf, want);
}

static void tutorial_model(void **state)
{
	static const uint8_t mac[MAC_LEN] = {2, 0, 0, 0, 0, 1};
	struct topology *t = parse_ok("tutorial.yaml", tutorial);
	const struct topology_bridge *b;
	const struct topology_ns *red, *blue;
	const struct topology_iface *i;
	const struct topology_forward *f;

	(void)state;
	assert_string_equal(t->name, "tutorial");
	assert_int_equal(t->n_bridges, 1);
	b = &t->bridges[0];
	assert_string_equal(b->name, "v-net-0");
	assert_int_equal(b->pos.line, 3);
	assert_int_equal(b->pos.col, 3);
	assert_int_equal(b->n_addrs, 1);
	assert_prefix(&b->addrs[0], "192.168.15.5/24", 4, 14);
	assert_true(b->nat);
	assert_int_equal(b->mtu, 1500);

	assert_int_equal(t->n_namespaces, 2);
	red = &t->namespaces[0];
	blue = &t->namespaces[1];
	assert_ptr_equal(topology_ns_find(t, "blue"), blue);
	assert_null(topology_ns_find(t, "green"));
	assert_ptr_equal(topology_bridge_find(t, "v-net-0"), b);
	assert_string_equal(red->name, "red");
	assert_int_equal(red->pos.line, 8);
	assert_int_equal(red->n_ifaces, 1);
	i = &red->ifaces[0];
	assert_string_equal(i->name, "veth-red");
	assert_int_equal(i->pos.line, 10);
	assert_int_equal(i->pos.col, 7);
	assert_int_equal(i->link, TOPOLOGY_LINK_BRIDGE);
	assert_string_equal(i->bridge, "v-net-0");
	assert_int_equal(i->bridge_idx, 0);
	assert_string_equal(i->host_end, "veth-red-br");
	assert_false(i->host_end_derived);
	assert_int_equal(i->n_addrs, 1);
	assert_prefix(&i->addrs[0], "192.168.15.1/24", 13, 18);
	assert_int_equal(i->mtu, 1500);
	assert_true(i->has_mac);
	assert_memory_equal(i->mac, mac, MAC_LEN);
	assert_int_equal(red->n_routes, 1);
	assert_int_equal(red->routes[0].to.len, 0);
	assert_int_equal(red->routes[0].to.addr.family, AF_INET);
	assert_true(red->routes[0].has_via);
	assert_addr(&red->routes[0].via, "192.168.15.5");
	assert_string_equal(red->routes[0].dev, "");

	assert_string_equal(blue->name, "blue");
	i = &blue->ifaces[0];
	assert_string_equal(i->name, "veth-blue");
	assert_string_equal(i->host_end, "veth-blue-br");
	assert_int_equal(i->mtu, 0);
	assert_false(i->has_mac);
	assert_prefix(&i->addrs[0], "192.168.15.2/24", 20, 69);
	assert_int_equal(blue->n_routes, 2);
	assert_prefix(&(struct topology_addr){blue->routes[0].to, {0, 0}}, "192.168.1.0/24", 0, 0);
	assert_int_equal(blue->routes[0].pos.line, 22);
	assert_int_equal(blue->routes[1].to.len, 0);

	assert_int_equal(t->n_forwards, 1);
	f = &t->forwards[0];
	assert_int_equal(f->proto, TOPOLOGY_PROTO_TCP);
	assert_int_equal(f->port_lo, 80);
	assert_int_equal(f->port_hi, 80);
	assert_addr(&f->to, "192.168.15.2");
	assert_string_equal(f->to_ns, "");
	assert_int_equal(f->to_port_lo, 80);
	assert_int_equal(f->to_port_hi, 80);
	assert_false(f->has_host_addr);
	assert_int_equal(f->pos.line, 25);
	topology_free(t);
}

static void direct_cable(void **state)
{
	struct topology *t =
		parse_ok("tutorial-direct.yaml",
			 "name: tutorial\n"
			 "namespaces:\n"
			 "  red:\n"
			 "    interfaces:\n"
			 "      veth-red: {peer: blue/veth-blue, address: 192.168.15.1/24}\n"
			 "  blue:\n"
			 "    interfaces:\n"
			 "      veth-blue: {peer: red/veth-red, address: 192.168.15.2/24}\n");
	const struct topology_iface *r = &t->namespaces[0].ifaces[0];
	const struct topology_iface *b = &t->namespaces[1].ifaces[0];

	(void)state;
	assert_int_equal(t->n_bridges, 0);
	assert_int_equal(r->link, TOPOLOGY_LINK_PEER);
	assert_string_equal(r->peer_ns, "blue");
	assert_string_equal(r->peer_iface, "veth-blue");
	assert_int_equal(r->peer_ns_idx, 1);
	assert_int_equal(r->peer_iface_idx, 0);
	assert_int_equal(b->peer_ns_idx, 0);
	assert_int_equal(b->peer_iface_idx, 0);
	assert_string_equal(r->host_end, "");
	topology_free(t);

	/* Declared on one side only: the other end is not in the model. */
	t = parse_ok("one-side.yaml", "namespaces:\n"
				      "  red: {interfaces: {veth-red: {peer: blue/veth-blue}}}\n"
				      "  blue:\n");
	assert_int_equal(t->namespaces[0].ifaces[0].peer_iface_idx, SIZE_MAX);
	assert_int_equal(t->namespaces[1].n_ifaces, 0);
	topology_free(t);
}

static void defaults(void **state)
{
	struct topology *t = parse_ok("dir/my-net.yaml", "bridges:\n"
							 "  br0: {}\n"
							 "namespaces:\n"
							 "  red:\n"
							 "    interfaces:\n"
							 "      eth0: {bridge: br0}\n");
	const struct topology_iface *i = &t->namespaces[0].ifaces[0];
	char again[IFNAME_MAX + 1];

	(void)state;
	assert_string_equal(t->name, "my-net");
	assert_false(t->bridges[0].nat);
	assert_int_equal(t->bridges[0].mtu, 0);
	assert_int_equal(t->bridges[0].n_addrs, 0);
	assert_true(i->host_end_derived);
	assert_int_equal(strlen(i->host_end), 12);
	assert_memory_equal(i->host_end, "nsn-", 4);
	assert_int_equal(name_ifname_check(i->host_end, NULL), 0);
	strcpy(again, i->host_end);
	topology_free(t);

	/* Deterministic: the same namespace and interface give the same name. */
	t = parse_ok("x",
		     "bridges: {br0: }\nnamespaces: {red: {interfaces: {eth0: {bridge: br0}}}}\n");
	assert_string_equal(t->name, "x");
	assert_string_equal(t->namespaces[0].ifaces[0].host_end, again);
	topology_free(t);

	t = parse_ok("empty-ns.yaml", "name: only\nnamespaces:\n  lonely:\n");
	assert_int_equal(t->n_namespaces, 1);
	assert_int_equal(t->namespaces[0].n_ifaces, 0);
	topology_free(t);
}

/* type, datapath and ovsdb: an OVS bridge beside a Linux one, the defaults, a given socket. */
static void ovs_keys(void **state)
{
	struct topology *t = parse_ok("ovs.yaml", "bridges:\n"
						  "  br0: {}\n"
						  "  ovs0: {type: ovs, address: 10.0.0.1/24}\n"
						  "  ovs1:\n"
						  "    type: ovs\n"
						  "    datapath: netdev\n"
						  "  br1: {type: linux}\n");

	(void)state;
	assert_string_equal(t->ovsdb, TOPOLOGY_OVSDB_DEFAULT);
	assert_string_equal(t->ovsdb, "unix:/run/openvswitch/db.sock");
	assert_int_equal(t->bridges[0].type, TOPOLOGY_BRIDGE_LINUX);
	assert_int_equal(t->bridges[1].type, TOPOLOGY_BRIDGE_OVS);
	assert_int_equal(t->bridges[1].datapath, TOPOLOGY_DATAPATH_AUTO);
	assert_int_equal(t->bridges[1].type_pos.line, 3);
	assert_int_equal(t->bridges[2].type, TOPOLOGY_BRIDGE_OVS);
	assert_int_equal(t->bridges[2].datapath, TOPOLOGY_DATAPATH_NETDEV);
	assert_int_equal(t->bridges[2].datapath_pos.line, 6);
	assert_int_equal(t->bridges[3].type, TOPOLOGY_BRIDGE_LINUX);
	assert_true(topology_has_ovs(t));
	topology_free(t);

	t = parse_ok("ovs.yaml", "ovsdb: unix:/var/run/ovs/db.sock\n"
				 "bridges: {b: {type: ovs, datapath: system}}\n");
	assert_string_equal(t->ovsdb, "unix:/var/run/ovs/db.sock");
	assert_int_equal(t->ovsdb_pos.line, 1);
	assert_int_equal(t->bridges[0].datapath, TOPOLOGY_DATAPATH_SYSTEM);
	topology_free(t);

	t = parse_ok("linux.yaml", "bridges: {b: }\n");
	assert_false(topology_has_ovs(t));
	topology_free(t);
}

static void ipv6(void **state)
{
	struct topology *t = parse_ok(
		"v6.yaml", "bridges:\n"
			   "  br6: {addresses: [192.168.15.5/24, 'fd00::5/64']}\n"
			   "namespaces:\n"
			   "  red:\n"
			   "    interfaces:\n"
			   "      eth0: {bridge: br6, addresses: [192.168.15.1/24, 'fd00::1/64']}\n"
			   "    routes:\n"
			   "      - {to: default, via: 'fd00::5'}\n"
			   "      - {to: '2001:db8::/32', via: 'fd00::5', dev: eth0}\n"
			   "forwards:\n"
			   "  - {port: 443, protocol: udp, to: '[fd00::1]:8443'}\n");
	const struct topology_ns *ns = &t->namespaces[0];

	(void)state;
	assert_true(t->bridges[0].addrs_listed);
	assert_int_equal(t->bridges[0].n_addrs, 2);
	assert_prefix(&t->bridges[0].addrs[1], "fd00::5/64", 2, 39);
	assert_prefix(&ns->ifaces[0].addrs[1], "fd00::1/64", 6, 57);
	assert_int_equal(ns->routes[0].to.addr.family, AF_INET6);
	assert_int_equal(ns->routes[0].to.len, 0);
	assert_string_equal(ns->routes[1].dev, "eth0");
	assert_int_equal(t->forwards[0].proto, TOPOLOGY_PROTO_UDP);
	assert_addr(&t->forwards[0].to, "fd00::1");
	assert_int_equal(t->forwards[0].to_port_lo, 8443);
	topology_free(t);
}

static void ranges(void **state)
{
	struct topology *t =
		parse_ok("ranges.yaml", "namespaces:\n"
					"  web:\n"
					"    interfaces:\n"
					"      eth0: {peer: db/eth0, address: 10.0.0.1/24}\n"
					"  db:\n"
					"    interfaces:\n"
					"      eth0: {peer: web/eth0, address: 10.0.0.2/24}\n"
					"forwards:\n"
					"  - {port: 8000-8010, to: 'web:9000'}\n"
					"  - {port: 8011-8012, to: '10.0.0.2:7000-7001'}\n"
					"  - {port: 8000-8010, protocol: udp, to: 'db:8000'}\n"
					"  - {port: 9000, host-address: 192.0.2.1, to: 'db:1'}\n"
					"  - {port: 9000, host-address: 192.0.2.2, to: 'db:2'}\n");
	const struct topology_forward *f = t->forwards;

	(void)state;
	assert_int_equal(t->n_forwards, 5);
	assert_int_equal(f[0].port_lo, 8000);
	assert_int_equal(f[0].port_hi, 8010);
	assert_string_equal(f[0].to_ns, "web");
	assert_addr(&f[0].to, "10.0.0.1");
	assert_int_equal(f[0].to_port_lo, 9000);
	assert_int_equal(f[0].to_port_hi, 9010);
	assert_int_equal(f[1].to_port_lo, 7000);
	assert_int_equal(f[1].to_port_hi, 7001);
	assert_addr(&f[2].to, "10.0.0.2");
	assert_true(f[3].has_host_addr);
	assert_addr(&f[3].host_addr, "192.0.2.1");
	topology_free(t);
}

/*
 * "NS:PORT" reaches every family the namespace has: both addresses of a
 * dual-stack one (IPv6 beyond link-local), the IPv6 one of an IPv6-only
 * one, with a host address that address's family alone.
 */
static void ns_target_families(void **state)
{
	struct topology *t = parse_ok(
		"dual.yaml", "bridges: {b: {addresses: [10.0.0.1/24, 'fd00::1/64']}}\n"
			     "namespaces:\n"
			     "  both: {interfaces: {e: {bridge: b, addresses: ['fd00::2/64', "
			     "10.0.0.2/24]}}}\n"
			     "  six: {interfaces: {e: {bridge: b, addresses: ['fe80::3/64', "
			     "'fd00::3/64'], link-local: true}}}\n"
			     "forwards:\n"
			     "  - {port: 80, to: 'both:80'}\n"
			     "  - {port: 81, to: 'six:80'}\n"
			     "  - {port: 82, to: 'both:80', host-address: 'fd00::1'}\n"
			     "  - {port: 83, to: '10.0.0.2:80'}\n");
	const struct topology_forward *f = t->forwards;

	(void)state;
	assert_addr(&f[0].to, "10.0.0.2");
	assert_addr(&f[0].to6, "fd00::2");
	assert_ptr_equal(topology_forward_to(&f[0], AF_INET), &f[0].to);
	assert_ptr_equal(topology_forward_to(&f[0], AF_INET6), &f[0].to6);
	assert_addr(&f[1].to, "fd00::3");
	assert_int_equal(f[1].to6.family, 0);
	assert_null(topology_forward_to(&f[1], AF_INET));
	assert_addr(&f[2].to, "fd00::2");
	assert_int_equal(f[2].to6.family, 0);
	assert_null(topology_forward_to(&f[3], AF_INET6));
	topology_free(t);
}

/*
 * The keys that say what the file means (link-local addresses, overlapping
 * subnets, a router namespace), with their positions, and the edges of the
 * address rules that are accepted: /31, /32 and /127 have no network or
 * broadcast address to refuse, one default route per family, a MAC on two
 * segments, a forward to the host's loopback.
 */
static void meaning_keys(void **state)
{
	static const uint8_t mac[MAC_LEN] = {2, 0, 0, 0, 0, 7};
	struct topology *t = parse_ok(
		"keys.yaml",
		"bridges:\n"
		"  br0: {addresses: [10.0.0.1/24, 'fe80::1/64'], link-local: true,\n"
		"        allow-overlap: true}\n"
		"  br1: {address: 10.1.0.1/24}\n"
		"namespaces:\n"
		"  r:\n"
		"    forwarding: true\n"
		"    interfaces:\n"
		"      e0: {bridge: br0, addresses: [10.0.0.2/24, 169.254.9.9/16, 'fe80::2/64'],\n"
		"           link-local: true, mac: '02:00:00:00:00:07'}\n"
		"      e1: {bridge: br1, address: 10.1.0.2/24, mac: '02:00:00:00:00:07'}\n"
		"      p0: {peer: s/p0, address: 10.7.0.0/31}\n"
		"      p1: {peer: s/p1, address: 10.8.0.1/32}\n"
		"      p2: {peer: s/p2, address: 'fd07::/127'}\n"
		"    routes:\n"
		"      - {to: default, via: 10.0.0.1}\n"
		"      - {to: default, via: 'fe80::1', dev: e0}\n"
		"      - {to: 10.9.0.0/16, via: 10.1.0.1}\n"
		"  s:\n"
		"    forwarding: false\n"
		"    interfaces:\n"
		"      p0: {peer: r/p0, address: 10.7.0.1/31}\n"
		"  u:\n"
		"forwards:\n"
		"  - {port: 80, to: 'r:80', host-address: 127.0.0.1}\n"
		"  - {port: 81, to: 'r:80', host-address: '::1'}\n");
	const struct topology_bridge *b0 = &t->bridges[0], *b1 = &t->bridges[1];
	const struct topology_ns *r = &t->namespaces[0], *s = &t->namespaces[1];
	const struct topology_iface *e0 = &r->ifaces[0];

	(void)state;
	assert_true(b0->link_local);
	assert_int_equal(b0->link_local_pos.line, 2);
	assert_int_equal(b0->link_local_pos.col, 61);
	assert_true(b0->allow_overlap);
	assert_int_equal(b0->allow_overlap_pos.line, 3);
	assert_int_equal(b0->allow_overlap_pos.col, 24);
	assert_false(b1->link_local);
	assert_false(b1->allow_overlap);
	assert_true(r->forwarding);
	assert_true(r->forwarding_set);
	assert_int_equal(r->forwarding_pos.line, 7);
	assert_int_equal(r->forwarding_pos.col, 17);
	assert_false(s->forwarding);
	assert_true(s->forwarding_set);
	assert_false(t->namespaces[2].forwarding_set);
	assert_true(e0->link_local);
	assert_int_equal(e0->link_local_pos.line, 10);
	assert_true(e0->has_mac);
	assert_memory_equal(e0->mac, mac, MAC_LEN);
	assert_int_equal(e0->mac_pos.line, 10);
	assert_int_equal(e0->mac_pos.col, 36);
	assert_false(r->ifaces[1].link_local);
	assert_int_equal(r->n_routes, 3);
	assert_int_equal(r->routes[1].to.addr.family, AF_INET6);
	assert_int_equal(r->routes[2].to_pos.line, 18);
	assert_int_equal(r->routes[2].to_pos.col, 14);
	assert_true(t->forwards[0].has_host_addr);
	assert_addr(&t->forwards[0].host_addr, "127.0.0.1");
	assert_int_equal(t->forwards[0].host_addr_pos.line, 25);
	assert_int_equal(t->forwards[0].host_addr_pos.col, 42);
	topology_free(t);
}

/* Caps too large to commit as files. */
static void generated(void **state)
{
	size_t len = TOPOLOGY_FILE_MAX + 1;
	char *big = malloc(len);
	char want[128];

	(void)state;
	assert_non_null(big);
	memset(big, '#', len);
	snprintf(want, sizeof(want), "huge.yaml:1:1: file too large (%zu bytes, at most %d)", len,
		 TOPOLOGY_FILE_MAX);
	parse_fails("huge.yaml", big, len, want);
	free(big);

	parse_fails("nul.yaml", "name: a\0b\n", 10, "nul.yaml:1:8: binary data (NUL byte)");
	parse_fails("q.yaml", "name: \"a\\0b\"\n", 13, "q.yaml:1:8: name: NUL in a string");
	parse_fails("-.yaml", "bridges: {}\n", 12,
		    "-.yaml:1:1: name: no 'name' given and the file name gives none: "
		    "topology name '-': must not start with '-'");
}

/* Many forwards: the conflict check must stay fast at the cap. */
static void many_forwards(void **state)
{
	size_t n = TOPOLOGY_FORWARD_PORTS_MAX, cap = n * 48 + 256, o = 0;
	char *buf = malloc(cap);
	struct topology *t;
	struct error err = {0};
	clock_t start = clock();

	(void)state;
	assert_non_null(buf);
	o += (size_t)snprintf(buf + o, cap - o,
			      "name: many\nnamespaces:\n  a:\n    interfaces:\n"
			      "      e: {peer: a/f, address: 10.0.0.1/8}\n"
			      "forwards:\n");
	for (size_t k = 0; k < n; k++)
		o += (size_t)snprintf(buf + o, cap - o, "  - {port: %zu, to: 'a:1'}\n",
				      k % 2 ? 65535 - k / 2 : k / 2 + 1);
	assert_int_equal(topology_parse("many.yaml", buf, o, &t, &err), 0);
	assert_int_equal(t->n_forwards, n);
	topology_free(t);
	assert_true((double)(clock() - start) / CLOCKS_PER_SEC < 2.0);
	free(buf);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void bad_corpus(void **state)
{
	DIR *d = opendir(BAD_DIR);
	struct dirent *de;
	char *names[512];
	size_t n = 0;

	(void)state;
	assert_non_null(d);
	while ((de = readdir(d)) && n < ARRAY_SIZE(names)) {
		size_t l = strlen(de->d_name);

		if (l > 5 && strcmp(de->d_name + l - 5, ".yaml") == 0)
			names[n++] = strdup(de->d_name);
	}
	closedir(d);
	assert_true(n >= 150);
	qsort(names, n, sizeof(*names), name_cmp);
	for (size_t k = 0; k < n; k++) {
		char path[1024], want_path[1024];
		size_t len, wlen;
		char *text, *want;
		struct timespec t0, t1;
		double secs;

		snprintf(path, sizeof(path), "%s/%s", BAD_DIR, names[k]);
		snprintf(want_path, sizeof(want_path), "%s/%.*s.err", BAD_DIR,
			 (int)strlen(names[k]) - 5, names[k]);
		text = slurp(path, &len);
		want = slurp(want_path, &wlen);
		if (!text || !want)
			fail_msg("%s: cannot read it or its .err", names[k]);
		if (wlen && want[wlen - 1] == '\n')
			want[wlen - 1] = '\0';
		if (strchr(want, '\n'))
			fail_msg("%s: the .err must be one line", names[k]);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		parse_fails(names[k], text, len, want);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		if (secs >= 1.0)
			fail_msg("%s: took %.2f s", names[k], secs);
		free(text);
		free(want);
		free(names[k]);
	}
	print_message("# %zu bad files checked\n", n);
}

static void examples(void **state)
{
	static const char *const files[] = {"tutorial.yaml", "tutorial-direct.yaml"};

	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(files); k++) {
		char path[1024];
		size_t len;
		char *text;
		struct topology *t = NULL;
		struct error err = {0};

		snprintf(path, sizeof(path), "%s/%s", EXAMPLES_DIR, files[k]);
		text = slurp(path, &len);
		assert_non_null(text);
		if (topology_parse(files[k], text, len, &t, &err) < 0)
			fail_msg("%s: %s", files[k], err.msg);
		assert_string_equal(t->name, "tutorial");
		assert_int_equal(t->n_namespaces, 2);
		topology_free(t);
		free(text);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tutorial_model), cmocka_unit_test(direct_cable),
		cmocka_unit_test(defaults),	  cmocka_unit_test(ipv6),
		cmocka_unit_test(ovs_keys),
		cmocka_unit_test(ranges),
		cmocka_unit_test(ns_target_families),	  cmocka_unit_test(meaning_keys),
		cmocka_unit_test(generated),	  cmocka_unit_test(many_forwards),
		cmocka_unit_test(bad_corpus),	  cmocka_unit_test(examples),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
