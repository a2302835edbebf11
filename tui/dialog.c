/* Dialogs: typed confirmation, decisions with their recommendation,
 * approvals, variable input checked as you type, notes, message preview,
 * quit. Esc closes any of them with no effect; only Enter on the last
 * question applies an action, through the same batch syntax as
 * everything else. */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include "action.h"
#include "app.h"
#include "banner.h"
#include "commands.h"
#include "draw.h"
#include "drill.h"
#include "err.h"
#include "identity.h"
#include "keymap.h"
#include "sanitize.h"
#include "say.h"
#include "share.h"
#include "strbuf.h"
#include "theme.h"
#include "timefmt.h"
#include "withdrawn.h"
#include "xalloc.h"

/* Quote WORD for the batch syntax. */
static void
add_quoted(struct strbuf *sb, const char *word)
{
	strbuf_addc(sb, '"');
	for (const char *p = word; *p; p++) {
		if (*p == '"' || *p == '\\')
			strbuf_addc(sb, '\\');
		strbuf_addc(sb, *p);
	}
	strbuf_addc(sb, '"');
}

static void
clear_choices(struct dialog *d)
{
	for (int i = 0; i < d->n_choices; i++) {
		free(d->choices[i]);
		free(d->notes[i]);
		d->notes[i] = NULL;
	}
	d->n_choices = 0;
	d->sel = 0;
	d->recommended = -1;
	d->hide_recommended = 0;
}

void
dialog_close(struct app *a)
{
	clear_choices(&a->dlg);
	free(a->dlg.body);
	memset(&a->dlg, 0, sizeof(a->dlg));
	app_dirty(a);
}

/* Add choice TEXT with its description NOTE (may be NULL). */
static void
add_choice(struct dialog *d, const char *text, const char *note)
{
	if (d->n_choices >= DLG_MAX_CHOICES)
		return;
	d->notes[d->n_choices] = note && *note ? xstrdup(note) : NULL;
	d->choices[d->n_choices++] = xstrdup(text);
}

/* Show TEXT (taken) in the body area from its top. */
static void
set_body(struct dialog *d, char *text)
{
	free(d->body);
	d->body = text;
	d->body_top = 0;
	d->body_seen = 0;
}

static void
set_input(struct dialog *d, const char *initial)
{
	snprintf(d->buf, sizeof(d->buf), "%s", initial ? initial : "");
	d->len = strlen(d->buf);
	d->cur = d->len;
	d->prefilled = d->len > 0;
}

static const struct pb_step *
dialog_step(const struct app *a)
{
	return playbook_find_step(a->pb, a->dlg.step, NULL, NULL);
}

/* --- setting up each question ---------------------------------------------- */

/* The warning for the variable picked's value the dialog opens with (a
 * withdrawn restore target, set before); it never refuses the value. */
static void
check_withdrawn(struct app *a)
{
	char *warning = withdrawn_target_warning(a->session, a->dlg.pick,
						 a->dlg.buf);

	snprintf(a->dlg.warning, sizeof(a->dlg.warning), "%s",
		 warning ? warning : "");
	free(warning);
}

/* WARNING (taken, may be NULL) before the prompt now in the dialog. */
static void
warn_in_prompt(struct app *a, char *warning)
{
	char prompt[sizeof(a->dlg.prompt)];

	if (!warning)
		return;
	snprintf(prompt, sizeof(prompt), "%s", a->dlg.prompt);
	snprintf(a->dlg.prompt, sizeof(a->dlg.prompt), "%s\n%s", warning,
		 prompt);
	free(warning);
}

/* The dialog's title: WHAT and the step's title as the operator reads it
 * (values, or placeholders while unset). */
static void
dialog_title(struct app *a, const char *what, const struct pb_step *st)
{
	char *title = session_show_text(a->session, st->title);

	snprintf(a->dlg.title, sizeof(a->dlg.title), "%s: %s", what, title);
	free(title);
}

/* "It already ran and succeeded at HH:MM:SS UTC; run again? " for a
 * step done, else ""; for a run interrupted and recorded done by a hand
 * check, that, never "succeeded" (no one saw it end). */
static void
succeeded_at(struct app *a, const struct pb_step *st, char *buf,
	     size_t size)
{
	struct step_view v;
	char when[32];
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < session_n_steps(a->session); i++)
		if (session_step_view(a->session, i, &v) == 0 && v.def == st)
			break;
	if (i == session_n_steps(a->session) || v.state != STEP_DONE)
		return;
	if (v.hand_check) {
		timefmt_us(v.run_wall_us ? v.run_wall_us : v.wall_us,
			   TF_HMS_ZONE, when, sizeof(when));
		snprintf(buf, size, "Its run at %s was interrupted (outcome "
			 "unknown) and recorded done by hand (%.120s); run "
			 "again? ", when, v.hand_check);
		return;
	}
	timefmt_us(v.wall_us, TF_HMS_ZONE, when, sizeof(when));
	snprintf(buf, size, "It already ran and succeeded at %s; run again? ",
		 when);
}

static void
setup_confirm(struct app *a, const struct pb_step *st)
{
	struct err err = { 0 };
	char *want = session_show_confirm(a->session, st->confirm ?
					  st->confirm : st->id, &err);
	char *shown = session_show_command(a->session, st->run);

	int again = session_step_state(a->session, st->id) == STEP_INTERRUPTED;
	char done[320];

	succeeded_at(a, st, done, sizeof(done));
	dialog_title(a, "Confirm", st);
	snprintf(a->dlg.prompt, sizeof(a->dlg.prompt), "%s%sThis step is "
		 "destructive. Type %s to run it.", done, !again ? ""
		 : app_last_run_cancelled(a, st->id) ? "Its last run was cancelled "
		 "and may have done its work: check before running it again. "
		 : "Its last run was interrupted and may have done its work: "
		 "check before running it again. ", want ? want : err.msg);
	/* The command as written, then as the shell will get it. */
	set_body(&a->dlg, xasprintf("As written:\n%s\nWith this session's "
				    "values:\n%s", st->run, shown));
	warn_in_prompt(a, withdrawn_warning_for_text(a->session, st->run));
	free(shown);
	free(want);
}

static void
setup_choose(struct app *a, const struct pb_step *st)
{
	const struct pb_option *rec = playbook_recommend(st, app_lookup, a->session);

	dialog_title(a, "Decide", st);
	snprintf(a->dlg.prompt, sizeof(a->dlg.prompt), "%s", rec
		 ? (st->matrix ? "The matrix recommends the marked option."
		    : "The runbook recommends the marked option.") : st->matrix
		 ? "Set the matrix variables to see a recommendation."
		 : "Choose one.");
	for (size_t i = 0; i < st->n_options; i++) {
		char buf[256];

		snprintf(buf, sizeof(buf), "%s: %s", st->options[i].id,
			 st->options[i].label);
		if (&st->options[i] == rec)
			a->dlg.recommended = (int)i;
		add_choice(&a->dlg, buf, st->options[i].description);
	}
	if (session_mode(a->session) == SESSION_DRILL) {
		/* A trainee decides unprompted: nothing is selected and the
		 * matrix's answer waits until the decision is made. */
		a->dlg.sel = -1;
		a->dlg.hide_recommended = 1;
		snprintf(a->dlg.prompt, sizeof(a->dlg.prompt), "Drill: choose "
			 "one (%s moves); the recommendation shows once you "
			 "have decided.", keymap_key_label(KM_DIALOG,
							   UI_MOVE_DOWN));
	} else if (a->dlg.recommended >= 0) {
		a->dlg.sel = a->dlg.recommended;
	}
}

static void
setup_input(struct app *a, const char *var_name, const char *title)
{
	const struct pb_variable *v = playbook_find_var(a->pb, var_name);
	const char *now = session_var(a->session, var_name);
	/* A time_of step run again since NOW was set: its new end, offered
	 * as for its first run. */
	char *offer = session_var_fresh_offer(a->session, var_name);

	snprintf(a->dlg.title, sizeof(a->dlg.title), "%s", title);
	/* Setting a variable by name passes its own pick: no overlapping
	 * copy, which left the name empty. */
	if (var_name != a->dlg.pick)
		snprintf(a->dlg.pick, sizeof(a->dlg.pick), "%s", var_name);
	snprintf(a->dlg.prompt, sizeof(a->dlg.prompt), "%s%s%s%s%s%s%s",
		 v && v->prompt ? v->prompt : var_name,
		 v && v->pattern ? "\nMust match: " : "",
		 v && v->pattern ? v->pattern : "",
		 offer ? "\nOffered from the journal: when " : "",
		 offer ? v->time_of[0] : "", offer && v->n_time_of > 1
		 ? " (or the others named) was done" : offer ? " was done" : "",
		 offer && now ? " again" : "");
	a->dlg.pattern = v ? v->pattern : NULL;
	set_input(&a->dlg, offer ? offer : now && !(v && v->secret) ? now
		  : v ? v->default_value : NULL);
	check_withdrawn(a);
	free(offer);
}

