/* Conformance: the arxiv plugin reads the real recorded arXiv API
 * responses in ../shared/fixtures in place (never copied into the
 * project), through the mock host. */
#include "autoconf.h"

#include <string.h>
#include <unistd.h>

#include "../unit/pw_check.h"
#include "ident.h"
#include "paperwire/mock_host.h"

const pw_plugin *pw_plugin_entry(void);

static const pw_plugin *P;
static const pw_host *H;

/* Runs the plugin over one recorded file; returns the instance. */
static pw_instance *
run_over(const char *file, pw_status expect, void **st, size_t max_results)
{
	char rel[512], opts[256];
	P = pw_plugin_entry();
	H = pwm_host();
	snprintf(rel, sizeof rel, "arxiv_api/%s", file);
	const char *path = pw_path("PW_FIXTURES", rel);
	ck_assert_msg(access(path, R_OK) == 0,
	              "the recorded fixture %s is missing: is ../shared/fixtures beside "
	              "the checkout (or --with-fixtures set)?",
	              path);
	/* One page each: max_results is what the recorded request asked. */
	snprintf(opts, sizeof opts,
	         "{\"query\": \"all:testing\", \"max_results\": %zu, \"page_size\": %zu, "
	         "\"base_url\": \"http://api\"}",
	         max_results, max_results);
	pw_instance *in = pwm_instance_new_json(P->options, opts);
	ck_assert_int_eq(P->create(H, in, st), PW_OK);
	pwm_route_file(in, "http://api", 200, path);
	ck_assert_int_eq(P->fetch(H, in, *st), expect);
	return in;
}

static void
finish(pw_instance *in, void *st)
{
	P->destroy(H, in, st);
	pwm_instance_free(in);
}

static void
expect_count(const char *file, size_t n)
{
	void *st;
	pw_instance *in = run_over(file, PW_OK, &st, n ? n : 100);
	ck_assert_msg(pwm_emitted_count(in) == n, "%s: %zu papers, expected %zu", file, pwm_emitted_count(in), n);
	for (size_t i = 0; i < n; i++) {
		pw_record *r = pwm_emitted(in, i);
		char id[128];
		int v;
		ck_assert_int_eq(ident_canonical(H->record_get(in, r, PW_F_ID), id, sizeof id, &v), 0);
		ck_assert_msg(ident_is_arxiv(id), "%s: %s", file, id);
		ck_assert(v >= 1);
		ck_assert(H->record_get(in, r, PW_F_TITLE) && *H->record_get(in, r, PW_F_TITLE));
		ck_assert(H->record_count(in, r, PW_F_AUTHORS) >= 1);
		ck_assert(H->record_get_time(in, r, PW_T_PUBLISHED) > 0);
		ck_assert(!strchr(H->record_get(in, r, PW_F_ABSTRACT), '\n'));
	}
	finish(in, st);
}

START_TEST(every_recorded_page_yields_its_entries)
{
	expect_count("query_all-testing_start0_max100.atom", 100);
	expect_count("query_all-testing_start0_max10.atom", 10);
	expect_count("query_all-testing_start10_max10.atom", 10);
	expect_count("query_all-testing_start50_max10.atom", 10);
	expect_count("idlist_0000.0000_zero_results.atom", 0);
	expect_count("idlist_0808.05394_zero_results.atom", 0);
	expect_count("idlist_0808.05394_1707.08567_partial.atom", 1);
	expect_count("idlist_1605.08386.atom", 1);
	expect_count("idlist_2104.12255v1.atom", 1);
	expect_count("idlist_quant-ph_0201082v1.atom", 1);
	expect_count("legacy_query_cat-cs.RO_AND_neural_max2_2025-10.atom", 2);
}

END_TEST

START_TEST(thirty_four_authors_in_order)
{
	void *st;
	pw_instance *in = run_over("idlist_1707.08567_34_authors.atom", PW_OK, &st, 100);
	ck_assert_uint_eq(pwm_emitted_count(in), 1);
	ck_assert_uint_eq(H->record_count(in, pwm_emitted(in, 0), PW_F_AUTHORS), 34);
	finish(in, st);
}

