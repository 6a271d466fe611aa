// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Sends the probes of `nsnet check` for real and waits for the answers.
 *
 * Every socket is created inside the namespace its traffic starts from (a
 * socket keeps the namespace it was made in, so the process enters a namespace
 * only to make a socket, then waits on all sockets together with one epoll).
 *   ICMP: one raw socket per namespace and family (root has CAP_NET_RAW; ping
 *         sockets would depend on each namespace's ping_group_range), echo id
 *         per socket, sequence number per probe; replies must come from the
 *         probed address. Echoes are resent four times per timeout so a lost
 *         first packet (ARP still resolving) does not fail a probe.
 *   TCP:  a non-blocking connect; a reset is "refused", an ICMP error
 *         "unreachable".
 *   Forwards: from the host to the forwarded host port. If nothing listens
 *         at the target, nsnet listens there itself and only counts the
 *         probe when its own listener receives it, so a service answering on
 *         the host instead of the target cannot pass for the forward.
 */
#include <errno.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <linux/icmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/macro.h"
#include "netns.h"
#include "nsenter.h"
#include "probe.h"

#define PROBE_MAGIC "nsnet-check"
#define SEND_BURST 200 /* packets per millisecond at most */
/*
 * Probes per wave: each may add two entries to the kernel's neighbour table,
 * shared by all namespaces (gc_thresh3, 1024 by default); entries younger
 * than 5 s cannot be reclaimed, so waves start at least WAVE_GAP_MS apart.
 */
#define WAVE_PROBES 300
#define WAVE_GAP_MS 5000

enum role {
	ROLE_RAW4,
	ROLE_RAW6,
	ROLE_CLIENT, /* TCP or UDP socket of one probe */
	ROLE_LISTEN, /* nsnet's own listener at a forward's target */
};

struct source {
	char ns[NETNS_NAME_MAX + 1];
	int raw4, raw6;
	uint16_t id;
	size_t *probes; /* by sequence number */
	size_t n, cap;
};

struct pstate {
	int fd, lfd;
	size_t src;
	uint16_t seq;
	bool connected; /* TCP client done, waiting for our listener to see it */
	double next_send;
};

struct prober {
	struct check_list *l;
	struct pstate *ps;
	struct source *src;
	size_t n_src;
	int ep;
	struct timespec start;
	unsigned timeout_ms;
	size_t pending;
	size_t lo, hi; /* the wave being probed */
};

static double now_ms(const struct timespec *since)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - since->tv_sec) * 1e3 + (double)(t.tv_nsec - since->tv_nsec) / 1e6;
}

static void finish(struct prober *pr, size_t i, enum check_result r, const char *note)
{
	struct check_probe *p = &pr->l->v[i];

	if (p->result != CHECK_PENDING)
		return;
	p->result = r;
	p->ms = now_ms(&pr->start);
	if (note)
		snprintf(p->note, sizeof(p->note), "%s", note);
	if (i >= pr->lo && i < pr->hi)
		pr->pending--;
}

static void finish_errno(struct prober *pr, size_t i, int e)
{
	char note[96];

	if (e == ECONNREFUSED)
		return finish(pr, i, CHECK_REFUSED, NULL);
	if (e == EHOSTUNREACH || e == ENETUNREACH || e == EHOSTDOWN || e == ENETDOWN)
		return finish(pr, i, CHECK_UNREACHABLE, strerror(e));
	snprintf(note, sizeof(note), "%s", strerror(e));
	finish(pr, i, CHECK_FAILED, note);
}

