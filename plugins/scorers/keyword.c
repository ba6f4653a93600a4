/* keyword.c: scores papers by weighted terms matched as whole words, so
 * "RL" never matches "world".  A term is a word or a phrase; a trailing
 * '*' makes its last word a prefix ("quantiz*").  Title hits weigh more
 * than abstract hits; an exclude term vetoes the paper. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paperwire/plugin.h"

static const pw_option keyword_options[] = {
	{ "keywords", PW_OPT_NUMBER_MAP, NULL, 1,
	  "terms and their weights, e.g. {\"speculative decoding\": 3, \"quantiz*\": 1}" },
	{ "exclude", PW_OPT_STRING_LIST, NULL, 0, "terms that veto a paper wherever they appear" },
	{ "title_weight", PW_OPT_NUMBER, "2", 0, "multiplier for a term found in the title" },
	{ "abstract_weight", PW_OPT_NUMBER, "1", 0, "multiplier for a term found only in the abstract" },
	{ NULL, 0, NULL, 0, NULL }
};

/* Text as lower-cased words: one NUL-separated buffer plus word starts. */
struct words {
	char *buf;
	const char **w;
	size_t n;
};

struct term {
	char *text;      /* as configured, for reasons */
	struct words words;
	int prefix;      /* last word matches as a prefix */
	double weight;
};

struct keyword {
	struct term *terms, *excludes;
	size_t nterms, nexcludes;
	double title_weight, abstract_weight;
};

/* Bytes of a word: ASCII letters and digits, and every non-ASCII byte so
 * that accented words stay whole. */
static int
is_word_byte(unsigned char c)
{
	return isalnum(c) || c >= 0x80;
}

static int
split_words(const char *s, struct words *out)
{
	size_t len = strlen(s);
	memset(out, 0, sizeof *out);
	out->buf = malloc(len + 1);
	out->w = malloc((len / 2 + 2) * sizeof *out->w);
	if (!out->buf || !out->w)
		return -1;
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		while (i < len && !is_word_byte((unsigned char)s[i]))
			i++;
		if (i == len)
			break;
		out->w[out->n++] = out->buf + o;
		while (i < len && is_word_byte((unsigned char)s[i]))
			out->buf[o++] = (char)tolower((unsigned char)s[i++]);
		out->buf[o++] = '\0';
	}
	return 0;
}

static void
free_words(struct words *w)
{
	free(w->buf);
	free(w->w);
}

static int
term_matches_at(const struct term *t, const struct words *text, size_t at)
{
	for (size_t k = 0; k < t->words.n; k++) {
		const char *tw = t->words.w[k], *xw = text->w[at + k];
		if (t->prefix && k + 1 == t->words.n) {
			if (strncmp(xw, tw, strlen(tw)) != 0)
				return 0;
		} else if (strcmp(xw, tw) != 0) {
			return 0;
		}
	}
	return 1;
}

static int
term_in(const struct term *t, const struct words *text)
{
	if (t->words.n == 0 || text->n < t->words.n)
		return 0;
	for (size_t i = 0; i + t->words.n <= text->n; i++)
		if (term_matches_at(t, text, i))
			return 1;
	return 0;
}

static int
init_term(struct term *t, const char *text, double weight)
{
	size_t len = strlen(text);
	t->text = strdup(text);
	t->weight = weight;
	t->prefix = len > 0 && text[len - 1] == '*';
	return t->text ? split_words(text, &t->words) : -1;
}

static void
free_terms(struct term *t, size_t n)
{
	for (size_t i = 0; t && i < n; i++) {
		free(t[i].text);
		free_words(&t[i].words);
	}
	free(t);
}

static void
keyword_free(struct keyword *k)
{
	if (!k)
		return;
	free_terms(k->terms, k->nterms);
	free_terms(k->excludes, k->nexcludes);
	free(k);
}

