// SPDX-License-Identifier: GPL-2.0-or-later
/* Links: veth pairs, bridges, and changes to an existing link by name. */
#include <errno.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/ip.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <stdlib.h>
#include <string.h>

#include "core/name.h"
#include "rtnl.h"

static struct ifinfomsg *link_msg(struct nl_msg *m, uint16_t type, uint16_t flags)
{
	struct ifinfomsg *ifi = nl_msg_init(m, type, flags, sizeof(*ifi));

	if (ifi)
		ifi->ifi_family = AF_UNSPEC;
	return ifi;
}

/* The attributes a new link may carry, at the current nesting level. */
static void put_link_attrs(struct nl_msg *m, const char *name, const struct link_attrs *a)
{
	nl_msg_put_str(m, IFLA_IFNAME, name);
	if (!a)
		return;
	if (a->mtu)
		nl_msg_put_u32(m, IFLA_MTU, a->mtu);
	if (a->mac)
		nl_msg_put(m, IFLA_ADDRESS, MAC_LEN, a->mac);
	if (a->alias)
		nl_msg_put_str(m, IFLA_IFALIAS, a->alias);
	if (a->netns_fd >= 0)
		nl_msg_put_u32(m, IFLA_NET_NS_FD, (uint32_t)a->netns_fd);
	if (a->group)
		nl_msg_put_u32(m, IFLA_GROUP, a->group);
}

static int check_names(const char *name, const char *peer, struct error *err)
{
	int r = name_ifname_check(name, err);

	if (r < 0 || !peer)
		return r;
	return name_ifname_check(peer, err);
}

/* A creation request for link name of kind: its attributes, and IFLA_LINKINFO left open. */
static struct nlattr *create_msg(struct nl_msg *m, const char *name, const struct link_attrs *a,
				 const char *kind)
{
	struct nlattr *linkinfo;

	link_msg(m, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	put_link_attrs(m, name, a);
	linkinfo = nl_msg_nest_start(m, IFLA_LINKINFO);
	nl_msg_put_str(m, IFLA_INFO_KIND, kind);
	return linkinfo;
}

int nl_link_add_veth(struct nl_sock *s, const char *name, const struct link_attrs *a,
		     const char *peer, const struct link_attrs *pa, struct error *err)
{
	struct nl_msg m;
	struct nlattr *linkinfo, *data, *peer_nest;
	struct ifinfomsg *pifi;
	int r;

	r = check_names(name, peer, err);
	if (r < 0)
		return r;
	linkinfo = create_msg(&m, name, a, "veth");
	data = nl_msg_nest_start(&m, IFLA_INFO_DATA);
	peer_nest = nl_msg_nest_start(&m, VETH_INFO_PEER);
	/* The peer's attributes follow an ifinfomsg of its own, inside the nest. */
	if (!m.overflow && m.nlh->nlmsg_len + MNL_ALIGN(sizeof(*pifi)) <= m.size) {
		pifi = mnl_nlmsg_put_extra_header(m.nlh, sizeof(*pifi));
		pifi->ifi_family = AF_UNSPEC;
	} else {
		m.overflow = true;
	}
	put_link_attrs(&m, peer, pa);
	nl_msg_nest_end(&m, peer_nest);
	nl_msg_nest_end(&m, data);
	nl_msg_nest_end(&m, linkinfo);
	return nl_request(s, &m, err, "veth '%s' (peer '%s')", name, peer);
}

int nl_link_add_bridge(struct nl_sock *s, const char *name, const struct link_attrs *a,
		       struct error *err)
{
	struct nl_msg m;
	struct nlattr *linkinfo;
	int r;

	r = check_names(name, NULL, err);
	if (r < 0)
		return r;
	linkinfo = create_msg(&m, name, a, "bridge");
	nl_msg_nest_end(&m, linkinfo);
	return nl_request(s, &m, err, "bridge '%s'", name);
}

struct index_reply {
	int ifindex;
};

static int index_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct index_reply *ir = data;

	if (nlh->nlmsg_type == RTM_NEWLINK && nlh->nlmsg_len >= mnl_nlmsg_size(sizeof(*ifi)))
		ir->ifindex = ifi->ifi_index;
	return MNL_CB_OK;
}

