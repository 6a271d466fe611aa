// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The OVSDB transport (see ovsdb-client.h). The socket is non-blocking and
 * every call runs against a deadline with poll, so a server that accepts and
 * never answers costs a timeout, not a hang. Incoming bytes collect in one
 * buffer (capped at OVSDB_MSG_MAX); ovsdb_scan_next finds where each message
 * ends without rescanning what it has seen.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "core/name.h"
#include "fault.h"
#include "ovsdb-client.h"

#define READ_CHUNK 65536

struct ovsdb_client {
	int fd;
	uint64_t next_id;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char *buf;
	size_t len, cap;
	struct ovsdb_scan scan;
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Milliseconds left before deadline, for poll: 0 when it has passed. */
static int left(int64_t deadline)
{
	int64_t d = deadline - now_ms();

	return d < 0 ? 0 : d > 1000000000 ? 1000000000 : (int)d;
}

static int unreachable(struct error *err, int code, const char *path)
{
	return error_set(err, code,
			 "cannot reach OVSDB at %s: %s: start Open vSwitch (ovsdb-server)", path,
			 strerror(-code));
}

static int parse_target(const char *target, char *path, size_t len, struct error *err)
{
	const char *p;

	if (strncmp(target, "unix:", 5) != 0) {
		const char *colon = strchr(target, ':');
		char q[128];

		name_escape(target, q, sizeof(q));
		if (!colon)
			return error_input(err, -EINVAL,
					   "OVSDB target '%s': not of the form unix:PATH", q);
		return error_input(err, -EPROTONOSUPPORT,
				   "OVSDB target '%s': only unix:PATH is supported, not '%.*s:'", q,
				   (int)(colon - target > 16 ? 16 : colon - target), target);
	}
	p = target + 5;
	if (!*p || strlen(p) >= len) {
		char q[128];

		name_escape(target, q, sizeof(q));
		return error_input(err, -EINVAL, "OVSDB target '%s': the path is %s", q,
				   *p ? "too long" : "empty");
	}
	memcpy(path, p, strlen(p) + 1);
	return 0;
}

int ovsdb_client_connect(const char *target, int timeout_ms, struct ovsdb_client **ret,
			 struct error *err)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct ovsdb_client *c;
	int64_t deadline = now_ms() + timeout_ms;
	int r;

	c = calloc(1, sizeof(*c));
	if (!c)
		return error_set(err, -ENOMEM, "OVSDB client: out of memory");
	c->fd = -1;
	c->next_id = 1;
	r = parse_target(target, c->path, sizeof(c->path), err);
	if (r < 0)
		goto fail;
	memcpy(sa.sun_path, c->path, strlen(c->path) + 1);
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0) {
		r = error_errno(err, -errno, "OVSDB client: socket");
		goto fail;
	}
	/* A unix stream connect never is in progress: EAGAIN means the backlog is full. */
	while (connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		if ((errno != EAGAIN && errno != EINTR) || left(deadline) == 0) {
			r = unreachable(err, -errno, c->path);
			goto fail;
		}
		poll(NULL, 0, 10);
	}
	*ret = c;
	return 0;
fail:
	ovsdb_client_free(c);
	return r;
}

void ovsdb_client_free(struct ovsdb_client *c)
{
	if (!c)
		return;
	if (c->fd >= 0)
		close(c->fd);
	free(c->buf);
	free(c);
}

const char *ovsdb_client_path(const struct ovsdb_client *c)
{
	return c->path;
}

static int wait_fd(struct ovsdb_client *c, short events, int64_t deadline, const char *what,
		   struct error *err)
{
	struct pollfd p = {.fd = c->fd, .events = events};
	int n;

	do {
		n = poll(&p, 1, left(deadline));
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return error_errno(err, -errno, "OVSDB at %s: poll", c->path);
	if (n == 0)
		return error_set(err, -ETIMEDOUT, "OVSDB at %s: no reply to '%s' in time", c->path,
				 what);
	return 0;
}

static int send_all(struct ovsdb_client *c, const char *s, int64_t deadline, const char *what,
		    struct error *err)
{
	size_t len = strlen(s), off = 0;

