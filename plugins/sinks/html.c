/* html.c: a static site of what this sink delivered in the last keep_days:
 * the latest day as index.html, a page per day, an archive, a search
 * index, a stylesheet and a script, in one directory.  Rebuilt from the
 * delivery ledger on every run, like the feed, and written file by file
 * through temporary files and renames, so a web server can serve the
 * directory while paperwire runs.  `paperwire serve` serves it too, adding
 * ratings and a search of the whole store. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../common/bundled.h"
#include "../common/sink_util.h"
#include "html_site.h"
#include "paperwire/plugin.h"

static const pw_option html_options[] = {
	{ PW_OPTION("dir", PW_OPT_STRING, NULL, 1, "the site's directory, e.g. \"site\" (made when missing)") },
	{ PW_OPTION("keep_days", PW_OPT_INT, "90", 0,
	            "papers delivered in this many past days are on the site; older day pages are removed"),
	  .range = "1..3650" },
	{ PW_OPTION("title", PW_OPT_STRING, NULL, 0, "the site's title (default: \"paperwire: <digest>\")") },
	PW_OPTIONS_END
};

struct html {
	const char *dir, *title;
	int64_t keep_days;
};

/* Every paper of the site, this run's first. */
struct papers {
	site_paper *v;
	size_t n, cap;
	const pw_host *h;
	pw_instance *inst;
	int failed;
};

static pw_status
html_create(const pw_host *h, pw_instance *inst, void **state)
{
	struct html *s = calloc(1, sizeof *s);
	if (!s)
		return PW_ERROR;
	s->dir = h->config_string(inst, "dir");
	s->title = h->config_string(inst, "title");
	s->keep_days = 90;
	h->config_int(inst, "keep_days", &s->keep_days);
	*state = s;
	return PW_OK;
}

static void
html_destroy(const pw_host *h, pw_instance *inst, void *state)
{
	free(state);
}

static void
add_paper(struct papers *ps, const pw_record *rec, int64_t when)
{
	const char *id = ps->h->record_get(ps->inst, rec, PW_F_ID);
	for (size_t i = 0; id && i < ps->n; i++)
		if (strcmp(ps->v[i].id, id) == 0)
			return; /* delivered again (a replacement): the newest stands */
	if (ps->n == ps->cap) {
		size_t cap = ps->cap ? ps->cap * 2 : 64;
		site_paper *nv = realloc(ps->v, cap * sizeof *nv);
		if (!nv) {
			ps->failed = 1;
			return;
		}
		ps->v = nv;
		ps->cap = cap;
	}
	if (site_paper_build(ps->h, ps->inst, rec, when, &ps->v[ps->n]) < 0) {
		site_paper_free(&ps->v[ps->n]);
		ps->failed = 1;
		return;
	}
	ps->n++;
}

static void
on_history(void *ud, const pw_record *rec, int64_t delivered_at)
{
	add_paper(ud, rec, delivered_at);
}

static int
by_score(const void *a, const void *b)
{
	const site_paper *x = *(site_paper *const *)a, *y = *(site_paper *const *)b;
	return x->score < y->score ? 1 : x->score > y->score ? -1 : strcmp(x->id, y->id);
}

static int
by_day_newest(const void *a, const void *b)
{
	return strcmp(((const site_day *)b)->day, ((const site_day *)a)->day);
}

/* What a day's page says of its run, kept from the run that delivered it:
 * "NEW|MIN_SCORE|HISTOGRAM". */
static void
day_facts(const pw_host *h, pw_instance *inst, site_day *d)
{
	char key[32];
	snprintf(key, sizeof key, "day %s", d->day);
	const char *v = h->state_get(inst, key);
	long fresh = -1;
	char min[32] = "";
	d->min_score = NAN;
	if (v && sscanf(v, "%ld|%31[^|]|", &fresh, min) >= 1) {
		const char *hist = strchr(v, '|');
		hist = hist ? strchr(hist + 1, '|') : NULL;
		snprintf(d->histogram, sizeof d->histogram, "%s", hist ? hist + 1 : "");
		if (min[0] && strcmp(min, "-") != 0)
			d->min_score = strtod(min, NULL);
	}
	if (fresh >= 0)
		snprintf(d->facts, sizeof d->facts, "%zu paper%s selected of %ld new.", d->n, d->n == 1 ? "" : "s",
		         fresh);
	else
		snprintf(d->facts, sizeof d->facts, "%zu paper%s selected.", d->n, d->n == 1 ? "" : "s");
}

