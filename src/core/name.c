// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The name alphabet of name.h, and the escaping of untrusted strings for
 * messages.
 */
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

static int bad_char(const char *what, const char *esc, unsigned char c, struct error *err)
{
	if (c == '/')
		return error_input(err, -EINVAL, "%s '%s': contains '/'", what, esc);
	if (c < 0x20 || c == 0x7f)
		return error_input(err, -EINVAL, "%s '%s': contains control character 0x%02x", what,
				   esc, c);
	if (c >= 0x80)
		return error_input(err, -EINVAL, "%s '%s': contains non-ASCII byte 0x%02x", what,
				   esc, c);
	if (c == ' ')
		return error_input(err, -EINVAL, "%s '%s': contains a space", what, esc);
	return error_input(err, -EINVAL, "%s '%s': contains invalid character '%c'", what, esc, c);
}

static bool in_alphabet(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == '-';
}

/* What dev_valid_name() takes, without the bytes no tool prints safely. */
static bool kernel_ok(unsigned char c)
{
	return c > 0x20 && c < 0x7f && c != '/' && c != ':' && c != '%';
}

/*
 * The rules every kind shares; max: the kind's length cap, limit: how to say
 * it; strict: the alphabet of name.h, else only what the kernel refuses.
 */
static int name_check(const char *what, const char *name, size_t max, const char *limit,
		      bool strict, struct error *err)
{
	size_t len = strlen(name);
	char esc[96];

	if (len == 0)
		return error_input(err, -EINVAL, "%s is empty", what);
	name_escape(name, esc, sizeof(esc));
	if (len > max)
		return error_input(err, -EINVAL, "%s '%s': too long (%zu bytes, %s %zu)", what, esc,
				   len, limit, max);
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return error_input(err, -EINVAL, "%s '%s': not allowed", what, esc);
	if (strict && name[0] == '.')
		return error_input(err, -EINVAL, "%s '%s': must not start with '.'", what, esc);
	if (strict && name[0] == '-')
		return error_input(err, -EINVAL, "%s '%s': must not start with '-'", what, esc);
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (!(strict ? in_alphabet(*p) : kernel_ok(*p)))
			return bad_char(what, esc, *p, err);
	return 0;
}

int name_netns_check(const char *name, struct error *err)
{
	return name_check("namespace name", name, NETNS_NAME_MAX, "at most", true, err);
}

int name_topology_check(const char *name, struct error *err)
{
	return name_check("topology name", name, TOPOLOGY_NAME_MAX, "at most", true, err);
}

int name_link_check(const char *name, struct error *err)
{
	static const char what[] = "interface name";
	int r = name_check(what, name, IFNAME_MAX, "the kernel allows", true, err);

	if (r < 0)
		return r;
	if (strcmp(name, "lo") == 0)
		return error_input(err, -EINVAL,
				   "%s 'lo': taken by the loopback interface of every namespace",
				   what);
	/* The kernel refuses these itself: they would shadow /proc/sys/net/ipv4/conf/all. */
	if (strcmp(name, "all") == 0 || strcmp(name, "default") == 0)
		return error_input(err, -EINVAL, "%s '%s': reserved by the kernel", what, name);
	return 0;
}

int name_ifname_check(const char *name, struct error *err)
{
	return name_check("interface name", name, IFNAME_MAX, "the kernel allows", false, err);
}
