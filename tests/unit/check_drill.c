/* Drill mode: scenario injections (at a time, after a step, never twice
 * across a resume), predictions, the score card, the realistic pace on a
 * manual clock, the read-only rule and the real run in a throwaway clone. */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <check.h>
#include <cjson/cJSON.h>
#include <git2.h>

#include "action.h"
#include "clock.h"
#include "clone.h"
#include "drill.h"
#include "err.h"
#include "loop.h"
#include "playbook.h"
#include "session.h"
#include "strbuf.h"
#include "testutil.h"
#include "xalloc.h"

#define START_WALL 1795289400000000LL

static const char playbook_text[] =
"{ \"id\": \"drill-test\", \"title\": \"drill test\",\n"
"  \"targets\": { \"git\": { \"path\": \"@REPO@\" } },\n"
"  \"targets_rto\": { \"default\": \"10m\",\n"
"                   \"phases\": { \"assess\": \"1m\", \"execute\": \"1m\" } },\n"
"  \"phases\": [\n"
"    { \"id\": \"assess\", \"steps\": [\n"
"      { \"id\": \"a.check\", \"kind\": \"check\", \"title\": \"look\",\n"
"        \"drill\": { \"output\": \"500 on every request\" } },\n"
"      { \"id\": \"a.opt\", \"kind\": \"check\", \"title\": \"optional\",\n"
"        \"required\": false, \"drill\": { \"output\": \"3 reports\" } },\n"
"      { \"id\": \"a.list\", \"kind\": \"run\", \"title\": \"list tags\",\n"
"        \"run\": \"git tag -l\", \"predict\": true,\n"
"        \"drill\": { \"output\": [\"v1\", \"v2\", \"v3\", \"v4\"],\n"
"                   \"duration\": \"4s\", \"real_in_clone\": true } },\n"
"      { \"id\": \"a.push\", \"kind\": \"run\", \"title\": \"push\",\n"
"        \"run\": \"git push origin v1\", \"required\": false,\n"
"        \"predict\": true, \"drill\": { \"output\": \"pushed\" } } ] },\n"
"    { \"id\": \"decide\", \"steps\": [\n"
"      { \"id\": \"d.how\", \"kind\": \"decide\", \"title\": \"how\",\n"
"        \"options\": [ { \"id\": \"rollback\", \"label\": \"Roll back\" },\n"
"                       { \"id\": \"wait\", \"label\": \"Wait\" } ] } ] },\n"
"    { \"id\": \"approve\", \"steps\": [\n"
"      { \"id\": \"p.ok\", \"kind\": \"approve\", \"title\": \"sign-off\",\n"
"        \"roles\": [ { \"role\": \"Lead\" } ] } ] },\n"
"    { \"id\": \"execute\", \"steps\": [\n"
"      { \"id\": \"e.reset\", \"kind\": \"run\", \"title\": \"reset\",\n"
"        \"run\": \"git reset --hard v1\", \"destructive\": true,\n"
"        \"confirm\": \"v1\", \"drill\": { \"output\": \"HEAD is now at v1\" } } ] },\n"
"    { \"id\": \"verify\", \"steps\": [\n"
"      { \"id\": \"v.check\", \"kind\": \"check\", \"title\": \"fine\" } ] },\n"
"    { \"id\": \"communicate\", \"steps\": [\n"
"      { \"id\": \"c.check\", \"kind\": \"check\", \"title\": \"told\",\n"
"        \"drill\": { \"output\": \"#status: rollback posted\" } },\n"
"      { \"id\": \"c.status\", \"kind\": \"check\", \"title\": \"status page\",\n"
"        \"required\": false } ] }\n"
"  ],\n"
"  \"scenarios\": [\n"
"    { \"id\": \"outage\", \"title\": \"outage\",\n"
"      \"expect\": { \"step\": \"d.how\", \"option\": \"rollback\" },\n"
"      \"outcomes\": { \"a.push\": { \"exit\": 1, \"output\": \"E403 forbidden\" },\n"
"                    \"v.check\": { \"output\": \"run 77 failed on main\" } },\n"
"      \"state\": { \"registry\": { \"pkg\": { \"dist-tags\": { \"latest\": \"1.2.3\" } } } },\n"
"      \"inject\": [\n"
"        { \"id\": \"moved\", \"at\": \"90s\", \"alert\": \"latest moved\",\n"
"          \"state\": { \"registry\": { \"pkg\": { \"dist-tags\": { \"latest\": \"1.2.4\" } } } } },\n"
"        { \"id\": \"errors\", \"after\": \"a.list\", \"log\": \"app\",\n"
"          \"lines\": [ \"ERROR one\", \"ERROR two\" ] } ] } ]\n"
"}\n";

struct fx {
	char *tmp;
	char *dir;
	char *playbook;
	struct clock clk;
	struct loop *loop;
	struct session *s;
	struct err err;
	int n_output;		/* output lines the listener saw */
	int n_done;		/* CORE_EV_STEP_DONE seen */
};

static void
on_event(const struct core_event *ev, void *arg)
{
	struct fx *f = arg;

	f->n_output += ev->kind == CORE_EV_OUTPUT;
	f->n_done += ev->kind == CORE_EV_STEP_DONE;
}

static void
fx_write_playbook(struct fx *f, const char *repo)
{
	const char *at = strstr(playbook_text, "@REPO@");
	char *text = xasprintf("%.*s%s%s", (int)(at - playbook_text),
			       playbook_text, repo, at + 6);

	free(f->playbook);
	f->playbook = tu_write_file(f->tmp, "drill.json", text, strlen(text));
	free(text);
}

static void
fx_init(struct fx *f, int manual_loop)
{
	char *dir_missing;

	memset(f, 0, sizeof(*f));
	f->tmp = tu_mkdtemp();
	f->dir = xasprintf("%s/session", f->tmp);
	clock_init_manual(&f->clk, START_WALL, 1000);
	f->loop = loop_new(manual_loop ? &f->clk : NULL);
	/* No repository there: opted-in steps stay simulated (and say why)
	 * wherever the test runs, a git checkout or not. */
	dir_missing = xasprintf("%s/no-such-repo", f->tmp);
	fx_write_playbook(f, dir_missing);
	free(dir_missing);
}

static struct session *
fx_open(struct fx *f, enum session_mode mode, const char *scenario)
{
	struct session_opts o = { 0 };

	o.dir = f->dir;
	o.playbook = f->playbook;
	o.mode = mode;
	o.operator = "olga";
	o.scenario = scenario;
	o.clk = &f->clk;
	o.loop = f->loop;
	o.listener = on_event;
	o.listener_arg = f;
	f->s = session_open(&o, &f->err);
	ck_assert_msg(f->s != NULL, "session_open: %s", f->err.msg);
	return f->s;
}

static void
fx_close(struct fx *f)
{
	tu_session_close(&f->s);
}

static void
fx_done(struct fx *f)
{
	fx_close(f);
	loop_free(f->loop);
	tu_rmtree(f->tmp);
	free(f->tmp);
	free(f->dir);
	free(f->playbook);
}

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

/* Move the manual clock on and let the loop fire what is due. */
static void
advance(struct fx *f, int64_t us)
{
	clock_advance(&f->clk, us);
	for (int i = 0; i < 8; i++)
		loop_run_once(f->loop, 0);
}

