// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nsnet demo: the tutorial that started the project, live. The process first
 * moves into a sandbox of its own (src/sys/sandbox.c), then builds the
 * tutorial's network step by step with the same engine as `up`, each step's
 * topology a complete file, shown beside the ip/iptables commands the tutorial
 * types; every step is verified with real traffic, then the whole network gets
 * the `check` matrix, a port forward is used from the simulated LAN, and
 * `down` removes it all. Exit 0 only when every probe passed.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "core/check.h"
#include "core/macro.h"
#include "core/plan.h"
#include "sys/engine.h"
#include "sys/netns.h"
#include "sys/nsctx.h"
#include "sys/probe.h"
#include "sys/rtnl.h"
#include "sys/sandbox.h"

#define PROBE_TIMEOUT_MS CHECK_TIMEOUT_MS

struct demo {
	const char *bold, *ok, *bad, *dim, *off;
	unsigned failed;
	unsigned passed;
};

enum step_extra {
	EXTRA_NONE,
	EXTRA_LOOK_INSIDE, /* ip -n red link */
	EXTRA_ARP,	   /* ip -n red neigh, after the ping */
	EXTRA_HOST,	   /* the host reaches the namespaces through its bridge address */
	EXTRA_NAT_SEEN,	   /* the LAN sees the host's address */
	EXTRA_FORWARD,	   /* the LAN reaches blue's server through the host's port 80 */
};

struct step {
	const char *title;
	const char *why;
	const char *tutorial; /* the tutorial's commands, one per line */
	const char *yaml;     /* the whole topology at this step */
	enum step_extra extra;
};

#define NAMESPACES_YAML "name: tutorial\nnamespaces:\n  red: {}\n  blue: {}\n"

#define CABLE_YAML                                                                                 \
	"name: tutorial\nnamespaces:\n"                                                            \
	"  red:\n    interfaces:\n"                                                                \
	"      veth-red: {peer: blue/veth-blue, address: 192.168.15.1/24}\n"                       \
	"  blue:\n    interfaces:\n"                                                               \
	"      veth-blue: {peer: red/veth-red, address: 192.168.15.2/24}\n"

#define BRIDGE_YAML(nat, red_routes, blue_routes, rest)                                            \
	"name: tutorial\nbridges:\n  v-net-0: {address: 192.168.15.5/24" nat "}\nnamespaces:\n"   \
	"  red:\n    interfaces:\n"                                                                \
	"      veth-red: {bridge: v-net-0, host-end: veth-red-br, address: 192.168.15.1/24}\n"    \
	red_routes "  blue:\n    interfaces:\n"                                                    \
		   "      veth-blue: {bridge: v-net-0, host-end: veth-blue-br, address: "          \
		   "192.168.15.2/24}\n" blue_routes rest

#define RED_ROUTES "    routes:\n      - {to: default, via: 192.168.15.5}\n"
#define BLUE_ROUTES                                                                                \
	"    routes:\n      - {to: 192.168.1.0/24, via: 192.168.15.5}\n"                           \
	"      - {to: default, via: 192.168.15.5}\n"

