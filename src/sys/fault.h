/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fault injection, for the reliability tests (always compiled in; inert
 * unless the environment asks). Every mutating kernel operation (a netlink
 * request that changes something, a namespace add or delete, an nft
 * transaction, a sysctl write) calls fault_before() and fault_after():
 *
 *   NSNET_FAULT_AT=K        the K-th mutation (1-based) is the target
 *   NSNET_FAULT_MODE=error  it fails without running, with errno
 *                           NSNET_FAULT_ERRNO (default EIO)   [default mode]
 *   NSNET_FAULT_MODE=kill   the process is killed (SIGKILL) right after it
 *   NSNET_FAULT_COUNT=FILE  the number of mutations of the run is written
 *                           to FILE at exit (to learn the range of K)
 */
#ifndef NSNET_FAULT_H
#define NSNET_FAULT_H

#include "core/error.h"

/* Counts one mutation; returns -errno (err set) when it must fail. */
int fault_before(const char *what, struct error *err);
/* Kills the process when this mutation was the kill target. */
void fault_after(void);

#endif
