// SPDX-License-Identifier: GPL-2.0-or-later
/* One line per action, as `up --dry-run` and `up` print them. */
#include <stdio.h>
#include <string.h>

#include "owner.h"
#include "plan.h"

const char *action_type_name(enum action_type t)
{
	static const char *const names[] = {
		[ACT_NS_ADD] = "ns-add",	   [ACT_NS_DEL] = "ns-del",
		[ACT_BRIDGE_ADD] = "bridge-add",   [ACT_VETH_ADD] = "veth-add",
		[ACT_LINK_DEL] = "link-del",	   [ACT_LINK_MASTER] = "link-master",
		[ACT_LINK_MTU] = "link-mtu",	   [ACT_LINK_MAC] = "link-mac",
		[ACT_LINK_UP] = "link-up",	   [ACT_LINK_DOWN] = "link-down",
		[ACT_ADDR_ADD] = "addr-add",	   [ACT_ADDR_DEL] = "addr-del",
		[ACT_ROUTE_ADD] = "route-add",	   [ACT_ROUTE_DEL] = "route-del",
		[ACT_SYSCTL] = "sysctl",
		[ACT_FW_APPLY] = "firewall-apply",
		[ACT_FW_DEL] = "firewall-del",	   [ACT_LINK_GONE] = "link-gone",
		[ACT_VXLAN_ADD] = "vxlan-add",	   [ACT_FDB_ADD] = "fdb-add",
		[ACT_FDB_DEL] = "fdb-del",
		[ACT_OVS_BRIDGE_ADD] = "ovs-bridge-add", [ACT_OVS_PORT_ADD] = "ovs-port-add",
		[ACT_OVS_PORT_DEL] = "ovs-port-del", [ACT_OVS_BRIDGE_DEL] = "ovs-bridge-del",
		[ACT_OVS_WAIT] = "ovs-wait",	   [ACT_LINK_CLAIM] = "link-claim",
		[ACT_TXCSUM] = "tx-checksum",
		[ACT_BRPORT_HAIRPIN] = "hairpin",  [ACT_FW_ELEMENTS] = "firewall-elements",
	};

	return (size_t)t < sizeof(names) / sizeof(names[0]) && names[t] ? names[t] : "?";
}

/*
 * A key as sysctl(8) writes it, dots between the parts ("net.ipv4.ip_forward"),
 * unless a part holds a dot itself (an interface "v.net"): then the slashes
 * of the path, which sysctl(8) reads too.
 */
static void sysctl_text(const char *key, char *buf, size_t len)
{
	const char *ifpart = strstr(key, "/conf/");

	snprintf(buf, len, "%s", key);
	if (ifpart && strchr(ifpart + 6, '.'))
		return;
	for (char *c = buf; *c; c++)
		if (*c == '/')
			*c = '.';
}

/* "'veth-red' in 'red'" or "'veth-red-br'" (the host). */
static void at(const char *ns, const char *name, char *buf, size_t len)
{
	if (ns[0])
		snprintf(buf, len, "'%s' in '%s'", name, ns);
	else
		snprintf(buf, len, "'%s'", name);
}

static void route_text(const struct plan_route *r, char *buf, size_t len)
{
	char dst[PREFIX_STR_MAX] = "default", gw[INET_STR_MAX];
	int n;

	if (r->dst.len)
		inet_prefix_format(&r->dst, dst, sizeof(dst));
	n = snprintf(buf, len, "%s", dst);
	if (r->gateway.family && n >= 0 && (size_t)n < len) {
		inet_addr_format(&r->gateway, gw, sizeof(gw));
		n += snprintf(buf + n, len - (size_t)n, " via %s", gw);
	}
	if (r->dev[0] && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " dev %s", r->dev);
}

