// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The planner: want (a topology) against have (struct world) -> actions.
 *
 * Actions are collected per phase and concatenated, so the order is fixed by
 * kind, not by discovery: namespaces first (everything lives in them), then
 * deletions (they free names a creation may need: the tutorial's cable
 * veth-red becomes a bridge port of the same name), creations, changes in
 * place, addresses, links up, routes, sysctls, the firewall, route_localnet
 * (only once the firewall guards it), and last the deletion of whole namespaces, which cannot be undone and so runs only when
 * everything else succeeded.
 *
 * Only objects carrying the topology's mark are ever changed or deleted; a
 * wanted name held by anything else is a conflict, reported, never taken.
 */
#include <errno.h>
#include <limits.h>
#include <linux/if.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw.h"
#include "plan-internal.h"
#include "quote.h"

void action_clear(struct action *a)
{
	for (size_t i = 0; i < a->n_restore; i++)
		action_clear(&a->restore[i]);
	free(a->restore);
	free(a->script);
	a->restore = NULL;
	a->n_restore = 0;
	a->script = NULL;
}

struct action *plan_append(struct action **v, size_t *n, const struct action *a)
{
	struct action *dst;

	/* Capacity is implicit: 8, then doubled when the count reaches a power of two. */
	if (*n == 0 || (*n >= 8 && (*n & (*n - 1)) == 0)) {
		struct action *nv = realloc(*v, (*n ? *n * 2 : 8) * sizeof(**v));

		if (!nv)
			return NULL;
		*v = nv;
	}
	dst = &(*v)[*n];
	*dst = *a;
	dst->restore = NULL;
	dst->n_restore = 0;
	dst->script = NULL;
	if (a->script && !(dst->script = strdup(a->script)))
		return NULL;
	for (size_t i = 0; i < a->n_restore; i++)
		if (!plan_append(&dst->restore, &dst->n_restore, &a->restore[i])) {
			action_clear(dst);
			return NULL;
		}
	(*n)++;
	return dst;
}

void plan_free(struct plan *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++)
		action_clear(&p->v[i]);
	free(p->v);
	free(p->fw_detail);
	free(p);
}


/* Adds a to phase ph; a's script and restore list are moved, not copied. */
struct action *plan_emit(struct builder *b, enum phase ph, struct action *a)
{
	struct action *dst;

	if (b->redirect && (ph == PH_SET || ph == PH_ADDR || ph == PH_UP))
		ph = b->redirect;
	dst = plan_append(&b->ph[ph], &b->n[ph], a);
	action_clear(a);
	if (!dst)
		b->oom = true;
	return dst;
}

struct action plan_act(enum action_type type, const char *ns, const char *name)
{
	struct action a = {.type = type};

	snprintf(a.ns, sizeof(a.ns), "%s", ns ? ns : "");
	snprintf(a.name, sizeof(a.name), "%s", name ? name : "");
	return a;
}

void plan_add_restore(struct builder *b, struct action *owner, struct action *r)
{
	if (!plan_append(&owner->restore, &owner->n_restore, r))
		b->oom = true;
	action_clear(r);
}

/* The state of a place: "" the host, else a namespace; NULL if it does not exist. */
const struct netstate *plan_place(const struct builder *b, const char *ns)
{
	const struct world_ns *w;

	if (!ns[0])
		return b->have->host;
	w = world_ns_find(b->have, ns);
	return w ? w->st : NULL;
}

bool plan_unmarked_nsnet(const struct ns_link *l)
{
	return l->group == OWNER_GROUP && !l->alias[0];
}

/*
 * Ours: carries our mark, or was made by nsnet (its group) and lost its run
 * before the mark was set. Unmarked, a link inside a namespace is ours when
 * the namespace is (we only look into ours); on the host, only when our
 * journal says we were creating it: another topology may be creating it now.
 * An unmarked link of ours is only ever recreated.
 */
