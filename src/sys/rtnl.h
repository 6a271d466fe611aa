/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel objects nsnet manages, one intention-named function per change:
 * links (veth, bridge), addresses, routes and neighbours, plus reading a whole
 * namespace back into a struct netstate. Every function works on the
 * namespace of the socket it is given; errors name the object and namespace.
 */
#ifndef NSNET_RTNL_H
#define NSNET_RTNL_H

#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "core/inet.h"
#include "core/netstate.h"
#include "nl.h"

struct link_attrs {
	unsigned mtu;       /* 0: the kernel's default */
	const uint8_t *mac; /* NULL: the kernel picks a random one */
	const char *alias;  /* NULL: none */
	int netns_fd;       /* create in this namespace; -1: the socket's own */
	uint32_t group;     /* link group; 0: the default group */
};
#define LINK_ATTRS_INIT {.netns_fd = -1}

/*
 * A veth pair: name in the socket's namespace (or a->netns_fd), peer created
 * directly in pa->netns_fd. Never moved afterwards: a move waits for RCU.
 */
int nl_link_add_veth(struct nl_sock *s, const char *name, const struct link_attrs *a,
		     const char *peer, const struct link_attrs *pa, struct error *err);
int nl_link_add_bridge(struct nl_sock *s, const char *name, const struct link_attrs *a,
		       struct error *err);
/* master NULL releases the link from its master. */
int nl_link_set_master(struct nl_sock *s, const char *name, const char *master,
		       struct error *err);
/* The same with the master's index known (master names it in errors). */
int nl_link_set_master_index(struct nl_sock *s, const char *name, const char *master,
			     int master_index, struct error *err);
int nl_link_set_up(struct nl_sock *s, const char *name, bool up, struct error *err);
/* An alias and up in one request (a new namespace's lo). */
int nl_link_set_alias_up(struct nl_sock *s, const char *name, const char *alias,
			 struct error *err);
int nl_link_set_mtu(struct nl_sock *s, const char *name, unsigned mtu, struct error *err);
/* The link group of a link someone else made (an OVS bridge's internal port). */
int nl_link_set_group(struct nl_sock *s, const char *name, uint32_t group, struct error *err);
int nl_link_set_mac(struct nl_sock *s, const char *name, const uint8_t mac[MAC_LEN],
		    struct error *err);
int nl_link_set_alias(struct nl_sock *s, const char *name, const char *alias, struct error *err);
/*
 * What follows the creation of a link, in one request: its mark (the kernel
 * ignores IFLA_IFALIAS on creation; alias NULL: none), and
 * net.ipv4.conf.NAME.promote_secondaries = 1, so that deleting a primary
 * address promotes a secondary instead of flushing all of them (an address is
 * changed by adding the new one before removing the old). ipv6_off: no IPv6
 * link-local address (addrgenmode none), hence no DAD, router solicitation
 * or MLD from it; on a bridge of N ports these cost O(N^2) frames. For links
 * that get no IPv6 address; before the link goes up.
 */
int nl_link_setup(struct nl_sock *s, const char *name, const char *alias, bool ipv6_off,
		  struct error *err);
int nl_link_del(struct nl_sock *s, const char *name, struct error *err);
/*
 * Waits until the links ifindex[0..n) of the socket's namespace are gone (the
 * kernel removes them asynchronously, e.g. with their peer's namespace), or
 * until idle_ms pass without one of them going. ret_gone[i] says which went.
 */
int nl_links_wait_gone(struct nl_sock *s, const int *ifindex, bool *ret_gone, size_t n,
		       int idle_ms, struct error *err);
/* -ENODEV when there is no such link. */
int nl_link_index(struct nl_sock *s, const char *name, int *ret_ifindex, struct error *err);

int nl_addr_add(struct nl_sock *s, const char *dev, const struct inet_prefix *p,
		struct error *err);
int nl_addr_del(struct nl_sock *s, const char *dev, const struct inet_prefix *p,
		struct error *err);

struct route_spec {
	struct inet_prefix dst;   /* len 0: default route */
	struct inet_addr gateway; /* family 0: none (an on-link route) */
	const char *dev;          /* NULL: resolved by the kernel from the gateway */
	uint8_t protocol;         /* 0: RTPROT_STATIC on add, any on delete */
	uint32_t table;           /* 0: main */
	uint32_t priority;        /* metric */
};

int nl_route_add(struct nl_sock *s, const struct route_spec *r, struct error *err);
int nl_route_del(struct nl_sock *s, const struct route_spec *r, struct error *err);

/* A permanent neighbour entry. */
int nl_neigh_add(struct nl_sock *s, const char *dev, const struct inet_addr *dst,
		 const uint8_t mac[MAC_LEN], struct error *err);
int nl_neigh_del(struct nl_sock *s, const char *dev, const struct inet_addr *dst,
		 struct error *err);

/* The id under which the socket's namespace knows the namespace behind fd; -1: none. */
int nl_netns_id(struct nl_sock *s, int netns_fd, int *ret_nsid, struct error *err);

enum {
	NL_OBSERVE_LINKS = 1,
	NL_OBSERVE_ADDRS = 2,
	NL_OBSERVE_ROUTES = 4, /* every table */
	/*
	 * The kernel's neighbour tables are global: every namespace's dump walks
	 * the entries of all of them. Only `show` asks.
	 */
	NL_OBSERVE_NEIGHS = 8,
	NL_OBSERVE_ALL = 15,
};

/* Reads what is asked for (NL_OBSERVE_*) into st, appending to what it holds. */
int nl_observe(struct nl_sock *s, struct netstate *st, unsigned what, struct error *err);
/* One link, by name, appended to st; -ENODEV (err left clear) when there is none. */
int nl_observe_link(struct nl_sock *s, const char *name, struct netstate *st, struct error *err);
/* The addresses of one link, appended to st. */
int nl_observe_addrs_of(struct nl_sock *s, int ifindex, struct netstate *st, struct error *err);

/*
 * Bridge ports (nl-brport.c): hairpin mode of port name (a CNI container
 * reaching itself through a port mapping), and how many ports a bridge has.
 */
int nl_brport_set_hairpin(struct nl_sock *s, const char *name, bool on, struct error *err);
int nl_bridge_port_count(struct nl_sock *s, int bridge_ifindex, size_t *ret_n,
			 struct error *err);

#endif
