// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The routes of a namespace: each destination a network (no host bits) and
 * routed once (a second route to it would fail in the kernel, or replace the
 * first), each device one of the namespace's, each gateway another host on
 * one of the namespace's subnets.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "topology-check.h"

static void route_key(char *out, const struct topology_ns *ns, size_t k, const char *leaf)
{
	snprintf(out, TOPOLOGY_KEY_MAX, "namespaces.%s.routes[%zu].%s", ns->name, k, leaf);
}

/* "10.9.0.0/16", or "default (0.0.0.0/0)". */
static void dst_format(const struct inet_prefix *p, char *buf, size_t len)
{
	char s[PREFIX_STR_MAX];

	inet_prefix_format(p, s, sizeof(s));
	if (p->len == 0)
		snprintf(buf, len, "default (%s)", s);
	else
		snprintf(buf, len, "%s", s);
}

static int check_dst(struct checker *c, const struct topology_ns *ns, size_t k)
{
	const struct topology_route *rt = &ns->routes[k];
	struct inet_prefix net = inet_prefix_network(&rt->to);
	char key[TOPOLOGY_KEY_MAX], a[PREFIX_STR_MAX + 16], b[PREFIX_STR_MAX];

	route_key(key, ns, k, "to");
	if (!inet_addr_equal(&net.addr, &rt->to.addr)) {
		inet_prefix_format(&rt->to, a, sizeof(a));
		inet_prefix_format(&net, b, sizeof(b));
		return topology_error(c->err, c->file, rt->to_pos, key,
				      "%s has host bits set; the network is %s", a, b);
	}
	/* At most 256 routes a namespace: pairwise is cheap. */
	for (size_t j = 0; j < k; j++) {
		const struct topology_route *o = &ns->routes[j];
		char first[TOPOLOGY_KEY_MAX];

		if (o->to.len != rt->to.len || !inet_addr_equal(&o->to.addr, &rt->to.addr))
			continue;
		route_key(first, ns, j, "to");
		dst_format(&rt->to, a, sizeof(a));
		return topology_error(c->err, c->file, rt->to_pos, key,
				      "route to %s is already given by %s (at %u:%u)", a, first,
				      o->to_pos.line, o->to_pos.col);
	}
	return 0;
}

/*
 * The gateway: a host address, not the namespace's own, on a subnet of the
 * namespace (of dev's when given: SIZE_MAX for any) and not its network or
 * broadcast address.
 */
static int check_via(struct checker *c, const struct topology_ns *ns, size_t k, size_t dev)
{
	const struct topology_route *rt = &ns->routes[k];
	const struct topology_addr *on = NULL;
	struct inet_prefix p = {.addr = rt->via};
	char key[TOPOLOGY_KEY_MAX], buf[INET_STR_MAX], net[PREFIX_STR_MAX], own[TOPOLOGY_KEY_MAX],
		leaf[32];
	struct error e = {0};
	enum inet_slot slot;

	route_key(key, ns, k, "via");
	inet_addr_format(&rt->via, buf, sizeof(buf));
	if (inet_addr_host_check(&rt->via, INET_KIND_BIT(INET_KIND_LINK_LOCAL), &e) < 0)
		return topology_error(c->err, c->file, rt->via_pos, key, "gateway %s", e.msg);
	for (size_t i = 0; i < ns->n_ifaces; i++) {
		const struct topology_iface *ifc = &ns->ifaces[i];

		for (size_t a = 0; a < ifc->n_addrs; a++) {
			if (inet_addr_equal(&ifc->addrs[a].prefix.addr, &rt->via)) {
				checker_addr_leaf(leaf, sizeof(leaf), ifc->addrs_listed, a);
				checker_iface_key(own, ns, ifc, leaf);
				return topology_error(c->err, c->file, rt->via_pos, key,
						      "gateway %s is this namespace's own address "
						      "(%s); a gateway is another host",
						      buf, own);
			}
			if (!on && (dev == SIZE_MAX || dev == i) &&
			    inet_prefix_contains(&ifc->addrs[a].prefix, &rt->via))
				on = &ifc->addrs[a];
		}
	}
	if (!on)
		return topology_error(c->err, c->file, rt->via_pos, key,
				      "gateway %s is on no subnet of %s", buf,
				      dev == SIZE_MAX ? "the namespace" : "that interface");
	p.len = on->prefix.len;
	slot = inet_prefix_slot(&p);
	if (slot == INET_SLOT_HOST)
		return 0;
	p = inet_prefix_network(&on->prefix);
	inet_prefix_format(&p, net, sizeof(net));
	return topology_error(c->err, c->file, rt->via_pos, key, "gateway %s is %s of %s", buf,
			      inet_slot_describe(slot), net);
}

int checker_routes(struct checker *c, const struct topology_ns *ns)
{
	char key[TOPOLOGY_KEY_MAX];
	int r;

	for (size_t k = 0; k < ns->n_routes; k++) {
		const struct topology_route *rt = &ns->routes[k];
		size_t dev = SIZE_MAX;

		r = check_dst(c, ns, k);
		if (r < 0)
			return r;
		if (rt->dev[0]) {
			dev = checker_iface_find(ns, rt->dev);
			if (dev == SIZE_MAX) {
				route_key(key, ns, k, "dev");
				return topology_error(c->err, c->file, rt->dev_pos, key,
						      "no interface '%s' in namespace '%s'",
						      rt->dev, ns->name);
			}
		}
		if (rt->has_via) {
			r = check_via(c, ns, k, dev);
			if (r < 0)
				return r;
		}
	}
	return 0;
}
