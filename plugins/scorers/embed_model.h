/* embed_model.h: the embedding scorer's learned model: L2-regularised
 * logistic regression over hashed TF-IDF vectors, trained on every run
 * from the reader's library and likes (positives) against their dislikes
 * and the store's recent papers (negatives), as arxiv-sanity-lite trains
 * its SVM.  Its output is a probability: how likely a paper belongs with
 * the library, classes weighed as equally likely. */
#ifndef PW_EMBED_MODEL_H
#define PW_EMBED_MODEL_H

#include <stddef.h>

#include "../common/tfidf.h"

typedef struct lr_example {
	const tf_vec *x; /* l2-normalised */
	int y;           /* +1 library, -1 not */
	double weight;   /* how much this example counts */
} lr_example;

typedef struct lr_model {
	float *w; /* TFIDF_BUCKETS weights */
	double bias;
} lr_model;

/* Trains m (its weights allocated here) on n examples: epochs passes of
 * stochastic gradient descent in a fixed shuffled order, so a run is
 * repeatable.  lambda: the L2 penalty.  0, or -1 when out of memory. */
int lr_train(lr_model *m, const lr_example *ex, size_t n, double lambda, int epochs);
/* The L2 penalty and the passes the embedding scorer trains with: enough
 * to separate a library from the background without memorising either
 * (the unit tests and scripts/bench hold it to that). */
#define LR_LAMBDA 1e-3
#define LR_EPOCHS 20
/* A dislike weighs this many library papers: the reader said so. */
#define LR_DISLIKE_WEIGHT 2.0

/* Trains m on ex[0..n): the library's examples first (positives of them,
 * weighed), then the dislikes (weighed), then the background from
 * first_background on, whose weights are set here so that the background
 * as a whole weighs what the library weighs, as arxiv-sanity-lite's
 * class_weight='balanced': the scale then means the same for a library of
 * 10 or of 1,000.  0 or -1; *seconds: how long the training took. */
int lr_train_balanced(lr_model *m, lr_example *ex, size_t n, size_t positives, size_t first_background,
                      double *seconds);

/* w.x + b: the classifier's margin (embedding_probability makes it a
 * value in [0, 1]). */
double lr_margin(const lr_model *m, const tf_vec *x);
void lr_free(lr_model *m);

#endif
