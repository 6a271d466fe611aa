// SPDX-License-Identifier: GPL-2.0-or-later
/* status: what a topology owns, and its drift from its file. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/owner.h"
#include "lib.h"

struct nsnet_status {
	char name[NETNS_NAME_MAX + 1];
	char file[PATH_MAX]; /* "" unknown */
	bool known;
	char note[ERROR_MSG_MAX + 64];
	struct engine_result res;
	struct lib_actions drift;
	const char **namespaces;
	size_t n_namespaces;
	struct nsnet_owned_link *links;
	size_t n_links;
	char table[OWNER_ALIAS_MAX + 16]; /* "" none */
};

/* ", up: 'a', 'b'" or ", and no topology is up": what a person mistyping a name needs. */
void lib_topologies_hint(struct nsnet_ctx *c, char *buf, size_t len)
{
	char **names = NULL;
	size_t n = 0, used;

	if (engine_topologies(&c->e, &names, &n, NULL) < 0 || !n) {
		snprintf(buf, len, "; no topology is up");
		engine_names_free(names, n);
		return;
	}
	used = (size_t)snprintf(buf, len, "; up: ");
	for (size_t i = 0; i < n && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s'%s'", i ? ", " : "", names[i]);
	engine_names_free(names, n);
}

static int owned_collect(struct nsnet_status *s)
{
	const struct world *w = s->res.world;
	size_t nl = w->host->n_links;

	for (size_t i = 0; i < w->n_ns; i++)
		nl += w->ns[i].st->n_links;
	s->namespaces = calloc(w->n_ns + 1, sizeof(*s->namespaces));
	s->links = calloc(nl + 1, sizeof(*s->links));
	if (!s->namespaces || !s->links)
		return -ENOMEM;
	for (size_t i = 0; i < w->n_ns; i++) {
		if (!w->ns[i].marked || strcmp(w->ns[i].owner, s->name) != 0)
			continue;
		s->namespaces[s->n_namespaces++] = w->ns[i].name;
		for (size_t k = 0; k < w->ns[i].st->n_links; k++) {
			const struct ns_link *l = &w->ns[i].st->links[k];

			if (owner_alias_is(l->alias, s->name) && strcmp(l->name, "lo") != 0)
				s->links[s->n_links++] = (struct nsnet_owned_link){
					l->name, w->ns[i].name, l->kind, (l->flags & 1) != 0};
		}
	}
	for (size_t k = 0; k < w->host->n_links; k++) {
		const struct ns_link *l = &w->host->links[k];

		if (owner_alias_is(l->alias, s->name))
			s->links[s->n_links++] =
				(struct nsnet_owned_link){l->name, NULL, l->kind, (l->flags & 1) != 0};
	}
	if (w->fw_exists) {
		char table[OWNER_ALIAS_MAX + 8];

		owner_table(s->name, table, sizeof(table));
		snprintf(s->table, sizeof(s->table), OWNER_TABLE_FAMILY " %s", table);
	}
	return 0;
}

int nsnet_status(struct nsnet_ctx *c, const char *name, const struct nsnet_topology *t,
		 struct nsnet_status **ret, struct nsnet_error *err)
{
	_cleanup_(topology_freep) struct topology *loaded = NULL;
	struct nsnet_status *s = calloc(1, sizeof(*s));
	const struct topology *want = t ? t->t : NULL;
	struct error e = {0}, le = {0};
	int r;

	if (!s)
		return lib_oom(err);
	snprintf(s->name, sizeof(s->name), "%s", name);
	if (t) {
		snprintf(s->file, sizeof(s->file), "%s", t->file ? t->file : "");
	} else {
		r = engine_recorded(&c->e, name, &loaded, s->file, sizeof(s->file), &le);
		if (r < 0 && r != -ENOENT)
			snprintf(s->note, sizeof(s->note), "%s", le.msg);
		else if (r == -ENOENT && le.msg[0])
			snprintf(s->note, sizeof(s->note), "%s", le.msg);
		want = loaded;
	}
	s->known = want != NULL;
	r = engine_status(&c->e, name, want, &s->res, &e);
	if (r >= 0 && !t && !s->res.recorded && !s->res.plan->n) {
		char hint[512];

		lib_topologies_hint(c, hint, sizeof(hint));
		r = error_set(&e, -ENOENT, "nothing named '%s' is up or recorded%s", name, hint);
	}
	if (r >= 0 && (owned_collect(s) < 0 || lib_actions_build(&s->drift, s->res.plan) < 0))
		r = error_set(&e, -ENOMEM, "out of memory");
	if (r < 0) {
		nsnet_status_free(s);
		return lib_error(err, &e);
	}
	*ret = s;
	return 0;
}

int nsnet_status_all(struct nsnet_ctx *c, struct nsnet_status ***ret, size_t *ret_n,
		     struct nsnet_error *err)
{
	struct nsnet_status **v;
	struct error e = {0};
	char **names = NULL;
	size_t n = 0;
	int r = 0;

	if (engine_topologies(&c->e, &names, &n, &e) < 0)
		return lib_error(err, &e);
	v = calloc(n + 1, sizeof(*v));
	for (size_t i = 0; v && i < n && r >= 0; i++)
		r = nsnet_status(c, names[i], NULL, &v[i], err);
	engine_names_free(names, n);
	if (!v)
		return lib_oom(err);
	if (r < 0) {
		nsnet_status_list_free(v, n);
		return r;
	}
	*ret = v;
	*ret_n = n;
	return 0;
}

void nsnet_status_list_free(struct nsnet_status **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		nsnet_status_free(v[i]);
	free(v);
}

void nsnet_status_free(struct nsnet_status *s)
{
	if (!s)
		return;
	engine_result_clear(&s->res);
	lib_actions_clear(&s->drift);
	free(s->namespaces);
	free(s->links);
	free(s);
}

const char *nsnet_status_name(const struct nsnet_status *s)
{
	return s->name;
}

const char *nsnet_status_file(const struct nsnet_status *s)
{
	return s->file[0] ? s->file : NULL;
}

bool nsnet_status_known(const struct nsnet_status *s)
{
	return s->known;
}

const char *nsnet_status_note(const struct nsnet_status *s)
{
	return s->note[0] ? s->note : NULL;
}

size_t nsnet_status_drift_count(const struct nsnet_status *s)
{
	return s->known ? s->drift.n : 0;
}

const struct nsnet_action *nsnet_status_drift(const struct nsnet_status *s, size_t i)
{
	return i < nsnet_status_drift_count(s) ? &s->drift.v[i] : NULL;
}

size_t nsnet_status_namespace_count(const struct nsnet_status *s)
{
	return s->n_namespaces;
}

const char *nsnet_status_namespace(const struct nsnet_status *s, size_t i)
{
	return i < s->n_namespaces ? s->namespaces[i] : NULL;
}

size_t nsnet_status_link_count(const struct nsnet_status *s)
{
	return s->n_links;
}

const struct nsnet_owned_link *nsnet_status_link(const struct nsnet_status *s, size_t i)
{
	return i < s->n_links ? &s->links[i] : NULL;
}

const char *nsnet_status_nft_table(const struct nsnet_status *s)
{
	return s->table[0] ? s->table : NULL;
}

/* The all-zeros FDB entries of the topology's VXLAN devices: where each floods to. */
static json_t *owned_fdb(const struct nsnet_status *s)
{
	const struct world *w = s->res.world;
	json_t *v = json_array();

	for (size_t i = 0; w && i < w->n_vxlans; i++) {
		const struct world_vxlan *x = &w->vxlans[i];
		const struct ns_link *l = netstate_link_by_index(w->host, x->ifindex);
		char dst[INET_STR_MAX];

		if (!l || !owner_alias_is(l->alias, s->name))
			continue;
		for (size_t k = 0; k < x->n_fdb; k++) {
			inet_addr_format(&x->fdb[k].dst, dst, sizeof(dst));
			json_array_append_new(
				v, json_pack("{s:s, s:s}", "device", x->name, "dst", dst));
		}
	}
	return v;
}

int nsnet_status_json(const struct nsnet_status *s, char **ret, struct nsnet_error *err)
{
	json_t *ns = json_array(), *links = json_array(), *o;

	for (size_t i = 0; i < s->n_namespaces; i++)
		json_array_append_new(ns, json_string(s->namespaces[i]));
	for (size_t i = 0; i < s->n_links; i++) {
		const struct nsnet_owned_link *l = &s->links[i];

		json_array_append_new(links, json_pack("{s:s, s:o, s:s, s:b}", "name", l->name,
						       "namespace",
						       l->ns ? json_string(l->ns) : json_null(),
						       "kind", l->kind, "up", l->up));
	}
	o = json_pack("{s:s, s:o, s:o, s:{s:o, s:o, s:o}}", "topology", s->name, "file",
		      s->file[0] ? json_string(s->file) : json_null(), "in_sync",
		      s->known ? json_boolean(s->res.plan->n == 0) : json_null(), "owned",
		      "namespaces", ns, "links", links, "nft_table",
		      s->table[0] ? json_string(s->table) : json_null());
	if (o)
		json_object_set_new(json_object_get(o, "owned"), "fdb", owned_fdb(s));
	if (o)
		json_object_set_new(o, "drift", s->known ? lib_plan_json(s->res.plan) : json_null());
	if (o && s->note[0])
		json_object_set_new(o, "note", json_text(s->note));
	return lib_json_text(o, ret, err);
}
