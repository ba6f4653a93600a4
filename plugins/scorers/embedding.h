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
#define TITLE_KEY_SIZE 512
	char (*library_keys)[TITLE_KEY_SIZE]; /* per profile document: its title's letters and digits */
	int recency, aggregate, remote, ready, fetched_ids;
	int64_t history;
	const char *arxiv_api, *openalex_api, *openalex_key;
	char **ids; /* the profile's arXiv ids and DOIs, looked up in prepare */
	size_t nids;
	/* What the reader does not want: dislikes and the `negative` option,
	 * its arXiv ids looked up like the profile's. */
	profile neg;
	char **neg_ids;
	size_t nneg_ids;
	/* Zotero libraries of the profile ("zotero:users/123"), synced in
	 * prepare through zotero_api or, for zotero:local, zotero_local_api. */
	char **zotero;
	size_t nzotero;
	const char *zotero_key, *zotero_api, *zotero_local_api;
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

/* 1 when a paper of the store or of the day may be the classifier's
 * background: what the reader was shown without asking for it.  A rated
 * paper, or one of the library (by title), is an example of its own. */
int embedding_is_background(const struct embedding *e, const char *id, const char *title);

/* The classifier's value: the logistic of its margin plus a share of the
 * similarity to the library (embedding_combine's value), in [0, 1]. */
double embedding_probability(double margin, double similarity);

/* From similarities to each profile document: the value and the reason. */
void embedding_combine(const struct embedding *e, const float *sims, double *value, char *reason, size_t size);

pw_status builtin_prepare(const pw_host *h, pw_instance *inst, struct embedding *e, const pw_delivery *papers);
pw_status builtin_score(const pw_host *h, pw_instance *inst, struct embedding *e, const pw_record *rec, double *value,
                        char *reason, size_t size);
void builtin_free(struct embedding *e);

/* 1 when item names an arXiv paper ("arXiv:1706.03762", "2401.01234v2",
 * "hep-th/9901001"), with its versionless id in id. */
int profile_arxiv_id(const pw_host *h, pw_instance *inst, const char *item, char *id, size_t size);
/* 1 for an arXiv id (as profile_arxiv_id), 2 for a DOI ("10.1145/abc",
 * "doi:...", "https://doi.org/..."; id lower-cased), else 0. */
int profile_paper_id(const pw_host *h, pw_instance *inst, const char *item, char *id, size_t size);
/* Looks paper ids up (arXiv ids on arXiv, DOIs on OpenAlex; cached in the
 * store), adding them as documents of into.  0, or -1 when a lookup failed
 * (asked again next run); an id nobody knows is a warning, not a failure. */
int profile_fetch_ids(const pw_host *h, pw_instance *inst, const struct embedding *e, char *const *ids, size_t n,
                      profile *into);
/* A cached lookup ("year\ttitle\tabstract") as a document of into.  0 or -1. */
int profile_add_cached(profile *into, const char *cached);
/* One DOI on OpenAlex, cached under cache_key.  0 (found, or unknown: a
 * warning), -1 when it could not be asked (again next run). */
int doi_lookup(const pw_host *h, pw_instance *inst, const struct embedding *e, const char *doi, const char *cache_key,
               profile *into);

/* 1 when item names a Zotero library ("zotero:users/123",
 * "zotero:groups/45/collections/ABCD2345", "zotero:local"), with its path
 * under the API ("/users/123/collections/...") in scope and *local set for
 * the desktop's local API; 0 when item is not a zotero: item; -1 when it is
 * one that does not parse (err says how to write it). */
int zotero_parse(const char *item, char *scope, size_t size, int *local, char *err, size_t err_size);
/* Syncs the library spec names into the store and adds its items to into.
 * A library that cannot be synced is used as the last sync left it (a
 * warning says so); 0, or -1 when it gave nothing at all. */
int zotero_profile(const pw_host *h, pw_instance *inst, const struct embedding *e, const char *spec, profile *into);

#endif
