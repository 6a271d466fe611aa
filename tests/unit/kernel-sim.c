// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel model of kernel-sim.h. Each namespace's truth is a struct
 * netstate whose links always know their veth peer (peer_netns, peer_name,
 * and link = the peer's ifindex); observing copies it and forgets what
 * world_observe could not have resolved. Routes hold only what someone added;
 * the connected ones are derived from addresses when observed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/owner.h"
#include "core/strbuf.h"
#include "kernel-sim.h"
#include "world-build.h"

#define ETH_MTU 1500

/* What the kernel keeps of a link that netlink does not show as such. */
struct kext {
	int ifindex;
	bool ipv6_off; /* made with IPv6 address generation off */
	bool mtu_user; /* a bridge whose MTU was set by a change, not at creation */
};

struct kns {
	char name[NETNS_NAME_MAX + 1]; /* "": the host */
	struct netstate *st;
	struct kext *ext;
	size_t n_ext;
	int next_ifindex;
	int nsid;
};

/* An nft table of a topology: its name and the comment observe_firewall reads. */
struct ktable {
	char name[OWNER_ALIAS_MAX + 8];
	char comment[256];
};

/* A sysctl set away from its default; an interface's go with the interface. */
struct ksysctl {
	char ns[NETNS_NAME_MAX + 1];
	char key[WORLD_SYSCTL_KEY_MAX];
	int value;
};

struct ksim {
	struct kns *ns; /* [0] the host, then the named namespaces sorted by name */
	size_t n;
	int next_nsid;
	struct ktable *tables;
	size_t n_tables;
	struct ksysctl *sysctls;
	size_t n_sysctls;
};

/* "net/ipv4/conf/IFNAME/..." names an interface (not all, not default): its name into buf. */
static bool sysctl_iface(const char *key, char *buf, size_t len)
{
	const char *c = strstr(key, "/conf/"), *e;

	if (!c)
		return false;
	c += 6;
	e = strchr(c, '/');
	if (!e || (size_t)(e - c) >= len)
		return false;
	snprintf(buf, len, "%.*s", (int)(e - c), c);
	return strcmp(buf, "all") != 0 && strcmp(buf, "default") != 0;
}

static struct ksysctl *ksysctl_find(const struct ksim *k, const char *ns, const char *key)
{
	for (size_t i = 0; i < k->n_sysctls; i++)
		if (strcmp(k->sysctls[i].ns, ns) == 0 && strcmp(k->sysctls[i].key, key) == 0)
			return &k->sysctls[i];
	return NULL;
}

static struct kns *kns_find(const struct ksim *k, const char *name);
static struct ns_link *klink(const struct kns *p, const char *name);

/*
 * A sysctl as /proc/sys shows it: -1 where the namespace or the interface is
 * not there; what was written; else the default (an interface's route_localnet
 * starts from conf/default's, everything else at 0).
 */
int ksim_sysctl(const struct ksim *k, const char *ns, const char *key)
{
	const struct kns *p = kns_find(k, ns);
	const struct ksysctl *e;
	char ifname[IFNAME_MAX + 2];

	if (!p || (sysctl_iface(key, ifname, sizeof(ifname)) && !klink(p, ifname)))
		return -1;
	if ((e = ksysctl_find(k, ns, key)))
		return e->value;
	if (strstr(key, "/route_localnet") && !strstr(key, "/default/"))
		return ksim_sysctl(k, ns, "net/ipv4/conf/default/route_localnet");
	/* Linux takes router advertisements unless told not to (accept_ra 1). */
	if (strstr(key, "/accept_ra"))
		return 1;
	return 0;
}

static void ksysctl_set(struct ksim *k, const char *ns, const char *key, int value)
{
	struct ksysctl *e = ksysctl_find(k, ns, key);

	/* Back at its default: as if never written, so a baseline compares equal. */
	if (e) {
		*e = k->sysctls[--k->n_sysctls];
		if (ksim_sysctl(k, ns, key) == value)
			return;
		e = NULL;
	} else if (ksim_sysctl(k, ns, key) == value) {
		return;
	}
	if (!e) {
		k->sysctls = wb_must(realloc(k->sysctls, (k->n_sysctls + 1) * sizeof(*k->sysctls)));
		e = &k->sysctls[k->n_sysctls++];
		snprintf(e->ns, sizeof(e->ns), "%s", ns);
		snprintf(e->key, sizeof(e->key), "%s", key);
	}
	e->value = value;
}

/* The sysctls of namespace ns, or of its interface ifname (NULL: all of them), are gone. */
static void ksysctl_forget(struct ksim *k, const char *ns, const char *ifname)
{
	size_t n = 0;

	for (size_t i = 0; i < k->n_sysctls; i++) {
		char name[IFNAME_MAX + 2];
		bool gone = strcmp(k->sysctls[i].ns, ns) == 0 &&
			    (!ifname || (sysctl_iface(k->sysctls[i].key, name, sizeof(name)) &&
					 strcmp(name, ifname) == 0));

		if (!gone)
			k->sysctls[n++] = k->sysctls[i];
	}
	k->n_sysctls = n;
}

static int refuse(struct error *err, int code, const char *ns, const char *name, const char *what)
{
	return error_set(err, code, "sim: %s '%s'%s%s%s: %s", what, name, ns[0] ? " in '" : "", ns,
			 ns[0] ? "'" : "", strerror(-code));
}

static struct kns *kns_find(const struct ksim *k, const char *name)
{
	for (size_t i = 0; i < k->n; i++)
		if (strcmp(k->ns[i].name, name) == 0)
			return &k->ns[i];
	return NULL;
}

static struct kns *place(struct ksim *k, const char *ns, struct error *err, int *r)
{
	struct kns *p = kns_find(k, ns);

	*r = p ? 0 : error_set(err, -ENOENT, "sim: namespace '%s' does not exist", ns);
	return p;
}

static struct ns_link *klink(const struct kns *p, const char *name)
{
	for (size_t i = 0; i < p->st->n_links; i++)
		if (strcmp(p->st->links[i].name, name) == 0)
			return &p->st->links[i];
	return NULL;
}

static struct ns_link *klink_at(const struct kns *p, int ifindex)
{
	for (size_t i = 0; i < p->st->n_links; i++)
		if (p->st->links[i].ifindex == ifindex)
			return &p->st->links[i];
	return NULL;
}

/* Ifindexes are never reused within a namespace, so stale entries are harmless. */
static struct kext *kext_get(struct kns *p, int ifindex)
{
	for (size_t i = 0; i < p->n_ext; i++)
		if (p->ext[i].ifindex == ifindex)
			return &p->ext[i];
	p->ext = wb_must(realloc(p->ext, (p->n_ext + 1) * sizeof(*p->ext)));
	memset(&p->ext[p->n_ext], 0, sizeof(*p->ext));
	p->ext[p->n_ext].ifindex = ifindex;
	return &p->ext[p->n_ext++];
}

static bool is_link_local6(const struct inet_prefix *p)
{
	return p->addr.family == AF_INET6 && p->addr.bytes[0] == 0xfe &&
	       (p->addr.bytes[1] & 0xc0) == 0x80;
}

/* A new link, down; returns its ifindex (pointers into the links move on growth). */
static int link_new(struct kns *p, const char *name, const char *kind, unsigned mtu,
		    const uint8_t *mac, const char *alias, uint32_t group, bool ipv6_off)
{
	struct ns_link *l = wb_must(netstate_add_link(p->st));

	l->ifindex = p->next_ifindex++;
	l->link_nsid = -1;
	snprintf(l->name, sizeof(l->name), "%s", name);
	snprintf(l->kind, sizeof(l->kind), "%s", kind);
	snprintf(l->alias, sizeof(l->alias), "%s", alias ? alias : "");
	l->flags = IFF_BROADCAST | IFF_MULTICAST;
	l->mtu = mtu ? mtu : ETH_MTU;
	l->group = group;
	l->mac_len = MAC_LEN;
	if (mac) {
		memcpy(l->mac, mac, MAC_LEN);
	} else {
		/* Locally administered, unique per namespace and index. */
		l->mac[0] = 0x02;
		l->mac[1] = 0x5e;
		l->mac[3] = (uint8_t)p->nsid;
		l->mac[5] = (uint8_t)l->ifindex;
	}
	kext_get(p, l->ifindex)->ipv6_off = ipv6_off;
	return l->ifindex;
}

static void bridge_adjust(struct kns *p, int br_index)
{
	struct ns_link *br = klink_at(p, br_index);
	unsigned mtu = 0;

	if (!br || strcmp(br->kind, "bridge") != 0 || kext_get(p, br_index)->mtu_user)
		return;
	for (size_t i = 0; i < p->st->n_links; i++)
		if (p->st->links[i].master == br_index && (!mtu || p->st->links[i].mtu < mtu))
			mtu = p->st->links[i].mtu;
	br->mtu = mtu ? mtu : ETH_MTU;
}

/* Removes the routes through ifindex of family (0: any). */
static void routes_flush(struct kns *p, int ifindex, int family)
{
	struct netstate *st = p->st;
	size_t k = 0;

	for (size_t i = 0; i < st->n_routes; i++)
		if (st->routes[i].oif != ifindex ||
		    (family && st->routes[i].dst.addr.family != family))
			st->routes[k++] = st->routes[i];
	st->n_routes = k;
}

static void addrs_remove(struct kns *p, int ifindex, int family)
{
	struct netstate *st = p->st;
	size_t k = 0;

	for (size_t i = 0; i < st->n_addrs; i++)
		if (st->addrs[i].ifindex != ifindex ||
		    (family && st->addrs[i].prefix.addr.family != family))
			st->addrs[k++] = st->addrs[i];
	st->n_addrs = k;
}

static void link_remove(struct ksim *k, struct kns *p, int ifindex, bool with_peer)
{
	struct ns_link *l = klink_at(p, ifindex);
	char peer_ns[NETNS_NAME_MAX + 1];
	int master, peer;
	bool veth;
	size_t i;

	if (!l)
		return;
	master = l->master;
	veth = strcmp(l->kind, "veth") == 0;
	peer = l->link;
	snprintf(peer_ns, sizeof(peer_ns), "%s", l->peer_netns);
	ksysctl_forget(k, p->name, l->name);
	addrs_remove(p, ifindex, 0);
	routes_flush(p, ifindex, 0);
	for (i = 0; i < p->st->n_links; i++)
		if (p->st->links[i].master == ifindex)
			p->st->links[i].master = 0; /* a bridge's ports are released */
	i = (size_t)(l - p->st->links);
	memmove(l, l + 1, (p->st->n_links - i - 1) * sizeof(*l));
	p->st->n_links--;
	if (master)
		bridge_adjust(p, master);
	if (veth && with_peer && peer) {
		struct kns *q = kns_find(k, peer_ns);

		if (q)
			link_remove(k, q, peer, false);
	}
}

static void addr_put(struct kns *p, int ifindex, const struct inet_prefix *prefix)
{
	struct ns_addr *a = wb_must(netstate_add_addr(p->st));
	const struct ns_link *l = klink_at(p, ifindex);

	a->ifindex = ifindex;
	a->prefix = *prefix;
	if (l && (l->flags & IFF_LOOPBACK))
		a->scope = RT_SCOPE_HOST;
	else if (is_link_local6(prefix))
		a->scope = RT_SCOPE_LINK;
}

static bool addr_has(const struct kns *p, int ifindex, const struct inet_prefix *prefix)
{
	for (size_t i = 0; i < p->st->n_addrs; i++) {
		const struct ns_addr *a = &p->st->addrs[i];

		if (a->ifindex != ifindex || !inet_addr_equal(&a->prefix.addr, &prefix->addr))
			continue;
		/* IPv4 tells addresses apart by prefix length too; IPv6 does not. */
		if (prefix->addr.family == AF_INET6 || a->prefix.len == prefix->len)
			return true;
	}
	return false;
}

static void link_local_put(struct kns *p, const struct ns_link *l)
{
	struct inet_prefix ll = {.addr = {.family = AF_INET6}, .len = 64};
	int ifindex = l->ifindex;

	for (size_t i = 0; i < p->st->n_addrs; i++)
		if (p->st->addrs[i].ifindex == ifindex && is_link_local6(&p->st->addrs[i].prefix))
			return;
	/* fe80::/64 with the modified EUI-64 of the MAC. */
	ll.addr.bytes[0] = 0xfe;
	ll.addr.bytes[1] = 0x80;
	ll.addr.bytes[8] = l->mac[0] ^ 0x02;
	ll.addr.bytes[9] = l->mac[1];
	ll.addr.bytes[10] = l->mac[2];
	ll.addr.bytes[11] = 0xff;
	ll.addr.bytes[12] = 0xfe;
	ll.addr.bytes[13] = l->mac[3];
	ll.addr.bytes[14] = l->mac[4];
	ll.addr.bytes[15] = l->mac[5];
	addr_put(p, ifindex, &ll);
}

static void link_set_up(struct kns *p, struct ns_link *l, bool up)
{
	int ifindex = l->ifindex;

	if (!up) {
		/* keep_addr_on_down is 0: IPv6 addresses go; every route through it goes. */
		l->flags &= ~(unsigned)IFF_UP;
		addrs_remove(p, ifindex, AF_INET6);
		routes_flush(p, ifindex, 0);
		return;
	}
	l->flags |= IFF_UP;
	if (l->flags & IFF_LOOPBACK) {
		struct inet_prefix one = {.addr = {.family = AF_INET6}, .len = 128};

		one.addr.bytes[15] = 1;
		if (!addr_has(p, ifindex, &one))
			addr_put(p, ifindex, &one);
	} else if (!kext_get(p, ifindex)->ipv6_off) {
		link_local_put(p, l);
	}
}

static bool derived_has(const struct netstate *st, const struct inet_prefix *dst, int oif)
{
	for (size_t i = 0; i < st->n_routes; i++)
		if (st->routes[i].protocol == RTPROT_KERNEL && st->routes[i].oif == oif &&
		    st->routes[i].dst.len == dst->len &&
		    inet_addr_equal(&st->routes[i].dst.addr, &dst->addr))
			return true;
	return false;
}

/*
 * The connected routes of table main, appended to out: one per IPv4 subnet
 * of an up link, one per IPv6 address (metric 256), as the kernel makes
 * them; lo's are all in the local table, which is not modelled.
 */
static void derive_routes(const struct kns *p, struct netstate *out)
{
	for (size_t i = 0; i < p->st->n_addrs; i++) {
		const struct ns_addr *a = &p->st->addrs[i];
		const struct ns_link *l = klink_at(p, a->ifindex);
		struct inet_prefix net = inet_prefix_network(&a->prefix);
		bool v6 = a->prefix.addr.family == AF_INET6;
		struct ns_route *r;

		if (!l || (l->flags & IFF_LOOPBACK) ||
		    (!v6 && (!(l->flags & IFF_UP) || a->prefix.len == 32)))
			continue;
		if (derived_has(out, &net, a->ifindex))
			continue;
		r = wb_must(netstate_add_route(out));
		r->dst = net;
		r->oif = a->ifindex;
		r->table = RT_TABLE_MAIN;
		r->protocol = RTPROT_KERNEL;
		r->type = RTN_UNICAST;
		r->scope = v6 ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
		r->priority = v6 ? 256 : 0;
		if (!v6)
			r->prefsrc = a->prefix.addr;
	}
}

static bool route_same_key(const struct ns_route *r, const struct inet_prefix *dst,
			   uint32_t priority)
{
	return r->table == RT_TABLE_MAIN && r->dst.addr.family == dst->addr.family &&
	       r->dst.len == dst->len && inet_addr_equal(&r->dst.addr, &dst->addr) &&
	       r->priority == priority;
}

/* "sim: route default via 192.168.15.6 in 'blue': File exists (why)". */
static int route_refuse(struct error *err, int code, const struct action *a, const char *why)
{
	char gw[INET_STR_MAX] = "", dst[PREFIX_STR_MAX] = "default";

	if (a->route.dst.len)
		inet_prefix_format(&a->route.dst, dst, sizeof(dst));
	if (a->route.gateway.family)
		inet_addr_format(&a->route.gateway, gw, sizeof(gw));
	return error_set(err, code, "sim: route %s%s%s%s%s in '%s': %s (%s)", dst,
			 gw[0] ? " via " : "", gw, a->route.dev[0] ? " dev " : "", a->route.dev,
			 a->ns, strerror(-code), why);
}

static int route_add(struct kns *p, const struct action *a, struct error *err)
{
	_cleanup_(netstate_freep) struct netstate *conn = wb_must(netstate_new());
	struct inet_prefix dst = a->route.dst;
	const struct inet_addr *gw = &a->route.gateway;
	uint32_t priority;
	struct ns_route *r;
	int oif = 0;

	if (!dst.addr.family)
		dst.addr.family = gw->family;
	if (!dst.addr.family || (gw->family && gw->family != dst.addr.family))
		return route_refuse(err, -EINVAL, a, "no family, or two");
	{
		struct inet_prefix net = inet_prefix_network(&dst);

		if (!inet_addr_equal(&net.addr, &dst.addr))
			return route_refuse(err, -EINVAL, a, "host bits set");
	}
	if (a->route.dev[0]) {
		const struct ns_link *l = klink(p, a->route.dev);

		if (!l)
			return route_refuse(err, -ENODEV, a, "no such device");
		if (!(l->flags & IFF_UP))
			return route_refuse(err, -ENETDOWN, a, "the device is down");
		oif = l->ifindex;
	}
	derive_routes(p, conn);
	if (gw->family) {
		int found = 0;

		/* The gateway must be on a connected subnet (of dev, when named). */
		for (size_t i = 0; i < conn->n_routes && !found; i++) {
			const struct ns_route *c = &conn->routes[i];
			const struct ns_link *l = klink_at(p, c->oif);

			if ((!oif || c->oif == oif) && l && (l->flags & IFF_UP) &&
			    inet_prefix_contains(&c->dst, gw))
				found = c->oif;
		}
		if (!found)
			return route_refuse(err, -ENETUNREACH, a,
					    "the gateway is on no connected subnet of an up link");
		oif = found;
	}
	if (!oif)
		return route_refuse(err, -EINVAL, a, "neither device nor gateway");
	priority = dst.addr.family == AF_INET6 ? 1024 : 0;
	for (size_t i = 0; i < p->st->n_routes; i++)
		if (route_same_key(&p->st->routes[i], &dst, priority))
			return route_refuse(err, -EEXIST, a,
					    "a route of that destination and metric exists");
	for (size_t i = 0; i < conn->n_routes; i++)
		if (route_same_key(&conn->routes[i], &dst, priority))
			return route_refuse(err, -EEXIST, a, "a connected route has it");
	r = wb_must(netstate_add_route(p->st));
	r->dst = dst;
	r->gateway = *gw;
	r->oif = oif;
	r->table = RT_TABLE_MAIN;
	r->protocol = OWNER_RTPROT;
	r->type = RTN_UNICAST;
	r->scope = gw->family || dst.addr.family == AF_INET6 ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	r->priority = priority;
	return 0;
}

/* Destination, and gateway, device and protocol where given: what RTM_DELROUTE matches. */
static bool route_del(struct kns *p, const struct action *a)
{
	struct inet_prefix dst = a->route.dst;
	const struct ns_link *dev = a->route.dev[0] ? klink(p, a->route.dev) : NULL;
	struct netstate *st = p->st;

	if (!dst.addr.family)
		dst.addr.family = a->route.gateway.family;
	if (a->route.dev[0] && !dev)
		return false; /* ENODEV, which apply takes for done */
	for (size_t i = 0; i < st->n_routes; i++) {
		const struct ns_route *r = &st->routes[i];

		if (r->table != RT_TABLE_MAIN || r->protocol != OWNER_RTPROT ||
		    r->dst.addr.family != dst.addr.family || r->dst.len != dst.len ||
		    !inet_addr_equal(&r->dst.addr, &dst.addr) ||
		    (a->route.gateway.family && !inet_addr_equal(&r->gateway, &a->route.gateway)) ||
		    (dev && r->oif != dev->ifindex))
			continue;
		memmove(&st->routes[i], &st->routes[i + 1], (st->n_routes - i - 1) * sizeof(*r));
		st->n_routes--;
		return true;
	}
	return false;
}

static void addr_del(struct kns *p, int ifindex, const struct inet_prefix *prefix)
{
	struct netstate *st = p->st;

	for (size_t i = 0; i < st->n_addrs; i++) {
		const struct ns_addr *a = &st->addrs[i];

		if (a->ifindex != ifindex || a->prefix.len != prefix->len ||
		    !inet_addr_equal(&a->prefix.addr, &prefix->addr))
			continue;
		memmove(&st->addrs[i], &st->addrs[i + 1], (st->n_addrs - i - 1) * sizeof(*a));
		st->n_addrs--;
		break;
	}
	if (prefix->addr.family != AF_INET)
		return;
	for (size_t i = 0; i < st->n_addrs; i++)
		if (st->addrs[i].ifindex == ifindex && st->addrs[i].prefix.addr.family == AF_INET)
			return;
	/* The last IPv4 address gone: the kernel disables IPv4 on it, its routes go. */
	routes_flush(p, ifindex, AF_INET);
}

static struct kns *ns_new(struct ksim *k, const char *name, const char *lo_alias)
{
	struct inet_prefix v4;
	struct kns *p;
	size_t i = k->n ? 1 : 0; /* the host stays first */
	int lo;

	k->ns = wb_must(realloc(k->ns, (k->n + 1) * sizeof(*k->ns)));
	while (i < k->n && strcmp(k->ns[i].name, name) < 0)
		i++;
	memmove(&k->ns[i + 1], &k->ns[i], (k->n - i) * sizeof(*k->ns));
	k->n++;
	p = &k->ns[i];
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->st = wb_must(netstate_new());
	p->next_ifindex = 1;
	p->nsid = k->next_nsid++;
	lo = link_new(p, "lo", "", 65536, (const uint8_t[MAC_LEN]){0}, lo_alias, 0, false);
	klink_at(p, lo)->flags = IFF_LOOPBACK;
	inet_prefix_parse("127.0.0.1/8", &v4, NULL);
	addr_put(p, lo, &v4);
	link_set_up(p, klink_at(p, lo), true); /* and ::1/128 with it */
	return p;
}

static void ns_remove(struct ksim *k, struct kns *p)
{
	size_t at = (size_t)(p - k->ns);

	/* The far end of every veth of the namespace goes with it. */
	for (size_t i = 0; i < p->st->n_links; i++) {
		const struct ns_link *l = &p->st->links[i];
		struct kns *q;

		if (strcmp(l->kind, "veth") != 0 || strcmp(l->peer_netns, p->name) == 0)
			continue;
		q = kns_find(k, l->peer_netns);
		if (q)
			link_remove(k, q, l->link, false);
	}
	ksysctl_forget(k, p->name, NULL);
	netstate_free(p->st);
	free(p->ext);
	memmove(p, p + 1, (k->n - at - 1) * sizeof(*p));
	k->n--;
}

static int veth_new(struct ksim *k, const struct action *a, uint32_t group, struct error *err)
{
	struct kns *p, *q;
	struct ns_link *l1, *l2;
	int r, i1, i2;

	if (!(p = place(k, a->ns, err, &r)) || !(q = place(k, a->peer_ns, err, &r)))
		return r;
	if (klink(p, a->name) || (p == q && strcmp(a->name, a->peer) == 0))
		return refuse(err, -EEXIST, a->ns, a->name, "veth");
	if (klink(q, a->peer))
		return refuse(err, -EEXIST, a->peer_ns, a->peer, "veth peer");
	i1 = link_new(p, a->name, "veth", a->mtu, a->has_mac ? a->mac : NULL, a->alias, group,
		      a->no_ipv6);
	i2 = link_new(q, a->peer, "veth", a->peer_mtu, a->peer_has_mac ? a->peer_mac : NULL,
		      a->alias, group, a->peer_no_ipv6);
	l1 = klink_at(p, i1);
	l2 = klink_at(q, i2);
	l1->link = i2;
	snprintf(l1->peer_name, sizeof(l1->peer_name), "%s", a->peer);
	snprintf(l1->peer_netns, sizeof(l1->peer_netns), "%s", a->peer_ns);
	l1->peer_resolved = true;
	l2->link = i1;
	snprintf(l2->peer_name, sizeof(l2->peer_name), "%s", a->name);
	snprintf(l2->peer_netns, sizeof(l2->peer_netns), "%s", a->ns);
	l2->peer_resolved = true;
	return 0;
}

static int set_master(struct kns *p, struct ns_link *l, const struct action *a, struct error *err)
{
	int old = l->master;

	if (a->master[0]) {
		const struct ns_link *m = klink(p, a->master);

		if (!m)
			return refuse(err, -ENODEV, a->ns, a->master, "master");
		if (strcmp(m->kind, "bridge") != 0 || m == l)
			return refuse(err, -EOPNOTSUPP, a->ns, a->master, "master");
		l->master = m->ifindex;
	} else {
		l->master = 0;
	}
	if (old && old != l->master)
		bridge_adjust(p, old);
	if (l->master)
		bridge_adjust(p, l->master);
	return 0;
}

static struct ktable *table_find(const struct ksim *k, const char *name)
{
	for (size_t i = 0; i < k->n_tables; i++)
		if (strcmp(k->tables[i].name, name) == 0)
			return &k->tables[i];
	return NULL;
}

static void table_del(struct ksim *k, const char *name)
{
	struct ktable *t = table_find(k, name);

	if (!t)
		return;
	memmove(t, t + 1, (k->n_tables - (size_t)(t - k->tables) - 1) * sizeof(*t));
	k->n_tables--;
}

/*
 * The script must replace the table the action names (create-if-missing,
 * delete, define) and give it a comment, which the observer reads back.
 */
static int fw_apply(struct ksim *k, const struct action *a, struct error *err)
{
	char head[3 * OWNER_ALIAS_MAX + 96];
	struct ktable *t;
	const char *c, *end;

	snprintf(head, sizeof(head),
		 "table " OWNER_TABLE_FAMILY " %s {}\ndelete table " OWNER_TABLE_FAMILY
		 " %s\ntable " OWNER_TABLE_FAMILY " %s {\n\tcomment \"",
		 a->alias, a->alias, a->alias);
	if (!a->script || strncmp(a->script, head, strlen(head)) != 0)
		return error_set(err, -EINVAL,
				 "sim: the script does not replace table %s with a comment",
				 a->alias);
	c = a->script + strlen(head);
	end = strchr(c, '"');
	if (!end || (size_t)(end - c) >= sizeof(t->comment))
		return error_set(err, -EINVAL, "sim: unterminated table comment");
	if (!(t = table_find(k, a->alias))) {
		k->tables = wb_must(realloc(k->tables, (k->n_tables + 1) * sizeof(*k->tables)));
		t = &k->tables[k->n_tables++];
		snprintf(t->name, sizeof(t->name), "%s", a->alias);
	}
	memcpy(t->comment, c, (size_t)(end - c));
	t->comment[end - c] = '\0';
	return 0;
}

/* Actions on one existing link. */
static int run_on_link(struct ksim *k, struct kns *p, const struct action *a, struct error *err)
{
	struct ns_link *l = klink(p, a->name);

	if (!l)
		/* apply takes a missing link or address to delete for done */
		return a->type == ACT_LINK_DEL || a->type == ACT_ADDR_DEL
			       ? 0
			       : refuse(err, -ENODEV, a->ns, a->name, "link");
	switch (a->type) {
	case ACT_LINK_DEL:
		link_remove(k, p, l->ifindex, true);
		return 0;
	case ACT_LINK_MASTER:
		return set_master(p, l, a, err);
	case ACT_LINK_MTU:
		if (a->mtu < 68 || a->mtu > 65535)
			return refuse(err, -EINVAL, a->ns, a->name, "mtu of");
		l->mtu = a->mtu;
		if (strcmp(l->kind, "bridge") == 0)
			kext_get(p, l->ifindex)->mtu_user = true;
		if (l->master)
			bridge_adjust(p, l->master);
		return 0;
	case ACT_LINK_MAC:
		memcpy(l->mac, a->mac, MAC_LEN);
		l->mac_len = MAC_LEN;
		return 0;
	case ACT_LINK_UP:
	case ACT_LINK_DOWN:
		link_set_up(p, l, a->type == ACT_LINK_UP);
		return 0;
	case ACT_ADDR_ADD:
		if (addr_has(p, l->ifindex, &a->prefix))
			return refuse(err, -EEXIST, a->ns, a->name, "address on");
		addr_put(p, l->ifindex, &a->prefix);
		return 0;
	case ACT_ADDR_DEL:
		addr_del(p, l->ifindex, &a->prefix);
		return 0;
	default:
		return error_set(err, -EINVAL, "sim: action %d is not a link's", a->type);
	}
}

int ksim_run(struct ksim *k, const struct action *a, struct error *err)
{
	struct kns *p;
	struct ns_link *l;
	int r;

	switch (a->type) {
	case ACT_NS_ADD:
		if (kns_find(k, a->ns))
			return error_set(err, -EEXIST, "sim: namespace '%s' exists", a->ns);
		ns_new(k, a->ns, a->alias);
		return 0;
	case ACT_NS_DEL:
		if ((p = kns_find(k, a->ns)) && a->ns[0])
			ns_remove(k, p);
		return 0;
	case ACT_SYSCTL:
		if (ksim_sysctl(k, a->ns, a->key) < 0)
			return error_set(err, -ENOENT, "sim: sysctl %s%s%s: no such key", a->key,
					 a->ns[0] ? " in " : "", a->ns);
		ksysctl_set(k, a->ns, a->key, a->value);
		return 0;
	case ACT_FW_APPLY:
		return fw_apply(k, a, err);
	case ACT_FW_DEL:
		table_del(k, a->alias);
		return 0;
	case ACT_VETH_ADD:
		return veth_new(k, a, OWNER_GROUP, err);
	default:
		break;
	}
	if (!(p = place(k, a->ns, err, &r)))
		return r;
	switch (a->type) {
	case ACT_BRIDGE_ADD:
		if (klink(p, a->name))
			return refuse(err, -EEXIST, a->ns, a->name, "bridge");
		link_new(p, a->name, "bridge", a->mtu, a->has_mac ? a->mac : NULL, a->alias,
			 OWNER_GROUP, a->no_ipv6);
		return 0;
	case ACT_ROUTE_ADD:
		return route_add(p, a, err);
	case ACT_ROUTE_DEL:
		route_del(p, a);
		return 0;
	case ACT_LINK_GONE:
		/* The namespace deleted before took it along; apply only waits. */
		l = klink(p, a->name);
		if (l && l->ifindex == a->value)
			return error_set(err, -EBUSY,
					 "sim: link '%s' still there after namespace '%s' went",
					 a->name, a->peer_ns);
		return 0;
	default:
		return run_on_link(k, p, a, err);
	}
}

int ksim_apply(struct ksim *k, const struct plan *p, struct error *err)
{
	for (size_t i = 0; i < p->n; i++) {
		char what[256];
		int r = ksim_run(k, &p->v[i], err);

		if (r >= 0)
			continue;
		action_describe(&p->v[i], what, sizeof(what));
		return error_prefix(err, "step %zu of %zu (%s)", i + 1, p->n, what);
	}
	return 0;
}

/* A step of the undo log: an action, or putting a table back as it was. */
struct undo_step {
	struct action a; /* without restore list or script */
	bool table;
	bool had_table;
	struct ktable saved;
};

struct undo_log {
	struct undo_step *v;
	size_t n;
};

static struct undo_step *undo_push(struct undo_log *u, const struct action *a,
				   enum action_type type)
{
	struct undo_step *st;

	u->v = wb_must(realloc(u->v, (u->n + 1) * sizeof(*u->v)));
	st = &u->v[u->n++];
	memset(st, 0, sizeof(*st));
	st->a = *a;
	st->a.type = type;
	st->a.restore = NULL;
	st->a.n_restore = 0;
	st->a.script = NULL;
	return st;
}

/* Sizes of a place's lists, to tell whether a delete found anything. */
static size_t place_count(struct ksim *k, const char *ns, bool routes)
{
	const struct kns *p = kns_find(k, ns);

	return !p ? 0 : routes ? p->st->n_routes : p->st->n_addrs;
}

/* Runs a and records its inverse the way apply.c's run_action does. */
static int run_logged(struct ksim *k, const struct action *a, struct undo_log *u, struct error *err)
{
	const struct kns *p = kns_find(k, a->ns);
	bool link_was = p && a->name[0] && klink(p, a->name);
	size_t count = place_count(k, a->ns, a->type == ACT_ROUTE_DEL);
	const struct ktable *t =
		a->type == ACT_FW_APPLY || a->type == ACT_FW_DEL ? table_find(k, a->alias) : NULL;
	struct ktable saved = t ? *t : (struct ktable){{0}};
	int old_sysctl = a->type == ACT_SYSCTL ? ksim_sysctl(k, a->ns, a->key) : -1;
	struct undo_step *st;
	int r = ksim_run(k, a, err);

	if (r < 0)
		return r;
	switch (a->type) {
	case ACT_NS_ADD:
		undo_push(u, a, ACT_NS_DEL);
		break;
	case ACT_BRIDGE_ADD:
	case ACT_VETH_ADD:
		undo_push(u, a, ACT_LINK_DEL);
		break;
	case ACT_SYSCTL:
		/* apply.c reads the old value right before the write, and restores it. */
		if (old_sysctl >= 0 && old_sysctl != a->value)
			undo_push(u, a, ACT_SYSCTL)->a.value = old_sysctl;
		break;
	case ACT_FW_APPLY:
	case ACT_FW_DEL:
		st = undo_push(u, a, a->type);
		st->table = true;
		st->had_table = t != NULL;
		st->saved = saved;
		break;
	case ACT_LINK_UP:
	case ACT_LINK_DOWN:
		undo_push(u, a, a->type == ACT_LINK_UP ? ACT_LINK_DOWN : ACT_LINK_UP);
		break;
	case ACT_ADDR_ADD:
		undo_push(u, a, ACT_ADDR_DEL);
		break;
	case ACT_ADDR_DEL:
		if (place_count(k, a->ns, false) < count)
			undo_push(u, a, ACT_ADDR_ADD);
		break;
	case ACT_ROUTE_ADD:
		undo_push(u, a, ACT_ROUTE_DEL);
		break;
	case ACT_ROUTE_DEL:
		if (place_count(k, a->ns, true) < count)
			undo_push(u, a, ACT_ROUTE_ADD);
		break;
	case ACT_LINK_DEL:
	case ACT_LINK_MASTER:
	case ACT_LINK_MTU:
	case ACT_LINK_MAC:
		/* The planner's restore list, pushed reversed: it runs first to last. */
		if (a->type != ACT_LINK_DEL || link_was)
			for (size_t i = a->n_restore; i-- > 0;)
				undo_push(u, &a->restore[i], a->restore[i].type);
		break;
	default: /* ACT_NS_DEL, ACT_LINK_GONE: never undone */
		break;
	}
	return 0;
}

static void table_put(struct ksim *k, const struct ktable *saved)
{
	struct ktable *t = table_find(k, saved->name);

	if (!t) {
		k->tables = wb_must(realloc(k->tables, (k->n_tables + 1) * sizeof(*k->tables)));
		t = &k->tables[k->n_tables++];
	}
	*t = *saved;
}

int ksim_apply_failing(struct ksim *k, const struct plan *p, size_t fail_at, struct error *err,
		       struct error *undo_err)
{
	struct undo_log u = {0};
	int failed = 0;

	for (size_t i = 0; i < fail_at && i < p->n; i++) {
		int r = run_logged(k, &p->v[i], &u, err);

		if (r < 0) {
			char what[256];

			free(u.v);
			action_describe(&p->v[i], what, sizeof(what));
			return error_prefix(err, "step %zu of %zu (%s)", i + 1, p->n, what);
		}
	}
	for (size_t i = u.n; i-- > 0;) {
		const struct undo_step *st = &u.v[i];
		struct error e = {0};
		char what[256];

		if (st->table) {
			if (st->had_table)
				table_put(k, &st->saved);
			else
				table_del(k, st->a.alias);
			continue;
		}
		if (ksim_run(k, &st->a, &e) >= 0)
			continue;
		if (!failed++) {
			action_describe(&st->a, what, sizeof(what));
			error_set(undo_err, e.code, "undo (%s): %s", what, e.msg);
		}
	}
	free(u.v);
	return failed;
}

int ksim_foreign_link(struct ksim *k, const char *ns, const char *name, const char *kind,
		      struct error *err)
{
	struct kns *p;
	int r;

	if (!(p = place(k, ns, err, &r)))
		return r;
	if (klink(p, name))
		return refuse(err, -EEXIST, ns, name, "link");
	if (strcmp(kind, "veth") == 0)
		return error_set(err, -EINVAL, "sim: a foreign veth needs a peer: use ksim_run");
	r = link_new(p, name, kind, 0, NULL, NULL, 0, false);
	link_set_up(p, klink_at(p, r), true);
	return 0;
}

int ksim_foreign_ns(struct ksim *k, const char *name, const char *lo_alias, struct error *err)
{
	if (kns_find(k, name))
		return error_set(err, -EEXIST, "sim: namespace '%s' exists", name);
	ns_new(k, name, lo_alias);
	return 0;
}

struct ksim *ksim_new(void)
{
	struct ksim *k = wb_must(calloc(1, sizeof(*k)));
	struct action eth0 = {.type = ACT_VETH_ADD,
			      .ns = "",
			      .name = "eth0",
			      .peer_ns = "lan",
			      .peer = "eth0",
			      .has_mac = true,
			      .peer_has_mac = true,
			      .mac = {0x02, 0, 0, 0, 0, 0x02},
			      .peer_mac = {0x02, 0, 0, 0, 1, 0x02}};
	struct action gw = {.type = ACT_ROUTE_ADD, .ns = "", .route.dev = "eth0"};
	struct inet_prefix a;
	struct error err = {0};
	struct kns *host, *lan;

	ns_new(k, "", NULL);
	ns_new(k, "lan", NULL);
	if (veth_new(k, &eth0, 0, &err) < 0)
		goto fail;
	host = kns_find(k, "");
	lan = kns_find(k, "lan");
	link_set_up(host, klink(host, "eth0"), true);
	link_set_up(lan, klink(lan, "eth0"), true);
	inet_prefix_parse("192.168.1.2/24", &a, NULL);
	addr_put(host, klink(host, "eth0")->ifindex, &a);
	inet_prefix_parse("192.168.1.3/24", &a, NULL);
	addr_put(lan, klink(lan, "eth0")->ifindex, &a);
	inet_route_dst_parse("default", AF_INET, &gw.route.dst, NULL);
	inet_addr_parse("192.168.1.3", &gw.route.gateway, NULL);
	if (route_add(host, &gw, &err) < 0)
		goto fail;
	host->st->routes[host->st->n_routes - 1].protocol = RTPROT_BOOT;
	return k;
fail:
	fprintf(stderr, "ksim_new: %s\n", err.msg);
	abort();
}

void ksim_free(struct ksim *k)
{
	if (!k)
		return;
	for (size_t i = 0; i < k->n; i++) {
		netstate_free(k->ns[i].st);
		free(k->ns[i].ext);
	}
	free(k->ns);
	free(k->tables);
	free(k->sysctls);
	free(k);
}

/* The peer of l in the kernel's truth, wherever it is; NULL for none. */
static const struct ns_link *peer_of(const struct ksim *k, const struct ns_link *l)
{
	const struct kns *q;

	if (strcmp(l->kind, "veth") != 0 || !l->link || !(q = kns_find(k, l->peer_netns)))
		return NULL;
	return klink_at(q, l->link);
}

/* A bridge has carrier without ports, else when a port is up. */
static bool bridge_carrier(const struct kns *p, int ifindex)
{
	bool ports = false;

	for (size_t i = 0; i < p->st->n_links; i++) {
		if (p->st->links[i].master != ifindex)
			continue;
		if (p->st->links[i].flags & IFF_UP)
			return true;
		ports = true;
	}
	return !ports;
}

/* Carrier and operational state as the kernel reports them. */
static void carrier(const struct ksim *k, const struct kns *p, const struct ns_link *kl,
		    struct ns_link *l)
{
	bool on = false;

	if (kl->flags & IFF_UP) {
		const struct ns_link *peer = peer_of(k, kl);

		if (kl->flags & IFF_LOOPBACK)
			on = true;
		else if (peer)
			on = peer->flags & IFF_UP;
		else if (strcmp(kl->kind, "bridge") == 0)
			on = bridge_carrier(p, kl->ifindex);
		else
			on = true;
	}
	l->flags = kl->flags | (on ? IFF_RUNNING | IFF_LOWER_UP : 0);
	l->operstate = kl->flags & IFF_LOOPBACK ? IF_OPER_UNKNOWN
		       : on			? IF_OPER_UP
		       : kl->flags & IFF_UP	? IF_OPER_LOWERLAYERDOWN
						: IF_OPER_DOWN;
}

/* Which places an observation reads, and how much of each. */
struct seen {
	const struct kns *src;
	struct netstate *st;
	bool full;
};

static const struct seen *seen_find(const struct seen *v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].src->name, name) == 0)
			return &v[i];
	return NULL;
}

