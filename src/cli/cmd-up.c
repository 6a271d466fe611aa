// SPDX-License-Identifier: GPL-2.0-or-later
/* nsnet up FILE [--dry-run] [--json] */
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sys/engine.h"
#include "sys/topofile.h"

static void warn(const char *msg, void *data)
{
	(void)data;
	cli_warn(msg);
}

static int report_failure(const struct engine_result *res, const struct error *err)
{
	const struct apply_report *rep = &res->report;

	cli_fail(err);
	if (!res->plan || !res->plan->n || rep->failed_at >= res->plan->n)
		return EXIT_FAIL;
	if (rep->undo_failed)
		fprintf(stderr,
			"nsnet: rollback incomplete: %zu of %zu undo steps failed, first: %s\n"
			"nsnet: run 'nsnet up' again to converge, or 'nsnet down' to remove it\n",
			rep->undo_failed, rep->undo_failed + rep->undone, rep->undo_error);
	else
		fprintf(stderr, "nsnet: rolled back: %zu change%s undone, the network is as before\n",
			rep->undone, rep->undone == 1 ? "" : "s");
	return EXIT_FAIL;
}

int cmd_up(const struct command *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{"help", no_argument, NULL, 'h'},
		{"dry-run", no_argument, NULL, 'n'},
		{"json", no_argument, NULL, 'j'},
		{0},
	};
	_cleanup_(topology_freep) struct topology *t = NULL;
	struct cli_progress pg = {0};
	struct engine_opts o = {
		.planned = cli_progress_planned,
		.progress = cli_print_action,
		.warn = warn,
		.data = &pg,
	};
	struct engine_result res = {0};
	struct error err = {0};
	char abs[PATH_MAX];
	bool json = false;
	int c, r;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "hnj", opts, NULL)) != -1) {
		if (c == 'h') {
			cli_help(cmd, "", stdout);
			return EXIT_OK;
		} else if (c == 'n') {
			o.dry_run = true;
		} else if (c == 'j') {
			json = true;
		} else {
			return cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (argc - optind != 1)
		return cli_usage(cmd, "up takes one topology FILE");
	if (json && !o.dry_run)
		return cli_usage(cmd, "--json goes with --dry-run");
	if (topofile_load(argv[optind], &t, &err) < 0)
		return cli_fail(&err);
	if (!realpath(argv[optind], abs))
		snprintf(abs, sizeof(abs), "%s", argv[optind]);
	r = engine_up(t, abs, &o, &res, &err);
	cli_progress_end(&pg);
	if (r < 0) {
		r = report_failure(&res, &err);
		engine_result_clear(&res);
		return r;
	}
	if (json) {
		json_t *out = json_pack("{s:s, s:b, s:i, s:o}", "topology", t->name, "dry_run", 1,
					"changes", (int)res.plan->n, "actions",
					cli_plan_json(res.plan));

		json_dumpf(out, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(out);
	} else if (o.dry_run) {
		printf("plan for '%s': %zu change%s\n", t->name, res.plan->n,
		       res.plan->n == 1 ? "" : "s");
		cli_print_plan(res.plan, "  ");
	} else if (res.plan->n) {
		printf("'%s' is up: %zu change%s\n", t->name, res.plan->n,
		       res.plan->n == 1 ? "" : "s");
	} else {
		printf("'%s' is up to date: no change\n", t->name);
	}
	engine_result_clear(&res);
	return EXIT_OK;
}
