// SPDX-License-Identifier: GPL-2.0-or-later
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inet.h"
#include "name.h"

size_t inet_family_len(int family)
{
	switch (family) {
	case AF_INET:
		return 4;
	case AF_INET6:
		return 16;
	default:
		return 0;
	}
}

int inet_addr_parse(const char *s, struct inet_addr *ret, struct error *err)
{
	struct inet_addr a = {0};
	char esc[80];

	if (inet_pton(AF_INET, s, a.bytes) == 1) {
		a.family = AF_INET;
	} else if (inet_pton(AF_INET6, s, a.bytes) == 1) {
		a.family = AF_INET6;
	} else {
		name_escape(s, esc, sizeof(esc));
		return error_input(err, -EINVAL, "'%s' is not an IPv4 or IPv6 address", esc);
	}
	*ret = a;
	return 0;
}

static int parse_prefixlen(const char *s, unsigned max, uint8_t *ret)
{
	unsigned v = 0;

	if (!*s || strlen(s) > 3)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (unsigned)(*s - '0');
	}
	if (v > max)
		return -ERANGE;
	*ret = (uint8_t)v;
	return 0;
}

int inet_prefix_parse(const char *s, struct inet_prefix *ret, struct error *err)
{
	char buf[INET_STR_MAX + 8];
	struct inet_prefix p = {0};
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	char esc[80];
	int r;

	name_escape(s, esc, sizeof(esc));
	if (alen >= sizeof(buf))
		return error_input(err, -EINVAL, "'%s' is not an address with a prefix length",
				   esc);
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	r = inet_addr_parse(buf, &p.addr, err);
	if (r < 0)
		return r;
	p.len = (uint8_t)(inet_family_len(p.addr.family) * 8);
	if (slash) {
		r = parse_prefixlen(slash + 1, p.len, &p.len);
		if (r < 0)
			return error_input(err, -EINVAL, "'%s': prefix length must be 0 to %zu",
					   esc, inet_family_len(p.addr.family) * 8);
	}
	*ret = p;
	return 0;
}

int inet_route_dst_parse(const char *s, int family, struct inet_prefix *ret, struct error *err)
{
	if (strcmp(s, "default") == 0) {
		*ret = (struct inet_prefix){.addr.family = family ? family : AF_INET};
		return 0;
	}
	return inet_prefix_parse(s, ret, err);
}

void inet_addr_format(const struct inet_addr *a, char *buf, size_t len)
{
	if (!inet_ntop(a->family, a->bytes, buf, (socklen_t)len))
		snprintf(buf, len, "?");
}

void inet_prefix_format(const struct inet_prefix *p, char *buf, size_t len)
{
	char a[INET_STR_MAX];

	inet_addr_format(&p->addr, a, sizeof(a));
	snprintf(buf, len, "%s/%u", a, p->len);
}

struct inet_prefix inet_prefix_network(const struct inet_prefix *p)
{
	struct inet_prefix n = *p;
	size_t bytes = inet_family_len(p->addr.family);

	for (size_t i = 0; i < bytes; i++) {
		unsigned bit = (unsigned)i * 8;

		if (bit >= p->len)
			n.addr.bytes[i] = 0;
		else if (bit + 8 > p->len)
			n.addr.bytes[i] &= (uint8_t)(0xff << (8 - (p->len - bit)));
	}
	return n;
}

bool inet_prefix_contains(const struct inet_prefix *p, const struct inet_addr *a)
{
	struct inet_prefix other = {.addr = *a, .len = p->len};
	struct inet_prefix n1, n2;

	if (p->addr.family != a->family)
		return false;
	n1 = inet_prefix_network(p);
	n2 = inet_prefix_network(&other);
	return inet_addr_equal(&n1.addr, &n2.addr);
}

