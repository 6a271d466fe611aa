/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A run of the plan's OVSDB actions (ACT_OVS_BRIDGE_ADD, _PORT_ADD,
 * _PORT_DEL, _BRIDGE_DEL) as one transaction, pure: each row carries its
 * mark (external_ids OWNER_OVS_KEY=TOPOLOGY, from the action's alias), and
 * `wait` operations guard what the plan saw:
 *   - an add: no Bridge (or Port) of its name yet, unless the same
 *     transaction deletes one (no_guard, or a delete of that name in the run);
 *     a port's bridge exists and, for a marked port, is ours;
 *   - a delete: the row of that uuid still exists, still marked, still named so.
 * A guard that fails aborts the whole transaction: nothing changes, and the
 * error names it ("op 1 (wait for 'Bridge'): timed out").
 *
 * Bridges go in and out of Open_vSwitch's `bridges` set (a Bridge no one
 * refers to is garbage-collected with its Ports and Interfaces); ports in and
 * out of their bridge's `ports`. The client (src/sys/ovsdb-client.c) appends
 * next_cfg += 1, so ovs-vswitchd can be waited for.
 */
#ifndef NSNET_OVSDB_PLAN_H
#define NSNET_OVSDB_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "ovsdb.h"
#include "plan.h"

/* Whether an action of type t is a row change of one transaction. */
bool ovsdb_plan_is_row(enum action_type t);

/*
 * Adds v[0..n) (row actions) to t. ret_op[i] (n of them): the operation whose
 * result is the uuid of the row action i inserted (a Bridge, a Port), -1 for
 * a delete. -ENOMEM, or -EINVAL for an action that is no row change.
 */
int ovsdb_plan_txn(const struct action *const *v, size_t n, struct ovsdb_txn *t, int *ret_op,
		   struct error *err);

#endif
