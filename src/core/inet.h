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

#define INET_STR_MAX 46	  /* INET6_ADDRSTRLEN */
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

/* What an address is, as far as giving it to an interface or using it goes. */
enum inet_kind {
	INET_KIND_UNICAST,
	INET_KIND_UNSPECIFIED, /* 0.0.0.0, :: */
	INET_KIND_LOOPBACK,    /* 127.0.0.0/8, ::1 */
	INET_KIND_MULTICAST,   /* 224.0.0.0/4, ff00::/8 */
	INET_KIND_BROADCAST,   /* 255.255.255.255, the limited broadcast */
	INET_KIND_LINK_LOCAL,  /* 169.254.0.0/16, fe80::/10 */
};
#define INET_KIND_BIT(k) (1u << (k))

enum inet_kind inet_addr_kind(const struct inet_addr *a);

/* "a multicast address (224.0.0.0/4)", "the loopback address", ... */
const char *inet_kind_describe(enum inet_kind kind, int family);

/*
 * Whether p's address is one of the addresses of its own subnet that no host
 * may have: the network and broadcast addresses of an IPv4 prefix up to /30
 * (a /31 has two hosts and no broadcast, RFC 3021; a /32 is one host), and the
 * subnet-router anycast address (all host bits zero) of an IPv6 prefix up to
 * /126 (a /127 is a point-to-point link, RFC 6164). IPv6 has no broadcast.
 */
enum inet_slot {
	INET_SLOT_HOST,
	INET_SLOT_NETWORK,
	INET_SLOT_BROADCAST,
	INET_SLOT_ANYCAST,
};
enum inet_slot inet_prefix_slot(const struct inet_prefix *p);

/* "the network address", "the broadcast address", "the subnet-router anycast address". */
const char *inet_slot_describe(enum inet_slot slot);

/*
 * Refuses an address that no host can use, unless its kind is in allowed (a
 * mask of INET_KIND_BIT): "fd00::1 is a multicast address (ff00::/8), not a
 * host address". -EINVAL with err filled (kind ERROR_INPUT).
 */
int inet_addr_host_check(const struct inet_addr *a, unsigned allowed, struct error *err);

/*
 * The same for the address of an interface with its prefix length, and also a
 * /0 prefix and the addresses of inet_prefix_slot: "192.168.15.0/24 is the
 * network address of 192.168.15.0/24, not a host address".
 */
int inet_prefix_host_check(const struct inet_prefix *p, unsigned allowed, struct error *err);

/* "02:00:5e:10:00:01"; a multicast or all-zero address is refused. */
int mac_parse(const char *s, uint8_t mac[MAC_LEN], struct error *err);
void mac_format(const uint8_t *mac, size_t len, char *buf, size_t buflen);

#endif
