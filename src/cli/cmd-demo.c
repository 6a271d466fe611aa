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

#include <jansson.h>

#include "cli.h"

#define PROBE_TIMEOUT_MS NSNET_CHECK_TIMEOUT_DEFAULT
#define LAN_NS "lan"

struct demo {
	struct nsnet_ctx *c;
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
	EXTRA_DUAL,	   /* NAT66 seen by the LAN, the forward over IPv6 */
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

/* examples/tutorial-dual.yaml without its comments (demo.bats compares the two). */
#define DUAL_YAML                                                                                  \
	"name: tutorial\n"                                                                          \
	"bridges:\n"                                                                                \
	"  v-net-0: {addresses: [192.168.15.5/24, \"fd00:15::5/64\"], nat: true}\n"                 \
	"namespaces:\n"                                                                             \
	"  red:\n"                                                                                  \
	"    interfaces:\n"                                                                         \
	"      veth-red: {bridge: v-net-0, host-end: veth-red-br, addresses: [192.168.15.1/24, "    \
	"\"fd00:15::1/64\"]}\n"                                                                     \
	"    routes: [{to: default, via: 192.168.15.5}, {to: \"::/0\", via: \"fd00:15::5\"}]\n"      \
	"  blue:\n"                                                                                 \
	"    interfaces:\n"                                                                         \
	"      veth-blue: {bridge: v-net-0, host-end: veth-blue-br, addresses: [192.168.15.2/24, "  \
	"\"fd00:15::2/64\"]}\n"                                                                     \
	"    routes: [{to: default, via: 192.168.15.5}, {to: \"::/0\", via: \"fd00:15::5\"}]\n"      \
	"forwards:\n"                                                                               \
	"  - {port: 80, to: blue:80}      # both families: blue's IPv4 and IPv6 address\n"

/* `nsnet demo --dual-stack`: the tutorial's finished network in both families, in one step. */
static const struct step dual_step = {
	"both families: the tutorial's network in IPv4 and IPv6",
	"Every address gets an IPv6 twin (a ULA prefix). The host forwards IPv6 only where it\n"
	"must: force_forwarding on v-net-0 and on its uplink eth0, never all.forwarding, which\n"
	"would cost the host the default route it learnt from router advertisements. NAT66\n"
	"masquerades the ULA prefix; 'to: blue:80' forwards to blue in either family.",
	"ip -6 addr add fd00:15::5/64 dev v-net-0\n"
	"ip -n red -6 addr add fd00:15::1/64 dev veth-red\n"
	"ip -n blue -6 addr add fd00:15::2/64 dev veth-blue\n"
	"ip -n red -6 route add default via fd00:15::5\n"
	"ip -n blue -6 route add default via fd00:15::5\n"
	"sysctl -w net.ipv6.conf.v-net-0.force_forwarding=1 "
	"net.ipv6.conf.eth0.force_forwarding=1\n"
	"ip6tables -t nat -A POSTROUTING -s fd00:15::/64 -j MASQUERADE\n"
	"ip6tables -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination [fd00:15::2]:80",
	DUAL_YAML,
	EXTRA_DUAL,
};

static void verdict(struct demo *d, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

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

static void print_action(const struct nsnet_action *a, void *data)
{
	(void)data;
	printf("      %s\n", a->description);
}

static void print_warning(const char *msg, void *data)
{
	(void)data;
	printf("      warning: %s\n", msg);
}

/* Probes k for real and prints each probe's verdict. */
static int probe_and_print(struct demo *d, struct nsnet_check *k)
{
	struct nsnet_error err = {0};

	if (nsnet_check_run(d->c, k, PROBE_TIMEOUT_MS, &err) < 0)
		return cli_fail(&err);
	for (size_t i = 0; i < nsnet_check_count(k); i++) {
		const struct nsnet_probe *p = nsnet_check_probe(k, i);

		verdict(d, p->ok, "%s: %s%s", p->line, p->result,
			p->self_listened ? " (nsnet listened at the target)" : "");
	}
	return 0;
}

/* What `nsnet show NS --json` says of ns, parsed; NULL (a FAIL printed) if it cannot. */
static json_t *show(struct demo *d, const char *ns)
{
	struct nsnet_error err = {0};
	char *text = NULL;
	json_t *o;

	if (nsnet_show_json(d->c, ns, &text, &err) < 0) {
		verdict(d, false, "read '%s': %s", ns ? ns : "the host", err.msg);
		return NULL;
	}
	o = json_loads(text, 0, NULL);
	free(text);
	if (!o)
		verdict(d, false, "read '%s': unreadable", ns ? ns : "the host");
	return o;
}

/* `ip -n NS link` or `ip -n NS neigh`, from nsnet's own netlink reading. */
static void look_inside(struct demo *d, const char *ns, bool neigh)
{
	json_t *o = show(d, ns), *v;
	size_t i;

	if (!o)
		return;
	printf("   %snsnet show %s%s\n", d->dim, ns, d->off);
	if (!neigh) {
		json_array_foreach(json_object_get(o, "links"), i, v)
			printf("      %s: %s mtu %d\n",
			       json_string_value(json_object_get(v, "name")),
			       json_is_true(json_object_get(v, "up")) ? "UP" : "DOWN",
			       (int)json_integer_value(json_object_get(v, "mtu")));
	} else {
		json_array_foreach(json_object_get(o, "neighbours"), i, v)
			printf("      %s lladdr %s\n", json_string_value(json_object_get(v, "dst")),
			       json_string_value(json_object_get(v, "lladdr")));
		verdict(d, json_array_size(json_object_get(o, "neighbours")) > 0,
			"red learnt blue's MAC address by ARP");
	}
	json_decref(o);
}

static void tcp_seen(struct demo *d, const char *what, const char *from, const char *to,
		     unsigned port, const char *at_ns, const char *at, const char *want)
{
	struct nsnet_error err = {0};
	char seen[64];

	/* Twice the probes' wait: a first IPv6 neighbour discovery may need its retry. */
	if (nsnet_tcp_seen(d->c, from, to, port, at_ns, at, port, 2 * PROBE_TIMEOUT_MS, seen,
			   sizeof(seen), &err) < 0) {
		verdict(d, false, "%s: %s", what, err.msg);
		return;
	}
	verdict(d, strcmp(seen, want) == 0, "%s: the server in '%s' sees %s", what, at_ns,
		seen[0] ? seen : "nothing");
}

static void extra(struct demo *d, enum step_extra x)
{
	struct nsnet_check *k = NULL;

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
		if (nsnet_check_new(d->c, NULL, 0, &k, NULL) >= 0 &&
		    nsnet_check_add(k, NULL, "red", "192.168.15.1", 0, NULL) >= 0 &&
		    nsnet_check_add(k, NULL, "blue", "192.168.15.2", 0, NULL) >= 0)
			probe_and_print(d, k);
		else
			verdict(d, false, "the host's probes: out of memory");
		nsnet_check_free(k);
		return;
	case EXTRA_NAT_SEEN:
		tcp_seen(d, "blue -> lan 192.168.1.3:8080", "blue", "192.168.1.3", 8080, LAN_NS,
			 "192.168.1.3", "192.168.1.2");
		return;
	case EXTRA_FORWARD:
		tcp_seen(d, "lan -> host 192.168.1.2:80", LAN_NS, "192.168.1.2", 80, "blue",
			 "192.168.15.2", "192.168.1.3");
		return;
	case EXTRA_DUAL:
		tcp_seen(d, "blue -> lan [2001:db8:1::3]:8080 (NAT66)", "blue", "2001:db8:1::3",
			 8080, LAN_NS, "2001:db8:1::3", "2001:db8:1::2");
		tcp_seen(d, "lan -> host [2001:db8:1::2]:80 (the forward over IPv6)", LAN_NS,
			 "2001:db8:1::2", 80, "blue", "fd00:15::2", "2001:db8:1::3");
		return;
	}
}

static int step_run(struct demo *d, size_t n, const struct step *st)
{
	_cleanup_topology_ struct nsnet_topology *t = NULL;
	struct nsnet_result *res = NULL;
	struct nsnet_check *k = NULL;
	struct nsnet_error err = {0};
	char label[32];
	int r;

	printf("\n%s== %zu. %s%s\n", d->bold, n, st->title, d->off);
	print_lines(st->why);
	print_block(d, "the tutorial types:", st->tutorial);
	snprintf(label, sizeof(label), "step-%zu.yaml", n);
	if (nsnet_topology_load_buffer(label, st->yaml, strlen(st->yaml), &t, &err) < 0)
		return cli_fail(&err);
	print_block(d, "nsnet is given this file (nsnet up FILE):", st->yaml);
	printf("   %snsnet did (netlink and one nft transaction; no ip, no iptables):%s\n", d->dim,
	       d->off);
	r = nsnet_up(d->c, t, 0, &res, &err);
	nsnet_result_free(res);
	if (r < 0) {
		verdict(d, false, "up: %s", err.msg);
		return -1;
	}
	if (nsnet_check_new(d->c, t, NSNET_CHECK_ALONE, &k, &err) < 0)
		return cli_fail(&err);
	if (nsnet_check_count(k) || st->extra == EXTRA_HOST)
		printf("   %sverified with real traffic:%s\n", d->dim, d->off);
	if (nsnet_check_count(k))
		probe_and_print(d, k);
	nsnet_check_free(k);
	extra(d, st->extra);
	return 0;
}

/* The `check` of the finished network (last), as `nsnet check` prints it. */
static void final_check(struct demo *d, const struct step *last)
{
	_cleanup_topology_ struct nsnet_topology *t = NULL;
	struct nsnet_check *k = NULL;
	struct nsnet_error err = {0};

	printf("\n%s== nsnet check tutorial%s\n", d->bold, d->off);
	if (nsnet_topology_load_buffer("tutorial.yaml", last->yaml, strlen(last->yaml), &t, &err) <
		    0 ||
	    nsnet_check(d->c, t, NSNET_CHECK_ALONE, PROBE_TIMEOUT_MS, &k, &err) < 0) {
		verdict(d, false, "check: %s", err.msg);
		return;
	}
	cli_check_print(k, "tutorial", false);
	for (size_t i = 0; i < nsnet_check_count(k); i++)
		if (nsnet_check_probe(k, i)->ok)
			d->passed++;
		else
			d->failed++;
	nsnet_check_free(k);
}

/* After down: the sandbox's host has nothing but lo. */
static void host_links_left(struct demo *d)
{
	json_t *o = show(d, NULL);
	size_t n;

	if (!o)
		return;
	n = json_array_size(json_object_get(o, "links"));
	verdict(d, n == 1, "links left on the sandbox's host: %zu (lo)", n - 1);
	json_decref(o);
}

static void teardown(struct demo *d)
{
	_cleanup_free_ struct nsnet_ns_entry *left = NULL;
	struct nsnet_result *res = NULL;
	struct nsnet_error err = {0};
	size_t n_left = 0;

	printf("\n%s== nsnet down tutorial%s\n", d->bold, d->off);
	if (nsnet_down(d->c, "tutorial", 0, &res, &err) < 0)
		verdict(d, false, "down: %s", err.msg);
	nsnet_result_free(res);
	nsnet_sandbox_lan_del(d->c, LAN_NS);
	if (nsnet_ns_list(d->c, &left, &n_left, &err) < 0)
		verdict(d, false, "list namespaces: %s", err.msg);
	else
		verdict(d, n_left == 0, "namespaces left in the sandbox: %zu", n_left);
	host_links_left(d);
}

int cmd_demo(const struct command *cmd, int argc, char **argv)
{
	_cleanup_ctx_ struct nsnet_ctx *c = NULL;
	struct nsnet_error err = {0};
	struct demo d = {0};
	struct cli_args a;
	bool dual;
	int r;

	if ((r = cli_parse(cmd, argc, argv, &a)) >= 0)
		return r;
	dual = cli_flag(cmd, &a, "dual-stack");
	if (a.n)
		return cli_usage(cmd, "unexpected argument '%s'", argv[a.first]);
	/* Before anything else touches the system: from here on, nothing is the machine's. */
	if (nsnet_sandbox_enter(&err) < 0 || nsnet_ctx_new(&c, &err) < 0)
		return cli_fail(&err);
	d.c = c;
	nsnet_ctx_set_callbacks(c, print_warning, NULL, print_action, &d);
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
	       "/etc are not touched). Outside LAN: namespace 'lan' 192.168.1.3%s behind the\n"
	       "host's eth0 192.168.1.2%s, which is also the host's default route.\n",
	       d.bold, d.off, dual ? " 2001:db8:1::3" : "", dual ? " 2001:db8:1::2" : "");
	if (nsnet_sandbox_lan_add(c, LAN_NS, "192.168.1.2/24", "192.168.1.3/24", &err) < 0 ||
	    (dual && nsnet_sandbox_lan_add_address(c, LAN_NS, "2001:db8:1::2/64",
						   "2001:db8:1::3/64", &err) < 0))
		return cli_fail(&err);
	if (dual) {
		if (step_run(&d, 1, &dual_step) >= 0 && !d.failed)
			final_check(&d, &dual_step);
	} else {
		for (size_t i = 0; i < ARRAY_SIZE(steps); i++)
			if (step_run(&d, i + 1, &steps[i]) < 0)
				break;
		if (!d.failed)
			final_check(&d, &steps[ARRAY_SIZE(steps) - 1]);
	}
	teardown(&d);
	printf("\n%s%s: %u checks passed, %u failed%s\n", d.failed ? d.bad : d.ok,
	       d.failed ? "demo FAILED" : "demo passed", d.passed, d.failed, d.off);
	return d.failed ? EXIT_FAIL : EXIT_OK;
}
