// SPDX-License-Identifier: GPL-2.0-or-later
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "core/name.h"

static void netns_names_accepted(void **state)
{
	static const char *const ok[] = {"red", "blue", "a", "A-b_c.d", "x..y", "r3d", "a-", "0"};
	char max[NETNS_NAME_MAX + 1];

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		assert_int_equal(name_netns_check(ok[i], NULL), 0);
	memset(max, 'n', NETNS_NAME_MAX);
	max[NETNS_NAME_MAX] = '\0';
	assert_int_equal(name_netns_check(max, NULL), 0);
}

static void check_refused(const char *name, const char *needle)
{
	struct error err = {0};

	assert_int_equal(name_netns_check(name, &err), -EINVAL);
	assert_int_equal(err.kind, ERROR_INPUT);
	assert_int_equal(error_exit_status(&err), 2);
	if (!strstr(err.msg, needle))
		fail_msg("'%s': message '%s' lacks '%s'", name, err.msg, needle);
}

static void netns_names_refused(void **state)
{
	char long_name[NETNS_NAME_MAX + 2];
	char huge[301];

	(void)state;
	check_refused("", "empty");
	check_refused(".", "not allowed");
	check_refused("..", "not allowed");
	check_refused(".hidden", "start with '.'");
	check_refused("-x", "start with '-'");
	check_refused("a/b", "'/'");
	check_refused("../etc", "start with '.'");
	check_refused("a b", "space");
	check_refused("a;b", "invalid character ';'");
	check_refused("a$b", "invalid character '$'");
	check_refused("a\nb", "control character 0x0a");
	check_refused("a\tb", "control character 0x09");
	check_refused("\xc3\xa9", "non-ASCII");
	check_refused("*", "invalid character '*'");
	memset(long_name, 'n', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	check_refused(long_name, "too long (65 bytes");
	memset(huge, 'x', sizeof(huge) - 1);
	huge[sizeof(huge) - 1] = '\0';
	check_refused(huge, "too long (300 bytes");
}

static void ifnames(void **state)
{
	struct error err = {0};

	(void)state;
	assert_int_equal(name_ifname_check("veth-red-br", NULL), 0);
	assert_int_equal(name_ifname_check("v-net-0", NULL), 0);
	assert_int_equal(name_ifname_check("fifteen-bytes-x", NULL), 0);
	assert_int_equal(name_ifname_check("A_b.C-9", NULL), 0);
	assert_int_equal(name_ifname_check("lo0", NULL), 0);
	assert_int_equal(name_ifname_check("sixteen-bytes-xx", &err), -EINVAL);
	assert_non_null(strstr(err.msg, "too long (16 bytes, the kernel allows 15)"));
	assert_int_equal(name_ifname_check("a/b", NULL), -EINVAL);
	assert_int_equal(name_ifname_check("a:b", NULL), -EINVAL);
	assert_int_equal(name_ifname_check("a b", NULL), -EINVAL);
	assert_int_equal(name_ifname_check("..", NULL), -EINVAL);
	assert_int_equal(name_ifname_check("", NULL), -EINVAL);
}

/*
 * Every kind of name refuses what is syntax in an nft script, a shell command
 * or a path, with the kind named and the byte at fault quoted.
 */
static void hostile_names(void **state)
{
	static const struct {
		const char *name, *needle;
	} bad[] = {
		{"a\"b", "invalid character '\"'"},
		{"a,b", "invalid character ','"},
		{"$(id)", "invalid character '$'"},
		{"a;b", "invalid character ';'"},
		{"a{b}", "invalid character '{'"},
		{"a}b", "invalid character '}'"},
		{"a b", "a space"},
		{"a\tb", "control character 0x09"},
		{"a`b`", "invalid character '`'"},
		{"a'b", "invalid character '''"},
		{"a\\b", "invalid character '\\'"},
		{"a|b", "invalid character '|'"},
		{"a&b", "invalid character '&'"},
		{"a>b", "invalid character '>'"},
		{"a*", "invalid character '*'"},
		{"a#b", "invalid character '#'"},
		{"a@b", "invalid character '@'"},
		{"a%b", "invalid character '%'"},
		{"a:b", "invalid character ':'"},
		{"a=b", "invalid character '='"},
		{"a/b", "contains '/'"},
		{"\xc3\xa9", "non-ASCII byte 0xc3"},
		{".", "not allowed"},
		{"..", "not allowed"},
		{".a", "must not start with '.'"},
		{"-a", "must not start with '-'"},
		{"", "is empty"},
	};
	static const struct {
		int (*check)(const char *, struct error *);
		const char *what;
	} kinds[] = {
		{name_link_check, "interface name"},
		{name_netns_check, "namespace name"},
		{name_topology_check, "topology name"},
	};

	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(kinds); k++) {
		for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
			struct error err = {0};

			if (kinds[k].check(bad[i].name, &err) != -EINVAL)
				fail_msg("%s '%s' was accepted", kinds[k].what, bad[i].name);
			assert_int_equal(error_exit_status(&err), 2);
			if (strncmp(err.msg, kinds[k].what, strlen(kinds[k].what)) != 0 ||
			    !strstr(err.msg, bad[i].needle))
				fail_msg("%s '%s': message '%s' lacks '%s'", kinds[k].what,
					 bad[i].name, err.msg, bad[i].needle);
		}
		assert_int_equal(kinds[k].check("red-1_x.y", NULL), 0);
	}
}

/*
 * Names the kernel keeps for itself are refused for the links of a topology,
 * not for links that exist (nsnet brings up every namespace's lo) nor for
 * namespaces.
 */
static void reserved_ifnames(void **state)
{
	static const char *const reserved[] = {"lo", "all", "default"};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(reserved); i++) {
		struct error err = {0};

		assert_int_equal(name_ifname_check(reserved[i], NULL), 0);
		assert_int_equal(name_link_check(reserved[i], &err), -EINVAL);
		assert_non_null(strstr(err.msg, reserved[i]));
		assert_int_equal(name_netns_check(reserved[i], NULL), 0);
	}
}

static void topology_names(void **state)
{
	char max[TOPOLOGY_NAME_MAX + 2];
	struct error err = {0};

	(void)state;
	memset(max, 't', TOPOLOGY_NAME_MAX);
	max[TOPOLOGY_NAME_MAX] = '\0';
	assert_int_equal(name_topology_check(max, NULL), 0);
	max[TOPOLOGY_NAME_MAX] = 't';
	max[TOPOLOGY_NAME_MAX + 1] = '\0';
	assert_int_equal(name_topology_check(max, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "topology name 'ttt"));
	assert_non_null(strstr(err.msg, "too long (65 bytes, at most 64)"));
}

static void escape(void **state)
{
	char out[32];
	char huge[200];

	(void)state;
	name_escape("a\nb'c", out, sizeof(out));
	assert_string_equal(out, "a\\x0ab\\x27c");
	memset(huge, 'x', sizeof(huge) - 1);
	huge[sizeof(huge) - 1] = '\0';
	name_escape(huge, out, sizeof(out));
	assert_int_equal(strlen(out), sizeof(out) - 1);
	assert_string_equal(out + strlen(out) - 3, "...");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(netns_names_accepted),
		cmocka_unit_test(netns_names_refused),
		cmocka_unit_test(ifnames),
		cmocka_unit_test(hostile_names),
		cmocka_unit_test(reserved_ifnames),
		cmocka_unit_test(topology_names),
		cmocka_unit_test(escape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
