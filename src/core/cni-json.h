/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internal to cni-*.c: reading the values CNI's JSON carries (strings,
 * booleans, addresses, routes, port mappings) with one message shape for
 * every refusal, "PATH: REASON", PATH the key path ("runtimeConfig.
 * portMappings[2].hostPort"), the code the caller gives. The request, the
 * records and a delegated plugin's answer share them.
 */
#ifndef NSNET_CNI_JSON_H
#define NSNET_CNI_JSON_H

#include "cni.h"
#include "json-text.h"

/* A key path: "ipam.routes[3].dst". */
#define CNI_KEY_MAX 128

/* path + "." + key, or path + "[i]", into buf. */
void cnij_key(char *buf, size_t len, const char *path, const char *key);
void cnij_index(char *buf, size_t len, const char *path, size_t i);

/*
 * o[key] as a string into buf (len with the NUL). Absent or null: -ENOENT
 * unless required (then an error). A string too long, holding a NUL or a
 * control byte is refused.
 */
int cnij_string(const json_t *o, const char *path, const char *key, char *buf, size_t len,
		bool required, int code, struct cni_error *ce);
/* o[key] as a boolean; absent or null leaves *ret as it is. */
int cnij_bool(const json_t *o, const char *path, const char *key, bool *ret, int code,
	      struct cni_error *ce);
/* o[key] as an integer in [lo, hi]; absent or null: -ENOENT, *ret untouched. */
int cnij_uint(const json_t *o, const char *path, const char *key, unsigned lo, unsigned hi,
	      unsigned *ret, int code, struct cni_error *ce);
/* A string value that is an address or, with_len, "ADDR/LEN" (ret->len 0 when no "/"). */
int cnij_prefix(const json_t *v, const char *path, bool with_len, struct inet_prefix *ret,
		int code, struct cni_error *ce);
int cnij_addr(const json_t *v, const char *path, struct inet_addr *ret, int code,
	      struct cni_error *ce);
int cnij_mac(const json_t *v, const char *path, uint8_t mac[MAC_LEN], int code,
	     struct cni_error *ce);
/* [{"address": "A/L", "gateway": "G"}...], appended to ips[*n..CNI_IPS_MAX). */
int cnij_ips(const json_t *v, const char *path, struct cni_ip *ips, size_t *n, int code,
	     struct cni_error *ce);
/* [{"dst": "D/L", "gw": "G"}...]. */
int cnij_routes(const json_t *v, const char *path, struct cni_route *routes, size_t *n,
		int code, struct cni_error *ce);
/* [{"hostPort", "containerPort", "protocol", "hostIP"}...] into a new array. */
int cnij_mappings(const json_t *v, const char *path, struct cni_mapping **ret, size_t *n,
		  int code, struct cni_error *ce);

/* The JSON forms of the same values, for results and records. */
json_t *cnij_ip_json(const struct cni_ip *ip, bool with_version);
json_t *cnij_route_json(const struct cni_route *r);
json_t *cnij_mapping_json(const struct cni_mapping *m);
json_t *cnij_mac_json(const uint8_t mac[MAC_LEN]);

#endif
