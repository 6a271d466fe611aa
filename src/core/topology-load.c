// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The YAML tree into the model: one function per object, each refusing
 * unknown and duplicate keys, wrong node types, values that do not parse and
 * counts over the caps, with the position and key path of the culprit.
 * Relations between objects are topology-check.c's business.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "topology-loader.h"

static int load_bridge(struct loader *l, const struct topology_ynode *kn,
		       const struct topology_ynode *v, const char *key, struct topology_bridge *b)
{
	static const char *const keys[] = {"address", "addresses", "nat", "mtu", NULL};
	const struct topology_ynode *n;
	char k[KEY_MAX];
	int r;

	r = tl_load_ifname(l, kn, key, b->name);
	if (r < 0)
		return r;
	b->pos = kn->pos;
	if (tl_is_null(v))
		return 0;
	r = tl_expect(l, v, key, TOPOLOGY_Y_MAP);
	if (r < 0)
		return r;
	r = tl_check_keys(l, v, key, keys);
	if (r < 0)
		return r;
	r = tl_load_addrs(l, v, key, b->addrs, &b->n_addrs, &b->addrs_listed);
	if (r < 0)
		return r;
	if ((n = tl_map_get(v, "nat"))) {
		tl_key_join(k, key, "nat");
		r = tl_load_bool(l, n, k, &b->nat);
		if (r < 0)
			return r;
	}
	if ((n = tl_map_get(v, "mtu"))) {
		tl_key_join(k, key, "mtu");
		r = tl_load_mtu(l, n, k, &b->mtu);
		if (r < 0)
			return r;
	}
	return 0;
}

/* "NS/IFACE" */
static int load_peer(struct loader *l, const struct topology_ynode *n, const char *key,
		     struct topology_iface *i)
{
	const char *slash;
	char ns[NETNS_NAME_MAX + 2];
	struct error e = {0};
	size_t len;
	int r;

	r = tl_expect(l, n, key, TOPOLOGY_Y_SCALAR);
	if (r < 0)
		return r;
	slash = strchr(n->str, '/');
	if (!slash)
		return tl_fail(l, n, key, "'%s' is not NAMESPACE/INTERFACE", n->str);
	len = (size_t)(slash - n->str);
	if (len >= sizeof(ns))
		len = sizeof(ns) - 1; /* still too long for the check below to pass */
	memcpy(ns, n->str, len);
	ns[len] = '\0';
	if (name_netns_check(ns, &e) < 0 || name_ifname_check(slash + 1, &e) < 0)
		return tl_fail_from(l, n, key, &e);
	strcpy(i->peer_ns, ns);
	strcpy(i->peer_iface, slash + 1);
	return 0;
}

