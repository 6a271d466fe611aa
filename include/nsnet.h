/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libnsnet: virtual networks of Linux network namespaces, from a topology
 * file (nsnet-topology(5)), through netlink and nftables directly.
 *
 * The shape: one context (struct nsnet_ctx) per user of the library, holding
 * the settings (state directory, fault injection) and callbacks; topologies
 * loaded from a file or a buffer; operations (up, down, status, check,
 * doctor) that return their results as data, each with its JSON as nsnet(8)
 * documents it. The library never prints, never exits, and reads no
 * environment variable: everything it uses is a setting of the context.
 * Most operations need CAP_NET_ADMIN and CAP_SYS_ADMIN (in practice, root).
 *
 * Errors: fallible functions return an int, >= 0 on success and a negative
 * errno value on failure, and fill the caller's struct nsnet_error (may be
 * NULL) with a message that says what failed, where and why. Its kind tells
 * bad input (nothing was touched) from an operation that failed. Output
 * parameters are left untouched on failure unless a function says otherwise.
 *
 * Objects the library returns are owned by the caller and freed with their
 * *_free function (each accepts NULL); strings returned as char * are freed
 * with free(3). Borrowed pointers (const char *, const struct ...) stay valid
 * until the object they came from is freed. A context is not thread-safe;
 * use one per thread.
 *
 * See nsnet(3) for an example.
 */
#ifndef NSNET_H
#define NSNET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- errors ------------------------------------------------------------ */

enum nsnet_error_kind {
	NSNET_ERROR_OPERATION = 0, /* the operation failed (exit status 1 in nsnet(8)) */
	NSNET_ERROR_INPUT = 1,	   /* bad input or usage, nothing touched (exit status 2) */
};

#define NSNET_ERROR_MSG_MAX 1024

struct nsnet_error {
	int code; /* negative errno; 0 when no error */
	enum nsnet_error_kind kind;
	char msg[NSNET_ERROR_MSG_MAX];
};

/* ---- context ------------------------------------------------------------ */

struct nsnet_ctx;

/* A new context with the defaults: state under /run/nsnet, no fault injection. */
int nsnet_ctx_new(struct nsnet_ctx **ret, struct nsnet_error *err);
/* Frees c (writes the fault-injection count file, if one was set). */
void nsnet_ctx_free(struct nsnet_ctx *c);

/* Where nsnet keeps each topology's lock, recorded file and journal (default /run/nsnet). */
int nsnet_ctx_set_state_dir(struct nsnet_ctx *c, const char *dir, struct nsnet_error *err);

/*
 * Fault injection, for reliability tests: the at-th mutating step (1-based;
 * 0 turns it off) fails with errno fail_errno (0: EIO), or, with kill, the
 * process is killed right after it. count_file (NULL: none) receives the
 * number of mutating steps when the context is freed.
 */
struct nsnet_fault {
	unsigned long at;
	bool kill;
	int fail_errno;
	const char *count_file;
};
int nsnet_ctx_set_fault(struct nsnet_ctx *c, const struct nsnet_fault *f,
			struct nsnet_error *err);
/*
 * The same from NSNET_FAULT_AT, NSNET_FAULT_MODE ("kill"), NSNET_FAULT_ERRNO
 * and NSNET_FAULT_COUNT (nsnet(8)) as found in envp (NAME=VALUE strings,
 * NULL-terminated, e.g. environ); nothing is set when neither AT nor COUNT is.
 */
int nsnet_ctx_set_fault_env(struct nsnet_ctx *c, char *const *envp, struct nsnet_error *err);

/* One change of a plan: its kind ("veth-add", ...) and a line for a person. */
struct nsnet_action {
	const char *type;
	const char *description; /* "+ veth 'veth-red-br' <-> 'veth-red' in 'red'" */
	/*
	 * More lines of what it changes, or NULL: a firewall change lists the
	 * forwards it adds and removes ("+ forward tcp 8080 -> 192.168.15.2:80").
	 * Set in plans (dry runs, drift), not in progress callbacks.
	 */
	const char *detail;
};

/*
 * Called with warnings an operation has for a person (another tool's drop
 * policy, a port already listened on...).
 */
typedef void (*nsnet_warn_fn)(const char *msg, void *data);
/* Called before the first change of up or down with their number, then before each. */
typedef void (*nsnet_planned_fn)(size_t n, void *data);
typedef void (*nsnet_progress_fn)(const struct nsnet_action *a, void *data);

