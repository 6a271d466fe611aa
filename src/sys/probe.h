/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Real traffic for `nsnet check`: sends every probe of a list and records what came back. */
#ifndef NSNET_PROBE_H
#define NSNET_PROBE_H

#include "core/check.h"

/*
 * Probes everything in l at once and waits at most timeout_ms; fills in each
 * probe's result. Fails only when it cannot run at all (memory, epoll); a
 * namespace that cannot be entered fails its own probes.
 */
int probe_run(struct check_list *l, unsigned timeout_ms, struct error *err);

#endif
