/* The console: curses set-up and tear-down, the event loop shared with the
 * core, key dispatch through the keymap, layout, and redraw. */
#include "config.h"
#include "app.h"

#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "action.h"
#include "banner.h"
#include "cli.h"
#include "clock.h"
#include "draw.h"
#include "drill.h"
#include "err.h"
#include "evtext.h"
#include "share.h"
#include "journal.h"
#include "jsonutf8.h"
#include "keymap.h"
#include "logbuf.h"
#include "loop.h"
#include "outbox.h"
#include "replay_ui.h"
#include "sanitize.h"
#include "say.h"
#include "term.h"
#include "testhook.h"
#include "theme.h"
#include "timefmt.h"
#include "xalloc.h"

#define FRAME_US 16000		/* at most one redraw per 16 ms */
#define OUTPUT_FRAME_US 33000	/* when only output came: 30 a second */


const char *
app_lookup(const char *name, const void *arg)
{
	return session_var(arg, name);
}

void
app_dirty(struct app *a)
{
	a->dirty = 1;
}

int
app_world_shown(const struct app *a)
{
	return session_mode(a->session) != SESSION_DRILL || a->watch ||
	       a->replay || session_is_complete(a->session);
}

void
app_status(struct app *a, int is_error, const char *fmt, ...)
{
	va_list ap;

	if (a->status_alert)
		return;
	va_start(ap, fmt);
	vsnprintf(a->status, sizeof(a->status), fmt, ap);
	va_end(ap);
	a->status_is_error = is_error;
	a->n_refusals += is_error != 0;
	a->dirty = 1;
	/* Cut at the screen's edge: the whole of it stays findable. Not in
	 * a replay, whose Output tab shows what the live one showed. */
	if (stdscr && a->log && !a->replay && draw_width(a->status) >
				bars_status_room(a, COLS)) {
		char *line = xasprintf("status: %s", a->status);

		logbuf_add(a->log, LOG_ALERT, line);
		free(line);
	}
}

const char *
app_pane_name(enum pane_id id)
{
	static const char *const names[PANE_COUNT] = {
		[PANE_STEPS] = "Checklist", [PANE_DETAIL] = "Step",
		[PANE_LOG] = "Output", [PANE_JOURNAL] = "Journal",
		[PANE_TARGETS] = "Targets", [PANE_TAGS] = "Tags",
		[PANE_REGISTRY] = "Registry",
	};

	return names[id];
}

/* --- the checklist model ------------------------------------------------------ */

/* On entering the approve phase the side area shows the step pane (what
 * the operator asks to be signed, and the approver's command), whatever
 * tab was shown before, and the checklist takes the keys. */
static void
show_what_to_sign(struct app *a)
{
	a->side = PANE_DETAIL;
	a->focus = PANE_STEPS;
}

void
app_refresh_steps(struct app *a)
{
	enum phase_id phase;
	size_t n;
	struct step_view v;
	long was;

	if (!a->session)
		return;	/* events of the opening itself */
	phase = session_phase(a->session);
	n = session_n_steps(a->session);
	/* The selection stays on its step when rows come or go (an approval
	 * from another terminal removes an "again:" row above it). */
	was = a->sel >= 0 && a->sel < a->n_visible ? (long)a->visible[a->sel]
						   : -1;
	a->n_visible = 0;
	if (a->visible_cap < n) {
		a->visible = xrealloc(a->visible, n * sizeof(*a->visible));
		a->visible_cap = n;
	}
	for (size_t i = 0; i < n; i++) {
		session_step_view(a->session, i, &v);
		/* Earlier phases show only what needs action again, and
		 * the step under the cursor until the cursor leaves it: a
		 * reopened step done again never slides another step
		 * under the cursor, for Enter to act on (not in a replay,
		 * which shows what the operator saw and acts on nothing). */
		if (v.phase == phase || (v.phase < phase && v.active &&
					 (v.state == STEP_OPEN ||
					  v.state == STEP_FAILED ||
					  v.state == STEP_INTERRUPTED)) ||
		    ((long)i == was && (int)phase == a->last_phase &&
		     !a->replay))
			a->visible[a->n_visible++] = i;
	}
	for (int i = 0; was >= 0 && i < a->n_visible; i++)
		if ((long)a->visible[i] == was)
			a->sel = i;
	if (a->sel >= a->n_visible)
		a->sel = a->n_visible ? a->n_visible - 1 : 0;
	if ((int)phase != a->last_phase) {
		if (a->last_phase >= 0 && phase == PHASE_APPROVE)
			show_what_to_sign(a);
		a->last_phase = (int)phase;
		a->sel = pane_steps_first_applicable(a);
		a->steps_top = 0;
	}
}

const char *
app_briefing(const struct app *a)
{
	const char *id = session_scenario(a->session);
	const struct pb_scenario *sc = id && a->pb
		? playbook_find_scenario(a->pb, id) : NULL;

	if (!sc)
		return NULL;
	return sc->briefing ? sc->briefing
			    : "none: the game master sets the scene";
}

void
app_show_briefing(struct app *a)
{
	const char *text = app_briefing(a);
	char *line;

	if (!text)
		return;
	/* The number, never the id: "port-in-use" would give it away. */
	line = xasprintf("Briefing (Scenario %zu):", playbook_scenario_number(
		session_playbook(a->session), playbook_find_scenario(
			session_playbook(a->session),
			session_scenario(a->session))));
	logbuf_add(a->log, LOG_RUN, line);
	logbuf_add(a->log, LOG_OUTPUT, text);
	free(line);
}

int
app_step_at(const struct app *a, int i, struct step_view *out)
{
	if (i < 0 || i >= a->n_visible)
		return -1;
	return session_step_view(a->session, a->visible[i], out);
}

/* --- acting on the session ------------------------------------------------------- */

/* Apply LINE; a refusal, and when REPORT what was done, go to the status
 * line in the console's words (say.h). */
static int
apply_line(struct app *a, const char *line, int report, struct err *why)
{
	struct action act;
	struct err err = { 0 };
	char words[sizeof(a->status)];
	int rc = action_parse(line, &act, &err);

	if (rc <= 0) {
		app_status(a, 1, "not done: the console could not pass this "
			   "on (%s)", rc < 0 ? err.msg : "nothing to do");
		return -1;
	}
	rc = session_apply(a->session, &act, NULL, &err);
	if (rc < 0) {
		say_refusal(&act, err.msg, words, sizeof(words));
		app_status(a, 1, "%s", words);
	} else if (report) {
		say_done(&act, rc == 1, words, sizeof(words));
		app_status(a, 0, "%s", words);
	}
	if (why)
		*why = err;
	action_done(&act);
	app_refresh_steps(a);
	app_dirty(a);
	return rc;
}

int
app_apply(struct app *a, const char *line)
{
	return apply_line(a, line, 0, NULL);
}

int
app_apply_why(struct app *a, const char *line, struct err *why)
{
	return apply_line(a, line, 0, why);
}

int
app_apply_report(struct app *a, const char *line)
{
	return apply_line(a, line, 1, NULL);
}

/* --- events from the core ---------------------------------------------------------- */

int
app_event_summary(const char *line, char *buf, size_t size)
{
	cJSON *ev = jsonutf8_parse(line, strlen(line), NULL);
	const char *type, *step, *actor;
	char when[16];
	int alert;

	if (!ev)
		return -1;
	type = cJSON_GetStringValue(cJSON_GetObjectItem(ev, "type"));
	step = cJSON_GetStringValue(cJSON_GetObjectItem(ev, "step"));
	actor = cJSON_GetStringValue(cJSON_GetObjectItem(ev, "actor"));
	if (!step && type && strcmp(type, "var.set") == 0)	/* which one */
		step = cJSON_GetStringValue(cJSON_GetObjectItem(
			cJSON_GetObjectItem(ev, "payload"), "name"));
	timefmt_rfc3339(cJSON_GetStringValue(cJSON_GetObjectItem(ev, "wall")),
			TF_HMS, when, sizeof(when));
	snprintf(buf, size, "%.8s %-20s %-22s %s", when,
		 type ? type : "?", step ? step : "", actor ? actor : "");
	alert = type && (strcmp(type, "action.refused") == 0 ||
			 strcmp(type, "approval.voided") == 0 ||
			 strcmp(type, "step.interrupted") == 0);
	cJSON_Delete(ev);
	return alert;
}

/* A log pattern over its threshold, in words. */
static void
threshold_text(const cJSON *p, char *buf, size_t size)
{
	const char *log = cJSON_GetStringValue(cJSON_GetObjectItem(p, "log"));
	const char *pat = cJSON_GetStringValue(cJSON_GetObjectItem(p,
								   "pattern"));

	snprintf(buf, size, "log %s: %d x %s (threshold %d)",
		 log ? log : "?",
		 (int)cJSON_GetNumberValue(cJSON_GetObjectItem(p, "count")),
		 pat ? pat : "?",
		 (int)cJSON_GetNumberValue(cJSON_GetObjectItem(p,
							       "threshold")));
}

