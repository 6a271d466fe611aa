// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rtnetlink transport. Every socket asks for extended ACKs and capped ACKs:
 * the kernel then answers a failed request with a short message whose TLVs
 * carry a human sentence ("Master device not found"), which we append to the
 * error. Without that text, "File exists" alone tells a user nothing.
 */
#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "fault.h"
#include "core/name.h"
#include "nsenter.h"
#include "nl.h"

struct nl_sock {
	struct mnl_socket *mnl;
	unsigned portid;
	uint32_t seq;
	bool acks; /* extended and capped acks asked for */
	char where[NETNS_NAME_MAX + 16];
};

/* Receive buffer: large enough for any single dump datagram the kernel sends. */
#define NL_RECV_MAX 32768

void *nl_msg_init_sized(struct nl_msg *m, size_t size, uint16_t type, uint16_t flags,
			size_t hdr_len)
{
	if (size > sizeof(m->buf))
		size = sizeof(m->buf);
	memset(m->buf, 0, size);
	m->size = size;
	m->overflow = false;
	m->nlh = mnl_nlmsg_put_header(m->buf);
	m->nlh->nlmsg_type = type;
	m->nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	if (MNL_ALIGN(sizeof(struct nlmsghdr)) + MNL_ALIGN(hdr_len) > size) {
		m->overflow = true;
		return NULL;
	}
	return mnl_nlmsg_put_extra_header(m->nlh, hdr_len);
}

void *nl_msg_init(struct nl_msg *m, uint16_t type, uint16_t flags, size_t hdr_len)
{
	return nl_msg_init_sized(m, sizeof(m->buf), type, flags, hdr_len);
}

void nl_msg_put(struct nl_msg *m, uint16_t type, size_t len, const void *data)
{
	if (m->overflow)
		return;
	if (!mnl_attr_put_check(m->nlh, m->size, type, len, data))
		m->overflow = true;
}

void nl_msg_put_str(struct nl_msg *m, uint16_t type, const char *s)
{
	nl_msg_put(m, type, strlen(s) + 1, s);
}

void nl_msg_put_u8(struct nl_msg *m, uint16_t type, uint8_t v)
{
	nl_msg_put(m, type, sizeof(v), &v);
}

void nl_msg_put_u32(struct nl_msg *m, uint16_t type, uint32_t v)
{
	nl_msg_put(m, type, sizeof(v), &v);
}

struct nlattr *nl_msg_nest_start(struct nl_msg *m, uint16_t type)
{
	struct nlattr *nest;

	if (m->overflow)
		return NULL;
	nest = mnl_attr_nest_start_check(m->nlh, m->size, type);
	if (!nest)
		m->overflow = true;
	return nest;
}

void nl_msg_nest_end(struct nl_msg *m, struct nlattr *nest)
{
	if (!nest)
		return;
	if (m->overflow) {
		mnl_attr_nest_cancel(m->nlh, nest);
		return;
	}
	mnl_attr_nest_end(m->nlh, nest);
}

const char *nl_msg_type_name(uint16_t type)
{
	switch (type) {
	case RTM_NEWLINK:
		return "RTM_NEWLINK";
	case RTM_DELLINK:
		return "RTM_DELLINK";
	case RTM_GETLINK:
		return "RTM_GETLINK";
	case RTM_SETLINK:
		return "RTM_SETLINK";
	case RTM_NEWADDR:
		return "RTM_NEWADDR";
	case RTM_DELADDR:
		return "RTM_DELADDR";
	case RTM_GETADDR:
		return "RTM_GETADDR";
	case RTM_NEWROUTE:
		return "RTM_NEWROUTE";
	case RTM_DELROUTE:
		return "RTM_DELROUTE";
	case RTM_GETROUTE:
		return "RTM_GETROUTE";
	case RTM_NEWNEIGH:
		return "RTM_NEWNEIGH";
	case RTM_DELNEIGH:
		return "RTM_DELNEIGH";
	case RTM_GETNEIGH:
		return "RTM_GETNEIGH";
	case RTM_NEWNSID:
		return "RTM_NEWNSID";
	case RTM_GETNSID:
		return "RTM_GETNSID";
	}
	return "netlink request";
}

/*
 * A socket per namespace, and a no-op `up` of 1000 namespaces only reads: the
 * acks that carry error text are asked for before the first request that
 * waits for one (sock_acks).
 */
static int sock_setup(struct nl_sock *s, struct error *err)
{
	int on = 1;

	s->mnl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!s->mnl)
		return error_errno(err, -errno, "netlink socket%s", s->where);
	/* Best effort: old kernels lack it and still work. */
	(void)mnl_socket_setsockopt(s->mnl, NETLINK_GET_STRICT_CHK, &on, sizeof(on));
	if (mnl_socket_bind(s->mnl, 0, MNL_SOCKET_AUTOPID) < 0)
		return error_errno(err, -errno, "netlink bind%s", s->where);
	s->portid = mnl_socket_get_portid(s->mnl);
	s->seq = 1;
	return 0;
}

