/* The journal: line layout, hash chain, torn-line repair, corruption
 * reports, file modes, and appends and polls across handles and processes. */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "clock.h"
#include "err.h"
#include "journal.h"
#include "jsonutf8.h"
#include "sha256.h"
#include "strbuf.h"
#include "suites.h"
#include "testutil.h"
#include "xalloc.h"

#define T0 (INT64_C(1795289400) * 1000000 + 123456) /* 2026-11-21T19:30Z */
#define N_SEEN 16

static char *dir;
static char *path;
static struct clock clk;

/* What a journal_event_cb saw. */
struct seen {
	uint64_t n;
	uint64_t seqs[N_SEEN];
	char types[N_SEEN][32];
};

static void
collect(const struct journal_event *ev, void *arg)
{
	struct seen *s = arg;

	if (s->n < N_SEEN) {
		s->seqs[s->n] = ev->seq;
		snprintf(s->types[s->n], sizeof(s->types[0]), "%s", ev->type);
	}
	s->n++;
}

static void
setup(void)
{
	dir = tu_mkdtemp();
	path = xasprintf("%s/journal.jsonl", dir);
	clock_init_manual(&clk, T0, 1000);
}

static void
teardown(void)
{
	tu_rmtree(dir);
	free(dir);
	free(path);
}

static struct journal *
open_ok(struct seen *seen)
{
	struct err err = { 0 };
	struct journal *j = journal_open(path, &clk, seen ? collect : NULL,
					 seen, &err);

	ck_assert_msg(j != NULL, "journal_open: %s", err.msg);
	return j;
}

/* Append one tick whose payload is {"n":N}; returns its seq. */
static uint64_t
tick(struct journal *j, int n)
{
	cJSON *payload = cJSON_CreateObject();
	struct err err = { 0 };
	uint64_t seq;

	cJSON_AddNumberToObject(payload, "n", n);
	seq = journal_append(j, "alice", "step.ticked", "assess",
			     "assess.status", payload, NULL, &err);
	cJSON_Delete(payload);
	ck_assert_msg(seq != 0, "journal_append: %s", err.msg);
	clock_advance(&clk, 1000);
	return seq;
}

/* Create the journal with N ticks and close it. */
static void
make_journal(int n)
{
	struct journal *j = open_ok(NULL);

	for (int i = 1; i <= n; i++)
		ck_assert_uint_eq(tick(j, i), (uint64_t)i);
	journal_free(j);
}

static void
append_raw(const char *bytes, size_t len)
{
	FILE *f = fopen(path, "ab");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(bytes, 1, len, f), len);
	fclose(f);
}

static char *
file_bytes(size_t *len)
{
	char *data = tu_read_file(path, len);

	ck_assert_ptr_nonnull(data);
	return data;
}

/* Split the journal into NUL-terminated lines (caller frees each and the
 * array); the file must end in '\n'. */
static size_t
read_lines(char ***out)
{
	size_t len, n = 0;
	char *data = file_bytes(&len);
	char **lines = NULL;

	ck_assert_msg(len == 0 || data[len - 1] == '\n', "no final newline");
	for (char *p = data, *nl; p < data + len; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(data + len - p));
		lines = xrealloc(lines, (n + 1) * sizeof(*lines));
		lines[n++] = xstrndup(p, (size_t)(nl - p));
	}
	free(data);
	*out = lines;
	return n;
}

static void
free_lines(char **lines, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

static void
write_lines(char **lines, size_t n)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < n; i++) {
		strbuf_adds(&sb, lines[i]);
		strbuf_addc(&sb, '\n');
	}
	free(tu_write_file(dir, "journal.jsonl", strbuf_str(&sb), sb.len));
	strbuf_done(&sb);
}

static void
parse_ok(const char *line, struct journal_event *ev)
{
	struct err err = { 0 };

	ck_assert_msg(journal_event_parse(line, strlen(line), ev, &err) == 0,
		      "parse %s: %s", line, err.msg);
}

/* Replace the first FROM in *LINE with TO. */
static void
replace_once(char **line, const char *from, const char *to)
{
	char *at = strstr(*line, from);
	char *joined;

	ck_assert_msg(at != NULL, "%s not in %s", from, *line);
	joined = xasprintf("%.*s%s%s", (int)(at - *line), *line, to,
			   at + strlen(from));
	free(*line);
	*line = joined;
}

/* --- layout -------------------------------------------------------------- */

static const struct {
	const char *phase, *step, *payload;
	const char *want;
} layouts[] = {
	{ "assess", "assess.status", "{\"ok\":true}",
	  "{\"seq\":1,\"wall\":\"2026-11-21T19:30:00.123456Z\",\"mono\":123456,"
	  "\"actor\":\"alice\",\"type\":\"step.ticked\",\"phase\":\"assess\","
	  "\"step\":\"assess.status\",\"payload\":{\"ok\":true},"
	  "\"prev\":\"" JOURNAL_GENESIS "\"}" },
	{ NULL, NULL, NULL,
	  "{\"seq\":1,\"wall\":\"2026-11-21T19:30:00.123456Z\",\"mono\":123456,"
	  "\"actor\":\"alice\",\"type\":\"step.ticked\",\"phase\":null,"
	  "\"step\":null,\"payload\":{},\"prev\":\"" JOURNAL_GENESIS "\"}" },
};

