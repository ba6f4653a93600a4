/* embed_builtin.c: the builtin backend.  prepare() counts document
 * frequencies over the profile, the store's recent history and the day's
 * papers, then indexes the profile's vectors by feature, so that scoring a
 * paper costs the postings of its own features, not a pass over the
 * whole library.  With the classifier model it then trains the model
 * (embed_model.c) on the library and likes against the dislikes and the
 * store's recent papers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/plugin_util.h"
#include "embedding.h"

void
builtin_free(struct embedding *e)
{
	tf_df_free(&e->df);
	tf_index_free(&e->index);
	lr_free(&e->lr);
}

/* ---- the papers of one prepare: counted once, weighed once ---- */

/* Every text prepare reads is turned into counts once: the counts feed the
 * document frequencies, and those kept (the library's, the negatives',
 * the background's) are weighed once the frequencies are known, to index
 * the library and to train the classifier. */
struct training {
	lr_example *ex;
	tf_vec *vecs;
	size_t n, cap;
	size_t background;
	int failed;
};

/* Counts text into df; keeps its counts as an example when keep. */
static int
count_text(struct training *t, tf_df *df, const char *text, int keep, int y, double weight)
{
	tf_vec counts;
	if (!text || tf_counts_from_text(text, &counts) < 0)
		return -1;
	tf_df_add(df, &counts);
	if (!keep) {
		tf_vec_free(&counts);
		return 0;
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		tf_vec *vecs = realloc(t->vecs, cap * sizeof *vecs);
		lr_example *ex = vecs ? realloc(t->ex, cap * sizeof *ex) : NULL;
		if (vecs)
			t->vecs = vecs;
		if (!ex) {
			tf_vec_free(&counts);
			return -1;
		}
		t->ex = ex;
		t->cap = cap;
	}
	t->vecs[t->n] = counts;
	t->ex[t->n] = (lr_example){ NULL, y, weight };
	t->n++;
	return 0;
}

static void
training_free(struct training *t)
{
	for (size_t i = 0; i < t->n; i++)
		tf_vec_free(&t->vecs[i]);
	free(t->vecs);
	free(t->ex);
}

struct collect {
	const pw_host *h;
	pw_instance *inst;
	const struct embedding *e;
	tf_df *df;
	struct training *t;
	int keep_background;
};

/* A paper of the store or of the day: counted; kept as background when
 * the classifier wants one.  The background is what the reader was shown
 * without asking for it (a rated paper, or one of the library, is an
 * example of its own). */
static void
on_paper(void *ud, const pw_record *rec)
{
	struct collect *c = ud;
	const pw_host *h = c->h;
	int keep = c->keep_background && embedding_is_background(c->e, h->record_get(c->inst, rec, PW_F_ID),
	                                                         h->record_get(c->inst, rec, PW_F_TITLE));
	char *text = pu_paper_text(h, c->inst, rec);
	if (count_text(c->t, c->df, text, keep, -1, 1) < 0)
		c->t->failed = 1;
	else
		c->t->background += keep;
	free(text);
}

/* t holds the library's examples first (positives of them), then the
 * negatives, then the background, all weighed. */
static int
train(const pw_host *h, pw_instance *inst, struct embedding *e, struct training *t, size_t positives,
      size_t first_background)
{
	for (size_t i = 0; i < t->n; i++)
		t->ex[i].x = &t->vecs[i];
	double seconds;
	if (lr_train_balanced(&e->lr, t->ex, t->n, positives, first_background, &seconds) < 0)
		return -1;
	h->log(inst, PW_LOG_DEBUG, "classifier: trained on %zu library papers, %zu disliked, %zu background in %.2f s",
	       positives, first_background - positives, t->background, seconds);
	return 0;
}

/* A later batch of the same run (the host hands an expensive scorer its
 * papers in bounded batches): its papers join the document frequencies;
 * the library's vectors and the model, trained on the first batch, stay,
 * so the store's history is read and the model trained once a run. */
static pw_status
add_batch(const pw_host *h, pw_instance *inst, struct embedding *e, const pw_delivery *papers)
{
	for (size_t i = 0; i < h->delivery_count(inst, papers); i++) {
		char *text = pu_paper_text(h, inst, h->delivery_record(inst, papers, i));
		tf_vec counts;
		if (!text || tf_counts_from_text(text, &counts) < 0) {
			free(text);
			return PW_ERROR;
		}
		tf_df_add(&e->df, &counts);
		tf_vec_free(&counts);
		free(text);
	}
	return PW_OK;
}

