// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench/floor.c: the floor that bench/run compares nsnet with. It builds the benchmark's
 * topology with as little as the kernel needs and nothing else: no observation, no plan,
 * no rollback, no ownership marks, and it stops at the first error.
 *
 *   floor up N     bridge flbr (10.64.0.1/16), namespaces fl0..fl(N-1), each with a veth
 *                  eth0 (10.64.x.y/16) whose host end flhI is a port of flbr, lo and eth0 up,
 *                  a default route via 10.64.0.1; one nft table with a masquerade rule and
 *                  a DNAT map, host port 20000+I -> address of flI, port 80
 *   floor down N   delete the namespaces, the bridge and the table, and wait until the
 *                  host ends are gone (the kernel frees a namespace's devices later)
 *
 * What makes it the floor (see /work/shared/guide/PERFORMANCE.md):
 *   - a namespace costs no process: the thread unshares a network namespace, bind-mounts
 *     /proc/thread-self/ns/net onto /run/netns/NAME (a shared mount, as iproute2 does),
 *     opens a netlink socket there (it stays bound to that namespace) and goes back;
 *   - the veth peer is created directly in its namespace (IFLA_NET_NS_FD in the peer's
 *     attributes), already up;
 *   - IPv6 is off on the new interfaces (address generation mode none, set before they go
 *     up): the topology is IPv4-only, and every IPv6 bridge port would flood DAD, RS and MLD
 *     to all the others. The kernel refuses IFLA_AF_SPEC when a link is created; a veth
 *     has no carrier until both ends are up and IPv6 waits for the carrier, so the
 *     message that brings the host end up carries the mode, and the bridge's and eth0's
 *     are set just before their up;
 *   - the firewall is one libnftables transaction.
 */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <nftables/libnftables.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BRIDGE "flbr"
#define NETNS_DIR "/run/netns"
#define PORT_BASE 20000

struct nl {
	struct mnl_socket *sk;
	unsigned int seq;
	unsigned int portid;
	char buf[8192];
};

static void nl_open(struct nl *nl)
{
	nl->sk = mnl_socket_open(NETLINK_ROUTE);
	if (!nl->sk || mnl_socket_bind(nl->sk, 0, MNL_SOCKET_AUTOPID) < 0)
		err(1, "netlink socket");
	nl->portid = mnl_socket_get_portid(nl->sk);
	nl->seq = 0;
}

static struct nlmsghdr *nl_msg(struct nl *nl, int type, int flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++nl->seq;
	return nlh;
}

/* Sends the request and waits for its ack; cb, when given, sees the replies. */
static int nl_talk(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	int ret;

	if (mnl_socket_sendto(nl->sk, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		ret = mnl_socket_recvfrom(nl->sk, nl->buf, sizeof(nl->buf));
		if (ret < 0)
			return -errno;
		ret = mnl_cb_run(nl->buf, ret, nl->seq, nl->portid, cb, data);
	} while (ret > 0);
	return ret < 0 ? -errno : 0;
}

static void nl_do(struct nl *nl, struct nlmsghdr *nlh, const char *what)
{
	int r = nl_talk(nl, nlh, NULL, NULL);

	if (r < 0)
		errx(1, "%s: %s", what, strerror(-r));
}

static void put_ipv6_off(struct nlmsghdr *nlh)
{
	struct nlattr *spec = mnl_attr_nest_start(nlh, IFLA_AF_SPEC);
	struct nlattr *in6 = mnl_attr_nest_start(nlh, AF_INET6);

	mnl_attr_put_u8(nlh, IFLA_INET6_ADDR_GEN_MODE, IN6_ADDR_GEN_MODE_NONE);
	mnl_attr_nest_end(nlh, in6);
	mnl_attr_nest_end(nlh, spec);
}

static struct ifinfomsg *put_ifinfo(struct nlmsghdr *nlh, int index, unsigned int up);

static void link_ipv6_off(struct nl *nl, int index)
{
	struct nlmsghdr *nlh = nl_msg(nl, RTM_NEWLINK, 0);

	put_ifinfo(nlh, index, 0);
	put_ipv6_off(nlh);
	nl_do(nl, nlh, "addrgenmode none");
}

static struct ifinfomsg *put_ifinfo(struct nlmsghdr *nlh, int index, unsigned int up)
{
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = index;
	ifi->ifi_flags = up;
	ifi->ifi_change = up;
	return ifi;
}

/* Brings up the link INDEX, or NAME when INDEX is 0. */
static void link_up(struct nl *nl, int index, const char *name, bool ipv6_off)
{
	struct nlmsghdr *nlh = nl_msg(nl, RTM_NEWLINK, 0);

	put_ifinfo(nlh, index, IFF_UP);
	if (!index)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	if (ipv6_off)
		put_ipv6_off(nlh);
	nl_do(nl, nlh, name);
}

static void addr_add(struct nl *nl, int index, uint32_t addr, int plen, const char *what)
{
	struct nlmsghdr *nlh = nl_msg(nl, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));

	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = plen;
	ifa->ifa_index = index;
	mnl_attr_put_u32(nlh, IFA_LOCAL, addr);
	mnl_attr_put_u32(nlh, IFA_ADDRESS, addr);
	nl_do(nl, nlh, what);
}

static void route_default(struct nl *nl, int index, uint32_t gw, const char *what)
{
	struct nlmsghdr *nlh = nl_msg(nl, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));

	rtm->rtm_family = AF_INET;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_STATIC;
	rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	rtm->rtm_type = RTN_UNICAST;
	mnl_attr_put_u32(nlh, RTA_GATEWAY, gw);
	mnl_attr_put_u32(nlh, RTA_OIF, index);
	nl_do(nl, nlh, what);
}

