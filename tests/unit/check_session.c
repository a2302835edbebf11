/* The session engine through its public API: the transition rules, the
 * journal it writes, approvals bound to what they approve, resume. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "action.h"
#include "clock.h"
#include "err.h"
#include "journal.h"
#include "loop.h"
#include "session.h"
#include "suites.h"
#include "testutil.h"
#include "xalloc.h"

struct fx {
	char *tmp;
	char *dir;
	char *playbook;
	struct clock clk;
	struct loop *loop;
	struct session *s;
	struct err err;
};

static struct session *
fx_open(struct fx *f, enum session_mode mode, const char *scenario)
{
	struct session_opts o = { 0 };

	o.dir = f->dir;
	o.playbook = f->playbook;
	o.mode = mode;
	o.operator = "olga";
	o.scenario = scenario;
	o.clk = mode == SESSION_DRILL ? &f->clk : NULL;
	o.loop = f->loop;
	f->s = session_open(&o, &f->err);
	ck_assert_msg(f->s != NULL, "session_open: %s", f->err.msg);
	return f->s;
}

static void
fx_init(struct fx *f)
{
	memset(f, 0, sizeof(*f));
	f->tmp = tu_mkdtemp();
	f->dir = xasprintf("%s/session", f->tmp);
	f->playbook = tu_fixture("playbooks/session.json");
	clock_init_manual(&f->clk, 1795289400000000LL, 1000);
	f->loop = loop_new(NULL);
}

static void
fx_done(struct fx *f)
{
	session_free(f->s);
	loop_free(f->loop);
	tu_rmtree(f->tmp);
	free(f->tmp);
	free(f->dir);
	free(f->playbook);
}

/* Apply one batch line; returns session_apply's result. */
static int
act(struct fx *f, const char *line)
{
	return tu_act(f->s, &f->err, line);
}

static void
ok(struct fx *f, const char *line)
{
	tu_ok(f->s, &f->err, line);
}

static void
refused(struct fx *f, const char *line, const char *why)
{
	tu_refused(f->s, &f->err, line, why);
}

/* Run the loop until the session is idle (bounded). */
static void
settle(struct fx *f)
{
	for (int i = 0; i < 2000 && session_is_busy(f->s); i++)
		loop_run_once(f->loop, 10000);
	ck_assert_msg(!session_is_busy(f->s), "step still running");
}

static char *
journal_text(struct fx *f)
{
	return tu_journal_text(f->dir);
}

static void
walk_to_execute(struct fx *f, const char *level)
{
	char line[128];

	ok(f, "tick a.check");
	ok(f, "run a.echo");
	ok(f, "next");
	snprintf(line, sizeof(line), "choose d.level %s the reason", level);
	ok(f, line);
	ok(f, "set VERSION 1.2.2");
	ok(f, "next");
	ok(f, "approve p.signoff \"Technical Lead\" tina");
	ok(f, "approve p.signoff \"Product Owner\" paul");
	ok(f, "next");
}

START_TEST(test_session_next_refused_while_required_step_open)
{
	struct fx f;

	fx_init(&f);
	fx_open(&f, SESSION_DRILL, NULL);
	refused(&f, "next", "a.check (check, open)");
	ok(&f, "tick a.check");
	refused(&f, "next", "a.echo (run, open)");
	ok(&f, "run a.echo");
	ok(&f, "next");
	ck_assert_int_eq(session_phase(f.s), PHASE_DECIDE);
	ck_assert_int_eq(session_step_state(f.s, "a.optional"), STEP_SKIPPED);
	fx_done(&f);
}
END_TEST

