/* store.c: everything that must outlive a run goes through here, each
 * change inside a transaction, so a kill -9 at any moment loses nothing
 * that was committed and never leaves half a change behind. */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "record.h"
#include "store.h"

struct pw_store {
	sqlite3 *db;
	int lock_fd;
	char *path;
	char err[4608];
	/* Statements run once per fetched paper, prepared once. */
	sqlite3_stmt *paper_get_st, *paper_put_st, *fetched_st;
};

/* Schema steps: migrations[i] upgrades user_version i to i+1. */
static const char *const store_migrations[] = {
	"CREATE TABLE papers ("
	"  id TEXT PRIMARY KEY, version INTEGER NOT NULL DEFAULT 0,"
	"  record TEXT NOT NULL, first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL);"
	"CREATE TABLE ledger ("
	"  digest TEXT NOT NULL, sink TEXT NOT NULL, paper_id TEXT NOT NULL,"
	"  status INTEGER NOT NULL, scored TEXT, selected_at INTEGER NOT NULL,"
	"  delivered_at INTEGER, run_id INTEGER,"
	"  PRIMARY KEY (digest, sink, paper_id));"
	"CREATE TABLE digest_seen (digest TEXT NOT NULL, paper_id TEXT NOT NULL, run_id INTEGER,"
	"  retries INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (digest, paper_id));"
	"CREATE TABLE state (ns TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,"
	"  PRIMARY KEY (ns, key));"
	"CREATE TABLE cache (ns TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,"
	"  created INTEGER NOT NULL, PRIMARY KEY (ns, key));"
	"CREATE TABLE http_validators (url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT,"
	"  saved INTEGER NOT NULL);"
	"CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, started INTEGER NOT NULL,"
	"  finished INTEGER, exit_code INTEGER, report TEXT);",
};
#define STORE_NMIGRATIONS (sizeof store_migrations / sizeof store_migrations[0])

static void
set_err(pw_store *s, const char *what)
{
	snprintf(s->err, sizeof s->err, "store %s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

const char *
store_error(const pw_store *s)
{
	return s->err;
}

static int
exec_sql(pw_store *s, const char *sql, const char *what)
{
	char *msg = NULL;
	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(s->err, sizeof s->err, "store %s: %s: %s", s->path, what, msg ? msg : "failed");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int
user_version(pw_store *s, int *version)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK) {
		set_err(s, "cannot read the schema version");
		return -1;
	}
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		set_err(s, "cannot read the schema version");
		sqlite3_finalize(st);
		return -1;
	}
	*version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return 0;
}

static int
migrate(pw_store *s)
{
	int version;
	if (user_version(s, &version) < 0)
		return -1;
	if (version > (int)STORE_NMIGRATIONS) {
		snprintf(s->err, sizeof s->err,
		         "store %s: schema version %d is newer than this paperwire knows (%d): upgrade paperwire",
		         s->path, version, (int)STORE_NMIGRATIONS);
		return -1;
	}
	while (version < (int)STORE_NMIGRATIONS) {
		char bump[64];
		if (exec_sql(s, "BEGIN IMMEDIATE", "cannot start the schema upgrade") < 0)
			return -1;
		snprintf(bump, sizeof bump, "PRAGMA user_version = %d", version + 1);
		if (exec_sql(s, store_migrations[version], "schema upgrade failed") < 0 ||
		    exec_sql(s, bump, "schema upgrade failed") < 0) {
			exec_sql(s, "ROLLBACK", "rollback");
			return -1;
		}
		if (exec_sql(s, "COMMIT", "cannot commit the schema upgrade") < 0)
			return -1;
		version++;
	}
	return 0;
}

/* The run lock is a flock on a side file: SQLite's own locks are per
 * transaction, and a whole run must be exclusive. */