static pw_status
keyword_create(const pw_host *h, pw_instance *inst, void **state)
{
	struct keyword *k = calloc(1, sizeof *k);
	if (!k)
		return PW_ERROR;
	size_t n = h->config_map_count(inst, "keywords");
	size_t nx = h->config_list_count(inst, "exclude");
	k->terms = calloc(n + 1, sizeof *k->terms);
	k->excludes = calloc(nx + 1, sizeof *k->excludes);
	if (!k->terms || !k->excludes)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		double w = 0;
		const char *term = h->config_map_at(inst, "keywords", i, &w);
		if (init_term(&k->terms[k->nterms++], term, w) < 0)
			goto fail;
		if (k->terms[k->nterms - 1].words.n == 0) {
			h->log(inst, PW_LOG_ERROR, "keyword \"%s\" has no letters or digits to match", term);
			keyword_free(k);
			return PW_CONFIG_ERROR;
		}
	}
	for (size_t i = 0; i < nx; i++)
		if (init_term(&k->excludes[k->nexcludes++], h->config_list_at(inst, "exclude", i), 0) < 0)
			goto fail;
	k->title_weight = 2;
	k->abstract_weight = 1;
	h->config_number(inst, "title_weight", &k->title_weight);
	h->config_number(inst, "abstract_weight", &k->abstract_weight);
	*state = k;
	return PW_OK;
fail:
	keyword_free(k);
	return PW_ERROR;
}

static void
keyword_destroy(const pw_host *h, pw_instance *inst, void *state)
{
	keyword_free(state);
}

/* Appends to reason, keeping it NUL-terminated within size. */
static void
add_reason(char *reason, size_t size, const char *field, const char *term, double pts)
{
	size_t used = strlen(reason);
	if (used + 1 >= size)
		return;
	snprintf(reason + used, size - used, "%s%s has '%s' %+g", used ? ", " : "", field, term, pts);
}

static pw_status
keyword_score(const pw_host *h, pw_instance *inst, void *state, const pw_record *rec, double *value, int *veto,
              char *reason, size_t reason_size)
{
	const struct keyword *k = state;
	const char *title = h->record_get(inst, rec, PW_F_TITLE);
	const char *abstract = h->record_get(inst, rec, PW_F_ABSTRACT);
	struct words tw, aw;
	pw_status st = PW_OK;

	reason[0] = '\0';
	*value = 0;
	memset(&tw, 0, sizeof tw);
	memset(&aw, 0, sizeof aw);
	if (split_words(title ? title : "", &tw) < 0 || split_words(abstract ? abstract : "", &aw) < 0) {
		st = PW_ERROR;
		goto out;
	}
	for (size_t i = 0; i < k->nexcludes; i++) {
		int in_title = term_in(&k->excludes[i], &tw);
		if (in_title || term_in(&k->excludes[i], &aw)) {
			*veto = 1;
			snprintf(reason, reason_size, "excluded: '%s' in %s", k->excludes[i].text,
			         in_title ? "title" : "abstract");
			goto out;
		}
	}
	for (size_t i = 0; i < k->nterms; i++) {
		const struct term *t = &k->terms[i];
		double pts;
		if (term_in(t, &tw)) {
			pts = t->weight * k->title_weight;
			add_reason(reason, reason_size, "title", t->text, pts);
		} else if (term_in(t, &aw)) {
			pts = t->weight * k->abstract_weight;
			add_reason(reason, reason_size, "abstract", t->text, pts);
		} else {
			continue;
		}
		*value += pts;
	}
	if (!reason[0])
		snprintf(reason, reason_size, "no keyword matched");
out:
	free_words(&tw);
	free_words(&aw);
	return st;
}

static const pw_plugin keyword_plugin = {
	.abi = PW_ABI_HEADER_FOR(pw_plugin),
	.name = "keyword",
	.kind = PW_KIND_SCORER,
	.version = "0.1.0",
	.description = "weighted keywords and phrases, whole words, title above abstract, with exclusions",
	.options = keyword_options,
	.create = keyword_create,
	.destroy = keyword_destroy,
	.score = keyword_score,
};

PW_PLUGIN_DEFINE(keyword_plugin)
