// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The objects of a topology file as tables (topology-loader.h): the top
 * level, bridges, namespaces, their interfaces and routes, with the few
 * loaders only they need (cable peers, route destinations, the name that
 * defaults to the file's) and what relates their own fields. Relations
 * between objects are topology-check*.c's business; forwards and checks are
 * in topology-load-forward.c.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "topology-loader.h"

static const struct shape bridge_shape, ns_shape, iface_shape, route_shape;

/* --- bridges --- */

static const struct addrs_at bridge_addrs = {
	offsetof(struct topology_bridge, addrs),
	offsetof(struct topology_bridge, n_addrs),
	offsetof(struct topology_bridge, addrs_listed),
};

#define BRIDGE(m) offsetof(struct topology_bridge, m)
#define BRIDGE_AT(m) LOAD_AT(struct topology_bridge, m)

static int load_bridge_type(struct loader *l, const struct ynode *n, const char *key, void *dst,
			    const void *arg)
{
	static const char *const words[] = {
		[TOPOLOGY_BRIDGE_LINUX] = "linux",
		[TOPOLOGY_BRIDGE_OVS] = "ovs",
		NULL,
	};
	size_t i = 0;
	int r = load_word(l, n, key, "linux or ovs", words, &i);

	if (r >= 0)
		*(enum topology_bridge_type *)dst = (enum topology_bridge_type)i;
	return r;
}

static int load_datapath(struct loader *l, const struct ynode *n, const char *key, void *dst,
			 const void *arg)
{
	static const char *const words[] = {
		[TOPOLOGY_DATAPATH_AUTO] = "", /* never matches: the key is absent for it */
		[TOPOLOGY_DATAPATH_SYSTEM] = "system",
		[TOPOLOGY_DATAPATH_NETDEV] = "netdev",
		NULL,
	};
	size_t i = 0;
	int r = load_word(l, n, key, "system or netdev", words, &i);

	if (r >= 0 && i == TOPOLOGY_DATAPATH_AUTO)
		r = load_fail(l, n, key, "expected system or netdev");
	if (r >= 0)
		*(enum topology_datapath *)dst = (enum topology_datapath)i;
	return r;
}

/* A datapath is Open vSwitch's: only an OVS bridge has one. */
static int bridge_finish(struct loader *l, const struct ynode *where, const struct ynode *v,
			 const char *key, void *obj)
{
	const struct topology_bridge *br = obj;
	char k[TOPOLOGY_KEY_MAX];

	if (br->type == TOPOLOGY_BRIDGE_OVS || br->datapath == TOPOLOGY_DATAPATH_AUTO)
		return 0;
	load_key_join(k, key, "datapath");
	return load_fail(l, ynode_get(v, "datapath"), k,
			 "only an Open vSwitch bridge has a datapath (add 'type: ovs')");
}

static const struct field bridge_fields[] = {
	{"address", load_address, 0, &bridge_addrs},
	{"addresses", load_addresses, 0, &bridge_addrs},
	{"nat", load_bool, BRIDGE(nat)},
	{"mtu", load_mtu, BRIDGE(mtu)},
	{"link-local", load_bool, BRIDGE(link_local), .pos = BRIDGE_AT(link_local_pos)},
	{"allow-overlap", load_bool, BRIDGE(allow_overlap), .pos = BRIDGE_AT(allow_overlap_pos)},
	{"vxlan", load_vxlan, 0},
	{"type", load_bridge_type, BRIDGE(type), .pos = BRIDGE_AT(type_pos)},
	{"datapath", load_datapath, BRIDGE(datapath), .pos = BRIDGE_AT(datapath_pos)},
};

static const struct choice bridge_choices[] = {
	{"address", "addresses", .exclusive = true},
};

static const struct shape bridge_shape = {
	.what = "a bridge",
	.noun = "bridge",
	.under = "under a bridge's name",
	.fields = bridge_fields,
	.n_fields = ARRAY_SIZE(bridge_fields),
	.choices = bridge_choices,
	.n_choices = ARRAY_SIZE(bridge_choices),
	.null_ok = true,
	.finish = bridge_finish,
	.parent = &load_top_shape,
};

/* --- interfaces --- */

/* "NS/IFACE" */
static int load_peer(struct loader *l, const struct ynode *n, const char *key, void *dst,
		     const void *arg)
{
	struct topology_iface *i = dst;
	const char *slash;
	char ns[NETNS_NAME_MAX + 2], esc[96];
	struct error e = {0};
	size_t len;
	int r;

	r = load_scalar(l, n, key, "NAMESPACE/INTERFACE");
	if (r < 0)
		return r;
	slash = strchr(n->str, '/');
	if (!slash) {
		name_escape(n->str, esc, sizeof(esc));
		return load_fail(l, n, key, "'%s' is not NAMESPACE/INTERFACE", esc);
	}
	len = (size_t)(slash - n->str);
	if (len >= sizeof(ns))
		len = sizeof(ns) - 1; /* still too long for the check below to pass */
	memcpy(ns, n->str, len);
	ns[len] = '\0';
	if (name_netns_check(ns, &e) < 0 || name_link_check(slash + 1, &e) < 0)
		return load_fail_from(l, n, key, &e);
	strcpy(i->peer_ns, ns);
	strcpy(i->peer_iface, slash + 1);
	return 0;
}

/* The choice of bridge or peer is made (exactly one is given): what goes with it. */
static int iface_finish(struct loader *l, const struct ynode *where, const struct ynode *v,
			const char *key, void *obj)
{
	struct topology_iface *i = obj;
	char k[TOPOLOGY_KEY_MAX];

	i->peer_iface_idx = SIZE_MAX;
	i->link = i->peer_ns[0] ? TOPOLOGY_LINK_PEER : TOPOLOGY_LINK_BRIDGE;
	if (i->link == TOPOLOGY_LINK_PEER && i->host_end[0]) {
		load_key_join(k, key, "host-end");
		return load_fail(l, ynode_get(v, "host-end"), k,
				 "only an interface on a bridge has a host end");
	}
	return 0;
}

static const struct addrs_at iface_addrs = {
	offsetof(struct topology_iface, addrs),
	offsetof(struct topology_iface, n_addrs),
	offsetof(struct topology_iface, addrs_listed),
};

#define IFACE(m) offsetof(struct topology_iface, m)
#define IFACE_AT(m) LOAD_AT(struct topology_iface, m)

static const struct field iface_fields[] = {
	{"bridge", load_ifname, IFACE(bridge), .pos = IFACE_AT(link_pos)},
	{"host-end", load_ifname, IFACE(host_end), .pos = IFACE_AT(host_end_pos)},
	{"peer", load_peer, 0, .pos = IFACE_AT(link_pos)},
	{"address", load_address, 0, &iface_addrs},
	{"addresses", load_addresses, 0, &iface_addrs},
	{"mtu", load_mtu, IFACE(mtu)},
	{"mac", load_mac, IFACE(mac), .pos = IFACE_AT(mac_pos), .given = IFACE_AT(has_mac)},
	{"link-local", load_bool, IFACE(link_local), .pos = IFACE_AT(link_local_pos)},
};

static const struct choice iface_choices[] = {
	{"bridge", "peer", .exclusive = true, .needed = true},
	{"address", "addresses", .exclusive = true},
};

static const struct shape iface_shape = {
	.what = "an interface",
	.noun = "interface",
	.under = "under an interface's name",
	.fields = iface_fields,
	.n_fields = ARRAY_SIZE(iface_fields),
	.choices = iface_choices,
	.n_choices = ARRAY_SIZE(iface_choices),
	.finish = iface_finish,
	.parent = &ns_shape,
};

/* --- routes --- */

/* "default" is 0.0.0.0/0, or ::/0 when the gateway is IPv6 (via comes first). */
static int load_route_to(struct loader *l, const struct ynode *n, const char *key, void *dst,
			 const void *arg)
{
	struct topology_route *rt = dst;
	struct error e = {0};
	int r = load_scalar(l, n, key, "a prefix or 'default'");

	if (r < 0)
		return r;
	if (inet_route_dst_parse(n->str, rt->has_via ? rt->via.family : 0, &rt->to, &e) < 0)
		return load_fail_from(l, n, key, &e);
	return 0;
}

static int route_finish(struct loader *l, const struct ynode *where, const struct ynode *v,
			const char *key, void *obj)
{
	const struct topology_route *rt = obj;
	const struct ynode *via = ynode_get(v, "via");
	char k[TOPOLOGY_KEY_MAX];

	if (!rt->has_via || rt->to.addr.family == rt->via.family)
		return 0;
	load_key_join(k, key, "via");
	return load_fail(l, via, k, "'%s' is not of the family of 'to'", via->str);
}

#define ROUTE(m) offsetof(struct topology_route, m)
#define ROUTE_AT(m) LOAD_AT(struct topology_route, m)

/* Loaded in this order: "to" needs the family of "via". */
static const struct field route_fields[] = {
	{"via", load_addr, ROUTE(via), .pos = ROUTE_AT(via_pos), .given = ROUTE_AT(has_via)},
	{"dev", load_ifname, ROUTE(dev), .pos = ROUTE_AT(dev_pos)},
	{"to", load_route_to, 0, .pos = ROUTE_AT(to_pos), .required = true},
};

static const struct choice route_choices[] = {
	{"via", "dev", .needed = true},
};

static const struct shape route_shape = {
	.what = "a route",
	.noun = "route",
	.under = "into a route ('- {to: ...}')",
	.fields = route_fields,
	.n_fields = ARRAY_SIZE(route_fields),
	.choices = route_choices,
	.n_choices = ARRAY_SIZE(route_choices),
	.finish = route_finish,
	.parent = &ns_shape,
};

/* --- namespaces --- */

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

/* Bridged interfaces without "host-end:" get one derived from NS/IFACE. */
static int ns_finish(struct loader *l, const struct ynode *where, const struct ynode *v,
		     const char *key, void *obj)
{
	struct topology_ns *ns = obj;

	for (size_t k = 0; k < ns->n_ifaces; k++) {
		struct topology_iface *i = &ns->ifaces[k];

		if (i->link != TOPOLOGY_LINK_BRIDGE || i->host_end[0])
			continue;
		snprintf(i->host_end, sizeof(i->host_end), "nsn-%08x", fnv1a(ns->name, i->name));
		i->host_end_pos = i->pos;
		i->host_end_derived = true;
	}
	return 0;
}

static const struct collection ifaces = {
	.what = "interfaces",
	.type = YNODE_MAP,
	.max = TOPOLOGY_IFACES_MAX,
	.size = sizeof(struct topology_iface),
	.items = offsetof(struct topology_ns, ifaces),
	.count = offsetof(struct topology_ns, n_ifaces),
	.shape = &iface_shape,
	.name = load_ifname,
	.name_dst = offsetof(struct topology_iface, name),
	.name_pos = offsetof(struct topology_iface, pos),
};

static const struct collection routes = {
	.what = "routes",
	.type = YNODE_SEQ,
	.max = TOPOLOGY_ROUTES_MAX,
	.size = sizeof(struct topology_route),
	.items = offsetof(struct topology_ns, routes),
	.count = offsetof(struct topology_ns, n_routes),
	.shape = &route_shape,
	.item_pos = LOAD_AT(struct topology_route, pos),
};

static const struct field ns_fields[] = {
	{"interfaces", load_collection, 0, &ifaces},
	{"routes", load_collection, 0, &routes},
	{"forwarding", load_bool, offsetof(struct topology_ns, forwarding),
	 .pos = LOAD_AT(struct topology_ns, forwarding_pos),
	 .given = LOAD_AT(struct topology_ns, forwarding_set)},
};

static const struct shape *const ns_children[] = {&iface_shape, &route_shape, NULL};

static const struct shape ns_shape = {
	.what = "a namespace",
	.noun = "namespace",
	.under = "under a namespace's name",
	.fields = ns_fields,
	.n_fields = ARRAY_SIZE(ns_fields),
	.null_ok = true,
	.finish = ns_finish,
	.parent = &load_top_shape,
	.children = ns_children,
};

/* --- the top level --- */

/*
 * "ovsdb: unix:PATH", the socket of ovsdb-server (what ovs-vsctl's --db
 * takes; nsnet speaks to unix sockets only): an absolute path of printable
 * ASCII that fits a socket address.
 */
static int load_ovsdb(struct loader *l, const struct ynode *n, const char *key, void *dst,
		      const void *arg)
{
	const char *colon, *path;
	char esc[96];
	int r = load_scalar(l, n, key, "unix:PATH");

	if (r < 0)
		return r;
	name_escape(n->str, esc, sizeof(esc));
	colon = strchr(n->str, ':');
	if (!colon)
		return load_fail(l, n, key, "'%s' is not of the form unix:PATH", esc);
	if (strncmp(n->str, "unix:", 5) != 0)
		return load_fail(l, n, key, "'%s': only unix:PATH is supported", esc);
	path = n->str + 5;
	if (path[0] != '/')
		return load_fail(l, n, key, "'%s': the path must be absolute", esc);
	for (const char *p = path; *p; p++)
		if (*p <= ' ' || *p >= 0x7f)
			return load_fail(l, n, key,
					 "'%s': the path may hold printable ASCII only, no spaces",
					 esc);
	if (strlen(n->str) > TOPOLOGY_OVSDB_MAX)
		return load_fail(l, n, key, "'%s': the path is over %d bytes", esc,
				 TOPOLOGY_OVSDB_MAX - 5);
	strcpy(dst, n->str);
	return 0;
}

/*
 * Without "name:", the base name of the label without its extension:
 * "examples/red.yaml" gives "red".
 */
static int top_finish(struct loader *l, const struct ynode *where, const struct ynode *v,
		      const char *key, void *obj)
{
	struct topology *t = obj;
	const char *base = strrchr(l->file, '/');
	const char *dot;
	char name[TOPOLOGY_NAME_MAX + 2];
	struct error e = {0};
	size_t len;

	if (!t->ovsdb[0])
		strcpy(t->ovsdb, TOPOLOGY_OVSDB_DEFAULT);
	if (t->name[0])
		return 0;
	base = base ? base + 1 : l->file;
	dot = strrchr(base, '.');
	len = dot && dot != base ? (size_t)(dot - base) : strlen(base);
	if (len >= sizeof(name))
		len = sizeof(name) - 1;
	memcpy(name, base, len);
	name[len] = '\0';
	if (name_topology_check(name, &e) < 0)
		return topology_error(l->err, l->file, where->pos, "name",
				      "no 'name' given and the file name gives none: %s", e.msg);
	strcpy(t->name, name);
	return 0;
}

#define TOP(m) offsetof(struct topology, m)

static const struct collection bridges = {
	.what = "bridges",
	.type = YNODE_MAP,
	.max = TOPOLOGY_BRIDGES_MAX,
	.size = sizeof(struct topology_bridge),
	.items = TOP(bridges),
	.count = TOP(n_bridges),
	.shape = &bridge_shape,
	.name = load_ifname,
	.name_dst = offsetof(struct topology_bridge, name),
	.name_pos = offsetof(struct topology_bridge, pos),
};

static const struct collection namespaces = {
	.what = "namespaces",
	.type = YNODE_MAP,
	.max = TOPOLOGY_NAMESPACES_MAX,
	.size = sizeof(struct topology_ns),
	.items = TOP(namespaces),
	.count = TOP(n_namespaces),
	.shape = &ns_shape,
	.name = load_nsname,
	.name_dst = offsetof(struct topology_ns, name),
	.name_pos = offsetof(struct topology_ns, pos),
};

static const struct collection forwards = {
	.what = "forwards",
	.type = YNODE_SEQ,
	.max = TOPOLOGY_FORWARDS_MAX,
	.size = sizeof(struct topology_forward),
	.items = TOP(forwards),
	.count = TOP(n_forwards),
	.shape = &load_forward_shape,
	.item_pos = LOAD_AT(struct topology_forward, pos),
};

static const struct collection checks = {
	.what = "checks",
	.type = YNODE_SEQ,
	.max = TOPOLOGY_CHECKS_MAX,
	.size = sizeof(struct topology_probe),
	.items = TOP(checks),
	.count = TOP(n_checks),
	.shape = &load_probe_shape,
	.item_pos = LOAD_AT(struct topology_probe, pos),
};

static const struct field top_fields[] = {
	{"name", load_topname, TOP(name)},
	{"bridges", load_collection, 0, &bridges},
	{"namespaces", load_collection, 0, &namespaces},
	{"forwards", load_collection, 0, &forwards},
	{"checks", load_collection, 0, &checks},
	{"ovsdb", load_ovsdb, TOP(ovsdb), .pos = LOAD_AT(struct topology, ovsdb_pos)},
};

static const struct shape *const top_children[] = {&bridge_shape, &ns_shape, &load_forward_shape,
						   &load_probe_shape, NULL};

const struct shape load_top_shape = {
	.what = "the top level",
	.noun = "top level",
	.under = "at the top level",
	.fields = top_fields,
	.n_fields = ARRAY_SIZE(top_fields),
	.finish = top_finish,
	.children = top_children,
};

int topology_load(const char *file, const struct ynode *root, struct topology *t, struct error *err)
{
	struct loader l = {.file = file, .err = err};

	if (root->type != YNODE_MAP)
		return load_fail(&l, root, NULL, "the top level must be a mapping, got %s",
				 ynode_type_name(root));
	return load_object(&l, &load_top_shape, root, root, "", t);
}
