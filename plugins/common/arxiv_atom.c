/* arxiv_atom.c: the API's Atom, read with libxml2's streaming reader so a
 * 2000-entry page never becomes a tree.  Hostile input is refused at the
 * door (xml_guard.h): a document type declaration is looked for in the raw
 * bytes before the reader starts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/xmlreader.h>

#include "canonical.h"
#include "feed_date.h"
#include "xml_guard.h"
#include "arxiv_atom.h"

#define NS_ATOM       "http://www.w3.org/2005/Atom"
#define NS_OPENSEARCH "http://a9.com/-/spec/opensearch/1.1/"
#define NS_ARXIV      "http://arxiv.org/schemas/atom"

struct parse_state {
	const pw_host *host;
	pw_instance *inst;
	atom_page *page;
	pw_record *cur;   /* the entry being read */
	char *cur_author; /* name of the author being read */
	char *cur_affiliation;
	char xml_error[256];
	int xml_error_line;
};

static void
on_xml_error(void *arg, xmlErrorPtr e)
{
	struct parse_state *ps = arg;
	if (!e || ps->xml_error[0] || e->level < XML_ERR_ERROR)
		return;
	snprintf(ps->xml_error, sizeof ps->xml_error, "%s", e->message ? e->message : "parse error");
	size_t n = strlen(ps->xml_error);
	while (n && (ps->xml_error[n - 1] == '\n' || ps->xml_error[n - 1] == ' '))
		ps->xml_error[--n] = '\0';
	ps->xml_error_line = e->line;
}

static int
is(xmlTextReaderPtr r, const char *ns, const char *local)
{
	const xmlChar *u = xmlTextReaderConstNamespaceUri(r);
	const xmlChar *l = xmlTextReaderConstLocalName(r);
	return u && l && strcmp((const char *)u, ns) == 0 && strcmp((const char *)l, local) == 0;
}

/* The element's text; the reader stays on the start tag. */
static char *
text_of(xmlTextReaderPtr r)
{
	xmlChar *s = xmlTextReaderReadString(r);
	char *out = strdup(s ? (const char *)s : "");
	xmlFree(s);
	return out;
}

static char *
attr_of(xmlTextReaderPtr r, const char *name)
{
	xmlChar *s = xmlTextReaderGetAttribute(r, (const xmlChar *)name);
	char *out = s ? strdup((const char *)s) : NULL;
	xmlFree(s);
	return out;
}

static void
finish_entry(struct parse_state *ps)
{
	const pw_host *h = ps->host;
	pw_record *rec = ps->cur;
	const char *raw = h->record_get(ps->inst, rec, PW_F_ID);
	ps->cur = NULL;
	if (raw && strstr(raw, "/api/errors")) {
		const char *msg = h->record_get(ps->inst, rec, PW_F_ABSTRACT);
		snprintf(ps->page->error, sizeof ps->page->error, "%s", msg && *msg ? msg : "unspecified error");
		h->record_free(ps->inst, rec);
		return;
	}
	if (raw) {
		char id[256], version[16] = "", url[320];
		int v = 0;
		if (cn_id(h, ps->inst, raw, id, sizeof id, &v) < 0)
			snprintf(id, sizeof id, "%s", raw);
		if (v > 0)
			snprintf(version, sizeof version, "v%d", v);
		snprintf(url, sizeof url, "https://arxiv.org/abs/%s", id);
		h->record_set(ps->inst, rec, PW_F_URL, url);
		/* The pdf link's title attribute is no longer reliable; the id is. */
		snprintf(url, sizeof url, "https://arxiv.org/pdf/%s%s", id, version);
		h->record_set(ps->inst, rec, PW_F_PDF_URL, url);
	}
	pw_record **nr = realloc(ps->page->records, (ps->page->count + 1) * sizeof *nr);
	if (!nr) {
		h->record_free(ps->inst, rec);
		return;
	}
	ps->page->records = nr;
	ps->page->records[ps->page->count++] = rec;
}

