/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The bottom of the kernel layer: moving the calling thread into a network
 * namespace and back, and making a socket there. A socket keeps the
 * namespace it was created in, so everything nsnet does in a namespace
 * (netlink, probes) starts with one of these and then runs from where the
 * thread already was. Depends on nothing else in src/sys.
 */
#ifndef NSNET_NSENTER_H
#define NSNET_NSENTER_H

#include "core/error.h"

/*
 * Moves the calling thread into the namespace behind fd, saving where it was
 * in *ret_saved; nsenter_leave goes back. home_fd: the thread's namespace
 * when the caller holds it open already, else -1.
 */
int nsenter_enter(int fd, int home_fd, int *ret_saved, struct error *err);
/* Back to saved; aborts if it cannot (every later call would act in the wrong place). */
void nsenter_leave(int saved, int home_fd);

/*
 * A socket (SOCK_CLOEXEC added) created inside the namespace behind netns_fd
 * (-1: right here); label names that namespace in errors.
 */
int nsenter_socket(int netns_fd, int home_fd, const char *label, int family, int type,
		   int protocol, struct error *err);

#endif
