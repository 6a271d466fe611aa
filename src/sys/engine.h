/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The pipelines, once each, for every front end (libnsnet's API, and through
 * it the CLI and the CNI plugin): up (lock -> observe -> plan -> apply ->
 * record), down (the same with nothing wanted), status (observe -> plan, no
 * apply), check (derive probes, send them), doctor (gather facts, judge
 * them), the list of topologies, and reading back a topology's recorded
 * file. Nothing here prints; everything a front end shows comes back as data.
 *
 * struct engine holds what used to be process-global: the state directory,
 * the fault-injection settings and the callbacks. The kernel handles of one
 * call (struct nsctx) live for that call.
 */
#ifndef NSNET_ENGINE_H
#define NSNET_ENGINE_H

#include <limits.h>
#include <stdbool.h>

#include "apply.h"
#include "core/check.h"
#include "core/doctor.h"
#include "core/plan.h"
#include "core/topology.h"
#include "core/world.h"
#include "fault.h"

struct engine {
	char state_dir[PATH_MAX];
	struct fault fault;
	void (*warn)(const char *msg, void *data);
	void (*planned)(size_t n, void *data); /* before the first action: how many follow */
	apply_progress_fn progress;	       /* before each action (not on dry runs) */
	void *data;			       /* of the three callbacks */
};

void engine_init(struct engine *e);

struct engine_result {
	struct plan *plan;   /* what was (or, dry run, would be) done; owned */
	struct world *world; /* what was observed; owned */
	struct apply_report report;
	bool rolled_back;    /* a failure after changes: they were undone (see report) */
	bool existed;	     /* down: anything of the topology was found (state or objects) */
	bool recorded;	     /* status: a file is recorded for it */
};

void engine_result_clear(struct engine_result *res);

/* Brings t up; file (absolute path, may be NULL) is recorded for status. */
int engine_up(struct engine *e, const struct topology *t, const char *file, bool dry_run,
	      struct engine_result *res, struct error *err);

/* Removes everything topology topo owns; keeps going past failures. */
int engine_down(struct engine *e, const char *topo, bool dry_run, struct engine_result *res,
		struct error *err);

/*
 * Observes topo and plans against t (NULL: against nothing wanted, i.e. only
 * lists what is owned). res->plan empty means no drift. Changes nothing.
 */
int engine_status(struct engine *e, const char *topo, const struct topology *t,
		  struct engine_result *res, struct error *err);

/* Every topology name found as a mark on a namespace or host link, or an nft table; sorted. */
int engine_topologies(struct engine *e, char ***ret, size_t *ret_n, struct error *err);
void engine_names_free(char **v, size_t n);

/*
 * The file topo's last `up` recorded (into file, may be NULL), loaded, and
 * checked to still describe topo. -ENOENT when nothing is recorded. The file
 * is opened like everything nsnet reads (no link followed, nothing that
 * could block), and a file that is no topology any more is reported by its
 * position only: its contents never reach a message.
 */
int engine_recorded(struct engine *e, const char *topo, struct topology **ret, char *file,
		    size_t len, struct error *err);

enum {
	ENGINE_CHECK_ALONE = 1 << 0, /* no isolation probes against other topologies */
};

/*
 * The probes of t (check_list_build; isolation against every other topology
 * that is up, from their recorded files), sent for real; l is filled in,
 * with the wall time of the whole check in *ret_secs.
 */
int engine_check(struct engine *e, const struct topology *t, unsigned flags, unsigned timeout_ms,
		 struct check_list *l, double *ret_secs, struct error *err);
/* The two halves of engine_check, for callers that add probes of their own in between. */
int engine_check_build(struct engine *e, const struct topology *t, unsigned flags,
		       struct check_list *l, struct error *err);
int engine_check_run(struct engine *e, struct check_list *l, unsigned timeout_ms,
		     double *ret_secs, struct error *err);

/* One examined topology of doctor: what was judged, from which file. */
struct engine_examined {
	char file[PATH_MAX]; /* "" when unknown */
	char note[ERROR_MSG_MAX + 64];
	struct topology *t; /* owned; NULL when no file could be read */
};

struct engine_doctor {
	struct doctor_topo *topos;
	struct engine_examined *ex; /* one per topos */
	size_t n;
	struct doctor_facts facts;
	struct doctor_report report;
};

/*
 * Doctor of t (a file's topology, wanted as written, up or not) if not NULL;
 * else of topology name; else (both NULL) of the host and every topology
 * found. Changes nothing.
 */
int engine_doctor(struct engine *e, const struct topology *t, const char *file, const char *name,
		  struct engine_doctor *ret, struct error *err);
void engine_doctor_clear(struct engine_doctor *d);

#endif
