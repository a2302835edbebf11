/* Tests of the tags pane: drawn into a real curses window (a terminal on
 * /dev/null, monochrome theme) and read back cell by cell. */
#include "config.h"

#include <check.h>
#include <curses.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "pane_tags.h"
#include "tags.h"
#include "theme.h"

#define SCENARIO "{\"head\":\"abc1234\",\"branch\":\"main\",\"dirty\":false," \
	"\"tags\":[{\"name\":\"v1.2.3\",\"date\":\"2026-11-20T10:00:00Z\"," \
	"\"commit\":\"abc1234\",\"message\":\"Release 1.2.3\"}," \
	"{\"name\":\"v1.2.2\",\"date\":\"2026-11-01T09:00:00Z\"," \
	"\"commit\":\"def5678\",\"message\":\"Release 1.2.2\\nbody\"}," \
	"{\"name\":\"v1.2.3-rc.1\",\"date\":\"2026-11-18\",\"commit\":" \
	"\"aaa1111\"},{\"name\":\"assets\",\"target\":\"blob\"," \
	"\"commit\":\"bbb2222\"}]," \
	"\"recent\":[{\"commit\":\"abc1234\",\"subject\":\"Bump to 1.2.3\"}," \
	"{\"commit\":\"def5678\",\"subject\":\"Fix login\"}]}"

static SCREEN *scr;
static WINDOW *win;

static void
setup(void)
{
	FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
	char msg[256];

	setlocale(LC_ALL, "C.UTF-8");
	setenv("NO_COLOR", "1", 1);
	scr = newterm("xterm", out, in);
	ck_assert(scr != NULL);
	theme_init(NULL, msg, sizeof(msg));
	win = newwin(24, 80, 0, 0);
}

static void
teardown(void)
{
	delwin(win);
	endwin();
	delscreen(scr);
}

static struct tag_list *
scenario(const char *text)
{
	cJSON *j = cJSON_Parse(text);
	struct tag_list *tl = tag_list_from_json(j, NULL);

	ck_assert(tl != NULL);
	cJSON_Delete(j);
	return tl;
}

/* Row Y of the window as text, trailing blanks cut. */
static const char *
row(int y)
{
	static char buf[256];
	int n;

	memset(buf, 0, sizeof(buf));
	mvwinnstr(win, y, 0, buf, 80);
	n = (int)strlen(buf);
	while (n > 0 && buf[n - 1] == ' ')
		buf[--n] = '\0';
	return buf;
}

static int
screen_has(const char *text)
{
	for (int y = 0; y < 24; y++)
		if (strstr(row(y), text))
			return y;
	return -1;
}

static void
draw(const struct tag_list *tl, struct rect r, int sel, int top,
     const char *const *marks)
{
	werase(win);
	pane_tags_draw(win, r, tl, NULL, sel, top, marks);
}

START_TEST(test_pane_tags_columns_marks_and_recent)
{
	struct tag_list *tl = scenario(SCENARIO);
	const char *marks[] = { "RESTORE_VERSION=1.2.2",
				"ROLLBACK_VERSION=v1.2.3", NULL };
	struct rect r = { 0, 0, 24, 80 };

	draw(tl, r, -1, 0, marks);
	ck_assert_msg(strstr(row(0), "main @ abc1234  clean  4 tags"), "%s",
		      row(0));
	ck_assert_msg(strstr(row(1), "HEAD,ROLLBACK v1.2.3"), "%s", row(1));
	ck_assert_msg(strstr(row(1), "2026-11-20 abc1234 Release 1.2.3"), "%s",
		      row(1));
	ck_assert_msg(strstr(row(2), "v1.2.3-rc.1"), "%s", row(2));
	ck_assert_msg(strstr(row(3), "RESTORE"), "%s", row(3));
	ck_assert_msg(strstr(row(3), "Release 1.2.2") &&
		      !strstr(row(3), "body"), "%s", row(3));
	ck_assert_msg(strstr(row(4), "assets") && strstr(row(4), "blob"),
		      "%s", row(4));
	ck_assert_int_eq(screen_has("Recent commits"), 5);
	ck_assert_msg(strstr(row(6), "abc1234 Bump to 1.2.3"), "%s", row(6));
	tag_list_free(tl);
}
END_TEST