bool inet_addr_equal(const struct inet_addr *a, const struct inet_addr *b)
{
	return a->family == b->family &&
	       memcmp(a->bytes, b->bytes, inet_family_len(a->family)) == 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int mac_parse(const char *s, uint8_t mac[MAC_LEN], struct error *err)
{
	uint8_t m[MAC_LEN];
	char esc[80];
	bool zero = true;

	name_escape(s, esc, sizeof(esc));
	if (strlen(s) != 17)
		goto bad;
	for (int i = 0; i < MAC_LEN; i++) {
		int hi = hexval(s[i * 3]), lo = hexval(s[i * 3 + 1]);

		if (hi < 0 || lo < 0 || (i < MAC_LEN - 1 && s[i * 3 + 2] != ':'))
			goto bad;
		m[i] = (uint8_t)(hi << 4 | lo);
		zero = zero && m[i] == 0;
	}
	if (zero || (m[0] & 1))
		return error_input(err, -EINVAL, "'%s' is a %s address, not a unicast MAC", esc,
				   zero ? "zero" : "multicast");
	memcpy(mac, m, MAC_LEN);
	return 0;
bad:
	return error_input(err, -EINVAL, "'%s' is not a MAC address (want xx:xx:xx:xx:xx:xx)", esc);
}

void mac_format(const uint8_t *mac, size_t len, char *buf, size_t buflen)
{
	size_t o = 0;

	if (buflen)
		buf[0] = '\0';
	for (size_t i = 0; i < len && o + 4 <= buflen; i++)
		o += (size_t)snprintf(buf + o, buflen - o, i ? ":%02x" : "%02x", mac[i]);
}

enum inet_kind inet_addr_kind(const struct inet_addr *a)
{
	static const uint8_t zero[16];
	const uint8_t *b = a->bytes;

	if (a->family == AF_INET) {
		if (a->v4 == 0)
			return INET_KIND_UNSPECIFIED;
		if (b[0] == 127)
			return INET_KIND_LOOPBACK;
		if ((b[0] & 0xf0) == 0xe0)
			return INET_KIND_MULTICAST;
		if (a->v4 == 0xffffffffu)
			return INET_KIND_BROADCAST;
		if (b[0] == 169 && b[1] == 254)
			return INET_KIND_LINK_LOCAL;
		return INET_KIND_UNICAST;
	}
	if (a->family != AF_INET6)
		return INET_KIND_UNICAST;
	if (memcmp(b, zero, 16) == 0)
		return INET_KIND_UNSPECIFIED;
	if (memcmp(b, zero, 15) == 0 && b[15] == 1)
		return INET_KIND_LOOPBACK;
	if (b[0] == 0xff)
		return INET_KIND_MULTICAST;
	if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
		return INET_KIND_LINK_LOCAL;
	return INET_KIND_UNICAST;
}

const char *inet_kind_describe(enum inet_kind kind, int family)
{
	bool v6 = family == AF_INET6;

	switch (kind) {
	case INET_KIND_UNSPECIFIED:
		return "the unspecified address";
	case INET_KIND_LOOPBACK:
		return v6 ? "the loopback address" : "a loopback address (127.0.0.0/8)";
	case INET_KIND_MULTICAST:
		return v6 ? "a multicast address (ff00::/8)" : "a multicast address (224.0.0.0/4)";
	case INET_KIND_BROADCAST:
		return "the limited broadcast address";
	case INET_KIND_LINK_LOCAL:
		return v6 ? "a link-local address (fe80::/10)"
			  : "a link-local address (169.254.0.0/16)";
	default:
		return "a unicast address";
	}
}

/* Whether the bits of a after the first len are all set (ones) or all clear. */
static bool host_bits_all(const struct inet_addr *a, unsigned len, bool ones)
{
	size_t bytes = inet_family_len(a->family);

	for (size_t i = 0; i < bytes; i++) {
		unsigned bit = (unsigned)i * 8;
		uint8_t mask, want;

		if (bit + 8 <= len)
			continue;
		mask = bit >= len ? 0xff : (uint8_t)(0xff >> (len - bit));
		want = ones ? mask : 0;
		if ((a->bytes[i] & mask) != want)
			return false;
	}
	return true;
}

enum inet_slot inet_prefix_slot(const struct inet_prefix *p)
{
	if (p->addr.family == AF_INET && p->len <= 30) {
		if (host_bits_all(&p->addr, p->len, false))
			return INET_SLOT_NETWORK;
		if (host_bits_all(&p->addr, p->len, true))
			return INET_SLOT_BROADCAST;
	}
	if (p->addr.family == AF_INET6 && p->len <= 126 && host_bits_all(&p->addr, p->len, false))
		return INET_SLOT_ANYCAST;
	return INET_SLOT_HOST;
}

const char *inet_slot_describe(enum inet_slot slot)
{
	switch (slot) {
	case INET_SLOT_NETWORK:
		return "the network address";
	case INET_SLOT_BROADCAST:
		return "the broadcast address";
	case INET_SLOT_ANYCAST:
		return "the subnet-router anycast address";
	default:
		return "a host address";
	}
}

/* A link-local address is a host's, only not everywhere: the caller says where. */
static int kind_refuse(const char *text, enum inet_kind kind, int family, struct error *err)
{
	return error_input(err, -EINVAL, "%s is %s%s", text, inet_kind_describe(kind, family),
			   kind == INET_KIND_LINK_LOCAL ? "" : ", not a host address");
}

int inet_addr_host_check(const struct inet_addr *a, unsigned allowed, struct error *err)
{
	enum inet_kind kind = inet_addr_kind(a);
	char buf[INET_STR_MAX];

	if (kind == INET_KIND_UNICAST || (allowed & INET_KIND_BIT(kind)))
		return 0;
	inet_addr_format(a, buf, sizeof(buf));
	return kind_refuse(buf, kind, a->family, err);
}

int inet_prefix_host_check(const struct inet_prefix *p, unsigned allowed, struct error *err)
{
	enum inet_kind kind = inet_addr_kind(&p->addr);
	char buf[PREFIX_STR_MAX], net[PREFIX_STR_MAX];
	struct inet_prefix n;
	enum inet_slot slot;

	inet_prefix_format(p, buf, sizeof(buf));
	if (kind != INET_KIND_UNICAST && !(allowed & INET_KIND_BIT(kind)))
		return kind_refuse(buf, kind, p->addr.family, err);
	if (p->len == 0)
		return error_input(err, -EINVAL, "%s: a /0 prefix is every address, not a subnet",
				   buf);
	slot = inet_prefix_slot(p);
	if (slot == INET_SLOT_HOST)
		return 0;
	n = inet_prefix_network(p);
	inet_prefix_format(&n, net, sizeof(net));
	return error_input(err, -EINVAL, "%s is %s of %s, not a host address", buf,
			   inet_slot_describe(slot), net);
}
