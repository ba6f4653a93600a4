/* embed_remote.c: vectors from any OpenAI-compatible /v1/embeddings
 * endpoint (Ollama, llama.cpp server, vLLM, TEI, OpenAI), asked in batches
 * through the host's HTTP client (so 429s back off), and cached in the
 * store by paper id, version and model: a re-run or a second digest never
 * pays twice.  The classifier trains the builtin's model on these vectors,
 * with the store's papers whose vectors are cached as the background: it
 * costs no call beyond the day's papers. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "../common/api_json.h"
#include "../common/base64.h"
#include "../common/plugin_util.h"
#include "embed_remote.h"

struct remote {
	const char *endpoint, *model, *api_key;
	int64_t dims, batch;
	char auth[1024];
	size_t dim;    /* length of the vectors seen */
	uint32_t *idx; /* 0 .. dim-1: a vector seen as the model's features */
	float **prof;  /* per profile document, l2-normalised */
	float **neg;   /* per negative document (the classifier's) */
	char **ids;    /* this run's papers: key -> vector */
	float **vecs;
	size_t n;
	size_t next; /* papers are scored in batch order: look here first */
};

int
remote_configure(const pw_host *h, pw_instance *inst, struct embedding *e)
{
	struct remote *r = calloc(1, sizeof *r);
	if (!r)
		return -1;
	e->rm = r;
	r->endpoint = h->config_string(inst, "endpoint");
	r->model = h->config_string(inst, "model");
	r->api_key = h->config_string(inst, "api_key");
	r->batch = 64;
	h->config_int(inst, "batch_size", &r->batch);
	h->config_int(inst, "dimensions", &r->dims);
	if (!r->endpoint || !*r->endpoint) {
		h->log(inst, PW_LOG_ERROR, "backend openai needs \"endpoint\" (a base URL ending in /v1)");
		return -1;
	}
	if (r->api_key && strpbrk(r->api_key, "\r\n")) {
		h->log(inst, PW_LOG_ERROR, "api_key contains a line break");
		return -1;
	}
	if (r->api_key)
		snprintf(r->auth, sizeof r->auth, "Authorization: Bearer %s", r->api_key);
	return 0;
}

static void
clear_run(struct remote *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->ids[i]);
		free(r->vecs[i]);
	}
	free(r->ids);
	free(r->vecs);
	r->ids = NULL;
	r->vecs = NULL;
	r->n = 0;
	r->next = 0;
}

static void
free_vectors(float ***v, size_t n)
{
	for (size_t j = 0; *v && j < n; j++)
		free((*v)[j]);
	free(*v);
	*v = NULL;
}

void
remote_free(struct embedding *e)
{
	struct remote *r = e->rm;
	if (!r)
		return;
	clear_run(r);
	free_vectors(&r->prof, e->prof.count);
	free_vectors(&r->neg, e->neg.count);
	free(r->idx);
	free(r);
	e->rm = NULL;
}

/* Vectors are cached as base64 of little-endian float32. */
static char *
encode_vec(const float *v, size_t dim)
{
	mbuf out = { 0 };
	b64_encode(&out, v, dim * sizeof *v);
	return mbuf_take(&out);
}

static float *
decode_vec(const char *s, size_t *dim)
{
	size_t len = 0;
	unsigned char *bytes = b64_decode(s, &len);
	if (bytes && (len == 0 || len % sizeof(float))) {
		free(bytes);
		return NULL;
	}
	*dim = len / sizeof(float);
	return (float *)(void *)bytes;
}

static void
normalise(float *v, size_t dim)
{
	double n = 0;
	for (size_t i = 0; i < dim; i++)
		n += (double)v[i] * v[i];
	n = sqrt(n);
	for (size_t i = 0; n > 0 && i < dim; i++)
		v[i] = (float)(v[i] / n);
}

