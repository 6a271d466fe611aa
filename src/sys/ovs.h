/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Open vSwitch for one engine call, beside its kernel handles (struct nsctx
 * holds it): the OVSDB connection the observer opens and apply and rollback
 * reuse, and the changes committed but not yet waited for.
 *
 * Observing (into world.ovs, core/world.h): when the topology wants an OVS
 * bridge, its `ovsdb:` socket must answer, or the world says why not (the
 * planner refuses with that). Otherwise (a Linux-only file, `down`, status
 * of a name) a socket that is not there or answers nothing means no OVS at
 * all: nothing to remove. With rows to care about, whether ovs-vswitchd runs
 * (it holds OVSDB lock "ovs_vswitchd"), whether the kernel has the
 * openvswitch module, and the TX checksum offload of the namespace ends the
 * planner asks about (plan_ovs_txcsum_links).
 */
#ifndef NSNET_OVS_H
#define NSNET_OVS_H

#include <stdbool.h>

#include "core/ovsdb.h"
#include "core/plan.h"
#include "core/topology.h"
#include "core/world.h"
#include "nsctx.h"

struct ovs_session;
void ovs_session_free(struct ovs_session *s);

/* The socket `down` and status of a name look at (its recorded file's); NULL: the default. */
int ovs_target_set(struct nsctx *c, const char *target, struct error *err);

/* Fills w->ovs for topology topo (want may be NULL); w->host and w->ns are read already. */
int ovs_observe(struct nsctx *c, const char *topo, const struct topology *want, struct world *w,
		struct error *err);

/*
 * Commits the row actions v[0..n) as one transaction (core/ovsdb-plan.h),
 * without waiting for ovs-vswitchd; uuids[i] receives the uuid of the row
 * action i inserted ("" for a delete), what undoes it. One mutation for
 * fault injection.
 */
int ovs_commit(struct nsctx *c, const struct action *const *v, size_t n,
	       char (*uuids)[OVSDB_UUID_LEN + 1], struct error *err);
/* Waits until ovs-vswitchd has applied every commit so far; at once when none is pending. */
int ovs_wait(struct nsctx *c, struct error *err);
/* Whether a wait of this call timed out: vswitchd does not apply (a rollback need not wait). */
bool ovs_stalled(struct nsctx *c);

#endif
