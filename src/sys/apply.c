// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Each action maps onto one kernel-layer call. Its inverse is either derived
 * from the action (an add is undone by a delete) or was prepared by the
 * planner from what the kernel held before (action.restore), or, for the
 * firewall and the sysctls, read right before the change.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "core/fw.h"
#include "core/ovsdb-plan.h"
#include "core/owner.h"
#include "ethtool.h"
#include "netns.h"
#include "nft.h"
#include "ovs.h"
#include "rtnl.h"
#include "state.h"
#include "observe.h"
#include "sysctl.h"
#include "vxlan.h"

/*
 * A step of the undo log. The log is about as long as the plan (6000 steps
 * for 1000 namespaces), so a step points at the action it undoes, in the plan
 * (which outlives the log), rather than copying 400 bytes; only the inverses
 * made here (the firewall's saved table, the old sysctl value) are owned.
 */
struct undo_step {
	const struct action *a; /* run as type; restore list and script dropped if retyped */
	enum action_type type;
	struct action *own; /* not NULL: run this instead, freed with the log */
};

struct undo_log {
	struct undo_step *v;
	size_t n, cap;
	bool oom;
	bool unused; /* nothing will be rolled back (down, a rollback): push nothing */
};

/* What one run holds besides the plan: the handles, the journal, the master memo. */
struct applier {
	struct nsctx *c;
	struct journal *journal;
	/*
	 * The index of the last master looked up: a bridge of 1000 ports is
	 * looked up once, not for each port. Forgotten when a link of its name
	 * is created or deleted (the name may then stand for another link).
	 */
	struct {
		char ns[NETNS_NAME_MAX + 1];
		char name[IFNAME_MAX + 1];
		int index; /* 0: none known */
	} memo;
};

struct apply_undo {
	struct undo_log log;
	struct journal *journal;
};

static void undo_add(struct undo_log *u, struct undo_step st)
{
	if (u->n == u->cap) {
		size_t cap = u->cap ? u->cap * 2 : 64;
		struct undo_step *nv = realloc(u->v, cap * sizeof(*nv));

		if (!nv) {
			u->oom = true;
			if (st.own) {
				action_clear(st.own);
				free(st.own);
			}
			return;
		}
		u->v = nv;
		u->cap = cap;
	}
	u->v[u->n++] = st;
}

/* a, in the plan, is run as it is. */
static void undo_push(struct undo_log *u, const struct action *a)
{
	if (!u->unused)
		undo_add(u, (struct undo_step){a, a->type, NULL});
}

/* a, in the plan, is run as type (its restore list and script dropped). */
static void undo_push_type(struct undo_log *u, const struct action *a, enum action_type type)
{
	if (!u->unused)
		undo_add(u, (struct undo_step){a, type, NULL});
}

/* A copy of inv (a local action) is run. */
static void undo_push_own(struct undo_log *u, const struct action *inv)
{
	struct action *own;

	if (u->unused)
		return;
	own = calloc(1, sizeof(*own));
	if (own) {
		*own = *inv;
		own->restore = NULL;
		own->n_restore = 0;
		own->script = inv->script ? strdup(inv->script) : NULL;
	}
	if (!own || (inv->script && !own->script)) {
		free(own);
		u->oom = true;
		return;
	}
	undo_add(u, (struct undo_step){NULL, inv->type, own});
}

static void undo_clear(struct undo_log *u)
{
	for (size_t k = 0; k < u->n; k++)
		if (u->v[k].own) {
			action_clear(u->v[k].own);
			free(u->v[k].own);
		}
	free(u->v);
}

/* Host links are journalled before they exist: see state.h. */
static int journal_host_link(struct applier *ap, const struct action *a, struct error *err)
{
	if ((a->ns[0] && a->peer_ns[0]) || !ap->journal)
		return 0;
	return journal_add(ap->journal, PENDING_LINK, a->ns[0] ? a->peer : a->name, 0, err);
}

