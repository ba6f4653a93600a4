/* rss.c: an RSS 2.0 or Atom 1.0 feed of what this sink delivered in the
 * last keep_days, rebuilt from the delivery ledger on every run so that a
 * reader sees a stable history, not just today.  Written with libxml2's
 * writer (which escapes), into memory, then to a temporary file renamed
 * into place. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libxml/xmlwriter.h>

#include "../common/field_view.h"
#include "../common/sink_util.h"
#include "../common/bundled.h"
#include "paperwire/plugin.h"

#define NS_ATOM "http://www.w3.org/2005/Atom"
#define NS_DC   "http://purl.org/dc/elements/1.1/"

static const pw_option rss_options[] = {
	{ PW_OPTION("path", PW_OPT_STRING, NULL, 1, "the feed file to write, e.g. \"feed.xml\"") },
	{ PW_OPTION("format", PW_OPT_STRING, "rss", 0, "rss (RSS 2.0) or atom (Atom 1.0)"), .choices = "rss|atom" },
	{ PW_OPTION("keep_days", PW_OPT_INT, "30", 0, "papers delivered in this many past days stay in the feed"),
	  .range = "1..3650" },
	{ PW_OPTION("url", PW_OPT_STRING, NULL, 0,
	            "where the feed is served (its rel=self link and Atom id); unset: no rel=self link") },
	{ PW_OPTION("link", PW_OPT_STRING, "https://arxiv.org/", 0, "the site the feed is about") },
	{ PW_OPTION("title", PW_OPT_STRING, NULL, 0, "the feed's title (default: \"paperwire: <digest>\")") },
	PW_OPTIONS_END
};

struct rss {
	const char *path, *link, *title;
	char self[PATH_MAX + 16];    /* rel=self: the url option, else none */
	char feed_id[PATH_MAX + 32]; /* Atom's feed id */
	int atom;
	int64_t keep_days;
};

struct item {
	char *html; /* the description, built while the record is alive */
	char *title, *url, *id, *authors, *published_text;
	char **categories;
	size_t ncategories;
	int64_t when; /* delivered (or now, for this run's papers) */
	int64_t published;
	int permalink;
};

struct items {
	struct item *v;
	size_t n;
	const pw_host *h;
	pw_instance *inst;
};

static pw_status
rss_create(const pw_host *h, pw_instance *inst, void **state)
{
	const char *format = h->config_string(inst, "format");
	const char *url = h->config_string(inst, "url");
	struct rss *r = calloc(1, sizeof *r);
	if (!r)
		return PW_ERROR;
	r->path = h->config_string(inst, "path");
	r->link = h->config_string(inst, "link");
	r->title = h->config_string(inst, "title");
	r->keep_days = 30;
	h->config_int(inst, "keep_days", &r->keep_days);
	r->atom = strcmp(format, "atom") == 0;
	if (url) {
		snprintf(r->self, sizeof r->self, "%s", url);
		snprintf(r->feed_id, sizeof r->feed_id, "%s", url);
	} else {
		/* Not served anywhere we know: no rel=self (a file:// path is
		 * useless to a reader elsewhere), and an Atom id that stays the
		 * same as long as the config does. */
		size_t n = (size_t)snprintf(r->feed_id, sizeof r->feed_id, "urn:paperwire:feed:");
		for (const char *p = r->path; *p && n + 1 < sizeof r->feed_id; p++)
			r->feed_id[n++] = isalnum((unsigned char)*p) || strchr("._/-", *p) ? *p : '-';
		r->feed_id[n] = '\0';
	}
	*state = r;
	return PW_OK;
}

static void
rss_destroy(const pw_host *h, pw_instance *inst, void *state)
{
	free(state);
}

/* The item's description is HTML (su_html_escape), which the XML writer
 * escapes once more. */
