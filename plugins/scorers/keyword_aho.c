/* keyword_aho.c: see keyword_aho.h.  While patterns are added, nodes keep their edges
 * sorted in small arrays; aho_build then compiles the automaton into a
 * transition table over byte classes (the bytes that occur in patterns,
 * and one class for every other byte), so scanning costs one table load
 * per byte instead of a search of edges and failure links.  A thousand
 * terms make a table of about a megabyte. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../common/fold.h"
#include "keyword_aho.h"

struct edge {
	unsigned char byte;
	int to;
};

struct node {
	struct edge *edges;
	int nedges;
	int fail;
	int dict;  /* nearest node down the failure chain with ids, or -1 */
	int depth; /* the length of the text that leads to it */
	int *ids;
	int nids;
};

struct aho {
	struct node *nodes;
	int count, cap;
	int root[256]; /* the root's edges as a table: most bytes of a text start there */
	/* The compiled automaton (NULL if too large: then edges are searched). */
	unsigned char cls[256];       /* byte -> class; 0 is every byte no pattern has */
	unsigned char ascii_cls[128]; /* an ASCII byte's class once folded; a separator's is the space's */
	int nclasses;
	int *delta;             /* delta[node * nclasses + class]: next node * nclasses * 2 + reports */
	unsigned char *reports; /* 1 when a pattern ends at the node or down its dict chain */
};

/* Beyond this many table entries (64 MiB) the edges are searched instead. */
#define AHO_MAX_TABLE (16 << 20)

static int
new_node(aho *a)
{
	if (a->count == a->cap) {
		int cap = a->cap ? a->cap * 2 : 64;
		struct node *nn = realloc(a->nodes, (size_t)cap * sizeof *nn);
		if (!nn)
			return -1;
		a->nodes = nn;
		a->cap = cap;
	}
	memset(&a->nodes[a->count], 0, sizeof a->nodes[0]);
	a->nodes[a->count].dict = -1;
	return a->count++;
}

aho *
aho_new(void)
{
	aho *a = calloc(1, sizeof *a);
	if (a && new_node(a) < 0) {
		free(a);
		return NULL;
	}
	return a;
}

void
aho_free(aho *a)
{
	if (!a)
		return;
	for (int i = 0; i < a->count; i++) {
		free(a->nodes[i].edges);
		free(a->nodes[i].ids);
	}
	free(a->nodes);
	free(a->delta);
	free(a->reports);
	free(a);
}

