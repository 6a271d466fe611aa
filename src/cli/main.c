// SPDX-License-Identifier: GPL-2.0-or-later
/* nsnet: entry point, the table of subcommands, and what every subcommand shares. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define OPT_JSON {"json", 'j', NULL, "print JSON"}

static const struct command commands[] = {
	{"ns", cmd_ns, "add|del|list ...", "create, delete and list named network namespaces",
	 .needs_root = true},
	{"exec", cmd_exec, "NAME [--] COMMAND [ARG...]",
	 "run a command inside a namespace, as 'ip netns exec' does", .needs_root = true,
	 .leading = true},
	{"up", cmd_up, "FILE [--dry-run] [--json]",
	 "create or converge the network a topology file describes; roll back on failure",
	 {{"dry-run", 'n', NULL, "print the plan, change nothing"},
	  {"json", 'j', NULL, "with --dry-run: print the plan as JSON"}},
	 .needs_root = true},
	{"down", cmd_down, "FILE|NAME [--dry-run]",
	 "remove everything a topology owns, whatever its file says now",
	 {{"dry-run", 'n', NULL, "print what would be removed, change nothing"}},
	 .needs_root = true},
	{"status", cmd_status, "[FILE|NAME] [--json]",
	 "what a topology owns, and how it differs from its file (exit 1 on drift)", {OPT_JSON},
	 .needs_root = true},
	{"check", cmd_check, "FILE|NAME [--json] [--timeout MS]",
	 "probe the network for real: a matrix of who reaches whom, isolation, forwards",
	 {OPT_JSON, {"timeout", 't', "MS", "how long to wait for answers (default 1500)"}},
	 .needs_root = true},
	{"demo", cmd_demo, "[--dual-stack]",
	 "the tutorial, live and verified, in a private sandbox nsnet makes for itself",
	 {{"dual-stack", '6', NULL,
	   "the tutorial in both families instead (examples/tutorial-dual.yaml)"}},
	 .needs_root = true},
	{"doctor", cmd_doctor, "[FILE|NAME] [--json]",
	 "why traffic does not flow: each problem, why it matters, the fix (exit 1 if any)",
	 {OPT_JSON}, .needs_root = true},
	{"graph", cmd_graph, "FILE", "the topology as Graphviz DOT, for 'dot -Tsvg'"},
	{"show", cmd_show, "[NAME] [--json]",
	 "links, addresses, routes and neighbours of the host or of a namespace", {OPT_JSON},
	 .needs_root = true},
};

bool cli_color(void)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	return isatty(STDOUT_FILENO) && !(nc && nc[0]) && !(term && strcmp(term, "dumb") == 0);
}

int cli_fail(const struct nsnet_error *err)
{
	fprintf(stderr, "nsnet: %s\n", err->msg[0] ? err->msg : "unknown error");
	return err->kind == NSNET_ERROR_INPUT ? EXIT_USAGE : EXIT_FAIL;
}

void cli_warn(const char *msg)
{
	fprintf(stderr, "nsnet: warning: %s\n", msg);
}

void cli_warn_cb(const char *msg, void *data)
{
	(void)data;
	cli_warn(msg);
}

int cli_print_json(char *text, const struct nsnet_error *err)
{
	if (!text)
		return cli_fail(err);
	printf("%s\n", text);
	free(text);
	return EXIT_OK;
}

/* NSNET_FAULT_AT, _MODE, _ERRNO, _COUNT: the reliability tests' knob (nsnet(8)). */
static int fault_from_env(struct nsnet_ctx *c, struct nsnet_error *err)
{
	const char *at = getenv("NSNET_FAULT_AT"), *mode = getenv("NSNET_FAULT_MODE");
	const char *e = getenv("NSNET_FAULT_ERRNO");
	struct nsnet_fault f = {.count_file = getenv("NSNET_FAULT_COUNT")};
	long v;

	if (!at && !f.count_file)
		return 0;
	v = at ? strtol(at, NULL, 10) : 0;
	f.at = v > 0 ? (unsigned long)v : 0;
	f.kill = mode && strcmp(mode, "kill") == 0;
	f.fail_errno = e && atoi(e) > 0 ? atoi(e) : 0;
	if (f.count_file && !*f.count_file)
		f.count_file = NULL;
	return nsnet_ctx_set_fault(c, &f, err);
}

int cli_ctx(struct nsnet_ctx **ret, struct nsnet_error *err)
{
	struct nsnet_ctx *c;
	int r;

	r = nsnet_ctx_new(&c, err);
	if (r < 0)
		return r;
	r = fault_from_env(c, err);
	if (r < 0) {
		nsnet_ctx_free(c);
		return r;
	}
	*ret = c;
	return 0;
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
		printf("nsnet %s\n", nsnet_version());
		return EXIT_OK;
	}
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(&commands[i], argc - 1, argv + 1);
	fprintf(stderr, "nsnet: unknown command '%s'\nTry 'nsnet --help'.\n", argv[1]);
	return EXIT_USAGE;
}
