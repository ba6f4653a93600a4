/* llm_judge.c: the `llm` scorer: an OpenAI-compatible chat model judges how
 * relevant each paper is to the reader's `interests` (plain text), from 0
 * to 10 with a one-line reason.  It costs money, so it is an expensive
 * scorer (the host runs it last, on what the cheaper scorers left) and
 * judges only the `judge` best papers of the cheaper ranking, `batch` to a
 * call, within caps on calls and tokens.  An answer must be JSON matching
 * the schema asked for (structured output where the endpoint supports
 * it); one that does not is asked again once, then its papers keep their
 * cheaper scores, as they do when the endpoint is down: the judge can only
 * add to a ranking, never take the run down.  Verdicts are cached by paper,
 * version, model and prompt. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "../common/api_json.h"
#include "../common/bundled.h"
#include "../common/mbuf.h"
#include "../common/plugin_util.h"
#include "../common/url_check.h"
#include "paperwire/plugin.h"

static const pw_option judge_options[] = {
	{ PW_OPTION("interests", PW_OPT_STRING, NULL, 1,
	            "what the reader wants, in plain words: the model judges each paper against it") },
	{ PW_OPTION("endpoint", PW_OPT_STRING, NULL, 1, "the base URL ending in /v1, e.g. http://localhost:11434/v1") },
	{ PW_OPTION("model", PW_OPT_STRING, NULL, 1, "the chat model, e.g. qwen2.5:7b or gpt-4o-mini") },
	{ PW_OPTION("api_key", PW_OPT_STRING, NULL, 0, "sent as a bearer token; write \"${OPENAI_API_KEY}\"") },
	{ PW_OPTION("judge", PW_OPT_INT, "30", 0, "how many of the best papers of the cheaper ranking are judged"),
	  .range = "1..1000" },
	{ PW_OPTION("batch", PW_OPT_INT, "10", 0, "papers per call"), .range = "1..50" },
	{ PW_OPTION("max_calls", PW_OPT_INT, "10", 0, "most calls in one run"), .range = "0.." },
	{ PW_OPTION("max_total_tokens", PW_OPT_INT, "100000", 0, "most tokens (prompt and answer) in one run"),
	  .range = "0.." },
	{ PW_OPTION("structured", PW_OPT_BOOL, "true", 0,
	            "ask for structured output (response_format json_schema); false for an endpoint that refuses it "
	            "(the answer is validated either way)") },
	{ PW_OPTION("price_input", PW_OPT_NUMBER, NULL, 0, "the price of a million prompt tokens, for the run report"),
	  .range = "0.." },
	{ PW_OPTION("price_output", PW_OPT_NUMBER, NULL, 0, "the price of a million answer tokens"), .range = "0.." },
	PW_OPTIONS_END
};

#define ABSTRACT_CHARS 1200
#define REASON_MAX     200

struct verdict {
	char id[128];
	int relevance; /* 0..10; -1 not judged */
	char reason[REASON_MAX + 64];
};

struct judge {
	aj_chat chat;
	char auth[1024];
	const char *interests;
	int64_t judge, batch, max_calls, max_total_tokens;
	int structured;
	double price_in, price_out;
	int priced;
	uint64_t prompt_hash;
	/* this run */
	struct verdict *v;
	size_t nv;
	int64_t calls, tokens, judged_total, cached;
	long tokens_in, tokens_out;
	int capped_warned, down;
};

static pw_status
judge_create(const pw_host *h, pw_instance *inst, void **state)
{
	struct judge *j = calloc(1, sizeof *j);
	if (!j)
		return PW_ERROR;
	const char *key = h->config_string(inst, "api_key");
	j->chat.endpoint = h->config_string(inst, "endpoint");
	j->chat.model = h->config_string(inst, "model");
	j->chat.system = "You judge how relevant new research papers are to one reader. Answer with JSON only.";
	j->chat.temperature = 0;
	j->interests = h->config_string(inst, "interests");
	h->config_int(inst, "judge", &j->judge);
	h->config_int(inst, "batch", &j->batch);
	j->chat.max_tokens = 100 + 80 * (long)j->batch; /* a verdict is a short line */
	h->config_int(inst, "max_calls", &j->max_calls);
	h->config_int(inst, "max_total_tokens", &j->max_total_tokens);
	h->config_bool(inst, "structured", &j->structured);
	j->priced = h->config_number(inst, "price_input", &j->price_in) |
	            h->config_number(inst, "price_output", &j->price_out);
	if (uc_check_url(h, inst, "endpoint", j->chat.endpoint, 0) < 0 || !*j->interests ||
	    (key && strpbrk(key, "\r\n"))) {
		if (!*j->interests)
			h->log(inst, PW_LOG_ERROR, "interests is empty: say what the reader wants");
		else if (key && strpbrk(key, "\r\n"))
			h->log(inst, PW_LOG_ERROR, "api_key contains a line break");
		free(j);
		return PW_CONFIG_ERROR;
	}
	if (key && *key)
		snprintf(j->auth, sizeof j->auth, "Authorization: Bearer %s", key);
	j->chat.auth = j->auth;
	j->prompt_hash = pu_fnv64(j->interests);
	*state = j;
	return PW_OK;
}

