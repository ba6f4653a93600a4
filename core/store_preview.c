/* store_preview.c: what `paperwire preview` reads: a fetch day's papers
 * and what a digest's sinks were given of them.  Read only. */
#include "autoconf.h"

#include <stdio.h>

#include "store_sql.h"

#define DAY 86400

int
store_fetch_day(pw_store *s, int64_t day, int64_t *start)
{
	if (day >= 0) {
		*start = day - day % DAY;
		return 0;
	}
	/* Rowids grow with first sight: the last row is the latest fetch. */
	sqlite3_stmt *st = sql_prepare(s, "SELECT first_seen FROM papers ORDER BY rowid DESC LIMIT 1");
	if (!st)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*start = sqlite3_column_int64(st, 0) - sqlite3_column_int64(st, 0) % DAY;
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		return 1;
	sql_set_err(s, "cannot read the latest paper");
	return -1;
}

int
store_papers_of_day(pw_store *s, int64_t start, void (*fn)(pw_record *rec, int64_t retries, void *ud), void *ud)
{
	sqlite3_stmt *st =
	        sql_prepare(s, "SELECT " PAPER_COLUMNS("") ", NULL, 0 FROM papers "
	                                                   "INDEXED BY papers_by_first_seen "
	                                                   "WHERE first_seen >= ? AND first_seen < ? ORDER BY rowid");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, start);
	sqlite3_bind_int64(st, 2, start + DAY);
	return sql_each_record(s, st, "cannot read the day's papers", fn, ud);
}

int
store_selected_of_day(pw_store *s, const char *digest, const char *sink, int64_t start,
                      void (*fn)(pw_record *scored, void *ud), void *ud)
{
	sqlite3_stmt *st = sql_prepare(
	        s,
	        "SELECT " PAPER_COLUMNS("p.") ", l.scored FROM papers p "
	                                      "INDEXED BY papers_by_first_seen "
	                                      "JOIN ledger l ON l.digest = ? AND l.sink = ? AND l.paper_id = p.id "
	                                      "WHERE p.first_seen >= ? AND p.first_seen < ? AND l.scored IS NOT NULL "
	                                      "ORDER BY l.selected_at, l.rowid");
	if (!st)
		return -1;
	sql_bind_text(st, 1, digest);
	sql_bind_text(st, 2, sink);
	sqlite3_bind_int64(st, 3, start);
	sqlite3_bind_int64(st, 4, start + DAY);
	struct sql_plain_fn plain = { fn, ud };
	return sql_each_record(s, st, "cannot read the ledger", sql_call_plain, &plain);
}
