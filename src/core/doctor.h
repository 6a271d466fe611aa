/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `nsnet doctor`: why traffic does not flow. The kernel layer gathers facts
 * about the host (sysctls, other tools' nftables chains, routes, links) and
 * what each topology holds; this pure module turns them into findings, each
 * saying what is wrong, why it stops traffic, and the command that fixes it.
 *
 * A finding is only made where the fact can matter to a topology: strict
 * rp_filter alone is harmless, and so is IPv4 forwarding off while no
 * topology is up (`up` turns it on).
 */
#ifndef NSNET_DOCTOR_H
#define NSNET_DOCTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "name.h"
#include "netstate.h"
#include "plan.h"
#include "topology.h"

enum doctor_level {
	DOCTOR_WARNING, /* can stop traffic in some cases; the why says which */
	DOCTOR_PROBLEM, /* stops traffic */
};

/* An interface a rule of a chain accepts traffic from (iifname) or to (oifname, out). */
struct doctor_accept {
	bool out;
	char ifname[IFNAME_MAX + 1];
};

/*
 * A base chain of another tool at the forward hook whose policy is drop. A
 * bridge it accepts both from and to (an admin applied the fix) passes.
 */
struct doctor_chain {
	char family[16];
	char table[256];
	char name[256];
	struct doctor_accept *accepts;
	size_t n_accepts;
};

/* net.ipv4.conf.IFNAME.rp_filter of one host interface. */
struct doctor_rp_filter {
	char ifname[IFNAME_MAX + 1];
	int value;
};

/* One topology under examination. */
struct doctor_topo {
	char name[NETNS_NAME_MAX + 1];
	const struct topology *want; /* NULL: its file is unknown */
	struct world *have;	     /* what the kernel holds for it (owned by the gatherer) */
};

/*
 * What doctor saw of one remote of a bridge that spans hosts (the prober of
 * src/sys/probe-vxlan.c): an echo to its underlay address; an echo to the
 * same address from the bridge's own address of that family, whose reply can
 * only come back through the tunnel (the remote's host routes our subnet to
 * its bridge, which asks for our address on its own VNI); and the VNIs of the
 * VXLAN datagrams it sent to the tunnel's port meanwhile (that question is
 * one of them). A remote's VNI is only seen when it sends: a VNI differing
 * from ours is a fact, silence is not.
 */
#define DOCTOR_VNIS_MAX 4
struct doctor_vxlan_remote {
	size_t topo;			      /* index into topos */
	const struct topology_bridge *bridge; /* of that topology's file, with its vxlan */
	struct inet_addr remote;
	bool probed;			/* the echoes were sent */
	bool echo_reply;		/* the remote's host answered on the underlay */
	bool tunnel_probed;		/* the bridge has an address of the underlay's family */
	bool tunnel_reply;		/* the answer to that came back through the tunnel */
	uint32_t vnis[DOCTOR_VNIS_MAX]; /* VNIs of the datagrams it sent to the port */
	size_t n_vnis;
};

struct doctor_facts {
	int ip_forward;	   /* net.ipv4.ip_forward; -1 unknown */
	int ip6_forwarding; /* net.ipv6.conf.all.forwarding; -1 unknown */
	int rp_filter_all; /* net.ipv4.conf.all.rp_filter; -1 unknown */
	struct doctor_rp_filter *rp_filter;
	size_t n_rp_filter;
	int bridge_nf_ip4; /* net.bridge.bridge-nf-call-iptables; -1: br_netfilter not loaded */
	int bridge_nf_ip6; /* net.bridge.bridge-nf-call-ip6tables; -1 likewise */
	struct doctor_chain *drop_chains; /* not nsnet's, forward hook, policy drop */
	size_t n_drop_chains;
	struct netstate *host; /* links and routes (all tables) of the host */
	struct doctor_topo *topos;
	size_t n_topos;
	struct doctor_vxlan_remote *vxlan; /* the remotes of every bridge that spans hosts */
	size_t n_vxlan;
};

#define DOCTOR_TEXT_MAX 1024

struct doctor_finding {
	const char *id; /* stable: "ip-forward-off", "forward-drop"... (see nsnet(8)) */
	enum doctor_level level;
	char topology[NETNS_NAME_MAX + 1]; /* "": about the host as a whole */
	char subject[DOCTOR_TEXT_MAX];	   /* the object at fault */
	char what[DOCTOR_TEXT_MAX];
	char why[DOCTOR_TEXT_MAX];
	char fix[DOCTOR_TEXT_MAX];
	/*
	 * fix[0..fix_cmds) is a shell script, the commands of the fix ("; "
	 * between them, every word quoted for the shell); prose follows.
	 */
	size_t fix_cmds;
};

struct doctor_report {
	struct doctor_finding *v;
	size_t n;
};

/* Every finding the facts call for, in a stable order (host first, then per topology). */
int doctor_run(const struct doctor_facts *f, struct doctor_report *ret, struct error *err);
void doctor_report_clear(struct doctor_report *r);
const char *doctor_level_name(enum doctor_level level);
/* Whether the kernel holds anything of dt (a link, a namespace or its nft table). */
bool doctor_topo_is_up(const struct doctor_topo *dt);

#endif
