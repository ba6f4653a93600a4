/* xml_items.c: libxml2's SAX2 push parser fed in chunks, so a 90 MB listing
 * is read with one item's worth of memory.  Hostile input stops at the
 * door (xml_guard.h): a document type declaration ends the parse before any
 * declaration in it is used. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#include "xml_guard.h"
#include "xml_items.h"

#define XI_MAX_DEPTH 64
#define XI_CHUNK     (256 * 1024)
#define NS_ATOM      "http://www.w3.org/2005/Atom"
#define NS_XHTML     "http://www.w3.org/1999/xhtml"

/* Short names for the vocabularies feeds mix in; the document's own
 * vocabulary (the root's namespace) gets none. */
static const struct {
	const char *uri, *prefix;
} known_ns[] = { { "http://purl.org/dc/elements/1.1/", "dc" },
	         { "http://purl.org/dc/terms/", "dcterms" },
	         { "http://arxiv.org/schemas/atom", "arxiv" },
	         { "http://purl.org/rss/1.0/modules/content/", "content" },
	         { "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdf" },
	         { "http://prismstandard.org/namespaces/basic/2.0/", "prism" },
	         { "http://prismstandard.org/namespaces/1.2/basic/", "prism" },
	         { "http://www.openarchives.org/OAI/2.0/oai_dc/", "oai_dc" },
	         { "http://a9.com/-/spec/opensearch/1.1/", "opensearch" },
	         /* RSS 1.0 items, OAI-PMH envelopes and arXiv's OAI format are read
	 * as the document's own words. */
	         { "http://purl.org/rss/1.0/", "" },
	         { "http://www.openarchives.org/OAI/2.0/", "" },
	         { "http://arxiv.org/OAI/arXiv/", "" },
	         { NULL, NULL } };

struct node_ofs {
	size_t path, text, attr_first, nattrs;
};

struct frame {
	size_t path_len;   /* length of path[] for this element */
	size_t text_start; /* where its text begins in text[] */
	size_t attr_first, nattrs;
	int xhtml;
};

struct xi_state {
	const xi_handler *h;
	xi_result *res;
	xmlParserCtxtPtr ctxt;
	int depth, item_depth;
	struct frame stack[XI_MAX_DEPTH + 1];
	char path[1024];
	char outer_path[1024]; /* the path around the open item, restored when it ends */
	char *text;            /* the open elements' text, innermost last */
	size_t text_len, text_cap;
	char *arena; /* the current item's strings */
	size_t arena_len, arena_cap;
	struct node_ofs *nodes;
	size_t nnodes, nodes_cap;
	size_t *attrs; /* pairs of arena offsets */
	size_t nattrs, attrs_cap;
	xi_node *out_nodes; /* built for the callbacks */
	size_t out_nodes_cap;
	xi_attr *out_attrs;
	size_t out_attrs_cap;
	int failed;
};

/* Records the first failure: msg, then detail when given. */
static void
fail(struct xi_state *s, const char *msg, const char *detail)
{
	if (s->failed)
		return;
	s->failed = 1;
	snprintf(s->res->error, sizeof s->res->error, "%s%s", msg, detail ? detail : "");
	if (s->ctxt)
		xmlStopParser(s->ctxt);
}

static int
grow(void **buf, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t nc = *cap ? *cap : 256;
	while (nc < need)
		nc *= 2;
	void *nb = realloc(*buf, nc * elem);
	if (!nb)
		return -1;
	*buf = nb;
	*cap = nc;
	return 0;
}

/* Copies n bytes into the item arena; returns the offset. */
static size_t
arena_put(struct xi_state *s, const char *p, size_t n)
{
	if (grow((void **)&s->arena, &s->arena_cap, s->arena_len + n + 1, 1) < 0) {
		fail(s, "out of memory", NULL);
		return 0;
	}
	size_t at = s->arena_len;
	if (n)
		memcpy(s->arena + at, p, n);
	s->arena[at + n] = '\0';
	s->arena_len += n + 1;
	return at;
}

static const char *
prefix_for(const struct xi_state *s, const xmlChar *uri, const xmlChar *doc_prefix)
{
	if (!uri)
		return "";
	if (strcmp((const char *)uri, s->res->root_ns) == 0)
		return "";
	if (strcmp((const char *)uri, NS_ATOM) == 0)
		return "atom";
	for (size_t i = 0; known_ns[i].uri; i++)
		if (strcmp((const char *)uri, known_ns[i].uri) == 0)
			return known_ns[i].prefix;
	return doc_prefix ? (const char *)doc_prefix : "";
}

