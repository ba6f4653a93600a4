/* record_json.c: a record as the store keeps it, {"field": "v" | ["a","b"],
 * ..., "score": n, "scores": {"name": {"value": n, "reason": "r"}}}, written
 * and read straight from and into the record.  Every stored paper passes
 * through here at least twice a run (stored, then weighed), so there is no
 * intermediate tree: a generic JSON library spent more time building and
 * walking its tree than the text took to scan. */
#include "autoconf.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "record.h"

/* ---------------------------------------------------------------- writing */

struct out {
	char *buf;
	size_t len, cap;
	int failed;
};

static int
reserve(struct out *o, size_t more)
{
	if (o->failed)
		return -1;
	if (o->len + more + 1 <= o->cap)
		return 0;
	size_t cap = o->cap ? o->cap : 2048; /* a paper is about 1.7 KB */
	while (cap < o->len + more + 1)
		cap *= 2;
	char *nb = realloc(o->buf, cap);
	if (!nb) {
		o->failed = 1;
		return -1;
	}
	o->buf = nb;
	o->cap = cap;
	return 0;
}

static void
put(struct out *o, const char *s, size_t n)
{
	if (reserve(o, n) < 0)
		return;
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

/* One character: most of what the writer puts are quotes, commas, colons
 * and brackets, not worth a call to memcpy each. */
static void
put_char(struct out *o, char c)
{
	if (o->len + 2 <= o->cap && !o->failed)
		o->buf[o->len++] = c;
	else
		put(o, &c, 1);
}

/* Whether none of eight bytes needs escaping: no control character (the
 * SWAR "has a byte below 0x20" test), no '"' and no '\\' (a byte equal to
 * c is a zero byte of w ^ c). */
#define ONES  0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

static int
has_zero_byte(uint64_t w)
{
	return ((w - ONES) & ~w & HIGHS) != 0;
}

static int
plain_word(uint64_t w)
{
	int control = ((w - ONES * 0x20) & ~w & HIGHS) != 0;
	return !control && !has_zero_byte(w ^ (ONES * '"')) && !has_zero_byte(w ^ (ONES * '\\'));
}

/* Where the run of bytes that need no escape, from s, ends: sixteen bytes
 * at a time where SSE2 is (every x86-64), else eight (SWAR), then one. */
static const char *
plain_run_end(const char *s, const char *end)
{
#ifdef __SSE2__
	const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), below_space = _mm_set1_epi8(0x1f);
	while (end - s >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
		/* A control byte is its own unsigned minimum with 0x1f. */
		__m128i needs = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(v, below_space), v),
		                             _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
		int mask = _mm_movemask_epi8(needs);
		if (mask)
			return s + __builtin_ctz((unsigned)mask);
		s += 16;
	}
#endif
	uint64_t w;
	while (end - s >= 8 && (memcpy(&w, s, 8), plain_word(w)))
		s += 8;
	while (s < end && (unsigned char)*s >= 0x20 && *s != '"' && *s != '\\')
		s++;
	return s;
}

/* The escapes JSON requires and nothing more: UTF-8 goes through as it is
 * (records hold valid UTF-8 only). */
static void
put_string(struct out *o, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const char *end = s + strlen(s);
	put_char(o, '"');
	for (;;) {
		const char *run = s;
		s = plain_run_end(s, end);
		put(o, run, (size_t)(s - run));
		if (s == end)
			break;
		unsigned char c = (unsigned char)*s++;
		char esc[6] = { '\\', (char)c, 0, 0, 0, 0 };
		size_t n = 2;
		switch (c) {
		case '"':
		case '\\': break;
		case '\n': esc[1] = 'n'; break;
		case '\t': esc[1] = 't'; break;
		case '\r': esc[1] = 'r'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			n = 6;
		}
		put(o, esc, n);
	}
	put_char(o, '"');
}

/* %.17g reads back to the same double; JSON has no NaN or infinity. */
static void
put_number(struct out *o, double v)
{
	char num[40];
	int n = isfinite(v) ? snprintf(num, sizeof num, "%.17g", v) : snprintf(num, sizeof num, "null");
	put(o, num, (size_t)n);
}

static void
put_key(struct out *o, const char *key, int first)
{
	if (!first)
		put_char(o, ',');
	put_string(o, key);
	put_char(o, ':');
}

char *
rec_to_json(const pw_record *rec, int with_scores)
{
	return rec_to_json_some(rec, NULL, NULL, with_scores ? REC_JSON_SCORES : 0);
}

