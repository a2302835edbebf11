/* Messages through their real channels: files that are never overwritten,
 * webhooks received by a real HTTP server on loopback (tests/fixtures/
 * fixsrv.py, or a listener in this process when the test needs to decide
 * when it starts listening), commands run by the runner, the clipboard
 * handler, the delivery queue across a crash, and update reminders on a
 * manual clock. */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "action.h"
#include "clock.h"
#include "err.h"
#include "loop.h"
#include "osc52.h"
#include "outbox.h"
#include "session.h"
#include "testutil.h"
#include "xalloc.h"

#define SECRET_PATH "s3cr3t-path-4f9a"
#define HOOK_ENV "REWIND_TEST_HOOK_URL"

struct fx {
	char *tmp;
	char *dir;
	char *oldcwd;		/* the directory fx_init left */
	char *playbook;
	struct clock clk;
	int manual;		/* the session and loop use CLK */
	struct loop *loop;
	struct session *s;
	struct err err;
	/* fixsrv */
	pid_t srv_pid;
	int srv_in;		/* its stdin: closing it stops it */
	int port;
	char *srv_log;
	/* clipboard handler */
	char *clipped;
};

static void
fx_init(struct fx *f)
{
	memset(f, 0, sizeof(*f));
	f->tmp = tu_mkdtemp();
	f->dir = xasprintf("%s/session", f->tmp);
	f->playbook = tu_fixture("message/message.json");
	f->srv_in = -1;
	clock_init_manual(&f->clk, 1795289400000000LL, 1000);
	/* The file channel's folder is relative to the current directory
	 * when the playbook has no git target. */
	f->oldcwd = getcwd(NULL, 0);
	ck_assert_ptr_nonnull(f->oldcwd);
	ck_assert_int_eq(chdir(f->tmp), 0);
}

static void
fx_open(struct fx *f, enum session_mode mode)
{
	struct session_opts o = { 0 };

	if (!f->loop)
		f->loop = loop_new(f->manual ? &f->clk : NULL);
	o.dir = f->dir;
	o.playbook = f->playbook;
	o.mode = mode;
	o.operator = "olga";
	o.clk = f->manual ? &f->clk : NULL;
	o.loop = f->loop;
	f->s = session_open(&o, &f->err);
	ck_assert_msg(f->s != NULL, "session_open: %s", f->err.msg);
	session_outbox_set_backoff(f->s, 50000, 400000);
}

static void
fx_close(struct fx *f)
{
	tu_session_close(&f->s);
}

static void
srv_stop(struct fx *f)
{
	int status;

	if (f->srv_in >= 0)
		close(f->srv_in);
	f->srv_in = -1;
	if (f->srv_pid > 0)
		waitpid(f->srv_pid, &status, 0);
	f->srv_pid = 0;
}

static void
fx_done(struct fx *f)
{
	fx_close(f);
	loop_free(f->loop);
	srv_stop(f);
	/* Out of f->tmp before removing it. */
	ck_assert_int_eq(chdir(f->oldcwd), 0);
	free(f->oldcwd);
	tu_rmtree(f->tmp);
	free(f->tmp);
	free(f->dir);
	free(f->playbook);
	free(f->srv_log);
	free(f->clipped);
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
to_communicate(struct fx *f)
{
	for (int i = 0; i < 5; i++)
		ok(f, "next");
	ck_assert_int_eq(session_phase(f->s), PHASE_COMMUNICATE);
}

/* --- the fixture server ---------------------------------------------------------- */

/* Start fixsrv.py with ROUTES (JSON text) and point HOOK_ENV at
 * /hook/SECRET_PATH on it. */
static void
srv_start(struct fx *f, const char *routes)
{
	char *script = tu_fixture("fixsrv.py");
	char *rpath = tu_write_file(f->tmp, "routes.json", routes,
				    strlen(routes));
	int in[2], out[2];
	char line[64] = "";
	char *url;
	ssize_t n;

	f->srv_log = xasprintf("%s/requests.jsonl", f->tmp);
	ck_assert_int_eq(pipe(in), 0);
	ck_assert_int_eq(pipe(out), 0);
	f->srv_pid = fork();
	ck_assert_int_ge(f->srv_pid, 0);
	if (f->srv_pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[1]);
		close(out[0]);
		execlp("python3", "python3", script, rpath, "--log",
		       f->srv_log, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	f->srv_in = in[1];
	/* Up to the newline: python writes it separately, and a closed
	 * pipe would kill the server. */
	for (n = 0; n < (ssize_t)sizeof(line) - 1;) {
		ssize_t got = read(out[0], line + n, 1);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0 || line[n] == '\n')
			break;
		n++;
	}
	line[n] = '\0';
	close(out[0]);
	ck_assert_msg(n > 5 && sscanf(line, "PORT %d", &f->port) == 1,
		      "fixsrv did not start: \"%s\"", line);
	url = xasprintf("http://127.0.0.1:%d/hook/" SECRET_PATH, f->port);
	setenv(HOOK_ENV, url, 1);
	free(url);
	free(script);
	free(rpath);
}

/* The requests fixsrv logged, as a JSON array (caller deletes). */
static cJSON *
srv_requests(struct fx *f)
{
	char *text = tu_read_file(f->srv_log, NULL);
	cJSON *list = cJSON_CreateArray();

	for (char *p = text, *nl; p && *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl)
			break;
		*nl = '\0';
		cJSON_AddItemToArray(list, cJSON_Parse(p));
	}
	free(text);
	return list;
}

