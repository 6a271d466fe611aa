/* SPDX-License-Identifier: GPL-2.0-or-later */
/* For the unit tests (after cmocka.h): a topology file parsed, or the test fails. */
#ifndef NSNET_TEST_TOPO_FILE_H
#define NSNET_TEST_TOPO_FILE_H

#include "core/topology.h"
#include "slurp.h"

static inline struct topology *topo_file_load(const char *path)
{
	struct topology *t = NULL;
	struct error err = {0};
	size_t n;
	char *buf = slurp(path, &n);

	if (!buf)
		fail_msg("cannot read %s", path);
	if (topology_parse(path, buf, n, &t, &err) < 0)
		fail_msg("%s", err.msg);
	free(buf);
	return t;
}

#endif
