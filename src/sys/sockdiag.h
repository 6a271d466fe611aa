/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The host's sockets that receive on a port (TCP in LISTEN, unconnected UDP),
 * read through NETLINK_SOCK_DIAG (inet_diag) as ss(8) reads them, without
 * running anything. `up` uses it to warn that a forward takes a port a
 * service on the host listens on.
 */
#ifndef NSNET_SOCKDIAG_H
#define NSNET_SOCKDIAG_H

#include <stdint.h>

#include "core/error.h"
#include "core/fw.h"

typedef void sockdiag_fn(const struct fw_listener *l, void *data);

/*
 * Calls fn for every socket of protocol proto, IPv4 and IPv6, in the calling
 * thread's namespace, bound to a port from port_lo to port_hi (inclusive).
 */
int sockdiag_listeners(enum topology_proto proto, uint16_t port_lo, uint16_t port_hi,
		       sockdiag_fn *fn, void *data, struct error *err);

#endif
