/* Tests for the child-process runner: exit statuses, output lines,
 * time-outs on whole process groups, bounded memory, variables as
 * environment only, redaction and the asciicast file. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "clock.h"
#include "err.h"
#include "keeper.h"
#include "loop.h"
#include "runner.h"
#include "strbuf.h"
#include "suites.h"
#include "testutil.h"
#include "xalloc.h"

/* What one run produced, collected by the callbacks below. */
struct capture {
	struct strbuf lines[2];	/* stdout, stderr: each line + "\n" */
	int n_lines[2];
	int is_done;
	int is_quiet;		/* count lines, keep nothing (floods) */
	uint64_t n_counted;
	size_t max_len;
	pid_t pid;
	pid_t grandchild;	/* from a "grandchild PID" line */
	int cancel_on;		/* cancel at a line starting "started" */
	int is_malformed;	/* a bad stream number or a missing NUL */
	struct proc_result res;
};

static void
capture_line(struct proc *p, int stream, const char *line, size_t len,
	     void *arg)
{
	struct capture *c = arg;

	/* No ck_assert here: each one costs Check a write, and floods make
	 * millions of calls. */
	if ((stream != 1 && stream != 2) || line[len] != '\0')
		c->is_malformed = 1;
	c->n_counted++;
	if (len > c->max_len)
		c->max_len = len;
	if (c->is_quiet)
		return;
	c->n_lines[stream - 1]++;
	strbuf_add(&c->lines[stream - 1], line, len);
	strbuf_addc(&c->lines[stream - 1], '\n');
	sscanf(line, "grandchild %d", &c->grandchild);
	if (c->cancel_on && !strncmp(line, "started", 7))
		runner_cancel(p);
}

static void
capture_exit(struct proc *p, const struct proc_result *res, void *arg)
{
	struct capture *c = arg;

	c->res = *res;
	c->pid = proc_pid(p);
	c->is_done = 1;
}

static void
capture_done(struct capture *c)
{
	strbuf_done(&c->lines[0]);
	strbuf_done(&c->lines[1]);
}

static int64_t
now_us(void)
{
	return clock_mono_now(clock_system());
}

/* Check's own knob for slow runs (valgrind) stretches our limits too. */
static int64_t
slow_factor(void)
{
	const char *s = getenv("CK_TIMEOUT_MULTIPLIER");
	int64_t f = s ? atoll(s) : 1;

	return f > 1 ? f : 1;
}

/* Spawn SPEC with the capture callbacks and run the loop until on_exit,
 * failing after LIMIT_US. */
static void
run_spec(struct loop *l, struct runner *r, struct proc_spec *spec,
	 struct capture *c, int64_t limit_us)
{
	struct err err = { 0 };
	int64_t end = now_us() + limit_us * slow_factor();

	spec->on_line = capture_line;
	spec->on_exit = capture_exit;
	spec->arg = c;
	ck_assert_msg(runner_spawn(r, spec, &err) != NULL, "%s", err.msg);
	while (!c->is_done && now_us() < end)
		ck_assert_int_ge(loop_run_once(l, 100000), 0);
	ck_assert_msg(c->is_done, "'%s' did not finish in time",
		      spec->command);
	ck_assert(!c->is_malformed);
}

/* Run COMMAND on a fresh loop and runner, with a 10 s limit. */
static void
run_command(const char *command, const char *const *env, struct capture *c)
{
	struct loop *l = loop_new(NULL);
	struct runner *r = runner_new(l, NULL);
	struct proc_spec spec = { .command = command, .env = env,
				  .stdin_null = 1 };

	ck_assert_ptr_nonnull(r);
	run_spec(l, r, &spec, c, 10000000);
	ck_assert_uint_eq(runner_n_live(r), 0);
	runner_free(r);
	loop_free(l);
}

static const struct {
	const char *command;
	int exit_code, term_signal;
} exit_cases[] = {
	{ "exit 0", 0, 0 },
	{ "exit 1", 1, 0 },
	{ "exit 42", 42, 0 },
	{ "kill -KILL $$", -1, SIGKILL },
};

START_TEST(test_runner_reports_exit_codes)
{
	struct capture c = { 0 };

	run_command(exit_cases[_i].command, NULL, &c);
	ck_assert_int_eq(c.res.exit_code, exit_cases[_i].exit_code);
	ck_assert_int_eq(c.res.term_signal, exit_cases[_i].term_signal);
	ck_assert_int_eq(c.res.timed_out, 0);
	ck_assert_int_eq(c.res.cancelled, 0);
	ck_assert_int_gt(c.res.duration_us, 0);
	capture_done(&c);
}
END_TEST

