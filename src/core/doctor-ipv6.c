// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The doctor's IPv6 checks (see doctor.h):
 *   - ipv6-forward-off: a topology with IPv6 bridges is up and a setting by
 *     which the host forwards its IPv6 is off (core/plan-sysctl.c says which:
 *     each IPv6 bridge's and uplink's force_forwarding). Any write of 0 to
 *     net.ipv6.conf.all.forwarding, by any tool, even 0 over 0, clears
 *     force_forwarding on every interface;
 *   - accept-ra-forwarding: all.forwarding is on and a link of the host on an
 *     IPv6 network takes router advertisements only while not forwarding
 *     (accept_ra = 1): the kernel ignores them, and dropped the default
 *     routes they gave when forwarding went on (the host loses its SLAAC
 *     default route, as with Docker);
 *   - accept-ra-on: a bridge or namespace link of a topology accepts router
 *     advertisements again (nsnet makes them with accept_ra = 0): whoever
 *     runs a router daemon on the segment becomes the others' router.
 */
#include <linux/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "doctor-internal.h"
#include "owner.h"

/* Whether a topology of c routes IPv6 through the host: a bridge with IPv6 beyond link-local. */
static bool addr_routed6(const struct inet_prefix *p)
{
	return p->addr.family == AF_INET6 && inet_addr_kind(&p->addr) != INET_KIND_LINK_LOCAL;
}

static bool link_routed6(const struct netstate *st, int ifindex)
{
	for (size_t i = 0; st && i < st->n_addrs; i++)
		if (st->addrs[i].ifindex == ifindex && addr_routed6(&st->addrs[i].prefix))
			return true;
	return false;
}

bool doctor_topo_routes6(const struct doctor_ctx *c, const struct doctor_topo *dt)
{
	const struct netstate *host = doctor_host_of(c, dt);

	for (size_t i = 0; dt->want && i < dt->want->n_bridges; i++)
		for (size_t k = 0; k < dt->want->bridges[i].n_addrs; k++)
			if (addr_routed6(&dt->want->bridges[i].addrs[k].prefix))
				return true;
	for (size_t i = 0; !dt->want && host && i < host->n_links; i++) {
		const struct ns_link *l = &host->links[i];

		if (strcmp(l->kind, "bridge") == 0 && owner_alias_is(l->alias, dt->name) &&
		    link_routed6(host, l->ifindex))
			return true;
	}
	return false;
}

bool doctor_routes6_any(const struct doctor_ctx *c)
{
	for (size_t i = 0; i < c->f->n_topos; i++)
		if (doctor_topo_routes6(c, &c->f->topos[i]))
			return true;
	return false;
}

/* "net.ipv6.conf.IF.NAME=1", as doctor_sysctl_word writes IPv4's. */
static bool key_word(char *buf, size_t len, const char *key, int value)
{
	static const char pre[] = "net/ipv6/conf/";
	char ifname[IFNAME_MAX + 1];
	const char *name, *slash;

	if (strncmp(key, pre, sizeof(pre) - 1) != 0)
		return false;
	name = key + sizeof(pre) - 1;
	slash = strrchr(name, '/');
	if (!slash || (size_t)(slash - name) > IFNAME_MAX)
		return false;
	memcpy(ifname, name, (size_t)(slash - name));
	ifname[slash - name] = '\0';
	return doctor_sysctl_word_in(buf, len, "ipv6", ifname, slash + 1, value);
}

struct off_keys {
	const struct world *have;
	const char *off[8];
	char names[8 * (IFNAME_MAX + 4) + 1];
	char words[8][IFNAME_MAX + 48];
	size_t n;
	bool more;
};

static void off_key(const char *ifname, const char *key, void *data)
{
	struct off_keys *o = data;

	if (world_sysctl_get(o->have, "", key) != 0)
		return; /* on, or unknown */
	if (o->n == ARRAY_SIZE(o->words) ||
	    !key_word(o->words[o->n], sizeof(o->words[o->n]), key, 1)) {
		o->more = true;
		return;
	}
	doctor_append(o->names, sizeof(o->names), "%s'%s'", o->names[0] ? ", " : "", ifname);
	o->off[o->n] = o->words[o->n];
	o->n++;
}

static void check_forwarding6(struct doctor_ctx *c, const struct doctor_topo *dt)
{
	struct off_keys o = {.have = dt->have};
	const char *argv[ARRAY_SIZE(o.words) + 3] = {"sysctl", "-w"};
	struct doctor_finding *d;

	if (!dt->want || !dt->have || !doctor_topo_is_up(dt) || !doctor_topo_routes6(c, dt))
		return;
	plan_sysctl_forwarding6(dt->want, dt->have, off_key, &o);
	if ((!o.n && !o.more) || !(d = doctor_add(c, "ipv6-forward-off", DOCTOR_PROBLEM, dt->name)))
		return;
	put(d->subject, "IPv6 forwarding on %s", o.names[0] ? o.names : "the host");
	put(d->what, "the host does not forward IPv6 arriving on %s (force_forwarding = 0)",
	    o.names[0] ? o.names : "its interfaces");
	put(d->why,
	    "namespaces of '%s' reach their bridge's IPv6 address but nothing beyond it, and "
	    "IPv6 port forwards get no answer; any write of 0 to net.ipv6.conf.all.forwarding, "
	    "by any tool and even over 0, clears force_forwarding on every interface",
	    dt->name);
	for (size_t i = 0; i < o.n; i++)
		argv[2 + i] = o.off[i];
	if (o.n)
		doctor_fix_cmd(d, argv);
	more(d->fix, "%s(running 'nsnet up FILE' again also sets %s)", o.n ? " " : "",
	     o.more ? "them, and the ones left out" : "them");
}

