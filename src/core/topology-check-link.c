// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The links of a topology: names on the host side (bridges and host ends)
 * unique, every interface's bridge or cable peer resolved and consistent,
 * its addresses on its bridge's subnet, and no MAC twice on one segment.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "topology-check.h"

static size_t iface_count(const struct topology *t)
{
	size_t n = 0;

	for (size_t s = 0; s < t->n_namespaces; s++)
		n += t->namespaces[s].n_ifaces;
	return n;
}

/* Names living in the host's namespace: bridges and host ends of veth pairs. */
struct host_name {
	const char *name;
	struct topology_pos pos;
	size_t bridge; /* SIZE_MAX for a host end */
	size_t ns, iface;
	bool vxlan; /* the VXLAN device of bridge */
};

static int host_name_cmp(const void *x, const void *y)
{
	const struct host_name *a = x, *b = y;
	int r = strcmp(a->name, b->name);

	if (r)
		return r;
	return checker_pos_before(a->pos, b->pos) ? -1 : checker_pos_before(b->pos, a->pos);
}

static void host_name_what(const struct checker *c, const struct host_name *h, char *out)
{
	if (h->vxlan)
		snprintf(out, TOPOLOGY_KEY_MAX, "the VXLAN device of bridge '%s'",
			 c->t->bridges[h->bridge].name);
	else if (h->bridge != SIZE_MAX)
		snprintf(out, TOPOLOGY_KEY_MAX, "bridge '%s'", h->name);
	else
		snprintf(out, TOPOLOGY_KEY_MAX, "the host end of '%s/%s'",
			 c->t->namespaces[h->ns].name,
			 c->t->namespaces[h->ns].ifaces[h->iface].name);
}

