/* keyword.c: scores papers by weighted terms matched as whole words ("RL"
 * never matches "world"; the last word also in its plural: "model" finds
 * "models"), case- and accent-insensitive, in every field
 * that is configured, in one Aho-Corasick pass per field.  A trailing '*'
 * makes a term's last word a prefix ("quantiz*").  `exclude` vetoes,
 * `require` is a gate, `authors` follows people, tolerant of initials.
 *
 * The value is absolute, not relative to the day: the sum over matched
 * terms of weight x the multiplier of the field x how often it is there,
 * saturating as BM25 does (a term found n times counts n(1+k)/(n+k) times:
 * once for one mention, at most 1+k), taken in the field where that is
 * highest; plus the weights of followed authors.  So min_score means the
 * same on a quiet day and a busy one, and a paper about a term outranks one
 * that names it in passing. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/fold.h"
#include "../common/num_text.h"
#include "../common/plugin_util.h"
#include "keyword_aho.h"
#include "../common/bundled.h"
#include "paperwire/plugin.h"

static const pw_option keyword_options[] = {
	{ PW_OPTION("keywords", PW_OPT_NUMBER_MAP, "{}", 0,
	            "terms and their weights, e.g. {\"speculative decoding\": 3, \"quantiz*\": 1}") },
	{ PW_OPTION("exclude", PW_OPT_STRING_LIST, NULL, 0, "terms that veto a paper wherever they appear") },
	{ PW_OPTION("require", PW_OPT_STRING_LIST, NULL, 0, "a gate: a paper with none of these terms is vetoed") },
	{ PW_OPTION("authors", PW_OPT_NUMBER_MAP, NULL, 0,
	            "people to follow and their weights, e.g. {\"Yann LeCun\": 5} (matches \"Y. LeCun\")") },
	{ PW_OPTION("fields", PW_OPT_NUMBER_MAP, "{\"title\": 2, \"abstract\": 1}", 0,
	            "where terms are looked for, with a multiplier each: title, abstract, comment, categories, "
	            "journal_ref, and any extension field") },
	{ PW_OPTION("saturation", PW_OPT_NUMBER, "1.2", 0,
	            "how much repeated mentions add (BM25's k1): a term found n times in a field counts n(1+k)/(n+k) "
	            "times, at most 1+k; 0: once, however often"),
	  .range = "0..100" },
	PW_OPTIONS_END
};

enum term_kind { TERM_KEYWORD, TERM_EXCLUDE, TERM_REQUIRE };

struct term {
	char *text; /* as configured, for reasons */
	double weight;
	enum term_kind kind;
};

struct field {
	char *name;
	double multiplier;
};

struct person {
	char *name;         /* as configured */
	char *first, *last; /* folded: first given name and surname */
	double weight;
};

struct keyword {
	struct term *terms;
	size_t nterms;
	struct field *fields;
	size_t nfields;
	struct person *people;
	size_t npeople;
	aho *matcher;
	double saturation; /* BM25's k1 */
};

static void
keyword_free(struct keyword *k)
{
	if (!k)
		return;
	for (size_t i = 0; i < k->nterms; i++)
		free(k->terms[i].text);
	for (size_t i = 0; i < k->nfields; i++)
		free(k->fields[i].name);
	for (size_t i = 0; i < k->npeople; i++) {
		free(k->people[i].name);
		free(k->people[i].first);
		free(k->people[i].last);
	}
	free(k->terms);
	free(k->fields);
	free(k->people);
	aho_free(k->matcher);
	free(k);
}

/* The folded term (" large language model ") with its last word in the
 * plural (" large language models "), as English regular plurals go: +s,
 * +es after s, x, z, ch and sh, y -> ies after a consonant.  0 when the
 * last word is not made of at least three letters, or already ends in a
 * single s (a plural, likely: "transformers" is left as written). */
