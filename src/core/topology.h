/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The topology file: what a user wants (bridges on the host, namespaces with
 * their interfaces, addresses and routes, port forwards), parsed from a YAML
 * buffer into a model and validated as a whole before anything touches the
 * kernel. Pure: the caller reads the file, we only get its bytes.
 *
 * Every error reads "FILE:LINE:COL: KEY: REASON", LINE and COL 1-based and
 * pointing at the offending key or value, KEY the path to it with mapping keys
 * joined by '.' and sequence positions as "[i]" (0-based):
 * "namespaces.blue.routes[1].via". Errors about the file as a whole (size,
 * binary data, directives, YAML syntax, emptiness) have no key to name and
 * read "FILE:LINE:COL: REASON". The first error found is the one reported.
 *
 * Cables: an interface either plugs into a bridge through a veth pair
 * ("bridge:", whose host end is "host-end:") or is one end of a veth pair whose
 * other end is in a namespace ("peer: NS/IFACE"). A cable may be declared on
 * one side only, then the other end is created bare (no addresses, no MTU); or
 * on both sides, then each side must name the other. The peer namespace must
 * exist either way, and no interface may be the peer of two cables.
 *
 * Derived host ends: a bridged interface without "host-end:" gets
 * "nsn-" and the 32-bit FNV-1a hash of "NS/IFACE" in 8 hex digits: 12 bytes,
 * stable across runs, and checked for collisions like any other name (set
 * "host-end:" explicitly on a collision).
 */
#ifndef NSNET_TOPOLOGY_H
#define NSNET_TOPOLOGY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "inet.h"
#include "name.h"

/* Caps on what a user controls, checked with a located error, never truncated. */
#define TOPOLOGY_FILE_MAX (1024 * 1024)
#define TOPOLOGY_DEPTH_MAX 16
#define TOPOLOGY_NAMESPACES_MAX 4096
#define TOPOLOGY_BRIDGES_MAX 4096
#define TOPOLOGY_IFACES_MAX 64	/* per namespace */
#define TOPOLOGY_ADDRS_MAX 16	/* per interface or bridge */
#define TOPOLOGY_ROUTES_MAX 256 /* per namespace */
#define TOPOLOGY_FORWARDS_MAX 65536
/*
 * Ports all forwards cover together: each is one element of an nft map (ranges
 * are expanded to keep their offsets), and a generous cap keeps the generated
 * script small. Identity ranges as interval elements would lift it.
 */
#define TOPOLOGY_FORWARD_PORTS_MAX 16384
#define TOPOLOGY_CHECKS_MAX 4096

#define TOPOLOGY_VXLAN_REMOTES_MAX 256 /* per bridge */
#define TOPOLOGY_VXLAN_PORT 4789       /* IANA's VXLAN port, the default */
#define TOPOLOGY_VNI_MAX 16777215      /* 24 bits */

#define TOPOLOGY_MTU_MIN 68
#define TOPOLOGY_MTU_MAX 65535

/* Where an object or value was written: 1-based line and column. */
struct topology_pos {
	unsigned line;
	unsigned col;
};

struct topology_addr {
	struct inet_prefix prefix;
	struct topology_pos pos;
};

/*
 * "vxlan:" on a bridge: the segment extends to other hosts through a VXLAN
 * device, a port of the bridge, that sends every flooded frame to each remote
 * (head-end replication: one all-zeros FDB entry per remote, no multicast).
 * Its name is derived from the bridge's: "nsv-" and the 32-bit FNV-1a hash of
 * the bridge name, 12 bytes, checked for collisions like derived host ends.
 */
struct topology_vxlan {
	char name[IFNAME_MAX + 1]; /* the device, derived */
	struct topology_pos pos;   /* of its mapping */
	uint32_t id;		   /* the VNI */
	/* The other hosts' underlay addresses; prefix.len is the full length. */
	struct topology_addr remotes[TOPOLOGY_VXLAN_REMOTES_MAX];
	size_t n_remotes;
	struct inet_addr local; /* family 0: none, the kernel picks the source */
	struct topology_pos local_pos;
	bool has_local;
	uint16_t port;		  /* UDP destination port */
	char dev[IFNAME_MAX + 1]; /* the underlay device; "": the route to the remotes */
	struct topology_pos dev_pos;
	bool learning;
	bool learning_set;
};

/* The switch a bridge is: the kernel's bridge, or Open vSwitch through OVSDB. */
enum topology_bridge_type {
	TOPOLOGY_BRIDGE_LINUX,
	TOPOLOGY_BRIDGE_OVS,
};

