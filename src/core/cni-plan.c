// SPDX-License-Identifier: GPL-2.0-or-later
/* A CNI network's topology, its nft elements, and the plans of ADD and DEL: see cni-plan.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cni-plan.h"
#include "fw.h"
#include "quote.h"
#include "strbuf.h"

/* The gateway of ip as the bridge holds it: "10.89.0.1/16". */
static bool gateway_of(const struct cni_ip *ip, struct inet_prefix *ret)
{
	if (!ip->gateway.family)
		return false;
	*ret = (struct inet_prefix){ip->gateway, ip->address.len};
	return true;
}

static bool has_prefix(const struct inet_prefix *v, size_t n, const struct inet_prefix *p)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].len == p->len && inet_addr_equal(&v[i].addr, &p->addr))
			return true;
	return false;
}

static void bridge_add_addrs(struct topology_bridge *br, const struct cni_attachment *a)
{
	for (size_t i = 0; i < a->n_ips && br->n_addrs < TOPOLOGY_ADDRS_MAX; i++) {
		struct inet_prefix g;
		bool dup = false;

		if (!a->is_gateway || !gateway_of(&a->ips[i], &g))
			continue;
		for (size_t k = 0; k < br->n_addrs; k++)
			dup = dup || (br->addrs[k].prefix.len == g.len &&
				      inet_addr_equal(&br->addrs[k].prefix.addr, &g.addr));
		if (!dup)
			br->addrs[br->n_addrs++].prefix = g;
	}
}

/* The first address of a of family: where a port mapping of that family lands. */
static const struct cni_ip *first_of(const struct cni_attachment *a, int family)
{
	for (size_t i = 0; i < a->n_ips; i++)
		if (a->ips[i].address.addr.family == family)
			return &a->ips[i];
	return NULL;
}

static int add_ns(struct topology *t, const struct cni_attachment *a)
{
	struct topology_ns *ns = &t->namespaces[t->n_namespaces];
	struct topology_iface *ifc;

	ns->ifaces = calloc(1, sizeof(*ns->ifaces));
	ns->routes = calloc(a->n_routes ? a->n_routes : 1, sizeof(*ns->routes));
	ns->path = strdup(a->netns);
	if (!ns->ifaces || !ns->routes || !ns->path)
		return -ENOMEM;
	t->n_namespaces++;
	cni_label(a->container_id, a->ifname, ns->name);
	ifc = &ns->ifaces[0];
	ns->n_ifaces = 1;
	snprintf(ifc->name, sizeof(ifc->name), "%s", a->ifname);
	ifc->link = TOPOLOGY_LINK_BRIDGE;
	snprintf(ifc->bridge, sizeof(ifc->bridge), "%s", a->bridge);
	snprintf(ifc->host_end, sizeof(ifc->host_end), "%s", a->host_ifname);
	ifc->mtu = a->mtu;
	ifc->has_mac = true;
	memcpy(ifc->mac, a->mac, MAC_LEN);
	for (size_t i = 0; i < a->n_ips && i < TOPOLOGY_ADDRS_MAX; i++)
		ifc->addrs[ifc->n_addrs++].prefix = a->ips[i].address;
	for (size_t i = 0; i < a->n_routes; i++) {
		struct topology_route *r = &ns->routes[ns->n_routes++];

		r->to = a->routes[i].dst;
		r->has_via = a->routes[i].gw.family != 0;
		r->via = a->routes[i].gw;
		snprintf(r->dev, sizeof(r->dev), "%s", a->ifname);
	}
	return 0;
}

