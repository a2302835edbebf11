/* The registry pane drawn into a real curses window (a terminal whose
 * output goes to /dev/null) and read back cell by cell: layout at 80
 * columns, order, marks, stale and fault lines, sanitizing, scrolling. */
#include "config.h"

#include <check.h>
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "pane_registry.h"
#include "registry.h"

static SCREEN *scr;
static FILE *out, *in;
static WINDOW *win;

static void
setup(void)
{
	setenv("TERM", "xterm", 1);
	setenv("LINES", "40", 1);
	setenv("COLUMNS", "80", 1);
	setenv("TZ", "UTC", 1);
	tzset();
	out = fopen("/dev/null", "w");
	in = fopen("/dev/null", "r");
	scr = newterm("xterm", out, in);
	ck_assert_ptr_nonnull(scr);
	win = newwin(40, 80, 0, 0);
}

static void
teardown(void)
{
	delwin(win);
	endwin();
	delscreen(scr);
	fclose(out);
	fclose(in);
}

/* Row Y of the window, trailing blanks trimmed. */
static const char *
row(int y)
{
	static char buf[128];
	int n;

	n = mvwinnstr(win, y, 0, buf, 80);
	if (n < 0)
		n = 0;
	buf[n] = '\0';
	while (n > 0 && buf[n - 1] == ' ')
		buf[--n] = '\0';
	return buf;
}

static int64_t
us(const char *t)
{
	int64_t v;

	ck_assert_int_eq(clock_parse_rfc3339(t, &v), 0);
	return v;
}

static struct reg_answer *
npm_answer(void)
{
	static const char json[] =
		"{\"type\":\"npm\",\"package\":\"rewind-fixture\","
		"\"source\":\"127.0.0.1:4873\","
		"\"fetched_at\":\"2026-11-21T20:00:00Z\","
		"\"dist-tags\":{\"latest\":\"1.2.3\",\"beta\":\"1.3.0-beta.1\"},"
		"\"versions\":{\"1.2.1\":{\"time\":\"2026-11-20T10:00:00Z\","
		"\"deprecated\":\"leaks\\u001b[31m handles\"},"
		"\"1.2.2\":{\"time\":\"2026-11-20T11:00:00Z\"},"
		"\"1.2.3\":{\"time\":\"2026-11-20T12:30:00Z\"},"
		"\"1.3.0-beta.1\":{}}}";
	struct reg_answer *a = reg_answer_from_json(json, strlen(json),
						    REG_NPM, "x", NULL);

	ck_assert_ptr_nonnull(a);
	return a;
}

START_TEST(test_pane_registry_npm_layout_at_80_columns)
{
	struct reg_answer *a = npm_answer();
	const struct reg_answer *list[] = { a };
	const char *marks[] = { "ROLLBACK_VERSION=1.2.3",
				"RESTORE_VERSION=1.2.2", NULL };
	struct rect r = { 0, 0, 40, 80 };

	pane_registry_draw(win, r, list, 1, 0, marks,
			   us("2026-11-21T20:00:12Z"));
	ck_assert_str_eq(row(0), " npm rewind-fixture @ 127.0.0.1:4873 12s ago");
	ck_assert_str_eq(row(1), " dist-tags: latest=1.2.3 beta=1.3.0-beta.1");
	ck_assert_str_eq(row(2), "  1.3.0-beta.1 -                <beta>");
	ck_assert_str_eq(row(3), "  1.2.3        2026-11-20 12:30 <latest> "
			 "ROLLBACK");
	ck_assert_str_eq(row(4), "  1.2.2        2026-11-20 11:00 RESTORE");
	ck_assert(!strncmp(row(5), "  1.2.1        2026-11-20 10:00 "
			   "DEPRECATED: leaks", 49));
	ck_assert_ptr_null(strchr(row(5), '\x1b'));
	ck_assert_str_eq(row(6), "");
	ck_assert_int_eq(pane_registry_lines(r, list, 1, marks), 6);
	reg_answer_free(a);
}
END_TEST

/* A version variable set with a leading "v" (as a tag is named) marks
 * the registry's version too, as it marks the tag in the Tags pane. */