/* A scenario's injected log lines, as a followed log's: "NAME: line". */
static void
injected_lines(const cJSON *p, app_output_cb add, void *arg)
{
	const char *log = cJSON_GetStringValue(cJSON_GetObjectItem(p, "log"));
	const cJSON *l;

	cJSON_ArrayForEach(l, cJSON_GetObjectItem(p, "lines")) {
		char *text;

		if (!cJSON_IsString(l))
			continue;
		text = xasprintf("%s: %s", log ? log : "drill", l->valuestring);
		add(arg, LOG_OUTPUT, text);
		free(text);
	}
}

char *
app_event_output(const char *line, app_output_cb add, void *arg)
{
	cJSON *ev = jsonutf8_parse(line, strlen(line), NULL);
	const cJSON *p = cJSON_GetObjectItem(ev, "payload");
	const char *type = cJSON_GetStringValue(cJSON_GetObjectItem(ev, "type"));
	const char *alert = NULL;
	char buf[512], *copy;

	if (!type) {
		cJSON_Delete(ev);
		return NULL;
	}
	if (strcmp(type, "drill.inject") == 0) {
		alert = cJSON_GetStringValue(cJSON_GetObjectItem(p, "alert"));
		if (alert) {	/* with its time, as the Journal's rows */
			char when[16], *text;

			timefmt_rfc3339(cJSON_GetStringValue(cJSON_GetObjectItem(
						ev, "wall")), TF_HMS, when,
					sizeof(when));
			text = xasprintf("%.8s %s", when, alert);
			add(arg, LOG_ALERT, text);
			free(text);
		}
		injected_lines(p, add, arg);
	} else if (strcmp(type, "log.threshold") == 0) {
		threshold_text(p, buf, sizeof(buf));
		add(arg, LOG_ALERT, alert = buf);
	}
	/* Refusals, voided sign-offs and interrupted runs are journal lines:
	 * the Journal tab and the status line show them, never Output. */
	copy = xstrdup_or_null(alert);
	cJSON_Delete(ev);
	return copy;
}

void
app_output_to_logbuf(void *arg, int kind, const char *text)
{
	logbuf_add(arg, (enum log_kind)kind, text);
}

void
app_summarise_event(struct app *a, const char *line)
{
	char buf[512];

	if (app_event_summary(line, buf, sizeof(buf)) >= 0)
		logbuf_add(a->journal, LOG_EVENT, buf);
}

/* Where an event another process journalled came from, in words: an
 * injection the scenario fired on its own (after a step, or at its time)
 * came from no terminal; everything else did. */
static void
foreign_source(const char *line, char *buf, size_t size)
{
	cJSON *ev = cJSON_Parse(line);
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(ev, "payload");
	const char *type = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(ev, "type"));
	const char *after = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(p, "after"));

	if (!type || strcmp(type, "drill.inject") != 0 ||
	    cJSON_GetObjectItemCaseSensitive(p, "fired_by"))
		snprintf(buf, size, "from another terminal");
	else if (after)
		snprintf(buf, size, "fired by the scenario after %s", after);
	else
		snprintf(buf, size, "fired by the scenario at its time");
	cJSON_Delete(ev);
}

/* What another process (rewind approve, a watcher, the trainee's
 * console) did, in words; a sign-off's provenance is left to the step
 * pane (the status line names who and as what). */
/* When payload P says the operator's own login signed (or, REFUSED,
 * tried to), the status line's short form of it, the point first
 * ("signed by the operator's own login (ic)", "refused: tried by the
 * operator's own login (ic)": a status line is cut at the screen's edge,
 * and a refusal must read as one before anything else); NULL otherwise. */
static char *
own_login_short(const cJSON *p, int refused)
{
	const cJSON *pv = cJSON_GetObjectItem(p, "provenance");
	const char *login = cJSON_GetStringValue(cJSON_GetObjectItem(pv,
								      "login"));
	char *safe, *text;

	if (!cJSON_IsTrue(cJSON_GetObjectItem(pv, "own_login")))
		return NULL;
	safe = sanitize_text(login ? login : "?", login ? strlen(login) : 1);
	text = refused
		? xasprintf("refused: tried by the operator's own login (%s)",
			    safe)
		: xasprintf("signed by the operator's own login (%s)", safe);
	free(safe);
	return text;
}

/* What another process (rewind approve, a watcher, the trainee's
 * console) did, in words; a sign-off's provenance is left to the step
 * pane (the status line names who and as what). */
static void
foreign_status(struct app *a, const char *line)
{
	cJSON *ev = cJSON_Parse(line);
	const char *type = cJSON_GetStringValue(cJSON_GetObjectItem(ev,
								     "type"));
	char *words, *own;
	char from[160];

	own = own_login_short(cJSON_GetObjectItem(ev, "payload"),
			      type && !strcmp(type, "action.refused"));
	cJSON_DeleteItemFromObject(cJSON_GetObjectItem(ev, "payload"),
				   "provenance");
	words = ev ? evtext_describe(ev) : NULL;
	cJSON_Delete(ev);

	foreign_source(line, from, sizeof(from));
	if (own)
		app_status(a, 1, "%s: %s (%s)", own,
			   words ? words : "the journal changed", from);
	else
		app_status(a, 0, "%s (%s)",
			   words ? words : "the journal changed", from);
	free(words);
	free(own);
}

/* The view of step ID into V; 0, or -1 when there is no such step. */
static int
step_view_of(const struct app *a, const char *id, struct step_view *v)
{
	for (size_t i = 0; i < session_n_steps(a->session); i++)
		if (session_step_view(a->session, i, v) == 0 &&
		    strcmp(v->def->id, id) == 0)
			return 0;
	return -1;
}

int
app_last_run_cancelled(const struct app *a, const char *id)
{
	struct step_view v;

	return step_view_of(a, id, &v) == 0 && v.cancelled;
}

/* Whether the operator stopped step ID's run left by a dead console. */
static int
orphan_stopped_here(const struct app *a, const char *id)
{
	struct step_view v;

	return step_view_of(a, id, &v) == 0 && v.orphan_stopping;
}

/* A command that ran on the loop has ended: say how, in place of the
 * "started" message. */
void
app_step_done_status(struct app *a, const char *id)
{
	int st = session_step_state(a->session, id);

	if (st == STEP_DONE)
		app_status(a, 0, "%s done", id);
	else if (st == STEP_FAILED && !a->wide && a->side != PANE_DETAIL)
		app_status(a, 1, "%s failed (the Step tab says why: press %s until it shows)",
			   id, keymap_key_label(KM_GLOBAL, UI_TAB_NEXT));
	else if (st == STEP_FAILED)
		app_status(a, 1, "%s failed (see the step pane)", id);
	else if (st == STEP_INTERRUPTED && app_last_run_cancelled(a, id))
		app_status(a, 1, "%s cancelled %s outcome unknown: its "
			   "command may have acted; check before running it "
			   "again", id, draw_glyph("\u2014", "-"));
	else if (st == STEP_INTERRUPTED && orphan_stopped_here(a, id))
		app_status(a, 1, "%s: you stopped the run from the previous "
			   "console; outcome unknown: check before running it "
			   "again", id);
	else if (st == STEP_INTERRUPTED)	/* the dead console's run */
		app_status(a, 1, "%s: the run from the previous console has "
			   "ended; outcome unknown: check before running it "
			   "again", id);
}

/* An alert in the status line: what the same action reports next (a
 * step's "done" after the injection that followed it) does not hide it;
 * the operator's next key does. */
static void
show_alert(struct app *a, const char *text)
{
	a->status_alert = 0;
	app_status(a, 1, "%s", text);
	a->status_alert = 1;
}

/* This console's action voided a sign-off: say so, and that it must be
 * given again (the action's own report must not replace it). */
static void
voided_status(struct app *a, const char *line)
{
	char *words = evtext_line(line);
	char *text = xasprintf("ask for a new sign-off: %s",
			       words ? words : "an approval was voided");

	show_alert(a, text);
	free(text);
	free(words);
}

/* A message delivered also into a folder (the repository's incidents/):
 * say where it really is. */
static void
written_status(struct app *a, const char *line)
{
	cJSON *ev = jsonutf8_parse(line, strlen(line), NULL);
	const char *step = cJSON_GetStringValue(cJSON_GetObjectItem(ev,
							"step"));
	const char *to = cJSON_GetStringValue(cJSON_GetObjectItem(
		cJSON_GetObjectItem(ev, "payload"), "written_to"));
	char *text, *safe;

	if (to) {
		text = xasprintf("%s delivered; written to %s",
				 step ? step : "message", to);
		safe = sanitize_text(text, strlen(text));
		show_alert(a, safe);
		free(safe);
		free(text);
	}
	cJSON_Delete(ev);
}

