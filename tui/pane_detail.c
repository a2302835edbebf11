/* The step pane: everything about the selected step — what it does, its
 * command with the variables it will receive, what it needs, its result. */
#include "config.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "action.h"
#include "app.h"
#include "banner.h"
#include "drill.h"
#include "sanitize.h"
#include "draw.h"
#include "err.h"
#include "handoff.h"
#include "share.h"
#include "keymap.h"
#include "sgrdraw.h"
#include "identity.h"
#include "strbuf.h"
#include "term.h"
#include "theme.h"
#include "timefmt.h"
#include "xalloc.h"

struct cursor {
	WINDOW *w;
	struct rect r;
	int y;
};

static int
room(const struct cursor *c)
{
	return c->r.y + c->r.h - c->y;
}

static void
line(struct cursor *c, const char *text, int role)
{
	if (room(c) <= 0)
		return;
	c->y += draw_wrapped(c->w, c->y, c->r.x + 1, c->r.w - 2, room(c), text,
			     theme_attr(role));
}

static void
linef(struct cursor *c, int role, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
linef(struct cursor *c, int role, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	line(c, buf, role);
}

static void
show_vars(struct app *a, struct cursor *c, const char *text)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; text && i < a->pb->n_variables; i++) {
		const struct pb_variable *v = &a->pb->variables[i];
		const char *val = session_var(a->session, v->name);

		if (!strstr(text, v->name))
			continue;
		strbuf_addf(&sb, "%s%s=%s", sb.len ? "  " : "", v->name,
			    !val ? "(unset)" : v->secret ? "********" : val);
	}
	if (sb.len)
		linef(c, ROLE_DIM, "with %s", strbuf_str(&sb));
	strbuf_done(&sb);
}

/* "NAME is a or b, and OTHER is c": the step's when, in words. */
static void
when_words(const struct pb_when *when, struct strbuf *sb)
{
	for (size_t i = 0; i < when->n_conds; i++) {
		const struct pb_cond *c = &when->conds[i];

		strbuf_addf(sb, "%s%s is ", i ? ", and " : "", c->var);
		for (size_t k = 0; k < c->n_values; k++)
			strbuf_addf(sb, "%s%s", k ? " or " : "", c->values[k]);
	}
}

/* Why a step is not part of the work: what it waits on, why it can no
 * longer apply, or the reason given when it was marked n/a or skipped. */
static void
show_applies(struct app *a, struct cursor *c, const struct step_view *v)
{
	const struct pb_cond *wait;
	struct strbuf sb = STRBUF_INIT;

	if (v->state == STEP_NA || v->state == STEP_SKIPPED) {
		linef(c, ROLE_WARNING, "%s: %s", v->state == STEP_NA ||
		      !v->active ? "Not applicable" : "Skipped", v->na_reason
		      ? v->na_reason : "(no reason given)");
	} else if (!v->active && v->state == STEP_OPEN) {
		wait = playbook_when_waiting_on(&v->def->when, app_lookup,
						a->session);
		when_words(&v->def->when, &sb);
		if (wait)
			linef(c, ROLE_WARNING, "Waiting on %s: it applies "
			      "when %s", wait->var, strbuf_str(&sb));
		else
			linef(c, ROLE_WARNING, "Does not apply: it applies "
			      "only when %s", strbuf_str(&sb));
	}
	strbuf_done(&sb);
}

/* Where an opted-in step's next run will get its output: the clone, the
 * drill's world, or the scenario's script. */
static void
show_clone_next(struct app *a, struct cursor *c, const struct step_view *v)
{
	const char *why;

	switch (session_drill_run_where(a->session, v->def->id, &why)) {
	case DRILL_RUN_CLONE:
		line(c, "Drill: runs for real in a throwaway clone of the git "
		     "target (remotes removed)", ROLE_DIM);
		break;
	case DRILL_RUN_WORLD:
		linef(c, ROLE_DIM, "Drill: simulated from the drill's world%s%s%s",
		      why ? " (" : "", why ? why : "", why ? ")" : "");
		break;
	default:
		linef(c, ROLE_DIM, "Drill: simulated%s%s%s", why ? " (" : "",
		      why ? why : "", why ? ")" : "");
		break;
	}
}

/* A drill step that opts in to the throwaway clone: whether it runs (or
 * ran) there for real, or why the simulation stands in. */
static void
show_clone(struct app *a, struct cursor *c, const struct step_view *v)
{
	const char *why = NULL;
	int real;

	if (session_mode(a->session) != SESSION_DRILL ||
	    !v->def->drill.real_in_clone)
		return;
	real = drill_clone_run(a->session, v->def->id, &why);
	if (real == 1)
		line(c, "Drill: ran for real in a throwaway clone of the git "
		     "target (remotes removed)", ROLE_DIM);
	else if (real == 0 && why)
		linef(c, ROLE_WARNING, "Drill: simulated, not run in the "
		      "clone: %s", why);
	else
		show_clone_next(a, c, v);
}

/* A drill's check step that reads the world's log: whether the log holds
 * it now, quoting the line that contradicts it (to the game master and
 * after the drill; the trainee of an open drill is told only that the
 * world judges it). Whether it showed. */