static void
setup_roles(struct app *a, const struct pb_step *st)
{
	dialog_title(a, "Approve", st);
	snprintf(a->dlg.prompt, sizeof(a->dlg.prompt), "Which role is "
		 "approving? (the operator, %s, cannot)",
		 session_operator(a->session));
	for (size_t i = 0; i < st->n_roles; i++)
		add_choice(&a->dlg, st->roles[i].role, NULL);
	warn_in_prompt(a, session_approval_withdrawn(a->session, st->id));
}

static void
setup_preview(struct app *a, const struct pb_step *st)
{
	struct err err = { 0 };

	dialog_title(a, "Send", st);
	set_body(&a->dlg, session_render(a->session, st->template, &err));
	if (a->dlg.body)
		snprintf(a->dlg.prompt, sizeof(a->dlg.prompt), "%s sends this "
			 "message; %s edits it first; %s keeps it unsent.",
			 keymap_key_label(KM_DIALOG, UI_SUBMIT),
			 keymap_key_label(KM_DIALOG, UI_EDIT),
			 keymap_key_label(KM_DIALOG, UI_DISMISS));
	else
		snprintf(a->dlg.prompt, sizeof(a->dlg.prompt), "%s", err.msg);
}

/* One line of the variable list: name, value now, default. */
static void
var_choice(const struct app *a, const struct pb_variable *v, char *buf,
	   size_t size)
{
	const char *now = session_var(a->session, v->name);
	int n;

	n = snprintf(buf, size, "%-20s %s", v->name, !now ? "(unset)"
		     : v->secret ? "********" : now);
	if (v->default_value && n > 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, "   default %s", v->secret
			 ? "********" : v->default_value);
}

static void
setup_vars(struct app *a)
{
	char line[256];

	snprintf(a->dlg.title, sizeof(a->dlg.title), "Set a variable");
	snprintf(a->dlg.prompt, sizeof(a->dlg.prompt), "Which one? (its "
		 "value now, and its default)");
	for (size_t i = 0; i < a->pb->n_variables; i++) {
		char *warning = withdrawn_target_warning(
			a->session, a->pb->variables[i].name, NULL);

		var_choice(a, &a->pb->variables[i], line, sizeof(line));
		add_choice(&a->dlg, line, warning);
		free(warning);
	}
}

static void
setup_text(struct app *a, const char *title, const char *prompt)
{
	snprintf(a->dlg.title, sizeof(a->dlg.title), "%s", title);
	snprintf(a->dlg.prompt, sizeof(a->dlg.prompt), "%s", prompt);
}

/* The prediction, asked before a run; for a destructive step it comes
 * before the typed confirmation, so its title and prompt say it is not
 * the confirmation (a version typed here is recorded as the guess). */
static void
setup_predict(struct app *a, const struct pb_step *st)
{
	setup_text(a, st->destructive ? "Prediction (not the confirmation)"
		   : "Prediction", "Your prediction, before it runs: what do "
		   "you expect? (e.g. \"ok\", \"fails\", \"exit 1\", \"times "
		   "out\"; kept for the debrief)");
	if (st->destructive)
		snprintf(a->dlg.prompt, sizeof(a->dlg.prompt), "Your "
			 "prediction, not the confirmation: what do you expect "
			 "this run to do? (e.g. \"ok\", \"fails\", \"exit 1\"; "
			 "kept for the debrief). The confirmation you type "
			 "comes next.");
}

/* Before a watcher signs: what the sign-off covers, line by line (as
 * rewind approve shows it), and a y/N question. */
static void
setup_sign(struct app *a)
{
	char *covers = session_approval_covers(a->session, a->dlg.step);

	snprintf(a->dlg.title, sizeof(a->dlg.title), "Sign %s?", a->dlg.step);
	snprintf(a->dlg.prompt, sizeof(a->dlg.prompt), "Sign as %s (%s)? "
		 "Your sign-off covers what is shown; it is recorded as "
		 "signed from rewind watch by login %s. y/N: y signs, n "
		 "(or %s) does not.", a->dlg.name, a->dlg.pick,
		 identity_real_login(),
		 keymap_key_label(KM_DIALOG, UI_DISMISS));
	set_body(&a->dlg, covers ? covers : xstrdup("(nothing)"));
}

/* The approver's name; in a drill, the names the game master plays for
 * the role picked (a sign-off by anyone else does not count). */
static void
setup_approver(struct app *a)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; session_mode(a->session) == SESSION_DRILL &&
	     i < a->pb->n_drill_approvers; i++)
		if (strcasecmp(a->pb->drill_approvers[i].name,
			       a->dlg.pick) == 0)
			strbuf_addf(&sb, "%s%s", sb.len ? ", " : "",
				    a->pb->drill_approvers[i].value);
	setup_text(a, "Approver", "Approver's name:");
	if (sb.len)
		snprintf(a->dlg.prompt, sizeof(a->dlg.prompt), "Approver's "
			 "name (the drill's approvers for %s: %s; no other "
			 "sign-off counts):", a->dlg.pick, strbuf_str(&sb));
	strbuf_done(&sb);
}

/* The last question before the console signs: the comment, under what
 * the sign-off covers (the watcher is shown it at the y/N question). */
static void
setup_comment(struct app *a)
{
	char *covers;

	setup_text(a, "Comment", "Comment (optional):");
	if (a->watch)
		return;
	covers = session_approval_covers(a->session, a->dlg.step);
	snprintf(a->dlg.prompt, sizeof(a->dlg.prompt), "Comment (optional): "
		 "the sign-off of %s (%s) covers what is shown. It is recorded "
		 "as entered at %s's console (login %s), not signed by %s "
		 "elsewhere. %s signs.", a->dlg.name, a->dlg.pick,
		 session_operator(a->session), identity_real_login(),
		 a->dlg.name, keymap_key_label(KM_DIALOG, UI_SUBMIT));
	set_body(&a->dlg, covers ? covers : xstrdup("(nothing)"));
}

/* " The team's remote does not have everything (share: ...): ..." when
 * the session's last publish failed or was refused, else "". */
static void
unpublished_words(struct app *a, char *buf, size_t size)
{
	int state = session_share_state(a->session);
	char text[512];

	buf[0] = '\0';
	if ((state != SHARE_OFFLINE && state != SHARE_REJECTED) ||
	    !session_share_text(a->session, text, sizeof(text)))
		return;
	snprintf(buf, size, " The team's remote does not have everything "
		 "(%s): what it lacks stays in this machine's journal until a "
		 "console of this session here publishes it.", text);
}

/* The quit question; a running command is named: it goes on without the
 * console; what the team's remote lacks is said. */
static void
setup_quit(struct app *a)
{
	struct step_view v;
	char unpub[640];
	const char *running = NULL;
	const char *ok = keymap_key_label(KM_DIALOG, UI_SUBMIT);
	const char *no = keymap_key_label(KM_DIALOG, UI_DISMISS);

	for (size_t i = 0; i < session_n_steps(a->session) && !running; i++)
		if (session_step_view(a->session, i, &v) == 0 &&
		    v.state == STEP_RUNNING)
			running = v.def->id;

	setup_text(a, "Quit", "");
	unpublished_words(a, unpub, sizeof(unpub));
	if (running)
		snprintf(a->dlg.prompt, sizeof(a->dlg.prompt), "Quit the "
			 "live console? %s is still running: its command goes "
			 "on without a console, and the next console finds it "
			 "(outcome unknown until then).%s %s quits, %s stays.",
			 running, unpub, ok, no);
	else
		snprintf(a->dlg.prompt, sizeof(a->dlg.prompt), "Quit the "
			 "live console? The session stays resumable.%s %s "
			 "quits, %s stays.", unpub, ok, no);
}

/* The successor's name: they take the session with --take; until then
 * this console commands it. */
static void
setup_handover(struct app *a)
{
	setup_text(a, "Offer the hand-over", "");
	snprintf(a->dlg.prompt, sizeof(a->dlg.prompt), "Offer the session "
		 "to (their name): they take it over on their machine with "
		 "rewind %s --take REMOTE#SESSION --operator NAME; until then "
		 "you command it here. %s offers, %s does not.",
		 session_mode(a->session) == SESSION_DRILL ? "drill" : "run",
		 keymap_key_label(KM_DIALOG, UI_SUBMIT),
		 keymap_key_label(KM_DIALOG, UI_DISMISS));
}

static void
setup_withdraw(struct app *a)
{
	setup_text(a, "Withdraw the hand-over?", "");
	snprintf(a->dlg.prompt, sizeof(a->dlg.prompt), "The session is "
		 "offered to %s. Withdraw the offer? %s withdraws it, %s "
		 "keeps it.", session_handover_offer(a->session),
		 keymap_key_label(KM_DIALOG, UI_YES),
		 keymap_key_label(KM_DIALOG, UI_NO));
}

