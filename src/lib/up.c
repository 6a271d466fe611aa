// SPDX-License-Identifier: GPL-2.0-or-later
/* up, down and status: the engine's results as public views and JSON. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/owner.h"
#include "lib.h"

struct nsnet_result {
	struct engine_result res;
	char topology[NETNS_NAME_MAX + 1];
	bool dry_run;
	struct lib_actions actions; /* built on first use */
	struct nsnet_report report;
};

int lib_actions_build(struct lib_actions *a, const struct plan *p)
{
	if (a->v || !p || !p->n)
		return 0;
	a->v = calloc(p->n, sizeof(*a->v));
	a->text = calloc(p->n, sizeof(*a->text));
	if (!a->v || !a->text) {
		lib_actions_clear(a);
		return -ENOMEM;
	}
	for (size_t i = 0; i < p->n; i++) {
		action_describe(&p->v[i], a->text[i], sizeof(a->text[i]));
		a->v[i] = (struct nsnet_action){action_type_name(p->v[i].type), a->text[i],
						 p->v[i].type == ACT_FW_APPLY ? p->fw_detail : NULL};
	}
	a->n = p->n;
	return 0;
}

void lib_actions_clear(struct lib_actions *a)
{
	free(a->v);
	free(a->text);
	memset(a, 0, sizeof(*a));
}

/* A text of lines as a JSON array of strings. */
static json_t *lines_json(const char *text)
{
	json_t *arr = json_array();
	const char *s = text, *nl;

	while (arr && s && *s) {
		nl = strchr(s, '\n');
		json_array_append_new(arr, json_stringn(s, nl ? (size_t)(nl - s) : strlen(s)));
		s = nl ? nl + 1 : NULL;
	}
	return arr;
}

json_t *lib_plan_json(const struct plan *p)
{
	json_t *arr = json_array();
	char line[512];

	for (size_t i = 0; p && i < p->n; i++) {
		json_t *o;

		action_describe(&p->v[i], line, sizeof(line));
		/* line may end inside a UTF-8 sequence where it was cut: json_text. */
		o = json_pack("{s:s, s:o}", "action", action_type_name(p->v[i].type), "description",
			      json_text(line));
		if (o && p->v[i].type == ACT_FW_APPLY && p->fw_detail)
			json_object_set_new(o, "details", lines_json(p->fw_detail));
		json_array_append_new(arr, o);
	}
	return arr;
}

static struct nsnet_result *result_new(const char *topo, bool dry_run)
{
	struct nsnet_result *r = calloc(1, sizeof(*r));

	if (r) {
		snprintf(r->topology, sizeof(r->topology), "%s", topo);
		r->dry_run = dry_run;
	}
	return r;
}

static void report_fill(struct nsnet_result *r)
{
	const struct apply_report *a = &r->res.report;

	r->report = (struct nsnet_report){
		.changes = r->res.plan ? r->res.plan->n : 0,
		.done = a->done,
		.rolled_back = r->res.rolled_back,
		.undone = a->undone,
		.undo_failed = a->undo_failed,
		.undo_error = a->undo_failed ? a->undo_error : NULL,
	};
}

/* The result goes out on success, and on failure once there is a plan to report on. */
static int finish(struct nsnet_result *r, int rc, const struct error *e,
		  struct nsnet_result **ret, struct nsnet_error *err)
{
	report_fill(r);
	if (rc < 0 && !r->res.plan) {
		nsnet_result_free(r);
		r = NULL;
	}
	*ret = r;
	return rc < 0 ? lib_error(err, e) : 0;
}

int nsnet_up(struct nsnet_ctx *c, const struct nsnet_topology *t, unsigned flags,
	     struct nsnet_result **ret, struct nsnet_error *err)
{
	struct nsnet_result *r = result_new(t->t->name, flags & NSNET_DRY_RUN);
	struct error e = {0};
	int rc;

	*ret = NULL;
	if (!r)
		return lib_oom(err);
	rc = engine_up(&c->e, t->t, t->file, flags & NSNET_DRY_RUN, &r->res, &e);
	return finish(r, rc, &e, ret, err);
}

int nsnet_down(struct nsnet_ctx *c, const char *name, unsigned flags, struct nsnet_result **ret,
	       struct nsnet_error *err)
{
	struct nsnet_result *r = result_new(name, flags & NSNET_DRY_RUN);
	struct error e = {0};
	int rc;

	*ret = NULL;
	if (!r)
		return lib_oom(err);
	rc = engine_down(&c->e, name, flags & NSNET_DRY_RUN, &r->res, &e);
	return finish(r, rc, &e, ret, err);
}

void nsnet_result_free(struct nsnet_result *r)
{
	if (!r)
		return;
	engine_result_clear(&r->res);
	lib_actions_clear(&r->actions);
	free(r);
}

size_t nsnet_result_count(const struct nsnet_result *r)
{
	return r->res.plan ? r->res.plan->n : 0;
}

const struct nsnet_action *nsnet_result_action(const struct nsnet_result *r, size_t i)
{
	struct nsnet_result *m = (struct nsnet_result *)r; /* the cache is not what r means */

	if (i >= nsnet_result_count(r) || lib_actions_build(&m->actions, r->res.plan) < 0)
		return NULL;
	return &r->actions.v[i];
}

const struct nsnet_report *nsnet_result_report(const struct nsnet_result *r)
{
	return &r->report;
}

bool nsnet_result_existed(const struct nsnet_result *r)
{
	return r->res.existed;
}

int nsnet_result_json(const struct nsnet_result *r, char **ret, struct nsnet_error *err)
{
	return lib_json_text(json_pack("{s:s, s:b, s:I, s:o}", "topology", r->topology, "dry_run",
				       r->dry_run, "changes", (json_int_t)nsnet_result_count(r),
				       "actions", lib_plan_json(r->res.plan)),
			     ret, err);
}
