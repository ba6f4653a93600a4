/* merge.h: one record per canonical id, in the order papers were first seen. */
#ifndef PW_MERGE_H
#define PW_MERGE_H

#include <stddef.h>

#include "paperwire/plugin.h"

typedef struct paper_set {
	pw_record **recs;
	size_t count, cap;
	size_t *slots;   /* open addressing: index + 1, 0 = empty */
	size_t nslots;
} paper_set;

/* Takes rec (which must have a canonical id).  Returns 1 when it was new,
 * 0 when it merged into a record already held, -1 on failure. */
int pset_add(paper_set *ps, pw_record *rec);
pw_record *pset_find(const paper_set *ps, const char *id);
void pset_free(paper_set *ps);

#endif
