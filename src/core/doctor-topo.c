// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The doctor's checks of one topology: host routes overlapping its subnets,
 * strict rp_filter where a namespace's address is routed elsewhere, MTUs of
 * bridge ports and veth ends, and NAT without a default route.
 */
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "doctor-internal.h"
#include "owner.h"

static bool route_counts(const struct ns_route *rt)
{
	return rt->type == RTN_UNICAST && rt->table != RT_TABLE_LOCAL;
}

static bool prefixes_overlap(const struct inet_prefix *p, const struct inet_prefix *q)
{
	if (p->addr.family != q->addr.family)
		return false;
	return p->len <= q->len ? inet_prefix_contains(p, &q->addr)
				: inet_prefix_contains(q, &p->addr);
}

/* The subnets of bridge name: the file's addresses, else the ones the kernel holds. */
static size_t bridge_subnets(const struct doctor_topo *dt, const struct netstate *host,
			     const char *name, struct inet_prefix *v, size_t max)
{
	const struct topology_bridge *b = dt->want ? topology_bridge_find(dt->want, name) : NULL;
	int ifindex = doctor_link_index(host, name);
	size_t n = 0;

	if (b) {
		for (size_t i = 0; i < b->n_addrs && n < max; i++)
			v[n++] = inet_prefix_network(&b->addrs[i].prefix);
		return n;
	}
	for (size_t i = 0; host && ifindex && i < host->n_addrs && n < max; i++)
		if (host->addrs[i].ifindex == ifindex && host->addrs[i].scope == RT_SCOPE_UNIVERSE)
			v[n++] = inet_prefix_network(&host->addrs[i].prefix);
	return n;
}

static int rp_filter_of(const struct doctor_ctx *c, const char *ifname)
{
	for (size_t i = 0; i < c->f->n_rp_filter; i++)
		if (strcmp(c->f->rp_filter[i].ifname, ifname) == 0)
			return c->f->rp_filter[i].value;
	return -1;
}

/*
 * Strict reverse-path filtering drops a packet whose source the host would
 * route out of another interface. Behind a bridge that happens only when a
 * namespace's address is routed elsewhere: check each address of the
 * namespace ends plugged into the bridge.
 */
static void check_rp_filter_bridge(struct doctor_ctx *c, const struct doctor_topo *dt,
				   const char *br)
{
	const struct netstate *host = doctor_host_of(c, dt);
	int brx = doctor_link_index(host, br), dev = rp_filter_of(c, br);
	int eff = c->f->rp_filter_all > dev ? c->f->rp_filter_all : dev;
	char astray[DOCTOR_TEXT_MAX] = "", word[IFNAME_MAX + 64];
	struct doctor_finding *d;

	if (!brx || eff != 1 || !dt->have)
		return;
	for (size_t i = 0; i < host->n_links; i++) {
		const struct ns_link *port = &host->links[i];
		const struct world_ns *ns;
		const struct ns_link *end;

		if (port->master != brx || !port->peer_resolved || !port->peer_netns[0] ||
		    !(ns = world_ns_find(dt->have, port->peer_netns)) ||
		    !(end = netstate_link_by_name(ns->st, port->peer_name)))
			continue;
		for (size_t k = 0; k < ns->st->n_addrs; k++) {
			const struct ns_addr *a = &ns->st->addrs[k];
			const struct ns_route *rt;
			char addr[INET_STR_MAX];

			if (a->ifindex != end->ifindex || a->prefix.addr.family != AF_INET)
				continue;
			rt = plan_route_lookup(host, &a->prefix.addr);
			if (!rt || rt->oif == brx)
				continue;
			inet_addr_format(&a->prefix.addr, addr, sizeof(addr));
			doctor_append(astray, sizeof(astray), "%s%s ('%s' in '%s') out of '%s'",
				      astray[0] ? ", " : "", addr, end->name, ns->name,
				      doctor_link_name(host, rt->oif));
		}
	}
	if (!astray[0] || !(d = doctor_add(c, "rp-filter-strict", DOCTOR_WARNING, dt->name)))
		return;
	put(d->subject, "net.ipv4.conf.%s.rp_filter", br);
	put(d->what,
	    "strict reverse-path filtering on bridge '%s' (rp_filter %d, the larger of "
	    "all=%d and %s=%d), and the host routes ",
	    br, eff, c->f->rp_filter_all, br, dev);
	more(d->what, "%s, not through the bridge", astray);
	put(d->why,
	    "packets from those addresses arriving on '%s' fail the reverse-path check "
	    "and are dropped without a trace",
	    br);
	if (doctor_sysctl_word(word, sizeof(word), br, "rp_filter", 2) &&
	    fix_cmd(d, "sysctl", "-w", "net.ipv4.conf.all.rp_filter=2", word))
		more(d->fix, " (loose), or");
	else
		more(d->fix, "set rp_filter of 'all' and of the bridge to 2 (loose), or");
	more(d->fix, " remove the host route that sends them elsewhere");
}

