// SPDX-License-Identifier: GPL-2.0-or-later
/* nsnet: entry point and the table of subcommands. */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#ifndef NSNET_VERSION
#define NSNET_VERSION "0"
#endif

static const struct command commands[] = {
	{"ns", cmd_ns, "add|del|list ...", "create, delete and list named network namespaces",
	 NULL},
	{"exec", cmd_exec, "NAME [--] COMMAND [ARG...]",
	 "run a command inside a namespace, as 'ip netns exec' does", NULL},
	{"up", cmd_up, "FILE [--dry-run] [--json]",
	 "create or converge the network a topology file describes; roll back on failure",
	 "  -n, --dry-run  print the plan, change nothing\n"
	 "  -j, --json     with --dry-run: print the plan as JSON\n"},
	{"down", cmd_down, "FILE|NAME [--dry-run]",
	 "remove everything a topology owns, whatever its file says now",
	 "  -n, --dry-run  print what would be removed, change nothing\n"},
	{"status", cmd_status, "[FILE|NAME] [--json]",
	 "what a topology owns, and how it differs from its file (exit 1 on drift)",
	 "  -j, --json     print JSON\n"},
	{"check", cmd_check, "FILE|NAME [--json] [--timeout MS]",
	 "probe the network for real: a matrix of who reaches whom, isolation, forwards",
	 "  -j, --json        print JSON\n"
	 "  -t, --timeout MS  how long to wait for answers (default 1500)\n"},
	{"demo", cmd_demo, "",
	 "the tutorial, live and verified, in a private sandbox nsnet makes for itself", NULL},
	{"doctor", cmd_doctor, "[FILE|NAME] [--json]",
	 "why traffic does not flow: each problem, why it matters, the fix (exit 1 if any)",
	 "  -j, --json     print JSON\n"},
	{"graph", cmd_graph, "FILE", "the topology as Graphviz DOT, for 'dot -Tsvg'", NULL},
	{"show", cmd_show, "[NAME] [--json]",
	 "links, addresses, routes and neighbours of the host or of a namespace",
	 "  -j, --json    print JSON\n"},
};

bool cli_color(void)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	return isatty(STDOUT_FILENO) && !(nc && nc[0]) && !(term && strcmp(term, "dumb") == 0);
}

int cli_fail(const struct error *err)
{
	fprintf(stderr, "nsnet: %s\n", err->msg[0] ? err->msg : "unknown error");
	return error_exit_status(err) ? error_exit_status(err) : EXIT_FAIL;
}

void cli_warn(const char *msg)
{
	fprintf(stderr, "nsnet: warning: %s\n", msg);
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

void cli_help(const struct command *cmd, const char *prefix, FILE *out)
{
	fprintf(out, "Usage: nsnet %s%s %s\n\n%s.\n", prefix ? prefix : "", cmd->name, cmd->args,
		cmd->summary);
	if (cmd->help)
		fprintf(out, "\nOptions:\n%s", cmd->help);
	fprintf(out, "  -h, --help    show this help\n");
}

static int parse(const struct command *cmd, const char *prefix, int argc, char **argv,
		 bool *json, bool *flag, const char *flag_long, char flag_short, bool leading)
{
	struct option opts[] = {
		{"help", no_argument, NULL, 'h'},
		{"json", no_argument, NULL, 'j'},
		{flag_long ? flag_long : "help", no_argument, NULL, flag_long ? flag_short : 'h'},
		{0},
	};
	char shorts[8];
	int c;

	snprintf(shorts, sizeof(shorts), "%shj%c", leading ? "+" : "", flag_long ? flag_short : 'h');
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shorts, opts, NULL)) != -1) {
		if (c == 'h') {
			cli_help(cmd, prefix, stdout);
			return -1;
		} else if (c == 'j' && json) {
			*json = true;
		} else if (flag_long && c == flag_short && flag) {
			*flag = true;
		} else {
			cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
			return -2;
		}
	}
	return optind;
}

int cli_parse_simple(const struct command *cmd, const char *prefix, int argc, char **argv,
		     bool *json, bool *flag, const char *flag_long, char flag_short)
{
	return parse(cmd, prefix, argc, argv, json, flag, flag_long, flag_short, false);
}

int cli_parse_leading(const struct command *cmd, int argc, char **argv)
{
	return parse(cmd, "", argc, argv, NULL, NULL, NULL, 0, true);
}

static void usage(FILE *out)
{
	fprintf(out, "Usage: nsnet COMMAND [ARGS...]\n\n"
		     "Virtual networks of Linux network namespaces.\n\nCommands:\n");
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(out, "  %-6s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\nOptions:\n  -h, --help     show this help\n"
		     "  -V, --version  show the version\n\n"
		     "'nsnet COMMAND --help' describes a command. See nsnet(8).\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0) {
		printf("nsnet %s\n", NSNET_VERSION);
		return EXIT_OK;
	}
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(&commands[i], argc - 1, argv + 1);
	fprintf(stderr, "nsnet: unknown command '%s'\nTry 'nsnet --help'.\n", argv[1]);
	return EXIT_USAGE;
}
