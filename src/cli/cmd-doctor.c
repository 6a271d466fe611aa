// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nsnet doctor [FILE|NAME] [--json]: why traffic does not flow, from the
 * host's real state. No operand: the host and every topology nsnet finds
 * (each judged against its recorded file); FILE: the network that file wants,
 * up or not yet; NAME: that topology with its recorded file. Exit 1 when
 * anything is found.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void print_text(const struct nsnet_doctor *d)
{
	bool colour = cli_color();
	size_t problems = 0, n = nsnet_doctor_count(d);

	printf("checked: the host");
	for (size_t i = 0; i < nsnet_doctor_examined_count(d); i++) {
		const struct nsnet_examined *x = nsnet_doctor_examined(d, i);

		printf(", topology '%s'%s", x->name, x->up ? "" : " (not up)");
	}
	printf("\n");
	for (size_t i = 0; i < nsnet_doctor_examined_count(d); i++) {
		const struct nsnet_examined *x = nsnet_doctor_examined(d, i);

		if (x->note)
			printf("note: '%s': %s\n", x->name, x->note);
	}
	for (size_t i = 0; i < n; i++) {
		const struct nsnet_finding *f = nsnet_doctor_finding(d, i);
		bool bad = strcmp(f->level, "problem") == 0;

		problems += bad;
		printf("\n%s%-7s%s  %-16s  ", colour && bad ? "\033[1;31m" : "", f->level,
		       colour && bad ? "\033[0m" : "", f->id);
		if (f->topology)
			printf("topology '%s': ", f->topology);
		printf("%s\n", f->subject);
		printf("  what   %s\n  why    %s\n  fix    %s\n", f->what, f->why, f->fix);
	}
	if (!n)
		printf("no problem found\n");
	else
		printf("\n%zu problem%s, %zu warning%s\n", problems, problems == 1 ? "" : "s",
		       n - problems, n - problems == 1 ? "" : "s");
}

int cmd_doctor(const struct command *cmd, int argc, char **argv)
{
	_cleanup_topology_ struct nsnet_topology *t = NULL;
	_cleanup_ctx_ struct nsnet_ctx *c = NULL;
	struct nsnet_doctor *d = NULL;
	struct nsnet_error err = {0};
	const char *name = NULL;
	struct cli_args a;
	char *text = NULL;
	int r;

	if ((r = cli_parse(cmd, argc, argv, &a)) >= 0)
		return r;
	if (a.n > 1)
		return cli_usage(cmd, "doctor takes at most one FILE or NAME");
	if (a.n && cli_is_file(argv[a.first])) {
		if (nsnet_topology_load_file(argv[a.first], &t, &err) < 0)
			return cli_fail(&err);
	} else if (a.n) {
		name = argv[a.first];
	}
	if (cli_ctx(&c, &err) < 0 || nsnet_doctor(c, t, name, &d, &err) < 0)
		return cli_fail(&err);
	if (cli_flag(cmd, &a, "json")) {
		nsnet_doctor_json(d, &text, &err);
		r = cli_print_json(text, &err);
	} else {
		print_text(d);
		r = EXIT_OK;
	}
	if (r == EXIT_OK && nsnet_doctor_count(d))
		r = EXIT_FAIL;
	nsnet_doctor_free(d);
	return r;
}
