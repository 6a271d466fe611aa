// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The loaded model checked as a whole: references resolved (bridges, cable
 * peers, route devices, forward targets) and what must be unique or disjoint
 * across objects (addresses, host-side names, bridge subnets, forwarded
 * ports). Anything that compares all objects with all others sorts first, so
 * a file at the caps is still checked in well under a second.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "topology.h"

#define KEY_MAX 512

struct checker {
	const char *file;
	struct topology *t;
	struct error *err;
};

static bool pos_before(struct topology_pos a, struct topology_pos b)
{
	return a.line < b.line || (a.line == b.line && a.col < b.col);
}

static void iface_key(char *out, const struct topology_ns *ns, const struct topology_iface *i,
		      const char *leaf)
{
	snprintf(out, KEY_MAX, "namespaces.%s.interfaces.%s%s%s", ns->name, i->name,
		 leaf ? "." : "", leaf ? leaf : "");
}

static void addr_leaf(char *out, size_t len, bool listed, size_t idx)
{
	if (listed)
		snprintf(out, len, "addresses[%zu]", idx);
	else
		snprintf(out, len, "address");
}

/* Every address of the topology, with where it came from. */
struct addr_ref {
	const struct topology_addr *a;
	size_t bridge; /* SIZE_MAX for an interface's */
	size_t ns, iface, idx;
};

static void addr_ref_key(const struct checker *c, const struct addr_ref *r, char *out)
{
	char leaf[32];

	if (r->bridge != SIZE_MAX) {
		const struct topology_bridge *b = &c->t->bridges[r->bridge];

		addr_leaf(leaf, sizeof(leaf), b->addrs_listed, r->idx);
		snprintf(out, KEY_MAX, "bridges.%s.%s", b->name, leaf);
	} else {
		const struct topology_ns *ns = &c->t->namespaces[r->ns];
		const struct topology_iface *i = &ns->ifaces[r->iface];

		addr_leaf(leaf, sizeof(leaf), i->addrs_listed, r->idx);
		iface_key(out, ns, i, leaf);
	}
}

static int addr_cmp(const struct inet_addr *a, const struct inet_addr *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(a->bytes, b->bytes, inet_family_len(a->family));
}

static int addr_ref_cmp(const void *x, const void *y)
{
	const struct addr_ref *a = x, *b = y;
	int r = addr_cmp(&a->a->prefix.addr, &b->a->prefix.addr);

	if (r)
		return r;
	return pos_before(a->a->pos, b->a->pos) ? -1 : pos_before(b->a->pos, a->a->pos);
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
	int r = addr_cmp(&a->lo, &b->lo);

	return r ? r : addr_cmp(&b->hi, &a->hi); /* the wider first */
}

/*
 * Two bridges on one subnet would make the host's route to it ambiguous.
 * Prefixes either nest or are disjoint, so in start order a subnet overlaps
 * an earlier one exactly when it starts before the furthest end seen so far.
 */
static int check_bridge_subnets(struct checker *c, struct addr_ref *refs, size_t n)
{
	_cleanup_free_ struct subnet *s = calloc(n + 1, sizeof(*s));
	const struct subnet *reach = NULL;
	char key[KEY_MAX], buf[PREFIX_STR_MAX];

	if (!s)
		return error_set(c->err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++)
		s[i] = subnet_of(&refs[i]);
	qsort(s, n, sizeof(*s), subnet_cmp);
	for (size_t i = 0; i < n; i++) {
		if (reach && reach->lo.family == s[i].lo.family &&
		    addr_cmp(&s[i].lo, &reach->hi) <= 0 && reach->ref.bridge != s[i].ref.bridge) {
			const struct subnet *later = &s[i], *earlier = reach;

			if (pos_before(later->ref.a->pos, earlier->ref.a->pos)) {
				later = reach;
				earlier = &s[i];
			}
			addr_ref_key(c, &later->ref, key);
			inet_prefix_format(&earlier->ref.a->prefix, buf, sizeof(buf));
			return topology_error(c->err, c->file, later->ref.a->pos, key,
					      "subnet overlaps %s of bridge '%s'", buf,
					      c->t->bridges[earlier->ref.bridge].name);
		}
		if (!reach || reach->lo.family != s[i].lo.family ||
		    addr_cmp(&s[i].hi, &reach->hi) > 0)
			reach = &s[i];
	}
	return 0;
}