/* A done step reopened because a value it used changed: the run step's
 * own reason stays in view (the checks reopened with it come first). */
static void
reopened_status(struct app *a, const char *line)
{
	char *words = evtext_line(line);

	if (words)
		show_alert(a, words);
	free(words);
}

/* Alerts the operator must see now: what the event adds to the Output
 * pane, and a scenario's game-master message or a log pattern over its
 * threshold in the status line too. */
static void
show_event_output(struct app *a, const struct core_event *ev)
{
	char *alert;

	if (ev->history)
		return;	/* its output is read back from the cast files */
	alert = app_event_output(ev->line, app_output_to_logbuf, a->log);
	if (alert &&
	    (strcmp(ev->type, "drill.inject") == 0 ||
	     strcmp(ev->type, "log.threshold") == 0))
		show_alert(a, alert);
	free(alert);
}

/* A value set (a decision, an input) moved the recovery-time target: say
 * so in the status line and the Journal tab, as the header's clock now
 * counts against it. */
/* Where the RTO clock counts from now (DETECTED_AT or the start). */
static int64_t
rto_clock_from(struct app *a)
{
	int64_t from;
	int detected;

	bars_rto_elapsed(a, clock_wall_now(loop_clock(a->loop)), &from,
			 &detected);
	return from;
}

/* DETECTED_AT was set or changed: the RTO clock now counts from it, say
 * from when and how much of the target that leaves used. */
static void
rto_from_check(struct app *a)
{
	int64_t target = playbook_rto_within(a->pb, app_lookup, a->session);
	int64_t from, used;
	int detected;
	char at[24], u[24], of[24], *text;

	used = bars_rto_elapsed(a, clock_wall_now(loop_clock(a->loop)), &from,
				&detected);
	if (from == a->rto_from_us)
		return;
	a->rto_from_us = from;
	timefmt_us(from, TF_HM_ZONE, at, sizeof(at));
	bars_duration_text(used, 0, u, sizeof(u));
	bars_duration_text(target / 1000000, 1, of, sizeof(of));
	if (!detected)
		text = xasprintf("RTO now counts from the session's start at "
				 "%s: %s used", at, u);
	else if (target)
		text = xasprintf("RTO now counts from detection at %s: %s of "
				 "%s used", at, u, of);
	else
		text = xasprintf("RTO now counts from detection at %s: %s "
				 "since", at, u);
	logbuf_add(a->journal, LOG_EVENT, text);
	show_alert(a, text);
	free(text);
}

static void
rto_check(struct app *a)
{
	int64_t now = playbook_rto_within(a->pb, app_lookup, a->session);
	const char *label = playbook_rto_label(a->pb, app_lookup, a->session);
	char was[24], to[24], *text;

	rto_from_check(a);
	if (now == a->rto_us)
		return;
	bars_duration_text(a->rto_us / 1000000, 1, was, sizeof(was));
	bars_duration_text(now / 1000000, 1, to, sizeof(to));
	if (!now)
		text = xasprintf("recovery-time target dropped (was %s)", was);
	else if (!a->rto_us)
		text = xasprintf("recovery-time target now %s%s%s", to,
				 label ? ": " : "", label ? label : "");
	else
		text = xasprintf("recovery-time target now %s (was %s)%s%s", to,
				 was, label ? ": " : "", label ? label : "");
	a->rto_us = now;
	logbuf_add(a->journal, LOG_EVENT, text);
	show_alert(a, text);
	free(text);
}

/* Someone else wrote the session's ref on the remote: never forced, and
 * said where the operator looks. */
static void
share_alarm(struct app *a, const char *line)
{
	char *text = evtext_line(line);

	show_alert(a, text);
	free(text);
}

/* A sign-off written to the session's inbox on its remote, taken or
 * refused by this console (share_inbox.h): said on the status line as
 * one from another console is, with where it came from. */
static int
inbox_event(const struct core_event *ev)
{
	return !ev->foreign &&
	       (strcmp(ev->type, "approval.granted") == 0 ||
		strcmp(ev->type, "action.refused") == 0) &&
	       strstr(ev->line, "\"via\":\"remote approve\"");
}

static void
inbox_status(struct app *a, const struct core_event *ev)
{
	char *words = evtext_line(ev->line);
	char *text = sanitize_text(words ? words : "", words ? strlen(words)
				   : 0);

	if (strcmp(ev->type, "action.refused") == 0)
		show_alert(a, text);
	else {
		a->status_alert = 0;
		app_status(a, 0, "%s", text);
	}
	free(text);
	free(words);
}

/* Keep, in words, that this console took over from another operator:
 * the first status line says so. */
static void
note_operator_changed(struct app *a, const char *line)
{
	char *words = evtext_line(line);

	snprintf(a->operator_changed, sizeof(a->operator_changed), "%s",
		 words ? words : "the operator changed");
	free(words);
}

static void
on_core_event(const struct core_event *ev, void *arg)
{
	struct app *a = arg;

	switch (ev->kind) {
	case CORE_EV_JOURNAL:
		app_summarise_event(a, ev->line);
		runview_event(a, ev);
		show_event_output(a, ev);
		if (ev->history)
			break;
		if (!ev->foreign && strcmp(ev->type, "session.resumed") == 0)
			a->resumed = 1;
		if (!ev->foreign &&
		    strcmp(ev->type, "session.operator_changed") == 0)
			note_operator_changed(a, ev->line);
		if (ev->foreign && (a->watch ||
				    strcmp(ev->type, "approval.granted") == 0))
			a->status_alert = 0;	/* a new sign-off: the voided
						 * one is old news; a watcher
						 * presses no key, so what
						 * happens next replaces an
						 * alert (an RTO change) */
		if (ev->foreign)
			foreign_status(a, ev->line);
		else if (inbox_event(ev))
			inbox_status(a, ev);
		else if (strcmp(ev->type, "approval.voided") == 0)
			voided_status(a, ev->line);
		else if (strcmp(ev->type, "step.reopened") == 0)
			reopened_status(a, ev->line);
		else if (strcmp(ev->type, "message.delivered") == 0)
			written_status(a, ev->line);
		else if (strcmp(ev->type, "share.rejected") == 0 ||
			 (strcmp(ev->type, "share.offline") == 0 &&
			  strstr(ev->line, "\"needs_credentials\":true")))
			share_alarm(a, ev->line);
		app_refresh_steps(a);
		if (a->rto_ready)
			rto_check(a);
		break;
	case CORE_EV_OUTPUT:
		logbuf_add_lines(a->log, LOG_OUTPUT, ev->line,
				 ev->len ? ev->len : strlen(ev->line),
				 ev->n_lines);
		runview_watch(a);
		if (!a->dirty)
			a->dirty = APP_DIRTY_OUTPUT;
		return;
	case CORE_EV_STEP_DONE:
		app_refresh_steps(a);
		app_step_done_status(a, ev->step);
		dialog_refresh_quit(a);
		break;
	case CORE_EV_LOG: {
		/* a followed log file (core/sources.h): "NAME: line" */
		char *text = xasprintf("%s: %s", ev->step, ev->line);

		logbuf_add(a->log, strcmp(ev->type, "notice") == 0
				   ? LOG_EVENT : LOG_OUTPUT, text);
		free(text);
		break;
	}
	}
	runview_watch(a);
	app_dirty(a);
}

/* --- layout and redraw --------------------------------------------------------------- */

static const enum pane_id narrow_tabs[] = {
	PANE_DETAIL, PANE_LOG, PANE_JOURNAL, PANE_TARGETS, PANE_TAGS,
	PANE_REGISTRY,
};
static const enum pane_id wide_tabs[] = {
	PANE_LOG, PANE_JOURNAL, PANE_TARGETS, PANE_TAGS, PANE_REGISTRY,
};
#define N_NARROW_TABS (sizeof(narrow_tabs) / sizeof(narrow_tabs[0]))
#define N_WIDE_TABS (sizeof(wide_tabs) / sizeof(wide_tabs[0]))

/* The tab shown in the side area: the chosen one, except that a wide
 * screen shows the step pane anyway, so Step then means Output. */
static enum pane_id
shown_side(const struct app *a)
{
	return a->wide && a->side == PANE_DETAIL ? PANE_LOG : a->side;
}

static void
layout(struct app *a, int h, int w)
{
	int body_y = 2 + banner_rows(a, w), body_h = h - 2 - body_y, left_w, top;

	a->wide = w >= 120 && h >= 30;
	left_w = a->wide ? w * 2 / 5 : (w * 9 / 20 < 30 ? 30 : w * 9 / 20);
	memset(a->rects, 0, sizeof(a->rects));
	a->rects[PANE_STEPS] = (struct rect){ body_y, 0, body_h, left_w };
	top = a->wide ? body_h / 2 : 0;
	if (a->wide)
		a->rects[PANE_DETAIL] = (struct rect){ body_y, left_w + 1, top,
						       w - left_w - 1 };
	a->rects[shown_side(a)] = (struct rect){ body_y + top, left_w + 1,
						 body_h - top, w - left_w - 1 };
}

