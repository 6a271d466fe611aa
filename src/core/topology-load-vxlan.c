// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * "vxlan:" on a bridge (topology.h, struct topology_vxlan): its table of
 * fields, the loaders only it needs (the VNI, the remotes, the port) and what
 * relates its own fields (one underlay family, the local address not a
 * remote). What relates it to the rest of the file (names, subnets, other
 * bridges' VNIs) is topology-check-vxlan.c's business.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "topology-loader.h"

/* Anything else cannot be the other end of a tunnel, nor its source. */
#define UNDERLAY_KINDS 0u

static int load_vni(struct loader *l, const struct ynode *n, const char *key, void *dst,
		    const void *arg)
{
	uint32_t *ret = dst;
	uint64_t v;
	int r = load_uint(l, n, key, &v);

	if (r < 0)
		return r;
	if (v > TOPOLOGY_VNI_MAX)
		return load_fail(l, n, key, "VNI %llu out of range (0 to %d)",
				 (unsigned long long)v, TOPOLOGY_VNI_MAX);
	*ret = (uint32_t)v;
	return 0;
}

/* An address one host can send a tunnel's datagrams to or from. */
static int load_underlay_addr(struct loader *l, const struct ynode *n, const char *key,
			      struct inet_addr *ret)
{
	struct error e = {0};
	int r = load_addr(l, n, key, ret, NULL);

	if (r < 0)
		return r;
	if (inet_addr_host_check(ret, UNDERLAY_KINDS, &e) < 0)
		return load_fail_from(l, n, key, &e);
	return 0;
}

static int load_local(struct loader *l, const struct ynode *n, const char *key, void *dst,
		      const void *arg)
{
	return load_underlay_addr(l, n, key, dst);
}

static int load_remotes(struct loader *l, const struct ynode *n, const char *key, void *dst,
			const void *arg)
{
	struct topology_vxlan *vx = dst;
	char k[TOPOLOGY_KEY_MAX];
	int r;

	if (n->type != YNODE_SEQ)
		return load_fail(l, n, key, "expected a sequence, got %s", ynode_type_name(n));
	if (!n->n_kids)
		return load_fail(l, n, key, "at least one remote (the address of another host)");
	if (n->n_kids > TOPOLOGY_VXLAN_REMOTES_MAX)
		return load_fail(l, n->kids[TOPOLOGY_VXLAN_REMOTES_MAX], key,
				 "too many remotes (at most %d)", TOPOLOGY_VXLAN_REMOTES_MAX);
	for (size_t i = 0; i < n->n_kids; i++) {
		struct topology_addr *a = &vx->remotes[i];

		load_key_index(k, key, i);
		r = load_underlay_addr(l, n->kids[i], k, &a->prefix.addr);
		if (r < 0)
			return r;
		a->prefix.len = (uint8_t)(inet_family_len(a->prefix.addr.family) * 8);
		a->pos = n->kids[i]->pos;
		for (size_t j = 0; j < i; j++) {
			if (vx->remotes[j].prefix.addr.family != a->prefix.addr.family)
				return load_fail(
					l, n->kids[i], k,
					"not of the family of remotes[0]: a tunnel has one "
					"underlay, IPv4 or IPv6");
			if (inet_addr_equal(&vx->remotes[j].prefix.addr, &a->prefix.addr))
				return load_fail(l, n->kids[i], k,
						 "duplicate remote (first at %u:%u)",
						 vx->remotes[j].pos.line, vx->remotes[j].pos.col);
		}
	}
	vx->n_remotes = n->n_kids;
	return 0;
}

/* FNV-1a of the bridge's name: the device's name is stable and fits 15 bytes. */
static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

#define VXLAN(m) offsetof(struct topology_vxlan, m)
#define VXLAN_AT(m) LOAD_AT(struct topology_vxlan, m)

static const struct field vxlan_fields[] = {
	{"id", load_vni, VXLAN(id), .required = true},
	{"remotes", load_remotes, 0, .required = true},
	{"local", load_local, VXLAN(local), .pos = VXLAN_AT(local_pos),
	 .given = VXLAN_AT(has_local)},
	{"port", load_port, VXLAN(port)},
	{"dev", load_ifname, VXLAN(dev), .pos = VXLAN_AT(dev_pos)},
	{"learning", load_bool, VXLAN(learning), .given = VXLAN_AT(learning_set)},
};

static int vxlan_finish(struct loader *l, const struct ynode *where, const struct ynode *v,
			const char *key, void *obj)
{
	struct topology_vxlan *vx = obj;
	char k[TOPOLOGY_KEY_MAX];

	if (!vx->learning_set)
		vx->learning = true;
	if (!vx->has_local)
		return 0;
	load_key_join(k, key, "local");
	if (vx->local.family != vx->remotes[0].prefix.addr.family)
		return load_fail(l, ynode_get(v, "local"), k,
				 "not of the family of the remotes: a tunnel has one underlay");
	for (size_t i = 0; i < vx->n_remotes; i++) {
		char a[INET_STR_MAX];

		if (!inet_addr_equal(&vx->local, &vx->remotes[i].prefix.addr))
			continue;
		inet_addr_format(&vx->local, a, sizeof(a));
		return load_fail(l, ynode_get(v, "local"), k,
				 "%s is also remotes[%zu]: this host cannot be its own remote", a,
				 i);
	}
	return 0;
}

static const struct shape vxlan_shape = {
	.what = "a bridge's vxlan",
	.noun = "vxlan",
	.under = "under 'vxlan:'",
	.fields = vxlan_fields,
	.n_fields = ARRAY_SIZE(vxlan_fields),
	.finish = vxlan_finish,
};

int load_vxlan(struct loader *l, const struct ynode *n, const char *key, void *dst, const void *arg)
{
	struct topology_bridge *b = dst;
	struct topology_vxlan *vx;

	if (n->type != YNODE_MAP)
		return load_fail(l, n, key,
				 "expected a mapping ({id: VNI, remotes: [ADDRESS]}), "
				 "got %s",
				 ynode_type_name(n));
	vx = calloc(1, sizeof(*vx));
	if (!vx)
		return error_set(l->err, -ENOMEM, "out of memory");
	b->vxlan = vx; /* freed with the bridge, loaded or not */
	vx->pos = n->pos;
	vx->port = TOPOLOGY_VXLAN_PORT;
	snprintf(vx->name, sizeof(vx->name), "nsv-%08x", name_hash(b->name));
	return load_object(l, &vxlan_shape, n, n, key, vx);
}
