/* arxiv_oai.h: arXiv's OAI-PMH interface (oaipmh.arxiv.org/oai), for
 * backfill and for catching up on days the listing no longer shows:
 * ListRecords in the arXiv or oai_dc format, followed through every
 * resumptionToken, each page read as a stream straight into emit(). */
#ifndef PW_ARXIV_OAI_H
#define PW_ARXIV_OAI_H

#include <stddef.h>
#include <stdint.h>

#include "paperwire/plugin.h"

#define OAI_MAX_DAYS 64

/* What to ask for and what to keep. */
typedef struct oai_request {
	const char *base_url;     /* https://oaipmh.arxiv.org/oai */
	const char *prefix;       /* "arXiv" or "oai_dc" */
	const char *const *sets;  /* NULL-terminated; NULL or empty: no set */
	const char *from, *until; /* YYYY-MM-DD or NULL */
	/* A record created on or after this day is new, one updated on or
	 * after it a replacement (OAI gives dates, not announcements); NULL:
	 * from. */
	const char *new_since;
	/* Catch-up from the listing: keep only records in these categories
	 * (an archive name covers its subjects) whose derived announce type
	 * is in announce.  NULL keeps every record. */
	const char *const *categories;
	const char *const *announce;
	long max_records; /* stop after this many emitted; <= 0: no bound */
} oai_request;

typedef struct oai_day {
	char day[11]; /* datestamp "2026-11-18" */
	long records;
} oai_day;

typedef struct oai_totals {
	long pages, records, emitted, deleted, skipped;
	int nothing_new;            /* the answer was noRecordsMatch */
	oai_day days[OAI_MAX_DAYS]; /* records per datestamp, first seen first */
	size_t ndays;
} oai_totals;

/* Harvests every page.  PW_OK when the list was read to its end (or to
 * max_records), else the failure, logged with the OAI error code and the
 * page.  A page that fails to read keeps none of its records. */
pw_status oai_harvest(const pw_host *h, pw_instance *inst, const oai_request *rq, oai_totals *t);

/* The set of an arXiv category: "cs.LG" -> "cs:cs:LG", "hep-th" ->
 * "physics:hep-th", "astro-ph.CO" -> "physics:astro-ph:CO", "math" ->
 * "math".  Exposed for tests. */
void oai_category_set(const char *category, char *out, size_t size);

#endif