static int
show_check_log(struct app *a, struct cursor *c, const struct step_view *v)
{
	const char *log, *bad;
	int holds = drill_check_world(a->session, v->def->id, &log, &bad);
	char *clean;

	if (holds < 0)
		return 0;
	if (!app_world_shown(a)) {
		line(c, "Drill: judged against the drill's world when you "
		     "tick it; find out what it shows with the steps that "
		     "look", ROLE_DIM);
		return 1;
	}
	if (holds && v->def->drill.registry) {
		line(c, "Drill: the world's registry says nothing against "
		     "this check now", ROLE_DIM);
		return 1;
	}
	if (holds && v->def->drill.endpoint) {
		linef(c, ROLE_DIM, "Drill: the world's endpoint %s answers "
		      "nothing that contradicts this check now", log);
		return 1;
	}
	if (holds) {
		linef(c, ROLE_DIM, "Drill: the world's %s log shows no line "
		      "that contradicts this check now", log);
		return 1;
	}
	clean = sanitize_text(bad, strlen(bad));
	if (v->def->drill.registry)
		linef(c, ROLE_WARNING, "Drill: the world's registry "
		      "contradicts this check now: %s", clean);
	else if (v->def->drill.endpoint)
		linef(c, ROLE_WARNING, "Drill: the world's endpoint %s "
		      "contradicts this check now: %s", log, clean);
	else
		linef(c, ROLE_WARNING, "Drill: the world's %s log contradicts "
		      "this check now: %s", log, clean);
	free(clean);
	return 1;
}

/* A drill's check step: the simulated probe the world gives for it, or,
 * in the verify phase with none, that the drill cannot verify it. */
static void
show_check(struct app *a, struct cursor *c, const struct step_view *v)
{
	const char *ev = drill_check_evidence(a->session, v->def->id);
	char *text, *p, *nl, *clean;

	if (show_check_log(a, c, v))
		return;
	if (drill_unverifiable(a->session, v->def->id)) {
		line(c, "Drill: cannot be verified here, nothing in the drill's "
		     "world shows it; not scored (tick or mark n/a as you "
		     "judge)", ROLE_WARNING);
		return;
	}
	if (!ev)
		return;
	line(c, drill_check_briefed(a->session, v->def->id)
	     ? "Drill: the briefing showed this check's evidence:"
	     : "Drill: what the world shows for this check:", ROLE_DIM);
	text = session_show_text(a->session, ev);
	for (p = text; p && *p; p = nl ? nl + 1 : p + strlen(p)) {
		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		clean = sanitize_text(p, strlen(p));
		line(c, clean, ROLE_NORMAL);
		free(clean);
	}
	free(text);
}

static void
show_run(struct app *a, struct cursor *c, const struct step_view *v)
{
	const struct pb_step *d = v->def;

	line(c, "Command:", ROLE_TITLE);
	linef(c, ROLE_NORMAL, "  %s", d->run);
	show_vars(a, c, d->run);
	if (drill_wants_prediction(a->session, d->id))
		linef(c, ROLE_WARNING, "Drill: you will be asked to predict the "
		      "output before it runs%s", d->destructive && !v->confirmed
		      ? ", then to type the confirmation" : "");
	if (d->destructive) {
		char *want = session_show_text(a->session, d->confirm
					       ? d->confirm : d->id);

		if (v->state == STEP_NA && v->run_unknown)
			linef(c, ROLE_WARNING, "DESTRUCTIVE (marked n/a after "
			      "an interrupted run: that run may have acted)");
		else if (v->state == STEP_NA)
			linef(c, ROLE_WARNING, "DESTRUCTIVE (marked n/a: it "
			      "does not run)");
		else
			linef(c, ROLE_WARNING, "DESTRUCTIVE: Enter asks you to "
			      "type \"%s\" first%s", want, v->confirmed
			      ? " (confirmed)" : "");
		free(want);
	}
	if (d->timeout_us)
		linef(c, ROLE_DIM, "time-out %lld s",
		      (long long)(d->timeout_us / 1000000));
	show_clone(a, c, v);
}

static void
show_decide(struct app *a, struct cursor *c, const struct step_view *v)
{
	/* A trainee sees the matrix's (or the runbook's) answer only
	 * after deciding. */
	int hidden = session_mode(a->session) == SESSION_DRILL && !v->option;
	const struct pb_option *rec = hidden ? NULL
		: playbook_recommend(v->def, app_lookup, a->session);

	line(c, "Options:", ROLE_TITLE);
	for (size_t i = 0; i < v->def->n_options; i++) {
		const struct pb_option *o = &v->def->options[i];

		linef(c, o == rec ? ROLE_OK : ROLE_NORMAL, "  %s %s: %s%s",
		      v->option && strcmp(v->option, o->id) == 0
			      ? draw_glyph("\u25cf", "*") : " ",
		      o->id, o->label, o == rec ? "  (recommended)" : "");
	}
	if (v->def->matrix && hidden)
		line(c, "Drill: the matrix's recommendation shows once you "
		     "have decided.", ROLE_DIM);
	else if (hidden && playbook_recommend(v->def, app_lookup, a->session))
		line(c, "Drill: the runbook's recommendation shows once you "
		     "have decided.", ROLE_DIM);
	else if (v->def->matrix && !rec)
		linef(c, ROLE_DIM, "set %s%s%s for a recommendation",
		      v->def->matrix->row_var,
		      v->def->matrix->col_var ? " and " : "",
		      v->def->matrix->col_var ? v->def->matrix->col_var : "");
}

static int
count_signed(struct app *a, const char *id, const char *role)
{
	struct approval_view av;
	int n = 0;

	for (size_t j = 0; session_step_approval(a->session, id, j, &av) == 0;
	     j++)
		n += strcmp(av.role, role) == 0;
	return n;
}

