/* The arxiv plugin's other modes against the mock host and our own small
 * fixtures: OAI-PMH paging and errors, catch-up windows, the listing's
 * catch-up through OAI-PMH, and the API enrichment pass. */
#include "autoconf.h"

#include <string.h>
#include <time.h>

#include "../../plugins/sources/arxiv_catchup.h"
#include "../../plugins/sources/arxiv_oai.h"
#include "plugin_case.h"
#include "pw_check.h"

static const char *
field(pw_instance *in, size_t i, const char *name)
{
	return H->record_get(in, pwm_emitted(in, i), name);
}

START_TEST(category_sets)
{
	char set[64];
	const char *cases[][2] = { { "cs.LG", "cs:cs:LG" },
		                   { "hep-th", "physics:hep-th" },
		                   { "astro-ph.CO", "physics:astro-ph:CO" },
		                   { "physics.optics", "physics:physics:optics" },
		                   { "math", "math" },
		                   { "q-bio.NC", "q-bio:q-bio:NC" },
		                   { "physics", "physics:physics" },
		                   { "quant-ph", "physics:quant-ph" } };
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		oai_category_set(cases[i][0], set, sizeof set);
		ck_assert_str_eq(set, cases[i][1]);
	}
}

END_TEST

START_TEST(windows_and_missed_days)
{
	catchup c;
	int64_t fri = 1795132800; /* 2026-11-20, a Friday, 00:00 UTC */
	catchup_window(fri + 3600, -1, 10, 0, &c);
	ck_assert(c.first_run);
	ck_assert_str_eq(c.from, "2026-11-19");
	catchup_window(fri + 3600, fri - 3 * DAY_SECONDS + 7200, 10, 0, &c);
	ck_assert_str_eq(c.from, "2026-11-17");
	ck_assert_str_eq(c.since_day, "2026-11-17");
	ck_assert(!c.clamped);
	catchup_window(fri + 3600, fri - 3 * DAY_SECONDS, 10, 4, &c);
	ck_assert_str_eq(c.from, "2026-11-13");
	catchup_window(fri, fri - 100 * DAY_SECONDS, 10, 0, &c);
	ck_assert(c.clamped);
	ck_assert_str_eq(c.from, "2026-11-10");
	/* Friday after Thursday: nothing missed; Monday after Thursday: Friday. */
	ck_assert_int_eq(catchup_missed_days(fri - DAY_SECONDS, fri), 0);
	ck_assert_int_eq(catchup_missed_days(fri - DAY_SECONDS, fri + 3 * DAY_SECONDS), 1);
	ck_assert_int_eq(catchup_missed_days(fri - 4 * DAY_SECONDS, fri), 3);
	ck_assert_str_eq(catchup_empty_reason("2026-11-21"), "no announcement on Saturdays");
	ck_assert_str_eq(catchup_empty_reason("2026-11-22"), "no announcement on Sundays");
	ck_assert_str_eq(catchup_empty_reason("2026-11-26"), "no announcement (an arXiv holiday)"); /* Thanksgiving */
	/* An empty Wednesday that arXiv did not list is not called a holiday. */
	ck_assert_str_eq(catchup_empty_reason("2026-11-25"),
	                 "no announcement (not a listed arXiv holiday: a deferral, see status.arxiv.org)");
}

END_TEST

START_TEST(oai_dc_pages_follow_the_token_alone)
{
	void *st = NULL;
	pw_instance *in = pc_instance("{\"mode\": \"oai\", \"format\": \"oai_dc\", \"sets\": [\"cs\"], "
	                              "\"from\": \"2024-01-25\", \"base_url\": \"http://oai/oai\"}",
	                              &st);
	pwm_route_file(in, "resumptionToken=6960524%7C1001", 200, pc_fixture("oai_dc_last_page.xml"));
	pwm_route_file(
	        in, "verb=ListRecords&metadataPrefix=oai_dc&set=cs&from=2024-01-25", 200,
	        pw_path("PW_FIXTURES", "arxiv_oai/listrecords_oai_dc_set-cs_from-2024-01-25_page1_trimmed5.xml"));
	ck_assert_int_eq(P->fetch(H, in, st), PW_OK);
	ck_assert_uint_eq(pwm_requests(in), 2);
	ck_assert_str_eq(pwm_request_url(in, 0),
	                 "http://oai/oai?verb=ListRecords&metadataPrefix=oai_dc&set=cs&from=2024-01-25");
	ck_assert_str_eq(pwm_request_url(in, 1), "http://oai/oai?verb=ListRecords&resumptionToken=6960524%7C1001");
	ck_assert_uint_eq(pwm_emitted_count(in), 6); /* 5 + 1; the deleted record is not a paper */
	ck_assert_str_eq(field(in, 0, PW_F_ID), "1303.2033");
	ck_assert_str_eq(field(in, 0, PW_F_TITLE), "Extended Fourier analysis of signals");
	ck_assert_str_eq(H->record_get_at(in, pwm_emitted(in, 0), PW_F_AUTHORS, 0), "Vilnis Liepins");
	pw_record *last = pwm_emitted(in, 5);
	ck_assert_str_eq(field(in, 5, PW_F_ID), "2401.14999");
	ck_assert_str_eq(field(in, 5, PW_F_COMMENT), "4 pages");
	ck_assert_str_eq(field(in, 5, PW_F_ABSTRACT), "The last record of a harvest.");
	ck_assert_str_eq(field(in, 5, PW_F_DOI), "10.1000/last.page");
	ck_assert_str_eq(field(in, 5, PW_F_ANNOUNCE), "replace");
	ck_assert_str_eq(H->record_get_at(in, last, PW_F_AUTHORS, 1), "Alan Turing");
	ck_assert(strstr(pwm_note(in), "7 records in 2 pages since 2024-01-25 (1 deleted, 0 skipped)"));
	pc_finish(in, st);
}

