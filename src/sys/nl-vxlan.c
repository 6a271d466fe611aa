// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * VXLAN devices and their FDB entries through rtnetlink (vxlan.h). An entry
 * is an RTM_NEWNEIGH of family AF_BRIDGE with NTF_SELF on the device itself
 * (not its bridge), the all-zeros MAC and NDA_DST; NLM_F_APPEND lets one MAC
 * have several destinations, which is head-end replication. Devices are read
 * with a link dump filtered by kind, entries with an FDB dump filtered by the
 * device's index, so a host of 1000 bridge ports costs no more.
 */
#include <errno.h>
#include <arpa/inet.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>

#include "core/owner.h"
#include "vxlan.h"

int nl_vxlan_add(struct nl_sock *s, const char *name, const struct link_attrs *a,
		 const struct vxlan_spec *v, struct error *err)
{
	static const uint8_t any6[16];
	struct nlattr *linkinfo, *data;
	struct ifinfomsg *ifi;
	uint16_t port = htons(v->port);
	struct nl_msg m;
	int r;

	r = name_ifname_check(name, err);
	if (r < 0)
		return r;
	ifi = nl_msg_init(&m, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	nl_msg_put_str(&m, IFLA_IFNAME, name);
	if (a->mtu)
		nl_msg_put_u32(&m, IFLA_MTU, a->mtu);
	if (a->mac)
		nl_msg_put(&m, IFLA_ADDRESS, MAC_LEN, a->mac);
	if (a->group)
		nl_msg_put_u32(&m, IFLA_GROUP, a->group);
	linkinfo = nl_msg_nest_start(&m, IFLA_LINKINFO);
	nl_msg_put_str(&m, IFLA_INFO_KIND, "vxlan");
	data = nl_msg_nest_start(&m, IFLA_INFO_DATA);
	nl_msg_put_u32(&m, IFLA_VXLAN_ID, v->id);
	nl_msg_put(&m, IFLA_VXLAN_PORT, sizeof(port), &port);
	nl_msg_put_u8(&m, IFLA_VXLAN_LEARNING, v->learning);
	if (v->link)
		nl_msg_put_u32(&m, IFLA_VXLAN_LINK, (uint32_t)v->link);
	if (v->local.family == AF_INET)
		nl_msg_put(&m, IFLA_VXLAN_LOCAL, 4, v->local.bytes);
	else if (v->local.family == AF_INET6)
		nl_msg_put(&m, IFLA_VXLAN_LOCAL6, 16, v->local.bytes);
	else if (v->ipv6)
		/* No default remote (::), but an IPv6 socket: the entries are IPv6. */
		nl_msg_put(&m, IFLA_VXLAN_GROUP6, sizeof(any6), any6);
	nl_msg_nest_end(&m, data);
	nl_msg_nest_end(&m, linkinfo);
	return nl_request(s, &m, err, "vxlan '%s' (VNI %u)", name, v->id);
}

static int fdb_change(struct nl_sock *s, uint16_t type, uint16_t flags, const char *dev,
		      const struct fdb_spec *f, struct error *err)
{
	static const uint8_t zero[MAC_LEN];
	size_t alen = inet_family_len(f->dst.family);
	uint16_t port = htons(f->port);
	char ip[INET_STR_MAX];
	struct ndmsg *ndm;
	struct nl_msg m;
	int ifindex, r;

	if (!alen)
		return error_input(err, -EAFNOSUPPORT, "fdb entry of '%s': no address family", dev);
	inet_addr_format(&f->dst, ip, sizeof(ip));
	r = nl_link_index(s, dev, &ifindex, err);
	if (r < 0)
		return error_prefix(err, "fdb entry to %s", ip);
	ndm = nl_msg_init(&m, type, flags, sizeof(*ndm));
	ndm->ndm_family = AF_BRIDGE;
	ndm->ndm_ifindex = ifindex;
	ndm->ndm_state = NUD_NOARP | NUD_PERMANENT;
	ndm->ndm_flags = NTF_SELF;
	nl_msg_put(&m, NDA_LLADDR, MAC_LEN, zero);
	nl_msg_put(&m, NDA_DST, alen, f->dst.bytes);
	if (f->port)
		nl_msg_put(&m, NDA_PORT, sizeof(port), &port);
	if (f->vni)
		nl_msg_put_u32(&m, NDA_VNI, f->vni);
	if (f->via)
		nl_msg_put_u32(&m, NDA_IFINDEX, (uint32_t)f->via);
	return nl_request(s, &m, err, "fdb entry 00:00:00:00:00:00 dst %s on '%s'", ip, dev);
}

int nl_fdb_add(struct nl_sock *s, const char *dev, const struct fdb_spec *f, struct error *err)
{
	/* No NLM_F_EXCL: the second remote is appended to the entry of the first. */
	return fdb_change(s, RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_APPEND, dev, f, err);
}

int nl_fdb_del(struct nl_sock *s, const char *dev, const struct fdb_spec *f, struct error *err)
{
	return fdb_change(s, RTM_DELNEIGH, 0, dev, f, err);
}

/* --- reading --- */

#define TB_MAX 64

struct tb {
	const struct nlattr *a[TB_MAX];
};

static int tb_cb(const struct nlattr *attr, void *data)
{
	struct tb *t = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (type < TB_MAX)
		t->a[type] = attr;
	return MNL_CB_OK;
}

static bool tb_u32(const struct tb *t, uint16_t type, uint32_t *ret)
{
	if (!t->a[type] || mnl_attr_validate(t->a[type], MNL_TYPE_U32) < 0)
		return false;
	*ret = mnl_attr_get_u32(t->a[type]);
	return true;
}

static bool tb_be16(const struct tb *t, uint16_t type, uint16_t *ret)
{
	uint16_t v;

	if (!t->a[type] || mnl_attr_get_payload_len(t->a[type]) != sizeof(v))
		return false;
	memcpy(&v, mnl_attr_get_payload(t->a[type]), sizeof(v));
	*ret = ntohs(v);
	return true;
}

static bool tb_addr(const struct tb *t, uint16_t type, int family, struct inet_addr *ret)
{
	size_t len = inet_family_len(family);

	if (!t->a[type] || mnl_attr_get_payload_len(t->a[type]) != len)
		return false;
	ret->family = family;
	memcpy(ret->bytes, mnl_attr_get_payload(t->a[type]), len);
	return true;
}

static bool is_any(const struct inet_addr *a)
{
	static const uint8_t zero[16];

	return !a->family || !memcmp(a->bytes, zero, inet_family_len(a->family));
}

struct vxlan_list {
	struct world_vxlan *v;
	size_t n;
};

/* The attributes of a vxlan's IFLA_INFO_DATA. */
static void vxlan_data(const struct nlattr *data, struct world_vxlan *w)
{
	struct tb t = {0};
	uint32_t u;

	mnl_attr_parse_nested(data, tb_cb, &t);
	if (tb_u32(&t, IFLA_VXLAN_ID, &u))
		w->id = u;
	tb_be16(&t, IFLA_VXLAN_PORT, &w->port);
	if (tb_u32(&t, IFLA_VXLAN_LINK, &u))
		w->link = (int)u;
	if (t.a[IFLA_VXLAN_LEARNING] &&
	    mnl_attr_validate(t.a[IFLA_VXLAN_LEARNING], MNL_TYPE_U8) == 0)
		w->learning = mnl_attr_get_u8(t.a[IFLA_VXLAN_LEARNING]) != 0;
	if (!tb_addr(&t, IFLA_VXLAN_LOCAL, AF_INET, &w->local))
		tb_addr(&t, IFLA_VXLAN_LOCAL6, AF_INET6, &w->local);
	if (!tb_addr(&t, IFLA_VXLAN_GROUP, AF_INET, &w->group))
		tb_addr(&t, IFLA_VXLAN_GROUP6, AF_INET6, &w->group);
	if (is_any(&w->local))
		memset(&w->local, 0, sizeof(w->local));
	if (is_any(&w->group))
		memset(&w->group, 0, sizeof(w->group));
}

static int vxlan_link_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct vxlan_list *list = data;
	struct tb t = {0}, info = {0};
	struct world_vxlan w = {0}, *nv;
	const struct nlattr *name;

	if (nlh->nlmsg_type != RTM_NEWLINK || nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifi)))
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*ifi), tb_cb, &t);
	name = t.a[IFLA_IFNAME];
	if (!name || mnl_attr_validate(name, MNL_TYPE_NUL_STRING) < 0 ||
	    strlen(mnl_attr_get_str(name)) > IFNAME_MAX || !t.a[IFLA_LINKINFO] ||
	    mnl_attr_validate(t.a[IFLA_LINKINFO], MNL_TYPE_NESTED) < 0)
		return MNL_CB_OK;
	mnl_attr_parse_nested(t.a[IFLA_LINKINFO], tb_cb, &info);
	/* An old kernel ignores the kind filter: look at each. */
	if (!info.a[IFLA_INFO_KIND] ||
	    mnl_attr_validate(info.a[IFLA_INFO_KIND], MNL_TYPE_STRING) < 0 ||
	    mnl_attr_get_payload_len(info.a[IFLA_INFO_KIND]) < 5 ||
	    strncmp(mnl_attr_get_payload(info.a[IFLA_INFO_KIND]), "vxlan", 5) != 0 ||
	    (mnl_attr_get_payload_len(info.a[IFLA_INFO_KIND]) > 5 &&
	     ((const char *)mnl_attr_get_payload(info.a[IFLA_INFO_KIND]))[5]))
		return MNL_CB_OK;
	w.ifindex = ifi->ifi_index;
	snprintf(w.name, sizeof(w.name), "%s", mnl_attr_get_str(name));
	if (info.a[IFLA_INFO_DATA] &&
	    mnl_attr_validate(info.a[IFLA_INFO_DATA], MNL_TYPE_NESTED) == 0)
		vxlan_data(info.a[IFLA_INFO_DATA], &w);
	nv = realloc(list->v, (list->n + 1) * sizeof(*nv));
	if (!nv)
		return MNL_CB_ERROR;
	list->v = nv;
	nv[list->n++] = w;
	return MNL_CB_OK;
}

