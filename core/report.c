/* Post-mortem reports. The journal is read line by line (not through
 * journal_open, so a broken chain still yields a report of what is there),
 * folded into a cJSON model, and the Markdown is rendered from that model
 * alone, so both formats always say the same thing. */
#include "config.h"
#include "report.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "clock.h"
#include "drill.h"
#include "err.h"
#include "evidence.h"
#include "evtext.h"
#include "journal.h"
#include "keeper.h"
#include "playbook.h"
#include "reg_backend.h"
#include "registry.h"
#include "rtoclock.h"
#include "sanitize.h"
#include "session.h"
#include "identity.h"
#include "strbuf.h"
#include "withdrawn.h"
#include "xalloc.h"

#define JOURNAL_MAX (1u << 30)

struct rep {
	cJSON *root;
	cJSON *summary, *timeline, *decisions, *approvals, *commands;
	cJSON *messages, *notes, *followups, *vars, *states, *other;
	cJSON *inputs;		/* per variable: its value, who set it, when */
	cJSON *scorecard;
	cJSON *injects;		/* the drill's injections as they fired */
	cJSON *registry;	/* the last answer of each registry package */
	cJSON *world;		/* the drill's world as last changed, or NULL */
	struct playbook *pb;	/* the session's playbook copy, or NULL */
	int64_t start_us, end_us, detected_us, incident_us;
	int64_t decision_us, exec_start_us, exec_end_us;
	int64_t verify_end_us;	/* when the verify phase was left */
	char *cur_phase;	/* the session's phase at the event folded */
	int drill;		/* a drill: typed times are the story's */
	uint64_t unverified_from;	/* first journal line not proven */
	int complete;
	char rto_to[200];	/* where the recovery time ends, in words,
				 * when rto_end had to say more */
	struct step_done {
		char *step;
		struct rto_done d;
		int64_t rerun_start;	/* an execute step run again after
					 * the phase was left: since, or 0 */
	} *dones;		/* when each step's work was done */
	size_t n_dones;
	int64_t exec_rerun_us;	/* time of those re-runs, to their ends */
	struct strbuf reruns;	/* their step ids, ", " between */
	cJSON *shared;		/* the publishes, summed (share.published
				 * events are not timeline rows) */
};

/* --- small helpers ----------------------------------------------------------- */

static char *
clean(const char *s)
{
	return sanitize_text(s ? s : "", s ? strlen(s) : 0);
}

static int
is_clean(const char *s)
{
	return !s || sanitize_is_clean(s, strlen(s));
}

static void
add_clean(cJSON *obj, const char *key, const char *s)
{
	char *c;

	if (!s)
		return;
	c = clean(s);
	cJSON_AddStringToObject(obj, key, c);
	free(c);
}

/* NAME as a reader is shown it (identity_display: a marker on a name
 * in another script than Latin), as "shown" in OBJ. */
static void
add_shown_name(cJSON *obj, const char *name)
{
	char *shown;

	if (!name)
		return;
	shown = identity_display(name);
	add_clean(obj, "shown", shown);
	free(shown);
}

static void
add_clean_item(cJSON *list, const char *s)
{
	char *c = clean(s);

	cJSON_AddItemToArray(list, cJSON_CreateString(c));
	free(c);
}

static const char *jstr(const cJSON *o, const char *key);

/* O's string KEY, or "?". */
static const char *
s_or_q(const cJSON *o, const char *key)
{
	const char *s = jstr(o, key);

	return s ? s : "?";
}

static const char *
pstr(const struct journal_event *ev, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		ev->payload, key));
}

static const char *
jstr(const cJSON *o, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
}

static void
add_time(cJSON *obj, const char *key, int64_t us)
{
	char buf[32];
	time_t t = (time_t)(us / 1000000);
	struct tm tm;

	if (!us || !gmtime_r(&t, &tm))
		return;
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	cJSON_AddStringToObject(obj, key, buf);
}

static void
add_secs(cJSON *obj, const char *key, int64_t from, int64_t to)
{
	if (from && to && to >= from)
		cJSON_AddNumberToObject(obj, key,
					(double)((to - from) / 1000) / 1000.0);
	else
		cJSON_AddNullToObject(obj, key);
}

static char *shown_title(const struct rep *r, const char *title);

/* Step ID's title with the variables' values (caller frees). */
static char *
step_title(const struct rep *r, const char *id)
{
	const struct pb_step *st = r->pb && id ? playbook_find_step(r->pb, id,
								    NULL, NULL)
					       : NULL;

	return st ? shown_title(r, st->title) : xstrdup(id ? id : "");
}

static cJSON *
step_entry(const struct rep *r, const struct journal_event *ev)
{
	cJSON *o = cJSON_CreateObject();

	add_clean(o, "step", ev->step);
	char *title = step_title(r, ev->step);

	add_clean(o, "title", title);
	free(title);
	add_time(o, "time", ev->wall_us);
	add_clean(o, "by", ev->actor);
	return o;
}

/* Times the operator types (rtoclock.h). */
static int64_t
parse_when(const char *s)
{
	return rtoclock_parse_when(s);
}

static int
starts_with_word(const char *s, const char *word)
{
	while (*s == ' ')
		s++;
	return strncasecmp(s, word, strlen(word)) == 0;
}

/* --- one handler per event type ------------------------------------------- */

/* The summary's list of operators, each with when they took over. */
static void
note_operator(struct rep *r, const char *name, int64_t wall_us)
{
	cJSON *list = cJSON_GetObjectItem(r->summary, "operators");
	cJSON *o = cJSON_CreateObject();

	if (!list)
		list = cJSON_AddArrayToObject(r->summary, "operators");
	add_clean(o, "name", name);
	add_shown_name(o, name ? name : "?");
	add_time(o, "since", wall_us);
	cJSON_AddItemToArray(list, o);
}

static void
on_operator_changed(struct rep *r, const struct journal_event *ev,
		    struct strbuf *what)
{
	char *from = identity_display(pstr(ev, "from") ? pstr(ev, "from")
				      : "?");
	char *to = identity_display(pstr(ev, "to") ? pstr(ev, "to") : "?");

	note_operator(r, pstr(ev, "to"), ev->wall_us);
	strbuf_addf(what, "the operator changed from %s to %s", from, to);
	free(from);
	free(to);
}

/* A step run by someone whose sign-off was in force: the separation of
 * duties an approval means was broken (a journal from before rewind
 * refused it); kept for the findings. */
static void
check_duties(struct rep *r, const struct journal_event *ev)
{
	const cJSON *a;

	cJSON_ArrayForEach(a, r->approvals) {
		cJSON *list;
		char *text;

		if (cJSON_IsTrue(cJSON_GetObjectItem(a, "voided")) ||
		    !jstr(a, "name") || !identity_same(jstr(a, "name"),
						       ev->actor))
			continue;
		list = cJSON_GetObjectItem(r->summary, "duties");
		if (!list)
			list = cJSON_AddArrayToObject(r->summary, "duties");
		text = xasprintf("Separation of duties broken: %s approved %s "
				 "as %s and then ran %s as the operator",
				 jstr(a, "shown") ? jstr(a, "shown")
				 : jstr(a, "name"), s_or_q(a, "step"),
				 s_or_q(a, "role"), ev->step ? ev->step : "?");
		add_clean_item(list, text);
		free(text);
		return;
	}
}

static void
on_started(struct rep *r, const struct journal_event *ev, struct strbuf *what)
{
	const char *mode = pstr(ev, "mode");
	int drill = mode && strcmp(mode, "drill") == 0;

	if (!r->start_us)
		r->start_us = ev->wall_us;
	r->drill = drill;
	add_clean(r->summary, "playbook", pstr(ev, "playbook"));
	add_clean(r->summary, "title", pstr(ev, "title"));
	cJSON_AddStringToObject(r->summary, "mode", drill ? "DRILL" : "LIVE");
	add_clean(r->summary, "scenario", pstr(ev, "scenario"));
	add_clean(r->summary, "operator", pstr(ev, "operator") ?
		  pstr(ev, "operator") : ev->actor);
	note_operator(r, pstr(ev, "operator") ? pstr(ev, "operator")
		      : ev->actor, ev->wall_us);
	strbuf_addf(what, "session started (%s%s%s)", drill ? "drill" : "live",
		    pstr(ev, "scenario") ? ", scenario " : "",
		    pstr(ev, "scenario") ? pstr(ev, "scenario") : "");
}

/* The variable's row of the inputs: its latest value, who set it and
 * when, and how many times it was set (the timeline has each). */
static void
note_input(struct rep *r, const struct journal_event *ev, const char *name,
	   const char *value)
{
	cJSON *o = cJSON_GetObjectItemCaseSensitive(r->inputs, name);
	int times = o ? cJSON_GetObjectItem(o, "times")->valueint : 0;

	cJSON_DeleteItemFromObjectCaseSensitive(r->inputs, name);
	o = cJSON_AddObjectToObject(r->inputs, name);
	add_clean(o, "value", value);
	add_clean(o, "by", ev->actor);
	add_time(o, "time", ev->wall_us);
	cJSON_AddNumberToObject(o, "times", times + 1);
}

static void
on_var(struct rep *r, const struct journal_event *ev, struct strbuf *what)
{
	const char *name = pstr(ev, "name");
	const char *value = pstr(ev, "value");
	int secret = cJSON_IsTrue(cJSON_GetObjectItem(ev->payload, "secret"));

	if (!name)
		return;
	cJSON_DeleteItemFromObjectCaseSensitive(r->vars, name);
	if (secret || !value)
		cJSON_AddStringToObject(r->vars, name, "(secret)");
	else
		add_clean(r->vars, name, value);
	if (strcmp(name, "INCIDENT_START") == 0)
		r->incident_us = parse_when(value);
	if (strcmp(name, "DETECTED_AT") == 0)
		r->detected_us = parse_when(value);
	note_input(r, ev, name, secret || !value ? "(secret)" : value);
	strbuf_addf(what, "set %s = %s", name, secret || !value ? "(secret)"
								: value);
	if (pstr(ev, "warning"))	/* the restore-target rule's words */
		strbuf_addf(what, " (%s)", pstr(ev, "warning"));
}

static void
set_state(struct rep *r, const struct journal_event *ev, const char *state,
	  const char *reason)
{
	cJSON *o = step_entry(r, ev);

	if (!ev->step) {
		cJSON_Delete(o);
		return;
	}
	cJSON_AddStringToObject(o, "state", state);
	add_clean(o, "reason", reason);
	cJSON_DeleteItemFromObjectCaseSensitive(r->states, ev->step);
	cJSON_AddItemToObject(r->states, ev->step, o);
}

/* The last command entry of STEP, finished or not, or NULL. */
static cJSON *
last_command(struct rep *r, const char *step)
{
	cJSON *head = r->commands->child;

	for (cJSON *c = head ? head->prev : NULL; c && step; c = c->prev) {
		if (jstr(c, "step") && strcmp(jstr(c, "step"), step) == 0)
			return c;
		if (c == head)
			break;
	}
	return NULL;
}

/* A check ticked; or a run interrupted with its outcome unknown, checked
 * by hand and recorded as having done its work: its command's row says
 * who checked and what. */
static void
on_ticked(struct rep *r, const struct journal_event *ev, struct strbuf *what)
{
	const char *note = pstr(ev, "note");
	cJSON *c;

	set_state(r, ev, "done", note);
	if (!cJSON_IsTrue(cJSON_GetObjectItem(ev->payload,
					      "interrupted_run_checked"))) {
		strbuf_addf(what, "ticked %s%s%s", ev->step ? ev->step : "",
			    note ? ": " : "", note ? note : "");
		return;
	}
	c = last_command(r, ev->step);
	if (c) {
		char *by = xasprintf("checked by hand by %s: %s",
				     ev->actor ? ev->actor : "?",
				     note ? note : "");

		add_clean(c, "checked", by);
		free(by);
	}
	strbuf_addf(what, "checked by hand %s: its interrupted run did its "
		    "work (%s)", ev->step ? ev->step : "", note ? note : "");
}

static void
on_reopened(struct rep *r, const struct journal_event *ev, struct strbuf *what)
{
	set_state(r, ev, "open", pstr(ev, "reason"));
	strbuf_addf(what, "reopened %s: %s", ev->step ? ev->step : "",
		    pstr(ev, "reason") ? pstr(ev, "reason") : "");
}

static void
on_unticked(struct rep *r, const struct journal_event *ev, struct strbuf *what)
{
	set_state(r, ev, "open", pstr(ev, "reason"));
	strbuf_addf(what, "unticked %s%s%s", ev->step ? ev->step : "",
		    pstr(ev, "reason") ? ": " : "",
		    pstr(ev, "reason") ? pstr(ev, "reason") : "");
}

static void
on_na(struct rep *r, const struct journal_event *ev, struct strbuf *what)
{
	set_state(r, ev, "n/a", pstr(ev, "reason"));
	strbuf_addf(what, "marked %s n/a: %s", ev->step ? ev->step : "",
		    pstr(ev, "reason") ? pstr(ev, "reason") : "");
}

/* A step left behind because its "when" condition did not hold: nobody
 * chose that, so it did not apply rather than was skipped. Older journals
 * say so only in the reason. */
static int
is_inactive_skip(const struct journal_event *ev)
{
	const char *reason = pstr(ev, "reason");

	return cJSON_IsTrue(cJSON_GetObjectItem(ev->payload, "inactive")) ||
	       (reason && strcmp(reason, SESSION_INACTIVE_REASON) == 0);
}

static void
on_inactive(struct rep *r, const struct journal_event *ev, struct strbuf *what)
{
	cJSON *o;

	set_state(r, ev, "n/a", pstr(ev, "reason"));
	o = ev->step ? cJSON_GetObjectItemCaseSensitive(r->states, ev->step)
		     : NULL;
	if (o) {
		cJSON_DeleteItemFromObjectCaseSensitive(o, "by");
		cJSON_AddBoolToObject(o, "condition_not_held", 1);
	}
	strbuf_addf(what, "%s did not apply: its condition did not hold",
		    ev->step ? ev->step : "");
}

static void
on_skipped(struct rep *r, const struct journal_event *ev, struct strbuf *what)
{
	if (is_inactive_skip(ev)) {
		on_inactive(r, ev, what);
		return;
	}
	set_state(r, ev, "skipped", pstr(ev, "reason"));
	strbuf_addf(what, "skipped %s: %s", ev->step ? ev->step : "",
		    pstr(ev, "reason") ? pstr(ev, "reason") : "");
}

/* A variable's value as the report shows it (a secret's is "(secret)"). */
static const char *
var_value(const char *name, const void *arg)
{
	const struct rep *r = arg;

	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r->vars,
								     name));
}

/* Labels for variables a title names but the session never set. */
struct title_store {
	char *made[16];
	size_t n;
};

struct title_labels {
	const struct rep *r;
	struct title_store *st;
};

/* NAME's value, else "‹name in words›" as the console shows an unset
 * one ("‹hotfix version›" for HOTFIX_VERSION). */
