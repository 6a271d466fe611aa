/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the kernel holds in one network namespace, as read back by the kernel
 * layer: links, addresses, routes and neighbours. `show` renders it; later the
 * planner compares it with what a topology wants.
 */
#ifndef NSNET_NETSTATE_H
#define NSNET_NETSTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "inet.h"
#include "name.h"

#define LLADDR_MAX 32
#define LINK_KIND_MAX 32

struct ns_link {
	int ifindex;
	char name[IFNAME_MAX + 1];
	char kind[LINK_KIND_MAX]; /* "veth", "bridge"...; "" for none */
	unsigned flags;           /* IFF_* */
	uint8_t operstate;        /* IF_OPER_* */
	uint8_t mac[LLADDR_MAX];
	size_t mac_len;
	unsigned mtu;
	int master;     /* ifindex, 0 for none */
	int link;       /* IFLA_LINK: for a veth, the peer's ifindex; 0 for none */
	int link_nsid;  /* namespace id of the peer as seen from here; -1: same namespace */
	char alias[256];
	uint32_t group;
	/*
	 * net.ipv6.conf.NAME.accept_ra as the link dump tells it (IFLA_INET6_CONF),
	 * so the observer need not open a file per link; has_accept_ra false: the
	 * dump did not say (no IPv6 on the link, or in the kernel).
	 */
	bool has_accept_ra;
	int32_t accept_ra;
	/* Filled by the resolver when the peer could be found. */
	char peer_name[IFNAME_MAX + 1];
	char peer_netns[NETNS_NAME_MAX + 1]; /* "" while unknown */
	bool peer_resolved;
	bool peer_in_host; /* the peer is in the namespace the caller runs in */
};

struct ns_addr {
	int ifindex;
	struct inet_prefix prefix;
	uint8_t scope;
};

struct ns_route {
	struct inet_prefix dst;
	struct inet_addr gateway; /* family 0: none */
	struct inet_addr prefsrc; /* family 0: none */
	int oif;
	uint32_t table;
	uint32_t priority;
	uint8_t protocol;
	uint8_t scope;
	uint8_t type;
};

struct ns_neigh {
	int ifindex;
	struct inet_addr dst;
	uint8_t lladdr[LLADDR_MAX];
	size_t lladdr_len;
	uint16_t state; /* NUD_* */
};

struct netstate {
	struct ns_link *links;
	size_t n_links;
	struct ns_addr *addrs;
	size_t n_addrs;
	struct ns_route *routes;
	size_t n_routes;
	struct ns_neigh *neighs;
	size_t n_neighs;
	/*
	 * Set by netstate_sort, cleared by an added link: links then sorted by
	 * index, link_by_name their positions sorted by name; both looked up by
	 * bisection (a host of 1000 veths is asked about each of them).
	 */
	bool sorted;
	size_t *link_by_name;
};

struct netstate *netstate_new(void);
void netstate_free(struct netstate *st);
static inline void netstate_freep(struct netstate **st)
{
	netstate_free(*st);
}

/* Appends a zeroed element and returns it, or NULL when out of memory. */
struct ns_link *netstate_add_link(struct netstate *st);
struct ns_addr *netstate_add_addr(struct netstate *st);
struct ns_route *netstate_add_route(struct netstate *st);
struct ns_neigh *netstate_add_neigh(struct netstate *st);

const struct ns_link *netstate_link_by_index(const struct netstate *st, int ifindex);
const struct ns_link *netstate_link_by_name(const struct netstate *st, const char *name);

/* Sorts every list into the order people read: by ifindex, then address. */
void netstate_sort(struct netstate *st);

/* Names as iproute2 prints them; numbers for what has no name. */
const char *netstate_operstate_name(uint8_t operstate);
const char *netstate_scope_name(uint8_t scope, char *buf, size_t len);
const char *netstate_protocol_name(uint8_t protocol, char *buf, size_t len);
const char *netstate_neigh_state_name(uint16_t state, char *buf, size_t len);
const char *netstate_family_name(int family);

#endif
