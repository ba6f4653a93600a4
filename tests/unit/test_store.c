/* Tests of core/store.c: schema, papers, ledger, state, locks. */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

START_TEST(creates_the_current_schema_in_wal)
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
	/* A paper's core fields are columns, its times integers; no JSON
	 * record is left. */
	sqlite3_prepare_v2(raw, "SELECT group_concat(name || ' ' || type, ', ') FROM pragma_table_info('papers')", -1,
	                   &st, NULL);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	const char *columns = (const char *)sqlite3_column_text(st, 0);
	ck_assert_ptr_nonnull(strstr(columns, "title TEXT, abstract TEXT, authors TEXT"));
	ck_assert_ptr_nonnull(strstr(columns, "published INTEGER, updated INTEGER, extra TEXT"));
	ck_assert_ptr_null(strstr(columns, "record"));
	sqlite3_finalize(st);
	/* An unchanged paper is found by an index that holds its hash. */
	sqlite3_prepare_v2(raw, "SELECT sql FROM sqlite_master WHERE name = 'papers_by_id_hash'", -1, &st, NULL);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_ptr_nonnull(strstr((const char *)sqlite3_column_text(st, 0), "(id, src_hash)"));
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

/* A paper a source gives again unchanged is neither merged nor written;
 * a changed one is.  (The row's title is overwritten behind the store's
 * back to see whether a put rewrote it.) */
