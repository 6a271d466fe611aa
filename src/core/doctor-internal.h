/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared between the doctor's files: doctor.c (findings, host-wide checks,
 * doctor_run) and doctor-topo.c (the checks of one topology). Not part of the
 * doctor's interface (doctor.h).
 */
#ifndef NSNET_DOCTOR_INTERNAL_H
#define NSNET_DOCTOR_INTERNAL_H

#include "doctor.h"

struct doctor_ctx {
	const struct doctor_facts *f;
	struct doctor_report *r;
	bool oom;
};

/* A new finding, zeroed but for its id, level and topology; NULL when out of memory. */
struct doctor_finding *doctor_add(struct doctor_ctx *c, const char *id, enum doctor_level level,
				  const char *topo);
/* Appends to a text field; a text that does not fit ends in "...". */
void doctor_append(char *buf, size_t len, const char *fmt, ...) _printf_(3, 4);
#define put(field, ...) snprintf(field, sizeof(field), __VA_ARGS__)
#define more(field, ...) doctor_append(field, sizeof(field), __VA_ARGS__)

/*
 * Appends the command argv (NULL-terminated) to d->fix, every word quoted for
 * the shell (core/quote.h), "; " after the commands before it; commands come
 * before any prose (d->fix_cmds). False, and nothing appended, when a word
 * cannot be quoted (a control byte) or the command does not fit whole.
 */
bool doctor_fix_cmd(struct doctor_finding *d, const char *const *argv);
#define fix_cmd(d, ...) doctor_fix_cmd(d, (const char *const[]){__VA_ARGS__, NULL})

/*
 * "net.ipv4.conf.IFNAME.KEY=VALUE", one word for sysctl -w, into buf (the
 * slash form net/ipv4/conf/IFNAME/KEY when the name holds a dot, which
 * sysctl would take for a separator). False when the name cannot be part of
 * a key: empty, ".", "..", or holding '/', '=' or a control byte.
 */
bool doctor_sysctl_word(char *buf, size_t len, const char *ifname, const char *key, int value);
/* The same under net.FAMILY.conf ("ipv4", "ipv6"). */
bool doctor_sysctl_word_in(char *buf, size_t len, const char *family, const char *ifname,
			   const char *key, int value);

/* The host as one topology's world saw it (veth peers resolved), else the host's facts. */
const struct netstate *doctor_host_of(const struct doctor_ctx *c, const struct doctor_topo *dt);
/* The bridges of dt one by one (*i starts at 0): the file's, else the ones it owns. */
const char *doctor_bridge_next(const struct doctor_ctx *c, const struct doctor_topo *dt, size_t *i);
/* ifindex of link name (0: none), and the name of ifindex ("?": none). */
int doctor_link_index(const struct netstate *st, const char *name);
const char *doctor_link_name(const struct netstate *st, int ifindex);

/* Routes, rp_filter, MTUs and the default route of one topology. */
void doctor_check_topology(struct doctor_ctx *c, const struct doctor_topo *dt);
/* Its bridges that span hosts: remotes, VNIs, MTU (doctor-vxlan.c). */
void doctor_check_vxlan(struct doctor_ctx *c, const struct doctor_topo *dt, size_t t);

/* IPv6 (doctor-ipv6.c): whether dt (any examined topology) routes IPv6 through the host. */
bool doctor_topo_routes6(const struct doctor_ctx *c, const struct doctor_topo *dt);
bool doctor_routes6_any(const struct doctor_ctx *c);
/* all.forwarding against links that take RAs; a topology's forwarding and RAs. */
void doctor_check_ipv6_host(struct doctor_ctx *c);
void doctor_check_ipv6_topology(struct doctor_ctx *c, const struct doctor_topo *dt);

/* Its Open vSwitch side (doctor-ovs.c). */
void doctor_check_ovs(struct doctor_ctx *c, const struct doctor_topo *dt);

#endif
