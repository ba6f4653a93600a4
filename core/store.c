/* store.c: everything that must outlive a run goes through here, each
 * change inside a transaction, so a kill -9 at any moment loses nothing
 * that was committed and never leaves half a change behind.  This file
 * opens, locks and checks the store and keeps papers, state, caches and
 * the run log; store_weigh.c keeps what each digest has still to weigh,
 * store_ledger.c what each sink has delivered or is delivering. */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "record.h"
#include "store_sql.h"

void
sql_set_err(pw_store *s, const char *what)
{
	snprintf(s->err, sizeof s->err, "store %s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

const char *
store_error(const pw_store *s)
{
	return s->err;
}

int
sql_exec(pw_store *s, const char *sql, const char *what)
{
	char *msg = NULL;
	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(s->err, sizeof s->err, "store %s: %s: %s", s->path, what, msg ? msg : "failed");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* The run lock is a flock on the store file itself: it follows the
 * file's identity, so a second run through a symlink, another relative
 * path or a hard link meets it, and there is no side file to delete.
 * (SQLite's own locks are per transaction and POSIX-style; a flock is
 * independent of them, and a whole run must be exclusive.) */
static int
take_run_lock(pw_store *s)
{
	s->lock_fd = open(s->path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (s->lock_fd < 0) {
		snprintf(s->err, sizeof s->err, "store %s: cannot open: %s", s->path, strerror(errno));
		return -1;
	}
	if (flock(s->lock_fd, LOCK_EX | LOCK_NB) < 0) {
		snprintf(s->err, sizeof s->err, "store %s is locked: another paperwire run is using it", s->path);
		return -1;
	}
	return 0;
}

/* A full integrity check reads the whole file, which grows with the
 * store's age; it runs when the last run did not finish (a crash, a full
 * disk, a kill) and at least once a week.  Every other open checks the
 * small tables a run writes most. */
#define FULL_CHECK_EVERY (7 * 86400)

static int
check_failed(pw_store *s, const char *sql)
{
	sqlite3_stmt *st = sql_prepare(s, sql);
	if (!st)
		return 1;
	int rc = sqlite3_step(st);
	int bad = rc != SQLITE_ROW || strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0;
	if (bad)
		snprintf(s->err, sizeof s->err,
		         "store %s fails SQLite's integrity check (%s): it is damaged; restore it from a backup, "
		         "or move it away to start afresh",
		         s->path, rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : sqlite3_errmsg(s->db));
	sqlite3_finalize(st);
	return bad;
}

static int
full_check_due(pw_store *s)
{
	long unfinished = sql_count(s, sql_prepare(s, "SELECT count(*) FROM (SELECT finished FROM runs "
	                                              "ORDER BY id DESC LIMIT 1) WHERE finished IS NULL"));
	char *last = store_state_get(s, "store", "@full_check");
	long long at = last ? atoll(last) : 0;
	free(last);
	return unfinished != 0 || (long long)time(NULL) - at >= FULL_CHECK_EVERY;
}

static int
check_integrity(pw_store *s)
{
	static const char *const small[] = { "ledger", "deliveries", "to_weigh", "digests", "state", "runs" };
	char sql[96], now[32];
	if (full_check_due(s)) {
		if (check_failed(s, "PRAGMA quick_check(1)"))
			return -1;
		snprintf(now, sizeof now, "%lld", (long long)time(NULL));
		return store_state_set(s, "store", "@full_check", now);
	}
	for (size_t i = 0; i < sizeof small / sizeof small[0]; i++) {
		snprintf(sql, sizeof sql, "PRAGMA quick_check(\"%s\")", small[i]);
		if (check_failed(s, sql))
			return -1;
	}
	return 0;
}

/* SQLite counts the memory it holds under a process-wide lock taken on
 * every allocation; nothing here asks for the count.  Settable only
 * before SQLite's first use: later it refuses, and the count stays. */
static void
without_memory_statistics(void)
{
	static int done;
	if (!done)
		sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	done = 1;
}

pw_store *
store_open(const char *path, char *err, size_t err_size)
{
	pw_store *s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, err_size, "store %s: out of memory", path);
		return NULL;
	}
	int busy = 0;
	s->lock_fd = -1;
	s->search_upto = -1;
	s->path = strdup(path);
	if (!s->path)
		goto fail;
	if (take_run_lock(s) < 0) {
		busy = errno == EWOULDBLOCK;
		goto fail;
	}
	without_memory_statistics();
	/* The run's connection is used by the run's thread alone (the
	 * checkpoint thread opens its own): SQLite need not lock it on every
	 * call (a million locks and unlocks a first run, 1.8% of it). */
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		sql_set_err(s, "cannot open");
		goto fail;
	}
	sqlite3_busy_timeout(s->db, 5000);
	sqlite3_extended_result_codes(s->db, 1);
	/* 64 KiB pages for a new store (an existing one keeps its own): a
	 * first run writes its papers in an eighth of the WAL frames 8 KiB
	 * pages took, two write calls a frame and one read and one write
	 * each again at the checkpoint (47,755 pwrite and 34,804 pread calls
	 * for 50,000 papers, 5,895 and 4,244 now); measured side by side,
	 * 1.18 -> 1.00 s, filled store unchanged.  (Below 8 KiB a record,
	 * about 1.7 KB, spills into an overflow page.)  A store with one
	 * paper is 1.7 MB: a page a table and index. */
	if (sql_exec(s, "PRAGMA page_size = 65536", "cannot set the page size") < 0 ||
	    sql_exec(s, "PRAGMA journal_mode = WAL", "cannot switch to WAL (is it a SQLite database?)") < 0 ||
	    sql_exec(s, "PRAGMA synchronous = NORMAL", "cannot set synchronous") < 0 ||
	    sql_exec(s, "PRAGMA foreign_keys = ON", "cannot enable foreign keys") < 0 || store_migrate(s) < 0 ||
	    check_integrity(s) < 0 ||
	    sql_exec(s, "CREATE TEMP TABLE run_fetched (id TEXT PRIMARY KEY) WITHOUT ROWID",
	             "cannot create the run's table") < 0)
		goto fail;
	store_checkpoint_in_background(s);
	return s;
fail:
	snprintf(err, err_size, "%s", s->err[0] ? s->err : "store: out of memory");
	store_close(s);
	errno = busy ? EWOULDBLOCK : 0;
	return NULL;
}

pw_store *
store_open_shared(const char *path, char *err, size_t err_size)
{
	pw_store *s = calloc(1, sizeof *s);
	if (!s || !(s->path = strdup(path))) {
		snprintf(err, err_size, "store %s: out of memory", path);
		free(s);
		return NULL;
	}
	s->lock_fd = -1;
	s->search_upto = -1;
	int version;
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		sql_set_err(s, "cannot open (has 'paperwire run' made it yet?)");
		goto fail;
	}
	sqlite3_busy_timeout(s->db, 5000);
	sqlite3_extended_result_codes(s->db, 1);
	if (store_user_version(s, &version) < 0)
		goto fail;
	if (version != STORE_SCHEMA_VERSION) {
		snprintf(s->err, sizeof s->err, "store %s has schema %d, this paperwire uses %d: %s", path, version,
		         STORE_SCHEMA_VERSION,
		         version < STORE_SCHEMA_VERSION ? "a 'paperwire run' upgrades it"
		                                        : "it was written by a newer paperwire");
		goto fail;
	}
	return s;
fail:
	snprintf(err, err_size, "%s", s->err);
	store_close(s);
	return NULL;
}

