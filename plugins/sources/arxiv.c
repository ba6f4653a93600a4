/* arxiv.c: the arXiv source, in three modes.  "listing" reads the daily
 * RSS listing of the categories in one request (and catches up on missed
 * days through OAI-PMH); "api" pages through export.arxiv.org/api; "oai"
 * harvests OAI-PMH ListRecords for backfill.  Every request goes through
 * the host, which keeps arXiv's one-request-every-3-seconds rule for all
 * arXiv hosts together. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../common/mbuf.h"
#include "../common/url_check.h"
#include "arxiv_api.h"
#include "arxiv_catchup.h"
#include "arxiv_taxonomy.h"
#include "arxiv_listing.h"
#include "arxiv_oai.h"
#include "../common/spooled.h"
#include "../common/bundled.h"
#include "paperwire/plugin.h"

#include <libxml/parser.h>

/* arXiv's moderation can hold a paper 1-4 days between submission (the
 * API's submittedDate) and announcement. */
#define ARXIV_SUBMIT_LAG_DAYS 4

static const pw_option arxiv_options[] = {
	{ PW_OPTION("mode", PW_OPT_STRING, NULL, 0,
	            "listing (the daily RSS listing of categories), api (export.arxiv.org/api) or oai (OAI-PMH, for "
	            "backfill); default: listing when only categories are given, api with query or ids"),
	  .choices = "listing|api|oai" },
	{ PW_OPTION("announce", PW_OPT_STRING_LIST, "[\"new\", \"cross\"]", 0,
	            "listing: announce types to keep (new, cross, replace, replace-cross, or all)"),
	  .choices = "new|cross|replace|replace-cross|all" },
	{ PW_OPTION("categories", PW_OPT_STRING_LIST, NULL, 0,
	            "arXiv categories to follow, e.g. [\"cs.LG\", \"cs.CL\"]") },
	{ PW_OPTION("query", PW_OPT_STRING, NULL, 0,
	            "an arXiv search_query, e.g. \"ti:transformer AND abs:speculative\"") },
	{ PW_OPTION("ids", PW_OPT_STRING_LIST, NULL, 0, "arXiv ids to fetch (id_list), with or without version") },
	{ PW_OPTION("max_results", PW_OPT_INT, "200", 0, "api: most papers in one run (the API's limit: 30000)"),
	  .range = "1..30000" },
	{ PW_OPTION("page_size", PW_OPT_INT, "100", 0,
	            "api: papers per request (the API's limit: 2000); each request waits 3 s after the last"),
	  .range = "1..2000" },
	{ PW_OPTION("sort_by", PW_OPT_STRING, "submittedDate", 0, "api: how the API sorts"),
	  .choices = "relevance|lastUpdatedDate|submittedDate" },
	{ PW_OPTION("sort_order", PW_OPT_STRING, "descending", 0, "api: the sort's direction"),
	  .choices = "ascending|descending" },
	{ PW_OPTION("from", PW_OPT_STRING, NULL, 0,
	            "api, oai: first day (YYYY-MM-DD, UTC) instead of catching up since the last successful run") },
	{ PW_OPTION("until", PW_OPT_STRING, NULL, 0,
	            "api, oai: last day (YYYY-MM-DD, UTC), the whole day included; needs from") },
	{ PW_OPTION("max_days", PW_OPT_INT, "10", 0,
	            "catch-up: fetch at most this many days back, however long ago the last successful run was"),
	  .range = "1..365" },
	{ PW_OPTION(
	        "catch_up", PW_OPT_BOOL, "true", 0,
	        "listing: fetch the announcements of missed days through OAI-PMH; api: a submittedDate window since "
	        "the last successful run") },
	{ PW_OPTION("enrich", PW_OPT_BOOL, "false", 0,
	            "listing: add comment, journal reference, DOI and affiliations from the API (one request per 100 "
	            "papers)") },
	{ PW_OPTION("format", PW_OPT_STRING, "arXiv", 0, "oai: metadata format"), .choices = "arXiv|oai_dc" },
	{ PW_OPTION("sets", PW_OPT_STRING_LIST, NULL, 0,
	            "oai: OAI-PMH sets (e.g. \"cs:cs:LG\", \"physics:hep-th\"); default: the sets of categories") },
	{ PW_OPTION("base_url", PW_OPT_STRING, NULL, 0,
	            "listing: the prefix to which cat1+cat2 is appended (https://rss.arxiv.org/rss/); api: the query "
	            "endpoint (https://export.arxiv.org/api/query); oai: the OAI-PMH endpoint "
	            "(https://oaipmh.arxiv.org/oai); "
	            "file:// for offline use") },
	{ PW_OPTION("api_url", PW_OPT_STRING, "https://export.arxiv.org/api/query", 0,
	            "listing: the API used by enrich") },
	{ PW_OPTION("oai_url", PW_OPT_STRING, "https://oaipmh.arxiv.org/oai", 0,
	            "listing: the OAI-PMH endpoint of catch-up") },
	PW_OPTIONS_END
};