static const char *
req_header(const cJSON *req, const char *name)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(req, "headers"), name));
}

static cJSON *
req_body(const cJSON *req)
{
	return cJSON_Parse(cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(req, "body")));
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Run the loop until nothing is pending in the queue (bounded). */
static void
run_until_delivered(struct fx *f, double secs)
{
	double end = now_s() + secs;

	while (session_outbox_pending(f->s) > 0 && now_s() < end)
		loop_run_once(f->loop, 20000);
	ck_assert_msg(session_outbox_pending(f->s) == 0, "still pending: %s",
		      session_outbox_describe(f->s));
}

static void
run_for(struct fx *f, double secs)
{
	double end = now_s() + secs;

	while (now_s() < end)
		loop_run_once(f->loop, 20000);
}

/* --- the journal ------------------------------------------------------------------ */

static cJSON *
journal_events(struct fx *f, const char *type)
{
	return tu_journal_events(f->dir, type);
}

static int
count_events(struct fx *f, const char *type)
{
	return tu_count_events(f->dir, type);
}

static const char *
payload_str(const cJSON *ev, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(ev, "payload"), key));
}

static double
payload_num(const cJSON *ev, const char *key)
{
	return cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(ev, "payload"), key));
}

/* Whether any file under DIR holds NEEDLE. */
static int
tree_contains(const char *dir, const char *needle)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int found = 0;

	while (d && !found && (de = readdir(d)) != NULL) {
		char *path;
		struct stat st;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			found = tree_contains(path, needle);
		} else {
			char *text = tu_read_file(path, NULL);

			found = text && strstr(text, needle);
			free(text);
		}
		free(path);
	}
	if (d)
		closedir(d);
	return found;
}

/* --- file channel ---------------------------------------------------------------- */

START_TEST(test_message_file_channel_writes_session_and_folder_copies)
{
	struct fx f;
	char *text;
	cJSON *ev;

	fx_init(&f);
	fx_open(&f, SESSION_LIVE);
	to_communicate(&f);
	ok(&f, "send c.file");
	text = tu_read_file("incidents/report.md", NULL);
	ck_assert_str_eq(text, "Rolled back to 1.2.2 by olga");
	free(text);
	ck_assert_int_eq(session_step_state(f.s, "c.file"), STEP_DONE);
	ck_assert_uint_eq(session_outbox_pending(f.s), 0);
	ev = journal_events(&f, "message.delivered");
	ck_assert_int_eq(cJSON_GetArraySize(ev), 1);
	ck_assert_str_eq(payload_str(cJSON_GetArrayItem(ev, 0), "path"),
			 "messages/report.md");
	ck_assert_str_eq(payload_str(cJSON_GetArrayItem(ev, 0), "folder_path"),
			 "incidents/report.md");
	cJSON_Delete(ev);
	fx_done(&f);
}
END_TEST

START_TEST(test_message_file_channel_never_overwrites)
{
	struct fx f;
	char *text, *path;

	fx_init(&f);
	mkdir("incidents", 0755);
	free(tu_write_file(f.tmp, "incidents/report.md", "keep me", 7));
	fx_open(&f, SESSION_LIVE);
	to_communicate(&f);
	ok(&f, "send c.file");
	ok(&f, "send c.file");	/* a done message may be sent again */
	text = tu_read_file("incidents/report.md", NULL);
	ck_assert_str_eq(text, "keep me");
	free(text);
	text = tu_read_file("incidents/report-3.md", NULL);
	ck_assert_str_eq(text, "Rolled back to 1.2.2 by olga");
	free(text);
	path = xasprintf("%s/messages/report-2.md", f.dir);
	text = tu_read_file(path, NULL);
	ck_assert_str_eq(text, "Rolled back to 1.2.2 by olga");
	free(text);
	free(path);
	fx_done(&f);
}
END_TEST

