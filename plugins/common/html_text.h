/* html_text.h: HTML (as feeds put it in summaries) to plain text. */
#ifndef PW_HTML_TEXT_H
#define PW_HTML_TEXT_H

/* A malloc'd copy of html with tags dropped (block tags become spaces),
 * <script>/<style> bodies dropped, character references decoded (named
 * ones of HTML's common set, decimal and hex), whitespace collapsed.
 * An unknown entity is kept as written, so "&foo;" survives.  NULL only
 * when out of memory. */
char *html_to_text(const char *html);

#endif
