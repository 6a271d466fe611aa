// SPDX-License-Identifier: GPL-2.0-or-later
/* Routes. */
#include <errno.h>
#include <linux/rtnetlink.h>
#include <stdio.h>

#include "rtnl.h"

static void route_describe(const struct route_spec *r, char *buf, size_t len)
{
	char dst[PREFIX_STR_MAX] = "default", gw[INET_STR_MAX];
	int n;

	if (r->dst.len)
		inet_prefix_format(&r->dst, dst, sizeof(dst));
	n = snprintf(buf, len, "route %s", dst);
	if (r->gateway.family && n >= 0 && (size_t)n < len) {
		inet_addr_format(&r->gateway, gw, sizeof(gw));
		n += snprintf(buf + n, len - (size_t)n, " via %s", gw);
	}
	if (r->dev && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " dev '%s'", r->dev);
}

static int route_msg(struct nl_sock *s, struct nl_msg *m, uint16_t type, uint16_t flags,
		     const struct route_spec *r, struct error *err)
{
	int family = r->dst.addr.family ? r->dst.addr.family : r->gateway.family;
	size_t alen = inet_family_len(family);
	struct rtmsg *rtm;
	int oif = 0;

	if (!alen)
		return error_input(err, -EAFNOSUPPORT, "no address family");
	if (r->gateway.family && r->gateway.family != family)
		return error_input(err, -EINVAL, "gateway of another address family");
	if (r->dev) {
		int ret = nl_link_index(s, r->dev, &oif, err);

		if (ret < 0)
			return ret;
	}
	rtm = nl_msg_init(m, type, flags, sizeof(*rtm));
	rtm->rtm_family = (uint8_t)family;
	rtm->rtm_dst_len = r->dst.len;
	rtm->rtm_table = r->table && r->table < 256 ? (uint8_t)r->table : RT_TABLE_MAIN;
	if (type == RTM_NEWROUTE) {
		rtm->rtm_protocol = r->protocol ? r->protocol : RTPROT_STATIC;
		rtm->rtm_scope = r->gateway.family ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
		rtm->rtm_type = RTN_UNICAST;
	} else {
		/* On delete, unset fields are wildcards: any protocol, any scope. */
		rtm->rtm_protocol = r->protocol;
		rtm->rtm_scope = RT_SCOPE_NOWHERE;
		rtm->rtm_type = RTN_UNICAST;
	}
	if (r->table >= 256)
		nl_msg_put_u32(m, RTA_TABLE, r->table);
	if (r->dst.len)
		nl_msg_put(m, RTA_DST, alen, r->dst.addr.bytes);
	if (r->gateway.family)
		nl_msg_put(m, RTA_GATEWAY, alen, r->gateway.bytes);
	if (oif)
		nl_msg_put_u32(m, RTA_OIF, (uint32_t)oif);
	if (r->priority)
		nl_msg_put_u32(m, RTA_PRIORITY, r->priority);
	return 0;
}

static int route_change(struct nl_sock *s, uint16_t type, uint16_t flags,
			const struct route_spec *r, struct error *err)
{
	char what[160];
	struct nl_msg m;
	int ret;

	route_describe(r, what, sizeof(what));
	ret = route_msg(s, &m, type, flags, r, err);
	if (ret < 0)
		return error_prefix(err, "%s", what);
	return nl_request(s, &m, err, "%s", what);
}

int nl_route_add(struct nl_sock *s, const struct route_spec *r, struct error *err)
{
	return route_change(s, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, r, err);
}

int nl_route_del(struct nl_sock *s, const struct route_spec *r, struct error *err)
{
	return route_change(s, RTM_DELROUTE, 0, r, err);
}