static int
count_in_journal(struct fx *f, const char *needle)
{
	return tu_count_in_journal(f->dir, needle);
}

static const char *
latest(const struct session *s)
{
	const cJSON *st = session_drill_state(s);
	const cJSON *tags;

	tags = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(st, "registry"), "pkg"),
		"dist-tags");
	return cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(tags, "latest"));
}

static int
n_log_lines(const struct session *s, const char *log)
{
	const cJSON *logs = cJSON_GetObjectItemCaseSensitive(
		session_drill_state(s), "logs");

	return cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(logs, log));
}

/* --- injections ------------------------------------------------------------------- */

START_TEST(test_drill_injection_fires_after_its_step)
{
	struct fx f;

	fx_init(&f, 1);
	fx_open(&f, SESSION_DRILL, "outage");
	ck_assert_str_eq(latest(f.s), "1.2.3");
	ck_assert_int_eq(n_log_lines(f.s, "app"), 0);
	ok(&f, "predict a.list ok, four tags");
	ok(&f, "run a.list");
	ck_assert_int_eq(n_log_lines(f.s, "app"), 2);
	ck_assert_int_eq(count_in_journal(&f, "\"type\":\"drill.inject\""), 1);
	ck_assert_int_eq(count_in_journal(&f, "\"id\":\"errors\""), 1);
	ck_assert_str_eq(latest(f.s), "1.2.3");
	fx_done(&f);
}
END_TEST

START_TEST(test_drill_injection_fires_at_its_time)
{
	struct fx f;
	const cJSON *alerts;

	fx_init(&f, 1);
	fx_open(&f, SESSION_DRILL, "outage");
	advance(&f, 89 * 1000000LL);
	ck_assert_str_eq(latest(f.s), "1.2.3");
	advance(&f, 2 * 1000000LL);
	ck_assert_str_eq(latest(f.s), "1.2.4");
	alerts = cJSON_GetObjectItemCaseSensitive(session_drill_state(f.s),
						  "alerts");
	ck_assert_int_eq(cJSON_GetArraySize(alerts), 1);
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetArrayItem(alerts, 0), "text")), "latest moved");
	ck_assert_int_eq(count_in_journal(&f, "\"id\":\"moved\""), 1);
	fx_done(&f);
}
END_TEST

START_TEST(test_drill_resume_rebuilds_state_and_never_refires)
{
	struct fx f;

	fx_init(&f, 1);
	fx_open(&f, SESSION_DRILL, "outage");
	ok(&f, "predict a.list ok");
	ok(&f, "run a.list");
	fx_close(&f);
	/* The process was gone when "moved" was due: it fires on resume,
	 * once, and a second resume fires nothing. */
	clock_advance(&f.clk, 120 * 1000000LL);
	fx_open(&f, SESSION_DRILL, NULL);
	ck_assert_str_eq(latest(f.s), "1.2.4");
	ck_assert_int_eq(n_log_lines(f.s, "app"), 2);
	fx_close(&f);
	fx_open(&f, SESSION_DRILL, NULL);
	advance(&f, 600 * 1000000LL);
	ck_assert_str_eq(latest(f.s), "1.2.4");
	ck_assert_int_eq(n_log_lines(f.s, "app"), 2);
	ck_assert_int_eq(count_in_journal(&f, "\"type\":\"drill.inject\""), 2);
	ck_assert_str_eq(drill_prediction(f.s, "a.list"), "ok");
	fx_done(&f);
}
END_TEST

START_TEST(test_drill_no_scenario_has_empty_world)
{
	struct fx f;

	fx_init(&f, 1);
	fx_open(&f, SESSION_DRILL, NULL);
	ck_assert_ptr_nonnull(session_drill_state(f.s));
	ck_assert_ptr_null(latest(f.s));
	advance(&f, 600 * 1000000LL);
	ck_assert_int_eq(count_in_journal(&f, "drill.inject"), 0);
	fx_done(&f);
}
END_TEST

/* --- predictions ---------------------------------------------------------------------- */

START_TEST(test_drill_run_without_prediction_is_refused)
{
	struct fx f;

	fx_init(&f, 1);
	fx_open(&f, SESSION_DRILL, NULL);
	ck_assert(drill_wants_prediction(f.s, "a.list"));
	refused(&f, "run a.list", "predict a.list");
	ck_assert_int_eq(session_step_state(f.s, "a.list"), STEP_OPEN);
	refused(&f, "predict a.check it is fine", "run steps");
	ok(&f, "predict a.list ok, four tags");
	ck_assert(!drill_wants_prediction(f.s, "a.list"));
	ok(&f, "run a.list");
	ck_assert_int_eq(session_step_state(f.s, "a.list"), STEP_DONE);
	ck_assert_int_eq(count_in_journal(&f, "\"type\":\"step.predicted\""), 1);
	/* A re-run keeps the prediction it had. */
	ok(&f, "run a.list");
	fx_done(&f);
}
END_TEST

START_TEST(test_live_session_ignores_predictions)
{
	struct fx f;

	fx_init(&f, 1);
	fx_open(&f, SESSION_LIVE, NULL);
	ck_assert(!drill_wants_prediction(f.s, "a.list"));
	refused(&f, "predict a.list ok", "drills");
	ck_assert_ptr_null(session_drill_state(f.s));
	fx_done(&f);
}
END_TEST

/* What a check shows comes from the scenario's world first: its outcome
 * for the check; a check nothing shows, in any phase, is unverifiable. */
START_TEST(test_drill_check_evidence_from_scenario_any_phase)
{
	struct fx f;

	fx_init(&f, 1);
	fx_open(&f, SESSION_DRILL, "outage");
	ck_assert_str_eq(drill_check_evidence(f.s, "v.check"),
			 "run 77 failed on main");
	ck_assert(!drill_unverifiable(f.s, "v.check"));
	ck_assert(!drill_unverifiable(f.s, "a.check"));
	ck_assert(!drill_unverifiable(f.s, "a.opt"));
	ck_assert(drill_unverifiable(f.s, "c.status"));
	fx_done(&f);
}
END_TEST

/* --- score card --------------------------------------------------------------------------- */

static void
walk_to_end(struct fx *f, const char *option)
{
	char *choose = xasprintf("choose d.how %s because", option);

	ok(f, "tick a.check");
	ok(f, "predict a.list ok, four tags");
	ok(f, "run a.list");
	ok(f, "predict a.push fails with E403");
	ok(f, "run a.push");
	ok(f, "next");
	ok(f, choose);
	ok(f, "next");
	ok(f, "approve p.ok Lead lena");
	ok(f, "next");
	refused(f, "confirm e.reset v2", "does not match");
	ok(f, "confirm e.reset v1");
	ok(f, "run e.reset");
	ok(f, "next");
	ok(f, "tick v.check");
	ok(f, "next");
	ok(f, "tick c.check");
	ok(f, "next");
	free(choose);
}

static cJSON *
read_scorecard(struct fx *f)
{
	char *path = xasprintf("%s/scorecard.json", f->dir);
	char *text = tu_read_file(path, NULL);
	cJSON *card;

	ck_assert_msg(text != NULL, "no %s", path);
	card = cJSON_Parse(text);
	ck_assert_ptr_nonnull(card);
	free(text);
	free(path);
	return card;
}

