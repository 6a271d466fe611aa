/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A client of ovsdb-server (RFC 7047 over its unix socket): one request at a
 * time, each with a deadline. While it waits for its reply it answers the
 * server's echo requests and skips notifications and stale replies. The
 * messages themselves are built and read in src/core/ovsdb.c.
 */
#ifndef NSNET_OVSDB_CLIENT_H
#define NSNET_OVSDB_CLIENT_H

#include <stdbool.h>

#include "core/error.h"
#include "core/ovsdb-state.h"
#include "core/ovsdb.h"

#define OVSDB_TARGET_DEFAULT "unix:/run/openvswitch/db.sock"
/* The lock ovs-vswitchd holds while it runs (vswitchd/bridge.c). */
#define OVSDB_VSWITCHD_LOCK "ovs_vswitchd"

struct ovsdb_client;

/*
 * Connects to target, "unix:PATH" (other schemes of ovs-vsctl's --db are
 * refused as input errors). A missing or dead server reads "cannot reach
 * OVSDB at PATH: <errno text>: start Open vSwitch (ovsdb-server)".
 */
int ovsdb_client_connect(const char *target, int timeout_ms, struct ovsdb_client **ret,
			 struct error *err);
void ovsdb_client_free(struct ovsdb_client *c);
static inline void ovsdb_client_freep(struct ovsdb_client **c)
{
	ovsdb_client_free(*c);
}
#define _cleanup_ovsdb_client_ _cleanup_(ovsdb_client_freep)

/* The socket's path, for messages. */
const char *ovsdb_client_path(const struct ovsdb_client *c);

/* Sends METHOD with params (taken) and waits up to timeout_ms for its reply. */
int ovsdb_client_call(struct ovsdb_client *c, const char *method, json_t *params, int timeout_ms,
		      struct ovsdb_msg *ret, struct error *err);

/* Sends t and waits for its reply, checked with ovsdb_txn_reply_check. */
int ovsdb_client_transact(struct ovsdb_client *c, const struct ovsdb_txn *t, int timeout_ms,
			  struct ovsdb_msg *ret, struct error *err);

/* Whether another client holds lock name: asks for it and gives it back at once. */
int ovsdb_client_lock_held(struct ovsdb_client *c, const char *name, int timeout_ms, bool *ret,
			   struct error *err);

/* A change counted in next_cfg: its number, and where ovs-vswitchd was before it. */
struct ovsdb_cfg {
	int64_t next, cur;
};

/*
 * Commits t with next_cfg += 1 appended, without waiting for ovs-vswitchd.
 * ret (may be NULL) receives the reply (the uuids of inserted rows, for an
 * undo), *ret_cfg what ovsdb_client_wait_applied waits for. One mutation for
 * fault injection. With the wait apart, a caller can do other work while
 * vswitchd catches up (removing ports takes it ~15 ms each), and keeps the
 * reply to undo a change that was committed but never applied.
 */
int ovsdb_client_commit(struct ovsdb_client *c, struct ovsdb_txn *t, int timeout_ms,
			struct ovsdb_msg *ret, struct ovsdb_cfg *ret_cfg, struct error *err);
/*
 * Waits until ovs-vswitchd has applied the change (cur_cfg reached cfg->next),
 * one server-side wait per change of cur_cfg. When it has not within
 * timeout_ms: -ETIMEDOUT, "ovs-vswitchd did not apply the change within N s
 * (is it running?)".
 */
int ovsdb_client_wait_applied(struct ovsdb_client *c, const struct ovsdb_cfg *cfg, int timeout_ms,
			      struct error *err);
/* Both, within timeout_ms in all; ret (may be NULL) receives the commit's reply on success. */
int ovsdb_client_transact_applied(struct ovsdb_client *c, struct ovsdb_txn *t, int timeout_ms,
				  struct ovsdb_msg *ret, struct error *err);

/* The Open_vSwitch, Bridge, Port and Interface rows (ovsdb-state.h), in one transaction. */
int ovsdb_client_observe(struct ovsdb_client *c, int timeout_ms, struct ovsdb_state **ret,
			 struct error *err);

#endif
