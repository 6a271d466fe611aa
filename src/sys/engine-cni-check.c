// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The CNI pipelines that look rather than make: CHECK (one attachment against
 * its record and prevResult), STATUS (could an ADD be served), GC (every
 * attachment not listed goes as by DEL), and a CNI network as nsnet's status
 * and check see it (the topology of its records; what each attachment is
 * missing). See engine-cni.h.
 */
#include <errno.h>
#include <linux/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cni-state.h"
#include "core/cni-plan.h"
#include "core/owner.h"
#include "engine-cni-internal.h"
#include "nft.h"
#include "rtnl.h"

/* What the kernel holds of one attachment (cni-plan.h's struct cni_observed, filled). */
struct seen_one {
	struct cni_observed o;
	struct netstate *ctr; /* owned */
	bool *present;	      /* owned */
};

static void seen_one_clear(struct seen_one *s)
{
	netstate_free(s->ctr);
	free(s->present);
	memset(s, 0, sizeof(*s));
}

static bool table_exists(const char *network)
{
	char table[OWNER_ALIAS_MAX + 8], comment[8];

	owner_table(network, table, sizeof(table));
	return nft_table_comment(OWNER_TABLE_FAMILY, table, comment, sizeof(comment), NULL) >= 0;
}

/* Whether a's subnets are in the table's NAT sets (what masquerades them). */
static bool masqueraded(const struct cni_attachment *a)
{
	char table[OWNER_ALIAS_MAX + 8], out[4096];

	owner_table(a->network, table, sizeof(table));
	for (size_t i = 0; i < a->n_ips; i++) {
		struct inet_prefix net = inet_prefix_network(&a->ips[i].address);
		char s[PREFIX_STR_MAX];

		inet_prefix_format(&net, s, sizeof(s));
		if (nft_element_get(OWNER_TABLE_FAMILY, table,
				    net.addr.family == AF_INET6 ? "nat6" : "nat4", s, out, sizeof(out),
				    NULL) < 0)
			return false;
	}
	return true;
}

/*
 * Reads what matters to a: its container (by path, as nsctx entry label),
 * the table, its NAT, its elements. host is the host's links, read once.
 */
static int observe_one(struct cnirun *x, const struct cni_attachment *a, const char *label,
		       const struct netstate *host, bool table, struct seen_one *s)
{
	struct error err = {0};
	struct nl_sock *ns;

	memset(s, 0, sizeof(*s));
	s->o.host = host;
	s->o.table = table;
	s->present = calloc(a->n_maps + 1, sizeof(*s->present));
	if (!s->present)
		return -ENOMEM;
	s->o.present = s->present;
	if (table) {
		s->o.masquerade = !a->ip_masq || masqueraded(a);
		for (size_t i = 0; i < a->n_maps; i++)
			s->present[i] = cnirun_element_ours(a, &a->maps[i]);
	}
	/* A namespace that is gone (or was never given) leaves the container unknown. */
	if (!a->netns[0] || cnirun_netns(x, a->netns, label, &err) < 0 ||
	    nsctx_get(x->c, label, &ns, NULL, &err) < 0)
		return 0;
	s->ctr = netstate_new();
	if (!s->ctr)
		return -ENOMEM;
	if (nl_observe(ns, s->ctr, NL_OBSERVE_LINKS | NL_OBSERVE_ADDRS | NL_OBSERVE_ROUTES, &err) <
	    0) {
		netstate_free(s->ctr);
		s->ctr = NULL;
	}
	s->o.ctr = s->ctr;
	return 0;
}

static int observe_host(struct cnirun *x, struct netstate **ret, struct cni_error *ce)
{
	struct netstate *st = netstate_new();
	struct error err = {0};

	if (!st)
		return cni_fail(ce, CNI_ERR_IO, "out of memory");
	if (nl_observe(x->host, st, NL_OBSERVE_LINKS | NL_OBSERVE_ADDRS | NL_OBSERVE_ROUTES, &err) <
	    0) {
		netstate_free(st);
		return cni_fail_error(ce, CNI_ERR_KERNEL, &err);
	}
	*ret = st;
	return 0;
}

