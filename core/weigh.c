/* weigh.c: one digest's pass over the papers queued for it.  Cheap
 * scorers weigh each paper as it streams out of the store; a paper then
 * goes straight to the bounded selection or, when expensive scorers follow
 * (or a cheap one needs a batch), waits in a batch of at most HOLD_MAX
 * papers for them, so memory stays flat whatever the day's size.  The
 * selection, enriched, is committed together with the papers leaving the
 * digest's queue: a run that stops before that leaves them all queued. */
#include "autoconf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interrupt.h"
#include "log.h"
#include "record.h"
#include "run.h"
#include "select.h"

/* The day's score distribution goes to the sinks in this many bins (a
 * chart's bars). */
#define SCORE_HISTOGRAM_BINS 20

/* Papers held for the scorers that see a batch.  Each batch costs a
 * prepare() (the builtin embedding reads the store's history then), so a
 * batch is large; 4096 records stay within a few tens of MiB. */
#define HOLD_MAX 4096

struct digest_pass {
	struct run *r;
	struct digest_run *dr;
	selection sel;
	int batch;     /* every candidate is held: a cheap scorer has prepare() */
	int expensive; /* expensive scorers follow: survivors are held */
	pw_record **held;
	size_t nheld, held_cap;
	char **again; /* ids a scorer failed on: to weigh again */
	size_t nagain, again_cap;
	long retried;
	long *failures;       /* per scorer */
	struct weighed *seen; /* preview only: every candidate's outcome */
	size_t nseen, seen_cap;
};

static int
push(void **v, size_t *n, size_t *cap, size_t elem)
{
	if (*n < *cap)
		return 0;
	size_t nc = *cap ? *cap * 2 : 64;
	void *nv = realloc(*v, nc * elem);
	if (!nv)
		return -1;
	*v = nv;
	*cap = nc;
	return 0;
}

/* The candidates a stage sees: those no earlier scorer vetoed. */
static size_t
surviving(pw_record **cands, size_t n, pw_delivery *d)
{
	memset(d, 0, sizeof *d);
	d->records = calloc(n + 1, sizeof *d->records);
	for (size_t i = 0; d->records && i < n; i++)
		if (!rec_vetoed(cands[i]))
			d->records[d->count++] = cands[i];
	return d->count;
}

static void
note_weighed(struct digest_pass *dp, const pw_record *rec)
{
	if (push((void **)&dp->seen, &dp->nseen, &dp->seen_cap, sizeof *dp->seen) < 0)
		return;
	const char *title = rec_get(rec, PW_F_TITLE);
	struct weighed *w = &dp->seen[dp->nseen++];
	w->id = strdup(rec_get(rec, PW_F_ID));
	w->title = strdup(title ? title : "");
	w->reasons = rec_reasons(rec);
	w->score = rec_score(rec);
	w->vetoed = rec_vetoed(rec);
}

/* The last step of every candidate: one a scorer failed on is noted, to
 * be weighed again unless it is selected all the same. */
static void
offer(struct digest_pass *dp, pw_record *rec)
{
	if (rec_unscored(rec) && !rec_vetoed(rec)) {
		char *id = strdup(rec_get(rec, PW_F_ID));
		if (id && push((void **)&dp->again, &dp->nagain, &dp->again_cap, sizeof *dp->again) == 0)
			dp->again[dp->nagain++] = id;
		else
			free(id);
	}
	if (dp->r->previewing)
		note_weighed(dp, rec);
	sel_offer(&dp->sel, rec);
}

static void
score_one(struct digest_pass *dp, struct stage *st, size_t s, pw_record *rec)
{
	const pw_plugin *p = &st->inst->plugin->desc;
	char reason[512] = "";
	double value = 0;
	int veto = 0;
	pw_status ps = p->score(host_services(), st->inst, st->inst->state, rec, &value, &veto, reason, sizeof reason);
	reason[sizeof reason - 1] = '\0';
	if (ps != PW_OK || !isfinite(value)) {
		dp->failures[s]++;
		rec_mark_unscored(rec);
	} else if (veto) {
		rec_veto(rec, st->cfg->name, reason);
		dp->dr->report->vetoed++;
	} else {
		rec_score_add(rec, st->cfg->name, st->cfg->weight, value, reason);
	}
	host_instance_release_scratch(st->inst);
}

