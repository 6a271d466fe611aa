// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Embedding libnsnet: bring a network up from a string, prove it with real
 * traffic, print the probes as JSON, take it down. Run it as root, in a
 * sandbox of its own (nsnet_sandbox_enter) unless told otherwise.
 *
 *   cc embed.c $(pkg-config --cflags --libs nsnet) -o embed && sudo ./embed
 */
#include <nsnet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char topology[] =
	"name: embedded\n"
	"bridges:\n"
	"  br-emb: {address: 10.77.0.1/24}\n"
	"namespaces:\n"
	"  alpha:\n"
	"    interfaces:\n"
	"      eth0: {bridge: br-emb, address: 10.77.0.2/24}\n"
	"  beta:\n"
	"    interfaces:\n"
	"      eth0: {bridge: br-emb, address: 10.77.0.3/24}\n";

static int fail(const char *what, const struct nsnet_error *err)
{
	fprintf(stderr, "embed: %s: %s\n", what, err->msg);
	return 1;
}

int main(int argc, char **argv)
{
	struct nsnet_topology *t = NULL;
	struct nsnet_result *res = NULL;
	struct nsnet_check *k = NULL;
	struct nsnet_ctx *c = NULL;
	struct nsnet_error err = {0};
	char *json = NULL;
	int status = 1;

	/* "--here": the caller already made a sandbox (a test does). */
	if (!(argc > 1 && strcmp(argv[1], "--here") == 0) && nsnet_sandbox_enter(&err) < 0)
		return fail("sandbox", &err);
	if (nsnet_ctx_new(&c, &err) < 0)
		return fail("context", &err);
	if (nsnet_topology_load_buffer("embedded.yaml", topology, strlen(topology), &t, &err) < 0) {
		fail("load", &err);
		goto out;
	}
	if (nsnet_up(c, t, 0, &res, &err) < 0) {
		fail("up", &err);
		goto out;
	}
	printf("up: %zu changes\n", nsnet_result_count(res));
	nsnet_result_free(res);
	res = NULL;
	if (nsnet_check(c, t, 0, 0, &k, &err) < 0 || nsnet_check_json(k, &json, &err) < 0) {
		fail("check", &err);
	} else {
		printf("%s\n", json);
		status = nsnet_check_failed(k) ? 1 : 0;
	}
	free(json);
	nsnet_check_free(k);
	if (nsnet_down(c, nsnet_topology_name(t), 0, &res, &err) < 0) {
		fail("down", &err);
		status = 1;
	} else {
		printf("down: %zu changes\n", nsnet_result_count(res));
	}
out:
	nsnet_result_free(res);
	nsnet_topology_free(t);
	nsnet_ctx_free(c);
	return status;
}
