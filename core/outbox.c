/* The delivery queue: one entry per message.queued without a
 * message.delivered (or a final message.failed), rebuilt from the journal
 * on resume. Files and the clipboard are delivered at once; webhooks go
 * through http on the loop and commands through the runner, transient
 * failures retried with back-off (a Retry-After wins). Every attempt's
 * outcome is journalled before the next one starts, so a message recorded
 * delivered is never sent again, and one whose answer was lost in a crash
 * is resent with the same id. */
#include "config.h"
#include "outbox.h"

#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "clock.h"
#include "cmdenv.h"
#include "err.h"
#include "http.h"
#include "journal.h"
#include "loop.h"
#include "runner.h"
#include "session_int.h"
#include "strbuf.h"
#include "xalloc.h"

#define BACKOFF_FIRST_US (2 * 1000000LL)
#define BACKOFF_MAX_US (5 * 60 * 1000000LL)
#define RETRY_AFTER_MAX_US (60 * 60 * 1000000LL)
#define WEBHOOK_TIMEOUT_US (10 * 1000000LL)
#define COMMAND_TIMEOUT_US (60 * 1000000LL)
#define MAX_NAMED_COPIES 1000

struct item {
	struct outbox *ob;
	char *id;
	char *step;
	enum msg_channel channel;
	char *target;		/* redacted, as journalled */
	char *text;
	char *body;		/* webhook body, as journalled */
	char *error;		/* last failure */
	int attempts;
	int in_flight;
	int given_up;
	int64_t retry_wall_us;
	uint64_t timer;
	uint64_t http_id;
	struct proc *proc;
};

struct outbox {
	struct session *s;
	struct item **items;
	size_t n_items;
	struct http *http;
	int64_t backoff_first_us;
	int64_t backoff_max_us;
	outbox_answer_cb hook;
	void *hook_arg;
};

/* --- the queue ------------------------------------------------------------------ */

struct outbox *
outbox_new(struct session *s)
{
	struct outbox *ob = xcalloc(1, sizeof(*ob));

	ob->s = s;
	ob->backoff_first_us = BACKOFF_FIRST_US;
	ob->backoff_max_us = BACKOFF_MAX_US;
	return ob;
}

static void
item_free(struct item *it)
{
	free(it->id);
	free(it->step);
	free(it->target);
	free(it->text);
	free(it->body);
	free(it->error);
	free(it);
}

/* Stop what is under way for IT; no callback of it runs afterwards. */
static void
item_stop(struct outbox *ob, struct item *it)
{
	struct loop *l = ob->s->loop;

	if (it->timer && l)
		loop_cancel_timer(l, it->timer);
	it->timer = 0;
	if (it->http_id && ob->http)
		http_cancel(ob->http, it->http_id);
	it->http_id = 0;
	/* A command in flight is never stopped here: only its own exit
	 * callback records its delivery. */
}

void
outbox_free(struct outbox *ob)
{
	if (!ob)
		return;
	for (size_t i = 0; i < ob->n_items; i++) {
		struct item *it = ob->items[i];

		if (it->timer && ob->s->loop)
			loop_cancel_timer(ob->s->loop, it->timer);
		item_free(it);
	}
	http_free(ob->http);
	free(ob->items);
	free(ob);
}

static struct item *
find_item(const struct outbox *ob, const char *id)
{
	for (size_t i = 0; id && i < ob->n_items; i++)
		if (strcmp(ob->items[i]->id, id) == 0)
			return ob->items[i];
	return NULL;
}

static void
remove_item(struct outbox *ob, struct item *it)
{
	for (size_t i = 0; i < ob->n_items; i++) {
		if (ob->items[i] != it)
			continue;
		memmove(&ob->items[i], &ob->items[i + 1],
			(ob->n_items - i - 1) * sizeof(*ob->items));
		ob->n_items--;
		break;
	}
	item_free(it);
}

static const char *
pstr(const struct journal_event *ev, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		ev->payload, key));
}

/* A step sent again replaces its messages that failed for good. */
static void
drop_superseded(struct outbox *ob, const char *step)
{
	for (size_t i = ob->n_items; i-- > 0;)
		if (ob->items[i]->given_up &&
		    strcmp(ob->items[i]->step, step) == 0)
			remove_item(ob, ob->items[i]);
}

