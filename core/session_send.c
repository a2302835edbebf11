/* The send path of message steps: the facts templates may use, checking a
 * channel can be used before anything is journalled, the message id, the
 * message.queued record (the text itself is in the journal, so a resumed
 * session can resend it), and the update reminders of the playbook's
 * `communicate` cadence. Delivery itself is the outbox's. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "action.h"
#include "clock.h"
#include "err.h"
#include "http.h"
#include "journal.h"
#include "loop.h"
#include "outbox.h"
#include "session_int.h"
#include "sha256.h"
#include "strbuf.h"
#include "xalloc.h"

#define TEXT_MAX (256 * 1024)	/* longer messages are refused */

/* --- facts ------------------------------------------------------------------- */

const char *const session_fact_names[] = {
	"OPERATOR", "PLAYBOOK", "SESSION_DIR", "MODE", "STARTED_AT",
	"COMPLETED_AT", "APPROVERS", "DECISION", "DECISION_REASON", NULL
};

int
session_is_fact(const char *name)
{
	for (size_t i = 0; session_fact_names[i]; i++)
		if (strcmp(session_fact_names[i], name) == 0)
			return 1;
	return 0;
}

/* WALL_US as "2026-11-21T19:30:00Z" (caller frees), NULL for 0. */
static char *
format_time(int64_t wall_us)
{
	time_t t = (time_t)(wall_us / 1000000);
	struct tm tm;
	char buf[32];

	if (wall_us <= 0 || !gmtime_r(&t, &tm))
		return NULL;
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return xstrdup(buf);
}

/* "Name (Role), ..." of every approval given, or NULL when none. */
static char *
approvers(const struct session *s)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < s->n_steps; i++) {
		const struct step_rt *rt = &s->steps[i];

		for (size_t j = 0; j < rt->n_approvals; j++)
			strbuf_addf(&sb, "%s%s (%s)", sb.len ? ", " : "",
				    rt->approvals[j].name,
				    rt->approvals[j].role);
	}
	if (sb.len == 0) {
		strbuf_done(&sb);
		return NULL;
	}
	return strbuf_detach(&sb);
}

char *
session_fact(const struct session *s, const char *name)
{
	if (strcmp(name, "OPERATOR") == 0)
		return xstrdup_or_null(s->operator);
	if (strcmp(name, "PLAYBOOK") == 0)
		return xstrdup_or_null(s->pb->title);
	if (strcmp(name, "SESSION_DIR") == 0)
		return xstrdup_or_null(s->dir);
	if (strcmp(name, "MODE") == 0)
		return xstrdup(s->mode == SESSION_DRILL ? "drill" : "live");
	if (strcmp(name, "STARTED_AT") == 0)
		return format_time(s->start_wall_us);
	if (strcmp(name, "COMPLETED_AT") == 0)
		return format_time(s->executed_wall_us);
	if (strcmp(name, "APPROVERS") == 0)
		return approvers(s);
	if (strcmp(name, "DECISION") == 0)
		return xstrdup_or_null(s->decision_label);
	if (strcmp(name, "DECISION_REASON") == 0)
		return xstrdup_or_null(s->decision_reason);
	return NULL;
}

/* The facts and non-secret variables, for the generic webhook body. */
static cJSON *
facts_object(const struct session *s)
{
	cJSON *o = cJSON_CreateObject();

	for (size_t i = 0; session_fact_names[i]; i++) {
		char *v = session_fact(s, session_fact_names[i]);

		if (v && strcmp(session_fact_names[i], "SESSION_DIR") != 0)
			cJSON_AddStringToObject(o, session_fact_names[i], v);
		free(v);
	}
	for (size_t i = 0; i < s->pb->n_variables; i++)
		if (s->values[i] && !s->pb->variables[i].secret)
			cJSON_AddStringToObject(o, s->pb->variables[i].name,
						s->values[i]);
	return o;
}

/* --- checking the channel before anything is journalled ---------------------- */

/* The webhook URL of step D (caller frees), or NULL with ERR. */
static char *
webhook_url(const struct pb_step *d, struct err *err)
{
	const char *url = d->url_env ? getenv(d->url_env) : d->url;

	if (!url || !*url) {
		err_set(err, ERR_STATE, "send %s: the webhook URL comes from "
			"the environment variable %s, which is not set",
			d->id, d->url_env);
		return NULL;
	}
	return xstrdup(url);
}

