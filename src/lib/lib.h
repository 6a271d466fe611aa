/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Inside libnsnet: the public objects of include/nsnet.h wrapping the engine
 * (src/sys/engine.h) and the core's data. This layer converts and renders
 * (public views, JSON); every pipeline is the engine's.
 */
#ifndef NSNET_LIB_H
#define NSNET_LIB_H

#include <jansson.h>

#include "core/error.h"
#include "core/json-text.h"
#include "core/plan.h"
#include "core/topology.h"
#include "nsnet.h"
#include "sys/engine.h"

struct nsnet_ctx {
	struct engine e;
	nsnet_warn_fn warn;
	nsnet_planned_fn planned;
	nsnet_progress_fn progress;
	void *data;
};

struct nsnet_topology {
	struct topology *t;
	char *file; /* NULL when loaded from a buffer */
};

/* Copies e into err (the layouts are the same; the public one is the ABI). */
int lib_error(struct nsnet_error *err, const struct error *e);
/* err's return for a failed allocation. */
int lib_oom(struct nsnet_error *err);

/* A JSON value as text, into *ret (a reference to o is consumed). */
int lib_json_text(json_t *o, char **ret, struct nsnet_error *err);

/* A plan's actions as public views, built once (descriptions live in *ret_text). */
struct lib_actions {
	struct nsnet_action *v;
	char (*text)[512];
	size_t n;
};
int lib_actions_build(struct lib_actions *a, const struct plan *p);
void lib_actions_clear(struct lib_actions *a);
json_t *lib_plan_json(const struct plan *p);
/* "; up: 'a', 'b'" or "; no topology is up", for messages about an unknown name. */
void lib_topologies_hint(struct nsnet_ctx *c, char *buf, size_t len);

#endif
