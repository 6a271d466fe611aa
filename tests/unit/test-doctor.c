// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The checks of `nsnet doctor` on facts built by hand: the tutorial up on a
 * host with an uplink eth0 (192.168.1.2/24, default route via 192.168.1.3),
 * clean, then one fault at a time. Facts no test may produce on a real
 * machine (br_netfilter, which is global) are only tested here. Every fix
 * with hostile names (of tables, chains, interfaces) is given to a real
 * shell (shell-oracle.h): it must run exactly the intended commands.
 */
#include <arpa/inet.h>
#include <linux/rtnetlink.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <linux/if.h>

#include "core/doctor.h"
#include "core/topology.h"
#include "shell-oracle.h"

enum { LO = 1, ETH0, BR, RED_BR, BLUE_BR };

static struct topology *load(const char *name)
{
	char path[512];
	struct topology *t = NULL;
	struct error err = {0};
	static char buf[65536];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", EXAMPLES_DIR, name);
	f = fopen(path, "rb");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if (topology_parse(path, buf, n, &t, &err) < 0)
		fail_msg("%s", err.msg);
	return t;
}

static struct ns_link *link_add(struct netstate *st, int ifindex, const char *name,
				const char *kind, int master, const char *alias)
{
	struct ns_link *l = netstate_add_link(st);

	assert_non_null(l);
	l->ifindex = ifindex;
	snprintf(l->name, sizeof(l->name), "%s", name);
	snprintf(l->kind, sizeof(l->kind), "%s", kind);
	snprintf(l->alias, sizeof(l->alias), "%s", alias);
	l->master = master;
	l->mtu = ifindex == LO ? 65536 : 1500;
	return l;
}

static void peer(struct ns_link *l, const char *ns, const char *name, bool in_host)
{
	snprintf(l->peer_netns, sizeof(l->peer_netns), "%s", ns);
	snprintf(l->peer_name, sizeof(l->peer_name), "%s", name);
	l->peer_in_host = in_host;
	l->peer_resolved = true;
}

static struct ns_route *route_add(struct netstate *st, const char *dst, int oif, const char *gw,
				  uint8_t protocol)
{
	struct ns_route *r = netstate_add_route(st);

	assert_non_null(r);
	assert_int_equal(inet_route_dst_parse(dst, AF_INET, &r->dst, NULL), 0);
	if (gw)
		assert_int_equal(inet_addr_parse(gw, &r->gateway, NULL), 0);
	r->oif = oif;
	r->table = RT_TABLE_MAIN;
	r->protocol = protocol;
	r->type = RTN_UNICAST;
	return r;
}

static void addr_add(struct netstate *st, int ifindex, const char *prefix)
{
	struct ns_addr *a = netstate_add_addr(st);

	assert_non_null(a);
	a->ifindex = ifindex;
	assert_int_equal(inet_prefix_parse(prefix, &a->prefix, NULL), 0);
}

/* The host with the tutorial up. */
static struct netstate *host_new(void)
{
	struct netstate *st = netstate_new();

	assert_non_null(st);
	link_add(st, LO, "lo", "", 0, "");
	link_add(st, ETH0, "eth0", "veth", 0, "");
	link_add(st, BR, "v-net-0", "bridge", 0, "nsnet:tutorial");
	peer(link_add(st, RED_BR, "veth-red-br", "veth", BR, "nsnet:tutorial"), "red", "veth-red",
	     false);
	peer(link_add(st, BLUE_BR, "veth-blue-br", "veth", BR, "nsnet:tutorial"), "blue",
	     "veth-blue", false);
	addr_add(st, ETH0, "192.168.1.2/24");
	addr_add(st, BR, "192.168.15.5/24");
	route_add(st, "192.168.1.0/24", ETH0, NULL, RTPROT_KERNEL);
	route_add(st, "default", ETH0, "192.168.1.3", RTPROT_BOOT);
	route_add(st, "192.168.15.0/24", BR, NULL, RTPROT_KERNEL);
	return st;
}

static struct netstate *ns_new(const char *iface, const char *addr)
{
	struct netstate *st = netstate_new();

	assert_non_null(st);
	link_add(st, LO, "lo", "", 0, "nsnet:tutorial");
	peer(link_add(st, 2, iface, "veth", 0, "nsnet:tutorial"), "", iface, true);
	addr_add(st, 2, addr);
	return st;
}

struct fixture {
	struct topology *t;
	struct doctor_topo topo;
	struct doctor_facts f;
	struct doctor_report rep;
};

static struct fixture *fixture_new(const char *example)
{
	struct fixture *x = calloc(1, sizeof(*x));
	struct world *w = calloc(1, sizeof(*w));

