// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/fw.h"
#include "core/owner.h"
#include "engine-cni.h"
#include "engine.h"
#include "netns.h"
#include "nft.h"
#include "nsctx.h"
#include "observe.h"
#include "ovs.h"
#include "sockdiag.h"
#include "state.h"

void engine_init(struct engine *e)
{
	memset(e, 0, sizeof(*e));
	snprintf(e->state_dir, sizeof(e->state_dir), "%s", STATE_DIR_DEFAULT);
}

void engine_result_clear(struct engine_result *res)
{
	plan_free(res->plan);
	world_free(res->world);
	memset(res, 0, sizeof(*res));
}

static void warn(const struct engine *e, const char *msg)
{
	if (e->warn)
		e->warn(msg, e->data);
}

/* Another tool's forward-hook drop policy silently breaks routed traffic: say so. */
static void warn_foreign_drops(const struct engine *e, const struct topology *t)
{
	_cleanup_free_ struct nft_chain_id *v = NULL;
	size_t n;

	if (!e->warn || (!t->n_bridges && !t->n_forwards))
		return;
	if (nft_drop_chains("forward", OWNER_TABLE_PREFIX, &v, &n, NULL) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		char msg[1024];

		snprintf(msg, sizeof(msg),
			 "chain '%s' of table %s '%s' drops forwarded traffic by policy: "
			 "namespaces of '%s' will not reach beyond the host unless that table "
			 "accepts them (nsnet never changes another tool's rules; 'nsnet doctor' "
			 "prints the rules that would)",
			 v[i].name, v[i].family, v[i].table, t->name);
		warn(e, msg);
	}
}

/* Rows in sync but no vswitchd to forward through them: up changes nothing, and says why. */
static void warn_ovs(const struct engine *e, const struct topology *t, const struct world *w)
{
	char msg[512];

	if (!e->warn || !w || !topology_has_ovs(t) || w->ovs.state != WORLD_OVS_OK ||
	    w->ovs.vswitchd)
		return;
	snprintf(msg, sizeof(msg),
		 "ovs-vswitchd is not running (no one holds OVSDB lock 'ovs_vswitchd' at %s): "
		 "nothing crosses the OVS bridges of '%s' until it runs",
		 w->ovs.target, t->name);
	warn(e, msg);
}

struct busy_ports {
	const struct topology *t;
	const struct engine *e;
};

static void warn_busy_port(const struct fw_listener *l, void *data)
{
	const struct busy_ports *b = data;
	char msg[512];

	if (fw_listener_shadowed(b->t, l, msg, sizeof(msg)))
		warn(b->e, msg);
}

/* A forward takes the port a service of the host listens on: say so, naming its address. */
static void warn_busy_ports(const struct engine *e, const struct topology *t)
{
	static const enum topology_proto protos[] = {TOPOLOGY_PROTO_TCP, TOPOLOGY_PROTO_UDP};
	struct busy_ports b = {t, e};
	uint16_t lo, hi;

	for (size_t i = 0; e->warn && i < ARRAY_SIZE(protos); i++)
		if (fw_port_span(t, protos[i], &lo, &hi))
			(void)sockdiag_listeners(protos[i], lo, hi, warn_busy_port, &b, NULL);
}

/* What the journal says, for the one run that holds the topology's lock (see state.h). */
struct recovery {
	struct world_claims claims;
	bool writer; /* remove the placeholders the journal proves ours */
};

static void recover_one(enum pending_kind kind, const char *name, uint64_t mark, void *data)
{
	struct recovery *rc = data;

	if (kind == PENDING_LINK)
		world_claims_add(&rc->claims, name);
	else if (rc->writer)
		(void)netns_remove_stale(name, mark, NULL);
}

/* What the state directory noted of the host's settings the planner looks at (state.h). */
static int notes_read(const char *dir, struct world *w, struct error *err)
{
	for (size_t i = 0; i < w->n_sysctls; i++) {
		struct world_sysctl *s = &w->sysctls[i];
		int r;

		if (s->ns[0])
			continue;
		r = state_note_read(dir, s->key, &s->noted, err);
		if (r < 0)
			return r;
	}
	return 0;
}