static const char *
value_or_label(const char *name, const void *arg)
{
	const struct title_labels *l = arg;
	struct title_store *st = l->st;
	const char *v = var_value(name, l->r);
	char *words;

	if (v)
		return v;
	if (st->n == sizeof(st->made) / sizeof(st->made[0]))
		return NULL;
	words = xstrdup(name);
	for (char *c = words; *c; c++)
		*c = *c == '_' ? ' ' : (char)tolower((unsigned char)*c);
	st->made[st->n] = xasprintf("\u2039%s\u203a", words);
	free(words);
	return st->made[st->n++];
}

/* TITLE with ${NAME} references filled in: never a raw template in the
 * report. Caller frees. */
static char *
shown_title(const struct rep *r, const char *title)
{
	struct title_store st = { .n = 0 };
	struct title_labels l = { r, &st };
	char *out = playbook_subst_refs(title ? title : "", value_or_label,
					&l);

	for (size_t i = 0; i < st.n; i++)
		free(st.made[i]);
	return out;
}

static void
on_step_started(struct rep *r, const struct journal_event *ev,
		struct strbuf *what)
{
	cJSON *o = step_entry(r, ev);
	char *resolved = pstr(ev, "command")
		? playbook_subst_refs(pstr(ev, "command"), var_value, r) : NULL;

	add_clean(o, "command", pstr(ev, "command"));
	add_clean(o, "resolved", resolved);	/* with the values it got */
	free(resolved);
	cJSON_AddBoolToObject(o, "drill", cJSON_IsTrue(cJSON_GetObjectItem(
					      ev->payload, "drill")));
	cJSON_AddItemToArray(r->commands, o);
	check_duties(r, ev);
	strbuf_addf(what, "started %s", ev->step ? ev->step : "");
}

/* The last command entry of STEP still waiting for its result. */
static cJSON *
open_command(struct rep *r, const char *step)
{
	cJSON *head = r->commands->child;

	/* newest first: the entry is almost always the last one */
	for (cJSON *c = head ? head->prev : NULL; c && step; c = c->prev) {
		if (jstr(c, "step") && strcmp(jstr(c, "step"), step) == 0)
			return cJSON_GetObjectItem(c, "ok") ? NULL : c;
		if (c == head)
			break;
	}
	return NULL;
}

/* Whether EV is a finish from a keeper's record (a run that ended after
 * its console quit). */
static int
is_kept(const struct journal_event *ev)
{
	return pstr(ev, "recorded_by") &&
	       strcmp(pstr(ev, "recorded_by"), "keeper") == 0;
}

/* The last command entry of STEP, when the console's end interrupted it:
 * its keeper's record finishes it; what the interruption noted goes. */
static cJSON *
interrupted_command(struct rep *r, const char *step)
{
	cJSON *head = r->commands->child;

	for (cJSON *c = head ? head->prev : NULL; c && step; c = c->prev) {
		if (jstr(c, "step") && strcmp(jstr(c, "step"), step) == 0) {
			if (!cJSON_IsTrue(cJSON_GetObjectItem(c, "interrupted"))
			    || jstr(c, "interrupted_by"))
				return NULL;
			cJSON_DeleteItemFromObjectCaseSensitive(c, "ok");
			cJSON_DeleteItemFromObjectCaseSensitive(c,
								"interrupted");
			cJSON_DeleteItemFromObjectCaseSensitive(c, "reason");
			return c;
		}
		if (c == head)
			break;
	}
	return NULL;
}

/* Who the timeline names for EV: rewind's record of how a run that
 * outlived its console went (its keeper's record, its process seen
 * running or gone) is the run's, so the operator who started it. */
static const char *
timeline_actor(struct rep *r, const struct journal_event *ev)
{
	const cJSON *c;

	if (!ev->step || !ev->actor || strcmp(ev->actor, "rewind") != 0 ||
	    !(is_kept(ev) || strcmp(ev->type, "step.orphan") == 0 ||
	      strcmp(ev->type, "step.orphan_ended") == 0))
		return ev->actor;
	c = last_command(r, ev->step);
	return c && jstr(c, "by") ? jstr(c, "by") : ev->actor;
}

/* A run cancelled while it ran: its command may have acted, so neither
 * ok nor failed. */
static void
on_cancelled(struct rep *r, const struct journal_event *ev, cJSON *o,
	     struct strbuf *what)
{
	const cJSON *ms = cJSON_GetObjectItem(ev->payload, "duration_ms");

	cJSON_AddNullToObject(o, "ok");
	cJSON_AddBoolToObject(o, "interrupted", 1);
	cJSON_AddStringToObject(o, "interrupted_by", "cancel");
	if (ev->actor)	/* who pressed cancel, not a console's death */
		cJSON_AddStringToObject(o, "cancelled_by", ev->actor);
	cJSON_AddNumberToObject(o, "duration_ms", cJSON_IsNumber(ms)
				? ms->valuedouble : 0);
	cJSON_AddStringToObject(o, "reason", "cancelled while it ran; its "
				"command may have acted");
	strbuf_addf(what, "cancelled %s while it ran: outcome unknown (its "
		    "command may have acted)", ev->step ? ev->step : "");
}

/* A run that ended after its console quit, its outcome from its keeper's
 * record: the row says so (an interruption noted on it first is undone:
 * the run was not interrupted, only its console), and so does the
 * timeline. Returns 0 for any other finish. */
static int
kept_finish(struct rep *r, const struct journal_event *ev, cJSON *o,
	    struct strbuf *what)
{
	const cJSON *code = cJSON_GetObjectItem(ev->payload, "exit");
	const cJSON *signo = cJSON_GetObjectItem(ev->payload, "signal");
	const cJSON *ms = cJSON_GetObjectItem(ev->payload, "duration_ms");
	int ok = cJSON_IsTrue(cJSON_GetObjectItem(ev->payload, "ok"));
	struct strbuf how = STRBUF_INIT;

	if (!is_kept(ev))
		return 0;
	if (cJSON_IsNumber(signo) && signo->valueint > 0)
		strbuf_addf(&how, "killed by signal %d", signo->valueint);
	else
		strbuf_addf(&how, "exit %d", cJSON_IsNumber(code)
			    ? code->valueint : -1);
	strbuf_addf(&how, " at %s (its keeper's record)",
		    pstr(ev, "ended") ? pstr(ev, "ended") : "?");
	cJSON_AddBoolToObject(o, "ok", ok);
	cJSON_AddNumberToObject(o, "exit", cJSON_IsNumber(code)
				? code->valuedouble : -1);
	cJSON_AddNumberToObject(o, "duration_ms", cJSON_IsNumber(ms)
				? ms->valuedouble : 0);
	add_clean(o, "reason", pstr(ev, "reason"));
	add_clean(o, "kept", strbuf_str(&how));
	if (!ok)
		set_state(r, ev, "failed", pstr(ev, "reason"));
	strbuf_addf(what, "%s %s after the console quit: %s",
		    ok ? "finished" : "FAILED", ev->step ? ev->step : "",
		    strbuf_str(&how));
	if (!ok && pstr(ev, "reason"))
		strbuf_addf(what, " (%s)", pstr(ev, "reason"));
	if (cJSON_IsTrue(cJSON_GetObjectItem(ev->payload,
					     "output_may_be_cut"))) {
		strbuf_adds(what, "; its output may be cut off (the console "
			    "was killed while it ran)");
		cJSON_AddBoolToObject(o, "output_may_be_cut", 1);
	}
	strbuf_done(&how);
	return 1;
}

static void
on_step_finished(struct rep *r, const struct journal_event *ev,
		 struct strbuf *what)
{
	cJSON *o = open_command(r, ev->step);
	const cJSON *exit_code = cJSON_GetObjectItem(ev->payload, "exit");
	const cJSON *ms = cJSON_GetObjectItem(ev->payload, "duration_ms");
	int ok = cJSON_IsTrue(cJSON_GetObjectItem(ev->payload, "ok"));

	if (!o && is_kept(ev))
		o = interrupted_command(r, ev->step);
	if (!o) {
		o = step_entry(r, ev);
		cJSON_AddItemToArray(r->commands, o);
	}
	if (session_outcome_unknown(ev->payload)) {
		on_cancelled(r, ev, o, what);
		return;
	}
	if (kept_finish(r, ev, o, what))
		return;
	cJSON_AddBoolToObject(o, "ok", ok);
	cJSON_AddNumberToObject(o, "exit", cJSON_IsNumber(exit_code)
				? exit_code->valuedouble : -1);
	cJSON_AddNumberToObject(o, "duration_ms", cJSON_IsNumber(ms)
				? ms->valuedouble : 0);
	cJSON_AddBoolToObject(o, "timed_out", cJSON_IsTrue(cJSON_GetObjectItem(
					  ev->payload, "timed_out")));
	add_clean(o, "reason", pstr(ev, "reason"));
	if (!ok)
		set_state(r, ev, "failed", pstr(ev, "reason"));
	strbuf_addf(what, "%s %s: exit %d", ok ? "finished" : "FAILED",
		    ev->step ? ev->step : "",
		    cJSON_IsNumber(exit_code) ? exit_code->valueint : -1);
	if (!ok && pstr(ev, "reason"))
		strbuf_addf(what, " (%s)", pstr(ev, "reason"));
}

/* ", its last line: LINE" for a run of unknown outcome whose output file
 * the event read ("tail"), so the reader sees what it did; for a run
 * still going then (step.interrupted's still_running), what it had
 * printed so far. */
static void
add_last_line(const struct journal_event *ev, struct strbuf *what)
{
	const char *tail = pstr(ev, "tail");
	const char *last;

	if (!tail || !*tail)
		return;
	last = strrchr(tail, '\n');
	last = last ? last + 1 : tail;
	strbuf_addf(what, cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
			    ev->payload, "still_running"))
		    ? "; it still ran, its output so far ending: %s"
		    : "; its output ends: %s", last);
}

static void
on_interrupted(struct rep *r, const struct journal_event *ev,
	       struct strbuf *what)
{
	cJSON *o = open_command(r, ev->step);

	/* Nobody saw it end: neither ok nor failed. */
	if (o) {
		cJSON_AddNullToObject(o, "ok");
		cJSON_AddBoolToObject(o, "interrupted", 1);
		cJSON_AddStringToObject(o, "reason", "the console ended while "
					"it ran");
	}
	if (pstr(ev, "last_seen")) {
		char now[40];

		strbuf_addf(what, "interrupted %s: outcome unknown (the console "
			    "ended while it ran, between %s and %s)",
			    ev->step ? ev->step : "", pstr(ev, "last_seen"),
			    clock_format_rfc3339(ev->wall_us, now, sizeof(now)));
	} else {
		strbuf_addf(what, "interrupted %s: outcome unknown (the console "
			    "ended while it ran)", ev->step ? ev->step : "");
	}
	add_last_line(ev, what);
}

/* Where the keeper of the run EV spawned writes how it ended, kept on
 * its command entry until a result comes (kept_unjournalled). */
static void
note_status_file(struct rep *r, const struct journal_event *ev)
{
	const cJSON *k = cJSON_GetObjectItem(ev->payload, "keeper");
	const cJSON *f = cJSON_GetObjectItem(k, "status_file");
	cJSON *o = open_command(r, ev->step);

	if (o && cJSON_IsString(f) && !strstr(f->valuestring, ".."))
		add_clean(o, "status_file", f->valuestring);
}

/* A run with no result in the journal whose console died: its keeper's
 * record, read (never journalled) so the report tells how it ended
 * before any console resumes the session to journal it. */
static void
kept_unjournalled(struct rep *r, const char *dir)
{
	cJSON *c;

	cJSON_ArrayForEach(c, r->commands) {
		struct keeper_status ks;
		char *path, when[40], text[160];

		if (cJSON_IsBool(cJSON_GetObjectItem(c, "ok")) ||
		    !jstr(c, "status_file"))
			continue;
		path = xasprintf("%s/%s", dir, jstr(c, "status_file"));
		if (keeper_read_status(path, &ks, NULL) == 0) {
			clock_format_rfc3339(ks.ended_us, when, sizeof(when));
			if (ks.term_signal)
				snprintf(text, sizeof(text), "killed by signal "
					 "%d at %s (its keeper's record, not "
					 "journalled yet: resume the session)",
					 ks.term_signal, when);
			else
				snprintf(text, sizeof(text), "exit %d at %s "
					 "(its keeper's record, not journalled "
					 "yet: resume the session)",
					 ks.exit_code, when);
			add_clean(c, "kept", text);
		}
		free(path);
	}
}

/* The last command entry of STEP, when the console's end interrupted it
 * (its run went on as an orphan), or NULL. */
static cJSON *
orphaned_command(struct rep *r, const char *step)
{
	cJSON *head = r->commands->child;

	for (cJSON *c = head ? head->prev : NULL; c && step; c = c->prev) {
		if (jstr(c, "step") && strcmp(jstr(c, "step"), step) == 0)
			return cJSON_IsTrue(cJSON_GetObjectItem(c,
								"interrupted"))
			       ? c : NULL;
		if (c == head)
			break;
	}
	return NULL;
}

/* What the journal says of an orphan's stop (step.orphan_stop: who, with
 * which signal) and end (step.orphan_ended) goes on its command entry, so
 * its row tells it (not the keeper's record read as unjournalled). */
static void
note_orphan(struct rep *r, const struct journal_event *ev)
{
	cJSON *o = orphaned_command(r, ev->step);
	struct strbuf how = STRBUF_INIT;

	if (!o)
		return;
	if (strcmp(ev->type, "step.orphan_stop") == 0) {
		cJSON_DeleteItemFromObjectCaseSensitive(o, "stopped_by");
		strbuf_addf(&how, "%s (%s)", ev->actor ? ev->actor : "?",
			    pstr(ev, "signal") ? pstr(ev, "signal") : "?");
		add_clean(o, "stopped_by", strbuf_str(&how));
	} else if (strcmp(ev->type, "step.orphan_ended") == 0) {
		const char *st = pstr(ev, "exit_status");
		const char *outcome = pstr(ev, "outcome");

		cJSON_DeleteItemFromObjectCaseSensitive(o, "status_file");
		if (st || (outcome && strcmp(outcome, "unknown") != 0)) {
			strbuf_addf(&how, "%s at %s (its keeper's record)",
				    st ? st : outcome, pstr(ev, "ended")
				    ? pstr(ev, "ended") : "?");
			add_clean(o, "orphan_ended", strbuf_str(&how));
		}
	}
	strbuf_done(&how);
}

