/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Validation of the names a user gives us, one function per kind of name and
 * one alphabet for all of them: ASCII letters, digits, '_', '.' and '-', not
 * starting with '.' or '-' (so never '.', '..', a hidden file or an option).
 * Namespace names become file names under /run/netns and topology names
 * become file names under /run/nsnet; interface names go to the kernel, which
 * silently refuses or truncates what it does not like, and every one of them
 * reaches nft scripts and printed commands, where '"', ',', '$', ';', '{' or a
 * space would be syntax. The kinds differ only in their length caps and in
 * the names the kernel keeps for itself; name_ifname_check() alone takes any
 * name the kernel does, for links nsnet finds rather than names.
 */
#ifndef NSNET_NAME_H
#define NSNET_NAME_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

#define NETNS_NAME_MAX 64
#define TOPOLOGY_NAME_MAX NETNS_NAME_MAX
#define IFNAME_MAX 15 /* IFNAMSIZ - 1 */

/*
 * A namespace name: 1 to 64 bytes of the alphabet. On failure, fills err
 * (kind ERROR_INPUT) with "namespace name 'NAME': REASON" and returns -EINVAL.
 */
int name_netns_check(const char *name, struct error *err);

/* A topology name: the same rules, called a topology name in the message. */
int name_topology_check(const char *name, struct error *err);

/*
 * The name of a link a topology declares (a bridge, an interface, a host
 * end): 1 to 15 bytes of the alphabet (longer is an error, never truncated),
 * and none of the names the kernel keeps: 'lo' exists in every namespace,
 * 'all' and 'default' are directories of /proc/sys/net/.../conf.
 */
int name_link_check(const char *name, struct error *err);

/*
 * Any interface name the kernel accepts (dev_valid_name), for links that
 * exist whoever named them ('lo', a leftover of an older nsnet): 1 to 15
 * bytes, not '.' or '..', no '/', ':', '%', white space, control characters
 * or non-ASCII bytes. Names from a topology file go through
 * name_link_check().
 */
int name_ifname_check(const char *name, struct error *err);

/* Writes a printable, quoted-safe rendering of an arbitrary user string. */
void name_escape(const char *in, char *out, size_t outlen);

#endif