START_TEST(test_pane_tags_selection_and_name_at)
{
	struct tag_list *tl = scenario(SCENARIO);
	struct rect r = { 0, 0, 24, 80 };

	draw(tl, r, 2, 0, NULL);
	ck_assert(mvwinch(win, 3, 40) & A_REVERSE);
	ck_assert(!(mvwinch(win, 2, 40) & A_REVERSE));
	ck_assert_str_eq(pane_tags_name_at(tl, 2), "v1.2.2");
	ck_assert_ptr_null(pane_tags_name_at(tl, 4));
	ck_assert_ptr_null(pane_tags_name_at(tl, -1));
	ck_assert_ptr_null(pane_tags_name_at(NULL, 0));
	tag_list_free(tl);
}
END_TEST

START_TEST(test_pane_tags_never_prints_escapes)
{
	struct tag_list *tl = scenario("[{\"name\":\"v1.0.0\",\"message\":"
		"\"\\u001b]0;pwned\\u0007\\u001b[2J evil\"},"
		"\"v\\u001b[31mred\"]");
	struct rect r = { 0, 0, 24, 80 };

	draw(tl, r, -1, 0, NULL);
	for (int y = 0; y < 24; y++)
		ck_assert_msg(!strchr(row(y), '\x1b') && !strchr(row(y), '\a'),
			      "row %d: %s", y, row(y));
	ck_assert(screen_has("evil") > 0);
	tag_list_free(tl);
}
END_TEST

START_TEST(test_pane_tags_fits_narrow_panes)
{
	struct tag_list *tl = scenario(SCENARIO);
	struct rect r = { 0, 10, 12, 30 };

	draw(tl, r, -1, 0, NULL);
	for (int y = 0; y < 24; y++) {
		int last = (int)strlen(row(y)) - 1;

		ck_assert_msg(last < 40, "row %d runs past the pane: %s", y,
			      row(y));
	}
	ck_assert(screen_has("v1.2.3-rc.1") > 0);
	ck_assert(screen_has("2026-11-20") > 0);
	tag_list_free(tl);
}
END_TEST

START_TEST(test_pane_tags_errors_and_stale)
{
	struct tag_list *tl = tag_list_new_error("repo", "repo: not a git "
						 "repository");
	struct tag_list *stale = scenario(SCENARIO);
	struct rect r = { 0, 0, 24, 80 };

	draw(NULL, r, -1, 0, NULL);
	ck_assert(screen_has("Reading tags") == 0);
	draw(tl, r, -1, 0, NULL);
	ck_assert_msg(screen_has("Tags unavailable: repo: not a git") == 0,
		      "%s", row(0));
	stale->error = strdup("repo: No such file or directory");
	stale->is_stale = 1;
	draw(stale, r, -1, 0, NULL);
	ck_assert_msg(strstr(row(1), "STALE: repo: No such file"), "%s",
		      row(1));
	ck_assert(screen_has("v1.2.3") == 2);
	tag_list_free(tl);
	tag_list_free(stale);
}
END_TEST

START_TEST(test_pane_tags_scrolls_many_tags)
{
	char json[20000] = "[";
	struct tag_list *tl;
	struct rect r = { 0, 0, 24, 80 };

	for (int i = 0; i < 300; i++)
		snprintf(json + strlen(json), sizeof(json) - strlen(json),
			 "%s\"v1.0.%d\"", i ? "," : "", i);
	strcat(json, "]");
	tl = scenario(json);
	ck_assert_int_eq(pane_tags_rows(r, tl), 23);
	draw(tl, r, 100, 95, NULL);
	ck_assert_msg(strstr(row(1), "v1.0.204"), "%s", row(1));
	ck_assert(mvwinch(win, 6, 30) & A_REVERSE);
	draw(tl, r, 0, 1000, NULL);
	ck_assert_msg(strstr(row(23), "v1.0.0"), "clamped: %s", row(23));
	tag_list_free(tl);
}
END_TEST

static Suite *
pane_tags_suite(void)
{
	Suite *su = suite_create("pane_tags");
	TCase *tc = tcase_create("draw");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_pane_tags_columns_marks_and_recent);
	tcase_add_test(tc, test_pane_tags_selection_and_name_at);
	tcase_add_test(tc, test_pane_tags_never_prints_escapes);
	tcase_add_test(tc, test_pane_tags_fits_narrow_panes);
	tcase_add_test(tc, test_pane_tags_errors_and_stale);
	tcase_add_test(tc, test_pane_tags_scrolls_many_tags);
	suite_add_tcase(su, tc);
	return su;
}

int
main(void)
{
	SRunner *sr = srunner_create(pane_tags_suite());
	int n_failed;

	srunner_run_all(sr, CK_ENV);
	n_failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return n_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