void nsnet_ctx_set_callbacks(struct nsnet_ctx *c, nsnet_warn_fn warn, nsnet_planned_fn planned,
			     nsnet_progress_fn progress, void *data);

/* ---- topologies ---------------------------------------------------------- */

struct nsnet_topology;

/*
 * Parses and validates a topology file (errors: "FILE:LINE:COL: key: reason",
 * kind NSNET_ERROR_INPUT). The file is never followed into a FIFO or device.
 */
int nsnet_topology_load_file(const char *path, struct nsnet_topology **ret,
			     struct nsnet_error *err);
/* The same from len bytes of buf; label names it in messages ("FILE"). */
int nsnet_topology_load_buffer(const char *label, const char *buf, size_t len,
			       struct nsnet_topology **ret, struct nsnet_error *err);
/*
 * The topology name was last brought up from, read back from its recorded
 * file; -ENOENT when nothing is recorded for name.
 */
int nsnet_topology_load_recorded(struct nsnet_ctx *c, const char *name,
				 struct nsnet_topology **ret, struct nsnet_error *err);
void nsnet_topology_free(struct nsnet_topology *t);

const char *nsnet_topology_name(const struct nsnet_topology *t);
/* The file it was loaded from (absolute when it could be resolved), or NULL. */
const char *nsnet_topology_file(const struct nsnet_topology *t);
/* Its namespaces and bridges, in the file's order. */
size_t nsnet_topology_namespace_count(const struct nsnet_topology *t);
const char *nsnet_topology_namespace(const struct nsnet_topology *t, size_t i);
size_t nsnet_topology_bridge_count(const struct nsnet_topology *t);
const char *nsnet_topology_bridge(const struct nsnet_topology *t, size_t i);
/* The topology as Graphviz DOT (what `up` would build; reads no kernel state). */
int nsnet_topology_dot(const struct nsnet_topology *t, char **ret, struct nsnet_error *err);

/* The names of every topology nsnet finds (marks on links, namespaces, nft tables). */
int nsnet_topologies(struct nsnet_ctx *c, char ***ret, size_t *ret_n, struct nsnet_error *err);
void nsnet_names_free(char **v, size_t n);

/* ---- up, down, status ---------------------------------------------------- */

struct nsnet_result;

enum {
	NSNET_DRY_RUN = 1 << 0, /* plan only: change nothing, not even a lock file */
};

/*
 * What an up or a down did: the plan (every change, in order) and, after a
 * failure, how far it got and what was rolled back.
 */
struct nsnet_report {
	size_t changes;	    /* in the plan */
	size_t done;	    /* changes made (before a rollback) */
	bool rolled_back;   /* up failed after changes, and they were undone */
	size_t undone;	    /* undo steps that succeeded */
	size_t undo_failed; /* undo steps that failed; 0: the network is as before */
	const char *undo_error; /* the first of them, or NULL */
};

/*
 * Creates or converges the network t describes, records its file for
 * status, and on failure rolls back what it changed. *ret receives the
 * result on success, and also on failure once something was planned (then
 * its report says what happened); otherwise it is set to NULL.
 */
int nsnet_up(struct nsnet_ctx *c, const struct nsnet_topology *t, unsigned flags,
	     struct nsnet_result **ret, struct nsnet_error *err);
/*
 * Removes everything topology name owns, whatever its file says now; keeps
 * going past failures and reports the first. Idempotent: a topology of
 * which nothing is left succeeds (nsnet_result_existed tells).
 */
int nsnet_down(struct nsnet_ctx *c, const char *name, unsigned flags, struct nsnet_result **ret,
	       struct nsnet_error *err);
void nsnet_result_free(struct nsnet_result *r);

size_t nsnet_result_count(const struct nsnet_result *r);
const struct nsnet_action *nsnet_result_action(const struct nsnet_result *r, size_t i);
const struct nsnet_report *nsnet_result_report(const struct nsnet_result *r);
/* down: whether anything of the topology was found (objects or a record). */
bool nsnet_result_existed(const struct nsnet_result *r);
/* {"topology", "dry_run", "changes", "actions": [{"action", "description"}]} */
int nsnet_result_json(const struct nsnet_result *r, char **ret, struct nsnet_error *err);

struct nsnet_status;

