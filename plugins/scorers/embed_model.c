/* embed_model.c: see embed_model.h.  SGD as Bottou describes it for
 * L2-regularised linear models: the step shrinks as 1/(1 + lambda t), the
 * penalty is applied to a scale factor rather than to a million weights
 * at each step, and the bias is not penalised.  Written here rather than
 * taken from liblinear: the vectors are already our sparse hashed ones,
 * training is a few dozen lines, and packagers get no new dependency. */
#include "embed_model.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#define LR_MIN_STEPS 20000

static double
logistic(double z)
{
	return z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z));
}

static double
dot_scaled(const float *v, double scale, const tf_vec *x)
{
	double s = 0;
	for (size_t k = 0; k < x->n; k++)
		s += (double)v[x->idx[k]] * x->val[k];
	return s * scale;
}

/* A fixed permutation per epoch (xorshift), so two runs train alike. */
static void
shuffle(size_t *order, size_t n, uint64_t *state)
{
	for (size_t i = n; i > 1; i--) {
		*state ^= *state << 13;
		*state ^= *state >> 7;
		*state ^= *state << 17;
		size_t j = (size_t)(*state % i);
		size_t t = order[i - 1];
		order[i - 1] = order[j];
		order[j] = t;
	}
}

int
lr_train(lr_model *m, const lr_example *ex, size_t n, double lambda, int epochs)
{
	m->bias = 0;
	m->w = calloc(TFIDF_BUCKETS, sizeof *m->w);
	size_t *order = malloc((n + 1) * sizeof *order);
	if (!m->w || !order) {
		free(order);
		lr_free(m);
		return -1;
	}
	/* The examples' weights averaged to one, so lambda means the same for a
	 * library of ten and of a thousand. */
	double total = 0;
	for (size_t i = 0; i < n; i++) {
		order[i] = i;
		total += ex[i].weight;
	}
	double norm = total > 0 ? (double)n / total : 1;
	uint64_t state = 0x9e3779b97f4a7c15u;
	double scale = 1;
	/* Steps 1/(lambda (t + t0)): large at first, then small enough that the
	 * weights settle at the penalised optimum rather than where the last
	 * example left them.  At least LR_MIN_STEPS of them however small the
	 * training set. */
	double t0 = 1 / lambda;
	size_t steps = (size_t)epochs * n, t = 0;
	if (steps < LR_MIN_STEPS)
		steps = LR_MIN_STEPS;
	while (n && t < steps) {
		shuffle(order, n, &state);
		for (size_t k = 0; k < n && t < steps; k++, t++) {
			const lr_example *e = &ex[order[k]];
			double eta = 1 / (lambda * ((double)t + t0));
			double z = dot_scaled(m->w, scale, e->x) + m->bias;
			/* d/dz of weight * log(1 + exp(-y z)) */
			double g = -e->y * e->weight * norm * logistic(-e->y * z);
			scale *= 1 - eta * lambda;
			if (scale < 1e-6) {
				for (size_t b = 0; b < TFIDF_BUCKETS; b++)
					m->w[b] = (float)(m->w[b] * scale);
				scale = 1;
			}
			for (size_t f = 0; f < e->x->n; f++)
				m->w[e->x->idx[f]] -= (float)(eta * g * e->x->val[f] / scale);
			m->bias -= eta * g;
		}
	}
	for (size_t b = 0; b < TFIDF_BUCKETS; b++)
		m->w[b] = (float)(m->w[b] * scale);
	free(order);
	return 0;
}

static double
seconds_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int
lr_train_balanced(lr_model *m, lr_example *ex, size_t n, size_t positives, size_t first_background, double *seconds)
{
	double started = seconds_now();
	double library = 0;
	for (size_t i = 0; i < positives; i++)
		library += ex[i].weight;
	size_t background = n - first_background;
	for (size_t i = first_background; i < n; i++)
		ex[i].weight = library / (double)background;
	int rc = lr_train(m, ex, n, LR_LAMBDA, LR_EPOCHS);
	*seconds = seconds_now() - started;
	return rc;
}

double
lr_margin(const lr_model *m, const tf_vec *x)
{
	return dot_scaled(m->w, 1, x) + m->bias;
}

void
lr_free(lr_model *m)
{
	free(m->w);
	m->w = NULL;
	m->bias = 0;
}
