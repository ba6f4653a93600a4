/* html_pages.c: the site's pages.  Plain HTML that works with scripts
 * off (every paper is on its day's page, in score order); paperwire.js
 * adds the search, the filters and, under `paperwire serve`, the
 * ratings.  No inline script or style, so a strict Content-Security-Policy
 * holds. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "../common/sink_util.h"
#include "html_site.h"

#define CHART_DAYS 28

static void
page_start(const site *s, const char *heading, mbuf *b)
{
	mbuf_puts(
	        b,
	        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	        "<meta name=\"color-scheme\" content=\"light dark\">\n<meta name=\"generator\" content=\"paperwire\">\n"
	        "<title>");
	su_html_escape(b, s->title);
	mbuf_puts(b, ": ");
	su_html_escape(b, heading);
	mbuf_puts(b, "</title>\n<link rel=\"stylesheet\" href=\"paperwire.css\">\n<link rel=\"icon\" "
	             "href=\"data:,\">\n</head>\n<body data-digest=\"");
	su_html_escape(b, s->digest);
	mbuf_puts(b, "\">\n<a class=\"skip\" href=\"#main\">Skip to the papers</a>\n<header>\n<p class=\"site\">"
	             "<a href=\"index.html\">");
	su_html_escape(b, s->title);
	mbuf_puts(b, "</a></p>\n<nav aria-label=\"Pages\"><a href=\"index.html\">Latest</a> "
	             "<a href=\"archive.html\">Archive</a></nav>\n"
	             "<form class=\"search\" role=\"search\" action=\"#\">\n"
	             "<label for=\"q\">Search every paper</label>\n"
	             "<input type=\"search\" id=\"q\" name=\"q\" autocomplete=\"off\" "
	             "placeholder=\"a word of a title, author or abstract\">\n</form>\n</header>\n"
	             "<main id=\"main\">\n<section id=\"results\" aria-live=\"polite\" hidden>\n"
	             "<h2 id=\"results-heading\">Search</h2>\n<ol id=\"result-list\"></ol>\n</section>\n"
	             "<div id=\"content\">\n<h1>");
	su_html_escape(b, heading);
	mbuf_puts(b, "</h1>\n");
}

static void
page_end(mbuf *b)
{
	mbuf_puts(b, "</div>\n</main>\n<footer><p>Made by paperwire. Thank you to arXiv for use of its open access "
	             "interoperability.</p></footer>\n<script src=\"search-index.js\"></script>\n"
	             "<script src=\"paperwire.js\"></script>\n</body>\n</html>\n");
}

/* A <select> of the distinct values of a day's papers (categories or
 * labels), or nothing when they have none. */
static void
filter(const site_day *d, int labels, mbuf *b)
{
	/* Room for every value of every paper: at most that many distinct. */
	size_t values = 0;
	for (size_t i = 0; i < d->n; i++)
		values += labels ? 1 : d->papers[i]->ncategories;
	const char **seen = calloc(values + 1, sizeof *seen);
	size_t n = 0;
	for (size_t i = 0; seen && i < d->n; i++) {
		const site_paper *p = d->papers[i];
		size_t count = labels ? (p->label[0] != '\0') : p->ncategories;
		for (size_t k = 0; k < count; k++) {
			const char *v = labels ? p->label : p->categories[k];
			size_t j = 0;
			while (j < n && strcmp(seen[j], v) != 0)
				j++;
			if (j == n)
				seen[n++] = v;
		}
	}
	if (n >= 1) {
		const char *what = labels ? "label" : "category";
		mbuf_printf(b,
		            "<label>%s <select id=\"filter-%s\" data-filter=\"%s\">\n<option value=\"\">all</option>\n",
		            labels ? "Label" : "Category", what, what);
		for (size_t j = 0; j < n; j++) {
			mbuf_puts(b, "<option value=\"");
			su_html_escape(b, seen[j]);
			mbuf_puts(b, "\">");
			su_html_escape(b, seen[j]);
			mbuf_puts(b, "</option>\n");
		}
		mbuf_puts(b, "</select></label>\n");
	}
	free(seen);
}