int checker_host_names(struct checker *c)
{
	const struct topology *t = c->t;
	_cleanup_free_ struct host_name *h = NULL;
	char key[TOPOLOGY_KEY_MAX], what[TOPOLOGY_KEY_MAX];
	size_t n = 2 * t->n_bridges + iface_count(t);

	h = calloc(n + 1, sizeof(*h));
	if (!h)
		return error_set(c->err, -ENOMEM, "out of memory");
	n = 0;
	for (size_t b = 0; b < t->n_bridges; b++)
		h[n++] = (struct host_name){t->bridges[b].name, t->bridges[b].pos, b, 0, 0};
	for (size_t b = 0; b < t->n_bridges; b++)
		if (t->bridges[b].vxlan)
			h[n++] = (struct host_name){
				t->bridges[b].vxlan->name, t->bridges[b].vxlan->pos, b, 0, 0, true};
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
		if (b->vxlan) {
			snprintf(key, sizeof(key), "bridges.%s.vxlan", t->bridges[b->bridge].name);
			return topology_error(c->err, c->file, b->pos, key,
					      "the VXLAN device's derived name '%s' is taken by "
					      "%s; rename one of them",
					      b->name, what);
		}
		if (b->bridge != SIZE_MAX)
			/* Only a bridge declared after a host end lands here. */
			return topology_error(c->err, c->file, b->pos, NULL,
					      "bridge '%s' has the name of %s", b->name, what);
		ifc = &t->namespaces[b->ns].ifaces[b->iface];
		checker_iface_key(key, &t->namespaces[b->ns], ifc,
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

static bool is_link_local(const struct topology_addr *a)
{
	return inet_addr_kind(&a->prefix.addr) == INET_KIND_LINK_LOCAL;
}

/*
 * A bridged interface's addresses are on its bridge's subnets, of each family
 * the bridge has one of. Link-local ones (allowed, or refused already) are on
 * every link: neither side's count.
 */
static int check_iface_bridge(struct checker *c, const struct topology_ns *ns,
			      struct topology_iface *i, const char **bridges)
{
	const struct topology_bridge *b;
	struct inet_prefix net;
	char key[TOPOLOGY_KEY_MAX], leaf[32], buf[PREFIX_STR_MAX], a[PREFIX_STR_MAX];

	i->bridge_idx = name_find(bridges, c->t->n_bridges, c->t->bridges, sizeof(*c->t->bridges),
				  i->bridge);
	if (i->bridge_idx == SIZE_MAX) {
		checker_iface_key(key, ns, i, "bridge");
		return topology_error(c->err, c->file, i->link_pos, key,
				      "no bridge '%s' under 'bridges'", i->bridge);
	}
	b = &c->t->bridges[i->bridge_idx];
	for (size_t k = 0; k < i->n_addrs; k++) {
		const struct topology_addr *ia = &i->addrs[k];
		bool family_seen = false, inside = false;
		const struct topology_addr *ba = NULL;

		if (is_link_local(ia))
			continue;
		for (size_t j = 0; j < b->n_addrs; j++) {
			if (b->addrs[j].prefix.addr.family != ia->prefix.addr.family ||
			    is_link_local(&b->addrs[j]))
				continue;
			ba = ba ? ba : &b->addrs[j];
			family_seen = true;
			inside = inside ||
				 inet_prefix_contains(&b->addrs[j].prefix, &ia->prefix.addr);
		}
		if (!family_seen || inside)
			continue;
		checker_addr_leaf(leaf, sizeof(leaf), i->addrs_listed, k);
		checker_iface_key(key, ns, i, leaf);
		inet_prefix_format(&ia->prefix, a, sizeof(a));
		net = inet_prefix_network(&ba->prefix);
		inet_prefix_format(&net, buf, sizeof(buf));
		return topology_error(c->err, c->file, ia->pos, key,
				      "%s is outside %s, the subnet of bridge '%s'", a, buf,
				      b->name);
	}
	return 0;
}

size_t checker_iface_find(const struct topology_ns *ns, const char *name)
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
	char key[TOPOLOGY_KEY_MAX];

	checker_iface_key(key, ns, i, "peer");
	i->peer_ns_idx = name_find(names, c->t->n_namespaces, c->t->namespaces,
				   sizeof(*c->t->namespaces), i->peer_ns);
	if (i->peer_ns_idx == SIZE_MAX)
		return topology_error(c->err, c->file, i->link_pos, key,
				      "no namespace '%s' under 'namespaces'", i->peer_ns);
	pns = &c->t->namespaces[i->peer_ns_idx];
	if (pns == ns && strcmp(i->peer_iface, i->name) == 0)
		return topology_error(c->err, c->file, i->link_pos, key,
				      "an interface cannot be its own peer");
	i->peer_iface_idx = checker_iface_find(pns, i->peer_iface);
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
	char key[TOPOLOGY_KEY_MAX];

	qsort(e, n, sizeof(*e), cable_end_cmp);
	for (size_t k = 1; k < n; k++) {
		const struct topology_ns *ns = &c->t->namespaces[e[k].from_ns];
		const struct topology_iface *i = &ns->ifaces[e[k].from_iface];

		if (strcmp(e[k].ns, e[k - 1].ns) != 0 || strcmp(e[k].iface, e[k - 1].iface) != 0)
			continue;
		checker_iface_key(key, ns, i, "peer");
		return topology_error(
			c->err, c->file, i->link_pos, key, "'%s/%s' is already the peer of '%s/%s'",
			e[k].ns, e[k].iface, c->t->namespaces[e[k - 1].from_ns].name,
			c->t->namespaces[e[k - 1].from_ns].ifaces[e[k - 1].from_iface].name);
	}
	return 0;
}

int checker_ifaces(struct checker *c)
{
	struct topology *t = c->t;
	_cleanup_free_ const char **bridges = calloc(t->n_bridges + 1, sizeof(char *));
	_cleanup_free_ const char **names = calloc(t->n_namespaces + 1, sizeof(char *));
	_cleanup_free_ struct cable_end *ends = NULL;
	size_t n_ends = 0;
	int r;

	ends = calloc(iface_count(t) + 1, sizeof(*ends));
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
		r = checker_routes(c, ns);
		if (r < 0)
			return r;
	}
	return check_cable_ends(c, ends, n_ends);
}

