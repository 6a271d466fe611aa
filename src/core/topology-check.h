/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internal to topology.c and topology-check*.c: the loaded model checked as
 * a whole, before anything touches the kernel. References are resolved
 * (bridges, cable peers, route devices, forward targets), every address and
 * route must be one that can work, and what must be unique or disjoint across
 * objects is (addresses, MACs on a segment, host-side names, bridge subnets,
 * routes of a namespace, forwarded ports). Anything that compares all objects
 * with all others sorts first, so a file at the caps is still checked in well
 * under a second. One file per kind of object:
 *
 *   topology-check.c          the order of the checks, key paths, address lists
 *   topology-check-addr.c     addresses: what may be a host's, unique, bridge subnets
 *   topology-check-link.c     host-side names, interfaces on bridges and cables, MACs
 *   topology-check-route.c    routes of each namespace
 *   topology-check-forward.c  forwards and the probes of "checks:"
 *   topology-check-vxlan.c    the underlay of bridges that span hosts
 */
#ifndef NSNET_TOPOLOGY_CHECK_H
#define NSNET_TOPOLOGY_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "topology.h"

struct checker {
	const char *file;
	struct topology *t;
	struct error *err;
};

int topology_check(const char *file, struct topology *t, struct error *err);

/* --- shared (topology-check.c) --- */

bool checker_pos_before(struct topology_pos a, struct topology_pos b);
/* Orders addresses by family, then bytes. */
int checker_addr_cmp(const struct inet_addr *a, const struct inet_addr *b);

/* "namespaces.NS.interfaces.IFACE[.leaf]" */
void checker_iface_key(char *out, const struct topology_ns *ns, const struct topology_iface *i,
		       const char *leaf);
/* "address" or "addresses[idx]" */
void checker_addr_leaf(char *out, size_t len, bool listed, size_t idx);

/* Every address of the topology, with where it came from. */
struct addr_ref {
	const struct topology_addr *a;
	size_t bridge; /* SIZE_MAX for an interface's */
	size_t ns, iface, idx;
};

void checker_addr_ref_key(const struct checker *c, const struct addr_ref *r, char *out);
/* By address, then file position. */
int checker_addr_ref_cmp(const void *x, const void *y);
/* Whether a is link-local and its bridge or interface allows that. */
bool checker_link_local(const struct checker *c, const struct addr_ref *r);

/* --- per object --- */

/* refs: bridges' addresses first (n_bridge of them), then the namespaces'. */
int checker_addr_kinds(struct checker *c, const struct addr_ref *refs, size_t n);
int checker_bridge_subnets(struct checker *c, const struct addr_ref *refs, size_t n_bridge);
int checker_addrs_unique(struct checker *c, const struct addr_ref *refs, size_t n);

int checker_host_names(struct checker *c);
/* Resolves bridges and cable peers, checks their addresses and the routes. */
int checker_ifaces(struct checker *c);
int checker_macs(struct checker *c);

/* VXLAN underlays: devices, addresses and VNIs (topology-check-vxlan.c). */
int checker_vxlans(struct checker *c, const struct addr_ref *refs, size_t n);

int checker_routes(struct checker *c, const struct topology_ns *ns);
/* The interface of ns named name, or SIZE_MAX. */
size_t checker_iface_find(const struct topology_ns *ns, const char *name);

/* refs: the namespaces' addresses, sorted by checker_addr_ref_cmp. */
int checker_forwards(struct checker *c, const struct addr_ref *refs, size_t n);
int checker_probes(struct checker *c);

#endif