/* Rows the side area shows below its tab row, whichever tab it shows:
 * a tab chosen since the last layout has no rect of its own yet (keys
 * typed together reach the scroll before the next draw). The side area
 * is the checklist's height, less the Step pane above it when wide. */
static long
side_body_rows(const struct app *a)
{
	int above = a->wide ? a->rects[PANE_DETAIL].h : 0;

	return a->rects[PANE_STEPS].h - above - 1;
}

static void
draw_separator(WINDOW *w, int y, int x, int h)
{
	int attr = theme_attr(ROLE_BORDER);

	wattrset(w, attr);
	for (int i = 0; i < h; i++)
		mvwaddstr(w, y + i, x, draw_glyph("\u2502", "|"));
}

/* How a side tab is named in its row: in full, or (a narrow row) short. */
static const char *
tab_name(enum pane_id id, int brief)
{
	static const char *const briefs[PANE_COUNT] = {
		[PANE_STEPS] = "List", [PANE_DETAIL] = "Step",
		[PANE_LOG] = "Out", [PANE_JOURNAL] = "Jrnl",
		[PANE_TARGETS] = "Tgt", [PANE_TAGS] = "Tags",
		[PANE_REGISTRY] = "Reg",
	};

	return brief ? briefs[id] : app_pane_name(id);
}

/* How the tab row names its tabs, the first way that shows them all:
 * every name in full, the shown tab's in full and the others short, all
 * short; else all short from the shown one's neighbours, with a sign at
 * the cut end. */
enum tab_fit { TABS_FULL, TABS_SHOWN_FULL, TABS_SHORT, TABS_CUT };

/* Tab I's label as FIT writes it, into BUF. */
static void
tab_label(const struct app *a, enum pane_id id, enum tab_fit fit, char *buf,
	  size_t size)
{
	int on = id == shown_side(a);
	int brief = fit == TABS_SHORT || fit == TABS_CUT ||
		    (fit == TABS_SHOWN_FULL && !on);

	snprintf(buf, size, on ? "[%s]" : " %s ", tab_name(id, brief));
}

/* The columns tabs FROM..TO-1 take as FIT writes them (a blank between). */
static int
tabs_width(const struct app *a, const enum pane_id *tabs, size_t from,
	   size_t to, enum tab_fit fit)
{
	char label[64];
	int used = 0;

	for (size_t i = from; i < to; i++) {
		tab_label(a, tabs[i], fit, label, sizeof(label));
		used += draw_width(label) + (i > from);
	}
	return used;
}

static enum tab_fit
tab_fit(const struct app *a, const enum pane_id *tabs, size_t n, int width)
{
	for (int fit = TABS_FULL; fit < TABS_CUT; fit++)
		if (tabs_width(a, tabs, 0, n, fit) <= width)
			return fit;
	return TABS_CUT;
}

/* The first tab label drawn: 0, unless the shown tab would be cut off,
 * then as far along as it takes for the shown one to fit (WIDTH less the
 * signs at both ends). */
static size_t
first_tab(const struct app *a, const enum pane_id *tabs, size_t n, int width,
	  enum tab_fit fit)
{
	size_t shown = 0, first = 0;

	while (shown < n && tabs[shown] != shown_side(a))
		shown++;
	if (shown == n)
		return 0;
	while (first < shown &&
	       tabs_width(a, tabs, first, shown + 1, fit) > width - 2)
		first++;
	return first;
}

/* A sign that tabs are cut off at that end of the row. */
static void
draw_tab_sign(WINDOW *w, int y, int x, const char *glyph, const char *ascii,
	      int role)
{
	draw_text(w, y, x, 1, draw_glyph(glyph, ascii), theme_attr(role));
}

static void
draw_tabs(struct app *a, WINDOW *w, struct rect r)
{
	const enum pane_id *tabs = a->wide ? wide_tabs : narrow_tabs;
	size_t n = a->wide ? N_WIDE_TABS : N_NARROW_TABS;
	enum tab_fit fit = tab_fit(a, tabs, n, r.w);
	size_t first = fit == TABS_CUT ? first_tab(a, tabs, n, r.w, fit) : 0;
	int end = r.x + r.w - (fit == TABS_CUT ? 1 : 0);
	int x = r.x + (first > 0);
	size_t i;

	/* The focused side area's whole tab row takes the focus role, as
	 * the checklist's title row does, so focus shows in every theme. */
	int focused = a->focus == shown_side(a);

	draw_fill(w, r.y, r.x, r.w, theme_attr(focused ? ROLE_TITLE_FOCUS
						      : ROLE_TITLE));
	if (first > 0)
		draw_tab_sign(w, r.y, r.x, "\u2039", "<", focused
			      ? ROLE_TITLE_FOCUS : ROLE_TITLE);
	for (i = first; i < n; i++) {
		int on = tabs[i] == shown_side(a);
		int role = focused ? ROLE_TITLE_FOCUS
			   : on ? ROLE_TITLE : ROLE_DIM;
		char label[64];

		tab_label(a, tabs[i], fit, label, sizeof(label));
		if (x + draw_width(label) > end)
			break;
		x += draw_text(w, r.y, x, end - x, label,
			       theme_attr(role)) + 1;
	}
	if (i < n)
		draw_tab_sign(w, r.y, r.x + r.w - 1, "\u203a", ">", focused
			      ? ROLE_TITLE_FOCUS : ROLE_TITLE);
}

static void
draw_side(struct app *a, WINDOW *w)
{
	struct rect r = a->rects[shown_side(a)];
	struct rect body = { r.y + 1, r.x, r.h - 1, r.w };

	draw_tabs(a, w, r);
	switch (shown_side(a)) {
	case PANE_DETAIL: pane_detail_draw(a, w, body); break;
	case PANE_LOG: pane_log_draw(a, w, body, 0); break;
	case PANE_JOURNAL: pane_log_draw(a, w, body, 1); break;
	case PANE_TARGETS: pane_targets_draw(a, w, body); break;
	case PANE_TAGS: pane_tags_tab_draw(a, w, body); break;
	case PANE_REGISTRY: pane_registry_tab_draw(a, w, body); break;
	default: break;
	}
}

void
app_draw_too_small(WINDOW *w, int h, int width)
{
	const char *msg = "terminal too small";
	char need[64];

	snprintf(need, sizeof(need), "need at least %dx%d", APP_MIN_COLS,
		 APP_MIN_ROWS);
	werase(w);
	draw_text(w, h / 2, (width - 18) / 2 > 0 ? (width - 18) / 2 : 0, width,
		  msg, theme_attr(ROLE_ERROR));
	if (h / 2 + 1 < h)
		draw_text(w, h / 2 + 1, 0, width, need, theme_attr(ROLE_DIM));
}

void
app_draw_body(struct app *a, WINDOW *w, int h, int width)
{
	layout(a, h, width);
	bars_draw_rail(a, w, 1, width);
	banner_draw(a, w, 2, width);
	pane_steps_draw(a, w, a->rects[PANE_STEPS]);
	draw_separator(w, a->rects[PANE_STEPS].y, a->rects[PANE_STEPS].w,
		       a->rects[PANE_STEPS].h);
	if (a->wide)
		pane_detail_draw(a, w, a->rects[PANE_DETAIL]);
	draw_side(a, w);
}

static void
redraw(struct app *a)
{
	int h = LINES, w = COLS;

	if (w < APP_MIN_COLS || h < APP_MIN_ROWS) {
		app_draw_too_small(stdscr, h, w);
		wnoutrefresh(stdscr);
		doupdate();
		return;
	}
	werase(stdscr);
	app_draw_body(a, stdscr, h, w);
	bars_draw_header(a, stdscr, w);
	bars_draw_status(a, stdscr, h - 2, w);
	bars_draw_keybar(a, stdscr, h - 1, w);
	if (a->help)
		help_draw(a, stdscr, h, w, KM_COUNT);
	if (a->dlg.flow != FLOW_NONE)
		dialog_draw(a, stdscr, h, w);
	wnoutrefresh(stdscr);
	doupdate();
	/* Keys that came while the y/N question was not yet on screen were
	 * typed for what was there before: dropped, as a dialog's are. */
	if (dialog_is_yes_no(a) && !a->yes_no_shown)
		flushinp();
	a->yes_no_shown = dialog_is_yes_no(a);
	testhook_frame_drawn();
}

/* --- keys ---------------------------------------------------------------------------------- */

