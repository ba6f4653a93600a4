/* store.h: the deployment's SQLite file (papers, ledger, state, caches, runs).
 *
 * Errors: a function returns -1 (or NULL, or a negative count) and keeps
 * the reason for store_error(): "store PATH: WHAT: sqlite's message".  It
 * logs nothing; the caller says it once, with its own prefix, and rolls
 * back what it began.  Nothing here exits. */
#ifndef PW_STORE_H
#define PW_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "paperwire/plugin.h"

#define STORE_SCHEMA_VERSION 6

typedef struct pw_store pw_store;

/* Opens (creating or upgrading) the store, takes the deployment's run
 * lock (a flock on the store file itself, so two runs can never deliver
 * the same paper twice, whatever path they name it by) and refuses a
 * store that fails SQLite's integrity check.  On failure errno is
 * EWOULDBLOCK when another run holds the lock, else 0. */
pw_store *store_open(const char *path, char *err, size_t err_size);
void store_close(pw_store *s);
/* Opens an existing store beside the runs, for `paperwire serve`: no run
 * lock (a run may write meanwhile; SQLite's own locks and WAL keep both
 * consistent), no migration (a store of another schema is refused: the
 * next run upgrades it), no integrity check. */
pw_store *store_open_shared(const char *path, char *err, size_t err_size);
const char *store_error(const pw_store *s);

int store_begin(pw_store *s);
int store_commit(pw_store *s);
/* Waits for the checkpoint a large commit started beside the run, if one
 * is running (store_checkpoint.c); store_close waits too. */
void store_checkpoint_wait(pw_store *s);
void store_rollback(pw_store *s); /* no-op outside a transaction */

/* Papers by canonical id; *is_new is 1 when the id was never seen. */
int store_paper_put(pw_store *s, const pw_record *rec, int *is_new);
pw_record *store_paper_get(pw_store *s, const char *id);

/* The papers fetched by this run (held in memory, store_fetched.c; what a
 * rolled-back transaction or savepoint added is forgotten).  Adding an id
 * twice counts it once. */
int store_fetched_add(pw_store *s, const char *id);
long store_fetched_count(pw_store *s);

enum { STORE_SP_BEGIN, STORE_SP_RELEASE, STORE_SP_ROLLBACK };

/* SAVEPOINT name, RELEASE it, or ROLLBACK TO it (and release it). */
int store_savepoint(pw_store *s, const char *name, int action);
long store_paper_count(pw_store *s);
/* Calls fn (which takes rec) for at most max papers, most recently seen first. */
int store_paper_each(pw_store *s, size_t max, void (*fn)(pw_record *rec, void *ud), void *ud);

/* What each digest has still to weigh (store_weigh.c): every paper stored
 * after its mark, and the few it must weigh again.  enrol: inside the fetch
 * transaction, gives a digest the store has never seen its mark, at the
 * store's latest fetch day; a known digest is left as it is. */
int store_weigh_enrol(pw_store *s, const char *digest, int64_t run_id);
/* Inside the fetch transaction, for a digest that takes replacements: the
 * papers this run fetched in a newer version than the one sink delivered
 * are to be weighed again.  Returns how many, or -1. */
long store_weigh_replacements(pw_store *s, const char *digest, const char *sink);
/* Calls fn (which takes the record) for each paper the digest has to
 * weigh: those to weigh again, then the new ones in the order first seen,
 * with how often weighing it failed before. */
int store_weigh_each(pw_store *s, const char *digest, void (*fn)(pw_record *rec, int64_t retries, void *ud), void *ud);
long store_weigh_count(pw_store *s, const char *digest);
/* Inside the selection's transaction: a scorer could not score this paper
 * (an endpoint was down), so it stays to be weighed again, at most
 * STORE_MAX_RETRIES more times; then done() takes every other queued
 * paper of the digest off the queue as weighed for good. */
#define STORE_MAX_RETRIES 3
int store_weigh_again(pw_store *s, const char *digest, const char *id, int64_t run_id);
int store_weigh_done(pw_store *s, const char *digest, int64_t run_id);
/* 1 when the digest has weighed the paper for good. */
int store_digest_seen(pw_store *s, const char *digest, const char *id);

/* The delivery ledger.  A paper selected for a sink is "pending", "in
 * flight" while a delivery of it is under way (store_delivery_*), then
 * "delivered".  Rows keep the scored record so that a failed sink is
 * retried on the next run without re-fetching. */
int store_ledger_status(pw_store *s, const char *digest, const char *sink, const char *id);
#define LEDGER_NONE      0
#define LEDGER_PENDING   1
#define LEDGER_DELIVERED 2
#define LEDGER_IN_FLIGHT 3
int store_ledger_pending(pw_store *s, const char *digest, const char *sink, const pw_record *scored);
/* Calls fn for every pending record of (digest, sink); fn takes ownership. */
int store_ledger_each_pending(pw_store *s, const char *digest, const char *sink, void (*fn)(pw_record *rec, void *ud),
                              void *ud);
/* The same in ids only (in the same order), for a caller that holds most
 * of the records in memory; store_ledger_record reads one it does not
 * (NULL when it is not in the ledger or cannot be read). */
