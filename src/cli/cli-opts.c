// SPDX-License-Identifier: GPL-2.0-or-later
/* One option parser for every subcommand, driven by its table of options. */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

void cli_help(const struct command *cmd, FILE *out)
{
	size_t w = 0;

	fprintf(out, "Usage: nsnet %s%s%s %s\n\n%s.\n", cmd->parent ? cmd->parent : "",
		cmd->parent ? " " : "", cmd->name, cmd->args, cmd->summary);
	for (size_t i = 0; i < CLI_OPTS_MAX && cmd->opts[i].name; i++) {
		size_t n = strlen(cmd->opts[i].name) + (cmd->opts[i].arg ? strlen(cmd->opts[i].arg) + 1 : 0);

		w = n > w ? n : w;
	}
	w = w < 4 ? 4 : w;
	fprintf(out, "\nOptions:\n");
	for (size_t i = 0; i < CLI_OPTS_MAX && cmd->opts[i].name; i++) {
		const struct cli_opt *o = &cmd->opts[i];
		char lhs[64];

		snprintf(lhs, sizeof(lhs), "%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
		fprintf(out, "  -%c, --%-*s  %s\n", o->short_name, (int)w, lhs, o->help);
	}
	fprintf(out, "  -h, --%-*s  show this help\n", (int)w, "help");
}

int cli_usage(const struct command *cmd, const char *fmt, ...)
{
	va_list ap;

	fputs("nsnet: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'nsnet %s%s%s --help'.\n", cmd && cmd->parent ? cmd->parent : "",
		cmd && cmd->parent ? " " : "", cmd ? cmd->name : "");
	return EXIT_USAGE;
}

int cli_parse(const struct command *cmd, int argc, char **argv, struct cli_args *a)
{
	struct option longs[CLI_OPTS_MAX + 2] = {{"help", no_argument, NULL, 'h'}};
	char shorts[3 * CLI_OPTS_MAX + 4] = "";
	size_t n = 1, k;
	int c;

	memset(a, 0, sizeof(*a));
	strcat(shorts, cmd->leading ? "+h" : "h");
	for (k = 0; k < CLI_OPTS_MAX && cmd->opts[k].name; k++) {
		const struct cli_opt *o = &cmd->opts[k];
		char s[3] = {o->short_name, o->arg ? ':' : '\0', '\0'};

		longs[n++] = (struct option){o->name, o->arg ? required_argument : no_argument, NULL,
					      o->short_name};
		strcat(shorts, s);
	}
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		if (c == 'h') {
			cli_help(cmd, stdout);
			return EXIT_OK;
		}
		for (k = 0; k < CLI_OPTS_MAX && cmd->opts[k].name; k++)
			if (c == cmd->opts[k].short_name)
				break;
		if (c == '?' || c == ':' || k == CLI_OPTS_MAX || !cmd->opts[k].name) {
			if (optopt && strchr(shorts, optopt) && c == ':')
				return cli_usage(cmd, "option '%s' needs a value", argv[optind - 1]);
			return cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
		}
		a->set[k] = true;
		a->value[k] = optarg;
	}
	a->first = optind;
	a->n = argc - optind;
	if (cmd->needs_root && !nsnet_privileged()) {
		fprintf(stderr, "nsnet: this needs root (CAP_NET_ADMIN, CAP_SYS_ADMIN)\n");
		return EXIT_FAIL;
	}
	return -1;
}

static size_t index_of(const struct command *cmd, const char *name)
{
	for (size_t k = 0; k < CLI_OPTS_MAX && cmd->opts[k].name; k++)
		if (strcmp(cmd->opts[k].name, name) == 0)
			return k;
	return CLI_OPTS_MAX;
}

bool cli_flag(const struct command *cmd, const struct cli_args *a, const char *name)
{
	size_t k = index_of(cmd, name);

	return k < CLI_OPTS_MAX && a->set[k];
}

const char *cli_value(const struct command *cmd, const struct cli_args *a, const char *name)
{
	size_t k = index_of(cmd, name);

	return k < CLI_OPTS_MAX && a->set[k] ? a->value[k] : NULL;
}