static int link_index_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	*(int *)data = ifi->ifi_index;
	return MNL_CB_OK;
}

static int link_index(struct nl *nl, const char *name)
{
	struct nlmsghdr *nlh = nl_msg(nl, RTM_GETLINK, 0);
	int index = 0;

	put_ifinfo(nlh, 0, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	if (nl_talk(nl, nlh, link_index_cb, &index) < 0 || index <= 0)
		errx(1, "no link '%s'", name);
	return index;
}

static void sysctl_write(const char *path, const char *value)
{
	FILE *f = fopen(path, "we");

	if (!f || fputs(value, f) < 0 || fclose(f) != 0)
		err(1, "%s", path);
}

/* 10.64.0.1 is the bridge; namespace i gets the i-th address after it. */
static uint32_t ns_addr(int i)
{
	return htonl((10u << 24 | 64u << 16) + 2 + i);
}

/* iproute2's rule: /run/netns is a shared mount, so that a namespace mounted later shows in
 * every mount namespace that sees the directory (bound onto itself first if needed). */
static void netns_dir_shared(void)
{
	if (mkdir(NETNS_DIR, 0755) < 0 && errno != EEXIST)
		err(1, "mkdir %s", NETNS_DIR);
	if (mount("", NETNS_DIR, "none", MS_SHARED | MS_REC, NULL) == 0)
		return;
	if (errno != EINVAL || mount(NETNS_DIR, NETNS_DIR, "none", MS_BIND | MS_REC, NULL) < 0 ||
	    mount("", NETNS_DIR, "none", MS_SHARED | MS_REC, NULL) < 0)
		err(1, "make %s a shared mount", NETNS_DIR);
}

/*
 * Creates the named namespace NAME and returns, with the thread back in the host's
 * namespace, a netlink socket bound inside it and a file descriptor of it.
 */
static void netns_add(const char *name, int host_fd, struct nl *nl, int *ret_fd)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), NETNS_DIR "/%s", name);
	fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	if (fd < 0)
		err(1, "create %s", path);
	close(fd);
	if (unshare(CLONE_NEWNET) < 0)
		err(1, "unshare");
	if (mount("/proc/thread-self/ns/net", path, "none", MS_BIND, NULL) < 0)
		err(1, "bind mount %s", path);
	nl_open(nl);
	*ret_fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (*ret_fd < 0)
		err(1, "open netns");
	if (setns(host_fd, CLONE_NEWNET) < 0)
		err(1, "setns host");
}

