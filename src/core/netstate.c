// SPDX-License-Identifier: GPL-2.0-or-later
#include <arpa/inet.h>
#include <linux/if.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netstate.h"

struct netstate *netstate_new(void)
{
	return calloc(1, sizeof(struct netstate));
}

void netstate_free(struct netstate *st)
{
	if (!st)
		return;
	free(st->links);
	free(st->addrs);
	free(st->routes);
	free(st->neighs);
	free(st->link_by_name);
	free(st);
}

/*
 * Grows *arr by one zeroed element of size sz. Capacity is implicit: 8, then
 * doubled whenever the count reaches a power of two, so appends are O(1).
 */
static void *array_append(void **arr, size_t *n, size_t sz)
{
	char *p;

	if (*n == 0 || (*n >= 8 && (*n & (*n - 1)) == 0)) {
		size_t cap = *n ? *n * 2 : 8;

		p = realloc(*arr, cap * sz);
		if (!p)
			return NULL;
		*arr = p;
	}
	p = (char *)*arr + *n * sz;
	memset(p, 0, sz);
	(*n)++;
	return p;
}

struct ns_link *netstate_add_link(struct netstate *st)
{
	st->sorted = false;
	return array_append((void **)&st->links, &st->n_links, sizeof(struct ns_link));
}

struct ns_addr *netstate_add_addr(struct netstate *st)
{
	return array_append((void **)&st->addrs, &st->n_addrs, sizeof(struct ns_addr));
}

struct ns_route *netstate_add_route(struct netstate *st)
{
	return array_append((void **)&st->routes, &st->n_routes, sizeof(struct ns_route));
}

struct ns_neigh *netstate_add_neigh(struct netstate *st)
{
	return array_append((void **)&st->neighs, &st->n_neighs, sizeof(struct ns_neigh));
}