static const struct step steps[] = {
	{
		"named network namespaces",
		"Two empty namespaces: each its own interfaces, routes and firewall.",
		"ip netns add red\nip netns add blue\nip -n red link",
		NAMESPACES_YAML,
		EXTRA_LOOK_INSIDE,
	},
	{
		"a veth cable between red and blue",
		"A veth pair is a cable: what goes in one end comes out of the other.",
		"ip link add veth-red type veth peer name veth-blue\n"
		"ip link set veth-red netns red\nip link set veth-blue netns blue\n"
		"ip -n red addr add 192.168.15.1/24 dev veth-red\n"
		"ip -n blue addr add 192.168.15.2/24 dev veth-blue\n"
		"ip -n red link set veth-red up\nip -n blue link set veth-blue up\n"
		"ip netns exec red ping 192.168.15.2\nip netns exec red arp",
		CABLE_YAML,
		EXTRA_ARP,
	},
	{
		"a bridge v-net-0 as a virtual switch; the host joins it as 192.168.15.5",
		"The cable is replaced by a port on the bridge for each namespace (the namespaces "
		"stay);\nthe bridge's address makes the host their neighbour and gateway.",
		"ip -n red link del veth-red\n"
		"ip link add v-net-0 type bridge\nip link set dev v-net-0 up\n"
		"ip link add veth-red type veth peer name veth-red-br\n"
		"ip link add veth-blue type veth peer name veth-blue-br\n"
		"ip link set veth-red netns red\nip link set veth-red-br master v-net-0\n"
		"ip link set veth-blue netns blue\nip link set veth-blue-br master v-net-0\n"
		"ip -n red addr add 192.168.15.1/24 dev veth-red\n"
		"ip -n blue addr add 192.168.15.2/24 dev veth-blue\n"
		"ip -n red link set veth-red up\nip -n blue link set veth-blue up\n"
		"ip link set veth-red-br up\nip link set veth-blue-br up\n"
		"ip addr add 192.168.15.5/24 dev v-net-0",
		BRIDGE_YAML("", "", "", ""),
		EXTRA_HOST,
	},
	{
		"routes to the outside LAN through the host",
		"blue routes 192.168.1.0/24 (the LAN behind the host's eth0) via the host. The ping\n"
		"goes out, but the LAN has no route back to 192.168.15.0/24: no answer, as the\n"
		"tutorial finds. The next step fixes it.",
		"ip netns exec blue ip route add 192.168.1.0/24 via 192.168.15.5\n"
		"ip netns exec blue ip route add default via 192.168.15.5\n"
		"ip netns exec red ip route add default via 192.168.15.5\n"
		"echo 1 > /proc/sys/net/ipv4/ip_forward\nip netns exec blue ping 192.168.1.3",
		BRIDGE_YAML("", RED_ROUTES, BLUE_ROUTES,
			    "checks:\n  - {from: blue, to: 192.168.1.3, expect: blocked}\n"),
		EXTRA_NONE,
	},
	{
		"NAT: namespaces reach the outside as the host",
		"Masquerade rewrites 192.168.15.0/24 to the host's address on the way out.",
		"iptables -t nat -A POSTROUTING -s 192.168.15.0/24 -j MASQUERADE",
		BRIDGE_YAML(", nat: true", RED_ROUTES, BLUE_ROUTES,
			    "checks:\n  - {from: blue, to: 192.168.1.3}\n"),
		EXTRA_NAT_SEEN,
	},
	{
		"port forwarding: the host's port 80 to blue's 80",
		"DNAT sends connections to the host's port 80 on to 192.168.15.2:80; the server sees "
		"the real client.",
		"iptables -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination "
		"192.168.15.2:80",
		BRIDGE_YAML(", nat: true", RED_ROUTES, BLUE_ROUTES,
			    "forwards:\n  - {port: 80, to: 192.168.15.2:80}\n"
			    "checks:\n  - {from: blue, to: 192.168.1.3}\n"
			    "  - {from: red, to: 192.168.1.3}\n"),
		EXTRA_FORWARD,
	},
};

static const struct sandbox_lan lan = {
	.ns = "lan",
	.host_addr = {{AF_INET, {.bytes = {192, 168, 1, 2}}}, 24},
	.lan_addr = {{AF_INET, {.bytes = {192, 168, 1, 3}}}, 24},
};

static void verdict(struct demo *d, bool ok, const char *fmt, ...) _printf_(3, 4);

static void verdict(struct demo *d, bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("      %s%-4s%s ", ok ? d->ok : d->bad, ok ? "ok" : "FAIL", d->off);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (ok)
		d->passed++;
	else
		d->failed++;
}

static void print_indented(const char *indent, const char *text)
{
	const char *s = text, *nl;

	while (*s) {
		nl = strchr(s, '\n');
		printf("%s%.*s\n", indent, (int)(nl ? nl - s : (ptrdiff_t)strlen(s)), s);
		if (!nl)
			break;
		s = nl + 1;
	}
}

static void print_lines(const char *text)
{
	print_indented("   ", text);
}

static void print_block(const struct demo *d, const char *label, const char *text)
{
	printf("   %s%s%s\n", d->dim, label, d->off);
	print_indented("      ", text);
}

static void print_action(const struct action *a, void *data)
{
	char line[512];

	(void)data;
	action_describe(a, line, sizeof(line));
	printf("      %s\n", line);
}

static void print_warning(const char *msg, void *data)
{
	(void)data;
	printf("      warning: %s\n", msg);
}

static void probes_print(struct demo *d, const struct check_list *l)
{
	char line[512];

	for (size_t i = 0; i < l->n; i++) {
		const struct check_probe *p = &l->v[i];

		check_probe_describe(p, line, sizeof(line));
		verdict(d, check_probe_ok(p), "%s: %s%s", line, check_result_name(p->result),
			p->self_listened ? " (nsnet listened at the target)" : "");
	}
}

/* Probes l for real and prints each probe's verdict. */
static int probe_and_print(struct demo *d, struct check_list *l)
{
	struct error err = {0};

	if (probe_run(l, PROBE_TIMEOUT_MS, &err) < 0)
		return cli_fail(&err);
	probes_print(d, l);
	return 0;
}

