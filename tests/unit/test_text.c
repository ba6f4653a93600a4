/* Tests of core/text.c: what every record's text passes through. */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "pw_check.h"
#include "text.h"

static char *
clean(const char *s, int keep)
{
	return txt_clean(s, strlen(s), keep);
}

START_TEST(collapses_white_space_and_trims)
{
	char *s = clean("  Speculative\n      Decoding\t with  drafts ", 0);
	ck_assert_str_eq(s, "Speculative Decoding with drafts");
	free(s);
}

END_TEST

START_TEST(strips_control_characters)
{
	char *s = clean("a\x01"
	                "b\x7f"
	                "c\xc2\x85"
	                "d",
	                0);
	ck_assert_str_eq(s, "abcd");
	free(s);
}

END_TEST

START_TEST(replaces_invalid_utf8)
{
	char *s = clean("caf\xe9 \xc3\xa9t\xc3\xa9 \xed\xa0\x80 \xc0\xaf", 0);
	ck_assert_str_eq(
	        s, "caf\xef\xbf\xbd \xc3\xa9t\xc3\xa9 \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd");
	free(s);
}

END_TEST

START_TEST(keeps_valid_multibyte_text)
{
	char *s = clean("Schr\xc3\xb6"
	                "dinger \xe2\x80\x94 \xf0\x9f\xa4\x96 \xe6\x97\xa5\xe6\x9c\xac",
	                0);
	ck_assert_str_eq(s, "Schr\xc3\xb6"
	                    "dinger \xe2\x80\x94 \xf0\x9f\xa4\x96 \xe6\x97\xa5\xe6\x9c\xac");
	free(s);
}

END_TEST

START_TEST(keeps_newlines_when_asked)
{
	char *s = clean("Problem: x\n\n\n\nMethod:  y \n", 1);
	ck_assert_str_eq(s, "Problem: x\n\nMethod: y");
	free(s);
}

END_TEST

START_TEST(latex_and_entities_survive)
{
	char *s = clean("$O(n^2)$ & <b> \\alpha", 0);
	ck_assert_str_eq(s, "$O(n^2)$ & <b> \\alpha");
	free(s);
}

END_TEST

/* The byte-at-a-time cleaner txt_clean replaced, as a reference: the word
 * fast path must give the same bytes for any input. */
static char *
reference_clean(const unsigned char *s, size_t len, int keep)
{
	char *out = malloc(len * 3 + 1);
	size_t o = 0;
	int space = 0, newlines = 0;
	for (size_t i = 0; i < len;) {
		unsigned char c = s[i];
		if (c == '\n' && keep) {
			newlines++;
			space = 0;
			i++;
			continue;
		}
		if (c == ' ' || (c >= '\t' && c <= '\r')) {
			space = 1;
			i++;
			continue;
		}
		if (c < 0x20 || c == 0x7F) {
			i++;
			continue;
		}
		size_t n = c < 0x80 ? 1 : txt_utf8_seq_len(s + i, len - i);
		if ((n == 2 && c == 0xC2 && s[i + 1] <= 0x9F) ||
		    (n == 3 && c == 0xEF && s[i + 1] == 0xBF && s[i + 2] >= 0xBE)) {
			i += n;
			continue;
		}
		if (o > 0 && newlines)
			for (int k = 0; k < (newlines > 2 ? 2 : newlines); k++)
				out[o++] = '\n';
		else if (o > 0 && space)
			out[o++] = ' ';
		space = newlines = 0;
		if (n == 0) {
			memcpy(out + o, "\xEF\xBF\xBD", 3);
			o += 3;
			i++;
		} else {
			memcpy(out + o, s + i, n);
			o += n;
			i += n;
		}
	}
	out[o] = '\0';
	return out;
}

START_TEST(word_fast_path_matches_the_byte_reference)
{
	/* Mostly visible ASCII (the fast paths, of 8 and 16 bytes) with every
	 * kind of byte the slow path handles dropped in at every offset of a
	 * word: one byte in 5, or (odd rounds, for long plain runs) in 29. */
	static const unsigned char odd[] = { ' ',  '\n', '\t', 0x01, 0x7F, 0x7E, 0x21, 0x20, 0xC3, 0xA9,
		                             0xC2, 0x85, 0xEF, 0xBF, 0xBE, 0xE2, 0x80, 0x94, 0xFF, 0x80 };
	unsigned seed = 12345;
	for (int round = 0; round < 50000; round++) {
		unsigned char buf[128];
		size_t len = (size_t)(round % 120);
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			unsigned r = seed >> 16;
			unsigned rarity = round & 1 ? 29 : 5;
			buf[i] = r % rarity ? (unsigned char)('a' + r % 26) : odd[(r / rarity) % sizeof odd];
		}
		for (int keep = 0; keep < 2; keep++) {
			char *got = txt_clean((const char *)buf, len, keep);
			char *want = reference_clean(buf, len, keep);
			ck_assert_msg(strcmp(got, want) == 0, "round %d keep %d: \"%s\" != \"%s\"", round, keep, got,
			              want);
			free(got);
			free(want);
		}
	}
}

END_TEST

static Suite *
text_suite(void)
{
	Suite *s = suite_create("text");
	TCase *tc = tcase_create("clean");
	tcase_add_test(tc, collapses_white_space_and_trims);
	tcase_add_test(tc, strips_control_characters);
	tcase_add_test(tc, replaces_invalid_utf8);
	tcase_add_test(tc, keeps_valid_multibyte_text);
	tcase_add_test(tc, keeps_newlines_when_asked);
	tcase_add_test(tc, latex_and_entities_survive);
	tcase_add_test(tc, word_fast_path_matches_the_byte_reference);
	suite_add_tcase(s, tc);
	return s;
}

PW_CHECK_MAIN(text_suite)
