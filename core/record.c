/* record.c: a paper is a small ordered map of named fields, each a string
 * or a list of strings, plus the scores it earned. */
#include "autoconf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ident.h"
#include "record.h"
#include "text.h"

/* A field's one value lives in the field itself (most fields have one);
 * a second moves them all to the values array.  A core field's name is the
 * table's own string, not a copy: together, a stored paper is read with a
 * third of the allocations. */
struct rec_field {
	char *name;
	char *one;
	char **values; /* when cap > 0 */
	size_t count, cap;
	int is_list;
	int own_name;
	/* As the store holds it: read from the paper's row and not changed
	 * since (the ledger keeps only what is not). */
	int stored;
};

struct rec_score {
	char *scorer;
	double weight, value;
	char *reason;
};

/* Values set one at a time (a source building a paper, an enricher) are
 * cleaned into chunks the record owns, not into an allocation each: a
 * paper takes one or two chunks instead of a malloc and a free per field.
 * A value replaced stays in its chunk until the record goes. */
struct arena_chunk {
	struct arena_chunk *prev;
	size_t cap, used;
	char data[];
};

struct pw_record {
	struct rec_field *fields;
	size_t nfields, cap;
	/* A bit for each field's name (name_bit): a name whose bit is clear
	 * is not there, found without a search.  Bits stay set when a field
	 * goes; that costs only a search. */
	uint64_t name_bits;
	/* The text rec_from_json decoded its values in: they point into it
	 * and go with it, not one by one. */
	char *backing;
	size_t backing_size;
	struct arena_chunk *arena; /* the newest chunk */
	/* The names of fields marked stored that were unset since: what the
	 * ledger keeps over the paper's row says they are gone. */
	char **dropped;
	size_t ndropped;
	struct rec_score *scores;
	size_t nscores;
	int vetoed;
	int unscored;
};

static const char *const rec_core_fields[] = { PW_F_ID,      PW_F_VERSION,     PW_F_TITLE,     PW_F_ABSTRACT,
	                                       PW_F_AUTHORS, PW_F_CATEGORIES,  PW_F_PRIMARY,   PW_F_URL,
	                                       PW_F_PDF_URL, PW_F_DOI,         PW_F_SOURCE,    PW_F_ANNOUNCE,
	                                       PW_F_COMMENT, PW_F_JOURNAL_REF, PW_T_PUBLISHED, PW_T_UPDATED,
	                                       NULL };

/* A core name's index + 1 under its first two bytes: no two core names
 * share them ("pdf_url", "primary_category", "published"; "abstract",
 * "announce_type", "authors"), which index_core_names checks; if a new
 * one did, core_index would search the list instead.  Every field of
 * every record set or read asks (2.7% of a first run's instructions
 * went to the search). */
static unsigned char core_by_first_two[128][128];
static int core_by_first_two_whole;

static void __attribute__((constructor)) index_core_names(void)
{
	for (int i = 0; rec_core_fields[i]; i++) {
		unsigned char a = (unsigned char)rec_core_fields[i][0], b = (unsigned char)rec_core_fields[i][1];
		if (a >= 128 || b >= 128 || core_by_first_two[a][b])
			return;
		core_by_first_two[a][b] = (unsigned char)(i + 1);
	}
	core_by_first_two_whole = 1;
}

static int
core_index(const char *name)
{
	unsigned char a = (unsigned char)name[0], b = a ? (unsigned char)name[1] : 0;
	if (core_by_first_two_whole) {
		int i = a < 128 && b < 128 ? core_by_first_two[a][b] - 1 : -1;
		return i >= 0 && strcmp(rec_core_fields[i], name) == 0 ? i : -1;
	}
	for (int i = 0; rec_core_fields[i]; i++)
		if (strcmp(rec_core_fields[i], name) == 0)
			return i;
	return -1;
}

int
rec_is_core_field(const char *name)
{
	return core_index(name) >= 0;
}

int
rec_core_index(const char *name)
{
	return core_index(name);
}

static char **
vals(const struct rec_field *f)
{
	return f->cap ? f->values : (char **)&f->one;
}

/* The name for a new field: the core table's, or a copy (own_name). */
static int
name_field(struct rec_field *f, const char *name)
{
	int core = core_index(name);
	f->own_name = core < 0;
	f->name = core < 0 ? strdup(name) : (char *)rec_core_fields[core];
	return f->name ? 0 : -1;
}

pw_record *
rec_new(void)
{
	return calloc(1, sizeof(pw_record));
}

