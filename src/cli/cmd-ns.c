// SPDX-License-Identifier: GPL-2.0-or-later
/* nsnet ns add|del|list */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "sys/netns.h"
#include "sys/nl.h"
#include "sys/rtnl.h"

static int ns_add(const struct command *cmd, int argc, char **argv)
{
	struct error err = {0};
	bool no_lo = false;
	int i;

	i = cli_parse_simple(cmd, "ns ", argc, argv, NULL, &no_lo, "no-loopback", 'L');
	if (i < 0)
		return i == -1 ? EXIT_OK : EXIT_USAGE;
	if (argc - i != 1)
		return cli_usage(cmd, "ns add takes one NAME");
	if (netns_add(argv[i], no_lo ? NETNS_ADD_NO_LOOPBACK : 0, NULL, &err) < 0)
		return cli_fail(&err);
	return EXIT_OK;
}

static int ns_del(const struct command *cmd, int argc, char **argv)
{
	struct error err = {0};
	bool force = false;
	int status = EXIT_OK;
	int i;

	i = cli_parse_simple(cmd, "ns ", argc, argv, NULL, &force, "force", 'f');
	if (i < 0)
		return i == -1 ? EXIT_OK : EXIT_USAGE;
	if (argc - i < 1)
		return cli_usage(cmd, "ns del takes at least one NAME");
	/* Validate every name before deleting any: bad input touches nothing. */
	for (int k = i; k < argc; k++)
		if (name_netns_check(argv[k], &err) < 0)
			return cli_fail(&err);
	for (; i < argc; i++) {
		int r = netns_del(argv[i], &err);

		if (r == -ENOENT && force)
			continue;
		if (r < 0)
			status = cli_fail(&err);
	}
	return status;
}

/* The id the host gives a namespace, or -1; a failure only costs the id. */
static int host_nsid(struct nl_sock *host, const char *name)
{
	_cleanup_close_ int fd = -1;
	int nsid = -1;

	if (!host || netns_open(name, &fd, NULL) < 0 || nl_netns_id(host, fd, &nsid, NULL) < 0)
		return -1;
	return nsid;
}

static int ns_list(const struct command *cmd, int argc, char **argv)
{
	_cleanup_free_ struct netns_entry *v = NULL;
	_cleanup_nl_sock_ struct nl_sock *host = NULL;
	struct error err = {0};
	bool json = false;
	json_t *arr;
	size_t n;
	int i;

	i = cli_parse_simple(cmd, "ns ", argc, argv, &json, NULL, NULL, 0);
	if (i < 0)
		return i == -1 ? EXIT_OK : EXIT_USAGE;
	if (i != argc)
		return cli_usage(cmd, "ns list takes no operand");
	if (netns_list(&v, &n, &err) < 0)
		return cli_fail(&err);
	(void)nl_sock_open(&host, NULL);
	arr = json_array();
	for (size_t k = 0; k < n; k++) {
		int nsid;

		if (!v[k].valid) {
			char msg[128 + NETNS_NAME_MAX];

			snprintf(msg, sizeof(msg),
				 NETNS_RUN_DIR "/%s is not a namespace mount (stale or foreign); "
					       "ignored",
				 v[k].name);
			cli_warn(msg);
			continue;
		}
		nsid = host_nsid(host, v[k].name);
		if (json) {
			json_array_append_new(arr, json_pack("{s:s, s:o}", "name", v[k].name,
							     "nsid",
							     nsid >= 0 ? json_integer(nsid)
								       : json_null()));
		} else if (nsid >= 0) {
			printf("%s (id: %d)\n", v[k].name, nsid);
		} else {
			printf("%s\n", v[k].name);
		}
	}
	if (json) {
		json_dumpf(arr, stdout, JSON_INDENT(2));
		putchar('\n');
	}
	json_decref(arr);
	return EXIT_OK;
}

static const struct command ns_commands[] = {
	{"add", ns_add, "NAME [--no-loopback]",
	 "create the named network namespace NAME (its lo is brought up)",
	 "  -L, --no-loopback  leave lo down, as 'ip netns add' does\n", "ns"},
	{"del", ns_del, "NAME... [--force]",
	 "delete named network namespaces (their links go with them)",
	 "  -f, --force        a namespace that does not exist is not an error\n", "ns"},
	{"list", ns_list, "[--json]", "list the named network namespaces",
	 "  -j, --json         print JSON: [{\"name\": ..., \"nsid\": int|null}]\n", "ns"},
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