static void add_forwards(struct topology *t, const struct cni_attachment *a, const char *label)
{
	static const int families[] = {AF_INET, AF_INET6};

	for (size_t m = 0; m < a->n_maps; m++) {
		const struct cni_mapping *cm = &a->maps[m];

		for (size_t k = 0; k < ARRAY_SIZE(families); k++) {
			const struct cni_ip *to = first_of(a, families[k]);
			struct topology_forward *f;

			if (!to || (cm->host_ip.family && cm->host_ip.family != families[k]))
				continue;
			f = &t->forwards[t->n_forwards++];
			f->proto = cm->proto;
			f->port_lo = f->port_hi = cm->host_port;
			f->to = to->address.addr;
			f->to_port_lo = f->to_port_hi = cm->container_port;
			snprintf(f->to_ns, sizeof(f->to_ns), "%s", label);
			f->has_host_addr = cm->host_ip.family != 0;
			f->host_addr = cm->host_ip;
		}
	}
}

int cni_topology_build(const char *network, const struct cni_attachment *v, size_t n,
		       struct topology **ret, struct error *err)
{
	_cleanup_(topology_freep) struct topology *t = calloc(1, sizeof(*t));
	size_t n_fwd = 0;

	if (!t || !n)
		return t ? error_set(err, -EINVAL, "network '%s': no attachment", network)
			 : error_set(err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++)
		n_fwd += 2 * v[i].n_maps;
	t->bridges = calloc(1, sizeof(*t->bridges));
	t->namespaces = calloc(n, sizeof(*t->namespaces));
	t->forwards = calloc(n_fwd ? n_fwd : 1, sizeof(*t->forwards));
	if (!t->bridges || !t->namespaces || !t->forwards)
		return error_set(err, -ENOMEM, "out of memory");
	snprintf(t->name, sizeof(t->name), "%s", network);
	t->cni = true;
	t->n_bridges = 1;
	snprintf(t->bridges[0].name, sizeof(t->bridges[0].name), "%s", v[0].bridge);
	t->bridges[0].mtu = v[0].mtu;
	t->bridges[0].nat = v[0].ip_masq;
	for (size_t i = 0; i < n; i++) {
		bridge_add_addrs(&t->bridges[0], &v[i]);
		if (add_ns(t, &v[i]) < 0)
			return error_set(err, -ENOMEM, "out of memory");
		add_forwards(t, &v[i], t->namespaces[t->n_namespaces - 1].name);
	}
	if (topology_index(t) < 0)
		return error_set(err, -ENOMEM, "out of memory");
	*ret = TAKE_PTR(t);
	return 0;
}

/* "inet nsnet-NET": the table, through quote_nft. */
static int table_name(const char *network, char *buf, size_t len, struct error *err)
{
	char name[OWNER_ALIAS_MAX + 8];

	owner_table(network, name, sizeof(name));
	return quote_nft(name, QUOTE_NFT_IDENT, buf, len, "nft table", err);
}

static void put_subnet_elements(struct strbuf *b, const char *table, const struct cni_attachment *a)
{
	for (size_t i = 0; i < a->n_ips; i++) {
		struct inet_prefix net = inet_prefix_network(&a->ips[i].address);
		const char *v = net.addr.family == AF_INET6 ? "6" : "4";
		char s[PREFIX_STR_MAX];

		inet_prefix_format(&net, s, sizeof(s));
		strbuf_printf(b, "add element " OWNER_TABLE_FAMILY " %s subnets%s { %s }\n", table, v,
			      s);
		if (a->ip_masq)
			strbuf_printf(b, "add element " OWNER_TABLE_FAMILY " %s nat%s { %s }\n", table,
				      v, s);
	}
}