void
store_close(pw_store *s)
{
	if (!s)
		return;
	sqlite3_finalize(s->paper_hash_st);
	sqlite3_finalize(s->paper_record_st);
	sqlite3_finalize(s->paper_put_st);
	store_fetched_free(s);
	store_checkpoint_wait(s);
	if (s->db)
		sqlite3_close(s->db);
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	free(s->weigh_digest);
	free(s->path);
	free(s);
}

int
store_begin(pw_store *s)
{
	return sql_exec(s, "BEGIN IMMEDIATE", "cannot begin a transaction");
}

int
store_commit(pw_store *s)
{
	if (sql_exec(s, "COMMIT", "cannot commit") < 0)
		return -1;
	store_fetched_on_transaction(s, STORE_TX_COMMIT);
	return 0;
}

void
store_rollback(pw_store *s)
{
	if (!sqlite3_get_autocommit(s->db)) {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		store_fetched_on_transaction(s, STORE_TX_ROLLBACK);
	}
}

int
store_in_transaction(pw_store *s)
{
	return !sqlite3_get_autocommit(s->db);
}

/* PAPERWIRE_CHECK_PLANS=1 (the tests set it): every statement the store
 * prepares is explained first, and a full scan of a table that grows
 * with the store's age (papers, the ledger, what was weighed) is an
 * error on stderr, so a run's cost follows the day's papers, never the
 * store's age.  A statement with LIMIT reads a bounded part of an index. */
