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

#endif
