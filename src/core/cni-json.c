// SPDX-License-Identifier: GPL-2.0-or-later
/* The values of CNI's JSON, read and written: see cni-json.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cni-json.h"

int cni_fail(struct cni_error *ce, int code, const char *fmt, ...)
{
	va_list ap;

	if (ce) {
		ce->code = code;
		va_start(ap, fmt);
		vsnprintf(ce->msg, sizeof(ce->msg), fmt, ap);
		va_end(ap);
		ce->details[0] = '\0';
	}
	return -1;
}

int cni_fail_error(struct cni_error *ce, int code, const struct error *err)
{
	return cni_fail(ce, code, "%s", err && err->msg[0] ? err->msg : "failed");
}

void cnij_key(char *buf, size_t len, const char *path, const char *key)
{
	snprintf(buf, len, "%s%s%s", path, path[0] ? "." : "", key);
}

void cnij_index(char *buf, size_t len, const char *path, size_t i)
{
	snprintf(buf, len, "%s[%zu]", path, i);
}

static const char *type_name(const json_t *v)
{
	if (!v)
		return "missing";
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	default:
		return "null";
	}
}

/* The value of o[key], NULL when absent or null. */
static const json_t *get(const json_t *o, const char *key)
{
	const json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;

	return v && !json_is_null(v) ? v : NULL;
}

/* A string value as text fit for a message: escaped, and cut. */
static void escaped(const json_t *v, char *buf, size_t len)
{
	name_escape(json_string_value(v) ? json_string_value(v) : "", buf, len);
}

static int string_value(const json_t *v, const char *path, char *buf, size_t len, int code,
			struct cni_error *ce)
{
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	char esc[96];

	if (!json_is_string(v))
		return cni_fail(ce, code, "%s: must be a string, not %s", path, type_name(v));
	escaped(v, esc, sizeof(esc));
	if (n >= len)
		return cni_fail(ce, code, "%s: '%s' is too long (%zu bytes, at most %zu)", path, esc,
				n, len - 1);
	if (strlen(s) != n)
		return cni_fail(ce, code, "%s: '%s' holds a NUL byte", path, esc);
	if (text_has_control(s))
		return cni_fail(ce, code, "%s: '%s' holds a control character", path, esc);
	memcpy(buf, s, n + 1);
	return 0;
}

int cnij_string(const json_t *o, const char *path, const char *key, char *buf, size_t len,
		bool required, int code, struct cni_error *ce)
{
	const json_t *v = get(o, key);
	char k[CNI_KEY_MAX];

	cnij_key(k, sizeof(k), path, key);
	if (!v) {
		if (required)
			return cni_fail(ce, code, "%s: missing", k);
		return -ENOENT;
	}
	return string_value(v, k, buf, len, code, ce);
}

int cnij_bool(const json_t *o, const char *path, const char *key, bool *ret, int code,
	      struct cni_error *ce)
{
	const json_t *v = get(o, key);
	char k[CNI_KEY_MAX];

	if (!v)
		return 0;
	cnij_key(k, sizeof(k), path, key);
	if (!json_is_boolean(v))
		return cni_fail(ce, code, "%s: must be true or false, not %s", k, type_name(v));
	*ret = json_is_true(v);
	return 0;
}

int cnij_uint(const json_t *o, const char *path, const char *key, unsigned lo, unsigned hi,
	      unsigned *ret, int code, struct cni_error *ce)
{
	const json_t *v = get(o, key);
	char k[CNI_KEY_MAX];
	json_int_t i;

	if (!v)
		return -ENOENT;
	cnij_key(k, sizeof(k), path, key);
	if (!json_is_integer(v))
		return cni_fail(ce, code, "%s: must be an integer, not %s", k, type_name(v));
	i = json_integer_value(v);
	if (i < (json_int_t)lo || i > (json_int_t)hi)
		return cni_fail(ce, code, "%s: %lld is out of range (%u to %u)", k, (long long)i, lo,
				hi);
	*ret = (unsigned)i;
	return 0;
}

int cnij_prefix(const json_t *v, const char *path, bool with_len, struct inet_prefix *ret,
		int code, struct cni_error *ce)
{
	char s[PREFIX_STR_MAX + 1];
	struct error e = {0};
	struct inet_prefix p;
	bool has_len;

	if (string_value(v, path, s, sizeof(s), code, ce) < 0)
		return -1;
	has_len = strchr(s, '/') != NULL;
	if (has_len && !with_len)
		return cni_fail(ce, code, "%s: '%s' must be an address without a prefix length",
				path, s);
	if (inet_prefix_parse(s, &p, &e) < 0)
		return cni_fail(ce, code, "%s: %s", path, e.msg);
	if (!has_len)
		p.len = 0;
	*ret = p;
	return 0;
}

