// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The sysctls the planner wants (core/plan-sysctl.c), on hand-made worlds:
 * router advertisements refused by every link nsnet configures, before it
 * comes up; IPv6 forwarding through the host by force_forwarding on the
 * bridges with IPv6 and on the uplinks (noted, as they are the host's), or
 * on older kernels by accept_ra = 2 then all.forwarding; what `down` puts
 * back, and only when no other topology's bridge still needs it; the keys
 * the observer is asked to read; a deleted link's settings in its rollback.
 */
#include <arpa/inet.h>
#include <linux/if.h>
#include <linux/rtnetlink.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/owner.h"
#include "core/plan.h"
#include "core/topology.h"
#include "slurp.h"
#include "topo-file.h"

#define DUAL EXAMPLES_DIR "/tutorial-dual.yaml"
#define V4 EXAMPLES_DIR "/tutorial.yaml"

#define FF_ETH0 "net/ipv6/conf/eth0/force_forwarding"
#define RA_ETH0 "net/ipv6/conf/eth0/accept_ra"
#define FF_BR "net/ipv6/conf/v-net-0/force_forwarding"
#define RA_BR "net/ipv6/conf/v-net-0/accept_ra"
#define ALL_FORWARDING "net/ipv6/conf/all/forwarding"

static struct topology *load(const char *path)
{
	return topo_file_load(path);
}

static void set(struct world *w, const char *ns, const char *key, int value)
{
	assert_int_equal(world_sysctl_set(w, ns, key, value), 0);
}

/* A host with IPv6 in its kernel, force_forwarding (6.17+) unless old_kernel. */
static struct world *world_host(bool old_kernel)
{
	struct world *w = calloc(1, sizeof(*w));

	assert_non_null(w);
	w->host = netstate_new();
	assert_non_null(w->host);
	set(w, "", "net/ipv4/ip_forward", 1);
	set(w, "", "net/ipv4/conf/default/route_localnet", 0);
	set(w, "", "net/ipv6/conf/default/accept_ra", 1);
	set(w, "", ALL_FORWARDING, 0);
	if (!old_kernel)
		set(w, "", "net/ipv6/conf/all/force_forwarding", 0);
	return w;
}

static struct ns_link *add_link(struct world *w, int ifindex, const char *name, const char *kind,
				const char *alias)
{
	struct ns_link *l = netstate_add_link(w->host);

	assert_non_null(l);
	l->ifindex = ifindex;
	snprintf(l->name, sizeof(l->name), "%s", name);
	snprintf(l->kind, sizeof(l->kind), "%s", kind);
	snprintf(l->alias, sizeof(l->alias), "%s", alias);
	if (owner_of_alias(alias))
		l->group = OWNER_GROUP;
	l->flags = IFF_UP;
	return l;
}

static void add_addr(struct world *w, int ifindex, const char *cidr)
{
	struct ns_addr *a = netstate_add_addr(w->host);

	assert_non_null(a);
	a->ifindex = ifindex;
	assert_int_equal(inet_prefix_parse(cidr, &a->prefix, NULL), 0);
}

static void add_route(struct world *w, int oif, const char *dst)
{
	struct ns_route *r = netstate_add_route(w->host);

	assert_non_null(r);
	r->oif = oif;
	assert_int_equal(inet_prefix_parse(dst, &r->dst, NULL), 0);
	r->table = RT_TABLE_MAIN;
	r->type = RTN_UNICAST;
}

/* The host's uplink: eth0 with 2001:db8:1::2/64, its connected route, lo beside it. */
static void add_uplink(struct world *w)
{
	struct ns_link *lo = add_link(w, 1, "lo", "", "");

	lo->flags |= IFF_LOOPBACK;
	add_route(w, 1, "::1/128");
	add_link(w, 2, "eth0", "veth", "");
	add_addr(w, 2, "2001:db8:1::2/64");
	add_route(w, 2, "2001:db8:1::/64");
	add_route(w, 2, "fe80::/64");
	/* eth1: IPv4 and link-local only, no uplink for IPv6. */
	add_link(w, 3, "eth1", "veth", "");
	add_route(w, 3, "fe80::/64");
	set(w, "", FF_ETH0, 0);
	set(w, "", RA_ETH0, 1);
	set(w, "", "net/ipv6/conf/eth1/force_forwarding", 0);
	set(w, "", "net/ipv6/conf/eth1/accept_ra", 1);
}

static struct plan *plan(const char *topo, const struct topology *t, const struct world *w)
{
	struct error err = {0};
	struct plan *p = NULL;

	if (plan_build(topo, t, w, &p, &err) < 0)
		fail_msg("plan: %s", err.msg);
	return p;
}

/* The position of the sysctl of ns and key in p, or -1. */
static long find(const struct plan *p, const char *ns, const char *key)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].type == ACT_SYSCTL && strcmp(p->v[i].ns, ns) == 0 &&
		    strcmp(p->v[i].key, key) == 0)
			return (long)i;
	return -1;
}