/* --- webhooks -------------------------------------------------------------------- */

static const char ok_routes[] =
	"{\"/hook/" SECRET_PATH "\": {\"method\": \"POST\", \"status\": 200}}";

START_TEST(test_message_webhook_slack_body_and_id_header)
{
	struct fx f;
	cJSON *reqs, *body, *queued;
	const cJSON *req;

	fx_init(&f);
	srv_start(&f, ok_routes);
	fx_open(&f, SESSION_LIVE);
	to_communicate(&f);
	ok(&f, "send c.slack");
	ck_assert_int_eq(session_step_state(f.s, "c.slack"), STEP_DONE);
	ck_assert_uint_eq(session_outbox_pending(f.s), 1);
	run_until_delivered(&f, 10);
	reqs = srv_requests(&f);
	ck_assert_int_eq(cJSON_GetArraySize(reqs), 1);
	req = cJSON_GetArrayItem(reqs, 0);
	body = req_body(req);
	queued = journal_events(&f, "message.queued");
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(body, "text")),
			 "Rollback to 1.2.2 done (live)");
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(body, "id")),
			 payload_str(cJSON_GetArrayItem(queued, 0), "id"));
	ck_assert_str_eq(req_header(req, "rewind-message-id"),
			 payload_str(cJSON_GetArrayItem(queued, 0), "id"));
	ck_assert_ptr_nonnull(strstr(req_header(req, "content-type"),
				     "application/json"));
	ck_assert_int_eq(count_events(&f, "message.delivered"), 1);
	cJSON_Delete(reqs);
	cJSON_Delete(body);
	cJSON_Delete(queued);
	fx_done(&f);
}
END_TEST

START_TEST(test_message_webhook_generic_body_carries_facts)
{
	struct fx f;
	cJSON *reqs, *body, *facts;

	fx_init(&f);
	srv_start(&f, ok_routes);
	fx_open(&f, SESSION_LIVE);
	to_communicate(&f);
	ok(&f, "send c.generic");
	run_until_delivered(&f, 10);
	reqs = srv_requests(&f);
	body = req_body(cJSON_GetArrayItem(reqs, 0));
	facts = cJSON_GetObjectItem(body, "facts");
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(body, "step")),
			 "c.generic");
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(body, "text")),
			 "Service restored at 1.2.2");
	ck_assert_ptr_nonnull(cJSON_GetStringValue(cJSON_GetObjectItem(body,
								       "id")));
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(facts,
						"VERSION")), "1.2.2");
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(facts,
						"OPERATOR")), "olga");
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(facts,
						"MODE")), "live");
	cJSON_Delete(reqs);
	cJSON_Delete(body);
	fx_done(&f);
}
END_TEST

START_TEST(test_message_webhook_500_then_200_delivered_exactly_once)
{
	struct fx f;
	cJSON *reqs, *failed;

	fx_init(&f);
	srv_start(&f, "{\"/hook/" SECRET_PATH "\": {\"sequence\": ["
		  "{\"status\": 500}, {\"status\": 200}]}}");
	fx_open(&f, SESSION_LIVE);
	to_communicate(&f);
	ok(&f, "send c.slack");
	run_until_delivered(&f, 10);
	run_for(&f, 1.0);	/* nothing more may be sent */
	reqs = srv_requests(&f);
	ck_assert_int_eq(cJSON_GetArraySize(reqs), 2);
	ck_assert_str_eq(req_header(cJSON_GetArrayItem(reqs, 0),
				    "rewind-message-id"),
			 req_header(cJSON_GetArrayItem(reqs, 1),
				    "rewind-message-id"));
	failed = journal_events(&f, "message.failed");
	ck_assert_int_eq(cJSON_GetArraySize(failed), 1);
	ck_assert_str_eq(payload_str(cJSON_GetArrayItem(failed, 0), "reason"),
			 "HTTP 500");
	ck_assert_int_eq(count_events(&f, "message.delivered"), 1);
	ck_assert_int_eq(session_step_state(f.s, "c.slack"), STEP_DONE);
	cJSON_Delete(reqs);
	cJSON_Delete(failed);
	fx_done(&f);
}
END_TEST