static int
criterion(const cJSON *card, const char *name)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(card, "criteria"))
		if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
				   c, "name")), name) == 0)
			return cJSON_GetObjectItemCaseSensitive(c, "points")
				->valueint;
	ck_abort_msg("no criterion %s", name);
	return -1;
}

static const cJSON *
prediction_of(const cJSON *card, const char *step)
{
	const cJSON *p;

	cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(card,
							       "predictions"))
		if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
				   p, "step")), step) == 0)
			return p;
	ck_abort_msg("no prediction for %s", step);
	return NULL;
}

START_TEST(test_scorecard_expected_decision_followed)
{
	struct fx f;
	cJSON *card;
	const cJSON *p;

	fx_init(&f, 1);
	fx_open(&f, SESSION_DRILL, "outage");
	clock_advance(&f.clk, 30 * 1000000LL);	/* assess: 30 s of 60 */
	walk_to_end(&f, "rollback");
	ck_assert(session_is_complete(f.s));
	ck_assert_int_eq(count_in_journal(&f, "\"type\":\"drill.scorecard\""), 1);
	card = read_scorecard(&f);
	ck_assert_int_eq(criterion(card, "decision"), 30);
	ck_assert_int_eq(criterion(card, "rto"), 20);
	ck_assert_int_eq(criterion(card, "phases"), 10);
	/* the checks earn what was done: a.opt, an optional check, left
	 * open earns nothing of its share (10 * 3 of 4, rounded down); a.push,
	 * an optional run step that failed and was left, is a fallback and
	 * counts not; c.status, optional with nothing in the drill to show
	 * it, neither. */
	ck_assert_int_eq(criterion(card, "checks"), 7);
	ck_assert_int_eq(criterion(card, "approvals"), 10);
	ck_assert_int_eq(criterion(card, "confirmations"), 5);
	ck_assert_int_eq(criterion(card, "predictions"), 10);
	/* a.check ticked, c.check ticked: nothing skipped to assess or tell */
	ck_assert_int_eq(criterion(card, "assessment"), 10);
	ck_assert_int_eq(criterion(card, "communication"), 10);
	ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(card, "score")->valueint,
			 142);	/* v.check has evidence: 20; e.reset run: 10 */
	p = prediction_of(card, "a.push");
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(p, "right")));
	ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(p, "exit")->valueint, 1);
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		p, "first_lines")), "E403 forbidden");
	p = prediction_of(card, "a.list");
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		p, "first_lines")), "v1\nv2\nv3");
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(card, "expected"), "followed")));
	cJSON_Delete(card);
	fx_done(&f);
}
END_TEST

START_TEST(test_scorecard_expected_decision_not_followed)
{
	struct fx f;
	cJSON *card;
	const cJSON *e;

	fx_init(&f, 1);
	fx_open(&f, SESSION_DRILL, "outage");
	clock_advance(&f.clk, 20 * 60 * 1000000LL);	/* past RTO and assess */
	walk_to_end(&f, "wait");
	card = read_scorecard(&f);
	e = cJSON_GetObjectItemCaseSensitive(card, "expected");
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		e, "chosen")), "wait");
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(e, "followed")));
	ck_assert_int_eq(criterion(card, "decision"), 0);
	ck_assert_int_eq(criterion(card, "rto"), 0);
	ck_assert_int_eq(criterion(card, "phases"), 5);	/* execute met */
	ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(card, "score")->valueint,
			 87);	/* checks: a.opt left open earns nothing */
	cJSON_Delete(card);
	fx_done(&f);
}
END_TEST

/* A playbook without recovery-time targets, approvals, destructive steps
 * or predictions, and with one required verification that runs. */
static const char honest_text[] =
"{ \"id\": \"honest\", \"title\": \"honest\",\n"
"  \"phases\": [\n"
"    { \"id\": \"assess\", \"steps\": [\n"
"      { \"id\": \"a.check\", \"kind\": \"check\", \"title\": \"look\",\n"
"        \"drill\": { \"output\": \"every request fails\" } } ] },\n"
"    { \"id\": \"decide\", \"steps\": [\n"
"      { \"id\": \"d.how\", \"kind\": \"decide\", \"title\": \"how\",\n"
"        \"options\": [ { \"id\": \"rollback\", \"label\": \"Roll back\" },\n"
"                       { \"id\": \"wait\", \"label\": \"Wait\" } ] } ] },\n"
"    { \"id\": \"approve\", \"steps\": [\n"
"      { \"id\": \"p.check\", \"kind\": \"check\", \"title\": \"asked\" } ] },\n"
"    { \"id\": \"execute\", \"steps\": [\n"
"      { \"id\": \"e.check\", \"kind\": \"check\", \"title\": \"done\" } ] },\n"
"    { \"id\": \"verify\", \"steps\": [\n"
"      { \"id\": \"v.health\", \"kind\": \"run\", \"title\": \"health\",\n"
"        \"run\": \"curl -fsS http://127.0.0.1:9/health\",\n"
"        \"drill\": { \"output\": \"ok\" } } ] },\n"
"    { \"id\": \"communicate\", \"steps\": [\n"
"      { \"id\": \"c.check\", \"kind\": \"check\", \"title\": \"told\",\n"
"        \"drill\": { \"output\": \"#status: rollback posted\" } } ] }\n"
"  ],\n"
"  \"scenarios\": [\n"
"    { \"id\": \"outage\", \"title\": \"outage\",\n"
"      \"expect\": { \"step\": \"d.how\", \"option\": \"rollback\",\n"
"                  \"rationale\": \"every request fails\" } } ]\n"
"}\n";

static void
fx_use_honest(struct fx *f)
{
	free(f->playbook);
	f->playbook = tu_write_file(f->tmp, "honest.json", honest_text,
				    strlen(honest_text));
}

static void
walk_honest(struct fx *f, const char *verify_line)
{
	ok(f, "tick a.check");
	ok(f, "next");
	ok(f, "choose d.how rollback nothing answers since the release");
	ok(f, "next");
	ok(f, "tick p.check");
	ok(f, "next");
	ok(f, "tick e.check");
	ok(f, "next");
	ok(f, verify_line);
	ok(f, "next");
	ok(f, "tick c.check");
	ok(f, "next");
	ck_assert(session_is_complete(f->s));
}

static const cJSON *
criterion_item(const cJSON *card, const char *name)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(card, "criteria"))
		if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
				   c, "name")), name) == 0)
			return c;
	ck_abort_msg("no criterion %s", name);
	return NULL;
}

static int
card_int(const cJSON *card, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(card, key)->valueint;
}