static int
is_item_name(const xi_handler *h, const char *local)
{
	for (size_t i = 0; h->item_names && h->item_names[i]; i++)
		if (strcmp(h->item_names[i], local) == 0)
			return 1;
	return 0;
}

/* out = lead + "prefix:" + local (no colon without a prefix), as snprintf
 * would, by hand: it runs for every element of a 90 MB listing.  Returns
 * the length, or 0 when it does not fit. */
static size_t
join_name(char *out, size_t size, const char *lead, const char *pfx, const char *local)
{
	size_t nl = strlen(lead), np = strlen(pfx), nn = strlen(local);
	size_t total = nl + np + (np ? 1 : 0) + nn;
	if (total + 1 > size)
		return 0;
	memcpy(out, lead, nl);
	memcpy(out + nl, pfx, np);
	if (np)
		out[nl + np++] = ':';
	memcpy(out + nl + np, local, nn + 1);
	return total;
}

static void
keep_attrs(struct xi_state *s, struct frame *f, int nb, const xmlChar **attrs)
{
	char name[160];
	f->attr_first = s->nattrs;
	f->nattrs = 0;
	for (int i = 0; i < nb && !s->failed; i++) {
		const xmlChar **a = attrs + 5 * i;
		const char *pfx = a[2] ? prefix_for(s, a[2], a[1]) : "";
		if (a[2] && strcmp((const char *)a[2], s->res->root_ns) == 0 && a[1])
			pfx = (const char *)a[1];
		if (!join_name(name, sizeof name, "", pfx, (const char *)a[0])) /* cut, as before */
			snprintf(name, sizeof name, "%s%s%s", pfx, *pfx ? ":" : "", (const char *)a[0]);
		if (grow((void **)&s->attrs, &s->attrs_cap, 2 * (s->nattrs + 1), sizeof *s->attrs) < 0) {
			fail(s, "out of memory", NULL);
			return;
		}
		s->attrs[2 * s->nattrs] = arena_put(s, name, strlen(name));
		s->attrs[2 * s->nattrs + 1] = arena_put(s, (const char *)a[3], (size_t)(a[4] - a[3]));
		s->nattrs++;
		f->nattrs++;
	}
}

static void
on_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri, int nb_ns, const xmlChar **ns,
         int nb_attrs, int nb_defaulted, const xmlChar **attrs)
{
	struct xi_state *s = ctx;
	(void)nb_ns;
	(void)ns;
	(void)nb_defaulted;
	if (s->failed)
		return;
	if (s->depth == XI_MAX_DEPTH) {
		fail(s, "elements nested deeper than 64 levels", NULL);
		return;
	}
	int d = ++s->depth;
	struct frame *f = &s->stack[d];
	f->text_start = s->text_len;
	f->xhtml = uri && strcmp((const char *)uri, NS_XHTML) == 0;
	if (d == 1) {
		snprintf(s->res->root, sizeof s->res->root, "%s", (const char *)local);
		snprintf(s->res->root_ns, sizeof s->res->root_ns, "%s", uri ? (const char *)uri : "");
		f->path_len = 0;
		s->path[0] = '\0';
		f->nattrs = 0;
		return;
	}
	if (!s->item_depth && is_item_name(s->h, (const char *)local)) {
		s->item_depth = d;
		s->arena_len = s->nnodes = s->nattrs = 0;
		f->path_len = 0;
		memcpy(s->outer_path, s->path, strlen(s->path) + 1);
		s->path[0] = '\0';
		keep_attrs(s, f, nb_attrs, attrs);
		return;
	}
	if (!s->item_depth && d <= 3)
		s->arena_len = s->nnodes = s->nattrs = 0;
	size_t base = s->stack[d - 1].path_len;
	if (d - 1 == s->item_depth || d == 2)
		base = 0;
	const char *pfx = prefix_for(s, uri, prefix);
	size_t n = join_name(s->path + base, sizeof s->path - base, base ? "/" : "", pfx, (const char *)local);
	if (!n) {
		fail(s, "element path too long", NULL);
		return;
	}
	f->path_len = base + n;
	keep_attrs(s, f, nb_attrs, attrs);
}

/* Turns the arena offsets of attributes first..first+n into pointers. */
static int
build_attrs(struct xi_state *s, size_t first, size_t n)
{
	if (grow((void **)&s->out_attrs, &s->out_attrs_cap, s->nattrs + 1, sizeof *s->out_attrs) < 0) {
		fail(s, "out of memory", NULL);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		s->out_attrs[first + i].name = s->arena + s->attrs[2 * (first + i)];
		s->out_attrs[first + i].value = s->arena + s->attrs[2 * (first + i) + 1];
	}
	return 0;
}