/*
 * What topology name owns in the kernel and how it differs from t (NULL:
 * from its recorded file, if one can be read). Changes nothing. An unknown
 * name (nothing owned, nothing recorded) fails with -ENOENT, kind input.
 */
int nsnet_status(struct nsnet_ctx *c, const char *name, const struct nsnet_topology *t,
		 struct nsnet_status **ret, struct nsnet_error *err);
void nsnet_status_free(struct nsnet_status *s);
/* The status of every topology nsnet finds (nsnet_topologies), each against its recorded file. */
int nsnet_status_all(struct nsnet_ctx *c, struct nsnet_status ***ret, size_t *ret_n,
		     struct nsnet_error *err);
/* Frees what nsnet_status_all returned. */
void nsnet_status_list_free(struct nsnet_status **v, size_t n);
const char *nsnet_status_name(const struct nsnet_status *s);
const char *nsnet_status_file(const struct nsnet_status *s); /* NULL: unknown */
/* Whether a file could be read, so that drift means something. */
bool nsnet_status_known(const struct nsnet_status *s);
/* Why the recorded file could not be used, or NULL. */
const char *nsnet_status_note(const struct nsnet_status *s);
/* The changes `up` would make: the drift (0 and known: in sync). */
size_t nsnet_status_drift_count(const struct nsnet_status *s);
const struct nsnet_action *nsnet_status_drift(const struct nsnet_status *s, size_t i);
/* What it owns: namespaces, links (namespace NULL: on the host), its nft table (or NULL). */
struct nsnet_owned_link {
	const char *name;
	const char *ns;
	const char *kind;
	bool up;
};
size_t nsnet_status_namespace_count(const struct nsnet_status *s);
const char *nsnet_status_namespace(const struct nsnet_status *s, size_t i);
size_t nsnet_status_link_count(const struct nsnet_status *s);
const struct nsnet_owned_link *nsnet_status_link(const struct nsnet_status *s, size_t i);
const char *nsnet_status_nft_table(const struct nsnet_status *s);
/* The schema of `nsnet status --json` (nsnet(8)). */
int nsnet_status_json(const struct nsnet_status *s, char **ret, struct nsnet_error *err);

/* ---- check ---------------------------------------------------------------- */

struct nsnet_check;

enum {
	NSNET_CHECK_ALONE = 1 << 0, /* no isolation probes against the other topologies */
};

#define NSNET_CHECK_TIMEOUT_DEFAULT 1500 /* ms */

/* One probe and, once the check ran, its result. */
struct nsnet_probe {
	const char *kind;     /* "gateway", "peer", "routed", "isolation", "forward", "file" */
	const char *from;     /* a namespace, or NULL for the host */
	const char *target;   /* "blue", "v-net-0", "other/green", "192.168.1.3" */
	const char *address;  /* probed address */
	unsigned port;	      /* 0: ICMP echo */
	const char *protocol; /* "icmp", "tcp", "udp" */
	bool expect_blocked;
	const char *result; /* "reached", "no-reply", "unreachable", "refused", "skipped",
			       "failed", or "pending" before the run */
	bool ok;	    /* met its expectation */
	double ms;	    /* until the answer */
	const char *note;   /* "" or why */
	const char *listen_ns; /* forward: where the traffic should land */
	const char *listen_address;
	unsigned listen_port;
	bool self_listened; /* nsnet listened at the target itself */
	const char *line;   /* "blue -> red 192.168.15.1 icmp" */
};

/*
 * The probes t calls for (t NULL: none), not sent yet: every namespace to its
 * gateways and peers, routes through the host, isolation from the other
 * topologies that are up, forwards, the file's checks.
 */
int nsnet_check_new(struct nsnet_ctx *c, const struct nsnet_topology *t, unsigned flags,
		    struct nsnet_check **ret, struct nsnet_error *err);
/* One more probe: from (NULL: the host) to address, TCP port (0: ICMP echo). */
int nsnet_check_add(struct nsnet_check *k, const char *from, const char *target,
		    const char *address, unsigned port, struct nsnet_error *err);
/* Sends every probe and waits at most timeout_ms (0: the default) for the answers. */
int nsnet_check_run(struct nsnet_ctx *c, struct nsnet_check *k, unsigned timeout_ms,
		    struct nsnet_error *err);
