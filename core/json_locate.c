/* json_locate.c: cJSON keeps no positions, so schema errors find theirs by
 * walking the original text along the value's path.  The text has already
 * parsed, so the walker may assume it is well formed. */
#include "autoconf.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "json_locate.h"

static const char *
skip_ws(const char *p)
{
	while (*p && isspace((unsigned char)*p))
		p++;
	return p;
}

static const char *
skip_string(const char *p)
{
	/* p at the opening quote */
	for (p++; *p && *p != '"'; p++)
		if (*p == '\\' && p[1])
			p++;
	return *p ? p + 1 : p;
}

static const char *
skip_value(const char *p)
{
	p = skip_ws(p);
	if (*p == '"')
		return skip_string(p);
	if (*p == '{' || *p == '[') {
		int depth = 0;
		while (*p) {
			if (*p == '"') {
				p = skip_string(p);
				continue;
			}
			if (*p == '{' || *p == '[')
				depth++;
			else if (*p == '}' || *p == ']')
				if (--depth == 0)
					return p + 1;
			p++;
		}
		return p;
	}
	while (*p && *p != ',' && *p != '}' && *p != ']' && !isspace((unsigned char)*p))
		p++;
	return p;
}

/* Finds member `key` (len klen) in the object at p; sets *key_at. */
static const char *
find_member(const char *p, const char *key, size_t klen, const char **key_at)
{
	p = skip_ws(p);
	if (*p != '{')
		return NULL;
	p = skip_ws(p + 1);
	while (*p == '"') {
		const char *kstart = p + 1, *kend = skip_string(p) - 1;
		const char *v = skip_ws(skip_string(p));
		if (*v != ':')
			return NULL;
		v = skip_ws(v + 1);
		if ((size_t)(kend - kstart) == klen && strncmp(kstart, key, klen) == 0) {
			*key_at = p;
			return v;
		}
		p = skip_ws(skip_value(v));
		if (*p == ',')
			p = skip_ws(p + 1);
	}
	return NULL;
}

static const char *
find_element(const char *p, long index)
{
	p = skip_ws(p);
	if (*p != '[')
		return NULL;
	p = skip_ws(p + 1);
	for (long i = 0; *p && *p != ']'; i++) {
		if (i == index)
			return p;
		p = skip_ws(skip_value(p));
		if (*p == ',')
			p = skip_ws(p + 1);
	}
	return NULL;
}

size_t
jloc_find(const char *text, const char *path, int want_key)
{
	const char *cur = skip_ws(text), *key_at = cur;
	const char *s = path;

	while (s && *s) {
		const char *next;
		if (*s == '[') {
			long idx = strtol(s + 1, (char **)&next, 10);
			next = strchr(next, ']');
			const char *el = find_element(cur, idx);
			if (!el)
				break;
			cur = key_at = el;
			s = next ? next + 1 : NULL;
		} else {
			if (*s == '.')
				s++;
			size_t klen = strcspn(s, ".[");
			const char *k = NULL;
			const char *v = find_member(cur, s, klen, &k);
			if (!v)
				break;
			cur = v;
			key_at = k;
			s += klen;
		}
	}
	return (size_t)((want_key ? key_at : cur) - text);
}

size_t
jloc_find_repeat(const char *text, const char *parent, const char *key)
{
	size_t klen = strlen(key);
	const char *p = skip_ws(text + jloc_find(text, parent, 0));
	int seen = 0;
	if (*p != '{')
		return (size_t)(p - text);
	p = skip_ws(p + 1);
	while (*p == '"') {
		const char *kstart = p + 1, *kend = skip_string(p) - 1;
		if ((size_t)(kend - kstart) == klen && strncmp(kstart, key, klen) == 0 && seen++ == 1)
			return (size_t)(p - text);
		const char *v = skip_ws(skip_string(p));
		if (*v != ':')
			break;
		p = skip_ws(skip_value(skip_ws(v + 1)));
		if (*p == ',')
			p = skip_ws(p + 1);
	}
	return (size_t)(p - text);
}

void
jloc_line_col(const char *text, size_t offset, int *line, int *col)
{
	int l = 1, c = 1;
	for (size_t i = 0; i < offset && text[i]; i++) {
		if (text[i] == '\n') {
			l++;
			c = 1;
		} else {
			c++;
		}
	}
	*line = l;
	*col = c;
}
