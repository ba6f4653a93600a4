/* Tests of core/config.c: positions, schema checks, ${ENV}. */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "pw_check.h"

static char cfg_path[256];

static const char *
write_cfg(const char *text)
{
	snprintf(cfg_path, sizeof cfg_path, "/tmp/pw-test-config-%d.json", (int)getpid());
	FILE *f = fopen(cfg_path, "w");
	fputs(text, f);
	fclose(f);
	return cfg_path;
}

static int
diag_has(const cfg_diag *d, const char *needle)
{
	for (size_t i = 0; i < d->count; i++)
		if (strstr(d->msgs[i], needle))
			return 1;
	return 0;
}

static const pw_option schema[] = { { PW_OPTION("max_results", PW_OPT_INT, "200", 0, "papers") },
	                            { PW_OPTION("categories", PW_OPT_STRING_LIST, "[\"cs.LG\"]", 0, "categories") },
	                            { PW_OPTION("keywords", PW_OPT_NUMBER_MAP, NULL, 0, "terms") },
	                            { PW_OPTION("url", PW_OPT_STRING, NULL, 1, "where") },
	                            PW_OPTIONS_END };

START_TEST(syntax_error_has_line_and_column)
{
	cfg_diag d = { 0 };
	pw_config *c = cfg_load(write_cfg("{\n  \"sources\": [\n    {\"plugin\": \"x\",}\n  ]\n}\n"), &d);
	ck_assert_ptr_null(c);
	ck_assert_uint_eq(d.count, 1);
	char want[1024];
	/* At the comma itself, named as such. */
	snprintf(want, sizeof want, "%s:3:19: malformed JSON: a trailing comma before the closing bracket: remove it",
	         cfg_path);
	ck_assert_str_eq(d.msgs[0], want);
	cfg_diag_free(&d);
}

END_TEST

START_TEST(truncated_file_says_end_of_file)
{
	cfg_diag d = { 0 };
	ck_assert_ptr_null(cfg_load(write_cfg("{\"sources\": ["), &d));
	ck_assert(diag_has(&d, ": malformed JSON: unexpected end of file"));
	cfg_diag_free(&d);
}

END_TEST

START_TEST(schema_errors_have_positions)
{
	cfg_diag d = { 0 };
	pw_config *c = cfg_load(write_cfg("{\n\"sources\": [\n {\"plugin\": \"arxiv\",\n  \"max_results\": \"many\",\n"
	                                  "  \"colour\": 1, \"url\": \"u\", \"keywords\": {\"a\": \"b\"}}\n]}\n"),
	                        &d);
	ck_assert_ptr_nonnull(c);
	int errors = cfg_check_options(c, &c->sources[0], schema, 0, &d);
	ck_assert_int_eq(errors, 3);
	char want[1024];
	snprintf(want, sizeof want, "%s:4:18: sources[0].max_results: expected an integer", cfg_path);
	ck_assert_msg(diag_has(&d, want), "missing: %s (got %s)", want, d.msgs[0]);
	snprintf(want, sizeof want, "%s:5:3: sources[0].colour: unknown option", cfg_path);
	ck_assert_msg(diag_has(&d, want), "missing: %s", want);
	ck_assert(diag_has(&d, "sources[0].keywords: expected an object of numbers"));
	cfg_diag_free(&d);
	cfg_free(c);
}

END_TEST

static const pw_option bounded[] = { { PW_OPTION("max_results", PW_OPT_INT, "200", 0, "papers"), .range = "1..30000" },
	                             { PW_OPTION("ratio", PW_OPT_NUMBER, NULL, 0, "a share"), .range = "0..1" },
	                             { PW_OPTION("floor", PW_OPT_NUMBER, NULL, 0, "no ceiling"), .range = "-2.5.." },
	                             { PW_OPTION("mode", PW_OPT_STRING, NULL, 0, "how"), .choices = "listing|api|oai" },
	                             { PW_OPTION("announce", PW_OPT_STRING_LIST, NULL, 0, "types"),
	                               .choices = "new|cross" },
	                             { PW_OPTION("keywords", PW_OPT_NUMBER_MAP, NULL, 0, "terms"), .range = "-10..10" },
	                             PW_OPTIONS_END };

