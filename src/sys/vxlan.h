/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * VXLAN devices and their FDB entries (nl-vxlan.c): creating a device,
 * adding and deleting the all-zeros entries that send flooded frames to a
 * remote, and reading both back into the world (core/world.h).
 */
#ifndef NSNET_VXLAN_H
#define NSNET_VXLAN_H

#include <stdbool.h>
#include <stdint.h>

#include "core/inet.h"
#include "core/topology.h"
#include "core/world.h"
#include "nsctx.h"
#include "rtnl.h"

struct vxlan_spec {
	uint32_t id;
	uint16_t port;
	struct inet_addr local; /* family 0: none */
	int link;		/* the underlay device; 0: none */
	bool learning;
	bool ipv6; /* the underlay's family, when local does not say it */
};

/* A VXLAN device name in the socket's namespace, as a bridge port to be (no master yet). */
int nl_vxlan_add(struct nl_sock *s, const char *name, const struct link_attrs *a,
		 const struct vxlan_spec *v, struct error *err);

/*
 * An all-zeros FDB entry of device dev sending to dst; port, vni and via
 * (the underlay's ifindex) 0 for the device's own. Adding one that exists
 * changes nothing; deleting one needs all of them as the entry has them.
 */
struct fdb_spec {
	struct inet_addr dst;
	uint16_t port;
	uint32_t vni;
	int via;
};
int nl_fdb_add(struct nl_sock *s, const char *dev, const struct fdb_spec *f, struct error *err);
int nl_fdb_del(struct nl_sock *s, const char *dev, const struct fdb_spec *f, struct error *err);

/*
 * Reads the socket's VXLAN devices into *ret (n of them) and, for each that
 * want_fdb says yes to, its all-zeros FDB entries.
 */
int nl_vxlan_observe(struct nl_sock *s, bool (*want_fdb)(const char *name, void *data), void *data,
		     struct world_vxlan **ret, size_t *n, struct error *err);

/*
 * The world's VXLAN devices: every one on the host (for the VNIs in use),
 * with the entries of those the topology owns or wants. Only read when the
 * topology wants a VXLAN or the host holds one.
 */
int vxlan_observe(struct nsctx *c, struct world *w, const char *topo, const struct topology *want,
		  struct error *err);

#endif
