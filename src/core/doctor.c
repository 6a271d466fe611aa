// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The checks of `nsnet doctor`, from facts to findings (see doctor.h): the
 * findings list, the checks of the host as a whole (forwarding, other tools'
 * drop chains, br_netfilter) and doctor_run. Per topology: doctor-topo.c.
 */
#include <linux/rtnetlink.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "doctor-internal.h"
#include "name.h"
#include "owner.h"
#include "quote.h"

const char *doctor_level_name(enum doctor_level level)
{
	return level == DOCTOR_PROBLEM ? "problem" : "warning";
}

void doctor_report_clear(struct doctor_report *r)
{
	free(r->v);
	r->v = NULL;
	r->n = 0;
}

struct doctor_finding *doctor_add(struct doctor_ctx *c, const char *id, enum doctor_level level,
				  const char *topo)
{
	struct doctor_finding *v = realloc(c->r->v, (c->r->n + 1) * sizeof(*v)), *d;

	if (!v) {
		c->oom = true;
		return NULL;
	}
	c->r->v = v;
	d = &v[c->r->n++];
	memset(d, 0, sizeof(*d));
	d->id = id;
	d->level = level;
	snprintf(d->topology, sizeof(d->topology), "%s", topo ? topo : "");
	return d;
}

void doctor_append(char *buf, size_t len, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;
	int n;

	if (used + 1 >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n >= len - used && len > 4)
		memcpy(buf + len - 4, "...", 4);
}

bool doctor_fix_cmd(struct doctor_finding *d, const char *const *argv)
{
	char line[DOCTOR_TEXT_MAX];
	size_t used = strlen(d->fix), n;
	const char *sep = used ? "; " : "";

	/* Prose already follows the commands: a command after it would not be one. */
	if (used != d->fix_cmds || quote_shell_argv(argv, line, sizeof(line)) < 0)
		return false;
	n = strlen(sep) + strlen(line);
	if (used + n + 1 > sizeof(d->fix))
		return false;
	snprintf(d->fix + used, sizeof(d->fix) - used, "%s%s", sep, line);
	d->fix_cmds = used + n;
	return true;
}

bool doctor_sysctl_word(char *buf, size_t len, const char *ifname, const char *key, int value)
{
	return doctor_sysctl_word_in(buf, len, "ipv4", ifname, key, value);
}