	assert_non_null(x);
	assert_non_null(w);
	x->t = load(example);
	snprintf(x->topo.name, sizeof(x->topo.name), "tutorial");
	x->topo.want = x->t;
	x->topo.have = w;
	w->host = host_new();
	w->ns = calloc(2, sizeof(*w->ns));
	assert_non_null(w->ns);
	w->n_ns = 2;
	/* Sorted by name, as world_observe leaves them (world_ns_find bisects). */
	snprintf(w->ns[0].name, sizeof(w->ns[0].name), "blue");
	snprintf(w->ns[1].name, sizeof(w->ns[1].name), "red");
	for (size_t i = 0; i < 2; i++) {
		w->ns[i].marked = true;
		snprintf(w->ns[i].owner, sizeof(w->ns[i].owner), "tutorial");
	}
	w->ns[0].st = ns_new("veth-blue", "192.168.15.2/24");
	w->ns[1].st = ns_new("veth-red", "192.168.15.1/24");
	w->fw_exists = true;
	w->ip_forward = 1;
	x->f.ip_forward = 1;
	x->f.rp_filter_all = 0;
	x->f.bridge_nf_ip4 = -1;
	x->f.bridge_nf_ip6 = -1;
	x->f.host = host_new();
	x->f.topos = &x->topo;
	x->f.n_topos = 1;
	return x;
}

static void fixture_free(struct fixture *x)
{
	doctor_report_clear(&x->rep);
	world_free(x->topo.have);
	netstate_free(x->f.host);
	topology_free(x->t);
	free(x->f.drop_chains);
	free(x->f.rp_filter);
	free(x);
}

/* Runs the checks; the number of findings. */
static size_t run(struct fixture *x)
{
	struct error err = {0};

	doctor_report_clear(&x->rep);
	assert_int_equal(doctor_run(&x->f, &x->rep, &err), 0);
	return x->rep.n;
}

static const struct doctor_finding *only(struct fixture *x, const char *id)
{
	assert_int_equal(run(x), 1);
	assert_string_equal(x->rep.v[0].id, id);
	return &x->rep.v[0];
}

static void add_chain(struct fixture *x, const char *family, const char *table, const char *name)
{
	struct doctor_chain *c = realloc(x->f.drop_chains, (x->f.n_drop_chains + 1) * sizeof(*c));

	assert_non_null(c);
	x->f.drop_chains = c;
	c = &c[x->f.n_drop_chains++];
	memset(c, 0, sizeof(*c));
	snprintf(c->family, sizeof(c->family), "%s", family);
	snprintf(c->table, sizeof(c->table), "%s", table);
	snprintf(c->name, sizeof(c->name), "%s", name);
}

/* The same change to both copies of the host (the world's and the facts'). */
#define BOTH_HOSTS(x, st, stmt)                             \
	do {                                                \
		struct netstate *st = (x)->topo.have->host; \
		stmt;                                       \
		st = (x)->f.host;                           \
		stmt;                                       \
	} while (0)

static void test_clean(void **state)
{
	struct fixture *x = fixture_new("tutorial.yaml");

	(void)state;
	assert_int_equal(run(x), 0);
	assert_string_equal(doctor_level_name(DOCTOR_PROBLEM), "problem");
	assert_true(doctor_topo_is_up(&x->topo));
	fixture_free(x);
}

static void test_forwarding(void **state)
{
	struct fixture *x = fixture_new("tutorial.yaml");
	const struct doctor_finding *d;
	struct world *w;

	(void)state;
	x->f.ip_forward = 0;
	d = only(x, "ip-forward-off");
	assert_int_equal(d->level, DOCTOR_PROBLEM);
	assert_non_null(strstr(d->what, "forwarding is off"));
	assert_non_null(strstr(d->why, "'tutorial'"));
	assert_non_null(strstr(d->fix, "sysctl -w net.ipv4.ip_forward=1"));
	/* Not up yet: `up` turns forwarding on, nothing to say. */
	w = x->topo.have;
	x->topo.have = NULL;
	assert_false(doctor_topo_is_up(&x->topo));
	assert_int_equal(run(x), 0);
	x->topo.have = w;
	/* The host alone: no topology needs routing now. */
	x->f.n_topos = 0;
	assert_int_equal(run(x), 0);
	fixture_free(x);
}

