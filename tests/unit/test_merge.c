/* Merging: one paper found twice, under any spelling of its id, is one
 * record in the store, and the run's fetched list keeps the first place. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "pw_check.h"
#include "record.h"
#include "store.h"

static char db[256];

static pw_store *
fresh_store(void)
{
	char cmd[600], err[512];
	snprintf(db, sizeof db, "/tmp/pw-test-merge-%d/pw.db", (int)getpid());
	snprintf(cmd, sizeof cmd, "rm -rf /tmp/pw-test-merge-%d && mkdir -p /tmp/pw-test-merge-%d", (int)getpid(),
	         (int)getpid());
	ck_assert_int_eq(system(cmd), 0);
	pw_store *s = store_open(db, err, sizeof err);
	ck_assert_msg(s != NULL, "%s", err);
	return s;
}

/* What on_emit does with a record. */
static int
put(pw_store *s, const char *raw_id, const char *title, const char *source)
{
	int is_new = -1;
	pw_record *r = rec_new();
	rec_set(r, PW_F_ID, raw_id);
	if (title)
		rec_set(r, PW_F_TITLE, title);
	rec_set(r, PW_F_SOURCE, source);
	ck_assert_int_eq(rec_canonicalize(r), 0);
	ck_assert_int_eq(store_paper_put(s, r, &is_new), 0);
	ck_assert_int_eq(store_fetched_add(s, rec_get(r, PW_F_ID)), 0);
	rec_free(r);
	return is_new;
}

static void
collect(pw_record *rec, int64_t retries, void *ud)
{
	(void)retries;
	char *out = ud;
	snprintf(out + strlen(out), 512 - strlen(out), "%s ", rec_get(rec, PW_F_ID));
	rec_free(rec);
}

START_TEST(same_paper_under_every_spelling_merges)
{
	pw_store *s = fresh_store();
	ck_assert_int_eq(put(s, "http://arxiv.org/abs/2401.00001v1", "T", "listing"), 1);
	ck_assert_int_eq(put(s, "10.48550/ARXIV.2401.00001", NULL, "s2"), 0);
	ck_assert_int_eq(put(s, "https://doi.org/10.48550/arXiv.2401.00001", NULL, "s2"), 0);
	ck_assert_int_eq(put(s, "arXiv:2401.00001v2", NULL, "api"), 0);
	ck_assert_int_eq(put(s, "2401.00002", "U", "listing"), 1);
	ck_assert_int_eq(put(s, "hep-th/9901001v3", "Old", "oai"), 1);
	ck_assert_int_eq(put(s, "arXiv:hep-th/9901001", NULL, "s2"), 0);
	ck_assert_int_eq(store_fetched_count(s), 3);
	pw_record *r = store_paper_get(s, "2401.00001");
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(rec_get(r, PW_F_TITLE), "T");
	ck_assert_int_eq(rec_version(r), 2);
	rec_free(r);
	char order[512] = "";
	ck_assert_int_eq(store_weigh_enrol(s, "d", 1), 0);
	ck_assert_int_eq(store_weigh_each(s, "d", collect, order), 0);
	ck_assert_str_eq(order, "2401.00001 2401.00002 hep-th/9901001 ");
	store_close(s);
}

END_TEST

START_TEST(a_dropped_batch_leaves_nothing)
{
	pw_store *s = fresh_store();
	ck_assert_int_eq(store_begin(s), 0);
	put(s, "2401.00001", "kept", "a");
	ck_assert_int_eq(store_savepoint(s, "b", STORE_SP_BEGIN), 0);
	put(s, "2401.00002", "dropped", "a");
	put(s, "2401.00001v3", "changed", "a");
	ck_assert_int_eq(store_savepoint(s, "b", STORE_SP_ROLLBACK), 0);
	ck_assert_int_eq(store_savepoint(s, "b", STORE_SP_BEGIN), 0);
	put(s, "2401.00003", "kept too", "a");
	ck_assert_int_eq(store_savepoint(s, "b", STORE_SP_RELEASE), 0);
	ck_assert_int_eq(store_commit(s), 0);
	ck_assert_int_eq(store_fetched_count(s), 2);
	ck_assert_ptr_null(store_paper_get(s, "2401.00002"));
	pw_record *r = store_paper_get(s, "2401.00001");
	ck_assert_str_eq(rec_get(r, PW_F_TITLE), "kept");
	rec_free(r);
	store_close(s);
}

END_TEST

START_TEST(fetched_ids_follow_the_transactions)
{
	/* The set is held in memory: it must forget what a rolled-back
	 * transaction added, keep what a commit kept, count an id once, and
	 * grow past its first table. */
	pw_store *s = fresh_store();
	char id[32];
	ck_assert_int_eq(store_begin(s), 0);
	for (int i = 0; i < 3000; i++) {
		snprintf(id, sizeof id, "2401.%05d", i % 2500);
		ck_assert_int_eq(store_fetched_add(s, id), 0);
	}
	ck_assert_int_eq(store_commit(s), 0);
	ck_assert_int_eq(store_fetched_count(s), 2500);
	ck_assert_int_eq(store_begin(s), 0);
	ck_assert_int_eq(store_fetched_add(s, "2402.00001"), 0);
	ck_assert_int_eq(store_savepoint(s, "b", STORE_SP_BEGIN), 0);
	ck_assert_int_eq(store_fetched_add(s, "2402.00002"), 0);
	ck_assert_int_eq(store_fetched_add(s, "2401.00007"), 0);
	ck_assert_int_eq(store_fetched_count(s), 2502);
	ck_assert_int_eq(store_savepoint(s, "b", STORE_SP_ROLLBACK), 0);
	ck_assert_int_eq(store_fetched_count(s), 2501);
	store_rollback(s);
	ck_assert_int_eq(store_fetched_count(s), 2500);
	/* Forgotten ids can be added again, and old ones are still known. */
	ck_assert_int_eq(store_begin(s), 0);
	ck_assert_int_eq(store_fetched_add(s, "2402.00002"), 0);
	ck_assert_int_eq(store_fetched_add(s, "2401.02499"), 0);
	ck_assert_int_eq(store_commit(s), 0);
	ck_assert_int_eq(store_fetched_count(s), 2501);
	store_close(s);
}

END_TEST

static Suite *
merge_suite(void)
{
	Suite *s = suite_create("merge");
	TCase *tc = tcase_create("merge");
	tcase_add_test(tc, same_paper_under_every_spelling_merges);
	tcase_add_test(tc, a_dropped_batch_leaves_nothing);
	tcase_add_test(tc, fetched_ids_follow_the_transactions);
	suite_add_tcase(s, tc);
	return s;
}

PW_CHECK_MAIN(merge_suite)