END_TEST

START_TEST(oai_errors)
{
	void *st = NULL;
	pw_instance *in =
	        pc_instance("{\"mode\": \"oai\", \"categories\": [\"cs.LG\"], \"base_url\": \"http://oai/\"}", &st);
	pwm_route_file(in, "set=cs%3Acs%3ALG", 200, pc_fixture("oai_no_records.xml"));
	ck_assert_int_eq(P->fetch(H, in, st), PW_OK);
	ck_assert_uint_eq(pwm_emitted_count(in), 0);
	ck_assert(strstr(pwm_note(in), "nothing new since "));
	ck_assert(strstr(pwm_note(in), "(OAI-PMH noRecordsMatch)"));
	pc_finish(in, st);

	in = pc_instance("{\"mode\": \"oai\", \"from\": \"2026-11-17\", \"base_url\": \"http://oai/\"}", &st);
	pwm_route_file(in, "oai", 200, pc_fixture("oai_bad_token.xml"));
	ck_assert_int_eq(P->fetch(H, in, st), PW_ERROR);
	ck_assert(strstr(pwm_log(in), "OAI-PMH error badResumptionToken: The resumption token is invalid or expired"));
	pc_finish(in, st);

	in = pc_instance("{\"mode\": \"oai\", \"from\": \"2026-11-17\", \"base_url\": \"http://oai/\"}", &st);
	pwm_route_file(in, "oai", 200, pc_fixture("oai_truncated.xml"));
	ck_assert_int_eq(P->fetch(H, in, st), PW_ERROR);
	ck_assert_uint_eq(pwm_emitted_count(in), 0); /* two records came before the cut */
	ck_assert(strstr(pwm_log(in), "no record of it was kept"));
	pc_finish(in, st);

	in = pc_instance("{\"mode\": \"oai\", \"from\": \"2026-11-17\", \"base_url\": \"http://oai/\"}", &st);
	pwm_route(in, "oai", 503, "busy");
	ck_assert_int_eq(P->fetch(H, in, st), PW_RETRY);
	pc_finish(in, st);

	pw_instance *bad = pwm_instance_new_json(P->options, "{\"mode\": \"oai\", \"from\": \"17 Nov\"}");
	ck_assert_int_eq(P->create(H, bad, &st), PW_CONFIG_ERROR);
	ck_assert(strstr(pwm_log(bad), "from and until are days (YYYY-MM-DD)"));
	pwm_instance_free(bad);
	ck_assert_ptr_null(pwm_instance_new_json(P->options, "{\"mode\": \"oai\", \"format\": \"marc\"}"));
	ck_assert(strstr(pwm_refusal(), "format: \"marc\" is not one of arXiv or oai_dc"));
}

END_TEST

