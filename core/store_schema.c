/* store_schema.c: the store's schema, step by step.  migrations[i]
 * upgrades user_version i to i+1 inside one transaction, so a store is
 * always at one version or the next, never between. */
#include "autoconf.h"

#include <stdio.h>

#include "record.h"

#include "store_sql.h"

static const char *const store_migrations[] = {
	/* 0 -> 1 */
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

	/* 1 -> 2: weighing becomes durable and costs what the day costs: each
	 * digest keeps the rowid of papers up to which it has weighed
	 * (digests.weighed_upto: papers are only ever added, so rowids grow
	 * with first sight), and to_weigh holds only the papers it must weigh
	 * again (a scorer failed on them).  Existing digests have weighed every
	 * stored paper but those left to weigh again.  Deliveries under way are
	 * recorded before their effect (deliveries); every query a run makes
	 * has an index; papers.src_hash is the digest of the record a source
	 * last gave, so a paper fetched again unchanged costs one lookup. */
	"CREATE TABLE to_weigh (digest TEXT NOT NULL, paper_id TEXT NOT NULL,"
	"  retries INTEGER NOT NULL DEFAULT 0, run_id INTEGER, UNIQUE (digest, paper_id));"
	"CREATE INDEX to_weigh_by_digest ON to_weigh (digest);"
	"INSERT INTO to_weigh (digest, paper_id, retries)"
	"  SELECT digest, paper_id, retries FROM digest_seen WHERE retries > 0 ORDER BY rowid;"
	"CREATE TABLE digests (name TEXT PRIMARY KEY, first_run INTEGER, weighed_upto INTEGER NOT NULL);"
	"INSERT INTO digests (name, first_run, weighed_upto)"
	"  SELECT digest, min(run_id), (SELECT coalesce(max(rowid), 0) FROM papers) FROM digest_seen GROUP BY digest;"
	"DROP TABLE digest_seen;"
	"CREATE TABLE deliveries (digest TEXT NOT NULL, sink TEXT NOT NULL, attempt TEXT NOT NULL,"
	"  recovery TEXT, began INTEGER NOT NULL DEFAULT 0, run_id INTEGER, started INTEGER NOT NULL,"
	"  PRIMARY KEY (digest, sink));"
	"ALTER TABLE papers ADD COLUMN src_hash INTEGER;"
	"CREATE INDEX papers_by_last_seen ON papers (last_seen);"
	"CREATE INDEX ledger_by_state ON ledger (digest, sink, status, delivered_at);",

	/* 2 -> 3: `paperwire preview` reads one fetch day's papers. */
	"CREATE INDEX papers_by_first_seen ON papers (first_seen);",

	/* 3 -> 4: the reader's ratings (`paperwire like`, `dislike`), per
	 * digest: +1 or -1 with when it was given.  A rated paper need not be
	 * in papers yet: it counts from the run that brings it. */
	"CREATE TABLE ratings (digest TEXT NOT NULL, paper_id TEXT NOT NULL, rating INTEGER NOT NULL,"
	"  rated_at INTEGER NOT NULL, PRIMARY KEY (digest, paper_id));",

	/* 4 -> 5: a paper a source gives again is known unchanged from an
	 * index alone: looking its src_hash up in the table read a page of
	 * papers (8 KiB) for each, 15% of a run over an unchanged listing. */
	"CREATE INDEX papers_by_id_hash ON papers (id, src_hash);",

	/* 5 -> 6: a paper's core fields in columns of their own, the version
	 * and the times as integers, the other fields as one JSON object
	 * (store_paper_row.c); papers_v6 is filled by copy_papers_to_columns,
	 * rowids kept (digests.weighed_upto counts in them).  The ledger keeps
	 * the version a paper was selected in, and from now on only the
	 * fields scoring and enrichment changed, read over the paper's row;
	 * its rows from before hold whole papers, which read the same. */
	"CREATE TABLE papers_v6 (id TEXT PRIMARY KEY, version INTEGER, title TEXT, abstract TEXT, authors TEXT,"
	"  categories TEXT, primary_category TEXT, url TEXT, pdf_url TEXT, doi TEXT, source TEXT,"
	"  announce_type TEXT, comment TEXT, journal_ref TEXT, published INTEGER, updated INTEGER, extra TEXT,"
	"  first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL, src_hash INTEGER);"
	"ALTER TABLE ledger ADD COLUMN version INTEGER;"
	"UPDATE ledger SET version = CAST(json_extract(scored, '$.version') AS INTEGER)"
	"  WHERE scored IS NOT NULL AND json_valid(scored);",
};
#define STORE_NMIGRATIONS (sizeof store_migrations / sizeof store_migrations[0])

