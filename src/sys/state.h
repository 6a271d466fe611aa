/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The state directory (/run/nsnet unless the context says otherwise): per
 * topology NAME a lock, NAME.lock; the file its last `up` was given,
 * NAME.json; and the journal of creations under way, NAME.pending. All of it
 * is a convenience: ownership lives on the kernel objects (core/owner.h), so
 * losing the directory (a reboot, a wipe) loses nothing `down` needs.
 *
 * Everything here is read as untrusted: every open is O_NOFOLLOW|O_NONBLOCK
 * and then checked to be a regular file owned by root of a bounded size, so a
 * symlink, FIFO, directory or huge file in the directory makes the command
 * fail at once with the path and what to do, never hang or follow it.
 * Read-only commands open the directory without creating it, take no lock
 * and never write, rename or remove anything in it.
 */
#ifndef NSNET_STATE_H
#define NSNET_STATE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/name.h"

#define STATE_DIR_DEFAULT "/run/nsnet"
#define STATE_JSON_MAX (64 * 1024)
#define STATE_JOURNAL_MAX (8 * 1024 * 1024)

/*
 * Opens the state directory dir, refusing anything but a directory of
 * root's that only root may write; create: make it first (writers only).
 * -ENOENT when it does not exist and create is false.
 */
int state_dir_open(const char *dir, bool create, int *ret_fd, struct error *err);

/* Blocks until the lock of topo is ours; *ret_fd holds it. */
int lock_take(const char *dir, const char *topo, int *ret_fd, struct error *err);
/*
 * The same, waiting at most timeout_ms (0: forever); -ETIMEDOUT when another
 * holder kept it that long. For callers that can tell theirs to retry (CNI's
 * code 11) rather than hang behind a stopped process.
 */
int lock_take_within(const char *dir, const char *topo, unsigned timeout_ms, int *ret_fd,
		     struct error *err);
/* Releases the lock; with remove, first unlinks the lock file (it is ours while held). */
void lock_release(const char *dir, const char *topo, int fd, bool remove);

/* The file topo's last `up` recorded, into buf; -ENOENT when nothing is recorded. */
int state_read(const char *dir, const char *topo, char *buf, size_t len, struct error *err);
/* Whether something is recorded for topo (a NAME.json entry of any kind). */
bool state_exists(const char *dir, const char *topo);

/*
 * Recording is two steps so that nothing can fail after the kernel changed
 * but the rename: state_prepare (before the first change) writes NAME.json.tmp
 * in full and checks that NAME.json can be replaced; state_commit renames it
 * into place; state_abort removes what prepare wrote.
 */
struct state_txn {
	int dirfd;
	char tmp[NETNS_NAME_MAX + 16];
	char path[NETNS_NAME_MAX + 16];
	char dir[PATH_MAX];
};
int state_prepare(const char *dir, const char *topo, const char *file, struct state_txn *txn,
		  struct error *err);
int state_commit(struct state_txn *txn, struct error *err);
void state_abort(struct state_txn *txn);
/* Removes topo's NAME.json (after down); only a regular file is removed. */
void state_remove(const char *dir, const char *topo);

/*
 * Notes, KEY.sysctl ("net.ipv6.conf.eth0.force_forwarding.sysctl"): the value
 * a setting of the host that is not nsnet's had before nsnet first changed
 * it, so that the `down` after which no topology needs it puts it back
 * (core/plan-sysctl.c). Shared by the topologies: made with link() so that of
 * two runs changing it at once, the first note (the true old value) stays.
 *
 * state_note_keep writes the note unless one exists (*ret_made says whether
 * this call made it); state_note_read gives the noted value, -1 for none (a
 * file that is no note of nsnet's is an error naming it); state_note_drop
 * removes it. Writers count for fault injection like the record.
 */
int state_note_keep(const char *dir, const char *key, int old, bool *ret_made, struct error *err);
int state_note_read(const char *dir, const char *key, int *ret_old, struct error *err);
int state_note_drop(const char *dir, const char *key, struct error *err);

/*
 * The journal, NAME.pending, one line per creation, written before the
 * object exists:
 *   "ns NAME MARK"  a namespace: its /run/netns placeholder appears carrying
 *                   MARK (its modification time, see netns_add_open), so a
 *                   placeholder a killed run left is removed only when the
 *                   mark proves it was this run's, never "whatever the
 *                   journal names";
 *   "link NAME"     a host link: the kernel takes the alias (our mark) only
 *                   after creation, so a link made by nsnet (link group) but
 *                   not yet marked is claimed only by the topology whose
 *                   journal names it, never by another topology running at
 *                   the same time.
 * Only a run holding the topology's lock writes, replays or clears it.
 */
enum pending_kind {
	PENDING_NS,
	PENDING_LINK,
};

struct journal {
	char dir[PATH_MAX];
	char topo[NETNS_NAME_MAX + 1];
	int fd; /* -1 until the first line */
};
void journal_init(struct journal *j, const char *dir, const char *topo);
int journal_add(struct journal *j, enum pending_kind kind, const char *name, uint64_t mark,
		struct error *err);
/* Closes the journal and removes it (the run completed). */
void journal_clear(struct journal *j);
/* Calls fn for every well-formed entry of topo's journal; a bad file is an error. */
int journal_read(const char *dir, const char *topo,
		 void (*fn)(enum pending_kind kind, const char *name, uint64_t mark, void *data),
		 void *data, struct error *err);

/*
 * The same care for the other files nsnet keeps (CNI attachment records,
 * leases): name in the open directory dirfd (dir names it in messages),
 * never a link followed, never blocking, a regular file of nsnet's user of
 * at most max bytes; -ENOENT when it is not there.
 */
int state_file_open(int dirfd, const char *dir, const char *name, int flags, size_t max,
		    int *ret_fd, struct error *err);
/* All of fd (at most max bytes) into a new NUL-terminated buffer; -errno. */
int state_file_read(int fd, size_t max, char **ret, size_t *ret_len);
/* Unlinks name in dirfd if it is a regular file (nothing else there is nsnet's). */
bool state_file_remove(int dirfd, const char *name);

#endif
