// SPDX-License-Identifier: GPL-2.0-or-later
/* What up, down and status share: operands, plans on screen and in JSON. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "core/plan.h"

bool cli_is_file(const char *arg)
{
	size_t n = strlen(arg);
	struct stat st;

	if (strchr(arg, '/'))
		return true;
	if ((n > 5 && strcmp(arg + n - 5, ".yaml") == 0) || (n > 4 && strcmp(arg + n - 4, ".yml") == 0))
		return true;
	return stat(arg, &st) == 0 && S_ISREG(st.st_mode);
}

void cli_progress_planned(size_t n, void *data)
{
	struct cli_progress *pg = data;

	pg->n = n;
	pg->i = 0;
	/* A counter on one line for long runs on a terminal; a line per change otherwise. */
	pg->counter = n >= CLI_PROGRESS_COUNTER_MIN && isatty(STDOUT_FILENO);
}

void cli_progress_end(void *data)
{
	struct cli_progress *pg = data;

	if (pg && pg->counter && pg->i) {
		printf("\n");
		pg->counter = false;
	}
	fflush(stdout);
}

static int terminal_width(void)
{
	struct winsize ws;

	return ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20 ? ws.ws_col : 80;
}

void cli_print_action(const struct action *a, void *data)
{
	static struct timespec last;
	struct cli_progress *pg = data;
	struct timespec now;
	bool due, final = false;
	char line[512];

	action_describe(a, line, sizeof(line));
	if (pg)
		final = ++pg->i == pg->n;
	clock_gettime(CLOCK_MONOTONIC, &now);
	/*
	 * What is being changed shows within 50 ms, without a write per line
	 * (an up of 1000 namespaces makes 7000 changes).
	 */
	due = (now.tv_sec - last.tv_sec) * 1000000000L + (now.tv_nsec - last.tv_nsec) >= 50000000L;
	if (pg && pg->counter) {
		if (due || final) {
			char head[48];
			int w = terminal_width(), room;

			room = w - snprintf(head, sizeof(head), "[%zu/%zu] ", pg->i, pg->n) - 1;
			printf("\r\033[K%s%.*s", head, room > 0 ? room : 0, line);
		}
	} else {
		printf("%s\n", line);
	}
	if (due || final) {
		fflush(stdout);
		last = now;
	}
}

void cli_print_plan(const struct plan *p, const char *indent)
{
	char line[512];

	for (size_t i = 0; i < p->n; i++) {
		action_describe(&p->v[i], line, sizeof(line));
		printf("%s%s\n", indent, line);
	}
}

json_t *cli_plan_json(const struct plan *p)
{
	json_t *arr = json_array();
	char line[512];

	for (size_t i = 0; i < p->n; i++) {
		action_describe(&p->v[i], line, sizeof(line));
		json_array_append_new(arr, json_pack("{s:s, s:s}", "action",
						     action_type_name(p->v[i].type),
						     "description", line));
	}
	return arr;
}
