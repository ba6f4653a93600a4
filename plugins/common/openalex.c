/* openalex.c: see openalex.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "openalex.h"

char *
oa_abstract(const cJSON *index)
{
	int n = 0;
	const cJSON *w, *pos;
	if (!cJSON_IsObject(index))
		return NULL;
	cJSON_ArrayForEach(w, index)
		cJSON_ArrayForEach(pos, w)
			if (cJSON_IsNumber(pos) && pos->valueint >= n && pos->valueint < 100000)
				n = pos->valueint + 1;
	if (n == 0)
		return NULL;
	const char **words = calloc((size_t)n, sizeof *words);
	size_t len = 1;
	if (!words)
		return NULL;
	cJSON_ArrayForEach(w, index)
		cJSON_ArrayForEach(pos, w)
			if (cJSON_IsNumber(pos) && pos->valueint >= 0 && pos->valueint < n && !words[pos->valueint]) {
				words[pos->valueint] = w->string;
				len += strlen(w->string) + 1;
			}
	char *out = malloc(len);
	size_t o = 0;
	for (int i = 0; out && i < n; i++)
		if (words[i])
			o += (size_t)sprintf(out + o, "%s%s", o ? " " : "", words[i]);
	if (out)
		out[o] = '\0';
	free(words);
	return out;
}