/* Each approval of ROLE: who signed, when, and where it was entered. */
static void
show_signed(struct app *a, struct cursor *c, const char *id,
	    const char *role)
{
	struct approval_view av;

	for (size_t j = 0; session_step_approval(a->session, id, j, &av) == 0;
	     j++) {
		char when[16], *shown;

		if (strcmp(av.role, role) != 0)
			continue;
		timefmt_us(av.wall_us, TF_HMS, when, sizeof(when));
		shown = identity_display(av.name);
		linef(c, ROLE_OK, "    %s %s at %s", draw_glyph("\u2713", "+"),
		      shown, when);
		free(shown);
		if (av.not_counted)	/* told now, not first on the card */
			linef(c, ROLE_WARNING, "      not counted in this "
			      "drill: %s", av.not_counted);
		if (av.entered)
			linef(c, ROLE_DIM, "      %s", av.entered);
	}
}

/* The command to give the next approver, and the keys that copy it and
 * show it whole. */
static void
show_handoff(struct app *a, struct cursor *c, const struct step_view *v)
{
	char *cmd = v->active ? handoff_command(a->session, v->def->id)
			      : NULL;
	const char *copy = keymap_label_for(KM_STEPS, UI_COPY_HANDOFF);
	const char *show = keymap_label_for(KM_STEPS, UI_SHOW_HANDOFF);

	if (!cmd)
		return;
	if (a->watch && !keymap_in_watch(UI_COPY_HANDOFF))
		copy = NULL;	/* refused there: not offered */
	if (a->watch && !keymap_in_watch(UI_SHOW_HANDOFF))
		show = NULL;
	if (copy && show)
		linef(c, ROLE_TITLE, "Approver's command (%s copies it, %s "
		      "shows it on one line):", copy, show);
	else if (copy)
		linef(c, ROLE_TITLE, "Approver's command (%s copies it):",
		      copy);
	else
		line(c, "Approver's command:", ROLE_TITLE);
	linef(c, ROLE_NORMAL, "  %s", cmd);
	line(c, "It shows the approver what the sign-off covers and asks "
	     "before signing, with their login name (--as NAME for "
	     "another).", ROLE_DIM);
	if (a->follow)
		linef(c, ROLE_DIM, "This console reads a copy fetched from "
		      "%s into %s: approving that copy signs nothing.",
		      share_follow_remote(a->follow), session_dir(a->session));
	else
		linef(c, ROLE_DIM, "Session directory: %s",
		      session_dir(a->session));
	free(cmd);
}

static void
show_approve(struct app *a, struct cursor *c, const struct step_view *v)
{
	if (v->voided_note)
		line(c, v->voided_note, ROLE_ALERT);
	line(c, "Sign-off needed from:", ROLE_TITLE);
	for (size_t i = 0; i < v->def->n_roles; i++) {
		const struct pb_role *r = &v->def->roles[i];
		int n = count_signed(a, v->def->id, r->role);

		linef(c, n >= r->count ? ROLE_OK : ROLE_NORMAL,
		      "  %s: %d of %d signed", r->role, n, r->count);
		show_signed(a, c, v->def->id, r->role);
	}
	linef(c, ROLE_DIM, "The operator, %s, cannot approve.",
	      session_operator(a->session));
	show_handoff(a, c, v);
}

int
app_handoff_due(struct app *a)
{
	struct step_view v;
	char *cmd;

	if (app_step_at(a, a->sel, &v) < 0 ||
	    v.def->kind != STEP_KIND_APPROVE || !v.active)
		return 0;
	cmd = handoff_command(a->session, v.def->id);
	free(cmd);
	return cmd != NULL;
}

/* The action of the vocabulary Enter takes on a step of kind KIND. */
static enum action_kind
enter_action(enum step_kind kind)
{
	switch (kind) {
	case STEP_KIND_CHECK: return ACT_TICK;
	case STEP_KIND_DECIDE: return ACT_CHOOSE;
	case STEP_KIND_APPROVE: return ACT_APPROVE;
	case STEP_KIND_INPUT: return ACT_SET;
	case STEP_KIND_MESSAGE: return ACT_SEND;
	default: return ACT_RUN;	/* run, probe, wait */
	}
}

/* Whether Enter does something on step view V: the step applies, is not
 * marked n/a, its command is not running, and the session takes the
 * action Enter asks for. */
static int
enter_applies(struct app *a, const struct step_view *v)
{
	if (v->state == STEP_RUNNING || v->orphan || !v->active ||
	    v->state == STEP_NA)
		return 0;
	return session_act_applies(a->session, enter_action(v->def->kind),
				   v->def->id);
}

int
app_act_applies(struct app *a, enum uiact act)
{
	struct step_view v;
	enum action_kind kind;

	switch (act) {
	case UI_TICK: kind = ACT_TICK; break;
	case UI_NA: kind = ACT_NA; break;
	case UI_APPROVE: kind = ACT_APPROVE; break;
	case UI_CANCEL_STEP: kind = ACT_CANCEL; break;
	case UI_NEXT_PHASE: return session_act_applies(a->session, ACT_NEXT,
							NULL);
	case UI_NOTE: return session_act_applies(a->session, ACT_NOTE, NULL);
	case UI_SET_VAR: return session_act_applies(a->session, ACT_SET,
						     NULL);
	case UI_ACT:
		return app_step_at(a, a->sel, &v) == 0 && enter_applies(a, &v);
	default: return 1;
	}
	if (app_step_at(a, a->sel, &v) < 0)
		return 0;
	/* the tick key on a ticked check unticks it (asked first), the n/a
	 * key on a step marked n/a reopens it */
	return session_act_applies(a->session, kind, v.def->id) ||
	       (kind == ACT_TICK &&
		session_act_applies(a->session, ACT_UNTICK, v.def->id)) ||
	       (kind == ACT_NA &&
		session_act_applies(a->session, ACT_REOPEN, v.def->id));
}

