// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The probes of `nsnet check`, from the topology model.
 *
 * Every address of a namespace interface is an endpoint on a segment: its
 * bridge, or its cable. Endpoints of one segment in one subnet reach each
 * other directly; a bridge's own addresses are the gateways of its members.
 * A namespace reaches one on another segment when both route to each other
 * through gateways of this topology (the host forwards between its bridges;
 * nsnet's forward chain only drops traffic arriving from other topologies),
 * or through a namespace of the topology that sits on both segments: a
 * router (which must forward: `forwarding: true`). Longer paths, over
 * several routers, are not guessed at: they belong in the file's "checks:".
 */
#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "macro.h"

struct endpoint {
	size_t ns;
	size_t seg; /* bridge index, or n_bridges + a cable number */
	size_t pos; /* among its segment's endpoints */
	const struct topology_addr *addr;
};

struct builder {
	const struct topology *t;
	struct check_list *l;
	struct endpoint *ep;
	size_t n_ep;
	struct error *err;
};

static struct check_probe *probe_add(struct builder *b, enum check_kind kind, const char *from,
				     const char *target, const struct inet_addr *to)
{
	struct check_list *l = b->l;
	struct check_probe *p;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct check_probe *v = realloc(l->v, cap * sizeof(*v));

		if (!v) {
			error_set(b->err, -ENOMEM, "out of memory");
			return NULL;
		}
		l->v = v;
		l->cap = cap;
	}
	p = &l->v[l->n++];
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->proto = CHECK_ICMP;
	snprintf(p->from, sizeof(p->from), "%s", from);
	snprintf(p->target, sizeof(p->target), "%s", target);
	p->to = *to;
	return p;
}

/* Cables get a segment number of their own, the same seen from either end. */
static size_t cable_seg(const struct topology *t, size_t ns, size_t iface)
{
	const struct topology_iface *i = &t->namespaces[ns].ifaces[iface];
	size_t a = ns * TOPOLOGY_IFACES_MAX + iface, z;

	if (i->peer_iface_idx == SIZE_MAX)
		return t->n_bridges + a;
	z = i->peer_ns_idx * TOPOLOGY_IFACES_MAX + i->peer_iface_idx;
	return t->n_bridges + (a < z ? a : z);
}

static int endpoints_collect(struct builder *b)
{
	const struct topology *t = b->t;
	size_t n = 0;

	for (size_t s = 0; s < t->n_namespaces; s++)
		for (size_t i = 0; i < t->namespaces[s].n_ifaces; i++)
			n += t->namespaces[s].ifaces[i].n_addrs;
	b->ep = calloc(n + 1, sizeof(*b->ep));
	if (!b->ep)
		return error_set(b->err, -ENOMEM, "out of memory");
	for (size_t s = 0; s < t->n_namespaces; s++)
		for (size_t i = 0; i < t->namespaces[s].n_ifaces; i++) {
			const struct topology_iface *f = &t->namespaces[s].ifaces[i];
			size_t seg = f->link == TOPOLOGY_LINK_BRIDGE ? f->bridge_idx
								       : cable_seg(t, s, i);

			for (size_t a = 0; a < f->n_addrs; a++)
				b->ep[b->n_ep++] = (struct endpoint){s, seg, 0, &f->addrs[a]};
		}
	return 0;
}

static bool probed(const struct builder *b, const char *from, const struct inet_addr *to)
{
	/* Linear, but only over this source's probes: they are added source by source. */
	for (size_t k = b->l->n; k-- > 0;) {
		const struct check_probe *p = &b->l->v[k];

		if (strcmp(p->from, from) != 0)
			return false;
		if (inet_addr_equal(&p->to, to))
			return true;
	}
	return false;
}

/* The gateway a namespace uses for a destination: its longest matching route's via. */
static const struct topology_route *route_for(const struct topology_ns *ns,
					      const struct inet_addr *to)
{
	const struct topology_route *best = NULL;

	for (size_t r = 0; r < ns->n_routes; r++) {
		const struct topology_route *rt = &ns->routes[r];

		if (rt->to.addr.family != to->family || !inet_prefix_contains(&rt->to, to))
			continue;
		if (!best || rt->to.len > best->to.len)
			best = rt;
	}
	return best;
}