static void copy_place(const struct ksim *k, struct seen *s, const struct seen *all, size_t n,
		       bool resolve_host_local)
{
	const struct kns *p = s->src;

	s->st = wb_must(netstate_new());
	for (size_t i = 0; i < p->st->n_links; i++) {
		const struct ns_link *kl = &p->st->links[i];
		struct ns_link *l = wb_must(netstate_add_link(s->st));
		const struct seen *q;

		*l = *kl;
		/* A link dump carries accept_ra (IFLA_INET6_CONF), as src/sys/nl-observe.c reads it. */
		{
			char key[WORLD_SYSCTL_KEY_MAX];

			snprintf(key, sizeof(key), "net/ipv6/conf/%s/accept_ra", kl->name);
			l->accept_ra = ksim_sysctl(k, p->name, key);
			l->has_accept_ra = l->accept_ra >= 0;
		}
		memset(l->peer_name, 0, sizeof(l->peer_name));
		memset(l->peer_netns, 0, sizeof(l->peer_netns));
		l->peer_resolved = l->peer_in_host = false;
		l->link_nsid = -1;
		carrier(k, p, kl, l);
		if (strcmp(kl->kind, "veth") != 0 || !kl->link)
			continue;
		q = seen_find(all, n, kl->peer_netns);
		if (q != s && kns_find(k, kl->peer_netns))
			l->link_nsid = kns_find(k, kl->peer_netns)->nsid;
		/* world_observe resolves a host link's peer only in a namespace it read. */
		if (!q || (q == s && !p->name[0] && !resolve_host_local))
			continue;
		snprintf(l->peer_name, sizeof(l->peer_name), "%s", kl->peer_name);
		snprintf(l->peer_netns, sizeof(l->peer_netns), "%s", kl->peer_netns);
		l->peer_in_host = !kl->peer_netns[0];
		l->peer_resolved = true;
	}
	if (s->full) {
		for (size_t i = 0; i < p->st->n_addrs; i++)
			*(struct ns_addr *)wb_must(netstate_add_addr(s->st)) = p->st->addrs[i];
		for (size_t i = 0; i < p->st->n_routes; i++)
			*(struct ns_route *)wb_must(netstate_add_route(s->st)) = p->st->routes[i];
		derive_routes(p, s->st);
	}
	netstate_sort(s->st);
}

