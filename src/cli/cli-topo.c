// SPDX-License-Identifier: GPL-2.0-or-later
/* What up, down, status, check and doctor share: operands and progress. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"

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

int cli_topology(struct nsnet_ctx *c, const char *arg, bool need, struct nsnet_topology **ret,
		 char *name, size_t len, struct nsnet_error *err)
{
	int r;

	*ret = NULL;
	if (cli_is_file(arg))
		r = nsnet_topology_load_file(arg, ret, err);
	else
		r = nsnet_topology_load_recorded(c, arg, ret, err);
	if (r == -ENOENT && !need && !cli_is_file(arg)) {
		snprintf(name, len, "%s", arg);
		return 0;
	}
	if (r < 0)
		return r;
	snprintf(name, len, "%s", nsnet_topology_name(*ret));
	return 0;
}

void cli_progress_planned(size_t n, void *data)
{
	struct cli_progress *pg = data;

	pg->n = n;
	pg->i = 0;
	/* A counter on one line for long runs on a terminal; a line per change otherwise. */
	pg->counter = n >= CLI_PROGRESS_COUNTER_MIN && isatty(STDOUT_FILENO);
}

void cli_progress_end(struct cli_progress *pg)
{
	if (pg->counter && pg->i) {
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

void cli_progress_action(const struct nsnet_action *a, void *data)
{
	static struct timespec last;
	struct cli_progress *pg = data;
	struct timespec now;
	bool final = ++pg->i == pg->n;

	if (!pg->counter) {
		/* A line per change, there when it is printed: on a pipe too (a log follows it). */
		printf("%s\n", a->description);
		fflush(stdout);
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	/* On a terminal what is being changed shows within 50 ms, without a write per change. */
	if ((now.tv_sec - last.tv_sec) * 1000000000L + (now.tv_nsec - last.tv_nsec) >= 50000000L ||
	    final) {
		char head[48];
		int room;

		room = terminal_width() - snprintf(head, sizeof(head), "[%zu/%zu] ", pg->i, pg->n) - 1;
		printf("\r\033[K%s%.*s", head, room > 0 ? room : 0, a->description);
		fflush(stdout);
		last = now;
	}
}

void cli_print_action(const struct nsnet_action *a, const char *indent)
{
	const char *s = a->detail, *nl;

	printf("%s%s\n", indent, a->description);
	while (s && *s) {
		nl = strchr(s, '\n');
		printf("%s    %.*s\n", indent, nl ? (int)(nl - s) : (int)strlen(s), s);
		s = nl ? nl + 1 : NULL;
	}
}
