/* pipeline.c: the order of a run, and the rule that makes delivery exact:
 * a paper is marked delivered for a sink only after that sink succeeded,
 * and a selection that was not delivered stays pending in the store. */
#include "autoconf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "host.h"
#include "log.h"
#include "pipeline.h"
#include "record.h"
#include "report.h"
#include "select.h"

struct stage {
	pw_instance *inst;
	const cfg_instance *cfg;
};

struct digest_run {
	const cfg_digest *cfg;
	struct stage *scorers, *enrichers, *sinks;
	report_digest *report;
};

struct run;
struct digest_run;
static void set_common_info(struct run *r, const struct digest_run *dr, pw_delivery *d, size_t nselected);

struct run {
	pw_config *cfg;
	const ldr_registry *reg;
	const run_options *opt;
	pw_store *store;
	http_client *http;
	struct stage *sources;
	struct digest_run *digests;
	run_report report;
	int in_fetch;   /* the fetch transaction is open */
	int64_t run_id;
	time_t started;
	char run_time[32];
};

static const ldr_plugin *
find_plugin(const pw_config *cfg, const ldr_registry *reg, const cfg_instance *inst, pw_kind kind,
            cfg_diag *diag)
{
	const ldr_plugin *p = ldr_find_kind(reg, inst->plugin, kind);
	if (!p)
		p = ldr_find(reg, inst->plugin);
	if (!p) {
		char dirs[1024] = "";
		for (size_t i = 0; i < reg->ndirs; i++)
			snprintf(dirs + strlen(dirs), sizeof dirs - strlen(dirs), "%s%s", i ? ":" : "", reg->dirs[i]);
		cfg_report(cfg, diag, inst->path, "plugin", "no plugin named \"%s\" (searched %s)", inst->plugin,
		           dirs[0] ? dirs : "no directory");
		return NULL;
	}
	if (p->desc.kind != kind) {
		cfg_report(cfg, diag, inst->path, "plugin", "plugin \"%s\" is a %s, not a %s", inst->plugin,
		           ldr_kind_name(p->desc.kind), ldr_kind_name(kind));
		return NULL;
	}
	return p;
}

/* Calls fn on every instance of the config with its kind. */
static int
each_instance(pw_config *cfg, int (*fn)(pw_config *, cfg_instance *, pw_kind, const char *ns, void *), void *ud)
{
	char ns[512];
	int errors = 0;
	for (size_t i = 0; i < cfg->nsources; i++) {
		snprintf(ns, sizeof ns, "source/%s", cfg->sources[i].name);
		errors += fn(cfg, &cfg->sources[i], PW_KIND_SOURCE, ns, ud);
	}
	for (size_t d = 0; d < cfg->ndigests; d++) {
		cfg_digest *dg = &cfg->digests[d];
		for (size_t i = 0; i < dg->nscorers; i++) {
			snprintf(ns, sizeof ns, "%s/scorer/%s", dg->name, dg->scorers[i].name);
			errors += fn(cfg, &dg->scorers[i], PW_KIND_SCORER, ns, ud);
		}
		for (size_t i = 0; i < dg->nenrichers; i++) {
			snprintf(ns, sizeof ns, "%s/enricher/%s", dg->name, dg->enrichers[i].name);
			errors += fn(cfg, &dg->enrichers[i], PW_KIND_ENRICHER, ns, ud);
		}
		for (size_t i = 0; i < dg->nsinks; i++) {
			snprintf(ns, sizeof ns, "%s/sink/%s", dg->name, dg->sinks[i].name);
			errors += fn(cfg, &dg->sinks[i], PW_KIND_SINK, ns, ud);
		}
	}
	return errors;
}

struct check_ctx {
	const ldr_registry *reg;
	cfg_diag *diag;
	int create;
};

static int
check_one(pw_config *cfg, cfg_instance *inst, pw_kind kind, const char *ns, void *ud)
{
	struct check_ctx *c = ud;
	const ldr_plugin *p = find_plugin(cfg, c->reg, inst, kind, c->diag);
	if (!p)
		return 1;
	int errors = cfg_check_options(cfg, inst, p->desc.options, kind == PW_KIND_SCORER, c->diag);
	if (errors || !c->create)
		return errors;
	pw_instance *pi = host_instance_new(p, inst, ns, NULL, NULL);
	if (!pi)
		return 1;
	pw_status st = host_instance_create(pi);
	if (st != PW_OK) {
		cfg_report(cfg, c->diag, inst->path, NULL, "plugin \"%s\" refused its options (see the messages above)",
		           inst->plugin);
		errors++;
	}
	host_instance_free(pi);
	return errors;
}

