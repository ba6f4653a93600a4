/* store_weigh.c: what each digest has still to weigh.  A paper is queued
 * for every digest in the transaction that stores it (to_weigh), and
 * leaves a digest's queue only in the transaction that commits that
 * digest's selection; so a run killed, interrupted or failing between the
 * two leaves the paper to the next run, whatever that run fetches or
 * whatever HTTP answers it then (a 304 included). */
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

int
store_weigh_queue(pw_store *s, const char *digest, int64_t run_id, long *queued)
{
	int changes0 = sqlite3_total_changes(s->db);
	sqlite3_stmt *st = sql_prepare(s, "INSERT OR IGNORE INTO to_weigh (digest, paper_id) "
	                                  "SELECT ?1, f.id FROM temp.run_fetched f WHERE NOT EXISTS "
	                                  "(SELECT 1 FROM digest_seen d WHERE d.digest = ?1 AND d.paper_id = f.id) "
	                                  "ORDER BY f.rowid");
	if (!st)
		return -1;
	sql_bind_text(st, 1, digest);
	if (sql_step_done(s, st, "cannot queue the fetched papers to weigh") < 0)
		return -1;
	st = sql_prepare(s, "SELECT 1 FROM digests WHERE name = ?");
	if (!st)
		return -1;
	sql_bind_text(st, 1, digest);
	int known = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	if (!known) {
		st = sql_prepare(s, "INSERT OR IGNORE INTO to_weigh (digest, paper_id) "
		                    "SELECT ?1, p.id FROM papers p WHERE p.last_seen >= "
		                    "(SELECT max(last_seen) FROM papers) - ?2 AND NOT EXISTS "
		                    "(SELECT 1 FROM digest_seen d WHERE d.digest = ?1 AND d.paper_id = p.id) "
		                    "ORDER BY p.last_seen, p.rowid");
		if (!st)
			return -1;
		sql_bind_text(st, 1, digest);
		sqlite3_bind_int64(st, 2, FIRST_RUN_WINDOW);
		if (sql_step_done(s, st, "cannot queue the latest papers for a new digest") < 0)
			return -1;
		st = sql_prepare(s, "INSERT INTO digests (name, first_run) VALUES (?, ?)");
		if (!st)
			return -1;
		sql_bind_text(st, 1, digest);
		sqlite3_bind_int64(st, 2, run_id);
		if (sql_step_done(s, st, "cannot record a new digest") < 0)
			return -1;
		changes0++; /* the digests row is not a paper */
	}
	if (queued)
		*queued = sqlite3_total_changes(s->db) - changes0;
	return 0;
}

int
store_weigh_each(pw_store *s, const char *digest, void (*fn)(pw_record *rec, int64_t retries, void *ud), void *ud)
{
	/* In the order they were queued. */
	sqlite3_stmt *st = sql_prepare(s, "SELECT p.record, w.retries FROM to_weigh w INDEXED BY to_weigh_by_digest "
	                                  "JOIN papers p ON p.id = w.paper_id WHERE w.digest = ? ORDER BY w.rowid");
	if (!st)
		return -1;
	sql_bind_text(st, 1, digest);
	return sql_each_record(s, st, "cannot read the papers to weigh", fn, ud);
}

long
store_weigh_count(pw_store *s, const char *digest)
{
	sqlite3_stmt *st = sql_prepare(s, "SELECT count(*) FROM to_weigh WHERE digest = ?");
	if (!st)
		return -1;
	sql_bind_text(st, 1, digest);
	return sql_count(s, st);
}

int
store_weigh_again(pw_store *s, const char *digest, const char *id, int64_t run_id)
{
	sqlite3_stmt *st = sql_prepare(s, "UPDATE to_weigh SET retries = retries + 1, run_id = ? "
	                                  "WHERE digest = ? AND paper_id = ?");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run_id);
	sql_bind_text(st, 2, digest);
	sql_bind_text(st, 3, id);
	return sql_step_done(s, st, "cannot keep a paper to weigh again");
}

int
store_weigh_done(pw_store *s, const char *digest, int64_t run_id)
{
	/* What this run kept to weigh again stays, unless it has had its tries. */
	static const char *const steps[] = {
		"INSERT OR IGNORE INTO digest_seen (digest, paper_id, run_id, retries) "
		"SELECT digest, paper_id, ?2, 0 FROM to_weigh WHERE digest = ?1 AND (run_id IS NOT ?2 OR retries > ?3)",
		"DELETE FROM to_weigh WHERE digest = ?1 AND (run_id IS NOT ?2 OR retries > ?3)",
	};
	for (size_t i = 0; i < 2; i++) {
		sqlite3_stmt *st = sql_prepare(s, steps[i]);
		if (!st)
			return -1;
		sql_bind_text(st, 1, digest);
		sqlite3_bind_int64(st, 2, run_id);
		sqlite3_bind_int(st, 3, STORE_MAX_RETRIES);
		if (sql_step_done(s, st, "cannot record the papers as weighed") < 0)
			return -1;
	}
	return 0;
}

int
store_digest_seen(pw_store *s, const char *digest, const char *id)
{
	sqlite3_stmt *st = sql_prepare(s, "SELECT 1 FROM digest_seen WHERE digest = ? AND paper_id = ?");
	if (!st)
		return -1;
	sql_bind_text(st, 1, digest);
	sql_bind_text(st, 2, id);
	int seen = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return seen;
}
