// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nsnet show [NAME] [--json]: what the tutorial reads with `ip link`, `ip addr`,
 * `ip route` and `arp`, in one view. Routes are those of the main table and
 * neighbours exclude NOARP entries, as iproute2 shows them by default.
 */
#include <jansson.h>
#include <linux/if.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "sys/observe.h"

static const char *dev_name(const struct netstate *st, int ifindex)
{
	const struct ns_link *l = netstate_link_by_index(st, ifindex);

	return l ? l->name : NULL;
}

static bool route_shown(const struct ns_route *r)
{
	return r->table == RT_TABLE_MAIN;
}

static bool neigh_shown(const struct ns_neigh *n)
{
	return !(n->state & NUD_NOARP) && n->state != NUD_NONE;
}

static json_t *json_str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *link_json(const struct netstate *st, const struct ns_link *l)
{
	char mac[LLADDR_MAX * 3];
	json_t *o, *peer = json_null();

	mac_format(l->mac, l->mac_len, mac, sizeof(mac));
	if (l->link) {
		peer = json_pack("{s:o, s:i, s:o, s:b}", "name",
				 json_str_or_null(l->peer_resolved ? l->peer_name : NULL),
				 "ifindex", l->link, "namespace",
				 json_str_or_null(l->peer_resolved ? l->peer_netns : NULL), "host",
				 l->peer_in_host);
		if (l->link_nsid >= 0)
			json_object_set_new(peer, "netnsid", json_integer(l->link_nsid));
	}
	o = json_pack("{s:i, s:s, s:o, s:s, s:b, s:o, s:i, s:o, s:o, s:o}", "ifindex", l->ifindex,
		      "name", l->name, "kind", json_str_or_null(l->kind), "state",
		      netstate_operstate_name(l->operstate), "up", (l->flags & IFF_UP) != 0, "mac",
		      json_str_or_null(l->mac_len ? mac : NULL), "mtu", (int)l->mtu, "master",
		      json_str_or_null(l->master ? dev_name(st, l->master) : NULL), "alias",
		      json_str_or_null(l->alias), "peer", peer);
	return o;
}

static json_t *state_json(const char *name, const struct netstate *st)
{
	json_t *links = json_array(), *addrs = json_array(), *routes = json_array(),
	       *neighs = json_array();
	char a[PREFIX_STR_MAX], b[INET_STR_MAX], c[INET_STR_MAX], buf[16];

	for (size_t i = 0; i < st->n_links; i++)
		json_array_append_new(links, link_json(st, &st->links[i]));
	for (size_t i = 0; i < st->n_addrs; i++) {
		const struct ns_addr *x = &st->addrs[i];

		inet_addr_format(&x->prefix.addr, b, sizeof(b));
		json_array_append_new(addrs,
				      json_pack("{s:o, s:s, s:s, s:i, s:s}", "dev",
						json_str_or_null(dev_name(st, x->ifindex)), "family",
						netstate_family_name(x->prefix.addr.family),
						"address", b, "prefixlen", x->prefix.len, "scope",
						netstate_scope_name(x->scope, buf, sizeof(buf))));
	}
	for (size_t i = 0; i < st->n_routes; i++) {
		const struct ns_route *r = &st->routes[i];
		char pbuf[16];

		if (!route_shown(r))
			continue;
		if (r->dst.len)
			inet_prefix_format(&r->dst, a, sizeof(a));
		else
			snprintf(a, sizeof(a), "default");
		if (r->gateway.family)
			inet_addr_format(&r->gateway, b, sizeof(b));
		if (r->prefsrc.family)
			inet_addr_format(&r->prefsrc, c, sizeof(c));
		json_array_append_new(
			routes,
			json_pack("{s:s, s:s, s:o, s:o, s:s, s:s, s:i, s:i, s:o}", "family",
				  netstate_family_name(r->dst.addr.family), "dst", a, "gateway",
				  json_str_or_null(r->gateway.family ? b : NULL), "dev",
				  json_str_or_null(r->oif ? dev_name(st, r->oif) : NULL), "protocol",
				  netstate_protocol_name(r->protocol, pbuf, sizeof(pbuf)), "scope",
				  netstate_scope_name(r->scope, buf, sizeof(buf)), "table",
				  (int)r->table, "metric", (int)r->priority, "prefsrc",
				  json_str_or_null(r->prefsrc.family ? c : NULL)));
	}
	for (size_t i = 0; i < st->n_neighs; i++) {
		const struct ns_neigh *n = &st->neighs[i];
		char mac[LLADDR_MAX * 3];

		if (!neigh_shown(n))
			continue;
		inet_addr_format(&n->dst, b, sizeof(b));
		mac_format(n->lladdr, n->lladdr_len, mac, sizeof(mac));
		json_array_append_new(
			neighs, json_pack("{s:o, s:s, s:o, s:s}", "dev",
					  json_str_or_null(dev_name(st, n->ifindex)), "dst", b,
					  "lladdr", json_str_or_null(n->lladdr_len ? mac : NULL),
					  "state", netstate_neigh_state_name(n->state, buf, sizeof(buf))));
	}
	return json_pack("{s:o, s:o, s:o, s:o, s:o}", "namespace", json_str_or_null(name), "links",
			 links, "addresses", addrs, "routes", routes, "neighbours", neighs);
}

