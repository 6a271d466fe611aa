// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * inet_diag dumps: one SOCK_DIAG_BY_FAMILY request per family, asking only
 * for the states that receive from anyone (TCP_LISTEN; TCP_CLOSE, which is
 * how the kernel reports an unconnected UDP socket). A connected UDP socket
 * takes datagrams from its peer alone and is no listener.
 */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "core/macro.h"
#include "sockdiag.h"

/* ss(8) reads with 32 KiB; a dump message holds as many sockets as fit. */
#define SOCKDIAG_BUF 32768

struct dump {
	enum topology_proto proto;
	uint16_t lo, hi;
	sockdiag_fn *fn;
	void *data;
};

static int on_socket(const struct nlmsghdr *nlh, void *data)
{
	const struct dump *d = data;
	const struct inet_diag_msg *m = mnl_nlmsg_get_payload(nlh);
	struct fw_listener l = {.proto = d->proto};
	const struct nlattr *attr;
	size_t alen;

	if (nlh->nlmsg_type != SOCK_DIAG_BY_FAMILY || mnl_nlmsg_get_payload_len(nlh) < sizeof(*m))
		return MNL_CB_OK;
	l.port = ntohs(m->id.idiag_sport);
	alen = m->idiag_family == AF_INET6 ? 16 : m->idiag_family == AF_INET ? 4 : 0;
	if (!alen || l.port < d->lo || l.port > d->hi)
		return MNL_CB_OK;
	l.addr.family = m->idiag_family;
	memcpy(l.addr.bytes, m->id.idiag_src, alen);
	mnl_attr_for_each(attr, nlh,
			  sizeof(*m)) if (mnl_attr_get_type(attr) == INET_DIAG_SKV6ONLY &&
					  mnl_attr_get_payload_len(attr) >= 1) l.v6only =
		*(const uint8_t *)mnl_attr_get_payload(attr) != 0;
	d->fn(&l, d->data);
	return MNL_CB_OK;
}

static void mnl_socket_closep(struct mnl_socket **s)
{
	if (*s)
		mnl_socket_close(*s);
}

static int dump_family(struct mnl_socket *s, int family, struct dump *d, struct error *err)
{
	_cleanup_free_ char *buf = malloc(SOCKDIAG_BUF);
	const char *fam = family == AF_INET6 ? "IPv6" : "IPv4";
	const char *proto = d->proto == TOPOLOGY_PROTO_UDP ? "udp" : "tcp";
	uint32_t seq = (uint32_t)time(NULL) ^ (uint32_t)family, portid = mnl_socket_get_portid(s);
	struct nlmsghdr *nlh;
	struct inet_diag_req_v2 *req;
	ssize_t n;
	int r;

	if (!buf)
		return error_set(err, -ENOMEM, "out of memory");
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));
	req->sdiag_family = (uint8_t)family;
	req->sdiag_protocol = d->proto == TOPOLOGY_PROTO_UDP ? IPPROTO_UDP : IPPROTO_TCP;
	req->idiag_states = d->proto == TOPOLOGY_PROTO_UDP ? 1u << TCP_CLOSE : 1u << TCP_LISTEN;
	if (mnl_socket_sendto(s, nlh, nlh->nlmsg_len) < 0)
		return error_errno(err, -errno, "sock_diag: %s %s sockets: send", fam, proto);
	do {
		n = mnl_socket_recvfrom(s, buf, SOCKDIAG_BUF);
		if (n < 0)
			return error_errno(err, -errno, "sock_diag: %s %s sockets: receive", fam,
					   proto);
		r = mnl_cb_run(buf, (size_t)n, seq, portid, on_socket, d);
	} while (r > MNL_CB_STOP);
	if (r < 0)
		return error_errno(err, -errno, "sock_diag: %s %s sockets", fam, proto);
	return 0;
}

int sockdiag_listeners(enum topology_proto proto, uint16_t port_lo, uint16_t port_hi,
		       sockdiag_fn *fn, void *data, struct error *err)
{
	_cleanup_(mnl_socket_closep) struct mnl_socket *s =
		mnl_socket_open2(NETLINK_SOCK_DIAG, SOCK_CLOEXEC);
	struct dump d = {.proto = proto, .lo = port_lo, .hi = port_hi, .fn = fn, .data = data};
	int r;

	if (!s)
		return error_errno(err, -errno, "sock_diag: socket");
	if (mnl_socket_bind(s, 0, MNL_SOCKET_AUTOPID) < 0)
		return error_errno(err, -errno, "sock_diag: bind");
	r = dump_family(s, AF_INET, &d, err);
	if (r >= 0)
		r = dump_family(s, AF_INET6, &d, err);
	return r;
}