static int
take_run_lock(pw_store *s)
{
	char lockpath[4096];
	snprintf(lockpath, sizeof lockpath, "%s.lock", s->path);
	s->lock_fd = open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (s->lock_fd < 0) {
		snprintf(s->err, sizeof s->err, "store %s: cannot open the lock file %s: %s", s->path, lockpath,
		         strerror(errno));
		return -1;
	}
	if (flock(s->lock_fd, LOCK_EX | LOCK_NB) < 0) {
		snprintf(s->err, sizeof s->err,
		         "store %s is locked: another paperwire run is using it (lock file %s)", s->path, lockpath);
		return -1;
	}
	return 0;
}

pw_store *
store_open(const char *path, char *err, size_t err_size)
{
	pw_store *s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, err_size, "store %s: out of memory", path);
		return NULL;
	}
	s->lock_fd = -1;
	s->path = strdup(path);
	if (!s->path)
		goto fail;
	if (take_run_lock(s) < 0)
		goto fail;
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		set_err(s, "cannot open");
		goto fail;
	}
	sqlite3_busy_timeout(s->db, 5000);
	sqlite3_extended_result_codes(s->db, 1);
	if (exec_sql(s, "PRAGMA journal_mode = WAL", "cannot switch to WAL (is it a SQLite database?)") < 0 ||
	    exec_sql(s, "PRAGMA synchronous = NORMAL", "cannot set synchronous") < 0 ||
	    exec_sql(s, "PRAGMA foreign_keys = ON", "cannot enable foreign keys") < 0 ||
	    migrate(s) < 0 ||
	    exec_sql(s, "CREATE TEMP TABLE run_fetched (id TEXT PRIMARY KEY)", "cannot create the run's table") < 0)
		goto fail;
	return s;
fail:
	snprintf(err, err_size, "%s", s->err[0] ? s->err : "store: out of memory");
	store_close(s);
	return NULL;
}

void
store_close(pw_store *s)
{
	if (!s)
		return;
	sqlite3_finalize(s->paper_get_st);
	sqlite3_finalize(s->paper_put_st);
	sqlite3_finalize(s->fetched_st);
	if (s->db)
		sqlite3_close(s->db);
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	free(s->path);
	free(s);
}

int
store_begin(pw_store *s)
{
	return exec_sql(s, "BEGIN IMMEDIATE", "cannot begin a transaction");
}

int
store_commit(pw_store *s)
{
	return exec_sql(s, "COMMIT", "cannot commit");
}

void
store_rollback(pw_store *s)
{
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

static sqlite3_stmt *
prepare(pw_store *s, const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		set_err(s, "cannot prepare a statement");
		return NULL;
	}
	return st;
}

/* A statement kept for the life of the store, reset for its next use. */
static sqlite3_stmt *
cached(pw_store *s, sqlite3_stmt **slot, const char *sql)
{
	if (*slot) {
		sqlite3_reset(*slot);
		sqlite3_clear_bindings(*slot);
		return *slot;
	}
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, slot, NULL) != SQLITE_OK) {
		set_err(s, "cannot prepare a statement");
		*slot = NULL;
	}
	return *slot;
}

/* Runs a cached statement that returns no rows; keeps it. */
static int
step_reset(pw_store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		set_err(s, what);
		return -1;
	}
	return 0;
}

