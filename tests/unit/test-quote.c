// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Quoting for nft and for the shell (core/quote.h), with hostile input: what
 * nft cannot take is refused, never passed on; and every word a shell is
 * given comes back from a real shell (tests/unit/shell-oracle.h) exactly as
 * it went in, one word, nothing run. And text of any bytes becomes a JSON
 * string (core/json-text.h), its odd bytes visible.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/json-text.h"
#include "core/quote.h"
#include "shell-oracle.h"

static void nft_ok(const char *s, enum quote_nft_kind kind, const char *want)
{
	char buf[512];
	struct error err = {0};

	if (quote_nft(s, kind, buf, sizeof(buf), "bridge", &err) < 0)
		fail_msg("'%s' refused: %s", s, err.msg);
	assert_string_equal(buf, want);
}

static void nft_refused(const char *s, enum quote_nft_kind kind, const char *msg)
{
	char buf[512] = "untouched";
	struct error err = {0};

	assert_int_equal(quote_nft(s, kind, buf, sizeof(buf), "bridge", &err), -EINVAL);
	assert_int_equal(err.kind, ERROR_INPUT);
	assert_string_equal(buf, "");
	if (!strstr(err.msg, msg))
		fail_msg("'%s': message '%s' lacks '%s'", s, err.msg, msg);
}

static void test_nft_string(void **state)
{
	char buf[8];

	(void)state;
	nft_ok("v-net-0", QUOTE_NFT_STRING, "\"v-net-0\"");
	/* Inside nft's quotes these are plain bytes: no expansion, no separator. */
	nft_ok("$(id)", QUOTE_NFT_STRING, "\"$(id)\"");
	nft_ok(";", QUOTE_NFT_STRING, "\";\"");
	nft_ok("{", QUOTE_NFT_STRING, "\"{\"");
	nft_ok("a b,c@d", QUOTE_NFT_STRING, "\"a b,c@d\"");
	nft_ok("", QUOTE_NFT_STRING, "\"\"");
	/* The bridge: it would have put eth0 into our set of bridges. */
	nft_refused("a\",\"eth0", QUOTE_NFT_STRING,
		    "bridge 'a\",\"eth0': byte 0x22 cannot be written in an nft string");
	nft_refused("\"", QUOTE_NFT_STRING, "0x22");
	nft_refused("br\"x", QUOTE_NFT_STRING, "0x22");
	nft_refused("a\\", QUOTE_NFT_STRING, "0x5c");
	nft_refused("a\nb", QUOTE_NFT_STRING, "0x0a");
	nft_refused("\x1b[31m", QUOTE_NFT_STRING, "0x1b");
	nft_refused("a\x7f", QUOTE_NFT_STRING, "0x7f");
	/* Too small a buffer is not a silent truncation. */
	assert_int_equal(quote_nft("v-net-0", QUOTE_NFT_STRING, buf, sizeof(buf), NULL, NULL),
			 -ENOBUFS);
	assert_string_equal(buf, "");
}

static void test_nft_ident(void **state)
{
	char long_name[QUOTE_NFT_IDENT_MAX + 2];

	(void)state;
	nft_ok("nsnet-tutorial", QUOTE_NFT_IDENT, "nsnet-tutorial");
	nft_ok("DOCKER-USER", QUOTE_NFT_IDENT, "DOCKER-USER");
	nft_ok("_x.y/z-1", QUOTE_NFT_IDENT, "_x.y/z-1");
	nft_ok(".hidden", QUOTE_NFT_IDENT, ".hidden");
	/* nft takes no quoted string where a name goes: what is not one token is refused. */
	nft_refused("x\"; flush ruleset; \"", QUOTE_NFT_IDENT, "byte 0x22");
	nft_refused("x; flush ruleset", QUOTE_NFT_IDENT, "byte 0x3b");
	nft_refused("$(id)", QUOTE_NFT_IDENT, "byte 0x24");
	nft_refused("a b", QUOTE_NFT_IDENT, "byte 0x20");
	nft_refused("{", QUOTE_NFT_IDENT, "byte 0x7b");
	nft_refused("@set", QUOTE_NFT_IDENT, "byte 0x40");
	nft_refused("-x", QUOTE_NFT_IDENT, "byte 0x2d");
	nft_refused("/x", QUOTE_NFT_IDENT, "byte 0x2f");
	nft_refused("3x", QUOTE_NFT_IDENT, "byte 0x33");
	nft_refused("a\nb", QUOTE_NFT_IDENT, "byte 0x0a");
	nft_refused("", QUOTE_NFT_IDENT, "1 to 255 bytes");
	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	nft_refused(long_name, QUOTE_NFT_IDENT, "1 to 255 bytes");
	long_name[QUOTE_NFT_IDENT_MAX] = '\0';
	{
		char buf[QUOTE_NFT_IDENT_MAX + 1];

		assert_int_equal(
			quote_nft(long_name, QUOTE_NFT_IDENT, buf, sizeof(buf), NULL, NULL), 0);
	}
}

