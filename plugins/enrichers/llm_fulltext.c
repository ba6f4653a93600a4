/* llm_fulltext.c: see llm_fulltext.h.  arXiv renders most new papers to
 * HTML with LaTeXML (https://arxiv.org/html/ID): sections are <section>s
 * with an <h2>/<h3> title, paragraphs are <p class="ltx_p">, the
 * bibliography is <section class="ltx_bibliography">, figures and tables
 * are <figure>.  Read with libxml2's HTML parser (no network, no DTD).
 * Without a rendering (a 404) the PDF is read with poppler (Debian's
 * libpoppler-glib); its text has no headings, and the references are cut at
 * the last line that names them.  A bad PDF only costs that paper its full
 * text: every failure is a NULL with a reason, never the run. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <poppler.h>

#include "../common/mbuf.h"
#include "../common/sink_util.h"
#include "llm_fulltext.h"

/* What the cache holds for a paper without a readable text. */
#define FULLTEXT_CACHE_MISSING "-"

/* 1 when the space-separated class list classes holds cls. */
static int
class_in(const char *classes, const char *cls)
{
	size_t len = strlen(cls);
	for (const char *p = classes; p && (p = strstr(p, cls)) != NULL; p += len)
		if ((p == classes || p[-1] == ' ') && (p[len] == ' ' || p[len] == '\0'))
			return 1;
	return 0;
}

static int
has_class(xmlNodePtr n, const char *cls)
{
	xmlChar *v = xmlGetProp(n, BAD_CAST "class");
	int found = class_in((const char *)v, cls);
	xmlFree(v);
	return found;
}

static int
is(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && xmlStrcasecmp(n->name, BAD_CAST name) == 0;
}

/* What a reader of the text does not need. */
static int
skipped(xmlNodePtr n)
{
	static const char *const tags[] = { "script", "style", "nav",      "header", "footer", "figure", "table",
		                            "button", "form",  "noscript", "svg",    "img",    "cite" };
	for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++)
		if (is(n, tags[i]))
			return 1;
	/* The class read once: every element of the page passes here. */
	static const char *const classes[] = { "ltx_bibliography", "ltx_page_footer", "ltx_page_navbar",
		                               "ltx_TOC",          "ltx_note_outer",  "ltx_authors",
		                               "ltx_dates",        "ltx_tag_bibitem" };
	xmlChar *v = xmlGetProp(n, BAD_CAST "class");
	int found = 0;
	for (size_t i = 0; v && !found && i < sizeof classes / sizeof classes[0]; i++)
		found = class_in((const char *)v, classes[i]);
	xmlFree(v);
	return found;
}

static void
put_collapsed(mbuf *out, const char *s)
{
	for (; *s; s++) {
		if (isspace((unsigned char)*s)) {
			if (out->len && !isspace((unsigned char)out->s[out->len - 1]))
				mbuf_put(out, " ", 1);
		} else {
			mbuf_put(out, s, 1);
		}
	}
}

static void
end_block(mbuf *out)
{
	while (out->len && out->s[out->len - 1] == ' ')
		out->s[--out->len] = '\0';
	if (out->len && out->s[out->len - 1] != '\n')
		mbuf_puts(out, "\n\n");
}

static void walk(xmlNodePtr n, mbuf *out, int *in_refs);

static void
heading(xmlNodePtr n, mbuf *out, int *in_refs)
{
	xmlChar *text = xmlNodeGetContent(n);
	if (!text)
		return;
	/* A heading "References" ends what the text is about. */
	char *t = (char *)text;
	while (isspace((unsigned char)*t) || isdigit((unsigned char)*t) || *t == '.')
		t++;
	if (strncasecmp(t, "references", 10) == 0 || strncasecmp(t, "bibliography", 12) == 0) {
		*in_refs = 1;
	} else {
		end_block(out);
		mbuf_printf(out, "%.*s ", n->name[1] >= '1' && n->name[1] <= '6' ? n->name[1] - '0' : 2, "######");
		put_collapsed(out, (const char *)text);
		end_block(out);
	}
	xmlFree(text);
}