/* The execute phase's change (its first run step that applies, a
 * destructive one first) when none of its run steps has run yet (done, or
 * interrupted with its outcome unknown): nothing has been rolled back.
 * NULL once one ran, or when the phase runs nothing. */
static const char *
change_not_run(struct app *a)
{
	const char *first = NULL, *destructive = NULL;
	struct step_view v;

	for (size_t i = 0; i < session_n_steps(a->session); i++) {
		if (session_step_view(a->session, i, &v) < 0 ||
		    v.phase != PHASE_EXECUTE || v.def->kind != STEP_KIND_RUN ||
		    !v.active)
			continue;
		if (v.state == STEP_DONE || v.state == STEP_RUNNING ||
		    v.run_unknown)
			return NULL;
		if (!first)
			first = v.def->id;
		if (!destructive && v.def->destructive)
			destructive = v.def->id;
	}
	return destructive ? destructive : first;
}

/* A required verify step marked n/a before the change it verifies ran:
 * the sentence that says so (caller frees), or NULL. */
static char *
unverified_warning(struct app *a, const struct pb_step *st)
{
	const char *change;
	struct step_view v;

	if (app_step_at(a, a->sel, &v) < 0 || v.def != st ||
	    v.phase != PHASE_VERIFY)
		return NULL;
	change = change_not_run(a);
	if (!change)
		return NULL;
	return xasprintf("Nothing has been rolled back yet: %s (execute) has "
			 "not run, so there is no change for this check to "
			 "verify.", change);
}

/* Before a required step is marked n/a: it will not run, and the phase
 * no longer waits for it (and, for a verification, whether the change it
 * verifies ran); y goes on to the reason. */
static void
setup_na_sure(struct app *a, const struct pb_step *st)
{
	char *title = session_show_text(a->session, st->title);
	char *unverified = unverified_warning(a, st);

	setup_text(a, "Mark n/a?", "");
	struct step_view v;
	int unknown = app_step_at(a, a->sel, &v) == 0 && v.def == st &&
		      v.run_unknown;
	char *why = unknown ? xasprintf("it will not run again; its "
					"interrupted run stays outcome unknown "
					"(if it did its work, %s records that "
					"instead)", keymap_key_label(KM_STEPS,
								     UI_TICK))
			    : xstrdup("it will not run");

	snprintf(a->dlg.prompt, sizeof(a->dlg.prompt), "%s%sMark required "
		 "step %s (%s) n/a? %s%s; y/N", unverified ? unverified : "",
		 unverified ? " " : "",
		 st->id, title, why, st->destructive ? " (a destructive step)"
		 : "");
	free(unverified);
	free(why);
	free(title);
}

/* The tick key on a ticked check: untick it (ticked by mistake)? */
static void
setup_untick_sure(struct app *a, const struct pb_step *st)
{
	char *title = session_show_text(a->session, st->title);

	setup_text(a, "Untick?", "");
	snprintf(a->dlg.prompt, sizeof(a->dlg.prompt), "Untick %s (%s)? it "
		 "is to do again; y/N", st->id, title);
	free(title);
}

/* The key that marks a step n/a, on one marked so: reopen it. */
static void
setup_reopen(struct app *a, const struct pb_step *st)
{
	struct step_view v;
	const char *why = NULL;

	for (size_t i = 0; i < session_n_steps(a->session); i++)
		if (session_step_view(a->session, i, &v) == 0 && v.def == st)
			why = v.na_reason;
	setup_text(a, "Reopen", "");
	snprintf(a->dlg.prompt, sizeof(a->dlg.prompt), "%s is marked n/a "
		 "(%s). Reopen it, to do? Why (optional); %s reopens, %s "
		 "keeps it n/a", st->id, why ? why : "no reason given",
		 keymap_key_label(KM_DIALOG, UI_SUBMIT),
		 keymap_key_label(KM_DIALOG, UI_DISMISS));
}

/* Optional steps of the phase still open that completing skips. */
static int
optional_open(struct app *a)
{
	struct step_view v;
	int n = 0;

	for (size_t i = 0; i < session_n_steps(a->session); i++)
		if (session_step_view(a->session, i, &v) == 0 &&
		    v.phase == session_phase(a->session) && v.active &&
		    !v.def->required && (v.state == STEP_OPEN ||
					 v.state == STEP_FAILED ||
					 v.state == STEP_INTERRUPTED))
			n++;
	return n;
}

int
dialog_open_optional_left(struct app *a)
{
	int n = optional_open(a);

	if (n == 0)
		return 0;
	dialog_open(a, FLOW_COMPLETE_SURE, NULL);
	snprintf(a->dlg.prompt, sizeof(a->dlg.prompt), "Complete the "
		 "session? %d optional step%s still open and will be marked "
		 "skipped. y/N", n, n == 1 ? " is" : "s are");
	return 1;
}

void
dialog_refresh_quit(struct app *a)
{
	if (a->dlg.flow != FLOW_QUIT)
		return;
	setup_quit(a);
	app_dirty(a);
}

void
dialog_open(struct app *a, enum flow flow, const char *step)
{
	const struct pb_step *st;

	clear_choices(&a->dlg);
	set_body(&a->dlg, NULL);
	a->dlg.flow = flow;
	a->dlg.error[0] = '\0';
	a->dlg.warning[0] = '\0';
	a->dlg.pattern = NULL;
	set_input(&a->dlg, NULL);
	if (step)
		snprintf(a->dlg.step, sizeof(a->dlg.step), "%s", step);
	st = dialog_step(a);
	switch (flow) {
	case FLOW_CONFIRM: setup_confirm(a, st); break;
	case FLOW_CHOOSE: setup_choose(a, st); break;
	case FLOW_REASON: setup_text(a, "Reason", "Why this option? "
				     "(kept in the journal and the report)");
		a->dlg.hide_recommended =
			session_mode(a->session) == SESSION_DRILL;
		break;
	case FLOW_APPROVE_ROLE: setup_roles(a, st); break;
	case FLOW_APPROVE_NAME: setup_approver(a); break;
	case FLOW_APPROVE_COMMENT: setup_comment(a); break;
	case FLOW_APPROVE_SIGN: setup_sign(a); break;
	case FLOW_INPUT: setup_input(a, st->variable, st->title); break;
	case FLOW_NA_SURE: setup_na_sure(a, st); break;
	case FLOW_REOPEN: setup_reopen(a, st); break;
	case FLOW_UNTICK_SURE: setup_untick_sure(a, st); break;
	case FLOW_NA: setup_text(a, "Not applicable", "Why does this step "
				 "not apply?"); break;
	case FLOW_NOTE: setup_text(a, "Note", "Note for the journal:"); break;
	case FLOW_HAND_CHECK: setup_text(a, "Checked by hand", "The "
				 "interrupted run did its work: what did you "
				 "check? (e.g. what the registry serves now)");
		break;
	case FLOW_PREVIEW: setup_preview(a, st); break;
	case FLOW_QUIT: setup_quit(a); break;
	case FLOW_COMPLETE_SURE: setup_text(a, "Complete?", ""); break;
	case FLOW_PICK_SURE: setup_text(a, "Replace?", ""); break;
	case FLOW_SETVAR_NAME: setup_vars(a); break;
	case FLOW_SETVAR_VALUE: setup_input(a, a->dlg.pick, "Set a variable");
		break;
	case FLOW_SEARCH: setup_text(a, "Search", "Find in the output:");
		set_input(&a->dlg, a->search); break;
	case FLOW_PREDICT: setup_predict(a, st); break;
	case FLOW_HANDOVER: setup_handover(a); break;
	case FLOW_WITHDRAW_SURE: setup_withdraw(a); break;
	default: break;
	}
	/* What was typed before the dialog was drawn was not meant for it
	 * (a stray key would become a decision's reason): it is dropped. */
	flushinp();
	app_dirty(a);
}

/* --- acting on the selected step -------------------------------------------- */

/* Apply a formatted batch line; on success, when REPORT, say so in the
 * status line (a refusal is always reported by app_apply). */
