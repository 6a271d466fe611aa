// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nsnet graph FILE: the topology a file describes as Graphviz DOT on stdout,
 * for `dot -Tsvg`. Reads only the file, never the kernel: it draws what `up`
 * would build, and works without root.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cmd_graph(const struct command *cmd, int argc, char **argv)
{
	_cleanup_topology_ struct nsnet_topology *t = NULL;
	_cleanup_free_ char *dot = NULL;
	struct nsnet_error err = {0};
	struct cli_args a;
	int r;

	if ((r = cli_parse(cmd, argc, argv, &a)) >= 0)
		return r;
	if (a.n != 1)
		return cli_usage(cmd, "graph takes one topology FILE");
	if (nsnet_topology_load_file(argv[a.first], &t, &err) < 0 ||
	    nsnet_topology_dot(t, &dot, &err) < 0)
		return cli_fail(&err);
	errno = 0;
	fputs(dot, stdout);
	/* A full disk or a closed pipe must not pass for a complete graph. */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "nsnet: graph of '%s': writing to stdout: %s\n",
			nsnet_topology_name(t), strerror(errno ? errno : EIO));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}
