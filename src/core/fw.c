// SPDX-License-Identifier: GPL-2.0-or-later
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw.h"
#include "owner.h"
#include "quote.h"
#include "strbuf.h"

static uint64_t fnv1a64(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ull;
	}
	return h;
}

void fw_comment(const char *topo, const char *hash, char *buf, size_t len)
{
	snprintf(buf, len, "nsnet:%s:%s", topo, hash);
}

static const char *nft_family(int family)
{
	return family == AF_INET6 ? "ip6" : "ip";
}

static const char *addr_type(int family)
{
	return family == AF_INET6 ? "ipv6_addr" : "ipv4_addr";
}

static bool has_forwards(const struct topology *t, int family, bool host_bound)
{
	/* A CNI network's attachments add and remove elements: its maps always exist. */
	if (t->cni)
		return true;
	for (size_t i = 0; i < t->n_forwards; i++)
		if (topology_forward_to(&t->forwards[i], family) &&
		    t->forwards[i].has_host_addr == host_bound)
			return true;
	return false;
}

/* Subnets of the bridges (only the nat ones if nat_only), as set elements. */
static bool put_subnets(struct strbuf *b, const struct topology *t, int family, bool nat_only)
{
	bool any = false;

	for (size_t i = 0; i < t->n_bridges; i++) {
		const struct topology_bridge *br = &t->bridges[i];

		if (nat_only && !br->nat)
			continue;
		for (size_t k = 0; k < br->n_addrs; k++) {
			struct inet_prefix n;
			char buf[PREFIX_STR_MAX];

			if (br->addrs[k].prefix.addr.family != family)
				continue;
			n = inet_prefix_network(&br->addrs[k].prefix);
			inet_prefix_format(&n, buf, sizeof(buf));
			strbuf_printf(b, "%s%s", any ? ", " : "", buf);
			any = true;
		}
	}
	return any;
}

static void put_set(struct strbuf *b, const struct topology *t, const char *name, int family,
		    bool nat_only)
{
	struct strbuf el = {0};
	char *s;

	if (!put_subnets(&el, t, family, nat_only)) {
		strbuf_clear(&el);
		if (t->cni)
			strbuf_printf(b, "\tset %s {\n\t\ttype %s\n\t\tflags interval\n\t}\n", name,
				      addr_type(family));
		return;
	}
	s = strbuf_take(&el);
	strbuf_printf(b, "\tset %s {\n\t\ttype %s\n\t\tflags interval\n\t\telements = { %s }\n\t}\n",
		      name, addr_type(family), s ? s : "");
	if (!s)
		b->oom = true;
	free(s);
}

static void put_map(struct strbuf *b, const struct topology *t, int family, bool host_bound)
{
	const char *type = addr_type(family);
	struct strbuf el = {0};
	char *s;

	if (!has_forwards(t, family, host_bound))
		return;
	for (size_t i = 0; i < t->n_forwards; i++) {
		const struct topology_forward *f = &t->forwards[i];
		const struct inet_addr *target = topology_forward_to(f, family);
		char to[INET_STR_MAX], host[INET_STR_MAX];

		/* "NS:PORT" of a dual-stack namespace: an element in each family's map. */
		if (!target || f->has_host_addr != host_bound)
			continue;
		inet_addr_format(target, to, sizeof(to));
		if (host_bound)
			inet_addr_format(&f->host_addr, host, sizeof(host));
		for (unsigned p = f->port_lo; p <= f->port_hi; p++) {
			unsigned tp = f->to_port_lo + (p - f->port_lo);

			strbuf_printf(&el, "%s%s%s%s . %u : %s . %u", el.len ? ",\n\t\t\t" : "",
				      host_bound ? host : "", host_bound ? " . " : "",
				      f->proto == TOPOLOGY_PROTO_UDP ? "udp" : "tcp", p, to, tp);
		}
	}
	if (el.oom)
		b->oom = true;
	s = strbuf_take(&el);
	strbuf_printf(b, "\tmap fwd%s%s {\n\t\ttype %s%sinet_proto . inet_service : %s . "
			 "inet_service\n",
		      family == AF_INET6 ? "6" : "4", host_bound ? "h" : "",
		      host_bound ? type : "", host_bound ? " . " : "", type);
	/* A CNI network's map may be empty: nft takes no "elements = { }". */
	if (s && s[0])
		strbuf_printf(b, "\t\telements = { %s }\n", s);
	strbuf_printf(b, "\t}\n");
	free(s);
}

