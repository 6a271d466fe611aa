// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The addresses of bridges and interfaces: each one a host may have (inet.h's
 * rules, link-local ones only where the file allows them), none twice in the
 * file, and no two bridges on one subnet.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "topology-check.h"

int checker_addr_kinds(struct checker *c, const struct addr_ref *refs, size_t n)
{
	char key[TOPOLOGY_KEY_MAX];

	for (size_t i = 0; i < n; i++) {
		const struct addr_ref *r = &refs[i];
		bool bridge = r->bridge != SIZE_MAX;
		bool ll_ok = bridge ? c->t->bridges[r->bridge].link_local
				    : c->t->namespaces[r->ns].ifaces[r->iface].link_local;
		unsigned allowed = ll_ok ? INET_KIND_BIT(INET_KIND_LINK_LOCAL) : 0;
		struct error e = {0};

		if (inet_prefix_host_check(&r->a->prefix, allowed, &e) == 0)
			continue;
		checker_addr_ref_key(c, r, key);
		if (inet_addr_kind(&r->a->prefix.addr) == INET_KIND_LINK_LOCAL)
			return topology_error(c->err, c->file, r->a->pos, key,
					      "%s; set 'link-local: true' on the %s to allow it",
					      e.msg, bridge ? "bridge" : "interface");
		return topology_error(c->err, c->file, r->a->pos, key, "%s", e.msg);
	}
	return 0;
}

/* Subnets of bridges, compared as [network, broadcast] intervals. */
struct subnet {
	struct inet_addr lo, hi;
	struct addr_ref ref;
};

static struct subnet subnet_of(const struct addr_ref *r)
{
	struct inet_prefix n = inet_prefix_network(&r->a->prefix);
	struct subnet s = {.lo = n.addr, .hi = n.addr, .ref = *r};
	size_t bytes = inet_family_len(n.addr.family);

	for (size_t i = 0; i < bytes; i++) {
		unsigned bit = (unsigned)i * 8;

		if (bit >= n.len)
			s.hi.bytes[i] = 0xff;
		else if (bit + 8 > n.len)
			s.hi.bytes[i] |= (uint8_t)(0xff >> (n.len - bit));
	}
	return s;
}

static int subnet_cmp(const void *x, const void *y)
{
	const struct subnet *a = x, *b = y;
	int r = checker_addr_cmp(&a->lo, &b->lo);

	return r ? r : checker_addr_cmp(&b->hi, &a->hi); /* the wider first */
}

/*
 * Two bridges on one subnet would make the host's route to it ambiguous.
 * Prefixes either nest or are disjoint, so in start order a subnet overlaps
 * an earlier one exactly when it starts before the furthest end seen so far.
 * Link-local subnets are on every link by design: not compared.
 */
int checker_bridge_subnets(struct checker *c, const struct addr_ref *refs, size_t n_bridge)
{
	_cleanup_free_ struct subnet *s = calloc(n_bridge + 1, sizeof(*s));
	const struct subnet *reach = NULL;
	char key[TOPOLOGY_KEY_MAX], buf[PREFIX_STR_MAX];
	size_t n = 0;

	if (!s)
		return error_set(c->err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < n_bridge; i++)
		if (!checker_link_local(c, &refs[i]))
			s[n++] = subnet_of(&refs[i]);
	qsort(s, n, sizeof(*s), subnet_cmp);
	for (size_t i = 0; i < n; i++) {
		if (reach && reach->lo.family == s[i].lo.family &&
		    checker_addr_cmp(&s[i].lo, &reach->hi) <= 0 &&
		    reach->ref.bridge != s[i].ref.bridge) {
			const struct subnet *later = &s[i], *earlier = reach;

			if (checker_pos_before(later->ref.a->pos, earlier->ref.a->pos)) {
				later = reach;
				earlier = &s[i];
			}
			checker_addr_ref_key(c, &later->ref, key);
			inet_prefix_format(&earlier->ref.a->prefix, buf, sizeof(buf));
			return topology_error(c->err, c->file, later->ref.a->pos, key,
					      "subnet overlaps %s of bridge '%s'", buf,
					      c->t->bridges[earlier->ref.bridge].name);
		}
		if (!reach || reach->lo.family != s[i].lo.family ||
		    checker_addr_cmp(&s[i].hi, &reach->hi) > 0)
			reach = &s[i];
	}
	return 0;
}

/* No address twice, whether on a bridge or in a namespace. */
int checker_addrs_unique(struct checker *c, const struct addr_ref *refs, size_t n)
{
	_cleanup_free_ struct addr_ref *s = calloc(n + 1, sizeof(*s));
	char key[TOPOLOGY_KEY_MAX], first[TOPOLOGY_KEY_MAX], buf[INET_STR_MAX];

	if (!s)
		return error_set(c->err, -ENOMEM, "out of memory");
	/* A copy: the caller keeps its bridges-then-namespaces order. */
	memcpy(s, refs, n * sizeof(*s));
	qsort(s, n, sizeof(*s), checker_addr_ref_cmp);
	for (size_t i = 1; i < n; i++) {
		if (checker_addr_cmp(&s[i].a->prefix.addr, &s[i - 1].a->prefix.addr) != 0)
			continue;
		checker_addr_ref_key(c, &s[i], key);
		checker_addr_ref_key(c, &s[i - 1], first);
		inet_addr_format(&s[i].a->prefix.addr, buf, sizeof(buf));
		return topology_error(c->err, c->file, s[i].a->pos, key,
				      "address %s is already given to %s (at %u:%u)", buf, first,
				      s[i - 1].a->pos.line, s[i - 1].a->pos.col);
	}
	return 0;
}
