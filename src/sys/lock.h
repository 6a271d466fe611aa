/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One lock per topology (flock on /run/nsnet/NAME.lock): runs on the same
 * topology serialize, different topologies run in parallel, and a killed
 * run's lock dies with it. Volatile state lives beside it (state.h).
 */
#ifndef NSNET_LOCK_H
#define NSNET_LOCK_H

#include "core/error.h"

#define NSNET_RUN_DIR "/run/nsnet"

/* Creates /run/nsnet if needed and opens it, refusing a symlink; returns the fd. */
int run_dir_open_nsnet(struct error *err);

/* Blocks until the lock of topo is ours; *ret_fd holds it. */
int lock_take(const char *topo, int *ret_fd, struct error *err);

/* Releases the lock; with remove, first unlinks the lock file (it is ours while held). */
void lock_release(const char *topo, int fd, bool remove);

#endif
