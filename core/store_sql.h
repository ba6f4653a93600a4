/* store_sql.h: what the store's files (store.c, store_weigh.c,
 * store_ledger.c) share: the handle and the statement helpers.  Internal
 * to the store; nothing else includes it. */
#ifndef PW_STORE_SQL_H
#define PW_STORE_SQL_H

#include <stdint.h>

#include <sqlite3.h>

#include "paperwire/plugin.h"
#include "store.h"

struct pw_store {
	sqlite3 *db;
	int lock_fd;
	char *path;
	char err[4608];
	/* Statements run once per fetched paper, prepared once. */
	sqlite3_stmt *paper_hash_st, *paper_record_st, *paper_put_st;
	/* The ids this run fetched (store_fetched.c). */
	struct fetched_set *fetched;
	/* The last store_weigh_each: its digest and the rowid it read up to. */
	char *weigh_digest;
	int64_t weigh_top;
	/* `paperwire serve`'s full-text index (store_search.c): built in
	 * memory, up to this papers rowid; -1 before it exists. */
	int64_t search_upto;
	/* The checkpoint running beside the run, if any (store_checkpoint.c). */
	struct checkpointer *checkpointer;
	int checkpoint_pages;
};

/* store_fetched.c: the set follows the transactions; to_sql writes what
 * temp.run_fetched lacks of it, for a query that joins it. */
enum { STORE_TX_COMMIT, STORE_TX_ROLLBACK, STORE_TX_SAVEPOINT, STORE_TX_RELEASE, STORE_TX_ROLLBACK_TO };

void store_fetched_on_transaction(pw_store *s, int event);
int store_fetched_to_sql(pw_store *s);
void store_fetched_free(pw_store *s);

/* store_checkpoint.c: from now on a large commit's log is copied into
 * the store file by a thread of its own (store_checkpoint_wait in store.h
 * waits for it; the close does, since its own checkpoint needs the log to
 * itself). */
void store_checkpoint_in_background(pw_store *s);

/* The error of the last failed call: "store PATH: WHAT: sqlite's message". */
void sql_set_err(pw_store *s, const char *what);
int sql_exec(pw_store *s, const char *sql, const char *what);
sqlite3_stmt *sql_prepare(pw_store *s, const char *sql);
/* A statement kept for the life of the store, reset for its next use. */
sqlite3_stmt *sql_cached(pw_store *s, sqlite3_stmt **slot, const char *sql);
/* Runs a cached statement that returns no rows; keeps it. */
int sql_step_reset(pw_store *s, sqlite3_stmt *st, const char *what);
/* Runs a statement that returns no rows; finalizes it. */
int sql_step_done(pw_store *s, sqlite3_stmt *st, const char *what);
void sql_bind_text(sqlite3_stmt *st, int i, const char *v);
/* A malloc'd copy of column 0 of the first row, or NULL; finalizes st. */
char *sql_query_text(pw_store *s, sqlite3_stmt *st);
/* Column 0 of the first row as a number, -1 on failure; finalizes st. */
long sql_count(pw_store *s, sqlite3_stmt *st);
/* A paper's row (store_paper_row.c): the core fields' columns in
 * rec_core_index's order, then extra; PAPER_COLUMNS("p.") names them for
 * a join. */
#define PAPER_NCOLUMNS 17
#define PAPER_COLUMNS(t)                                                                                          \
	t "id, " t "version, " t "title, " t "abstract, " t "authors, " t "categories, " t "primary_category, " t \
	  "url, " t "pdf_url, " t "doi, " t "source, " t "announce_type, " t "comment, " t "journal_ref, " t      \
	  "published, " t "updated, " t "extra"
extern const char *const paper_column_names[PAPER_NCOLUMNS];
/* Binds rec's columns as parameters first .. first + 16 of a statement
 * whose bindings are clear (a column rec lacks stays NULL).  rec must
 * outlive the statement's step.  0, or -1 when out of memory. */
int paper_bind(sqlite3_stmt *st, int first, const pw_record *rec);
/* The record of the row's paper columns from column first, with the
 * ledger's scored fields (JSON, column scored_column; -1 for none) read
 * over them; the fields from the paper's row are marked stored.  NULL
 * when the row holds no readable paper. */
pw_record *paper_from_row(sqlite3_stmt *st, int first, int scored_column);
/* INSERT of a paper (?1..?17 its columns, ?18 now, ?19 the digest of the
 * source's record) that merges into the stored one as rec_merge would,
 * and writes nothing when the digest is the stored one. */
const char *paper_upsert_sql(void);

/* Steps st to its end and finalizes it: each row is a paper's columns
 * (PAPER_COLUMNS), then the ledger's scored fields or NULL, handed to fn
 * (which takes the record) with the next column as an integer when the
 * query has one.  what names the read in the error. */
int sql_each_record(pw_store *s, sqlite3_stmt *st, const char *what,
                    void (*fn)(pw_record *rec, int64_t extra, void *ud), void *ud);

/* For the callers whose callback takes no extra column. */
struct sql_plain_fn {
	void (*fn)(pw_record *rec, void *ud);
	void *ud;
};

void sql_call_plain(pw_record *rec, int64_t extra, void *ud);

int store_in_transaction(pw_store *s);

/* The store's schema version (PRAGMA user_version): 0, or -1 with the
 * error set (store_schema.c). */
int store_user_version(pw_store *s, int *version);
/* Brings the schema to STORE_SCHEMA_VERSION (store_schema.c). */
int store_migrate(pw_store *s);

#endif