END_TEST

START_TEST(old_style_id_and_affiliations)
{
	void *st;
	char id[64];
	int v;
	pw_instance *in = run_over("idlist_astro-ph_0601001_affiliations.atom", PW_OK, &st, 100);
	pw_record *r = pwm_emitted(in, 0);
	ident_canonical(H->record_get(in, r, PW_F_ID), id, sizeof id, &v);
	ck_assert_str_eq(id, "astro-ph/0601001");
	ck_assert_int_eq(v, 1);
	ck_assert_str_eq(H->record_get_at(in, r, "affiliations", 2), "B. Scott Gaudi (CfA)");
	ck_assert_str_eq(H->record_get(in, r, PW_F_JOURNAL_REF), "ActaAstron.56:1-50,2006");
	ck_assert_str_eq(H->record_get(in, r, PW_F_PDF_URL), "https://arxiv.org/pdf/astro-ph/0601001v1");
	ck_assert(strncmp(H->record_get(in, r, PW_F_ABSTRACT), "We derive the frequencies", 25) == 0);
	ck_assert(strstr(H->record_get(in, r, PW_F_ABSTRACT), "V_max<17.5"));
	finish(in, st);
}

END_TEST

START_TEST(legacy_doi_and_journal_ref)
{
	void *st;
	pw_instance *in = run_over("legacy_idlist_1601.00001_doi_journalref_2020-09.atom", PW_OK, &st, 10);
	ck_assert_uint_eq(pwm_emitted_count(in), 1);
	pw_record *r = pwm_emitted(in, 0);
	ck_assert_ptr_nonnull(H->record_get(in, r, PW_F_DOI));
	ck_assert_ptr_nonnull(H->record_get(in, r, PW_F_JOURNAL_REF));
	finish(in, st);
}

END_TEST

START_TEST(the_recorded_error_is_an_error)
{
	void *st;
	pw_instance *in = run_over("error_idlist_abc_http400.atom", PW_ERROR, &st, 100);
	ck_assert_uint_eq(pwm_emitted_count(in), 0);
	ck_assert_msg(strstr(pwm_log(in), "arXiv API error (HTTP 200) for http://api"), "%s", pwm_log(in));
	ck_assert(strstr(pwm_log(in), "incorrect id format for abc"));
	finish(in, st);
}

END_TEST

/* OAI-PMH: one recorded ListRecords (or GetRecord) page, harvested from
 * a mock endpoint with an explicit day, so no catch-up state is needed. */
static pw_instance *
harvest(const char *file, const char *format, void **st)
{
	char rel[512], opts[256];
	P = pw_plugin_entry();
	H = pwm_host();
	snprintf(rel, sizeof rel, "arxiv_oai/%s", file);
	const char *path = pw_path("PW_FIXTURES", rel);
	ck_assert_msg(access(path, R_OK) == 0, "the recorded fixture %s is missing", path);
	snprintf(opts, sizeof opts,
	         "{\"mode\": \"oai\", \"format\": \"%s\", \"from\": \"2017-12-14\", "
	         "\"base_url\": \"http://oai\"}",
	         format);
	pw_instance *in = pwm_instance_new_json(P->options, opts);
	ck_assert_int_eq(P->create(H, in, st), PW_OK);
	pwm_route_file(in, "http://oai", 200, path);
	ck_assert_int_eq(P->fetch(H, in, *st), PW_OK);
	for (size_t i = 0; i < pwm_emitted_count(in); i++) {
		pw_record *r = pwm_emitted(in, i);
		ck_assert(ident_is_arxiv(H->record_get(in, r, PW_F_ID)));
		ck_assert(*H->record_get(in, r, PW_F_TITLE));
		ck_assert(H->record_count(in, r, PW_F_AUTHORS) >= 1);
		ck_assert(H->record_get_time(in, r, PW_T_PUBLISHED) > 0);
		ck_assert_ptr_nonnull(H->record_get(in, r, PW_F_ABSTRACT));
	}
	return in;
}

