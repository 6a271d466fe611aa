/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The open handles of one run: a netlink socket (and nsfs fd) per namespace,
 * opened on first use and kept, so observing and applying a topology costs
 * one socket per namespace, not one per operation. "" names the host.
 */
#ifndef NSNET_NSCTX_H
#define NSNET_NSCTX_H

#include <stdint.h>

#include "core/error.h"
#include "core/name.h"
#include "nl.h"

struct nsctx;

int nsctx_new(struct nsctx **ret, struct error *err);
void nsctx_free(struct nsctx *c);
static inline void nsctx_freep(struct nsctx **c)
{
	nsctx_free(*c);
}

/* The socket (and, if ret_fd, the nsfs fd) of namespace ns; "" is the host. */
int nsctx_get(struct nsctx *c, const char *ns, struct nl_sock **ret, int *ret_fd,
	      struct error *err);
/* Creates namespace ns (netns_add_open, with mark) and keeps its socket and fd: no open after. */
int nsctx_ns_add(struct nsctx *c, const char *ns, const char *lo_alias, uint64_t mark,
		 struct error *err);
/*
 * Makes fd (a namespace's nsfs fd, owned from now on, closed on failure too)
 * the entry key, with a socket opened in it: a namespace that is not under
 * /run/netns (a CNI container's), named key in plans and messages.
 */
int nsctx_adopt(struct nsctx *c, const char *key, int fd, struct error *err);
/* Closes what is held for ns (after it was deleted). */
void nsctx_forget(struct nsctx *c, const char *ns);

/* The call's Open vSwitch side (ovs.h), NULL until set; set takes s (and frees the old one). */
struct ovs_session;
struct ovs_session *nsctx_ovs(const struct nsctx *c);
void nsctx_ovs_set(struct nsctx *c, struct ovs_session *s);

#endif
