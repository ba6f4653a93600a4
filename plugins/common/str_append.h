/* str_append.h: a growing malloc'd string, for URLs and queries built
 * piece by piece. */
#ifndef PW_STR_APPEND_H
#define PW_STR_APPEND_H

#include <stddef.h>

/* Appends s to *buf (malloc'd, *len long); 0, or -1 when out of memory
 * (then *buf is unchanged). */
int str_append(char **buf, size_t *len, const char *s);

#endif
