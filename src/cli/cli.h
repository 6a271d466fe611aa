/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The command-line front end: a table of subcommands that also produces the
 * help, and the few helpers every subcommand shares for options and errors.
 */
#ifndef NSNET_CLI_H
#define NSNET_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "core/error.h"

enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,
	EXIT_USAGE = 2,
};

struct command {
	const char *name;
	int (*run)(const struct command *cmd, int argc, char **argv);
	const char *args;    /* "NAME [--no-loopback]" */
	const char *summary; /* one line */
	const char *help;    /* options, one per line, or NULL */
	const char *parent;  /* "ns" for "ns add"; NULL for a top-level command */
};

/* Prints "nsnet: <msg>" to stderr and returns the exit status the error calls for. */
int cli_fail(const struct error *err);
/* Prints a usage error for cmd and returns EXIT_USAGE. */
int cli_usage(const struct command *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cli_help(const struct command *cmd, const char *prefix, FILE *out);
void cli_warn(const char *msg);

/*
 * Parses the options every read-only command shares; returns the index of the
 * first operand, or -1 after printing help (exit 0) and -2 on a usage error.
 */
int cli_parse_simple(const struct command *cmd, const char *prefix, int argc, char **argv,
		     bool *json, bool *flag, const char *flag_long, char flag_short);
/* As cli_parse_simple, but options end at the first operand (exec's command follows). */
int cli_parse_leading(const struct command *cmd, int argc, char **argv);

/* Whether a FILE|NAME operand names a file: a path, a .yaml/.yml name, or an existing file. */
bool cli_is_file(const char *arg);
/* The topology name a FILE|NAME operand stands for (the file is parsed, and kept in *ret_t if
 * ret_t is not NULL). */
struct topology;
int cli_topology_name(const char *arg, char *buf, size_t len, struct topology **ret_t,
		      struct error *err);
/*
 * Progress of up and down: one line per change, or on a terminal, for plans
 * of CLI_PROGRESS_COUNTER_MIN changes or more, one line with a counter
 * ("[523/7014] + veth ..."). data of the callbacks: a struct cli_progress.
 */
#define CLI_PROGRESS_COUNTER_MIN 50
struct cli_progress {
	size_t n, i;
	bool counter;
};
void cli_progress_planned(size_t n, void *data);
/* Prints one action as it is applied (data: a struct cli_progress, or NULL). */
struct action;
void cli_print_action(const struct action *a, void *data);
/* Ends the counter's line, if any: before a summary or an error. */
void cli_progress_end(void *data);
/* Prints one line per action of a plan, prefixed by indent. */
struct plan;
void cli_print_plan(const struct plan *p, const char *indent);
struct json_t;
/* The plan as a JSON array of {"action", "description"}. */
struct json_t *cli_plan_json(const struct plan *p);

/* Whether to colour standard output: a terminal, NO_COLOR unset or empty, TERM not "dumb". */
bool cli_color(void);
struct check_list;
/* The result of a check, as `nsnet check` prints it; returns its exit status. */
int cli_check_print(const struct topology *t, const struct check_list *l, double secs, bool json);

int cmd_ns(const struct command *cmd, int argc, char **argv);
int cmd_up(const struct command *cmd, int argc, char **argv);
int cmd_down(const struct command *cmd, int argc, char **argv);
int cmd_status(const struct command *cmd, int argc, char **argv);
int cmd_doctor(const struct command *cmd, int argc, char **argv);
int cmd_graph(const struct command *cmd, int argc, char **argv);
int cmd_exec(const struct command *cmd, int argc, char **argv);
int cmd_show(const struct command *cmd, int argc, char **argv);
int cmd_check(const struct command *cmd, int argc, char **argv);
int cmd_demo(const struct command *cmd, int argc, char **argv);

#endif
