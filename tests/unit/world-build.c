// SPDX-License-Identifier: GPL-2.0-or-later
/* Hand-written observed worlds and their canonical text (see world-build.h). */
#include <arpa/inet.h>
#include <linux/if.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/owner.h"
#include "core/strbuf.h"
#include "world-build.h"

void *wb_must(void *p)
{
	if (!p) {
		fprintf(stderr, "world-build: out of memory\n");
		abort();
	}
	return p;
}

struct world *wb_world_new(void)
{
	struct world *w = wb_must(calloc(1, sizeof(*w)));

	w->host = wb_must(netstate_new());
	w->ip_forward = 0;
	return w;
}

struct netstate *wb_ns_add(struct world *w, const char *name, const char *owner)
{
	struct world_ns *nv = wb_must(realloc(w->ns, (w->n_ns + 1) * sizeof(*nv)));
	size_t i = 0;

	w->ns = nv;
	while (i < w->n_ns && strcmp(nv[i].name, name) < 0)
		i++;
	memmove(&nv[i + 1], &nv[i], (w->n_ns - i) * sizeof(*nv));
	memset(&nv[i], 0, sizeof(nv[i]));
	snprintf(nv[i].name, sizeof(nv[i].name), "%s", name);
	if (owner) {
		nv[i].marked = true;
		snprintf(nv[i].owner, sizeof(nv[i].owner), "%s", owner);
	}
	nv[i].st = wb_must(netstate_new());
	w->n_ns++;
	return nv[i].st;
}

struct ns_link *wb_link(struct netstate *st, int ifindex, const char *name, const char *kind,
			const char *topo)
{
	struct ns_link *l = wb_must(netstate_add_link(st));
	bool lo = strcmp(name, "lo") == 0;

	l->ifindex = ifindex;
	l->link_nsid = -1;
	snprintf(l->name, sizeof(l->name), "%s", name);
	snprintf(l->kind, sizeof(l->kind), "%s", kind);
	l->flags = IFF_UP | IFF_RUNNING | IFF_LOWER_UP |
		   (lo ? IFF_LOOPBACK : IFF_BROADCAST | IFF_MULTICAST);
	l->operstate = lo ? IF_OPER_UNKNOWN : IF_OPER_UP;
	l->mtu = lo ? 65536 : 1500;
	l->mac_len = MAC_LEN;
	if (!lo) {
		l->mac[0] = 0x02;
		l->mac[5] = (uint8_t)ifindex;
	}
	if (topo) {
		owner_alias(topo, l->alias, sizeof(l->alias));
		if (!lo)
			l->group = OWNER_GROUP;
	}
	return l;
}

void wb_peer(struct ns_link *l, const char *ns, const char *name)
{
	snprintf(l->peer_name, sizeof(l->peer_name), "%s", name);
	snprintf(l->peer_netns, sizeof(l->peer_netns), "%s", ns);
	l->peer_in_host = !ns[0];
	l->peer_resolved = true;
}

static void parse_failed(const char *what, const char *s)
{
	fprintf(stderr, "world-build: bad %s '%s'\n", what, s);
	abort();
}

void wb_addr(struct netstate *st, int ifindex, const char *prefix)
{
	struct ns_addr *a = wb_must(netstate_add_addr(st));
	const struct ns_link *l = netstate_link_by_index(st, ifindex);

	a->ifindex = ifindex;
	if (inet_prefix_parse(prefix, &a->prefix, NULL) < 0)
		parse_failed("prefix", prefix);
	if (l && (l->flags & IFF_LOOPBACK))
		a->scope = RT_SCOPE_HOST;
	else if (a->prefix.addr.family == AF_INET6 && a->prefix.addr.bytes[0] == 0xfe &&
		 (a->prefix.addr.bytes[1] & 0xc0) == 0x80)
		a->scope = RT_SCOPE_LINK;
}

void wb_route(struct netstate *st, const char *dst, int oif, const char *gw, uint8_t protocol)
{
	struct ns_route *r = wb_must(netstate_add_route(st));
	int family = AF_INET;

	if (gw && inet_addr_parse(gw, &r->gateway, NULL) < 0)
		parse_failed("gateway", gw);
	if (gw)
		family = r->gateway.family;
	else if (strchr(dst, ':'))
		family = AF_INET6;
	if (inet_route_dst_parse(dst, family, &r->dst, NULL) < 0)
		parse_failed("route destination", dst);
	r->oif = oif;
	r->table = RT_TABLE_MAIN;
	r->protocol = protocol;
	r->scope = gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	r->type = RTN_UNICAST;
	if (family == AF_INET6) {
		r->priority = protocol == RTPROT_KERNEL ? 256 : 1024;
		r->scope = RT_SCOPE_UNIVERSE; /* IPv6 routes have no scope of their own */
	}
}

void wb_world_done(struct world *w)
{
	netstate_sort(w->host);
	for (size_t i = 0; i < w->n_ns; i++)
		netstate_sort(w->ns[i].st);
}

/* Lines of one place, sorted, so that the order of creation does not show. */
struct lines {
	char **v;
	size_t n;
};