/* `ip -n NS link` or `ip -n NS neigh`, from nsnet's own netlink reading. */
static void look_inside(struct demo *d, const char *ns, bool neigh)
{
	_cleanup_(nsctx_freep) struct nsctx *c = NULL;
	_cleanup_(netstate_freep) struct netstate *st = netstate_new();
	struct nl_sock *s;
	struct error err = {0};
	char a[INET_STR_MAX], mac[3 * LLADDR_MAX];

	if (!st || nsctx_new(&c, &err) < 0 || nsctx_get(c, ns, &s, NULL, &err) < 0 ||
	    nl_observe(s, st, NL_OBSERVE_ALL, &err) < 0) {
		verdict(d, false, "read '%s': %s", ns, err.msg);
		return;
	}
	printf("   %snsnet show %s%s\n", d->dim, ns, d->off);
	if (!neigh) {
		for (size_t i = 0; i < st->n_links; i++)
			printf("      %s: %s mtu %u\n", st->links[i].name,
			       st->links[i].flags & 1 ? "UP" : "DOWN", st->links[i].mtu);
		return;
	}
	for (size_t i = 0; i < st->n_neighs; i++) {
		inet_addr_format(&st->neighs[i].dst, a, sizeof(a));
		mac_format(st->neighs[i].lladdr, st->neighs[i].lladdr_len, mac, sizeof(mac));
		printf("      %s lladdr %s\n", a, mac);
	}
	verdict(d, st->n_neighs > 0, "red learnt blue's MAC address by ARP");
}

static void tcp_seen(struct demo *d, const char *what, const char *from, const char *to,
		     uint16_t port, const char *at_ns, const char *at, const char *want)
{
	struct inet_addr ta, la;
	struct error err = {0};
	char seen[INET_STR_MAX];

	inet_addr_parse(to, &ta, NULL);
	inet_addr_parse(at, &la, NULL);
	if (probe_tcp_seen(from, &ta, port, at_ns, &la, port, PROBE_TIMEOUT_MS, seen, sizeof(seen),
			   &err) < 0) {
		verdict(d, false, "%s: %s", what, err.msg);
		return;
	}
	verdict(d, strcmp(seen, want) == 0, "%s: the server in '%s' sees %s", what, at_ns,
		seen[0] ? seen : "nothing");
}

static void extra(struct demo *d, enum step_extra x)
{
	struct check_list l = {0};
	struct inet_addr a;

	switch (x) {
	case EXTRA_NONE:
		return;
	case EXTRA_LOOK_INSIDE:
		look_inside(d, "red", false);
		return;
	case EXTRA_ARP:
		look_inside(d, "red", true);
		return;
	case EXTRA_HOST:
		inet_addr_parse("192.168.15.1", &a, NULL);
		check_list_add(&l, "", "red", &a, NULL);
		inet_addr_parse("192.168.15.2", &a, NULL);
		check_list_add(&l, "", "blue", &a, NULL);
		probe_and_print(d, &l);
		check_list_clear(&l);
		return;
	case EXTRA_NAT_SEEN:
		tcp_seen(d, "blue -> lan 192.168.1.3:8080", "blue", "192.168.1.3", 8080, "lan",
			 "192.168.1.3", "192.168.1.2");
		return;
	case EXTRA_FORWARD:
		tcp_seen(d, "lan -> host 192.168.1.2:80", "lan", "192.168.1.2", 80, "blue",
			 "192.168.15.2", "192.168.1.3");
		return;
	}
}

static int step_run(struct demo *d, size_t n, const struct step *st)
{
	_cleanup_(topology_freep) struct topology *t = NULL;
	struct engine_opts o = {.progress = print_action, .warn = print_warning};
	struct engine_result res = {0};
	struct check_list l = {0};
	struct error err = {0};
	char label[32];
	int r;

	printf("\n%s== %zu. %s%s\n", d->bold, n, st->title, d->off);
	print_lines(st->why);
	print_block(d, "the tutorial types:", st->tutorial);
	snprintf(label, sizeof(label), "step-%zu.yaml", n);
	r = topology_parse(label, st->yaml, strlen(st->yaml), &t, &err);
	if (r < 0)
		return cli_fail(&err);
	print_block(d, "nsnet is given this file (nsnet up FILE):", st->yaml);
	printf("   %snsnet did (netlink and one nft transaction; no ip, no iptables):%s\n", d->dim,
	       d->off);
	r = engine_up(t, NULL, &o, &res, &err);
	engine_result_clear(&res);
	if (r < 0) {
		verdict(d, false, "up: %s", err.msg);
		return -1;
	}
	if (check_list_build(t, NULL, 0, &l, &err) < 0)
		return cli_fail(&err);
	if (l.n || st->extra == EXTRA_HOST)
		printf("   %sverified with real traffic:%s\n", d->dim, d->off);
	if (l.n)
		probe_and_print(d, &l);
	check_list_clear(&l);
	extra(d, st->extra);
	return 0;
}