/* One POST for texts[0..n); vectors into out[0..n). */
static int
embed_batch(const pw_host *h, pw_instance *inst, struct remote *r, char **texts, size_t n, float **out)
{
	char url[2048];
	snprintf(url, sizeof url, "%s/embeddings", r->endpoint);
	cJSON *req = cJSON_CreateObject();
	cJSON_AddStringToObject(req, "model", r->model);
	cJSON *input = cJSON_AddArrayToObject(req, "input");
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(input, cJSON_CreateString(texts[i]));
	if (r->dims > 0)
		cJSON_AddNumberToObject(req, "dimensions", (double)r->dims);
	int rc = -1;
	cJSON *json = aj_post(h, inst, url, r->auth, req, PW_LOG_ERROR);
	if (!json)
		return -1;
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(json, "data");
	if (!cJSON_IsArray(data) || (size_t)cJSON_GetArraySize(data) != n) {
		h->log(inst, PW_LOG_ERROR, "%s: malformed answer: no \"data\" array with one embedding per input", url);
		goto out;
	}
	const cJSON *item;
	size_t k = 0;
	cJSON_ArrayForEach(item, data) {
		const cJSON *idx = cJSON_GetObjectItemCaseSensitive(item, "index");
		const cJSON *emb = cJSON_GetObjectItemCaseSensitive(item, "embedding");
		size_t at = cJSON_IsNumber(idx) ? (size_t)idx->valuedouble : k;
		size_t dim = cJSON_IsArray(emb) ? (size_t)cJSON_GetArraySize(emb) : 0;
		k++;
		if (at >= n || dim == 0 || (r->dim && dim != r->dim) || out[at]) {
			h->log(inst, PW_LOG_ERROR, "%s: malformed answer: embedding %zu has %zu dimensions", url, at,
			       dim);
			goto out;
		}
		r->dim = dim;
		out[at] = malloc(dim * sizeof **out);
		if (!out[at])
			goto out;
		const cJSON *x;
		size_t d = 0;
		cJSON_ArrayForEach(x, emb)
			out[at][d++] = cJSON_IsNumber(x) ? (float)x->valuedouble : 0.0f;
		normalise(out[at], dim);
	}
	rc = 0;
out:
	cJSON_Delete(json);
	return rc;
}

/* Vectors for texts, from the cache where keys are known, else embedded in
 * batches and cached.  vecs[i] is NULL on failure. */
static int
vectors_for(const pw_host *h, pw_instance *inst, struct remote *r, char **keys, char **texts, size_t n, float **vecs)
{
	char **todo_t = calloc(n + 1, sizeof *todo_t);
	size_t *todo_i = calloc(n + 1, sizeof *todo_i), ntodo = 0;
	float **got = calloc(n + 1, sizeof *got);
	int rc = 0;
	if (!todo_t || !todo_i || !got) {
		rc = -1;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const char *c = h->cache_get(inst, keys[i]);
		size_t dim = 0;
		vecs[i] = c ? decode_vec(c, &dim) : NULL;
		if (vecs[i] && (!r->dim || dim == r->dim)) {
			r->dim = dim;
			continue;
		}
		free(vecs[i]);
		vecs[i] = NULL;
		todo_t[ntodo] = texts[i];
		todo_i[ntodo++] = i;
	}
	for (size_t b = 0; b < ntodo && rc == 0; b += (size_t)r->batch) {
		size_t m = ntodo - b < (size_t)r->batch ? ntodo - b : (size_t)r->batch;
		memset(got, 0, (m + 1) * sizeof *got);
		if (embed_batch(h, inst, r, todo_t + b, m, got) < 0) {
			for (size_t k = 0; k < m; k++)
				free(got[k]);
			rc = -1;
			break;
		}
		for (size_t k = 0; k < m; k++) {
			size_t i = todo_i[b + k];
			vecs[i] = got[k];
			char *enc = encode_vec(got[k], r->dim);
			if (enc)
				h->cache_put(inst, keys[i], enc);
			free(enc);
		}
	}
out:
	free(todo_t);
	free(todo_i);
	free(got);
	return rc;
}

/* The cache key of a paper's vector: model, size, id and version. */
static void
paper_key(const pw_host *h, pw_instance *inst, const struct remote *r, const pw_record *rec, char *key, size_t size)
{
	const char *v = h->record_get(inst, rec, PW_F_VERSION);
	snprintf(key, size, "emb:%s:%lld:paper:%s:v%s", r->model, (long long)r->dims, h->record_get(inst, rec, PW_F_ID),
	         v ? v : "0");
}