START_TEST(test_journal_format_line_has_the_fixed_layout)
{
	struct journal_event ev = {
		.seq = 1, .wall_us = T0, .mono_us = 123456,
		.actor = (char[]){ "alice" }, .type = (char[]){ "step.ticked" },
		.phase = (char *)NULL, .step = (char *)NULL,
		.prev = JOURNAL_GENESIS,
	};
	struct strbuf sb = STRBUF_INIT;

	if (layouts[_i].phase) {
		ev.phase = xstrdup(layouts[_i].phase);
		ev.step = xstrdup(layouts[_i].step);
	}
	if (layouts[_i].payload)
		ev.payload = cJSON_Parse(layouts[_i].payload);
	journal_format_line(&sb, &ev);
	ck_assert_str_eq(strbuf_str(&sb), layouts[_i].want);
	free(ev.phase);
	free(ev.step);
	cJSON_Delete(ev.payload);
	strbuf_done(&sb);
}
END_TEST

START_TEST(test_journal_three_appends_chain_verifies_and_parses_back)
{
	struct journal *j = open_ok(NULL);
	struct strbuf again = STRBUF_INIT;
	char hash[65] = JOURNAL_GENESIS;
	struct journal_event ev;
	struct journal_verify v;
	struct err err = { 0 };
	const char *out = NULL;
	char **lines;

	tick(j, 1);
	tick(j, 2);
	ck_assert_uint_eq(journal_append(j, "alice", "step.ticked", "assess",
					 "assess.status", NULL, &out, &err), 3);
	ck_assert_uint_eq(journal_count(j), 3);
	ck_assert_uint_eq(read_lines(&lines), 3);
	ck_assert_str_eq(out, lines[2]);
	for (int i = 0; i < 3; i++) {
		parse_ok(lines[i], &ev);
		ck_assert_uint_eq(ev.seq, (uint64_t)i + 1);
		ck_assert_str_eq(ev.prev, hash);
		ck_assert_str_eq(ev.actor, "alice");
		ck_assert_str_eq(ev.phase, "assess");
		ck_assert_str_eq(ev.step, "assess.status");
		ck_assert_str_eq(ev.line, lines[i]);
		/* Formatting a parsed line must give back its exact bytes. */
		journal_format_line(&again, &ev);
		ck_assert_str_eq(strbuf_str(&again), lines[i]);
		sha256_hex(lines[i], strlen(lines[i]), hash);
		journal_event_done(&ev);
	}
	ck_assert_str_eq(journal_last_hash(j), hash);
	ck_assert_int_eq(journal_verify_file(path, &v, &err), 0);
	ck_assert_uint_eq(v.n_events, 3);
	free_lines(lines, 3);
	strbuf_done(&again);
	journal_free(j);
}
END_TEST

START_TEST(test_journal_reopen_delivers_old_events_and_continues_chain)
{
	struct seen seen = { 0 };
	struct journal_event ev;
	struct journal *j;
	char **lines;
	char hash[65];

	make_journal(2);
	j = open_ok(&seen);
	ck_assert_uint_eq(seen.n, 2);
	ck_assert_uint_eq(seen.seqs[0], 1);
	ck_assert_uint_eq(seen.seqs[1], 2);
	ck_assert_uint_eq(journal_count(j), 2);
	ck_assert_uint_eq(tick(j, 3), 3);
	ck_assert_uint_eq(seen.n, 2);
	journal_free(j);
	ck_assert_uint_eq(read_lines(&lines), 3);
	sha256_hex(lines[1], strlen(lines[1]), hash);
	parse_ok(lines[2], &ev);
	ck_assert_str_eq(ev.prev, hash);
	journal_event_done(&ev);
	free_lines(lines, 3);
}
END_TEST

START_TEST(test_journal_empty_existing_file_starts_at_genesis)
{
	struct journal *j;

	free(tu_write_file(dir, "journal.jsonl", "", 0));
	j = open_ok(NULL);
	ck_assert_uint_eq(journal_count(j), 0);
	ck_assert_str_eq(journal_last_hash(j), JOURNAL_GENESIS);
	ck_assert_uint_eq(journal_torn_bytes(j), 0);
	ck_assert_int_ge(journal_fd(j), 0);
	ck_assert_uint_eq(tick(j, 1), 1);
	journal_free(j);
}
END_TEST

