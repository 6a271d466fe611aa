/* SPDX-License-Identifier: GPL-2.0-or-later */
/* For the unit tests: a whole file into a NUL-terminated buffer (NULL when it cannot). */
#ifndef NSNET_TEST_SLURP_H
#define NSNET_TEST_SLURP_H

#include <stdio.h>
#include <stdlib.h>

static inline char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	*len = 0;
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (buf) {
		buf[n] = '\0';
		*len = (size_t)n;
	}
	return buf;
}

#endif