/* A run's process, and what became of it after its console died. */
static void
on_process(struct rep *r, const struct journal_event *ev, struct strbuf *what)
{
	const cJSON *pid = cJSON_GetObjectItem(ev->payload, "pid");
	const char *step = ev->step ? ev->step : "";
	int n = cJSON_IsNumber(pid) ? pid->valueint : 0;

	if (strcmp(ev->type, "step.spawned") == 0)
		note_status_file(r, ev);
	else
		note_orphan(r, ev);
	if (strcmp(ev->type, "step.spawned") == 0)
		strbuf_addf(what, "%s runs as pid %d", step, n);
	else if (strcmp(ev->type, "step.orphan") == 0)
		strbuf_addf(what, "%s: its run from the previous console (pid "
			    "%d) is still running", step, n);
	else if (strcmp(ev->type, "step.orphan_stop") == 0)
		strbuf_addf(what, "%s: the operator stopped its run from the "
			    "previous console (pid %d, %s)", step, n,
			    pstr(ev, "signal") ? pstr(ev, "signal") : "?");
	else {
		const char *outcome = pstr(ev, "outcome");

		strbuf_addf(what, "%s: its run from the previous console (pid "
			    "%d) %s", step, n,
			    pstr(ev, "how") ? pstr(ev, "how") : "ended");
		if (outcome && strcmp(outcome, "unknown") != 0)
			strbuf_addf(what, ": %s at %s (its keeper's record)",
				    outcome, pstr(ev, "ended") ? pstr(ev, "ended")
							       : "?");
		else if (pstr(ev, "exit_status"))
			strbuf_addf(what, "; outcome unknown (%s at %s, its "
				    "keeper's record)", pstr(ev, "exit_status"),
				    pstr(ev, "ended") ? pstr(ev, "ended")
						      : "?");
		else if (pstr(ev, "keeper"))
			strbuf_adds(what, "; outcome unknown: its keeper was "
				    "stopped before it recorded the exit "
				    "status");
		else
			strbuf_adds(what, "; outcome unknown");
		add_last_line(ev, what);
	}
}

static void
on_decision(struct rep *r, const struct journal_event *ev, struct strbuf *what)
{
	cJSON *o = step_entry(r, ev);
	const cJSON *cell = cJSON_GetObjectItem(ev->payload, "cell");
	const cJSON *followed = cJSON_GetObjectItem(ev->payload, "followed");

	add_clean(o, "option", pstr(ev, "option"));
	add_clean(o, "label", pstr(ev, "label"));
	add_clean(o, "rationale", pstr(ev, "reason"));
	if (cJSON_IsObject(cell)) {
		cJSON *c = cJSON_AddObjectToObject(o, "cell");
		const cJSON *kv;

		cJSON_ArrayForEach(kv, cell)
			add_clean(c, kv->string, cJSON_GetStringValue(kv));
	}
	add_clean(o, "recommended", pstr(ev, "recommended"));
	if (cJSON_IsBool(followed))
		cJSON_AddBoolToObject(o, "followed", cJSON_IsTrue(followed));
	cJSON_AddItemToArray(r->decisions, o);
	if (!r->decision_us)
		r->decision_us = ev->wall_us;
	strbuf_addf(what, "chose %s at %s: %s", pstr(ev, "option") ?
		    pstr(ev, "option") : "?", ev->step ? ev->step : "",
		    pstr(ev, "reason") ? pstr(ev, "reason") : "");
}

/* The operator when the event being read happened, or NULL. */
static const char *
operator_now(const struct rep *r)
{
	const cJSON *list = cJSON_GetObjectItem(r->summary, "operators");
	int n = cJSON_GetArraySize(list);

	return n > 0 ? jstr(cJSON_GetArrayItem(list, n - 1), "name") : NULL;
}

/* NAME quoted as a reader is shown it, then REST (caller frees). */
static char *
same_person(const char *name, const char *rest)
{
	char *shown = identity_display(name);
	char *text = xasprintf("'%s' is the same person as %s", shown, rest);

	free(shown);
	return text;
}

/* Why an approval of STEP by NAME, just read, is not valid, or NULL:
 * NAME passes for the operator or for someone who already signed STEP
 * (a journal from a rewind that let such a look-alike through).
 * Caller frees. */
static char *
approval_invalid(const struct rep *r, const char *step, const char *name)
{
	const char *op = operator_now(r);
	const cJSON *a;
	char *rest, *text;

	if (op && identity_same(name, op)) {
		rest = xasprintf("the operator, %s", op);
		text = same_person(name, rest);
		free(rest);
		return text;
	}
	cJSON_ArrayForEach(a, r->approvals) {
		if (cJSON_IsTrue(cJSON_GetObjectItem(a, "voided")) ||
		    strcmp(s_or_q(a, "step"), step) != 0 || !jstr(a, "name") ||
		    !identity_same(jstr(a, "name"), name))
			continue;
		rest = xasprintf("%s, who already approved as %s",
				 s_or_q(a, "shown"), s_or_q(a, "role"));
		text = same_person(name, rest);
		free(rest);
		return text;
	}
	return NULL;
}

/* Mark approval O by NAME not valid when it is not, with a finding. */
static void
check_approval(struct rep *r, cJSON *o, const struct journal_event *ev,
	       const char *name)
{
	char *why = name ? approval_invalid(r, ev->step ? ev->step : "",
					    name) : NULL;
	cJSON *list;
	char *text;

	if (!why)
		return;
	add_clean(o, "invalid", why);
	list = cJSON_GetObjectItem(r->summary, "duties");
	if (!list)
		list = cJSON_AddArrayToObject(r->summary, "duties");
	text = xasprintf("Approval not valid: %s (%s, %s)", why,
			 ev->step ? ev->step : "?", s_or_q(o, "role"));
	add_clean_item(list, text);
	free(text);
	free(why);
}

static void
on_approval(struct rep *r, const struct journal_event *ev, struct strbuf *what)
{
	cJSON *o = step_entry(r, ev);
	const cJSON *pv;
	char *entered;

	add_clean(o, "role", pstr(ev, "role"));
	add_clean(o, "name", pstr(ev, "name"));
	add_shown_name(o, pstr(ev, "name"));
	add_clean(o, "comment", pstr(ev, "comment"));
	entered = evtext_provenance(ev->payload, 1);
	add_clean(o, "entered", entered);
	free(entered);
	if ((pv = cJSON_GetObjectItem(ev->payload, "provenance"))) {
		cJSON *c = cJSON_AddObjectToObject(o, "provenance");
		const char *keys[] = { "via", "login", "host", "tty",
				       "operator", "operator_login", "remote" };

		for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++)
			add_clean(c, keys[i], cJSON_GetStringValue(
				cJSON_GetObjectItem(pv, keys[i])));
		/* the operator's own login signed from another terminal */
		cJSON_AddBoolToObject(c, "own_login", cJSON_IsTrue(
			cJSON_GetObjectItem(pv, "own_login")));
	}
	cJSON_AddBoolToObject(o, "voided", 0);
	cJSON_AddNumberToObject(o, "line", (double)ev->seq);
	if (r->unverified_from && ev->seq >= r->unverified_from)
		cJSON_AddBoolToObject(o, "unverified", 1);
	check_approval(r, o, ev, pstr(ev, "name"));
	if (r->drill && r->pb && pstr(ev, "name") && !jstr(o, "invalid")) {
		const char *role = jstr(o, "role");
		const char *why = drill_sign_off_not_counted(
			r->pb, jstr(r->summary, "operator"), role ? role : "",
			pstr(ev, "name"));

		if (why)	/* as the score card judges it */
			add_clean(o, "not_counted", why);
	}
	cJSON_AddItemToArray(r->approvals, o);
	strbuf_addf(what, "%s approved %s as %s", jstr(o, "shown") ?
		    jstr(o, "shown") : "?",
		    ev->step ? ev->step : "",
		    pstr(ev, "role") ? pstr(ev, "role") : "?");
}

/* The step ids of P's KEY (a voided approval's ran_while_valid or
 * unapproved), cleaned, as KEY in A. */
static void
copy_ids(cJSON *a, const char *key, const cJSON *p)
{
	const cJSON *it;
	cJSON *list;

	if (!cJSON_IsArray(cJSON_GetObjectItem(p, key)))
		return;
	list = cJSON_AddArrayToObject(a, key);
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(p, key))
		if (cJSON_IsString(it))
			add_clean_item(list, it->valuestring);
}

/* IDS's strings joined by ", ", or "none". */
static void
join_ids(const cJSON *ids, struct strbuf *out)
{
	const cJSON *it;
	int n = 0;

	cJSON_ArrayForEach(it, ids)
		if (cJSON_IsString(it))
			strbuf_addf(out, "%s%s", n++ ? ", " : "",
				    it->valuestring);
	if (!n)
		strbuf_adds(out, "none");
}

/* A sign-off voided after steps ran under it: which ran while it was
 * valid, which remain unapproved. */
static void
void_steps_text(const cJSON *o, struct strbuf *out)
{
	strbuf_adds(out, "; ran under it while it was valid: ");
	join_ids(cJSON_GetObjectItem(o, "ran_while_valid"), out);
	strbuf_adds(out, "; unapproved now: ");
	join_ids(cJSON_GetObjectItem(o, "unapproved"), out);
}

static void
on_voided(struct rep *r, const struct journal_event *ev, struct strbuf *what)
{
	cJSON *a;

	cJSON_ArrayForEach(a, r->approvals) {
		const char *role = jstr(a, "role"), *name = jstr(a, "name");

		if (role && name && pstr(ev, "role") && pstr(ev, "name") &&
		    !strcmp(role, pstr(ev, "role")) &&
		    !strcmp(name, pstr(ev, "name")) &&
		    !cJSON_IsTrue(cJSON_GetObjectItem(a, "voided"))) {
			cJSON_ReplaceItemInObjectCaseSensitive(a, "voided",
							       cJSON_CreateTrue());
			add_clean(a, "void_reason", pstr(ev, "reason"));
			copy_ids(a, "ran_while_valid", ev->payload);
			copy_ids(a, "unapproved", ev->payload);
		}
	}
	strbuf_addf(what, "approval by %s (%s) voided: %s",
		    pstr(ev, "name") ? pstr(ev, "name") : "?",
		    pstr(ev, "role") ? pstr(ev, "role") : "?",
		    pstr(ev, "reason") ? pstr(ev, "reason") : "");
	if (cJSON_GetArraySize(cJSON_GetObjectItem(ev->payload,
						   "ran_while_valid")))
		void_steps_text(ev->payload, what);
}

/* message.sent, and the delivery events message.queued / .delivered /
 * .failed: one entry per step, holding the latest outcome. */
static void
on_message(struct rep *r, const struct journal_event *ev, struct strbuf *what)
{
	const char *outcome = strchr(ev->type, '.') + 1;
	cJSON *o = NULL, *m;
	const char *keys[] = { "channel", "path", "sha256", "digest", "url",
			       "error", "reason", "written_to", NULL };

	cJSON_ArrayForEach(m, r->messages)
		if (ev->step && jstr(m, "step") && !strcmp(jstr(m, "step"),
							   ev->step))
			o = m;
	if (!o) {
		o = step_entry(r, ev);
		cJSON_AddItemToArray(r->messages, o);
	}
	for (size_t i = 0; keys[i]; i++)
		if (pstr(ev, keys[i])) {
			cJSON_DeleteItemFromObjectCaseSensitive(o, keys[i]);
			add_clean(o, keys[i], pstr(ev, keys[i]));
		}
	cJSON_DeleteItemFromObjectCaseSensitive(o, "outcome");
	cJSON_AddStringToObject(o, "outcome", outcome);
	strbuf_addf(what, "message %s %s%s%s", ev->step ? ev->step : "",
		    outcome, pstr(ev, "channel") ? " via " : "",
		    pstr(ev, "channel") ? pstr(ev, "channel") : "");
}

static void
on_note(struct rep *r, const struct journal_event *ev, struct strbuf *what)
{
	const char *text = pstr(ev, "text") ? pstr(ev, "text") : "";
	cJSON *o = cJSON_CreateObject();

	add_time(o, "time", ev->wall_us);
	add_clean(o, "by", ev->actor);
	add_clean(o, "text", text);
	cJSON_AddItemToArray(r->notes, o);
	if (starts_with_word(text, "follow-up:") ||
	    starts_with_word(text, "follow up:") ||
	    starts_with_word(text, "todo")) {
		cJSON *f = cJSON_CreateObject();

		cJSON_AddStringToObject(f, "source", "note");
		add_clean(f, "text", text);
		cJSON_AddItemToArray(r->followups, f);
	}
	if (starts_with_word(text, "incident start:") ||
	    starts_with_word(text, "incident-start:"))
		r->incident_us = parse_when(strchr(text, ':') + 1 +
					    strspn(strchr(text, ':') + 1, " "));
	strbuf_addf(what, "note: %s", text);
}

static void
on_phase(struct rep *r, const struct journal_event *ev, struct strbuf *what)
{
	const char *from = pstr(ev, "from"), *to = pstr(ev, "to");

	if (to && strcmp(to, "execute") == 0)
		r->exec_start_us = ev->wall_us;
	if (from && strcmp(from, "execute") == 0)
		r->exec_end_us = ev->wall_us;
	if (from && strcmp(from, "verify") == 0)
		r->verify_end_us = ev->wall_us;
	strbuf_addf(what, "phase %s -> %s", from ? from : "?", to ? to : "?");
	if (to) {
		free(r->cur_phase);
		r->cur_phase = xstrdup(to);
	}
}

static void
on_quit(struct rep *r, const struct journal_event *ev, struct strbuf *what)
{
	(void)r;
	evtext_quit(ev->payload, what);
}

static void
on_completed(struct rep *r, const struct journal_event *ev,
	     struct strbuf *what)
{
	r->complete = 1;
	r->end_us = ev->wall_us;
	strbuf_adds(what, "session complete");
}

static void
on_scorecard(struct rep *r, const struct journal_event *ev,
	     struct strbuf *what)
{
	cJSON_Delete(r->scorecard);
	r->scorecard = cJSON_Duplicate(ev->payload, 1);
	strbuf_adds(what, "drill score card");
}

/* A scenario's injection fired: when, by whom, the alert it raised and
 * what it changed. */
static void
on_inject(struct rep *r, const struct journal_event *ev, struct strbuf *what)
{
	cJSON *o = cJSON_CreateObject();
	const char *by = pstr(ev, "fired_by");

	add_clean(o, "id", pstr(ev, "id"));
	add_time(o, "time", ev->wall_us);
	if (by)
		add_clean(o, "fired", by);
	else
		add_clean(o, "after", pstr(ev, "after"));
	add_clean(o, "alert", pstr(ev, "alert"));
	add_clean(o, "what", pstr(ev, "what"));
	cJSON_AddItemToArray(r->injects, o);
	strbuf_addf(what, "the scenario injected %s", pstr(ev, "id")
		    ? pstr(ev, "id") : "an event");
	if (pstr(ev, "alert"))
		strbuf_addf(what, ": %s", pstr(ev, "alert"));
}

static void add_words(struct strbuf *what, const char *type);

/* The parts of a drill's world, in words, for the timeline. */
static const struct {
	const char *key, *words;
} world_parts[] = {
	{ "tags", "the git tags" }, { "registry", "the registry" },
	{ "http", "the HTTP answers" }, { "listeners", "what listens on ports" },
	{ "logs", "the logs" }, { "programs", "the installed programs" },
	{ "files", "the files" }, { "runs", "the workflow runs" },
	{ "head", "the checked-out commit" },
};

/* A command changed the drill's world: say which parts, against the
 * world as it was (the start, from the playbook, before the first). */
