/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * For the unit tests: what a real shell makes of the commands nsnet prints.
 * The script runs under /bin/sh with globbing off, in an empty directory of
 * its own, after a preamble that turns each command nsnet prints (nft, ip,
 * sysctl) into a function recording its words; anything else the script
 * would run runs for real, so `$(touch PWNED)` leaves a file there, which
 * fails the check. What the shell recorded must be exactly the argv lists
 * the test expects, command by command.
 */
#ifndef NSNET_TEST_SHELL_ORACLE_H
#define NSNET_TEST_SHELL_ORACLE_H

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

/* Each recorded command starts with a record "C", each word is "A<word>"; NUL after each. */
static const char shell_oracle_preamble[] =
	"set -f\n"
	"w() { printf 'C\\0'; for a in \"$@\"; do printf 'A%s\\0' \"$a\"; done; }\n"
	"nft() { w nft \"$@\"; }\n"
	"ip() { w ip \"$@\"; }\n"
	"sysctl() { w sysctl \"$@\"; }\n";

/*
 * Runs script; the records it printed (malloc'ed, *len bytes). *made: the
 * name of a file the script left behind ("" when none); removed.
 */
static char *shell_oracle_run(const char *script, size_t *len, char made[256])
{
	char dir[] = "/tmp/nsnet-oracle.XXXXXX", path[64], cmd[160];
	size_t cap = 4096, n = 0, got;
	char *out = malloc(cap);
	struct dirent *e;
	FILE *f, *p;
	DIR *d;

	made[0] = '\0';
	assert_non_null(out);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s.sh", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(shell_oracle_preamble, f);
	fputs(script, f);
	fputs("\n", f);
	assert_int_equal(fclose(f), 0);
	snprintf(cmd, sizeof(cmd), "cd %s && /bin/sh %s", dir, path);
	p = popen(cmd, "r");
	assert_non_null(p);
	while ((got = fread(out + n, 1, cap - n, p)) > 0) {
		n += got;
		if (n == cap) {
			out = realloc(out, cap *= 2);
			assert_non_null(out);
		}
	}
	if (pclose(p) != 0)
		fail_msg("the shell failed on: %s", script);
	unlink(path);
	d = opendir(dir);
	assert_non_null(d);
	while ((e = readdir(d))) {
		char file[320];

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(made, 256, "%s", e->d_name);
		snprintf(file, sizeof(file), "%s/%s", dir, e->d_name);
		unlink(file);
	}
	closedir(d);
	assert_int_equal(rmdir(dir), 0);
	*len = n;
	return out;
}

/*
 * Whether the shell, given script, runs exactly the commands want (a
 * NULL-terminated list of NULL-terminated argv lists) and nothing else; if
 * not, what differs, into why.
 */
static bool shell_oracle_check(const char *script, const char *const *const *want, char *why,
			       size_t len)
{
	size_t n, at = 0, c = 0, w = 0;
	char made[256];
	char *out = shell_oracle_run(script, &n, made);
	bool ok = false;

	if (made[0]) {
		snprintf(why, len, "the shell ran something: it made '%s'", made);
		goto out;
	}
	while (at < n) {
		const char *rec = out + at;

		at += strlen(rec) + 1;
		if (rec[0] == 'C') {
			if (c && want[c - 1][w]) {
				snprintf(why, len, "command %zu: word %zu '%s' missing", c, w,
					 want[c - 1][w]);
				goto out;
			}
			if (!want[c]) {
				snprintf(why, len, "an extra command %zu", c + 1);
				goto out;
			}
			c++;
			w = 0;
			continue;
		}
		if (rec[0] != 'A' || !c || !want[c - 1][w]) {
			snprintf(why, len, "command %zu: extra word '%s'", c, rec + 1);
			goto out;
		}
		if (strcmp(want[c - 1][w], rec + 1) != 0) {
			snprintf(why, len, "command %zu word %zu: got '%s', want '%s'", c, w,
				 rec + 1, want[c - 1][w]);
			goto out;
		}
		w++;
	}
	if (c && want[c - 1][w])
		snprintf(why, len, "command %zu: word %zu '%s' missing", c, w, want[c - 1][w]);
	else if (want[c])
		snprintf(why, len, "command %zu missing", c + 1);
	else
		ok = true;
out:
	free(out);
	return ok;
}

static void shell_oracle_expect(const char *script, const char *const *const *want)
{
	char why[512];

	if (!shell_oracle_check(script, want, why, sizeof(why)))
		fail_msg("%s (script: %s)", why, script);
}

#endif
