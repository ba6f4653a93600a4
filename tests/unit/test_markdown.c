/* The markdown sink against the mock host. */
#include "autoconf.h"

#include <dirent.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../plugins/common/md_text.h"
#include "paperwire/mock_host.h"
#include "pw_check.h"
#include "record.h"

const pw_plugin *pw_plugin_entry(void);

static char dir[128], path[256];

static void
fresh_dir(void)
{
	char cmd[300];
	snprintf(dir, sizeof dir, "/tmp/pw-test-md-%d", (int)getpid());
	snprintf(cmd, sizeof cmd, "rm -rf %s && mkdir -p %s", dir, dir);
	ck_assert_int_eq(system(cmd), 0);
	snprintf(path, sizeof path, "%s/README.md", dir);
}

static pw_record *
paper(void)
{
	pw_record *r = rec_new();
	rec_set(r, PW_F_ID, "2611.00001");
	rec_set(r, PW_F_VERSION, "2");
	rec_set(r, PW_F_TITLE, "Speculative *Decoding* with [Tiny] Drafts");
	rec_set(r, PW_F_URL, "https://arxiv.org/abs/2611.00001");
	rec_add(r, PW_F_AUTHORS, "Ada Lovelace");
	rec_add(r, PW_F_AUTHORS, "Alan Turing");
	rec_set(r, PW_F_PRIMARY, "cs.CL");
	rec_set(r, PW_F_ANNOUNCE, "new");
	rec_set_time(r, PW_T_PUBLISHED, 1795111200);
	rec_set(r, PW_F_ABSTRACT,
	        "First sentence here. Second sentence is a bit longer than the first one. "
	        "Third sentence runs past the limit for sure and must be cut away.");
	rec_score_add(r, "keyword", 1, 6, "title has 'speculative decoding' +6");
	return r;
}

static pw_instance *
sink(const char *extra, void **st)
{
	const pw_plugin *P = pw_plugin_entry();
	char opts[512];
	snprintf(opts, sizeof opts, "{\"path\": \"%s\"%s}", path, extra);
	pw_instance *in = pwm_instance_new_json(P->options, opts);
	ck_assert_ptr_nonnull(in);
	ck_assert_int_eq(P->create(pwm_host(), in, st), PW_OK);
	return in;
}

START_TEST(writes_a_digest_page)
{
	void *st;
	fresh_dir();
	const pw_plugin *P = pw_plugin_entry();
	pw_instance *in = sink(", \"abstract_chars\": 100", &st);
	pw_record *recs[1] = { paper() };
	pw_delivery *d = pwm_delivery_new(recs, 1, PW_D_DIGEST, "daily", PW_D_RUN_TIME, "2026-11-20T06:00:00Z",
	                                  PW_D_FETCHED, "120", PW_D_NEW, "100", PW_D_CATEGORIES, "cs.CL, cs.LG",
	                                  PW_D_SOURCES, "ml (arxiv)", NULL);
	ck_assert_int_eq(P->write(pwm_host(), in, st, d), PW_OK);
	const char *md = pw_read_file(path, NULL);
	ck_assert(strstr(md, "# paperwire: daily\n"));
	ck_assert(strstr(md, "- **Last Updated**: 2026-11-20T06:00:00Z\n"));
	ck_assert(strstr(md, "- **Papers Fetched**: 120\n"));
	ck_assert(strstr(md, "- **Categories Monitored**: cs.CL, cs.LG\n"));
	ck_assert_msg(strstr(md, "### 1. [Speculative \\*Decoding\\* with \\[Tiny\\] "
	                         "Drafts](<https://arxiv.org/abs/2611.00001>)"),
	              "%s", md);
	ck_assert(strstr(md, "**Authors**: Ada Lovelace, Alan Turing  \n"));
	ck_assert(strstr(md, "**Category**: cs.CL  \n"));
	ck_assert(strstr(md, "**Published**: 2026-11-19  \n"));
	ck_assert(strstr(md, "**Score**: 6.00 (keyword +6: title has 'speculative decoding' +6)  \n"));
	ck_assert(strstr(md, "**Type**: new  \n"));
	ck_assert(strstr(md, "**ArXiv ID**: 2611.00001v2  \n"));
	ck_assert(
	        strstr(md, "**PDF**: [https://arxiv.org/pdf/2611.00001v2](<https://arxiv.org/pdf/2611.00001v2>)  \n"));
	ck_assert_msg(
	        strstr(md,
	               "#### Abstract\nFirst sentence here. Second sentence is a bit longer than the first one. […]\n"),
	        "%s", md);
	ck_assert(!strstr(md, "Third sentence"));
	ck_assert(strstr(md, "Thank you to arXiv for use of its open access interoperability."));
	struct stat sb;
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0044, 0044); /* readable by others, not mkstemp's 0600 */
	pwm_delivery_free(d);
	rec_free(recs[0]);
	P->destroy(pwm_host(), in, st);
	pwm_instance_free(in);
}

END_TEST