	while (off < len) {
		ssize_t n = send(c->fd, s + off, len - off, MSG_NOSIGNAL | MSG_DONTWAIT);
		int r;

		if (n >= 0) {
			off += (size_t)n;
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN)
			return error_errno(err, -errno, "OVSDB at %s: sending '%s'", c->path, what);
		r = wait_fd(c, POLLOUT, deadline, what, err);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Reads what the socket has into the buffer; waits for it until deadline. */
static int fill(struct ovsdb_client *c, int64_t deadline, const char *what, struct error *err)
{
	ssize_t n;
	int r;

	if (c->len >= OVSDB_MSG_MAX)
		return error_set(err, -EMSGSIZE, "OVSDB at %s: a message over %u bytes", c->path,
				 OVSDB_MSG_MAX);
	if (c->cap - c->len < READ_CHUNK) {
		size_t cap = c->cap ? c->cap * 2 : READ_CHUNK * 2;
		char *b = realloc(c->buf, cap);

		if (!b)
			return error_set(err, -ENOMEM, "OVSDB client: out of memory");
		c->buf = b;
		c->cap = cap;
	}
	for (;;) {
		n = recv(c->fd, c->buf + c->len, c->cap - c->len, MSG_DONTWAIT);
		if (n > 0) {
			c->len += (size_t)n;
			return 0;
		}
		if (n == 0)
			return error_set(err, -ECONNRESET, "OVSDB at %s closed the connection",
					 c->path);
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN)
			return error_errno(err, -errno, "OVSDB at %s: receiving", c->path);
		r = wait_fd(c, POLLIN, deadline, what, err);
		if (r < 0)
			return r;
	}
}

/* Reads messages until the reply to id; answers echo requests on the way. */
static int recv_reply(struct ovsdb_client *c, uint64_t id, int64_t deadline, const char *what,
		      struct ovsdb_msg *ret, struct error *err)
{
	for (;;) {
		struct ovsdb_msg m = {0};
		size_t end;
		int r = ovsdb_scan_next(&c->scan, c->buf, c->len, &end, err);

		if (r == 0) {
			r = fill(c, deadline, what, err);
			if (r < 0)
				return r;
			continue;
		}
		if (r < 0)
			return error_prefix(err, "OVSDB at %s", c->path);
		r = ovsdb_msg_parse(c->buf, end, &m, err);
		memmove(c->buf, c->buf + end, c->len - end);
		c->len -= end;
		if (r < 0)
			return error_prefix(err, "OVSDB at %s", c->path);
		if (ovsdb_msg_is_reply_to(&m, id)) {
			*ret = m;
			return 0;
		}
		if (m.kind == OVSDB_MSG_REQUEST && strcmp(m.method, "echo") == 0) {
			_cleanup_free_ char *text = NULL;

			r = ovsdb_echo_reply(&m, &text, err);
			if (r >= 0)
				r = send_all(c, text, deadline, "echo", err);
			if (r < 0) {
				ovsdb_msg_clear(&m);
				return r;
			}
		}
		/* Notifications (update, locked, stolen) and stale replies are not ours. */
		ovsdb_msg_clear(&m);
	}
}

static int exchange(struct ovsdb_client *c, const char *text, uint64_t id, int64_t deadline,
		    const char *what, struct ovsdb_msg *ret, struct error *err)
{
	int r = send_all(c, text, deadline, what, err);

	return r < 0 ? r : recv_reply(c, id, deadline, what, ret, err);
}

int ovsdb_client_call(struct ovsdb_client *c, const char *method, json_t *params, int timeout_ms,
		      struct ovsdb_msg *ret, struct error *err)
{
	_cleanup_free_ char *text = NULL;
	uint64_t id = c->next_id++;
	int r = ovsdb_request(method, params, id, &text, err);

