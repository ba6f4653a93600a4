/* md_text.c: see md_text.h.  CommonMark lets any ASCII punctuation be
 * backslash-escaped, so escaping the characters that open markup ([, <, !,
 * &, *, _, `, ...) makes a field's text inert; the one exception is TeX
 * math, which math-aware renderers read raw: inside $...$ nothing is
 * escaped but what could form HTML or a link, written as TeX commands. */
#include <ctype.h>
#include <string.h>

#include "md_text.h"
#include "sink_util.h"
#include "tex_html.h"

static void
put_math(FILE *f, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '<': fputs("\\lt ", f); break;
		case '>': fputs("\\gt ", f); break;
		case '&': fputs("\\&", f); break;
		case '[': fputs("\\lbrack ", f); break;
		case ']': fputs("\\rbrack ", f); break;
		case '`': fputc('\'', f); break;
		default: fputc(s[i], f);
		}
	}
}

/* Writes one character of literal text. */
static void
put_literal(FILE *f, char c)
{
	if (c == '\n')
		fputs("  \n", f);
	else if (c == '\r' || c == '\0')
		return;
	else {
		if (strchr("\\`*_[]<>#!|~&$", c))
			fputc('\\', f);
		fputc(c, f);
	}
}

void
md_put_text(FILE *f, const char *s)
{
	while (s && *s) {
		size_t m = *s == '$' ? tex_math_span(s) : 0;
		if (m) {
			put_math(f, s, m);
			s += m;
		} else {
			put_literal(f, *s++);
		}
	}
}

void
md_put_url(FILE *f, const char *url)
{
	fputc('<', f);
	for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
		if (*p <= ' ' || *p == '<' || *p == '>' || *p == '\\' || *p == 0x7f)
			fprintf(f, "%%%02X", *p);
		else
			fputc(*p, f);
	}
	fputc('>', f);
}

/* [text](dest) at s: the lengths of text and dest, or 0. */
static size_t
link_at(const char *s, const char **text, size_t *tlen, const char **dest, size_t *dlen)
{
	const char *close = strchr(s + 1, ']');
	if (!close || close[1] != '(' || memchr(s + 1, '\n', (size_t)(close - s - 1)))
		return 0;
	/* The destination ends at the ) that balances its ( (CommonMark). */
	const char *end = close + 2;
	for (int depth = 0; *end && *end != '\n' && (*end != ')' || depth > 0); end++)
		depth += *end == '(' ? 1 : *end == ')' ? -1 : 0;
	if (*end != ')')
		return 0;
	*text = s + 1;
	*tlen = (size_t)(close - s - 1);
	*dest = close + 2;
	*dlen = (size_t)(end - close - 2);
	return (size_t)(end - s + 1);
}

static void
put_text_n(FILE *f, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put_literal(f, s[i]);
}

/* One line of an enricher's Markdown, after its block prefix. */
static void
put_inline(FILE *f, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		const char *text, *dest;
		size_t tlen, dlen, len, m;
		char c = s[i];
		if (c == '`') {
			/* A code span: the renderer shows its content as text. */
			const char *end = memchr(s + i + 1, '`', n - i - 1);
			size_t span = end ? (size_t)(end - (s + i)) + 1 : 1;
			fwrite(s + i, 1, span, f);
			if (!end)
				fputc('`', f);
			i += span;
		} else if (c == '$' && (m = tex_math_span(s + i)) && m <= n - i) {
			put_math(f, s + i, m);
			i += m;
		} else if ((c == '[' || (c == '!' && i + 1 < n && s[i + 1] == '[')) &&
		           (len = link_at(s + i + (c == '!'), &text, &tlen, &dest, &dlen)) && len <= n - i) {
			char url[2048];
			snprintf(url, sizeof url, "%.*s", (int)dlen, dest);
			if (c == '[' && dlen < sizeof url && su_is_web_url(url)) {
				fputc('[', f);
				put_text_n(f, text, tlen);
				fputs("](", f);
				md_put_url(f, url);
				fputc(')', f);
			} else {
				put_text_n(f, text, tlen); /* an image, or a link to elsewhere: its text */
			}
			i += len + (c == '!');
		} else if (c == '*' || c == '_' || c == '~') {
			fputc(c, f); /* emphasis and strikethrough are structure */
			i++;
		} else {
			put_literal(f, c);
			i++;
		}
	}
}

/* The block prefix a line may keep: a heading, a list item, a quote. */
static size_t
block_prefix(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && i < 3 && s[i] == ' ')
		i++;
	size_t h = i;
	while (h < n && s[h] == '#' && h - i < 6)
		h++;
	if (h > i && h < n && s[h] == ' ')
		return h + 1;
	if (i + 1 < n && strchr("-*+>", s[i]) && s[i + 1] == ' ')
		return i + 2;
	size_t d = i;
	while (d < n && isdigit((unsigned char)s[d]) && d - i < 9)
		d++;
	if (d > i && d + 1 < n && (s[d] == '.' || s[d] == ')') && s[d + 1] == ' ')
		return d + 2;
	return 0;
}

void
md_put_markdown(FILE *f, const char *s)
{
	while (s && *s) {
		size_t n = strcspn(s, "\n");
		size_t p = block_prefix(s, n);
		int heading = p > 0 && s[p - 2] == '#';
		fwrite(s, 1, p, f);
		put_inline(f, s + p, n - p);
		s += n;
		if (*s == '\n') {
			/* A line break stays one: two spaces, unless a blank line or
			 * a heading ends it anyway. */
			fputs(heading || s[1] == '\n' || s[1] == '\0' ? "\n" : "  \n", f);
			s++;
		}
	}
}
