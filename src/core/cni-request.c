// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One CNI call, from its environment and stdin into struct cni_request. The
 * order of the checks is the order of what an answer needs: the command
 * (every answer depends on it), then stdin's cniVersion (the version every
 * error is written in), then the variables the command requires, then the
 * configuration, then what the runtime asks for (runtimeConfig, args,
 * CNI_ARGS). Unknown keys are ignored, as CNI's conventions say of keys a
 * plugin does not understand; a known key with a wrong value is refused.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cni-json.h"

static const char *const versions[CNI_V_COUNT] = {"0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"};

static const struct {
	const char *name;
	enum cni_command cmd;
} commands[] = {
	{"ADD", CNI_CMD_ADD},	    {"DEL", CNI_CMD_DEL}, {"CHECK", CNI_CMD_CHECK},
	{"STATUS", CNI_CMD_STATUS}, {"GC", CNI_CMD_GC},	  {"VERSION", CNI_CMD_VERSION},
};

const char *cni_version_name(enum cni_version v)
{
	return v < CNI_V_COUNT ? versions[v] : versions[CNI_V110];
}

const char *cni_command_name(enum cni_command c)
{
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (commands[i].cmd == c)
			return commands[i].name;
	return "?";
}

static const char *env_value(char *const *envp, const char *name)
{
	size_t n = strlen(name);

	for (char *const *p = envp; p && *p; p++)
		if (strncmp(*p, name, n) == 0 && (*p)[n] == '=')
			return (*p)[n + 1] ? *p + n + 1 : NULL;
	return NULL;
}

void cni_env_from(char *const *envp, struct cni_env *ret)
{
	ret->command = env_value(envp, "CNI_COMMAND");
	ret->container_id = env_value(envp, "CNI_CONTAINERID");
	ret->netns = env_value(envp, "CNI_NETNS");
	ret->ifname = env_value(envp, "CNI_IFNAME");
	ret->args = env_value(envp, "CNI_ARGS");
	ret->path = env_value(envp, "CNI_PATH");
}

void cni_request_clear(struct cni_request *rq)
{
	free(rq->maps);
	free(rq->valid);
	json_decref(rq->prev);
	json_decref(rq->dns);
	memset(rq, 0, sizeof(*rq));
}

/* The spec's container ID: [A-Za-z0-9][A-Za-z0-9_.-]*; a network name is the same. */
static bool id_valid(const char *s)
{
	if (!s[0])
		return false;
	for (const char *p = s; *p; p++) {
		char c = *p;
		bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');

		if (!alnum && (p == s || (c != '_' && c != '.' && c != '-')))
			return false;
	}
	return true;
}

static int parse_command(const struct cni_env *env, struct cni_request *rq, struct cni_error *ce)
{
	char esc[64];

	if (!env->command)
		return cni_fail(ce, CNI_ERR_ENV, "required env variables [CNI_COMMAND] missing");
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (strcmp(env->command, commands[i].name) == 0) {
			rq->cmd = commands[i].cmd;
			return 0;
		}
	name_escape(env->command, esc, sizeof(esc));
	return cni_fail(ce, CNI_ERR_ENV, "unknown CNI_COMMAND: %s", esc);
}

/* "1.0.0" and the like: echoed by VERSION even when nsnet does not speak it. */
static bool looks_like_version(const char *s, size_t n)
{
	if (!n || n >= 16)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || s[i] == '.'))
			return false;
	return true;
}

static int parse_version(const json_t *o, struct cni_request *rq, struct cni_error *ce)
{
	const json_t *v = json_object_get(o, "cniVersion");
	const char *s = json_string_value(v);

	rq->version = CNI_V110;
	if (!s)
		return cni_fail(ce, CNI_ERR_VERSION, "cniVersion: missing (nsnet supports 0.3.0, "
				"0.3.1, 0.4.0, 1.0.0 and 1.1.0)");
	if (looks_like_version(s, json_string_length(v)))
		snprintf(rq->version_asked, sizeof(rq->version_asked), "%s", s);
	for (size_t i = 0; i < CNI_V_COUNT; i++)
		if (strcmp(s, versions[i]) == 0) {
			rq->version = (enum cni_version)i;
			rq->version_given = true;
			return 0;
		}
	cni_fail(ce, CNI_ERR_VERSION, "incompatible CNI versions");
	snprintf(ce->details, sizeof(ce->details),
		 "config is \"%s\", plugin supports [\"0.3.0\" \"0.3.1\" \"0.4.0\" \"1.0.0\" "
		 "\"1.1.0\"]",
		 rq->version_asked[0] ? rq->version_asked : "?");
	return -1;
}

