/* rewind report: a session journalled through the journal API with a
 * manual clock (every event type, unknown ones, control characters) is
 * compared with its expected Markdown; the JSON has the fields; a tampered
 * journal is flagged at its first bad line; and a drill walked by the real
 * binary in batch mode gets its report written when it completes. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "clock.h"
#include "err.h"
#include "journal.h"
#include "report.h"
#include "strbuf.h"
#include "testutil.h"
#include "xalloc.h"

struct ev {
	const char *actor, *type, *step, *payload;
};

/* A drill of playbooks/example.json, one event every 30 seconds. */
static const struct ev events[] = {
	{ "olga", "session.started", NULL, "{\"playbook\":\"example-web-rollback\","
	  "\"title\":\"Example: roll a web service back\",\"mode\":\"drill\","
	  "\"operator\":\"olga\",\"scenario\":\"restart-fails\"}" },
	{ "olga", "var.set", NULL, "{\"name\":\"INCIDENT_START\","
	  "\"value\":\"2026-01-01 09:50 UTC\"}" },
	{ "olga", "var.set", NULL, "{\"name\":\"RESTORE_VERSION\",\"value\":\"1.3.2\"}" },
	{ "olga", "var.set", NULL, "{\"name\":\"DEPLOY_TOKEN\",\"secret\":true}" },
	{ "olga", "step.started", "assess.status", "{\"command\":\"git status "
	  "--short\",\"drill\":true}" },
	{ "olga", "step.finished", "assess.status", "{\"ok\":true,\"exit\":0,"
	  "\"duration_ms\":1500,\"drill\":true}" },
	{ "olga", "step.ticked", "assess.ticket", "{\"note\":\"INC-1042 \\u001b[31mred\"}" },
	{ "olga", "phase.advanced", NULL, "{\"from\":\"assess\",\"to\":\"decide\"}" },
	{ "olga", "decision.made", "decide.response", "{\"option\":\"rollback\","
	  "\"label\":\"Roll back to the last good tag\",\"reason\":\"P0 | most users\","
	  "\"cell\":{\"SEVERITY\":\"P0\",\"IMPACT\":\"most\"},"
	  "\"recommended\":\"rollback\",\"followed\":true}" },
	{ "olga", "phase.advanced", NULL, "{\"from\":\"decide\",\"to\":\"approve\"}" },
	{ "dana", "approval.granted", "approve.signoff", "{\"role\":\"Engineering "
	  "Lead\",\"name\":\"dana\",\"comment\":\"go\"}" },
	{ "rewind", "approval.voided", "approve.signoff", "{\"role\":\"Engineering "
	  "Lead\",\"name\":\"dana\",\"reason\":\"the commands changed\"}" },
	{ "dana", "approval.granted", "approve.signoff", "{\"role\":\"Engineering "
	  "Lead\",\"name\":\"dana\",\"comment\":\"go again\"}" },
	{ "olga", "phase.advanced", NULL, "{\"from\":\"approve\",\"to\":\"execute\"}" },
	{ "olga", "step.started", "execute.restart", "{\"command\":\"systemctl "
	  "restart web\",\"drill\":true}" },
	{ "olga", "step.finished", "execute.restart", "{\"ok\":false,\"exit\":1,"
	  "\"reason\":\"exit status 1, expected 0\",\"duration_ms\":65000,"
	  "\"drill\":true}" },
	{ "olga", "step.na", "execute.hotfix", "{\"reason\":\"no hotfix branch yet\"}" },
	{ "olga", "phase.advanced", NULL, "{\"from\":\"execute\",\"to\":\"verify\"}" },
	{ "olga", "step.skipped", "verify.errors", "{\"reason\":\"optional step left open\"}" },
	{ "olga", "message.sent", "communicate.team", "{\"channel\":\"file\","
	  "\"path\":\"messages/communicate.team.txt\",\"sha256\":\"ab12\"}" },
	{ "olga", "message.failed", "communicate.status", "{\"channel\":\"webhook\","
	  "\"error\":\"HTTP 500\"}" },
	{ "olga", "note.added", NULL, "{\"text\":\"follow-up: rotate the deploy key\"}" },
	{ "olga", "custom.unknown", "communicate.team", "{\"reason\":\"a newer rewind wrote this\"}" },
	{ "rewind", "drill.scorecard", NULL, "{\"score\":80,\"decision\":"
	  "{\"expected\":\"rollback\",\"chosen\":\"rollback\"}}" },
	{ "olga", "session.completed", NULL, NULL },
};