static void route_describe(const struct netstate *host, const struct ns_route *rt, char *buf,
			   size_t len)
{
	char dst[PREFIX_STR_MAX], gw[INET_STR_MAX];

	inet_prefix_format(&rt->dst, dst, sizeof(dst));
	snprintf(buf, len, "%s", dst);
	if (rt->gateway.family) {
		inet_addr_format(&rt->gateway, gw, sizeof(gw));
		doctor_append(buf, len, " via %s", gw);
	}
	if (rt->oif)
		doctor_append(buf, len, " dev %s", doctor_link_name(host, rt->oif));
	if (rt->table != RT_TABLE_MAIN)
		doctor_append(buf, len, " table %u", rt->table);
}

/* `ip route del ROUTE` for rt, each word apart; false when it cannot be printed. */
static bool route_del_cmd(struct doctor_finding *d, const struct netstate *host,
			  const struct ns_route *rt)
{
	char dst[PREFIX_STR_MAX], gw[INET_STR_MAX], table[16];
	const char *argv[12] = {"ip", "route", "del", dst};
	size_t n = 4;

	inet_prefix_format(&rt->dst, dst, sizeof(dst));
	if (rt->gateway.family) {
		inet_addr_format(&rt->gateway, gw, sizeof(gw));
		argv[n++] = "via";
		argv[n++] = gw;
	}
	if (rt->oif) {
		argv[n++] = "dev";
		argv[n++] = doctor_link_name(host, rt->oif);
	}
	if (rt->table != RT_TABLE_MAIN) {
		snprintf(table, sizeof(table), "%u", rt->table);
		argv[n++] = "table";
		argv[n++] = table;
	}
	argv[n] = NULL;
	return doctor_fix_cmd(d, argv);
}

static void check_overlap_bridge(struct doctor_ctx *c, const struct doctor_topo *dt, const char *br)
{
	const struct netstate *host = doctor_host_of(c, dt);
	struct inet_prefix subnets[TOPOLOGY_ADDRS_MAX];
	size_t n = bridge_subnets(dt, host, br, subnets, ARRAY_SIZE(subnets));
	int brx = doctor_link_index(host, br);

	for (size_t i = 0; host && i < host->n_routes; i++) {
		const struct ns_route *rt = &host->routes[i];

		/* The bridge's own connected route and nsnet's routes are meant to be there. */
		if (!route_counts(rt) || !rt->dst.len || rt->protocol == OWNER_RTPROT ||
		    (brx && rt->oif == brx))
			continue;
		for (size_t k = 0; k < n; k++) {
			char route[256], sub[PREFIX_STR_MAX];
			struct doctor_finding *d;

			if (!prefixes_overlap(&rt->dst, &subnets[k]) ||
			    !(d = doctor_add(c, "route-overlap", DOCTOR_PROBLEM, dt->name)))
				continue;
			route_describe(host, rt, route, sizeof(route));
			inet_prefix_format(&subnets[k], sub, sizeof(sub));
			put(d->subject, "route %s", route);
			put(d->what,
			    "the host routes %s, which overlaps %s, the subnet of bridge "
			    "'%s'",
			    route, sub, br);
			if (rt->dst.len >= subnets[k].len)
				put(d->why,
				    "the longer prefix wins: traffic to those addresses of the "
				    "namespaces leaves through '%s' instead of the bridge, so "
				    "replies and port forwards to them go astray",
				    doctor_link_name(host, rt->oif));
			else
				put(d->why,
				    "the bridge's subnet is the longer prefix: hosts of that "
				    "network inside %s are unreachable from the host and from "
				    "the namespaces",
				    sub);
			more(d->fix, "%s",
			     route_del_cmd(d, host, rt) ? ", or " : "remove that route, or ");
			more(d->fix, "give the topology a subnet no host route covers");
		}
	}
}

/* The MTU most ports share (ties: the larger), what the others should be set to. */
static unsigned common_mtu(const struct netstate *host, int brx)
{
	unsigned best = 0, best_n = 0;

	for (size_t i = 0; i < host->n_links; i++) {
		unsigned m = host->links[i].mtu, k = 0;

		if (host->links[i].master != brx)
			continue;
		for (size_t j = 0; j < host->n_links; j++)
			k += host->links[j].master == brx && host->links[j].mtu == m;
		if (k > best_n || (k == best_n && m > best))
			best = m, best_n = k;
	}
	return best;
}

