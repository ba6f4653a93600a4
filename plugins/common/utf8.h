/* utf8.h: UTF-8 encoding for the support library's text code (accent
 * folding, HTML entities, Latin-1 files, mail headers). */
#ifndef PW_UTF8_H
#define PW_UTF8_H

#include <stddef.h>

/* Writes code point cp as UTF-8 into out (room for 4 bytes) and returns
 * how many bytes it took.  A code point UTF-8 cannot carry (NUL, a
 * surrogate, one past U+10FFFF) becomes U+FFFD. */
size_t utf8_put(unsigned cp, char *out);

/* The length of the sequence lead byte c starts (1 for ASCII and for a
 * stray continuation byte). */
size_t utf8_len(unsigned char c);

#endif