int
pipeline_check(pw_config *cfg, const ldr_registry *reg, int create_instances, cfg_diag *diag)
{
	struct check_ctx c = { reg, diag, create_instances };
	return each_instance(cfg, check_one, &c);
}

static int
start_stage(struct run *r, struct stage *st, cfg_instance *inst, pw_kind kind, const char *ns,
            const char *digest)
{
	st->cfg = inst;
	st->inst = host_instance_new(ldr_find_kind(r->reg, inst->plugin, kind), inst, ns, r->store, r->http);
	if (!st->inst)
		return -1;
	if (kind == PW_KIND_SINK) {
		/* A sink's ledger is keyed by its digest's name and its own. */
		st->inst->digest = digest;
		st->inst->sink = inst->name;
	}
	if (host_instance_create(st->inst) != PW_OK) {
		log_msg(PW_LOG_ERROR, inst->name, "%s: plugin \"%s\" could not start", inst->path, inst->plugin);
		return -1;
	}
	return 0;
}

static int
start_all(struct run *r)
{
	char ns[512];
	pw_config *cfg = r->cfg;
	r->sources = calloc(cfg->nsources + 1, sizeof *r->sources);
	r->digests = calloc(cfg->ndigests + 1, sizeof *r->digests);
	if (!r->sources || !r->digests)
		return -1;
	for (size_t i = 0; i < cfg->nsources; i++) {
		snprintf(ns, sizeof ns, "source/%s", cfg->sources[i].name);
		if (start_stage(r, &r->sources[i], &cfg->sources[i], PW_KIND_SOURCE, ns, NULL) < 0)
			return -1;
	}
	for (size_t d = 0; d < cfg->ndigests; d++) {
		cfg_digest *dg = &cfg->digests[d];
		struct digest_run *dr = &r->digests[d];
		dr->cfg = dg;
		dr->scorers = calloc(dg->nscorers + 1, sizeof *dr->scorers);
		dr->enrichers = calloc(dg->nenrichers + 1, sizeof *dr->enrichers);
		dr->sinks = calloc(dg->nsinks + 1, sizeof *dr->sinks);
		if (!dr->scorers || !dr->enrichers || !dr->sinks)
			return -1;
		for (size_t i = 0; i < dg->nscorers; i++) {
			snprintf(ns, sizeof ns, "%s/scorer/%s", dg->name, dg->scorers[i].name);
			if (start_stage(r, &dr->scorers[i], &dg->scorers[i], PW_KIND_SCORER, ns, dg->name) < 0)
				return -1;
		}
		for (size_t i = 0; i < dg->nenrichers; i++) {
			snprintf(ns, sizeof ns, "%s/enricher/%s", dg->name, dg->enrichers[i].name);
			if (start_stage(r, &dr->enrichers[i], &dg->enrichers[i], PW_KIND_ENRICHER, ns, dg->name) < 0)
				return -1;
		}
		for (size_t i = 0; i < dg->nsinks; i++) {
			snprintf(ns, sizeof ns, "%s/sink/%s", dg->name, dg->sinks[i].name);
			if (start_stage(r, &dr->sinks[i], &dg->sinks[i], PW_KIND_SINK, ns, dg->name) < 0)
				return -1;
		}
	}
	return 0;
}

static void
stop_stages(struct stage *st, size_t n)
{
	for (size_t i = 0; st && i < n; i++)
		host_instance_free(st[i].inst);
	free(st);
}

static void
stop_all(struct run *r)
{
	stop_stages(r->sources, r->cfg->nsources);
	for (size_t d = 0; r->digests && d < r->cfg->ndigests; d++) {
		struct digest_run *dr = &r->digests[d];
		stop_stages(dr->scorers, dr->cfg ? dr->cfg->nscorers : 0);
		stop_stages(dr->enrichers, dr->cfg ? dr->cfg->nenrichers : 0);
		stop_stages(dr->sinks, dr->cfg ? dr->cfg->nsinks : 0);
	}
	free(r->digests);
}

