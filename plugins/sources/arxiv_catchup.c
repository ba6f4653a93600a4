/* arxiv_catchup.c: see arxiv_catchup.h.  Dates are UTC days; arXiv's own
 * clock is US Eastern, five hours behind, which the one-day overlap of
 * every window absorbs. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "arxiv_catchup.h"

void
catchup_day(int64_t t, char out[11])
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

int64_t
catchup_parse_day(const char *s)
{
	struct tm tm = { 0 };
	char extra;
	if (!s || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &extra) != 3 ||
	    tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (int64_t)timegm(&tm);
}

static int64_t
midnight(int64_t t)
{
	return t - ((t % DAY_SECONDS) + DAY_SECONDS) % DAY_SECONDS;
}

void
catchup_window(int64_t now, int64_t since, long max_days, long lag_days, catchup *c)
{
	memset(c, 0, sizeof *c);
	int64_t earliest = midnight(now) - (int64_t)(max_days + lag_days) * DAY_SECONDS;
	if (since < 0) {
		c->first_run = 1;
		c->start = midnight(now) - (int64_t)(1 + lag_days) * DAY_SECONDS;
	} else {
		catchup_day(since, c->since_day);
		c->start = midnight(since) - (int64_t)lag_days * DAY_SECONDS;
	}
	if (c->start < earliest) {
		c->start = earliest;
		c->clamped = 1;
	}
	catchup_day(c->start, c->from);
}

static int
weekday(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	return tm.tm_wday;
}

int
catchup_missed_days(int64_t last, int64_t current)
{
	int missed = 0;
	for (int64_t d = midnight(last) + DAY_SECONDS; d < midnight(current); d += DAY_SECONDS) {
		int wd = weekday(d);
		missed += wd != 0 && wd != 6;
	}
	return missed;
}

const char *
catchup_empty_reason(const char *day)
{
	int64_t t = catchup_parse_day(day);
	if (t < 0)
		return "no announcement";
	int wd = weekday(t);
	return wd == 6 ? "no announcement on Saturdays"
	     : wd == 0 ? "no announcement on Sundays"
	               : "no announcement (an arXiv holiday)";
}

static long
records_on(const oai_totals *t, const char *day)
{
	for (size_t i = 0; i < t->ndays; i++)
		if (strcmp(t->days[i].day, day) == 0)
			return t->days[i].records;
	return 0;
}

void
catchup_note(const oai_totals *t, const char *from, int64_t until, char *out, size_t size)
{
	size_t n = (size_t)snprintf(out, size, "caught up since %s through OAI-PMH:", from);
	int64_t first = catchup_parse_day(from);
	if (first < 0)
		return;
	const char *sep = " ";
	/* The day of from itself was read before: the days after it count. */
	for (int64_t d = first + DAY_SECONDS; d < midnight(until) && n < size; d += DAY_SECONDS) {
		char day[11];
		catchup_day(d, day);
		long r = records_on(t, day);
		if (r)
			n += (size_t)snprintf(out + n, size - n, "%s%s %ld", sep, day, r);
		else
			n += (size_t)snprintf(out + n, size - n, "%s%s 0 (%s)", sep, day, catchup_empty_reason(day));
		sep = ", ";
	}
	if (n < size)
		snprintf(out + n, size - n, "; %ld papers kept", t->emitted);
}
