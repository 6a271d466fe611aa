// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error.h"

static void error_vset(struct error *err, int code, enum error_kind kind, const char *fmt,
		       va_list ap)
{
	err->code = code;
	err->kind = kind;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
}

int error_set(struct error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	va_start(ap, fmt);
	error_vset(err, code, ERROR_OP, fmt, ap);
	va_end(ap);
	return code;
}

int error_input(struct error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	va_start(ap, fmt);
	error_vset(err, code, ERROR_INPUT, fmt, ap);
	va_end(ap);
	return code;
}

int error_errno(struct error *err, int code, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	if (!err)
		return code;
	va_start(ap, fmt);
	error_vset(err, code, ERROR_OP, fmt, ap);
	va_end(ap);
	n = strlen(err->msg);
	snprintf(err->msg + n, sizeof(err->msg) - n, ": %s", strerror(-code));
	return code;
}

int error_prefix(struct error *err, const char *fmt, ...)
{
	char old[ERROR_MSG_MAX];
	va_list ap;
	size_t n;

	if (!err)
		return -EINVAL;
	memcpy(old, err->msg, sizeof(old));
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	n = strlen(err->msg);
	/* Truncates at the buffer's end, like every other error path. */
	for (const char *p = ": "; *p && n + 1 < sizeof(err->msg); p++)
		err->msg[n++] = *p;
	for (const char *p = old; *p && n + 1 < sizeof(err->msg); p++)
		err->msg[n++] = *p;
	err->msg[n] = '\0';
	return err->code;
}

void error_clear(struct error *err)
{
	if (!err)
		return;
	err->code = 0;
	err->kind = ERROR_OP;
	err->msg[0] = '\0';
}

int error_exit_status(const struct error *err)
{
	if (!err || err->code == 0)
		return 0;
	return err->kind == ERROR_INPUT ? 2 : 1;
}
