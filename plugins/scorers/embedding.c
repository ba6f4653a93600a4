/* embedding.c: ranks papers by how much they look like the reader's own
 * library.  backend "builtin": hashed TF-IDF vectors (tfidf.c), no network,
 * no model; document frequencies from the profile, the store's history and
 * the day's papers.  backend "openai": any OpenAI-compatible /v1/embeddings
 * endpoint (embed_remote.c), vectors cached in the store.
 *
 * method "classifier" (the default, either backend): a logistic regression
 * (embed_model.c) trained each run on the library and likes against the
 * dislikes and the store's recent papers; the value is how likely a paper
 * belongs with the library, in [0, 1].  method "similarity": a cosine in
 * [0, 1] (by default the average of the best match and the mean over the
 * library).  Both are absolute scales: a paper scores the same on a quiet
 * day and a busy one, so min_score keeps its meaning.  The reason names the
 * nearest library paper: "like \"Attention Is All You Need\" (similarity
 * 0.62)". */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embed_remote.h"
#include "embedding.h"
#include "../common/bundled.h"
#include "paperwire/plugin.h"

static const pw_option embedding_options[] = {
	{ PW_OPTION("profile", PW_OPT_STRING_LIST, NULL, 1,
	            "the library: .bib (BibTeX), .json (CSL-JSON) or text files, arXiv ids (\"arXiv:1706.03762\"), "
	            "DOIs (\"doi:10.1145/...\") and "
	            "Zotero libraries (\"zotero:users/ID\", \"zotero:groups/ID\", \"zotero:local\", each optionally "
	            "followed by \"/collections/KEY\")") },
	{ PW_OPTION("backend", PW_OPT_STRING, "builtin", 0, "builtin (TF-IDF, no network) or openai (/v1/embeddings)"),
	  .choices = "builtin|openai" },
	{ PW_OPTION("method", PW_OPT_STRING, "classifier", 0,
	            "classifier (learns the library and likes against dislikes and the store's recent papers; the "
	            "value is how likely a paper belongs with the library) or similarity (cosine to the nearest and "
	            "to all library papers)"),
	  .choices = "classifier|similarity" },
	{ PW_OPTION("negative", PW_OPT_STRING_LIST, NULL, 0,
	            "papers you do not want, in the formats of profile (files, arXiv ids, DOIs): read as dislikes") },
	{ PW_OPTION("aggregate", PW_OPT_STRING, "both", 0,
	            "max (the nearest library paper), mean (the whole library), or both (their average)"),
	  .choices = "max|mean|both" },
	{ PW_OPTION("recency", PW_OPT_BOOL, "false", 0,
	            "weight newer library items more: 1/(1+log10(rank+1)), rank 0 the newest by year") },
	{ PW_OPTION("history", PW_OPT_INT, "2000", 0,
	            "recent papers of the store read: the builtin's document frequencies and the classifier's "
	            "background"),
	  .range = "0.." },
	{ PW_OPTION("zotero_key", PW_OPT_STRING, NULL, 0,
	            "the Zotero API key of zotero: profile items; write \"${ZOTERO_API_KEY}\" (not needed for public "
	            "libraries and zotero:local)") },
	{ PW_OPTION("zotero_api", PW_OPT_STRING, "https://api.zotero.org", 0, "the Zotero Web API (v3)") },
	{ PW_OPTION("zotero_local_api", PW_OPT_STRING, "http://localhost:23119/api", 0,
	            "the Zotero desktop's local API, for zotero:local") },
	{ PW_OPTION("arxiv_api", PW_OPT_STRING, "https://export.arxiv.org/api/query", 0,
	            "where arXiv ids of the profile, the negatives and the ratings are looked up") },
	{ PW_OPTION("openalex_api", PW_OPT_STRING, "https://api.openalex.org", 0,
	            "where DOIs of the profile, the negatives and the ratings are looked up") },
	{ PW_OPTION("openalex_key", PW_OPT_STRING, NULL, 0,
	            "the OpenAlex API key for DOI lookups (one lookup is free with a key); write "
	            "\"${OPENALEX_API_KEY}\"") },
	{ PW_OPTION("endpoint", PW_OPT_STRING, NULL, 0,
	            "openai: the base URL ending in /v1, e.g. http://localhost:11434/v1") },
	{ PW_OPTION("model", PW_OPT_STRING, "text-embedding-3-small", 0, "openai: the embedding model") },
	{ PW_OPTION("api_key", PW_OPT_STRING, NULL, 0, "openai: sent as a bearer token; write \"${OPENAI_API_KEY}\"") },
	{ PW_OPTION("dimensions", PW_OPT_INT, NULL, 0,
	            "openai: ask the model for vectors of this size (0: the model's own)"),
	  .range = "0.." },
	{ PW_OPTION("batch_size", PW_OPT_INT, "64", 0, "openai: texts per request"), .range = "1..2048" },
	PW_OPTIONS_END
};