static int
apply_fmt(struct app *a, int report, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
apply_fmt(struct app *a, int report, const char *fmt, ...)
{
	char line[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	return report ? app_apply_report(a, line) : app_apply(a, line);
}

/* Run step ID: a run that ended at once (an interactive one, a drill's)
 * says how it ended, failed or done, as one ending on the loop does. */
static void
run_step(struct app *a, const char *id)
{
	char line[300];
	int rc;

	snprintf(line, sizeof(line), "run %s", id);
	rc = app_apply(a, line);
	if (rc == 1)
		app_status(a, 0, "%s started", id);
	else if (rc == 0)
		app_step_done_status(a, id);
}

/* A step whose condition does not hold takes no action: the status line
 * says why instead of opening its dialog. Returns whether it refused. */
static int
refuse_inactive(struct app *a, const struct step_view *v)
{
	const struct pb_cond *wait;

	if (v->active)
		return 0;
	wait = playbook_when_waiting_on(&v->def->when, app_lookup, a->session);
	if (wait) {
		struct strbuf sb = STRBUF_INIT;

		for (size_t i = 0; i < wait->n_values; i++)
			strbuf_addf(&sb, "%s%s", i ? ", " : "",
				    wait->values[i]);
		app_status(a, 1, "%s waits on %s: it applies once %s is %s%s",
			   v->def->id, wait->var, wait->var,
			   wait->n_values > 1 ? "one of " : "", strbuf_str(&sb));
		strbuf_done(&sb);
	} else
		app_status(a, 1, "%s does not apply: its condition does not "
			   "hold (see the step pane), so there is nothing to "
			   "do", v->def->id);
	return 1;
}

/* A step marked n/a takes no action: the status line says so and why,
 * and no dialog opens. Returns whether it refused. */
static int
refuse_na(struct app *a, const struct step_view *v)
{
	if (v->state != STEP_NA)
		return 0;
	app_status(a, 1, "%s is marked n/a (%s): it does not run, and "
		   "nothing is asked", v->def->id, v->na_reason ? v->na_reason
		   : "no reason given");
	return 1;
}

/* A destructive step's confirmation text cannot be typed while a
 * variable it names has no value: the status line says which, and no
 * dialog asks for a text it cannot show. Returns whether it refused. */
static int
refuse_unconfirmable(struct app *a, const struct pb_step *st)
{
	struct err err = { 0 };
	char *want = session_render(a->session, st->confirm ? st->confirm
							   : st->id, &err);
	struct action act = { .kind = ACT_RUN, .step = (char *)st->id };
	char words[sizeof(a->status)];

	if (want && !session_confirm_blank(st->id, st->confirm ? st->confirm
					   : st->id, want, &err)) {
		free(want);
		return 0;
	}
	free(want);
	say_refusal(&act, err.msg, words, sizeof(words));
	app_status(a, 1, "%s", words);
	session_refuse_run(a->session, st->id, err.msg);
	return 1;
}

/* Refuse marking ST n/a at once when the core would (the reason in the
 * status line); returns whether it refused. */
static int
refuse_marking_na(struct app *a, const struct pb_step *st)
{
	struct err err = { 0 };
	struct action act = { .kind = ACT_NA, .step = (char *)st->id };
	char words[sizeof(a->status)];

	if (session_may_na(a->session, st->id, &err) == 0)
		return 0;
	say_refusal(&act, err.msg, words, sizeof(words));
	app_status(a, 1, "%s", words);
	return 1;
}

/* Whether ST is a step Enter runs (a command, a probe, a wait). */
static int
runs_something(const struct pb_step *st)
{
	return st->kind == STEP_KIND_RUN || st->kind == STEP_KIND_PROBE ||
	       st->kind == STEP_KIND_WAIT;
}

static void
act_default(struct app *a, const struct step_view *v)
{
	const struct pb_step *st = v->def;
	struct err err = { 0 };

	if (refuse_inactive(a, v) || refuse_na(a, v)) {
		if (runs_something(st))	/* a refused run leaves a trace */
			session_refuse_run(a->session, st->id, a->status);
		return;
	}
	switch (st->kind) {
	case STEP_KIND_CHECK: apply_fmt(a, 1, "tick %s", st->id); break;
	case STEP_KIND_RUN:
		/* While another command runs the run is refused (and the
		 * refusal journalled) before a prediction or confirmation is
		 * asked. */
		if (v->orphan)	/* never a second copy */
			banner_refuse_rerun(a, v);
		else if (session_may_run(a->session, st->id, &err) < 0)
			run_step(a, st->id);
		else if (drill_wants_prediction(a->session, st->id) &&
		    !drill_prediction(a->session, st->id))
			dialog_open(a, FLOW_PREDICT, st->id);
		else if (st->destructive && !v->confirmed) {
			if (!refuse_unconfirmable(a, st))
				dialog_open(a, FLOW_CONFIRM, st->id);
		} else
			run_step(a, st->id);
		break;
	case STEP_KIND_PROBE: case STEP_KIND_WAIT:
		run_step(a, st->id);
		break;
	case STEP_KIND_DECIDE: dialog_open(a, FLOW_CHOOSE, st->id); break;
	case STEP_KIND_APPROVE: dialog_open(a, FLOW_APPROVE_ROLE, st->id); break;
	case STEP_KIND_INPUT: dialog_open(a, FLOW_INPUT, st->id); break;
	case STEP_KIND_MESSAGE: dialog_open(a, FLOW_PREVIEW, st->id); break;
	default: break;
	}
}

void
dialog_open_for_step(struct app *a, enum uiact act)
{
	struct step_view v;

	if (app_step_at(a, a->sel, &v) < 0) {
		app_status(a, 1, "no step selected");
		return;
	}
	switch (act) {
	case UI_TICK:
		if (v.def->kind == STEP_KIND_CHECK && v.state == STEP_DONE)
			dialog_open(a, FLOW_UNTICK_SURE, v.def->id);
		else if (v.def->kind == STEP_KIND_CHECK)
			apply_fmt(a, 1, "tick %s", v.def->id);
		else if (session_act_applies(a->session, ACT_TICK, v.def->id))
			dialog_open(a, FLOW_HAND_CHECK, v.def->id);
		else
			app_status(a, 1, "%s ticks checklist items; %s is a "
				   "%s step: %s acts on it",
				   keymap_key_label(KM_STEPS, UI_TICK),
				   v.def->id, playbook_kind_name(v.def->kind),
				   keymap_key_label(KM_STEPS, UI_ACT));
		break;
	case UI_NA:
		/* A step that cannot be marked n/a (an approval, a done
		 * step...) is refused at once, before any question. */
		if (v.state != STEP_NA && refuse_marking_na(a, v.def))
			break;
		dialog_open(a, v.state == STEP_NA ? FLOW_REOPEN
			    : v.def->required ? FLOW_NA_SURE : FLOW_NA,
			    v.def->id);
		break;
	case UI_CANCEL_STEP: apply_fmt(a, 1, "cancel %s", v.def->id); break;
	case UI_APPROVE:
		if (v.def->kind == STEP_KIND_APPROVE)
			dialog_open(a, FLOW_APPROVE_ROLE, v.def->id);
		else
			app_status(a, 1, "%s is not an approval step",
				   v.def->id);
		break;
	default: act_default(a, &v); break;
	}
}

/* --- answers --------------------------------------------------------------------- */

static void
submit_approval(struct app *a, const char *comment)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "approve %s ", a->dlg.step);
	add_quoted(&sb, a->dlg.pick);
	strbuf_addc(&sb, ' ');
	add_quoted(&sb, a->dlg.name);
	if (comment && *comment)
		strbuf_addf(&sb, " %s", comment);
	if (app_apply(a, sb.buf) >= 0)
		app_status(a, 0, "%s approved as %s", a->dlg.name, a->dlg.pick);
	strbuf_done(&sb);
}

static void
submit_set(struct app *a)
{
	struct strbuf sb = STRBUF_INIT;
	char *warn = session_set_warning(a->session, a->dlg.pick,
					 a->dlg.buf);

	strbuf_addf(&sb, "set %s ", a->dlg.pick);
	add_quoted(&sb, a->dlg.buf);
	if (app_apply(a, sb.buf) >= 0) {
		if (warn)
			app_status(a, 1, "%s set. %s", a->dlg.pick, warn);
		else
			app_status(a, 0, "%s set", a->dlg.pick);
	}
	free(warn);
	strbuf_done(&sb);
}

/* Offer the session to NAME (as one word of the batch syntax). */
static void
submit_handover(struct app *a, const char *name)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_adds(&sb, "handover ");
	add_quoted(&sb, name);
	if (app_apply(a, sb.buf) >= 0) {
		const char *to = session_handover_offer(a->session);
		char *take = handover_take_line(a->session, to);
		char *safe = sanitize_text(take, strlen(take));

		app_status(a, 0, "handover offered to %s; they take it with: %s",
			   to, safe);
		free(safe);
		free(take);
	}
	strbuf_done(&sb);
}

/* Move on to FLOW; the step, pick and name stay. */
static void
next_question(struct app *a, enum flow flow)
{
	dialog_open(a, flow, NULL);
}