START_TEST(test_message_webhook_429_retry_after_is_honoured)
{
	struct fx f;
	cJSON *reqs, *failed;
	double t0;

	fx_init(&f);
	srv_start(&f, "{\"/hook/" SECRET_PATH "\": {\"sequence\": ["
		  "{\"status\": 429, \"headers\": {\"Retry-After\": \"1\"}},"
		  " {\"status\": 200}]}}");
	fx_open(&f, SESSION_LIVE);	/* back-off alone would be 50 ms */
	to_communicate(&f);
	t0 = now_s();
	ok(&f, "send c.slack");
	run_until_delivered(&f, 10);
	ck_assert_msg(now_s() - t0 >= 0.9, "retried after %.2f s",
		      now_s() - t0);
	failed = journal_events(&f, "message.failed");
	ck_assert_int_eq(cJSON_GetArraySize(failed), 1);
	ck_assert_str_eq(payload_str(cJSON_GetArrayItem(failed, 0), "reason"),
			 "HTTP 429");
	ck_assert(payload_num(cJSON_GetArrayItem(failed, 0), "retry_in_ms")
		  == 1000);
	reqs = srv_requests(&f);
	ck_assert_int_eq(cJSON_GetArraySize(reqs), 2);
	cJSON_Delete(reqs);
	cJSON_Delete(failed);
	fx_done(&f);
}
END_TEST

START_TEST(test_message_webhook_timeout_is_retried_and_does_not_block)
{
	struct fx f;
	cJSON *failed;
	struct outbox_view v;
	double t0 = now_s();

	fx_init(&f);
	srv_start(&f, "{\"/hook/" SECRET_PATH "\": {\"hang\": true}}");
	fx_open(&f, SESSION_LIVE);
	to_communicate(&f);
	ok(&f, "send c.slack");
	/* The phase goes on while the webhook waits. */
	ok(&f, "send c.file");
	while (count_events(&f, "message.failed") == 0 && now_s() - t0 < 8 * tu_slack())
		loop_run_once(f.loop, 20000);
	failed = journal_events(&f, "message.failed");
	ck_assert_int_ge(cJSON_GetArraySize(failed), 1);
	ck_assert_ptr_nonnull(strstr(payload_str(cJSON_GetArrayItem(failed, 0),
						 "reason"), "timeout"));
	ck_assert_msg(cJSON_IsFalse(cJSON_GetObjectItem(cJSON_GetObjectItem(
		cJSON_GetArrayItem(failed, 0), "payload"), "final")),
		"a time-out must be retried");
	ck_assert_uint_eq(session_outbox_pending(f.s), 1);
	ck_assert_int_eq(session_outbox_view(f.s, 0, &v), 0);
	ck_assert_str_eq(v.step, "c.slack");
	ck_assert_ptr_nonnull(v.error);
	/* Closing the session with the message undelivered is recorded. */
	ok(&f, "next");
	ck_assert(session_is_complete(f.s));
	cJSON_Delete(failed);
	failed = journal_events(&f, "session.completed");
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(
		cJSON_GetObjectItem(cJSON_GetArrayItem(failed, 0), "payload"),
		"undelivered")), 1);
	cJSON_Delete(failed);
	fx_done(&f);
}
END_TEST

/* A listener of our own, on the test's loop: bound but not listening it
 * refuses connections; once listening it answers each request with 200
 * when its body is complete (one connection at a time). */
struct hand_srv {
	int fd;
	int conn;
	char buf[16384];
	size_t have;
	int n_served;
	struct loop *loop;
};

static int
request_complete(const char *buf)
{
	const char *end = strstr(buf, "\r\n\r\n");
	const char *cl = strcasestr(buf, "content-length:");

	return end && cl && strlen(end + 4) >= (size_t)atoi(cl + 15);
}