static char *
make_session(void)
{
	char *dir = tu_mkdtemp();
	char *pb_src = tu_fixture("../../playbooks/example.json");
	size_t len;
	char *pb = tu_read_file(pb_src, &len);
	char *jpath = xasprintf("%s/journal.jsonl", dir);
	struct clock clk;
	struct err err = { 0 };
	struct journal *j;

	ck_assert_ptr_nonnull(pb);
	free(tu_write_file(dir, "playbook.json", pb, len));
	clock_init_manual(&clk, 1767261600LL * 1000000, 0);	/* 10:00 UTC */
	j = journal_open(jpath, &clk, NULL, NULL, &err);
	ck_assert_msg(j != NULL, "%s", err.msg);
	for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		cJSON *p = events[i].payload ? cJSON_Parse(events[i].payload)
					     : NULL;

		ck_assert_msg(!events[i].payload || p, "bad payload %zu", i);
		ck_assert(journal_append(j, events[i].actor, events[i].type,
					 NULL, events[i].step, p, NULL,
					 &err) > 0);
		cJSON_Delete(p);
		clock_advance(&clk, 30 * 1000000);
	}
	journal_free(j);
	free(jpath);
	free(pb);
	free(pb_src);
	return dir;
}

static char *
render(const char *dir, cJSON **json_out)
{
	struct err err = { 0 };
	struct strbuf md = STRBUF_INIT;
	cJSON *rep = report_build(dir, &err);

	ck_assert_msg(rep != NULL, "%s", err.msg);
	report_render_md(rep, &md);
	if (json_out)
		*json_out = rep;
	else
		cJSON_Delete(rep);
	return strbuf_detach(&md);
}