START_TEST(test_journal_manual_clock_records_given_wall_and_mono)
{
	struct journal_event ev;
	struct journal *j;
	const char *out = NULL;

	clock_init_manual(&clk, T0, 5000);
	j = open_ok(NULL);
	ck_assert_uint_eq(journal_append(j, "bob", "session.started", NULL,
					 NULL, NULL, &out, NULL), 1);
	ck_assert_ptr_nonnull(strstr(out, "\"wall\":\"2026-11-21T19:30:00."
					  "123456Z\",\"mono\":5000,"));
	clock_advance(&clk, 1500);
	ck_assert_uint_eq(journal_append(j, "bob", "step.ticked", NULL, NULL,
					 NULL, &out, NULL), 2);
	parse_ok(out, &ev);
	ck_assert_int_eq(ev.wall_us, T0 + 1500);
	ck_assert_int_eq(ev.mono_us, 6500);
	ck_assert_ptr_null(ev.phase);
	ck_assert_ptr_null(ev.step);
	ck_assert_int_eq(cJSON_GetArraySize(ev.payload), 0);
	journal_event_done(&ev);
	journal_free(j);
}
END_TEST

#define NASTY "say \"hi\" \\ \n\t\r\b\f \x01\x1f\x7f caf\xc3\xa9"

START_TEST(test_journal_strings_with_controls_and_quotes_round_trip)
{
	cJSON *payload = cJSON_CreateObject();
	struct journal_event ev;
	struct journal *j = open_ok(NULL);
	const char *out = NULL;

	cJSON_AddStringToObject(payload, "msg", NASTY);
	cJSON_AddItemToArray(cJSON_AddArrayToObject(payload, "list"),
			     cJSON_CreateString(NASTY));
	ck_assert_uint_eq(journal_append(j, "o\"brien\n", "x\ty", "ph\"",
					 "st\\", payload, &out, NULL), 1);
	for (const char *p = out; *p; p++)
		ck_assert_msg((unsigned char)*p >= 0x20, "raw control in %s",
			      out);
	parse_ok(out, &ev);
	ck_assert_str_eq(ev.actor, "o\"brien\n");
	ck_assert_str_eq(ev.type, "x\ty");
	ck_assert_str_eq(ev.phase, "ph\"");
	ck_assert_str_eq(ev.step, "st\\");
	ck_assert_str_eq(cJSON_GetObjectItem(ev.payload, "msg")->valuestring,
			 NASTY);
	ck_assert(cJSON_Compare(ev.payload, payload, 1));
	journal_event_done(&ev);
	cJSON_Delete(payload);
	journal_free(j);
}
END_TEST

/* Raw CSI, U+009B, U+202E, U+2066, DEL, then bytes that are not UTF-8 (a
 * lone continuation, 0xFF, an overlong '/', a CESU-8 surrogate, a cut
 * sequence); a pair of escapes for U+1F480 must stay a pair. */
#define HOSTILE "a\x9b" "b\xc2\x9b" "c\xe2\x80\xae" "d\xe2\x81\xa6" "e\x7f" \
	"f\x80" "g\xff" "h\xc0\xaf" "i\xed\xb2\x80" "j\xe2\x82" "k caf\xc3\xa9"

#define ESCAPED "\"\\\\udc9b \\ud83d\\udc80 \\udc9b\""
#define UNESCAPED "\"\\\\udc9b \\ud83d\\udc80 \x9b\""

START_TEST(test_journal_bytes_not_utf8_are_escaped_and_read_back)
{
	cJSON *payload = cJSON_CreateObject();
	struct journal_event ev;
	struct journal *j = open_ok(NULL);
	const char *out = NULL;
	size_t n;
	char *plain;

	cJSON_AddStringToObject(payload, "msg", HOSTILE);
	cJSON_AddStringToObject(payload, HOSTILE, "key");
	ck_assert_uint_eq(journal_append(j, HOSTILE, "note.added", NULL,
					 HOSTILE, payload, &out, NULL), 1);
	/* ASCII but for the valid, harmless "caf\xc3\xa9" */
	ck_assert_msg(strstr(out, "\"actor\":\"a\\udc9bb\\u009bc\\u202ed"
			     "\\u2066e\\u007ff\\udc80g\\udcffh\\udcc0\\udcafi"
			     "\\udced\\udcb2\\udc80j\\udce2\\udc82k caf\xc3\xa9\""),
		      "actor escaped wrongly: %s", out);
	/* the only bytes >= 0x7f left: "\xc3\xa9", once in each of 4 strings */
	n = 0;
	for (const char *p = out; *p; p++)
		n += (unsigned char)*p >= 0x7f;
	ck_assert_uint_eq(n, 4 * 2);
	parse_ok(out, &ev);
	ck_assert_str_eq(ev.actor, HOSTILE);
	ck_assert_str_eq(ev.step, HOSTILE);
	ck_assert_str_eq(cJSON_GetObjectItem(ev.payload, "msg")->valuestring,
			 HOSTILE);
	ck_assert(cJSON_Compare(ev.payload, payload, 1));
	journal_event_done(&ev);
	/* an escaped backslash before "udc9b" and a surrogate pair stay */
	plain = jsonutf8_unescape(ESCAPED, strlen(ESCAPED), &n);
	ck_assert_ptr_nonnull(plain);
	ck_assert_uint_eq(n, strlen(UNESCAPED));
	ck_assert_mem_eq(plain, UNESCAPED, n);
	free(plain);
	ck_assert_ptr_null(jsonutf8_unescape("\"\\u00e9\"", 8, &n));
	cJSON_Delete(payload);
	journal_free(j);
}
END_TEST

