// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Running a delegated IPAM plugin: see cni-delegate.h. The plugin is looked
 * up as libcni's FindInPath does (each directory of CNI_PATH in turn; the
 * first regular file named TYPE, links followed); it is executed directly,
 * never through a shell, with the caller's environment, CNI_COMMAND set to
 * the command. Its stdin is fed and its stdout read at the same time (poll),
 * so a plugin that writes before it has read everything cannot stall us.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cni-delegate.h"

extern char **environ;

#define OUT_MAX (1024 * 1024)

static int failed(struct nsnet_error *err, int code, const char *fmt, const char *a,
		  const char *b)
{
	if (err) {
		err->code = code;
		err->kind = NSNET_ERROR_OPERATION;
		snprintf(err->msg, sizeof(err->msg), fmt, a, b);
	}
	return code;
}

/* DIR/TYPE for the first DIR of CNI_PATH where it is a regular file. */
static int find(const char *type, char *buf, size_t len, struct nsnet_error *err)
{
	const char *path = getenv("CNI_PATH");
	const char *p = path;

	if (!path || !*path)
		return failed(err, -ENOENT, "ipam plugin '%s': CNI_PATH is not set%s", type, "");
	while (*p) {
		size_t n = strcspn(p, ":");
		struct stat st;

		if (n && (size_t)snprintf(buf, len, "%.*s/%s", (int)n, p, type) < len &&
		    stat(buf, &st) == 0 && S_ISREG(st.st_mode))
			return 0;
		p += n;
		if (*p == ':')
			p++;
	}
	return failed(err, -ENOENT, "ipam plugin '%s': not found in CNI_PATH %s", type, path);
}

/* environ with CNI_COMMAND replaced: what the plugin got, as the spec says the delegate gets it. */
static char **environment(const char *command, char **own)
{
	size_t n = 0, k = 0;
	char **env;

	while (environ[n])
		n++;
	env = calloc(n + 2, sizeof(*env));
	if (!env)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "CNI_COMMAND=", 12) != 0)
			env[k++] = environ[i];
	if (asprintf(&env[k], "CNI_COMMAND=%s", command) < 0) {
		free(env);
		return NULL;
	}
	*own = env[k];
	return env;
}

/* Feeds conf to in and reads out into *ret until the plugin closes it. */
static int exchange(int in, int out, const char *conf, size_t len, char **ret, size_t *ret_len)
{
	size_t sent = 0, got = 0, cap = 4096;
	char *buf = malloc(cap);
	bool over = false;

	if (!buf)
		return -ENOMEM;
	if (!len) {
		close(in);
		in = -1;
	}
	for (;;) {
		struct pollfd pf[2] = {{out, POLLIN, 0}, {in, POLLOUT, 0}};
		ssize_t n;

		if (poll(pf, in >= 0 ? 2 : 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (in >= 0 && pf[1].revents) {
			n = write(in, conf + sent, len - sent);
			if (n > 0)
				sent += (size_t)n;
			if (n < 0 || sent == len) {
				close(in);
				in = -1;
			}
		}
		if (!pf[0].revents)
			continue;
		if (got == cap && !over) {
			char *nb = cap >= OUT_MAX ? NULL : realloc(buf, cap * 2);

			if (nb) {
				buf = nb;
				cap *= 2;
			} else {
				over = true;
			}
		}
		if (over) {
			char sink[4096];

			n = read(out, sink, sizeof(sink));
		} else {
			n = read(out, buf + got, cap - got);
			if (n > 0)
				got += (size_t)n;
		}
		if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN))
			break;
	}
	if (in >= 0)
		close(in);
	if (over) {
		free(buf);
		return -EFBIG;
	}
	*ret = buf;
	*ret_len = got;
	return 0;
}

int cni_delegate_run(const char *type, const char *command, const char *conf, size_t len,
		     char **out, size_t *out_len, struct nsnet_error *err, void *data)
{
	char path[4096], *own = NULL;
	int in[2] = {-1, -1}, res[2] = {-1, -1}, status = 0, r;
	char **env;
	pid_t pid = -1;

	(void)data;
	*out = NULL;
	*out_len = 0;
	r = find(type, path, sizeof(path), err);
	if (r < 0)
		return r;
	env = environment(command, &own);
	if (!env)
		return failed(err, -ENOMEM, "ipam plugin '%s': %s", type, "out of memory");
	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(res, O_CLOEXEC) < 0 || (pid = fork()) < 0)
		r = -errno;
	if (pid == 0) {
		char *argv[] = {path, NULL};

		/* stderr stays ours: the spec wants the delegate's there. */
		if (dup2(in[0], STDIN_FILENO) < 0 || dup2(res[1], STDOUT_FILENO) < 0)
			_exit(127);
		signal(SIGPIPE, SIG_DFL);
		execve(path, argv, env);
		_exit(127);
	}
	for (int i = 0; i < 2; i++) {
		int *keep = i ? &res[0] : &in[1], *drop = i ? &res[1] : &in[0];

		if (*drop >= 0)
			close(*drop);
		if (r < 0 && *keep >= 0)
			close(*keep);
	}
	if (r >= 0) {
		r = exchange(in[1], res[0], conf, len, out, out_len);
		close(res[0]);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	free(own);
	free(env);
	if (r < 0)
		return failed(err, r, "ipam plugin %.512s: %s", path, strerror(-r));
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
