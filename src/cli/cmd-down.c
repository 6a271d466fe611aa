// SPDX-License-Identifier: GPL-2.0-or-later
/* nsnet down FILE|NAME [--dry-run] */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "sys/engine.h"
#include "sys/topofile.h"

/* The topology a FILE|NAME operand names; only the file's name is needed. */
int cli_topology_name(const char *arg, char *buf, size_t len, struct topology **ret_t,
		      struct error *err)
{
	struct topology *t = NULL;
	int r;

	if (!cli_is_file(arg)) {
		r = name_netns_check(arg, err);
		if (r < 0)
			return error_prefix(err, "topology");
		snprintf(buf, len, "%s", arg);
		return 0;
	}
	r = topofile_load(arg, &t, err);
	if (r < 0)
		return r;
	snprintf(buf, len, "%s", t->name);
	if (ret_t)
		*ret_t = t;
	else
		topology_free(t);
	return 0;
}

int cmd_down(const struct command *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{"help", no_argument, NULL, 'h'},
		{"dry-run", no_argument, NULL, 'n'},
		{0},
	};
	struct cli_progress pg = {0};
	struct engine_opts o = {
		.planned = cli_progress_planned,
		.progress = cli_print_action,
		.data = &pg,
	};
	struct engine_result res = {0};
	struct error err = {0};
	char name[NETNS_NAME_MAX + 1];
	int c, r;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "hn", opts, NULL)) != -1) {
		if (c == 'h') {
			cli_help(cmd, "", stdout);
			return EXIT_OK;
		} else if (c == 'n') {
			o.dry_run = true;
		} else {
			return cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (argc - optind != 1)
		return cli_usage(cmd, "down takes one topology FILE or NAME");
	if (cli_topology_name(argv[optind], name, sizeof(name), NULL, &err) < 0)
		return cli_fail(&err);
	r = engine_down(name, &o, &res, &err);
	cli_progress_end(&pg);
	if (r < 0) {
		cli_fail(&err);
		fprintf(stderr, "nsnet: down of '%s': %zu of %zu changes done; run it again\n", name,
			res.report.done, res.plan ? res.plan->n : 0);
		engine_result_clear(&res);
		return EXIT_FAIL;
	}
	if (o.dry_run) {
		printf("plan for removing '%s': %zu change%s\n", name, res.plan->n,
		       res.plan->n == 1 ? "" : "s");
		cli_print_plan(res.plan, "  ");
	} else if (res.plan->n) {
		printf("'%s' is down: %zu change%s\n", name, res.plan->n,
		       res.plan->n == 1 ? "" : "s");
	} else {
		printf("'%s' is down: nothing of it was left\n", name);
	}
	engine_result_clear(&res);
	return EXIT_OK;
}