static struct nl_sock *sock(struct nsctx *c, const char *ns, int *fd, struct error *err,
			    int *r)
{
	struct nl_sock *s = NULL;

	*r = nsctx_get(c, ns, &s, fd, err);
	return *r < 0 ? NULL : s;
}

static int do_veth(struct applier *ap, const struct action *a, struct error *err,
		   struct undo_log *u)
{
	struct nsctx *c = ap->c;
	struct link_attrs la = LINK_ATTRS_INIT, pa = LINK_ATTRS_INIT;
	struct nl_sock *s;
	int r, peer_fd;

	s = sock(c, a->ns, NULL, err, &r);
	if (!s)
		return r;
	if (!sock(c, a->peer_ns, &peer_fd, err, &r))
		return r;
	la.mtu = a->mtu;
	la.mac = a->has_mac ? a->mac : NULL;
	la.alias = a->alias;
	pa.mtu = a->peer_mtu;
	pa.mac = a->peer_has_mac ? a->peer_mac : NULL;
	pa.alias = a->alias;
	pa.netns_fd = peer_fd;
	la.group = pa.group = OWNER_GROUP;
	r = journal_host_link(ap, a, err);
	if (r < 0)
		return r;
	r = nl_link_add_veth(s, a->name, &la, a->peer, &pa, err);
	if (r < 0)
		return r;
	undo_push_type(u, a, ACT_LINK_DEL);
	/*
	 * The kernel ignores IFLA_IFALIAS on creation, so the mark follows in a
	 * second request. Until then the group (set at creation) says that
	 * nsnet made the link: see core/owner.h.
	 */
	r = nl_link_setup(s, a->name, a->alias, a->no_ipv6, err);
	if (r < 0)
		return r;
	s = sock(c, a->peer_ns, NULL, err, &r);
	if (!s)
		return r;
	return nl_link_setup(s, a->peer, a->alias, a->peer_no_ipv6, err);
}

static void master_memo_forget(struct applier *ap, const char *ns, const char *name)
{
	if (strcmp(ap->memo.ns, ns) == 0 && (strcmp(ap->memo.name, name) == 0 || !name[0]))
		ap->memo.index = 0;
}

static int set_master(struct applier *ap, struct nl_sock *s, const struct action *a,
		      struct error *err)
{
	int r;

	if (!a->master[0])
		return nl_link_set_master(s, a->name, NULL, err);
	if (!ap->memo.index || strcmp(ap->memo.ns, a->ns) != 0 ||
	    strcmp(ap->memo.name, a->master) != 0) {
		ap->memo.index = 0;
		r = nl_link_index(s, a->master, &ap->memo.index, err);
		if (r < 0) {
			ap->memo.index = 0;
			return error_prefix(err, "link '%s': set master", a->name);
		}
		snprintf(ap->memo.ns, sizeof(ap->memo.ns), "%s", a->ns);
		snprintf(ap->memo.name, sizeof(ap->memo.name), "%s", a->master);
	}
	return nl_link_set_master_index(s, a->name, a->master, ap->memo.index, err);
}

static int do_vxlan(struct nl_sock *s, const struct action *a, struct error *err)
{
	struct link_attrs la = LINK_ATTRS_INIT;
	struct vxlan_spec v = {
		.id = a->vxlan.id,
		.port = a->vxlan.port,
		.local = a->vxlan.local,
		.learning = a->vxlan.learning,
		.ipv6 = a->vxlan.ipv6,
	};
	int r;

	if (a->vxlan.dev[0]) {
		r = nl_link_index(s, a->vxlan.dev, &v.link, err);
		if (r < 0)
			return error_prefix(err, "vxlan '%s': underlay", a->name);
	}
	la.mtu = a->mtu;
	la.mac = a->has_mac ? a->mac : NULL;
	la.group = OWNER_GROUP;
	return nl_vxlan_add(s, a->name, &la, &v, err);
}