enum arxiv_mode { MODE_LISTING, MODE_API, MODE_OAI };

struct arxiv {
	enum arxiv_mode mode;
	int catch_up, enrich;
	long max_days;
	char *listing_url; /* base_url + "cs.LG+cs.CL" */
	const char **announce, **categories, **sets;
	char **set_names;   /* sets derived from categories */
	char *search_query; /* built from query and categories, unencoded */
	char *id_list;      /* comma-joined */
	api_query q;
	const char *from, *until, *format, *oai_url, *api_url;
};

static const char **
string_list(const pw_host *h, pw_instance *inst, const char *key)
{
	size_t n = h->config_list_count(inst, key);
	const char **list = calloc(n + 1, sizeof *list);
	for (size_t i = 0; list && i < n; i++)
		list[i] = h->config_list_at(inst, key, i);
	return list;
}

static char *
build_search_query(const pw_host *h, pw_instance *inst)
{
	mbuf q = { 0 };
	size_t ncat = h->config_list_count(inst, "categories");
	const char *query = h->config_string(inst, "query");
	if (ncat) {
		mbuf_puts(&q, ncat > 1 || query ? "(" : "");
		for (size_t i = 0; i < ncat; i++)
			mbuf_printf(&q, "%scat:%s", i ? " OR " : "", h->config_list_at(inst, "categories", i));
		mbuf_puts(&q, ncat > 1 || query ? ")" : "");
	}
	if (query && *query)
		mbuf_printf(&q, ncat ? " AND (%s)" : "%s", query);
	return q.len ? mbuf_take(&q) : NULL;
}

static char *
build_id_list(const pw_host *h, pw_instance *inst)
{
	mbuf ids = { 0 };
	for (size_t i = 0; i < h->config_list_count(inst, "ids"); i++)
		mbuf_printf(&ids, "%s%s", i ? "," : "", h->config_list_at(inst, "ids", i));
	return ids.len ? mbuf_take(&ids) : NULL;
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
	free(a->categories);
	free(a->sets);
	for (size_t i = 0; a->set_names && a->set_names[i]; i++)
		free(a->set_names[i]);
	free(a->set_names);
	free(a);
}

static int
valid_day(const char *s)
{
	return !s || catchup_parse_day(s) >= 0;
}

/* The OAI sets of the categories: what catch-up and mode oai harvest. */
static int
category_sets(struct arxiv *a)
{
	size_t n = 0;
	while (a->categories[n])
		n++;
	a->set_names = calloc(n + 1, sizeof *a->set_names);
	a->sets = calloc(n + 1, sizeof *a->sets);
	if (!a->set_names || !a->sets)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char set[128];
		oai_category_set(a->categories[i], set, sizeof set);
		if (!(a->set_names[i] = strdup(set)))
			return -1;
		a->sets[i] = a->set_names[i];
	}
	return 0;
}