static void test_drop_chain(void **state)
{
	struct fixture *x = fixture_new("tutorial.yaml");
	const struct doctor_finding *d;

	(void)state;
	add_chain(x, "inet", "x", "f");
	d = only(x, "forward-drop");
	assert_int_equal(d->level, DOCTOR_PROBLEM);
	assert_string_equal(d->subject, "table inet x, chain f");
	assert_non_null(
		strstr(d->why, "between the bridge 'v-net-0' of 'tutorial' and the outside"));
	/* The tutorial forwards port 80: DNATed connections into the bridge too. */
	assert_string_equal(d->fix,
			    "nft 'insert rule inet x f iifname \"v-net-0\" accept'; "
			    "nft 'insert rule inet x f oifname \"v-net-0\" ct state "
			    "established,related accept'; "
			    "nft 'insert rule inet x f oifname \"v-net-0\" ct status dnat accept' "
			    "(or change that tool's configuration; nsnet never changes another "
			    "tool's rules)");
	assert_int_equal(d->fix_cmds, strlen(d->fix) - strlen(strstr(d->fix, " (or")));
	/* The host alone: the fix names a placeholder. */
	x->f.n_topos = 0;
	d = only(x, "forward-drop");
	assert_non_null(strstr(d->fix, "iifname \"BRIDGE\" accept"));
	assert_null(strstr(d->fix, "dnat"));
	fixture_free(x);

	/* A bridge-family chain drops frames between ports: the fix names them. */
	x = fixture_new("tutorial.yaml");
	add_chain(x, "bridge", "y", "g");
	d = only(x, "forward-drop");
	assert_non_null(strstr(d->why, "between the ports of a bridge"));
	assert_non_null(strstr(d->fix, "nft 'insert rule bridge y g iifname { \"veth-red-br\", "
				       "\"veth-blue-br\" } accept'"));
	fixture_free(x);

	/* Namespaces joined by a cable only: nothing is forwarded by the host. */
	x = fixture_new("tutorial-direct.yaml");
	add_chain(x, "inet", "x", "f");
	assert_int_equal(run(x), 0);
	fixture_free(x);
}

static void test_drop_chain_accepting(void **state)
{
	struct fixture *x = fixture_new("tutorial.yaml");
	struct doctor_accept in = {.out = false, .ifname = "v-net-0"};
	struct doctor_accept both[] = {in, {.out = true, .ifname = "v-net-0"}};
	struct doctor_accept other[] = {{.out = false, .ifname = "v-net-1"},
					{.out = true, .ifname = "v-net-1"}};

	(void)state;
	x->f.bridge_nf_ip4 = 1;
	add_chain(x, "inet", "x", "f");
	/* Only from the bridge: replies and forwarded connections are still dropped. */
	x->f.drop_chains[0].accepts = &in;
	x->f.drop_chains[0].n_accepts = 1;
	assert_int_equal(run(x), 2);
	/* Another bridge's rules do not count. */
	x->f.drop_chains[0].accepts = other;
	x->f.drop_chains[0].n_accepts = 2;
	assert_int_equal(run(x), 2);
	/* Both ways (the fix applied): the chain lets the bridge through, br_netfilter too. */
	x->f.drop_chains[0].accepts = both;
	x->f.drop_chains[0].n_accepts = 2;
	assert_int_equal(run(x), 0);
	/* With no topology examined, any drop chain is reported. */
	x->f.n_topos = 0;
	assert_int_equal(run(x), 2);
	x->f.drop_chains[0].accepts = NULL;
	fixture_free(x);
}

static void test_br_netfilter(void **state)
{
	struct fixture *x = fixture_new("tutorial.yaml");

	(void)state;
	x->f.bridge_nf_ip4 = 1;
	x->f.bridge_nf_ip6 = 1;
	assert_int_equal(run(x), 0); /* harmless without a dropping chain */
	add_chain(x, "ip", "filter", "FORWARD");
	assert_int_equal(run(x), 2);
	assert_string_equal(x->rep.v[0].id, "forward-drop");
	assert_string_equal(x->rep.v[1].id, "br-netfilter");
	assert_string_equal(x->rep.v[1].subject, "net.bridge.bridge-nf-call-iptables");
	assert_non_null(strstr(x->rep.v[1].why, "table ip filter, chain FORWARD"));
	assert_non_null(strstr(x->rep.v[1].fix, "bridge-nf-call-iptables=0"));
	/* IPv4 chain, only IPv6 passed to the firewall: no br-netfilter finding. */
	x->f.bridge_nf_ip4 = 0;
	assert_int_equal(run(x), 1);
	/* Module not loaded. */
	x->f.bridge_nf_ip4 = x->f.bridge_nf_ip6 = -1;
	assert_int_equal(run(x), 1);
	fixture_free(x);
}