static void
pick_choice(struct app *a)
{
	const struct pb_step *st = dialog_step(a);
	const char *text = a->dlg.choices[a->dlg.sel];

	switch (a->dlg.flow) {
	case FLOW_CHOOSE:
		snprintf(a->dlg.pick, sizeof(a->dlg.pick), "%s",
			 st->options[a->dlg.sel].id);
		next_question(a, FLOW_REASON);
		break;
	case FLOW_APPROVE_ROLE:
		snprintf(a->dlg.pick, sizeof(a->dlg.pick), "%s", text);
		next_question(a, FLOW_APPROVE_NAME);
		break;
	case FLOW_SETVAR_NAME:
		snprintf(a->dlg.pick, sizeof(a->dlg.pick), "%s",
			 a->pb->variables[a->dlg.sel].name);
		next_question(a, FLOW_SETVAR_VALUE);
		break;
	default: break;
	}
}

static int
refuse(struct app *a, const char *why)
{
	snprintf(a->dlg.error, sizeof(a->dlg.error), "%s", why);
	app_dirty(a);
	return -1;
}

/* Refuse NAME (normalised; TYPED as typed), the operator's or one that
 * passes for it (quoted as typed, so no one reads it as the operator's
 * name). */
static void
refuse_as_operator(struct app *a, const char *name, const char *typed)
{
	const char *op = session_operator(a->session);
	char why[sizeof(a->dlg.error)];
	char *shown;

	shown = identity_as_typed(typed);
	if (!strcmp(name, op) && !strcmp(shown, op))
		snprintf(why, sizeof(why), "%s is the operator: the operator "
			 "cannot approve their own session", name);
	else
		snprintf(why, sizeof(why), "'%s' is the same person as the "
			 "operator, %s", shown, op);
	free(shown);
	refuse(a, why);
}

/* The approver's name as core will take it (identity.h), so a name with
 * an invisible character, or the operator's under other spacing, case
 * or width, is refused here already. */
static int
check_approver_name(struct app *a)
{
	struct err err = { 0 };
	char *name;
	int same;

	if (a->dlg.len == 0)
		return refuse(a, "type the approver's name");
	name = identity_normalize(a->dlg.buf, "approver", &err);
	if (!name)
		return refuse(a, err.msg);
	same = identity_same(name, session_operator(a->session));
	if (same)
		refuse_as_operator(a, name, a->dlg.buf);
	free(name);
	return same ? -1 : 0;
}

/* Why the typed value of V is refused, in words: the pattern is on show
 * above the input, and a leading v that alone is in the way is named. */
static int
refuse_value(struct app *a, const struct pb_variable *v)
{
	const char *text = a->dlg.buf;
	char why[sizeof(a->dlg.error)];

	if (v->secret)
		return refuse(a, "the value does not match the pattern above");
	if ((text[0] == 'v' || text[0] == 'V') &&
	    playbook_var_validate(v, text + 1, NULL) == 0)
		snprintf(why, sizeof(why), "\"%s\" does not match the pattern "
			 "above: leave out the leading %c", text, text[0]);
	else if (playbook_var_explain(v, text, why, sizeof(why)) < 0)
		snprintf(why, sizeof(why), "\"%.400s\" does not match the "
			 "pattern above", text);
	return refuse(a, why);
}

#define PREDICTION_FORM "a prediction starts with ok, fails, times out or " \
	"exit N (then your reason, if you like)"

/* Whether KEY may start a prediction: the first letter of one of its
 * answers (ok, succeeds, passes, fails, error, times out, exit N). */
static int
starts_prediction(int key)
{
	return key > 0 && key < 128 && strchr("osSpPfFeEtTO", key) != NULL;
}

/* Whether TEXT is empty or only blanks: no answer at all. */
static int
is_blank(const char *text)
{
	return text[strspn(text, " \t")] == '\0';
}

/* Check the typed text; returns 0 when it may be submitted. */
static int
validate(struct app *a)
{
	const struct pb_variable *v;

	a->dlg.error[0] = '\0';
	switch (a->dlg.flow) {
	case FLOW_INPUT: case FLOW_SETVAR_VALUE:
		v = playbook_find_var(a->pb, a->dlg.pick);
		if (v && playbook_var_validate(v, a->dlg.buf, NULL) < 0)
			return refuse_value(a, v);
		break;
	case FLOW_APPROVE_NAME:
		return check_approver_name(a);
	case FLOW_REASON: case FLOW_NA: case FLOW_NOTE: case FLOW_HAND_CHECK:
		if (is_blank(a->dlg.buf))
			return refuse(a, "this needs some text");
		break;
	case FLOW_CONFIRM:
		if (is_blank(a->dlg.buf)) {
			char why[96];

			snprintf(why, sizeof(why), "type the text shown above "
				 "to run it (%s: not now)",
				 keymap_key_label(KM_DIALOG, UI_DISMISS));
			return refuse(a, why);
		}
		break;
	case FLOW_PREDICT:
		if (!drill_prediction_is_judged(a->dlg.buf))
			return refuse(a, PREDICTION_FORM);
		break;
	default: break;
	}
	return 0;
}

/* Send the previewed message: the rendered template, or the operator's
 * edit of it (journalled as edited). */
static void
send_preview(struct app *a, const char *step, const char *body)
{
	const struct pb_step *st = playbook_find_step(a->pb, step, NULL, NULL);
	char *rendered = st ? session_render(a->session, st->template, NULL)
			    : NULL;
	struct action act = { .kind = ACT_SEND };
	struct err err = { 0 };
	int rc;

	if (!body || !rendered || strcmp(rendered, body) == 0) {
		apply_fmt(a, 1, "send %s", step);
		free(rendered);
		return;
	}
	act.step = xstrdup(step);
	act.text = xstrdup(body);
	rc = session_apply(a->session, &act, NULL, &err);
	action_done(&act);
	free(rendered);
	if (rc < 0)
		app_status(a, 1, "%s", err.msg);
	else
		app_status(a, 0, "send %s: the edited text was sent", step);
	app_refresh_steps(a);
	app_dirty(a);
}

/* The answer to the last question of a flow: apply it. The dialog is
 * closed first (the action may open nothing, or report a refusal). */
/* A drill's decision is made: now say what the matrix recommended. */
static void
reveal_recommendation(struct app *a, const char *step, const char *chosen)
{
	const struct pb_step *st = playbook_find_step(a->pb, step, NULL, NULL);
	const struct pb_option *rec = st ? playbook_recommend(st, app_lookup,
							      a->session)
					 : NULL;

	if (!rec && st && !st->matrix)
		app_status(a, 0, "decided %s", chosen);
	else if (!rec)
		app_status(a, 0, "decided %s; the matrix has no recommendation "
			   "for these values", chosen);
	else
		app_status(a, 0, "decided %s; the %s recommended %s%s",
			   chosen, st->matrix ? "matrix" : "runbook", rec->id,
			   strcmp(rec->id, chosen) == 0 ? " too" : "");
}

/* Confirm D's step with the text typed in D, then run it. A wrong
 * confirmation is refused and journalled and nothing runs; the dialog
 * stays open with the text typed, to be put right, until it matches or
 * is dismissed (what is typed next never reaches the checklist). */
static void
confirm_typed(struct app *a, const struct dialog *d)
{
	struct err why = { 0 };
	char line[2048];

	snprintf(line, sizeof(line), "confirm %s %s", d->step, d->buf);
	if (app_apply_why(a, line, &why) >= 0) {
		run_step(a, d->step);
		return;
	}
	if (why.code != ERR_INVALID)	/* it cannot run now: nothing to type */
		return;
	dialog_open(a, FLOW_CONFIRM, d->step);
	set_input(&a->dlg, d->buf);
	a->dlg.prefilled = 0;		/* edited, not replaced, by a key */
	snprintf(a->dlg.error, sizeof(a->dlg.error), "%s", why.msg);
}

