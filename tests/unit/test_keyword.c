/* The keyword scorer against the mock host. */
#include "autoconf.h"

#include <string.h>

#include "mock_host.h"
#include "pw_check.h"

const pw_plugin *pw_plugin_entry(void);

static const pw_plugin *P;
static const pw_host *H;
static pw_instance *in;
static void *st;

static void
make(const char *options)
{
	P = pw_plugin_entry();
	H = mock_host();
	in = mock_instance_new(P->options, options);
	ck_assert_ptr_nonnull(in);
	ck_assert_int_eq(P->create(H, in, &st), PW_OK);
}

static void
done(void)
{
	P->destroy(H, in, st);
	mock_instance_free(in);
}

/* Scores one paper; returns the value, fills reason and veto. */
static double
score(const char *title, const char *abstract, char *reason, int *veto)
{
	pw_record *r = H->record_new(in);
	double v = -1;
	*veto = 0;
	H->record_set(in, r, PW_F_TITLE, title);
	H->record_set(in, r, PW_F_ABSTRACT, abstract);
	ck_assert_int_eq(P->score(H, in, st, r, &v, veto, reason, 256), PW_OK);
	H->record_free(in, r);
	return v;
}

START_TEST(rl_does_not_match_world)
{
	char why[256];
	int veto;
	make("{\"keywords\": {\"RL\": 5}}");
	ck_assert_double_eq(score("A world model", "Real-world robots", why, &veto), 0);
	ck_assert_str_eq(why, "no keyword matched");
	ck_assert_double_eq(score("Offline RL at scale", "", why, &veto), 10);
	ck_assert_double_eq(score("x", "We use RL-based control.", why, &veto), 5);
	done();
}
END_TEST

START_TEST(phrases_case_and_title_weight)
{
	char why[256];
	int veto;
	make("{\"keywords\": {\"speculative decoding\": 3, \"KV cache\": 2}}");
	ck_assert_double_eq(score("Speculative   Decoding for all", "a kv-cache study", why, &veto), 8);
	ck_assert_str_eq(why, "title has 'speculative decoding' +6, abstract has 'KV cache' +2");
	ck_assert_double_eq(score("decoding speculative", "speculative\ndecoding", why, &veto), 3);
	ck_assert_double_eq(score("speculative", "decoding", why, &veto), 0);
	done();
}
END_TEST

START_TEST(star_marks_a_prefix)
{
	char why[256];
	int veto;
	make("{\"keywords\": {\"quantiz*\": 1, \"large language model*\": 2}, \"title_weight\": 3}");
	ck_assert_double_eq(score("Quantization-aware training", "", why, &veto), 3);
	ck_assert_double_eq(score("x", "We quantize large language models", why, &veto), 3);
	ck_assert_double_eq(score("Unquantized", "", why, &veto), 0);
	done();
}
END_TEST

START_TEST(exclude_vetoes_with_a_reason)
{
	char why[256];
	int veto;
	make("{\"keywords\": {\"RL\": 1}, \"exclude\": [\"survey\", \"position paper\"]}");
	score("RL: a Survey", "", why, &veto);
	ck_assert_int_eq(veto, 1);
	ck_assert_str_eq(why, "excluded: 'survey' in title");
	score("RL", "This position paper argues", why, &veto);
	ck_assert_int_eq(veto, 1);
	ck_assert_str_eq(why, "excluded: 'position paper' in abstract");
	score("RL", "surveying the field", why, &veto);
	ck_assert_int_eq(veto, 0);
	done();
}
END_TEST

START_TEST(a_term_without_letters_is_a_config_error)
{
	P = pw_plugin_entry();
	H = mock_host();
	in = mock_instance_new(P->options, "{\"keywords\": {\"***\": 1}}");
	ck_assert_int_eq(P->create(H, in, &st), PW_CONFIG_ERROR);
	ck_assert(strstr(mock_log(in), "keyword \"***\" has no letters or digits"));
	mock_instance_free(in);
	ck_assert_ptr_null(mock_instance_new(P->options, "{\"exclude\": [\"x\"]}"));
}
END_TEST

static Suite *
keyword_suite(void)
{
	Suite *s = suite_create("keyword");
	TCase *tc = tcase_create("keyword");
	tcase_add_test(tc, rl_does_not_match_world);
	tcase_add_test(tc, phrases_case_and_title_weight);
	tcase_add_test(tc, star_marks_a_prefix);
	tcase_add_test(tc, exclude_vetoes_with_a_reason);
	tcase_add_test(tc, a_term_without_letters_is_a_config_error);
	suite_add_tcase(s, tc);
	return s;
}

PW_CHECK_MAIN(keyword_suite)