/* What each command needs of the version it is asked in. */
static int version_allows(const struct cni_request *rq, struct cni_error *ce)
{
	if (rq->cmd == CNI_CMD_CHECK && rq->version < CNI_V040)
		return cni_fail(ce, CNI_ERR_VERSION, "config version %s does not allow CHECK "
				"(0.4.0 or later)", versions[rq->version]);
	if ((rq->cmd == CNI_CMD_GC || rq->cmd == CNI_CMD_STATUS) && rq->version < CNI_V110)
		return cni_fail(ce, CNI_ERR_VERSION, "config version %s does not allow %s (1.1.0 or "
				"later)", versions[rq->version], cni_command_name(rq->cmd));
	return 0;
}

/* The variables the spec requires of each command, named together when missing. */
static int parse_env(const struct cni_env *env, struct cni_request *rq, struct cni_error *ce)
{
	bool need_netns = rq->cmd == CNI_CMD_ADD || rq->cmd == CNI_CMD_CHECK;
	bool need_ids = need_netns || rq->cmd == CNI_CMD_DEL;
	struct error e = {0};
	char missing[96] = "", esc[96];

	if (need_ids && !env->container_id)
		strcat(missing, " CNI_CONTAINERID");
	if (need_netns && !env->netns)
		strcat(missing, " CNI_NETNS");
	if (need_ids && !env->ifname)
		strcat(missing, " CNI_IFNAME");
	if (missing[0])
		return cni_fail(ce, CNI_ERR_ENV, "required env variables [%s] missing", missing + 1);
	if (env->path) {
		if (strlen(env->path) > CNI_PATH_MAX)
			return cni_fail(ce, CNI_ERR_ENV, "CNI_PATH: longer than %d bytes",
					CNI_PATH_MAX);
		snprintf(rq->path, sizeof(rq->path), "%s", env->path);
	}
	if (!need_ids)
		return 0;
	name_escape(env->container_id, esc, sizeof(esc));
	if (strlen(env->container_id) > CNI_ID_MAX)
		return cni_fail(ce, CNI_ERR_ENV, "CNI_CONTAINERID '%s': longer than %d bytes", esc,
				CNI_ID_MAX);
	if (!id_valid(env->container_id))
		return cni_fail(ce, CNI_ERR_ENV, "CNI_CONTAINERID '%s': invalid characters (a letter "
				"or digit, then letters, digits, '_', '.', '-')", esc);
	snprintf(rq->container_id, sizeof(rq->container_id), "%s", env->container_id);
	if (name_ifname_check(env->ifname, &e) < 0)
		return cni_fail(ce, CNI_ERR_ENV, "CNI_IFNAME: %s", e.msg);
	snprintf(rq->ifname, sizeof(rq->ifname), "%s", env->ifname);
	if (env->netns) {
		name_escape(env->netns, esc, sizeof(esc));
		if (env->netns[0] != '/' || strlen(env->netns) > CNI_NETNS_MAX)
			return cni_fail(ce, CNI_ERR_ENV, "CNI_NETNS '%s': must be an absolute path of "
					"at most %d bytes", esc, CNI_NETNS_MAX);
		/* It is recorded (JSON) and printed: text, not any bytes. */
		if (!utf8_valid(env->netns) || text_has_control(env->netns))
			return cni_fail(ce, CNI_ERR_ENV, "CNI_NETNS '%s': not UTF-8 text (a control "
					"byte or an invalid sequence)", esc);
		snprintf(rq->netns, sizeof(rq->netns), "%s", env->netns);
	}
	return 0;
}

