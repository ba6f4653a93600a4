/* related_source.c: the "related" source: papers related to seed papers.
 * Semantic Scholar gives recommendations (one seed, or positive and
 * negative lists), citations (a citation alert) and references; OpenAlex
 * gives its related works.  Each record says which seed it relates to and
 * how ("relation": "cites arXiv:1706.03762"), so a sink can show it. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "../common/openalex.h"
#include "../common/canonical.h"
#include "../common/feed_date.h"
#include "../common/json_text.h"
#include "../common/url_check.h"
#include "../common/url_encode.h"
#include "../common/bundled.h"
#include "paperwire/plugin.h"

#define S2_FIELDS    "paperId,externalIds,title,abstract,publicationDate,authors,venue,url"
#define S2_PAGE      100
#define OA_BATCH     50
#define OA_MAX_PAGES 200 /* basic paging stops at 10,000 results */

static const pw_option related_options[] = {
	{ PW_OPTION("provider", PW_OPT_STRING, "semanticscholar", 0, "where the related papers come from"),
	  .choices = "semanticscholar|openalex" },
	{ PW_OPTION("mode", PW_OPT_STRING, NULL, 0,
	            "semanticscholar: recommendations (default), citations or references; openalex: related"),
	  .choices = "recommendations|citations|references|related" },
	{ PW_OPTION("seeds", PW_OPT_STRING_LIST, NULL, 1, "seed papers: arXiv ids, DOIs or Semantic Scholar ids") },
	{ PW_OPTION("negative", PW_OPT_STRING_LIST, NULL, 0, "recommendations: papers to steer away from") },
	{ PW_OPTION("from", PW_OPT_STRING, "recent", 0, "recommendations: recent (last 60 days) or all-cs"),
	  .choices = "recent|all-cs" },
	{ PW_OPTION("max_results", PW_OPT_INT, "100", 0, "most papers per seed (recommendations: at most 500)"),
	  .range = "1.." },
	{ PW_OPTION(
	        "base_url", PW_OPT_STRING, NULL, 0,
	        "https://api.semanticscholar.org or https://api.openalex.org (file:// or a local server for tests)") },
	{ PW_OPTION("api_key", PW_OPT_STRING, NULL, 0, "the provider's API key, e.g. \"${S2_API_KEY}\"") },
	PW_OPTIONS_END
};

enum mode { M_RECOMMEND, M_CITATIONS, M_REFERENCES, M_RELATED };

struct related {
	int openalex;
	enum mode mode;
	const char *base, *from, *key;
	int64_t max_results;
	char key_header[512];
};

static pw_status
related_create(const pw_host *h, pw_instance *inst, void **state)
{
	const char *provider = h->config_string(inst, "provider");
	const char *mode = h->config_string(inst, "mode");
	struct related *r = calloc(1, sizeof *r);
	if (!r)
		return PW_ERROR;
	r->openalex = strcmp(provider, "openalex") == 0;
	if (!mode)
		mode = r->openalex ? "related" : "recommendations";
	if (r->openalex && strcmp(mode, "related") == 0)
		r->mode = M_RELATED;
	else if (!r->openalex && strcmp(mode, "recommendations") == 0)
		r->mode = M_RECOMMEND;
	else if (!r->openalex && strcmp(mode, "citations") == 0)
		r->mode = M_CITATIONS;
	else if (!r->openalex && strcmp(mode, "references") == 0)
		r->mode = M_REFERENCES;
	else {
		h->log(inst, PW_LOG_ERROR,
		       "mode \"%s\" is not offered by %s (semanticscholar: recommendations, citations, "
		       "references; openalex: related)",
		       mode, provider);
		goto bad;
	}
	r->base = h->config_string(inst, "base_url");
	if (uc_check_url(h, inst, "base_url", r->base, 1) < 0)
		goto bad;
	if (!r->base)
		r->base = r->openalex ? "https://api.openalex.org" : "https://api.semanticscholar.org";
	r->from = h->config_string(inst, "from");
	r->key = h->config_string(inst, "api_key");
	h->config_int(inst, "max_results", &r->max_results);
	if (r->mode == M_RECOMMEND && r->max_results > 500) {
		h->log(inst, PW_LOG_ERROR, "max_results: %lld is over 500, the most recommendations gives",
		       (long long)r->max_results);
		goto bad;
	}
	if (!h->config_list_count(inst, "seeds")) {
		h->log(inst, PW_LOG_ERROR, "give at least one seed paper in \"seeds\"");
		goto bad;
	}
	if (r->key && *r->key && strpbrk(r->key, "\r\n")) {
		h->log(inst, PW_LOG_ERROR, "api_key contains a line break");
		goto bad;
	}
	if (r->key && *r->key)
		snprintf(r->key_header, sizeof r->key_header, "x-api-key: %s", r->key);
	*state = r;
	return PW_OK;
bad:
	free(r);
	return PW_CONFIG_ERROR;
}

