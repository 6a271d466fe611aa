/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * For the unit tests: text compared with a golden file, and a line diff to
 * show what differs. With NSNET_GOLDEN_UPDATE=1 in the environment the golden
 * file is rewritten instead (check the change with git diff before committing).
 */
#ifndef NSNET_TEST_GOLDEN_H
#define NSNET_TEST_GOLDEN_H

/*
 * The lines that differ between a and b, "-" for a's, "+" for b's, with
 * context unchanged lines around each change and "@@ a:LINE b:LINE" before
 * each run; NULL when a and b are equal. malloc'ed.
 */
char *text_diff(const char *a, const char *b, unsigned context);

/*
 * NULL when actual is what the file at path holds (or was just written, in
 * update mode); else a message with the diff, malloc'ed.
 */
char *golden_check(const char *path, const char *actual);

#endif