static void test_overlap(void **state)
{
	struct fixture *x = fixture_new("tutorial.yaml");
	const struct doctor_finding *d;

	(void)state;
	BOTH_HOSTS(x, st, route_add(st, "192.168.15.0/25", ETH0, NULL, RTPROT_BOOT));
	d = only(x, "route-overlap");
	assert_string_equal(d->topology, "tutorial");
	assert_string_equal(d->subject, "route 192.168.15.0/25 dev eth0");
	assert_non_null(strstr(d->what, "192.168.15.0/24, the subnet of bridge 'v-net-0'"));
	assert_non_null(strstr(d->why, "longer prefix wins"));
	assert_string_equal(d->fix, "ip route del 192.168.15.0/25 dev eth0, or give the topology "
				    "a subnet no host route covers");
	fixture_free(x);

	/* A shorter route via a gateway: the bridge shadows part of that network. */
	x = fixture_new("tutorial.yaml");
	BOTH_HOSTS(x, st, route_add(st, "192.168.0.0/16", ETH0, "192.168.1.3", RTPROT_BOOT));
	d = only(x, "route-overlap");
	assert_string_equal(d->subject, "route 192.168.0.0/16 via 192.168.1.3 dev eth0");
	assert_non_null(strstr(d->why, "unreachable"));
	fixture_free(x);

	/* nsnet's own routes, disjoint ones and other tables' local routes are fine. */
	x = fixture_new("tutorial.yaml");
	BOTH_HOSTS(x, st, route_add(st, "192.168.15.128/25", ETH0, NULL, 110));
	BOTH_HOSTS(x, st, route_add(st, "10.0.0.0/8", ETH0, NULL, RTPROT_BOOT));
	BOTH_HOSTS(x, st,
		   route_add(st, "192.168.15.5/32", BR, NULL, RTPROT_KERNEL)->type = RTN_LOCAL);
	assert_int_equal(run(x), 0);
	fixture_free(x);

	/* Not up: the file's subnet is checked before anything exists. */
	x = fixture_new("tutorial.yaml");
	world_free(x->topo.have);
	x->topo.have = NULL;
	route_add(x->f.host, "192.168.15.0/28", ETH0, NULL, RTPROT_BOOT);
	only(x, "route-overlap");
	fixture_free(x);
}

static void test_rp_filter(void **state)
{
	struct fixture *x = fixture_new("tutorial.yaml");
	const struct doctor_finding *d;
	struct doctor_rp_filter rpf = {.ifname = "v-net-0", .value = 1};

	(void)state;
	/* Strict everywhere, but every namespace is routed through its bridge. */
	x->f.rp_filter_all = 1;
	assert_int_equal(run(x), 0);
	/* red's address routed out of eth0: its packets fail the check. */
	BOTH_HOSTS(x, st, route_add(st, "192.168.15.1/32", ETH0, NULL, RTPROT_BOOT));
	assert_int_equal(run(x), 2);
	assert_string_equal(x->rep.v[0].id, "route-overlap");
	d = &x->rep.v[1];
	assert_string_equal(d->id, "rp-filter-strict");
	assert_int_equal(d->level, DOCTOR_WARNING);
	assert_string_equal(d->subject, "net.ipv4.conf.v-net-0.rp_filter");
	assert_non_null(strstr(d->what, "192.168.15.1 ('veth-red' in 'red') out of 'eth0'"));
	assert_null(strstr(d->what, "192.168.15.2"));
	assert_non_null(strstr(d->fix, "net.ipv4.conf.v-net-0.rp_filter=2"));
	/* Loose (2) is fine; the bridge's own value counts too: max(all, bridge). */
	x->f.rp_filter_all = 2;
	assert_int_equal(run(x), 1);
	x->f.rp_filter_all = 0;
	x->f.rp_filter = &rpf;
	x->f.n_rp_filter = 1;
	assert_int_equal(run(x), 2);
	x->f.rp_filter = NULL;
	x->f.n_rp_filter = 0;
	fixture_free(x);
}

static void test_mtu(void **state)
{
	struct fixture *x = fixture_new("tutorial.yaml");
	const struct doctor_finding *d;

	(void)state;
	x->topo.have->host->links[RED_BR - 1].mtu = 1400;
	assert_int_equal(run(x), 2);
	d = &x->rep.v[0];
	assert_string_equal(d->id, "mtu-mismatch");
	assert_string_equal(d->subject, "bridge 'v-net-0'");
	assert_string_equal(d->what, "its ports have different MTUs: 'veth-red-br' 1400, "
				     "'veth-blue-br' 1500");
	assert_string_equal(d->fix, "ip link set dev veth-red-br mtu 1500");
	d = &x->rep.v[1];
	assert_string_equal(d->subject, "veth 'veth-red-br'");
	assert_string_equal(d->what, "its two ends differ: 'veth-red-br' on the host 1400, "
				     "'veth-red' in 'red' 1500");
	assert_string_equal(d->fix, "ip link set dev veth-red-br mtu 1500");
	fixture_free(x);

	/* The namespace end smaller: fixed inside the namespace. */
	x = fixture_new("tutorial.yaml");
	x->topo.have->ns[0].st->links[1].mtu = 1280;
	d = only(x, "mtu-mismatch");
	assert_string_equal(d->fix, "ip -n blue link set dev veth-blue mtu 1500");
	fixture_free(x);
}