static void
submit_text(struct app *a)
{
	struct dialog d = a->dlg;
	char *body = a->dlg.body;

	a->dlg.body = NULL;
	memset(d.choices, 0, sizeof(d.choices));
	memset(d.notes, 0, sizeof(d.notes));
	dialog_close(a);
	switch (d.flow) {
	case FLOW_CONFIRM:
		confirm_typed(a, &d);
		break;
	case FLOW_REASON:
		if (apply_fmt(a, 1, "choose %s %s %s", d.step, d.pick,
			      d.buf) >= 0 && d.hide_recommended)
			reveal_recommendation(a, d.step, d.pick);
		break;
	case FLOW_APPROVE_COMMENT:
		a->dlg = d;
		a->dlg.body = NULL;
		if (a->watch) {		/* the watcher sees what they sign */
			snprintf(a->dlg.comment, sizeof(a->dlg.comment), "%s",
				 d.buf);
			next_question(a, FLOW_APPROVE_SIGN);
			free(body);
			return;
		}
		submit_approval(a, d.buf);
		memset(&a->dlg, 0, sizeof(a->dlg));
		break;
	case FLOW_APPROVE_SIGN:
		a->dlg = d;
		a->dlg.body = NULL;
		if (strcmp(d.buf, "y") == 0 || strcmp(d.buf, "Y") == 0)
			submit_approval(a, d.comment);
		else
			app_status(a, 0, "not signed");
		memset(&a->dlg, 0, sizeof(a->dlg));
		break;
	case FLOW_INPUT: case FLOW_SETVAR_VALUE:
		a->dlg = d;
		submit_set(a);
		memset(&a->dlg, 0, sizeof(a->dlg));
		break;
	case FLOW_NA_SURE:
		if (strcmp(d.buf, "y") == 0 || strcmp(d.buf, "Y") == 0)
			dialog_open(a, FLOW_NA, d.step);
		else
			app_status(a, 0, "%s not marked n/a", d.step);
		break;
	case FLOW_COMPLETE_SURE:
		if (strcmp(d.buf, "y") == 0)
			app_next_phase(a);
		else
			app_status(a, 0, "not completed");
		break;
	case FLOW_NA: apply_fmt(a, 1, "na %s %s", d.step, d.buf); break;
	case FLOW_REOPEN: apply_fmt(a, 1, "reopen %s %s", d.step, d.buf);
		break;
	case FLOW_PICK_SURE:
		if (strcmp(d.buf, "y") == 0)
			pane_sources_pick_confirmed(a);
		else
			app_status(a, 0, "%s kept its value",
				   a->pick_pending.var);
		break;
	case FLOW_UNTICK_SURE:
		if (strcmp(d.buf, "y") == 0 || strcmp(d.buf, "Y") == 0)
			apply_fmt(a, 1, "untick %s", d.step);
		else
			app_status(a, 0, "%s stays ticked", d.step);
		break;
	case FLOW_NOTE: apply_fmt(a, 1, "note %s", d.buf); break;
	case FLOW_HANDOVER: submit_handover(a, d.buf); break;
	case FLOW_WITHDRAW_SURE:
		if (strcmp(d.buf, "y") == 0 || strcmp(d.buf, "Y") == 0)
			apply_fmt(a, 1, "withdraw-handover");
		else
			app_status(a, 0, "the hand-over stays offered to %s",
				   session_handover_offer(a->session));
		break;
	case FLOW_HAND_CHECK:
		if (apply_fmt(a, 0, "tick %s %s", d.step, d.buf) >= 0)
			app_status(a, 0, "%s recorded as done: its interrupted "
				   "run was checked by hand", d.step);
		break;
	case FLOW_PREDICT:
		/* Recorded, then on to the run as if Enter was pressed. */
		if (apply_fmt(a, 0, "predict %s %s", d.step, d.buf) >= 0)
			dialog_open_for_step(a, UI_ACT);
		break;
	case FLOW_PREVIEW: send_preview(a, d.step, body); break;
	case FLOW_QUIT:
		app_apply(a, "quit");
		a->quit = 1;
		break;
	case FLOW_SEARCH:
		snprintf(a->search, sizeof(a->search), "%s", d.buf);
		a->search_hit = -1;
		a->focus = PANE_LOG;
		a->side = PANE_LOG;
		break;
	default: break;
	}
	free(body);
}

/* Whether the operator has had the whole message in view; if not, the
 * dialog says how much is left and which key shows it. */
static int
preview_read(struct app *a)
{
	int left = a->dlg.body_total - a->dlg.body_seen;
	char why[160];

	if (a->dlg.flow != FLOW_PREVIEW || !a->dlg.body || left <= 0)
		return 1;
	snprintf(why, sizeof(why), "not sent: %d more line%s below; %s "
		 "scrolls, so you read all of it before it goes", left,
		 left == 1 ? "" : "s", keymap_key_label(KM_DIALOG,
							UI_MOVE_DOWN));
	refuse(a, why);
	return 0;
}

static void
submit(struct app *a)
{
	char why[160];

	if (a->dlg.n_choices > 0 && a->dlg.sel < 0) {
		snprintf(why, sizeof(why), "select an option first (%s moves)",
			 keymap_key_label(KM_DIALOG, UI_MOVE_DOWN));
		refuse(a, why);
		return;
	}
	if (a->dlg.n_choices > 0) {
		pick_choice(a);
		return;
	}
	if (validate(a) < 0 || !preview_read(a))
		return;
	if (a->dlg.flow == FLOW_APPROVE_NAME) {
		char *name = identity_normalize(a->dlg.buf, "approver", NULL);

		snprintf(a->dlg.name, sizeof(a->dlg.name), "%s",
			 name ? name : a->dlg.buf);
		free(name);
		next_question(a, FLOW_APPROVE_COMMENT);
		return;
	}
	submit_text(a);
}

/* --- keys --------------------------------------------------------------------------- */

/* The start of the character before byte offset AT of D's text. */
static size_t
char_before(const struct dialog *d, size_t at)
{
	if (at == 0)
		return 0;
	at--;
	while (at > 0 && ((unsigned char)d->buf[at] & 0xc0) == 0x80)
		at--;
	return at;
}

/* The end of the character at byte offset AT of D's text. */
static size_t
char_after(const struct dialog *d, size_t at)
{
	if (at >= d->len)
		return d->len;
	at++;
	while (at < d->len && ((unsigned char)d->buf[at] & 0xc0) == 0x80)
		at++;
	return at;
}

/* Remove D's text from byte FROM to the cursor; the cursor goes there. */
static void
delete_to_cursor(struct dialog *d, size_t from)
{
	memmove(d->buf + from, d->buf + d->cur, d->len - d->cur + 1);
	d->len -= d->cur - from;
	d->cur = from;
}

/* Ctrl-W: the blanks before the cursor, then the word before them. */
static size_t
word_before(const struct dialog *d)
{
	size_t at = d->cur;

	while (at > 0 && d->buf[at - 1] == ' ')
		at--;
	while (at > 0 && d->buf[at - 1] != ' ')
		at--;
	return at;
}

static void
type_byte(struct dialog *d, int key)
{
	if (d->len + 1 < sizeof(d->buf)) {
		memmove(d->buf + d->cur + 1, d->buf + d->cur,
			d->len - d->cur + 1);
		d->buf[d->cur++] = (char)key;
		d->len++;
	}
}

/* An editing key (readline's): 1 when ACT was one. The cursor keys keep
 * an offered value to edit; Backspace deletes one character of it. */
static int
edit_key(struct dialog *d, enum uiact act)
{
	switch (act) {
	case UI_INPUT_LEFT: d->cur = char_before(d, d->cur); break;
	case UI_INPUT_RIGHT: d->cur = char_after(d, d->cur); break;
	case UI_INPUT_HOME: d->cur = 0; break;
	case UI_INPUT_END: d->cur = d->len; break;
	case UI_INPUT_BACKSPACE:
		delete_to_cursor(d, char_before(d, d->cur));
		break;
	case UI_INPUT_CLEAR: set_input(d, NULL); break;
	case UI_INPUT_DELETE_WORD: delete_to_cursor(d, word_before(d)); break;
	default: return 0;
	}
	return 1;
}

/* Whether ACT moves the cursor only (the text stays as it is). */
static int
moves_cursor(enum uiact act)
{
	return act == UI_INPUT_LEFT || act == UI_INPUT_RIGHT ||
	       act == UI_INPUT_HOME || act == UI_INPUT_END;
}

static void
edit(struct app *a, enum uiact act, int key)
{
	struct dialog *d = &a->dlg;

	if (moves_cursor(act)) {
		edit_key(d, act);
		d->prefilled = 0;	/* keep the offered value to edit */
		app_dirty(a);
		return;
	}
	if (edit_key(d, act)) {
		/* edited: validated below */
	} else if (d->flow == FLOW_PREDICT && d->len == 0 && key >= 32 &&
		   !starts_prediction(key)) {
		refuse(a, PREDICTION_FORM);	/* a stray key: not typed */
		app_dirty(a);
		return;
	} else if (key >= 32 && key < 256 && key != 127) {
		if (d->prefilled)
			set_input(d, NULL);	/* typing replaces it */
		type_byte(d, key);
	} else {
		return;
	}
	d->prefilled = 0;
	if (d->pattern)
		validate(a);	/* the pattern is checked as you type */
	else if (d->flow == FLOW_APPROVE_NAME && d->len > 0)
		validate(a);	/* so is a name: a stale refusal goes */
	else
		d->error[0] = '\0';	/* it was about the text before */
	/* A restore target's warning is for a value entered (Enter: the
	 * status line says it) or the one the dialog opened with, never for
	 * a half-typed one ("1." is no published version): typing clears
	 * it. */
	d->warning[0] = '\0';
	app_dirty(a);
}

static void
move_choice(struct app *a, int delta)
{
	int n = a->dlg.n_choices;

	if (a->dlg.sel < 0)	/* nothing selected yet: first or last */
		a->dlg.sel = delta > 0 ? 0 : n - 1;
	else
		a->dlg.sel = ((a->dlg.sel + delta) % n + n) % n;
	app_dirty(a);
}