START_TEST(test_session_refusals_say_why)
{
	struct fx f;

	fx_init(&f);
	fx_open(&f, SESSION_DRILL, NULL);
	refused(&f, "tick a.echo", "tick a.echo: a run step is done by running it");
	refused(&f, "na p.signoff \"not needed\"", "na applies to any step but "
		"an approval (an approval is signed, never marked n/a); "
		"p.signoff is an approve step");
	refused(&f, "tick nosuch", "no step \"nosuch\"");
	refused(&f, "choose d.level 1 why", "belongs to phase decide");
	refused(&f, "set VERSION \"1.2.2; rm -rf /\"", "does not match");
	refused(&f, "set NOPE x", "declares no variable NOPE");
	refused(&f, "na a.check \"\"", "give a reason");
	ok(&f, "tick a.check");
	refused(&f, "tick a.check", "the step is done");
	fx_done(&f);
}
END_TEST

START_TEST(test_session_when_false_steps_are_skipped_and_refused)
{
	struct fx f;

	fx_init(&f);
	fx_open(&f, SESSION_DRILL, NULL);
	walk_to_execute(&f, "2");
	refused(&f, "run e.reset", "does not apply");
	ok(&f, "tick e.partial");
	ok(&f, "next");
	ck_assert_int_eq(session_step_state(f.s, "e.reset"), STEP_SKIPPED);
	fx_done(&f);
}
END_TEST

START_TEST(test_session_destructive_run_needs_exact_confirmation)
{
	struct fx f;
	char *text;

	fx_init(&f);
	fx_open(&f, SESSION_DRILL, NULL);
	walk_to_execute(&f, "1");
	refused(&f, "run e.reset", "confirm e.reset 1.2.2");
	refused(&f, "confirm e.reset 1.2.3", "type exactly \"1.2.2\"");
	ok(&f, "confirm e.reset 1.2.2");
	ok(&f, "run e.reset");
	ck_assert_int_eq(session_step_state(f.s, "e.reset"), STEP_DONE);
	refused(&f, "run e.reset", "confirm e.reset 1.2.2");
	text = journal_text(&f);
	ck_assert_ptr_nonnull(strstr(text, "\"type\":\"step.confirm_mismatch\""));
	free(text);
	fx_done(&f);
}
END_TEST

START_TEST(test_session_read_only_refuses_destructive_steps)
{
	struct fx f;
	struct session_opts o = { 0 };

	fx_init(&f);
	o.dir = f.dir;
	o.playbook = f.playbook;
	o.mode = SESSION_DRILL;
	o.operator = "olga";
	o.clk = &f.clk;
	o.read_only = 1;
	f.s = session_open(&o, &f.err);
	ck_assert_ptr_nonnull(f.s);
	walk_to_execute(&f, "1");
	/* nothing is confirmed for a run that cannot start */
	refused(&f, "confirm e.reset 1.2.2", "opened read-only");
	refused(&f, "run e.reset", "opened read-only");
	fx_done(&f);
}
END_TEST

START_TEST(test_session_approver_must_not_be_operator)
{
	struct fx f;

	fx_init(&f);
	fx_open(&f, SESSION_DRILL, NULL);
	ok(&f, "tick a.check");
	ok(&f, "run a.echo");
	ok(&f, "next");
	ok(&f, "choose d.level 1 because");
	ok(&f, "set VERSION 1.2.2");
	ok(&f, "next");
	refused(&f, "approve p.signoff \"Technical Lead\" OLGA", "is the same person as the operator, olga");
	refused(&f, "approve p.signoff Janitor jim", "no role \"Janitor\"");
	ok(&f, "approve p.signoff \"Technical Lead\" tina");
	refused(&f, "approve p.signoff \"Product Owner\" tina", "already approved");
	refused(&f, "next", "p.signoff (approve, open)");
	fx_done(&f);
}
END_TEST

