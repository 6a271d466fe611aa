/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a CNI network keeps on disk, beside the kernel's marks:
 *   - STATE_DIR/NETWORK.cni/CONTAINERID@IFNAME, one record per attachment
 *     (core/cni.h), written before ADD's first kernel change and removed
 *     by DEL after its last; the directory goes with the last record;
 *   - DATADIR/NETWORK/ADDRESS, one lease per address nsnet's IPAM handed
 *     out ("CONTAINERID\nIFNAME\n"), created exclusively, and last.4 /
 *     last.6, where the next walk over the pool starts.
 * Both are read as untrusted input, the way state.c reads the state
 * directory: no link followed, nothing that blocks, regular files of
 * nsnet's user, bounded; the directories root's and not writable by others.
 * Every write, rename and unlink counts as a mutation for fault injection.
 * The network's lock (lock_take on the network's name) is held around
 * everything that writes.
 */
#ifndef NSNET_CNI_STATE_H
#define NSNET_CNI_STATE_H

#include "core/cni.h"
#include "core/ipam.h"

/* The record of (container_id, ifname); -ENOENT (err left clear) when there is none. */
int cni_record_read(const char *state_dir, const char *network, const char *container_id,
		    const char *ifname, struct cni_attachment *ret, struct error *err);
/* Writes a's record (aside, then renamed into place). */
int cni_record_write(const char *state_dir, const struct cni_attachment *a, struct error *err);
/* Removes the record of (container_id, ifname), and the directory when it was the last. */
int cni_record_remove(const char *state_dir, const char *network, const char *container_id,
		      const char *ifname, struct error *err);
/* Whether a record other than (container_id, ifname) exists (NULL: any record at all). */
bool cni_records_other(const char *state_dir, const char *network, const char *container_id,
		       const char *ifname);
/*
 * Every record of network that can be read, into *ret (n of them; the
 * unreadable ones counted in *ret_bad, their names passed to bad if not NULL).
 */
int cni_records_load(const char *state_dir, const char *network, struct cni_attachment **ret,
		     size_t *ret_n, size_t *ret_bad, void (*bad)(const char *name, void *data),
		     void *data, struct error *err);
void cni_attachments_free(struct cni_attachment *v, size_t n);
/* The records directory's path, for messages and as status's "file". */
void cni_records_path(const char *state_dir, const char *network, char *buf, size_t len);

/*
 * Takes an address of pool p for owner (container_id, ifname): want if its
 * family is set (-EADDRINUSE when someone holds it), else the next free
 * one after the last handed out (-ENOSPC when none is).
 */
int ipam_lease_take(const char *data_dir, const char *network, const struct ipam_pool *p,
		    const struct inet_addr *want, const char *container_id, const char *ifname,
		    struct inet_addr *ret, struct error *err);
/* Releases a's lease if (container_id, ifname) holds it; gone already counts as done. */
int ipam_lease_release(const char *data_dir, const char *network, const struct inet_addr *a,
		       const char *container_id, const char *ifname, struct error *err);
/* Releases a's lease whoever holds it (GC, under the network's lock). */
int ipam_lease_drop(const char *data_dir, const char *network, const struct inet_addr *a,
		    struct error *err);
/* Whether (container_id, ifname) holds a's lease. */
bool ipam_lease_held(const char *data_dir, const char *network, const struct inet_addr *a,
		     const char *container_id, const char *ifname);
/* Calls fn for every lease of network: its address and holder. */
int ipam_leases_each(const char *data_dir, const char *network,
		     void (*fn)(const struct inet_addr *a, const char *container_id,
				const char *ifname, void *data),
		     void *data, struct error *err);
/* Removes the network's lease directory if no lease is left in it. */
void ipam_leases_tidy(const char *data_dir, const char *network);

#endif
