/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Internal to engine-cni*.c: one CNI operation's run, and what ADD, DEL, CHECK and GC share. */
#ifndef NSNET_ENGINE_CNI_INTERNAL_H
#define NSNET_ENGINE_CNI_INTERNAL_H

#include "core/netstate.h"
#include "engine-cni.h"
#include "fault.h"
#include "nsctx.h"

struct cnirun {
	struct engine *e;
	const struct engine_cni_call *call;
	const struct cni_request *rq;
	struct nsctx *c;
	struct nl_sock *host;
	char net[TOPOLOGY_NAME_MAX + 1];
	char alias[OWNER_ALIAS_MAX];
	int lock; /* the network's, -1 when not taken */
	struct fault *old_fault;
};

/* The run's handles, the engine's fault settings made current, and (lock) the network's lock. */
int cnirun_start(struct cnirun *x, struct engine *e, const struct engine_cni_call *call,
		 bool lock, struct cni_error *ce);
/* Releases it all; the lock file goes when the network has no record left. */
void cnirun_end(struct cnirun *x);

/* Whether link l is the network's: its mark, or (claimed: a record names it) unmarked in our group. */
bool cnirun_link_ours(const struct cnirun *x, const struct ns_link *l, bool claimed);

/* Runs the delegated IPAM plugin with command; its error object becomes ce. */
int cnirun_delegate(struct cnirun *x, const char *command, char **out, size_t *out_len,
		    struct cni_error *ce);

/* Opens the container's namespace at path as nsctx entry label (never the plugin's own). */
int cnirun_netns(struct cnirun *x, const char *path, const char *label, struct error *err);

/* Gives a's addresses back: nsnet's leases, or the delegated plugin's DEL. */
int cnirun_addresses_release(struct cnirun *x, const struct cni_attachment *a, bool delegated,
			     struct cni_error *ce);

/* Whether the nft element of a's mapping m is there, pointing at a's address. */
bool cnirun_element_ours(const struct cni_attachment *a, const struct cni_mapping *m);

/*
 * Removes attachment a (recorded: its record was read; else guessed, and
 * only what carries proof of being its own goes); ipam_del: run the
 * delegated plugin's DEL (GC forwards GC instead). Keeps its record when
 * something could not be removed.
 */
int cnirun_del_one(struct cnirun *x, struct cni_attachment *a, bool recorded, bool ipam_del,
		   struct cni_error *ce);

#endif
