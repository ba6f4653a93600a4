/* plugin_util.c: see plugin_util.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plugin_util.h"

char *
pu_paper_text(const pw_host *h, pw_instance *inst, const pw_record *rec)
{
	const char *t = h->record_get(inst, rec, PW_F_TITLE), *a = h->record_get(inst, rec, PW_F_ABSTRACT);
	size_t n = (t ? strlen(t) : 0) + (a ? strlen(a) : 0) + 3;
	char *s = malloc(n);
	if (s)
		snprintf(s, n, "%s. %s", t ? t : "", a ? a : "");
	return s;
}

uint64_t
pu_fnv64(const char *s)
{
	uint64_t x = 1469598103934665603ULL;
	while (*s) {
		x ^= (unsigned char)*s++;
		x *= 1099511628211ULL;
	}
	return x;
}

size_t
pu_append(char *out, size_t size, size_t used, const char *const *pieces, size_t n)
{
	for (size_t i = 0; i < n && used + 1 < size; i++) {
		size_t len = strlen(pieces[i]);
		if (len > size - 1 - used)
			len = size - 1 - used;
		memcpy(out + used, pieces[i], len);
		used += len;
	}
	out[used] = '\0';
	return used;
}
