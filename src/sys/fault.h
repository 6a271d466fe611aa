/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fault injection, for the reliability tests. Every mutating step (a netlink
 * request that changes something, a namespace add or delete, an nft
 * transaction, a sysctl write, the state file's writes) calls fault_before()
 * and fault_after(). What to inject is a setting of the library's context
 * (nsnet_ctx_set_fault); the CLI fills it from NSNET_FAULT_* (nsnet(8)):
 *
 *   at = K        the K-th mutation (1-based) is the target; 0: off
 *   kill          the process is killed (SIGKILL) right after it, instead
 *                 of it failing without running with errno fail_errno
 *   count_file    the number of mutations is written there at the end
 *
 * The settings live in the context; the mutating functions are many layers
 * below it (netlink requests, namespace creation), so an engine call makes
 * its context's settings the current ones for the calling thread while it
 * runs (fault_use) rather than passing them through every kernel call.
 */
#ifndef NSNET_FAULT_H
#define NSNET_FAULT_H

#include <limits.h>
#include <stdbool.h>

#include "core/error.h"

struct fault {
	unsigned long at; /* 0: off */
	bool kill;
	int fail_errno; /* 0: EIO */
	char count_file[PATH_MAX]; /* "": none */
	unsigned long count;	   /* mutations so far */
};

/* f becomes the thread's current settings (NULL: none); returns the previous ones. */
struct fault *fault_use(struct fault *f);
/* Writes f's count to its count_file, if it has one. */
void fault_write_count(const struct fault *f);

/* Counts one mutation; returns -errno (err set) when it must fail. */
int fault_before(const char *what, struct error *err);
/* Kills the process when this mutation was the kill target. */
void fault_after(void);

#endif