/* Every byte, alone and inside a name: refused, or written exactly as nft reads it back. */
static void test_nft_every_byte(void **state)
{
	(void)state;
	for (int c = 1; c < 256; c++) {
		char s[4] = {'a', (char)c, 'b', 0}, buf[16];
		int r = quote_nft(s, QUOTE_NFT_STRING, buf, sizeof(buf), NULL, NULL);
		bool bad = c == '"' || c == '\\' || c < 0x20 || c == 0x7f;

		assert_int_equal(r, bad ? -EINVAL : 0);
		if (!bad) {
			assert_int_equal(strlen(buf), 5);
			assert_int_equal(buf[0], '"');
			assert_int_equal(buf[4], '"');
			assert_memory_equal(buf + 1, s, 3);
		}
		r = quote_nft(s, QUOTE_NFT_IDENT, buf, sizeof(buf), NULL, NULL);
		bad = !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			(c >= '0' && c <= '9') || strchr("_./-", c));
		assert_int_equal(r, bad ? -EINVAL : 0);
	}
}

static void shell_is(const char *s, const char *want)
{
	char buf[256];

	assert_int_equal(quote_shell(s, buf, sizeof(buf)), 0);
	assert_string_equal(buf, want);
}

static void test_shell(void **state)
{
	char buf[8];

	(void)state;
	shell_is("v-net-0", "v-net-0");
	shell_is("net.ipv4.conf.all.rp_filter=2", "net.ipv4.conf.all.rp_filter=2");
	shell_is("192.168.15.0/24", "192.168.15.0/24");
	shell_is("", "''");
	shell_is("a b", "'a b'");
	shell_is("it's", "'it'\\''s'");
	shell_is("$(touch PWNED)", "'$(touch PWNED)'");
	shell_is("~root", "'~root'");
	shell_is("*", "'*'");
	assert_int_equal(quote_shell("a\nb", buf, sizeof(buf)), -EINVAL);
	assert_int_equal(quote_shell("\x1b[2J", buf, sizeof(buf)), -EINVAL);
	assert_string_equal(buf, "");
	assert_int_equal(quote_shell("too long for it", buf, sizeof(buf)), -ENOBUFS);
	assert_string_equal(buf, "");
}

static void argv_is(const char *const *argv, const char *want)
{
	char buf[512];

	assert_int_equal(quote_shell_argv(argv, buf, sizeof(buf)), 0);
	assert_string_equal(buf, want);
}

static void test_shell_argv(void **state)
{
	static const char *const nft[] = {"nft", "insert rule inet x f iifname \"v\" accept", NULL};
	static const char *const assign[] = {"X=1", "id", NULL};
	static const char *const bad[] = {"ip", "link", "a\tb", NULL};
	char buf[512], small[12];

	(void)state;
	argv_is(nft, "nft 'insert rule inet x f iifname \"v\" accept'");
	/* As the first word, '=' would make an assignment and run the next word. */
	argv_is(assign, "'X=1' id");
	assert_int_equal(quote_shell_argv(bad, buf, sizeof(buf)), -EINVAL);
	assert_string_equal(buf, "");
	assert_int_equal(quote_shell_argv(nft, small, sizeof(small)), -ENOBUFS);
	assert_string_equal(small, "");
}

/* Hostile words through a real shell: each comes back as one word, unchanged, nothing run. */
static void test_shell_oracle(void **state)
{
	static const char *const words[] = {
		"$(touch PWNED)",
		"`touch PWNED`",
		"; touch PWNED",
		"&& touch PWNED",
		"| touch PWNED",
		"> PWNED",
		"a'b",
		"'",
		"''",
		"\"",
		"\\",
		"\\'",
		"{a,b}",
		"*",
		"?",
		"[a]",
		"~",
		"#c",
		"!x",
		"$HOME",
		"${x:-y}",
		"a b  c",
		"",
		"-n",
		"--",
		"x=1",
		"\xc3\xa9",
		"a\",\"eth0",
		"x\"; flush ruleset; \"",
	};
	static const char *const first[] = {"nft", "ip", "sysctl"};
	char line[256], script[16384] = "";
	const char *argv[4];
	const char *const *want[ARRAY_SIZE(words) * 2 + 1];
	const char *lists[ARRAY_SIZE(words) * 2][4];
	size_t n = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(words); i++) {
		for (size_t k = 0; k < 2; k++) {
			argv[0] = first[(i + k) % 3];
			argv[1] = k ? "dev" : words[i];
			argv[2] = k ? words[i] : NULL;
			argv[3] = NULL;
			assert_int_equal(quote_shell_argv(argv, line, sizeof(line)), 0);
			strcat(script, n ? "; " : "");
			strcat(script, line);
			memcpy(lists[n], argv, sizeof(argv));
			want[n] = lists[n];
			n++;
		}
	}
	want[n] = NULL;
	shell_oracle_expect(script, want);
}

