// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reading a namespace back: one dump per kind of object, parsed into a struct
 * netstate. Attributes are validated for length before use; an unknown or
 * short one is skipped rather than trusted.
 */
#include <errno.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/ipv6.h>
#include <linux/neighbour.h>
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>
#include <string.h>

#include "rtnl.h"

#define ATTR_TABLE_MAX 64

struct attr_table {
	const struct nlattr *tb[ATTR_TABLE_MAX];
};

static int collect_cb(const struct nlattr *attr, void *data)
{
	struct attr_table *t = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (type < ATTR_TABLE_MAX)
		t->tb[type] = attr;
	return MNL_CB_OK;
}

static void collect(const struct nlmsghdr *nlh, size_t hdr_len, struct attr_table *t)
{
	memset(t, 0, sizeof(*t));
	mnl_attr_parse(nlh, (unsigned)hdr_len, collect_cb, t);
}

static const struct nlattr *attr_u32(const struct attr_table *t, uint16_t type)
{
	const struct nlattr *a = t->tb[type];

	return a && mnl_attr_validate(a, MNL_TYPE_U32) == 0 ? a : NULL;
}

static const struct nlattr *attr_u8(const struct attr_table *t, uint16_t type)
{
	const struct nlattr *a = t->tb[type];

	return a && mnl_attr_validate(a, MNL_TYPE_U8) == 0 ? a : NULL;
}

static const struct nlattr *attr_str(const struct attr_table *t, uint16_t type)
{
	const struct nlattr *a = t->tb[type];

	return a && mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0 ? a : NULL;
}

/* An address attribute of exactly the family's length. */
static bool attr_inet(const struct attr_table *t, uint16_t type, int family,
		      struct inet_addr *ret)
{
	const struct nlattr *a = t->tb[type];
	size_t alen = inet_family_len(family);

	if (!a || !alen || mnl_attr_get_payload_len(a) != alen)
		return false;
	ret->family = family;
	memcpy(ret->bytes, mnl_attr_get_payload(a), alen);
	return true;
}

static void copy_str(char *dst, size_t len, const struct nlattr *a)
{
	snprintf(dst, len, "%s", a ? mnl_attr_get_str(a) : "");
}

static int link_kind_cb(const struct nlattr *attr, void *data)
{
	char *kind = data;

	if (mnl_attr_get_type(attr) == IFLA_INFO_KIND &&
	    mnl_attr_validate(attr, MNL_TYPE_STRING) == 0) {
		size_t n = mnl_attr_get_payload_len(attr);

		if (n >= LINK_KIND_MAX)
			n = LINK_KIND_MAX - 1;
		memcpy(kind, mnl_attr_get_payload(attr), n);
		kind[n] = '\0';
	}
	return MNL_CB_OK;
}

