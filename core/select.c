/* select.c: which candidates a digest keeps: no veto, at least min_score,
 * best first, at most max_papers; ties keep the fetch order. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "select.h"

struct ranked {
	pw_record *rec;
	double score;
	size_t order;
};

static int
by_score_desc(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	return x->order < y->order ? -1 : (x->order > y->order);
}

/* Best first; equal scores keep the order in which papers were fetched,
 * so a digest is the same from one run to the next. */
void
select_sort(pw_record **v, size_t n)
{
	struct ranked *r = malloc((n + 1) * sizeof *r);
	if (!r)
		return; /* out of memory: fetch order, which is still a valid digest */
	for (size_t i = 0; i < n; i++) {
		r[i].rec = v[i];
		r[i].score = rec_score(v[i]);
		r[i].order = i;
	}
	qsort(r, n, sizeof *r, by_score_desc);
	for (size_t i = 0; i < n; i++)
		v[i] = r[i].rec;
	free(r);
}

struct sel_entry {
	pw_record *rec;
	double score;
	size_t order;
};

void
sel_init(selection *s, const cfg_digest *dg)
{
	memset(s, 0, sizeof *s);
	s->dg = dg;
}

static void
note_score(selection *s, double score)
{
	if (s->nscores == s->scores_cap) {
		size_t cap = s->scores_cap ? s->scores_cap * 2 : 256;
		float *nv = realloc(s->scores, cap * sizeof *nv);
		if (!nv)
			return; /* the chart misses a paper; the selection does not */
		s->scores = nv;
		s->scores_cap = cap;
	}
	s->scores[s->nscores++] = (float)score;
}

void
sel_histogram(const selection *s, size_t bins, char *out, size_t size)
{
	out[0] = '\0';
	if (!s->nscores || bins == 0)
		return;
	double lo = s->scores[0], hi = s->scores[0];
	for (size_t i = 1; i < s->nscores; i++) {
		lo = s->scores[i] < lo ? s->scores[i] : lo;
		hi = s->scores[i] > hi ? s->scores[i] : hi;
	}
	size_t *count = calloc(bins, sizeof *count);
	if (!count)
		return;
	for (size_t i = 0; i < s->nscores; i++) {
		size_t b = hi > lo ? (size_t)((s->scores[i] - lo) / (hi - lo) * (double)bins) : 0;
		count[b < bins ? b : bins - 1]++;
	}
	size_t used = (size_t)snprintf(out, size, "%.4g %.4g", lo, hi);
	for (size_t b = 0; b < bins && used < size; b++)
		used += (size_t)snprintf(out + used, size - used, " %zu", count[b]);
	free(count);
}

/* The entry that would be dropped first: lowest score, latest offered. */
static size_t
worst(const selection *s)
{
	size_t w = 0;
	for (size_t i = 1; i < s->n; i++)
		if (s->v[i].score < s->v[w].score || (s->v[i].score == s->v[w].score && s->v[i].order > s->v[w].order))
			w = i;
	return w;
}

void
sel_offer(selection *s, pw_record *rec)
{
	size_t order = s->order++;
	double score = rec_score(rec);
	if (!rec_vetoed(rec))
		note_score(s, score);
	if (rec_vetoed(rec) || score < s->dg->min_score) {
		rec_free(rec);
		return;
	}
	if (s->dg->max_papers > 0 && s->n == (size_t)s->dg->max_papers) {
		size_t w = worst(s);
		/* An equal score offered later loses: ties keep the fetch order. */
		if (score <= s->v[w].score) {
			rec_free(rec);
			return;
		}
		rec_free(s->v[w].rec);
		s->v[w] = (struct sel_entry){ rec, score, order };
		return;
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		struct sel_entry *nv = realloc(s->v, cap * sizeof *nv);
		if (!nv) {
			rec_free(rec);
			return;
		}
		s->v = nv;
		s->cap = cap;
	}
	s->v[s->n++] = (struct sel_entry){ rec, score, order };
}

static int
entry_cmp(const void *a, const void *b)
{
	const struct sel_entry *x = a, *y = b;
	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	return x->order < y->order ? -1 : (x->order > y->order);
}

pw_record **
sel_finish(selection *s, size_t *n)
{
	pw_record **out = NULL;
	*n = 0;
	if (s->n)
		out = malloc(s->n * sizeof *out);
	if (out) {
		qsort(s->v, s->n, sizeof *s->v, entry_cmp);
		for (size_t i = 0; i < s->n; i++)
			out[i] = s->v[i].rec;
		*n = s->n;
	} else {
		for (size_t i = 0; i < s->n; i++)
			rec_free(s->v[i].rec);
	}
	free(s->v);
	free(s->scores);
	sel_init(s, s->dg);
	return out;
}