/* Host addresses nsnet hands out: the slots a prefix keeps for itself are refused. */
static int ipam_host(const struct inet_prefix *subnet, const struct inet_addr *a, const char *k,
		     struct cni_error *ce)
{
	struct inet_prefix p = {*a, subnet->len};
	char s[INET_STR_MAX], n[PREFIX_STR_MAX];

	inet_addr_format(a, s, sizeof(s));
	inet_prefix_format(subnet, n, sizeof(n));
	if (!inet_prefix_contains(subnet, a))
		return cni_fail(ce, CNI_ERR_CONFIG, "%s: %s is outside the subnet %s", k, s, n);
	if (inet_prefix_slot(&p) != INET_SLOT_HOST)
		return cni_fail(ce, CNI_ERR_CONFIG, "%s: %s is %s of %s", k, s,
				inet_slot_describe(inet_prefix_slot(&p)), n);
	return 0;
}

static int ipam_addr(const json_t *o, const char *key, const struct inet_prefix *subnet,
		     struct inet_addr *ret, struct cni_error *ce)
{
	const json_t *v = json_object_get(o, key);
	char k[CNI_KEY_MAX];

	cnij_key(k, sizeof(k), "ipam", key);
	if (!v || json_is_null(v))
		return 0;
	if (cnij_addr(v, k, ret, CNI_ERR_CONFIG, ce) < 0)
		return -1;
	return ipam_host(subnet, ret, k, ce);
}

/* Compares host addresses of one family, numerically. */
static int addr_cmp(const struct inet_addr *a, const struct inet_addr *b)
{
	return memcmp(a->bytes, b->bytes, inet_family_len(a->family));
}

/* An absolute path none of whose parts is "." or "..": leases go where it says. */
static bool path_plain(const char *p)
{
	if (p[0] != '/')
		return false;
	for (const char *c = p; *c; c++) {
		size_t n;

		if (*c != '/')
			continue;
		n = strcspn(c + 1, "/");
		if ((n == 1 && c[1] == '.') || (n == 2 && c[1] == '.' && c[2] == '.'))
			return false;
	}
	return true;
}

/* ipam of type nsnet (nsnet-cni(8)); "ranges" is host-local's and is not read. */
static int parse_own_ipam(const json_t *o, struct cni_ipam *ip, struct cni_error *ce)
{
	const json_t *v = json_object_get(o, "subnet");
	struct error e = {0};
	int r;

	if (json_object_get(o, "ranges"))
		return cni_fail(ce, CNI_ERR_UNSUPPORTED, "ipam.ranges: not supported by ipam type "
				"nsnet; give one \"subnet\" (and rangeStart, rangeEnd)");
	if (!v)
		return cni_fail(ce, CNI_ERR_CONFIG, "ipam.subnet: missing");
	if (cnij_prefix(v, "ipam.subnet", true, &ip->subnet, CNI_ERR_CONFIG, ce) < 0)
		return -1;
	if (!ip->subnet.len)
		return cni_fail(ce, CNI_ERR_CONFIG, "ipam.subnet: needs a prefix length");
	ip->subnet = inet_prefix_network(&ip->subnet);
	if ((ip->subnet.addr.family == AF_INET && ip->subnet.len > 30) ||
	    (ip->subnet.addr.family == AF_INET6 && (ip->subnet.len > 126 || ip->subnet.len < 64)))
		return cni_fail(ce, CNI_ERR_CONFIG, "ipam.subnet: a /%u leaves no room for hosts "
				"(IPv4 up to /30, IPv6 /64 to /126)", ip->subnet.len);
	if (inet_addr_host_check(&ip->subnet.addr, INET_KIND_BIT(INET_KIND_UNSPECIFIED), &e) < 0)
		return cni_fail(ce, CNI_ERR_CONFIG, "ipam.subnet: %s", e.msg);
	if (ipam_addr(o, "gateway", &ip->subnet, &ip->gateway, ce) < 0 ||
	    ipam_addr(o, "rangeStart", &ip->subnet, &ip->range_start, ce) < 0 ||
	    ipam_addr(o, "rangeEnd", &ip->subnet, &ip->range_end, ce) < 0)
		return -1;
	if (ip->range_start.family && ip->range_end.family &&
	    addr_cmp(&ip->range_start, &ip->range_end) > 0)
		return cni_fail(ce, CNI_ERR_CONFIG, "ipam: rangeStart is after rangeEnd");
	v = json_object_get(o, "routes");
	if (v && !json_is_null(v) &&
	    cnij_routes(v, "ipam.routes", ip->routes, &ip->n_routes, CNI_ERR_CONFIG, ce) < 0)
		return -1;
	for (size_t i = 0; i < ip->n_routes; i++)
		if (ip->routes[i].dst.addr.family != ip->subnet.addr.family)
			return cni_fail(ce, CNI_ERR_CONFIG, "ipam.routes[%zu]: not of the subnet's "
					"family", i);
	snprintf(ip->data_dir, sizeof(ip->data_dir), "%s", CNI_DATA_DIR_DEFAULT);
	r = cnij_string(o, "ipam", "dataDir", ip->data_dir, sizeof(ip->data_dir), false,
			CNI_ERR_CONFIG, ce);
	if (r == -1)
		return -1;
	if (!path_plain(ip->data_dir))
		return cni_fail(ce, CNI_ERR_CONFIG, "ipam.dataDir: must be an absolute path "
				"without '.' or '..' parts");
	return 0;
}