/* One line per element: a delete of an element already gone then fails alone. */
static size_t put_map_elements(struct strbuf *b, const char *table, const struct cni_attachment *a,
			       bool add)
{
	static const int families[] = {AF_INET, AF_INET6};
	size_t n = 0;

	for (size_t m = 0; m < a->n_maps; m++) {
		const struct cni_mapping *cm = &a->maps[m];
		const char *proto = cm->proto == TOPOLOGY_PROTO_UDP ? "udp" : "tcp";

		for (size_t k = 0; k < ARRAY_SIZE(families); k++) {
			const struct cni_ip *to = first_of(a, families[k]);
			const char *v = families[k] == AF_INET6 ? "6" : "4";
			char addr[INET_STR_MAX], host[INET_STR_MAX + 3] = "";

			if (!to || (cm->host_ip.family && cm->host_ip.family != families[k]))
				continue;
			inet_addr_format(&to->address.addr, addr, sizeof(addr));
			if (cm->host_ip.family) {
				inet_addr_format(&cm->host_ip, host, sizeof(host) - 3);
				strcat(host, " . ");
			}
			/* create: a host port mapped already (to anyone) is an error, never replaced. */
			if (add)
				strbuf_printf(b, "create element " OWNER_TABLE_FAMILY " %s fwd%s%s { %s%s "
						 ". %u : %s . %u }\n", table, v, host[0] ? "h" : "",
					      host, proto, cm->host_port, addr, cm->container_port);
			else
				strbuf_printf(b, "delete element " OWNER_TABLE_FAMILY " %s fwd%s%s { %s%s "
						 ". %u }\n", table, v, host[0] ? "h" : "", host, proto,
					      cm->host_port);
			n++;
		}
	}
	return n;
}

int fw_cni_elements(const struct cni_attachment *a, bool add, bool subnets, char **ret,
		    struct error *err)
{
	char table[OWNER_ALIAS_MAX + 8];
	struct strbuf b = {0};
	int r;

	*ret = NULL;
	r = table_name(a->network, table, sizeof(table), err);
	if (r < 0)
		return r;
	if (add && subnets)
		put_subnet_elements(&b, table, a);
	put_map_elements(&b, table, a, add);
	if (!b.len && !b.oom)
		return 0;
	*ret = strbuf_take(&b);
	return *ret ? 0 : error_set(err, -ENOMEM, "out of memory");
}

/* The plan being built: actions appended in order; a failed allocation is sticky. */
struct cplan {
	struct plan *p;
	bool oom;
	const struct cni_attachment *a;
	char alias[OWNER_ALIAS_MAX];
};

static struct action *emit(struct cplan *c, enum action_type type, const char *ns,
			   const char *name)
{
	struct action a = {.type = type};
	struct action *dst;

	snprintf(a.ns, sizeof(a.ns), "%s", ns);
	snprintf(a.name, sizeof(a.name), "%s", name);
	snprintf(a.alias, sizeof(a.alias), "%s", c->alias);
	dst = plan_append(&c->p->v, &c->p->n, &a);
	if (!dst)
		c->oom = true;
	return dst;
}

static void emit_addr(struct cplan *c, const char *ns, const char *name,
		      const struct inet_prefix *p)
{
	struct action *a = emit(c, ACT_ADDR_ADD, ns, name);

	if (a)
		a->prefix = *p;
}

static void emit_sysctl(struct cplan *c, const char *ns, const char *key, int value)
{
	struct action *a = emit(c, ACT_SYSCTL, ns, "");

	if (a) {
		snprintf(a->key, sizeof(a->key), "%s", key);
		a->value = value;
	}
}

/*
 * The elements of a, added (with their deletion as the undo) or deleted; the
 * script and the undo's are owned by the plan.
 */
static int emit_elements(struct cplan *c, const char *label, bool add, bool subnets,
			 struct error *err)
{
	_cleanup_free_ char *script = NULL;
	struct action *a;
	int r;

	r = fw_cni_elements(c->a, add, subnets, &script, err);
	if (r < 0 || !script)
		return r;
	a = emit(c, ACT_FW_ELEMENTS, "", "");
	if (!a)
		return 0;
	owner_table(c->a->network, a->alias, sizeof(a->alias));
	snprintf(a->peer_ns, sizeof(a->peer_ns), "%s", label);
	a->value = (int)c->a->n_maps;
	a->tolerant = !add;
	a->script = TAKE_PTR(script);
	if (add && c->a->n_maps) {
		struct action inv = *a;

		inv.script = NULL;
		inv.tolerant = true;
		r = fw_cni_elements(c->a, false, false, &inv.script, err);
		if (r < 0)
			return r;
		if (!plan_append(&a->restore, &a->n_restore, &inv))
			c->oom = true;
		free(inv.script);
	}
	return 0;
}

