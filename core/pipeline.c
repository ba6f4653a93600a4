/* pipeline.c: the order of a run: instances, the fetch transaction (papers
 * stored, each a digest has not weighed left for it, committed together), then each
 * digest's weighing (weigh.c) and each sink's delivery (deliver.c).  What
 * makes a run exact is that every step starts from what the store holds,
 * not from what this run happened to fetch: a paper stored is weighed, a
 * paper selected is delivered, whichever run gets to it. */
#include "autoconf.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "host.h"
#include "interrupt.h"
#include "log.h"
#include "progress.h"
#include "record.h"
#include "run.h"

static const ldr_plugin *
find_plugin(const pw_config *cfg, const ldr_registry *reg, const cfg_instance *inst, pw_kind kind, cfg_diag *diag)
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

/* A stage's namespace in the store's state and cache: "source/NAME", or
 * "DIGEST/KIND/NAME" for a digest's scorer, enricher or sink. */
static void
stage_ns(char *ns, size_t size, const char *digest, const char *kind, const char *name)
{
	if (digest)
		snprintf(ns, size, "%s/%s/%s", digest, kind, name);
	else
		snprintf(ns, size, "%s/%s", kind, name);
}

/* Calls fn on every instance of the config with its kind, its namespace and
 * its digest (NULL for a source). */
