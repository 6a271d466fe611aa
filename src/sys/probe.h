/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Real traffic for `nsnet check`: sends every probe of a list and records what came back. */
#ifndef NSNET_PROBE_H
#define NSNET_PROBE_H

#include <sys/socket.h>

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

/* The Internet checksum of an ICMP message (RFC 1071), in network order. */
uint16_t probe_icmp_csum(const void *data, size_t len);
/* a:port as a socket address; its length. */
socklen_t probe_sockaddr(const struct inet_addr *a, uint16_t port, struct sockaddr_storage *ss);

/*
 * The probes of doctor's check of bridges that span hosts, for each remote
 * of v (probe-vxlan.c): see struct doctor_vxlan_remote.
 */
struct doctor_vxlan_remote;
int probe_vxlan_run(struct doctor_vxlan_remote *v, size_t n, unsigned timeout_ms,
		    struct error *err);

#endif
