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
		return error_input(err, -EINVAL, "'%s' is not an address with a prefix length", esc);
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	r = inet_addr_parse(buf, &p.addr, err);
	if (r < 0)
		return r;
	p.len = (uint8_t)(inet_family_len(p.addr.family) * 8);
	if (slash) {
		r = parse_prefixlen(slash + 1, p.len, &p.len);
		if (r < 0)
			return error_input(err, -EINVAL, "'%s': prefix length must be 0 to %zu", esc,
					   inet_family_len(p.addr.family) * 8);
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