/* IFLA_AF_SPEC: the AF_INET6 nest's IFLA_INET6_CONF, an array of s32 by DEVCONF_*. */
static int link_inet6_cb(const struct nlattr *attr, void *data)
{
	struct ns_link *l = data;
	const struct nlattr *conf;

	if (mnl_attr_get_type(attr) != AF_INET6 || mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0)
		return MNL_CB_OK;
	mnl_attr_for_each_nested(conf, attr) {
		const uint8_t *v = mnl_attr_get_payload(conf);
		int32_t ra;

		if (mnl_attr_get_type(conf) != IFLA_INET6_CONF ||
		    mnl_attr_get_payload_len(conf) < (DEVCONF_ACCEPT_RA + 1) * sizeof(int32_t))
			continue;
		memcpy(&ra, v + DEVCONF_ACCEPT_RA * sizeof(int32_t), sizeof(ra));
		l->accept_ra = ra;
		l->has_accept_ra = true;
	}
	return MNL_CB_OK;
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct netstate *st = data;
	struct attr_table t;
	struct ns_link *l;
	const struct nlattr *a;

	if (nlh->nlmsg_type != RTM_NEWLINK || nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifi)))
		return MNL_CB_OK;
	collect(nlh, sizeof(*ifi), &t);
	if (!attr_str(&t, IFLA_IFNAME))
		return MNL_CB_OK;
	l = netstate_add_link(st);
	if (!l)
		return MNL_CB_ERROR;
	l->ifindex = ifi->ifi_index;
	l->flags = ifi->ifi_flags;
	l->link_nsid = -1;
	copy_str(l->name, sizeof(l->name), t.tb[IFLA_IFNAME]);
	if ((a = attr_u32(&t, IFLA_MTU)))
		l->mtu = mnl_attr_get_u32(a);
	if ((a = attr_u32(&t, IFLA_MASTER)))
		l->master = (int)mnl_attr_get_u32(a);
	if ((a = attr_u32(&t, IFLA_LINK)))
		l->link = (int)mnl_attr_get_u32(a);
	if ((a = attr_u32(&t, IFLA_LINK_NETNSID)))
		l->link_nsid = (int)mnl_attr_get_u32(a);
	if ((a = attr_u32(&t, IFLA_GROUP)))
		l->group = mnl_attr_get_u32(a);
	if ((a = attr_u8(&t, IFLA_OPERSTATE)))
		l->operstate = mnl_attr_get_u8(a);
	if ((a = attr_str(&t, IFLA_IFALIAS)))
		copy_str(l->alias, sizeof(l->alias), a);
	if ((a = t.tb[IFLA_ADDRESS]) && mnl_attr_get_payload_len(a) <= LLADDR_MAX) {
		l->mac_len = mnl_attr_get_payload_len(a);
		memcpy(l->mac, mnl_attr_get_payload(a), l->mac_len);
	}
	if ((a = t.tb[IFLA_LINKINFO]) && mnl_attr_validate(a, MNL_TYPE_NESTED) == 0)
		mnl_attr_parse_nested(a, link_kind_cb, l->kind);
	if ((a = t.tb[IFLA_AF_SPEC]) && mnl_attr_validate(a, MNL_TYPE_NESTED) == 0)
		mnl_attr_parse_nested(a, link_inet6_cb, l);
	/* IFLA_LINK of a non-veth (e.g. a tunnel's underlay) is not a peer. */
	if (strcmp(l->kind, "veth") != 0) {
		l->link = 0;
		l->link_nsid = -1;
	}
	return MNL_CB_OK;
}

static int addr_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	struct netstate *st = data;
	struct attr_table t;
	struct inet_addr addr;
	struct ns_addr *a;

	if (nlh->nlmsg_type != RTM_NEWADDR || nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifa)))
		return MNL_CB_OK;
	collect(nlh, sizeof(*ifa), &t);
	/* IFA_LOCAL is the address itself; IFA_ADDRESS is the peer's on point-to-point links. */
	if (!attr_inet(&t, IFA_LOCAL, ifa->ifa_family, &addr) &&
	    !attr_inet(&t, IFA_ADDRESS, ifa->ifa_family, &addr))
		return MNL_CB_OK;
	a = netstate_add_addr(st);
	if (!a)
		return MNL_CB_ERROR;
	a->ifindex = (int)ifa->ifa_index;
	a->prefix.addr = addr;
	a->prefix.len = ifa->ifa_prefixlen;
	a->scope = ifa->ifa_scope;
	return MNL_CB_OK;
}

