/* Live sources and probes through a real session: a git repository made
 * with git, log files on disk, and the loopback fixture server standing
 * in for a health endpoint and an npm registry (tests/fixtures/
 * playbooks/probes.json is the playbook, filled in per test). */
#include "config.h"

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "action.h"
#include "clock.h"
#include "err.h"
#include "fixsrv.h"
#include "loop.h"
#include "registry.h"
#include "session.h"
#include "sources.h"
#include "strbuf.h"
#include "tags.h"
#include "testutil.h"
#include "xalloc.h"

static const char routes[] =
	"{\"/api/v1/health\": {\"headers\": {\"Content-Type\": "
	"\"application/json\"}, \"body\": {\"status\": \"healthy\", "
	"\"checks\": [{\"ok\": true}]}},"
	" \"/api/v1/down\": {\"status\": 503, \"body\": {\"status\": "
	"\"degraded\"}},"
	" \"/hang\": {\"hang\": true},"
	" \"/reg/mypkg\": {\"headers\": {\"Content-Type\": "
	"\"application/json\"}, \"body\": {\"name\": \"mypkg\", "
	"\"dist-tags\": {\"latest\": \"1.1.0\", \"beta\": \"2.0.0-beta.1\"}, "
	"\"versions\": {\"1.0.0\": {\"deprecated\": \"broken, use 1.1.0\"}, "
	"\"1.1.0\": {}, \"2.0.0-beta.1\": {}}, "
	"\"time\": {\"1.0.0\": \"2026-11-01T10:00:00.000Z\", "
	"\"1.1.0\": \"2026-11-10T10:00:00.000Z\", "
	"\"2.0.0-beta.1\": \"2026-11-15T10:00:00.000Z\"}}}}";

struct fx {
	char *tmp;
	char *repo, *logs, *dir, *playbook;
	struct fixsrv srv;
	struct loop *loop;
	struct session *s;
	struct err err;
	struct strbuf log_events;	/* "log:type:line\n" */
	int n_step_done;
};

static void
on_event(const struct core_event *ev, void *arg)
{
	struct fx *f = arg;

	if (ev->kind == CORE_EV_LOG)
		strbuf_addf(&f->log_events, "%s:%s:%s\n", ev->step, ev->type,
			    ev->line);
	if (ev->kind == CORE_EV_STEP_DONE)
		f->n_step_done++;
}

/* Run shell command CMD (taken). */
static void
sh(char *cmd)
{
	ck_assert_msg(system(cmd) == 0, "failed: %s", cmd);
	free(cmd);
}

/* A repository with v1.0.0 and v1.1.0; HEAD at v1.1.0. */
static void
make_repo(const char *path)
{
	setenv("GIT_AUTHOR_NAME", "Zoë Tester", 1);
	setenv("GIT_AUTHOR_EMAIL", "zoe@example.test", 1);
	setenv("GIT_COMMITTER_NAME", "Zoë Tester", 1);
	setenv("GIT_COMMITTER_EMAIL", "zoe@example.test", 1);
	setenv("GIT_AUTHOR_DATE", "2026-11-01T10:00:00Z", 1);
	setenv("GIT_COMMITTER_DATE", "2026-11-01T10:00:00Z", 1);
	sh(xasprintf("git init -q '%s' && cd '%s' && echo one > f && "
		     "git add f && git commit -qm one && "
		     "git tag -a v1.0.0 -m 'Release 1.0.0' && "
		     "echo two > f && git commit -qam two && "
		     "git tag -a v1.1.0 -m 'Release 1.1.0'", path, path));
}

static char *
replace_all(const char *text, const char *from, const char *to)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = text, *hit;

	while ((hit = strstr(p, from))) {
		strbuf_add(&sb, p, (size_t)(hit - p));
		strbuf_adds(&sb, to);
		p = hit + strlen(from);
	}
	strbuf_adds(&sb, p);
	return strbuf_detach(&sb);
}