const struct ns_link *netstate_link_by_index(const struct netstate *st, int ifindex)
{
	size_t lo = 0, hi = st->n_links;

	if (!st->sorted) {
		for (size_t i = 0; i < st->n_links; i++)
			if (st->links[i].ifindex == ifindex)
				return &st->links[i];
		return NULL;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (st->links[mid].ifindex == ifindex)
			return &st->links[mid];
		if (st->links[mid].ifindex < ifindex)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct ns_link *netstate_link_by_name(const struct netstate *st, const char *name)
{
	size_t lo = 0, hi = st->n_links;

	if (!st->sorted || !st->link_by_name) {
		for (size_t i = 0; i < st->n_links; i++)
			if (strcmp(st->links[i].name, name) == 0)
				return &st->links[i];
		return NULL;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct ns_link *l = &st->links[st->link_by_name[mid]];
		int d = strcmp(l->name, name);

		if (d == 0)
			return l;
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int cmp_addr(const struct inet_addr *a, const struct inet_addr *b)
{
	if (a->family != b->family)
		return a->family - b->family;
	return memcmp(a->bytes, b->bytes, inet_family_len(a->family));
}

static int cmp_link(const void *x, const void *y)
{
	const struct ns_link *a = x, *b = y;

	return (a->ifindex > b->ifindex) - (a->ifindex < b->ifindex);
}

static int cmp_ns_addr(const void *x, const void *y)
{
	const struct ns_addr *a = x, *b = y;

	if (a->ifindex != b->ifindex)
		return (a->ifindex > b->ifindex) - (a->ifindex < b->ifindex);
	return cmp_addr(&a->prefix.addr, &b->prefix.addr);
}

static int cmp_route(const void *x, const void *y)
{
	const struct ns_route *a = x, *b = y;
	int c;

	if (a->table != b->table)
		return (a->table > b->table) - (a->table < b->table);
	c = cmp_addr(&a->dst.addr, &b->dst.addr);
	if (c)
		return c;
	if (a->dst.len != b->dst.len)
		return a->dst.len - b->dst.len;
	return (a->priority > b->priority) - (a->priority < b->priority);
}

static int cmp_neigh(const void *x, const void *y)
{
	const struct ns_neigh *a = x, *b = y;

	if (a->ifindex != b->ifindex)
		return (a->ifindex > b->ifindex) - (a->ifindex < b->ifindex);
	return cmp_addr(&a->dst, &b->dst);
}

static const struct netstate *sort_ctx; /* qsort has no context argument */

static int cmp_link_name(const void *x, const void *y)
{
	return strcmp(sort_ctx->links[*(const size_t *)x].name,
		      sort_ctx->links[*(const size_t *)y].name);
}

void netstate_sort(struct netstate *st)
{
	if (st->n_links)
		qsort(st->links, st->n_links, sizeof(*st->links), cmp_link);
	free(st->link_by_name);
	st->link_by_name = malloc((st->n_links ? st->n_links : 1) * sizeof(size_t));
	if (st->link_by_name) {
		/* Names are unique in a namespace: the kernel sees to it. */
		for (size_t i = 0; i < st->n_links; i++)
			st->link_by_name[i] = i;
		sort_ctx = st;
		qsort(st->link_by_name, st->n_links, sizeof(size_t), cmp_link_name);
		sort_ctx = NULL;
	}
	st->sorted = true;
	if (st->n_addrs)
		qsort(st->addrs, st->n_addrs, sizeof(*st->addrs), cmp_ns_addr);
	if (st->n_routes)
		qsort(st->routes, st->n_routes, sizeof(*st->routes), cmp_route);
	if (st->n_neighs)
		qsort(st->neighs, st->n_neighs, sizeof(*st->neighs), cmp_neigh);
}

const char *netstate_operstate_name(uint8_t operstate)
{
	static const char *const names[] = {
		[IF_OPER_UNKNOWN] = "UNKNOWN",	       [IF_OPER_NOTPRESENT] = "NOTPRESENT",
		[IF_OPER_DOWN] = "DOWN",	       [IF_OPER_LOWERLAYERDOWN] = "LOWERLAYERDOWN",
		[IF_OPER_TESTING] = "TESTING",	       [IF_OPER_DORMANT] = "DORMANT",
		[IF_OPER_UP] = "UP",
	};

	if (operstate < sizeof(names) / sizeof(names[0]) && names[operstate])
		return names[operstate];
	return "UNKNOWN";
}

const char *netstate_scope_name(uint8_t scope, char *buf, size_t len)
{
	switch (scope) {
	case RT_SCOPE_UNIVERSE:
		return "global";
	case RT_SCOPE_SITE:
		return "site";
	case RT_SCOPE_LINK:
		return "link";
	case RT_SCOPE_HOST:
		return "host";
	case RT_SCOPE_NOWHERE:
		return "nowhere";
	}
	snprintf(buf, len, "%u", scope);
	return buf;
}

const char *netstate_protocol_name(uint8_t protocol, char *buf, size_t len)
{
	switch (protocol) {
	case RTPROT_UNSPEC:
		return "unspec";
	case RTPROT_REDIRECT:
		return "redirect";
	case RTPROT_KERNEL:
		return "kernel";
	case RTPROT_BOOT:
		return "boot";
	case RTPROT_STATIC:
		return "static";
	case RTPROT_RA:
		return "ra";
	case RTPROT_DHCP:
		return "dhcp";
	}
	snprintf(buf, len, "%u", protocol);
	return buf;
}

const char *netstate_neigh_state_name(uint16_t state, char *buf, size_t len)
{
	static const struct {
		uint16_t bit;
		const char *name;
	} states[] = {
		{NUD_INCOMPLETE, "INCOMPLETE"}, {NUD_REACHABLE, "REACHABLE"}, {NUD_STALE, "STALE"},
		{NUD_DELAY, "DELAY"},		{NUD_PROBE, "PROBE"},	      {NUD_FAILED, "FAILED"},
		{NUD_NOARP, "NOARP"},		{NUD_PERMANENT, "PERMANENT"},
	};

	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (state == states[i].bit)
			return states[i].name;
	if (state == NUD_NONE)
		return "NONE";
	snprintf(buf, len, "0x%x", state);
	return buf;
}

const char *netstate_family_name(int family)
{
	return family == AF_INET6 ? "inet6" : family == AF_INET ? "inet" : "unspec";
}
