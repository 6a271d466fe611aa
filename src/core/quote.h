/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Quoting, the one place that decides how a string is written into text
 * another program parses: nft's syntax (the scripts nsnet applies, the
 * commands it sends libnftables, the rules doctor prints) and the shell's
 * (every command nsnet prints for a person to run). Names are already
 * restricted to [A-Za-z0-9_.-] when a file is loaded; these functions are the
 * defence behind that, and must be safe for any byte string, including names
 * the kernel reports for other tools' objects.
 *
 * nft has no escape inside a double-quoted string ("[^"]*" is all its scanner
 * knows), and takes no quoted string at all where a table, chain or set name
 * goes (1.0.6: "unexpected quoted string, expecting string"). So:
 *   - a string (interface name, comment) is double-quoted, and refused when
 *     it holds '"', '\' or a control byte;
 *   - an identifier is written bare, and refused unless it is one token of
 *     nft's identifier syntax: a letter, '_' or '.', then letters, digits,
 *     '/', '-', '_', '.'. A keyword used as a name can only make nft fail to
 *     parse, never change what the command does.
 * The shell has a real escape: single quotes, with "'\''" for a quote inside.
 * Control bytes are refused there too: they would reach the person's terminal.
 */
#ifndef NSNET_QUOTE_H
#define NSNET_QUOTE_H

#include <stddef.h>

#include "error.h"

enum quote_nft_kind {
	QUOTE_NFT_STRING, /* "s": interface names, set elements of type ifname, comments */
	QUOTE_NFT_IDENT,  /* s: families, tables, chains, sets */
};

/* nft accepts names of at most 256 bytes (NFT_NAME_MAXLEN, with the NUL). */
#define QUOTE_NFT_IDENT_MAX 255

/*
 * s as it must be written in nft's syntax, into buf (len bytes with the NUL).
 * -EINVAL (kind ERROR_INPUT, the message naming the offending byte) when s
 * cannot be written safely, -ENOBUFS when buf is too small. what names s in
 * the message ("bridge 'x'" reads better than the bytes alone); NULL: "name".
 */
int quote_nft(const char *s, enum quote_nft_kind kind, char *buf, size_t len, const char *what,
	      struct error *err);

/*
 * One word for a POSIX shell: s itself when it holds only characters no shell
 * treats specially ([A-Za-z0-9] and "_./:=,@%+-"), else single-quoted. -EINVAL
 * when s holds a control byte, -ENOBUFS when buf is too small.
 */
int quote_shell(const char *s, char *buf, size_t len);

/*
 * The command argv (NULL-terminated) as one line for a shell: each word
 * quoted, joined by spaces. The command word itself is quoted whenever it
 * holds more than [A-Za-z0-9_./-] (a '=' there would make it an assignment).
 * Errors as quote_shell; buf is left "" on failure.
 */
int quote_shell_argv(const char *const *argv, char *buf, size_t len);

#endif