/* What the journal may show of where each channel sends (caller frees),
 * or NULL with ERR. */
static char *
webhook_target(struct session *s, const struct pb_step *d, struct err *err)
{
	char *url, *shown;

	if (s->mode == SESSION_DRILL && !(d->url_env ? getenv(d->url_env)
						     : d->url))
		return xstrdup("(drill: no URL needed)");
	if (!(url = webhook_url(d, err)))
		return NULL;
	shown = http_url_redacted(url);
	session_add_secret(s, url);	/* never journalled whole */
	free(url);
	return shown;
}

static char *
command_target(struct session *s, const struct pb_step *d, struct err *err)
{
	(void)s;
	(void)err;
	return xstrdup(d->command);
}

static char *
file_target(struct session *s, const struct pb_step *d, struct err *err)
{
	(void)s;
	(void)err;
	return d->folder ? xasprintf("messages/, %s", d->folder)
			 : xstrdup("messages/");
}

static char *
clipboard_target(struct session *s, const struct pb_step *d,
		 struct err *err)
{
	(void)d;
	if (!s->clip_cb) {
		err_set(err, ERR_STATE, "send %s: the clipboard channel needs "
			"the console (a terminal to copy to); this front end "
			"has none", d->id);
		return NULL;
	}
	return xstrdup("clipboard");
}

/* What a webhook's message.queued adds: its style and the body it posts
 * (the outbox posts the journalled body). */
static void
webhook_queued(const struct session *s, const struct step_rt *rt,
	       const char *id, const char *text, cJSON *p)
{
	cJSON *b = cJSON_CreateObject();
	char *body;

	switch (rt->def->style) {
	case WEBHOOK_GENERIC:
		cJSON_AddStringToObject(b, "id", id);
		cJSON_AddStringToObject(b, "step", rt->def->id);
		cJSON_AddStringToObject(b, "text", text);
		cJSON_AddItemToObject(b, "facts", facts_object(s));
		break;
	case WEBHOOK_SLACK:
	case WEBHOOK_STYLE_COUNT:
		cJSON_AddStringToObject(b, "text", text);
		cJSON_AddStringToObject(b, "id", id);
		break;
	}
	body = cJSON_PrintUnformatted(b);
	cJSON_Delete(b);
	cJSON_AddStringToObject(p, "style",
				webhook_style_names[rt->def->style]);
	cJSON_AddStringToObject(p, "body", body);
	free(body);
}

/* Each channel's needs, by enum msg_channel: delivered later by the
 * event loop (webhook, command: a drill simulates them at once), where it
 * sends, and what its message.queued adds (NULL: nothing). */
static const struct channel_rule {
	int on_loop;
	char *(*target)(struct session *s, const struct pb_step *d,
			struct err *err);
	void (*queued)(const struct session *s, const struct step_rt *rt,
		       const char *id, const char *text, cJSON *p);
} channel_rules[CHANNEL_COUNT] = {
	[CHANNEL_FILE] = { 0, file_target, NULL },
	[CHANNEL_WEBHOOK] = { 1, webhook_target, webhook_queued },
	[CHANNEL_COMMAND] = { 1, command_target, NULL },
	[CHANNEL_CLIPBOARD] = { 0, clipboard_target, NULL },
};

/* Whether step RT's channel can be used by this process; sets *TARGET
 * (what the journal may show of the destination; caller frees). */
static int
check_channel(struct session *s, const struct step_rt *rt, char **target,
	      struct err *err)
{
	const struct pb_step *d = rt->def;
	const struct channel_rule *rule = &channel_rules[d->channel];

	if (rule->on_loop && s->mode != SESSION_DRILL &&
	    (!s->loop || !s->delivers))
		return err_set(err, ERR_STATE, "send %s: this session has no "
			       "event loop to deliver on", d->id);
	*target = rule->target(s, d, err);
	return *target ? 0 : -1;
}

/* --- the record ---------------------------------------------------------------- */

/* A message id no other session or send will have. */
static char *
new_message_id(const struct session *s, const struct step_rt *rt)
{
	struct sha256 h;
	char hex[65];
	char *seed = xasprintf("%s\n%s\n%lld\n%s\n%llu\n%lld", s->pb->sha256,
			       s->dir, (long long)s->start_wall_us,
			       rt->def->id,
			       (unsigned long long)session_n_events(s),
			       (long long)clock_wall_now(s->clk));

	sha256_init(&h);
	sha256_update(&h, seed, strlen(seed));
	sha256_final_hex(&h, hex);
	free(seed);
	return xasprintf("rw-%.20s", hex);
}