static void
hand_read(int fd, int events, void *arg)
{
	struct hand_srv *h = arg;
	static const char answer[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n"
				     "Connection: close\r\n\r\n";
	ssize_t n = read(fd, h->buf + h->have, sizeof(h->buf) - 1 - h->have);

	(void)events;
	if (n > 0) {
		h->have += (size_t)n;
		h->buf[h->have] = '\0';
		if (!request_complete(h->buf))
			return;
		if (write(fd, answer, sizeof(answer) - 1) < 0)
			ck_abort_msg("write: %s", strerror(errno));
		h->n_served++;
	} else if (n < 0 && errno == EAGAIN) {
		return;
	}
	loop_del_fd(h->loop, fd);
	close(fd);
	h->have = 0;
}

static void
hand_accept(int fd, int events, void *arg)
{
	struct hand_srv *h = arg;
	int c = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

	(void)events;
	if (c >= 0)
		loop_add_fd(h->loop, c, LOOP_READ, hand_read, h);
}

START_TEST(test_message_webhook_refused_is_queued_then_flushed)
{
	struct fx f;
	struct hand_srv h = { 0 };
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	char *url;
	double t0 = now_s();

	fx_init(&f);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	h.fd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_eq(bind(h.fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(getsockname(h.fd, (struct sockaddr *)&sa, &len), 0);
	url = xasprintf("http://127.0.0.1:%d/hook/" SECRET_PATH,
			ntohs(sa.sin_port));
	setenv(HOOK_ENV, url, 1);
	free(url);
	fx_open(&f, SESSION_LIVE);
	to_communicate(&f);
	ok(&f, "send c.slack");
	while (count_events(&f, "message.failed") < 2 && now_s() - t0 < 8 * tu_slack())
		loop_run_once(f.loop, 20000);
	ck_assert_int_ge(count_events(&f, "message.failed"), 2);
	ck_assert_int_eq(count_events(&f, "message.delivered"), 0);
	ck_assert_uint_eq(session_outbox_pending(f.s), 1);
	ck_assert_int_eq(listen(h.fd, 8), 0);
	h.loop = f.loop;
	loop_add_fd(f.loop, h.fd, LOOP_READ, hand_accept, &h);
	run_until_delivered(&f, 10);
	ck_assert_int_eq(h.n_served, 1);
	ck_assert_int_eq(count_events(&f, "message.delivered"), 1);
	loop_del_fd(f.loop, h.fd);
	close(h.fd);
	fx_done(&f);
}
END_TEST

static void
die_before_record(const char *id, void *arg)
{
	(void)id;
	(void)arg;
	_exit(0);	/* the answer arrived; the journal never hears of it */
}

START_TEST(test_message_crash_between_send_and_record_resends_same_id)
{
	struct fx f;
	cJSON *reqs;
	pid_t pid;
	int status;

	fx_init(&f);
	srv_start(&f, ok_routes);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		fx_open(&f, SESSION_LIVE);
		session_outbox_set_answer_hook(f.s, die_before_record, NULL);
		to_communicate(&f);
		ok(&f, "send c.slack");
		for (int i = 0; i < 500; i++)
			loop_run_once(f.loop, 20000);
		_exit(3);	/* the hook never ran */
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "child status %d", status);
	ck_assert_int_eq(count_events(&f, "message.queued"), 1);
	ck_assert_int_eq(count_events(&f, "message.delivered"), 0);
	fx_open(&f, SESSION_LIVE);	/* resume: the queue comes back */
	run_until_delivered(&f, 10);
	reqs = srv_requests(&f);
	ck_assert_int_eq(cJSON_GetArraySize(reqs), 2);
	ck_assert_str_eq(req_header(cJSON_GetArrayItem(reqs, 0),
				    "rewind-message-id"),
			 req_header(cJSON_GetArrayItem(reqs, 1),
				    "rewind-message-id"));
	ck_assert_int_eq(count_events(&f, "message.delivered"), 1);
	fx_close(&f);
	/* Delivered is final: another resume sends nothing. */
	fx_open(&f, SESSION_LIVE);
	run_for(&f, 0.5);
	cJSON_Delete(reqs);
	reqs = srv_requests(&f);
	ck_assert_int_eq(cJSON_GetArraySize(reqs), 2);
	cJSON_Delete(reqs);
	fx_done(&f);
}
END_TEST

START_TEST(test_message_webhook_secret_url_never_recorded)
{
	struct fx f;
	cJSON *queued;

	fx_init(&f);
	srv_start(&f, "{\"/hook/" SECRET_PATH "\": {\"sequence\": ["
		  "{\"status\": 503}, {\"status\": 200}]}}");
	fx_open(&f, SESSION_LIVE);
	to_communicate(&f);
	ok(&f, "send c.slack");
	ok(&f, "send c.file");
	run_until_delivered(&f, 10);
	queued = journal_events(&f, "message.queued");
	ck_assert_ptr_nonnull(strstr(payload_str(cJSON_GetArrayItem(queued, 0),
						 "target"), "127.0.0.1"));
	ck_assert_msg(!tree_contains(f.dir, SECRET_PATH),
		      "the webhook's secret path is in the session directory");
	ck_assert_msg(!tree_contains("incidents", SECRET_PATH),
		      "the secret path leaked into a written file");
	cJSON_Delete(queued);
	fx_done(&f);
}
END_TEST

START_TEST(test_message_webhook_without_url_is_refused)
{
	struct fx f;

	fx_init(&f);
	unsetenv(HOOK_ENV);
	fx_open(&f, SESSION_LIVE);
	to_communicate(&f);
	ck_assert_int_eq(act(&f, "send c.slack"), -1);
	ck_assert_ptr_nonnull(strstr(f.err.msg, HOOK_ENV));
	ck_assert_int_eq(count_events(&f, "message.queued"), 0);
	ck_assert_int_eq(session_step_state(f.s, "c.slack"), STEP_OPEN);
	fx_done(&f);
}
END_TEST

START_TEST(test_message_drill_simulates_webhook)
{
	struct fx f;
	cJSON *ev;

	fx_init(&f);
	setenv(HOOK_ENV, "http://127.0.0.1:9/hook/" SECRET_PATH, 1);
	fx_open(&f, SESSION_DRILL);
	to_communicate(&f);
	ok(&f, "send c.slack");
	ck_assert_uint_eq(session_outbox_pending(f.s), 0);
	ev = journal_events(&f, "message.delivered");
	ck_assert_int_eq(cJSON_GetArraySize(ev), 1);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(
		cJSON_GetArrayItem(ev, 0), "payload"), "drill")));
	cJSON_Delete(ev);
	fx_done(&f);
}
END_TEST

