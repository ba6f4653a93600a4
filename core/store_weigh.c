/* store_weigh.c: what each digest has still to weigh.  Papers are only
 * ever added to the store, so their rowids grow with first sight: a digest
 * keeps the rowid up to which it has weighed (digests.weighed_upto), and
 * moves it only in the transaction that commits its selection.  So a run
 * killed, interrupted or failing in between leaves the papers to the next
 * run, whatever that run fetches or whatever HTTP answers it then (a 304
 * included), and queueing a day's papers costs nothing per paper.  The
 * few papers a scorer failed on wait in to_weigh to be weighed again. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "store_sql.h"

/* A digest's first run also weighs the papers of the store's latest
 * fetch day, so a digest added to a deployment starts with the last
 * announcement instead of nothing. */
#define FIRST_RUN_WINDOW 86400

static int64_t
int_query(pw_store *s, sqlite3_stmt *st, const char *digest, int64_t fallback)
{
	int64_t v = fallback;
	if (!st)
		return -1;
	if (digest)
		sql_bind_text(st, 1, digest);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		sql_set_err(s, "cannot read what a digest has weighed");
		v = -1;
	}
	sqlite3_finalize(st);
	return v;
}

/* The rowid up to which the digest has weighed; -2 for a digest never run. */
static int64_t
weighed_upto(pw_store *s, const char *digest)
{
	return int_query(s, sql_prepare(s, "SELECT weighed_upto FROM digests WHERE name = ?"), digest, -2);
}

int
store_weigh_enrol(pw_store *s, const char *digest, int64_t run_id)
{
	int64_t upto = weighed_upto(s, digest);
	if (upto != -2)
		return upto == -1 ? -1 : 0;
	/* A new digest: from the first paper of the latest fetch day. */
	sqlite3_stmt *st = sql_prepare(s, "SELECT min(rowid) - 1 FROM papers WHERE last_seen >= "
	                                  "(SELECT max(last_seen) FROM papers) - ?");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, FIRST_RUN_WINDOW);
	upto = int_query(s, st, NULL, 0);
	if (upto < 0)
		return -1;
	st = sql_prepare(s, "INSERT INTO digests (name, first_run, weighed_upto) VALUES (?, ?, ?)");
	if (!st)
		return -1;
	sql_bind_text(st, 1, digest);
	sqlite3_bind_int64(st, 2, run_id);
	sqlite3_bind_int64(st, 3, upto);
	return sql_step_done(s, st, "cannot record a new digest");
}

long
store_weigh_replacements(pw_store *s, const char *digest, const char *sink)
{
	/* run_id NULL: weighed once, then gone (store_weigh_done keeps only
	 * the rows the weighing run itself asked to weigh again). */
	if (store_fetched_to_sql(s) < 0)
		return -1;
	sqlite3_stmt *st =
	        sql_prepare(s, "INSERT OR IGNORE INTO to_weigh (digest, paper_id, retries, run_id) "
	                       "SELECT ?1, p.id, 0, NULL FROM temp.run_fetched f JOIN papers p ON p.id = f.id "
	                       "JOIN ledger l ON l.digest = ?1 AND l.sink = ?2 AND l.paper_id = p.id "
	                       "WHERE l.status = ?3 AND p.version > coalesce(l.version, 0)");
	if (!st)
		return -1;
	sql_bind_text(st, 1, digest);
	sql_bind_text(st, 2, sink);
	sqlite3_bind_int(st, 3, LEDGER_DELIVERED);
	if (sql_step_done(s, st, "cannot queue the replacements") < 0)
		return -1;
	return sqlite3_changes(s->db);
}