static int watch(struct prober *pr, int fd, enum role role, size_t idx, uint32_t events)
{
	struct epoll_event ev = {.events = events, .data.u64 = (uint64_t)role << 56 | idx};

	return epoll_ctl(pr->ep, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

uint16_t probe_icmp_csum(const void *data, size_t len)
{
	const uint8_t *b = data;
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (len & 1)
		sum += (uint32_t)(b[len - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

socklen_t probe_sockaddr(const struct inet_addr *a, uint16_t port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		memcpy(&s6->sin6_addr, a->bytes, 16);
		return sizeof(*s6);
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

	s4->sin_family = AF_INET;
	s4->sin_port = htons(port);
	memcpy(&s4->sin_addr, a->bytes, 4);
	return sizeof(*s4);
}

static void echo_send(struct prober *pr, size_t i)
{
	const struct check_probe *p = &pr->l->v[i];
	const struct pstate *s = &pr->ps[i];
	const struct source *src = &pr->src[s->src];
	struct sockaddr_storage ss;
	socklen_t sl = probe_sockaddr(&p->to, 0, &ss);
	uint8_t pkt[8 + sizeof(PROBE_MAGIC) + 4] = {0};
	uint32_t token = (uint32_t)i;
	int fd = p->to.family == AF_INET6 ? src->raw6 : src->raw4;

	pkt[0] = p->to.family == AF_INET6 ? ICMP6_ECHO_REQUEST : ICMP_ECHO;
	memcpy(pkt + 4, &(uint16_t){htons(src->id)}, 2);
	memcpy(pkt + 6, &(uint16_t){htons(s->seq)}, 2);
	memcpy(pkt + 8, PROBE_MAGIC, sizeof(PROBE_MAGIC));
	memcpy(pkt + 8 + sizeof(PROBE_MAGIC), &token, 4);
	if (p->to.family == AF_INET) {
		uint16_t c = probe_icmp_csum(pkt, sizeof(pkt));

		memcpy(pkt + 2, &c, 2);
	} /* the kernel computes ICMPv6 checksums of raw sockets itself */
	if (sendto(fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&ss, sl) < 0 && errno != EAGAIN &&
	    errno != ENOBUFS)
		finish_errno(pr, i, errno);
}

/* An echo reply or error for one of src's probes: type, id, seq, who sent it. */
static void icmp_seen(struct prober *pr, struct source *src, bool reply, uint16_t id, uint16_t seq,
		      const struct inet_addr *from)
{
	size_t i;

	if (id != src->id || seq >= src->n)
		return;
	i = src->probes[seq];
	if (reply && !inet_addr_equal(from, &pr->l->v[i].to))
		return;
	finish(pr, i, reply ? CHECK_REACHED : CHECK_UNREACHABLE,
	       reply ? NULL : "ICMP destination unreachable");
}

static uint16_t get16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

static void raw4_read(struct prober *pr, struct source *src)
{
	uint8_t buf[1500];
	ssize_t n;

	while ((n = recv(src->raw4, buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
		size_t ihl = (size_t)(buf[0] & 0xf) * 4, in;
		struct inet_addr from = {.family = AF_INET};

		if ((size_t)n < ihl + 8)
			continue;
		memcpy(from.bytes, buf + 12, 4);
		if (buf[ihl] == ICMP_ECHOREPLY) {
			icmp_seen(pr, src, true, get16(buf + ihl + 4), get16(buf + ihl + 6), &from);
			continue;
		}
		if (buf[ihl] != ICMP_DEST_UNREACH && buf[ihl] != ICMP_TIME_EXCEEDED)
			continue;
		/* The offending packet follows: its IP header, then our echo header. */
		in = ihl + 8;
		if ((size_t)n < in + 20 || (size_t)n < in + (size_t)(buf[in] & 0xf) * 4 + 8)
			continue;
		in += (size_t)(buf[in] & 0xf) * 4;
		if (buf[in] == ICMP_ECHO)
			icmp_seen(pr, src, false, get16(buf + in + 4), get16(buf + in + 6), &from);
	}
}

static void raw6_read(struct prober *pr, struct source *src)
{
	uint8_t buf[1500];
	struct sockaddr_in6 sa;
	socklen_t sl = sizeof(sa);
	ssize_t n;

	while ((n = recvfrom(src->raw6, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&sa,
			     &sl)) > 0) {
		struct inet_addr from = {.family = AF_INET6};

		sl = sizeof(sa);
		memcpy(from.bytes, &sa.sin6_addr, 16);
		if (n >= 8 && buf[0] == ICMP6_ECHO_REPLY)
			icmp_seen(pr, src, true, get16(buf + 4), get16(buf + 6), &from);
		else if (n >= 8 + 40 + 8 && buf[0] == ICMP6_DST_UNREACH && buf[48] == ICMP6_ECHO_REQUEST)
			icmp_seen(pr, src, false, get16(buf + 52), get16(buf + 54), &from);
	}
}

/* The source for namespace ns ("" = here), created on first use. */
static int source_get(struct prober *pr, const char *ns, size_t *ret)
{
	for (size_t s = pr->n_src; s-- > 0;)
		if (strcmp(pr->src[s].ns, ns) == 0) {
			*ret = s;
			return 0;
		}
	struct source *v = realloc(pr->src, (pr->n_src + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	pr->src = v;
	memset(&v[pr->n_src], 0, sizeof(*v));
	snprintf(v[pr->n_src].ns, sizeof(v->ns), "%s", ns);
	v[pr->n_src].raw4 = v[pr->n_src].raw6 = -1;
	v[pr->n_src].id = (uint16_t)(getpid() + pr->n_src);
	*ret = pr->n_src++;
	return 0;
}

static int source_seq(struct source *s, size_t probe, uint16_t *ret)
{
	if (s->n >= 65535)
		return -E2BIG;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		size_t *v = realloc(s->probes, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		s->probes = v;
		s->cap = cap;
	}
	*ret = (uint16_t)s->n;
	s->probes[s->n++] = probe;
	return 0;
}

/*
 * A socket made in namespace ns ("" = right here): it keeps that namespace,
 * so everything else (options, bind, connect) happens from where we are.
 */
static int socket_in(const struct check_list *l, const char *ns, int family, int type,
		     int protocol, struct error *err)
{
	const char *path = check_list_path(l, ns);
	_cleanup_close_ int nsfd = -1;
	int r;

	if (ns[0]) {
		/* A CNI container's namespace is where its runtime put it, not under /run/netns. */
		r = path ? netns_open_path(path, &nsfd, err) : netns_open(ns, &nsfd, err);
		if (r < 0)
			return r;
	}
	return nsenter_socket(nsfd, -1, ns, family, type, protocol, err);
}

/* The probe's socket in its source namespace: its raw socket (once per family) or its own. */
static int open_source(struct prober *pr, size_t i)
{
	struct check_probe *p = &pr->l->v[i];
	struct source *src = &pr->src[pr->ps[i].src];
	bool six = p->to.family == AF_INET6;
	int *raw = six ? &src->raw6 : &src->raw4, r;

	if (p->proto != CHECK_ICMP) {
		int type = p->proto == CHECK_UDP ? SOCK_DGRAM : SOCK_STREAM;

		pr->ps[i].fd = socket_in(pr->l, p->from, six ? AF_INET6 : AF_INET,
					 type | SOCK_NONBLOCK, 0, NULL);
		return pr->ps[i].fd < 0 ? pr->ps[i].fd : 0;
	}
	if (*raw >= 0)
		return 0;
	*raw = socket_in(pr->l, p->from, six ? AF_INET6 : AF_INET, SOCK_RAW | SOCK_NONBLOCK,
			 six ? IPPROTO_ICMPV6 : IPPROTO_ICMP, NULL);
	if (*raw < 0)
		return *raw;
	/*
	 * Every namespace pings many others at once: keep the queue large and
	 * free of the echo requests of everybody else.
	 */
	setsockopt(*raw, SOL_SOCKET, SO_RCVBUFFORCE, &(int){1 << 22}, sizeof(int));
	if (!six) {
		struct icmp_filter f = {
			.data = ~(1U << ICMP_ECHOREPLY | 1U << ICMP_DEST_UNREACH |
				  1U << ICMP_TIME_EXCEEDED),
		};

		setsockopt(*raw, SOL_RAW, ICMP_FILTER, &f, sizeof(f));
	} else {
		struct icmp6_filter f;

		ICMP6_FILTER_SETBLOCKALL(&f);
		ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
		ICMP6_FILTER_SETPASS(ICMP6_DST_UNREACH, &f);
		setsockopt(*raw, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof(f));
	}
	r = watch(pr, *raw, six ? ROLE_RAW6 : ROLE_RAW4, pr->ps[i].src, EPOLLIN);
	return r;
}

/* In the forward's target namespace: listen there unless something already does. */
static int open_listener(struct prober *pr, size_t i)
{
	struct check_probe *p = &pr->l->v[i];
	struct sockaddr_storage ss;
	socklen_t sl = probe_sockaddr(&p->listen_addr, p->listen_port, &ss);
	int type = p->proto == CHECK_UDP ? SOCK_DGRAM : SOCK_STREAM;
	_cleanup_close_ int fd = socket_in(pr->l, p->listen_ns, p->listen_addr.family,
					   type | SOCK_NONBLOCK, 0, NULL);

	if (fd < 0)
		return fd;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &(int){1}, sizeof(int));
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0) {
		if (errno == EADDRINUSE && p->proto == CHECK_TCP) {
			snprintf(p->note, sizeof(p->note), "a service listens at the target");
			return 0;
		}
		if (errno == EADDRINUSE) {
			finish(pr, i, CHECK_SKIPPED,
			       "something else is bound at the target port (UDP has no handshake)");
			return 0;
		}
		return -errno;
	}
	if (type == SOCK_STREAM && listen(fd, 16) < 0)
		return -errno;
	p->self_listened = true;
	pr->ps[i].lfd = TAKE_FD(fd);
	return watch(pr, pr->ps[i].lfd, ROLE_LISTEN, i, EPOLLIN);
}

static void client_start(struct prober *pr, size_t i)
{
	struct check_probe *p = &pr->l->v[i];
	struct sockaddr_storage ss;
	socklen_t sl = probe_sockaddr(&p->to, p->port, &ss);
	int fd = pr->ps[i].fd;

	if (connect(fd, (struct sockaddr *)&ss, sl) < 0 && errno != EINPROGRESS)
		return finish_errno(pr, i, errno);
	if (watch(pr, fd, ROLE_CLIENT, i, p->proto == CHECK_UDP ? EPOLLIN : EPOLLOUT) < 0)
		return finish_errno(pr, i, errno);
	if (p->proto == CHECK_UDP)
		send(fd, PROBE_MAGIC, sizeof(PROBE_MAGIC), MSG_DONTWAIT);
}

static void client_event(struct prober *pr, size_t i)
{
	struct check_probe *p = &pr->l->v[i];
	int e = 0;
	socklen_t el = sizeof(e);

	getsockopt(pr->ps[i].fd, SOL_SOCKET, SO_ERROR, &e, &el);
	if (p->proto == CHECK_UDP) {
		/* Connected UDP: only an ICMP error (port unreachable) ever wakes us. */
		if (e)
			finish_errno(pr, i, e);
		return;
	}
	epoll_ctl(pr->ep, EPOLL_CTL_DEL, pr->ps[i].fd, NULL);
	if (e)
		return finish_errno(pr, i, e);
	if (p->self_listened)
		pr->ps[i].connected = true; /* counts once our listener sees it */
	else
		finish(pr, i, CHECK_REACHED, NULL);
}

static void listener_event(struct prober *pr, size_t i)
{
	struct check_probe *p = &pr->l->v[i];
	char buf[64];
	int fd;

	if (p->proto == CHECK_UDP) {
		ssize_t n = recv(pr->ps[i].lfd, buf, sizeof(buf), MSG_DONTWAIT);

		if (n == (ssize_t)sizeof(PROBE_MAGIC) && memcmp(buf, PROBE_MAGIC, (size_t)n) == 0)
			finish(pr, i, CHECK_REACHED, NULL);
		return;
	}
	while ((fd = accept4(pr->ps[i].lfd, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
		close(fd);
		finish(pr, i, CHECK_REACHED, NULL);
	}
}

static void dispatch(struct prober *pr, uint64_t data)
{
	enum role role = (enum role)(data >> 56);
	size_t idx = (size_t)(data & ((1ULL << 56) - 1));

	switch (role) {
	case ROLE_RAW4:
		return raw4_read(pr, &pr->src[idx]);
	case ROLE_RAW6:
		return raw6_read(pr, &pr->src[idx]);
	case ROLE_CLIENT:
		return client_event(pr, idx);
	case ROLE_LISTEN:
		return listener_event(pr, idx);
	}
}

/*
 * Up to four sends per timeout for echoes and UDP datagrams, paced: a burst
 * of thousands of packets overflows the per-CPU backlog veth delivers into
 * (net.core.netdev_max_backlog, 1000), and those would be lost.
 */
static void resend(struct prober *pr, double t)
{
	size_t sent = 0;

	for (size_t i = pr->lo; i < pr->hi && sent < SEND_BURST; i++) {
		const struct check_probe *p = &pr->l->v[i];
		struct pstate *s = &pr->ps[i];

		if (p->result != CHECK_PENDING || p->proto == CHECK_TCP || t < s->next_send)
			continue;
		if (p->proto == CHECK_ICMP)
			echo_send(pr, i);
		else
			send(s->fd, PROBE_MAGIC, sizeof(PROBE_MAGIC), MSG_DONTWAIT);
		s->next_send = t + pr->timeout_ms / 4.0;
		sent++;
	}
}

static void fd_limit_raise(size_t need)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < need + 64) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static int prepare(struct prober *pr)
{
	for (size_t i = 0; i < pr->l->n; i++) {
		struct check_probe *p = &pr->l->v[i];
		char note[96];
		int r;

		if (p->result != CHECK_PENDING)
			continue;
		r = source_get(pr, p->from, &pr->ps[i].src);
		if (r >= 0)
			r = source_seq(&pr->src[pr->ps[i].src], i, &pr->ps[i].seq);
		if (r == -ENOMEM)
			return r;
		if (r >= 0)
			r = open_source(pr, i);
		if (r >= 0 && p->kind == CHECK_FORWARD)
			r = open_listener(pr, i);
		if (r < 0) {
			snprintf(note, sizeof(note), "cannot probe from '%s': %s",
				 p->from[0] ? p->from : "host", strerror(-r));
			finish(pr, i, CHECK_FAILED, note);
		}
	}
	return 0;
}

static void sleep_ms(double ms)
{
	struct timespec ts = {(time_t)(ms / 1e3), (long)((ms - (double)(time_t)(ms / 1e3) * 1e3) * 1e6)};

	while (ms > 0 && nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Probes [lo, lo + WAVE_PROBES) until all answered or the timeout. */
static int wave_run(struct prober *pr, struct epoll_event *evs, int n_evs)
{
	struct check_list *l = pr->l;

	if (pr->lo)
		sleep_ms(WAVE_GAP_MS - now_ms(&pr->start));
	pr->hi = pr->lo + WAVE_PROBES < l->n ? pr->lo + WAVE_PROBES : l->n;
	pr->pending = 0;
	for (size_t i = pr->lo; i < pr->hi; i++)
		pr->pending += l->v[i].result == CHECK_PENDING;
	clock_gettime(CLOCK_MONOTONIC, &pr->start);
	for (size_t i = pr->lo; i < pr->hi; i++)
		if (l->v[i].result == CHECK_PENDING && l->v[i].proto != CHECK_ICMP)
			client_start(pr, i);
	while (pr->pending) {
		double t = now_ms(&pr->start);
		int n;

		if (t >= pr->timeout_ms)
			break;
		resend(pr, t);
		n = epoll_wait(pr->ep, evs, n_evs, 1);
		for (int k = 0; k < n; k++)
			dispatch(pr, evs[k].data.u64);
	}
	for (size_t i = pr->lo; i < pr->hi; i++) {
		if (l->v[i].result != CHECK_PENDING)
			continue;
		finish(pr, i, CHECK_NO_REPLY,
		       pr->ps[i].connected ? "connected, but not to the target: something else "
					     "answers at the host port"
					   : NULL);
		if (pr->ps[i].connected)
			l->v[i].result = CHECK_FAILED;
	}
	return 0;
}

int probe_run(struct check_list *l, unsigned timeout_ms, struct error *err)
{
	struct prober pr = {.l = l, .timeout_ms = timeout_ms};
	struct epoll_event evs[256];
	int r;

	fd_limit_raise(l->n * 2);
	pr.ps = calloc(l->n + 1, sizeof(*pr.ps));
	pr.ep = epoll_create1(EPOLL_CLOEXEC);
	if (!pr.ps || pr.ep < 0) {
		r = error_errno(err, pr.ps ? -errno : -ENOMEM, "probe setup");
		goto out;
	}
	for (size_t i = 0; i < l->n; i++)
		pr.ps[i].fd = pr.ps[i].lfd = -1;
	clock_gettime(CLOCK_MONOTONIC, &pr.start);
	r = prepare(&pr);
	if (r < 0) {
		error_set(err, r, "out of memory");
		goto out;
	}
	for (pr.lo = 0; pr.lo < l->n; pr.lo = pr.hi) {
		r = wave_run(&pr, evs, ARRAY_SIZE(evs));
		if (r < 0)
			goto out;
		l->waves++;
	}
	r = 0;
out:
	for (size_t i = 0; pr.ps && i < l->n; i++) {
		if (pr.ps[i].fd >= 0)
			close(pr.ps[i].fd);
		if (pr.ps[i].lfd >= 0)
			close(pr.ps[i].lfd);
	}
	for (size_t s = 0; s < pr.n_src; s++) {
		if (pr.src[s].raw4 >= 0)
			close(pr.src[s].raw4);
		if (pr.src[s].raw6 >= 0)
			close(pr.src[s].raw6);
		free(pr.src[s].probes);
	}
	free(pr.src);
	free(pr.ps);
	if (pr.ep >= 0)
		close(pr.ep);
	return r;
}

int probe_tcp_seen(const char *from_ns, const struct inet_addr *to, uint16_t to_port,
		   const char *listen_ns, const struct inet_addr *listen_addr,
		   uint16_t listen_port, unsigned timeout_ms, char *seen, size_t len,
		   struct error *err)
{
	_cleanup_close_ int lfd = -1, cfd = -1, afd = -1;
	struct sockaddr_storage ss, peer;
	socklen_t sl, pl = sizeof(peer);
	struct pollfd pfd;

	seen[0] = '\0';
	lfd = socket_in(NULL, listen_ns, listen_addr->family, SOCK_STREAM, 0, err);
	if (lfd < 0)
		return lfd;
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &(int){1}, sizeof(int));
	sl = probe_sockaddr(listen_addr, listen_port, &ss);
	if (bind(lfd, (struct sockaddr *)&ss, sl) < 0 || listen(lfd, 4) < 0)
		return error_errno(err, -errno, "listen in '%s'", listen_ns);
	cfd = socket_in(NULL, from_ns, to->family, SOCK_STREAM | SOCK_NONBLOCK, 0, err);
	if (cfd < 0)
		return cfd;
	sl = probe_sockaddr(to, to_port, &ss);
	if (connect(cfd, (struct sockaddr *)&ss, sl) < 0 && errno != EINPROGRESS)
		return 0; /* nothing arrives: seen stays empty */
	pfd = (struct pollfd){.fd = lfd, .events = POLLIN};
	if (poll(&pfd, 1, (int)timeout_ms) <= 0)
		return 0;
	afd = accept4(lfd, (struct sockaddr *)&peer, &pl, SOCK_CLOEXEC);
	if (afd < 0)
		return 0;
	if (peer.ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&peer)->sin6_addr, seen, (socklen_t)len);
	else
		inet_ntop(AF_INET, &((struct sockaddr_in *)&peer)->sin_addr, seen, (socklen_t)len);
	return 0;
}
