// SPDX-License-Identifier: GPL-2.0-or-later
/* Named namespaces, `show`, and the sandbox for demos and tests. */
#include <errno.h>
#include <jansson.h>
#include <linux/if.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/owner.h"
#include "core/quote.h"
#include "lib.h"
#include "sys/netns.h"
#include "sys/nsctx.h"
#include "sys/observe.h"
#include "sys/rtnl.h"
#include "sys/sandbox.h"

int nsnet_ns_name_check(const char *name, struct nsnet_error *err)
{
	struct error e = {0};

	if (name_netns_check(name, &e) < 0) {
		e.kind = ERROR_INPUT;
		return lib_error(err, &e);
	}
	return 0;
}

int nsnet_ns_add(struct nsnet_ctx *c, const char *name, unsigned flags, struct nsnet_error *err)
{
	struct error e = {0};

	(void)c;
	if (netns_add(name, flags & NSNET_NS_NO_LOOPBACK ? NETNS_ADD_NO_LOOPBACK : 0, NULL, &e) < 0)
		return lib_error(err, &e);
	return 0;
}

/* The topology whose mark lo of namespace name carries, into owner ("" none). */
static void ns_owner(struct nsctx *nc, const char *name, char *owner, size_t len)
{
	_cleanup_(netstate_freep) struct netstate *st = netstate_new();
	const struct ns_link *lo;
	struct nl_sock *s;
	const char *o;

	owner[0] = '\0';
	if (!st || nsctx_get(nc, name, &s, NULL, NULL) < 0 ||
	    nl_observe(s, st, NL_OBSERVE_LINKS, NULL) < 0)
		return;
	lo = netstate_link_by_name(st, "lo");
	o = lo ? owner_of_alias(lo->alias) : NULL;
	if (o && name_netns_check(o, NULL) == 0)
		snprintf(owner, len, "%s", o);
}

int nsnet_ns_del(struct nsnet_ctx *c, const char *name, unsigned flags, struct nsnet_error *err)
{
	_cleanup_(nsctx_freep) struct nsctx *nc = NULL;
	char owner[NETNS_NAME_MAX + 1];
	struct error e = {0};
	int r;

	(void)c;
	if (name_netns_check(name, &e) < 0)
		return lib_error(err, &e);
	if (nsctx_new(&nc, &e) < 0)
		return lib_error(err, &e);
	ns_owner(nc, name, owner, sizeof(owner));
	nsctx_forget(nc, name);
	if (owner[0] && !(flags & NSNET_NS_FORCE)) {
		const char *down[] = {"nsnet", "down", owner, NULL};
		const char *force[] = {"nsnet", "ns", "del", "--force", name, NULL};
		char a[128], b[160];

		/* Printed commands go through the one shell quoting, whatever the names. */
		if (quote_shell_argv(down, a, sizeof(a)) < 0 || quote_shell_argv(force, b, sizeof(b)) < 0)
			snprintf(a, sizeof(a), "nsnet down");
		error_set(&e, -EBUSY,
			  "namespace '%s' belongs to topology '%s': take it down with '%s' (or delete "
			  "it anyway with '%s')",
			  name, owner, a, b);
		return lib_error(err, &e);
	}
	r = netns_del(name, &e);
	if (r == -ENOENT && (flags & NSNET_NS_FORCE))
		return 0;
	return r < 0 ? lib_error(err, &e) : 0;
}

int nsnet_ns_list(struct nsnet_ctx *c, struct nsnet_ns_entry **ret, size_t *ret_n,
		  struct nsnet_error *err)
{
	_cleanup_free_ struct netns_entry *v = NULL;
	_cleanup_(nsctx_freep) struct nsctx *nc = NULL;
	struct nsnet_ns_entry *out;
	struct nl_sock *host = NULL;
	struct error e = {0};
	size_t n;

	(void)c;
	if (netns_list(&v, &n, &e) < 0 || nsctx_new(&nc, &e) < 0)
		return lib_error(err, &e);
	out = calloc(n + 1, sizeof(*out));
	if (!out)
		return lib_oom(err);
	(void)nsctx_get(nc, "", &host, NULL, NULL);
	for (size_t k = 0; k < n; k++) {
		_cleanup_close_ int fd = -1;

		snprintf(out[k].name, sizeof(out[k].name), "%s", v[k].name);
		/* Listed when it is a namespace, even under a name nsnet would not make. */
		out[k].valid = v[k].is_ns;
		out[k].nsid = -1;
		/* The id is a nicety: a namespace gone meanwhile only loses it. */
		if (v[k].valid && host && netns_open(v[k].name, &fd, NULL) >= 0 &&
		    nl_netns_id(host, fd, &out[k].nsid, NULL) < 0)
			out[k].nsid = -1;
	}
	*ret = out;
	*ret_n = n;
	return 0;
}