static cJSON *
queued_payload(const struct session *s, const struct step_rt *rt,
	       const char *id, const char *text, const char *target,
	       int edited)
{
	const struct channel_rule *rule = &channel_rules[rt->def->channel];
	cJSON *p = cJSON_CreateObject();
	char hex[65];

	sha256_hex(text, strlen(text), hex);
	cJSON_AddStringToObject(p, "id", id);
	cJSON_AddStringToObject(p, "channel",
				msg_channel_names[rt->def->channel]);
	cJSON_AddStringToObject(p, "target", target);
	cJSON_AddStringToObject(p, "sha256", hex);
	cJSON_AddNumberToObject(p, "bytes", (double)strlen(text));
	cJSON_AddBoolToObject(p, "edited", edited);
	cJSON_AddStringToObject(p, "text", text);
	if (rule->queued)
		rule->queued(s, rt, id, text, p);
	return p;
}

/* The text to send: the operator's edit, or the rendered template. */
static char *
message_text(struct session *s, const struct step_rt *rt,
	     const struct action *a, struct err *err)
{
	char *text = a->text ? xstrdup(a->text)
			     : session_expand(s, rt->def->template, err);

	if (!text) {
		err_prefix(err, "send %s", rt->def->id);
		return NULL;
	}
	if (strlen(text) > TEXT_MAX) {
		err_set(err, ERR_INVALID, "send %s: the message is longer than "
			"%d bytes", rt->def->id, TEXT_MAX);
		free(text);
		return NULL;
	}
	return text;
}

static int
note_reminder_sent(struct session *s, const struct step_rt *rt,
		   const char *id, const char *actor, struct err *err)
{
	cJSON *p;

	if (!session_is_reminder_step(s, rt) || !s->reminder_due_us)
		return 0;
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "step", rt->def->id);
	cJSON_AddStringToObject(p, "id", id);
	return session_record(s, actor, "reminder.sent", NULL, p, err);
}

int
session_send(struct session *s, struct step_rt *rt, const struct action *a,
	     const char *actor, struct err *err)
{
	char *text, *target = NULL, *id = NULL;
	int rc = -1;

	if (!(text = message_text(s, rt, a, err)))
		return -1;
	if (check_channel(s, rt, &target, err) < 0)
		goto out;
	id = new_message_id(s, rt);
	if (session_record(s, actor, "message.queued", rt->def->id,
			   queued_payload(s, rt, id, text, target,
					  a->text != NULL), err) < 0 ||
	    note_reminder_sent(s, rt, id, actor, err) < 0)
		goto out;
	rc = outbox_deliver(s->outbox, id, err);
out:
	free(text);
	free(target);
	free(id);
	return rc;
}

/* --- reminders ----------------------------------------------------------------- */

int
session_is_reminder_step(const struct session *s, const struct step_rt *rt)
{
	return s->pb->communicate.cadence_us > 0 && s->pb->communicate.step &&
	       strcmp(s->pb->communicate.step, rt->def->id) == 0;
}

static void reminder_arm(struct session *s);

static void
reminder_fire(void *arg)
{
	struct session *s = arg;
	struct step_rt *rt;
	struct err err;
	cJSON *p;

	s->reminder_timer = 0;
	if (s->complete || s->reminder_due_us)
		return;
	rt = session_find_step(s, s->pb->communicate.step);
	if (!rt || !session_step_active(s, rt)) {
		/* The update does not apply (yet): look again a cadence on. */
		s->reminder_base_us = clock_wall_now(s->clk);
		reminder_arm(s);
		return;
	}
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "step", s->pb->communicate.step);
	cJSON_AddNumberToObject(p, "cadence_s",
				(double)(s->pb->communicate.cadence_us /
					 1000000));
	if (session_record(s, "rewind", "reminder.due", NULL, p, &err) < 0)
		reminder_arm(s);	/* try again a cadence later */
}

/* (Re)start the timer of the next reminder, when one can come. */
static void
reminder_arm(struct session *s)
{
	int64_t cadence = s->pb->communicate.cadence_us;
	int64_t delay;

	if (s->reminder_timer)
		loop_cancel_timer(s->loop, s->reminder_timer);
	s->reminder_timer = 0;
	if (!s->loop || !s->delivers || cadence <= 0 || s->complete ||
	    s->reminder_due_us)
		return;
	delay = s->reminder_base_us + cadence - clock_wall_now(s->clk);
	s->reminder_timer = loop_add_timer(s->loop, delay > 0 ? delay : 0,
					   reminder_fire, s);
}