/* Y's screen: the command on a line of its own, then who it signs as
 * and how to sign under another name, as README and rewind(1) say. */
static void
show_handoff_plain(struct app *a, const char *cmd)
{
	char *text = xasprintf("%s\n\nIt signs with the approver's login "
			       "name. To sign under another name, the "
			       "approver adds --as NAME (NAME: their name; "
			       "the line above carries no placeholder, so it "
			       "runs as it is).", cmd);

	app_show_plain(a, "The approver's command, on one line (select it "
		       "with the mouse; the terminal wraps it):", text);
	free(text);
}

void
pane_detail_show_handoff(struct app *a)
{
	struct step_view v;
	char *cmd = NULL;

	if (app_step_at(a, a->sel, &v) == 0 && v.active)
		cmd = handoff_command(a->session, v.def->id);
	if (!cmd)
		app_status(a, 1, "nothing to show: select an approve step that "
			   "still needs a sign-off");
	else if (handoff_has_control(cmd))
		app_status(a, 1, "not shown: the command has a control "
			   "character (in the session directory or a role)");
	else
		show_handoff_plain(a, cmd);
	free(cmd);
}

void
pane_detail_copy_handoff(struct app *a)
{
	struct err err = { 0 };
	struct step_view v;
	char *cmd = NULL;

	if (app_step_at(a, a->sel, &v) == 0 && v.active)
		cmd = handoff_command(a->session, v.def->id);
	if (!cmd) {
		app_status(a, 1, "nothing to copy: select an approve step that "
			   "still needs a sign-off");
		return;
	}
	if (handoff_has_control(cmd))
		app_status(a, 1, "not copied: the command has a control "
			   "character (in the session directory or a role)");
	else if (term_clipboard(cmd, strlen(cmd), &err) < 0)
		app_status(a, 1, "not copied: %s", err.msg);
	else
		app_status(a, 0, "copied the approve command for %s (sent to "
			   "the terminal's clipboard with OSC 52); it signs "
			   "with the approver's login name, or --as NAME",
			   v.def->id);
	free(cmd);
}

/* Who set variable NAME and when, as approvals say who signed; a value
 * set more than once says the Journal tab has each. */
static void
show_setter(struct app *a, struct cursor *c, const char *name)
{
	struct var_setter_view sv;
	char when[16];

	if (session_var_setter(a->session, name, &sv) < 0)
		return;
	timefmt_us(sv.wall_us, TF_HMS, when, sizeof(when));
	if (strcmp(sv.by, "rewind") == 0)
		linef(c, ROLE_DIM, "set at %s from the playbook's default",
		      when);
	else
		linef(c, ROLE_DIM, "set by %s at %s", sv.by, when);
	if (sv.n_sets > 1)
		linef(c, ROLE_DIM, "set %d times; the Journal tab has each",
		      sv.n_sets);
}

static void
show_input(struct app *a, struct cursor *c, const struct step_view *v)
{
	const struct pb_variable *var = playbook_find_var(a->pb,
							  v->def->variable);
	const char *val = session_var(a->session, v->def->variable);
	char *offer = session_var_fresh_offer(a->session, v->def->variable);

	linef(c, ROLE_TITLE, "Variable %s", v->def->variable);
	if (var && var->prompt)
		line(c, var->prompt, ROLE_NORMAL);
	if (var && var->pattern)
		linef(c, ROLE_DIM, "must match: %s", var->pattern);
	if (val) {
		linef(c, ROLE_OK, "value: %s", var && var->secret ? "********"
		      : val);
		show_setter(a, c, v->def->variable);
		if (offer)
			linef(c, ROLE_DIM, "offered: %s (%s was done again "
			      "since; Enter offers it)", offer,
			      var->time_of[0]);
	} else if (offer) {
		linef(c, ROLE_NORMAL, "value: not set yet; offered %s, when "
		      "%s was done (Enter offers it)", offer, var->time_of[0]);
	} else if (var && var->default_value && !var->secret)
		linef(c, ROLE_DIM, "value: not set yet; default %s (Enter "
		      "offers it)", var->default_value);
	else
		line(c, "value: (unset)", ROLE_DIM);
	free(offer);
}

/* TEXT with each line's tabs expanded to the Output tab's tab stops. */
static char *
expand_tabs(const char *text)
{
	struct strbuf sb = STRBUF_INIT;

	for (const char *p = text; *p;) {
		size_t len = strcspn(p, "\n");
		char *line = xstrndup(p, len);
		char *wide = runview_shift(line, 0);

		strbuf_adds(&sb, wide);
		if (p[len] == '\n')
			strbuf_addc(&sb, '\n');
		free(wide);
		free(line);
		p += len + (p[len] == '\n');
	}
	return strbuf_detach(&sb);
}

/* The last run's output tail: command output, drawn as the output pane
 * does, its tabs expanded as there. */
static void
show_tail(struct cursor *c, const struct step_view *v)
{
	char *text;

	if (!v->result || !*v->result || room(c) <= 0)
		return;
	text = expand_tabs(v->result);
	c->y += sgrdraw_wrapped(c->w, c->y, c->r.x + 1, c->r.w - 2, room(c),
				text, ROLE_LOG);
	free(text);
}