static void
set_time(struct parse_state *ps, const char *field, const char *text)
{
	/* The API always gives a time of day; a bare date is not accepted here. */
	int64_t t = text && strchr(text, 'T') ? fdate_parse(text) : -1;
	if (t >= 0)
		ps->host->record_set_time(ps->inst, ps->cur, field, t);
}

static void
on_entry_child(struct parse_state *ps, xmlTextReaderPtr r)
{
	const pw_host *h = ps->host;
	pw_instance *in = ps->inst;
	char *s = NULL;

	if (is(r, NS_ATOM, "id")) {
		h->record_set(in, ps->cur, PW_F_ID, s = text_of(r));
	} else if (is(r, NS_ATOM, "title")) {
		h->record_set(in, ps->cur, PW_F_TITLE, s = text_of(r));
	} else if (is(r, NS_ATOM, "summary")) {
		h->record_set(in, ps->cur, PW_F_ABSTRACT, s = text_of(r));
	} else if (is(r, NS_ATOM, "published")) {
		set_time(ps, PW_T_PUBLISHED, s = text_of(r));
	} else if (is(r, NS_ATOM, "updated")) {
		set_time(ps, PW_T_UPDATED, s = text_of(r));
	} else if (is(r, NS_ATOM, "name") && ps->cur_author == NULL) {
		ps->cur_author = text_of(r);
	} else if (is(r, NS_ARXIV, "affiliation")) {
		free(ps->cur_affiliation);
		ps->cur_affiliation = text_of(r);
	} else if (is(r, NS_ATOM, "category")) {
		if ((s = attr_of(r, "term")) != NULL)
			h->record_add(in, ps->cur, PW_F_CATEGORIES, s);
	} else if (is(r, NS_ARXIV, "primary_category")) {
		if ((s = attr_of(r, "term")) != NULL)
			h->record_set(in, ps->cur, PW_F_PRIMARY, s);
	} else if (is(r, NS_ARXIV, "comment")) {
		h->record_set(in, ps->cur, PW_F_COMMENT, s = text_of(r));
	} else if (is(r, NS_ARXIV, "journal_ref")) {
		h->record_set(in, ps->cur, PW_F_JOURNAL_REF, s = text_of(r));
	} else if (is(r, NS_ARXIV, "doi")) {
		h->record_set(in, ps->cur, PW_F_DOI, s = text_of(r));
	}
	free(s);
}

static void
on_author_end(struct parse_state *ps)
{
	const pw_host *h = ps->host;
	if (ps->cur_author && *ps->cur_author) {
		h->record_add(ps->inst, ps->cur, PW_F_AUTHORS, ps->cur_author);
		if (ps->cur_affiliation && *ps->cur_affiliation) {
			char buf[1024];
			snprintf(buf, sizeof buf, "%s (%s)", ps->cur_author, ps->cur_affiliation);
			h->record_add(ps->inst, ps->cur, PW_X_AFFILIATIONS, buf);
		}
	}
	free(ps->cur_author);
	free(ps->cur_affiliation);
	ps->cur_author = ps->cur_affiliation = NULL;
}

static void
on_feed_child(struct parse_state *ps, xmlTextReaderPtr r)
{
	char *s = NULL;
	if (is(r, NS_OPENSEARCH, "totalResults"))
		ps->page->total_results = strtol(s = text_of(r), NULL, 10);
	else if (is(r, NS_OPENSEARCH, "startIndex"))
		ps->page->start_index = strtol(s = text_of(r), NULL, 10);
	free(s);
}

void
atom_page_free(const pw_host *host, pw_instance *inst, atom_page *page)
{
	for (size_t i = 0; i < page->count; i++)
		host->record_free(inst, page->records[i]);
	free(page->records);
	page->records = NULL;
	page->count = 0;
}

/* A short, printable glimpse of a body that was not Atom ("Rate exceeded."). */
static void
glimpse(const char *body, size_t len, char *out, size_t size)
{
	size_t o = 0;
	for (size_t i = 0; i < len && o + 1 < size && o < 60; i++) {
		unsigned char c = (unsigned char)body[i];
		out[o++] = c >= 0x20 && c < 0x7f ? (char)c : ' ';
	}
	out[o] = '\0';
}

