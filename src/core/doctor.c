// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The checks of `nsnet doctor`, from facts to findings (see doctor.h). Each
 * check reads the facts and appends findings; nothing here touches the kernel.
 */
#include <linux/rtnetlink.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "doctor.h"
#include "owner.h"

struct ctx {
	const struct doctor_facts *f;
	struct doctor_report *r;
	bool oom;
};

const char *doctor_level_name(enum doctor_level level)
{
	return level == DOCTOR_PROBLEM ? "problem" : "warning";
}

void doctor_report_clear(struct doctor_report *r)
{
	free(r->v);
	r->v = NULL;
	r->n = 0;
}

/* A new finding, zeroed but for its id, level and topology; NULL when out of memory. */
static struct doctor_finding *add(struct ctx *c, const char *id, enum doctor_level level,
				  const char *topo)
{
	struct doctor_finding *v = realloc(c->r->v, (c->r->n + 1) * sizeof(*v)), *d;

	if (!v) {
		c->oom = true;
		return NULL;
	}
	c->r->v = v;
	d = &v[c->r->n++];
	memset(d, 0, sizeof(*d));
	d->id = id;
	d->level = level;
	snprintf(d->topology, sizeof(d->topology), "%s", topo ? topo : "");
	return d;
}

/* Appends to a text field; a text that does not fit ends in "...". */
static void _printf_(3, 4) append(char *buf, size_t len, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;
	int n;

	if (used + 1 >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n >= len - used && len > 4)
		memcpy(buf + len - 4, "...", 4);
}

#define put(field, ...) snprintf(field, sizeof(field), __VA_ARGS__)
#define more(field, ...) append(field, sizeof(field), __VA_ARGS__)

/* The host as one topology's world saw it (veth peers resolved), else the host's facts. */
static const struct netstate *host_of(const struct ctx *c, const struct doctor_topo *dt)
{
	return dt->have && dt->have->host ? dt->have->host : c->f->host;
}

/* Whether the kernel holds anything of dt: then its forwarding and links matter now. */
bool doctor_topo_is_up(const struct doctor_topo *dt)
{
	if (!dt->have)
		return false;
	if (dt->have->fw_exists)
		return true;
	for (size_t i = 0; dt->have->host && i < dt->have->host->n_links; i++)
		if (owner_alias_is(dt->have->host->links[i].alias, dt->name))
			return true;
	for (size_t i = 0; i < dt->have->n_ns; i++)
		if (dt->have->ns[i].marked && strcmp(dt->have->ns[i].owner, dt->name) == 0)
			return true;
	return false;
}

/* The bridges of dt one by one (*i starts at 0): the file's, else the ones it owns. */
static const char *bridge_next(const struct ctx *c, const struct doctor_topo *dt, size_t *i)
{
	const struct netstate *host = host_of(c, dt);

	if (dt->want)
		return *i < dt->want->n_bridges ? dt->want->bridges[(*i)++].name : NULL;
	for (; host && *i < host->n_links; (*i)++) {
		const struct ns_link *l = &host->links[*i];

		if (strcmp(l->kind, "bridge") == 0 && owner_alias_is(l->alias, dt->name)) {
			(*i)++;
			return l->name;
		}
	}
	return NULL;
}

static bool topo_routes(const struct ctx *c, const struct doctor_topo *dt)
{
	size_t i = 0;

	return bridge_next(c, dt, &i) || (dt->want && dt->want->n_forwards);
}

static int link_index(const struct netstate *st, const char *name)
{
	const struct ns_link *l = st ? netstate_link_by_name(st, name) : NULL;

	return l ? l->ifindex : 0;
}

static const char *link_name(const struct netstate *st, int ifindex)
{
	const struct ns_link *l = st ? netstate_link_by_index(st, ifindex) : NULL;

	return l ? l->name : "?";
}

static bool route_counts(const struct ns_route *rt)
{
	return rt->type == RTN_UNICAST && rt->table != RT_TABLE_LOCAL;
}

