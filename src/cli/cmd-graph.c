// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nsnet graph FILE: the topology a file describes as Graphviz DOT on stdout,
 * for `dot -Tsvg`. Reads only the file, never the kernel: it draws what `up`
 * would build, and works without root.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "core/graph.h"
#include "sys/topofile.h"

int cmd_graph(const struct command *cmd, int argc, char **argv)
{
	_cleanup_(topology_freep) struct topology *t = NULL;
	_cleanup_free_ char *dot = NULL;
	struct error err = {0};
	int i;

	i = cli_parse_simple(cmd, "", argc, argv, NULL, NULL, NULL, 0);
	if (i < 0)
		return i == -1 ? EXIT_OK : EXIT_USAGE;
	if (argc - i != 1)
		return cli_usage(cmd, "graph takes one topology FILE");
	if (topofile_load(argv[i], &t, &err) < 0)
		return cli_fail(&err);
	if (graph_dot_build(t, &dot, &err) < 0)
		return cli_fail(&err);
	errno = 0;
	fputs(dot, stdout);
	/* A full disk or a closed pipe must not pass for a complete graph. */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		error_errno(&err, errno ? -errno : -EIO, "graph of '%s': writing to stdout",
			    t->name);
		return cli_fail(&err);
	}
	return EXIT_OK;
}
