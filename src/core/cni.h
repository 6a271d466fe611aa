/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * CNI, the Container Network Interface (spec 1.1.0), as pure data: one call
 * of the plugin (its CNI_* environment and the network configuration on
 * stdin) parsed into a request; an attachment of a container to a network
 * (what ADD made, kept as a record under the state directory); and what goes
 * back to the runtime (results, errors, the VERSION answer), always in the
 * version the request asked for, never newer (podman 4.3's libcni refuses a
 * result newer than it knows).
 *
 * Everything here is untrusted input validated at the edge: names, paths,
 * addresses, ports, counts and sizes are capped, and every refusal carries
 * the CNI error code the spec gives for it (codes 0-99 are the spec's, 100
 * and above nsnet's own, listed in nsnet-cni(8)). A CNI network is an nsnet
 * topology named after the network: one bridge, one nft table, and one
 * namespace per attachment, which is the container's, given by path.
 */
#ifndef NSNET_CNI_H
#define NSNET_CNI_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "inet.h"
#include "name.h"
#include "topology.h"

#define CNI_CONF_MAX (1024 * 1024) /* stdin, and a delegated plugin's stdout */
#define CNI_ID_MAX 128		   /* container ID (runtimes use 64 hex digits) */
#define CNI_NETNS_MAX 1024
#define CNI_PATH_MAX 4096 /* CNI_PATH */
#define CNI_TYPE_MAX 64	  /* a plugin type: a file name in CNI_PATH */
#define CNI_DIR_MAX 1024  /* ipam dataDir */
#define CNI_IPS_MAX 8
#define CNI_ROUTES_MAX 32
#define CNI_MAPPINGS_MAX 1024
#define CNI_VALID_MAX 65536 /* GC's list of valid attachments */
#define CNI_DATA_DIR_DEFAULT "/run/nsnet-cni"
#define CNI_BRIDGE_DEFAULT "nsbr0"

enum cni_command {
	CNI_CMD_ADD,
	CNI_CMD_DEL,
	CNI_CMD_CHECK,
	CNI_CMD_STATUS,
	CNI_CMD_GC,
	CNI_CMD_VERSION,
};

/* The versions nsnet speaks, oldest first; results follow the one asked for. */
enum cni_version {
	CNI_V030,
	CNI_V031,
	CNI_V040,
	CNI_V100,
	CNI_V110,
	CNI_V_COUNT,
};

/* The spec's error codes, and nsnet's own from 100 on (nsnet-cni(8)). */
enum {
	CNI_ERR_VERSION = 1,	      /* incompatible CNI version */
	CNI_ERR_UNSUPPORTED = 2,      /* unsupported field in the configuration */
	CNI_ERR_UNKNOWN = 3,	      /* container unknown or does not exist */
	CNI_ERR_ENV = 4,	      /* invalid necessary environment variables */
	CNI_ERR_IO = 5,		      /* I/O failure (stdin) */
	CNI_ERR_DECODE = 6,	      /* failed to decode content */
	CNI_ERR_CONFIG = 7,	      /* invalid network configuration */
	CNI_ERR_AGAIN = 11,	      /* try again later */
	CNI_ERR_UNAVAILABLE = 50,     /* STATUS: ADD cannot be served */
	CNI_ERR_DEGRADED = 51,	      /* STATUS: and existing containers may suffer */
	CNI_ERR_EXISTS = 100,	      /* the attachment, or the interface, exists already */
	CNI_ERR_KERNEL = 101,	      /* a kernel operation failed (rolled back) */
	CNI_ERR_ADDRESS = 102,	      /* no free address, or the one asked for is taken */
	CNI_ERR_PORT = 103,	      /* a host port is mapped already */
	CNI_ERR_CHECK = 104,	      /* CHECK: the attachment is not as ADD made it */
	CNI_ERR_STATE = 105,	      /* the state directory or the leases cannot be used */
	CNI_ERR_DELEGATE = 106,	      /* the delegated IPAM plugin failed or answered nonsense */
	CNI_ERR_BRIDGE = 107,	      /* the bridge's name is taken by a link that is not ours */
};

#define CNI_MSG_MAX ERROR_MSG_MAX

struct cni_error {
	int code; /* 0: no error */
	char msg[CNI_MSG_MAX];
	char details[CNI_MSG_MAX]; /* "" when none */
};

/* Fills ce (if not NULL) and returns -1, so failure sites read "return cni_fail(...)". */
int cni_fail(struct cni_error *ce, int code, const char *fmt, ...) _printf_(3, 4);
/* The same with the message of err (an engine's error) as the message. */
int cni_fail_error(struct cni_error *ce, int code, const struct error *err);

struct cni_ip {
	struct inet_prefix address;
	struct inet_addr gateway; /* family 0: none */
};

struct cni_route {
	struct inet_prefix dst;
	struct inet_addr gw; /* family 0: none */
};

struct cni_mapping {
	enum topology_proto proto;
	uint16_t host_port;
	uint16_t container_port;
	struct inet_addr host_ip; /* family 0: every address of the host */
};

/* ipam of type "nsnet": nsnet's own allocator (ipam.h); any other type is delegated. */
struct cni_ipam {
	char type[CNI_TYPE_MAX + 1];
	bool own;
	struct inet_prefix subnet;
	struct inet_addr gateway;     /* default: the subnet's first host */
	struct inet_addr range_start; /* default: the first host after the gateway */
	struct inet_addr range_end;   /* default: the subnet's last host */
	struct cni_route routes[CNI_ROUTES_MAX];
	size_t n_routes;
	char data_dir[CNI_DIR_MAX + 1];
};

/* The network configuration, as far as nsnet reads it (nsnet-cni(8)). */
struct cni_conf {
	char name[TOPOLOGY_NAME_MAX + 1];
	char type[CNI_TYPE_MAX + 1];
	char bridge[IFNAME_MAX + 1];
	bool is_gateway; /* default true */
	bool ip_masq;
	bool hairpin;
	unsigned mtu; /* 0: the kernel's default */
	unsigned lock_timeout_ms; /* "lockTimeout" (s): how long a call waits for the network */
	struct cni_ipam ipam;
	bool has_ipam;
};

/* How long a call waits for its network's lock by default, then answers code 11. */
#define CNI_LOCK_TIMEOUT_S 60
#define CNI_LOCK_TIMEOUT_MAX_S 3600

/* One entry of GC's list of attachments still in use. */
struct cni_valid {
	char container_id[CNI_ID_MAX + 1];
	char ifname[IFNAME_MAX + 1];
};

/* The CNI_* variables; a variable that is set but empty counts as absent. */
struct cni_env {
	const char *command, *container_id, *netns, *ifname, *args, *path;
};

/* Picks the CNI_* variables out of an environment (NAME=VALUE strings, NULL-terminated). */
void cni_env_from(char *const *envp, struct cni_env *ret);

struct cni_request {
	enum cni_command cmd;
	enum cni_version version;
	bool version_given; /* VERSION without a cniVersion answers in the newest */
	char version_asked[16]; /* what VERSION echoes: the request's, if it looks like one */
	struct cni_conf conf;
	char container_id[CNI_ID_MAX + 1];
	char netns[CNI_NETNS_MAX + 1]; /* "" when absent (DEL may come without) */
	char ifname[IFNAME_MAX + 1];
	char path[CNI_PATH_MAX + 1]; /* CNI_PATH, "" when absent */
	/* What the runtime asks for: runtimeConfig, args.cni, then CNI_ARGS (in that order). */
	struct inet_prefix ips[CNI_IPS_MAX]; /* len 0: given without a prefix length */
	size_t n_ips;
	bool has_mac;
	uint8_t mac[MAC_LEN];
	struct cni_mapping *maps; /* owned */
	size_t n_maps;
	json_t *prev; /* prevResult, owned; NULL when absent */
	json_t *dns;  /* the configuration's "dns", owned; NULL when absent */
	struct cni_valid *valid; /* GC, owned */
	size_t n_valid;
};

/*
 * Parses a call: env, and len bytes of stdin at buf. What the command needs
 * is checked (the spec's table of required variables; VERSION looks at
 * nothing but cniVersion). On failure ce says why, with its code, and the
 * request holds what could be read (its version, for the error's).
 */
int cni_request_parse(const struct cni_env *env, const char *buf, size_t len,
		      struct cni_request *rq, struct cni_error *ce);
void cni_request_clear(struct cni_request *rq);

const char *cni_version_name(enum cni_version v);
const char *cni_command_name(enum cni_command c);

/*
 * An attachment of a container to a network: what ADD made, recorded before
 * its first kernel change (the record names the host link the kernel may
 * hold unmarked for a moment, as the journal does for topologies) and read
 * back by DEL, CHECK, GC, status and check.
 */
struct cni_attachment {
	char network[TOPOLOGY_NAME_MAX + 1];
	char container_id[CNI_ID_MAX + 1];
	char ifname[IFNAME_MAX + 1];
	char netns[CNI_NETNS_MAX + 1]; /* as ADD was given it */
	char host_ifname[IFNAME_MAX + 1];
	char bridge[IFNAME_MAX + 1];
	unsigned mtu;
	bool is_gateway, ip_masq, hairpin;
	uint8_t mac[MAC_LEN];
	uint8_t host_mac[MAC_LEN];
	char ipam[CNI_TYPE_MAX + 1];	/* "nsnet", or the delegated plugin's type */
	char data_dir[CNI_DIR_MAX + 1]; /* nsnet's leases, when ipam is "nsnet" */
	struct cni_ip ips[CNI_IPS_MAX];
	size_t n_ips;
	struct cni_route routes[CNI_ROUTES_MAX];
	size_t n_routes;
	struct cni_mapping *maps; /* owned */
	size_t n_maps;
};

#define CNI_RECORD_MAX (256 * 1024)

void cni_attachment_clear(struct cni_attachment *a);

/* The record's JSON text (malloc'ed), and back; a record is untrusted input. */
int cni_record_format(const struct cni_attachment *a, char **ret, struct error *err);
int cni_record_parse(const char *label, const char *buf, size_t len, struct cni_attachment *ret,
		     struct error *err);

/* "CONTAINERID@IFNAME": the record's file name (a container ID never holds '@'). */
void cni_record_name(const char *container_id, const char *ifname, char *buf, size_t len);
#define CNI_RECORD_NAME_MAX (CNI_ID_MAX + IFNAME_MAX + 2)

/*
 * The host end of an attachment's veth: "nsc" and 48 bits of a hash of
 * network, container ID and interface, 15 bytes; found again by DEL without
 * any record (the mark on it says whether it is ours).
 */
void cni_host_ifname(const char *network, const char *container_id, const char *ifname,
		     char buf[IFNAME_MAX + 1]);

/*
 * The name an attachment's namespace goes by in messages, plans and probes:
 * its container ID when at most CNI_LABEL_WHOLE bytes; a runtime's long hex
 * ID by its first 12 digits (as podman and docker show it); any other long
 * ID by its first 15 bytes and a hash of it; then its interface after a
 * '/' when not eth0. At most 15 + 9 + 1 + 15 bytes.
 */
#define CNI_LABEL_WHOLE 24
void cni_label(const char *container_id, const char *ifname, char buf[NETNS_NAME_MAX + 1]);

/* ---- what goes back: cni-result.c ---------------------------------------- */

/* The VERSION answer, in the version asked (newest when none). */
char *cni_version_json(const struct cni_request *rq);
/* An error object, in the request's version (rq NULL: the newest). */
char *cni_error_json(const struct cni_request *rq, const struct cni_error *ce);

/*
 * The result of an ADD: a's interfaces (bridge, host end, the container's,
 * with their MACs; the bridge's MAC is bridge_mac) after those of the
 * request's prevResult, its addresses pointing at the container's
 * interface, its routes, and dns (the configuration's, else a delegated
 * IPAM's, ipam_dns, else prevResult's).
 */
int cni_result_json(const struct cni_request *rq, const struct cni_attachment *a,
		    const uint8_t bridge_mac[MAC_LEN], const json_t *ipam_dns, char **ret,
		    struct cni_error *ce);

/*
 * A delegated IPAM plugin's answer (an abbreviated result, spec 1.1.0 §4)
 * into addresses and routes; the version it is in is read from it.
 */
int cni_ipam_result_parse(const char *buf, size_t len, struct cni_ip *ips, size_t *n_ips,
			  struct cni_route *routes, size_t *n_routes, json_t **ret_dns,
			  struct cni_error *ce);

/*
 * What a CHECK compares with ADD's work: the addresses prevResult gives the
 * interface named ifname in sandbox netns, and its MAC (a later plugin such
 * as tuning may have changed it). false when prevResult says nothing of it.
 */
bool cni_prev_iface(const json_t *prev, const char *ifname, const char *netns,
		    uint8_t mac[MAC_LEN], bool *has_mac, struct cni_ip *ips, size_t *n_ips);

#endif