static int do_fdb(struct nl_sock *s, const struct action *a, struct error *err)
{
	struct fdb_spec f = {
		.dst = a->vxlan.remote,
		.port = a->vxlan.port,
		.vni = a->vxlan.id,
		.via = a->value,
	};

	return a->type == ACT_FDB_ADD ? nl_fdb_add(s, a->name, &f, err)
				      : nl_fdb_del(s, a->name, &f, err);
}

static int do_route(struct nl_sock *s, const struct action *a, bool add, struct error *err)
{
	struct route_spec rs = {
		.dst = a->route.dst,
		.gateway = a->route.gateway,
		.dev = a->route.dev[0] ? a->route.dev : NULL,
		.protocol = OWNER_RTPROT,
	};

	if (!rs.dst.addr.family)
		rs.dst.addr.family = rs.gateway.family;
	return add ? nl_route_add(s, &rs, err) : nl_route_del(s, &rs, err);
}

/* The current listing of the topology's table, to put it back; NULL if none. */
static char *fw_saved(const char *table)
{
	char comment[8];

	if (nft_table_comment(OWNER_TABLE_FAMILY, table, comment, sizeof(comment), NULL) < 0)
		return NULL;
	return nft_table_dump(OWNER_TABLE_FAMILY, table, NULL);
}

/* Undo entry that brings the table back to saved (or removes it when saved is NULL). */
static void push_fw_undo(struct undo_log *u, const char *table, char *saved)
{
	struct action inv = {.type = saved ? ACT_FW_APPLY : ACT_FW_DEL};

	snprintf(inv.alias, sizeof(inv.alias), "%s", table);
	if (saved && fw_script_delete(table + strlen(OWNER_TABLE_PREFIX), saved, &inv.script,
				      NULL) < 0) {
		u->oom = true;
		return;
	}
	undo_push_own(u, &inv);
	free(inv.script);
}

/*
 * The state directory's note of a setting of the host (plan.h, enum
 * sysctl_note): made before the write when there is none (*made: by this
 * call), dropped after the write that restores it.
 */
static int sysctl_note(struct applier *ap, const struct action *a, int old, bool before,
		       bool *made, struct error *err)
{
	if (!ap->journal)
		return 0;
	if (before && a->note == SYSCTL_NOTE_KEEP && old >= 0 && old != a->value)
		return state_note_keep(ap->journal->dir, a->key, old, made, err);
	if (!before && a->note == SYSCTL_NOTE_DROP)
		return state_note_drop(ap->journal->dir, a->key, err);
	return 0;
}

/*
 * The OVSDB row actions v[0..n) as one transaction. Each is undone by the
 * inverse row change, in a transaction of the rollback's own: an insert by
 * deleting the uuid the server gave it, a delete by the rows the planner
 * read (its restore list).
 */
static int ovs_run(struct applier *ap, const struct action *const *v, size_t n,
		   struct undo_log *u, struct error *err)
{
	_cleanup_free_ char(*uuids)[OVSDB_UUID_LEN + 1] = calloc(n ? n : 1, sizeof(*uuids));
	int r;

	if (!uuids)
		return error_set(err, -ENOMEM, "out of memory");
	r = ovs_commit(ap->c, v, n, uuids, err);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		const struct action *a = v[i];
		struct action inv = *a;

		switch (a->type) {
		case ACT_OVS_BRIDGE_ADD:
		case ACT_OVS_PORT_ADD:
			inv.type = a->type == ACT_OVS_BRIDGE_ADD ? ACT_OVS_BRIDGE_DEL
								 : ACT_OVS_PORT_DEL;
			inv.script = NULL;
			snprintf(inv.key, sizeof(inv.key), "%s", uuids[i]);
			undo_push_own(u, &inv);
			break;
		default:
			for (size_t k = a->n_restore; k-- > 0;)
				undo_push(u, &a->restore[k]);
			break;
		}
	}
	return 0;
}