START_TEST(oai_catch_up_window_follows_the_last_success)
{
	void *st = NULL;
	pw_instance *in = pc_instance("{\"mode\": \"oai\", \"categories\": [\"cs.LG\", \"hep-th\"], "
	                              "\"max_days\": 5, \"base_url\": \"http://oai/\"}",
	                              &st);
	pwm_route_file(in, "oai", 200, pc_fixture("oai_no_records.xml"));
	time_t now = time(NULL);
	char want[64], day[11];
	pwm_set_fetch_since(in, (int64_t)now - 2 * DAY_SECONDS);
	catchup_day((int64_t)now - 2 * DAY_SECONDS, day);
	ck_assert_int_eq(P->fetch(H, in, st), PW_OK);
	snprintf(want, sizeof want, "set=cs%%3Acs%%3ALG&from=%s", day);
	ck_assert_msg(strstr(pwm_request_url(in, 0), want), "%s", pwm_request_url(in, 0));
	snprintf(want, sizeof want, "set=physics%%3Ahep-th&from=%s", day);
	ck_assert_msg(strstr(pwm_request_url(in, 1), want), "%s", pwm_request_url(in, 1));
	/* A last success long ago is bounded by max_days, loudly. */
	pwm_set_fetch_since(in, (int64_t)now - 40 * DAY_SECONDS);
	ck_assert_int_eq(P->fetch(H, in, st), PW_OK);
	catchup_day((int64_t)now - 5 * DAY_SECONDS, day);
	snprintf(want, sizeof want, "from=%s", day);
	ck_assert_msg(strstr(pwm_request_url(in, 2), want), "%s", pwm_request_url(in, 2));
	ck_assert(strstr(pwm_log(in), "more than max_days (5) ago"));
	pc_finish(in, st);
}

END_TEST

START_TEST(api_windows)
{
	void *st = NULL;
	pw_instance *in = pc_instance("{\"query\": \"ti:x\", \"from\": \"2026-11-01\", \"until\": \"2026-11-05\", "
	                              "\"base_url\": \"http://api/q\"}",
	                              &st);
	pwm_route_file(in, "http://api/q", 200, pc_fixture("api_empty.atom"));
	ck_assert_int_eq(P->fetch(H, in, st), PW_OK);
	ck_assert_msg(strstr(pwm_request_url(in, 0), "search_query=%28ti:x%29+AND+submittedDate:%5B202611010000+TO+"
	                                             "202611052359%5D&"),
	              "%s", pwm_request_url(in, 0));
	ck_assert(strstr(pwm_note(in), "submitted from 2026-11-01 to 2026-11-05: none matched"));
	pc_finish(in, st);

	in = pc_instance("{\"query\": \"ti:x\", \"base_url\": \"http://api/q\"}", &st);
	pwm_route_file(in, "http://api/q", 200, pc_fixture("api_empty.atom"));
	time_t now = time(NULL);
	pwm_set_fetch_since(in, (int64_t)now - 2 * DAY_SECONDS);
	ck_assert_int_eq(P->fetch(H, in, st), PW_OK);
	char day[11], want[64];
	catchup_day((int64_t)now - 6 * DAY_SECONDS, day);
	snprintf(want, sizeof want, "submittedDate:%%5B%.4s%.2s%.2s0000+TO+", day, day + 5, day + 8);
	ck_assert_msg(strstr(pwm_request_url(in, 0), want), "%s lacks %s", pwm_request_url(in, 0), want);
	ck_assert(strstr(pwm_note(in), "less 4 days of moderation"));
	pc_finish(in, st);
}

END_TEST

/* The last listing read was Tuesday's; Friday's listing comes, so
 * Wednesday's and Thursday's announcements are read through OAI-PMH. */
START_TEST(listing_catches_up_missed_days)
{
	void *st = NULL;
	pw_instance *in = pc_instance("{\"categories\": [\"cs.LG\"], \"base_url\": \"http://rss/\", "
	                              "\"oai_url\": \"http://oai/oai\"}",
	                              &st);
	pwm_route_file(in, "http://rss/cs.LG", 200, pc_fixture("listing_small.xml"));
	pwm_route_file(in, "http://oai/oai?verb=ListRecords&metadataPrefix=arXiv&set=cs%3Acs%3ALG&from=2026-11-17", 200,
	               pc_fixture("oai_catchup.xml"));
	H->state_set(in, "listing_day", "1794891600" /* Tue 2026-11-17 05:00 UTC */);
	ck_assert_int_eq(P->fetch(H, in, st), PW_OK);
	ck_assert_uint_eq(pwm_requests(in), 2);
	/* 2 from the listing; from OAI the new paper and the cross-list, not the
	 * replacement, the math paper, the DOI-only change or the deleted one. */
	ck_assert_uint_eq(pwm_emitted_count(in), 4);
	ck_assert_str_eq(field(in, 2, PW_F_ID), "2611.09001");
	ck_assert_str_eq(field(in, 2, PW_F_ANNOUNCE), "new");
	ck_assert_str_eq(field(in, 2, PW_F_TITLE), "Missed on Wednesday: Symmetries of Gradient Descent");
	ck_assert_str_eq(H->record_get_at(in, pwm_emitted(in, 2), PW_F_AUTHORS, 0), "Emmy Noether");
	ck_assert_str_eq(H->record_get_at(in, pwm_emitted(in, 2), PW_F_AUTHORS, 1), "Donald E. Knuth Jr");
	ck_assert_str_eq(H->record_get_at(in, pwm_emitted(in, 2), "affiliations", 0), "Emmy Noether (Göttingen)");
	ck_assert_str_eq(field(in, 2, PW_F_JOURNAL_REF), "J. Sym. 1 (2026)");
	ck_assert_str_eq(field(in, 2, PW_F_DOI), "10.1000/sym.1");
	ck_assert_str_eq(field(in, 2, PW_F_PRIMARY), "cs.LG");
	ck_assert_str_eq(field(in, 3, PW_F_ID), "2611.09002");
	ck_assert_str_eq(field(in, 3, PW_F_ANNOUNCE), "cross");
	ck_assert_msg(strstr(pwm_note(in), "caught up since 2026-11-17 through OAI-PMH: 2026-11-18 3, "
	                                   "2026-11-19 3; 2 papers kept"),
	              "%s", pwm_note(in));
	ck_assert_str_eq(H->state_get(in, "listing_day"), "1795150800");
	/* Read again with nothing missed: one request, no catch-up. */
	ck_assert_int_eq(P->fetch(H, in, st), PW_OK);
	ck_assert_uint_eq(pwm_requests(in), 3);
	pc_finish(in, st);
}