int nsnet_ns_list_json(const struct nsnet_ns_entry *v, size_t n, char **ret,
		       struct nsnet_error *err)
{
	json_t *arr = json_array();

	for (size_t k = 0; arr && k < n; k++)
		if (v[k].valid &&
		    json_array_append_new(arr, json_pack("{s:o, s:o}", "name", json_text(v[k].name),
							 "nsid", v[k].nsid >= 0 ?
							 json_integer(v[k].nsid) : json_null())) < 0) {
			json_decref(arr);
			arr = NULL;
		}
	return lib_json_text(arr, ret, err);
}

int nsnet_ns_enter(struct nsnet_ctx *c, const char *name, void (*warn)(const char *msg),
		   struct nsnet_error *err)
{
	struct error e = {0};

	(void)c;
	if (name_netns_check(name, &e) < 0 || netns_switch(name, warn, &e) < 0)
		return lib_error(err, &e);
	return 0;
}

static const char *dev_name(const struct netstate *st, int ifindex)
{
	const struct ns_link *l = netstate_link_by_index(st, ifindex);

	return l ? l->name : NULL;
}

static bool route_shown(const struct ns_route *r)
{
	return r->table == RT_TABLE_MAIN;
}

static bool neigh_shown(const struct ns_neigh *n)
{
	return !(n->state & NUD_NOARP) && n->state != NUD_NONE;
}

/* Names here come from the kernel and /run/netns: any bytes (json-text.h). */
static json_t *json_str_or_null(const char *s)
{
	return s && *s ? json_text(s) : json_null();
}

static json_t *link_json(const struct netstate *st, const struct ns_link *l)
{
	char mac[LLADDR_MAX * 3];
	json_t *o, *peer = json_null();

	mac_format(l->mac, l->mac_len, mac, sizeof(mac));
	if (l->link) {
		peer = json_pack("{s:o, s:i, s:o, s:b}", "name",
				 json_str_or_null(l->peer_resolved ? l->peer_name : NULL),
				 "ifindex", l->link, "namespace",
				 json_str_or_null(l->peer_resolved ? l->peer_netns : NULL), "host",
				 l->peer_in_host);
		if (l->link_nsid >= 0)
			json_object_set_new(peer, "netnsid", json_integer(l->link_nsid));
	}
	o = json_pack("{s:i, s:o, s:o, s:s, s:b, s:o, s:i, s:o, s:o, s:o}", "ifindex", l->ifindex,
		      "name", json_text(l->name), "kind", json_str_or_null(l->kind), "state",
		      netstate_operstate_name(l->operstate), "up", (l->flags & IFF_UP) != 0, "mac",
		      json_str_or_null(l->mac_len ? mac : NULL), "mtu", (int)l->mtu, "master",
		      json_str_or_null(l->master ? dev_name(st, l->master) : NULL), "alias",
		      json_str_or_null(l->alias), "peer", peer);
	return o;
}

