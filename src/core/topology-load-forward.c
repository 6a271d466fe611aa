// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The lists of a topology file: port forwards ("port", "to", "protocol",
 * "host-address") and the probes of "checks:".
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "topology-loader.h"

/* "80" or "8000-8010", each end 1 to 65535. */
static int parse_ports(struct loader *l, const struct topology_ynode *n, const char *key,
		       uint16_t *lo, uint16_t *hi)
{
	const char *dash = strchr(n->str, '-');
	size_t len = dash ? (size_t)(dash - n->str) : strlen(n->str);
	uint64_t a, b;

	if (n->type != TOPOLOGY_Y_SCALAR || !tl_parse_uint(n->str, len, &a) ||
	    (dash && !tl_parse_uint(dash + 1, strlen(dash + 1), &b)))
		return tl_fail(l, n, key, "'%s' is not a port or a port range (as in 8000-8010)",
			       n->type == TOPOLOGY_Y_SCALAR ? n->str : "");
	if (!dash)
		b = a;
	if (a < 1 || a > 65535 || b < 1 || b > 65535)
		return tl_fail(l, n, key, "port out of range (1 to 65535)");
	if (a > b)
		return tl_fail(l, n, key, "range start %llu is above its end %llu",
			       (unsigned long long)a, (unsigned long long)b);
	*lo = (uint16_t)a;
	*hi = (uint16_t)b;
	return 0;
}

/* "ADDR:PORT[-PORT]", "[ADDR6]:PORT[-PORT]" or "NS:PORT[-PORT]". */
static int load_target(struct loader *l, const struct topology_ynode *n, const char *key,
		       struct topology_forward *f)
{
	const char *s = n->str, *host = s, *colon;
	char h[INET_STR_MAX + 8];
	size_t hlen;
	struct topology_ynode port = *n;
	int r;

	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (!close || close[1] != ':')
			return tl_fail(l, n, key, "'%s' is not [ADDRESS]:PORT", s);
		host = s + 1;
		hlen = (size_t)(close - host);
		colon = close + 1;
	} else {
		colon = strrchr(s, ':');
		if (!colon)
			return tl_fail(l, n, key, "'%s' is not ADDRESS:PORT or NAMESPACE:PORT", s);
		hlen = (size_t)(colon - s);
	}
	if (hlen == 0 || hlen >= sizeof(h))
		return tl_fail(l, n, key, "'%s' is not ADDRESS:PORT or NAMESPACE:PORT", s);
	memcpy(h, host, hlen);
	h[hlen] = '\0';
	port.str = (char *)colon + 1;
	port.plain = true;
	r = parse_ports(l, &port, key, &f->to_port_lo, &f->to_port_hi);
	if (r < 0)
		return r;
	if (inet_addr_parse(h, &f->to, NULL) < 0) {
		if (s[0] == '[' || strchr(h, ':'))
			return tl_fail(l, n, key, "'%s' is not an IPv4 or IPv6 address", h);
		r = tl_load_nsname(l, n, h, key, f->to_ns);
		if (r < 0)
			return r;
	}
	return 0;
}

int tl_load_forward(struct loader *l, const struct topology_ynode *v, const char *key,
		    struct topology_forward *f)
{
	static const char *const keys[] = {"port", "to", "protocol", "host-address", NULL};
	const struct topology_ynode *port, *to, *proto, *ha;
	struct error e = {0};
	char k[KEY_MAX];
	unsigned span, to_span;
	int r;

