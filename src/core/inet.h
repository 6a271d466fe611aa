/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Addresses and prefixes of both families, and MAC addresses: parsing from
 * what a user writes, formatting for what we print. Pure, no syscalls.
 */
#ifndef NSNET_INET_H
#define NSNET_INET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define INET_STR_MAX 46  /* INET6_ADDRSTRLEN */
#define PREFIX_STR_MAX 50 /* address, '/', three digits */
#define MAC_LEN 6
#define MAC_STR_MAX 18

struct inet_addr {
	int family; /* AF_INET or AF_INET6, 0 when unset */
	union {
		uint8_t bytes[16];
		uint32_t v4; /* network byte order */
	};
};

struct inet_prefix {
	struct inet_addr addr;
	uint8_t len;
};

/* Address byte count for a family: 4, 16, or 0 for anything else. */
size_t inet_family_len(int family);

/* "192.168.15.1" or "fd00::1". */
int inet_addr_parse(const char *s, struct inet_addr *ret, struct error *err);

/* "192.168.15.1/24"; without a "/len", the host prefix (32 or 128). */
int inet_prefix_parse(const char *s, struct inet_prefix *ret, struct error *err);

/* As inet_prefix_parse, but "default" means 0.0.0.0/0 (or ::/0 for family AF_INET6). */
int inet_route_dst_parse(const char *s, int family, struct inet_prefix *ret, struct error *err);

void inet_addr_format(const struct inet_addr *a, char *buf, size_t len);
void inet_prefix_format(const struct inet_prefix *p, char *buf, size_t len);

/* The network address of p (host bits cleared). */
struct inet_prefix inet_prefix_network(const struct inet_prefix *p);

/* Whether a lies inside p. */
bool inet_prefix_contains(const struct inet_prefix *p, const struct inet_addr *a);

bool inet_addr_equal(const struct inet_addr *a, const struct inet_addr *b);

/* "02:00:5e:10:00:01"; a multicast or all-zero address is refused. */
int mac_parse(const char *s, uint8_t mac[MAC_LEN], struct error *err);
void mac_format(const uint8_t *mac, size_t len, char *buf, size_t buflen);

#endif