static void
write_playbook(struct fx *f)
{
	char *tpl_path = tu_fixture("playbooks/probes.json");
	char *text = tu_read_file(tpl_path, NULL);
	char *base = fixsrv_url(&f->srv, NULL, "");
	char *reg = fixsrv_url(&f->srv, NULL, "/reg/");
	char *dead = xasprintf("http://127.0.0.1:%d", fixsrv_free_port());
	const char *subs[][2] = {
		{ "@REPO@", f->repo }, { "@LOGS@", f->logs },
		{ "@BASE@", base }, { "@REGISTRY@", reg }, { "@DEAD@", dead },
	};

	ck_assert_ptr_nonnull(text);
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		char *next = replace_all(text, subs[i][0], subs[i][1]);

		free(text);
		text = next;
	}
	f->playbook = tu_write_file(f->tmp, "probes.json", text, strlen(text));
	free(text);
	free(tpl_path);
	free(base);
	free(reg);
	free(dead);
}

static void
append(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0600);

	ck_assert_msg(fd >= 0, "open %s", path);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static void
fx_init(struct fx *f)
{
	struct session_opts o = { 0 };
	char *app;

	memset(f, 0, sizeof(*f));
	strbuf_init(&f->log_events);
	f->tmp = tu_mkdtemp();
	f->repo = xasprintf("%s/repo", f->tmp);
	f->logs = xasprintf("%s/logs", f->tmp);
	f->dir = xasprintf("%s/session", f->tmp);
	setenv("HOME", f->tmp, 1);
	setenv("XDG_CACHE_HOME", f->tmp, 1);
	setenv("XDG_CONFIG_HOME", f->tmp, 1);
	make_repo(f->repo);
	sh(xasprintf("mkdir -p '%s'", f->logs));
	app = xasprintf("%s/app.log", f->logs);
	append(app, "ERROR before the session\nERROR also before\n");
	free(app);
	fixsrv_start(&f->srv, f->tmp, routes);
	write_playbook(f);
	f->loop = loop_new(NULL);
	o.dir = f->dir;
	o.playbook = f->playbook;
	o.mode = SESSION_LIVE;
	o.operator = "olga";
	o.loop = f->loop;
	o.listener = on_event;
	o.listener_arg = f;
	f->s = session_open(&o, &f->err);
	ck_assert_msg(f->s != NULL, "session_open: %s", f->err.msg);
}

static void
fx_done(struct fx *f)
{
	session_free(f->s);
	loop_free(f->loop);
	fixsrv_stop(&f->srv);
	strbuf_done(&f->log_events);
	tu_rmtree(f->tmp);
	free(f->tmp);
	free(f->repo);
	free(f->logs);
	free(f->dir);
	free(f->playbook);
}

static int
act(struct fx *f, const char *line)
{
	return tu_act(f->s, &f->err, line);
}

static void
run_for(struct fx *f, double secs)
{
	const struct clock *c = clock_system();
	int64_t end = clock_mono_now(c) + (int64_t)(secs * 1e6);

	while (clock_mono_now(c) < end)
		loop_run_once(f->loop, 20000);
}

/* Run probe ID to its end (bounded). */
static void
run_probe(struct fx *f, const char *id)
{
	char line[128];
	const struct clock *c = clock_system();
	int64_t end = clock_mono_now(c) + (int64_t)(15000000 * tu_slack());
	int rc;

	snprintf(line, sizeof(line), "run %s", id);
	rc = act(f, line);
	ck_assert_msg(rc >= 0, "%s: %s", line, f->err.msg);
	while (session_is_busy(f->s) && clock_mono_now(c) < end)
		loop_run_once(f->loop, 20000);
	ck_assert_msg(!session_is_busy(f->s), "%s still running", id);
}

/* The payload of the last journal event TYPE (of step STEP when not
 * NULL); caller deletes; NULL when there is none. */