	f->pos = v->pos;
	r = tl_expect(l, v, key, TOPOLOGY_Y_MAP);
	if (r < 0)
		return r;
	r = tl_check_keys(l, v, key, keys);
	if (r < 0)
		return r;
	port = tl_map_get(v, "port");
	to = tl_map_get(v, "to");
	proto = tl_map_get(v, "protocol");
	ha = tl_map_get(v, "host-address");
	if (!port || !to)
		return tl_fail(l, v, key, "needs 'port' and 'to'");
	if (proto) {
		tl_key_join(k, key, "protocol");
		if (proto->type == TOPOLOGY_Y_SCALAR && strcmp(proto->str, "tcp") == 0)
			f->proto = TOPOLOGY_PROTO_TCP;
		else if (proto->type == TOPOLOGY_Y_SCALAR && strcmp(proto->str, "udp") == 0)
			f->proto = TOPOLOGY_PROTO_UDP;
		else
			return tl_fail(l, proto, k, "expected tcp or udp");
	}
	tl_key_join(k, key, "port");
	r = parse_ports(l, port, k, &f->port_lo, &f->port_hi);
	if (r < 0)
		return r;
	f->port_pos = port->pos;
	tl_key_join(k, key, "to");
	r = tl_expect(l, to, k, TOPOLOGY_Y_SCALAR);
	if (r < 0)
		return r;
	r = load_target(l, to, k, f);
	if (r < 0)
		return r;
	f->to_pos = to->pos;
	span = (unsigned)(f->port_hi - f->port_lo);
	to_span = (unsigned)(f->to_port_hi - f->to_port_lo);
	/* One target port stands for the start of a range as large as the host's. */
	if (to_span == 0 && span > 0) {
		if (f->to_port_lo + span > 65535)
			return tl_fail(l, to, k, "target range would end past port 65535");
		f->to_port_hi = (uint16_t)(f->to_port_lo + span);
	} else if (to_span != span) {
		return tl_fail(l, to, k, "range sizes differ (%u host ports, %u target ports)",
			       span + 1, to_span + 1);
	}
	if (ha) {
		tl_key_join(k, key, "host-address");
		r = tl_expect(l, ha, k, TOPOLOGY_Y_SCALAR);
		if (r < 0)
			return r;
		if (inet_addr_parse(ha->str, &f->host_addr, &e) < 0)
			return tl_fail_from(l, ha, k, &e);
		f->has_host_addr = true;
	}
	return 0;
}

/* One entry of "checks:": {from: NS, to: ADDRESS, port: N, expect: reach|blocked}. */
int tl_load_probe(struct loader *l, const struct topology_ynode *v, const char *key,
		  struct topology_probe *p)
{
	static const char *const keys[] = {"from", "to", "port", "expect", NULL};
	const struct topology_ynode *from, *to, *port, *exp;
	struct error e = {0};
	char k[KEY_MAX];
	uint16_t hi;
	int r;

	p->pos = v->pos;
	r = tl_expect(l, v, key, TOPOLOGY_Y_MAP);
	if (r < 0)
		return r;
	r = tl_check_keys(l, v, key, keys);
	if (r < 0)
		return r;
	from = tl_map_get(v, "from");
	to = tl_map_get(v, "to");
	port = tl_map_get(v, "port");
	exp = tl_map_get(v, "expect");
	if (!from || !to)
		return tl_fail(l, v, key, "needs 'from' and 'to'");
	tl_key_join(k, key, "from");
	r = tl_expect(l, from, k, TOPOLOGY_Y_SCALAR);
	if (r < 0)
		return r;
	r = tl_load_nsname(l, from, from->str, k, p->from);
	if (r < 0)
		return r;
	p->from_pos = from->pos;
	tl_key_join(k, key, "to");
	r = tl_expect(l, to, k, TOPOLOGY_Y_SCALAR);
	if (r < 0)
		return r;
	if (inet_addr_parse(to->str, &p->to, &e) < 0)
		return tl_fail_from(l, to, k, &e);
	if (port) {
		tl_key_join(k, key, "port");
		r = parse_ports(l, port, k, &p->port, &hi);
		if (r < 0)
			return r;
		if (hi != p->port)
			return tl_fail(l, port, k, "one port, not a range");
	}
	if (exp) {
		tl_key_join(k, key, "expect");
		if (exp->type == TOPOLOGY_Y_SCALAR && strcmp(exp->str, "blocked") == 0)
			p->blocked = true;
		else if (!(exp->type == TOPOLOGY_Y_SCALAR && strcmp(exp->str, "reach") == 0))
			return tl_fail(l, exp, k, "expected reach or blocked");
	}
	return 0;
}
