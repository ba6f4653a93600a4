/* The llm and related enrichers against the mock host. */
#include "autoconf.h"

#include <string.h>

#include "../../plugins/common/json_text.h"
#include "paperwire/mock_host.h"
#include "pw_check.h"
#include "record.h"

/* Both plugins are linked into this test under their own names. */
const pw_plugin *llm_entry(void);
const pw_plugin *related_entry(void);

static pw_record *
paper(const char *id, const char *title, const char *abstract)
{
	pw_record *r = rec_new();
	rec_set(r, PW_F_ID, id);
	rec_set(r, PW_F_VERSION, "2");
	rec_set(r, PW_F_TITLE, title);
	rec_set(r, PW_F_ABSTRACT, abstract);
	rec_add(r, PW_F_AUTHORS, "Ada Lovelace");
	return r;
}

static const char *
answer(const char *content)
{
	static char buf[1024];
	snprintf(buf, sizeof buf,
	         "{\"choices\": [{\"message\": {\"role\": \"assistant\", \"content\": \"%s\"}}], "
	         "\"usage\": {\"total_tokens\": 42}}",
	         content);
	return buf;
}

START_TEST(classify_takes_a_label_from_the_list_with_its_reason)
{
	const pw_plugin *P = llm_entry();
	void *st;
	pw_instance *in =
	        pwm_instance_new_json(P->options, "{\"task\": \"classify\", \"endpoint\": \"http://llm/v1\", "
	                                          "\"model\": \"m\", \"labels\": [\"Inference\", \"Training\"]}");
	ck_assert_int_eq(P->create(pwm_host(), in, &st), PW_OK);
	pwm_route(in, "http://llm/v1/chat/completions", 200, answer("inference.\\nIt speeds up decoding."));
	pw_record *r = paper("2611.00001", "Speculative decoding", "Faster decoding.");
	ck_assert_int_eq(P->enrich(pwm_host(), in, st, r), PW_OK);
	ck_assert_str_eq(rec_get(r, "label"), "Inference");
	ck_assert_str_eq(rec_get(r, "label_reason"), "It speeds up decoding.");
	const pw_field *label = pwm_host()->field_declaration(in, "label");
	ck_assert_ptr_nonnull(label);
	ck_assert_uint_eq(label->form, PW_FORM_LABEL);
	ck_assert_str_eq(label->detail, "label_reason");
	ck_assert(strstr(pwm_last_body(in), "Labels: Inference, Training"));
	/* The same paper again: from the cache. */
	ck_assert_int_eq(P->enrich(pwm_host(), in, st, r), PW_OK);
	ck_assert_uint_eq(pwm_requests(in), 1);
	rec_free(r);
	P->destroy(pwm_host(), in, st);
	pwm_instance_free(in);
}

END_TEST

/* A translation is two fields, each declared where sinks show it; a second
 * translator into another language needs its own field name. */
