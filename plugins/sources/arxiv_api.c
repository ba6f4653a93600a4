/* arxiv_api.c: see arxiv_api.h.  Every request goes through the host,
 * which keeps arXiv's one-request-every-3-seconds rule for all arXiv hosts
 * together. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/canonical.h"
#include "../common/mbuf.h"
#include "../common/url_encode.h"
#include "arxiv_api.h"
#include "../common/arxiv_atom.h"

#define ARXIV_EMPTY_PAGE_TRIES 3

/* Query-string encoding: space as '+', unreserved and ':' kept, the rest %XX. */
static void
encode(const char *s, mbuf *url)
{
	char *tmp = malloc(ue_size(s));
	if (!tmp) {
		url->failed = 1;
		return;
	}
	tmp[0] = '\0';
	ue_append(tmp, ue_size(s), s, ":", 1);
	mbuf_puts(url, tmp);
	free(tmp);
}

static char *
page_url(const api_query *q, long start, long count)
{
	mbuf url = { 0 };
	mbuf_printf(&url, "%s%csearch_query=", q->base_url, strchr(q->base_url, '?') ? '&' : '?');
	encode(q->search_query, &url);
	mbuf_puts(&url, "&id_list=");
	encode(q->id_list, &url);
	mbuf_printf(&url, "&start=%ld&max_results=%ld&sortBy=%s&sortOrder=%s", start, count, q->sort_by, q->sort_order);
	return mbuf_take(&url);
}

/* Fetches and parses one page; 0 with page filled, -1 on failure (logged
 * at level). */
static int
fetch_page(const pw_host *h, pw_instance *inst, const api_query *q, long start, long count, atom_page *page,
           pw_status *why, pw_log_level level)
{
	pw_response *resp = NULL;
	char err[768];
	char *url = page_url(q, start, count);
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
		h->log(inst, level, "arXiv API error (HTTP %ld) for %s: %s", code, url, page->error);
	} else if (code != 200) {
		h->log(inst, level, "HTTP %ld from %s", code, url);
		*why = code == 408 || code == 429 || code >= 500 ? PW_RETRY : PW_ERROR;
	} else if (parsed < 0) {
		h->log(inst, level, "%s (start=%ld): %s", url, start, err);
	} else {
		rc = 0;
	}
	if (rc < 0)
		atom_page_free(h, inst, page);
	h->response_free(inst, resp);
	free(url);
	return rc;
}

pw_status
api_fetch(const pw_host *h, pw_instance *inst, const api_query *q, long *emitted)
{
	long start = 0, total = -1, fetched = 0;
	int empty_tries = 0;
	*emitted = 0;

	while (fetched < q->max_results && (total < 0 || start < total)) {
		long count = q->max_results - fetched;
		atom_page page;
		pw_status why;
		if (count > q->page_size)
			count = q->page_size;
		if (fetch_page(h, inst, q, start, count, &page, &why, PW_LOG_ERROR) < 0)
			return why;
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
			h->log(inst, PW_LOG_WARNING, "empty page at start=%ld of %ld results; asking again", start,
			       total);
			continue;
		}
		empty_tries = 0;
		for (size_t i = 0; i < page.count; i++) {
			pw_status es = h->emit(inst, page.records[i]);
			page.records[i] = NULL;
			if (es == PW_ERROR) {
				atom_page_free(h, inst, &page);
				return PW_ERROR; /* the store failed; the host has said why */
			}
		}
		start += (long)page.count;
		fetched += (long)page.count;
		*emitted = fetched;
		page.count = 0;
		atom_page_free(h, inst, &page);
	}
	if (q->windowed && total > q->max_results)
		h->log(inst, PW_LOG_WARNING,
		       "%ld papers matched in the window but max_results is %ld: the %ld oldest "
		       "are not fetched (raise max_results)",
		       total, q->max_results, total - q->max_results);
	return PW_OK;
}

/* ---- the enrichment pass ---- */

static void
copy_field(const pw_host *h, pw_instance *inst, pw_record *to, const pw_record *from, const char *field)
{
	const char *v = h->record_get(inst, from, field);
	if (v && *v && !h->record_get(inst, to, field))
		h->record_set(inst, to, field, v);
}

static void
copy_list(const pw_host *h, pw_instance *inst, pw_record *to, const pw_record *from, const char *field)
{
	if (h->record_count(inst, to, field))
		return;
	for (size_t i = 0; i < h->record_count(inst, from, field); i++)
		h->record_add(inst, to, field, h->record_get_at(inst, from, field, i));
}

static void
merge_page(api_enricher *e, const atom_page *page)
{
	const pw_host *h = e->h;
	char id[128], held[128];
	for (size_t p = 0; p < page->count; p++) {
		if (cn_id(h, e->inst, h->record_get(e->inst, page->records[p], PW_F_ID), id, sizeof id, NULL) < 0)
			continue;
		for (size_t i = 0; id[0] && i < e->nheld; i++) {
			if (cn_id(h, e->inst, h->record_get(e->inst, e->held[i], PW_F_ID), held, sizeof held, NULL) < 0)
				continue;
			if (strcmp(held, id) != 0)
				continue;
			copy_field(h, e->inst, e->held[i], page->records[p], PW_F_COMMENT);
			copy_field(h, e->inst, e->held[i], page->records[p], PW_F_JOURNAL_REF);
			copy_field(h, e->inst, e->held[i], page->records[p], PW_F_DOI);
			copy_field(h, e->inst, e->held[i], page->records[p], PW_F_PRIMARY);
			copy_list(h, e->inst, e->held[i], page->records[p], "affiliations");
			e->enriched++;
			break;
		}
	}
}

int
api_enrich_flush(api_enricher *e)
{
	const pw_host *h = e->h;
	if (!e->nheld)
		return 0;
	mbuf list = { 0 };
	for (size_t i = 0; i < e->nheld; i++) {
		char id[128];
		if (cn_id(h, e->inst, h->record_get(e->inst, e->held[i], PW_F_ID), id, sizeof id, NULL) < 0)
			id[0] = '\0';
		mbuf_printf(&list, "%s%s", i ? "," : "", id);
	}
	char *ids = mbuf_take(&list);
	api_query q = { e->base_url, NULL, ids, (long)e->nheld, (long)e->nheld, "relevance", "descending", 0 };
	atom_page page;
	pw_status why;
	e->batches++;
	if (ids && fetch_page(h, e->inst, &q, 0, (long)e->nheld, &page, &why, PW_LOG_WARNING) == 0) {
		merge_page(e, &page);
		atom_page_free(h, e->inst, &page);
	} else {
		e->failed_batches++;
		h->log(e->inst, PW_LOG_WARNING,
		       "enrichment: %zu papers go out without comment, journal reference, "
		       "DOI and affiliations",
		       e->nheld);
	}
	free(ids);
	int rc = 0;
	for (size_t i = 0; i < e->nheld; i++) {
		if (h->emit(e->inst, e->held[i]) == PW_ERROR)
			rc = -1; /* a store failure; a rejected record is the host's to report */
		e->held[i] = NULL;
	}
	e->nheld = 0;
	return rc;
}

int
api_enrich_hold(void *enricher, pw_record *rec)
{
	api_enricher *e = enricher;
	e->held[e->nheld++] = rec;
	return e->nheld == ARXIV_ENRICH_BATCH ? api_enrich_flush(e) : 0;
}

void
api_enrich_discard(api_enricher *e)
{
	for (size_t i = 0; i < e->nheld; i++)
		e->h->record_free(e->inst, e->held[i]);
	e->nheld = 0;
}
