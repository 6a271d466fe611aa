// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Port forwards (each host address one the host can have, each target an
 * address of a namespace, no host port forwarded twice) and the probes of
 * "checks:" (each from one of the namespaces).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "topology-check.h"

/*
 * The first address of a namespace in family, in file order; for IPv6 one
 * beyond link-local (a forward's target must be routable from the host).
 */
static const struct inet_addr *ns_first(const struct topology_ns *ns, int family)
{
	for (size_t i = 0; i < ns->n_ifaces; i++)
		for (size_t a = 0; a < ns->ifaces[i].n_addrs; a++) {
			const struct inet_addr *x = &ns->ifaces[i].addrs[a].prefix.addr;

			if (x->family == family &&
			    (family == AF_INET || inet_addr_kind(x) != INET_KIND_LINK_LOCAL))
				return x;
		}
	return NULL;
}

static const char *family_word(int family)
{
	return family == AF_INET6 ? "IPv6" : "IPv4";
}

/*
 * "NS:PORT": every family the namespace has (one forward, two targets), or
 * with a host address only that address's family.
 */
static int resolve_ns_target(struct checker *c, struct topology_forward *f, const char *key)
{
	const struct topology_ns *ns = topology_ns_find(c->t, f->to_ns);
	const struct inet_addr *a4 = ns ? ns_first(ns, AF_INET) : NULL;
	const struct inet_addr *a6 = ns ? ns_first(ns, AF_INET6) : NULL;
	char buf[INET_STR_MAX];

	if (!ns)
		return topology_error(c->err, c->file, f->to_pos, key,
				      "no namespace '%s' under 'namespaces'", f->to_ns);
	if (f->has_host_addr) {
		int fam = f->host_addr.family;

		a4 = ns_first(ns, fam);
		a6 = NULL;
		inet_addr_format(&f->host_addr, buf, sizeof(buf));
		if (!a4)
			return topology_error(c->err, c->file, f->to_pos, key,
					      "namespace '%s' has no %s address (host-address %s is "
					      "%s)",
					      f->to_ns, family_word(fam), buf, family_word(fam));
	}
	if (!a4 && !a6)
		return topology_error(c->err, c->file, f->to_pos, key,
				      "namespace '%s' has no address to forward to (IPv4, or IPv6 "
				      "beyond link-local)",
				      f->to_ns);
	f->to = a4 ? *a4 : *a6;
	memset(&f->to6, 0, sizeof(f->to6));
	if (a4 && a6)
		f->to6 = *a6;
	return 0;
}

static int ref_addr_cmp(const void *key, const void *elem)
{
	return checker_addr_cmp(key, &((const struct addr_ref *)elem)->a->prefix.addr);
}

/*
 * Only traffic to that address of the host is forwarded: one the host can
 * have. Loopback is one (a forward from the host itself to 127.0.0.1).
 */
static int check_host_addr(struct checker *c, const struct topology_forward *f, size_t k)
{
	unsigned allowed = INET_KIND_BIT(INET_KIND_LOOPBACK) | INET_KIND_BIT(INET_KIND_LINK_LOCAL);
	struct error e = {0};
	char key[TOPOLOGY_KEY_MAX];

	if (inet_addr_host_check(&f->host_addr, allowed, &e) == 0)
		return 0;
	snprintf(key, sizeof(key), "forwards[%zu].host-address", k);
	if (inet_addr_kind(&f->host_addr) == INET_KIND_UNSPECIFIED)
		return topology_error(c->err, c->file, f->host_addr_pos, key,
				      "%s; without 'host-address' every address of the host is "
				      "forwarded",
				      e.msg);
	return topology_error(c->err, c->file, f->host_addr_pos, key, "%s", e.msg);
}

/* Each forward's host address, and its target: an address of one of the namespaces. */
static int check_forward_targets(struct checker *c, const struct addr_ref *refs, size_t n)
{
	char key[TOPOLOGY_KEY_MAX], buf[INET_STR_MAX];
	int r;

	for (size_t k = 0; k < c->t->n_forwards; k++) {
		struct topology_forward *f = &c->t->forwards[k];

		if (f->has_host_addr) {
			r = check_host_addr(c, f, k);
			if (r < 0)
				return r;
		}
		snprintf(key, sizeof(key), "forwards[%zu].to", k);
		if (f->to_ns[0]) {
			r = resolve_ns_target(c, f, key);
			if (r < 0)
				return r;
			continue;
		}
		if (!bsearch(&f->to, refs, n, sizeof(*refs), ref_addr_cmp)) {
			inet_addr_format(&f->to, buf, sizeof(buf));
			return topology_error(c->err, c->file, f->to_pos, key,
					      "%s is not an address of any namespace", buf);
		}
		/* A forward stays in its family: NAT64 is not nsnet's. */
		if (f->has_host_addr && f->host_addr.family != f->to.family) {
			inet_addr_format(&f->to, buf, sizeof(buf));
			return topology_error(c->err, c->file, f->to_pos, key,
					      "%s is %s but host-address is %s: a forward stays in "
					      "its family",
					      buf, family_word(f->to.family),
					      family_word(f->host_addr.family));
		}
	}
	return 0;
}

/*
 * A host port is forwarded once per protocol and host address, and a forward
 * without host-address takes the port on every host address.
 */
