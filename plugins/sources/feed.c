/* feed.c: any RSS 2.0, RSS 1.0 (RDF) or Atom 1.0 feed: journals, bioRxiv
 * and medRxiv, lab blogs.  One streamed pass over a spooled body; each item
 * becomes a record whose id is its DOI when it has one (so a journal's
 * item and a Semantic Scholar record of the same paper merge), else its
 * link or guid. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "../common/feed_date.h"
#include "../common/html_text.h"
#include "../common/spooled.h"
#include "../common/xml_items.h"
#include "../common/url_check.h"
#include "../common/bundled.h"
#include "paperwire/plugin.h"

static const pw_option feed_options[] = {
	{ PW_OPTION("url", PW_OPT_STRING, NULL, 1, "the feed's address (http, https or file)") },
	{ PW_OPTION("max_items", PW_OPT_INT, "0", 0, "most items to take from the feed (0: all)"), .range = "0.." },
	PW_OPTIONS_END
};

struct feed {
	const char *url;
	int64_t max_items;
};

struct item_ctx {
	const pw_host *h;
	pw_instance *inst;
	const struct feed *f;
	long emitted, items;
	char error[320];
};

static pw_status
feed_create(const pw_host *h, pw_instance *inst, void **state)
{
	struct feed *f = calloc(1, sizeof *f);
	if (!f)
		return PW_ERROR;
	f->url = h->config_string(inst, "url");
	h->config_int(inst, "max_items", &f->max_items);
	if (!f->url || !*f->url) {
		h->log(inst, PW_LOG_ERROR, "url: give the feed's address");
		free(f);
		return PW_CONFIG_ERROR;
	}
	if (uc_check_url(h, inst, "url", f->url, 1) < 0) {
		free(f);
		return PW_CONFIG_ERROR;
	}
	xmlInitParser();
	*state = f;
	return PW_OK;
}

static void
feed_destroy(const pw_host *h, pw_instance *inst, void *state)
{
	(void)h;
	(void)inst;
	free(state);
}

static const char *
nonempty(const char *s)
{
	if (!s)
		return NULL;
	while (isspace((unsigned char)*s))
		s++;
	return *s ? s : NULL;
}

/* The first non-empty text among paths. */
static const char *
first_text(const xi_item *it, const char *const *paths)
{
	for (size_t i = 0; paths[i]; i++) {
		const char *t = nonempty(xi_text(it, paths[i]));
		if (t)
			return t;
	}
	return NULL;
}

/* Atom: the alternate link (or one without rel). */
static const char *
atom_link(const xi_item *it)
{
	for (size_t i = 0; i < it->count; i++) {
		const xi_node *n = &it->nodes[i];
		if (strcmp(n->path, "link") != 0)
			continue;
		const char *rel = xi_attr_value(n, "rel");
		const char *href = xi_attr_value(n, "href");
		if (href && (!rel || strcmp(rel, "alternate") == 0))
			return href;
	}
	return NULL;
}

/* "doi:10.1101/x", "https://doi.org/10.1101/x", "10.1101/x" -> "10.1101/x" */
static const char *
doi_in(const char *s)
{
	if (!s)
		return NULL;
	const char *p = strstr(s, "10.");
	if (!p || !isdigit((unsigned char)p[3]))
		return NULL;
	if (p != s && !strstr(s, "doi"))
		return NULL;
	return strchr(p, '/') ? p : NULL;
}

static void
set_text(struct item_ctx *c, pw_record *rec, const char *field, const char *raw)
{
	char *text = raw ? html_to_text(raw) : NULL;
	if (text && *text)
		c->h->record_set(c->inst, rec, field, text);
	free(text);
}

/* "N.", "P.-L.", "R. J.": initials, as in "LAPALU, N., SIMON, A." */
static int
is_initials(const char *s)
{
	int dot = 0;
	s = nonempty(s);
	if (!s)
		return 0;
	for (; *s; s++) {
		if (*s == '.')
			dot = 1;
		else if (!isupper((unsigned char)*s) && *s != '-' && *s != ' ')
			return 0;
	}
	return dot;
}

/* One dc:creator may list several people: "A, B" or bioRxiv's
 * "Last, I., Last, I." (paired back into "I. Last"). */
static void
add_names(struct item_ctx *c, pw_record *rec, char *text)
{
	char *tok[256];
	size_t n = 0;
	for (char *t = strtok(text, ",;"); t && n < 256; t = strtok(NULL, ",;"))
		if (nonempty(t))
			tok[n++] = (char *)nonempty(t);
	int paired = n >= 2 && n % 2 == 0;
	for (size_t i = 1; paired && i < n; i += 2)
		paired = is_initials(tok[i]) && !is_initials(tok[i - 1]);
	for (size_t i = 0; i < n; i += paired ? 2 : 1) {
		char name[512];
		size_t len = strlen(tok[i]);
		while (len && isspace((unsigned char)tok[i][len - 1]))
			tok[i][--len] = '\0';
		if (paired) {
			char *ini = tok[i + 1];
			size_t il = strlen(ini);
			while (il && isspace((unsigned char)ini[il - 1]))
				ini[--il] = '\0';
			snprintf(name, sizeof name, "%s %s", ini, tok[i]);
		} else {
			snprintf(name, sizeof name, "%s", tok[i]);
		}
		c->h->record_add(c->inst, rec, PW_F_AUTHORS, name);
	}
}