static void
add_item(struct outbox *ob, const struct journal_event *ev)
{
	struct item *it;
	const char *id = pstr(ev, "id");
	enum msg_channel channel;

	/* a channel this version does not know is left alone, not sent
	 * through another */
	if (!id || !ev->step || find_item(ob, id) ||
	    msg_channel_parse(pstr(ev, "channel"), &channel) < 0)
		return;
	drop_superseded(ob, ev->step);
	it = xcalloc(1, sizeof(*it));
	it->ob = ob;
	it->id = xstrdup(id);
	it->step = xstrdup(ev->step);
	it->channel = channel;
	it->target = xstrdup_or_null(pstr(ev, "target"));
	it->text = xstrdup(pstr(ev, "text") ? pstr(ev, "text") : "");
	it->body = xstrdup_or_null(pstr(ev, "body"));
	ob->items = xrealloc(ob->items, (ob->n_items + 1) * sizeof(*ob->items));
	ob->items[ob->n_items++] = it;
}

static void
note_failure(struct outbox *ob, struct item *it,
	     const struct journal_event *ev)
{
	const char *retry_at = pstr(ev, "retry_at");
	cJSON *final = cJSON_GetObjectItemCaseSensitive(ev->payload, "final");

	(void)ob;
	free(it->error);
	it->error = xstrdup_or_null(pstr(ev, "reason"));
	it->attempts++;
	it->given_up = cJSON_IsTrue(final);
	it->retry_wall_us = 0;
	if (retry_at)
		clock_parse_rfc3339(retry_at, &it->retry_wall_us);
}

void
outbox_apply(struct outbox *ob, const struct journal_event *ev)
{
	struct item *it;

	if (strcmp(ev->type, "message.queued") == 0) {
		add_item(ob, ev);
		return;
	}
	if (!(it = find_item(ob, pstr(ev, "id"))))
		return;
	if (strcmp(ev->type, "message.delivered") == 0) {
		item_stop(ob, it);
		remove_item(ob, it);
	} else if (strcmp(ev->type, "message.failed") == 0) {
		note_failure(ob, it, ev);
	}
}

/* --- recording outcomes ------------------------------------------------------- */

static cJSON *
outcome_payload(const struct item *it)
{
	cJSON *p = cJSON_CreateObject();

	cJSON_AddStringToObject(p, "id", it->id);
	cJSON_AddStringToObject(p, "channel",
				msg_channel_names[it->channel]);
	cJSON_AddNumberToObject(p, "attempt", it->attempts + 1);
	return p;
}

/* Journal delivery of IT (which is freed by it); P is taken. */
static int
record_delivered(struct outbox *ob, struct item *it, cJSON *p,
		 struct err *err)
{
	char *step = xstrdup(it->step);
	int rc = session_record(ob->s, "rewind", "message.delivered", step, p,
				err);

	free(step);
	return rc;
}

/* Journal a failed attempt of IT; DELAY_US < 0 = final. P is taken. */
static int
record_failed(struct outbox *ob, struct item *it, cJSON *p,
	      const char *reason, int64_t delay_us, struct err *err)
{
	char when[40];

	cJSON_AddStringToObject(p, "reason", reason);
	cJSON_AddBoolToObject(p, "final", delay_us < 0);
	if (delay_us >= 0) {
		clock_format_rfc3339(clock_wall_now(ob->s->clk) + delay_us,
				     when, sizeof(when));
		cJSON_AddStringToObject(p, "retry_at", when);
		cJSON_AddNumberToObject(p, "retry_in_ms",
					(double)(delay_us / 1000));
	}
	return session_record(ob->s, "rewind", "message.failed", it->step, p,
			      err);
}

static int64_t
backoff(const struct outbox *ob, int attempts)
{
	int64_t d = ob->backoff_first_us;

	for (int i = 1; i < attempts && d < ob->backoff_max_us; i++)
		d *= 2;
	return d < ob->backoff_max_us ? d : ob->backoff_max_us;
}

static void attempt(struct item *it);

static void
on_retry_timer(void *arg)
{
	struct item *it = arg;

	it->timer = 0;
	attempt(it);
}

static void
schedule_retry(struct outbox *ob, struct item *it)
{
	int64_t delay = it->retry_wall_us - clock_wall_now(ob->s->clk);

	if (it->timer || it->given_up || !ob->s->loop)
		return;
	it->timer = loop_add_timer(ob->s->loop, delay > 0 ? delay : 0,
				   on_retry_timer, it);
}

/* --- files ---------------------------------------------------------------------- */

