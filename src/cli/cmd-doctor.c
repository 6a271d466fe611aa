// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nsnet doctor [FILE|NAME] [--json]: why traffic does not flow, from the
 * host's real state. No operand: the host and every topology nsnet finds
 * (each judged against its recorded file); FILE: the network that file wants,
 * up or not yet; NAME: that topology with its recorded file. Exit 1 when
 * anything is found. The checks are in core/doctor.c, the facts in
 * sys/doctor-facts.c; this file only chooses the topologies and renders.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "core/doctor.h"
#include "sys/doctor-facts.h"
#include "sys/state.h"
#include "sys/topofile.h"
#include "sys/world.h"

struct examined {
	char file[4096]; /* "" when unknown */
	char note[ERROR_MSG_MAX + 64];
	struct topology *t; /* owned; NULL when no file could be read */
};

/* The recorded file of topology name, loaded into e when it still describes name. */
static void load_recorded(const char *name, struct examined *e)
{
	struct error err = {0};

	if (state_read_file(name, e->file, sizeof(e->file), &err) < 0) {
		e->file[0] = '\0';
		snprintf(e->note, sizeof(e->note),
			 "no recorded file: only what it owns is checked");
		return;
	}
	if (topofile_load(e->file, &e->t, &err) < 0) {
		snprintf(e->note, sizeof(e->note), "recorded file unreadable: %s", err.msg);
	} else if (strcmp(e->t->name, name) != 0) {
		snprintf(e->note, sizeof(e->note), "recorded file now names topology '%s'",
			 e->t->name);
		topology_free(e->t);
		e->t = NULL;
	}
}

/* The topology a FILE describes, wanted as written. */
static int choose_file(const char *arg, struct doctor_topo *topo, struct examined *ex,
		       struct error *err)
{
	int r = topofile_load(arg, &ex->t, err);

	if (r < 0)
		return r;
	if (!realpath(arg, ex->file))
		snprintf(ex->file, sizeof(ex->file), "%s", arg);
	snprintf(topo->name, sizeof(topo->name), "%s", ex->t->name);
	topo->want = ex->t;
	return 0;
}

/*
 * Which topologies to examine, into topos and ex (*ret_n of each, room for at
 * least one): FILE's, NAME, or all nsnet finds.
 */
static int choose(struct nsctx *c, const char *arg, struct doctor_topo **ret_topos,
		  struct examined **ret_ex, size_t *ret_n, struct error *err)
{
	struct doctor_topo *topos;
	struct examined *ex;
	char **names = NULL;
	size_t n = 0, k = 0;
	int r = 0;

	if (arg && !cli_is_file(arg) && name_netns_check(arg, err) < 0)
		return error_prefix(err, "topology");
	if (!arg || !cli_is_file(arg))
		r = world_topologies(c, &names, &n, err);
	if (r < 0)
		return r;
	*ret_topos = topos = calloc(n + 1, sizeof(*topos));
	*ret_ex = ex = calloc(n + 1, sizeof(*ex));
	if (!topos || !ex)
		r = error_set(err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		if (r >= 0 && (!arg || strcmp(arg, names[i]) == 0))
			snprintf(topos[k++].name, sizeof(topos->name), "%s", names[i]);
		free(names[i]);
	}
	free(names);
	if (r < 0)
		return r;
	if (arg && cli_is_file(arg)) {
		r = choose_file(arg, topos, ex, err);
		*ret_n = r < 0 ? 0 : 1;
		return r;
	}
	/* A NAME only recorded (its objects all gone) is still worth a look. */
	if (arg && !k && state_exists(arg))
		snprintf(topos[k++].name, sizeof(topos->name), "%s", arg);
	if (arg && !k)
		return error_input(err, -ENOENT,
				   "topology '%s': nothing of it is up and no file is recorded "
				   "for it; name its FILE",
				   arg);
	for (size_t i = 0; i < k; i++) {
		load_recorded(topos[i].name, &ex[i]);
		topos[i].want = ex[i].t;
	}
	*ret_n = k;
	return 0;
}

