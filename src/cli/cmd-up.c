// SPDX-License-Identifier: GPL-2.0-or-later
/* nsnet up FILE [--dry-run] [--json] */
#include <stdio.h>

#include "cli.h"

/* What a failed up did to the network, as the library reports it: nothing, or rolled back. */
static int report_failure(const struct nsnet_result *res, const struct nsnet_error *err)
{
	const struct nsnet_report *rep = res ? nsnet_result_report(res) : NULL;

	cli_fail(err);
	if (!rep || (!rep->done && !rep->rolled_back))
		fprintf(stderr, "nsnet: nothing was changed\n");
	else if (rep->undo_failed)
		fprintf(stderr,
			"nsnet: rollback incomplete: %zu of %zu undo steps failed, first: %s\n"
			"nsnet: run 'nsnet up' again to converge, or 'nsnet down' to remove it\n",
			rep->undo_failed, rep->undo_failed + rep->undone, rep->undo_error);
	else
		fprintf(stderr, "nsnet: rolled back: %zu change%s undone, the network is as before\n",
			rep->undone, rep->undone == 1 ? "" : "s");
	return err->kind == NSNET_ERROR_INPUT ? EXIT_USAGE : EXIT_FAIL;
}

int cmd_up(const struct command *cmd, int argc, char **argv)
{
	_cleanup_topology_ struct nsnet_topology *t = NULL;
	_cleanup_ctx_ struct nsnet_ctx *c = NULL;
	struct nsnet_result *res = NULL;
	struct cli_progress pg = {0};
	struct nsnet_error err = {0};
	struct cli_args a;
	bool dry, json;
	char *text = NULL;
	int r;

	if ((r = cli_parse(cmd, argc, argv, &a)) >= 0)
		return r;
	dry = cli_flag(cmd, &a, "dry-run");
	json = cli_flag(cmd, &a, "json");
	if (a.n != 1)
		return cli_usage(cmd, "up takes one topology FILE");
	if (json && !dry)
		return cli_usage(cmd, "--json goes with --dry-run");
	if (cli_ctx(&c, &err) < 0 || nsnet_topology_load_file(argv[a.first], &t, &err) < 0)
		return cli_fail(&err);
	nsnet_ctx_set_callbacks(c, cli_warn_cb, cli_progress_planned, cli_progress_action, &pg);
	r = nsnet_up(c, t, dry ? NSNET_DRY_RUN : 0, &res, &err);
	cli_progress_end(&pg);
	if (r < 0) {
		r = report_failure(res, &err);
		nsnet_result_free(res);
		return r;
	}
	if (json) {
		nsnet_result_json(res, &text, &err);
		r = cli_print_json(text, &err);
	} else if (dry) {
		printf("plan for '%s': %zu change%s\n", nsnet_topology_name(t), nsnet_result_count(res),
		       nsnet_result_count(res) == 1 ? "" : "s");
		for (size_t i = 0; i < nsnet_result_count(res); i++)
			cli_print_action(nsnet_result_action(res, i), "  ");
	} else if (nsnet_result_count(res)) {
		printf("'%s' is up: %zu change%s\n", nsnet_topology_name(t), nsnet_result_count(res),
		       nsnet_result_count(res) == 1 ? "" : "s");
	} else {
		printf("'%s' is up to date: no change\n", nsnet_topology_name(t));
	}
	nsnet_result_free(res);
	return r;
}
