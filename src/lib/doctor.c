// SPDX-License-Identifier: GPL-2.0-or-later
/* doctor: findings and the topologies examined, as public views and JSON. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib.h"

struct nsnet_doctor {
	struct engine_doctor d;
	struct nsnet_finding *findings;
	struct nsnet_examined *examined;
};

int nsnet_doctor(struct nsnet_ctx *c, const struct nsnet_topology *t, const char *name,
		 struct nsnet_doctor **ret, struct nsnet_error *err)
{
	struct nsnet_doctor *d = calloc(1, sizeof(*d));
	struct error e = {0};
	struct engine_doctor *ed;

	if (!d)
		return lib_oom(err);
	ed = &d->d;
	if (engine_doctor(&c->e, t ? t->t : NULL, t ? t->file : NULL, name, ed, &e) < 0) {
		free(d);
		return lib_error(err, &e);
	}
	d->findings = calloc(ed->report.n + 1, sizeof(*d->findings));
	d->examined = calloc(ed->n + 1, sizeof(*d->examined));
	if (!d->findings || !d->examined) {
		nsnet_doctor_free(d);
		return lib_oom(err);
	}
	for (size_t i = 0; i < ed->report.n; i++) {
		const struct doctor_finding *f = &ed->report.v[i];

		d->findings[i] = (struct nsnet_finding){
			f->id,	    doctor_level_name(f->level), f->topology[0] ? f->topology : NULL,
			f->subject, f->what,			 f->why,
			f->fix,
		};
	}
	for (size_t i = 0; i < ed->n; i++)
		d->examined[i] = (struct nsnet_examined){
			ed->topos[i].name,
			ed->ex[i].file[0] ? ed->ex[i].file : NULL,
			ed->ex[i].note[0] ? ed->ex[i].note : NULL,
			doctor_topo_is_up(&ed->topos[i]),
		};
	*ret = d;
	return 0;
}

void nsnet_doctor_free(struct nsnet_doctor *d)
{
	if (!d)
		return;
	engine_doctor_clear(&d->d);
	free(d->findings);
	free(d->examined);
	free(d);
}

size_t nsnet_doctor_count(const struct nsnet_doctor *d)
{
	return d->d.report.n;
}

const struct nsnet_finding *nsnet_doctor_finding(const struct nsnet_doctor *d, size_t i)
{
	return i < d->d.report.n ? &d->findings[i] : NULL;
}

size_t nsnet_doctor_examined_count(const struct nsnet_doctor *d)
{
	return d->d.n;
}

const struct nsnet_examined *nsnet_doctor_examined(const struct nsnet_doctor *d, size_t i)
{
	return i < d->d.n ? &d->examined[i] : NULL;
}

int nsnet_doctor_json(const struct nsnet_doctor *d, char **ret, struct nsnet_error *err)
{
	json_t *checked = json_array(), *findings = json_array();
	size_t problems = 0;

	for (size_t i = 0; i < d->d.n; i++) {
		const struct nsnet_examined *x = &d->examined[i];
		json_t *o = json_pack("{s:s, s:o, s:b}", "topology", x->name, "file",
				      json_text(x->file), "up", x->up);

		if (o && x->note)
			json_object_set_new(o, "note", json_text(x->note));
		json_array_append_new(checked, o);
	}
	for (size_t i = 0; i < d->d.report.n; i++) {
		const struct nsnet_finding *f = &d->findings[i];

		problems += d->d.report.v[i].level == DOCTOR_PROBLEM;
		json_array_append_new(findings,
				      json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "id", f->id,
						"level", f->level, "topology",
						json_text(f->topology), "subject",
						json_text(f->subject), "what", json_text(f->what),
						"why", json_text(f->why), "fix", json_text(f->fix)));
	}
	return lib_json_text(json_pack("{s:o, s:o, s:I, s:I}", "checked", checked, "findings",
				       findings, "problems", (json_int_t)problems, "warnings",
				       (json_int_t)(d->d.report.n - problems)),
			     ret, err);
}
