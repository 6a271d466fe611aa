// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What nsnet-cni writes on stdout: the VERSION answer, errors, and the result
 * of an ADD, each in the version the request asked for. The formats differ
 * (spec 0.4.0's "ips" carry a "version"; 1.1.0 adds "mtu" to interfaces and
 * more keys to routes): nothing newer than the asked version is ever written,
 * and what a previous plugin put in prevResult is converted the same way.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cni-json.h"

char *cni_version_json(const struct cni_request *rq)
{
	json_t *o, *v = json_array();
	char *s;

	for (int i = 0; v && i < CNI_V_COUNT; i++)
		json_array_append_new(v, json_string(cni_version_name((enum cni_version)i)));
	o = json_pack("{s:s, s:o}", "cniVersion",
		      rq && rq->version_asked[0] ? rq->version_asked : cni_version_name(CNI_V110),
		      "supportedVersions", v);
	s = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	return s;
}

char *cni_error_json(const struct cni_request *rq, const struct cni_error *ce)
{
	enum cni_version v = rq && rq->version_given ? rq->version : CNI_V110;
	/* The message may quote any byte of a hostile input: json_text, or no object at all. */
	json_t *o = json_pack("{s:s, s:i, s:o}", "cniVersion", cni_version_name(v), "code",
			      ce->code ? ce->code : CNI_ERR_KERNEL, "msg",
			      json_text(ce->msg[0] ? ce->msg : "failed"));
	char *s;

	if (o && ce->details[0])
		json_object_set_new(o, "details", json_text(ce->details));
	s = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	return s;
}

static int oom(struct cni_error *ce)
{
	return cni_fail(ce, CNI_ERR_IO, "out of memory");
}

/* Keys only spec 1.1.0 has, dropped from a previous plugin's output for older versions. */
static void strip_newer(json_t *o, enum cni_version v, const char *const *keys, size_t n)
{
	if (v >= CNI_V110)
		return;
	for (size_t i = 0; i < n; i++)
		json_object_del(o, keys[i]);
}

static const char *const iface_newer[] = {"mtu", "socketPath", "pciID"};
static const char *const route_newer[] = {"mtu", "advmss", "priority", "table", "scope"};

/* prev[key] entries, each an object converted to version v, appended to out. */
static int copy_prev(const json_t *prev, const char *key, enum cni_version v, json_t *out,
		     const char *const *newer, size_t n_newer, struct cni_error *ce)
{
	const json_t *arr = json_object_get(prev, key), *e;
	size_t i;

	if (!arr || json_is_null(arr))
		return 0;
	if (!json_is_array(arr) || json_array_size(arr) > 256)
		return cni_fail(ce, CNI_ERR_DECODE, "prevResult.%s: must be an array (of at most "
				"256)", key);
	json_array_foreach(arr, i, e) {
		json_t *c;

		if (!json_is_object(e))
			return cni_fail(ce, CNI_ERR_DECODE, "prevResult.%s[%zu]: must be an object",
					key, i);
		c = json_deep_copy(e);
		if (!c)
			return oom(ce);
		strip_newer(c, v, newer, n_newer);
		json_array_append_new(out, c);
	}
	return 0;
}

/* prevResult's ips: 0.x results carry "version", 1.x ones do not. */
static int copy_prev_ips(const json_t *prev, enum cni_version v, json_t *out,
			 struct cni_error *ce)
{
	json_t *tmp = json_array();
	json_t *e;
	size_t i;

	if (!tmp || copy_prev(prev, "ips", v, tmp, NULL, 0, ce) < 0) {
		json_decref(tmp);
		return tmp ? -1 : oom(ce);
	}
	json_array_foreach(tmp, i, e) {
		const char *a = json_string_value(json_object_get(e, "address"));

		if (v >= CNI_V100)
			json_object_del(e, "version");
		else if (!json_object_get(e, "version") && a)
			json_object_set_new(e, "version", json_string(strchr(a, ':') ? "6" : "4"));
		json_array_append(out, e);
	}
	json_decref(tmp);
	return 0;
}

static json_t *iface_json(const char *name, const uint8_t mac[MAC_LEN], unsigned mtu,
			  const char *sandbox, enum cni_version v)
{
	json_t *o = json_pack("{s:s, s:o}", "name", name, "mac", cnij_mac_json(mac));

	if (o && sandbox)
		json_object_set_new(o, "sandbox", json_string(sandbox));
	if (o && mtu && v >= CNI_V110)
		json_object_set_new(o, "mtu", json_integer(mtu));
	return o;
}

static int build(const struct cni_request *rq, const struct cni_attachment *a,
		 const uint8_t bridge_mac[MAC_LEN], const json_t *ipam_dns, json_t *o,
		 struct cni_error *ce)
{
	enum cni_version v = rq->version;
	json_t *ifs = json_object_get(o, "interfaces"), *ips = json_object_get(o, "ips");
	json_t *routes = json_object_get(o, "routes");
	size_t self;

