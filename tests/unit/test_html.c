/* The html sink against the mock host (pages per day, the search index,
 * escaping, the score chart from the day's histogram, old pages removed),
 * and TeX made readable (tex_put_html). */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../../plugins/common/mbuf.h"
#include "../../plugins/common/sink_util.h"
#include "../../plugins/common/tex_html.h"
#include "paperwire/mock_host.h"
#include "pw_check.h"
#include "record.h"

const pw_plugin *pw_plugin_entry(void);

static char dir[128];

static char *
tex(const char *text)
{
	mbuf b = { 0 };
	tex_put_html(&b, text);
	return b.s ? mbuf_take(&b) : strdup("");
}

#define TEX_IS(in, want)                                                    \
	do {                                                                \
		char *got = tex(in);                                        \
		ck_assert_msg(strcmp(got, want) == 0, "%s -> %s", in, got); \
		free(got);                                                  \
	} while (0)

START_TEST(tex_becomes_readable_html)
{
	TEX_IS("$O(n^2)$ time", "<span class=\"math\">O(n<sup>2</sup>)</span> time");
	TEX_IS("$\\alpha_{t+1} \\le \\beta$", "<span class=\"math\">α<sub>t+1</sub> ≤ β</span>");
	TEX_IS("$x \\in \\mathbb{R}^d$", "<span class=\"math\">x ∈ ℝ<sup>d</sup></span>");
	TEX_IS("$\\frac{1}{\\sqrt{d}}$", "<span class=\"math\">1/(√d)</span>");
	TEX_IS("$\\mathcal{O}(\\log n)$", "<span class=\"math\">O(log n)</span>");
	/* An unknown command stays as TeX; markup inside math is text. */
	TEX_IS("$\\foo{x} < y$", "<span class=\"math\">\\foo x &lt; y</span>");
	TEX_IS("$<script>alert(1)</script>$", "<span class=\"math\">&lt;script&gt;alert(1)&lt;/script&gt;</span>");
	/* Not math: prices, a lone dollar, text with quotes. */
	TEX_IS("costs $5 and $6", "costs $5 and $6");
	TEX_IS("a \"b\" & 'c' $", "a &quot;b&quot; &amp; &#39;c&#39; $");
	/* Unclosed groups and deep nesting end without reading past the span. */
	TEX_IS("$x^{2$ ok", "<span class=\"math\">x<sup>2</sup></span> ok");
	/* Nesting deeper than the renderer goes is shown as written. */
	char *deep = tex("$a^{b^{c^{d^{e^{f^{g^{h^{i^{j^{k^{l}}}}}}}}}}}$");
	size_t sups = 0;
	for (const char *p = deep; (p = strstr(p, "<sup>")) != NULL; p++)
		sups++;
	ck_assert_msg(sups == 9 && strstr(deep, "^{k"), "%s", deep);
	free(deep);
}

END_TEST

START_TEST(hrefs_are_percent_encoded_where_a_url_may_not_hold_a_character)
{
	char out[256];
	ck_assert_str_eq(su_href("https://example.org/p3?a=1&b=<x> y\"", out, sizeof out),
	                 "https://example.org/p3?a=1&b=%3Cx%3E%20y%22");
	ck_assert_str_eq(su_href("https://example.org/%41", out, sizeof out), "https://example.org/%41");
	ck_assert_ptr_null(su_href("https://example.org/a-long-path", out, 10));
}

END_TEST

static pw_record *
paper(const char *id, const char *title, const char *category, double score)
{
	pw_record *r = rec_new();
	char url[128];
	rec_set(r, PW_F_ID, id);
	rec_set(r, PW_F_TITLE, title);
	snprintf(url, sizeof url, "https://arxiv.org/abs/%s", id);
	rec_set(r, PW_F_URL, url);
	rec_add(r, PW_F_AUTHORS, "Ada Lovelace");
	rec_add(r, PW_F_CATEGORIES, category);
	rec_set(r, PW_F_ABSTRACT, "We bound $\\epsilon$ by <b>tags</b> & more.");
	rec_set(r, "summary", "one line");
	rec_score_add(r, "keyword", 1, score, "title has 'x'");
	return r;
}

static char *
site_file(const char *name)
{
	char path[300];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	return strdup(pw_read_file(path, NULL));
}

static void
day_of(int64_t t, char *out)
{
	time_t tt = (time_t)t;
	strftime(out, 11, "%Y-%m-%d", gmtime(&tt));
}