/* TX checksum offload of a link in a namespace; the old setting, read first, undoes it. */
static int do_txcsum(struct applier *ap, const struct action *a, struct undo_log *u,
		     struct error *err)
{
	_cleanup_close_ int fd = -1;
	char where[NETNS_NAME_MAX + 8] = "";
	struct nl_sock *s;
	int nsfd, r;
	bool old;

	if (a->ns[0])
		snprintf(where, sizeof(where), " in '%s'", a->ns);
	r = nsctx_get(ap->c, a->ns, &s, &nsfd, err);
	if (r >= 0)
		r = ethtool_sock_open(nsfd, &fd, err);
	if (r >= 0)
		r = ethtool_tx_csum_get(fd, a->name, &old, where, err);
	if (r >= 0)
		r = ethtool_tx_csum_set(fd, a->name, a->value != 0, where, err);
	if (r >= 0 && old != (a->value != 0)) {
		struct action inv = *a;

		inv.value = old;
		inv.restore = NULL;
		inv.n_restore = 0;
		inv.script = NULL;
		undo_push_own(u, &inv);
	}
	return r;
}

static int run_action(struct applier *ap, const struct action *a, struct undo_log *u,
		      struct error *err)
{
	struct nsctx *c = ap->c;
	bool made = false;
	int fd = -1, home = -1;
	uint64_t mark;
	struct nl_sock *s = NULL;
	int r = 0, old;
	char *saved;

