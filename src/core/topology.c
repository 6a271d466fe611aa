// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * topology_parse(): the caps checked on the raw bytes before libfyaml sees
 * them, then the passes: YAML into a position-keeping tree (topology-tree.c),
 * the tree into the model (topology-load*.c), the model checked as a whole
 * (topology-check*.c). Also the model's lookups and topology_free().
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "topology-check.h"
#include "topology-loader.h"

int topology_error(struct error *err, const char *file, struct topology_pos pos, const char *key,
		   const char *fmt, ...)
{
	char reason[ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	if (key && *key)
		return error_input(err, -EINVAL, "%s:%u:%u: %s: %s", file, pos.line, pos.col, key,
				   reason);
	return error_input(err, -EINVAL, "%s:%u:%u: %s", file, pos.line, pos.col, reason);
}

/*
 * Refuses what must never reach libfyaml: more than we cap, NUL bytes (the
 * scanner stops there, so what follows would be silently ignored) and
 * directive lines (Debian's 0.7.12 can loop forever on some of them).
 */
static int raw_check(const char *file, const char *buf, size_t len, struct error *err)
{
	struct topology_pos pos = {1, 1};
	bool line_start = true;

	if (len > TOPOLOGY_FILE_MAX)
		return topology_error(err, file, pos, NULL,
				      "file too large (%zu bytes, at most %d)", len,
				      TOPOLOGY_FILE_MAX);
	for (size_t i = 0; i < len; i++) {
		char c = buf[i];
		const unsigned char *u = (const unsigned char *)buf + i;

		if (c == '\0')
			return topology_error(err, file, pos, NULL, "binary data (NUL byte)");
		if (c == '%' && line_start)
			return topology_error(err, file, pos, NULL,
					      "YAML directives ('%%') are not supported");
		/*
		 * Every break libfyaml may honour starts a line: LF, CR, and in
		 * YAML 1.1 NEL, LS and PS; a byte-order mark keeps the line start.
		 * (A '%' after a lone CR made libfyaml hang; found by fuzzing.)
		 */
		if (c == '\n' || c == '\r') {
			line_start = true;
		} else if (i + 1 < len && u[0] == 0xc2 && u[1] == 0x85) {
			line_start = true;
			i += 1;
		} else if (i + 2 < len && u[0] == 0xe2 && u[1] == 0x80 &&
			   (u[2] == 0xa8 || u[2] == 0xa9)) {
			line_start = true;
			i += 2;
		} else if (i + 2 < len && u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf) {
			i += 2;
		} else {
			line_start = false;
		}
		if (c == '\n') {
			pos.line++;
			pos.col = 1;
		} else {
			pos.col++;
		}
	}
	return 0;
}

int topology_parse(const char *file, const char *buf, size_t len, struct topology **ret,
		   struct error *err)
{
	_cleanup_(ynode_freep) struct ynode *root = NULL;
	_cleanup_(topology_freep) struct topology *t = NULL;
	int r;

	r = raw_check(file, buf, len, err);
	if (r < 0)
		return r;
	r = ynode_tree_read(file, buf, len, &root, err);
	if (r < 0)
		return r;
	/* A file of only comments or blank lines holds no document at all. */
	if (!root || (root->type == YNODE_SCALAR && root->plain && !root->str[0]))
		return topology_error(err, file, (struct topology_pos){1, 1}, NULL,
				      "empty topology");
	t = calloc(1, sizeof(*t));
	if (!t || !(t->file = strdup(file)))
		return error_set(err, -ENOMEM, "out of memory");
	r = topology_load(file, root, t, err);
	if (r < 0)
		return r;
	if (topology_index(t) < 0)
		return error_set(err, -ENOMEM, "out of memory");
	r = topology_check(file, t, err);
	if (r < 0)
		return r;
	*ret = TAKE_PTR(t);
	return 0;
}

void topology_free(struct topology *t)
{
	if (!t)
		return;
	free(t->file);
	for (size_t i = 0; i < t->n_namespaces; i++) {
		free(t->namespaces[i].ifaces);
		free(t->namespaces[i].routes);
		free(t->namespaces[i].path);
	}
	free(t->namespaces);
	for (size_t i = 0; t->bridges && i < t->n_bridges; i++)
		free(t->bridges[i].vxlan);
	free(t->bridges);
	free(t->forwards);
	free(t->checks);
	free(t->ns_by_name);
	free(t);
}

static const struct topology *sort_ctx; /* qsort has no context argument */

static int cmp_ns_index(const void *x, const void *y)
{
	return strcmp(sort_ctx->namespaces[*(const size_t *)x].name,
		      sort_ctx->namespaces[*(const size_t *)y].name);
}

int topology_index(struct topology *t)
{
	free(t->ns_by_name);
	t->ns_by_name = malloc((t->n_namespaces ? t->n_namespaces : 1) * sizeof(size_t));
	if (!t->ns_by_name)
		return -ENOMEM;
	for (size_t i = 0; i < t->n_namespaces; i++)
		t->ns_by_name[i] = i;
	sort_ctx = t;
	qsort(t->ns_by_name, t->n_namespaces, sizeof(size_t), cmp_ns_index);
	sort_ctx = NULL;
	return 0;
}

struct topology_ns *topology_ns_find(const struct topology *t, const char *name)
{
	size_t lo = 0, hi = t->n_namespaces;

	if (!t->ns_by_name) {
		for (size_t i = 0; i < t->n_namespaces; i++)
			if (strcmp(t->namespaces[i].name, name) == 0)
				return &t->namespaces[i];
		return NULL;
	}
	/* Planning 1000 namespaces asks this for each of them, several times. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		struct topology_ns *ns = &t->namespaces[t->ns_by_name[mid]];
		int d = strcmp(ns->name, name);

		if (d == 0)
			return ns;
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

struct topology_bridge *topology_bridge_find(const struct topology *t, const char *name)
{
	for (size_t i = 0; i < t->n_bridges; i++)
		if (strcmp(t->bridges[i].name, name) == 0)
			return &t->bridges[i];
	return NULL;
}

bool topology_has_ovs(const struct topology *t)
{
	for (size_t i = 0; t && i < t->n_bridges; i++)
		if (t->bridges[i].type == TOPOLOGY_BRIDGE_OVS)
			return true;
	return false;
}

const struct topology_ns *topology_ns_with_addr(const struct topology *t, const struct inet_addr *a)
{
	for (size_t s = 0; s < t->n_namespaces; s++)
		for (size_t i = 0; i < t->namespaces[s].n_ifaces; i++)
			for (size_t k = 0; k < t->namespaces[s].ifaces[i].n_addrs; k++)
				if (inet_addr_equal(&t->namespaces[s].ifaces[i].addrs[k].prefix.addr,
						    a))
					return &t->namespaces[s];
	return NULL;
}

bool topology_link_pos(const struct topology *t, const char *ns, const char *name,
		       struct topology_pos *ret)
{
	for (size_t i = 0; !ns[0] && i < t->n_bridges; i++)
		if (strcmp(t->bridges[i].name, name) == 0) {
			*ret = t->bridges[i].pos;
			return true;
		}
	for (size_t s = 0; s < t->n_namespaces; s++) {
		const struct topology_ns *n = &t->namespaces[s];

		for (size_t i = 0; i < n->n_ifaces; i++) {
			const struct topology_iface *f = &n->ifaces[i];

			if (ns[0] && strcmp(n->name, ns) == 0 && strcmp(f->name, name) == 0) {
				*ret = f->pos;
				return true;
			}
			if (!ns[0] && f->link == TOPOLOGY_LINK_BRIDGE &&
			    strcmp(f->host_end, name) == 0) {
				*ret = f->host_end_pos;
				return true;
			}
			if (ns[0] && f->link == TOPOLOGY_LINK_PEER && strcmp(f->peer_ns, ns) == 0 &&
			    strcmp(f->peer_iface, name) == 0) {
				*ret = f->link_pos;
				return true;
			}
		}
	}
	return false;
}

const struct inet_addr *topology_forward_to(const struct topology_forward *f, int family)
{
	if (f->to.family == family)
		return &f->to;
	return f->to6.family == family ? &f->to6 : NULL;
}