/*
 * A MAC given to two interfaces of one segment (a bridge, or both ends of a
 * cable) makes each drop the other's frames as its own. The other end of a
 * cable declared on one side only has no MAC of the file's.
 */
struct mac_ref {
	size_t segment; /* bridge index, or past the bridges: the cable's first end */
	const struct topology_iface *i;
	const struct topology_ns *ns;
};

static int mac_ref_cmp(const void *x, const void *y)
{
	const struct mac_ref *a = x, *b = y;
	int r;

	if (a->segment != b->segment)
		return a->segment < b->segment ? -1 : 1;
	r = memcmp(a->i->mac, b->i->mac, MAC_LEN);
	if (r)
		return r;
	return checker_pos_before(a->i->mac_pos, b->i->mac_pos)
		       ? -1
		       : checker_pos_before(b->i->mac_pos, a->i->mac_pos);
}

static size_t mac_segment(const struct checker *c, size_t s, size_t k)
{
	const struct topology_iface *i = &c->t->namespaces[s].ifaces[k];
	size_t self = s * TOPOLOGY_IFACES_MAX + k, peer;

	if (i->link == TOPOLOGY_LINK_BRIDGE)
		return i->bridge_idx;
	peer = i->peer_iface_idx == SIZE_MAX
		       ? self
		       : i->peer_ns_idx * TOPOLOGY_IFACES_MAX + i->peer_iface_idx;
	return c->t->n_bridges + (self < peer ? self : peer);
}

static void segment_what(const struct checker *c, const struct mac_ref *r, char *out)
{
	if (r->i->link == TOPOLOGY_LINK_BRIDGE)
		snprintf(out, TOPOLOGY_KEY_MAX, "bridge '%s'",
			 c->t->bridges[r->i->bridge_idx].name);
	else
		snprintf(out, TOPOLOGY_KEY_MAX, "the cable between '%s/%s' and '%s/%s'",
			 r->ns->name, r->i->name, r->i->peer_ns, r->i->peer_iface);
}

int checker_macs(struct checker *c)
{
	const struct topology *t = c->t;
	_cleanup_free_ struct mac_ref *m = NULL;
	char key[TOPOLOGY_KEY_MAX], first[TOPOLOGY_KEY_MAX], what[TOPOLOGY_KEY_MAX],
		buf[MAC_STR_MAX];
	size_t n = 0;

	m = calloc(iface_count(t) + 1, sizeof(*m));
	if (!m)
		return error_set(c->err, -ENOMEM, "out of memory");
	n = 0;
	for (size_t s = 0; s < t->n_namespaces; s++)
		for (size_t k = 0; k < t->namespaces[s].n_ifaces; k++)
			if (t->namespaces[s].ifaces[k].has_mac)
				m[n++] = (struct mac_ref){mac_segment(c, s, k),
							  &t->namespaces[s].ifaces[k],
							  &t->namespaces[s]};
	qsort(m, n, sizeof(*m), mac_ref_cmp);
	for (size_t k = 1; k < n; k++) {
		const struct mac_ref *a = &m[k - 1], *b = &m[k];

		if (a->segment != b->segment || memcmp(a->i->mac, b->i->mac, MAC_LEN) != 0)
			continue;
		checker_iface_key(key, b->ns, b->i, "mac");
		checker_iface_key(first, a->ns, a->i, "mac");
		segment_what(c, b, what);
		mac_format(b->i->mac, MAC_LEN, buf, sizeof(buf));
		return topology_error(c->err, c->file, b->i->mac_pos, key,
				      "MAC %s is already given to %s (at %u:%u), on %s", buf, first,
				      a->i->mac_pos.line, a->i->mac_pos.col, what);
	}
	return 0;
}
