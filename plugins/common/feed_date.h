/* feed_date.h: the dates feeds carry, as Unix UTC seconds. */
#ifndef PW_FEED_DATE_H
#define PW_FEED_DATE_H

#include <stdint.h>

/* RFC 822/1123 ("Thu, 28 Nov 2024 00:00:00 -0500", zone names too),
 * RFC 3339 ("2024-11-28T05:00:00Z", "+01:00") or a bare "2024-11-28".
 * Returns -1 when s is none of these. */
int64_t fdate_parse(const char *s);

#endif
