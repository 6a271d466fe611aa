// SPDX-License-Identifier: GPL-2.0-or-later
/* TX checksum offload through SIOCETHTOOL (see ethtool.h). */
#include <errno.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/name.h"
#include "ethtool.h"
#include "fault.h"
#include "nsenter.h"

int ethtool_sock_open(int netns_fd, int *ret_fd, struct error *err)
{
	int fd = nsenter_socket(netns_fd, -1, "ethtool", AF_INET, SOCK_DGRAM, 0, err);

	if (fd < 0)
		return error_prefix(err, "ethtool");
	*ret_fd = fd;
	return 0;
}

static int request(int fd, const char *ifname, struct ethtool_value *ev, const char *op,
		   const char *where, struct error *err)
{
	struct ifreq ifr = {0};
	int r;

	r = name_ifname_check(ifname, err);
	if (r < 0)
		return r;
	memcpy(ifr.ifr_name, ifname, strlen(ifname) + 1);
	ifr.ifr_data = (void *)ev;
	if (ioctl(fd, SIOCETHTOOL, &ifr) < 0)
		return error_errno(err, -errno, "link '%s'%s: %s", ifname, where, op);
	return 0;
}

int ethtool_tx_csum_set(int sock_fd, const char *ifname, bool on, const char *where,
			struct error *err)
{
	struct ethtool_value ev = {.cmd = ETHTOOL_STXCSUM, .data = on};
	int r = name_ifname_check(ifname, err);

	if (r >= 0)
		r = fault_before("ethtool tx checksum", err);
	if (r < 0)
		return r;
	r = request(sock_fd, ifname, &ev, "ETHTOOL_STXCSUM", where, err);
	if (r >= 0)
		fault_after();
	return r;
}

int ethtool_tx_csum_get(int sock_fd, const char *ifname, bool *ret, const char *where,
			struct error *err)
{
	struct ethtool_value ev = {.cmd = ETHTOOL_GTXCSUM};
	int r = request(sock_fd, ifname, &ev, "ETHTOOL_GTXCSUM", where, err);

	if (r >= 0)
		*ret = ev.data != 0;
	return r;
}
