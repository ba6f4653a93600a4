/* plugin_util.h: small helpers the bundled scorers and enrichers share
 * (linked into each; not part of the ABI). */
#ifndef PW_PLUGIN_UTIL_H
#define PW_PLUGIN_UTIL_H

#include <stdint.h>

#include "paperwire/plugin.h"

/* "Title. Abstract" of a record, malloc'd: the text similarity and
 * language models read. */
char *pu_paper_text(const pw_host *h, pw_instance *inst, const pw_record *rec);

/* Appends the n pieces to out, which holds `used` bytes of text, cut at
 * size (used < size) as snprintf would; returns the new length.  For text
 * built once a paper, where snprintf's parsing of its format shows. */
size_t pu_append(char *out, size_t size, size_t used, const char *const *pieces, size_t n);

/* FNV-1a, 64 bits: cache keys from prompts and texts. */
uint64_t pu_fnv64(const char *s);

#endif
