/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A growable string for generated text (nft scripts). Out of memory is sticky. */
#ifndef NSNET_STRBUF_H
#define NSNET_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

#include "macro.h"

struct strbuf {
	char *s;
	size_t len, cap;
	bool oom;
};

void strbuf_printf(struct strbuf *b, const char *fmt, ...) _printf_(2, 3);
/* Hands the string over (NULL after an allocation failure) and resets b. */
char *strbuf_take(struct strbuf *b);
void strbuf_clear(struct strbuf *b);

#endif
