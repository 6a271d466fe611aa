// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The YAML tree into the model: one function per object, each refusing
 * unknown and duplicate keys, wrong node types, values that do not parse and
 * counts over the caps, with the position and key path of the culprit.
 * Relations between objects are topology-check.c's business.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "topology.h"

#define KEY_MAX 512

struct loader {
	const char *file;
	struct error *err;
};

static int fail(struct loader *l, const struct topology_ynode *n, const char *key, const char *fmt,
		...) _printf_(4, 5);

static int fail(struct loader *l, const struct topology_ynode *n, const char *key, const char *fmt,
		...)
{
	char reason[ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	return topology_error(l->err, l->file, n->pos, key, "%s", reason);
}

/* Turns an error from a helper (name.h, inet.h) into a located one. */
static int fail_from(struct loader *l, const struct topology_ynode *n, const char *key,
		     const struct error *e)
{
	return topology_error(l->err, l->file, n->pos, key, "%s", e->msg);
}

/* Appends to a key path, truncating at KEY_MAX (names are capped far below it). */
static void key_append(char *out, size_t *o, const char *s)
{
	for (; *s && *o + 1 < KEY_MAX; s++)
		out[(*o)++] = *s;
	out[*o] = '\0';
}

static void key_join(char *out, const char *parent, const char *child)
{
	size_t o = 0;

	out[0] = '\0';
	key_append(out, &o, parent);
	if (*parent)
		key_append(out, &o, ".");
	key_append(out, &o, child);
}

static void key_index(char *out, const char *parent, size_t i)
{
	char idx[24];
	size_t o = 0;

	snprintf(idx, sizeof(idx), "[%zu]", i);
	out[0] = '\0';
	key_append(out, &o, parent);
	key_append(out, &o, idx);
}

static const char *type_name(const struct topology_ynode *n)
{
	switch (n->type) {
	case TOPOLOGY_Y_MAP:
		return "a mapping";
	case TOPOLOGY_Y_SEQ:
		return "a sequence";
	default:
		return n->str[0] || !n->plain ? "a scalar" : "nothing";
	}
}

/* An empty value ("key:" with nothing after it), which YAML reads as null. */
static bool is_null(const struct topology_ynode *n)
{
	return n->type == TOPOLOGY_Y_SCALAR && n->plain &&
	       (!n->str[0] || strcmp(n->str, "~") == 0 || strcmp(n->str, "null") == 0);
}

static int expect(struct loader *l, const struct topology_ynode *n, const char *key,
		  enum topology_ynode_type t)
{
	static const char *const want[] = {
		[TOPOLOGY_Y_SCALAR] = "a scalar",
		[TOPOLOGY_Y_MAP] = "a mapping",
		[TOPOLOGY_Y_SEQ] = "a sequence",
	};

	if (n->type == t && !(t == TOPOLOGY_Y_SCALAR && is_null(n)))
		return 0;
	return fail(l, n, key, "expected %s, got %s", want[t], type_name(n));
}

/*
 * Keys of a fixed-shape mapping: each must be one of allowed[] (NULL-ended,
 * at most 16) and appear once. Linear in the mapping's size, whatever it is.
 */
static int check_keys(struct loader *l, const struct topology_ynode *map, const char *key,
		      const char *const *allowed)
{
	const struct topology_ynode *seen[16] = {0};
	char k[KEY_MAX];

	for (size_t i = 0; i < map->n_kids; i += 2) {
		const struct topology_ynode *kn = map->kids[i];
		size_t j;

		key_join(k, key, kn->str);
		for (j = 0; allowed[j]; j++)
			if (strcmp(kn->str, allowed[j]) == 0)
				break;
		if (!allowed[j])
			return fail(l, kn, k, "unknown key");
		if (seen[j])
			return fail(l, kn, k, "duplicate key (first at %u:%u)", seen[j]->pos.line,
				    seen[j]->pos.col);
		seen[j] = kn;
	}
	return 0;
}

/*
 * Keys of a mapping keyed by object names: counted against the cap first, so
 * the quadratic duplicate search stays bounded.
 */
static int cmp_pos(const struct topology_ynode *a, const struct topology_ynode *b)
{
	if (a->pos.line != b->pos.line)
		return a->pos.line < b->pos.line ? -1 : 1;
	return (a->pos.col > b->pos.col) - (a->pos.col < b->pos.col);
}

static int cmp_key(const void *x, const void *y)
{
	const struct topology_ynode *const *a = x, *const *b = y;
	int d = strcmp((*a)->str, (*b)->str);

	/* Equal keys in file order. */
	return d ? d : cmp_pos(*a, *b);
}

/*
 * The first key (in file order) that repeats an earlier one, reported with
 * where that one is. Sorted, not compared pairwise: a map of 4096 namespaces
 * would take 8 million comparisons.
 */
static int check_duplicates(struct loader *l, const struct topology_ynode *map, const char *key)
{
	_cleanup_free_ const struct topology_ynode **v = NULL;
	const struct topology_ynode *dup = NULL, *first = NULL;
	size_t n = map->n_kids / 2;
	char k[KEY_MAX];

	if (n < 2)
		return 0;
	v = malloc(n * sizeof(*v));
	if (!v)
		return error_set(l->err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++)
		v[i] = map->kids[2 * i];
	qsort(v, n, sizeof(*v), cmp_key);
	for (size_t i = 1; i < n; i++) {
		if (strcmp(v[i]->str, v[i - 1]->str) != 0)
			continue;
		/* v[i] is the second of its run: compare with the best so far. */
		if (i >= 2 && strcmp(v[i - 2]->str, v[i]->str) == 0)
			continue;
		if (!dup || cmp_pos(v[i], dup) < 0) {
			dup = v[i];
			first = v[i - 1];
		}
	}
	if (!dup)
		return 0;
	key_join(k, key, dup->str);
	return fail(l, dup, k, "duplicate key (first at %u:%u)", first->pos.line, first->pos.col);
}

static int check_names(struct loader *l, const struct topology_ynode *map, const char *key,
		       const char *what, size_t max)
{
	char k[KEY_MAX];

	if (map->n_kids / 2 > max) {
		const struct topology_ynode *kn = map->kids[max * 2];

		key_join(k, key, kn->str);
		return fail(l, kn, k, "too many %s (at most %zu)", what, max);
	}
	return check_duplicates(l, map, key);
}

static const struct topology_ynode *map_get(const struct topology_ynode *map, const char *name)
{
	for (size_t i = 0; i < map->n_kids; i += 2)
		if (strcmp(map->kids[i]->str, name) == 0)
			return map->kids[i + 1];
	return NULL;
}

static int load_bool(struct loader *l, const struct topology_ynode *n, const char *key, bool *ret)
{
	if (n->type == TOPOLOGY_Y_SCALAR && n->plain && strcmp(n->str, "true") == 0)
		*ret = true;
	else if (n->type == TOPOLOGY_Y_SCALAR && n->plain && strcmp(n->str, "false") == 0)
		*ret = false;
	else
		return fail(l, n, key, "expected true or false");
	return 0;
}

/* A decimal number, unquoted, at most 10 digits so it cannot overflow. */
static bool parse_uint(const char *s, size_t n, uint64_t *ret)
{
	uint64_t v = 0;

	if (n == 0 || n > 10)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*ret = v;
	return true;
}

static int load_mtu(struct loader *l, const struct topology_ynode *n, const char *key,
		    uint32_t *ret)
{
	uint64_t v;

	if (n->type != TOPOLOGY_Y_SCALAR || !n->plain || !parse_uint(n->str, strlen(n->str), &v))
		return fail(l, n, key, "expected an integer");
	if (v < TOPOLOGY_MTU_MIN || v > TOPOLOGY_MTU_MAX)
		return fail(l, n, key, "MTU %llu out of range (%d to %d)", (unsigned long long)v,
			    TOPOLOGY_MTU_MIN, TOPOLOGY_MTU_MAX);
	*ret = (uint32_t)v;
	return 0;
}

static int load_ifname(struct loader *l, const struct topology_ynode *n, const char *key, char *out)
{
	struct error e = {0};
	int r;

	r = expect(l, n, key, TOPOLOGY_Y_SCALAR);
	if (r < 0)
		return r;
	if (name_ifname_check(n->str, &e) < 0)
		return fail_from(l, n, key, &e);
	strcpy(out, n->str); /* checked: at most IFNAME_MAX bytes */
	return 0;
}

/* name: n's text, or a part of it. */
static int load_nsname(struct loader *l, const struct topology_ynode *n, const char *name,
		       const char *key, char *out)
{
	struct error e = {0};

	if (name_netns_check(name, &e) < 0)
		return fail_from(l, n, key, &e);
	strcpy(out, name); /* checked: at most NETNS_NAME_MAX bytes */
	return 0;
}

static int load_addr_one(struct loader *l, const struct topology_ynode *n, const char *key,
			 struct topology_addr *ret)
{
	struct error e = {0};
	int r;

	r = expect(l, n, key, TOPOLOGY_Y_SCALAR);
	if (r < 0)
		return r;
	if (!strchr(n->str, '/'))
		return fail(l, n, key, "'%s' lacks a prefix length (as in 192.168.15.1/24)",
			    n->str);
	if (inet_prefix_parse(n->str, &ret->prefix, &e) < 0)
		return fail_from(l, n, key, &e);
	ret->pos = n->pos;
	return 0;
}

/* "address: CIDR" or "addresses: [CIDR, ...]", not both. */
static int load_addrs(struct loader *l, const struct topology_ynode *map, const char *key,
		      struct topology_addr *addrs, size_t *n_addrs, bool *listed)
{
	const struct topology_ynode *one = map_get(map, "address"),
				    *list = map_get(map, "addresses");
	char k[KEY_MAX], ki[KEY_MAX];
	int r;

	if (one && list) {
		key_join(k, key, "addresses");
		return fail(l, list, k, "give either 'address' or 'addresses', not both");
	}
	if (one) {
		key_join(k, key, "address");
		*n_addrs = 1;
		return load_addr_one(l, one, k, &addrs[0]);
	}
	if (!list)
		return 0;
	key_join(k, key, "addresses");
	*listed = true;
	r = expect(l, list, k, TOPOLOGY_Y_SEQ);
	if (r < 0)
		return r;
	if (list->n_kids > TOPOLOGY_ADDRS_MAX)
		return fail(l, list->kids[TOPOLOGY_ADDRS_MAX], k, "too many addresses (at most %d)",
			    TOPOLOGY_ADDRS_MAX);
	for (size_t i = 0; i < list->n_kids; i++) {
		key_index(ki, k, i);
		r = load_addr_one(l, list->kids[i], ki, &addrs[i]);
		if (r < 0)
			return r;
	}
	*n_addrs = list->n_kids;
	return 0;
}

static int load_bridge(struct loader *l, const struct topology_ynode *kn,
		       const struct topology_ynode *v, const char *key, struct topology_bridge *b)
{
	static const char *const keys[] = {"address", "addresses", "nat", "mtu", NULL};
	const struct topology_ynode *n;
	char k[KEY_MAX];
	int r;

	r = load_ifname(l, kn, key, b->name);
	if (r < 0)
		return r;
	b->pos = kn->pos;
	if (is_null(v))
		return 0;
	r = expect(l, v, key, TOPOLOGY_Y_MAP);
	if (r < 0)
		return r;
	r = check_keys(l, v, key, keys);
	if (r < 0)
		return r;
	r = load_addrs(l, v, key, b->addrs, &b->n_addrs, &b->addrs_listed);
	if (r < 0)
		return r;
	if ((n = map_get(v, "nat"))) {
		key_join(k, key, "nat");
		r = load_bool(l, n, k, &b->nat);
		if (r < 0)
			return r;
	}
	if ((n = map_get(v, "mtu"))) {
		key_join(k, key, "mtu");
		r = load_mtu(l, n, k, &b->mtu);
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

	r = expect(l, n, key, TOPOLOGY_Y_SCALAR);
	if (r < 0)
		return r;
	slash = strchr(n->str, '/');
	if (!slash)
		return fail(l, n, key, "'%s' is not NAMESPACE/INTERFACE", n->str);
	len = (size_t)(slash - n->str);
	if (len >= sizeof(ns))
		len = sizeof(ns) - 1; /* still too long for the check below to pass */
	memcpy(ns, n->str, len);
	ns[len] = '\0';
	if (name_netns_check(ns, &e) < 0 || name_ifname_check(slash + 1, &e) < 0)
		return fail_from(l, n, key, &e);
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

	r = load_ifname(l, kn, key, i->name);
	if (r < 0)
		return r;
	i->pos = kn->pos;
	i->peer_iface_idx = SIZE_MAX;
	r = expect(l, v, key, TOPOLOGY_Y_MAP);
	if (r < 0)
		return r;
	r = check_keys(l, v, key, keys);
	if (r < 0)
		return r;
	br = map_get(v, "bridge");
	peer = map_get(v, "peer");
	he = map_get(v, "host-end");
	if (br && peer) {
		key_join(k, key, "peer");
		return fail(l, peer, k, "give either 'bridge' or 'peer', not both");
	}
	if (!br && !peer)
		return fail(l, kn, key, "needs 'bridge' or 'peer'");
	if (br) {
		i->link = TOPOLOGY_LINK_BRIDGE;
		i->link_pos = br->pos;
		key_join(k, key, "bridge");
		r = load_ifname(l, br, k, i->bridge);
		if (r < 0)
			return r;
		if (he) {
			key_join(k, key, "host-end");
			r = load_ifname(l, he, k, i->host_end);
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
			key_join(k, key, "host-end");
			return fail(l, he, k, "only an interface on a bridge has a host end");
		}
		i->link = TOPOLOGY_LINK_PEER;
		i->link_pos = peer->pos;
		key_join(k, key, "peer");
		r = load_peer(l, peer, k, i);
		if (r < 0)
			return r;
	}
	r = load_addrs(l, v, key, i->addrs, &i->n_addrs, &i->addrs_listed);
	if (r < 0)
		return r;
	if ((n = map_get(v, "mtu"))) {
		key_join(k, key, "mtu");
		r = load_mtu(l, n, k, &i->mtu);
		if (r < 0)
			return r;
	}
	if ((n = map_get(v, "mac"))) {
		struct error e = {0};

		key_join(k, key, "mac");
		r = expect(l, n, k, TOPOLOGY_Y_SCALAR);
		if (r < 0)
			return r;
		if (mac_parse(n->str, i->mac, &e) < 0)
			return fail_from(l, n, k, &e);
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
	r = expect(l, v, key, TOPOLOGY_Y_MAP);
	if (r < 0)
		return r;
	r = check_keys(l, v, key, keys);
	if (r < 0)
		return r;
	to = map_get(v, "to");
	via = map_get(v, "via");
	dev = map_get(v, "dev");
	if (!to)
		return fail(l, v, key, "needs 'to'");
	if (!via && !dev)
		return fail(l, v, key, "needs 'via' or 'dev'");
	if (via) {
		key_join(k, key, "via");
		r = expect(l, via, k, TOPOLOGY_Y_SCALAR);
		if (r < 0)
			return r;
		if (inet_addr_parse(via->str, &rt->via, &e) < 0)
			return fail_from(l, via, k, &e);
		rt->has_via = true;
		rt->via_pos = via->pos;
	}
	if (dev) {
		key_join(k, key, "dev");
		r = load_ifname(l, dev, k, rt->dev);
		if (r < 0)
			return r;
		rt->dev_pos = dev->pos;
	}
	key_join(k, key, "to");
	r = expect(l, to, k, TOPOLOGY_Y_SCALAR);
	if (r < 0)
		return r;
	if (inet_route_dst_parse(to->str, rt->has_via ? rt->via.family : 0, &rt->to, &e) < 0)
		return fail_from(l, to, k, &e);
	if (rt->has_via && rt->to.addr.family != rt->via.family) {
		key_join(k, key, "via");
		return fail(l, via, k, "'%s' is not of the family of 'to'", via->str);
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

	r = load_nsname(l, kn, kn->str, key, ns->name);
	if (r < 0)
		return r;
	ns->pos = kn->pos;
	if (is_null(v))
		return 0;
	r = expect(l, v, key, TOPOLOGY_Y_MAP);
	if (r < 0)
		return r;
	r = check_keys(l, v, key, keys);
	if (r < 0)
		return r;
	ifs = map_get(v, "interfaces");
	if (ifs && !is_null(ifs)) {
		key_join(k, key, "interfaces");
		r = expect(l, ifs, k, TOPOLOGY_Y_MAP);
		if (r < 0)
			return r;
		r = check_names(l, ifs, k, "interfaces", TOPOLOGY_IFACES_MAX);
		if (r < 0)
			return r;
		ns->ifaces = calloc(ifs->n_kids / 2 + 1, sizeof(*ns->ifaces));
		if (!ns->ifaces)
			return error_set(l->err, -ENOMEM, "out of memory");
		for (size_t i = 0; i < ifs->n_kids; i += 2) {
			key_join(ki, k, ifs->kids[i]->str);
			r = load_iface(l, ns->name, ifs->kids[i], ifs->kids[i + 1], ki,
				       &ns->ifaces[ns->n_ifaces++]);
			if (r < 0)
				return r;
		}
	}
	rts = map_get(v, "routes");
	if (rts && !is_null(rts)) {
		key_join(k, key, "routes");
		r = expect(l, rts, k, TOPOLOGY_Y_SEQ);
		if (r < 0)
			return r;
		if (rts->n_kids > TOPOLOGY_ROUTES_MAX)
			return fail(l, rts->kids[TOPOLOGY_ROUTES_MAX], k,
				    "too many routes (at most %d)", TOPOLOGY_ROUTES_MAX);
		ns->routes = calloc(rts->n_kids + 1, sizeof(*ns->routes));
		if (!ns->routes)
			return error_set(l->err, -ENOMEM, "out of memory");
		for (size_t i = 0; i < rts->n_kids; i++) {
			key_index(ki, k, i);
			r = load_route(l, rts->kids[i], ki, &ns->routes[ns->n_routes++]);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

/* "80" or "8000-8010", each end 1 to 65535. */
static int parse_ports(struct loader *l, const struct topology_ynode *n, const char *key,
		       uint16_t *lo, uint16_t *hi)
{
	const char *dash = strchr(n->str, '-');
	size_t len = dash ? (size_t)(dash - n->str) : strlen(n->str);
	uint64_t a, b;

	if (n->type != TOPOLOGY_Y_SCALAR || !parse_uint(n->str, len, &a) ||
	    (dash && !parse_uint(dash + 1, strlen(dash + 1), &b)))
		return fail(l, n, key, "'%s' is not a port or a port range (as in 8000-8010)",
			    n->type == TOPOLOGY_Y_SCALAR ? n->str : "");
	if (!dash)
		b = a;
	if (a < 1 || a > 65535 || b < 1 || b > 65535)
		return fail(l, n, key, "port out of range (1 to 65535)");
	if (a > b)
		return fail(l, n, key, "range start %llu is above its end %llu",
			    (unsigned long long)a, (unsigned long long)b);
	*lo = (uint16_t)a;
	*hi = (uint16_t)b;
	return 0;
}

/* "ADDR:PORT[-PORT]", "[ADDR6]:PORT[-PORT]" or "NS:PORT[-PORT]". */
static int load_target(struct loader *l, const struct topology_ynode *n, const char *key,
		       struct topology_forward *f)
{
	const char *s = n->str, *host = s, *colon;
	char h[INET_STR_MAX + 8];
	size_t hlen;
	struct topology_ynode port = *n;
	int r;

	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (!close || close[1] != ':')
			return fail(l, n, key, "'%s' is not [ADDRESS]:PORT", s);
		host = s + 1;
		hlen = (size_t)(close - host);
		colon = close + 1;
	} else {
		colon = strrchr(s, ':');
		if (!colon)
			return fail(l, n, key, "'%s' is not ADDRESS:PORT or NAMESPACE:PORT", s);
		hlen = (size_t)(colon - s);
	}
	if (hlen == 0 || hlen >= sizeof(h))
		return fail(l, n, key, "'%s' is not ADDRESS:PORT or NAMESPACE:PORT", s);
	memcpy(h, host, hlen);
	h[hlen] = '\0';
	port.str = (char *)colon + 1;
	port.plain = true;
	r = parse_ports(l, &port, key, &f->to_port_lo, &f->to_port_hi);
	if (r < 0)
		return r;
	if (inet_addr_parse(h, &f->to, NULL) < 0) {
		if (s[0] == '[' || strchr(h, ':'))
			return fail(l, n, key, "'%s' is not an IPv4 or IPv6 address", h);
		r = load_nsname(l, n, h, key, f->to_ns);
		if (r < 0)
			return r;
	}
	return 0;
}

static int load_forward(struct loader *l, const struct topology_ynode *v, const char *key,
			struct topology_forward *f)
{
	static const char *const keys[] = {"port", "to", "protocol", "host-address", NULL};
	const struct topology_ynode *port, *to, *proto, *ha;
	struct error e = {0};
	char k[KEY_MAX];
	unsigned span, to_span;
	int r;

	f->pos = v->pos;
	r = expect(l, v, key, TOPOLOGY_Y_MAP);
	if (r < 0)
		return r;
	r = check_keys(l, v, key, keys);
	if (r < 0)
		return r;
	port = map_get(v, "port");
	to = map_get(v, "to");
	proto = map_get(v, "protocol");
	ha = map_get(v, "host-address");
	if (!port || !to)
		return fail(l, v, key, "needs 'port' and 'to'");
	if (proto) {
		key_join(k, key, "protocol");
		if (proto->type == TOPOLOGY_Y_SCALAR && strcmp(proto->str, "tcp") == 0)
			f->proto = TOPOLOGY_PROTO_TCP;
		else if (proto->type == TOPOLOGY_Y_SCALAR && strcmp(proto->str, "udp") == 0)
			f->proto = TOPOLOGY_PROTO_UDP;
		else
			return fail(l, proto, k, "expected tcp or udp");
	}
	key_join(k, key, "port");
	r = parse_ports(l, port, k, &f->port_lo, &f->port_hi);
	if (r < 0)
		return r;
	f->port_pos = port->pos;
	key_join(k, key, "to");
	r = expect(l, to, k, TOPOLOGY_Y_SCALAR);
	if (r < 0)
		return r;
	r = load_target(l, to, k, f);
	if (r < 0)
		return r;
	f->to_pos = to->pos;
	span = (unsigned)(f->port_hi - f->port_lo);
	to_span = (unsigned)(f->to_port_hi - f->to_port_lo);
	/* One target port stands for the start of a range as large as the host's. */
	if (to_span == 0 && span > 0) {
		if (f->to_port_lo + span > 65535)
			return fail(l, to, k, "target range would end past port 65535");
		f->to_port_hi = (uint16_t)(f->to_port_lo + span);
	} else if (to_span != span) {
		return fail(l, to, k, "range sizes differ (%u host ports, %u target ports)",
			    span + 1, to_span + 1);
	}
	if (ha) {
		key_join(k, key, "host-address");
		r = expect(l, ha, k, TOPOLOGY_Y_SCALAR);
		if (r < 0)
			return r;
		if (inet_addr_parse(ha->str, &f->host_addr, &e) < 0)
			return fail_from(l, ha, k, &e);
		f->has_host_addr = true;
	}
	return 0;
}

/* One entry of "checks:": {from: NS, to: ADDRESS, port: N, expect: reach|blocked}. */
static int load_probe(struct loader *l, const struct topology_ynode *v, const char *key,
		      struct topology_probe *p)
{
	static const char *const keys[] = {"from", "to", "port", "expect", NULL};
	const struct topology_ynode *from, *to, *port, *exp;
	struct error e = {0};
	char k[KEY_MAX];
	uint16_t hi;
	int r;

	p->pos = v->pos;
	r = expect(l, v, key, TOPOLOGY_Y_MAP);
	if (r < 0)
		return r;
	r = check_keys(l, v, key, keys);
	if (r < 0)
		return r;
	from = map_get(v, "from");
	to = map_get(v, "to");
	port = map_get(v, "port");
	exp = map_get(v, "expect");
	if (!from || !to)
		return fail(l, v, key, "needs 'from' and 'to'");
	key_join(k, key, "from");
	r = expect(l, from, k, TOPOLOGY_Y_SCALAR);
	if (r < 0)
		return r;
	r = load_nsname(l, from, from->str, k, p->from);
	if (r < 0)
		return r;
	p->from_pos = from->pos;
	key_join(k, key, "to");
	r = expect(l, to, k, TOPOLOGY_Y_SCALAR);
	if (r < 0)
		return r;
	if (inet_addr_parse(to->str, &p->to, &e) < 0)
		return fail_from(l, to, k, &e);
	if (port) {
		key_join(k, key, "port");
		r = parse_ports(l, port, k, &p->port, &hi);
		if (r < 0)
			return r;
		if (hi != p->port)
			return fail(l, port, k, "one port, not a range");
	}
	if (exp) {
		key_join(k, key, "expect");
		if (exp->type == TOPOLOGY_Y_SCALAR && strcmp(exp->str, "blocked") == 0)
			p->blocked = true;
		else if (!(exp->type == TOPOLOGY_Y_SCALAR && strcmp(exp->str, "reach") == 0))
			return fail(l, exp, k, "expected reach or blocked");
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

int topology_load(const char *file, const struct topology_ynode *root, struct topology *t,
		  struct error *err)
{
	static const char *const keys[] = {"name",     "bridges", "namespaces",
					   "forwards", "checks",  NULL};
	struct loader l = {.file = file, .err = err};
	const struct topology_ynode *n;
	char k[KEY_MAX];
	int r;

	if (root->type != TOPOLOGY_Y_MAP)
		return fail(&l, root, NULL, "the top level must be a mapping, got %s",
			    type_name(root));
	r = check_keys(&l, root, "", keys);
	if (r < 0)
		return r;
	if ((n = map_get(root, "name"))) {
		r = expect(&l, n, "name", TOPOLOGY_Y_SCALAR);
		if (r < 0)
			return r;
		r = load_nsname(&l, n, n->str, "name", t->name);
	} else {
		r = load_default_name(&l, root, t);
	}
	if (r < 0)
		return r;

	if ((n = map_get(root, "bridges")) && !is_null(n)) {
		r = expect(&l, n, "bridges", TOPOLOGY_Y_MAP);
		if (r < 0)
			return r;
		r = check_names(&l, n, "bridges", "bridges", TOPOLOGY_BRIDGES_MAX);
		if (r < 0)
			return r;
		t->bridges = calloc(n->n_kids / 2 + 1, sizeof(*t->bridges));
		if (!t->bridges)
			return error_set(err, -ENOMEM, "out of memory");
		for (size_t i = 0; i < n->n_kids; i += 2) {
			key_join(k, "bridges", n->kids[i]->str);
			r = load_bridge(&l, n->kids[i], n->kids[i + 1], k,
					&t->bridges[t->n_bridges++]);
			if (r < 0)
				return r;
		}
	}
	if ((n = map_get(root, "namespaces")) && !is_null(n)) {
		r = expect(&l, n, "namespaces", TOPOLOGY_Y_MAP);
		if (r < 0)
			return r;
		r = check_names(&l, n, "namespaces", "namespaces", TOPOLOGY_NAMESPACES_MAX);
		if (r < 0)
			return r;
		t->namespaces = calloc(n->n_kids / 2 + 1, sizeof(*t->namespaces));
		if (!t->namespaces)
			return error_set(err, -ENOMEM, "out of memory");
		for (size_t i = 0; i < n->n_kids; i += 2) {
			key_join(k, "namespaces", n->kids[i]->str);
			r = load_ns(&l, n->kids[i], n->kids[i + 1], k,
				    &t->namespaces[t->n_namespaces++]);
			if (r < 0)
				return r;
		}
	}
	if ((n = map_get(root, "forwards")) && !is_null(n)) {
		r = expect(&l, n, "forwards", TOPOLOGY_Y_SEQ);
		if (r < 0)
			return r;
		if (n->n_kids > TOPOLOGY_FORWARDS_MAX)
			return fail(&l, n->kids[TOPOLOGY_FORWARDS_MAX], "forwards",
				    "too many forwards (at most %d)", TOPOLOGY_FORWARDS_MAX);
		t->forwards = calloc(n->n_kids + 1, sizeof(*t->forwards));
		if (!t->forwards)
			return error_set(err, -ENOMEM, "out of memory");
		for (size_t i = 0; i < n->n_kids; i++) {
			key_index(k, "forwards", i);
			r = load_forward(&l, n->kids[i], k, &t->forwards[t->n_forwards++]);
			if (r < 0)
				return r;
		}
	}
	if ((n = map_get(root, "checks")) && !is_null(n)) {
		r = expect(&l, n, "checks", TOPOLOGY_Y_SEQ);
		if (r < 0)
			return r;
		if (n->n_kids > TOPOLOGY_CHECKS_MAX)
			return fail(&l, n->kids[TOPOLOGY_CHECKS_MAX], "checks",
				    "too many checks (at most %d)", TOPOLOGY_CHECKS_MAX);
		t->checks = calloc(n->n_kids + 1, sizeof(*t->checks));
		if (!t->checks)
			return error_set(err, -ENOMEM, "out of memory");
		for (size_t i = 0; i < n->n_kids; i++) {
			key_index(k, "checks", i);
			r = load_probe(&l, n->kids[i], k, &t->checks[t->n_checks++]);
			if (r < 0)
				return r;
		}
	}
	return 0;
}