/* emit(): canonical id and source name, then straight into the store,
 * where a paper seen before (from this run or an earlier one) merges into
 * one record.  Nothing is held in memory. */
static int
on_emit(pw_instance *inst, pw_record *rec, void *ud)
{
	struct run *r = ud;
	int is_new = 0;
	if (rec_canonicalize(rec) < 0) {
		const char *title = rec_get(rec, PW_F_TITLE);
		log_msg(PW_LOG_WARNING, inst->cfg->name, "a record without a usable id was dropped (title: %.80s)",
		        title ? title : "none");
		inst->rejected++;
		rec_free(rec);
		return -1;
	}
	if (!rec_get(rec, PW_F_SOURCE))
		rec_set(rec, PW_F_SOURCE, inst->cfg->name);
	int rc = store_paper_put(r->store, rec, &is_new) < 0 || store_fetched_add(r->store, rec_get(rec, PW_F_ID)) < 0
	                 ? -1
	                 : 0;
	rec_free(rec);
	if (rc < 0) {
		log_msg(PW_LOG_ERROR, inst->cfg->name, "%s", store_error(r->store));
		return -1;
	}
	inst->emitted++;
	inst->fresh += is_new;
	if (inst->emitted % 1000 == 0)
		log_progress("%s: %ld papers", inst->cfg->name, inst->emitted);
	return 0;
}

/* emit_begin/emit_end: a savepoint, so a batch is dropped as a whole. */
static int
on_batch(pw_instance *inst, int keep, void *ud)
{
	struct run *r = ud;
	static const char sp[] = "emit_batch";
	if (keep < 0) {
		inst->batch_emitted = inst->emitted;
		inst->batch_fresh = inst->fresh;
		return store_savepoint(r->store, sp, STORE_SP_BEGIN);
	}
	if (keep)
		return store_savepoint(r->store, sp, STORE_SP_RELEASE);
	inst->emitted = inst->batch_emitted;
	inst->fresh = inst->batch_fresh;
	return store_savepoint(r->store, sp, STORE_SP_ROLLBACK);
}

/* Catch-up: each source learns where its last successful fetch began
 * (or the day of --since), and a fetch that succeeds moves that mark to
 * the start of this run, inside the fetch transaction: a run that fails
 * to commit, or a dry run, leaves it where it was. */
#define LAST_SUCCESS_KEY "@last_success"

static int64_t
source_since(struct run *r, const pw_instance *inst)
{
	if (r->opt->since >= 0)
		return r->opt->since;
	char *v = store_state_get(r->store, inst->ns, LAST_SUCCESS_KEY);
	char *end = NULL;
	long long t = v ? strtoll(v, &end, 10) : -1;
	if (v && (end == v || *end))
		t = -1;
	free(v);
	return (int64_t)t;
}

static void
record_success(struct run *r, const pw_instance *inst)
{
	char v[32];
	snprintf(v, sizeof v, "%lld", (long long)r->started);
	if (store_state_set(r->store, inst->ns, LAST_SUCCESS_KEY, v) < 0)
		log_msg(PW_LOG_WARNING, inst->cfg->name, "cannot record this successful fetch: %s",
		        store_error(r->store));
}