/* The bridge with its table (made first: a bridge of ours implies its table), addresses, up. */
static int emit_bridge(struct cplan *c, const char *label, const struct cni_seen *s,
		       struct error *err)
{
	_cleanup_(topology_freep) struct topology *t = NULL;
	const struct cni_attachment *a = c->a;
	char hash[FW_HASH_LEN + 1], key[WORLD_SYSCTL_KEY_MAX];
	struct action *act;
	bool v6 = false;
	int r;

	r = cni_topology_build(a->network, a, 1, &t, err);
	if (r < 0)
		return r;
	act = emit(c, ACT_FW_APPLY, "", "");
	if (act) {
		owner_table(a->network, act->alias, sizeof(act->alias));
		r = fw_script_build(t, &act->script, hash, err);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < t->bridges[0].n_addrs; i++)
		v6 = v6 || t->bridges[0].addrs[i].prefix.addr.family == AF_INET6;
	act = emit(c, ACT_BRIDGE_ADD, "", a->bridge);
	if (act) {
		act->mtu = a->mtu;
		act->has_mac = true;
		memcpy(act->mac, s->bridge_mac, MAC_LEN);
		act->no_ipv6 = !v6;
	}
	for (size_t i = 0; i < t->bridges[0].n_addrs; i++)
		emit_addr(c, "", a->bridge, &t->bridges[0].addrs[i].prefix);
	/* Localhost reaches the port mappings (fw.h): the guard chain is in the table. */
	snprintf(key, sizeof(key), "net/ipv4/conf/%s/route_localnet", a->bridge);
	emit_sysctl(c, "", key, 1);
	/* As every bridge nsnet makes: no router advertisement taken (plan-sysctl.c). */
	if (s->ipv6) {
		snprintf(key, sizeof(key), "net/ipv6/conf/%s/accept_ra", a->bridge);
		emit_sysctl(c, "", key, 0);
	}
	if (a->is_gateway && s->ip_forward != 1)
		emit_sysctl(c, "", "net/ipv4/ip_forward", 1);
	emit(c, ACT_LINK_UP, "", a->bridge);
	(void)label;
	return 0;
}

static struct plan *plan_new(const char *network)
{
	struct plan *p = calloc(1, sizeof(*p));

	if (p)
		snprintf(p->topology, sizeof(p->topology), "%s", network);
	return p;
}

static int finish(struct cplan *c, int r, struct plan **ret, struct error *err)
{
	if (r >= 0 && c->oom)
		r = error_set(err, -ENOMEM, "out of memory");
	if (r < 0) {
		plan_free(c->p);
		return r;
	}
	*ret = c->p;
	return 0;
}

int cni_plan_add(const struct cni_attachment *a, const char *label, const struct cni_seen *s,
		 struct plan **ret, struct error *err)
{
	struct cplan c = {.p = plan_new(a->network), .a = a};
	bool v6 = false, new_subnet = false;
	struct action *act;
	int r = 0;

