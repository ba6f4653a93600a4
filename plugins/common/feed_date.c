/* feed_date.c: date parsing without the C locale's help (strptime's %a and
 * %b follow LC_TIME, and a German locale must not lose English dates). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "feed_date.h"

static int64_t
utc(int y, int mo, int d, int h, int mi, int s, long offset)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	if (y < 1900 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return (int64_t)timegm(&tm) - offset;
}

/* "+0500", "-04:00", "Z", "GMT", "EST"...; seconds east of UTC, or 0. */
static long
zone_offset(const char *z)
{
	static const struct {
		const char *name;
		int hours;
	} names[] = { { "GMT", 0 },  { "UT", 0 },   { "UTC", 0 },  { "Z", 0 },    { "EST", -5 },
		      { "EDT", -4 }, { "CST", -6 }, { "CDT", -5 }, { "MST", -7 }, { "MDT", -6 },
		      { "PST", -8 }, { "PDT", -7 }, { NULL, 0 } };

	while (*z == ' ')
		z++;
	if (*z == '+' || *z == '-') {
		int hh = 0, mm = 0;
		if (isdigit((unsigned char)z[1]) && isdigit((unsigned char)z[2])) {
			hh = (z[1] - '0') * 10 + (z[2] - '0');
			const char *m = z + 3 + (z[3] == ':');
			if (isdigit((unsigned char)m[0]) && isdigit((unsigned char)m[1]))
				mm = (m[0] - '0') * 10 + (m[1] - '0');
		}
		return (hh * 3600L + mm * 60L) * (*z == '-' ? -1 : 1);
	}
	for (size_t i = 0; names[i].name; i++)
		if (strncasecmp(z, names[i].name, strlen(names[i].name)) == 0)
			return names[i].hours * 3600L;
	return 0;
}

static int64_t
parse_rfc822(const char *s)
{
	static const char *const months[] = { "jan", "feb", "mar", "apr", "may", "jun",
		                              "jul", "aug", "sep", "oct", "nov", "dec" };
	char mon[4] = "";
	int d, y, h = 0, mi = 0, sec = 0, n = 0;
	const char *comma = strchr(s, ',');
	if (comma)
		s = comma + 1;
	if (sscanf(s, " %d %3s %d %d:%d%n", &d, mon, &y, &h, &mi, &n) < 3)
		return -1;
	const char *rest = s + n;
	if (n && *rest == ':') {
		int k = 0;
		if (sscanf(rest, ":%d%n", &sec, &k) == 1)
			rest += k;
	}
	if (y < 100)
		y += y < 50 ? 2000 : 1900;
	for (int m = 0; m < 12; m++)
		if (strncasecmp(mon, months[m], 3) == 0)
			return utc(y, m + 1, d, h, mi, sec, n ? zone_offset(rest) : 0);
	return -1;
}

static int64_t
parse_rfc3339(const char *s)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, n = 0;
	if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) < 3)
		return -1;
	const char *p = s + n;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		int k = 0;
		if (sscanf(p + 1, "%2d:%2d%n", &h, &mi, &k) < 2)
			return -1;
		p += 1 + k;
		if (*p == ':' && sscanf(p, ":%2d%n", &sec, &k) == 1)
			p += k;
		while (*p == '.' || isdigit((unsigned char)*p))
			p++;
		return utc(y, mo, d, h, mi, sec, zone_offset(p));
	}
	return utc(y, mo, d, 0, 0, 0, 0);
}

int64_t
fdate_parse(const char *s)
{
	if (!s)
		return -1;
	while (isspace((unsigned char)*s))
		s++;
	if (isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) && isdigit((unsigned char)s[2]) &&
	    isdigit((unsigned char)s[3]) && s[4] == '-')
		return parse_rfc3339(s);
	return parse_rfc822(s);
}