int
app_keymap_ctx(const struct app *a)
{
	if (a->dlg.flow != FLOW_NONE)
		return KM_DIALOG;
	if (a->focus == PANE_STEPS)
		return KM_STEPS;
	if (a->focus == PANE_LOG || a->focus == PANE_JOURNAL)
		return KM_LOG;
	if (a->focus == PANE_TAGS)
		return KM_TAGS;
	if (a->focus == PANE_REGISTRY)
		return KM_REGISTRY;
	return KM_GLOBAL;
}

static long *
log_top_of(struct app *a, int *count)
{
	int journal = a->focus == PANE_JOURNAL;

	*count = (int)logbuf_count(journal ? a->journal : a->log);
	return journal ? &a->journal_top : &a->log_top;
}

/* Move the selection or scroll the focused pane by DELTA lines. */
static void
scroll_by(struct app *a, long delta)
{
	if (a->help) {
		a->help_top = a->help_top + (int)delta < 0 ? 0
							   : a->help_top + (int)delta;
	} else if ((a->focus == PANE_STEPS || a->focus == PANE_DETAIL) &&
		   pane_detail_shows_scorecard(a)) {	/* the draw clamps */
		a->card_top = a->card_top + delta < 0 ? 0
			: a->card_top + delta > 1000000 ? 1000000
			: a->card_top + delta;
	} else if (a->focus == PANE_STEPS) {
		long sel = a->sel + delta;
		int was = a->sel;

		a->sel = (int)(sel < 0 ? 0 : sel >= a->n_visible
				? (a->n_visible ? a->n_visible - 1 : 0) : sel);
		if (a->sel != was)	/* another step: its output from the left */
			a->log_left = 0;
	} else if (a->focus == PANE_LOG || a->focus == PANE_JOURNAL) {
		int n;
		long *top = log_top_of(a, &n);
		/* Following shows the last page (its body is the rect less
		 * its tab row): scroll from there, and follow again once
		 * the last page is reached. */
		long last = n - side_body_rows(a);
		long at = *top < 0 ? (last > 0 ? last : 0) : *top;

		at += delta;
		*top = at < 0 ? 0 : at >= n || at >= last ? -1 : at;
	} else if (a->focus == PANE_TAGS || a->focus == PANE_REGISTRY) {
		pane_sources_scroll(a, delta);
	} else if (a->focus == PANE_DETAIL) {	/* the draw keeps it in range */
		a->detail_top = a->detail_top + delta < 0 ? 0
			: a->detail_top + delta > 1000000 ? 1000000
			: a->detail_top + delta;
	} else if (a->focus == PANE_TARGETS) {	/* the draw keeps it in range */
		a->targets_top = a->targets_top + delta < 0 ? 0
			: a->targets_top + delta > 1000000 ? 1000000
			: a->targets_top + delta;
	}
	app_dirty(a);
}

/* Show the Output tab's lines from further right (or left). */
static void
scroll_sideways(struct app *a, enum uiact act)
{
	a->log_left += act == UI_SCROLL_RIGHT ? 8 : -8;
	if (a->log_left < 0)
		a->log_left = 0;
	app_dirty(a);
}

static void
cycle_focus(struct app *a, int dir)
{
	enum pane_id order[3];
	int n = 0, i;

	order[n++] = PANE_STEPS;
	if (a->wide)
		order[n++] = PANE_DETAIL;
	order[n++] = shown_side(a);
	for (i = 0; i < n && order[i] != a->focus; i++)
		;
	a->focus = order[((i + dir) % n + n) % n];
	app_dirty(a);
}

static void
cycle_tab(struct app *a, int dir)
{
	const enum pane_id *tabs = a->wide ? wide_tabs : narrow_tabs;
	int n = (int)(a->wide ? N_WIDE_TABS : N_NARROW_TABS), i;
	int focused = a->focus == shown_side(a);

	for (i = 0; i < n && tabs[i] != shown_side(a); i++)
		;
	a->side = tabs[((i + dir) % n + n) % n];
	if (focused)
		a->focus = a->side;
	app_dirty(a);
}

void
app_tab(struct app *a, int dir)
{
	cycle_tab(a, dir);
}

void
app_scroll(struct app *a, long delta)
{
	scroll_by(a, delta);
}

void
app_scroll_sideways(struct app *a, enum uiact act)
{
	scroll_sideways(a, act);
}

static void
search_step(struct app *a, int dir)
{
	long from = a->search_hit >= 0 ? a->search_hit
				       : (long)logbuf_count(a->log) - 1;
	long hit = a->search[0] ? pane_log_find(a->log, from, dir, a->search)
				: -1;

	if (!a->search[0]) {
		app_status(a, 1, "nothing to find yet: %s searches the output",
			   keymap_key_label(KM_LOG, UI_SEARCH));
		return;
	}
	if (hit < 0) {
		app_status(a, 1, "no line matches \"%s\"", a->search);
		return;
	}
	a->search_hit = hit;
	a->log_top = hit;
	a->side = PANE_LOG;	/* n works from any pane: show the match */
	app_status(a, 0, "match at line %ld", hit + 1);
}

/* What a watcher may not do: everything that acts, except approving. */
static int
watch_refuses(enum uiact act)
{
	return !keymap_in_watch(act);
}

void
app_next_phase(struct app *a)
{
	if (app_apply(a, "next") >= 0)
		app_status(a, 0, "%s", session_is_complete(a->session)
			   ? "session complete" : "next phase");
}

static void
quit_or_ask(struct app *a)
{
	if (a->watch || session_is_complete(a->session)) {
		a->quit = 1;
		return;
	}
	if (session_mode(a->session) == SESSION_LIVE) {
		dialog_open(a, FLOW_QUIT, NULL);
		return;
	}
	app_apply(a, "quit");
	a->quit = 1;
}

/* u and U: the due update reminder. */
/* The hand-over action: offer the shared session to a successor, or
 * withdraw the offer that stands. */
static void
open_handover(struct app *a)
{
	if (session_share_state(a->session) < 0) {
		app_status(a, 1, "handover: the session is not shared: run it "
			   "with --share REMOTE, so a successor can take it "
			   "with --take REMOTE#SESSION");
		return;
	}
	dialog_open(a, session_handover_offer(a->session)
		    ? FLOW_WITHDRAW_SURE : FLOW_HANDOVER, NULL);
}

static void
open_update(struct app *a, int dismiss)
{
	const char *step;
	struct err err = { 0 };

	if (!session_reminder_due(a->session, &step, NULL)) {
		app_status(a, 1, "no update reminder is due");
	} else if (dismiss) {
		if (session_reminder_dismiss(a->session, NULL, &err) < 0)
			app_status(a, 1, "%s", err.msg);
		else
			app_status(a, 0, "update reminder dismissed");
	} else {
		dialog_open(a, FLOW_PREVIEW, step);
	}
}

/* Whether ACT would change the session (a complete one refuses it at
 * once, before any dialog asks for text it would not take). */
static int
changes_session(enum uiact act)
{
	return act == UI_ACT || act == UI_TICK || act == UI_NA ||
	       act == UI_APPROVE || act == UI_NOTE || act == UI_SET_VAR ||
	       act == UI_HANDOVER;
}

