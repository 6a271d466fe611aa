// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "name.h"

void name_escape(const char *in, char *out, size_t outlen)
{
	size_t o = 0;

	if (outlen < 8) {
		if (outlen)
			out[0] = '\0';
		return;
	}
	for (const unsigned char *p = (const unsigned char *)in; *p; p++) {
		bool plain = *p >= 0x20 && *p < 0x7f && *p != '\\' && *p != '\'';
		size_t need = plain ? 1 : 4;

		/* Keep room for "..." so a long name is not mistaken for its prefix. */
		if (o + need + 4 > outlen) {
			memcpy(out + o, "...", 4);
			return;
		}
		if (plain)
			out[o++] = (char)*p;
		else
			o += (size_t)snprintf(out + o, outlen - o, "\\x%02x", *p);
	}
	out[o] = '\0';
}

static int bad_char(const char *what, const char *name, unsigned char c, struct error *err)
{
	char esc[96];

	name_escape(name, esc, sizeof(esc));
	if (c == '/')
		return error_input(err, -EINVAL, "%s '%s': contains '/'", what, esc);
	if (c < 0x20 || c == 0x7f)
		return error_input(err, -EINVAL, "%s '%s': contains control character 0x%02x", what,
				   esc, c);
	if (c >= 0x80)
		return error_input(err, -EINVAL, "%s '%s': contains non-ASCII byte 0x%02x", what, esc,
				   c);
	if (c == ' ')
		return error_input(err, -EINVAL, "%s '%s': contains a space", what, esc);
	return error_input(err, -EINVAL, "%s '%s': contains invalid character '%c'", what, esc, c);
}

int name_netns_check(const char *name, struct error *err)
{
	static const char what[] = "namespace name";
	size_t len = strlen(name);
	char esc[96];

	if (len == 0)
		return error_input(err, -EINVAL, "%s is empty", what);
	name_escape(name, esc, sizeof(esc));
	if (len > NETNS_NAME_MAX)
		return error_input(err, -EINVAL, "%s '%s': too long (%zu bytes, at most %d)", what,
				   esc, len, NETNS_NAME_MAX);
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return error_input(err, -EINVAL, "%s '%s': not allowed", what, esc);
	if (name[0] == '.')
		return error_input(err, -EINVAL, "%s '%s': must not start with '.'", what, esc);
	if (name[0] == '-')
		return error_input(err, -EINVAL, "%s '%s': must not start with '-'", what, esc);
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		unsigned char c = *p;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '_' || c == '.' || c == '-')
			continue;
		return bad_char(what, name, c, err);
	}
	return 0;
}

int name_ifname_check(const char *name, struct error *err)
{
	static const char what[] = "interface name";
	size_t len = strlen(name);
	char esc[96];

	if (len == 0)
		return error_input(err, -EINVAL, "%s is empty", what);
	name_escape(name, esc, sizeof(esc));
	if (len > IFNAME_MAX)
		return error_input(err, -EINVAL, "%s '%s': too long (%zu bytes, the kernel allows %d)",
				   what, esc, len, IFNAME_MAX);
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return error_input(err, -EINVAL, "%s '%s': not allowed", what, esc);
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		unsigned char c = *p;

		if (c <= 0x20 || c >= 0x7f || c == '/' || c == ':' || c == '%')
			return bad_char(what, name, c, err);
	}
	return 0;
}
