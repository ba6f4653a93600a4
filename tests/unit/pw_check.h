/* pw_check.h: the shared main() of the Check suites and fixture paths. */
#ifndef PW_CHECK_H
#define PW_CHECK_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>

static inline const char *
pw_env_dir(const char *name)
{
	const char *v = getenv(name);
	if (!v) {
		fprintf(stderr, "%s is not set: run the tests through 'make check'\n", name);
		exit(1);
	}
	return v;
}

/* A path under one of the test directories, in a static rotating buffer. */
static inline const char *
pw_path(const char *env, const char *rel)
{
	static char bufs[8][4096];
	static int next;
	char *b = bufs[next++ % 8];
	snprintf(b, sizeof bufs[0], "%s/%s", pw_env_dir(env), rel);
	return b;
}

/* 1 when the recorded responses (../shared/fixtures, set at configure
 * time) are here.  Not ours to commit, so a clone may lack them; then the
 * tests that read them are skipped, and this says which and why. */
static inline int
pw_have_fixtures(const char *skipped)
{
	char probe[4096];
	snprintf(probe, sizeof probe, "%s/SOURCES.md", pw_env_dir("PW_FIXTURES"));
	FILE *f = fopen(probe, "r");
	if (f) {
		fclose(f);
		return 1;
	}
	printf("SKIP: %s: the recorded fixtures are missing (%s); put ../shared/fixtures beside the checkout "
	       "or configure --with-fixtures\n",
	       skipped, pw_env_dir("PW_FIXTURES"));
	return 0;
}

/* The whole of a (small) file, in a static buffer overwritten by the next
 * call; *len gets its length when len is not NULL. */
static inline const char *
pw_read_file(const char *path, size_t *len)
{
	static char buf[1 << 16];
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot read %s", path);
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	ck_assert_msg(!ferror(f) && n < sizeof buf - 1, "%s: unreadable or larger than the test buffer", path);
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

#define PW_CHECK_MAIN(make_suite)                            \
	int main(void)                                       \
	{                                                    \
		SRunner *sr = srunner_create(make_suite());  \
		srunner_run_all(sr, CK_NORMAL);              \
		int failed = srunner_ntests_failed(sr);      \
		srunner_free(sr);                            \
		return failed ? EXIT_FAILURE : EXIT_SUCCESS; \
	}

/* A suite that only reads the recorded responses: skipped as a whole
 * (exit 77, automake's SKIP) when they are missing. */
#define PW_CHECK_MAIN_RECORDED(make_suite)                   \
	int main(void)                                       \
	{                                                    \
		if (!pw_have_fixtures(#make_suite))          \
			return 77;                           \
		SRunner *sr = srunner_create(make_suite());  \
		srunner_run_all(sr, CK_NORMAL);              \
		int failed = srunner_ntests_failed(sr);      \
		srunner_free(sr);                            \
		return failed ? EXIT_FAILURE : EXIT_SUCCESS; \
	}

#endif
