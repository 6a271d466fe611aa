// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What doctor sees of the remotes of a bridge that spans hosts (core/doctor.h,
 * struct doctor_vxlan_remote), from the host's own namespace, changing
 * nothing:
 *
 *   - an ICMP echo to the remote's underlay address: is its host there?
 *   - the same echo from the bridge's own address of the underlay's family
 *     (IP_PKTINFO / IPV6_PKTINFO): the remote's host routes our subnet to its
 *     bridge, so its reply has to come back through the tunnel. Before it
 *     does, the remote's bridge asks for our address (ARP or neighbour
 *     solicitation) by a datagram to us carrying the remote's VNI;
 *   - raw UDP sockets, which get a copy of every datagram the host receives,
 *     read the VXLAN header of whatever the remotes send to the tunnel's port.
 *
 * So a remote whose VNI differs is caught in the act; one that stays silent
 * is reported as silence, not as a VNI. Echoes are repeated every 250 ms until
 * they are answered; the whole thing ends at the timeout, or as soon as every
 * remote has answered through the tunnel or shown another VNI.
 */
#include <errno.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/doctor.h"
#include "core/macro.h"
#include "probe.h"

#define RESEND_MS 250
#define VXLAN_FLAG_VNI 0x08

struct socks {
	int icmp[2]; /* [0] IPv4, [1] IPv6 */
	int udp[2];
};

static double ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) * 1e3 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

/* The bridge's first address of family (the tunnel echo's source); false when none. */
static bool bridge_addr(const struct topology_bridge *br, int family, struct inet_addr *ret)
{
	for (size_t i = 0; i < br->n_addrs; i++)
		if (br->addrs[i].prefix.addr.family == family) {
			*ret = br->addrs[i].prefix.addr;
			return true;
		}
	return false;
}

/* Echo seq of remote i: 2i plain, 2i + 1 from the bridge's address. */
static void echo_send(int fd, const struct doctor_vxlan_remote *v, uint16_t id, uint16_t seq,
		      const struct inet_addr *src)
{
	bool six = v->remote.family == AF_INET6;
	uint8_t pkt[16] = {six ? ICMP6_ECHO_REQUEST : ICMP_ECHO};
	union {
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} ctl;
	struct sockaddr_storage ss;
	struct iovec iov = {pkt, sizeof(pkt)};
	struct msghdr m = {.msg_name = &ss, .msg_iov = &iov, .msg_iovlen = 1};
	struct cmsghdr *cm;

	m.msg_namelen = probe_sockaddr(&v->remote, 0, &ss);
	memcpy(pkt + 4, &(uint16_t){htons(id)}, 2);
	memcpy(pkt + 6, &(uint16_t){htons(seq)}, 2);
	memcpy(pkt + 8, "nsnet-vx", 8);
	if (!six) {
		uint16_t c = probe_icmp_csum(pkt, sizeof(pkt));

		memcpy(pkt + 2, &c, 2);
	}
	if (src) {
		memset(&ctl, 0, sizeof(ctl));
		m.msg_control = ctl.buf;
		m.msg_controllen = six ? CMSG_SPACE(sizeof(struct in6_pktinfo))
				       : CMSG_SPACE(sizeof(struct in_pktinfo));
		cm = CMSG_FIRSTHDR(&m);
		if (six) {
			struct in6_pktinfo pi = {0};

			memcpy(&pi.ipi6_addr, src->bytes, 16);
			cm->cmsg_level = IPPROTO_IPV6;
			cm->cmsg_type = IPV6_PKTINFO;
			cm->cmsg_len = CMSG_LEN(sizeof(pi));
			memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
		} else {
			struct in_pktinfo pi = {0};

			memcpy(&pi.ipi_spec_dst, src->bytes, 4);
			cm->cmsg_level = IPPROTO_IP;
			cm->cmsg_type = IP_PKTINFO;
			cm->cmsg_len = CMSG_LEN(sizeof(pi));
			memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
		}
	}
	(void)sendmsg(fd, &m, 0); /* a lost echo is one more without reply */
}

static struct doctor_vxlan_remote *remote_of(struct doctor_vxlan_remote *v, size_t n,
					     const struct inet_addr *a)
{
	for (size_t i = 0; i < n; i++)
		if (inet_addr_equal(&v[i].remote, a))
			return &v[i];
	return NULL;
}

/* An ICMP message (from the type on) from a: an echo reply to one of ours? */
static void icmp_read(struct doctor_vxlan_remote *v, size_t n, uint16_t id, const uint8_t *b,
		      size_t len, const struct inet_addr *from)
{
	uint16_t rid, seq;

	if (len < 8 || (b[0] != ICMP_ECHOREPLY && b[0] != ICMP6_ECHO_REPLY) ||
	    (from->family == AF_INET) != (b[0] == ICMP_ECHOREPLY))
		return;
	rid = (uint16_t)(b[4] << 8 | b[5]);
	seq = (uint16_t)(b[6] << 8 | b[7]);
	if (rid != id || seq / 2 >= n || !inet_addr_equal(&v[seq / 2].remote, from))
		return;
	if (seq & 1)
		v[seq / 2].tunnel_reply = true;
	else
		v[seq / 2].echo_reply = true;
}

