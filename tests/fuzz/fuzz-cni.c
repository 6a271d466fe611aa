// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: what nsnet-cni reads from stdin (core/cni.h). The first
 * byte chooses the command and which CNI_* variables are set; the rest is
 * stdin. A configuration that is accepted then goes through everything pure
 * that follows it: the ADD result in its version (with its prevResult and
 * dns), the VERSION answer, the error object, and an attachment made of its
 * port mappings and addresses written as a record, read back, turned into
 * its nft elements, its topology and its plans. The same bytes are also read
 * as a record (a file under /run/nsnet) and as a delegated IPAM plugin's
 * answer, both untrusted. No kernel.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/cni-plan.h"
#include "core/cni.h"
#include "core/fw.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const commands[] = {"ADD", "DEL", "CHECK", "STATUS", "GC", "VERSION", "FROB"};

/* An attachment as ADD would make it from rq (addresses asked for, or one). */
static void attachment_of(const struct cni_request *rq, struct cni_attachment *a)
{
	memset(a, 0, sizeof(*a));
	snprintf(a->network, sizeof(a->network), "%s", rq->conf.name[0] ? rq->conf.name : "n");
	snprintf(a->container_id, sizeof(a->container_id), "%s",
		 rq->container_id[0] ? rq->container_id : "c");
	snprintf(a->ifname, sizeof(a->ifname), "%s", rq->ifname[0] ? rq->ifname : "eth0");
	snprintf(a->netns, sizeof(a->netns), "%s", rq->netns);
	cni_host_ifname(a->network, a->container_id, a->ifname, a->host_ifname);
	snprintf(a->bridge, sizeof(a->bridge), "%s", rq->conf.bridge[0] ? rq->conf.bridge : "b");
	a->mtu = rq->conf.mtu;
	a->ip_masq = rq->conf.ip_masq;
	a->is_gateway = rq->conf.is_gateway;
	a->hairpin = rq->conf.hairpin;
	memcpy(a->mac, rq->mac, MAC_LEN);
	a->mac[0] = 2;
	snprintf(a->ipam, sizeof(a->ipam), "nsnet");
	for (size_t i = 0; i < rq->n_ips; i++) {
		a->ips[i].address = rq->ips[i];
		if (!a->ips[i].address.len)
			a->ips[i].address.len = rq->ips[i].addr.family == AF_INET ? 24 : 64;
		a->ips[i].gateway = rq->conf.ipam.gateway;
		if (a->ips[i].gateway.family != rq->ips[i].addr.family)
			memset(&a->ips[i].gateway, 0, sizeof(a->ips[i].gateway));
	}
	a->n_ips = rq->n_ips;
	memcpy(a->routes, rq->conf.ipam.routes, sizeof(a->routes));
	a->n_routes = rq->conf.ipam.n_routes;
	if (rq->n_maps && (a->maps = calloc(rq->n_maps, sizeof(*a->maps)))) {
		memcpy(a->maps, rq->maps, rq->n_maps * sizeof(*a->maps));
		a->n_maps = rq->n_maps;
	}
}

static void after_accept(const struct cni_request *rq)
{
	struct cni_attachment a, b;
	struct cni_error ce = {0};
	struct error err = {0};
	struct topology *t = NULL;
	struct cni_seen seen = {0};
	struct plan *p = NULL;
	char *s = NULL, hash[FW_HASH_LEN + 1];
	uint8_t mac[MAC_LEN] = {2};

	free(cni_version_json(rq));
	attachment_of(rq, &a);
	if (cni_result_json(rq, &a, mac, NULL, &s, &ce) == 0)
		free(s);
	if (cni_record_format(&a, &s, &err) == 0) {
		if (cni_record_parse("r", s, strlen(s), &b, &err) == 0)
			cni_attachment_clear(&b);
		free(s);
	}
	if (fw_cni_elements(&a, true, true, &s, &err) == 0)
		free(s);
	if (cni_topology_build(a.network, &a, 1, &t, &err) == 0) {
		if (fw_script_build(t, &s, hash, &err) == 0)
			free(s);
		topology_free(t);
	}
	if (cni_plan_add(&a, "c", &seen, &p, &err) == 0)
		plan_free(p);
	seen.last = seen.bridge = seen.host_link = true;
	if (cni_plan_del(&a, &seen, &p, &err) == 0)
		plan_free(p);
	cni_attachment_clear(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cni_env env = {0};
	struct cni_request rq;
	struct cni_error ce = {0};
	struct cni_attachment a;
	struct error err = {0};
	struct cni_ip ips[CNI_IPS_MAX];
	struct cni_route routes[CNI_ROUTES_MAX];
	size_t n_ips, n_routes;
	json_t *dns = NULL;
	uint8_t sel;

	if (!size)
		return 0;
	sel = data[0];
	data++;
	size--;
	env.command = commands[sel % ARRAY_SIZE(commands)];
	env.container_id = sel & 0x10 ? "c0ffee" : NULL;
	env.netns = sel & 0x20 ? "/run/netns/c1" : NULL;
	env.ifname = sel & 0x40 ? "eth0" : NULL;
	env.args = sel & 0x80 ? "IgnoreUnknown=1;IP=10.89.0.9;MAC=0a:00:00:00:00:01" : NULL;
	env.path = "/usr/lib/cni";
	if (cni_request_parse(&env, (const char *)data, size, &rq, &ce) == 0) {
		after_accept(&rq);
	} else {
		/* Every refusal says why, with a code, in a version. */
		char *s = cni_error_json(&rq, &ce);

		if (!ce.code || !ce.msg[0] || !s)
			abort();
		free(s);
	}
	cni_request_clear(&rq);
	if (cni_record_parse("fuzz", (const char *)data, size, &a, &err) == 0)
		cni_attachment_clear(&a);
	else if (!err.msg[0])
		abort();
	if (cni_ipam_result_parse((const char *)data, size, ips, &n_ips, routes, &n_routes, &dns,
				  &ce) == 0)
		json_decref(dns);
	return 0;
}
