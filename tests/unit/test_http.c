/* Tests of core/http.c against the local test server on 127.0.0.1. */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "http.h"
#include "pw_check.h"
#include "store.h"

static pid_t server;
static char base[64];
static char port_file[128];

static void
start_server(void)
{
	snprintf(port_file, sizeof port_file, "/tmp/pw-test-http-%d.port", (int)getpid());
	unlink(port_file);
	server = fork();
	if (server == 0) {
		execlp("python3", "python3", pw_path("PW_SRCDIR", "tests/integration/fake_server.py"), "--root",
		       pw_path("PW_SRCDIR", "tests/fixtures"), "--port-file", port_file, "--lifetime", "300",
		       (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 100; i++) {
		FILE *f = fopen(port_file, "r");
		int port = 0;
		if (f && fscanf(f, "%d", &port) == 1 && port > 0) {
			fclose(f);
			snprintf(base, sizeof base, "http://127.0.0.1:%d", port);
			curl_global_init(CURL_GLOBAL_DEFAULT);
			return;
		}
		if (f)
			fclose(f);
		usleep(100000);
	}
	fprintf(stderr, "the test server did not start\n");
	exit(1);
}

static void
stop_server(void)
{
	kill(server, SIGTERM);
	waitpid(server, NULL, 0);
	unlink(port_file);
}

static http_client *
client(pw_store *store)
{
	http_options o;
	http_default_options(&o);
	o.contact = "tests@example.org";
	o.timeout = 2;
	o.retries = 2;
	o.backoff_base = 0.1;
	o.default_spacing = 0;
	o.max_bytes = 1024 * 1024;
	return http_new(&o, store);
}

static char *
url(const char *path)
{
	static char u[256];
	snprintf(u, sizeof u, "%s%s", base, path);
	return u;
}

START_TEST(user_agent_names_paperwire_and_contact)
{
	http_client *c = client(NULL);
	pw_response *r;
	char err[512];
	ck_assert_int_eq(http_get(c, url("/echo-headers"), 0, &r, err, sizeof err), 0);
	ck_assert_int_eq(r->code, 200);
	ck_assert_msg(strstr(r->body, "User-Agent: paperwire/" PACKAGE_VERSION " (+"), "%s", r->body);
	ck_assert_msg(strstr(r->body, "mailto:tests@example.org)"), "%s", r->body);
	http_response_free(r);
	http_free(c);
}

END_TEST

START_TEST(retry_after_is_honoured_on_429)
{
	http_client *c = client(NULL);
	pw_response *r;
	char err[512];
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(http_get(c, url("/flaky/u429/1/429/api_paged.atom"), 0, &r, err, sizeof err), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ck_assert_int_eq(r->code, 200);
	ck_assert_int_eq(r->attempts, 2);
	double waited = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	ck_assert_msg(waited >= 0.95, "waited only %.2f s for Retry-After: 1", waited);
	http_response_free(r);
	http_free(c);
}

END_TEST

START_TEST(final_503_is_returned_with_its_code)
{
	http_client *c = client(NULL);
	pw_response *r;
	char err[512];
	ck_assert_int_eq(http_get(c, url("/status/503?retry_after=0"), 0, &r, err, sizeof err), 0);
	ck_assert_int_eq(r->code, 503);
	ck_assert_int_eq(r->attempts, 3);
	ck_assert_str_eq(r->body, "Rate exceeded.");
	http_response_free(r);
	http_free(c);
}

END_TEST

static double
seconds_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* Any header of the answer can be read, and a Backoff on a 200 holds the
 * next request to that host; one longer than max_retry_after is refused
 * without asking. */
START_TEST(backoff_holds_the_next_request_and_any_header_is_kept)
{
	http_client *c = client(NULL);
	pw_response *r;
	char err[512];
	struct timespec t0, t1;
	ck_assert_int_eq(http_get(c, url("/status/200?backoff=1"), 0, &r, err, sizeof err), 0);
	ck_assert_int_eq(r->code, 200);
	ck_assert_ptr_nonnull(http_response_header(r, "backoff"));
	ck_assert_str_eq(http_response_header(r, "BACKOFF"), "1");
	ck_assert_str_eq(http_response_header(r, "Content-Type"), "text/plain");
	ck_assert_ptr_null(http_response_header(r, "Back"));
	http_response_free(r);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(http_get(c, url("/status/200?backoff=900"), 0, &r, err, sizeof err), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ck_assert_msg(seconds_between(&t0, &t1) >= 0.95, "waited only %.2f s after Backoff: 1",
	              seconds_between(&t0, &t1));
	http_response_free(r);
	ck_assert_int_eq(http_get(c, url("/status/200"), 0, &r, err, sizeof err), -1);
	ck_assert_msg(strstr(err, "(Backoff), longer than the 600 s allowed"), "%s", err);
	http_free(c);
}

END_TEST

START_TEST(truncated_body_is_an_error)
{
	http_client *c = client(NULL);
	pw_response *r;
	char err[512];
	ck_assert_int_eq(http_get(c, url("/truncated"), 0, &r, err, sizeof err), -1);
	ck_assert_msg(strstr(err, "(after 3 attempts)"), "%s", err);
	http_free(c);
}

END_TEST

START_TEST(slow_body_times_out)
{
	http_client *c = client(NULL);
	pw_response *r;
	char err[512];
	ck_assert_int_eq(http_get(c, url("/slow"), 0, &r, err, sizeof err), -1);
	ck_assert_msg(strstr(err, "Timeout") || strstr(err, "timed out"), "%s", err);
	http_free(c);
}

END_TEST

START_TEST(size_cap_is_enforced)
{
	http_client *c = client(NULL);
	pw_response *r;
	char err[512];
	/* Permanent: asking again would get the same body. */
	ck_assert_int_eq(http_get(c, url("/big"), 0, &r, err, sizeof err), HTTP_PERMANENT);
	ck_assert_msg(strstr(err, "larger than the 1048576-byte cap"), "%s", err);
	http_free(c);
}

END_TEST

START_TEST(only_http_https_and_file)
{
	http_client *c = client(NULL);
	pw_response *r;
	char err[512], fileurl[4200];
	ck_assert_int_eq(http_get(c, "ftp://127.0.0.1/x", 0, &r, err, sizeof err), HTTP_PERMANENT);
	ck_assert_int_eq(http_get(c, "dict://127.0.0.1/x", 0, &r, err, sizeof err), HTTP_PERMANENT);
	/* A file that is not there will not be there on the next run either. */
	ck_assert_int_eq(http_get(c, "file:///nonexistent/paperwire/feed.xml", 0, &r, err, sizeof err), HTTP_PERMANENT);
	snprintf(fileurl, sizeof fileurl, "file://%s", pw_path("PW_SRCDIR", "tests/fixtures/api_empty.atom"));
	ck_assert_int_eq(http_get(c, fileurl, 0, &r, err, sizeof err), 0);
	ck_assert_int_eq(r->code, 200);
	ck_assert(strstr(r->body, "<opensearch:totalResults>0<") != NULL);
	http_response_free(r);
	http_free(c);
}

END_TEST

/* A client for file:// bodies of up to 16 MiB, asking once. */
static http_client *
spooling_client(void)
{
	http_options o;
	http_default_options(&o);
	o.retries = 0;
	o.max_bytes = 16 * 1024 * 1024;
	return http_new(&o, NULL);
}

/* The body at url, spooled: all of its size bytes. */
static pw_response *
spooled(http_client *c, const char *url, size_t size)
{
	char err[512];
	pw_response *r;
	ck_assert_int_eq(http_get(c, url, PW_HTTP_SPOOL, &r, err, sizeof err), 0);
	ck_assert_int_ge(r->fd, 0);
	ck_assert_uint_eq(r->len, size);
	return r;
}

/* A spooled body is gathered and written in large pieces: a body of an
 * odd size arrives whole, byte for byte; a spool that cannot be written
 * (a file-size limit here, a full disk in life) is said as such. */
START_TEST(a_spooled_body_arrives_whole_or_is_said_unwritable)
{
	enum { SIZE = 3 * 1024 * 1024 + 17 };

	char path[128], fileurl[200], err[512];
	snprintf(path, sizeof path, "/tmp/pw-test-http-spool-%d", (int)getpid());
	char *want = malloc(SIZE), *got = malloc(SIZE + 1);
	ck_assert(want && got);
	unsigned seed = 3;
	for (size_t i = 0; i < SIZE; i++) {
		seed = seed * 1103515245u + 12345u;
		want[i] = (char)(seed >> 16);
	}
	FILE *f = fopen(path, "wb");
	ck_assert(f && fwrite(want, 1, SIZE, f) == SIZE && fclose(f) == 0);
	snprintf(fileurl, sizeof fileurl, "file://%s", path);
	http_client *c = spooling_client();
	pw_response *r = spooled(c, fileurl, SIZE);
	size_t n = 0;
	for (ssize_t k; (k = read(r->fd, got + n, SIZE + 1 - n)) > 0;)
		n += (size_t)k;
	ck_assert_uint_eq(n, SIZE);
	ck_assert(memcmp(got, want, SIZE) == 0);
	http_response_free(r);
	/* Past 1 MiB every write fails (EFBIG, the signal ignored). */
	signal(SIGXFSZ, SIG_IGN);
	struct rlimit lim = { 1024 * 1024, 1024 * 1024 };
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
	ck_assert_int_ne(http_get(c, fileurl, PW_HTTP_SPOOL, &r, err, sizeof err), 0);
	ck_assert_msg(strstr(err, "cannot write the body to a temporary file"), "%s", err);
	http_free(c);
	unlink(path);
	free(want);
	free(got);
}

END_TEST

/* A large spool's descriptor is closed by a thread of its own (freeing
 * its pages took the run 40 ms): it is closed all the same, soon. */
START_TEST(a_large_spool_is_closed_beside_the_run)
{
	enum { SIZE = 9 * 1024 * 1024 };

	char path[128], fileurl[200];
	snprintf(path, sizeof path, "/tmp/pw-test-http-big-%d", (int)getpid());
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	for (size_t i = 0; i < SIZE; i++)
		fputc('a' + (int)(i % 26), f);
	ck_assert_int_eq(fclose(f), 0);
	snprintf(fileurl, sizeof fileurl, "file://%s", path);
	http_client *c = spooling_client();
	pw_response *r = spooled(c, fileurl, SIZE);
	int fd = r->fd;
	http_response_free(r);
	int closed = 0;
	for (int i = 0; i < 500 && !closed; i++) {
		closed = fcntl(fd, F_GETFD) == -1 && errno == EBADF;
		if (!closed)
			usleep(10 * 1000);
	}
	ck_assert_msg(closed, "the spool's descriptor %d is still open after 5 s", fd);
	http_free(c);
	unlink(path);
}

END_TEST

START_TEST(conditional_get_after_validators_are_committed)
{
	char err[512], db[128], cmd[512];
	snprintf(db, sizeof db, "/tmp/pw-test-http-%d.db", (int)getpid());
	snprintf(cmd, sizeof cmd, "rm -f %s %s-wal %s-shm", db, db, db);
	ck_assert_int_eq(system(cmd), 0);
	pw_store *s = store_open(db, err, sizeof err);
	http_client *c = client(s);
	pw_response *r;
	ck_assert_int_eq(http_get(c, url("/fixture/api_empty.atom"), PW_HTTP_CONDITIONAL, &r, err, sizeof err), 0);
	ck_assert_int_eq(r->code, 200);
	ck_assert_ptr_nonnull(http_response_header(r, "ETag"));
	http_response_free(r);
	/* Not committed yet: the next request is unconditional. */
	ck_assert_int_eq(http_get(c, url("/fixture/api_empty.atom"), PW_HTTP_CONDITIONAL, &r, err, sizeof err), 0);
	ck_assert_int_eq(r->code, 200);
	http_response_free(r);
	ck_assert_int_eq(http_commit_validators(c, s), 0);
	ck_assert_int_eq(http_get(c, url("/fixture/api_empty.atom"), PW_HTTP_CONDITIONAL, &r, err, sizeof err), 0);
	ck_assert_int_eq(r->code, 304);
	ck_assert_uint_eq(r->len, 0);
	http_response_free(r);
	http_free(c);
	store_close(s);
	unlink(db);
}

END_TEST

START_TEST(arxiv_hosts_share_a_3_second_spacing)
{
	http_client *c = client(NULL);
	ck_assert_double_eq_tol(http_spacing_for(c, "https://export.arxiv.org/api/query"), 3.0, 1e-9);
	ck_assert_double_eq_tol(http_spacing_for(c, "https://rss.arxiv.org/rss/cs"), 3.0, 1e-9);
	ck_assert_double_eq_tol(http_spacing_for(c, "https://oaipmh.arxiv.org/oai"), 3.0, 1e-9);
	ck_assert_double_eq_tol(http_spacing_for(c, "http://127.0.0.1:9/x"), 0.0, 1e-9);
	ck_assert_double_eq_tol(http_spacing_for(c, "file:///tmp/x"), 0.0, 1e-9);
	http_free(c);
}

END_TEST

static Suite *
http_suite(void)
{
	Suite *s = suite_create("http");
	TCase *tc = tcase_create("http");
	tcase_add_unchecked_fixture(tc, start_server, stop_server);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, user_agent_names_paperwire_and_contact);
	tcase_add_test(tc, retry_after_is_honoured_on_429);
	tcase_add_test(tc, final_503_is_returned_with_its_code);
	tcase_add_test(tc, backoff_holds_the_next_request_and_any_header_is_kept);
	tcase_add_test(tc, truncated_body_is_an_error);
	tcase_add_test(tc, slow_body_times_out);
	tcase_add_test(tc, size_cap_is_enforced);
	tcase_add_test(tc, only_http_https_and_file);
	tcase_add_test(tc, a_spooled_body_arrives_whole_or_is_said_unwritable);
	tcase_add_test(tc, a_large_spool_is_closed_beside_the_run);
	tcase_add_test(tc, conditional_get_after_validators_are_committed);
	tcase_add_test(tc, arxiv_hosts_share_a_3_second_spacing);
	suite_add_tcase(s, tc);
	return s;
}

PW_CHECK_MAIN(http_suite)
