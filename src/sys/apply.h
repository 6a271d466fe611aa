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

/*
 * Runs the plan. stop_on_error: roll back and stop at the first failure (up);
 * otherwise keep going past failures and report the first (down).
 */
int apply_plan(struct nsctx *c, const struct plan *p, bool stop_on_error,
	       apply_progress_fn progress, void *data, struct apply_report *rep,
	       struct error *err);

#endif
