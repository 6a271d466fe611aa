// SPDX-License-Identifier: GPL-2.0-or-later
/* Message building: layout of the veth request, and the bounds checks. */
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "sys/nl.h"

static void puts_and_nests(void **state)
{
	struct nl_msg m;
	struct ifinfomsg *ifi;
	struct nlattr *nest, *attr;
	int seen = 0;

	(void)state;
	ifi = nl_msg_init(&m, RTM_NEWLINK, NLM_F_CREATE, sizeof(*ifi));
	assert_non_null(ifi);
	nl_msg_put_str(&m, IFLA_IFNAME, "veth-red");
	nest = nl_msg_nest_start(&m, IFLA_LINKINFO);
	nl_msg_put_str(&m, IFLA_INFO_KIND, "veth");
	nl_msg_nest_end(&m, nest);
	assert_false(m.overflow);
	assert_int_equal(m.nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_CREATE);
	mnl_attr_for_each(attr, m.nlh, sizeof(*ifi)) {
		if (mnl_attr_get_type(attr) == IFLA_IFNAME) {
			assert_string_equal(mnl_attr_get_str(attr), "veth-red");
			seen++;
		}
		if (mnl_attr_get_type(attr) == IFLA_LINKINFO) {
			struct nlattr *in = mnl_attr_get_payload(attr);

			assert_int_equal(mnl_attr_get_type(in), IFLA_INFO_KIND);
			assert_string_equal(mnl_attr_get_str(in), "veth");
			seen++;
		}
	}
	assert_int_equal(seen, 2);
}

static void overflow_is_sticky(void **state)
{
	struct nl_msg m;
	struct nlattr *nest;
	char big[200];
	uint32_t len_before;

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_non_null(nl_msg_init_sized(&m, 128, RTM_NEWLINK, 0, sizeof(struct ifinfomsg)));
	nl_msg_put_u32(&m, IFLA_MTU, 1500);
	assert_false(m.overflow);
	nest = nl_msg_nest_start(&m, IFLA_LINKINFO);
	assert_non_null(nest);
	len_before = m.nlh->nlmsg_len;
	nl_msg_put_str(&m, IFLA_INFO_KIND, big);
	assert_true(m.overflow);
	assert_int_equal(m.nlh->nlmsg_len, len_before); /* nothing written past the end */
	nl_msg_put_u32(&m, IFLA_MTU, 1); /* would fit, but the message is already lost */
	assert_int_equal(m.nlh->nlmsg_len, len_before);
	nl_msg_nest_end(&m, nest); /* cancels the open nest */
	assert_true(m.nlh->nlmsg_len < len_before);
	assert_true(m.nlh->nlmsg_len <= 128);
}

static void header_too_large(void **state)
{
	struct nl_msg m;

	(void)state;
	assert_null(nl_msg_init_sized(&m, 16, RTM_NEWLINK, 0, sizeof(struct ifinfomsg)));
	assert_true(m.overflow);
	assert_null(nl_msg_nest_start(&m, IFLA_LINKINFO));
}

static void type_names(void **state)
{
	(void)state;
	assert_string_equal(nl_msg_type_name(RTM_NEWLINK), "RTM_NEWLINK");
	assert_string_equal(nl_msg_type_name(RTM_DELROUTE), "RTM_DELROUTE");
	assert_string_equal(nl_msg_type_name(9999), "netlink request");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(puts_and_nests),
		cmocka_unit_test(overflow_is_sticky),
		cmocka_unit_test(header_too_large),
		cmocka_unit_test(type_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