static void sock_acks(struct nl_sock *s)
{
	int on = 1;

	if (s->acks)
		return;
	/* Both are best effort: old kernels lack them and still work, with less text. */
	(void)mnl_socket_setsockopt(s->mnl, NETLINK_EXT_ACK, &on, sizeof(on));
	(void)mnl_socket_setsockopt(s->mnl, NETLINK_CAP_ACK, &on, sizeof(on));
	s->acks = true;
}

int nl_sock_open(struct nl_sock **ret, struct error *err)
{
	struct nl_sock *s = calloc(1, sizeof(*s));
	int r;

	if (!s)
		return error_set(err, -ENOMEM, "out of memory");
	r = sock_setup(s, err);
	if (r < 0) {
		nl_sock_free(s);
		return r;
	}
	*ret = s;
	return 0;
}

int nl_sock_open_ns(int netns_fd, int home_fd, const char *label, struct nl_sock **ret,
		    struct error *err)
{
	struct nl_sock *s = calloc(1, sizeof(*s));
	int saved = -1;
	int r;

	if (!s)
		return error_set(err, -ENOMEM, "out of memory");
	snprintf(s->where, sizeof(s->where), " in '%s'", label);
	/* A netlink socket stays bound to the namespace it was created in. */
	r = nsenter_enter(netns_fd, home_fd, &saved, err);
	if (r < 0) {
		nl_sock_free(s);
		return error_prefix(err, "namespace '%s'", label);
	}
	r = sock_setup(s, err);
	nsenter_leave(saved, home_fd);
	if (r < 0) {
		nl_sock_free(s);
		return r;
	}
	*ret = s;
	return 0;
}

void nl_sock_set_label(struct nl_sock *s, const char *label)
{
	snprintf(s->where, sizeof(s->where), " in '%s'", label);
}

void nl_sock_free(struct nl_sock *s)
{
	if (!s)
		return;
	if (s->mnl)
		mnl_socket_close(s->mnl);
	free(s);
}

const char *nl_sock_where(const struct nl_sock *s)
{
	return s->where;
}

/* Finds NLMSGERR_ATTR_MSG in an error message that came with NLM_F_ACK_TLVS. */
static const char *extack_text(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t off = sizeof(*e);
	const struct nlattr *attr;
	const char *end = (const char *)nlh + nlh->nlmsg_len;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(e->msg);
	attr = (const struct nlattr *)((const char *)e + MNL_ALIGN(off));
	while ((const char *)attr + sizeof(*attr) <= end && attr->nla_len >= sizeof(*attr) &&
	       (const char *)attr + attr->nla_len <= end) {
		if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG) {
			const char *txt = mnl_attr_get_str(attr);
			size_t n = mnl_attr_get_payload_len(attr);

			/* The kernel terminates the string; refuse one that is not. */
			if (n > 0 && memchr(txt, '\0', n))
				return txt;
			return NULL;
		}
		attr = (const struct nlattr *)((const char *)attr + MNL_ALIGN(attr->nla_len));
	}
	return NULL;
}

static int error_from_ack(const struct nlmsghdr *nlh, uint16_t type, const char *where,
			  const char *what, struct error *err)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	const char *ext;
	int code = e->error;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
		return error_set(err, -EBADMSG, "%s%s: %s: truncated netlink error", what, where,
				 nl_msg_type_name(type));
	if (code >= 0)
		return 0;
	ext = extack_text(nlh);
	if (ext && *ext)
		return error_set(err, code, "%s%s: %s: %s (kernel: %s)", what, where,
				 nl_msg_type_name(type), strerror(-code), ext);
	return error_set(err, code, "%s%s: %s: %s", what, where, nl_msg_type_name(type),
			 strerror(-code));
}

static int send_msg(struct nl_sock *s, struct nl_msg *m, const char *what, struct error *err)
{
	uint16_t type = m->nlh->nlmsg_type;

	if (m->overflow)
		return error_set(err, -EMSGSIZE, "%s%s: %s: message larger than %zu bytes", what,
				 s->where, nl_msg_type_name(type), m->size);
	m->nlh->nlmsg_seq = ++s->seq;
	if (mnl_socket_sendto(s->mnl, m->nlh, m->nlh->nlmsg_len) < 0)
		return error_errno(err, -errno, "%s%s: %s: send", what, s->where,
				   nl_msg_type_name(type));
	return 0;
}

/*
 * Reads replies to sequence number seq, feeding each to cb (if any), until
 * the ack or NLMSG_DONE; single: until the first reply (a get without ack).
 */
