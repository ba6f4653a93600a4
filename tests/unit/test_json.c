/* The json sink against the mock host. */
#include "autoconf.h"

#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "paperwire/mock_host.h"
#include "pw_check.h"
#include "record.h"

const pw_plugin *pw_plugin_entry(void);

static char path[256];

static void
deliver(const char *extra, size_t n)
{
	const pw_plugin *P = pw_plugin_entry();
	char opts[512];
	void *st;
	snprintf(opts, sizeof opts, "{\"path\": \"%s\"%s}", path, extra);
	pw_instance *in = pwm_instance_new_json(P->options, opts);
	ck_assert_int_eq(P->create(pwm_host(), in, &st), PW_OK);
	pw_record *recs[2];
	for (size_t i = 0; i < n; i++) {
		recs[i] = rec_new();
		rec_set(recs[i], PW_F_ID, i ? "2611.00002" : "2611.00001");
		rec_set(recs[i], PW_F_VERSION, "3");
		rec_set(recs[i], PW_F_TITLE, "A \"quoted\" title\\");
		rec_add(recs[i], PW_F_AUTHORS, "Ada Lovelace");
		rec_set_time(recs[i], PW_T_PUBLISHED, 1795111200);
		rec_set(recs[i], "summary", "line 1\nline 2");
		rec_add(recs[i], "tags", "llm");
		rec_add(recs[i], "tags", "inference");
		rec_score_add(recs[i], "keyword", 2, 1.5, "why");
	}
	pw_delivery *d = pwm_delivery_new(recs, n, PW_D_DIGEST, "daily", NULL);
	ck_assert_int_eq(P->write(pwm_host(), in, st, d), PW_OK);
	pwm_delivery_free(d);
	for (size_t i = 0; i < n; i++)
		rec_free(recs[i]);
	P->destroy(pwm_host(), in, st);
	pwm_instance_free(in);
}

static int
count_lines(cJSON **first)
{
	char line[8192];
	int n = 0;
	FILE *f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof line, f)) {
		cJSON *o = cJSON_Parse(line);
		ck_assert_msg(o != NULL, "not JSON: %s", line);
		if (n == 0 && first)
			*first = o;
		else
			cJSON_Delete(o);
		n++;
	}
	fclose(f);
	return n;
}

START_TEST(one_object_per_line_with_every_field)
{
	cJSON *o = NULL;
	snprintf(path, sizeof path, "/tmp/pw-test-json-%d.jsonl", (int)getpid());
	deliver("", 2);
	ck_assert_int_eq(count_lines(&o), 2);
	ck_assert_str_eq(cJSON_GetObjectItem(o, "id")->valuestring, "2611.00001");
	ck_assert_int_eq(cJSON_GetObjectItem(o, "version")->valueint, 3);
	ck_assert_str_eq(cJSON_GetObjectItem(o, "title")->valuestring, "A \"quoted\" title\\");
	ck_assert_str_eq(cJSON_GetArrayItem(cJSON_GetObjectItem(o, "authors"), 0)->valuestring, "Ada Lovelace");
	ck_assert(cJSON_IsArray(cJSON_GetObjectItem(o, "categories")));
	ck_assert_double_eq_tol(cJSON_GetObjectItem(o, "score")->valuedouble, 3.0, 1e-9);
	cJSON *k = cJSON_GetObjectItem(cJSON_GetObjectItem(o, "scores"), "keyword");
	ck_assert_double_eq_tol(cJSON_GetObjectItem(k, "value")->valuedouble, 3.0, 1e-9);
	ck_assert_str_eq(cJSON_GetObjectItem(k, "reason")->valuestring, "why");
	ck_assert_str_eq(cJSON_GetObjectItem(o, "summary")->valuestring, "line 1\nline 2");
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(o, "tags")), 2);
	ck_assert_int_eq((int)cJSON_GetObjectItem(o, "published")->valuedouble, 1795111200);
	cJSON_Delete(o);
	/* Replace mode: the next delivery is the whole file. */
	deliver("", 1);
	ck_assert_int_eq(count_lines(NULL), 1);
	deliver(", \"append\": true", 2);
	ck_assert_int_eq(count_lines(NULL), 3);
	unlink(path);
}

END_TEST

