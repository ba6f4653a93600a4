/* The e-mail sink's message pieces: header encoding, dates, addresses. */
#include "autoconf.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../plugins/common/base64.h"
#include "../../plugins/common/sink_util.h"
#include "../../plugins/sinks/email_mime.h"
#include "pw_check.h"

static char *
header(const char *value)
{
	static char out[2048];
	mbuf b = { 0 };
	mime_header_text(&b, value, 9);
	snprintf(out, sizeof out, "%s", b.s ? b.s : "");
	mbuf_free(&b);
	return out;
}

START_TEST(ascii_headers_lose_control_characters)
{
	ck_assert_str_eq(header("Evil\r\nBcc: victim@example.org"), "Evil Bcc: victim@example.org");
	ck_assert_str_eq(header("a\0b"), "a");
	ck_assert_ptr_null(strchr(header("x\ry\nz\tw"), '\r'));
}

END_TEST

START_TEST(long_ascii_headers_fold_below_78)
{
	const char *h = header("paperwire: daily: 12 new papers about speculative decoding, KV caches, "
	                       "quantization and other things that make inference cheaper");
	ck_assert(strstr(h, "\r\n ") != NULL);
	const char *line = h;
	size_t first = 9;
	while (line) {
		const char *end = strstr(line, "\r\n");
		size_t len = end ? (size_t)(end - line) : strlen(line);
		ck_assert_uint_le(len + first, 78);
		first = 0;
		line = end ? end + 2 : NULL;
	}
}

END_TEST

START_TEST(non_ascii_becomes_encoded_words)
{
	const char *h = header("Über Schrödinger — 日本語のタイトル that is rather long and needs two words");
	ck_assert(strncmp(h, "=?UTF-8?B?", 10) == 0);
	ck_assert(strstr(h, "?=\r\n =?UTF-8?B?") != NULL);
	const char *line = h;
	while (line) {
		const char *end = strstr(line, "\r\n");
		size_t len = end ? (size_t)(end - line) : strlen(line);
		ck_assert_uint_le(len, 76);
		line = end ? end + 2 : NULL;
	}
	/* "=?" in plain ASCII must not pass as an encoded word either. */
	ck_assert(strncmp(header("=?UTF-8?B?SGk=?="), "=?UTF-8?B?", 10) == 0);
	ck_assert_str_ne(header("=?UTF-8?B?SGk=?="), "=?UTF-8?B?SGk=?=");
}

END_TEST

/* A German locale built for this test (no machine has one installed by
 * default), so the test cannot pass for want of it. */
static int
german_locale(void)
{
	char dir[64], cmd[256];
	snprintf(dir, sizeof dir, "/tmp/pw-locale-%d", (int)getpid());
	snprintf(cmd, sizeof cmd, "mkdir -p %s && localedef -i de_DE -f UTF-8 %s/de_DE.UTF-8 >/dev/null 2>&1", dir,
	         dir);
	if (system(cmd) != 0)
		return 0;
	setenv("LOCPATH", dir, 1);
	return setlocale(LC_ALL, "de_DE.UTF-8") != NULL;
}

START_TEST(dates_are_english_in_any_locale)
{
	char d[64], local_day[16];
	ck_assert_msg(german_locale(), "could not build and enter de_DE.UTF-8 (localedef, Debian package locales)");
	/* The locale is really in force: strftime says Thursday in German. */
	time_t t = 1795111200;
	strftime(local_day, sizeof local_day, "%a", gmtime(&t));
	ck_assert_str_eq(local_day, "Do");
	su_rfc822(1795111200, d, sizeof d);
	ck_assert_str_eq(d, "Thu, 19 Nov 2026 18:00:00 +0000");
	setlocale(LC_ALL, "C");
	unsetenv("LOCPATH");
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf /tmp/pw-locale-%d", (int)getpid());
	ck_assert_int_eq(system(cmd), 0);
}

END_TEST

START_TEST(addresses_must_be_plain)
{
	ck_assert(mime_address_ok("reader@example.org"));
	ck_assert(!mime_address_ok("reader@example.org\r\nBcc: x@y"));
	ck_assert(!mime_address_ok("<reader@example.org>"));
	ck_assert(!mime_address_ok("a b@example.org"));
	ck_assert(!mime_address_ok("a@b@c"));
	ck_assert(!mime_address_ok("@example.org"));
	ck_assert(!mime_address_ok("a@example.org,b@example.org"));
}

END_TEST

START_TEST(base64_lines_are_76)
{
	mbuf b = { 0 };
	char data[200];
	memset(data, 'x', sizeof data);
	mime_base64(&b, data, sizeof data);
	ck_assert(strncmp(b.s, "eHh4", 4) == 0);
	ck_assert_uint_eq(strcspn(b.s, "\r"), 76);
	ck_assert(b.s[b.len - 2] == '\r' && b.s[b.len - 1] == '\n');
	mbuf_free(&b);
	mime_base64(&b, "a", 1);
	ck_assert_str_eq(b.s, "YQ==\r\n");
	mbuf_free(&b);
}

END_TEST

/* The support library's base64 (RFC 4648's test vectors), which the mail
 * bodies, the encoded words and the embedding cache use. */
START_TEST(base64_follows_rfc_4648)
{
	static const char *const plain[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
	static const char *const coded[] = { "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy" };
	for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
		mbuf b = { 0 };
		b64_encode(&b, plain[i], strlen(plain[i]));
		char *got = mbuf_take(&b);
		ck_assert_str_eq(got, coded[i]);
		free(got);
		size_t len = 99;
		unsigned char *back = b64_decode(coded[i], &len);
		ck_assert_ptr_nonnull(back);
		ck_assert_uint_eq(len, strlen(plain[i]));
		ck_assert(memcmp(back, plain[i], len) == 0);
		free(back);
	}
	static const char *const bad[] = { "Zm9", "Zg=a", "Z===", "Zg==Zg==", "Zm9v!A==" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		size_t len;
		ck_assert_msg(b64_decode(bad[i], &len) == NULL, "%s was decoded", bad[i]);
	}
}

END_TEST

START_TEST(html_is_escaped)
{
	mbuf b = { 0 };
	su_html_escape(&b, "<script>alert(\"x\")</script> & 'y'");
	ck_assert_str_eq(b.s, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;");
	mbuf_free(&b);
}

END_TEST

static Suite *
email_suite(void)
{
	Suite *s = suite_create("email_mime");
	TCase *tc = tcase_create("mime");
	tcase_add_test(tc, ascii_headers_lose_control_characters);
	tcase_add_test(tc, long_ascii_headers_fold_below_78);
	tcase_add_test(tc, non_ascii_becomes_encoded_words);
	tcase_add_test(tc, dates_are_english_in_any_locale);
	tcase_add_test(tc, addresses_must_be_plain);
	tcase_add_test(tc, base64_lines_are_76);
	tcase_add_test(tc, base64_follows_rfc_4648);
	tcase_add_test(tc, html_is_escaped);
	suite_add_tcase(s, tc);
	return s;
}

PW_CHECK_MAIN(email_suite)
