// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The value loaders of the field tables (topology-loader.h): the scalars
 * found everywhere in a topology file (booleans, MTUs, names, addresses, MACs,
 * ports). Each refuses what does not parse, with the value's position; what a
 * value means next to the others is topology-check*.c's business.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "topology-loader.h"

int load_scalar(struct loader *l, const struct ynode *n, const char *key, const char *what)
{
	if (n->type == YNODE_SCALAR && !ynode_is_null(n))
		return 0;
	return load_fail(l, n, key, "expected %s, got %s", what, ynode_type_name(n));
}

int load_bool(struct loader *l, const struct ynode *n, const char *key, void *dst, const void *arg)
{
	bool *ret = dst;
	int r = load_scalar(l, n, key, "true or false");

	if (r < 0)
		return r;
	if (n->plain && strcmp(n->str, "true") == 0)
		*ret = true;
	else if (n->plain && strcmp(n->str, "false") == 0)
		*ret = false;
	else
		return load_fail(l, n, key, "expected true or false");
	return 0;
}

bool load_parse_uint(const char *s, size_t n, uint64_t *ret)
{
	uint64_t v = 0;

	if (n == 0 || n > 10)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*ret = v;
	return true;
}

int load_uint(struct loader *l, const struct ynode *n, const char *key, uint64_t *ret)
{
	int r = load_scalar(l, n, key, "an integer");

	if (r < 0)
		return r;
	if (!n->plain || !load_parse_uint(n->str, strlen(n->str), ret))
		return load_fail(l, n, key, "expected an integer");
	return 0;
}

int load_mtu(struct loader *l, const struct ynode *n, const char *key, void *dst, const void *arg)
{
	uint32_t *ret = dst;
	uint64_t v;
	int r = load_uint(l, n, key, &v);

	if (r < 0)
		return r;
	if (v < TOPOLOGY_MTU_MIN || v > TOPOLOGY_MTU_MAX)
		return load_fail(l, n, key, "MTU %llu out of range (%d to %d)",
				 (unsigned long long)v, TOPOLOGY_MTU_MIN, TOPOLOGY_MTU_MAX);
	*ret = (uint32_t)v;
	return 0;
}

/*
 * A name through the check of its kind (name.h), which also caps its length
 * to what the destination holds. Names are mapping keys as often as values:
 * only a value can be null.
 */
static int load_name(struct loader *l, const struct ynode *n, const char *key, char *out,
		     int (*check)(const char *, struct error *))
{
	struct error e = {0};
	int r = load_scalar(l, n, key, "a name");

	if (r < 0)
		return r;
	if (check(n->str, &e) < 0)
		return load_fail_from(l, n, key, &e);
	strcpy(out, n->str); /* checked: no longer than the kind's cap */
	return 0;
}

int load_ifname(struct loader *l, const struct ynode *n, const char *key, void *dst,
		const void *arg)
{
	return load_name(l, n, key, dst, name_link_check);
}

int load_nsname(struct loader *l, const struct ynode *n, const char *key, void *dst,
		const void *arg)
{
	return load_name(l, n, key, dst, name_netns_check);
}

int load_topname(struct loader *l, const struct ynode *n, const char *key, void *dst,
		 const void *arg)
{
	return load_name(l, n, key, dst, name_topology_check);
}

int load_addr(struct loader *l, const struct ynode *n, const char *key, void *dst, const void *arg)
{
	struct error e = {0};
	int r = load_scalar(l, n, key, "an address");

	if (r < 0)
		return r;
	if (inet_addr_parse(n->str, dst, &e) < 0)
		return load_fail_from(l, n, key, &e);
	return 0;
}

int load_mac(struct loader *l, const struct ynode *n, const char *key, void *dst, const void *arg)
{
	struct error e = {0};
	int r = load_scalar(l, n, key, "a MAC address");

	if (r < 0)
		return r;
	if (mac_parse(n->str, dst, &e) < 0)
		return load_fail_from(l, n, key, &e);
	return 0;
}

/* One "ADDRESS/LEN". */
static int load_cidr(struct loader *l, const struct ynode *n, const char *key,
		     struct topology_addr *ret)
{
	struct error e = {0};
	char esc[96];
	int r = load_scalar(l, n, key, "an address");

	if (r < 0)
		return r;
	if (!strchr(n->str, '/')) {
		name_escape(n->str, esc, sizeof(esc));
		return load_fail(l, n, key, "'%s' lacks a prefix length (as in 192.168.15.1/24)",
				 esc);
	}
	if (inet_prefix_parse(n->str, &ret->prefix, &e) < 0)
		return load_fail_from(l, n, key, &e);
	ret->pos = n->pos;
	return 0;
}

int load_address(struct loader *l, const struct ynode *n, const char *key, void *dst,
		 const void *arg)
{
	const struct addrs_at *at = arg;
	struct topology_addr *addrs = (struct topology_addr *)((char *)dst + at->v);
	int r = load_cidr(l, n, key, &addrs[0]);

	if (r < 0)
		return r;
	*(size_t *)((char *)dst + at->n) = 1;
	return 0;
}

int load_addresses(struct loader *l, const struct ynode *n, const char *key, void *dst,
		   const void *arg)
{
	const struct addrs_at *at = arg;
	struct topology_addr *addrs = (struct topology_addr *)((char *)dst + at->v);
	char k[TOPOLOGY_KEY_MAX];
	int r;

	*(bool *)((char *)dst + at->listed) = true;
	if (n->type != YNODE_SEQ)
		return load_fail(l, n, key, "expected a sequence, got %s", ynode_type_name(n));
	if (n->n_kids > TOPOLOGY_ADDRS_MAX)
		return load_fail(l, n->kids[TOPOLOGY_ADDRS_MAX], key,
				 "too many addresses (at most %d)", TOPOLOGY_ADDRS_MAX);
	for (size_t i = 0; i < n->n_kids; i++) {
		load_key_index(k, key, i);
		r = load_cidr(l, n->kids[i], k, &addrs[i]);
		if (r < 0)
			return r;
	}
	*(size_t *)((char *)dst + at->n) = n->n_kids;
	return 0;
}

int load_port(struct loader *l, const struct ynode *n, const char *key, void *dst, const void *arg)
{
	uint16_t *port = dst, hi;
	int r = load_scalar(l, n, key, "a port");

	if (r < 0)
		return r;
	r = load_ports(l, n, key, n->str, port, &hi);
	if (r < 0)
		return r;
	if (hi != *port)
		return load_fail(l, n, key, "one port, not a range");
	return 0;
}

int load_ports(struct loader *l, const struct ynode *n, const char *key, const char *s,
	       uint16_t *lo, uint16_t *hi)
{
	const char *dash = strchr(s, '-');
	size_t len = dash ? (size_t)(dash - s) : strlen(s);
	uint64_t a, b;
	char esc[96];

	if (!load_parse_uint(s, len, &a) ||
	    (dash && !load_parse_uint(dash + 1, strlen(dash + 1), &b))) {
		name_escape(s, esc, sizeof(esc));
		return load_fail(l, n, key, "'%s' is not a port or a port range (as in 8000-8010)",
				 esc);
	}
	if (!dash)
		b = a;
	if (a < 1 || a > 65535 || b < 1 || b > 65535)
		return load_fail(l, n, key, "port out of range (1 to 65535)");
	if (a > b)
		return load_fail(l, n, key, "range start %llu is above its end %llu",
				 (unsigned long long)a, (unsigned long long)b);
	*lo = (uint16_t)a;
	*hi = (uint16_t)b;
	return 0;
}
