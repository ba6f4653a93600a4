/* host.h: instances of plugins and the service table they call. */
#ifndef PW_HOST_H
#define PW_HOST_H

#include <stddef.h>

#include "config.h"
#include "counters.h"
#include "http.h"
#include "loader.h"
#include "paperwire/plugin.h"
#include "store.h"

/* Takes rec: 0 stored, 1 rejected (counted, logged), -1 the store failed. */
typedef int (*host_emit_fn)(pw_instance *inst, pw_record *rec, void *ud);
/* begin (keep < 0), or end keeping (1) or dropping (0) what was emitted since. */
typedef int (*host_batch_fn)(pw_instance *inst, int keep, void *ud);

#define HOST_SCRATCH PW_BORROWED_GETS

struct pw_instance {
	const ldr_plugin *plugin;
	cfg_instance *cfg;
	void *state;
	int created;
	char ns[512]; /* store namespace: "source/ml", "daily/sink/markdown" */
	pw_store *store;
	http_client *http;
	const char *digest, *sink; /* the digest it works for (NULL: a source); sinks: their ledger */
	host_emit_fn on_emit;
	host_batch_fn on_batch;
	void *emit_ud;
	int in_batch;
	/* What the run report says of this instance. */
	long emitted, rejected, http_requests, http_retries, http_failures;
	char http_codes[128];            /* "200x2 429x1" */
	counter_set counters;            /* report_count: as many as a plugin names */
	char note[1024];                 /* report_note: why the source returned what it did */
	long fresh;                      /* sources: papers the store had not seen */
	long batch_emitted, batch_fresh; /* the counts at emit_begin */
	int64_t fetch_since;             /* sources: what fetch_since answers */
	/* Sinks, during write(): the papers are in flight (delivery_tracked);
	 * effect_begin was called (effect_begun) and its transaction, holding
	 * the write lock, is open (effect_open). */
	int delivery_tracked, effect_begun, effect_open;
	/* While create() runs: its error messages become config diagnostics
	 * at the option they name ("max_results: ..."), with file:line:col. */
	const pw_config *config;
	cfg_diag *diag;
	int diag_added;
	/* progress.c: when this source's fetch began and its progress was last shown. */
	double progress_started, progress_said;
	/* config_list_at / config_map_at walk a cJSON child list: the last
	 * child handed out, so reading items in order is linear, not quadratic. */
	const cJSON *walk_parent, *walk_child;
	size_t walk_index;
	/* Strings handed out as borrowed until the callback returns. */
	char *scratch[HOST_SCRATCH];
	int scratch_next;
};

/* What a sink delivers. */
struct pw_delivery {
	pw_record **records;
	size_t count;
	char **keys, **values; /* delivery info, as many keys as set */
	size_t ninfo;
};

const pw_host *host_services(void);

pw_instance *host_instance_new(const ldr_plugin *plugin, cfg_instance *cfg, const char *ns, pw_store *store,
                               http_client *http);
/* Calls the plugin's create() and returns its status.  With diag, the
 * errors it logs meanwhile are added to diag at the option they name
 * (positions from config's text) instead of being printed. */
pw_status host_instance_create(pw_instance *inst, const pw_config *config, cfg_diag *diag);
/* Calls destroy() when create() had succeeded, then frees. */
void host_instance_free(pw_instance *inst);
/* Releases the borrowed strings once a callback has returned. */
void host_instance_release_scratch(pw_instance *inst);

/* "calls 5, tokens 690": the plugin's own counters, for the run report. */
void host_instance_counters(const pw_instance *inst, char *out, size_t size);

void delivery_set_info(pw_delivery *d, const char *key, const char *value);
void delivery_clear(pw_delivery *d);

#endif
