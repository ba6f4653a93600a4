/* fold.h: text folded for matching: lower case, accents removed, words
 * separated by single spaces.  Shared by the keyword and embedding
 * scorers, so that both see "Schrödinger", "SCHRODINGER" and
 * "schrodinger" as one word. */
#ifndef PW_FOLD_H
#define PW_FOLD_H

#include <stddef.h>

/* Folds UTF-8 text into " w1 w2 w3 " (a space before and after every
 * word), so that " term " is a whole-word match.  A word is a run of
 * letters and digits (any script); everything else separates words.
 * Returns a malloc'd string and its length in *len. */
char *fold_words(const char *text, size_t *len);

/* Folds one code point: the lower-case, unaccented form as UTF-8 into out
 * (at most 3 bytes, "ss" for ß, "ae" for æ); returns its length, 0 when
 * the code point is dropped (a combining mark), -1 when it separates words. */
int fold_codepoint(unsigned cp, char out[4]);

/* The same fold for a scanner that folds as it goes (the keyword matcher):
 * an ASCII byte's folded byte, 0 for a separator; and the code point at *p
 * (a byte from 0x80), decoded, advanced past and folded as fold_codepoint. */
extern const unsigned char fold_ascii_table[128];
int fold_next(const unsigned char **p, char out[4]);

#endif
