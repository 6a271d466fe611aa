// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nsnet check FILE|NAME [--json] [--timeout MS]: real traffic through the
 * topology, shown as a matrix of namespaces against what they should reach,
 * plus the isolation, forward and file probes. Exit 1 when any probe fails.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MATRIX_COLS_MAX 10
#define MATRIX_ROWS_MAX 40
#define LINES_MAX 20 /* per kind; above it a summary line */

struct out {
	const char *ok, *bad, *off;
};

/* "ok", "ok (blocked: no-reply)", "FAIL (refused)", "skipped". */
static const char *verdict(const struct out *o, const struct nsnet_probe *p, char *buf, size_t len)
{
	if (strcmp(p->result, "skipped") == 0)
		snprintf(buf, len, "skipped");
	else if (!p->ok)
		snprintf(buf, len, "%sFAIL%s (%s)", o->bad, o->off, p->result);
	else if (p->expect_blocked)
		snprintf(buf, len, "%sok%s (blocked: %s)", o->ok, o->off, p->result);
	else
		snprintf(buf, len, "%sok%s", o->ok, o->off);
	return buf;
}

static bool in_matrix(const struct nsnet_probe *p)
{
	return strcmp(p->kind, "gateway") == 0 || strcmp(p->kind, "peer") == 0 ||
	       strcmp(p->kind, "routed") == 0;
}

static size_t name_index(const char **v, size_t n, const char *s)
{
	for (size_t i = 0; s && i < n; i++)
		if (strcmp(v[i], s) == 0)
			return i;
	return SIZE_MAX;
}

/*
 * Rows: the namespaces probes start from; columns: gateways, then those
 * namespaces. Returns false when too large to draw.
 */
static bool matrix_print(const struct out *o, const struct nsnet_check *k)
{
	size_t n = nsnet_check_count(k), n_gw = 0, n_rows = 0, w = 9;
	_cleanup_free_ const char **gw = calloc(n + 1, sizeof(char *));
	_cleanup_free_ const char **rows = calloc(n + 1, sizeof(char *));
	_cleanup_free_ int *cell = NULL; /* 0 none, 1 ok, 2 failed */
	size_t n_cols;

	if (!gw || !rows)
		return false;
	for (size_t i = 0; i < n; i++) {
		const struct nsnet_probe *p = nsnet_check_probe(k, i);

		if (!in_matrix(p) || !p->from)
			continue;
		if (name_index(rows, n_rows, p->from) == SIZE_MAX)
			rows[n_rows++] = p->from;
		if (strcmp(p->kind, "gateway") == 0 && name_index(gw, n_gw, p->target) == SIZE_MAX)
			gw[n_gw++] = p->target;
	}
	n_cols = n_gw + n_rows;
	if (!n_rows || n_rows > MATRIX_ROWS_MAX || n_cols > MATRIX_COLS_MAX)
		return false;
	cell = calloc(n_rows * n_cols + 1, sizeof(*cell));
	if (!cell)
		return false;
	for (size_t i = 0; i < n; i++) {
		const struct nsnet_probe *p = nsnet_check_probe(k, i);
		size_t row, col;

		if (!in_matrix(p) || !p->from)
			continue;
		row = name_index(rows, n_rows, p->from);
		col = strcmp(p->kind, "gateway") == 0 ? name_index(gw, n_gw, p->target)
						      : n_gw + name_index(rows, n_rows, p->target);
		if (row == SIZE_MAX || col >= n_cols)
			continue;
		if (!p->ok)
			cell[row * n_cols + col] = 2;
		else if (!cell[row * n_cols + col])
			cell[row * n_cols + col] = 1;
	}
	for (size_t c = 0; c < n_cols; c++) {
		size_t l = strlen(c < n_gw ? gw[c] : rows[c - n_gw]);

		w = l > w ? l : w;
	}
	printf("  %-*s", (int)w, "from \\ to");
	for (size_t c = 0; c < n_cols; c++)
		printf("  %-*s", (int)w, c < n_gw ? gw[c] : rows[c - n_gw]);
	printf("\n");
	for (size_t r = 0; r < n_rows; r++) {
		printf("  %-*s", (int)w, rows[r]);
		for (size_t c = 0; c < n_cols; c++) {
			int v = cell[r * n_cols + c];

			if (v == 1)
				printf("  %sok%s%-*s", o->ok, o->off, (int)w - 2, "");
			else if (v == 2)
				printf("  %sFAIL%s%-*s", o->bad, o->off, (int)w - 4, "");
			else
				printf("  %-*s", (int)w, "-");
		}
		printf("\n");
	}
	return true;
}

