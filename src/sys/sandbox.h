/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A private world for `nsnet demo`: the process moves into a new network and
 * mount namespace with its own /run and a copy-on-write /etc, so everything it
 * builds afterwards (namespaces, links, nftables, sysctls) vanishes with it and
 * the machine's own network is never touched. Also the demo's "outside LAN".
 */
#ifndef NSNET_SANDBOX_H
#define NSNET_SANDBOX_H

#include "core/error.h"
#include "core/inet.h"

/* Must be the first thing the process does to the system; single-threaded callers only. */
int sandbox_enter(struct error *err);

/*
 * The outside LAN of the tutorial: namespace ns, a veth "eth0" on the host
 * with host_addr whose peer "eth0" in ns has lan_addr, and the host's default
 * route via the LAN address (the LAN is the way to the rest of the world).
 */
struct sandbox_lan {
	const char *ns;
	struct inet_prefix host_addr, lan_addr;
};
int sandbox_lan_add(const struct sandbox_lan *lan, struct error *err);
/* Adds lan's two addresses to the LAN sandbox_lan_add made (another family). */
int sandbox_lan_add_address(const struct sandbox_lan *lan, struct error *err);
void sandbox_lan_del(const struct sandbox_lan *lan);

#endif