static int observe_and_plan(struct engine *e, struct nsctx *c, const char *topo,
			    const struct topology *t, bool writer, struct engine_result *res,
			    struct error *err)
{
	_cleanup_(world_freep) struct world *w = NULL;
	struct recovery rc = {.writer = writer};
	int r;

	/* What our own killed runs left half made. */
	r = journal_read(e->state_dir, topo, recover_one, &rc, err);
	if (r >= 0)
		r = world_observe(c, topo, t, &rc.claims, &w, err);
	world_claims_clear(&rc.claims);
	if (r >= 0)
		r = notes_read(e->state_dir, w, err);
	if (r >= 0)
		r = plan_build(topo, t, w, &res->plan, err);
	if (r < 0)
		return r;
	res->world = TAKE_PTR(w);
	return 0;
}

struct elem_list {
	char **v;
	size_t n;
	bool oom;
};

static void elem_add(const char *e, void *data)
{
	struct elem_list *l = data;
	char **nv = realloc(l->v, (l->n + 1) * sizeof(*nv));

	if (!nv || !(nv[l->n] = strdup(e))) {
		l->oom = true;
		if (nv)
			l->v = nv;
		return;
	}
	l->v = nv;
	l->n++;
}

/*
 * For a person reading a plan (dry run, status): which forwards the table's
 * replacement adds and removes, from the elements the kernel's table holds.
 */
static int describe_firewall(const char *topo, const struct topology *t,
			     struct engine_result *res, struct error *err)
{
	struct elem_list have = {0};
	char table[OWNER_ALIAS_MAX + 8];
	int r;

	if (!t)
		return 0;
	owner_table(topo, table, sizeof(table));
	if (res->world->fw_exists)
		(void)nft_forward_elements(OWNER_TABLE_FAMILY, table, elem_add, &have, NULL);
	r = have.oom ? error_set(err, -ENOMEM, "out of memory")
		     : plan_fw_detail(res->plan, t, have.v, have.n, err);
	engine_names_free(have.v, have.n);
	return r;
}

static int up_locked(struct engine *e, struct nsctx *c, const struct topology *t,
		     const char *file, struct engine_result *res, struct error *err)
{
	struct apply_opts ao = {.stop_on_error = true, .progress = e->progress, .data = e->data};
	struct apply_undo *undo = NULL;
	struct state_txn txn = {.dirfd = -1};
	struct journal j;
	int r;

	r = observe_and_plan(e, c, t->name, t, true, res, err);
	if (r < 0)
		return r;
	warn_ovs(e, t, res->world);
	warn_foreign_drops(e, t);
	warn_busy_ports(e, t);
	/* Everything that can fail without the kernel's help, before its first change. */
	if (file) {
		r = state_prepare(e->state_dir, t->name, file, &txn, err);
		if (r < 0)
			return error_prefix(err, "record the state");
	}
	journal_init(&j, e->state_dir, t->name);
	ao.journal = &j;
	if (res->plan->n) {
		if (e->planned)
			e->planned(res->plan->n, e->data);
		r = apply_plan(c, res->plan, &ao, &res->report, &undo, err);
		res->rolled_back = r < 0 && res->report.done;
	}
	if (r >= 0 && file) {
		r = state_commit(&txn, err);
		if (r < 0) {
			/* The network changed for nothing: put it back, and say so truly. */
			error_prefix(err, "record the state");
			res->report.failed_at = res->plan->n;
			apply_rollback(c, TAKE_PTR(undo), &res->report);
			res->rolled_back = res->report.done > 0;
		}
	}
	apply_undo_free(undo);
	state_abort(&txn);
	/* A rollback that could not finish leaves links whose journal lines claim them. */
	if (!res->report.undo_failed)
		journal_clear(&j);
	else if (j.fd >= 0)
		close(j.fd);
	return r;
}

int engine_up(struct engine *e, const struct topology *t, const char *file, bool dry_run,
	      struct engine_result *res, struct error *err)
{
	_cleanup_(nsctx_freep) struct nsctx *c = NULL;
	struct fault *old = fault_use(&e->fault);
	bool had_state;
	int lock = -1, r;