static void
related_destroy(const pw_host *h, pw_instance *inst, void *state)
{
	(void)h;
	(void)inst;
	free(state);
}

/* Path-safe: ids go into URL paths; '/' stays (DOIs need it). */
static void
url_escape(const char *s, char *out, size_t size)
{
	out[0] = '\0';
	ue_append(out, size, s, ":/", 0);
}

/* A seed as Semantic Scholar names it: ARXIV:1706.03762, DOI:10.x/y, or as given. */
static void
s2_seed_id(const pw_host *h, pw_instance *inst, const char *seed, char *out, size_t size)
{
	char canon[256];
	if (cn_id(h, inst, seed, canon, sizeof canon, NULL) == 1)
		snprintf(out, size, "ARXIV:%s", canon); /* versionless, whatever the spelling */
	else if (strncmp(seed, "10.", 3) == 0)
		snprintf(out, size, "DOI:%s", seed);
	else if (strncasecmp(seed, "doi:", 4) == 0)
		snprintf(out, size, "DOI:%s", seed + 4);
	else
		snprintf(out, size, "%s", seed);
}

static const char *
str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) && v->valuestring[0] ? v->valuestring : NULL;
}

static void
set_relation(const pw_host *h, pw_instance *inst, pw_record *rec, const char *how, const char *seed)
{
	char rel[512];
	snprintf(rel, sizeof rel, "%s %s", how, seed);
	h->record_set(inst, rec, PW_X_RELATION, rel);
	h->record_set(inst, rec, "related_seed", seed);
}

/* "2024-11-26", as both providers give it, to the published time. */
static void
set_date(const pw_host *h, pw_instance *inst, pw_record *rec, const char *date)
{
	int64_t t = date ? fdate_parse(date) : -1;
	if (t >= 0)
		h->record_set_time(inst, rec, PW_T_PUBLISHED, t);
}

/* One Semantic Scholar paper object to a record; NULL when it has no id. */
static pw_record *
s2_record(const pw_host *h, pw_instance *inst, const cJSON *p)
{
	const cJSON *ext = cJSON_GetObjectItemCaseSensitive(p, "externalIds");
	const char *arxiv = str(ext, "ArXiv"), *doi = str(ext, "DOI"), *pid = str(p, "paperId");
	char url[256];
	if (!arxiv && !doi && !pid)
		return NULL;
	pw_record *rec = h->record_new(inst);
	if (pid)
		snprintf(url, sizeof url, "https://www.semanticscholar.org/paper/%s", pid);
	h->record_set(inst, rec, PW_F_ID, arxiv ? arxiv : doi ? doi : url);
	if (doi)
		h->record_set(inst, rec, PW_F_DOI, doi);
	h->record_set(inst, rec, PW_F_TITLE, str(p, "title"));
	h->record_set(inst, rec, PW_F_ABSTRACT, str(p, "abstract"));
	h->record_set(inst, rec, PW_F_URL, str(p, "url") ? str(p, "url") : pid ? url : NULL);
	if (str(p, "venue"))
		h->record_set(inst, rec, "venue", str(p, "venue"));
	if (pid)
		h->record_set(inst, rec, "s2_paper_id", pid);
	set_date(h, inst, rec, str(p, "publicationDate"));
	const cJSON *a;
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(p, "authors"))
		if (str(a, "name"))
			h->record_add(inst, rec, PW_F_AUTHORS, str(a, "name"));
	return rec;
}

/* Sends one request; 0 with *json parsed, 1 for "not indexed yet" (404),
 * -1 on failure with *st set. */
