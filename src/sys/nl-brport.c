// SPDX-License-Identifier: GPL-2.0-or-later
/* Bridge ports: hairpin mode, and the ports of a bridge. */
#include <errno.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>

#include "rtnl.h"

int nl_brport_set_hairpin(struct nl_sock *s, const char *name, bool on, struct error *err)
{
	struct nlattr *info, *data;
	struct ifinfomsg *ifi;
	struct nl_msg m;
	int r;

	r = name_ifname_check(name, err);
	if (r < 0)
		return r;
	/* As `ip link set NAME type bridge_slave hairpin on`: by name, in one request. */
	ifi = nl_msg_init(&m, RTM_NEWLINK, 0, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	nl_msg_put_str(&m, IFLA_IFNAME, name);
	info = nl_msg_nest_start(&m, IFLA_LINKINFO);
	nl_msg_put_str(&m, IFLA_INFO_SLAVE_KIND, "bridge");
	data = nl_msg_nest_start(&m, IFLA_INFO_SLAVE_DATA);
	nl_msg_put_u8(&m, IFLA_BRPORT_MODE, on ? 1 : 0);
	nl_msg_nest_end(&m, data);
	nl_msg_nest_end(&m, info);
	return nl_request(s, &m, err, "bridge port '%s' (hairpin %s)", name, on ? "on" : "off");
}

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	if (nlh->nlmsg_type == RTM_NEWLINK)
		(*(size_t *)data)++;
	return MNL_CB_OK;
}

int nl_bridge_port_count(struct nl_sock *s, int bridge_ifindex, size_t *ret_n,
			 struct error *err)
{
	struct ifinfomsg *ifi;
	struct nl_msg m;
	size_t n = 0;
	int r;

	/* With NETLINK_GET_STRICT_CHK, IFLA_MASTER makes the kernel send only its ports. */
	ifi = nl_msg_init(&m, RTM_GETLINK, 0, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	nl_msg_put_u32(&m, IFLA_MASTER, (uint32_t)bridge_ifindex);
	nl_msg_put_u32(&m, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	r = nl_dump(s, &m, count_cb, &n, err, "bridge ports");
	if (r >= 0)
		*ret_n = n;
	return r;
}
