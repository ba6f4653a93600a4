/* Tests of core/ident.c: one paper, one id, whatever the spelling. */
#include "autoconf.h"

#include "ident.h"
#include "pw_check.h"

static void
expect(const char *raw, const char *id, int version)
{
	char out[256];
	int v = -1;
	ck_assert_msg(ident_canonical(raw, out, sizeof out, &v) == 0, "failed on %s", raw);
	ck_assert_str_eq(out, id);
	ck_assert_int_eq(v, version);
}

START_TEST(new_style_ids)
{
	expect("2401.01234", "2401.01234", 0);
	expect("2401.01234v3", "2401.01234", 3);
	expect("0704.0001v1", "0704.0001", 1);
	expect("arXiv:2401.01234v2", "2401.01234", 2);
	expect("http://arxiv.org/abs/2202.12139v1", "2202.12139", 1);
	expect("https://arxiv.org/pdf/2202.12139v12", "2202.12139", 12);
	expect("oai:arXiv.org:2202.12139v1", "2202.12139", 1);
}

END_TEST

START_TEST(old_style_ids_drop_the_subject_class)
{
	expect("math.CA/0611800v2", "math/0611800", 2);
	expect("arXiv:math/0611800", "math/0611800", 0);
	expect("http://arxiv.org/abs/astro-ph/0601001v1", "astro-ph/0601001", 1);
	expect("hep-th/9901001", "hep-th/9901001", 0);
}

END_TEST

START_TEST(arxiv_doi_in_any_case)
{
	expect("10.48550/arXiv.2106.15928", "2106.15928", 0);
	expect("10.48550/ARXIV.2106.15928", "2106.15928", 0);
	expect("https://doi.org/10.48550/arxiv.2106.15928", "2106.15928", 0);
}

END_TEST

START_TEST(other_dois_fold_case_and_urls_stay)
{
	expect("10.1145/3544585.3544600", "10.1145/3544585.3544600", 0);
	expect("https://doi.org/10.1109/ICSTW55395.2022.00035", "10.1109/icstw55395.2022.00035", 0);
	expect("https://example.org/paper/7", "https://example.org/paper/7", 0);
}

END_TEST

START_TEST(rejects_empty)
{
	char out[64];
	int v;
	ck_assert_int_eq(ident_canonical("   ", out, sizeof out, &v), -1);
	ck_assert_int_eq(ident_canonical(NULL, out, sizeof out, &v), -1);
	ck_assert(ident_is_arxiv("2401.01234"));
	ck_assert(!ident_is_arxiv("10.1145/1"));
}

END_TEST

static Suite *
ident_suite(void)
{
	Suite *s = suite_create("ident");
	TCase *tc = tcase_create("canonical");
	tcase_add_test(tc, new_style_ids);
	tcase_add_test(tc, old_style_ids_drop_the_subject_class);
	tcase_add_test(tc, arxiv_doi_in_any_case);
	tcase_add_test(tc, other_dois_fold_case_and_urls_stay);
	tcase_add_test(tc, rejects_empty);
	suite_add_tcase(s, tc);
	return s;
}

PW_CHECK_MAIN(ident_suite)
