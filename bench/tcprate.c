// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench/tcprate.c: TCP connection rate through a port forward.
 *
 *   tcprate server PORT          accept and close, forever (IPv4, any address)
 *   tcprate client ADDR PORT M   connect and close M times, print "CONNS_PER_SECOND"
 *
 * Every connection is a new conntrack entry, so each one goes through the DNAT lookup
 * (the nft map or the iptables chain) that bench/run compares. The client closes with a
 * reset (SO_LINGER 0): no TIME_WAIT, so M is not capped by the ephemeral ports, and the
 * server does not wait for a FIN either.
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

static int server(int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	int one = 1;
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (s < 0 || setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(s, 4096) < 0)
		err(1, "listen on port %d", port);
	for (;;) {
		int c = accept4(s, NULL, NULL, SOCK_CLOEXEC);

		if (c >= 0)
			close(c);
	}
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
	errx(2, "usage: tcprate server PORT | tcprate client ADDR PORT M");
}