static struct world *observe(const struct ksim *k, const char *topo, const struct topology *want,
			     bool everything)
{
	struct world *w = wb_must(calloc(1, sizeof(*w)));
	struct seen *v = wb_must(calloc(k->n, sizeof(*v)));
	size_t n = 0;

	for (size_t i = 0; i < k->n; i++) {
		const struct kns *p = &k->ns[i];
		const struct ns_link *lo = klink(p, "lo");
		const char *owner = lo ? owner_of_alias(lo->alias) : NULL;
		bool mine = owner && name_netns_check(owner, NULL) == 0 && strcmp(owner, topo) == 0;
		bool wanted = want && topology_ns_find(want, p->name);

		if (!p->name[0] || everything || wanted)
			v[n++] = (struct seen){p, NULL, true};
		else if (mine)
			v[n++] = (struct seen){p, NULL, false};
	}
	for (size_t i = 0; i < n; i++)
		copy_place(k, &v[i], v, n, everything);
	w->host = v[0].st;
	w->ns = wb_must(calloc(n, sizeof(*w->ns)));
	for (size_t i = 1; i < n; i++) {
		struct world_ns *ns = &w->ns[w->n_ns++];
		const struct ns_link *lo = klink(v[i].src, "lo");
		const char *owner = lo ? owner_of_alias(lo->alias) : NULL;

		snprintf(ns->name, sizeof(ns->name), "%s", v[i].src->name);
		if (owner && name_netns_check(owner, NULL) == 0) {
			ns->marked = true;
			snprintf(ns->owner, sizeof(ns->owner), "%s", owner);
		}
		ns->st = v[i].st;
	}
	free(v);
	w->ip_forward = ksim_sysctl(k, "", "net/ipv4/ip_forward");
	return w;
}