static long find_type(const struct plan *p, enum action_type type, const char *ns,
		      const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].type == type && strcmp(p->v[i].ns, ns) == 0 &&
		    strcmp(p->v[i].name, name) == 0)
			return (long)i;
	return -1;
}

static size_t count_ipv6(const struct plan *p)
{
	size_t n = 0;

	for (size_t i = 0; i < p->n; i++)
		n += p->v[i].type == ACT_SYSCTL && strncmp(p->v[i].key, "net/ipv6/", 9) == 0;
	return n;
}

static const struct action *sysctl_at(const struct plan *p, const char *ns, const char *key)
{
	long i = find(p, ns, key);

	if (i < 0)
		fail_msg("no sysctl %s in '%s' in the plan", key, ns);
	return &p->v[i];
}

/* Every link nsnet makes refuses RAs, written before it comes up. */
static void test_ra_refused(void **state)
{
	struct topology *t = load(DUAL), *v4 = load(V4);
	struct world *w = world_host(false);
	struct plan *p;
	const struct action *a;

	(void)state;
	p = plan("tutorial", t, w);
	a = sysctl_at(p, "", RA_BR);
	assert_int_equal(a->value, 0);
	assert_int_equal(a->note, SYSCTL_NOTE_NONE);
	assert_true(find(p, "", RA_BR) < find_type(p, ACT_LINK_UP, "", "v-net-0"));
	a = sysctl_at(p, "red", "net/ipv6/conf/veth-red/accept_ra");
	assert_int_equal(a->value, 0);
	assert_true(find(p, "red", a->key) > find_type(p, ACT_VETH_ADD, "", "veth-red-br"));
	assert_true(find(p, "red", a->key) < find_type(p, ACT_LINK_UP, "red", "veth-red"));
	assert_int_equal(sysctl_at(p, "blue", "net/ipv6/conf/veth-blue/accept_ra")->value, 0);
	/* The host ends are bridge ports: IPv6 never runs on them. */
	assert_int_equal(find(p, "", "net/ipv6/conf/veth-red-br/accept_ra"), -1);
	plan_free(p);

	/* IPv4-only links too: with no link-local address and no RA, no IPv6 at all. */
	p = plan("tutorial", v4, w);
	assert_int_equal(sysctl_at(p, "red", "net/ipv6/conf/veth-red/accept_ra")->value, 0);
	assert_int_equal(sysctl_at(p, "", RA_BR)->value, 0);
	/* ... and no IPv6 forwarding for a topology without IPv6. */
	assert_int_equal(find(p, "", FF_BR), -1);
	plan_free(p);

	/* A kernel without IPv6: nothing of it to set. */
	set(w, "", "net/ipv6/conf/default/accept_ra", -1);
	p = plan("tutorial", t, w);
	assert_int_equal(count_ipv6(p), 0);
	plan_free(p);
	world_free(w);
	topology_free(t);
	topology_free(v4);
}

/* Links already there with accept_ra 0: no write; drift (1 again) is repaired. */
static void test_ra_kept(void **state)
{
	struct topology *t = load(DUAL);
	struct world *w = world_host(false);
	struct ns_link *br;
	struct plan *p;

	(void)state;
	br = add_link(w, 5, "v-net-0", "bridge", "nsnet:tutorial");
	add_addr(w, 5, "fd00:15::5/64");
	set(w, "", RA_BR, 0);
	set(w, "", FF_BR, 1);
	p = plan("tutorial", t, w);
	assert_int_equal(find(p, "", RA_BR), -1);
	assert_int_equal(find(p, "", FF_BR), -1);
	plan_free(p);
	set(w, "", RA_BR, 1);
	set(w, "", FF_BR, 0);
	p = plan("tutorial", t, w);
	assert_int_equal(sysctl_at(p, "", RA_BR)->value, 0);
	assert_int_equal(sysctl_at(p, "", FF_BR)->value, 1);
	plan_free(p);
	(void)br;
	world_free(w);
	topology_free(t);
}