START_TEST(test_journal_append_rejects_non_object_payload)
{
	cJSON *array = cJSON_CreateArray();
	struct journal *j = open_ok(NULL);
	struct err err = { 0 };

	ck_assert_uint_eq(journal_append(j, "alice", "x", NULL, NULL, array,
					 NULL, &err), 0);
	ck_assert_int_eq(err.code, ERR_INVALID);
	ck_assert_uint_eq(journal_count(j), 0);
	cJSON_Delete(array);
	journal_free(j);
}
END_TEST

/* --- parsing ------------------------------------------------------------- */

static const struct {
	const char *from, *to;	/* FROM NULL: the whole line is TO */
	const char *want;
} bad_fields[] = {
	{ "\"seq\":1,", "", "missing \"seq\"" },
	{ "\"seq\":1", "\"seq\":0", "\"seq\": expected an integer >= 1" },
	{ "\"seq\":1", "\"seq\":1.5", "\"seq\": expected an integer >= 1" },
	{ "\"seq\":1", "\"seq\":\"1\"", "\"seq\": expected an integer >= 1" },
	{ "\"wall\":\"", "\"wall\":\"x", "\"wall\": expected an RFC 3339 time" },
	{ "\"mono\":123456", "\"mono\":\"1\"", "\"mono\": expected an integer" },
	{ "\"actor\":\"alice\"", "\"actor\":null",
	  "\"actor\": expected a string" },
	{ "\"type\":\"step.ticked\",", "", "missing \"type\"" },
	{ "\"phase\":\"assess\"", "\"phase\":1",
	  "\"phase\": expected a string or null" },
	{ "\"step\":\"assess.status\"", "\"step\":[]",
	  "\"step\": expected a string or null" },
	{ "\"payload\":{\"ok\":true}", "\"payload\":[]",
	  "\"payload\": expected an object" },
	{ "\"prev\":\"0", "\"prev\":\"A",
	  "\"prev\": expected 64 lower-case hex digits" },
	{ "\"prev\":\"0", "\"prev\":\"",
	  "\"prev\": expected 64 lower-case hex digits" },
	{ "0\"}", "0\"}x", "not valid JSON" },
	{ NULL, "[1,2]", "not a JSON object" },
	{ NULL, "", "not valid JSON" },
};

START_TEST(test_journal_event_parse_names_the_bad_field)
{
	char *line = xstrdup(layouts[0].want);
	struct journal_event ev;
	struct err err = { 0 };

	if (bad_fields[_i].from) {
		replace_once(&line, bad_fields[_i].from, bad_fields[_i].to);
	} else {
		free(line);
		line = xstrdup(bad_fields[_i].to);
	}
	ck_assert_int_eq(journal_event_parse(line, strlen(line), &ev, &err),
			 -1);
	ck_assert_int_eq(err.code, ERR_PARSE);
	ck_assert_str_eq(err.msg, bad_fields[_i].want);
	journal_event_done(&ev);
	free(line);
}
END_TEST

START_TEST(test_journal_event_parse_accepts_any_key_order_and_spacing)
{
	const char *line =
		"{ \"prev\": \"" JOURNAL_GENESIS "\", \"payload\": {\"a\": [1]},"
		" \"step\": null, \"phase\": \"p\\u0041\", \"type\": \"t\","
		" \"actor\": \"b\\\"ob\", \"mono\": -5, \"seq\": 2.0,"
		" \"wall\": \"2026-11-21T19:30:00.123456Z\" }";
	struct journal_event ev;

	parse_ok(line, &ev);
	ck_assert_uint_eq(ev.seq, 2);
	ck_assert_int_eq(ev.wall_us, T0);
	ck_assert_int_eq(ev.mono_us, -5);
	ck_assert_str_eq(ev.actor, "b\"ob");
	ck_assert_str_eq(ev.type, "t");
	ck_assert_str_eq(ev.phase, "pA");
	ck_assert_ptr_null(ev.step);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(ev.payload,
								"a")), 1);
	ck_assert_str_eq(ev.prev, JOURNAL_GENESIS);
	ck_assert_str_eq(ev.line, line);
	journal_event_done(&ev);
}
END_TEST

/* --- torn lines ---------------------------------------------------------- */

