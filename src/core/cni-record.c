// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The record of an attachment (STATE_DIR/NETWORK.cni/CONTAINERID@IFNAME), its
 * names, and the host link it owns. A record is read back as untrusted
 * input, with the same readers as a request: every name, path, address and
 * port is checked again, and a record that fails is reported by its file
 * name only.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cni-json.h"

#define RECORD_VERSION 1

void cni_attachment_clear(struct cni_attachment *a)
{
	free(a->maps);
	memset(a, 0, sizeof(*a));
}

static uint64_t fnv1a64(const char *s, uint64_t h)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ull;
	}
	return h;
}

void cni_host_ifname(const char *network, const char *container_id, const char *ifname,
		     char buf[IFNAME_MAX + 1])
{
	uint64_t h = 0xcbf29ce484222325ull;

	/* '/' separates the parts: none of them may hold one. */
	h = fnv1a64(network, h);
	h = fnv1a64("/", h);
	h = fnv1a64(container_id, h);
	h = fnv1a64("/", h);
	h = fnv1a64(ifname, h);
	snprintf(buf, IFNAME_MAX + 1, "nsc%012llx", (unsigned long long)(h & 0xffffffffffffull));
}

static bool all_hex(const char *s)
{
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return false;
	return true;
}

void cni_label(const char *container_id, const char *ifname, char buf[NETNS_NAME_MAX + 1])
{
	bool eth0 = strcmp(ifname, "eth0") == 0;
	const char *sep = eth0 ? "" : "/", *ifn = eth0 ? "" : ifname;
	size_t n = strlen(container_id);

	/* Short IDs whole; a runtime's 64 hex digits as its own short form, their first 12. */
	if (n <= CNI_LABEL_WHOLE)
		snprintf(buf, NETNS_NAME_MAX + 1, "%s%s%s", container_id, sep, ifn);
	else if (all_hex(container_id))
		snprintf(buf, NETNS_NAME_MAX + 1, "%.12s%s%s", container_id, sep, ifn);
	else /* the start a person recognises, and a hash of the whole */
		snprintf(buf, NETNS_NAME_MAX + 1, "%.15s~%08llx%s%s", container_id,
			 (unsigned long long)(fnv1a64(container_id, 0xcbf29ce484222325ull) &
					      0xffffffff),
			 sep, ifn);
}

void cni_record_name(const char *container_id, const char *ifname, char *buf, size_t len)
{
	snprintf(buf, len, "%s@%s", container_id, ifname);
}

int cni_record_format(const struct cni_attachment *a, char **ret, struct error *err)
{
	json_t *ips = json_array(), *routes = json_array(), *maps = json_array(), *o;
	char *s;

	for (size_t i = 0; ips && i < a->n_ips; i++)
		json_array_append_new(ips, cnij_ip_json(&a->ips[i], false));
	for (size_t i = 0; routes && i < a->n_routes; i++)
		json_array_append_new(routes, cnij_route_json(&a->routes[i]));
	for (size_t i = 0; maps && i < a->n_maps; i++)
		json_array_append_new(maps, cnij_mapping_json(&a->maps[i]));
	o = json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:b, s:b, s:b, s:o, s:o, s:s, s:s, "
		      "s:o, s:o, s:o}",
		      "version", RECORD_VERSION, "network", a->network, "containerID",
		      a->container_id, "ifname", a->ifname, "netns", a->netns, "hostIfname",
		      a->host_ifname, "bridge", a->bridge, "mtu", a->mtu, "isGateway",
		      a->is_gateway, "ipMasq", a->ip_masq, "hairpinMode", a->hairpin, "mac",
		      cnij_mac_json(a->mac), "hostMac", cnij_mac_json(a->host_mac), "ipam", a->ipam,
		      "dataDir", a->data_dir, "ips", ips, "routes", routes, "portMappings", maps);
	s = o ? json_dumps(o, JSON_INDENT(1)) : NULL;
	json_decref(o);
	if (!s)
		return error_set(err, -ENOMEM, "out of memory");
	*ret = s;
	return 0;
}

