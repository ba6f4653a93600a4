/* embedding.h: the embedding scorer's parts: its state, the builtin
 * TF-IDF backend, the remote backend and the arXiv lookups of the profile. */
#ifndef PW_EMBEDDING_H
#define PW_EMBEDDING_H

#include <stddef.h>
#include <stdint.h>

#include "paperwire/plugin.h"
#include "embed_model.h"
#include "embed_profile.h"
#include "../common/tfidf.h"

enum { AGG_MAX, AGG_MEAN, AGG_BOTH };

enum { MODEL_CLASSIFIER, MODEL_SIMILARITY };

struct remote;

struct embedding {
	profile prof;
	double *weight; /* per profile document */
	int recency, aggregate, remote, ready, fetched_ids;
	int64_t history;
	const char *arxiv_api;
	char **arxiv_ids;
	size_t nids;
	/* What the reader does not want: dislikes and the `negative` option,
	 * its arXiv ids looked up like the profile's. */
	profile neg;
	char **neg_ids;
	size_t nneg_ids;
	/* Papers the reader rated, never taken as background. */
	char **rated;
	size_t nrated;
	int model; /* MODEL_* */
	/* builtin */
	tf_df df;
	tf_index index; /* the profile's vectors */
	lr_model lr;    /* MODEL_CLASSIFIER: trained in prepare */
	/* remote */
	struct remote *rm;
};

/* From similarities to each profile document: the value and the reason. */
void embedding_combine(const struct embedding *e, const float *sims, double *value, char *reason, size_t size);

pw_status builtin_prepare(const pw_host *h, pw_instance *inst, struct embedding *e, const pw_delivery *papers);
pw_status builtin_score(const pw_host *h, pw_instance *inst, struct embedding *e, const pw_record *rec, double *value,
                        char *reason, size_t size);
void builtin_free(struct embedding *e);

/* 1 when item names an arXiv paper ("arXiv:1706.03762", "2401.01234v2",
 * "hep-th/9901001"), with its versionless id in id. */
int profile_arxiv_id(const pw_host *h, pw_instance *inst, const char *item, char *id, size_t size);
/* Looks arXiv ids up (cached in the store), adding them as documents of
 * into.  0, or -1 when the lookup failed. */
int profile_fetch_arxiv(const pw_host *h, pw_instance *inst, const struct embedding *e, char *const *ids, size_t n,
                        profile *into);

#endif