static const struct {
	const char *bytes;
	size_t len;
} torn[] = {
	{ "{\"seq\":3,\"wall\":\"2026-11", 24 },	/* no newline */
	{ "{\"seq\":3,\"wall\":\n", 17 },		/* half JSON + newline */
	{ "\0\0\0\0\0\0", 6 },				/* zero-filled block */
	{ "\n", 1 },					/* bare newline */
};

START_TEST(test_journal_torn_last_line_is_cut_and_journalled)
{
	struct seen seen = { 0 };
	struct journal_event ev;
	struct journal_verify v;
	struct journal *j;
	size_t good_len;
	char *good = NULL;
	char **lines;
	char hex[65];

	make_journal(2);
	good = file_bytes(&good_len);
	append_raw(torn[_i].bytes, torn[_i].len);
	j = open_ok(&seen);
	ck_assert_uint_eq(seen.n, 2);
	ck_assert_uint_eq(journal_count(j), 3);
	ck_assert_uint_eq(journal_torn_bytes(j), torn[_i].len);
	journal_free(j);
	ck_assert_uint_eq(read_lines(&lines), 3);
	ck_assert_int_eq(strncmp(lines[0], good, strlen(lines[0])), 0);
	parse_ok(lines[2], &ev);
	ck_assert_str_eq(ev.type, "journal.truncated");
	ck_assert_str_eq(ev.actor, "rewind");
	ck_assert_ptr_null(ev.phase);
	ck_assert_int_eq(cJSON_GetObjectItem(ev.payload, "offset")->valuedouble,
			 (double)good_len);
	ck_assert_int_eq(cJSON_GetObjectItem(ev.payload, "bytes")->valuedouble,
			 (double)torn[_i].len);
	sha256_hex(torn[_i].bytes, torn[_i].len, hex);
	ck_assert_str_eq(cJSON_GetObjectItem(ev.payload, "sha256")->valuestring,
			 hex);
	ck_assert_int_eq(journal_verify_file(path, &v, NULL), 0);
	ck_assert_uint_eq(v.n_events, 3);
	journal_event_done(&ev);
	free_lines(lines, 3);
	free(good);
}
END_TEST

START_TEST(test_journal_append_cuts_a_crashed_writers_torn_line)
{
	struct journal *j = open_ok(NULL);
	struct journal_event ev;
	struct journal_verify v;
	char **lines;

	tick(j, 1);
	/* Another process died after writing half a line. */
	append_raw("{\"seq\":2,\"wa", 12);
	ck_assert_uint_eq(tick(j, 2), 3);
	ck_assert_uint_eq(journal_torn_bytes(j), 12);
	journal_free(j);
	ck_assert_uint_eq(read_lines(&lines), 3);
	parse_ok(lines[1], &ev);
	ck_assert_str_eq(ev.type, "journal.truncated");
	journal_event_done(&ev);
	ck_assert_int_eq(journal_verify_file(path, &v, NULL), 0);
	free_lines(lines, 3);
}
END_TEST

START_TEST(test_journal_readonly_open_never_modifies_torn_file)
{
	struct seen seen = { 0 };
	struct stat before, after;
	struct err err = { 0 };
	size_t len_before, len_after;
	char *bytes_before, *bytes_after;
	struct journal *ro;

	make_journal(2);
	append_raw(torn[0].bytes, torn[0].len);
	bytes_before = file_bytes(&len_before);
	ck_assert_int_eq(stat(path, &before), 0);
	ro = journal_open_readonly(path, collect, &seen, &err);
	ck_assert_msg(ro != NULL, "%s", err.msg);
	ck_assert_uint_eq(seen.n, 2);
	ck_assert_uint_eq(journal_count(ro), 2);
	ck_assert_uint_eq(journal_torn_bytes(ro), torn[0].len);
	ck_assert_int_eq(journal_poll(ro, &err), 0);
	journal_free(ro);
	bytes_after = file_bytes(&len_after);
	ck_assert_int_eq(stat(path, &after), 0);
	ck_assert_uint_eq(len_after, len_before);
	ck_assert_mem_eq(bytes_after, bytes_before, len_before);
	ck_assert_int_eq(after.st_mtim.tv_sec, before.st_mtim.tv_sec);
	ck_assert_int_eq(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec);
	free(bytes_before);
	free(bytes_after);
}
END_TEST

START_TEST(test_journal_append_on_readonly_handle_fails_with_err_state)
{
	struct err err = { 0 };
	struct journal *ro;

	make_journal(1);
	ro = journal_open_readonly(path, NULL, NULL, &err);
	ck_assert_ptr_nonnull(ro);
	ck_assert_uint_eq(journal_append(ro, "alice", "step.ticked", NULL,
					 NULL, NULL, NULL, &err), 0);
	ck_assert_int_eq(err.code, ERR_STATE);
	ck_assert_uint_eq(journal_count(ro), 1);
	journal_free(ro);
}
END_TEST