/* Whether via is a gateway address of a bridge ns is plugged into. */
static bool via_is_our_gateway(const struct builder *b, size_t ns, const struct inet_addr *via)
{
	for (size_t e = 0; e < b->n_ep; e++) {
		const struct topology_bridge *br;

		if (b->ep[e].ns != ns || b->ep[e].seg >= b->t->n_bridges)
			continue;
		br = &b->t->bridges[b->ep[e].seg];
		for (size_t a = 0; a < br->n_addrs; a++)
			if (inet_addr_equal(&br->addrs[a].prefix.addr, via))
				return true;
	}
	return false;
}

/*
 * One direction of a routed path: from's route toward to leads there, either
 * through one of our gateways (the host forwards between its bridges) or
 * through a router namespace of the topology on from's segment that has to
 * on one of its own segments, in a subnet of its own.
 */
static bool hop(const struct builder *b, const struct endpoint *from, const struct endpoint *to)
{
	const struct topology *t = b->t;
	const struct topology_route *go = route_for(&t->namespaces[from->ns], &to->addr->prefix.addr);
	size_t r = SIZE_MAX;

	if (!go || !go->has_via)
		return false;
	if (via_is_our_gateway(b, from->ns, &go->via))
		return to->seg < t->n_bridges && from->seg < t->n_bridges;
	/* The router: the namespace with the gateway's address on from's segment. */
	for (size_t k = 0; k < b->n_ep && r == SIZE_MAX; k++)
		if (b->ep[k].seg == from->seg && inet_addr_equal(&b->ep[k].addr->prefix.addr, &go->via))
			r = b->ep[k].ns;
	if (r == SIZE_MAX || r == from->ns || r == to->ns)
		return false;
	for (size_t k = 0; k < b->n_ep; k++) {
		const struct endpoint *e = &b->ep[k];

		if (e->ns == r && e->seg == to->seg &&
		    inet_prefix_contains(&e->addr->prefix, &to->addr->prefix.addr))
			return true;
	}
	return false;
}

/* from reaches to through the host or a router namespace: a route each way. */
static bool routed(const struct builder *b, const struct endpoint *from, const struct endpoint *to)
{
	return hop(b, from, to) && hop(b, to, from);
}

/*
 * Peers on a segment: a mesh, or for a large one a ring where each endpoint
 * probes the next of its segment (every port still sends and answers).
 */
static bool peer_wanted(const struct builder *b, size_t i, size_t j, size_t members)
{
	size_t d;

	if (members <= CHECK_MESH_MAX)
		return true;
	d = (b->ep[j].pos + members - b->ep[i].pos) % members;
	return d == 1;
}

static int add_ns_probes(struct builder *b, size_t s, const size_t *members)
{
	const struct topology *t = b->t;
	const char *from = t->namespaces[s].name;
	bool mesh_all = t->n_namespaces <= CHECK_MESH_MAX;

	for (size_t i = 0; i < b->n_ep; i++) {
		const struct endpoint *e = &b->ep[i];

		if (e->ns != s)
			continue;
		if (e->seg < t->n_bridges) {
			const struct topology_bridge *br = &t->bridges[e->seg];

			for (size_t a = 0; a < br->n_addrs; a++) {
				const struct inet_addr *g = &br->addrs[a].prefix.addr;

				if (!inet_prefix_contains(&e->addr->prefix, g) || probed(b, from, g))
					continue;
				if (!probe_add(b, CHECK_GATEWAY, from, br->name, g))
					return -ENOMEM;
			}
		}
		for (size_t j = 0; j < b->n_ep; j++) {
			const struct endpoint *o = &b->ep[j];
			const struct inet_addr *to = &o->addr->prefix.addr;
			enum check_kind kind;

			if (o->ns == s || to->family != e->addr->prefix.addr.family ||
			    probed(b, from, to))
				continue;
			if (o->seg == e->seg && inet_prefix_contains(&e->addr->prefix, to)) {
				if (!peer_wanted(b, i, j, members[e->seg]))
					continue;
				kind = CHECK_PEER;
			} else if (o->seg != e->seg && routed(b, e, o)) {
				/* Large topologies: one namespace per other bridge stands for it. */
				if (!mesh_all && j > 0 && b->ep[j - 1].seg == o->seg)
					continue;
				kind = CHECK_ROUTED;
			} else {
				continue;
			}
			if (!probe_add(b, kind, from, t->namespaces[o->ns].name, to))
				return -ENOMEM;
		}
	}
	return 0;
}

