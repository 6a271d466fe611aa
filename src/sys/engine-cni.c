// SPDX-License-Identifier: GPL-2.0-or-later
/* The CNI pipelines ADD and DEL, and what the others share: see engine-cni.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cni-state.h"
#include "core/cni-plan.h"
#include "core/owner.h"
#include "engine-cni-internal.h"
#include "netns.h"
#include "nft.h"
#include "rtnl.h"
#include "state.h"
#include "sysctl.h"

void engine_cni_result_clear(struct engine_cni_result *res)
{
	cni_attachment_clear(&res->a);
	json_decref(res->dns);
	memset(res, 0, sizeof(*res));
}

int cnirun_start(struct cnirun *x, struct engine *e, const struct engine_cni_call *call,
		 bool lock, struct cni_error *ce)
{
	struct error err = {0};
	int r;

	memset(x, 0, sizeof(*x));
	x->e = e;
	x->call = call;
	x->rq = call->rq;
	x->lock = -1;
	x->old_fault = fault_use(&e->fault);
	snprintf(x->net, sizeof(x->net), "%s", x->rq->conf.name);
	owner_alias(x->net, x->alias, sizeof(x->alias));
	r = nsctx_new(&x->c, &err);
	if (r >= 0)
		r = nsctx_get(x->c, "", &x->host, NULL, &err);
	if (r >= 0 && lock) {
		r = lock_take_within(e->state_dir, x->net, x->rq->conf.lock_timeout_ms, &x->lock,
				     &err);
		if (r < 0)
			error_prefix(&err, "network '%s'", x->net);
	}
	/* Held too long, or replaced under us again and again: transient, say so (code 11). */
	if (r == -ETIMEDOUT || r == -EAGAIN)
		return cni_fail_error(ce, CNI_ERR_AGAIN, &err);
	if (r < 0)
		return cni_fail_error(ce, CNI_ERR_STATE, &err);
	return 0;
}

void cnirun_end(struct cnirun *x)
{
	if (x->lock >= 0)
		lock_release(x->e->state_dir, x->net, x->lock,
			     !cni_records_other(x->e->state_dir, x->net, NULL, NULL));
	nsctx_free(x->c);
	fault_use(x->old_fault);
	memset(x, 0, sizeof(*x));
}

bool cnirun_link_ours(const struct cnirun *x, const struct ns_link *l, bool claimed)
{
	/* Made by nsnet but killed before its mark: ours if a record names it (owner.h). */
	if (!l->alias[0])
		return claimed && l->group == OWNER_GROUP;
	return owner_alias_is(l->alias, x->net);
}

int cnirun_delegate(struct cnirun *x, const char *command, char **out, size_t *out_len,
		    struct cni_error *ce)
{
	const struct engine_cni_delegate *d = x->call->delegate;
	const char *type = x->rq->conf.ipam.type;
	struct error err = {0};
	_cleanup_free_ char *o = NULL;
	size_t n = 0;
	int status;

	if (!d)
		return cni_fail(ce, CNI_ERR_DELEGATE, "ipam type '%s': delegation is not available",
				type);
	if (!x->rq->path[0])
		return cni_fail(ce, CNI_ERR_ENV, "required env variables [CNI_PATH] missing (ipam "
				"type '%s' is a plugin to find there)", type);
	status = d->run(type, command, x->call->conf, x->call->len, &o, &n, &err, d->data);
	if (status < 0)
		return cni_fail(ce, CNI_ERR_DELEGATE, "ipam plugin '%s' (%s): %s", type, command,
				err.msg);
	if (status) {
		json_t *j = o ? json_loadb(o, n, 0, NULL) : NULL;
		const char *msg = json_string_value(json_object_get(j, "msg"));
		const char *det = json_string_value(json_object_get(j, "details"));
		json_int_t code = json_integer_value(json_object_get(j, "code"));

		/* Its own error object, passed through (libcni's reading of a failed plugin). */
		cni_fail(ce, code > 0 && code < 1000 ? (int)code : CNI_ERR_DELEGATE,
			 "ipam plugin '%s' (%s): %s", type, command,
			 msg ? msg : "failed with no error object");
		if (det)
			snprintf(ce->details, sizeof(ce->details), "%s", det);
		if (!msg)
			snprintf(ce->details, sizeof(ce->details), "exit status %d", status);
		json_decref(j);
		return -1;
	}
	if (out) {
		*out = TAKE_PTR(o);
		*out_len = n;
	}
	return 0;
}

