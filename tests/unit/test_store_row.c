/* Tests of core/store_paper_row.c through the store: a paper's fields
 * come back from its columns as they went in, a put merges as rec_merge
 * does, and the ledger keeps only what scoring and enrichment changed. */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "pw_check.h"
#include "record.h"
#include "store.h"

static char db[256];

static pw_store *
fresh_store(void)
{
	char cmd[600], err[512];
	snprintf(db, sizeof db, "/tmp/pw-test-store-row-%d/pw.db", (int)getpid());
	snprintf(cmd, sizeof cmd, "rm -rf /tmp/pw-test-store-row-%d && mkdir -p /tmp/pw-test-store-row-%d",
	         (int)getpid(), (int)getpid());
	ck_assert_int_eq(system(cmd), 0);
	pw_store *s = store_open(db, err, sizeof err);
	ck_assert_msg(s != NULL, "%s", err);
	return s;
}

/* Field i of a, found in b with the same shape and values. */
static int
field_in(const pw_record *a, size_t i, const pw_record *b)
{
	const char *name = rec_field_name(a, i);
	for (size_t k = 0; k < rec_nfields(b); k++) {
		if (strcmp(rec_field_name(b, k), name) != 0)
			continue;
		if (rec_field_is_list(a, i) != rec_field_is_list(b, k) ||
		    rec_field_count_at(a, i) != rec_field_count_at(b, k))
			return 0;
		for (size_t j = 0; j < rec_field_count_at(a, i); j++)
			if (strcmp(rec_field_value_at(a, i, j), rec_field_value_at(b, k, j)) != 0)
				return 0;
		return 1;
	}
	return 0;
}

/* The same fields, shapes and values, in any order. */
static void
assert_same_fields(const pw_record *want, const pw_record *got)
{
	ck_assert_ptr_nonnull(got);
	for (size_t i = 0; i < rec_nfields(want); i++)
		ck_assert_msg(field_in(want, i, got), "field %s differs or is missing", rec_field_name(want, i));
	for (size_t i = 0; i < rec_nfields(got); i++)
		ck_assert_msg(field_in(got, i, want), "field %s was not put", rec_field_name(got, i));
}

/* Every shape a field can take: core scalars, core lists (one empty),
 * times, an extension scalar and list, text with quotes, backslashes,
 * UTF-8 and (in an extension field) a line break, and a core field of
 * the wrong shape (a list of titles). */
static pw_record *
every_shape(const char *id)
{
	pw_record *r = rec_new();
	rec_set(r, PW_F_ID, id);
	rec_set(r, PW_F_VERSION, "3");
	rec_add(r, PW_F_TITLE, "Über \"quoted\" \\ titles");
	rec_add(r, PW_F_TITLE, "a second title");
	rec_set(r, PW_F_ABSTRACT, "An abstract.");
	rec_add(r, PW_F_AUTHORS, "Ada Lovelace");
	rec_add(r, PW_F_AUTHORS, "Alan Turing");
	rec_mark_list(r, PW_F_CATEGORIES);
	rec_set(r, PW_F_DOI, "10.1000/x");
	rec_set_time(r, PW_T_PUBLISHED, 1794909600);
	rec_set(r, "affiliation", "Lab\nof things");
	rec_add(r, "keywords", "one");
	rec_add(r, "keywords", "two");
	return r;
}

START_TEST(a_paper_comes_back_from_its_columns_as_it_went_in)
{
	pw_store *s = fresh_store();
	pw_record *r = every_shape("2401.00001");
	int is_new = 0;
	ck_assert_int_eq(store_paper_put(s, r, &is_new), 0);
	ck_assert_int_eq(is_new, 1);
	pw_record *got = store_paper_get(s, "2401.00001");
	assert_same_fields(r, got);
	rec_free(got);
	store_close(s);
	/* The columns themselves: an integer time, a list one item a line,
	 * the extension fields and the odd-shaped title in extra. */
	sqlite3 *raw;
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_open(db, &raw), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(raw,
	                                    "SELECT typeof(published), authors, categories, title IS NULL, extra, "
	                                    "typeof(version) FROM papers",
	                                    -1, &st, NULL),
	                 SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_str_eq((const char *)sqlite3_column_text(st, 0), "integer");
	ck_assert_str_eq((const char *)sqlite3_column_text(st, 1), "Ada Lovelace\nAlan Turing");
	ck_assert_str_eq((const char *)sqlite3_column_text(st, 2), "");
	ck_assert_int_eq(sqlite3_column_int(st, 3), 1);
	const char *extra = (const char *)sqlite3_column_text(st, 4);
	ck_assert_ptr_nonnull(strstr(extra, "\"title\":[\"Über \\\"quoted\\\" \\\\ titles\",\"a second title\"]"));
	ck_assert_ptr_nonnull(strstr(extra, "\"affiliation\":\"Lab\\nof things\""));
	ck_assert_ptr_nonnull(strstr(extra, "\"keywords\":[\"one\",\"two\"]"));
	ck_assert_str_eq((const char *)sqlite3_column_text(st, 5), "integer");
	sqlite3_finalize(st);
	sqlite3_close(raw);
	rec_free(r);
}

END_TEST

/* Two records of one paper, put one after the other, read back as
 * rec_merge would have merged them in memory. */
