// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The facts of `nsnet doctor`: /proc/sys for forwarding, rp_filter and
 * br_netfilter, libnftables for other tools' drop chains (the same listing
 * `up` warns from), netlink dumps for the host's links and routes, and the
 * world of each topology as `status` observes it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/owner.h"
#include "doctor-facts.h"
#include "nft.h"
#include "rtnl.h"
#include "observe.h"
#include "probe.h"
#include "sysctl.h"

/* How long the remotes of bridges that span hosts get to answer (one ARP retry). */
#define VXLAN_PROBE_MS 1500

static void add_accept(bool out, const char *ifname, void *data)
{
	struct doctor_chain *ch = data;
	struct doctor_accept *v;

	if (strlen(ifname) > IFNAME_MAX)
		return; /* no interface has that name */
	v = realloc(ch->accepts, (ch->n_accepts + 1) * sizeof(*v));
	if (!v)
		return; /* then the chain counts as blocking: a finding too many, never one too few
			 */
	ch->accepts = v;
	v[ch->n_accepts].out = out;
	snprintf(v[ch->n_accepts].ifname, sizeof(v->ifname), "%s", ifname);
	ch->n_accepts++;
}

static int gather_chains(struct doctor_facts *f, struct error *err)
{
	_cleanup_free_ struct nft_chain_id *v = NULL;
	size_t n;
	int r;

	r = nft_drop_chains("forward", OWNER_TABLE_PREFIX, &v, &n, err);
	if (r < 0)
		return error_prefix(err, "foreign forward chains");
	f->drop_chains = calloc(n ? n : 1, sizeof(*f->drop_chains));
	if (!f->drop_chains)
		return error_set(err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		struct doctor_chain *d = &f->drop_chains[i];

		snprintf(d->family, sizeof(d->family), "%s", v[i].family);
		snprintf(d->table, sizeof(d->table), "%s", v[i].table);
		snprintf(d->name, sizeof(d->name), "%s", v[i].name);
		/* Unreadable rules (the chain went away meanwhile): none accepted. */
		(void)nft_chain_accepts(d->family, d->table, d->name, add_accept, d, NULL);
	}
	f->n_drop_chains = n;
	return 0;
}

/* rp_filter of every bridge on the host: the only interfaces the checks ask about. */
static int gather_rp_filter(struct doctor_facts *f, struct error *err)
{
	f->rp_filter = calloc(f->host->n_links ? f->host->n_links : 1, sizeof(*f->rp_filter));
	if (!f->rp_filter)
		return error_set(err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < f->host->n_links; i++) {
		const struct ns_link *l = &f->host->links[i];
		struct doctor_rp_filter *d;
		char key[96];

		if (strcmp(l->kind, "bridge") != 0)
			continue;
		d = &f->rp_filter[f->n_rp_filter++];
		snprintf(d->ifname, sizeof(d->ifname), "%s", l->name);
		sysctl_iface_key("ipv4", l->name, "rp_filter", key, sizeof(key));
		d->value = sysctl_get(key);
	}
	return 0;
}

/*
 * The remotes of every bridge of the topologies' files that spans hosts and
 * is up (its device exists), each probed (probe-vxlan.c) unless the host has
 * no way to it.
 */
static int gather_vxlan(struct doctor_facts *f, struct error *err)
{
	size_t n = 0;

	for (size_t t = 0; t < f->n_topos; t++)
		for (size_t b = 0; f->topos[t].want && b < f->topos[t].want->n_bridges; b++)
			if (f->topos[t].want->bridges[b].vxlan)
				n += f->topos[t].want->bridges[b].vxlan->n_remotes;
	if (!n)
		return 0;
	f->vxlan = calloc(n, sizeof(*f->vxlan));
	if (!f->vxlan)
		return error_set(err, -ENOMEM, "out of memory");
	for (size_t t = 0; t < f->n_topos; t++) {
		const struct doctor_topo *dt = &f->topos[t];

		for (size_t b = 0; dt->want && dt->have && b < dt->want->n_bridges; b++) {
			const struct topology_bridge *br = &dt->want->bridges[b];
			const struct topology_vxlan *vx = br->vxlan;

			if (!vx || !world_vxlan_find(dt->have, vx->name))
				continue;
			for (size_t k = 0; k < vx->n_remotes; k++) {
				struct doctor_vxlan_remote *v = &f->vxlan[f->n_vxlan++];
				const struct inet_addr *a = &vx->remotes[k].prefix.addr;

				v->topo = t;
				v->bridge = br;
				v->remote = *a;
				v->probed = vx->dev[0] || plan_route_lookup(dt->have->host, a);
				for (size_t i = 0; i < br->n_addrs; i++)
					v->tunnel_probed =
						v->tunnel_probed ||
						br->addrs[i].prefix.addr.family == a->family;
			}
		}
	}
	return probe_vxlan_run(f->vxlan, f->n_vxlan, VXLAN_PROBE_MS, err);
}

int doctor_facts_gather(struct nsctx *c, struct doctor_topo *topos, size_t n,
			struct doctor_facts *f, struct error *err)
{
	struct nl_sock *s;
	int r;

	memset(f, 0, sizeof(*f));
	f->topos = topos;
	f->n_topos = n;
	f->ip_forward = sysctl_get(SYSCTL_IP_FORWARD);
	f->rp_filter_all = sysctl_get("net/ipv4/conf/all/rp_filter");
	f->ip6_forwarding = sysctl_get("net/ipv6/conf/all/forwarding");
	/* Present only while br_netfilter is loaded; never load it to find out. */
	f->bridge_nf_ip4 = sysctl_get("net/bridge/bridge-nf-call-iptables");
	f->bridge_nf_ip6 = sysctl_get("net/bridge/bridge-nf-call-ip6tables");
	f->host = netstate_new();
	if (!f->host)
		return error_set(err, -ENOMEM, "out of memory");
	r = nsctx_get(c, "", &s, NULL, err);
	if (r >= 0)
		r = nl_observe(s, f->host, NL_OBSERVE_LINKS | NL_OBSERVE_ADDRS | NL_OBSERVE_ROUTES,
			       err);
	if (r < 0)
		return error_prefix(err, "host");
	r = gather_rp_filter(f, err);
	if (r >= 0)
		r = gather_chains(f, err);
	for (size_t i = 0; r >= 0 && i < n; i++) {
		r = world_observe(c, topos[i].name, topos[i].want, NULL, &topos[i].have, err);
		if (r < 0)
			error_prefix(err, "topology '%s'", topos[i].name);
	}
	if (r >= 0)
		r = gather_vxlan(f, err);
	return r;
}

void doctor_facts_clear(struct doctor_facts *f)
{
	for (size_t i = 0; i < f->n_topos; i++) {
		world_free(f->topos[i].have);
		f->topos[i].have = NULL;
	}
	netstate_free(f->host);
	free(f->rp_filter);
	for (size_t i = 0; i < f->n_drop_chains; i++)
		free(f->drop_chains[i].accepts);
	free(f->drop_chains);
	free(f->vxlan);
	memset(f, 0, sizeof(*f));
}