/* force_forwarding on the IPv6 bridge and the uplink (noted), nothing else. */
static void test_forwarding_on(void **state)
{
	struct topology *t = load(DUAL), *v4 = load(V4);
	struct world *w = world_host(false);
	const struct action *a;
	struct plan *p;

	(void)state;
	add_uplink(w);
	p = plan("tutorial", t, w);
	a = sysctl_at(p, "", FF_BR);
	assert_int_equal(a->value, 1);
	assert_int_equal(a->note, SYSCTL_NOTE_NONE); /* nsnet's own bridge */
	a = sysctl_at(p, "", FF_ETH0);
	assert_int_equal(a->value, 1);
	assert_int_equal(a->note, SYSCTL_NOTE_KEEP);
	assert_int_equal(find(p, "", "net/ipv6/conf/eth1/force_forwarding"), -1);
	assert_int_equal(find(p, "", "net/ipv6/conf/lo/force_forwarding"), -1);
	/* Never all.forwarding: it would cost the host its RA-learnt routes. */
	assert_int_equal(find(p, "", ALL_FORWARDING), -1);
	assert_int_equal(find(p, "", RA_ETH0), -1);
	plan_free(p);

	/* Already on (by hand, or by another topology): left alone, not noted. */
	set(w, "", FF_ETH0, 1);
	p = plan("tutorial", t, w);
	assert_int_equal(find(p, "", FF_ETH0), -1);
	plan_free(p);

	/* IPv4 only: the host's IPv6 is none of its business. */
	set(w, "", FF_ETH0, 0);
	p = plan("tutorial", v4, w);
	assert_int_equal(find(p, "", FF_ETH0), -1);
	plan_free(p);
	world_free(w);
	topology_free(t);
	topology_free(v4);
}

/* Another topology's bridge with IPv6 (by its mark or, unmarked, its group). */
static void add_other_bridge(struct world *w, bool ipv6, bool marked)
{
	struct ns_link *l = add_link(w, 9, "v-net-9", "bridge", marked ? "nsnet:other" : "");

	l->group = OWNER_GROUP;
	add_addr(w, 9, "10.9.0.1/24");
	if (ipv6)
		add_addr(w, 9, "fd00:9::1/64");
}

/* A host after an up of the tutorial: eth0's force_forwarding on, noted as 0 before. */
static struct world *world_noted(void)
{
	struct world *w = world_host(false);

	add_uplink(w);
	add_link(w, 5, "v-net-0", "bridge", "nsnet:tutorial");
	add_addr(w, 5, "fd00:15::5/64");
	set(w, "", FF_ETH0, 1);
	set(w, "", FF_BR, 1);
	assert_int_equal(world_sysctl_note(w, "", FF_ETH0, 0), 0);
	return w;
}

/* Whether down of the tutorial puts eth0 back, beside another topology's bridge. */
static bool down_restores(bool other, bool other_ipv6, bool other_marked)
{
	struct world *w = world_noted();
	struct plan *p;
	long at;
	bool restores;

	if (other)
		add_other_bridge(w, other_ipv6, other_marked);
	p = plan("tutorial", NULL, w);
	at = find(p, "", FF_ETH0);
	restores = at >= 0;
	if (restores) {
		assert_int_equal(p->v[at].value, 0);
		assert_int_equal(p->v[at].note, SYSCTL_NOTE_DROP);
		/* The bridge's own setting goes with the bridge. */
		assert_int_equal(count_ipv6(p), 1);
	}
	plan_free(p);
	world_free(w);
	return restores;
}

/* down puts back what was noted, and only once no topology needs it. */
static void test_forwarding_off(void **state)
{
	struct topology *v4 = load(V4);
	struct world *w;
	struct plan *p;

	(void)state;
	assert_true(down_restores(false, false, false));
	/* Another topology routes IPv6 through the host: it still needs the uplink. */
	assert_false(down_restores(true, true, true));
	/* One left by a killed run (its group, no mark) counts as another's. */
	assert_false(down_restores(true, true, false));
	/* Another topology with IPv4 only does not. */
	assert_true(down_restores(true, false, true));

	/* Not noted: it was on before nsnet, it stays on. */
	w = world_noted();
	assert_int_equal(world_sysctl_note(w, "", FF_ETH0, -1), 0);
	p = plan("tutorial", NULL, w);
	assert_int_equal(count_ipv6(p), 0);
	plan_free(p);
	/* The file lost its IPv6: what was noted goes back at up. */
	assert_int_equal(world_sysctl_note(w, "", FF_ETH0, 0), 0);
	p = plan("tutorial", v4, w);
	assert_int_equal(sysctl_at(p, "", FF_ETH0)->value, 0);
	plan_free(p);
	/* A note whose value is back already: nothing to write. */
	set(w, "", FF_ETH0, 0);
	p = plan("tutorial", NULL, w);
	assert_int_equal(find(p, "", FF_ETH0), -1);
	plan_free(p);
	world_free(w);
	topology_free(v4);
}

