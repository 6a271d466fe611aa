/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The plan: what `up` or `down` will change, as data. The planner compares
 * what a topology wants with what the kernel holds (struct world), both
 * pure data, and emits actions in the order they must run; `--dry-run`
 * prints them, golden tests compare them, and the kernel layer executes them
 * as a small interpreter with an undo log.
 */
#ifndef NSNET_PLAN_H
#define NSNET_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "inet.h"
#include "name.h"
#include "netstate.h"
#include "owner.h"
#include "topology.h"
#include "world.h"

enum action_type {
	ACT_NS_ADD,	  /* ns; marks lo and brings it up */
	ACT_NS_DEL,	  /* ns */
	ACT_BRIDGE_ADD,	  /* host: name, mtu */
	ACT_VETH_ADD,	  /* ns:name <-> peer_ns:peer ("" = host), mtu/mac per end */
	ACT_LINK_DEL,	  /* ns:name (a veth takes its peer along) */
	ACT_LINK_MASTER,  /* ns:name master ("" = none) */
	ACT_LINK_MTU,	  /* ns:name mtu */
	ACT_LINK_MAC,	  /* ns:name mac */
	ACT_LINK_UP,	  /* ns:name */
	ACT_LINK_DOWN,	  /* ns:name */
	ACT_ADDR_ADD,	  /* ns:name prefix */
	ACT_ADDR_DEL,	  /* ns:name prefix */
	ACT_ROUTE_ADD,	  /* ns route */
	ACT_ROUTE_DEL,	  /* ns route */
	ACT_SYSCTL,	  /* in ns ("" the host): /proc/sys/key = value */
	ACT_FW_APPLY,	  /* replace the topology's nft table with script */
	ACT_FW_DEL,	  /* delete the topology's nft table */
	ACT_LINK_GONE,	  /* host link name (ifindex value) goes with namespace peer_ns: wait */
	ACT_BRPORT_HAIRPIN, /* ns:name, a bridge port: hairpin mode on (value 1) or off */
	/*
	 * nft commands on elements of table alias's sets and maps (script;
	 * value: how many; peer_ns: whose namespace, for the description);
	 * with tolerant, deletes where a missing element counts as done.
	 */
	ACT_FW_ELEMENTS,
};

struct plan_route {
	struct inet_prefix dst;
	struct inet_addr gateway; /* family 0: none */
	char dev[IFNAME_MAX + 1]; /* "": none */
};

struct action {
	enum action_type type;
	char ns[NETNS_NAME_MAX + 1]; /* "": the host */
	char name[IFNAME_MAX + 1];
	char peer_ns[NETNS_NAME_MAX + 1];
	char peer[IFNAME_MAX + 1];
	char master[IFNAME_MAX + 1];
	char alias[OWNER_ALIAS_MAX];
	unsigned mtu, peer_mtu;
	bool has_mac, peer_has_mac;
	bool no_ipv6, peer_no_ipv6; /* created without IPv6: it gets no IPv6 address */
	uint8_t mac[MAC_LEN], peer_mac[MAC_LEN];
	struct inet_prefix prefix;
	struct plan_route route;
	char key[WORLD_SYSCTL_KEY_MAX]; /* ACT_SYSCTL */
	int value;
	char *script;	   /* ACT_FW_APPLY, owned */
	bool recreate;	   /* ACT_LINK_DEL made to recreate, for the description */
	bool tolerant;	   /* ACT_FW_ELEMENTS: what is missing already counts as done */
	/*
	 * What undoes this action when a later one fails, where the inverse
	 * needs what the kernel held before (an old MTU, a deleted link with its
	 * addresses and routes). Empty for actions whose inverse follows from
	 * the action itself (an add's delete); see apply.c.
	 */
	struct action *restore;
	size_t n_restore;
};

struct plan {
	struct action *v;
	size_t n;
	char topology[NETNS_NAME_MAX + 1];
	char fw_hash[17]; /* of the wanted table, "" when none is wanted */
};

/*
 * The sysctls the planner will look at (plan_build reads their values from
 * have->sysctls): fn is called for each (namespace, key). host: the host's
 * links as observed, for the per-interface ones.
 */
void plan_sysctl_keys(const char *topo, const struct topology *want, const struct netstate *host,
		      void (*fn)(const char *ns, const char *key, void *data), void *data);

/* want NULL: the plan of `down` (remove everything the topology owns). */
int plan_build(const char *topo, const struct topology *want, const struct world *have,
	       struct plan **ret, struct error *err);
void plan_free(struct plan *p);
static inline void plan_freep(struct plan **p)
{
	plan_free(*p);
}

/*
 * Appends a copy of a (restore list and script duplicated); NULL on ENOMEM.
 * *v must only ever have grown by plan_append: its capacity is implied by *n.
 */
struct action *plan_append(struct action **v, size_t *n, const struct action *a);
void action_clear(struct action *a);

/* "+ veth 'veth-red-br' <-> 'veth-red' in 'red'": one line, no newline. */
void action_describe(const struct action *a, char *buf, size_t len);
/* Whether the action writes to the kernel (every one does; kept for clarity of counts). */
const char *action_type_name(enum action_type t);

#endif