static void
on_world(struct rep *r, const struct journal_event *ev, struct strbuf *what)
{
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(ev->payload,
							   "state");
	const struct pb_scenario *sc;
	cJSON *count = cJSON_GetObjectItemCaseSensitive(r->other, ev->type);
	int n = 0;

	if (count)	/* still counted with the other events, by type */
		cJSON_SetNumberValue(count, count->valuedouble + 1);
	else
		cJSON_AddNumberToObject(r->other, ev->type, 1);
	if (!r->world && r->pb) {
		sc = jstr(r->summary, "scenario") ? playbook_find_scenario(
			r->pb, jstr(r->summary, "scenario")) : NULL;
		r->world = drill_world_start(r->pb, sc, r->start_us);
	}
	strbuf_addf(what, "the drill's world changed after %s",
		    pstr(ev, "by") ? pstr(ev, "by") : "a command");
	for (size_t i = 0; r->world && cJSON_IsObject(st) &&
	     i < sizeof(world_parts) / sizeof(world_parts[0]); i++) {
		const cJSON *a = cJSON_GetObjectItemCaseSensitive(
			r->world, world_parts[i].key);
		const cJSON *b = cJSON_GetObjectItemCaseSensitive(
			st, world_parts[i].key);

		if ((a || b) && (!a || !b || !cJSON_Compare(a, b, 1)))
			strbuf_addf(what, "%s%s", n++ ? ", " : ": ",
				    world_parts[i].words);
	}
	if (cJSON_IsObject(st)) {
		cJSON_Delete(r->world);
		r->world = cJSON_Duplicate(st, 1);
	}
}

/* A hand-over offered, withdrawn or taken: in the words the replay and
 * the watch use. */
static void
on_handover(struct rep *r, const struct journal_event *ev,
	    struct strbuf *what)
{
	char *words = ev->line ? evtext_line(ev->line) : NULL;

	(void)r;
	if (words)
		strbuf_adds(what, words);
	else
		add_words(what, ev->type);
	free(words);
}

static const struct {
	const char *type;
	void (*fn)(struct rep *r, const struct journal_event *ev,
		   struct strbuf *what);
} handlers[] = {
	{ "session.started", on_started }, { "var.set", on_var },
	{ "session.operator_changed", on_operator_changed },
	{ "step.ticked", on_ticked }, { "step.na", on_na },
	{ "step.unticked", on_unticked },
	{ "step.skipped", on_skipped }, { "step.started", on_step_started },
	{ "step.finished", on_step_finished },
	{ "step.interrupted", on_interrupted },
	{ "step.reopened", on_reopened },
	{ "step.spawned", on_process }, { "step.orphan", on_process },
	{ "step.orphan_stop", on_process },
	{ "step.orphan_ended", on_process },
	{ "decision.made", on_decision }, { "approval.granted", on_approval },
	{ "approval.voided", on_voided }, { "message.sent", on_message },
	{ "message.queued", on_message }, { "message.delivered", on_message },
	{ "message.failed", on_message }, { "note.added", on_note },
	{ "phase.advanced", on_phase }, { "session.completed", on_completed },
	{ "session.quit", on_quit },
	{ "drill.scorecard", on_scorecard }, { "drill.inject", on_inject },
	{ "drill.world", on_world },
	{ "session.handover_offered", on_handover },
	{ "session.handover_withdrawn", on_handover },
	{ "session.handover", on_handover },
};

/* What the events without a handler of their own mean, in words. */
static const struct {
	const char *type, *words;
} other_words[] = {
	{ "action.refused", "refused" },
	{ "step.confirmed", "destructive run confirmed for" },
	{ "step.confirm_mismatch", "mistyped confirmation for" },
	{ "step.predicted", "prediction recorded for" },
	{ "session.resumed", "session resumed" },
	{ "journal.truncated", "a torn last journal line was cut" },
	{ "tags.answer", "git tags read" },
	{ "registry.answer", "registry answered" },
	{ "log.threshold", "log pattern over its threshold" },
	{ "drill.clone", "real runs in a throwaway clone switched" },
	{ "reminder.due", "update reminder due" },
	{ "reminder.sent", "update reminder sent" },
	{ "reminder.dismissed", "update reminder dismissed" },
};

/* Event TYPE in words; an unknown type (a newer rewind's) as "event TYPE". */
static void
add_words(struct strbuf *what, const char *type)
{
	for (size_t i = 0; i < sizeof(other_words) / sizeof(other_words[0]);
	     i++)
		if (strcmp(other_words[i].type, type) == 0) {
			strbuf_adds(what, other_words[i].words);
			return;
		}
	strbuf_addf(what, "event %s", type);
}

/* Types with no handler are described in words in the timeline and
 * counted by type. */
static void
on_other(struct rep *r, const struct journal_event *ev, struct strbuf *what)
{
	cJSON *n = cJSON_GetObjectItemCaseSensitive(r->other, ev->type);

	if (n)
		cJSON_SetNumberValue(n, n->valuedouble + 1);
	else
		cJSON_AddNumberToObject(r->other, ev->type, 1);
	add_words(what, ev->type);
	if (pstr(ev, "action"))
		strbuf_addf(what, " %s", pstr(ev, "action"));
	if (ev->step)
		strbuf_addf(what, " %s", ev->step);
	if (pstr(ev, "name"))
		strbuf_addf(what, " (%s)", pstr(ev, "name"));
	if (pstr(ev, "reason"))
		strbuf_addf(what, ": %s", pstr(ev, "reason"));
	if (cJSON_GetObjectItem(ev->payload, "provenance")) {
		/* a refused sign-off: who tried, from where */
		char *where = evtext_provenance(ev->payload, 1);

		strbuf_addf(what, "; %s", where);
		free(where);
	}
}

/* The registry's last answer for a package, for the findings. */
static void
keep_answer(struct rep *r, const struct journal_event *ev)
{
	const char *name = pstr(ev, "name");
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(ev->payload,
							  "answer");

	if (!name || !cJSON_IsObject(a))
		return;
	cJSON_DeleteItemFromObjectCaseSensitive(r->registry, name);
	cJSON_AddItemToObject(r->registry, name, cJSON_Duplicate(a, 1));
}

/* The done time of STEP (rtoclock.h), added when new. */
static struct rto_done *
step_done(struct rep *r, const char *step)
{
	struct step_done *d;

	for (size_t i = 0; i < r->n_dones; i++)
		if (strcmp(r->dones[i].step, step) == 0)
			return &r->dones[i].d;
	r->dones = xrealloc(r->dones, (r->n_dones + 1) * sizeof(*r->dones));
	d = &r->dones[r->n_dones++];
	d->step = xstrdup(step);
	memset(&d->d, 0, sizeof(d->d));
	d->rerun_start = 0;
	return &d->d;
}

/* The execute phase's re-runs after it was left (a step reopened because
 * a variable it used changed, run again from a later phase): their
 * time counts in the time to execute. */
static void
note_rerun(struct rep *r, const struct journal_event *ev)
{
	enum phase_id ph;
	struct step_done *d;

	if (!r->exec_end_us || !r->pb ||
	    !playbook_find_step(r->pb, ev->step, &ph, NULL) ||
	    ph != PHASE_EXECUTE)
		return;
	step_done(r, ev->step);
	for (d = r->dones; strcmp(d->step, ev->step) != 0; d++)
		;
	if (strcmp(ev->type, "step.started") == 0) {
		d->rerun_start = ev->wall_us;
		if (!strstr(strbuf_str(&r->reruns), ev->step))
			strbuf_addf(&r->reruns, "%s%s", r->reruns.len ? ", "
				    : "", ev->step);
	} else if (d->rerun_start &&
		   (strcmp(ev->type, "step.finished") == 0 ||
		    strcmp(ev->type, "step.interrupted") == 0)) {
		r->exec_rerun_us += ev->wall_us - d->rerun_start;
		d->rerun_start = 0;
	}
}

/* A publish to the shared remote: summed into the summary's "shared"
 * (its remote, how many, the first and the last with the events and
 * head it held) instead of a timeline row each, since a session
 * publishes after nearly every event. */
static void
fold_publish(struct rep *r, const struct journal_event *ev)
{
	cJSON *n;

	if (!r->shared) {
		r->shared = cJSON_AddObjectToObject(r->summary, "shared");
		add_clean(r->shared, "remote", pstr(ev, "remote"));
		cJSON_AddNumberToObject(r->shared, "publishes", 0);
		add_time(r->shared, "first", ev->wall_us);
	}
	n = cJSON_GetObjectItem(r->shared, "publishes");
	cJSON_SetNumberValue(n, n->valuedouble + 1);
	cJSON_DeleteItemFromObject(r->shared, "last");
	cJSON_DeleteItemFromObject(r->shared, "events");
	cJSON_DeleteItemFromObject(r->shared, "head");
	add_time(r->shared, "last", ev->wall_us);
	n = cJSON_GetObjectItem(ev->payload, "events");
	cJSON_AddNumberToObject(r->shared, "events",
				cJSON_IsNumber(n) ? n->valuedouble : 0);
	add_clean(r->shared, "head", pstr(ev, "head"));
	if (!r->end_us || !r->complete)
		r->end_us = ev->wall_us;
}

static void
fold_event(struct rep *r, const struct journal_event *ev)
{
	struct strbuf what = STRBUF_INIT;
	cJSON *t = cJSON_CreateObject();
	char *phase;
	size_t i;

	if (strcmp(ev->type, "share.published") == 0) {
		fold_publish(r, ev);
		return;
	}
	if (strcmp(ev->type, "registry.answer") == 0)
		keep_answer(r, ev);
	if (!r->cur_phase && strcmp(ev->type, "session.started") == 0 &&
	    ev->phase)
		r->cur_phase = xstrdup(ev->phase);
	/* When it happened: the session's phase then (a phase change is in
	 * the phase it leaves), not the phase of the step it is about (a
	 * sign-off refused in communicate). */
	phase = xstrdup_or_null(r->cur_phase ? r->cur_phase : ev->phase);
	if (ev->step) {
		rtoclock_done_event(step_done(r, ev->step), ev->type,
				    ev->payload, ev->wall_us);
		note_rerun(r, ev);
	}
	for (i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
		if (strcmp(handlers[i].type, ev->type) == 0)
			break;
	if (i < sizeof(handlers) / sizeof(handlers[0]))
		handlers[i].fn(r, ev, &what);
	else
		on_other(r, ev, &what);
	if (!r->end_us || !r->complete)
		r->end_us = ev->wall_us;
	cJSON_AddNumberToObject(t, "seq", (double)ev->seq);
	add_time(t, "time", ev->wall_us);
	add_clean(t, "actor", timeline_actor(r, ev));
	add_clean(t, "phase", phase);
	free(phase);
	add_clean(t, "type", ev->type);
	add_clean(t, "what", strbuf_str(&what));
	cJSON_AddItemToArray(r->timeline, t);
	strbuf_done(&what);
}

/* --- reading the session ------------------------------------------------------ */

static char *
dir_file(const char *dir, const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

/* The journal's chain, and the playbook copy the session started from:
 * a report drawn from either when changed must not read as proof. */
static void
add_integrity(struct rep *r, const char *dir, const char *path)
{
	struct journal_verify v;
	struct evidence ev;
	struct err err = { 0 };
	cJSON *o = cJSON_AddObjectToObject(r->root, "integrity");
	int rc = journal_verify_file(path, &v, &err);

	if (rc == 0 && session_verify_copy(dir, &err) < 0) {
		cJSON_AddBoolToObject(o, "intact", 0);
		cJSON_AddBoolToObject(o, "playbook_changed", 1);
		add_clean(o, "reason", err.msg);
		cJSON_AddNumberToObject(o, "verified_events",
					(double)v.n_events);
		return;
	}
	if (rc == 0 && evidence_check(dir, &ev, &err) == 0 && ev.n_bad) {
		cJSON_AddBoolToObject(o, "intact", 0);
		cJSON_AddBoolToObject(o, "message_changed", 1);
		add_clean(o, "reason", ev.bad);
		cJSON_AddNumberToObject(o, "verified_events",
					(double)v.n_events);
		return;
	}
	cJSON_AddBoolToObject(o, "intact", rc == 0);
	if (rc < 0) {
		add_clean(o, "reason", err.msg);
		return;
	}
	cJSON_AddNumberToObject(o, "verified_events", (double)v.n_events);
	cJSON_AddStringToObject(o, "last_hash", v.last_hash);
	if (rc == 1) {
		cJSON_AddNumberToObject(o, "bad_line", (double)v.bad_line);
		cJSON_AddNumberToObject(o, "unverified_from",
					(double)v.unverified_from);
		r->unverified_from = v.unverified_from;
		add_clean(o, "reason", v.reason);
	}
	if (v.torn_bytes)
		cJSON_AddNumberToObject(o, "torn_bytes", (double)v.torn_bytes);
}

/* Fold every line that parses; returns how many did. */
static size_t
fold_journal(struct rep *r, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	size_t n = 0, unparsed = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct journal_event ev;

		if (nl && journal_event_parse(p, l, &ev, NULL) == 0) {
			fold_event(r, &ev);
			journal_event_done(&ev);
			n++;
		} else if (l) {
			unparsed++;
		}
		p += l + 1;
	}
	if (unparsed)
		cJSON_AddNumberToObject(cJSON_GetObjectItem(r->root, "integrity"),
					"unparsed_lines", (double)unparsed);
	return n;
}

static const char *
state_of(const struct rep *r, const char *id, const cJSON **entry)
{
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(r->states, id);

	*entry = o;
	return o ? jstr(o, "state") : "open";
}

/* Whether a step's report state says it was closed without being done
 * (n/a or skipped), which the checklist counts whatever the step's kind. */
static int
is_closed_unrun(const char *state)
{
	return strcmp(state, "n/a") == 0 || strcmp(state, "skipped") == 0;
}

/* A follow-up check (work for after the incident) not done in the
 * session: a follow-up item, whatever its state (open, skipped, n/a). */
static void
add_follow_up_step(struct rep *r, const struct pb_step *st, const cJSON *o,
		   const char *state)
{
	cJSON *f = cJSON_CreateObject();
	const char *why = strcmp(state, "n/a") == 0 ? jstr(o, "reason") : NULL;
	char *title = shown_title(r, st->title);
	char *txt = why && *why ? xasprintf("%s (n/a: %s)", title, why)
				: xstrdup(title);

	free(title);

	cJSON_AddStringToObject(f, "source", "playbook");
	add_clean(f, "step", st->id);
	add_clean(f, "text", txt);
	cJSON_AddItemToArray(r->followups, f);
	free(txt);
}

/* Whether step ST, never acted on, can no longer apply with the values
 * its condition's variables have at the end: it is n/a, not open work
 * (as the console marks it), though the session never moved past it. */
static int
cannot_apply(const struct rep *r, const struct pb_step *st)
{
	return !playbook_when_holds(&st->when, var_value, r) &&
	       !playbook_when_waiting_on(&st->when, var_value, r);
}

/* Whether step ST of phase PH, marked n/a, leaves work owed: a required
 * check, probe, or step of the verify phase (a verification nobody made).
 * An optional step marked n/a owes nothing and is no follow-up. */
static int
owed_check(const struct pb_step *st, enum phase_id ph)
{
	return st->required && (st->kind == STEP_KIND_CHECK ||
				st->kind == STEP_KIND_PROBE ||
				ph == PHASE_VERIFY);
}

/* Check steps of the playbook with what became of them, and steps of any
 * kind that were n/a'd or skipped, so the counts agree with the Not
 * applicable section; n/a'd ones are follow-ups too. */
/* A step that runs something (run, probe, wait) in state S, counted into
 * RAN (done, failed, open): the checklist's count tells them apart. */
static void
count_ran(const struct pb_step *st, const char *s, int ran[3])
{
	if (st->kind != STEP_KIND_RUN && st->kind != STEP_KIND_PROBE &&
	    st->kind != STEP_KIND_WAIT)
		return;
	ran[strcmp(s, "done") == 0 ? 0 : strcmp(s, "failed") == 0 ? 1 : 2]++;
}

static void
add_ran(cJSON *cl, const int ran[3])
{
	cJSON *o = cJSON_AddObjectToObject(cl, "run_steps");

	cJSON_AddNumberToObject(o, "done", ran[0]);
	cJSON_AddNumberToObject(o, "failed", ran[1]);
	cJSON_AddNumberToObject(o, "open", ran[2]);
}

static void
add_checklist(struct rep *r)
{
	cJSON *cl = cJSON_AddObjectToObject(r->root, "checklist");
	cJSON *items = cJSON_CreateArray();
	int n[5] = { 0 };	/* done, skipped, n/a, open, failed */
	static const char *const names[] = { "done", "skipped", "n/a", "open",
					     "failed" };
	int ran[3] = { 0 };	/* done, failed, open: steps that run */

	for (int ph = 0; r->pb && ph < PHASE_COUNT; ph++)
		for (size_t i = 0; i < r->pb->phases[ph].n_steps; i++) {
			const struct pb_step *st = &r->pb->phases[ph].steps[i];
			const cJSON *e;
			const char *s;
			cJSON *o;

			s = state_of(r, st->id, &e);
			if (!e && cannot_apply(r, st))
				s = "n/a";
			if (st->kind != STEP_KIND_CHECK && !is_closed_unrun(s)) {
				count_ran(st, s, ran);
				continue;
			}
			o = e ? cJSON_Duplicate(e, 1) : cJSON_CreateObject();
			if (!e) {
				add_clean(o, "step", st->id);
				char *title = shown_title(r, st->title);

				add_clean(o, "title", title);
				free(title);
				cJSON_AddStringToObject(o, "state", s);
				if (strcmp(s, "n/a") == 0)
					cJSON_AddBoolToObject(
						o, "condition_not_held", 1);
			}
			cJSON_AddStringToObject(o, "phase",
						playbook_phase_name((enum phase_id)ph));
			for (int k = 0; k < 5; k++)
				n[k] += strcmp(s, names[k]) == 0;
			if (st->follow_up && strcmp(s, "done") != 0)
				add_follow_up_step(r, st, o, s);
			else if (strcmp(s, "n/a") == 0 &&
			    !cJSON_IsTrue(cJSON_GetObjectItem(
				    o, "condition_not_held")) &&
			    owed_check(st, (enum phase_id)ph)) {
				cJSON *f = cJSON_CreateObject();
				char *title = shown_title(r, st->title);
				char *txt = xasprintf("%s (n/a: %s)", title,
						      jstr(o, "reason") ?
						      jstr(o, "reason") : "");

				free(title);

				cJSON_AddStringToObject(f, "source", "n/a");
				add_clean(f, "text", txt);
				cJSON_AddItemToArray(r->followups, f);
				free(txt);
			}
			cJSON_AddItemToArray(items, o);
		}
	for (int k = 0; k < 5; k++)
		cJSON_AddNumberToObject(cl, names[k], n[k]);
	cJSON_AddItemToObject(cl, "items", items);
	add_ran(cl, ran);
}

/* Every step marked n/a (any kind), with its reason. */
static void
add_not_applicable(struct rep *r)
{
	cJSON *list = cJSON_AddArrayToObject(r->root, "not_applicable");
	const cJSON *e;

	cJSON_ArrayForEach(e, r->states)
		if (jstr(e, "state") && strcmp(jstr(e, "state"), "n/a") == 0)
			cJSON_AddItemToArray(list, cJSON_Duplicate(e, 1));
}

/* Whether a command naming variable NAME ran to success. */
static int
ran_with(const struct rep *r, const char *name)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, r->commands) {
		const char *id = jstr(c, "step");
		const struct pb_step *st = id ? playbook_find_step(r->pb, id,
								   NULL, NULL)
					      : NULL;

		if (st && st->run && playbook_text_refs(st->run, name) &&
		    cJSON_IsTrue(cJSON_GetObjectItem(c, "ok")))
			return 1;
	}
	return 0;
}