START_TEST(writes_a_page_per_day_an_archive_and_an_index)
{
	const pw_plugin *P = pw_plugin_entry();
	const pw_host *H = pwm_host();
	char opts[256], cmd[600], path[300];
	void *st;
	snprintf(dir, sizeof dir, "/tmp/pw-test-html-%d", (int)getpid());
	snprintf(cmd, sizeof cmd, "rm -rf %s && mkdir -p %s && touch %s/2001-02-03.html %s/mine.html", dir, dir, dir,
	         dir);
	ck_assert_int_eq(system(cmd), 0);
	snprintf(opts, sizeof opts, "{\"dir\": \"%s\", \"keep_days\": 7, \"title\": \"Lab <papers>\"}", dir);
	pw_instance *in = pwm_instance_new_json(P->options, opts);
	ck_assert_int_eq(P->create(H, in, &st), PW_OK);
	int64_t now = (int64_t)time(NULL);
	char today[11], earlier[11];
	day_of(now, today);
	day_of(now - 3 * 86400, earlier);
	pwm_add_delivered(in, paper("2601.00001", "Too old to keep", "cs.LG", 4), now - 10 * 86400);
	pwm_add_delivered(in, paper("2611.00002", "From three days ago", "cs.CL", 2), now - 3 * 86400);
	pw_record *recs[2] = { paper("2611.00003", "Low <i>Evil</i> $x_1$", "cs.LG", 1.5),
		               paper("2611.00004", "High", "cs.AI", 6) };
	pw_delivery *d = pwm_delivery_new(recs, 2, PW_D_DIGEST, "daily", PW_D_NEW, "40", PW_D_MIN_SCORE, "1",
	                                  PW_D_SCORE_HISTOGRAM, "0 8 30 5 2 1 0 0 1 1", NULL);
	ck_assert_int_eq(P->write(H, in, st, d), PW_OK);
	pwm_delivery_free(d);
	rec_free(recs[0]);
	rec_free(recs[1]);
	P->destroy(H, in, st);
	pwm_instance_free(in);

	char *index = site_file("index.html"), *page = NULL, *archive = site_file("archive.html");
	snprintf(path, sizeof path, "%s.html", today);
	page = site_file(path);
	ck_assert_ptr_nonnull(index);
	ck_assert_ptr_nonnull(page);
	ck_assert_ptr_nonnull(archive);
	/* Best first, escaped, TeX set. */
	const char *high = strstr(index, ">High</a>"), *low = strstr(index, "Low &lt;i&gt;Evil&lt;/i&gt; ");
	ck_assert_ptr_nonnull(high);
	ck_assert_ptr_nonnull(low);
	ck_assert(high < low);
	ck_assert(strstr(index, "<span class=\"math\">x<sub>1</sub></span>"));
	ck_assert(strstr(index, "<title>Lab &lt;papers&gt;: Papers of "));
	ck_assert(strstr(index, "2 papers selected of 40 new."));
	ck_assert(strstr(index, "<b>summary:</b> one line"));
	ck_assert(strstr(index, "href=\"https://arxiv.org/pdf/2611.00004\""));
	ck_assert(strstr(index, "id=\"p-2611.00004\""));
	/* The chart: 40 papers in 8 drawn bars (two bins are empty), the line at the lowest selected. */
	ck_assert(strstr(index, "Scores of the 40 papers weighed on"));
	ck_assert(strstr(index, "selected from 1.50"));
	ck_assert(strstr(index, "min_score is 1."));
	ck_assert(strstr(index, "class=\"threshold\""));
	/* Categories to filter by, in the order met. */
	ck_assert(strstr(index, "<option value=\"cs.AI\">cs.AI</option>\n<option value=\"cs.LG\">"));
	/* The archive lists today and three days ago, not the paper of ten days ago. */
	ck_assert(strstr(archive, today));
	ck_assert(strstr(archive, earlier));
	ck_assert_ptr_null(strstr(archive, "Too old"));
	snprintf(path, sizeof path, "%s/%s.html", dir, earlier);
	struct stat sb;
	ck_assert_int_eq(stat(path, &sb), 0);
	/* Our old page went; a file of another name stayed. */
	snprintf(path, sizeof path, "%s/2001-02-03.html", dir);
	ck_assert_int_ne(stat(path, &sb), 0);
	snprintf(path, sizeof path, "%s/mine.html", dir);
	ck_assert_int_eq(stat(path, &sb), 0);
	char *search = site_file("search-index.js");
	ck_assert_ptr_nonnull(search);
	ck_assert(strstr(search, "window.paperwireIndex = [{"));
	ck_assert(strstr(search, "\"title\":\"From three days ago\""));
	ck_assert_ptr_null(strstr(search, "Too old"));
	free(index);
	free(page);
	free(archive);
	free(search);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

END_TEST

START_TEST(a_directory_it_cannot_write_fails_the_delivery)
{
	const pw_plugin *P = pw_plugin_entry();
	const pw_host *H = pwm_host();
	void *st;
	pw_instance *in = pwm_instance_new_json(P->options, "{\"dir\": \"/proc/version/site\"}");
	ck_assert_int_eq(P->create(H, in, &st), PW_OK);
	pw_record *recs[1] = { paper("2611.00003", "A", "cs.LG", 1) };
	pw_delivery *d = pwm_delivery_new(recs, 1, PW_D_DIGEST, "daily", NULL);
	ck_assert_int_eq(P->write(H, in, st, d), PW_ERROR);
	pwm_delivery_free(d);
	rec_free(recs[0]);
	P->destroy(H, in, st);
	pwm_instance_free(in);
}

END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("html");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, tex_becomes_readable_html);
	tcase_add_test(tc, hrefs_are_percent_encoded_where_a_url_may_not_hold_a_character);
	tcase_add_test(tc, writes_a_page_per_day_an_archive_and_an_index);
	tcase_add_test(tc, a_directory_it_cannot_write_fails_the_delivery);
	suite_add_tcase(s, tc);
	return s;
}

PW_CHECK_MAIN(suite)
