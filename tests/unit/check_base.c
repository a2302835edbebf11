/* Base utilities: errors, strings, clocks and time formats, cast files. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cast.h"
#include "clock.h"
#include "err.h"
#include "memscan.h"
#include "rtoclock.h"
#include "share.h"
#include "strbuf.h"
#include "suites.h"
#include "testhook.h"
#include "testutil.h"
#include "xalloc.h"

START_TEST(test_err_set_returns_minus_one_and_prefix_composes)
{
	struct err err = { 0 };

	ck_assert_int_eq(err_set(&err, ERR_IO, "open %s: %s", "x", "denied"), -1);
	ck_assert_int_eq(err.code, ERR_IO);
	ck_assert_int_eq(err_prefix(&err, "session %d", 7), -1);
	ck_assert_str_eq(err.msg, "session 7: open x: denied");
	ck_assert_int_eq(err_set(NULL, ERR_IO, "ignored"), -1);
	err_clear(&err);
	ck_assert_int_eq(err.code, ERR_NONE);
}
END_TEST

START_TEST(test_strbuf_grows_and_detaches)
{
	struct strbuf sb = STRBUF_INIT;
	char *s;

	ck_assert_str_eq(strbuf_str(&sb), "");
	for (int i = 0; i < 1000; i++)
		strbuf_addf(&sb, "%d,", i);
	strbuf_addc(&sb, '!');
	ck_assert_uint_eq(sb.len, strlen(sb.buf));
	ck_assert(strncmp(sb.buf, "0,1,2,", 6) == 0);
	s = strbuf_detach(&sb);
	ck_assert_ptr_null(sb.buf);
	ck_assert_int_eq(s[strlen(s) - 1], '!');
	free(s);
}
END_TEST

struct time_case {
	const char *text;
	long long us;	/* -1: must be rejected */
};

static const struct time_case times[] = {
	{ "2026-11-21T19:30:00Z", 1795289400000000LL },
	{ "2026-11-21T19:30:00.5Z", 1795289400500000LL },
	{ "2024-09-05T00:40:51.026000+00:00", 1725496851026000LL },
	{ "2015-06-14T14:38:05", 1434292685000000LL },
	{ "2015-06-14T14:38:05.875222Z", 1434292685875222LL },
	{ "2026-11-21T21:30:00+02:00", 1795289400000000LL },
	{ "2026-11-21", -1 },
	{ "2026-13-01T00:00:00Z", -1 },
	{ "yesterday", -1 },
	{ "2026-11-21T19:30:00Zjunk", -1 },
};

START_TEST(test_clock_parses_registry_timestamp_styles)
{
	int64_t us = 0;
	int rc = clock_parse_rfc3339(times[_i].text, &us);

	if (times[_i].us < 0) {
		ck_assert_msg(rc == -1, "%s accepted", times[_i].text);
	} else {
		ck_assert_msg(rc == 0, "%s rejected", times[_i].text);
		ck_assert_int_eq(us, times[_i].us);
	}
}
END_TEST

START_TEST(test_clock_format_round_trips)
{
	char buf[40];
	int64_t us;

	clock_format_rfc3339(1795289400123456LL, buf, sizeof(buf));
	ck_assert_str_eq(buf, "2026-11-21T19:30:00.123456Z");
	ck_assert_int_eq(clock_parse_rfc3339(buf, &us), 0);
	ck_assert_int_eq(us, 1795289400123456LL);
}
END_TEST

struct dur_case {
	const char *text;
	long long secs;	/* -1: rejected */
};

static const struct dur_case durs[] = {
	{ "90s", 90 }, { "15m", 900 }, { "1h30m", 5400 }, { "2h", 7200 },
	{ "45", 45 }, { "1h2m3s", 3723 }, { "", -1 }, { "5 minutes", -1 },
	{ "m", -1 }, { "10x", -1 }, { "1h30", -1 },
};

START_TEST(test_clock_parses_durations)
{
	int64_t us = 0;
	int rc = clock_parse_duration(durs[_i].text, &us);

	if (durs[_i].secs < 0) {
		ck_assert_msg(rc == -1, "\"%s\" accepted", durs[_i].text);
	} else {
		ck_assert_msg(rc == 0, "\"%s\" rejected", durs[_i].text);
		ck_assert_int_eq(us, durs[_i].secs * 1000000);
	}
}
END_TEST

