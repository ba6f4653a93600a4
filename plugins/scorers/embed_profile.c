/* embed_profile.c: see embed_profile.h.  The BibTeX reader is forgiving the way the
 * exporters need (nested braces, quoted values, # concatenation, @comment
 * and @string blocks) and strict where silence would lose data: an entry
 * that never closes is an error with its line. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "../common/utf8.h"
#include "embed_profile.h"

#define PROFILE_MAX_FILE (64u * 1024 * 1024)

int
profile_add(profile *p, const char *title, const char *abstract, int year)
{
	profile_doc *nd = realloc(p->docs, (p->count + 1) * sizeof *nd);
	if (!nd)
		return -1;
	p->docs = nd;
	profile_doc *d = &p->docs[p->count];
	size_t tl = title ? strlen(title) : 0, al = abstract ? strlen(abstract) : 0;
	d->title = strdup(title ? title : "");
	d->text = malloc(tl + al + 3);
	if (!d->title || !d->text) {
		free(d->title);
		free(d->text);
		return -1;
	}
	snprintf(d->text, tl + al + 3, "%s. %s", title ? title : "", abstract ? abstract : "");
	d->year = year;
	d->order = p->count;
	p->count++;
	return 0;
}

void
profile_free(profile *p)
{
	for (size_t i = 0; i < p->count; i++) {
		free(p->docs[i].title);
		free(p->docs[i].text);
	}
	free(p->docs);
	p->docs = NULL;
	p->count = 0;
}

static int
newest_first(const void *a, const void *b)
{
	const profile_doc *x = a, *y = b;
	if (x->year != y->year)
		return x->year < y->year ? 1 : -1;
	return x->order < y->order ? 1 : (x->order > y->order ? -1 : 0);
}

void
profile_sort_newest_first(profile *p)
{
	qsort(p->docs, p->count, sizeof *p->docs, newest_first);
}

/* Accented letters for the accent commands exporters write. */
static const char *
latex_accent(char cmd, char letter)
{
	static const struct {
		char cmd, letter;
		const char *utf8;
	} table[] = {
		{ '"', 'a', "ä" },  { '"', 'o', "ö" },  { '"', 'u', "ü" },  { '"', 'e', "ë" },  { '"', 'i', "ï" },
		{ '"', 'A', "Ä" },  { '"', 'O', "Ö" },  { '"', 'U', "Ü" },  { '\'', 'a', "á" }, { '\'', 'e', "é" },
		{ '\'', 'i', "í" }, { '\'', 'o', "ó" }, { '\'', 'u', "ú" }, { '\'', 'E', "É" }, { '\'', 'c', "ć" },
		{ '\'', 'n', "ń" }, { '\'', 's', "ś" }, { '\'', 'y', "ý" }, { '`', 'a', "à" },  { '`', 'e', "è" },
		{ '`', 'i', "ì" },  { '`', 'o', "ò" },  { '`', 'u', "ù" },  { '^', 'a', "â" },  { '^', 'e', "ê" },
		{ '^', 'i', "î" },  { '^', 'o', "ô" },  { '^', 'u', "û" },  { '~', 'n', "ñ" },  { '~', 'a', "ã" },
		{ '~', 'o', "õ" },  { 'c', 'c', "ç" },  { 'v', 'c', "č" },  { 'v', 's', "š" },  { 'v', 'z', "ž" },
		{ 'v', 'r', "ř" },  { 'v', 'e', "ě" },  { 'v', 'C', "Č" },  { 'v', 'S', "Š" },  { 'v', 'Z', "Ž" },
		{ 'H', 'o', "ő" },  { 'H', 'u', "ű" },  { 'k', 'a', "ą" },  { 'k', 'e', "ę" },  { '=', 'a', "ā" },
		{ '=', 'e', "ē" },  { 'u', 'a', "ă" },  { '.', 'z', "ż" },  { 0, 0, NULL }
	};

	for (size_t i = 0; table[i].utf8; i++)
		if (table[i].cmd == cmd && table[i].letter == letter)
			return table[i].utf8;
	return NULL;
}