/* The route of the main table the host picks for a (longest prefix, then lowest metric). */
static const struct ns_route *route_lookup(const struct netstate *host, const struct inet_addr *a)
{
	const struct ns_route *best = NULL;

	for (size_t i = 0; host && i < host->n_routes; i++) {
		const struct ns_route *rt = &host->routes[i];

		if (rt->table != RT_TABLE_MAIN || rt->type != RTN_UNICAST ||
		    !inet_prefix_contains(&rt->dst, a))
			continue;
		if (!best || rt->dst.len > best->dst.len ||
		    (rt->dst.len == best->dst.len && rt->priority < best->priority))
			best = rt;
	}
	return best;
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
	int ifindex = link_index(host, name);
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

/* "'a', 'b'": the names of the topologies for which pred holds. */
static void topo_names(const struct ctx *c, bool (*pred)(const struct ctx *,
							 const struct doctor_topo *),
		       char *buf, size_t len)
{
	buf[0] = '\0';
	for (size_t i = 0; i < c->f->n_topos; i++)
		if (pred(c, &c->f->topos[i]))
			append(buf, len, "%s'%s'", buf[0] ? ", " : "", c->f->topos[i].name);
}

static bool up_and_routes(const struct ctx *c, const struct doctor_topo *dt)
{
	return doctor_topo_is_up(dt) && topo_routes(c, dt);
}

static void check_forwarding(struct ctx *c)
{
	struct doctor_finding *d;
	char names[512];

	topo_names(c, up_and_routes, names, sizeof(names));
	if (c->f->ip_forward != 0 || !names[0] || !(d = add(c, "ip-forward-off", DOCTOR_PROBLEM, NULL)))
		return;
	put(d->subject, "net.ipv4.ip_forward");
	put(d->what, "IPv4 forwarding is off (net.ipv4.ip_forward = 0)");
	put(d->why, "the host does not route between its interfaces: namespaces of %s reach their "
		    "bridge's address but nothing beyond it, and port forwards get no answer",
	    names);
	put(d->fix, "sysctl -w net.ipv4.ip_forward=1 (running 'nsnet up FILE' again also turns it "
		    "on)");
}

static bool routes_any(const struct ctx *c)
{
	for (size_t i = 0; i < c->f->n_topos; i++)
		if (topo_routes(c, &c->f->topos[i]))
			return true;
	return c->f->n_topos == 0; /* the host alone: any future topology would suffer */
}

static bool has_forwards(const struct ctx *c)
{
	for (size_t i = 0; i < c->f->n_topos; i++)
		if (c->f->topos[i].want && c->f->topos[i].want->n_forwards)
			return true;
	return false;
}

/* '"p1", "p2"': the ports of bridge b, as the kernel holds them, else as the file wants them. */
static void bridge_ports(const struct ctx *c, const struct doctor_topo *dt, const char *b,
			 char *buf, size_t len)
{
	const struct netstate *host = dt ? host_of(c, dt) : NULL;
	int brx = link_index(host, b);

	buf[0] = '\0';
	for (size_t i = 0; brx && i < host->n_links; i++)
		if (host->links[i].master == brx)
			append(buf, len, "%s\"%s\"", buf[0] ? ", " : "", host->links[i].name);
	for (size_t k = 0; !buf[0] && dt && dt->want && k < dt->want->n_namespaces; k++) {
		const struct topology_ns *ns = &dt->want->namespaces[k];

		for (size_t i = 0; i < ns->n_ifaces; i++)
			if (ns->ifaces[i].link == TOPOLOGY_LINK_BRIDGE &&
			    strcmp(ns->ifaces[i].bridge, b) == 0)
				append(buf, len, "%s\"%s\"", buf[0] ? ", " : "",
				       ns->ifaces[i].host_end);
	}
	if (!buf[0])
		snprintf(buf, len, "\"PORT\"");
}

/* The rules that let bridge b's traffic through chain ch, appended to buf. */
static void drop_chain_rules(const struct ctx *c, const struct doctor_chain *ch,
			     const struct doctor_topo *dt, const char *b, char *buf, size_t len)
{
	const char *sep = buf[0] ? "; " : "";

	if (strcmp(ch->family, "bridge") == 0) {
		/* In the bridge family the interfaces are the bridge's ports. */
		char ports[512];

		bridge_ports(c, dt, b, ports, sizeof(ports));
		append(buf, len, "%snft insert rule bridge %s %s iifname { %s } accept", sep,
		       ch->table, ch->name, ports);
		return;
	}
	append(buf, len, "%snft insert rule %s %s %s iifname \"%s\" accept; nft insert rule %s %s "
	       "%s oifname \"%s\" ct state established,related accept", sep, ch->family,
	       ch->table, ch->name, b, ch->family, ch->table, ch->name, b);
	/* Port forwards open connections into the bridge: new, but DNATed by us. */
	if (has_forwards(c))
		append(buf, len, "; nft insert rule %s %s %s oifname \"%s\" ct status dnat accept",
		       ch->family, ch->table, ch->name, b);
}

static void drop_chain_fix(const struct ctx *c, const struct doctor_chain *ch, char *buf,
			   size_t len)
{
	const char *b;

	buf[0] = '\0';
	for (size_t t = 0; t < c->f->n_topos; t++)
		for (size_t i = 0; (b = bridge_next(c, &c->f->topos[t], &i));)
			drop_chain_rules(c, ch, &c->f->topos[t], b, buf, len);
	if (!buf[0])
		drop_chain_rules(c, ch, NULL, "BRIDGE", buf, len);
	append(buf, len, " (or change that tool's configuration; nsnet never changes another "
			 "tool's rules)");
}

/* "'v-net-0' of 'tutorial', 'v-net-1' of 'other'": every bridge examined. */
static void bridge_names(const struct ctx *c, char *buf, size_t len)
{
	const char *b;

	buf[0] = '\0';
	for (size_t t = 0; t < c->f->n_topos; t++)
		for (size_t i = 0; (b = bridge_next(c, &c->f->topos[t], &i));)
			append(buf, len, "%s'%s' of '%s'", buf[0] ? ", " : "", b,
			       c->f->topos[t].name);
}

static void check_drop_chains(struct ctx *c)
{
	char names[512];

	if (!routes_any(c))
		return;
	bridge_names(c, names, sizeof(names));
	for (size_t i = 0; i < c->f->n_drop_chains; i++) {
		const struct doctor_chain *ch = &c->f->drop_chains[i];
		bool v6 = strcmp(ch->family, "ip6") == 0;
		struct doctor_finding *d;

		d = add(c, "forward-drop", v6 ? DOCTOR_WARNING : DOCTOR_PROBLEM, NULL);
		if (!d)
			return;
		put(d->subject, "table %s %s, chain %s", ch->family, ch->table, ch->name);
		put(d->what, "forward hook with policy drop (not nsnet's)");
		if (strcmp(ch->family, "bridge") == 0)
			put(d->why, "it drops frames bridged between the ports of a bridge: "
				    "namespaces on one bridge cannot reach each other");
		else
			put(d->why, "it drops %straffic routed between %s%s and the outside, and "
				    "port forwards to them, unless a rule of that chain accepts it",
			    v6 ? "IPv6 " : "", names[0] ? "the bridges " : "nsnet's bridges",
			    names);
		drop_chain_fix(c, ch, d->fix, sizeof(d->fix));
	}
}

static void check_br_netfilter(struct ctx *c)
{
	const struct doctor_chain *hit = NULL;
	struct doctor_finding *d;

	if (!routes_any(c))
		return;
	for (size_t i = 0; i < c->f->n_drop_chains && !hit; i++) {
		const char *fam = c->f->drop_chains[i].family;
		bool inet = strcmp(fam, "inet") == 0;

		if ((c->f->bridge_nf_ip4 == 1 && (inet || strcmp(fam, "ip") == 0)) ||
		    (c->f->bridge_nf_ip6 == 1 && (inet || strcmp(fam, "ip6") == 0)))
			hit = &c->f->drop_chains[i];
	}
	if (!hit || !(d = add(c, "br-netfilter", DOCTOR_PROBLEM, NULL)))
		return;
	put(d->subject, "net.bridge.bridge-nf-call-%s", c->f->bridge_nf_ip4 == 1 ? "iptables"
										 : "ip6tables");
	put(d->what, "br_netfilter is loaded and passes bridged traffic to the firewall");
	put(d->why, "frames between namespaces on the same bridge go through the forward hook "
		    "too, so the drop policy of table %s %s, chain %s also cuts namespaces of one "
		    "bridge off from each other", hit->family, hit->table, hit->name);
	put(d->fix, "sysctl -w net.bridge.bridge-nf-call-iptables=0 "
		    "net.bridge.bridge-nf-call-ip6tables=0 (unless a tool on the host needs them, "
		    "as Kubernetes does), or accept the bridges' traffic in that chain (see "
		    "forward-drop)");
}

static int rp_filter_of(const struct ctx *c, const char *ifname)
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
static void check_rp_filter_bridge(struct ctx *c, const struct doctor_topo *dt, const char *br)
{
	const struct netstate *host = host_of(c, dt);
	int brx = link_index(host, br), dev = rp_filter_of(c, br);
	int eff = c->f->rp_filter_all > dev ? c->f->rp_filter_all : dev;
	char astray[DOCTOR_TEXT_MAX] = "";
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
			rt = route_lookup(host, &a->prefix.addr);
			if (!rt || rt->oif == brx)
				continue;
			inet_addr_format(&a->prefix.addr, addr, sizeof(addr));
			append(astray, sizeof(astray), "%s%s ('%s' in '%s') out of '%s'",
			       astray[0] ? ", " : "", addr, end->name, ns->name,
			       link_name(host, rt->oif));
		}
	}
	if (!astray[0] || !(d = add(c, "rp-filter-strict", DOCTOR_WARNING, dt->name)))
		return;
	put(d->subject, "net.ipv4.conf.%s.rp_filter", br);
	put(d->what, "strict reverse-path filtering on bridge '%s' (rp_filter %d, the larger of "
		     "all=%d and %s=%d), and the host routes %s, not through the bridge", br, eff,
	    c->f->rp_filter_all, br, dev, astray);
	put(d->why, "packets from those addresses arriving on '%s' fail the reverse-path check "
		    "and are dropped without a trace", br);
	put(d->fix, "sysctl -w net.ipv4.conf.all.rp_filter=2 net.ipv4.conf.%s.rp_filter=2 "
		    "(loose), or remove the host route that sends them elsewhere", br);
}

