/* arxiv.c: the arXiv source.  Mode "listing" reads the daily RSS listing of
 * the categories in one request; mode "api" queries export.arxiv.org/api
 * with paging.  Every request goes through the host, which keeps arXiv's
 * one-request-every-3-seconds rule for all arXiv hosts together. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arxiv_atom.h"
#include "arxiv_listing.h"
#include "../common/spooled.h"
#include "paperwire/plugin.h"

#include <libxml/parser.h>

#define ARXIV_API_MAX_PER_CALL 2000
#define ARXIV_API_MAX_TOTAL 30000
#define ARXIV_EMPTY_PAGE_TRIES 3

static const pw_option arxiv_options[] = {
	{ "mode", PW_OPT_STRING, NULL, 0,
	  "listing (the daily RSS listing of categories), api (export.arxiv.org/api); default: listing when "
	  "only categories are given, api with query or ids" },
	{ "announce", PW_OPT_STRING_LIST, "[\"new\", \"cross\"]", 0,
	  "listing: announce types to keep (new, cross, replace, replace-cross, or all)" },
	{ "categories", PW_OPT_STRING_LIST, NULL, 0, "arXiv categories to follow, e.g. [\"cs.LG\", \"cs.CL\"]" },
	{ "query", PW_OPT_STRING, NULL, 0, "an arXiv search_query, e.g. \"ti:transformer AND abs:speculative\"" },
	{ "ids", PW_OPT_STRING_LIST, NULL, 0, "arXiv ids to fetch (id_list), with or without version" },
	{ "max_results", PW_OPT_INT, "200", 0, "most papers to fetch in one run (API: at most 30000)" },
	{ "page_size", PW_OPT_INT, "100", 0, "papers per API request (at most 2000)" },
	{ "sort_by", PW_OPT_STRING, "submittedDate", 0, "relevance, lastUpdatedDate or submittedDate" },
	{ "sort_order", PW_OPT_STRING, "descending", 0, "ascending or descending" },
	{ "base_url", PW_OPT_STRING, NULL, 0,
	  "listing: the prefix to which cat1+cat2 is appended (https://rss.arxiv.org/rss/); api: the query "
	  "endpoint (https://export.arxiv.org/api/query); file:// for offline use" },
	{ NULL, 0, NULL, 0, NULL }
};

struct arxiv {
	int listing;
	char *listing_url;    /* base_url + "cs.LG+cs.CL" */
	const char **announce;
	char *search_query;   /* built from query and categories, unencoded */
	char *id_list;        /* comma-joined */
	long max_results, page_size;
	const char *base_url, *sort_by, *sort_order;
};

static int
one_of(const char *v, const char *const *allowed)
{
	for (size_t i = 0; allowed[i]; i++)
		if (strcmp(v, allowed[i]) == 0)
			return 1;
	return 0;
}

/* Appends s to *buf (malloc'd, growing). */
static int
append(char **buf, size_t *len, const char *s)
{
	size_t n = strlen(s);
	char *nb = realloc(*buf, *len + n + 1);
	if (!nb)
		return -1;
	memcpy(nb + *len, s, n + 1);
	*buf = nb;
	*len += n;
	return 0;
}

static char *
build_search_query(const pw_host *h, pw_instance *inst)
{
	char *q = NULL;
	size_t len = 0;
	size_t ncat = h->config_list_count(inst, "categories");
	const char *query = h->config_string(inst, "query");
	if (ncat) {
		append(&q, &len, ncat > 1 || query ? "(" : "");
		for (size_t i = 0; i < ncat; i++) {
			append(&q, &len, i ? " OR cat:" : "cat:");
			append(&q, &len, h->config_list_at(inst, "categories", i));
		}
		append(&q, &len, ncat > 1 || query ? ")" : "");
	}
	if (query && *query) {
		append(&q, &len, ncat ? " AND (" : "");
		append(&q, &len, query);
		append(&q, &len, ncat ? ")" : "");
	}
	return q;
}

