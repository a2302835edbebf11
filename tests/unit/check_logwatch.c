/* Following log files like tail -F, on real files: start at the end with
 * context, partial and long lines, rotation, truncation, a file that
 * appears later, and pattern counters over a window with thresholds. */
#include "config.h"

#include <check.h>
#include <fcntl.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.h"
#include "logwatch.h"
#include "loop.h"
#include "strbuf.h"
#include "testutil.h"
#include "xalloc.h"

struct fx {
	char *tmp;
	char *path;
	struct clock clk;
	struct loop *loop;
	struct logwatch *w;
	struct strbuf lines;	/* "flags:line\n" per delivery */
	int n_lines;
	int n_alerts;
	int last_alert_count;
	size_t last_alert_counter;
};

static void
on_line(const char *line, size_t len, int flags, void *arg)
{
	struct fx *f = arg;

	ck_assert_uint_eq(strlen(line), len);
	strbuf_addf(&f->lines, "%s%s%s%s\n",
		    flags & LOGWATCH_BACKLOG ? "B:" : "",
		    flags & LOGWATCH_CUT ? "C:" : "",
		    flags & LOGWATCH_NOTICE ? "N:" : "", line);
	f->n_lines++;
}

static void
on_threshold(size_t i, int count, void *arg)
{
	struct fx *f = arg;

	f->n_alerts++;
	f->last_alert_count = count;
	f->last_alert_counter = i;
}

static void
fx_init(struct fx *f, int manual_clock)
{
	memset(f, 0, sizeof(*f));
	f->tmp = tu_mkdtemp();
	f->path = xasprintf("%s/app.log", f->tmp);
	clock_init_manual(&f->clk, 1795289400000000LL, 1000000);
	f->loop = loop_new(manual_clock ? &f->clk : NULL);
	strbuf_init(&f->lines);
}

static void
fx_watch(struct fx *f, size_t max_line)
{
	struct logwatch_opts o = {
		.path = f->path, .max_line = max_line, .interval_us = 20000,
		.on_line = on_line, .on_threshold = on_threshold, .arg = f,
	};

	f->w = logwatch_new(f->loop, &o);
}

static void
fx_done(struct fx *f)
{
	logwatch_free(f->w);
	loop_free(f->loop);
	strbuf_done(&f->lines);
	tu_rmtree(f->tmp);
	free(f->tmp);
	free(f->path);
}

static void
append(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0600);

	ck_assert_msg(fd >= 0, "open %s", path);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

/* What was delivered since the last call, then forget it. */
static char *
take(struct fx *f)
{
	char *s = xstrdup(strbuf_str(&f->lines));

	strbuf_reset(&f->lines);
	return s;
}

static void
expect(struct fx *f, const char *want)
{
	char *got = take(f);

	ck_assert_str_eq(got, want);
	free(got);
}

START_TEST(test_logwatch_starts_at_end_with_context)
{
	struct fx f;
	struct strbuf sb = STRBUF_INIT;

	fx_init(&f, 0);
	for (int i = 1; i <= 15; i++)
		strbuf_addf(&sb, "old %d\n", i);
	append(f.path, sb.buf);
	fx_watch(&f, 0);
	ck_assert(logwatch_is_open(f.w));
	ck_assert_int_eq(f.n_lines, 10);
	expect(&f, "B:old 6\nB:old 7\nB:old 8\nB:old 9\nB:old 10\nB:old 11\n"
		   "B:old 12\nB:old 13\nB:old 14\nB:old 15\n");
	ck_assert_uint_eq(logwatch_n_lines(f.w), 0);
	append(f.path, "new 1\nnew 2\n");
	logwatch_check(f.w);
	expect(&f, "new 1\nnew 2\n");
	ck_assert_uint_eq(logwatch_n_lines(f.w), 2);
	ck_assert_msg(strstr(logwatch_status(f.w), "following") != NULL, "%s",
		      logwatch_status(f.w));
	strbuf_done(&sb);
	fx_done(&f);
}
END_TEST

