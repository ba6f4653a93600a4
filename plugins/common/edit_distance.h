/* edit_distance.h: how far a misspelt name is from a known one, for the
 * "did you mean" of config errors.  Plain C with no dependency: compiled
 * into the host (option names) and the arxiv plugin (category names). */
#ifndef PW_EDIT_DISTANCE_H
#define PW_EDIT_DISTANCE_H

#include <stddef.h>

/* Levenshtein distance ignoring ASCII case; 99 for names of 63 bytes or
 * more (no typo is that long). */
size_t ed_distance(const char *a, const char *b);

/* The name of names[0..n) nearest to word, within max_edits (the first of
 * equally near ones), or NULL: the "did you mean" of every config error. */
const char *ed_closest(const char *word, const char *const *names, size_t n, size_t max_edits);

/* How many edits a typo of word may hold: a third of its length, at least
 * 1 and at most 3 (a short option name has few letters to get wrong). */
size_t ed_typo_budget(const char *word);

#endif