static void route_describe(const struct netstate *host, const struct ns_route *rt, char *buf,
			   size_t len)
{
	char dst[PREFIX_STR_MAX], gw[INET_STR_MAX];

	inet_prefix_format(&rt->dst, dst, sizeof(dst));
	snprintf(buf, len, "%s", dst);
	if (rt->gateway.family) {
		inet_addr_format(&rt->gateway, gw, sizeof(gw));
		append(buf, len, " via %s", gw);
	}
	if (rt->oif)
		append(buf, len, " dev %s", link_name(host, rt->oif));
	if (rt->table != RT_TABLE_MAIN)
		append(buf, len, " table %u", rt->table);
}

static void check_overlap_bridge(struct ctx *c, const struct doctor_topo *dt, const char *br)
{
	const struct netstate *host = host_of(c, dt);
	struct inet_prefix subnets[TOPOLOGY_ADDRS_MAX];
	size_t n = bridge_subnets(dt, host, br, subnets, ARRAY_SIZE(subnets));
	int brx = link_index(host, br);

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
			    !(d = add(c, "route-overlap", DOCTOR_PROBLEM, dt->name)))
				continue;
			route_describe(host, rt, route, sizeof(route));
			inet_prefix_format(&subnets[k], sub, sizeof(sub));
			put(d->subject, "route %s", route);
			put(d->what, "the host routes %s, which overlaps %s, the subnet of bridge "
				     "'%s'", route, sub, br);
			if (rt->dst.len >= subnets[k].len)
				put(d->why, "the longer prefix wins: traffic to those addresses of the "
					    "namespaces leaves through '%s' instead of the bridge, so "
					    "replies and port forwards to them go astray",
				    link_name(host, rt->oif));
			else
				put(d->why, "the bridge's subnet is the longer prefix: hosts of that "
					    "network inside %s are unreachable from the host and from "
					    "the namespaces", sub);
			put(d->fix, "ip route del %s, or give the topology a subnet no host route "
				    "covers", route);
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