static void
walk(xmlNodePtr n, mbuf *out, int *in_refs)
{
	for (; n && !*in_refs; n = n->next) {
		if (n->type == XML_TEXT_NODE) {
			put_collapsed(out, (const char *)n->content);
			continue;
		}
		if (n->type != XML_ELEMENT_NODE || skipped(n))
			continue;
		if (is(n, "math")) {
			/* LaTeXML keeps the TeX in alttext. */
			xmlChar *tex = xmlGetProp(n, BAD_CAST "alttext");
			if (tex) {
				mbuf_printf(out, "$%s$", (const char *)tex);
				xmlFree(tex);
			}
			continue;
		}
		if (n->name[0] == 'h' && n->name[1] >= '1' && n->name[1] <= '6' && !n->name[2]) {
			heading(n, out, in_refs);
			continue;
		}
		int block = is(n, "p") || is(n, "div") || is(n, "section") || is(n, "li") || is(n, "blockquote");
		walk(n->children, out, in_refs);
		if (block)
			end_block(out);
	}
}

char *
ft_from_html(const char *html, size_t len)
{
	htmlDocPtr doc = htmlReadMemory(html, (int)len, NULL, "UTF-8",
	                                HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
	                                        HTML_PARSE_RECOVER | HTML_PARSE_NOBLANKS);
	if (!doc)
		return NULL;
	/* The paper is the <article> (LaTeXML's ltx_document), else the body. */
	xmlNodePtr root = xmlDocGetRootElement(doc), start = NULL;
	for (xmlNodePtr n = root; n && !start;) {
		if (is(n, "article") || has_class(n, "ltx_document"))
			start = n;
		else if (n->children)
			n = n->children;
		else {
			while (n && !n->next && n != root)
				n = n->parent;
			n = n && n != root ? n->next : NULL;
		}
	}
	mbuf out = { 0 };
	int in_refs = 0;
	walk(start ? start->children : root ? root->children : NULL, &out, &in_refs);
	xmlFreeDoc(doc);
	end_block(&out);
	if (out.len < 200) { /* a page without a paper: an error page, a stub */
		mbuf_free(&out);
		return NULL;
	}
	return mbuf_take(&out);
}

/* The last line that is only "References" (or "Bibliography"), after the
 * first third of the text: where the paper's own text ends. */
static void
cut_references(char *text)
{
	size_t len = strlen(text);
	char *cut = NULL;
	for (char *line = text; line && *line;) {
		char *end = strchr(line, '\n');
		size_t n = end ? (size_t)(end - line) : strlen(line);
		char *t = line;
		while (n && (isspace((unsigned char)*t) || isdigit((unsigned char)*t) || *t == '.'))
			t++, n--;
		while (n && isspace((unsigned char)t[n - 1]))
			n--;
		if ((n == 10 && strncasecmp(t, "references", 10) == 0) ||
		    (n == 12 && strncasecmp(t, "bibliography", 12) == 0))
			if ((size_t)(line - text) > len / 3)
				cut = line;
		line = end ? end + 1 : NULL;
	}
	if (cut)
		*cut = '\0';
}

char *
ft_from_pdf(const char *pdf, size_t len)
{
	if (len < 5 || memcmp(pdf, "%PDF-", 5) != 0)
		return NULL;
	GBytes *bytes = g_bytes_new(pdf, len);
	GError *err = NULL;
	PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &err);
	g_bytes_unref(bytes);
	if (!doc) {
		if (err)
			g_error_free(err);
		return NULL;
	}
	mbuf out = { 0 };
	int pages = poppler_document_get_n_pages(doc);
	for (int i = 0; i < pages; i++) {
		PopplerPage *page = poppler_document_get_page(doc, i);
		char *text = page ? poppler_page_get_text(page) : NULL;
		if (text) {
			mbuf_puts(&out, text);
			mbuf_puts(&out, "\n");
			g_free(text);
		}
		if (page)
			g_object_unref(page);
	}
	g_object_unref(doc);
	char *text = mbuf_take(&out);
	if (text)
		cut_references(text);
	if (!text || strlen(text) < 200) {
		free(text);
		return NULL;
	}
	return text;
}

