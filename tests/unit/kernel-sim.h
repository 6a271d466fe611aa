/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * For the unit tests: a small, pure model of what the kernel does with a
 * plan's actions, and of what src/sys/observe.c then reads back, so that a
 * plan can be "applied" without root and the topology planned again (zero
 * actions when the planner converges) or taken down (the baseline again).
 *
 * What it models, as Linux does it (the points marked * checked with ip(8)
 * inside tests/sandbox on Linux 6.18):
 *   - namespaces: a new one has lo up with the topology's mark, 127.0.0.1/8
 *     and ::1/128; deleting one takes the far end of each of its veths along;
 *   - links: a name is unique per namespace (EEXIST), ifindexes count up per
 *     namespace; a veth end is deleted with its peer, and a veth's peer gets
 *     no MTU but its own (*); a bridge's ports are released with it; a bridge
 *     whose MTU was not set by a change (creation does not count) follows its
 *     smallest port, 1500 without ports (*); links come up with an IPv6
 *     link-local address (fe80::EUI-64/64) unless made with address
 *     generation off (*), and lose their IPv6 addresses and their routes when
 *     set down (*);
 *   - addresses: an IPv4 address is a duplicate with the same prefix length,
 *     an IPv6 one with any (EEXIST) (*); the last IPv4 address of a link
 *     takes the link's IPv4 routes with it (*); a primary's secondaries are
 *     promoted (nsnet turns promote_secondaries on for its links);
 *   - routes (table main): a connected route per IPv4 subnet of an up link
 *     and per IPv6 address, none for lo (*), derived when observed; an added
 *     route needs an up device and a gateway inside a connected subnet (*;
 *     the kernel's error codes differ by family, these do not), and is
 *     refused when one of the same destination and metric exists (EEXIST:
 *     nsnet adds with NLM_F_EXCL) (*); a delete matches destination,
 *     gateway, device and protocol, and a missing route is fine (apply
 *     ignores ESRCH);
 *   - the topology's nft table (its comment, read from the script) and
 *     sysctls: a key of a missing namespace or interface does not exist, an
 *     interface's go with it, an interface's route_localnet starts from
 *     conf/default's, accept_ra is 1, the rest default to 0.
 * What it leaves out: the local routing table, broadcast and multicast
 * routes, neighbours, a bridge taking its ports' MAC, carrier beyond "both
 * ends up", DAD, what a sysctl does to traffic, Open vSwitch (OVSDB), VXLAN
 * devices and their FDB entries, the content of nft tables
 * (only their comment), failures inside one action (a veth made but not
 * marked), and anything asynchronous (a namespace's links vanish at once).
 *
 * Observation follows world_observe: the host in full; a namespace the
 * topology wants in full, one it only owns with links alone, others not at
 * all; veth peers resolved only when both places were read (never host to
 * host).
 */
#ifndef NSNET_TEST_KERNEL_SIM_H
#define NSNET_TEST_KERNEL_SIM_H

#include "core/error.h"
#include "core/plan.h"
#include "core/topology.h"
#include "core/world.h"

struct ksim;

/*
 * The sandbox of TESTING.md: the host with lo and eth0 (192.168.1.2/24,
 * default route via 192.168.1.3, protocol boot), eth0's peer in the unmarked
 * namespace "lan" (192.168.1.3/24); forwarding off.
 */
struct ksim *ksim_new(void);
void ksim_free(struct ksim *k);
static inline void ksim_freep(struct ksim **k)
{
	ksim_free(*k);
}

/* A sysctl as /proc/sys would show it in ns ("" the host): -1 when it does not exist. */
int ksim_sysctl(const struct ksim *k, const char *ns, const char *key);

/* One action, as apply.c's interpreter would run it: -errno and err on a refusal. */
int ksim_run(struct ksim *k, const struct action *a, struct error *err);

/* Every action of p in order; stops at the first refusal, err naming the step. */
int ksim_apply(struct ksim *k, const struct plan *p, struct error *err);

/*
 * apply.c's run of p with a fault at action fail_at: the actions before it
 * run, each recording what undoes it as apply's undo log does (an add's
 * delete, the inverse of up, of an address or route change, the planner's
 * restore lists, the previous table and forwarding value; nothing for what
 * was already gone), then the log runs backwards past failures. Returns the
 * number of undo steps that failed, the first one's message in undo_err;
 * -errno when an action before fail_at was refused (err says which).
 */
int ksim_apply_failing(struct ksim *k, const struct plan *p, size_t fail_at, struct error *err,
		       struct error *undo_err);

/* Something nsnet did not make: a link up in ns ("" the host), unmarked, group 0. */
int ksim_foreign_link(struct ksim *k, const char *ns, const char *name, const char *kind,
		      struct error *err);

/* A namespace nsnet did not make (lo_alias NULL) or another topology's ("nsnet:other"). */
int ksim_foreign_ns(struct ksim *k, const char *name, const char *lo_alias, struct error *err);

/* What world_observe would read for topology topo wanting want (NULL: down, status). */
struct world *ksim_observe(const struct ksim *k, const char *topo, const struct topology *want);

/*
 * Everything (every namespace in full, every peer resolved, every nft table)
 * as the text of wb_world_text: to compare whole kernels. malloc'ed.
 */
char *ksim_text(const struct ksim *k);

#endif
