/* plugin_util.h: small helpers the bundled scorers and enrichers share
 * (linked into each; not part of the ABI). */
#ifndef PW_PLUGIN_UTIL_H
#define PW_PLUGIN_UTIL_H

#include <stdint.h>

#include "paperwire/plugin.h"

/* "Title. Abstract" of a record, malloc'd: the text similarity and
 * language models read. */
char *pu_paper_text(const pw_host *h, pw_instance *inst, const pw_record *rec);

/* FNV-1a, 64 bits: cache keys from prompts and texts. */
uint64_t pu_fnv64(const char *s);

#endif
