// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The demo's sandbox, the recipe of tests/sandbox done with syscalls: new
 * network and mount namespaces, every mount made private first (so nothing
 * mounted here propagates back to the machine), a tmpfs on /run (nsnet's and
 * iproute2's state: /run/netns, /run/nsnet), an overlay on /etc, and lo up.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/macro.h"
#include "netns.h"
#include "rtnl.h"
#include "sandbox.h"

int sandbox_enter(struct error *err)
{
	static const char *const dirs[] = {"/run/netns", "/run/nsnet", "/run/.etc",
					   "/run/.etc/up", "/run/.etc/work"};
	_cleanup_nl_sock_ struct nl_sock *s = NULL;
	int r;

	if (unshare(CLONE_NEWNET | CLONE_NEWNS) < 0)
		return error_errno(err, -errno, "sandbox: unshare (this needs root)");
	/* "none", not NULL: the kernel ignores both for a propagation change, valgrind does not */
	if (mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) < 0)
		return error_errno(err, -errno, "sandbox: make mounts private");
	if (mount("nsnet-sandbox", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") < 0)
		return error_errno(err, -errno, "sandbox: tmpfs on /run");
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++)
		if (mkdir(dirs[i], 0755) < 0)
			return error_errno(err, -errno, "sandbox: mkdir %s", dirs[i]);
	if (mount("overlay", "/etc", "overlay", 0,
		  "lowerdir=/etc,upperdir=/run/.etc/up,workdir=/run/.etc/work") < 0)
		return error_errno(err, -errno, "sandbox: overlay on /etc");
	r = nl_sock_open(&s, err);
	if (r >= 0)
		r = nl_link_set_up(s, "lo", true, err);
	return r < 0 ? error_prefix(err, "sandbox") : 0;
}

int sandbox_lan_add(const struct sandbox_lan *lan, struct error *err)
{
	_cleanup_nl_sock_ struct nl_sock *host = NULL, *in = NULL;
	_cleanup_close_ int fd = -1;
	struct link_attrs a = LINK_ATTRS_INIT, pa = LINK_ATTRS_INIT;
	struct route_spec def = {.gateway = lan->lan_addr.addr};
	int r;

	r = netns_add(lan->ns, 0, NULL, err);
	if (r < 0)
		return r;
	r = netns_open(lan->ns, &fd, err);
	if (r >= 0)
		r = nl_sock_open(&host, err);
	if (r >= 0)
		r = nl_sock_open_ns(fd, -1, lan->ns, &in, err);
	pa.netns_fd = fd;
	if (r >= 0)
		r = nl_link_add_veth(host, "eth0", &a, "eth0", &pa, err);
	if (r >= 0)
		r = nl_addr_add(host, "eth0", &lan->host_addr, err);
	if (r >= 0)
		r = nl_link_set_up(host, "eth0", true, err);
	if (r >= 0)
		r = nl_addr_add(in, "eth0", &lan->lan_addr, err);
	if (r >= 0)
		r = nl_link_set_up(in, "eth0", true, err);
	if (r >= 0)
		r = nl_route_add(host, &def, err);
	if (r < 0) {
		sandbox_lan_del(lan);
		return error_prefix(err, "the demo's LAN");
	}
	return 0;
}

int sandbox_lan_add_address(const struct sandbox_lan *lan, struct error *err)
{
	_cleanup_nl_sock_ struct nl_sock *host = NULL, *in = NULL;
	_cleanup_close_ int fd = -1;
	int r;

	r = netns_open(lan->ns, &fd, err);
	if (r >= 0)
		r = nl_sock_open(&host, err);
	if (r >= 0)
		r = nl_sock_open_ns(fd, -1, lan->ns, &in, err);
	if (r >= 0)
		r = nl_addr_add(host, "eth0", &lan->host_addr, err);
	if (r >= 0)
		r = nl_addr_add(in, "eth0", &lan->lan_addr, err);
	return r < 0 ? error_prefix(err, "the demo's LAN") : 0;
}

void sandbox_lan_del(const struct sandbox_lan *lan)
{
	_cleanup_nl_sock_ struct nl_sock *host = NULL;

	if (nl_sock_open(&host, NULL) >= 0)
		(void)nl_link_del(host, "eth0", NULL); /* both ends, and the route with them */
	(void)netns_del(lan->ns, NULL);
}
