/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nsnet-cni's one way of running a program: a delegated IPAM plugin (ipam of
 * any type but "nsnet"), as CNI spec 1.1.0 §4 says: the plugin named by the
 * type, found in CNI_PATH, run with the environment the plugin got (only
 * CNI_COMMAND replaced), the configuration on stdin, its stderr ours.
 */
#ifndef NSNET_CNI_DELEGATE_H
#define NSNET_CNI_DELEGATE_H

#include <nsnet.h>

/* An nsnet_cni_run_fn: data unused. */
int cni_delegate_run(const char *type, const char *command, const char *conf, size_t len,
		     char **out, size_t *out_len, struct nsnet_error *err, void *data);

#endif