static void print_link(const struct netstate *st, const struct ns_link *l)
{
	char mac[LLADDR_MAX * 3];

	mac_format(l->mac, l->mac_len, mac, sizeof(mac));
	printf("  %3d: %-15s %-7s %-14s %-17s mtu %-5u", l->ifindex, l->name,
	       l->kind[0] ? l->kind : "-", netstate_operstate_name(l->operstate),
	       l->mac_len ? mac : "-", l->mtu);
	if (l->master)
		printf(" master '%s'", dev_name(st, l->master) ? dev_name(st, l->master) : "?");
	if (l->link && l->peer_resolved)
		printf(" peer '%s'%s%s%s", l->peer_name, l->peer_in_host ? " on the host" : "",
		       l->peer_netns[0] ? " in '" : "", l->peer_netns[0] ? l->peer_netns : "");
	if (l->link && l->peer_resolved && l->peer_netns[0])
		putchar('\'');
	else if (l->link && !l->peer_resolved)
		printf(" peer #%d in netns id %d", l->link, l->link_nsid);
	if (!(l->flags & IFF_UP))
		printf(" (admin down)");
	putchar('\n');
}

static void print_state(const char *name, const struct netstate *st)
{
	char a[PREFIX_STR_MAX], b[INET_STR_MAX], buf[16];

	printf("%s%s%s\n", name ? "namespace '" : "host", name ? name : "", name ? "'" : "");
	printf("links:\n");
	for (size_t i = 0; i < st->n_links; i++)
		print_link(st, &st->links[i]);
	printf("addresses:\n");
	for (size_t i = 0; i < st->n_addrs; i++) {
		const struct ns_addr *x = &st->addrs[i];

		inet_prefix_format(&x->prefix, a, sizeof(a));
		printf("  %-15s %-43s scope %s\n", dev_name(st, x->ifindex), a,
		       netstate_scope_name(x->scope, buf, sizeof(buf)));
	}
	printf("routes:\n");
	for (size_t i = 0; i < st->n_routes; i++) {
		const struct ns_route *r = &st->routes[i];

		if (!route_shown(r))
			continue;
		if (r->dst.len)
			inet_prefix_format(&r->dst, a, sizeof(a));
		printf("  %s", r->dst.len ? a : "default");
		if (r->gateway.family) {
			inet_addr_format(&r->gateway, b, sizeof(b));
			printf(" via %s", b);
		}
		if (r->oif)
			printf(" dev %s", dev_name(st, r->oif) ? dev_name(st, r->oif) : "?");
		printf(" proto %s", netstate_protocol_name(r->protocol, buf, sizeof(buf)));
		printf(" scope %s", netstate_scope_name(r->scope, buf, sizeof(buf)));
		if (r->prefsrc.family) {
			inet_addr_format(&r->prefsrc, b, sizeof(b));
			printf(" src %s", b);
		}
		if (r->priority)
			printf(" metric %u", r->priority);
		putchar('\n');
	}
	printf("neighbours:\n");
	for (size_t i = 0; i < st->n_neighs; i++) {
		const struct ns_neigh *n = &st->neighs[i];
		char mac[LLADDR_MAX * 3];

		if (!neigh_shown(n))
			continue;
		inet_addr_format(&n->dst, b, sizeof(b));
		mac_format(n->lladdr, n->lladdr_len, mac, sizeof(mac));
		printf("  %-39s dev %-15s lladdr %-17s %s\n", b, dev_name(st, n->ifindex),
		       n->lladdr_len ? mac : "-",
		       netstate_neigh_state_name(n->state, buf, sizeof(buf)));
	}
}

int cmd_show(const struct command *cmd, int argc, char **argv)
{
	_cleanup_(netstate_freep) struct netstate *st = NULL;
	struct error err = {0};
	const char *name = NULL;
	bool json = false;
	int i;

	i = cli_parse_simple(cmd, "", argc, argv, &json, NULL, NULL, 0);
	if (i < 0)
		return i == -1 ? EXIT_OK : EXIT_USAGE;
	if (argc - i > 1)
		return cli_usage(cmd, "show takes at most one NAME");
	if (argc - i == 1) {
		name = argv[i];
		if (name_netns_check(name, &err) < 0)
			return cli_fail(&err);
	}
	if (observe_namespace(name, &st, &err) < 0)
		return cli_fail(&err);
	if (json) {
		json_t *o = state_json(name, st);

		json_dumpf(o, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(o);
	} else {
		print_state(name, st);
	}
	return EXIT_OK;
}