/* Runs a statement that returns no rows; finalizes it. */
static int
step_done(pw_store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	if (rc != SQLITE_DONE) {
		set_err(s, what);
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

static void
bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

/* Returns a malloc'd copy of column 0 of the first row, or NULL. */
static char *
query_text(pw_store *s, sqlite3_stmt *st)
{
	char *out = NULL;
	if (!st)
		return NULL;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		out = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return out;
}

/* Steps st to its end and finalizes it: column 0 of each row is a record's
 * JSON, handed to fn (which takes the record) with column 1 as an integer
 * when the query has one.  what names the read in the error. */
static int
each_record(pw_store *s, sqlite3_stmt *st, const char *what, void (*fn)(pw_record *rec, int64_t extra, void *ud),
            void *ud)
{
	int rc, has_extra = sqlite3_column_count(st) > 1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *json = (const char *)sqlite3_column_text(st, 0);
		pw_record *rec = json ? rec_from_json(json) : NULL;
		if (rec)
			fn(rec, has_extra ? sqlite3_column_int64(st, 1) : 0, ud);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		set_err(s, what);
		return -1;
	}
	return 0;
}

/* For the callers whose callback takes no extra column. */
struct plain_fn {
	void (*fn)(pw_record *rec, void *ud);
	void *ud;
};

static void
call_plain(pw_record *rec, int64_t extra, void *ud)
{
	const struct plain_fn *p = ud;
	(void)extra;
	p->fn(rec, p->ud);
}

static long
count_query(pw_store *s, sqlite3_stmt *st)
{
	long n = -1;
	if (!st)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

int
store_paper_put(pw_store *s, const pw_record *rec, int *is_new)
{
	const char *id = rec_get(rec, PW_F_ID);
	int64_t now = (int64_t)time(NULL);
	if (!id)
		return -1;
	sqlite3_stmt *st = cached(s, &s->paper_get_st, "SELECT record FROM papers WHERE id = ?");
	if (!st)
		return -1;
	bind_text(st, 1, id);
	int exists = sqlite3_step(st) == SQLITE_ROW;
	pw_record *merged = NULL;
	if (exists) {
		merged = rec_from_json((const char *)sqlite3_column_text(st, 0));
		if (merged)
			rec_merge(merged, rec);
	}
	sqlite3_reset(st);
	if (is_new)
		*is_new = !exists;
	char *json = rec_to_json(merged ? merged : rec, 0);
	int version = rec_version(merged ? merged : rec);
	rec_free(merged);
	if (!json)
		return -1;
	st = cached(s, &s->paper_put_st,
	            "INSERT INTO papers (id, version, record, first_seen, last_seen) VALUES (?, ?, ?, ?, ?) "
	            "ON CONFLICT(id) DO UPDATE SET version = excluded.version, record = excluded.record, "
	            "last_seen = excluded.last_seen");
	if (!st) {
		free(json);
		return -1;
	}
	bind_text(st, 1, id);
	sqlite3_bind_int(st, 2, version);
	sqlite3_bind_text(st, 3, json, -1, free);
	sqlite3_bind_int64(st, 4, now);
	sqlite3_bind_int64(st, 5, now);
	return step_reset(s, st, "cannot save a paper");
}

int
store_fetched_add(pw_store *s, const char *id)
{
	sqlite3_stmt *st = cached(s, &s->fetched_st, "INSERT OR IGNORE INTO temp.run_fetched (id) VALUES (?)");
	if (!st)
		return -1;
	bind_text(st, 1, id);
	return step_reset(s, st, "cannot note a fetched paper");
}

long
store_fetched_count(pw_store *s)
{
	return count_query(s, prepare(s, "SELECT count(*) FROM temp.run_fetched"));
}

/* Savepoints nest inside the run's transaction: a source's batch of
 * records can be dropped without touching what came before it. */
int
store_savepoint(pw_store *s, const char *name, int action)
{
	char sql[128];
	static const char *const verbs[] = { "SAVEPOINT", "RELEASE", "ROLLBACK TO" };
	snprintf(sql, sizeof sql, "%s \"%s\"", verbs[action], name);
	if (exec_sql(s, sql, "savepoint failed") < 0)
		return -1;
	if (action == STORE_SP_ROLLBACK) {
		snprintf(sql, sizeof sql, "RELEASE \"%s\"", name);
		return exec_sql(s, sql, "savepoint failed");
	}
	return 0;
}

pw_record *
store_paper_get(pw_store *s, const char *id)
{
	sqlite3_stmt *st = prepare(s, "SELECT record FROM papers WHERE id = ?");
	if (!st)
		return NULL;
	bind_text(st, 1, id);
	char *json = query_text(s, st);
	pw_record *rec = json ? rec_from_json(json) : NULL;
	free(json);
	return rec;
}


int
store_paper_each(pw_store *s, size_t max, void (*fn)(pw_record *rec, void *ud), void *ud)
{
	sqlite3_stmt *st = prepare(s, "SELECT record FROM papers ORDER BY last_seen DESC, rowid DESC LIMIT ?");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)max);
	struct plain_fn plain = { fn, ud };
	return each_record(s, st, "cannot read papers", call_plain, &plain);
}

