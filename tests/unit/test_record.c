/* Tests of core/record.c and core/merge.c's merge rules. */
#include "autoconf.h"

#include <stdlib.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "pw_check.h"
#include "record.h"

START_TEST(set_get_and_lists)
{
	pw_record *r = rec_new();
	ck_assert_int_eq(rec_set(r, PW_F_TITLE, "  A\n  title "), 0);
	ck_assert_str_eq(rec_get(r, PW_F_TITLE), "A title");
	rec_add(r, PW_F_AUTHORS, "Ada Lovelace");
	rec_add(r, PW_F_AUTHORS, "Alan Turing");
	ck_assert_uint_eq(rec_count(r, PW_F_AUTHORS), 2);
	ck_assert_str_eq(rec_get_at(r, PW_F_AUTHORS, 1), "Alan Turing");
	ck_assert_ptr_null(rec_get_at(r, PW_F_AUTHORS, 2));
	rec_set_time(r, PW_T_PUBLISHED, 1700000000);
	ck_assert(rec_get_time(r, PW_T_PUBLISHED) == 1700000000);
	static const int64_t times[] = { 0, -1, -86400, 9, 10, INT64_MAX, INT64_MIN };
	for (size_t i = 0; i < sizeof times / sizeof *times; i++) {
		char want[32];
		snprintf(want, sizeof want, "%" PRId64, times[i]);
		rec_set_time(r, PW_T_UPDATED, times[i]);
		ck_assert_str_eq(rec_get(r, PW_T_UPDATED), want);
	}
	rec_unset(r, PW_T_UPDATED);
	rec_set(r, "summary", "line one\nline two");
	ck_assert_str_eq(rec_get(r, "summary"), "line one\nline two");
	rec_unset(r, PW_F_TITLE);
	ck_assert_ptr_null(rec_get(r, PW_F_TITLE));
	rec_free(r);
}

END_TEST

/* Values of every length around the record's chunk and its short-value
 * limit, each invalid byte growing to three: each reads back whole, and
 * so do the values set before it (chunks are never moved). */
START_TEST(values_of_any_length_keep_their_text)
{
	pw_record *r = rec_new();
	static const size_t lengths[] = { 0, 1, 300, 511, 512, 513, 1023, 1024, 3000 };
	char name[32], *in = malloc(3001);
	for (size_t k = 0; k < sizeof lengths / sizeof lengths[0]; k++) {
		size_t n = lengths[k];
		for (int bad = 0; bad < 2; bad++) {
			memset(in, bad ? 0xFF : 'a', n);
			in[n] = '\0';
			snprintf(name, sizeof name, "x%zu_%d", n, bad);
			ck_assert_int_eq(rec_set(r, name, in), 0);
			ck_assert_int_eq(rec_add(r, "every", in), 0);
			ck_assert_int_eq(rec_set(r, PW_F_TITLE, in), 0); /* replaced each time */
		}
	}
	size_t item = 0; /* an empty item of a list is no item */
	for (size_t k = 0; k < sizeof lengths / sizeof lengths[0]; k++)
		for (int bad = 0; bad < 2; bad++) {
			size_t n = lengths[k];
			snprintf(name, sizeof name, "x%zu_%d", n, bad);
			const char *got = rec_get(r, name);
			ck_assert_uint_eq(strlen(got), bad ? 3 * n : n);
			if (n)
				ck_assert_str_eq(rec_get_at(r, "every", item++), got);
			for (size_t j = 0; j < n; j++)
				ck_assert(bad ? memcmp(got + 3 * j, "\xEF\xBF\xBD", 3) == 0 : got[j] == 'a');
		}
	ck_assert_uint_eq(rec_count(r, "every"), item);
	ck_assert_uint_eq(strlen(rec_get(r, PW_F_TITLE)), 3 * 3000);
	free(in);
	rec_free(r);
}

END_TEST