static int
plural_of(const char *folded, size_t len, char *out, size_t size)
{
	size_t end = len - 1, start = end; /* folded ends with a space */
	if (len < 3 || len + 4 > size)
		return 0;
	while (start > 0 && folded[start - 1] != ' ')
		start--;
	size_t wl = end - start;
	for (size_t i = start; i < end; i++)
		if (folded[i] < 'a' || folded[i] > 'z')
			return 0;
	if (wl < 3)
		return 0;
	const char *w = folded + start;
	char last = w[wl - 1], prev = w[wl - 2];
	const char *add = "s";
	size_t keep = end;
	if (last == 's' && prev != 's')
		return 0;
	if (last == 's' || last == 'x' || last == 'z' || (last == 'h' && (prev == 'c' || prev == 's')))
		add = "es";
	else if (last == 'y' && !strchr("aeiou", prev))
		add = "ies", keep--;
	snprintf(out, size, "%.*s%s ", (int)keep, folded, add);
	return 1;
}

/* " speculative decoding " for a term, " quantiz" for "quantiz*". */
static int
add_term(const pw_host *h, pw_instance *inst, struct keyword *k, const char *text, double weight, enum term_kind kind)
{
	size_t len;
	char *folded = fold_words(text, &len);
	if (!folded)
		return -1;
	if (len < 3) {
		h->log(inst, PW_LOG_ERROR, "term \"%s\" has no letters or digits to match", text);
		free(folded);
		return -2;
	}
	size_t tl = strlen(text);
	if (tl && text[tl - 1] == '*')
		len--; /* drop the closing space: the last word may go on */
	struct term *t = &k->terms[k->nterms];
	t->text = strdup(text);
	t->weight = weight;
	t->kind = kind;
	int rc = t->text && aho_add(k->matcher, folded, len, (int)k->nterms) == 0 ? 0 : -1;
	char plural[1024];
	if (rc == 0 && !(tl && text[tl - 1] == '*') && plural_of(folded, len, plural, sizeof plural))
		rc = aho_add(k->matcher, plural, strlen(plural), (int)k->nterms);
	k->nterms++;
	free(folded);
	return rc;
}

/* Splits a folded name " yann le cun " into its first and last words. */
static int
split_name(const char *name, char **first, char **last)
{
	char *f = fold_words(name, NULL);
	if (!f)
		return -1;
	char *w1 = f + 1, *end = w1 + strcspn(w1, " ");
	*first = strndup(w1, (size_t)(end - w1));
	size_t n = strlen(f);
	char *lend = f + n - 1, *lstart = lend;
	while (lstart > f && lstart[-1] != ' ')
		lstart--;
	*last = strndup(lstart, (size_t)(lend - lstart));
	free(f);
	return *first && *last && **last ? 0 : -1;
}

static pw_status
keyword_create(const pw_host *h, pw_instance *inst, void **state)
{
	struct keyword *k = calloc(1, sizeof *k);
	size_t nkw = h->config_map_count(inst, "keywords"), nx = h->config_list_count(inst, "exclude");
	size_t nreq = h->config_list_count(inst, "require"), np = h->config_map_count(inst, "authors");
	size_t nf = h->config_map_count(inst, "fields");
	int rc = 0;
	if (!k)
		return PW_ERROR;
	k->terms = calloc(nkw + nx + nreq + 1, sizeof *k->terms);
	k->fields = calloc(nf + 1, sizeof *k->fields);
	k->people = calloc(np + 1, sizeof *k->people);
	k->matcher = aho_new();
	if (!k->terms || !k->fields || !k->people || !k->matcher)
		goto fail;
	if (nkw + np + nx + nreq == 0) {
		h->log(inst, PW_LOG_ERROR,
		       "give \"keywords\", \"authors\", \"exclude\" or \"require\": nothing to match");
		goto config_error;
	}
	for (size_t i = 0; i < nkw && rc == 0; i++) {
		double w = 0;
		const char *term = h->config_map_at(inst, "keywords", i, &w);
		rc = add_term(h, inst, k, term, w, TERM_KEYWORD);
	}
	for (size_t i = 0; i < nx && rc == 0; i++)
		rc = add_term(h, inst, k, h->config_list_at(inst, "exclude", i), 0, TERM_EXCLUDE);
	for (size_t i = 0; i < nreq && rc == 0; i++)
		rc = add_term(h, inst, k, h->config_list_at(inst, "require", i), 0, TERM_REQUIRE);
	if (rc == -2)
		goto config_error;
	if (rc < 0 || aho_build(k->matcher) < 0)
		goto fail;
	if (nf > 100) {
		h->log(inst, PW_LOG_ERROR, "at most 100 fields");
		goto config_error;
	}
	for (size_t i = 0; i < nf; i++) {
		double m = 1;
		const char *name = h->config_map_at(inst, "fields", i, &m);
		k->fields[k->nfields].name = strdup(name);
		k->fields[k->nfields++].multiplier = m;
		if (strcmp(name, PW_F_AUTHORS) == 0) {
			h->log(inst, PW_LOG_ERROR, "follow people with \"authors\", not with fields.authors");
			goto config_error;
		}
	}
	for (size_t i = 0; i < np; i++) {
		struct person *p = &k->people[k->npeople++];
		const char *name = h->config_map_at(inst, "authors", i, &p->weight);
		p->name = strdup(name);
		if (!p->name || split_name(name, &p->first, &p->last) < 0) {
			h->log(inst, PW_LOG_ERROR, "author \"%s\" has no name to match", name);
			goto config_error;
		}
	}
	k->saturation = 1.2;
	h->config_number(inst, "saturation", &k->saturation);
	*state = k;
	return PW_OK;
config_error:
	keyword_free(k);
	return PW_CONFIG_ERROR;
fail:
	keyword_free(k);
	return PW_ERROR;
}

