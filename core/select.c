/* select.c: which candidates a digest keeps: no veto, at least min_score,
 * best first, at most max_papers; ties keep the fetch order. */
#include "autoconf.h"

#include <stdlib.h>

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

size_t
select_papers(const cfg_digest *dg, pw_record **cands, size_t n)
{
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		if (!rec_vetoed(cands[i]) && rec_score(cands[i]) >= dg->min_score)
			cands[kept++] = cands[i];
		else
			rec_free(cands[i]);
	}
	select_sort(cands, kept);
	if (dg->max_papers > 0 && kept > (size_t)dg->max_papers) {
		for (size_t i = (size_t)dg->max_papers; i < kept; i++)
			rec_free(cands[i]);
		kept = (size_t)dg->max_papers;
	}
	return kept;
}
