/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nsnet's own IPAM (ipam type "nsnet"), the pure part: the pool of a
 * subnet (its gateway, the range it hands out) and the walk over it. The
 * leases themselves are files, one per address, created exclusively
 * (src/sys/ipam-lease.c): taking an address is creating its file, so two
 * runs can never hand out the same one, and the walk starts after the last
 * address handed out, so the N-th ADD costs what the first did.
 */
#ifndef NSNET_IPAM_H
#define NSNET_IPAM_H

#include <stdbool.h>
#include <stdint.h>

#include "cni.h"

struct ipam_pool {
	struct inet_prefix subnet;
	struct inet_addr gateway;
	struct inet_addr start, end; /* inclusive */
};

/* The pool of c (validated by cni_request_parse), its defaults filled in. */
int ipam_pool_init(const struct cni_ipam *c, struct ipam_pool *ret, struct error *err);

/* Whether the pool may hand out a: in [start, end] and not the gateway. */
bool ipam_pool_has(const struct ipam_pool *p, const struct inet_addr *a);

/* The next address after a (a family 0: the first), wrapping after end; the gateway skipped. */
struct inet_addr ipam_pool_next(const struct ipam_pool *p, const struct inet_addr *a);

/* How many addresses the pool hands out (at most UINT32_MAX: an IPv6 /64 is "many"). */
uint64_t ipam_pool_size(const struct ipam_pool *p);

#endif