static int
child(const aho *a, int node, unsigned char c)
{
	const struct node *n = &a->nodes[node];
	int lo = 0, hi = n->nedges - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (n->edges[mid].byte == c)
			return n->edges[mid].to;
		if (n->edges[mid].byte < c)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

static int
add_child(aho *a, int node, unsigned char c)
{
	int to = new_node(a);
	if (to < 0)
		return -1;
	struct node *n = &a->nodes[node];
	struct edge *ne = realloc(n->edges, (size_t)(n->nedges + 1) * sizeof *ne);
	if (!ne)
		return -1;
	n->edges = ne;
	int i = n->nedges++;
	while (i > 0 && ne[i - 1].byte > c) {
		ne[i] = ne[i - 1];
		i--;
	}
	ne[i].byte = c;
	ne[i].to = to;
	return to;
}

int
aho_add(aho *a, const char *pattern, size_t len, int id)
{
	int node = 0;
	for (size_t i = 0; i < len; i++) {
		int next = child(a, node, (unsigned char)pattern[i]);
		if (next < 0 && (next = add_child(a, node, (unsigned char)pattern[i])) < 0)
			return -1;
		node = next;
	}
	struct node *n = &a->nodes[node];
	int *ni = realloc(n->ids, (size_t)(n->nids + 1) * sizeof *ni);
	if (!ni)
		return -1;
	n->ids = ni;
	n->ids[n->nids++] = id;
	return 0;
}

/* The transition table, filled in breadth-first order (order[0..n), the
 * root first), so a node's failure target is always filled before it. */
static void
compile_table(aho *a, const int *order, int n)
{
	unsigned char byte_of[256];
	memset(a->cls, 0, sizeof a->cls);
	a->nclasses = 1;
	for (int u = 0; u < a->count; u++)
		for (int e = 0; e < a->nodes[u].nedges; e++) {
			unsigned char b = a->nodes[u].edges[e].byte;
			if (!a->cls[b]) {
				byte_of[a->nclasses] = b;
				a->cls[b] = (unsigned char)a->nclasses++;
			}
		}
	if (a->nclasses > 255 || (size_t)a->count * (size_t)a->nclasses > AHO_MAX_TABLE)
		return;
	int k = a->nclasses;
	a->delta = malloc((size_t)a->count * (size_t)k * sizeof *a->delta);
	a->reports = calloc((size_t)a->count, 1);
	if (!a->delta || !a->reports) {
		free(a->delta);
		free(a->reports);
		a->delta = NULL;
		a->reports = NULL;
		return;
	}
	a->delta[0] = 0;
	for (int c = 1; c < k; c++) {
		int t = child(a, 0, byte_of[c]);
		a->delta[c] = t >= 0 ? t : 0;
	}
	for (int i = 0; i < n; i++) {
		int u = order[i], f = a->nodes[u].fail;
		a->delta[(size_t)u * k] = a->delta[(size_t)f * k];
		for (int c = 1; c < k; c++) {
			int t = child(a, u, byte_of[c]);
			a->delta[(size_t)u * k + c] = t >= 0 ? t : a->delta[(size_t)f * k + c];
		}
	}
	for (int u = 1; u < a->count; u++)
		a->reports[u] = a->nodes[u].nids > 0 || a->nodes[u].dict > 0;
	for (int b = 0; b < 128; b++)
		a->ascii_cls[b] = a->cls[fold_ascii_table[b] ? fold_ascii_table[b] : ' '];
	/* Each entry becomes where the next row starts, times two, plus one
	 * when the next node reports: the scan then needs no multiply and no
	 * second load per byte.  (count * k <= AHO_MAX_TABLE, so it fits.) */
	for (size_t i = 0; i < (size_t)a->count * (size_t)k; i++) {
		int t = a->delta[i];
		a->delta[i] = (t * k) << 1 | a->reports[t];
	}
	/* A space after a space stays where it is, reporting nothing: folded
	 * text has single spaces between words, and with this the matcher can
	 * be fed every separator of the raw text as a space (aho_scan_folded)
	 * and match as if they were one.  No pattern holds two spaces, so
	 * folded text never takes these entries. */
	int space = a->cls[' '];
	for (int u = 0; space && u < a->count; u++)
		for (int e = 0; e < a->nodes[u].nedges; e++)
			if (a->nodes[u].edges[e].byte == ' ') {
				int v = a->nodes[u].edges[e].to;
				a->delta[(size_t)v * k + space] = (v * k) << 1;
			}
}

int
aho_build(aho *a)
{
	int *queue = malloc((size_t)a->count * sizeof *queue);
	int head = 0, tail = 0;
	if (!queue)
		return -1;
	a->nodes[0].fail = 0;
	for (int e = 0; e < a->nodes[0].nedges; e++) {
		int v = a->nodes[0].edges[e].to;
		a->nodes[v].fail = 0;
		a->nodes[v].depth = 1;
		queue[tail++] = v;
	}
	while (head < tail) {
		int u = queue[head++];
		for (int e = 0; e < a->nodes[u].nedges; e++) {
			unsigned char c = a->nodes[u].edges[e].byte;
			int v = a->nodes[u].edges[e].to;
			int f = a->nodes[u].fail, t;
			while ((t = child(a, f, c)) < 0 && f != 0)
				f = a->nodes[f].fail;
			a->nodes[v].fail = t >= 0 && t != v ? t : 0;
			a->nodes[v].depth = a->nodes[u].depth + 1;
			int fv = a->nodes[v].fail;
			a->nodes[v].dict = a->nodes[fv].nids ? fv : a->nodes[fv].dict;
			queue[tail++] = v;
		}
	}
	for (int c = 0; c < 256; c++)
		a->root[c] = child(a, 0, (unsigned char)c);
	compile_table(a, queue, tail);
	free(queue);
	return 0;
}

/* The table walk alone, from text[i] until a node that reports (its
 * index) or the end (len); no call inside, so everything stays in
 * registers: about five instructions a byte.  Kept out of line: inlined,
 * the compiler kept the node in memory for the callback's sake. */
static size_t __attribute__((noinline))
run_to_report(const aho *a, const char *text, size_t i, size_t len, unsigned *row)
{
	const int *delta = a->delta;
	const unsigned char *cls = a->cls;
	unsigned r = *row;
	for (; i < len; i++) {
		unsigned next = (unsigned)delta[r + cls[(unsigned char)text[i]]];
		r = next >> 1;
		if (next & 1)
			break;
	}
	*row = r;
	return i;
}

/* The nodes reporting at row, and the patterns they end. */
static void __attribute__((noinline)) report_row(const aho *a, unsigned row, void (*fn)(int id, void *ud), void *ud)
{
	for (int m = (int)(row / (unsigned)a->nclasses); m > 0; m = a->nodes[m].dict)
		for (int j = 0; j < a->nodes[m].nids; j++)
			fn(a->nodes[m].ids[j], ud);
}

void
aho_scan(const aho *a, const char *text, size_t len, void (*fn)(int id, void *ud), void *ud)
{
	int node = 0;
	if (a->delta) {
		unsigned row = 0;
		for (size_t i = 0; (i = run_to_report(a, text, i, len, &row)) < len; i++)
			report_row(a, row, fn, ud);
		return;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		int t = -1;
		while (node != 0 && (t = child(a, node, c)) < 0)
			node = a->nodes[node].fail;
		if (node == 0)
			t = a->root[c];
		node = t >= 0 ? t : 0;
		/* The node's own patterns, then those that end here as suffixes. */
		for (int k = node; k > 0; k = a->nodes[k].dict)
			for (int j = 0; j < a->nodes[k].nids; j++)
				fn(a->nodes[k].ids[j], ud);
	}
}

/* One byte of the folded text into the table walk at *row. */
#define STEP_CLASS(row, c)                                     \
	do {                                                   \
		unsigned next_ = (unsigned)delta[(row) + (c)]; \
		(row) = next_ >> 1;                            \
		if (next_ & 1)                                 \
			report_row(a, (row), fn, ud);          \
	} while (0)

/* The character at p (from 0x80: a sequence to fold) into the walk at
 * *row; returns what follows it.  Inlined, the row stays in a register. */
static inline __attribute__((always_inline)) const unsigned char *
step_char(const aho *a, const unsigned char *p, unsigned *row, void (*fn)(int id, void *ud), void *ud)
{
	const int *delta = a->delta;
	unsigned r = *row;
	if (*p < 0x80) {
		STEP_CLASS(r, a->ascii_cls[*p]);
		*row = r;
		return p + 1;
	}
	char out[4];
	int n = fold_next(&p, out);
	if (n < 0)
		STEP_CLASS(r, a->cls[' ']);
	for (int i = 0; i < n; i++)
		STEP_CLASS(r, a->cls[(unsigned char)out[i]]);
	*row = r;
	return p;
}

/* The walk at *row over [p, end): eight ASCII bytes (the usual case)
 * go in without a test each, none being the end or starting a sequence
 * to fold. */
static void
scan_range(const aho *a, const unsigned char *p, const unsigned char *end, unsigned *row, void (*fn)(int id, void *ud),
           void *ud)
{
	const int *delta = a->delta;
	const unsigned char *ascii_cls = a->ascii_cls;
	unsigned r = *row;
	while (p < end) {
		uint64_t w;
		if (end - p >= 8 && (memcpy(&w, p, 8), (w & 0x8080808080808080ULL) == 0)) {
			for (int k = 0; k < 8; k++)
				STEP_CLASS(r, ascii_cls[p[k]]);
			p += 8;
			continue;
		}
		p = step_char(a, p, &r, fn, ud);
	}
	*row = r;
}

/* Four ranges walked side by side, eight ASCII bytes of each at a time:
 * one walk waits for each table load before the next (the row it loads
 * is the next one's address), four walks overlap their waits. */
static void
scan_four(const aho *a, const unsigned char *const from[4], const unsigned char *const to[4], unsigned rows[4],
          void (*fn)(int id, void *ud), void *ud)
{
	const int *delta = a->delta;
	const unsigned char *ascii_cls = a->ascii_cls;
	const unsigned char *p0 = from[0], *p1 = from[1], *p2 = from[2], *p3 = from[3];
	unsigned r0 = rows[0], r1 = rows[1], r2 = rows[2], r3 = rows[3];
	while (to[0] - p0 >= 8 && to[1] - p1 >= 8 && to[2] - p2 >= 8 && to[3] - p3 >= 8) {
		uint64_t w0, w1, w2, w3;
		memcpy(&w0, p0, 8);
		memcpy(&w1, p1, 8);
		memcpy(&w2, p2, 8);
		memcpy(&w3, p3, 8);
		if (((w0 | w1 | w2 | w3) & 0x8080808080808080ULL) == 0) {
			for (int k = 0; k < 8; k++) {
				STEP_CLASS(r0, ascii_cls[p0[k]]);
				STEP_CLASS(r1, ascii_cls[p1[k]]);
				STEP_CLASS(r2, ascii_cls[p2[k]]);
				STEP_CLASS(r3, ascii_cls[p3[k]]);
			}
			p0 += 8;
			p1 += 8;
			p2 += 8;
			p3 += 8;
			continue;
		}
		p0 = step_char(a, p0, &r0, fn, ud);
		p1 = step_char(a, p1, &r1, fn, ud);
		p2 = step_char(a, p2, &r2, fn, ud);
		p3 = step_char(a, p3, &r3, fn, ud);
	}
	scan_range(a, p0, to[0], &r0, fn, ud);
	scan_range(a, p1, to[1], &r1, fn, ud);
	scan_range(a, p2, to[2], &r2, fn, ud);
	scan_range(a, p3, to[3], &r3, fn, ud);
	rows[0] = r0;
	rows[1] = r1;
	rows[2] = r2;
	rows[3] = r3;
}

/* A part's walk, at the end of its part, goes on past it for the
 * matches that began in the part and end after it: it reports a node only
 * when its text is longer than the folded text fed since the split (so
 * began before it), and stops once the node it is at began at the split
 * or after, which the next part's walk sees.  Folded text counts a run of
 * separators as one space (the table takes the run as one, compile_table). */
static void
finish_across(const aho *a, const unsigned char *p, const unsigned char *end, unsigned row,
              void (*fn)(int id, void *ud), void *ud)
{
	const int *delta = a->delta;
	const unsigned k = (unsigned)a->nclasses;
	int fed = 0, after_separator = 0;
	while (a->nodes[row / k].depth > fed) {
		char out[4];
		int n, at_end = p == end;
		if (at_end) {
			n = -1; /* folded text ends with a space */
		} else if (*p < 0x80) {
			unsigned char folded = fold_ascii_table[*p++];
			n = folded ? 1 : -1;
			out[0] = (char)folded;
		} else {
			n = fold_next(&p, out);
		}
		if (n < 0) {
			if (after_separator) {
				if (at_end)
					break;
				continue;
			}
			n = 1;
			out[0] = ' ';
		}
		for (int i = 0; i < n; i++) {
			unsigned next = (unsigned)delta[row + a->cls[(unsigned char)out[i]]];
			row = next >> 1;
			fed++;
			if (next & 1)
				for (int m = (int)(row / k); m > 0 && a->nodes[m].depth > fed; m = a->nodes[m].dict)
					for (int j = 0; j < a->nodes[m].nids; j++)
						fn(a->nodes[m].ids[j], ud);
		}
		if (n > 0)
			after_separator = out[0] == ' ';
		if (at_end)
			break;
	}
}

/* Texts from this long are walked in four parts side by side. */
#define SPLIT_FROM 256

/* Where to split text[0, len) before part `part` of four: a separator
 * after an ASCII letter or digit from a quarter of the way per part on,
 * or 0 for none in reach.  (len >= SPLIT_FROM keeps the reach inside the
 * text and the parts apart.) */
static size_t
split_point(const unsigned char *text, size_t len, int part)
{
	size_t from = len / 4 * (size_t)part;
	for (size_t i = from; i < from + 64; i++)
		if (text[i] < 0x80 && !fold_ascii_table[text[i]] && text[i - 1] < 0x80 && fold_ascii_table[text[i - 1]])
			return i;
	return 0;
}

void
aho_scan_folded(const aho *a, const char *text, void (*fn)(int id, void *ud), void *ud)
{
	if (!a->delta) {
		size_t len;
		char *folded = fold_words(text, &len);
		if (folded)
			aho_scan(a, folded, len, fn, ud);
		free(folded);
		return;
	}
	const int *delta = a->delta;
	const unsigned space = a->cls[' '];
	const unsigned char *p = (const unsigned char *)text;
	size_t len = strlen(text);
	size_t split[4] = { 0 };
	int parts = len >= SPLIT_FROM ? 4 : 1;
	for (int i = 1; i < parts; i++)
		if (!(split[i] = split_point(p, len, i)))
			parts = 1;
	/* Folded text begins and ends with a space; a run of separators
	 * goes in as spaces, which the table takes as one (compile_table).
	 * A part after the first begins at a separator: as a text of its own. */
	unsigned rows[4] = { 0, 0, 0, 0 };
	for (int i = 0; i < parts; i++)
		STEP_CLASS(rows[i], space);
	if (parts == 1) {
		scan_range(a, p, p + len, &rows[0], fn, ud);
		STEP_CLASS(rows[0], space);
		return;
	}
	const unsigned char *from[4] = { p, p + split[1], p + split[2], p + split[3] };
	const unsigned char *to[4] = { p + split[1], p + split[2], p + split[3], p + len };
	scan_four(a, from, to, rows, fn, ud);
	STEP_CLASS(rows[3], space);
	for (int i = 0; i < 3; i++)
		finish_across(a, to[i], p + len, rows[i], fn, ud);
}

#undef STEP_CLASS