static void test_mtu_cable(void **state)
{
	struct fixture *x = fixture_new("tutorial-direct.yaml");
	struct world *w = x->topo.have;
	const struct doctor_finding *d;

	(void)state;
	/* red/veth-red <-> blue/veth-blue, no host side. */
	w->host->n_links = x->f.host->n_links = 2;
	peer(&w->ns[0].st->links[1], "red", "veth-red", false);
	peer(&w->ns[1].st->links[1], "blue", "veth-blue", false);
	w->ns[1].st->links[1].mtu = 9000;
	d = only(x, "mtu-mismatch"); /* once, not from each end */
	assert_string_equal(d->subject, "veth 'veth-blue'");
	assert_string_equal(d->fix, "ip -n blue link set dev veth-blue mtu 9000");
	fixture_free(x);
}

static void test_default_route(void **state)
{
	struct fixture *x = fixture_new("tutorial.yaml");
	const struct doctor_finding *d;

	(void)state;
	x->topo.have->host->n_routes = 1; /* only 192.168.1.0/24 */
	d = only(x, "no-default-route");
	assert_string_equal(d->subject, "bridge 'v-net-0' (nat: true)");
	assert_non_null(strstr(d->fix, "ip route add default via"));
	fixture_free(x);

	/* No NAT wanted: no default route needed. */
	x = fixture_new("tutorial-direct.yaml");
	x->topo.have->host->n_routes = 1;
	assert_int_equal(run(x), 0);
	fixture_free(x);
}

/* The commands of d's fix, through a real shell: exactly want, nothing else run. */
static void fix_runs(const struct doctor_finding *d, const char *const *const *want)
{
	char script[DOCTOR_TEXT_MAX];

	assert_true(d->fix_cmds <= strlen(d->fix));
	snprintf(script, sizeof(script), "%.*s", (int)d->fix_cmds, d->fix);
	shell_oracle_expect(script, want);
}

/* Renames host link ifindex in both copies of the host. */
static void rename_link(struct fixture *x, int ifindex, const char *name)
{
	snprintf(x->topo.have->host->links[ifindex - 1].name, IFNAME_MAX + 1, "%s", name);
	snprintf(x->f.host->links[ifindex - 1].name, IFNAME_MAX + 1, "%s", name);
}

/* Renames the tutorial's bridge, in the file and on the host. */
static void rename_bridge(struct fixture *x, const char *name)
{
	snprintf(x->t->bridges[0].name, sizeof(x->t->bridges[0].name), "%s", name);
	for (size_t k = 0; k < x->t->n_namespaces; k++)
		snprintf(x->t->namespaces[k].ifaces[0].bridge, IFNAME_MAX + 1, "%s", name);
	rename_link(x, BR, name);
}

/*
 * Names another tool gave its table and chain come from the kernel: nft
 * takes none in quotes there, so a name that is not one nft token gets no
 * command at all, only words; one that is gets its rule, quoted for nft
 * inside and for the shell outside.
 */
static void test_hostile_chain(void **state)
{
	static const char *const tables[] = {"x\"; flush ruleset; \"", "$(touch PWNED)", "a b",
					     "x\n"};
	static const char *const *no_cmds[] = {NULL};
	static const char *const in[] = {"nft",
					 "insert rule inet DOCKER-USER a/b.c iifname "
					 "\"v-net-0\" accept",
					 NULL};
	static const char *const est[] = {"nft",
					  "insert rule inet DOCKER-USER a/b.c oifname "
					  "\"v-net-0\" ct state established,related accept",
					  NULL};
	static const char *const dnat[] = {"nft",
					   "insert rule inet DOCKER-USER a/b.c oifname "
					   "\"v-net-0\" ct status dnat accept",
					   NULL};
	static const char *const *rules[] = {in, est, dnat, NULL};
	const struct doctor_finding *d;
	struct fixture *x;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(tables); i++) {
		for (int as_chain = 0; as_chain < 2; as_chain++) {
			x = fixture_new("tutorial.yaml");
			add_chain(x, "inet", as_chain ? "x" : tables[i],
				  as_chain ? tables[i] : "f");
			d = only(x, "forward-drop");
			assert_int_equal(d->fix_cmds, 0);
			assert_non_null(strstr(d->fix, "cannot be written in nft's syntax"));
			/* Printed, the names cannot move a terminal's cursor. */
			for (const char *p = d->subject; *p; p++)
				assert_true((unsigned char)*p >= 0x20 && *p != 0x7f);
			fix_runs(d, no_cmds);
			fixture_free(x);
		}
	}
	x = fixture_new("tutorial.yaml");
	add_chain(x, "inet", "x\n\x1b[2J", "f");
	assert_string_equal(only(x, "forward-drop")->subject, "table inet x\\x0a\\x1b[2J, chain f");
	fixture_free(x);
	x = fixture_new("tutorial.yaml");
	add_chain(x, "inet", "DOCKER-USER", "a/b.c");
	fix_runs(only(x, "forward-drop"), rules);
	fixture_free(x);
}