int store_ledger_each_pending_id(pw_store *s, const char *digest, const char *sink,
                                 void (*fn)(const char *id, void *ud), void *ud);
pw_record *store_ledger_record(pw_store *s, const char *digest, const char *sink, const char *id);
/* Calls fn, newest first, for each paper delivered to (digest, sink) at or
 * after since; fn takes ownership of rec. */
int store_ledger_each_delivered(pw_store *s, const char *digest, const char *sink, int64_t since,
                                void (*fn)(pw_record *rec, int64_t delivered_at, void *ud), void *ud);
long store_ledger_count(pw_store *s, const char *digest, const char *sink, int status);

/* Deliveries under way (store_ledger.c).  begin: the sink's pending rows
 * go in flight under attempt, committed.  get: 1 and the attempt when a
 * delivery of (digest, sink) is under way (a run died during it), its
 * recovery note and whether its effect had begun; 0 when none.  each:
 * its records (fn takes them).  effect: commits the sink's recovery note
 * right before its external effect, then opens the transaction (holding
 * the write lock) that done() commits.  done: the rows are delivered;
 * requeue: pending again (nothing external happened). */
int store_delivery_begin(pw_store *s, const char *digest, const char *sink, const char *attempt, int64_t run_id);
int store_delivery_get(pw_store *s, const char *digest, const char *sink, char **attempt, char **recovery, int *began);
int store_delivery_each(pw_store *s, const char *digest, const char *sink, void (*fn)(pw_record *rec, void *ud),
                        void *ud);
int store_delivery_effect(pw_store *s, const char *digest, const char *sink, const char *recovery);
int store_delivery_done(pw_store *s, const char *digest, const char *sink, int64_t run_id);
int store_delivery_requeue(pw_store *s, const char *digest, const char *sink);
/* Papers of the digest selected but not yet delivered, over its sinks. */
long store_pending_count(pw_store *s, const char *digest);

/* Per-instance state and cache.  get returns a malloc'd string or NULL. */
char *store_state_get(pw_store *s, const char *ns, const char *key);
int store_state_set(pw_store *s, const char *ns, const char *key, const char *value);
char *store_cache_get(pw_store *s, const char *ns, const char *key);
int store_cache_put(pw_store *s, const char *ns, const char *key, const char *value);

/* HTTP validators by URL; out strings are malloc'd or NULL. */
int store_validators_get(pw_store *s, const char *url, char **etag, char **last_modified);
int store_validators_put(pw_store *s, const char *url, const char *etag, const char *last_modified);

/* With PAPERWIRE_CHECK_PLANS=1 in the environment: how many statements
 * prepared so far scan a table that grows with the store's age (each is
 * also said on stderr). */
long store_plan_violations(void);

/* The run log. */
int64_t store_run_begin(pw_store *s, int64_t started);
int store_run_end(pw_store *s, int64_t run_id, int64_t finished, int exit_code, const char *report_json);

/* store_preview.c: for `paperwire preview`.  The UTC day (its midnight in
 * *start) of day, or with day -1 of the latest paper first seen: 0, 1 when
 * the store has no paper, -1 on error. */
int store_fetch_day(pw_store *s, int64_t day, int64_t *start);
/* The papers first seen that day, in the order first seen. */
int store_papers_of_day(pw_store *s, int64_t start, void (*fn)(pw_record *rec, int64_t retries, void *ud), void *ud);
/* Of those, the ones (digest, sink) was given, each as scored when selected. */
int store_selected_of_day(pw_store *s, const char *digest, const char *sink, int64_t start,
                          void (*fn)(pw_record *scored, void *ud), void *ud);

/* Full-text search over every stored paper (store_search.c), for
 * `paperwire serve`: an FTS5 index in memory, brought up to date with the
 * papers stored since the last call.  fn gets each paper found, best
 * first, borrowed for the call.  store_search: every word of query (as a
 * prefix) in the title, authors or abstract.  store_similar: the papers
 * sharing the most telling words of paper id's title and abstract; returns
 * -2 when the store has no such paper. */
int store_search_ready(pw_store *s); /* brings the index up to date; returns 0 or -1 */
int store_search(pw_store *s, const char *query, size_t max, void (*fn)(void *ud, const pw_record *rec), void *ud);
int store_similar(pw_store *s, const char *id, size_t max, void (*fn)(void *ud, const pw_record *rec), void *ud);

/* The reader's ratings of one digest (store_ratings.c).  rating: +1 like,
 * -1 dislike, 0 removes it.  Returns 1 when the store changed, 0 when
 * there was nothing to remove, -1 on failure. */
int store_rating_set(pw_store *s, const char *digest, const char *paper_id, int rating, int64_t rated_at);
/* Calls fn for every rating of digest, newest first, with the paper's
 * record when the store holds it (borrowed for the call), else NULL. */
int store_ratings_each(pw_store *s, const char *digest,
                       void (*fn)(void *ud, const char *paper_id, int rating, int64_t rated_at, const pw_record *rec),
                       void *ud);

#endif
