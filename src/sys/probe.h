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

/*
 * One TCP connection from namespace from_ns ("" = here) to to:to_port, while
 * nsnet listens at listen_addr:listen_port in listen_ns: writes the client
 * address the listener saw into seen ("" if nothing arrived in timeout_ms).
 * Shows what NAT did to a connection, as a server would see it.
 */
int probe_tcp_seen(const char *from_ns, const struct inet_addr *to, uint16_t to_port,
		   const char *listen_ns, const struct inet_addr *listen_addr,
		   uint16_t listen_port, unsigned timeout_ms, char *seen, size_t len,
		   struct error *err);

#endif
