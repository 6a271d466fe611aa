// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The doctor's checks of bridges that span hosts ("vxlan:"), from the file
 * the topology was brought up with, the host's links and routes, and what the
 * prober saw of each remote (doctor.h, struct doctor_vxlan_remote):
 *
 *   - vxlan-remote-unreachable: no route to a remote, or it answered nothing
 *     at all (no echo on the underlay, nothing through the tunnel, no VXLAN);
 *   - vxlan-vni-mismatch: a remote sent datagrams to the tunnel's port with
 *     another VNI than the bridge's, and none with ours;
 *   - vxlan-tunnel-silent (a warning): it answers on the underlay, but what
 *     should come back through the tunnel does not, and nothing says why;
 *   - vxlan-mtu: the device's MTU plus the encapsulation exceeds the
 *     underlay's: large frames are fragmented between the hosts or lost.
 */
#include <stdio.h>
#include <string.h>

#include "doctor-internal.h"

static const struct doctor_vxlan_remote *seen_of(const struct doctor_ctx *c, size_t t,
						 const struct topology_bridge *br,
						 const struct inet_addr *a)
{
	for (size_t i = 0; i < c->f->n_vxlan; i++) {
		const struct doctor_vxlan_remote *v = &c->f->vxlan[i];

		if (v->topo == t && v->bridge == br && inet_addr_equal(&v->remote, a))
			return v;
	}
	return NULL;
}

static void unreachable(struct doctor_ctx *c, const struct doctor_topo *dt,
			const struct topology_bridge *br, const char *addr, bool routed)
{
	struct doctor_finding *d =
		doctor_add(c, "vxlan-remote-unreachable", DOCTOR_PROBLEM, dt->name);

	if (!d)
		return;
	put(d->subject, "remote %s of bridge '%s'", addr, br->name);
	if (!routed)
		put(d->what, "the host has no route to remote %s", addr);
	else
		put(d->what,
		    "remote %s answered nothing: no reply to an echo on the underlay, nothing back "
		    "through the tunnel, no VXLAN datagram from it",
		    addr);
	put(d->why,
	    "every frame of the segment flooded to %s is lost: the namespaces behind it "
	    "are unreachable from bridge '%s' and its namespaces",
	    addr, br->name);
	if (fix_cmd(d, "ip", "route", "get", addr))
		more(d->fix, " shows the way the tunnel takes; ");
	more(d->fix,
	     "give the host a route to %s and let its firewall pass UDP port %u, and check "
	     "that the host is up",
	     addr, br->vxlan->port);
}

static void mismatch(struct doctor_ctx *c, const struct doctor_topo *dt,
		     const struct topology_bridge *br, const char *addr,
		     const struct doctor_vxlan_remote *v)
{
	struct doctor_finding *d = doctor_add(c, "vxlan-vni-mismatch", DOCTOR_PROBLEM, dt->name);

	if (!d)
		return;
	put(d->subject, "remote %s of bridge '%s'", addr, br->name);
	put(d->what, "remote %s sends VXLAN to port %u with VNI", addr, br->vxlan->port);
	for (size_t i = 0; i < v->n_vnis; i++)
		more(d->what, "%s %u", i ? "," : "", v->vnis[i]);
	more(d->what, "; bridge '%s' uses VNI %u", br->name, br->vxlan->id);
	put(d->why, "each host drops what the other sends: the kernel hands a datagram only to "
		    "the device of its VNI, so the two halves of the segment never meet");
	put(d->fix,
	    "give the bridge the same 'id' in the files of both hosts, then 'nsnet up FILE' on the "
	    "host whose file changed");
}

static void silent(struct doctor_ctx *c, const struct doctor_topo *dt,
		   const struct topology_bridge *br, const char *addr)
{
	struct doctor_finding *d = doctor_add(c, "vxlan-tunnel-silent", DOCTOR_WARNING, dt->name);

	if (!d)
		return;
	put(d->subject, "remote %s of bridge '%s'", addr, br->name);
	put(d->what,
	    "remote %s answers an echo on the underlay, but not one sent from the bridge's own "
	    "address, whose reply comes back through the tunnel; no VXLAN came from it",
	    addr);
	put(d->why, "traffic of the segment may not cross: the remote may not list this host "
		    "among its remotes, use another port, have no address of the segment on its "
		    "bridge, or drop the probe by strict rp_filter");
	put(d->fix, "compare the remote's file with this one (id, port, remotes); 'nsnet doctor' "
		    "on the remote says what it sees");
}

