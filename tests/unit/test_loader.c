/* Tests of core/loader.c: every refusal names the file, the plugin and the
 * versions; an older minor loads; the bundled plugins load. */
#include "autoconf.h"

#include <string.h>

#include "loader.h"
#include "pw_check.h"

static char err[8192];

static int
load(const char *name, ldr_plugin *p)
{
	char rel[256];
	snprintf(rel, sizeof rel, "tests/plugins/%s.la", name);
	return ldr_load_file(pw_path("PW_BUILDDIR", rel), p, err, sizeof err);
}

static void
setup(void)
{
	ck_assert_int_eq(ldr_init(), 0);
}

static void
teardown(void)
{
	ldr_exit();
}

START_TEST(another_major_is_refused)
{
	ldr_plugin p;
	ck_assert_int_eq(load("bad_major", &p), -1);
	char want[256];
	snprintf(want, sizeof want,
	         "bad_major.la: refused: plugin 'bad_major' was built for plugin ABI %d.0, "
	         "but this paperwire %s speaks ABI %d.%d",
	         PW_ABI_MAJOR + 1, PACKAGE_VERSION, PW_ABI_MAJOR, PW_ABI_MINOR);
	ck_assert_msg(strstr(err, want), "%s", err);
}

END_TEST

START_TEST(a_newer_minor_is_refused)
{
	ldr_plugin p;
	ck_assert_int_eq(load("newer_minor", &p), -1);
	char want[256];
	snprintf(want, sizeof want,
	         "newer_minor.la: refused: plugin 'newer_minor' needs plugin ABI %d.%d, newer than "
	         "ABI %d.%d",
	         PW_ABI_MAJOR, PW_ABI_MINOR + 1, PW_ABI_MAJOR, PW_ABI_MINOR);
	ck_assert_msg(strstr(err, want), "%s", err);
}

END_TEST

START_TEST(no_entry_symbol_is_refused)
{
	ldr_plugin p;
	ck_assert_int_eq(load("no_entry", &p), -1);
	ck_assert_msg(strstr(err, "no_entry.la: refused: not a paperwire plugin: no 'pw_plugin_entry' symbol"), "%s",
	              err);
}

END_TEST

START_TEST(a_missing_callback_is_refused)
{
	ldr_plugin p;
	ck_assert_int_eq(load("no_callback", &p), -1);
	ck_assert_msg(strstr(err, "plugin 'no_callback' is a sink but has no 'write' callback"), "%s", err);
}

END_TEST

START_TEST(a_schema_that_breaks_the_rules_is_refused)
{
	ldr_plugin p;
	ck_assert_int_eq(load("bad_schema", &p), -1);
	ck_assert_msg(strstr(err,
	                     "plugin 'bad_schema': option \"threshold\": its default \"twelve\" is not JSON of its "
	                     "type (an integer)"),
	              "%s", err);
}

END_TEST

START_TEST(a_null_descriptor_is_refused)
{
	ldr_plugin p;
	ck_assert_int_eq(load("null_descriptor", &p), -1);
	ck_assert_msg(strstr(err, "pw_plugin_entry() returned no descriptor"), "%s", err);
}

END_TEST

START_TEST(an_older_minor_loads_with_zeroed_tail)
{
	ldr_plugin p;
	ck_assert_msg(load("old_minor", &p) == 0, "%s", err);
	ck_assert_str_eq(p.desc.name, "old_minor");
	ck_assert_ptr_nonnull(p.desc.score);
	ldr_unload(&p);
}

END_TEST

START_TEST(option_entries_are_read_at_the_size_the_plugin_declared)
{
	ldr_plugin p;
	ck_assert_msg(load("grown_options", &p) == 0, "%s", err);
	const pw_option *o = p.desc.options;
	ck_assert_str_eq(o[0].key, "first");
	ck_assert_str_eq(o[0].range, "0..9");
	ck_assert_str_eq(o[1].key, "second");
	ck_assert_str_eq(o[1].choices, "a|b");
	ck_assert_ptr_null(o[2].key);
	ck_assert_uint_eq(p.desc.option_size, sizeof(pw_option));
	ldr_unload(&p);
}

END_TEST

START_TEST(options_without_their_size_are_refused)
{
	ldr_plugin p;
	ck_assert_int_eq(load("no_option_size", &p), -1);
	ck_assert_msg(strstr(err, "no_option_size.la: refused: plugin 'no_option_size': its options declare 0 bytes an "
	                          "entry") &&
	                      strstr(err, "PW_OPTIONS(array)"),
	              "%s", err);
}

END_TEST

START_TEST(scan_refuses_duplicates_and_keeps_the_first)
{
	const char *dirs[] = { pw_path("PW_BUILDDIR", "tests/plugins/.libs"), pw_path("PW_BUILDDIR", "plugins"),
		               "relative/dir" };
	ldr_registry *reg = ldr_scan(dirs, 3);
	ck_assert_ptr_nonnull(reg);
	const ldr_plugin *dup = ldr_find(reg, "dup");
	ck_assert_ptr_nonnull(dup);
	ck_assert_msg(strstr(dup->path, "dup_first"), "%s", dup->path);
	int saw_dup = 0;
	for (size_t i = 0; i < reg->nrefusals; i++)
		if (strstr(reg->refusals[i], "dup_second.") &&
		    strstr(reg->refusals[i], ": refused: duplicate plugin name 'dup', already provided by"))
			saw_dup = 1;
	ck_assert(saw_dup);
	/* bad_major newer_minor no_entry no_callback null_descriptor bad_schema dup_second no_option_size */
	ck_assert_uint_eq(reg->nrefusals, 8);
	ck_assert_ptr_nonnull(ldr_find(reg, "arxiv"));
	ck_assert_ptr_nonnull(ldr_find(reg, "keyword"));
	ck_assert_ptr_nonnull(ldr_find(reg, "markdown"));
	ck_assert_int_eq(ldr_find(reg, "markdown")->desc.kind, PW_KIND_SINK);
	ck_assert_uint_eq(reg->ndirs, 2); /* the relative entry is never searched */
	ldr_registry_free(reg);
}

END_TEST

static Suite *
loader_suite(void)
{
	Suite *s = suite_create("loader");
	TCase *tc = tcase_create("loader");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, another_major_is_refused);
	tcase_add_test(tc, a_newer_minor_is_refused);
	tcase_add_test(tc, option_entries_are_read_at_the_size_the_plugin_declared);
	tcase_add_test(tc, options_without_their_size_are_refused);
	tcase_add_test(tc, no_entry_symbol_is_refused);
	tcase_add_test(tc, a_missing_callback_is_refused);
	tcase_add_test(tc, a_schema_that_breaks_the_rules_is_refused);
	tcase_add_test(tc, a_null_descriptor_is_refused);
	tcase_add_test(tc, an_older_minor_loads_with_zeroed_tail);
	tcase_add_test(tc, scan_refuses_duplicates_and_keeps_the_first);
	suite_add_tcase(s, tc);
	return s;
}

PW_CHECK_MAIN(loader_suite)