/* GET url; the body when the answer is a 200, else NULL with why. */
static char *
download(const pw_host *h, pw_instance *inst, const char *url, size_t *len, long *code, char *why, size_t size)
{
	pw_response *resp = NULL;
	*code = 0;
	if (h->http_get(inst, url, 0, &resp) != PW_OK) {
		snprintf(why, size, "%s could not be fetched", url);
		return NULL;
	}
	*code = h->response_code(inst, resp);
	const char *body = h->response_body(inst, resp, len);
	char *copy = NULL;
	if (*code == 200 && body && (copy = malloc(*len + 1)) != NULL) {
		memcpy(copy, body, *len);
		copy[*len] = '\0';
	} else {
		snprintf(why, size, "%s answered %ld", url, *code);
	}
	h->response_free(inst, resp);
	return copy;
}

char *
ft_fetch(const pw_host *h, pw_instance *inst, const pw_record *rec, const char *base, int cached_only, char *why,
         size_t why_size)
{
	const char *id = h->record_get(inst, rec, PW_F_ID), *version = h->record_get(inst, rec, PW_F_VERSION);
	const char *pdf_field = h->record_get(inst, rec, PW_F_PDF_URL);
	char key[256], url[1024], why_html[512] = "", why_pdf[512] = "";
	int arxiv = id && h->canonical_id(inst, id, url, sizeof url, NULL) == 1;
	snprintf(key, sizeof key, "fulltext:%s:v%s", id ? id : "?", version ? version : "0");
	const char *cached = h->cache_get(inst, key);
	if (cached && strcmp(cached, FULLTEXT_CACHE_MISSING) == 0) {
		snprintf(why, why_size, "neither an HTML rendering nor a readable PDF (an earlier run looked)");
		return NULL;
	}
	if (cached)
		return strdup(cached);
	if (cached_only) {
		snprintf(why, why_size, "not downloaded in a dry run");
		return NULL;
	}
	char vsuffix[16] = "";
	if (version && *version && strcmp(version, "0") != 0)
		snprintf(vsuffix, sizeof vsuffix, "v%s", version);
	size_t len;
	long code_html = 0, code_pdf = 0;
	char *text = NULL, *body;
	if (arxiv) {
		snprintf(url, sizeof url, "%s/html/%s%s", base, id, vsuffix);
		if ((body = download(h, inst, url, &len, &code_html, why_html, sizeof why_html)) != NULL) {
			text = ft_from_html(body, len);
			if (!text)
				snprintf(why_html, sizeof why_html, "%s holds no paper", url);
			free(body);
		}
	}
	if (!text) {
		if (arxiv)
			snprintf(url, sizeof url, "%s/pdf/%s%s", base, id, vsuffix);
		else if (pdf_field && su_is_web_url(pdf_field))
			snprintf(url, sizeof url, "%s", pdf_field);
		else
			url[0] = '\0';
		if (url[0] && (body = download(h, inst, url, &len, &code_pdf, why_pdf, sizeof why_pdf)) != NULL) {
			text = ft_from_pdf(body, len);
			if (!text)
				snprintf(why_pdf, sizeof why_pdf, "%s is not a PDF with text", url);
			free(body);
		} else if (!url[0]) {
			snprintf(why_pdf, sizeof why_pdf, "no PDF link");
		}
	}
	if (text) {
		h->cache_put(inst, key, text);
		return text;
	}
	snprintf(why, why_size, "%s%s%s", why_html, why_html[0] ? "; " : "", why_pdf);
	/* Answers that will not change (no rendering, no PDF with text) are
	 * remembered; a failed transfer is tried again next run. */
	int lasting =
	        (!arxiv || code_html == 404 || code_html == 200) && (code_pdf == 200 || code_pdf == 404 || !url[0]);
	if (lasting)
		h->cache_put(inst, key, FULLTEXT_CACHE_MISSING);
	return NULL;
}