static int
call(const pw_host *h, pw_instance *inst, const struct related *r, const char *method, const char *url,
     const char *body, cJSON **json, pw_status *st)
{
	const char *headers[3] = { NULL, NULL, NULL };
	size_t nh = 0, len = 0;
	pw_response *resp = NULL;
	if (r->key_header[0] && !r->openalex)
		headers[nh++] = r->key_header;
	if (body)
		headers[nh++] = "Content-Type: application/json";
	*json = NULL;
	*st = h->http_request(inst, method, url, headers, body, body ? strlen(body) : 0, 0, &resp);
	if (*st != PW_OK)
		return -1;
	long code = h->response_code(inst, resp);
	const char *text = h->response_body(inst, resp, &len);
	long invalid = 0;
	cJSON *j = text ? jt_parse(text, len, &invalid) : NULL;
	if (invalid) {
		h->log(inst, PW_LOG_WARNING, "%s: %ld escaped NUL characters replaced by U+FFFD", url, invalid);
		h->report_count(inst, "invalid text", invalid);
	}
	int rc = -1;
	if (code == 404) {
		h->log(inst, PW_LOG_WARNING, "%s: not found (a paper not indexed yet?): %s", url,
		       str(j, "error") ? str(j, "error") : "HTTP 404");
		rc = 1;
	} else if (code != 200) {
		const char *msg = str(j, "error") ? str(j, "error") : str(j, "message");
		h->log(inst, PW_LOG_ERROR, "HTTP %ld from %s%s%s", code, url, msg ? ": " : "", msg ? msg : "");
		*st = code == 408 || code == 429 || code >= 500 ? PW_RETRY : PW_ERROR;
	} else if (!cJSON_IsObject(j)) {
		h->log(inst, PW_LOG_ERROR, "%s: the answer is not a JSON object (truncated or malformed)", url);
		*st = PW_ERROR;
	} else {
		*json = j;
		j = NULL;
		rc = 0;
	}
	cJSON_Delete(j);
	h->response_free(inst, resp);
	return rc;
}

/* Emits the papers of one answer; inner names the wrapper ("citingPaper").
 * Returns how many were stored, or -1 when the host could not store one. */
static long
emit_papers(const pw_host *h, pw_instance *inst, const cJSON *list, const char *inner, const char *how,
            const char *seed, long budget)
{
	long n = 0;
	const cJSON *it;
	cJSON_ArrayForEach(it, list) {
		if (n >= budget)
			break;
		const cJSON *p = inner ? cJSON_GetObjectItemCaseSensitive(it, inner) : it;
		pw_record *rec = p ? s2_record(h, inst, p) : NULL;
		if (!rec) {
			/* Semantic Scholar lists papers it could not resolve with a null id. */
			h->report_count(inst, "unresolved", 1);
			continue;
		}
		set_relation(h, inst, rec, how, seed);
		pw_status es = h->emit(inst, rec);
		if (es == PW_ERROR)
			return -1;
		n += es == PW_OK; /* a rejected one the host has reported */
	}
	return n;
}

static pw_status
s2_recommend(const pw_host *h, pw_instance *inst, const struct related *r)
{
	char url[2048], id[512], esc[1024];
	size_t nseeds = h->config_list_count(inst, "seeds"), nneg = h->config_list_count(inst, "negative");
	cJSON *json = NULL;
	pw_status st = PW_OK;
	if (nseeds == 1 && nneg == 0) {
		const char *seed = h->config_list_at(inst, "seeds", 0);
		s2_seed_id(h, inst, seed, id, sizeof id);
		url_escape(id, esc, sizeof esc);
		snprintf(url, sizeof url, "%s/recommendations/v1/papers/forpaper/%s?fields=%s&limit=%ld&from=%s",
		         r->base, esc, S2_FIELDS, (long)r->max_results, r->from);
		int rc = call(h, inst, r, "GET", url, NULL, &json, &st);
		if (rc == 0 && emit_papers(h, inst, cJSON_GetObjectItemCaseSensitive(json, "recommendedPapers"), NULL,
		                           "recommended for", seed, r->max_results) < 0)
			rc = -1, st = PW_ERROR;
		cJSON_Delete(json);
		return rc < 0 ? st : PW_OK;
	}
	/* Lists: one POST for all seeds, and the negatives. */
	cJSON *body = cJSON_CreateObject();
	cJSON *pos = cJSON_AddArrayToObject(body, "positivePaperIds");
	cJSON *neg = cJSON_AddArrayToObject(body, "negativePaperIds");
	for (size_t i = 0; i < nseeds; i++) {
		s2_seed_id(h, inst, h->config_list_at(inst, "seeds", i), id, sizeof id);
		cJSON_AddItemToArray(pos, cJSON_CreateString(id));
	}
	for (size_t i = 0; i < nneg; i++) {
		s2_seed_id(h, inst, h->config_list_at(inst, "negative", i), id, sizeof id);
		cJSON_AddItemToArray(neg, cJSON_CreateString(id));
	}
	char *text = cJSON_PrintUnformatted(body);
	cJSON_Delete(body);
	snprintf(url, sizeof url, "%s/recommendations/v1/papers?fields=%s&limit=%ld", r->base, S2_FIELDS,
	         (long)r->max_results);
	int rc = text ? call(h, inst, r, "POST", url, text, &json, &st) : -1;
	free(text);
	if (rc == 0 &&
	    emit_papers(h, inst, cJSON_GetObjectItemCaseSensitive(json, "recommendedPapers"), NULL, "recommended for",
	                nseeds == 1 ? h->config_list_at(inst, "seeds", 0) : "your seed papers", r->max_results) < 0) {
		cJSON_Delete(json);
		return PW_ERROR;
	}
	cJSON_Delete(json);
	return rc < 0 ? (text ? st : PW_ERROR) : PW_OK;
}

