/* Tests of core/merge.c: one record per canonical id. */
#include "autoconf.h"

#include <stdio.h>

#include "merge.h"
#include "pw_check.h"
#include "record.h"

static pw_record *
paper(const char *raw_id, const char *title)
{
	pw_record *r = rec_new();
	rec_set(r, PW_F_ID, raw_id);
	if (title)
		rec_set(r, PW_F_TITLE, title);
	rec_canonicalize(r);
	return r;
}

START_TEST(same_paper_under_three_spellings_merges)
{
	paper_set ps = { 0 };
	ck_assert_int_eq(pset_add(&ps, paper("http://arxiv.org/abs/2401.00001v1", "T")), 1);
	ck_assert_int_eq(pset_add(&ps, paper("10.48550/ARXIV.2401.00001", NULL)), 0);
	ck_assert_int_eq(pset_add(&ps, paper("arXiv:2401.00001v2", NULL)), 0);
	ck_assert_int_eq(pset_add(&ps, paper("2401.00002", "U")), 1);
	ck_assert_uint_eq(ps.count, 2);
	pw_record *r = pset_find(&ps, "2401.00001");
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(rec_get(r, PW_F_TITLE), "T");
	ck_assert_int_eq(rec_version(r), 2);
	pset_free(&ps);
}
END_TEST

START_TEST(many_papers_keep_their_order)
{
	paper_set ps = { 0 };
	char id[32];
	for (int i = 0; i < 5000; i++) {
		snprintf(id, sizeof id, "2401.%05d", i);
		ck_assert_int_eq(pset_add(&ps, paper(id, NULL)), 1);
	}
	for (int i = 0; i < 5000; i += 7) {
		snprintf(id, sizeof id, "2401.%05dv3", i);
		ck_assert_int_eq(pset_add(&ps, paper(id, NULL)), 0);
	}
	ck_assert_uint_eq(ps.count, 5000);
	ck_assert_str_eq(rec_get(ps.recs[4321], PW_F_ID), "2401.04321");
	ck_assert_ptr_null(pset_find(&ps, "2401.99999"));
	pset_free(&ps);
}
END_TEST

static Suite *
merge_suite(void)
{
	Suite *s = suite_create("merge");
	TCase *tc = tcase_create("merge");
	tcase_add_test(tc, same_paper_under_three_spellings_merges);
	tcase_add_test(tc, many_papers_keep_their_order);
	suite_add_tcase(s, tc);
	return s;
}

PW_CHECK_MAIN(merge_suite)