static int parse_ipam(const json_t *conf, struct cni_conf *c, struct cni_error *ce)
{
	const json_t *o = json_object_get(conf, "ipam");
	char esc[96];

	if (!o || json_is_null(o))
		return 0;
	if (!json_is_object(o))
		return cni_fail(ce, CNI_ERR_CONFIG, "ipam: must be an object");
	if (cnij_string(o, "ipam", "type", c->ipam.type, sizeof(c->ipam.type), true,
			CNI_ERR_CONFIG, ce) < 0)
		return -1;
	c->has_ipam = true;
	name_escape(c->ipam.type, esc, sizeof(esc));
	/* A plugin's file name in CNI_PATH: never a path (libcni's FindInPath rule). */
	if (!c->ipam.type[0] || strchr(c->ipam.type, '/') || strcmp(c->ipam.type, ".") == 0 ||
	    strcmp(c->ipam.type, "..") == 0)
		return cni_fail(ce, CNI_ERR_CONFIG, "ipam.type '%s': must be a plugin's name, not "
				"a path", esc);
	c->ipam.own = strcmp(c->ipam.type, "nsnet") == 0;
	return c->ipam.own ? parse_own_ipam(o, &c->ipam, ce) : 0;
}

static int parse_conf(const json_t *o, struct cni_request *rq, struct cni_error *ce)
{
	struct cni_conf *c = &rq->conf;
	struct error e = {0};
	char esc[96];
	int r;

	r = cnij_string(o, "", "name", c->name, sizeof(c->name), false, CNI_ERR_CONFIG, ce);
	if (r == -ENOENT)
		return cni_fail(ce, CNI_ERR_CONFIG, "missing network name");
	if (r < 0)
		return -1;
	name_escape(c->name, esc, sizeof(esc));
	if (!id_valid(c->name) || name_topology_check(c->name, NULL) < 0)
		return cni_fail(ce, CNI_ERR_CONFIG, "network name '%s': 1 to %d bytes, a letter or "
				"digit, then letters, digits, '_', '.', '-'", esc,
				TOPOLOGY_NAME_MAX);
	if (rq->cmd == CNI_CMD_VERSION)
		return 0;
	if (cnij_string(o, "", "type", c->type, sizeof(c->type), false, CNI_ERR_CONFIG, ce) == -1)
		return -1;
	snprintf(c->bridge, sizeof(c->bridge), "%s", CNI_BRIDGE_DEFAULT);
	r = cnij_string(o, "", "bridge", c->bridge, sizeof(c->bridge), false, CNI_ERR_CONFIG, ce);
	if (r == -1)
		return -1;
	if (name_link_check(c->bridge, &e) < 0)
		return cni_fail(ce, CNI_ERR_CONFIG, "bridge: %s", e.msg);
	c->is_gateway = true;
	if (cnij_bool(o, "", "isGateway", &c->is_gateway, CNI_ERR_CONFIG, ce) < 0 ||
	    cnij_bool(o, "", "ipMasq", &c->ip_masq, CNI_ERR_CONFIG, ce) < 0 ||
	    cnij_bool(o, "", "hairpinMode", &c->hairpin, CNI_ERR_CONFIG, ce) < 0)
		return -1;
	if (cnij_uint(o, "", "mtu", TOPOLOGY_MTU_MIN, TOPOLOGY_MTU_MAX, &c->mtu, CNI_ERR_CONFIG,
		      ce) == -1)
		return -1;
	c->lock_timeout_ms = CNI_LOCK_TIMEOUT_S;
	if (cnij_uint(o, "", "lockTimeout", 1, CNI_LOCK_TIMEOUT_MAX_S, &c->lock_timeout_ms,
		      CNI_ERR_CONFIG, ce) == -1)
		return -1;
	c->lock_timeout_ms *= 1000;
	if (json_object_get(o, "vlan") && !json_is_null(json_object_get(o, "vlan")))
		return cni_fail(ce, CNI_ERR_UNSUPPORTED, "vlan: nsnet does not tag bridge ports "
				"(the key and its value are not supported)");
	if (parse_ipam(o, c, ce) < 0)
		return -1;
	if (!c->has_ipam && (rq->cmd == CNI_CMD_ADD || rq->cmd == CNI_CMD_STATUS))
		return cni_fail(ce, CNI_ERR_CONFIG, "ipam: missing (type \"nsnet\", or a plugin "
				"in CNI_PATH)");
	return 0;
}