START_TEST(test_session_approval_void_when_gated_variable_changes)
{
	struct fx f;
	char *text;
	cJSON *aw;

	fx_init(&f);
	fx_open(&f, SESSION_DRILL, NULL);
	walk_to_execute(&f, "1");
	ok(&f, "set VERSION 1.2.1");
	ck_assert_int_eq(session_step_state(f.s, "p.signoff"), STEP_OPEN);
	refused(&f, "confirm e.reset 1.2.1", "needs the sign-off of p.signoff");
	refused(&f, "run e.reset", "needs the sign-off of p.signoff");
	aw = session_awaiting(f.s);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(aw, "reopened")), 1);
	cJSON_Delete(aw);
	ok(&f, "approve p.signoff \"Technical Lead\" tina");
	ok(&f, "approve p.signoff \"Product Owner\" paul");
	ok(&f, "confirm e.reset 1.2.1");
	ok(&f, "run e.reset");
	text = journal_text(&f);
	ck_assert_ptr_nonnull(strstr(text, "\"type\":\"approval.voided\""));
	free(text);
	fx_done(&f);
}
END_TEST

START_TEST(test_session_drill_spawns_nothing_and_uses_scenario_outcome)
{
	struct fx f;
	char *text;

	fx_init(&f);
	fx_open(&f, SESSION_DRILL, "reset-breaks");
	walk_to_execute(&f, "1");
	ok(&f, "confirm e.reset 1.2.2");
	ok(&f, "run e.reset");
	ck_assert_int_eq(session_step_state(f.s, "e.reset"), STEP_FAILED);
	text = journal_text(&f);
	ck_assert_ptr_nonnull(strstr(text, "fatal: could not reset"));
	ck_assert_ptr_nonnull(strstr(text, "exit status 128, expected 0"));
	free(text);
	fx_done(&f);
}
END_TEST

START_TEST(test_session_drill_expect_output_judged)
{
	struct fx f;

	fx_init(&f);
	fx_open(&f, SESSION_DRILL, NULL);
	ok(&f, "run a.expect");
	ck_assert_int_eq(session_step_state(f.s, "a.expect"), STEP_DONE);
	ok(&f, "run a.fail");
	ck_assert_int_eq(session_step_state(f.s, "a.fail"), STEP_FAILED);
	fx_done(&f);
}
END_TEST

/* None of the files the value would create, had the shell run it, is in
 * DIR, which must exist (else the check could not fail). */
static void
assert_no_pwned(const char *dir)
{
	static const char *const names[] = { "PWNED", "PWNED2", "PWNED3" };
	struct stat st;

	ck_assert_msg(stat(dir, &st) == 0 && S_ISDIR(st.st_mode),
		      "the step's cwd %s is no directory", dir);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char *path = xasprintf("%s/%s", dir, names[i]);

		ck_assert_msg(access(path, F_OK) != 0,
			      "%s exists: the variable ran as shell code", path);
		free(path);
	}
}

START_TEST(test_session_live_run_passes_variables_as_environment)
{
	struct fx f;
	char *text;
	char *pwned;
	cJSON *started;
	const char *cwd;

	fx_init(&f);
	fx_open(&f, SESSION_LIVE, NULL);
	ok(&f, "set FREE \"x; touch PWNED; $(touch PWNED2) `touch PWNED3`\"");
	ck_assert_int_eq(act(&f, "run a.echo"), 1);
	settle(&f);
	ck_assert_int_eq(session_step_state(f.s, "a.echo"), STEP_DONE);
	text = journal_text(&f);
	ck_assert_ptr_nonnull(strstr(text, "\"tail\":\"x; touch PWNED; $(touch PWNED2) `touch PWNED3`\""));
	free(text);
	pwned = xasprintf("%s/PWNED", f.tmp);
	ck_assert_int_ne(access(pwned, F_OK), 0);
	ck_assert_int_ne(access("PWNED", F_OK), 0);
	ck_assert_int_ne(access("PWNED2", F_OK), 0);
	free(pwned);
	/* Where the command ran (the playbook has no git target: the
	 * test's own cwd, relative to which the journalled cwd is read). */
	started = tu_last_event(f.dir, "step.started", "a.echo");
	ck_assert_ptr_nonnull(started);
	cwd = cJSON_GetStringValue(cJSON_GetObjectItem(started, "cwd"));
	ck_assert_msg(cwd != NULL, "step.started of a.echo names no cwd");
	assert_no_pwned(cwd);
	assert_no_pwned(f.tmp);
	assert_no_pwned(f.dir);
	cJSON_Delete(started);
	fx_done(&f);
}
END_TEST

