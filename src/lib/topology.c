// SPDX-License-Identifier: GPL-2.0-or-later
/* Topologies: loading (a file, a buffer, a record), what they name, their graph. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/graph.h"
#include "lib.h"
#include "sys/topofile.h"

static int wrap(struct topology *t, const char *file, struct nsnet_topology **ret,
		struct nsnet_error *err)
{
	struct nsnet_topology *nt = calloc(1, sizeof(*nt));

	if (!nt || (file && !(nt->file = strdup(file)))) {
		free(nt);
		topology_free(t);
		return lib_oom(err);
	}
	nt->t = t;
	*ret = nt;
	return 0;
}

int nsnet_topology_load_file(const char *path, struct nsnet_topology **ret,
			     struct nsnet_error *err)
{
	struct topology *t = NULL;
	struct error e = {0};
	char abs[PATH_MAX];

	if (topofile_load(path, &t, &e) < 0)
		return lib_error(err, &e);
	return wrap(t, realpath(path, abs) ? abs : path, ret, err);
}

int nsnet_topology_load_buffer(const char *label, const char *buf, size_t len,
			       struct nsnet_topology **ret, struct nsnet_error *err)
{
	struct topology *t = NULL;
	struct error e = {0};

	if (topology_parse(label ? label : "buffer", buf, len, &t, &e) < 0)
		return lib_error(err, &e);
	return wrap(t, NULL, ret, err);
}

int nsnet_topology_load_recorded(struct nsnet_ctx *c, const char *name,
				 struct nsnet_topology **ret, struct nsnet_error *err)
{
	struct topology *t = NULL;
	struct error e = {0};
	char file[PATH_MAX];
	int r;

	r = engine_recorded(&c->e, name, &t, file, sizeof(file), &e);
	if (r == -ENOENT && !e.msg[0])
		error_set(&e, -ENOENT, "topology '%s' is not up: nothing is recorded for it; "
			  "run 'nsnet up FILE' first", name);
	if (r < 0)
		return lib_error(err, &e);
	return wrap(t, file, ret, err);
}

void nsnet_topology_free(struct nsnet_topology *t)
{
	if (!t)
		return;
	topology_free(t->t);
	free(t->file);
	free(t);
}

const char *nsnet_topology_name(const struct nsnet_topology *t)
{
	return t->t->name;
}

const char *nsnet_topology_file(const struct nsnet_topology *t)
{
	return t->file;
}

size_t nsnet_topology_namespace_count(const struct nsnet_topology *t)
{
	return t->t->n_namespaces;
}

const char *nsnet_topology_namespace(const struct nsnet_topology *t, size_t i)
{
	return i < t->t->n_namespaces ? t->t->namespaces[i].name : NULL;
}

size_t nsnet_topology_bridge_count(const struct nsnet_topology *t)
{
	return t->t->n_bridges;
}

const char *nsnet_topology_bridge(const struct nsnet_topology *t, size_t i)
{
	return i < t->t->n_bridges ? t->t->bridges[i].name : NULL;
}

int nsnet_topology_dot(const struct nsnet_topology *t, char **ret, struct nsnet_error *err)
{
	struct error e = {0};

	if (graph_dot_build(t->t, ret, &e) < 0)
		return lib_error(err, &e);
	return 0;
}

int nsnet_topologies(struct nsnet_ctx *c, char ***ret, size_t *ret_n, struct nsnet_error *err)
{
	struct error e = {0};

	if (engine_topologies(&c->e, ret, ret_n, &e) < 0)
		return lib_error(err, &e);
	return 0;
}

void nsnet_names_free(char **v, size_t n)
{
	engine_names_free(v, n);
}