	/* Whatever (re)creates or deletes a link may reuse or free a master's name. */
	if (a->type == ACT_BRIDGE_ADD || a->type == ACT_VETH_ADD || a->type == ACT_LINK_DEL ||
	    a->type == ACT_VXLAN_ADD) {
		master_memo_forget(ap, a->ns, a->name);
		if (a->type == ACT_VETH_ADD)
			master_memo_forget(ap, a->peer_ns, a->peer);
	}
	if (a->type == ACT_NS_ADD || a->type == ACT_NS_DEL)
		master_memo_forget(ap, a->ns, "");
	switch (a->type) {
	case ACT_NS_ADD:
		/* The placeholder's mark is journalled first: see state.h. */
		mark = netns_mark_new();
		r = ap->journal ? journal_add(ap->journal, PENDING_NS, a->ns, mark, err) : 0;
		if (r >= 0)
			r = nsctx_ns_add(c, a->ns, a->alias, mark, err);
		if (r >= 0)
			undo_push_type(u, a, ACT_NS_DEL);
		return r;
	case ACT_NS_DEL:
		nsctx_forget(c, a->ns);
		r = netns_del(a->ns, err);
		return r == -ENOENT ? 0 : r; /* already gone: what a delete wants */
	case ACT_SYSCTL:
		/* Its old value, read right before the write, is what undoes it. */
		if (a->ns[0]) {
			r = nsctx_get(c, a->ns, &s, &fd, err);
			if (r >= 0)
				r = nsctx_get(c, "", &s, &home, err);
			if (r < 0)
				return r;
		}
		old = sysctl_get_at(fd, home, a->key);
		r = sysctl_note(ap, a, old, true, &made, err);
		if (r >= 0)
			r = sysctl_set_at(fd, home, a->key, a->value, err);
		if (r < 0 && a->ns[0])
			error_prefix(err, "namespace '%s'", a->ns);
		if (r < 0 && made)
			(void)state_note_drop(ap->journal->dir, a->key, NULL);
		if (r >= 0 && old >= 0 && old != a->value) {
			struct action inv = *a;

			/* A note this made goes with the undo; one this dropped comes back. */
			inv.value = old;
			inv.note = made ? SYSCTL_NOTE_DROP
				   : a->note == SYSCTL_NOTE_DROP ? SYSCTL_NOTE_KEEP
								 : SYSCTL_NOTE_NONE;
			undo_push_own(u, &inv);
		}
		if (r >= 0)
			r = sysctl_note(ap, a, old, false, &made, err);
		return r;
	case ACT_OVS_BRIDGE_ADD:
	case ACT_OVS_PORT_ADD:
	case ACT_OVS_PORT_DEL:
	case ACT_OVS_BRIDGE_DEL:
		/* Alone; apply_plan and rollback send a run of them as one transaction. */
		return ovs_run(ap, &a, 1, u, err);
	case ACT_OVS_WAIT:
		return ovs_wait(c, err);
	case ACT_TXCSUM:
		return do_txcsum(ap, a, u, err);
	case ACT_FW_APPLY:
	case ACT_FW_DEL:
		/* The listing of a table of 1000 forwards costs more than its replacement. */
		saved = u->unused ? NULL : fw_saved(a->alias);
		if (a->type == ACT_FW_APPLY) {
			r = nft_apply(a->script, err);
		} else {
			_cleanup_free_ char *del = NULL;

			r = fw_script_delete(a->alias + strlen(OWNER_TABLE_PREFIX), NULL, &del, err);
			if (r >= 0)
				r = nft_apply(del, err);
		}
		if (r >= 0)
			push_fw_undo(u, a->alias, saved);
		free(saved);
		return r;
	case ACT_FW_ELEMENTS:
		/* Elements one attachment owns: never the whole table (core/cni-plan.h). */
		r = a->tolerant ? nft_apply_each(a->script, err) : nft_apply(a->script, err);
		for (size_t i = a->n_restore; r >= 0 && i-- > 0;)
			undo_push(u, &a->restore[i]);
		return r;
	default:
		break;
	}
	if (a->type != ACT_VETH_ADD && !(s = sock(c, a->ns, NULL, err, &r)))
		return r;
	switch (a->type) {
	case ACT_BRIDGE_ADD: {
		struct link_attrs la = LINK_ATTRS_INIT;

		la.mtu = a->mtu;
		la.mac = a->has_mac ? a->mac : NULL;
		la.alias = a->alias;
		la.group = OWNER_GROUP;
		r = journal_host_link(ap, a, err);
		if (r < 0)
			return r;
		r = nl_link_add_bridge(s, a->name, &la, err);
		if (r >= 0)
			undo_push_type(u, a, ACT_LINK_DEL);
		if (r >= 0)
			r = nl_link_setup(s, a->name, a->alias, a->no_ipv6, err);
		return r;
	}
	case ACT_VETH_ADD:
		r = do_veth(ap, a, err, u);
		return r;
	case ACT_VXLAN_ADD:
		r = journal_host_link(ap, a, err);
		if (r >= 0)
			r = do_vxlan(s, a, err);
		if (r >= 0)
			undo_push_type(u, a, ACT_LINK_DEL);
		if (r >= 0)
			r = nl_link_setup(s, a->name, a->alias, a->no_ipv6, err);
		return r;
	case ACT_FDB_ADD:
	case ACT_FDB_DEL:
		r = do_fdb(s, a, err);
		if (a->type == ACT_FDB_DEL && (r == -ENOENT || r == -ENODEV))
			return 0; /* gone already, or with its device */
		if (r >= 0)
			undo_push_type(u, a, a->type == ACT_FDB_ADD ? ACT_FDB_DEL : ACT_FDB_ADD);
		return r;
	case ACT_LINK_CLAIM:
		/* The group first: it is what the firewall keeps topologies apart by. */
		r = nl_link_set_group(s, a->name, OWNER_GROUP, err);
		if (r >= 0)
			r = nl_link_setup(s, a->name, a->alias, a->no_ipv6, err);
		return r;
	case ACT_LINK_DEL:
		r = nl_link_del(s, a->name, err);
		if (r == -ENODEV)
			return 0; /* gone already (with its peer, or by hand) */
		break;
	case ACT_LINK_MASTER:
		r = set_master(ap, s, a, err);
		break;
	case ACT_LINK_MTU:
		r = nl_link_set_mtu(s, a->name, a->mtu, err);
		break;
	case ACT_LINK_MAC:
		r = nl_link_set_mac(s, a->name, a->mac, err);
		break;
	case ACT_BRPORT_HAIRPIN:
		r = nl_brport_set_hairpin(s, a->name, a->value != 0, err);
		break;
	case ACT_LINK_UP:
	case ACT_LINK_DOWN:
		r = nl_link_set_up(s, a->name, a->type == ACT_LINK_UP, err);
		if (r >= 0)
			undo_push_type(u, a, a->type == ACT_LINK_UP ? ACT_LINK_DOWN : ACT_LINK_UP);
		return r;
	case ACT_ADDR_ADD:
	case ACT_ADDR_DEL:
		r = a->type == ACT_ADDR_ADD ? nl_addr_add(s, a->name, &a->prefix, err)
					    : nl_addr_del(s, a->name, &a->prefix, err);
		if (a->type == ACT_ADDR_DEL && (r == -EADDRNOTAVAIL || r == -ENODEV))
			return 0;
		if (r >= 0)
			undo_push_type(u, a, a->type == ACT_ADDR_ADD ? ACT_ADDR_DEL : ACT_ADDR_ADD);
		return r;
	case ACT_ROUTE_ADD:
	case ACT_ROUTE_DEL:
		r = do_route(s, a, a->type == ACT_ROUTE_ADD, err);
		if (a->type == ACT_ROUTE_DEL && (r == -ESRCH || r == -ENODEV))
			return 0;
		if (r >= 0)
			undo_push_type(u, a,
				       a->type == ACT_ROUTE_ADD ? ACT_ROUTE_DEL : ACT_ROUTE_ADD);
		return r;
	default: /* ACT_LINK_GONE is never undone, and apply_plan waits for it */
		return error_set(err, -EINVAL, "unknown action %d", a->type);
	}
	/*
	 * Changes whose inverse the planner prepared from the old state. The
	 * log runs backwards, so the restore list goes in reversed: a deleted
	 * link is then re-created before its addresses are put back.
	 */
	if (r >= 0)
		for (size_t i = a->n_restore; i-- > 0;)
			undo_push(u, &a->restore[i]);
	return r;
}

