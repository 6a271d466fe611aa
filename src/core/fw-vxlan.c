// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The firewall of bridges that span hosts (fw.h): the host takes a tunnel's
 * datagrams only from the remotes the file lists. One rule per bridge, in
 * an input chain of the topology's own table, drops UDP to the tunnel's port
 * whose VXLAN header carries the bridge's VNI (bits 96-119 past the UDP
 * header's start) unless it comes from a remote; with "dev" or "local" only
 * what arrives there, to that address. A rule matches exactly what the
 * kernel would hand to this bridge's device, so another topology's tunnel
 * on the same port (another VNI, another underlay) is never touched. What
 * the remotes send passes: the chain accepts by policy, and other tables
 * decide for themselves.
 */
#include <stdio.h>
#include <sys/socket.h>

#include "fw.h"
#include "quote.h"
#include "strbuf.h"

static bool any_vxlan(const struct topology *t)
{
	for (size_t i = 0; i < t->n_bridges; i++)
		if (t->bridges[i].vxlan)
			return true;
	return false;
}

static int put_rule(struct strbuf *b, const struct topology_bridge *br, struct error *err)
{
	const struct topology_vxlan *vx = br->vxlan;
	const char *fam = vx->remotes[0].prefix.addr.family == AF_INET6 ? "ip6" : "ip";
	char addr[INET_STR_MAX], dev[IFNAME_MAX * 4 + 3];
	int r;

	strbuf_printf(b, "\t\tudp dport %u @th,96,24 %u ", vx->port, vx->id);
	if (vx->dev[0]) {
		r = quote_nft(vx->dev, QUOTE_NFT_STRING, dev, sizeof(dev), "vxlan dev", err);
		if (r < 0)
			return r;
		strbuf_printf(b, "iifname %s ", dev);
	}
	if (vx->has_local) {
		inet_addr_format(&vx->local, addr, sizeof(addr));
		strbuf_printf(b, "%s daddr %s ", fam, addr);
	}
	strbuf_printf(b, "%s saddr != { ", fam);
	for (size_t i = 0; i < vx->n_remotes; i++) {
		inet_addr_format(&vx->remotes[i].prefix.addr, addr, sizeof(addr));
		strbuf_printf(b, "%s%s", i ? ", " : "", addr);
	}
	strbuf_printf(b, " } drop\n");
	return 0;
}

int fw_vxlan_put(struct strbuf *b, const struct topology *t, struct error *err)
{
	int r;

	if (!any_vxlan(t))
		return 0;
	strbuf_printf(b, "\tchain vxlan-in {\n\t\ttype filter hook input priority filter; "
			 "policy accept;\n");
	for (size_t i = 0; i < t->n_bridges; i++) {
		if (!t->bridges[i].vxlan)
			continue;
		r = put_rule(b, &t->bridges[i], err);
		if (r < 0)
			return r;
	}
	strbuf_printf(b, "\t}\n");
	return 0;
}
