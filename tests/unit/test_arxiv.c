/* The arxiv plugin against the mock host and our own small fixtures. */
#include "autoconf.h"

#include <string.h>

#include "../../plugins/common/feed_date.h"
#include "plugin_case.h"
#include "pw_check.h"

START_TEST(pages_and_maps_every_field)
{
	void *st = NULL;
	pw_instance *in = pc_instance("{\"query\": \"all:test\", \"page_size\": 2, \"max_results\": 10, "
	                              "\"base_url\": \"http://api/query\", \"catch_up\": false}",
	                              &st);
	pwm_route_file(in, "start=0", 200, pc_fixture("api_paged.atom"));
	pwm_route_file(in, "start=2", 200, pc_fixture("api_paged.2.atom"));
	ck_assert_int_eq(P->fetch(H, in, st), PW_OK);
	ck_assert_uint_eq(pwm_requests(in), 2);
	ck_assert_str_eq(pwm_request_url(in, 0), "http://api/query?search_query=all:test&id_list=&start=0"
	                                         "&max_results=2&sortBy=submittedDate&sortOrder=descending");
	ck_assert_uint_eq(pwm_emitted_count(in), 3);
	pw_record *r = pwm_emitted(in, 0);
	ck_assert_str_eq(H->record_get(in, r, PW_F_ID), "http://arxiv.org/abs/2611.00001v1");
	ck_assert_str_eq(H->record_get(in, r, PW_F_TITLE), "Speculative Decoding with Tiny Drafts");
	ck_assert_str_eq(H->record_get(in, r, PW_F_URL), "https://arxiv.org/abs/2611.00001");
	ck_assert_str_eq(H->record_get(in, r, PW_F_PDF_URL), "https://arxiv.org/pdf/2611.00001v1");
	ck_assert_str_eq(H->record_get(in, r, PW_F_PRIMARY), "cs.CL");
	ck_assert_str_eq(H->record_get(in, r, PW_F_DOI), "10.1000/test.1");
	ck_assert_str_eq(H->record_get(in, r, PW_F_COMMENT), "12 pages");
	ck_assert_uint_eq(H->record_count(in, r, PW_F_AUTHORS), 2);
	ck_assert_str_eq(H->record_get_at(in, r, PW_F_AUTHORS, 1), "Alan Turing");
	ck_assert_str_eq(H->record_get_at(in, r, "affiliations", 0), "Ada Lovelace (Analytical Engines Ltd)");
	ck_assert_uint_eq(H->record_count(in, r, PW_F_CATEGORIES), 2);
	ck_assert(H->record_get_time(in, r, PW_T_PUBLISHED) == 1795111200);
	ck_assert(strncmp(H->record_get(in, r, PW_F_ABSTRACT), "We study speculative decoding with very", 39) == 0);
	r = pwm_emitted(in, 2);
	ck_assert_str_eq(H->record_get(in, r, PW_F_ABSTRACT),
	                 "We survey RL from human feedback & its variants <2026>.");
	pc_finish(in, st);
}

END_TEST

START_TEST(categories_and_query_build_one_search)
{
	void *st = NULL;
	pw_instance *in = pc_instance("{\"categories\": [\"cs.LG\", \"cs.CL\"], \"query\": \"ti:\\\"KV cache\\\"\", "
	                              "\"base_url\": \"http://api/q\", \"max_results\": 5, \"catch_up\": false}",
	                              &st);
	pwm_route_file(in, "http://api/q", 200, pc_fixture("api_empty.atom"));
	ck_assert_int_eq(P->fetch(H, in, st), PW_OK);
	ck_assert_str_eq(pwm_request_url(in, 0),
	                 "http://api/q?search_query=%28cat:cs.LG+OR+cat:cs.CL%29+AND+%28ti:%22KV+cache%22%29&id_list="
	                 "&start=0&max_results=5&sortBy=submittedDate&sortOrder=descending");
	ck_assert_uint_eq(pwm_emitted_count(in), 0);
	pc_finish(in, st);
}

END_TEST

START_TEST(ids_are_asked_all_at_once)
{
	void *st = NULL;
	pw_instance *in = pc_instance("{\"ids\": [\"2611.00001\", \"math/0611800v2\"], \"max_results\": 1, "
	                              "\"base_url\": \"http://api/q\"}",
	                              &st);
	pwm_route_file(in, "http://api/q", 200, pc_fixture("api_empty.atom"));
	ck_assert_int_eq(P->fetch(H, in, st), PW_OK);
	ck_assert(strstr(pwm_request_url(in, 0), "id_list=2611.00001%2Cmath%2F0611800v2&start=0&max_results=2"));
	pc_finish(in, st);
}

END_TEST

static void
expect_failure(const char *file, const char *body, long code, const char *log_part)
{
	void *st = NULL;
	pw_instance *in = pc_instance("{\"query\": \"x\", \"base_url\": \"http://api/q\"}", &st);
	if (file)
		pwm_route_file(in, "http://api/q", code, pc_fixture(file));
	else
		pwm_route(in, "http://api/q", code, body);
	ck_assert_int_ne(P->fetch(H, in, st), PW_OK);
	ck_assert_uint_eq(pwm_emitted_count(in), 0);
	ck_assert_msg(strstr(pwm_log(in), log_part), "log lacks '%s': %s", log_part, pwm_log(in));
	pc_finish(in, st);
}

