/* The keyword scorer against the mock host. */
#include "autoconf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../plugins/common/fold.h"
#include "../../plugins/common/num_text.h"
#include "../../plugins/scorers/keyword_aho.h"
#include "paperwire/mock_host.h"
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
	H = pwm_host();
	in = pwm_instance_new_json(P->options, options);
	ck_assert_ptr_nonnull(in);
	ck_assert_int_eq(P->create(H, in, &st), PW_OK);
}

static void
done(void)
{
	P->destroy(H, in, st);
	pwm_instance_free(in);
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

/* How much a paper is about a term: repeated mentions count with BM25's
 * saturation, one mention scores exactly weight x field multiplier. */
START_TEST(repeated_mentions_count_with_saturation)
{
	char why[256];
	int veto;
	make("{\"keywords\": {\"quantum\": 1}}");
	ck_assert_double_eq(score("x", "A quantum idea.", why, &veto), 1);
	ck_assert_str_eq(why, "abstract has 'quantum' +1");
	/* 4 mentions, k = 1.2: 4 x 2.2 / 5.2 */
	double four = score("x", "Quantum states, quantum gates, quantum noise and quantum error.", why, &veto);
	ck_assert_double_eq_tol(four, 4 * 2.2 / 5.2, 1e-9);
	ck_assert_str_eq(why, "abstract has 'quantum' x4 +1.69");
	/* Never more than 1 + k, however often. */
	char many[4096] = "";
	for (int i = 0; i < 200; i++)
		strcat(many, "quantum ");
	double lots = score("x", many, why, &veto);
	ck_assert(lots > four && lots < 2.2);
	/* The field where it weighs most: once in the title (x2) beats four
	 * times in the abstract (1.69). */
	ck_assert_double_eq(score("Quantum", "quantum quantum quantum quantum", why, &veto), 2);
	ck_assert_str_eq(why, "title has 'quantum' +2");
	done();
	make("{\"keywords\": {\"quantum\": 1}, \"saturation\": 0}");
	ck_assert_double_eq(score("x", "quantum quantum quantum", why, &veto), 1);
	ck_assert_str_eq(why, "abstract has 'quantum' x3 +1");
	done();
	ck_assert_ptr_null(pwm_instance_new_json(P->options, "{\"saturation\": -1}"));
}

END_TEST

/* A term's last word also matches its regular plural; a word written in
 * the plural is matched as written; the plural is still a whole word. */
START_TEST(a_term_matches_its_plural)
{
	char why[256];
	int veto;
	make("{\"keywords\": {\"neural network\": 1, \"strategy\": 1, \"patch\": 1, \"transformers\": 1, "
	     "\"RL\": 1}}");
	ck_assert_double_eq(score("x", "Deep neural networks.", why, &veto), 1);
	ck_assert_str_eq(why, "abstract has 'neural network' +1");
	ck_assert_double_eq(score("x", "Two strategies.", why, &veto), 1);
	ck_assert_double_eq(score("x", "Image patches.", why, &veto), 1);
	/* one mention of each form: two mentions, saturated */
	ck_assert_double_eq_tol(score("x", "A neural network among neural networks.", why, &veto), 2 * 2.2 / 3.2, 1e-9);
	ck_assert_double_eq(score("x", "One transformer.", why, &veto), 0);
	ck_assert_double_eq(score("x", "The networker and the strategyist.", why, &veto), 0);
	ck_assert_double_eq(score("x", "Worlds apart.", why, &veto), 0);
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
	make("{\"keywords\": {\"quantiz*\": 1, \"large language model*\": 2}, \"fields\": {\"title\": 3, \"abstract\": "
	     "1}}");
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
	/* Found in several fields: named in the one that weighs most,
	 * whatever the order the fields are given in. */
	make("{\"fields\": {\"abstract\": 1, \"title\": 2}, \"exclude\": [\"survey\"]}");
	score("A survey", "This survey", why, &veto);
	ck_assert_int_eq(veto, 1);
	ck_assert_str_eq(why, "excluded: 'survey' in title");
	done();
}

END_TEST

START_TEST(a_term_without_letters_is_a_config_error)
{
	P = pw_plugin_entry();
	H = pwm_host();
	in = pwm_instance_new_json(P->options, "{\"keywords\": {\"***\": 1}}");
	ck_assert_int_eq(P->create(H, in, &st), PW_CONFIG_ERROR);
	ck_assert(strstr(pwm_log(in), "term \"***\" has no letters or digits"));
	pwm_instance_free(in);
	in = pwm_instance_new_json(P->options, "{}");
	ck_assert_int_eq(P->create(H, in, &st), PW_CONFIG_ERROR);
	ck_assert(strstr(pwm_log(in), "nothing to match"));
	pwm_instance_free(in);
	ck_assert_ptr_null(pwm_instance_new_json(P->options, "{\"keywords\": {\"x\": \"high\"}}"));
}

END_TEST

/* Scores with extra fields set on the record. */
static double
score_rec(pw_record *r, char *reason, int *veto)
{
	double v = -1;
	*veto = 0;
	ck_assert_int_eq(P->score(H, in, st, r, &v, veto, reason, 256), PW_OK);
	H->record_free(in, r);
	return v;
}

START_TEST(accents_and_case_fold)
{
	char why[256];
	int veto;
	make("{\"keywords\": {\"Schrödinger equation\": 2, \"naïve bayes\": 1, \"ΑΛΦΑ\": 1}}");
	ck_assert_double_eq(score("The SCHRODINGER Equation, revisited", "", why, &veto), 4);
	ck_assert_double_eq(score("x", "a naive Bayes baseline", why, &veto), 1);
	ck_assert_double_eq(score("x", "a NAÏVE bayes baseline", why, &veto), 1);
	ck_assert_double_eq(score("x", "decomposed: nai\xcc\x88ve Bayes", why, &veto), 1);
	ck_assert_double_eq(score("x", "greek άλφα here", why, &veto), 1);
	done();
}

END_TEST

START_TEST(fields_have_multipliers)
{
	char why[256];
	int veto;
	make("{\"keywords\": {\"cs.CL\": 1, \"NeurIPS\": 2}, "
	     "\"fields\": {\"title\": 2, \"categories\": 0.5, \"comment\": 1, \"journal_ref\": 3}}");
	pw_record *r = H->record_new(in);
	H->record_set(in, r, PW_F_TITLE, "t");
	H->record_add(in, r, PW_F_CATEGORIES, "cs.LG");
	H->record_add(in, r, PW_F_CATEGORIES, "cs.CL");
	H->record_set(in, r, PW_F_COMMENT, "Accepted at NeurIPS 2026");
	ck_assert_double_eq(score_rec(r, why, &veto), 2.5);
	ck_assert_str_eq(why, "categories has 'cs.CL' +0.5, comment has 'NeurIPS' +2");
	done();
}

END_TEST

START_TEST(require_is_a_gate)
{
	char why[256];
	int veto;
	make("{\"keywords\": {\"decoding\": 1}, \"require\": [\"language model*\", \"LLM*\"]}");
	score("Faster decoding", "for speech", why, &veto);
	ck_assert_int_eq(veto, 1);
	ck_assert_str_eq(why, "gate: none of the required terms is present");
	ck_assert_double_eq(score("Faster decoding", "for LLMs", why, &veto), 2);
	ck_assert_int_eq(veto, 0);
	done();
}

END_TEST

START_TEST(followed_authors_match_initials_and_accents)
{
	char why[256];
	int veto;
	make("{\"authors\": {\"Yann LeCun\": 5, \"Bernhard Schölkopf\": 3}}");
	pw_record *r = H->record_new(in);
	H->record_add(in, r, PW_F_AUTHORS, "Ada Lovelace");
	H->record_add(in, r, PW_F_AUTHORS, "Y. LeCun");
	ck_assert_double_eq(score_rec(r, why, &veto), 5);
	ck_assert_str_eq(why, "author 'Yann LeCun' +5");
	r = H->record_new(in);
	H->record_add(in, r, PW_F_AUTHORS, "B. Scholkopf");
	ck_assert_double_eq(score_rec(r, why, &veto), 3);
	r = H->record_new(in);
	H->record_add(in, r, PW_F_AUTHORS, "Yannick LeCunn");
	H->record_add(in, r, PW_F_AUTHORS, "Xavier LeCun");
	ck_assert_double_eq(score_rec(r, why, &veto), 0);
	done();
}

END_TEST

START_TEST(a_thousand_terms_match_like_ten)
{
	char why[256], opts[65536];
	int veto;
	size_t o = (size_t)snprintf(opts, sizeof opts, "{\"keywords\": {");
	for (int i = 0; i < 1000; i++)
		o += (size_t)snprintf(opts + o, sizeof opts - o, "%s\"term%d\": 1", i ? ", " : "", i);
	snprintf(opts + o, sizeof opts - o, ", \"speculative decoding\": 3, \"decoding\": 1, \"coding\": 7}}");
	make(opts);
	/* Overlapping terms are each found once; "coding" is not a word here. */
	ck_assert_double_eq(score("Speculative decoding", "term999 and term5 and term55", why, &veto), 6 + 2 + 3);
	ck_assert(strstr(why, "title has 'speculative decoding' +6"));
	ck_assert(strstr(why, "title has 'decoding' +2"));
	ck_assert(strstr(why, "abstract has 'term5' +1"));
	ck_assert(!strstr(why, "'coding'"));
	done();
}

END_TEST

static void
count_hit(int id, void *ud)
{
	((int *)ud)[id]++;
}

START_TEST(folding_while_scanning_finds_what_folding_first_finds)
{
	/* Patterns as the scorer adds them (whole words in spaces, prefixes
	 * open at the end), over random text of letters, digits, separators,
	 * accents, combining marks, non-Latin letters and broken UTF-8; from
	 * 256 bytes a text is walked in four parts side by side, and what a
	 * part's walk finds across its end must be neither lost nor counted
	 * twice. */
	static const char *const patterns[] = { " a ", " ab ",       " a b ", " ba",       "b c ", " ss ",
		                                " e ", " \xce\xb1 ", " 1 ",   " strasse ", " ae " };
	static const char *const pieces[] = { "a",
		                              "b",
		                              "c",
		                              "A",
		                              "B",
		                              " ",
		                              "  ",
		                              "-",
		                              ",\n",
		                              "1",
		                              "\xc3\xa9",
		                              "\xc3\x89",
		                              "e\xcc\x81",
		                              "\xc3\x9f",
		                              "\xce\x91",
		                              "\xe2\x80\x94",
		                              "\xff",
		                              "\xc3",
		                              "Stra\xc3\x9f"
		                              "e",
		                              "\xc3\x86" };

	enum { NP = sizeof patterns / sizeof *patterns };

	aho *a = aho_new();
	for (int i = 0; i < NP; i++)
		ck_assert_int_eq(aho_add(a, patterns[i], strlen(patterns[i]), i), 0);
	ck_assert_int_eq(aho_build(a), 0);
	unsigned seed = 7;
	for (int round = 0; round < 20000; round++) {
		char text[4096] = "";
		for (int k = 0; k < round % 400; k++) {
			seed = seed * 1103515245u + 12345u;
			strcat(text, pieces[(seed >> 16) % (sizeof pieces / sizeof *pieces)]);
		}
		int want[NP] = { 0 }, got[NP] = { 0 };
		size_t len;
		char *folded = fold_words(text, &len);
		aho_scan(a, folded, len, count_hit, want);
		aho_scan_folded(a, text, count_hit, got);
		for (int i = 0; i < NP; i++)
			ck_assert_msg(want[i] == got[i], "'%s' in '%s' (folded '%s'): %d, not %d", patterns[i], text,
			              folded, got[i], want[i]);
		free(folded);
	}
	/* A match across the last split that only the text's end closes:
	 * each quarter of this text has one ASCII separator after an ASCII
	 * letter in reach, the last one the '-' of "a-b" (the dash before
	 * the "a" is U+2014). */
	char tail[300] = "";
	for (int i = 0; i < 32; i++)
		strcat(tail, "\xc3\xa9");
	for (int q = 0; q < 2; q++) {
		strcat(tail, "x-");
		for (int i = 0; i < 31; i++)
			strcat(tail, "\xc3\xa9");
	}
	for (int i = 0; i < 58; i++)
		strcat(tail, "x");
	strcat(tail, "\xe2\x80\x94"
	             "a-b");
	ck_assert_int_eq(strlen(tail), 256);
	int at_end[NP] = { 0 };
	aho_scan_folded(a, tail, count_hit, at_end);
	ck_assert_int_eq(at_end[0], 1); /* " a " */
	ck_assert_int_eq(at_end[2], 1); /* " a b " */
	aho_free(a);
}

END_TEST

/* The reasons' points are written as "%+.3g" writes them: every value
 * of a sweep over the magnitudes it covers (and beyond), the values that
 * round up to the next power of ten, ties exact in binary and the ones
 * printf refuses to write plainly. */
static void
same_as_printf(double v)
{
	char want[64], got[64];
	snprintf(want, sizeof want, "%+.3g", v);
	size_t n = nt_signed_g3(got, sizeof got, v);
	ck_assert_msg(strcmp(want, got) == 0 && n == strlen(want), "%.17g: '%s', not '%s'", v, got, want);
}

START_TEST(points_are_written_as_printf_writes_them)
{
	static const double fixed[] = { 0,     -0.0,  1,     -1,      0.5,     1.125,  1.135,   9.995,  9.9949,
		                        99.95, 999.4, 999.5, 999.6,   1000,    0.0001, 0.00009, 1e-5,   1.5e-4,
		                        0.1,   0.3,   2.675, 1.69231, 5.07692, 0.0625, 1e300,   -1e-300 };
	for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
		same_as_printf(fixed[i]);
	same_as_printf(INFINITY);
	same_as_printf(-INFINITY);
	same_as_printf(NAN);
	unsigned long long seed = 11;
	for (int i = 0; i < 200000; i++) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		double unit = (double)(seed >> 11) / 9007199254740992.0;
		double v = pow(10, unit * 10 - 6); /* 1e-6 .. 1e4 */
		same_as_printf(seed & 1 ? v : -v);
		/* Three significant digits and a half, where rounding is decided. */
		double tie = (floor(unit * 900) + 100.5) * pow(10, (int)(seed >> 60) % 7 - 6);
		same_as_printf(tie);
	}
	/* Every sum of weights a keyword list gives: k/8 from -100 to 100. */
	for (int k = -800; k <= 800; k++)
		same_as_printf(k / 8.0);
	/* Cut like snprintf. */
	char small[4];
	ck_assert_int_eq(nt_signed_g3(small, sizeof small, 1.25), 3);
	ck_assert_str_eq(small, "+1.");
}

END_TEST

static Suite *
keyword_suite(void)
{
	Suite *s = suite_create("keyword");
	TCase *tc = tcase_create("keyword");
	tcase_add_test(tc, rl_does_not_match_world);
	tcase_add_test(tc, phrases_case_and_title_weight);
	tcase_add_test(tc, a_term_matches_its_plural);
	tcase_add_test(tc, star_marks_a_prefix);
	tcase_add_test(tc, exclude_vetoes_with_a_reason);
	tcase_add_test(tc, a_term_without_letters_is_a_config_error);
	tcase_add_test(tc, accents_and_case_fold);
	tcase_add_test(tc, fields_have_multipliers);
	tcase_add_test(tc, require_is_a_gate);
	tcase_add_test(tc, followed_authors_match_initials_and_accents);
	tcase_add_test(tc, a_thousand_terms_match_like_ten);
	tcase_add_test(tc, repeated_mentions_count_with_saturation);
	tcase_add_test(tc, folding_while_scanning_finds_what_folding_first_finds);
	tcase_add_test(tc, points_are_written_as_printf_writes_them);
	suite_add_tcase(s, tc);
	return s;
}

PW_CHECK_MAIN(keyword_suite)