char *
rec_to_json_some(const pw_record *rec, int (*keep)(const pw_record *rec, size_t i, void *ud), void *ud, int flags)
{
	struct out o = { 0 };
	size_t n = rec_nfields(rec), written = 0;
	int with_scores = flags & REC_JSON_SCORES;
	put_char(&o, '{');
	for (size_t i = 0; (flags & REC_JSON_DROPPED) && i < rec_dropped_count(rec); i++) {
		put_key(&o, rec_dropped_name(rec, i), written++ == 0);
		put(&o, "null", 4);
	}
	for (size_t i = 0; i < n; i++) {
		size_t count = rec_field_count_at(rec, i);
		if (keep && !keep(rec, i, ud))
			continue;
		if (rec_field_is_list(rec, i)) {
			put_key(&o, rec_field_name(rec, i), written++ == 0);
			put_char(&o, '[');
			for (size_t j = 0; j < count; j++) {
				if (j)
					put_char(&o, ',');
				put_string(&o, rec_field_value_at(rec, i, j));
			}
			put_char(&o, ']');
		} else if (count) {
			put_key(&o, rec_field_name(rec, i), written++ == 0);
			put_string(&o, rec_field_value_at(rec, i, 0));
		}
	}
	if (with_scores) {
		put_key(&o, "score", written++ == 0);
		put_number(&o, rec_score(rec));
		put_key(&o, "scores", 0);
		put_char(&o, '{');
		double value;
		const char *reason, *name;
		for (size_t k = 0; (name = rec_score_at(rec, k, &value, &reason)); k++) {
			put_key(&o, name, k == 0);
			put(&o, "{\"value\":", 9);
			put_number(&o, value);
			put(&o, ",\"reason\":", 10);
			put_string(&o, reason ? reason : "");
			put_char(&o, '}');
		}
		put_char(&o, '}');
	}
	put_char(&o, '}');
	if (o.failed) {
		free(o.buf);
		return NULL;
	}
	o.buf[o.len] = '\0';
	return o.buf;
}

/* ---------------------------------------------------------------- reading */

/* Any fault leaves p NULL: the record is refused whole, never half read. */
struct in {
	char *p; /* into the record's own copy of the text, decoded in place */
};

static void
skip_space(struct in *in)
{
	if (!in->p)
		return;
	while (*in->p == ' ' || *in->p == '\n' || *in->p == '\t' || *in->p == '\r')
		in->p++;
}

static int
expect(struct in *in, char c)
{
	skip_space(in);
	if (!in->p || *in->p != c) {
		in->p = NULL;
		return -1;
	}
	in->p++;
	return 0;
}

/* Whether the next character is c (consumed if so). */
static int
next_is(struct in *in, char c)
{
	skip_space(in);
	if (in->p && *in->p == c) {
		in->p++;
		return 1;
	}
	return 0;
}

static int
hex4(const char *p, unsigned *cp)
{
	*cp = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
		             : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
		             : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
		                                    : 16u;
		if (d == 16)
			return -1;
		*cp = *cp << 4 | d;
	}
	return 0;
}

