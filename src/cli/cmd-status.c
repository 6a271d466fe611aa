// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nsnet status [FILE|NAME] [--json]: what each topology owns in the kernel and
 * what `up` would still change (its drift). Without a file the one recorded
 * by the last `up` is used; when none can be read, only ownership is shown.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/owner.h"
#include "sys/engine.h"
#include "sys/nsctx.h"
#include "sys/state.h"
#include "sys/topofile.h"
#include "sys/world.h"

struct status_one {
	char name[NETNS_NAME_MAX + 1];
	char file[4096];
	bool known;  /* a topology file could be read: drift is meaningful */
	char note[ERROR_MSG_MAX + 64];
	struct engine_result res;
};

static json_t *owned_json(const struct status_one *s)
{
	const struct world *w = s->res.world;
	json_t *ns = json_array(), *links = json_array();
	char table[OWNER_ALIAS_MAX + 8];

	for (size_t i = 0; i < w->n_ns; i++) {
		if (!w->ns[i].marked || strcmp(w->ns[i].owner, s->name) != 0)
			continue;
		json_array_append_new(ns, json_string(w->ns[i].name));
		for (size_t k = 0; k < w->ns[i].st->n_links; k++) {
			const struct ns_link *l = &w->ns[i].st->links[k];

			if (owner_alias_is(l->alias, s->name) && strcmp(l->name, "lo") != 0)
				json_array_append_new(links,
						      json_pack("{s:s, s:s, s:s, s:b}", "name",
								l->name, "namespace",
								w->ns[i].name, "kind", l->kind,
								"up", (l->flags & 1) != 0));
		}
	}
	for (size_t k = 0; k < w->host->n_links; k++) {
		const struct ns_link *l = &w->host->links[k];

		if (owner_alias_is(l->alias, s->name))
			json_array_append_new(links, json_pack("{s:s, s:n, s:s, s:b}", "name",
							       l->name, "namespace", "kind",
							       l->kind, "up", (l->flags & 1) != 0));
	}
	owner_table(s->name, table, sizeof(table));
	return json_pack("{s:o, s:o, s:o}", "namespaces", ns, "links", links, "nft_table",
			 w->fw_exists ? json_sprintf(OWNER_TABLE_FAMILY " %s", table)
				      : json_null());
}

static json_t *one_json(const struct status_one *s)
{
	json_t *o = json_pack("{s:s, s:o, s:o, s:o}", "topology", s->name, "file",
			      s->file[0] ? json_string(s->file) : json_null(), "in_sync",
			      s->known ? json_boolean(s->res.plan->n == 0) : json_null(), "owned",
			      owned_json(s));

	json_object_set_new(o, "drift", s->known ? cli_plan_json(s->res.plan) : json_null());
	if (s->note[0])
		json_object_set_new(o, "note", json_string(s->note));
	return o;
}

static void one_print(const struct status_one *s)
{
	json_t *owned = owned_json(s), *v;
	size_t i;

	printf("topology '%s'%s%s%s: %s\n", s->name, s->file[0] ? " (" : "", s->file,
	       s->file[0] ? ")" : "",
	       !s->known ? "file unknown, drift not checked"
	       : s->res.plan->n ? "DRIFT" : "in sync");
	if (s->note[0])
		printf("  note: %s\n", s->note);
	printf("  namespaces:");
	json_array_foreach(json_object_get(owned, "namespaces"), i, v)
		printf(" %s", json_string_value(v));
	printf("\n  links:\n");
	json_array_foreach(json_object_get(owned, "links"), i, v) {
		const char *ns = json_string_value(json_object_get(v, "namespace"));

		printf("    %-15s %-7s %s%s%s\n", json_string_value(json_object_get(v, "name")),
		       json_string_value(json_object_get(v, "kind")), ns ? "in '" : "on the host",
		       ns ? ns : "", ns ? "'" : "");
	}
	v = json_object_get(owned, "nft_table");
	printf("  nftables: %s\n", json_is_string(v) ? json_string_value(v) : "none");
	if (s->known && s->res.plan->n) {
		printf("  'nsnet up' would change:\n");
		cli_print_plan(s->res.plan, "    ");
	}
	json_decref(owned);
}