/* Runs one scorer over the held papers that no earlier scorer vetoed. */
static void
run_scorer(struct digest_pass *dp, struct stage *st, size_t s)
{
	const pw_plugin *p = &st->inst->plugin->desc;
	pw_delivery batch;
	size_t live = surviving(dp->held, dp->nheld, &batch);
	run_common_info(dp->r, dp->dr, &batch, live);
	if (p->prepare && p->prepare(host_services(), st->inst, st->inst->state, &batch) != PW_OK) {
		log_msg(PW_LOG_WARNING, st->cfg->name, "could not prepare; its %zu papers count 0 here", live);
		dp->failures[s] += (long)live;
		for (size_t i = 0; i < batch.count; i++)
			rec_mark_unscored(batch.records[i]);
		batch.count = 0;
	}
	host_instance_release_scratch(st->inst);
	for (size_t i = 0; i < batch.count; i++)
		if (!rec_vetoed(batch.records[i]))
			score_one(dp, st, s, batch.records[i]);
	free(batch.records);
	delivery_clear(&batch);
}

/* The held papers meet the scorers that need a batch: in batch mode every
 * scorer, cheap first; otherwise the expensive ones.  Then they go on to
 * the selection, and the batch is empty again. */
static void
score_held(struct digest_pass *dp)
{
	const cfg_digest *dg = dp->dr->cfg;
	if (dp->nheld == 0)
		return;
	for (unsigned pass = 0; pass < 2; pass++)
		for (size_t s = 0; s < dg->nscorers; s++) {
			struct stage *st = &dp->dr->scorers[s];
			unsigned expensive = (st->inst->plugin->desc.flags & PW_PLUGIN_EXPENSIVE) ? 1 : 0;
			if (expensive == pass && (dp->batch || expensive))
				run_scorer(dp, st, s);
		}
	for (size_t i = 0; i < dp->nheld; i++)
		offer(dp, dp->held[i]);
	dp->nheld = 0;
}

static void
hold(struct digest_pass *dp, pw_record *rec)
{
	if (push((void **)&dp->held, &dp->nheld, &dp->held_cap, sizeof *dp->held) < 0) {
		rec_free(rec);
		return;
	}
	dp->held[dp->nheld++] = rec;
	if (dp->nheld >= HOLD_MAX)
		score_held(dp);
}

static void
on_candidate(pw_record *rec, int64_t retries, void *ud)
{
	struct digest_pass *dp = ud;
	struct digest_run *dr = dp->dr;
	dp->retried += retries > 0;
	dr->report->candidates++;
	if (dp->batch) {
		hold(dp, rec);
		return;
	}
	for (size_t s = 0; s < dr->cfg->nscorers && !rec_vetoed(rec); s++) {
		struct stage *st = &dr->scorers[s];
		if (!(st->inst->plugin->desc.flags & PW_PLUGIN_EXPENSIVE))
			score_one(dp, st, s, rec);
	}
	if (dp->expensive && !rec_vetoed(rec))
		hold(dp, rec);
	else
		offer(dp, rec);
}

static int
start_pass(struct digest_pass *dp, struct run *r, struct digest_run *dr)
{
	memset(dp, 0, sizeof *dp);
	dp->r = r;
	dp->dr = dr;
	sel_init(&dp->sel, dr->cfg);
	dp->failures = calloc(dr->cfg->nscorers + 1, sizeof *dp->failures);
	for (size_t s = 0; s < dr->cfg->nscorers; s++) {
		const pw_plugin *p = &dr->scorers[s].inst->plugin->desc;
		if (p->flags & PW_PLUGIN_EXPENSIVE)
			dp->expensive = 1;
		else if (p->prepare)
			dp->batch = 1;
	}
	return dp->failures ? 0 : -1;
}

static void
end_pass(struct digest_pass *dp)
{
	for (size_t i = 0; i < dp->nagain; i++)
		free(dp->again[i]);
	free(dp->again);
	for (size_t i = 0; i < dp->nheld; i++)
		rec_free(dp->held[i]);
	free(dp->held);
	free(dp->failures);
	for (size_t i = 0; i < dp->nseen; i++) {
		free(dp->seen[i].id);
		free(dp->seen[i].title);
		free(dp->seen[i].reasons);
	}
	free(dp->seen);
	size_t n;
	pw_record **rest = sel_finish(&dp->sel, &n);
	for (size_t i = 0; i < n; i++)
		rec_free(rest[i]);
	free(rest);
}