static void
judge_destroy(const pw_host *h, pw_instance *inst, void *state)
{
	struct judge *j = state;
	if (j->calls || j->cached) {
		char cost[96] = "";
		if (j->priced)
			snprintf(cost, sizeof cost, ", cost %.4f",
			         ((double)j->tokens_in * j->price_in + (double)j->tokens_out * j->price_out) / 1e6);
		h->log(inst, PW_LOG_INFO,
		       "judged %lld papers: %lld calls, %lld tokens (%ld in, %ld out)%s, %lld from the cache",
		       (long long)j->judged_total, (long long)j->calls, (long long)j->tokens, j->tokens_in,
		       j->tokens_out, cost, (long long)j->cached);
	}
	free(j->v);
	free(j);
}

static struct verdict *
find(struct judge *j, const char *id)
{
	for (size_t i = 0; id && i < j->nv; i++)
		if (strcmp(j->v[i].id, id) == 0)
			return &j->v[i];
	return NULL;
}

static void
cache_key(const pw_host *h, pw_instance *inst, const struct judge *j, const pw_record *rec, char *out, size_t size)
{
	const char *version = h->record_get(inst, rec, PW_F_VERSION);
	snprintf(out, size, "judge:%s:%016llx:%s:v%s", j->chat.model, (unsigned long long)j->prompt_hash,
	         h->record_get(inst, rec, PW_F_ID), version ? version : "0");
}

/* The schema every answer must match, asked for as structured output. */
static cJSON *
response_format(void)
{
	const char *schema =
	        "{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"relevance\",\"strict\":true,\"schema\":"
	        "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"papers\"],\"properties\":"
	        "{\"papers\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"additionalProperties\":false,"
	        "\"required\":[\"id\",\"relevance\",\"reason\"],\"properties\":{\"id\":{\"type\":\"string\"},"
	        "\"relevance\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":10},"
	        "\"reason\":{\"type\":\"string\"}}}}}}}}";
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "response_format", cJSON_Parse(schema));
	return o;
}

static char *
batch_prompt(const pw_host *h, pw_instance *inst, const struct judge *j, const pw_record *const *recs, size_t n)
{
	mbuf b = { 0 };
	mbuf_printf(&b,
	            "The reader's interests:\n%s\n\nFor each paper below, judge how relevant it is to these interests: "
	            "relevance 0 (unrelated) to 10 (a must-read), and a one-line reason. Answer with JSON only, in "
	            "this form: {\"papers\": [{\"id\": \"<id as given>\", \"relevance\": <0-10>, \"reason\": \"<one "
	            "line>\"}]}, one entry for each of the %zu papers.\n",
	            j->interests, n);
	for (size_t i = 0; i < n; i++) {
		const char *abstract = h->record_get(inst, recs[i], PW_F_ABSTRACT);
		mbuf_printf(&b, "\n[id: %s]\nTitle: %s\nAbstract: %.*s\n", h->record_get(inst, recs[i], PW_F_ID),
		            h->record_get(inst, recs[i], PW_F_TITLE) ? h->record_get(inst, recs[i], PW_F_TITLE) : "",
		            ABSTRACT_CHARS, abstract ? abstract : "");
	}
	return mbuf_take(&b);
}

/* The answer, checked against the schema and the batch: every paper once,
 * each relevance an integer in 0..10, each reason a string.  Fills the
 * batch's verdicts; 0, or -1 with why and every verdict left unjudged (an
 * answer that fails is used for none of its papers). */
