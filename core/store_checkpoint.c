/* store_checkpoint.c: the write-ahead log copied back into the store file
 * beside the run instead of inside it.
 *
 * SQLite's own automatic checkpoint runs in the commit that grows the log
 * past a threshold: after a fetch of 50,000 papers that commit then writes
 * the ~100 MB again and waits for two fdatasyncs (0.3 s measured) before
 * the run can weigh a single paper.  Here the commit only hands the work
 * to a thread with its own connection, which runs a PASSIVE checkpoint
 * (it copies what is committed and never blocks a reader or the writer)
 * while the run weighs and delivers; the store joins it before closing.
 * A kill mid-copy is as safe as SQLite's own checkpoint: the log stays
 * authoritative until the copy is whole. */
#include "autoconf.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "store_sql.h"
#include "threads.h"

/* The log size that starts a checkpoint: what SQLite's default of 1,000
 * pages held at 8 KiB pages (a store's pages are 64 KiB now, an older
 * store's smaller).  The test hook PAPERWIRE_CHECKPOINT_PAGES sets it in
 * pages, so that the tests' small runs (and the kills among them) have a
 * checkpoint running. */
#define CHECKPOINT_LOG_BYTES (8 << 20)
/* Passes of one checkpoint thread, at most. */
#define CHECKPOINT_PASSES 4

struct checkpointer {
	pthread_t thread;
	const char *path;    /* the store's: the store joins the thread before it lets go of it */
	atomic_int finished; /* the thread is done and may be joined */
};

static void *
checkpoint_thread(void *arg)
{
	struct checkpointer *c = arg;
	sqlite3 *db = NULL;
	/* Failure here costs nothing but time: the log keeps every commit
	 * and the next checkpoint (or the store's close) copies it.  A new
	 * connection learns that the store is in WAL mode from its first
	 * read; until then a checkpoint has nothing to do. */
	if (sqlite3_open_v2(c->path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
	    sqlite3_exec(db, "PRAGMA schema_version", NULL, NULL, NULL) == SQLITE_OK) {
		/* SQLite syncs the store file only after a pass that copied the
		 * whole log as it then stands; when the run committed during
		 * the copy, another pass copies the rest and syncs, until a pass
		 * finds the log as the last one left it. */
		int logged = 0, copied = 0, last_logged = -1;
		for (int pass = 0; pass < CHECKPOINT_PASSES; pass++) {
			if (sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE, &logged, &copied) !=
			            SQLITE_OK ||
			    (copied == logged && logged == last_logged))
				break;
			last_logged = logged;
		}
	}
	sqlite3_close(db);
	atomic_store(&c->finished, 1);
	return NULL;
}

static void
join(pw_store *s)
{
	if (!s->checkpointer)
		return;
	pthread_join(s->checkpointer->thread, NULL);
	free(s->checkpointer);
	s->checkpointer = NULL;
}

/* After each commit of the run's connection: the log holds `pages`. */
static int
on_wal_commit(void *arg, sqlite3 *db, const char *schema, int pages)
{
	(void)db;
	(void)schema;
	pw_store *s = arg;
	if (pages < s->checkpoint_pages)
		return SQLITE_OK;
	if (s->checkpointer) {
		if (!atomic_load(&s->checkpointer->finished))
			return SQLITE_OK; /* one at a time; a later commit asks again */
		join(s);
	}
	struct checkpointer *c = calloc(1, sizeof *c);
	if (!c)
		return SQLITE_OK;
	c->path = s->path;
	if (thread_start_quiet(&c->thread, 0, checkpoint_thread, c) < 0) {
		free(c);
		return SQLITE_OK; /* the close still checkpoints */
	}
	s->checkpointer = c;
	return SQLITE_OK;
}

void
store_checkpoint_in_background(pw_store *s)
{
	const char *hook = getenv("PAPERWIRE_CHECKPOINT_PAGES");
	/* The page size; SQLite's default when it cannot be read. */
	long page_size = sql_count(s, sql_prepare(s, "PRAGMA page_size"));
	if (page_size < 512)
		page_size = 4096;
	s->checkpoint_pages = hook && atoi(hook) > 0 ? atoi(hook) : (int)(CHECKPOINT_LOG_BYTES / page_size);
	sqlite3_wal_hook(s->db, on_wal_commit, s);
}

void
store_checkpoint_wait(pw_store *s)
{
	join(s);
}