START_TEST(canonicalize_sets_id_and_version)
{
	pw_record *r = rec_new();
	rec_set(r, PW_F_ID, "http://arxiv.org/abs/math.CA/0611800v2");
	ck_assert_int_eq(rec_canonicalize(r), 0);
	ck_assert_str_eq(rec_get(r, PW_F_ID), "math/0611800");
	ck_assert_int_eq(rec_version(r), 2);
	rec_free(r);
	r = rec_new();
	rec_set(r, PW_F_TITLE, "no id at all");
	ck_assert_int_eq(rec_canonicalize(r), -1);
	rec_set(r, PW_F_DOI, "10.48550/arXiv.2401.00001");
	ck_assert_int_eq(rec_canonicalize(r), 0);
	ck_assert_str_eq(rec_get(r, PW_F_ID), "2401.00001");
	rec_free(r);
}

END_TEST

START_TEST(merge_fills_gaps_and_newer_version_wins)
{
	pw_record *a = rec_new(), *b = rec_new();
	rec_set(a, PW_F_ID, "2401.00001");
	rec_set(a, PW_F_VERSION, "1");
	rec_set(a, PW_F_TITLE, "Old title");
	rec_add(a, PW_F_AUTHORS, "A");
	rec_set(b, PW_F_ID, "2401.00001");
	rec_set(b, PW_F_DOI, "10.1/x");
	rec_merge(a, b);
	ck_assert_str_eq(rec_get(a, PW_F_TITLE), "Old title");
	ck_assert_str_eq(rec_get(a, PW_F_DOI), "10.1/x");
	rec_set(b, PW_F_VERSION, "2");
	rec_set(b, PW_F_TITLE, "New title");
	rec_add(b, PW_F_AUTHORS, "A");
	rec_add(b, PW_F_AUTHORS, "B");
	rec_merge(a, b);
	ck_assert_str_eq(rec_get(a, PW_F_TITLE), "New title");
	ck_assert_uint_eq(rec_count(a, PW_F_AUTHORS), 2);
	ck_assert_int_eq(rec_version(a), 2);
	rec_free(a);
	rec_free(b);
}

END_TEST

START_TEST(scores_keep_reasons_and_weights)
{
	pw_record *r = rec_new();
	double v;
	const char *why;
	rec_score_add(r, "keyword", 2, 3, "title has 'x' +3");
	rec_score_add(r, "other", 0.5, 4, "0.62 like y");
	ck_assert_double_eq_tol(rec_score(r), 8.0, 1e-9);
	ck_assert_str_eq(rec_score_at(r, 0, &v, &why), "keyword");
	ck_assert_double_eq_tol(v, 6.0, 1e-9);
	ck_assert_str_eq(why, "title has 'x' +3");
	ck_assert(!rec_vetoed(r));
	rec_veto(r, "keyword", "excluded: 'survey' in title");
	ck_assert(rec_vetoed(r));
	rec_free(r);
}

END_TEST

START_TEST(json_round_trip_keeps_fields_and_scores)
{
	pw_record *r = rec_new();
	rec_set(r, PW_F_ID, "2401.00001");
	rec_set(r, PW_F_TITLE, "T \"quoted\"");
	rec_add(r, PW_F_AUTHORS, "A");
	rec_add(r, PW_F_CATEGORIES, "cs.LG");
	rec_score_add(r, "keyword", 1, 5, "why");
	char *json = rec_to_json(r, 1);
	pw_record *back = rec_from_json(json);
	ck_assert_ptr_nonnull(back);
	ck_assert_str_eq(rec_get(back, PW_F_TITLE), "T \"quoted\"");
	ck_assert_str_eq(rec_get_at(back, PW_F_CATEGORIES, 0), "cs.LG");
	ck_assert_double_eq_tol(rec_score(back), 5.0, 1e-9);
	const char *why;
	rec_score_at(back, 0, NULL, &why);
	ck_assert_str_eq(why, "why");
	pw_record *copy = rec_clone(back);
	ck_assert_str_eq(rec_get(copy, PW_F_ID), "2401.00001");
	ck_assert_double_eq_tol(rec_score(copy), 5.0, 1e-9);
	free(json);
	rec_free(r);
	rec_free(back);
	rec_free(copy);
	ck_assert_ptr_null(rec_from_json("[1,2"));
}

