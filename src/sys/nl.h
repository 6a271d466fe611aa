/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rtnetlink transport: one socket per network namespace, requests that wait
 * for their ack and carry the kernel's extended-ACK text into the error, and
 * dumps. Messages are built in a struct nl_msg whose puts are bounds-checked
 * with a sticky overflow flag, so builders stay linear and an oversize message
 * is refused before it is sent.
 */
#ifndef NSNET_NL_H
#define NSNET_NL_H

#include <libmnl/libmnl.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"

#define NL_MSG_MAX 8192

struct nl_msg {
	struct nlmsghdr *nlh;
	size_t size; /* capacity of the buffer behind nlh */
	bool overflow;
	char buf[NL_MSG_MAX] __attribute__((aligned(8)));
};

/* Starts a message of the given type with a fixed header of hdr_len bytes. */
void *nl_msg_init(struct nl_msg *m, uint16_t type, uint16_t flags, size_t hdr_len);
/* As nl_msg_init with a smaller capacity (tests exercise the overflow path). */
void *nl_msg_init_sized(struct nl_msg *m, size_t size, uint16_t type, uint16_t flags,
			size_t hdr_len);
void nl_msg_put(struct nl_msg *m, uint16_t type, size_t len, const void *data);
void nl_msg_put_str(struct nl_msg *m, uint16_t type, const char *s);
void nl_msg_put_u8(struct nl_msg *m, uint16_t type, uint8_t v);
void nl_msg_put_u32(struct nl_msg *m, uint16_t type, uint32_t v);
/* Nests return NULL on overflow; nl_msg_nest_end accepts that NULL. */
struct nlattr *nl_msg_nest_start(struct nl_msg *m, uint16_t type);
void nl_msg_nest_end(struct nl_msg *m, struct nlattr *nest);

struct nl_sock;


/* A socket in the namespace the caller runs in; label "" (for messages). */
int nl_sock_open(struct nl_sock **ret, struct error *err);
/*
 * A socket in the namespace behind netns_fd; label names it in errors ("red").
 * home_fd: the caller's own namespace, when it holds it open, else -1.
 */
int nl_sock_open_ns(int netns_fd, int home_fd, const char *label, struct nl_sock **ret,
		    struct error *err);
void nl_sock_free(struct nl_sock *s);
/* Names the socket's namespace in errors, as nl_sock_open_ns does. */
void nl_sock_set_label(struct nl_sock *s, const char *label);
static inline void nl_sock_freep(struct nl_sock **s)
{
	nl_sock_free(*s);
}
#define _cleanup_nl_sock_ _cleanup_(nl_sock_freep)

/* " in 'red'", or "" for the caller's own namespace. */
const char *nl_sock_where(const struct nl_sock *s);

/*
 * Sends the request and waits for its ack. On failure the error reads
 * "<what> in '<ns>': RTM_NEWLINK: <strerror> (kernel: <extack>)", where what is
 * formatted from fmt ("veth 'veth-red'").
 */
int nl_request(struct nl_sock *s, struct nl_msg *m, struct error *err, const char *fmt, ...)
	_printf_(4, 5);

/* A get whose one reply (RTM_NEWNSID for RTM_GETNSID) goes to cb; no ack is asked for. */
int nl_request_reply(struct nl_sock *s, struct nl_msg *m, mnl_cb_t cb, void *data,
		     struct error *err, const char *what);

/* Dumps: cb is called for every message until NLMSG_DONE; MNL_CB_ERROR from cb aborts. */
int nl_dump(struct nl_sock *s, struct nl_msg *m, mnl_cb_t cb, void *data, struct error *err,
	    const char *what);

/*
 * Joins a multicast group (RTNLGRP_LINK): the kernel then sends the socket a
 * notification for every change. Use a socket of its own for that: requests
 * on it would have to read past the notifications.
 */
int nl_sock_subscribe(struct nl_sock *s, unsigned group, struct error *err);

/*
 * Waits up to timeout_ms for notifications, feeding each to cb. Returns 0 on
 * timeout, 1 when some were read, -ENOBUFS when the kernel dropped some (the
 * socket's buffer overflowed: read the state again).
 */
int nl_recv_events(struct nl_sock *s, int timeout_ms, mnl_cb_t cb, void *data,
		   struct error *err);

/* The symbolic name of a message type: "RTM_NEWLINK". */
const char *nl_msg_type_name(uint16_t type);

#endif