/*
 * The first address of a namespace in family af, or NULL; for IPv6 one beyond
 * link-local (which no other segment can reach: a probe of it proves nothing).
 */
static const struct inet_addr *first_addr(const struct topology_ns *ns, int af)
{
	for (size_t i = 0; i < ns->n_ifaces; i++)
		for (size_t a = 0; a < ns->ifaces[i].n_addrs; a++) {
			const struct inet_addr *x = &ns->ifaces[i].addrs[a].prefix.addr;

			if (x->family == af &&
			    (af == AF_INET || inet_addr_kind(x) != INET_KIND_LINK_LOCAL))
				return x;
		}
	return NULL;
}

/*
 * Isolation from topology o, in each family: one namespace of o stands for
 * it, and every namespace of ours with an address of that family probes it
 * and is probed by it.
 */
static int add_isolation(struct builder *b, const struct topology *o)
{
	static const int families[] = {AF_INET, AF_INET6};
	char name[sizeof(((struct check_probe *)0)->target)];

	for (size_t f = 0; f < ARRAY_SIZE(families); f++) {
		const struct topology_ns *rep = NULL;
		const struct inet_addr *rep_addr = NULL;

		for (size_t i = 0; i < o->n_namespaces && !rep_addr; i++)
			if ((rep_addr = first_addr(&o->namespaces[i], families[f])))
				rep = &o->namespaces[i];
		if (!rep)
			continue;
		snprintf(name, sizeof(name), "%s/%s", o->name, rep->name);
		for (size_t s = 0; s < b->t->n_namespaces; s++) {
			const struct topology_ns *ns = &b->t->namespaces[s];
			const struct inet_addr *mine = first_addr(ns, families[f]);
			struct check_probe *p;

			if (!mine)
				continue;
			p = probe_add(b, CHECK_ISOLATION, ns->name, name, rep_addr);
			if (!p)
				return -ENOMEM;
			p->expect_blocked = true;
			p = probe_add(b, CHECK_ISOLATION, rep->name, ns->name, mine);
			if (!p)
				return -ENOMEM;
			p->expect_blocked = true;
		}
	}
	return 0;
}

/*
 * Where the host sends a forward's probe to target to: the forward's own host
 * address, or an address of the bridge the target sits behind (any local
 * address matches the DNAT rule), or any bridge address of the family.
 */
static const struct inet_addr *forward_host_addr(const struct topology *t,
						 const struct topology_forward *f,
						 const struct inet_addr *to)
{
	const struct inet_addr *any = NULL;

	if (f->has_host_addr)
		return &f->host_addr;
	for (size_t i = 0; i < t->n_bridges; i++)
		for (size_t a = 0; a < t->bridges[i].n_addrs; a++) {
			const struct topology_addr *x = &t->bridges[i].addrs[a];

			if (x->prefix.addr.family != to->family)
				continue;
			if (inet_prefix_contains(&x->prefix, to))
				return &x->prefix.addr;
			if (!any)
				any = &x->prefix.addr;
		}
	return any;
}

static int add_forward(struct builder *b, const struct topology_forward *f,
		       const struct inet_addr *to)
{
	const struct topology *t = b->t;
	const struct inet_addr *host = forward_host_addr(t, f, to);
	const struct topology_ns *ns = topology_ns_with_addr(t, to);
	struct inet_addr none = {0};
	struct check_probe *p;

	p = probe_add(b, CHECK_FORWARD, "", ns ? ns->name : "", host ? host : &none);
	if (!p)
		return -ENOMEM;
	p->proto = f->proto == TOPOLOGY_PROTO_UDP ? CHECK_UDP : CHECK_TCP;
	p->port = f->port_lo;
	p->listen_addr = *to;
	p->listen_port = f->to_port_lo;
	if (ns)
		snprintf(p->listen_ns, sizeof(p->listen_ns), "%s", ns->name);
	if (!host) {
		p->result = CHECK_SKIPPED;
		snprintf(p->note, sizeof(p->note), "no host address of this family to probe");
	} else if (!ns) {
		p->result = CHECK_SKIPPED;
		snprintf(p->note, sizeof(p->note), "target is in no namespace");
	}
	return 0;
}

