// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A firewall change spelled out: the table is replaced whole (one
 * transaction), which says nothing to a person reading a dry run; the
 * forwards it adds and removes do. A sorted merge of the wanted elements with
 * the ones the kernel's table holds.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fw.h"
#include "plan.h"
#include "strbuf.h"

/* Above this many changed elements, a count stands for the rest. */
#define DETAIL_LINES_MAX 40

struct elems {
	char **v;
	size_t n, cap;
	bool oom;
};

static void add(const char *e, void *data)
{
	struct elems *x = data;

	if (x->n == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 64;
		char **nv = realloc(x->v, cap * sizeof(*nv));

		if (!nv) {
			x->oom = true;
			return;
		}
		x->v = nv;
		x->cap = cap;
	}
	if (!(x->v[x->n] = strdup(e)))
		x->oom = true;
	else
		x->n++;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool fw_changes(const struct plan *p)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].type == ACT_FW_APPLY)
			return true;
	return false;
}

int plan_fw_detail(struct plan *p, const struct topology *want, char **have, size_t n_have,
		   struct error *err)
{
	struct elems w = {0};
	struct strbuf b = {0};
	size_t i = 0, k = 0, lines = 0, more = 0;
	char **h = NULL;

	if (!want || !fw_changes(p))
		return 0;
	fw_forward_elements(want, add, &w);
	h = n_have ? malloc(n_have * sizeof(*h)) : NULL;
	if (w.oom || (n_have && !h)) {
		for (size_t j = 0; j < w.n; j++)
			free(w.v[j]);
		free(w.v);
		free(h);
		return error_set(err, -ENOMEM, "out of memory");
	}
	/* (No memcpy or qsort of empty arrays: their pointers may be NULL.) */
	if (n_have) {
		memcpy(h, have, n_have * sizeof(*h));
		qsort(h, n_have, sizeof(*h), cmp);
	}
	if (w.n)
		qsort(w.v, w.n, sizeof(*w.v), cmp);
	while (i < w.n || k < n_have) {
		int d = i == w.n ? 1 : k == n_have ? -1 : strcmp(w.v[i], h[k]);
		char sign = d < 0 ? '+' : '-';
		const char *e = d < 0 ? w.v[i] : h[k];

		if (d == 0) {
			i++;
			k++;
			continue;
		}
		d < 0 ? i++ : k++;
		if (lines++ < DETAIL_LINES_MAX)
			strbuf_printf(&b, "%s%c forward %s", b.len ? "\n" : "", sign, e);
		else
			more++;
	}
	if (more)
		strbuf_printf(&b, "\n  ... and %zu more forward change%s", more, more == 1 ? "" : "s");
	for (size_t j = 0; j < w.n; j++)
		free(w.v[j]);
	free(w.v);
	free(h);
	free(p->fw_detail);
	p->fw_detail = NULL;
	if (b.len || b.oom) {
		p->fw_detail = strbuf_take(&b);
		if (!p->fw_detail)
			return error_set(err, -ENOMEM, "out of memory");
	}
	return 0;
}
