/* llm_fulltext.h: a paper's own text for the llm enricher (input
 * "fulltext"): arXiv's HTML rendering when it has one, else the PDF, as
 * plain text with its section headings in order and without references,
 * figures or tables.  Kept in the plugin's cache by id and version, so
 * every digest and task shares one download. */
#ifndef PW_LLM_FULLTEXT_H
#define PW_LLM_FULLTEXT_H

#include <stddef.h>

#include "paperwire/plugin.h"

/* The text of rec (malloc'd, whole: the caller cuts it to its budget), or
 * NULL with why filled ("no HTML rendering and the PDF is not a PDF").
 * base: where arXiv's /html/ and /pdf/ are.  cached_only: download nothing
 * (a dry run). */
char *ft_fetch(const pw_host *h, pw_instance *inst, const pw_record *rec, const char *base, int cached_only, char *why,
               size_t why_size);

/* The parsers, for the tests: an arXiv HTML page (LaTeXML's classes) or
 * a PDF into the text above; NULL when nothing readable is found. */
char *ft_from_html(const char *html, size_t len);
char *ft_from_pdf(const char *pdf, size_t len);

#endif
