/* arxiv_api.h: the arXiv API (export.arxiv.org/api/query): a query paged
 * to its end, and the enrichment pass that adds what only the API carries
 * (comment, journal reference, DOI, affiliations) to listing records. */
#ifndef PW_ARXIV_API_H
#define PW_ARXIV_API_H

#include <stddef.h>

#include "paperwire/plugin.h"

#define ARXIV_API_MAX_PER_CALL 2000
#define ARXIV_API_MAX_TOTAL    30000
#define ARXIV_ENRICH_BATCH     100

typedef struct api_query {
	const char *base_url;
	const char *search_query; /* unencoded, may be NULL */
	const char *id_list;      /* comma-joined, may be NULL */
	long max_results, page_size;
	const char *sort_by, *sort_order;
	int windowed; /* a date window: more hits than max_results is worth a warning */
} api_query;

/* Pages through the query, emitting every entry: at most max_results in
 * all; an empty page before the end is asked again (arXiv's known flake);
 * the API's error entry is a failure naming its message. */
pw_status api_fetch(const pw_host *h, pw_instance *inst, const api_query *q, long *emitted);

/* The enrichment pass: listing records are held in batches and, per
 * batch, one id_list request (under the host's shared arXiv spacing)
 * fills in comment, journal_ref, doi and affiliations before they are
 * emitted.  A batch whose request fails is emitted as it is, with a
 * warning: enrichment never loses a paper. */
typedef struct api_enricher {
	const pw_host *h;
	pw_instance *inst;
	const char *base_url;
	pw_record *held[ARXIV_ENRICH_BATCH];
	size_t nheld;
	long enriched, batches, failed_batches;
} api_enricher;

/* listing_emit_fn: hold rec, flushing when the batch is full. */
int api_enrich_hold(void *enricher, pw_record *rec);
/* Enriches and emits what is held; 0, or -1 when the host refused one. */
int api_enrich_flush(api_enricher *e);
/* Frees what is held without emitting it (the listing failed to read). */
void api_enrich_discard(api_enricher *e);

#endif