START_TEST(an_empty_day_keeps_the_last_papers_under_a_status_line)
{
	void *st;
	fresh_dir();
	const pw_plugin *P = pw_plugin_entry();
	pw_instance *in = sink("", &st);
	pw_record *recs[1] = { paper() };
	pw_delivery *d = pwm_delivery_new(recs, 1, PW_D_DIGEST, "daily", PW_D_RUN_TIME, "2026-11-20T06:00:00Z", NULL);
	ck_assert_int_eq(P->write(pwm_host(), in, st, d), PW_OK);
	pwm_delivery_free(d);
	rec_free(recs[0]);
	d = pwm_delivery_new(NULL, 0, PW_D_DIGEST, "daily", PW_D_RUN_TIME, "2026-11-21T06:00:00Z", PW_D_EMPTY_REASON,
	                     "source ml: listing unchanged since the last run (HTTP 304)", PW_D_FETCHED, "0", PW_D_NEW,
	                     "0", PW_D_SOURCES, "ml (arxiv)", NULL);
	ck_assert_int_eq(P->write(pwm_host(), in, st, d), PW_OK);
	const char *md = pw_read_file(path, NULL);
	ck_assert_msg(strstr(md, "> **Checked 2026-11-21T06:00:00Z**: nothing new (source ml: listing unchanged since "
	                         "the last run (HTTP 304)). The 1 paper below is from the digest of "
	                         "2026-11-20T06:00:00Z.\n"),
	              "%s", md);
	ck_assert(strstr(md, "### 1. [Speculative \\*Decoding\\*"));
	/* A third, empty day keeps the same papers and their day. */
	ck_assert_int_eq(P->write(pwm_host(), in, st, d), PW_OK);
	md = pw_read_file(path, NULL);
	ck_assert(strstr(md, "below is from the digest of 2026-11-20T06:00:00Z"));
	ck_assert(strstr(md, "### 1. [Speculative \\*Decoding\\*"));
	pwm_delivery_free(d);
	/* A page not written by paperwire has nothing to keep. */
	FILE *f = fopen(path, "w");
	fputs("yesterday's stale page", f);
	fclose(f);
	d = pwm_delivery_new(NULL, 0, PW_D_DIGEST, "daily", PW_D_EMPTY_REASON, "all 5 papers fetched were seen before",
	                     PW_D_FAILED_SOURCES, "s2", NULL);
	ck_assert_int_eq(P->write(pwm_host(), in, st, d), PW_OK);
	md = pw_read_file(path, NULL);
	ck_assert(!strstr(md, "stale"));
	ck_assert_msg(strstr(md, "nothing new (all 5 papers fetched were seen before).\n"), "%s", md);
	ck_assert(strstr(md, "did not complete**: source s2 failed; the next run fetches again."));
	ck_assert(strstr(md, "No papers yet."));
	pwm_delivery_free(d);
	P->destroy(pwm_host(), in, st);
	pwm_instance_free(in);
}

END_TEST

START_TEST(a_paper_without_an_arxiv_id_is_not_labelled_as_one)
{
	void *st;
	fresh_dir();
	const pw_plugin *P = pw_plugin_entry();
	pw_instance *in = sink(", \"abstract_chars\": 40", &st);
	pw_record *r = rec_new();
	rec_set(r, PW_F_ID, "10.1101/2026.11.20.123456");
	rec_set(r, PW_F_TITLE, "A bioRxiv paper");
	rec_set(r, PW_F_ABSTRACT, "Wordswithoutanysentenceend go on and on past the limit of forty characters.");
	pw_record *recs[1] = { r };
	pw_delivery *d = pwm_delivery_new(recs, 1, PW_D_DIGEST, "daily", NULL);
	ck_assert_int_eq(P->write(pwm_host(), in, st, d), PW_OK);
	const char *md = pw_read_file(path, NULL);
	ck_assert_msg(strstr(md, "**DOI**: 10.1101/2026.11.20.123456  \n"), "%s", md);
	ck_assert(!strstr(md, "ArXiv ID"));
	ck_assert(!strstr(md, "**Category**"));
	ck_assert(!strstr(md, "**PDF**"));
	ck_assert_msg(strstr(md, "#### Abstract\nWordswithoutanysentenceend go on and on…\n"), "%s", md);
	pwm_delivery_free(d);
	rec_free(r);
	P->destroy(pwm_host(), in, st);
	pwm_instance_free(in);
}

END_TEST

