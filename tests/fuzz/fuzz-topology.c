// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: the topology loader and validator, and, for every file
 * they accept, the planner and the firewall script against an empty world
 * (what the first `up` of that file would do). Pure code: no kernel.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/fw.h"
#include "core/plan.h"
#include "core/topology.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct topology *t = NULL;
	struct plan *p = NULL;
	struct error err = {0};
	struct world w = {.ip_forward = 0};
	char hash[FW_HASH_LEN + 1];
	char *script = NULL;

	if (topology_parse("fuzz.yaml", (const char *)data, size, &t, &err) < 0) {
		/* Every refusal must say where and why. */
		if (!err.msg[0] || err.kind != ERROR_INPUT)
			abort();
		return 0;
	}
	w.host = netstate_new();
	if (w.host && plan_build(t->name, t, &w, &p, &err) == 0) {
		char line[512];

		for (size_t i = 0; i < p->n; i++)
			action_describe(&p->v[i], line, sizeof(line));
		plan_free(p);
	}
	if (fw_script_build(t, &script, hash, &err) == 0)
		free(script);
	netstate_free(w.host);
	topology_free(t);
	return 0;
}