int
session_reminder_due(const struct session *s, const char **step,
		     int64_t *due_wall_us)
{
	if (!s->reminder_due_us || s->complete)
		return 0;
	if (step)
		*step = s->pb->communicate.step;
	if (due_wall_us)
		*due_wall_us = s->reminder_due_us;
	return 1;
}

int
session_reminder_dismiss(struct session *s, const char *actor,
			 struct err *err)
{
	cJSON *p;

	if (!session_reminder_due(s, NULL, NULL))
		return err_set(err, ERR_STATE, "no update reminder is due");
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "step", s->pb->communicate.step);
	return session_record(s, actor ? actor : s->operator,
			      "reminder.dismissed", NULL, p, err);
}

/* --- applying events ------------------------------------------------------------ */

static const char *
pstr(const struct journal_event *ev, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		ev->payload, key));
}

static void
replace(char **field, const char *value)
{
	free(*field);
	*field = xstrdup_or_null(value);
}

static void
on_queued(struct session *s, const struct journal_event *ev)
{
	struct step_rt *rt = session_find_step(s, ev->step);

	if (!rt)
		return;
	rt->state = STEP_DONE;
	if (session_is_reminder_step(s, rt))
		s->reminder_base_us = ev->wall_us;
}

/* A message that failed for good leaves its step failed: send again. */
static void
on_failed(struct session *s, const struct journal_event *ev)
{
	struct step_rt *rt = session_find_step(s, ev->step);
	cJSON *final = cJSON_GetObjectItemCaseSensitive(ev->payload, "final");

	if (!rt || !cJSON_IsTrue(final))
		return;
	rt->state = STEP_FAILED;
	replace(&rt->reason, pstr(ev, "reason"));
}

static void
on_reminder(struct session *s, const struct journal_event *ev)
{
	if (strcmp(ev->type, "reminder.due") == 0) {
		s->reminder_due_us = ev->wall_us;
		return;
	}
	s->reminder_due_us = 0;
	s->reminder_base_us = ev->wall_us;
}

static void
note_facts(struct session *s, const struct journal_event *ev)
{
	const char *from = pstr(ev, "from");

	if (strcmp(ev->type, "session.started") == 0 && !s->reminder_base_us)
		s->reminder_base_us = ev->wall_us;
	else if (strcmp(ev->type, "decision.made") == 0) {
		replace(&s->decision_label, pstr(ev, "label"));
		replace(&s->decision_reason, pstr(ev, "reason"));
	} else if (strcmp(ev->type, "phase.advanced") == 0 && from &&
		   strcmp(from, "execute") == 0)
		s->executed_wall_us = ev->wall_us;
}

void
session_message_event(struct session *s, const struct journal_event *ev)
{
	int reminders = 1;

	note_facts(s, ev);
	if (strncmp(ev->type, "message.", 8) == 0 && s->outbox)
		outbox_apply(s->outbox, ev);
	if (strcmp(ev->type, "message.queued") == 0)
		on_queued(s, ev);
	else if (strcmp(ev->type, "message.failed") == 0)
		on_failed(s, ev);
	else if (strncmp(ev->type, "reminder.", 9) == 0)
		on_reminder(s, ev);
	else if (strcmp(ev->type, "session.completed") != 0)
		reminders = 0;
	if (reminders && !s->replaying)
		reminder_arm(s);
}

void
session_messages_start(struct session *s)
{
	s->delivers = s->loop != NULL;
	if (!s->delivers)
		return;
	outbox_resume(s->outbox);
	reminder_arm(s);
}

void
session_messages_done(struct session *s)
{
	if (s->loop && s->reminder_timer)
		loop_cancel_timer(s->loop, s->reminder_timer);
	s->reminder_timer = 0;
	outbox_free(s->outbox);
	s->outbox = NULL;
	free(s->decision_label);
	free(s->decision_reason);
	s->decision_label = NULL;
	s->decision_reason = NULL;
}

void
session_set_clipboard_handler(struct session *s, session_clipboard_cb cb,
			      void *arg)
{
	s->clip_cb = cb;
	s->clip_arg = arg;
}
