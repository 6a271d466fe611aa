// SPDX-License-Identifier: GPL-2.0-or-later
/* nsnet exec NAME [--] COMMAND [ARG...]: the one place nsnet runs a program. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "sys/netns.h"

int cmd_exec(const struct command *cmd, int argc, char **argv)
{
	struct error err = {0};
	const char *name;
	int i, r;

	i = cli_parse_leading(cmd, argc, argv);
	if (i < 0)
		return i == -1 ? EXIT_OK : EXIT_USAGE;
	if (i >= argc)
		return cli_usage(cmd, "exec needs a namespace NAME and a COMMAND");
	name = argv[i++];
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (i >= argc)
		return cli_usage(cmd, "exec needs a COMMAND to run in '%s'", name);
	if (name_netns_check(name, &err) < 0)
		return cli_fail(&err);
	if (netns_switch(name, cli_warn, &err) < 0)
		return cli_fail(&err);
	execvp(argv[i], argv + i);
	/* The shell's conventions, so scripts can tell "not found" from a failed command. */
	r = errno;
	fprintf(stderr, "nsnet: exec '%s' in '%s': %s\n", argv[i], name, strerror(r));
	return r == ENOENT ? 127 : 126;
}