static int
validate(const char *answer, const pw_host *h, pw_instance *inst, const pw_record *const *recs, size_t n,
         struct verdict *out, char *why, size_t size)
{
	const char *start = strchr(answer, '{'), *end = strrchr(answer, '}');
	cJSON *json = start && end > start ? cJSON_ParseWithLength(start, (size_t)(end - start + 1)) : NULL;
	const cJSON *papers = cJSON_GetObjectItemCaseSensitive(json, "papers"), *p;
	int rc = -1;
	size_t seen = 0;
	for (size_t i = 0; i < n; i++)
		out[i].relevance = -1;
	if (!cJSON_IsArray(papers)) {
		snprintf(why, size, json ? "no \"papers\" array" : "not JSON");
		goto out;
	}
	cJSON_ArrayForEach(p, papers) {
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(p, "id");
		const cJSON *rel = cJSON_GetObjectItemCaseSensitive(p, "relevance");
		const cJSON *reason = cJSON_GetObjectItemCaseSensitive(p, "reason");
		if (!cJSON_IsString(id) || !rel || !cJSON_IsString(reason)) {
			snprintf(why, size, "an entry without id, relevance and reason");
			goto out;
		}
		if (!cJSON_IsNumber(rel) || rel->valuedouble != (double)(int)rel->valuedouble || rel->valuedouble < 0 ||
		    rel->valuedouble > 10) {
			char *shown = cJSON_PrintUnformatted(rel);
			snprintf(why, size, "relevance %.20s of %.40s is not an integer from 0 to 10",
			         shown ? shown : "?", id->valuestring);
			cJSON_free(shown);
			goto out;
		}
		size_t k = 0;
		while (k < n && strcmp(h->record_get(inst, recs[k], PW_F_ID), id->valuestring) != 0)
			k++;
		if (k == n || out[k].relevance >= 0) {
			snprintf(why, size, "%s \"%.40s\"",
			         k == n ? "an id not asked about:" : "a paper judged twice:", id->valuestring);
			goto out;
		}
		out[k].relevance = (int)rel->valuedouble;
		snprintf(out[k].reason, sizeof out[k].reason, "%.*s", REASON_MAX, reason->valuestring);
		for (char *c = out[k].reason; *c; c++)
			if (*c == '\n' || *c == '\r')
				*c = ' ';
		seen++;
	}
	if (seen != n)
		snprintf(why, size, "%zu of the %zu papers judged", seen, n);
	else
		rc = 0;
out:
	for (size_t i = 0; rc < 0 && i < n; i++)
		out[i].relevance = -1;
	cJSON_Delete(json);
	return rc;
}

static int
capped(const pw_host *h, pw_instance *inst, struct judge *j)
{
	if (j->calls < j->max_calls && j->tokens < j->max_total_tokens)
		return 0;
	if (!j->capped_warned++)
		h->log(inst, PW_LOG_WARNING,
		       "cap reached (%lld calls, %lld tokens): the rest keep their cheaper scores", (long long)j->calls,
		       (long long)j->tokens);
	return 1;
}

/* One batch: asked, validated, asked again once; the verdicts kept and
 * cached.  Papers of a batch that fails stay unjudged. */
static void
judge_batch(const pw_host *h, pw_instance *inst, struct judge *j, const pw_record *const *recs, size_t n,
            struct verdict *out)
{
	char *prompt = batch_prompt(h, inst, j, recs, n);
	char why[256] = "";
	for (int attempt = 0; prompt && attempt < 2 && !j->down && !capped(h, inst, j); attempt++) {
		long in, outtok;
		j->calls++;
		h->report_count(inst, "calls", 1);
		char *answer =
		        aj_chat_ask(h, inst, &j->chat, prompt, j->structured ? response_format() : NULL, &in, &outtok);
		if (!answer) {
			j->down = 1; /* the host has retried already: the rest of the run goes without */
			h->log(inst, PW_LOG_WARNING, "%s cannot be reached: the papers keep their cheaper scores",
			       j->chat.endpoint);
			break;
		}
		j->tokens += in + outtok;
		j->tokens_in += in;
		j->tokens_out += outtok;
		h->report_count(inst, "tokens", in + outtok);
		/* Counters are integers: the cost in millionths of the price's unit. */
		if (j->priced)
			h->report_count(inst, "cost in millionths",
			                (int64_t)((double)in * j->price_in + (double)outtok * j->price_out + 0.5));
		int ok = validate(answer, h, inst, recs, n, out, why, sizeof why) == 0;
		free(answer);
		if (ok) {
			for (size_t i = 0; i < n; i++) {
				char key[512], value[REASON_MAX + 80];
				cache_key(h, inst, j, recs[i], key, sizeof key);
				snprintf(value, sizeof value, "%d|%s", out[i].relevance, out[i].reason);
				h->cache_put(inst, key, value);
			}
			j->judged_total += (int64_t)n;
			h->report_count(inst, "judged", (int64_t)n);
			break;
		}
		h->log(inst, PW_LOG_WARNING, "an answer that does not match the schema (%s)%s", why,
		       attempt ? ": these papers keep their cheaper scores" : "; asking once more");
		h->report_count(inst, "invalid answers", 1);
	}
	free(prompt);
}

