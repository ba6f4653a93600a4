/* xml_items.h: a streaming reader for item-shaped XML (RSS 2.0, RSS 1.0,
 * Atom, OAI-PMH).  It hands over one item at a time as a flat list of the
 * item's elements, so memory follows one item, never the document. */
#ifndef PW_XML_ITEMS_H
#define PW_XML_ITEMS_H

#include <stddef.h>

typedef struct xi_attr {
	const char *name; /* "href", "rdf:about" */
	const char *value;
} xi_attr;

/* One element inside an item, reported when it ends (children first).
 * path is relative to the item: "title", "author/name", "dc:creator",
 * "metadata/arXiv/authors/author/keyname".  Namespaces become short,
 * fixed prefixes (dc, arxiv, atom in RSS, content, rdf, prism, oai_dc);
 * the feed's own vocabulary has none. */
typedef struct xi_node {
	const char *path;
	const char *text; /* the element's own text, whitespace kept */
	size_t nattrs;
	const xi_attr *attrs;
} xi_node;

typedef struct xi_item {
	const char *name; /* the item element: "item", "entry", "record" */
	size_t count;
	const xi_node *nodes;
} xi_item;

typedef struct xi_handler {
	const char *const *item_names; /* local names that open an item */
	/* Returns 0 to go on, -1 to stop the parse (reported as an error). */
	int (*on_item)(void *ud, const xi_item *item);
	/* Elements outside items, one node each, its path from below the root
	 * ("channel/title", "ListRecords/resumptionToken"); may be NULL. */
	void (*on_meta)(void *ud, const xi_node *node);
	void *ud;
} xi_handler;

typedef struct xi_result {
	char root[64];     /* the root element's local name */
	char root_ns[128]; /* and its namespace URI */
	long items;
	char error[320]; /* set when the parse failed */
} xi_result;

/* Both return 0 when the whole document was read, -1 with res->error set
 * for malformed, truncated or hostile XML (any DTD is refused before its
 * declarations are used; entities are never loaded or expanded). */
int xi_parse_fd(int fd, const xi_handler *h, xi_result *res);
int xi_parse_mem(const char *body, size_t len, const xi_handler *h, xi_result *res);

/* The first node of it with this path, or NULL. */
const xi_node *xi_find(const xi_item *it, const char *path);
/* That node's text, or NULL. */
const char *xi_text(const xi_item *it, const char *path);
/* The value of attribute name on node n, or NULL. */
const char *xi_attr_value(const xi_node *n, const char *name);

#endif