START_TEST(test_runner_delivers_lines_in_order_per_stream)
{
	struct capture c = { 0 };

	run_command("for i in 1 2 3 4 5; do echo out$i; echo err$i >&2; done",
		    NULL, &c);
	ck_assert_str_eq(strbuf_str(&c.lines[0]),
			 "out1\nout2\nout3\nout4\nout5\n");
	ck_assert_str_eq(strbuf_str(&c.lines[1]),
			 "err1\nerr2\nerr3\nerr4\nerr5\n");
	ck_assert_uint_eq(c.res.n_lines, 10);
	ck_assert_uint_eq(c.res.bytes_out, 50);
	ck_assert_int_eq(c.res.exit_code, 0);
	capture_done(&c);
}
END_TEST

START_TEST(test_runner_delivers_final_line_without_newline)
{
	struct capture c = { 0 };

	run_command("printf 'a\\n\\nb'; printf 'x' >&2", NULL, &c);
	ck_assert_str_eq(strbuf_str(&c.lines[0]), "a\n\nb\n");
	ck_assert_str_eq(strbuf_str(&c.lines[1]), "x\n");
	ck_assert_uint_eq(c.res.n_lines, 4);
	ck_assert_uint_eq(c.res.bytes_out, 5);
	/* The tail keeps both streams in arrival order; the two last lines
	 * both come at EOF, which may be seen in either order. */
	ck_assert_msg(!strcmp(c.res.tail, "a\n\nb\nx") ||
		      !strcmp(c.res.tail, "a\n\nx\nb"), "tail '%s'",
		      c.res.tail);
	capture_done(&c);
}
END_TEST

START_TEST(test_runner_splits_long_lines_into_pieces)
{
	struct capture c = { 0 };

	/* 40000 bytes and a newline, then 32768 (two full pieces exactly)
	 * with no newline at all. */
	run_command("head -c 40000 /dev/zero | tr '\\0' y; echo;"
		    "head -c 32768 /dev/zero | tr '\\0' z", NULL, &c);
	ck_assert_int_eq(c.n_lines[0], 5);
	ck_assert_uint_eq(c.max_len, 16384);
	ck_assert_uint_eq(c.res.n_lines, 2);
	ck_assert_uint_eq(c.res.bytes_out, 40000 + 1 + 32768);
	ck_assert_uint_eq(strbuf_str(&c.lines[0])[40000 + 3], 'z');
	ck_assert_uint_le(strlen(c.res.tail), 2047);
	ck_assert_int_eq(c.res.tail[0], 'z');
	capture_done(&c);
}
END_TEST

/* Wait up to LIMIT_US for PID, our child, to be reaped; returns its
 * status or -1. */
static int
reap_within(pid_t pid, int64_t limit_us)
{
	int64_t end = now_us() + limit_us;
	int status;

	while (now_us() < end) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return status;
		nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
	}
	return -1;
}

/* Orphans come to us instead of to an init that may never reap them, so
 * "gone" can be checked without zombies in the way. */
static void
become_subreaper(void)
{
	ck_assert_int_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
}

/* Reap what is left of process group PGID (our subreaped orphans) for up
 * to LIMIT_US; returns 1 when no member of it exists any more. */
static int
group_is_gone(pid_t pgid, int64_t limit_us)
{
	int64_t end = now_us() + limit_us;

	while (now_us() < end) {
		pid_t rc = waitpid(-pgid, NULL, WNOHANG);

		if (rc < 0 && errno == ECHILD)
			return kill(-pgid, 0) == -1 && errno == ESRCH;
		if (rc == 0)
			nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
	}
	return 0;
}

