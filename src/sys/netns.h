/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Named network namespaces, the iproute2 way, so that `ip netns` and nsnet see
 * and use each other's: /run/netns is a shared mount, and a namespace NAME is
 * the bind mount of a namespace's nsfs inode on the empty file /run/netns/NAME.
 */
#ifndef NSNET_NETNS_H
#define NSNET_NETNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/name.h"

#define NETNS_RUN_DIR "/run/netns"
#define NETNS_ETC_DIR "/etc/netns"

enum {
	NETNS_ADD_NO_LOOPBACK = 1 << 0, /* leave lo down, as `ip netns add` does */
};

/* Opens the namespace NAME (O_RDONLY nsfs fd), refusing anything but a namespace mount. */
int netns_open(const char *name, int *ret_fd, struct error *err);
/* The same within an open /run/netns (netns_dir_open): for many namespaces in a row. */
int netns_dir_open(int *ret_fd, struct error *err);
int netns_open_at(int dirfd, const char *name, int *ret_fd, struct error *err);
/*
 * A namespace by any path (a CNI runtime's CNI_NETNS: /run/netns/..., or
 * /proc/PID/ns/net), links followed, refusing anything that is not an nsfs file.
 */
int netns_open_path(const char *path, int *ret_fd, struct error *err);

/*
 * Creates namespace NAME; -EEXIST if it exists. lo is brought up unless told
 * otherwise, and given lo_alias (if not NULL) before the namespace becomes
 * visible under /run/netns, so no one ever sees it unmarked.
 */
int netns_add(const char *name, unsigned flags, const char *lo_alias, struct error *err);

struct nl_sock;

/* What netns_add_open hands over: a netlink socket in the new namespace, and its fd. */
struct netns_handles {
	struct nl_sock *sock;
	int fd;
};

/*
 * netns_add, which also returns (if ret) the handles a caller would open next,
 * at no extra cost; home_fd: the thread's namespace if the caller holds it, or -1.
 * mark (0: none): what the placeholder carries, so that netns_remove_stale can
 * tell a placeholder of this creation from anyone else's file.
 */
int netns_add_open(const char *name, unsigned flags, const char *lo_alias, uint64_t mark,
		   int home_fd, struct netns_handles *ret, struct error *err);
/* A fresh mark for netns_add_open's placeholder, recorded in the journal first; never 0. */
uint64_t netns_mark_new(void);

/* Deletes namespace NAME; -ENOENT if there is none. */
int netns_del(const char *name, struct error *err);

/*
 * Removes /run/netns/NAME if it is the placeholder a killed netns_add_open
 * left: an empty regular file of root's, no mount point, whose modification
 * time is mark (recorded in the journal before the creation). Anything else
 * stays. 0 also when there is nothing to remove; mark 0 removes nothing.
 */
int netns_remove_stale(const char *name, uint64_t mark, struct error *err);

struct netns_entry {
	char name[NETNS_NAME_MAX + 1];
	bool valid; /* false: not a namespace mount, or a name nsnet does not take */
	bool is_ns; /* a namespace mount, whatever its name (netns_list only) */
};

/* The entries of /run/netns, sorted by name; *ret is NULL when there are none. */
int netns_list(struct netns_entry **ret, size_t *ret_n, struct error *err);
/*
 * The same without looking at each entry: valid only says the name is one
 * nsnet accepts. For callers that open every entry anyway (netns_open refuses
 * what is not a namespace, with -EEXIST).
 */
int netns_list_names(struct netns_entry **ret, size_t *ret_n, struct error *err);

/*
 * Moves the process into namespace NAME the way `ip netns exec` prepares its
 * command: the network namespace, a mount namespace of its own (a slave of
 * ours), /sys remounted for the namespace, and every file of /etc/netns/NAME
 * bound over its /etc counterpart. warn is called for each /etc file that
 * could not be bound. Meant to be followed by exec; there is no way back.
 */
int netns_switch(const char *name, void (*warn)(const char *msg), struct error *err);

#endif