static int fdb_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ndmsg *ndm = mnl_nlmsg_get_payload(nlh);
	static const uint8_t zero[MAC_LEN];
	struct world_vxlan *w = data;
	struct world_fdb e = {0}, *nv;
	struct tb t = {0};
	uint32_t u;

	if (nlh->nlmsg_type != RTM_NEWNEIGH || nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ndm)) ||
	    ndm->ndm_family != AF_BRIDGE || ndm->ndm_ifindex != w->ifindex ||
	    !(ndm->ndm_flags & NTF_SELF))
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*ndm), tb_cb, &t);
	/* Only the all-zeros entries are nsnet's: learned and per-MAC ones are not. */
	if (!t.a[NDA_LLADDR] || mnl_attr_get_payload_len(t.a[NDA_LLADDR]) != MAC_LEN ||
	    memcmp(mnl_attr_get_payload(t.a[NDA_LLADDR]), zero, MAC_LEN) != 0)
		return MNL_CB_OK;
	if (!tb_addr(&t, NDA_DST, AF_INET, &e.dst) && !tb_addr(&t, NDA_DST, AF_INET6, &e.dst))
		return MNL_CB_OK;
	tb_be16(&t, NDA_PORT, &e.port);
	e.has_vni = tb_u32(&t, NDA_VNI, &e.vni);
	if (tb_u32(&t, NDA_IFINDEX, &u))
		e.via = (int)u;
	nv = realloc(w->fdb, (w->n_fdb + 1) * sizeof(*nv));
	if (!nv)
		return MNL_CB_ERROR;
	w->fdb = nv;
	nv[w->n_fdb++] = e;
	return MNL_CB_OK;
}

