// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `doctor`: which topologies to examine (a file's, a name's, or every one
 * found), each with the file it should be judged against; then the facts
 * (doctor-facts.c) and the judgement (core/doctor.c). Changes nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doctor-facts.h"
#include "engine.h"
#include "nsctx.h"
#include "state.h"

/* The recorded file of topology name, loaded into ex when it still describes name. */
static void load_recorded(struct engine *e, const char *name, struct engine_examined *ex)
{
	struct error err = {0};
	int r;

	r = engine_recorded(e, name, &ex->t, ex->file, sizeof(ex->file), &err);
	if (r == -ENOENT && !err.msg[0])
		snprintf(ex->note, sizeof(ex->note),
			 "no recorded file: only what it owns is checked");
	else if (r < 0)
		snprintf(ex->note, sizeof(ex->note), "%s", err.msg);
}

static int choose(struct engine *e, const struct topology *t, const char *file, const char *name,
		  struct engine_doctor *d, struct error *err)
{
	char **names = NULL;
	size_t n = 0, k = 0;
	int r = 0;

	if (!t)
		r = engine_topologies(e, &names, &n, err);
	if (r < 0)
		return r;
	d->topos = calloc(n + 1, sizeof(*d->topos));
	d->ex = calloc(n + 1, sizeof(*d->ex));
	if (!d->topos || !d->ex) {
		engine_names_free(names, n);
		return error_set(err, -ENOMEM, "out of memory");
	}
	if (t) {
		snprintf(d->topos[0].name, sizeof(d->topos->name), "%s", t->name);
		snprintf(d->ex[0].file, sizeof(d->ex->file), "%s", file ? file : "");
		d->topos[0].want = t;
		d->n = 1;
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		if (!name || strcmp(name, names[i]) == 0)
			snprintf(d->topos[k++].name, sizeof(d->topos->name), "%s", names[i]);
	engine_names_free(names, n);
	/* A NAME only recorded (its objects all gone) is still worth a look. */
	if (name && !k && state_exists(e->state_dir, name))
		snprintf(d->topos[k++].name, sizeof(d->topos->name), "%s", name);
	if (name && !k)
		return error_input(err, -ENOENT,
				   "topology '%s': nothing of it is up and no file is recorded "
				   "for it; name its FILE",
				   name);
	for (size_t i = 0; i < k; i++) {
		load_recorded(e, d->topos[i].name, &d->ex[i]);
		d->topos[i].want = d->ex[i].t;
	}
	d->n = k;
	return 0;
}

int engine_doctor(struct engine *e, const struct topology *t, const char *file, const char *name,
		  struct engine_doctor *d, struct error *err)
{
	_cleanup_(nsctx_freep) struct nsctx *c = NULL;
	int r;

	memset(d, 0, sizeof(*d));
	if (name && !t) {
		r = name_topology_check(name, err);
		if (r < 0)
			return r;
	}
	r = nsctx_new(&c, err);
	if (r >= 0)
		r = choose(e, t, file, name, d, err);
	if (r >= 0)
		r = doctor_facts_gather(c, d->topos, d->n, &d->facts, err);
	if (r >= 0)
		r = doctor_run(&d->facts, &d->report, err);
	if (r < 0)
		engine_doctor_clear(d);
	return r;
}

void engine_doctor_clear(struct engine_doctor *d)
{
	doctor_report_clear(&d->report);
	doctor_facts_clear(&d->facts);
	for (size_t i = 0; d->ex && i < d->n; i++)
		topology_free(d->ex[i].t);
	free(d->ex);
	free(d->topos);
	memset(d, 0, sizeof(*d));
}