long
store_paper_count(pw_store *s)
{
	return count_query(s, prepare(s, "SELECT count(*) FROM papers"));
}

int
store_ledger_status(pw_store *s, const char *digest, const char *sink, const char *id)
{
	sqlite3_stmt *st = prepare(s, "SELECT status FROM ledger WHERE digest = ? AND sink = ? AND paper_id = ?");
	int status = LEDGER_NONE;
	if (!st)
		return -1;
	bind_text(st, 1, digest);
	bind_text(st, 2, sink);
	bind_text(st, 3, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		status = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return status;
}

int
store_ledger_pending(pw_store *s, const char *digest, const char *sink, const pw_record *scored)
{
	char *json = rec_to_json(scored, 1);
	if (!json)
		return -1;
	sqlite3_stmt *st = prepare(s,
		"INSERT INTO ledger (digest, sink, paper_id, status, scored, selected_at) VALUES (?, ?, ?, ?, ?, ?) "
		"ON CONFLICT(digest, sink, paper_id) DO UPDATE SET scored = excluded.scored "
		"WHERE status = " "1");
	if (!st) {
		free(json);
		return -1;
	}
	bind_text(st, 1, digest);
	bind_text(st, 2, sink);
	bind_text(st, 3, rec_get(scored, PW_F_ID));
	sqlite3_bind_int(st, 4, LEDGER_PENDING);
	bind_text(st, 5, json);
	sqlite3_bind_int64(st, 6, (int64_t)time(NULL));
	free(json);
	return step_done(s, st, "cannot record a selection in the ledger");
}

int
store_ledger_delivered(pw_store *s, const char *digest, const char *sink, const char *id, int64_t run_id)
{
	sqlite3_stmt *st = prepare(s,
		"UPDATE ledger SET status = ?, delivered_at = ?, run_id = ? "
		"WHERE digest = ? AND sink = ? AND paper_id = ?");
	if (!st)
		return -1;
	sqlite3_bind_int(st, 1, LEDGER_DELIVERED);
	sqlite3_bind_int64(st, 2, (int64_t)time(NULL));
	sqlite3_bind_int64(st, 3, run_id);
	bind_text(st, 4, digest);
	bind_text(st, 5, sink);
	bind_text(st, 6, id);
	return step_done(s, st, "cannot mark a paper delivered");
}

int
store_ledger_each_pending(pw_store *s, const char *digest, const char *sink,
                          void (*fn)(pw_record *rec, void *ud), void *ud)
{
	sqlite3_stmt *st = prepare(s, "SELECT scored FROM ledger WHERE digest = ? AND sink = ? AND status = ? "
	                              "ORDER BY selected_at, rowid");
	if (!st)
		return -1;
	bind_text(st, 1, digest);
	bind_text(st, 2, sink);
	sqlite3_bind_int(st, 3, LEDGER_PENDING);
	struct plain_fn plain = { fn, ud };
	return each_record(s, st, "cannot read pending deliveries", call_plain, &plain);
}

int
store_ledger_each_delivered(pw_store *s, const char *digest, const char *sink, int64_t since,
                            void (*fn)(pw_record *rec, int64_t delivered_at, void *ud), void *ud)
{
	sqlite3_stmt *st = prepare(s, "SELECT scored, delivered_at FROM ledger WHERE digest = ? AND sink = ? "
	                              "AND status = ? AND delivered_at >= ? AND scored IS NOT NULL "
	                              "ORDER BY delivered_at DESC, rowid DESC");
	if (!st)
		return -1;
	bind_text(st, 1, digest);
	bind_text(st, 2, sink);
	sqlite3_bind_int(st, 3, LEDGER_DELIVERED);
	sqlite3_bind_int64(st, 4, since);
	return each_record(s, st, "cannot read delivered papers", fn, ud);
}

long
store_ledger_count(pw_store *s, const char *digest, const char *sink, int status)
{
	sqlite3_stmt *st = prepare(s, "SELECT count(*) FROM ledger WHERE digest = ? AND sink = ? AND status = ?");
	if (!st)
		return -1;
	bind_text(st, 1, digest);
	bind_text(st, 2, sink);
	sqlite3_bind_int(st, 3, status);
	return count_query(s, st);
}

static char *
kv_get(pw_store *s, const char *table, const char *ns, const char *key)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT value FROM %s WHERE ns = ? AND key = ?", table);
	sqlite3_stmt *st = prepare(s, sql);
	if (!st)
		return NULL;
	bind_text(st, 1, ns);
	bind_text(st, 2, key);
	return query_text(s, st);
}

