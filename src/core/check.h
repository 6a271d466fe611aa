/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What `nsnet check` probes, derived from the topology alone: every namespace
 * to its gateways and to every address it should reach (on its own bridge or
 * cable, or through the host when both ends route via one of the topology's
 * bridges), the namespaces of other topologies that it must NOT reach, every
 * port forward from the host side, and the file's own "checks:". Pure: the
 * probes are data; src/sys/probe.c sends them and fills in the results.
 */
#ifndef NSNET_CHECK_H
#define NSNET_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "inet.h"
#include "name.h"
#include "topology.h"

/*
 * Above this many members a segment is probed as a ring (each to the next),
 * not a mesh: every on-link probe costs two entries in the kernel's neighbour
 * table, which all namespaces share (net.ipv4.neigh.default.gc_thresh3, 1024
 * by default, set only in the machine's own namespace); a mesh of 100 would
 * need 10,000 and fail with ENOBUFS.
 */
#define CHECK_MESH_MAX 16

/*
 * The default wait for answers. A link that has just come up can lose its
 * first ARP request (its queue is attached asynchronously by the kernel's
 * link watcher) and ARP asks again only after 1 s (retrans_time): a second
 * and a half covers that retry.
 */
#define CHECK_TIMEOUT_MS 1500

enum check_kind {
	CHECK_GATEWAY,	 /* namespace -> an address of its bridge on the host */
	CHECK_PEER,	 /* namespace -> namespace on the same bridge or cable */
	CHECK_ROUTED,	 /* namespace -> namespace through the host */
	CHECK_ISOLATION, /* to or from another topology: must be blocked */
	CHECK_FORWARD,	 /* host -> a forwarded port */
	CHECK_FILE,	 /* from the file's "checks:" */
	/*
	 * The host forwards IPv6 arriving on an interface (its sysctl, read:
	 * no packet can test an uplink from inside). Any write of 0 to
	 * net.ipv6.conf.all.forwarding, by any tool, clears force_forwarding
	 * everywhere: this is how check notices.
	 */
	CHECK_FORWARDING,
};

enum check_proto {
	CHECK_ICMP,
	CHECK_TCP,
	CHECK_UDP,
	CHECK_SYSCTL, /* CHECK_FORWARDING: a setting read, not a packet */
};

enum check_result {
	CHECK_PENDING,
	CHECK_REACHED,
	CHECK_NO_REPLY,	   /* nothing came back before the deadline */
	CHECK_UNREACHABLE, /* an ICMP error or no route */
	CHECK_REFUSED,	   /* TCP reset: the address answers, the port does not */
	CHECK_SKIPPED,	   /* could not be probed; note says why */
	CHECK_FAILED,	   /* the probe itself failed; note says why */
};

struct check_probe {
	enum check_kind kind;
	enum check_proto proto;
	bool expect_blocked;
	char from[NETNS_NAME_MAX + 1];	 /* "" for the host */
	char target[2 * NETNS_NAME_MAX + 2]; /* "blue", "v-net-0", "other/green" */
	struct inet_addr to;
	uint16_t port;

	/* CHECK_FORWARD: where the traffic should land, to listen there if nothing does. */
	char listen_ns[NETNS_NAME_MAX + 1];
	struct inet_addr listen_addr;
	uint16_t listen_port;

	/* CHECK_FORWARDING: the sysctl that must read 1 ("net/ipv6/conf/eth0/force_forwarding") */
	char key[64];

	/* filled in by the prober */
	enum check_result result;
	bool self_listened; /* nsnet listened at the target for the probe */
	double ms;	    /* until the answer */
	char note[128];
};

/*
 * A namespace probes start or listen in that is not /run/netns/NAME (a CNI
 * attachment's container): where it is.
 */
struct check_path {
	char name[NETNS_NAME_MAX + 1];
	char *path; /* owned */
};

struct check_list {
	struct check_probe *v;
	size_t n, cap;
	struct check_path *paths;
	size_t n_paths;
	bool sampled; /* some segment was probed as a ring */
	size_t waves; /* set by the prober: rounds it needed to spare the neighbour table */
};

/*
 * Fills ret with the probes for t; others are the other topologies that are up
 * (from their recorded files), which t must be isolated from.
 */
int check_list_build(const struct topology *t, const struct topology *const *others,
		     size_t n_others, struct check_list *ret, struct error *err);
void check_list_clear(struct check_list *l);

/* Appends a probe of kind CHECK_FILE (ICMP, expecting an answer); from "" is the host. */
struct check_probe *check_list_add(struct check_list *l, const char *from, const char *target,
				   const struct inet_addr *to, struct error *err);

/*
 * Appends a CHECK_FORWARDING item: the host must forward IPv6 arriving on
 * ifname ("all" for net.ipv6.conf.all.forwarding), key reading 1.
 */
struct check_probe *check_list_add_forwarding(struct check_list *l, const char *ifname,
					      const char *key, struct error *err);
/* Records that namespace name is at path (a copy is kept); -ENOMEM. */
int check_list_path_add(struct check_list *l, const char *name, const char *path);
/* Where namespace name is, or NULL for /run/netns/NAME. */
const char *check_list_path(const struct check_list *l, const char *name);

/* Whether a finished probe met its expectation (skipped probes count as met). */
bool check_probe_ok(const struct check_probe *p);

const char *check_kind_name(enum check_kind k);
const char *check_proto_name(enum check_proto p);
const char *check_result_name(enum check_result r);

/* "blue -> red 192.168.15.1 icmp" or "host -> 192.168.15.5:80 tcp (blue 192.168.15.2:80)". */
void check_probe_describe(const struct check_probe *p, char *buf, size_t len);

#endif