/* Hostile interface names in nft strings and as words of `ip`. */
static void test_hostile_ifnames(void **state)
{
	static const char *const in[] = {"nft",
					 "insert rule inet x f iifname \"$(touch PWNED)\" "
					 "accept",
					 NULL};
	static const char *const est[] = {"nft",
					  "insert rule inet x f oifname \"$(touch PWNED)\" "
					  "ct state established,related accept",
					  NULL};
	static const char *const dnat[] = {"nft",
					   "insert rule inet x f oifname \"$(touch "
					   "PWNED)\" ct status dnat accept",
					   NULL};
	static const char *const *rules[] = {in, est, dnat, NULL};
	static const char *const ports[] = {"nft",
					    "insert rule bridge y g iifname { \"a'b;touch "
					    "PWNED\", \"`touch PWNED`\" } accept",
					    NULL};
	static const char *const *bridge_rules[] = {ports, NULL};
	static const char *const mtu[] = {"ip",	 "link", "set", "dev", "a'b;touch PWNED",
					  "mtu", "1500", NULL};
	static const char *const *mtu_cmds[] = {mtu, NULL};
	static const char *const mtu_ns[] = {
		"ip", "-n", "blue", "link", "set", "dev", "$(touch PWNED)", "mtu", "1500", NULL};
	static const char *const *mtu_ns_cmds[] = {mtu_ns, NULL};
	static const char *const del[] = {"ip",	 "route",	  "del", "192.168.15.0/25",
					  "dev", "x;touch PWNED", NULL};
	static const char *const *del_cmds[] = {del, NULL};
	static const char *const rpf[] = {"sysctl", "-w", "net.ipv4.conf.all.rp_filter=2",
					  "net/ipv4/conf/v.$(id>PWNED)/rp_filter=2", NULL};
	static const char *const *rpf_cmds[] = {rpf, NULL};
	struct fixture *x;

	(void)state;
	/* A bridge named like a command substitution: one nft string, inside one word. */
	x = fixture_new("tutorial.yaml");
	rename_bridge(x, "$(touch PWNED)");
	add_chain(x, "inet", "x", "f");
	fix_runs(only(x, "forward-drop"), rules);
	fixture_free(x);

	/* A bridge nft cannot quote: the rules for it are left out, and the fix says so. */
	x = fixture_new("tutorial.yaml");
	rename_bridge(x, "a\",\"eth0");
	add_chain(x, "inet", "x", "f");
	assert_int_equal(only(x, "forward-drop")->fix_cmds, 0);
	assert_non_null(strstr(x->rep.v[0].fix, "names nft cannot take"));
	fixture_free(x);

	/* Bridge ports with quotes and backquotes, in a bridge-family rule. */
	x = fixture_new("tutorial.yaml");
	rename_link(x, RED_BR, "a'b;touch PWNED");
	rename_link(x, BLUE_BR, "`touch PWNED`");
	add_chain(x, "bridge", "y", "g");
	fix_runs(only(x, "forward-drop"), bridge_rules);
	fixture_free(x);

	/* `ip link set dev NAME mtu`: the bridge port, then the veth end in a namespace. */
	x = fixture_new("tutorial.yaml");
	x->topo.have->host->links[RED_BR - 1].mtu = 1400;
	snprintf(x->topo.have->host->links[RED_BR - 1].name, IFNAME_MAX + 1, "a'b;touch PWNED");
	assert_int_equal(run(x), 2);
	fix_runs(&x->rep.v[0], mtu_cmds);
	fix_runs(&x->rep.v[1], mtu_cmds);
	fixture_free(x);
	x = fixture_new("tutorial.yaml");
	x->topo.have->ns[0].st->links[1].mtu = 1280;
	snprintf(x->topo.have->ns[0].st->links[1].name, IFNAME_MAX + 1, "$(touch PWNED)");
	snprintf(x->topo.have->host->links[BLUE_BR - 1].peer_name, IFNAME_MAX + 1,
		 "$(touch PWNED)");
	fix_runs(only(x, "mtu-mismatch"), mtu_ns_cmds);
	fixture_free(x);
	/* A control byte would reach the terminal: no command, the words say what to do. */
	x = fixture_new("tutorial.yaml");
	x->topo.have->ns[0].st->links[1].mtu = 1280;
	snprintf(x->topo.have->ns[0].st->links[1].name, IFNAME_MAX + 1, "a\x1b[2Jb");
	snprintf(x->topo.have->host->links[BLUE_BR - 1].peer_name, IFNAME_MAX + 1, "a\x1b[2Jb");
	assert_int_equal(only(x, "mtu-mismatch")->fix_cmds, 0);
	assert_string_equal(x->rep.v[0].fix, "set the MTU of the smaller end to 1500");
	fixture_free(x);

	/* `ip route del ... dev NAME`. */
	x = fixture_new("tutorial.yaml");
	rename_link(x, ETH0, "x;touch PWNED");
	BOTH_HOSTS(x, st, route_add(st, "192.168.15.0/25", ETH0, NULL, RTPROT_BOOT));
	fix_runs(only(x, "route-overlap"), del_cmds);
	fixture_free(x);

	/* A sysctl key with the bridge's name: slash form for its dot, one word. */
	x = fixture_new("tutorial.yaml");
	rename_bridge(x, "v.$(id>PWNED)");
	x->f.rp_filter_all = 1;
	BOTH_HOSTS(x, st, route_add(st, "192.168.15.1/32", ETH0, NULL, RTPROT_BOOT));
	assert_int_equal(run(x), 2);
	assert_string_equal(x->rep.v[1].id, "rp-filter-strict");
	fix_runs(&x->rep.v[1], rpf_cmds);
	fixture_free(x);
	/* '=' would end the key early: no command. */
	x = fixture_new("tutorial.yaml");
	rename_bridge(x, "a=b");
	x->f.rp_filter_all = 1;
	BOTH_HOSTS(x, st, route_add(st, "192.168.15.1/32", ETH0, NULL, RTPROT_BOOT));
	assert_int_equal(run(x), 2);
	assert_int_equal(x->rep.v[1].fix_cmds, 0);
	fixture_free(x);
}

