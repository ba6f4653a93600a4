/* store_ledger.c: the delivery ledger.  A paper selected for a sink is
 * pending; before the sink's external effect the rows of that delivery
 * become "in flight" and a deliveries row says what the sink is about to
 * do and what recovery needs (a file offset, a Message-ID), committed;
 * after the effect they become delivered.  A run that dies in between
 * leaves the next run enough to finish or redo exactly that delivery. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "record.h"
#include "store_sql.h"

/* A ledger row as a record: the paper's row with what the ledger keeps
 * read over it (sql_each_record's and paper_from_row's columns), then
 * the columns in more. */
#define LEDGER_OVER_PAPERS(more) \
	"SELECT " PAPER_COLUMNS("p.") ", l.scored" more " FROM ledger l LEFT JOIN papers p ON p.id = l.paper_id "

/* Nearly every ledger statement names one (digest, sink) pair as ?1 and ?2;
 * prepared here with the pair bound, NULL when preparing fails. */
static sqlite3_stmt *
prepare_for(pw_store *s, const char *sql, const char *digest, const char *sink)
{
	sqlite3_stmt *st = sql_prepare(s, sql);
	if (st) {
		sql_bind_text(st, 1, digest);
		sql_bind_text(st, 2, sink);
	}
	return st;
}

/* Ends a failed write transaction. */
static int
rolled_back(pw_store *s)
{
	store_rollback(s);
	return -1;
}

int
store_ledger_status(pw_store *s, const char *digest, const char *sink, const char *id)
{
	sqlite3_stmt *st = prepare_for(s, "SELECT status FROM ledger WHERE digest = ?1 AND sink = ?2 AND paper_id = ?3",
	                               digest, sink);
	int status = LEDGER_NONE;
	if (!st)
		return -1;
	sql_bind_text(st, 3, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		status = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return status;
}

/* What the ledger keeps of a scored paper: what is not as the paper's
 * row holds it (scores, reasons, enrichment, anything changed). */
static int
not_stored(const pw_record *rec, size_t i, void *ud)
{
	(void)ud;
	return !rec_field_is_stored(rec, i);
}

int
store_ledger_pending(pw_store *s, const char *digest, const char *sink, const pw_record *scored)
{
	char *json = rec_to_json_some(scored, not_stored, NULL, REC_JSON_SCORES | REC_JSON_DROPPED);
	if (!json)
		return -1;
	/* A paper still pending gets its new scores; one delivered in an older
	 * version (a replacement the digest weighed again) is pending again,
	 * to be delivered once more in this version.  In flight: untouched. */
	sqlite3_stmt *st =
	        prepare_for(s,
	                    "INSERT INTO ledger (digest, sink, paper_id, status, scored, selected_at, version) "
	                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?8) "
	                    "ON CONFLICT(digest, sink, paper_id) DO UPDATE SET scored = excluded.scored, "
	                    "status = ?4, delivered_at = NULL, version = excluded.version, "
	                    "selected_at = CASE WHEN status = ?4 THEN selected_at ELSE excluded.selected_at END "
	                    "WHERE status = ?4 OR (status = ?7 AND ?8 > coalesce(version, 0))",
	                    digest, sink);
	if (!st) {
		free(json);
		return -1;
	}
	sql_bind_text(st, 3, rec_get(scored, PW_F_ID));
	sqlite3_bind_int(st, 4, LEDGER_PENDING);
	sql_bind_text(st, 5, json);
	sqlite3_bind_int64(st, 6, (int64_t)time(NULL));
	sqlite3_bind_int(st, 7, LEDGER_DELIVERED);
	sqlite3_bind_int(st, 8, rec_version(scored));
	free(json);
	return sql_step_done(s, st, "cannot record a selection in the ledger");
}

/* The records of (digest, sink) in one state, in the order selected: the
 * paper's row with what the ledger keeps over it. */
static int
each_in_state(pw_store *s, const char *digest, const char *sink, int status, void (*fn)(pw_record *rec, void *ud),
              void *ud)
{
	sqlite3_stmt *st = prepare_for(s,
	                               LEDGER_OVER_PAPERS("") "WHERE l.digest = ?1 AND l.sink = ?2 AND l.status = ?3 "
	                                                      "ORDER BY l.selected_at, l.rowid",
	                               digest, sink);
	if (!st)
		return -1;
	sqlite3_bind_int(st, 3, status);
	struct sql_plain_fn plain = { fn, ud };
	return sql_each_record(s, st, "cannot read the ledger", sql_call_plain, &plain);
}

