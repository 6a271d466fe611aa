// SPDX-License-Identifier: GPL-2.0-or-later
#include <arpa/inet.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "core/netstate.h"

static void grow_and_lookup(void **state)
{
	struct netstate *st = netstate_new();

	(void)state;
	assert_non_null(st);
	/* Past several doublings, in reverse order so sorting has work to do. */
	for (int i = 1000; i > 0; i--) {
		struct ns_link *l = netstate_add_link(st);

		assert_non_null(l);
		assert_int_equal(l->ifindex, 0); /* zeroed */
		l->ifindex = i;
		snprintf(l->name, sizeof(l->name), "if%d", i);
	}
	assert_int_equal(st->n_links, 1000);
	netstate_sort(st);
	for (size_t i = 0; i < st->n_links; i++)
		assert_int_equal(st->links[i].ifindex, (int)i + 1);
	assert_string_equal(netstate_link_by_index(st, 77)->name, "if77");
	assert_int_equal(netstate_link_by_name(st, "if500")->ifindex, 500);
	assert_null(netstate_link_by_name(st, "nope"));
	netstate_free(st);
	netstate_free(NULL);
}

static void names(void **state)
{
	char buf[16];

	(void)state;
	assert_string_equal(netstate_scope_name(RT_SCOPE_LINK, buf, sizeof(buf)), "link");
	assert_string_equal(netstate_scope_name(77, buf, sizeof(buf)), "77");
	assert_string_equal(netstate_protocol_name(RTPROT_KERNEL, buf, sizeof(buf)), "kernel");
	assert_string_equal(netstate_neigh_state_name(NUD_REACHABLE, buf, sizeof(buf)),
			    "REACHABLE");
	assert_string_equal(netstate_operstate_name(6), "UP");
	assert_string_equal(netstate_operstate_name(200), "UNKNOWN");
	assert_string_equal(netstate_family_name(AF_INET6), "inet6");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(grow_and_lookup),
		cmocka_unit_test(names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