static int
in_arena(const pw_record *rec, const char *value)
{
	for (const struct arena_chunk *c = rec->arena; c; c = c->prev)
		if (value >= c->data && value < c->data + c->cap)
			return 1;
	return 0;
}

/* A value the record owns goes, unless it lies in the backing or a chunk. */
static void
release(const pw_record *rec, char *value)
{
	if ((!rec->backing || value < rec->backing || value >= rec->backing + rec->backing_size) &&
	    !in_arena(rec, value))
		free(value);
}

/* Room for need bytes at the end of the newest chunk: chunks of 1 KiB,
 * then doubling, so a record held in memory (a source may hold a page of
 * them) keeps at most about twice what it holds. */
static char *
arena_room(pw_record *rec, size_t need)
{
	struct arena_chunk *c = rec->arena;
	if (!c || c->cap - c->used < need) {
		size_t cap = c ? c->cap * 2 : 1024;
		if (cap < need)
			cap = need;
		struct arena_chunk *n = malloc(sizeof *n + cap);
		if (!n)
			return NULL;
		n->prev = c;
		n->cap = cap;
		n->used = 0;
		rec->arena = c = n;
	}
	return c->data + c->used;
}

static void
field_clear_values(const pw_record *rec, struct rec_field *f)
{
	char **v = vals(f);
	for (size_t i = 0; i < f->count; i++)
		release(rec, v[i]);
	if (f->cap)
		free(f->values);
	f->values = NULL;
	f->one = NULL;
	f->count = f->cap = 0;
}

void
rec_free(pw_record *rec)
{
	if (!rec)
		return;
	for (size_t i = 0; i < rec->nfields; i++) {
		field_clear_values(rec, &rec->fields[i]);
		if (rec->fields[i].own_name)
			free(rec->fields[i].name);
	}
	free(rec->fields);
	free(rec->backing);
	for (size_t i = 0; i < rec->ndropped; i++)
		free(rec->dropped[i]);
	free(rec->dropped);
	for (struct arena_chunk *c = rec->arena, *prev; c; c = prev) {
		prev = c->prev;
		free(c);
	}
	for (size_t i = 0; i < rec->nscores; i++) {
		free(rec->scores[i].scorer);
		free(rec->scores[i].reason);
	}
	free(rec->scores);
	free(rec);
}

/* Names spread over 64 bits by their first three bytes: a record's
 * dozen or so names rarely share one. */
static uint64_t
name_bit(const char *name)
{
	unsigned a = (unsigned char)name[0], b = a ? (unsigned char)name[1] : 0, c = b ? (unsigned char)name[2] : 0;
	return (uint64_t)1 << ((a * 7u + b * 3u + c) & 63);
}

/* The first two bytes tell most names apart without a call. */
static int
is_named(const struct rec_field *f, const char *name)
{
	return f->name[0] == name[0] && f->name[1] == name[1] && strcmp(f->name, name) == 0;
}

static struct rec_field *
find_field(const pw_record *rec, const char *name)
{
	if (!(rec->name_bits & name_bit(name)))
		return NULL;
	for (size_t i = 0; i < rec->nfields; i++)
		if (is_named(&rec->fields[i], name))
			return &rec->fields[i];
	return NULL;
}

static struct rec_field *
get_or_add_field(pw_record *rec, const char *name)
{
	/* A list is filled a value at a time right after its field is made:
	 * the last field is asked first (a paper's authors and categories
	 * made this search 2.3% of a first run). */
	if (rec->nfields && is_named(&rec->fields[rec->nfields - 1], name))
		return &rec->fields[rec->nfields - 1];
	struct rec_field *f = find_field(rec, name);
	if (f)
		return f;
	if (rec->nfields == rec->cap) {
		size_t cap = rec->cap ? rec->cap * 2 : 16;
		struct rec_field *nf = realloc(rec->fields, cap * sizeof *nf);
		if (!nf)
			return NULL;
		rec->fields = nf;
		rec->cap = cap;
	}
	f = &rec->fields[rec->nfields];
	memset(f, 0, sizeof *f);
	if (name_field(f, name) < 0)
		return NULL;
	rec->name_bits |= name_bit(name);
	rec->nfields++;
	return f;
}

static int
append_value(struct rec_field *f, char *owned)
{
	if (f->count == 0 && f->cap == 0) {
		f->one = owned;
		f->count = 1;
		return 0;
	}
	if (f->cap == 0 || f->count == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 4;
		char **nv = realloc(f->cap ? f->values : NULL, cap * sizeof *nv);
		if (!nv)
			return -1; /* the caller releases owned */
		if (!f->cap)
			nv[0] = f->one; /* count is 1 here */
		f->values = nv;
		f->cap = cap;
		f->one = NULL;
	}
	f->values[f->count++] = owned;
	return 0;
}

