/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The firewall of a topology as nft text: one table, inet nsnet-TOPOLOGY,
 * replaced whole in one transaction (create-if-missing, delete, define).
 *
 * - Port forwards: one map per family, (protocol . port) -> (address . port),
 *   and one keyed by host address for forwards bound to one; a single rule
 *   per hook looks the packet up, whatever the number of forwards. Ranges are
 *   expanded into elements so each port keeps its offset. The rules only
 *   match traffic addressed to the host itself (fib daddr type local), in
 *   prerouting (from outside and from the namespaces) and output (from the
 *   host's own processes).
 * - Localhost: a host process connecting to 127.0.0.1:PORT reaches the forward,
 *   as Docker users expect. The kernel routes a packet with a 127.0.0.0/8
 *   source out of a bridge only with net.ipv4.conf.BRIDGE.route_localnet = 1
 *   (the planner sets it on each bridge a forward's IPv4 target sits behind:
 *   fw_bridge_localnet), and the target could not answer 127.0.0.1, so such
 *   packets are masqueraded to the bridge address. route_localnet also lets
 *   packets arriving on the bridge reach the host's 127.0.0.1 services
 *   (CVE-2020-8558): a filter chain at priority raw, before any NAT, drops
 *   whatever arrives on our bridges addressed to 127.0.0.0/8. Replies of the
 *   forward itself arrive addressed to the bridge address and are turned back
 *   into 127.0.0.1 only later. IPv6 has no route_localnet: ::1 is left out of
 *   the DNAT, so a host service on [::1]:PORT keeps answering.
 * - Other topologies: traffic arriving from a bridge in link group
 *   OWNER_GROUP that is not ours is not DNATed (isolation would drop it after
 *   the DNAT: a black hole); it reaches the host's own port as if there were
 *   no forward.
 * - Hairpin: a namespace reaching a forward that lands on its own bridge
 *   would get the reply straight from the server, bypassing the host's
 *   conntrack; such connections (ct status dnat, both ends in our subnets)
 *   are masqueraded to the bridge address.
 * - VXLAN: a bridge's tunnel is taken from its remotes only (fw-vxlan.c).
 * - NAT: traffic from a subnet of a "nat: true" bridge leaving through any
 *   link that is not one of the topology's bridges is masqueraded. Traffic
 *   that was only DNATed keeps its real source: the server sees the client.
 * - Isolation: every nsnet bridge is in link group OWNER_GROUP; traffic
 *   forwarded into one of our bridges from a bridge in that group that is not
 *   ours (another topology) is dropped. Each topology guards its own bridges,
 *   so both directions are covered without knowing the other topologies.
 *
 * Every name enters the script through quote_nft (core/quote.h): a bridge
 * name nft cannot quote is refused, never spliced into the script.
 */
#ifndef NSNET_FW_H
#define NSNET_FW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "topology.h"

#define FW_HASH_LEN 16

/*
 * Builds the script for t into *ret (malloc'ed), or sets *ret to NULL when the
 * topology needs no table (no bridge, no forward). hash receives a digest of
 * the table's content, also written into the table's comment.
 */
int fw_script_build(const struct topology *t, char **ret, char hash[FW_HASH_LEN + 1],
		    struct error *err);

struct strbuf;
/*
 * The chain that takes each VXLAN bridge's datagrams from its remotes only
 * (fw-vxlan.c); nothing when no bridge has "vxlan:".
 */
int fw_vxlan_put(struct strbuf *b, const struct topology *t, struct error *err);

/* "nsnet:TOPOLOGY:HASH", the comment fw_script_build puts on the table. */
void fw_comment(const char *topo, const char *hash, char *buf, size_t len);

/*
 * The script that deletes the table of topo (valid whether or not it exists),
 * followed by then when not NULL (a listing that puts an older table back).
 */
int fw_script_delete(const char *topo, const char *then, char **ret, struct error *err);

/*
 * Whether bridge b needs net.ipv4.conf.B.route_localnet = 1: an IPv4 forward
 * of t targets an address of b's subnets, so 127.0.0.1 must be routable out of b.
 */
bool fw_bridge_localnet(const struct topology *t, const struct topology_bridge *b);

/*
 * One element of a forward map as text a person reads, the same whether it
 * comes from a file or from the kernel: "tcp 80 -> 192.168.15.2:80", with the
 * host address first when there is one ("192.168.1.2 tcp 8080 -> ...") and
 * IPv6 addresses in brackets ("tcp 80 -> [fd00::2]:80").
 */
#define FW_ELEMENT_MAX 128
void fw_element_text(const char *host, const char *proto, unsigned port, const char *to,
		     unsigned to_port, char *buf, size_t len);
/* Calls fn for each element of the forward maps t calls for. */
void fw_forward_elements(const struct topology *t, void (*fn)(const char *elem, void *data),
			 void *data);

/* The lowest and highest host port of t's forwards of proto; false when it has none. */
bool fw_port_span(const struct topology *t, enum topology_proto proto, uint16_t *lo, uint16_t *hi);

/* A socket on the host that receives on a port, as sock_diag reports it. */
struct fw_listener {
	enum topology_proto proto;
	struct inet_addr addr; /* bound address; IPv6 "::" is the wildcard */
	uint16_t port;
	bool v6only; /* an IPv6 socket that receives no IPv4 */
};

/*
 * Whether a forward of t takes traffic that l used to receive (then `up`
 * warns); the warning, naming port, protocol and l's address, into buf.
 */
bool fw_listener_shadowed(const struct topology *t, const struct fw_listener *l, char *buf,
			  size_t len);

#endif
