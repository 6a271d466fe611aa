// SPDX-License-Identifier: GPL-2.0-or-later
/* Quoting for nft's syntax and for the shell: see quote.h. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "name.h"
#include "quote.h"

static bool is_control(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

static bool is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* The first byte of s nft cannot take in that kind of place; NULL when none. */
static const char *nft_bad_byte(const char *s, enum quote_nft_kind kind)
{
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (kind == QUOTE_NFT_STRING) {
			if (c == '"' || c == '\\' || is_control(c))
				return p;
		} else if (!(is_alnum(c) || c == '_' || c == '.' ||
			     (p > s && (c == '/' || c == '-'))) ||
			   (p == s && c >= '0' && c <= '9')) {
			return p;
		}
	}
	return NULL;
}

int quote_nft(const char *s, enum quote_nft_kind kind, char *buf, size_t len, const char *what,
	      struct error *err)
{
	const char *bad = nft_bad_byte(s, kind);
	char esc[96];
	size_t n = strlen(s);
	int w;

	if (len)
		buf[0] = '\0';
	if (bad || (kind == QUOTE_NFT_IDENT && (n == 0 || n > QUOTE_NFT_IDENT_MAX))) {
		name_escape(s, esc, sizeof(esc));
		if (!what)
			what = "name";
		if (!bad)
			return error_input(err, -EINVAL,
					   "%s '%s': an nft name is 1 to %d bytes long", what, esc,
					   QUOTE_NFT_IDENT_MAX);
		if (kind == QUOTE_NFT_STRING)
			return error_input(
				err, -EINVAL,
				"%s '%s': byte 0x%02x cannot be written in an nft string", what,
				esc, (unsigned char)*bad);
		return error_input(
			err, -EINVAL,
			"%s '%s': byte 0x%02x cannot be written in an nft name (a letter, "
			"'_' or '.', then letters, digits, '_', '.', '/', '-')",
			what, esc, (unsigned char)*bad);
	}
	w = kind == QUOTE_NFT_STRING ? snprintf(buf, len, "\"%s\"", s)
				     : snprintf(buf, len, "%s", s);
	if (w < 0 || (size_t)w >= len) {
		if (len)
			buf[0] = '\0';
		return error_set(err, -ENOBUFS, "nft quoting: %zu bytes do not fit in %zu", n, len);
	}
	return 0;
}

static bool shell_plain(const char *s, const char *extra)
{
	if (!*s)
		return false;
	for (const char *p = s; *p; p++)
		if (!is_alnum((unsigned char)*p) && !strchr(extra, *p))
			return false;
	return true;
}

/* Appends word to buf[*o..len), quoted unless every byte is alnum or in plain. */
static int put_word(const char *s, const char *plain, char *buf, size_t len, size_t *o)
{
	size_t need = 0;
	bool bare = shell_plain(s, plain);

	for (const char *p = s; *p; p++) {
		if (is_control((unsigned char)*p))
			return -EINVAL;
		need += *p == '\'' ? 4 : 1;
	}
	if (!bare)
		need += 2;
	if (*o + need + 1 > len)
		return -ENOBUFS;
	if (!bare)
		buf[(*o)++] = '\'';
	for (const char *p = s; *p; p++) {
		if (*p == '\'') {
			/* End the quoted part, an escaped quote, quote again. */
			memcpy(buf + *o, "'\\''", 4);
			*o += 4;
		} else {
			buf[(*o)++] = *p;
		}
	}
	if (!bare)
		buf[(*o)++] = '\'';
	buf[*o] = '\0';
	return 0;
}

#define SHELL_PLAIN "_./:=,@%+-"
#define SHELL_PLAIN_COMMAND "_./-"

int quote_shell(const char *s, char *buf, size_t len)
{
	size_t o = 0;
	int r;

	if (!len)
		return -ENOBUFS;
	buf[0] = '\0';
	r = put_word(s, SHELL_PLAIN, buf, len, &o);
	if (r < 0)
		buf[0] = '\0';
	return r;
}

int quote_shell_argv(const char *const *argv, char *buf, size_t len)
{
	size_t o = 0;
	int r = 0;

	if (!len)
		return -ENOBUFS;
	buf[0] = '\0';
	for (size_t i = 0; argv[i] && r >= 0; i++) {
		if (i) {
			if (o + 2 > len)
				r = -ENOBUFS;
			else
				buf[o++] = ' ';
		}
		if (r >= 0)
			r = put_word(argv[i], i ? SHELL_PLAIN : SHELL_PLAIN_COMMAND, buf, len, &o);
	}
	if (r < 0)
		buf[0] = '\0';
	return r;
}