START_TEST(test_scorecard_leaves_out_what_does_not_apply)
{
	static const char *const out[] = { "decision", "rto", "phases",
		"approvals", "confirmations", "predictions" };
	struct fx f;
	cJSON *card;

	fx_init(&f, 1);
	fx_use_honest(&f);
	fx_open(&f, SESSION_DRILL, NULL);
	walk_honest(&f, "run v.health");
	card = read_scorecard(&f);
	for (size_t i = 0; i < sizeof(out) / sizeof(out[0]); i++) {
		const cJSON *c = criterion_item(card, out[i]);

		ck_assert_msg(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(
			c, "applies")), "%s counted", out[i]);
		ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(
			c, "points")));
	}
	ck_assert_int_eq(criterion(card, "verifications"), 20);
	ck_assert_int_eq(criterion(card, "checks"), 10);
	ck_assert_int_eq(criterion(card, "assessment"), 10);
	ck_assert_int_eq(criterion(card, "communication"), 10);
	ck_assert_int_eq(card_int(card, "max"), 50);
	ck_assert_int_eq(card_int(card, "score"), 50);
	cJSON_Delete(card);
	fx_done(&f);
}
END_TEST

START_TEST(test_scorecard_na_on_required_verification_costs)
{
	struct fx f;
	cJSON *card;
	const cJSON *u;

	fx_init(&f, 1);
	fx_use_honest(&f);
	fx_open(&f, SESSION_DRILL, "outage");
	walk_honest(&f, "na v.health checked by hand");
	card = read_scorecard(&f);
	ck_assert_int_eq(criterion(card, "verifications"), 0);
	u = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(card,
							       "unverified"), 0);
	ck_assert_ptr_nonnull(u);
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		u, "step")), "v.health");
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		u, "reason")), "checked by hand");
	ck_assert_int_eq(card_int(card, "max"), 80);
	ck_assert_int_eq(card_int(card, "score"), 60);
	cJSON_Delete(card);
	fx_done(&f);
}
END_TEST

START_TEST(test_scorecard_na_on_assess_and_communicate_costs)
{
	struct fx f;
	cJSON *card;
	const cJSON *c;

	fx_init(&f, 1);
	fx_use_honest(&f);
	fx_open(&f, SESSION_DRILL, "outage");
	ok(&f, "na a.check seemed fine");
	ok(&f, "next");
	ok(&f, "choose d.how rollback nothing answers since the release");
	ok(&f, "next");
	ok(&f, "tick p.check");
	ok(&f, "next");
	ok(&f, "tick e.check");
	ok(&f, "next");
	ok(&f, "run v.health");
	ok(&f, "next");
	ok(&f, "na c.check nobody to tell");
	ok(&f, "next");
	card = read_scorecard(&f);
	ck_assert_int_eq(criterion(card, "assessment"), 0);
	ck_assert_int_eq(criterion(card, "communication"), 0);
	c = criterion_item(card, "communication");
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		c, "why")), "1 of 1 required communicate steps marked n/a: "
		"c.check");
	c = criterion_item(card, "assessment");
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		c, "why")), "1 of 1 required assess and decide checks marked "
		"n/a instead of run: a.check");
	cJSON_Delete(card);
	fx_done(&f);
}
END_TEST

START_TEST(test_scorecard_shows_reason_beside_rationale)
{
	struct fx f;
	cJSON *card;
	const cJSON *e;

	fx_init(&f, 1);
	fx_use_honest(&f);
	fx_open(&f, SESSION_DRILL, "outage");
	walk_honest(&f, "run v.health");
	card = read_scorecard(&f);
	e = cJSON_GetObjectItemCaseSensitive(card, "expected");
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		e, "reason")), "nothing answers since the release");
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		e, "rationale")), "every request fails");
	ck_assert_int_eq(card_int(card, "score"), 80);
	ck_assert_int_eq(card_int(card, "max"), 80);
	cJSON_Delete(card);
	fx_done(&f);
}
END_TEST

/* A playbook whose world (drill.state) a scenario changes, and whose run
 * steps have no drill output of their own: the world answers them. */
static const char world_pb_text[] =
"{ \"id\": \"world\", \"title\": \"world\",\n"
"  \"targets\": { \"registry\": [ { \"type\": \"npm\", \"name\": \"pkg\" } ] },\n"
"  \"drill\": { \"state\": { \"registry\": { \"pkg\": {\n"
"      \"dist-tags\": { \"latest\": \"1.2.3\" },\n"
"      \"versions\": [ \"1.2.2\", \"1.2.3\" ] } } } },\n"
"  \"phases\": [\n"
"    { \"id\": \"assess\", \"steps\": [\n"
"      { \"id\": \"a.view\", \"kind\": \"run\", \"title\": \"latest\",\n"
"        \"run\": \"npm view pkg version\" },\n"
"      { \"id\": \"a.move\", \"kind\": \"run\", \"title\": \"move\",\n"
"        \"run\": \"npm dist-tag add pkg@1.2.2 latest\" },\n"
"      { \"id\": \"a.own\", \"kind\": \"run\", \"title\": \"own\",\n"
"        \"run\": \"npm view pkg version\",\n"
"        \"drill\": { \"output\": \"9.9.9\" } } ] },\n"
"    { \"id\": \"decide\", \"steps\": [] },\n"
"    { \"id\": \"approve\", \"steps\": [] },\n"
"    { \"id\": \"execute\", \"steps\": [] },\n"
"    { \"id\": \"verify\", \"steps\": [] },\n"
"    { \"id\": \"communicate\", \"steps\": [] } ],\n"
"  \"scenarios\": [\n"
"    { \"id\": \"moved\", \"title\": \"moved\",\n"
"      \"state\": { \"registry\": { \"pkg\": {\n"
"        \"dist-tags\": { \"latest\": \"1.2.2\" } } } } } ]\n"
"}\n";

static const char *
last_tail(struct fx *f, const char *step)
{
	static char buf[256];
	cJSON *ev = tu_last_event(f->dir, "step.finished", step);

	ck_assert_ptr_nonnull(ev);
	snprintf(buf, sizeof(buf), "%s", cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(ev, "tail")));
	cJSON_Delete(ev);
	return buf;
}

START_TEST(test_drill_world_answers_and_changes)
{
	struct fx f;

	fx_init(&f, 1);
	free(f.playbook);
	f.playbook = tu_write_file(f.tmp, "world.json", world_pb_text,
				   strlen(world_pb_text));
	fx_open(&f, SESSION_DRILL, NULL);
	ok(&f, "run a.view");
	ck_assert_str_eq(last_tail(&f, "a.view"), "1.2.3");
	ck_assert_int_eq(count_in_journal(&f, "\"type\":\"drill.world\""), 0);
	ok(&f, "run a.move");
	ck_assert_str_eq(last_tail(&f, "a.move"), "+latest: pkg@1.2.2");
	ck_assert_int_eq(count_in_journal(&f, "\"type\":\"drill.world\""), 1);
	ck_assert_str_eq(latest(f.s), "1.2.2");
	ok(&f, "run a.view");
	ck_assert_str_eq(last_tail(&f, "a.view"), "1.2.2");
	ok(&f, "run a.own");		/* the author's output wins */
	ck_assert_str_eq(last_tail(&f, "a.own"), "9.9.9");
	/* Resumed, the world is as the commands left it. */
	fx_close(&f);
	fx_open(&f, SESSION_DRILL, NULL);
	ck_assert_str_eq(latest(f.s), "1.2.2");
	fx_done(&f);
}
END_TEST