char *
profile_latex_to_text(const char *s)
{
	size_t len = strlen(s), o = 0;
	char *out = malloc(len * 2 + 1);
	if (!out)
		return NULL;
	for (size_t i = 0; i < len;) {
		char c = s[i];
		if (c == '{' || c == '}') {
			i++;
			continue;
		}
		if (c == '~') {
			out[o++] = ' ';
			i++;
			continue;
		}
		if (c != '\\') {
			out[o++] = c;
			i++;
			continue;
		}
		/* A command. */
		char cmd = s[i + 1];
		if (cmd == '\0')
			break;
		if (strchr("\"'`^~=.", cmd) || ((cmd == 'c' || cmd == 'v' || cmd == 'H' || cmd == 'k' || cmd == 'u') &&
		                                (s[i + 2] == '{' || s[i + 2] == ' '))) {
			size_t j = i + 2;
			while (s[j] == '{' || s[j] == ' ')
				j++;
			const char *acc = s[j] ? latex_accent(cmd, s[j]) : NULL;
			if (acc) {
				memcpy(out + o, acc, strlen(acc));
				o += strlen(acc);
				j++;
			}
			i = j;
			continue;
		}
		if (!isalpha((unsigned char)cmd)) {
			/* \& \% \$ \_ \{ ... : the character itself */
			out[o++] = cmd;
			i += 2;
			continue;
		}
		size_t j = i + 1;
		while (isalpha((unsigned char)s[j]))
			j++;
		size_t n = j - i - 1;
		const char *word = s + i + 1;
		if (n == 2 && strncmp(word, "ss", 2) == 0)
			out[o++] = 's', out[o++] = 's';
		else if (n == 2 && strncmp(word, "ae", 2) == 0)
			out[o++] = 'a', out[o++] = 'e';
		else if (n == 1 && (*word == 'o' || *word == 'l' || *word == 'O' || *word == 'L'))
			out[o++] = *word;
		/* Any other command: dropped, its argument kept. */
		while (s[j] == ' ' && n > 2)
			j++;
		i = j;
	}
	out[o] = '\0';
	return out;
}

struct bib {
	const char *s;
	size_t pos, len;
	int line;
};

static void
skip_space(struct bib *b)
{
	while (b->pos < b->len && isspace((unsigned char)b->s[b->pos])) {
		if (b->s[b->pos] == '\n')
			b->line++;
		b->pos++;
	}
}

/* A braced or quoted value, without its delimiters; NULL if unclosed. */
static char *
read_delimited(struct bib *b)
{
	char open = b->s[b->pos], close = open == '{' ? '}' : '"';
	int depth = 0;
	size_t start = ++b->pos;
	for (; b->pos < b->len; b->pos++) {
		char c = b->s[b->pos];
		if (c == '\n')
			b->line++;
		if (c == '\\' && b->pos + 1 < b->len) {
			b->pos++;
			continue;
		}
		if (c == '{') {
			depth++;
		} else if (c == '}') {
			if (depth == 0)
				break; /* the closing brace (or a stray one inside quotes) */
			depth--;
		} else if (c == '"' && close == '"' && depth == 0) {
			break;
		}
	}
	if (b->pos >= b->len)
		return NULL;
	char *v = strndup(b->s + start, b->pos - start);
	b->pos++;
	return v;
}

/* value = part { '#' part }, a part braced, quoted or bare. */
static char *
read_value(struct bib *b)
{
	char *acc = strdup("");
	for (;;) {
		skip_space(b);
		char *part = NULL;
		if (b->pos < b->len && (b->s[b->pos] == '{' || b->s[b->pos] == '"')) {
			part = read_delimited(b);
		} else {
			size_t start = b->pos;
			while (b->pos < b->len && !strchr(",}#) \t\r\n", b->s[b->pos]))
				b->pos++;
			part = strndup(b->s + start, b->pos - start);
		}
		if (!part || !acc) {
			free(part);
			free(acc);
			return NULL;
		}
		char *joined = malloc(strlen(acc) + strlen(part) + 1);
		if (joined)
			sprintf(joined, "%s%s", acc, part);
		free(acc);
		free(part);
		acc = joined;
		skip_space(b);
		if (!acc || b->pos >= b->len || b->s[b->pos] != '#')
			return acc;
		b->pos++;
	}
}

static int
add_entry(profile *p, const char *title, const char *abstract, const char *year)
{
	char *t = profile_latex_to_text(title ? title : "");
	char *a = profile_latex_to_text(abstract ? abstract : "");
	int rc = t && a && profile_add(p, t, a, year ? atoi(year) : 0) == 0 ? 0 : -1;
	free(t);
	free(a);
	return rc;
}