START_TEST(choices_and_ranges_are_checked_with_positions)
{
	cfg_diag d = { 0 };
	pw_config *c = cfg_load(write_cfg("{\"sources\": [{\"plugin\": \"x\",\n \"max_results\": 0, \"ratio\": 1.5,\n"
	                                  " \"floor\": -3, \"mode\": \"apii\", \"announce\": [\"new\", \"old\"],\n"
	                                  " \"keywords\": {\"llm\": 3, \"crypto\": -11}}]}"),
	                        &d);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(cfg_check_options(c, &c->sources[0], bounded, 0, &d), 6);
	char want[1024];
	snprintf(want, sizeof want, "%s:2:17: sources[0].max_results: 0 is outside 1..30000", cfg_path);
	ck_assert_msg(diag_has(&d, want), "missing: %s (got %s)", want, d.msgs[0]);
	ck_assert(diag_has(&d, "sources[0].ratio: 1.5 is outside 0..1"));
	ck_assert(diag_has(&d, "sources[0].floor: -3 is outside -2.5.."));
	ck_assert(diag_has(&d, "sources[0].mode: \"apii\" is not one of listing, api or oai; did you mean \"api\"?"));
	ck_assert(diag_has(&d, "sources[0].announce: \"old\" is not one of new or cross"));
	ck_assert(diag_has(&d, "sources[0].keywords: crypto: -11 is outside -10..10"));
	cfg_diag_free(&d);
	cfg_free(c);

	/* The ends are allowed; a string without choices and a value inside pass. */
	c = cfg_load(
	        write_cfg("{\"sources\": [{\"plugin\": \"x\", \"max_results\": 30000, \"ratio\": 0, "
	                  "\"floor\": 1e9, \"mode\": \"oai\", \"announce\": [\"cross\"], \"keywords\": {\"a\": 10}}]}"),
	        &d);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(cfg_check_options(c, &c->sources[0], bounded, 0, &d), 0);
	cfg_diag_free(&d);
	cfg_free(c);
}

END_TEST

START_TEST(a_schema_that_breaks_its_own_rules_is_refused)
{
	char why[256];
	ck_assert_int_eq(cfg_schema_problem(bounded, 0, why, sizeof why), 0);
	static const pw_option bad_range[] = { { PW_OPTION("n", PW_OPT_INT, NULL, 0, "n"), .range = "1-5" },
		                               PW_OPTIONS_END };
	ck_assert_int_eq(cfg_schema_problem(bad_range, 0, why, sizeof why), 1);
	ck_assert_str_eq(why, "option \"n\": its range \"1-5\" is not MIN..MAX (either end may be left out)");
	static const pw_option inverted[] = { { PW_OPTION("n", PW_OPT_INT, NULL, 0, "n"), .range = "5..1" },
		                              PW_OPTIONS_END };
	ck_assert_int_eq(cfg_schema_problem(inverted, 0, why, sizeof why), 1);
	static const pw_option outside[] = { { PW_OPTION("n", PW_OPT_INT, "0", 0, "n"), .range = "1.." },
		                             PW_OPTIONS_END };
	ck_assert_int_eq(cfg_schema_problem(outside, 0, why, sizeof why), 1);
	ck_assert_str_eq(why, "option \"n\": its default is refused by its own schema: 0 is outside 1..");
	static const pw_option not_a_choice[] = { { PW_OPTION("s", PW_OPT_STRING, "c", 0, "s"), .choices = "a|b" },
		                                  PW_OPTIONS_END };
	ck_assert_int_eq(cfg_schema_problem(not_a_choice, 0, why, sizeof why), 1);
	ck_assert(strstr(why, "its default is refused by its own schema: \"c\" is not one of a or b"));
	static const pw_option range_on_text[] = { { PW_OPTION("s", PW_OPT_STRING, NULL, 0, "s"), .range = "1..2" },
		                                   PW_OPTIONS_END };
	ck_assert_int_eq(cfg_schema_problem(range_on_text, 0, why, sizeof why), 1);
	static const pw_option choices_on_int[] = { { PW_OPTION("n", PW_OPT_INT, NULL, 0, "n"), .choices = "1|2" },
		                                    PW_OPTIONS_END };
	ck_assert_int_eq(cfg_schema_problem(choices_on_int, 0, why, sizeof why), 1);
	/* Two entries of one key: the getters would answer for one only. */
	static const pw_option twice[] = { { PW_OPTION("model", PW_OPT_STRING, "a", 0, "the model") },
		                           { PW_OPTION("model", PW_OPT_STRING, NULL, 0, "the method") },
		                           PW_OPTIONS_END };
	ck_assert_int_eq(cfg_schema_problem(twice, 0, why, sizeof why), 1);
	ck_assert_str_eq(why, "option \"model\" is declared twice");
}

END_TEST