START_TEST(translate_gives_a_title_and_an_abstract_field)
{
	const pw_plugin *P = llm_entry();
	void *st, *st2;
	pw_instance *in = pwm_instance_new_json(P->options, "{\"task\": \"translate\", \"language\": \"Japanese\", "
	                                                    "\"endpoint\": \"http://llm/v1\", \"model\": \"m\"}");
	ck_assert_int_eq(P->create(pwm_host(), in, &st), PW_OK);
	pwm_route(in, "http://llm/v1/chat/completions", 200,
	          answer("\\u6295\\u6a5f\\u7684\\u30c7\\u30b3\\u30fc\\u30c9\\n\\n"
	                 "\\u9ad8\\u901f\\u5316\\u3002\\n\\u4e8c\\u884c\\u76ee\\u3002"));
	pw_record *r = paper("2611.00001", "Speculative decoding", "Faster decoding.");
	ck_assert_int_eq(P->enrich(pwm_host(), in, st, r), PW_OK);
	ck_assert_str_eq(rec_get(r, PW_X_TRANSLATED_TITLE),
	                 "\xe6\x8a\x95\xe6\xa9\x9f\xe7\x9a\x84\xe3\x83\x87\xe3\x82\xb3\xe3\x83\xbc\xe3\x83\x89");
	ck_assert_str_eq(
	        rec_get(r, PW_X_TRANSLATED_ABSTRACT),
	        "\xe9\xab\x98\xe9\x80\x9f\xe5\x8c\x96\xe3\x80\x82\n\xe4\xba\x8c\xe8\xa1\x8c\xe7\x9b\xae\xe3\x80\x82");
	ck_assert_ptr_null(rec_get(r, PW_X_TRANSLATION));
	const pw_field *title = pwm_host()->field_declaration(in, PW_X_TRANSLATED_TITLE);
	const pw_field *abstract = pwm_host()->field_declaration(in, PW_X_TRANSLATED_ABSTRACT);
	ck_assert_str_eq(title->display, "Title (Japanese)");
	ck_assert_uint_eq(title->attach, PW_ATTACH_TITLE);
	ck_assert_str_eq(abstract->display, "Abstract (Japanese)");
	ck_assert_uint_eq(abstract->attach, PW_ATTACH_ABSTRACT);

	pw_instance *zh = pwm_instance_new_json(P->options, "{\"task\": \"translate\", \"language\": \"Chinese\", "
	                                                    "\"endpoint\": \"http://llm/v1\", \"model\": \"m\"}");
	ck_assert_int_eq(P->create(pwm_host(), zh, &st2), PW_CONFIG_ERROR);
	ck_assert_msg(strstr(pwm_log(zh), "field \"translation_title\" is declared by") &&
	                      strstr(pwm_log(zh), "\"Title (Japanese)\"") && strstr(pwm_log(zh), "\"Title (Chinese)\""),
	              "%s", pwm_log(zh));
	pwm_instance_free(zh);
	zh = pwm_instance_new_json(P->options, "{\"task\": \"translate\", \"language\": \"Chinese\", \"field\": "
	                                       "\"chinese\", \"endpoint\": \"http://llm/v1\", \"model\": \"m\"}");
	ck_assert_int_eq(P->create(pwm_host(), zh, &st2), PW_OK);
	ck_assert_str_eq(pwm_host()->field_declaration(zh, "chinese_title")->display, "Title (Chinese)");
	P->destroy(pwm_host(), zh, st2);
	pwm_instance_free(zh);
	/* The reader's own words, as the digests they know put it. */
	zh = pwm_instance_new_json(P->options, "{\"task\": \"translate\", \"language\": \"Japanese\", \"field\": "
	                                       "\"ja\", \"display\": \"{what}(\u53c2\u8003\u8a33)\", \"endpoint\": "
	                                       "\"http://llm/v1\", \"model\": \"m\"}");
	ck_assert_int_eq(P->create(pwm_host(), zh, &st2), PW_OK);
	ck_assert_str_eq(pwm_host()->field_declaration(zh, "ja_title")->display,
	                 "Title(\xe5\x8f\x82\xe8\x80\x83\xe8\xa8\xb3)");
	ck_assert_str_eq(pwm_host()->field_declaration(zh, "ja_abstract")->display,
	                 "Abstract(\xe5\x8f\x82\xe8\x80\x83\xe8\xa8\xb3)");
	P->destroy(pwm_host(), zh, st2);
	pwm_instance_free(zh);
	rec_free(r);
	P->destroy(pwm_host(), in, st);
	pwm_instance_free(in);
}

END_TEST

START_TEST(a_label_not_in_the_list_is_refused)
{
	const pw_plugin *P = llm_entry();
	void *st;
	pw_instance *in =
	        pwm_instance_new_json(P->options, "{\"task\": \"classify\", \"endpoint\": \"http://llm/v1\", "
	                                          "\"model\": \"m\", \"labels\": [\"Inference\", \"Training\"]}");
	ck_assert_int_eq(P->create(pwm_host(), in, &st), PW_OK);
	pwm_route(in, "http://llm/v1/chat/completions", 200, answer("Astrophysics\\nStars."));
	pw_record *r = paper("2611.00001", "x", "y");
	ck_assert_int_eq(P->enrich(pwm_host(), in, st, r), PW_ERROR);
	ck_assert_ptr_null(rec_get(r, "label"));
	ck_assert(strstr(pwm_log(in), "a label not in the list: \"Astrophysics\""));
	rec_free(r);
	P->destroy(pwm_host(), in, st);
	pwm_instance_free(in);
}

END_TEST

START_TEST(prompt_templates_can_be_overridden)
{
	const pw_plugin *P = llm_entry();
	void *st;
	pw_instance *in =
	        pwm_instance_new_json(P->options, "{\"task\": \"summary\", \"endpoint\": \"http://llm/v1\", "
	                                          "\"model\": \"m\", \"api_key\": \"sk-x\", "
	                                          "\"prompt\": \"Summarise {title} by {authors}: {abstract}\"}");
	ck_assert_int_eq(P->create(pwm_host(), in, &st), PW_OK);
	pwm_route(in, "http://llm/v1/chat/completions", 200, answer("Short."));
	pw_record *r = paper("2611.00001", "Drafts", "Small models draft.");
	ck_assert_int_eq(P->enrich(pwm_host(), in, st, r), PW_OK);
	ck_assert_str_eq(rec_get(r, "summary"), "Short.");
	ck_assert(strstr(pwm_last_body(in), "Summarise Drafts by Ada Lovelace: Small models draft."));
	ck_assert(strstr(pwm_last_body(in), "\"model\":\"m\""));
	ck_assert(strstr(pwm_last_headers(in), "Authorization: Bearer sk-x\n"));
	rec_free(r);
	P->destroy(pwm_host(), in, st);
	pwm_instance_free(in);
}

END_TEST