START_TEST(an_unchanged_paper_is_not_rewritten)
{
	char err[512];
	int is_new = -1;
	fresh_db();
	pw_store *s = store_open(db, err, sizeof err);
	pw_record *a = paper("2401.00001", "1", "First");
	ck_assert_int_eq(store_paper_put(s, a, &is_new), 0);
	sqlite3 *raw;
	ck_assert_int_eq(sqlite3_open(db, &raw), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(raw, "UPDATE papers SET title = 'marked'", NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(store_paper_put(s, a, &is_new), 0);
	ck_assert_int_eq(is_new, 0);
	pw_record *got = store_paper_get(s, "2401.00001");
	ck_assert_str_eq(rec_get(got, PW_F_TITLE), "marked");
	rec_free(got);
	pw_record *b = paper("2401.00001", "2", "Second");
	ck_assert_int_eq(store_paper_put(s, b, &is_new), 0);
	got = store_paper_get(s, "2401.00001");
	ck_assert_str_eq(rec_get(got, PW_F_TITLE), "Second");
	rec_free(got);
	rec_free(a);
	rec_free(b);
	sqlite3_close(raw);
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
	ck_assert_int_eq(store_delivery_begin(s, "daily", "md", "attempt", 1), 0);
	ck_assert_int_eq(store_delivery_done(s, "daily", "md", 1), 0);
	ck_assert_int_eq(store_ledger_status(s, "daily", "md", "2401.00001"), LEDGER_DELIVERED);
	/* Selecting it again does not turn a delivered paper back to pending. */
	ck_assert_int_eq(store_ledger_pending(s, "daily", "md", a), 0);
	ck_assert_int_eq(store_ledger_status(s, "daily", "md", "2401.00001"), LEDGER_DELIVERED);
	ck_assert_int_eq(store_ledger_count(s, "daily", "md", LEDGER_DELIVERED), 1);
	rec_free(a);
	store_close(s);
}

END_TEST

static void
count_queued(pw_record *rec, int64_t retries, void *ud)
{
	(void)retries;
	(*(int *)ud)++;
	rec_free(rec);
}

static int
queued(pw_store *s, const char *digest)
{
	int n = 0;
	ck_assert_int_eq(store_weigh_each(s, digest, count_queued, &n), 0);
	return n;
}

/* One fetch: the papers stored, noted as fetched, queued for digest. */
static void
fetch(pw_store *s, const char *digest, int64_t run, const char *const *ids)
{
	ck_assert_int_eq(store_begin(s), 0);
	for (size_t i = 0; ids[i]; i++) {
		pw_record *r = paper(ids[i], "1", ids[i]);
		ck_assert_int_eq(store_paper_put(s, r, NULL), 0);
		ck_assert_int_eq(store_fetched_add(s, ids[i]), 0);
		rec_free(r);
	}
	ck_assert_int_eq(store_weigh_enrol(s, digest, run), 0);
	ck_assert_int_eq(store_commit(s), 0);
}

START_TEST(papers_stay_queued_until_the_digest_weighed_them)
{
	char err[512];
	static const char *const day1[] = { "2401.00001", "2401.00002", NULL };
	fresh_db();
	pw_store *s = store_open(db, err, sizeof err);
	fetch(s, "daily", 1, day1);
	ck_assert_int_eq(queued(s, "daily"), 2);
	store_close(s);
	/* A run that died before weighing: the next one, fetching nothing
	 * (a 304), still has them. */
	s = store_open(db, err, sizeof err);
	ck_assert_int_eq(queued(s, "daily"), 2);
	ck_assert_int_eq(store_begin(s), 0);
	ck_assert_int_eq(store_weigh_done(s, "daily", 2), 0);
	ck_assert_int_eq(store_commit(s), 0);
	ck_assert_int_eq(queued(s, "daily"), 0);
	ck_assert_int_eq(store_digest_seen(s, "daily", "2401.00001"), 1);
	store_close(s);
	/* Fetched again: weighed already, not queued again. */
	s = store_open(db, err, sizeof err);
	fetch(s, "daily", 3, day1);
	ck_assert_int_eq(queued(s, "daily"), 0);
	store_close(s);
}

END_TEST

struct in_order {
	int n, out_of_order;
	char last[32];
};

static void
check_order(pw_record *rec, int64_t retries, void *ud)
{
	struct in_order *o = ud;
	(void)retries;
	const char *id = rec_get(rec, PW_F_ID);
	if (o->n++ > 0 && strcmp(id, o->last) <= 0)
		o->out_of_order++;
	snprintf(o->last, sizeof o->last, "%s", id);
	rec_free(rec);
}

/* Papers 2401.FROM to 2401.(TO-1), stored. */
static void
put_numbered(pw_store *s, int from, int to)
{
	char id[32];
	for (int i = from; i < to; i++) {
		snprintf(id, sizeof id, "2401.%05d", i);
		pw_record *r = paper(id, "1", id);
		ck_assert_int_eq(store_paper_put(s, r, NULL), 0);
		rec_free(r);
	}
}

/* A day's papers come back whole and in the order first seen, and inside
 * a transaction (a dry run weighs in one) with what it has not committed
 * yet. */
START_TEST(a_day_is_read_back_whole_and_in_order)
{
	char err[512];
	fresh_db();
	pw_store *s = store_open(db, err, sizeof err);
	ck_assert_int_eq(store_begin(s), 0);
	put_numbered(s, 0, 2000);
	ck_assert_int_eq(store_weigh_enrol(s, "daily", 1), 0);
	ck_assert_int_eq(store_commit(s), 0);
	struct in_order o = { 0 };
	ck_assert_int_eq(store_weigh_each(s, "daily", check_order, &o), 0);
	ck_assert_int_eq(o.n, 2000);
	ck_assert_int_eq(o.out_of_order, 0);
	ck_assert_int_eq(store_begin(s), 0);
	put_numbered(s, 2000, 2003);
	memset(&o, 0, sizeof o);
	ck_assert_int_eq(store_weigh_each(s, "daily", check_order, &o), 0);
	ck_assert_int_eq(o.n, 2003);
	ck_assert_int_eq(o.out_of_order, 0);
	store_rollback(s);
	store_close(s);
}

END_TEST

START_TEST(a_new_digest_weighs_the_latest_fetch_day)
{
	char err[512];
	static const char *const day1[] = { "2401.00001", "2401.00002", "2401.00003", NULL };
	static const char *const none[] = { NULL };
	fresh_db();
	pw_store *s = store_open(db, err, sizeof err);
	fetch(s, "daily", 1, day1);
	store_close(s);
	s = store_open(db, err, sizeof err);
	fetch(s, "lab", 2, none); /* a digest added later; this run fetched nothing */
	ck_assert_int_eq(queued(s, "lab"), 3);
	ck_assert_int_eq(store_begin(s), 0);
	ck_assert_int_eq(store_weigh_done(s, "lab", 2), 0);
	ck_assert_int_eq(store_commit(s), 0);
	store_close(s);
	s = store_open(db, err, sizeof err);
	fetch(s, "lab", 3, none); /* only on its first run */
	ck_assert_int_eq(queued(s, "lab"), 0);
	store_close(s);
}

END_TEST

START_TEST(unscored_papers_are_weighed_again_a_few_times)
{
	char err[512];
	static const char *const day1[] = { "2401.00001", "2401.00002", NULL };
	fresh_db();
	pw_store *s = store_open(db, err, sizeof err);
	fetch(s, "daily", 1, day1);
	for (int run = 1; run <= 1 + STORE_MAX_RETRIES; run++) {
		ck_assert_int_eq(queued(s, "daily"), run == 1 ? 2 : 1);
		ck_assert_int_eq(store_begin(s), 0);
		ck_assert_int_eq(store_weigh_again(s, "daily", "2401.00001", run), 0);
		ck_assert_int_eq(store_weigh_done(s, "daily", run), 0);
		ck_assert_int_eq(store_commit(s), 0);
		ck_assert_int_eq(store_digest_seen(s, "daily", "2401.00002"), 1);
	}
	/* Given up after STORE_MAX_RETRIES: weighed, not offered again. */
	ck_assert_int_eq(queued(s, "daily"), 0);
	ck_assert_int_eq(store_digest_seen(s, "daily", "2401.00001"), 1);
	store_close(s);
}

END_TEST

static void
collect_ids(pw_record *rec, void *ud)
{
	char *ids = ud;
	strcat(ids, rec_get(rec, PW_F_ID));
	strcat(ids, " ");
	rec_free(rec);
}

START_TEST(a_delivery_in_flight_is_found_by_the_next_run)
{
	char err[512], ids[256] = "", *attempt, *recovery;
	int began;
	fresh_db();
	pw_store *s = store_open(db, err, sizeof err);
	pw_record *a = paper("2401.00001", "1", "First"), *b = paper("2401.00002", "1", "Second");
	ck_assert_int_eq(store_ledger_pending(s, "daily", "mail", a), 0);
	ck_assert_int_eq(store_delivery_get(s, "daily", "mail", &attempt, &recovery, &began), 0);
	ck_assert_int_eq(store_delivery_begin(s, "daily", "mail", "abc", 1), 0);
	/* Selected while the first delivery is in flight: pending, apart. */
	ck_assert_int_eq(store_ledger_pending(s, "daily", "mail", b), 0);
	ck_assert_int_eq(store_delivery_effect(s, "daily", "mail", "<abc@host>"), 0);
	store_rollback(s); /* the run dies during the effect */
	store_close(s);

	s = store_open(db, err, sizeof err);
	ck_assert_int_eq(store_delivery_get(s, "daily", "mail", &attempt, &recovery, &began), 1);
	ck_assert_str_eq(attempt, "abc");
	ck_assert_str_eq(recovery, "<abc@host>");
	ck_assert_int_eq(began, 1);
	free(attempt);
	free(recovery);
	ck_assert_int_eq(store_delivery_each(s, "daily", "mail", collect_ids, ids), 0);
	ck_assert_str_eq(ids, "2401.00001 ");
	ck_assert_int_eq(store_ledger_status(s, "daily", "mail", "2401.00002"), LEDGER_PENDING);
	ck_assert_int_eq(store_pending_count(s, "daily"), 2);
	ck_assert_int_eq(store_delivery_effect(s, "daily", "mail", "<abc@host>"), 0);
	ck_assert_int_eq(store_delivery_done(s, "daily", "mail", 2), 0);
	ck_assert_int_eq(store_ledger_status(s, "daily", "mail", "2401.00001"), LEDGER_DELIVERED);
	ck_assert_int_eq(store_delivery_get(s, "daily", "mail", &attempt, &recovery, &began), 0);
	/* One that never began its effect goes back to pending. */
	ck_assert_int_eq(store_delivery_begin(s, "daily", "mail", "def", 2), 0);
	ck_assert_int_eq(store_ledger_status(s, "daily", "mail", "2401.00002"), LEDGER_IN_FLIGHT);
	ck_assert_int_eq(store_delivery_requeue(s, "daily", "mail"), 0);
	ck_assert_int_eq(store_ledger_status(s, "daily", "mail", "2401.00002"), LEDGER_PENDING);
	ck_assert_int_eq(store_pending_count(s, "daily"), 1);
	rec_free(a);
	rec_free(b);
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

START_TEST(the_lock_follows_the_file_not_the_path)
{
	char err[512], link[300];
	fresh_db();
	snprintf(link, sizeof link, "%s.link", db);
	pw_store *s = store_open(db, err, sizeof err);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(symlink(db, link), 0);
	ck_assert_ptr_null(store_open(link, err, sizeof err));
	ck_assert_msg(strstr(err, "is locked"), "%s", err);
	store_close(s);
	s = store_open(link, err, sizeof err);
	ck_assert_msg(s != NULL, "%s", err);
	ck_assert_ptr_null(store_open(db, err, sizeof err));
	store_close(s);
}

END_TEST

START_TEST(a_damaged_store_is_refused)
{
	char err[512];
	fresh_db();
	pw_store *s = store_open(db, err, sizeof err);
	for (int i = 0; i < 400; i++) {
		char id[32];
		snprintf(id, sizeof id, "2401.%05d", i);
		pw_record *r = paper(id, "1", "A title long enough to fill some pages of the papers table");
		store_paper_put(s, r, NULL);
		rec_free(r);
	}
	store_close(s);
	sqlite3 *raw;
	ck_assert_int_eq(sqlite3_open(db, &raw), SQLITE_OK);
	sqlite3_exec(raw, "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
	/* The full check is due (a week has passed, or the last run died). */
	sqlite3_exec(raw, "DELETE FROM state WHERE ns = 'store'", NULL, NULL, NULL);
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(raw, "PRAGMA page_size", -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	long page_size = (long)sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(raw);
	/* Scribble over the head of a page in the middle (a leaf of the papers
	 * table or of an index on it), as a bad disk or a stray write would. */
	FILE *f = fopen(db, "r+b");
	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	long pages = ftell(f) / page_size;
	ck_assert_int_gt(pages, 8);
	fseek(f, pages / 2 * page_size, SEEK_SET);
	for (int i = 0; i < 2000; i++)
		fputc(0xA5, f);
	fclose(f);
	ck_assert_ptr_null(store_open(db, err, sizeof err));
	ck_assert_msg(strstr(err, "fails SQLite's integrity check") && strstr(err, db), "%s", err);
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

/* Every query a run makes is indexed: the statements of a whole run of the
 * store's calls (fetch, queue, weigh, select, deliver, feed rebuild,
 * history) are explained, and none scans papers, the ledger or the
 * weighing tables.  A count over papers, which does, shows the check works. */
static void
drop_delivered(pw_record *rec, int64_t at, void *ud)
{
	(void)at, (void)ud;
	rec_free(rec);
}

START_TEST(no_query_of_a_run_scans_a_growing_table)
{
	char err[512], *attempt, *recovery;
	int began;
	static const char *const day[] = { "2401.00001", "2401.00002", NULL };
	setenv("PAPERWIRE_CHECK_PLANS", "1", 1);
	fresh_db();
	pw_store *s = store_open(db, err, sizeof err);
	fetch(s, "daily", 1, day);
	queued(s, "daily");
	pw_record *a = paper("2401.00001", "1", "First");
	ck_assert_int_eq(store_begin(s), 0);
	ck_assert_int_eq(store_weigh_again(s, "daily", "2401.00002", 1), 0);
	ck_assert_int_eq(store_weigh_done(s, "daily", 1), 0);
	ck_assert_int_eq(store_ledger_pending(s, "daily", "md", a), 0);
	ck_assert_int_eq(store_commit(s), 0);
	ck_assert_int_eq(store_delivery_get(s, "daily", "md", &attempt, &recovery, &began), 0);
	ck_assert_int_eq(store_delivery_begin(s, "daily", "md", "x", 1), 0);
	ck_assert_int_eq(store_delivery_effect(s, "daily", "md", "note"), 0);
	ck_assert_int_eq(store_delivery_done(s, "daily", "md", 1), 0);
	ck_assert_int_eq(store_ledger_each_delivered(s, "daily", "md", 0, drop_delivered, NULL), 0);
	ck_assert_int_eq(store_ledger_count(s, "daily", "md", LEDGER_PENDING), 0);
	ck_assert_int_eq(store_plan_violations(), 0);
	store_paper_count(s);
	ck_assert_int_eq(store_plan_violations(), 1);
	rec_free(a);
	store_close(s);
	unsetenv("PAPERWIRE_CHECK_PLANS");
}

END_TEST

/* A commit that leaves a large log hands it to a checkpoint beside the
 * run: once that has finished, and before the store closes (whose own
 * checkpoint would hide a checkpoint that copied nothing), the papers are
 * in the store file itself, and another connection reading meanwhile
 * finds the store whole. */
START_TEST(a_large_commit_is_checkpointed_beside_the_run)
{
	char err[512], id[32], abstract[2048];
	fresh_db();
	pw_store *s = store_open(db, err, sizeof err);
	ck_assert_msg(s != NULL, "%s", err);
	ck_assert_int_eq(store_begin(s), 0);
	for (int i = 0; i < 6000; i++) {
		snprintf(id, sizeof id, "2401.%05d", i);
		for (size_t j = 0; j + 1 < sizeof abstract; j++)
			abstract[j] = (char)('a' + (i * 7 + (int)j) % 26);
		abstract[sizeof abstract - 1] = '\0';
		pw_record *r = paper(id, "1", "A paper");
		rec_set(r, PW_F_ABSTRACT, abstract);
		ck_assert_int_eq(store_paper_put(s, r, NULL), 0);
		rec_free(r);
	}
	ck_assert_int_eq(store_commit(s), 0);
	sqlite3 *raw;
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_open(db, &raw), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(raw, "SELECT count(*) FROM papers", -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_int(st, 0), 6000);
	sqlite3_finalize(st);
	store_checkpoint_wait(s);
	struct stat sb;
	ck_assert_int_eq(stat(db, &sb), 0);
	ck_assert_msg(sb.st_size >= 12 * 1000 * 1000, "the store file holds %lld bytes", (long long)sb.st_size);
	ck_assert_int_eq(sqlite3_prepare_v2(raw, "PRAGMA quick_check", -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_str_eq((const char *)sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);
	sqlite3_close(raw);
	store_close(s);
}

END_TEST

static Suite *
store_suite(void)
{
	Suite *s = suite_create("store");
	TCase *tc = tcase_create("store");
	tcase_add_test(tc, creates_the_current_schema_in_wal);
	tcase_add_test(tc, papers_merge_by_id);
	tcase_add_test(tc, an_unchanged_paper_is_not_rewritten);
	tcase_add_test(tc, ledger_pending_then_delivered);
	tcase_add_test(tc, state_cache_validators_and_runs);
	tcase_add_test(tc, unscored_papers_are_weighed_again_a_few_times);
	tcase_add_test(tc, papers_stay_queued_until_the_digest_weighed_them);
	tcase_add_test(tc, a_new_digest_weighs_the_latest_fetch_day);
	tcase_add_test(tc, a_day_is_read_back_whole_and_in_order);
	tcase_add_test(tc, a_delivery_in_flight_is_found_by_the_next_run);
	tcase_add_test(tc, second_open_is_refused_while_locked);
	tcase_add_test(tc, the_lock_follows_the_file_not_the_path);
	tcase_add_test(tc, a_damaged_store_is_refused);
	tcase_add_test(tc, no_query_of_a_run_scans_a_growing_table);
	tcase_add_test(tc, garbage_and_unreadable_files_are_named);
	tcase_add_test(tc, a_large_commit_is_checkpointed_beside_the_run);
	suite_add_tcase(s, tc);
	return s;
}

PW_CHECK_MAIN(store_suite)