/* What a run of unknown outcome printed, read back from its output file:
 * the evidence to check it by. */
static void
show_unknown_tail(struct cursor *c, const struct step_view *v)
{
	if (v->orphan && (!v->result || !*v->result) && room(c) > 0) {
		line(c, "It had printed nothing when this console started.",
		     ROLE_DIM);
		return;
	}
	if (!v->result || !*v->result || room(c) < 2)
		return;
	if (v->orphan)		/* still running: this run's output so far */
		line(c, v->output_cut ? "It had printed, when this console "
		     "started (it still runs; its output may be cut off):"
		     : "It had printed, when this console started (it still "
		     "runs):", ROLE_DIM);
	else if (v->exit_known)	/* its keeper's record says how it ended */
		line(c, v->output_cut ? "It printed, as far as its output was "
		     "kept (its console was killed: the output may be cut "
		     "off):" : "It printed:", ROLE_DIM);
	else
		line(c, v->output_cut ? "It printed, as far as its output was "
		     "kept (its console was killed: the output may be cut "
		     "off, and its exit status is unknown):"
		     : "It printed (its exit status is unknown):", ROLE_DIM);
	show_tail(c, v);
}

/* What to do about a run whose outcome is unknown: check it, then record
 * it as done by hand (the tick key) or run it again (a destructive re-run
 * asks for its confirmation again). Keys from the action table. */
static void
show_unknown_hint(struct cursor *c, const struct step_view *v, int can_act)
{
	show_unknown_tail(c, v);	/* the evidence first */
	if (!can_act || v->orphan) {
		linef(c, ROLE_WARNING, "Check what it did before running it "
		      "again.");
		return;
	}
	linef(c, ROLE_WARNING, "Check what it did before running it again: "
	      "if it did its work, %s records that (say what you checked); "
	      "%s runs it again%s.", keymap_key_label(KM_STEPS, UI_TICK),
	      keymap_key_label(KM_STEPS, UI_ACT), v->def->destructive
	      ? " (asks for its confirmation again)" : "");
}

/* A run the console died in: what is known of it, and what to do (the
 * key that stops it only where it can: not in a replay or a watch). */
static void
show_interrupted(struct cursor *c, const struct step_view *v, int can_act)
{
	char run[256], hint[128];

	if (v->cancelled) {
		linef(c, ROLE_WARNING, "Last run: cancelled %s outcome unknown "
		      "(stopped while it ran: its command may have acted)",
		      draw_glyph("\u2014", "-"));
		show_unknown_hint(c, v, can_act);
		return;
	}
	linef(c, ROLE_WARNING, "Last run: interrupted %s outcome unknown (the "
	      "console ended while it ran)", draw_glyph("\u2014", "-"));
	banner_run_text(v, run, sizeof(run));
	if (!v->orphan && v->orphan_end) {
		/* What was done to its process and what is known of its
		 * end (stopped by whom, the keeper's exit status). */
		if (*run)
			line(c, run, ROLE_DIM);
		linef(c, ROLE_WARNING, "Its run: %s", v->orphan_end);
	} else if (v->orphan) {
		/* still running: what to do first, then what it printed so
		 * far (which may be long, and is below the fold then) */
		linef(c, ROLE_WARNING, "Check what it did before running it "
		      "again, once it stops.");
		if (can_act) {
			banner_orphan_hint(v, hint, sizeof(hint));
			linef(c, ROLE_ALERT, "%s: %s", run, hint);
		} else {
			linef(c, ROLE_ALERT, "%s", run);
		}
		show_unknown_tail(c, v);
		return;
	} else if (*run) {
		line(c, run, ROLE_DIM);
	}
	show_unknown_hint(c, v, can_act);
}

/* A run whose outcome stayed unknown, then closed: checked by hand and
 * recorded done (with what was checked, by whom, when), or marked n/a or
 * skipped. Never "ok": no one saw it end. */
static void
show_unknown_closed(struct cursor *c, const struct step_view *v)
{
	char at[24];

	if (v->state == STEP_DONE && v->hand_check) {
		linef(c, ROLE_WARNING, "Last run: interrupted %s outcome unknown",
		      draw_glyph("\u2014", "-"));
		linef(c, ROLE_STEP_DONE, "Checked by hand by %s at %s: it did "
		      "its work (%s)", v->actor ? v->actor : "?",
		      timefmt_us(v->wall_us, TF_HM_ZONE, at, sizeof(at)),
		      *v->hand_check ? v->hand_check : "no note");
		return;
	}
	linef(c, ROLE_WARNING, "Last run: interrupted %s outcome unknown%s",
	      draw_glyph("\u2014", "-"), v->state == STEP_NA
	      ? " (then marked n/a)" : v->state == STEP_SKIPPED
	      ? " (then skipped)" : "");
}


/* A done step reopened because a value it used has changed since. */
static void
show_reopened(struct cursor *c, const struct step_view *v)
{
	if (v->state == STEP_OPEN && v->reopened && room(c) > 0)
		linef(c, ROLE_WARNING, "Reopened: %s; to do again", v->reopened);
}

/* A run that ended after its console quit: when, by its keeper's record
 * (no console saw it end), and that what it printed after a killed
 * console may be missing from the output shown. */
static void
show_kept_end(struct cursor *c, const struct step_view *v)
{
	char at[32];

	if (!v->ended_after_quit || room(c) <= 0)
		return;
	linef(c, ROLE_DIM, "It ended after the console quit, at %s (its "
	      "keeper's record)", timefmt_us(v->ended_after_quit,
					     TF_HMS_ZONE, at, sizeof(at)));
	if (v->output_cut && room(c) > 0)
		line(c, "Its output may be cut off: the console was killed "
		     "while it ran, and what it printed after that was not "
		     "kept.", ROLE_WARNING);
}

