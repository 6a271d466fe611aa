// SPDX-License-Identifier: GPL-2.0-or-later
/* The pool of nsnet's IPAM: see ipam.h. Addresses are big-endian byte strings. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "ipam.h"

static int cmp(const struct inet_addr *a, const struct inet_addr *b)
{
	return memcmp(a->bytes, b->bytes, inet_family_len(a->family));
}

/* a + 1 (delta 1) or a - 1 (delta -1), within the family's bytes. */
static struct inet_addr step(struct inet_addr a, int delta)
{
	for (size_t i = inet_family_len(a.family); i-- > 0;) {
		uint8_t before = a.bytes[i];

		a.bytes[i] = (uint8_t)(before + delta);
		if ((delta > 0 && a.bytes[i] != 0) || (delta < 0 && before != 0))
			break;
	}
	return a;
}

/* The last address of the subnet: all host bits set. */
static struct inet_addr last_of(const struct inet_prefix *p)
{
	struct inet_addr a = p->addr;
	size_t n = inet_family_len(a.family);

	for (size_t bit = p->len; bit < n * 8; bit++)
		a.bytes[bit / 8] |= (uint8_t)(0x80u >> (bit % 8));
	return a;
}

int ipam_pool_init(const struct cni_ipam *c, struct ipam_pool *ret, struct error *err)
{
	struct ipam_pool p = {.subnet = inet_prefix_network(&c->subnet)};
	struct inet_addr first = step(p.subnet.addr, 1), last = last_of(&p.subnet);

	if (!c->own || !inet_family_len(p.subnet.addr.family))
		return error_set(err, -EINVAL, "no subnet to allocate from");
	/* IPv4 keeps its broadcast address; IPv6 has none, the last address is a host. */
	if (p.subnet.addr.family == AF_INET)
		last = step(last, -1);
	p.gateway = c->gateway.family ? c->gateway : first;
	p.start = c->range_start.family ? c->range_start : first;
	p.end = c->range_end.family ? c->range_end : last;
	if (cmp(&p.start, &p.end) > 0 || (cmp(&p.start, &p.end) == 0 && cmp(&p.start, &p.gateway) == 0))
		return error_input(err, -EINVAL, "ipam: the range holds no address to hand out");
	*ret = p;
	return 0;
}

bool ipam_pool_has(const struct ipam_pool *p, const struct inet_addr *a)
{
	return a->family == p->subnet.addr.family && cmp(a, &p->start) >= 0 &&
	       cmp(a, &p->end) <= 0 && cmp(a, &p->gateway) != 0;
}

struct inet_addr ipam_pool_next(const struct ipam_pool *p, const struct inet_addr *a)
{
	struct inet_addr n;

	if (!a->family || a->family != p->subnet.addr.family || cmp(a, &p->start) < 0 ||
	    cmp(a, &p->end) >= 0)
		n = p->start;
	else
		n = step(*a, 1);
	if (cmp(&n, &p->gateway) == 0)
		n = cmp(&n, &p->end) >= 0 ? p->start : step(n, 1);
	return n;
}

static uint64_t low32(const struct inet_addr *a)
{
	const uint8_t *b = a->bytes + inet_family_len(a->family) - 4;

	return (uint64_t)b[0] << 24 | (uint64_t)b[1] << 16 | (uint64_t)b[2] << 8 | b[3];
}

uint64_t ipam_pool_size(const struct ipam_pool *p)
{
	size_t n = inet_family_len(p->start.family);
	uint64_t size;

	/* Only the low 32 bits can differ below a cap of 2^32. */
	for (size_t i = 0; i + 4 < n; i++)
		if (p->start.bytes[i] != p->end.bytes[i])
			return UINT32_MAX;
	size = low32(&p->end) - low32(&p->start) + 1;
	if (cmp(&p->gateway, &p->start) >= 0 && cmp(&p->gateway, &p->end) <= 0)
		size--;
	return size;
}