static void lines_add(struct lines *ls, struct strbuf *b)
{
	ls->v = wb_must(realloc(ls->v, (ls->n + 1) * sizeof(*ls->v)));
	ls->v[ls->n++] = wb_must(strbuf_take(b));
}

static int cmp_line(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

static const char *link_name(const struct netstate *st, int ifindex)
{
	const struct ns_link *l = netstate_link_by_index(st, ifindex);

	return l ? l->name : "?";
}

static void put_link(struct lines *ls, const struct netstate *st, const struct ns_link *l)
{
	struct strbuf b = {0};
	const char *owner = owner_of_alias(l->alias);

	strbuf_printf(&b, "link %s %s mtu %u %s", l->name, l->kind[0] ? l->kind : "-", l->mtu,
		      l->flags & IFF_UP ? "up" : "down");
	if (l->master)
		strbuf_printf(&b, " master %s", link_name(st, l->master));
	if (owner)
		strbuf_printf(&b, " mark %s", owner);
	else if (l->alias[0])
		strbuf_printf(&b, " alias \"%s\"", l->alias);
	if (l->group == OWNER_GROUP)
		strbuf_printf(&b, " group nsnet");
	else if (l->group)
		strbuf_printf(&b, " group %u", l->group);
	if (l->peer_resolved)
		strbuf_printf(&b, " peer %s@%s", l->peer_name,
			      l->peer_in_host ? "host" : l->peer_netns);
	else if (strcmp(l->kind, "veth") == 0)
		strbuf_printf(&b, " peer ?");
	lines_add(ls, &b);
}

static void put_place(struct strbuf *out, const char *title, const struct netstate *st)
{
	struct lines ls = {0};
	char buf[PREFIX_STR_MAX], gw[INET_STR_MAX], proto[16];

	for (size_t i = 0; i < st->n_links; i++)
		put_link(&ls, st, &st->links[i]);
	for (size_t i = 0; i < st->n_addrs; i++) {
		struct strbuf b = {0};

		inet_prefix_format(&st->addrs[i].prefix, buf, sizeof(buf));
		strbuf_printf(&b, "addr %s dev %s", buf, link_name(st, st->addrs[i].ifindex));
		lines_add(&ls, &b);
	}
	for (size_t i = 0; i < st->n_routes; i++) {
		const struct ns_route *r = &st->routes[i];
		struct strbuf b = {0};

		if (r->dst.len)
			inet_prefix_format(&r->dst, buf, sizeof(buf));
		else
			snprintf(buf, sizeof(buf), "default%s",
				 r->dst.addr.family == AF_INET6 ? "6" : "");
		strbuf_printf(&b, "route %s", buf);
		if (r->gateway.family) {
			inet_addr_format(&r->gateway, gw, sizeof(gw));
			strbuf_printf(&b, " via %s", gw);
		}
		strbuf_printf(&b, " dev %s proto %s table %u metric %u", link_name(st, r->oif),
			      netstate_protocol_name(r->protocol, proto, sizeof(proto)), r->table,
			      r->priority);
		lines_add(&ls, &b);
	}
	if (ls.n)
		qsort(ls.v, ls.n, sizeof(*ls.v), cmp_line);
	strbuf_printf(out, "%s\n", title);
	for (size_t i = 0; i < ls.n; i++) {
		strbuf_printf(out, "  %s\n", ls.v[i]);
		free(ls.v[i]);
	}
	free(ls.v);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char *wb_world_text(const struct world *w)
{
	struct strbuf out = {0};

	put_place(&out, "host", w->host);
	for (size_t i = 0; i < w->n_ns; i++) {
		char title[NETNS_NAME_MAX * 2 + 32];

		if (w->ns[i].marked)
			snprintf(title, sizeof(title), "namespace %s owner %s", w->ns[i].name,
				 w->ns[i].owner);
		else
			snprintf(title, sizeof(title), "namespace %s unmarked", w->ns[i].name);
		put_place(&out, title, w->ns[i].st);
	}
	if (w->fw_exists)
		strbuf_printf(&out, "firewall \"%s\"\n", w->fw_comment);
	else
		strbuf_printf(&out, "firewall none\n");
	strbuf_printf(&out, "ip_forward %d\n", w->ip_forward);
	/* Sorted (the order of reading does not show); a key that does not exist (-1) says nothing. */
	{
		struct strbuf sb = {0};
		char **lines = wb_must(calloc(w->n_sysctls + 1, sizeof(*lines)));
		size_t n = 0;

		for (size_t i = 0; i < w->n_sysctls; i++) {
			if (w->sysctls[i].value < 0)
				continue;
			strbuf_printf(&sb, "sysctl %s%s%s = %d\n", w->sysctls[i].ns,
				      w->sysctls[i].ns[0] ? ": " : "", w->sysctls[i].key,
				      w->sysctls[i].value);
			lines[n++] = wb_must(strbuf_take(&sb));
		}
		if (n)
			qsort(lines, n, sizeof(*lines), cmp_str);
		for (size_t i = 0; i < n; i++) {
			strbuf_printf(&out, "%s", lines[i]);
			free(lines[i]);
		}
		free(lines);
	}
	for (size_t i = 0; i < w->claims.n; i++)
		strbuf_printf(&out, "claim %s\n", w->claims.names[i]);
	return wb_must(strbuf_take(&out));
}