START_TEST(test_manual_clock_moves_only_when_advanced)
{
	struct clock c;

	clock_init_manual(&c, 1000000000, 5);
	ck_assert_int_eq(clock_wall_now(&c), 1000000000);
	ck_assert_int_eq(clock_mono_now(&c), 5);
	clock_advance(&c, 250);
	ck_assert_int_eq(clock_wall_now(&c), 1000000250);
	ck_assert_int_eq(clock_mono_now(&c), 255);
}
END_TEST

START_TEST(test_cast_file_is_valid_asciicast_with_escaped_text)
{
	char *dir = tu_mkdtemp();
	char *path = xasprintf("%s/x.cast", dir);
	struct cast *c = cast_open(path, "echo \"hi\"", 1795289400000000LL, NULL);
	char *text, *line2;
	cJSON *hdr, *ev;
	struct stat st;

	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(cast_write(c, 1500000, "a\x1b[31m\"b\xff", 9, 1), 0);
	ck_assert_int_eq(cast_close(c, NULL), 0);
	text = tu_read_file(path, NULL);
	line2 = strchr(text, '\n') + 1;
	line2[strlen(line2) - 1] = '\0';
	*strchr(text, '\n') = '\0';
	hdr = cJSON_Parse(text);
	ev = cJSON_Parse(line2);
	ck_assert_int_eq(cJSON_GetObjectItem(hdr, "version")->valueint, 2);
	ck_assert_str_eq(cJSON_GetObjectItem(hdr, "command")->valuestring,
			 "echo \"hi\"");
	ck_assert_double_eq_tol(cJSON_GetArrayItem(ev, 0)->valuedouble, 1.5, 1e-9);
	ck_assert_str_eq(cJSON_GetArrayItem(ev, 1)->valuestring, "o");
	ck_assert_str_eq(cJSON_GetArrayItem(ev, 2)->valuestring,
			 "a\x1b[31m\"b\xef\xbf\xbd\r\n");
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	cJSON_Delete(hdr);
	cJSON_Delete(ev);
	free(text);
	free(path);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

/* Every length and alignment against a byte loop, for bytes that the
 * word trick could confuse (0, 0x80, 0xff, the high bit neighbours). */
START_TEST(test_mem_count_equals_a_byte_loop)
{
	static const unsigned char wanted[] = { '\n', 0, 0x80, 0xff, 0x7f };
	unsigned char buf[300];

	srand(7);
	for (size_t i = 0; i < sizeof(buf); i++) {
		static const unsigned char pool[] = { '\n', 0, 0x80, 0xff,
						      0x7f, 0x0b, 'a', 0x8a };

		buf[i] = pool[rand() % (int)sizeof(pool)];
	}
	for (size_t w = 0; w < sizeof(wanted); w++) {
		for (size_t off = 0; off < 8; off++) {
			for (size_t len = 0; off + len <= sizeof(buf); len += 3) {
				size_t naive = 0;

				for (size_t i = 0; i < len; i++)
					naive += buf[off + i] == wanted[w];
				ck_assert_uint_eq(mem_count(buf + off, wanted[w],
							    len), naive);
			}
		}
	}
}
END_TEST

/* The K-th newline from the end, a word at a time, is where a byte loop
 * finds it, at every alignment and for every K, none found included. */
START_TEST(test_mem_rfind_nth_equals_a_byte_loop)
{
	unsigned char buf[200];

	srand(11);
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = rand() % 3 ? 'x' : (rand() % 2 ? '\n' : 0x8a);
	for (size_t off = 0; off < 8; off++) {
		for (size_t len = 0; off + len <= sizeof(buf); len += 5) {
			for (size_t k = 0; k < 80; k++) {
				size_t naive = len, seen = 0;

				for (size_t i = len; k && i-- > 0;)
					if (buf[off + i] == '\n' && ++seen == k) {
						naive = i;
						break;
					}
				ck_assert_uint_eq(mem_rfind_nth(buf + off, '\n',
								len, k),
						  naive);
			}
		}
	}
}
END_TEST

/* A block of many lines larger than the write buffer, with quotes,
 * controls, invalid bytes and multi-byte characters at every position
 * relative to the buffer's end, comes back as one event of \r\n lines. */
START_TEST(test_cast_write_lines_escapes_a_large_block_exactly)
{
	static const char *const pieces[] = { "plain", "q\"b\\s", "\x1b[2J",
					      "\xc3\xa9t\xc3\xa9", "\xe2\x94\x80",
					      "bad\xff", "\t", "" };
	char *dir = tu_mkdtemp();
	char *path = xasprintf("%s/x.cast", dir);
	struct strbuf in = STRBUF_INIT, want = STRBUF_INIT;
	struct cast *c = cast_open(path, "flood", 0, NULL);
	char *text, *line2, *got;
	size_t at = 0;
	cJSON *ev;

	for (int i = 0; in.len < 200000; i++) {
		const char *p = pieces[i % 8];

		if (i)
			strbuf_addc(&in, '\n');
		strbuf_adds(&in, p);
		strbuf_adds(&want, strcmp(p, "bad\xff") == 0
				   ? "bad\xef\xbf\xbd" : p);
		strbuf_addf(&in, "%d", i);
		strbuf_addf(&want, "%d\r\n", i);
	}
	ck_assert_int_eq(cast_write_lines(c, 2000000, in.buf, in.len), 0);
	ck_assert_int_eq(cast_close(c, NULL), 0);
	text = tu_read_file(path, NULL);
	line2 = strchr(text, '\n') + 1;
	ev = cJSON_Parse(line2);
	ck_assert_ptr_nonnull(ev);
	ck_assert_double_eq_tol(cJSON_GetArrayItem(ev, 0)->valuedouble, 2.0, 1e-9);
	got = cJSON_GetArrayItem(ev, 2)->valuestring;
	while (got[at] && got[at] == want.buf[at])
		at++;
	ck_assert_msg(got[at] == want.buf[at], "differs at byte %zu", at);
	cJSON_Delete(ev);
	free(text);
	strbuf_done(&in);
	strbuf_done(&want);
	free(path);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

/* The text of every output event of the cast at PATH, joined. */
static char *
cast_text(const char *path)
{
	char *file = tu_read_file(path, NULL);
	struct strbuf out = STRBUF_INIT;

	for (char *l = strchr(file, '\n'); l && l[1]; l = strchr(l + 1, '\n')) {
		cJSON *ev = cJSON_Parse(l + 1);

		ck_assert_ptr_nonnull(ev);
		strbuf_adds(&out, cJSON_GetArrayItem(ev, 2)->valuestring);
		cJSON_Delete(ev);
	}
	free(file);
	return strbuf_detach(&out);
}

/* Short lines (where whole blocks of 16 bytes hold nothing to escape but
 * newlines) mixed with a byte to escape at every offset of a block, and
 * blocks cut by the end of the text: the block-wide path and the
 * byte-wide one (cast_write, a line at a time) write the same text. */
START_TEST(test_cast_write_lines_short_lines_match_the_byte_path)
{
	static const char *const odd[] = { "\"", "\\", "\x1b", "\xc3\xa9",
					   "\xff", "\t", "\x7f" };
	char *dir = tu_mkdtemp();
	char *fast = xasprintf("%s/fast.cast", dir);
	char *slow = xasprintf("%s/slow.cast", dir);
	struct strbuf in = STRBUF_INIT;
	unsigned seed = 7;

	for (int i = 0; in.len < 20000; i++) {
		seed = seed * 1103515245u + 12345u;
		strbuf_addf(&in, "%u", (seed >> 8) % (1u + (unsigned)i % 997));
		if ((seed >> 20) % 5 == 0)
			strbuf_adds(&in, odd[(seed >> 4) % 7]);
		strbuf_addc(&in, '\n');
	}
	/* 16 cuts: the end of the text at every offset of a block */
	for (size_t cut = in.len - 16; cut < in.len; cut++) {
		struct cast *f = cast_open(fast, "t", 0, NULL);
		struct cast *b = cast_open(slow, "t", 0, NULL);
		char *want, *got;
		size_t at;

		ck_assert_int_eq(cast_write_lines(f, 0, in.buf, cut), 0);
		/* TEXT ends before a newline: a last empty piece is a line. */
		for (const char *l = in.buf; l <= in.buf + cut;) {
			const char *nl = memchr(l, '\n', (size_t)(in.buf + cut - l));
			size_t n = nl ? (size_t)(nl - l) : (size_t)(in.buf + cut - l);

			ck_assert_int_eq(cast_write(b, 0, l, n, 1), 0);
			l += n + 1;
		}
		ck_assert_int_eq(cast_close_nosync(f, NULL), 0);
		ck_assert_int_eq(cast_close_nosync(b, NULL), 0);
		got = cast_text(fast);
		want = cast_text(slow);
		/* one assertion per cut: Check marks every assertion in
		 * its pipe, and one per byte timed out under ASan */
		at = 0;
		while (got[at] && got[at] == want[at])
			at++;
		ck_assert_msg(got[at] == want[at],
			      "cut %zu: differs at byte %zu: %.20s | %.20s",
			      cut, at, got + at, want + at);
		free(got);
		free(want);
	}
	strbuf_done(&in);
	free(fast);
	free(slow);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

/* /dev/full takes the open but fails every write with ENOSPC, as a full
 * disk would. */
START_TEST(test_cast_write_after_a_failed_write_is_a_noop)
{
	static char flood[70000];	/* more than the write buffer */
	struct err err = { 0 };
	struct cast *c;
	struct stat before, after;

	if (access("/dev/full", W_OK) < 0 || stat("/dev/full", &before) < 0)
		return;
	memset(flood, 'y', sizeof(flood));
	c = cast_open("/dev/full", "yes", 1795289400000000LL, &err);
	ck_assert_ptr_nonnull(c);
	/* The header is written at open, and that write failed. */
	ck_assert_int_eq(cast_write(c, 1000, "buffered", 8, 1), -1);
	ck_assert_int_eq(cast_write(c, 2000, flood, sizeof(flood), 1), -1);
	ck_assert_int_eq(cast_write(c, 3000, "later", 5, 1), -1);
	ck_assert_int_eq(cast_close(c, &err), -1);
	ck_assert_int_eq(err.code, ERR_IO);
	ck_assert_ptr_nonnull(strstr(err.msg, "/dev/full"));
	ck_assert_ptr_nonnull(strstr(err.msg, strerror(ENOSPC)));
	/* The no-sync close reports it the same way. */
	err_clear(&err);
	c = cast_open("/dev/full", "yes", 0, NULL);
	ck_assert_int_eq(cast_write(c, 0, flood, sizeof(flood), 0), -1);
	ck_assert_int_eq(cast_close_nosync(c, &err), -1);
	ck_assert_int_eq(err.code, ERR_IO);
	/* A device keeps its mode; only regular files are forced to 0600. */
	ck_assert_int_eq(stat("/dev/full", &after), 0);
	ck_assert_int_eq(after.st_mode, before.st_mode);
}
END_TEST

START_TEST(test_cast_open_truncates_an_old_file_to_mode_0600)
{
	char *dir = tu_mkdtemp();
	char *path = tu_write_file(dir, "old.cast", "old text\n", 9);
	struct cast *c;
	struct stat st;
	char *text;

	ck_assert_int_eq(chmod(path, 0644), 0);
	c = cast_open(path, "true", 0, NULL);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(cast_close_nosync(c, NULL), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0600);
	text = tu_read_file(path, NULL);
	ck_assert_str_eq(text, "{\"version\":2,\"width\":80,\"height\":24,"
			 "\"timestamp\":0,\"command\":\"true\"}\n");
	free(text);
	free(path);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

/* Lines of a followed cast, joined with '|'. */
static void
join_line(int64_t t_us, const char *text, size_t len, void *arg)
{
	struct strbuf *sb = arg;

	(void)t_us;
	strbuf_add(sb, text, len);
	strbuf_addc(sb, '|');
}

START_TEST(test_cast_is_on_disk_as_written_and_followed_by_whole_lines)
{
	char *dir = tu_mkdtemp();
	char *path = xasprintf("%s/run.cast", dir);
	struct strbuf got = STRBUF_INIT;
	struct cast *c = cast_open(path, "talk", 0, NULL);
	uint64_t off = 0;
	struct stat st;
	FILE *f;

	ck_assert_ptr_nonnull(c);
	/* The header is there at once: a recorder that dies leaves a
	 * valid cast. */
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_gt(st.st_size, 0);
	ck_assert_int_eq(cast_follow(path, &off, 4096, join_line, &got, NULL),
			 0);
	ck_assert_uint_eq(off, (uint64_t)st.st_size);
	cast_write(c, 1000, "one", 3, 1);
	cast_write_lines(c, 2000, "two\nthree", 9);
	ck_assert_int_eq(cast_flush(c), 0);
	ck_assert_int_eq(cast_follow(path, &off, 4096, join_line, &got, NULL),
			 3);
	ck_assert_str_eq(got.buf, "one|two|three|");
	/* A line still being written waits for its newline. */
	f = fopen(path, "a");
	fputs("[3.0, \"o\", \"fo", f);
	fclose(f);
	ck_assert_int_eq(cast_follow(path, &off, 4096, join_line, &got, NULL),
			 0);
	f = fopen(path, "a");
	fputs("ur\\r\\n\"]\n", f);
	fclose(f);
	ck_assert_int_eq(cast_follow(path, &off, 4096, join_line, &got, NULL),
			 1);
	ck_assert_str_eq(got.buf, "one|two|three|four|");
	ck_assert_int_eq(cast_close_nosync(c, NULL), 0);
	strbuf_done(&got);
	free(path);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_testhook_clock_reads_rewind_test_now)
{
	struct clock c;
	struct err err = { 0 };

	unsetenv("REWIND_TEST_NOW");
	ck_assert_int_eq(testhook_clock(&c, &err), 0);
	setenv("REWIND_TEST_NOW", "2026-11-21T19:30:00Z", 1);
	ck_assert_int_eq(testhook_clock(&c, &err), 1);
	ck_assert_int_ge(clock_wall_now(&c), 1795289400000000LL);
	ck_assert_int_lt(clock_wall_now(&c), 1795289400000000LL + 5000000);
	ck_assert(testhook_active());
	setenv("REWIND_TEST_NOW", "1795289400", 1);
	ck_assert_int_eq(testhook_clock(&c, &err), 1);
	ck_assert_int_lt(clock_wall_now(&c), 1795289400000000LL + 5000000);
	setenv("REWIND_TEST_NOW", "tomorrow", 1);
	ck_assert_int_eq(testhook_clock(&c, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "REWIND_TEST_NOW=tomorrow"));
}
END_TEST

START_TEST(test_testhook_idle_counter_rises)
{
	char *dir = tu_mkdtemp();
	char *path = xasprintf("%s/idle", dir);
	char *text;

	setenv("REWIND_TEST_IDLE", path, 1);
	testhook_idle();
	testhook_idle();
	text = tu_read_file(path, NULL);
	ck_assert_str_eq(text, "2\n");
	free(text);
	free(path);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

/* An interrupted run checked by hand is done at the earliest point the
 * journal knows after its effect: its process seen ended when that came
 * before the check; the check otherwise; never its start. */
START_TEST(test_rto_done_hand_check_takes_the_earliest_known_end)
{
	struct rto_done d = { 0 };
	cJSON *checked = cJSON_Parse("{\"note\":\"npm view\","
				     "\"interrupted_run_checked\":true}");
	cJSON *ok = cJSON_Parse("{\"ok\":true}");

	rtoclock_done_event(&d, "step.started", NULL, 100);
	ck_assert_int_eq(d.at, 0);
	rtoclock_done_event(&d, "step.orphan_ended", NULL, 250);
	rtoclock_done_event(&d, "step.ticked", checked, 400);
	ck_assert_int_eq(d.at, 250);
	/* a re-run with the same values does not move the time the world
	 * changed (the first success since the values were last set) */
	rtoclock_done_event(&d, "step.started", NULL, 500);
	rtoclock_done_event(&d, "step.ticked", checked, 900);
	ck_assert_int_eq(d.at, 250);
	rtoclock_done_event(&d, "step.started", NULL, 1000);
	rtoclock_done_event(&d, "step.finished", ok, 1200);
	ck_assert_int_eq(d.at, 250);
	/* a change of its values reopens it: the next success counts */
	rtoclock_done_event(&d, "step.reopened", NULL, 1250);
	ck_assert_int_eq(d.at, 0);
	rtoclock_done_event(&d, "step.started", NULL, 1260);
	rtoclock_done_event(&d, "step.finished", ok, 1280);
	ck_assert_int_eq(d.at, 1280);
	rtoclock_done_event(&d, "step.na", NULL, 1300);
	ck_assert_int_eq(d.at, 0);
	cJSON_Delete(checked);
	cJSON_Delete(ok);
}
END_TEST

/* ROLLED_BACK_AT in the offered minute is the journal's exact time; typed
 * to another minute, that minute's last second; the end is fixed once
 * known. */
START_TEST(test_rto_recovery_end_never_understates_a_minute)
{
	int64_t m = 60000000, at = 1763749080LL * 1000000;	/* 18:18:00 */
	struct rto_facts f = { .offered_us = at + 49000000,
			       .end_us = at + 10 * m };
	const char *which;
	char why[200];
	int fixed;

	ck_assert_int_eq(rtoclock_recovery_end(&f, &fixed, &which, why,
					       sizeof(why)), at + 10 * m);
	ck_assert_int_eq(fixed, 0);
	f.rolled_back_at = "2025-11-21 18:18 UTC";
	ck_assert_int_eq(rtoclock_recovery_end(&f, &fixed, &which, why,
					       sizeof(why)), at + 49000000);
	ck_assert_int_eq(fixed, 1);
	f.rolled_back_at = "2025-11-21 18:19 UTC";
	ck_assert_int_eq(rtoclock_recovery_end(&f, &fixed, &which, why,
					       sizeof(why)), at + m + 59000000);
	f.rolled_back_at = "2025-11-21T18:19:05Z";
	ck_assert_int_eq(rtoclock_recovery_end(&f, &fixed, &which, why,
					       sizeof(why)), at + m + 5000000);
	ck_assert_str_eq(rtoclock_verdict(100, 60, 1, 1), "not proven");
	ck_assert_str_eq(rtoclock_verdict(100, 60, 0, 0), "missed");
	ck_assert_str_eq(rtoclock_verdict(10, 60, 1, 0), "met");
	ck_assert_ptr_null(rtoclock_verdict(10, 60, 0, 0));
}
END_TEST

/* A publish that failed is tried again soon: after 1, 2, 4 and 8 s, then
 * every 10 s, never the half minute a watcher or approver waited. */
START_TEST(test_share_retry_backs_off_to_ten_seconds)
{
	static const int64_t want[] = { 1, 2, 4, 8, 10, 10, 10, 10 };

	for (int i = 0; i < (int)(sizeof(want) / sizeof(want[0])); i++)
		ck_assert_int_eq(share_retry_delay_us(i), want[i] * 1000000);
	ck_assert_int_eq(share_retry_delay_us(1000), 10 * 1000000);
}
END_TEST

Suite *
base_suite(void)
{
	Suite *s = suite_create("base");
	TCase *tc = tcase_create("base");

	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_err_set_returns_minus_one_and_prefix_composes);
	tcase_add_test(tc, test_strbuf_grows_and_detaches);
	tcase_add_loop_test(tc, test_clock_parses_registry_timestamp_styles, 0,
			    sizeof(times) / sizeof(times[0]));
	tcase_add_test(tc, test_clock_format_round_trips);
	tcase_add_loop_test(tc, test_clock_parses_durations, 0,
			    sizeof(durs) / sizeof(durs[0]));
	tcase_add_test(tc, test_manual_clock_moves_only_when_advanced);
	tcase_add_test(tc, test_cast_file_is_valid_asciicast_with_escaped_text);
	tcase_add_test(tc, test_cast_write_after_a_failed_write_is_a_noop);
	tcase_add_test(tc, test_mem_count_equals_a_byte_loop);
	tcase_add_test(tc, test_mem_rfind_nth_equals_a_byte_loop);
	tcase_add_test(tc, test_cast_write_lines_escapes_a_large_block_exactly);
	tcase_add_test(tc, test_cast_write_lines_short_lines_match_the_byte_path);
	tcase_add_test(tc, test_cast_open_truncates_an_old_file_to_mode_0600);
	tcase_add_test(tc,
		test_cast_is_on_disk_as_written_and_followed_by_whole_lines);
	tcase_add_test(tc, test_testhook_clock_reads_rewind_test_now);
	tcase_add_test(tc, test_testhook_idle_counter_rises);
	tcase_add_test(tc, test_rto_done_hand_check_takes_the_earliest_known_end);
	tcase_add_test(tc, test_rto_recovery_end_never_understates_a_minute);
	tcase_add_test(tc, test_share_retry_backs_off_to_ten_seconds);
	suite_add_tcase(s, tc);
	return s;
}