END_TEST

START_TEST(json_escapes_read_back_exactly)
{
	pw_record *r = rec_new();
	rec_set(r, PW_F_TITLE, "quote \" backslash \\ slash / caf\xc3\xa9 \xf0\x9f\xa4\x96");
	rec_set(r, "x_note", "line one\nline two\n\nafter a break");
	rec_add(r, PW_F_AUTHORS, "");
	rec_set(r, "x_empty_list", "x");
	rec_unset(r, "x_empty_list");
	rec_add(r, PW_F_CATEGORIES, "cs.LG");
	ck_assert_int_eq(rec_mark_list(r, "x_tags"), 0);
	char *json = rec_to_json(r, 0);
	ck_assert_ptr_nonnull(strstr(json, "\"line one\\nline two"));
	ck_assert_ptr_nonnull(strstr(json, "\"authors\":[]"));
	ck_assert_ptr_nonnull(strstr(json, "\"x_tags\":[]"));
	pw_record *back = rec_from_json(json);
	ck_assert_ptr_nonnull(back);
	ck_assert_str_eq(rec_get(back, PW_F_TITLE), rec_get(r, PW_F_TITLE));
	ck_assert_str_eq(rec_get(back, "x_note"), "line one\nline two\n\nafter a break");
	ck_assert_uint_eq(rec_count(back, PW_F_AUTHORS), 0);
	ck_assert_uint_eq(rec_nfields(back), rec_nfields(r));
	ck_assert(rec_hash(back) == rec_hash(r));
	free(json);
	rec_free(back);
	rec_free(r);
}

END_TEST

START_TEST(json_escapes_at_every_offset_of_a_word)
{
	/* The writer scans eight bytes at a time: a character to escape must be
	 * found wherever it falls in a word, and the text's end too. */
	static const char *const specials[] = { "\"", "\\", "\n", "\x01", "\x1f", "\x7f", "\xc3\xa9", "/" };
	for (size_t k = 0; k < sizeof specials / sizeof *specials; k++)
		for (size_t at = 0; at < 20; at++) {
			char text[64];
			memset(text, 'a', sizeof text);
			size_t n = strlen(specials[k]);
			memcpy(text + at, specials[k], n);
			text[at + n + at % 9] = '\0';
			pw_record *r = rec_new();
			ck_assert_int_eq(rec_take(r, "x_text", strdup(text), 0), 0);
			char *json = rec_to_json(r, 0);
			pw_record *back = rec_from_json(json);
			ck_assert_msg(back && strcmp(rec_get(back, "x_text"), text) == 0, "special %zu at %zu: %s", k,
			              at, json);
			free(json);
			rec_free(r);
			rec_free(back);
		}
}

END_TEST

START_TEST(json_written_by_other_writers_is_read)
{
	/* As cJSON wrote the store before, and any valid JSON spelling. */
	pw_record *r =
	        rec_from_json(" {\"id\": \"2401.00001\", \"title\":\"\\u00e9t\\u00E9 \\ud83e\\udd16 \\/ \\t\",\n"
	                      "\"authors\" : [\"A\", 7, \"B\"], \"x_obj\": {\"a\": [1, {\"b\": null}], \"c\": true},"
	                      "\"score\": 1.5e0, \"scores\": {\"keyword\": {\"value\": 2.25, \"reason\": \"why\", "
	                      "\"extra\": false}}, \"x_num\": -3}\r\n");
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(rec_get(r, PW_F_ID), "2401.00001");
	ck_assert_str_eq(rec_get(r, PW_F_TITLE), "\xc3\xa9t\xc3\xa9 \xf0\x9f\xa4\x96 / \t");
	ck_assert_uint_eq(rec_count(r, PW_F_AUTHORS), 2);
	ck_assert_str_eq(rec_get_at(r, PW_F_AUTHORS, 1), "B");
	ck_assert_ptr_null(rec_get(r, "x_obj"));
	ck_assert_double_eq_tol(rec_score(r), 2.25, 1e-12);
	rec_free(r);
	/* Keys past the reader's stack buffer, with and without escapes. */
	char name[200], json[512];
	memset(name, 'k', sizeof name - 1);
	name[sizeof name - 1] = '\0';
	snprintf(json, sizeof json, "{\"x_%s\": \"long\", \"x_\\u00e9\": \"escaped\"}", name);
	r = rec_from_json(json);
	ck_assert_ptr_nonnull(r);
	snprintf(json, sizeof json, "x_%s", name);
	ck_assert_str_eq(rec_get(r, json), "long");
	ck_assert_str_eq(rec_get(r, "x_\xc3\xa9"), "escaped");
	rec_free(r);
}