/*
 * The lookups of one hook. In output, ::1 is left alone: IPv6 routes no
 * loopback source out of a bridge (there is no route_localnet for it), so a
 * DNATed [::1] connection could only be lost.
 */
static void put_dnat_rules(struct strbuf *b, const struct topology *t, bool output)
{
	static const int families[] = {AF_INET, AF_INET6};

	for (size_t i = 0; i < 2; i++) {
		int fam = families[i];
		const char *v = fam == AF_INET6 ? "6" : "4";
		const char *not_lo = output && fam == AF_INET6 ? "ip6 daddr != ::1 " : "";

		if (has_forwards(t, fam, true))
			strbuf_printf(b,
				      "\t\tmeta nfproto %s %sfib daddr type local dnat %s to %s "
				      "daddr . meta l4proto . th dport map @fwd%sh\n",
				      fam == AF_INET6 ? "ipv6" : "ipv4", not_lo, nft_family(fam),
				      nft_family(fam), v);
		if (has_forwards(t, fam, false))
			strbuf_printf(b,
				      "\t\tmeta nfproto %s %sfib daddr type local dnat %s to meta "
				      "l4proto . th dport map @fwd%s\n",
				      fam == AF_INET6 ? "ipv6" : "ipv4", not_lo, nft_family(fam), v);
	}
}

bool fw_bridge_localnet(const struct topology *t, const struct topology_bridge *b)
{
	for (size_t i = 0; i < t->n_forwards; i++) {
		const struct inet_addr *to = topology_forward_to(&t->forwards[i], AF_INET);

		for (size_t k = 0; to && k < b->n_addrs; k++)
			if (inet_prefix_contains(&b->addrs[k].prefix, to))
				return true;
	}
	return false;
}

static bool any_localnet(const struct topology *t)
{
	for (size_t i = 0; i < t->n_bridges; i++)
		if (fw_bridge_localnet(t, &t->bridges[i]))
			return true;
	return false;
}

static bool has_subnets(const struct topology *t, int family, bool nat_only)
{
	struct strbuf tmp = {0};
	bool any = put_subnets(&tmp, t, family, nat_only);

	strbuf_clear(&tmp);
	return any;
}

static int put_bridges(struct strbuf *b, const struct topology *t, struct error *err)
{
	strbuf_printf(b, "\tset bridges {\n\t\ttype ifname\n\t\telements = { ");
	for (size_t i = 0; i < t->n_bridges; i++) {
		char q[IFNAME_MAX * 4 + 3];
		int r = quote_nft(t->bridges[i].name, QUOTE_NFT_STRING, q, sizeof(q), "bridge", err);

		if (r < 0)
			return r;
		strbuf_printf(b, "%s%s", i ? ", " : "", q);
	}
	strbuf_printf(b, " }\n\t}\n");
	return 0;
}

static void put_prerouting(struct strbuf *b, const struct topology *t)
{
	strbuf_printf(b, "\tchain prerouting {\n\t\ttype nat hook prerouting priority dstnat; "
			 "policy accept;\n");
	/* Another topology's namespaces: their own port, not our forward (see fw.h). */
	strbuf_printf(b, "\t\tmeta iifgroup 0x%08x %sreturn\n", OWNER_GROUP,
		      t->n_bridges ? "iifname != @bridges " : "");
	put_dnat_rules(b, t, false);
	strbuf_printf(b, "\t}\n\tchain output {\n\t\ttype nat hook output priority -100; "
			 "policy accept;\n");
	put_dnat_rules(b, t, true);
	strbuf_printf(b, "\t}\n");
}