/* --- command channel ------------------------------------------------------------ */

START_TEST(test_message_command_gets_text_on_stdin)
{
	struct fx f;
	char *path, *text, *want;
	cJSON *ev, *queued;

	fx_init(&f);
	fx_open(&f, SESSION_LIVE);
	to_communicate(&f);
	ok(&f, "send c.mail");
	run_until_delivered(&f, 10);
	queued = journal_events(&f, "message.queued");
	path = xasprintf("%s/mail.out", f.dir);
	text = tu_read_file(path, NULL);
	/* the same environment as a run step's, and the message's own */
	want = xasprintf("Subject: rollback to 1.2.2\n\nDone by olga.id=%s "
			 "mode=live step=c.mail\n",
			 payload_str(cJSON_GetArrayItem(queued, 0), "id"));
	ck_assert_str_eq(text, want);
	ev = journal_events(&f, "message.delivered");
	ck_assert(payload_num(cJSON_GetArrayItem(ev, 0), "exit") == 0);
	cJSON_Delete(ev);
	cJSON_Delete(queued);
	free(want);
	free(text);
	free(path);
	fx_done(&f);
}
END_TEST

START_TEST(test_message_command_failure_fails_the_step)
{
	struct fx f;
	cJSON *ev;
	struct outbox_view v;
	double t0 = now_s();

	fx_init(&f);
	fx_open(&f, SESSION_LIVE);
	to_communicate(&f);
	ok(&f, "send c.badmail");
	while (count_events(&f, "message.failed") == 0 && now_s() - t0 < 8 * tu_slack())
		loop_run_once(f.loop, 20000);
	ev = journal_events(&f, "message.failed");
	ck_assert_int_eq(cJSON_GetArraySize(ev), 1);
	ck_assert(payload_num(cJSON_GetArrayItem(ev, 0), "exit") == 3);
	ck_assert_str_eq(payload_str(cJSON_GetArrayItem(ev, 0), "reason"),
			 "exit status 3: no mail relay");
	ck_assert_int_eq(session_step_state(f.s, "c.badmail"), STEP_FAILED);
	ck_assert_uint_eq(session_outbox_pending(f.s), 1);
	ck_assert_int_eq(session_outbox_view(f.s, 0, &v), 0);
	ck_assert(v.given_up);
	run_for(&f, 0.3);	/* a failed command is not retried by itself */
	ck_assert_int_eq(count_events(&f, "message.failed"), 1);
	cJSON_Delete(ev);
	fx_done(&f);
}
END_TEST

/* --- clipboard ------------------------------------------------------------------- */

static int
grab_clipboard(const char *text, size_t len, void *arg, struct err *err)
{
	struct fx *f = arg;

	(void)err;
	free(f->clipped);
	f->clipped = xstrndup(text, len);
	return 0;
}

START_TEST(test_message_clipboard_needs_a_handler)
{
	struct fx f;

	fx_init(&f);
	fx_open(&f, SESSION_LIVE);
	to_communicate(&f);
	ck_assert_int_eq(act(&f, "send c.clip"), -1);
	ck_assert_ptr_nonnull(strstr(f.err.msg, "needs the console"));
	ck_assert_int_eq(count_events(&f, "action.refused"), 1);
	session_set_clipboard_handler(f.s, grab_clipboard, &f);
	ok(&f, "send c.clip");
	ck_assert_str_eq(f.clipped, "Restored 1.2.2");
	ck_assert_int_eq(count_events(&f, "message.delivered"), 1);
	fx_done(&f);
}
END_TEST

/* --- edited text ----------------------------------------------------------------- */

