// SPDX-License-Identifier: GPL-2.0-or-later
/* Addresses on links. */
#include <errno.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include "rtnl.h"

static int addr_msg(struct nl_sock *s, struct nl_msg *m, uint16_t type, uint16_t flags,
		    const char *dev, const struct inet_prefix *p, struct error *err)
{
	struct ifaddrmsg *ifa;
	size_t alen = inet_family_len(p->addr.family);
	int ifindex, r;

	if (!alen)
		return error_input(err, -EAFNOSUPPORT, "address on '%s': no address family", dev);
	r = nl_link_index(s, dev, &ifindex, err);
	if (r < 0)
		return r;
	ifa = nl_msg_init(m, type, flags, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)p->addr.family;
	ifa->ifa_prefixlen = p->len;
	ifa->ifa_index = (uint32_t)ifindex;
	nl_msg_put(m, IFA_LOCAL, alen, p->addr.bytes);
	nl_msg_put(m, IFA_ADDRESS, alen, p->addr.bytes);
	/*
	 * No duplicate address detection: the topology's addresses were checked
	 * unique before anything was applied, and DAD would leave an IPv6
	 * address unusable ("tentative") for a second or two after up returns.
	 */
	if (type == RTM_NEWADDR && p->addr.family == AF_INET6)
		nl_msg_put_u32(m, IFA_FLAGS, IFA_F_NODAD);
	return 0;
}

int nl_addr_add(struct nl_sock *s, const char *dev, const struct inet_prefix *p,
		struct error *err)
{
	char buf[PREFIX_STR_MAX];
	struct nl_msg m;
	int r;

	inet_prefix_format(p, buf, sizeof(buf));
	r = addr_msg(s, &m, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, dev, p, err);
	if (r < 0)
		return error_prefix(err, "address %s", buf);
	return nl_request(s, &m, err, "address %s on '%s'", buf, dev);
}

int nl_addr_del(struct nl_sock *s, const char *dev, const struct inet_prefix *p,
		struct error *err)
{
	char buf[PREFIX_STR_MAX];
	struct nl_msg m;
	int r;

	inet_prefix_format(p, buf, sizeof(buf));
	r = addr_msg(s, &m, RTM_DELADDR, 0, dev, p, err);
	if (r < 0)
		return error_prefix(err, "address %s", buf);
	return nl_request(s, &m, err, "address %s on '%s'", buf, dev);
}