START_TEST(test_drill_scenario_state_merges_over_the_playbook_world)
{
	struct fx f;

	fx_init(&f, 1);
	free(f.playbook);
	f.playbook = tu_write_file(f.tmp, "world.json", world_pb_text,
				   strlen(world_pb_text));
	fx_open(&f, SESSION_DRILL, "moved");
	ck_assert_str_eq(latest(f.s), "1.2.2");
	ok(&f, "run a.view");
	ck_assert_str_eq(last_tail(&f, "a.view"), "1.2.2");
	fx_done(&f);
}
END_TEST

/* --- realistic pace ------------------------------------------------------------------------ */

START_TEST(test_drill_pace_streams_over_duration)
{
	struct fx f;

	fx_init(&f, 1);
	fx_open(&f, SESSION_DRILL, NULL);
	session_set_drill_pace(f.s, 1);
	ok(&f, "predict a.list ok");
	ck_assert_int_eq(act(&f, "run a.list"), 1);
	ck_assert(session_is_busy(f.s));
	ck_assert_int_eq(f.n_output, 0);
	advance(&f, 1000000);
	ck_assert_int_eq(f.n_output, 1);
	advance(&f, 1500000);
	ck_assert_int_eq(f.n_output, 2);
	ck_assert(session_is_busy(f.s));
	advance(&f, 1500000);
	ck_assert_int_eq(f.n_output, 4);
	ck_assert(!session_is_busy(f.s));
	ck_assert_int_eq(f.n_done, 1);
	ck_assert_int_eq(session_step_state(f.s, "a.list"), STEP_DONE);
	ck_assert_int_eq(count_in_journal(&f, "\"duration_ms\":4000"), 1);
	fx_done(&f);
}
END_TEST

START_TEST(test_drill_pace_cancel_keeps_what_was_shown)
{
	struct fx f;

	fx_init(&f, 1);
	fx_open(&f, SESSION_DRILL, NULL);
	session_set_drill_pace(f.s, 1);
	ok(&f, "predict a.list ok");
	ck_assert_int_eq(act(&f, "run a.list"), 1);
	advance(&f, 1200000);
	ok(&f, "cancel a.list");
	ck_assert(!session_is_busy(f.s));
	ck_assert_int_eq(session_step_state(f.s, "a.list"), STEP_FAILED);
	advance(&f, 10 * 1000000LL);
	ck_assert_int_eq(f.n_output, 1);
	ck_assert_int_eq(count_in_journal(&f, "\"cancelled\":true"), 1);
	ck_assert_int_eq(count_in_journal(&f, "\"lines\":1,"), 1);
	fx_done(&f);
}
END_TEST

/* --- the clone ---------------------------------------------------------------------------- */

static const struct {
	const char *command;
	int ok;
	const char *why;
} commands[] = {
	{ "git log --oneline -10", 1, NULL },
	{ "git tag --sort=-version:refname | head -10", 1, NULL },
	{ "git describe --tags --always && git status --short", 1, NULL },
	{ "git tag -l --sort=-creatordate | head -5", 1, NULL },
	{ "git branch --list 'release/*'", 1, NULL },
	{ "git log --grep=\"Phase 1\" --oneline", 1, NULL },
	{ "ls -la incidents/", 1, NULL },
	{ "cat \"incidents/rollback-$VERSION.md\"", 1, NULL },
	{ "git push origin v1", 0, "git push" },
	{ "git tag v9", 0, "creates it" },
	{ "git tag -d v1", 0, "changes refs" },
	{ "git branch -D main", 0, "changes refs" },
	{ "git log > out.txt", 0, "redirection" },
	{ "git log $(rm -rf x)", 0, "substitution" },
	{ "git log \"`id`\"", 0, "substitution" },
	{ "git log & rm x", 0, "background" },
	{ "npm dist-tag add pkg@1 latest", 0, "npm is not" },
	{ "git diff --output=x", 0, "--output" },
	{ "tail -f log", 0, "never ends" },
	{ "git -C /elsewhere log", 0, "-C" },
};

START_TEST(test_clone_read_only_rule)
{
	char why[256] = "";
	int got = clone_command_is_read_only(commands[_i].command, why,
					     sizeof(why));

	ck_assert_msg(got == commands[_i].ok, "%s: got %d (%s)",
		      commands[_i].command, got, why);
	if (!got)
		ck_assert_msg(strstr(why, commands[_i].why) != NULL,
			      "%s: \"%s\" lacks \"%s\"", commands[_i].command,
			      why, commands[_i].why);
}
END_TEST

START_TEST(test_playbook_refuses_real_in_clone_for_writing_command)
{
	static const char text[] =
		"{ \"id\": \"x\", \"title\": \"x\", \"phases\": ["
		"{ \"id\": \"assess\", \"steps\": [ { \"id\": \"a.push\", "
		"\"kind\": \"run\", \"title\": \"push\", \"run\": \"git push\","
		" \"drill\": { \"real_in_clone\": true } } ] },"
		"{ \"id\": \"decide\", \"steps\": [] },"
		"{ \"id\": \"approve\", \"steps\": [] },"
		"{ \"id\": \"execute\", \"steps\": [] },"
		"{ \"id\": \"verify\", \"steps\": [] },"
		"{ \"id\": \"communicate\", \"steps\": [] } ] }";
	struct err err = { 0 };
	struct playbook *pb = playbook_load_buffer(text, strlen(text), "x.json",
						   &err);

	ck_assert_ptr_null(pb);
	ck_assert_msg(strstr(err.msg, "real_in_clone: the command is not "
			     "read-only: git push") != NULL, "%s", err.msg);
}
END_TEST

START_TEST(test_playbook_refuses_watch_outside_wait)
{
	static const char text[] =
		"{ \"id\": \"x\", \"title\": \"x\", \"phases\": ["
		"{ \"id\": \"assess\", \"steps\": [ { \"id\": \"a.look\", "
		"\"kind\": \"check\", \"title\": \"look\","
		" \"drill\": { \"watch\": \"curl -fsS http://x\" } } ] },"
		"{ \"id\": \"decide\", \"steps\": [] },"
		"{ \"id\": \"approve\", \"steps\": [] },"
		"{ \"id\": \"execute\", \"steps\": [] },"
		"{ \"id\": \"verify\", \"steps\": [] },"
		"{ \"id\": \"communicate\", \"steps\": [] } ] }";
	struct err err = { 0 };
	struct playbook *pb = playbook_load_buffer(text, strlen(text), "x.json",
						   &err);

	ck_assert_ptr_null(pb);
	ck_assert_msg(strstr(err.msg, "watch: only a wait or run step watches")
		      != NULL, "%s", err.msg);
}
END_TEST

/* A playbook whose assess phase has two steps that opt in to the clone
 * (one reads the working tree and the index) and one that does not; its
 * scenario scripts the second. */
