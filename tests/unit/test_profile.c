/* The embedding scorer's library readers and TF-IDF. */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../plugins/scorers/embed_profile.h"
#include "../../plugins/common/tfidf.h"
#include "pw_check.h"

START_TEST(bibtex_as_zotero_exports_it)
{
	profile p = { 0 };
	char err[512], note[512];
	ck_assert_int_eq(profile_load_file(&p, pw_path("PW_SRCDIR", "tests/fixtures/library.bib"), err, sizeof err,
	                                   note, sizeof note),
	                 4);
	ck_assert_str_eq(p.docs[0].title, "Fast Inference from Transformers via Speculative Decoding");
	ck_assert_int_eq(p.docs[0].year, 2023);
	ck_assert(strstr(p.docs[0].text, "We introduce speculative decoding"));
	ck_assert_str_eq(p.docs[1].title, "Accelerating Large Language Model Decoding with Speculative Sampling");
	ck_assert_str_eq(p.docs[2].title,
	                 "Medusa: Simple LLM Inference Acceleration Framework with Multiple Decoding Heads");
	ck_assert_str_eq(p.docs[3].title,
	                 "Quantisierung als Eigenwertproblem: Schrödinger's équation & the wave mechanics");
	ck_assert_int_eq(p.docs[3].year, 1926);
	profile_sort_newest_first(&p);
	ck_assert_int_eq(p.docs[0].year, 2024);
	ck_assert_int_eq(p.docs[3].year, 1926);
	profile_free(&p);
}

END_TEST

START_TEST(an_unclosed_entry_names_its_line)
{
	profile p = { 0 };
	char err[512];
	ck_assert_int_eq(profile_parse_bibtex(&p, "@article{a, title={A}}\n\n@article{b,\n title = {never closed\n",
	                                      "lib.bib", err, sizeof err),
	                 -1);
	ck_assert_str_eq(err, "lib.bib:3: the @article entry is never closed");
	profile_free(&p);
}

END_TEST

START_TEST(a_missing_comma_is_an_error_not_a_lost_field)
{
	profile p = { 0 };
	char err[512];
	ck_assert_int_eq(profile_parse_bibtex(&p, "@article{a,\n title = {A}\n abstract = {lost without a comma}\n}\n",
	                                      "lib.bib", err, sizeof err),
	                 -1);
	ck_assert_str_eq(err, "lib.bib:3: a ',' is missing after the field \"title\" (the @article entry of line 1)");
	profile_free(&p);
}

END_TEST

START_TEST(a_latin1_file_is_read_as_latin1_and_said)
{
	profile p = { 0 };
	char err[512], note[512], path[] = "/tmp/pw-profile-XXXXXX.bib";
	int fd = mkstemps(path, 4);
	const char bib[] = "@article{s, title = {Schr\xf6"
	                   "dinger's \xe9"
	                   "quation}, year = {1926}}\n";
	ck_assert_int_eq(write(fd, bib, sizeof bib - 1), (int)sizeof bib - 1);
	close(fd);
	ck_assert_int_eq(profile_load_file(&p, path, err, sizeof err, note, sizeof note), 1);
	ck_assert_str_eq(p.docs[0].title, "Schrödinger's équation");
	ck_assert(strstr(note, "is not UTF-8: read as Latin-1"));
	unlink(path);
	profile_free(&p);
}

END_TEST

START_TEST(csl_json_and_text)
{
	profile p = { 0 };
	char err[512], note[512];
	ck_assert_int_eq(profile_load_file(&p, pw_path("PW_SRCDIR", "tests/fixtures/library.json"), err, sizeof err,
	                                   note, sizeof note),
	                 2);
	ck_assert_int_eq(p.docs[0].year, 2023);
	ck_assert_int_eq(p.docs[1].year, 2022);
	ck_assert_int_eq(profile_load_file(&p, pw_path("PW_SRCDIR", "tests/fixtures/library.txt"), err, sizeof err,
	                                   note, sizeof note),
	                 2);
	ck_assert_str_eq(p.docs[2].title, "Speculative decoding with tiny draft models");
	ck_assert(strstr(p.docs[2].text, "Small draft models propose"));
	ck_assert_str_eq(p.docs[3].title, "KV cache compression for long context inference");
	ck_assert_int_eq(profile_load_file(&p, "/nonexistent/lib.bib", err, sizeof err, note, sizeof note), -1);
	ck_assert_str_eq(err, "/nonexistent/lib.bib: No such file or directory");
	profile_free(&p);
}

END_TEST

START_TEST(latex_to_text)
{
	char *s = profile_latex_to_text(
	        "Schr{\\\"o}dinger, G{\\\"o}del and Erd\\H{o}s: {\\ss} \\c{c} \\v{S}\\'{e} \\textbf{bold} 50\\%");
	ck_assert_str_eq(s, "Schrödinger, Gödel and Erdős: ss ç Šé bold 50%");
	free(s);
}

END_TEST

START_TEST(tfidf_vectors_and_cosine)
{
	tf_df df;
	tf_vec va, vb, vc;
	ck_assert_int_eq(tf_df_init(&df), 0);
	tf_counts_from_text("Speculative decoding makes the decoding of language models faster", &va);
	tf_counts_from_text("Speculative DECODING with draft models", &vb);
	tf_counts_from_text("Protein folding with diffusion", &vc);
	tf_df_add(&df, &va);
	tf_df_add(&df, &vb);
	tf_df_add(&df, &vc);
	/* "the" and "of" are stop words: 6 distinct unigrams ("decoding" twice)
	 * and 6 distinct bigrams of the 7 words kept */
	ck_assert_uint_eq(va.n, 12);
	float occurrences = 0; /* the counts: 7 unigrams and 6 bigrams */
	for (size_t i = 0; i < va.n; i++)
		occurrences += va.val[i];
	ck_assert_float_eq(occurrences, 13.0f);
	tf_vec_weigh(&df, &va);
	tf_vec_weigh(&df, &vb);
	tf_vec_weigh(&df, &vc);
	ck_assert_float_eq_tol(tf_vec_dot(&va, &va), 1.0f, 1e-5f);
	ck_assert(tf_vec_dot(&va, &vb) > 0.2f);
	ck_assert_float_eq_tol(tf_vec_dot(&va, &vc), 0.0f, 1e-6f);
	ck_assert(tf_is_stop_word("the", 3));
	ck_assert(!tf_is_stop_word("decoding", 8));
	tf_vec_free(&va);
	tf_vec_free(&vb);
	tf_vec_free(&vc);
	tf_df_free(&df);
}

END_TEST

static Suite *
profile_suite(void)
{
	Suite *s = suite_create("profile");
	TCase *tc = tcase_create("profile");
	tcase_add_test(tc, bibtex_as_zotero_exports_it);
	tcase_add_test(tc, an_unclosed_entry_names_its_line);
	tcase_add_test(tc, a_missing_comma_is_an_error_not_a_lost_field);
	tcase_add_test(tc, a_latin1_file_is_read_as_latin1_and_said);
	tcase_add_test(tc, csl_json_and_text);
	tcase_add_test(tc, latex_to_text);
	tcase_add_test(tc, tfidf_vectors_and_cosine);
	suite_add_tcase(s, tc);
	return s;
}

PW_CHECK_MAIN(profile_suite)
