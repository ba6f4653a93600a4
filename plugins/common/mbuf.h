/* mbuf.h: the support library's growing string, for everything built piece
 * by piece (URLs and queries, prompts, pages, mail).  A failed allocation
 * is remembered: later appends do nothing and mbuf_take answers NULL, so a
 * caller checks once, at the end. */
#ifndef PW_MBUF_H
#define PW_MBUF_H

#include <stddef.h>

typedef struct mbuf {
	char *s; /* NUL-terminated once anything was put; NULL before */
	size_t len, cap;
	int failed;
} mbuf;

void mbuf_put(mbuf *b, const char *s, size_t n);
void mbuf_puts(mbuf *b, const char *s);
void mbuf_printf(mbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The string, the caller's to free ("" when nothing was put), and b is
 * empty again; NULL when an allocation failed on the way. */
char *mbuf_take(mbuf *b);
void mbuf_free(mbuf *b);

#endif
