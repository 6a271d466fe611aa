/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Offload settings of a link, through the SIOCETHTOOL ioctl (what `ethtool -K
 * DEV tx off` does, without the program). The ioctl acts in the network
 * namespace of the socket it is issued on, whatever its family, so a socket
 * made in the link's namespace is all it needs.
 *
 * Why nsnet needs it: a veth hands its peer packets whose checksum is left to
 * the hardware (CHECKSUM_PARTIAL). OVS's userspace datapath reads them from an
 * AF_PACKET socket and forwards them without completing the checksum, so TCP
 * through an OVS netdev bridge fails while ping works, until the sending ends
 * compute their checksums themselves (TX checksum offload off).
 */
#ifndef NSNET_ETHTOOL_H
#define NSNET_ETHTOOL_H

#include <stdbool.h>

#include "core/error.h"

/* A socket in the namespace behind netns_fd (-1: the caller's own), for the calls below. */
int ethtool_sock_open(int netns_fd, int *ret_fd, struct error *err);

/*
 * Turns TX checksum offload (every tx-checksum-* feature) on or off for
 * ifname in the namespace of sock_fd. where names that namespace in errors
 * (" in 'red'", or ""). One mutation for fault injection.
 */
int ethtool_tx_csum_set(int sock_fd, const char *ifname, bool on, const char *where,
			struct error *err);
/* Whether TX checksum offload is on. */
int ethtool_tx_csum_get(int sock_fd, const char *ifname, bool *ret, const char *where,
			struct error *err);

#endif