/* 5 -> 6, after its SQL: each paper's JSON record into papers_v6's
 * columns, then papers_v6 becomes papers.  A record that cannot be read
 * stops the upgrade (nothing changes) with the paper named.  500,000
 * papers (a 905 MB store) took 15 s and 30 MiB; the old table's pages
 * stay in the file as free pages for later runs. */
static int
copy_papers_to_columns(pw_store *s)
{
	sqlite3_stmt *from = NULL, *to = NULL;
	/* Prepared without the plan check: reading the whole table is the
	 * point, once. */
	if (sqlite3_prepare_v2(s->db, "SELECT rowid, id, record, first_seen, last_seen, src_hash FROM papers", -1,
	                       &from, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(
	            s->db,
	            "INSERT INTO papers_v6 (" PAPER_COLUMNS(
	                    "") ", first_seen, last_seen, src_hash, rowid)"
	                        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"
	                        " ?18, ?19, ?20, ?21)",
	            -1, &to, NULL) != SQLITE_OK) {
		sql_set_err(s, "schema upgrade failed");
		goto fail;
	}
	int rc;
	while ((rc = sqlite3_step(from)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(from, 1);
		pw_record *rec = rec_from_json((const char *)sqlite3_column_text(from, 2));
		/* The row's id is the one the ledger and the queues name. */
		if (!rec || !id || rec_set(rec, PW_F_ID, id) < 0) {
			snprintf(s->err, sizeof s->err,
			         "store %s: schema upgrade failed: the stored record of paper %.200s cannot be read",
			         s->path, id ? id : "(no id)");
			rec_free(rec);
			goto fail;
		}
		int ok = paper_bind(to, 1, rec) == 0;
		for (int c = 0; c < 3; c++)
			sqlite3_bind_value(to, 18 + c, sqlite3_column_value(from, 3 + c));
		sqlite3_bind_int64(to, 21, sqlite3_column_int64(from, 0));
		ok = ok && sql_step_reset(s, to, "schema upgrade failed") == 0;
		sqlite3_clear_bindings(to);
		rec_free(rec);
		if (!ok)
			goto fail;
	}
	if (rc != SQLITE_DONE) {
		sql_set_err(s, "schema upgrade failed");
		goto fail;
	}
	sqlite3_finalize(from);
	sqlite3_finalize(to);
	return sql_exec(s,
	                "DROP TABLE papers;"
	                "ALTER TABLE papers_v6 RENAME TO papers;"
	                "CREATE INDEX papers_by_last_seen ON papers (last_seen);"
	                "CREATE INDEX papers_by_first_seen ON papers (first_seen);"
	                "CREATE INDEX papers_by_id_hash ON papers (id, src_hash);",
	                "schema upgrade failed");
fail:
	sqlite3_finalize(from);
	sqlite3_finalize(to);
	return -1;
}

/* What a step runs after its SQL, in the same transaction. */
static int (*const store_migration_then[STORE_NMIGRATIONS])(pw_store *s) = {
	[5] = copy_papers_to_columns,
};

int
store_user_version(pw_store *s, int *version)
{
	sqlite3_stmt *st = sql_prepare(s, "PRAGMA user_version");
	if (!st || sqlite3_step(st) != SQLITE_ROW) {
		sql_set_err(s, "cannot read the schema version (is it a SQLite database?)");
		sqlite3_finalize(st);
		return -1;
	}
	*version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return 0;
}

int
store_migrate(pw_store *s)
{
	int version;
	_Static_assert(STORE_NMIGRATIONS == STORE_SCHEMA_VERSION, "one migration per schema version");
	if (store_user_version(s, &version) < 0)
		return -1;
	if (version > (int)STORE_NMIGRATIONS) {
		snprintf(s->err, sizeof s->err,
		         "store %s: schema version %d is newer than this paperwire knows (%d): upgrade paperwire",
		         s->path, version, (int)STORE_NMIGRATIONS);
		return -1;
	}
	while (version < (int)STORE_NMIGRATIONS) {
		char bump[64];
		if (sql_exec(s, "BEGIN IMMEDIATE", "cannot start the schema upgrade") < 0)
			return -1;
		snprintf(bump, sizeof bump, "PRAGMA user_version = %d", version + 1);
		if (sql_exec(s, store_migrations[version], "schema upgrade failed") < 0 ||
		    (store_migration_then[version] && store_migration_then[version](s) < 0) ||
		    sql_exec(s, bump, "schema upgrade failed") < 0) {
			sql_exec(s, "ROLLBACK", "rollback");
			return -1;
		}
		if (sql_exec(s, "COMMIT", "cannot commit the schema upgrade") < 0)
			return -1;
		version++;
	}
	return 0;
}
