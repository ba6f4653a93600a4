/* Tests of core/report.c: the run's summary line and its JSON for the run
 * log, with every count under its own key. */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "pw_check.h"
#include "report.h"

static report_sink sinks[] = {
	{ "page", "markdown", 7, 0, 2, 0 },
	{ "mail", "email", 0, 7, 0, 1 },
};
static report_source sources[] = {
	{ "ml", "arxiv", 100, 40, 1, 3, 2, "200x3", "pages 3", "", 0 },
};
static report_digest digests[] = {
	{ "daily", 40, 38, 2, 7, sinks, 2, "", "summary: calls 7", "embedding", "" },
};

static const run_report report = { 3, 0, 1.25, 100, sources, 1, digests, 1, 1 };

static double
number(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	ck_assert_msg(cJSON_IsNumber(v), "no number \"%s\"", key);
	return v->valuedouble;
}

START_TEST(the_json_has_every_count_under_its_key)
{
	char *text = report_json(&report);
	cJSON *o = cJSON_Parse(text);
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq((int)number(o, "run"), 3);
	ck_assert_int_eq((int)number(o, "exit_code"), 1);
	const cJSON *s = cJSON_GetArrayItem(cJSON_GetObjectItem(o, "sources"), 0);
	ck_assert_str_eq(cJSON_GetObjectItem(s, "name")->valuestring, "ml");
	ck_assert_str_eq(cJSON_GetObjectItem(s, "plugin")->valuestring, "arxiv");
	ck_assert_int_eq((int)number(s, "fetched"), 100);
	ck_assert_int_eq((int)number(s, "new"), 40);
	ck_assert_int_eq((int)number(s, "rejected"), 1);
	ck_assert_int_eq((int)number(s, "requests"), 3);
	ck_assert_int_eq((int)number(s, "retries"), 2);
	ck_assert_str_eq(cJSON_GetObjectItem(s, "http")->valuestring, "200x3");
	const cJSON *d = cJSON_GetArrayItem(cJSON_GetObjectItem(o, "digests"), 0);
	ck_assert_str_eq(cJSON_GetObjectItem(d, "name")->valuestring, "daily");
	ck_assert_int_eq((int)number(d, "candidates"), 40);
	ck_assert_int_eq((int)number(d, "scored"), 38);
	ck_assert_int_eq((int)number(d, "vetoed"), 2);
	ck_assert_int_eq((int)number(d, "selected"), 7);
	ck_assert_str_eq(cJSON_GetObjectItem(d, "failed_scorers")->valuestring, "embedding");
	const cJSON *k = cJSON_GetObjectItem(d, "sinks");
	ck_assert_int_eq(cJSON_GetArraySize(k), 2);
	const cJSON *page = cJSON_GetArrayItem(k, 0), *mail = cJSON_GetArrayItem(k, 1);
	ck_assert_str_eq(cJSON_GetObjectItem(page, "name")->valuestring, "page");
	ck_assert_int_eq((int)number(page, "delivered"), 7);
	ck_assert_int_eq((int)number(page, "earlier"), 2);
	ck_assert_int_eq((int)number(page, "pending"), 0);
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(page, "failed")));
	ck_assert_int_eq((int)number(mail, "pending"), 7);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(mail, "failed")));
	cJSON_Delete(o);
	free(text);
}

END_TEST

START_TEST(the_summary_line_says_what_each_part_did)
{
	char *line = report_summary(&report);
	ck_assert_msg(strstr(line, "run 3 in 1.2 s; source ml: 100 fetched, 40 new (HTTP 200x3, 2 retries) (pages 3)"),
	              "%s", line);
	ck_assert_msg(strstr(line,
	                     "; digest daily: 38 scored, 2 vetoed, 7 selected (summary: calls 7) (FAILED to score: "
	                     "embedding)"),
	              "%s", line);
	ck_assert_msg(strstr(line, "; sink page: 7 delivered (2 of them selected by an earlier run)"), "%s", line);
	ck_assert_msg(strstr(line, "; sink mail: FAILED, 7 left pending"), "%s", line);
	ck_assert_msg(strstr(line, "; exit 1"), "%s", line);
	free(line);
}

END_TEST

static Suite *
report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("report");
	tcase_add_test(tc, the_json_has_every_count_under_its_key);
	tcase_add_test(tc, the_summary_line_says_what_each_part_did);
	suite_add_tcase(s, tc);
	return s;
}

PW_CHECK_MAIN(report_suite)