/* Run the operator's editor on PATH with the screen suspended, the way
 * interactive steps borrow the terminal. Returns its exit status. */
static int
run_editor(const char *path)
{
	const char *ed = getenv("VISUAL") && *getenv("VISUAL")
		? getenv("VISUAL") : getenv("EDITOR") && *getenv("EDITOR")
		? getenv("EDITOR") : "vi";
	char *cmd = xasprintf("%s \"$1\"", ed);
	void (*old_int)(int) = signal(SIGINT, SIG_IGN);
	int status = -1;
	pid_t pid;

	def_prog_mode();
	endwin();
	pid = fork();
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		execl("/bin/sh", "sh", "-c", cmd, "sh", path, (char *)NULL);
		_exit(127);
	}
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	signal(SIGINT, old_int);
	reset_prog_mode();
	clearok(curscr, TRUE);
	free(cmd);
	return pid > 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Edit the preview's text in $VISUAL/$EDITOR; what comes back is sent. */
static void
edit_preview(struct app *a)
{
	char *path = xasprintf("%s/message-edit-XXXXXX",
			       session_dir(a->session));
	int fd = a->dlg.body ? mkstemp(path) : -1;
	struct strbuf sb = STRBUF_INIT;
	char *text = NULL;
	int rc;

	if (fd < 0) {
		snprintf(a->dlg.error, sizeof(a->dlg.error), "nothing to edit");
		free(path);
		return;
	}
	if (write(fd, a->dlg.body, strlen(a->dlg.body)) < 0)
		snprintf(a->dlg.error, sizeof(a->dlg.error), "%s: %s", path,
			 strerror(errno));
	close(fd);
	rc = run_editor(path);
	if (rc == 0 && strbuf_read_file(&sb, path, 256 * 1024, NULL) == 0)
		text = strbuf_detach(&sb);
	strbuf_done(&sb);
	if (text) {
		set_body(&a->dlg, text);
		snprintf(a->dlg.prompt, sizeof(a->dlg.prompt), "Edited. %s "
			 "sends this text; %s edits again; %s drops it.",
			 keymap_key_label(KM_DIALOG, UI_SUBMIT),
			 keymap_key_label(KM_DIALOG, UI_EDIT),
			 keymap_key_label(KM_DIALOG, UI_DISMISS));
	} else {
		snprintf(a->dlg.error, sizeof(a->dlg.error), "the editor "
			 "exited with status %d; the text is unchanged", rc);
	}
	unlink(path);
	free(path);
	app_dirty(a);
}

/* Scroll the body by DELTA rows (it stays within what there is). */
static void
scroll_body(struct app *a, int delta)
{
	struct dialog *d = &a->dlg;
	int last = d->body_total - d->body_rows;

	d->body_top += delta;
	if (d->body_top > last)
		d->body_top = last;
	if (d->body_top < 0)
		d->body_top = 0;
	if (d->error[0] && d->body_top + d->body_rows >= d->body_total)
		d->error[0] = '\0';
	app_dirty(a);
}

/* The keys that scroll a message preview; 0 when KEY's action is not
 * one of them. */
static int
preview_scroll(struct app *a, enum uiact act)
{
	int page = a->dlg.body_rows > 1 ? a->dlg.body_rows - 1 : 1;

	switch (act) {
	case UI_MOVE_DOWN: scroll_body(a, 1); return 1;
	case UI_MOVE_UP: scroll_body(a, -1); return 1;
	case UI_PAGE_DOWN: scroll_body(a, page); return 1;
	case UI_PAGE_UP: scroll_body(a, -page); return 1;
	case UI_MOVE_TOP: scroll_body(a, -a->dlg.body_total); return 1;
	case UI_MOVE_BOTTOM: scroll_body(a, a->dlg.body_total); return 1;
	default: return 0;
	}
}

/* The questions answered y or n: one key answers, no Enter. */
static int
is_yes_no(enum flow flow)
{
	return flow == FLOW_NA_SURE || flow == FLOW_APPROVE_SIGN ||
	       flow == FLOW_COMPLETE_SURE || flow == FLOW_UNTICK_SURE ||
	       flow == FLOW_PICK_SURE || flow == FLOW_WITHDRAW_SURE;
}

int
dialog_is_yes_no(const struct app *a)
{
	return is_yes_no(a->dlg.flow);
}

/* The yes key answers yes at once; the no key or the dismiss key no; any
 * other key is ignored with a hint (never a silent "no"); what was typed
 * on with the answer is dropped by the console (app.c on_stdin). */
static void
answer_yes_no(struct app *a, enum uiact act)
{
	char hint[sizeof(a->dlg.error)];
	int yes = act == UI_YES;

	if (!yes && act != UI_NO && act != UI_DISMISS) {
		snprintf(hint, sizeof(hint), "answer %s for yes, %s (or %s) "
			 "for no", keymap_key_label(KM_DIALOG, UI_YES),
			 keymap_key_label(KM_DIALOG, UI_NO),
			 keymap_key_label(KM_DIALOG, UI_DISMISS));
		refuse(a, hint);
		return;
	}
	set_input(&a->dlg, yes ? "y" : "n");
	submit_text(a);
}

void
dialog_key(struct app *a, int key)
{
	/* A list of choices, and a preview (which takes no typed text),
	 * move with the global keys too (j, k, G...). */
	int preview = a->dlg.flow == FLOW_PREVIEW;
	enum uiact act = keymap_lookup(KM_DIALOG, key,
				       a->dlg.n_choices > 0 || preview);

	if (preview && preview_scroll(a, act))
		return;
	if (is_yes_no(a->dlg.flow)) {
		answer_yes_no(a, act);
		return;
	}
	switch (act) {
	case UI_SUBMIT: submit(a); return;
	case UI_DISMISS: {
		/* "cancelled" alone read, after the Quit dialog, as if a
		 * command had been cancelled. */
		int quit = a->dlg.flow == FLOW_QUIT;

		dialog_close(a);
		app_status(a, 0, quit ? "not quitting: the session goes on"
			   : "closed: nothing done");
		return;
	}
	case UI_EDIT:
		if (a->dlg.flow == FLOW_PREVIEW) {
			edit_preview(a);
			return;
		}
		break;
	case UI_MOVE_DOWN: if (a->dlg.n_choices) { move_choice(a, 1); return; }
		break;
	case UI_MOVE_UP: if (a->dlg.n_choices) { move_choice(a, -1); return; }
		break;
	default: break;
	}
	if (a->dlg.n_choices == 0 && a->dlg.flow != FLOW_PREVIEW &&
	    a->dlg.flow != FLOW_QUIT)
		edit(a, act, key);
}

/* --- drawing ----------------------------------------------------------------------- */

/* Rows TEXT takes wrapped at WIDTH columns, as draw_wrapped draws it. */
static int
wrapped_rows(const char *p, int width)
{
	int n = 0;

	while (p && *p && width > 0) {
		p += draw_wrap_point(p, width);
		n++;
		if (*p == '\n')
			p++;
	}
	return n;
}

/* Where row ROW of TEXT wrapped at WIDTH starts. */
static const char *
skip_rows(const char *p, int width, int row)
{
	while (*p && row-- > 0) {
		p += draw_wrap_point(p, width);
		if (*p == '\n')
			p++;
	}
	return p;
}

/* The dialog's width on a screen WIDTH columns wide: what shows whole
 * texts (options, a message, a command) takes the terminal's width; a
 * question with a line to type stays narrow. */
static int
dialog_width(const struct app *a, int width)
{
	int wide = a->dlg.body || a->dlg.flow == FLOW_CHOOSE;
	int bw = width - 4;

	return wide || bw < 76 ? bw : 76;
}

/* How many description rows the choices show within ROOM rows: every
 * choice's (2), the selected one's (1), or none (0); *ROWS gets the
 * choices' rows. */
static int
notes_shown(const struct app *a, int inner, int room, int *rows)
{
	for (int mode = 2; mode >= 0; mode--) {
		int n = a->dlg.n_choices;

		for (int i = 0; i < a->dlg.n_choices && mode; i++)
			if (mode == 2 || i == a->dlg.sel)
				n += wrapped_rows(a->dlg.notes[i], inner - 4);
		*rows = n;
		if (n <= room || mode == 0)
			return mode;
	}
	return 0;
}

/* TEXT in WIDTH columns, an ellipsis ending it when it had to be cut. */
static int
draw_clipped(WINDOW *w, int y, int x, int width, const char *text, int attr)
{
	int used;

	if (draw_width(text) <= width)
		return draw_text(w, y, x, width, text, attr);
	used = draw_text(w, y, x, width - 1, text, attr);
	return used + draw_text(w, y, x + used, 1, draw_glyph("\u2026", "~"),
				attr);
}

/* One choice's row: its text cut to leave room for the recommended mark,
 * which always shows. */
