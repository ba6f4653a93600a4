/* text.h: UTF-8 cleaning shared by records, config and sinks. */
#ifndef PW_TEXT_H
#define PW_TEXT_H

#include <stddef.h>

/* A malloc'd copy of in[0..len) that is valid UTF-8: invalid bytes become
 * U+FFFD, control characters are dropped, runs of white space become one
 * space and the ends are trimmed.  With keep_newlines, line breaks survive
 * (at most two in a row) so that multi-line extension fields keep shape. */
char *txt_clean(const char *in, size_t len, int keep_newlines);
/* The same into out, which has room for len * 3 + 1 bytes; returns the
 * cleaned length (out is NUL-terminated). */
size_t txt_clean_into(const char *in, size_t len, int keep_newlines, char *out);
/* How many invalid bytes, control and unwanted characters txt_clean has
 * replaced or dropped since the process began. */
long txt_invalid_total(void);

/* Length in bytes of the valid UTF-8 sequence at s (1-4), or 0 if invalid. */
size_t txt_utf8_seq_len(const unsigned char *s, size_t avail);

/* ASCII-only case-insensitive prefix test. */
int txt_has_prefix_ci(const char *s, const char *prefix);

#endif