static void
enrich_all(struct run *r, struct digest_run *dr, pw_record **sel, size_t n)
{
	for (size_t e = 0; e < dr->cfg->nenrichers && !interrupt_pending(); e++) {
		struct stage *st = &dr->enrichers[e];
		const pw_plugin *p = &st->inst->plugin->desc;
		long failures = 0;
		pw_delivery batch;
		surviving(sel, n, &batch);
		run_common_info(r, dr, &batch, n);
		if (p->prepare && p->prepare(host_services(), st->inst, st->inst->state, &batch) != PW_OK)
			log_msg(PW_LOG_WARNING, st->cfg->name, "could not prepare; enriching paper by paper");
		for (size_t i = 0; i < n && !interrupt_pending(); i++)
			if (p->enrich(host_services(), st->inst, st->inst->state, sel[i]) != PW_OK)
				failures++;
		host_instance_release_scratch(st->inst);
		free(batch.records);
		delivery_clear(&batch);
		if (failures && !interrupt_pending())
			log_msg(PW_LOG_WARNING, st->cfg->name,
			        "could not enrich %ld of %zu papers; they are delivered without it", failures, n);
	}
}

static int
is_selected(const char *id, pw_record **sel, size_t nsel)
{
	for (size_t i = 0; i < nsel; i++)
		if (strcmp(rec_get(sel[i], PW_F_ID), id) == 0)
			return 1;
	return 0;
}

/* One transaction: what the digest weighed leaves its queue (but for the
 * papers a scorer failed on, which stay a few runs more), and each
 * selected paper is pending for every sink until that sink succeeds. */
static int
commit_selection(struct run *r, const struct digest_pass *dp, pw_record **sel, size_t nsel)
{
	const cfg_digest *dg = dp->dr->cfg;
	if (store_begin(r->store) < 0)
		goto fail;
	for (size_t i = 0; i < dp->nagain; i++)
		if (!is_selected(dp->again[i], sel, nsel) &&
		    store_weigh_again(r->store, dg->name, dp->again[i], r->run_id) < 0)
			goto fail;
	if (store_weigh_done(r->store, dg->name, r->run_id) < 0)
		goto fail;
	for (size_t s = 0; s < dg->nsinks; s++)
		for (size_t i = 0; i < nsel; i++)
			if (store_ledger_pending(r->store, dg->name, dg->sinks[s].name, sel[i]) < 0)
				goto fail;
	if (store_commit(r->store) == 0)
		return 0;
fail:
	log_msg(PW_LOG_ERROR, dg->name, "%s", store_error(r->store));
	store_rollback(r->store);
	return -1;
}

/* When no source gave a paper: each source's own word on why ("unchanged
 * since the last run (HTTP 304)", "no announcement: arXiv does not
 * announce on Saturdays"), or that it failed; never a guess. */
static void
why_nothing_fetched(const struct run *r, char *out, size_t size)
{
	size_t n = 0;
	out[0] = '\0';
	for (size_t i = 0; i < r->report.nsources && n < size; i++) {
		const report_source *s = &r->report.sources[i];
		const char *why = s->failed ? "failed" : s->note[0] ? s->note : "returned no papers";
		n += (size_t)snprintf(out + n, size - n, "%ssource %s: %s", n ? "; " : "", s->name, why);
	}
	if (!out[0])
		snprintf(out, size, "no source returned papers");
}

static void
explain_empty(struct run *r, report_digest *rd, const cfg_digest *dg)
{
	if (rd->candidates == 0 && r->report.fetched == 0)
		why_nothing_fetched(r, rd->empty_reason, sizeof rd->empty_reason);
	else if (rd->candidates == 0)
		snprintf(rd->empty_reason, sizeof rd->empty_reason,
		         r->report.fetched == 1 ? "the %ld paper fetched was seen before"
		                                : "all %ld papers fetched were seen before",
		         r->report.fetched);
	else if (rd->vetoed == rd->candidates)
		snprintf(rd->empty_reason, sizeof rd->empty_reason, "all %ld new papers were vetoed", rd->candidates);
	else
		snprintf(rd->empty_reason, sizeof rd->empty_reason, "none of the %ld new papers reached min_score %g",
		         rd->candidates, dg->min_score);
}