/* The withdrawn note for VERSION by the registry answers journalled. */
static char *
journalled_note(const struct rep *r, const char *version)
{
	struct reg_answer *answers[16];
	const cJSON *a;
	size_t n = 0;
	char *note;

	cJSON_ArrayForEach(a, r->registry) {
		const struct pb_registry *def = NULL;
		char *text;

		for (size_t i = 0; i < r->pb->targets.n_registries; i++)
			if (strcmp(r->pb->targets.registries[i].name,
				   a->string) == 0)
				def = &r->pb->targets.registries[i];
		if (!def || n >= sizeof(answers) / sizeof(answers[0]))
			continue;
		text = cJSON_PrintUnformatted(a);
		answers[n] = reg_answer_from_json(text, strlen(text), def->type,
						  def->name, NULL);
		n += answers[n] != NULL;
		free(text);
	}
	note = withdrawn_note((const struct reg_answer *const *)answers, n,
			      version);
	for (size_t i = 0; i < n; i++)
		reg_answer_free(answers[i]);
	return note;
}

/* The variable whose last value is "latest" (the channel restored), or
 * NULL. */
static const char *
latest_var(const struct rep *r)
{
	const cJSON *kv;

	cJSON_ArrayForEach(kv, r->vars)
		if (cJSON_IsString(kv) && strcmp(kv->valuestring, "latest") == 0)
			return kv->string;
	return NULL;
}

/* VERSION without a leading v before its first digit. */
static const char *
strip_v(const char *version)
{
	if ((version[0] == 'v' || version[0] == 'V') &&
	    version[1] >= '0' && version[1] <= '9')
		return version + 1;
	return version;
}

/* What the session did that a reviewer must know: a restore to a
 * pre-release (onto latest, said so), or to a version the registry had
 * withdrawn (the operator went on anyway). */
static void
add_findings(struct rep *r)
{
	cJSON *list = cJSON_AddArrayToObject(r->root, "findings");
	const char *to = r->pb ? r->pb->header.to : NULL;
	const char *version = to ? var_value(to, r) : NULL;
	const char *from;
	const cJSON *d;
	char *note;

	cJSON_ArrayForEach(d, cJSON_GetObjectItem(r->summary, "duties"))
		cJSON_AddItemToArray(list, cJSON_Duplicate(d, 0));
	if (!version || !ran_with(r, to))
		return;
	note = prerelease_note(r->pb, to, version, latest_var(r));
	if (note || registry_version_is_prerelease_in(r->pb, version)) {
		char *text = note ? xasprintf("Restored a pre-release onto "
					      "latest (%s)", note)
			   : xasprintf("Restored to pre-release version %s "
				       "(%s): a pre-release in place of a "
				       "release", version, to);

		cJSON_AddItemToArray(list, cJSON_CreateString(text));
		free(text);
	}
	free(note);
	from = r->pb->header.from ? var_value(r->pb->header.from, r) : NULL;
	if (from && strcmp(strip_v(from), strip_v(version)) == 0) {
		char *text = xasprintf("Restored to %s (%s), the version rolled "
				       "back from (%s): the rollback changed "
				       "nothing", version, to,
				       r->pb->header.from);

		cJSON_AddItemToArray(list, cJSON_CreateString(text));
		free(text);
	}
	note = journalled_note(r, version);
	if (note) {
		char *text = xasprintf("Restored to %s version %s (%s)",
				       strstr(note, " is yanked") ? "yanked"
				       : "deprecated", version, note);

		cJSON_AddItemToArray(list, cJSON_CreateString(text));
		free(text);
	}
	free(note);
}

static int
is_version_var(const char *name)
{
	return strstr(name, "VERSION") || strstr(name, "TAG") ||
	       strstr(name, "ROLLBACK") || strstr(name, "RESTORE");
}

static void
add_versions(struct rep *r)
{
	cJSON *v = cJSON_AddObjectToObject(r->summary, "versions");
	const cJSON *kv;

	cJSON_ArrayForEach(kv, r->vars)
		if (is_version_var(kv->string))
			cJSON_AddStringToObject(v, kv->string, kv->valuestring);
}

/* Whether step ST was marked n/a by the operator (not by a condition) or,
 * when FAILED_TOO, failed: "ST marked n/a" / "ST failed" into ARR. */
static void
add_unproven_step(struct rep *r, const struct pb_step *st, int failed_too,
		  cJSON *arr)
{
	const cJSON *e;
	const char *s = state_of(r, st->id, &e);
	int failed = failed_too && strcmp(s, "failed") == 0;
	char *what;

	if (!failed && (strcmp(s, "n/a") != 0 ||
	    cJSON_IsTrue(cJSON_GetObjectItem(e, "condition_not_held"))))
		return;
	what = xasprintf("%s %s", st->id, failed ? "failed" : "marked n/a");
	cJSON_AddItemToArray(arr, cJSON_CreateString(what));
	free(what);
}

/* The required destructive run steps of the execute phase (the rollback
 * itself; a login or a checkout is not) marked n/a (not by a
 * condition: the rollback was never done), and the required run and probe
 * steps of the verify phase marked n/a or failed, "verify.health marked
 * n/a", into ARR: a recovery they were to do or prove was never proven
 * (the drill's score card says the same). */
static void
add_unproven(struct rep *r, cJSON *arr)
{
	const struct pb_phase *ex = r->pb ? &r->pb->phases[PHASE_EXECUTE] : NULL;
	const struct pb_phase *ph = r->pb ? &r->pb->phases[PHASE_VERIFY] : NULL;

	const char *sc = jstr(r->summary, "scenario");

	for (size_t i = 0; ex && i < ex->n_steps; i++)
		if (playbook_step_proof(r->pb, sc, PHASE_EXECUTE,
					&ex->steps[i]) == PB_PROOF_DONE)
			add_unproven_step(r, &ex->steps[i], 0, arr);
	for (size_t i = 0; ph && i < ph->n_steps; i++)
		if (playbook_step_proof(r->pb, sc, PHASE_VERIFY,
					&ph->steps[i]) == PB_PROOF_VERIFIED)
			add_unproven_step(r, &ph->steps[i], 1, arr);
}

/* Whether the session met its recovery-time target (the one the RTO
 * clock counted against, with the variables' final values): "rto_s" the
 * target (null: none), "rto_met" true, false, or null while an
 * incomplete session is still within it. A complete session whose
 * required verifications were marked n/a or failed did not prove its
 * recovery: "rto_met" false, and "rto_unproven" names them. */
/* When the first run of a step ROLLED_BACK_AT takes its time from
 * (time_of) started, per the journal, or 0; *STEP names it. */
static int64_t
rollback_ran_at(struct rep *r, const char **step)
{
	const struct pb_variable *v = r->pb ? playbook_find_var(r->pb,
						"ROLLED_BACK_AT") : NULL;
	int64_t first = 0;
	const cJSON *c;

	cJSON_ArrayForEach(c, r->commands) {
		int64_t t = parse_when(jstr(c, "time"));

		for (size_t k = 0; v && k < v->n_time_of; k++)
			if (jstr(c, "step") && t &&
			    strcmp(jstr(c, "step"), v->time_of[k]) == 0 &&
			    (!first || t < first)) {
				first = t;
				*step = v->time_of[k];
			}
	}
	return first;
}

/* The exact time the journal knows for ROLLED_BACK_AT: when the last of
 * the steps it takes its time from (time_of) was done, as the console
 * offers it (session_var_offer_us), or 0. */
static int64_t
rollback_done_at(struct rep *r)
{
	const struct pb_variable *v = r->pb ? playbook_find_var(r->pb,
						"ROLLED_BACK_AT") : NULL;
	int64_t last = 0;

	for (size_t k = 0; v && k < v->n_time_of; k++)
		for (size_t i = 0; i < r->n_dones; i++)
			if (strcmp(r->dones[i].step, v->time_of[k]) == 0 &&
			    r->dones[i].d.at > last)
				last = r->dones[i].d.at;
	return last;
}

/* Whether a step of the execute or verify phase was reopened and not done
 * again, and when the last such was done again (session.c's rule). */
static void
redo_facts(struct rep *r, struct rto_facts *f)
{
	for (size_t i = 0; r->pb && i < r->n_dones; i++) {
		enum phase_id ph;

		if (!playbook_find_step(r->pb, r->dones[i].step, &ph, NULL) ||
		    (ph != PHASE_EXECUTE && ph != PHASE_VERIFY))
			continue;
		f->redo_pending |= r->dones[i].d.redo;
		if (r->dones[i].d.redone > f->redone_us)
			f->redone_us = r->dones[i].d.redone;
	}
}

/* Where the recovery time ends: rtoclock_recovery_end, the console's
 * header's rule too. */
static int64_t
rto_end(struct rep *r, const char **which)
{
	struct rto_facts f = { 0 };
	int fixed;

	f.rolled_back_at = r->drill ? NULL : var_value("ROLLED_BACK_AT", r);
	f.ran_us = f.rolled_back_at ? rollback_ran_at(r, &f.ran_step) : 0;
	f.offered_us = rollback_done_at(r);
	f.verify_end_us = r->verify_end_us;
	f.end_us = r->end_us;
	f.complete = r->complete;
	redo_facts(r, &f);
	return rtoclock_recovery_end(&f, &fixed, which, r->rto_to,
				     sizeof(r->rto_to));
}

/* The target a drill's score card judged the recovery against (that of
 * the scenario's expected decision), so that the report and the card
 * give one verdict; 0 when there is no card or it has no target. */
static int64_t
card_rto(const struct rep *r)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(r->scorecard,
							  "rto_seconds");

	return cJSON_IsNumber(t) ? (int64_t)t->valuedouble * 1000000 : 0;
}

/* The verdict (rtoclock_verdict, the header's too) as "rto_status" (met,
 * missed, not proven, not decided) and "rto_met": true or false when met
 * or missed, null when not proven or not decided. */
static void
add_verdict(cJSON *m, const char *verdict)
{
	cJSON_AddStringToObject(m, "rto_status", verdict ? verdict
				: "not decided");
	if (verdict && strcmp(verdict, "met") == 0)
		cJSON_AddTrueToObject(m, "rto_met");
	else if (verdict && strcmp(verdict, "missed") == 0)
		cJSON_AddFalseToObject(m, "rto_met");
	else
		cJSON_AddNullToObject(m, "rto_met");
}

