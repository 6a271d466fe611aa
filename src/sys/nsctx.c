// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netns.h"
#include "nsctx.h"

struct nsctx_entry {
	char name[NETNS_NAME_MAX + 1];
	int fd;
	struct nl_sock *s;
};

struct nsctx {
	struct nsctx_entry *v;
	size_t n;
};

int nsctx_new(struct nsctx **ret, struct error *err)
{
	*ret = calloc(1, sizeof(struct nsctx));
	return *ret ? 0 : error_set(err, -ENOMEM, "out of memory");
}

static void entry_close(struct nsctx_entry *e)
{
	nl_sock_free(e->s);
	if (e->fd >= 0)
		close(e->fd);
	e->s = NULL;
	e->fd = -1;
}

void nsctx_free(struct nsctx *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		entry_close(&c->v[i]);
	free(c->v);
	free(c);
}

static int entry_open(struct nsctx_entry *e, struct error *err)
{
	int r;

	if (!e->name[0]) {
		e->fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
		if (e->fd < 0)
			return error_errno(err, -errno, "open /proc/thread-self/ns/net");
		return nl_sock_open(&e->s, err);
	}
	r = netns_open(e->name, &e->fd, err);
	if (r < 0)
		return r;
	return nl_sock_open_ns(e->fd, e->name, &e->s, err);
}

int nsctx_get(struct nsctx *c, const char *ns, struct nl_sock **ret, int *ret_fd,
	      struct error *err)
{
	struct nsctx_entry *e = NULL, *nv;
	int r;

	for (size_t i = 0; i < c->n && !e; i++)
		if (strcmp(c->v[i].name, ns) == 0 && c->v[i].s)
			e = &c->v[i];
	if (!e) {
		nv = realloc(c->v, (c->n + 1) * sizeof(*nv));
		if (!nv)
			return error_set(err, -ENOMEM, "out of memory");
		c->v = nv;
		e = &c->v[c->n];
		memset(e, 0, sizeof(*e));
		e->fd = -1;
		snprintf(e->name, sizeof(e->name), "%s", ns);
		r = entry_open(e, err);
		if (r < 0) {
			entry_close(e);
			return r;
		}
		c->n++;
	}
	*ret = e->s;
	if (ret_fd)
		*ret_fd = e->fd;
	return 0;
}

void nsctx_forget(struct nsctx *c, const char *ns)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i].name, ns) == 0) {
			entry_close(&c->v[i]);
			c->v[i] = c->v[--c->n];
			return;
		}
}
