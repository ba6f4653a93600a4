/* tfidf.c: see tfidf.h.  The features follow arxiv-sanity-lite's
 * TfidfVectorizer (ngram_range (1, 2), English stop words, sublinear tf,
 * l2 norm); its min_df/max_df cut-offs are replaced by the idf itself,
 * because one reader's library is too small for a document-count floor. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fold.h"
#include "tfidf.h"

static const char *const stop_words[] = {
	"a",       "about",    "above", "after",    "again",      "against", "all",        "also",    "am",
	"an",      "and",      "any",   "are",      "as",         "at",      "be",         "because", "been",
	"before",  "being",    "below", "between",  "both",       "but",     "by",         "can",     "could",
	"did",     "do",       "does",  "doing",    "down",       "during",  "each",       "et",      "etc",
	"few",     "for",      "from",  "further",  "had",        "has",     "have",       "having",  "he",
	"her",     "here",     "hers",  "herself",  "him",        "himself", "his",        "how",     "however",
	"i",       "if",       "in",    "into",     "is",         "it",      "its",        "itself",  "just",
	"may",     "me",       "might", "more",     "most",       "must",    "my",         "myself",  "no",
	"nor",     "not",      "now",   "of",       "off",        "on",      "once",       "one",     "only",
	"or",      "other",    "our",   "ours",     "ourselves",  "out",     "over",       "own",     "paper",
	"propose", "proposed", "same",  "she",      "should",     "show",    "so",         "some",    "such",
	"than",    "that",     "the",   "their",    "theirs",     "them",    "themselves", "then",    "there",
	"these",   "they",     "this",  "those",    "through",    "thus",    "to",         "too",     "two",
	"under",   "until",    "up",    "use",      "used",       "using",   "very",       "via",     "was",
	"we",      "well",     "were",  "what",     "when",       "where",   "whether",    "which",   "while",
	"who",     "whom",     "why",   "will",     "with",       "within",  "without",    "would",   "yet",
	"you",     "your",     "yours", "yourself", "yourselves", NULL
};

/* w[0..len) against a NUL-terminated word, in strcmp's order. */
static int
cmp_word(const char *w, size_t len, const char *word)
{
	for (size_t i = 0; i < len; i++) {
		if (!word[i])
			return 1;
		if (w[i] != word[i])
			return (unsigned char)w[i] < (unsigned char)word[i] ? -1 : 1;
	}
	return word[len] ? -1 : 0;
}

int
tf_is_stop_word(const char *w, size_t len)
{
	/* The list is sorted: a binary search, as this runs for every word. */
	size_t lo = 0, hi = sizeof stop_words / sizeof stop_words[0] - 1;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = cmp_word(w, len, stop_words[mid]);
		if (c == 0)
			return 1;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

static uint32_t
hash_bytes(uint32_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static int
keep_word(const char *w, size_t len)
{
	size_t digits = 0;
	for (size_t i = 0; i < len; i++)
		digits += w[i] >= '0' && w[i] <= '9';
	return len >= 2 && digits < len && !tf_is_stop_word(w, len);
}

int
tf_each_feature(const char *text, tf_feature_fn fn, void *ud)
{
	size_t len;
	char *folded = fold_words(text, &len);
	if (!folded)
		return -1;
	const char *prev = NULL;
	size_t prev_len = 0;
	for (char *p = folded; *p;) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		size_t wl = strcspn(p, " ");
		if (keep_word(p, wl)) {
			fn(ud, p, wl, NULL, 0, hash_bytes(2166136261u, p, wl) % TFIDF_BUCKETS);
			if (prev)
				fn(ud, prev, prev_len, p, wl,
				   hash_bytes(hash_bytes(hash_bytes(2166136261u, prev, prev_len), " ", 1), p, wl) %
				           TFIDF_BUCKETS);
			prev = p;
			prev_len = wl;
		}
		p += wl;
	}
	free(folded);
	return 0;
}

struct feature_list {
	uint32_t *feats;
	size_t n, cap;
	int failed;
};

static void
collect_feature(void *ud, const char *w1, size_t l1, const char *w2, size_t l2, uint32_t bucket)
{
	struct feature_list *l = ud;
	(void)w1, (void)l1, (void)w2, (void)l2;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		uint32_t *grown = realloc(l->feats, cap * sizeof *grown);
		if (!grown) {
			l->failed = 1;
			return;
		}
		l->feats = grown;
		l->cap = cap;
	}
	l->feats[l->n++] = bucket;
}

int
tf_counts_from_text(const char *text, tf_vec *out)
{
	struct feature_list l = { NULL, 0, 0, 0 };
	memset(out, 0, sizeof *out);
	if (tf_each_feature(text, collect_feature, &l) < 0 || l.failed) {
		free(l.feats);
		return -1;
	}
	uint32_t *feats = l.feats;
	size_t nf = l.n;
	qsort(feats, nf, sizeof *feats, cmp_u32);
	out->idx = malloc((nf + 1) * sizeof *out->idx);
	out->val = malloc((nf + 1) * sizeof *out->val);
	if (!out->idx || !out->val) {
		free(feats);
		tf_vec_free(out);
		return -1;
	}
	for (size_t i = 0; i < nf; i++) {
		if (out->n && out->idx[out->n - 1] == feats[i]) {
			out->val[out->n - 1]++;
		} else {
			out->idx[out->n] = feats[i];
			out->val[out->n++] = 1;
		}
	}
	free(feats);
	return 0;
}