static char *
describe(const pw_host *h, pw_instance *inst, const pw_record *rec)
{
	mbuf b = { 0 };
	/* Fields under the title (a translated title) open the description:
	 * a feed reader shows the item's title just above it. */
	fv_html_at(h, inst, rec, PW_ATTACH_TITLE, 0, &b, su_html_escape);
	mbuf_puts(&b, "<p><b>Authors:</b> ");
	for (size_t i = 0; i < h->record_count(inst, rec, PW_F_AUTHORS); i++) {
		if (i)
			mbuf_puts(&b, ", ");
		su_html_escape(&b, h->record_get_at(inst, rec, PW_F_AUTHORS, i));
	}
	mbuf scores = { 0 };
	su_scores_text(h, inst, rec, &scores);
	char *scores_line = mbuf_take(&scores);
	mbuf_puts(&b, "</p>\n<p><b>Score:</b> ");
	su_html_escape(&b, scores_line);
	free(scores_line);
	mbuf_puts(&b, "</p>\n");
	/* Extension fields as their plugins declared them (ABI 2.1): the
	 * labels with the details, the rest around the abstract. */
	fv_html_at(h, inst, rec, PW_ATTACH_PAPER, 1, &b, su_html_escape);
	const char *abstract = h->record_get(inst, rec, PW_F_ABSTRACT);
	if (abstract) {
		mbuf_puts(&b, "<p>");
		su_html_escape(&b, abstract);
		mbuf_puts(&b, "</p>\n");
	}
	fv_html_at(h, inst, rec, PW_ATTACH_ABSTRACT, 0, &b, su_html_escape);
	fv_html_at(h, inst, rec, PW_ATTACH_PAPER, 0, &b, su_html_escape);
	return b.s;
}

static char *
dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

static void
add_item(struct items *it, const pw_record *rec, int64_t when)
{
	const pw_host *h = it->h;
	pw_instance *inst = it->inst;
	struct item *nv = realloc(it->v, (it->n + 1) * sizeof *nv);
	if (!nv)
		return;
	it->v = nv;
	struct item *x = &it->v[it->n++];
	memset(x, 0, sizeof *x);
	const char *id = h->record_get(inst, rec, PW_F_ID);
	const char *url = h->record_get(inst, rec, PW_F_URL);
	x->title = dup_or_empty(h->record_get(inst, rec, PW_F_TITLE));
	/* Only an http(s) URL becomes the item's link. */
	if (url && !su_is_web_url(url)) {
		h->log(inst, PW_LOG_WARNING, "paper %s: its link is not http(s); the item has none", id ? id : "?");
		url = NULL;
	}
	x->url = dup_or_empty(url);
	x->id = dup_or_empty(id);
	/* A stable guid: the abs page, without version, so that a
	 * replacement never shows up as a new item. */
	x->permalink = url && strncmp(url, "https://arxiv.org/abs/", 22) == 0;
	x->html = describe(h, inst, rec);
	x->when = when;
	x->published = h->record_get_time(inst, rec, PW_T_PUBLISHED);
	mbuf a = { 0 };
	for (size_t i = 0; i < h->record_count(inst, rec, PW_F_AUTHORS); i++) {
		if (i)
			mbuf_puts(&a, ", ");
		mbuf_puts(&a, h->record_get_at(inst, rec, PW_F_AUTHORS, i));
	}
	x->authors = a.s ? a.s : strdup("");
	x->ncategories = h->record_count(inst, rec, PW_F_CATEGORIES);
	x->categories = calloc(x->ncategories + 1, sizeof *x->categories);
	for (size_t i = 0; x->categories && i < x->ncategories; i++)
		x->categories[i] = strdup(h->record_get_at(inst, rec, PW_F_CATEGORIES, i));
}

static void
on_history(void *ud, const pw_record *rec, int64_t delivered_at)
{
	struct items *it = ud;
	const char *id = it->h->record_get(it->inst, rec, PW_F_ID);
	for (size_t i = 0; id && i < it->n; i++)
		if (strcmp(it->v[i].id, id) == 0)
			return;
	add_item(it, rec, delivered_at);
}

static void
free_items(struct items *it)
{
	for (size_t i = 0; i < it->n; i++) {
		struct item *x = &it->v[i];
		free(x->html);
		free(x->title);
		free(x->url);
		free(x->id);
		free(x->authors);
		for (size_t c = 0; c < x->ncategories && x->categories; c++)
			free(x->categories[c]);
		free(x->categories);
	}
	free(it->v);
}

#define W(call)                    \
	do {                       \
		if ((call) < 0)    \
			goto fail; \
	} while (0)

/* An empty link element: <NAME rel=REL type=TYPE href=HREF/>, type left
 * out when NULL. */
static int
link_element(xmlTextWriterPtr w, const char *name, const char *rel, const char *type, const char *href)
{
	W(xmlTextWriterStartElement(w, BAD_CAST name));
	W(xmlTextWriterWriteAttribute(w, BAD_CAST "rel", BAD_CAST rel));
	if (type)
		W(xmlTextWriterWriteAttribute(w, BAD_CAST "type", BAD_CAST type));
	W(xmlTextWriterWriteAttribute(w, BAD_CAST "href", BAD_CAST href));
	W(xmlTextWriterEndElement(w));
	return 0;
fail:
	return -1;
}