static void
keyword_destroy(const pw_host *h, pw_instance *inst, void *state)
{
	keyword_free(state);
}

struct hits {
	unsigned *count; /* [term * nfields + field]: how often the term is in the field */
	const struct keyword *k;
	size_t field;
};

static void
on_match(int id, void *ud)
{
	struct hits *hs = ud;
	hs->count[(size_t)id * hs->k->nfields + hs->field]++;
}

/* n mentions counted with BM25's saturation: 1 for 1, at most 1 + k. */
static double
saturated(unsigned n, double k)
{
	return k > 0 ? n * (1 + k) / (n + k) : 1;
}

/* The field of highest multiplier term i is in, -1 when it is in none:
 * where an exclusion or a gate term is said to be found. */
static int
strongest_field(const struct keyword *k, const struct hits *hs, size_t i)
{
	int best = -1;
	for (size_t f = 0; f < k->nfields; f++)
		if (hs->count[i * k->nfields + f] && (best < 0 || k->fields[f].multiplier > k->fields[best].multiplier))
			best = (int)f;
	return best;
}

/* Where keyword i weighs most (-1: nowhere), its weight there in *pts and
 * its count in *n. */
static int
best_field(const struct keyword *k, const struct hits *hs, size_t i, double *pts, unsigned *n)
{
	int best = -1;
	for (size_t f = 0; f < k->nfields; f++) {
		unsigned c = hs->count[i * k->nfields + f];
		double p = k->terms[i].weight * k->fields[f].multiplier * saturated(c, k->saturation);
		if (c && (best < 0 || fabs(p) > fabs(*pts))) {
			best = (int)f;
			*pts = p;
			*n = c;
		}
	}
	return best;
}

/* The field's text: a list field (categories, ...) joined by spaces. */
static char *
field_text(const pw_host *h, pw_instance *inst, const pw_record *rec, const char *name)
{
	size_t n = h->record_count(inst, rec, name), len = 0;
	for (size_t i = 0; i < n; i++)
		len += strlen(h->record_get_at(inst, rec, name, i)) + 1;
	char *s = malloc(len + 1);
	if (!s)
		return NULL;
	s[0] = '\0';
	for (size_t i = 0, o = 0; i < n; i++) {
		const char *v = h->record_get_at(inst, rec, name, i);
		size_t vl = strlen(v);
		memcpy(s + o, v, vl);
		o += vl;
		s[o++] = ' ';
		s[o] = '\0';
	}
	return s;
}

/* Appends "WHERE 'WHAT' +PTS" (WHERE "title has", "author") to reason,
 * with "xN" after WHAT when it was found N > 1 times; cut at size like
 * snprintf.  Written piece by piece: it runs for every paper weighed. */
