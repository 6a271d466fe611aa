// SPDX-License-Identifier: GPL-2.0-or-later
/* nsnet down FILE|NAME [--dry-run] */
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* "; up: 'a', 'b'": the names a person may have meant. */
static void print_others(struct nsnet_ctx *c)
{
	char **names = NULL;
	size_t n = 0;

	if (nsnet_topologies(c, &names, &n, NULL) < 0 || !n) {
		printf("; no topology is up\n");
	} else {
		printf("; up:");
		for (size_t i = 0; i < n; i++)
			printf(" '%s'", names[i]);
		printf("\n");
	}
	nsnet_names_free(names, n);
}

int cmd_down(const struct command *cmd, int argc, char **argv)
{
	_cleanup_topology_ struct nsnet_topology *t = NULL;
	_cleanup_ctx_ struct nsnet_ctx *c = NULL;
	struct nsnet_result *res = NULL;
	struct cli_progress pg = {0};
	struct nsnet_error err = {0};
	char name[80];
	struct cli_args a;
	bool dry;
	size_t n;
	int r;

	if ((r = cli_parse(cmd, argc, argv, &a)) >= 0)
		return r;
	dry = cli_flag(cmd, &a, "dry-run");
	if (a.n != 1)
		return cli_usage(cmd, "down takes one topology FILE or NAME");
	if (cli_ctx(&c, &err) < 0)
		return cli_fail(&err);
	/* Only the name matters: what is removed is what carries its mark. */
	if (cli_is_file(argv[a.first])) {
		if (nsnet_topology_load_file(argv[a.first], &t, &err) < 0)
			return cli_fail(&err);
		snprintf(name, sizeof(name), "%s", nsnet_topology_name(t));
	} else {
		snprintf(name, sizeof(name), "%s", argv[a.first]);
	}
	nsnet_ctx_set_callbacks(c, cli_warn_cb, cli_progress_planned, cli_progress_action, &pg);
	r = nsnet_down(c, name, dry ? NSNET_DRY_RUN : 0, &res, &err);
	cli_progress_end(&pg);
	if (r < 0) {
		cli_fail(&err);
		if (res)
			fprintf(stderr, "nsnet: down of '%s': %zu of %zu changes done; run it again\n",
				name, nsnet_result_report(res)->done, nsnet_result_count(res));
		nsnet_result_free(res);
		return err.kind == NSNET_ERROR_INPUT ? EXIT_USAGE : EXIT_FAIL;
	}
	n = nsnet_result_count(res);
	if (dry) {
		printf("plan for removing '%s': %zu change%s\n", name, n, n == 1 ? "" : "s");
		for (size_t i = 0; i < n; i++)
			cli_print_action(nsnet_result_action(res, i), "  ");
	} else if (n) {
		printf("'%s' is down: %zu change%s\n", name, n, n == 1 ? "" : "s");
	} else if (nsnet_result_existed(res)) {
		printf("'%s' is down: nothing of it was left\n", name);
	} else {
		/* Idempotent, but a typo must not pass for success in silence. */
		printf("nothing named '%s' exists: nothing to remove", name);
		print_others(c);
	}
	nsnet_result_free(res);
	return EXIT_OK;
}