int
atom_parse(const pw_host *host, pw_instance *inst, const char *body, size_t len, atom_page *page, char *err,
           size_t err_size)
{
	struct parse_state ps;
	int root_seen = 0, rc = -1, ret;

	memset(page, 0, sizeof *page);
	page->total_results = -1;
	memset(&ps, 0, sizeof ps);
	ps.host = host;
	ps.inst = inst;
	ps.page = page;
	if (len > 0x7fffffff) {
		snprintf(err, err_size, "the response is too large to parse");
		return -1;
	}
	size_t lead = 0;
	while (lead < len && strchr(" \t\r\n", body[lead]))
		lead++;
	if (lead == len || (body[lead] != '<' && (unsigned char)body[lead] != 0xEF)) {
		char g[64];
		glimpse(body + lead, len - lead, g, sizeof g);
		snprintf(err, err_size, "not an Atom feed: the body %s%s%s",
		         lead == len ? "is empty" : "starts with \"", g, lead == len ? "" : "\"");
		return -1;
	}
	if (xg_has_doctype(body, len)) {
		snprintf(err, err_size, XG_REFUSED_DTD);
		return -1;
	}
	xmlTextReaderPtr r = xmlReaderForMemory(body, (int)len, NULL, NULL, XG_PARSE_OPTIONS | XML_PARSE_NOCDATA);
	if (!r) {
		snprintf(err, err_size, "cannot start the XML reader");
		return -1;
	}
	xmlTextReaderSetStructuredErrorHandler(r, on_xml_error, &ps);
	while ((ret = xmlTextReaderRead(r)) == 1) {
		int type = xmlTextReaderNodeType(r);
		int depth = xmlTextReaderDepth(r);
		if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
			snprintf(err, err_size, XG_REFUSED_DTD);
			goto out;
		}
		if (type == XML_READER_TYPE_ENTITY_REFERENCE) {
			snprintf(err, err_size, XG_REFUSED_ENTITY);
			goto out;
		}
		if (type == XML_READER_TYPE_ELEMENT && depth == 0) {
			if (!is(r, NS_ATOM, "feed")) {
				snprintf(err, err_size, "not an Atom feed: the root element is <%s>",
				         (const char *)xmlTextReaderConstName(r));
				goto out;
			}
			root_seen = 1;
		} else if (type == XML_READER_TYPE_ELEMENT && depth == 1) {
			if (is(r, NS_ATOM, "entry")) {
				ps.cur = host->record_new(inst);
				if (xmlTextReaderIsEmptyElement(r))
					finish_entry(&ps);
			} else {
				on_feed_child(&ps, r);
			}
		} else if (type == XML_READER_TYPE_ELEMENT && depth >= 2 && ps.cur) {
			on_entry_child(&ps, r);
			if (is(r, NS_ATOM, "author") && xmlTextReaderIsEmptyElement(r))
				on_author_end(&ps);
		} else if (type == XML_READER_TYPE_END_ELEMENT && ps.cur) {
			if (depth == 1 && is(r, NS_ATOM, "entry"))
				finish_entry(&ps);
			else if (depth == 2 && is(r, NS_ATOM, "author"))
				on_author_end(&ps);
		}
	}
	if (ret < 0 || ps.xml_error[0]) {
		if (ps.xml_error[0])
			snprintf(err, err_size, "malformed XML at line %d: %s", ps.xml_error_line, ps.xml_error);
		else
			snprintf(err, err_size, "malformed XML");
		goto out;
	}
	if (!root_seen) {
		char g[64];
		glimpse(body, len, g, sizeof g);
		snprintf(err, err_size, "not an Atom feed: the body starts with \"%s\"", g);
		goto out;
	}
	rc = 0;
out:
	if (ps.cur)
		host->record_free(inst, ps.cur);
	free(ps.cur_author);
	free(ps.cur_affiliation);
	xmlFreeTextReader(r);
	if (rc < 0)
		atom_page_free(host, inst, page);
	return rc;
}