/* Every forward in every family it has a target of ("NS:PORT" may have two). */
static int add_forwards(struct builder *b)
{
	static const int families[] = {AF_INET, AF_INET6};

	for (size_t i = 0; i < b->t->n_forwards; i++)
		for (size_t k = 0; k < ARRAY_SIZE(families); k++) {
			const struct inet_addr *to =
				topology_forward_to(&b->t->forwards[i], families[k]);

			if (to && add_forward(b, &b->t->forwards[i], to) < 0)
				return -ENOMEM;
		}
	return 0;
}

static int add_file_checks(struct builder *b)
{
	for (size_t i = 0; i < b->t->n_checks; i++) {
		const struct topology_probe *c = &b->t->checks[i];
		const struct topology_ns *ns = topology_ns_with_addr(b->t, &c->to);
		char target[INET_STR_MAX];
		struct check_probe *p;

		inet_addr_format(&c->to, target, sizeof(target));
		p = probe_add(b, CHECK_FILE, c->from, ns ? ns->name : target, &c->to);
		if (!p)
			return -ENOMEM;
		p->expect_blocked = c->blocked;
		if (c->port) {
			p->proto = CHECK_TCP;
			p->port = c->port;
		}
	}
	return 0;
}

int check_list_build(const struct topology *t, const struct topology *const *others,
		     size_t n_others, struct check_list *ret, struct error *err)
{
	struct builder b = {.t = t, .l = ret, .err = err};
	_cleanup_free_ size_t *members = NULL;
	size_t n_segs = t->n_bridges + t->n_namespaces * TOPOLOGY_IFACES_MAX;
	int r;

	memset(ret, 0, sizeof(*ret));
	r = endpoints_collect(&b);
	if (r < 0)
		goto out;
	members = calloc(n_segs + 1, sizeof(*members));
	if (!members) {
		r = error_set(err, -ENOMEM, "out of memory");
		goto out;
	}
	for (size_t e = 0; e < b.n_ep; e++)
		b.ep[e].pos = members[b.ep[e].seg]++;
	for (size_t s = 0; s < n_segs; s++)
		if (members[s] > CHECK_MESH_MAX)
			ret->sampled = true;
	for (size_t s = 0; s < t->n_namespaces && r >= 0; s++)
		r = add_ns_probes(&b, s, members);
	for (size_t o = 0; o < n_others && r >= 0; o++)
		r = add_isolation(&b, others[o]);
	if (r >= 0)
		r = add_forwards(&b);
	if (r >= 0)
		r = add_file_checks(&b);
out:
	free(b.ep);
	if (r < 0)
		check_list_clear(ret);
	return r;
}

struct check_probe *check_list_add(struct check_list *l, const char *from, const char *target,
				   const struct inet_addr *to, struct error *err)
{
	struct builder b = {.l = l, .err = err};

	return probe_add(&b, CHECK_FILE, from, target, to);
}

struct check_probe *check_list_add_forwarding(struct check_list *l, const char *ifname,
					      const char *key, struct error *err)
{
	struct builder b = {.l = l, .err = err};
	struct inet_addr none = {0};
	struct check_probe *p = probe_add(&b, CHECK_FORWARDING, "", ifname, &none);

	if (!p)
		return NULL;
	p->proto = CHECK_SYSCTL;
	snprintf(p->key, sizeof(p->key), "%s", key);
	return p;
}