static void check_remotes(struct doctor_ctx *c, const struct doctor_topo *dt, size_t t,
			  const struct topology_bridge *br)
{
	const struct topology_vxlan *vx = br->vxlan;
	const struct netstate *host = doctor_host_of(c, dt);

	for (size_t k = 0; k < vx->n_remotes; k++) {
		const struct inet_addr *a = &vx->remotes[k].prefix.addr;
		const struct doctor_vxlan_remote *v = seen_of(c, t, br, a);
		char addr[INET_STR_MAX];
		bool ours = false;

		inet_addr_format(a, addr, sizeof(addr));
		if (!vx->dev[0] && !plan_route_lookup(host, a)) {
			unreachable(c, dt, br, addr, false);
			continue;
		}
		if (!v || !v->probed)
			continue;
		for (size_t i = 0; i < v->n_vnis; i++)
			ours = ours || v->vnis[i] == vx->id;
		if (v->n_vnis && !ours)
			mismatch(c, dt, br, addr, v);
		else if (!v->echo_reply && !v->tunnel_reply && !v->n_vnis)
			unreachable(c, dt, br, addr, true);
		else if (v->tunnel_probed && !v->tunnel_reply && !v->n_vnis)
			silent(c, dt, br, addr);
	}
}

static void check_mtu(struct doctor_ctx *c, const struct doctor_topo *dt,
		      const struct topology_bridge *br)
{
	const struct topology_vxlan *vx = br->vxlan;
	const struct netstate *host = doctor_host_of(c, dt);
	const struct ns_link *l = netstate_link_by_name(host, vx->name);
	unsigned over = plan_vxlan_overhead(vx);
	struct doctor_finding *d;
	struct plan_underlay u;
	char mtu[16];

	plan_vxlan_underlay(host, vx, &u);
	if (!l || !u.mtu || l->mtu + over <= u.mtu ||
	    !(d = doctor_add(c, "vxlan-mtu", DOCTOR_PROBLEM, dt->name)))
		return;
	put(d->subject, "VXLAN device '%s' of bridge '%s'", vx->name, br->name);
	put(d->what,
	    "its MTU is %u, so its frames need %u bytes on the underlay, and '%s' (%s) has an "
	    "MTU of %u",
	    l->mtu, l->mtu + over, doctor_link_name(host, u.ifindex),
	    vx->dev[0] ? "its dev" : "the route to the remotes", u.mtu);
	put(d->why,
	    "a frame over %u bytes becomes a datagram the underlay cannot carry whole: it is "
	    "fragmented between the hosts or lost, so small packets pass and large ones (bulk "
	    "TCP) stall",
	    u.mtu - over);
	snprintf(mtu, sizeof(mtu), "%u", u.mtu - over);
	if (fix_cmd(d, "ip", "link", "set", "dev", vx->name, "mtu", mtu))
		more(d->fix, " for now; for good, ");
	more(d->fix,
	     "%s'nsnet up FILE', which gives the bridge, the device and the namespaces' "
	     "interfaces %s; or raise the MTU of '%s' to %u",
	     br->mtu ? "remove 'mtu' from the bridge in the file, then " : "", mtu,
	     doctor_link_name(host, u.ifindex), l->mtu + over);
}

void doctor_check_vxlan(struct doctor_ctx *c, const struct doctor_topo *dt, size_t t)
{
	for (size_t i = 0; dt->want && dt->have && i < dt->want->n_bridges; i++) {
		const struct topology_bridge *br = &dt->want->bridges[i];

		if (!br->vxlan || !world_vxlan_find(dt->have, br->vxlan->name))
			continue;
		check_mtu(c, dt, br);
		check_remotes(c, dt, t, br);
	}
}