START_TEST(a_failed_write_leaves_the_old_page_and_no_temp_file)
{
	void *st;
	fresh_dir();
	/* A directory cannot be made where a file is. */
	snprintf(path, sizeof path, "%s/file", dir);
	fclose(fopen(path, "w"));
	snprintf(path, sizeof path, "%s/file/README.md", dir);
	const pw_plugin *P = pw_plugin_entry();
	pw_instance *in = sink("", &st);
	pw_delivery *d = pwm_delivery_new(NULL, 0, PW_D_DIGEST, "daily", NULL);
	ck_assert_int_eq(P->write(pwm_host(), in, st, d), PW_ERROR);
	ck_assert_msg(strstr(pwm_log(in), "file/README.md: Not a directory"), "%s", pwm_log(in));
	snprintf(path, sizeof path, "%s/file", dir);
	unlink(path);
	pwm_delivery_free(d);
	P->destroy(pwm_host(), in, st);
	pwm_instance_free(in);
	DIR *dh = opendir(dir);
	struct dirent *e;
	int files = 0;
	while ((e = readdir(dh)) != NULL)
		files += e->d_name[0] != '.';
	closedir(dh);
	ck_assert_int_eq(files, 0);
}

END_TEST

START_TEST(extension_fields_inline_or_folded_and_grouping)
{
	void *st;
	fresh_dir();
	const pw_plugin *P = pw_plugin_entry();
	pw_instance *in = sink(", \"group_by\": \"category\"", &st);
	pw_record *a = paper(), *b = paper(), *c = paper();
	rec_set(a, "label", "Inference efficiency");
	rec_set(a, "summary", "Problem: decoding is slow.\nMethod: draft and verify.\nResults: 2x faster.");
	rec_add(a, "related", "2302.01318: Accelerating LLM Decoding with Speculative Sampling");
	rec_add(a, "related", "2401.10774: Medusa");
	rec_set(b, PW_F_ID, "2611.00002");
	rec_set(b, PW_F_PRIMARY, "cs.RO");
	rec_set(c, PW_F_ID, "2611.00003");
	pw_record *recs[3] = { a, b, c };
	pw_delivery *d = pwm_delivery_new(recs, 3, PW_D_DIGEST, "daily", NULL);
	ck_assert_int_eq(P->write(pwm_host(), in, st, d), PW_OK);
	const char *md = pw_read_file(path, NULL);
	ck_assert_msg(strstr(md, "**Label**: Inference efficiency  \n"), "%s", md);
	/* An enricher's lines stay lines (hard breaks), not one paragraph. */
	ck_assert_msg(strstr(md,
	                     "<details>\n<summary><strong>summary</strong></summary>\n\nProblem: decoding is slow.  \n"
	                     "Method: draft and verify.  \nResults: 2x faster.\n\n</details>"),
	              "%s", md);
	ck_assert(strstr(md, "<summary><strong>related</strong></summary>\n\n- 2302.01318: Accelerating LLM Decoding"));
	const char *cl = strstr(md, "### cs.CL (2)\n"), *ro = strstr(md, "### cs.RO (1)\n");
	ck_assert_msg(cl && ro && cl < ro, "%s", md);
	/* Both cs.CL papers come under cs.CL, numbered 1 and 2; the cs.RO one is 3. */
	ck_assert(strstr(cl, "#### 2. ") < ro);
	ck_assert(strstr(ro, "#### 3. ") != NULL);
	pwm_delivery_free(d);
	rec_free(a);
	rec_free(b);
	rec_free(c);
	P->destroy(pwm_host(), in, st);
	pwm_instance_free(in);
}

END_TEST

static char *
render(void (*put)(FILE *, const char *), const char *text)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	put(f, text);
	fclose(f);
	return out;
}

START_TEST(an_enrichers_markdown_keeps_structure_not_html_or_foreign_links)
{
	char *md = render(md_put_markdown, "## Problem\n**Decoding** is slow.\n- one <script>x</script>\n"
	                                   "1. [ok](https://example.org/a) [bad](javascript:alert(1))\n"
	                                   "![img](https://evil.example/p.png) `<b>code</b>` and $x_1 < y$");
	ck_assert_str_eq(md, "## Problem\n**Decoding** is slow.  \n- one \\<script\\>x\\</script\\>  \n"
	                     "1. [ok](<https://example.org/a>) bad  \nimg `<b>code</b>` and $x_1 \\lt  y$");
	free(md);
	/* A field's own text: all of it literal, math left as math. */
	md = render(md_put_text, "A *b* [c](d) <e> & $\\_3$ costs $5 and $6");
	ck_assert_str_eq(md, "A \\*b\\* \\[c\\](d) \\<e\\> \\& $\\_3$ costs \\$5 and \\$6");
	free(md);
}

END_TEST

static Suite *
markdown_suite(void)
{
	Suite *s = suite_create("markdown");
	TCase *tc = tcase_create("markdown");
	tcase_add_test(tc, writes_a_digest_page);
	tcase_add_test(tc, an_empty_day_keeps_the_last_papers_under_a_status_line);
	tcase_add_test(tc, a_paper_without_an_arxiv_id_is_not_labelled_as_one);
	tcase_add_test(tc, a_failed_write_leaves_the_old_page_and_no_temp_file);
	tcase_add_test(tc, extension_fields_inline_or_folded_and_grouping);
	tcase_add_test(tc, an_enrichers_markdown_keeps_structure_not_html_or_foreign_links);
	suite_add_tcase(s, tc);
	return s;
}

PW_CHECK_MAIN(markdown_suite)