START_TEST(test_message_edited_text_is_sent_and_marked)
{
	struct fx f;
	struct action a = { .kind = ACT_SEND };
	cJSON *ev;
	char *path, *text;

	fx_init(&f);
	fx_open(&f, SESSION_LIVE);
	to_communicate(&f);
	a.step = xstrdup("c.file");
	a.text = xstrdup("Edited by hand\n");
	ck_assert_int_eq(session_apply(f.s, &a, NULL, &f.err), 0);
	action_done(&a);
	ev = journal_events(&f, "message.queued");
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(
		cJSON_GetArrayItem(ev, 0), "payload"), "edited")));
	ck_assert_str_eq(payload_str(cJSON_GetArrayItem(ev, 0), "text"),
			 "Edited by hand\n");
	path = xasprintf("%s/messages/report.md", f.dir);
	text = tu_read_file(path, NULL);
	ck_assert_str_eq(text, "Edited by hand\n");
	free(text);
	free(path);
	cJSON_Delete(ev);
	fx_done(&f);
}
END_TEST

/* --- reminders ------------------------------------------------------------------- */

static void
advance(struct fx *f, int64_t minutes)
{
	clock_advance(&f->clk, minutes * 60 * 1000000LL);
	for (int i = 0; i < 5; i++)
		loop_run_once(f->loop, 0);
}

START_TEST(test_message_reminder_due_sent_and_dismissed)
{
	struct fx f;
	const char *step = NULL;

	fx_init(&f);
	f.manual = 1;
	fx_open(&f, SESSION_LIVE);
	advance(&f, 29);
	ck_assert_int_eq(session_reminder_due(f.s, NULL, NULL), 0);
	advance(&f, 1);
	ck_assert_int_eq(session_reminder_due(f.s, &step, NULL), 1);
	ck_assert_str_eq(step, "c.update");
	ck_assert_int_eq(count_events(&f, "reminder.due"), 1);
	/* Sendable from the first phase: updates go out during the incident. */
	ck_assert_int_eq(session_phase(f.s), PHASE_ASSESS);
	ok(&f, "send c.update");
	ck_assert_int_eq(count_events(&f, "reminder.sent"), 1);
	ck_assert_int_eq(session_reminder_due(f.s, NULL, NULL), 0);
	advance(&f, 30);
	ck_assert_int_eq(session_reminder_due(f.s, NULL, NULL), 1);
	ck_assert_int_eq(session_reminder_dismiss(f.s, NULL, &f.err), 0);
	ck_assert_int_eq(count_events(&f, "reminder.dismissed"), 1);
	ck_assert_int_eq(session_reminder_dismiss(f.s, NULL, &f.err), -1);
	advance(&f, 29);
	ck_assert_int_eq(session_reminder_due(f.s, NULL, NULL), 0);
	advance(&f, 1);
	ck_assert_int_eq(session_reminder_due(f.s, NULL, NULL), 1);
	ck_assert_int_eq(count_events(&f, "reminder.due"), 3);
	/* Other message steps still wait for their phase. */
	ck_assert_int_eq(act(&f, "send c.file"), -1);
	fx_done(&f);
}
END_TEST

START_TEST(test_message_reminder_survives_resume)
{
	struct fx f;

	fx_init(&f);
	f.manual = 1;
	fx_open(&f, SESSION_LIVE);
	advance(&f, 30);
	ck_assert_int_eq(session_reminder_due(f.s, NULL, NULL), 1);
	fx_close(&f);
	fx_open(&f, SESSION_LIVE);
	ck_assert_int_eq(session_reminder_due(f.s, NULL, NULL), 1);
	advance(&f, 60);	/* still the same reminder, not a second one */
	ck_assert_int_eq(count_events(&f, "reminder.due"), 1);
	fx_done(&f);
}
END_TEST

/* --- templates -------------------------------------------------------------------- */

START_TEST(test_message_facts_render_decision_and_approvers)
{
	struct fx f;
	char *text;

	fx_init(&f);
	fx_open(&f, SESSION_LIVE);
	text = session_render(f.s, "${COMPLETED_AT}", &f.err);
	ck_assert_ptr_null(text);
	ck_assert_ptr_nonnull(strstr(f.err.msg, "not known yet"));
	text = session_render(f.s, "${NOPE}", &f.err);
	ck_assert_ptr_null(text);
	ck_assert_ptr_nonnull(strstr(f.err.msg, "unknown variable ${NOPE}"));
	text = session_render(f.s, "${STARTED_AT} ${MODE}", &f.err);
	ck_assert_ptr_nonnull(text);
	ck_assert_int_eq(strlen(text), strlen("2026-11-21T19:30:00Z live"));
	free(text);
	to_communicate(&f);
	text = session_render(f.s, "${COMPLETED_AT}", &f.err);
	ck_assert_msg(text != NULL, "%s", f.err.msg);
	ck_assert_int_eq(strlen(text), 20);
	free(text);
	fx_done(&f);
}
END_TEST