static void
add_reason(char *reason, size_t size, const char *where, const char *where_tail, const char *what, unsigned n,
           double pts)
{
	size_t used = strlen(reason);
	char times[16] = "", points[32];
	if (n > 1)
		snprintf(times, sizeof times, " x%u", n);
	nt_signed_g3(points, sizeof points, pts);
	const char *pieces[] = { used ? ", " : "", where, where_tail, " '", what, "'", times, " ", points };
	pu_append(reason, size, used, pieces, sizeof pieces / sizeof pieces[0]);
}

/* "Y. LeCun" is "Yann LeCun": same surname, and given names equal or one
 * an initial of the other. */
static int
same_person(const struct person *p, const char *author)
{
	char *first = NULL, *last = NULL;
	int same = 0;
	if (split_name(author, &first, &last) == 0 && strcmp(last, p->last) == 0) {
		size_t a = strlen(first), b = strlen(p->first);
		same = strcmp(first, p->first) == 0 || ((a == 1 || b == 1) && first[0] == p->first[0]);
	}
	free(first);
	free(last);
	return same;
}

static pw_status
keyword_score(const pw_host *h, pw_instance *inst, void *state, const pw_record *rec, double *value, int *veto,
              char *reason, size_t reason_size)
{
	const struct keyword *k = state;
	struct hits hs = { calloc(k->nterms * k->nfields + 1, sizeof *hs.count), k, 0 };
	if (!hs.count)
		return PW_ERROR;
	reason[0] = '\0';
	*value = 0;
	for (size_t f = 0; f < k->nfields; f++) {
		/* A field of one value (title, abstract) is scanned in place. */
		const char *one = h->record_count(inst, rec, k->fields[f].name) == 1
		                          ? h->record_get_at(inst, rec, k->fields[f].name, 0)
		                          : NULL;
		char *raw = one ? NULL : field_text(h, inst, rec, k->fields[f].name);
		if (!one && !raw) {
			free(hs.count);
			return PW_ERROR;
		}
		hs.field = f;
		aho_scan_folded(k->matcher, one ? one : raw, on_match, &hs);
		free(raw);
	}
	int gated = 0, passed_gate = 0;
	for (size_t i = 0; i < k->nterms; i++) {
		const struct term *t = &k->terms[i];
		if (t->kind == TERM_KEYWORD)
			continue;
		int f = strongest_field(k, &hs, i);
		if (t->kind == TERM_EXCLUDE && f >= 0) {
			*veto = 1;
			snprintf(reason, reason_size, "excluded: '%s' in %s", t->text, k->fields[f].name);
			free(hs.count);
			return PW_OK;
		}
		if (t->kind == TERM_REQUIRE) {
			gated = 1;
			passed_gate |= f >= 0;
		}
	}
	if (gated && !passed_gate) {
		*veto = 1;
		snprintf(reason, reason_size, "gate: none of the required terms is present");
		free(hs.count);
		return PW_OK;
	}
	for (size_t i = 0; i < k->nterms; i++) {
		const struct term *t = &k->terms[i];
		double pts = 0;
		unsigned n = 0;
		int f = t->kind == TERM_KEYWORD ? best_field(k, &hs, i, &pts, &n) : -1;
		if (f < 0)
			continue;
		*value += pts;
		add_reason(reason, reason_size, k->fields[f].name, " has", t->text, n, pts);
	}
	for (size_t p = 0; p < k->npeople; p++)
		for (size_t i = 0; i < h->record_count(inst, rec, PW_F_AUTHORS); i++)
			if (same_person(&k->people[p], h->record_get_at(inst, rec, PW_F_AUTHORS, i))) {
				*value += k->people[p].weight;
				add_reason(reason, reason_size, "author", "", k->people[p].name, 1,
				           k->people[p].weight);
				break;
			}
	if (!reason[0])
		snprintf(reason, reason_size, "no keyword matched");
	free(hs.count);
	return PW_OK;
}

static const pw_plugin keyword_plugin = {
	PW_BUNDLED_PLUGIN("keyword", PW_KIND_SCORER, PW_NO_FLAGS, "0.2.0"),
	.description = "weighted whole-word terms per field, exclusions, gates and followed authors",
	PW_OPTIONS(keyword_options),
	PW_BUNDLED_CALLBACKS(keyword, score),
};

PW_PLUGIN_DEFINE(keyword_plugin)