static int fwd_cmp(const void *x, const void *y)
{
	const struct topology_forward *a = *(struct topology_forward *const *)x;
	const struct topology_forward *b = *(struct topology_forward *const *)y;
	int r;

	if (a->proto != b->proto)
		return a->proto < b->proto ? -1 : 1;
	if (a->has_host_addr != b->has_host_addr)
		return a->has_host_addr ? 1 : -1; /* wildcards first */
	r = a->has_host_addr ? checker_addr_cmp(&a->host_addr, &b->host_addr) : 0;
	if (r)
		return r;
	if (a->port_lo != b->port_lo)
		return a->port_lo < b->port_lo ? -1 : 1;
	return a < b ? -1 : a > b;
}

static bool fwd_same_group(const struct topology_forward *a, const struct topology_forward *b)
{
	return a->proto == b->proto && a->has_host_addr == b->has_host_addr &&
	       (!a->has_host_addr || checker_addr_cmp(&a->host_addr, &b->host_addr) == 0);
}

static void ports_format(const struct topology_forward *f, char *buf, size_t len)
{
	const char *proto = f->proto == TOPOLOGY_PROTO_UDP ? "udp" : "tcp";

	if (f->port_lo == f->port_hi)
		snprintf(buf, len, "%u/%s", f->port_lo, proto);
	else
		snprintf(buf, len, "%u-%u/%s", f->port_lo, f->port_hi, proto);
}

static int fwd_conflict(struct checker *c, const struct topology_forward *a,
			const struct topology_forward *b)
{
	const struct topology_forward *later = a > b ? a : b, *first = a > b ? b : a;
	char key[TOPOLOGY_KEY_MAX], p1[32], p2[32];

	snprintf(key, sizeof(key), "forwards[%zu].port", (size_t)(later - c->t->forwards));
	ports_format(later, p1, sizeof(p1));
	ports_format(first, p2, sizeof(p2));
	return topology_error(c->err, c->file, later->port_pos, key,
			      "port %s is already forwarded by forwards[%zu] (%s)", p1,
			      (size_t)(first - c->t->forwards), p2);
}

/* Every forwarded port becomes a map element: cap their sum, in file order. */
static int check_forward_total(struct checker *c)
{
	size_t total = 0;

	for (size_t k = 0; k < c->t->n_forwards; k++) {
		const struct topology_forward *f = &c->t->forwards[k];
		char key[TOPOLOGY_KEY_MAX];

		total += (size_t)(f->port_hi - f->port_lo) + 1;
		if (total <= TOPOLOGY_FORWARD_PORTS_MAX)
			continue;
		snprintf(key, sizeof(key), "forwards[%zu].port", k);
		return topology_error(c->err, c->file, f->port_pos, key,
				      "the forwards cover more than %d ports in all",
				      TOPOLOGY_FORWARD_PORTS_MAX);
	}
	return 0;
}

static int check_forward_ports(struct checker *c)
{
	size_t n = c->t->n_forwards, wild_end[2] = {0, 0}, wild_start[2] = {0, 0};
	_cleanup_free_ struct topology_forward **f = calloc(n + 1, sizeof(*f));
	int r;

	if (!f)
		return error_set(c->err, -ENOMEM, "out of memory");
	r = check_forward_total(c);
	if (r < 0)
		return r;
	for (size_t k = 0; k < n; k++)
		f[k] = &c->t->forwards[k];
	qsort(f, n, sizeof(*f), fwd_cmp);
	/* Within a group, sorted by start: an overlap is with the furthest-reaching before. */
	for (size_t k = 0, reach = 0; k < n; k++) {
		if (k == 0 || !fwd_same_group(f[k], f[reach])) {
			reach = k;
			continue;
		}
		if (f[k]->port_lo <= f[reach]->port_hi)
			return fwd_conflict(c, f[k], f[reach]);
		if (f[k]->port_hi > f[reach]->port_hi)
			reach = k;
	}
	/* The wildcards of a protocol, now known disjoint, against its specific ones. */
	for (size_t k = 0; k < n; k++) {
		if (f[k]->has_host_addr)
			continue;
		if (wild_end[f[k]->proto] == 0)
			wild_start[f[k]->proto] = k;
		wild_end[f[k]->proto] = k + 1;
	}
	for (size_t k = 0; k < n; k++) {
		size_t lo, hi, p = f[k]->proto;

		if (!f[k]->has_host_addr || wild_end[p] == 0)
			continue;
		/* The last wildcard starting at or before this range's end. */
		lo = wild_start[p];
		hi = wild_end[p];
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (f[mid]->port_lo <= f[k]->port_hi)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo > wild_start[p] && f[lo - 1]->port_hi >= f[k]->port_lo)
			return fwd_conflict(c, f[k], f[lo - 1]);
	}
	return 0;
}

int checker_forwards(struct checker *c, const struct addr_ref *refs, size_t n)
{
	int r = check_forward_targets(c, refs, n);

	return r < 0 ? r : check_forward_ports(c);
}

/* A check runs from one of this topology's namespaces. */
int checker_probes(struct checker *c)
{
	for (size_t i = 0; i < c->t->n_checks; i++) {
		const struct topology_probe *p = &c->t->checks[i];
		char key[64];

		if (topology_ns_find(c->t, p->from))
			continue;
		snprintf(key, sizeof(key), "checks[%zu].from", i);
		return topology_error(c->err, c->file, p->from_pos, key,
				      "namespace '%s' is not in this topology", p->from);
	}
	return 0;
}
