// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nltool: drives the kernel layer (src/sys/rtnl.h) one operation at a time,
 * so integration tests can check each against iproute2. Test-only.
 *
 *   nltool [-n NS] veth NAME PEER [PEER_NS] | bridge NAME | master DEV BRIDGE
 *          | nomaster DEV | up DEV | down DEV | mtu DEV N | del DEV
 *          | addr DEV CIDR | addr-del DEV CIDR
 *          | route DST|default [via GW] [dev DEV] | route-del ...
 *          | neigh DEV IP MAC | neigh-del DEV IP
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/inet.h"
#include "sys/netns.h"
#include "sys/nl.h"
#include "sys/rtnl.h"

static int usage(void)
{
	fprintf(stderr, "usage: nltool [-n NS] CMD ARGS... (see the source)\n");
	return 2;
}

static int parse_route(int argc, char **argv, struct route_spec *r, struct error *err)
{
	int ret;

	if (argc < 1)
		return error_input(err, -EINVAL, "route needs a destination");
	ret = inet_route_dst_parse(argv[0], 0, &r->dst, err);
	for (int i = 1; ret >= 0 && i < argc; i += 2) {
		if (i + 1 >= argc)
			return error_input(err, -EINVAL, "'%s' needs a value", argv[i]);
		if (strcmp(argv[i], "via") == 0)
			ret = inet_addr_parse(argv[i + 1], &r->gateway, err);
		else if (strcmp(argv[i], "dev") == 0)
			r->dev = argv[i + 1];
		else
			return error_input(err, -EINVAL, "unknown route word '%s'", argv[i]);
	}
	if (ret >= 0 && r->dst.len == 0 && r->gateway.family)
		r->dst.addr.family = r->gateway.family;
	return ret;
}

static int run(struct nl_sock *s, int argc, char **argv, struct error *err)
{
	const char *cmd = argv[0];
	struct link_attrs pa = LINK_ATTRS_INIT;
	struct inet_prefix p;
	struct inet_addr a;
	uint8_t mac[MAC_LEN];
	int r;

	if (strcmp(cmd, "veth") == 0 && (argc == 3 || argc == 4)) {
		_cleanup_close_ int fd = -1;

		if (argc == 4) {
			r = netns_open(argv[3], &fd, err);
			if (r < 0)
				return r;
			pa.netns_fd = fd;
		}
		return nl_link_add_veth(s, argv[1], NULL, argv[2], &pa, err);
	}
	if (strcmp(cmd, "bridge") == 0 && argc == 2)
		return nl_link_add_bridge(s, argv[1], NULL, err);
	if (strcmp(cmd, "master") == 0 && argc == 3)
		return nl_link_set_master(s, argv[1], argv[2], err);
	if (strcmp(cmd, "nomaster") == 0 && argc == 2)
		return nl_link_set_master(s, argv[1], NULL, err);
	if ((strcmp(cmd, "up") == 0 || strcmp(cmd, "down") == 0) && argc == 2)
		return nl_link_set_up(s, argv[1], cmd[0] == 'u', err);
	if (strcmp(cmd, "mtu") == 0 && argc == 3)
		return nl_link_set_mtu(s, argv[1], (unsigned)strtoul(argv[2], NULL, 10), err);
	if (strcmp(cmd, "del") == 0 && argc == 2)
		return nl_link_del(s, argv[1], err);
	if ((strcmp(cmd, "addr") == 0 || strcmp(cmd, "addr-del") == 0) && argc == 3) {
		r = inet_prefix_parse(argv[2], &p, err);
		if (r < 0)
			return r;
		return cmd[4] ? nl_addr_del(s, argv[1], &p, err) : nl_addr_add(s, argv[1], &p, err);
	}
	if (strcmp(cmd, "route") == 0 || strcmp(cmd, "route-del") == 0) {
		struct route_spec rs = {0};

		r = parse_route(argc - 1, argv + 1, &rs, err);
		if (r < 0)
			return r;
		return cmd[5] ? nl_route_del(s, &rs, err) : nl_route_add(s, &rs, err);
	}
	if (strcmp(cmd, "neigh") == 0 && argc == 4) {
		r = inet_addr_parse(argv[2], &a, err);
		if (r >= 0)
			r = mac_parse(argv[3], mac, err);
		return r < 0 ? r : nl_neigh_add(s, argv[1], &a, mac, err);
	}
	if (strcmp(cmd, "neigh-del") == 0 && argc == 3) {
		r = inet_addr_parse(argv[2], &a, err);
		return r < 0 ? r : nl_neigh_del(s, argv[1], &a, err);
	}
	return error_input(err, -EINVAL, "unknown command or wrong arguments: '%s'", cmd);
}

int main(int argc, char **argv)
{
	_cleanup_nl_sock_ struct nl_sock *s = NULL;
	struct error err = {0};
	int i = 1, r;

	if (argc > 2 && strcmp(argv[1], "-n") == 0) {
		_cleanup_close_ int fd = -1;

		r = netns_open(argv[2], &fd, &err);
		if (r >= 0)
			r = nl_sock_open_ns(fd, -1, argv[2], &s, &err);
		i = 3;
	} else {
		r = nl_sock_open(&s, &err);
	}
	if (i >= argc)
		return usage();
	if (r >= 0)
		r = run(s, argc - i, argv + i, &err);
	if (r < 0) {
		fprintf(stderr, "nltool: %s\n", err.msg);
		return error_exit_status(&err);
	}
	return 0;
}