/* An OVS bridge's datapath_type; AUTO: system with the openvswitch module, else netdev. */
enum topology_datapath {
	TOPOLOGY_DATAPATH_AUTO,
	TOPOLOGY_DATAPATH_SYSTEM,
	TOPOLOGY_DATAPATH_NETDEV,
};

/* "unix:" and a socket path (sun_path holds 107 bytes and a NUL). */
#define TOPOLOGY_OVSDB_MAX (5 + 107)
#define TOPOLOGY_OVSDB_DEFAULT "unix:/run/openvswitch/db.sock"

struct topology_bridge {
	char name[IFNAME_MAX + 1];
	struct topology_pos pos;
	enum topology_bridge_type type; /* "type: linux|ovs" */
	struct topology_pos type_pos;
	enum topology_datapath datapath; /* "datapath: system|netdev", OVS only */
	struct topology_pos datapath_pos;
	struct topology_addr addrs[TOPOLOGY_ADDRS_MAX];
	size_t n_addrs;
	bool addrs_listed; /* written as "addresses:" (for error keys) */
	bool nat;
	uint32_t mtu;	 /* 0: kernel default */
	bool link_local; /* "link-local: true": 169.254.0.0/16 and fe80::/10 allowed */
	struct topology_pos link_local_pos;
	/*
	 * "allow-overlap: true": the file means its subnets to overlap another
	 * topology's bridge or a host route (checked by up, not here; two
	 * bridges of one file never overlap).
	 */
	bool allow_overlap;
	struct topology_pos allow_overlap_pos;
	struct topology_vxlan *vxlan; /* NULL: the bridge stays on this host */
};

enum topology_link {
	TOPOLOGY_LINK_BRIDGE, /* veth pair, host end enslaved to a bridge */
	TOPOLOGY_LINK_PEER,   /* veth pair, other end in a namespace */
};

struct topology_iface {
	char name[IFNAME_MAX + 1];
	struct topology_pos pos;
	enum topology_link link;
	struct topology_pos link_pos; /* of the "bridge:" or "peer:" value */

	/* TOPOLOGY_LINK_BRIDGE */
	char bridge[IFNAME_MAX + 1];
	char host_end[IFNAME_MAX + 1];
	struct topology_pos host_end_pos; /* the interface's when derived */
	bool host_end_derived;
	size_t bridge_idx; /* into topology.bridges, set by validation */

	/* TOPOLOGY_LINK_PEER */
	char peer_ns[NETNS_NAME_MAX + 1];
	char peer_iface[IFNAME_MAX + 1];
	size_t peer_ns_idx;    /* set by validation */
	size_t peer_iface_idx; /* SIZE_MAX when the other end is not declared */

	struct topology_addr addrs[TOPOLOGY_ADDRS_MAX];
	size_t n_addrs;
	bool addrs_listed;
	uint32_t mtu; /* 0: kernel default */
	bool has_mac;
	uint8_t mac[MAC_LEN];
	struct topology_pos mac_pos;
	bool link_local; /* as for a bridge */
	struct topology_pos link_local_pos;
};

struct topology_route {
	struct inet_prefix to; /* "default": 0.0.0.0/0 or ::/0 after the family of via */
	bool has_via;
	struct inet_addr via;
	char dev[IFNAME_MAX + 1]; /* empty: chosen by the kernel from via */
	struct topology_pos pos;
	struct topology_pos via_pos;
	struct topology_pos dev_pos;
	struct topology_pos to_pos;
};

struct topology_ns {
	char name[NETNS_NAME_MAX + 1];
	struct topology_pos pos;
	struct topology_iface *ifaces;
	size_t n_ifaces;
	struct topology_route *routes;
	size_t n_routes;
	/*
	 * "forwarding: true|false": the namespace routes for others
	 * (net.ipv4.ip_forward and IPv6 forwarding inside it); unset leaves the
	 * kernel's default.
	 */
	bool forwarding;
	bool forwarding_set;
	struct topology_pos forwarding_pos;
	/*
	 * Where the namespace is when it is not /run/netns/NAME (owned; NULL
	 * otherwise): a CNI attachment's container, by the path its runtime gave.
	 */
	char *path;
};

enum topology_proto {
	TOPOLOGY_PROTO_TCP,
	TOPOLOGY_PROTO_UDP,
};

