/* Tests of core/store.c: schema, papers, ledger, state, locks. */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "pw_check.h"
#include "record.h"
#include "store.h"

static char db[256];

static void
fresh_db(void)
{
	char cmd[600];
	snprintf(db, sizeof db, "/tmp/pw-test-store-%d/pw.db", (int)getpid());
	snprintf(cmd, sizeof cmd, "rm -rf /tmp/pw-test-store-%d && mkdir -p /tmp/pw-test-store-%d", (int)getpid(),
	         (int)getpid());
	ck_assert_int_eq(system(cmd), 0);
}

static pw_record *
paper(const char *id, const char *version, const char *title)
{
	pw_record *r = rec_new();
	rec_set(r, PW_F_ID, id);
	rec_set(r, PW_F_VERSION, version);
	rec_set(r, PW_F_TITLE, title);
	return r;
}

START_TEST(creates_schema_version_1_in_wal)
{
	char err[512];
	fresh_db();
	pw_store *s = store_open(db, err, sizeof err);
	ck_assert_msg(s != NULL, "%s", err);
	store_close(s);
	sqlite3 *raw;
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_open(db, &raw), SQLITE_OK);
	sqlite3_prepare_v2(raw, "PRAGMA user_version", -1, &st, NULL);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_int(st, 0), STORE_SCHEMA_VERSION);
	sqlite3_finalize(st);
	sqlite3_prepare_v2(raw, "PRAGMA journal_mode", -1, &st, NULL);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_str_eq((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	/* A store from a newer paperwire is refused, not damaged. */
	sqlite3_exec(raw, "PRAGMA user_version = 99", NULL, NULL, NULL);
	sqlite3_close(raw);
	ck_assert_ptr_null(store_open(db, err, sizeof err));
	ck_assert_msg(strstr(err, "schema version 99 is newer"), "%s", err);
}
END_TEST

START_TEST(papers_merge_by_id)
{
	char err[512];
	int is_new = -1;
	fresh_db();
	pw_store *s = store_open(db, err, sizeof err);
	pw_record *a = paper("2401.00001", "1", "First");
	ck_assert_int_eq(store_paper_put(s, a, &is_new), 0);
	ck_assert_int_eq(is_new, 1);
	pw_record *b = paper("2401.00001", "2", "Second");
	ck_assert_int_eq(store_paper_put(s, b, &is_new), 0);
	ck_assert_int_eq(is_new, 0);
	pw_record *got = store_paper_get(s, "2401.00001");
	ck_assert_str_eq(rec_get(got, PW_F_TITLE), "Second");
	ck_assert_int_eq(rec_version(got), 2);
	ck_assert_int_eq(store_paper_count(s), 1);
	rec_free(a);
	rec_free(b);
	rec_free(got);
	store_close(s);
}
END_TEST

static void
count_pending(pw_record *rec, void *ud)
{
	(*(int *)ud)++;
	rec_free(rec);
}

START_TEST(ledger_pending_then_delivered)
{
	char err[512];
	int n = 0;
	fresh_db();
	pw_store *s = store_open(db, err, sizeof err);
	pw_record *a = paper("2401.00001", "1", "First");
	rec_score_add(a, "keyword", 1, 3, "why");
	ck_assert_int_eq(store_ledger_status(s, "daily", "md", "2401.00001"), LEDGER_NONE);
	ck_assert_int_eq(store_ledger_pending(s, "daily", "md", a), 0);
	ck_assert_int_eq(store_ledger_status(s, "daily", "md", "2401.00001"), LEDGER_PENDING);
	ck_assert_int_eq(store_ledger_status(s, "daily", "email", "2401.00001"), LEDGER_NONE);
	store_ledger_each_pending(s, "daily", "md", count_pending, &n);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(store_ledger_delivered(s, "daily", "md", "2401.00001", 1), 0);
	ck_assert_int_eq(store_ledger_status(s, "daily", "md", "2401.00001"), LEDGER_DELIVERED);
	/* Selecting it again does not turn a delivered paper back to pending. */
	ck_assert_int_eq(store_ledger_pending(s, "daily", "md", a), 0);
	ck_assert_int_eq(store_ledger_status(s, "daily", "md", "2401.00001"), LEDGER_DELIVERED);
	ck_assert_int_eq(store_ledger_count(s, "daily", "md", LEDGER_DELIVERED), 1);
	ck_assert_int_eq(store_digest_seen(s, "daily", "2401.00001"), 0);
	store_digest_mark_seen(s, "daily", "2401.00001", 1, 0);
	ck_assert_int_eq(store_digest_seen(s, "daily", "2401.00001"), 1);
	ck_assert_int_eq(store_digest_seen(s, "other", "2401.00001"), 0);
	rec_free(a);
	store_close(s);
}
END_TEST

static void
count_retry(pw_record *rec, void *ud)
{
	(*(int *)ud)++;
	rec_free(rec);
}

START_TEST(unscored_papers_are_weighed_again_a_few_times)
{
	char err[512];
	int n;
	fresh_db();
	pw_store *s = store_open(db, err, sizeof err);
	pw_record *a = paper("2401.00001", "1", "First");
	store_paper_put(s, a, NULL);
	store_digest_mark_seen(s, "daily", "2401.00001", 1, 1);
	ck_assert_int_eq(store_digest_seen(s, "daily", "2401.00001"), 0);
	for (int run = 2; run <= 1 + STORE_MAX_RETRIES; run++) {
		n = 0;
		store_digest_each_retry(s, "daily", count_retry, &n);
		ck_assert_int_eq(n, 1);
		store_digest_mark_seen(s, "daily", "2401.00001", run, 1);
	}
	/* Given up after STORE_MAX_RETRIES: seen, not offered again. */
	n = 0;
	store_digest_each_retry(s, "daily", count_retry, &n);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(store_digest_seen(s, "daily", "2401.00001"), 1);
	/* A success resets it at once. */
	store_digest_mark_seen(s, "other", "2401.00001", 1, 1);
	store_digest_mark_seen(s, "other", "2401.00001", 2, 0);
	ck_assert_int_eq(store_digest_seen(s, "other", "2401.00001"), 1);
	rec_free(a);
	store_close(s);
}
END_TEST

START_TEST(state_cache_validators_and_runs)
{
	char err[512], *etag, *lm;
	fresh_db();
	pw_store *s = store_open(db, err, sizeof err);
	ck_assert_ptr_null(store_state_get(s, "source/ml", "cursor"));
	store_state_set(s, "source/ml", "cursor", "2026-11-20");
	store_state_set(s, "source/ml", "cursor", "2026-11-21");
	char *v = store_state_get(s, "source/ml", "cursor");
	ck_assert_str_eq(v, "2026-11-21");
	free(v);
	store_cache_put(s, "llm", "k", "answer");
	v = store_cache_get(s, "llm", "k");
	ck_assert_str_eq(v, "answer");
	free(v);
	store_validators_put(s, "http://x/", "\"abc\"", NULL);
	store_validators_get(s, "http://x/", &etag, &lm);
	ck_assert_str_eq(etag, "\"abc\"");
	ck_assert_ptr_null(lm);
	free(etag);
	int64_t run = store_run_begin(s, 1000);
	ck_assert(run > 0);
	ck_assert_int_eq(store_run_end(s, run, 1010, 0, "{}"), 0);
	store_close(s);
}
END_TEST

START_TEST(second_open_is_refused_while_locked)
{
	char err[512];
	fresh_db();
	pw_store *s = store_open(db, err, sizeof err);
	ck_assert_ptr_nonnull(s);
	ck_assert_ptr_null(store_open(db, err, sizeof err));
	ck_assert_msg(strstr(err, "is locked: another paperwire run"), "%s", err);
	store_close(s);
	s = store_open(db, err, sizeof err);
	ck_assert_ptr_nonnull(s);
	store_close(s);
}
END_TEST

START_TEST(garbage_and_unreadable_files_are_named)
{
	char err[512];
	fresh_db();
	FILE *f = fopen(db, "w");
	for (int i = 0; i < 4096; i++)
		fputc(i * 7 % 256, f);
	fclose(f);
	ck_assert_ptr_null(store_open(db, err, sizeof err));
	ck_assert_msg(strstr(err, db) != NULL, "%s", err);
	ck_assert_ptr_null(store_open("/nonexistent-dir/pw.db", err, sizeof err));
	ck_assert_msg(strstr(err, "/nonexistent-dir/pw.db"), "%s", err);
}
END_TEST

static Suite *
store_suite(void)
{
	Suite *s = suite_create("store");
	TCase *tc = tcase_create("store");
	tcase_add_test(tc, creates_schema_version_1_in_wal);
	tcase_add_test(tc, papers_merge_by_id);
	tcase_add_test(tc, ledger_pending_then_delivered);
	tcase_add_test(tc, state_cache_validators_and_runs);
	tcase_add_test(tc, unscored_papers_are_weighed_again_a_few_times);
	tcase_add_test(tc, second_open_is_refused_while_locked);
	tcase_add_test(tc, garbage_and_unreadable_files_are_named);
	suite_add_tcase(s, tc);
	return s;
}

PW_CHECK_MAIN(store_suite)