static bool same_ips(const struct cni_ip *a, size_t na, const struct cni_ip *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++) {
		bool found = false;

		for (size_t k = 0; k < nb; k++)
			found = found || (a[i].address.len == b[k].address.len &&
					  inet_addr_equal(&a[i].address.addr, &b[k].address.addr));
		if (!found)
			return false;
	}
	return true;
}

static int check_one(struct cnirun *x, const struct cni_attachment *a, struct cni_error *ce)
{
	const struct cni_request *rq = x->rq;
	_cleanup_(netstate_freep) struct netstate *host = NULL;
	_cleanup_(plan_freep) struct plan *p = calloc(1, sizeof(*p));
	char label[NETNS_NAME_MAX + 1], what[512];
	struct cni_ip prev_ips[CNI_IPS_MAX];
	uint8_t prev_mac[MAC_LEN];
	const uint8_t *mac = a->mac;
	struct seen_one s = {0};
	struct error err = {0};
	size_t n_prev = 0;
	bool has_mac = false;
	const struct ns_link *l;
	int r;

	if (!p)
		return cni_fail(ce, CNI_ERR_IO, "out of memory");
	/* prevResult is what the chain's ADD gave: a later plugin (tuning) may have changed the MAC. */
	if (rq->prev && cni_prev_iface(rq->prev, a->ifname, a->netns, prev_mac, &has_mac, prev_ips,
				       &n_prev)) {
		if (!same_ips(prev_ips, n_prev, a->ips, a->n_ips))
			return cni_fail(ce, CNI_ERR_CHECK, "prevResult's addresses of '%s' are not the "
					"ones nsnet attached", a->ifname);
		if (has_mac)
			mac = prev_mac;
	}
	cni_label(a->container_id, a->ifname, label);
	if (observe_host(x, &host, ce) < 0)
		return -1;
	r = observe_one(x, a, label, host, table_exists(x->net), &s);
	if (r >= 0)
		r = cni_plan_drift(a, label, &s.o, p, &err);
	if (r < 0) {
		seen_one_clear(&s);
		return cni_fail(ce, CNI_ERR_IO, "out of memory");
	}
	l = s.ctr ? netstate_link_by_name(s.ctr, a->ifname) : NULL;
	if (!s.ctr)
		r = cni_fail(ce, CNI_ERR_CHECK, "container '%s': its network namespace %s cannot be "
			     "opened", a->container_id, a->netns);
	else if (p->n) {
		action_describe(&p->v[0], what, sizeof(what));
		r = cni_fail(ce, CNI_ERR_CHECK, "attachment of container '%s' to network '%s' is "
			     "missing: %s", a->container_id, x->net, what);
		if (p->n > 1)
			snprintf(ce->details, sizeof(ce->details), "%zu things are missing", p->n);
	} else if (l && (l->mac_len != MAC_LEN || memcmp(l->mac, mac, MAC_LEN) != 0)) {
		char want[MAC_STR_MAX], have[MAC_STR_MAX];

		mac_format(mac, MAC_LEN, want, sizeof(want));
		mac_format(l->mac, l->mac_len, have, sizeof(have));
		r = cni_fail(ce, CNI_ERR_CHECK, "interface '%s' of container '%s' has MAC %s, not %s",
			     a->ifname, a->container_id, have, want);
	}
	seen_one_clear(&s);
	if (r < 0)
		return -1;
	for (size_t i = 0; strcmp(a->ipam, "nsnet") == 0 && i < a->n_ips; i++)
		if (!ipam_lease_held(a->data_dir, x->net, &a->ips[i].address.addr, a->container_id,
				     a->ifname)) {
			inet_prefix_format(&a->ips[i].address, what, sizeof(what));
			return cni_fail(ce, CNI_ERR_CHECK, "the lease of %s (container '%s') is gone "
					"from %s", what, a->container_id, a->data_dir);
		}
	if (strcmp(a->ipam, "nsnet") != 0)
		return cnirun_delegate(x, "CHECK", NULL, NULL, ce);
	return 0;
}

