// SPDX-License-Identifier: GPL-2.0-or-later
/* Untrusted text into JSON: see json-text.h. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json-text.h"

/* Length of the well-formed UTF-8 sequence at s, 0 when there is none. */
static size_t utf8_seq(const unsigned char *s)
{
	uint32_t cp;
	size_t n;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80) /* also stops at the NUL */
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

bool utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t n = utf8_seq(p);

		if (!n)
			return false;
		p += n;
	}
	return true;
}

bool text_has_control(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return true;
	return false;
}

json_t *json_text(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	char *buf, *q;
	json_t *j;

	if (!s)
		return json_null();
	if (utf8_valid(s))
		return json_string(s);
	/* Each bad byte grows to four: "\xNN". */
	q = buf = malloc(strlen(s) * 4 + 1);
	if (!buf)
		return NULL;
	while (*p) {
		size_t n = utf8_seq(p);

		if (n) {
			memcpy(q, p, n);
			q += n, p += n;
		} else {
			q += sprintf(q, "\\x%02x", *p++);
		}
	}
	*q = '\0';
	j = json_string(buf);
	free(buf);
	return j;
}