/* A list field that may stay empty ("authors": []). */
int
rec_mark_list(pw_record *rec, const char *name)
{
	struct rec_field *f = get_or_add_field(rec, name);
	if (!f)
		return -1;
	if (!f->is_list)
		field_clear_values(rec, f);
	f->is_list = 1;
	f->stored = 0;
	return 0;
}

/* value, cleaned into the record's chunk, set or added to the list. */
static int
take_clean(pw_record *rec, const char *field, const char *value, int as_list)
{
	/* Cleaning can grow a text: an invalid byte becomes U+FFFD (3 bytes).
	 * A short value is cleaned on the stack and copied into the chunk at
	 * its size; a long one (an abstract) gets an allocation of its own,
	 * cut to its size. */
	enum { SHORT = 512 };

	size_t len = strlen(value), n;
	int keep_newlines = !rec_is_core_field(field);
	if (len < SHORT) {
		char clean[SHORT * 3 + 1];
		n = txt_clean_into(value, len, keep_newlines, clean);
		char *out = arena_room(rec, n + 1);
		if (!out)
			return -1;
		memcpy(out, clean, n + 1);
		rec->arena->used += n + 1;
		return rec_take(rec, field, out, as_list);
	}
	char *out = malloc(len * 3 + 1);
	if (!out)
		return -1;
	n = txt_clean_into(value, len, keep_newlines, out);
	char *cut = realloc(out, n + 1);
	return rec_take(rec, field, cut ? cut : out, as_list);
}

int
rec_set(pw_record *rec, const char *field, const char *value)
{
	if (!rec || !field || !*field)
		return -1;
	if (!value) {
		rec_unset(rec, field);
		return 0;
	}
	return take_clean(rec, field, value, 0);
}

int
rec_add(pw_record *rec, const char *field, const char *value)
{
	if (!rec || !field || !*field || !value)
		return -1;
	return take_clean(rec, field, value, 1);
}

int
rec_take(pw_record *rec, const char *field, char *owned, int as_list)
{
	if (!*field) {
		release(rec, owned);
		return 0;
	}
	struct rec_field *f = get_or_add_field(rec, field);
	if (!f) {
		release(rec, owned);
		return -1;
	}
	if (!as_list || !f->is_list)
		field_clear_values(rec, f);
	f->is_list = as_list;
	f->stored = 0;
	/* An empty item of a list is no item. */
	int empty_item = as_list && *owned == '\0';
	if (empty_item || append_value(f, owned) < 0) {
		release(rec, owned);
		return empty_item ? 0 : -1;
	}
	return 0;
}

void
rec_set_backing(pw_record *rec, char *text, size_t size)
{
	rec->backing = text;
	rec->backing_size = size;
}

/* A number in decimal into buf (at least 24 bytes), without snprintf's
 * cost: times and versions are set for every paper. */
static const char *
decimal(char buf[24], int64_t v)
{
	char *p = buf + 23;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	*p = '\0';
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) > 0);
	if (v < 0)
		*--p = '-';
	return p;
}

int
rec_set_time(pw_record *rec, const char *field, int64_t unix_utc)
{
	char buf[24];
	return rec_set(rec, field, decimal(buf, unix_utc));
}

void
rec_unset(pw_record *rec, const char *field)
{
	struct rec_field *f = find_field(rec, field);
	if (!f)
		return;
	if (f->stored) {
		char **nd = realloc(rec->dropped, (rec->ndropped + 1) * sizeof *nd);
		if (nd) {
			rec->dropped = nd;
			if ((nd[rec->ndropped] = strdup(f->name)))
				rec->ndropped++;
		}
	}
	field_clear_values(rec, f);
	if (f->own_name)
		free(f->name);
	size_t idx = (size_t)(f - rec->fields);
	memmove(f, f + 1, (rec->nfields - idx - 1) * sizeof *f);
	rec->nfields--;
}

const char *
rec_get(const pw_record *rec, const char *field)
{
	const struct rec_field *f = rec ? find_field(rec, field) : NULL;
	return f && f->count ? vals(f)[0] : NULL;
}

size_t
rec_count(const pw_record *rec, const char *field)
{
	const struct rec_field *f = rec ? find_field(rec, field) : NULL;
	return f ? f->count : 0;
}

