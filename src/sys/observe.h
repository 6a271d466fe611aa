/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The observer: reads what the kernel holds into the observed model
 * (core/world.h), for the planner, status and doctor, and for `show`.
 * Both go through the same reading of each namespace and the same
 * resolution of veth peers across namespaces.
 */
#ifndef NSNET_OBSERVE_H
#define NSNET_OBSERVE_H

#include "core/error.h"
#include "core/netstate.h"
#include "core/topology.h"
#include "core/world.h"
#include "nsctx.h"

/*
 * The host, every named namespace that want asks for or that carries the
 * mark of topology topo, veth peers resolved between them, the topology's
 * nft table comment and IPv4 forwarding. want may be NULL (down, status).
 * Namespaces want does not ask for are read without addresses and routes:
 * the plan can only delete them.
 */
int world_observe(struct nsctx *c, const char *topo, const struct topology *want,
		  const struct world_claims *claims, struct world **ret, struct error *err);

/*
 * Everything of namespace ns ("" the host: links, addresses, routes of every
 * table, neighbours), each veth's peer named wherever it is (the host or any
 * named namespace).
 */
int observe_show(struct nsctx *c, const char *ns, struct netstate **ret, struct error *err);

#endif
