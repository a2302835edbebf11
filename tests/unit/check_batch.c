/* The real binary in batch mode: crash safety under SIGKILL, appends from
 * several processes, approvals from a second terminal, verify, and the
 * command line's errors and exit codes. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "strbuf.h"
#include "suites.h"
#include "testutil.h"
#include "xalloc.h"

struct child {
	pid_t pid;
	int in;		/* write end of its stdin, or -1 */
	int out;	/* read end of its stdout */
	struct strbuf got;
};

static const char *
bin(void)
{
	const char *b = getenv("REWIND_BIN");

	return b && *b ? b : "./rewind";
}

/* Start the binary with ARGV (argv[0] is ignored), stdin and stdout piped,
 * stderr to /dev/null. */
static void
child_start(struct child *c, const char *const argv[])
{
	int in[2], out[2];
	size_t n = 0;
	char **copy;

	while (argv[n])
		n++;
	copy = xcalloc(n + 1, sizeof(*copy));
	for (size_t i = 0; i < n; i++)
		copy[i] = xstrdup(argv[i]);

	ck_assert_int_eq(pipe(in), 0);
	ck_assert_int_eq(pipe(out), 0);
	c->pid = fork();
	ck_assert_int_ge(c->pid, 0);
	if (c->pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(null, 2);
		close(in[1]);
		close(out[0]);
		execv(bin(), copy);
		_exit(127);
	}
	for (size_t i = 0; i < n; i++)
		free(copy[i]);
	free(copy);
	close(in[0]);
	close(out[1]);
	c->in = in[1];
	c->out = out[0];
	strbuf_init(&c->got);
}

static void
child_send(struct child *c, const char *text)
{
	size_t len = strlen(text);

	ck_assert_int_eq(write(c->in, text, len), (ssize_t)len);
}

/* Read what is available within TIMEOUT_MS; returns 0 at EOF. */
static int
child_read(struct child *c, int timeout_ms)
{
	struct pollfd p = { .fd = c->out, .events = POLLIN };
	char buf[8192];
	ssize_t n;

	if (poll(&p, 1, timeout_ms) <= 0)
		return 1;
	n = read(c->out, buf, sizeof(buf));
	if (n <= 0)
		return 0;
	strbuf_add(&c->got, buf, (size_t)n);
	return 1;
}

/* Wait up to TIMEOUT_MS for NEEDLE in the child's stdout. */
static int
child_wait_for(struct child *c, const char *needle, int timeout_ms)
{
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		if (c->got.buf && strstr(c->got.buf, needle))
			return 1;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if ((t1.tv_sec - t0.tv_sec) * 1000 +
		    (t1.tv_nsec - t0.tv_nsec) / 1000000 > timeout_ms)
			return 0;
		if (!child_read(c, 20))
			return c->got.buf && strstr(c->got.buf, needle);
	}
}

