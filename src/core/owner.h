/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * How nsnet marks what it owns, on the kernel objects themselves, so that
 * `down` finds everything even when /run/nsnet is gone and never touches what
 * carries no mark:
 *   - links (bridges, both ends of every veth): IFLA_IFALIAS "nsnet:TOPOLOGY";
 *   - namespaces: the alias of their lo, "nsnet:TOPOLOGY" (a namespace has no
 *     attribute of its own, and lo lives and dies with it);
 *   - routes: protocol OWNER_RTPROT, inside namespaces the topology owns;
 *   - nftables: the table "inet nsnet-TOPOLOGY", whose comment carries a hash
 *     of the script that built it, so an unchanged table is not rewritten;
 *   - OVSDB rows (Bridge, Port, Interface): external_ids OWNER_OVS_KEY=TOPOLOGY,
 *     set in the transaction that inserts them; an OVS bridge's internal port
 *     (a link ovs-vswitchd makes) gets the link's alias and group after it;
 *   - bridges are also put in link group OWNER_GROUP, which the firewall uses
 *     to keep topologies apart (nft can match a group, not an alias).
 */
#ifndef NSNET_OWNER_H
#define NSNET_OWNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define OWNER_ALIAS_PREFIX "nsnet:"
#define OWNER_ALIAS_MAX (sizeof(OWNER_ALIAS_PREFIX) + 64)
#define OWNER_RTPROT 110     /* unassigned in iproute2's rt_protos */
#define OWNER_GROUP 0x6e736e74u /* "nsnt" */
#define OWNER_TABLE_PREFIX "nsnet-"
#define OWNER_TABLE_FAMILY "inet"
#define OWNER_OVS_KEY "nsnet-topology"

static inline void owner_alias(const char *topo, char *buf, size_t len)
{
	snprintf(buf, len, OWNER_ALIAS_PREFIX "%s", topo);
}

/* The topology named by an alias, or NULL when the alias is not nsnet's. */
static inline const char *owner_of_alias(const char *alias)
{
	if (strncmp(alias, OWNER_ALIAS_PREFIX, strlen(OWNER_ALIAS_PREFIX)) != 0)
		return NULL;
	return alias + strlen(OWNER_ALIAS_PREFIX);
}

static inline bool owner_alias_is(const char *alias, const char *topo)
{
	const char *o = owner_of_alias(alias);

	return o && strcmp(o, topo) == 0;
}

static inline void owner_table(const char *topo, char *buf, size_t len)
{
	snprintf(buf, len, OWNER_TABLE_PREFIX "%s", topo);
}

#endif
