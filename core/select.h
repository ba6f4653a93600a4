/* select.h: a digest's selection. */
#ifndef PW_SELECT_H
#define PW_SELECT_H

#include <stddef.h>

#include "config.h"
#include "paperwire/plugin.h"

/* Best first; equal scores keep their order (the fetch order). */
void select_sort(pw_record **v, size_t n);

/* A selection built one paper at a time: it holds at most max_papers
 * records (all that reach min_score when there is no maximum), so memory
 * follows what is selected, not what was fetched. */
typedef struct selection {
	const cfg_digest *dg;
	struct sel_entry *v;
	size_t n, cap;
	size_t order;  /* papers offered so far: the tie-break */
	float *scores; /* every score offered that was not vetoed: the day's distribution */
	size_t nscores, scores_cap;
} selection;

void sel_init(selection *s, const cfg_digest *dg);
/* Takes rec: keeps it while it may be selected, frees it otherwise. */
void sel_offer(selection *s, pw_record *rec);
/* The distribution of the scores offered so far (vetoed papers left
 * out) as "LOW HIGH N1 ... Nbins": bins equal parts of [LOW, HIGH], into
 * out; "" when none was offered. */
void sel_histogram(const selection *s, size_t bins, char *out, size_t size);
/* The selected papers, best first; the array and records are the
 * caller's (NULL with *n = 0 when none).  Leaves s empty. */
pw_record **sel_finish(selection *s, size_t *n);

#endif
