/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading a topology file from disk (the core parser only ever sees bytes). */
#ifndef NSNET_TOPOFILE_H
#define NSNET_TOPOFILE_H

#include "core/topology.h"

/*
 * Reads and parses path. Errors are ERROR_INPUT ("FILE:LINE:COL: ..."), with
 * the file named as the user wrote it; reading stops one byte past the cap,
 * so a huge file costs nothing to refuse.
 */
int topofile_load(const char *path, struct topology **ret, struct error *err);

/*
 * The same for a file named by nsnet's own records: a link at its last
 * component is refused, and a file that does not parse is reported by its
 * position alone, without any of its text.
 */
int topofile_load_recorded(const char *path, struct topology **ret, struct error *err);

#endif
