/* select.h: a digest's selection. */
#ifndef PW_SELECT_H
#define PW_SELECT_H

#include <stddef.h>

#include "config.h"
#include "paperwire/plugin.h"

/* Best first; equal scores keep their order (the fetch order). */
void select_sort(pw_record **v, size_t n);

/* Keeps the papers the digest selects at the front of cands (freeing the
 * others) and returns how many. */
size_t select_papers(const cfg_digest *dg, pw_record **cands, size_t n);

#endif
