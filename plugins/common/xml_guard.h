/* xml_guard.h: the one statement of how the support library's two XML
 * readers (arxiv_atom.c, libxml2's streaming reader over a body in memory;
 * xml_items.c, its push parser over a spooled file) meet hostile input:
 * a document type declaration, where entity bombs and external entities
 * live, stops the parse; entities are never substituted; the network is
 * never touched; libxml2's size limits stay on. */
#ifndef PW_XML_GUARD_H
#define PW_XML_GUARD_H

#include <stddef.h>

#include <libxml/parser.h>

/* The parser options both readers use.  Never XML_PARSE_NOENT (it
 * substitutes entities and loads external ones), DTDLOAD, DTDVALID,
 * XINCLUDE or HUGE (it lifts the limits on text nodes and depth). */
#define XG_PARSE_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

/* What a refusal says, the same from either reader. */
#define XG_REFUSED_DTD         "refused: the document has a DTD (entity declarations are not accepted)"
#define XG_REFUSED_ENTITY_DECL "refused: the document declares entities"
#define XG_REFUSED_ENTITY      "refused: the document uses an undeclared or external entity"

/* True when the prolog (before the root element) declares a document
 * type.  Read on the raw bytes, so a DTD is refused before libxml2 parses
 * a single entity declaration in it. */
int xg_has_doctype(const char *body, size_t len);

#endif