static void
run_sources(struct run *r)
{
	for (size_t i = 0; i < r->cfg->nsources; i++) {
		struct stage *st = &r->sources[i];
		report_source *rs = &r->report.sources[i];
		st->inst->on_emit = on_emit;
		st->inst->on_batch = on_batch;
		st->inst->emit_ud = r;
		log_progress("%s: fetching", st->cfg->name);
		st->inst->fetch_since = source_since(r, st->inst);
		pw_status s = st->inst->plugin->desc.fetch(host_services(), st->inst, st->inst->state);
		if (st->inst->in_batch) {
			/* A plugin that returned inside a batch: what it left open is dropped. */
			log_msg(PW_LOG_WARNING, st->cfg->name, "returned without emit_end; its open batch is dropped");
			st->inst->in_batch = 0;
			on_batch(st->inst, 0, r);
		}
		host_instance_release_scratch(st->inst);
		log_progress_done();
		rs->name = st->cfg->name;
		rs->plugin = st->cfg->plugin;
		rs->fetched = st->inst->emitted;
		rs->new_papers = st->inst->fresh;
		rs->rejected = st->inst->rejected;
		rs->requests = st->inst->http_requests;
		rs->retries = st->inst->http_retries;
		snprintf(rs->http_codes, sizeof rs->http_codes, "%s", st->inst->http_codes);
		snprintf(rs->note, sizeof rs->note, "%s", st->inst->note);
		host_instance_counters(st->inst, rs->counters, sizeof rs->counters);
		if (s != PW_OK) {
			rs->failed = 1;
			log_msg(PW_LOG_ERROR, st->cfg->name, "source failed%s; the other sources still run",
			        s == PW_RETRY ? " (transient: the next run will try again)" : "");
		} else {
			record_success(r, st->inst);
		}
	}
	r->report.fetched = store_fetched_count(r->store);
}

/* The fetch runs in one transaction: what the sources emitted, their
 * state (cursors), and only then the HTTP validators that would let the
 * next run skip it, are committed together.  A dry run never commits. */
static int
begin_fetch(struct run *r)
{
	if (store_begin(r->store) < 0) {
		log_msg(PW_LOG_ERROR, NULL, "%s", store_error(r->store));
		return -1;
	}
	r->in_fetch = 1;
	return 0;
}