bool doctor_sysctl_word_in(char *buf, size_t len, const char *family, const char *ifname,
			   const char *key, int value)
{
	bool dot = strchr(ifname, '.') != NULL;
	int n;

	if (!ifname[0] || !strcmp(ifname, ".") || !strcmp(ifname, "..") || strpbrk(ifname, "/="))
		return false;
	for (const char *p = ifname; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return false;
	if (dot)
		n = snprintf(buf, len, "net/%s/conf/%s/%s=%d", family, ifname, key, value);
	else
		n = snprintf(buf, len, "net.%s.conf.%s.%s=%d", family, ifname, key, value);
	return n >= 0 && (size_t)n < len;
}

const struct netstate *doctor_host_of(const struct doctor_ctx *c, const struct doctor_topo *dt)
{
	return dt->have && dt->have->host ? dt->have->host : c->f->host;
}

/* Whether the kernel holds anything of dt: then its forwarding and links matter now. */
bool doctor_topo_is_up(const struct doctor_topo *dt)
{
	if (!dt->have)
		return false;
	if (dt->have->fw_exists)
		return true;
	for (size_t i = 0; dt->have->host && i < dt->have->host->n_links; i++)
		if (owner_alias_is(dt->have->host->links[i].alias, dt->name))
			return true;
	for (size_t i = 0; i < dt->have->n_ns; i++)
		if (dt->have->ns[i].marked && strcmp(dt->have->ns[i].owner, dt->name) == 0)
			return true;
	return false;
}

const char *doctor_bridge_next(const struct doctor_ctx *c, const struct doctor_topo *dt, size_t *i)
{
	const struct netstate *host = doctor_host_of(c, dt);

	if (dt->want)
		return *i < dt->want->n_bridges ? dt->want->bridges[(*i)++].name : NULL;
	for (; host && *i < host->n_links; (*i)++) {
		const struct ns_link *l = &host->links[*i];

		if (strcmp(l->kind, "bridge") == 0 && owner_alias_is(l->alias, dt->name)) {
			(*i)++;
			return l->name;
		}
	}
	return NULL;
}

static bool topo_routes(const struct doctor_ctx *c, const struct doctor_topo *dt)
{
	size_t i = 0;

	return doctor_bridge_next(c, dt, &i) || (dt->want && dt->want->n_forwards);
}

int doctor_link_index(const struct netstate *st, const char *name)
{
	const struct ns_link *l = st ? netstate_link_by_name(st, name) : NULL;

	return l ? l->ifindex : 0;
}

const char *doctor_link_name(const struct netstate *st, int ifindex)
{
	const struct ns_link *l = st ? netstate_link_by_index(st, ifindex) : NULL;

	return l ? l->name : "?";
}

/* "'a', 'b'": the names of the topologies for which pred holds. */
static void topo_names(const struct doctor_ctx *c,
		       bool (*pred)(const struct doctor_ctx *, const struct doctor_topo *),
		       char *buf, size_t len)
{
	buf[0] = '\0';
	for (size_t i = 0; i < c->f->n_topos; i++)
		if (pred(c, &c->f->topos[i]))
			doctor_append(buf, len, "%s'%s'", buf[0] ? ", " : "", c->f->topos[i].name);
}

static bool up_and_routes(const struct doctor_ctx *c, const struct doctor_topo *dt)
{
	return doctor_topo_is_up(dt) && topo_routes(c, dt);
}

static void check_forwarding(struct doctor_ctx *c)
{
	struct doctor_finding *d;
	char names[512];

	topo_names(c, up_and_routes, names, sizeof(names));
	if (c->f->ip_forward != 0 || !names[0] ||
	    !(d = doctor_add(c, "ip-forward-off", DOCTOR_PROBLEM, NULL)))
		return;
	put(d->subject, "net.ipv4.ip_forward");
	put(d->what, "IPv4 forwarding is off (net.ipv4.ip_forward = 0)");
	put(d->why,
	    "the host does not route between its interfaces: namespaces of %s reach their "
	    "bridge's address but nothing beyond it, and port forwards get no answer",
	    names);
	fix_cmd(d, "sysctl", "-w", "net.ipv4.ip_forward=1");
	more(d->fix, " (running 'nsnet up FILE' again also turns it on)");
}

static bool routes_any(const struct doctor_ctx *c)
{
	for (size_t i = 0; i < c->f->n_topos; i++)
		if (topo_routes(c, &c->f->topos[i]))
			return true;
	return c->f->n_topos == 0; /* the host alone: any future topology would suffer */
}

static bool has_forwards(const struct doctor_ctx *c)
{
	for (size_t i = 0; i < c->f->n_topos; i++)
		if (c->f->topos[i].want && c->f->topos[i].want->n_forwards)
			return true;
	return false;
}

static bool chain_accepts(const struct doctor_chain *ch, bool out, const char *ifname)
{
	for (size_t i = 0; i < ch->n_accepts; i++)
		if (ch->accepts[i].out == out && strcmp(ch->accepts[i].ifname, ifname) == 0)
			return true;
	return false;
}

/*
 * Whether chain ch stops bridge b's routed traffic: it has no rule accepting
 * b both ways. A bridge-family chain sees ports, not bridges: it always counts.
 */
static bool chain_blocks(const struct doctor_chain *ch, const char *b)
{
	return strcmp(ch->family, "bridge") == 0 || !chain_accepts(ch, false, b) ||
	       !chain_accepts(ch, true, b);
}

/* Whether ch stops any bridge examined (any at all when no topology is). */
static bool chain_blocks_any(const struct doctor_ctx *c, const struct doctor_chain *ch)
{
	bool any = false;
	const char *b;

	for (size_t t = 0; t < c->f->n_topos; t++)
		for (size_t i = 0; (b = doctor_bridge_next(c, &c->f->topos[t], &i));) {
			if (chain_blocks(ch, b))
				return true;
			any = true;
		}
	return !any;
}

/* Appends name to buf[len] as an nft string, ", " after what is there; false when it cannot be. */
static bool put_nft_string(char *buf, size_t len, const char *name)
{
	char q[IFNAME_MAX * 4 + 8];

	if (quote_nft(name, QUOTE_NFT_STRING, q, sizeof(q), NULL, NULL) < 0)
		return false;
	doctor_append(buf, len, "%s%s", buf[0] ? ", " : "", q);
	return true;
}

/*
 * '"p1", "p2"': the ports of bridge b, as the kernel holds them, else as the
 * file wants them; false when a name cannot be written as an nft string.
 */
static bool bridge_ports(const struct doctor_ctx *c, const struct doctor_topo *dt, const char *b,
			 char *buf, size_t len)
{
	const struct netstate *host = dt ? doctor_host_of(c, dt) : NULL;
	int brx = doctor_link_index(host, b);
	bool ok = true;

	buf[0] = '\0';
	for (size_t i = 0; brx && i < host->n_links; i++)
		if (host->links[i].master == brx)
			ok = put_nft_string(buf, len, host->links[i].name) && ok;
	for (size_t k = 0; !buf[0] && dt && dt->want && k < dt->want->n_namespaces; k++) {
		const struct topology_ns *ns = &dt->want->namespaces[k];

		for (size_t i = 0; i < ns->n_ifaces; i++)
			if (ns->ifaces[i].link == TOPOLOGY_LINK_BRIDGE &&
			    strcmp(ns->ifaces[i].bridge, b) == 0)
				ok = put_nft_string(buf, len, ns->ifaces[i].host_end) && ok;
	}
	if (!buf[0])
		snprintf(buf, len, "\"PORT\"");
	return ok;
}

/* The names of chain ch as nft takes them; false when one cannot be written. */
struct chain_names {
	char family[QUOTE_NFT_IDENT_MAX + 1];
	char table[QUOTE_NFT_IDENT_MAX + 1];
	char name[QUOTE_NFT_IDENT_MAX + 1];
};

static bool chain_names(const struct doctor_chain *ch, struct chain_names *q)
{
	return quote_nft(ch->family, QUOTE_NFT_IDENT, q->family, sizeof(q->family), NULL, NULL) >=
		       0 &&
	       quote_nft(ch->table, QUOTE_NFT_IDENT, q->table, sizeof(q->table), NULL, NULL) >= 0 &&
	       quote_nft(ch->name, QUOTE_NFT_IDENT, q->name, sizeof(q->name), NULL, NULL) >= 0;
}

/* One "nft 'insert rule FAMILY TABLE CHAIN RULE'" command; false when it was left out. */
static bool insert_rule(struct doctor_finding *d, const struct chain_names *q, const char *rule)
{
	char cmd[DOCTOR_TEXT_MAX];
	int n = snprintf(cmd, sizeof(cmd), "insert rule %s %s %s %s", q->family, q->table, q->name,
			 rule);

	return n >= 0 && (size_t)n < sizeof(cmd) && fix_cmd(d, "nft", cmd);
}

/* The rules that let bridge b's traffic through chain ch; false when some were left out. */
static bool drop_chain_rules(const struct doctor_ctx *c, const struct chain_names *q,
			     const struct doctor_topo *dt, const char *b, struct doctor_finding *d)
{
	char rule[DOCTOR_TEXT_MAX], ports[512] = "", qb[IFNAME_MAX * 4 + 8] = "";
	bool ok;

	if (strcmp(q->family, "bridge") == 0) {
		/* In the bridge family the interfaces are the bridge's ports. */
		if (!bridge_ports(c, dt, b, ports, sizeof(ports)))
			return false;
		snprintf(rule, sizeof(rule), "iifname { %s } accept", ports);
		return insert_rule(d, q, rule);
	}
	if (!put_nft_string(qb, sizeof(qb), b))
		return false;
	snprintf(rule, sizeof(rule), "iifname %s accept", qb);
	ok = insert_rule(d, q, rule);
	snprintf(rule, sizeof(rule), "oifname %s ct state established,related accept", qb);
	ok = insert_rule(d, q, rule) && ok;
	/* Port forwards open connections into the bridge: new, but DNATed by us. */
	if (has_forwards(c)) {
		snprintf(rule, sizeof(rule), "oifname %s ct status dnat accept", qb);
		ok = insert_rule(d, q, rule) && ok;
	}
	return ok;
}

static void drop_chain_fix(const struct doctor_ctx *c, const struct doctor_chain *ch,
			   struct doctor_finding *d)
{
	struct chain_names q;
	bool ok = true;
	const char *b;

	if (!chain_names(ch, &q)) {
		put(d->fix,
		    "accept the bridges' traffic in that chain with the tool that made it: "
		    "its names cannot be written in nft's syntax (nsnet never changes another "
		    "tool's rules)");
		return;
	}
	for (size_t t = 0; t < c->f->n_topos; t++)
		for (size_t i = 0; (b = doctor_bridge_next(c, &c->f->topos[t], &i));)
			if (chain_blocks(ch, b))
				ok = drop_chain_rules(c, &q, &c->f->topos[t], b, d) && ok;
	if (!d->fix[0] && ok)
		ok = drop_chain_rules(c, &q, NULL, "BRIDGE", d);
	if (!ok)
		more(d->fix,
		     "%s(rules for names nft cannot take, or that did not fit, are left out)",
		     d->fix[0] ? " " : "");
	more(d->fix, " (or change that tool's configuration; nsnet never changes another "
		     "tool's rules)");
}

/* "'v-net-0' of 'tutorial', 'v-net-1' of 'other'": the bridges chain ch stops. */
static void bridge_names(const struct doctor_ctx *c, const struct doctor_chain *ch, char *buf,
			 size_t len)
{
	const char *b;

	buf[0] = '\0';
	for (size_t t = 0; t < c->f->n_topos; t++)
		for (size_t i = 0; (b = doctor_bridge_next(c, &c->f->topos[t], &i));)
			if (chain_blocks(ch, b))
				doctor_append(buf, len, "%s'%s' of '%s'", buf[0] ? ", " : "", b,
					      c->f->topos[t].name);
}

/*
 * "table FAMILY TABLE, chain NAME", the names another tool gave made printable
 * (name_escape): they come from the kernel and reach a terminal.
 */
#define CHAIN_LABEL_MAX 448
static void chain_label(const struct doctor_chain *ch, char *buf, size_t len)
{
	char family[32], table[200], name[200]; /* long names end in "..." */

	name_escape(ch->family, family, sizeof(family));
	name_escape(ch->table, table, sizeof(table));
	name_escape(ch->name, name, sizeof(name));
	snprintf(buf, len, "table %s %s, chain %s", family, table, name);
}

static void check_drop_chains(struct doctor_ctx *c)
{
	char names[512];

	if (!routes_any(c))
		return;
	for (size_t i = 0; i < c->f->n_drop_chains; i++) {
		const struct doctor_chain *ch = &c->f->drop_chains[i];
		bool v6 = strcmp(ch->family, "ip6") == 0;
		struct doctor_finding *d;

		if (!chain_blocks_any(c, ch))
			continue;
		bridge_names(c, ch, names, sizeof(names));
		/* An ip6 chain stops traffic once a topology routes IPv6. */
		d = doctor_add(c, "forward-drop",
			       v6 && !doctor_routes6_any(c) ? DOCTOR_WARNING : DOCTOR_PROBLEM, NULL);
		if (!d)
			return;
		chain_label(ch, d->subject, sizeof(d->subject));
		put(d->what, "forward hook with policy drop (not nsnet's)");
		if (strcmp(ch->family, "bridge") == 0)
			put(d->why, "it drops frames bridged between the ports of a bridge: "
				    "namespaces on one bridge cannot reach each other");
		else
			put(d->why,
			    "it drops %straffic routed between %s%s and the outside, and "
			    "port forwards to them, unless a rule of that chain accepts it",
			    v6 ? "IPv6 " : "",
			    !names[0]		  ? "nsnet's bridges"
			    : strstr(names, ", ") ? "the bridges "
						  : "the bridge ",
			    names);
		drop_chain_fix(c, ch, d);
	}
}

static void check_br_netfilter(struct doctor_ctx *c)
{
	const struct doctor_chain *hit = NULL;
	struct doctor_finding *d;
	char label[CHAIN_LABEL_MAX];

	if (!routes_any(c))
		return;
	for (size_t i = 0; i < c->f->n_drop_chains && !hit; i++) {
		const char *fam = c->f->drop_chains[i].family;
		bool inet = strcmp(fam, "inet") == 0;

		if (((c->f->bridge_nf_ip4 == 1 && (inet || strcmp(fam, "ip") == 0)) ||
		     (c->f->bridge_nf_ip6 == 1 && (inet || strcmp(fam, "ip6") == 0))) &&
		    chain_blocks_any(c, &c->f->drop_chains[i]))
			hit = &c->f->drop_chains[i];
	}
	if (!hit || !(d = doctor_add(c, "br-netfilter", DOCTOR_PROBLEM, NULL)))
		return;
	chain_label(hit, label, sizeof(label));
	put(d->subject, "net.bridge.bridge-nf-call-%s",
	    c->f->bridge_nf_ip4 == 1 ? "iptables" : "ip6tables");
	put(d->what, "br_netfilter is loaded and passes bridged traffic to the firewall");
	put(d->why,
	    "frames between namespaces on the same bridge go through the forward hook "
	    "too, so the drop policy of %s also cuts namespaces of one bridge off from each "
	    "other",
	    label);
	fix_cmd(d, "sysctl", "-w", "net.bridge.bridge-nf-call-iptables=0",
		"net.bridge.bridge-nf-call-ip6tables=0");
	more(d->fix, " (unless a tool on the host needs them, as Kubernetes does), or accept the "
		     "bridges' traffic in that chain (see forward-drop)");
}

int doctor_run(const struct doctor_facts *f, struct doctor_report *ret, struct error *err)
{
	struct doctor_ctx c = {.f = f, .r = ret};

	memset(ret, 0, sizeof(*ret));
	check_forwarding(&c);
	check_drop_chains(&c);
	check_br_netfilter(&c);
	doctor_check_ipv6_host(&c);
	for (size_t t = 0; t < f->n_topos; t++) {
		doctor_check_topology(&c, &f->topos[t]);
		doctor_check_vxlan(&c, &f->topos[t], t);
	}
	if (c.oom) {
		doctor_report_clear(ret);
		return error_set(err, -ENOMEM, "out of memory");
	}
	return 0;
}
