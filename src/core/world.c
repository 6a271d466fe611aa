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
	free(w->sysctl_slots);
	for (size_t i = 0; i < w->n_vxlans; i++)
		free(w->vxlans[i].fdb);
	free(w->vxlans);
	ovsdb_state_free(w->ovs.db);
	free(w->ovs.txcsum);
	free(w);
}

const struct world_vxlan *world_vxlan_find(const struct world *w, const char *name)
{
	for (size_t i = 0; i < w->n_vxlans; i++)
		if (strcmp(w->vxlans[i].name, name) == 0)
			return &w->vxlans[i];
	return NULL;
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

static size_t sysctl_hash(const char *ns, const char *key)
{
	size_t h = 0xcbf29ce484222325u;

	for (const char *s = ns; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3u;
	h = (h ^ '/') * 0x100000001b3u;
	for (const char *s = key; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3u;
	return h;
}

/* The slot of (ns, key): where it is, or the empty one where it would go. */
static size_t *sysctl_slot(const struct world *w, const char *ns, const char *key)
{
	size_t mask = w->sysctl_cap - 1;

	for (size_t i = sysctl_hash(ns, key) & mask;; i = (i + 1) & mask) {
		size_t *slot = &w->sysctl_slots[i];
		const struct world_sysctl *e = *slot ? &w->sysctls[*slot - 1] : NULL;

		if (!e || (strcmp(e->key, key) == 0 && strcmp(e->ns, ns) == 0))
			return slot;
	}
}

static struct world_sysctl *sysctl_find(const struct world *w, const char *ns, const char *key)
{
	size_t *slot;

	if (!w->sysctl_cap)
		return NULL;
	slot = sysctl_slot(w, ns, key);
	return *slot ? &w->sysctls[*slot - 1] : NULL;
}

/* Room for one more entry, in the list and in the index (kept at most half full). */
static int sysctl_reserve(struct world *w)
{
	size_t cap = w->sysctl_cap ? w->sysctl_cap : 16;
	size_t *old = w->sysctl_slots, old_cap = w->sysctl_cap;
	struct world_sysctl *nv;

	if (2 * (w->n_sysctls + 1) <= w->sysctl_cap)
		return 0;
	while (2 * (w->n_sysctls + 1) > cap)
		cap *= 2;
	nv = realloc(w->sysctls, cap / 2 * sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	w->sysctls = nv;
	w->sysctl_slots = calloc(cap, sizeof(*w->sysctl_slots));
	if (!w->sysctl_slots) {
		w->sysctl_slots = old;
		return -ENOMEM;
	}
	w->sysctl_cap = cap;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i]) {
			const struct world_sysctl *e = &w->sysctls[old[i] - 1];

			*sysctl_slot(w, e->ns, e->key) = old[i];
		}
	free(old);
	return 0;
}

int world_sysctl_set(struct world *w, const char *ns, const char *key, int value)
{
	struct world_sysctl *e = sysctl_find(w, ns, key);

	if (!e) {
		if (sysctl_reserve(w) < 0)
			return -ENOMEM;
		e = &w->sysctls[w->n_sysctls++];
		snprintf(e->ns, sizeof(e->ns), "%s", ns);
		snprintf(e->key, sizeof(e->key), "%s", key);
		e->noted = -1;
		*sysctl_slot(w, e->ns, e->key) = w->n_sysctls;
	}
	e->value = value;
	return 0;
}

int world_sysctl_get(const struct world *w, const char *ns, const char *key)
{
	const struct world_sysctl *e = sysctl_find(w, ns, key);

	return e ? e->value : -1;
}

int world_sysctl_note(struct world *w, const char *ns, const char *key, int old)
{
	struct world_sysctl *e = sysctl_find(w, ns, key);

	if (!e)
		return -ENOENT;
	e->noted = old;
	return 0;
}

int world_sysctl_noted(const struct world *w, const char *ns, const char *key)
{
	const struct world_sysctl *e = sysctl_find(w, ns, key);

	return e ? e->noted : -1;

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