static int read_fields(const json_t *o, struct cni_attachment *a, struct cni_error *ce)
{
	const int c = CNI_ERR_STATE;
	unsigned version = 0;
	struct error e = {0};

	if (cnij_uint(o, "", "version", 0, 1000, &version, c, ce) < 0 || version != RECORD_VERSION)
		return cni_fail(ce, c, "version: not %d", RECORD_VERSION);
	if (cnij_string(o, "", "network", a->network, sizeof(a->network), true, c, ce) < 0 ||
	    cnij_string(o, "", "containerID", a->container_id, sizeof(a->container_id), true, c,
			ce) < 0 ||
	    cnij_string(o, "", "ifname", a->ifname, sizeof(a->ifname), true, c, ce) < 0 ||
	    cnij_string(o, "", "netns", a->netns, sizeof(a->netns), true, c, ce) < 0 ||
	    cnij_string(o, "", "hostIfname", a->host_ifname, sizeof(a->host_ifname), true, c, ce) <
		    0 ||
	    cnij_string(o, "", "bridge", a->bridge, sizeof(a->bridge), true, c, ce) < 0 ||
	    cnij_string(o, "", "ipam", a->ipam, sizeof(a->ipam), true, c, ce) < 0 ||
	    cnij_string(o, "", "dataDir", a->data_dir, sizeof(a->data_dir), true, c, ce) < 0)
		return -1;
	if (name_topology_check(a->network, &e) < 0 || name_ifname_check(a->ifname, &e) < 0 ||
	    name_link_check(a->host_ifname, &e) < 0 || name_link_check(a->bridge, &e) < 0)
		return cni_fail(ce, c, "%s", e.msg);
	if (strchr(a->container_id, '@') || strchr(a->container_id, '/') || !a->container_id[0] ||
	    (a->netns[0] && a->netns[0] != '/') || (a->data_dir[0] && a->data_dir[0] != '/') ||
	    strchr(a->ipam, '/'))
		return cni_fail(ce, c, "a container ID, path or plugin name is malformed");
	if (cnij_uint(o, "", "mtu", 0, TOPOLOGY_MTU_MAX, &a->mtu, c, ce) == -1 ||
	    cnij_bool(o, "", "isGateway", &a->is_gateway, c, ce) < 0 ||
	    cnij_bool(o, "", "ipMasq", &a->ip_masq, c, ce) < 0 ||
	    cnij_bool(o, "", "hairpinMode", &a->hairpin, c, ce) < 0 ||
	    cnij_mac(json_object_get(o, "mac"), "mac", a->mac, c, ce) < 0 ||
	    cnij_mac(json_object_get(o, "hostMac"), "hostMac", a->host_mac, c, ce) < 0 ||
	    cnij_ips(json_object_get(o, "ips"), "ips", a->ips, &a->n_ips, c, ce) < 0 ||
	    cnij_routes(json_object_get(o, "routes"), "routes", a->routes, &a->n_routes, c, ce) < 0 ||
	    cnij_mappings(json_object_get(o, "portMappings"), "portMappings", &a->maps, &a->n_maps,
			  c, ce) < 0)
		return -1;
	return 0;
}

int cni_record_parse(const char *label, const char *buf, size_t len, struct cni_attachment *ret,
		     struct error *err)
{
	struct cni_attachment a = {0};
	struct cni_error ce = {0};
	json_error_t jerr;
	json_t *o;
	int r;

	o = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(o)) {
		json_decref(o);
		/* Its text never reaches a message: where it broke is enough. */
		return error_set(err, -EBADMSG, "%s: not an attachment record (line %d, column %d)",
				 label, jerr.line, jerr.column);
	}
	r = read_fields(o, &a, &ce);
	json_decref(o);
	if (r < 0) {
		/* The key at fault, never the value (as for recorded topology files). */
		size_t k = strcspn(ce.msg, ":");

		cni_attachment_clear(&a);
		return error_set(err, -EBADMSG, "%s: not an attachment record (at '%.*s')", label,
				 (int)(k < 64 ? k : 64), ce.msg);
	}
	*ret = a;
	return 0;
}