int
store_ledger_each_pending(pw_store *s, const char *digest, const char *sink, void (*fn)(pw_record *rec, void *ud),
                          void *ud)
{
	return each_in_state(s, digest, sink, LEDGER_PENDING, fn, ud);
}

int
store_ledger_each_pending_id(pw_store *s, const char *digest, const char *sink, void (*fn)(const char *id, void *ud),
                             void *ud)
{
	sqlite3_stmt *st = prepare_for(s,
	                               "SELECT paper_id FROM ledger WHERE digest = ?1 AND sink = ?2 AND status = ?3 "
	                               "ORDER BY selected_at, rowid",
	                               digest, sink);
	if (!st)
		return -1;
	sqlite3_bind_int(st, 3, LEDGER_PENDING);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		fn((const char *)sqlite3_column_text(st, 0), ud);
	if (rc != SQLITE_DONE)
		sql_set_err(s, "cannot read the ledger");
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

pw_record *
store_ledger_record(pw_store *s, const char *digest, const char *sink, const char *id)
{
	sqlite3_stmt *st = prepare_for(
	        s, LEDGER_OVER_PAPERS("") "WHERE l.digest = ?1 AND l.sink = ?2 AND l.paper_id = ?3", digest, sink);
	if (!st)
		return NULL;
	sql_bind_text(st, 3, id);
	pw_record *rec = NULL;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && !(rec = paper_from_row(st, 0, PAPER_NCOLUMNS)))
		snprintf(s->err, sizeof s->err, "store %s: the paper's row or its ledger row cannot be read", s->path);
	else if (rc == SQLITE_DONE)
		snprintf(s->err, sizeof s->err, "store %s: the paper is not in the ledger", s->path);
	else if (rc != SQLITE_ROW)
		sql_set_err(s, "cannot read the ledger");
	sqlite3_finalize(st);
	return rec;
}

int
store_ledger_each_delivered(pw_store *s, const char *digest, const char *sink, int64_t since,
                            void (*fn)(pw_record *rec, int64_t delivered_at, void *ud), void *ud)
{
	sqlite3_stmt *st = prepare_for(
	        s,
	        LEDGER_OVER_PAPERS(
	                ", l.delivered_at") "WHERE l.digest = ?1 AND l.sink = ?2 "
	                                    "AND l.status = ?3 AND l.delivered_at >= ?4 AND l.scored IS NOT NULL "
	                                    "ORDER BY l.delivered_at DESC, l.rowid DESC",
	        digest, sink);
	if (!st)
		return -1;
	sqlite3_bind_int(st, 3, LEDGER_DELIVERED);
	sqlite3_bind_int64(st, 4, since);
	return sql_each_record(s, st, "cannot read delivered papers", fn, ud);
}

long
store_ledger_count(pw_store *s, const char *digest, const char *sink, int status)
{
	sqlite3_stmt *st = prepare_for(s, "SELECT count(*) FROM ledger WHERE digest = ?1 AND sink = ?2 AND status = ?3",
	                               digest, sink);
	if (!st)
		return -1;
	sqlite3_bind_int(st, 3, status);
	return sql_count(s, st);
}

int
store_delivery_begin(pw_store *s, const char *digest, const char *sink, const char *attempt, int64_t run_id)
{
	if (store_begin(s) < 0)
		return -1;
	sqlite3_stmt *st = prepare_for(
	        s, "UPDATE ledger SET status = ?3 WHERE digest = ?1 AND sink = ?2 AND status = ?4", digest, sink);
	if (!st)
		return rolled_back(s);
	sqlite3_bind_int(st, 3, LEDGER_IN_FLIGHT);
	sqlite3_bind_int(st, 4, LEDGER_PENDING);
	if (sql_step_done(s, st, "cannot mark a delivery in flight") < 0)
		return rolled_back(s);
	st = prepare_for(s,
	                 "INSERT INTO deliveries (digest, sink, attempt, began, run_id, started) "
	                 "VALUES (?1, ?2, ?3, 0, ?4, ?5)",
	                 digest, sink);
	if (!st)
		return rolled_back(s);
	sql_bind_text(st, 3, attempt);
	sqlite3_bind_int64(st, 4, run_id);
	sqlite3_bind_int64(st, 5, (int64_t)time(NULL));
	if (sql_step_done(s, st, "cannot record a delivery") < 0 || store_commit(s) < 0)
		return rolled_back(s);
	return 0;
}