	if (!c.p)
		return error_set(err, -ENOMEM, "out of memory");
	owner_alias(a->network, c.alias, sizeof(c.alias));
	if (!s->bridge) {
		r = emit_bridge(&c, label, s, err);
	} else {
		/* A subnet the bridge has no gateway for yet (the configuration changed). */
		for (size_t i = 0; i < a->n_ips; i++) {
			struct inet_prefix g;

			if (!gateway_of(&a->ips[i], &g) ||
			    has_prefix(s->bridge_addrs, s->n_bridge_addrs, &g))
				continue;
			new_subnet = true;
			if (a->is_gateway)
				emit_addr(&c, "", a->bridge, &g);
		}
		if (!a->is_gateway)
			new_subnet = true;
	}
	for (size_t i = 0; i < a->n_ips; i++)
		v6 = v6 || a->ips[i].address.addr.family == AF_INET6;
	act = r < 0 ? NULL : emit(&c, ACT_VETH_ADD, "", a->host_ifname);
	if (act) {
		snprintf(act->peer_ns, sizeof(act->peer_ns), "%s", label);
		snprintf(act->peer, sizeof(act->peer), "%s", a->ifname);
		act->mtu = act->peer_mtu = a->mtu;
		act->has_mac = act->peer_has_mac = true;
		memcpy(act->mac, a->host_mac, MAC_LEN);
		memcpy(act->peer_mac, a->mac, MAC_LEN);
		act->no_ipv6 = true;
		act->peer_no_ipv6 = !v6;
	}
	act = r < 0 ? NULL : emit(&c, ACT_LINK_MASTER, "", a->host_ifname);
	if (act)
		snprintf(act->master, sizeof(act->master), "%s", a->bridge);
	if (r >= 0 && a->hairpin && (act = emit(&c, ACT_BRPORT_HAIRPIN, "", a->host_ifname)))
		act->value = 1;
	if (r >= 0)
		emit(&c, ACT_LINK_UP, "", a->host_ifname);
	for (size_t i = 0; r >= 0 && i < a->n_ips; i++)
		emit_addr(&c, label, a->ifname, &a->ips[i].address);
	/* The container's interface takes no router advertisement either, before it is up. */
	if (r >= 0 && s->ipv6) {
		char key[WORLD_SYSCTL_KEY_MAX];

		snprintf(key, sizeof(key), "net/ipv6/conf/%s/accept_ra", a->ifname);
		emit_sysctl(&c, label, key, 0);
	}
	if (r >= 0)
		emit(&c, ACT_LINK_UP, label, a->ifname);
	for (size_t i = 0; r >= 0 && i < a->n_routes; i++) {
		act = emit(&c, ACT_ROUTE_ADD, label, a->ifname);
		if (act) {
			act->route.dst = a->routes[i].dst;
			act->route.gateway = a->routes[i].gw;
			snprintf(act->route.dev, sizeof(act->route.dev), "%s", a->ifname);
		}
	}
	/* A new bridge's table was made with this attachment's elements in it. */
	if (r >= 0 && s->bridge)
		r = emit_elements(&c, label, true, new_subnet, err);
	return finish(&c, r, ret, err);
}

int cni_plan_del(const struct cni_attachment *a, const struct cni_seen *s, struct plan **ret,
		 struct error *err)
{
	struct cplan c = {.p = plan_new(a->network), .a = a};
	char label[NETNS_NAME_MAX + 1];
	struct action *act;
	int r = 0;

	if (!c.p)
		return error_set(err, -ENOMEM, "out of memory");
	owner_alias(a->network, c.alias, sizeof(c.alias));
	cni_label(a->container_id, a->ifname, label);
	/* The last one's elements go with the table. */
	if (!s->last)
		r = emit_elements(&c, label, false, false, err);
	/* The container's end goes with it, wherever it is (or went with its namespace). */
	if (r >= 0 && s->host_link)
		emit(&c, ACT_LINK_DEL, "", a->host_ifname);
	/* The bridge first: a table without its bridge is made again by the next ADD. */
	if (r >= 0 && s->last && s->bridge)
		emit(&c, ACT_LINK_DEL, "", a->bridge);
	if (r >= 0 && s->last && (act = emit(&c, ACT_FW_DEL, "", "")))
		owner_table(a->network, act->alias, sizeof(act->alias));
	return finish(&c, r, ret, err);
}

static void drift_link(struct cplan *c, const struct ns_link *l, const char *ns, const char *name)
{
	if (!l)
		return;
	if (!(l->flags & 1))
		emit(c, ACT_LINK_UP, ns, name);
}