static json_t *state_json(const char *name, const struct netstate *st)
{
	json_t *links = json_array(), *addrs = json_array(), *routes = json_array(),
	       *neighs = json_array();
	char a[PREFIX_STR_MAX], b[INET_STR_MAX], c[INET_STR_MAX], buf[16];

	for (size_t i = 0; i < st->n_links; i++)
		json_array_append_new(links, link_json(st, &st->links[i]));
	for (size_t i = 0; i < st->n_addrs; i++) {
		const struct ns_addr *x = &st->addrs[i];

		inet_addr_format(&x->prefix.addr, b, sizeof(b));
		json_array_append_new(addrs,
				      json_pack("{s:o, s:s, s:s, s:i, s:s}", "dev",
						json_str_or_null(dev_name(st, x->ifindex)), "family",
						netstate_family_name(x->prefix.addr.family),
						"address", b, "prefixlen", x->prefix.len, "scope",
						netstate_scope_name(x->scope, buf, sizeof(buf))));
	}
	for (size_t i = 0; i < st->n_routes; i++) {
		const struct ns_route *r = &st->routes[i];
		char pbuf[16];

		if (!route_shown(r))
			continue;
		if (r->dst.len)
			inet_prefix_format(&r->dst, a, sizeof(a));
		else
			snprintf(a, sizeof(a), "default");
		if (r->gateway.family)
			inet_addr_format(&r->gateway, b, sizeof(b));
		if (r->prefsrc.family)
			inet_addr_format(&r->prefsrc, c, sizeof(c));
		json_array_append_new(
			routes,
			json_pack("{s:s, s:s, s:o, s:o, s:s, s:s, s:i, s:i, s:o}", "family",
				  netstate_family_name(r->dst.addr.family), "dst", a, "gateway",
				  json_str_or_null(r->gateway.family ? b : NULL), "dev",
				  json_str_or_null(r->oif ? dev_name(st, r->oif) : NULL), "protocol",
				  netstate_protocol_name(r->protocol, pbuf, sizeof(pbuf)), "scope",
				  netstate_scope_name(r->scope, buf, sizeof(buf)), "table",
				  (int)r->table, "metric", (int)r->priority, "prefsrc",
				  json_str_or_null(r->prefsrc.family ? c : NULL)));
	}
	for (size_t i = 0; i < st->n_neighs; i++) {
		const struct ns_neigh *n = &st->neighs[i];
		char mac[LLADDR_MAX * 3];

		if (!neigh_shown(n))
			continue;
		inet_addr_format(&n->dst, b, sizeof(b));
		mac_format(n->lladdr, n->lladdr_len, mac, sizeof(mac));
		json_array_append_new(
			neighs, json_pack("{s:o, s:s, s:o, s:s}", "dev",
					  json_str_or_null(dev_name(st, n->ifindex)), "dst", b,
					  "lladdr", json_str_or_null(n->lladdr_len ? mac : NULL),
					  "state", netstate_neigh_state_name(n->state, buf, sizeof(buf))));
	}
	return json_pack("{s:o, s:o, s:o, s:o, s:o}", "namespace", json_str_or_null(name), "links",
			 links, "addresses", addrs, "routes", routes, "neighbours", neighs);
}

int nsnet_show_json(struct nsnet_ctx *c, const char *name, char **ret, struct nsnet_error *err)
{
	_cleanup_(netstate_freep) struct netstate *st = NULL;
	_cleanup_(nsctx_freep) struct nsctx *nc = NULL;
	struct error e = {0};

	(void)c;
	if ((name && name_netns_check(name, &e) < 0) || nsctx_new(&nc, &e) < 0 ||
	    observe_show(nc, name ? name : "", &st, &e) < 0)
		return lib_error(err, &e);
	return lib_json_text(state_json(name, st), ret, err);
}

int nsnet_sandbox_enter(struct nsnet_error *err)
{
	struct error e = {0};

	return sandbox_enter(&e) < 0 ? lib_error(err, &e) : 0;
}

/* The LAN's two addresses from the caller's text: bad input is the caller's. */
static int lan_parse(const char *ns, const char *host_cidr, const char *lan_cidr,
		     struct sandbox_lan *lan, struct error *e)
{
	lan->ns = ns;
	if (name_netns_check(ns, e) < 0 || inet_prefix_parse(host_cidr, &lan->host_addr, e) < 0 ||
	    inet_prefix_parse(lan_cidr, &lan->lan_addr, e) < 0) {
		e->kind = ERROR_INPUT;
		return -EINVAL;
	}
	return 0;
}

int nsnet_sandbox_lan_add(struct nsnet_ctx *c, const char *ns, const char *host_cidr,
			  const char *lan_cidr, struct nsnet_error *err)
{
	struct sandbox_lan lan;
	struct error e = {0};

	(void)c;
	if (lan_parse(ns, host_cidr, lan_cidr, &lan, &e) < 0 || sandbox_lan_add(&lan, &e) < 0)
		return lib_error(err, &e);
	return 0;
}

int nsnet_sandbox_lan_add_address(struct nsnet_ctx *c, const char *ns, const char *host_cidr,
				  const char *lan_cidr, struct nsnet_error *err)
{
	struct sandbox_lan lan;
	struct error e = {0};

	(void)c;
	if (lan_parse(ns, host_cidr, lan_cidr, &lan, &e) < 0 ||
	    sandbox_lan_add_address(&lan, &e) < 0)
		return lib_error(err, &e);
	return 0;
}

void nsnet_sandbox_lan_del(struct nsnet_ctx *c, const char *ns)
{
	struct sandbox_lan lan = {.ns = ns};

	(void)c;
	sandbox_lan_del(&lan);
}