static void lines_print(const struct out *o, const struct nsnet_check *k, bool matrix_shown)
{
	static const char *const kinds[] = {"gateway", "peer",	  "routed",    "isolation",
					    "forward", "file", "forwarding"};
	size_t n = nsnet_check_count(k);
	char v[64];

	for (size_t kk = 0; kk < ARRAY_SIZE(kinds); kk++) {
		size_t m = 0, bad = 0;

		if (matrix_shown && kk < 3)
			continue;
		for (size_t i = 0; i < n; i++) {
			const struct nsnet_probe *p = nsnet_check_probe(k, i);

			if (strcmp(p->kind, kinds[kk]) == 0) {
				m++;
				bad += !p->ok;
			}
		}
		if (!m)
			continue;
		if (m > LINES_MAX) {
			printf("  %-9s %zu probes: %s%zu failed%s\n", kinds[kk], m, bad ? o->bad : o->ok,
			       bad, o->off);
			continue;
		}
		for (size_t i = 0; i < n; i++) {
			const struct nsnet_probe *p = nsnet_check_probe(k, i);

			if (strcmp(p->kind, kinds[kk]) != 0)
				continue;
			printf("  %-9s %s: %s%s%s%s\n", p->kind, p->line, verdict(o, p, v, sizeof(v)),
			       p->self_listened ? " (nsnet listened at the target)" : "",
			       p->note[0] ? "; " : "", p->note);
		}
	}
}

int cli_check_print(const struct nsnet_check *k, const char *name, bool json)
{
	size_t n = nsnet_check_count(k), failed = nsnet_check_failed(k), skipped = 0;
	struct nsnet_error err = {0};
	struct out o = {"", "", ""};

	for (size_t i = 0; i < n; i++) {
		const struct nsnet_probe *p = nsnet_check_probe(k, i);

		skipped += strcmp(p->result, "skipped") == 0;
	}
	if (json) {
		char *text = NULL;

		nsnet_check_json(k, &text, &err);
		if (cli_print_json(text, &err) != EXIT_OK)
			return EXIT_FAIL;
		return failed ? EXIT_FAIL : EXIT_OK;
	}
	if (cli_color())
		o = (struct out){"\033[32m", "\033[1;31m", "\033[0m"};
	printf("check of '%s': %zu probes in %.3f s%s", name, n, nsnet_check_seconds(k),
	       nsnet_check_sampled(k) ? ", large segments probed as rings" : "");
	if (nsnet_check_waves(k) > 1)
		printf(", in %zu waves", nsnet_check_waves(k));
	printf("\n");
	lines_print(&o, k, matrix_print(&o, k));
	for (size_t i = 0; i < n; i++) {
		const struct nsnet_probe *p = nsnet_check_probe(k, i);

		if (p->ok)
			continue;
		if (strcmp(p->protocol, "sysctl") == 0) /* a setting read: no wait, no answer */
			printf("%sFAIL%s %s: %s\n", o.bad, o.off, p->line, p->note);
		else
			printf("%sFAIL%s %s: %s after %.0f ms%s%s\n", o.bad, o.off, p->line,
			       p->result, p->ms, p->note[0] ? "; " : "", p->note);
	}
	if (failed)
		printf("%s%zu of %zu probes failed%s\n", o.bad, failed, n, o.off);
	else
		printf("%sall %zu probes passed%s%s\n", o.ok, n - skipped, o.off,
		       skipped ? " (some skipped, see above)" : "");
	return failed ? EXIT_FAIL : EXIT_OK;
}

static void first_failure(const struct nsnet_check *k, const char *name)
{
	size_t failed = nsnet_check_failed(k);

	for (size_t i = 0; i < nsnet_check_count(k); i++) {
		const struct nsnet_probe *p = nsnet_check_probe(k, i);

		if (!p->ok) {
			fprintf(stderr, "nsnet: check of '%s' failed: %s: %s%s\n", name, p->line,
				p->result, failed > 1 ? " (and more, above)" : "");
			return;
		}
	}
}

int cmd_check(const struct command *cmd, int argc, char **argv)
{
	_cleanup_topology_ struct nsnet_topology *t = NULL;
	_cleanup_ctx_ struct nsnet_ctx *c = NULL;
	struct nsnet_check *k = NULL;
	struct nsnet_error err = {0};
	unsigned long timeout = NSNET_CHECK_TIMEOUT_DEFAULT;
	const char *tv;
	struct cli_args a;
	char name[80], *end;
	bool json;
	int r;

	if ((r = cli_parse(cmd, argc, argv, &a)) >= 0)
		return r;
	json = cli_flag(cmd, &a, "json");
	if ((tv = cli_value(cmd, &a, "timeout"))) {
		errno = 0;
		timeout = strtoul(tv, &end, 10);
		if (errno || *end || end == tv || timeout < 50 || timeout > 60000)
			return cli_usage(cmd, "--timeout: '%s' is not 50 to 60000 (ms)", tv);
	}
	if (a.n != 1)
		return cli_usage(cmd, "expected one FILE or NAME");
	if (cli_ctx(&c, &err) < 0 ||
	    cli_topology(c, argv[a.first], true, &t, name, sizeof(name), &err) < 0 ||
	    nsnet_check(c, t, 0, (unsigned)timeout, &k, &err) < 0)
		return cli_fail(&err);
	r = cli_check_print(k, name, json);
	if (r != EXIT_OK && !json)
		first_failure(k, name);
	nsnet_check_free(k);
	return r;
}
