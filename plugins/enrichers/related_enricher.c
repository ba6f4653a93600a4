/* related_enricher.c: the "related" enricher (the "related" source is
 * sources/related_source.c): under each selected paper, its k nearest papers from the
 * store's history, by the builtin TF-IDF similarity: no network, no model.
 * The list goes into the "related" field ("2401.01234: Title (0.42)"),
 * which every sink shows under the paper. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/plugin_util.h"
#include "../common/tfidf.h"
#include "../common/bundled.h"
#include "paperwire/plugin.h"

static const pw_option related_enricher_options[] = {
	{ PW_OPTION("k", PW_OPT_INT, "5", 0, "how many related papers to list"), .range = "1..50" },
	{ PW_OPTION("history", PW_OPT_INT, "5000", 0, "how many of the store's most recent papers to search"),
	  .range = "1.." },
	{ PW_OPTION("min_similarity", PW_OPT_NUMBER, "0.1", 0, "leave out papers less similar than this (cosine)"),
	  .range = "0..1" },
	PW_OPTIONS_END
};

struct related {
	int64_t k, history;
	double min_similarity;
	tf_df df;
	tf_index index;
	char **ids, **titles; /* per indexed document */
	size_t n, cap;
	int ready;
};

static void
clear(struct related *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->ids[i]);
		free(r->titles[i]);
	}
	free(r->ids);
	free(r->titles);
	r->ids = r->titles = NULL;
	r->n = r->cap = 0;
	tf_df_free(&r->df);
	tf_index_free(&r->index);
	r->ready = 0;
}

static pw_status
related_enricher_create(const pw_host *h, pw_instance *inst, void **state)
{
	struct related *r = calloc(1, sizeof *r);
	if (!r)
		return PW_ERROR;
	/* The schema's defaults apply: these always get a value. */
	h->config_int(inst, "k", &r->k);
	h->config_int(inst, "history", &r->history);
	h->config_number(inst, "min_similarity", &r->min_similarity);
	*state = r;
	return PW_OK;
}

static void
related_enricher_destroy(const pw_host *h, pw_instance *inst, void *state)
{
	clear(state);
	free(state);
}

struct pass {
	const pw_host *h;
	pw_instance *inst;
	struct related *r;
	int index; /* 0: count frequencies, 1: index vectors */
	int failed;
};

static void
on_history(void *ud, const pw_record *rec)
{
	struct pass *p = ud;
	struct related *r = p->r;
	char *text = pu_paper_text(p->h, p->inst, rec);
	if (!text) {
		p->failed = 1;
		return;
	}
	if (!p->index) {
		if (tf_df_add_text(&r->df, text) < 0)
			p->failed = 1;
	} else if (r->n < r->cap) {
		const char *id = p->h->record_get(p->inst, rec, PW_F_ID),
		           *t = p->h->record_get(p->inst, rec, PW_F_TITLE);
		if (tf_index_add_text(&r->index, &r->df, text) == 0) {
			r->ids[r->n] = strdup(id ? id : "");
			r->titles[r->n++] = strdup(t ? t : "");
		} else {
			p->failed = 1;
		}
	}
	free(text);
}

static pw_status
related_enricher_prepare(const pw_host *h, pw_instance *inst, void *state, const pw_delivery *papers)
{
	struct related *r = state;
	struct pass p = { h, inst, r, 0, 0 };
	clear(r);
	r->cap = (size_t)r->history;
	r->ids = calloc(r->cap + 1, sizeof *r->ids);
	r->titles = calloc(r->cap + 1, sizeof *r->titles);
	if (!r->ids || !r->titles || tf_df_init(&r->df) < 0 || tf_index_init(&r->index) < 0)
		return PW_ERROR;
	/* Two passes over the history: frequencies first, then vectors. */
	if (h->history_each(inst, (size_t)r->history, on_history, &p) != PW_OK || p.failed)
		return PW_ERROR;
	p.index = 1;
	if (h->history_each(inst, (size_t)r->history, on_history, &p) != PW_OK || p.failed)
		return PW_ERROR;
	(void)papers; /* the day's papers are in the history already: the host saved them first */
	r->ready = 1;
	return PW_OK;
}

static pw_status
related_enricher_enrich(const pw_host *h, pw_instance *inst, void *state, pw_record *rec)
{
	struct related *r = state;
	if (!r->ready)
		return PW_ERROR;
	char *text = pu_paper_text(h, inst, rec);
	float *sims = tf_index_query_text(&r->index, &r->df, text);
	free(text);
	if (!sims)
		return PW_ERROR;
	const char *self = h->record_get(inst, rec, PW_F_ID);
	for (int64_t k = 0; k < r->k; k++) {
		size_t best = r->n;
		for (size_t i = 0; i < r->n; i++)
			if (sims[i] >= r->min_similarity && (best == r->n || sims[i] > sims[best]) &&
			    !(self && strcmp(r->ids[i], self) == 0))
				best = i;
		if (best == r->n)
			break;
		char line[1024];
		snprintf(line, sizeof line, "%s: %s (%.2f)", r->ids[best], r->titles[best], sims[best]);
		h->record_add(inst, rec, PW_X_RELATED, line);
		sims[best] = -1;
	}
	free(sims);
	return PW_OK;
}

static const pw_plugin related_enricher_plugin = {
	PW_BUNDLED_PLUGIN("related", PW_KIND_ENRICHER, PW_NO_FLAGS, "0.1.0"),
	.description = "the k most similar papers from the store's history under each paper (TF-IDF, offline)",
	PW_OPTIONS(related_enricher_options),
	PW_BUNDLED_CALLBACKS_PREPARED(related_enricher, enrich),
};

PW_PLUGIN_DEFINE(related_enricher_plugin)
