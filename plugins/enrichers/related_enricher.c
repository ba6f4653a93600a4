/* related_enricher.c: the "related" enricher (the "related" source is
 * sources/related_source.c): under each selected paper, its k nearest papers from the
 * store's history, by the builtin TF-IDF similarity: no network, no model.
 * The list goes into the "related" field, one JSON object a paper (id,
 * title, link, date, similarity and, when an enricher before this one gave
 * that paper a summary or a translated title, its first line), declared
 * as PW_FORM_RELATED so that every sink shows it as a list of links. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "../common/field_view.h"
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
	/* per indexed document: id, title, link, date, a line about it */
	char **ids, **titles, **urls, **dates, **lines;
	size_t n, cap;
	int ready;
};

static void
clear(struct related *r)
{
	char **const columns[] = { r->ids, r->titles, r->urls, r->dates, r->lines };
	for (size_t c = 0; c < sizeof columns / sizeof columns[0]; c++) {
		for (size_t i = 0; columns[c] && i < r->n; i++)
			free(columns[c][i]);
		free(columns[c]);
	}
	r->ids = r->titles = r->urls = r->dates = r->lines = NULL;
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
	const pw_field related = { PW_X_RELATED, "Related papers", PW_ATTACH_PAPER, PW_FORM_RELATED, NULL };
	if (h->field_declare(inst, &related, sizeof related) != PW_OK) {
		free(r);
		return PW_CONFIG_ERROR;
	}
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
		const char *url = p->h->record_get(p->inst, rec, PW_F_URL);
		int64_t published = p->h->record_get_time(p->inst, rec, PW_T_PUBLISHED);
		char date[16] = "";
		if (published > 0) {
			time_t when = (time_t)published;
			strftime(date, sizeof date, "%Y-%m-%d", gmtime(&when));
		}
		if (tf_index_add_text(&r->index, &r->df, text) == 0) {
			r->ids[r->n] = strdup(id ? id : "");
			r->titles[r->n] = strdup(t ? t : "");
			r->urls[r->n] = url && strncmp(url, "http", 4) == 0 ? strdup(url) : NULL;
			r->dates[r->n] = date[0] ? strdup(date) : NULL;
			r->n++;
		} else {
			p->failed = 1;
		}
	}
	free(text);
}

/* The first line of a field an earlier enricher declared as a summary
 * (Markdown) or as text under the title (a translated title), or NULL. */
static char *
line_about(const pw_host *h, pw_instance *inst, const pw_record *rec)
{
	for (size_t i = 0; i < h->record_field_count(inst, rec); i++) {
		const char *name = h->record_field_name(inst, rec, i);
		const pw_field *d = fv_declaration(h, inst, name);
		const char *v = d ? h->record_get(inst, rec, name) : NULL;
		if (v && *v &&
		    (d->form == PW_FORM_MARKDOWN || (d->form == PW_FORM_TEXT && d->attach == PW_ATTACH_TITLE)))
			return strndup(v, strcspn(v, "\n"));
	}
	return NULL;
}

static void
note_line(const pw_host *h, pw_instance *inst, struct related *r, const pw_record *rec)
{
	const char *id = h->record_get(inst, rec, PW_F_ID);
	for (size_t i = 0; id && i < r->n; i++)
		if (!r->lines[i] && strcmp(r->ids[i], id) == 0) {
			r->lines[i] = line_about(h, inst, rec);
			return;
		}
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
	r->urls = calloc(r->cap + 1, sizeof *r->urls);
	r->dates = calloc(r->cap + 1, sizeof *r->dates);
	r->lines = calloc(r->cap + 1, sizeof *r->lines);
	if (!r->ids || !r->titles || !r->urls || !r->dates || !r->lines || tf_df_init(&r->df) < 0 ||
	    tf_index_init(&r->index) < 0)
		return PW_ERROR;
	/* Two passes over the history: frequencies first, then vectors. */
	if (h->history_each(inst, (size_t)r->history, on_history, &p) != PW_OK || p.failed)
		return PW_ERROR;
	p.index = 1;
	if (h->history_each(inst, (size_t)r->history, on_history, &p) != PW_OK || p.failed)
		return PW_ERROR;
	/* The day's papers are in the history already (the host saved them
	 * first); what earlier enrichers said of them gives their line. */
	for (size_t i = 0; i < h->delivery_count(inst, papers); i++)
		note_line(h, inst, r, h->delivery_record(inst, papers, i));
	r->ready = 1;
	return PW_OK;
}

/* One PW_FORM_RELATED item: {"id", "title", "url", "date", "similarity",
 * "line"}, the optional members only when known. */
static char *
related_item(const struct related *r, size_t i, float similarity)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "id", r->ids[i]);
	cJSON_AddStringToObject(o, "title", r->titles[i]);
	if (r->urls[i])
		cJSON_AddStringToObject(o, "url", r->urls[i]);
	if (r->dates[i])
		cJSON_AddStringToObject(o, "date", r->dates[i]);
	cJSON_AddNumberToObject(o, "similarity", (double)(long)(similarity * 100 + 0.5) / 100);
	if (r->lines[i])
		cJSON_AddStringToObject(o, "line", r->lines[i]);
	char *text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return text;
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
		char *item = related_item(r, best, sims[best]);
		if (!item || h->record_add(inst, rec, PW_X_RELATED, item) != PW_OK) {
			free(item);
			free(sims);
			return PW_ERROR;
		}
		free(item);
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