static const char clone_playbook_text[] =
"{ \"id\": \"clone-test\", \"title\": \"clone test\",\n"
"  \"targets\": { \"git\": { \"path\": \"@REPO@\" } },\n"
"  \"variables\": { \"RANGE\": { \"prompt\": \"what to log\" } },\n"
"  \"phases\": [\n"
"    { \"id\": \"assess\", \"steps\": [\n"
"      { \"id\": \"a.status\", \"kind\": \"run\", \"title\": \"status\",\n"
"        \"run\": \"git status --short && git log --oneline -1\",\n"
"        \"drill\": { \"output\": \"0000000 simulated\",\n"
"                   \"real_in_clone\": true } },\n"
"      { \"id\": \"a.tags\", \"kind\": \"run\", \"title\": \"tags\",\n"
"        \"run\": \"git tag -l && ls\",\n"
"        \"drill\": { \"output\": \"v0-simulated\",\n"
"                   \"real_in_clone\": true } },\n"
"      { \"id\": \"a.range\", \"kind\": \"run\", \"title\": \"range\",\n"
"        \"run\": \"git log --oneline $RANGE\",\n"
"        \"drill\": { \"output\": \"range-simulated\",\n"
"                   \"real_in_clone\": true } },\n"
"      { \"id\": \"a.push\", \"kind\": \"run\", \"title\": \"push\",\n"
"        \"run\": \"git push origin v1.0\",\n"
"        \"drill\": { \"output\": \"pushed\" } } ] },\n"
"    { \"id\": \"decide\", \"steps\": [] },\n"
"    { \"id\": \"approve\", \"steps\": [] },\n"
"    { \"id\": \"execute\", \"steps\": [] },\n"
"    { \"id\": \"verify\", \"steps\": [] },\n"
"    { \"id\": \"communicate\", \"steps\": [] } ],\n"
"  \"scenarios\": [\n"
"    { \"id\": \"scripted\", \"title\": \"scripted\",\n"
"      \"outcomes\": { \"a.tags\": { \"exit\": 1,\n"
"                                  \"output\": \"fatal: scripted\" } } } ]\n"
"}\n";

static void
fx_write_clone_playbook(struct fx *f, const char *repo)
{
	const char *at = strstr(clone_playbook_text, "@REPO@");
	char *text = xasprintf("%.*s%s%s", (int)(at - clone_playbook_text),
			       clone_playbook_text, repo, at + 6);

	free(f->playbook);
	f->playbook = tu_write_file(f->tmp, "clone.json", text, strlen(text));
	free(text);
}

/* A repository with one commit tagged v1.0 holding app.txt, a remote, and
 * a local edit of app.txt on top (so `git status` has something to say
 * about the trainee's checkout), made with libgit2. */
static char *
make_repo(const char *tmp)
{
	char *path = xasprintf("%s/repo", tmp);
	git_repository *repo = NULL;
	git_signature *sig = NULL;
	git_index *index = NULL;
	git_remote *remote = NULL;
	git_oid tree_id, commit_id;
	git_tree *tree = NULL;
	git_object *commit = NULL;

	git_libgit2_init();
	ck_assert_int_eq(git_repository_init(&repo, path, 0), 0);
	free(tu_write_file(path, "app.txt", "one\n", 4));
	ck_assert_int_eq(git_signature_new(&sig, "Zoë Tester", "z@example.org",
					   1700000000, 0), 0);
	ck_assert_int_eq(git_repository_index(&index, repo), 0);
	ck_assert_int_eq(git_index_add_bypath(index, "app.txt"), 0);
	ck_assert_int_eq(git_index_write(index), 0);
	ck_assert_int_eq(git_index_write_tree(&tree_id, index), 0);
	ck_assert_int_eq(git_tree_lookup(&tree, repo, &tree_id), 0);
	ck_assert_int_eq(git_commit_create_v(&commit_id, repo, "HEAD", sig, sig,
					     NULL, "first", tree, 0), 0);
	ck_assert_int_eq(git_object_lookup(&commit, repo, &commit_id,
					   GIT_OBJECT_COMMIT), 0);
	ck_assert_int_eq(git_tag_create_lightweight(&commit_id, repo, "v1.0",
						    commit, 0), 0);
	ck_assert_int_eq(git_remote_create(&remote, repo, "origin",
					   "https://example.org/app.git"), 0);
	free(tu_write_file(path, "app.txt", "one\nlocal edit\n", 15));
	git_remote_free(remote);
	git_object_free(commit);
	git_tree_free(tree);
	git_index_free(index);
	git_signature_free(sig);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return path;
}

/* Everything below PATH (the .git directory too): each entry's name,
 * type, size, modification time and, for files, contents, in name order.
 * Any write to refs, HEAD, the index, objects or the working tree, even a
 * lock file made and removed, changes it. */
static void
digest_into(struct strbuf *sb, const char *path)
{
	struct dirent **names = NULL;
	struct stat st;
	int n;

	ck_assert_int_eq(lstat(path, &st), 0);
	strbuf_addf(sb, "%s %o %lld %lld.%09ld\n", path, (unsigned)st.st_mode,
		    (long long)st.st_size, (long long)st.st_mtim.tv_sec,
		    st.st_mtim.tv_nsec);
	if (S_ISREG(st.st_mode)) {
		size_t len;
		char *text = tu_read_file(path, &len);

		ck_assert_ptr_nonnull(text);
		strbuf_add(sb, text, len);
		free(text);
	}
	if (!S_ISDIR(st.st_mode))
		return;
	n = scandir(path, &names, NULL, alphasort);
	ck_assert_int_ge(n, 0);
	for (int i = 0; i < n; i++) {
		if (strcmp(names[i]->d_name, ".") != 0 &&
		    strcmp(names[i]->d_name, "..") != 0) {
			char *sub = xasprintf("%s/%s", path, names[i]->d_name);

			digest_into(sb, sub);
			free(sub);
		}
		free(names[i]);
	}
	free(names);
}

static char *
tree_digest(const char *path)
{
	struct strbuf sb = STRBUF_INIT;

	digest_into(&sb, path);
	return strbuf_detach(&sb);
}

/* Throwaway clones now under $TMPDIR (the test's own). */
static int
n_clones(const char *tmpdir)
{
	struct dirent **names = NULL;
	int n = scandir(tmpdir, &names, NULL, alphasort), found = 0;

	ck_assert_int_ge(n, 0);
	for (int i = 0; i < n; i++) {
		found += strncmp(names[i]->d_name, "rewind-drill-", 13) == 0;
		free(names[i]);
	}
	free(names);
	return found;
}

static void
wait_idle(struct fx *f)
{
	for (int i = 0; i < 500 && session_is_busy(f->s); i++)
		loop_run_once(f->loop, 10000);
	ck_assert(!session_is_busy(f->s));
}

static char *
cast_text(struct fx *f, const char *name)
{
	char *path = xasprintf("%s/output/%s", f->dir, name);
	char *text = tu_read_file(path, NULL);

	ck_assert_msg(text != NULL, "no %s", path);
	free(path);
	return text;
}

static char *saved_tmpdir;

/* The test's own $TMPDIR, where clones go; returns its path. Undone by
 * shared_tmpdir (the directory goes with the fixture). */
static char *
private_tmpdir(struct fx *f)
{
	char *t = xasprintf("%s/t", f->tmp);
	const char *old = getenv("TMPDIR");

	saved_tmpdir = old ? xstrdup(old) : NULL;
	ck_assert_int_eq(mkdir(t, 0700), 0);
	ck_assert_int_eq(setenv("TMPDIR", t, 1), 0);
	return t;
}

