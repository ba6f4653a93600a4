/* store.h: the deployment's SQLite file (papers, ledger, state, caches, runs). */
#ifndef PW_STORE_H
#define PW_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "paperwire/plugin.h"

#define STORE_SCHEMA_VERSION 1

typedef struct pw_store pw_store;

/* Opens (creating or upgrading) the store and takes the deployment's run
 * lock, so two runs can never deliver the same paper twice. */
pw_store *store_open(const char *path, char *err, size_t err_size);
void store_close(pw_store *s);
const char *store_error(const pw_store *s);

int store_begin(pw_store *s);
int store_commit(pw_store *s);
void store_rollback(pw_store *s);

/* Papers by canonical id; *is_new is 1 when the id was never seen. */
int store_paper_put(pw_store *s, const pw_record *rec, int *is_new);
pw_record *store_paper_get(pw_store *s, const char *id);

/* The papers fetched by this run, in order (a table private to the
 * connection).  Adding an id twice keeps the first place. */
int store_fetched_add(pw_store *s, const char *id);
long store_fetched_count(pw_store *s);

enum { STORE_SP_BEGIN, STORE_SP_RELEASE, STORE_SP_ROLLBACK };
/* SAVEPOINT name, RELEASE it, or ROLLBACK TO it (and release it). */
int store_savepoint(pw_store *s, const char *name, int action);
long store_paper_count(pw_store *s);
/* Calls fn (which takes rec) for at most max papers, most recently seen first. */
int store_paper_each(pw_store *s, size_t max, void (*fn)(pw_record *rec, void *ud), void *ud);

/* Papers a digest has considered (scored) once: a paper is weighed by a
 * digest on the run that first fetched it, not again on every later run. */
int store_digest_seen(pw_store *s, const char *digest, const char *id);
/* retry: a scorer could not score the paper (an endpoint was down), so the
 * next runs weigh it again, up to a limit, instead of losing it. */
int store_digest_mark_seen(pw_store *s, const char *digest, const char *id, int64_t run_id, int retry);
/* Calls fn (which takes rec) for each stored paper the digest must weigh
 * again; after STORE_MAX_RETRIES failed weighings a paper counts as seen. */
#define STORE_MAX_RETRIES 3
int store_digest_each_retry(pw_store *s, const char *digest, void (*fn)(pw_record *rec, void *ud), void *ud);

/* Calls fn (which takes the record) for each paper fetched this run that
 * the digest has not weighed, or must weigh again (retries > 0); in fetch
 * order. */
int store_digest_each_candidate(pw_store *s, const char *digest, void (*fn)(pw_record *rec, int64_t retries, void *ud),
                                void *ud);
/* Marks every paper fetched this run as weighed by the digest, except
 * those this run already marked (to weigh again). */
int store_digest_mark_fetched(pw_store *s, const char *digest, int64_t run_id);

/* The delivery ledger.  A paper selected for a sink is "pending" until the
 * sink succeeded, then "delivered".  Pending rows keep the scored record so
 * that a failed sink is retried on the next run without re-fetching. */
int store_ledger_status(pw_store *s, const char *digest, const char *sink, const char *id);
#define LEDGER_NONE 0
#define LEDGER_PENDING 1
#define LEDGER_DELIVERED 2
int store_ledger_pending(pw_store *s, const char *digest, const char *sink, const pw_record *scored);
int store_ledger_delivered(pw_store *s, const char *digest, const char *sink, const char *id, int64_t run_id);
/* Calls fn for every pending record of (digest, sink); fn takes ownership. */
int store_ledger_each_pending(pw_store *s, const char *digest, const char *sink,
                              void (*fn)(pw_record *rec, void *ud), void *ud);
/* Calls fn, newest first, for each paper delivered to (digest, sink) at or
 * after since; fn takes ownership of rec. */
int store_ledger_each_delivered(pw_store *s, const char *digest, const char *sink, int64_t since,
                                void (*fn)(pw_record *rec, int64_t delivered_at, void *ud), void *ud);
long store_ledger_count(pw_store *s, const char *digest, const char *sink, int status);

/* Per-instance state and cache.  get returns a malloc'd string or NULL. */
char *store_state_get(pw_store *s, const char *ns, const char *key);
int store_state_set(pw_store *s, const char *ns, const char *key, const char *value);
char *store_cache_get(pw_store *s, const char *ns, const char *key);
int store_cache_put(pw_store *s, const char *ns, const char *key, const char *value);

/* HTTP validators by URL; out strings are malloc'd or NULL. */
int store_validators_get(pw_store *s, const char *url, char **etag, char **last_modified);
int store_validators_put(pw_store *s, const char *url, const char *etag, const char *last_modified);

/* The run log. */
int64_t store_run_begin(pw_store *s, int64_t started);
int store_run_end(pw_store *s, int64_t run_id, int64_t finished, int exit_code, const char *report_json);

#endif