void check_list_clear(struct check_list *l)
{
	for (size_t i = 0; i < l->n_paths; i++)
		free(l->paths[i].path);
	free(l->paths);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

int check_list_path_add(struct check_list *l, const char *name, const char *path)
{
	struct check_path *nv = realloc(l->paths, (l->n_paths + 1) * sizeof(*nv));

	if (!nv)
		return -ENOMEM;
	l->paths = nv;
	snprintf(nv[l->n_paths].name, sizeof(nv->name), "%s", name);
	nv[l->n_paths].path = strdup(path);
	if (!nv[l->n_paths].path)
		return -ENOMEM;
	l->n_paths++;
	return 0;
}

const char *check_list_path(const struct check_list *l, const char *name)
{
	for (size_t i = 0; l && i < l->n_paths; i++)
		if (strcmp(l->paths[i].name, name) == 0)
			return l->paths[i].path;
	return NULL;
}

bool check_probe_ok(const struct check_probe *p)
{
	if (p->result == CHECK_SKIPPED)
		return true;
	if (p->result == CHECK_FAILED || p->result == CHECK_PENDING)
		return false;
	return (p->result == CHECK_REACHED) != p->expect_blocked;
}

const char *check_kind_name(enum check_kind k)
{
	static const char *const names[] = {
		[CHECK_GATEWAY] = "gateway", [CHECK_PEER] = "peer",	      [CHECK_ROUTED] = "routed",
		[CHECK_ISOLATION] = "isolation", [CHECK_FORWARD] = "forward", [CHECK_FILE] = "file",
		[CHECK_FORWARDING] = "forwarding",
	};
	return names[k];
}

const char *check_proto_name(enum check_proto p)
{
	return p == CHECK_TCP ? "tcp" : p == CHECK_UDP ? "udp" : p == CHECK_SYSCTL ? "sysctl" : "icmp";
}

const char *check_result_name(enum check_result r)
{
	static const char *const names[] = {
		[CHECK_PENDING] = "pending",	 [CHECK_REACHED] = "reached",
		[CHECK_NO_REPLY] = "no-reply",	 [CHECK_UNREACHABLE] = "unreachable",
		[CHECK_REFUSED] = "refused",	 [CHECK_SKIPPED] = "skipped",
		[CHECK_FAILED] = "failed",
	};
	return names[r];
}

void check_probe_describe(const struct check_probe *p, char *buf, size_t len)
{
	char to[INET_STR_MAX], listen[INET_STR_MAX];

	if (p->kind == CHECK_FORWARDING) {
		char key[sizeof(p->key)];

		snprintf(key, sizeof(key), "%s", p->key);
		for (char *c = key; *c && !strchr(p->target, '.'); c++)
			if (*c == '/')
				*c = '.';
		if (strcmp(p->target, "all") == 0)
			snprintf(buf, len, "host forwards IPv6 (%s = 1)", key);
		else
			snprintf(buf, len, "host forwards IPv6 arriving on '%s' (%s = 1)", p->target,
				 key);
		return;
	}
	inet_addr_format(&p->to, to, sizeof(to));
	if (p->kind == CHECK_FORWARD) {
		inet_addr_format(&p->listen_addr, listen, sizeof(listen));
		snprintf(buf, len, "host -> %s%s%s:%u %s => '%s' %s%s%s:%u",
			 p->to.family == AF_INET6 ? "[" : "", to, p->to.family == AF_INET6 ? "]" : "",
			 p->port, check_proto_name(p->proto), p->listen_ns,
			 p->listen_addr.family == AF_INET6 ? "[" : "", listen,
			 p->listen_addr.family == AF_INET6 ? "]" : "", p->listen_port);
		return;
	}
	if (strcmp(p->target, to) == 0) { /* an address outside the topology */
		char port[8] = "";

		if (p->port)
			snprintf(port, sizeof(port), ":%u", p->port);
		snprintf(buf, len, "'%s' -> %s%s%s%s %s%s", p->from[0] ? p->from : "host",
			 p->port && p->to.family == AF_INET6 ? "[" : "", to,
			 p->port && p->to.family == AF_INET6 ? "]" : "", port,
			 check_proto_name(p->proto), p->expect_blocked ? " (must be blocked)" : "");
	}
	else if (!p->from[0])
		snprintf(buf, len, "host -> '%s' %s %s%s", p->target, to, check_proto_name(p->proto),
			 p->expect_blocked ? " (must be blocked)" : "");
	else if (p->port)
		snprintf(buf, len, "'%s' -> '%s' %s%s%s:%u %s%s", p->from, p->target,
			 p->to.family == AF_INET6 ? "[" : "", to, p->to.family == AF_INET6 ? "]" : "",
			 p->port, check_proto_name(p->proto),
			 p->expect_blocked ? " (must be blocked)" : "");
	else
		snprintf(buf, len, "'%s' -> '%s' %s %s%s", p->from, p->target, to,
			 check_proto_name(p->proto), p->expect_blocked ? " (must be blocked)" : "");
}