static int put_body(struct strbuf *b, const struct topology *t, struct error *err)
{
	static const int families[] = {AF_INET, AF_INET6};
	int r;

	if (t->n_bridges) {
		r = put_bridges(b, t, err);
		if (r < 0)
			return r;
	}
	put_set(b, t, "subnets4", AF_INET, false);
	put_set(b, t, "subnets6", AF_INET6, false);
	put_set(b, t, "nat4", AF_INET, true);
	put_set(b, t, "nat6", AF_INET6, true);
	for (size_t i = 0; i < 2; i++) {
		put_map(b, t, families[i], true);
		put_map(b, t, families[i], false);
	}
	/*
	 * Before conntrack and NAT: the replies of a localhost forward arrive
	 * addressed to the bridge and become 127.0.0.1 only in dstnat.
	 */
	if (t->n_bridges)
		strbuf_printf(b, "\tchain guard {\n\t\ttype filter hook prerouting priority raw; "
				 "policy accept;\n\t\tiifname @bridges ip daddr 127.0.0.0/8 "
				 "drop\n\t}\n");
	r = fw_vxlan_put(b, t, err);
	if (r < 0)
		return r;
	if (t->n_forwards || t->cni)
		put_prerouting(b, t);
	strbuf_printf(b, "\tchain postrouting {\n\t\ttype nat hook postrouting priority srcnat; "
			 "policy accept;\n");
	if ((t->n_forwards && any_localnet(t)) || t->cni)
		strbuf_printf(b, "\t\toifname @bridges ip saddr 127.0.0.0/8 masquerade\n");
	for (size_t i = 0; i < 2; i++) {
		const char *v = families[i] == AF_INET6 ? "6" : "4";
		const char *fam = nft_family(families[i]);

		if ((t->n_forwards && has_subnets(t, families[i], false)) || t->cni)
			strbuf_printf(b,
				      "\t\tct status dnat %s saddr @subnets%s %s daddr @subnets%s "
				      "masquerade\n",
				      fam, v, fam, v);
		if ((t->n_bridges && has_subnets(t, families[i], true)) || t->cni)
			strbuf_printf(b, "\t\toifname != @bridges %s saddr @nat%s masquerade\n", fam,
				      v);
	}
	strbuf_printf(b, "\t}\n");
	if (t->n_bridges)
		strbuf_printf(b,
			      "\tchain forward {\n\t\ttype filter hook forward priority filter; "
			      "policy accept;\n\t\toifname @bridges meta iifgroup 0x%08x iifname != "
			      "@bridges drop\n\t}\n",
			      OWNER_GROUP);
	return 0;
}

/* "table inet nsnet-TOPO {}\ndelete table inet nsnet-TOPO\n": replaces whatever exists. */
static int put_table_reset(struct strbuf *b, const char *topo, char *table, size_t len,
			   struct error *err)
{
	char name[OWNER_ALIAS_MAX + 8];
	int r;

	owner_table(topo, name, sizeof(name));
	r = quote_nft(name, QUOTE_NFT_IDENT, table, len, "nft table", err);
	if (r < 0)
		return r;
	strbuf_printf(b, "table " OWNER_TABLE_FAMILY " %s {}\ndelete table " OWNER_TABLE_FAMILY
			 " %s\n",
		      table, table);
	return 0;
}

int fw_script_build(const struct topology *t, char **ret, char hash[FW_HASH_LEN + 1],
		    struct error *err)
{
	struct strbuf body = {0}, out = {0};
	char table[OWNER_ALIAS_MAX + 8], comment[OWNER_ALIAS_MAX + FW_HASH_LEN + 8];
	char qcomment[sizeof(comment) + 2];
	char *s;
	int r;