/* Vectors of a profile's documents (the library, the negatives), by the
 * hash of their text.  0, or -1 with *out NULL. */
static int
document_vectors(const pw_host *h, pw_instance *inst, struct remote *r, const profile *p, float ***out)
{
	char key[512];
	char **keys = calloc(p->count + 1, sizeof *keys), **texts = calloc(p->count + 1, sizeof *texts);
	*out = calloc(p->count + 1, sizeof **out);
	int ok = keys && texts && *out;
	for (size_t j = 0; ok && j < p->count; j++) {
		snprintf(key, sizeof key, "emb:%s:%lld:text:%016llx", r->model, (long long)r->dims,
		         (unsigned long long)pu_fnv64(p->docs[j].text));
		ok = (keys[j] = strdup(key)) != NULL;
		texts[j] = p->docs[j].text;
	}
	ok = ok && vectors_for(h, inst, r, keys, texts, p->count, *out) == 0;
	for (size_t j = 0; keys && j < p->count; j++)
		free(keys[j]);
	free(keys);
	free(texts);
	if (!ok)
		free_vectors(out, p->count);
	return ok ? 0 : -1;
}

/* ---- the classifier on the endpoint's vectors ---- */

struct background {
	const pw_host *h;
	pw_instance *inst;
	const struct embedding *e;
	const struct remote *r;
	const float **v;
	float **owned; /* the vectors read from the cache here */
	size_t n, nowned, cap;
	int failed;
};

static void
add_background(struct background *b, const float *v, int owned)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 256;
		const float **grown = realloc(b->v, cap * sizeof *grown);
		float **grown_owned = grown ? realloc(b->owned, cap * sizeof *grown_owned) : NULL;
		if (grown)
			b->v = grown;
		if (!grown_owned) {
			b->failed = 1;
			if (owned)
				free((float *)v);
			return;
		}
		b->owned = grown_owned;
		b->cap = cap;
	}
	b->v[b->n++] = v;
	if (owned)
		b->owned[b->nowned++] = (float *)v;
}

/* A paper of the store: background when its vector is in the cache. */
static void
on_stored(void *ud, const pw_record *rec)
{
	struct background *b = ud;
	char key[512];
	size_t dim = 0;
	if (!embedding_is_background(b->e, b->h->record_get(b->inst, rec, PW_F_ID),
	                             b->h->record_get(b->inst, rec, PW_F_TITLE)))
		return;
	paper_key(b->h, b->inst, b->r, rec, key, sizeof key);
	const char *cached = b->h->cache_get(b->inst, key);
	float *v = cached ? decode_vec(cached, &dim) : NULL;
	if (v && dim == b->r->dim)
		add_background(b, v, 1);
	else
		free(v);
}

static int
remote_train(const pw_host *h, pw_instance *inst, struct embedding *e, const pw_delivery *papers)
{
	struct remote *r = e->rm;
	struct background b = { h, inst, e, r, NULL, NULL, 0, 0, 0, 0 };
	if (e->history > 0 && h->history_each(inst, (size_t)e->history, on_stored, &b) != PW_OK)
		h->log(inst, PW_LOG_WARNING, "could not read the store's history; the day's papers are the background");
	/* A store with no vectors yet (a first run): the day's own papers. */
	for (size_t i = 0; b.n == 0 && i < r->n; i++) {
		const pw_record *rec = h->delivery_record(inst, papers, i);
		if (embedding_is_background(e, h->record_get(inst, rec, PW_F_ID), h->record_get(inst, rec, PW_F_TITLE)))
			add_background(&b, r->vecs[i], 0);
	}
	size_t np = e->prof.count, nn = e->neg.count, n = np + nn + b.n;
	tf_vec *views = calloc(n + 1, sizeof *views);
	lr_example *ex = calloc(n + 1, sizeof *ex);
	int rc = -1;
	if (!b.failed && views && ex && (r->idx || (r->idx = malloc((r->dim + 1) * sizeof *r->idx)) != NULL)) {
		for (size_t d = 0; d < r->dim; d++)
			r->idx[d] = (uint32_t)d;
		for (size_t i = 0; i < n; i++) {
			const float *v = i < np ? r->prof[i] : i < np + nn ? r->neg[i - np] : b.v[i - np - nn];
			views[i] = (tf_vec){ r->idx, (float *)v, r->dim };
			ex[i] = (lr_example){ &views[i], i < np ? 1 : -1,
				              i < np ? (e->weight ? e->weight[i] : 1) : LR_DISLIKE_WEIGHT };
		}
		double seconds;
		lr_free(&e->lr);
		rc = lr_train_balanced(&e->lr, ex, n, np, np + nn, &seconds);
		h->log(inst, PW_LOG_DEBUG,
		       "classifier: trained on %zu library papers, %zu disliked, %zu background in %.2f s", np, nn, b.n,
		       seconds);
	}
	for (size_t i = 0; i < b.nowned; i++)
		free(b.owned[i]);
	free(b.owned);
	free(b.v);
	free(views);
	free(ex);
	return rc;
}