/* The oracle itself: an injection, a word split in two, a command too many are caught. */
static void test_oracle_fails(void **state)
{
	static const char *const one[] = {"ip", "a b", NULL};
	static const char *const *want[] = {one, NULL};
	char why[512];

	(void)state;
	assert_false(shell_oracle_check("ip $(touch PWNED)", want, why, sizeof(why)));
	assert_string_equal(why, "the shell ran something: it made 'PWNED'");
	assert_false(shell_oracle_check("ip a b", want, why, sizeof(why)));
	assert_string_equal(why, "command 1 word 1: got 'a', want 'a b'");
	assert_false(shell_oracle_check("ip 'a b'; ip", want, why, sizeof(why)));
	assert_string_equal(why, "an extra command 2");
	assert_false(shell_oracle_check("ip a", want, why, sizeof(why)));
	assert_true(shell_oracle_check("ip 'a b'", want, why, sizeof(why)));
}

/* Every byte but the control bytes, in a word: the shell gives it back as it was. */
static void test_shell_every_byte(void **state)
{
	static char words[256][4];
	static const char *lists[256][3];
	const char *const *want[257];
	char script[16384] = "", line[32];
	size_t n = 0;

	(void)state;
	for (int c = 1; c < 256; c++) {
		const char *argv[3] = {"ip", words[n], NULL};

		words[n][0] = 'a';
		words[n][1] = (char)c;
		words[n][2] = 'b';
		if (c < 0x20 || c == 0x7f) {
			assert_int_equal(quote_shell_argv(argv, line, sizeof(line)), -EINVAL);
			continue;
		}
		assert_int_equal(quote_shell_argv(argv, line, sizeof(line)), 0);
		strcat(script, n ? "\n" : "");
		strcat(script, line);
		lists[n][0] = "ip";
		lists[n][1] = words[n];
		want[n] = lists[n];
		n++;
	}
	want[n] = NULL;
	shell_oracle_expect(script, want);
}

static void text_is(const char *in, const char *want)
{
	json_t *j = json_text(in);

	assert_non_null(j);
	assert_string_equal(json_string_value(j), want);
	json_decref(j);
}

static void test_json_text(void **state)
{
	char all[256];
	json_t *j;

	assert_true(utf8_valid(""));
	assert_true(utf8_valid("eth0 \xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xa7"));
	text_is("eth0 \xc3\xa9\xe2\x82\xac", "eth0 \xc3\xa9\xe2\x82\xac");
	text_is("d\xfe", "d\\xfe");
	text_is("\xc0\xaf", "\\xc0\\xaf");	      /* overlong '/' */
	text_is("\xed\xa0\x80", "\\xed\\xa0\\x80"); /* a surrogate */
	text_is("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80"); /* above U+10FFFF */
	text_is("ok\xe2\x82", "ok\\xe2\\x82");	      /* cut inside a sequence */
	text_is("\xe2\x82\xac\x80x", "\xe2\x82\xac\\x80x");
	assert_false(text_has_control("eth0 \xc3\xa9"));
	assert_true(text_has_control("a\x1b[0m"));
	assert_true(text_has_control("a\x7f"));
	j = json_text(NULL);
	assert_true(json_is_null(j));
	/* Every byte: always a string, never NULL (jansson's json_string is, for half of them). */
	for (int c = 1; c < 256; c++)
		all[c - 1] = (char)c;
	all[255] = '\0';
	assert_false(utf8_valid(all));
	j = json_text(all);
	assert_non_null(j);
	assert_true(utf8_valid(json_string_value(j)));
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nft_string),	 cmocka_unit_test(test_nft_ident),
		cmocka_unit_test(test_nft_every_byte),	 cmocka_unit_test(test_shell),
		cmocka_unit_test(test_shell_argv),	 cmocka_unit_test(test_shell_oracle),
		cmocka_unit_test(test_shell_every_byte), cmocka_unit_test(test_oracle_fails),
		cmocka_unit_test(test_json_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