pw_status
builtin_prepare(const pw_host *h, pw_instance *inst, struct embedding *e, const pw_delivery *papers)
{
	if (e->ready)
		return add_batch(h, inst, e, papers);
	builtin_free(e);
	e->ready = 0;
	int classifier = e->model == MODEL_CLASSIFIER;
	struct training t = { 0 };
	struct collect c = { h, inst, e, &e->df, &t, classifier };
	pw_status rc = PW_ERROR;
	if (tf_df_init(&e->df) < 0)
		goto out;
	/* A feature no other paper has says nothing about what papers share,
	 * and lets the classifier learn each background paper by heart (the
	 * papers it then scores): weighed 0.  On the bench, +0.010 MAP for the
	 * classifier and +0.011 to +0.013 for the similarities. */
	e->df.min_df = 2;
	/* The library first: its examples are t's first prof.count. */
	for (size_t j = 0; j < e->prof.count; j++)
		if (count_text(&t, &e->df, e->prof.docs[j].text, 1, 1, e->weight ? e->weight[j] : 1) < 0)
			goto out;
	for (size_t j = 0; j < e->neg.count; j++)
		if (count_text(&t, &e->df, e->neg.docs[j].text, classifier, -1, LR_DISLIKE_WEIGHT) < 0)
			goto out;
	size_t first_background = t.n;
	if (e->history > 0 && h->history_each(inst, (size_t)e->history, on_paper, &c) != PW_OK)
		h->log(inst, PW_LOG_WARNING, "could not read the store's history; frequencies from today only");
	/* A store with no history yet (a first run elsewhere, a test): the
	 * day's own papers are the background. */
	c.keep_background = classifier && t.background == 0;
	for (size_t i = 0; i < h->delivery_count(inst, papers); i++)
		on_paper(&c, h->delivery_record(inst, papers, i));
	if (t.failed || tf_index_init(&e->index) < 0)
		goto out;
	for (size_t i = 0; i < t.n; i++)
		tf_vec_weigh(&e->df, &t.vecs[i]);
	for (size_t j = 0; j < e->prof.count; j++)
		if (tf_index_add(&e->index, &t.vecs[j]) < 0)
			goto out;
	if (classifier && train(h, inst, e, &t, e->prof.count, first_background) < 0)
		goto out;
	e->ready = 1;
	rc = PW_OK;
out:
	training_free(&t);
	return rc;
}

/* ---- why: the terms that weighed most ---- */

struct term {
	char text[64];
	double weight;
};

/* A term is named when it moved the paper's margin at least this much:
 * the words a reader would recognise as why, not every faint echo. */
#define TERM_MIN_WEIGHT 0.05

struct terms_ctx {
	const struct embedding *e;
	const tf_vec *v;
	struct term top[3];
};

static double
weight_in(const tf_vec *v, uint32_t bucket)
{
	size_t lo = 0, hi = v->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (v->idx[mid] < bucket)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < v->n && v->idx[lo] == bucket ? v->val[lo] : 0;
}

static void
on_term(void *ud, const char *w1, size_t l1, const char *w2, size_t l2, uint32_t bucket)
{
	struct terms_ctx *c = ud;
	double weight = (double)c->e->lr.w[bucket] * weight_in(c->v, bucket);
	char text[64];
	if (weight < TERM_MIN_WEIGHT)
		return;
	snprintf(text, sizeof text, "%.*s%s%.*s", (int)l1, w1, w2 ? " " : "", (int)(w2 ? l2 : 0), w2 ? w2 : "");
	for (size_t i = 0; i < 3; i++)
		if (strcmp(c->top[i].text, text) == 0)
			return;
	size_t at = 3;
	while (at > 0 && weight > c->top[at - 1].weight)
		at--;
	if (at == 3)
		return;
	memmove(&c->top[at + 1], &c->top[at], (2 - at) * sizeof c->top[0]);
	snprintf(c->top[at].text, sizeof c->top[at].text, "%s", text);
	c->top[at].weight = weight;
}

/* Appends "; on speculative decoding, draft, tokens" to reason: the
 * paper's terms the model weighed most for it. */
static void
explain_terms(const struct embedding *e, const char *text, const tf_vec *v, char *reason, size_t size)
{
	struct terms_ctx c = { e, v, { { "", 0 }, { "", 0 }, { "", 0 } } };
	if (tf_each_feature(text, on_term, &c) < 0 || !c.top[0].text[0])
		return;
	size_t n = strlen(reason);
	snprintf(reason + n, size - n, "; on %s%s%s%s%s", c.top[0].text, c.top[1].text[0] ? ", " : "", c.top[1].text,
	         c.top[2].text[0] ? ", " : "", c.top[2].text);
}

pw_status
builtin_score(const pw_host *h, pw_instance *inst, struct embedding *e, const pw_record *rec, double *value,
              char *reason, size_t size)
{
	/* One vector of the paper serves the nearest library paper and the
	 * classifier. */
	char *text = pu_paper_text(h, inst, rec);
	float *sims = calloc(e->index.ndocs + 1, sizeof *sims);
	tf_vec v;
	if (!text || !sims || tf_counts_from_text(text, &v) < 0) {
		free(text);
		free(sims);
		return PW_ERROR;
	}
	tf_vec_weigh(&e->df, &v);
	tf_index_query(&e->index, &v, sims);
	embedding_combine(e, sims, value, reason, size);
	if (e->model == MODEL_CLASSIFIER) {
		*value = embedding_probability(lr_margin(&e->lr, &v), *value);
		explain_terms(e, text, &v, reason, size);
	}
	tf_vec_free(&v);
	free(sims);
	free(text);
	return PW_OK;
}
