/* openalex.h: what every reader of OpenAlex works needs (the related
 * source, the embedding scorer's DOI lookups). */
#ifndef PW_OPENALEX_H
#define PW_OPENALEX_H

#include <cjson/cJSON.h>

/* OpenAlex keeps no plain abstracts, only word -> positions
 * (abstract_inverted_index): the abstract rebuilt, malloc'd, or NULL when
 * there is none. */
char *oa_abstract(const cJSON *index);

#endif
