// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nsnet_cni: one CNI call, parsed by the core (core/cni.h), run by the
 * engine (sys/engine-cni.h), answered in the version asked.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/cni.h"
#include "lib.h"
#include "sys/engine-cni.h"

struct run_adapter {
	nsnet_cni_run_fn run;
	void *data;
};

/* The engine's delegate, over the front end's callback (the layouts of the errors are one). */
static int run_delegate(const char *type, const char *command, const char *conf, size_t len,
			char **out, size_t *out_len, struct error *err, void *data)
{
	const struct run_adapter *ad = data;
	struct nsnet_error ne = {0};
	int r = ad->run(type, command, conf, len, out, out_len, &ne, ad->data);

	if (r < 0 && err) {
		err->code = ne.code ? ne.code : r;
		err->kind = ERROR_OP;
		memcpy(err->msg, ne.msg, sizeof(err->msg));
	}
	return r;
}

static int dispatch(struct nsnet_ctx *c, const struct engine_cni_call *call, char **out,
		    struct cni_error *ce)
{
	const struct cni_request *rq = call->rq;
	struct engine_cni_result res = {0};
	int r;

	switch (rq->cmd) {
	case CNI_CMD_VERSION:
		*out = cni_version_json(rq);
		return *out ? 0 : cni_fail(ce, CNI_ERR_IO, "out of memory");
	case CNI_CMD_ADD:
		r = engine_cni_add(&c->e, call, &res, ce);
		if (r >= 0)
			r = cni_result_json(rq, &res.a, res.bridge_mac, res.dns, out, ce);
		engine_cni_result_clear(&res);
		return r;
	case CNI_CMD_DEL:
		return engine_cni_del(&c->e, call, ce);
	case CNI_CMD_CHECK:
		return engine_cni_check(&c->e, call, ce);
	case CNI_CMD_GC:
		return engine_cni_gc(&c->e, call, ce);
	case CNI_CMD_STATUS:
		return engine_cni_status(&c->e, call, ce);
	}
	return cni_fail(ce, CNI_ERR_ENV, "unknown command");
}

int nsnet_cni(struct nsnet_ctx *c, char *const *envp, const char *conf, size_t len,
	      nsnet_cni_run_fn run, void *data, char **ret_out)
{
	struct run_adapter ad = {run, data};
	struct engine_cni_delegate d = {run_delegate, &ad};
	struct engine_cni_call call = {.conf = conf, .len = len, .delegate = run ? &d : NULL};
	struct cni_request rq;
	struct cni_env env;
	struct cni_error ce = {0};
	char *out = NULL;
	int r;

	cni_env_from(envp, &env);
	r = cni_request_parse(&env, conf, len, &rq, &ce);
	call.rq = &rq;
	if (r >= 0)
		r = dispatch(c, &call, &out, &ce);
	if (r < 0) {
		free(out);
		out = cni_error_json(&rq, &ce);
	}
	cni_request_clear(&rq);
	*ret_out = out;
	return r < 0 ? 1 : 0;
}