/* A watcher's view of a run whose console has gone: how it ended, when
 * its keeper recorded that (nothing journalled it yet: the console that
 * resumes the session will). */
static int
show_watched_kept(const struct app *a, struct cursor *c,
		  const struct step_view *v)
{
	struct kept_view k;
	char at[32];

	if (!a->watch || !a->driver_gone_us ||
	    session_step_kept(a->session, v->def->id, &k) <= 0)
		return 0;
	timefmt_us(k.ended_us, TF_HMS_ZONE, at, sizeof(at));
	if (k.term_signal)
		linef(c, ROLE_WARNING, "Last run: killed by signal %d %s "
		      "outcome unknown", k.term_signal,
		      draw_glyph("\u2014", "-"));
	else
		linef(c, k.exit_code == 0 ? ROLE_STEP_DONE : ROLE_STEP_FAILED,
		      "Last run: exit %d", k.exit_code);
	linef(c, ROLE_DIM, "It ended after the console quit, at %s (its "
	      "keeper's record; journalled when a console resumes the "
	      "session)", at);
	if (k.output_cut && room(c) > 0)
		line(c, "Its output may be cut off: the console was killed "
		     "while it ran, and what it printed after that was not "
		     "kept.", ROLE_WARNING);
	return 1;
}

static void
show_result(const struct app *a, struct cursor *c, const struct step_view *v)
{
	int failed;

	if (v->n_runs == 0 || room(c) < 2)
		return;
	if (v->state == STEP_INTERRUPTED) {
		show_interrupted(c, v, !a->replay && !a->watch);
		return;
	}
	if (v->run_unknown && v->state != STEP_RUNNING) {
		show_unknown_closed(c, v);
		show_unknown_tail(c, v);
		return;
	}
	if (v->state == STEP_RUNNING && show_watched_kept(a, c, v))
		return;
	if (v->state == STEP_RUNNING) {
		/* The run under way, not the one before it. */
		char running[64];

		runview_running_text(a, v, running, sizeof(running));
		linef(c, ROLE_STEP_RUNNING, "This run (run %d): %s", v->n_runs,
		      running);
		return;
	}
	/* A failed run stays failed when the step is then marked n/a or
	 * skipped: only a run without a failure reason was ok. */
	failed = v->state == STEP_FAILED || v->reason;
	linef(c, failed ? ROLE_STEP_FAILED : ROLE_STEP_DONE,
	      "Last run: %s%s%s%s", failed ? "FAILED" : "ok",
	      v->reason ? ": " : "", v->reason ? v->reason : "",
	      v->state == STEP_NA ? " (then marked n/a)"
	      : v->state == STEP_SKIPPED ? " (then skipped)" : "");
	show_kept_end(c, v);
	show_tail(c, v);
}

/* The message as it would go out now, or its template while a variable
 * it names is still unset. */
static void
show_message(struct app *a, struct cursor *c, const struct step_view *v)
{
	struct err err = { 0 };
	char *text = session_render(a->session, v->def->template, &err);

	line(c, text ? "Message (Enter previews it; e there edits it):"
		     : "Message template (a variable is not set yet):",
	     ROLE_TITLE);
	line(c, text ? text : v->def->template, ROLE_NORMAL);
	free(text);
}

int
pane_detail_shows_scorecard(const struct app *a)
{
	return session_mode(a->session) == SESSION_DRILL &&
	       session_is_complete(a->session);
}

/* The rows TEXT takes wrapped at WIDTH (as draw_wrapped wraps it). */
static long
wrapped_rows(const char *text, int width)
{
	long n = 0;

	for (const char *p = text; width > 0 && *p; n++) {
		p += draw_wrap_point(p, width);
		if (*p == '\n')
			p++;
	}
	return n;
}

/* TEXT past its first *SKIP wrapped rows; *SKIP less the rows passed. */
static const char *
skip_rows(const char *text, int width, long *skip)
{
	const char *p = text;

	while (width > 0 && *p && *skip > 0) {
		p += draw_wrap_point(p, width);
		if (*p == '\n')
			p++;
		(*skip)--;
	}
	return p;
}

/* The score card's lines: the title, where it is kept, its tables. */
static void
card_lines(cJSON *card, struct strbuf *out)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p;

	strbuf_addf(out, "Drill score card: %d / %d\n",
		    (int)cJSON_GetNumberValue(cJSON_GetObjectItem(card, "score")),
		    (int)cJSON_GetNumberValue(cJSON_GetObjectItem(card, "max")));
	strbuf_adds(out, "Kept in scorecard.json and report.md in the session "
		    "directory.\n");
	drill_scorecard_render(card, 0, &sb);
	/* The first line repeats the score the title gives. */
	p = strchr(sb.buf ? sb.buf : "", '\n');
	for (p = p ? p + 1 : ""; *p;) {
		size_t len = strcspn(p, "\n");

		if (len)
			strbuf_addf(out, "%.*s\n", (int)len, p);
		else
			strbuf_adds(out, " \n");
		p += len + (p[len] == '\n');
	}
	strbuf_done(&sb);
}