static int
each_instance(pw_config *cfg,
              int (*fn)(pw_config *, cfg_instance *, pw_kind, const char *ns, const char *digest, void *), void *ud)
{
	char ns[512];
	int errors = 0;
	for (size_t i = 0; i < cfg->nsources; i++) {
		stage_ns(ns, sizeof ns, NULL, "source", cfg->sources[i].name);
		errors += fn(cfg, &cfg->sources[i], PW_KIND_SOURCE, ns, NULL, ud);
	}
	for (size_t d = 0; d < cfg->ndigests; d++) {
		cfg_digest *dg = &cfg->digests[d];
		for (size_t i = 0; i < dg->nscorers; i++) {
			stage_ns(ns, sizeof ns, dg->name, "scorer", dg->scorers[i].name);
			errors += fn(cfg, &dg->scorers[i], PW_KIND_SCORER, ns, dg->name, ud);
		}
		for (size_t i = 0; i < dg->nenrichers; i++) {
			stage_ns(ns, sizeof ns, dg->name, "enricher", dg->enrichers[i].name);
			errors += fn(cfg, &dg->enrichers[i], PW_KIND_ENRICHER, ns, dg->name, ud);
		}
		for (size_t i = 0; i < dg->nsinks; i++) {
			stage_ns(ns, sizeof ns, dg->name, "sink", dg->sinks[i].name);
			errors += fn(cfg, &dg->sinks[i], PW_KIND_SINK, ns, dg->name, ud);
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
check_one(pw_config *cfg, cfg_instance *inst, pw_kind kind, const char *ns, const char *digest, void *ud)
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
	pi->digest = digest; /* its fields are declared for that digest */
	pw_status st = host_instance_create(pi, cfg, c->diag);
	if (st != PW_OK) {
		if (!pi->diag_added)
			cfg_report(cfg, c->diag, inst->path, NULL, "plugin \"%s\" could not start (it gave no reason)",
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
start_stage(struct run *r, struct stage *st, cfg_instance *inst, pw_kind kind, const char *ns, const char *digest)
{
	st->cfg = inst;
	st->inst = host_instance_new(ldr_find_kind(r->reg, inst->plugin, kind), inst, ns, r->store, r->http);
	if (!st->inst)
		return -1;
	/* A scorer reads its digest's ratings; a sink's ledger is keyed by its
	 * digest's name and its own. */
	st->inst->digest = digest;
	if (kind == PW_KIND_SINK)
		st->inst->sink = inst->name;
	cfg_diag diag = { NULL, 0 };
	pw_status created = host_instance_create(st->inst, r->cfg, &diag);
	cfg_diag_print(&diag);
	cfg_diag_free(&diag);
	if (created != PW_OK) {
		if (!st->inst->diag_added)
			log_msg(PW_LOG_ERROR, inst->name, "%s: plugin \"%s\" could not start", inst->path,
			        inst->plugin);
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
		stage_ns(ns, sizeof ns, NULL, "source", cfg->sources[i].name);
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
			stage_ns(ns, sizeof ns, dg->name, "scorer", dg->scorers[i].name);
			if (start_stage(r, &dr->scorers[i], &dg->scorers[i], PW_KIND_SCORER, ns, dg->name) < 0)
				return -1;
		}
		for (size_t i = 0; i < dg->nenrichers; i++) {
			stage_ns(ns, sizeof ns, dg->name, "enricher", dg->enrichers[i].name);
			if (start_stage(r, &dr->enrichers[i], &dg->enrichers[i], PW_KIND_ENRICHER, ns, dg->name) < 0)
				return -1;
		}
		for (size_t i = 0; i < dg->nsinks; i++) {
			stage_ns(ns, sizeof ns, dg->name, "sink", dg->sinks[i].name);
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
		return 1; /* PW_REJECTED: the source goes on */
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
	if (inst->emitted % 256 == 0)
		progress_tick(inst, r->tty);
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
	for (size_t i = 0; i < r->cfg->nsources && !interrupt_pending(); i++) {
		struct stage *st = &r->sources[i];
		report_source *rs = &r->report.sources[i];
		st->inst->on_emit = on_emit;
		st->inst->on_batch = on_batch;
		st->inst->emit_ud = r;
		log_progress("%s: fetching", st->cfg->name);
		st->inst->fetch_since = source_since(r, st->inst);
		progress_start(st->inst);
		double t0 = st->inst->progress_started;
		pw_status s = st->inst->plugin->desc.fetch(host_services(), st->inst, st->inst->state);
		log_msg(PW_LOG_DEBUG, st->cfg->name, "fetched %ld papers (%ld new) with %ld requests in %.2f s",
		        st->inst->emitted, st->inst->fresh, st->inst->http_requests, clock_seconds() - t0);
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
 * state (cursors), the mark of a digest new to the store, and only then
 * the HTTP validators that would let the next run skip it, are committed
 * together.  A dry run never commits: its digests weigh inside it. */
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
enrol_digests(struct run *r)
{
	for (size_t d = 0; d < r->cfg->ndigests; d++) {
		const cfg_digest *dg = &r->cfg->digests[d];
		if (store_weigh_enrol(r->store, dg->name, r->run_id) < 0) {
			log_msg(PW_LOG_ERROR, dg->name, "%s", store_error(r->store));
			return -1;
		}
		long replaced = 0;
		for (size_t k = 0; dg->replacements && k < dg->nsinks; k++) {
			long n = store_weigh_replacements(r->store, dg->name, dg->sinks[k].name);
			if (n < 0) {
				log_msg(PW_LOG_ERROR, dg->name, "%s", store_error(r->store));
				return -1;
			}
			replaced += n;
		}
		if (replaced)
			log_msg(PW_LOG_INFO, dg->name,
			        "%ld papers delivered before came in a new version: weighed again", replaced);
	}
	return 0;
}

static int
commit_fetch(struct run *r)
{
	if (enrol_digests(r) < 0) {
		store_rollback(r->store);
		r->in_fetch = 0;
		return -1;
	}
	if (r->opt->dry_run)
		return 0;
	r->in_fetch = 0;
	if (http_commit_validators(r->http, r->store) < 0 || store_commit(r->store) < 0) {
		log_msg(PW_LOG_ERROR, NULL, "%s", store_error(r->store));
		store_rollback(r->store);
		return -1;
	}
	crash_point("fetch-committed");
	return 0;
}

/* Whether item is one of the ", "-separated list's items (not merely a
 * substring: "cs" is not in "physics"). */
static int
in_list(const char *list, const char *item)
{
	size_t n = strlen(item);
	for (const char *p = list; *p;) {
		const char *end = strstr(p, ", ");
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == n && memcmp(p, item, n) == 0)
			return 1;
		if (!end)
			break;
		p = end + 2;
	}
	return 0;
}

void
run_common_info(struct run *r, const struct digest_run *dr, pw_delivery *d, size_t nselected)
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
			if (cJSON_IsString(e) && !in_list(cats, e->valuestring))
				snprintf(cats + strlen(cats), sizeof cats - strlen(cats), "%s%s", cats[0] ? ", " : "",
				         e->valuestring);
	}
	delivery_set_info(d, PW_D_SOURCES, buf);
	delivery_set_info(d, PW_D_CATEGORIES, cats);
	delivery_set_info(d, PW_D_EMPTY_REASON, dr->report->empty_reason);
	buf[0] = '\0';
	for (size_t i = 0; i < r->report.nsources; i++)
		if (r->report.sources[i].failed)
			snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s", buf[0] ? ", " : "",
			         r->report.sources[i].name);
	if (buf[0])
		delivery_set_info(d, PW_D_FAILED_SOURCES, buf);
	if (r->opt->dry_run)
		delivery_set_info(d, PW_D_DRY_RUN, "1");
	if (dr->report->score_histogram[0])
		delivery_set_info(d, PW_D_SCORE_HISTOGRAM, dr->report->score_histogram);
	if (isfinite(dr->cfg->min_score)) {
		snprintf(num, sizeof num, "%g", dr->cfg->min_score);
		delivery_set_info(d, PW_D_MIN_SCORE, num);
	}
}

/* Sinks that hear from their readers (chat buttons) record what they were
 * told before the digest weighs, so this run's scorers learn from it.
 * Each gets an empty delivery; a failure is the sink's warning, not the
 * run's. */
static void
prepare_sinks(struct run *r, struct digest_run *dr)
{
	for (size_t s = 0; s < dr->cfg->nsinks && !r->opt->dry_run; s++) {
		struct stage *st = &dr->sinks[s];
		const pw_plugin *p = &st->inst->plugin->desc;
		if (!p->prepare)
			continue;
		pw_delivery d;
		memset(&d, 0, sizeof d);
		run_common_info(r, dr, &d, 0);
		if (p->prepare(host_services(), st->inst, st->inst->state, &d) != PW_OK)
			log_msg(PW_LOG_WARNING, st->cfg->name, "could not read what its readers said; next run, again");
		host_instance_release_scratch(st->inst);
		delivery_clear(&d);
	}
}

/* One digest: hear the readers, weigh, commit the selection, deliver to
 * each sink. */
static int
run_digest(struct run *r, struct digest_run *dr)
{
	prepare_sinks(r, dr);
	long nsel = weigh_digest(r, dr);
	int failed = nsel < 0 || dr->report->failed_scorers[0];
	if (nsel < 0 || r->opt->dry_run) {
		deliver_free_selection(dr);
		for (size_t s = 0; s < dr->cfg->nsinks; s++) {
			dr->report->sinks[s].name = dr->cfg->sinks[s].name;
			dr->report->sinks[s].plugin = dr->cfg->sinks[s].plugin;
		}
		return failed ? -1 : 0;
	}
	for (size_t s = 0; s < dr->cfg->nsinks && !interrupt_pending(); s++)
		if (deliver_sink(r, dr, s, nsel) < 0)
			failed = 1;
	deliver_free_selection(dr);
	return failed ? -1 : 0;
}

/* What an interrupted run says: where it stopped and what the next run
 * will finish, from the store, which is the truth after a stop. */
static void
say_interrupted(struct run *r, int signo)
{
	char what[1024] = "";
	for (size_t d = 0; d < r->cfg->ndigests; d++) {
		const char *name = r->cfg->digests[d].name;
		long queued = store_weigh_count(r->store, name), pending = store_pending_count(r->store, name);
		snprintf(what + strlen(what), sizeof what - strlen(what),
		         "%sdigest %s: %ld papers to weigh, %ld "
		         "deliveries to make",
		         d ? "; " : "", name, queued < 0 ? 0 : queued, pending < 0 ? 0 : pending);
	}
	log_msg(PW_LOG_WARNING, NULL,
	        "interrupted by %s: stopped at a safe point; what was committed is kept and "
	        "the next run finishes the rest%s%s",
	        interrupt_name(signo), what[0] ? ": " : "", what);
}

/* What a run and a preview both start with: the store (locked), HTTP,
 * the report and every instance.  Returns 0, or an exit code after
 * closing what it opened. */
static int
run_open(struct run *r, pw_config *cfg, const ldr_registry *reg, const run_options *opt)
{
	char err[1024];
	http_options hopt;
	memset(r, 0, sizeof *r);
	r->cfg = cfg;
	r->reg = reg;
	r->opt = opt;
	r->started = time(NULL);
	r->tty = isatty(STDERR_FILENO);
	r->report.dry_run = opt->dry_run;
	strftime(r->run_time, sizeof r->run_time, "%Y-%m-%dT%H:%M:%SZ", gmtime(&r->started));

	r->store = store_open(cfg->store, err, sizeof err);
	if (!r->store) {
		int busy = errno == EWOULDBLOCK;
		log_msg(PW_LOG_ERROR, NULL, "%s%s", err, busy ? "; nothing was done, run again when it ends" : "");
		return busy ? PW_EXIT_BUSY : PW_EXIT_STORE;
	}
	http_default_options(&hopt);
	cfg_http_options(cfg, &hopt);
	r->http = http_new(&hopt, r->store);
	int rc = 0;
	if (!r->http || run_report_alloc(r) < 0) {
		log_msg(PW_LOG_ERROR, NULL, "out of memory");
		rc = PW_EXIT_USAGE;
	} else if (start_all(r) < 0) {
		rc = PW_EXIT_USAGE;
	}
	return rc;
}

static void
run_close(struct run *r)
{
	if (r->in_fetch)
		store_rollback(r->store); /* a dry run or a preview writes nothing */
	stop_all(r);
	run_report_free(&r->report);
	http_free(r->http);
	store_close(r->store);
}

int
pipeline_run(pw_config *cfg, const ldr_registry *reg, const run_options *opt)
{
	struct run r;
	double t0 = clock_seconds();
	int exit_code = run_open(&r, cfg, reg, opt);
	if (exit_code == PW_EXIT_BUSY || exit_code == PW_EXIT_STORE)
		return exit_code;
	if (exit_code)
		goto out;
	if (!opt->dry_run && (r.run_id = store_run_begin(r.store, (int64_t)r.started)) < 0) {
		log_msg(PW_LOG_ERROR, NULL, "%s", store_error(r.store));
		exit_code = PW_EXIT_STORE;
		goto out;
	}
	r.report.run_id = r.run_id;
	if (begin_fetch(&r) < 0) {
		exit_code = PW_EXIT_FAILED;
		goto report;
	}
	run_sources(&r);
	for (size_t i = 0; i < r.report.nsources; i++)
		if (r.report.sources[i].failed)
			exit_code = PW_EXIT_FAILED;
	if (interrupt_pending()) {
		/* Half a fetch is not kept: the next run fetches it all again. */
		store_rollback(r.store);
		r.in_fetch = 0;
		goto report;
	}
	if (commit_fetch(&r) < 0) {
		exit_code = PW_EXIT_FAILED;
		goto report;
	}
	for (size_t d = 0; d < cfg->ndigests && !interrupt_pending(); d++) {
		r.digests[d].report = &r.report.digests[d];
		if (run_digest(&r, &r.digests[d]) < 0)
			exit_code = PW_EXIT_FAILED;
		run_report_stage_counters(&r.digests[d]);
	}
report:
	if (interrupt_pending()) {
		int signo = interrupt_pending();
		say_interrupted(&r, signo);
		exit_code = 128 + signo;
	}
	r.report.exit_code = exit_code;
	run_report_finish(&r, clock_seconds() - t0);
out:
	run_close(&r);
	return exit_code;
}

int
pipeline_preview(pw_config *cfg, const ldr_registry *reg, const run_options *opt)
{
	struct run r;
	int64_t day;
	run_options quiet = *opt;
	quiet.dry_run = 1;
	size_t matched = 0;
	for (size_t d = 0; d < cfg->ndigests; d++)
		matched += !opt->digest || strcmp(cfg->digests[d].name, opt->digest) == 0;
	if (matched == 0) {
		log_msg(PW_LOG_ERROR, NULL, "preview --digest %s: the config has no digest of that name", opt->digest);
		return PW_EXIT_USAGE;
	}
	int exit_code = run_open(&r, cfg, reg, &quiet);
	if (exit_code == PW_EXIT_BUSY || exit_code == PW_EXIT_STORE)
		return exit_code;
	if (exit_code)
		goto out;
	r.previewing = 1;
	/* Everything a scorer writes (caches) is rolled back at the end. */
	if (store_begin(r.store) < 0) {
		log_msg(PW_LOG_ERROR, NULL, "%s", store_error(r.store));
		exit_code = PW_EXIT_STORE;
		goto out;
	}
	r.in_fetch = 1;
	int found = store_fetch_day(r.store, opt->since, &day);
	if (found != 0) {
		log_msg(PW_LOG_ERROR, NULL, "%s",
		        found < 0 ? store_error(r.store) : "the store has no papers yet: run 'paperwire run' first");
		exit_code = found < 0 ? PW_EXIT_STORE : PW_EXIT_FAILED;
		goto out;
	}
	for (size_t d = 0; d < cfg->ndigests; d++) {
		if (opt->digest && strcmp(cfg->digests[d].name, opt->digest) != 0)
			continue;
		r.digests[d].report = &r.report.digests[d];
		if (weigh_preview(&r, &r.digests[d], day) < 0)
			exit_code = PW_EXIT_FAILED;
	}
out:
	run_close(&r);
	return exit_code;
}