START_TEST(test_session_live_failure_and_expectation_mark_failed)
{
	struct fx f;
	char *text;

	fx_init(&f);
	fx_open(&f, SESSION_LIVE, NULL);
	ck_assert_int_eq(act(&f, "run a.fail"), 1);
	settle(&f);
	ck_assert_int_eq(session_step_state(f.s, "a.fail"), STEP_FAILED);
	ck_assert_int_eq(act(&f, "run a.expect"), 1);
	settle(&f);
	ck_assert_int_eq(session_step_state(f.s, "a.expect"), STEP_FAILED);
	text = journal_text(&f);
	ck_assert_ptr_nonnull(strstr(text, "exit status 3, expected 0"));
	ck_assert_ptr_nonnull(strstr(text, "output did not match /healthy/"));
	free(text);
	fx_done(&f);
}
END_TEST

START_TEST(test_session_secret_variable_never_journalled)
{
	struct fx f;
	char *text;

	fx_init(&f);
	fx_open(&f, SESSION_DRILL, NULL);
	ok(&f, "set API_TOKEN s3cr3t-value-123");
	ck_assert_str_eq(session_var(f.s, "API_TOKEN"), "s3cr3t-value-123");
	text = journal_text(&f);
	ck_assert_ptr_null(strstr(text, "s3cr3t-value-123"));
	ck_assert_ptr_nonnull(strstr(text, "\"secret\":true"));
	free(text);
	fx_done(&f);
}
END_TEST

START_TEST(test_session_env_secret_never_journalled)
{
	struct fx f;
	char *text;

	setenv("DEPLOY_TOKEN", "tkn-9f8e7d6c5b", 1);
	fx_init(&f);
	fx_open(&f, SESSION_LIVE, NULL);
	ok(&f, "note the token is tkn-9f8e7d6c5b, do not paste it");
	ok(&f, "set FREE tkn-9f8e7d6c5b");
	ck_assert_msg(act(&f, "run a.echo") == 1, "run: %s", f.err.msg);
	settle(&f);
	text = journal_text(&f);
	ck_assert_ptr_null(strstr(text, "tkn-9f8e7d6c5b"));
	ck_assert_ptr_nonnull(strstr(text, "the token is ********, do not"));
	free(text);
	fx_done(&f);
}
END_TEST

START_TEST(test_session_resume_restores_state_and_phase)
{
	struct fx f;
	enum phase_id phase;

	fx_init(&f);
	fx_open(&f, SESSION_DRILL, NULL);
	walk_to_execute(&f, "1");
	phase = session_phase(f.s);
	session_free(f.s);
	f.s = NULL;
	fx_open(&f, SESSION_DRILL, NULL);
	ck_assert_int_eq(session_phase(f.s), phase);
	ck_assert_str_eq(session_var(f.s, "VERSION"), "1.2.2");
	ck_assert_int_eq(session_step_state(f.s, "p.signoff"), STEP_DONE);
	ck_assert_str_eq(session_operator(f.s), "olga");
	ok(&f, "confirm e.reset 1.2.2");
	ok(&f, "run e.reset");
	fx_done(&f);
}
END_TEST

START_TEST(test_session_second_driver_is_refused)
{
	struct fx f;
	struct session_opts o = { 0 };
	struct err err = { 0 };

	fx_init(&f);
	fx_open(&f, SESSION_DRILL, NULL);
	o.dir = f.dir;
	o.mode = SESSION_DRILL;
	ck_assert_ptr_null(session_open(&o, &err));
	ck_assert_ptr_nonnull(strstr(err.msg, "already open in another"));
	fx_done(&f);
}
END_TEST