static void bridge_add(struct nl *nl)
{
	struct nlmsghdr *nlh = nl_msg(nl, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	struct nlattr *info;

	put_ifinfo(nlh, 0, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, BRIDGE);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
	mnl_attr_nest_end(nlh, info);
	nl_do(nl, nlh, "bridge " BRIDGE);
}

/* Host end HOST on the bridge, peer eth0 created inside namespace NS_FD; both down. */
static void veth_add(struct nl *nl, const char *host, int master, int ns_fd)
{
	struct nlmsghdr *nlh = nl_msg(nl, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	struct nlattr *info, *data, *peer;

	put_ifinfo(nlh, 0, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, host);
	mnl_attr_put_u32(nlh, IFLA_MASTER, master);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	peer = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	put_ifinfo(nlh, 0, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "eth0");
	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, ns_fd);
	mnl_attr_nest_end(nlh, peer);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	nl_do(nl, nlh, "veth create");
}

static void firewall_up(int n)
{
	size_t size = 512 + (size_t)n * 48;
	char *buf = malloc(size);
	struct nft_ctx *nft = nft_ctx_new(NFT_CTX_DEFAULT);
	size_t len;

	if (!buf || !nft)
		errx(1, "out of memory");
	len = snprintf(buf, size,
		       "table ip benchfloor {\n"
		       "\tmap ports {\n\t\ttype inet_service : ipv4_addr . inet_service\n");
	for (int i = 0; i < n; i++) {
		uint32_t a = ntohl(ns_addr(i));

		len += snprintf(buf + len, size - len, "%s%d : %u.%u.%u.%u . 80",
				i ? ", " : "\t\telements = { ", PORT_BASE + i, a >> 24,
				a >> 16 & 255, a >> 8 & 255, a & 255);
	}
	snprintf(buf + len, size - len,
		 "%s\t}\n"
		 "\tchain pre {\n\t\ttype nat hook prerouting priority dstnat;\n"
		 "\t\tfib daddr type local meta l4proto tcp dnat ip to tcp dport map @ports\n\t}\n"
		 "\tchain out {\n\t\ttype nat hook output priority -100;\n"
		 "\t\tfib daddr type local meta l4proto tcp dnat ip to tcp dport map @ports\n\t}\n"
		 "\tchain post {\n\t\ttype nat hook postrouting priority srcnat;\n"
		 "\t\tip saddr 10.64.0.0/16 oifname != \"" BRIDGE "\" masquerade\n\t}\n"
		 "}\n",
		 n ? " }\n" : "");
	if (nft_run_cmd_from_buffer(nft, buf) != 0)
		errx(1, "nft transaction failed");
	nft_ctx_free(nft);
	free(buf);
}

static void firewall_down(void)
{
	struct nft_ctx *nft = nft_ctx_new(NFT_CTX_DEFAULT);

	if (!nft || nft_run_cmd_from_buffer(nft, "delete table ip benchfloor\n") != 0)
		errx(1, "nft: delete table ip benchfloor failed");
	nft_ctx_free(nft);
}

static void up(int n)
{
	int host_fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	uint32_t gw = htonl(10u << 24 | 64u << 16 | 1);
	struct nl host, ns;
	int br, fd;

	if (host_fd < 0)
		err(1, "open host netns");
	netns_dir_shared();
	nl_open(&host);
	bridge_add(&host);
	br = link_index(&host, BRIDGE);
	/* The bridge has a carrier at once: its mode must be set before it goes up. */
	link_ipv6_off(&host, br);
	link_up(&host, br, BRIDGE, false);
	addr_add(&host, br, gw, 16, BRIDGE);
	for (int i = 0; i < n; i++) {
		char name[IFNAMSIZ];
		int eth0;

		snprintf(name, sizeof(name), "fl%d", i);
		netns_add(name, host_fd, &ns, &fd);
		snprintf(name, sizeof(name), "flh%d", i);
		veth_add(&host, name, br, fd);
		close(fd);
		/*
		 * A veth has no carrier until both ends are up, and IPv6 configures
		 * an interface only once it has one: the host end's mode can come
		 * with its up (eth0 is still down); eth0's must come before its up.
		 */
		link_up(&host, 0, name, true);
		link_up(&ns, 1, "lo", false);
		eth0 = link_index(&ns, "eth0");
		link_ipv6_off(&ns, eth0);
		link_up(&ns, eth0, "eth0", false);
		addr_add(&ns, eth0, ns_addr(i), 16, "eth0");
		route_default(&ns, eth0, gw, "default route");
		mnl_socket_close(ns.sk);
	}
	firewall_up(n);
	/* Forwarding through the host, as the topology's NAT needs. */
	sysctl_write("/proc/sys/net/ipv4/ip_forward", "1\n");
	mnl_socket_close(host.sk);
	close(host_fd);
}

static void down(int n)
{
	struct nl host;
	struct nlmsghdr *nlh;
	struct timespec pause = { 0, 2 * 1000 * 1000 };

	for (int i = 0; i < n; i++) {
		char path[64];

		snprintf(path, sizeof(path), NETNS_DIR "/fl%d", i);
		if (umount2(path, MNT_DETACH) < 0 || unlink(path) < 0)
			err(1, "delete %s", path);
	}
	nl_open(&host);
	nlh = nl_msg(&host, RTM_DELLINK, 0);
	put_ifinfo(nlh, 0, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, BRIDGE);
	nl_do(&host, nlh, "delete " BRIDGE);
	mnl_socket_close(host.sk);
	firewall_down();
	/* The namespaces go away in the kernel's cleanup work, their host ends with them. */
	for (int i = 0; i < n;) {
		char name[IFNAMSIZ];

		snprintf(name, sizeof(name), "flh%d", i);
		if (if_nametoindex(name))
			nanosleep(&pause, NULL);
		else
			i++;
	}
}

int main(int argc, char **argv)
{
	char *end;
	long n;

	if (argc != 3 || (strcmp(argv[1], "up") && strcmp(argv[1], "down")))
		errx(2, "usage: floor up|down N");
	n = strtol(argv[2], &end, 10);
	if (*end || n < 0 || n > 60000)
		errx(2, "N: 0 to 60000");
	if (!strcmp(argv[1], "up"))
		up(n);
	else
		down(n);
	return 0;
}
