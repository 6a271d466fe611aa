/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Integer sysctls of the namespace the thread runs in, under /proc/sys, by
 * key ("net/ipv4/ip_forward", "net/ipv4/conf/v-net-0/rp_filter"). Writes are
 * mutations like any netlink request: they count for fault injection.
 */
#ifndef NSNET_SYSCTL_H
#define NSNET_SYSCTL_H

#include <stddef.h>

#include "core/error.h"

/* The value of key; -1 when it does not exist or cannot be read. */
int sysctl_get(const char *key);
/* Writes value to key; err names the key. */
int sysctl_set(const char *key, int value, struct error *err);
/*
 * The same inside the namespace behind netns_fd (-1: here): /proc/sys/net is
 * the network namespace of the thread that opens it, so the file is opened
 * there and read or written from here. home_fd as for nsenter_enter.
 */
int sysctl_get_at(int netns_fd, int home_fd, const char *key);
int sysctl_set_at(int netns_fd, int home_fd, const char *key, int value, struct error *err);

/* "net/ipv4/conf/IFNAME/NAME" into buf (family "ipv4" or "ipv6"). */
void sysctl_iface_key(const char *family, const char *ifname, const char *name, char *buf,
		      size_t len);

#define SYSCTL_IP_FORWARD "net/ipv4/ip_forward"

#endif
