// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The underlay of bridges that span hosts ("vxlan:"), against the rest of the
 * file: the tunnel's datagrams must not travel through the segments they
 * carry (a remote or local address inside a subnet of the topology, or one
 * of its addresses), the underlay device cannot be one of the topology's own
 * links, and two bridges of one file cannot share a VNI on one port (the
 * kernel demultiplexes by VNI: the second device would be refused).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "topology-check.h"

/*
 * What the underlay addresses are compared with, sorted: every address of
 * the file (by address), and the networks of the bridges' subnets (by length,
 * then network), so that each remote costs a few bisections, whatever the
 * number of remotes and addresses a file at the caps holds.
 */
struct sorted_refs {
	const struct addr_ref **addrs;
	size_t n_addrs;
	struct subnet {
		struct inet_prefix net;
		size_t bridge;
	} * subnets;
	size_t n_subnets;
};

static int ref_addr_cmp(const void *x, const void *y)
{
	const struct addr_ref *const *a = x, *const *b = y;

	return checker_addr_cmp(&(*a)->a->prefix.addr, &(*b)->a->prefix.addr);
}

static int subnet_cmp(const void *x, const void *y)
{
	const struct subnet *a = x, *b = y;

	if (a->net.len != b->net.len)
		return a->net.len < b->net.len ? -1 : 1;
	return checker_addr_cmp(&a->net.addr, &b->net.addr);
}

static int sorted_refs_build(struct checker *c, const struct addr_ref *refs, size_t n,
			     struct sorted_refs *s)
{
	s->addrs = calloc(n + 1, sizeof(*s->addrs));
	s->subnets = calloc(n + 1, sizeof(*s->subnets));
	if (!s->addrs || !s->subnets)
		return error_set(c->err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		s->addrs[s->n_addrs++] = &refs[i];
		if (refs[i].bridge != SIZE_MAX)
			s->subnets[s->n_subnets++] = (struct subnet){
				inet_prefix_network(&refs[i].a->prefix), refs[i].bridge};
	}
	qsort(s->addrs, s->n_addrs, sizeof(*s->addrs), ref_addr_cmp);
	qsort(s->subnets, s->n_subnets, sizeof(*s->subnets), subnet_cmp);
	return 0;
}

/* The bridge subnet of the file that holds a, or NULL. */
static const struct subnet *subnet_of(const struct sorted_refs *s, const struct inet_addr *a)
{
	for (size_t i = 0; i < s->n_subnets;) {
		struct subnet key = {{*a, s->subnets[i].net.len}, 0};
		const struct subnet *hit;
		size_t j = i;

		key.net = inet_prefix_network(&key.net);
		while (j < s->n_subnets && s->subnets[j].net.len == key.net.len)
			j++;
		hit = bsearch(&key, s->subnets + i, j - i, sizeof(key), subnet_cmp);
		if (hit)
			return hit;
		i = j;
	}
	return NULL;
}

static int check_underlay_addr(struct checker *c, const struct topology_bridge *br,
			       const struct inet_addr *a, struct topology_pos pos, const char *leaf,
			       const struct sorted_refs *s)
{
	char key[TOPOLOGY_KEY_MAX], txt[INET_STR_MAX], net[PREFIX_STR_MAX], where[TOPOLOGY_KEY_MAX];
	struct topology_addr ta = {{*a, 0}, {0, 0}};
	struct addr_ref kr = {&ta, 0, 0, 0, 0};
	const struct addr_ref *kp = &kr, *const * hit;
	const struct subnet *sub;

	snprintf(key, sizeof(key), "bridges.%s.vxlan.%s", br->name, leaf);
	inet_addr_format(a, txt, sizeof(txt));
	hit = bsearch(&kp, s->addrs, s->n_addrs, sizeof(*s->addrs), ref_addr_cmp);
	if (hit) {
		checker_addr_ref_key(c, *hit, where);
		return topology_error(c->err, c->file, pos, key,
				      "%s is %s: the tunnel's datagrams cannot travel inside the "
				      "segments they carry",
				      txt, where);
	}
	sub = subnet_of(s, a);
	if (!sub)
		return 0;
	inet_prefix_format(&sub->net, net, sizeof(net));
	return topology_error(c->err, c->file, pos, key,
			      "%s is inside %s, the subnet of bridge '%s': the tunnel's "
			      "datagrams cannot travel inside the segments they carry",
			      txt, net, c->t->bridges[sub->bridge].name);
}

/* The underlay device is the host's, never a link the topology makes. */
static int check_dev(struct checker *c, const struct topology_bridge *br)
{
	const struct topology *t = c->t;
	const struct topology_vxlan *vx = br->vxlan;
	char key[TOPOLOGY_KEY_MAX];
	const char *what = NULL;

	if (!vx->dev[0])
		return 0;
	for (size_t b = 0; b < t->n_bridges && !what; b++)
		if (strcmp(t->bridges[b].name, vx->dev) == 0 ||
		    (t->bridges[b].vxlan && strcmp(t->bridges[b].vxlan->name, vx->dev) == 0))
			what = "a link of this topology";
	for (size_t s = 0; s < t->n_namespaces && !what; s++)
		for (size_t i = 0; i < t->namespaces[s].n_ifaces; i++)
			if (t->namespaces[s].ifaces[i].link == TOPOLOGY_LINK_BRIDGE &&
			    strcmp(t->namespaces[s].ifaces[i].host_end, vx->dev) == 0)
				what = "the host end of an interface of this topology";
	if (!what)
		return 0;
	snprintf(key, sizeof(key), "bridges.%s.vxlan.dev", br->name);
	return topology_error(c->err, c->file, vx->dev_pos, key,
			      "'%s' is %s: the underlay is a device of the host that reaches the "
			      "remotes",
			      vx->dev, what);
}

int checker_vxlans(struct checker *c, const struct addr_ref *refs, size_t n)
{
	const struct topology *t = c->t;
	struct sorted_refs s = {0};
	char key[TOPOLOGY_KEY_MAX], leaf[32];
	int r = 0;
	bool any = false;

	for (size_t b = 0; b < t->n_bridges; b++)
		any = any || t->bridges[b].vxlan;
	if (any)
		r = sorted_refs_build(c, refs, n, &s);
	for (size_t b = 0; b < t->n_bridges; b++) {
		const struct topology_bridge *br = &t->bridges[b];
		const struct topology_vxlan *vx = br->vxlan;

		if (!vx || r < 0)
			continue;
		for (size_t k = 0; k < vx->n_remotes; k++) {
			snprintf(leaf, sizeof(leaf), "remotes[%zu]", k);
			if (r >= 0)
				r = check_underlay_addr(c, br, &vx->remotes[k].prefix.addr,
							vx->remotes[k].pos, leaf, &s);
		}
		if (r >= 0 && vx->has_local)
			r = check_underlay_addr(c, br, &vx->local, vx->local_pos, "local", &s);
		if (r >= 0)
			r = check_dev(c, br);
		/* At most 4096 bridges: pairwise is a few milliseconds at the cap. */
		for (size_t o = 0; r >= 0 && o < b; o++) {
			const struct topology_vxlan *other = t->bridges[o].vxlan;

			if (!other || other->id != vx->id || other->port != vx->port)
				continue;
			snprintf(key, sizeof(key), "bridges.%s.vxlan.id", br->name);
			r = topology_error(c->err, c->file, vx->pos, key,
					   "VNI %u on port %u is already used by bridge '%s': "
					   "each segment needs a VNI of its own",
					   vx->id, vx->port, t->bridges[o].name);
		}
	}
	free(s.addrs);
	free(s.subnets);
	return r;
}