static int dump_fdb(struct nl_sock *s, struct world_vxlan *w, struct error *err)
{
	struct ndmsg *ndm;
	struct nl_msg m;
	int r;

	for (int tries = 0;; tries++) {
		free(w->fdb);
		w->fdb = NULL;
		w->n_fdb = 0;
		ndm = nl_msg_init(&m, RTM_GETNEIGH, 0, sizeof(*ndm));
		ndm->ndm_family = AF_BRIDGE;
		ndm->ndm_ifindex = w->ifindex; /* the kernel dumps this device only */
		r = nl_dump(s, &m, fdb_cb, w, err, "fdb");
		if (r != -EAGAIN || tries == 20)
			break;
	}
	if (r < 0)
		return error_prefix(err, "vxlan '%s'", w->name);
	w->fdb_read = true;
	return 0;
}

static void list_free(struct vxlan_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].fdb);
	free(l->v);
}

int nl_vxlan_observe(struct nl_sock *s, bool (*want_fdb)(const char *name, void *data), void *data,
		     struct world_vxlan **ret, size_t *n, struct error *err)
{
	struct vxlan_list list = {0};
	struct nlattr *linkinfo;
	struct ifinfomsg *ifi;
	struct nl_msg m;
	int r;

	for (int tries = 0;; tries++) {
		list_free(&list);
		memset(&list, 0, sizeof(list));
		ifi = nl_msg_init(&m, RTM_GETLINK, 0, sizeof(*ifi));
		ifi->ifi_family = AF_UNSPEC;
		nl_msg_put_u32(&m, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
		linkinfo = nl_msg_nest_start(&m, IFLA_LINKINFO);
		nl_msg_put_str(&m, IFLA_INFO_KIND, "vxlan");
		nl_msg_nest_end(&m, linkinfo);
		r = nl_dump(s, &m, vxlan_link_cb, &list, err, "vxlan links");
		if (r != -EAGAIN || tries == 20)
			break;
	}
	for (size_t i = 0; r >= 0 && i < list.n; i++)
		if (want_fdb(list.v[i].name, data))
			r = dump_fdb(s, &list.v[i], err);
	if (r < 0) {
		list_free(&list);
		return r;
	}
	*ret = list.v;
	*n = list.n;
	return 0;
}

struct fdb_choice {
	const struct world *w;
	const char *topo;
	const struct topology *want;
};

/* The entries of the topology's own devices, and of the ones it wants. */
static bool choose_fdb(const char *name, void *data)
{
	const struct fdb_choice *fc = data;
	const struct ns_link *l = netstate_link_by_name(fc->w->host, name);

	if (l && owner_alias_is(l->alias, fc->topo))
		return true;
	for (size_t i = 0; fc->want && i < fc->want->n_bridges; i++)
		if (fc->want->bridges[i].vxlan && !strcmp(fc->want->bridges[i].vxlan->name, name))
			return true;
	return false;
}

int vxlan_observe(struct nsctx *c, struct world *w, const char *topo, const struct topology *want,
		  struct error *err)
{
	struct fdb_choice fc = {w, topo, want};
	bool needed = false;
	struct nl_sock *s;
	int r;

	for (size_t i = 0; want && i < want->n_bridges; i++)
		needed = needed || want->bridges[i].vxlan;
	for (size_t i = 0; !needed && i < w->host->n_links; i++)
		needed = strcmp(w->host->links[i].kind, "vxlan") == 0;
	if (!needed)
		return 0;
	r = nsctx_get(c, "", &s, NULL, err);
	if (r >= 0)
		r = nl_vxlan_observe(s, choose_fdb, &fc, &w->vxlans, &w->n_vxlans, err);
	return r < 0 ? error_prefix(err, "host") : 0;
}