	if (r < 0)
		return r;
	return exchange(c, text, id, now_ms() + timeout_ms, method, ret, err);
}

static int transact_until(struct ovsdb_client *c, const struct ovsdb_txn *t, int64_t deadline,
			  struct ovsdb_msg *ret, struct error *err)
{
	_cleanup_free_ char *text = NULL;
	struct ovsdb_msg m = {0};
	uint64_t id = c->next_id++;
	int r = ovsdb_txn_request(t, id, &text, err);

	if (r >= 0)
		r = exchange(c, text, id, deadline, "transact", &m, err);
	if (r < 0)
		return r;
	r = ovsdb_txn_reply_check(t, &m, err);
	if (r < 0) {
		ovsdb_msg_clear(&m);
		return r;
	}
	*ret = m;
	return 0;
}

int ovsdb_client_transact(struct ovsdb_client *c, const struct ovsdb_txn *t, int timeout_ms,
			  struct ovsdb_msg *ret, struct error *err)
{
	return transact_until(c, t, now_ms() + timeout_ms, ret, err);
}

int ovsdb_client_lock_held(struct ovsdb_client *c, const char *name, int timeout_ms, bool *ret,
			   struct error *err)
{
	struct ovsdb_msg m = {0};
	bool locked;
	int r;

	r = ovsdb_client_call(c, "lock", json_pack("[s]", name), timeout_ms, &m, err);
	if (r >= 0)
		r = ovsdb_result_locked(&m, &locked, err);
	ovsdb_msg_clear(&m);
	if (r < 0)
		return r;
	/* Given back either way: held, we would be granted it when its holder lets go. */
	r = ovsdb_client_call(c, "unlock", json_pack("[s]", name), timeout_ms, &m, err);
	if (r >= 0 && m.error)
		r = error_set(err, -EREMOTEIO, "OVSDB at %s: unlock '%s' failed", c->path, name);
	ovsdb_msg_clear(&m);
	if (r < 0)
		return r;
	*ret = !locked;
	return 0;
}

/* One Open_vSwitch row's integer column from a select result. */
static int root_int(const struct ovsdb_msg *m, size_t op, const char *column, int64_t *ret,
		    struct error *err)
{
	json_t *rows, *v;
	int r = ovsdb_result_rows(m, op, &rows, err);

	if (r < 0)
		return r;
	if (json_array_size(rows) != 1)
		return error_set(err, -ENOENT,
				 "OVSDB: %zu rows in table 'Open_vSwitch', not 1 (initialize the "
				 "database: ovs-vsctl init)",
				 json_array_size(rows));
	v = json_object_get(json_array_get(rows, 0), column);
	if (!json_is_integer(v))
		return error_set(err, -EBADMSG, "OVSDB reply: Open_vSwitch '%s' is no integer",
				 column);
	*ret = json_integer_value(v);
	return 0;
}

static int applied_timeout(struct error *err, int timeout_ms)
{
	return error_set(err, -ETIMEDOUT,
			 "ovs-vswitchd did not apply the change within %g s (is it running?)",
			 timeout_ms / 1000.0);
}

/* Waits until cur_cfg >= target: each round holds a wait on cur_cfg changing from seen. */
static int wait_cur_cfg(struct ovsdb_client *c, int64_t target, int64_t seen, int64_t deadline,
			int timeout_ms, struct error *err)
{
	static const char *const cur[] = {"cur_cfg", NULL};

	while (seen < target) {
		_cleanup_ovsdb_txn_ struct ovsdb_txn *t = ovsdb_txn_new(OVSDB_DB);
		struct ovsdb_msg m = {0};
		/* The server's wait ends first; our deadline only guards against a mute server. */
		int server_ms = left(deadline), r;

		if (!t)
			return error_set(err, -ENOMEM, "OVSDB client: out of memory");
		if (server_ms == 0)
			return applied_timeout(err, timeout_ms);
		ovsdb_txn_wait(t, "Open_vSwitch", NULL, cur, OVSDB_UNTIL_NE,
			       json_pack("[{s:I}]", "cur_cfg", (json_int_t)seen), server_ms);
		ovsdb_txn_select(t, "Open_vSwitch", NULL, cur);
		r = transact_until(c, t, deadline + 1000, &m, err);
		if (r == -ETIMEDOUT)
			return applied_timeout(err, timeout_ms);
		if (r >= 0)
			r = root_int(&m, 1, "cur_cfg", &seen, err);
		ovsdb_msg_clear(&m);
		if (r < 0)
			return r;
	}
	return 0;
}

int ovsdb_client_commit(struct ovsdb_client *c, struct ovsdb_txn *t, int timeout_ms,
			struct ovsdb_msg *ret, struct ovsdb_cfg *ret_cfg, struct error *err)
{
	static const char *const cfg[] = {"next_cfg", "cur_cfg", NULL};
	struct ovsdb_cfg n = {0};
	struct ovsdb_msg m = {0};
	int64_t count;
	int mutate, select, r;

