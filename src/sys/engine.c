// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/owner.h"
#include "engine.h"
#include "lock.h"
#include "netns.h"
#include "nft.h"
#include "nsctx.h"
#include "sockdiag.h"
#include "state.h"
#include "world.h"

void engine_result_clear(struct engine_result *res)
{
	plan_free(res->plan);
	world_free(res->world);
	memset(res, 0, sizeof(*res));
}

/* Another tool's forward-hook drop policy silently breaks routed traffic: say so. */
static void warn_foreign_drops(const struct topology *t, const struct engine_opts *o)
{
	_cleanup_free_ struct nft_chain_id *v = NULL;
	size_t n;

	if (!o->warn || (!t->n_bridges && !t->n_forwards))
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
		o->warn(msg, o->data);
	}
}

struct busy_ports {
	const struct topology *t;
	const struct engine_opts *o;
};

static void warn_busy_port(const struct fw_listener *l, void *data)
{
	const struct busy_ports *b = data;
	char msg[512];

	if (fw_listener_shadowed(b->t, l, msg, sizeof(msg)))
		b->o->warn(msg, b->o->data);
}

/* A forward takes the port a service of the host listens on: say so, naming its address. */
static void warn_busy_ports(const struct topology *t, const struct engine_opts *o)
{
	static const enum topology_proto protos[] = {TOPOLOGY_PROTO_TCP, TOPOLOGY_PROTO_UDP};
	struct busy_ports b = {t, o};
	uint16_t lo, hi;

	for (size_t i = 0; o->warn && i < ARRAY_SIZE(protos); i++)
		if (fw_port_span(t, protos[i], &lo, &hi))
			(void)sockdiag_listeners(protos[i], lo, hi, warn_busy_port, &b, NULL);
}

static void recover_pending(enum pending_kind kind, const char *name, void *data)
{
	struct world_claims *claims = data;

	if (kind == PENDING_NS)
		(void)netns_remove_stale(name, NULL);
	else
		world_claims_add(claims, name);
}

static int observe_and_plan(struct nsctx *c, const char *topo, const struct topology *t,
			    struct engine_result *res, struct error *err)
{
	_cleanup_(world_freep) struct world *w = NULL;
	struct world_claims claims = {0};
	int r;


	/* What our own killed runs left half made (see state_pending_add). */
	state_pending_foreach(topo, recover_pending, &claims);
	r = world_observe(c, topo, t, &claims, &w, err);
	world_claims_clear(&claims);
	if (r < 0)
		return r;
	r = plan_build(topo, t, w, &res->plan, err);
	if (r < 0)
		return r;
	res->world = TAKE_PTR(w);
	return 0;
}

int engine_up(const struct topology *t, const char *file, const struct engine_opts *o,
	      struct engine_result *res, struct error *err)
{
	_cleanup_(nsctx_freep) struct nsctx *c = NULL;
	bool had_state;
	int lock = -1, r;

	memset(res, 0, sizeof(*res));
	r = lock_take(t->name, &lock, err);
	if (r < 0)
		return r;
	had_state = state_exists(t->name);
	r = nsctx_new(&c, err);
	if (r >= 0)
		r = observe_and_plan(c, t->name, t, res, err);
	if (r >= 0) {
		warn_foreign_drops(t, o);
		warn_busy_ports(t, o);
	}
	if (r >= 0 && !o->dry_run && res->plan->n) {
		if (o->planned)
			o->planned(res->plan->n, o->data);
		r = apply_plan(c, res->plan, true, o->progress, o->data, &res->report, err);
	}
	if (r >= 0 && !o->dry_run && file)
		r = state_write(t->name, file, err);
	if (!o->dry_run)
		state_pending_clear(t->name);
	/* A failed first up, or a dry run of one, leaves nothing behind, not even its lock. */
	lock_release(t->name, lock, (r < 0 || o->dry_run) && !had_state);
	return r;
}

int engine_down(const char *topo, const struct engine_opts *o, struct engine_result *res,
		struct error *err)
{
	_cleanup_(nsctx_freep) struct nsctx *c = NULL;
	int lock = -1, r;

	memset(res, 0, sizeof(*res));
	r = lock_take(topo, &lock, err);
	if (r < 0)
		return r;
	r = nsctx_new(&c, err);
	if (r >= 0)
		r = observe_and_plan(c, topo, NULL, res, err);
	if (r >= 0 && !o->dry_run && res->plan->n) {
		if (o->planned)
			o->planned(res->plan->n, o->data);
		r = apply_plan(c, res->plan, false, o->progress, o->data, &res->report, err);
	}
	if (r >= 0 && !o->dry_run) {
		state_remove(topo);
		state_pending_clear(topo);
	}
	lock_release(topo, lock, (r >= 0 && !o->dry_run) || !state_exists(topo));
	return r;
}

int engine_status(const char *topo, const struct topology *t, struct engine_result *res,
		  struct error *err)
{
	_cleanup_(nsctx_freep) struct nsctx *c = NULL;
	int r;

	memset(res, 0, sizeof(*res));
	r = nsctx_new(&c, err);
	if (r < 0)
		return r;
	return observe_and_plan(c, topo, t, res, err);
}