static pw_status
check_categories(const pw_host *h, pw_instance *inst, struct arxiv *a)
{
	if (!(a->categories = string_list(h, inst, "categories")) || !(a->announce = string_list(h, inst, "announce")))
		return PW_ERROR;
	for (size_t i = 0; a->categories[i]; i++) {
		const char *meant = NULL;
		if (!arxiv_category_check(a->categories[i], &meant)) {
			h->log(inst, PW_LOG_ERROR, "categories[%zu]: \"%s\" is not an arXiv category%s%s%s", i,
			       a->categories[i], meant ? "; did you mean \"" : " (https://arxiv.org/category_taxonomy)",
			       meant ? meant : "", meant ? "\"?" : "");
			return PW_CONFIG_ERROR;
		}
	}
	return category_sets(a) < 0 ? PW_ERROR : PW_OK;
}

static pw_status
listing_create(const pw_host *h, pw_instance *inst, struct arxiv *a)
{
	const char *base = h->config_string(inst, "base_url");
	if (!a->categories[0]) {
		h->log(inst, PW_LOG_ERROR, "mode listing needs \"categories\" (e.g. [\"cs.LG\", \"cs.CL\"])");
		return PW_CONFIG_ERROR;
	}
	if (h->config_string(inst, "query") || h->config_list_count(inst, "ids")) {
		h->log(inst, PW_LOG_ERROR, "mode listing reads whole categories; \"query\" and \"ids\" need mode api");
		return PW_CONFIG_ERROR;
	}
	mbuf url = { 0 };
	mbuf_puts(&url, base ? base : "https://rss.arxiv.org/rss/");
	for (size_t i = 0; a->categories[i]; i++)
		mbuf_printf(&url, "%s%s", i ? "+" : "", a->categories[i]);
	a->listing_url = mbuf_take(&url);
	return a->listing_url ? PW_OK : PW_ERROR;
}

static pw_status
api_create(const pw_host *h, pw_instance *inst, struct arxiv *a)
{
	int64_t max_results = 200, page_size = 100;
	a->search_query = build_search_query(h, inst);
	a->id_list = build_id_list(h, inst);
	if (!a->search_query && !a->id_list) {
		h->log(inst, PW_LOG_ERROR, "give \"categories\", \"query\" or \"ids\": there is nothing to ask arXiv");
		return PW_CONFIG_ERROR;
	}
	h->config_int(inst, "max_results", &max_results);
	h->config_int(inst, "page_size", &page_size);
	/* An id_list is answered only up to max_results, so ask for all. */
	size_t nids = h->config_list_count(inst, "ids");
	if ((int64_t)nids > max_results)
		max_results = (int64_t)nids;
	if (max_results > ARXIV_API_MAX_TOTAL) {
		h->log(inst, PW_LOG_ERROR, "ids: %zu ids are more than the API answers in one run (%d)", nids,
		       ARXIV_API_MAX_TOTAL);
		return PW_CONFIG_ERROR;
	}
	a->q.max_results = (long)max_results;
	a->q.page_size = (long)page_size;
	a->q.base_url = h->config_string(inst, "base_url");
	if (!a->q.base_url)
		a->q.base_url = "https://export.arxiv.org/api/query";
	a->q.sort_by = h->config_string(inst, "sort_by");
	a->q.sort_order = h->config_string(inst, "sort_order");
	a->q.id_list = a->id_list;
	return PW_OK;
}

static pw_status
oai_create(const pw_host *h, pw_instance *inst, struct arxiv *a)
{
	if (h->config_list_count(inst, "sets")) {
		free(a->sets);
		if (!(a->sets = string_list(h, inst, "sets")))
			return PW_ERROR;
	}
	if (!a->sets[0])
		h->log(inst, PW_LOG_WARNING, "no \"sets\" or \"categories\": harvesting all of arXiv");
	a->oai_url = h->config_string(inst, "base_url");
	if (!a->oai_url)
		a->oai_url = "https://oaipmh.arxiv.org/oai";
	return PW_OK;
}