static void random_mac(uint8_t mac[MAC_LEN])
{
	if (getrandom(mac, MAC_LEN, 0) != MAC_LEN)
		memset(mac, 0x5a, MAC_LEN);
	mac[0] = (uint8_t)((mac[0] & 0xfe) | 0x02); /* unicast, locally administered */
}

/* The attachment ADD makes, before any address: names, MACs, what the configuration says. */
static int attachment_new(struct cnirun *x, struct cni_attachment *a, struct cni_error *ce)
{
	const struct cni_request *rq = x->rq;
	const struct cni_conf *c = &rq->conf;

	memset(a, 0, sizeof(*a));
	snprintf(a->network, sizeof(a->network), "%s", x->net);
	snprintf(a->container_id, sizeof(a->container_id), "%s", rq->container_id);
	snprintf(a->ifname, sizeof(a->ifname), "%s", rq->ifname);
	snprintf(a->netns, sizeof(a->netns), "%s", rq->netns);
	cni_host_ifname(x->net, rq->container_id, rq->ifname, a->host_ifname);
	snprintf(a->bridge, sizeof(a->bridge), "%s", c->bridge);
	a->mtu = c->mtu;
	a->is_gateway = c->is_gateway;
	a->ip_masq = c->ip_masq;
	a->hairpin = c->hairpin;
	if (rq->has_mac)
		memcpy(a->mac, rq->mac, MAC_LEN);
	else
		random_mac(a->mac);
	random_mac(a->host_mac);
	snprintf(a->ipam, sizeof(a->ipam), "%s", c->ipam.type);
	if (c->ipam.own)
		snprintf(a->data_dir, sizeof(a->data_dir), "%s", c->ipam.data_dir);
	if (rq->n_maps) {
		a->maps = calloc(rq->n_maps, sizeof(*a->maps));
		if (!a->maps)
			return cni_fail(ce, CNI_ERR_IO, "out of memory");
		memcpy(a->maps, rq->maps, rq->n_maps * sizeof(*a->maps));
		a->n_maps = rq->n_maps;
	}
	return 0;
}

/* Gives back what nsnet's IPAM handed a (or runs the delegate's DEL); keeps going. */
int cnirun_addresses_release(struct cnirun *x, const struct cni_attachment *a, bool delegated,
			     struct cni_error *ce)
{
	struct error err = {0};
	int r = 0;

	if (!delegated) {
		for (size_t i = 0; a->data_dir[0] && i < a->n_ips; i++)
			if (ipam_lease_release(a->data_dir, a->network, &a->ips[i].address.addr,
					       a->container_id, a->ifname, &err) < 0 && !r)
				r = cni_fail_error(ce, CNI_ERR_STATE, &err);
		if (a->data_dir[0])
			ipam_leases_tidy(a->data_dir, a->network);
		return r;
	}
	return cnirun_delegate(x, "DEL", NULL, NULL, ce);
}

/* Addresses from nsnet's pool: the ones asked for, else the next free one. */
static int own_addresses(struct cnirun *x, struct cni_attachment *a, struct cni_error *ce)
{
	const struct cni_request *rq = x->rq;
	const struct cni_ipam *ip = &rq->conf.ipam;
	struct ipam_pool p;
	struct error err = {0};
	size_t want = rq->n_ips ? rq->n_ips : 1;

	if (ipam_pool_init(ip, &p, &err) < 0)
		return cni_fail_error(ce, CNI_ERR_CONFIG, &err);
	for (size_t i = 0; i < rq->n_ips; i++) {
		const struct inet_prefix *q = &rq->ips[i];
		char s[PREFIX_STR_MAX];

		inet_prefix_format(q, s, sizeof(s));
		if (!ipam_pool_has(&p, &q->addr) || (q->len && q->len != p.subnet.len))
			return cni_fail(ce, CNI_ERR_CONFIG, "address %s: not one the pool of network "
					"'%s' hands out", s, x->net);
	}
	for (size_t i = 0; i < want; i++) {
		struct inet_addr got;
		int r = ipam_lease_take(ip->data_dir, x->net, &p, rq->n_ips ? &rq->ips[i].addr : NULL,
					a->container_id, a->ifname, &got, &err);

		if (r < 0) {
			cnirun_addresses_release(x, a, false, NULL);
			return cni_fail_error(ce, r == -EADDRINUSE || r == -ENOSPC ? CNI_ERR_ADDRESS
										 : CNI_ERR_STATE,
					      &err);
		}
		a->ips[a->n_ips++] = (struct cni_ip){{got, p.subnet.len}, p.gateway};
	}
	for (size_t i = 0; i < ip->n_routes; i++) {
		a->routes[a->n_routes] = ip->routes[i];
		if (!a->routes[a->n_routes].gw.family)
			a->routes[a->n_routes].gw = p.gateway;
		a->n_routes++;
	}
	return 0;
}