/* Citations or references of one seed, following offset/next to the end. */
static pw_status
s2_graph(const pw_host *h, pw_instance *inst, const struct related *r, const char *seed)
{
	char url[2048], id[512], esc[1024];
	const char *edge = r->mode == M_CITATIONS ? "citations" : "references";
	const char *inner = r->mode == M_CITATIONS ? "citingPaper" : "citedPaper";
	const char *how = r->mode == M_CITATIONS ? "cites" : "cited by";
	long offset = 0, got = 0;
	s2_seed_id(h, inst, seed, id, sizeof id);
	url_escape(id, esc, sizeof esc);
	while (got < r->max_results) {
		cJSON *json = NULL;
		pw_status st;
		long limit = r->max_results - got < S2_PAGE ? (long)r->max_results - got : S2_PAGE;
		snprintf(url, sizeof url, "%s/graph/v1/paper/%s/%s?fields=%s&offset=%ld&limit=%ld", r->base, esc, edge,
		         S2_FIELDS, offset, limit);
		int rc = call(h, inst, r, "GET", url, NULL, &json, &st);
		if (rc != 0)
			return rc > 0 ? PW_OK : st;
		h->report_count(inst, "pages", 1);
		const cJSON *data = cJSON_GetObjectItemCaseSensitive(json, "data");
		long stored = emit_papers(h, inst, data, inner, how, seed, r->max_results - got);
		if (stored < 0) {
			cJSON_Delete(json);
			return PW_ERROR;
		}
		got += stored;
		const cJSON *next = cJSON_GetObjectItemCaseSensitive(json, "next");
		long n = cJSON_IsNumber(next) ? (long)next->valuedouble : -1;
		cJSON_Delete(json);
		if (n <= offset)
			break; /* no "next": the last page */
		offset = n;
	}
	return PW_OK;
}

static pw_status
oa_emit(const pw_host *h, pw_instance *inst, const cJSON *work, const char *seed)
{
	const char *doi = str(work, "doi"), *id = str(work, "id");
	if (!doi && !id)
		return PW_OK; /* nothing to identify it by: skipped, as S2's null ids */
	pw_record *rec = h->record_new(inst);
	h->record_set(inst, rec, PW_F_ID, doi ? doi : id);
	if (doi)
		h->record_set(inst, rec, PW_F_DOI, doi);
	h->record_set(inst, rec, PW_F_TITLE,
	              str(work, "display_name") ? str(work, "display_name") : str(work, "title"));
	h->record_set(inst, rec, PW_F_URL, doi ? doi : id);
	if (id)
		h->record_set(inst, rec, "openalex_id", id);
	char *abstract = oa_abstract(cJSON_GetObjectItemCaseSensitive(work, "abstract_inverted_index"));
	if (abstract)
		h->record_set(inst, rec, PW_F_ABSTRACT, abstract);
	free(abstract);
	const cJSON *a;
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(work, "authorships")) {
		const char *name = str(cJSON_GetObjectItemCaseSensitive(a, "author"), "display_name");
		if (name)
			h->record_add(inst, rec, PW_F_AUTHORS, name);
	}
	set_date(h, inst, rec, str(work, "publication_date"));
	set_relation(h, inst, rec, "related to", seed);
	return h->emit(inst, rec);
}

static void
oa_key(const struct related *r, char *out, size_t size, char sep)
{
	out[0] = '\0';
	if (r->key && *r->key)
		snprintf(out, size, "%capi_key=%s", sep, r->key);
}

/* One filter of ids, page by page as OpenAlex documents basic paging
 * (page=N while meta.count says more are left; at most 10,000 results). */
