// SPDX-License-Identifier: GPL-2.0-or-later
/* Open vSwitch for one engine call: observing OVSDB, committing the plan's rows (see ovs.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/ovsdb-plan.h"
#include "core/ovsdb-state.h"
#include "core/owner.h"
#include "ethtool.h"
#include "ovs.h"
#include "ovsdb-client.h"

/* Reading OVSDB, and one commit: ovsdb-server answers in milliseconds. */
#define OVS_CALL_MS 5000
/*
 * ovs-vswitchd applying a change: a second and a half for the first port
 * (the userspace datapath's threads), then ~15 ms per port it removes and a
 * few per port it adds; generous, as a loaded machine is slower.
 */
#define OVS_APPLY_MS 10000
#define OVS_APPLY_PER_PORT_MS 30

struct ovs_session {
	char target[TOPOLOGY_OVSDB_MAX + 1];
	struct ovsdb_client *client;
	/* Committed, not yet waited for: from where cur_cfg was before the first to the last. */
	bool pending;
	struct ovsdb_cfg cfg;
	size_t pending_ops;
	bool stalled;
};

void ovs_session_free(struct ovs_session *s)
{
	if (!s)
		return;
	ovsdb_client_free(s->client);
	free(s);
}

static struct ovs_session *session(struct nsctx *c)
{
	struct ovs_session *s = nsctx_ovs(c);

	if (!s && (s = calloc(1, sizeof(*s))))
		nsctx_ovs_set(c, s);
	return s;
}

int ovs_target_set(struct nsctx *c, const char *target, struct error *err)
{
	struct ovs_session *s = session(c);

	if (!s)
		return error_set(err, -ENOMEM, "out of memory");
	snprintf(s->target, sizeof(s->target), "%s", target ? target : "");
	return 0;
}

/* Whether any row carries topo's mark. */
static bool owns_rows(const struct ovsdb_state *db, const char *topo)
{
	const char *v;

	for (size_t i = 0; i < db->n_bridges; i++)
		if ((v = ovsdb_strmap_get(&db->bridges[i].external_ids, OWNER_OVS_KEY)) &&
		    strcmp(v, topo) == 0)
			return true;
	for (size_t i = 0; i < db->n_ports; i++)
		if ((v = ovsdb_strmap_get(&db->ports[i].external_ids, OWNER_OVS_KEY)) &&
		    strcmp(v, topo) == 0)
			return true;
	return false;
}

struct txcsum_reader {
	struct nsctx *c;
	struct world *w;
	int r;
	struct error *err;
};

/* One namespace end the planner asks about, if it exists. */
static void read_txcsum(const char *ns, const char *name, void *data)
{
	struct txcsum_reader *rd = data;
	const struct world_ns *wn = world_ns_find(rd->w, ns);
	_cleanup_close_ int fd = -1;
	char where[NETNS_NAME_MAX + 8];
	struct nl_sock *s;
	int nsfd, r;
	bool on;

	if (rd->r < 0 || !wn || !netstate_link_by_name(wn->st, name))
		return;
	snprintf(where, sizeof(where), " in '%s'", ns);
	r = nsctx_get(rd->c, ns, &s, &nsfd, rd->err);
	if (r >= 0)
		r = ethtool_sock_open(nsfd, &fd, rd->err);
	if (r >= 0)
		r = ethtool_tx_csum_get(fd, name, &on, where, rd->err);
	if (r >= 0)
		r = world_txcsum_set(&rd->w->ovs, ns, name, on) < 0
			    ? error_set(rd->err, -ENOMEM, "out of memory")
			    : 0;
	rd->r = r;
}

/* Connects and reads the rows; the failure's message in err. */
static int read_db(struct ovs_session *s, struct world_ovs *o, struct error *err)
{
	int r;

	if (!s->client) {
		r = ovsdb_client_connect(s->target, OVS_CALL_MS, &s->client, err);
		if (r < 0)
			return r;
	}
	return ovsdb_client_observe(s->client, OVS_CALL_MS, &o->db, err);
}

int ovs_observe(struct nsctx *c, const char *topo, const struct topology *want, struct world *w,
		struct error *err)
{
	struct world_ovs *o = &w->ovs;
	struct ovs_session *s = session(c);
	bool wanted = topology_has_ovs(want);
	struct error e = {0};
	struct stat st;
	int r;