START_TEST(test_logwatch_partial_line_waits_for_its_newline)
{
	struct fx f;

	fx_init(&f, 0);
	append(f.path, "first\nhalf a li");
	fx_watch(&f, 0);
	expect(&f, "B:first\n");
	append(f.path, "ne, the rest");
	logwatch_check(f.w);
	expect(&f, "");
	append(f.path, " and the end\r\nnext\n");
	logwatch_check(f.w);
	expect(&f, "half a line, the rest and the end\nnext\n");
	fx_done(&f);
}
END_TEST

START_TEST(test_logwatch_long_lines_are_cut)
{
	struct fx f;
	char big[200];

	fx_init(&f, 0);
	append(f.path, "");
	fx_watch(&f, 16);
	memset(big, 'x', sizeof(big) - 2);
	big[sizeof(big) - 2] = '\n';
	big[sizeof(big) - 1] = '\0';
	append(f.path, big);
	append(f.path, "short\n");
	logwatch_check(f.w);
	expect(&f, "C:xxxxxxxxxxxxxxxx\nshort\n");
	fx_done(&f);
}
END_TEST

START_TEST(test_logwatch_follows_rotation)
{
	struct fx f;
	char *old = NULL, *want;
	int fd;

	fx_init(&f, 0);
	append(f.path, "before\n");
	fx_watch(&f, 0);
	expect(&f, "B:before\n");
	old = xasprintf("%s.1", f.path);
	/* The writer still holds the old file after the rename. */
	fd = open(f.path, O_WRONLY | O_APPEND);
	ck_assert(rename(f.path, old) == 0);
	ck_assert_int_eq(write(fd, "late to old\n", 12), 12);
	close(fd);
	logwatch_check(f.w);
	expect(&f, "late to old\n");
	append(f.path, "fresh 1\nfresh 2\n");
	logwatch_check(f.w);
	want = xasprintf("N:%s was rotated; following the new file\n"
			 "fresh 1\nfresh 2\n", f.path);
	expect(&f, want);
	fx_done(&f);
	free(want);
	free(old);
}
END_TEST

START_TEST(test_logwatch_follows_truncation)
{
	struct fx f;

	fx_init(&f, 0);
	append(f.path, "one\ntwo\nthree\n");
	fx_watch(&f, 0);
	free(take(&f));
	append(f.path, "four\n");
	logwatch_check(f.w);
	expect(&f, "four\n");
	ck_assert(truncate(f.path, 0) == 0);
	append(f.path, "a\n");
	logwatch_check(f.w);
	{
		char *got = take(&f);

		ck_assert_msg(strncmp(got, "N:", 2) == 0 &&
			      strstr(got, "truncated") != NULL &&
			      strstr(got, "\na\n") != NULL, "got %s", got);
		free(got);
	}
	fx_done(&f);
}
END_TEST

START_TEST(test_logwatch_file_that_appears_later_is_read_from_start)
{
	struct fx f;
	char *got;

	fx_init(&f, 0);
	fx_watch(&f, 0);
	ck_assert(!logwatch_is_open(f.w));
	ck_assert_msg(strstr(logwatch_status(f.w), "waiting") != NULL, "%s",
		      logwatch_status(f.w));
	logwatch_check(f.w);
	expect(&f, "");
	append(f.path, "born 1\nborn 2\n");
	logwatch_check(f.w);
	got = take(&f);
	ck_assert_msg(strstr(got, "appeared") != NULL &&
		      strstr(got, "\nborn 1\nborn 2\n") != NULL, "got %s", got);
	ck_assert(logwatch_is_open(f.w));
	free(got);
	fx_done(&f);
}
END_TEST

START_TEST(test_logwatch_directory_is_a_clear_status)
{
	struct fx f;

	fx_init(&f, 0);
	free(f.path);
	f.path = xstrdup(f.tmp);
	fx_watch(&f, 0);
	ck_assert(!logwatch_is_open(f.w));
	ck_assert_msg(strstr(logwatch_status(f.w), "is a directory") != NULL,
		      "%s", logwatch_status(f.w));
	fx_done(&f);
}
END_TEST

