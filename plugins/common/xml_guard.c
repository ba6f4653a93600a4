/* xml_guard.c: see xml_guard.h. */
#include <string.h>

#include "xml_guard.h"

int
xg_has_doctype(const char *body, size_t len)
{
	const char *p = body, *end = body + len;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (p < end) {
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
			p++;
		if (end - p >= 9 && memcmp(p, "<!DOCTYPE", 9) == 0)
			return 1;
		/* Skip what may come before the root: the XML declaration,
		 * processing instructions and comments. */
		const char *close = NULL;
		if (end - p >= 2 && memcmp(p, "<?", 2) == 0)
			close = "?>";
		else if (end - p >= 4 && memcmp(p, "<!--", 4) == 0)
			close = "-->";
		if (!close)
			return 0;
		const char *q = p + 2;
		size_t cl = strlen(close);
		while (q + cl <= end && memcmp(q, close, cl) != 0)
			q++;
		p = q + cl;
	}
	return 0;
}
