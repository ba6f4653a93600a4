/* html_paper.c: one paper as the site shows it.  Every field goes through
 * su_html_escape (or tex_put_html, which escapes the same way), links only to
 * http(s) URLs: no text from a feed can become markup or a script. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../common/field_view.h"
#include "../common/sink_util.h"
#include "../common/tex_html.h"
#include "html_site.h"

static char *
dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

/* An id as an HTML id and URL fragment: letters, digits, '.', '-' and '_'
 * kept, anything else '-' ("math/0611800" -> "p-math-0611800"). */
static char *
anchor_of(const char *id)
{
	size_t n = strlen(id);
	char *a = malloc(n + 3);
	if (!a)
		return NULL;
	memcpy(a, "p-", 2);
	for (size_t i = 0; i < n; i++) {
		char c = id[i];
		int keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
		           c == '-' || c == '_';
		a[i + 2] = keep ? c : '-';
	}
	a[n + 2] = '\0';
	return a;
}

/* The PDF: the record's when it is a web URL, else arXiv's for an arXiv
 * abstract page. */
static void
pdf_link(const char *pdf, const char *url, char *out, size_t size)
{
	out[0] = '\0';
	if (pdf && su_is_web_url(pdf))
		snprintf(out, size, "%s", pdf);
	else if (url && strncmp(url, "https://arxiv.org/abs/", 22) == 0)
		snprintf(out, size, "https://arxiv.org/pdf/%s", url + 22);
}

static void
put_href(mbuf *b, const char *url)
{
	char buf[2048];
	const char *href = su_href(url, buf, sizeof buf);
	mbuf_puts(b, "<a href=\"");
	su_html_escape(b, href ? href : "#");
	mbuf_puts(b, "\">");
}

static void
put_link(mbuf *b, const char *href, const char *text)
{
	put_href(b, href);
	su_html_escape(b, text);
	mbuf_puts(b, "</a>");
}

static void
put_scores(const pw_host *h, pw_instance *inst, const pw_record *rec, mbuf *b)
{
	mbuf_printf(b, "<p class=\"score\"><b>Score %.2f</b>", h->record_score(inst, rec));
	size_t n = h->record_score_count(inst, rec);
	if (n)
		mbuf_puts(b, "</p>\n<ul class=\"reasons\">\n");
	for (size_t i = 0; i < n; i++) {
		char part[128];
		const char *reason = NULL;
		su_score_part(h, inst, rec, i, part, sizeof part, &reason);
		mbuf_puts(b, "<li>");
		su_html_escape(b, part);
		if (reason && *reason) {
			mbuf_puts(b, ": ");
			su_html_escape(b, reason);
		}
		mbuf_puts(b, "</li>\n");
	}
	mbuf_puts(b, n ? "</ul>\n" : "</p>\n");
}