static void undo_count(struct apply_report *rep, int r, const struct error *e, size_t n)
{
	if (r < 0) {
		if (!rep->undo_failed)
			snprintf(rep->undo_error, sizeof(rep->undo_error), "%s", e->msg);
		rep->undo_failed += n;
	} else {
		rep->undone += n;
	}
}

/*
 * The OVSDB row steps from u->v[i] down: one transaction, then the wait for
 * ovs-vswitchd (unless it did not apply the change being undone either).
 * Returns how many steps it took.
 */
static size_t rollback_ovs(struct applier *ap, struct undo_log *u, size_t i,
			   struct apply_report *rep)
{
	struct undo_log none = {.unused = true};
	_cleanup_free_ const struct action **v = calloc(i + 1, sizeof(*v));
	struct error e = {0};
	size_t n = 0;
	int r;

	for (size_t k = i + 1; k-- > 0;) {
		const struct undo_step *st = &u->v[k];

		if (!ovsdb_plan_is_row(st->type))
			break;
		if (v)
			v[n] = st->own ? st->own : st->a;
		n++;
	}
	if (!v) {
		undo_count(rep, error_set(&e, -ENOMEM, "out of memory"), &e, n);
		return n;
	}
	r = ovs_run(ap, v, n, &none, &e);
	if (r >= 0 && !ovs_stalled(ap->c))
		r = ovs_wait(ap->c, &e);
	undo_count(rep, r, &e, n);
	return n;
}

