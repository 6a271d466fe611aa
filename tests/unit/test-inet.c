// SPDX-License-Identifier: GPL-2.0-or-later
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "core/inet.h"

static void prefix_roundtrip(void **state)
{
	static const char *const in[] = {"192.168.15.1/24", "10.0.0.0/8", "0.0.0.0/0",
					 "fd00::1/64", "::/0", "2001:db8::5/128"};
	struct inet_prefix p;
	char buf[PREFIX_STR_MAX];

	(void)state;
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		assert_int_equal(inet_prefix_parse(in[i], &p, NULL), 0);
		inet_prefix_format(&p, buf, sizeof(buf));
		assert_string_equal(buf, in[i]);
	}
	assert_int_equal(inet_prefix_parse("192.168.1.3", &p, NULL), 0);
	assert_int_equal(p.len, 32);
	assert_int_equal(p.addr.family, AF_INET);
}

static void prefix_refused(void **state)
{
	static const char *const bad[] = {"", "/24", "192.168.15.1/", "192.168.15.1/33",
					  "192.168.15.1/-1", "192.168.15.1/2x", "256.1.1.1/24",
					  "fd00::/129", "red", "192.168.15.1/0024",
					  "192.168.15.1/24/5"};
	struct error err = {0};
	struct inet_prefix p;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (inet_prefix_parse(bad[i], &p, &err) != -EINVAL)
			fail_msg("'%s' was accepted", bad[i]);
		assert_int_equal(err.kind, ERROR_INPUT);
	}
}

static void containment(void **state)
{
	struct inet_prefix net, n;
	struct inet_addr a;
	char buf[PREFIX_STR_MAX];

	(void)state;
	assert_int_equal(inet_prefix_parse("192.168.15.5/24", &net, NULL), 0);
	n = inet_prefix_network(&net);
	inet_prefix_format(&n, buf, sizeof(buf));
	assert_string_equal(buf, "192.168.15.0/24");
	assert_int_equal(inet_addr_parse("192.168.15.200", &a, NULL), 0);
	assert_true(inet_prefix_contains(&net, &a));
	assert_int_equal(inet_addr_parse("192.168.16.1", &a, NULL), 0);
	assert_false(inet_prefix_contains(&net, &a));
	assert_int_equal(inet_addr_parse("fd00::1", &a, NULL), 0);
	assert_false(inet_prefix_contains(&net, &a));
	assert_int_equal(inet_prefix_parse("10.1.2.3/13", &net, NULL), 0);
	n = inet_prefix_network(&net);
	inet_prefix_format(&n, buf, sizeof(buf));
	assert_string_equal(buf, "10.0.0.0/13");
}

static void route_dst(void **state)
{
	struct inet_prefix p;

	(void)state;
	assert_int_equal(inet_route_dst_parse("default", 0, &p, NULL), 0);
	assert_int_equal(p.len, 0);
	assert_int_equal(p.addr.family, AF_INET);
	assert_int_equal(inet_route_dst_parse("default", AF_INET6, &p, NULL), 0);
	assert_int_equal(p.addr.family, AF_INET6);
}

static void macs(void **state)
{
	uint8_t mac[MAC_LEN];
	char buf[MAC_STR_MAX];
	struct error err = {0};

	(void)state;
	assert_int_equal(mac_parse("02:00:5E:10:00:01", mac, NULL), 0);
	mac_format(mac, MAC_LEN, buf, sizeof(buf));
	assert_string_equal(buf, "02:00:5e:10:00:01");
	assert_int_equal(mac_parse("01:00:5e:00:00:01", mac, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "multicast"));
	assert_int_equal(mac_parse("00:00:00:00:00:00", mac, NULL), -EINVAL);
	assert_int_equal(mac_parse("02:00:5e:10:00", mac, NULL), -EINVAL);
	assert_int_equal(mac_parse("02-00-5e-10-00-01", mac, NULL), -EINVAL);
	assert_int_equal(mac_parse("02:00:5e:10:00:0g", mac, NULL), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(prefix_roundtrip), cmocka_unit_test(prefix_refused),
		cmocka_unit_test(containment),	    cmocka_unit_test(route_dst),
		cmocka_unit_test(macs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
