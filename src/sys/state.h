/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Volatile state of a topology, /run/nsnet/NAME.json: which file it was
 * brought up from, so `status` without arguments can compare again. It is a
 * convenience: ownership lives on the kernel objects (core/owner.h), so
 * losing /run/nsnet (a reboot, a wipe) loses nothing `down` needs.
 */
#ifndef NSNET_STATE_H
#define NSNET_STATE_H

#include <stddef.h>

#include "core/error.h"

int state_write(const char *topo, const char *file, struct error *err);
/* The recorded file of topo into buf; -ENOENT when there is no state. */
int state_read_file(const char *topo, char *buf, size_t len, struct error *err);
bool state_exists(const char *topo);
void state_remove(const char *topo);

/*
 * The journal of namespaces being created, /run/nsnet/NAME.pending: a
 * namespace is named in it before its /run/netns placeholder file exists, so
 * a run killed between creating the file and mounting the namespace on it
 * leaves a file that the next run can prove is its own and remove.
 */
int state_pending_add(const char *topo, const char *ns, struct error *err);
/* Calls fn for every namespace in the journal. */
void state_pending_foreach(const char *topo, void (*fn)(const char *ns));
void state_pending_clear(const char *topo);

#endif