struct topology_forward {
	enum topology_proto proto;
	uint16_t port_lo, port_hi;	 /* host ports, inclusive; equal for one port */
	struct inet_addr to;		 /* resolved target address */
	/*
	 * Written "NS:PORT" for a namespace with both families: to is its first
	 * IPv4 address and to6 its first IPv6 one beyond link-local; family 0
	 * otherwise (topology_forward_to).
	 */
	struct inet_addr to6;
	char to_ns[NETNS_NAME_MAX + 1];	 /* when written "NS:PORT", else empty */
	uint16_t to_port_lo, to_port_hi; /* same size as the host range */
	bool has_host_addr;
	struct inet_addr host_addr;
	struct topology_pos pos;
	struct topology_pos port_pos;
	struct topology_pos to_pos;
	struct topology_pos host_addr_pos;
};

/*
 * An extra probe for `nsnet check`, typically to something outside the
 * topology: "from: blue, to: 192.168.1.3" pings, with "port:" it connects
 * over TCP; "expect: blocked" inverts the verdict.
 */
struct topology_probe {
	char from[NETNS_NAME_MAX + 1];
	struct inet_addr to;
	uint16_t port; /* 0: ICMP echo */
	bool blocked;
	struct topology_pos pos;
	struct topology_pos from_pos;
};

struct topology {
	char name[TOPOLOGY_NAME_MAX + 1];
	char *file; /* the label it was parsed under, for "FILE:LINE:COL" beyond the loader */
	struct topology_bridge *bridges;
	size_t n_bridges;
	struct topology_ns *namespaces;
	size_t n_namespaces;
	struct topology_forward *forwards;
	size_t n_forwards;
	struct topology_probe *checks;
	size_t n_checks;
	/* Indices of namespaces sorted by name, for topology_ns_find; NULL: look linearly. */
	size_t *ns_by_name;
	/* "ovsdb: unix:PATH": where OVS bridges are made; TOPOLOGY_OVSDB_DEFAULT unless given. */
	char ovsdb[TOPOLOGY_OVSDB_MAX + 1];
	struct topology_pos ovsdb_pos;
	/*
	 * A CNI network (core/cni.h), made from its attachments' records rather
	 * than a file: its namespaces are the containers' (each with its path),
	 * its forwards their port mappings, and its nft table keeps its maps and
	 * sets even when empty, since attachments add and remove their elements.
	 */
	bool cni;
};

/* Whether t has a bridge of type ovs. */
bool topology_has_ovs(const struct topology *t);

/*
 * Parses and validates a topology from buf (len bytes, no NUL needed). file
 * labels the messages and, without "name:", gives the topology's name (its
 * base name without extension). On failure *ret is untouched and err (kind
 * ERROR_INPUT) says what and where.
 */
int topology_parse(const char *file, const char *buf, size_t len, struct topology **ret,
		   struct error *err);

/* Frees t and everything it owns; accepts NULL. */
void topology_free(struct topology *t);
static inline void topology_freep(struct topology **t)
{
	topology_free(*t);
}

/* Builds t->ns_by_name (topology_parse does); -ENOMEM. */
int topology_index(struct topology *t);

/* The namespace named name, or NULL. */
struct topology_ns *topology_ns_find(const struct topology *t, const char *name);

/* The bridge named name, or NULL. */
struct topology_bridge *topology_bridge_find(const struct topology *t, const char *name);

/*
 * Where the file wants the link name in namespace ns ("" the host): a bridge,
 * a host end, an interface or the undeclared end of a cable. False when it
 * wants no such link.
 */
bool topology_link_pos(const struct topology *t, const char *ns, const char *name,
		       struct topology_pos *ret);

/* The target of forward f in family (AF_INET, AF_INET6), or NULL when it has none. */
const struct inet_addr *topology_forward_to(const struct topology_forward *f, int family);

/* The namespace with address a on one of its interfaces, or NULL. */
const struct topology_ns *topology_ns_with_addr(const struct topology *t, const struct inet_addr *a);

/*
 * Internal to topology*.c (the loader in topology-loader.h, the whole-file
 * checks in topology-check.h).
 */
#define TOPOLOGY_KEY_MAX 512 /* a key path: "namespaces.blue.routes[1].via" */

/* Sets err to "file:line:col: key: reason" (key NULL or empty: no key part); -EINVAL. */
int topology_error(struct error *err, const char *file, struct topology_pos pos, const char *key,
		   const char *fmt, ...) _printf_(5, 6);

#endif