static void
free_ids(char **ids, size_t n)
{
	for (size_t i = 0; ids && i < n; i++)
		free(ids[i]);
	free(ids);
}

/* Appends a copy of id to *ids.  0 or -1. */
static int
push_id(char ***ids, size_t *n, const char *id)
{
	char **grown = realloc(*ids, (*n + 2) * sizeof *grown);
	if (!grown)
		return -1;
	*ids = grown;
	if (!(grown[*n] = strdup(id)))
		return -1;
	grown[++*n] = NULL;
	return 0;
}

static void
embedding_free(struct embedding *e)
{
	if (!e)
		return;
	builtin_free(e);
	remote_free(e);
	profile_free(&e->prof);
	profile_free(&e->neg);
	free_ids(e->ids, e->nids);
	free_ids(e->neg_ids, e->nneg_ids);
	free_ids(e->rated, e->nrated);
	free_ids(e->zotero, e->nzotero);
	free(e->weight);
	free(e->library_keys);
	free(e);
}

static pw_status
embedding_create(const pw_host *h, pw_instance *inst, void **state)
{
	struct embedding *e = calloc(1, sizeof *e);
	char err[1024];
	if (!e)
		return PW_ERROR;
	const char *backend = h->config_string(inst, "backend");
	const char *agg = h->config_string(inst, "aggregate");
	e->remote = strcmp(backend, "openai") == 0;
	const char *method = h->config_string(inst, "method");
	e->model = strcmp(method, "similarity") == 0 ? MODEL_SIMILARITY : MODEL_CLASSIFIER;
	e->aggregate = agg[0] == 'm' ? (agg[1] == 'a' ? AGG_MAX : AGG_MEAN) : AGG_BOTH;
	h->config_bool(inst, "recency", &e->recency);
	e->history = 2000;
	h->config_int(inst, "history", &e->history);
	e->arxiv_api = h->config_string(inst, "arxiv_api");
	e->openalex_api = h->config_string(inst, "openalex_api");
	e->openalex_key = h->config_string(inst, "openalex_key");
	e->zotero_key = h->config_string(inst, "zotero_key");
	e->zotero_api = h->config_string(inst, "zotero_api");
	e->zotero_local_api = h->config_string(inst, "zotero_local_api");
	size_t n = h->config_list_count(inst, "profile");
	/* An item that cannot be read costs that item, not the library: a
	 * warning, and the rest is used.  Only a profile left empty is an error. */
	size_t unreadable = 0;
	for (size_t i = 0; i < n; i++) {
		const char *item = h->config_list_at(inst, "profile", i);
		char id[128], scope[128];
		int local;
		if (profile_paper_id(h, inst, item, id, sizeof id)) {
			if (push_id(&e->ids, &e->nids, id) < 0)
				goto fail;
			continue;
		}
		switch (zotero_parse(item, scope, sizeof scope, &local, err, sizeof err)) {
		case 1:
			if (push_id(&e->zotero, &e->nzotero, item) < 0)
				goto fail;
			continue;
		case -1: h->log(inst, PW_LOG_ERROR, "profile[%zu]: %s", i, err); goto config_error;
		default: break;
		}
		char note[1024];
		int got = profile_load_file(&e->prof, item, err, sizeof err, note, sizeof note);
		if (got < 0) {
			h->log(inst, PW_LOG_WARNING, "profile[%zu]: %s; the rest of the profile is used", i, err);
			unreadable++;
			continue;
		}
		if (note[0])
			h->log(inst, PW_LOG_WARNING, "profile: %s", note);
		if (got == 0)
			h->log(inst, PW_LOG_WARNING, "profile: %s has no paper with a title", item);
	}
	if (e->prof.count == 0 && e->nids == 0 && e->nzotero == 0) {
		h->log(inst, PW_LOG_ERROR, "profile: empty: nothing to compare papers with%s",
		       unreadable ? " (no item of it could be read)" : "");
		goto config_error;
	}
	for (size_t i = 0; i < h->config_list_count(inst, "negative"); i++) {
		const char *item = h->config_list_at(inst, "negative", i);
		char id[128], note[1024];
		if (profile_paper_id(h, inst, item, id, sizeof id)) {
			if (push_id(&e->neg_ids, &e->nneg_ids, id) < 0)
				goto fail;
		} else if (profile_load_file(&e->neg, item, err, sizeof err, note, sizeof note) < 0) {
			h->log(inst, PW_LOG_WARNING, "negative[%zu]: %s; the rest is used", i, err);
		}
	}
	if (e->remote && remote_configure(h, inst, e) < 0)
		goto config_error;
	*state = e;
	return PW_OK;
config_error:
	embedding_free(e);
	return PW_CONFIG_ERROR;
fail:
	embedding_free(e);
	return PW_ERROR;
}

