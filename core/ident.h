/* ident.h: canonical paper identifiers. */
#ifndef PW_IDENT_H
#define PW_IDENT_H

#include <stddef.h>

/*
 * Turns any spelling of a paper id into its canonical form:
 *   arXiv ids without version ("2401.01234", "math/0611800": an old-style id
 *   loses its subject class), from "arXiv:", abs/pdf URLs, "oai:arXiv.org:",
 *   and the arXiv DOI 10.48550/arXiv.ID in any letter case;
 *   other DOIs lower-cased ("10.1145/3544585.3544600");
 *   anything else kept as given (a URL).
 * The version, when present, goes to *version (else 0).
 * Returns 0 on success, -1 when raw is empty or out is too small.
 */
int ident_canonical(const char *raw, char *out, size_t out_size, int *version);

/* 1 when id (canonical) is an arXiv id. */
int ident_is_arxiv(const char *id);

/* pw_host.canonical_id: ident_canonical, then 1 for an arXiv id, 0 for
 * another, -1 on failure (version may be NULL). */
int ident_classify(const char *raw, char *out, size_t out_size, int *version);

#endif
