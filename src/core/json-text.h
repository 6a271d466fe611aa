/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Text nsnet did not write itself, on its way into a JSON document: names the
 * kernel reports for other tools' objects, /run/netns entries, error messages
 * that quote the bytes of a bad input. JSON strings are UTF-8 and jansson
 * refuses anything else (json_string() returns NULL, json_pack() fails), so a
 * single stray byte would drop a link from `show --json`, or leave nsnet-cni
 * with no error object to print. Every such string goes through json_text().
 */
#ifndef NSNET_JSON_TEXT_H
#define NSNET_JSON_TEXT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* Whether s (NUL-terminated) is well-formed UTF-8 (RFC 3629: no overlong forms,
 * no surrogates, nothing above U+10FFFF). */
bool utf8_valid(const char *s);
/* Whether s holds a control byte (below 0x20, or DEL): text that is refused, not escaped. */
bool text_has_control(const char *s);

/*
 * A JSON string of s; s itself when it is valid UTF-8, otherwise s with each
 * byte that is not part of a well-formed sequence written as the visible text
 * "\xNN" (as `nsnet graph` writes it), so that the odd name still shows and
 * still tells itself apart. json_null() for NULL. NULL only when out of memory.
 */
json_t *json_text(const char *s);

#endif