void
site_day_page(const site *s, const site_day *d, int is_index, mbuf *b)
{
	char heading[64];
	snprintf(heading, sizeof heading, "Papers of %s", d ? d->day : s->today);
	page_start(s, heading, b);
	if (is_index && s->empty_reason && (!d || strcmp(d->day, s->today) != 0)) {
		mbuf_printf(b, "<p class=\"notice\">Nothing new on %s: ", s->today);
		su_html_escape(b, s->empty_reason);
		mbuf_puts(b, d ? ". Below: the latest day with papers.</p>\n" : ".</p>\n");
	}
	if (!d) {
		page_end(b);
		return;
	}
	mbuf_puts(b, "<p class=\"facts\">");
	su_html_escape(b, d->facts);
	mbuf_puts(b, "</p>\n<div class=\"filters\">\n");
	filter(d, 0, b);
	filter(d, 1, b);
	mbuf_printf(b, "<output id=\"shown\">%zu paper%s</output>\n</div>\n", d->n, d->n == 1 ? "" : "s");
	chart_scores(d, b);
	mbuf_puts(b, "<ol class=\"papers\">\n");
	for (size_t i = 0; i < d->n; i++) {
		mbuf_puts(b, "<li>");
		mbuf_puts(b, d->papers[i]->article);
		mbuf_puts(b, "</li>\n");
	}
	mbuf_puts(b, "</ol>\n");
	if (is_index)
		chart_categories(s, CHART_DAYS, b);
	page_end(b);
}

void
site_archive_page(const site *s, mbuf *b)
{
	page_start(s, "Archive", b);
	chart_categories(s, CHART_DAYS, b);
	mbuf_puts(b, "<h2>Every day</h2>\n<ul class=\"days\">\n");
	for (size_t i = 0; i < s->ndays; i++) {
		const site_day *d = &s->days[i];
		mbuf_printf(b, "<li><a href=\"%s.html\">%s</a>: %zu paper%s", d->day, d->day, d->n,
		            d->n == 1 ? "" : "s");
		if (d->n) {
			mbuf_puts(b, ", the first: ");
			su_html_escape(b, d->papers[0]->title);
		}
		mbuf_puts(b, "</li>\n");
	}
	mbuf_puts(b, "</ul>\n");
	if (!s->ndays)
		mbuf_puts(b, "<p>No papers yet.</p>\n");
	page_end(b);
}

void
site_search_index(const site *s, mbuf *b)
{
	cJSON *all = cJSON_CreateArray();
	for (size_t i = 0; all && i < s->ndays; i++)
		for (size_t k = 0; k < s->days[i].n; k++) {
			const site_paper *p = s->days[i].papers[k];
			cJSON *o = cJSON_CreateObject();
			cJSON *cats = cJSON_CreateArray();
			if (!o || !cats) {
				cJSON_Delete(o);
				cJSON_Delete(cats);
				continue;
			}
			for (size_t c = 0; c < p->ncategories; c++)
				cJSON_AddItemToArray(cats, cJSON_CreateString(p->categories[c]));
			cJSON_AddStringToObject(o, "id", p->id);
			cJSON_AddStringToObject(o, "anchor", p->anchor);
			cJSON_AddStringToObject(o, "day", p->day);
			cJSON_AddStringToObject(o, "title", p->title);
			cJSON_AddStringToObject(o, "authors", p->authors);
			cJSON_AddItemToObject(o, "categories", cats);
			cJSON_AddStringToObject(o, "label", p->label);
			cJSON_AddNumberToObject(o, "score", round(p->score * 100) / 100);
			cJSON_AddStringToObject(o, "abstract", p->text);
			cJSON_AddItemToArray(all, o);
		}
	char *json = all ? cJSON_PrintUnformatted(all) : NULL;
	cJSON_Delete(all);
	mbuf_puts(b, "/* paperwire: every paper of this site, for the search box. */\nwindow.paperwireIndex = ");
	mbuf_puts(b, json ? json : "[]");
	mbuf_puts(b, ";\n");
	if (!json)
		b->failed = 1;
	free(json);
}