static cJSON *
last_event(struct fx *f, const char *type, const char *step)
{
	return tu_last_event(f->dir, type, step);
}

static const char *
pstr(const cJSON *p, const char *key)
{
	const char *v = cJSON_GetStringValue(cJSON_GetObjectItem(p, key));

	return v ? v : "(none)";
}

/* Run probe ID and check its verdict and that SEEN is in what it saw. */
static void
expect_probe(struct fx *f, const char *id, int ok, const char *seen)
{
	cJSON *p;

	run_probe(f, id);
	p = last_event(f, "step.finished", id);
	ck_assert_msg(p != NULL, "%s: no step.finished", id);
	ck_assert_msg(cJSON_IsTrue(cJSON_GetObjectItem(p, "ok")) == ok,
		      "%s: ok is %d, seen: %s, reason: %s", id, !ok,
		      pstr(p, "seen"), pstr(p, "reason"));
	ck_assert_msg(strstr(pstr(p, "seen"), seen) != NULL,
		      "%s: seen \"%s\" lacks \"%s\"", id, pstr(p, "seen"), seen);
	ck_assert_msg(strcmp(pstr(p, "expected"), "(none)") != 0,
		      "%s: no expected", id);
	ck_assert_int_eq(session_step_state(f->s, id),
			 ok ? STEP_DONE : STEP_FAILED);
	cJSON_Delete(p);
}

START_TEST(test_probe_git_head_at_tag)
{
	struct fx f;
	cJSON *p;

	fx_init(&f);
	expect_probe(&f, "p.git-ok", 1, "v1.1.0");
	expect_probe(&f, "p.git-bad", 0, "v1.0.0");
	p = last_event(&f, "step.finished", "p.git-ok");
	ck_assert_str_eq(pstr(p, "expected"), "HEAD at tag v1.1.0");
	ck_assert_str_eq(pstr(p, "probe"), "git_head");
	cJSON_Delete(p);
	fx_done(&f);
}
END_TEST

START_TEST(test_probe_http_status_and_json_field)
{
	struct fx f;
	cJSON *p;

	fx_init(&f);
	expect_probe(&f, "p.http-ok", 1, "HTTP 200, status = \"healthy\"");
	expect_probe(&f, "p.http-nested", 1, "checks.0.ok = \"true\"");
	expect_probe(&f, "p.http-bad", 0, "HTTP 503, status = \"degraded\"");
	expect_probe(&f, "p.http-404", 1, "HTTP 404");
	expect_probe(&f, "p.http-refused", 0, "connect");
	p = last_event(&f, "step.finished", "p.http-bad");
	ck_assert_str_eq(pstr(p, "expected"), "HTTP 200, status = \"healthy\"");
	ck_assert_msg(strstr(pstr(p, "reason"), "expected HTTP 200") != NULL,
		      "reason: %s", pstr(p, "reason"));
	cJSON_Delete(p);
	ck_assert_int_ge(f.n_step_done, 5);
	fx_done(&f);
}
END_TEST

START_TEST(test_probe_http_cancel_and_free_in_flight)
{
	struct fx f;
	cJSON *p;

	fx_init(&f);
	ck_assert_int_eq(act(&f, "run p.http-hang"), 1);
	run_for(&f, 0.2);
	ck_assert(session_is_busy(f.s));
	ck_assert_msg(act(&f, "cancel p.http-hang") >= 0, "%s", f.err.msg);
	ck_assert(!session_is_busy(f.s));
	p = last_event(&f, "step.finished", "p.http-hang");
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(p, "cancelled")));
	cJSON_Delete(p);
	/* A probe still in flight when the session goes is dropped. */
	ck_assert_int_eq(act(&f, "run p.http-hang"), 1);
	run_for(&f, 0.1);
	fx_done(&f);
}
END_TEST