int
profile_parse_bibtex(profile *p, const char *text, const char *name, char *err, size_t err_size)
{
	struct bib b = { text, 0, strlen(text), 1 };
	int added = 0;
	while (b.pos < b.len) {
		const char *at = strchr(b.s + b.pos, '@');
		if (!at)
			break;
		for (const char *q = b.s + b.pos; q < at; q++)
			b.line += *q == '\n';
		b.pos = (size_t)(at - b.s) + 1;
		int entry_line = b.line;
		size_t tstart = b.pos;
		while (b.pos < b.len && isalpha((unsigned char)b.s[b.pos]))
			b.pos++;
		char type[32];
		snprintf(type, sizeof type, "%.*s", (int)(b.pos - tstart), b.s + tstart);
		skip_space(&b);
		if (b.pos >= b.len || (b.s[b.pos] != '{' && b.s[b.pos] != '('))
			continue; /* an '@' in free text */
		if (strcasecmp(type, "comment") == 0 || strcasecmp(type, "string") == 0 ||
		    strcasecmp(type, "preamble") == 0) {
			char *skipped = read_delimited(&b);
			if (!skipped) {
				snprintf(err, err_size, "%s:%d: @%s is never closed", name, entry_line, type);
				return -1;
			}
			free(skipped);
			continue;
		}
		b.pos++;
		/* the key */
		while (b.pos < b.len && b.s[b.pos] != ',' && b.s[b.pos] != '}')
			b.pos++;
		char *title = NULL, *abstract = NULL, *year = NULL;
		char last_field[64] = "";
		int closed = 0, missing_comma = 0;
		while (b.pos < b.len) {
			if (b.s[b.pos] == '}' || b.s[b.pos] == ')') {
				b.pos++;
				closed = 1;
				break;
			}
			if (b.s[b.pos] != ',') {
				/* "title = {X}  abstract = {Y}": reading on would drop the
				 * next field without a word. */
				missing_comma = 1;
				break;
			}
			b.pos++; /* the ',' */
			skip_space(&b);
			if (b.pos < b.len && (b.s[b.pos] == '}' || b.s[b.pos] == ')'))
				continue;
			size_t fstart = b.pos;
			while (b.pos < b.len && (isalnum((unsigned char)b.s[b.pos]) || strchr("_-:", b.s[b.pos])))
				b.pos++;
			char field[64];
			snprintf(field, sizeof field, "%.*s", (int)(b.pos - fstart), b.s + fstart);
			skip_space(&b);
			if (b.pos >= b.len || b.s[b.pos] != '=')
				break;
			b.pos++;
			char *value = read_value(&b);
			if (!value)
				break;
			snprintf(last_field, sizeof last_field, "%s", field);
			if (strcasecmp(field, "title") == 0 && !title)
				title = value;
			else if (strcasecmp(field, "abstract") == 0 && !abstract)
				abstract = value;
			else if (strcasecmp(field, "year") == 0 && !year)
				year = value;
			else
				free(value);
			skip_space(&b);
		}
		if (missing_comma) {
			snprintf(err, err_size,
			         "%s:%d: a ',' is missing after the field \"%s\" (the @%s entry of line %d)", name,
			         b.line, last_field, type, entry_line);
			free(title);
			free(abstract);
			free(year);
			return -1;
		}
		if (!closed) {
			snprintf(err, err_size, "%s:%d: the @%s entry is never closed", name, entry_line, type);
			free(title);
			free(abstract);
			free(year);
			return -1;
		}
		if (title && add_entry(p, title, abstract, year) == 0)
			added++;
		free(title);
		free(abstract);
		free(year);
	}
	return added;
}

