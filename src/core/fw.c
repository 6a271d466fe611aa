// SPDX-License-Identifier: GPL-2.0-or-later
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw.h"
#include "owner.h"
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
	for (size_t i = 0; i < t->n_forwards; i++)
		if (t->forwards[i].to.family == family && t->forwards[i].has_host_addr == host_bound)
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
	bool first = true;

	if (!has_forwards(t, family, host_bound))
		return;
	strbuf_printf(b, "\tmap fwd%s%s {\n\t\ttype %s%sinet_proto . inet_service : %s . "
			 "inet_service\n\t\telements = { ",
		      family == AF_INET6 ? "6" : "4", host_bound ? "h" : "",
		      host_bound ? type : "", host_bound ? " . " : "", type);
	for (size_t i = 0; i < t->n_forwards; i++) {
		const struct topology_forward *f = &t->forwards[i];
		char to[INET_STR_MAX], host[INET_STR_MAX];

		if (f->to.family != family || f->has_host_addr != host_bound)
			continue;
		inet_addr_format(&f->to, to, sizeof(to));
		if (host_bound)
			inet_addr_format(&f->host_addr, host, sizeof(host));
		for (unsigned p = f->port_lo; p <= f->port_hi; p++) {
			unsigned tp = f->to_port_lo + (p - f->port_lo);

			strbuf_printf(b, "%s%s%s%s . %u : %s . %u", first ? "" : ",\n\t\t\t",
				      host_bound ? host : "", host_bound ? " . " : "",
				      f->proto == TOPOLOGY_PROTO_UDP ? "udp" : "tcp", p, to, tp);
			first = false;
		}
	}
	strbuf_printf(b, " }\n\t}\n");
}

static void put_dnat_rules(struct strbuf *b, const struct topology *t)
{
	static const int families[] = {AF_INET, AF_INET6};

	for (size_t i = 0; i < 2; i++) {
		int fam = families[i];
		const char *v = fam == AF_INET6 ? "6" : "4";

		if (has_forwards(t, fam, true))
			strbuf_printf(b,
				      "\t\tmeta nfproto %s fib daddr type local dnat %s to %s daddr "
				      ". meta l4proto . th dport map @fwd%sh\n",
				      fam == AF_INET6 ? "ipv6" : "ipv4", nft_family(fam),
				      nft_family(fam), v);
		if (has_forwards(t, fam, false))
			strbuf_printf(b,
				      "\t\tmeta nfproto %s fib daddr type local dnat %s to meta l4proto "
				      ". th dport map @fwd%s\n",
				      fam == AF_INET6 ? "ipv6" : "ipv4", nft_family(fam), v);
	}
}

static bool has_subnets(const struct topology *t, int family, bool nat_only)
{
	struct strbuf tmp = {0};
	bool any = put_subnets(&tmp, t, family, nat_only);

	strbuf_clear(&tmp);
	return any;
}

static void put_body(struct strbuf *b, const struct topology *t)
{
	static const int families[] = {AF_INET, AF_INET6};

	if (t->n_bridges) {
		strbuf_printf(b, "\tset bridges {\n\t\ttype ifname\n\t\telements = { ");
		for (size_t i = 0; i < t->n_bridges; i++)
			strbuf_printf(b, "%s\"%s\"", i ? ", " : "", t->bridges[i].name);
		strbuf_printf(b, " }\n\t}\n");
	}
	put_set(b, t, "subnets4", AF_INET, false);
	put_set(b, t, "subnets6", AF_INET6, false);
	put_set(b, t, "nat4", AF_INET, true);
	put_set(b, t, "nat6", AF_INET6, true);
	for (size_t i = 0; i < 2; i++) {
		put_map(b, t, families[i], true);
		put_map(b, t, families[i], false);
	}
	if (t->n_forwards) {
		strbuf_printf(b, "\tchain prerouting {\n\t\ttype nat hook prerouting priority "
				 "dstnat; policy accept;\n");
		put_dnat_rules(b, t);
		strbuf_printf(b, "\t}\n\tchain output {\n\t\ttype nat hook output priority -100; "
				 "policy accept;\n");
		put_dnat_rules(b, t);
		strbuf_printf(b, "\t}\n");
	}
	strbuf_printf(b, "\tchain postrouting {\n\t\ttype nat hook postrouting priority srcnat; "
			 "policy accept;\n");
	for (size_t i = 0; i < 2; i++) {
		const char *v = families[i] == AF_INET6 ? "6" : "4";
		const char *fam = nft_family(families[i]);

		if (t->n_forwards && has_subnets(t, families[i], false))
			strbuf_printf(b,
				      "\t\tct status dnat %s saddr @subnets%s %s daddr @subnets%s "
				      "masquerade\n",
				      fam, v, fam, v);
		if (t->n_bridges && has_subnets(t, families[i], true))
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
}

int fw_script_build(const struct topology *t, char **ret, char hash[FW_HASH_LEN + 1],
		    struct error *err)
{
	struct strbuf body = {0}, out = {0};
	char table[OWNER_ALIAS_MAX + 8], comment[OWNER_ALIAS_MAX + FW_HASH_LEN + 8];
	char *s;

	*ret = NULL;
	hash[0] = '\0';
	if (!t->n_bridges && !t->n_forwards)
		return 0;
	put_body(&body, t);
	s = strbuf_take(&body);
	if (!s)
		return error_set(err, -ENOMEM, "out of memory");
	snprintf(hash, FW_HASH_LEN + 1, "%016llx", (unsigned long long)fnv1a64(s));
	owner_table(t->name, table, sizeof(table));
	fw_comment(t->name, hash, comment, sizeof(comment));
	/* Create-if-missing, delete, define: one transaction replaces the table. */
	strbuf_printf(&out,
		      "table " OWNER_TABLE_FAMILY " %s {}\ndelete table " OWNER_TABLE_FAMILY
		      " %s\ntable " OWNER_TABLE_FAMILY " %s {\n\tcomment \"%s\"\n%s}\n",
		      table, table, table, comment, s);
	free(s);
	*ret = strbuf_take(&out);
	if (!*ret)
		return error_set(err, -ENOMEM, "out of memory");
	return 0;
}

char *fw_script_delete(const char *topo)
{
	struct strbuf out = {0};
	char table[OWNER_ALIAS_MAX + 8];

	owner_table(topo, table, sizeof(table));
	strbuf_printf(&out,
		      "table " OWNER_TABLE_FAMILY " %s {}\ndelete table " OWNER_TABLE_FAMILY " %s\n",
		      table, table);
	return strbuf_take(&out);
}
