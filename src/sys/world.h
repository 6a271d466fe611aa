/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading what the kernel holds for one topology into a struct world (core/plan.h). */
#ifndef NSNET_WORLD_H
#define NSNET_WORLD_H

#include "core/plan.h"
#include "core/topology.h"
#include "nsctx.h"

/*
 * The host, every named namespace that want asks for or that carries the
 * mark of topology topo, veth peers resolved between them, the topology's
 * nft table comment, IPv4 forwarding and the route_localnet of its bridges.
 * want may be NULL (down, status). Namespaces want does not ask for are read
 * without addresses and routes: the plan can only delete them.
 */
int world_observe(struct nsctx *c, const char *topo, const struct topology *want,
		  const struct world_claims *claims, struct world **ret, struct error *err);

/* Every topology name found as a mark on a namespace or host link, or an nft table. */
int world_topologies(struct nsctx *c, char ***ret, size_t *ret_n, struct error *err);

/* net.ipv4.ip_forward of the host: read (-1 if unreadable) and write. */
int sysctl_ip_forward_get(void);
int sysctl_ip_forward_set(int value, struct error *err);

/* net.ipv4.conf.IFNAME.route_localnet of the host: read (-1 if unreadable) and write. */
int sysctl_route_localnet_get(const char *ifname);
int sysctl_route_localnet_set(const char *ifname, int value, struct error *err);

#endif
