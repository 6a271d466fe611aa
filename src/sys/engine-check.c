// SPDX-License-Identifier: GPL-2.0-or-later
/* `check`: the probes a topology calls for (core/check.c), sent for real (probe.c). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine.h"
#include "nsctx.h"
#include "observe.h"
#include "probe.h"
#include "sysctl.h"

struct others {
	struct topology **v;
	size_t n;
};

static void others_clear(struct others *o)
{
	for (size_t i = 0; i < o->n; i++)
		topology_free(o->v[i]);
	free(o->v);
}

/* The other topologies that are up, from their recorded files; unreadable ones are skipped. */
static int others_load(struct engine *e, const char *self, struct others *o, struct error *err)
{
	char **names = NULL;
	size_t n = 0;
	int r;

	r = engine_topologies(e, &names, &n, err);
	if (r < 0)
		return r;
	o->v = calloc(n + 1, sizeof(*o->v));
	for (size_t i = 0; o->v && i < n; i++) {
		struct topology *t = NULL;

		if (strcmp(names[i], self) != 0 &&
		    engine_recorded(e, names[i], &t, NULL, 0, NULL) >= 0)
			o->v[o->n++] = t;
	}
	engine_names_free(names, n);
	return o->v ? 0 : error_set(err, -ENOMEM, "out of memory");
}

static double since(const struct timespec *a)
{
	struct timespec b;

	clock_gettime(CLOCK_MONOTONIC, &b);
	return (double)(b.tv_sec - a->tv_sec) + (double)(b.tv_nsec - a->tv_nsec) / 1e9;
}

struct forwarding_items {
	struct check_list *l;
	struct error *err;
	int r;
};

static void forwarding_item(const char *ifname, const char *key, void *data)
{
	struct forwarding_items *fi = data;

	if (fi->r >= 0 && !check_list_add_forwarding(fi->l, ifname, key, fi->err))
		fi->r = -ENOMEM;
}

/*
 * The host's IPv6 forwarding, which no packet from inside can test on an
 * uplink: one item per setting the planner turns on (core/plan-sysctl.c).
 */
static int add_forwarding(const struct topology *t, struct check_list *l, struct error *err)
{
	_cleanup_(nsctx_freep) struct nsctx *c = NULL;
	_cleanup_(world_freep) struct world *w = NULL;
	struct forwarding_items fi = {l, err, 0};
	int r;

	r = nsctx_new(&c, err);
	if (r >= 0)
		r = world_observe(c, t->name, t, NULL, &w, err);
	if (r < 0)
		return r;
	plan_sysctl_forwarding6(t, w, forwarding_item, &fi);
	return fi.r;
}

int engine_check_build(struct engine *e, const struct topology *t, unsigned flags,
		       struct check_list *l, struct error *err)
{
	struct others others = {0};
	int r = 0;

	memset(l, 0, sizeof(*l));
	if (!t)
		return 0;
	if (!(flags & ENGINE_CHECK_ALONE))
		r = others_load(e, t->name, &others, err);
	if (r >= 0)
		r = check_list_build(t, (const struct topology *const *)others.v, others.n, l, err);
	/* The namespaces of CNI attachments are entered by the path their runtime gave. */
	for (size_t k = 0; r >= 0 && k <= others.n; k++) {
		const struct topology *o = k < others.n ? others.v[k] : t;

		for (size_t i = 0; r >= 0 && i < o->n_namespaces; i++)
			if (o->namespaces[i].path &&
			    check_list_path_add(l, o->namespaces[i].name, o->namespaces[i].path) < 0)
				r = error_set(err, -ENOMEM, "out of memory");
	}
	if (r < 0)
		check_list_clear(l);
	others_clear(&others);
	if (r >= 0)
		r = add_forwarding(t, l, err);
	if (r < 0)
		check_list_clear(l);
	return r;
}

/* The forwarding items, read now: on, or off with what turns it back on. */
static void forwarding_read(struct check_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct check_probe *p = &l->v[i];
		int v;

		if (p->kind != CHECK_FORWARDING || p->result != CHECK_PENDING)
			continue;
		v = sysctl_get(p->key);
		p->result = v == 1 ? CHECK_REACHED : CHECK_UNREACHABLE;
		if (v != 1)
			snprintf(p->note, sizeof(p->note),
				 "%s: any write of 0 to net.ipv6.conf.all.forwarding clears it; "
				 "'nsnet up FILE' sets it again",
				 v < 0 ? "unreadable" : "off");
	}
}

int engine_check_run(struct engine *e, struct check_list *l, unsigned timeout_ms,
		     double *ret_secs, struct error *err)
{
	struct timespec start;
	int r;

	(void)e;
	clock_gettime(CLOCK_MONOTONIC, &start);
	forwarding_read(l);
	r = probe_run(l, timeout_ms, err);
	if (r >= 0 && ret_secs)
		*ret_secs = since(&start);
	return r;
}

int engine_check(struct engine *e, const struct topology *t, unsigned flags, unsigned timeout_ms,
		 struct check_list *l, double *ret_secs, struct error *err)
{
	struct timespec start;
	int r;

	clock_gettime(CLOCK_MONOTONIC, &start);
	r = engine_check_build(e, t, flags, l, err);
	if (r >= 0)
		r = engine_check_run(e, l, timeout_ms, NULL, err);
	if (r < 0) {
		check_list_clear(l);
		return r;
	}
	/* The whole check, deriving and loading included: what a person waited for. */
	if (ret_secs)
		*ret_secs = since(&start);
	return 0;
}
