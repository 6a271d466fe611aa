// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nsnet-cni, installed as the CNI plugin "nsnet" (nsnet-cni(8)): reads the
 * network configuration from stdin, hands it and the environment to
 * libnsnet (nsnet_cni), prints what comes back, exits with its status. A
 * front end like the CLI: everything else happens in the library.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nsnet.h>

#include "cni-delegate.h"

extern char **environ;

/* The spec's bound on what nsnet reads (libnsnet refuses more, with code 5). */
#define CONF_MAX (1024 * 1024)

/* stdin, up to one byte more than the library takes, so that it can tell. */
static int read_stdin(char **ret, size_t *ret_len)
{
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);

	while (buf) {
		ssize_t n;

		if (len == cap) {
			char *nb = cap > CONF_MAX ? NULL : realloc(buf, cap * 2);

			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
		n = read(STDIN_FILENO, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(buf);
			return -errno;
		}
		if (n == 0) {
			*ret = buf;
			*ret_len = len;
			return 0;
		}
		len += (size_t)n;
	}
	if (!buf)
		return -ENOMEM;
	*ret = buf;
	*ret_len = len; /* more than CONF_MAX: the library says so */
	return 0;
}

/* An error no library call could produce (stdin unreadable, no context): the spec's shape. */
static int fail(int code, const char *what, int e)
{
	printf("{\"cniVersion\":\"1.1.0\",\"code\":%d,\"msg\":\"%s: %s\"}\n", code, what,
	       strerror(-e));
	return 1;
}

int main(void)
{
	struct nsnet_ctx *c = NULL;
	struct nsnet_error err = {0};
	char *buf = NULL, *out = NULL;
	size_t len = 0;
	int r;

	/* A delegated plugin that exits before reading its stdin must not kill us. */
	signal(SIGPIPE, SIG_IGN);
	r = read_stdin(&buf, &len);
	if (r < 0)
		return fail(5, "read stdin", r);
	if (nsnet_ctx_new(&c, &err) < 0 || nsnet_ctx_set_fault_env(c, environ, &err) < 0) {
		free(buf);
		nsnet_ctx_free(c);
		return fail(5, "nsnet", err.code);
	}
	r = nsnet_cni(c, environ, buf, len, cni_delegate_run, NULL, &out);
	nsnet_ctx_free(c);
	free(buf);
	if (out && (puts(out) < 0 || fflush(stdout) != 0))
		r = 1;
	free(out);
	return r;
}