START_TEST(test_report_of_a_journalled_session_matches_expected)
{
	char *dir = make_session();
	char *md = render(dir, NULL);
	char *path = tu_fixture("report/api-session.md");
	char *want = tu_read_file(path, NULL);

	if (getenv("REWIND_REPORT_REGEN"))	/* to review a change */
		free(tu_write_file(".", "api-session.md", md, strlen(md)));
	ck_assert_msg(want != NULL, "cannot read %s", path);
	ck_assert_str_eq(md, want);
	for (const char *p = md; *p; p++)
		ck_assert_msg((unsigned char)*p >= 0x20 || *p == '\n',
			      "control character in the report");
	free(want);
	free(path);
	free(md);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

static const cJSON *
at(const cJSON *o, const char *a, const char *b)
{
	o = cJSON_GetObjectItemCaseSensitive(o, a);
	return b ? cJSON_GetObjectItemCaseSensitive(o, b) : o;
}

START_TEST(test_report_json_has_the_fields)
{
	char *dir = make_session();
	cJSON *rep;
	char *md = render(dir, &rep);
	const cJSON *d;

	ck_assert_str_eq(at(rep, "summary", "outcome")->valuestring, "complete");
	ck_assert_str_eq(at(rep, "summary", "mode")->valuestring, "DRILL");
	ck_assert_str_eq(at(at(rep, "summary", "versions"), "RESTORE_VERSION",
			    NULL)->valuestring, "1.3.2");
	ck_assert(cJSON_IsTrue(at(rep, "integrity", "intact")));
	ck_assert_int_eq((int)at(rep, "metrics", "time_to_detect_s")
			 ->valuedouble, 600);
	ck_assert_int_eq((int)at(rep, "metrics", "time_to_decision_s")
			 ->valuedouble, 240);
	ck_assert_int_eq((int)at(rep, "metrics", "time_to_execute_s")
			 ->valuedouble, 120);
	d = cJSON_GetArrayItem(at(rep, "decisions", NULL), 0);
	ck_assert(cJSON_IsTrue(at(d, "followed", NULL)));
	ck_assert_str_eq(at(at(d, "cell", NULL), "SEVERITY", NULL)->valuestring,
			 "P0");
	ck_assert_int_eq(cJSON_GetArraySize(at(rep, "approvals", NULL)), 2);
	ck_assert(cJSON_IsTrue(at(cJSON_GetArrayItem(at(rep, "approvals", NULL),
						     0), "voided", NULL)));
	ck_assert_int_eq(cJSON_GetArraySize(at(rep, "undelivered", NULL)), 1);
	ck_assert_int_eq(cJSON_GetArraySize(at(rep, "follow_ups", NULL)), 2);
	ck_assert_int_eq(at(rep, "checklist", "n/a")->valueint, 1);
	ck_assert_int_eq(at(at(rep, "other_events", NULL), "custom.unknown",
			    NULL)->valueint, 1);
	ck_assert_int_eq(at(rep, "scorecard", "score")->valueint, 80);
	ck_assert_str_eq(at(rep, "variables", "DEPLOY_TOKEN")->valuestring,
			 "(secret)");
	ck_assert_ptr_null(strstr(md, "\x1b"));
	cJSON_Delete(rep);
	free(md);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_report_flags_a_tampered_journal_at_its_first_bad_line)
{
	char *dir = make_session();
	char *jpath = xasprintf("%s/journal.jsonl", dir);
	char *text = tu_read_file(jpath, NULL);
	char *hit = strstr(text, "1.3.2");
	cJSON *rep;
	char *md;

	ck_assert_ptr_nonnull(hit);
	memcpy(hit, "9.9.9", 5);	/* line 3 changes, line 4 breaks */
	free(tu_write_file(dir, "journal.jsonl", text, strlen(text)));
	md = render(dir, &rep);
	ck_assert(!cJSON_IsTrue(at(rep, "integrity", "intact")));
	ck_assert_int_eq(at(rep, "integrity", "bad_line")->valueint, 4);
	ck_assert_ptr_nonnull(strstr(md, "JOURNAL INTEGRITY BROKEN**: the "
				     "hash chain breaks at line 4"));
	ck_assert(strstr(md, "JOURNAL INTEGRITY") < strstr(md, "## Summary"));
	/* what could be read is still reported */
	ck_assert_str_eq(at(rep, "summary", "outcome")->valuestring, "complete");
	cJSON_Delete(rep);
	free(md);
	free(text);
	free(jpath);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

/* Nothing hostile from a journal reaches the report: event types, version
 * values, matrix cells (keys too), variable names and score-card keys
 * with ESC, C1 and bidi controls come out as visible text, in the
 * Markdown and in every string and key of the JSON. */
static const struct ev hostile[] = {
	{ "olga", "\x1b]52;c;aGk=\x07\x1b[2J", NULL, NULL },
	{ "olga", "var.set", NULL, "{\"name\":\"RESTORE_VERSION\","
	  "\"value\":\"1.\\u001b[31m3\\u009b2J\"}" },
	{ "olga", "var.set", NULL, "{\"name\":\"X\\u001b[5m\","
	  "\"value\":\"v\"}" },
	{ "olga", "decision.made", "decide.response", "{\"option\":\"rollback\","
	  "\"cell\":{\"SEV\\u001b[2J\":\"P0\\u202e\"}}" },
	{ "rewind", "drill.scorecard", NULL, "{\"score\\u001b[2J\":80,"
	  "\"decision\":{\"exp\\u0085\":\"r\\u001b[0m\"}}" },
};

static int
has_control(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p < 0x20 && *p != '\n') || *p == 0x7f)
			return 1;
		if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			return 1;	/* C1 as UTF-8 */
		if (*p == 0xe2 && p[1] == 0x80 && p[2] >= 0xaa &&
		    p[2] <= 0xae)
			return 1;	/* bidi embedding and override */
	}
	return 0;
}

