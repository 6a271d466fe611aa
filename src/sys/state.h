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
 * The journal of creations under way, /run/nsnet/NAME.pending, one line each,
 * written before the object exists:
 *   "ns NAME"    a namespace: a run killed between creating the /run/netns
 *                placeholder and mounting the namespace on it leaves a file
 *                the next run can prove is its own and remove;
 *   "link NAME"  a host link: the kernel takes the alias (our mark) only after
 *                creation, so a link made by nsnet (link group) but not yet
 *                marked is claimed only by the topology whose journal names it,
 *                never by another topology running at the same time.
 * Cleared when a run completes.
 */
enum pending_kind {
	PENDING_NS,
	PENDING_LINK,
};
int state_pending_add(const char *topo, enum pending_kind kind, const char *name,
		      struct error *err);
/* Calls fn for every entry of the journal. */
void state_pending_foreach(const char *topo, void (*fn)(enum pending_kind kind, const char *name,
							 void *data),
			   void *data);
void state_pending_clear(const char *topo);

#endif