/* The hint on the card's last row while rows are hidden below. */
static void
card_more(struct app *a, struct cursor *c, long below)
{
	char buf[160];

	snprintf(buf, sizeof(buf), "%s %ld more line%s: %s/%s scroll, %s the "
		 "end", draw_glyph("\u2193", "v"), below, below == 1 ? "" : "s",
		 keymap_key_label(app_keymap_ctx(a), UI_MOVE_DOWN),
		 keymap_key_label(app_keymap_ctx(a), UI_PAGE_DOWN),
		 keymap_key_label(app_keymap_ctx(a), UI_MOVE_BOTTOM));
	draw_fill(c->w, c->y, c->r.x, c->r.w, theme_attr(ROLE_DIM));
	draw_text(c->w, c->y, c->r.x + 1, c->r.w - 2, buf,
		  theme_attr(ROLE_DIM));
}

/* A finished drill: the score card's tables in place of the step,
 * scrolled by a->card_top (kept in range here), with a line saying how
 * much is below when it does not fit. */
static int
show_scorecard(struct app *a, struct cursor *c)
{
	struct strbuf sb = STRBUF_INIT;
	int width = c->r.w - 2, rows = room(c), n = 0;
	long total = 0, skip, below;
	struct cursor view = *c;
	cJSON *card;

	if (!pane_detail_shows_scorecard(a) ||
	    !(card = drill_scorecard_json(a->session)))
		return 0;
	card_lines(card, &sb);
	cJSON_Delete(card);
	for (const char *p = strbuf_str(&sb); *p;) {
		size_t len = strcspn(p, "\n");
		char *l = xstrndup(p, len);

		total += wrapped_rows(l, width);
		free(l);
		p += len + (p[len] == '\n');
	}
	/* Room for the "more" line whenever the card does not fit. */
	if (total > rows && rows > 1)
		rows--;
	if (a->card_top > total - rows)
		a->card_top = total - rows > 0 ? total - rows : 0;
	skip = a->card_top;
	view.r.h = c->y - c->r.y + rows;
	for (const char *p = strbuf_str(&sb); *p && room(&view) > 0; n++) {
		size_t len = strcspn(p, "\n");
		char *l = xstrndup(p, len);
		const char *from = skip_rows(l, width, &skip);

		if (*from)
			line(&view, from, n == 0 ? ROLE_TITLE_FOCUS
			     : n == 1 ? ROLE_DIM : ROLE_NORMAL);
		free(l);
		p += len + (p[len] == '\n');
	}
	below = total - a->card_top - rows;
	c->y = view.r.y + view.r.h;
	if (below > 0)
		card_more(a, c, below);
	strbuf_done(&sb);
	return 1;
}

/* What the author of an imported draft must still review about the step,
 * with the runbook line it came from. */
static void
show_review(struct app *a, struct cursor *c, const struct step_view *v)
{
	for (size_t i = 0; i < a->pb->n_review; i++) {
		const struct pb_review *rv = &a->pb->review[i];

		if (!rv->step || strcmp(rv->step, v->def->id) != 0)
			continue;
		if (rv->line > 0)
			linef(c, ROLE_WARNING, "Review (runbook line %d): %s",
			      rv->line, rv->text);
		else
			linef(c, ROLE_WARNING, "Review: %s", rv->text);
	}
}

/* The state of open step V whose condition does not hold, as the
 * checklist marks it: waiting on the variable it still waits on, or n/a
 * (it can no longer apply), never "open". */
static void
inactive_state(const struct app *a, const struct step_view *v, char *buf,
	       size_t size)
{
	const struct pb_cond *wait = playbook_when_waiting_on(
		&v->def->when, app_lookup, a->session);

	if (wait)
		snprintf(buf, size, "waiting on %s", wait->var);
	else
		snprintf(buf, size, "n/a");
}

/* The selected step, from the cursor's row down (as tall as it takes). */
static void
step_body(struct app *a, struct cursor *c)
{
	struct step_view v;
	char running[64], *title;

	if (app_step_at(a, a->sel, &v) < 0) {
		line(c, "No step selected.", ROLE_DIM);
		return;
	}
	/* Only the focused pane's title is drawn in the focus role. */
	title = session_show_text(a->session, v.def->title);
	line(c, title, ROLE_TITLE);
	free(title);
	if (v.state == STEP_RUNNING)
		runview_running_text(a, &v, running, sizeof(running));
	if (v.state == STEP_RUNNING)
		;
	else if (v.state == STEP_OPEN && !v.active)
		inactive_state(a, &v, running, sizeof(running));
	else
		snprintf(running, sizeof(running), "%s",
			 session_state_name(v.state));
	linef(c, ROLE_DIM, "%s  %s  %s%s", v.def->id,
	      playbook_kind_name(v.def->kind), running,
	      v.def->required ? "" : "  (optional)");
	if (a->sel >= 0 && a->sel < a->n_visible &&
	    a->visible[a->sel] == 0 && app_briefing(a))
		linef(c, ROLE_TITLE, "Briefing: %s", app_briefing(a));
	show_applies(a, c, &v);
	show_review(a, c, &v);
	if (v.def->note) {
		char *note = session_show_text(a->session, v.def->note);

		line(c, note, ROLE_NORMAL);
		free(note);
	}
	switch (v.def->kind) {
	case STEP_KIND_RUN: show_run(a, c, &v); break;
	case STEP_KIND_DECIDE: show_decide(a, c, &v); break;
	case STEP_KIND_APPROVE: show_approve(a, c, &v); break;
	case STEP_KIND_INPUT: show_input(a, c, &v); break;
	case STEP_KIND_MESSAGE: show_message(a, c, &v); break;
	case STEP_KIND_CHECK: show_check(a, c, &v); break;
	case STEP_KIND_WAIT:
		linef(c, ROLE_NORMAL, "Watch for %lld s",
		      (long long)(v.def->duration_us / 1000000));
		break;
	default: break;
	}
	show_reopened(c, &v);
	show_result(a, c, &v);
}

