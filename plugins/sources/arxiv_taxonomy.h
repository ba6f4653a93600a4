/* arxiv_taxonomy.h: whether a name is one of arXiv's categories. */
#ifndef PW_ARXIV_TAXONOMY_H
#define PW_ARXIV_TAXONOMY_H

/* The category when name is one (exactly, case and all); else NULL, with
 * *suggestion the category it most likely meant ("cs.lg" -> "cs.LG") or
 * NULL when none is close. */
const char *arxiv_category_check(const char *name, const char **suggestion);

#endif