START_TEST(test_session_message_never_overwrites)
{
	struct fx f;
	char *path, *text;

	fx_init(&f);
	fx_open(&f, SESSION_DRILL, NULL);
	walk_to_execute(&f, "2");
	ok(&f, "tick e.partial");
	ok(&f, "next");
	ok(&f, "next");
	path = xasprintf("%s/messages", f.dir);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	free(path);
	path = xasprintf("%s/messages/c.msg.txt", f.dir);
	free(tu_write_file(f.dir, "messages/c.msg.txt", "keep me", 7));
	ok(&f, "send c.msg");
	text = tu_read_file(path, NULL);
	ck_assert_str_eq(text, "keep me");
	free(text);
	free(path);
	path = xasprintf("%s/messages/c.msg-2.txt", f.dir);
	text = tu_read_file(path, NULL);
	ck_assert_str_eq(text, "Rolled back to 1.2.2 by olga");
	free(text);
	free(path);
	ok(&f, "next");
	ck_assert(session_is_complete(f.s));
	fx_done(&f);
}
END_TEST

START_TEST(test_session_live_wait_finishes_on_timer)
{
	struct fx f;

	fx_init(&f);
	fx_open(&f, SESSION_LIVE, NULL);
	ok(&f, "tick a.check");
	ok(&f, "run a.echo");
	settle(&f);
	ok(&f, "next");
	ok(&f, "choose d.level 2 because");
	ok(&f, "set VERSION 1.0.0");
	ok(&f, "next");
	ok(&f, "approve p.signoff \"Technical Lead\" tina");
	ok(&f, "approve p.signoff \"Product Owner\" paul");
	ok(&f, "next");
	ok(&f, "tick e.partial");
	ok(&f, "next");
	ck_assert_int_eq(act(&f, "run v.wait"), 1);
	settle(&f);
	ck_assert_int_eq(session_step_state(f.s, "v.wait"), STEP_DONE);
	fx_done(&f);
}
END_TEST

Suite *
session_suite(void)
{
	Suite *s = suite_create("session");
	TCase *rules = tcase_create("rules");
	TCase *live = tcase_create("live");
	TCase *life = tcase_create("lifecycle");

	tcase_set_timeout(rules, 20);
	tcase_set_timeout(live, 20);
	tcase_set_timeout(life, 20);
	tcase_add_test(rules, test_session_next_refused_while_required_step_open);
	tcase_add_test(rules, test_session_refusals_say_why);
	tcase_add_test(rules, test_session_when_false_steps_are_skipped_and_refused);
	tcase_add_test(rules, test_session_destructive_run_needs_exact_confirmation);
	tcase_add_test(rules, test_session_approver_must_not_be_operator);
	tcase_add_test(rules, test_session_read_only_refuses_destructive_steps);
	tcase_add_test(rules, test_session_approval_void_when_gated_variable_changes);
	tcase_add_test(rules, test_session_drill_spawns_nothing_and_uses_scenario_outcome);
	tcase_add_test(rules, test_session_drill_expect_output_judged);
	tcase_add_test(rules, test_session_secret_variable_never_journalled);
	tcase_add_test(live, test_session_live_run_passes_variables_as_environment);
	tcase_add_test(live, test_session_live_failure_and_expectation_mark_failed);
	tcase_add_test(live, test_session_live_wait_finishes_on_timer);
	tcase_add_test(live, test_session_env_secret_never_journalled);
	tcase_add_test(life, test_session_resume_restores_state_and_phase);
	tcase_add_test(life, test_session_second_driver_is_refused);
	tcase_add_test(life, test_session_message_never_overwrites);
	suite_add_tcase(s, rules);
	suite_add_tcase(s, live);
	suite_add_tcase(s, life);
	return s;
}
