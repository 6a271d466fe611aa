// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A bridge's subnet that another topology's bridge or the host already uses:
 * the host would have two routes for one destination, and which one wins is
 * a matter of order. That cannot work, so it is refused like any other bad
 * address (an input error at the address's FILE:LINE:COL, before anything is
 * touched, dry runs included), naming what holds it, unless the bridge says
 * `allow-overlap: true`. Link-local addresses overlap on every link by nature
 * and are not compared; neither are the topology's own links, nor default
 * routes (the way out, which every subnet "overlaps").
 */
#include <errno.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>

#include "plan-internal.h"

static bool overlaps(const struct inet_prefix *a, const struct inet_prefix *b)
{
	struct inet_prefix na = inet_prefix_network(a), nb = inet_prefix_network(b);

	return a->addr.family == b->addr.family &&
	       (inet_prefix_contains(&na, &nb.addr) || inet_prefix_contains(&nb, &na.addr));
}

/* Who holds link l: "host interface 'eth1'" or "bridge 'v-net-1' of topology 'other'". */
static void holder(const struct ns_link *l, char *buf, size_t len)
{
	const char *other = owner_of_alias(l->alias);

	if (other)
		snprintf(buf, len, "%s '%s' of topology '%s'", strcmp(l->kind, "bridge") ? "link"
								      : "bridge",
			 l->name, other);
	else
		snprintf(buf, len, "host interface '%s'", l->name);
}

static bool ours(const struct builder *b, const struct ns_link *l)
{
	return l && owner_alias_is(l->alias, b->topo);
}

static int refuse(const struct builder *b, const struct topology_bridge *br, size_t k,
		  const char *what, const char *by)
{
	char key[TOPOLOGY_KEY_MAX], p[PREFIX_STR_MAX];

	inet_prefix_format(&br->addrs[k].prefix, p, sizeof(p));
	if (br->addrs_listed)
		snprintf(key, sizeof(key), "bridges.%s.addresses[%zu]", br->name, k);
	else
		snprintf(key, sizeof(key), "bridges.%s.address", br->name);
	return topology_error(b->err, b->want->file ? b->want->file : b->want->name,
			      br->addrs[k].pos, key,
			      "%s overlaps %s %s; one subnet on two links cannot be routed "
			      "(choose another subnet, or set allow-overlap: true on the bridge if "
			      "that is meant)",
			      p, what, by);
}

static int check_one(const struct builder *b, const struct topology_bridge *br, size_t k)
{
	const struct inet_prefix *mine = &br->addrs[k].prefix;
	const struct netstate *host = b->have->host;
	char by[160], what[PREFIX_STR_MAX + 16];

	if (inet_addr_kind(&mine->addr) == INET_KIND_LINK_LOCAL)
		return 0;
	for (size_t i = 0; i < host->n_addrs; i++) {
		const struct ns_addr *x = &host->addrs[i];
		const struct ns_link *l = netstate_link_by_index(host, x->ifindex);

		if (!l || ours(b, l) || strcmp(l->name, "lo") == 0 ||
		    inet_addr_kind(&x->prefix.addr) == INET_KIND_LINK_LOCAL ||
		    !overlaps(mine, &x->prefix))
			continue;
		inet_prefix_format(&x->prefix, what, sizeof(what));
		holder(l, by, sizeof(by));
		return refuse(b, br, k, what, by);
	}
	for (size_t i = 0; i < host->n_routes; i++) {
		const struct ns_route *rt = &host->routes[i];
		const struct ns_link *l = netstate_link_by_index(host, rt->oif);

		if (rt->table != RT_TABLE_MAIN || rt->type != RTN_UNICAST || !rt->dst.len ||
		    ours(b, l) || !overlaps(mine, &rt->dst))
			continue;
		snprintf(what, sizeof(what), "the route to ");
		inet_prefix_format(&rt->dst, what + strlen(what), sizeof(what) - strlen(what));
		if (l)
			holder(l, by, sizeof(by));
		else
			snprintf(by, sizeof(by), "on the host");
		snprintf(what + strlen(what), sizeof(what) - strlen(what), " through");
		return refuse(b, br, k, what, by);
	}
	return 0;
}

int plan_overlaps(struct builder *b)
{
	for (size_t i = 0; b->want && i < b->want->n_bridges; i++) {
		const struct topology_bridge *br = &b->want->bridges[i];

		for (size_t k = 0; !br->allow_overlap && k < br->n_addrs; k++) {
			int r = check_one(b, br, k);

			if (r < 0)
				return r;
		}
	}
	return 0;
}