static int
commit_fetch(struct run *r)
{
	if (r->opt->dry_run)
		return 0;
	r->in_fetch = 0;
	if (http_commit_validators(r->http, r->store) < 0 || store_commit(r->store) < 0) {
		log_msg(PW_LOG_ERROR, NULL, "%s", store_error(r->store));
		store_rollback(r->store);
		return -1;
	}
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
enrich_all(struct run *r, struct digest_run *dr, pw_record **sel, size_t n)
{
	for (size_t e = 0; e < dr->cfg->nenrichers; e++) {
		struct stage *st = &dr->enrichers[e];
		const pw_plugin *p = &st->inst->plugin->desc;
		long failures = 0;
		pw_delivery batch;
		surviving(sel, n, &batch);
		set_common_info(r, dr, &batch, n);
		if (p->prepare && p->prepare(host_services(), st->inst, st->inst->state, &batch) != PW_OK)
			log_msg(PW_LOG_WARNING, st->cfg->name, "could not prepare; enriching paper by paper");
		for (size_t i = 0; i < n; i++)
			if (p->enrich(host_services(), st->inst, st->inst->state, sel[i]) != PW_OK)
				failures++;
		host_instance_release_scratch(st->inst);
		free(batch.records);
		delivery_clear(&batch);
		if (failures)
			log_msg(PW_LOG_WARNING, st->cfg->name, "could not enrich %ld of %zu papers; they are delivered without it",
			        failures, n);
	}
}

struct pending_list {
	pw_record **recs;
	size_t count;
};

static void
collect_pending(pw_record *rec, void *ud)
{
	struct pending_list *pl = ud;
	pw_record **nr = realloc(pl->recs, (pl->count + 1) * sizeof *nr);
	if (!nr) {
		rec_free(rec);
		return;
	}
	pl->recs = nr;
	pl->recs[pl->count++] = rec;
}

static void
set_common_info(struct run *r, const struct digest_run *dr, pw_delivery *d, size_t nselected)
{
	char buf[2048] = "", num[32];
	delivery_set_info(d, PW_D_DIGEST, dr->cfg->name);
	delivery_set_info(d, PW_D_RUN_TIME, r->run_time);
	snprintf(num, sizeof num, "%ld", r->report.fetched);
	delivery_set_info(d, PW_D_FETCHED, num);
	snprintf(num, sizeof num, "%ld", dr->report->candidates);
	delivery_set_info(d, PW_D_NEW, num);
	snprintf(num, sizeof num, "%zu", nselected);
	delivery_set_info(d, PW_D_SELECTED, num);
	char cats[1024] = "";
	for (size_t i = 0; i < r->cfg->nsources; i++) {
		const cfg_instance *s = &r->cfg->sources[i];
		snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s (%s)", i ? ", " : "", s->name, s->plugin);
		const cJSON *c = cfg_option(s, "categories"), *e;
		cJSON_ArrayForEach(e, c)
			if (cJSON_IsString(e) && !strstr(cats, e->valuestring))
				snprintf(cats + strlen(cats), sizeof cats - strlen(cats), "%s%s", cats[0] ? ", " : "",
				         e->valuestring);
	}
	delivery_set_info(d, PW_D_SOURCES, buf);
	delivery_set_info(d, PW_D_CATEGORIES, cats);
	delivery_set_info(d, PW_D_EMPTY_REASON, dr->report->empty_reason);
}

/* One transaction: the digest has now weighed what this run fetched (and
 * the papers it weighed again), and each selected paper is pending for
 * every sink until that sink succeeds. */
struct mark {
	char *id;
	int unscored;   /* a scorer failed on it: weigh it again next run */
};

static int
commit_selection(struct run *r, const cfg_digest *dg, const struct mark *marks, size_t nmarks, pw_record **sel,
                 size_t nsel)
{
	if (store_begin(r->store) < 0)
		goto fail;
	for (size_t i = 0; i < nmarks; i++)
		if (store_digest_mark_seen(r->store, dg->name, marks[i].id, r->run_id, marks[i].unscored) < 0)
			goto fail;
	if (store_digest_mark_fetched(r->store, dg->name, r->run_id) < 0)
		goto fail;
	/* What is selected is delivered: never weighed again. */
	for (size_t i = 0; i < nsel; i++)
		if (store_digest_mark_seen(r->store, dg->name, rec_get(sel[i], PW_F_ID), r->run_id, 0) < 0)
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

static int
mark_delivered(struct run *r, const char *digest, const char *sink, pw_record **recs, size_t n)
{
	if (store_begin(r->store) < 0)
		goto fail;
	for (size_t i = 0; i < n; i++)
		if (store_ledger_delivered(r->store, digest, sink, rec_get(recs[i], PW_F_ID), r->run_id) < 0)
			goto fail;
	if (store_commit(r->store) == 0)
		return 0;
fail:
	log_msg(PW_LOG_ERROR, sink, "%s", store_error(r->store));
	store_rollback(r->store);
	return -1;
}

/* Delivers to one sink everything pending for it: this run's selection
 * and whatever an earlier run failed to deliver. */
static int
deliver(struct run *r, struct digest_run *dr, size_t s, size_t nsel)
{
	struct stage *st = &dr->sinks[s];
	report_sink *rs = &dr->report->sinks[s];
	const char *dname = dr->cfg->name, *sname = st->cfg->name;
	struct pending_list pl = { NULL, 0 };
	pw_delivery d;
	int ok = 0;

	memset(&d, 0, sizeof d);
	rs->name = sname;
	rs->plugin = st->cfg->plugin;
	if (store_ledger_each_pending(r->store, dname, sname, collect_pending, &pl) < 0) {
		log_msg(PW_LOG_ERROR, sname, "%s", store_error(r->store));
		goto out;
	}
	select_sort(pl.recs, pl.count);
	d.records = pl.recs;
	d.count = pl.count;
	set_common_info(r, dr, &d, d.count);
	if (pl.count > nsel)
		log_msg(PW_LOG_INFO, sname, "also delivering %zu papers an earlier run failed to deliver",
		        pl.count - nsel);
	pw_status ps = st->inst->plugin->desc.write(host_services(), st->inst, st->inst->state, &d);
	host_instance_release_scratch(st->inst);
	if (ps != PW_OK) {
		log_msg(PW_LOG_ERROR, sname, "sink failed; %zu papers stay pending for the next run", d.count);
		goto out;
	}
	if (mark_delivered(r, dname, sname, d.records, d.count) < 0)
		goto out;
	ok = 1;
out:
	rs->delivered = ok ? (long)d.count : 0;
	rs->pending = ok ? 0 : (long)pl.count;
	rs->failed = !ok;
	for (size_t i = 0; i < pl.count; i++)
		rec_free(pl.recs[i]);
	free(pl.recs);
	delivery_clear(&d);
	return ok ? 0 : -1;
}

static void
explain_empty(struct run *r, report_digest *rd, const cfg_digest *dg)
{
	int failed = 0;
	for (size_t i = 0; i < r->report.nsources; i++)
		failed |= r->report.sources[i].failed;
	if (r->report.fetched == 0)
		snprintf(rd->empty_reason, sizeof rd->empty_reason, "%s",
		         failed ? "a source failed and the others returned no papers"
		                : "the sources returned no papers (on arXiv, no announcement on weekends and holidays)");
	else if (rd->candidates == 0)
		snprintf(rd->empty_reason, sizeof rd->empty_reason,
		         "no new papers since the last run (%ld fetched, all seen before)", r->report.fetched);
	else if (rd->vetoed == rd->candidates)
		snprintf(rd->empty_reason, sizeof rd->empty_reason, "all %ld new papers were vetoed", rd->candidates);
	else
		snprintf(rd->empty_reason, sizeof rd->empty_reason, "none of the %ld new papers reached min_score %g",
		         rd->candidates, dg->min_score);
}

static void
print_dry_run(const cfg_digest *dg, pw_record **sel, size_t n)
{
	printf("digest %s: %zu papers would be delivered\n", dg->name, n);
	for (size_t i = 0; i < n; i++) {
		double v;
		const char *reason;
		printf("%7.2f  %-18s %s\n", rec_score(sel[i]), rec_get(sel[i], PW_F_ID),
		       rec_get(sel[i], PW_F_TITLE) ? rec_get(sel[i], PW_F_TITLE) : "");
		for (size_t k = 0; rec_score_at(sel[i], k, &v, &reason); k++)
			printf("         %s: %s\n", rec_score_at(sel[i], k, NULL, NULL), reason);
	}
}

/* One digest's pass over its candidates.  Cheap scorers weigh each paper
 * as it streams out of the store; a paper then goes straight to the
 * selection, or, when expensive scorers follow (or a cheap one needs the
 * whole batch), waits in held[] for them. */
struct digest_pass {
	struct run *r;
	struct digest_run *dr;
	selection sel;
	int batch;              /* every candidate is held: a cheap scorer has prepare() */
	int expensive;          /* expensive scorers follow: survivors are held */
	pw_record **held;
	size_t nheld, held_cap;
	struct mark *marks;     /* papers to weigh again, and retried ones */
	size_t nmarks, marks_cap;
	int from_retry;         /* the candidate at hand is one weighed again */
	long retried;
	unsigned char *held_retry;
	size_t held_retry_cap;
	long *failures;         /* per scorer */
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

static void
hold(struct digest_pass *dp, pw_record *rec)
{
	if (push((void **)&dp->held, &dp->nheld, &dp->held_cap, sizeof *dp->held) < 0 ||
	    push((void **)&dp->held_retry, &dp->nheld, &dp->held_retry_cap, 1) < 0) {
		rec_free(rec);
		return;
	}
	dp->held_retry[dp->nheld] = (unsigned char)dp->from_retry;
	dp->held[dp->nheld++] = rec;
}

/* The last step of every candidate: a paper weighed again, or one a scorer
 * failed on, is marked one by one; the rest are marked in bulk. */
static void
offer(struct digest_pass *dp, pw_record *rec, int from_retry)
{
	if (from_retry || (rec_unscored(rec) && !rec_vetoed(rec))) {
		char *id = strdup(rec_get(rec, PW_F_ID));
		if (id && push((void **)&dp->marks, &dp->nmarks, &dp->marks_cap, sizeof *dp->marks) == 0) {
			dp->marks[dp->nmarks].id = id;
			dp->marks[dp->nmarks++].unscored = rec_unscored(rec) && !rec_vetoed(rec);
		} else {
			free(id);
		}
	}
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

static void
on_candidate(pw_record *rec, int64_t retries, void *ud)
{
	struct digest_pass *dp = ud;
	if (retries > 0) {
		dp->from_retry = 1;
		dp->retried++;
	}
	struct digest_run *dr = dp->dr;
	dr->report->candidates++;
	if (dp->batch) {
		hold(dp, rec);
		dp->from_retry = 0;
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
		offer(dp, rec, dp->from_retry);
	dp->from_retry = 0;
}

/* Runs one scorer over the held papers that no earlier scorer vetoed. */
static void
run_scorer(struct digest_pass *dp, struct stage *st, size_t s)
{
	const pw_plugin *p = &st->inst->plugin->desc;
	pw_delivery batch;
	size_t live = surviving(dp->held, dp->nheld, &batch);
	set_common_info(dp->r, dp->dr, &batch, live);
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

/* The held papers meet the scorers that need them all: in batch mode every
 * scorer, cheap first; otherwise the expensive ones. */
static void
score_held(struct digest_pass *dp)
{
	const cfg_digest *dg = dp->dr->cfg;
	for (unsigned pass = 0; pass < 2; pass++)
		for (size_t s = 0; s < dg->nscorers; s++) {
			struct stage *st = &dp->dr->scorers[s];
			unsigned expensive = (st->inst->plugin->desc.flags & PW_PLUGIN_EXPENSIVE) ? 1 : 0;
			if (expensive == pass && (dp->batch || expensive))
				run_scorer(dp, st, s);
		}
	for (size_t i = 0; i < dp->nheld; i++)
		offer(dp, dp->held[i], dp->held_retry[i]);
	dp->nheld = 0;
}

static void
on_retry(pw_record *rec, void *ud)
{
	on_candidate(rec, 1, ud);
}

static void
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
}

static void
end_pass(struct digest_pass *dp)
{
	for (size_t i = 0; i < dp->nmarks; i++)
		free(dp->marks[i].id);
	free(dp->marks);
	for (size_t i = 0; i < dp->nheld; i++)
		rec_free(dp->held[i]);
	free(dp->held);
	free(dp->held_retry);
	free(dp->failures);
	size_t n;
	pw_record **rest = sel_finish(&dp->sel, &n);
	for (size_t i = 0; i < n; i++)
		rec_free(rest[i]);
	free(rest);
}

static int
run_digest(struct run *r, struct digest_run *dr)
{
	const cfg_digest *dg = dr->cfg;
	report_digest *rd = dr->report;
	struct digest_pass dp;
	int failed = 0;

	start_pass(&dp, r, dr);
	if (!dp.failures)
		return -1;
	if (store_digest_each_candidate(r->store, dg->name, on_candidate, &dp) < 0) {
		log_msg(PW_LOG_ERROR, dg->name, "%s", store_error(r->store));
		failed = 1;
	}
	if (store_digest_each_retry(r->store, dg->name, on_retry, &dp) < 0)
		log_msg(PW_LOG_ERROR, dg->name, "%s", store_error(r->store));
	if (dp.retried)
		log_msg(PW_LOG_INFO, dg->name, "weighing again %ld papers an earlier run could not score", dp.retried);
	score_held(&dp);
	rd->scored = rd->candidates;
	for (size_t s = 0; s < dg->nscorers; s++)
		if (dp.failures[s])
			log_msg(PW_LOG_WARNING, dg->scorers[s].name, "could not score %ld of %ld papers; they count 0 here",
			        dp.failures[s], rd->candidates);
	size_t unscored = 0, nsel;
	for (size_t i = 0; i < dp.nmarks; i++)
		unscored += (size_t)dp.marks[i].unscored;
	pw_record **sel = sel_finish(&dp.sel, &nsel);
	rd->selected = (long)nsel;
	if (nsel == 0)
		explain_empty(r, rd, dg);
	if (unscored && !r->opt->dry_run)
		log_msg(PW_LOG_WARNING, dg->name, "%zu papers could not be fully scored; unless selected, the next "
		        "run weighs them again (at most %d times)", unscored, STORE_MAX_RETRIES);
	enrich_all(r, dr, sel, nsel);
	if (failed) {
		/* The candidates could not all be read: weigh nothing as done. */
	} else if (r->opt->dry_run) {
		print_dry_run(dg, sel, nsel);
		for (size_t s = 0; s < dg->nsinks; s++) {
			rd->sinks[s].name = dg->sinks[s].name;
			rd->sinks[s].plugin = dg->sinks[s].plugin;
		}
	} else if (commit_selection(r, dg, dp.marks, dp.nmarks, sel, nsel) < 0) {
		failed = 1;
	} else {
		for (size_t s = 0; s < dg->nsinks; s++)
			if (deliver(r, dr, s, nsel) < 0)
				failed = 1;
	}
	for (size_t i = 0; i < nsel; i++)
		rec_free(sel[i]);
	free(sel);
	end_pass(&dp);
	return failed ? -1 : 0;
}

/* The scorers' and enrichers' own counters, once they have run. */
static void
report_stage_counters(struct digest_run *dr)
{
	char c[256];
	report_digest *rd = dr->report;
	struct stage *groups[2] = { dr->scorers, dr->enrichers };
	size_t counts[2] = { dr->cfg->nscorers, dr->cfg->nenrichers };
	for (int g = 0; g < 2; g++)
		for (size_t i = 0; i < counts[g]; i++) {
			host_instance_counters(groups[g][i].inst, c, sizeof c);
			if (c[0])
				snprintf(rd->stages + strlen(rd->stages), sizeof rd->stages - strlen(rd->stages), "%s%s: %s",
				         rd->stages[0] ? "; " : "", groups[g][i].cfg->name, c);
		}
}

static int
alloc_report(struct run *r)
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

static void
free_report(run_report *rep)
{
	for (size_t d = 0; rep->digests && d < rep->ndigests; d++)
		free(rep->digests[d].sinks);
	free(rep->digests);
	free(rep->sources);
}

static double
elapsed_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void
finish_report(struct run *r, const struct timespec *t0)
{
	r->report.elapsed = elapsed_since(t0);
	char *line = report_summary(&r->report);
	log_msg(r->report.exit_code ? PW_LOG_WARNING : PW_LOG_INFO, NULL, "%s", line ? line : "run finished");
	free(line);
	if (r->store && !r->opt->dry_run && r->run_id > 0) {
		char *json = report_json(&r->report);
		if (store_run_end(r->store, r->run_id, (int64_t)time(NULL), r->report.exit_code, json) < 0)
			log_msg(PW_LOG_ERROR, NULL, "%s", store_error(r->store));
		free(json);
	}
}

int
pipeline_run(pw_config *cfg, const ldr_registry *reg, const run_options *opt)
{
	struct run r;
	struct timespec t0;
	char err[1024];
	http_options hopt;
	int exit_code = 0;

	memset(&r, 0, sizeof r);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r.cfg = cfg;
	r.reg = reg;
	r.opt = opt;
	r.started = time(NULL);
	r.report.dry_run = opt->dry_run;
	strftime(r.run_time, sizeof r.run_time, "%Y-%m-%dT%H:%M:%SZ", gmtime(&r.started));

	r.store = store_open(cfg->store, err, sizeof err);
	if (!r.store) {
		log_msg(PW_LOG_ERROR, NULL, "%s", err);
		return 2;
	}
	http_default_options(&hopt);
	cfg_http_options(cfg, &hopt);
	r.http = http_new(&hopt, r.store);
	if (!r.http || alloc_report(&r) < 0) {
		log_msg(PW_LOG_ERROR, NULL, "out of memory");
		exit_code = 2;
		goto out;
	}
	if (start_all(&r) < 0) {
		exit_code = 2;
		goto out;
	}
	if (!opt->dry_run && (r.run_id = store_run_begin(r.store, (int64_t)r.started)) < 0) {
		log_msg(PW_LOG_ERROR, NULL, "%s", store_error(r.store));
		exit_code = 2;
		goto out;
	}
	r.report.run_id = r.run_id;
	if (begin_fetch(&r) < 0) {
		exit_code = 1;
		goto report;
	}
	run_sources(&r);
	for (size_t i = 0; i < r.report.nsources; i++)
		if (r.report.sources[i].failed)
			exit_code = 1;
	if (commit_fetch(&r) < 0) {
		exit_code = 1;
		goto report;
	}
	for (size_t d = 0; d < cfg->ndigests; d++) {
		r.digests[d].report = &r.report.digests[d];
		if (run_digest(&r, &r.digests[d]) < 0)
			exit_code = 1;
		report_stage_counters(&r.digests[d]);
	}
report:
	r.report.exit_code = exit_code;
	finish_report(&r, &t0);
out:
	if (r.in_fetch)
		store_rollback(r.store);   /* a dry run writes nothing */
	stop_all(&r);
	free_report(&r.report);
	http_free(r.http);
	store_close(r.store);
	return exit_code;
}