void action_describe(const struct action *a, char *buf, size_t len)
{
	char x[NETNS_NAME_MAX + IFNAME_MAX + 16], y[NETNS_NAME_MAX + IFNAME_MAX + 16];
	char p[PREFIX_STR_MAX + 64], mac[MAC_STR_MAX];

	at(a->ns, a->name, x, sizeof(x));
	switch (a->type) {
	case ACT_NS_ADD:
		snprintf(buf, len, "+ namespace '%s'", a->ns);
		break;
	case ACT_NS_DEL:
		snprintf(buf, len, "- namespace '%s'", a->ns);
		break;
	case ACT_BRIDGE_ADD:
		snprintf(buf, len, "+ bridge %s", x);
		break;
	case ACT_VETH_ADD:
		at(a->peer_ns, a->peer, y, sizeof(y));
		snprintf(buf, len, "+ veth %s%s <-> %s", x, a->ns[0] ? "" : " (host)", y);
		break;
	case ACT_LINK_DEL:
		snprintf(buf, len, "- link %s%s", x, a->recreate ? " (to recreate)" : "");
		break;
	case ACT_LINK_MASTER:
		if (a->master[0])
			snprintf(buf, len, "~ link %s: master '%s'", x, a->master);
		else
			snprintf(buf, len, "~ link %s: no master", x);
		break;
	case ACT_LINK_MTU:
		snprintf(buf, len, "~ link %s: mtu %u", x, a->mtu);
		break;
	case ACT_LINK_MAC:
		mac_format(a->mac, MAC_LEN, mac, sizeof(mac));
		snprintf(buf, len, "~ link %s: address %s", x, mac);
		break;
	case ACT_LINK_UP:
		snprintf(buf, len, "~ link %s: up", x);
		break;
	case ACT_LINK_DOWN:
		snprintf(buf, len, "~ link %s: down", x);
		break;
	case ACT_ADDR_ADD:
	case ACT_ADDR_DEL:
		inet_prefix_format(&a->prefix, p, sizeof(p));
		snprintf(buf, len, "%c address %s on %s", a->type == ACT_ADDR_ADD ? '+' : '-', p,
			 x);
		break;
	case ACT_ROUTE_ADD:
	case ACT_ROUTE_DEL:
		route_text(&a->route, p, sizeof(p));
		if (a->ns[0])
			snprintf(buf, len, "%c route %s in '%s'", a->type == ACT_ROUTE_ADD ? '+' : '-',
				 p, a->ns);
		else
			snprintf(buf, len, "%c route %s on the host",
				 a->type == ACT_ROUTE_ADD ? '+' : '-', p);
		break;
	case ACT_SYSCTL:
		sysctl_text(a->key, p, sizeof(p));
		snprintf(buf, len, "~ sysctl %s = %d%s%s%s", p, a->value, a->ns[0] ? " in '" : "",
			 a->ns, a->ns[0] ? "'" : "");
		break;
	case ACT_FW_APPLY:
		snprintf(buf, len, "~ nftables table " OWNER_TABLE_FAMILY " %s (one transaction)",
			 a->alias);
		break;
	case ACT_FW_DEL:
		snprintf(buf, len, "- nftables table " OWNER_TABLE_FAMILY " %s", a->alias);
		break;
	case ACT_LINK_GONE:
		snprintf(buf, len, "- link %s (with namespace '%s')", x, a->peer_ns);
		break;
	case ACT_VXLAN_ADD:
	case ACT_FDB_ADD:
	case ACT_FDB_DEL:
		plan_vxlan_describe(a, buf, len);
		break;
	case ACT_OVS_BRIDGE_ADD:
		snprintf(buf, len, "+ OVS bridge '%s' (datapath %s)", a->name, a->key);
		break;
	case ACT_OVS_PORT_ADD:
		snprintf(buf, len, "+ OVS port '%s' on '%s'", a->name, a->master);
		break;
	case ACT_OVS_PORT_DEL:
		snprintf(buf, len, "- OVS port '%s' from '%s'", a->name, a->master);
		break;
	case ACT_OVS_BRIDGE_DEL:
		snprintf(buf, len, "- OVS bridge '%s' (with its ports)", a->name);
		break;
	case ACT_OVS_WAIT:
		snprintf(buf, len, "~ wait for ovs-vswitchd to apply the OVSDB changes");
		break;
	case ACT_LINK_CLAIM:
		snprintf(buf, len, "~ link %s: mark (made by ovs-vswitchd)", x);
		break;
	case ACT_TXCSUM:
		snprintf(buf, len, "~ link %s: tx checksum offload %s", x, a->value ? "on" : "off");
		break;
	case ACT_BRPORT_HAIRPIN:
		snprintf(buf, len, "~ link %s: hairpin %s", x, a->value ? "on" : "off");
		break;
	case ACT_FW_ELEMENTS:
		snprintf(buf, len, "%c nftables elements of '%s' in " OWNER_TABLE_FAMILY " %s (%d)",
			 a->tolerant ? '-' : '+', a->peer_ns, a->alias, a->value);
		break;
	}
}
