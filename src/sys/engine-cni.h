/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The CNI pipelines (engine-cni*.c): one attachment at a time, under the
 * network's lock (lock_take on the network's name, in the state directory
 * topologies use). Each operation touches only its own attachment:
 *
 *   ADD    lock -> no record yet -> open the container's namespace by path
 *          -> look at the bridge, the interface name in the container, the
 *          host end's name (three gets) -> addresses (leases, or the
 *          delegated IPAM) -> record -> plan (core/cni-plan.h) -> apply;
 *          any failure rolls back, removes the record, gives the
 *          addresses back.
 *   DEL    lock -> record (or, without one, what the name and the leases
 *          tell) -> plan -> apply, keeping going -> addresses back ->
 *          record removed; the last attachment takes the bridge and table.
 *   CHECK  record -> what the kernel holds of it -> drift (cni-plan.h).
 *   GC     every record not in the valid list goes as by DEL; every lease
 *          no valid attachment holds is released.
 *   STATUS whether an ADD could be served; changes nothing, takes no lock.
 *
 * A delegated IPAM plugin is run through a callback of the front end, the
 * only place nsnet-cni runs a program.
 */
#ifndef NSNET_ENGINE_CNI_H
#define NSNET_ENGINE_CNI_H

#include "core/cni.h"
#include "engine.h"

struct engine_cni_delegate {
	/*
	 * Runs IPAM plugin type (found in CNI_PATH by the callee) with
	 * CNI_COMMAND=command and otherwise the environment the call came
	 * with, conf (len bytes: the call's stdin, as it came) on its stdin.
	 * Returns its exit status (>= 0), its stdout in *out (malloc'ed);
	 * -errno when it could not be run (err says why).
	 */
	int (*run)(const char *type, const char *command, const char *conf, size_t len,
		   char **out, size_t *out_len, struct error *err, void *data);
	void *data;
};

struct engine_cni_call {
	const struct cni_request *rq;
	const char *conf; /* stdin, for a delegated plugin */
	size_t len;
	const struct engine_cni_delegate *delegate; /* NULL: delegation refused */
};

struct engine_cni_result {
	struct cni_attachment a;     /* ADD: what was made */
	uint8_t bridge_mac[MAC_LEN]; /* ADD */
	json_t *dns;		     /* ADD: a delegated IPAM's dns, owned */
};

void engine_cni_result_clear(struct engine_cni_result *res);

/* Each fills ce (its CNI code and message) on failure and returns -1. */
int engine_cni_add(struct engine *e, const struct engine_cni_call *call,
		   struct engine_cni_result *res, struct cni_error *ce);
int engine_cni_del(struct engine *e, const struct engine_cni_call *call, struct cni_error *ce);
int engine_cni_check(struct engine *e, const struct engine_cni_call *call, struct cni_error *ce);
int engine_cni_gc(struct engine *e, const struct engine_cni_call *call, struct cni_error *ce);
int engine_cni_status(struct engine *e, const struct engine_cni_call *call,
		      struct cni_error *ce);

/* Whether network has attachments recorded (it is a CNI network, not a topology file's). */
bool engine_cni_network(struct engine *e, const char *network);

/*
 * The topology of CNI network name, made from its records (core/cni-plan.h);
 * file receives the records' directory. -ENOENT when it has none.
 */
int engine_cni_topology(struct engine *e, const char *name, struct topology **ret, char *file,
			size_t len, struct error *err);

/*
 * status of CNI network name: what it owns (the host's links, each
 * attachment's container as a namespace of it, its table) in res->world,
 * and what each attachment is missing as res->plan (the drift).
 */
int engine_cni_network_status(struct engine *e, const char *name, struct engine_result *res,
			      struct error *err);

#endif