static void print_text(const struct doctor_facts *f, const struct examined *ex,
		       const struct doctor_report *rep)
{
	bool colour = cli_color();
	size_t problems = 0;

	printf("checked: the host");
	for (size_t i = 0; i < f->n_topos; i++)
		printf(", topology '%s'%s", f->topos[i].name,
		       doctor_topo_is_up(&f->topos[i]) ? "" : " (not up)");
	printf("\n");
	for (size_t i = 0; i < f->n_topos; i++)
		if (ex[i].note[0])
			printf("note: '%s': %s\n", f->topos[i].name, ex[i].note);
	for (size_t i = 0; i < rep->n; i++) {
		const struct doctor_finding *d = &rep->v[i];
		bool bad = d->level == DOCTOR_PROBLEM;

		problems += bad;
		printf("\n%s%-7s%s  %-16s  ", colour && bad ? "\033[1;31m" : "",
		       doctor_level_name(d->level), colour && bad ? "\033[0m" : "", d->id);
		if (d->topology[0])
			printf("topology '%s': ", d->topology);
		printf("%s\n", d->subject);
		printf("  what   %s\n  why    %s\n  fix    %s\n", d->what, d->why, d->fix);
	}
	if (!rep->n)
		printf("no problem found\n");
	else
		printf("\n%zu problem%s, %zu warning%s\n", problems, problems == 1 ? "" : "s",
		       rep->n - problems, rep->n - problems == 1 ? "" : "s");
}

static void print_json(const struct doctor_facts *f, const struct examined *ex,
		       const struct doctor_report *rep)
{
	json_t *checked = json_array(), *findings = json_array(), *root;
	size_t problems = 0;

	for (size_t i = 0; i < f->n_topos; i++) {
		json_t *o = json_pack("{s:s, s:o, s:b}", "topology", f->topos[i].name, "file",
				      ex[i].file[0] ? json_string(ex[i].file) : json_null(), "up",
				      doctor_topo_is_up(&f->topos[i]));

		if (ex[i].note[0])
			json_object_set_new(o, "note", json_string(ex[i].note));
		json_array_append_new(checked, o);
	}
	for (size_t i = 0; i < rep->n; i++) {
		const struct doctor_finding *d = &rep->v[i];

		problems += d->level == DOCTOR_PROBLEM;
		json_array_append_new(
			findings, json_pack("{s:s, s:s, s:o, s:s, s:s, s:s, s:s}", "id", d->id,
					    "level", doctor_level_name(d->level), "topology",
					    d->topology[0] ? json_string(d->topology) : json_null(),
					    "subject", d->subject, "what", d->what, "why", d->why,
					    "fix", d->fix));
	}
	root = json_pack("{s:o, s:o, s:I, s:I}", "checked", checked, "findings", findings,
			 "problems", (json_int_t)problems, "warnings",
			 (json_int_t)(rep->n - problems));
	json_dumpf(root, stdout, JSON_INDENT(2));
	putchar('\n');
	json_decref(root);
}

int cmd_doctor(const struct command *cmd, int argc, char **argv)
{
	_cleanup_(nsctx_freep) struct nsctx *c = NULL;
	struct doctor_report rep = {0};
	struct doctor_topo *topos = NULL;
	struct doctor_facts f = {0};
	struct examined *ex = NULL;
	struct error err = {0};
	bool json = false;
	size_t n = 0;
	int i, r, status;

	i = cli_parse_simple(cmd, "", argc, argv, &json, NULL, NULL, 0);
	if (i < 0)
		return i == -1 ? EXIT_OK : EXIT_USAGE;
	if (argc - i > 1)
		return cli_usage(cmd, "doctor takes at most one FILE or NAME");
	r = nsctx_new(&c, &err);
	if (r >= 0)
		r = choose(c, argc - i == 1 ? argv[i] : NULL, &topos, &ex, &n, &err);
	if (r >= 0)
		r = doctor_facts_gather(c, topos, n, &f, &err);
	if (r >= 0)
		r = doctor_run(&f, &rep, &err);
	if (r < 0) {
		status = cli_fail(&err);
	} else {
		if (json)
			print_json(&f, ex, &rep);
		else
			print_text(&f, ex, &rep);
		status = rep.n ? EXIT_FAIL : EXIT_OK;
	}
	doctor_report_clear(&rep);
	doctor_facts_clear(&f);
	for (size_t k = 0; ex && k < n; k++)
		topology_free(ex[k].t);
	free(ex);
	free(topos);
	return status;
}
