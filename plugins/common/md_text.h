/* md_text.h: a paper's text into Markdown as GitHub renders it (CommonMark
 * with the GFM extensions): one rule for every field, whatever the source,
 * so that no HTML, link or image can be formed from a paper's fields, TeX
 * math stays readable, and an enricher's own Markdown keeps its structure
 * without its raw HTML, images or links other than http(s). */
#ifndef PW_MD_TEXT_H
#define PW_MD_TEXT_H

#include <stdio.h>

/* A field's text, all of it literal (titles, names, abstracts, reasons). */
void md_put_text(FILE *f, const char *s);
/* Markdown written by a model or an enricher (a summary): headings, bold,
 * italics, lists, code and line breaks kept; raw HTML shown as text;
 * images become their alt text; links kept only to http(s). */
void md_put_markdown(FILE *f, const char *s);
/* A link destination, <...>-quoted, with what cannot stand in it
 * percent-encoded.  Call only with a URL su_is_web_url accepts. */
void md_put_url(FILE *f, const char *url);

#endif