int nl_link_index(struct nl_sock *s, const char *name, int *ret_ifindex, struct error *err)
{
	struct index_reply ir = {0};
	struct nl_msg m;
	char what[64];
	int r;

	r = check_names(name, NULL, err);
	if (r < 0)
		return r;
	link_msg(&m, RTM_GETLINK, 0);
	nl_msg_put_str(&m, IFLA_IFNAME, name);
	/* Only the index is wanted: skip the statistics and VF blobs. */
	nl_msg_put_u32(&m, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	snprintf(what, sizeof(what), "link '%s'", name);
	r = nl_request_reply(s, &m, index_cb, &ir, err, what);
	if (r == -ENODEV)
		return error_set(err, -ENODEV, "link '%s'%s does not exist", name,
				 nl_sock_where(s));
	if (r < 0)
		return r;
	if (ir.ifindex <= 0)
		return error_set(err, -EBADMSG, "link '%s'%s: no index in reply", name,
				 nl_sock_where(s));
	*ret_ifindex = ir.ifindex;
	return 0;
}

/* An RTM_NEWLINK without NLM_F_CREATE changes the existing link named name. */
static struct ifinfomsg *change_msg(struct nl_msg *m, const char *name)
{
	struct ifinfomsg *ifi = link_msg(m, RTM_NEWLINK, 0);

	nl_msg_put_str(m, IFLA_IFNAME, name);
	return ifi;
}

int nl_link_set_master(struct nl_sock *s, const char *name, const char *master,
		       struct error *err)
{
	int master_index = 0;
	int r;

	r = check_names(name, master, err);
	if (r < 0)
		return r;
	if (master) {
		r = nl_link_index(s, master, &master_index, err);
		if (r < 0)
			return error_prefix(err, "link '%s': set master", name);
	}
	return nl_link_set_master_index(s, name, master, master_index, err);
}

int nl_link_set_master_index(struct nl_sock *s, const char *name, const char *master,
			     int master_index, struct error *err)
{
	struct nl_msg m;
	int r;

	r = check_names(name, master, err);
	if (r < 0)
		return r;
	change_msg(&m, name);
	nl_msg_put_u32(&m, IFLA_MASTER, (uint32_t)master_index);
	if (master)
		return nl_request(s, &m, err, "link '%s' (master '%s')", name, master);
	return nl_request(s, &m, err, "link '%s' (no master)", name);
}

int nl_link_set_alias_up(struct nl_sock *s, const char *name, const char *alias,
			 struct error *err)
{
	struct ifinfomsg *ifi;
	struct nl_msg m;
	int r;

	r = check_names(name, NULL, err);
	if (r < 0)
		return r;
	ifi = change_msg(&m, name);
	ifi->ifi_change = IFF_UP;
	ifi->ifi_flags = IFF_UP;
	nl_msg_put_str(&m, IFLA_IFALIAS, alias);
	return nl_request(s, &m, err, "link '%s' (alias, up)", name);
}

int nl_link_set_up(struct nl_sock *s, const char *name, bool up, struct error *err)
{
	struct ifinfomsg *ifi;
	struct nl_msg m;
	int r;

	r = check_names(name, NULL, err);
	if (r < 0)
		return r;
	ifi = change_msg(&m, name);
	ifi->ifi_change = IFF_UP;
	ifi->ifi_flags = up ? IFF_UP : 0;
	return nl_request(s, &m, err, "link '%s' (%s)", name, up ? "up" : "down");
}

/* One u32 attribute of an existing link; what names it in errors. */
static int set_u32(struct nl_sock *s, const char *name, uint16_t attr, uint32_t value,
		   const char *what, struct error *err)
{
	struct nl_msg m;
	int r;

	r = check_names(name, NULL, err);
	if (r < 0)
		return r;
	change_msg(&m, name);
	nl_msg_put_u32(&m, attr, value);
	return nl_request(s, &m, err, "link '%s' (%s %u)", name, what, value);
}

int nl_link_set_mtu(struct nl_sock *s, const char *name, unsigned mtu, struct error *err)
{
	return set_u32(s, name, IFLA_MTU, mtu, "mtu", err);
}

int nl_link_set_group(struct nl_sock *s, const char *name, uint32_t group, struct error *err)
{
	return set_u32(s, name, IFLA_GROUP, group, "group", err);
}

int nl_link_del(struct nl_sock *s, const char *name, struct error *err)
{
	struct nl_msg m;
	int r;

	r = check_names(name, NULL, err);
	if (r < 0)
		return r;
	link_msg(&m, RTM_DELLINK, 0);
	nl_msg_put_str(&m, IFLA_IFNAME, name);
	return nl_request(s, &m, err, "link '%s'", name);
}

int nl_link_set_mac(struct nl_sock *s, const char *name, const uint8_t mac[MAC_LEN],
		    struct error *err)
{
	char buf[MAC_STR_MAX];
	struct nl_msg m;
	int r;

	r = check_names(name, NULL, err);
	if (r < 0)
		return r;
	change_msg(&m, name);
	nl_msg_put(&m, IFLA_ADDRESS, MAC_LEN, mac);
	mac_format(mac, MAC_LEN, buf, sizeof(buf));
	return nl_request(s, &m, err, "link '%s' (address %s)", name, buf);
}

int nl_link_set_alias(struct nl_sock *s, const char *name, const char *alias, struct error *err)
{
	struct nl_msg m;
	int r;

	r = check_names(name, NULL, err);
	if (r < 0)
		return r;
	change_msg(&m, name);
	nl_msg_put_str(&m, IFLA_IFALIAS, alias);
	return nl_request(s, &m, err, "link '%s' (alias)", name);
}

static int setup_request(struct nl_sock *s, const char *name, const char *alias, bool ipv6_off,
			 struct error *err)
{
	struct nlattr *spec, *inet, *conf, *inet6;
	struct nl_msg m;

	change_msg(&m, name);
	if (alias)
		nl_msg_put_str(&m, IFLA_IFALIAS, alias);
	spec = nl_msg_nest_start(&m, IFLA_AF_SPEC);
	inet = nl_msg_nest_start(&m, AF_INET);
	conf = nl_msg_nest_start(&m, IFLA_INET_CONF);
	nl_msg_put_u32(&m, IPV4_DEVCONF_PROMOTE_SECONDARIES, 1);
	nl_msg_nest_end(&m, conf);
	nl_msg_nest_end(&m, inet);
	if (ipv6_off) {
		inet6 = nl_msg_nest_start(&m, AF_INET6);
		nl_msg_put_u8(&m, IFLA_INET6_ADDR_GEN_MODE, IN6_ADDR_GEN_MODE_NONE);
		nl_msg_nest_end(&m, inet6);
	}
	nl_msg_nest_end(&m, spec);
	return nl_request(s, &m, err, "link '%s' (%s)", name,
			  ipv6_off ? "mark, promote_secondaries, addrgenmode none"
				   : "mark, promote_secondaries");
}

int nl_link_setup(struct nl_sock *s, const char *name, const char *alias, bool ipv6_off,
		  struct error *err)
{
	int r;

	r = check_names(name, NULL, err);
	if (r < 0)
		return r;
	r = setup_request(s, name, alias, ipv6_off, err);
	/* A kernel without IPv6 has no address generation to turn off. */
	if (r == -EAFNOSUPPORT && ipv6_off)
		r = setup_request(s, name, alias, false, err);
	return r;
}

/* The links being waited for, sorted by index, and which of them are still there. */
struct gone_set {
	int *index;
	bool *present;
	size_t n, left;
};

static bool *gone_find(struct gone_set *g, int ifindex)
{
	size_t lo = 0, hi = g->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (g->index[mid] == ifindex)
			return &g->present[mid];
		if (g->index[mid] < ifindex)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int gone_dump_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct gone_set *g = data;
	bool *p;

	if (nlh->nlmsg_type == RTM_NEWLINK && nlh->nlmsg_len >= mnl_nlmsg_size(sizeof(*ifi)) &&
	    (p = gone_find(g, ifi->ifi_index)))
		*p = true;
	return MNL_CB_OK;
}

static int gone_event_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct gone_set *g = data;
	bool *p;

	if (nlh->nlmsg_type == RTM_DELLINK && nlh->nlmsg_len >= mnl_nlmsg_size(sizeof(*ifi)) &&
	    (p = gone_find(g, ifi->ifi_index)) && *p) {
		*p = false;
		g->left--;
	}
	return MNL_CB_OK;
}

