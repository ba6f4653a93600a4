/* tex_html.h: TeX math in a paper's text made readable in HTML without a
 * script or a font: Greek letters and common symbols as Unicode, ^ and _
 * as superscripts and subscripts, \mathbb{R} as ℝ, \frac{a}{b} as a/b.
 * Everything else is escaped as text, so a field can never form markup. */
#ifndef PW_TEX_HTML_H
#define PW_TEX_HTML_H

#include <stddef.h>

#include "mbuf.h"

/* The length of a math span starting at s ($x$ or $$x$$), or 0: the
 * content neither starts nor ends with a space, holds no line break, and
 * the closing $ is not followed by a digit ("costs $5 and $6"). */
size_t tex_math_span(const char *s);

/* text into out as HTML: outside math escaped (& < > " '), each math span
 * as <span class="math">...</span>. */
void tex_put_html(mbuf *out, const char *text);

#endif