/* One appending delivery of the paper `id`; recovery: PW_D_RECOVERY, or
 * NULL; answer: what effect_begin answers.  Returns write's status and
 * the note the sink recorded. */
static pw_status
append_one(const char *id, const char *recovery, pw_status answer, char *note, size_t size)
{
	const pw_plugin *P = pw_plugin_entry();
	char opts[512];
	void *st;
	int calls = 0;
	snprintf(opts, sizeof opts, "{\"path\": \"%s\", \"append\": true}", path);
	pw_instance *in = pwm_instance_new_json(P->options, opts);
	ck_assert_int_eq(P->create(pwm_host(), in, &st), PW_OK);
	pwm_set_effect_answer(in, answer);
	pw_record *rec = rec_new();
	rec_set(rec, PW_F_ID, id);
	rec_set(rec, PW_F_TITLE, "T");
	pw_delivery *d = recovery ? pwm_delivery_new(&rec, 1, PW_D_DIGEST, "daily", PW_D_RECOVERY, recovery, NULL)
	                          : pwm_delivery_new(&rec, 1, PW_D_DIGEST, "daily", NULL);
	pw_status ps = P->write(pwm_host(), in, st, d);
	snprintf(note, size, "%s", pwm_effect(in, &calls));
	ck_assert_int_eq(calls, 1);
	pwm_delivery_free(d);
	rec_free(rec);
	P->destroy(pwm_host(), in, st);
	pwm_instance_free(in);
	return ps;
}

static long
file_size(void)
{
	FILE *f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fclose(f);
	return n;
}

START_TEST(an_append_records_its_offset_and_a_redo_cuts_back_to_it)
{
	char note[256], expect[64];
	snprintf(path, sizeof path, "/tmp/pw-test-json-append-%d.jsonl", (int)getpid());
	unlink(path);
	ck_assert_int_eq(append_one("2611.00001", NULL, PW_OK, note, sizeof note), PW_OK);
	ck_assert_str_eq(note, "offset 0");
	long one = file_size();
	ck_assert_int_eq(append_one("2611.00002", NULL, PW_OK, note, sizeof note), PW_OK);
	snprintf(expect, sizeof expect, "offset %ld", one);
	ck_assert_str_eq(note, expect);
	ck_assert_int_eq(count_lines(NULL), 2);
	/* The run died after that append: redone with its note, it is not doubled. */
	ck_assert_int_eq(append_one("2611.00002", expect, PW_OK, note, sizeof note), PW_OK);
	ck_assert_str_eq(note, expect);
	ck_assert_int_eq(count_lines(NULL), 2);
	/* Half a line left by a kill is cut away too. */
	FILE *f = fopen(path, "ab");
	fputs("{\"id\": \"2611.0", f);
	fclose(f);
	ck_assert_int_eq(append_one("2611.00002", expect, PW_OK, note, sizeof note), PW_OK);
	ck_assert_int_eq(count_lines(NULL), 2);
	/* The host could not record the effect: nothing is written. */
	long before = file_size();
	ck_assert_int_ne(append_one("2611.00003", NULL, PW_RETRY, note, sizeof note), PW_OK);
	ck_assert_int_eq(file_size(), before);
	unlink(path);
}

END_TEST

START_TEST(a_shorter_host_table_is_told_by_PW_HOST_HAS)
{
	/* What a plugin of a later 2.x minor sees on an older host: a table
	 * that ends before the member (here, one ending before
	 * record_field_count), and a NULL member. */
	pw_host old = *pwm_host();
	old.abi.size = (uint32_t)offsetof(pw_host, record_field_count);
	ck_assert(!PW_HOST_HAS(&old, record_field_count));
	ck_assert(PW_HOST_HAS(pwm_host(), record_field_count));
	old = *pwm_host();
	old.canonical_id = NULL;
	ck_assert(!PW_HOST_HAS(&old, canonical_id));
}

END_TEST

static Suite *
json_suite(void)
{
	Suite *s = suite_create("json");
	TCase *tc = tcase_create("json");
	tcase_add_test(tc, one_object_per_line_with_every_field);
	tcase_add_test(tc, a_shorter_host_table_is_told_by_PW_HOST_HAS);
	tcase_add_test(tc, an_append_records_its_offset_and_a_redo_cuts_back_to_it);
	suite_add_tcase(s, tc);
	return s;
}

PW_CHECK_MAIN(json_suite)