START_TEST(bad_options_are_config_errors)
{
	const pw_plugin *P = llm_entry();
	void *st;
	pw_instance *in = pwm_instance_new_json(
	        P->options, "{\"task\": \"translate\", \"endpoint\": \"http://e\", \"model\": \"m\"}");
	ck_assert_int_eq(P->create(pwm_host(), in, &st), PW_CONFIG_ERROR);
	ck_assert(strstr(pwm_log(in), "task translate needs \"language\""));
	pwm_instance_free(in);
	in = pwm_instance_new_json(
	        P->options,
	        "{\"task\": \"classify\", \"endpoint\": \"http://e\", \"model\": \"m\", \"labels\": [\"a\"]}");
	ck_assert_int_eq(P->create(pwm_host(), in, &st), PW_CONFIG_ERROR);
	pwm_instance_free(in);
	ck_assert_ptr_null(pwm_instance_new_json(P->options,
	                                         "{\"task\": \"poem\", \"endpoint\": \"http://e\", \"model\": \"m\"}"));
	ck_assert(strstr(pwm_refusal(), "task: \"poem\" is not one of summary, translate or classify"));
	ck_assert_ptr_null(pwm_instance_new_json(P->options,
	                                         "{\"task\": \"summary\", \"endpoint\": \"http://e\", "
	                                         "\"model\": \"m\", \"temperature\": -1, \"max_tokens\": 0}"));
	ck_assert(strstr(pwm_refusal(), "temperature: -1 is outside 0..2"));
	ck_assert(strstr(pwm_refusal(), "max_tokens: 0 is outside 1.."));
}

END_TEST

/* An escaped NUL in an API's JSON would end the string in cJSON: it is
 * replaced, counted, and the rest of the title kept. */
START_TEST(an_escaped_nul_in_json_never_cuts_a_title)
{
	static const char answer[] = "{\"title\": \"Before\\u0000after\", \"path\": \"C:\\\\u0000x\"}";
	long replaced = -1;
	cJSON *j = jt_parse(answer, sizeof answer - 1, &replaced);
	ck_assert_ptr_nonnull(j);
	ck_assert_int_eq(replaced, 1);
	ck_assert_str_eq(cJSON_GetObjectItem(j, "title")->valuestring, "Before\xef\xbf\xbd"
	                                                               "after");
	/* "C:\\u0000x" is a backslash, then the text u0000x: left alone. */
	ck_assert_str_eq(cJSON_GetObjectItem(j, "path")->valuestring, "C:\\u0000x");
	cJSON_Delete(j);
}

END_TEST

START_TEST(related_lists_the_nearest_other_papers)
{
	const pw_plugin *P = related_entry();
	void *st;
	pw_instance *in = pwm_instance_new_json(P->options, "{\"k\": 2}");
	ck_assert_int_eq(P->create(pwm_host(), in, &st), PW_OK);
	pwm_add_history(in, paper("2611.00001", "Speculative decoding with draft models", "Draft and verify tokens."));
	pwm_add_history(in,
	                paper("2611.00002", "Tree drafts for speculative decoding", "Tree verification of drafts."));
	pwm_add_history(in, paper("2611.00003", "Protein folding with diffusion", "Proteins and diffusion."));
	pwm_add_history(in, paper("2611.00004", "Galaxy rotation curves", "Dark matter halos."));
	pw_record *r = paper("2611.00001", "Speculative decoding with draft models", "Draft and verify tokens.");
	pw_delivery *d = pwm_delivery_new(&r, 1, NULL);
	ck_assert_int_eq(P->prepare(pwm_host(), in, st, d), PW_OK);
	ck_assert_int_eq(P->enrich(pwm_host(), in, st, r), PW_OK);
	ck_assert_uint_eq(rec_count(r, "related"), 1);
	/* One JSON object a related paper, declared as such for the sinks. */
	cJSON *item = cJSON_Parse(rec_get_at(r, "related", 0));
	ck_assert_msg(item != NULL, "%s", rec_get_at(r, "related", 0));
	ck_assert_str_eq(cJSON_GetObjectItem(item, "id")->valuestring, "2611.00002");
	ck_assert_str_eq(cJSON_GetObjectItem(item, "title")->valuestring, "Tree drafts for speculative decoding");
	double similarity = cJSON_GetObjectItem(item, "similarity")->valuedouble;
	ck_assert(similarity > 0.1 && similarity < 1);
	cJSON_Delete(item);
	const pw_field *declared = pwm_host()->field_declaration(in, "related");
	ck_assert_ptr_nonnull(declared);
	ck_assert_uint_eq(declared->form, PW_FORM_RELATED);
	ck_assert_str_eq(declared->display, "Related papers");
	pwm_delivery_free(d);
	rec_free(r);
	P->destroy(pwm_host(), in, st);
	pwm_instance_free(in);
}

END_TEST

static Suite *
enrichers_suite(void)
{
	Suite *s = suite_create("enrichers");
	TCase *tc = tcase_create("enrichers");
	tcase_add_test(tc, classify_takes_a_label_from_the_list_with_its_reason);
	tcase_add_test(tc, a_label_not_in_the_list_is_refused);
	tcase_add_test(tc, translate_gives_a_title_and_an_abstract_field);
	tcase_add_test(tc, prompt_templates_can_be_overridden);
	tcase_add_test(tc, bad_options_are_config_errors);
	tcase_add_test(tc, related_lists_the_nearest_other_papers);
	tcase_add_test(tc, an_escaped_nul_in_json_never_cuts_a_title);
	suite_add_tcase(s, tc);
	return s;
}

PW_CHECK_MAIN(enrichers_suite)