static int route_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	struct netstate *st = data;
	struct attr_table t;
	struct ns_route *r;
	const struct nlattr *a;

	if (nlh->nlmsg_type != RTM_NEWROUTE || nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*rtm)))
		return MNL_CB_OK;
	if (rtm->rtm_family != AF_INET && rtm->rtm_family != AF_INET6)
		return MNL_CB_OK;
	if (rtm->rtm_flags & RTM_F_CLONED)
		return MNL_CB_OK; /* cache entries, not routes anyone configured */
	collect(nlh, sizeof(*rtm), &t);
	r = netstate_add_route(st);
	if (!r)
		return MNL_CB_ERROR;
	r->dst.addr.family = rtm->rtm_family;
	r->dst.len = rtm->rtm_dst_len;
	attr_inet(&t, RTA_DST, rtm->rtm_family, &r->dst.addr);
	attr_inet(&t, RTA_GATEWAY, rtm->rtm_family, &r->gateway);
	attr_inet(&t, RTA_PREFSRC, rtm->rtm_family, &r->prefsrc);
	r->table = rtm->rtm_table;
	if ((a = attr_u32(&t, RTA_TABLE)))
		r->table = mnl_attr_get_u32(a);
	if ((a = attr_u32(&t, RTA_OIF)))
		r->oif = (int)mnl_attr_get_u32(a);
	if ((a = attr_u32(&t, RTA_PRIORITY)))
		r->priority = mnl_attr_get_u32(a);
	r->protocol = rtm->rtm_protocol;
	r->scope = rtm->rtm_scope;
	r->type = rtm->rtm_type;
	return MNL_CB_OK;
}

static int neigh_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ndmsg *ndm = mnl_nlmsg_get_payload(nlh);
	struct netstate *st = data;
	struct attr_table t;
	struct inet_addr dst;
	struct ns_neigh *n;
	const struct nlattr *a;

	if (nlh->nlmsg_type != RTM_NEWNEIGH || nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ndm)))
		return MNL_CB_OK;
	collect(nlh, sizeof(*ndm), &t);
	if (!attr_inet(&t, NDA_DST, ndm->ndm_family, &dst))
		return MNL_CB_OK;
	n = netstate_add_neigh(st);
	if (!n)
		return MNL_CB_ERROR;
	n->ifindex = ndm->ndm_ifindex;
	n->dst = dst;
	n->state = ndm->ndm_state;
	if ((a = t.tb[NDA_LLADDR]) && mnl_attr_get_payload_len(a) <= LLADDR_MAX) {
		n->lladdr_len = mnl_attr_get_payload_len(a);
		memcpy(n->lladdr, mnl_attr_get_payload(a), n->lladdr_len);
	}
	return MNL_CB_OK;
}