int engine_cni_check(struct engine *e, const struct engine_cni_call *call, struct cni_error *ce)
{
	const struct cni_request *rq = call->rq;
	struct cni_attachment a = {0};
	struct error err = {0};
	struct cnirun x;
	int r;

	if (cnirun_start(&x, e, call, false, ce) < 0) {
		cnirun_end(&x);
		return -1;
	}
	r = cni_record_read(e->state_dir, x.net, rq->container_id, rq->ifname, &a, &err);
	if (r == -ENOENT)
		r = cni_fail(ce, CNI_ERR_UNKNOWN, "container '%s' interface '%s' is not attached to "
			     "network '%s'", rq->container_id, rq->ifname, x.net);
	else if (r < 0)
		r = cni_fail_error(ce, CNI_ERR_STATE, &err);
	else
		r = check_one(&x, &a, ce);
	cni_attachment_clear(&a);
	cnirun_end(&x);
	return r < 0 ? -1 : 0;
}

static void count_lease(const struct inet_addr *a, const char *cid, const char *ifn, void *data)
{
	(void)a;
	(void)cid;
	(void)ifn;
	(*(uint64_t *)data)++;
}

static int status_run(struct cnirun *x, struct cni_error *ce)
{
	const struct cni_conf *c = &x->rq->conf;
	_cleanup_(netstate_freep) struct netstate *st = netstate_new();
	bool attached = cni_records_other(x->e->state_dir, x->net, NULL, NULL);
	struct error err = {0};
	int r;

	if (!st)
		return cni_fail(ce, CNI_ERR_IO, "out of memory");
	if (c->ipam.own) {
		struct ipam_pool p;
		uint64_t used = 0;

		if (ipam_pool_init(&c->ipam, &p, &err) < 0)
			return cni_fail_error(ce, CNI_ERR_UNAVAILABLE, &err);
		if (ipam_leases_each(c->ipam.data_dir, x->net, count_lease, &used, &err) < 0)
			return cni_fail_error(ce, CNI_ERR_UNAVAILABLE, &err);
		if (used >= ipam_pool_size(&p))
			return cni_fail(ce, CNI_ERR_UNAVAILABLE, "network '%s': no free address left "
					"(%llu leases in %s/%s)", x->net, (unsigned long long)used,
					c->ipam.data_dir, x->net);
	}
	r = nl_observe_link(x->host, c->bridge, st, &err);
	if (r < 0 && r != -ENODEV)
		return cni_fail_error(ce, CNI_ERR_UNAVAILABLE, &err);
	if (r >= 0 && (strcmp(st->links[0].kind, "bridge") != 0 ||
		       !cnirun_link_ours(x, &st->links[0], attached)))
		return cni_fail(ce, CNI_ERR_UNAVAILABLE, "bridge '%s' of network '%s': a link of that "
				"name exists and is not nsnet's bridge of this network", c->bridge,
				x->net);
	if (attached && (r < 0 || !(st->links[0].flags & IFF_UP)))
		return cni_fail(ce, CNI_ERR_DEGRADED, "bridge '%s' of network '%s' is %s while "
				"containers are attached", c->bridge, x->net, r < 0 ? "gone" : "down");
	if (attached && !table_exists(x->net))
		return cni_fail(ce, CNI_ERR_DEGRADED, "network '%s': its nft table is gone while "
				"containers are attached (no NAT, no port mappings)", x->net);
	if (!c->ipam.own)
		return cnirun_delegate(x, "STATUS", NULL, NULL, ce);
	return 0;
}

int engine_cni_status(struct engine *e, const struct engine_cni_call *call,
		      struct cni_error *ce)
{
	struct cnirun x;
	int r;

	/* Read-only: no lock, no directory made, nothing written. */
	r = cnirun_start(&x, e, call, false, ce);
	if (r >= 0)
		r = status_run(&x, ce);
	cnirun_end(&x);
	return r < 0 ? -1 : 0;
}

