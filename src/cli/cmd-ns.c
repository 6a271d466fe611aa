// SPDX-License-Identifier: GPL-2.0-or-later
/* nsnet ns add|del|list */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static int ns_add(const struct command *cmd, int argc, char **argv)
{
	_cleanup_ctx_ struct nsnet_ctx *c = NULL;
	struct nsnet_error err = {0};
	struct cli_args a;
	int r;

	if ((r = cli_parse(cmd, argc, argv, &a)) >= 0)
		return r;
	if (a.n != 1)
		return cli_usage(cmd, "ns add takes one NAME");
	if (cli_ctx(&c, &err) < 0 ||
	    nsnet_ns_add(c, argv[a.first],
			 cli_flag(cmd, &a, "no-loopback") ? NSNET_NS_NO_LOOPBACK : 0, &err) < 0)
		return cli_fail(&err);
	return EXIT_OK;
}

static int ns_del(const struct command *cmd, int argc, char **argv)
{
	_cleanup_ctx_ struct nsnet_ctx *c = NULL;
	struct nsnet_error err = {0};
	struct cli_args a;
	int status = EXIT_OK, r;

	if ((r = cli_parse(cmd, argc, argv, &a)) >= 0)
		return r;
	if (a.n < 1)
		return cli_usage(cmd, "ns del takes at least one NAME");
	/* Validate every name before deleting any: bad input touches nothing. */
	for (int k = a.first; k < argc; k++)
		if (nsnet_ns_name_check(argv[k], &err) < 0)
			return cli_fail(&err);
	if (cli_ctx(&c, &err) < 0)
		return cli_fail(&err);
	for (int k = a.first; k < argc; k++)
		if (nsnet_ns_del(c, argv[k], cli_flag(cmd, &a, "force") ? NSNET_NS_FORCE : 0,
				 &err) < 0)
			status = cli_fail(&err);
	return status;
}

static int ns_list(const struct command *cmd, int argc, char **argv)
{
	_cleanup_ctx_ struct nsnet_ctx *c = NULL;
	_cleanup_free_ struct nsnet_ns_entry *v = NULL;
	_cleanup_free_ char *out = NULL;
	struct nsnet_error err = {0};
	bool json;
	struct cli_args a;
	size_t n = 0;
	int r;

	if ((r = cli_parse(cmd, argc, argv, &a)) >= 0)
		return r;
	json = cli_flag(cmd, &a, "json");
	if (a.n)
		return cli_usage(cmd, "ns list takes no operand");
	if (cli_ctx(&c, &err) < 0 || nsnet_ns_list(c, &v, &n, &err) < 0)
		return cli_fail(&err);
	if (json && nsnet_ns_list_json(v, n, &out, &err) < 0)
		return cli_fail(&err);
	for (size_t k = 0; k < n; k++) {
		if (!v[k].valid)
			fprintf(stderr, "nsnet: warning: /run/netns/%s is not a namespace mount "
					"(stale or foreign); ignored\n",
				v[k].name);
		else if (json)
			continue;
		else if (v[k].nsid >= 0)
			printf("%s (id: %d)\n", v[k].name, v[k].nsid);
		else
			printf("%s\n", v[k].name);
	}
	if (json)
		printf("%s\n", out);
	return EXIT_OK;
}

static const struct command ns_commands[] = {
	{"add", ns_add, "NAME [--no-loopback]",
	 "create the named network namespace NAME (its lo is brought up)",
	 {{"no-loopback", 'L', NULL, "leave lo down, as 'ip netns add' does"}}, "ns", true},
	{"del", ns_del, "NAME... [--force]",
	 "delete named network namespaces (their links go with them)",
	 {{"force", 'f', NULL,
	   "a namespace that does not exist is not an error; one a topology owns is deleted "
	   "anyway"}},
	 "ns", true},
	{"list", ns_list, "[--json]", "list the named network namespaces",
	 {{"json", 'j', NULL, "print JSON: [{\"name\": ..., \"nsid\": int|null}]"}}, "ns", true},
};

int cmd_ns(const struct command *cmd, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : NULL;

	if (!sub || strcmp(sub, "-h") == 0 || strcmp(sub, "--help") == 0) {
		FILE *out = sub ? stdout : stderr;

		fprintf(out, "Usage: nsnet ns COMMAND ...\n\n%s.\n\nCommands:\n", cmd->summary);
		for (size_t i = 0; i < ARRAY_SIZE(ns_commands); i++)
			fprintf(out, "  %-5s %s\n", ns_commands[i].name, ns_commands[i].summary);
		return sub ? EXIT_OK : EXIT_USAGE;
	}
	if (strcmp(sub, "delete") == 0)
		sub = "del";
	if (strcmp(sub, "ls") == 0)
		sub = "list";
	for (size_t i = 0; i < ARRAY_SIZE(ns_commands); i++)
		if (strcmp(sub, ns_commands[i].name) == 0)
			return ns_commands[i].run(&ns_commands[i], argc - 1, argv + 1);
	return cli_usage(cmd, "unknown ns command '%s'", sub);
}