START_TEST(test_runner_timeout_escalates_to_sigkill)
{
	char *fixture = tu_fixture("bin/ignore-term");
	char *env_fixture = xasprintf("FIXTURE=%s", fixture);
	const char *env[] = { env_fixture, NULL };
	struct loop *l = loop_new(NULL);
	struct runner *r = runner_new(l, NULL);
	struct proc_spec spec = { .command = "exec \"$FIXTURE\"", .env = env,
				  .timeout_us = 300000,
				  .kill_grace_us = 200000 };
	struct capture c = { 0 };
	int status;

	become_subreaper();
	run_spec(l, r, &spec, &c, 5000000);
	ck_assert_int_gt(c.grandchild, 0);
	status = reap_within(c.grandchild, 2000000);
	if (status == -1)
		kill(c.grandchild, SIGKILL);
	ck_assert_msg(status != -1, "grandchild %d survived", c.grandchild);
	ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	ck_assert_int_eq(kill(c.grandchild, 0), -1);
	ck_assert_int_eq(errno, ESRCH);
	ck_assert_int_eq(c.res.timed_out, 1);
	ck_assert_int_eq(c.res.cancelled, 0);
	ck_assert_int_eq(c.res.term_signal, SIGKILL);
	ck_assert_int_eq(c.res.exit_code, -1);
	ck_assert(group_is_gone(c.pid, 2000000));
	ck_assert_int_ge(c.res.duration_us, 500000);
	ck_assert_int_lt(c.res.duration_us, 3000000);
	runner_free(r);
	loop_free(l);
	free(env_fixture);
	free(fixture);
	capture_done(&c);
}
END_TEST

START_TEST(test_runner_timeout_kills_group_once_leader_dies)
{
	struct loop *l = loop_new(NULL);
	struct runner *r = runner_new(l, NULL);
	/* The leader dies of SIGTERM at once; its child ignores SIGTERM
	 * and the grace is far too long to be what kills it. */
	struct proc_spec spec = { .command = "(trap '' TERM; exec sleep 60) &"
					     "echo \"grandchild $!\"; wait",
				  .timeout_us = 200000,
				  .kill_grace_us = 30000000 };
	struct capture c = { 0 };
	int status;

	become_subreaper();
	run_spec(l, r, &spec, &c, 5000000);
	ck_assert_int_eq(c.res.timed_out, 1);
	ck_assert_int_eq(c.res.term_signal, SIGTERM);
	ck_assert_int_gt(c.grandchild, 0);
	status = reap_within(c.grandchild, 2000000);
	if (status == -1)
		kill(c.grandchild, SIGKILL);
	ck_assert_msg(status != -1, "grandchild %d survived", c.grandchild);
	ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	runner_free(r);
	loop_free(l);
	capture_done(&c);
}
END_TEST

START_TEST(test_runner_cancel_from_a_callback_stops_the_group)
{
	struct capture c = { .cancel_on = 1 };
	int64_t start;

	become_subreaper();
	start = now_us();
	run_command("echo started; sleep 30", NULL, &c);
	ck_assert_int_eq(c.res.cancelled, 1);
	ck_assert_int_eq(c.res.timed_out, 0);
	ck_assert_int_eq(c.res.term_signal, SIGTERM);
	ck_assert_int_lt(now_us() - start, 2000000);
	/* Nothing of the group is left: sleep got the signals too. */
	ck_assert(group_is_gone(c.pid, 2000000));
	capture_done(&c);
}
END_TEST

static long
peak_rss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