int
tf_df_init(tf_df *df)
{
	df->df = calloc(TFIDF_BUCKETS, sizeof *df->df);
	df->ndocs = 0;
	df->min_df = 1;
	return df->df ? 0 : -1;
}

void
tf_df_add(tf_df *df, const tf_vec *counts)
{
	for (size_t i = 0; i < counts->n; i++)
		df->df[counts->idx[i]]++;
	df->ndocs++;
}

void
tf_df_free(tf_df *df)
{
	free(df->df);
	df->df = NULL;
}

void
tf_vec_weigh(const tf_df *df, tf_vec *v)
{
	double norm = 0;
	for (size_t i = 0; i < v->n; i++) {
		/* sublinear tf; smoothed idf as scikit-learn computes it */
		double tf = 1.0 + log((double)v->val[i]);
		double idf = log((1.0 + df->ndocs) / (1.0 + df->df[v->idx[i]])) + 1.0;
		if (df->df[v->idx[i]] < df->min_df)
			idf = 0;
		v->val[i] = (float)(tf * idf);
		norm += (double)v->val[i] * v->val[i];
	}
	norm = sqrt(norm);
	for (size_t i = 0; norm > 0 && i < v->n; i++)
		v->val[i] = (float)(v->val[i] / norm);
}

void
tf_vec_free(tf_vec *v)
{
	free(v->idx);
	free(v->val);
	*v = (tf_vec){ 0 };
}

float
tf_vec_dot(const tf_vec *a, const tf_vec *b)
{
	size_t i = 0, j = 0;
	double s = 0;
	while (i < a->n && j < b->n) {
		if (a->idx[i] == b->idx[j])
			s += (double)a->val[i++] * b->val[j++];
		else if (a->idx[i] < b->idx[j])
			i++;
		else
			j++;
	}
	return (float)s;
}

int
tf_index_init(tf_index *ix)
{
	memset(ix, 0, sizeof *ix);
	ix->heads = malloc(TFIDF_BUCKETS * sizeof *ix->heads);
	if (!ix->heads)
		return -1;
	memset(ix->heads, 0xff, TFIDF_BUCKETS * sizeof *ix->heads);
	return 0;
}

int
tf_index_add(tf_index *ix, const tf_vec *v)
{
	if (ix->npost + v->n > ix->cap) {
		size_t cap = ix->cap ? ix->cap : 4096;
		while (cap < ix->npost + v->n)
			cap *= 2;
		struct tf_posting *np = realloc(ix->post, cap * sizeof *np);
		if (!np)
			return -1;
		ix->post = np;
		ix->cap = cap;
	}
	for (size_t k = 0; k < v->n; k++) {
		struct tf_posting *p = &ix->post[ix->npost];
		p->doc = (uint32_t)ix->ndocs;
		p->w = v->val[k];
		p->next = ix->heads[v->idx[k]];
		ix->heads[v->idx[k]] = (int32_t)ix->npost++;
	}
	ix->ndocs++;
	return 0;
}

void
tf_index_query(const tf_index *ix, const tf_vec *q, float *sims)
{
	for (size_t k = 0; k < q->n; k++)
		for (int32_t p = ix->heads[q->idx[k]]; p >= 0; p = ix->post[p].next)
			sims[ix->post[p].doc] += q->val[k] * ix->post[p].w;
}

void
tf_index_free(tf_index *ix)
{
	free(ix->heads);
	free(ix->post);
	memset(ix, 0, sizeof *ix);
}

int
tf_df_add_text(tf_df *df, const char *text)
{
	tf_vec counts;
	if (!text || tf_counts_from_text(text, &counts) < 0)
		return -1;
	tf_df_add(df, &counts);
	tf_vec_free(&counts);
	return 0;
}

int
tf_index_add_text(tf_index *ix, const tf_df *df, const char *text)
{
	tf_vec v;
	if (!text || tf_counts_from_text(text, &v) < 0)
		return -1;
	tf_vec_weigh(df, &v);
	int rc = tf_index_add(ix, &v);
	tf_vec_free(&v);
	return rc;
}

float *
tf_index_query_text(const tf_index *ix, const tf_df *df, const char *text)
{
	tf_vec v;
	float *sims = calloc(ix->ndocs + 1, sizeof *sims);
	if (!text || !sims || tf_counts_from_text(text, &v) < 0) {
		free(sims);
		return NULL;
	}
	tf_vec_weigh(df, &v);
	tf_index_query(ix, &v, sims);
	tf_vec_free(&v);
	return sims;
}
