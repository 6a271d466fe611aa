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
 * - Hairpin: a namespace reaching a forward that lands on its own bridge
 *   would get the reply straight from the server, bypassing the host's
 *   conntrack; such connections (ct status dnat, both ends in our subnets)
 *   are masqueraded to the bridge address.
 * - NAT: traffic from a subnet of a "nat: true" bridge leaving through any
 *   link that is not one of the topology's bridges is masqueraded. Traffic
 *   that was only DNATed keeps its real source: the server sees the client.
 * - Isolation: every nsnet bridge is in link group OWNER_GROUP; traffic
 *   forwarded into one of our bridges from a bridge in that group that is not
 *   ours (another topology) is dropped. Each topology guards its own bridges,
 *   so both directions are covered without knowing the other topologies.
 */
#ifndef NSNET_FW_H
#define NSNET_FW_H

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

/* "nsnet:TOPOLOGY:HASH", the comment fw_script_build puts on the table. */
void fw_comment(const char *topo, const char *hash, char *buf, size_t len);

/* The script that deletes the table (valid whether or not it exists). */
char *fw_script_delete(const char *topo);

#endif
