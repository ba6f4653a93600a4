/* store_fetched.c: the ids this run fetched, held in memory and written to
 * the run's temporary table (temp.run_fetched) only when a query needs them
 * there.  An INSERT per fetched paper cost more than the store's lookup of
 * the paper itself (6.5% of a run over an unchanged listing); most runs
 * never ask.  The set follows the store's transactions as the table would:
 * what a rolled-back transaction or savepoint added is forgotten. */
#include "autoconf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_sql.h"

#define MAX_SAVEPOINTS 16

/* A slot keeps its id's hash beside it: a probe that meets another id
 * is told so by the hash, not by a compare of strings each in an
 * allocation of its own (the compares' cache misses made this set 1.6%
 * of a first run). */
struct slot {
	uint32_t index; /* into ids, + 1; 0 for an empty slot */
	uint32_t hash;
};

struct fetched_set {
	char **ids; /* insertion order */
	size_t n, cap;
	struct slot *slots; /* open addressing */
	size_t nslots;
	size_t committed; /* ids[0..committed) outlive a rollback */
	size_t marks[MAX_SAVEPOINTS];
	int nmarks;
	size_t in_sql; /* ids[0..in_sql) are in temp.run_fetched */
};

static size_t
id_hash(const char *s)
{
	size_t h = 14695981039346656037u;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211u;
	return h;
}

static struct fetched_set *
set_of(pw_store *s)
{
	if (!s->fetched)
		s->fetched = calloc(1, sizeof *s->fetched);
	return s->fetched;
}

/* The slot holding id (whose id_hash is hash), or the empty slot where
 * it would go. */
static struct slot *
find_slot(struct fetched_set *f, const char *id, size_t hash)
{
	size_t i = hash & (f->nslots - 1);
	while (f->slots[i].index &&
	       (f->slots[i].hash != (uint32_t)hash || strcmp(f->ids[f->slots[i].index - 1], id) != 0))
		i = (i + 1) & (f->nslots - 1);
	return &f->slots[i];
}

static void
fill_slot(struct slot *slot, size_t index, size_t hash)
{
	slot->index = (uint32_t)(index + 1);
	slot->hash = (uint32_t)hash;
}

/* Every id into its slot again, in a table of nslots (a power of two). */
static void
fill_slots(struct fetched_set *f)
{
	memset(f->slots, 0, f->nslots * sizeof *f->slots);
	for (size_t k = 0; k < f->n; k++) {
		size_t hash = id_hash(f->ids[k]);
		fill_slot(find_slot(f, f->ids[k], hash), k, hash);
	}
}

static int
grow_slots(struct fetched_set *f, size_t nslots)
{
	struct slot *slots = malloc(nslots * sizeof *slots);
	if (!slots)
		return -1;
	free(f->slots);
	f->slots = slots;
	f->nslots = nslots;
	fill_slots(f);
	return 0;
}

int
store_fetched_add(pw_store *s, const char *id)
{
	struct fetched_set *f = set_of(s);
	if (!f || !id)
		goto oom;
	if ((f->n + 1) * 2 > f->nslots && grow_slots(f, f->nslots ? f->nslots * 2 : 1024) < 0)
		goto oom;
	if (f->n >= UINT32_MAX)
		goto oom;
	size_t hash = id_hash(id);
	struct slot *slot = find_slot(f, id, hash);
	if (slot->index)
		return 0;
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 1024;
		char **ids = realloc(f->ids, cap * sizeof *ids);
		if (!ids)
			goto oom;
		f->ids = ids;
		f->cap = cap;
	}
	if (!(f->ids[f->n] = strdup(id)))
		goto oom;
	fill_slot(slot, f->n++, hash);
	return 0;
oom:
	snprintf(s->err, sizeof s->err, "store %s: cannot note a fetched paper: out of memory", s->path);
	return -1;
}

long
store_fetched_count(pw_store *s)
{
	return s->fetched ? (long)s->fetched->n : 0;
}

/* Forgets what came after ids[0..keep). */
static void
truncate_to(struct fetched_set *f, size_t keep)
{
	if (keep >= f->n)
		return;
	while (f->n > keep)
		free(f->ids[--f->n]);
	if (f->in_sql > keep)
		f->in_sql = keep; /* the rows went with the same rollback */
	fill_slots(f);
}

void
store_fetched_on_transaction(pw_store *s, int event)
{
	struct fetched_set *f = s->fetched;
	if (!f)
		return;
	switch (event) {
	case STORE_TX_COMMIT:
		f->committed = f->n;
		f->nmarks = 0;
		break;
	case STORE_TX_ROLLBACK:
		truncate_to(f, f->committed);
		f->nmarks = 0;
		break;
	case STORE_TX_SAVEPOINT:
		if (f->nmarks < MAX_SAVEPOINTS)
			f->marks[f->nmarks] = f->n;
		f->nmarks++;
		break;
	case STORE_TX_RELEASE:
		if (f->nmarks > 0)
			f->nmarks--;
		break;
	case STORE_TX_ROLLBACK_TO:
		if (f->nmarks > 0 && --f->nmarks < MAX_SAVEPOINTS)
			truncate_to(f, f->marks[f->nmarks]);
		break;
	}
}

int
store_fetched_to_sql(pw_store *s)
{
	struct fetched_set *f = s->fetched;
	if (!f || f->in_sql == f->n)
		return 0;
	sqlite3_stmt *st = sql_prepare(s, "INSERT OR IGNORE INTO temp.run_fetched (id) VALUES (?)");
	if (!st)
		return -1;
	for (; f->in_sql < f->n; f->in_sql++) {
		sql_bind_text(st, 1, f->ids[f->in_sql]);
		if (sqlite3_step(st) != SQLITE_DONE) {
			sql_set_err(s, "cannot note a fetched paper");
			sqlite3_finalize(st);
			return -1;
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return 0;
}

void
store_fetched_free(pw_store *s)
{
	struct fetched_set *f = s->fetched;
	if (!f)
		return;
	while (f->n > 0)
		free(f->ids[--f->n]);
	free(f->ids);
	free(f->slots);
	free(f);
	s->fetched = NULL;
}
