/* str_append.c: see str_append.h. */
#include <stdlib.h>
#include <string.h>

#include "str_append.h"

int
str_append(char **buf, size_t *len, const char *s)
{
	size_t n = strlen(s);
	char *nb = realloc(*buf, *len + n + 1);
	if (!nb)
		return -1;
	memcpy(nb + *len, s, n + 1);
	*buf = nb;
	*len += n;
	return 0;
}