struct ranked {
	const pw_record *rec;
	double score;
};

static int
ranked_cmp(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	return x->score < y->score ? 1 : x->score > y->score ? -1 : 0;
}

static pw_status
judge_prepare(const pw_host *h, pw_instance *inst, void *state, const pw_delivery *d)
{
	struct judge *j = state;
	size_t n = h->delivery_count(inst, d);
	const char *dry = h->delivery_info(inst, d, PW_D_DRY_RUN);
	int dry_run = dry && strcmp(dry, "1") == 0;
	free(j->v);
	j->v = NULL;
	j->nv = 0;
	/* The best of the cheaper ranking, up to what is left of `judge` this run. */
	struct ranked *r = calloc(n + 1, sizeof *r);
	if (!r)
		return PW_ERROR;
	for (size_t i = 0; i < n; i++) {
		r[i].rec = h->delivery_record(inst, d, i);
		r[i].score = h->record_score(inst, r[i].rec);
	}
	qsort(r, n, sizeof *r, ranked_cmp);
	size_t take = j->judge > j->judged_total + j->cached ? (size_t)(j->judge - j->judged_total - j->cached) : 0;
	take = take < n ? take : n;
	/* One verdict for each of them.  Those with an answer cached (or, in a
	 * dry run, none to ask for) fill j->v from the front; those to ask for
	 * fill it from the back, walking the ranking upwards, so that
	 * j->v[first..take) and todo[first..take) are the papers to judge, best
	 * first, side by side: a batch's verdicts go straight into place. */
	j->v = calloc(take + 1, sizeof *j->v);
	const pw_record **todo = calloc(take + 1, sizeof *todo);
	size_t front = 0, first = take;
	for (size_t i = take; j->v && todo && i-- > 0;) {
		char key[512];
		cache_key(h, inst, j, r[i].rec, key, sizeof key);
		const char *hit = h->cache_get(inst, key);
		const char *bar = hit ? strchr(hit, '|') : NULL;
		struct verdict *v = bar || dry_run ? &j->v[front++] : &j->v[--first];
		snprintf(v->id, sizeof v->id, "%s", h->record_get(inst, r[i].rec, PW_F_ID));
		v->relevance = -1;
		if (bar) {
			v->relevance = atoi(hit);
			snprintf(v->reason, sizeof v->reason, "%s", bar + 1);
			j->cached++;
			h->report_count(inst, "cached", 1);
		} else if (!dry_run) {
			todo[first] = r[i].rec;
		}
	}
	j->nv = j->v && todo ? take : 0;
	/* The rest, a batch to a call. */
	for (size_t at = first; j->nv && at < take; at += (size_t)j->batch) {
		size_t m = take - at < (size_t)j->batch ? take - at : (size_t)j->batch;
		judge_batch(h, inst, j, todo + at, m, j->v + at);
	}
	free(todo);
	free(r);
	return PW_OK;
}

static pw_status
judge_score(const pw_host *h, pw_instance *inst, void *state, const pw_record *rec, double *value, int *veto,
            char *reason, size_t reason_size)
{
	struct judge *j = state;
	struct verdict *v = find(j, h->record_get(inst, rec, PW_F_ID));
	(void)veto;
	*value = 0;
	if (!v)
		snprintf(reason, reason_size, "not judged (below the best %lld)", (long long)j->judge);
	else if (v->relevance < 0)
		snprintf(reason, reason_size, "not judged (%s)",
		         j->down ? "endpoint down" : "no valid answer or capped");
	else {
		*value = v->relevance;
		snprintf(reason, reason_size, "relevance %d/10: %s", v->relevance, v->reason);
	}
	return PW_OK;
}

static const pw_plugin judge_plugin = {
	PW_BUNDLED_PLUGIN("llm", PW_KIND_SCORER, PW_PLUGIN_EXPENSIVE, "0.1.0"),
	.description =
	        "a chat model judges the best papers of the cheaper ranking against the reader's interests (0-10)",
	PW_OPTIONS(judge_options),
	PW_BUNDLED_CALLBACKS_PREPARED(judge, score),
};

PW_PLUGIN_DEFINE(judge_plugin)
