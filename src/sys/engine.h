/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one pipeline every front end uses: lock -> observe -> plan -> apply
 * (up), the same with nothing wanted (down), and observe -> plan without
 * applying (status). Front ends parse their input into a topology, call
 * these, and render what comes back; they hold no orchestration of their own.
 */
#ifndef NSNET_ENGINE_H
#define NSNET_ENGINE_H

#include <stdbool.h>

#include "apply.h"
#include "core/plan.h"
#include "core/topology.h"

struct engine_opts {
	bool dry_run;
	void (*planned)(size_t n, void *data); /* before the first action: how many follow */
	apply_progress_fn progress;	       /* before each action (not on dry runs) */
	void (*warn)(const char *msg, void *data);
	void *data;
};

struct engine_result {
	struct plan *plan; /* what was (or, dry run, would be) done; owned by the result */
	struct world *world; /* status only: what was observed */
	struct apply_report report;
};

void engine_result_clear(struct engine_result *res);

/* Brings t up; file (absolute path, may be NULL) is recorded for status. */
int engine_up(const struct topology *t, const char *file, const struct engine_opts *o,
	      struct engine_result *res, struct error *err);

/* Removes everything topology topo owns; keeps going past failures. */
int engine_down(const char *topo, const struct engine_opts *o, struct engine_result *res,
		struct error *err);

/*
 * Observes topo and plans against t (NULL: against nothing wanted, i.e. only
 * lists what is owned). res->plan empty means no drift.
 */
int engine_status(const char *topo, const struct topology *t, struct engine_result *res,
		  struct error *err);

#endif