/* FNV-1a: small, stable across builds and platforms, good enough to spread names. */
static uint32_t fnv1a(const char *a, const char *b)
{
	uint32_t h = 2166136261u;

	for (const char *p = a; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	h = (h ^ '/') * 16777619u;
	for (const char *p = b; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	return h;
}

static int load_iface(struct loader *l, const char *ns, const struct topology_ynode *kn,
		      const struct topology_ynode *v, const char *key, struct topology_iface *i)
{
	static const char *const keys[] = {"bridge",	"host-end", "peer", "address",
					   "addresses", "mtu",	    "mac",  NULL};
	const struct topology_ynode *br, *peer, *he, *n;
	char k[KEY_MAX];
	int r;

	r = tl_load_ifname(l, kn, key, i->name);
	if (r < 0)
		return r;
	i->pos = kn->pos;
	i->peer_iface_idx = SIZE_MAX;
	r = tl_expect(l, v, key, TOPOLOGY_Y_MAP);
	if (r < 0)
		return r;
	r = tl_check_keys(l, v, key, keys);
	if (r < 0)
		return r;
	br = tl_map_get(v, "bridge");
	peer = tl_map_get(v, "peer");
	he = tl_map_get(v, "host-end");
	if (br && peer) {
		tl_key_join(k, key, "peer");
		return tl_fail(l, peer, k, "give either 'bridge' or 'peer', not both");
	}
	if (!br && !peer)
		return tl_fail(l, kn, key, "needs 'bridge' or 'peer'");
	if (br) {
		i->link = TOPOLOGY_LINK_BRIDGE;
		i->link_pos = br->pos;
		tl_key_join(k, key, "bridge");
		r = tl_load_ifname(l, br, k, i->bridge);
		if (r < 0)
			return r;
		if (he) {
			tl_key_join(k, key, "host-end");
			r = tl_load_ifname(l, he, k, i->host_end);
			if (r < 0)
				return r;
			i->host_end_pos = he->pos;
		} else {
			snprintf(i->host_end, sizeof(i->host_end), "nsn-%08x", fnv1a(ns, i->name));
			i->host_end_pos = kn->pos;
			i->host_end_derived = true;
		}
	} else {
		if (he) {
			tl_key_join(k, key, "host-end");
			return tl_fail(l, he, k, "only an interface on a bridge has a host end");
		}
		i->link = TOPOLOGY_LINK_PEER;
		i->link_pos = peer->pos;
		tl_key_join(k, key, "peer");
		r = load_peer(l, peer, k, i);
		if (r < 0)
			return r;
	}
	r = tl_load_addrs(l, v, key, i->addrs, &i->n_addrs, &i->addrs_listed);
	if (r < 0)
		return r;
	if ((n = tl_map_get(v, "mtu"))) {
		tl_key_join(k, key, "mtu");
		r = tl_load_mtu(l, n, k, &i->mtu);
		if (r < 0)
			return r;
	}
	if ((n = tl_map_get(v, "mac"))) {
		struct error e = {0};

		tl_key_join(k, key, "mac");
		r = tl_expect(l, n, k, TOPOLOGY_Y_SCALAR);
		if (r < 0)
			return r;
		if (mac_parse(n->str, i->mac, &e) < 0)
			return tl_fail_from(l, n, k, &e);
		i->has_mac = true;
	}
	return 0;
}

static int load_route(struct loader *l, const struct topology_ynode *v, const char *key,
		      struct topology_route *rt)
{
	static const char *const keys[] = {"to", "via", "dev", NULL};
	const struct topology_ynode *to, *via, *dev;
	struct error e = {0};
	char k[KEY_MAX];
	int r;

	rt->pos = v->pos;
	r = tl_expect(l, v, key, TOPOLOGY_Y_MAP);
	if (r < 0)
		return r;
	r = tl_check_keys(l, v, key, keys);
	if (r < 0)
		return r;
	to = tl_map_get(v, "to");
	via = tl_map_get(v, "via");
	dev = tl_map_get(v, "dev");
	if (!to)
		return tl_fail(l, v, key, "needs 'to'");
	if (!via && !dev)
		return tl_fail(l, v, key, "needs 'via' or 'dev'");
	if (via) {
		tl_key_join(k, key, "via");
		r = tl_expect(l, via, k, TOPOLOGY_Y_SCALAR);
		if (r < 0)
			return r;
		if (inet_addr_parse(via->str, &rt->via, &e) < 0)
			return tl_fail_from(l, via, k, &e);
		rt->has_via = true;
		rt->via_pos = via->pos;
	}
	if (dev) {
		tl_key_join(k, key, "dev");
		r = tl_load_ifname(l, dev, k, rt->dev);
		if (r < 0)
			return r;
		rt->dev_pos = dev->pos;
	}
	tl_key_join(k, key, "to");
	r = tl_expect(l, to, k, TOPOLOGY_Y_SCALAR);
	if (r < 0)
		return r;
	if (inet_route_dst_parse(to->str, rt->has_via ? rt->via.family : 0, &rt->to, &e) < 0)
		return tl_fail_from(l, to, k, &e);
	if (rt->has_via && rt->to.addr.family != rt->via.family) {
		tl_key_join(k, key, "via");
		return tl_fail(l, via, k, "'%s' is not of the family of 'to'", via->str);
	}
	return 0;
}

static int load_ns(struct loader *l, const struct topology_ynode *kn,
		   const struct topology_ynode *v, const char *key, struct topology_ns *ns)
{
	static const char *const keys[] = {"interfaces", "routes", NULL};
	const struct topology_ynode *ifs, *rts;
	char k[KEY_MAX], ki[KEY_MAX];
	int r;

	r = tl_load_nsname(l, kn, kn->str, key, ns->name);
	if (r < 0)
		return r;
	ns->pos = kn->pos;
	if (tl_is_null(v))
		return 0;
	r = tl_expect(l, v, key, TOPOLOGY_Y_MAP);
	if (r < 0)
		return r;
	r = tl_check_keys(l, v, key, keys);
	if (r < 0)
		return r;
	ifs = tl_map_get(v, "interfaces");
	if (ifs && !tl_is_null(ifs)) {
		tl_key_join(k, key, "interfaces");
		r = tl_expect(l, ifs, k, TOPOLOGY_Y_MAP);
		if (r < 0)
			return r;
		r = tl_check_names(l, ifs, k, "interfaces", TOPOLOGY_IFACES_MAX);
		if (r < 0)
			return r;
		ns->ifaces = calloc(ifs->n_kids / 2 + 1, sizeof(*ns->ifaces));
		if (!ns->ifaces)
			return error_set(l->err, -ENOMEM, "out of memory");
		for (size_t i = 0; i < ifs->n_kids; i += 2) {
			tl_key_join(ki, k, ifs->kids[i]->str);
			r = load_iface(l, ns->name, ifs->kids[i], ifs->kids[i + 1], ki,
				       &ns->ifaces[ns->n_ifaces++]);
			if (r < 0)
				return r;
		}
	}
	rts = tl_map_get(v, "routes");
	if (rts && !tl_is_null(rts)) {
		tl_key_join(k, key, "routes");
		r = tl_expect(l, rts, k, TOPOLOGY_Y_SEQ);
		if (r < 0)
			return r;
		if (rts->n_kids > TOPOLOGY_ROUTES_MAX)
			return tl_fail(l, rts->kids[TOPOLOGY_ROUTES_MAX], k,
				       "too many routes (at most %d)", TOPOLOGY_ROUTES_MAX);
		ns->routes = calloc(rts->n_kids + 1, sizeof(*ns->routes));
		if (!ns->routes)
			return error_set(l->err, -ENOMEM, "out of memory");
		for (size_t i = 0; i < rts->n_kids; i++) {
			tl_key_index(ki, k, i);
			r = load_route(l, rts->kids[i], ki, &ns->routes[ns->n_routes++]);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

/* The base name of the label without its extension: "examples/red.yaml" gives "red". */
static int load_default_name(struct loader *l, const struct topology_ynode *root,
			     struct topology *t)
{
	const char *base = strrchr(l->file, '/');
	const char *dot;
	char name[NETNS_NAME_MAX + 2];
	struct error e = {0};
	size_t len;

	base = base ? base + 1 : l->file;
	dot = strrchr(base, '.');
	len = dot && dot != base ? (size_t)(dot - base) : strlen(base);
	if (len >= sizeof(name))
		len = sizeof(name) - 1;
	memcpy(name, base, len);
	name[len] = '\0';
	if (name_netns_check(name, &e) < 0)
		return topology_error(l->err, l->file, root->pos, "name",
				      "no 'name' given and the file name gives none: %s", e.msg);
	strcpy(t->name, name);
	return 0;
}

/* Adapters: every object loader as a section calls it (kn: the name's node, for mappings). */
static int section_bridge(struct loader *l, const struct topology_ynode *kn,
			  const struct topology_ynode *v, const char *key, void *obj)
{
	return load_bridge(l, kn, v, key, obj);
}

static int section_ns(struct loader *l, const struct topology_ynode *kn,
		      const struct topology_ynode *v, const char *key, void *obj)
{
	return load_ns(l, kn, v, key, obj);
}

static int section_forward(struct loader *l, const struct topology_ynode *kn,
			   const struct topology_ynode *v, const char *key, void *obj)
{
	return tl_load_forward(l, v, key, obj);
}

static int section_probe(struct loader *l, const struct topology_ynode *kn,
			 const struct topology_ynode *v, const char *key, void *obj)
{
	return tl_load_probe(l, v, key, obj);
}

/*
 * A top-level section: a mapping of named objects (bridges, namespaces) or a
 * list (forwards, checks), capped, each element loaded into an array of the
 * model found at offsets v and n of struct topology.
 */
struct section {
	const char *key;
	enum topology_ynode_type type;
	size_t max, size;
	size_t v, n; /* offsetof the array pointer and of its count */
	int (*load)(struct loader *l, const struct topology_ynode *kn,
		    const struct topology_ynode *v, const char *key, void *obj);
};

#define SECTION(k, ty, mx, field, count, fn)                                                   \
	{                                                                                      \
		k, ty, mx, sizeof(*((struct topology *)0)->field),                             \
			offsetof(struct topology, field), offsetof(struct topology, count), fn \
	}

static const struct section sections[] = {
	SECTION("bridges", TOPOLOGY_Y_MAP, TOPOLOGY_BRIDGES_MAX, bridges, n_bridges,
		section_bridge),
	SECTION("namespaces", TOPOLOGY_Y_MAP, TOPOLOGY_NAMESPACES_MAX, namespaces, n_namespaces,
		section_ns),
	SECTION("forwards", TOPOLOGY_Y_SEQ, TOPOLOGY_FORWARDS_MAX, forwards, n_forwards,
		section_forward),
	SECTION("checks", TOPOLOGY_Y_SEQ, TOPOLOGY_CHECKS_MAX, checks, n_checks, section_probe),
};

static int load_section(struct loader *l, const struct topology_ynode *root,
			const struct section *s, struct topology *t)
{
	const struct topology_ynode *n = tl_map_get(root, s->key);
	void **v = (void **)((char *)t + s->v);
	size_t *count = (size_t *)((char *)t + s->n), len;
	bool map = s->type == TOPOLOGY_Y_MAP;
	char k[KEY_MAX];
	int r;

	if (!n || tl_is_null(n))
		return 0;
	r = tl_expect(l, n, s->key, s->type);
	if (r < 0)
		return r;
	len = map ? n->n_kids / 2 : n->n_kids;
	if (map)
		r = tl_check_names(l, n, s->key, s->key, s->max);
	else if (len > s->max)
		r = tl_fail(l, n->kids[s->max], s->key, "too many %s (at most %zu)", s->key,
			    s->max);
	if (r < 0)
		return r;
	*v = calloc(len + 1, s->size);
	if (!*v)
		return error_set(l->err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < len; i++) {
		const struct topology_ynode *kn = map ? n->kids[2 * i] : NULL;

		if (map)
			tl_key_join(k, s->key, kn->str);
		else
			tl_key_index(k, s->key, i);
		/* Counted first: a half-loaded object is freed with the rest. */
		r = s->load(l, kn, n->kids[map ? 2 * i + 1 : i], k,
			    (char *)*v + (*count)++ * s->size);
		if (r < 0)
			return r;
	}
	return 0;
}

int topology_load(const char *file, const struct topology_ynode *root, struct topology *t,
		  struct error *err)
{
	static const char *const keys[] = {"name",     "bridges", "namespaces",
					   "forwards", "checks",  NULL};
	struct loader l = {.file = file, .err = err};
	const struct topology_ynode *n;
	int r;

	if (root->type != TOPOLOGY_Y_MAP)
		return tl_fail(&l, root, NULL, "the top level must be a mapping, got %s",
			       tl_type_name(root));
	r = tl_check_keys(&l, root, "", keys);
	if (r < 0)
		return r;
	if ((n = tl_map_get(root, "name"))) {
		r = tl_expect(&l, n, "name", TOPOLOGY_Y_SCALAR);
		if (r < 0)
			return r;
		r = tl_load_nsname(&l, n, n->str, "name", t->name);
	} else {
		r = load_default_name(&l, root, t);
	}
	if (r < 0)
		return r;

	for (size_t i = 0; i < ARRAY_SIZE(sections); i++) {
		r = load_section(&l, root, &sections[i], t);
		if (r < 0)
			return r;
	}
	return 0;
}