static long plan_violations;

long
store_plan_violations(void)
{
	return plan_violations;
}

static void
check_plan(pw_store *s, const char *sql)
{
	static int enabled = -1;
	if (enabled < 0) {
		const char *v = getenv("PAPERWIRE_CHECK_PLANS");
		enabled = v && *v == '1';
	}
	if (!enabled || strncmp(sql, "PRAGMA", 6) == 0 || strstr(sql, " LIMIT "))
		return;
	char *explain = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sql);
	sqlite3_stmt *st = NULL;
	if (explain && sqlite3_prepare_v2(s->db, explain, -1, &st, NULL) == SQLITE_OK)
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *detail = (const char *)sqlite3_column_text(st, 3);
			static const char *const grows[] = { "papers", "p",        "ledger", "digest_seen",
				                             "d",      "to_weigh", "w" };
			for (size_t i = 0; detail && i < sizeof grows / sizeof grows[0]; i++) {
				size_t n = strlen(grows[i]);
				if (strncmp(detail, "SCAN ", 5) == 0 && strncmp(detail + 5, grows[i], n) == 0 &&
				    (detail[5 + n] == '\0' || detail[5 + n] == ' ') && ++plan_violations)
					fprintf(stderr, "paperwire: store: full scan (%s) in: %s\n", detail, sql);
			}
		}
	sqlite3_finalize(st);
	sqlite3_free(explain);
}

sqlite3_stmt *
sql_prepare(pw_store *s, const char *sql)
{
	sqlite3_stmt *st = NULL;
	check_plan(s, sql);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		sql_set_err(s, "cannot prepare a statement");
		return NULL;
	}
	return st;
}

sqlite3_stmt *
sql_cached(pw_store *s, sqlite3_stmt **slot, const char *sql)
{
	if (*slot) {
		sqlite3_reset(*slot);
		sqlite3_clear_bindings(*slot);
		return *slot;
	}
	check_plan(s, sql);
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, slot, NULL) != SQLITE_OK) {
		sql_set_err(s, "cannot prepare a statement");
		*slot = NULL;
	}
	return *slot;
}

int
sql_step_reset(pw_store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		sql_set_err(s, what);
		return -1;
	}
	return 0;
}