char *
store_state_get(pw_store *s, const char *ns, const char *key)
{
	return kv_get(s, "state", ns, key);
}

int
store_state_set(pw_store *s, const char *ns, const char *key, const char *value)
{
	sqlite3_stmt *st = prepare(s, "INSERT INTO state (ns, key, value) VALUES (?, ?, ?) "
	                              "ON CONFLICT(ns, key) DO UPDATE SET value = excluded.value");
	if (!st)
		return -1;
	bind_text(st, 1, ns);
	bind_text(st, 2, key);
	bind_text(st, 3, value);
	return step_done(s, st, "cannot save state");
}

char *
store_cache_get(pw_store *s, const char *ns, const char *key)
{
	return kv_get(s, "cache", ns, key);
}

int
store_cache_put(pw_store *s, const char *ns, const char *key, const char *value)
{
	sqlite3_stmt *st = prepare(s, "INSERT INTO cache (ns, key, value, created) VALUES (?, ?, ?, ?) "
	                              "ON CONFLICT(ns, key) DO UPDATE SET value = excluded.value, "
	                              "created = excluded.created");
	if (!st)
		return -1;
	bind_text(st, 1, ns);
	bind_text(st, 2, key);
	bind_text(st, 3, value);
	sqlite3_bind_int64(st, 4, (int64_t)time(NULL));
	return step_done(s, st, "cannot save to the cache");
}