static void check_mtu_bridge(struct doctor_ctx *c, const struct doctor_topo *dt, const char *br)
{
	const struct netstate *host = doctor_host_of(c, dt);
	int brx = doctor_link_index(host, br);
	unsigned want = brx ? common_mtu(host, brx) : 0;
	struct doctor_finding *d;
	const char *sep = "";
	bool differ = false, skipped = false;
	char mtu[16];

	for (size_t i = 0; want && i < host->n_links; i++)
		differ = differ || (host->links[i].master == brx && host->links[i].mtu != want);
	if (!differ || !(d = doctor_add(c, "mtu-mismatch", DOCTOR_PROBLEM, dt->name)))
		return;
	put(d->subject, "bridge '%s'", br);
	put(d->what, "its ports have different MTUs:");
	snprintf(mtu, sizeof(mtu), "%u", want);
	for (size_t i = 0; i < host->n_links; i++) {
		const struct ns_link *l = &host->links[i];

		if (l->master != brx)
			continue;
		more(d->what, "%s '%s' %u", sep, l->name, l->mtu);
		sep = ",";
		if (l->mtu != want && !fix_cmd(d, "ip", "link", "set", "dev", l->name, "mtu", mtu))
			skipped = true;
	}
	if (skipped)
		more(d->fix, "%sset the MTU of the other ports to %u", d->fix[0] ? ", and " : "",
		     want);
	put(d->why, "a port drops frames larger than its own MTU that the bridge and the other "
		    "ports pass: small packets work, large ones (bulk TCP data) hang");
}

static void mtu_veth(struct doctor_ctx *c, const struct doctor_topo *dt, const char *ns,
		     const struct ns_link *l, const char *peer_ns, const struct ns_link *p)
{
	const struct ns_link *small = l->mtu < p->mtu ? l : p;
	const char *small_ns = small == l ? ns : peer_ns;
	unsigned want = l->mtu > p->mtu ? l->mtu : p->mtu;
	struct doctor_finding *d;
	char mtu[16];

	if (l->mtu == p->mtu || !(d = doctor_add(c, "mtu-mismatch", DOCTOR_PROBLEM, dt->name)))
		return;
	put(d->subject, "veth '%s'", l->name);
	put(d->what, "its two ends differ: '%s' %s%s%s %u, '%s' %s%s%s %u", l->name,
	    ns[0] ? "in '" : "on the host", ns, ns[0] ? "'" : "", l->mtu, p->name,
	    peer_ns[0] ? "in '" : "on the host", peer_ns, peer_ns[0] ? "'" : "", p->mtu);
	put(d->why, "the end with the smaller MTU drops frames the other sends whole: small "
		    "packets work, large ones (bulk TCP data) hang");
	snprintf(mtu, sizeof(mtu), "%u", want);
	if (!(small_ns[0] ? fix_cmd(d, "ip", "-n", small_ns, "link", "set", "dev", small->name,
				    "mtu", mtu)
			  : fix_cmd(d, "ip", "link", "set", "dev", small->name, "mtu", mtu)))
		put(d->fix, "set the MTU of the smaller end to %u", want);
}

/* Every veth of dt whose two ends have different MTUs, each pair once. */
static void check_mtu_veths(struct doctor_ctx *c, const struct doctor_topo *dt)
{
	const struct netstate *host = doctor_host_of(c, dt);
	const struct world *w = dt->have;

	for (size_t i = 0; w && host && i < host->n_links; i++) {
		const struct ns_link *l = &host->links[i], *p;
		const struct world_ns *ns;

		if (strcmp(l->kind, "veth") != 0 || !owner_alias_is(l->alias, dt->name) ||
		    !l->peer_resolved || !l->peer_netns[0] ||
		    !(ns = world_ns_find(w, l->peer_netns)) ||
		    !(p = netstate_link_by_name(ns->st, l->peer_name)))
			continue;
		mtu_veth(c, dt, "", l, ns->name, p);
	}
	for (size_t k = 0; w && k < w->n_ns; k++) {
		const struct world_ns *ns = &w->ns[k], *pns;

		for (size_t i = 0; i < ns->st->n_links; i++) {
			const struct ns_link *l = &ns->st->links[i], *p;
			int order;

			if (strcmp(l->kind, "veth") != 0 || !l->peer_resolved || l->peer_in_host ||
			    !l->peer_netns[0] || !(pns = world_ns_find(w, l->peer_netns)) ||
			    !(p = netstate_link_by_name(pns->st, l->peer_name)))
				continue;
			order = strcmp(ns->name, pns->name);
			if (order < 0 || (order == 0 && strcmp(l->name, p->name) < 0))
				mtu_veth(c, dt, ns->name, l, pns->name, p);
		}
	}
}

