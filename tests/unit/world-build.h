/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * For the unit tests: an observed world (core/world.h) written by hand, as
 * src/sys/observe.c would fill it, and a canonical text of a world that names
 * links instead of numbering them, so that two worlds made differently (by
 * hand, by tests/unit/kernel-sim.c) compare as text. Every helper aborts on a
 * bad argument or out of memory: these are test fixtures, not input.
 */
#ifndef NSNET_TEST_WORLD_BUILD_H
#define NSNET_TEST_WORLD_BUILD_H

#include <stdbool.h>
#include <stdint.h>

#include "core/netstate.h"
#include "core/world.h"

/* p, or an abort when it is NULL (out of memory in a test). */
void *wb_must(void *p);

/* An empty world: a host without links, forwarding off. */
struct world *wb_world_new(void);

/*
 * The namespace name in w, kept sorted as world_observe leaves them; owner
 * NULL: its lo carries no nsnet mark. Its netstate is empty.
 */
struct netstate *wb_ns_add(struct world *w, const char *name, const char *owner);

/*
 * A link, up, MTU 1500 (65536 for "lo"), MAC 02:00:00:00:00:IFINDEX. topo not
 * NULL: marked as the topology's (alias "nsnet:TOPO"), and in nsnet's link
 * group unless it is lo.
 */
struct ns_link *wb_link(struct netstate *st, int ifindex, const char *name, const char *kind,
			const char *topo);

/* l's veth peer, resolved: name in namespace ns ("" the host). */
void wb_peer(struct ns_link *l, const char *ns, const char *name);

/* "192.168.15.1/24" on ifindex; scope link for fe80::/10, host for lo's, else global. */
void wb_addr(struct netstate *st, int ifindex, const char *prefix);

/*
 * A route of table main: dst "default" or a prefix (family that of gw, or of
 * dst), through oif, via gw (NULL: none), made by protocol (OWNER_RTPROT for
 * nsnet's, RTPROT_KERNEL for a connected route). IPv6 routes get the metric
 * the kernel gives them: 256 for the kernel's, 1024 for the others.
 */
void wb_route(struct netstate *st, const char *dst, int oif, const char *gw, uint8_t protocol);

/* Sorts every netstate (as nl_observe does): call once the world is written. */
void wb_world_done(struct world *w);

/*
 * The world as sorted lines of text, links by name, without what the kernel
 * picks (ifindex, MAC, namespace ids): malloc'ed.
 */
char *wb_world_text(const struct world *w);

#endif
