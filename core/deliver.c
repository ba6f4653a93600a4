/* deliver.c: each sink under the ledger.  Before a sink is called, the
 * papers it is about to deliver are committed as one delivery "in flight",
 * with an attempt id derived from the digest, the sink and the papers;
 * the sink records what recovery needs right before its external effect
 * (pw_host.effect_begin), and the papers become delivered only after it
 * returned.  A run that dies anywhere in between leaves the next one
 * enough to finish: a delivery whose effect never began goes back to
 * pending; one whose effect began is done again, exactly, with the same
 * papers, the same attempt id and the sink's recovery note. */
#include "autoconf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interrupt.h"
#include "log.h"
#include "record.h"
#include "run.h"
#include "select.h"

/* The papers of one delivery; those read from the store are the list's
 * own, those of the run's selection are borrowed from it. */
struct record_list {
	pw_record **recs;
	size_t count;
	pw_record **own;
	size_t nown;
	int failed; /* a paper could not be had: deliver none */
};

static int
append(pw_record ***array, size_t *n, pw_record *rec)
{
	pw_record **na = realloc(*array, (*n + 1) * sizeof *na);
	if (!na)
		return -1;
	*array = na;
	na[(*n)++] = rec;
	return 0;
}

static void
add(struct record_list *l, pw_record *rec, int owned)
{
	if (!rec || (owned && append(&l->own, &l->nown, rec) < 0)) {
		rec_free(owned ? rec : NULL);
		l->failed = 1;
		return;
	}
	if (append(&l->recs, &l->count, rec) < 0)
		l->failed = 1;
}

static void
collect(pw_record *rec, void *ud)
{
	add(ud, rec, 1);
}

static void
free_list(struct record_list *l)
{
	for (size_t i = 0; i < l->nown; i++)
		rec_free(l->own[i]);
	free(l->own);
	free(l->recs);
	memset(l, 0, sizeof *l);
}

static int
by_id(const void *a, const void *b)
{
	return strcmp(rec_get(*(pw_record *const *)a, PW_F_ID), rec_get(*(pw_record *const *)b, PW_F_ID));
}

void
deliver_keep_selection(struct digest_run *dr, pw_record **sel, size_t n)
{
	deliver_free_selection(dr);
	if (n > 1)
		qsort(sel, n, sizeof *sel, by_id);
	dr->selection = sel;
	dr->nselection = n;
}

void
deliver_free_selection(struct digest_run *dr)
{
	for (size_t i = 0; i < dr->nselection; i++)
		rec_free(dr->selection[i]);
	free(dr->selection);
	dr->selection = NULL;
	dr->nselection = 0;
}

struct pending_from {
	struct run *r;
	const struct digest_run *dr;
	const char *sink;
	struct record_list *l;
};

static int
id_is(const void *id, const void *rec)
{
	return strcmp(id, rec_get(*(pw_record *const *)rec, PW_F_ID));
}

/* A paper pending for the sink: from this run's selection when it is
 * there (as committed: the ledger holds the same), else from the ledger
 * (a paper an earlier run selected). */
static void
add_pending(const char *id, void *ud)
{
	struct pending_from *p = ud;
	pw_record **found =
	        p->dr->nselection ? bsearch(id, p->dr->selection, p->dr->nselection, sizeof *found, id_is) : NULL;
	if (found) {
		add(p->l, *found, 0);
		return;
	}
	pw_record *rec = store_ledger_record(p->r->store, p->dr->cfg->name, p->sink, id);
	if (!rec)
		log_msg(PW_LOG_ERROR, p->sink, "cannot read paper %s of the ledger: %s", id, store_error(p->r->store));
	add(p->l, rec, 1);
}

static uint64_t
fnv1a(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return (h ^ 0xffu) * 1099511628211u; /* a separator no UTF-8 text holds */
}

/* The attempt id: the same digest, sink and set of papers give the same
 * id, in any order and on any run, so a message sent again carries the
 * Message-ID of its first sending and a receiver can drop the copy. */
static void
attempt_id(const char *digest, const char *sink, const struct record_list *l, char *out, size_t size)
{
	pw_record **sorted = malloc((l->count + 1) * sizeof *sorted);
	uint64_t h1 = 14695981039346656037u, h2 = 0x9e3779b97f4a7c15u;
	h1 = fnv1a(fnv1a(h1, digest), sink);
	h2 = fnv1a(fnv1a(h2, sink), digest);
	if (sorted) {
		memcpy(sorted, l->recs, l->count * sizeof *sorted);
		qsort(sorted, l->count, sizeof *sorted, by_id);
		for (size_t i = 0; i < l->count; i++) {
			h1 = fnv1a(h1, rec_get(sorted[i], PW_F_ID));
			h2 = fnv1a(h2 ^ i, rec_get(sorted[i], PW_F_ID));
		}
		free(sorted);
	}
	snprintf(out, size, "%016llx%016llx", (unsigned long long)h1, (unsigned long long)h2);
}

/* Calls the sink's write with the papers; tracked: the papers are in
 * flight, so effect_begin records and locks. */
static pw_status
call_sink(struct run *r, struct digest_run *dr, struct stage *st, struct record_list *l, const char *attempt,
          const char *recovery, int tracked)
{
	pw_delivery d;
	memset(&d, 0, sizeof d);
	select_sort(l->recs, l->count);
	d.records = l->recs;
	d.count = l->count;
	run_common_info(r, dr, &d, d.count);
	if (attempt)
		delivery_set_info(&d, PW_D_ATTEMPT, attempt);
	if (recovery)
		delivery_set_info(&d, PW_D_RECOVERY, recovery);
	st->inst->delivery_tracked = tracked;
	st->inst->effect_begun = st->inst->effect_open = 0;
	pw_status ps = st->inst->plugin->desc.write(host_services(), st->inst, st->inst->state, &d);
	host_instance_release_scratch(st->inst);
	st->inst->delivery_tracked = 0;
	delivery_clear(&d);
	if (ps == PW_OK && tracked)
		crash_point("effect-done");
	return ps;
}