int cnij_addr(const json_t *v, const char *path, struct inet_addr *ret, int code,
	      struct cni_error *ce)
{
	struct inet_prefix p;

	if (cnij_prefix(v, path, false, &p, code, ce) < 0)
		return -1;
	*ret = p.addr;
	return 0;
}

int cnij_mac(const json_t *v, const char *path, uint8_t mac[MAC_LEN], int code,
	     struct cni_error *ce)
{
	char s[MAC_STR_MAX + 1];
	struct error e = {0};

	if (string_value(v, path, s, sizeof(s), code, ce) < 0)
		return -1;
	if (mac_parse(s, mac, &e) < 0)
		return cni_fail(ce, code, "%s: %s", path, e.msg);
	return 0;
}

/* v as an array of at most max entries; *ret_n its size. */
static int array_of(const json_t *v, const char *path, size_t max, size_t *ret_n, int code,
		    struct cni_error *ce)
{
	if (!json_is_array(v))
		return cni_fail(ce, code, "%s: must be an array, not %s", path, type_name(v));
	if (json_array_size(v) > max)
		return cni_fail(ce, code, "%s: %zu entries, at most %zu", path, json_array_size(v),
				max);
	*ret_n = json_array_size(v);
	return 0;
}

static int object_at(const json_t *v, size_t i, const char *path, char *k, size_t klen,
		     const json_t **ret, int code, struct cni_error *ce)
{
	const json_t *e = json_array_get(v, i);

	cnij_index(k, klen, path, i);
	if (!json_is_object(e))
		return cni_fail(ce, code, "%s: must be an object, not %s", k, type_name(e));
	*ret = e;
	return 0;
}

/* o[key] as an address (required or not) into *ret; family 0 when absent. */
static int addr_at(const json_t *o, const char *path, const char *key, bool required,
		   struct inet_addr *ret, int code, struct cni_error *ce)
{
	const json_t *v = get(o, key);
	char k[CNI_KEY_MAX];

	cnij_key(k, sizeof(k), path, key);
	memset(ret, 0, sizeof(*ret));
	if (!v)
		return required ? cni_fail(ce, code, "%s: missing", k) : 0;
	return cnij_addr(v, k, ret, code, ce);
}

static int prefix_at(const json_t *o, const char *path, const char *key, struct inet_prefix *ret,
		     int code, struct cni_error *ce)
{
	const json_t *v = get(o, key);
	char k[CNI_KEY_MAX];

	cnij_key(k, sizeof(k), path, key);
	if (!v)
		return cni_fail(ce, code, "%s: missing", k);
	if (cnij_prefix(v, k, true, ret, code, ce) < 0)
		return -1;
	if (!ret->len && !strchr(json_string_value(v), '/'))
		ret->len = ret->addr.family == AF_INET ? 32 : 128;
	return 0;
}

/* Entry i of v: {pk: "PREFIX", ak: "ADDR"} with ak optional and of pk's family. */
static int pair_at(const json_t *v, size_t i, const char *path, const char *pk, const char *ak,
		   struct inet_prefix *p, struct inet_addr *a, int code, struct cni_error *ce)
{
	char k[CNI_KEY_MAX];
	const json_t *e;

	if (object_at(v, i, path, k, sizeof(k), &e, code, ce) < 0 ||
	    prefix_at(e, k, pk, p, code, ce) < 0 || addr_at(e, k, ak, false, a, code, ce) < 0)
		return -1;
	if (a->family && a->family != p->addr.family)
		return cni_fail(ce, code, "%s.%s: not of the %s's family", k, ak, pk);
	return 0;
}

int cnij_ips(const json_t *v, const char *path, struct cni_ip *ips, size_t *n, int code,
	     struct cni_error *ce)
{
	size_t count;

	if (array_of(v, path, CNI_IPS_MAX - *n, &count, code, ce) < 0)
		return -1;
	for (size_t i = 0; i < count; i++, (*n)++)
		if (pair_at(v, i, path, "address", "gateway", &ips[*n].address, &ips[*n].gateway,
			    code, ce) < 0)
			return -1;
	return 0;
}

int cnij_routes(const json_t *v, const char *path, struct cni_route *routes, size_t *n,
		int code, struct cni_error *ce)
{
	size_t count;

	if (array_of(v, path, CNI_ROUTES_MAX - *n, &count, code, ce) < 0)
		return -1;
	for (size_t i = 0; i < count; i++, (*n)++) {
		if (pair_at(v, i, path, "dst", "gw", &routes[*n].dst, &routes[*n].gw, code, ce) < 0)
			return -1;
		routes[*n].dst = inet_prefix_network(&routes[*n].dst);
	}
	return 0;
}