static pw_status
common_create(const pw_host *h, pw_instance *inst, struct arxiv *a)
{
	int64_t max_days = 10;
	h->config_int(inst, "max_days", &max_days);
	h->config_bool(inst, "catch_up", &a->catch_up);
	h->config_bool(inst, "enrich", &a->enrich);
	a->max_days = (long)max_days;
	a->from = h->config_string(inst, "from");
	a->until = h->config_string(inst, "until");
	a->format = h->config_string(inst, "format");
	a->oai_url = h->config_string(inst, "oai_url");
	a->api_url = h->config_string(inst, "api_url");
	if (uc_check_url(h, inst, "base_url", h->config_string(inst, "base_url"), 1) < 0 ||
	    uc_check_url(h, inst, "api_url", a->api_url, 1) < 0 || uc_check_url(h, inst, "oai_url", a->oai_url, 1) < 0)
		return PW_CONFIG_ERROR;
	if (!valid_day(a->from) || !valid_day(a->until) || (a->until && !a->from)) {
		h->log(inst, PW_LOG_ERROR, "from and until are days (YYYY-MM-DD), and until needs from");
		return PW_CONFIG_ERROR;
	}
	if (a->from && a->until && strcmp(a->from, a->until) > 0) {
		h->log(inst, PW_LOG_ERROR, "from (%s) is after until (%s)", a->from, a->until);
		return PW_CONFIG_ERROR;
	}
	return check_categories(h, inst, a);
}

/* The options only some modes read: given to another mode, each would be
 * ignored without a word (max_results in listing mode), so it is refused. */
static pw_status
check_mode_options(const pw_host *h, pw_instance *inst, enum arxiv_mode mode, const char *mode_name)
{
	static const struct {
		const char *key;
		unsigned modes;
	} only[] = {
		{ "announce", 1u << MODE_LISTING },
		{ "enrich", 1u << MODE_LISTING },
		{ "api_url", 1u << MODE_LISTING },
		{ "oai_url", 1u << MODE_LISTING },
		{ "max_results", 1u << MODE_API },
		{ "page_size", 1u << MODE_API },
		{ "sort_by", 1u << MODE_API },
		{ "sort_order", 1u << MODE_API },
		{ "from", 1u << MODE_API | 1u << MODE_OAI },
		{ "until", 1u << MODE_API | 1u << MODE_OAI },
		{ "catch_up", 1u << MODE_LISTING | 1u << MODE_API },
		{ "format", 1u << MODE_OAI },
		{ "sets", 1u << MODE_OAI },
	};

	static const char *const names[] = { "listing", "api", "oai" };
	for (size_t i = 0; i < sizeof only / sizeof only[0]; i++) {
		if ((only[i].modes & (1u << mode)) || !h->config_given(inst, only[i].key))
			continue;
		char modes[32] = "";
		for (unsigned m = 0; m < 3; m++)
			if (only[i].modes & (1u << m))
				snprintf(modes + strlen(modes), sizeof modes - strlen(modes), "%s%s",
				         modes[0] ? " or " : "", names[m]);
		h->log(inst, PW_LOG_ERROR,
		       "%s: mode %s does not read it (only mode %s does); remove it or set \"mode\"", only[i].key,
		       mode_name, modes);
		return PW_CONFIG_ERROR;
	}
	return PW_OK;
}

