/* url_encode.c: see url_encode.h. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "url_encode.h"

int
ue_append(char *out, size_t size, const char *s, const char *keep, int plus)
{
	size_t n = strlen(out);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		int as_is = isalnum(c) || strchr("-._~", c) || (keep && c && strchr(keep, c));
		size_t need = as_is || (plus && c == ' ') ? 1 : 3;
		if (n + need >= size) {
			out[n] = '\0';
			return -1;
		}
		if (as_is)
			out[n++] = (char)c;
		else if (plus && c == ' ')
			out[n++] = '+';
		else
			n += (size_t)snprintf(out + n, size - n, "%%%02X", c);
	}
	out[n] = '\0';
	return 0;
}

size_t
ue_size(const char *s)
{
	return (s ? 3 * strlen(s) : 0) + 1;
}
