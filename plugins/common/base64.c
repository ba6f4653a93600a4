/* base64.c: see base64.h. */
#include <stdlib.h>
#include <string.h>

#include "base64.h"

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void
b64_encode(mbuf *out, const void *data, size_t len)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < len; i += 3) {
		size_t n = len - i >= 3 ? 3 : len - i;
		unsigned x = (unsigned)p[i] << 16 | (n > 1 ? (unsigned)p[i + 1] << 8 : 0) | (n > 2 ? p[i + 2] : 0);
		char q[4] = { alphabet[x >> 18], alphabet[(x >> 12) & 63], n > 1 ? alphabet[(x >> 6) & 63] : '=',
			      n > 2 ? alphabet[x & 63] : '=' };
		mbuf_put(out, q, 4);
	}
}

/* The value of one base64 digit, -1 for anything else. */
static int
digit(char c)
{
	const char *at = c ? strchr(alphabet, c) : NULL;
	return at ? (int)(at - alphabet) : -1;
}

unsigned char *
b64_decode(const char *s, size_t *len)
{
	size_t n = strlen(s), o = 0;
	if (n % 4)
		return NULL;
	unsigned char *out = malloc(n / 4 * 3 + 1);
	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i += 4) {
		unsigned x = 0;
		int pad = 0;
		for (int k = 0; k < 4; k++) {
			char c = s[i + (size_t)k];
			int d = digit(c);
			/* Padding only at the end, and at most two. */
			if (c == '=' && i + 4 == n && k >= 2 && (k == 3 || s[i + 3] == '='))
				pad++, d = 0;
			if (d < 0) {
				free(out);
				return NULL;
			}
			x = x << 6 | (unsigned)d;
		}
		out[o++] = (unsigned char)(x >> 16);
		if (pad < 2)
			out[o++] = (unsigned char)(x >> 8);
		if (pad < 1)
			out[o++] = (unsigned char)x;
	}
	*len = o;
	return out;
}