/* Runs the undo log backwards, past failures: put back as much as can be. */
static void rollback(struct applier *ap, struct undo_log *u, struct apply_report *rep)
{
	for (size_t i = u->n; i-- > 0;) {
		const struct undo_step *st = &u->v[i];
		struct undo_log none = {.unused = true};
		const struct action *run = st->own ? st->own : st->a;
		struct error e = {0};
		struct action tmp;

		if (ovsdb_plan_is_row(st->type)) {
			i -= rollback_ovs(ap, u, i, rep) - 1;
			continue;
		}

		if (!st->own && st->type != st->a->type) {
			tmp = *st->a;
			tmp.type = st->type;
			tmp.restore = NULL;
			tmp.n_restore = 0;
			tmp.script = NULL;
			run = &tmp;
		}
		if (run_action(ap, run, &none, &e) < 0) {
			if (!rep->undo_failed++)
				snprintf(rep->undo_error, sizeof(rep->undo_error), "%s", e.msg);
		} else {
			rep->undone++;
		}
	}
}

/* Namespaces whose delete failed this run: their host ends stay, so no one waits for them. */
struct ns_failed {
	char (*names)[NETNS_NAME_MAX + 1];
	size_t n;
};

static void ns_failed_add(struct ns_failed *f, const char *ns)
{
	char (*nv)[NETNS_NAME_MAX + 1] = realloc(f->names, (f->n + 1) * sizeof(*nv));

	if (!nv)
		return; /* then its host ends are waited for, and deleted after the wait */
	f->names = nv;
	snprintf(nv[f->n++], sizeof(*nv), "%s", ns);
}

static bool ns_failed_has(const struct ns_failed *f, const char *ns)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->names[i], ns) == 0)
			return true;
	return false;
}

/*
 * Idle time after which host ends still there are deleted by hand: something
 * (a process inside) keeps their namespace alive. The kernel frees a batch
 * of 1000 namespaces in about half a second.
 */
#define GONE_IDLE_MS 5000

/*
 * The run of ACT_LINK_GONE actions v[0..n): one wait for all of them. A link
 * still there afterwards is deleted directly; res[i] is each one's result.
 */
