/* html_chart.c: the site's two charts as inline SVG, drawn here so that a
 * page needs no script or library to show them: papers per category per
 * day, and one day's score distribution with the selection's threshold.
 * Colours come from the stylesheet (classes), so dark mode applies. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../common/sink_util.h"
#include "html_site.h"

#define TOP_CATEGORIES 5
#define W              640
#define H              200
#define PAD_LEFT       40
#define PAD_BOTTOM     30
#define PAD_TOP        10

struct tally {
	const char *name;
	size_t count;
};

/* The primary category of a paper: its first. */
static const char *
primary(const site_paper *p)
{
	return p->ncategories ? p->categories[0] : "other";
}

static size_t
find_or_add(struct tally *t, size_t *n, size_t max, const char *name)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp(t[i].name, name) == 0)
			return i;
	if (*n == max)
		return max;
	t[*n].name = name;
	t[*n].count = 0;
	return (*n)++;
}

static int
by_count(const void *a, const void *b)
{
	const struct tally *x = a, *y = b;
	return x->count < y->count ? 1 : x->count > y->count ? -1 : strcmp(x->name, y->name);
}

/* The figure's opening: an SVG image named by caption (for screen
 * readers, and as a tooltip). */
static void
figure_start(mbuf *b, const char *caption)
{
	mbuf_printf(b, "<figure class=\"chart\">\n<svg viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"", W, H);
	su_html_escape(b, caption);
	mbuf_puts(b, "\">\n<title>");
	su_html_escape(b, caption);
	mbuf_puts(b, "</title>\n");
}

static void
axis(mbuf *b, size_t max)
{
	mbuf_printf(b, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", PAD_LEFT, H - PAD_BOTTOM, W,
	            H - PAD_BOTTOM);
	mbuf_printf(b, "<text class=\"tick\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%zu</text>\n", PAD_LEFT - 4,
	            PAD_TOP + 10, max);
	mbuf_printf(b, "<text class=\"tick\" x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>\n", PAD_LEFT - 4,
	            H - PAD_BOTTOM);
}

void
chart_categories(const site *s, int ndays, mbuf *b)
{
	/* The days of the chart: the last ndays before today, oldest left. */
	size_t total_papers = 0, max_day = 1, ncat = 0, cap = 256;
	struct tally *cats = calloc(cap, sizeof *cats);
	if (!cats)
		return;
	for (size_t i = 0; i < s->ndays && i < (size_t)ndays; i++) {
		size_t day_total = 0;
		for (size_t k = 0; k < s->days[i].n; k++) {
			size_t c = find_or_add(cats, &ncat, cap, primary(s->days[i].papers[k]));
			if (c < cap)
				cats[c].count++;
			day_total++;
		}
		total_papers += day_total;
		max_day = day_total > max_day ? day_total : max_day;
	}
	if (!total_papers) {
		free(cats);
		return;
	}
	qsort(cats, ncat, sizeof *cats, by_count);
	size_t shown = ncat > TOP_CATEGORIES ? TOP_CATEGORIES : ncat;
	size_t days = s->ndays < (size_t)ndays ? s->ndays : (size_t)ndays;
	double slot = (double)(W - PAD_LEFT) / (double)days, bar = slot * 0.8;
	char caption[96];
	snprintf(caption, sizeof caption, "Papers per category on each of the last %zu days with papers", days);
	figure_start(b, caption);
	axis(b, max_day);
	for (size_t i = 0; i < days; i++) {
		const site_day *d = &s->days[days - 1 - i]; /* oldest first */
		double x = PAD_LEFT + slot * (double)i + (slot - bar) / 2, y = H - PAD_BOTTOM;
		/* The day's papers per shown category, the rest in "other". */
		size_t per[TOP_CATEGORIES + 1] = { 0 };
		for (size_t k = 0; k < d->n; k++) {
			const char *name = primary(d->papers[k]);
			size_t at = 0;
			while (at < shown && strcmp(cats[at].name, name) != 0)
				at++;
			per[at]++;
		}
		for (size_t c = 0; c <= shown; c++) {
			size_t count = per[c];
			if (!count)
				continue;
			double hgt = (double)count / (double)max_day * (H - PAD_BOTTOM - PAD_TOP);
			y -= hgt;
			mbuf_printf(b,
			            "<rect class=\"c%zu\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>",
			            c, x, y, bar, hgt);
			su_html_escape(b, d->day);
			mbuf_puts(b, ": ");
			su_html_escape(b, c < shown ? cats[c].name : "other");
			mbuf_printf(b, " %zu</title></rect>\n", count);
		}
		if (i == 0 || i == days - 1)
			mbuf_printf(b, "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">%s</text>\n",
			            i == 0 ? x : x + bar, H - 10, i == 0 ? "start" : "end", d->day + 5);
	}
	mbuf_puts(b, "</svg>\n<figcaption>Papers per day by primary category:");
	for (size_t c = 0; c <= shown && (c < shown || ncat > shown); c++) {
		size_t count = 0;
		if (c < shown)
			count = cats[c].count;
		else
			for (size_t k = shown; k < ncat; k++)
				count += cats[k].count;
		mbuf_printf(b, " <span class=\"key c%zu\">", c);
		su_html_escape(b, c < shown ? cats[c].name : "other");
		mbuf_printf(b, " (%zu)</span>", count);
	}
	mbuf_puts(b, "</figcaption>\n</figure>\n");
	free(cats);
}

void
chart_scores(const site_day *d, mbuf *b)
{
	double lo, hi;
	int used = 0;
	if (!d->histogram[0] || sscanf(d->histogram, "%lf %lf%n", &lo, &hi, &used) != 2)
		return;
	size_t count[64], n = 0, max = 1, total = 0;
	const char *p = d->histogram + used;
	int step;
	while (n < 64 && sscanf(p, "%zu%n", &count[n], &step) == 1) {
		p += step;
		max = count[n] > max ? count[n] : max;
		total += count[n++];
	}
	if (!n)
		return;
	/* The threshold: the lowest score selected (where max_papers cut),
	 * or min_score when nothing was. */
	double cut = d->n ? d->papers[d->n - 1]->score : d->min_score;
	double span = hi > lo ? hi - lo : 1, slot = (double)(W - PAD_LEFT) / (double)n;
	char caption[128];
	snprintf(caption, sizeof caption, "How the %zu papers weighed on %s scored; selected from %.2f", total, d->day,
	         isnan(cut) ? lo : cut);
	figure_start(b, caption);
	axis(b, max);
	for (size_t i = 0; i < n; i++) {
		if (!count[i])
			continue;
		double hgt = (double)count[i] / (double)max * (H - PAD_BOTTOM - PAD_TOP);
		double from = lo + span * (double)i / (double)n;
		mbuf_printf(b,
		            "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\">"
		            "<title>%.2f to %.2f: %zu</title></rect>\n",
		            !isnan(cut) && from + span / (double)n > cut ? "c0" : "c5", PAD_LEFT + slot * (double)i + 1,
		            H - PAD_BOTTOM - hgt, slot - 2, hgt, from, from + span / (double)n, count[i]);
	}
	mbuf_printf(b, "<text class=\"tick\" x=\"%d\" y=\"%d\">%.2f</text>\n", PAD_LEFT, H - 10, lo);
	mbuf_printf(b, "<text class=\"tick\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%.2f</text>\n", W, H - 10, hi);
	if (!isnan(cut) && cut >= lo && cut <= hi) {
		double x = PAD_LEFT + (cut - lo) / span * (W - PAD_LEFT);
		mbuf_printf(b, "<line class=\"threshold\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>\n", x, PAD_TOP,
		            x, H - PAD_BOTTOM);
		mbuf_printf(
		        b,
		        "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">selected from %.2f</text>\n",
		        x, H - 10, cut);
	}
	mbuf_printf(b,
	            "</svg>\n<figcaption>Scores of the %zu papers weighed on %s; the line marks the selection "
	            "(papers at or above %.2f).",
	            total, d->day, isnan(cut) ? lo : cut);
	if (!isnan(d->min_score))
		mbuf_printf(b, " min_score is %g.", d->min_score);
	mbuf_puts(b, "</figcaption>\n</figure>\n");
}
