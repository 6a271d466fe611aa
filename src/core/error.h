/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Errors with context. A failing function fills a caller-provided struct error
 * at the failure site ("veth 'veth-red' in 'red': RTM_NEWLINK: File exists
 * (kernel: ...)"), callers on the way up prefix what they were doing, and only
 * front ends print. The buffer is fixed so the error path never allocates.
 */
#ifndef NSNET_ERROR_H
#define NSNET_ERROR_H

#include <stdbool.h>

#include "macro.h"

#define ERROR_MSG_MAX 1024

enum error_kind {
	ERROR_OP = 0, /* the operation failed: exit 1 */
	ERROR_INPUT,  /* bad input or usage: exit 2, nothing was touched */
};

struct error {
	int code; /* negative errno, 0 when unset */
	enum error_kind kind;
	char msg[ERROR_MSG_MAX];
};

/*
 * Sets *err (if err is non-NULL) and returns code, so failure sites read
 * "return error_set(err, -EEXIST, "namespace '%s' already exists", name);".
 * code must be negative.
 */
int error_set(struct error *err, int code, const char *fmt, ...) _printf_(3, 4);

/* As error_set, and marks the error as bad input (exit status 2). */
int error_input(struct error *err, int code, const char *fmt, ...) _printf_(3, 4);

/* As error_set, followed by ": strerror(-code)". */
int error_errno(struct error *err, int code, const char *fmt, ...) _printf_(3, 4);

/* Prepends "context: " to the message already in *err; returns err->code. */
int error_prefix(struct error *err, const char *fmt, ...) _printf_(2, 3);

void error_clear(struct error *err);

/* Exit status for a front end: 0, 1 or 2. */
int error_exit_status(const struct error *err);

#endif
