// SPDX-License-Identifier: GPL-2.0-or-later
/* nsnet exec NAME [--] COMMAND [ARG...]: the one place nsnet runs a program. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

int cmd_exec(const struct command *cmd, int argc, char **argv)
{
	_cleanup_ctx_ struct nsnet_ctx *c = NULL;
	struct nsnet_error err = {0};
	struct cli_args a;
	const char *name;
	int i, r;

	if ((r = cli_parse(cmd, argc, argv, &a)) >= 0)
		return r;
	i = a.first;
	if (i >= argc)
		return cli_usage(cmd, "exec needs a namespace NAME and a COMMAND");
	name = argv[i++];
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (i >= argc)
		return cli_usage(cmd, "exec needs a COMMAND to run in '%s'", name);
	if (cli_ctx(&c, &err) < 0 || nsnet_ns_enter(c, name, cli_warn, &err) < 0)
		return cli_fail(&err);
	execvp(argv[i], argv + i);
	/* The shell's conventions, so scripts can tell "not found" from a failed command. */
	r = errno;
	fprintf(stderr, "nsnet: exec '%s' in '%s': %s\n", argv[i], name, strerror(r));
	return r == ENOENT ? 127 : 126;
}