static void
embedding_destroy(const pw_host *h, pw_instance *inst, void *state)
{
	embedding_free(state);
}

/* A title reduced to its lower-case letters and digits, so that a library
 * entry ("Fast Inference from Transformers via {Speculative} Decoding")
 * and the stored paper meet. */
static void
title_key(const char *title, char *key)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)(title ? title : ""); *p && n + 1 < TITLE_KEY_SIZE; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p >= 0x80)
			key[n++] = (char)*p;
		else if (*p >= 'A' && *p <= 'Z')
			key[n++] = (char)(*p - 'A' + 'a');
	key[n] = '\0';
}

int
embedding_is_background(const struct embedding *e, const char *id, const char *title)
{
	for (size_t i = 0; id && i < e->nrated; i++)
		if (strcmp(e->rated[i], id) == 0)
			return 0;
	char key[TITLE_KEY_SIZE];
	title_key(title, key);
	for (size_t j = 0; key[0] && e->library_keys && j < e->prof.count; j++)
		if (strcmp(key, e->library_keys[j]) == 0)
			return 0;
	return 1;
}

/* Recency: 1/(1+log10(rank+1)) with rank 0 the newest; else all 1.  And
 * the library's title keys, once the profile is complete. */
static int
set_weights(struct embedding *e)
{
	free(e->library_keys);
	e->library_keys = calloc(e->prof.count + 1, sizeof *e->library_keys);
	if (!e->library_keys)
		return -1;
	free(e->weight);
	e->weight = malloc((e->prof.count + 1) * sizeof *e->weight);
	if (!e->weight)
		return -1;
	if (e->recency)
		profile_sort_newest_first(&e->prof);
	for (size_t j = 0; j < e->prof.count; j++) {
		e->weight[j] = e->recency ? 1.0 / (1.0 + log10((double)j + 1.0)) : 1.0;
		title_key(e->prof.docs[j].title, e->library_keys[j]);
	}
	return 0;
}

struct ratings_ctx {
	const pw_host *h;
	pw_instance *inst;
	struct embedding *e;
	size_t likes, dislikes, lookups;
	int failed;
};

/* A like is a library paper, a dislike a negative; a paper the store does
 * not hold yet is looked up on arXiv with the profile's ids when it has an
 * arXiv id, else waits for a run that fetches it. */
static void
on_rating(void *ud, const char *id, int rating, int64_t rated_at, const pw_record *rec)
{
	struct ratings_ctx *c = ud;
	struct embedding *e = c->e;
	char canonical[256];
	(void)rated_at;
	if (push_id(&e->rated, &e->nrated, id) < 0) {
		c->failed = 1;
		return;
	}
	*(rating > 0 ? &c->likes : &c->dislikes) += 1;
	profile *into = rating > 0 ? &e->prof : &e->neg;
	if (rec) {
		const char *title = c->h->record_get(c->inst, rec, PW_F_TITLE);
		const char *abstract = c->h->record_get(c->inst, rec, PW_F_ABSTRACT);
		if (title && profile_add(into, title, abstract ? abstract : "", 0) < 0)
			c->failed = 1;
	} else if (profile_paper_id(c->h, c->inst, id, canonical, sizeof canonical)) {
		int pushed = rating > 0 ? push_id(&e->ids, &e->nids, canonical)
		                        : push_id(&e->neg_ids, &e->nneg_ids, canonical);
		c->failed |= pushed < 0;
		c->lookups++;
	}
}

static int
read_ratings(const pw_host *h, pw_instance *inst, struct embedding *e)
{
	struct ratings_ctx c = { h, inst, e, 0, 0, 0, 0 };
	if (!PW_HOST_HAS(h, ratings_each) || h->ratings_each(inst, on_rating, &c) != PW_OK)
		return 0; /* an older host, or a check: the profile alone */
	if (c.failed)
		return -1;
	if (c.likes || c.dislikes)
		h->log(inst, PW_LOG_INFO,
		       "ratings: %zu like%s, %zu dislike%s (%zu not in the store, looked up on arXiv or OpenAlex)",
		       c.likes, c.likes == 1 ? "" : "s", c.dislikes, c.dislikes == 1 ? "" : "s", c.lookups);
	return 0;
}

