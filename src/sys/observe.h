/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading the state of a namespace (named, or the one we run in) including
 * where each veth's other end lives, resolved across named namespaces.
 */
#ifndef NSNET_OBSERVE_H
#define NSNET_OBSERVE_H

#include "core/error.h"
#include "core/netstate.h"

/* name NULL: the namespace nsnet runs in (the host). */
int observe_namespace(const char *name, struct netstate **ret, struct error *err);

#endif