static void
add_people(struct item_ctx *c, pw_record *rec, const xi_item *it)
{
	for (size_t i = 0; i < it->count; i++) {
		const xi_node *n = &it->nodes[i];
		if (strcmp(n->path, "author/name") != 0 && strcmp(n->path, "dc:creator") != 0 &&
		    strcmp(n->path, "author") != 0)
			continue;
		if (strcmp(n->path, "author") == 0 && xi_text(it, "author/name"))
			continue; /* Atom: the name child was taken */
		char *text = html_to_text(n->text);
		if (text)
			add_names(c, rec, text);
		free(text);
	}
}

static int
on_item(void *ud, const xi_item *it)
{
	static const char *const title_paths[] = { "title", "dc:title", NULL };
	static const char *const summary_paths[] = { "content:encoded", "content",        "summary",
		                                     "description",     "dc:description", NULL };
	static const char *const date_paths[] = { "published", "pubDate", "dc:date", "updated", "prism:publicationDate",
		                                  NULL };
	static const char *const doi_paths[] = { "prism:doi", "dc:identifier", "guid", "id", "link", NULL };
	struct item_ctx *c = ud;
	const pw_host *h = c->h;
	if (c->f->max_items && c->emitted >= c->f->max_items)
		return 0;
	const char *link = atom_link(it);
	if (!link)
		link = first_text(it, (const char *const[]){ "link", NULL });
	if (!link)
		link = nonempty(xi_attr_value(&it->nodes[it->count - 1], "rdf:about"));
	const char *guid = first_text(it, (const char *const[]){ "guid", "id", NULL });
	const char *doi = NULL;
	for (size_t i = 0; doi_paths[i] && !doi; i++)
		doi = doi_in(nonempty(xi_text(it, doi_paths[i])));
	pw_record *rec = h->record_new(c->inst);
	char doibuf[256];
	if (doi) {
		snprintf(doibuf, sizeof doibuf, "%s", doi);
		doibuf[strcspn(doibuf, " \t\r\n?#")] = '\0';
		h->record_set(c->inst, rec, PW_F_DOI, doibuf);
	}
	/* An arXiv link names the paper better than a DOI of a journal would. */
	const char *id = link && strstr(link, "arxiv.org/abs/") ? link : doi ? doibuf : guid ? guid : link;
	/* An item with nothing to name it goes to the host all the same: it
	 * refuses it (PW_REJECTED), says so with the title and counts it. */
	if (id)
		h->record_set(c->inst, rec, PW_F_ID, id);
	if (link)
		h->record_set(c->inst, rec, PW_F_URL, link);
	set_text(c, rec, PW_F_TITLE, first_text(it, title_paths));
	set_text(c, rec, PW_F_ABSTRACT, first_text(it, summary_paths));
	int64_t t = fdate_parse(first_text(it, date_paths));
	if (t >= 0)
		h->record_set_time(c->inst, rec, PW_T_PUBLISHED, t);
	add_people(c, rec, it);
	for (size_t i = 0; i < it->count; i++) {
		const xi_node *n = &it->nodes[i];
		if (strcmp(n->path, "category") != 0 && strcmp(n->path, "dc:subject") != 0)
			continue;
		const char *term = nonempty(xi_attr_value(n, "term"));
		if (!term)
			term = nonempty(n->text);
		if (term)
			h->record_add(c->inst, rec, PW_F_CATEGORIES, term);
	}
	pw_status es = h->emit(c->inst, rec);
	if (es == PW_ERROR) {
		snprintf(c->error, sizeof c->error, "the host could not store an item (%.200s)", id);
		return -1;
	}
	if (es == PW_REJECTED)
		return 0; /* the host has said why; the next item */
	c->emitted++;
	return 0;
}

static int
read_feed_body(void *ud, int fd, const char *body, size_t len, char *err, size_t err_size)
{
	static const char *const items[] = { "item", "entry", NULL };
	struct item_ctx *c = ud;
	xi_handler xh = { items, on_item, NULL, c };
	xi_result xr;
	int rc = fd >= 0 ? xi_parse_fd(fd, &xh, &xr) : xi_parse_mem(body, len, &xh, &xr);
	if (rc < 0) {
		snprintf(err, err_size, "%s", c->error[0] ? c->error : xr.error);
		return -1;
	}
	if (strcmp(xr.root, "rss") != 0 && strcmp(xr.root, "RDF") != 0 && strcmp(xr.root, "feed") != 0) {
		snprintf(err, err_size, "not an RSS or Atom feed: the root element is <%s>", xr.root);
		return -1;
	}
	c->items = xr.items;
	return 0;
}

static pw_status
feed_fetch(const pw_host *h, pw_instance *inst, void *state)
{
	const struct feed *f = state;
	struct item_ctx c = { h, inst, f, 0, 0, "" };
	pw_status st = spooled_fetch(h, inst, f->url, "feed", "item", read_feed_body, &c);
	if (st == PW_OK && c.items == 0)
		h->report_note(inst, "the feed has no items");
	return st;
}

static const pw_plugin feed_plugin = {
	PW_BUNDLED_PLUGIN("feed", PW_KIND_SOURCE, PW_NO_FLAGS, "0.1.0"),
	.description = "papers from any RSS 2.0, RSS 1.0 (RDF) or Atom 1.0 feed",
	PW_OPTIONS(feed_options),
	PW_BUNDLED_CALLBACKS(feed, fetch),
};

PW_PLUGIN_DEFINE(feed_plugin)
