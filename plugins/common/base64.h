/* base64.h: RFC 4648 base64 for the support library: the mail sink's
 * bodies and encoded words, and the embedding scorer's cached vectors. */
#ifndef PW_BASE64_H
#define PW_BASE64_H

#include <stddef.h>

#include "mbuf.h"

/* Appends data's base64, padded, with no line breaks. */
void b64_encode(mbuf *out, const void *data, size_t len);
/* The bytes of s (malloc'd, *len of them), or NULL when s is not padded
 * base64 or memory runs out. */
unsigned char *b64_decode(const char *s, size_t *len);

#endif