static void
shared_tmpdir(char *t)
{
	if (saved_tmpdir)
		setenv("TMPDIR", saved_tmpdir, 1);
	else
		unsetenv("TMPDIR");
	free(saved_tmpdir);
	saved_tmpdir = NULL;
	free(t);
}

static int
n_remotes(const char *path)
{
	git_repository *repo = NULL;
	git_strarray names = { 0 };
	int n;

	git_libgit2_init();
	ck_assert_int_eq(git_repository_open(&repo, path), 0);
	ck_assert_int_eq(git_remote_list(&names, repo), 0);
	n = (int)names.count;
	git_strarray_dispose(&names);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return n;
}

/* A drill of the clone playbook on a fresh repository (*REPO) with
 * clones going to a private $TMPDIR (*T). */
static void
clone_fx_open(struct fx *f, int predict, const char *scenario, char **repo,
	      char **t)
{
	fx_init(f, predict);
	*t = private_tmpdir(f);
	*repo = make_repo(f->tmp);
	fx_write_clone_playbook(f, *repo);
	fx_open(f, SESSION_DRILL, scenario);
}

static void
clone_fx_done(struct fx *f, char *repo, char *t)
{
	free(repo);
	shared_tmpdir(t);
	fx_done(f);
}

START_TEST(test_drill_clone_runs_opted_in_steps_by_default)
{
	struct fx f;
	char *repo, *t, *clone, *before, *after, *out, *git_dir;
	const char *why;
	struct stat st;

	fx_init(&f, 0);
	t = private_tmpdir(&f);
	repo = make_repo(f.tmp);
	fx_write_clone_playbook(&f, repo);
	/* An operator's shell pointing git at the real checkout must not
	 * lead the clone's commands there. */
	git_dir = xasprintf("%s/.git", repo);
	ck_assert_int_eq(setenv("GIT_DIR", git_dir, 1), 0);
	ck_assert_int_eq(setenv("GIT_WORK_TREE", repo, 1), 0);
	before = tree_digest(repo);
	fx_open(&f, SESSION_DRILL, NULL);
	ck_assert(drill_clone_allowed(f.s));
	ck_assert_int_eq(drill_clone_run(f.s, "a.status", &why), -1);
	ck_assert_int_eq(n_clones(t), 0);	/* made on first use */
	ck_assert_int_eq(act(&f, "run a.status"), 1);
	wait_idle(&f);
	ck_assert_int_eq(session_step_state(f.s, "a.status"), STEP_DONE);
	clone = xstrdup(drill_clone_dir(f.s, NULL));
	ck_assert_int_eq(n_remotes(clone), 0);
	ck_assert_int_eq(act(&f, "run a.tags"), 1);
	wait_idle(&f);
	ck_assert_int_eq(act(&f, "run a.status"), 1);
	wait_idle(&f);
	ck_assert_str_eq(drill_clone_dir(f.s, NULL), clone);
	ck_assert_int_eq(n_clones(t), 1);	/* one clone for the session */
	ck_assert_int_eq(count_in_journal(&f, "\"real_in_clone\":true"), 3);
	ck_assert_int_eq(count_in_journal(&f, "\"clone\":"), 0);
	ck_assert_int_eq(drill_clone_run(f.s, "a.status", &why), 1);
	ck_assert_ptr_null(why);
	out = cast_text(&f, "a.status-1.cast");
	ck_assert_msg(strstr(out, "first"), "real output: %s", out);
	ck_assert_msg(!strstr(out, "app.txt"), "the trainee's edit: %s", out);
	ck_assert_msg(!strstr(out, "simulated"), "simulated output: %s", out);
	free(out);
	out = cast_text(&f, "a.tags-1.cast");
	ck_assert_msg(strstr(out, "v1.0") && strstr(out, "app.txt"), "%s", out);
	free(out);
	ck_assert_int_eq(act(&f, "run a.push"), 0);	/* never real */
	ck_assert_int_eq(count_in_journal(&f, "\"tail\":\"pushed\""), 1);
	fx_close(&f);
	ck_assert_int_ne(stat(clone, &st), 0);	/* removed with the session */
	ck_assert_int_eq(n_clones(t), 0);
	after = tree_digest(repo);
	ck_assert_msg(strcmp(before, after) == 0, "the trainee's repository "
		      "changed:\n--- before\n%s\n--- after\n%s", before, after);
	fx_open(&f, SESSION_DRILL, NULL);	/* resumed: rebuilt */
	ck_assert_int_eq(drill_clone_run(f.s, "a.status", &why), 1);
	ck_assert_int_eq(n_clones(t), 0);
	unsetenv("GIT_DIR");
	unsetenv("GIT_WORK_TREE");
	free(git_dir);
	free(before);
	free(after);
	free(clone);
	clone_fx_done(&f, repo, t);
}
END_TEST

START_TEST(test_drill_clone_turned_off_simulates_and_says_why)
{
	struct fx f;
	char *repo, *t;
	const char *why;

	clone_fx_open(&f, 1, NULL, &repo, &t);
	ck_assert_int_eq(session_set_drill_clone(f.s, 0, &f.err), 0);
	ck_assert_int_eq(session_set_drill_clone(f.s, 0, &f.err), 0);
	ck_assert_int_eq(count_in_journal(&f, "\"type\":\"drill.clone\""), 1);
	/* kept by the journal: a resumed drill stays as it was set */
	fx_close(&f);
	fx_open(&f, SESSION_DRILL, NULL);
	ck_assert(!drill_clone_allowed(f.s));
	ck_assert_int_eq(act(&f, "run a.status"), 0);	/* simulated now */
	ck_assert_int_eq(f.n_output, 1);
	ck_assert_int_eq(n_clones(t), 0);
	ck_assert_int_eq(count_in_journal(&f, "\"clone\":\"real runs in the "
					  "clone are turned off"), 1);
	ck_assert_int_eq(count_in_journal(&f, "\"tail\":\"0000000 simulated\""),
			 1);
	ck_assert_int_eq(drill_clone_run(f.s, "a.status", &why), 0);
	ck_assert_msg(why && strstr(why, "turned off"), "%s", why);
	ck_assert_int_eq(session_set_drill_clone(f.s, 1, &f.err), 0);
	ck_assert(drill_clone_allowed(f.s));
	ck_assert_int_eq(count_in_journal(&f, "\"type\":\"drill.clone\""), 2);
	clone_fx_done(&f, repo, t);
}
END_TEST

START_TEST(test_drill_clone_leaves_scripted_steps_simulated)
{
	struct fx f;
	char *repo, *t;
	const char *why;

	clone_fx_open(&f, 0, "scripted", &repo, &t);
	ck_assert_int_eq(act(&f, "run a.tags"), 0);
	ck_assert_int_eq(session_step_state(f.s, "a.tags"), STEP_FAILED);
	ck_assert_int_eq(count_in_journal(&f, "\"clone\":\"scenario scripted "
					  "sets this step's outcome\""), 1);
	ck_assert_int_eq(drill_clone_run(f.s, "a.tags", &why), 0);
	ck_assert_int_eq(n_clones(t), 0);
	ck_assert_int_eq(act(&f, "run a.status"), 1);	/* not scripted */
	wait_idle(&f);
	ck_assert_int_eq(drill_clone_run(f.s, "a.status", &why), 1);
	clone_fx_done(&f, repo, t);
}
END_TEST