static int
make_dir_path(const char *path, mode_t mode, struct err *err)
{
	char *copy = xstrdup(path);
	int rc = 0;

	for (char *p = copy + 1; rc == 0 && *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, mode) < 0 && errno != EEXIST)
			rc = err_set(err, ERR_IO, "cannot create %s: %s", copy,
				     strerror(errno));
		*p = '/';
	}
	if (rc == 0 && mkdir(copy, mode) < 0 && errno != EEXIST)
		rc = err_set(err, ERR_IO, "cannot create %s: %s", copy,
			     strerror(errno));
	free(copy);
	return rc;
}

static int
write_all_sync(int fd, const char *text, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, text, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		text += n;
		len -= (size_t)n;
	}
	return fdatasync(fd);
}

/* The name of copy N of NAME: NAME itself for the first, else the
 * number before the extension, which stays last ("notice.md" becomes
 * "notice-2.md"; "notes" and ".env", with none, "notes-2" and ".env-2").
 * Caller frees. */
static char *
copy_name(const char *name, int n)
{
	const char *dot = strrchr(name, '.');

	if (n == 1)
		return xstrdup(name);
	if (!dot || dot == name)
		return xasprintf("%s-%d", name, n);
	return xasprintf("%.*s-%d%s", (int)(dot - name), name, n, dot);
}

/* Write TEXT to DIR/NAME without ever replacing a file: NAME, then
 * copy 2, 3... (copy_name). Returns the name used (caller frees) or NULL
 * with ERR. */
static char *
write_new_file(const char *dir, const char *name, const char *text,
	       mode_t mode, struct err *err)
{
	for (int n = 1; n <= MAX_NAMED_COPIES; n++) {
		char *used = copy_name(name, n);
		char *path = xasprintf("%s/%s", dir, used);
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
			      mode);

		if (fd >= 0 && write_all_sync(fd, text, strlen(text)) == 0 &&
		    close(fd) == 0) {
			free(path);
			return used;
		}
		if (fd >= 0 || errno != EEXIST) {
			err_set(err, ERR_IO, "cannot write %s: %s", path,
				strerror(errno));
			if (fd >= 0)
				close(fd);
			free(path);
			free(used);
			return NULL;
		}
		free(path);
		free(used);
	}
	err_set(err, ERR_IO, "%s: %d files named like %s already", dir,
		MAX_NAMED_COPIES, name);
	return NULL;
}

static char *
file_name(const struct pb_step *d)
{
	return d->path && *d->path && !strchr(d->path, '/')
		       ? xstrdup(d->path) : xasprintf("%s.txt", d->id);
}

/* The repository folder copy: live sessions only. */
static int
write_folder_copy(struct outbox *ob, const struct pb_step *d,
		  const char *text, cJSON *p, struct err *err)
{
	struct session *s = ob->s;
	const char *repo = s->pb->targets.git_path ? s->pb->targets.git_path
						   : ".";
	char *dir, *name, *used;

	if (!d->folder)
		return 0;
	if (s->mode == SESSION_DRILL) {
		cJSON_AddStringToObject(p, "folder_skipped", "drill");
		return 0;
	}
	dir = xasprintf("%s/%s", repo, d->folder);
	name = file_name(d);
	used = make_dir_path(dir, 0755, err) < 0 ? NULL
		: write_new_file(dir, name, text, 0644, err);
	if (used) {
		char *rel = xasprintf("%s%s%s", d->folder,
				      d->folder[strlen(d->folder) - 1] == '/'
				      ? "" : "/", used);

		char *full = xasprintf("%s/%s", dir, used);
		char *real = realpath(full, NULL);

		cJSON_AddStringToObject(p, "folder_path", rel);
		/* where it really is, for the status line and the report */
		cJSON_AddStringToObject(p, "written_to", real ? real : full);
		free(real);
		free(full);
		free(rel);
	}
	free(dir);
	free(name);
	free(used);
	return used ? 0 : -1;
}

static int
deliver_file(struct outbox *ob, struct item *it, struct err *err)
{
	const struct pb_step *d = session_find_step(ob->s, it->step)->def;
	char *dir = xasprintf("%s/messages", ob->s->dir);
	char *name = file_name(d);
	char *used = make_dir_path(dir, 0700, err) < 0 ? NULL
		: write_new_file(dir, name, it->text, 0600, err);
	cJSON *p = outcome_payload(it);
	int rc = -1;

	if (used) {
		char *rel = xasprintf("messages/%s", used);

		cJSON_AddStringToObject(p, "path", rel);
		free(rel);
		if (write_folder_copy(ob, d, it->text, p, err) == 0)
			rc = 0;
	}
	free(dir);
	free(name);
	free(used);
	if (rc == 0)
		return record_delivered(ob, it, p, err);
	record_failed(ob, it, p, err ? err->msg : "cannot write", -1, NULL);
	return -1;
}