int
sql_step_done(pw_store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	if (rc != SQLITE_DONE) {
		sql_set_err(s, what);
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

void
sql_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

char *
sql_query_text(pw_store *s, sqlite3_stmt *st)
{
	char *out = NULL;
	(void)s;
	if (!st)
		return NULL;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		out = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return out;
}

int
sql_each_record(pw_store *s, sqlite3_stmt *st, const char *what, void (*fn)(pw_record *rec, int64_t extra, void *ud),
                void *ud)
{
	int rc, has_extra = sqlite3_column_count(st) > PAPER_NCOLUMNS + 1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		pw_record *rec = paper_from_row(st, 0, PAPER_NCOLUMNS);
		if (rec)
			fn(rec, has_extra ? sqlite3_column_int64(st, PAPER_NCOLUMNS + 1) : 0, ud);
	}
	if (rc != SQLITE_DONE)
		sql_set_err(s, what);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

void
sql_call_plain(pw_record *rec, int64_t extra, void *ud)
{
	const struct sql_plain_fn *p = ud;
	(void)extra;
	p->fn(rec, p->ud);
}

long
sql_count(pw_store *s, sqlite3_stmt *st)
{
	long n = -1;
	(void)s;
	if (!st)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* The record stored under id, in *out (NULL when there is none or it
 * cannot be read back); -1 when the statement cannot be prepared. */
static int
stored_record(pw_store *s, const char *id, pw_record **out)
{
	sqlite3_stmt *st = sql_cached(s, &s->paper_record_st, "SELECT " PAPER_COLUMNS("") " FROM papers WHERE id = ?");
	*out = NULL;
	if (!st)
		return -1;
	sql_bind_text(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		*out = paper_from_row(st, 0, -1);
	sqlite3_reset(st);
	return 0;
}

int
store_paper_put(pw_store *s, const pw_record *rec, int *is_new)
{
	const char *id = rec_get(rec, PW_F_ID);
	if (!id)
		return -1;
	/* The digest of what the source gave: when it is the one a source
	 * gave last time, merging it again changes nothing (a merge only
	 * fills or updates from a newer version), so there is nothing to
	 * write.  The covering index answers without a read of the table: the
	 * upsert alone would read the paper's row to find out, which made a
	 * run over an unchanged listing 17% slower. */
	sqlite3_int64 hash = (sqlite3_int64)rec_hash(rec);
	sqlite3_stmt *st = sql_cached(s, &s->paper_hash_st,
	                              "SELECT src_hash FROM papers INDEXED BY papers_by_id_hash WHERE id = ?");
	if (!st)
		return -1;
	sql_bind_text(st, 1, id);
	int exists = sqlite3_step(st) == SQLITE_ROW;
	int unchanged = exists && sqlite3_column_type(st, 0) == SQLITE_INTEGER && sqlite3_column_int64(st, 0) == hash;
	sqlite3_reset(st);
	if (is_new)
		*is_new = !exists;
	if (unchanged)
		return 0;
	/* New or changed: one statement inserts it or merges it into the
	 * stored paper, as rec_merge would. */
	st = sql_cached(s, &s->paper_put_st, paper_upsert_sql());
	if (!st)
		return -1;
	if (paper_bind(st, 1, rec) < 0) {
		sqlite3_clear_bindings(st);
		snprintf(s->err, sizeof s->err, "store %s: out of memory saving a paper", s->path);
		return -1;
	}
	sqlite3_bind_int64(st, 18, (int64_t)time(NULL));
	sqlite3_bind_int64(st, 19, hash);
	int rc = sql_step_reset(s, st, "cannot save a paper");
	sqlite3_clear_bindings(st); /* the record's text was bound in place */
	return rc;
}

/* Savepoints nest inside the run's transaction: a source's batch of
 * records can be dropped without touching what came before it. */
int
store_savepoint(pw_store *s, const char *name, int action)
{
	char sql[128];
	static const char *const verbs[] = { "SAVEPOINT", "RELEASE", "ROLLBACK TO" };
	static const int events[] = { STORE_TX_SAVEPOINT, STORE_TX_RELEASE, STORE_TX_ROLLBACK_TO };
	snprintf(sql, sizeof sql, "%s \"%s\"", verbs[action], name);
	if (sql_exec(s, sql, "savepoint failed") < 0)
		return -1;
	store_fetched_on_transaction(s, events[action]);
	if (action == STORE_SP_ROLLBACK) {
		snprintf(sql, sizeof sql, "RELEASE \"%s\"", name);
		return sql_exec(s, sql, "savepoint failed");
	}
	return 0;
}

pw_record *
store_paper_get(pw_store *s, const char *id)
{
	pw_record *rec;
	stored_record(s, id, &rec);
	return rec;
}

int
store_paper_each(pw_store *s, size_t max, void (*fn)(pw_record *rec, void *ud), void *ud)
{
	sqlite3_stmt *st = sql_prepare(
	        s, "SELECT " PAPER_COLUMNS("") ", NULL FROM papers ORDER BY last_seen DESC, rowid DESC LIMIT ?");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)max);
	struct sql_plain_fn plain = { fn, ud };
	return sql_each_record(s, st, "cannot read papers", sql_call_plain, &plain);
}

long
store_paper_count(pw_store *s)
{
	return sql_count(s, sql_prepare(s, "SELECT count(*) FROM papers"));
}

static char *
kv_get(pw_store *s, const char *table, const char *ns, const char *key)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT value FROM %s WHERE ns = ? AND key = ?", table);
	sqlite3_stmt *st = sql_prepare(s, sql);
	if (!st)
		return NULL;
	sql_bind_text(st, 1, ns);
	sql_bind_text(st, 2, key);
	return sql_query_text(s, st);
}

char *
store_state_get(pw_store *s, const char *ns, const char *key)
{
	return kv_get(s, "state", ns, key);
}

/* A write of three texts (?1 to ?3) and, when the statement has a ?4,
 * the time now: how state, the cache and HTTP validators are saved. */
static int
write_three(pw_store *s, const char *sql, const char *a, const char *b, const char *c, const char *what)
{
	sqlite3_stmt *st = sql_prepare(s, sql);
	if (!st)
		return -1;
	sql_bind_text(st, 1, a);
	sql_bind_text(st, 2, b);
	sql_bind_text(st, 3, c);
	if (sqlite3_bind_parameter_count(st) >= 4)
		sqlite3_bind_int64(st, 4, (int64_t)time(NULL));
	return sql_step_done(s, st, what);
}

/* The state and the cache are both (ns, key) -> value tables; the
 * cache also keeps when each entry was written, for its expiry. */
static int
kv_put(pw_store *s, const char *table, const char *ns, const char *key, const char *value)
{
	int cache = strcmp(table, "cache") == 0;
	return write_three(
	        s,
	        cache ? "INSERT INTO cache (ns, key, value, created) VALUES (?1, ?2, ?3, ?4) ON CONFLICT(ns, "
	                "key) DO UPDATE SET value = excluded.value, created = excluded.created"
	              : "INSERT INTO state (ns, key, value) VALUES (?1, ?2, ?3) "
	                "ON CONFLICT(ns, key) DO UPDATE SET value = excluded.value",
	        ns, key, value, cache ? "cannot save to the cache" : "cannot save state");
}

int
store_state_set(pw_store *s, const char *ns, const char *key, const char *value)
{
	return kv_put(s, "state", ns, key, value);
}

char *
store_cache_get(pw_store *s, const char *ns, const char *key)
{
	return kv_get(s, "cache", ns, key);
}

int
store_cache_put(pw_store *s, const char *ns, const char *key, const char *value)
{
	return kv_put(s, "cache", ns, key, value);
}

int
store_validators_get(pw_store *s, const char *url, char **etag, char **last_modified)
{
	*etag = *last_modified = NULL;
	sqlite3_stmt *st = sql_prepare(s, "SELECT etag, last_modified FROM http_validators WHERE url = ?");
	if (!st)
		return -1;
	sql_bind_text(st, 1, url);
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
	return write_three(s,
	                   "INSERT INTO http_validators (url, etag, last_modified, saved) "
	                   "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, "
	                   "last_modified = excluded.last_modified, saved = excluded.saved",
	                   url, etag, last_modified, "cannot save HTTP validators");
}

int64_t
store_run_begin(pw_store *s, int64_t started)
{
	sqlite3_stmt *st = sql_prepare(s, "INSERT INTO runs (started) VALUES (?)");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, started);
	if (sql_step_done(s, st, "cannot start the run log") < 0)
		return -1;
	return (int64_t)sqlite3_last_insert_rowid(s->db);
}

int
store_run_end(pw_store *s, int64_t run_id, int64_t finished, int exit_code, const char *report_json)
{
	sqlite3_stmt *st = sql_prepare(s, "UPDATE runs SET finished = ?, exit_code = ?, report = ? WHERE id = ?");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, finished);
	sqlite3_bind_int(st, 2, exit_code);
	sql_bind_text(st, 3, report_json);
	sqlite3_bind_int64(st, 4, run_id);
	return sql_step_done(s, st, "cannot finish the run log");
}