/* Addresses from the delegated IPAM plugin: its ADD (and its DEL if its answer is nonsense). */
static int delegated_addresses(struct cnirun *x, struct cni_attachment *a, json_t **ret_dns,
			       struct cni_error *ce)
{
	_cleanup_free_ char *out = NULL;
	size_t n = 0;

	if (cnirun_delegate(x, "ADD", &out, &n, ce) < 0) {
		/* The spec: a failed delegated ADD is followed by its DEL. */
		cnirun_delegate(x, "DEL", NULL, NULL, NULL);
		return -1;
	}
	if (cni_ipam_result_parse(out, n, a->ips, &a->n_ips, a->routes, &a->n_routes, ret_dns,
				  ce) < 0) {
		cnirun_delegate(x, "DEL", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}

/* What ADD looks at: the bridge, the interface name in the container, the host end's name. */
static int add_observe(struct cnirun *x, const struct cni_attachment *a, const char *label,
		       struct cni_seen *seen, struct cni_error *ce)
{
	_cleanup_(netstate_freep) struct netstate *st = netstate_new();
	struct error err = {0};
	struct nl_sock *ctr;
	const struct ns_link *l;
	int r;

	if (!st)
		return cni_fail(ce, CNI_ERR_IO, "out of memory");
	r = nl_observe_link(x->host, a->bridge, st, &err);
	if (r < 0 && r != -ENODEV)
		return cni_fail_error(ce, CNI_ERR_KERNEL, &err);
	seen->ip_forward = sysctl_get(SYSCTL_IP_FORWARD);
	/*
	 * The bridge's dump says whether the kernel has IPv6 (its accept_ra in
	 * IFLA_INET6_CONF): a /proc/sys lookup costs O(namespaces) in the kernel's
	 * dcache (proc_sys_compare), half a millisecond at a thousand containers.
	 */
	seen->ipv6 = r >= 0 ? st->links[0].has_accept_ra :
			      sysctl_get("net/ipv6/conf/default/accept_ra") >= 0;
	random_mac(seen->bridge_mac);
	if (r >= 0) {
		l = &st->links[0];
		if (strcmp(l->kind, "bridge") != 0 ||
		    !cnirun_link_ours(x, l, cni_records_other(x->e->state_dir, x->net, NULL, NULL)))
			return cni_fail(ce, CNI_ERR_BRIDGE, "bridge '%s' of network '%s': a link of "
					"that name exists and is not nsnet's bridge of this network "
					"(alias '%s', kind '%s')", a->bridge, x->net, l->alias,
					l->kind);
		seen->bridge = true;
		if (l->mac_len == MAC_LEN)
			memcpy(seen->bridge_mac, l->mac, MAC_LEN);
		r = nl_observe_addrs_of(x->host, l->ifindex, st, &err);
		if (r < 0)
			return cni_fail_error(ce, CNI_ERR_KERNEL, &err);
		for (size_t i = 0; i < st->n_addrs && i < TOPOLOGY_ADDRS_MAX; i++)
			seen->bridge_addrs[seen->n_bridge_addrs++] = st->addrs[i].prefix;
	}
	r = nsctx_get(x->c, label, &ctr, NULL, &err);
	if (r >= 0)
		r = nl_observe_link(ctr, a->ifname, st, &err);
	if (r >= 0)
		return cni_fail(ce, CNI_ERR_EXISTS, "interface '%s' exists already in %s (a runtime "
				"must not ADD twice)", a->ifname, a->netns);
	if (r != -ENODEV)
		return cni_fail_error(ce, CNI_ERR_KERNEL, &err);
	r = nl_observe_link(x->host, a->host_ifname, st, &err);
	if (r >= 0)
		return cni_fail(ce, CNI_ERR_EXISTS, "host link '%s' (of container '%s', interface "
				"'%s') exists already: DEL it first", a->host_ifname,
				a->container_id, a->ifname);
	if (r != -ENODEV)
		return cni_fail_error(ce, CNI_ERR_KERNEL, &err);
	return 0;
}

/* The container's namespace, by its path, as nsctx entry label; never our own. */
int cnirun_netns(struct cnirun *x, const char *path, const char *label, struct error *err)
{
	struct stat self, ns;
	int fd, r;

	r = netns_open_path(path, &fd, err);
	if (r < 0)
		return r;
	if (fstat(fd, &ns) == 0 && stat("/proc/thread-self/ns/net", &self) == 0 &&
	    ns.st_ino == self.st_ino && ns.st_dev == self.st_dev) {
		close(fd);
		return error_set(err, -EINVAL, "network namespace %s: is the plugin's own, not a "
				 "container's", path);
	}
	return nsctx_adopt(x->c, label, fd, err);
}

/* A kernel failure as a CNI error: a host port mapped already has a code of its own. */
static int apply_failed(const struct cni_attachment *a, const struct plan *p,
			const struct apply_report *rep, const struct error *err,
			struct cni_error *ce)
{
	if (p->v[rep->failed_at].type == ACT_FW_ELEMENTS && err->code == -EEXIST)
		return cni_fail(ce, CNI_ERR_PORT, "a host port of container '%s' is mapped already "
				"(on this host, by another container): %s", a->container_id,
				err->msg);
	cni_fail_error(ce, CNI_ERR_KERNEL, err);
	if (rep->undo_failed)
		snprintf(ce->details, sizeof(ce->details), "the rollback failed too: %.900s",
			 rep->undo_error);
	return -1;
}

static int add_locked(struct cnirun *x, struct engine_cni_result *res, struct cni_error *ce)
{
	const struct cni_request *rq = x->rq;
	struct apply_opts ao = {.stop_on_error = true};
	struct cni_attachment *a = &res->a;
	_cleanup_(plan_freep) struct plan *p = NULL;
	char label[NETNS_NAME_MAX + 1];
	struct cni_attachment old = {0};
	struct apply_report rep = {0};
	struct cni_seen seen = {0};
	struct error err = {0};
	bool own = rq->conf.ipam.own;
	int r;

	if (state_exists(x->e->state_dir, x->net))
		return cni_fail(ce, CNI_ERR_CONFIG, "network '%s': a topology of that name is up "
				"(nsnet up): a CNI network needs a name of its own", x->net);
	r = cni_record_read(x->e->state_dir, x->net, rq->container_id, rq->ifname, &old, &err);
	cni_attachment_clear(&old);
	if (r >= 0)
		return cni_fail(ce, CNI_ERR_EXISTS, "container '%s' interface '%s' is attached to "
				"network '%s' already (a runtime must DEL before it ADDs again)",
				rq->container_id, rq->ifname, x->net);
	if (r != -ENOENT)
		return cni_fail_error(ce, CNI_ERR_STATE, &err);
	if (attachment_new(x, a, ce) < 0)
		return -1;
	cni_label(rq->container_id, rq->ifname, label);
	if (cnirun_netns(x, rq->netns, label, &err) < 0)
		return cni_fail(ce, CNI_ERR_ENV, "CNI_NETNS: %s", err.msg);
	if (add_observe(x, a, label, &seen, ce) < 0)
		return -1;
	if ((own ? own_addresses(x, a, ce) : delegated_addresses(x, a, &res->dns, ce)) < 0)
		return -1;
	r = cni_record_write(x->e->state_dir, a, &err);
	if (r >= 0)
		r = cni_plan_add(a, label, &seen, &p, &err);
	if (r < 0) {
		cni_record_remove(x->e->state_dir, x->net, a->container_id, a->ifname, NULL);
		cnirun_addresses_release(x, a, !own, NULL);
		return cni_fail_error(ce, CNI_ERR_STATE, &err);
	}
	r = apply_plan(x->c, p, &ao, &rep, NULL, &err);
	if (r < 0) {
		/* Rolled back already: what is left is the record and the addresses. */
		cni_record_remove(x->e->state_dir, x->net, a->container_id, a->ifname, NULL);
		cnirun_addresses_release(x, a, !own, NULL);
		return apply_failed(a, p, &rep, &err, ce);
	}
	memcpy(res->bridge_mac, seen.bridge_mac, MAC_LEN);
	return 0;
}

int engine_cni_add(struct engine *e, const struct engine_cni_call *call,
		   struct engine_cni_result *res, struct cni_error *ce)
{
	struct cnirun x;
	int r;

	memset(res, 0, sizeof(*res));
	if (cnirun_start(&x, e, call, true, ce) < 0) {
		cnirun_end(&x);
		return -1;
	}
	r = add_locked(&x, res, ce);
	cnirun_end(&x);
	if (r < 0)
		engine_cni_result_clear(res);
	return r;
}

/* Leases held by the attachment, for a DEL that found no record. */
struct held {
	struct cni_attachment *a;
	const char *cid, *ifname;
};

static void held_one(const struct inet_addr *addr, const char *cid, const char *ifn, void *data)
{
	struct held *h = data;

	if (strcmp(cid, h->cid) == 0 && strcmp(ifn, h->ifname) == 0 && h->a->n_ips < CNI_IPS_MAX)
		h->a->ips[h->a->n_ips++].address = (struct inet_prefix){*addr,
									  addr->family == AF_INET ? 32 : 128};
}

/*
 * Without a record (a reboot of /run, or an ADD killed before it wrote it):
 * what the configuration, the derived host end's name, the leases and
 * prevResult say. Only what carries our mark is then removed.
 */
static int attachment_guess(struct cnirun *x, struct cni_attachment *a, struct cni_error *ce)
{
	const struct cni_request *rq = x->rq;
	struct held h = {a, rq->container_id, rq->ifname};
	uint8_t mac[MAC_LEN];
	bool has_mac;

	if (attachment_new(x, a, ce) < 0)
		return -1;
	if (rq->conf.ipam.own)
		(void)ipam_leases_each(a->data_dir, x->net, held_one, &h, NULL);
	else if (rq->prev)
		cni_prev_iface(rq->prev, rq->ifname, "", mac, &has_mac, a->ips, &a->n_ips);
	return 0;
}

/*
 * Whether the element of mapping m of a is there and points at a: a DEL
 * without a record deletes only elements it can prove are this attachment's.
 */
bool cnirun_element_ours(const struct cni_attachment *a, const struct cni_mapping *m)
{
	const struct cni_ip *to = NULL;
	char table[OWNER_ALIAS_MAX + 8], key[INET_STR_MAX + 32], want[INET_STR_MAX + 16];
	char set[8], host[INET_STR_MAX], out[4096], addr[INET_STR_MAX];
	int fam = m->host_ip.family ? m->host_ip.family : AF_INET;

	for (size_t i = 0; !to && i < a->n_ips; i++)
		if (a->ips[i].address.addr.family == fam)
			to = &a->ips[i];
	if (!to)
		return false;
	owner_table(a->network, table, sizeof(table));
	inet_addr_format(&to->address.addr, addr, sizeof(addr));
	snprintf(set, sizeof(set), "fwd%s%s", fam == AF_INET ? "4" : "6", m->host_ip.family ? "h" : "");
	host[0] = '\0';
	if (m->host_ip.family)
		inet_addr_format(&m->host_ip, host, sizeof(host));
	snprintf(key, sizeof(key), "%s%s%s . %u", host, host[0] ? " . " : "",
		 m->proto == TOPOLOGY_PROTO_UDP ? "udp" : "tcp", m->host_port);
	snprintf(want, sizeof(want), ": %s . %u ", addr, m->container_port);
	return nft_element_get(OWNER_TABLE_FAMILY, table, set, key, out, sizeof(out), NULL) == 0 &&
	       strstr(out, want);
}

/* What DEL (and GC) look at: the host end, the bridge, whether a is the last. */
static int del_observe(struct cnirun *x, struct cni_attachment *a, bool recorded,
		       struct cni_seen *seen, struct cni_error *ce)
{
	_cleanup_(netstate_freep) struct netstate *st = netstate_new();
	struct error err = {0};
	const struct ns_link *br = NULL;
	size_t ports = 0;
	int r;

	if (!st)
		return cni_fail(ce, CNI_ERR_IO, "out of memory");
	r = nl_observe_link(x->host, a->host_ifname, st, &err);
	if (r >= 0)
		seen->host_link = cnirun_link_ours(x, &st->links[0], recorded);
	else if (r != -ENODEV)
		return cni_fail_error(ce, CNI_ERR_KERNEL, &err);
	seen->last = !cni_records_other(x->e->state_dir, x->net, a->container_id, a->ifname);
	if (!seen->last)
		return 0;
	r = nl_observe_link(x->host, a->bridge, st, &err);
	if (r >= 0)
		br = &st->links[st->n_links - 1];
	else if (r != -ENODEV)
		return cni_fail_error(ce, CNI_ERR_KERNEL, &err);
	/* Ports we did not record (a lost state directory) keep the bridge and its table. */
	if (br && nl_bridge_port_count(x->host, br->ifindex, &ports, &err) < 0)
		return cni_fail_error(ce, CNI_ERR_KERNEL, &err);
	if (ports > (seen->host_link && st->links[0].master == br->ifindex ? 1u : 0u))
		seen->last = false;
	seen->bridge = br && strcmp(br->kind, "bridge") == 0 && cnirun_link_ours(x, br, true);
	return 0;
}

int cnirun_del_one(struct cnirun *x, struct cni_attachment *a, bool recorded, bool ipam_del,
		   struct cni_error *ce)
{
	struct apply_opts ao = {0};
	_cleanup_(plan_freep) struct plan *p = NULL;
	struct cni_seen seen = {0};
	struct apply_report rep;
	struct error err = {0};
	bool delegated = strcmp(a->ipam, "nsnet") != 0;
	int r, fail = 0;

	if (!recorded) {
		size_t k = 0;

		for (size_t i = 0; i < a->n_maps; i++)
			if (cnirun_element_ours(a, &a->maps[i]))
				a->maps[k++] = a->maps[i];
		a->n_maps = k;
	}
	if (del_observe(x, a, recorded, &seen, ce) < 0)
		return -1;
	r = cni_plan_del(a, &seen, &p, &err);
	if (r >= 0 && p->n)
		r = apply_plan(x->c, p, &ao, &rep, NULL, &err);
	if (r < 0)
		fail = cni_fail_error(ce, CNI_ERR_KERNEL, &err);
	/*
	 * Addresses go back even when the kernel part failed: DEL must not be blocked. No
	 * IPAM named (a config ADD refused, cleaned up by the runtime): nothing to give back.
	 */
	if (a->ipam[0] && (!delegated || ipam_del) &&
	    cnirun_addresses_release(x, a, delegated, fail ? NULL : ce) < 0 && !fail)
		fail = -1;
	/* A DEL that could not finish keeps its record, so that the next one finishes it. */
	if (!fail && cni_record_remove(x->e->state_dir, x->net, a->container_id, a->ifname,
				       &err) < 0)
		fail = cni_fail_error(ce, CNI_ERR_STATE, &err);
	return fail;
}

int engine_cni_del(struct engine *e, const struct engine_cni_call *call, struct cni_error *ce)
{
	const struct cni_request *rq = call->rq;
	struct cni_attachment a = {0};
	struct error err = {0};
	struct cnirun x;
	bool recorded;
	int r;

	if (cnirun_start(&x, e, call, true, ce) < 0) {
		cnirun_end(&x);
		return -1;
	}
	r = cni_record_read(e->state_dir, x.net, rq->container_id, rq->ifname, &a, &err);
	recorded = r >= 0;
	if (!recorded)
		r = attachment_guess(&x, &a, ce);
	if (r >= 0)
		r = cnirun_del_one(&x, &a, recorded, true, ce);
	cni_attachment_clear(&a);
	cnirun_end(&x);
	return r < 0 ? -1 : 0;
}

bool engine_cni_network(struct engine *e, const char *network)
{
	return name_topology_check(network, NULL) == 0 &&
	       cni_records_other(e->state_dir, network, NULL, NULL);
}