static void
draw_choice(struct app *a, WINDOW *w, int y, int x, int width, int i)
{
	const char *mark = i == a->dlg.recommended && !a->dlg.hide_recommended
			   ? "  (recommended)" : "";
	int attr = theme_attr(i == a->dlg.sel ? ROLE_CURSOR : ROLE_DIALOG);
	char line[300];
	int used;

	snprintf(line, sizeof(line), "%s %s", i == a->dlg.sel
		 ? draw_glyph("\u25b8", ">") : " ", a->dlg.choices[i]);
	draw_fill(w, y, x, width, attr);
	used = draw_clipped(w, y, x, width - draw_width(mark), line, attr);
	draw_text(w, y, x + used, width - used, mark, attr);
}

/* The choices in ROWS rows at most, scrolled so the selected one shows;
 * NOTES says whose descriptions show (notes_shown). */
static void
draw_choices(struct app *a, WINDOW *w, int *y, int x, int width, int notes,
	     int rows)
{
	int first = !notes && a->dlg.sel >= rows ? a->dlg.sel - rows + 1 : 0;
	int end = *y + rows;

	for (int i = first; i < a->dlg.n_choices && *y < end; i++) {
		draw_choice(a, w, (*y)++, x, width, i);
		if (notes == 2 || (notes == 1 && i == a->dlg.sel))
			*y += draw_wrapped(w, *y, x + 4, width - 4, end - *y,
					   a->dlg.notes[i],
					   theme_attr(ROLE_DIALOG));
	}
}

/* Whether the dialog's input is a secret variable's value: it is shown
 * masked while typed. */
static int
typing_secret(const struct app *a)
{
	const struct pb_variable *v;

	if (a->dlg.flow != FLOW_INPUT && a->dlg.flow != FLOW_SETVAR_VALUE)
		return 0;
	v = playbook_find_var(a->pb, a->dlg.pick);
	return v && v->secret;
}

/* One * per character of TEXT, into BUF (SIZE bytes). */
static const char *
masked(const char *text, char *buf, size_t size)
{
	size_t n = 0;

	for (const char *p = text; *p && n + 1 < size; p++)
		if (((unsigned char)*p & 0xc0) != 0x80)
			buf[n++] = '*';
	buf[n] = '\0';
	return buf;
}

/* Bytes of the one character at P (1 at the end or on a bad byte). */
static size_t
char_len(const char *p)
{
	size_t n = 1;

	while (p[0] && ((unsigned char)p[n] & 0xc0) == 0x80)
		n++;
	return n;
}

/* The typed value with its cursor: the text before it (its start cut
 * off while it does not fit), the character under it in reverse (a "_"
 * at the end), then the rest as far as it fits. */
static void
draw_input(struct app *a, WINDOW *w, int *y, int x, int width)
{
	const struct dialog *d = &a->dlg;
	int bad = d->error[0] != '\0';
	int attr = theme_attr(bad ? ROLE_INPUT_INVALID : ROLE_INPUT);
	char stars[sizeof(d->buf)], before[sizeof(d->buf)];
	const char *text = typing_secret(a)
		? masked(d->buf, stars, sizeof(stars)) : d->buf;
	size_t at = d->cur, n;
	const char *from = before;
	int used;

	if (text == stars) {	/* one star a character */
		char upto[sizeof(d->buf)];

		snprintf(upto, sizeof(upto), "%.*s", (int)d->cur, d->buf);
		at = strlen(masked(upto, before, sizeof(before)));
	}
	snprintf(before, sizeof(before), "%.*s", (int)at, text);
	/* Keep the cursor in view. */
	while (draw_width(from) > width - 2 && *from)
		from += char_len(from);
	draw_fill(w, *y, x, width, attr);
	used = draw_text(w, *y, x, width - 1, from, attr |
			 (d->prefilled ? A_REVERSE : 0));
	if (!text[at]) {
		draw_text(w, (*y)++, x + used, 1, "_", attr);
		return;
	}
	n = char_len(text + at);
	snprintf(before, sizeof(before), "%.*s", (int)n, text + at);
	used += draw_text(w, *y, x + used, width - used, before,
			  attr | A_REVERSE);
	if (used < width)
		draw_text(w, *y, x + used, width - used, text + at + n, attr);
	(*y)++;
}

/* The body's rows in view from body_top, and below them, when it does
 * not all fit, which rows these are and whether more follows. */
static void
draw_body(struct app *a, WINDOW *w, int *y, int x, int width)
{
	struct dialog *d = &a->dlg;
	const char *from = skip_rows(d->body, width, d->body_top);
	char where[160];

	draw_wrapped(w, *y, x, width, d->body_rows, from,
		     theme_attr(ROLE_INPUT));
	*y += d->body_rows;
	if (d->body_rows >= d->body_total)
		return;
	snprintf(where, sizeof(where), "lines %d-%d of %d%s", d->body_top + 1,
		 d->body_top + d->body_rows, d->body_total,
		 d->body_top + d->body_rows < d->body_total
		 ? draw_glyph(" \u2193 more below", " v more below") : "");
	draw_text(w, (*y)++, x, width, where, theme_attr(ROLE_DIALOG_TITLE));
}

/* Fit the body in ROOM rows (all of it when it fits, else a scrolled
 * part of it), noting what has been read; returns the rows it takes. */
static int
fit_body(struct app *a, int inner, int room)
{
	struct dialog *d = &a->dlg;

	if (!d->body)
		return 0;
	d->body_total = wrapped_rows(d->body, inner);
	d->body_rows = d->body_total;
	if (d->body_rows > room)
		d->body_rows = room - 1 > 3 ? room - 1 : 3;	/* + "lines" */
	if (d->body_top > d->body_total - d->body_rows)
		d->body_top = d->body_total - d->body_rows;
	if (d->body_top < 0)
		d->body_top = 0;
	if (d->body_top + d->body_rows > d->body_seen)
		d->body_seen = d->body_top + d->body_rows;
	return d->body_rows + (d->body_rows < d->body_total) + 1;
}

/* Blank the ROWS rows from Y across the whole WIDTH: what the panes drew
 * there (long lines, a double-width character the box's edge would cut,
 * the checklist's brackets) never shows beside a dialog, whatever its
 * width. Every dialog is drawn through here. */
static void
clear_band(WINDOW *w, int y, int rows, int width)
{
	for (int i = 0; i < rows; i++) {
		wmove(w, y + i, 0);
		wclrtoeol(w);
		draw_fill(w, y + i, 0, width, theme_attr(ROLE_NORMAL));
	}
}

void
dialog_draw(struct app *a, WINDOW *w, int h, int width)
{
	int bw = dialog_width(a, width), inner = bw - 4;
	int has_input = !a->dlg.n_choices && a->dlg.flow != FLOW_PREVIEW &&
			a->dlg.flow != FLOW_QUIT;
	int prompt = wrapped_rows(a->dlg.prompt, inner);
	int warning = has_input ? wrapped_rows(a->dlg.warning, inner) : 0;
	/* title, prompt, blank, ..., input, warning, error, two rows of
	 * margin */
	int fixed = 1 + prompt + 1 + has_input + warning + 3, choice_rows = 0;
	int notes = notes_shown(a, inner, h - 2 - fixed, &choice_rows);
	int body = fit_body(a, inner, h - 2 - fixed - choice_rows);
	int bh = fixed + choice_rows + body;
	int y0 = (h - bh) / 2 < 1 ? 1 : (h - bh) / 2;
	int x0 = (width - bw) / 2;
	int y = y0 + 1;

	if (bh > h - 2)
		bh = h - 2;
	clear_band(w, y0, bh, width);
	for (int i = 0; i < bh; i++)
		draw_fill(w, y0 + i, x0, bw, theme_attr(ROLE_DIALOG));
	draw_title(w, y0, x0 + 1, bw - 2, a->dlg.title,
		  theme_attr(ROLE_DIALOG_TITLE));
	y += draw_wrapped(w, y, x0 + 2, inner, prompt, a->dlg.prompt,
			  theme_attr(ROLE_DIALOG)) + 1;
	if (a->dlg.body) {
		draw_body(a, w, &y, x0 + 2, inner);
		y++;
	}
	if (a->dlg.n_choices)
		draw_choices(a, w, &y, x0 + 2, inner, notes, y0 + bh - y - 1);
	else if (has_input)
		draw_input(a, w, &y, x0 + 2, inner);
	if (warning && y < y0 + bh)
		y += draw_wrapped(w, y, x0 + 2, inner, y0 + bh - y,
				  a->dlg.warning, theme_attr(ROLE_WARNING));
	if (a->dlg.error[0] && y < y0 + bh)
		draw_wrapped(w, y, x0 + 2, inner, y0 + bh - y, a->dlg.error,
			     theme_attr(ROLE_ERROR));
}
