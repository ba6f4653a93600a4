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

/* The days arXiv has said it will not announce on (info.arxiv.org/help/
 * availability.html); a weekday without announcements that is not listed
 * is not called a holiday.  Extend it as arXiv publishes the next year's. */
static const char *const holidays[] = {
	"2026-01-01", "2026-01-19", "2026-06-19", "2026-07-03", "2026-09-07",
	"2026-11-26", "2026-12-25", "2026-12-29", "2026-12-31",
};

int
catchup_is_holiday(int64_t t)
{
	char day[11];
	catchup_day(t, day);
	for (size_t i = 0; i < sizeof holidays / sizeof holidays[0]; i++)
		if (strcmp(holidays[i], day) == 0)
			return 1;
	return 0;
}

const char *
catchup_empty_reason(const char *day)
{
	int64_t t = catchup_parse_day(day);
	if (t < 0)
		return "no announcement";
	int wd = weekday(t);
	return wd == 6   ? "no announcement on Saturdays"
	       : wd == 0 ? "no announcement on Sundays"
	       : catchup_is_holiday(t)
	               ? "no announcement (an arXiv holiday)"
	               : "no announcement (not a listed arXiv holiday: a deferral, see status.arxiv.org)";
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