static void
assert_merges_as_in_memory(pw_record *first, pw_record *second)
{
	pw_store *s = fresh_store();
	int is_new = -1;
	ck_assert_int_eq(store_paper_put(s, first, &is_new), 0);
	ck_assert_int_eq(is_new, 1);
	ck_assert_int_eq(store_paper_put(s, second, &is_new), 0);
	ck_assert_int_eq(is_new, 0);
	pw_record *want = rec_clone(first);
	rec_merge(want, second);
	pw_record *got = store_paper_get(s, rec_get(first, PW_F_ID));
	assert_same_fields(want, got);
	rec_free(want);
	rec_free(got);
	store_close(s);
	rec_free(first);
	rec_free(second);
}

static pw_record *
version_of(const char *version, const char *title, const char *extension)
{
	pw_record *r = rec_new();
	rec_set(r, PW_F_ID, "2401.00002");
	if (version)
		rec_set(r, PW_F_VERSION, version);
	if (title)
		rec_set(r, PW_F_TITLE, title);
	if (extension)
		rec_set(r, extension, extension);
	return r;
}

START_TEST(a_put_merges_as_rec_merge_does)
{
	/* A newer version wins field by field and keeps what it lacks. */
	pw_record *old = version_of("1", "Old title", "only_old");
	rec_set(old, PW_F_ABSTRACT, "kept");
	rec_set(old, "shared", "old");
	pw_record *new = version_of("2", "New title", "only_new");
	rec_set(new, "shared", "new");
	assert_merges_as_in_memory(old, new);
	/* An older version only fills what the stored paper lacks. */
	old = version_of("2", NULL, "only_old");
	rec_set(old, "shared", "stored");
	new = version_of("1", "Filled title", "only_new");
	rec_set(new, "shared", "older");
	rec_add(new, PW_F_AUTHORS, "Grace Hopper");
	assert_merges_as_in_memory(old, new);
	/* An empty list counts as lacking; no version counts as 0. */
	old = version_of(NULL, "T", NULL);
	rec_mark_list(old, PW_F_AUTHORS);
	new = version_of(NULL, "U", NULL);
	rec_add(new, PW_F_AUTHORS, "Ada Lovelace");
	assert_merges_as_in_memory(old, new);
	/* The same version again: a changed field of the source does not
	 * overwrite the stored one, a new one is added. */
	old = every_shape("2401.00002");
	new = every_shape("2401.00002");
	rec_set(new, PW_F_ABSTRACT, "A changed abstract.");
	rec_set(new, PW_F_COMMENT, "12 pages");
	assert_merges_as_in_memory(old, new);
}

END_TEST

static void
keep_first(pw_record *rec, int64_t retries, void *ud)
{
	(void)retries;
	pw_record **out = ud;
	if (*out)
		rec_free(rec);
	else
		*out = rec;
}

static void
keep_pending(pw_record *rec, void *ud)
{
	keep_first(rec, 0, ud);
}

START_TEST(the_ledger_keeps_what_weighing_changed_over_the_paper_row)
{
	pw_store *s = fresh_store();
	pw_record *r = every_shape("2401.00003");
	ck_assert_int_eq(store_begin(s), 0);
	ck_assert_int_eq(store_paper_put(s, r, NULL), 0);
	ck_assert_int_eq(store_weigh_enrol(s, "daily", 1), 0);
	ck_assert_int_eq(store_commit(s), 0);
	pw_record *weighed = NULL;
	ck_assert_int_eq(store_weigh_each(s, "daily", keep_first, &weighed), 0);
	ck_assert_ptr_nonnull(weighed);
	/* A scorer's score, an enricher's new field, a changed abstract and
	 * a field taken away. */
	rec_score_add(weighed, "keyword", 1, 2, "title has 'x' +2");
	rec_set(weighed, "summary", "In short.");
	rec_set(weighed, PW_F_ABSTRACT, "An enriched abstract.");
	rec_set(weighed, PW_F_DOI, NULL);
	ck_assert_int_eq(store_ledger_pending(s, "daily", "md", weighed), 0);
	store_close(s);

	sqlite3 *raw;
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_open(db, &raw), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(raw, "SELECT scored, version FROM ledger", -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_str_eq((const char *)sqlite3_column_text(st, 0),
	                 "{\"doi\":null,\"abstract\":\"An enriched abstract.\",\"summary\":\"In short.\",\"score\":2,"
	                 "\"scores\":{\"keyword\":{\"value\":2,\"reason\":\"title has 'x' +2\"}}}");
	ck_assert_int_eq(sqlite3_column_int(st, 1), 3);
	sqlite3_finalize(st);
	sqlite3_close(raw);

	char err[512];
	s = store_open(db, err, sizeof err);
	ck_assert_msg(s != NULL, "%s", err);
	pw_record *pending = NULL;
	ck_assert_int_eq(store_ledger_each_pending(s, "daily", "md", keep_pending, &pending), 0);
	assert_same_fields(weighed, pending);
	double value;
	const char *reason;
	ck_assert_str_eq(rec_score_at(pending, 0, &value, &reason), "keyword");
	ck_assert_str_eq(reason, "title has 'x' +2");
	ck_assert(rec_score(pending) == 2);
	rec_free(pending);
	rec_free(weighed);
	rec_free(r);
	store_close(s);
}

END_TEST

static Suite *
store_row_suite(void)
{
	Suite *su = suite_create("store_row");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, a_paper_comes_back_from_its_columns_as_it_went_in);
	tcase_add_test(tc, a_put_merges_as_rec_merge_does);
	tcase_add_test(tc, the_ledger_keeps_what_weighing_changed_over_the_paper_row);
	suite_add_tcase(su, tc);
	return su;
}

PW_CHECK_MAIN(store_row_suite)
