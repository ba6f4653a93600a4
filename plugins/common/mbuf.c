/* mbuf.c: see mbuf.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mbuf.h"

void
mbuf_put(mbuf *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *ns = realloc(b->s, cap);
		if (!ns) {
			b->failed = 1;
			return;
		}
		b->s = ns;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
mbuf_puts(mbuf *b, const char *s)
{
	mbuf_put(b, s, strlen(s));
}

void
mbuf_printf(mbuf *b, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof tmp) {
		mbuf_put(b, tmp, (size_t)n);
		return;
	}
	char *big = malloc((size_t)n + 1);
	if (!big) {
		b->failed = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	mbuf_put(b, big, (size_t)n);
	free(big);
}

void
mbuf_free(mbuf *b)
{
	free(b->s);
	memset(b, 0, sizeof *b);
}

char *
mbuf_take(mbuf *b)
{
	char *s = b->failed ? NULL : b->s ? b->s : strdup("");
	if (b->failed)
		free(b->s);
	memset(b, 0, sizeof *b);
	return s;
}