START_TEST(test_runner_output_flood_keeps_memory_bounded)
{
	struct capture c = { .is_quiet = 1 };
	long base = peak_rss_kb();
	int64_t start = now_us();

	/* 200 MB in 2,000,000 lines of 100 bytes. */
	run_command("yes xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		    " | head -c 200000000", NULL, &c);
	ck_assert_int_eq(c.res.exit_code, 0);
	ck_assert_uint_eq(c.res.bytes_out, 200000000);
	ck_assert_uint_eq(c.res.n_lines, 2000000);
	ck_assert_uint_eq(c.n_counted, 2000000);
	ck_assert_uint_eq(c.max_len, 99);
	ck_assert_msg(peak_rss_kb() - base < 32 * 1024,
		      "peak RSS grew by %ld KiB", peak_rss_kb() - base);
	/* Well under the TCase time-out: it is a test, not a benchmark. */
	ck_assert_int_lt(now_us() - start, 10000000 * slow_factor());
	capture_done(&c);
}
END_TEST

/* A command flooding output in full pipe buffers is read in large reads,
 * not one per write it makes: each read costs a callback, a cast flush
 * and a pane update, and a million lines once took hundreds. */
START_TEST(test_runner_flood_is_read_in_large_reads)
{
	struct loop *l = loop_new(NULL);
	struct runner *r = runner_new(l, NULL);
	struct proc_spec spec = { .command = "seq 1 500000", .multi_line = 1,
				  .stdin_null = 1 };
	struct capture c = { .is_quiet = 1 };

	run_spec(l, r, &spec, &c, 10000000);
	ck_assert_int_eq(c.res.exit_code, 0);
	ck_assert_uint_eq(c.res.n_lines, 500000);
	/* 3.4 MB: blocks of 32 KB on average at the least (seq writes
	 * 4 KiB at a time; the runner reads up to 256 KiB). */
	ck_assert_msg(c.n_counted <= c.res.bytes_out / (32 * 1024),
		      "%llu reads with lines for %llu bytes",
		      (unsigned long long)c.n_counted,
		      (unsigned long long)c.res.bytes_out);
	capture_done(&c);
	runner_free(r);
	loop_free(l);
}
END_TEST

START_TEST(test_runner_variables_reach_command_only_as_env)
{
	static const char value[] =
		"1.2.2; touch PWNED; $(touch PWNED2) `touch PWNED3` 'q\" \\";
	static const char *const pwned[] = { "PWNED", "PWNED2", "PWNED3" };
	char *dir = tu_mkdtemp();
	char *entry = xasprintf("VALUE=%s", value);
	const char *env[] = { entry, "OTHER=x", "OTHER=y", NULL };
	struct loop *l = loop_new(NULL);
	struct runner *r = runner_new(l, NULL);
	struct proc_spec spec = { .command = "printf '%s\\n' \"$VALUE\" "
					     "\"$OTHER\"; pwd",
				  .env = env, .cwd = dir };
	struct capture c = { 0 };
	char *want = xasprintf("%s\ny\n%s\n", value, dir);

	run_spec(l, r, &spec, &c, 5000000);
	ck_assert_str_eq(strbuf_str(&c.lines[0]), want);
	for (int i = 0; i < 3; i++) {
		char *path = xasprintf("%s/%s", dir, pwned[i]);

		ck_assert_msg(access(path, F_OK) == -1, "%s exists", path);
		free(path);
	}
	runner_free(r);
	loop_free(l);
	tu_rmtree(dir);
	free(want);
	free(entry);
	free(dir);
	capture_done(&c);
}
END_TEST

static int
file_has(const char *text, const char *needle)
{
	return strstr(text, needle) != NULL;
}

START_TEST(test_runner_redacts_secrets_everywhere)
{
	char *dir = tu_mkdtemp();
	char *cast = xasprintf("%s/out.cast", dir);
	const char *env[] = { "API_TOKEN=s3cr3t-value-42",
			      "Db_Password=abcdef", NULL };
	struct loop *l = loop_new(NULL);
	struct runner *r = runner_new(l, NULL);
	struct proc_spec spec = {
		.command = "echo \"token is $API_TOKEN\";"
			   "echo \"$API_TOKEN\" >&2;"
			   "echo runner-wide hunter2; echo \"$Db_Password\"",
		.env = env, .cast_path = cast };
	struct capture c = { 0 };
	struct stat st;
	char *text;

	runner_add_secret(r, "hunter2");
	runner_add_secret(r, "abc");	/* inside a longer secret */
	runner_add_secret(r, "");
	run_spec(l, r, &spec, &c, 5000000);
	ck_assert_str_eq(strbuf_str(&c.lines[0]), "token is ********\n"
			 "runner-wide ********\n********\n");
	ck_assert_str_eq(strbuf_str(&c.lines[1]), "********\n");
	ck_assert(!file_has(c.res.tail, "s3cr3t") &&
		  !file_has(c.res.tail, "hunter2") &&
		  !file_has(c.res.tail, "def"));
	text = tu_read_file(cast, NULL);
	ck_assert_ptr_nonnull(text);
	ck_assert(file_has(text, "token is ********"));
	ck_assert(!file_has(text, "s3cr3t") && !file_has(text, "hunter2") &&
		  !file_has(text, "abcdef"));
	ck_assert_int_eq(stat(cast, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	runner_free(r);
	loop_free(l);
	tu_rmtree(dir);
	free(text);
	free(cast);
	free(dir);
	capture_done(&c);
}
END_TEST

START_TEST(test_runner_env_secrets_skip_author_names)
{
	static char tok[] = "MY_TOKEN=tok123",
		    author[] = "GIT_AUTHOR_NAME=Zoë",
		    path[] = "PATH=/usr/bin:/bin", broken[] = "BROKEN";
	char *const envp[] = { tok, author, path, broken, NULL };
	struct loop *l = loop_new(NULL);
	struct runner *r = runner_new(l, NULL);
	struct proc_spec spec = { .command = "echo tok123 Zoë /usr/bin" };
	struct capture c = { 0 };

	runner_add_env_secrets(r, envp);
	run_spec(l, r, &spec, &c, 5000000);
	ck_assert_str_eq(strbuf_str(&c.lines[0]), "******** Zoë /usr/bin\n");
	runner_free(r);
	loop_free(l);
	capture_done(&c);
}
END_TEST

static const struct {
	const char *name;
	int is_secret;
} secret_names[] = {
	{ "API_TOKEN", 1 }, { "github_token", 1 }, { "DB_PASSWORD", 1 },
	{ "Client_Secret", 1 }, { "NPM_AUTH", 1 }, { "AUTH", 1 },
	{ "HTTP_AUTHORIZATION", 1 }, { "PROXY_AUTHORISATION", 1 },
	{ "BASIC_AUTH_USER", 1 }, { "GIT_AUTHOR_NAME", 0 },
	{ "GIT_AUTHOR_EMAIL", 0 }, { "AUTHORS", 0 }, { "PATH", 0 },
	{ "HOME", 0 }, { "RESTORE_VERSION", 0 }, { "", 0 },
};

START_TEST(test_runner_secret_names_are_recognised)
{
	ck_assert_msg(runner_is_secret_name(secret_names[_i].name) ==
		      secret_names[_i].is_secret, "%s",
		      secret_names[_i].name);
}
END_TEST

/* Parse one cast event and return its text (borrowed from EV). */
static const char *
event_text(cJSON *ev, double *last_t)
{
	cJSON *t, *kind, *text;

	ck_assert(cJSON_IsArray(ev));
	ck_assert_int_eq(cJSON_GetArraySize(ev), 3);
	t = cJSON_GetArrayItem(ev, 0);
	kind = cJSON_GetArrayItem(ev, 1);
	text = cJSON_GetArrayItem(ev, 2);
	ck_assert(cJSON_IsNumber(t) && t->valuedouble >= *last_t);
	*last_t = t->valuedouble;
	ck_assert(cJSON_IsString(kind));
	ck_assert_str_eq(kind->valuestring, "o");
	ck_assert(cJSON_IsString(text));
	return text->valuestring;
}

static void
check_cast_header(const char *line, const char *command)
{
	cJSON *h = cJSON_Parse(line);

	ck_assert_ptr_nonnull(h);
	ck_assert_int_eq(cJSON_GetObjectItem(h, "version")->valueint, 2);
	ck_assert_int_eq(cJSON_GetObjectItem(h, "width")->valueint, 80);
	ck_assert_int_eq(cJSON_GetObjectItem(h, "height")->valueint, 24);
	ck_assert(cJSON_GetObjectItem(h, "timestamp")->valuedouble > 1e9);
	ck_assert_str_eq(cJSON_GetObjectItem(h, "command")->valuestring,
			 command);
	cJSON_Delete(h);
}

START_TEST(test_runner_cast_file_is_valid_asciicast)
{
	static const char *const want[] = {
		"plain\r\n",
		"q\" b\\ t\t e\x1b[31m c\x01\r\n",
		"\xef\xbf\xbd" "bad \xc3\xa9\r\n",
		"err\r\n",
	};
	char *dir = tu_mkdtemp();
	char *cast = xasprintf("%s/out.cast", dir);
	struct loop *l = loop_new(NULL);
	struct runner *r = runner_new(l, NULL);
	struct proc_spec spec = { .cast_path = cast, .command =
		"printf 'plain\\n';"
		"printf 'q\" b\\\\ t\\t e\\033[31m c\\001\\n';"
		"printf '\\377bad \\303\\251\\n'; printf 'err\\n' >&2" };
	struct capture c = { 0 };
	char *text, *line, *save = NULL;
	double last_t = 0;
	int n = 0, seen = 0;

	run_spec(l, r, &spec, &c, 5000000);
	text = tu_read_file(cast, NULL);
	ck_assert_ptr_nonnull(text);
	line = strtok_r(text, "\n", &save);
	check_cast_header(line, spec.command);
	while ((line = strtok_r(NULL, "\n", &save))) {
		cJSON *ev = cJSON_Parse(line);
		const char *got;

		ck_assert_msg(ev != NULL, "bad event: %s", line);
		got = event_text(ev, &last_t);
		for (int i = 0; i < 4; i++)
			if (!strcmp(got, want[i]))
				seen |= 1 << i;
		cJSON_Delete(ev);
		n++;
	}
	ck_assert_int_eq(n, 4);
	ck_assert_int_eq(seen, 15);
	runner_free(r);
	loop_free(l);
	tu_rmtree(dir);
	free(text);
	free(cast);
	free(dir);
	capture_done(&c);
}
END_TEST

START_TEST(test_runner_background_grandchild_does_not_hold_exit)
{
	struct capture c = { 0 };
	int64_t start;

	become_subreaper();
	start = now_us();
	run_command("sleep 5 & echo done", NULL, &c);
	ck_assert_int_lt(now_us() - start, 2000000);
	kill(-c.pid, SIGKILL);	/* the sleep we left behind */
	ck_assert(group_is_gone(c.pid, 2000000));
	ck_assert_str_eq(strbuf_str(&c.lines[0]), "done\n");
	ck_assert_int_eq(c.res.exit_code, 0);
	capture_done(&c);
}
END_TEST

START_TEST(test_runner_missing_cwd_exits_127)
{
	struct loop *l = loop_new(NULL);
	struct runner *r = runner_new(l, NULL);
	struct proc_spec spec = { .command = "echo never",
				  .cwd = "/nonexistent/rewind-dir" };
	struct capture c = { 0 };

	run_spec(l, r, &spec, &c, 5000000);
	ck_assert_int_eq(c.res.exit_code, 127);
	ck_assert_str_eq(strbuf_str(&c.lines[0]), "");
	ck_assert(file_has(strbuf_str(&c.lines[1]),
			   "chdir /nonexistent/rewind-dir"));
	runner_free(r);
	loop_free(l);
	capture_done(&c);
}
END_TEST

START_TEST(test_runner_spawn_failures_are_reported)
{
	const char *bad_env[] = { "NO_EQUALS_SIGN", NULL };
	struct loop *l = loop_new(NULL);
	struct runner *r = runner_new(l, NULL);
	struct proc_spec spec = { .command = "true", .env = bad_env };
	struct err err = { 0 };

	ck_assert_ptr_null(runner_spawn(r, &spec, &err));
	ck_assert_int_eq(err.code, ERR_INVALID);
	spec.env = NULL;
	spec.cast_path = "/nonexistent/rewind-dir/out.cast";
	ck_assert_ptr_null(runner_spawn(r, &spec, &err));
	ck_assert_int_eq(err.code, ERR_IO);
	ck_assert(file_has(err.msg, "/nonexistent/rewind-dir/out.cast"));
	ck_assert_uint_eq(runner_n_spawned(r), 0);
	runner_free(r);
	loop_free(l);
}
END_TEST

START_TEST(test_runner_leaves_other_children_alone)
{
	struct capture c = { 0 };
	pid_t other = fork();
	int status = 0;

	ck_assert_int_ge(other, 0);
	if (other == 0)
		_exit(7);
	/* Its SIGCHLD arrives while the runner runs; it must not reap it. */
	run_command("sleep 0.1", NULL, &c);
	ck_assert_int_eq(waitpid(other, &status, 0), other);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 7);
	capture_done(&c);
}
END_TEST

START_TEST(test_runner_free_kills_live_children)
{
	struct loop *l = loop_new(NULL);
	struct runner *r = runner_new(l, NULL);
	struct proc_spec spec = { .command = "sleep 30" };
	struct proc *p = runner_spawn(r, &spec, NULL);
	pid_t pid;

	become_subreaper();
	ck_assert_ptr_nonnull(p);
	pid = proc_pid(p);
	ck_assert_uint_eq(runner_n_live(r), 1);
	ck_assert_uint_eq(runner_n_spawned(r), 1);
	loop_run_once(l, 10000);
	runner_free(r);
	/* Killed and reaped: not even a zombie is left. */
	ck_assert_int_eq(kill(pid, 0), -1);
	ck_assert(group_is_gone(pid, 2000000));
	loop_free(l);
}
END_TEST

START_TEST(test_runner_child_starts_with_default_signals)
{
	struct capture c = { 0 };
	unsigned long long blocked = ~0ULL, ignored = ~0ULL;
	sigset_t usr1;

	/* What a TUI parent typically has: SIGPIPE ignored, some blocked. */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	run_command("cat; grep -E '^Sig(Ign|Blk)' /proc/self/status;"
		    "yes | head -n 1", NULL, &c);
	sigprocmask(SIG_UNBLOCK, &usr1, NULL);
	signal(SIGPIPE, SIG_DFL);
	ck_assert_int_eq(sscanf(strbuf_str(&c.lines[0]),
				"SigBlk: %llx SigIgn: %llx y", &blocked,
				&ignored), 2);
	/* Signals 1-31 only: glibc keeps 32 and 33 for itself, so nobody
	 * can reset them, and some harnesses start us with them ignored. */
	ck_assert_uint_eq(blocked & 0x7fffffffULL, 0);
	ck_assert_uint_eq(ignored & 0x7fffffffULL, 0);
	ck_assert_str_eq(strbuf_str(&c.lines[0]) + c.lines[0].len - 2, "y\n");
	/* yes died of SIGPIPE quietly instead of reporting EPIPE. */
	ck_assert_str_eq(strbuf_str(&c.lines[1]), "");
	capture_done(&c);
}
END_TEST

/* One TCase per behaviour, named after the fact its test states. */
static void
add_case(Suite *s, const TTest *test, int timeout)
{
	TCase *tc = tcase_create(test->name);

	tcase_set_timeout(tc, timeout);
	tcase_add_test(tc, test);
	suite_add_tcase(s, tc);
}

/* The same for a table-driven test over N rows. */
static void
add_table_case(Suite *s, const TTest *test, int n, int timeout)
{
	TCase *tc = tcase_create(test->name);

	tcase_set_timeout(tc, timeout);
	tcase_add_loop_test(tc, test, 0, n);
	suite_add_tcase(s, tc);
}

#define N_ROWS(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Behind a keeper (keeper.h), a run reports what it would alone (exit
 * status, signal, time), proc_pid is the command's own group, not the
 * keeper's, and the keeper's status file says the same. */
/* The keeper program of the build tree (make check exports the folder). */
static void
enable_build_keeper(void)
{
	const char *dir = getenv("REWIND_BUILDDIR");
	char *path = xasprintf("%s/" KEEPER_PROGRAM, dir ? dir : ".");

	keeper_enable(path);
	free(path);
}

static const struct {
	const char *command;
	int exit_code, term_signal;
	const char *record;
} kept_cases[] = {
	{ "exit 3", 3, 0, "\"exit\":3,\"signal\":0," },
	{ "sleep 0.2; echo done", 0, 0, "\"exit\":0,\"signal\":0," },
	{ "kill -TERM $$", -1, SIGTERM, "\"exit\":-1,\"signal\":15," },
};

START_TEST(test_runner_keeper_records_what_the_console_sees)
{
	char dir[] = "/tmp/rewind-keeper-XXXXXX";
	struct loop *l = loop_new(NULL);
	struct runner *r = runner_new(l, NULL);
	struct capture c = { 0 };
	struct proc_spec spec = { .command = kept_cases[_i].command,
				  .stdin_null = 1 };
	struct keeper_status ks;
	struct err err = { 0 };
	char *status;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	status = xasprintf("%s/run.status", dir);
	spec.status_path = status;
	enable_build_keeper();
	run_spec(l, r, &spec, &c, 10000000);
	ck_assert_int_eq(c.res.exit_code, kept_cases[_i].exit_code);
	ck_assert_int_eq(c.res.term_signal, kept_cases[_i].term_signal);
	ck_assert_msg(keeper_read_status(status, &ks, &err) == 0, "%s",
		      err.msg);
	ck_assert_int_eq(ks.pid, c.pid);
	ck_assert_int_ne(ks.keeper_pid, c.pid);
	ck_assert_int_eq(ks.exit_code, kept_cases[_i].exit_code);
	ck_assert_int_eq(ks.term_signal, kept_cases[_i].term_signal);
	ck_assert_int_le(ks.duration_us, c.res.duration_us);
	ck_assert_int_ge(ks.ended_us, ks.started_us);
	ck_assert_int_eq(access(status, F_OK), 0);
	{
		char *tmp = xasprintf("%s.tmp", status);
		FILE *f = fopen(status, "r");
		char text[512] = "";

		ck_assert_int_ne(access(tmp, F_OK), 0);
		ck_assert_ptr_nonnull(f);
		ck_assert_ptr_nonnull(fgets(text, sizeof(text), f));
		fclose(f);
		ck_assert_msg(strstr(text, kept_cases[_i].record), "%s", text);
		unlink(status);
		free(tmp);
	}
	rmdir(dir);
	free(status);
	capture_done(&c);
	runner_free(r);
	loop_free(l);
}
END_TEST

/* The runner's cancel stops the command, not only its keeper, and the
 * keeper records the signal. */
START_TEST(test_runner_cancel_stops_a_kept_command)
{
	char dir[] = "/tmp/rewind-keeper-XXXXXX";
	struct loop *l = loop_new(NULL);
	struct runner *r = runner_new(l, NULL);
	struct capture c = { .cancel_on = 1 };
	struct proc_spec spec = { .command = "echo started; sleep 30",
				  .stdin_null = 1 };
	struct keeper_status ks;
	char *status;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	status = xasprintf("%s/run.status", dir);
	spec.status_path = status;
	enable_build_keeper();
	run_spec(l, r, &spec, &c, 10000000);
	ck_assert(c.res.cancelled);
	ck_assert_int_eq(c.res.term_signal, SIGTERM);
	ck_assert_int_eq(keeper_read_status(status, &ks, NULL), 0);
	ck_assert_int_eq(ks.term_signal, SIGTERM);
	ck_assert_int_ne(kill(ks.pid, 0), 0);
	unlink(status);
	rmdir(dir);
	free(status);
	capture_done(&c);
	runner_free(r);
	loop_free(l);
}
END_TEST

/* The keeper beside the program when there is one (a build tree), else
 * the installed one; a keeper that cannot start fails the spawn, named. */
START_TEST(test_runner_keeper_is_found_beside_the_program)
{
	char dir[] = "/tmp/rewind-keeper-XXXXXX";
	struct loop *l = loop_new(NULL);
	struct runner *r = runner_new(l, NULL);
	struct proc_spec spec = { .command = "exit 0", .stdin_null = 1,
				  .status_path = "/nonexistent/run.status" };
	struct err err = { 0 };
	char *exe, *keeper, *found;
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	exe = xasprintf("%s/rewind", dir);
	keeper = xasprintf("%s/" KEEPER_PROGRAM, dir);
	found = keeper_find(exe);
	ck_assert_str_eq(found, REWIND_PKGLIBEXECDIR "/" KEEPER_PROGRAM);
	free(found);
	f = fopen(keeper, "w");
	ck_assert_ptr_nonnull(f);
	fclose(f);
	chmod(keeper, 0700);
	found = keeper_find(exe);
	ck_assert_str_eq(found, keeper);
	free(found);
	unlink(keeper);
	keeper_enable(keeper);
	ck_assert_ptr_null(runner_spawn(r, &spec, &err));
	ck_assert_msg(strstr(err.msg, keeper) &&
		      strstr(err.msg, "No such file"), "%s", err.msg);
	keeper_enable(NULL);
	rmdir(dir);
	free(keeper);
	free(exe);
	runner_free(r);
	loop_free(l);
}
END_TEST

Suite *
runner_suite(void)
{
	Suite *s = suite_create("runner");

	add_table_case(s, test_runner_reports_exit_codes, N_ROWS(exit_cases),
		       20);
	add_table_case(s, test_runner_secret_names_are_recognised,
		       N_ROWS(secret_names), 5);
	add_case(s, test_runner_delivers_lines_in_order_per_stream, 10);
	add_case(s, test_runner_delivers_final_line_without_newline, 10);
	add_case(s, test_runner_splits_long_lines_into_pieces, 10);
	add_case(s, test_runner_timeout_escalates_to_sigkill, 10);
	add_case(s, test_runner_timeout_kills_group_once_leader_dies, 10);
	add_case(s, test_runner_cancel_from_a_callback_stops_the_group, 10);
	add_case(s, test_runner_output_flood_keeps_memory_bounded, 30);
	add_case(s, test_runner_flood_is_read_in_large_reads, 20);
	add_case(s, test_runner_variables_reach_command_only_as_env, 10);
	add_case(s, test_runner_redacts_secrets_everywhere, 10);
	add_case(s, test_runner_env_secrets_skip_author_names, 10);
	add_case(s, test_runner_cast_file_is_valid_asciicast, 10);
	add_case(s, test_runner_background_grandchild_does_not_hold_exit, 10);
	add_case(s, test_runner_missing_cwd_exits_127, 10);
	add_case(s, test_runner_spawn_failures_are_reported, 10);
	add_case(s, test_runner_leaves_other_children_alone, 10);
	add_case(s, test_runner_free_kills_live_children, 10);
	add_case(s, test_runner_child_starts_with_default_signals, 10);
	add_case(s, test_runner_keeper_is_found_beside_the_program, 10);
	add_table_case(s, test_runner_keeper_records_what_the_console_sees,
		       N_ROWS(kept_cases), 20);
	add_case(s, test_runner_cancel_stops_a_kept_command, 10);
	return s;
}