int
store_delivery_get(pw_store *s, const char *digest, const char *sink, char **attempt, char **recovery, int *began)
{
	*attempt = *recovery = NULL;
	*began = 0;
	sqlite3_stmt *st = prepare_for(
	        s, "SELECT attempt, recovery, began FROM deliveries WHERE digest = ?1 AND sink = ?2", digest, sink);
	if (!st)
		return -1;
	int rc = sqlite3_step(st), found = 0;
	if (rc == SQLITE_ROW) {
		found = 1;
		*attempt = strdup((const char *)sqlite3_column_text(st, 0));
		if (sqlite3_column_type(st, 1) != SQLITE_NULL)
			*recovery = strdup((const char *)sqlite3_column_text(st, 1));
		*began = sqlite3_column_int(st, 2);
	} else if (rc != SQLITE_DONE) {
		sql_set_err(s, "cannot read the deliveries under way");
		found = -1;
	}
	sqlite3_finalize(st);
	return found;
}

int
store_delivery_each(pw_store *s, const char *digest, const char *sink, void (*fn)(pw_record *rec, void *ud), void *ud)
{
	return each_in_state(s, digest, sink, LEDGER_IN_FLIGHT, fn, ud);
}

int
store_delivery_effect(pw_store *s, const char *digest, const char *sink, const char *recovery)
{
	sqlite3_stmt *st = prepare_for(
	        s, "UPDATE deliveries SET began = 1, recovery = ?3 WHERE digest = ?1 AND sink = ?2", digest, sink);
	if (!st)
		return -1;
	sql_bind_text(st, 3, recovery);
	if (sql_step_done(s, st, "cannot record a delivery's effect") < 0)
		return -1;
	/* The write lock, taken now, is what lets the update after the effect
	 * never wait for another process. */
	return store_begin(s);
}

/* The rows in flight become delivered (done) or pending again (requeue),
 * and the delivery's row goes; in the open transaction when there is one. */
static int
end_delivery(pw_store *s, const char *digest, const char *sink, int status, int64_t run_id)
{
	if (!store_in_transaction(s) && store_begin(s) < 0)
		return -1;
	sqlite3_stmt *st = prepare_for(s,
	                               "UPDATE ledger SET status = ?3, delivered_at = CASE WHEN ?3 = ?4 THEN ?5 END, "
	                               "run_id = ?6 WHERE digest = ?1 AND sink = ?2 AND status = ?7",
	                               digest, sink);
	if (!st)
		return rolled_back(s);
	sqlite3_bind_int(st, 3, status);
	sqlite3_bind_int(st, 4, LEDGER_DELIVERED);
	sqlite3_bind_int64(st, 5, (int64_t)time(NULL));
	if (run_id > 0)
		sqlite3_bind_int64(st, 6, run_id);
	sqlite3_bind_int(st, 7, LEDGER_IN_FLIGHT);
	if (sql_step_done(s, st, "cannot record the end of a delivery") < 0)
		return rolled_back(s);
	st = prepare_for(s, "DELETE FROM deliveries WHERE digest = ?1 AND sink = ?2", digest, sink);
	if (!st || sql_step_done(s, st, "cannot record the end of a delivery") < 0 || store_commit(s) < 0)
		return rolled_back(s);
	return 0;
}

int
store_delivery_done(pw_store *s, const char *digest, const char *sink, int64_t run_id)
{
	return end_delivery(s, digest, sink, LEDGER_DELIVERED, run_id);
}

int
store_delivery_requeue(pw_store *s, const char *digest, const char *sink)
{
	return end_delivery(s, digest, sink, LEDGER_PENDING, 0);
}

long
store_pending_count(pw_store *s, const char *digest)
{
	/* Pending or in flight: every row is one of the three states. */
	sqlite3_stmt *st = sql_prepare(s, "SELECT count(*) FROM ledger WHERE digest = ? AND status <> ?");
	if (!st)
		return -1;
	sql_bind_text(st, 1, digest);
	sqlite3_bind_int(st, 2, LEDGER_DELIVERED);
	return sql_count(s, st);
}