static int
rss_item(xmlTextWriterPtr w, const struct item *x)
{
	char date[64];
	W(xmlTextWriterStartElement(w, BAD_CAST "item"));
	W(xmlTextWriterWriteElement(w, BAD_CAST "title", BAD_CAST x->title));
	if (x->url[0])
		W(xmlTextWriterWriteElement(w, BAD_CAST "link", BAD_CAST x->url));
	W(xmlTextWriterStartElement(w, BAD_CAST "guid"));
	W(xmlTextWriterWriteAttribute(w, BAD_CAST "isPermaLink", BAD_CAST(x->permalink ? "true" : "false")));
	W(xmlTextWriterWriteString(w, BAD_CAST(x->permalink ? x->url : x->id)));
	W(xmlTextWriterEndElement(w));
	su_rfc822(x->when, date, sizeof date);
	W(xmlTextWriterWriteElement(w, BAD_CAST "pubDate", BAD_CAST date));
	if (x->authors[0])
		W(xmlTextWriterWriteElement(w, BAD_CAST "dc:creator", BAD_CAST x->authors));
	for (size_t c = 0; c < x->ncategories; c++)
		W(xmlTextWriterWriteElement(w, BAD_CAST "category", BAD_CAST x->categories[c]));
	W(xmlTextWriterWriteElement(w, BAD_CAST "description", BAD_CAST(x->html ? x->html : "")));
	W(xmlTextWriterEndElement(w));
	return 0;
fail:
	return -1;
}

static int
atom_entry(xmlTextWriterPtr w, const struct item *x)
{
	char date[64];
	W(xmlTextWriterStartElement(w, BAD_CAST "entry"));
	W(xmlTextWriterWriteElement(w, BAD_CAST "id", BAD_CAST(x->permalink ? x->url : x->id)));
	W(xmlTextWriterWriteElement(w, BAD_CAST "title", BAD_CAST x->title));
	su_rfc3339(x->when, date, sizeof date);
	W(xmlTextWriterWriteElement(w, BAD_CAST "updated", BAD_CAST date));
	if (x->published > 0) {
		su_rfc3339(x->published, date, sizeof date);
		W(xmlTextWriterWriteElement(w, BAD_CAST "published", BAD_CAST date));
	}
	if (x->url[0])
		W(link_element(w, "link", "alternate", NULL, x->url));
	if (x->authors[0]) {
		W(xmlTextWriterStartElement(w, BAD_CAST "author"));
		W(xmlTextWriterWriteElement(w, BAD_CAST "name", BAD_CAST x->authors));
		W(xmlTextWriterEndElement(w));
	}
	for (size_t c = 0; c < x->ncategories; c++) {
		W(xmlTextWriterStartElement(w, BAD_CAST "category"));
		W(xmlTextWriterWriteAttribute(w, BAD_CAST "term", BAD_CAST x->categories[c]));
		W(xmlTextWriterEndElement(w));
	}
	W(xmlTextWriterStartElement(w, BAD_CAST "summary"));
	W(xmlTextWriterWriteAttribute(w, BAD_CAST "type", BAD_CAST "html"));
	W(xmlTextWriterWriteString(w, BAD_CAST(x->html ? x->html : "")));
	W(xmlTextWriterEndElement(w));
	W(xmlTextWriterEndElement(w));
	return 0;
fail:
	return -1;
}

/* The writers leave the outer elements open: xmlTextWriterEndDocument
 * closes them. */
static int
write_rss(xmlTextWriterPtr w, const struct rss *r, const char *title, const struct items *it, int64_t now)
{
	char date[64];
	W(xmlTextWriterStartElement(w, BAD_CAST "rss"));
	W(xmlTextWriterWriteAttribute(w, BAD_CAST "version", BAD_CAST "2.0"));
	W(xmlTextWriterWriteAttribute(w, BAD_CAST "xmlns:atom", BAD_CAST NS_ATOM));
	W(xmlTextWriterWriteAttribute(w, BAD_CAST "xmlns:dc", BAD_CAST NS_DC));
	W(xmlTextWriterStartElement(w, BAD_CAST "channel"));
	W(xmlTextWriterWriteElement(w, BAD_CAST "title", BAD_CAST title));
	W(xmlTextWriterWriteElement(w, BAD_CAST "link", BAD_CAST r->link));
	W(xmlTextWriterWriteElement(w, BAD_CAST "description",
	                            BAD_CAST "Papers selected by paperwire. Thank you to arXiv for use of its open "
	                                     "access interoperability."));
	W(xmlTextWriterWriteElement(w, BAD_CAST "language", BAD_CAST "en"));
	su_rfc822(now, date, sizeof date);
	W(xmlTextWriterWriteElement(w, BAD_CAST "lastBuildDate", BAD_CAST date));
	W(xmlTextWriterWriteElement(w, BAD_CAST "generator", BAD_CAST "paperwire"));
	if (r->self[0])
		W(link_element(w, "atom:link", "self", "application/rss+xml", r->self));
	for (size_t i = 0; i < it->n; i++)
		W(rss_item(w, &it->v[i]));
	return 0;
fail:
	return -1;
}