static bool default_route4(const struct netstate *host)
{
	for (size_t i = 0; host && i < host->n_routes; i++) {
		const struct ns_route *rt = &host->routes[i];

		if (rt->dst.addr.family == AF_INET && !rt->dst.len && rt->type == RTN_UNICAST &&
		    rt->table == RT_TABLE_MAIN)
			return true;
	}
	return false;
}

static void check_default_route(struct doctor_ctx *c, const struct doctor_topo *dt)
{
	for (size_t i = 0; dt->want && i < dt->want->n_bridges; i++) {
		const struct topology_bridge *b = &dt->want->bridges[i];
		struct doctor_finding *d;

		if (!b->nat || default_route4(doctor_host_of(c, dt)) ||
		    !(d = doctor_add(c, "no-default-route", DOCTOR_PROBLEM, dt->name)))
			continue;
		put(d->subject, "bridge '%s' (nat: true)", b->name);
		put(d->what, "the host has no IPv4 default route");
		put(d->why, "masqueraded traffic of the namespaces leaves through the host's own "
			    "route to its destination: without a default route only directly "
			    "connected networks are reachable, the rest is 'network unreachable'");
		fix_cmd(d, "ip", "route", "add", "default", "via", "GATEWAY", "dev", "UPLINK");
		more(d->fix, " (the host's way out), or set nat: false if the namespaces need no "
			     "outside access");
	}
}

/*
 * A namespace others route through that does not forward: each of them
 * reaches the router and nothing behind it, and neither nsnet's check of the
 * segments nor the kernel says why.
 */
static void check_routers(struct doctor_ctx *c, const struct doctor_topo *dt)
{
	const struct topology *t = dt->want;

	for (size_t i = 0; t && dt->have && i < t->n_namespaces; i++) {
		const struct topology_ns *a = &t->namespaces[i];

		for (size_t k = 0; k < a->n_routes; k++) {
			const struct topology_route *rt = &a->routes[k];
			const struct topology_ns *r =
				rt->has_via ? topology_ns_with_addr(t, &rt->via) : NULL;
			bool six = rt->via.family == AF_INET6;
			const char *key = six ? "net/ipv6/conf/all/forwarding" : "net/ipv4/ip_forward";
			const char *shown = six ? "net.ipv6.conf.all.forwarding" : "net.ipv4.ip_forward";
			const char *word = six ? "net.ipv6.conf.all.forwarding=1" : "net.ipv4.ip_forward=1";
			char id[80], gw[INET_STR_MAX];
			struct doctor_finding *d;

			if (!r || r == a || world_sysctl_get(dt->have, r->name, key) != 0)
				continue;
			/* Once per router and family, however many route through it. */
			snprintf(id, sizeof(id), "'%s' %s", r->name, six ? "IPv6" : "IPv4");
			for (size_t f = 0; f < c->r->n; f++)
				if (strcmp(c->r->v[f].id, "router-forwarding-off") == 0 &&
				    strcmp(c->r->v[f].topology, dt->name) == 0 &&
				    strstr(c->r->v[f].subject, id))
					goto next;
			d = doctor_add(c, "router-forwarding-off", DOCTOR_PROBLEM, dt->name);
			if (!d)
				return;
			inet_addr_format(&rt->via, gw, sizeof(gw));
			put(d->subject, "namespace %s forwarding", id);
			put(d->what, "'%s' routes through '%s' (%s), which does not forward %s (%s = 0)",
			    a->name, r->name, gw, six ? "IPv6" : "IPv4", shown);
			put(d->why, "a namespace that routes for others must forward: packets from "
				    "'%s' reach '%s' and go no further, so everything behind it is "
				    "unreachable although every link is up",
			    a->name, r->name);
			fix_cmd(d, "ip", "netns", "exec", r->name, "sysctl", "-w", word);
			more(d->fix, " (for good: 'forwarding: true' on namespace '%s' in the file, "
				     "then 'nsnet up FILE')",
			     r->name);
next:;
		}
	}
}

void doctor_check_topology(struct doctor_ctx *c, const struct doctor_topo *dt)
{
	const char *br;
	size_t i = 0;

	while ((br = doctor_bridge_next(c, dt, &i))) {
		check_overlap_bridge(c, dt, br);
		check_rp_filter_bridge(c, dt, br);
		check_mtu_bridge(c, dt, br);
	}
	check_mtu_veths(c, dt);
	check_default_route(c, dt);
	check_routers(c, dt);
	doctor_check_ipv6_topology(c, dt);
	doctor_check_ovs(c, dt);
}