START_TEST(test_journal_readonly_poll_sees_the_cut_a_writer_made)
{
	struct seen seen = { 0 };
	struct err err = { 0 };
	struct journal *ro, *rw;

	make_journal(2);
	append_raw(torn[0].bytes, torn[0].len);
	ro = journal_open_readonly(path, collect, &seen, &err);
	ck_assert_ptr_nonnull(ro);
	rw = open_ok(NULL);
	ck_assert_int_eq(journal_poll(ro, &err), 1);
	ck_assert_uint_eq(seen.n, 3);
	ck_assert_str_eq(seen.types[2], "journal.truncated");
	ck_assert_uint_eq(journal_torn_bytes(ro), 0);
	ck_assert_str_eq(journal_last_hash(ro), journal_last_hash(rw));
	journal_free(rw);
	journal_free(ro);
}
END_TEST

/* --- damage -------------------------------------------------------------- */

static void
change_line2(char **lines, size_t *n)
{
	(void)n;
	replace_once(&lines[1], "\"n\":2", "\"n\":7");
}

static void
remove_line3(char **lines, size_t *n)
{
	free(lines[2]);
	memmove(lines + 2, lines + 3, (*n - 3) * sizeof(*lines));
	(*n)--;
}

static void
swap_lines_2_3(char **lines, size_t *n)
{
	char *line2 = lines[1];

	(void)n;
	lines[1] = lines[2];
	lines[2] = line2;
}

static void
garble_line2(char **lines, size_t *n)
{
	(void)n;
	free(lines[1]);
	lines[1] = xstrdup("{\"seq\":2,");
}

static void
rename_actor_line2(char **lines, size_t *n)
{
	(void)n;
	replace_once(&lines[1], "\"actor\"", "\"actox\"");
}

static void
change_prev_line1(char **lines, size_t *n)
{
	(void)n;
	replace_once(&lines[0], "\"prev\":\"0", "\"prev\":\"1");
}

/* UNPROVEN: the first line not proven. A prev that does not match
 * leaves the line before it unproven too: that line may be the one
 * changed (change_line2 edits line 2; line 3's prev shows it). */
static const struct {
	void (*apply)(char **lines, size_t *n);
	uint64_t bad_line, unproven;
	const char *reason;
} damages[] = {
	{ change_line2, 3, 2, "hash chain broken: prev does not match line 2" },
	{ remove_line3, 3, 3, "seq 4, expected 3" },
	{ swap_lines_2_3, 2, 2, "seq 3, expected 2" },
	{ garble_line2, 2, 2, "not valid JSON" },
	{ rename_actor_line2, 2, 2, "missing \"actor\"" },
	{ change_prev_line1, 1, 1,
	  "hash chain broken: prev of line 1 is not the genesis value" },
};

static void
damage_journal(int i)
{
	char **lines;
	size_t n;

	make_journal(5);
	n = read_lines(&lines);
	damages[i].apply(lines, &n);
	write_lines(lines, n);
	free_lines(lines, n);
}

START_TEST(test_journal_verify_flags_damage_at_the_right_line)
{
	struct journal_verify v;
	struct err err = { 0 };

	damage_journal(_i);
	ck_assert_int_eq(journal_verify_file(path, &v, &err), 1);
	ck_assert_uint_eq(v.bad_line, damages[_i].bad_line);
	ck_assert_uint_eq(v.unverified_from, damages[_i].unproven);
	ck_assert_uint_eq(v.n_events, damages[_i].unproven - 1);
	ck_assert_str_eq(v.reason, damages[_i].reason);
	ck_assert_uint_eq(v.torn_bytes, 0);
}
END_TEST

/* A verify prints the chain's last hash; a journal cut or rewritten
 * since no longer holds it, though its own chain is intact. An empty
 * journal proves nothing. */
START_TEST(test_journal_verify_finds_a_noted_hash_and_refuses_none)
{
	struct journal_verify v;
	struct err err = { 0 };
	char pin[17], **lines;
	size_t n;

	make_journal(5);
	ck_assert_int_eq(journal_verify_file(path, &v, &err), 0);
	ck_assert_uint_eq(strlen(v.last_hash), 64);
	snprintf(pin, sizeof(pin), "%.16s", v.last_hash);
	ck_assert_int_eq(journal_verify_pinned(path, pin, &v, &err), 0);
	ck_assert_uint_eq(v.pin_line, 5);
	n = read_lines(&lines);
	write_lines(lines, n - 1);	/* the last event cut */
	free_lines(lines, n);
	ck_assert_int_eq(journal_verify_pinned(path, pin, &v, &err), 0);
	ck_assert_uint_eq(v.n_events, 4);
	ck_assert_uint_eq(v.pin_line, 0);
	write_lines(NULL, 0);
	ck_assert_int_eq(journal_verify_file(path, &v, &err), 1);
	ck_assert_uint_eq(v.bad_line, 1);
	ck_assert_msg(strstr(v.reason, "empty journal"), "%s", v.reason);
}
END_TEST