/* A link of the host that is not nsnet's, up, on an IPv6 network, taking RAs only unforwarded. */
static bool ra_ignored(const struct netstate *host, const struct ns_link *l)
{
	return !(l->flags & IFF_LOOPBACK) && (l->flags & IFF_UP) && l->group != OWNER_GROUP &&
	       !owner_of_alias(l->alias) && l->has_accept_ra && l->accept_ra == 1 &&
	       link_routed6(host, l->ifindex);
}

void doctor_check_ipv6_host(struct doctor_ctx *c)
{
	const struct netstate *host = c->f->host;

	for (size_t i = 0; c->f->ip6_forwarding == 1 && host && i < host->n_links; i++) {
		const struct ns_link *l = &host->links[i];
		char word[IFNAME_MAX + 48];
		struct doctor_finding *d;

		if (!ra_ignored(host, l) || !(d = doctor_add(c, "accept-ra-forwarding",
							     DOCTOR_WARNING, NULL)))
			continue;
		put(d->subject, "net.ipv6.conf.%s.accept_ra", l->name);
		put(d->what,
		    "IPv6 forwarding is on for every interface (net.ipv6.conf.all.forwarding = 1) "
		    "and '%s' takes router advertisements only while not forwarding (accept_ra = 1)",
		    l->name);
		put(d->why, "the kernel ignores the router advertisements '%s' receives, and dropped "
			    "the default routes they gave when forwarding went on: the host loses "
			    "its IPv6 default route (SLAAC). nsnet itself forwards per interface "
			    "(force_forwarding) and leaves all.forwarding alone",
		    l->name);
		if (doctor_sysctl_word_in(word, sizeof(word), "ipv6", l->name, "accept_ra", 2))
			fix_cmd(d, "sysctl", "-w", word);
		more(d->fix, "%s(accept_ra = 2 takes advertisements while forwarding; or turn "
			     "all.forwarding off again if nothing else needs it)",
		     d->fix[0] ? " " : "");
	}
}

/* One link of dt (on the host: ns "") that takes router advertisements again. */
static void ra_on(struct doctor_ctx *c, const struct doctor_topo *dt, const char *ns,
		  const struct ns_link *l)
{
	char word[IFNAME_MAX + 48];
	struct doctor_finding *d;

	if (!l->has_accept_ra || l->accept_ra == 0 ||
	    !(d = doctor_add(c, "accept-ra-on", DOCTOR_WARNING, dt->name)))
		return;
	if (ns[0])
		put(d->subject, "link '%s' in '%s'", l->name, ns);
	else
		put(d->subject, "bridge '%s'", l->name);
	put(d->what, "it accepts router advertisements (net.ipv6.conf.%s.accept_ra = %d)", l->name,
	    (int)l->accept_ra);
	put(d->why, "any namespace on the segment that runs a router daemon gives %s an IPv6 "
		    "address and default route of its choosing (nsnet makes its links with "
		    "accept_ra = 0)",
	    ns[0] ? "this namespace" : "the host");
	if (doctor_sysctl_word_in(word, sizeof(word), "ipv6", l->name, "accept_ra", 0)) {
		if (ns[0])
			fix_cmd(d, "ip", "netns", "exec", ns, "sysctl", "-w", word);
		else
			fix_cmd(d, "sysctl", "-w", word);
	}
	more(d->fix, "%s(running 'nsnet up FILE' again also does)", d->fix[0] ? " " : "");
}

void doctor_check_ipv6_topology(struct doctor_ctx *c, const struct doctor_topo *dt)
{
	const struct netstate *host = doctor_host_of(c, dt);
	const struct world *w = dt->have;

	check_forwarding6(c, dt);
	for (size_t i = 0; w && host && i < host->n_links; i++)
		if (strcmp(host->links[i].kind, "bridge") == 0 &&
		    owner_alias_is(host->links[i].alias, dt->name))
			ra_on(c, dt, "", &host->links[i]);
	for (size_t k = 0; w && k < w->n_ns; k++) {
		const struct world_ns *ns = &w->ns[k];

		if (!ns->marked || strcmp(ns->owner, dt->name) != 0)
			continue;
		for (size_t i = 0; i < ns->st->n_links; i++)
			if (strcmp(ns->st->links[i].name, "lo") != 0)
				ra_on(c, dt, ns->name, &ns->st->links[i]);
	}
}
