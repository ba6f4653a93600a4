/* The rss sink against the mock host: history from the ledger, guids,
 * dates, escaping, and a well-formed document whatever the titles hold. */
#include "autoconf.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "paperwire/mock_host.h"
#include "pw_check.h"
#include "record.h"

const pw_plugin *pw_plugin_entry(void);

static char path[256];

static pw_record *
paper(const char *id, const char *title)
{
	pw_record *r = rec_new();
	char url[128];
	rec_set(r, PW_F_ID, id);
	rec_set(r, PW_F_TITLE, title);
	snprintf(url, sizeof url, "https://arxiv.org/abs/%s", id);
	rec_set(r, PW_F_URL, url);
	rec_add(r, PW_F_AUTHORS, "Ada Lovelace");
	rec_add(r, PW_F_CATEGORIES, "cs.LG");
	rec_set(r, PW_F_ABSTRACT, "An abstract with <b>tags</b> & ]]> inside.");
	rec_set(r, "summary", "one line\nsecond line");
	rec_score_add(r, "keyword", 1, 3, "title has 'x' +3");
	return r;
}

static void
write_feed(const char *format)
{
	const pw_plugin *P = pw_plugin_entry();
	const pw_host *H = pwm_host();
	char opts[512];
	void *st;
	snprintf(path, sizeof path, "/tmp/pw-test-rss-%d.xml", (int)getpid());
	snprintf(opts, sizeof opts,
	         "{\"path\": \"%s\", \"format\": \"%s\", \"keep_days\": 7, "
	         "\"url\": \"https://example.org/f.xml\"}",
	         path, format);
	pw_instance *in = pwm_instance_new_json(P->options, opts);
	ck_assert_int_eq(P->create(H, in, &st), PW_OK);
	int64_t now = (int64_t)time(NULL);
	pwm_add_delivered(in, paper("2601.00001", "Too old to keep"), now - 10 * 86400);
	pwm_add_delivered(in, paper("2611.00002", "From last week"), now - 3 * 86400);
	pw_record *today[1] = { paper("2611.00003", "Today: <i>Evil</i> \x01\x02 title") };
	pw_delivery *d = pwm_delivery_new(today, 1, PW_D_DIGEST, "daily", NULL);
	ck_assert_int_eq(P->write(H, in, st, d), PW_OK);
	pwm_delivery_free(d);
	rec_free(today[0]);
	P->destroy(H, in, st);
	pwm_instance_free(in);
	xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	ck_assert_msg(doc != NULL, "the feed is not well-formed XML");
	xmlFreeDoc(doc);
}

START_TEST(rss_keeps_recent_history_newest_first)
{
	write_feed("rss");
	const char *x = pw_read_file(path, NULL);
	ck_assert(strstr(x, "<rss version=\"2.0\""));
	ck_assert(
	        strstr(x, "<atom:link rel=\"self\" type=\"application/rss+xml\" href=\"https://example.org/f.xml\"/>"));
	const char *today = strstr(x, "Today: &lt;i&gt;Evil&lt;/i&gt; title");
	const char *week = strstr(x, "From last week");
	ck_assert_ptr_nonnull(today);
	ck_assert_ptr_nonnull(week);
	ck_assert(today < week);
	ck_assert_ptr_null(strstr(x, "Too old to keep"));
	ck_assert(strstr(x, "<guid isPermaLink=\"true\">https://arxiv.org/abs/2611.00003</guid>"));
	ck_assert(strstr(x, "<dc:creator>Ada Lovelace</dc:creator>"));
	ck_assert(strstr(x, "<category>cs.LG</category>"));
	/* The description is escaped HTML; the paper's own tags are text in it. */
	ck_assert(strstr(x, "&amp;lt;b&amp;gt;tags&amp;lt;/b&amp;gt; &amp;amp; ]]&amp;gt; inside."));
	ck_assert(strstr(x, "&lt;b&gt;summary:&lt;/b&gt; one line&lt;br&gt;second line"));
	unlink(path);
}

END_TEST

START_TEST(atom_has_ids_dates_and_authors)
{
	write_feed("atom");
	const char *x = pw_read_file(path, NULL);
	ck_assert(strstr(x, "<feed xmlns=\"http://www.w3.org/2005/Atom\">"));
	ck_assert(strstr(x, "<id>https://arxiv.org/abs/2611.00002</id>"));
	ck_assert(strstr(x, "<link rel=\"self\" type=\"application/atom+xml\" href=\"https://example.org/f.xml\"/>"));
	ck_assert(strstr(x, "<summary type=\"html\">"));
	ck_assert(strstr(x, "<category term=\"cs.LG\"/>"));
	const char *u = strstr(x, "<updated>");
	ck_assert_ptr_nonnull(u);
	ck_assert_int_eq(u[9 + 10], 'T');
	ck_assert_int_eq(u[9 + 19], 'Z');
	unlink(path);
}

END_TEST

START_TEST(bad_options_are_config_errors)
{
	const pw_plugin *P = pw_plugin_entry();
	void *st;
	ck_assert_ptr_null(pwm_instance_new_json(P->options, "{\"path\": \"x\", \"format\": \"json\"}"));
	ck_assert(strstr(pwm_refusal(), "format: \"json\" is not one of rss or atom"));
	ck_assert_ptr_null(pwm_instance_new_json(P->options, "{\"path\": \"x\", \"keep_days\": 0}"));
	ck_assert(strstr(pwm_refusal(), "keep_days: 0 is outside 1..3650"));
	pw_instance *in =
	        pwm_instance_new_json(P->options, "{\"path\": \"x\", \"format\": \"atom\", \"keep_days\": 3650}");
	ck_assert_ptr_nonnull(in);
	ck_assert_str_eq(pwm_refusal(), "");
	ck_assert_int_eq(P->create(pwm_host(), in, &st), PW_OK);
	P->destroy(pwm_host(), in, st);
	pwm_instance_free(in);
}

END_TEST

static Suite *
rss_suite(void)
{
	Suite *s = suite_create("rss");
	TCase *tc = tcase_create("rss");
	tcase_add_test(tc, rss_keeps_recent_history_newest_first);
	tcase_add_test(tc, atom_has_ids_dates_and_authors);
	tcase_add_test(tc, bad_options_are_config_errors);
	suite_add_tcase(s, tc);
	return s;
}

PW_CHECK_MAIN(rss_suite)
