// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ovsdb-state.h"
#include "world.h"

void world_claims_add(struct world_claims *c, const char *name)
{
	char (*nv)[IFNAME_MAX + 1];

	if (world_claims_has(c, name))
		return;
	nv = realloc(c->names, (c->n + 1) * sizeof(*nv));
	if (!nv)
		return; /* unclaimed: at worst a conflict is reported, nothing is lost */
	c->names = nv;
	snprintf(nv[c->n], sizeof(nv[c->n]), "%s", name);
	c->n++;
}

bool world_claims_has(const struct world_claims *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->names[i], name) == 0)
			return true;
	return false;
}

void world_claims_clear(struct world_claims *c)
{
	free(c->names);
	c->names = NULL;
	c->n = 0;
}

void world_free(struct world *w)
{
	if (!w)
		return;
	world_claims_clear(&w->claims);
	netstate_free(w->host);
	for (size_t i = 0; i < w->n_ns; i++)
		netstate_free(w->ns[i].st);
	free(w->ns);
	free(w->sysctls);
	ovsdb_state_free(w->ovs.db);
	free(w->ovs.txcsum);
	free(w);
}

struct world_ns *world_ns_find(const struct world *w, const char *name)
{
	size_t lo = 0, hi = w->n_ns;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int d = strcmp(w->ns[mid].name, name);

		if (d == 0)
			return &w->ns[mid];
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static struct world_sysctl *sysctl_find(const struct world *w, const char *ns, const char *key)
{
	for (size_t i = 0; i < w->n_sysctls; i++)
		if (strcmp(w->sysctls[i].ns, ns) == 0 && strcmp(w->sysctls[i].key, key) == 0)
			return &w->sysctls[i];
	return NULL;
}

int world_sysctl_set(struct world *w, const char *ns, const char *key, int value)
{
	struct world_sysctl *e = sysctl_find(w, ns, key), *nv;

	if (!e) {
		nv = realloc(w->sysctls, (w->n_sysctls + 1) * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		w->sysctls = nv;
		e = &nv[w->n_sysctls++];
		snprintf(e->ns, sizeof(e->ns), "%s", ns);
		snprintf(e->key, sizeof(e->key), "%s", key);
	}
	e->value = value;
	return 0;
}

int world_sysctl_get(const struct world *w, const char *ns, const char *key)
{
	const struct world_sysctl *e = sysctl_find(w, ns, key);

	return e ? e->value : -1;
}

static struct world_txcsum *txcsum_find(const struct world_ovs *o, const char *ns,
					const char *name)
{
	for (size_t i = 0; i < o->n_txcsum; i++)
		if (strcmp(o->txcsum[i].ns, ns) == 0 && strcmp(o->txcsum[i].name, name) == 0)
			return &o->txcsum[i];
	return NULL;
}

int world_txcsum_set(struct world_ovs *o, const char *ns, const char *name, bool on)
{
	struct world_txcsum *e = txcsum_find(o, ns, name), *nv;

	if (!e) {
		nv = realloc(o->txcsum, (o->n_txcsum + 1) * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		o->txcsum = nv;
		e = &nv[o->n_txcsum++];
		snprintf(e->ns, sizeof(e->ns), "%s", ns);
		snprintf(e->name, sizeof(e->name), "%s", name);
	}
	e->on = on;
	return 0;
}

int world_txcsum_get(const struct world_ovs *o, const char *ns, const char *name)
{
	const struct world_txcsum *e = txcsum_find(o, ns, name);

	return e ? e->on : -1;
}