START_TEST(test_probe_log_threshold_crossing_is_journalled)
{
	struct fx f;
	char *app = NULL;
	cJSON *p = NULL;
	const struct clock *c = clock_system();
	int64_t end;

	fx_init(&f);
	app = xasprintf("%s/app.log", f.logs);
	/* the old lines are context, not counted */
	ck_assert_msg(strstr(f.log_events.buf, "app:backlog:ERROR before") !=
		      NULL, "log events: %s", strbuf_str(&f.log_events));
	ck_assert_int_eq(sources_log_count(session_sources(f.s), "app",
					   "errors"), 0);
	expect_probe(&f, "p.log", 1, "0 lines matching /ERROR/");
	append(app, "ERROR one\nINFO fine\nERROR two\n");
	expect_probe(&f, "p.log", 1, "2 lines");
	append(app, "ERROR three\n");
	end = clock_mono_now(c) + (int64_t)(5000000 * tu_slack());
	while (!(p = last_event(&f, "log.threshold", NULL)) &&
	       clock_mono_now(c) < end)
		run_for(&f, 0.1);
	ck_assert_msg(p != NULL, "no log.threshold journalled (count %d, "
		      "events %s)", sources_log_count(session_sources(f.s),
						      "app", "errors"),
		      strbuf_str(&f.log_events));
	ck_assert_str_eq(pstr(p, "log"), "app");
	ck_assert_str_eq(pstr(p, "pattern"), "errors");
	ck_assert_int_eq(cJSON_GetObjectItem(p, "count")->valueint, 3);
	ck_assert_int_eq(cJSON_GetObjectItem(p, "threshold")->valueint, 3);
	ck_assert_int_eq(cJSON_GetObjectItem(p, "window_s")->valueint, 60);
	ck_assert(sources_log_is_alert(session_sources(f.s), "app", "errors"));
	ck_assert_msg(strstr(f.log_events.buf, "app:line:ERROR three") != NULL,
		      "log events: %s", strbuf_str(&f.log_events));
	expect_probe(&f, "p.log", 0, "3 lines");
	cJSON_Delete(p);
	free(app);
	fx_done(&f);
}
END_TEST

START_TEST(test_probe_sources_report_logs_tags_and_registry)
{
	struct fx f;
	struct sources *src;
	const struct tag_list *tl = NULL;
	const struct reg_answer *a;
	const struct clock *c = clock_system();
	int64_t end = clock_mono_now(c) + (int64_t)(10000000 * tu_slack());
	cJSON *p;

	fx_init(&f);
	src = session_sources(f.s);
	ck_assert_ptr_nonnull(src);
	ck_assert_uint_eq(sources_n_logs(src), 2);
	ck_assert_str_eq(sources_log_name(src, 1), "worker");
	/* a relative log path is under the git target, and may be absent */
	ck_assert_msg(strstr(sources_log_status(src, 1), "waiting for") &&
		      strstr(sources_log_path(src, 1), "/repo/worker.log"),
		      "status %s", sources_log_status(src, 1));
	ck_assert_int_eq(sources_log_count(src, "nope", "errors"), -1);
	while (clock_mono_now(c) < end &&
	       (!(tl = sources_tags(src)) || tl->n_tags < 2 ||
		!sources_registry(src, 0)->has_data))
		loop_run_once(f.loop, 20000);
	ck_assert_ptr_nonnull(tl);
	ck_assert_uint_eq(tl->n_tags, 2);
	ck_assert_str_eq(tl->tags[0].name, "v1.1.0");
	a = sources_registry(src, 0);
	ck_assert_msg(a->has_data, "registry: %s", a->error ? a->error : "?");
	ck_assert_str_eq(reg_answer_tag(a, "latest"), "1.1.0");
	run_for(&f, 0.3);
	p = last_event(&f, "tags.answer", NULL);
	ck_assert_msg(p != NULL, "no tags.answer");
	ck_assert_int_eq(cJSON_GetObjectItem(p, "n_tags")->valueint, 2);
	cJSON_Delete(p);
	p = last_event(&f, "registry.answer", NULL);
	ck_assert_msg(p != NULL, "no registry.answer");
	ck_assert_str_eq(pstr(p, "name"), "mypkg");
	cJSON_Delete(p);
	fx_done(&f);
}
END_TEST