/* No address twice, whether on a bridge or in a namespace. */
static int check_addrs_unique(struct checker *c, const struct addr_ref *refs, size_t n)
{
	_cleanup_free_ struct addr_ref *s = calloc(n + 1, sizeof(*s));
	char key[KEY_MAX], first[KEY_MAX], buf[INET_STR_MAX];

	if (!s)
		return error_set(c->err, -ENOMEM, "out of memory");
	/* A copy: the caller keeps its bridges-then-namespaces order. */
	memcpy(s, refs, n * sizeof(*s));
	qsort(s, n, sizeof(*s), addr_ref_cmp);
	refs = s;
	for (size_t i = 1; i < n; i++) {
		if (addr_cmp(&refs[i].a->prefix.addr, &refs[i - 1].a->prefix.addr) != 0)
			continue;
		addr_ref_key(c, &refs[i], key);
		addr_ref_key(c, &refs[i - 1], first);
		inet_addr_format(&refs[i].a->prefix.addr, buf, sizeof(buf));
		return topology_error(c->err, c->file, refs[i].a->pos, key,
				      "address %s is already given to %s (at %u:%u)", buf, first,
				      refs[i - 1].a->pos.line, refs[i - 1].a->pos.col);
	}
	return 0;
}

static int collect_addrs(struct checker *c, struct addr_ref **ret, size_t *n_bridge, size_t *n_all)
{
	const struct topology *t = c->t;
	struct addr_ref *refs;
	size_t n = 0;

	for (size_t b = 0; b < t->n_bridges; b++)
		n += t->bridges[b].n_addrs;
	for (size_t s = 0; s < t->n_namespaces; s++)
		for (size_t i = 0; i < t->namespaces[s].n_ifaces; i++)
			n += t->namespaces[s].ifaces[i].n_addrs;
	refs = calloc(n + 1, sizeof(*refs));
	if (!refs)
		return error_set(c->err, -ENOMEM, "out of memory");
	n = 0;
	for (size_t b = 0; b < t->n_bridges; b++)
		for (size_t k = 0; k < t->bridges[b].n_addrs; k++)
			refs[n++] = (struct addr_ref){&t->bridges[b].addrs[k], b, 0, 0, k};
	*n_bridge = n;
	for (size_t s = 0; s < t->n_namespaces; s++)
		for (size_t i = 0; i < t->namespaces[s].n_ifaces; i++)
			for (size_t k = 0; k < t->namespaces[s].ifaces[i].n_addrs; k++)
				refs[n++] = (struct addr_ref){&t->namespaces[s].ifaces[i].addrs[k],
							      SIZE_MAX, s, i, k};
	*ret = refs;
	*n_all = n;
	return 0;
}

/* Names living in the host's namespace: bridges and host ends of veth pairs. */
struct host_name {
	const char *name;
	struct topology_pos pos;
	size_t bridge; /* SIZE_MAX for a host end */
	size_t ns, iface;
};

static int host_name_cmp(const void *x, const void *y)
{
	const struct host_name *a = x, *b = y;
	int r = strcmp(a->name, b->name);

	if (r)
		return r;
	return pos_before(a->pos, b->pos) ? -1 : pos_before(b->pos, a->pos);
}

static void host_name_what(const struct checker *c, const struct host_name *h, char *out)
{
	if (h->bridge != SIZE_MAX)
		snprintf(out, KEY_MAX, "bridge '%s'", h->name);
	else
		snprintf(out, KEY_MAX, "the host end of '%s/%s'", c->t->namespaces[h->ns].name,
			 c->t->namespaces[h->ns].ifaces[h->iface].name);
}