/* A drill scenario's own recovery-time target (its rto), which the
 * console's clock judges against while the drill is open; 0 when none. */
static int64_t
scenario_rto(const struct rep *r)
{
	const struct pb_scenario *sc = r->drill && r->pb &&
		jstr(r->summary, "scenario") ? playbook_find_scenario(
			r->pb, jstr(r->summary, "scenario")) : NULL;

	return sc ? sc->rto_us : 0;
}

static void
add_rto(struct rep *r, cJSON *m)
{
	int64_t target = card_rto(r) ? card_rto(r) : scenario_rto(r)
		? scenario_rto(r) : r->pb
		? playbook_rto_within(r->pb, var_value, r) : 0;
	/* Recovery counts from detection when the session has it: the
	 * console's clock counts by the same rule. */
	int from_detected;
	int64_t from = rtoclock_start(r->drill ? NULL
				      : var_value("DETECTED_AT", r),
				      r->start_us, &from_detected);
	const char *to;
	int64_t took = rto_end(r, &to) - from;
	cJSON *unproven;

	if (!target) {
		cJSON_AddNullToObject(m, "rto_s");
		cJSON_AddNullToObject(m, "rto_met");
		cJSON_AddNullToObject(m, "rto_status");
		return;
	}
	cJSON_AddNumberToObject(m, "rto_s", (double)(target / 1000000));
	if (card_rto(r) && cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
				r->scorecard, "rto_of")))
		cJSON_AddStringToObject(m, "rto_of", cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(r->scorecard,
							 "rto_of")));
	cJSON_AddNumberToObject(m, "rto_took_s", (double)(took / 1000000));
	cJSON_AddStringToObject(m, "rto_from", from_detected
				? "detection (DETECTED_AT)" : "the session start");
	cJSON_AddStringToObject(m, "rto_to", to);
	unproven = cJSON_AddArrayToObject(m, "rto_unproven");
	add_unproven(r, unproven);
	add_verdict(m, rtoclock_verdict(took / 1000000, target / 1000000,
					r->complete,
					cJSON_GetArraySize(unproven) > 0));
}

/* The recovery time: from detection (DETECTED_AT) to the end, as the RTO
 * counts (a drill by its own clock: the session start), and which start
 * it used. */
static void
add_total(struct rep *r, cJSON *m)
{
	int from_detected;
	int64_t from = rtoclock_start(r->drill ? NULL
				      : var_value("DETECTED_AT", r),
				      r->start_us, &from_detected);

	add_secs(m, "total_s", from, r->end_us);
	cJSON_AddStringToObject(m, "total_from", from_detected
				? "detection (DETECTED_AT)" : "the session start");
}

/* Metrics, as documented in rewind(1): detection is DETECTED_AT or the
 * session start; the incident start is INCIDENT_START or a note
 * "incident start: TIME". */
static void
add_metrics(struct rep *r)
{
	cJSON *m = cJSON_AddObjectToObject(r->root, "metrics");
	int64_t detected = r->detected_us ? r->detected_us : r->start_us;
	int64_t exec_end = r->exec_end_us ? r->exec_end_us
			 : r->exec_start_us ? r->end_us : 0;

	add_time(m, "incident_start", r->incident_us);
	add_time(m, "detected", detected);
	add_secs(m, "time_to_detect_s", r->incident_us, detected);
	add_secs(m, "time_to_decision_s", detected, r->decision_us);
	add_secs(m, "time_to_execute_s", r->exec_start_us,
		 exec_end ? exec_end + r->exec_rerun_us : 0);
	if (r->reruns.len) {
		add_secs(m, "execute_reruns_s", 1, 1 + r->exec_rerun_us);
		cJSON_AddStringToObject(m, "execute_reruns",
					strbuf_str(&r->reruns));
	}
	add_secs(m, "session_s", r->start_us, r->end_us);
	add_total(r, m);
	add_rto(r, m);
}

static void
rep_init(struct rep *r)
{
	memset(r, 0, sizeof(*r));
	r->root = cJSON_CreateObject();
	cJSON_AddStringToObject(r->root, "report", "rewind post-mortem");
	r->summary = cJSON_AddObjectToObject(r->root, "summary");
	r->timeline = cJSON_CreateArray();
	r->decisions = cJSON_CreateArray();
	r->approvals = cJSON_CreateArray();
	r->commands = cJSON_CreateArray();
	r->messages = cJSON_CreateArray();
	r->notes = cJSON_CreateArray();
	r->followups = cJSON_CreateArray();
	r->vars = cJSON_CreateObject();
	r->inputs = cJSON_CreateObject();
	r->states = cJSON_CreateObject();
	r->other = cJSON_CreateObject();
	r->injects = cJSON_CreateArray();
	r->registry = cJSON_CreateObject();
}

/* Every key and string of the report made harmless, whatever path it
 * took from the journal (event types, cells, score-card keys...). Already
 * sanitized text comes out unchanged. */
static void
sanitize_tree(cJSON *o)
{
	for (cJSON *c = o->child; c; c = c->next) {
		if (c->string && !(c->type & cJSON_StringIsConst) &&
		    !is_clean(c->string)) {
			char *k = clean(c->string);

			free(c->string);
			c->string = k;
		}
		if (cJSON_IsString(c) && !is_clean(c->valuestring)) {
			char *v = clean(c->valuestring);

			free(c->valuestring);
			c->valuestring = v;
		}
		sanitize_tree(c);
	}
}

/* The drill's scenario (its title, briefing and the game master's notes)
 * and its injections: those that fired, then those that never did. */
static void
add_drill(struct rep *r)
{
	const struct pb_scenario *sc = r->pb ? playbook_find_scenario(
		r->pb, jstr(r->summary, "scenario")) : NULL;
	cJSON *d, *o;

	if (!sc) {
		cJSON_Delete(r->injects);
		cJSON_AddItemToObject(r->root, "drill", cJSON_CreateNull());
		return;
	}
	d = cJSON_AddObjectToObject(r->root, "drill");
	o = cJSON_AddObjectToObject(d, "scenario");
	add_clean(o, "id", sc->id);
	add_clean(o, "title", sc->title);
	add_clean(o, "briefing", sc->briefing);
	add_clean(o, "description", sc->description);
	for (size_t i = 0; i < sc->n_injects; i++) {
		const struct pb_inject *in = &sc->injects[i];
		const cJSON *f;
		int fired = 0;
		char *what;

		cJSON_ArrayForEach(f, r->injects)
			fired |= jstr(f, "id") && strcmp(jstr(f, "id"),
							 in->id) == 0;
		if (fired)
			continue;
		o = cJSON_CreateObject();
		what = drill_describe_inject(in);
		add_clean(o, "id", in->id);
		cJSON_AddNullToObject(o, "time");
		add_clean(o, "alert", in->alert);
		add_clean(o, "what", what);
		free(what);
		cJSON_AddItemToArray(r->injects, o);
	}
	cJSON_AddItemToObject(d, "injections", r->injects);
}

/* The fired injections of INJ (the trainee saw them), copies. */
static cJSON *
fired_only(const cJSON *inj)
{
	cJSON *out = cJSON_CreateArray();
	const cJSON *in;

	cJSON_ArrayForEach(in, inj)
		if (jstr(in, "time"))
			cJSON_AddItemToArray(out, cJSON_Duplicate(in, 1));
	return out;
}

/* A drill not completed keeps its scenario from the trainee (the id
 * names the answer, the notes say it): the summary, the timeline's start
 * and the drill section say it is hidden, and list only what fired. */
static void
hide_open_scenario(struct rep *r)
{
	cJSON *d = cJSON_GetObjectItem(r->root, "drill"), *nd, *sc, *t;
	char *what;

	if (!r->drill || r->complete || !jstr(r->summary, "scenario"))
		return;
	cJSON_ReplaceItemInObject(r->summary, "scenario",
				  cJSON_CreateString(DRILL_SCENARIO_HIDDEN));
	what = xasprintf("session started (drill, scenario %s)",
			 DRILL_SCENARIO_HIDDEN);
	cJSON_ArrayForEach(t, r->timeline)
		if (jstr(t, "type") && strcmp(jstr(t, "type"),
					      "session.started") == 0)
			cJSON_ReplaceItemInObject(t, "what",
						  cJSON_CreateString(what));
	free(what);
	if (!cJSON_IsObject(d))
		return;
	nd = cJSON_CreateObject();
	sc = cJSON_AddObjectToObject(nd, "scenario");
	cJSON_AddStringToObject(sc, "id", DRILL_SCENARIO_HIDDEN);
	cJSON_AddItemToObject(nd, "injections", fired_only(
		cJSON_GetObjectItem(d, "injections")));
	cJSON_AddTrueToObject(nd, "injections_hidden");
	cJSON_ReplaceItemInObject(r->root, "drill", nd);
}

static void
rep_finish(struct rep *r)
{
	cJSON *undelivered = cJSON_CreateArray();
	const cJSON *m;

	cJSON_AddStringToObject(r->summary, "outcome",
				r->complete ? "complete" : "incomplete");
	add_time(r->summary, "started", r->start_us);
	add_time(r->summary, "ended", r->end_us);
	add_versions(r);
	add_metrics(r);
	add_checklist(r);
	add_not_applicable(r);
	add_findings(r);
	cJSON_ArrayForEach(m, r->messages) {
		const char *o = jstr(m, "outcome");

		if (o && strcmp(o, "sent") != 0 && strcmp(o, "delivered") != 0)
			cJSON_AddItemToArray(undelivered, cJSON_Duplicate(m, 1));
	}
	cJSON_AddItemToObject(r->root, "variables", r->vars);
	cJSON_AddItemToObject(r->root, "inputs", r->inputs);
	cJSON_AddItemToObject(r->root, "timeline", r->timeline);
	cJSON_AddItemToObject(r->root, "decisions", r->decisions);
	cJSON_AddItemToObject(r->root, "approvals", r->approvals);
	cJSON_AddItemToObject(r->root, "commands", r->commands);
	cJSON_AddItemToObject(r->root, "messages", r->messages);
	cJSON_AddItemToObject(r->root, "undelivered", undelivered);
	cJSON_AddItemToObject(r->root, "notes", r->notes);
	cJSON_AddItemToObject(r->root, "follow_ups", r->followups);
	cJSON_AddItemToObject(r->root, "scorecard", r->scorecard
			      ? r->scorecard : cJSON_CreateNull());
	add_drill(r);
	hide_open_scenario(r);
	cJSON_AddItemToObject(r->root, "other_events", r->other);
	cJSON_Delete(r->states);
	cJSON_Delete(r->registry);
	cJSON_Delete(r->world);
	for (size_t i = 0; i < r->n_dones; i++)
		free(r->dones[i].step);
	free(r->dones);
	strbuf_done(&r->reruns);
	playbook_free(r->pb);
	free(r->cur_phase);
	sanitize_tree(r->root);
}

cJSON *
report_build(const char *dir, struct err *err)
{
	struct strbuf text = STRBUF_INIT;
	char *jpath = dir_file(dir, "journal.jsonl");
	char *ppath = dir_file(dir, "playbook.json");
	struct rep r;

	if (strbuf_read_file(&text, jpath, JOURNAL_MAX, err) < 0) {
		strbuf_done(&text);
		free(jpath);
		free(ppath);
		return NULL;
	}
	rep_init(&r);
	r.pb = playbook_load_file(ppath, NULL);
	add_integrity(&r, dir, jpath);
	if (fold_journal(&r, strbuf_str(&text), text.len) == 0) {
		err_set(err, ERR_CORRUPT, "%s: no journal line can be read",
			jpath);
		rep_finish(&r);
		cJSON_Delete(r.root);
		r.root = NULL;
	} else {
		kept_unjournalled(&r, dir);
		rep_finish(&r);
	}
	strbuf_done(&text);
	free(jpath);
	free(ppath);
	return r.root;
}

/* --- Markdown ------------------------------------------------------------------- */

static const char *
s_or(const cJSON *o, const char *key, const char *dflt)
{
	const char *s = jstr(o, key);

	return s ? s : dflt;
}

/* A table cell: pipes escaped (the text is already sanitized). */
static void
cell(struct strbuf *out, const char *s)
{
	strbuf_adds(out, " ");
	for (; s && *s; s++) {
		if (*s == '|')
			strbuf_addc(out, '\\');
		strbuf_addc(out, *s);
	}
	strbuf_adds(out, " |");
}

static void
duration(struct strbuf *out, const cJSON *secs)
{
	double s;
	long long whole;

	if (!cJSON_IsNumber(secs)) {
		strbuf_adds(out, "n/a");
		return;
	}
	s = secs->valuedouble;
	/* whole seconds in 64 bits: an incident start in 1900 is over 2^31 s
	 * ago; past 10^15 s (or NaN) the figure means nothing anyway */
	if (!(s >= 0 && s < 1e15)) {
		strbuf_adds(out, "n/a");
		return;
	}
	whole = (long long)s;
	if (s < 60)
		strbuf_addf(out, "%.1fs", s);
	else if (s < 3600)
		strbuf_addf(out, "%lldm %02llds", whole / 60, whole % 60);
	else
		strbuf_addf(out, "%lldh %02lldm", whole / 3600,
			    whole % 3600 / 60);
}

/* The clock part of an RFC 3339 time, for the timeline. */
static const char *
clock_part(const char *t)
{
	const char *T = t ? strchr(t, 'T') : NULL;

	return T ? T + 1 : t ? t : "";
}

static void
md_banners(const cJSON *rep, struct strbuf *out)
{
	const cJSON *in = cJSON_GetObjectItem(rep, "integrity");
	const cJSON *und = cJSON_GetObjectItem(rep, "undelivered");
	const cJSON *m;

	if (!cJSON_IsTrue(cJSON_GetObjectItem(in, "intact"))) {
		const cJSON *bad = cJSON_GetObjectItem(in, "bad_line");

		strbuf_adds(out, "> **JOURNAL INTEGRITY BROKEN**");
		if (cJSON_IsNumber(bad))
			strbuf_addf(out, ": the hash chain breaks at line %d",
				    bad->valueint);
		strbuf_addf(out, " (%s). Everything below comes from the "
			    "lines that could be read; do not trust it as "
			    "proof.\n\n", s_or(in, "reason", "unknown"));
	}
	if (cJSON_GetArraySize(und) > 0) {
		strbuf_addf(out, "> **UNDELIVERED MESSAGES: %d**\n",
			    cJSON_GetArraySize(und));
		cJSON_ArrayForEach(m, und)
			strbuf_addf(out, "> - %s (%s): %s%s%s\n",
				    s_or(m, "title", "?"), s_or(m, "step", "?"),
				    s_or(m, "outcome", "?"),
				    jstr(m, "error") ? " - " : "",
				    s_or(m, "error", ""));
		strbuf_adds(out, "\n");
	}
}