static char *
build_id_list(const pw_host *h, pw_instance *inst)
{
	char *ids = NULL;
	size_t len = 0;
	for (size_t i = 0; i < h->config_list_count(inst, "ids"); i++) {
		if (i)
			append(&ids, &len, ",");
		append(&ids, &len, h->config_list_at(inst, "ids", i));
	}
	return ids;
}

static void
arxiv_free(struct arxiv *a)
{
	if (!a)
		return;
	free(a->search_query);
	free(a->id_list);
	free(a->listing_url);
	free(a->announce);
	free(a);
}

static pw_status
listing_create(const pw_host *h, pw_instance *inst, struct arxiv *a)
{
	size_t ncat = h->config_list_count(inst, "categories"), len = 0;
	size_t nann = h->config_list_count(inst, "announce");
	const char *base = h->config_string(inst, "base_url");
	if (!ncat) {
		h->log(inst, PW_LOG_ERROR, "mode listing needs \"categories\" (e.g. [\"cs.LG\", \"cs.CL\"])");
		return PW_CONFIG_ERROR;
	}
	if (h->config_string(inst, "query") || h->config_list_count(inst, "ids")) {
		h->log(inst, PW_LOG_ERROR, "mode listing reads whole categories; \"query\" and \"ids\" need mode api");
		return PW_CONFIG_ERROR;
	}
	a->listing = 1;
	append(&a->listing_url, &len, base ? base : "https://rss.arxiv.org/rss/");
	for (size_t i = 0; i < ncat; i++) {
		const char *cat = h->config_list_at(inst, "categories", i);
		if (!*cat || strspn(cat, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-") != strlen(cat)) {
			h->log(inst, PW_LOG_ERROR, "categories[%zu]: \"%s\" is not an arXiv category name", i, cat);
			return PW_CONFIG_ERROR;
		}
		append(&a->listing_url, &len, i ? "+" : "");
		append(&a->listing_url, &len, cat);
	}
	a->announce = calloc(nann + 1, sizeof *a->announce);
	if (!a->listing_url || !a->announce)
		return PW_ERROR;
	for (size_t i = 0; i < nann; i++)
		a->announce[i] = h->config_list_at(inst, "announce", i);
	xmlInitParser();
	return PW_OK;
}

static pw_status
arxiv_create(const pw_host *h, pw_instance *inst, void **state)
{
	static const char *const modes[] = { "listing", "api", NULL };
	static const char *const sorts[] = { "relevance", "lastUpdatedDate", "submittedDate", NULL };
	static const char *const orders[] = { "ascending", "descending", NULL };
	int64_t max_results = 200, page_size = 100;
	const char *mode = h->config_string(inst, "mode");
	size_t ncat = h->config_list_count(inst, "categories");

	if (!mode)
		mode = ncat && !h->config_string(inst, "query") && !h->config_list_count(inst, "ids") ? "listing" : "api";
	if (!one_of(mode, modes)) {
		h->log(inst, PW_LOG_ERROR, "mode \"%s\" is not supported; use \"listing\" or \"api\"", mode);
		return PW_CONFIG_ERROR;
	}
	struct arxiv *a = calloc(1, sizeof *a);
	if (!a)
		return PW_ERROR;
	if (strcmp(mode, "listing") == 0) {
		pw_status st = listing_create(h, inst, a);
		if (st != PW_OK)
			arxiv_free(a);
		else
			*state = a;
		return st;
	}
	a->search_query = build_search_query(h, inst);
	a->id_list = build_id_list(h, inst);
	if (!a->search_query && !a->id_list) {
		h->log(inst, PW_LOG_ERROR, "give \"categories\", \"query\" or \"ids\": there is nothing to ask arXiv");
		arxiv_free(a);
		return PW_CONFIG_ERROR;
	}
	h->config_int(inst, "max_results", &max_results);
	h->config_int(inst, "page_size", &page_size);
	/* An id_list is answered only up to max_results, so ask for all. */
	size_t nids = h->config_list_count(inst, "ids");
	if ((int64_t)nids > max_results)
		max_results = (int64_t)nids;
	if (max_results < 1 || max_results > ARXIV_API_MAX_TOTAL || page_size < 1 ||
	    page_size > ARXIV_API_MAX_PER_CALL) {
		h->log(inst, PW_LOG_ERROR, "max_results must be 1..%d and page_size 1..%d (the API's limits)",
		       ARXIV_API_MAX_TOTAL, ARXIV_API_MAX_PER_CALL);
		arxiv_free(a);
		return PW_CONFIG_ERROR;
	}
	a->max_results = (long)max_results;
	a->page_size = (long)page_size;
	a->base_url = h->config_string(inst, "base_url");
	if (!a->base_url)
		a->base_url = "https://export.arxiv.org/api/query";
	a->sort_by = h->config_string(inst, "sort_by");
	a->sort_order = h->config_string(inst, "sort_order");
	if (!one_of(a->sort_by, sorts) || !one_of(a->sort_order, orders)) {
		h->log(inst, PW_LOG_ERROR, "sort_by must be relevance, lastUpdatedDate or submittedDate, and "
		                           "sort_order ascending or descending");
		arxiv_free(a);
		return PW_CONFIG_ERROR;
	}
	xmlInitParser();
	*state = a;
	return PW_OK;
}

static void
arxiv_destroy(const pw_host *h, pw_instance *inst, void *state)
{
	arxiv_free(state);
}

/* Query-string encoding: space as '+', unreserved kept, the rest %XX. */
static void
encode(const char *s, char **buf, size_t *len)
{
	char tmp[4];
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == ':') {
			tmp[0] = (char)c;
			tmp[1] = '\0';
		} else if (c == ' ') {
			strcpy(tmp, "+");
		} else {
			snprintf(tmp, sizeof tmp, "%%%02X", c);
		}
		append(buf, len, tmp);
	}
}

