// SPDX-License-Identifier: GPL-2.0-or-later
/* A topology as DOT text; graph.h says what is drawn how. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "graph.h"
#include "strbuf.h"

/*
 * Appends s escaped for the inside of a DOT quoted string: '"' and '\' get a
 * backslash (a lone '\' would start one of Graphviz's label escapes, "\N" is
 * the node's name). Anything but printable ASCII becomes the visible text
 * "\xNN": a raw control byte or invalid UTF-8 makes dot fail or garble the
 * drawing, and the model's validation refuses both anyway.
 */
static void put_esc(struct strbuf *b, const char *s)
{
	while (*s) {
		const unsigned char c = (unsigned char)*s;
		size_t n = 0;

		while (s[n] && s[n] != '"' && s[n] != '\\' && (unsigned char)s[n] >= 0x20 &&
		       (unsigned char)s[n] < 0x7f)
			n++;
		if (n) {
			strbuf_printf(b, "%.*s", (int)n, s);
			s += n;
		} else if (c == '"' || c == '\\') {
			strbuf_printf(b, "\\%c", c);
			s++;
		} else {
			strbuf_printf(b, "\\\\x%02x", c);
			s++;
		}
	}
}

/* A quoted node id: "kind/name", or "name" when kind is NULL. */
static void put_id(struct strbuf *b, const char *kind, const char *name)
{
	strbuf_printf(b, "\"");
	if (kind)
		strbuf_printf(b, "%s/", kind);
	put_esc(b, name);
	strbuf_printf(b, "\"");
}

/* "192.168.15.2:80", "[fd00::2]:80", or a range "...:80-89". */
static void put_endpoint(struct strbuf *b, const struct inet_addr *a, unsigned lo, unsigned hi)
{
	char buf[INET_STR_MAX];

	inet_addr_format(a, buf, sizeof(buf));
	strbuf_printf(b, a->family == AF_INET6 ? "[%s]:%u" : "%s:%u", buf, lo);
	if (hi != lo)
		strbuf_printf(b, "-%u", hi);
}

/* The lines under a name in an interface's label; "\n" is DOT's line break. */
static void put_iface_label(struct strbuf *b, const struct topology_iface *ifc)
{
	put_esc(b, ifc->name);
	for (size_t k = 0; k < ifc->n_addrs; k++) {
		char buf[PREFIX_STR_MAX];

		inet_prefix_format(&ifc->addrs[k].prefix, buf, sizeof(buf));
		/* The first address on the name's line, as `ip -br addr` shows it. */
		strbuf_printf(b, "%s%s", k ? "\\n" : " ", buf);
	}
	if (ifc->mtu)
		strbuf_printf(b, "\\nmtu %u", (unsigned)ifc->mtu);
	if (ifc->has_mac) {
		char mac[MAC_STR_MAX];

		mac_format(ifc->mac, MAC_LEN, mac, sizeof(mac));
		strbuf_printf(b, "\\n%s", mac);
	}
}

static void put_bridge(struct strbuf *b, const struct topology_bridge *br)
{
	strbuf_printf(b, "\t\t");
	put_id(b, "br", br->name);
	strbuf_printf(b, " [shape=ellipse, label=\"");
	put_esc(b, br->name);
	for (size_t k = 0; k < br->n_addrs; k++) {
		char buf[PREFIX_STR_MAX];

		inet_prefix_format(&br->addrs[k].prefix, buf, sizeof(buf));
		strbuf_printf(b, "\\n%s", buf);
	}
	if (br->mtu)
		strbuf_printf(b, "\\nmtu %u", (unsigned)br->mtu);
	if (br->type == TOPOLOGY_BRIDGE_OVS)
		strbuf_printf(b, "\\novs");
	if (br->nat)
		strbuf_printf(b, "\\nnat");
	if (br->vxlan) {
		/* The segment goes on at other hosts: "vxlan 42 to 172.31.0.2, 172.31.0.3". */
		strbuf_printf(b, "\\nvxlan %u to", (unsigned)br->vxlan->id);
		for (size_t k = 0; k < br->vxlan->n_remotes && k < 4; k++) {
			char buf[INET_STR_MAX];

			inet_addr_format(&br->vxlan->remotes[k].prefix.addr, buf, sizeof(buf));
			strbuf_printf(b, "%s %s", k ? "," : "", buf);
		}
		if (br->vxlan->n_remotes > 4)
			strbuf_printf(b, " and %zu more", br->vxlan->n_remotes - 4);
	}
	strbuf_printf(b, "\"];\n");
}