int
store_validators_get(pw_store *s, const char *url, char **etag, char **last_modified)
{
	*etag = *last_modified = NULL;
	sqlite3_stmt *st = prepare(s, "SELECT etag, last_modified FROM http_validators WHERE url = ?");
	if (!st)
		return -1;
	bind_text(st, 1, url);
	if (sqlite3_step(st) == SQLITE_ROW) {
		if (sqlite3_column_type(st, 0) != SQLITE_NULL)
			*etag = strdup((const char *)sqlite3_column_text(st, 0));
		if (sqlite3_column_type(st, 1) != SQLITE_NULL)
			*last_modified = strdup((const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	return 0;
}

int
store_validators_put(pw_store *s, const char *url, const char *etag, const char *last_modified)
{
	sqlite3_stmt *st = prepare(s, "INSERT INTO http_validators (url, etag, last_modified, saved) "
	                              "VALUES (?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, "
	                              "last_modified = excluded.last_modified, saved = excluded.saved");
	if (!st)
		return -1;
	bind_text(st, 1, url);
	bind_text(st, 2, etag);
	bind_text(st, 3, last_modified);
	sqlite3_bind_int64(st, 4, (int64_t)time(NULL));
	return step_done(s, st, "cannot save HTTP validators");
}

int64_t
store_run_begin(pw_store *s, int64_t started)
{
	sqlite3_stmt *st = prepare(s, "INSERT INTO runs (started) VALUES (?)");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, started);
	if (step_done(s, st, "cannot start the run log") < 0)
		return -1;
	return (int64_t)sqlite3_last_insert_rowid(s->db);
}

int
store_run_end(pw_store *s, int64_t run_id, int64_t finished, int exit_code, const char *report_json)
{
	sqlite3_stmt *st = prepare(s, "UPDATE runs SET finished = ?, exit_code = ?, report = ? WHERE id = ?");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, finished);
	sqlite3_bind_int(st, 2, exit_code);
	bind_text(st, 3, report_json);
	sqlite3_bind_int64(st, 4, run_id);
	return step_done(s, st, "cannot finish the run log");
}

int
store_digest_seen(pw_store *s, const char *digest, const char *id)
{
	/* A paper left to retry counts as not seen: the digest weighs it again. */
	sqlite3_stmt *st = prepare(s, "SELECT retries FROM digest_seen WHERE digest = ? AND paper_id = ?");
	int seen;
	if (!st)
		return -1;
	bind_text(st, 1, digest);
	bind_text(st, 2, id);
	seen = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 0;
	sqlite3_finalize(st);
	return seen;
}

int
store_digest_mark_seen(pw_store *s, const char *digest, const char *id, int64_t run_id, int retry)
{
	/* After STORE_MAX_RETRIES failed weighings a paper counts as seen. */
	sqlite3_stmt *st = prepare(s, "INSERT INTO digest_seen (digest, paper_id, run_id, retries) VALUES (?, ?, ?, ?) "
	                              "ON CONFLICT(digest, paper_id) DO UPDATE SET run_id = excluded.run_id, "
	                              "retries = CASE WHEN excluded.retries = 0 OR retries >= ? THEN 0 "
	                              "ELSE retries + 1 END");
	if (!st)
		return -1;
	bind_text(st, 1, digest);
	bind_text(st, 2, id);
	sqlite3_bind_int64(st, 3, run_id);
	sqlite3_bind_int(st, 4, retry ? 1 : 0);
	sqlite3_bind_int(st, 5, STORE_MAX_RETRIES);
	return step_done(s, st, "cannot record a paper as considered");
}

int
store_digest_each_retry(pw_store *s, const char *digest, void (*fn)(pw_record *rec, void *ud), void *ud)
{
	/* Those fetched again this run are candidates already. */
	sqlite3_stmt *st = prepare(s, "SELECT p.record FROM digest_seen d JOIN papers p ON p.id = d.paper_id "
	                              "WHERE d.digest = ? AND d.retries > 0 "
	                              "AND d.paper_id NOT IN (SELECT id FROM temp.run_fetched) ORDER BY d.rowid");
	if (!st)
		return -1;
	bind_text(st, 1, digest);
	struct plain_fn plain = { fn, ud };
	return each_record(s, st, "cannot read papers to retry", call_plain, &plain);
}

int
store_digest_each_candidate(pw_store *s, const char *digest, void (*fn)(pw_record *rec, int64_t retries, void *ud),
                            void *ud)
{
	/* Fetched this run, in fetch order, and not weighed yet by this
	 * digest (or left to weigh again). */
	sqlite3_stmt *st = prepare(s, "SELECT p.record, coalesce(d.retries, 0) FROM temp.run_fetched f "
	                              "JOIN papers p ON p.id = f.id "
	                              "LEFT JOIN digest_seen d ON d.digest = ?1 AND d.paper_id = f.id "
	                              "WHERE d.retries IS NULL OR d.retries > 0 ORDER BY f.rowid");
	if (!st)
		return -1;
	bind_text(st, 1, digest);
	return each_record(s, st, "cannot read the candidates", fn, ud);
}

int
store_digest_mark_fetched(pw_store *s, const char *digest, int64_t run_id)
{
	/* Rows this run already marked (papers to weigh again) keep their count. */
	sqlite3_stmt *st = prepare(s, "INSERT INTO digest_seen (digest, paper_id, run_id, retries) "
	                              "SELECT ?, id, ?, 0 FROM temp.run_fetched WHERE true "
	                              "ON CONFLICT(digest, paper_id) DO UPDATE SET run_id = excluded.run_id, retries = 0 "
	                              "WHERE run_id IS NOT excluded.run_id AND retries > 0");
	if (!st)
		return -1;
	bind_text(st, 1, digest);
	sqlite3_bind_int64(st, 2, run_id);
	return step_done(s, st, "cannot record the fetched papers as considered");
}
