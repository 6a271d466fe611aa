// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The lists of a topology file as tables (topology-loader.h): port forwards
 * ("port", "to", "protocol", "host-address") and the probes of "checks:",
 * with the loaders only they need.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "topology-loader.h"

int load_word(struct loader *l, const struct ynode *n, const char *key, const char *expected,
	      const char *const *words, size_t *ret)
{
	int r = load_scalar(l, n, key, expected);

	if (r < 0)
		return r;
	for (size_t i = 0; words[i]; i++) {
		if (strcmp(n->str, words[i]) == 0) {
			*ret = i;
			return 0;
		}
	}
	return load_fail(l, n, key, "expected %s", expected);
}

static int load_proto(struct loader *l, const struct ynode *n, const char *key, void *dst,
		      const void *arg)
{
	static const char *const words[] = {
		[TOPOLOGY_PROTO_TCP] = "tcp",
		[TOPOLOGY_PROTO_UDP] = "udp",
		NULL,
	};
	enum topology_proto *ret = dst;
	size_t i = 0;
	int r = load_word(l, n, key, "tcp or udp", words, &i);

	if (r < 0)
		return r;
	*ret = (enum topology_proto)i;
	return 0;
}

/* The host port or range. */
static int load_forward_port(struct loader *l, const struct ynode *n, const char *key, void *dst,
			     const void *arg)
{
	struct topology_forward *f = dst;
	int r = load_scalar(l, n, key, "a port");

	if (r < 0)
		return r;
	return load_ports(l, n, key, n->str, &f->port_lo, &f->port_hi);
}

/* "ADDR:PORT[-PORT]", "[ADDR6]:PORT[-PORT]" or "NS:PORT[-PORT]". */
static int load_target(struct loader *l, const struct ynode *n, const char *key,
		       struct topology_forward *f)
{
	const char *s = n->str, *host = s, *colon;
	char h[INET_STR_MAX + 8], esc[96];
	size_t hlen;
	struct error e = {0};
	int r;

	name_escape(s, esc, sizeof(esc));
	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (!close || close[1] != ':')
			return load_fail(l, n, key, "'%s' is not [ADDRESS]:PORT", esc);
		host = s + 1;
		hlen = (size_t)(close - host);
		colon = close + 1;
	} else {
		colon = strrchr(s, ':');
		if (!colon)
			return load_fail(l, n, key, "'%s' is not ADDRESS:PORT or NAMESPACE:PORT",
					 esc);
		hlen = (size_t)(colon - s);
	}
	if (hlen == 0 || hlen >= sizeof(h))
		return load_fail(l, n, key, "'%s' is not ADDRESS:PORT or NAMESPACE:PORT", esc);
	memcpy(h, host, hlen);
	h[hlen] = '\0';
	r = load_ports(l, n, key, colon + 1, &f->to_port_lo, &f->to_port_hi);
	if (r < 0)
		return r;
	if (inet_addr_parse(h, &f->to, NULL) == 0)
		return 0;
	if (s[0] == '[' || strchr(h, ':')) {
		name_escape(h, esc, sizeof(esc));
		return load_fail(l, n, key, "'%s' is not an IPv4 or IPv6 address", esc);
	}
	if (name_netns_check(h, &e) < 0)
		return load_fail_from(l, n, key, &e);
	strcpy(f->to_ns, h); /* checked: at most NETNS_NAME_MAX bytes */
	return 0;
}

/* The target, and its port range against the host's (port comes first). */
static int load_forward_to(struct loader *l, const struct ynode *n, const char *key, void *dst,
			   const void *arg)
{
	struct topology_forward *f = dst;
	unsigned span, to_span;
	int r = load_scalar(l, n, key, "ADDRESS:PORT or NAMESPACE:PORT");

	if (r < 0)
		return r;
	r = load_target(l, n, key, f);
	if (r < 0)
		return r;
	span = (unsigned)(f->port_hi - f->port_lo);
	to_span = (unsigned)(f->to_port_hi - f->to_port_lo);
	/* One target port stands for the start of a range as large as the host's. */
	if (to_span == 0 && span > 0) {
		if (f->to_port_lo + span > 65535)
			return load_fail(l, n, key, "target range would end past port 65535");
		f->to_port_hi = (uint16_t)(f->to_port_lo + span);
	} else if (to_span != span) {
		return load_fail(l, n, key, "range sizes differ (%u host ports, %u target ports)",
				 span + 1, to_span + 1);
	}
	return 0;
}

#define FORWARD(m) offsetof(struct topology_forward, m)
#define FORWARD_AT(m) LOAD_AT(struct topology_forward, m)

/* Loaded in this order: the target's range is checked against the host's. */
static const struct field forward_fields[] = {
	{"protocol", load_proto, FORWARD(proto)},
	{"port", load_forward_port, 0, .pos = FORWARD_AT(port_pos), .required = true},
	{"to", load_forward_to, 0, .pos = FORWARD_AT(to_pos), .required = true},
	{"host-address", load_addr, FORWARD(host_addr), .pos = FORWARD_AT(host_addr_pos),
	 .given = FORWARD_AT(has_host_addr)},
};

const struct shape load_forward_shape = {
	.what = "a forward",
	.noun = "forward",
	.under = "into a forward ('- {port: ...}')",
	.fields = forward_fields,
	.n_fields = ARRAY_SIZE(forward_fields),
	.parent = &load_top_shape,
};

static int load_expect(struct loader *l, const struct ynode *n, const char *key, void *dst,
		       const void *arg)
{
	static const char *const words[] = {"reach", "blocked", NULL};
	bool *blocked = dst;
	size_t i = 0;
	int r = load_word(l, n, key, "reach or blocked", words, &i);

	if (r < 0)
		return r;
	*blocked = i == 1;
	return 0;
}

#define PROBE(m) offsetof(struct topology_probe, m)

/* One entry of "checks:": {from: NS, to: ADDRESS, port: N, expect: reach|blocked}. */
static const struct field probe_fields[] = {
	{"from", load_nsname, PROBE(from), .pos = LOAD_AT(struct topology_probe, from_pos),
	 .required = true},
	{"to", load_addr, PROBE(to), .required = true},
	{"port", load_port, PROBE(port)}, /* one: probes connect to one */
	{"expect", load_expect, PROBE(blocked)},
};

const struct shape load_probe_shape = {
	.what = "a check",
	.noun = "check",
	.under = "into a check ('- {from: ...}')",
	.fields = probe_fields,
	.n_fields = ARRAY_SIZE(probe_fields),
	.parent = &load_top_shape,
};
