// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nsnet status [FILE|NAME] [--json]: what each topology owns in the kernel and
 * what `up` would still change (its drift). Without a file the one recorded
 * by the last `up` is used; when none can be read, only ownership is shown.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void one_print(const struct nsnet_status *s)
{
	const char *file = nsnet_status_file(s), *note = nsnet_status_note(s);
	const char *table = nsnet_status_nft_table(s);
	size_t drift = nsnet_status_drift_count(s);

	printf("topology '%s'%s%s%s: %s\n", nsnet_status_name(s), file ? " (" : "",
	       file ? file : "", file ? ")" : "",
	       !nsnet_status_known(s) ? "file unknown, drift not checked"
	       : drift		      ? "DRIFT"
				      : "in sync");
	if (note)
		printf("  note: %s\n", note);
	printf("  namespaces:");
	for (size_t i = 0; i < nsnet_status_namespace_count(s); i++)
		printf(" %s", nsnet_status_namespace(s, i));
	printf("\n  links:\n");
	for (size_t i = 0; i < nsnet_status_link_count(s); i++) {
		const struct nsnet_owned_link *l = nsnet_status_link(s, i);

		printf("    %-15s %-7s %s%s%s\n", l->name, l->kind, l->ns ? "in '" : "on the host",
		       l->ns ? l->ns : "", l->ns ? "'" : "");
	}
	printf("  nftables: %s\n", table ? table : "none");
	if (drift) {
		/* Not always 'nsnet up': a CNI network converges by its plugin's calls. */
		printf("  drift, what converging would do:\n");
		for (size_t i = 0; i < drift; i++)
			cli_print_action(nsnet_status_drift(s, i), "    ");
	}
}

/* The status of every topology nsnet finds, or of the one the operand names. */
static int collect(struct nsnet_ctx *c, const char *arg, struct nsnet_status ***ret,
		   size_t *ret_n, struct nsnet_error *err)
{
	_cleanup_topology_ struct nsnet_topology *t = NULL;
	struct nsnet_status **v;

	if (!arg)
		return nsnet_status_all(c, ret, ret_n, err);
	/* A FILE is compared as it is now; a NAME with the file recorded for it. */
	if (cli_is_file(arg) && nsnet_topology_load_file(arg, &t, err) < 0)
		return -1;
	v = calloc(1, sizeof(*v));
	if (!v || nsnet_status(c, t ? nsnet_topology_name(t) : arg, t, &v[0], err) < 0) {
		free(v);
		return -1;
	}
	*ret = v;
	*ret_n = 1;
	return 0;
}

int cmd_status(const struct command *cmd, int argc, char **argv)
{
	_cleanup_ctx_ struct nsnet_ctx *c = NULL;
	struct nsnet_status **all = NULL;
	struct nsnet_error err = {0};
	bool json, drift = false;
	struct cli_args a;
	size_t n = 0;
	int r;

	if ((r = cli_parse(cmd, argc, argv, &a)) >= 0)
		return r;
	json = cli_flag(cmd, &a, "json");
	if (a.n > 1)
		return cli_usage(cmd, "status takes at most one FILE or NAME");
	if (cli_ctx(&c, &err) < 0 || collect(c, a.n ? argv[a.first] : NULL, &all, &n, &err) < 0)
		return cli_fail(&err);
	for (size_t i = 0; i < n; i++)
		drift = drift || nsnet_status_drift_count(all[i]);
	if (json) {
		printf("%s", a.n ? "" : "[");
		for (size_t i = 0; i < n; i++) {
			char *text = NULL;

			if (nsnet_status_json(all[i], &text, &err) < 0) {
				r = cli_fail(&err);
				break;
			}
			printf("%s%s", i ? ",\n" : "", text);
			free(text);
		}
		printf("%s\n", a.n ? "" : "]");
	} else if (!n) {
		printf("no topology is up\n");
	} else {
		for (size_t i = 0; i < n; i++)
			one_print(all[i]);
	}
	nsnet_status_list_free(all, n);
	return r >= 0 ? r : drift ? EXIT_FAIL : EXIT_OK;
}
