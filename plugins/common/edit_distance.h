/* edit_distance.h: how far a misspelt name is from a known one, for the
 * "did you mean" of config errors.  Plain C with no dependency: compiled
 * into the host (option names) and the arxiv plugin (category names). */
#ifndef PW_EDIT_DISTANCE_H
#define PW_EDIT_DISTANCE_H

#include <stddef.h>

/* Levenshtein distance ignoring ASCII case; 99 for names of 63 bytes or
 * more (no typo is that long). */
size_t ed_distance(const char *a, const char *b);

#endif
