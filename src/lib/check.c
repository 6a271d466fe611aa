// SPDX-License-Identifier: GPL-2.0-or-later
/* check: probes as public views and JSON; the TCP "who does the server see" probe. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/inet.h"
#include "lib.h"
#include "sys/probe.h"
#include "sys/state.h"

struct probe_text {
	char address[INET_STR_MAX];
	char listen_address[INET_STR_MAX];
	char line[512];
};

struct nsnet_check {
	char topology[NETNS_NAME_MAX + 1]; /* "" without a topology */
	struct check_list l;
	double secs;
	bool ran;
	struct nsnet_probe *views; /* rebuilt when the list changes */
	struct probe_text *text;
	size_t n_views;
};

static void views_clear(struct nsnet_check *k)
{
	free(k->views);
	free(k->text);
	k->views = NULL;
	k->text = NULL;
	k->n_views = 0;
}

static int views_build(struct nsnet_check *k)
{
	if (k->views && k->n_views == k->l.n)
		return 0;
	views_clear(k);
	k->views = calloc(k->l.n + 1, sizeof(*k->views));
	k->text = calloc(k->l.n + 1, sizeof(*k->text));
	if (!k->views || !k->text) {
		views_clear(k);
		return -ENOMEM;
	}
	for (size_t i = 0; i < k->l.n; i++) {
		const struct check_probe *p = &k->l.v[i];
		struct probe_text *tx = &k->text[i];

		if (p->kind != CHECK_FORWARDING) /* a setting: no address */
			inet_addr_format(&p->to, tx->address, sizeof(tx->address));
		if (p->kind == CHECK_FORWARD)
			inet_addr_format(&p->listen_addr, tx->listen_address,
					 sizeof(tx->listen_address));
		check_probe_describe(p, tx->line, sizeof(tx->line));
		k->views[i] = (struct nsnet_probe){
			.kind = check_kind_name(p->kind),
			.from = p->from[0] ? p->from : NULL,
			.target = p->target,
			.address = tx->address,
			.port = p->port,
			.protocol = check_proto_name(p->proto),
			.expect_blocked = p->expect_blocked,
			.result = p->result == CHECK_PENDING ? "pending" : check_result_name(p->result),
			.ok = check_probe_ok(p),
			.ms = p->ms,
			.note = p->note,
			.listen_ns = p->kind == CHECK_FORWARD ? p->listen_ns : NULL,
			.listen_address = p->kind == CHECK_FORWARD ? tx->listen_address : NULL,
			.listen_port = p->listen_port,
			.self_listened = p->self_listened,
			.line = tx->line,
		};
	}
	k->n_views = k->l.n;
	return 0;
}

int nsnet_check_new(struct nsnet_ctx *c, const struct nsnet_topology *t, unsigned flags,
		    struct nsnet_check **ret, struct nsnet_error *err)
{
	struct nsnet_check *k = calloc(1, sizeof(*k));
	struct error e = {0};

	if (!k)
		return lib_oom(err);
	/* A file's topology is checked once it is up; a buffer's belongs to its caller. */
	if (t && t->file && !t->t->cni && !state_exists(c->e.state_dir, t->t->name)) {
		free(k);
		error_set(&e, -ENOENT, "topology '%s' is not up; run 'nsnet up FILE' first",
			  t->t->name);
		return lib_error(err, &e);
	}
	if (t)
		snprintf(k->topology, sizeof(k->topology), "%s", t->t->name);
	if (engine_check_build(&c->e, t ? t->t : NULL,
			       flags & NSNET_CHECK_ALONE ? ENGINE_CHECK_ALONE : 0, &k->l, &e) < 0) {
		free(k);
		return lib_error(err, &e);
	}
	*ret = k;
	return 0;
}

int nsnet_check_add(struct nsnet_check *k, const char *from, const char *target,
		    const char *address, unsigned port, struct nsnet_error *err)
{
	struct check_probe *p;
	struct inet_addr a;
	struct error e = {0};

	if (inet_addr_parse(address, &a, &e) < 0 || port > 65535 ||
	    (from && name_netns_check(from, &e) < 0)) {
		if (!e.msg[0])
			error_input(&e, -EINVAL, "port %u: out of range", port);
		e.kind = ERROR_INPUT;
		return lib_error(err, &e);
	}
	p = check_list_add(&k->l, from ? from : "", target ? target : address, &a, &e);
	if (!p)
		return lib_error(err, &e);
	if (port) {
		p->port = (uint16_t)port;
		p->proto = CHECK_TCP;
	}
	return 0;
}

int nsnet_check_run(struct nsnet_ctx *c, struct nsnet_check *k, unsigned timeout_ms,
		    struct nsnet_error *err)
{
	struct error e = {0};

	if (engine_check_run(&c->e, &k->l, timeout_ms ? timeout_ms : CHECK_TIMEOUT_MS, &k->secs,
			     &e) < 0)
		return lib_error(err, &e);
	k->ran = true;
	views_clear(k);
	return 0;
}