/* The fixed-text fixes run as they read, through the same shell. */
static void test_fix_commands(void **state)
{
	static const char *const fwd[] = {"sysctl", "-w", "net.ipv4.ip_forward=1", NULL};
	static const char *const *fwd_cmds[] = {fwd, NULL};
	static const char *const brnf[] = {"sysctl", "-w", "net.bridge.bridge-nf-call-iptables=0",
					   "net.bridge.bridge-nf-call-ip6tables=0", NULL};
	static const char *const *brnf_cmds[] = {brnf, NULL};
	static const char *const gw[] = {"ip",	    "route", "add",    "default", "via",
					 "GATEWAY", "dev",   "UPLINK", NULL};
	static const char *const *gw_cmds[] = {gw, NULL};
	struct fixture *x = fixture_new("tutorial.yaml");

	(void)state;
	x->f.ip_forward = 0;
	fix_runs(only(x, "ip-forward-off"), fwd_cmds);
	fixture_free(x);
	x = fixture_new("tutorial.yaml");
	x->f.bridge_nf_ip4 = 1;
	add_chain(x, "ip", "filter", "FORWARD");
	assert_int_equal(run(x), 2);
	fix_runs(&x->rep.v[1], brnf_cmds);
	fixture_free(x);
	x = fixture_new("tutorial.yaml");
	x->topo.have->host->n_routes = 1;
	fix_runs(only(x, "no-default-route"), gw_cmds);
	fixture_free(x);
}

/* The dual-stack tutorial up: IPv6 on the bridge and the uplink, forwarding on. */
static struct fixture *fixture_dual(void)
{
	struct fixture *x = fixture_new("tutorial-dual.yaml");
	struct world *w = x->topo.have;

	BOTH_HOSTS(x, st, addr_add(st, BR, "fd00:15::5/64"));
	BOTH_HOSTS(x, st, addr_add(st, ETH0, "2001:db8:1::2/64"));
	BOTH_HOSTS(x, st, route_add(st, "2001:db8:1::/64", ETH0, NULL, RTPROT_KERNEL));
	BOTH_HOSTS(x, st, route_add(st, "fd00:15::/64", BR, NULL, RTPROT_KERNEL));
	assert_int_equal(world_sysctl_set(w, "", "net/ipv6/conf/default/accept_ra", 1), 0);
	assert_int_equal(world_sysctl_set(w, "", "net/ipv6/conf/all/force_forwarding", 0), 0);
	assert_int_equal(world_sysctl_set(w, "", "net/ipv6/conf/v-net-0/force_forwarding", 1), 0);
	assert_int_equal(world_sysctl_set(w, "", "net/ipv6/conf/eth0/force_forwarding", 1), 0);
	return x;
}

/* IPv6 forwarding cleared under a topology that routes IPv6 (all.forwarding written 0). */
static void test_ipv6_forwarding(void **state)
{
	static const char *const fix[] = {"sysctl", "-w", "net.ipv6.conf.v-net-0.force_forwarding=1",
					  "net.ipv6.conf.eth0.force_forwarding=1", NULL};
	static const char *const *const want[] = {fix, NULL};
	struct fixture *x = fixture_dual();
	const struct doctor_finding *d;
	struct world *w = x->topo.have;

	(void)state;
	assert_int_equal(run(x), 0);
	assert_int_equal(world_sysctl_set(w, "", "net/ipv6/conf/v-net-0/force_forwarding", 0), 0);
	assert_int_equal(world_sysctl_set(w, "", "net/ipv6/conf/eth0/force_forwarding", 0), 0);
	d = only(x, "ipv6-forward-off");
	assert_int_equal(d->level, DOCTOR_PROBLEM);
	assert_string_equal(d->topology, "tutorial");
	assert_string_equal(d->subject, "IPv6 forwarding on 'v-net-0', 'eth0'");
	assert_non_null(strstr(d->why, "any write of 0 to net.ipv6.conf.all.forwarding"));
	fix_runs(d, want);
	assert_non_null(strstr(d->fix, "'nsnet up FILE' again"));
	/* Not up: up sets them, nothing to say. */
	x->topo.have = NULL;
	assert_int_equal(run(x), 0);
	x->topo.have = w;
	fixture_free(x);
	/* The IPv4 tutorial: IPv6 forwarding is none of its business. */
	x = fixture_new("tutorial.yaml");
	assert_int_equal(world_sysctl_set(x->topo.have, "", "net/ipv6/conf/default/accept_ra", 1), 0);
	assert_int_equal(run(x), 0);
	fixture_free(x);
}