static pw_status
oa_pages(const pw_host *h, pw_instance *inst, const struct related *r, const char *ids, const char *seed)
{
	char url[4096], key[600];
	oa_key(r, key, sizeof key, '&');
	for (int pg = 1; pg <= OA_MAX_PAGES; pg++) {
		pw_status st;
		cJSON *page = NULL;
		snprintf(url, sizeof url, "%s/works?filter=openalex:%s&per-page=%d&page=%d%s", r->base, ids, OA_BATCH,
		         pg, key);
		if (call(h, inst, r, "GET", url, NULL, &page, &st) < 0)
			return st;
		const cJSON *results = cJSON_GetObjectItemCaseSensitive(page, "results"), *wk;
		const cJSON *count =
		        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(page, "meta"), "count");
		int n = cJSON_GetArraySize(results);
		cJSON_ArrayForEach(wk, results)
			if (oa_emit(h, inst, wk, seed) == PW_ERROR) {
				cJSON_Delete(page);
				return PW_ERROR;
			}
		h->report_count(inst, "pages", 1);
		double total = cJSON_IsNumber(count) ? count->valuedouble : 0;
		cJSON_Delete(page);
		if (n == 0 || (double)pg * OA_BATCH >= total)
			break;
	}
	return PW_OK;
}

/* The seed's work (by the arXiv DOI for an arXiv id), then its related
 * works fetched in batches of ids. */
static pw_status
oa_related(const pw_host *h, pw_instance *inst, const struct related *r, const char *seed)
{
	char url[4096], path[512], esc[1024], key[600], canon[256];
	const char *s = strncasecmp(seed, "arxiv:", 6) == 0 ? seed + 6 : seed;
	if (s[0] == 'W' && isdigit((unsigned char)s[1]))
		snprintf(path, sizeof path, "%s", s);
	else if (cn_id(h, inst, s, canon, sizeof canon, NULL) == 1)
		snprintf(path, sizeof path, "doi:10.48550/arXiv.%s", canon);
	else
		snprintf(path, sizeof path, "doi:%s", strncasecmp(s, "doi:", 4) == 0 ? s + 4 : s);
	url_escape(path, esc, sizeof esc);
	oa_key(r, key, sizeof key, '?');
	snprintf(url, sizeof url, "%s/works/%s%s", r->base, esc, key);
	cJSON *work = NULL;
	pw_status st;
	int rc = call(h, inst, r, "GET", url, NULL, &work, &st);
	if (rc != 0)
		return rc > 0 ? PW_OK : st;
	const cJSON *rel = cJSON_GetObjectItemCaseSensitive(work, "related_works");
	int total = cJSON_GetArraySize(rel), done = 0;
	pw_status out = PW_OK;
	while (done < total && done < r->max_results) {
		char ids[OA_BATCH * 16 + 1] = "";
		int k = 0;
		for (; k < OA_BATCH && done + k < total && done + k < r->max_results; k++) {
			const cJSON *u = cJSON_GetArrayItem(rel, done + k);
			const char *w = cJSON_IsString(u) ? strrchr(u->valuestring, '/') : NULL;
			if (w && strlen(w + 1) < 16)
				snprintf(ids + strlen(ids), sizeof ids - strlen(ids), "%s%s", ids[0] ? "|" : "", w + 1);
		}
		done += k;
		if ((out = oa_pages(h, inst, r, ids, seed)) != PW_OK)
			break;
	}
	cJSON_Delete(work);
	return out;
}

static pw_status
related_fetch(const pw_host *h, pw_instance *inst, void *state)
{
	const struct related *r = state;
	pw_status worst = PW_OK;
	if (r->mode == M_RECOMMEND)
		return s2_recommend(h, inst, r);
	for (size_t i = 0; i < h->config_list_count(inst, "seeds"); i++) {
		const char *seed = h->config_list_at(inst, "seeds", i);
		pw_status st = r->mode == M_RELATED ? oa_related(h, inst, r, seed) : s2_graph(h, inst, r, seed);
		if (st != PW_OK && worst != PW_ERROR)
			worst = st; /* the other seeds still run */
	}
	return worst;
}

static const pw_plugin related_source_plugin = {
	PW_BUNDLED_PLUGIN("related", PW_KIND_SOURCE, PW_NO_FLAGS, "0.1.0"),
	.description = "papers related to seed papers, from Semantic Scholar and OpenAlex",
	PW_OPTIONS(related_options),
	PW_BUNDLED_CALLBACKS(related, fetch),
};

PW_PLUGIN_DEFINE(related_source_plugin)