static int
deliver_clipboard(struct outbox *ob, struct item *it, struct err *err)
{
	struct session *s = ob->s;
	cJSON *p = outcome_payload(it);

	if (!s->clip_cb) {
		err_set(err, ERR_STATE, "send %s: no terminal to copy to (the "
			"copy was interrupted); send it again from the console",
			it->step);
	} else if (s->clip_cb(it->text, strlen(it->text), s->clip_arg,
			      err) == 0) {
		cJSON_AddNumberToObject(p, "bytes", (double)strlen(it->text));
		return record_delivered(ob, it, p, err);
	}
	record_failed(ob, it, p, err ? err->msg : "clipboard", -1, NULL);
	return -1;
}

/* --- drill: nothing leaves the machine -------------------------------------- */

static void
deliver_simulated(struct outbox *ob, struct item *it)
{
	const struct pb_step *d = session_find_step(ob->s, it->step)->def;
	cJSON *p = outcome_payload(it);
	struct err err;

	cJSON_AddBoolToObject(p, "drill", 1);
	if (d->drill.present && d->drill.exit_code != 0) {
		char reason[64];

		snprintf(reason, sizeof(reason), "drill: simulated failure "
			 "(exit %d)", d->drill.exit_code);
		cJSON_AddNumberToObject(p, "exit", d->drill.exit_code);
		record_failed(ob, it, p, reason, -1, &err);
		return;
	}
	record_delivered(ob, it, p, &err);
}

/* --- webhooks ------------------------------------------------------------------- */

static int
is_transient(const struct http_response *r)
{
	if (r->result == HTTP_OK)
		return r->status >= 500 || r->status == 429 ||
		       r->status == 408;
	return r->result == HTTP_ERR_CONNECT || r->result == HTTP_ERR_TIMEOUT ||
	       r->result == HTTP_ERR_TRUNCATED || r->result == HTTP_ERR_OTHER;
}

/* How long to wait before the next attempt, or -1 for none. */
static int64_t
retry_delay(const struct outbox *ob, const struct item *it,
	    const struct http_response *r)
{
	if (!is_transient(r))
		return -1;
	if (r->retry_after_us >= 0)
		return r->retry_after_us < RETRY_AFTER_MAX_US
			       ? r->retry_after_us : RETRY_AFTER_MAX_US;
	return backoff(ob, it->attempts + 1);
}

static void
on_webhook_done(const struct http_response *r, void *arg)
{
	struct item *it = arg;
	struct outbox *ob = it->ob;
	cJSON *p;
	char reason[300];
	int64_t delay;
	struct err err;

	it->http_id = 0;
	it->in_flight = 0;
	if (r->result == HTTP_ERR_CANCELLED)
		return;
	if (ob->hook)
		ob->hook(it->id, ob->hook_arg);
	p = outcome_payload(it);
	if (r->status)
		cJSON_AddNumberToObject(p, "status", r->status);
	cJSON_AddNumberToObject(p, "elapsed_ms", (double)(r->elapsed_us / 1000));
	if (r->result == HTTP_OK && r->status >= 200 && r->status < 300) {
		record_delivered(ob, it, p, &err);	/* frees IT */
		return;
	}
	if (r->result == HTTP_OK)
		snprintf(reason, sizeof(reason), "HTTP %d", r->status);
	else
		snprintf(reason, sizeof(reason), "%s: %s",
			 http_result_name(r->result), r->error);
	delay = retry_delay(ob, it, r);
	record_failed(ob, it, p, reason, delay, &err);
	if (!it->given_up && delay >= 0) {
		if (!it->retry_wall_us)
			it->retry_wall_us = clock_wall_now(ob->s->clk) + delay;
		schedule_retry(ob, it);
	}
}

static char *
webhook_url(const struct pb_step *d)
{
	const char *url = d->url_env ? getenv(d->url_env) : d->url;

	return url && *url ? xstrdup(url) : NULL;
}

static void
fail_now(struct outbox *ob, struct item *it, const char *reason, int final)
{
	struct err err;
	int64_t delay = final ? -1 : backoff(ob, it->attempts + 1);

	record_failed(ob, it, outcome_payload(it), reason, delay, &err);
	if (!final)
		schedule_retry(ob, it);
}