	if (copy_prev(rq->prev, "interfaces", v, ifs, iface_newer, ARRAY_SIZE(iface_newer), ce) < 0 ||
	    copy_prev_ips(rq->prev, v, ips, ce) < 0 ||
	    copy_prev(rq->prev, "routes", v, routes, route_newer, ARRAY_SIZE(route_newer), ce) < 0)
		return -1;
	json_array_append_new(ifs, iface_json(a->bridge, bridge_mac, a->mtu, NULL, v));
	json_array_append_new(ifs, iface_json(a->host_ifname, a->host_mac, a->mtu, NULL, v));
	self = json_array_size(ifs);
	json_array_append_new(ifs, iface_json(a->ifname, a->mac, a->mtu, a->netns, v));
	for (size_t i = 0; i < a->n_ips; i++) {
		json_t *ip = cnij_ip_json(&a->ips[i], v < CNI_V100);

		if (ip)
			json_object_set_new(ip, "interface", json_integer((json_int_t)self));
		json_array_append_new(ips, ip);
	}
	for (size_t i = 0; i < a->n_routes; i++)
		json_array_append_new(routes, cnij_route_json(&a->routes[i]));
	if (rq->dns)
		json_object_set(o, "dns", rq->dns);
	else if (ipam_dns)
		json_object_set(o, "dns", (json_t *)ipam_dns);
	else if (json_is_object(json_object_get(rq->prev, "dns")))
		json_object_set(o, "dns", json_object_get(rq->prev, "dns"));
	else
		json_object_set_new(o, "dns", json_object());
	return 0;
}

int cni_result_json(const struct cni_request *rq, const struct cni_attachment *a,
		    const uint8_t bridge_mac[MAC_LEN], const json_t *ipam_dns, char **ret,
		    struct cni_error *ce)
{
	json_t *o = json_pack("{s:s, s:[], s:[], s:[]}", "cniVersion",
			      cni_version_name(rq->version), "interfaces", "ips", "routes");
	int r;

	if (!o)
		return oom(ce);
	r = build(rq, a, bridge_mac, ipam_dns, o, ce);
	*ret = r < 0 ? NULL : json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (r < 0)
		return -1;
	return *ret ? 0 : oom(ce);
}

int cni_ipam_result_parse(const char *buf, size_t len, struct cni_ip *ips, size_t *n_ips,
			  struct cni_route *routes, size_t *n_routes, json_t **ret_dns,
			  struct cni_error *ce)
{
	json_error_t jerr;
	json_t *o = json_loadb(buf, len, 0, &jerr);
	const json_t *v;
	int r = 0;

	*n_ips = *n_routes = 0;
	if (!json_is_object(o)) {
		json_decref(o);
		return cni_fail(ce, CNI_ERR_DELEGATE, "the IPAM plugin's result is not a JSON "
				"object");
	}
	v = json_object_get(o, "ips");
	if (!v || json_is_null(v) || (json_is_array(v) && !json_array_size(v)))
		r = cni_fail(ce, CNI_ERR_DELEGATE, "IPAM plugin returned missing IP config");
	if (r >= 0)
		r = cnij_ips(v, "ips", ips, n_ips, CNI_ERR_DELEGATE, ce);
	v = json_object_get(o, "routes");
	if (r >= 0 && v && !json_is_null(v))
		r = cnij_routes(v, "routes", routes, n_routes, CNI_ERR_DELEGATE, ce);
	v = json_object_get(o, "dns");
	if (r >= 0 && ret_dns && json_is_object(v) && json_object_size(v))
		*ret_dns = json_incref((json_t *)v);
	json_decref(o);
	return r < 0 ? -1 : 0;
}

bool cni_prev_iface(const json_t *prev, const char *ifname, const char *netns,
		    uint8_t mac[MAC_LEN], bool *has_mac, struct cni_ip *ips, size_t *n_ips)
{
	const json_t *ifs = json_object_get(prev, "interfaces"), *e;
	struct cni_error ce = {0};
	size_t i, self = SIZE_MAX;

	*has_mac = false;
	*n_ips = 0;
	json_array_foreach(ifs, i, e) {
		const char *n = json_string_value(json_object_get(e, "name"));
		const char *sb = json_string_value(json_object_get(e, "sandbox"));

		if (n && sb && strcmp(n, ifname) == 0 && (!netns[0] || strcmp(sb, netns) == 0))
			self = i;
	}
	if (self == SIZE_MAX)
		return false;
	e = json_object_get(json_array_get(ifs, self), "mac");
	*has_mac = e && cnij_mac(e, "mac", mac, CNI_ERR_DECODE, &ce) == 0;
	json_array_foreach(json_object_get(prev, "ips"), i, e) {
		const json_t *idx = json_object_get(e, "interface");
		json_t *one;

		if (!json_is_integer(idx) || (size_t)json_integer_value(idx) != self ||
		    *n_ips == CNI_IPS_MAX)
			continue;
		one = json_pack("[O]", e);
		if (one && cnij_ips(one, "prevResult.ips", ips, n_ips, CNI_ERR_DECODE, &ce) < 0)
			ce.code = 0;
		json_decref(one);
	}
	return true;
}