/* A UDP datagram (from its header on) from a: VXLAN to the tunnel's port of a's bridge? */
static void udp_read(struct doctor_vxlan_remote *v, size_t n, const uint8_t *b, size_t len,
		     const struct inet_addr *from)
{
	struct doctor_vxlan_remote *r = remote_of(v, n, from);
	uint16_t dport;
	uint32_t vni;

	if (!r || len < 16 || !(b[8] & VXLAN_FLAG_VNI))
		return;
	dport = (uint16_t)(b[2] << 8 | b[3]);
	vni = (uint32_t)b[12] << 16 | (uint32_t)b[13] << 8 | b[14];
	/* Every remote of that address is a bridge of one port: match each. */
	for (size_t i = 0; i < n; i++) {
		struct doctor_vxlan_remote *x = &v[i];
		bool known = false;

		if (!inet_addr_equal(&x->remote, from) || x->bridge->vxlan->port != dport)
			continue;
		for (size_t k = 0; k < x->n_vnis; k++)
			known = known || x->vnis[k] == vni;
		if (!known && x->n_vnis < DOCTOR_VNIS_MAX)
			x->vnis[x->n_vnis++] = vni;
	}
}

static void sock_read(int fd, bool six, bool udp, struct doctor_vxlan_remote *v, size_t n,
		      uint16_t id)
{
	uint8_t buf[2048];
	struct sockaddr_storage ss;

	for (;;) {
		socklen_t sl = sizeof(ss);
		ssize_t got =
			recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&ss, &sl);
		struct inet_addr from = {0};
		const uint8_t *b = buf;
		size_t len;

		if (got < 0)
			return;
		len = (size_t)got;
		if (six) {
			from.family = AF_INET6;
			memcpy(from.bytes, &((struct sockaddr_in6 *)&ss)->sin6_addr, 16);
		} else {
			/* IPv4 raw sockets see the IP header: skip it. */
			size_t ihl = len ? (size_t)(buf[0] & 0x0f) * 4 : 0;

			if (ihl < 20 || ihl > len)
				continue;
			from.family = AF_INET;
			memcpy(from.bytes, buf + 12, 4);
			b += ihl;
			len -= ihl;
		}
		if (udp)
			udp_read(v, n, b, len, &from);
		else
			icmp_read(v, n, id, b, len, &from);
	}
}

static bool settled(const struct doctor_vxlan_remote *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		bool other = false;

		for (size_t k = 0; k < v[i].n_vnis; k++)
			other = other || v[i].vnis[k] != v[i].bridge->vxlan->id;
		if (v[i].probed && !(v[i].tunnel_reply && v[i].echo_reply) && !other)
			return false;
	}
	return true;
}

static int open_socks(struct socks *s, const struct doctor_vxlan_remote *v, size_t n,
		      struct error *err)
{
	bool need[2] = {false, false};

	for (size_t i = 0; i < n; i++)
		need[v[i].remote.family == AF_INET6] = true;
	for (int six = 0; six < 2; six++) {
		int fam = six ? AF_INET6 : AF_INET;

		if (!need[six])
			continue;
		s->icmp[six] = socket(fam, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
				      six ? IPPROTO_ICMPV6 : IPPROTO_ICMP);
		s->udp[six] = socket(fam, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP);
		if (s->icmp[six] < 0 || s->udp[six] < 0)
			return error_set(err, -errno, "doctor: raw socket: %s", strerror(errno));
		if (six) {
			struct icmp6_filter f;

			ICMP6_FILTER_SETBLOCKALL(&f);
			ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
			setsockopt(s->icmp[1], IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof(f));
		}
	}
	return 0;
}

int probe_vxlan_run(struct doctor_vxlan_remote *v, size_t n, unsigned timeout_ms, struct error *err)
{
	struct socks s = {{-1, -1}, {-1, -1}};
	uint16_t id = (uint16_t)(getpid() ^ 0x7678);
	struct timespec t0;
	double next = 0;
	int r = 0;

	if (!n)
		return 0;
	r = open_socks(&s, v, n, err);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (r >= 0 && ms_since(&t0) < timeout_ms && !settled(v, n)) {
		struct pollfd p[4];
		nfds_t np = 0;

		if (ms_since(&t0) >= next) {
			for (size_t i = 0; i < n; i++) {
				int fd = s.icmp[v[i].remote.family == AF_INET6];
				struct inet_addr src;

				if (!v[i].probed)
					continue;
				if (!v[i].echo_reply)
					echo_send(fd, &v[i], id, (uint16_t)(2 * i), NULL);
				if (v[i].tunnel_probed && !v[i].tunnel_reply &&
				    bridge_addr(v[i].bridge, v[i].remote.family, &src))
					echo_send(fd, &v[i], id, (uint16_t)(2 * i + 1), &src);
			}
			next += RESEND_MS;
		}
		for (int k = 0; k < 2; k++) {
			if (s.icmp[k] >= 0)
				p[np++] = (struct pollfd){.fd = s.icmp[k], .events = POLLIN};
			if (s.udp[k] >= 0)
				p[np++] = (struct pollfd){.fd = s.udp[k], .events = POLLIN};
		}
		if (poll(p, np, 20) < 0 && errno != EINTR)
			r = error_set(err, -errno, "doctor: poll: %s", strerror(errno));
		for (int k = 0; k < 2; k++) {
			if (s.icmp[k] >= 0)
				sock_read(s.icmp[k], k, false, v, n, id);
			if (s.udp[k] >= 0)
				sock_read(s.udp[k], k, true, v, n, id);
		}
	}
	for (int k = 0; k < 2; k++) {
		if (s.icmp[k] >= 0)
			close(s.icmp[k]);
		if (s.udp[k] >= 0)
			close(s.udp[k]);
	}
	return r;
}
