// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Which topologies exist (their marks on the kernel's objects) and what each
 * was brought up from (its recorded file, read back as carefully as any
 * input: a record under /run/nsnet is as untrusted as a file a user gives).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/owner.h"
#include "engine-cni.h"
#include "engine.h"
#include "netns.h"
#include "nft.h"
#include "nsctx.h"
#include "rtnl.h"
#include "state.h"
#include "topofile.h"

static int add_name(char ***v, size_t *n, const char *name)
{
	char **nv;

	for (size_t i = 0; i < *n; i++)
		if (strcmp((*v)[i], name) == 0)
			return 0;
	nv = realloc(*v, (*n + 1) * sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	*v = nv;
	nv[*n] = strdup(name);
	if (!nv[*n])
		return -ENOMEM;
	(*n)++;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int topologies(struct nsctx *c, char ***ret, size_t *ret_n, struct error *err)
{
	_cleanup_(netstate_freep) struct netstate *host = netstate_new();
	_cleanup_free_ struct netns_entry *entries = NULL;
	_cleanup_free_ struct nft_table_id *tables = NULL;
	struct nl_sock *s;
	char **v = NULL;
	size_t n = 0, n_entries, n_tables;
	int r;

	if (!host)
		return error_set(err, -ENOMEM, "out of memory");
	r = nsctx_get(c, "", &s, NULL, err);
	if (r >= 0)
		r = nl_observe(s, host, NL_OBSERVE_LINKS, err);
	for (size_t i = 0; r >= 0 && i < host->n_links; i++) {
		const char *o = owner_of_alias(host->links[i].alias);

		if (o && name_netns_check(o, NULL) == 0 && add_name(&v, &n, o) < 0)
			r = error_set(err, -ENOMEM, "out of memory");
	}
	if (r >= 0)
		r = netns_list(&entries, &n_entries, err);
	for (size_t i = 0; r >= 0 && i < n_entries; i++) {
		_cleanup_(netstate_freep) struct netstate *st = netstate_new();
		const struct ns_link *lo;
		const char *o;

		if (!entries[i].valid)
			continue;
		if (!st || nsctx_get(c, entries[i].name, &s, NULL, NULL) < 0 ||
		    nl_observe(s, st, NL_OBSERVE_LINKS, NULL) < 0)
			continue; /* gone meanwhile, or not ours to read */
		lo = netstate_link_by_name(st, "lo");
		o = lo ? owner_of_alias(lo->alias) : NULL;
		if (o && name_netns_check(o, NULL) == 0 && add_name(&v, &n, o) < 0)
			r = error_set(err, -ENOMEM, "out of memory");
		nsctx_forget(c, entries[i].name);
	}
	if (r >= 0)
		r = nft_tables_list(OWNER_TABLE_PREFIX, &tables, &n_tables, err);
	for (size_t i = 0; r >= 0 && i < n_tables; i++) {
		const char *o = tables[i].name + strlen(OWNER_TABLE_PREFIX);

		if (strcmp(tables[i].family, OWNER_TABLE_FAMILY) == 0 &&
		    name_netns_check(o, NULL) == 0 && add_name(&v, &n, o) < 0)
			r = error_set(err, -ENOMEM, "out of memory");
	}
	if (r < 0) {
		for (size_t i = 0; i < n; i++)
			free(v[i]);
		free(v);
		return r;
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_str);
	*ret = v;
	*ret_n = n;
	return 0;
}

int engine_topologies(struct engine *e, char ***ret, size_t *ret_n, struct error *err)
{
	_cleanup_(nsctx_freep) struct nsctx *c = NULL;
	int r;

	(void)e;
	r = nsctx_new(&c, err);
	return r < 0 ? r : topologies(c, ret, ret_n, err);
}

void engine_names_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int engine_recorded(struct engine *e, const char *topo, struct topology **ret, char *file,
		    size_t len, struct error *err)
{
	_cleanup_(topology_freep) struct topology *t = NULL;
	char path[PATH_MAX];
	struct error e2 = {0};
	int r;

	r = name_topology_check(topo, err);
	if (r < 0)
		return r;
	r = state_read(e->state_dir, topo, path, sizeof(path), err);
	/* A CNI network has no file: its topology is made from its attachments' records. */
	if (r == -ENOENT && engine_cni_network(e, topo))
		return engine_cni_topology(e, topo, ret, file, len, err);
	if (r < 0)
		return r;
	if (file)
		snprintf(file, len, "%s", path);
	r = topofile_load_recorded(path, &t, &e2);
	if (r < 0) {
		if (err)
			*err = e2;
		return error_prefix(err, "topology '%s': recorded file", topo);
	}
	if (strcmp(t->name, topo) != 0)
		return error_set(err, -ESTALE, "topology '%s': its recorded file %s now names "
				 "topology '%s'", topo, path, t->name);
	*ret = TAKE_PTR(t);
	return 0;
}