START_TEST(test_journal_open_refuses_damage_and_leaves_file_unchanged)
{
	struct err err = { 0 };
	size_t len_before, len_after;
	char *before, *after, *want;

	damage_journal(_i);
	/* A torn tail too: open must not cut it when an earlier line is bad. */
	append_raw(torn[0].bytes, torn[0].len);
	before = file_bytes(&len_before);
	ck_assert_ptr_null(journal_open(path, &clk, NULL, NULL, &err));
	ck_assert_int_eq(err.code, ERR_CORRUPT);
	want = xasprintf("%s: line %d: %s", path, (int)damages[_i].bad_line,
			 damages[_i].reason);
	ck_assert_str_eq(err.msg, want);
	ck_assert_ptr_null(journal_open_readonly(path, NULL, NULL, &err));
	ck_assert_str_eq(err.msg, want);
	after = file_bytes(&len_after);
	ck_assert_uint_eq(len_after, len_before);
	ck_assert_mem_eq(after, before, len_before);
	free(want);
	free(before);
	free(after);
}
END_TEST

START_TEST(test_journal_verify_reports_torn_last_line)
{
	struct journal_verify v;

	make_journal(5);
	append_raw(torn[0].bytes, torn[0].len);
	ck_assert_int_eq(journal_verify_file(path, &v, NULL), 1);
	ck_assert_uint_eq(v.n_events, 5);
	ck_assert_uint_eq(v.bad_line, 6);
	ck_assert_uint_eq(v.torn_bytes, torn[0].len);
	ck_assert_str_eq(v.reason, "torn last line (24 bytes without newline)");
}
END_TEST

START_TEST(test_journal_verify_of_missing_file_fails_with_err_notfound)
{
	struct journal_verify v;
	struct err err = { 0 };

	ck_assert_int_eq(journal_verify_file(path, &v, &err), -1);
	ck_assert_int_eq(err.code, ERR_NOTFOUND);
	ck_assert_ptr_null(journal_open_readonly(path, NULL, NULL, &err));
	ck_assert_int_eq(err.code, ERR_NOTFOUND);
}
END_TEST

/* --- files --------------------------------------------------------------- */

START_TEST(test_journal_new_file_is_mode_0600)
{
	struct stat st;
	mode_t old;

	/* Even a permissive umask must not widen the journal's mode. */
	old = umask(0);
	make_journal(1);
	umask(old);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0600);
}
END_TEST

START_TEST(test_journal_open_keeps_mode_of_existing_file)
{
	struct stat st;

	free(tu_write_file(dir, "journal.jsonl", "", 0));
	ck_assert_int_eq(chmod(path, 0640), 0);
	make_journal(1);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0640);
}
END_TEST

/* --- several handles and processes -------------------------------------- */

START_TEST(test_journal_poll_delivers_events_from_another_handle)
{
	struct seen sa = { 0 }, sb = { 0 };
	struct err err = { 0 };
	struct journal *a = open_ok(&sa);
	struct journal *b = open_ok(&sb);

	ck_assert_int_eq(journal_poll(a, &err), 0);
	tick(b, 1);
	tick(b, 2);
	ck_assert_int_eq(journal_poll(a, &err), 2);
	ck_assert_uint_eq(sa.n, 2);
	ck_assert_uint_eq(sa.seqs[0], 1);
	ck_assert_uint_eq(sa.seqs[1], 2);
	ck_assert_int_eq(journal_poll(a, &err), 0);
	ck_assert_uint_eq(tick(a, 3), 3);
	/* B learns of A's line when it appends, before writing its own. */
	ck_assert_uint_eq(tick(b, 4), 4);
	ck_assert_uint_eq(sb.n, 1);
	ck_assert_uint_eq(sb.seqs[0], 3);
	ck_assert_int_eq(journal_poll(a, &err), 1);
	ck_assert_uint_eq(sa.seqs[2], 4);
	ck_assert_str_eq(journal_last_hash(a), journal_last_hash(b));
	journal_free(a);
	journal_free(b);
}
END_TEST