static void
finish_item(struct xi_state *s, const xmlChar *local)
{
	xi_item it;
	if (grow((void **)&s->out_nodes, &s->out_nodes_cap, s->nnodes + 1, sizeof *s->out_nodes) < 0) {
		fail(s, "out of memory", NULL);
		return;
	}
	if (build_attrs(s, 0, s->nattrs) < 0)
		return;
	for (size_t i = 0; i < s->nnodes; i++) {
		const struct node_ofs *o = &s->nodes[i];
		s->out_nodes[i].path = s->arena + o->path;
		s->out_nodes[i].text = s->arena + o->text;
		s->out_nodes[i].nattrs = o->nattrs;
		s->out_nodes[i].attrs = s->out_attrs + o->attr_first;
	}
	it.name = (const char *)local;
	it.count = s->nnodes;
	it.nodes = s->out_nodes;
	s->res->items++;
	if (s->h->on_item && s->h->on_item(s->h->ud, &it) < 0)
		fail(s, "the item was refused by its reader", NULL);
}

static void
add_node(struct xi_state *s, const struct frame *f, const char *path, size_t path_len)
{
	if (grow((void **)&s->nodes, &s->nodes_cap, s->nnodes + 1, sizeof *s->nodes) < 0) {
		fail(s, "out of memory", NULL);
		return;
	}
	struct node_ofs *o = &s->nodes[s->nnodes++];
	o->path = arena_put(s, path, path_len);
	o->text = arena_put(s, s->text + f->text_start, s->text_len - f->text_start);
	o->attr_first = f->attr_first;
	o->nattrs = f->nattrs;
}

static void
on_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
	struct xi_state *s = ctx;
	(void)prefix;
	(void)uri;
	if (s->failed || s->depth < 1)
		return;
	int d = s->depth--;
	struct frame *f = &s->stack[d];
	if (d == s->item_depth) {
		add_node(s, f, ".", 1);
		finish_item(s, local);
		s->item_depth = 0;
		s->arena_len = s->nnodes = s->nattrs = 0;
		memcpy(s->path, s->outer_path, strlen(s->outer_path) + 1);
	} else if (s->item_depth && !f->xhtml) {
		add_node(s, f, s->path, f->path_len);
	} else if (!s->item_depth && d > 1 && s->h->on_meta) {
		char path[sizeof s->path];
		memcpy(path, s->path, f->path_len);
		path[f->path_len] = '\0';
		if (s->text)
			s->text[s->text_len] = '\0';
		/* An outer element's attributes may have gone with a reset arena. */
		size_t na = f->attr_first + f->nattrs <= s->nattrs ? f->nattrs : 0;
		if (build_attrs(s, 0, s->nattrs) == 0) {
			xi_node node = { path, s->text ? s->text + f->text_start : "", na,
				         na ? s->out_attrs + f->attr_first : NULL };
			s->h->on_meta(s->h->ud, &node);
		}
	}
	/* XHTML content keeps its text in its parent's (Atom type="xhtml"). */
	if (!f->xhtml)
		s->text_len = f->text_start;
	if (d > 1)
		s->path[s->stack[d - 1].path_len] = '\0';
}

static void
on_text(void *ctx, const xmlChar *ch, int len)
{
	struct xi_state *s = ctx;
	if (s->failed || s->depth < 1 || len <= 0)
		return;
	if (grow((void **)&s->text, &s->text_cap, s->text_len + (size_t)len + 1, 1) < 0) {
		fail(s, "out of memory", NULL);
		return;
	}
	memcpy(s->text + s->text_len, ch, (size_t)len);
	s->text_len += (size_t)len;
	s->text[s->text_len] = '\0';
}

static void
on_doctype(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
	(void)name;
	(void)ext;
	(void)sys;
	fail(ctx, XG_REFUSED_DTD, NULL);
}

static void
on_entity_decl(void *ctx, const xmlChar *name, int type, const xmlChar *pub, const xmlChar *sys, xmlChar *content)
{
	(void)name;
	(void)type;
	(void)pub;
	(void)sys;
	(void)content;
	fail(ctx, XG_REFUSED_ENTITY_DECL, NULL);
}

static xmlEntityPtr
on_get_entity(void *ctx, const xmlChar *name)
{
	(void)name;
	fail(ctx, XG_REFUSED_ENTITY, NULL);
	return NULL;
}

