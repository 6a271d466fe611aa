/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A CNI network in nsnet's terms, pure: the topology its attachments make
 * (for its nft table, and for status and check), the nft elements one
 * attachment adds, and the plans of ADD and DEL, which touch only that
 * attachment (its veth, addresses, routes, map elements) and, for the first
 * and the last, the bridge and the table. The plans are the same data `up`
 * runs (core/plan.h), so the same interpreter applies them, with the same
 * undo log and fault injection.
 *
 * Invariant: the table is made before the bridge and goes after it, so a
 * bridge of ours implies its table; an ADD that finds the bridge does not
 * look for the table (CHECK and status do).
 */
#ifndef NSNET_CNI_PLAN_H
#define NSNET_CNI_PLAN_H

#include "cni.h"
#include "plan.h"
#include "topology.h"

/*
 * The topology of network: one bridge (the first attachment's name, MTU and
 * NAT; the gateways of every attachment as its addresses), one namespace per
 * attachment (its label, the container's path), one forward per port
 * mapping and family. cni is set: its table keeps empty maps.
 */
int cni_topology_build(const char *network, const struct cni_attachment *v, size_t n,
		       struct topology **ret, struct error *err);

/*
 * The nft commands that add (or delete) a's map elements, and with subnets
 * also add a's subnets to the network's sets (never deleted: other
 * attachments share them; they go with the table). *ret NULL when there is
 * nothing to write.
 */
int fw_cni_elements(const struct cni_attachment *a, bool add, bool subnets, char **ret,
		    struct error *err);

/* What the kernel holds that an ADD or a DEL decides on. */
struct cni_seen {
	bool bridge;		     /* the bridge exists and is ours */
	uint8_t bridge_mac[MAC_LEN]; /* its MAC (for a new one: the one to give it) */
	struct inet_prefix bridge_addrs[TOPOLOGY_ADDRS_MAX];
	size_t n_bridge_addrs;
	int ip_forward; /* net.ipv4.ip_forward; -1 unknown */
	bool ipv6;	/* the kernel has IPv6 (net.ipv6.conf.default exists) */
	bool host_link; /* DEL: the attachment's host end exists and is ours */
	bool last;	/* DEL: no other attachment is left: the bridge and table go */
};

/* ADD: label names the container's namespace in the plan (the nsctx entry of its fd). */
int cni_plan_add(const struct cni_attachment *a, const char *label, const struct cni_seen *s,
		 struct plan **ret, struct error *err);
/* DEL: a's host end, its elements, and with s->last the bridge and the table. */
int cni_plan_del(const struct cni_attachment *a, const struct cni_seen *s, struct plan **ret,
		 struct error *err);

/*
 * What an attachment is missing, as the actions that would repair it (the
 * drift of status; CHECK fails on the first). host: the host's links and
 * addresses; ctr: the container's links, addresses and routes, NULL when its
 * namespace could not be opened; table: whether the network's table exists;
 * present[i]: whether a's i-th port mapping is in it (NULL: not looked at).
 * Leases are no kernel object: CHECK looks at them itself.
 */
struct cni_observed {
	const struct netstate *host;
	const struct netstate *ctr;
	bool table;
	bool masquerade; /* ip_masq: a's subnets are in the table's NAT set */
	const bool *present;
};
int cni_plan_drift(const struct cni_attachment *a, const char *label,
		   const struct cni_observed *o, struct plan *p, struct error *err);

#endif