static int
tree_has_control(const cJSON *o)
{
	for (const cJSON *c = o ? o->child : NULL; c; c = c->next) {
		if ((c->string && has_control(c->string)) ||
		    (cJSON_IsString(c) && has_control(c->valuestring)) ||
		    tree_has_control(c))
			return 1;
	}
	return 0;
}

START_TEST(test_report_makes_every_journal_string_harmless)
{
	char *dir = make_session();
	char *jpath = xasprintf("%s/journal.jsonl", dir);
	struct clock clk;
	struct err err = { 0 };
	struct journal *j;
	cJSON *rep;
	char *md;

	clock_init_manual(&clk, 1767265200LL * 1000000, 0);
	j = journal_open(jpath, &clk, NULL, NULL, &err);
	ck_assert_msg(j != NULL, "%s", err.msg);
	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		cJSON *p = hostile[i].payload ? cJSON_Parse(hostile[i].payload)
					      : NULL;

		ck_assert_msg(!hostile[i].payload || p, "bad payload %zu", i);
		ck_assert(journal_append(j, hostile[i].actor, hostile[i].type,
					 NULL, hostile[i].step, p, NULL,
					 &err) > 0);
		cJSON_Delete(p);
	}
	journal_free(j);
	md = render(dir, &rep);
	if (has_control(md))
		fprintf(stderr, "%s", md);
	ck_assert_msg(!has_control(md), "control bytes in the Markdown");
	ck_assert_msg(!tree_has_control(rep), "control bytes in the JSON");
	ck_assert_ptr_nonnull(strstr(md, "^[]52;c;aGk=^G^[[2J"));
	cJSON_Delete(rep);
	free(md);
	free(jpath);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

/* An incident start long ago (1900) gives a long but right duration, not
 * an int overflow ("-596523h"). */
START_TEST(test_report_duration_from_1900_does_not_overflow)
{
	char *dir = tu_mkdtemp();
	char *jpath = xasprintf("%s/journal.jsonl", dir);
	struct clock clk;
	struct err err = { 0 };
	struct journal *j;
	cJSON *p = cJSON_Parse("{\"name\":\"INCIDENT_START\","
			       "\"value\":\"1900-01-01 00:00\"}");
	char *md;

	clock_init_manual(&clk, 1767261600LL * 1000000, 0);	/* 2026 */
	j = journal_open(jpath, &clk, NULL, NULL, &err);
	ck_assert_msg(j != NULL, "%s", err.msg);
	ck_assert(journal_append(j, "olga", "session.started", NULL, NULL,
				 NULL, NULL, &err) > 0);
	ck_assert(journal_append(j, "olga", "var.set", NULL, NULL, p, NULL,
				 &err) > 0);
	journal_free(j);
	cJSON_Delete(p);
	md = render(dir, NULL);
	/* 2026-01-01 10:00 - 1900-01-01 00:00 = 3976250400 s */
	ck_assert_msg(strstr(md, "| Time to detect | 1104514h 00m |") != NULL,
		      "%s", md);
	ck_assert_ptr_null(strstr(md, "h -"));
	ck_assert_ptr_null(strstr(md, "| -"));
	free(md);
	free(jpath);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

/* Times, durations and digests vary between runs of the binary. */
static void
mask(char *s)
{
	for (char *p = s; *p; p++)
		if (*p >= '0' && *p <= '9')
			*p = '9';
}

/* S (freed) with every "(login USER on HOST...)" of an approval's
 * provenance as "(login LOGIN on HOST)": who runs the test and where
 * are not the golden's business. */
static char *
mask_logins(char *s)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = s, *at, *end;

	while ((at = strstr(p, "(login ")) && (end = strchr(at, ')'))) {
		strbuf_addf(&sb, "%.*s(login LOGIN on HOST)", (int)(at - p), p);
		p = end + 1;
	}
	strbuf_adds(&sb, p);
	free(s);
	return strbuf_detach(&sb);
}