static void
start_webhook(struct outbox *ob, struct item *it)
{
	const struct pb_step *d = session_find_step(ob->s, it->step)->def;
	char *url = webhook_url(d);
	char *id_header = xasprintf("Rewind-Message-Id: %s", it->id);
	const char *headers[] = { "Content-Type: application/json",
				  id_header, NULL };
	struct http_request req = {
		.url = url, .method = "POST", .headers = headers,
		.body = it->body ? it->body : "{}",
		.timeout_us = d->send_timeout_us ? d->send_timeout_us
						 : WEBHOOK_TIMEOUT_US,
		.max_redirects = -1,
	};
	struct err err = { 0 };

	req.body_len = strlen(req.body);
	if (!ob->http)
		ob->http = http_new(ob->s->loop, &err);
	if (!url)
		fail_now(ob, it, "the webhook URL variable is not set", 0);
	else if (ob->http && (it->http_id = http_start(ob->http, &req,
						       on_webhook_done, it,
						       &err)) != 0)
		it->in_flight = 1;
	else
		fail_now(ob, it, err.msg, 1);
	free(url);
	free(id_header);
}

/* --- commands ------------------------------------------------------------------- */

static void
on_command_exit(struct proc *pr, const struct proc_result *res, void *arg)
{
	struct item *it = arg;
	struct outbox *ob = it->ob;
	cJSON *p;
	char reason[200];
	struct err err;

	(void)pr;
	it->proc = NULL;
	it->in_flight = 0;
	if (ob->hook)
		ob->hook(it->id, ob->hook_arg);
	p = outcome_payload(it);
	cJSON_AddNumberToObject(p, "exit", res->exit_code);
	cJSON_AddNumberToObject(p, "duration_ms",
				(double)(res->duration_us / 1000));
	if (!res->timed_out && !res->cancelled && !res->term_signal &&
	    res->exit_code == 0) {
		record_delivered(ob, it, p, &err);
		return;
	}
	if (res->timed_out)
		snprintf(reason, sizeof(reason), "timed out");
	else if (res->term_signal)
		snprintf(reason, sizeof(reason), "killed by signal %d",
			 res->term_signal);
	else
		snprintf(reason, sizeof(reason), "exit status %d%s%.120s",
			 res->exit_code, res->tail[0] ? ": " : "",
			 strrchr(res->tail, '\n') ? strrchr(res->tail, '\n') + 1
						  : res->tail);
	record_failed(ob, it, p, reason, -1, &err);
}

static char **
command_env(struct session *s, const struct item *it, const char *file)
{
	struct cmdenv c = { .pb = s->pb, .values = s->values,
			    .session_dir = s->dir, .step = it->step,
			    .drill = s->mode == SESSION_DRILL,
			    .message_id = it->id, .message_file = file };

	return cmdenv_build(&c);
}

/* The text goes to the command's stdin from a file of the session. */
static char *
stdin_file(struct outbox *ob, const struct item *it, struct err *err)
{
	char *dir = xasprintf("%s/outbox", ob->s->dir);
	char *name = xasprintf("%s.txt", it->id);
	char *used = make_dir_path(dir, 0700, err) < 0 ? NULL
		: write_new_file(dir, name, it->text, 0600, err);
	char *path = used ? xasprintf("%s/%s", dir, used) : NULL;

	free(dir);
	free(name);
	free(used);
	return path;
}

static void
start_command(struct outbox *ob, struct item *it)
{
	struct session *s = ob->s;
	const struct pb_step *d = session_find_step(s, it->step)->def;
	struct err err = { 0 };
	char *file = stdin_file(ob, it, &err);
	char **env = file ? command_env(s, it, file) : NULL;
	char *cmd = xasprintf("exec < \"$REWIND_MESSAGE_FILE\"\n%s",
			      d->command);
	char *cast = xasprintf("%s/output/%s-%s.cast", s->dir, it->step,
			       it->id);
	char *out = xasprintf("%s/output", s->dir);
	struct proc_spec spec = {
		.command = cmd, .env = (const char *const *)env,
		.cwd = s->pb->targets.git_path, .cast_path = cast,
		.timeout_us = d->send_timeout_us ? d->send_timeout_us
						 : COMMAND_TIMEOUT_US,
		.stdin_null = 1, .on_exit = on_command_exit, .arg = it,
	};

	if (file && make_dir_path(out, 0700, &err) == 0 && s->runner)
		it->proc = runner_spawn(s->runner, &spec, &err);
	free(out);
	if (it->proc)
		it->in_flight = 1;
	else
		fail_now(ob, it, err.msg[0] ? err.msg
			 : "this session cannot run commands", 1);
	free(file);
	cmdenv_free(env);
	free(cmd);
	free(cast);
}

