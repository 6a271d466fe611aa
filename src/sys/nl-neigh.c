// SPDX-License-Identifier: GPL-2.0-or-later
/* Neighbour (ARP / NDP) entries. */
#include <errno.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include "rtnl.h"

static int neigh_change(struct nl_sock *s, uint16_t type, uint16_t flags, const char *dev,
			const struct inet_addr *dst, const uint8_t *mac, struct error *err)
{
	size_t alen = inet_family_len(dst->family);
	char ip[INET_STR_MAX];
	struct ndmsg *ndm;
	struct nl_msg m;
	int ifindex, r;

	if (!alen)
		return error_input(err, -EAFNOSUPPORT, "neighbour on '%s': no address family", dev);
	inet_addr_format(dst, ip, sizeof(ip));
	r = nl_link_index(s, dev, &ifindex, err);
	if (r < 0)
		return error_prefix(err, "neighbour %s", ip);
	ndm = nl_msg_init(&m, type, flags, sizeof(*ndm));
	ndm->ndm_family = (uint8_t)dst->family;
	ndm->ndm_ifindex = ifindex;
	ndm->ndm_state = NUD_PERMANENT;
	nl_msg_put(&m, NDA_DST, alen, dst->bytes);
	if (mac)
		nl_msg_put(&m, NDA_LLADDR, MAC_LEN, mac);
	return nl_request(s, &m, err, "neighbour %s on '%s'", ip, dev);
}

int nl_neigh_add(struct nl_sock *s, const char *dev, const struct inet_addr *dst,
		 const uint8_t mac[MAC_LEN], struct error *err)
{
	return neigh_change(s, RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_EXCL, dev, dst, mac, err);
}

int nl_neigh_del(struct nl_sock *s, const char *dev, const struct inet_addr *dst,
		 struct error *err)
{
	return neigh_change(s, RTM_DELNEIGH, 0, dev, dst, NULL, err);
}
