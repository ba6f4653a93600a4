/* Bad input, many times over: our own fixtures with random bytes flipped,
 * cut short or repeated, through every parser we own (Atom, the config,
 * BibTeX, stored records, a paper's HTML rendering and PDF).  Each must return an answer or an error, never
 * crash; under the sanitizer build this is also a memory check.  The
 * generator is seeded, so a failure repeats. */
#include "autoconf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../plugins/scorers/embed_profile.h"
#include "../../plugins/common/arxiv_atom.h"
#include "../../plugins/enrichers/llm_fulltext.h"
#include "config.h"
#include "paperwire/mock_host.h"
#include "pw_check.h"
#include "record.h"

#define ROUNDS 400

static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static uint32_t
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)rng;
}

/* A mutated copy of src: flips, cuts, inserted XML/JSON-ish bytes. */
static char *
mutate(const char *src, size_t len, size_t *out_len)
{
	static const char *const noise[] = { "<",    ">",         "&",    "&amp;", "\"",
		                             "{",    "}",         "[",    "]",     ",",
		                             ":",    "\\",        "\xff", "\xc3",  "<!DOCTYPE x>",
		                             "&#0;", "@article{", "${X}", "\0" };
	char *out = malloc(len * 2 + 64);
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		uint32_t r = next() % 1000;
		if (r < 4) {
			const char *n = noise[next() % (sizeof noise / sizeof noise[0])];
			size_t nl = n[0] ? strlen(n) : 1;
			memcpy(out + o, n, nl);
			o += nl;
		} else if (r < 7) {
			continue; /* drop a byte */
		} else if (r < 9) {
			out[o++] = (char)(next() & 0xff);
			continue;
		}
		if (o < len * 2 + 32)
			out[o++] = src[i];
	}
	if (next() % 4 == 0)
		o = next() % (o + 1); /* cut short */
	out[o] = '\0';
	*out_len = o;
	return out;
}

START_TEST(atom_parser_survives_mutations)
{
	const char *files[] = { "tests/fixtures/api_paged.atom", "tests/fixtures/api_error.atom",
		                "scripts/examples/demo/arxiv-sample.atom" };
	pw_instance *in = pwm_instance_new_json(NULL, "{}");
	int ok = 0, refused = 0;
	for (size_t f = 0; f < 3; f++) {
		size_t len;
		const char *src = pw_read_file(pw_path("PW_SRCDIR", files[f]), &len);
		for (int i = 0; i < ROUNDS; i++) {
			size_t ml;
			char *m = mutate(src, len, &ml);
			atom_page page;
			char err[512];
			if (atom_parse(pwm_host(), in, m, ml, &page, err, sizeof err) == 0) {
				ok++;
				atom_page_free(pwm_host(), in, &page);
			} else {
				ck_assert_msg(err[0] != '\0', "a refusal without a reason");
				refused++;
			}
			free(m);
		}
	}
	/* Both outcomes occur: the mutations reach the parser's refusals, and
	 * not every one of them breaks the document (a parser refusing all
	 * input would also never crash). */
	ck_assert_msg(refused > 0, "no mutation was refused");
	ck_assert_msg(ok > 0, "every mutation was refused");
	pwm_instance_free(in);
}

END_TEST

/* A paper's text from its HTML rendering or its PDF (made by
 * tests/integration/make_paper_files.py): some mutations still read, some
 * do not; none crashes. */
START_TEST(full_text_parsers_survive_mutations)
{
	const char *files[] = { "tests/fixtures/fulltext.html", "tests/fixtures/fulltext.pdf" };
	for (size_t f = 0; f < 2; f++) {
		size_t len;
		const char *src = pw_read_file(pw_path("PW_SRCDIR", files[f]), &len);
		char *copy = malloc(len + 1);
		memcpy(copy, src, len + 1);
		char *whole = f ? ft_from_pdf(copy, len) : ft_from_html(copy, len);
		ck_assert_msg(whole && strstr(whole, "Introduction"), "%s: the unmutated file does not read", files[f]);
		free(whole);
		int ok = 0, refused = 0;
		for (int i = 0; i < ROUNDS; i++) {
			size_t ml;
			char *m = mutate(copy, len, &ml);
			char *text = f ? ft_from_pdf(m, ml) : ft_from_html(m, ml);
			ok += text != NULL;
			refused += text == NULL;
			free(text);
			free(m);
		}
		ck_assert_msg(refused > 0 && ok > 0, "%s: %d read, %d refused", files[f], ok, refused);
		free(copy);
	}
}

END_TEST

START_TEST(config_loader_survives_mutations)
{
	char path[128];
	size_t len;
	const char *src = pw_read_file(pw_path("PW_SRCDIR", "scripts/examples/personal-email.json"), &len);
	snprintf(path, sizeof path, "/tmp/pw-mutations-%d.json", (int)getpid());
	int loaded = 0;
	for (int i = 0; i < ROUNDS; i++) {
		size_t ml;
		char *m = mutate(src, len, &ml);
		FILE *f = fopen(path, "wb");
		fwrite(m, 1, ml, f);
		fclose(f);
		cfg_diag d = { 0 };
		pw_config *c = cfg_load(path, &d);
		if (c) {
			loaded++;
			cfg_free(c);
		} else {
			ck_assert_msg(d.count > 0, "a config refused without a message");
			ck_assert_msg(strncmp(d.msgs[0], path, strlen(path)) == 0,
			              "the message does not name the file: %s", d.msgs[0]);
		}
		cfg_diag_free(&d);
		free(m);
	}
	unlink(path);
	ck_assert(loaded < ROUNDS);
}

END_TEST

START_TEST(bibtex_and_records_survive_mutations)
{
	size_t len;
	int parsed = 0;
	const char *src = pw_read_file(pw_path("PW_SRCDIR", "tests/fixtures/library.bib"), &len);
	for (int i = 0; i < ROUNDS; i++) {
		size_t ml;
		char *m = mutate(src, len, &ml);
		profile p = { 0 };
		char err[512] = "";
		int n = profile_parse_bibtex(&p, m, "lib.bib", err, sizeof err);
		/* Either documents, as many as it says, or a refusal naming the
		 * file and a line. */
		if (n < 0)
			ck_assert_msg(strncmp(err, "lib.bib:", 8) == 0 && err[8] >= '1' && err[8] <= '9', "%s", err);
		else
			ck_assert_uint_eq(p.count, (size_t)n);
		parsed += n >= 0;
		profile_free(&p);
		pw_record *r = rec_from_json(m);
		rec_free(r);
		free(m);
	}
	ck_assert_msg(parsed > 0, "no mutated library was read at all");
}

END_TEST

static Suite *
mutations_suite(void)
{
	Suite *s = suite_create("mutations");
	TCase *tc = tcase_create("mutations");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, atom_parser_survives_mutations);
	tcase_add_test(tc, full_text_parsers_survive_mutations);
	tcase_add_test(tc, config_loader_survives_mutations);
	tcase_add_test(tc, bibtex_and_records_survive_mutations);
	suite_add_tcase(s, tc);
	return s;
}

PW_CHECK_MAIN(mutations_suite)