/* Where A and B first differ. */
static size_t
first_diff(const char *a, const char *b)
{
	size_t i = 0;

	while (a[i] && a[i] == b[i])
		i++;
	return i;
}

START_TEST(test_report_written_when_a_batch_drill_completes)
{
	const char *bin = getenv("REWIND_BIN");
	const char *src = getenv("REWIND_SRCDIR");
	char *dir = tu_mkdtemp(), *cmd, *md, *json, *want, *path, *cli;
	cJSON *rep;

	if (!bin || !src) {
		fprintf(stderr, "check_report: SKIP batch walk: REWIND_BIN or "
			"REWIND_SRCDIR unset (run through make check)\n");
		tu_rmtree(dir);
		free(dir);
		return;
	}
	cmd = xasprintf("cd '%s' && HOME='%s' REWIND_TEST_NOW=2026-01-01T10:00:00Z "
			"'%s' drill '%s/playbooks/example.json' --batch "
			"--operator olga --session-dir s1 "
			"<'%s/tests/fixtures/walks/example-rollback.walk' "
			">out.jsonl 2>err.txt", dir, dir, bin, src, src);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	path = xasprintf("%s/s1/report.md", dir);
	md = tu_read_file(path, NULL);
	ck_assert_msg(md != NULL, "no %s after completion", path);
	free(path);
	path = xasprintf("%s/s1/report.json", dir);
	json = tu_read_file(path, NULL);
	rep = cJSON_Parse(json);
	ck_assert_ptr_nonnull(rep);
	ck_assert_str_eq(at(rep, "summary", "outcome")->valuestring, "complete");
	ck_assert_int_eq(cJSON_GetArraySize(at(rep, "decisions", NULL)), 1);
	/* the command gives the same report as the one written */
	cli = xasprintf("cd '%s' && '%s' report s1 -o again.md", dir, bin);
	ck_assert_int_eq(system(cli), 0);
	free(path);
	path = xasprintf("%s/again.md", dir);
	free(json);
	json = tu_read_file(path, NULL);
	ck_assert_str_eq(json, md);
	mask(md);
	md = mask_logins(md);
	free(path);
	path = tu_fixture("report/example-rollback.md");
	want = tu_read_file(path, NULL);
	if (getenv("REWIND_REPORT_REGEN"))
		free(tu_write_file(".", "example-rollback.md", md, strlen(md)));
	ck_assert_msg(want != NULL, "cannot read %s", path);
	/* not ck_assert_str_eq: Check cannot carry two whole reports in
	 * its message (it exits 2, "Message string too long") */
	ck_assert_msg(strcmp(md, want) == 0, "the report differs from %s "
		      "from byte %zu: %.60s", path, first_diff(md, want),
		      md + first_diff(md, want));
	cJSON_Delete(rep);
	free(want);
	free(path);
	free(cli);
	free(json);
	free(md);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

static Suite *
report_suite(void)
{
	Suite *s = suite_create("report");
	struct {
		const char *name;
		const TTest *test;
	} tests[] = {
		{ "expected", test_report_of_a_journalled_session_matches_expected },
		{ "json", test_report_json_has_the_fields },
		{ "tampered", test_report_flags_a_tampered_journal_at_its_first_bad_line },
		{ "batch", test_report_written_when_a_batch_drill_completes },
		{ "hostile", test_report_makes_every_journal_string_harmless },
		{ "1900", test_report_duration_from_1900_does_not_overflow },
	};

	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		TCase *tc = tcase_create(tests[i].name);

		tcase_set_timeout(tc, 60);
		tcase_add_test(tc, tests[i].test);
		suite_add_tcase(s, tc);
	}
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(report_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
