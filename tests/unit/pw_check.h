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

#define PW_CHECK_MAIN(make_suite)                                      \
	int main(void)                                                 \
	{                                                              \
		SRunner *sr = srunner_create(make_suite());            \
		srunner_run_all(sr, CK_NORMAL);                        \
		int failed = srunner_ntests_failed(sr);                \
		srunner_free(sr);                                      \
		return failed ? EXIT_FAILURE : EXIT_SUCCESS;           \
	}

#endif