static void
md_row2(struct strbuf *out, const char *k, const char *v)
{
	strbuf_adds(out, "|");
	cell(out, k);
	cell(out, v);
	strbuf_adds(out, "\n");
}

/* What a reviewer must know first; no section when there is none. */
static void
md_findings(const cJSON *rep, struct strbuf *out)
{
	const cJSON *f, *list = cJSON_GetObjectItem(rep, "findings");

	if (!cJSON_GetArraySize(list))
		return;
	strbuf_adds(out, "## Findings\n\n");
	cJSON_ArrayForEach(f, list)
		strbuf_addf(out, "- %s\n", cJSON_GetStringValue(f)
			    ? cJSON_GetStringValue(f) : "");
	strbuf_adds(out, "\n");
}

/* The Operator row: the one operator, or each with when they took over
 * (a session resumed under another name). */
static void
md_operators(struct strbuf *out, const cJSON *s)
{
	const cJSON *list = cJSON_GetObjectItem(s, "operators"), *o;
	struct strbuf v = STRBUF_INIT;

	if (cJSON_GetArraySize(list) < 2) {
		md_row2(out, "Operator", s_or(s, "operator", "?"));
		return;
	}
	cJSON_ArrayForEach(o, list)
		strbuf_addf(&v, "%s%s (from %s)", v.len ? ", then " : "",
			    s_or(o, "shown", "?"), s_or(o, "since", "?"));
	md_row2(out, "Operator", strbuf_str(&v));
	strbuf_done(&v);
}

/* "to REMOTE: 12 publishes, 14:02:11 to 14:20:40; the last held 57
 * events (head 3f2a...)". */
static void
md_shared(struct strbuf *out, const cJSON *sh)
{
	struct strbuf v = STRBUF_INIT;
	const cJSON *n = cJSON_GetObjectItem(sh, "publishes");
	const cJSON *ev = cJSON_GetObjectItem(sh, "events");

	if (!cJSON_IsObject(sh) || !cJSON_IsNumber(n))
		return;
	strbuf_addf(&v, "to %s: %d publish%s, %s to %s; the last held %d "
		    "events (head %.16s)", s_or(sh, "remote", "?"), n->valueint,
		    n->valueint == 1 ? "" : "es", s_or(sh, "first", "?"),
		    s_or(sh, "last", "?"), cJSON_IsNumber(ev) ? ev->valueint : 0,
		    s_or(sh, "head", "?"));
	md_row2(out, "Shared", strbuf_str(&v));
	strbuf_done(&v);
}

static void
md_summary(const cJSON *rep, struct strbuf *out)
{
	const cJSON *s = cJSON_GetObjectItem(rep, "summary");
	const cJSON *in = cJSON_GetObjectItem(rep, "integrity");
	const cJSON *kv;
	struct strbuf v = STRBUF_INIT;

	strbuf_adds(out, "## Summary\n\n| Item | Value |\n|---|---|\n");
	strbuf_addf(&v, "%s (%s)", s_or(s, "title", "?"), s_or(s, "playbook",
								"?"));
	md_row2(out, "Playbook", strbuf_str(&v));
	strbuf_reset(&v);
	strbuf_addf(&v, "%s%s%s", s_or(s, "mode", "?"), jstr(s, "scenario") ?
		    ", scenario " : "", s_or(s, "scenario", ""));
	md_row2(out, "Mode", strbuf_str(&v));
	md_row2(out, "Outcome", s_or(s, "outcome", "?"));
	md_operators(out, s);
	md_row2(out, "Started", s_or(s, "started", "?"));
	md_row2(out, "Ended", s_or(s, "ended", "?"));
	strbuf_reset(&v);
	cJSON_ArrayForEach(kv, cJSON_GetObjectItem(s, "versions"))
		strbuf_addf(&v, "%s%s = %s", v.len ? ", " : "", kv->string,
			    kv->valuestring);
	md_row2(out, "Versions", v.len ? strbuf_str(&v) : "none recorded");
	strbuf_reset(&v);
	strbuf_addf(&v, "%s, %d events verified",
		    cJSON_IsTrue(cJSON_GetObjectItem(in, "intact")) ? "intact"
								   : "BROKEN",
		    cJSON_GetObjectItem(in, "verified_events")
			    ? cJSON_GetObjectItem(in, "verified_events")->valueint
			    : 0);

	md_row2(out, "Journal", strbuf_str(&v));
	md_shared(out, cJSON_GetObjectItem(s, "shared"));
	strbuf_adds(out, "\n");
	strbuf_done(&v);
}

/* Where the recovery time was counted to (older reports: the end). */
static const char *
rto_to(const cJSON *m)
{
	const char *to = jstr(m, "rto_to");

	return to ? to : "the end of the session";
}

/* The RTO sentence of a session that never proved its recovery. */
static void
md_rto_unproven(const cJSON *m, const char *took, const char *target,
		struct strbuf *out)
{
	const cJSON *u;
	int first = 1;

	strbuf_addf(out, "RTO: **not proven**: %s counted from %s to %s "
		    "(target %s), but the recovery was never proven: ", took,
		    jstr(m, "rto_from"), rto_to(m), target);
	cJSON_ArrayForEach(u, cJSON_GetObjectItem(m, "rto_unproven")) {
		strbuf_addf(out, "%s%s", first ? "" : ", ",
			    cJSON_GetStringValue(u));
		first = 0;
	}
	strbuf_adds(out, ".\n\n");
}

/* One sentence: whether the recovery-time objective was met. */
static void
md_rto(const cJSON *m, const cJSON *rep, struct strbuf *out)
{
	const cJSON *met = cJSON_GetObjectItem(m, "rto_met");
	const char *status = jstr(m, "rto_status") ? jstr(m, "rto_status")
						   : "";
	const cJSON *complete = cJSON_GetObjectItem(cJSON_GetObjectItem(rep,
				"summary"), "outcome");
	struct strbuf target = STRBUF_INIT, took = STRBUF_INIT;

	if (!cJSON_IsNumber(cJSON_GetObjectItem(m, "rto_s"))) {
		strbuf_adds(out, "RTO: the playbook sets no recovery-time "
			    "target.\n\n");
		return;
	}
	duration(&target, cJSON_GetObjectItem(m, "rto_s"));
	duration(&took, cJSON_GetObjectItem(m, "rto_took_s"));
	if (jstr(m, "rto_of"))
		strbuf_addf(&target, " (that of the expected decision %s)",
			    jstr(m, "rto_of"));
	if (strcmp(status, "not proven") == 0)
		md_rto_unproven(m, took.buf, target.buf, out);
	else if (cJSON_IsTrue(met))
		strbuf_addf(out, "RTO: **met**: recovered in %s (counted from "
			    "%s to %s), within the target of %s.\n\n", took.buf,
			    jstr(m, "rto_from"), rto_to(m), target.buf);
	else if (cJSON_IsFalse(met))
		strbuf_addf(out, "RTO: **missed**: %s %s (counted from %s to %s) "
			    "against a target of %s.\n\n", strcmp(cJSON_GetStringValue(complete)
						? cJSON_GetStringValue(complete)
						: "", "complete") == 0
			    ? "recovered in" : "still open after", took.buf,
			    jstr(m, "rto_from"), rto_to(m), target.buf);
	else
		strbuf_addf(out, "RTO: not decided: the session is not complete "
			    "(%s so far, target %s).\n\n", took.buf, target.buf);
	strbuf_done(&target);
	strbuf_done(&took);
}

static void
md_metrics(const cJSON *rep, struct strbuf *out)
{
	const cJSON *m = cJSON_GetObjectItem(rep, "metrics");
	static const char *const rows[][2] = {
		{ "time_to_detect_s", "Time to detect" },
		{ "time_to_decision_s", "Time to decision" },
		{ "time_to_execute_s", "Time to execute" },
		{ "session_s", "Session length" },
	};
	struct strbuf v = STRBUF_INIT, label = STRBUF_INIT;

	strbuf_adds(out, "## Metrics\n\n| Metric | Value |\n|---|---|\n");
	md_row2(out, "Incident start", s_or(m, "incident_start",
		"not recorded (set INCIDENT_START or add a note "
		"\"incident start: TIME\")"));
	md_row2(out, "Detected", s_or(m, "detected", "?"));
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		strbuf_reset(&v);
		duration(&v, cJSON_GetObjectItem(m, rows[i][0]));
		/* Steps run again after the phase was left count too. */
		if (strcmp(rows[i][0], "time_to_execute_s") == 0 &&
		    s_or(m, "execute_reruns", NULL)) {
			strbuf_adds(&v, " (with ");
			duration(&v, cJSON_GetObjectItem(m,
							 "execute_reruns_s"));
			strbuf_addf(&v, " of re-runs after the phase: %s)",
				    s_or(m, "execute_reruns", ""));
		}
		md_row2(out, rows[i][1], strbuf_str(&v));
	}
	strbuf_reset(&v);
	duration(&v, cJSON_GetObjectItem(m, "total_s"));
	/* The session's length from detection, not the recovery time: the
	 * RTO line below is the one recovery time. */
	strbuf_addf(&label, "Session length from %s (to its end; not the "
		    "recovery time)", s_or(m, "total_from", "the session start"));
	md_row2(out, strbuf_str(&label), strbuf_str(&v));
	strbuf_done(&label);
	strbuf_adds(out, "\n");
	md_rto(m, rep, out);
	strbuf_done(&v);
}

static void
md_timeline(const cJSON *rep, struct strbuf *out)
{
	const cJSON *t;

	strbuf_adds(out, "## Timeline\n\n| Time | Actor | Phase | What |\n"
		    "|---|---|---|---|\n");
	cJSON_ArrayForEach(t, cJSON_GetObjectItem(rep, "timeline")) {
		strbuf_adds(out, "|");
		cell(out, clock_part(jstr(t, "time")));
		cell(out, s_or(t, "actor", ""));
		cell(out, s_or(t, "phase", ""));
		cell(out, s_or(t, "what", ""));
		strbuf_adds(out, "\n");
	}
	strbuf_adds(out, "\n");
}

static void
md_decisions(const cJSON *rep, struct strbuf *out)
{
	const cJSON *d, *kv;

	strbuf_adds(out, "## Decisions\n\n");
	if (cJSON_GetArraySize(cJSON_GetObjectItem(rep, "decisions")) == 0)
		strbuf_adds(out, "No decision was recorded.\n");
	cJSON_ArrayForEach(d, cJSON_GetObjectItem(rep, "decisions")) {
		const cJSON *f = cJSON_GetObjectItem(d, "followed");

		strbuf_addf(out, "- **%s** (%s): chose **%s** (`%s`) at %s by "
			    "%s.\n  Rationale: %s\n", s_or(d, "title", "?"),
			    s_or(d, "step", "?"), s_or(d, "label", "?"),
			    s_or(d, "option", "?"), s_or(d, "time", "?"),
			    s_or(d, "by", "?"), s_or(d, "rationale", ""));
		if (!cJSON_GetObjectItem(d, "cell"))
			continue;
		strbuf_adds(out, "  Matrix cell:");
		cJSON_ArrayForEach(kv, cJSON_GetObjectItem(d, "cell"))
			strbuf_addf(out, " %s = %s", kv->string,
				    kv->valuestring ? kv->valuestring : "");
		strbuf_addf(out, "; recommended `%s`, %s.\n",
			    s_or(d, "recommended", "?"), cJSON_IsTrue(f)
			    ? "followed" : "NOT followed");
	}
	strbuf_adds(out, "\n");
}

/* Each variable's value, who set it and when (the timeline has every
 * earlier value). */
static void
md_inputs(const cJSON *rep, struct strbuf *out)
{
	const cJSON *kv;

	strbuf_adds(out, "## Inputs\n\n| Variable | Value | Set by | When | "
		    "Times set |\n|---|---|---|---|---|\n");
	cJSON_ArrayForEach(kv, cJSON_GetObjectItem(rep, "inputs")) {
		const char *by = s_or(kv, "by", "");

		strbuf_adds(out, "|");
		cell(out, kv->string);
		cell(out, s_or(kv, "value", ""));
		cell(out, strcmp(by, "rewind") == 0 ? "the playbook's default"
						      : by);
		cell(out, s_or(kv, "time", ""));
		strbuf_addf(out, " %d |\n", cJSON_GetObjectItem(kv, "times")
					     ->valueint);
	}
	strbuf_adds(out, "\n");
}

/* A voided approval's status: why, and when steps ran under it first,
 * which ran while it was valid and which remain unapproved. */
static char *
void_status(const cJSON *a)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "VOIDED: %s", s_or(a, "void_reason", ""));
	if (cJSON_GetArraySize(cJSON_GetObjectItem(a, "ran_while_valid")))
		void_steps_text(a, &sb);
	return strbuf_detach(&sb);
}

static void
md_approvals(const cJSON *rep, struct strbuf *out)
{
	const cJSON *a;

	strbuf_adds(out, "## Approvals\n\n| Step | Role | Name | When | "
		    "Entered | Comment | Status |\n"
		    "|---|---|---|---|---|---|---|\n");
	cJSON_ArrayForEach(a, cJSON_GetObjectItem(rep, "approvals")) {
		int voided = cJSON_IsTrue(cJSON_GetObjectItem(a, "voided"));
		int unproven = cJSON_IsTrue(cJSON_GetObjectItem(a,
								 "unverified"));
		char *status = voided ? void_status(a)
			     : jstr(a, "invalid")
			     ? xasprintf("NOT VALID: %s", jstr(a, "invalid"))
			     : unproven ? xasprintf("UNVERIFIED: journal line "
						    "%d is not proven",
						    cJSON_GetObjectItem(a, "line")
							    ->valueint)
			     : jstr(a, "not_counted")
			     ? xasprintf("not counted in this drill: %s",
					 jstr(a, "not_counted"))
				      : xstrdup("valid");

		strbuf_adds(out, "|");
		cell(out, s_or(a, "step", ""));
		cell(out, s_or(a, "role", ""));
		cell(out, s_or(a, "shown", s_or(a, "name", "")));
		cell(out, s_or(a, "time", ""));
		cell(out, s_or(a, "entered", ""));
		cell(out, s_or(a, "comment", ""));
		cell(out, status);
		strbuf_adds(out, "\n");
		free(status);
	}
	strbuf_adds(out, "\n");
}