static int check_host_names(struct checker *c)
{
	const struct topology *t = c->t;
	_cleanup_free_ struct host_name *h = NULL;
	char key[KEY_MAX], what[KEY_MAX];
	size_t n = t->n_bridges;

	for (size_t s = 0; s < t->n_namespaces; s++)
		n += t->namespaces[s].n_ifaces;
	h = calloc(n + 1, sizeof(*h));
	if (!h)
		return error_set(c->err, -ENOMEM, "out of memory");
	n = 0;
	for (size_t b = 0; b < t->n_bridges; b++)
		h[n++] = (struct host_name){t->bridges[b].name, t->bridges[b].pos, b, 0, 0};
	for (size_t s = 0; s < t->n_namespaces; s++)
		for (size_t i = 0; i < t->namespaces[s].n_ifaces; i++) {
			const struct topology_iface *ifc = &t->namespaces[s].ifaces[i];

			if (ifc->link == TOPOLOGY_LINK_BRIDGE)
				h[n++] = (struct host_name){ifc->host_end, ifc->host_end_pos,
							    SIZE_MAX, s, i};
		}
	qsort(h, n, sizeof(*h), host_name_cmp);
	for (size_t k = 1; k < n; k++) {
		const struct host_name *a = &h[k - 1], *b = &h[k];
		const struct topology_iface *ifc;

		if (strcmp(a->name, b->name) != 0)
			continue;
		host_name_what(c, a, what);
		if (b->bridge != SIZE_MAX)
			/* Only a bridge declared after a host end lands here. */
			return topology_error(c->err, c->file, b->pos, NULL,
					      "bridge '%s' has the name of %s", b->name, what);
		ifc = &t->namespaces[b->ns].ifaces[b->iface];
		iface_key(key, &t->namespaces[b->ns], ifc,
			  ifc->host_end_derived ? NULL : "host-end");
		return topology_error(c->err, c->file, b->pos, key,
				      ifc->host_end_derived
					      ? "derived host end '%s' is taken by %s; "
						"set 'host-end'"
					      : "host end '%s' is taken by %s",
				      b->name, what);
	}
	return 0;
}