START_TEST(oai_pages_yield_their_records)
{
	void *st;
	pw_instance *in = harvest("listrecords_arXiv_set-physics-hep-ex_from-2017-12-14_trimmed3.xml", "arXiv", &st);
	ck_assert_uint_eq(pwm_emitted_count(in), 3);
	pw_record *r = pwm_emitted(in, 0);
	ck_assert_str_eq(H->record_get(in, r, PW_F_ID), "1706.05371");
	ck_assert_str_eq(H->record_get(in, r, PW_F_TITLE),
	                 "Evaluation of Silicon Photomultipliers for use as Photosensors in Liquid Xenon Detectors");
	ck_assert_uint_eq(H->record_count(in, r, PW_F_AUTHORS), 13);
	ck_assert_str_eq(H->record_get_at(in, r, PW_F_AUTHORS, 0), "Tyler Anderson");
	ck_assert_str_eq(H->record_get(in, r, PW_F_PRIMARY), "physics.ins-det");
	ck_assert_str_eq(H->record_get(in, r, PW_F_COMMENT), "10 pages, 9 figures");
	ck_assert_str_eq(H->record_get(in, r, PW_F_ANNOUNCE), "replace"); /* created 2017-06, updated 2017-12-12 */
	finish(in, st);

	in = harvest("listrecords_arXiv_set-physics-hep-th_from-2017-12-14_trimmed3.xml", "arXiv", &st);
	ck_assert_uint_eq(pwm_emitted_count(in), 3);
	ck_assert_uint_eq(H->record_count(in, pwm_emitted(in, 0), PW_F_CATEGORIES), 6);
	finish(in, st);

	in = harvest("listrecords_arXiv_oaipmh.arxiv.org_set-physics-plasm-ph_2026-01-05_TRANSCRIBED.xml", "arXiv",
	             &st);
	ck_assert_uint_eq(pwm_emitted_count(in), 3);
	r = pwm_emitted(in, 0);
	ck_assert_str_eq(H->record_get(in, r, PW_F_ID), "2504.11237");
	ck_assert_str_eq(H->record_get_at(in, r, PW_F_AUTHORS, 2), "Zoltán Harman");
	ck_assert_str_eq(H->record_get(in, r, PW_F_JOURNAL_REF), "Phys. Rev. Research 7, L042071 (2025)");
	ck_assert_str_eq(H->record_get(in, r, PW_F_DOI), "10.1103/bppp-53g1");
	ck_assert_str_eq(H->record_get(in, r, PW_F_PRIMARY), "physics.atom-ph");
	ck_assert(strncmp(H->record_get(in, r, PW_F_ABSTRACT), "Mendeleev's periodic table", 26) == 0);
	finish(in, st);

	in = harvest("getrecord_arXiv_1401.2122.xml", "arXiv", &st);
	ck_assert_uint_eq(pwm_emitted_count(in), 1);
	r = pwm_emitted(in, 0);
	ck_assert_str_eq(H->record_get(in, r, PW_F_DOI), "10.1007/s11005-017-1013-4");
	ck_assert_str_eq(H->record_get(in, r, PW_F_JOURNAL_REF), "Lett. Math. Phys. 108 (2018), no. 2, 359-376");
	ck_assert_str_eq(H->record_get_at(in, r, PW_F_AUTHORS, 0), "A. Sergyeyev");
	finish(in, st);
}

END_TEST

static Suite *
conformance_suite(void)
{
	Suite *s = suite_create("conformance: recorded arXiv API responses");
	TCase *tc = tcase_create("arxiv_api");
	tcase_add_test(tc, every_recorded_page_yields_its_entries);
	tcase_add_test(tc, thirty_four_authors_in_order);
	tcase_add_test(tc, old_style_id_and_affiliations);
	tcase_add_test(tc, legacy_doi_and_journal_ref);
	tcase_add_test(tc, the_recorded_error_is_an_error);
	suite_add_tcase(s, tc);
	tc = tcase_create("arxiv_oai");
	tcase_add_test(tc, oai_pages_yield_their_records);
	suite_add_tcase(s, tc);
	return s;
}

PW_CHECK_MAIN_RECORDED(conformance_suite)