/* After the sink returned: delivered, pending again, or left in flight
 * to be done again exactly (its effect began, so it may have happened). */
static int
settle(struct run *r, const char *dname, struct stage *st, pw_status ps, size_t n)
{
	const char *sname = st->cfg->name;
	if (ps == PW_OK) {
		if (store_delivery_done(r->store, dname, sname, r->run_id) < 0) {
			log_msg(PW_LOG_ERROR, sname, "%s; the next run delivers these %zu papers again",
			        store_error(r->store), n);
			return -1;
		}
		crash_point("delivered");
		return 0;
	}
	store_rollback(r->store); /* the transaction effect_begin opened, if any */
	if (st->inst->effect_begun) {
		log_msg(PW_LOG_ERROR, sname,
		        "sink failed after it began delivering; the next run does this delivery of "
		        "%zu papers again, the same way",
		        n);
	} else {
		log_msg(PW_LOG_ERROR, sname, "sink failed; %zu papers stay pending for the next run", n);
		if (store_delivery_requeue(r->store, dname, sname) < 0)
			log_msg(PW_LOG_ERROR, sname, "%s", store_error(r->store));
	}
	return -1;
}

/* What a dead run left in flight for this sink: 1 finished, 0 nothing
 * left, -1 still unfinished. */
static int
finish_left(struct run *r, struct digest_run *dr, struct stage *st, long *delivered)
{
	const char *dname = dr->cfg->name, *sname = st->cfg->name;
	char *attempt, *recovery;
	int began, rc = 0;
	int found = store_delivery_get(r->store, dname, sname, &attempt, &recovery, &began);
	if (found <= 0) {
		if (found < 0)
			log_msg(PW_LOG_ERROR, sname, "%s", store_error(r->store));
		return found;
	}
	if (!began) {
		/* It died before the effect: nothing went out, the papers join this
		 * run's delivery. */
		rc = store_delivery_requeue(r->store, dname, sname) < 0 ? -1 : 0;
		if (rc < 0)
			log_msg(PW_LOG_ERROR, sname, "%s", store_error(r->store));
	} else {
		struct record_list l = { 0 };
		if (store_delivery_each(r->store, dname, sname, collect, &l) < 0 || l.failed) {
			log_msg(PW_LOG_ERROR, sname, "%s", store_error(r->store));
			rc = -1;
		} else {
			log_msg(PW_LOG_INFO, sname,
			        "finishing the delivery of %zu papers an earlier run was stopped in "
			        "(attempt %.16s)",
			        l.count, attempt);
			pw_status ps = call_sink(r, dr, st, &l, attempt, recovery ? recovery : "", 1);
			rc = settle(r, dname, st, ps, l.count);
			if (rc == 0) {
				*delivered += (long)l.count;
				rc = 1;
			}
		}
		free_list(&l);
	}
	free(attempt);
	free(recovery);
	return rc;
}

int
deliver_sink(struct run *r, struct digest_run *dr, size_t s, long nselected)
{
	struct stage *st = &dr->sinks[s];
	report_sink *rs = &dr->report->sinks[s];
	const char *dname = dr->cfg->name, *sname = st->cfg->name;
	struct record_list l = { 0 };
	long delivered = 0;
	int ok = 0;

	rs->name = sname;
	rs->plugin = st->cfg->plugin;
	if (finish_left(r, dr, st, &delivered) < 0)
		goto out;
	struct pending_from from = { r, dr, sname, &l };
	if (store_ledger_each_pending_id(r->store, dname, sname, add_pending, &from) < 0 || l.failed) {
		log_msg(PW_LOG_ERROR, sname, "%s; the papers stay pending",
		        l.failed ? "not every pending paper could be read" : store_error(r->store));
		goto out;
	}
	rs->earlier = delivered;
	if ((long)l.count > nselected) {
		log_msg(PW_LOG_INFO, sname, "also delivering %ld papers an earlier run failed to deliver",
		        (long)l.count - nselected);
		rs->earlier += (long)l.count - nselected;
	}
	if (l.count == 0) {
		/* An empty day: the sink says so (a page, an e-mail if asked for);
		 * no paper is at stake.  Unless it has just finished a dead run's
		 * delivery: saying "nothing new" now would blank that page. */
		ok = delivered > 0 || call_sink(r, dr, st, &l, NULL, NULL, 0) == PW_OK;
		if (!ok)
			log_msg(PW_LOG_ERROR, sname, "sink failed");
		goto out;
	}
	char attempt[40];
	attempt_id(dname, sname, &l, attempt, sizeof attempt);
	if (store_delivery_begin(r->store, dname, sname, attempt, r->run_id) < 0) {
		log_msg(PW_LOG_ERROR, sname, "%s", store_error(r->store));
		goto out;
	}
	crash_point("in-flight");
	pw_status ps = call_sink(r, dr, st, &l, attempt, NULL, 1);
	if (settle(r, dname, st, ps, l.count) == 0) {
		delivered += (long)l.count;
		ok = 1;
	}
out:
	rs->delivered = delivered;
	rs->pending = ok ? 0
	                 : store_ledger_count(r->store, dname, sname, LEDGER_PENDING) +
	                              store_ledger_count(r->store, dname, sname, LEDGER_IN_FLIGHT);
	rs->failed = !ok;
	free_list(&l);
	return ok ? 0 : -1;
}
