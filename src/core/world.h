/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The observed model: what the kernel holds that matters to one topology (the
 * host, the named namespaces it wants or owns, its nft table, forwarding), as
 * pure data. src/sys/observe.c fills it; the planner compares it with a
 * topology; doctor judges it. The same structs (struct netstate) hold the
 * links, addresses and routes the topology wants and the ones observed.
 */
#ifndef NSNET_WORLD_H
#define NSNET_WORLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "name.h"
#include "netstate.h"

/* A namespace as observed: its state and who owns it. */
struct world_ns {
	char name[NETNS_NAME_MAX + 1];
	char owner[NETNS_NAME_MAX + 1]; /* "" when lo carries no nsnet mark */
	bool marked;
	struct netstate *st;
};

/* Host links a topology may claim although unmarked (its journal names them). */
struct world_claims {
	char (*names)[IFNAME_MAX + 1];
	size_t n;
};

void world_claims_add(struct world_claims *c, const char *name);
bool world_claims_has(const struct world_claims *c, const char *name);
void world_claims_clear(struct world_claims *c);

/*
 * A sysctl the planner asked about (plan_sysctl_keys), as read: in namespace
 * ns ("" the host), key under /proc/sys ("net/ipv4/conf/v-net-0/route_localnet"),
 * value -1 when absent or unreadable. noted: for a setting of the host that
 * is not nsnet's (an uplink's force_forwarding), the value it had before nsnet
 * changed it, as the state directory remembers it (state.h); -1 none.
 */
#define WORLD_SYSCTL_KEY_MAX 64
struct world_sysctl {
	char ns[NETNS_NAME_MAX + 1];
	char key[WORLD_SYSCTL_KEY_MAX];
	int value;
	int noted;
};

/*
 * A VXLAN device of the host (src/sys/nl-vxlan.c reads every one, for the
 * VNIs in use) and, for the topology's own, its all-zeros FDB entries: the
 * remotes it floods to. Learned and static per-MAC entries are not read.
 */
struct world_fdb {
	struct inet_addr dst;
	uint16_t port; /* 0: the device's */
	bool has_vni;
	uint32_t vni; /* when has_vni, else the device's */
	int via;      /* the underlay device's ifindex (NDA_IFINDEX); 0: none */
};

struct world_vxlan {
	int ifindex;
	char name[IFNAME_MAX + 1];
	uint32_t id;
	uint16_t port;
	struct inet_addr local; /* family 0: none */
	struct inet_addr group; /* a default remote or group; family 0: none */
	int link;		/* IFLA_VXLAN_LINK: the underlay device; 0 none */
	bool learning;
	bool fdb_read; /* its entries were read (the topology's own) */
	struct world_fdb *fdb;
	size_t n_fdb;
};

/*
 * Open vSwitch as observed (src/sys/observe-ovs.c): the OVSDB rows, whether
 * ovs-vswitchd runs, whether the kernel has OVS's datapath, and the TX
 * checksum offload of the namespace ends of OVS ports on the userspace
 * datapath (which needs it off for TCP: see src/sys/ethtool.h).
 */
enum world_ovs_state {
	WORLD_OVS_NONE,	       /* not looked at, or no server there: nothing of OVS */
	WORLD_OVS_UNREACHABLE, /* the topology wants OVS and its database could not be read */
	WORLD_OVS_OK,
};

struct world_txcsum {
	char ns[NETNS_NAME_MAX + 1];
	char name[IFNAME_MAX + 1];
	bool on;
};

struct ovsdb_state;

struct world_ovs {
	enum world_ovs_state state;
	char target[128];      /* "unix:PATH" looked at */
	char error[ERROR_MSG_MAX]; /* WORLD_OVS_UNREACHABLE: why */
	struct ovsdb_state *db;	   /* WORLD_OVS_OK: the rows (core/ovsdb-state.h), owned */
	bool vswitchd;		   /* ovs-vswitchd holds its OVSDB lock, i.e. runs */
	bool kmod;		   /* /sys/module/openvswitch: the kernel datapath exists */
	struct world_txcsum *txcsum;
	size_t n_txcsum;
};

/* Records a link's TX checksum offload; -ENOMEM. */
int world_txcsum_set(struct world_ovs *o, const char *ns, const char *name, bool on);
/* 1 on, 0 off, -1 not read. */
int world_txcsum_get(const struct world_ovs *o, const char *ns, const char *name);

/* What the kernel holds that matters to one topology. */
struct world {
	struct netstate *host;
	struct world_ns *ns; /* every named namespace the topology wants or owns, by name */
	size_t n_ns;
	bool fw_exists;
	char fw_comment[256];
	int ip_forward; /* -1: unknown */
	struct world_sysctl *sysctls; /* what plan_sysctl_keys asked for */
	size_t n_sysctls;
	/*
	 * An open-addressing index of sysctls by (ns, key): one key per
	 * namespace interface, so 1000 namespaces ask for over 1000 keys.
	 */
	size_t *sysctl_slots; /* index + 1; 0: empty */
	size_t sysctl_cap;    /* a power of two, at least twice n_sysctls; 0: none yet */
	struct world_claims claims;
	struct world_vxlan *vxlans; /* every VXLAN device of the host */
	size_t n_vxlans;
	struct world_ovs ovs;
};

void world_free(struct world *w);
static inline void world_freep(struct world **w)
{
	world_free(*w);
}
struct world_ns *world_ns_find(const struct world *w, const char *name);
/* The VXLAN device named name on the host, or NULL. */
const struct world_vxlan *world_vxlan_find(const struct world *w, const char *name);
/* Records a sysctl's value (replacing an earlier one of ns and key); -ENOMEM. */
int world_sysctl_set(struct world *w, const char *ns, const char *key, int value);
/* Its value; -1 when it was not read or does not exist. */
int world_sysctl_get(const struct world *w, const char *ns, const char *key);
/* Records what the state directory noted for a sysctl read before; -ENOENT if it was not. */
int world_sysctl_note(struct world *w, const char *ns, const char *key, int old);
/* The noted value; -1 when none. */
int world_sysctl_noted(const struct world *w, const char *ns, const char *key);

#endif
