/* preview.c: what `paperwire preview` prints: a digest's selection from
 * one stored day with the config as it is now, beside what its sinks were
 * given of that day: papers gained, lost and moved, with scores and
 * reasons, so a keyword change can be tried without waiting a day. */
#include "autoconf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "record.h"
#include "run.h"
#include "select.h"

struct then_list {
	pw_record **v;
	size_t n, cap;
	int failed;
};

/* The papers any sink of the digest was given, each once. */
static void
collect_then(pw_record *rec, void *ud)
{
	struct then_list *l = ud;
	const char *id = rec_get(rec, PW_F_ID);
	for (size_t i = 0; id && i < l->n; i++)
		if (strcmp(rec_get(l->v[i], PW_F_ID), id) == 0) {
			rec_free(rec);
			return;
		}
	if (!id || (l->n == l->cap && !(l->v = realloc(l->v, (l->cap = l->cap ? 2 * l->cap : 64) * sizeof *l->v)))) {
		l->failed = 1;
		rec_free(rec);
		return;
	}
	l->v[l->n++] = rec;
}

static long
rank_of(const char *id, pw_record **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(rec_get(v[i], PW_F_ID), id) == 0)
			return (long)i + 1;
	return 0;
}

static const struct weighed *
weighed_of(const char *id, const struct weighed *seen, size_t nseen)
{
	for (size_t i = 0; i < nseen; i++)
		if (seen[i].id && strcmp(seen[i].id, id) == 0)
			return &seen[i];
	return NULL;
}

static void
print_reasons(const char *label, const pw_record *rec)
{
	char *reasons = rec_reasons(rec);
	printf("        %s%s\n", label, reasons && *reasons ? reasons : "(no scorer gave a reason)");
	free(reasons);
}

static void
print_title(const pw_record *rec)
{
	const char *title = rec_get(rec, PW_F_TITLE);
	printf("  %s  %.90s\n", rec_get(rec, PW_F_ID), title ? title : "");
}

/* Why a paper delivered then is not selected now. */
static void
print_why_lost(const cfg_digest *dg, const struct weighed *w)
{
	if (!w)
		printf("        now: not weighed (a scorer could not read it)\n");
	else if (w->vetoed)
		printf("        now: vetoed (%s)\n", w->reasons);
	else if (isfinite(dg->min_score) && w->score < dg->min_score)
		printf("        now: %.2f, below min_score %g (%s)\n", w->score, dg->min_score,
		       w->reasons[0] ? w->reasons : "no match");
	else
		printf("        now: %.2f, not among the best %ld (%s)\n", w->score, dg->max_papers, w->reasons);
}

int
preview_print(struct run *r, const struct digest_run *dr, int64_t day, pw_record **sel, size_t nsel,
              const struct weighed *seen, size_t nseen)
{
	const cfg_digest *dg = dr->cfg;
	struct then_list then = { NULL, 0, 0, 0 };
	for (size_t s = 0; s < dg->nsinks; s++)
		if (store_selected_of_day(r->store, dg->name, dg->sinks[s].name, day, collect_then, &then) < 0) {
			then.failed = 1;
			break;
		}
	if (then.failed) {
		for (size_t i = 0; i < then.n; i++)
			rec_free(then.v[i]);
		free(then.v);
		return -1;
	}
	select_sort(then.v, then.n);

	char date[16];
	time_t t = (time_t)day;
	strftime(date, sizeof date, "%Y-%m-%d", gmtime(&t));
	size_t gained = 0, lost = 0, moved = 0;
	for (size_t i = 0; i < nsel; i++) {
		long was = rank_of(rec_get(sel[i], PW_F_ID), then.v, then.n);
		gained += was == 0;
		moved += was != 0 && was != (long)i + 1;
	}
	for (size_t i = 0; i < then.n; i++)
		lost += rank_of(rec_get(then.v[i], PW_F_ID), sel, nsel) == 0;
	printf("digest %s: %zu papers first seen on %s (UTC), weighed with the config as it is now\n", dg->name, nseen,
	       date);
	printf("  selected now: %zu; given to its sinks then: %zu (%zu gained, %zu lost, %zu moved, %zu unchanged)\n",
	       nsel, then.n, gained, lost, moved, nsel - gained - moved);
	if (gained) {
		printf("\ngained: selected now, not then\n");
		for (size_t i = 0; i < nsel; i++)
			if (!rank_of(rec_get(sel[i], PW_F_ID), then.v, then.n)) {
				printf("  + #%zu  %.2f", i + 1, rec_score(sel[i]));
				print_title(sel[i]);
				print_reasons("now: ", sel[i]);
			}
	}
	if (lost) {
		printf("\nlost: selected then, not now\n");
		for (size_t i = 0; i < then.n; i++)
			if (!rank_of(rec_get(then.v[i], PW_F_ID), sel, nsel)) {
				printf("  - was #%zu  %.2f", i + 1, rec_score(then.v[i]));
				print_title(then.v[i]);
				print_reasons("then: ", then.v[i]);
				print_why_lost(dg, weighed_of(rec_get(then.v[i], PW_F_ID), seen, nseen));
			}
	}
	if (moved) {
		printf("\nmoved: selected both times, at another place\n");
		for (size_t i = 0; i < nsel; i++) {
			long was = rank_of(rec_get(sel[i], PW_F_ID), then.v, then.n);
			if (was && was != (long)i + 1) {
				printf("  %s #%ld -> #%zu  %.2f -> %.2f", was > (long)i + 1 ? "^" : "v", was, i + 1,
				       rec_score(then.v[was - 1]), rec_score(sel[i]));
				print_title(sel[i]);
				print_reasons("now: ", sel[i]);
			}
		}
	}
	printf("\n");
	for (size_t i = 0; i < then.n; i++)
		rec_free(then.v[i]);
	free(then.v);
	return 0;
}