START_TEST(test_logwatch_counter_window_and_threshold_crossings)
{
	struct fx f;
	regex_t re, re2;
	size_t err_i, all_i;

	fx_init(&f, 1);
	ck_assert(regcomp(&re, "ERROR", REG_EXTENDED | REG_NOSUB) == 0);
	ck_assert(regcomp(&re2, ".", REG_EXTENDED | REG_NOSUB) == 0);
	append(f.path, "ERROR old, not counted\n");
	fx_watch(&f, 0);
	err_i = logwatch_add_counter(f.w, &re, 3, 60 * 1000000LL);
	all_i = logwatch_add_counter(f.w, &re2, 0, 0);
	append(f.path, "ERROR a\ninfo\nERROR b\n");
	logwatch_check(f.w);
	ck_assert_int_eq(logwatch_count(f.w, err_i), 2);
	ck_assert_int_eq(f.n_alerts, 0);
	clock_advance(&f.clk, 30 * 1000000LL);
	append(f.path, "ERROR c\n");
	logwatch_check(f.w);
	ck_assert_int_eq(logwatch_count(f.w, err_i), 3);
	ck_assert_int_eq(f.n_alerts, 1);	/* crossed once */
	ck_assert_int_eq(f.last_alert_count, 3);
	ck_assert_uint_eq(f.last_alert_counter, err_i);
	ck_assert(logwatch_is_above(f.w, err_i));
	append(f.path, "ERROR d\n");
	logwatch_check(f.w);
	ck_assert_int_eq(f.n_alerts, 1);	/* still above: no repeat */
	/* a and b leave the window: 2 left, below the threshold */
	clock_advance(&f.clk, 31 * 1000000LL);
	logwatch_check(f.w);
	ck_assert_int_eq(logwatch_count(f.w, err_i), 2);
	ck_assert(!logwatch_is_above(f.w, err_i));
	append(f.path, "ERROR e\n");
	logwatch_check(f.w);
	ck_assert_int_eq(f.n_alerts, 2);	/* rose again */
	ck_assert_int_eq(logwatch_count(f.w, all_i), 6);
	ck_assert_int_eq(logwatch_count(f.w, 99), -1);
	logwatch_free(f.w);
	f.w = NULL;
	regfree(&re);
	regfree(&re2);
	fx_done(&f);
}
END_TEST

START_TEST(test_logwatch_loop_timer_delivers_appended_lines)
{
	struct fx f;
	const struct clock *c = clock_system();
	int64_t end;

	fx_init(&f, 0);
	append(f.path, "");
	fx_watch(&f, 0);
	append(f.path, "tick\n");
	end = clock_mono_now(c) + (int64_t)(3000000 * tu_slack());
	while (f.n_lines == 0 && clock_mono_now(c) < end)
		loop_run_once(f.loop, 100000);
	expect(&f, "tick\n");
	fx_done(&f);
}
END_TEST

static Suite *
logwatch_suite(void)
{
	Suite *s = suite_create("logwatch");
	struct {
		const char *name;
		const TTest *test;
	} cases[] = {
		{ "start", test_logwatch_starts_at_end_with_context },
		{ "partial", test_logwatch_partial_line_waits_for_its_newline },
		{ "long", test_logwatch_long_lines_are_cut },
		{ "rotation", test_logwatch_follows_rotation },
		{ "truncation", test_logwatch_follows_truncation },
		{ "appears", test_logwatch_file_that_appears_later_is_read_from_start },
		{ "directory", test_logwatch_directory_is_a_clear_status },
		{ "counters", test_logwatch_counter_window_and_threshold_crossings },
		{ "loop", test_logwatch_loop_timer_delivers_appended_lines },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		TCase *tc = tcase_create(cases[i].name);

		tcase_set_timeout(tc, 10);
		tcase_add_test(tc, cases[i].test);
		suite_add_tcase(s, tc);
	}
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(logwatch_suite());
	int n_failed;

	srunner_run_all(sr, CK_ENV);
	n_failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return n_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
