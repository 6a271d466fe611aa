/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The command-line front end over libnsnet (include/nsnet.h, and nothing
 * else of nsnet's): a table of subcommands whose options also produce the
 * help, one option parser for all of them, and the few helpers every
 * subcommand shares to render results. Each subcommand parses its
 * arguments, makes one library call (after loading its topology), and
 * renders what comes back.
 */
#ifndef NSNET_CLI_H
#define NSNET_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "nsnet.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define _cleanup_(f) __attribute__((cleanup(f)))

enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,
	EXIT_USAGE = 2,
};

/* An option of a subcommand: how it is written, and its line in --help. */
struct cli_opt {
	const char *name; /* "dry-run" */
	char short_name;  /* 'n' */
	const char *arg;  /* "MS" when it takes a value, else NULL */
	const char *help;
};

#define CLI_OPTS_MAX 6

struct command {
	const char *name;
	int (*run)(const struct command *cmd, int argc, char **argv);
	const char *args;    /* "NAME [--no-loopback]" */
	const char *summary; /* one line */
	struct cli_opt opts[CLI_OPTS_MAX];
	const char *parent; /* "ns" for "ns add"; NULL for a top-level command */
	bool needs_root;    /* talks to the kernel: say so first when not privileged */
	bool leading;	    /* options end at the first operand (exec's command follows) */
};

/* What cli_parse found: which options were given (by their index in cmd->opts), and values. */
struct cli_args {
	bool set[CLI_OPTS_MAX];
	const char *value[CLI_OPTS_MAX];
	int first; /* the first operand */
	int n;	   /* how many operands */
};

/*
 * Parses argv by cmd->opts: -1 with a filled, to go on; or the exit status
 * to return at once (help printed: EXIT_OK; usage error printed:
 * EXIT_USAGE). Refuses to go on without privileges when the command needs
 * them, before looking at any operand: that is what a person must fix first.
 */
int cli_parse(const struct command *cmd, int argc, char **argv, struct cli_args *a);
bool cli_flag(const struct command *cmd, const struct cli_args *a, const char *name);
const char *cli_value(const struct command *cmd, const struct cli_args *a, const char *name);

/* Prints "nsnet: <msg>" to stderr and returns the exit status the error calls for. */
int cli_fail(const struct nsnet_error *err);
/* Prints a usage error for cmd and returns EXIT_USAGE. */
int cli_usage(const struct command *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cli_help(const struct command *cmd, FILE *out);
void cli_warn(const char *msg);
void cli_warn_cb(const char *msg, void *data);

/* A context for this run, from the environment (NSNET_FAULT_*: fault injection, tests). */
int cli_ctx(struct nsnet_ctx **ret, struct nsnet_error *err);
static inline void cli_ctx_freep(struct nsnet_ctx **c)
{
	nsnet_ctx_free(*c);
}
static inline void cli_topology_freep(struct nsnet_topology **t)
{
	nsnet_topology_free(*t);
}
static inline void cli_freep(void *p)
{
	free(*(void **)p);
}
#define _cleanup_ctx_ _cleanup_(cli_ctx_freep)
#define _cleanup_topology_ _cleanup_(cli_topology_freep)
#define _cleanup_free_ _cleanup_(cli_freep)

/* Whether a FILE|NAME operand names a file: a path, a .yaml/.yml name, or an existing file. */
bool cli_is_file(const char *arg);
/*
 * A FILE|NAME operand: a file is loaded; a NAME is loaded from its recorded
 * file when recorded (need: it must be), else *ret stays NULL and only the
 * name is known (copied to name).
 */
int cli_topology(struct nsnet_ctx *c, const char *arg, bool need, struct nsnet_topology **ret,
		 char *name, size_t len, struct nsnet_error *err);

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
void cli_progress_action(const struct nsnet_action *a, void *data);
/* Ends the counter's line, if any: before a summary or an error. */
void cli_progress_end(struct cli_progress *pg);
/* Prints an action of a plan and its detail lines, each line after indent. */
void cli_print_action(const struct nsnet_action *a, const char *indent);
/* Prints a JSON text the library made, with a newline; returns EXIT_OK or, if NULL, fails. */
int cli_print_json(char *text, const struct nsnet_error *err);

/* Whether to colour standard output: a terminal, NO_COLOR unset or empty, TERM not "dumb". */
bool cli_color(void);
/* The result of a check, as `nsnet check` prints it; returns its exit status. */
int cli_check_print(const struct nsnet_check *k, const char *name, bool json);

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
