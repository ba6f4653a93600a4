/* html_site.h: what the parts of the html sink share: a paper as the site
 * shows it, built while its record is alive, and the pages made from
 * them.  Internal to the plugin. */
#ifndef PW_HTML_SITE_H
#define PW_HTML_SITE_H

#include <stddef.h>
#include <stdint.h>

#include "../common/mbuf.h"
#include "paperwire/plugin.h"

typedef struct site_paper {
	char *id, *anchor, *title, *url, *authors, *label, *text; /* text: the abstract, plain */
	char **categories;
	size_t ncategories;
	double score;
	int64_t when;  /* delivered (now, for this run's papers) */
	char day[11];  /* its UTC day, YYYY-MM-DD: the page it is on */
	char *article; /* the whole <article>, escaped */
} site_paper;

/* What a day's page says besides its papers, kept in the sink's state
 * from the run that delivered them. */
typedef struct site_day {
	char day[11];
	site_paper **papers; /* best first */
	size_t n;
	char facts[256];     /* "12 selected of 4,210 new" */
	char histogram[512]; /* PW_D_SCORE_HISTOGRAM, or "" */
	double min_score;    /* NAN when the digest has none */
} site_day;

typedef struct site {
	const char *title, *digest;
	site_day *days; /* newest first */
	size_t ndays;
	char today[11];
	const char *empty_reason; /* this run selected nothing: why */
} site;

/* html_paper.c: a paper from its record (the article, the facts the index
 * and the filters need); 0, or -1 when out of memory. */
int site_paper_build(const pw_host *h, pw_instance *inst, const pw_record *rec, int64_t when, site_paper *out);
void site_paper_free(site_paper *p);

/* html_pages.c: the pages, into out. */
void site_day_page(const site *s, const site_day *d, int is_index, mbuf *out);
void site_archive_page(const site *s, mbuf *out);
/* search-index.js: every paper, as JSON assigned to a global (a page
 * opened from a file cannot fetch a JSON file, but can load a script). */
void site_search_index(const site *s, mbuf *out);

/* html_chart.c: SVG charts, inline in a page. */
void chart_categories(const site *s, int days, mbuf *out);
void chart_scores(const site_day *d, mbuf *out);

/* html_assets.c: the stylesheet and the script, written beside the pages. */
extern const char site_css[];
extern const char site_js[];

#endif