/* The `check` of the finished network, as `nsnet check` prints it. */
static void final_check(struct demo *d)
{
	_cleanup_(topology_freep) struct topology *t = NULL;
	const struct step *last = &steps[ARRAY_SIZE(steps) - 1];
	struct check_list l = {0};
	struct error err = {0};
	struct timespec a, b;

	printf("\n%s== nsnet check tutorial%s\n", d->bold, d->off);
	clock_gettime(CLOCK_MONOTONIC, &a);
	if (topology_parse("tutorial.yaml", last->yaml, strlen(last->yaml), &t, &err) < 0 ||
	    check_list_build(t, NULL, 0, &l, &err) < 0 ||
	    probe_run(&l, PROBE_TIMEOUT_MS, &err) < 0) {
		verdict(d, false, "check: %s", err.msg);
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	cli_check_print(t, &l,
			(double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9, false);
	for (size_t i = 0; i < l.n; i++)
		if (check_probe_ok(&l.v[i]))
			d->passed++;
		else
			d->failed++;
	check_list_clear(&l);
}

/* After down: the sandbox's host has nothing but lo. */
static void host_links_left(struct demo *d)
{
	_cleanup_(nsctx_freep) struct nsctx *c = NULL;
	_cleanup_(netstate_freep) struct netstate *st = netstate_new();
	struct nl_sock *s;
	struct error err = {0};

	if (!st || nsctx_new(&c, &err) < 0 || nsctx_get(c, "", &s, NULL, &err) < 0 ||
	    nl_observe(s, st, NL_OBSERVE_LINKS, &err) < 0) {
		verdict(d, false, "read the host: %s", err.msg);
		return;
	}
	verdict(d, st->n_links == 1, "links left on the sandbox's host: %zu (lo)", st->n_links - 1);
}

static void teardown(struct demo *d)
{
	struct engine_opts o = {.progress = print_action, .warn = print_warning};
	struct engine_result res = {0};
	_cleanup_free_ struct netns_entry *left = NULL;
	struct error err = {0};
	size_t n_left = 0;

	printf("\n%s== nsnet down tutorial%s\n", d->bold, d->off);
	if (engine_down("tutorial", &o, &res, &err) < 0)
		verdict(d, false, "down: %s", err.msg);
	engine_result_clear(&res);
	sandbox_lan_del(&lan);
	if (netns_list(&left, &n_left, &err) < 0)
		verdict(d, false, "list namespaces: %s", err.msg);
	else
		verdict(d, n_left == 0, "namespaces left in the sandbox: %zu", n_left);
	host_links_left(d);
}

int cmd_demo(const struct command *cmd, int argc, char **argv)
{
	struct demo d = {0};
	struct error err = {0};
	int r;

	r = cli_parse_simple(cmd, "", argc, argv, NULL, NULL, NULL, 0);
	if (r < 0)
		return r == -1 ? EXIT_OK : EXIT_USAGE;
	if (r != argc)
		return cli_usage(cmd, "unexpected argument '%s'", argv[r]);
	/* Before anything else touches the system: from here on, nothing is the machine's. */
	if (sandbox_enter(&err) < 0)
		return cli_fail(&err);
	if (cli_color()) {
		d.bold = "\033[1m";
		d.ok = "\033[32m";
		d.bad = "\033[1;31m";
		d.dim = "\033[2m";
		d.off = "\033[0m";
	} else {
		d.bold = d.ok = d.bad = d.dim = d.off = "";
	}
	printf("%snsnet demo%s: the tutorial's network, built live in a private sandbox (new\n"
	       "network and mount namespaces of this process; this machine's network, /run and\n"
	       "/etc are not touched). Outside LAN: namespace 'lan' 192.168.1.3 behind the\n"
	       "host's eth0 192.168.1.2, which is also the host's default route.\n",
	       d.bold, d.off);
	if (sandbox_lan_add(&lan, &err) < 0)
		return cli_fail(&err);
	for (size_t i = 0; i < ARRAY_SIZE(steps); i++)
		if (step_run(&d, i + 1, &steps[i]) < 0)
			break;
	if (!d.failed)
		final_check(&d);
	teardown(&d);
	printf("\n%s%s: %u checks passed, %u failed%s\n", d.failed ? d.bad : d.ok,
	       d.failed ? "demo FAILED" : "demo passed", d.passed, d.failed, d.off);
	return d.failed ? EXIT_FAIL : EXIT_OK;
}