int nsnet_check(struct nsnet_ctx *c, const struct nsnet_topology *t, unsigned flags,
		unsigned timeout_ms, struct nsnet_check **ret, struct nsnet_error *err)
{
	struct nsnet_check *k = NULL;
	struct timespec a, b;
	int r;

	clock_gettime(CLOCK_MONOTONIC, &a);
	r = nsnet_check_new(c, t, flags, &k, err);
	if (r >= 0)
		r = nsnet_check_run(c, k, timeout_ms, err);
	if (r < 0) {
		nsnet_check_free(k);
		return r;
	}
	/* The whole check, deriving the probes and reading the others' files included. */
	clock_gettime(CLOCK_MONOTONIC, &b);
	k->secs = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	*ret = k;
	return 0;
}

void nsnet_check_free(struct nsnet_check *k)
{
	if (!k)
		return;
	check_list_clear(&k->l);
	views_clear(k);
	free(k);
}

size_t nsnet_check_count(const struct nsnet_check *k)
{
	return k->l.n;
}

const struct nsnet_probe *nsnet_check_probe(const struct nsnet_check *k, size_t i)
{
	struct nsnet_check *m = (struct nsnet_check *)k; /* the views are a cache */

	if (i >= k->l.n || views_build(m) < 0)
		return NULL;
	return &k->views[i];
}

size_t nsnet_check_failed(const struct nsnet_check *k)
{
	size_t n = 0;

	for (size_t i = 0; i < k->l.n; i++)
		n += !check_probe_ok(&k->l.v[i]);
	return n;
}

double nsnet_check_seconds(const struct nsnet_check *k)
{
	return k->secs;
}

bool nsnet_check_sampled(const struct nsnet_check *k)
{
	return k->l.sampled;
}

size_t nsnet_check_waves(const struct nsnet_check *k)
{
	return k->l.waves;
}

static json_t *probe_json(const struct nsnet_probe *p)
{
	json_t *j = json_pack("{s:s, s:o, s:o, s:s, s:o, s:s, s:s, s:s, s:b, s:f}", "kind",
			      p->kind, "from", json_text(p->from),
			      "target", json_text(p->target), "address", p->address, "port",
			      p->port ? json_integer(p->port) : json_null(), "protocol",
			      p->protocol, "expect", p->expect_blocked ? "blocked" : "reach",
			      "result", p->result, "ok", p->ok, "ms", p->ms);

	if (j && p->note[0])
		json_object_set_new(j, "note", json_text(p->note));
	if (j && p->listen_ns)
		json_object_set_new(j, "listen",
				    json_pack("{s:s, s:s, s:i, s:b}", "namespace", p->listen_ns,
					      "address", p->listen_address, "port",
					      (int)p->listen_port, "by_nsnet", p->self_listened));
	return j;
}

int nsnet_check_json(const struct nsnet_check *k, char **ret, struct nsnet_error *err)
{
	size_t failed = 0, skipped = 0;
	json_t *arr = json_array(), *o;

	for (size_t i = 0; i < k->l.n; i++) {
		const struct nsnet_probe *p = nsnet_check_probe(k, i);

		if (!p) {
			json_decref(arr);
			return lib_oom(err);
		}
		failed += !p->ok;
		skipped += k->l.v[i].result == CHECK_SKIPPED;
		json_array_append_new(arr, probe_json(p));
	}
	o = json_pack("{s:s, s:b, s:I, s:I, s:I, s:f, s:b, s:o, s:I}", "topology", k->topology, "ok",
		      failed == 0, "passed", (json_int_t)(k->l.n - failed - skipped), "failed",
		      (json_int_t)failed, "skipped", (json_int_t)skipped, "seconds", k->secs,
		      "sampled", k->l.sampled, "probes", arr, "waves", (json_int_t)k->l.waves);
	return lib_json_text(o, ret, err);
}

int nsnet_tcp_seen(struct nsnet_ctx *c, const char *from, const char *address, unsigned port,
		   const char *listen_ns, const char *listen_address, unsigned listen_port,
		   unsigned timeout_ms, char *seen, size_t len, struct nsnet_error *err)
{
	struct inet_addr ta, la;
	struct error e = {0};

	(void)c;
	if (inet_addr_parse(address, &ta, &e) < 0 || inet_addr_parse(listen_address, &la, &e) < 0 ||
	    !port || port > 65535 || !listen_port || listen_port > 65535) {
		if (!e.msg[0])
			error_set(&e, -EINVAL, "port out of range");
		e.kind = ERROR_INPUT;
		return lib_error(err, &e);
	}
	if (probe_tcp_seen(from ? from : "", &ta, (uint16_t)port, listen_ns ? listen_ns : "", &la,
			   (uint16_t)listen_port, timeout_ms ? timeout_ms : CHECK_TIMEOUT_MS, seen,
			   len, &e) < 0)
		return lib_error(err, &e);
	return 0;
}