START_TEST(test_pane_registry_marks_ignore_a_v_prefix)
{
	struct reg_answer *a = npm_answer();
	const struct reg_answer *list[] = { a };
	const char *marks[] = { "RESTORE_VERSION=v1.2.2", NULL };
	struct rect r = { 0, 0, 40, 80 };

	pane_registry_draw(win, r, list, 1, 0, marks,
			   us("2026-11-21T20:00:12Z"));
	ck_assert_str_eq(row(4), "  1.2.2        2026-11-20 11:00 RESTORE");
	reg_answer_free(a);
}
END_TEST

START_TEST(test_pane_registry_stale_answer_shows_age_and_fault)
{
	struct reg_answer *a = npm_answer();
	const struct reg_answer *list[] = { a };
	struct rect r = { 0, 0, 40, 80 };

	a->stale = 1;
	reg_answer_set_error(a, "127.0.0.1:4873: Failed to connect: "
			     "Connection refused");
	pane_registry_draw(win, r, list, 1, 0, NULL,
			   us("2026-11-21T20:03:30Z"));
	ck_assert_str_eq(row(0), " npm rewind-fixture @ 127.0.0.1:4873 stale 3m");
	ck_assert_str_eq(row(1), " ! 127.0.0.1:4873: Failed to connect: "
			 "Connection refused");
	ck_assert_str_eq(row(2), " dist-tags: latest=1.2.3 beta=1.3.0-beta.1");
	reg_answer_free(a);
}
END_TEST

START_TEST(test_pane_registry_unconfigured_and_pypi_yanked)
{
	static const char py[] =
		"{\"type\":\"pypi\",\"package\":\"proj\",\"versions\":{"
		"\"1.3.2\":{\"time\":\"2026-10-09T08:00:00Z\"},"
		"\"1.4.0\":{\"yanked\":true,\"yanked_reason\":\"bad wheel\"}}}";
	struct reg_answer *none = reg_answer_new(REG_NPM, "pkg");
	struct reg_answer *p = reg_answer_from_json(py, strlen(py), REG_PYPI,
						    "x", NULL);
	const struct reg_answer *list[] = { none, p };
	struct rect r = { 0, 0, 40, 80 };

	reg_answer_set_error(none, "no npm registry configured for pkg: set "
			     "registry=URL in an .npmrc");
	pane_registry_draw(win, r, list, 2, 0, NULL, 0);
	ck_assert_str_eq(row(0), " npm pkg");
	ck_assert_str_eq(row(1), " ! no npm registry configured for pkg: set "
			 "registry=URL in an .npmrc");
	ck_assert_str_eq(row(2), "");
	ck_assert_str_eq(row(3), " pypi proj");
	ck_assert_str_eq(row(4), "  1.4.0   -                YANKED bad wheel");
	ck_assert_str_eq(row(5), "  1.3.2   2026-10-09 08:00");
	reg_answer_free(none);
	reg_answer_free(p);
}
END_TEST

START_TEST(test_pane_registry_scrolls_and_clips_to_narrow_width)
{
	struct reg_answer *a = npm_answer();
	const struct reg_answer *list[] = { a };
	struct rect r = { 0, 0, 3, 30 };

	pane_registry_draw(win, r, list, 1, 2, NULL, us("2026-11-21T20:00:12Z"));
	ck_assert_str_eq(row(0), "  1.3.0-beta.1 -");
	ck_assert_str_eq(row(1), "  1.2.3        2026-11-20 12:3");
	ck_assert_str_eq(row(3), "");
	reg_answer_free(a);
}
END_TEST

START_TEST(test_pane_registry_no_targets)
{
	struct rect r = { 0, 0, 5, 80 };

	pane_registry_draw(win, r, NULL, 0, 0, NULL, 0);
	ck_assert_str_eq(row(0), " No registry targets in this playbook.");
}
END_TEST

static Suite *
pane_registry_suite(void)
{
	Suite *s = suite_create("pane_registry");
	TCase *tc = tcase_create("pane_registry");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_pane_registry_npm_layout_at_80_columns);
	tcase_add_test(tc, test_pane_registry_marks_ignore_a_v_prefix);
	tcase_add_test(tc, test_pane_registry_stale_answer_shows_age_and_fault);
	tcase_add_test(tc, test_pane_registry_unconfigured_and_pypi_yanked);
	tcase_add_test(tc, test_pane_registry_scrolls_and_clips_to_narrow_width);
	tcase_add_test(tc, test_pane_registry_no_targets);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(pane_registry_suite());
	int n_failed;

	srunner_run_all(sr, CK_ENV);
	n_failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return n_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
