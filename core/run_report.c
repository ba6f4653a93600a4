/* run_report.c: what a run says it did: the report's allocation, the
 * stages' own counters, and the summary line and run log at the end. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "run.h"

/* The scorers' and enrichers' own counters, once they have run. */
void
run_report_stage_counters(struct digest_run *dr)
{
	char c[256];
	report_digest *rd = dr->report;
	struct stage *groups[2] = { dr->scorers, dr->enrichers };
	size_t counts[2] = { dr->cfg->nscorers, dr->cfg->nenrichers };
	for (int g = 0; g < 2; g++)
		for (size_t i = 0; i < counts[g]; i++) {
			host_instance_counters(groups[g][i].inst, c, sizeof c);
			if (c[0])
				snprintf(rd->stages + strlen(rd->stages), sizeof rd->stages - strlen(rd->stages),
				         "%s%s: %s", rd->stages[0] ? "; " : "", groups[g][i].cfg->name, c);
		}
}

int
run_report_alloc(struct run *r)
{
	r->report.nsources = r->cfg->nsources;
	r->report.sources = calloc(r->cfg->nsources + 1, sizeof *r->report.sources);
	r->report.ndigests = r->cfg->ndigests;
	r->report.digests = calloc(r->cfg->ndigests + 1, sizeof *r->report.digests);
	if (!r->report.sources || !r->report.digests)
		return -1;
	for (size_t d = 0; d < r->cfg->ndigests; d++) {
		report_digest *rd = &r->report.digests[d];
		rd->name = r->cfg->digests[d].name;
		rd->nsinks = r->cfg->digests[d].nsinks;
		rd->sinks = calloc(rd->nsinks + 1, sizeof *rd->sinks);
		if (!rd->sinks)
			return -1;
	}
	return 0;
}

void
run_report_free(run_report *rep)
{
	for (size_t d = 0; rep->digests && d < rep->ndigests; d++)
		free(rep->digests[d].sinks);
	free(rep->digests);
	free(rep->sources);
}

void
run_report_finish(struct run *r, double elapsed)
{
	r->report.elapsed = elapsed;
	char *line = report_summary(&r->report);
	log_msg(r->report.exit_code ? PW_LOG_WARNING : PW_LOG_INFO, NULL, "%s", line ? line : "run finished");
	free(line);
	if (r->store && !r->opt->dry_run && r->run_id > 0) {
		char *json = report_json(&r->report);
		if (json) /* a note or an error may quote a URL: no key rests in the run log */
			log_mask_secrets(json, strlen(json) + 1);
		if (store_run_end(r->store, r->run_id, (int64_t)time(NULL), r->report.exit_code, json) < 0)
			log_msg(PW_LOG_ERROR, NULL, "%s", store_error(r->store));
		free(json);
	}
}
