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
					 "fd00::1/64",	    "::/0",	  "2001:db8::5/128"};
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
	static const char *const bad[] = {"",
					  "/24",
					  "192.168.15.1/",
					  "192.168.15.1/33",
					  "192.168.15.1/-1",
					  "192.168.15.1/2x",
					  "256.1.1.1/24",
					  "fd00::/129",
					  "red",
					  "192.168.15.1/0024",
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

/* An independent oracle: inet_pton and the prefix written out by hand. */
static void kinds(void **state)
{
	static const struct {
		const char *addr;
		enum inet_kind kind;
	} cases[] = {
		{"0.0.0.0", INET_KIND_UNSPECIFIED},
		{"0.0.0.1", INET_KIND_UNICAST},
		{"127.0.0.1", INET_KIND_LOOPBACK},
		{"127.255.255.254", INET_KIND_LOOPBACK},
		{"128.0.0.1", INET_KIND_UNICAST},
		{"224.0.0.1", INET_KIND_MULTICAST},
		{"239.255.255.255", INET_KIND_MULTICAST},
		{"223.255.255.255", INET_KIND_UNICAST},
		{"240.0.0.1", INET_KIND_UNICAST},
		{"255.255.255.255", INET_KIND_BROADCAST},
		{"255.255.255.254", INET_KIND_UNICAST},
		{"169.254.0.1", INET_KIND_LINK_LOCAL},
		{"169.255.0.1", INET_KIND_UNICAST},
		{"::", INET_KIND_UNSPECIFIED},
		{"::1", INET_KIND_LOOPBACK},
		{"::2", INET_KIND_UNICAST},
		{"ff02::1", INET_KIND_MULTICAST},
		{"fe80::1", INET_KIND_LINK_LOCAL},
		{"febf::1", INET_KIND_LINK_LOCAL},
		{"fec0::1", INET_KIND_UNICAST},
		{"fd00::1", INET_KIND_UNICAST},
		{"::ffff:127.0.0.1", INET_KIND_UNICAST},
	};
	struct inet_addr a;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(inet_addr_parse(cases[i].addr, &a, NULL), 0);
		if (inet_addr_kind(&a) != cases[i].kind)
			fail_msg("%s: kind %d, want %d", cases[i].addr, inet_addr_kind(&a),
				 cases[i].kind);
	}
}

static void slots(void **state)
{
	static const struct {
		const char *prefix;
		enum inet_slot slot;
	} cases[] = {
		{"192.168.15.0/24", INET_SLOT_NETWORK},
		{"192.168.15.255/24", INET_SLOT_BROADCAST},
		{"192.168.15.1/24", INET_SLOT_HOST},
		{"192.168.15.254/24", INET_SLOT_HOST},
		{"10.1.0.0/15", INET_SLOT_HOST},
		{"10.0.0.0/15", INET_SLOT_NETWORK},
		{"10.1.255.255/15", INET_SLOT_BROADCAST},
		{"10.0.0.4/30", INET_SLOT_NETWORK},
		{"10.0.0.7/30", INET_SLOT_BROADCAST},
		{"10.0.0.5/30", INET_SLOT_HOST},
		{"10.0.0.0/31", INET_SLOT_HOST},
		{"10.0.0.1/31", INET_SLOT_HOST},
		{"10.0.0.0/32", INET_SLOT_HOST},
		{"fd00::/64", INET_SLOT_ANYCAST},
		{"fd00::1/64", INET_SLOT_HOST},
		{"fd00::ffff:ffff:ffff:ffff/64", INET_SLOT_HOST},
		{"fd00::/126", INET_SLOT_ANYCAST},
		{"fd00::/127", INET_SLOT_HOST},
		{"fd00::/128", INET_SLOT_HOST},
		{"fd00:0:0:8000::/48", INET_SLOT_HOST},
		{"fd00:0:0:8000::/49", INET_SLOT_ANYCAST},
	};
	struct inet_prefix p;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(inet_prefix_parse(cases[i].prefix, &p, NULL), 0);
		if (inet_prefix_slot(&p) != cases[i].slot)
			fail_msg("%s: slot %d, want %d", cases[i].prefix, inet_prefix_slot(&p),
				 cases[i].slot);
	}
}

static void host_checks(void **state)
{
	static const struct {
		const char *prefix, *msg; /* msg NULL: accepted */
	} cases[] = {
		{"192.168.15.1/24", NULL},
		{"0.0.0.0/8", "0.0.0.0/8 is the unspecified address, not a host address"},
		{"10.0.0.1/0", "10.0.0.1/0: a /0 prefix is every address, not a subnet"},
		{"127.0.0.2/8",
		 "127.0.0.2/8 is a loopback address (127.0.0.0/8), not a host address"},
		{"::1/128", "::1/128 is the loopback address, not a host address"},
		{"239.0.0.1/8",
		 "239.0.0.1/8 is a multicast address (224.0.0.0/4), not a host address"},
		{"255.255.255.255/32", "255.255.255.255/32 is the limited broadcast address, not a "
				       "host address"},
		{"10.0.0.0/8",
		 "10.0.0.0/8 is the network address of 10.0.0.0/8, not a host address"},
		{"10.255.255.255/8",
		 "10.255.255.255/8 is the broadcast address of 10.0.0.0/8, not a "
		 "host address"},
		{"fd00::/64", "fd00::/64 is the subnet-router anycast address of fd00::/64, not a "
			      "host address"},
		{"169.254.0.1/16", "169.254.0.1/16 is a link-local address (169.254.0.0/16)"},
		{"fe80::1/64", "fe80::1/64 is a link-local address (fe80::/10)"},
	};
	struct inet_prefix p;
	struct error err = {0};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r;

		assert_int_equal(inet_prefix_parse(cases[i].prefix, &p, NULL), 0);
		r = inet_prefix_host_check(&p, 0, &err);
		if (!cases[i].msg) {
			assert_int_equal(r, 0);
			continue;
		}
		assert_int_equal(r, -EINVAL);
		assert_int_equal(err.kind, ERROR_INPUT);
		assert_string_equal(err.msg, cases[i].msg);
	}
	/* What the caller allows. */
	assert_int_equal(inet_prefix_parse("fe80::1/64", &p, NULL), 0);
	assert_int_equal(inet_prefix_host_check(&p, INET_KIND_BIT(INET_KIND_LINK_LOCAL), NULL), 0);
	assert_int_equal(inet_prefix_parse("fe80::/64", &p, NULL), 0);
	assert_int_equal(inet_prefix_host_check(&p, INET_KIND_BIT(INET_KIND_LINK_LOCAL), NULL),
			 -EINVAL);
	assert_int_equal(inet_prefix_parse("127.0.0.1/8", &p, NULL), 0);
	assert_int_equal(inet_addr_host_check(&p.addr, INET_KIND_BIT(INET_KIND_LOOPBACK), NULL), 0);
	assert_int_equal(inet_addr_host_check(&p.addr, 0, &err), -EINVAL);
	assert_string_equal(err.msg, "127.0.0.1 is a loopback address (127.0.0.0/8), not a host "
				     "address");
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
		cmocka_unit_test(prefix_roundtrip),
		cmocka_unit_test(prefix_refused),
		cmocka_unit_test(containment),
		cmocka_unit_test(route_dst),
		cmocka_unit_test(kinds),
		cmocka_unit_test(slots),
		cmocka_unit_test(host_checks),
		cmocka_unit_test(macs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