const char *
rec_get_at(const pw_record *rec, const char *field, size_t i)
{
	const struct rec_field *f = rec ? find_field(rec, field) : NULL;
	return f && i < f->count ? vals(f)[i] : NULL;
}

int64_t
rec_get_time(const pw_record *rec, const char *field)
{
	const char *v = rec_get(rec, field);
	return v ? strtoll(v, NULL, 10) : 0;
}

int
rec_version(const pw_record *rec)
{
	const char *v = rec_get(rec, PW_F_VERSION);
	return v ? atoi(v) : 0;
}

size_t
rec_nfields(const pw_record *rec)
{
	return rec->nfields;
}

const char *
rec_field_name(const pw_record *rec, size_t i)
{
	return i < rec->nfields ? rec->fields[i].name : NULL;
}

int
rec_field_is_list(const pw_record *rec, size_t i)
{
	return i < rec->nfields ? rec->fields[i].is_list : 0;
}

size_t
rec_field_count_at(const pw_record *rec, size_t i)
{
	return i < rec->nfields ? rec->fields[i].count : 0;
}

int
rec_field_is_stored(const pw_record *rec, size_t i)
{
	return i < rec->nfields ? rec->fields[i].stored : 0;
}

size_t
rec_dropped_count(const pw_record *rec)
{
	return rec->ndropped;
}

const char *
rec_dropped_name(const pw_record *rec, size_t i)
{
	return i < rec->ndropped ? rec->dropped[i] : NULL;
}

void
rec_mark_stored(pw_record *rec)
{
	for (size_t i = 0; i < rec->nfields; i++)
		rec->fields[i].stored = 1;
}

const char *
rec_field_value_at(const pw_record *rec, size_t i, size_t j)
{
	return i < rec->nfields && j < rec->fields[i].count ? vals(&rec->fields[i])[j] : NULL;
}

int
rec_score_add(pw_record *rec, const char *scorer, double weight, double value, const char *reason)
{
	struct rec_score *ns = realloc(rec->scores, (rec->nscores + 1) * sizeof *ns);
	if (!ns)
		return -1;
	rec->scores = ns;
	struct rec_score *s = &rec->scores[rec->nscores];
	s->scorer = strdup(scorer ? scorer : "");
	s->reason = txt_clean(reason ? reason : "", reason ? strlen(reason) : 0, 0);
	s->weight = weight;
	s->value = value;
	if (!s->scorer || !s->reason) {
		free(s->scorer);
		free(s->reason);
		return -1;
	}
	rec->nscores++;
	return 0;
}

double
rec_score(const pw_record *rec)
{
	double total = 0;
	for (size_t i = 0; i < rec->nscores; i++)
		total += rec->scores[i].weight * rec->scores[i].value;
	return total;
}

size_t
rec_score_count(const pw_record *rec)
{
	return rec->nscores;
}

const char *
rec_score_at(const pw_record *rec, size_t i, double *value, const char **reason)
{
	if (i >= rec->nscores)
		return NULL;
	if (value)
		*value = rec->scores[i].weight * rec->scores[i].value;
	if (reason)
		*reason = rec->scores[i].reason;
	return rec->scores[i].scorer;
}

char *
rec_reasons(const pw_record *rec)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	double v;
	const char *reason;
	if (!f)
		return NULL;
	/* As the sinks show it: the points that counted, then why; a veto
	 * counts no points, so it shows none. */
	for (size_t k = 0; rec_score_at(rec, k, &v, &reason); k++) {
		const char *name = rec_score_at(rec, k, NULL, NULL);
		if (rec_vetoed(rec) && v == 0)
			fprintf(f, "%s%s: %s", k ? "; " : "", name, reason ? reason : "");
		else
			fprintf(f, "%s%s %+.3g: %s", k ? "; " : "", name, v, reason ? reason : "");
	}
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

void
rec_veto(pw_record *rec, const char *scorer, const char *reason)
{
	rec->vetoed = 1;
	rec_score_add(rec, scorer, 0, 0, reason);
}

int
rec_vetoed(const pw_record *rec)
{
	return rec->vetoed;
}

void
rec_mark_unscored(pw_record *rec)
{
	rec->unscored = 1;
}

int
rec_unscored(const pw_record *rec)
{
	return rec->unscored;
}

/* Whether field is the single value value, as rec_set would leave it. */
static int
holds_exactly(const pw_record *rec, const char *field, const char *value)
{
	const struct rec_field *f = find_field(rec, field);
	return f && !f->is_list && f->count == 1 && strcmp(vals(f)[0], value) == 0;
}

