// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nsnet check FILE|NAME [--json] [--timeout MS]: real traffic through the
 * topology (src/core/check.c says what is probed, src/sys/probe.c sends it),
 * shown as a matrix of namespaces against what they should reach, plus the
 * isolation, forward and file probes. Exit 1 when any probe fails.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "core/check.h"
#include "core/macro.h"
#include "sys/nsctx.h"
#include "sys/probe.h"
#include "sys/state.h"
#include "sys/topofile.h"
#include "sys/world.h"

#define MATRIX_COLS_MAX 10
#define MATRIX_ROWS_MAX 40
#define LINES_MAX 20 /* per kind; above it a summary line */

struct others {
	struct topology **v;
	size_t n;
};

static void others_clear(struct others *o)
{
	for (size_t i = 0; i < o->n; i++)
		topology_free(o->v[i]);
	free(o->v);
}

/* The other topologies that are up, from their recorded files; unreadable ones are skipped. */
static int others_load(const char *self, struct others *o, struct error *err)
{
	_cleanup_(nsctx_freep) struct nsctx *c = NULL;
	char **names = NULL;
	size_t n = 0;
	int r;

	r = nsctx_new(&c, err);
	if (r >= 0)
		r = world_topologies(c, &names, &n, err);
	if (r < 0)
		return r;
	o->v = calloc(n + 1, sizeof(*o->v));
	for (size_t i = 0; i < n; i++) {
		char file[4096];
		struct topology *t = NULL;

		if (o->v && strcmp(names[i], self) != 0 &&
		    state_read_file(names[i], file, sizeof(file), NULL) >= 0 &&
		    topofile_load(file, &t, NULL) >= 0) {
			if (strcmp(t->name, names[i]) == 0)
				o->v[o->n++] = TAKE_PTR(t);
			topology_free(t);
		}
		free(names[i]);
	}
	free(names);
	return o->v ? 0 : error_set(err, -ENOMEM, "out of memory");
}

struct out {
	bool color;
	const char *ok, *bad, *off;
};

/* "ok", "ok (blocked: no-reply)", "FAIL (refused)", "skipped". */
static const char *verdict(const struct out *o, const struct check_probe *p, char *buf, size_t len)
{
	if (p->result == CHECK_SKIPPED)
		snprintf(buf, len, "skipped");
	else if (!check_probe_ok(p))
		snprintf(buf, len, "%sFAIL%s (%s)", o->bad, o->off, check_result_name(p->result));
	else if (p->expect_blocked)
		snprintf(buf, len, "%sok%s (blocked: %s)", o->ok, o->off,
			 check_result_name(p->result));
	else
		snprintf(buf, len, "%sok%s", o->ok, o->off);
	return buf;
}

static bool in_matrix(const struct check_probe *p)
{
	return p->kind == CHECK_GATEWAY || p->kind == CHECK_PEER || p->kind == CHECK_ROUTED;
}

static size_t name_index(const char **v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return i;
	return SIZE_MAX;
}

