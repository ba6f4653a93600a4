/* embed_builtin.c: the builtin backend.  prepare() counts document
 * frequencies over the profile, the store's recent history and the day's
 * papers, then indexes the profile's vectors by feature, so that scoring a
 * paper costs the postings of its own features, not a pass over the
 * whole library. */
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
}

static int
count_record(tf_df *df, const pw_host *h, pw_instance *inst, const pw_record *rec)
{
	char *text = pu_paper_text(h, inst, rec);
	int rc = tf_df_add_text(df, text);
	free(text);
	return rc;
}

struct history_ctx {
	const pw_host *h;
	pw_instance *inst;
	tf_df *df;
	int failed;
};

static void
on_history(void *ud, const pw_record *rec)
{
	struct history_ctx *c = ud;
	if (count_record(c->df, c->h, c->inst, rec) < 0)
		c->failed = 1;
}

static int
index_profile(struct embedding *e)
{
	if (tf_index_init(&e->index) < 0)
		return -1;
	for (size_t j = 0; j < e->prof.count; j++)
		if (tf_index_add_text(&e->index, &e->df, e->prof.docs[j].text) < 0)
			return -1;
	return 0;
}

pw_status
builtin_prepare(const pw_host *h, pw_instance *inst, struct embedding *e, const pw_delivery *papers)
{
	builtin_free(e);
	e->ready = 0;
	if (tf_df_init(&e->df) < 0)
		return PW_ERROR;
	for (size_t j = 0; j < e->prof.count; j++)
		if (tf_df_add_text(&e->df, e->prof.docs[j].text) < 0)
			return PW_ERROR;
	struct history_ctx c = { h, inst, &e->df, 0 };
	if (e->history > 0 && h->history_each(inst, (size_t)e->history, on_history, &c) != PW_OK)
		h->log(inst, PW_LOG_WARNING, "could not read the store's history; frequencies from today only");
	for (size_t i = 0; i < h->delivery_count(inst, papers); i++)
		if (count_record(&e->df, h, inst, h->delivery_record(inst, papers, i)) < 0)
			c.failed = 1;
	if (c.failed || index_profile(e) < 0)
		return PW_ERROR;
	e->ready = 1;
	return PW_OK;
}

pw_status
builtin_score(const pw_host *h, pw_instance *inst, struct embedding *e, const pw_record *rec, double *value,
              char *reason, size_t size)
{
	char *text = pu_paper_text(h, inst, rec);
	float *sims = tf_index_query_text(&e->index, &e->df, text);
	free(text);
	if (!sims)
		return PW_ERROR;
	embedding_combine(e, sims, value, reason, size);
	free(sims);
	return PW_OK;
}
