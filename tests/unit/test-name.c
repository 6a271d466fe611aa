// SPDX-License-Identifier: GPL-2.0-or-later
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "core/name.h"

static void netns_names_accepted(void **state)
{
	static const char *const ok[] = {"red", "blue", "a", "A-b_c.d", "x..y", "r3d", "a-",
					 "0"};
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
	assert_int_equal(name_ifname_check("sixteen-bytes-xx", &err), -EINVAL);
	assert_non_null(strstr(err.msg, "too long (16 bytes, the kernel allows 15)"));
	assert_int_equal(name_ifname_check("a/b", NULL), -EINVAL);
	assert_int_equal(name_ifname_check("a:b", NULL), -EINVAL);
	assert_int_equal(name_ifname_check("a b", NULL), -EINVAL);
	assert_int_equal(name_ifname_check("..", NULL), -EINVAL);
	assert_int_equal(name_ifname_check("", NULL), -EINVAL);
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
		cmocka_unit_test(escape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