static bool is_valid(const struct cni_request *rq, const char *cid, const char *ifname)
{
	for (size_t i = 0; i < rq->n_valid; i++)
		if (strcmp(rq->valid[i].container_id, cid) == 0 &&
		    strcmp(rq->valid[i].ifname, ifname) == 0)
			return true;
	return false;
}

struct stale {
	struct cnirun *x;
	struct inet_addr *v;
	size_t n;
};

static void stale_lease(const struct inet_addr *a, const char *cid, const char *ifn, void *data)
{
	struct stale *s = data;
	struct inet_addr *nv;

	if (cid[0] && is_valid(s->x->rq, cid, ifn))
		return;
	nv = realloc(s->v, (s->n + 1) * sizeof(*nv));
	if (!nv)
		return; /* left for the next GC */
	s->v = nv;
	nv[s->n++] = *a;
}

/* With no attachment left, the bridge (if no port is on it) and the table go too. */
static int gc_network(struct cnirun *x, struct cni_error *ce)
{
	struct cni_attachment none = {0};
	struct cni_seen seen = {.last = true};
	_cleanup_(netstate_freep) struct netstate *st = netstate_new();
	_cleanup_(plan_freep) struct plan *p = NULL;
	struct apply_opts ao = {0};
	struct apply_report rep;
	struct error err = {0};
	size_t ports = 0;
	int r;

	if (!st)
		return cni_fail(ce, CNI_ERR_IO, "out of memory");
	snprintf(none.network, sizeof(none.network), "%s", x->net);
	snprintf(none.bridge, sizeof(none.bridge), "%s", x->rq->conf.bridge);
	r = nl_observe_link(x->host, none.bridge, st, &err);
	if (r >= 0 && strcmp(st->links[0].kind, "bridge") == 0 &&
	    cnirun_link_ours(x, &st->links[0], false) &&
	    nl_bridge_port_count(x->host, st->links[0].ifindex, &ports, &err) >= 0 && !ports)
		seen.bridge = true;
	else if (r >= 0)
		return 0; /* something of it is still in use, or is not ours */
	if (!seen.bridge && !table_exists(x->net))
		return 0;
	r = cni_plan_del(&none, &seen, &p, &err);
	if (r >= 0)
		r = apply_plan(x->c, p, &ao, &rep, NULL, &err);
	return r < 0 ? cni_fail_error(ce, CNI_ERR_KERNEL, &err) : 0;
}

static int gc_run(struct cnirun *x, struct cni_error *ce)
{
	const struct cni_conf *c = &x->rq->conf;
	struct cni_attachment *v = NULL;
	struct stale st = {x, NULL, 0};
	struct error err = {0};
	struct cni_error one = {0};
	size_t n = 0;
	int fail = 0;

	if (cni_records_load(x->e->state_dir, x->net, &v, &n, NULL, NULL, NULL, &err) < 0)
		return cni_fail_error(ce, CNI_ERR_STATE, &err);
	/* The spec: keep going past failures, remove as much as can be, report the first. */
	for (size_t i = 0; i < n; i++)
		if (!is_valid(x->rq, v[i].container_id, v[i].ifname) &&
		    cnirun_del_one(x, &v[i], true, false, fail ? &one : ce) < 0)
			fail = -1;
	cni_attachments_free(v, n);
	if (c->ipam.own) {
		(void)ipam_leases_each(c->ipam.data_dir, x->net, stale_lease, &st, NULL);
		for (size_t i = 0; i < st.n; i++)
			if (ipam_lease_drop(c->ipam.data_dir, x->net, &st.v[i], &err) < 0 && !fail)
				fail = cni_fail_error(ce, CNI_ERR_STATE, &err);
		free(st.v);
		ipam_leases_tidy(c->ipam.data_dir, x->net);
	} else if (c->has_ipam && cnirun_delegate(x, "GC", NULL, NULL, fail ? &one : ce) < 0) {
		fail = -1;
	}
	if (!cni_records_other(x->e->state_dir, x->net, NULL, NULL) &&
	    gc_network(x, fail ? &one : ce) < 0)
		fail = -1;
	return fail;
}