static int receive(struct nl_sock *s, uint32_t seq, uint16_t type, mnl_cb_t cb, void *data,
		   bool single, const char *what, struct error *err)
{
	/*
	 * One buffer for every receive of the thread (callbacks only parse, they
	 * never send): a fresh 32 KiB per request cost a page fault or two.
	 */
	static _Thread_local char buf[NL_RECV_MAX] __attribute__((aligned(8)));
	bool interrupted = false;

	for (;;) {
		ssize_t n = mnl_socket_recvfrom(s->mnl, buf, NL_RECV_MAX);
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
		int left = (int)n;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return error_errno(err, -errno, "%s%s: %s: receive", what, s->where,
					   nl_msg_type_name(type));
		}
		for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
			if (nlh->nlmsg_seq != seq || nlh->nlmsg_pid != s->portid)
				continue; /* a stale reply to an earlier, abandoned request */
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				interrupted = true;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				/* An ack ends a request (after its reply, if any); an
				 * error ends a dump. */
				return error_from_ack(nlh, type, s->where, what, err);
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				if (interrupted)
					return error_set(err, -EAGAIN,
							 "%s%s: %s: dump interrupted by a change",
							 what, s->where, nl_msg_type_name(type));
				return 0;
			}
			if (cb && cb(nlh, data) < MNL_CB_OK)
				return error_set(err, -EBADMSG, "%s%s: %s: bad reply", what,
						 s->where, nl_msg_type_name(type));
			if (single)
				return 0;
		}
	}
}

static int request(struct nl_sock *s, struct nl_msg *m, mnl_cb_t cb, void *data, bool ack,
		   struct error *err, const char *what)
{
	int r;

	if (ack) {
		m->nlh->nlmsg_flags |= NLM_F_ACK;
		sock_acks(s);
	}
	r = send_msg(s, m, what, err);
	if (r < 0)
		return r;
	return receive(s, m->nlh->nlmsg_seq, m->nlh->nlmsg_type, cb, data, !ack, what, err);
}

/* Requests that change the kernel, as opposed to reading it. */
static bool mutating(uint16_t type)
{
	return type != RTM_GETLINK && type != RTM_GETADDR && type != RTM_GETROUTE &&
	       type != RTM_GETNEIGH && type != RTM_GETNSID;
}

int nl_request(struct nl_sock *s, struct nl_msg *m, struct error *err, const char *fmt, ...)
{
	char what[256];
	va_list ap;
	int r;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (mutating(m->nlh->nlmsg_type)) {
		r = fault_before(what, err);
		if (r < 0)
			return r;
	}
	r = request(s, m, NULL, NULL, true, err, what);
	if (mutating(m->nlh->nlmsg_type))
		fault_after();
	return r;
}

int nl_request_reply(struct nl_sock *s, struct nl_msg *m, mnl_cb_t cb, void *data,
		     struct error *err, const char *what)
{
	/* The reply or an error answers it: an ack would cost one more receive. */
	return request(s, m, cb, data, false, err, what);
}

int nl_dump(struct nl_sock *s, struct nl_msg *m, mnl_cb_t cb, void *data, struct error *err,
	    const char *what)
{
	int r;

	m->nlh->nlmsg_flags |= NLM_F_DUMP;
	r = send_msg(s, m, what, err);
	if (r < 0)
		return r;
	return receive(s, m->nlh->nlmsg_seq, m->nlh->nlmsg_type, cb, data, false, what, err);
}

int nl_sock_subscribe(struct nl_sock *s, unsigned group, struct error *err)
{
	/* A burst of 1000 notifications of ~1 KiB overflows the default buffer. */
	int size = 8 << 20;

	if (setsockopt(mnl_socket_get_fd(s->mnl), SOL_SOCKET, SO_RCVBUFFORCE, &size,
		       sizeof(size)) < 0)
		(void)setsockopt(mnl_socket_get_fd(s->mnl), SOL_SOCKET, SO_RCVBUF, &size,
				 sizeof(size));
	if (mnl_socket_setsockopt(s->mnl, NETLINK_ADD_MEMBERSHIP, &group, sizeof(group)) < 0)
		return error_errno(err, -errno, "netlink subscribe%s", s->where);
	return 0;
}

int nl_recv_events(struct nl_sock *s, int timeout_ms, mnl_cb_t cb, void *data,
		   struct error *err)
{
	_cleanup_free_ char *buf = malloc(NL_RECV_MAX);
	struct pollfd pfd = {.fd = mnl_socket_get_fd(s->mnl), .events = POLLIN};
	int got = 0;

	if (!buf)
		return error_set(err, -ENOMEM, "out of memory");
	for (;;) {
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
		ssize_t n;
		int left, p;

		p = poll(&pfd, 1, got ? 0 : timeout_ms);
		if (p < 0 && errno == EINTR)
			continue;
		if (p < 0)
			return error_errno(err, -errno, "netlink poll%s", s->where);
		if (p == 0)
			return got;
		n = recv(pfd.fd, buf, NL_RECV_MAX, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			if (errno == ENOBUFS)
				return -ENOBUFS;
			return error_errno(err, -errno, "netlink receive%s", s->where);
		}
		left = (int)n;
		for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left))
			if (cb(nlh, data) < MNL_CB_OK)
				return error_set(err, -EBADMSG,
						 "netlink notification%s: bad message", s->where);
		got = 1;
	}
}