int
rec_canonicalize(pw_record *rec)
{
	char id[512];
	int version = 0;
	const char *raw = rec_get(rec, PW_F_ID);

	if (!raw || ident_canonical(raw, id, sizeof id, &version) < 0) {
		/* Fall back on the DOI, then the URL, as DESIGN.md orders them. */
		raw = rec_get(rec, PW_F_DOI);
		if (!raw || ident_canonical(raw, id, sizeof id, &version) < 0) {
			raw = rec_get(rec, PW_F_URL);
			if (!raw || ident_canonical(raw, id, sizeof id, &version) < 0)
				return -1;
		}
	}
	/* A source's id is mostly canonical already: set only what changes. */
	if (!holds_exactly(rec, PW_F_ID, id) && rec_set(rec, PW_F_ID, id) < 0)
		return -1;
	if (version > 0) {
		char vbuf[24];
		const char *want = decimal(vbuf, version);
		if (!holds_exactly(rec, PW_F_VERSION, want) && rec_set(rec, PW_F_VERSION, want) < 0)
			return -1;
	}
	return 0;
}

static void
copy_field(pw_record *dst, const struct rec_field *f)
{
	if (f->is_list) {
		rec_unset(dst, f->name);
		for (size_t j = 0; j < f->count; j++)
			rec_add(dst, f->name, vals(f)[j]);
		if (f->count == 0)
			rec_mark_list(dst, f->name);
	} else if (f->count) {
		rec_set(dst, f->name, vals(f)[0]);
	}
}

void
rec_merge(pw_record *dst, const pw_record *src)
{
	int src_newer = rec_version(src) > rec_version(dst);
	for (size_t i = 0; i < src->nfields; i++) {
		const struct rec_field *f = &src->fields[i];
		if (strcmp(f->name, PW_F_ID) == 0)
			continue;
		if (src_newer || rec_count(dst, f->name) == 0)
			copy_field(dst, f);
	}
}

/* A string and its length, eight bytes at a time (the per-byte FNV-1a
 * this replaced was a tenth of a run over an unchanged listing); the
 * length goes in first, so "ab","c" and "a","bc" differ. */
static uint64_t
mix(uint64_t h, uint64_t w)
{
	h = (h ^ w) * 0x9E3779B97F4A7C15u;
	return h ^ (h >> 32);
}

static uint64_t
hash_string(uint64_t h, const char *s)
{
	size_t n = strlen(s), i = 0;
	uint64_t w;
	h = mix(h, n);
	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		h = mix(h, w);
	}
	if (i < n) {
		w = 0;
		memcpy(&w, s + i, n - i);
		h = mix(h, w);
	}
	return h;
}

uint64_t
rec_hash(const pw_record *rec)
{
	uint64_t h = 14695981039346656037u;
	for (size_t i = 0; i < rec->nfields; i++) {
		const struct rec_field *f = &rec->fields[i];
		h = hash_string(h, f->name);
		h = mix(h, f->is_list ? 0x100 + f->count : f->count);
		for (size_t j = 0; j < f->count; j++)
			h = hash_string(h, vals(f)[j]);
	}
	return h;
}

pw_record *
rec_clone(const pw_record *src)
{
	/* A straight deep copy: the text was cleaned when it came in. */
	pw_record *dst = rec_new();
	if (!dst)
		return NULL;
	dst->fields = calloc(src->nfields + 1, sizeof *dst->fields);
	dst->cap = src->nfields + 1;
	if (!dst->fields)
		goto fail;
	for (size_t i = 0; i < src->nfields; i++) {
		const struct rec_field *f = &src->fields[i];
		struct rec_field *g = &dst->fields[dst->nfields];
		g->own_name = f->own_name;
		g->name = f->own_name ? strdup(f->name) : f->name;
		g->is_list = f->is_list;
		if (!g->name)
			goto fail;
		dst->nfields++;
		dst->name_bits |= name_bit(g->name);
		for (size_t j = 0; j < f->count; j++) {
			char *v = strdup(vals(f)[j]);
			if (!v || append_value(g, v) < 0) {
				free(v);
				goto fail;
			}
		}
	}
	for (size_t i = 0; i < src->nscores; i++)
		if (rec_score_add(dst, src->scores[i].scorer, src->scores[i].weight, src->scores[i].value,
		                  src->scores[i].reason) < 0)
			goto fail;
	dst->vetoed = src->vetoed;
	return dst;
fail:
	rec_free(dst);
	return NULL;
}