static pw_status
embedding_prepare(const pw_host *h, pw_instance *inst, void *state, const pw_delivery *papers)
{
	struct embedding *e = state;
	if (!e->fetched_ids) {
		/* Once a run: the arXiv ids and Zotero libraries of the profile
		 * become documents.  Ids arXiv could not be asked for and
		 * libraries that cannot be synced cost themselves, not the library
		 * (they are asked for again next run); with nothing else in the
		 * profile the scorer cannot work, and says so. */
		if (read_ratings(h, inst, e) < 0)
			return PW_ERROR;
		size_t zotero_unread = 0;
		for (size_t i = 0; i < e->nzotero; i++)
			zotero_unread += zotero_profile(h, inst, e, e->zotero[i], &e->prof) < 0;
		int looked_up = profile_fetch_ids(h, inst, e, e->ids, e->nids, &e->prof) == 0;
		if (e->nneg_ids && profile_fetch_ids(h, inst, e, e->neg_ids, e->nneg_ids, &e->neg) < 0)
			h->log(inst, PW_LOG_WARNING,
			       "negative: some paper ids could not be looked up (asked again next run)");
		e->fetched_ids = 1;
		if (!looked_up && e->prof.count == 0) {
			h->log(inst, PW_LOG_ERROR,
			       "profile: its %zu arXiv ids and DOIs could not be looked up and it holds nothing "
			       "else: no paper can be scored this run",
			       e->nids);
			return PW_RETRY;
		}
		if (zotero_unread && e->prof.count == 0) {
			h->log(inst, PW_LOG_ERROR,
			       "profile: %zu of its Zotero libraries could not be read and it holds nothing else: no "
			       "paper can be scored this run",
			       zotero_unread);
			return PW_RETRY;
		}
		if (!looked_up)
			h->log(inst, PW_LOG_WARNING,
			       "profile: some of its %zu arXiv ids and DOIs could not be looked up (asked "
			       "again next run); scoring with the %zu library papers at hand",
			       e->nids, e->prof.count);
		else if (e->prof.count == 0) {
			h->log(inst, PW_LOG_ERROR,
			       "profile: empty after looking up its arXiv ids and DOIs (nobody knows them) and Zotero "
			       "libraries (they hold no paper)");
			return PW_ERROR;
		}
		if (set_weights(e) < 0)
			return PW_ERROR;
	}
	if (e->prof.count == 0)
		return PW_RETRY; /* said above, once */
	return e->remote ? remote_prepare(h, inst, e, papers) : builtin_prepare(h, inst, e, papers);
}

/* How much the similarity to the library counts in the classifier's
 * margin.  The linear model alone moves little when a few likes join
 * twenty library papers; the similarity treats each library paper, liked
 * ones included, on its own, so a paper close to one of them counts even
 * where the model is unsure.  2 measured best on the bench's feedback
 * protocol (1: +0.027, 2: +0.031, 3: +0.034 MAP after ten ratings, with
 * the first ranking's MAP 0.552, 0.552, 0.551). */
#define SIMILARITY_IN_MARGIN 2.0

double
embedding_probability(double margin, double similarity)
{
	double z = margin + SIMILARITY_IN_MARGIN * similarity;
	return z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z));
}

void
embedding_combine(const struct embedding *e, const float *sims, double *value, char *reason, size_t size)
{
	double best = -1, sum = 0, wsum = 0;
	size_t arg = 0;
	for (size_t j = 0; j < e->prof.count; j++) {
		double s = sims[j] < 0 ? 0 : sims[j];
		double ws = e->weight[j] * s;
		if (ws > best) {
			best = ws;
			arg = j;
		}
		sum += ws;
		wsum += e->weight[j];
	}
	double mean = wsum > 0 ? sum / wsum : 0;
	*value = e->aggregate == AGG_MAX ? best : (e->aggregate == AGG_MEAN ? mean : (best + mean) / 2);
	if (*value < 0)
		*value = 0;
	snprintf(reason, size, "like \"%s\" (similarity %.2f)", e->prof.count ? e->prof.docs[arg].title : "",
	         best < 0 ? 0 : best);
}

static pw_status
embedding_score(const pw_host *h, pw_instance *inst, void *state, const pw_record *rec, double *value, int *veto,
                char *reason, size_t reason_size)
{
	struct embedding *e = state;
	if (!e->ready)
		return PW_ERROR;
	return e->remote ? remote_score(h, inst, e, rec, value, reason, reason_size)
	                 : builtin_score(h, inst, e, rec, value, reason, reason_size);
}

static const pw_plugin embedding_plugin = {
	PW_BUNDLED_PLUGIN("embedding", PW_KIND_SCORER, PW_PLUGIN_EXPENSIVE, "0.1.0"),
	.description = "similarity to your own library: TF-IDF or remote embeddings",
	PW_OPTIONS(embedding_options),
	PW_BUNDLED_CALLBACKS_PREPARED(embedding, score),
};

PW_PLUGIN_DEFINE(embedding_plugin)