static void
do_uiact(struct app *a, enum uiact act)
{
	int page = (LINES - 4) / 2;

	if (session_is_complete(a->session) && changes_session(act)) {
		app_status(a, 1, "the session is complete and no longer "
			   "changes");
		return;
	}
	/* Refused before any dialog asks for a confirmation or a name. */
	if (session_taken_by(a->session) && changes_session(act)) {
		app_status(a, 1, "the session was handed over to %s, who runs "
			   "it now: this console is read-only",
			   session_taken_by(a->session));
		return;
	}

	if (a->follow && (act == UI_APPROVE || watch_refuses(act))) {
		app_status(a, 1, "watching the copy published to %s: "
			   "read-only; approve where the session runs",
			   share_follow_remote(a->follow));
		return;
	}
	if (a->watch && watch_refuses(act)) {
		app_status(a, 1, "watching: read-only here; %s approves the "
			   "selected step", keymap_key_label(KM_STEPS,
							     UI_APPROVE));
		return;
	}
	switch (act) {
	case UI_MOVE_DOWN: scroll_by(a, 1); break;
	case UI_MOVE_UP: scroll_by(a, -1); break;
	case UI_MOVE_TOP: scroll_by(a, -1000000); break;
	case UI_MOVE_BOTTOM: scroll_by(a, 1000000); break;
	case UI_PAGE_DOWN: scroll_by(a, page); break;
	case UI_PAGE_UP: scroll_by(a, -page); break;
	case UI_FOCUS_NEXT: cycle_focus(a, 1); break;
	case UI_FOCUS_PREV: cycle_focus(a, -1); break;
	case UI_TAB_NEXT: cycle_tab(a, 1); break;
	case UI_TAB_PREV: cycle_tab(a, -1); break;
	case UI_ACT: case UI_TICK: case UI_NA: case UI_APPROVE:
	case UI_CANCEL_STEP:
		dialog_open_for_step(a, act);
		break;
	case UI_NOTE: dialog_open(a, FLOW_NOTE, NULL); break;
	case UI_HANDOVER: open_handover(a); break;
	case UI_SET_VAR: dialog_open(a, FLOW_SETVAR_NAME, NULL); break;
	case UI_NEXT_PHASE:
		if (session_phase(a->session) == PHASE_COMMUNICATE &&
		    dialog_open_optional_left(a))
			break;	/* asked first: they would be skipped */
		app_next_phase(a);
		break;
	case UI_SEARCH: dialog_open(a, FLOW_SEARCH, NULL); break;
	case UI_SEARCH_NEXT: search_step(a, 1); break;
	case UI_SEARCH_PREV: search_step(a, -1); break;
	case UI_FOLLOW: a->log_top = -1; app_status(a, 0, "following"); break;
	case UI_SCROLL_LEFT: case UI_SCROLL_RIGHT: scroll_sideways(a, act); break;
	case UI_HELP: a->help = !a->help; a->help_top = 0; app_dirty(a); break;
	case UI_REDRAW: clearok(curscr, TRUE); app_dirty(a); break;
	case UI_QUIT: quit_or_ask(a); break;
	case UI_PICK_TAG: pane_tags_pick(a); break;
	case UI_COPY_HANDOFF: pane_detail_copy_handoff(a); break;
	case UI_SHOW_HANDOFF: pane_detail_show_handoff(a); break;
	case UI_PICK_VERSION: pane_registry_pick(a); break;
	case UI_REFRESH: pane_sources_refresh(a); break;
	case UI_UPDATE: open_update(a, 0); break;
	case UI_UPDATE_DISMISS: open_update(a, 1); break;
	default: break;
	}
}

static void
on_mouse(struct app *a)
{
	MEVENT me;

	if (getmouse(&me) != OK)
		return;
	for (int p = 0; p < PANE_COUNT; p++) {
		struct rect r = a->rects[p];

		if (r.w == 0 || me.y < r.y || me.y >= r.y + r.h ||
		    me.x < r.x || me.x >= r.x + r.w)
			continue;
		a->focus = (enum pane_id)p;
		if (me.bstate & BUTTON4_PRESSED)
			scroll_by(a, -3);
		else if (me.bstate & BUTTON5_PRESSED)
			scroll_by(a, 3);
		else if (p == PANE_STEPS && me.y > r.y &&
			 a->steps_top + me.y - r.y - 1 < a->n_visible &&
			 a->sel != a->steps_top + me.y - r.y - 1) {
			a->sel = a->steps_top + me.y - r.y - 1;
			a->log_left = 0;
		}
	}
	app_dirty(a);
}

static void
on_key(struct app *a, int key)
{
	enum uiact act;

	if (key == KEY_RESIZE) {
		app_dirty(a);
		return;
	}
	a->status_alert = 0;
	if (key == KEY_MOUSE) {
		on_mouse(a);
		return;
	}
	if (a->dlg.flow != FLOW_NONE) {
		dialog_key(a, key);
		return;
	}
	act = keymap_lookup(app_keymap_ctx(a), key, 1);
	if (a->help && act != UI_HELP && act != UI_MOVE_DOWN &&
	    act != UI_MOVE_UP && act != UI_PAGE_DOWN && act != UI_PAGE_UP) {
		a->help = 0;	/* any other key closes the overlay */
		app_dirty(a);
		return;
	}
	if (act != UI_NONE)
		do_uiact(a, act);
}

static void
on_stdin(int fd, int events, void *arg)
{
	struct app *a = arg;
	int key;

	(void)fd;
	(void)events;
	while ((key = getch()) != ERR) {
		unsigned refused = a->n_refusals;
		enum flow before = a->dlg.flow;
		int asked = dialog_is_yes_no(a);

		/* A y/N question is answered by a key pressed once it shows
		 * (the frames are paced: it may not be drawn yet): what was
		 * typed before, as a reason typed at once after x, was meant
		 * for what comes after it, and is dropped, never an answer. */
		if (dialog_is_yes_no(a) && !a->yes_no_shown) {
			flushinp();
			break;
		}
		on_key(a, key);
		if (a->dlg.flow != before && dialog_is_yes_no(a)) {
			a->yes_no_shown = 0;
			flushinp();
			break;
		}
		/* The one key that answered a y/N question came with the rest of
		 * what was typed ("no time" typed as a reason): the rest was
		 * meant for the question, never commands (Space would tick). */
		if (asked && a->dlg.flow != before) {
			flushinp();
			break;
		}
		/* Keys typed ahead were meant for what the operator expected
		 * to see: after a refusal they would act on the console
		 * instead of the dialog that never opened. (A dialog that
		 * opens drops them itself.) */
		if (a->n_refusals != refused) {
			flushinp();
			break;
		}
	}
}

/* --- signals, timers, the terminal ------------------------------------------------------ */

static void
on_winch(int signo, void *arg)
{
	(void)signo;
	term_resize();
	app_dirty(arg);
}

/* The terminal went away (SIGHUP) or someone asked the console to stop
 * (SIGTERM): end as q would, so the session is freed and the drill's
 * clone removed, and journal how the console ended with what still runs. */
static void
on_hangup(int signo, void *arg)
{
	struct app *a = arg;
	struct err err = { 0 };

	if (!a->watch && !session_is_complete(a->session) &&
	    session_record_quit(a->session, NULL, signo == SIGHUP ? "SIGHUP"
				: "SIGTERM", &err) < 0)
		app_status(a, 1, "%s", err.msg);
	a->quit = 1;
}

/* Ctrl-C (SIGINT) is q: the live console asks first, naming what still
 * runs; a second Ctrl-C while it asks answers yes. */
static void
on_interrupt(int signo, void *arg)
{
	struct app *a = arg;

	(void)signo;
	if (a->dlg.flow == FLOW_QUIT) {
		dialog_close(a);
		app_apply(a, "quit");
		a->quit = 1;
		return;
	}
	if (a->dlg.flow != FLOW_NONE && !a->watch &&
	    session_mode(a->session) == SESSION_LIVE)
		dialog_close(a);
	quit_or_ask(a);
	app_dirty(a);
}

/* Messages: a due update reminder and undelivered messages, announced
 * once each in the status line and the log. */
static void
note_messages(struct app *a)
{
	static int64_t announced_due;
	static size_t announced_pending;
	size_t pending = session_outbox_pending(a->session);
	const char *step;
	int64_t due;
	char *list, line[160];

	if (session_reminder_due(a->session, &step, &due) &&
	    due != announced_due) {
		announced_due = due;
		snprintf(line, sizeof(line), "update reminder: the next "
			 "update is due (%s opens it, %s dismisses it)",
			 keymap_key_label(KM_GLOBAL, UI_UPDATE),
			 keymap_key_label(KM_GLOBAL, UI_UPDATE_DISMISS));
		logbuf_add(a->log, LOG_ALERT, line);
		app_status(a, 1, "update due: %s sends %s, %s dismisses",
			   keymap_key_label(KM_GLOBAL, UI_UPDATE), step,
			   keymap_key_label(KM_GLOBAL, UI_UPDATE_DISMISS));
	}
	if (pending != announced_pending) {
		size_t before = announced_pending;

		announced_pending = pending;
		list = session_outbox_describe(a->session);
		if (list)
			logbuf_add(a->log, LOG_ALERT, list);
		if (pending > before)
			app_status(a, 1, "%zu message%s not delivered yet "
				   "(see the log)", pending,
				   pending == 1 ? "" : "s");
		else
			app_status(a, 0, "%zu pending message%s delivered; "
				   "%zu still pending", before - pending,
				   before - pending == 1 ? "" : "s", pending);
		free(list);
	}
}

/* The console's clipboard: OSC 52 straight to the terminal. */
static int
app_clipboard(const char *text, size_t len, void *arg, struct err *err)
{
	(void)arg;
	return term_clipboard(text, len, err);
}

/* Once a second: the header clock, and escalations as their time comes. */
static void
on_clock(void *arg)
{
	struct app *a = arg;
	const struct pb_rto *rto = &a->pb->rto;
	int64_t elapsed = clock_wall_now(loop_clock(a->loop)) -
			  session_start_wall(a->session);

	for (size_t i = (size_t)a->alerted; i < rto->n_escalations; i++) {
		char text[256];

		if (elapsed < rto->escalations[i].after_us)
			break;
		logbuf_add(a->log, LOG_ALERT, rto->escalations[i].notify);
		bars_escalation_text(&rto->escalations[i], text, sizeof(text));
		show_alert(a, text);
		a->alerted = (int)i + 1;
	}
	note_messages(a);
	if (!a->watch)
		runview_tail_poll(a);	/* a past console's run, still going */
	a->clock_timer = loop_add_timer(a->loop, 1000000, on_clock, a);
	app_dirty(a);
}

