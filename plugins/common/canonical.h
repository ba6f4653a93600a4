/* canonical.h: a paper id in the host's canonical form, through the host's
 * own service (pw_host.canonical_id), so no plugin re-implements
 * arXiv id and version parsing.  Linked into the plugins that need it. */
#ifndef PW_CANONICAL_H
#define PW_CANONICAL_H

#include <stddef.h>

#include "paperwire/plugin.h"

/* 1 and out = "2401.01234" (*version = 2 for "...v2", else 0) for any
 * spelling of an arXiv id; 0 and out = the host's form of another id (a DOI
 * lower-cased, a URL as given); -1 when raw is empty or out is too small. */
int cn_id(const pw_host *h, pw_instance *inst, const char *raw, char *out, size_t size, int *version);

#endif
