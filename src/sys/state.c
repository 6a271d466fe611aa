// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/name.h"
#include "lock.h"
#include "state.h"


static void path_of(const char *topo, const char *suffix, char *buf, size_t len)
{
	snprintf(buf, len, NSNET_RUN_DIR "/%s%s", topo, suffix);
}

int state_write(const char *topo, const char *file, struct error *err)
{
	char path[sizeof(NSNET_RUN_DIR) + NETNS_NAME_MAX + 16];
	char tmp[sizeof(path) + 8];
	_cleanup_close_ int dir = run_dir_open_nsnet(err);
	json_t *o;
	char *text;
	int fd, r = 0;
	size_t len;

	if (dir < 0)
		return dir;
	path_of(topo, ".json", path, sizeof(path));
	path_of(topo, ".json.tmp", tmp, sizeof(tmp));
	o = json_pack("{s:s, s:s, s:i}", "name", topo, "file", file, "version", 1);
	text = o ? json_dumps(o, JSON_INDENT(2)) : NULL;
	json_decref(o);
	if (!text)
		return error_set(err, -ENOMEM, "out of memory");
	len = strlen(text);
	/* Written aside and renamed, so a reader never sees half a file. */
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len || write(fd, "\n", 1) != 1)
		r = error_errno(err, -errno, "write %s", tmp);
	if (fd >= 0)
		close(fd);
	free(text);
	if (r >= 0 && rename(tmp, path) < 0)
		r = error_errno(err, -errno, "rename %s", tmp);
	if (r < 0)
		(void)unlink(tmp);
	return r;
}

int state_read_file(const char *topo, char *buf, size_t len, struct error *err)
{
	char path[sizeof(NSNET_RUN_DIR) + NETNS_NAME_MAX + 16];
	json_error_t jerr;
	const char *file;
	json_t *o;

	path_of(topo, ".json", path, sizeof(path));
	if (access(path, F_OK) < 0)
		return -ENOENT;
	o = json_load_file(path, 0, &jerr);
	if (!o)
		return error_set(err, -EBADMSG, "%s: %s", path, jerr.text);
	file = json_string_value(json_object_get(o, "file"));
	snprintf(buf, len, "%s", file ? file : "");
	json_decref(o);
	return file ? 0 : error_set(err, -EBADMSG, "%s: no file recorded", path);
}

bool state_exists(const char *topo)
{
	char path[sizeof(NSNET_RUN_DIR) + NETNS_NAME_MAX + 16];

	path_of(topo, ".json", path, sizeof(path));
	return access(path, F_OK) == 0;
}

void state_remove(const char *topo)
{
	char path[sizeof(NSNET_RUN_DIR) + NETNS_NAME_MAX + 16];

	path_of(topo, ".json", path, sizeof(path));
	(void)unlink(path);
	path_of(topo, ".json.tmp", path, sizeof(path));
	(void)unlink(path);
}

/*
 * The journal stays open from its first line to state_pending_clear: an `up`
 * of 1000 namespaces writes 2000 lines. A line is in the file once write()
 * returns, which is all a killed run needs (the machine does not crash).
 */
static struct {
	char topo[NETNS_NAME_MAX + 1];
	int fd;
} journal = {.fd = -1};

static void journal_close(void)
{
	if (journal.fd >= 0)
		close(journal.fd);
	journal.fd = -1;
	journal.topo[0] = '\0';
}

int state_pending_add(const char *topo, enum pending_kind kind, const char *name,
		      struct error *err)
{
	char path[sizeof(NSNET_RUN_DIR) + NETNS_NAME_MAX + 16];
	char line[NETNS_NAME_MAX + 8];
	int n;

	path_of(topo, ".pending", path, sizeof(path));
	if (journal.fd < 0 || strcmp(journal.topo, topo) != 0) {
		_cleanup_close_ int dir = run_dir_open_nsnet(err);

		if (dir < 0)
			return dir;
		journal_close();
		journal.fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC,
				  0644);
		if (journal.fd < 0)
			return error_errno(err, -errno, "write %s", path);
		snprintf(journal.topo, sizeof(journal.topo), "%s", topo);
	}
	n = snprintf(line, sizeof(line), "%s %s\n", kind == PENDING_NS ? "ns" : "link", name);
	if (write(journal.fd, line, (size_t)n) != n)
		return error_errno(err, -errno, "write %s", path);
	return 0;
}

void state_pending_foreach(const char *topo, void (*fn)(enum pending_kind kind, const char *name,
							 void *data),
			   void *data)
{
	char path[sizeof(NSNET_RUN_DIR) + NETNS_NAME_MAX + 16];
	char line[256];
	FILE *f;

	path_of(topo, ".pending", path, sizeof(path));
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "ns ", 3) == 0 && name_netns_check(line + 3, NULL) == 0)
			fn(PENDING_NS, line + 3, data);
		else if (strncmp(line, "link ", 5) == 0 && name_ifname_check(line + 5, NULL) == 0)
			fn(PENDING_LINK, line + 5, data);
	}
	fclose(f);
}

void state_pending_clear(const char *topo)
{
	char path[sizeof(NSNET_RUN_DIR) + NETNS_NAME_MAX + 16];

	journal_close();

	path_of(topo, ".pending", path, sizeof(path));
	(void)unlink(path);
}