/*
 * Without force_forwarding: accept_ra 2 where RAs are taken, then
 * all.forwarding; down restores all.forwarding first, then accept_ra.
 */
static void test_forwarding_old_kernel(void **state)
{
	struct topology *t = load(DUAL);
	struct world *w = world_host(true);
	const struct action *a;
	struct plan *p;

	(void)state;
	add_uplink(w);
	set(w, "", RA_ETH0, 1);
	set(w, "", "net/ipv6/conf/eth1/accept_ra", 0);
	p = plan("tutorial", t, w);
	a = sysctl_at(p, "", RA_ETH0);
	assert_int_equal(a->value, 2);
	assert_int_equal(a->note, SYSCTL_NOTE_KEEP);
	assert_int_equal(find(p, "", "net/ipv6/conf/eth1/accept_ra"), -1);
	a = sysctl_at(p, "", ALL_FORWARDING);
	assert_int_equal(a->value, 1);
	assert_int_equal(a->note, SYSCTL_NOTE_KEEP);
	assert_true(find(p, "", RA_ETH0) < find(p, "", ALL_FORWARDING));
	assert_int_equal(find(p, "", FF_BR), -1);
	assert_int_equal(find(p, "", FF_ETH0), -1);
	plan_free(p);

	add_link(w, 5, "v-net-0", "bridge", "nsnet:tutorial");
	add_addr(w, 5, "fd00:15::5/64");
	set(w, "", RA_ETH0, 2);
	set(w, "", ALL_FORWARDING, 1);
	assert_int_equal(world_sysctl_note(w, "", RA_ETH0, 1), 0);
	assert_int_equal(world_sysctl_note(w, "", ALL_FORWARDING, 0), 0);
	p = plan("tutorial", NULL, w);
	assert_int_equal(sysctl_at(p, "", ALL_FORWARDING)->value, 0);
	assert_int_equal(sysctl_at(p, "", ALL_FORWARDING)->note, SYSCTL_NOTE_DROP);
	assert_int_equal(sysctl_at(p, "", RA_ETH0)->value, 1);
	assert_true(find(p, "", ALL_FORWARDING) < find(p, "", RA_ETH0));
	plan_free(p);
	world_free(w);
	topology_free(t);
}

struct keys {
	char v[64][WORLD_SYSCTL_KEY_MAX + NETNS_NAME_MAX + 2];
	size_t n;
};

static void key_seen(const char *ns, const char *key, void *data)
{
	struct keys *k = data;

	assert_true(k->n < 64);
	snprintf(k->v[k->n++], sizeof(k->v[0]), "%s:%s", ns, key);
}

static bool has_key(const struct keys *k, const char *nskey)
{
	for (size_t i = 0; i < k->n; i++)
		if (strcmp(k->v[i], nskey) == 0)
			return true;
	return false;
}

/* What the observer is asked to read: the links' settings, the uplinks' only when they matter. */
static void test_keys(void **state)
{
	struct topology *t = load(DUAL), *v4 = load(V4);
	struct world *w = world_host(false);
	struct keys k = {0};

	(void)state;
	add_uplink(w);
	plan_sysctl_keys("tutorial", t, w->host, key_seen, &k);
	assert_true(has_key(&k, ":" RA_BR));
	assert_true(has_key(&k, ":" FF_BR));
	assert_true(has_key(&k, ":" FF_ETH0));
	assert_true(has_key(&k, ":net/ipv6/conf/all/force_forwarding"));
	assert_true(has_key(&k, "red:net/ipv6/conf/veth-red/accept_ra"));
	assert_true(has_key(&k, "blue:net/ipv6/conf/veth-blue/accept_ra"));
	assert_false(has_key(&k, ":net/ipv6/conf/lo/force_forwarding"));
	memset(&k, 0, sizeof(k));
	plan_sysctl_keys("tutorial", v4, w->host, key_seen, &k);
	assert_false(has_key(&k, ":" FF_ETH0));
	/* Its bridge up: it may have to give the uplinks back (a file that lost its IPv6). */
	add_link(w, 5, "v-net-0", "bridge", "nsnet:tutorial");
	memset(&k, 0, sizeof(k));
	plan_sysctl_keys("tutorial", NULL, w->host, key_seen, &k);
	assert_true(has_key(&k, ":" FF_ETH0));
	assert_true(has_key(&k, ":" FF_BR));
	world_free(w);
	topology_free(t);
	topology_free(v4);
}

static void need_seen(const char *ifname, const char *key, void *data)
{
	key_seen(ifname, key, data);
}

