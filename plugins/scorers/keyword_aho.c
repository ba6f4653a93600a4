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
	int dict; /* nearest node down the failure chain with ids, or -1 */
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
	const unsigned char *cls = a->cls, *p = (const unsigned char *)text;
	unsigned row = 0;
	/* One byte of the folded text into the table walk. */
#define STEP_CLASS(c)                                        \
	do {                                                 \
		unsigned next_ = (unsigned)delta[row + (c)]; \
		row = next_ >> 1;                            \
		if (next_ & 1)                               \
			report_row(a, row, fn, ud);          \
	} while (0)
#define STEP(byte) STEP_CLASS(cls[(unsigned char)(byte)])
	const unsigned char *ascii_cls = a->ascii_cls;
	const unsigned space = cls[' '];
	/* Folded text begins and ends with a space; a run of separators
	 * goes in as spaces, which the table takes as one (compile_table). */
	STEP_CLASS(space);
	const unsigned char *end = p + strlen(text);
	while (p < end) {
		/* Eight ASCII bytes (the usual case) go in without a test each:
		 * none is the end, none starts a sequence to fold. */
		uint64_t w;
		if (end - p >= 8 && (memcpy(&w, p, 8), (w & 0x8080808080808080ULL) == 0)) {
			for (int k = 0; k < 8; k++)
				STEP_CLASS(ascii_cls[p[k]]);
			p += 8;
			continue;
		}
		unsigned char b = *p;
		if (b < 0x80) {
			p++;
			STEP_CLASS(ascii_cls[b]);
			continue;
		}
		/* Through a copy: p whose address is taken would live in memory. */
		char out[4];
		const unsigned char *at = p;
		int n = fold_next(&at, out);
		p = at;
		if (n < 0)
			STEP_CLASS(space);
		for (int i = 0; i < n; i++)
			STEP(out[i]);
	}
	STEP_CLASS(space);
#undef STEP
#undef STEP_CLASS
}
