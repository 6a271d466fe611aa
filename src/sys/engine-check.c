// SPDX-License-Identifier: GPL-2.0-or-later
/* `check`: the probes a topology calls for (core/check.c), sent for real (probe.c). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine.h"
#include "probe.h"

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
	return r;
}

int engine_check_run(struct engine *e, struct check_list *l, unsigned timeout_ms,
		     double *ret_secs, struct error *err)
{
	struct timespec start;
	int r;

	(void)e;
	clock_gettime(CLOCK_MONOTONIC, &start);
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