/* `rewind check` rejects a template naming no variable or fact. */
START_TEST(test_message_check_rejects_unknown_template_variable)
{
	const char *bin = getenv("REWIND_BIN");
	char *pb = tu_fixture("message/unknown-variable.json");
	char *cmd;
	FILE *p;
	char out[4096] = "";
	size_t n;
	int status;

	ck_assert_msg(bin != NULL, "REWIND_BIN is not set");
	cmd = xasprintf("'%s' check '%s' 2>&1", bin, pb);
	p = popen(cmd, "r");
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	status = pclose(p);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) != 0,
		      "accepted: %s", out);
	ck_assert_msg(strstr(out, "${NOPE}") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "${DECISION_REASON}") == NULL,
		      "a fact was reported: %s", out);
	free(cmd);
	free(pb);
}
END_TEST

/* --- OSC 52 ------------------------------------------------------------------------ */

static const struct {
	const char *text;
	const char *b64;
} b64_cases[] = {
	{ "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" }, { "foo", "Zm9v" },
	{ "foob", "Zm9vYg==" }, { "fooba", "Zm9vYmE=" },
	{ "foobar", "Zm9vYmFy" }, { "\xff\xfe\x01", "//4B" },
};

START_TEST(test_message_osc52_base64_table)
{
	char *got = osc52_base64(b64_cases[_i].text, strlen(b64_cases[_i].text));

	ck_assert_str_eq(got, b64_cases[_i].b64);
	free(got);
}
END_TEST

START_TEST(test_message_osc52_text_cannot_end_the_sequence)
{
	const char text[] = "a\033]0;title\a\033[31mred\n";
	char *seq = osc52_encode(text, strlen(text));
	size_t n_esc = 0, n_bel = 0;

	ck_assert_ptr_nonnull(seq);
	ck_assert(strncmp(seq, "\033]52;c;", 7) == 0);
	for (const char *p = seq; *p; p++) {
		n_esc += *p == '\033';
		n_bel += *p == '\a';
	}
	ck_assert_uint_eq(n_esc, 1);
	ck_assert_uint_eq(n_bel, 1);
	ck_assert_int_eq(seq[strlen(seq) - 1], '\a');
	free(seq);
	seq = xmalloc(OSC52_MAX_TEXT + 2);
	memset(seq, 'x', OSC52_MAX_TEXT + 1);
	ck_assert_ptr_null(osc52_encode(seq, OSC52_MAX_TEXT + 1));
	free(seq);
}
END_TEST

static Suite *
message_suite(void)
{
	Suite *s = suite_create("message");
	TCase *tc;

	tc = tcase_create("file");
	tcase_add_test(tc, test_message_file_channel_writes_session_and_folder_copies);
	tcase_add_test(tc, test_message_file_channel_never_overwrites);
	tcase_add_test(tc, test_message_edited_text_is_sent_and_marked);
	suite_add_tcase(s, tc);
	tc = tcase_create("webhook");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_message_webhook_slack_body_and_id_header);
	tcase_add_test(tc, test_message_webhook_generic_body_carries_facts);
	tcase_add_test(tc, test_message_webhook_500_then_200_delivered_exactly_once);
	tcase_add_test(tc, test_message_webhook_429_retry_after_is_honoured);
	tcase_add_test(tc, test_message_webhook_timeout_is_retried_and_does_not_block);
	tcase_add_test(tc, test_message_webhook_refused_is_queued_then_flushed);
	tcase_add_test(tc, test_message_crash_between_send_and_record_resends_same_id);
	tcase_add_test(tc, test_message_webhook_secret_url_never_recorded);
	tcase_add_test(tc, test_message_webhook_without_url_is_refused);
	tcase_add_test(tc, test_message_drill_simulates_webhook);
	suite_add_tcase(s, tc);
	tc = tcase_create("command");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_message_command_gets_text_on_stdin);
	tcase_add_test(tc, test_message_command_failure_fails_the_step);
	suite_add_tcase(s, tc);
	tc = tcase_create("clipboard");
	tcase_add_test(tc, test_message_clipboard_needs_a_handler);
	suite_add_tcase(s, tc);
	tc = tcase_create("reminder");
	tcase_add_test(tc, test_message_reminder_due_sent_and_dismissed);
	tcase_add_test(tc, test_message_reminder_survives_resume);
	suite_add_tcase(s, tc);
	tc = tcase_create("osc52");
	tcase_add_loop_test(tc, test_message_osc52_base64_table, 0,
			    (int)(sizeof(b64_cases) / sizeof(b64_cases[0])));
	tcase_add_test(tc, test_message_osc52_text_cannot_end_the_sequence);
	suite_add_tcase(s, tc);
	tc = tcase_create("template");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_message_facts_render_decision_and_approvers);
	tcase_add_test(tc, test_message_check_rejects_unknown_template_variable);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(message_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