START_TEST(faults_emit_nothing_and_say_why)
{
	expect_failure("api_error.atom", NULL, 200, "arXiv API error (HTTP 200) for http://api/q");
	expect_failure("api_malformed.atom", NULL, 200, "malformed XML at line");
	expect_failure("api_bomb.atom", NULL, 200, "refused: the document has a DTD");
	expect_failure("api_xxe.atom", NULL, 200, "refused: the document has a DTD");
	expect_failure(NULL, "Rate exceeded.", 200, "not an Atom feed: the body starts with \"Rate exceeded.\"");
	expect_failure(NULL, "<html><body>oops</body></html>", 200, "not an Atom feed: the root element is <html>");
	expect_failure(NULL, "Rate exceeded.", 429, "HTTP 429 from http://api/q");
	expect_failure(NULL, "", 200, "not an Atom feed");
}

END_TEST

START_TEST(empty_middle_page_is_asked_again_then_fails)
{
	void *st = NULL;
	pw_instance *in = pc_instance("{\"query\": \"x\", \"page_size\": 2, \"base_url\": \"http://api/q\"}", &st);
	pwm_route_file(in, "start=0", 200, pc_fixture("api_paged.atom"));
	/* totalResults says 3, but the page at start=2 comes back empty. */
	pwm_route(in, "start=2", 200,
	          "<feed xmlns='http://www.w3.org/2005/Atom' xmlns:opensearch='http://a9.com/-/spec/opensearch/1.1/'>"
	          "<opensearch:totalResults>3</opensearch:totalResults></feed>");
	ck_assert_int_eq(P->fetch(H, in, st), PW_RETRY);
	ck_assert_uint_eq(pwm_requests(in), 4);
	ck_assert_uint_eq(pwm_emitted_count(in), 2);
	ck_assert(strstr(pwm_log(in), "empty page at start=2 of 3 results; asking again"));
	pc_finish(in, st);
}

END_TEST

START_TEST(bad_options_are_config_errors)
{
	void *st = NULL;
	/* Refused by the schema, as 'paperwire check' refuses them. */
	ck_assert_ptr_null(pwm_instance_new_json(P->options, "{\"mode\": \"carrier-pigeon\", \"query\": \"x\"}"));
	ck_assert(strstr(pwm_refusal(), "mode: \"carrier-pigeon\" is not one of listing, api or oai"));
	ck_assert_ptr_null(pwm_instance_new_json(P->options, "{\"mode\": \"lsting\"}"));
	ck_assert(strstr(pwm_refusal(), "did you mean \"listing\"?"));
	ck_assert_ptr_null(pwm_instance_new_json(P->options, "{\"query\": \"x\", \"page_size\": 5000}"));
	ck_assert(strstr(pwm_refusal(), "page_size: 5000 is outside 1..2000"));
	ck_assert_ptr_null(pwm_instance_new_json(P->options, "{\"announce\": [\"new\", \"crosss\"]}"));
	ck_assert(strstr(pwm_refusal(), "\"crosss\" is not one of new, cross, replace, replace-cross or all"));
	/* Refused by the plugin: what the schema cannot say. */
	pw_instance *in = pwm_instance_new_json(P->options, "{}");
	ck_assert_int_eq(P->create(H, in, &st), PW_CONFIG_ERROR);
	ck_assert(strstr(pwm_log(in), "there is nothing to ask arXiv"));
	pwm_instance_free(in);
}

END_TEST

START_TEST(dates_parse_alike_when_repeated)
{
	/* The listing keeps the last date's time: the parser itself holds no
	 * state, so a text gives the same time whatever came before it. */
	static const struct {
		const char *text;
		int64_t t;
	} dates[] = {
		{ "Thu, 28 Nov 2024 00:00:00 -0500", 1732770000 },
		{ "Thu, 28 Nov 2024 00:00:00 -0500", 1732770000 },
		{ "Thu, 28 Nov 2024 00:00:00", 1732752000 },
		{ "2024-11-28T05:00:00Z", 1732770000 },
		{ "2024-11-28", 1732752000 },
		{ "2024-11-28T05:00:00Z", 1732770000 },
		{ "not a date", -1 },
		{ "not a date", -1 },
		{ "Thu, 28 Nov 2024 00:00:00 -0500", 1732770000 },
	};

	for (size_t i = 0; i < sizeof dates / sizeof *dates; i++)
		ck_assert_msg(fdate_parse(dates[i].text) == dates[i].t, "%s", dates[i].text);
	ck_assert(fdate_parse(NULL) == -1);
}

END_TEST

static Suite *
arxiv_suite(void)
{
	Suite *s = suite_create("arxiv");
	TCase *tc = tcase_create("api");
	tcase_add_checked_fixture(tc, pc_setup, NULL);
	tcase_add_test(tc, pages_and_maps_every_field);
	tcase_add_test(tc, categories_and_query_build_one_search);
	tcase_add_test(tc, ids_are_asked_all_at_once);
	tcase_add_test(tc, faults_emit_nothing_and_say_why);
	tcase_add_test(tc, empty_middle_page_is_asked_again_then_fails);
	tcase_add_test(tc, bad_options_are_config_errors);
	tcase_add_test(tc, dates_parse_alike_when_repeated);
	suite_add_tcase(s, tc);
	return s;
}

PW_CHECK_MAIN(arxiv_suite)