int cni_plan_drift(const struct cni_attachment *a, const char *label,
		   const struct cni_observed *o, struct plan *p, struct error *err)
{
	struct cplan c = {.p = p, .a = a};
	const struct ns_link *br = netstate_link_by_name(o->host, a->bridge);
	const struct ns_link *host = netstate_link_by_name(o->host, a->host_ifname);
	const struct ns_link *ctr = o->ctr ? netstate_link_by_name(o->ctr, a->ifname) : NULL;
	struct action *act;
	int r = 0;

	owner_alias(a->network, c.alias, sizeof(c.alias));
	if (!br)
		emit(&c, ACT_BRIDGE_ADD, "", a->bridge);
	if (!o->table && (act = emit(&c, ACT_FW_APPLY, "", "")))
		owner_table(a->network, act->alias, sizeof(act->alias));
	if (!host || !ctr) {
		act = emit(&c, ACT_VETH_ADD, "", a->host_ifname);
		if (act) {
			snprintf(act->peer_ns, sizeof(act->peer_ns), "%s", label);
			snprintf(act->peer, sizeof(act->peer), "%s", a->ifname);
		}
	}
	if (host && br && host->master != br->ifindex &&
	    (act = emit(&c, ACT_LINK_MASTER, "", a->host_ifname)))
		snprintf(act->master, sizeof(act->master), "%s", a->bridge);
	drift_link(&c, br, "", a->bridge);
	drift_link(&c, host, "", a->host_ifname);
	drift_link(&c, ctr, label, a->ifname);
	for (size_t i = 0; ctr && i < a->n_ips; i++) {
		bool found = false;

		for (size_t k = 0; k < o->ctr->n_addrs; k++)
			found = found || (o->ctr->addrs[k].ifindex == ctr->ifindex &&
					  o->ctr->addrs[k].prefix.len == a->ips[i].address.len &&
					  inet_addr_equal(&o->ctr->addrs[k].prefix.addr,
							  &a->ips[i].address.addr));
		if (!found)
			emit_addr(&c, label, a->ifname, &a->ips[i].address);
	}
	for (size_t i = 0; ctr && i < a->n_routes; i++) {
		const struct cni_route *want = &a->routes[i];
		bool found = false;

		for (size_t k = 0; k < o->ctr->n_routes; k++) {
			const struct ns_route *rt = &o->ctr->routes[k];

			found = found || (rt->table == 254 && rt->oif == ctr->ifindex &&
					  rt->dst.len == want->dst.len &&
					  inet_addr_equal(&rt->dst.addr, &want->dst.addr) &&
					  (!want->gw.family || inet_addr_equal(&rt->gateway, &want->gw)));
		}
		if (!found && (act = emit(&c, ACT_ROUTE_ADD, label, a->ifname))) {
			act->route.dst = want->dst;
			act->route.gateway = want->gw;
			snprintf(act->route.dev, sizeof(act->route.dev), "%s", a->ifname);
		}
	}
	if (o->table && a->ip_masq && !o->masquerade &&
	    (act = emit(&c, ACT_FW_ELEMENTS, "", ""))) {
		owner_table(a->network, act->alias, sizeof(act->alias));
		snprintf(act->peer_ns, sizeof(act->peer_ns), "%s (masquerade)", label);
	}
	for (size_t i = 0; o->table && o->present && i < a->n_maps; i++)
		if (!o->present[i] && (act = emit(&c, ACT_FW_ELEMENTS, "", ""))) {
			owner_table(a->network, act->alias, sizeof(act->alias));
			snprintf(act->peer_ns, sizeof(act->peer_ns), "%s (port %u)", label,
				 a->maps[i].host_port);
			act->value = 1;
		}
	if (c.oom)
		r = error_set(err, -ENOMEM, "out of memory");
	return r;
}
