/* json_text.c: see json_text.h. */
#include <stdlib.h>
#include <string.h>

#include "json_text.h"

cJSON *
jt_parse(const char *text, size_t len, long *replaced)
{
	long n = 0;
	if (replaced)
		*replaced = 0;
	if (!text)
		return NULL;
	/* Only the escape \u0000 itself: a backslash preceded by an odd number
	 * of backslashes is the escaped character "\", not an escape. */
	int hit = 0;
	for (size_t i = 0; i + 6 <= len && !hit; i++)
		hit = text[i] == '\\' && memcmp(text + i, "\\u0000", 6) == 0;
	if (!hit)
		return cJSON_ParseWithLength(text, len);
	char *copy = malloc(len + 1);
	if (!copy)
		return NULL;
	memcpy(copy, text, len);
	copy[len] = '\0';
	for (size_t i = 0; i + 6 <= len; i++) {
		if (copy[i] != '\\')
			continue;
		if (memcmp(copy + i, "\\u0000", 6) == 0) {
			memcpy(copy + i, "\\uFFFD", 6);
			n++;
			i += 5;
		} else {
			i++; /* the escaped character, whatever it is */
		}
	}
	cJSON *j = cJSON_ParseWithLength(copy, len);
	free(copy);
	if (replaced)
		*replaced = n;
	return j;
}