static size_t
put_utf8(char *out, unsigned cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* One escape after its backslash, decoded into out; returns the bytes
 * written (0: none, for \u0000), advancing *pp, or -1. */
static int
unescape(char **pp, char *out)
{
	char *p = *pp;
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *k = *p ? strchr(from, *p) : NULL;
	if (k) {
		*out = to[k - from];
		*pp = p + 1;
		return 1;
	}
	unsigned cp, low;
	if (*p != 'u' || hex4(p + 1, &cp) < 0)
		return -1;
	p += 5;
	if (cp >= 0xDC00 && cp <= 0xDFFF)
		return -1;
	if (cp >= 0xD800 && cp <= 0xDBFF) {
		if (p[0] != '\\' || p[1] != 'u' || hex4(p + 2, &low) < 0 || low < 0xDC00 || low > 0xDFFF)
			return -1;
		cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
		p += 6;
	}
	*pp = p;
	return cp ? (int)put_utf8(out, cp) : 0;
}

/* A string, decoded where it lies: the value is the text between the
 * quotes, cut by a NUL where the closing quote was.  Most have no escape:
 * found with two library scans (which go a vector at a time).  An escape
 * never decodes to more bytes than it takes, and unescape reads an escape
 * whole before it writes, so the decoded text never overtakes the raw.
 * Keys are read the same way. */
static char *
read_string(struct in *in)
{
	if (expect(in, '"') < 0)
		return NULL;
	char *start = in->p, *quote = strchr(start, '"');
	if (quote && !memchr(start, '\\', (size_t)(quote - start))) {
		*quote = '\0';
		in->p = quote + 1;
		return start;
	}
	/* With escapes (TeX in an abstract brings many): the end is found,
	 * and the runs between escapes moved, by library scans as well. */
	char *end = start;
	for (;;) {
		end += strcspn(end, "\"\\");
		if (*end != '\\' || !end[1])
			break;
		end += 2;
	}
	if (*end != '"') {
		in->p = NULL;
		return NULL;
	}
	char *p = start, *o = start;
	while (p < end) {
		char *stop = memchr(p, '\\', (size_t)(end - p)), *run_end = stop ? stop : end;
		memmove(o, p, (size_t)(run_end - p));
		o += run_end - p;
		p = run_end;
		if (p == end)
			break;
		p++;
		int n = unescape(&p, o);
		if (n < 0 || p > end) {
			in->p = NULL;
			return NULL;
		}
		o += n;
	}
	*o = '\0';
	in->p = end + 1;
	return start;
}

static double
read_number(struct in *in)
{
	skip_space(in);
	char *end = NULL;
	double v = in->p ? strtod(in->p, &end) : 0;
	if (!in->p || end == in->p)
		in->p = NULL;
	else
		in->p = end;
	return v;
}

/* Steps over any value this reader has no use for (depth-bounded). */
static void
skip_value(struct in *in, int depth)
{
	skip_space(in);
	if (!in->p || depth > 64) {
		in->p = NULL;
		return;
	}
	char c = *in->p;
	if (c == '"') {
		read_string(in);
	} else if (c == '{' || c == '[') {
		char close = c == '{' ? '}' : ']';
		in->p++;
		if (next_is(in, close))
			return;
		do {
			if (c == '{') {
				read_string(in);
				expect(in, ':');
			}
			skip_value(in, depth + 1);
		} while (in->p && next_is(in, ','));
		expect(in, close);
	} else if (strncmp(in->p, "true", 4) == 0 || strncmp(in->p, "null", 4) == 0) {
		in->p += 4;
	} else if (strncmp(in->p, "false", 5) == 0) {
		in->p += 5;
	} else {
		read_number(in);
	}
}

static void
read_list(struct in *in, pw_record *rec, const char *field)
{
	in->p++; /* '[' */
	/* A list replaces the record's as a whole (the ledger's scored
	 * fields are read over the paper's row). */
	rec_unset(rec, field);
	if (rec_mark_list(rec, field) < 0) {
		in->p = NULL;
		return;
	}
	if (next_is(in, ']'))
		return;
	do {
		skip_space(in);
		if (in->p && *in->p == '"') {
			char *v = read_string(in);
			if (v && rec_take(rec, field, v, 1) < 0)
				in->p = NULL;
		} else {
			skip_value(in, 1); /* only strings belong in a list field */
		}
	} while (in->p && next_is(in, ','));
	expect(in, ']');
}

/* {"name": {"value": n, "reason": "r"}, ...} */
static void
read_scores(struct in *in, pw_record *rec)
{
	in->p++; /* '{' */
	if (next_is(in, '}'))
		return;
	do {
		char *name = read_string(in);
		double value = 0;
		char *reason = NULL;
		if (expect(in, ':') == 0 && expect(in, '{') == 0 && !next_is(in, '}')) {
			do {
				const char *key = read_string(in);
				expect(in, ':');
				skip_space(in);
				if (key && in->p && strcmp(key, "value") == 0 && *in->p != '"' && *in->p != 'n')
					value = read_number(in);
				else if (key && in->p && strcmp(key, "reason") == 0 && *in->p == '"' && !reason)
					reason = read_string(in);
				else
					skip_value(in, 2);
			} while (in->p && next_is(in, ','));
			expect(in, '}');
		}
		if (in->p && name && rec_score_add(rec, name, 1, value, reason ? reason : "") < 0)
			in->p = NULL;
	} while (in->p && next_is(in, ','));
	expect(in, '}');
}

/* The object at in->p, decoded in place into rec. */
static int
read_object(struct in *in, pw_record *rec)
{
	if (expect(in, '{') < 0)
		return -1;
	if (next_is(in, '}'))
		goto done;
	do {
		const char *key = read_string(in);
		if (key && expect(in, ':') == 0) {
			skip_space(in);
			char c = in->p ? *in->p : 0;
			if (c == '"') {
				char *v = read_string(in);
				if (v && rec_take(rec, key, v, 0) < 0)
					in->p = NULL;
			} else if (c == '[') {
				read_list(in, rec, key);
			} else if (c == '{' && strcmp(key, "scores") == 0) {
				read_scores(in, rec);
			} else if (c == 'n' && strncmp(in->p, "null", 4) == 0) {
				/* A field the paper's row has and the scored paper had not. */
				in->p += 4;
				rec_unset(rec, key);
			} else {
				skip_value(in, 1);
			}
		}
	} while (in->p && next_is(in, ','));
	if (expect(in, '}') < 0)
		return -1;
done:
	skip_space(in);
	return *in->p == '\0' ? 0 : -1;
}

int
rec_read_json(pw_record *rec, char *text)
{
	struct in in = { text };
	return text ? read_object(&in, rec) : -1;
}

pw_record *
rec_from_json(const char *json)
{
	pw_record *rec = json ? rec_new() : NULL;
	/* The record keeps a copy of the text and its values are decoded in
	 * it: one allocation a record instead of one a value. */
	size_t size = json ? strlen(json) + 1 : 0;
	struct in in = { rec ? malloc(size) : NULL };
	if (!in.p) {
		rec_free(rec);
		return NULL;
	}
	memcpy(in.p, json, size);
	rec_set_backing(rec, in.p, size);
	if (read_object(&in, rec) == 0)
		return rec;
	rec_free(rec);
	return NULL;
}