/* The papers grouped by day, newest day first, each day best first. */
static int
group_days(const pw_host *h, pw_instance *inst, struct papers *ps, site *s)
{
	s->days = calloc(ps->n + 1, sizeof *s->days);
	if (!s->days)
		return -1;
	for (size_t i = 0; i < ps->n; i++) {
		site_paper *p = &ps->v[i];
		size_t d = 0;
		while (d < s->ndays && strcmp(s->days[d].day, p->day) != 0)
			d++;
		if (d == s->ndays) {
			snprintf(s->days[d].day, sizeof s->days[d].day, "%s", p->day);
			s->ndays++;
		}
		site_paper **nv = realloc(s->days[d].papers, (s->days[d].n + 1) * sizeof *nv);
		if (!nv)
			return -1;
		s->days[d].papers = nv;
		nv[s->days[d].n++] = p;
	}
	qsort(s->days, s->ndays, sizeof *s->days, by_day_newest);
	for (size_t d = 0; d < s->ndays; d++) {
		qsort(s->days[d].papers, s->days[d].n, sizeof *s->days[d].papers, by_score);
		day_facts(h, inst, &s->days[d]);
	}
	return 0;
}

/* Keeps what this run knows of its day for the page's facts and chart. */
static void
remember_day(const pw_host *h, pw_instance *inst, const pw_delivery *d, const char *today)
{
	const char *fresh = h->delivery_info(inst, d, PW_D_NEW);
	const char *min = h->delivery_info(inst, d, PW_D_MIN_SCORE);
	const char *hist = h->delivery_info(inst, d, PW_D_SCORE_HISTOGRAM);
	char key[32], value[700];
	snprintf(key, sizeof key, "day %s", today);
	snprintf(value, sizeof value, "%s|%s|%s", fresh ? fresh : "0", min && *min ? min : "-", hist ? hist : "");
	if (h->state_set(inst, key, value) != PW_OK)
		h->log(inst, PW_LOG_WARNING, "cannot keep the day's facts; its page shows fewer");
}

static int
write_file(const pw_host *h, pw_instance *inst, const char *dir, const char *name, mbuf *b)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (b->failed || !b->s) {
		h->log(inst, PW_LOG_ERROR, "cannot build %s: out of memory", path);
		mbuf_free(b);
		return -1;
	}
	int rc = su_replace_file(path, b->s, b->len);
	if (rc < 0)
		h->log(inst, PW_LOG_ERROR, "cannot write %s: %s", path, strerror(errno));
	mbuf_free(b);
	return rc;
}

static int
is_day_page(const char *name)
{
	static const char shape[] = "dddd-dd-dd.html";
	if (strlen(name) != sizeof shape - 1)
		return 0;
	for (size_t i = 0; shape[i]; i++)
		if (shape[i] == 'd' ? (name[i] < '0' || name[i] > '9') : name[i] != shape[i])
			return 0;
	return 1;
}

/* Day pages of our naming for days no longer on the site: a link to one
 * would show papers the archive and the search no longer have. */
static void
remove_old_days(const pw_host *h, pw_instance *inst, const char *dir, const site *s)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		if (!is_day_page(e->d_name))
			continue;
		size_t k = 0;
		while (k < s->ndays && strncmp(s->days[k].day, e->d_name, 10) != 0)
			k++;
		char path[PATH_MAX];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (k == s->ndays && unlink(path) == 0)
			h->log(inst, PW_LOG_DEBUG, "removed %s: older than keep_days", path);
	}
	if (d)
		closedir(d);
}

