/* fold.c: see fold.h.  The tables cover Latin-1, Latin Extended-A, Greek
 * and Cyrillic, which is where researchers' names and terms live; other
 * letters are kept as they are (CJK stays matchable, just not folded). */
#include <stdlib.h>
#include <string.h>

#include "fold.h"
#include "utf8.h"

/* U+00C0..U+017F to ASCII; "" = not a letter we fold. */
static const char *const latin_fold[] = {
	/* C0 */ "a",  "a", "a",  "a",  "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
	/* D0 */ "d",  "n", "o",  "o",  "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "ss",
	/* E0 */ "a",  "a", "a",  "a",  "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
	/* F0 */ "d",  "n", "o",  "o",  "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "y",
	/* 100 */ "a", "a", "a",  "a",  "a", "a", "c",  "c", "c", "c", "c", "c", "c", "c", "d",  "d",
	/* 110 */ "d", "d", "e",  "e",  "e", "e", "e",  "e", "e", "e", "e", "e", "g", "g", "g",  "g",
	/* 120 */ "g", "g", "g",  "g",  "h", "h", "h",  "h", "i", "i", "i", "i", "i", "i", "i",  "i",
	/* 130 */ "i", "i", "ij", "ij", "j", "j", "k",  "k", "k", "l", "l", "l", "l", "l", "l",  "l",
	/* 140 */ "l", "l", "l",  "n",  "n", "n", "n",  "n", "n", "n", "n", "n", "o", "o", "o",  "o",
	/* 150 */ "o", "o", "oe", "oe", "r", "r", "r",  "r", "r", "r", "s", "s", "s", "s", "s",  "s",
	/* 160 */ "s", "s", "t",  "t",  "t", "t", "t",  "t", "u", "u", "u", "u", "u", "u", "u",  "u",
	/* 170 */ "u", "u", "u",  "u",  "w", "w", "y",  "y", "y", "z", "z", "z", "z", "z", "z",  "s",
};

const unsigned char fold_ascii_table[128] = {
	0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
	0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
	0,   0,   0,   0,   '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 0,   0,   0,   0,   0,   0,   0,   'a',
	'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v', 'w',
	'x', 'y', 'z', 0,   0,   0,   0,   0,   0,   'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm',
	'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', 0,   0,   0,   0,   0,
};

int
fold_codepoint(unsigned cp, char out[4])
{
	if (cp < 0x80) {
		if (!fold_ascii_table[cp])
			return -1;
		out[0] = (char)fold_ascii_table[cp];
		return 1;
	}
	if (cp >= 0x300 && cp <= 0x36F)
		return 0; /* combining accents: "e" + U+0301 folds like "é" */
	if (cp >= 0xC0 && cp <= 0x17F) {
		const char *f = latin_fold[cp - 0xC0];
		if (!*f)
			return -1;
		size_t n = strlen(f);
		memcpy(out, f, n);
		return (int)n;
	}
	if (cp < 0xC0)
		return cp == 0xAA || cp == 0xB5 || cp == 0xBA ? (int)utf8_put(cp, out) : -1;
	/* Greek: capitals to small, accented vowels to plain, final sigma to sigma. */
	if (cp >= 0x391 && cp <= 0x3A9)
		cp += 0x20;
	if (cp == 0x3C2)
		cp = 0x3C3;
	if (cp == 0x3AC)
		cp = 0x3B1;
	if (cp == 0x3AD)
		cp = 0x3B5;
	if (cp == 0x3AE)
		cp = 0x3B7;
	if (cp == 0x3AF)
		cp = 0x3B9;
	if (cp == 0x3CC)
		cp = 0x3BF;
	if (cp == 0x3CD)
		cp = 0x3C5;
	if (cp == 0x3CE)
		cp = 0x3C9;
	/* Cyrillic capitals to small. */
	if (cp >= 0x410 && cp <= 0x42F)
		cp += 0x20;
	else if (cp >= 0x400 && cp <= 0x40F)
		cp += 0x50;
	/* Punctuation, symbols and spaces separate words. */
	if ((cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF00 && cp <= 0xFF0F) ||
	    cp == 0xFEFF || (cp >= 0xFE30 && cp <= 0xFE4F))
		return -1;
	return (int)utf8_put(cp, out);
}

/* Decodes one UTF-8 sequence; invalid bytes decode as U+FFFD (a separator). */
static unsigned
next_cp(const unsigned char **p)
{
	const unsigned char *s = *p;
	unsigned cp;
	size_t n;
	if (s[0] < 0x80) {
		*p = s + 1;
		return s[0];
	}
	if ((s[0] & 0xE0) == 0xC0) {
		n = 2;
		cp = s[0] & 0x1F;
	} else if ((s[0] & 0xF0) == 0xE0) {
		n = 3;
		cp = s[0] & 0x0F;
	} else if ((s[0] & 0xF8) == 0xF0) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		*p = s + 1;
		return 0xFFFD;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*p = s + i;
			return 0xFFFD;
		}
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	*p = s + n;
	return cp;
}

/* ASCII, most of any abstract, by table and without the general path,
 * up to the next byte that is not ASCII (or the end); locals only, so the
 * loop stays in registers (out of line for that reason). */
static size_t __attribute__((noinline)) fold_ascii_run(const unsigned char **pp, char *out, size_t o, int *in_word)
{
	const unsigned char *p = *pp;
	int word = *in_word;
	unsigned char b;
	while ((b = *p) != 0 && b < 0x80) {
		unsigned char c = fold_ascii_table[b];
		p++;
		if (c) {
			out[o++] = (char)c;
			word = 1;
		} else if (word) {
			out[o++] = ' ';
			word = 0;
		}
	}
	*pp = p;
	*in_word = word;
	return o;
}

int
fold_next(const unsigned char **p, char out[4])
{
	return fold_codepoint(next_cp(p), out);
}

char *
fold_words(const char *text, size_t *len)
{
	size_t in = text ? strlen(text) : 0;
	/* A folded code point is at most 4 bytes from at least 1 ("ss" from 2). */
	char *out = malloc(in * 4 + 3);
	size_t o = 0;
	int in_word = 0;
	if (!out)
		return NULL;
	out[o++] = ' ';
	const unsigned char *p = (const unsigned char *)(text ? text : "");
	while (*p) {
		char f[4];
		if (*p < 0x80) {
			o = fold_ascii_run(&p, out, o, &in_word);
			continue;
		}
		int n = fold_codepoint(next_cp(&p), f);
		if (n < 0) {
			if (in_word)
				out[o++] = ' ';
			in_word = 0;
			continue;
		}
		memcpy(out + o, f, (size_t)n);
		o += (size_t)n;
		in_word |= n > 0;
	}
	if (in_word)
		out[o++] = ' ';
	out[o] = '\0';
	if (len)
		*len = o;
	return out;
}