static void
on_error(void *ctx, xmlErrorPtr e)
{
	struct xi_state *s = ctx;
	char msg[256];
	if (!e || e->level < XML_ERR_ERROR || s->failed)
		return;
	snprintf(msg, sizeof msg, "malformed XML at line %d: %s", e->line, e->message ? e->message : "parse error");
	size_t n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	fail(s, msg, NULL);
}

/* The callbacks of every parse; any document type declaration or entity
 * goes to the guards. */
static const xmlSAXHandler sax_callbacks = {
	.initialized = XML_SAX2_MAGIC,
	.startElementNs = on_start,
	.endElementNs = on_end,
	.characters = on_text,
	.cdataBlock = on_text,
	.internalSubset = on_doctype,
	.externalSubset = on_doctype,
	.entityDecl = on_entity_decl,
	.getEntity = on_get_entity,
	.serror = on_error,
};

static void
state_init(struct xi_state *s, xmlSAXHandler *sax, const xi_handler *h, xi_result *res)
{
	memset(s, 0, sizeof *s);
	memset(res, 0, sizeof *res);
	*sax = sax_callbacks;
	s->h = h;
	s->res = res;
}

static void
state_free(struct xi_state *s)
{
	if (s->ctxt) {
		if (s->ctxt->myDoc)
			xmlFreeDoc(s->ctxt->myDoc);
		xmlFreeParserCtxt(s->ctxt);
	}
	free(s->text);
	free(s->arena);
	free(s->nodes);
	free(s->attrs);
	free(s->out_nodes);
	free(s->out_attrs);
}

/* Feeds one chunk (terminate on the last); -1 once the parse has failed. */
static int
feed(struct xi_state *s, xmlSAXHandler *sax, const char *buf, size_t n, int terminate)
{
	if (!s->ctxt) {
		s->ctxt = xmlCreatePushParserCtxt(sax, s, NULL, 0, NULL);
		if (!s->ctxt) {
			fail(s, "cannot start the XML parser", NULL);
			return -1;
		}
		xmlCtxtUseOptions(s->ctxt, XG_PARSE_OPTIONS);
	}
	while (n > 0 || terminate) {
		int part = n > XI_CHUNK ? XI_CHUNK : (int)n;
		int last = terminate && (size_t)part == n;
		xmlParseChunk(s->ctxt, buf, part, last);
		buf += part;
		n -= (size_t)part;
		if (s->failed)
			return -1;
		if (last)
			break;
	}
	return 0;
}

static int
finish(struct xi_state *s)
{
	if (!s->failed && s->ctxt && !s->ctxt->wellFormed)
		fail(s, "malformed XML", NULL);
	if (!s->failed && !s->res->root[0])
		fail(s, "not XML: the body is empty or has no root element", NULL);
	if (!s->failed && s->depth != 0)
		fail(s, "the XML ends before its root element is closed (a truncated body)", NULL);
	int rc = s->failed ? -1 : 0;
	state_free(s);
	return rc;
}

int
xi_parse_mem(const char *body, size_t len, const xi_handler *h, xi_result *res)
{
	struct xi_state s;
	xmlSAXHandler sax;
	state_init(&s, &sax, h, res);
	feed(&s, &sax, body, len, 1);
	return finish(&s);
}

int
xi_parse_fd(int fd, const xi_handler *h, xi_result *res)
{
	struct xi_state s;
	xmlSAXHandler sax;
	char *buf = malloc(XI_CHUNK);
	state_init(&s, &sax, h, res);
	if (!buf) {
		fail(&s, "out of memory", NULL);
		return finish(&s);
	}
	for (;;) {
		ssize_t n = read(fd, buf, XI_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fail(&s, "cannot read the body: ", strerror(errno));
			break;
		}
		if (feed(&s, &sax, buf, (size_t)n, n == 0) < 0 || n == 0)
			break;
	}
	free(buf);
	return finish(&s);
}

const xi_node *
xi_find(const xi_item *it, const char *path)
{
	/* The first byte tells most paths apart without a call. */
	for (size_t i = 0; i < it->count; i++)
		if (it->nodes[i].path[0] == path[0] && strcmp(it->nodes[i].path, path) == 0)
			return &it->nodes[i];
	return NULL;
}

const char *
xi_text(const xi_item *it, const char *path)
{
	const xi_node *n = xi_find(it, path);
	return n ? n->text : NULL;
}

const char *
xi_attr_value(const xi_node *n, const char *name)
{
	for (size_t i = 0; i < n->nattrs; i++)
		if (strcmp(n->attrs[i].name, name) == 0)
			return n->attrs[i].value;
	return NULL;
}