static int name_cmp(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/*
 * Lookups by name through sorted arrays of pointers to the names, which are
 * the first member of their objects, so a name's address is its object's.
 */
static size_t name_find(const char **sorted, size_t n, const void *base, size_t stride,
			const char *name)
{
	const char **hit = bsearch(&name, sorted, n, sizeof(*sorted), name_cmp);

	return hit ? (size_t)(*hit - (const char *)base) / stride : SIZE_MAX;
}

static int check_iface_bridge(struct checker *c, const struct topology_ns *ns,
			      struct topology_iface *i, const char **bridges)
{
	const struct topology_bridge *b;
	struct inet_prefix net;
	char key[KEY_MAX], leaf[32], buf[PREFIX_STR_MAX], a[PREFIX_STR_MAX];

	i->bridge_idx = name_find(bridges, c->t->n_bridges, c->t->bridges, sizeof(*c->t->bridges),
				  i->bridge);
	if (i->bridge_idx == SIZE_MAX) {
		iface_key(key, ns, i, "bridge");
		return topology_error(c->err, c->file, i->link_pos, key,
				      "no bridge '%s' under 'bridges'", i->bridge);
	}
	b = &c->t->bridges[i->bridge_idx];
	for (size_t k = 0; k < i->n_addrs; k++) {
		const struct topology_addr *ia = &i->addrs[k];
		bool family_seen = false, inside = false;
		const struct topology_addr *ba = NULL;

		for (size_t j = 0; j < b->n_addrs; j++) {
			if (b->addrs[j].prefix.addr.family != ia->prefix.addr.family)
				continue;
			ba = ba ? ba : &b->addrs[j];
			family_seen = true;
			inside = inside ||
				 inet_prefix_contains(&b->addrs[j].prefix, &ia->prefix.addr);
		}
		if (!family_seen || inside)
			continue;
		addr_leaf(leaf, sizeof(leaf), i->addrs_listed, k);
		iface_key(key, ns, i, leaf);
		inet_prefix_format(&ia->prefix, a, sizeof(a));
		net = inet_prefix_network(&ba->prefix);
		inet_prefix_format(&net, buf, sizeof(buf));
		return topology_error(c->err, c->file, ia->pos, key,
				      "%s is outside %s, the subnet of bridge '%s'", a, buf,
				      b->name);
	}
	return 0;
}

static size_t iface_find(const struct topology_ns *ns, const char *name)
{
	for (size_t i = 0; i < ns->n_ifaces; i++)
		if (strcmp(ns->ifaces[i].name, name) == 0)
			return i;
	return SIZE_MAX;
}

/* A cable declared on both sides must name the same two ends from each. */
static int check_iface_peer(struct checker *c, const struct topology_ns *ns,
			    struct topology_iface *i, const char **names)
{
	const struct topology_ns *pns;
	const struct topology_iface *p;
	char key[KEY_MAX];

	iface_key(key, ns, i, "peer");
	i->peer_ns_idx = name_find(names, c->t->n_namespaces, c->t->namespaces,
				   sizeof(*c->t->namespaces), i->peer_ns);
	if (i->peer_ns_idx == SIZE_MAX)
		return topology_error(c->err, c->file, i->link_pos, key,
				      "no namespace '%s' under 'namespaces'", i->peer_ns);
	pns = &c->t->namespaces[i->peer_ns_idx];
	if (pns == ns && strcmp(i->peer_iface, i->name) == 0)
		return topology_error(c->err, c->file, i->link_pos, key,
				      "an interface cannot be its own peer");
	i->peer_iface_idx = iface_find(pns, i->peer_iface);
	if (i->peer_iface_idx == SIZE_MAX)
		return 0;
	p = &pns->ifaces[i->peer_iface_idx];
	if (p->link != TOPOLOGY_LINK_PEER)
		return topology_error(c->err, c->file, i->link_pos, key,
				      "'%s/%s' is on bridge '%s', not cabled to '%s/%s'", pns->name,
				      p->name, p->bridge, ns->name, i->name);
	if (strcmp(p->peer_ns, ns->name) != 0 || strcmp(p->peer_iface, i->name) != 0)
		return topology_error(c->err, c->file, i->link_pos, key,
				      "'%s/%s' is cabled to '%s/%s', not to '%s/%s'", pns->name,
				      p->name, p->peer_ns, p->peer_iface, ns->name, i->name);
	return 0;
}

/* Undeclared cable ends, so that no two cables claim the same one. */
struct cable_end {
	const char *ns, *iface;
	size_t from_ns, from_iface;
};

static int cable_end_cmp(const void *x, const void *y)
{
	const struct cable_end *a = x, *b = y;
	int r = strcmp(a->ns, b->ns);

	if (r)
		return r;
	r = strcmp(a->iface, b->iface);
	if (r)
		return r;
	return a->from_ns != b->from_ns
		       ? (a->from_ns < b->from_ns ? -1 : 1)
		       : (a->from_iface > b->from_iface) - (a->from_iface < b->from_iface);
}

static int check_cable_ends(struct checker *c, struct cable_end *e, size_t n)
{
	char key[KEY_MAX];

	qsort(e, n, sizeof(*e), cable_end_cmp);
	for (size_t k = 1; k < n; k++) {
		const struct topology_ns *ns = &c->t->namespaces[e[k].from_ns];
		const struct topology_iface *i = &ns->ifaces[e[k].from_iface];

		if (strcmp(e[k].ns, e[k - 1].ns) != 0 || strcmp(e[k].iface, e[k - 1].iface) != 0)
			continue;
		iface_key(key, ns, i, "peer");
		return topology_error(
			c->err, c->file, i->link_pos, key, "'%s/%s' is already the peer of '%s/%s'",
			e[k].ns, e[k].iface, c->t->namespaces[e[k - 1].from_ns].name,
			c->t->namespaces[e[k - 1].from_ns].ifaces[e[k - 1].from_iface].name);
	}
	return 0;
}

static int check_routes(struct checker *c, const struct topology_ns *ns)
{
	char key[KEY_MAX], buf[INET_STR_MAX];

	for (size_t k = 0; k < ns->n_routes; k++) {
		const struct topology_route *rt = &ns->routes[k];
		size_t dev = SIZE_MAX;
		bool on_link = false;

		if (rt->dev[0]) {
			dev = iface_find(ns, rt->dev);
			if (dev == SIZE_MAX) {
				snprintf(key, sizeof(key), "namespaces.%s.routes[%zu].dev",
					 ns->name, k);
				return topology_error(c->err, c->file, rt->dev_pos, key,
						      "no interface '%s' in namespace '%s'",
						      rt->dev, ns->name);
			}
		}
		if (!rt->has_via)
			continue;
		for (size_t i = 0; i < ns->n_ifaces && !on_link; i++) {
			if (dev != SIZE_MAX && i != dev)
				continue;
			for (size_t a = 0; a < ns->ifaces[i].n_addrs; a++)
				on_link = on_link ||
					  inet_prefix_contains(&ns->ifaces[i].addrs[a].prefix,
							       &rt->via);
		}
		if (on_link)
			continue;
		snprintf(key, sizeof(key), "namespaces.%s.routes[%zu].via", ns->name, k);
		inet_addr_format(&rt->via, buf, sizeof(buf));
		return topology_error(c->err, c->file, rt->via_pos, key,
				      "gateway %s is on no subnet of %s", buf,
				      dev == SIZE_MAX ? "the namespace" : "that interface");
	}
	return 0;
}

static int check_ifaces(struct checker *c)
{
	struct topology *t = c->t;
	_cleanup_free_ const char **bridges = calloc(t->n_bridges + 1, sizeof(char *));
	_cleanup_free_ const char **names = calloc(t->n_namespaces + 1, sizeof(char *));
	_cleanup_free_ struct cable_end *ends = NULL;
	size_t n_ends = 0, n_ifaces = 0;
	int r;

	for (size_t s = 0; s < t->n_namespaces; s++)
		n_ifaces += t->namespaces[s].n_ifaces;
	ends = calloc(n_ifaces + 1, sizeof(*ends));
	if (!bridges || !names || !ends)
		return error_set(c->err, -ENOMEM, "out of memory");
	for (size_t b = 0; b < t->n_bridges; b++)
		bridges[b] = t->bridges[b].name;
	qsort(bridges, t->n_bridges, sizeof(*bridges), name_cmp);
	for (size_t s = 0; s < t->n_namespaces; s++)
		names[s] = t->namespaces[s].name;
	qsort(names, t->n_namespaces, sizeof(*names), name_cmp);

	for (size_t s = 0; s < t->n_namespaces; s++) {
		struct topology_ns *ns = &t->namespaces[s];

		for (size_t i = 0; i < ns->n_ifaces; i++) {
			struct topology_iface *ifc = &ns->ifaces[i];

			if (ifc->link == TOPOLOGY_LINK_BRIDGE) {
				r = check_iface_bridge(c, ns, ifc, bridges);
			} else {
				r = check_iface_peer(c, ns, ifc, names);
				if (r == 0 && ifc->peer_iface_idx == SIZE_MAX)
					ends[n_ends++] = (struct cable_end){ifc->peer_ns,
									    ifc->peer_iface, s, i};
			}
			if (r < 0)
				return r;
		}
		r = check_routes(c, ns);
		if (r < 0)
			return r;
	}
	return check_cable_ends(c, ends, n_ends);
}

/* The first IPv4 address of a namespace, in file order. */
static const struct inet_addr *ns_first_v4(const struct topology_ns *ns)
{
	for (size_t i = 0; i < ns->n_ifaces; i++)
		for (size_t a = 0; a < ns->ifaces[i].n_addrs; a++)
			if (ns->ifaces[i].addrs[a].prefix.addr.family == AF_INET)
				return &ns->ifaces[i].addrs[a].prefix.addr;
	return NULL;
}

static int ref_addr_cmp(const void *key, const void *elem)
{
	return addr_cmp(key, &((const struct addr_ref *)elem)->a->prefix.addr);
}

/* refs: the namespaces' addresses, sorted. */
static int check_forward_targets(struct checker *c, const struct addr_ref *refs, size_t n)
{
	char key[KEY_MAX], buf[INET_STR_MAX];

	for (size_t k = 0; k < c->t->n_forwards; k++) {
		struct topology_forward *f = &c->t->forwards[k];

		snprintf(key, sizeof(key), "forwards[%zu].to", k);
		if (f->to_ns[0]) {
			const struct topology_ns *ns = topology_ns_find(c->t, f->to_ns);
			const struct inet_addr *a = ns ? ns_first_v4(ns) : NULL;

			if (!ns)
				return topology_error(c->err, c->file, f->to_pos, key,
						      "no namespace '%s' under 'namespaces'",
						      f->to_ns);
			if (!a)
				return topology_error(c->err, c->file, f->to_pos, key,
						      "namespace '%s' has no IPv4 address",
						      f->to_ns);
			f->to = *a;
			continue;
		}
		if (!bsearch(&f->to, refs, n, sizeof(*refs), ref_addr_cmp)) {
			inet_addr_format(&f->to, buf, sizeof(buf));
			return topology_error(c->err, c->file, f->to_pos, key,
					      "%s is not an address of any namespace", buf);
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
	r = a->has_host_addr ? addr_cmp(&a->host_addr, &b->host_addr) : 0;
	if (r)
		return r;
	if (a->port_lo != b->port_lo)
		return a->port_lo < b->port_lo ? -1 : 1;
	return a < b ? -1 : a > b;
}

static bool fwd_same_group(const struct topology_forward *a, const struct topology_forward *b)
{
	return a->proto == b->proto && a->has_host_addr == b->has_host_addr &&
	       (!a->has_host_addr || addr_cmp(&a->host_addr, &b->host_addr) == 0);
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
	char key[KEY_MAX], p1[32], p2[32];

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
		char key[KEY_MAX];

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

/* A check runs from one of this topology's namespaces. */
static int check_probes(struct checker *c)
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

int topology_check(const char *file, struct topology *t, struct error *err)
{
	struct checker c = {.file = file, .t = t, .err = err};
	_cleanup_free_ struct addr_ref *refs = NULL;
	size_t n_bridge = 0, n_all = 0;
	int r;

	r = collect_addrs(&c, &refs, &n_bridge, &n_all);
	if (r < 0)
		return r;
	r = check_bridge_subnets(&c, refs, n_bridge);
	if (r < 0)
		return r;
	r = check_host_names(&c);
	if (r < 0)
		return r;
	r = check_ifaces(&c);
	if (r < 0)
		return r;
	r = check_addrs_unique(&c, refs, n_all);
	if (r < 0)
		return r;
	/* Forward targets are looked up among the namespaces' addresses only. */
	qsort(refs + n_bridge, n_all - n_bridge, sizeof(*refs), addr_ref_cmp);
	r = check_forward_targets(&c, refs + n_bridge, n_all - n_bridge);
	if (r < 0)
		return r;
	r = check_forward_ports(&c);
	if (r < 0)
		return r;
	return check_probes(&c);
}