int engine_cni_gc(struct engine *e, const struct engine_cni_call *call, struct cni_error *ce)
{
	struct cnirun x;
	int r;

	r = cnirun_start(&x, e, call, true, ce);
	if (r >= 0)
		r = gc_run(&x, ce);
	cnirun_end(&x);
	return r < 0 ? -1 : 0;
}

int engine_cni_topology(struct engine *e, const char *name, struct topology **ret, char *file,
			size_t len, struct error *err)
{
	struct cni_attachment *v = NULL;
	size_t n = 0;
	int r;

	r = cni_records_load(e->state_dir, name, &v, &n, NULL, NULL, NULL, err);
	if (r < 0)
		return r;
	if (!n) {
		cni_attachments_free(v, n);
		return -ENOENT;
	}
	if (file)
		cni_records_path(e->state_dir, name, file, len);
	r = cni_topology_build(name, v, n, ret, err);
	cni_attachments_free(v, n);
	return r;
}

/* One attachment's container, as a namespace of the network's world. */
static int world_add(struct world *w, const char *network, const char *label,
		     struct netstate **st)
{
	struct world_ns *nv = realloc(w->ns, (w->n_ns + 1) * sizeof(*nv));

	if (!nv)
		return -ENOMEM;
	w->ns = nv;
	memset(&nv[w->n_ns], 0, sizeof(nv[0]));
	snprintf(nv[w->n_ns].name, sizeof(nv[0].name), "%s", label);
	snprintf(nv[w->n_ns].owner, sizeof(nv[0].owner), "%s", network);
	nv[w->n_ns].marked = true;
	nv[w->n_ns].st = *st ? *st : netstate_new();
	*st = NULL;
	if (!nv[w->n_ns].st)
		return -ENOMEM;
	w->n_ns++;
	return 0;
}

static int network_status(struct cnirun *x, struct engine_result *res, struct error *err)
{
	struct cni_attachment *v = NULL;
	struct cni_error ce = {0};
	struct world *w;
	size_t n = 0;
	int r;

	res->plan = calloc(1, sizeof(*res->plan));
	res->world = w = calloc(1, sizeof(*w));
	if (!res->plan || !w)
		return error_set(err, -ENOMEM, "out of memory");
	snprintf(res->plan->topology, sizeof(res->plan->topology), "%s", x->net);
	w->ip_forward = -1;
	if (observe_host(x, &w->host, &ce) < 0)
		return error_set(err, -EIO, "%s", ce.msg);
	w->fw_exists = table_exists(x->net);
	r = cni_records_load(x->e->state_dir, x->net, &v, &n, NULL, NULL, NULL, err);
	for (size_t i = 0; r >= 0 && i < n; i++) {
		char label[NETNS_NAME_MAX + 1];
		struct seen_one s;

		cni_label(v[i].container_id, v[i].ifname, label);
		r = observe_one(x, &v[i], label, w->host, w->fw_exists, &s);
		if (r >= 0)
			r = cni_plan_drift(&v[i], label, &s.o, res->plan, err);
		if (r >= 0)
			r = world_add(w, x->net, label, &s.ctr);
		seen_one_clear(&s);
		if (r == -ENOMEM)
			error_set(err, -ENOMEM, "out of memory");
	}
	cni_attachments_free(v, n);
	res->recorded = true;
	return r;
}

int engine_cni_network_status(struct engine *e, const char *name, struct engine_result *res,
			      struct error *err)
{
	struct cni_request rq = {0};
	struct engine_cni_call call = {.rq = &rq};
	struct cni_error ce = {0};
	struct cnirun x;
	int r;

	memset(res, 0, sizeof(*res));
	snprintf(rq.conf.name, sizeof(rq.conf.name), "%s", name);
	r = cnirun_start(&x, e, &call, false, &ce);
	if (r < 0)
		r = error_set(err, -EIO, "%s", ce.msg);
	else
		r = network_status(&x, res, err);
	cnirun_end(&x);
	if (r < 0)
		engine_result_clear(res);
	return r;
}
