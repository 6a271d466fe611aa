/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared between the planner's files: plan.c (the builder, namespaces,
 * firewall, plan_build), plan-link.c (links, addresses, routes) and
 * plan-sysctl.c. Not part of the planner's interface (plan.h).
 */
#ifndef NSNET_PLAN_INTERNAL_H
#define NSNET_PLAN_INTERNAL_H

#include "plan.h"

enum phase {
	PH_NS_ADD,
	PH_DEL,
	PH_DEL_MASTER, /* bridges, after their ports: a rollback puts them back first */
	PH_CREATE,
	PH_OVS, /* up: the OVS transaction, once the host ends of its ports exist */
	PH_SET,
	PH_ADDR,
	PH_UP,
	PH_ROUTE,
	PH_OVS_WAIT,	/* up: ovs-vswitchd has made the ports meanwhile: wait for it */
	PH_OVS_APPLIED, /* up: the internal ports vswitchd made: mark, addresses, up */
	PH_SYSCTL,
	PH_FW,
	PH_SYSCTL_LATE, /* what the firewall must guard first: route_localnet on */
	PH_NS_DEL,
	PH_OVS_GONE, /* down: the OVS removal (committed first) applied by vswitchd */
	PH_GONE,     /* host ends of veths whose namespace was deleted: wait for them */
	PH_LATE_DEL, /* down: the remaining host links, once the bridges have no ports */
	PH_COUNT,
};

struct deleted {
	char ns[NETNS_NAME_MAX + 1];
	char name[IFNAME_MAX + 1];
};

struct builder {
	const char *topo;
	const struct topology *want;
	const struct world *have;
	char alias[OWNER_ALIAS_MAX];
	struct action *ph[PH_COUNT];
	size_t n[PH_COUNT];
	struct deleted *del;
	size_t n_del;
	/* plan_emit puts what is for PH_SET, PH_ADDR and PH_UP into this phase instead (0: no). */
	enum phase redirect;
	bool oom;
	struct error *err;
	unsigned *seg_mtu; /* per bridge: the MTU of its segment, 0 the kernel's (plan-vxlan.c) */
};

/* Adds a to phase ph; a's script and restore list are moved, not copied. */
struct action *plan_emit(struct builder *b, enum phase ph, struct action *a);
struct action plan_act(enum action_type type, const char *ns, const char *name);
/* Appends r to what undoes owner. */
void plan_add_restore(struct builder *b, struct action *owner, struct action *r);
/* The state of a place: "" the host, else a namespace; NULL if it does not exist. */
const struct netstate *plan_place(const struct builder *b, const char *ns);
bool plan_unmarked_nsnet(const struct ns_link *l);
bool plan_owned_at(const struct builder *b, const char *ns, const struct ns_link *l);
bool plan_is_deleted(const struct builder *b, const char *ns, const char *name);
void plan_mark_deleted(struct builder *b, const char *ns, const char *name);
/* The error for a wanted name held by something that is not ours. */
int plan_conflict(struct builder *b, const char *ns, const struct ns_link *l);
/* A wanted bridge subnet already used on the host: an input error (plan-overlap.c). */
int plan_overlaps(struct builder *b);
/* The sysctls the topology needs (plan-sysctl.c). */
void plan_sysctls(struct builder *b);
/* Appends to owner's restore list the IPv6 settings link l of place ns had (a rollback). */
void plan_sysctl_restore_link(struct builder *b, struct action *owner, const char *ns,
			      const struct ns_link *l);

/* Links, addresses and routes: the deletions of unwanted links, then what is wanted. */
int plan_links(struct builder *b);

/*
 * Bridges that span hosts (plan-vxlan.c). plan_vxlan_prepare, before the
 * links: each segment's MTU (the underlay's less the encapsulation unless
 * the file sets one), the underlay devices, the VNIs in use; then
 * plan_vxlans, after the bridges: the VXLAN devices and their FDB entries.
 */
int plan_vxlan_prepare(struct builder *b);
int plan_vxlans(struct builder *b);
/* The MTU bridge i and an interface on it get (0: the kernel's). */
unsigned plan_bridge_mtu(const struct builder *b, size_t i);
unsigned plan_iface_mtu(const struct builder *b, const struct topology_iface *ifc);
/* What re-creates a deleted VXLAN device l with its FDB entries (delete_link). */
void plan_vxlan_restore(struct builder *b, struct action *owner, const struct ns_link *l);

/* What plan-vxlan.c and plan-ovs.c need of plan-link.c. */
/* The existing, owned link at ns:name, or NULL; a foreign one is a conflict (in *r). */
const struct ns_link *plan_link_existing(struct builder *b, const char *ns, const char *name,
					 int *r);
/* Deletes an owned link with what puts it back on a rollback (see plan-link.c). */
void plan_link_delete(struct builder *b, const char *ns, const struct ns_link *l, bool recreate);
/* MTU, MAC, master and up of a link (l NULL: being created); its addresses. */
void plan_link_converge(struct builder *b, const char *ns, const char *name,
			const struct ns_link *l, unsigned mtu, const uint8_t *mac,
			const char *master);
void plan_link_addrs(struct builder *b, const char *ns, const char *name, const struct ns_link *l,
		     const struct topology_addr *want, size_t n);
/* Appends to owner what rebuilds link l after a delete: addresses, master, up, routes. */
void plan_link_restore(struct builder *b, struct action *owner, const char *ns,
		       const struct netstate *st, const struct ns_link *l);
bool plan_wants_ipv6(const struct topology_addr *v, size_t n);
/* Whether link l holds an IPv6 address (a link-local one included). */
bool plan_link_has_ipv6(const struct netstate *st, const struct ns_link *l);

/* Open vSwitch (plan-ovs.c): the rows, the TX checksums; after plan_links. */
int plan_ovs(struct builder *b);
/* The host side of OVS bridge br: its internal port; in plan_links, instead of a bridge. */
int plan_ovs_bridge(struct builder *b, const struct topology_bridge *br);
/* The master to converge an OVS port's host end l to: NULL (none to set) or "" (release). */
const char *plan_ovs_port_master(const struct builder *b, const struct ns_link *l);
/* Whether host link l is an internal port that ovs-vswitchd removes with its bridge. */
bool plan_ovs_link_goes(const struct builder *b, const struct ns_link *l);

#endif