END_TEST

START_TEST(broken_json_is_refused_whole)
{
	static const char *const broken[] = {
		"",
		"[]",
		"{",
		"{\"id\": \"a\"",
		"{\"id\": \"a\",}",
		"{\"id\": \"a\"} trailing",
		"{\"id\" \"a\"}",
		"{\"id\": \"unterminated}",
		"{\"id\": \"bad \\x escape\"}",
		"{\"id\": \"lone \\ud83e surrogate\"}",
		"{\"id\": \"low \\udd16 first\"}",
		"{\"id\": \"short \\u12\"}",
		"{\"a\": [\"x\" \"y\"]}",
		"{\"a\": tru}",
		"{\"a\": -}",
		"{\"scores\": {\"k\": {\"value\": 1,}}}",
		"{\"id\": \"a\\",
	};
	for (size_t i = 0; i < sizeof broken / sizeof *broken; i++)
		ck_assert_msg(rec_from_json(broken[i]) == NULL, "accepted: %s", broken[i]);
	/* Nesting past the bound is refused, not recursed into. */
	char deep[400];
	memset(deep, '[', sizeof deep);
	memcpy(deep, "{\"a\":", 5);
	deep[sizeof deep - 1] = '\0';
	ck_assert_ptr_null(rec_from_json(deep));
	ck_assert_ptr_null(rec_from_json(NULL));
}

END_TEST

START_TEST(hash_separates_where_values_split)
{
	pw_record *a = rec_new(), *b = rec_new();
	rec_add(a, PW_F_AUTHORS, "ab");
	rec_add(a, PW_F_AUTHORS, "c");
	rec_add(b, PW_F_AUTHORS, "a");
	rec_add(b, PW_F_AUTHORS, "bc");
	ck_assert(rec_hash(a) != rec_hash(b));
	rec_free(b);
	b = rec_clone(a);
	ck_assert(rec_hash(a) == rec_hash(b));
	rec_set(b, PW_F_TITLE, "a title longer than eight bytes");
	uint64_t h = rec_hash(b);
	rec_set(b, PW_F_TITLE, "a title longer than eight byteZ");
	ck_assert(rec_hash(b) != h);
	rec_free(a);
	rec_free(b);
}

END_TEST

static Suite *
record_suite(void)
{
	Suite *s = suite_create("record");
	TCase *tc = tcase_create("record");
	tcase_add_test(tc, set_get_and_lists);
	tcase_add_test(tc, values_of_any_length_keep_their_text);
	tcase_add_test(tc, canonicalize_sets_id_and_version);
	tcase_add_test(tc, merge_fills_gaps_and_newer_version_wins);
	tcase_add_test(tc, scores_keep_reasons_and_weights);
	tcase_add_test(tc, json_round_trip_keeps_fields_and_scores);
	tcase_add_test(tc, json_escapes_read_back_exactly);
	tcase_add_test(tc, json_escapes_at_every_offset_of_a_word);
	tcase_add_test(tc, json_written_by_other_writers_is_read);
	tcase_add_test(tc, broken_json_is_refused_whole);
	tcase_add_test(tc, hash_separates_where_values_split);
	suite_add_tcase(s, tc);
	return s;
}

PW_CHECK_MAIN(record_suite)
