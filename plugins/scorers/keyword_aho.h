/* keyword_aho.h: Aho-Corasick over bytes: every pattern found in one pass over
 * the text, so that 1,000 keywords cost about what 10 do. */
#ifndef PW_AHO_H
#define PW_AHO_H

#include <stddef.h>

typedef struct aho aho;

aho *aho_new(void);
void aho_free(aho *a);
/* Adds a pattern with an id (>= 0).  Returns 0 or -1. */
int aho_add(aho *a, const char *pattern, size_t len, int id);
/* Computes the failure links; call once, after the last aho_add. */
int aho_build(aho *a);
/* Calls fn for every occurrence of every pattern in text. */
void aho_scan(const aho *a, const char *text, size_t len, void (*fn)(int id, void *ud), void *ud);

/* The same over text as fold_words (fold.h) would give it, folded while
 * it is scanned: no folded copy is made. */
void aho_scan_folded(const aho *a, const char *text, void (*fn)(int id, void *ud), void *ud);

#endif