static int add_ip(struct cni_request *rq, const json_t *v, const char *k, struct cni_error *ce)
{
	if (rq->n_ips == CNI_IPS_MAX)
		return cni_fail(ce, CNI_ERR_CONFIG, "%s: more than %d addresses asked for", k,
				CNI_IPS_MAX);
	return cnij_prefix(v, k, true, &rq->ips[rq->n_ips++], CNI_ERR_CONFIG, ce);
}

/* ["10.89.0.7", "10.89.0.8/16"]: what runtimeConfig.ips and args.cni.ips hold. */
static int parse_ip_list(struct cni_request *rq, const json_t *v, const char *path,
			 struct cni_error *ce)
{
	size_t i;
	const json_t *e;

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return cni_fail(ce, CNI_ERR_CONFIG, "%s: must be an array of addresses", path);
	json_array_foreach(v, i, e) {
		char k[CNI_KEY_MAX];

		cnij_index(k, sizeof(k), path, i);
		if (add_ip(rq, e, k, ce) < 0)
			return -1;
	}
	return 0;
}

static int parse_runtime(const json_t *o, struct cni_request *rq, struct cni_error *ce)
{
	const json_t *rc = json_object_get(o, "runtimeConfig");
	const json_t *args = json_object_get(json_object_get(o, "args"), "cni");
	const json_t *v;

	if (rc && !json_is_null(rc) && !json_is_object(rc))
		return cni_fail(ce, CNI_ERR_CONFIG, "runtimeConfig: must be an object");
	v = json_object_get(rc, "portMappings");
	if (v && !json_is_null(v) &&
	    cnij_mappings(v, "runtimeConfig.portMappings", &rq->maps, &rq->n_maps, CNI_ERR_CONFIG,
			  ce) < 0)
		return -1;
	if (parse_ip_list(rq, json_object_get(rc, "ips"), "runtimeConfig.ips", ce) < 0 ||
	    parse_ip_list(rq, json_object_get(args, "ips"), "args.cni.ips", ce) < 0)
		return -1;
	/* Later ones win: runtimeConfig.mac over CNI_ARGS' MAC, args.cni.mac over both. */
	v = json_object_get(rc, "mac");
	if (v && !json_is_null(v)) {
		if (cnij_mac(v, "runtimeConfig.mac", rq->mac, CNI_ERR_CONFIG, ce) < 0)
			return -1;
		rq->has_mac = true;
	}
	v = json_object_get(args, "mac");
	if (v && !json_is_null(v)) {
		if (cnij_mac(v, "args.cni.mac", rq->mac, CNI_ERR_CONFIG, ce) < 0)
			return -1;
		rq->has_mac = true;
	}
	return 0;
}