static void
print_dry_run(const cfg_digest *dg, pw_record **sel, size_t n)
{
	printf("digest %s: %zu paper%s would be delivered\n", dg->name, n, n == 1 ? "" : "s");
	for (size_t i = 0; i < n; i++) {
		double v;
		const char *reason;
		printf("%7.2f  %-18s %s\n", rec_score(sel[i]), rec_get(sel[i], PW_F_ID),
		       rec_get(sel[i], PW_F_TITLE) ? rec_get(sel[i], PW_F_TITLE) : "");
		for (size_t k = 0; rec_score_at(sel[i], k, &v, &reason); k++)
			printf("         %s: %s\n", rec_score_at(sel[i], k, NULL, NULL), reason);
	}
}

int
weigh_preview(struct run *r, struct digest_run *dr, int64_t day)
{
	struct digest_pass dp;
	if (start_pass(&dp, r, dr) < 0)
		return -1;
	int rc = store_papers_of_day(r->store, day, on_candidate, &dp);
	if (rc == 0) {
		score_held(&dp);
		size_t nsel;
		pw_record **sel = sel_finish(&dp.sel, &nsel);
		rc = preview_print(r, dr, day, sel, nsel, dp.seen, dp.nseen);
		for (size_t i = 0; i < nsel; i++)
			rec_free(sel[i]);
		free(sel);
	}
	if (rc < 0 && store_error(r->store)[0])
		log_msg(PW_LOG_ERROR, dr->cfg->name, "%s", store_error(r->store));
	end_pass(&dp);
	return rc;
}

long
weigh_digest(struct run *r, struct digest_run *dr)
{
	const cfg_digest *dg = dr->cfg;
	report_digest *rd = dr->report;
	struct digest_pass dp;
	long result = -1;

	if (start_pass(&dp, r, dr) < 0)
		return -1;
	if (store_weigh_each(r->store, dg->name, on_candidate, &dp) < 0) {
		log_msg(PW_LOG_ERROR, dg->name, "%s", store_error(r->store));
		end_pass(&dp);
		return -1;
	}
	if (dp.retried)
		log_msg(PW_LOG_INFO, dg->name, "weighing again %ld papers an earlier run could not score", dp.retried);
	score_held(&dp);
	rd->scored = rd->candidates;
	for (size_t s = 0; s < dg->nscorers; s++) {
		if (!dp.failures[s])
			continue;
		/* A scorer that scored nothing at all (its prepare failed: an
		 * unreachable model, a profile it could not read) fails the run,
		 * loudly; the papers are weighed again by the next one. */
		int none = dp.failures[s] >= rd->candidates;
		if (none) {
			size_t used = strlen(rd->failed_scorers);
			snprintf(rd->failed_scorers + used, sizeof rd->failed_scorers - used, "%s%s", used ? ", " : "",
			         dg->scorers[s].name);
		}
		log_msg(none ? PW_LOG_ERROR : PW_LOG_WARNING, dg->scorers[s].name,
		        "could not score %ld of %ld papers; they count 0 here%s", dp.failures[s], rd->candidates,
		        none ? " (the run exits 1)" : "");
	}
	size_t nsel;
	sel_histogram(&dp.sel, SCORE_HISTOGRAM_BINS, rd->score_histogram, sizeof rd->score_histogram);
	pw_record **sel = sel_finish(&dp.sel, &nsel);
	rd->selected = (long)nsel;
	if (nsel == 0)
		explain_empty(r, rd, dg);
	if (dp.nagain && !r->opt->dry_run)
		log_msg(PW_LOG_WARNING, dg->name,
		        "%zu papers could not be fully scored; unless selected, the next "
		        "run weighs them again (at most %d times)",
		        dp.nagain, STORE_MAX_RETRIES);
	enrich_all(r, dr, sel, nsel);
	if (interrupt_pending()) {
		/* Nothing is committed: the papers stay queued for the next run. */
	} else if (r->opt->dry_run) {
		print_dry_run(dg, sel, nsel);
		result = (long)nsel;
	} else if (commit_selection(r, &dp, sel, nsel) == 0) {
		crash_point("selection-committed");
		result = (long)nsel;
		deliver_keep_selection(dr, sel, nsel);
		sel = NULL;
		nsel = 0;
	}
	for (size_t i = 0; i < nsel; i++)
		rec_free(sel[i]);
	free(sel);
	end_pass(&dp);
	return result;
}
