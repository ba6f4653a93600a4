/* text.c: every string that enters a record passes through txt_clean, so
 * sinks can trust what they print. */
#include "autoconf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "text.h"

size_t
txt_utf8_seq_len(const unsigned char *s, size_t avail)
{
	unsigned char c = s[0];
	size_t need;
	unsigned cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) {
		need = 2;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 3;
		cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (avail < need)
		return 0;
	for (size_t i = 1; i < need; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	/* Overlong forms, surrogates and code points past U+10FFFF. */
	if ((need == 3 && cp < 0x800) || (need == 4 && cp < 0x10000) || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
		return 0;
	return need;
}

/* Code points that XML 1.0 forbids and no reader wants: C1 controls,
 * U+FFFE and U+FFFF. */
static int
is_unwanted_multibyte(const unsigned char *s, size_t n)
{
	if (n == 2 && s[0] == 0xC2 && s[1] >= 0x80 && s[1] <= 0x9F)
		return 1;
	if (n == 3 && s[0] == 0xEF && s[1] == 0xBF && (s[2] == 0xBE || s[2] == 0xBF))
		return 1;
	return 0;
}

/* Writes the whitespace held back before the next visible character: one
 * space, or at most two newlines (a paragraph break).  Never at the start. */
static size_t
separate(char *out, size_t o, int *pending_space, int *pending_newlines)
{
	if (o > 0) {
		if (*pending_newlines) {
			int k = *pending_newlines > 2 ? 2 : *pending_newlines;
			while (k--)
				out[o++] = '\n';
		} else if (*pending_space) {
			out[o++] = ' ';
		}
	}
	*pending_space = *pending_newlines = 0;
	return o;
}

/* Characters replaced or dropped so far (the host is one thread): the
 * caller tells whose text it was by the difference. */
static long invalid_total;

long
txt_invalid_total(void)
{
	return invalid_total;
}

/* Eight bytes at a time: how many of them are prose that passes unchanged
 * after a visible character, the bulk of any text: printable ASCII with
 * single spaces, not ending on a space (what follows it might be more
 * white space).  8, or 7 when only the last byte is a space, else 0.
 * Classic SWAR tests: a byte below 0x20 borrows into its top bit, one above
 * 0x7E carries into it; the exact mask of spaces comes from the zero bytes
 * of w ^ "        ".  The byte order decides which byte is last: on a
 * big-endian machine every word takes the byte path. */
#define ONES  0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

static size_t
plain_prose(uint64_t w)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t below = (w - ONES * 0x20) & ~w;
	uint64_t above = (w + ONES) | w; /* 0x7F + 1 and anything from 0x80 */
	if ((below | above) & HIGHS)
		return 0;
	uint64_t z = w ^ (ONES * ' ');
	uint64_t spaces = ~(((z & ~HIGHS) + ~HIGHS) | z) & HIGHS;
	if (spaces & (spaces << 8))
		return 0;
	return 8 - (size_t)(spaces >> 63);
#else
	(void)w;
	return 0;
#endif
}

#ifdef __SSE2__
/* The same test on sixteen bytes (every x86-64 has SSE2): 16, 15 (the
 * last is a space) or 0.  Bytes from 0x80 are negative to the signed
 * compare, so "below a space" catches them with the control bytes. */
static size_t
plain_prose16(const unsigned char *p)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i odd = _mm_or_si128(_mm_cmplt_epi8(v, _mm_set1_epi8(' ')), _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7F)));
	if (_mm_movemask_epi8(odd))
		return 0;
	unsigned spaces = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')));
	if (spaces & (spaces << 1))
		return 0;
	return 16 - (spaces >> 15);
}
#endif

char *
txt_clean(const char *in, size_t len, int keep_newlines)
{
	/* Each invalid byte grows to 3 bytes (U+FFFD). */
	char *out = malloc(len * 3 + 1);
	if (out)
		txt_clean_into(in, len, keep_newlines, out);
	return out;
}

size_t
txt_clean_into(const char *in, size_t len, int keep_newlines, char *out)
{
	size_t o = 0;
	int pending_space = 0, pending_newlines = 0;
	const unsigned char *s = (const unsigned char *)in;

	for (size_t i = 0; i < len;) {
		unsigned char c = s[i];
		if (c > 0x20 && c < 0x7F) {
			if (pending_space | pending_newlines)
				o = separate(out, o, &pending_space, &pending_newlines);
			out[o++] = (char)c;
			i++;
			uint64_t w;
			size_t take;
#ifdef __SSE2__
			while (i + 16 <= len && (take = plain_prose16(s + i)) > 0) {
				memcpy(out + o, s + i, 16); /* the last byte is overwritten when not taken */
				o += take;
				i += take;
			}
#endif
			while (i + 8 <= len && (memcpy(&w, s + i, 8), take = plain_prose(w)) > 0) {
				memcpy(out + o, &w, 8); /* the eighth byte is overwritten when not taken */
				o += take;
				i += take;
			}
			continue;
		}
		if (c == '\n' && keep_newlines) {
			pending_newlines++;
			pending_space = 0;
			i++;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
			pending_space = 1;
			i++;
			continue;
		}
		if (c < 0x20 || c == 0x7F) {
			invalid_total++;
			i++;
			continue;
		}
		size_t n = txt_utf8_seq_len(s + i, len - i);
		if (n > 1 && is_unwanted_multibyte(s + i, n)) {
			invalid_total++;
			i += n;
			continue;
		}
		o = separate(out, o, &pending_space, &pending_newlines);
		if (n == 0) {
			invalid_total++;
			memcpy(out + o, "\xEF\xBF\xBD", 3);
			o += 3;
			i++;
		} else {
			memcpy(out + o, s + i, n);
			o += n;
			i += n;
		}
	}
	out[o] = '\0';
	return o;
}

int
txt_has_prefix_ci(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}
