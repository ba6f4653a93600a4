/* tfidf.h: hashed TF-IDF vectors over titles and abstracts: unigrams and
 * bigrams of folded words without stop words, sublinear tf, smoothed idf,
 * l2-normalised; features hashed into a fixed number of buckets so that
 * memory stays bounded whatever the vocabulary. */
#ifndef PW_TFIDF_H
#define PW_TFIDF_H

#include <stddef.h>
#include <stdint.h>

#define TFIDF_BUCKETS (1u << 20)

/* Sparse vector, indices ascending: a document's distinct features with
 * how often each occurs (tf_counts_from_text), then its l2-normalised
 * TF-IDF weights (tf_vec_weigh, in place). */
typedef struct tf_vec {
	uint32_t *idx;
	float *val;
	size_t n;
} tf_vec;

/* Document frequencies per bucket. */
typedef struct tf_df {
	uint32_t *df; /* TFIDF_BUCKETS counters */
	uint32_t ndocs;
	/* Features in fewer documents than this weigh 0 in tf_vec_weigh, as
	 * scikit-learn's min_df drops them; tf_df_init sets 1 (keep all). */
	uint32_t min_df;
} tf_df;

/* Calls fn for each feature of text in order: a kept word (w2 NULL) and
 * each pair of consecutive kept words (w1 w2), with its bucket; the words
 * are folded (lower case, no accents) and not NUL-terminated.  0 or -1
 * (no memory). */
typedef void (*tf_feature_fn)(void *ud, const char *w1, size_t l1, const char *w2, size_t l2, uint32_t bucket);
int tf_each_feature(const char *text, tf_feature_fn fn, void *ud);
/* The features of text and their counts; 0 or -1 (no memory). */
int tf_counts_from_text(const char *text, tf_vec *out);

int tf_df_init(tf_df *df);
void tf_df_add(tf_df *df, const tf_vec *counts);
void tf_df_free(tf_df *df);

/* Counts to sublinear tf x idf weights, l2-normalised, in place. */
void tf_vec_weigh(const tf_df *df, tf_vec *v);
void tf_vec_free(tf_vec *v);
float tf_vec_dot(const tf_vec *a, const tf_vec *b);

/* An inverted index of vectors (documents 0, 1, ...), so that the
 * similarity of a query to every document costs the postings of the
 * query's own features, not a pass over all documents. */
struct tf_posting {
	uint32_t doc;
	float w;
	int32_t next;
};

typedef struct tf_index {
	int32_t *heads; /* TFIDF_BUCKETS entries, -1 = none */
	struct tf_posting *post;
	size_t npost, cap, ndocs;
} tf_index;

int tf_index_init(tf_index *ix);
/* Adds v as document ix->ndocs.  0 or -1. */
int tf_index_add(tf_index *ix, const tf_vec *v);
/* sims[0..ndocs) += dot products of q with every document. */
void tf_index_query(const tf_index *ix, const tf_vec *q, float *sims);
void tf_index_free(tf_index *ix);

/* The same steps from a text (NULL fails): its document counted in df;
 * its vector under df added to ix as the next document; its similarity
 * under df to every document of ix, in a calloc'd array of ix->ndocs + 1
 * (NULL when out of memory).  The two first return 0 or -1. */
int tf_df_add_text(tf_df *df, const char *text);
int tf_index_add_text(tf_index *ix, const tf_df *df, const char *text);
float *tf_index_query_text(const tf_index *ix, const tf_df *df, const char *text);

/* 1 for English stop words ("the", "we", "of", ...). */
int tf_is_stop_word(const char *w, size_t len);

#endif
