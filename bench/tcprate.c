// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench/tcprate.c: TCP connection rate through a port forward.
 *
 *   tcprate server PORT          accept and close, forever (IPv4, any address)
 *   tcprate client ADDR PORT M   connect and close M times, print "CONNS_PER_SECOND"
 *   tcprate sink PORT            accept, read everything and close, forever
 *   tcprate stream ADDR PORT S   send for S seconds over one connection, print "MBIT_PER_SECOND"
 *
 * Every connection is a new conntrack entry, so each one goes through the DNAT lookup
 * (the nft map or the iptables chain) that bench/run compares. The client closes with a
 * reset (SO_LINGER 0): no TIME_WAIT, so M is not capped by the ephemeral ports, and the
 * server does not wait for a FIN either.
 *
 * The stream counts a byte once the sink has read it: after S seconds of writing it shuts
 * its side down and waits for the sink to close, so what still sat in the buffers when the
 * clock ran out is in the time too.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <err.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int port_parse(const char *s)
{
	char *end;
	long p = strtol(s, &end, 10);

	if (*end || p < 1 || p > 65535)
		errx(2, "bad port '%s'", s);
	return p;
}

static int listen_on(int port, int backlog)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	int one = 1;
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (s < 0 || setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(s, backlog) < 0)
		err(1, "listen on port %d", port);
	return s;
}

static int server(int port)
{
	int s = listen_on(port, 4096);

	for (;;) {
		int c = accept4(s, NULL, NULL, SOCK_CLOEXEC);

		if (c >= 0)
			close(c);
	}
	return 0;
}

static int sink(int port)
{
	static char buf[1 << 17];
	int s = listen_on(port, 16);

	for (;;) {
		int c = accept4(s, NULL, NULL, SOCK_CLOEXEC);

		while (c >= 0 && read(c, buf, sizeof(buf)) > 0)
			;
		if (c >= 0)
			close(c);
	}
	return 0;
}

static double since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) + (t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static int stream(const char *addr, int port, double secs)
{
	static char buf[1 << 17];
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	struct timespec t0;
	double sent = 0;
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1)
		errx(2, "bad address '%s'", addr);
	if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		err(1, "connect %s:%d", addr, port);
	memset(buf, 0x5a, sizeof(buf));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (since(&t0) < secs) {
		ssize_t n = write(s, buf, sizeof(buf));

		if (n < 0)
			err(1, "write");
		sent += (double)n;
	}
	shutdown(s, SHUT_WR);
	while (read(s, buf, sizeof(buf)) > 0)
		;
	printf("%.0f\n", sent * 8 / 1e6 / since(&t0));
	close(s);
	return 0;
}

static int client(const char *addr, int port, long m)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	struct linger reset = { .l_onoff = 1, .l_linger = 0 };
	struct timespec t0, t1;
	double secs;

	if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1)
		errx(2, "bad address '%s'", addr);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < m; i++) {
		int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

		if (s < 0)
			err(1, "socket");
		if (connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0)
			err(1, "connect %s:%d (connection %ld)", addr, port, i + 1);
		setsockopt(s, SOL_SOCKET, SO_LINGER, &reset, sizeof(reset));
		close(s);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%.0f\n", m / secs);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "server"))
		return server(port_parse(argv[2]));
	if (argc == 5 && !strcmp(argv[1], "client")) {
		long m = strtol(argv[4], NULL, 10);

		if (m < 1)
			errx(2, "M: at least 1");
		return client(argv[2], port_parse(argv[3]), m);
	}
	if (argc == 3 && !strcmp(argv[1], "sink"))
		return sink(port_parse(argv[2]));
	if (argc == 5 && !strcmp(argv[1], "stream")) {
		double secs = strtod(argv[4], NULL);

		if (!(secs > 0))
			errx(2, "S: more than 0 seconds");
		return stream(argv[2], port_parse(argv[3]), secs);
	}
	errx(2, "usage: tcprate server PORT | tcprate client ADDR PORT M | tcprate sink PORT | "
		"tcprate stream ADDR PORT S");
}