/* Rows: namespaces; columns: gateways, then namespaces. Returns false when too large to draw. */
static bool matrix_print(const struct out *o, const struct topology *t, const struct check_list *l)
{
	_cleanup_free_ const char **cols = calloc(t->n_bridges + t->n_namespaces + 1, sizeof(char *));
	_cleanup_free_ int *cell = NULL; /* 0 none, 1 ok, 2 failed */
	size_t n_cols = 0, n_rows = t->n_namespaces, w = 4;

	if (!cols || n_rows > MATRIX_ROWS_MAX)
		return false;
	for (size_t i = 0; i < l->n; i++)
		if (in_matrix(&l->v[i]) && l->v[i].kind == CHECK_GATEWAY &&
		    name_index(cols, n_cols, l->v[i].target) == SIZE_MAX)
			cols[n_cols++] = l->v[i].target;
	for (size_t s = 0; s < t->n_namespaces; s++)
		cols[n_cols++] = t->namespaces[s].name;
	if (n_cols > MATRIX_COLS_MAX)
		return false;
	cell = calloc(n_rows * n_cols + 1, sizeof(*cell));
	if (!cell)
		return false;
	for (size_t i = 0; i < l->n; i++) {
		const struct check_probe *p = &l->v[i];
		size_t row, col;

		if (!in_matrix(p))
			continue;
		row = name_index((const char **)&cols[n_cols - n_rows], n_rows, p->from);
		col = p->kind == CHECK_GATEWAY ? name_index(cols, n_cols - n_rows, p->target)
					       : n_cols - n_rows +
							 name_index((const char **)&cols[n_cols - n_rows],
								    n_rows, p->target);
		if (row == SIZE_MAX || col >= n_cols)
			continue;
		if (!check_probe_ok(p))
			cell[row * n_cols + col] = 2;
		else if (!cell[row * n_cols + col])
			cell[row * n_cols + col] = 1;
	}
	for (size_t c = 0; c < n_cols; c++)
		w = strlen(cols[c]) > w ? strlen(cols[c]) : w;
	w = w < 9 ? 9 : w;
	printf("  %-*s", (int)w, "from \\ to");
	for (size_t c = 0; c < n_cols; c++)
		printf("  %-*s", (int)w, cols[c]);
	printf("\n");
	for (size_t r = 0; r < n_rows; r++) {
		printf("  %-*s", (int)w, cols[n_cols - n_rows + r]);
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

static void lines_print(const struct out *o, const struct check_list *l, bool matrix_shown)
{
	static const enum check_kind kinds[] = {CHECK_GATEWAY,	 CHECK_PEER,	CHECK_ROUTED,
						CHECK_ISOLATION, CHECK_FORWARD, CHECK_FILE};
	char line[512], v[64];

	for (size_t k = 0; k < ARRAY_SIZE(kinds); k++) {
		size_t n = 0, bad = 0;

		if (matrix_shown && (kinds[k] == CHECK_GATEWAY || kinds[k] == CHECK_PEER ||
				     kinds[k] == CHECK_ROUTED))
			continue;
		for (size_t i = 0; i < l->n; i++)
			if (l->v[i].kind == kinds[k]) {
				n++;
				bad += !check_probe_ok(&l->v[i]);
			}
		if (!n)
			continue;
		if (n > LINES_MAX) {
			printf("  %-9s %zu probes: %s%zu failed%s\n", check_kind_name(kinds[k]), n,
			       bad ? o->bad : o->ok, bad, o->off);
			continue;
		}
		for (size_t i = 0; i < l->n; i++) {
			const struct check_probe *p = &l->v[i];

			if (p->kind != kinds[k])
				continue;
			check_probe_describe(p, line, sizeof(line));
			printf("  %-9s %s: %s%s%s%s\n", check_kind_name(p->kind), line,
			       verdict(o, p, v, sizeof(v)), p->self_listened ? " (nsnet listened at the target)" : "",
			       p->note[0] ? "; " : "", p->note);
		}
	}
}

static json_t *probe_json(const struct check_probe *p)
{
	char to[INET_STR_MAX], at[INET_STR_MAX];
	json_t *j;

	inet_addr_format(&p->to, to, sizeof(to));
	j = json_pack("{s:s, s:o, s:s, s:s, s:o, s:s, s:s, s:s, s:b, s:f}", "kind",
		      check_kind_name(p->kind), "from", p->from[0] ? json_string(p->from) : json_null(),
		      "target", p->target, "address", to, "port",
		      p->port ? json_integer(p->port) : json_null(), "protocol",
		      check_proto_name(p->proto), "expect", p->expect_blocked ? "blocked" : "reach",
		      "result", check_result_name(p->result), "ok", check_probe_ok(p), "ms", p->ms);
	if (p->note[0])
		json_object_set_new(j, "note", json_string(p->note));
	if (p->kind == CHECK_FORWARD) {
		inet_addr_format(&p->listen_addr, at, sizeof(at));
		json_object_set_new(j, "listen",
				    json_pack("{s:s, s:s, s:i, s:b}", "namespace", p->listen_ns,
					      "address", at, "port", p->listen_port, "by_nsnet",
					      p->self_listened));
	}
	return j;
}

int cli_check_print(const struct topology *t, const struct check_list *l, double secs, bool json)
{
	size_t failed = 0, skipped = 0;
	char line[512];

	for (size_t i = 0; i < l->n; i++) {
		failed += !check_probe_ok(&l->v[i]);
		skipped += l->v[i].result == CHECK_SKIPPED;
	}
	if (json) {
		json_t *arr = json_array(), *o;

		for (size_t i = 0; i < l->n; i++)
			json_array_append_new(arr, probe_json(&l->v[i]));
		o = json_pack("{s:s, s:b, s:I, s:I, s:I, s:f, s:b, s:o}", "topology", t->name, "ok",
			      failed == 0, "passed", (json_int_t)(l->n - failed - skipped), "failed",
			      (json_int_t)failed, "skipped", (json_int_t)skipped, "seconds", secs,
			      "sampled", l->sampled, "probes", arr);
		json_object_set_new(o, "waves", json_integer((json_int_t)l->waves));
		json_dumpf(o, stdout, JSON_INDENT(2));
		printf("\n");
		json_decref(o);
	} else {
		struct out o = {0};

		o.color = cli_color();
		o.ok = o.color ? "\033[32m" : "";
		o.bad = o.color ? "\033[1;31m" : "";
		o.off = o.color ? "\033[0m" : "";
		printf("check of '%s': %zu probes in %.3f s%s", t->name, l->n, secs,
		       l->sampled ? ", large segments probed as rings" : "");
		if (l->waves > 1)
			printf(", in %zu waves", l->waves);
		printf("\n");
		lines_print(&o, l, matrix_print(&o, t, l));
		for (size_t i = 0; i < l->n; i++) {
			const struct check_probe *p = &l->v[i];

			if (check_probe_ok(p))
				continue;
			check_probe_describe(p, line, sizeof(line));
			printf("%sFAIL%s %s: %s after %.0f ms%s%s\n", o.bad, o.off, line,
			       check_result_name(p->result), p->ms, p->note[0] ? "; " : "", p->note);
		}
		if (failed)
			printf("%s%zu of %zu probes failed%s\n", o.bad, failed, l->n, o.off);
		else
			printf("%sall %zu probes passed%s%s\n", o.ok, l->n - skipped, o.off,
			       skipped ? " (some skipped, see above)" : "");
	}
	if (failed && !json) {
		for (size_t i = 0; i < l->n; i++)
			if (!check_probe_ok(&l->v[i])) {
				check_probe_describe(&l->v[i], line, sizeof(line));
				fprintf(stderr, "nsnet: check of '%s' failed: %s: %s%s\n", t->name,
					line, check_result_name(l->v[i].result),
					failed > 1 ? " (and more, above)" : "");
				break;
			}
	}
	return failed ? EXIT_FAIL : EXIT_OK;
}

/* FILE|NAME: the topology; a NAME is read from the file its last `up` recorded. */
static int resolve(const char *arg, struct topology **ret, struct error *err)
{
	char name[NETNS_NAME_MAX + 1], file[4096];
	int r;

	r = cli_topology_name(arg, name, sizeof(name), ret, err);
	if (r < 0)
		return r;
	if (!state_exists(name)) {
		topology_free(*ret);
		*ret = NULL;
		return error_set(err, -ENOENT, "topology '%s' is not up; run 'nsnet up FILE' first",
				 name);
	}
	if (*ret)
		return 0;
	r = state_read_file(name, file, sizeof(file), err);
	if (r < 0)
		return error_prefix(err, "topology '%s'", name);
	return topofile_load(file, ret, err);
}

int cmd_check(const struct command *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{"help", no_argument, NULL, 'h'},
		{"json", no_argument, NULL, 'j'},
		{"timeout", required_argument, NULL, 't'},
		{0},
	};
	_cleanup_(topology_freep) struct topology *t = NULL;
	struct others others = {0};
	struct check_list l = {0};
	struct error err = {0};
	struct timespec a, b;
	unsigned long timeout = CHECK_TIMEOUT_MS;
	bool json = false;
	char *end;
	int c, r;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "hjt:", opts, NULL)) != -1) {
		if (c == 'h') {
			cli_help(cmd, "", stdout);
			return EXIT_OK;
		} else if (c == 'j') {
			json = true;
		} else if (c == 't') {
			errno = 0;
			timeout = strtoul(optarg, &end, 10);
			if (errno || *end || end == optarg || timeout < 50 || timeout > 60000)
				return cli_usage(cmd, "--timeout: '%s' is not 50 to 60000 (ms)",
						 optarg);
		} else {
			return cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (argc - optind != 1)
		return cli_usage(cmd, "expected one FILE or NAME");
	if (resolve(argv[optind], &t, &err) < 0)
		return cli_fail(&err);
	if (others_load(t->name, &others, &err) < 0 ||
	    check_list_build(t, (const struct topology *const *)others.v, others.n, &l, &err) < 0) {
		others_clear(&others);
		return cli_fail(&err);
	}
	others_clear(&others);
	clock_gettime(CLOCK_MONOTONIC, &a);
	r = probe_run(&l, (unsigned)timeout, &err);
	clock_gettime(CLOCK_MONOTONIC, &b);
	if (r < 0) {
		check_list_clear(&l);
		return cli_fail(&err);
	}
	r = cli_check_print(t, &l, (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9,
		   json);
	check_list_clear(&l);
	return r;
}