static char *
page_url(const struct arxiv *a, long start, long count)
{
	char *url = NULL, num[64];
	size_t len = 0;
	append(&url, &len, a->base_url);
	append(&url, &len, strchr(a->base_url, '?') ? "&search_query=" : "?search_query=");
	encode(a->search_query, &url, &len);
	append(&url, &len, "&id_list=");
	encode(a->id_list, &url, &len);
	snprintf(num, sizeof num, "&start=%ld&max_results=%ld", start, count);
	append(&url, &len, num);
	append(&url, &len, "&sortBy=");
	append(&url, &len, a->sort_by);
	append(&url, &len, "&sortOrder=");
	append(&url, &len, a->sort_order);
	return url;
}

/* Fetches and parses one page; 0 with page filled, -1 on failure. */
static int
fetch_page(const pw_host *h, pw_instance *inst, const struct arxiv *a, long start, long count,
           atom_page *page, pw_status *why)
{
	pw_response *resp = NULL;
	char err[768];
	char *url = page_url(a, start, count);
	if (!url) {
		*why = PW_ERROR;
		return -1;
	}
	pw_status st = h->http_get(inst, url, 0, &resp);
	if (st != PW_OK) {
		free(url);
		*why = st;
		return -1;
	}
	size_t len;
	const char *body = h->response_body(inst, resp, &len);
	long code = h->response_code(inst, resp);
	int parsed = atom_parse(h, inst, body, len, page, err, sizeof err);
	int rc = -1;
	*why = PW_ERROR;
	if (parsed == 0 && page->error[0]) {
		h->log(inst, PW_LOG_ERROR, "arXiv API error (HTTP %ld) for %s: %s", code, url, page->error);
	} else if (code != 200) {
		h->log(inst, PW_LOG_ERROR, "HTTP %ld from %s", code, url);
		*why = code == 429 || code >= 500 ? PW_RETRY : PW_ERROR;
	} else if (parsed < 0) {
		h->log(inst, PW_LOG_ERROR, "%s (start=%ld): %s", url, start, err);
	} else {
		rc = 0;
	}
	if (rc < 0)
		atom_page_free(h, inst, page);
	h->response_free(inst, resp);
	free(url);
	return rc;
}

/* Why a listing has no items: arXiv announces Sunday to Thursday evenings
 * (ET), so the feeds of Saturday and Sunday are empty, as on holidays. */