/*
 * CNI_ARGS, "K=V;K=V" (CNI's conventions): IgnoreUnknown=1 lets keys through
 * that nsnet does not know; IP asks for an address (when neither
 * runtimeConfig nor args did), MAC for a MAC address.
 */
static int parse_cni_args(const char *s, struct cni_request *rq, bool ips_given,
			  struct cni_error *ce)
{
	static const char *const known[] = {"K8S_POD_NAME", "K8S_POD_NAMESPACE",
					    "K8S_POD_INFRA_CONTAINER_ID", "K8S_POD_UID"};
	_cleanup_free_ char *copy = strdup(s ? s : "");
	char *save = NULL, *pair, unknown[256] = "";
	bool ignore = false;

	if (!copy)
		return cni_fail(ce, CNI_ERR_IO, "out of memory");
	if (!s)
		return 0;
	for (pair = strtok_r(copy, ";", &save); pair; pair = strtok_r(NULL, ";", &save)) {
		char *eq = strchr(pair, '='), esc[96];
		const char *k = pair, *v;
		bool is_known = false;

		name_escape(pair, esc, sizeof(esc));
		if (!eq || strchr(eq + 1, '='))
			return cni_fail(ce, CNI_ERR_CONFIG, "CNI_ARGS: invalid pair \"%s\"", esc);
		*eq = '\0';
		v = eq + 1;
		if (strcmp(k, "IgnoreUnknown") == 0) {
			ignore = strcasecmp(v, "1") == 0 || strcasecmp(v, "true") == 0;
			continue;
		}
		if (strcmp(k, "IP") == 0) {
			json_t *j = json_string(v);
			int r = 0;

			if (!ips_given)
				r = j ? add_ip(rq, j, "CNI_ARGS IP", ce) : cni_fail(ce, CNI_ERR_IO,
										   "out of memory");
			json_decref(j);
			if (r < 0)
				return -1;
			continue;
		}
		if (strcmp(k, "MAC") == 0) {
			json_t *j = json_string(v);
			uint8_t mac[MAC_LEN];
			int r = j ? cnij_mac(j, "CNI_ARGS MAC", mac, CNI_ERR_CONFIG, ce)
				  : cni_fail(ce, CNI_ERR_IO, "out of memory");

			json_decref(j);
			if (r < 0)
				return -1;
			if (!rq->has_mac)
				memcpy(rq->mac, mac, MAC_LEN);
			rq->has_mac = true;
			continue;
		}
		for (size_t i = 0; i < ARRAY_SIZE(known); i++)
			is_known = is_known || strcmp(k, known[i]) == 0;
		if (!is_known && !unknown[0])
			name_escape(k, unknown, sizeof(unknown));
	}
	if (unknown[0] && !ignore)
		return cni_fail(ce, CNI_ERR_CONFIG, "CNI_ARGS: unknown args [\"%s\"] (IgnoreUnknown=1 "
				"lets them through)", unknown);
	return 0;
}

static int parse_valid(const json_t *v, const char *key, struct cni_request *rq,
		       struct cni_error *ce)
{
	size_t n, i;
	const json_t *e;

	if (!json_is_array(v))
		return cni_fail(ce, CNI_ERR_CONFIG, "%s: must be an array", key);
	n = json_array_size(v);
	if (n > CNI_VALID_MAX)
		return cni_fail(ce, CNI_ERR_CONFIG, "%s: %zu entries, at most %d", key, n,
				CNI_VALID_MAX);
	rq->valid = calloc(n ? n : 1, sizeof(*rq->valid));
	if (!rq->valid)
		return cni_fail(ce, CNI_ERR_IO, "out of memory");
	json_array_foreach(v, i, e) {
		struct cni_valid *a = &rq->valid[i];
		struct error err = {0};
		char k[CNI_KEY_MAX];

		cnij_index(k, sizeof(k), key, i);
		if (!json_is_object(e))
			return cni_fail(ce, CNI_ERR_CONFIG, "%s: must be an object", k);
		if (cnij_string(e, k, "containerID", a->container_id, sizeof(a->container_id), true,
				CNI_ERR_CONFIG, ce) < 0 ||
		    cnij_string(e, k, "ifname", a->ifname, sizeof(a->ifname), true,
				CNI_ERR_CONFIG, ce) < 0)
			return -1;
		if (!id_valid(a->container_id) || name_ifname_check(a->ifname, &err) < 0)
			return cni_fail(ce, CNI_ERR_CONFIG, "%s: not a container ID and interface "
					"name", k);
	}
	rq->n_valid = n;
	return 0;
}