	*ret = NULL;
	hash[0] = '\0';
	if (!t->n_bridges && !t->n_forwards)
		return 0;
	r = put_body(&body, t, err);
	if (r < 0) {
		strbuf_clear(&body);
		return r;
	}
	s = strbuf_take(&body);
	if (!s)
		return error_set(err, -ENOMEM, "out of memory");
	snprintf(hash, FW_HASH_LEN + 1, "%016llx", (unsigned long long)fnv1a64(s));
	fw_comment(t->name, hash, comment, sizeof(comment));
	/* Create-if-missing, delete, define: one transaction replaces the table. */
	r = put_table_reset(&out, t->name, table, sizeof(table), err);
	if (r >= 0)
		r = quote_nft(comment, QUOTE_NFT_STRING, qcomment, sizeof(qcomment),
			      "table comment", err);
	if (r < 0) {
		free(s);
		strbuf_clear(&out);
		hash[0] = '\0';
		return r;
	}
	strbuf_printf(&out, "table " OWNER_TABLE_FAMILY " %s {\n\tcomment %s\n%s}\n", table,
		      qcomment, s);
	free(s);
	*ret = strbuf_take(&out);
	if (!*ret)
		return error_set(err, -ENOMEM, "out of memory");
	return 0;
}

int fw_script_delete(const char *topo, const char *then, char **ret, struct error *err)
{
	struct strbuf out = {0};
	char table[OWNER_ALIAS_MAX + 8];
	int r;

	*ret = NULL;
	r = put_table_reset(&out, topo, table, sizeof(table), err);
	if (r < 0) {
		strbuf_clear(&out);
		return r;
	}
	if (then)
		strbuf_printf(&out, "%s", then);
	*ret = strbuf_take(&out);
	return *ret ? 0 : error_set(err, -ENOMEM, "out of memory");
}

bool fw_port_span(const struct topology *t, enum topology_proto proto, uint16_t *lo,
		  uint16_t *hi)
{
	bool any = false;

	for (size_t i = 0; i < t->n_forwards; i++) {
		const struct topology_forward *f = &t->forwards[i];

		if (f->proto != proto)
			continue;
		if (!any || f->port_lo < *lo)
			*lo = f->port_lo;
		if (!any || f->port_hi > *hi)
			*hi = f->port_hi;
		any = true;
	}
	return any;
}

/* The listener's address as a forward sees it: a v4-mapped IPv6 address is IPv4. */
static struct inet_addr listener_addr(const struct fw_listener *l)
{
	static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	struct inet_addr a = l->addr;

	if (a.family == AF_INET6 && memcmp(a.bytes, mapped, sizeof(mapped)) == 0) {
		memmove(a.bytes, a.bytes + 12, 4);
		memset(a.bytes + 4, 0, 12);
		a.family = AF_INET;
	}
	return a;
}

static bool addr_is_any(const struct inet_addr *a)
{
	static const uint8_t zero[16];

	return !memcmp(a->bytes, zero, inet_family_len(a->family));
}

static bool addr_is_v6_loopback(const struct inet_addr *a)
{
	static const uint8_t lo[16] = {[15] = 1};

	return a->family == AF_INET6 && !memcmp(a->bytes, lo, sizeof(lo));
}

/* Whether forward f takes what listener l (address a, as seen by a forward) receives. */
static bool forward_shadows(const struct topology_forward *f, const struct fw_listener *l,
			    const struct inet_addr *a)
{
	bool any = addr_is_any(a);

	if ((f->proto == TOPOLOGY_PROTO_UDP) != (l->proto == TOPOLOGY_PROTO_UDP) ||
	    l->port < f->port_lo || l->port > f->port_hi)
		return false;
	/* An IPv6 wildcard socket without V6ONLY receives IPv4 as well. */
	if (!topology_forward_to(f, a->family) &&
	    !(any && a->family == AF_INET6 && !l->v6only && topology_forward_to(f, AF_INET)))
		return false;
	if (f->has_host_addr)
		return any || inet_addr_equal(a, &f->host_addr);
	return !addr_is_v6_loopback(a); /* ::1 is never DNATed */
}