static void
note_empty(const pw_host *h, pw_instance *inst, const char *weekday)
{
	char note[256];
	if (strcmp(weekday, "Sat") == 0 || strcmp(weekday, "Sun") == 0)
		snprintf(note, sizeof note, "no announcement: arXiv does not announce on %s",
		         weekday[1] == 'a' ? "Saturdays" : "Sundays");
	else
		snprintf(note, sizeof note, "no announcement%s%s (an arXiv holiday, or nothing new in these categories)",
		         weekday[0] ? " on " : "", weekday);
	if (PW_HOST_HAS(h, report_note))
		h->report_note(inst, note);
	h->log(inst, PW_LOG_INFO, "%s", note);
}

struct listing_read {
	const pw_host *h;
	pw_instance *inst;
	const struct arxiv *a;
	listing_result res;
};

static int
read_listing_body(void *ud, int fd, const char *body, size_t len, char *err, size_t err_size)
{
	struct listing_read *lr = ud;
	int rc = listing_read(lr->h, lr->inst, fd, body, len, lr->a->announce, &lr->res);
	if (rc < 0)
		snprintf(err, err_size, "%s", lr->res.error);
	return rc;
}

static pw_status
fetch_listing(const pw_host *h, pw_instance *inst, const struct arxiv *a)
{
	struct listing_read lr = { h, inst, a, { 0 } };
	pw_status st = spooled_fetch(h, inst, a->listing_url, "listing", "paper", read_listing_body, &lr);
	if (st != PW_OK)
		return st;
	if (lr.res.skipped)
		h->report_count(inst, "skipped", lr.res.skipped);
	if (lr.res.items == 0)
		note_empty(h, inst, lr.res.weekday);
	return PW_OK;
}

static pw_status
arxiv_fetch(const pw_host *h, pw_instance *inst, void *state)
{
	const struct arxiv *a = state;
	if (a->listing)
		return fetch_listing(h, inst, a);
	long start = 0, total = -1, fetched = 0;
	int empty_tries = 0;

	while (fetched < a->max_results && (total < 0 || start < total)) {
		long count = a->max_results - fetched;
		atom_page page;
		pw_status why;
		if (count > a->page_size)
			count = a->page_size;
		if (fetch_page(h, inst, a, start, count, &page, &why) < 0)
			return why;
		if (PW_HOST_HAS(h, report_count))
			h->report_count(inst, "pages", 1);
		if (page.total_results >= 0)
			total = page.total_results;
		if (page.count == 0) {
			atom_page_free(h, inst, &page);
			/* The API sometimes answers an empty page before the end; only
			 * an empty first page with totalResults 0 means no hits. */
			if (total <= 0 && start == 0)
				break;
			if (total > 0 && start >= total)
				break;
			if (++empty_tries >= ARXIV_EMPTY_PAGE_TRIES) {
				h->log(inst, PW_LOG_ERROR, "arXiv returned %d empty pages at start=%ld of %ld results",
				       empty_tries, start, total);
				return PW_RETRY;
			}
			h->log(inst, PW_LOG_WARNING, "empty page at start=%ld of %ld results; asking again", start, total);
			continue;
		}
		empty_tries = 0;
		for (size_t i = 0; i < page.count; i++) {
			h->emit(inst, page.records[i]);
			page.records[i] = NULL;
		}
		start += (long)page.count;
		fetched += (long)page.count;
		page.count = 0;
		atom_page_free(h, inst, &page);
	}
	return PW_OK;
}

static const pw_plugin arxiv_plugin = {
	.abi = PW_ABI_HEADER_FOR(pw_plugin),
	.name = "arxiv",
	.kind = PW_KIND_SOURCE,
	.version = "0.1.0",
	.description = "papers from arXiv: the daily listing, or the API with paging (polite to arXiv's rate limits)",
	.options = arxiv_options,
	.create = arxiv_create,
	.destroy = arxiv_destroy,
	.fetch = arxiv_fetch,
};

PW_PLUGIN_DEFINE(arxiv_plugin)