/* all.forwarding on, and an uplink that takes RAs only while not forwarding. */
static void test_accept_ra_forwarding(void **state)
{
	static const char *const fix[] = {"sysctl", "-w", "net.ipv6.conf.eth0.accept_ra=2", NULL};
	static const char *const *const want[] = {fix, NULL};
	struct fixture *x = fixture_new("tutorial.yaml");
	struct ns_link *eth0 = &x->f.host->links[ETH0 - 1];
	const struct doctor_finding *d;

	(void)state;
	addr_add(x->f.host, ETH0, "2001:db8:1::2/64");
	eth0->flags = IFF_UP;
	eth0->has_accept_ra = true;
	eth0->accept_ra = 1;
	assert_int_equal(run(x), 0);
	x->f.ip6_forwarding = 1;
	d = only(x, "accept-ra-forwarding");
	assert_int_equal(d->level, DOCTOR_WARNING);
	assert_string_equal(d->subject, "net.ipv6.conf.eth0.accept_ra");
	assert_non_null(strstr(d->why, "loses its IPv6 default route"));
	fix_runs(d, want);
	eth0->accept_ra = 2;
	assert_int_equal(run(x), 0);
	fixture_free(x);
}

/* A bridge or a namespace link that takes router advertisements again. */
static void test_accept_ra_on(void **state)
{
	static const char *const fix[] = {"ip",	    "netns", "exec", "red", "sysctl", "-w",
					  "net.ipv6.conf.veth-red.accept_ra=0", NULL};
	static const char *const *const want[] = {fix, NULL};
	struct fixture *x = fixture_new("tutorial.yaml");
	struct ns_link *br = &x->topo.have->host->links[BR - 1];
	struct ns_link *red = &x->topo.have->ns[1].st->links[1];
	const struct doctor_finding *d;

	(void)state;
	br->has_accept_ra = red->has_accept_ra = true;
	assert_int_equal(run(x), 0); /* accept_ra = 0 both */
	br->accept_ra = 1;
	d = only(x, "accept-ra-on");
	assert_string_equal(d->subject, "bridge 'v-net-0'");
	assert_non_null(strstr(d->fix, "sysctl -w net.ipv6.conf.v-net-0.accept_ra=0"));
	br->accept_ra = 0;
	red->accept_ra = 1;
	d = only(x, "accept-ra-on");
	assert_string_equal(d->subject, "link 'veth-red' in 'red'");
	fix_runs(d, want);
	fixture_free(x);
}

/* An ip6 chain dropping by policy: a warning until a topology routes IPv6. */
static void test_drop_chain6(void **state)
{
	struct fixture *x = fixture_new("tutorial.yaml");

	(void)state;
	add_chain(x, "ip6", "filter", "FORWARD");
	assert_int_equal(only(x, "forward-drop")->level, DOCTOR_WARNING);
	fixture_free(x);
	x = fixture_dual();
	add_chain(x, "ip6", "filter", "FORWARD");
	assert_int_equal(only(x, "forward-drop")->level, DOCTOR_PROBLEM);
	assert_non_null(strstr(x->rep.v[0].why, "IPv6 traffic"));
	fixture_free(x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean),	      cmocka_unit_test(test_forwarding),
		cmocka_unit_test(test_drop_chain),    cmocka_unit_test(test_drop_chain_accepting),
		cmocka_unit_test(test_br_netfilter),  cmocka_unit_test(test_overlap),
		cmocka_unit_test(test_rp_filter),     cmocka_unit_test(test_mtu),
		cmocka_unit_test(test_mtu_cable),     cmocka_unit_test(test_default_route),
		cmocka_unit_test(test_hostile_chain), cmocka_unit_test(test_hostile_ifnames),
		cmocka_unit_test(test_fix_commands),
		cmocka_unit_test(test_ipv6_forwarding), cmocka_unit_test(test_accept_ra_forwarding),
		cmocka_unit_test(test_accept_ra_on),	cmocka_unit_test(test_drop_chain6),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