static int dump_links(struct nl_sock *s, struct netstate *st, struct error *err)
{
	struct ifinfomsg *ifi;
	struct nl_msg m;

	ifi = nl_msg_init(&m, RTM_GETLINK, 0, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	nl_msg_put_u32(&m, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	return nl_dump(s, &m, link_cb, st, err, "links");
}

static int dump_addrs(struct nl_sock *s, struct netstate *st, struct error *err)
{
	struct ifaddrmsg *ifa;
	struct nl_msg m;

	ifa = nl_msg_init(&m, RTM_GETADDR, 0, sizeof(*ifa));
	ifa->ifa_family = AF_UNSPEC;
	return nl_dump(s, &m, addr_cb, st, err, "addresses");
}

static int dump_routes(struct nl_sock *s, int family, struct netstate *st, struct error *err)
{
	struct rtmsg *rtm;
	struct nl_msg m;

	rtm = nl_msg_init(&m, RTM_GETROUTE, 0, sizeof(*rtm));
	rtm->rtm_family = (uint8_t)family;
	return nl_dump(s, &m, route_cb, st, err, "routes");
}

static int dump_neighs(struct nl_sock *s, struct netstate *st, struct error *err)
{
	struct ndmsg *ndm;
	struct nl_msg m;

	ndm = nl_msg_init(&m, RTM_GETNEIGH, 0, sizeof(*ndm));
	ndm->ndm_family = AF_UNSPEC;
	return nl_dump(s, &m, neigh_cb, st, err, "neighbours");
}

/*
 * A dump that raced with a change (NLM_F_DUMP_INTR, e.g. another topology
 * coming up at the same time) is thrown away and read again.
 */
static int dump_retrying(struct nl_sock *s, struct netstate *st,
			 int (*dump)(struct nl_sock *, struct netstate *, struct error *),
			 struct error *err)
{
	for (int tries = 0;; tries++) {
		size_t links = st->n_links, addrs = st->n_addrs, routes = st->n_routes,
		       neighs = st->n_neighs;
		int r = dump(s, st, err);

		if (r != -EAGAIN || tries == 20)
			return r;
		st->n_links = links;
		st->n_addrs = addrs;
		st->n_routes = routes;
		st->n_neighs = neighs;
	}
}

/* Every family in one dump; route_cb keeps IPv4 and IPv6. */
static int dump_routes_all(struct nl_sock *s, struct netstate *st, struct error *err)
{
	return dump_routes(s, AF_UNSPEC, st, err);
}

int nl_observe(struct nl_sock *s, struct netstate *st, unsigned what, struct error *err)
{
	int r = 0;

	if (what & NL_OBSERVE_LINKS)
		r = dump_retrying(s, st, dump_links, err);
	if (r >= 0 && (what & NL_OBSERVE_ADDRS))
		r = dump_retrying(s, st, dump_addrs, err);
	if (r >= 0 && (what & NL_OBSERVE_ROUTES))
		r = dump_retrying(s, st, dump_routes_all, err);
	if (r >= 0 && (what & NL_OBSERVE_NEIGHS))
		r = dump_retrying(s, st, dump_neighs, err);
	if (r < 0)
		return r;
	netstate_sort(st);
	return 0;
}

static int nsid_cb(const struct nlmsghdr *nlh, void *data)
{
	struct attr_table t;
	const struct nlattr *a;
	int *nsid = data;

	if (nlh->nlmsg_type != RTM_NEWNSID)
		return MNL_CB_OK;
	collect(nlh, sizeof(struct rtgenmsg), &t);
	if ((a = attr_u32(&t, NETNSA_NSID)))
		*nsid = (int)mnl_attr_get_u32(a);
	return MNL_CB_OK;
}

int nl_netns_id(struct nl_sock *s, int netns_fd, int *ret_nsid, struct error *err)
{
	struct rtgenmsg *g;
	struct nl_msg m;
	int nsid = -1;
	int r;

	g = nl_msg_init(&m, RTM_GETNSID, 0, sizeof(*g));
	g->rtgen_family = AF_UNSPEC;
	nl_msg_put_u32(&m, NETNSA_FD, (uint32_t)netns_fd);
	r = nl_request_reply(s, &m, nsid_cb, &nsid, err, "namespace id");
	if (r < 0)
		return r;
	*ret_nsid = nsid < 0 ? -1 : nsid;
	return 0;
}

int nl_observe_link(struct nl_sock *s, const char *name, struct netstate *st, struct error *err)
{
	struct ifinfomsg *ifi;
	struct nl_msg m;
	char what[64];
	int r;

	r = name_ifname_check(name, err);
	if (r < 0)
		return r;
	ifi = nl_msg_init(&m, RTM_GETLINK, 0, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	nl_msg_put_str(&m, IFLA_IFNAME, name);
	nl_msg_put_u32(&m, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	snprintf(what, sizeof(what), "link '%s'", name);
	r = nl_request_reply(s, &m, link_cb, st, err, what);
	if (r == -ENODEV)
		error_clear(err);
	return r;
}

int nl_observe_addrs_of(struct nl_sock *s, int ifindex, struct netstate *st, struct error *err)
{
	struct ifaddrmsg *ifa;
	struct nl_msg m;

	/* With NETLINK_GET_STRICT_CHK the kernel sends the link's addresses only. */
	ifa = nl_msg_init(&m, RTM_GETADDR, 0, sizeof(*ifa));
	ifa->ifa_family = AF_UNSPEC;
	ifa->ifa_index = (unsigned)ifindex;
	return nl_dump(s, &m, addr_cb, st, err, "addresses");
}
