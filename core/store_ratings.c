/* store_ratings.c: the reader's likes and dislikes, per digest. */
#include "autoconf.h"

#include <stdlib.h>

#include "record.h"
#include "store_sql.h"

int
store_rating_set(pw_store *s, const char *digest, const char *paper_id, int rating, int64_t rated_at)
{
	sqlite3_stmt *st = sql_prepare(
	        s, rating ? "INSERT INTO ratings (digest, paper_id, rating, rated_at) VALUES (?1, ?2, ?3, ?4) "
	                    "ON CONFLICT(digest, paper_id) DO UPDATE SET rating = excluded.rating, "
	                    "rated_at = excluded.rated_at"
	                  : "DELETE FROM ratings WHERE digest = ?1 AND paper_id = ?2");
	if (!st)
		return -1;
	sql_bind_text(st, 1, digest);
	sql_bind_text(st, 2, paper_id);
	if (rating) {
		sqlite3_bind_int(st, 3, rating > 0 ? 1 : -1);
		sqlite3_bind_int64(st, 4, rated_at);
	}
	if (sql_step_done(s, st, "cannot save the rating") < 0)
		return -1;
	return sqlite3_changes(s->db) > 0;
}

/* A digest's ratings, newest first, with the record of each paper the
 * store holds. */
static const char ratings_of_digest[] = "SELECT r.paper_id, r.rating, r.rated_at, " PAPER_COLUMNS(
        "p.") " FROM ratings r "
              "LEFT JOIN papers p ON p.id = r.paper_id WHERE r.digest = ?1 "
              "ORDER BY r.rated_at DESC, r.rowid DESC";

int
store_ratings_each(pw_store *s, const char *digest,
                   void (*fn)(void *ud, const char *paper_id, int rating, int64_t rated_at, const pw_record *rec),
                   void *ud)
{
	sqlite3_stmt *st = sql_prepare(s, ratings_of_digest);
	if (!st)
		return -1;
	sql_bind_text(st, 1, digest);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		pw_record *rec = paper_from_row(st, 3, -1);
		fn(ud, (const char *)sqlite3_column_text(st, 0), sqlite3_column_int(st, 1), sqlite3_column_int64(st, 2),
		   rec);
		rec_free(rec);
	}
	if (rc != SQLITE_DONE)
		sql_set_err(s, "cannot read the ratings");
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}
