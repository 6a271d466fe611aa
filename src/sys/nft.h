/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nftables through libnftables, in the namespace the caller runs in. nsnet
 * only ever writes whole tables of its own, each replaced in one transaction;
 * it reads other tables only to warn about rules that would block its traffic.
 */
#ifndef NSNET_NFT_H
#define NSNET_NFT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

/* Runs script (nft syntax) as one transaction; nft's own message lands in err. */
int nft_apply(const char *script, struct error *err);
/*
 * Runs each line of script as its own transaction, in one context; a line
 * failing with ENOENT (an element already gone) is skipped, the first other
 * failure is returned after every line ran.
 */
int nft_apply_each(const char *script, struct error *err);
/*
 * `get element FAMILY TABLE SET { KEY }`: the listing nft prints for it (the
 * element with its value, in nft syntax) into buf; -ENOENT when it is not
 * there. key is nft text the caller built from addresses and numbers.
 */
int nft_element_get(const char *family, const char *table, const char *set, const char *key,
		    char *buf, size_t len, struct error *err);

/*
 * The comment of table `family name`, written into buf; -ENOENT when the table
 * does not exist, 0 with buf = "" when it has no comment.
 */
int nft_table_comment(const char *family, const char *name, char *buf, size_t len,
		      struct error *err);

/* The listing of table `family name` (nft syntax, re-appliable), malloc'ed; NULL on error. */
char *nft_table_dump(const char *family, const char *name, struct error *err);

struct nft_table_id {
	char family[16];
	char name[256];
};

/* Every table whose name starts with prefix. *ret is malloc'ed (NULL when none). */
int nft_tables_list(const char *prefix, struct nft_table_id **ret, size_t *ret_n,
		    struct error *err);

struct nft_chain_id {
	char family[16];
	char table[256];
	char name[256];
	char hook[32];
	char policy[16];
};

/* Base chains at hook with policy drop in tables not starting with own_prefix. */
int nft_drop_chains(const char *hook, const char *own_prefix, struct nft_chain_id **ret,
		    size_t *ret_n, struct error *err);

/*
 * Calls fn for every interface name a rule of chain `family table chain`
 * matches with `iifname` (out false) or `oifname` (out true), `==` a name or
 * a set of names, when the rule's verdict is accept. How doctor tells a
 * foreign drop chain that already lets a bridge's traffic through.
 */
int nft_chain_accepts(const char *family, const char *table, const char *chain,
		      void (*fn)(bool out, const char *ifname, void *data), void *data,
		      struct error *err);

/*
 * Calls fn with the text (core/fw.h, fw_element_text) of every element of
 * the forward maps (fwd4, fwd4h, fwd6, fwd6h) of table `family name`; a map
 * the table lacks has none.
 */
int nft_forward_elements(const char *family, const char *name,
			 void (*fn)(const char *elem, void *data), void *data, struct error *err);

/*
 * libnftables waits on its socket with select(), which aborts the process on
 * a descriptor of 1024 or more (FD_SETSIZE), and takes the lowest free one. A
 * run that holds a socket and an fd per namespace passes 1024 at 500
 * namespaces: a reserve keeps the lowest free descriptors, handed to
 * libnftables for each of its calls. Each nsctx owns one and makes it the
 * thread's current reserve while it lives (nft_reserve_use).
 */
#define NFT_FD_RESERVED 16 /* more than libnftables holds open at once */
struct nft_reserve {
	int fd[NFT_FD_RESERVED];
	int n;
};
void nft_reserve_init(struct nft_reserve *res);
void nft_reserve_clear(struct nft_reserve *res);
/* res becomes the thread's current reserve (NULL: none); returns the previous one. */
struct nft_reserve *nft_reserve_use(struct nft_reserve *res);

#endif