bool plan_owned_at(const struct builder *b, const char *ns, const struct ns_link *l)
{
	if (owner_alias_is(l->alias, b->topo))
		return true;
	if (!plan_unmarked_nsnet(l))
		return false;
	return ns[0] || world_claims_has(&b->have->claims, l->name);
}

bool plan_is_deleted(const struct builder *b, const char *ns, const char *name)
{
	for (size_t i = 0; i < b->n_del; i++)
		if (strcmp(b->del[i].ns, ns) == 0 && strcmp(b->del[i].name, name) == 0)
			return true;
	return false;
}

void plan_mark_deleted(struct builder *b, const char *ns, const char *name)
{
	struct deleted *nd = realloc(b->del, (b->n_del + 1) * sizeof(*nd));

	if (!nd) {
		b->oom = true;
		return;
	}
	b->del = nd;
	snprintf(nd[b->n_del].ns, sizeof(nd->ns), "%s", ns);
	snprintf(nd[b->n_del].name, sizeof(nd->name), "%s", name);
	b->n_del++;
}

static const char *where(const char *ns, char *buf, size_t len)
{
	if (!ns[0])
		return "on the host";
	snprintf(buf, len, "in '%s'", ns);
	return buf;
}

/* "FILE:LINE:COL: " of where the file wants name in ns, or "" (down wants nothing). */
static void wanted_at(const struct builder *b, const char *ns, const char *name, bool is_ns,
		      char *buf, size_t len)
{
	const struct topology_ns *n;
	struct topology_pos pos;
	bool found = false;

	buf[0] = '\0';
	if (!b->want || !b->want->file)
		return;
	if (is_ns && (n = topology_ns_find(b->want, name))) {
		pos = n->pos;
		found = true;
	} else if (!is_ns) {
		found = topology_link_pos(b->want, ns, name, &pos);
	}
	if (found)
		snprintf(buf, len, "%s:%u:%u: ", b->want->file, pos.line, pos.col);
}

/* "'nsnet down OTHER'", quoted for a shell whatever the name. */
static void down_cmd(const char *other, char *buf, size_t len)
{
	const char *argv[] = {"nsnet", "down", other, NULL};

	if (quote_shell_argv(argv, buf, len) < 0)
		snprintf(buf, len, "nsnet down");
}

int plan_conflict(struct builder *b, const char *ns, const struct ns_link *l)
{
	const char *other = owner_of_alias(l->alias);
	char w[NETNS_NAME_MAX + 8], at[PATH_MAX + 32], cmd[128];

	wanted_at(b, ns, l->name, false, at, sizeof(at));
	if (other) {
		down_cmd(other, cmd, sizeof(cmd));
		return error_set(b->err, -EEXIST,
				 "%slink '%s' %s belongs to topology '%s', not '%s'; refusing to "
				 "take it over (choose another name here, or remove the other "
				 "topology with '%s')",
				 at, l->name, where(ns, w, sizeof(w)), other, b->topo, cmd);
	}
	return error_set(b->err, -EEXIST,
			 "%slink '%s' %s exists and is not nsnet's; refusing to touch it (remove "
			 "it, or choose another name in the topology)",
			 at, l->name, where(ns, w, sizeof(w)));
}