/*
 * GC's attachments: spec 1.1.0's text says "cni.dev/attachments", libcni
 * sends "cni.dev/valid-attachments" (and, from 1.2.3, both). Without either,
 * nothing is valid: libcni's cnitool sends GC without a list to remove all.
 */
static int parse_gc(const json_t *o, struct cni_request *rq, struct cni_error *ce)
{
	const json_t *va = json_object_get(o, "cni.dev/valid-attachments");
	const json_t *a = json_object_get(o, "cni.dev/attachments");

	if (va && a && !json_equal((json_t *)va, (json_t *)a))
		return cni_fail(ce, CNI_ERR_CONFIG, "cni.dev/valid-attachments and "
				"cni.dev/attachments differ");
	if (va || a)
		return parse_valid(va ? va : a, va ? "cni.dev/valid-attachments"
						   : "cni.dev/attachments", rq, ce);
	return 0;
}

static int parse_body(const json_t *o, const struct cni_env *env, struct cni_request *rq,
		      struct cni_error *ce)
{
	const json_t *v;
	int r = parse_version(o, rq, ce);

	/*
	 * VERSION is how a runtime probes: one that speaks a version nsnet does not
	 * (a newer libcni) gets the list and chooses, rather than an error it cannot
	 * read. Only a cniVersion that is no version at all is refused.
	 */
	if (rq->cmd == CNI_CMD_VERSION && (r == 0 || rq->version_asked[0])) {
		memset(ce, 0, sizeof(*ce));
		return 0;
	}
	if (r < 0)
		return -1;
	if (version_allows(rq, ce) < 0 || parse_env(env, rq, ce) < 0 || parse_conf(o, rq, ce) < 0)
		return -1;
	if (rq->cmd == CNI_CMD_GC)
		return parse_gc(o, rq, ce);
	if (rq->cmd == CNI_CMD_STATUS)
		return 0;
	v = json_object_get(o, "prevResult");
	if (v && !json_is_null(v)) {
		if (!json_is_object(v))
			return cni_fail(ce, CNI_ERR_DECODE, "prevResult: must be an object");
		rq->prev = json_incref((json_t *)v);
	}
	v = json_object_get(o, "dns");
	if (v && !json_is_null(v)) {
		if (!json_is_object(v))
			return cni_fail(ce, CNI_ERR_CONFIG, "dns: must be an object");
		rq->dns = json_incref((json_t *)v);
	}
	if (parse_runtime(o, rq, ce) < 0)
		return -1;
	return parse_cni_args(env->args, rq, rq->n_ips > 0, ce);
}

int cni_request_parse(const struct cni_env *env, const char *buf, size_t len,
		      struct cni_request *rq, struct cni_error *ce)
{
	json_error_t jerr;
	json_t *o;
	int r;

	memset(rq, 0, sizeof(*rq));
	rq->version = CNI_V110;
	if (parse_command(env, rq, ce) < 0)
		return -1;
	/* VERSION with nothing on stdin still answers, in the newest version. */
	if (rq->cmd == CNI_CMD_VERSION && !len)
		return 0;
	if (len > CNI_CONF_MAX)
		return cni_fail(ce, CNI_ERR_IO, "the configuration on stdin is over %d bytes",
				CNI_CONF_MAX);
	o = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!o)
		return cni_fail(ce, CNI_ERR_DECODE, "error decoding the network configuration: "
				"line %d, column %d: %s", jerr.line, jerr.column, jerr.text);
	if (!json_is_object(o)) {
		json_decref(o);
		return cni_fail(ce, CNI_ERR_DECODE, "the network configuration must be a JSON "
				"object");
	}
	r = parse_body(o, env, rq, ce);
	json_decref(o);
	return r < 0 ? -1 : 0;
}
