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

static const pw_option schema[] = {
	{ "max_results", PW_OPT_INT, "200", 0, "papers" },
	{ "categories", PW_OPT_STRING_LIST, "[\"cs.LG\"]", 0, "categories" },
	{ "keywords", PW_OPT_NUMBER_MAP, NULL, 0, "terms" },
	{ "url", PW_OPT_STRING, NULL, 1, "where" },
	{ NULL, 0, NULL, 0, NULL }
};

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
	                                  "  \"colour\": 1, \"url\": \"u\", \"keywords\": {\"a\": \"b\"}}\n]}\n"), &d);
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
	                                      " \"digests\": [{\"select\": {\"max_papers\": -1}}], \"stor\": 1}"), &d));
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
	pw_config *c = cfg_load(write_cfg("{\"sources\": [{\"plugin\": \"a\", \"url\": \"https://x/?k=${PW_TEST_TOKEN}\"}]}"), &d);
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
	                                  " \"sinks\": [{\"plugin\": \"markdown\", \"name\": \"page\"}]}]}"), &d);
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
	tcase_add_test(tc, host_level_shape_is_checked);
	tcase_add_test(tc, env_expansion_and_secrets);
	tcase_add_test(tc, digests_and_scorers);
	suite_add_tcase(s, tc);
	return s;
}

PW_CHECK_MAIN(config_suite)