/* "default via 192.168.15.5", "10.1.0.0/16 via 10.0.0.1 dev veth0", as ip-route(8) says it. */
static void put_route(struct strbuf *b, const struct topology_route *r)
{
	char buf[PREFIX_STR_MAX];

	if (r->to.len == 0) {
		strbuf_printf(b, "default");
	} else {
		inet_prefix_format(&r->to, buf, sizeof(buf));
		strbuf_printf(b, "%s", buf);
	}
	if (r->has_via) {
		inet_addr_format(&r->via, buf, sizeof(buf));
		strbuf_printf(b, " via %s", buf);
	}
	if (r->dev[0]) {
		strbuf_printf(b, " dev ");
		put_esc(b, r->dev);
	}
}

static void put_ns(struct strbuf *b, const struct topology_ns *ns)
{
	strbuf_printf(b, "\t");
	put_id(b, "ns", ns->name);
	strbuf_printf(b, " [shape=box, style=rounded, label=\"");
	put_esc(b, ns->name);
	for (size_t k = 0; k < ns->n_routes; k++) {
		strbuf_printf(b, "\\n");
		put_route(b, &ns->routes[k]);
	}
	strbuf_printf(b, "\"];\n");
}

/*
 * A cable declared on both sides is drawn from the side that comes first in
 * the file, so it appears once.
 */
static bool cable_drawn_here(size_t ns_idx, size_t if_idx, const struct topology_iface *ifc)
{
	if (ifc->peer_iface_idx == SIZE_MAX)
		return true;
	if (ns_idx != ifc->peer_ns_idx)
		return ns_idx < ifc->peer_ns_idx;
	return if_idx <= ifc->peer_iface_idx;
}

static void put_links(struct strbuf *b, const struct topology *t, size_t ns_idx)
{
	const struct topology_ns *ns = &t->namespaces[ns_idx];

	for (size_t i = 0; i < ns->n_ifaces; i++) {
		const struct topology_iface *ifc = &ns->ifaces[i];

		if (ifc->link == TOPOLOGY_LINK_BRIDGE) {
			/* Bridge first: with rankdir=LR the host stays on the left. */
			strbuf_printf(b, "\t");
			put_id(b, "br", ifc->bridge);
			strbuf_printf(b, " -> ");
			put_id(b, "ns", ns->name);
			strbuf_printf(b, " [taillabel=\"");
			put_esc(b, ifc->host_end);
			strbuf_printf(b, "\", headlabel=\"");
			put_iface_label(b, ifc);
			strbuf_printf(b, "\"];\n");
			continue;
		}
		if (!cable_drawn_here(ns_idx, i, ifc))
			continue;
		strbuf_printf(b, "\t");
		put_id(b, "ns", ns->name);
		strbuf_printf(b, " -> ");
		put_id(b, "ns", ifc->peer_ns);
		strbuf_printf(b, " [taillabel=\"");
		put_iface_label(b, ifc);
		strbuf_printf(b, "\", headlabel=\"");
		/* The peer's side bare when only this side declares the cable. */
		if (ifc->peer_iface_idx == SIZE_MAX) {
			put_esc(b, ifc->peer_iface);
		} else {
			const struct topology_ns *peer = &t->namespaces[ifc->peer_ns_idx];

			put_iface_label(b, &peer->ifaces[ifc->peer_iface_idx]);
		}
		strbuf_printf(b, "\"];\n");
	}
}