/* The step pane's rows drawn off screen: as many as a step can take. */
#define DETAIL_PAD_ROWS 400

/* The line under a step that does not fit: how many rows are below (or,
 * at the end, above) and the keys that scroll it, from the action
 * table; from the checklist, the key that reaches the pane first. */
static void
detail_more(struct app *a, WINDOW *w, int y, struct rect r, long above,
	    long below)
{
	char buf[200];
	int ctx = app_keymap_ctx(a);

	if (below > 0 && a->focus != PANE_DETAIL)
		snprintf(buf, sizeof(buf), "%s %ld more line%s (%s, then %s "
			 "scrolls)", draw_glyph("\u2193", "v"), below,
			 below == 1 ? "" : "s",
			 keymap_key_label(ctx, UI_FOCUS_NEXT),
			 keymap_key_label(KM_GLOBAL, UI_MOVE_DOWN));
	else if (below > 0)
		snprintf(buf, sizeof(buf), "%s %ld more line%s (%s/%s/%s)",
			 draw_glyph("\u2193", "v"), below,
			 below == 1 ? "" : "s",
			 keymap_key_label(ctx, UI_MOVE_DOWN),
			 keymap_key_label(ctx, UI_PAGE_DOWN),
			 keymap_key_label(ctx, UI_MOVE_BOTTOM));
	else
		snprintf(buf, sizeof(buf), "%s %ld line%s above (%s/%s/%s)",
			 draw_glyph("\u2191", "^"), above,
			 above == 1 ? "" : "s",
			 keymap_key_label(ctx, UI_MOVE_UP),
			 keymap_key_label(ctx, UI_PAGE_UP),
			 keymap_key_label(ctx, UI_MOVE_TOP));
	draw_fill(w, y, r.x, r.w, theme_attr(ROLE_DIM));
	draw_text(w, y, r.x + 1, r.w - 2, buf, theme_attr(ROLE_DIM));
}

/* The canvas for a step R.w wide, blank: the one of the last frame with
 * the rows it drew cleared, or a new one when the width changed. */
static WINDOW *
detail_pad(struct app *a, WINDOW *w, struct rect r)
{
	WINDOW *pad = a->detail_pad;

	if (pad && getmaxx(pad) != r.w)
		pane_detail_done(a);
	if (!a->detail_pad) {
		a->detail_pad = pad = newpad(DETAIL_PAD_ROWS, r.w);
		a->detail_pad_rows = 0;
		if (pad)
			wbkgd(pad, getbkgd(w));
		return pad;
	}
	if (getbkgd(pad) != getbkgd(w)) {
		wbkgd(pad, getbkgd(w));	/* a new theme: every cell */
		werase(pad);
	}
	/* The row a drawing left the cursor on may hold text too. */
	for (int y = 0; y <= a->detail_pad_rows && y < DETAIL_PAD_ROWS; y++) {
		wmove(pad, y, 0);
		wclrtoeol(pad);
	}
	return pad;
}

void
pane_detail_done(struct app *a)
{
	if (a->detail_pad)
		delwin(a->detail_pad);
	a->detail_pad = NULL;
	a->detail_pad_rows = 0;
}

/* The step drawn whole off screen, and the rows from a->detail_top (kept
 * in range here; back to the top for another step) copied into R, with
 * a "more" line when it does not fit. */
static void
draw_scrolled(struct app *a, WINDOW *w, struct rect r)
{
	WINDOW *pad = r.w > 0 && r.h > 0 ? detail_pad(a, w, r) : NULL;
	struct cursor pc = { pad, { 0, 0, DETAIL_PAD_ROWS, r.w }, 0 };
	long total, rows = r.h;

	if (!pad) {
		struct cursor c = { w, r, r.y };

		step_body(a, &c);
		return;
	}
	step_body(a, &pc);
	total = pc.y;
	a->detail_pad_rows = pc.y;
	if (a->detail_sel != a->sel)
		a->detail_top = 0;
	a->detail_sel = a->sel;
	if (total > rows && rows > 1)
		rows--;	/* the "more" line */
	if (a->detail_top > total - rows)
		a->detail_top = total - rows > 0 ? total - rows : 0;
	copywin(pad, w, (int)a->detail_top, 0, r.y, r.x, r.y + (int)rows - 1,
		r.x + r.w - 1, FALSE);
	if (total > r.h && r.h > 1)
		detail_more(a, w, r.y + (int)rows, r, a->detail_top,
			    total - a->detail_top - rows);
}

void
pane_detail_draw(struct app *a, WINDOW *w, struct rect r)
{
	struct cursor c = { w, r, r.y };
	struct rect body;

	if (a->wide) {
		draw_fill(w, r.y, r.x, r.w, theme_attr(a->focus == PANE_DETAIL
			  ? ROLE_TITLE_FOCUS : ROLE_TITLE));
		draw_text(w, r.y, r.x, r.w, " Step ", theme_attr(
			  a->focus == PANE_DETAIL ? ROLE_TITLE_FOCUS : ROLE_TITLE));
		c.y++;
	}
	if (show_scorecard(a, &c))
		return;
	body = r;
	body.y = c.y;
	body.h = r.y + r.h - c.y;
	draw_scrolled(a, w, body);
}