/* Which of the links are there now; the monitor is subscribed already. */
static int gone_dump(struct nl_sock *s, struct gone_set *g, struct error *err)
{
	struct ifinfomsg *ifi;
	struct nl_msg m;
	int r;

	for (int tries = 0;; tries++) {
		memset(g->present, 0, g->n * sizeof(*g->present));
		ifi = link_msg(&m, RTM_GETLINK, 0);
		ifi->ifi_family = AF_UNSPEC;
		nl_msg_put_u32(&m, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
		r = nl_dump(s, &m, gone_dump_cb, g, err, "links");
		if (r != -EAGAIN || tries == 20)
			break;
	}
	g->left = 0;
	for (size_t i = 0; i < g->n; i++)
		g->left += g->present[i];
	return r;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

int nl_links_wait_gone(struct nl_sock *s, const int *ifindex, bool *ret_gone, size_t n,
		       int idle_ms, struct error *err)
{
	_cleanup_nl_sock_ struct nl_sock *mon = NULL;
	_cleanup_free_ int *index = malloc((n ? n : 1) * sizeof(*index));
	_cleanup_free_ bool *present = calloc(n ? n : 1, sizeof(*present));
	struct gone_set g = {.index = index, .present = present, .n = n};
	int r;

	if (!index || !present)
		return error_set(err, -ENOMEM, "out of memory");
	memcpy(index, ifindex, n * sizeof(*index));
	qsort(index, n, sizeof(*index), cmp_int);
	/* Subscribed before the dump: a link going after the dump is then reported. */
	r = nl_sock_open(&mon, err);
	if (r >= 0)
		r = nl_sock_subscribe(mon, RTNLGRP_LINK, err);
	if (r >= 0)
		r = gone_dump(s, &g, err);
	while (r >= 0 && g.left) {
		r = nl_recv_events(mon, idle_ms, gone_event_cb, &g, err);
		if (r == 0)
			break; /* nothing went for idle_ms: something holds them */
		if (r == -ENOBUFS)
			r = gone_dump(s, &g, err);
	}
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		bool *p = gone_find(&g, ifindex[i]);

		ret_gone[i] = !p || !*p;
	}
	return 0;
}
