// SPDX-License-Identifier: GPL-2.0-or-later
/* The context and what every part of the library shares. */
#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lib.h"

#ifndef NSNET_VERSION
#define NSNET_VERSION "0"
#endif

int lib_error(struct nsnet_error *err, const struct error *e)
{
	_Static_assert(sizeof(err->msg) == sizeof(e->msg), "error buffers differ");
	if (err) {
		err->code = e->code ? e->code : -EIO;
		err->kind = e->kind == ERROR_INPUT ? NSNET_ERROR_INPUT : NSNET_ERROR_OPERATION;
		memcpy(err->msg, e->msg, sizeof(err->msg));
		if (!err->msg[0])
			snprintf(err->msg, sizeof(err->msg), "%s", strerror(-err->code));
	}
	return e->code ? e->code : -EIO;
}

int lib_oom(struct nsnet_error *err)
{
	struct error e = {0};

	error_set(&e, -ENOMEM, "out of memory");
	return lib_error(err, &e);
}

int lib_json_text(json_t *o, char **ret, struct nsnet_error *err)
{
	char *s = o ? json_dumps(o, JSON_INDENT(2)) : NULL;

	json_decref(o);
	if (!s)
		return lib_oom(err);
	*ret = s;
	return 0;
}

static void on_warn(const char *msg, void *data)
{
	struct nsnet_ctx *c = data;

	if (c->warn)
		c->warn(msg, c->data);
}

static void on_planned(size_t n, void *data)
{
	struct nsnet_ctx *c = data;

	if (c->planned)
		c->planned(n, c->data);
}

static void on_progress(const struct action *a, void *data)
{
	struct nsnet_ctx *c = data;
	char line[512];
	struct nsnet_action pa = {action_type_name(a->type), line};

	if (!c->progress)
		return;
	action_describe(a, line, sizeof(line));
	c->progress(&pa, c->data);
}

int nsnet_ctx_new(struct nsnet_ctx **ret, struct nsnet_error *err)
{
	struct nsnet_ctx *c = calloc(1, sizeof(*c));

	if (!c)
		return lib_oom(err);
	engine_init(&c->e);
	c->e.warn = on_warn;
	c->e.planned = on_planned;
	c->e.progress = on_progress;
	c->e.data = c;
	*ret = c;
	return 0;
}

void nsnet_ctx_free(struct nsnet_ctx *c)
{
	if (!c)
		return;
	fault_write_count(&c->e.fault);
	free(c);
}

int nsnet_ctx_set_state_dir(struct nsnet_ctx *c, const char *dir, struct nsnet_error *err)
{
	struct error e = {0};

	if (!dir || dir[0] != '/' || strlen(dir) >= sizeof(c->e.state_dir)) {
		error_input(&e, -EINVAL, "state directory '%s': must be an absolute path",
			    dir ? dir : "");
		return lib_error(err, &e);
	}
	snprintf(c->e.state_dir, sizeof(c->e.state_dir), "%s", dir);
	return 0;
}

int nsnet_ctx_set_fault(struct nsnet_ctx *c, const struct nsnet_fault *f,
			struct nsnet_error *err)
{
	struct fault *d = &c->e.fault;
	struct error e = {0};

	if (f->count_file && strlen(f->count_file) >= sizeof(d->count_file)) {
		error_input(&e, -ENAMETOOLONG, "fault count file: path too long");
		return lib_error(err, &e);
	}
	d->at = f->at;
	d->kill = f->kill;
	d->fail_errno = f->fail_errno;
	snprintf(d->count_file, sizeof(d->count_file), "%s", f->count_file ? f->count_file : "");
	return 0;
}

/* The value of NAME in envp, or NULL. */
static const char *env_get(char *const *envp, const char *name)
{
	size_t n = strlen(name);

	for (; envp && *envp; envp++)
		if (!strncmp(*envp, name, n) && (*envp)[n] == '=')
			return *envp + n + 1;
	return NULL;
}

int nsnet_ctx_set_fault_env(struct nsnet_ctx *c, char *const *envp, struct nsnet_error *err)
{
	const char *at = env_get(envp, "NSNET_FAULT_AT");
	const char *mode = env_get(envp, "NSNET_FAULT_MODE");
	const char *no = env_get(envp, "NSNET_FAULT_ERRNO");
	const char *count = env_get(envp, "NSNET_FAULT_COUNT");
	struct nsnet_fault f = {0};

	if (!at && !count)
		return 0;
	f.at = at && strtol(at, NULL, 10) > 0 ? (unsigned long)strtol(at, NULL, 10) : 0;
	f.kill = mode && !strcmp(mode, "kill");
	f.fail_errno = no && atoi(no) > 0 ? atoi(no) : 0;
	f.count_file = count && count[0] ? count : NULL;
	return nsnet_ctx_set_fault(c, &f, err);
}

void nsnet_ctx_set_callbacks(struct nsnet_ctx *c, nsnet_warn_fn warn, nsnet_planned_fn planned,
			     nsnet_progress_fn progress, void *data)
{
	c->warn = warn;
	c->planned = planned;
	c->progress = progress;
	c->data = data;
}

const char *nsnet_version(void)
{
	return NSNET_VERSION;
}

bool nsnet_privileged(void)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2] = {0};

	if (syscall(SYS_capget, &h, d) < 0)
		return geteuid() == 0;
	return (d[0].effective & (1u << CAP_NET_ADMIN)) && (d[0].effective & (1u << CAP_SYS_ADMIN));
}