/* The namespace a forward lands in: named, or the owner of its target address. */
static const struct topology_ns *forward_ns(const struct topology *t,
					    const struct topology_forward *f)
{
	if (f->to_ns[0])
		return topology_ns_find(t, f->to_ns);
	for (size_t n = 0; n < t->n_namespaces; n++) {
		const struct topology_ns *ns = &t->namespaces[n];

		for (size_t i = 0; i < ns->n_ifaces; i++)
			for (size_t k = 0; k < ns->ifaces[i].n_addrs; k++)
				if (inet_addr_equal(&ns->ifaces[i].addrs[k].prefix.addr, &f->to))
					return ns;
	}
	return NULL;
}

static void put_forward(struct strbuf *b, const struct topology *t,
			const struct topology_forward *f)
{
	const struct topology_ns *ns = forward_ns(t, f);
	char to[INET_STR_MAX];

	inet_addr_format(&f->to, to, sizeof(to));
	/*
	 * Validation guarantees a namespace owns the target; an unvalidated
	 * model still gets a drawing, with the bare address as the target.
	 */
	if (!ns) {
		strbuf_printf(b, "\t");
		put_id(b, "addr", to);
		strbuf_printf(b, " [shape=plaintext, label=\"%s\"];\n", to);
	}
	strbuf_printf(b, "\t\"host\" -> ");
	if (ns)
		put_id(b, "ns", ns->name);
	else
		put_id(b, "addr", to);
	strbuf_printf(b, " [dir=forward, style=dashed, color=blue, fontcolor=blue, label=\"%s ",
		      f->proto == TOPOLOGY_PROTO_UDP ? "udp" : "tcp");
	if (f->has_host_addr)
		put_endpoint(b, &f->host_addr, f->port_lo, f->port_hi);
	else if (f->port_lo == f->port_hi)
		strbuf_printf(b, "%u", (unsigned)f->port_lo);
	else
		strbuf_printf(b, "%u-%u", (unsigned)f->port_lo, (unsigned)f->port_hi);
	strbuf_printf(b, " -> ");
	put_endpoint(b, &f->to, f->to_port_lo, f->to_port_hi);
	if (f->to6.family) { /* "NS:PORT" of a dual-stack namespace */
		strbuf_printf(b, ", ");
		put_endpoint(b, &f->to6, f->to_port_lo, f->to_port_hi);
	}
	strbuf_printf(b, "\"];\n");
}

int graph_dot_build(const struct topology *t, char **ret, struct error *err)
{
	struct strbuf b = {0};
	char *s;

	strbuf_printf(&b, "digraph ");
	put_id(&b, NULL, t->name);
	/*
	 * Wide ranks and labels set off the line: the interface names sit at
	 * the ends of the edges, and Graphviz does not keep end labels off
	 * edges and nodes by itself.
	 */
	strbuf_printf(&b, " {\n\tgraph [rankdir=LR, ranksep=2.5, nodesep=0.8, labelloc=t, "
			  "fontname=\"sans-serif\", label=\"nsnet topology '");
	put_esc(&b, t->name);
	strbuf_printf(&b, "'\"];\n\tnode [fontname=\"sans-serif\", fontsize=11];\n"
			  "\tedge [fontname=\"sans-serif\", fontsize=9, dir=none, "
			  "labeldistance=4, labelangle=40];\n");
	/* The host and its bridges are one box, as they are one network stack. */
	strbuf_printf(&b, "\tsubgraph \"cluster_host\" {\n\t\tlabel=\"host\";\n"
			  "\t\tstyle=dashed;\n\t\t\"host\" [shape=house, label=\"host\"];\n");
	for (size_t i = 0; i < t->n_bridges; i++)
		put_bridge(&b, &t->bridges[i]);
	strbuf_printf(&b, "\t}\n");
	for (size_t i = 0; i < t->n_namespaces; i++)
		put_ns(&b, &t->namespaces[i]);
	for (size_t i = 0; i < t->n_namespaces; i++)
		put_links(&b, t, i);
	for (size_t i = 0; i < t->n_forwards; i++)
		put_forward(&b, t, &t->forwards[i]);
	strbuf_printf(&b, "}\n");
	s = strbuf_take(&b);
	if (!s)
		return error_set(err, -ENOMEM, "graph of '%s': out of memory", t->name);
	*ret = s;
	return 0;
}
