/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Validation of the names a user gives us: namespace names become file names
 * under /run/netns (so path syntax must never survive), interface names go to
 * the kernel, which silently refuses or truncates what it does not like.
 */
#ifndef NSNET_NAME_H
#define NSNET_NAME_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

#define NETNS_NAME_MAX 64
#define IFNAME_MAX 15 /* IFNAMSIZ - 1 */

/*
 * A namespace name: 1 to 64 bytes of [A-Za-z0-9_.-], not starting with '.' or
 * '-' (so never '.', '..', a hidden file or an option). On failure, fills err
 * (kind ERROR_INPUT) naming the problem and returns -EINVAL.
 */
int name_netns_check(const char *name, struct error *err);

/*
 * An interface name as the kernel accepts it (dev_valid_name): 1 to 15 bytes,
 * not '.' or '..', no '/', ':' or white space. We are stricter and also refuse
 * control characters and non-ASCII bytes, which no tool prints safely.
 */
int name_ifname_check(const char *name, struct error *err);

/* Writes a printable, quoted-safe rendering of an arbitrary user string. */
void name_escape(const char *in, char *out, size_t outlen);

#endif