static int
write_site(const pw_host *h, pw_instance *inst, const struct html *cfg, const site *s)
{
	int rc = 0;
	mbuf b = { 0 };
	for (size_t i = 0; i < s->ndays && rc == 0; i++) {
		char name[32];
		snprintf(name, sizeof name, "%s.html", s->days[i].day);
		site_day_page(s, &s->days[i], 0, &b);
		rc = write_file(h, inst, cfg->dir, name, &b);
	}
	/* The assets and the index before the pages that point at them... */
	mbuf_puts(&b, site_css);
	rc = rc ? rc : write_file(h, inst, cfg->dir, "paperwire.css", &b);
	mbuf_puts(&b, site_js);
	rc = rc ? rc : write_file(h, inst, cfg->dir, "paperwire.js", &b);
	site_search_index(s, &b);
	rc = rc ? rc : write_file(h, inst, cfg->dir, "search-index.js", &b);
	site_archive_page(s, &b);
	rc = rc ? rc : write_file(h, inst, cfg->dir, "archive.html", &b);
	/* ...and the latest day last: a reader never follows a link from it
	 * to a page not yet written. */
	site_day_page(s, s->ndays ? &s->days[0] : NULL, 1, &b);
	rc = rc ? rc : write_file(h, inst, cfg->dir, "index.html", &b);
	mbuf_free(&b);
	if (rc == 0)
		remove_old_days(h, inst, cfg->dir, s);
	return rc;
}

static pw_status
html_write(const pw_host *h, pw_instance *inst, void *state, const pw_delivery *d)
{
	const struct html *cfg = state;
	struct papers ps = { NULL, 0, 0, h, inst, 0 };
	int64_t now = (int64_t)time(NULL);
	const char *digest = h->delivery_info(inst, d, PW_D_DIGEST);
	const char *dry = h->delivery_info(inst, d, PW_D_DRY_RUN);
	char title[512];
	site s = { 0 };
	pw_status st = PW_ERROR;

	if (dry && strcmp(dry, "1") == 0) {
		h->log(inst, PW_LOG_INFO, "dry run: would add %zu papers to the site in %s", h->delivery_count(inst, d),
		       cfg->dir);
		return PW_OK;
	}
	snprintf(title, sizeof title, "paperwire: %s", digest ? digest : "digest");
	s.title = cfg->title ? cfg->title : title;
	s.digest = digest ? digest : "";
	time_t t = (time_t)now;
	struct tm tm;
	strftime(s.today, sizeof s.today, "%Y-%m-%d", gmtime_r(&t, &tm));
	if (h->delivery_count(inst, d) == 0)
		s.empty_reason = h->delivery_info(inst, d, PW_D_EMPTY_REASON);
	if (s.empty_reason && !*s.empty_reason)
		s.empty_reason = "nothing was selected";
	/* Kept first, so that today's page reads it like every other day's. */
	if (h->delivery_count(inst, d) || h->delivery_info(inst, d, PW_D_SCORE_HISTOGRAM))
		remember_day(h, inst, d, s.today);
	for (size_t i = 0; i < h->delivery_count(inst, d); i++)
		add_paper(&ps, h->delivery_record(inst, d, i), now);
	if (h->delivered_each(inst, now - cfg->keep_days * 86400, on_history, &ps) != PW_OK) {
		h->log(inst, PW_LOG_ERROR, "cannot read what this site delivered before");
		goto out;
	}
	if (ps.failed || group_days(h, inst, &ps, &s) < 0) {
		h->log(inst, PW_LOG_ERROR, "out of memory building the site");
		goto out;
	}
	if (write_site(h, inst, cfg, &s) == 0) {
		h->log(inst, PW_LOG_INFO, "wrote %zu day page%s (%zu papers, %zu new) to %s/", s.ndays,
		       s.ndays == 1 ? "" : "s", ps.n, h->delivery_count(inst, d), cfg->dir);
		st = PW_OK;
	}
out:
	for (size_t i = 0; i < s.ndays; i++)
		free(s.days[i].papers);
	free(s.days);
	for (size_t i = 0; i < ps.n; i++)
		site_paper_free(&ps.v[i]);
	free(ps.v);
	return st;
}

static const pw_plugin html_plugin = {
	PW_BUNDLED_PLUGIN("html", PW_KIND_SINK, PW_NO_FLAGS, "0.1.0"),
	.description = "a static web site of the last keep_days of delivered papers: a page per day, an "
	               "archive, search, filters and charts; `paperwire serve` adds ratings",
	PW_OPTIONS(html_options),
	PW_BUNDLED_CALLBACKS(html, write),
};

PW_PLUGIN_DEFINE(html_plugin)