/* Fills s for topology name, with t when the caller has it, else the recorded file. */
static int one_collect(struct status_one *s, const char *name, struct topology *t,
		       const char *file, struct error *err)
{
	struct topology *loaded = NULL;
	struct error e = {0};
	int r;

	snprintf(s->name, sizeof(s->name), "%s", name);
	if (file)
		snprintf(s->file, sizeof(s->file), "%s", file);
	else if (state_read_file(name, s->file, sizeof(s->file), &e) < 0)
		s->file[0] = '\0';
	if (!t && s->file[0]) {
		if (topofile_load(s->file, &loaded, &e) < 0)
			snprintf(s->note, sizeof(s->note), "recorded file unreadable: %s", e.msg);
		else if (strcmp(loaded->name, name) != 0)
			snprintf(s->note, sizeof(s->note), "recorded file now names topology '%s'",
				 loaded->name);
		else
			t = loaded;
	}
	s->known = t != NULL;
	r = engine_status(name, t, &s->res, err);
	topology_free(loaded);
	return r;
}

int cmd_status(const struct command *cmd, int argc, char **argv)
{
	_cleanup_(topology_freep) struct topology *t = NULL;
	_cleanup_(nsctx_freep) struct nsctx *c = NULL;
	struct status_one *all = NULL;
	struct error err = {0};
	char **names = NULL;
	size_t n = 0;
	bool json = false, drift = false;
	int i, status = EXIT_OK;

	i = cli_parse_simple(cmd, "", argc, argv, &json, NULL, NULL, 0);
	if (i < 0)
		return i == -1 ? EXIT_OK : EXIT_USAGE;
	if (argc - i > 1)
		return cli_usage(cmd, "status takes at most one FILE or NAME");
	if (argc - i == 1) {
		char name[NETNS_NAME_MAX + 1];

		if (cli_topology_name(argv[i], name, sizeof(name), &t, &err) < 0)
			return cli_fail(&err);
		names = calloc(1, sizeof(*names));
		if (!names || !(names[0] = strdup(name)))
			return cli_fail(&(struct error){.code = -ENOMEM, .msg = "out of memory"});
		n = 1;
	} else if (nsctx_new(&c, &err) < 0 || world_topologies(c, &names, &n, &err) < 0) {
		return cli_fail(&err);
	}
	all = calloc(n ? n : 1, sizeof(*all));
	for (size_t k = 0; all && k < n; k++) {
		char abs[4096] = "";

		if (t && !realpath(argv[i], abs))
			snprintf(abs, sizeof(abs), "%s", argv[i]);
		if (one_collect(&all[k], names[k], t, t ? abs : NULL, &err) < 0) {
			status = cli_fail(&err);
			break;
		}
		drift = drift || (all[k].known && all[k].res.plan->n);
	}
	if (status == EXIT_OK && all) {
		if (json) {
			json_t *arr = json_array();

			for (size_t k = 0; k < n; k++)
				json_array_append_new(arr, one_json(&all[k]));
			json_dumpf(argc - i == 1 ? json_array_get(arr, 0) : arr, stdout,
				   JSON_INDENT(2));
			putchar('\n');
			json_decref(arr);
		} else if (!n) {
			printf("no topology is up\n");
		} else {
			for (size_t k = 0; k < n; k++)
				one_print(&all[k]);
		}
		status = drift ? EXIT_FAIL : EXIT_OK;
	}
	for (size_t k = 0; k < n; k++) {
		if (all)
			engine_result_clear(&all[k].res);
		free(names[k]);
	}
	free(names);
	free(all);
	return status;
}
