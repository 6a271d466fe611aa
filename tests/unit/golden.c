// SPDX-License-Identifier: GPL-2.0-or-later
/* Golden files and a line diff (longest common subsequence) for the unit tests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "golden.h"
#include "slurp.h"
#include "world-build.h"

struct text_lines {
	const char **v;
	size_t *len;
	size_t n;
};

/* Lines of s (not copied), the last one without its newline if it has none. */
static void split(const char *s, struct text_lines *t)
{
	size_t cap = 0;

	t->n = 0;
	t->v = NULL;
	t->len = NULL;
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);

		if (t->n == cap) {
			cap = cap ? cap * 2 : 64;
			t->v = wb_must(realloc(t->v, cap * sizeof(*t->v)));
			t->len = wb_must(realloc(t->len, cap * sizeof(*t->len)));
		}
		t->v[t->n] = s;
		t->len[t->n++] = n;
		s += n + (nl ? 1 : 0);
	}
}

static bool same(const struct text_lines *a, size_t i, const struct text_lines *b, size_t k)
{
	return a->len[i] == b->len[k] && memcmp(a->v[i], b->v[k], a->len[i]) == 0;
}

/* One step of the edit script: ' ' kept, '-' only in a, '+' only in b. */
struct edit {
	char op;
	size_t ia, ib; /* line numbers (0-based) in a and b */
};

char *text_diff(const char *a, const char *b, unsigned context)
{
	struct text_lines la, lb;
	struct strbuf out = {0};
	struct edit *ed;
	size_t n_ed = 0, i = 0, k = 0, w, last = 0;
	unsigned *lcs;
	bool any = false, printed = false;

	split(a, &la);
	split(b, &lb);
	w = lb.n + 1;
	/* lcs[i][k]: the longest common subsequence of a[i..] and b[k..]. */
	lcs = wb_must(calloc((la.n + 1) * w, sizeof(*lcs)));
	for (size_t x = la.n; x-- > 0;)
		for (size_t y = lb.n; y-- > 0;) {
			unsigned down = lcs[(x + 1) * w + y], right = lcs[x * w + y + 1];

			if (same(&la, x, &lb, y))
				lcs[x * w + y] = lcs[(x + 1) * w + y + 1] + 1;
			else
				lcs[x * w + y] = down > right ? down : right;
		}
	ed = wb_must(calloc(la.n + lb.n + 1, sizeof(*ed)));
	while (i < la.n || k < lb.n) {
		if (i < la.n && k < lb.n && same(&la, i, &lb, k))
			ed[n_ed++] = (struct edit){' ', i++, k++};
		else if (i < la.n && (k == lb.n || lcs[(i + 1) * w + k] >= lcs[i * w + k + 1]))
			ed[n_ed++] = (struct edit){'-', i++, k};
		else
			ed[n_ed++] = (struct edit){'+', i, k++};
	}
	for (size_t e = 0; e < n_ed; e++) {
		bool near = false;

		for (size_t d = e >= context ? e - context : 0; d < n_ed && d <= e + context; d++)
			near = near || ed[d].op != ' ';
		if (!near)
			continue;
		if (!printed || e != last + 1)
			strbuf_printf(&out, "@@ a:%zu b:%zu\n", ed[e].ia + 1, ed[e].ib + 1);
		printed = true;
		any = any || ed[e].op != ' ';
		if (ed[e].op == '+')
			strbuf_printf(&out, "+%.*s\n", (int)lb.len[ed[e].ib], lb.v[ed[e].ib]);
		else
			strbuf_printf(&out, "%c%.*s\n", ed[e].op, (int)la.len[ed[e].ia],
				      la.v[ed[e].ia]);
		last = e;
	}
	free(lcs);
	free(ed);
	free(la.v);
	free(la.len);
	free(lb.v);
	free(lb.len);
	if (!any && strcmp(a, b) != 0)
		strbuf_printf(&out, "(the texts differ only in a final newline)\n");
	if (!out.len && !out.oom) {
		strbuf_clear(&out);
		return NULL;
	}
	return wb_must(strbuf_take(&out));
}

char *golden_check(const char *path, const char *actual)
{
	const char *update = getenv("NSNET_GOLDEN_UPDATE");
	_cleanup_free_ char *expected = NULL, *diff = NULL;
	struct strbuf msg = {0};
	size_t len;

	if (update && strcmp(update, "1") == 0) {
		FILE *f = fopen(path, "w");

		if (!f || fputs(actual, f) < 0 || fclose(f) != 0) {
			strbuf_printf(&msg, "%s: cannot write the golden file\n", path);
			return wb_must(strbuf_take(&msg));
		}
		fprintf(stderr, "# updated %s\n", path);
		return NULL;
	}
	expected = slurp(path, &len);
	if (!expected) {
		strbuf_printf(&msg, "%s: missing (run with NSNET_GOLDEN_UPDATE=1 to write it)\n",
			      path);
		return wb_must(strbuf_take(&msg));
	}
	if (strlen(expected) != len)
		strbuf_printf(&msg, "%s: holds a NUL byte\n", path);
	else if (!(diff = text_diff(expected, actual, 3)))
		return NULL;
	else
		strbuf_printf(&msg,
			      "%s differs from what the code makes (- golden, + now; "
			      "NSNET_GOLDEN_UPDATE=1 rewrites it):\n%s",
			      path, diff);
	return wb_must(strbuf_take(&msg));
}