pw_status
remote_prepare(const pw_host *h, pw_instance *inst, struct embedding *e, const pw_delivery *papers)
{
	struct remote *r = e->rm;
	size_t n = h->delivery_count(inst, papers);
	char key[512];
	pw_status st = PW_ERROR;
	int classifier = e->model == MODEL_CLASSIFIER;
	e->ready = 0;
	clear_run(r);
	if (!r->prof && document_vectors(h, inst, r, &e->prof, &r->prof) < 0)
		return PW_ERROR;
	if (classifier && !r->neg && document_vectors(h, inst, r, &e->neg, &r->neg) < 0)
		return PW_ERROR;
	char **texts = calloc(n + 1, sizeof *texts);
	r->ids = calloc(n + 1, sizeof *r->ids);
	r->vecs = calloc(n + 1, sizeof *r->vecs);
	if (!texts || !r->ids || !r->vecs)
		goto out;
	for (size_t i = 0; i < n; i++) {
		const pw_record *rec = h->delivery_record(inst, papers, i);
		paper_key(h, inst, r, rec, key, sizeof key);
		r->ids[i] = strdup(key);
		texts[i] = pu_paper_text(h, inst, rec);
		r->n++;
	}
	/* The model is trained on the first batch of a run (the host hands an
	 * expensive scorer its papers in bounded batches) and kept. */
	if (vectors_for(h, inst, r, r->ids, texts, n, r->vecs) == 0 &&
	    (!classifier || e->lr.w || remote_train(h, inst, e, papers) == 0)) {
		e->ready = 1;
		st = PW_OK;
	}
out:
	for (size_t i = 0; texts && i < n; i++)
		free(texts[i]);
	free(texts);
	return st;
}

pw_status
remote_score(const pw_host *h, pw_instance *inst, struct embedding *e, const pw_record *rec, double *value,
             char *reason, size_t size)
{
	struct remote *r = e->rm;
	char key[512];
	paper_key(h, inst, r, rec, key, sizeof key);
	const float *x = NULL;
	if (r->next < r->n && strcmp(r->ids[r->next], key) == 0)
		x = r->vecs[r->next++];
	for (size_t i = 0; i < r->n && !x; i++)
		if (strcmp(r->ids[i], key) == 0)
			x = r->vecs[i];
	if (!x)
		return PW_ERROR;
	float *sims = calloc(e->prof.count + 1, sizeof *sims);
	if (!sims)
		return PW_ERROR;
	for (size_t j = 0; j < e->prof.count; j++) {
		double s = 0;
		for (size_t d = 0; d < r->dim; d++)
			s += (double)x[d] * r->prof[j][d];
		sims[j] = (float)s;
	}
	embedding_combine(e, sims, value, reason, size);
	if (e->model == MODEL_CLASSIFIER) {
		tf_vec view = { r->idx, (float *)x, r->dim };
		*value = embedding_probability(lr_margin(&e->lr, &view), *value);
	}
	free(sims);
	return PW_OK;
}