/* An interactive step borrows the terminal: leave curses mode, then come
 * back to a full redraw. */
static void
on_tty(int suspend, void *arg)
{
	struct app *a = arg;

	if (suspend) {
		/* The command's stderr is the terminal's, not console.log. */
		a->log_stderr = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
		if (a->tty_stderr >= 0)
			dup2(a->tty_stderr, STDERR_FILENO);
		def_prog_mode();
		endwin();
		fputs("\nrewind: handing the terminal to the step; the console "
		      "comes back when it ends\n", stdout);
		fflush(stdout);
		return;
	}
	if (a->log_stderr >= 0) {
		dup2(a->log_stderr, STDERR_FILENO);
		close(a->log_stderr);
		a->log_stderr = -1;
	}
	reset_prog_mode();
	clearok(curscr, TRUE);
	app_dirty(a);
}

/* Wait for Enter or Esc on the terminal (the screen suspended), neither
 * echoed (an Esc must not print ^[); what an Esc sequence brings along
 * (an arrow key's bytes) is read and dropped. */
static void
wait_for_enter(void)
{
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	struct termios was, raw;
	int have = tcgetattr(STDIN_FILENO, &was) == 0;
	char c = 0;
	ssize_t n;

	if (have) {
		raw = was;
		raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
		raw.c_cc[VMIN] = 1;
		raw.c_cc[VTIME] = 0;
		tcsetattr(STDIN_FILENO, TCSANOW, &raw);
	}
	do {
		if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
			break;
		n = read(STDIN_FILENO, &c, 1);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
			break;
	} while (n != 1 || (c != '\n' && c != '\r' && c != 27));
	while (c == 27 && poll(&pfd, 1, 50) > 0 &&
	       read(STDIN_FILENO, &c, 1) == 1)
		c = 27;		/* the rest of an escape sequence */
	if (have)
		tcsetattr(STDIN_FILENO, TCSANOW, &was);
}

void
app_show_plain(struct app *a, const char *intro, const char *text)
{
	def_prog_mode();
	endwin();
	printf("\n%s\n\n%s\n\nPress Enter (or Esc) to go back to the console.\n",
	       intro, text);
	fflush(stdout);
	wait_for_enter();
	reset_prog_mode();
	clearok(curscr, TRUE);
	app_dirty(a);
}

/* While curses owns the terminal, stderr goes to the session's log. */
static int
redirect_stderr(struct app *a)
{
	char *path = xasprintf("%s/console.log", session_dir(a->session));
	int saved = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);

	free(path);
	if (fd >= 0) {
		dup2(fd, STDERR_FILENO);
		close(fd);
	}
	return saved;
}

static void
restore_stderr(int saved)
{
	if (saved >= 0) {
		dup2(saved, STDERR_FILENO);
		close(saved);
	}
}

/* --- main ----------------------------------------------------------------------------------- */

/* What a drill promises: nothing real, unless steps opted in to run
 * their read-only command in a throwaway clone. */
static const char *
drill_promise(const struct app *a)
{
	struct step_view v;

	for (size_t i = 0; drill_clone_allowed(a->session) &&
			   i < session_n_steps(a->session); i++)
		if (session_step_view(a->session, i, &v) == 0 &&
		    v.def->drill.real_in_clone)
			return "drill: simulated; read-only steps run in a clone";
	return "drill: nothing real is run";
}

void
app_init_view(struct app *a)
{
	a->pb = session_playbook(a->session);
	a->log_top = -1;
	a->journal_top = -1;
	a->search_hit = -1;
	a->side = PANE_DETAIL;
	a->focus = PANE_STEPS;
	a->last_phase = -1;
}

/* A resumed console starts on the step to act on (pane_steps_resume_row)
 * and says which in WORDS: "resumed at ID; ", "resumed at ID
 * (interrupted); " (the banner says what was in flight). */
static void
select_resume_row(struct app *a, char *words, size_t size)
{
	int row = pane_steps_resume_row(a);
	struct step_view v;

	snprintf(words, size, "resumed; ");
	if (row < 0 || app_step_at(a, row, &v) < 0)
		return;
	a->sel = row;
	a->steps_top = 0;
	snprintf(words, size, "resumed at %s%s; ", v.def->id,
		 v.state == STEP_INTERRUPTED ? " (interrupted)"
		 : v.state == STEP_FAILED ? " (failed)" : "");
}

/* Runs that ended after the previous console quit, as their keepers
 * recorded, in WORDS after what is there ("e.push ended after the
 * console quit: exit 0 at 10:41:07; "): nothing else says so at once. */
static void
ended_words(struct app *a, char *words, size_t size)
{
	size_t n = session_n_steps(a->session);

	for (size_t i = 0; i < n; i++) {
		struct step_view v;
		size_t len = strlen(words);
		char at[32];

		if (session_step_view(a->session, i, &v) < 0 ||
		    !v.ended_after_quit || !v.ended_news || len >= size)
			continue;
		timefmt_us(v.ended_after_quit, TF_HMS_ZONE, at, sizeof(at));
		snprintf(words + len, size - len, "%s ended after the console "
			 "quit: %s, exit %d at %s (its keeper's record); ",
			 v.def->id, v.state == STEP_DONE ? "done" : "failed",
			 v.exit_code, at);
	}
}

/* Resumed from another directory: where its commands run now, in WORDS
 * after what is there ("commands run in W, where it started; "). */
static void
workdir_words(struct app *a, char *words, size_t size)
{
	int moved, missing;
	const char *w = session_workdir(a->session, &moved, &missing);
	size_t len = strlen(words);
	char *safe;

	if (!w || (!moved && !missing) || len >= size)
		return;
	safe = sanitize_text(w, strlen(w));
	snprintf(words + len, size - len, missing
		 ? "its start directory %s is gone: commands run here; "
		 : "commands run in %s, where it started; ", safe);
	free(safe);
}

static void
init_app(struct app *a)
{
	char resumed[512] = "";

	app_init_view(a);
	a->rto_us = playbook_rto_within(a->pb, app_lookup, a->session);
	a->rto_from_us = rto_clock_from(a);
	a->rto_ready = 1;
	app_refresh_steps(a);
	if (a->resumed && !a->watch) {
		select_resume_row(a, resumed, sizeof(resumed));
		ended_words(a, resumed, sizeof(resumed));
		workdir_words(a, resumed, sizeof(resumed));
	}
	if (a->watch && a->follow)
		app_status(a, 0, "WATCH: following the session published to "
			   "%s, read-only; approve with the approver's command "
			   "on the approve step", share_follow_remote(a->follow));
	else if (a->watch)
		app_status(a, 0, "WATCH: following %s read-only; %s approves",
			   session_dir(a->session),
			   keymap_key_label(KM_STEPS, UI_APPROVE));
	else if (session_is_complete(a->session))
		app_status(a, 0, "session complete: open to be read, nothing "
			   "runs or is journalled; press %s for help",
			   keymap_key_label(KM_GLOBAL, UI_HELP));
	else
		app_status(a, 0, "%s%s%s%s: press %s for help", resumed,
			   a->operator_changed,
			   *a->operator_changed ? " (journalled); " : "",
			   session_mode(a->session) == SESSION_LIVE
			   ? "LIVE session: commands run for real"
			   : drill_promise(a),
			   keymap_key_label(KM_GLOBAL, UI_HELP));
}

/* Redraw when something changed, but at most once a frame: a command
 * flooding output then costs a few frames, not one per read. Output
 * alone, which nobody reads line by line as it scrolls, is drawn at half
 * that rate; a key or any other change is drawn at the full one. */
static void
run_loop(struct app *a)
{
	int64_t last = INT64_MIN / 2;

	while (!a->quit) {
		int64_t wait = -1;

		if (a->dirty) {
			int64_t now = clock_mono_now(loop_clock(a->loop));
			int64_t frame = a->dirty == APP_DIRTY_OUTPUT
					? OUTPUT_FRAME_US : FRAME_US;

			if (now - last >= frame) {
				a->dirty = 0;
				redraw(a);
				last = now;
			} else {
				wait = frame - (now - last);
			}
		}
		if (!a->dirty)
			testhook_idle();
		if (loop_run_once(a->loop, wait) < 0)
			break;
	}
}

/* After the console ends: each command it leaves running, with its pid and
 * command, so the operator knows what goes on without a console. */