static int plan_namespaces(struct builder *b)
{
	char at[PATH_MAX + 32], cmd[128];

	for (size_t i = 0; b->want && i < b->want->n_namespaces; i++) {
		const char *name = b->want->namespaces[i].name;
		const struct world_ns *w = world_ns_find(b->have, name);
		struct action a;

		if (!w) {
			a = plan_act(ACT_NS_ADD, name, NULL);
			snprintf(a.alias, sizeof(a.alias), "%s", b->alias);
			plan_emit(b, PH_NS_ADD, &a);
			continue;
		}
		if (!w->marked) {
			wanted_at(b, "", name, true, at, sizeof(at));
			return error_set(b->err, -EEXIST,
					 "%snamespace '%s' exists and is not nsnet's; refusing to "
					 "take it over (delete it, or choose another name in the "
					 "topology)",
					 at, name);
		}
		if (strcmp(w->owner, b->topo) != 0) {
			wanted_at(b, "", name, true, at, sizeof(at));
			down_cmd(w->owner, cmd, sizeof(cmd));
			return error_set(b->err, -EEXIST,
					 "%snamespace '%s' belongs to topology '%s', not '%s' (choose "
					 "another name here, or remove the other topology with '%s')",
					 at, name, w->owner, b->topo, cmd);
		}
		{
			const struct ns_link *lo = netstate_link_by_name(w->st, "lo");

			if (lo && !(lo->flags & IFF_UP)) {
				a = plan_act(ACT_LINK_UP, name, "lo");
				plan_emit(b, PH_UP, &a);
			}
		}
	}
	for (size_t i = 0; i < b->have->n_ns; i++) {
		const struct world_ns *w = &b->have->ns[i];
		struct action a;

		if (!w->marked || strcmp(w->owner, b->topo) != 0 ||
		    (b->want && topology_ns_find(b->want, w->name)))
			continue;
		a = plan_act(ACT_NS_DEL, w->name, NULL);
		plan_emit(b, PH_NS_DEL, &a);
	}
	return 0;
}

static int plan_firewall(struct builder *b, char hash[FW_HASH_LEN + 1])
{
	char comment[OWNER_ALIAS_MAX + FW_HASH_LEN + 8];
	struct action a;
	char *script = NULL;
	int r;

	hash[0] = '\0';
	if (b->want) {
		r = fw_script_build(b->want, &script, hash, b->err);
		if (r < 0)
			return r;
	}
	if (script) {
		fw_comment(b->topo, hash, comment, sizeof(comment));
		if (b->have->fw_exists && strcmp(b->have->fw_comment, comment) == 0) {
			free(script);
			return 0;
		}
		a = plan_act(ACT_FW_APPLY, NULL, NULL);
		owner_table(b->topo, a.alias, sizeof(a.alias));
		a.script = script;
		plan_emit(b, PH_FW, &a);
	} else if (b->have->fw_exists) {
		a = plan_act(ACT_FW_DEL, NULL, NULL);
		owner_table(b->topo, a.alias, sizeof(a.alias));
		plan_emit(b, PH_FW, &a);
	}
	return 0;
}

int plan_build(const char *topo, const struct topology *want, const struct world *have,
	       struct plan **ret, struct error *err)
{
	struct builder b = {.topo = topo, .want = want, .have = have, .err = err};
	struct plan *p = calloc(1, sizeof(*p));
	int r;

	if (!p)
		return error_set(err, -ENOMEM, "out of memory");
	snprintf(p->topology, sizeof(p->topology), "%s", topo);
	owner_alias(topo, b.alias, sizeof(b.alias));
	r = plan_overlaps(&b);
	if (r >= 0)
		r = plan_namespaces(&b);
	if (r >= 0)
		r = plan_links(&b);
	if (r >= 0)
		r = plan_ovs(&b);
	if (r >= 0)
		r = plan_firewall(&b, p->fw_hash);
	if (r >= 0)
		plan_sysctls(&b);
	if (r >= 0 && b.oom)
		r = error_set(err, -ENOMEM, "out of memory");
	for (int ph = 0; ph < PH_COUNT; ph++) {
		for (size_t i = 0; i < b.n[ph]; i++) {
			if (r >= 0 && !plan_append(&p->v, &p->n, &b.ph[ph][i]))
				r = error_set(err, -ENOMEM, "out of memory");
			action_clear(&b.ph[ph][i]);
		}
		free(b.ph[ph]);
	}
	free(b.del);
	free(b.seg_mtu);
	if (r < 0) {
		plan_free(p);
		return r;
	}
	*ret = p;
	return 0;
}