static int
child_finish(struct child *c)
{
	int status;

	if (c->in >= 0)
		close(c->in);
	while (child_read(c, 5000))
		;
	close(c->out);
	waitpid(c->pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Run the binary to completion with STDIN_TEXT; returns the exit status
 * and leaves stdout in *OUT (caller frees) when OUT is not NULL. */
static int
run_bin(const char *const argv[], const char *stdin_text, char **out)
{
	struct child c;
	int rc;

	child_start(&c, argv);
	if (stdin_text)
		child_send(&c, stdin_text);
	rc = child_finish(&c);
	if (out)
		*out = strbuf_detach(&c.got);
	else
		strbuf_done(&c.got);
	return rc;
}

static char *
fixture_playbook(const char *name)
{
	char *rel = xasprintf("playbooks/%s", name);
	char *path = tu_fixture(rel);

	free(rel);
	return path;
}

/* --- crash safety -------------------------------------------------------------- */

static char *
crash_script(void)
{
	static const char *const steps[] = {
		"tick a.check", "run a.echo", "next",
		"choose d.level 1 the service is down", "set VERSION 1.2.2",
		"next", "approve p.signoff \"Technical Lead\" tina",
		"approve p.signoff \"Product Owner\" paul", "next",
		"confirm e.reset 1.2.2", "run e.reset", "next", "next",
		"send c.msg", "next",
	};
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		strbuf_addf(&sb, "%s\n", steps[i]);
		for (int j = 0; j < 4; j++)
			strbuf_addf(&sb, "note progress %zu.%d\n", i, j);
	}
	return strbuf_detach(&sb);
}

/* Every complete event line the child reported must be line SEQ of the
 * journal, byte for byte. Returns how many were checked. */
static int
check_reported_lines(const char *reported, const char *journal)
{
	int n = 0;

	for (const char *p = reported; p && *p;) {
		const char *nl = strchr(p, '\n');
		const char *line;
		unsigned long seq;

		if (!nl)
			break;	/* a line cut by the kill was never reported */
		if (sscanf(p, "{\"seq\":%lu,", &seq) == 1) {
			line = journal;
			for (unsigned long i = 1; i < seq && line; i++) {
				line = strchr(line, '\n');
				line = line ? line + 1 : NULL;
			}
			ck_assert_msg(line && strncmp(line, p,
						      (size_t)(nl - p + 1)) == 0,
				      "reported event %lu is not in the journal", seq);
			n++;
		}
		p = nl + 1;
	}
	return n;
}

static void
crash_once(const char *tmp, const char *playbook, const char *script,
	   unsigned *seed, int i)
{
	char *dir = xasprintf("%s/s%d", tmp, i);
	char *jpath = xasprintf("%s/journal.jsonl", dir);
	const char *argv[] = { "rewind", "drill", playbook, "--batch",
			 "--operator", "olga", "--session-dir", dir, NULL };
	const char *again[] = { "rewind", "drill", playbook, "--batch",
				"--session-dir", dir, NULL };
	const char *verify[] = { "rewind", "verify", dir, NULL };
	struct child c;
	char *journal;
	int rc;

	child_start(&c, argv);
	child_send(&c, script);
	usleep((useconds_t)(rand_r(seed) % 60000));
	kill(c.pid, SIGKILL);
	child_finish(&c);
	/* Replaying the whole script on the resumed session must finish it:
	 * what was done is refused, what was not gets done. */
	rc = run_bin(again, script, NULL);
	ck_assert_msg(rc == 0, "resume after kill %d exited %d", i, rc);
	journal = tu_read_file(jpath, NULL);
	ck_assert_ptr_nonnull(journal);
	check_reported_lines(c.got.buf, journal);
	ck_assert_msg(run_bin(verify, NULL, NULL) == 0, "verify failed after "
		      "kill %d", i);
	free(journal);
	strbuf_done(&c.got);
	tu_rmtree(dir);
	free(jpath);
	free(dir);
}

START_TEST(test_batch_sigkill_at_200_points_loses_no_reported_event)
{
	char *tmp = tu_mkdtemp();
	char *playbook = fixture_playbook("session.json");
	char *script = crash_script();
	unsigned seed = 20261121;

	for (int i = 0; i < 200; i++)
		crash_once(tmp, playbook, script, &seed, i);
	free(script);
	free(playbook);
	tu_rmtree(tmp);
	free(tmp);
}
END_TEST

/* --- several processes -------------------------------------------------------- */

static void
spawn_approver(const char *dir, int k, pid_t *pid)
{
	char name[32];

	snprintf(name, sizeof(name), "reviewer%02d", k);
	*pid = fork();
	ck_assert_int_ge(*pid, 0);
	if (*pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		dup2(null, 2);
		execl(bin(), "rewind", "approve", dir, "p.many", "--role",
		      "Reviewer", "--as", name, "--yes", (char *)NULL);
		_exit(127);
	}
}

static int
count_lines_with(const char *text, const char *needle)
{
	int n = 0;

	for (const char *p = text; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

START_TEST(test_batch_concurrent_approvals_and_notes_lose_nothing)
{
	char *tmp = tu_mkdtemp();
	char *dir = xasprintf("%s/s", tmp);
	char *playbook = fixture_playbook("concurrent.json");
	const char *argv[] = { "rewind", "drill", playbook, "--batch", "--operator",
			 "olga", "--session-dir", dir, NULL };
	const char *verify[] = { "rewind", "verify", dir, NULL };
	char *journal, *jpath = xasprintf("%s/journal.jsonl", dir);
	struct strbuf notes = STRBUF_INIT;
	pid_t pids[20];
	struct child c;
	int status;

	child_start(&c, argv);
	child_send(&c, "tick a.look\nnext\nnext\n");
	ck_assert(child_wait_for(&c, "\"to\":\"approve\"", 5000));
	for (int k = 0; k < 20; k++)
		spawn_approver(dir, k, &pids[k]);
	for (int j = 0; j < 300; j++)
		strbuf_addf(&notes, "note operator note %d\n", j);
	child_send(&c, notes.buf);
	for (int k = 0; k < 20; k++) {
		waitpid(pids[k], &status, 0);
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			      "approver %d failed", k);
	}
	child_send(&c, "next\ntick e.do\nnext\nnext\nnext\nnext\n");
	ck_assert_int_eq(child_finish(&c), 0);
	journal = tu_read_file(jpath, NULL);
	ck_assert_int_eq(count_lines_with(journal, "\"type\":\"approval.granted\""), 20);
	ck_assert_int_eq(count_lines_with(journal, "\"type\":\"note.added\""), 300);
	ck_assert_int_eq(count_lines_with(c.got.buf, "\"type\":\"approval.granted\""), 20);
	ck_assert_int_eq(run_bin(verify, NULL, NULL), 0);
	free(journal);
	strbuf_done(&notes);
	strbuf_done(&c.got);
	free(jpath);
	free(playbook);
	tu_rmtree(tmp);
	free(tmp);
	free(dir);
}
END_TEST

START_TEST(test_batch_running_session_sees_remote_approval_within_a_second)
{
	char *tmp = tu_mkdtemp();
	char *dir = xasprintf("%s/s", tmp);
	char *playbook = fixture_playbook("session.json");
	const char *argv[] = { "rewind", "drill", playbook, "--batch", "--operator",
			 "olga", "--session-dir", dir, NULL };
	const char *self[] = { "rewind", "approve", dir, "p.signoff", "--role",
			 "Technical Lead", "--as", "olga", "--yes", NULL };
	const char *tina[] = { "rewind", "approve", dir, "p.signoff", "--role",
			 "Technical Lead", "--as", "tina", "--comment", "ok", "--yes",
			 NULL };
	struct child c;

	child_start(&c, argv);
	child_send(&c, "tick a.check\nrun a.echo\nnext\n"
		   "choose d.level 1 down\nset VERSION 1.2.2\nnext\n");
	ck_assert(child_wait_for(&c, "\"to\":\"approve\"", 5000));
	ck_assert_int_eq(run_bin(self, NULL, NULL), 1);
	ck_assert_int_eq(run_bin(tina, NULL, NULL), 0);
	ck_assert_msg(child_wait_for(&c, "\"name\":\"tina\"", 1000),
		      "the running session did not see the approval in 1 s");
	child_send(&c, "quit\n");
	ck_assert_int_eq(child_finish(&c), 1);
	strbuf_done(&c.got);
	free(playbook);
	tu_rmtree(tmp);
	free(tmp);
	free(dir);
}
END_TEST

/* --- verify, errors and exit codes --------------------------------------------- */

/* Drill the session fixture a little and return its directory. */
static char *
small_session(const char *tmp)
{
	char *dir = xasprintf("%s/s", tmp);
	char *playbook = fixture_playbook("session.json");
	const char *argv[] = { "rewind", "drill", playbook, "--batch", "--operator",
			 "olga", "--session-dir", dir, NULL };

	ck_assert_int_eq(run_bin(argv, "tick a.check\nnote one\nnote two\n"
				 "note three\nnote four\n", NULL), 1);
	free(playbook);
	return dir;
}

static char *
verify_output(const char *dir, int *rc)
{
	char *out = NULL;
	int fds[2];
	pid_t pid;
	int status;

	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		close(fds[0]);
		execl(bin(), "rewind", "verify", dir, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	{
		struct strbuf sb = STRBUF_INIT;
		char buf[4096];
		ssize_t n;

		while ((n = read(fds[0], buf, sizeof(buf))) > 0)
			strbuf_add(&sb, buf, (size_t)n);
		out = strbuf_detach(&sb);
	}
	close(fds[0]);
	waitpid(pid, &status, 0);
	*rc = WEXITSTATUS(status);
	return out;
}

static void
rewrite_journal(const char *dir, void (*edit)(char **lines, int n))
{
	char *path = xasprintf("%s/journal.jsonl", dir);
	char *text = tu_read_file(path, NULL);
	char *lines[256];
	int n = 0;
	FILE *f;

	for (char *p = strtok(text, "\n"); p && n < 256; p = strtok(NULL, "\n"))
		lines[n++] = p;
	edit(lines, n);
	f = fopen(path, "w");
	for (int i = 0; i < n; i++)
		if (lines[i])
			fprintf(f, "%s\n", lines[i]);
	fclose(f);
	free(text);
	free(path);
}

static void
edit_change_line4(char **lines, int n)
{
	char *p;

	ck_assert_int_gt(n, 6);
	p = strstr(lines[3], "\"type\":\"");
	ck_assert_ptr_nonnull(p);
	p[8] = p[8] == 'x' ? 'y' : 'x';
}

static void
edit_remove_line3(char **lines, int n)
{
	ck_assert_int_gt(n, 6);
	lines[2] = NULL;
}

static void
edit_swap_lines_4_5(char **lines, int n)
{
	char *t = lines[3];

	ck_assert_int_gt(n, 6);
	lines[3] = lines[4];
	lines[4] = t;
}

static void
expect_bad_line(void (*edit)(char **, int), const char *want)
{
	char *tmp = tu_mkdtemp();
	char *dir = small_session(tmp);
	char *out;
	int rc;

	out = verify_output(dir, &rc);
	ck_assert_msg(rc == 0, "intact session fails verify: %s", out);
	free(out);
	rewrite_journal(dir, edit);
	out = verify_output(dir, &rc);
	ck_assert_int_eq(rc, 1);
	ck_assert_msg(strstr(out, want) != NULL, "verify said: %s", out);
	free(out);
	free(dir);
	tu_rmtree(tmp);
	free(tmp);
}

START_TEST(test_verify_names_first_bad_line_after_tampering)
{
	expect_bad_line(edit_change_line4, "line 5:");
	expect_bad_line(edit_remove_line3, "line 3:");
	expect_bad_line(edit_swap_lines_4_5, "line 4:");
}
END_TEST

START_TEST(test_batch_bad_lines_report_line_and_continue)
{
	char *tmp = tu_mkdtemp();
	char *dir = xasprintf("%s/s", tmp);
	char *playbook = fixture_playbook("session.json");
	const char *argv[] = { "rewind", "drill", playbook, "--batch", "--session-dir",
			 dir, NULL };
	char *out;

	ck_assert_int_eq(run_bin(argv, "tik a.check\nset VERSION \"1.2.2; rm -rf /\"\n"
				 "tick nosuch\ntick a.check\n", &out), 1);
	ck_assert_ptr_nonnull(strstr(out, "{\"type\":\"error\",\"line\":1,"
				     "\"message\":\"unknown action \\\"tik\\\""));
	ck_assert_ptr_nonnull(strstr(out, "\"line\":2,\"message\":\"set VERSION:"));
	ck_assert_ptr_nonnull(strstr(out, "\"line\":3,\"message\":\"tick: no step"));
	ck_assert_ptr_nonnull(strstr(out, "\"type\":\"step.ticked\""));
	free(out);
	free(playbook);
	tu_rmtree(tmp);
	free(tmp);
	free(dir);
}
END_TEST

/* A confirmation naming a secret variable never shows its value: the
 * awaiting listing, the "type the confirmation first" refusal and a
 * mismatch's refusal mask it, and typing it still confirms. */
START_TEST(test_batch_confirm_masks_a_secret_value)
{
	static const char pb[] =
		"{ \"id\": \"sc\", \"title\": \"Secret confirm\",\n"
		"  \"variables\": { \"TOK\": { \"prompt\": \"token\", "
		"\"secret\": true } },\n"
		"  \"phases\": [\n"
		"    { \"id\": \"assess\", \"steps\": [ { \"id\": \"a.tok\", "
		"\"kind\": \"input\", \"title\": \"Set TOK\", "
		"\"variable\": \"TOK\" } ] },\n"
		"    { \"id\": \"decide\", \"steps\": [] },\n"
		"    { \"id\": \"approve\", \"steps\": [] },\n"
		"    { \"id\": \"execute\", \"steps\": [ { \"id\": \"e.pub\", "
		"\"kind\": \"run\", \"title\": \"unpublish\", \"run\": "
		"\"true\", \"destructive\": true, \"confirm\": "
		"\"${TOK} pkg@1\" } ] },\n"
		"    { \"id\": \"verify\", \"steps\": [] },\n"
		"    { \"id\": \"communicate\", \"steps\": [] } ] }\n";
	char *tmp = tu_mkdtemp();
	char *dir = xasprintf("%s/s", tmp);
	char *playbook = tu_write_file(tmp, "pb.json", pb, strlen(pb));
	const char *argv[] = { "rewind", "drill", playbook, "--batch",
			       "--session-dir", dir, NULL };
	char *out;

	run_bin(argv, "set TOK zzSECRETzz123456\nnext\nnext\nnext\n"
		"run e.pub\nconfirm e.pub wrong\n"
		"confirm e.pub zzSECRETzz123456 pkg@1\nrun e.pub\nquit\n",
		&out);
	ck_assert_ptr_nonnull(strstr(out, "type the confirmation first "
				     "(confirm e.pub ******** pkg@1)"));
	ck_assert_ptr_nonnull(strstr(out, "type exactly \\\"******** "
				     "pkg@1\\\""));
	ck_assert_ptr_nonnull(strstr(out, "\"type\":\"step.finished\""));
	ck_assert_ptr_null(strstr(out, "zzSECRETzz"));
	free(out);
	free(playbook);
	tu_rmtree(tmp);
	free(tmp);
	free(dir);
}
END_TEST

START_TEST(test_cli_errors_and_exit_codes)
{
	char *good = fixture_playbook("session.json");
	const char *missing[] = { "rewind", "check", "/nonexistent/x.json", NULL };
	const char *check_ok[] = { "rewind", "check", good, NULL };
	const char *unwritable[] = { "rewind", "drill", good, "--batch",
			       "--session-dir", "/dev/null/s", NULL };
	const char *badvar[] = { "rewind", "drill", good, "--batch", "--var",
			   "VERSION=1.2.2;reboot", NULL };
	const char *usage[] = { "rewind", "frobnicate", NULL };
	const char *help[] = { "rewind", "--help", NULL };
	const char *version[] = { "rewind", "--version", NULL };
	char *out;

	ck_assert_int_eq(run_bin(missing, NULL, NULL), 2);
	ck_assert_int_eq(run_bin(check_ok, NULL, &out), 0);
	ck_assert_ptr_nonnull(strstr(out, ": ok: session-test"));
	free(out);
	ck_assert_int_eq(run_bin(unwritable, "", NULL), 2);
	ck_assert_int_eq(run_bin(badvar, "", NULL), 2);
	ck_assert_int_eq(run_bin(usage, NULL, NULL), 2);
	ck_assert_int_eq(run_bin(help, NULL, &out), 0);
	ck_assert_ptr_nonnull(strstr(out, "Usage: rewind"));
	free(out);
	ck_assert_int_eq(run_bin(version, NULL, &out), 0);
	ck_assert_ptr_nonnull(strstr(out, "rewind " PACKAGE_VERSION));
	free(out);
	free(good);
}
END_TEST

Suite *
batch_suite(void)
{
	Suite *s = suite_create("batch");
	TCase *crash = tcase_create("crash");
	TCase *multi = tcase_create("processes");
	TCase *cli = tcase_create("cli");

	tcase_set_timeout(crash, 300);
	tcase_set_timeout(multi, 60);
	tcase_set_timeout(cli, 30);
	tcase_add_test(crash, test_batch_sigkill_at_200_points_loses_no_reported_event);
	tcase_add_test(multi, test_batch_concurrent_approvals_and_notes_lose_nothing);
	tcase_add_test(multi, test_batch_running_session_sees_remote_approval_within_a_second);
	tcase_add_test(cli, test_verify_names_first_bad_line_after_tampering);
	tcase_add_test(cli, test_batch_bad_lines_report_line_and_continue);
	tcase_add_test(cli, test_cli_errors_and_exit_codes);
	tcase_add_test(cli, test_batch_confirm_masks_a_secret_value);
	suite_add_tcase(s, crash);
	suite_add_tcase(s, multi);
	suite_add_tcase(s, cli);
	return s;
}