static void
say_still_running(struct app *a)
{
	struct step_view v;
	char *cmd, *shown;

	for (size_t i = 0; i < session_n_steps(a->session); i++) {
		if (session_step_view(a->session, i, &v) < 0 ||
		    v.state != STEP_RUNNING || !v.def->run)
			continue;
		cmd = session_show_command(a->session, v.def->run);
		shown = sanitize_text(cmd, strlen(cmd));
		if (v.run_pid > 0)
			printf("rewind: %s is still running (pid %ld): %s\n"
			       "  its outcome is unknown until the next console "
			       "finds it ended\n", v.def->id, v.run_pid, shown);
		else if (session_mode(a->session) == SESSION_DRILL)
			printf("rewind: %s was running in the drill: %s\n"
			       "  a simulated run: there is no process (no pid) "
			       "to name\n", v.def->id, shown);
		else
			printf("rewind: %s is still running (pid not known): "
			       "%s\n", v.def->id, shown);
		free(shown);
		free(cmd);
	}
}

/* A copy someone took over: nothing here to resume; who runs it, and
 * how to follow it. */
static void
say_taken(const struct app *a, const char *dir)
{
	char *url = session_share_url_in(dir);
	char *id = share_session_id(dir);
	char *line = xasprintf("rewind: %s runs the session now (handed over); "
			       "this copy only reads%s%s%s%s", session_taken_by(
				       a->session), url ? "; follow it with: "
			       "rewind watch " : "", url ? url : "",
			       url ? "#" : "", url ? id : "");
	char *safe = sanitize_text(line, strlen(line));

	printf("%s\n", safe);
	free(safe);
	free(line);
	free(id);
	free(url);
}

static void
goodbye(struct app *a, const char *cmd)
{
	const char *dir = session_dir(a->session);

	if (a->watch)
		printf("rewind: stopped watching %s\n", dir);
	else if (session_is_complete(a->session))
		printf("rewind: session complete; journal in %s/journal.jsonl\n",
		       dir);
	else if (session_taken_by(a->session))
		say_taken(a, dir);
	else
		printf("rewind: session saved; resume it with: rewind %s %s\n",
		       cmd, dir);
	if (!a->watch)
		say_still_running(a);
}

static void
theme_setup(struct app *a, const struct cli_opts *o)
{
	char msg[256];

	term_theme(o->theme, msg, sizeof(msg));
	if (msg[0])
		app_status(a, 1, "%s", msg);
	term_time_zone(msg, sizeof(msg));
	if (msg[0])
		app_status(a, 1, "%s", msg);
}

/* --- watch: a session another process drives ------------------------------------------- */

#define WATCH_POLL_US 250000	/* new events show within a second */

/* Whether a console still drives the watched session; once none does,
 * say since when (and stop the clocks: nothing runs that anyone sees). */
static void
watch_driver(struct app *a)
{
	int64_t since = 0, was;
	char when[32], *text;

	if (!session_driver_gone(a->session, a->follow != NULL, &since)) {
		a->driver_gone_us = 0;
		return;
	}
	was = a->driver_gone_us;
	a->driver_gone_us = since;
	if (was)	/* said once, when it went */
		return;
	timefmt_us(since, TF_HMS_ZONE, when, sizeof(when));
	text = xasprintf("no console is driving this session since %s", when);
	show_alert(a, text);
	free(text);
	app_dirty(a);
}

static void
watch_poll(void *arg)
{
	struct app *a = arg;
	struct err err = { 0 };

	if (session_poll(a->session, &err) < 0)
		app_status(a, 1, "%s", err.msg);
	watch_driver(a);
	runview_tail_poll(a);
	replay_watch_poll(a);
	a->watch_timer = loop_add_timer(a->loop, WATCH_POLL_US, watch_poll, a);
}

static void
watch_history(const struct journal_event *ev, void *arg)
{
	struct app *a = arg;

	if (ev->seq <= session_n_events(a->session)) {
		app_summarise_event(a, ev->line);
		runview_watch_line(a, ev->line, session_dir(a->session));
	}
}

/* Attach to DIR without its lock, show its past in the Journal tab, and
 * read what its owner appends four times a second. */
static struct session *
watch_open(struct app *a, const char *dir, const struct clock *clk)
{
	struct err err = { 0 };
	char *path = xasprintf("%s/journal.jsonl", dir);
	struct journal *j;

	a->session = session_attach(dir, clk, &err);
	if (a->session) {
		session_set_entry(a->session, "watch");
		j = journal_open_readonly(path, watch_history, a, &err);
		journal_free(j);
		session_set_listener(a->session, on_core_event, a);
		replay_watch_open(a);
		a->watch_timer = loop_add_timer(a->loop, WATCH_POLL_US,
						watch_poll, a);
	} else {
		cli_print_error("rewind watch", err.msg);
	}
	free(path);
	return a->session;
}

static int console(const struct cli_opts *o, int watch);

/* How long a console that quits waits for its last publish (--share). */
#define QUIT_SHARE_US (5 * 1000000LL)

int
app_main(const struct cli_opts *o)
{
	return console(o, 0);
}

int
app_watch(const struct cli_opts *o)
{
	return console(o, 1);
}

static int
console(const struct cli_opts *o, int watch)
{
	struct app a = { 0 };
	struct cli_opts history;
	struct clock test_clock;
	struct err err = { 0 };
	const struct clock *clk;
	int saved_stderr;
	int rc = testhook_clock(&test_clock, &err);

	if (rc < 0) {
		cli_print_error("rewind", err.msg);
		return EXIT_USAGE;
	}
	clk = rc ? &test_clock : NULL;
	a.loop = loop_new(clk);
	/* Ours before newterm(), so ncurses does not install its own. */
	loop_add_signal(a.loop, SIGWINCH, on_winch, &a, NULL);
	a.log = logbuf_new(APP_LOG_LINES);
	a.journal = logbuf_new(APP_LOG_LINES);
	history = *o;
	history.history = 1;	/* the Journal tab shows the whole session */
	a.watch = watch;
	if (watch && o->follow_remote &&
	    !(a.follow = share_follow_start(a.loop, o->follow_gitdir,
					    o->follow_remote, o->follow_id,
					    o->args[0], &err))) {
		cli_print_error("rewind watch", err.msg);
		loop_free(a.loop);
		logbuf_free(a.log);
		logbuf_free(a.journal);
		return EXIT_USAGE;
	}
	a.session = watch ? watch_open(&a, o->args[0], clk)
			  : cli_open_session(&history, a.loop, clk,
					     on_core_event, &a);
	if (a.session && a.follow)
		session_set_origin(a.session, share_follow_remote(a.follow));
	if (!a.session || term_start(1) < 0) {
		if (a.session && !term_has_terminal())
			fputs("rewind: the console needs a terminal (its input "
			      "or output is not one); drive the session from a "
			      "script with --batch\n", stderr);
		else if (a.session)
			fprintf(stderr, "rewind: the terminal (TERM=%s) cannot "
				"run the console; use --batch\n",
				getenv("TERM") ? getenv("TERM") : "unset");
		replay_watch_close(&a);
		runview_tail_done(&a);
		share_follow_free(a.follow);
		session_free(a.session);
		logbuf_free(a.log);
		logbuf_free(a.journal);
		free(a.visible);
		loop_free(a.loop);
		return EXIT_USAGE;
	}
	saved_stderr = redirect_stderr(&a);
	a.tty_stderr = saved_stderr;
	a.log_stderr = -1;
	session_set_tty_handler(a.session, on_tty, &a);
	if (!a.watch && session_mode(a.session) == SESSION_DRILL)
		session_set_drill_pace(a.session, 1);	/* output at its pace */
	loop_add_signal(a.loop, SIGHUP, on_hangup, &a, NULL);
	loop_add_signal(a.loop, SIGTERM, on_hangup, &a, NULL);
	loop_add_signal(a.loop, SIGINT, on_interrupt, &a, NULL);
	session_set_clipboard_handler(a.session, app_clipboard, &a);
	init_app(&a);
	app_show_briefing(&a);
	theme_setup(&a, o);
	loop_add_fd(a.loop, STDIN_FILENO, LOOP_READ, on_stdin, &a);
	a.clock_timer = loop_add_timer(a.loop, 1000000, on_clock, &a);
	run_loop(&a);
	loop_del_fd(a.loop, STDIN_FILENO);
	loop_cancel_timer(a.loop, a.clock_timer);
	runview_stop(&a);
	if (a.watch_timer)
		loop_cancel_timer(a.loop, a.watch_timer);
	replay_watch_close(&a);
	runview_tail_done(&a);
	share_follow_free(a.follow);
	pane_detail_done(&a);
	term_stop();
	theme_end();
	restore_stderr(saved_stderr);
	if (!a.watch)	/* the quit itself goes to the remote too */
		session_share_settle(a.session, QUIT_SHARE_US);
	goodbye(&a, session_mode(a.session) == SESSION_LIVE ? "run" : "drill");
	dialog_close(&a);
	session_free(a.session);
	logbuf_free(a.log);
	logbuf_free(a.journal);
	free(a.visible);
	loop_free(a.loop);
	return EXIT_OK;
}