static int mapping_at(const json_t *e, const char *k, struct cni_mapping *m, int code,
		      struct cni_error *ce)
{
	char proto[8] = "tcp";
	unsigned hp = 0, cp = 0;
	int r;

	memset(m, 0, sizeof(*m));
	r = cnij_uint(e, k, "hostPort", 1, 65535, &hp, code, ce);
	if (r == 0)
		r = cnij_uint(e, k, "containerPort", 1, 65535, &cp, code, ce);
	if (r == -ENOENT)
		return cni_fail(ce, code, "%s: hostPort and containerPort are both required", k);
	if (r < 0)
		return -1;
	r = cnij_string(e, k, "protocol", proto, sizeof(proto), false, code, ce);
	if (r == -1)
		return -1;
	if (strcmp(proto, "tcp") == 0 || strcmp(proto, "TCP") == 0) {
		m->proto = TOPOLOGY_PROTO_TCP;
	} else if (strcmp(proto, "udp") == 0 || strcmp(proto, "UDP") == 0) {
		m->proto = TOPOLOGY_PROTO_UDP;
	} else {
		char esc[32];

		name_escape(proto, esc, sizeof(esc));
		return cni_fail(ce, CNI_ERR_UNSUPPORTED, "%s.protocol: '%s' is not supported (tcp "
				"or udp)", k, esc);
	}
	m->host_port = (uint16_t)hp;
	m->container_port = (uint16_t)cp;
	/* "" (or absent) is every address of the host, as portmap takes it. */
	if (get(e, "hostIP") && json_string_length(json_object_get(e, "hostIP")) == 0)
		return 0;
	return addr_at(e, k, "hostIP", false, &m->host_ip, code, ce);
}

int cnij_mappings(const json_t *v, const char *path, struct cni_mapping **ret, size_t *n,
		  int code, struct cni_error *ce)
{
	struct cni_mapping *m;
	size_t count;

	if (array_of(v, path, CNI_MAPPINGS_MAX, &count, code, ce) < 0)
		return -1;
	m = calloc(count ? count : 1, sizeof(*m));
	if (!m)
		return cni_fail(ce, CNI_ERR_IO, "out of memory");
	for (size_t i = 0; i < count; i++) {
		char k[CNI_KEY_MAX];
		const json_t *e;

		if (object_at(v, i, path, k, sizeof(k), &e, code, ce) < 0 ||
		    mapping_at(e, k, &m[i], code, ce) < 0) {
			free(m);
			return -1;
		}
		for (size_t j = 0; j < i; j++)
			if (m[j].proto == m[i].proto && m[j].host_port == m[i].host_port &&
			    inet_addr_equal(&m[j].host_ip, &m[i].host_ip)) {
				unsigned port = m[i].host_port;

				free(m);
				return cni_fail(ce, code, "%s: host port %u is mapped twice", k, port);
			}
	}
	free(*ret);
	*ret = m;
	*n = count;
	return 0;
}

json_t *cnij_ip_json(const struct cni_ip *ip, bool with_version)
{
	char a[PREFIX_STR_MAX], g[INET_STR_MAX];
	json_t *o;

	inet_prefix_format(&ip->address, a, sizeof(a));
	o = json_pack("{s:s}", "address", a);
	if (o && with_version)
		json_object_set_new(o, "version",
				    json_string(ip->address.addr.family == AF_INET6 ? "6" : "4"));
	if (o && ip->gateway.family) {
		inet_addr_format(&ip->gateway, g, sizeof(g));
		json_object_set_new(o, "gateway", json_string(g));
	}
	return o;
}

json_t *cnij_route_json(const struct cni_route *r)
{
	char d[PREFIX_STR_MAX], g[INET_STR_MAX];
	json_t *o;

	inet_prefix_format(&r->dst, d, sizeof(d));
	o = json_pack("{s:s}", "dst", d);
	if (o && r->gw.family) {
		inet_addr_format(&r->gw, g, sizeof(g));
		json_object_set_new(o, "gw", json_string(g));
	}
	return o;
}

json_t *cnij_mapping_json(const struct cni_mapping *m)
{
	char h[INET_STR_MAX] = "";

	if (m->host_ip.family)
		inet_addr_format(&m->host_ip, h, sizeof(h));
	return json_pack("{s:i, s:i, s:s, s:s}", "hostPort", m->host_port, "containerPort",
			 m->container_port, "protocol",
			 m->proto == TOPOLOGY_PROTO_UDP ? "udp" : "tcp", "hostIP", h);
}

json_t *cnij_mac_json(const uint8_t mac[MAC_LEN])
{
	char s[MAC_STR_MAX];

	mac_format(mac, MAC_LEN, s, sizeof(s));
	return json_string(s);
}