static int
write_atom(xmlTextWriterPtr w, const struct rss *r, const char *title, const struct items *it, int64_t now)
{
	char updated[64];
	su_rfc3339(now, updated, sizeof updated);
	W(xmlTextWriterStartElement(w, BAD_CAST "feed"));
	W(xmlTextWriterWriteAttribute(w, BAD_CAST "xmlns", BAD_CAST NS_ATOM));
	W(xmlTextWriterWriteElement(w, BAD_CAST "id", BAD_CAST r->feed_id));
	W(xmlTextWriterWriteElement(w, BAD_CAST "title", BAD_CAST title));
	W(xmlTextWriterWriteElement(w, BAD_CAST "updated", BAD_CAST updated));
	W(xmlTextWriterWriteElement(w, BAD_CAST "generator", BAD_CAST "paperwire"));
	W(xmlTextWriterStartElement(w, BAD_CAST "author"));
	W(xmlTextWriterWriteElement(w, BAD_CAST "name", BAD_CAST "paperwire"));
	W(xmlTextWriterEndElement(w));
	if (r->self[0])
		W(link_element(w, "link", "self", "application/atom+xml", r->self));
	W(link_element(w, "link", "alternate", NULL, r->link));
	for (size_t i = 0; i < it->n; i++)
		W(atom_entry(w, &it->v[i]));
	return 0;
fail:
	return -1;
}

static pw_status
rss_write(const pw_host *h, pw_instance *inst, void *state, const pw_delivery *d)
{
	const struct rss *r = state;
	struct items it = { NULL, 0, h, inst };
	int64_t now = (int64_t)time(NULL);
	char title[512];
	const char *digest = h->delivery_info(inst, d, PW_D_DIGEST);
	pw_status st = PW_ERROR;

	snprintf(title, sizeof title, "%s", r->title ? r->title : "");
	if (!r->title)
		snprintf(title, sizeof title, "paperwire: %s", digest ? digest : "digest");
	for (size_t i = 0; i < h->delivery_count(inst, d); i++)
		add_item(&it, h->delivery_record(inst, d, i), now);
	if (h->delivered_each(inst, now - r->keep_days * 86400, on_history, &it) != PW_OK) {
		h->log(inst, PW_LOG_ERROR, "cannot read what this feed delivered before");
		goto out;
	}
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
	int ok = w && xmlTextWriterSetIndent(w, 1) >= 0 && xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) >= 0 &&
	         (r->atom ? write_atom(w, r, title, &it, now) : write_rss(w, r, title, &it, now)) == 0 &&
	         xmlTextWriterEndDocument(w) >= 0;
	if (w)
		xmlFreeTextWriter(w); /* flushes into buf */
	if (!ok || su_replace_file(r->path, (const char *)xmlBufferContent(buf), (size_t)xmlBufferLength(buf)) < 0) {
		h->log(inst, PW_LOG_ERROR, "cannot write %s: %s", r->path, ok ? strerror(errno) : "XML writer failed");
	} else {
		h->log(inst, PW_LOG_INFO, "wrote %zu item%s (%zu new) to %s", it.n, it.n == 1 ? "" : "s",
		       h->delivery_count(inst, d), r->path);
		st = PW_OK;
	}
	if (buf)
		xmlBufferFree(buf);
out:
	free_items(&it);
	return st;
}

static const pw_plugin rss_plugin = {
	PW_BUNDLED_PLUGIN("rss", PW_KIND_SINK, PW_NO_FLAGS, "0.1.0"),
	.description = "an RSS 2.0 or Atom 1.0 feed of the last keep_days of delivered papers",
	PW_OPTIONS(rss_options),
	PW_BUNDLED_CALLBACKS(rss, write),
};

PW_PLUGIN_DEFINE(rss_plugin)
