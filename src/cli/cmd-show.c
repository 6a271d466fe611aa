// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nsnet show [NAME] [--json]: what the tutorial reads with `ip link`, `ip addr`,
 * `ip route` and `arp`, in one view. Routes are those of the main table and
 * neighbours exclude NOARP entries, as iproute2 shows them by default. The
 * library gives the JSON (nsnet(8)); the text is rendered from it.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static const char *str_or(json_t *o, const char *key, const char *dflt)
{
	const char *s = str(o, key);

	return s ? s : dflt;
}

static int num(json_t *o, const char *key)
{
	return (int)json_integer_value(json_object_get(o, key));
}

static void print_link(json_t *l)
{
	json_t *peer = json_object_get(l, "peer");

	printf("  %3d: %-15s %-7s %-14s %-17s mtu %-5d", num(l, "ifindex"), str(l, "name"),
	       str_or(l, "kind", "-"), str(l, "state"), str_or(l, "mac", "-"), num(l, "mtu"));
	if (str(l, "master"))
		printf(" master '%s'", str(l, "master"));
	if (json_is_object(peer) && str(peer, "name"))
		printf(" peer '%s'%s%s%s%s", str(peer, "name"),
		       json_is_true(json_object_get(peer, "host")) ? " on the host" : "",
		       str(peer, "namespace") ? " in '" : "", str_or(peer, "namespace", ""),
		       str(peer, "namespace") ? "'" : "");
	else if (json_is_object(peer))
		printf(" peer #%d in netns id %d", num(peer, "ifindex"), num(peer, "netnsid"));
	if (!json_is_true(json_object_get(l, "up")))
		printf(" (admin down)");
	putchar('\n');
}

static void print_state(json_t *o)
{
	const char *name = str(o, "namespace");
	json_t *v;
	size_t i;

	printf("%s%s%s\n", name ? "namespace '" : "host", name ? name : "", name ? "'" : "");
	printf("links:\n");
	json_array_foreach(json_object_get(o, "links"), i, v)
		print_link(v);
	printf("addresses:\n");
	json_array_foreach(json_object_get(o, "addresses"), i, v) {
		char a[64];

		snprintf(a, sizeof(a), "%s/%d", str(v, "address"), num(v, "prefixlen"));
		printf("  %-15s %-43s scope %s\n", str_or(v, "dev", "?"), a, str(v, "scope"));
	}
	printf("routes:\n");
	json_array_foreach(json_object_get(o, "routes"), i, v) {
		printf("  %s", str(v, "dst"));
		if (str(v, "gateway"))
			printf(" via %s", str(v, "gateway"));
		if (json_object_get(v, "dev") && !json_is_null(json_object_get(v, "dev")))
			printf(" dev %s", str_or(v, "dev", "?"));
		printf(" proto %s scope %s", str(v, "protocol"), str(v, "scope"));
		if (str(v, "prefsrc"))
			printf(" src %s", str(v, "prefsrc"));
		if (num(v, "metric"))
			printf(" metric %d", num(v, "metric"));
		putchar('\n');
	}
	printf("neighbours:\n");
	json_array_foreach(json_object_get(o, "neighbours"), i, v)
		printf("  %-39s dev %-15s lladdr %-17s %s\n", str(v, "dst"), str_or(v, "dev", "?"),
		       str_or(v, "lladdr", "-"), str(v, "state"));
}

int cmd_show(const struct command *cmd, int argc, char **argv)
{
	_cleanup_ctx_ struct nsnet_ctx *c = NULL;
	struct nsnet_error err = {0};
	char *text = NULL;
	struct cli_args a;
	json_t *o;
	int r;

	if ((r = cli_parse(cmd, argc, argv, &a)) >= 0)
		return r;
	if (a.n > 1)
		return cli_usage(cmd, "show takes at most one NAME");
	if (cli_ctx(&c, &err) < 0 || nsnet_show_json(c, a.n ? argv[a.first] : NULL, &text, &err) < 0)
		return cli_fail(&err);
	if (cli_flag(cmd, &a, "json"))
		return cli_print_json(text, &err);
	o = json_loads(text, 0, NULL);
	free(text);
	if (!o) {
		fprintf(stderr, "nsnet: show: unreadable result\n");
		return EXIT_FAIL;
	}
	print_state(o);
	json_decref(o);
	return EXIT_OK;
}