/* What check reads to see the host still forwards IPv6 (an uplink cannot be pinged from inside). */
static void test_forwarding_needs(void **state)
{
	struct topology *t = load(DUAL), *v4 = load(V4);
	struct world *w = world_host(false);
	struct keys k = {0};

	(void)state;
	add_uplink(w);
	plan_sysctl_forwarding6(t, w, need_seen, &k);
	assert_int_equal(k.n, 2);
	assert_string_equal(k.v[0], "v-net-0:" FF_BR);
	assert_string_equal(k.v[1], "eth0:" FF_ETH0);
	memset(&k, 0, sizeof(k));
	plan_sysctl_forwarding6(v4, w, need_seen, &k);
	assert_int_equal(k.n, 0);
	world_free(w);
	w = world_host(true);
	add_uplink(w);
	plan_sysctl_forwarding6(t, w, need_seen, &k);
	assert_int_equal(k.n, 1);
	assert_string_equal(k.v[0], "all:" ALL_FORWARDING);
	world_free(w);
	topology_free(t);
	topology_free(v4);
}

/* A bridge an up deletes (the file no longer has it) comes back with its settings. */
static void test_restore_link(void **state)
{
	struct topology *t = load(DUAL);
	struct world *w = world_host(false);
	struct ns_link *l;
	struct plan *p;
	long del;
	bool ra = false, ff = false;

	(void)state;
	l = add_link(w, 5, "v-net-1", "bridge", "nsnet:tutorial");
	l->has_accept_ra = true;
	l->accept_ra = 0;
	set(w, "", "net/ipv6/conf/v-net-1/force_forwarding", 1);
	p = plan("tutorial", t, w);
	del = find_type(p, ACT_LINK_DEL, "", "v-net-1");
	assert_true(del >= 0);
	for (size_t i = 0; i < p->v[del].n_restore; i++) {
		const struct action *r = &p->v[del].restore[i];

		ra = ra || (r->type == ACT_SYSCTL &&
			    !strcmp(r->key, "net/ipv6/conf/v-net-1/accept_ra") && r->value == 0);
		ff = ff || (r->type == ACT_SYSCTL &&
			    !strcmp(r->key, "net/ipv6/conf/v-net-1/force_forwarding") &&
			    r->value == 1);
	}
	assert_true(ra);
	assert_true(ff);
	plan_free(p);
	world_free(w);
	topology_free(t);
}

/* The index of the sysctls: many keys, each found, replaced in place. */
static void test_world_index(void **state)
{
	struct world *w = calloc(1, sizeof(*w));
	char key[WORLD_SYSCTL_KEY_MAX], ns[16];

	(void)state;
	assert_non_null(w);
	for (int i = 0; i < 3000; i++) {
		snprintf(ns, sizeof(ns), "n%d", i % 100);
		snprintf(key, sizeof(key), "net/ipv6/conf/e%d/accept_ra", i);
		set(w, ns, key, i);
	}
	assert_int_equal(w->n_sysctls, 3000);
	for (int i = 0; i < 3000; i++) {
		snprintf(ns, sizeof(ns), "n%d", i % 100);
		snprintf(key, sizeof(key), "net/ipv6/conf/e%d/accept_ra", i);
		assert_int_equal(world_sysctl_get(w, ns, key), i);
		assert_int_equal(world_sysctl_noted(w, ns, key), -1);
	}
	set(w, "n7", "net/ipv6/conf/e7/accept_ra", 70);
	assert_int_equal(w->n_sysctls, 3000);
	assert_int_equal(world_sysctl_get(w, "n7", "net/ipv6/conf/e7/accept_ra"), 70);
	assert_int_equal(world_sysctl_get(w, "n8", "net/ipv6/conf/e7/accept_ra"), -1);
	assert_int_equal(world_sysctl_note(w, "n8", "net/ipv6/conf/e7/accept_ra", 1), -ENOENT);
	assert_int_equal(world_sysctl_note(w, "n7", "net/ipv6/conf/e7/accept_ra", 1), 0);
	assert_int_equal(world_sysctl_noted(w, "n7", "net/ipv6/conf/e7/accept_ra"), 1);
	world_free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ra_refused),	     cmocka_unit_test(test_ra_kept),
		cmocka_unit_test(test_forwarding_on),	     cmocka_unit_test(test_forwarding_off),
		cmocka_unit_test(test_forwarding_old_kernel), cmocka_unit_test(test_keys),
		cmocka_unit_test(test_restore_link),	     cmocka_unit_test(test_forwarding_needs),	     cmocka_unit_test(test_world_index),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
