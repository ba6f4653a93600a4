/* Tests of core/fields.c: the field declarations of a run (ABI 2.1),
 * scoped by digest, refused when invalid or clashing. */
#include "autoconf.h"

#include <string.h>

#include "fields.h"
#include "pw_check.h"

static char err[1024];

static int
declare(const char *scope, const char *who, const char *name, const char *display, uint32_t form)
{
	const pw_field f = { name, display, PW_ATTACH_PAPER, form, NULL };
	err[0] = '\0';
	return fields_declare(scope, who, &f, sizeof f, err, sizeof err);
}

START_TEST(each_digest_has_its_own_declarations)
{
	fields_reset();
	ck_assert_int_eq(declare("daily", "summary", "summary", "AI Summary (by qwen)", PW_FORM_MARKDOWN), 0);
	ck_assert_int_eq(declare("weekly", "summary", "summary", "AI Summary (by gpt)", PW_FORM_MARKDOWN), 0);
	ck_assert_str_eq(fields_lookup("daily", "summary")->display, "AI Summary (by qwen)");
	ck_assert_str_eq(fields_lookup("weekly", "summary")->display, "AI Summary (by gpt)");
	ck_assert_ptr_null(fields_lookup("monthly", "summary"));
	/* The same declaration again (a check, then a run) is harmless. */
	ck_assert_int_eq(declare("daily", "summary", "summary", "AI Summary (by qwen)", PW_FORM_MARKDOWN), 0);
	/* Another in the same digest names both declarers. */
	ck_assert_int_eq(declare("daily", "second", "summary", "AI Summary (by gpt)", PW_FORM_MARKDOWN), -1);
	ck_assert_msg(strstr(err,
	                     "field \"summary\" is declared by summary as \"AI Summary (by qwen)\" and by second as "
	                     "\"AI Summary (by gpt)\""),
	              "%s", err);
	fields_reset();
}

END_TEST

START_TEST(a_source_declaration_holds_in_every_digest)
{
	fields_reset();
	ck_assert_int_eq(declare(NULL, "cites", "relation", "Cites", PW_FORM_TEXT), 0);
	ck_assert_str_eq(fields_lookup("daily", "relation")->display, "Cites");
	ck_assert_str_eq(fields_lookup(NULL, "relation")->display, "Cites");
	ck_assert_int_eq(declare("daily", "x", "relation", "Other", PW_FORM_TEXT), -1);
	fields_reset();
}

END_TEST

START_TEST(invalid_declarations_are_refused_with_the_reason)
{
	fields_reset();
	ck_assert_int_eq(declare("d", "x", PW_F_TITLE, "Title", PW_FORM_TEXT), -1);
	ck_assert(strstr(err, "is a core field"));
	ck_assert_int_eq(declare("d", "x", "note", "", PW_FORM_TEXT), -1);
	ck_assert(strstr(err, "needs a display name"));
	ck_assert_int_eq(declare("d", "x", "note", "Note", 9), -1);
	ck_assert(strstr(err, "form is not one of"));
	const pw_field detail_on_text = { "note", "Note", PW_ATTACH_PAPER, PW_FORM_TEXT, "why" };
	ck_assert_int_eq(fields_declare("d", "x", &detail_on_text, sizeof detail_on_text, err, sizeof err), -1);
	ck_assert(strstr(err, "only a PW_FORM_LABEL field has a detail field"));
	/* A plugin built before a member was added passes a shorter struct. */
	ck_assert_int_eq(fields_declare("d", "x", &detail_on_text, 3, err, sizeof err), -1);
	ck_assert(strstr(err, "field_size 3 is too small"));
	ck_assert_ptr_null(fields_lookup("d", "note"));
	fields_reset();
}

END_TEST

static Suite *
fields_suite(void)
{
	Suite *s = suite_create("fields");
	TCase *tc = tcase_create("fields");
	tcase_add_test(tc, each_digest_has_its_own_declarations);
	tcase_add_test(tc, a_source_declaration_holds_in_every_digest);
	tcase_add_test(tc, invalid_declarations_are_refused_with_the_reason);
	suite_add_tcase(s, tc);
	return s;
}

PW_CHECK_MAIN(fields_suite)
