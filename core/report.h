/* report.h: what a run did, as one summary line and as JSON for the run log. */
#ifndef PW_REPORT_H
#define PW_REPORT_H

#include <stddef.h>

typedef struct report_source {
	const char *name, *plugin;
	long fetched, new_papers, rejected, requests, retries;
	char http_codes[128];
	char counters[256]; /* the plugin's own, "pages 3" */
	char note[1024];    /* the source's word on its result: "no announcement (...)" */
	int failed;
} report_source;

typedef struct report_sink {
	const char *name, *plugin;
	long delivered, pending; /* pending: left for the next run after a failure */
	long earlier;            /* of delivered: papers an earlier run selected (left pending or in flight) */
	int failed;
} report_sink;

typedef struct report_digest {
	const char *name;
	long candidates, scored, vetoed, selected;
	report_sink *sinks;
	size_t nsinks;
	char empty_reason[256];
	char stages[1024];         /* scorers' and enrichers' own counters: "summary: calls 5, tokens 690" */
	char failed_scorers[256];  /* ", "-separated: those that could score none of the papers */
	char score_histogram[512]; /* sel_histogram of the candidates weighed */
} report_digest;

typedef struct run_report {
	long long run_id;
	int dry_run;
	double elapsed;
	long fetched; /* distinct papers after merge */
	report_source *sources;
	size_t nsources;
	report_digest *digests;
	size_t ndigests;
	int exit_code;
} run_report;

/* "run 3: 1.2 s; source ml: fetched 100, new 100 (HTTP 200x1); ..." */
char *report_summary(const run_report *r);
char *report_json(const run_report *r);

#endif