static void check_mtu_bridge(struct ctx *c, const struct doctor_topo *dt, const char *br)
{
	const struct netstate *host = host_of(c, dt);
	int brx = link_index(host, br);
	unsigned want = brx ? common_mtu(host, brx) : 0;
	struct doctor_finding *d;
	const char *sep = "";
	bool differ = false;

	for (size_t i = 0; want && i < host->n_links; i++)
		differ = differ || (host->links[i].master == brx && host->links[i].mtu != want);
	if (!differ || !(d = add(c, "mtu-mismatch", DOCTOR_PROBLEM, dt->name)))
		return;
	put(d->subject, "bridge '%s'", br);
	put(d->what, "its ports have different MTUs:");
	for (size_t i = 0; i < host->n_links; i++) {
		const struct ns_link *l = &host->links[i];

		if (l->master != brx)
			continue;
		more(d->what, "%s '%s' %u", sep, l->name, l->mtu);
		sep = ",";
		if (l->mtu != want)
			more(d->fix, "%sip link set dev %s mtu %u", d->fix[0] ? "; " : "", l->name,
			     want);
	}
	put(d->why, "a port drops frames larger than its own MTU that the bridge and the other "
		    "ports pass: small packets work, large ones (bulk TCP data) hang");
}

static void mtu_veth(struct ctx *c, const struct doctor_topo *dt, const char *ns,
		     const struct ns_link *l, const char *peer_ns, const struct ns_link *p)
{
	const struct ns_link *small = l->mtu < p->mtu ? l : p;
	const char *small_ns = small == l ? ns : peer_ns;
	unsigned want = l->mtu > p->mtu ? l->mtu : p->mtu;
	struct doctor_finding *d;

	if (l->mtu == p->mtu || !(d = add(c, "mtu-mismatch", DOCTOR_PROBLEM, dt->name)))
		return;
	put(d->subject, "veth '%s'", l->name);
	put(d->what, "its two ends differ: '%s' %s%s%s %u, '%s' %s%s%s %u", l->name,
	    ns[0] ? "in '" : "on the host", ns, ns[0] ? "'" : "", l->mtu, p->name,
	    peer_ns[0] ? "in '" : "on the host", peer_ns, peer_ns[0] ? "'" : "", p->mtu);
	put(d->why, "the end with the smaller MTU drops frames the other sends whole: small "
		    "packets work, large ones (bulk TCP data) hang");
	if (small_ns[0])
		put(d->fix, "ip -n %s link set dev %s mtu %u", small_ns, small->name, want);
	else
		put(d->fix, "ip link set dev %s mtu %u", small->name, want);
}

