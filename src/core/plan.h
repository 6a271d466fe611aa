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
	ACT_VXLAN_ADD,	  /* host: name, mtu, vxlan (id, port, local, dev, learning) */
	ACT_FDB_ADD,	  /* host: all-zeros FDB entry of VXLAN device name to vxlan.remote */
	ACT_FDB_DEL,	  /* host: that entry (vxlan.id, port, dev as observed: 0/"" the device's) */
	/*
	 * Open vSwitch (plan-ovs.c): rows of OVSDB, each marked with the
	 * topology (alias). A run of them is one transaction (core/ovsdb-plan.h).
	 */
	ACT_OVS_BRIDGE_ADD, /* bridge name, datapath_type key, with its internal port */
	ACT_OVS_PORT_ADD,   /* port name on bridge master */
	ACT_OVS_PORT_DEL,   /* port name (row uuid key) from bridge master */
	ACT_OVS_BRIDGE_DEL, /* bridge name (row uuid key), its ports with it */
	ACT_OVS_WAIT,	    /* until ovs-vswitchd has applied the transactions before */
	ACT_LINK_CLAIM,	    /* ns:name, made by ovs-vswitchd: mark (alias, group), no IPv6 */
	ACT_TXCSUM,	    /* ns:name TX checksum offload = value (OVS's userspace datapath) */
	ACT_BRPORT_HAIRPIN, /* ns:name, a bridge port: hairpin mode on (value 1) or off */
	/*
	 * nft commands on elements of table alias's sets and maps (script;
	 * value: how many; peer_ns: whose namespace, for the description);
	 * with tolerant, deletes where a missing element counts as done.
	 */
	ACT_FW_ELEMENTS,
};

/*
 * A VXLAN device (ACT_VXLAN_ADD) or one of its FDB entries (ACT_FDB_*). For
 * an entry, id, port and dev are the entry's own when it has them (an entry
 * is deleted by all of them), else 0 and "".
 */
struct plan_vxlan {
	uint32_t id;
	uint16_t port;
	struct inet_addr local;	  /* family 0: none */
	struct inet_addr remote;  /* ACT_FDB_*: where the entry sends */
	char dev[IFNAME_MAX + 1]; /* the underlay device; "": none */
	bool learning;
	bool ipv6; /* ACT_VXLAN_ADD: the underlay's family */
};

/*
 * An ACT_SYSCTL of a setting that is the host's, not nsnet's (an uplink's
 * force_forwarding): its old value is noted in the state directory before
 * the write, so that the last `down` needing it puts it back (plan-sysctl.c).
 */
enum sysctl_note {
	SYSCTL_NOTE_NONE,
	SYSCTL_NOTE_KEEP, /* note the value before the write, unless a note exists */
	SYSCTL_NOTE_DROP, /* the write restores the noted value: drop the note after it */
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
	struct plan_vxlan vxlan;
	char key[WORLD_SYSCTL_KEY_MAX]; /* ACT_SYSCTL; ACT_OVS_*: datapath or row uuid */
	int value;
	enum sysctl_note note; /* ACT_SYSCTL */
	char *script;	   /* ACT_FW_APPLY, owned */
	bool recreate;	   /* ACT_LINK_DEL made to recreate, for the description */
	bool no_guard;	   /* ACT_OVS_*_ADD: the name is freed in the same transaction */
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
	char *fw_detail;  /* the forwards the firewall change adds and removes, or NULL */
};

/*
 * The sysctls the planner will look at (plan_build reads their values from
 * have->sysctls): fn is called for each (namespace, key). host: the host's
 * links as observed, for the per-interface ones.
 */
void plan_sysctl_keys(const char *topo, const struct topology *want, const struct netstate *host,
		      void (*fn)(const char *ns, const char *key, void *data), void *data);

/*
 * The settings by which the host forwards the IPv6 of want (plan-sysctl.c):
 * fn(ifname, key) for each bridge with IPv6 and each uplink (their
 * force_forwarding), or ("all", net/ipv6/conf/all/forwarding) on a kernel
 * without force_forwarding. Nothing for a topology without IPv6 bridges.
 * have: as observed for want (plan_sysctl_keys read).
 */
void plan_sysctl_forwarding6(const struct topology *want, const struct world *have,
			     void (*fn)(const char *ifname, const char *key, void *data), void *data);

/*
 * The namespace ends whose TX checksum offload the planner looks at (the
 * observer reads them into have->ovs.txcsum): interfaces on OVS bridges of
 * the userspace datapath. kmod: the kernel has the openvswitch module.
 */
void plan_ovs_txcsum_links(const struct topology *want, bool kmod,
			   void (*fn)(const char *ns, const char *name, void *data), void *data);
/* An OVS bridge's datapath_type: the file's, else "system" with the module, else "netdev". */
const char *plan_ovs_datapath(const struct topology_bridge *br, bool kmod);

/* want NULL: the plan of `down` (remove everything the topology owns). */
int plan_build(const char *topo, const struct topology *want, const struct world *have,
	       struct plan **ret, struct error *err);
void plan_free(struct plan *p);

/*
 * What the plan's firewall change does to the forwards, one line each
 * ("+ forward tcp 8080 -> 192.168.15.2:80", "- forward ..."), into
 * p->fw_detail: have are the elements the kernel's table holds (fw.h text),
 * NULL when there is no table. Nothing when the plan changes no table.
 */
int plan_fw_detail(struct plan *p, const struct topology *want, char **have, size_t n_have,
		   struct error *err);
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
/* The line of ACT_VXLAN_ADD and ACT_FDB_* (plan-vxlan.c). */
void plan_vxlan_describe(const struct action *a, char *buf, size_t len);

/*
 * The underlay of a bridge's VXLAN as the host holds it: the devices its
 * datagrams leave through ("dev", else the route to each remote), and the
 * smallest of their MTUs (plan-vxlan.c, for the planner and doctor).
 */
struct plan_underlay {
	unsigned mtu;	 /* 0: unknown (no route to any remote, no such dev) */
	int ifindex;	 /* the device of that MTU */
	size_t unrouted; /* a remote the host has no route to; SIZE_MAX: none */
	bool dev_missing;
};
void plan_vxlan_underlay(const struct netstate *host, const struct topology_vxlan *vx,
			 struct plan_underlay *ret);
/* The bytes VXLAN adds to a frame: outer IP, UDP, VXLAN and the inner Ethernet header. */
unsigned plan_vxlan_overhead(const struct topology_vxlan *vx);
/* The route of the main table the host picks for a (longest prefix, then lowest metric). */
const struct ns_route *plan_route_lookup(const struct netstate *host, const struct inet_addr *a);
/* Whether the action writes to the kernel (every one does; kept for clarity of counts). */
const char *action_type_name(enum action_type t);

#endif