static void
md_commands(const cJSON *rep, struct strbuf *out)
{
	const cJSON *c;
	struct strbuf v = STRBUF_INIT;

	strbuf_adds(out, "## Commands\n\n| Step | Command | With its values | "
		    "Exit | Duration | Result |\n|---|---|---|---|---|---|\n");
	cJSON_ArrayForEach(c, cJSON_GetObjectItem(rep, "commands")) {
		const cJSON *ok = cJSON_GetObjectItem(c, "ok");
		const cJSON *ms = cJSON_GetObjectItem(c, "duration_ms");
		cJSON *secs = cJSON_CreateNumber(cJSON_IsNumber(ms)
						 ? ms->valuedouble / 1000 : 0);

		strbuf_adds(out, "|");
		cell(out, s_or(c, "step", ""));
		cell(out, s_or(c, "command", ""));
		cell(out, s_or(c, "resolved", ""));
		strbuf_reset(&v);
		if (cJSON_GetObjectItem(c, "exit"))
			strbuf_addf(&v, "%d", cJSON_GetObjectItem(c, "exit")
					->valueint);
		cell(out, strbuf_str(&v));
		strbuf_reset(&v);
		if (ms)
			duration(&v, secs);
		cell(out, strbuf_str(&v));
		strbuf_reset(&v);
		if (jstr(c, "cancelled_by"))
			strbuf_addf(&v, "cancelled by %s \u2014 ",
				    jstr(c, "cancelled_by"));
		strbuf_addf(&v, "%s%s%s%s", cJSON_IsTrue(cJSON_GetObjectItem(
				    c, "interrupted"))
			    ? (jstr(c, "cancelled_by") ? "outcome unknown"
			       : jstr(c, "interrupted_by")
			       ? "cancelled \u2014 outcome unknown"
			       : "interrupted \u2014 outcome unknown")
			    : !ok ? "no result" : cJSON_IsTrue(ok)
			    ? "ok" : "FAILED", jstr(c, "reason") ? ": " : "",
			    s_or(c, "reason", ""), cJSON_IsTrue(
				    cJSON_GetObjectItem(c, "drill"))
			    ? " (drill)" : "");
		if (jstr(c, "checked"))
			strbuf_addf(&v, "; %s", jstr(c, "checked"));
		if (jstr(c, "kept"))
			strbuf_addf(&v, "; ended after the console quit: %s",
				    jstr(c, "kept"));
		if (cJSON_IsTrue(cJSON_GetObjectItem(c, "output_may_be_cut")))
			strbuf_adds(&v, "; its output may be cut off (the "
				    "console was killed)");
		if (jstr(c, "stopped_by"))
			strbuf_addf(&v, "; stopped by %s after the console "
				    "quit%s%s", jstr(c, "stopped_by"),
				    jstr(c, "orphan_ended") ? ": " : "",
				    s_or(c, "orphan_ended", ""));
		else if (jstr(c, "orphan_ended"))
			strbuf_addf(&v, "; its process ended by itself after "
				    "the console quit: %s",
				    jstr(c, "orphan_ended"));
		cell(out, strbuf_str(&v));
		strbuf_adds(out, "\n");
		cJSON_Delete(secs);
	}
	strbuf_adds(out, "\n");
	strbuf_done(&v);
}

/* The box of a checklist line: ticked when done, the console's marks for
 * n/a and skipped (never the empty box of open work), empty otherwise. */
static const char *
checklist_box(const char *state)
{
	if (strcmp(state, "done") == 0)
		return "x";
	if (strcmp(state, "n/a") == 0)
		return "/";
	if (strcmp(state, "skipped") == 0)
		return "-";
	return " ";
}

static void
md_checklist(const cJSON *rep, struct strbuf *out)
{
	const cJSON *cl = cJSON_GetObjectItem(rep, "checklist");
	const cJSON *run = cJSON_GetObjectItem(cl, "run_steps");
	const cJSON *i;

	strbuf_addf(out, "## Checklist\n\n%d done, %d skipped, %d n/a, %d open"
		    " (the checks, and every step closed without running)",
		    cJSON_GetObjectItem(cl, "done")->valueint,
		    cJSON_GetObjectItem(cl, "skipped")->valueint,
		    cJSON_GetObjectItem(cl, "n/a")->valueint,
		    cJSON_GetObjectItem(cl, "open")->valueint);
	if (run)
		strbuf_addf(out, "; the steps that run something: %d done, "
			    "%d failed, %d open (see Commands)",
			    cJSON_GetObjectItem(run, "done")->valueint,
			    cJSON_GetObjectItem(run, "failed")->valueint,
			    cJSON_GetObjectItem(run, "open")->valueint);
	strbuf_adds(out, "\n\n");
	cJSON_ArrayForEach(i, cJSON_GetObjectItem(cl, "items")) {
		const char *st = s_or(i, "state", "open");

		strbuf_addf(out, "- [%s] %s (%s)", checklist_box(st),
			    s_or(i, "title", "?"), s_or(i, "step", "?"));
		if (strcmp(st, "done") != 0)
			strbuf_addf(out, " - %s", st);
		if (cJSON_IsTrue(cJSON_GetObjectItem(i, "condition_not_held")))
			strbuf_adds(out, " (condition did not hold)");
		else if (jstr(i, "reason"))
			strbuf_addf(out, ": %s", jstr(i, "reason"));
		if (jstr(i, "by"))
			strbuf_addf(out, " (by %s)", jstr(i, "by"));
		strbuf_adds(out, "\n");
	}
	strbuf_adds(out, "\n");
}

static void
md_not_applicable(const cJSON *rep, struct strbuf *out)
{
	const cJSON *list = cJSON_GetObjectItem(rep, "not_applicable");
	const cJSON *e;

	strbuf_adds(out, "## Not applicable\n\n");
	if (cJSON_GetArraySize(list) == 0)
		strbuf_adds(out, "No step was marked n/a.\n");
	cJSON_ArrayForEach(e, list)
		if (cJSON_IsTrue(cJSON_GetObjectItem(e, "condition_not_held")))
			strbuf_addf(out, "- %s (%s): condition did not hold "
				    "(%s)\n", s_or(e, "title", "?"),
				    s_or(e, "step", "?"), s_or(e, "time", "?"));
		else
			strbuf_addf(out, "- %s (%s): %s (by %s, %s)\n",
				    s_or(e, "title", "?"), s_or(e, "step", "?"),
				    s_or(e, "reason", "no reason given"),
				    s_or(e, "by", "?"), s_or(e, "time", "?"));
	strbuf_adds(out, "\n");
}

static void
md_messages(const cJSON *rep, struct strbuf *out)
{
	const cJSON *m;

	strbuf_adds(out, "## Messages\n\n| Step | Channel | Outcome | File | "
		    "SHA-256 |\n|---|---|---|---|---|\n");
	cJSON_ArrayForEach(m, cJSON_GetObjectItem(rep, "messages")) {
		strbuf_adds(out, "|");
		cell(out, s_or(m, "step", ""));
		cell(out, s_or(m, "channel", ""));
		cell(out, s_or(m, "outcome", ""));
		cell(out, s_or(m, "path", s_or(m, "url", "")));
		cell(out, s_or(m, "sha256", s_or(m, "digest", "")));
		strbuf_adds(out, "\n");
	}
	strbuf_adds(out, "\n");
	cJSON_ArrayForEach(m, cJSON_GetObjectItem(rep, "messages"))
		if (s_or(m, "written_to", NULL))
			strbuf_addf(out, "%s was also written to %s.\n\n",
				    s_or(m, "step", "?"),
				    s_or(m, "written_to", NULL));
}

static void
md_lists(const cJSON *rep, struct strbuf *out)
{
	const cJSON *n;

	strbuf_adds(out, "## Notes\n\n");
	cJSON_ArrayForEach(n, cJSON_GetObjectItem(rep, "notes"))
		strbuf_addf(out, "- %s %s: %s\n", s_or(n, "time", ""),
			    s_or(n, "by", ""), s_or(n, "text", ""));
	if (!cJSON_GetArraySize(cJSON_GetObjectItem(rep, "notes")))
		strbuf_adds(out, "Nobody wrote a note.\n");
	strbuf_adds(out, "\n## Follow-up items\n\n");
	cJSON_ArrayForEach(n, cJSON_GetObjectItem(rep, "follow_ups"))
		strbuf_addf(out, "- [ ] %s (from %s)\n", s_or(n, "text", ""),
			    s_or(n, "source", ""));
	if (!cJSON_GetArraySize(cJSON_GetObjectItem(rep, "follow_ups")))
		strbuf_adds(out, "None: no step was left for later.\n");
	strbuf_adds(out, "\n");
}

/* What injection IN changed, without the alert its description starts
 * with (the table has a column of its own for that). */
static const char *
changed_part(const cJSON *in)
{
	const char *what = s_or(in, "what", "");
	const char *alert = jstr(in, "alert");
	size_t n = alert ? strlen(alert) : 0;

	if (alert && strncmp(what, "alert: ", 7) == 0 &&
	    strncmp(what + 7, alert, n) == 0) {
		what += 7 + n;
		what += strspn(what, "; ");
	}
	return *what ? what : "nothing (an alert only)";
}

/* The drill's scenario and its injections: when each fired (and who
 * fired it: after a step, at its time, or the game master), the alert it
 * raised and what it changed. */
static void
md_drill(const cJSON *rep, struct strbuf *out)
{
	const cJSON *d = cJSON_GetObjectItem(rep, "drill");
	const cJSON *sc = cJSON_GetObjectItem(d, "scenario");
	const cJSON *in;

	if (!cJSON_IsObject(sc))
		return;
	strbuf_addf(out, "## Drill\n\nScenario **%s**: %s\n\n",
		    s_or(sc, "id", "?"), s_or(sc, "title", ""));
	if (jstr(sc, "briefing"))
		strbuf_addf(out, "Briefing: %s\n\n", jstr(sc, "briefing"));
	if (jstr(sc, "description"))
		strbuf_addf(out, "Game master's notes: %s\n\n",
			    jstr(sc, "description"));
	if (cJSON_IsTrue(cJSON_GetObjectItem(d, "injections_hidden"))) {
		/* never how many: that too is the game master's */
		strbuf_adds(out, "Injections that have not fired are hidden "
			    "until the drill ends.\n\n");
		if (!cJSON_GetArraySize(cJSON_GetObjectItem(d, "injections")))
			return;
	} else if (!cJSON_GetArraySize(cJSON_GetObjectItem(d, "injections"))) {
		strbuf_adds(out, "The scenario has no injections.\n\n");
		return;
	}
	strbuf_adds(out, "| Injection | Fired | Alert | What it changed |\n"
		    "|---|---|---|---|\n");
	cJSON_ArrayForEach(in, cJSON_GetObjectItem(d, "injections")) {
		char when[96];

		if (!jstr(in, "time"))
			snprintf(when, sizeof(when), "never");
		else if (jstr(in, "fired"))
			snprintf(when, sizeof(when), "%s by the %s",
				 clock_part(jstr(in, "time")), jstr(in, "fired"));
		else if (jstr(in, "after"))
			snprintf(when, sizeof(when), "%s after %s",
				 clock_part(jstr(in, "time")), jstr(in, "after"));
		else
			snprintf(when, sizeof(when), "%s",
				 clock_part(jstr(in, "time")));
		strbuf_adds(out, "|");
		cell(out, s_or(in, "id", ""));
		cell(out, when);
		cell(out, s_or(in, "alert", "(none)"));
		cell(out, changed_part(in));
		strbuf_adds(out, "\n");
	}
	strbuf_adds(out, "\n");
}

/* The drill's score card as tables (drill_scorecard_render). */
static void
md_scorecard(const cJSON *rep, struct strbuf *out)
{
	const cJSON *sc = cJSON_GetObjectItem(rep, "scorecard");

	md_drill(rep, out);
	if (!cJSON_IsObject(sc))
		return;
	strbuf_adds(out, "## Drill score card\n\n");
	drill_scorecard_render(sc, 1, out);
	strbuf_adds(out, "\n");
}

/* The other events' counts, in words: what each kind of event is, not
 * its type name ("step.confirm_mismatch"), as other_words says one. */
static const struct {
	const char *type, *words;
} other_counted[] = {
	{ "step.predicted", "predictions made before a run" },
	{ "step.confirmed", "typed confirmations that matched" },
	{ "step.confirm_mismatch", "typed confirmations that did not match" },
	{ "drill.world", "changes of the drill's world" },
	{ "action.refused", "actions refused" },
	{ "session.resumed", "resumes" },
	{ "session.quit", "consoles quit" },
	{ "share.offline", "times the shared remote could not be reached" },
	{ "share.rejected", "publishes refused by the shared remote" },
	{ "share.taken", "take-overs of this copy noticed" },
};

static void
md_other_events(const cJSON *rep, struct strbuf *out)
{
	const cJSON *kv;

	if (!cJSON_GetArraySize(cJSON_GetObjectItem(rep, "other_events")))
		return;
	strbuf_adds(out, "## Other events\n\n");
	cJSON_ArrayForEach(kv, cJSON_GetObjectItem(rep, "other_events")) {
		const char *words = NULL;

		for (size_t i = 0; i < sizeof(other_counted) /
				   sizeof(other_counted[0]) && !words; i++)
			if (strcmp(kv->string, other_counted[i].type) == 0)
				words = other_counted[i].words;
		if (words)
			strbuf_addf(out, "- %s: %d\n", words, kv->valueint);
		else
			strbuf_addf(out, "- other events (%s): %d\n", kv->string,
				    kv->valueint);
	}
	strbuf_adds(out, "\n");
}

void
report_render_md(const cJSON *rep, struct strbuf *out)
{
	const cJSON *s = cJSON_GetObjectItem(rep, "summary");

	strbuf_addf(out, "# Post-mortem: %s\n\n", s_or(s, "title", "session"));
	md_banners(rep, out);
	md_findings(rep, out);
	md_summary(rep, out);
	md_metrics(rep, out);
	md_timeline(rep, out);
	md_decisions(rep, out);
	md_inputs(rep, out);
	md_approvals(rep, out);
	md_commands(rep, out);
	md_checklist(rep, out);
	md_not_applicable(rep, out);
	md_messages(rep, out);
	md_lists(rep, out);
	md_scorecard(rep, out);
	md_other_events(rep, out);
	strbuf_adds(out, "_Draft generated by rewind from the session journal._\n");
}

/* --- files ------------------------------------------------------------------------ */

static int
write_atomic(const char *dir, const char *name, const char *text,
	     struct err *err)
{
	char *path = dir_file(dir, name);
	char *tmp = xasprintf("%s.tmp", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	size_t len = strlen(text), off = 0;
	int rc = -1;

	if (fd < 0) {
		err_set(err, ERR_IO, "cannot create %s: %s", tmp,
			strerror(errno));
		goto out;
	}
	while (off < len) {
		ssize_t n = write(fd, text + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err_set(err, ERR_IO, "cannot write %s: %s", tmp,
				strerror(errno));
			close(fd);
			unlink(tmp);
			goto out;
		}
		off += (size_t)n;
	}
	if (fsync(fd) < 0 || close(fd) < 0 || rename(tmp, path) < 0) {
		err_set(err, ERR_IO, "cannot write %s: %s", path,
			strerror(errno));
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	free(tmp);
	free(path);
	return rc;
}

int
report_write_session(const char *dir, struct err *err)
{
	struct strbuf md = STRBUF_INIT;
	cJSON *rep = report_build(dir, err);
	char *json;
	int rc;

	if (!rep)
		return -1;
	report_render_md(rep, &md);
	json = cJSON_Print(rep);
	rc = write_atomic(dir, "report.md", strbuf_str(&md), err);
	if (rc == 0)
		rc = write_atomic(dir, "report.json", json, err);
	free(json);
	strbuf_done(&md);
	cJSON_Delete(rep);
	return rc;
}