/* Every veth of dt whose two ends have different MTUs, each pair once. */
static void check_mtu_veths(struct ctx *c, const struct doctor_topo *dt)
{
	const struct netstate *host = host_of(c, dt);
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

static void check_default_route(struct ctx *c, const struct doctor_topo *dt)
{
	for (size_t i = 0; dt->want && i < dt->want->n_bridges; i++) {
		const struct topology_bridge *b = &dt->want->bridges[i];
		struct doctor_finding *d;

		if (!b->nat || default_route4(host_of(c, dt)) ||
		    !(d = add(c, "no-default-route", DOCTOR_PROBLEM, dt->name)))
			continue;
		put(d->subject, "bridge '%s' (nat: true)", b->name);
		put(d->what, "the host has no IPv4 default route");
		put(d->why, "masqueraded traffic of the namespaces leaves through the host's own "
			    "route to its destination: without a default route only directly "
			    "connected networks are reachable, the rest is 'network unreachable'");
		put(d->fix, "ip route add default via GATEWAY dev UPLINK (the host's way out), or "
			    "set nat: false if the namespaces need no outside access");
	}
}

int doctor_run(const struct doctor_facts *f, struct doctor_report *ret, struct error *err)
{
	struct ctx c = {.f = f, .r = ret};

	memset(ret, 0, sizeof(*ret));
	check_forwarding(&c);
	check_drop_chains(&c);
	check_br_netfilter(&c);
	for (size_t t = 0; t < f->n_topos; t++) {
		const struct doctor_topo *dt = &f->topos[t];
		const char *br;
		size_t i = 0;

		while ((br = bridge_next(&c, dt, &i))) {
			check_overlap_bridge(&c, dt, br);
			check_rp_filter_bridge(&c, dt, br);
			check_mtu_bridge(&c, dt, br);
		}
		check_mtu_veths(&c, dt);
		check_default_route(&c, dt);
	}
	if (c.oom) {
		doctor_report_clear(ret);
		return error_set(err, -ENOMEM, "out of memory");
	}
	return 0;
}