/* The read-only rule holds for the command as the shell will see it: a
 * variable whose value brings --output keeps the step simulated, and
 * nothing is written; a harmless value runs for real. */
START_TEST(test_drill_clone_checks_the_command_with_its_values)
{
	struct fx f;
	char *repo, *t, *written, *set;
	const char *why;
	struct stat st;

	clone_fx_open(&f, 0, NULL, &repo, &t);
	written = xasprintf("%s/written", f.tmp);
	set = xasprintf("set RANGE --output=%s", written);
	ok(&f, set);
	ck_assert_int_eq(act(&f, "run a.range"), 0);	/* simulated */
	ck_assert_int_eq(count_in_journal(&f, "\"clone\":\"with its variables' "
					  "values the command is not "
					  "read-only: git log --output"), 1);
	ck_assert_int_eq(drill_clone_run(f.s, "a.range", &why), 0);
	ck_assert_int_ne(stat(written, &st), 0);
	ck_assert_int_eq(n_clones(t), 0);
	ok(&f, "set RANGE v1.0");
	ck_assert_int_eq(act(&f, "run a.range"), 1);	/* real */
	wait_idle(&f);
	ck_assert_int_eq(drill_clone_run(f.s, "a.range", &why), 1);
	free(set);
	free(written);
	clone_fx_done(&f, repo, t);
}
END_TEST

/* A pid that no process has now: a child's, after it was reaped. */
static pid_t
dead_pid(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
	return pid;
}

/* A directory like a clone under T, with an owner mark OWNER (NULL:
 * none); returns its path. */
static char *
fake_clone(const char *t, const char *name, const char *owner)
{
	char *dir = xasprintf("%s/%s", t, name);
	char *git = xasprintf("%s/.git", dir);

	ck_assert_int_eq(mkdir(dir, 0700), 0);
	ck_assert_int_eq(mkdir(git, 0700), 0);
	free(tu_write_file(git, "HEAD", "ref: refs/heads/main\n", 21));
	if (owner)
		free(tu_write_file(git, "rewind-owner", owner, strlen(owner)));
	free(git);
	return dir;
}

/* Clones whose drill was killed are swept before a new one is made;
 * a living owner's clone, and one without a mark, stay. */
START_TEST(test_clone_sweeps_clones_of_killed_drills)
{
	struct fx f;
	char *t, *dead, *alive, *unmarked, *mark, *repo, *clone;
	struct stat st;

	fx_init(&f, 0);
	t = private_tmpdir(&f);
	mark = xasprintf("%ld 1\n", (long)dead_pid());
	dead = fake_clone(t, "rewind-drill-dead01", mark);
	free(mark);
	mark = xasprintf("%ld\n", (long)getppid());
	alive = fake_clone(t, "rewind-drill-alive1", mark);
	free(mark);
	unmarked = fake_clone(t, "rewind-drill-making", NULL);
	repo = make_repo(f.tmp);
	clone = clone_make(repo, &f.err);
	ck_assert_msg(clone != NULL, "clone: %s", f.err.msg);
	ck_assert_int_ne(stat(dead, &st), 0);
	ck_assert_int_eq(stat(alive, &st), 0);
	ck_assert_int_eq(stat(unmarked, &st), 0);
	ck_assert_int_eq(n_clones(t), 3);	/* alive, making, the new one */
	clone_sweep_stale();			/* its owner is this process */
	ck_assert_int_eq(n_clones(t), 3);
	ck_assert_int_eq(clone_remove(clone, &f.err), 0);
	free(clone);
	free(dead);
	free(alive);
	free(unmarked);
	clone_fx_done(&f, repo, t);
}
END_TEST

START_TEST(test_drill_clone_needs_a_repository_else_simulates)
{
	struct fx f;
	const char *why;

	fx_init(&f, 1);
	fx_open(&f, SESSION_DRILL, NULL);
	ok(&f, "predict a.list ok");
	ck_assert_int_eq(act(&f, "run a.list"), 0);
	ck_assert_int_eq(f.n_output, 4);
	ck_assert_int_eq(count_in_journal(&f, "\"clone\":\"no repository at"),
			 1);
	ck_assert_int_eq(drill_clone_run(f.s, "a.list", &why), 0);
	ck_assert_msg(why && strstr(why, "no repository at"), "%s", why);
	/* Tried once: the next run gives the same reason. */
	ok(&f, "predict a.list ok");
	ck_assert_int_eq(act(&f, "run a.list"), 0);
	ck_assert_int_eq(count_in_journal(&f, "\"clone\":\"no repository at"),
			 2);
	fx_done(&f);
}
END_TEST

static Suite *
drill_suite(void)
{
	Suite *s = suite_create("drill");
	TCase *tc;

	tc = tcase_create("inject");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_drill_injection_fires_after_its_step);
	tcase_add_test(tc, test_drill_injection_fires_at_its_time);
	tcase_add_test(tc, test_drill_resume_rebuilds_state_and_never_refires);
	tcase_add_test(tc, test_drill_no_scenario_has_empty_world);
	tcase_add_test(tc, test_drill_check_evidence_from_scenario_any_phase);
	tcase_add_test(tc, test_drill_world_answers_and_changes);
	tcase_add_test(tc, test_drill_scenario_state_merges_over_the_playbook_world);
	suite_add_tcase(s, tc);
	tc = tcase_create("predict");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_drill_run_without_prediction_is_refused);
	tcase_add_test(tc, test_live_session_ignores_predictions);
	suite_add_tcase(s, tc);
	tc = tcase_create("scorecard");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_scorecard_expected_decision_followed);
	tcase_add_test(tc, test_scorecard_expected_decision_not_followed);
	tcase_add_test(tc, test_scorecard_leaves_out_what_does_not_apply);
	tcase_add_test(tc, test_scorecard_na_on_required_verification_costs);
	tcase_add_test(tc, test_scorecard_shows_reason_beside_rationale);
	tcase_add_test(tc, test_scorecard_na_on_assess_and_communicate_costs);
	suite_add_tcase(s, tc);
	tc = tcase_create("pace");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_drill_pace_streams_over_duration);
	tcase_add_test(tc, test_drill_pace_cancel_keeps_what_was_shown);
	suite_add_tcase(s, tc);
	tc = tcase_create("clone");
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_clone_read_only_rule, 0,
			    (int)(sizeof(commands) / sizeof(commands[0])));
	tcase_add_test(tc, test_playbook_refuses_real_in_clone_for_writing_command);
	tcase_add_test(tc, test_playbook_refuses_watch_outside_wait);
	tcase_add_test(tc, test_drill_clone_runs_opted_in_steps_by_default);
	tcase_add_test(tc, test_drill_clone_turned_off_simulates_and_says_why);
	tcase_add_test(tc, test_drill_clone_leaves_scripted_steps_simulated);
	tcase_add_test(tc, test_drill_clone_needs_a_repository_else_simulates);
	tcase_add_test(tc, test_drill_clone_checks_the_command_with_its_values);
	tcase_add_test(tc, test_clone_sweeps_clones_of_killed_drills);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(drill_suite());
	int n_failed;

	srunner_run_all(sr, CK_ENV);
	n_failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return n_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
