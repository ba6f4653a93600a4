/* arxiv_catchup.h: catch-up.  A run without explicit dates fetches what
 * was announced since the instance's last successful fetch, bounded by
 * max_days, so a missed cron run, an outage or a holiday loses nothing;
 * and the run report says why a day brought nothing. */
#ifndef PW_ARXIV_CATCHUP_H
#define PW_ARXIV_CATCHUP_H

#include <stddef.h>
#include <stdint.h>

#include "arxiv_oai.h"

#define DAY_SECONDS 86400

typedef struct catchup {
	char from[11]; /* the first day to fetch, "2026-11-17" */
	int64_t start; /* its midnight, UTC */
	int first_run; /* no last success: from yesterday */
	int clamped;   /* the last success was more than max_days ago */
	char since_day[11];
} catchup;

/* "2026-11-17" of t (UTC). */
void catchup_day(int64_t t, char out[11]);
/* The midnight (UTC) of "2026-11-17"; -1 unless s is exactly such a day. */
int64_t catchup_parse_day(const char *s);

/* From the day of since, moved back lag_days (arXiv's API dates papers by
 * submission, which precedes announcement by up to four days), but never
 * more than max_days before now; yesterday on a first run (since < 0).
 * The day of since itself is fetched again: OAI-PMH has day granularity,
 * and the store merges a paper that comes twice. */
void catchup_window(int64_t now, int64_t since, long max_days, long lag_days, catchup *c);

/* Listing days (Monday to Friday) strictly after the day of last and
 * before the day of current: the announcements a listing reader missed. */
int catchup_missed_days(int64_t last, int64_t current);

/* Why a day had no records: "no announcement on Saturdays", or for a
 * weekday "no announcement (an arXiv holiday)". */
const char *catchup_empty_reason(const char *day);

/* 1 when the UTC day of t is one arXiv announced it would not announce on. */
int catchup_is_holiday(int64_t t);

/* "caught up since 2026-11-17 through OAI-PMH: 2026-11-18 412,
 * 2026-11-19 0 (no announcement (an arXiv holiday)), ...": every day
 * after from (read before) and before until, with its records or why it
 * had none. */
void catchup_note(const oai_totals *t, const char *from, int64_t until, char *out, size_t size);

#endif
