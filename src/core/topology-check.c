// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The whole-file checks of topology-check.h in their order (each object's
 * own first, then what relates objects, then what refers to resolved ones),
 * and what they share: key paths for messages and the list of every address.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "topology-check.h"

bool checker_pos_before(struct topology_pos a, struct topology_pos b)
{
	return a.line < b.line || (a.line == b.line && a.col < b.col);
}

int checker_addr_cmp(const struct inet_addr *a, const struct inet_addr *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(a->bytes, b->bytes, inet_family_len(a->family));
}

void checker_iface_key(char *out, const struct topology_ns *ns, const struct topology_iface *i,
		       const char *leaf)
{
	snprintf(out, TOPOLOGY_KEY_MAX, "namespaces.%s.interfaces.%s%s%s", ns->name, i->name,
		 leaf ? "." : "", leaf ? leaf : "");
}

void checker_addr_leaf(char *out, size_t len, bool listed, size_t idx)
{
	if (listed)
		snprintf(out, len, "addresses[%zu]", idx);
	else
		snprintf(out, len, "address");
}

void checker_addr_ref_key(const struct checker *c, const struct addr_ref *r, char *out)
{
	char leaf[32];

	if (r->bridge != SIZE_MAX) {
		const struct topology_bridge *b = &c->t->bridges[r->bridge];

		checker_addr_leaf(leaf, sizeof(leaf), b->addrs_listed, r->idx);
		snprintf(out, TOPOLOGY_KEY_MAX, "bridges.%s.%s", b->name, leaf);
	} else {
		const struct topology_ns *ns = &c->t->namespaces[r->ns];
		const struct topology_iface *i = &ns->ifaces[r->iface];

		checker_addr_leaf(leaf, sizeof(leaf), i->addrs_listed, r->idx);
		checker_iface_key(out, ns, i, leaf);
	}
}

int checker_addr_ref_cmp(const void *x, const void *y)
{
	const struct addr_ref *a = x, *b = y;
	int r = checker_addr_cmp(&a->a->prefix.addr, &b->a->prefix.addr);

	if (r)
		return r;
	return checker_pos_before(a->a->pos, b->a->pos) ? -1
							: checker_pos_before(b->a->pos, a->a->pos);
}

bool checker_link_local(const struct checker *c, const struct addr_ref *r)
{
	bool allowed = r->bridge != SIZE_MAX ? c->t->bridges[r->bridge].link_local
					     : c->t->namespaces[r->ns].ifaces[r->iface].link_local;

	return allowed && inet_addr_kind(&r->a->prefix.addr) == INET_KIND_LINK_LOCAL;
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

int topology_check(const char *file, struct topology *t, struct error *err)
{
	struct checker c = {.file = file, .t = t, .err = err};
	_cleanup_free_ struct addr_ref *refs = NULL;
	size_t n_bridge = 0, n_all = 0;
	int r;

	r = collect_addrs(&c, &refs, &n_bridge, &n_all);
	if (r < 0)
		return r;
	r = checker_addr_kinds(&c, refs, n_all);
	if (r < 0)
		return r;
	r = checker_bridge_subnets(&c, refs, n_bridge);
	if (r < 0)
		return r;
	r = checker_host_names(&c);
	if (r < 0)
		return r;
	r = checker_ifaces(&c);
	if (r < 0)
		return r;
	r = checker_macs(&c);
	if (r < 0)
		return r;
	r = checker_addrs_unique(&c, refs, n_all);
	if (r < 0)
		return r;
	r = checker_vxlans(&c, refs, n_all);
	if (r < 0)
		return r;
	/* Forward targets are looked up among the namespaces' addresses only. */
	qsort(refs + n_bridge, n_all - n_bridge, sizeof(*refs), checker_addr_ref_cmp);
	r = checker_forwards(&c, refs + n_bridge, n_all - n_bridge);
	if (r < 0)
		return r;
	return checker_probes(&c);
}