static pw_status
arxiv_create(const pw_host *h, pw_instance *inst, void **state)
{
	const char *mode = h->config_string(inst, "mode");
	size_t ncat = h->config_list_count(inst, "categories");

	if (!mode)
		mode = ncat && !h->config_string(inst, "query") && !h->config_list_count(inst, "ids") ? "listing"
		                                                                                      : "api";
	struct arxiv *a = calloc(1, sizeof *a);
	if (!a)
		return PW_ERROR;
	a->mode = strcmp(mode, "listing") == 0 ? MODE_LISTING : strcmp(mode, "api") == 0 ? MODE_API : MODE_OAI;
	pw_status st = check_mode_options(h, inst, a->mode, mode);
	if (st == PW_OK)
		st = common_create(h, inst, a);
	if (st == PW_OK)
		st = a->mode == MODE_LISTING ? listing_create(h, inst, a)
		     : a->mode == MODE_API   ? api_create(h, inst, a)
		                             : oai_create(h, inst, a);
	if (st != PW_OK) {
		arxiv_free(a);
		return st;
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

static void
note(const pw_host *h, pw_instance *inst, pw_log_level level, const char *text)
{
	h->report_note(inst, text);
	h->log(inst, level, "%s", text);
}

static void
count(const pw_host *h, pw_instance *inst, const char *counter, long n)
{
	if (n)
		h->report_count(inst, counter, n);
}

static int64_t
fetch_since(const pw_host *h, pw_instance *inst)
{
	return h->fetch_since(inst);
}

/* Why a listing has no items: arXiv announces Sunday to Thursday evenings
 * (ET), so the feeds of Saturday and Sunday are empty, as on the holidays
 * arXiv lists.  Another empty weekday is not guessed to be a holiday. */
static void
note_empty(const pw_host *h, pw_instance *inst, const char *weekday, int64_t date)
{
	char text[256], day[11] = "";
	if (date > 0)
		catchup_day(date, day);
	if (strcmp(weekday, "Sat") == 0 || strcmp(weekday, "Sun") == 0)
		snprintf(text, sizeof text, "no announcement: arXiv does not announce on %s",
		         weekday[1] == 'a' ? "Saturdays" : "Sundays");
	else if (date > 0 && catchup_is_holiday(date))
		snprintf(text, sizeof text, "no announcement: %s %s is an arXiv holiday", weekday, day);
	else
		snprintf(text, sizeof text,
		         "no announcement%s%s%s%s (not a weekend or a listed arXiv holiday: a deferral "
		         "(status.arxiv.org), or nothing new in these categories)",
		         weekday[0] ? " on " : "", weekday, day[0] ? " " : "", day);
	note(h, inst, PW_LOG_INFO, text);
}

/* ---- listing ---- */

struct listing_read {
	const pw_host *h;
	pw_instance *inst;
	const struct arxiv *a;
	api_enricher *enricher;
	listing_result res;
	int read;
};

static int
read_listing_body(void *ud, int fd, const char *body, size_t len, char *err, size_t err_size)
{
	struct listing_read *lr = ud;
	api_enricher *e = lr->enricher;
	int rc = listing_read_to(lr->h, lr->inst, fd, body, len, lr->a->announce, e ? api_enrich_hold : NULL, e,
	                         &lr->res);
	if (e && rc == 0 && api_enrich_flush(e) < 0) {
		snprintf(lr->res.error, sizeof lr->res.error, "the host refused a paper");
		rc = -1;
	}
	if (e && rc < 0)
		api_enrich_discard(e);
	if (rc < 0)
		snprintf(err, err_size, "%s", lr->res.error);
	lr->read = rc == 0;
	return rc;
}

/* The listing shows one announcement.  When the last listing this
 * instance read is older than the one before today's (a missed cron run,
 * an outage), the days between are read through OAI-PMH, with the same
 * categories and announce types. */
static pw_status
catch_up_listing(const pw_host *h, pw_instance *inst, const struct arxiv *a, int64_t listing_date)
{
	const char *kept = h->state_get(inst, "listing_day");
	int64_t last = kept ? strtoll(kept, NULL, 10) : -1, since = fetch_since(h, inst);
	if (since >= 0 && (last < 0 || since < last))
		last = since;
	int missed = last < 0 ? 0 : catchup_missed_days(last, listing_date);
	if (missed == 0)
		return PW_OK;
	catchup c;
	catchup_window(listing_date, last, a->max_days, 0, &c);
	char new_since[11], text[1024];
	catchup_day(c.start - ARXIV_SUBMIT_LAG_DAYS * DAY_SECONDS, new_since);
	if (c.clamped) {
		snprintf(text, sizeof text,
		         "the last listing read was on %s, more than max_days (%ld) ago: catching "
		         "up from %s only",
		         c.since_day, a->max_days, c.from);
		h->log(inst, PW_LOG_WARNING, "%s", text);
	}
	h->log(inst, PW_LOG_INFO, "%d announcement days missed since %s; reading them through OAI-PMH", missed,
	       c.since_day);
	oai_request rq = { a->oai_url, "arXiv", a->sets, c.from, NULL, new_since, a->categories, a->announce, 0 };
	oai_totals t;
	pw_status st = oai_harvest(h, inst, &rq, &t);
	if (st != PW_OK)
		return st;
	catchup_note(&t, c.from, listing_date, text, sizeof text);
	note(h, inst, PW_LOG_INFO, text);
	return PW_OK;
}

static pw_status
fetch_listing(const pw_host *h, pw_instance *inst, const struct arxiv *a)
{
	api_enricher enricher = { h, inst, a->api_url, { NULL }, 0, 0, 0, 0 };
	struct listing_read lr = { h, inst, a, a->enrich ? &enricher : NULL, { 0 }, 0 };
	lr.res.date = -1;
	pw_status st = spooled_fetch(h, inst, a->listing_url, "listing", "paper", read_listing_body, &lr);
	if (st != PW_OK || !lr.read) /* failed, or unchanged since the last run (304) */
		return st;
	count(h, inst, "skipped", lr.res.skipped);
	count(h, inst, "enriched", enricher.enriched);
	count(h, inst, "enrich failures", enricher.failed_batches);
	if (lr.res.items == 0)
		note_empty(h, inst, lr.res.weekday, lr.res.date);
	int64_t date = lr.res.date >= 0 ? lr.res.date : (int64_t)time(NULL);
	if (a->catch_up && (st = catch_up_listing(h, inst, a, date)) != PW_OK)
		return st;
	char v[32];
	snprintf(v, sizeof v, "%lld", (long long)date);
	h->state_set(inst, "listing_day", v);
	return PW_OK;
}

/* ---- api ---- */

/* "20261117" + "0000" */
static void
api_stamp(const char *day, const char *hhmm, char *out, size_t size)
{
	snprintf(out, size, "%.4s%.2s%.2s%s", day, day + 5, day + 8, hhmm);
}

/* The submittedDate window of this run: the given days, or catch-up
 * since the last success.  Fills from/until ("202611170000") and a line
 * for the log and the report. */
static void
api_window(const pw_host *h, pw_instance *inst, const struct arxiv *a, char from[16], char until[16], char *text,
           size_t size)
{
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(until, 16, "%Y%m%d%H%M", &tm);
	if (a->from) {
		api_stamp(a->from, "0000", from, 16);
		if (a->until)
			api_stamp(a->until, "2359", until, 16);
		snprintf(text, size, "submitted from %s%s%s", a->from, a->until ? " to " : "",
		         a->until ? a->until : "");
		return;
	}
	catchup c;
	catchup_window((int64_t)now, fetch_since(h, inst), a->max_days, ARXIV_SUBMIT_LAG_DAYS, &c);
	api_stamp(c.from, "0000", from, 16);
	snprintf(text, size, "submitted since %s (%s%s, less %d days of moderation)", c.from,
	         c.first_run ? "the first run: yesterday" : "the last successful run: ", c.first_run ? "" : c.since_day,
	         ARXIV_SUBMIT_LAG_DAYS);
	if (c.clamped)
		h->log(inst, PW_LOG_WARNING,
		       "the last successful run (%s) is more than max_days (%ld) ago: catching up "
		       "from %s only",
		       c.since_day, a->max_days, c.from);
}

static pw_status
fetch_api(const pw_host *h, pw_instance *inst, const struct arxiv *a)
{
	api_query q = a->q;
	char *windowed = NULL, from[16], until[16], text[512];
	q.search_query = a->search_query;
	q.windowed = a->search_query && (a->from || a->catch_up);
	if (q.windowed) {
		api_window(h, inst, a, from, until, text, sizeof text);
		size_t len = strlen(a->search_query) + 64;
		if (!(windowed = malloc(len)))
			return PW_ERROR;
		snprintf(windowed, len, "(%s) AND submittedDate:[%s TO %s]", a->search_query, from, until);
		q.search_query = windowed;
		h->log(inst, PW_LOG_INFO, "papers %s", text);
	}
	long got = 0;
	pw_status st = api_fetch(h, inst, &q, &got);
	if (st == PW_OK && q.windowed && got == 0) {
		snprintf(text + strlen(text), sizeof text - strlen(text), ": none matched");
		note(h, inst, PW_LOG_INFO, text);
	}
	free(windowed);
	return st;
}

/* ---- oai ---- */

static pw_status
fetch_oai(const pw_host *h, pw_instance *inst, const struct arxiv *a)
{
	char text[1024];
	catchup c;
	catchup_window((int64_t)time(NULL), fetch_since(h, inst), a->max_days, 0, &c);
	const char *from = a->from ? a->from : c.from;
	if (!a->from && c.clamped)
		h->log(inst, PW_LOG_WARNING,
		       "the last successful run (%s) is more than max_days (%ld) ago: harvesting "
		       "from %s only",
		       c.since_day, a->max_days, c.from);
	/* Dates in the records are submissions, a few days before their
	 * announcement: a version submitted then counts as new or replaced. */
	char new_since[11] = "";
	int64_t first = catchup_parse_day(from);
	if (first >= 0)
		catchup_day(first - ARXIV_SUBMIT_LAG_DAYS * DAY_SECONDS, new_since);
	oai_request rq = { a->oai_url, a->format, a->sets, from, a->until, new_since[0] ? new_since : NULL,
		           NULL,       NULL,      0 };
	oai_totals t;
	pw_status st = oai_harvest(h, inst, &rq, &t);
	if (st != PW_OK)
		return st;
	if (t.nothing_new && t.emitted == 0)
		snprintf(text, sizeof text, "nothing new since %s (OAI-PMH noRecordsMatch)", from);
	else
		snprintf(text, sizeof text, "%ld records in %ld pages since %s%s%s (%ld deleted, %ld skipped)",
		         t.records, t.pages, from, a->until ? " until " : "", a->until ? a->until : "", t.deleted,
		         t.skipped);
	note(h, inst, PW_LOG_INFO, text);
	return PW_OK;
}

static pw_status
arxiv_fetch(const pw_host *h, pw_instance *inst, void *state)
{
	const struct arxiv *a = state;
	switch (a->mode) {
	case MODE_LISTING: return fetch_listing(h, inst, a);
	case MODE_API: return fetch_api(h, inst, a);
	default: return fetch_oai(h, inst, a);
	}
}

static const pw_plugin arxiv_plugin = {
	PW_BUNDLED_PLUGIN("arxiv", PW_KIND_SOURCE, PW_NO_FLAGS, "0.2.0"),
	.description = "papers from arXiv: the daily listing with catch-up, the API or OAI-PMH",
	PW_OPTIONS(arxiv_options),
	PW_BUNDLED_CALLBACKS(arxiv, fetch),
};

PW_PLUGIN_DEFINE(arxiv_plugin)