	memset(res, 0, sizeof(*res));
	r = nsctx_new(&c, err);
	if (r >= 0 && dry_run) {
		/* A dry run takes no lock: it writes nothing, not even a lock file. */
		r = observe_and_plan(e, c, t->name, t, false, res, err);
		if (r >= 0)
			r = describe_firewall(t->name, t, res, err);
		if (r >= 0) {
			warn_foreign_drops(e, t);
			warn_busy_ports(e, t);
		}
		fault_use(old);
		return r;
	}
	if (r >= 0 && engine_cni_network(e, t->name))
		r = error_input(err, -EEXIST, "topology '%s': a CNI network of that name has "
				"containers attached (nsnet-cni(8)): give the topology another name",
				t->name);
	if (r >= 0)
		r = lock_take(e->state_dir, t->name, &lock, err);
	if (r < 0) {
		fault_use(old);
		return r;
	}
	had_state = state_exists(e->state_dir, t->name);
	r = up_locked(e, c, t, file, res, err);
	/* A failed first up leaves nothing behind, not even its lock. */
	lock_release(e->state_dir, t->name, lock, r < 0 && !had_state);
	fault_use(old);
	return r;
}

/*
 * The OVSDB socket of topo's recorded file, for down (which has no file):
 * the rows it made are there. A file that no longer reads leaves the default.
 */
static int down_ovs_target(struct engine *e, struct nsctx *c, const char *topo,
			   struct error *err)
{
	_cleanup_(topology_freep) struct topology *t = NULL;

	if (engine_recorded(e, topo, &t, NULL, 0, NULL) < 0 || !t->ovsdb[0])
		return 0;
	return ovs_target_set(c, t->ovsdb, err);
}

int engine_down(struct engine *e, const char *topo, bool dry_run, struct engine_result *res,
		struct error *err)
{
	_cleanup_(nsctx_freep) struct nsctx *c = NULL;
	struct fault *old = fault_use(&e->fault);
	struct apply_opts ao = {.progress = e->progress, .data = e->data};
	struct journal j;
	bool had_state;
	int lock = -1, r;

	memset(res, 0, sizeof(*res));
	r = name_topology_check(topo, err);
	if (r < 0) {
		fault_use(old);
		return r;
	}
	had_state = state_exists(e->state_dir, topo);
	/* Its containers' runtime removes them (CNI DEL, or GC): down would strand their records. */
	if (engine_cni_network(e, topo) && !had_state) {
		fault_use(old);
		return error_input(err, -EBUSY, "'%s' is a CNI network with containers attached: "
				   "their runtime removes them (CNI DEL), or a CNI GC without them "
				   "(nsnet-cni(8))", topo);
	}
	r = nsctx_new(&c, err);
	if (r >= 0 && had_state)
		r = down_ovs_target(e, c, topo, err);
	if (r >= 0 && !dry_run)
		r = lock_take(e->state_dir, topo, &lock, err);
	if (r >= 0)
		r = observe_and_plan(e, c, topo, NULL, !dry_run, res, err);
	if (r >= 0)
		res->existed = had_state || res->plan->n;
	if (r >= 0 && !dry_run && res->plan->n) {
		if (e->planned)
			e->planned(res->plan->n, e->data);
		journal_init(&j, e->state_dir, topo);
		ao.journal = &j;
		r = apply_plan(c, res->plan, &ao, &res->report, NULL, err);
		if (j.fd >= 0)
			close(j.fd);
	}
	if (r >= 0 && !dry_run) {
		state_remove(e->state_dir, topo);
		journal_init(&j, e->state_dir, topo);
		journal_clear(&j);
	}
	if (!dry_run)
		lock_release(e->state_dir, topo, lock,
			     r >= 0 || !state_exists(e->state_dir, topo));
	fault_use(old);
	return r;
}

int engine_status(struct engine *e, const char *topo, const struct topology *t,
		  struct engine_result *res, struct error *err)
{
	_cleanup_(nsctx_freep) struct nsctx *c = NULL;
	int r;

	memset(res, 0, sizeof(*res));
	r = name_topology_check(topo, err);
	if (r < 0)
		return r;
	/* A CNI network's drift is what each attachment is missing (engine-cni.h). */
	if (t && t->cni)
		return engine_cni_network_status(e, topo, res, err);
	res->recorded = state_exists(e->state_dir, topo);
	r = nsctx_new(&c, err);
	if (r >= 0)
		r = observe_and_plan(e, c, topo, t, false, res, err);
	if (r >= 0)
		r = describe_firewall(topo, t, res, err);
	return r;
}