/* nsnet_check_new and nsnet_check_run at once. */
int nsnet_check(struct nsnet_ctx *c, const struct nsnet_topology *t, unsigned flags,
		unsigned timeout_ms, struct nsnet_check **ret, struct nsnet_error *err);
void nsnet_check_free(struct nsnet_check *k);

size_t nsnet_check_count(const struct nsnet_check *k);
const struct nsnet_probe *nsnet_check_probe(const struct nsnet_check *k, size_t i);
size_t nsnet_check_failed(const struct nsnet_check *k);
double nsnet_check_seconds(const struct nsnet_check *k); /* the whole check, wall time */
bool nsnet_check_sampled(const struct nsnet_check *k);	 /* large segments probed as rings */
size_t nsnet_check_waves(const struct nsnet_check *k);
/* The schema of `nsnet check --json` (nsnet(8)). */
int nsnet_check_json(const struct nsnet_check *k, char **ret, struct nsnet_error *err);

/*
 * One TCP connection from namespace from (NULL: here) to address:port while
 * nsnet listens at listen_address:listen_port in listen_ns: the client
 * address that listener saw, into seen ("" when nothing arrived). Shows what
 * NAT does to a connection, as a server sees it.
 */
int nsnet_tcp_seen(struct nsnet_ctx *c, const char *from, const char *address, unsigned port,
		   const char *listen_ns, const char *listen_address, unsigned listen_port,
		   unsigned timeout_ms, char *seen, size_t len, struct nsnet_error *err);

/* ---- doctor ---------------------------------------------------------------- */

struct nsnet_doctor;

struct nsnet_finding {
	const char *id;	      /* stable: "ip-forward-off", "forward-drop", ... (nsnet(8)) */
	const char *level;    /* "problem" or "warning" */
	const char *topology; /* NULL: about the host as a whole */
	const char *subject;
	const char *what;
	const char *why;
	const char *fix; /* a command line, quoted for a POSIX shell */
};

/* A topology doctor examined. */
struct nsnet_examined {
	const char *name;
	const char *file; /* NULL: unknown */
	const char *note; /* NULL, or why its file could not be used */
	bool up;	  /* the kernel holds something of it */
};

/*
 * Why traffic does not flow: of t (a file's topology, as written, up or not)
 * if not NULL, else of topology name, else of the host and every topology
 * found. Changes nothing.
 */
int nsnet_doctor(struct nsnet_ctx *c, const struct nsnet_topology *t, const char *name,
		 struct nsnet_doctor **ret, struct nsnet_error *err);
void nsnet_doctor_free(struct nsnet_doctor *d);
size_t nsnet_doctor_count(const struct nsnet_doctor *d);
const struct nsnet_finding *nsnet_doctor_finding(const struct nsnet_doctor *d, size_t i);
size_t nsnet_doctor_examined_count(const struct nsnet_doctor *d);
const struct nsnet_examined *nsnet_doctor_examined(const struct nsnet_doctor *d, size_t i);
/* The schema of `nsnet doctor --json` (nsnet(8)). */
int nsnet_doctor_json(const struct nsnet_doctor *d, char **ret, struct nsnet_error *err);

/* ---- namespaces -------------------------------------------------------------- */

enum {
	NSNET_NS_NO_LOOPBACK = 1 << 0, /* add: leave lo down, as `ip netns add` does */
	NSNET_NS_FORCE = 1 << 1,       /* del: a missing one is no error, a topology's is deleted */
};

/* Whether name is a valid namespace name (nsnet-topology(5)); kind input when not. */
int nsnet_ns_name_check(const char *name, struct nsnet_error *err);
/* Named namespaces, shared with iproute2 (/run/netns). */
int nsnet_ns_add(struct nsnet_ctx *c, const char *name, unsigned flags, struct nsnet_error *err);
/*
 * Deletes namespace name. One that a topology owns is refused (naming the
 * topology and `nsnet down`) unless NSNET_NS_FORCE.
 */
int nsnet_ns_del(struct nsnet_ctx *c, const char *name, unsigned flags, struct nsnet_error *err);

struct nsnet_ns_entry {
	char name[65];
	int nsid;   /* the host's id for it; -1: none */
	bool valid; /* false: an entry of /run/netns that is no namespace (left alone); true
		     * also for iproute2's namespaces named outside nsnet's alphabet */
};
int nsnet_ns_list(struct nsnet_ctx *c, struct nsnet_ns_entry **ret, size_t *ret_n,
		  struct nsnet_error *err);