struct sysctl_reader {
	const struct ksim *k;
	struct world *w;
};

/* As src/sys/observe.c: the keys the planner asks for, in namespaces that were read. */
static void read_sysctl(const char *ns, const char *key, void *data)
{
	struct sysctl_reader *rd = data;

	if (ns[0] && !world_ns_find(rd->w, ns))
		return;
	if (world_sysctl_set(rd->w, ns, key, ksim_sysctl(rd->k, ns, key)) < 0)
		abort(); /* out of memory in a test */
}

struct world *ksim_observe(const struct ksim *k, const char *topo, const struct topology *want)
{
	struct world *w = observe(k, topo, want, false);
	char name[OWNER_ALIAS_MAX + 8];
	const struct ktable *t;

	struct sysctl_reader rd = {k, w};

	owner_table(topo, name, sizeof(name));
	if ((t = table_find(k, name))) {
		w->fw_exists = true;
		snprintf(w->fw_comment, sizeof(w->fw_comment), "%s", t->comment);
	}
	plan_sysctl_keys(topo, want, w->host, read_sysctl, &rd);
	return w;
}

static int ksysctl_cmp(const void *x, const void *y)
{
	const struct ksysctl *a = x, *b = y;
	int d = strcmp(a->ns, b->ns);

	return d ? d : strcmp(a->key, b->key);
}

char *ksim_text(const struct ksim *k)
{
	_cleanup_(world_freep) struct world *w = observe(k, "", NULL, true);
	_cleanup_free_ char *text = wb_world_text(w);
	struct strbuf b = {0};

	strbuf_printf(&b, "%s", text);
	/* Sorted: the order of the writes does not show. */
	if (k->n_sysctls)
		qsort(k->sysctls, k->n_sysctls, sizeof(*k->sysctls), ksysctl_cmp);
	for (size_t i = 0; i < k->n_sysctls; i++)
		strbuf_printf(&b, "sysctl %s%s%s = %d\n", k->sysctls[i].ns[0] ? k->sysctls[i].ns : "",
			      k->sysctls[i].ns[0] ? ": " : "", k->sysctls[i].key, k->sysctls[i].value);
	for (size_t i = 0; i < k->n_tables; i++)
		strbuf_printf(&b, "table %s \"%s\"\n", k->tables[i].name, k->tables[i].comment);
	return wb_must(strbuf_take(&b));
}