	if (!s)
		return error_set(err, -ENOMEM, "out of memory");
	if (want && want->ovsdb[0] && strcmp(want->ovsdb, s->target) != 0) {
		/* Another socket than the last one looked at (doctor reads every topology). */
		ovsdb_client_free(s->client);
		s->client = NULL;
		snprintf(s->target, sizeof(s->target), "%s", want->ovsdb);
	}
	if (!s->target[0])
		snprintf(s->target, sizeof(s->target), "%s", TOPOLOGY_OVSDB_DEFAULT);
	snprintf(o->target, sizeof(o->target), "%s", s->target);
	o->kmod = access("/sys/module/openvswitch", F_OK) == 0;
	/* Nothing wanted of OVS: no server there means nothing of OVS to remove. */
	if (!wanted && (strncmp(s->target, "unix:", 5) != 0 || lstat(s->target + 5, &st) < 0))
		return 0;
	r = read_db(s, o, &e);
	if (r == -EINVAL || r == -EPROTONOSUPPORT) { /* a target that is no unix:PATH */
		if (err)
			*err = e;
		return r;
	}
	if (r < 0) {
		if (wanted) {
			o->state = WORLD_OVS_UNREACHABLE;
			snprintf(o->error, sizeof(o->error), "%s", e.msg);
		}
		return 0;
	}
	o->state = WORLD_OVS_OK;
	if (!wanted && !owns_rows(o->db, topo))
		return 0;
	r = ovsdb_client_lock_held(s->client, OVSDB_VSWITCHD_LOCK, OVS_CALL_MS, &o->vswitchd, &e);
	if (r < 0) {
		o->state = wanted ? WORLD_OVS_UNREACHABLE : WORLD_OVS_NONE;
		snprintf(o->error, sizeof(o->error), "%s", e.msg);
		return 0;
	}
	if (wanted) {
		struct txcsum_reader rd = {c, w, 0, err};

		plan_ovs_txcsum_links(want, o->kmod, read_txcsum, &rd);
		if (rd.r < 0)
			return rd.r;
	}
	return 0;
}

int ovs_commit(struct nsctx *c, const struct action *const *v, size_t n,
	       char (*uuids)[OVSDB_UUID_LEN + 1], struct error *err)
{
	struct ovs_session *s = nsctx_ovs(c);
	_cleanup_ovsdb_txn_ struct ovsdb_txn *t = ovsdb_txn_new(OVSDB_DB);
	_cleanup_free_ int *op = calloc(n ? n : 1, sizeof(*op));
	struct ovsdb_msg m = {0};
	struct ovsdb_cfg cfg;
	int r;

	if (!t || !op)
		return error_set(err, -ENOMEM, "out of memory");
	if (!s || !s->target[0])
		return error_set(err, -ENOTCONN, "OVSDB: not observed before the commit");
	if (!s->client) {
		r = ovsdb_client_connect(s->target, OVS_CALL_MS, &s->client, err);
		if (r < 0)
			return r;
	}
	r = ovsdb_plan_txn(v, n, t, op, err);
	if (r >= 0)
		r = ovsdb_client_commit(s->client, t, OVS_CALL_MS, &m, &cfg, err);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n && r >= 0; i++) {
		uuids[i][0] = '\0';
		if (op[i] >= 0)
			r = ovsdb_result_uuid(&m, (size_t)op[i], uuids[i], err);
	}
	ovsdb_msg_clear(&m);
	if (!s->pending)
		s->cfg.cur = cfg.cur;
	s->cfg.next = cfg.next;
	s->pending = true;
	s->pending_ops += n;
	/* Committed all the same: a reply we cannot read leaves rows only a down finds. */
	return r;
}

int ovs_wait(struct nsctx *c, struct error *err)
{
	struct ovs_session *s = nsctx_ovs(c);
	int r;

	if (!s || !s->pending)
		return 0;
	r = ovsdb_client_wait_applied(s->client, &s->cfg,
				      OVS_APPLY_MS + (int)s->pending_ops * OVS_APPLY_PER_PORT_MS,
				      err);
	if (r == -ETIMEDOUT)
		s->stalled = true;
	if (r >= 0) {
		s->pending = false;
		s->pending_ops = 0;
	}
	return r;
}

bool ovs_stalled(struct nsctx *c)
{
	struct ovs_session *s = nsctx_ovs(c);

	return s && s->stalled;
}
