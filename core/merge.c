/* merge.c: the set behind "merge + dedupe": hash on canonical id, keep
 * insertion order so that selection is stable from run to run. */
#include "autoconf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "merge.h"
#include "record.h"

static uint64_t
hash_id(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	while (*s) {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ULL;
	}
	return h;
}

static size_t
find_slot(const paper_set *ps, const char *id)
{
	size_t mask = ps->nslots - 1;
	size_t i = (size_t)hash_id(id) & mask;
	while (ps->slots[i]) {
		if (strcmp(rec_get(ps->recs[ps->slots[i] - 1], PW_F_ID), id) == 0)
			return i;
		i = (i + 1) & mask;
	}
	return i;
}

static int
grow(paper_set *ps)
{
	size_t n = ps->nslots ? ps->nslots * 2 : 1024;
	size_t *old = ps->slots, oldn = ps->nslots;
	ps->slots = calloc(n, sizeof *ps->slots);
	if (!ps->slots) {
		ps->slots = old;
		return -1;
	}
	ps->nslots = n;
	for (size_t i = 0; i < oldn; i++)
		if (old[i])
			ps->slots[find_slot(ps, rec_get(ps->recs[old[i] - 1], PW_F_ID))] = old[i];
	free(old);
	return 0;
}

int
pset_add(paper_set *ps, pw_record *rec)
{
	const char *id = rec_get(rec, PW_F_ID);
	if (!id) {
		rec_free(rec);
		return -1;
	}
	if ((ps->count + 1) * 2 > ps->nslots && grow(ps) < 0) {
		rec_free(rec);
		return -1;
	}
	size_t slot = find_slot(ps, id);
	if (ps->slots[slot]) {
		rec_merge(ps->recs[ps->slots[slot] - 1], rec);
		rec_free(rec);
		return 0;
	}
	if (ps->count == ps->cap) {
		size_t cap = ps->cap ? ps->cap * 2 : 256;
		pw_record **nr = realloc(ps->recs, cap * sizeof *nr);
		if (!nr) {
			rec_free(rec);
			return -1;
		}
		ps->recs = nr;
		ps->cap = cap;
	}
	ps->recs[ps->count++] = rec;
	ps->slots[slot] = ps->count;
	return 1;
}

pw_record *
pset_find(const paper_set *ps, const char *id)
{
	if (!ps->nslots)
		return NULL;
	size_t slot = find_slot(ps, id);
	return ps->slots[slot] ? ps->recs[ps->slots[slot] - 1] : NULL;
}

void
pset_free(paper_set *ps)
{
	for (size_t i = 0; i < ps->count; i++)
		rec_free(ps->recs[i]);
	free(ps->recs);
	free(ps->slots);
	memset(ps, 0, sizeof *ps);
}
