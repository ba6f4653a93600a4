/* url_encode.h: percent-encoding for the URLs plugins build (query values,
 * path segments, OAI-PMH tokens): one function instead of one per plugin. */
#ifndef PW_URL_ENCODE_H
#define PW_URL_ENCODE_H

#include <stddef.h>

/* Appends s to the NUL-terminated string in out (size bytes in all),
 * percent-encoding every byte but RFC 3986's unreserved characters
 * (letters, digits, "-._~") and those in keep; with plus, a space becomes
 * '+' (form encoding, as arXiv's search_query wants).  Never writes half an
 * escape.  Returns 0, or -1 when out was too small (what fitted is kept). */
int ue_append(char *out, size_t size, const char *s, const char *keep, int plus);

/* The size a buffer needs to take s encoded, NUL included. */
size_t ue_size(const char *s);

#endif