static int
parse_csl_json(profile *p, const char *text, const char *name, char *err, size_t err_size)
{
	cJSON *root = cJSON_Parse(text);
	int added = 0;
	if (!cJSON_IsArray(root)) {
		snprintf(err, err_size, "%s: not a CSL-JSON array of items", name);
		cJSON_Delete(root);
		return -1;
	}
	const cJSON *item;
	cJSON_ArrayForEach(item, root) {
		const cJSON *t = cJSON_GetObjectItemCaseSensitive(item, "title");
		const cJSON *a = cJSON_GetObjectItemCaseSensitive(item, "abstract");
		const cJSON *issued = cJSON_GetObjectItemCaseSensitive(item, "issued");
		const cJSON *parts = cJSON_GetObjectItemCaseSensitive(issued, "date-parts");
		const cJSON *y = cJSON_GetArrayItem(cJSON_GetArrayItem(parts, 0), 0);
		if (!cJSON_IsString(t))
			continue;
		int year = cJSON_IsNumber(y) ? y->valueint : (cJSON_IsString(y) ? atoi(y->valuestring) : 0);
		if (profile_add(p, t->valuestring, cJSON_IsString(a) ? a->valuestring : "", year) == 0)
			added++;
	}
	cJSON_Delete(root);
	return added;
}

/* Paragraphs separated by blank lines; the first line is the title. */
static int
parse_text(profile *p, const char *text)
{
	int added = 0;
	const char *s = text;
	while (*s) {
		while (*s == '\n' || *s == '\r')
			s++;
		if (!*s)
			break;
		const char *end = strstr(s, "\n\n");
		const char *crlf = strstr(s, "\r\n\r\n");
		if (crlf && (!end || crlf < end))
			end = crlf;
		size_t n = end ? (size_t)(end - s) : strlen(s);
		char *para = strndup(s, n);
		if (!para)
			return -1;
		char *nl = strchr(para, '\n');
		char *rest = nl ? nl + 1 : NULL;
		if (nl)
			*nl = '\0';
		if (profile_add(p, para, rest ? rest : "", 0) == 0)
			added++;
		free(para);
		s += n;
	}
	return added;
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcasecmp(s + a - b, suffix) == 0;
}

/* 1 when s is valid UTF-8 (no overlong forms or surrogates checked: the
 * host's cleaning handles those; this tells a Latin-1 file apart). */
static int
is_utf8(const unsigned char *s)
{
	while (*s) {
		if (*s < 0x80) {
			s++;
			continue;
		}
		int extra = (*s & 0xE0) == 0xC0 ? 1 : (*s & 0xF0) == 0xE0 ? 2 : (*s & 0xF8) == 0xF0 ? 3 : -1;
		if (extra < 0)
			return 0;
		for (int i = 1; i <= extra; i++)
			if ((s[i] & 0xC0) != 0x80)
				return 0;
		s += extra + 1;
	}
	return 1;
}

/* Latin-1 (ISO 8859-1) to UTF-8: every byte is its code point. */
static char *
latin1_to_utf8(const char *s)
{
	char *out = malloc(2 * strlen(s) + 1), *o = out;
	for (const unsigned char *p = (const unsigned char *)s; out && *p; p++) {
		o += utf8_put(*p, o);
	}
	if (out)
		*o = '\0';
	return out;
}

int
profile_load_file(profile *p, const char *path, char *err, size_t err_size, char *note, size_t note_size)
{
	if (note_size)
		note[0] = '\0';
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, err_size, "%s: %s", path, strerror(errno));
		return -1;
	}
	char *text = malloc(PROFILE_MAX_FILE + 1);
	size_t n = text ? fread(text, 1, PROFILE_MAX_FILE + 1, f) : 0;
	fclose(f);
	if (!text || n > PROFILE_MAX_FILE) {
		snprintf(err, err_size, "%s: %s", path, text ? "larger than 64 MiB" : "out of memory");
		free(text);
		return -1;
	}
	text[n] = '\0';
	if (!is_utf8((const unsigned char *)text)) {
		/* Older BibTeX exports are Latin-1; read as UTF-8 every accent
		 * would become U+FFFD.  Said, so the user can re-export. */
		char *converted = latin1_to_utf8(text);
		free(text);
		if (!converted) {
			snprintf(err, err_size, "%s: out of memory", path);
			return -1;
		}
		text = converted;
		snprintf(note, note_size,
		         "%s is not UTF-8: read as Latin-1 (ISO 8859-1); export it as UTF-8 to be sure", path);
	}
	int rc;
	if (ends_with(path, ".bib") || ends_with(path, ".bibtex"))
		rc = profile_parse_bibtex(p, text, path, err, err_size);
	else if (ends_with(path, ".json"))
		rc = parse_csl_json(p, text, path, err, err_size);
	else
		rc = parse_text(p, text);
	free(text);
	return rc;
}
