/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The plan interpreter: runs actions in order against the kernel, keeping an
 * undo log; when an action fails, undoes what was done, newest first.
 */
#ifndef NSNET_APPLY_H
#define NSNET_APPLY_H

#include <stdbool.h>

#include "core/plan.h"
#include "nsctx.h"

struct apply_report {
	size_t done;	     /* actions that succeeded */
	size_t failed_at;    /* index of the failing action, when one failed */
	size_t undone;	     /* undo steps that succeeded */
	size_t undo_failed;  /* undo steps that failed */
	char undo_error[ERROR_MSG_MAX]; /* the first of them */
};

/* Called before each action runs, with its description. */
typedef void (*apply_progress_fn)(const struct action *a, void *data);

struct journal;

struct apply_opts {
	bool stop_on_error; /* up: roll back and stop at the first failure; down: keep going */
	apply_progress_fn progress;
	void *data;
	struct journal *journal; /* where creations are announced first (state.h) */
};

/* The undo log of a plan that was applied, until the caller keeps or reverts it. */
struct apply_undo;

/*
 * Runs the plan. With stop_on_error, a failure rolls back what was done; on
 * success, ret_undo (if not NULL) receives the undo log, so that a failure
 * after the plan (recording the state) can still put everything back.
 */
int apply_plan(struct nsctx *c, const struct plan *p, const struct apply_opts *o,
	       struct apply_report *rep, struct apply_undo **ret_undo, struct error *err);
/* Runs u backwards (counting into rep) and frees it. */
void apply_rollback(struct nsctx *c, struct apply_undo *u, struct apply_report *rep);
void apply_undo_free(struct apply_undo *u);

#endif