/* --- attempts --------------------------------------------------------------------- */

/* How each channel delivers, by enum msg_channel: at once (a file, the
 * clipboard) or by attempts the loop retries (a webhook, a command). */
static const struct channel_ops {
	int (*now)(struct outbox *ob, struct item *it, struct err *err);
	void (*start)(struct outbox *ob, struct item *it);
} channel_ops[CHANNEL_COUNT] = {
	[CHANNEL_FILE] = { .now = deliver_file },
	[CHANNEL_WEBHOOK] = { .start = start_webhook },
	[CHANNEL_COMMAND] = { .start = start_command },
	[CHANNEL_CLIPBOARD] = { .now = deliver_clipboard },
};

static void
attempt(struct item *it)
{
	struct outbox *ob = it->ob;
	struct session *s = ob->s;
	if (it->in_flight || it->given_up || !session_find_step(s, it->step))
		return;
	if (s->mode == SESSION_DRILL)
		deliver_simulated(ob, it);
	else if (!s->delivers)
		return;		/* left to the process that owns the session */
	else if (channel_ops[it->channel].start)
		channel_ops[it->channel].start(ob, it);
}

int
outbox_deliver(struct outbox *ob, const char *id, struct err *err)
{
	struct item *it = find_item(ob, id);

	if (!it || !session_find_step(ob->s, it->step))
		return 0;
	if (channel_ops[it->channel].now)
		return channel_ops[it->channel].now(ob, it, err);
	attempt(it);
	return 0;
}

void
outbox_resume(struct outbox *ob)
{
	/* Copy the ids: an attempt may deliver (and remove) at once. */
	size_t n = ob->n_items;
	char **ids = xcalloc(n ? n : 1, sizeof(*ids));
	struct err err;

	for (size_t i = 0; i < n; i++)
		ids[i] = xstrdup(ob->items[i]->id);
	for (size_t i = 0; i < n; i++) {
		struct item *it = find_item(ob, ids[i]);

		if (it && it->given_up)
			;
		else if (it && it->retry_wall_us > clock_wall_now(ob->s->clk))
			schedule_retry(ob, it);
		else if (it)
			outbox_deliver(ob, ids[i], &err);
		free(ids[i]);
	}
	free(ids);
}

/* --- views ------------------------------------------------------------------------ */

size_t
session_outbox_pending(const struct session *s)
{
	return s->outbox ? s->outbox->n_items : 0;
}

int
session_outbox_view(const struct session *s, size_t i,
		    struct outbox_view *out)
{
	const struct item *it;

	if (!s->outbox || i >= s->outbox->n_items)
		return -1;
	it = s->outbox->items[i];
	out->id = it->id;
	out->step = it->step;
	out->channel = msg_channel_names[it->channel];
	out->target = it->target;
	out->error = it->error;
	out->attempts = it->attempts;
	out->in_flight = it->in_flight;
	out->given_up = it->given_up;
	out->retry_wall_us = it->timer ? it->retry_wall_us : 0;
	return 0;
}

char *
session_outbox_describe(const struct session *s)
{
	struct strbuf sb = STRBUF_INIT;
	struct outbox_view v;

	for (size_t i = 0; session_outbox_view(s, i, &v) == 0; i++)
		strbuf_addf(&sb, "%s%s %s %s %s: %s%s", i ? "\n" : "", v.id,
			    v.step, v.channel, v.target ? v.target : "",
			    v.error ? v.error : v.in_flight ? "sending"
							    : "not sent yet",
			    v.given_up ? " (given up)" : "");
	if (sb.len == 0) {
		strbuf_done(&sb);
		return NULL;
	}
	return strbuf_detach(&sb);
}

void
session_outbox_set_backoff(struct session *s, int64_t first_us,
			   int64_t max_us)
{
	if (!s->outbox)
		return;
	s->outbox->backoff_first_us = first_us > 0 ? first_us : 1;
	s->outbox->backoff_max_us = max_us > first_us ? max_us : first_us;
}

void
session_outbox_set_answer_hook(struct session *s, outbox_answer_cb cb,
			       void *arg)
{
	if (!s->outbox)
		return;
	s->outbox->hook = cb;
	s->outbox->hook_arg = arg;
}
