// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A veth reports its peer as (namespace id, ifindex), where the id is local
 * to the namespace asking. To name the peer we ask, for each candidate
 * namespace, which id the observed namespace gives it (RTM_GETNSID with its
 * fd), then look the index up there.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "netns.h"
#include "nl.h"
#include "observe.h"
#include "rtnl.h"

/* Names the peers whose namespace is the one behind fd (label: its name, or NULL: host). */
static int resolve_in(struct nl_sock *s, struct netstate *st, int fd, const char *label,
		      struct error *err)
{
	_cleanup_(netstate_freep) struct netstate *other = NULL;
	_cleanup_nl_sock_ struct nl_sock *os = NULL;
	bool wanted = false;
	int nsid, r;

	r = nl_netns_id(s, fd, &nsid, err);
	if (r < 0 || nsid < 0)
		return r;
	for (size_t i = 0; i < st->n_links; i++)
		wanted = wanted || (st->links[i].link_nsid == nsid && !st->links[i].peer_resolved);
	if (!wanted)
		return 0;
	other = netstate_new();
	if (!other)
		return error_set(err, -ENOMEM, "out of memory");
	r = label ? nl_sock_open_ns(fd, -1, label, &os, err) : nl_sock_open(&os, err);
	if (r < 0)
		return r;
	r = nl_observe(os, other, NL_OBSERVE_LINKS, err);
	if (r < 0)
		return r;
	for (size_t i = 0; i < st->n_links; i++) {
		struct ns_link *l = &st->links[i];
		const struct ns_link *p;

		if (l->link_nsid != nsid || l->peer_resolved)
			continue;
		p = netstate_link_by_index(other, l->link);
		if (!p)
			continue;
		snprintf(l->peer_name, sizeof(l->peer_name), "%s", p->name);
		snprintf(l->peer_netns, sizeof(l->peer_netns), "%s", label ? label : "");
		l->peer_in_host = !label;
		l->peer_resolved = true;
	}
	return 0;
}

static int resolve_peers(struct nl_sock *s, struct netstate *st, const char *self,
			 struct error *err)
{
	_cleanup_free_ struct netns_entry *entries = NULL;
	_cleanup_close_ int host = -1;
	bool foreign = false;
	size_t n;
	int r;

	for (size_t i = 0; i < st->n_links; i++) {
		struct ns_link *l = &st->links[i];
		const struct ns_link *p;

		if (!l->link)
			continue;
		if (l->link_nsid < 0) {
			p = netstate_link_by_index(st, l->link);
			if (p) {
				snprintf(l->peer_name, sizeof(l->peer_name), "%s", p->name);
				snprintf(l->peer_netns, sizeof(l->peer_netns), "%s",
					 self ? self : "");
				l->peer_in_host = !self;
				l->peer_resolved = true;
			}
		} else {
			foreign = true;
		}
	}
	if (!foreign)
		return 0;
	/* Peers elsewhere: the host first (a namespace usually hangs off a host bridge). */
	if (self) {
		host = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
		if (host >= 0) {
			r = resolve_in(s, st, host, NULL, err);
			if (r < 0)
				return r;
		}
	}
	r = netns_list(&entries, &n, err);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		_cleanup_close_ int fd = -1;

		if (!entries[i].valid || (self && strcmp(entries[i].name, self) == 0))
			continue;
		if (netns_open(entries[i].name, &fd, NULL) < 0)
			continue; /* removed meanwhile: its peers stay unnamed */
		r = resolve_in(s, st, fd, entries[i].name, err);
		if (r < 0)
			return r;
	}
	return 0;
}

int observe_namespace(const char *name, struct netstate **ret, struct error *err)
{
	_cleanup_(netstate_freep) struct netstate *st = netstate_new();
	_cleanup_nl_sock_ struct nl_sock *s = NULL;
	int r;

	if (!st)
		return error_set(err, -ENOMEM, "out of memory");
	if (name) {
		_cleanup_close_ int fd = -1;

		r = netns_open(name, &fd, err);
		if (r < 0)
			return r;
		r = nl_sock_open_ns(fd, -1, name, &s, err);
	} else {
		r = nl_sock_open(&s, err);
	}
	if (r < 0)
		return r;
	r = nl_observe(s, st, NL_OBSERVE_ALL, err);
	if (r < 0)
		return r;
	r = resolve_peers(s, st, name, err);
	if (r < 0)
		return r;
	*ret = TAKE_PTR(st);
	return 0;
}