/* The namespace entries of nsnet_ns_list as JSON (nsnet(8), `ns list --json`): the valid
 * ones, each {"name", "nsid"}; a name that is not UTF-8 shows its odd bytes as "\xNN". */
int nsnet_ns_list_json(const struct nsnet_ns_entry *v, size_t n, char **ret,
		       struct nsnet_error *err);

/*
 * Moves the calling process into namespace name as `ip netns exec` prepares
 * its command (network namespace, a mount namespace of its own with /sys
 * remounted and /etc/netns/NAME bound over /etc); warn receives each file
 * that could not be bound. Meant to be followed by exec: there is no way back.
 */
int nsnet_ns_enter(struct nsnet_ctx *c, const char *name, void (*warn)(const char *msg),
		   struct nsnet_error *err);

/*
 * Links, addresses, routes and neighbours of namespace name (NULL: the
 * host), each veth's peer named wherever it is: the schema of
 * `nsnet show --json` (nsnet(8)).
 */
int nsnet_show_json(struct nsnet_ctx *c, const char *name, char **ret, struct nsnet_error *err);

/* ---- sandbox, for demos and tests ---------------------------------------- */

/*
 * Moves the calling process into a private world: new network and mount
 * namespaces, every mount private, a tmpfs on /run, an overlay on /etc, lo
 * up. Everything built afterwards vanishes with the process. Call it first,
 * from a single-threaded process.
 */
int nsnet_sandbox_enter(struct nsnet_error *err);

/*
 * An "outside LAN" for a sandbox: namespace ns, a veth "eth0" on the host with
 * host_cidr whose peer "eth0" in ns has lan_cidr, and the host's default
 * route via the LAN's address.
 */
int nsnet_sandbox_lan_add(struct nsnet_ctx *c, const char *ns, const char *host_cidr,
			  const char *lan_cidr, struct nsnet_error *err);
/*
 * One more address on each end of that LAN (IPv6 beside IPv4, say):
 * host_cidr on the host's eth0, lan_cidr on ns's eth0; IPv6 ones without
 * duplicate address detection, usable at once.
 */
int nsnet_sandbox_lan_add_address(struct nsnet_ctx *c, const char *ns, const char *host_cidr,
				  const char *lan_cidr, struct nsnet_error *err);
void nsnet_sandbox_lan_del(struct nsnet_ctx *c, const char *ns);

/* ---- CNI ------------------------------------------------------------------ */

/*
 * Runs a delegated IPAM plugin for nsnet_cni: the plugin type (a file name
 * to find in CNI_PATH), with CNI_COMMAND=command and otherwise the
 * environment of the call, conf (len bytes, the call's stdin as it came) on
 * its stdin. Returns the plugin's exit status, its stdout in *out
 * (malloc'ed, *out_len bytes), or a negative errno (err filled) when it
 * could not be run.
 */
typedef int (*nsnet_cni_run_fn)(const char *type, const char *command, const char *conf,
				size_t len, char **out, size_t *out_len, struct nsnet_error *err,
				void *data);

/*
 * One call of nsnet's CNI plugin (nsnet-cni(8); CNI spec 1.1.0): the command
 * and its parameters from envp (the CNI_* variables, NAME=VALUE strings,
 * NULL-terminated; no other variable is read), the network configuration
 * from conf (len bytes of the plugin's stdin). ADD attaches the container's
 * namespace (CNI_NETNS, a path) to the network, an nsnet topology named
 * after the network; DEL, CHECK, GC and STATUS as the spec says. *ret_out
 * receives what the plugin prints on stdout (a result or the VERSION
 * answer in the version asked, or the spec's error object; NULL when
 * nothing), and the return value is the plugin's exit status: 0, or 1
 * after an error. run (NULL: ipam other than "nsnet" is refused) runs a
 * delegated IPAM plugin, with data.
 */
int nsnet_cni(struct nsnet_ctx *c, char *const *envp, const char *conf, size_t len,
	      nsnet_cni_run_fn run, void *data, char **ret_out);

/* ---- misc -------------------------------------------------------------- */

/* "0.2.0" */
const char *nsnet_version(void);
/* Whether the process has what nsnet needs (CAP_NET_ADMIN and CAP_SYS_ADMIN). */
bool nsnet_privileged(void);

#ifdef __cplusplus
}
#endif

#endif