static void
build_article(const pw_host *h, pw_instance *inst, const pw_record *rec, const site_paper *p, mbuf *b)
{
	char pdf[512];
	mbuf_printf(b, "<article class=\"paper\" id=\"%s\" data-id=\"", p->anchor);
	su_html_escape(b, p->id);
	mbuf_puts(b, "\" data-categories=\"");
	for (size_t i = 0; i < p->ncategories; i++) {
		mbuf_puts(b, i ? " " : "");
		su_html_escape(b, p->categories[i]);
	}
	mbuf_puts(b, "\" data-label=\"");
	su_html_escape(b, p->label);
	mbuf_printf(b, "\" data-score=\"%.2f\">\n<h2>", p->score);
	if (p->url[0])
		put_href(b, p->url);
	tex_put_html(b, p->title);
	mbuf_puts(b, p->url[0] ? "</a>" : "");
	mbuf_puts(b, "</h2>\n");
	fv_html_at(h, inst, rec, PW_ATTACH_TITLE, 0, b, su_html_escape);
	mbuf_puts(b, "<p class=\"meta\"><span class=\"authors\">");
	su_html_escape(b, p->authors);
	mbuf_puts(b, "</span>");
	if (p->ncategories) {
		mbuf_puts(b, " · <span class=\"categories\">");
		for (size_t i = 0; i < p->ncategories; i++) {
			mbuf_puts(b, i ? ", " : "");
			su_html_escape(b, p->categories[i]);
		}
		mbuf_puts(b, "</span>");
	}
	pdf_link(h->record_get(inst, rec, PW_F_PDF_URL), p->url, pdf, sizeof pdf);
	if (pdf[0]) {
		mbuf_puts(b, " · ");
		put_link(b, pdf, "PDF");
	}
	mbuf_printf(b, " · <a class=\"anchor\" href=\"%s.html#%s\" aria-label=\"Link to this paper\">#</a></p>\n",
	            p->day, p->anchor);
	put_scores(h, inst, rec, b);
	fv_html_at(h, inst, rec, PW_ATTACH_PAPER, 1, b, su_html_escape);
	const char *abstract = h->record_get(inst, rec, PW_F_ABSTRACT);
	if (abstract && *abstract) {
		mbuf_puts(b, "<p class=\"abstract\">");
		tex_put_html(b, abstract);
		mbuf_puts(b, "</p>\n");
	}
	fv_html_at(h, inst, rec, PW_ATTACH_ABSTRACT, 0, b, su_html_escape);
	fv_html_at(h, inst, rec, PW_ATTACH_PAPER, 0, b, su_html_escape);
	mbuf_puts(b, "<div class=\"actions\"></div>\n</article>\n");
}

int
site_paper_build(const pw_host *h, pw_instance *inst, const pw_record *rec, int64_t when, site_paper *p)
{
	memset(p, 0, sizeof *p);
	const char *url = h->record_get(inst, rec, PW_F_URL);
	const char *label = fv_label(h, inst, rec);
	p->id = dup_or_empty(h->record_get(inst, rec, PW_F_ID));
	p->anchor = p->id ? anchor_of(p->id) : NULL;
	p->title = dup_or_empty(h->record_get(inst, rec, PW_F_TITLE));
	p->url = dup_or_empty(url && su_is_web_url(url) ? url : NULL);
	p->label = dup_or_empty(label);
	p->text = dup_or_empty(h->record_get(inst, rec, PW_F_ABSTRACT));
	p->score = h->record_score(inst, rec);
	p->when = when;
	time_t t = (time_t)when;
	struct tm tm;
	strftime(p->day, sizeof p->day, "%Y-%m-%d", gmtime_r(&t, &tm));
	mbuf a = { 0 };
	for (size_t i = 0; i < h->record_count(inst, rec, PW_F_AUTHORS); i++) {
		mbuf_puts(&a, i ? ", " : "");
		mbuf_puts(&a, h->record_get_at(inst, rec, PW_F_AUTHORS, i));
	}
	p->authors = a.s ? mbuf_take(&a) : strdup("");
	p->ncategories = h->record_count(inst, rec, PW_F_CATEGORIES);
	p->categories = calloc(p->ncategories + 1, sizeof *p->categories);
	for (size_t i = 0; p->categories && i < p->ncategories; i++)
		if (!(p->categories[i] = strdup(h->record_get_at(inst, rec, PW_F_CATEGORIES, i))))
			p->ncategories = i;
	if (!p->id || !p->anchor || !p->title || !p->url || !p->label || !p->text || !p->authors || !p->categories)
		return -1;
	mbuf b = { 0 };
	build_article(h, inst, rec, p, &b);
	p->article = mbuf_take(&b);
	return p->article ? 0 : -1;
}

void
site_paper_free(site_paper *p)
{
	free(p->id);
	free(p->anchor);
	free(p->title);
	free(p->url);
	free(p->authors);
	free(p->label);
	free(p->text);
	for (size_t i = 0; p->categories && i < p->ncategories; i++)
		free(p->categories[i]);
	free(p->categories);
	free(p->article);
	memset(p, 0, sizeof *p);
}
