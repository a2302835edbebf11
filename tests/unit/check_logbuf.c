/* The console's bounded log ring (tui/logbuf.c): blocks of lines as a
 * flood hands them over, with and without the caller's line count. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logbuf.h"
#include "strbuf.h"

/* "PREFIX0\nPREFIX1\n...PREFIX(N-1)" in SB. */
static void
make_block(struct strbuf *sb, const char *prefix, int n)
{
	strbuf_reset(sb);
	for (int i = 0; i < n; i++)
		strbuf_addf(sb, i ? "\n%s%d" : "%s%d", prefix, i);
}

static void
assert_line(struct logbuf *lb, size_t i, const char *want)
{
	enum log_kind kind;
	const char *got = logbuf_line(lb, i, &kind);

	ck_assert_ptr_nonnull(got);
	ck_assert_str_eq(got, want);
	ck_assert_int_eq(kind, LOG_OUTPUT);
}

/* A block smaller than the ring is kept whole, its lines in order. */
START_TEST(test_logbuf_keeps_a_small_block)
{
	struct logbuf *lb = logbuf_new(10);
	struct strbuf sb = STRBUF_INIT;

	make_block(&sb, "a", 4);
	logbuf_add_lines(lb, LOG_OUTPUT, sb.buf, sb.len, _i ? 4 : 0);
	ck_assert_uint_eq(logbuf_count(lb), 4);
	ck_assert_uint_eq(logbuf_total(lb), 4);
	assert_line(lb, 0, "a0");
	assert_line(lb, 3, "a3");
	ck_assert_ptr_null(logbuf_line(lb, 4, NULL));
	strbuf_done(&sb);
	logbuf_free(lb);
}
END_TEST

/* A block larger than the ring keeps its last lines; the total counts
 * every line, whether the caller gave the count (_i = 1) or not. */
START_TEST(test_logbuf_keeps_the_end_of_a_flood)
{
	struct logbuf *lb = logbuf_new(100);
	struct strbuf sb = STRBUF_INIT;
	char want[32];

	make_block(&sb, "x", 5000);
	logbuf_add_lines(lb, LOG_OUTPUT, sb.buf, sb.len, _i ? 5000 : 0);
	make_block(&sb, "y", 30);
	logbuf_add_lines(lb, LOG_OUTPUT, sb.buf, sb.len, _i ? 30 : 0);
	ck_assert_uint_eq(logbuf_count(lb), 100);
	ck_assert_uint_eq(logbuf_total(lb), 5030);
	snprintf(want, sizeof(want), "x%d", 5000 - 70);
	assert_line(lb, 0, want);
	assert_line(lb, 69, "x4999");
	assert_line(lb, 70, "y0");
	assert_line(lb, 99, "y29");
	strbuf_done(&sb);
	logbuf_free(lb);
}
END_TEST

/* Single lines and blocks wrap around the ring many times over. */
START_TEST(test_logbuf_wraps_around)
{
	struct logbuf *lb = logbuf_new(7);
	struct strbuf sb = STRBUF_INIT;
	char want[32];
	int next = 0;

	for (int round = 0; round < 50; round++) {
		int n = 1 + round % 5;

		strbuf_reset(&sb);
		for (int i = 0; i < n; i++)
			strbuf_addf(&sb, i ? "\nl%d" : "l%d", next++);
		if (round % 2)
			logbuf_add_lines(lb, LOG_OUTPUT, sb.buf, sb.len, 0);
		else
			for (int i = next - n; i < next; i++) {
				snprintf(want, sizeof(want), "l%d", i);
				logbuf_add(lb, LOG_OUTPUT, want);
			}
	}
	ck_assert_uint_eq(logbuf_count(lb), 7);
	ck_assert_uint_eq(logbuf_total(lb), (unsigned long)next);
	for (int i = 0; i < 7; i++) {
		snprintf(want, sizeof(want), "l%d", next - 7 + i);
		assert_line(lb, (size_t)i, want);
	}
	strbuf_done(&sb);
	logbuf_free(lb);
}
END_TEST

/* Blocks and single lines keep their order, whether or not anybody
 * looked in between; many blocks pushed out before anybody looks are
 * dropped unsplit, and the count and total stay right meanwhile. */
START_TEST(test_logbuf_order_with_blocks_waiting)
{
	struct logbuf *lb = logbuf_new(50);
	struct strbuf sb = STRBUF_INIT;

	for (int b = 0; b < 1000; b++) {
		make_block(&sb, b % 2 ? "odd" : "even", 7);
		logbuf_add_lines(lb, LOG_OUTPUT, sb.buf, sb.len, 7);
		ck_assert_uint_eq(logbuf_count(lb), b * 7 + 7 < 50
				  ? (size_t)(b * 7 + 7) : 50);
	}
	ck_assert_uint_eq(logbuf_total(lb), 7000);
	logbuf_add(lb, LOG_EVENT, "event");
	make_block(&sb, "z", 3);
	logbuf_add_lines(lb, LOG_OUTPUT, sb.buf, sb.len, 0);
	ck_assert_uint_eq(logbuf_count(lb), 50);
	ck_assert_uint_eq(logbuf_total(lb), 7004);
	assert_line(lb, 49, "z2");
	assert_line(lb, 47, "z0");
	ck_assert_str_eq(logbuf_line(lb, 46, NULL), "event");
	assert_line(lb, 45, "odd6");	/* block 999 */
	assert_line(lb, 39, "odd0");
	assert_line(lb, 38, "even6");	/* block 998 */
	assert_line(lb, 0, "odd3");	/* block 993, its last 4 */
	strbuf_done(&sb);
	logbuf_free(lb);
}
END_TEST

/* A caller's line count that is wrong (too many, too few) costs
 * exactness, never memory safety: every line held is a string in the
 * block, and nothing leaks (valgrind). */
START_TEST(test_logbuf_survives_a_wrong_line_count)
{
	struct logbuf *lb = logbuf_new(4);
	struct strbuf sb = STRBUF_INIT;
	size_t n;

	make_block(&sb, "w", 3);
	logbuf_add_lines(lb, LOG_OUTPUT, sb.buf, sb.len, 1000);
	logbuf_add_lines(lb, LOG_OUTPUT, sb.buf, sb.len, 1);
	make_block(&sb, "v", 9);
	logbuf_add_lines(lb, LOG_OUTPUT, sb.buf, sb.len, 2);
	n = logbuf_count(lb);
	ck_assert_uint_le(n, 4);
	for (size_t i = 0; i < n; i++) {
		const char *l = logbuf_line(lb, i, NULL);

		ck_assert_ptr_nonnull(l);
		ck_assert(strlen(l) < sb.len + 1);
	}
	assert_line(lb, logbuf_count(lb) - 1, "v8");
	strbuf_done(&sb);
	logbuf_free(lb);
}
END_TEST

static Suite *
logbuf_suite(void)
{
	Suite *s = suite_create("logbuf");
	TCase *tc = tcase_create("logbuf");

	tcase_add_loop_test(tc, test_logbuf_keeps_a_small_block, 0, 2);
	tcase_add_loop_test(tc, test_logbuf_keeps_the_end_of_a_flood, 0, 2);
	tcase_add_test(tc, test_logbuf_wraps_around);
	tcase_add_test(tc, test_logbuf_order_with_blocks_waiting);
	tcase_add_test(tc, test_logbuf_survives_a_wrong_line_count);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(logbuf_suite());
	int n_failed;

	srunner_run_all(sr, CK_ENV);
	n_failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return n_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