int
store_weigh_each(pw_store *s, const char *digest, void (*fn)(pw_record *rec, int64_t retries, void *ud), void *ud)
{
	/* First those to weigh again, then the new ones in the order first seen.
	 * The bound is fixed now, so done() moves past exactly what was read. */
	int64_t upto = weighed_upto(s, digest);
	int64_t top = int_query(s, sql_prepare(s, "SELECT max(rowid) FROM papers"), NULL, 0);
	if (upto == -1 || top < 0)
		return -1;
	if (upto == -2)
		upto = top; /* enrol() was not called: nothing is new to this digest */
	free(s->weigh_digest);
	s->weigh_digest = strdup(digest);
	s->weigh_top = top;
	sqlite3_stmt *st = sql_prepare(
	        s, "SELECT " PAPER_COLUMNS("p.") ", NULL, w.retries FROM to_weigh w "
	                                         "INDEXED BY to_weigh_by_digest JOIN papers p ON p.id = w.paper_id "
	                                         "WHERE w.digest = ? ORDER BY w.rowid");
	if (!st)
		return -1;
	sql_bind_text(st, 1, digest);
	if (sql_each_record(s, st, "cannot read the papers to weigh again", fn, ud) < 0)
		return -1;
	st = sql_prepare(s, "SELECT " PAPER_COLUMNS("") ", NULL, 0 FROM papers WHERE rowid > ? AND rowid <= ? "
	                                                "ORDER BY rowid");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, upto);
	sqlite3_bind_int64(st, 2, top);
	return sql_each_record(s, st, "cannot read the papers to weigh", fn, ud);
}

long
store_weigh_count(pw_store *s, const char *digest)
{
	int64_t upto = weighed_upto(s, digest);
	if (upto == -1)
		return -1;
	sqlite3_stmt *st = sql_prepare(s, "SELECT (SELECT count(*) FROM papers WHERE rowid > ?1) + "
	                                  "(SELECT count(*) FROM to_weigh WHERE digest = ?2)");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, upto < 0 ? 0 : upto);
	sql_bind_text(st, 2, digest);
	return sql_count(s, st);
}

int
store_weigh_again(pw_store *s, const char *digest, const char *id, int64_t run_id)
{
	sqlite3_stmt *st =
	        sql_prepare(s, "INSERT INTO to_weigh (digest, paper_id, retries, run_id) VALUES (?, ?, 1, ?) "
	                       "ON CONFLICT(digest, paper_id) DO UPDATE SET retries = retries + 1, "
	                       "run_id = excluded.run_id");
	if (!st)
		return -1;
	sql_bind_text(st, 1, digest);
	sql_bind_text(st, 2, id);
	sqlite3_bind_int64(st, 3, run_id);
	return sql_step_done(s, st, "cannot keep a paper to weigh again");
}

int
store_weigh_done(pw_store *s, const char *digest, int64_t run_id)
{
	/* Past what weigh_each read (or, called alone, every stored paper);
	 * of the papers to weigh again, those this run did not keep, or that
	 * have had their tries, go. */
	int64_t top = s->weigh_digest && strcmp(s->weigh_digest, digest) == 0
	                      ? s->weigh_top
	                      : int_query(s, sql_prepare(s, "SELECT max(rowid) FROM papers"), NULL, 0);
	if (top < 0)
		return -1;
	sqlite3_stmt *st = sql_prepare(s, "UPDATE digests SET weighed_upto = max(weighed_upto, ?) WHERE name = ?");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, top);
	sql_bind_text(st, 2, digest);
	if (sql_step_done(s, st, "cannot record the papers as weighed") < 0)
		return -1;
	st = sql_prepare(s, "DELETE FROM to_weigh WHERE digest = ?1 AND (run_id IS NOT ?2 OR retries > ?3)");
	if (!st)
		return -1;
	sql_bind_text(st, 1, digest);
	sqlite3_bind_int64(st, 2, run_id);
	sqlite3_bind_int(st, 3, STORE_MAX_RETRIES);
	return sql_step_done(s, st, "cannot record the papers as weighed");
}

int
store_digest_seen(pw_store *s, const char *digest, const char *id)
{
	/* Weighed for good: at or below the digest's mark, not waiting to be
	 * weighed again. */
	sqlite3_stmt *st = sql_prepare(s, "SELECT p.rowid <= d.weighed_upto AND NOT EXISTS (SELECT 1 FROM to_weigh w "
	                                  "WHERE w.digest = d.name AND w.paper_id = p.id) "
	                                  "FROM papers p JOIN digests d ON d.name = ?1 WHERE p.id = ?2");
	if (!st)
		return -1;
	sql_bind_text(st, 1, digest);
	sql_bind_text(st, 2, id);
	int seen = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return seen;
}