START_TEST(missing_required_and_defaults)
{
	cfg_diag d = { 0 };
	pw_config *c = cfg_load(write_cfg("{\"sources\": [{\"plugin\": \"arxiv\"}]}"), &d);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(cfg_check_options(c, &c->sources[0], schema, 0, &d), 1);
	ck_assert(diag_has(&d, "sources[0]: missing required option \"url\""));
	ck_assert_int_eq((int)cfg_option(&c->sources[0], "max_results")->valuedouble, 200);
	ck_assert_str_eq(cJSON_GetArrayItem(cfg_option(&c->sources[0], "categories"), 0)->valuestring, "cs.LG");
	cfg_diag_free(&d);
	cfg_free(c);
}

END_TEST

START_TEST(host_level_shape_is_checked)
{
	cfg_diag d = { 0 };
	ck_assert_ptr_null(cfg_load(write_cfg("{\"sources\": [{\"plugin\": \"a\"}, {\"plugin\": \"a\"}],"
	                                      " \"digests\": [{\"select\": {\"max_papers\": -1}}], \"stor\": 1}"),
	                            &d));
	ck_assert(diag_has(&d, "sources[1]: the name \"a\" is already used by sources[0]"));
	ck_assert(diag_has(&d, "digests[0].select.max_papers: expected a non-negative integer"));
	ck_assert(diag_has(&d, ": stor: unknown option"));
	cfg_diag_free(&d);
	ck_assert_ptr_null(cfg_load(write_cfg("{}"), &d));
	ck_assert(diag_has(&d, "no \"sources\""));
	cfg_diag_free(&d);
	ck_assert_ptr_null(cfg_load("/nonexistent/pw.json", &d));
	ck_assert(diag_has(&d, "/nonexistent/pw.json: cannot read the config"));
	cfg_diag_free(&d);
}

END_TEST

START_TEST(env_expansion_and_secrets)
{
	cfg_diag d = { 0 };
	setenv("PW_TEST_TOKEN", "s3cr3t-value", 1);
	pw_config *c = cfg_load(
	        write_cfg("{\"sources\": [{\"plugin\": \"a\", \"url\": \"https://x/?k=${PW_TEST_TOKEN}\"}]}"), &d);
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(cJSON_GetObjectItem(c->sources[0].node, "url")->valuestring, "https://x/?k=s3cr3t-value");
	char line[128] = "token is s3cr3t-value here";
	log_mask_secrets(line, sizeof line);
	ck_assert_str_eq(line, "token is *** here");
	cfg_free(c);
	unsetenv("PW_TEST_NOPE");
	ck_assert_ptr_null(cfg_load(write_cfg("{\"sources\": [{\"plugin\": \"a\", \"k\": \"${PW_TEST_NOPE}\"}]}"), &d));
	ck_assert(diag_has(&d, ":1:35: sources[0].k: environment variable PW_TEST_NOPE is not set"));
	cfg_diag_free(&d);
	log_clear_secrets();
}

END_TEST

START_TEST(digests_and_scorers)
{
	cfg_diag d = { 0 };
	pw_config *c = cfg_load(write_cfg("{\"sources\": [{\"plugin\": \"a\"}], \"digests\": [{\"name\": \"lab\","
	                                  " \"scorers\": [{\"plugin\": \"keyword\", \"weight\": 2.5}],"
	                                  " \"select\": {\"min_score\": 1.5, \"max_papers\": 3},"
	                                  " \"sinks\": [{\"plugin\": \"markdown\", \"name\": \"page\"}]}]}"),
	                        &d);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(c->ndigests, 1);
	ck_assert_str_eq(c->digests[0].name, "lab");
	ck_assert_double_eq_tol(c->digests[0].scorers[0].weight, 2.5, 1e-9);
	ck_assert_double_eq_tol(c->digests[0].min_score, 1.5, 1e-9);
	ck_assert_int_eq(c->digests[0].max_papers, 3);
	ck_assert_str_eq(c->digests[0].sinks[0].name, "page");
	ck_assert_str_eq(c->store, "paperwire.db");
	cfg_free(c);
}

END_TEST

static Suite *
config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("config");
	tcase_add_test(tc, syntax_error_has_line_and_column);
	tcase_add_test(tc, truncated_file_says_end_of_file);
	tcase_add_test(tc, schema_errors_have_positions);
	tcase_add_test(tc, missing_required_and_defaults);
	tcase_add_test(tc, choices_and_ranges_are_checked_with_positions);
	tcase_add_test(tc, a_schema_that_breaks_its_own_rules_is_refused);
	tcase_add_test(tc, host_level_shape_is_checked);
	tcase_add_test(tc, env_expansion_and_secrets);
	tcase_add_test(tc, digests_and_scorers);
	suite_add_tcase(s, tc);
	return s;
}

PW_CHECK_MAIN(config_suite)