/* "192.168.15.2:80" or "[fd00::2]:80". */
static void addr_port(const struct inet_addr *a, unsigned port, char *buf, size_t len)
{
	char s[INET_STR_MAX];

	inet_addr_format(a, s, sizeof(s));
	if (a->family == AF_INET6)
		snprintf(buf, len, "[%s]:%u", s, port);
	else
		snprintf(buf, len, "%s:%u", s, port);
}

bool fw_listener_shadowed(const struct topology *t, const struct fw_listener *l, char *buf,
			  size_t len)
{
	struct inet_addr a = listener_addr(l);
	const char *proto = l->proto == TOPOLOGY_PROTO_UDP ? "udp" : "tcp";
	const char *what = l->proto == TOPOLOGY_PROTO_UDP ? "datagrams" : "connections";
	char at[INET_STR_MAX + 8], to[INET_STR_MAX + 8], host[INET_STR_MAX + 8];
	char where[INET_STR_MAX + 64];

	for (size_t i = 0; i < t->n_forwards; i++) {
		const struct topology_forward *f = &t->forwards[i];
		const struct inet_addr *target;

		if (!forward_shadows(f, l, &a))
			continue;
		/* Of a dual-stack target, the one of the listener's family. */
		target = topology_forward_to(f, a.family);
		addr_port(&l->addr, l->port, at, sizeof(at));
		addr_port(target ? target : &f->to, f->to_port_lo + (l->port - f->port_lo), to,
			  sizeof(to));
		if (f->has_host_addr) {
			addr_port(&f->host_addr, l->port, host, sizeof(host));
			snprintf(where, sizeof(where), "%s", host);
		} else {
			snprintf(where, sizeof(where), "port %u of every host address%s", l->port,
				 topology_forward_to(f, AF_INET) ? " (127.0.0.1 too)" : "");
		}
		snprintf(buf, len,
			 "%s port %u is forwarded to %s, but a socket on the host listens on %s: "
			 "%s to %s now reach the forward, not that socket",
			 proto, l->port, to, at, what, where);
		return true;
	}
	return false;
}

void fw_element_text(const char *host, const char *proto, unsigned port, const char *to,
		     unsigned to_port, char *buf, size_t len)
{
	bool six = strchr(to, ':') != NULL;
	bool host6 = host && strchr(host, ':') != NULL;

	snprintf(buf, len, "%s%s%s%s%s %u -> %s%s%s:%u", host && host6 ? "[" : "",
		 host ? host : "", host && host6 ? "]" : "", host ? " " : "", proto, port,
		 six ? "[" : "", to, six ? "]" : "", to_port);
}

void fw_forward_elements(const struct topology *t, void (*fn)(const char *elem, void *data),
			 void *data)
{
	for (size_t i = 0; i < t->n_forwards; i++) {
		const struct topology_forward *f = &t->forwards[i];
		char to[INET_STR_MAX], host[INET_STR_MAX], e[FW_ELEMENT_MAX];

		inet_addr_format(&f->to, to, sizeof(to));
		if (f->has_host_addr)
			inet_addr_format(&f->host_addr, host, sizeof(host));
		for (unsigned p = f->port_lo; p <= f->port_hi; p++) {
			fw_element_text(f->has_host_addr ? host : NULL,
					f->proto == TOPOLOGY_PROTO_UDP ? "udp" : "tcp", p, to,
					f->to_port_lo + (p - f->port_lo), e, sizeof(e));
			fn(e, data);
		}
	}
}