START_TEST(test_journal_poll_sees_events_a_child_process_appended)
{
	struct seen seen = { 0 };
	struct err err = { 0 };
	struct journal *j = open_ok(&seen);
	int status;
	pid_t pid;

	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct journal *child;

		/* The child's copy of the parent's handle is not used here;
		 * freeing it keeps valgrind's leak check quiet at _exit. */
		journal_free(j);
		child = journal_open(path, &clk, NULL, NULL, NULL);
		for (int i = 0; child && i < 3; i++)
			if (!journal_append(child, "carol", "cmd.output",
					    NULL, NULL, NULL, NULL, NULL))
				_exit(2);
		_exit(child ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ck_assert_int_eq(journal_poll(j, &err), 3);
	ck_assert_uint_eq(seen.n, 3);
	ck_assert_str_eq(seen.types[2], "cmd.output");
	journal_free(j);
}
END_TEST

#define N_EACH 500

/* Append N_EACH events as ACTOR with the real clock; 0 on success. */
static int
append_as(const char *actor)
{
	struct journal *j = journal_open(path, clock_system(), NULL, NULL,
					 NULL);
	int rc = j ? 0 : 1;

	for (int i = 0; rc == 0 && i < N_EACH; i++) {
		cJSON *payload = cJSON_CreateObject();

		cJSON_AddNumberToObject(payload, "i", i);
		if (!journal_append(j, actor, "step.ticked", NULL, NULL,
				    payload, NULL, NULL))
			rc = 2;
		cJSON_Delete(payload);
	}
	journal_free(j);
	return rc;
}

/* Each writer's events must appear whole, once, and in its own order. */
static void
check_interleaved_lines(void)
{
	int next[2] = { 0, 0 };
	struct journal_event ev;
	char **lines;
	size_t n = read_lines(&lines);

	ck_assert_uint_eq(n, 2 * N_EACH);
	for (size_t i = 0; i < n; i++) {
		int who;

		parse_ok(lines[i], &ev);
		ck_assert_uint_eq(ev.seq, i + 1);
		who = strcmp(ev.actor, "parent") == 0 ? 0 : 1;
		ck_assert_int_eq(cJSON_GetObjectItem(ev.payload, "i")->valueint,
				 next[who]++);
		journal_event_done(&ev);
	}
	ck_assert_int_eq(next[0], N_EACH);
	ck_assert_int_eq(next[1], N_EACH);
	free_lines(lines, n);
}

START_TEST(test_journal_two_processes_append_concurrently_without_loss)
{
	struct journal_verify v;
	int status;
	pid_t pid;

	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(append_as("child"));
	ck_assert_int_eq(append_as("parent"), 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ck_assert_int_eq(journal_verify_file(path, &v, NULL), 0);
	ck_assert_uint_eq(v.n_events, 2 * N_EACH);
	check_interleaved_lines();
}
END_TEST

/* --- suite --------------------------------------------------------------- */

/* Give each test its own TCase, named after it, so CK_RUN_CASE can pick
 * one and a timeout in one cannot hide the others. */
static void
add(Suite *s, const TTest *test, int n_loops, int timeout)
{
	TCase *tc = tcase_create(test->name);

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, timeout);
	if (n_loops > 0)
		tcase_add_loop_test(tc, test, 0, n_loops);
	else
		tcase_add_test(tc, test);
	suite_add_tcase(s, tc);
}

#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

Suite *
journal_suite(void)
{
	Suite *s = suite_create("journal");

	add(s, test_journal_format_line_has_the_fixed_layout, N_OF(layouts), 20);
	add(s, test_journal_three_appends_chain_verifies_and_parses_back, 0, 20);
	add(s, test_journal_reopen_delivers_old_events_and_continues_chain, 0,
	    20);
	add(s, test_journal_empty_existing_file_starts_at_genesis, 0, 20);
	add(s, test_journal_manual_clock_records_given_wall_and_mono, 0, 20);
	add(s, test_journal_strings_with_controls_and_quotes_round_trip, 0, 20);
	add(s, test_journal_bytes_not_utf8_are_escaped_and_read_back, 0, 20);
	add(s, test_journal_append_rejects_non_object_payload, 0, 20);
	add(s, test_journal_event_parse_names_the_bad_field, N_OF(bad_fields),
	    20);
	add(s, test_journal_event_parse_accepts_any_key_order_and_spacing, 0,
	    20);
	add(s, test_journal_torn_last_line_is_cut_and_journalled, N_OF(torn),
	    20);
	add(s, test_journal_append_cuts_a_crashed_writers_torn_line, 0, 20);
	add(s, test_journal_readonly_open_never_modifies_torn_file, 0, 20);
	add(s, test_journal_append_on_readonly_handle_fails_with_err_state, 0,
	    20);
	add(s, test_journal_readonly_poll_sees_the_cut_a_writer_made, 0, 20);
	add(s, test_journal_verify_flags_damage_at_the_right_line,
	    N_OF(damages), 20);
	add(s, test_journal_open_refuses_damage_and_leaves_file_unchanged,
	    N_OF(damages), 20);
	add(s, test_journal_verify_reports_torn_last_line, 0, 20);
	add(s, test_journal_verify_finds_a_noted_hash_and_refuses_none, 0, 20);
	add(s, test_journal_verify_of_missing_file_fails_with_err_notfound, 0,
	    20);
	add(s, test_journal_new_file_is_mode_0600, 0, 20);
	add(s, test_journal_open_keeps_mode_of_existing_file, 0, 20);
	add(s, test_journal_poll_delivers_events_from_another_handle, 0, 20);
	add(s, test_journal_poll_sees_events_a_child_process_appended, 0, 20);
	add(s, test_journal_two_processes_append_concurrently_without_loss, 0,
	    120);
	return s;
}