static void wait_gone(struct nsctx *c, const struct action *v, size_t n,
		      const struct ns_failed *failed, int *res, struct error *errs)
{
	_cleanup_free_ int *index = calloc(n, sizeof(*index));
	_cleanup_free_ bool *gone = calloc(n, sizeof(*gone));
	struct nl_sock *s;
	size_t k = 0;
	int r;

	s = sock(c, "", NULL, &errs[0], &r);
	if (s && (!index || !gone))
		r = error_set(&errs[0], -ENOMEM, "out of memory");
	if (r < 0) {
		for (size_t i = 0; i < n; i++) {
			res[i] = r;
			errs[i] = errs[0];
		}
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (!ns_failed_has(failed, v[i].peer_ns))
			index[k++] = v[i].value;
	r = nl_links_wait_gone(s, index, gone, k, GONE_IDLE_MS, &errs[0]);
	if (r < 0)
		memset(gone, 0, n * sizeof(*gone)); /* then delete them one by one */
	k = 0;
	for (size_t i = 0; i < n; i++) {
		bool went = !ns_failed_has(failed, v[i].peer_ns) && gone[k++];

		res[i] = went ? 0 : nl_link_del(s, v[i].name, &errs[i]);
		if (res[i] == -ENODEV)
			res[i] = 0;
	}
}

/* Actions p->v[start..end), OVSDB row changes all, as one transaction. */
static int apply_ovs_run(struct applier *ap, const struct plan *p, size_t start, size_t end,
			 struct undo_log *u, struct error *err)
{
	_cleanup_free_ const struct action **v = calloc(end - start, sizeof(*v));

	if (!v)
		return error_set(err, -ENOMEM, "out of memory");
	for (size_t k = start; k < end; k++)
		v[k - start] = &p->v[k];
	return ovs_run(ap, v, end - start, u, err);
}

int apply_plan(struct nsctx *c, const struct plan *p, const struct apply_opts *o,
	       struct apply_report *rep, struct apply_undo **ret_undo, struct error *err)
{
	struct applier ap = {.c = c, .journal = o->journal};
	struct ns_failed failed = {0};
	struct undo_log u = {.unused = !o->stop_on_error};
	_cleanup_free_ int *gone_res = NULL;
	_cleanup_free_ struct error *gone_err = NULL;
	size_t gone_start = 0, gone_end = 0, ovs_end = 0;
	struct error ovs_err = {0};
	int first = 0, ovs_res = 0;

	memset(rep, 0, sizeof(*rep));
	for (size_t i = 0; i < p->n; i++) {
		struct error e = {0};
		int r;

		if (o->progress)
			o->progress(&p->v[i], o->data);
		if (p->v[i].type == ACT_LINK_GONE) {
			/* The whole run of them at its first: one wait. */
			if (i >= gone_end) {
				gone_start = i;
				for (gone_end = i;
				     gone_end < p->n && p->v[gone_end].type == ACT_LINK_GONE;
				     gone_end++)
					;
				free(gone_res);
				free(gone_err);
				gone_res = calloc(gone_end - i, sizeof(*gone_res));
				gone_err = calloc(gone_end - i, sizeof(*gone_err));
				if (gone_res && gone_err)
					wait_gone(c, &p->v[i], gone_end - i, &failed, gone_res,
						  gone_err);
			}
			if (gone_res && gone_err) {
				r = gone_res[i - gone_start];
				e = gone_err[i - gone_start];
			} else {
				r = error_set(&e, -ENOMEM, "out of memory");
			}
		} else if (ovsdb_plan_is_row(p->v[i].type)) {
			/* The whole run of them at its first: one transaction. */
			if (i >= ovs_end) {
				ovs_end = i;
				while (ovs_end < p->n && ovsdb_plan_is_row(p->v[ovs_end].type))
					ovs_end++;
				ovs_res = apply_ovs_run(&ap, p, i, ovs_end, &u, &ovs_err);
			}
			r = ovs_res;
			e = ovs_err;
		} else {
			r = run_action(&ap, &p->v[i], &u, &e);
		}
		if (r < 0 && p->v[i].type == ACT_NS_DEL)
			ns_failed_add(&failed, p->v[i].ns);
		if (r >= 0 && u.oom)
			r = error_set(&e, -ENOMEM, "out of memory (undo log)");
		if (r >= 0) {
			rep->done++;
			continue;
		}
		if (!first) {
			char what[256];

			first = r;
			rep->failed_at = i;
			if (err)
				*err = e;
			action_describe(&p->v[i], what, sizeof(what));
			error_prefix(err, "step %zu of %zu (%s)", i + 1, p->n, what);
		}
		if (o->stop_on_error) {
			rollback(&ap, &u, rep);
			break;
		}
	}
	free(failed.names);
	if (!first && ret_undo && !u.unused) {
		*ret_undo = calloc(1, sizeof(**ret_undo));
		if (*ret_undo) {
			(*ret_undo)->log = u;
			(*ret_undo)->journal = o->journal;
			return 0;
		}
		/* Without the log a later failure cannot be undone: treat it as this one's. */
		first = error_set(err, -ENOMEM, "out of memory (undo log)");
		rep->failed_at = p->n;
		rollback(&ap, &u, rep);
	}
	undo_clear(&u);
	return first;
}

void apply_rollback(struct nsctx *c, struct apply_undo *u, struct apply_report *rep)
{
	struct applier ap = {.c = c};

	if (!u)
		return;
	ap.journal = u->journal;
	rollback(&ap, &u->log, rep);
	apply_undo_free(u);
}

void apply_undo_free(struct apply_undo *u)
{
	if (!u)
		return;
	undo_clear(&u->log);
	free(u);
}
