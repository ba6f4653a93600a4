/* run.h: one run's state, shared by the files that carry it out:
 * pipeline.c (instances, the fetch transaction, the order of a run),
 * weigh.c (a digest's scorers, selection and enrichers), deliver.c (each
 * sink under the ledger) and run_report.c (what the run says it did).
 * Internal to the host. */
#ifndef PW_RUN_H
#define PW_RUN_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "config.h"
#include "host.h"
#include "loader.h"
#include "pipeline.h"
#include "report.h"

struct stage {
	pw_instance *inst;
	const cfg_instance *cfg;
};

struct digest_run {
	const cfg_digest *cfg;
	struct stage *scorers, *enrichers, *sinks;
	report_digest *report;
	/* What weigh_digest selected and committed, sorted by id: the sinks
	 * are given these records from memory (the ledger says which are
	 * pending for each); freed when the digest's sinks are done. */
	pw_record **selection;
	size_t nselection;
};

struct run {
	pw_config *cfg;
	const ldr_registry *reg;
	const run_options *opt;
	pw_store *store;
	http_client *http;
	struct stage *sources;
	struct digest_run *digests;
	run_report report;
	int in_fetch; /* the fetch transaction is open */
	int64_t run_id;
	time_t started;
	char run_time[32];
	int previewing; /* `paperwire preview`: weigh a stored day, print, change nothing */
	int tty;        /* stderr is a terminal: progress as one redrawn line */
};

/* What preview says of each paper it weighed. */
struct weighed {
	char *id, *title, *reasons;
	double score;
	int vetoed;
};

/* The facts every sink, scorer batch and enricher batch is handed. */
void run_common_info(struct run *r, const struct digest_run *dr, pw_delivery *d, size_t nselected);

/* weigh.c: the digest weighs every paper queued for it, selects, enriches
 * the selection and commits it (the papers leave the queue, the selection
 * is pending for every sink), all or nothing.  Returns the number
 * selected, or -1 (nothing was committed: the next run weighs them). */
long weigh_digest(struct run *r, struct digest_run *dr);

/* weigh.c: preview weighs the papers first seen on the UTC day starting
 * at day, and prints the selection beside what the digest's sinks were
 * given of that day (preview.c).  Returns 0 or -1. */
int weigh_preview(struct run *r, struct digest_run *dr, int64_t day);
int preview_print(struct run *r, const struct digest_run *dr, int64_t day, pw_record **sel, size_t nsel,
                  const struct weighed *seen, size_t nseen);

/* deliver.c: one sink gets what a dead run left in flight, then what is
 * pending for it.  Returns 0, or -1 when it failed (the papers stay). */
int deliver_sink(struct run *r, struct digest_run *dr, size_t s, long nselected);
/* deliver.c: keeps weigh_digest's committed selection for the sinks, and
 * lets it go. */
void deliver_keep_selection(struct digest_run *dr, pw_record **sel, size_t n);
void deliver_free_selection(struct digest_run *dr);

/* run_report.c */
int run_report_alloc(struct run *r);
void run_report_free(run_report *rep);
void run_report_stage_counters(struct digest_run *dr);
void run_report_finish(struct run *r, double elapsed);

#endif
