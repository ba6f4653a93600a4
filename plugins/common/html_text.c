/* html_text.c: a small, forgiving HTML-to-text pass.  It is not a parser:
 * it never needs to be, because the result is only read as text. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "html_text.h"
#include "utf8.h"

static const struct {
	const char *name;
	unsigned cp;
} entities[] = { { "amp", '&' },       { "lt", '<' },       { "gt", '>' },       { "quot", '"' },
	         { "apos", '\'' },     { "nbsp", 0xA0 },    { "ndash", 0x2013 }, { "mdash", 0x2014 },
	         { "hellip", 0x2026 }, { "lsquo", 0x2018 }, { "rsquo", 0x2019 }, { "ldquo", 0x201C },
	         { "rdquo", 0x201D },  { "copy", 0xA9 },    { "reg", 0xAE },     { "deg", 0xB0 },
	         { "plusmn", 0xB1 },   { "times", 0xD7 },   { "middot", 0xB7 },  { "micro", 0xB5 },
	         { "alpha", 0x3B1 },   { "beta", 0x3B2 },   { "gamma", 0x3B3 },  { "delta", 0x3B4 },
	         { "mu", 0x3BC },      { "pi", 0x3C0 },     { "sigma", 0x3C3 },  { "eacute", 0xE9 },
	         { "egrave", 0xE8 },   { "aacute", 0xE1 },  { "ouml", 0xF6 },    { "uuml", 0xFC },
	         { "auml", 0xE4 },     { "szlig", 0xDF },   { "ccedil", 0xE7 },  { "le", 0x2264 },
	         { "ge", 0x2265 },     { NULL, 0 } };

/* Decodes the reference at p ("&amp;"); returns bytes consumed, 0 if none. */
static size_t
entity(const char *p, char *o, size_t *olen)
{
	const char *semi = strchr(p, ';');
	if (!semi || semi - p > 12)
		return 0;
	unsigned cp = 0;
	if (p[1] == '#') {
		char *end;
		unsigned long v = (p[2] == 'x' || p[2] == 'X') ? strtoul(p + 3, &end, 16) : strtoul(p + 2, &end, 10);
		if (end != semi)
			return 0;
		cp = v > 0x10FFFF ? 0xFFFD : (unsigned)v;
	} else {
		size_t n = (size_t)(semi - p - 1);
		for (size_t i = 0; entities[i].name && !cp; i++)
			if (strlen(entities[i].name) == n && strncmp(p + 1, entities[i].name, n) == 0)
				cp = entities[i].cp;
		if (!cp)
			return 0;
	}
	*olen += utf8_put(cp == 0xA0 ? ' ' : cp, o + *olen);
	return (size_t)(semi - p + 1);
}

static const char *
find_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return hay;
	return NULL;
}

static int
starts_tag(const char *p, const char *name)
{
	size_t n = strlen(name);
	return strncasecmp(p + 1, name, n) == 0 && (p[1 + n] == '>' || isspace((unsigned char)p[1 + n]));
}

char *
html_to_text(const char *html)
{
	size_t len = strlen(html);
	/* A reference never grows: "&#x10FFFF;" is 10 bytes for 4. */
	char *out = malloc(len + 2);
	size_t o = 0;
	if (!out)
		return NULL;
	for (const char *p = html; *p;) {
		if (*p == '<') {
			const char *skip_to = NULL;
			if (starts_tag(p, "script"))
				skip_to = "</script";
			else if (starts_tag(p, "style"))
				skip_to = "</style";
			if (skip_to) {
				const char *e = find_ci(p, skip_to);
				p = e ? e : p + strlen(p);
			}
			const char *gt = strchr(p, '>');
			if (!gt) {
				out[o++] = *p++; /* a lone '<' is text: "a < b" */
				continue;
			}
			out[o++] = ' ';
			p = gt + 1;
		} else if (*p == '&') {
			size_t used = entity(p, out, &o);
			if (used) {
				p += used;
			} else {
				out[o++] = *p++;
			}
		} else {
			out[o++] = *p++;
		}
	}
	out[o] = '\0';
	/* Collapse whitespace. */
	size_t w = 0;
	int space = 1;
	for (size_t i = 0; i < o; i++) {
		unsigned char c = (unsigned char)out[i];
		if (isspace(c)) {
			if (!space)
				out[w++] = ' ';
			space = 1;
		} else {
			out[w++] = (char)c;
			space = 0;
		}
	}
	while (w && out[w - 1] == ' ')
		w--;
	out[w] = '\0';
	return out;
}
