/* Tests of core/text.c: what every record's text passes through. */
#include "autoconf.h"

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
	suite_add_tcase(s, tc);
	return s;
}

PW_CHECK_MAIN(text_suite)