/* How many events of TYPE the session's journal holds. */
static int
count_events(struct fx *f, const char *type)
{
	return tu_count_events(f->dir, type);
}

/* Wait (bounded) until the sources have both answers. */
static void
wait_for_answers(struct fx *f)
{
	const struct clock *c = clock_system();
	int64_t end = clock_mono_now(c) + (int64_t)(10000000 * tu_slack());
	struct sources *src = session_sources(f->s);
	const struct tag_list *tl;

	while (clock_mono_now(c) < end &&
	       (!(tl = sources_tags(src)) || tl->n_tags < 2 ||
		!sources_registry(src, 0)->has_data))
		loop_run_once(f->loop, 20000);
	run_for(f, 0.3);
}

/* Resuming a session whose journal already holds the current answers
 * journals none again; a changed answer still is. */
START_TEST(test_probe_resume_journals_only_changed_answers)
{
	struct fx f;
	struct session_opts o = { 0 };

	fx_init(&f);
	wait_for_answers(&f);
	ck_assert_int_eq(count_events(&f, "tags.answer"), 1);
	ck_assert_int_eq(count_events(&f, "registry.answer"), 1);
	session_free(f.s);
	o.dir = f.dir;
	o.mode = SESSION_LIVE;
	o.operator = "olga";
	o.loop = f.loop;
	o.listener = on_event;
	o.listener_arg = &f;
	f.s = session_open(&o, &f.err);
	ck_assert_msg(f.s != NULL, "resume: %s", f.err.msg);
	wait_for_answers(&f);
	ck_assert_int_eq(count_events(&f, "tags.answer"), 1);
	ck_assert_int_eq(count_events(&f, "registry.answer"), 1);
	session_free(f.s);
	sh(xasprintf("git -C '%s' tag v1.2.0", f.repo));
	f.s = session_open(&o, &f.err);
	ck_assert_msg(f.s != NULL, "resume: %s", f.err.msg);
	wait_for_answers(&f);
	ck_assert_int_eq(count_events(&f, "tags.answer"), 2);
	ck_assert_int_eq(count_events(&f, "registry.answer"), 1);
	fx_done(&f);
}
END_TEST

START_TEST(test_probe_registry_dist_tags)
{
	struct fx f;

	fx_init(&f);
	expect_probe(&f, "p.reg-ok", 1, "1.1.0");
	expect_probe(&f, "p.reg-beta", 1, "2.0.0-beta.1");
	expect_probe(&f, "p.reg-bad", 0, "1.1.0");
	expect_probe(&f, "p.reg-pulled", 1, "deprecated");
	expect_probe(&f, "p.reg-not-pulled", 0, "1.1.0");
	fx_done(&f);
}
END_TEST

static Suite *
probe_suite(void)
{
	Suite *s = suite_create("probe");
	struct {
		const char *name;
		const TTest *test;
	} cases[] = {
		{ "git", test_probe_git_head_at_tag },
		{ "http", test_probe_http_status_and_json_field },
		{ "resume", test_probe_resume_journals_only_changed_answers },
		{ "http-cancel", test_probe_http_cancel_and_free_in_flight },
		{ "log", test_probe_log_threshold_crossing_is_journalled },
		{ "sources", test_probe_sources_report_logs_tags_and_registry },
		{ "registry", test_probe_registry_dist_tags },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		TCase *tc = tcase_create(cases[i].name);

		tcase_set_timeout(tc, 60);
		tcase_add_test(tc, cases[i].test);
		suite_add_tcase(s, tc);
	}
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(probe_suite());
	int n_failed;

	srunner_run_all(sr, CK_ENV);
	n_failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return n_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
