// SPDX-License-Identifier: GPL-2.0-or-later
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "core/error.h"

static void set_and_prefix(void **state)
{
	struct error err = {0};

	(void)state;
	assert_int_equal(error_set(&err, -EEXIST, "veth '%s'", "veth-red"), -EEXIST);
	assert_int_equal(error_prefix(&err, "namespace '%s'", "red"), -EEXIST);
	assert_string_equal(err.msg, "namespace 'red': veth 'veth-red'");
	assert_int_equal(error_exit_status(&err), 1);
	error_clear(&err);
	assert_int_equal(error_exit_status(&err), 0);
}

static void errno_text(void **state)
{
	struct error err = {0};

	(void)state;
	error_errno(&err, -ENOENT, "open '%s'", "/x");
	assert_string_equal(err.msg, "open '/x': No such file or directory");
}

static void input_kind(void **state)
{
	struct error err = {0};

	(void)state;
	error_input(&err, -EINVAL, "bad");
	assert_int_equal(error_exit_status(&err), 2);
	/* A NULL error is allowed everywhere and only returns the code. */
	assert_int_equal(error_set(NULL, -EIO, "x"), -EIO);
	assert_int_equal(error_input(NULL, -EIO, "x"), -EIO);
}

static void truncation(void **state)
{
	struct error err = {0};
	char big[ERROR_MSG_MAX * 2];

	(void)state;
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	error_set(&err, -EINVAL, "%s", big);
	assert_int_equal(strlen(err.msg), ERROR_MSG_MAX - 1);
	error_prefix(&err, "%s", big);
	assert_int_equal(strlen(err.msg), ERROR_MSG_MAX - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(set_and_prefix),
		cmocka_unit_test(errno_text),
		cmocka_unit_test(input_kind),
		cmocka_unit_test(truncation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