END_TEST

START_TEST(listing_enrichment_adds_what_only_the_api_has)
{
	void *st = NULL;
	pw_instance *in = pc_instance("{\"categories\": [\"cs.LG\"], \"base_url\": \"http://rss/\", \"enrich\": true, "
	                              "\"api_url\": \"http://api/q\"}",
	                              &st);
	pwm_route_file(in, "http://rss/cs.LG", 200, pc_fixture("listing_small.xml"));
	pwm_route_file(in, "http://api/q?search_query=&id_list=2611.10001%2C2611.10002&start=0&max_results=2", 200,
	               pc_fixture("api_enrich.atom"));
	ck_assert_int_eq(P->fetch(H, in, st), PW_OK);
	ck_assert_uint_eq(pwm_requests(in), 2);
	ck_assert_uint_eq(pwm_emitted_count(in), 2);
	ck_assert_str_eq(field(in, 0, PW_F_COMMENT), "12 pages, 3 figures");
	ck_assert_str_eq(field(in, 0, PW_F_TITLE), "Draft Trees for Speculative Decoding");
	ck_assert_str_eq(field(in, 1, PW_F_JOURNAL_REF), "Proc. ACL (2027)");
	ck_assert_str_eq(field(in, 1, PW_F_DOI), "10.1000/acl.2");
	ck_assert_str_eq(H->record_get_at(in, pwm_emitted(in, 1), "affiliations", 0), "Grace Hopper (Navy)");
	pc_finish(in, st);

	/* The API failing loses no paper: the listing's records go out as they are. */
	in = pc_instance("{\"categories\": [\"cs.LG\"], \"base_url\": \"http://rss/\", \"enrich\": true, "
	                 "\"api_url\": \"http://api/q\"}",
	                 &st);
	pwm_route_file(in, "http://rss/cs.LG", 200, pc_fixture("listing_small.xml"));
	pwm_route(in, "http://api/q", 503, "down");
	ck_assert_int_eq(P->fetch(H, in, st), PW_OK);
	ck_assert_uint_eq(pwm_emitted_count(in), 2);
	ck_assert_ptr_null(field(in, 0, PW_F_COMMENT));
	ck_assert_str_eq(field(in, 1, PW_F_URL), "https://arxiv.org/abs/2611.10002");
	ck_assert_str_eq(field(in, 1, PW_F_PDF_URL), "https://arxiv.org/pdf/2611.10002v2");
	ck_assert_str_eq(field(in, 1, PW_F_VERSION), "2");
	ck_assert(strstr(pwm_log(in), "enrichment: 2 papers go out without comment"));
	pc_finish(in, st);
}

END_TEST

static Suite *
modes_suite(void)
{
	Suite *s = suite_create("arxiv modes");
	TCase *tc = tcase_create("oai and catch-up");
	tcase_add_checked_fixture(tc, pc_setup, NULL);
	tcase_add_test(tc, category_sets);
	tcase_add_test(tc, windows_and_missed_days);
	if (pw_have_fixtures("oai_dc_pages_follow_the_token_alone"))
		tcase_add_test(tc, oai_dc_pages_follow_the_token_alone);
	tcase_add_test(tc, oai_errors);
	tcase_add_test(tc, oai_catch_up_window_follows_the_last_success);
	tcase_add_test(tc, api_windows);
	tcase_add_test(tc, listing_catches_up_missed_days);
	tcase_add_test(tc, listing_enrichment_adds_what_only_the_api_has);
	suite_add_tcase(s, tc);
	return s;
}

PW_CHECK_MAIN(modes_suite)