	mutate = ovsdb_txn_mutate(
		t, "Open_vSwitch", NULL,
		json_pack("[o]", ovsdb_mutation("next_cfg", "+=", json_integer(1))));
	/* In the same transaction: the new next_cfg, and cur_cfg before vswitchd saw it. */
	select = ovsdb_txn_select(t, "Open_vSwitch", NULL, cfg);
	if (mutate < 0 || select < 0)
		return error_set(err, -ENOMEM, "OVSDB transaction: out of memory");
	r = fault_before("OVSDB transaction", err);
	if (r < 0)
		return r;
	r = transact_until(c, t, now_ms() + timeout_ms, &m, err);
	if (r < 0)
		return r;
	fault_after();
	r = ovsdb_result_count(&m, (size_t)mutate, &count, err);
	if (r >= 0 && count != 1)
		r = error_set(err, -ENOENT,
			      "OVSDB: no Open_vSwitch row to count the change in "
			      "(initialize the database: ovs-vsctl init)");
	if (r >= 0)
		r = root_int(&m, (size_t)select, "next_cfg", &n.next, err);
	if (r >= 0)
		r = root_int(&m, (size_t)select, "cur_cfg", &n.cur, err);
	if (r < 0) {
		ovsdb_msg_clear(&m);
		return r;
	}
	if (ret)
		*ret = m;
	else
		ovsdb_msg_clear(&m);
	*ret_cfg = n;
	return 0;
}

int ovsdb_client_wait_applied(struct ovsdb_client *c, const struct ovsdb_cfg *cfg, int timeout_ms,
			      struct error *err)
{
	return wait_cur_cfg(c, cfg->next, cfg->cur, now_ms() + timeout_ms, timeout_ms, err);
}

int ovsdb_client_transact_applied(struct ovsdb_client *c, struct ovsdb_txn *t, int timeout_ms,
				  struct ovsdb_msg *ret, struct error *err)
{
	int64_t deadline = now_ms() + timeout_ms;
	struct ovsdb_msg m = {0};
	struct ovsdb_cfg cfg;
	int r = ovsdb_client_commit(c, t, timeout_ms, &m, &cfg, err);

	if (r >= 0)
		r = wait_cur_cfg(c, cfg.next, cfg.cur, deadline, timeout_ms, err);
	if (r < 0 || !ret)
		ovsdb_msg_clear(&m);
	else
		*ret = m;
	return r;
}

int ovsdb_client_observe(struct ovsdb_client *c, int timeout_ms, struct ovsdb_state **ret,
			 struct error *err)
{
	_cleanup_ovsdb_txn_ struct ovsdb_txn *t = ovsdb_txn_new(OVSDB_DB);
	struct ovsdb_msg m = {0};
	int first, r;

	if (!t || (first = ovsdb_state_select(t)) < 0)
		return error_set(err, -ENOMEM, "OVSDB client: out of memory");
	r = ovsdb_client_transact(c, t, timeout_ms, &m, err);
	if (r >= 0)
		r = ovsdb_state_parse(&m, (size_t)first, ret, err);
	ovsdb_msg_clear(&m);
	return r;
}
