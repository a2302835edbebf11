/* The checklist pane: the steps of the current phase (and earlier steps
 * that need action again), each with a state glyph and word so state never
 * rests on colour alone, and who changed it when. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "draw.h"
#include "outbox.h"
#include "theme.h"
#include "strbuf.h"
#include "timefmt.h"

/* What a checklist line's mark says. A step that does not apply yet, or
 * no longer, is no open work: it gets a mark of its own, never "[ ]". */
enum mark {
	MARK_OPEN,
	MARK_DONE,
	MARK_RUNNING,
	MARK_FAILED,
	MARK_SKIPPED,
	MARK_NA,
	MARK_WAITING,
	MARK_INTERRUPTED,
	MARK_COUNT
};

static const struct {
	const char *utf8, *ascii;	/* the glyph */
	const char *meaning;		/* for the help's legend */
} marks[MARK_COUNT] = {
	[MARK_OPEN] = { "[ ]", "[ ]", "to do" },
	[MARK_DONE] = { "[\u2713]", "[x]", "done" },
	[MARK_RUNNING] = { "[\u2026]", "[~]", "running" },
	[MARK_FAILED] = { "[\u2717]", "[!]", "failed" },
	[MARK_SKIPPED] = { "[-]", "[-]", "skipped (left open when the "
			   "phase ended)" },
	[MARK_NA] = { "[/]", "[/]", "n/a: marked so, or its condition can "
		      "no longer hold" },
	[MARK_WAITING] = { "[?]", "[?]", "waiting on a variable its "
			   "condition names (not counted)" },
	[MARK_INTERRUPTED] = { "[\u203d]", "[*]", "interrupted, outcome unknown "
			       "(its console ended)" },
};

int
pane_steps_legend(int i, const char **glyph, const char **meaning)
{
	if (i < 0 || i >= MARK_COUNT)
		return -1;
	*glyph = draw_glyph(marks[i].utf8, marks[i].ascii);
	*meaning = marks[i].meaning;
	return 0;
}

/* The mark of step V; *WAITING gets the condition it waits on, if any. */
static enum mark
step_mark(const struct app *a, const struct step_view *v,
	  const struct pb_cond **waiting)
{
	*waiting = NULL;
	if (!v->active && v->state == STEP_OPEN) {
		*waiting = playbook_when_waiting_on(&v->def->when, app_lookup,
						    a->session);
		return *waiting ? MARK_WAITING : MARK_NA;
	}
	switch (v->state) {
	case STEP_DONE: return MARK_DONE;
	case STEP_RUNNING: return MARK_RUNNING;
	case STEP_FAILED: return MARK_FAILED;
	/* A step passed by because its condition did not hold stays n/a, as
	 * the report says; only an optional one left open is skipped. */
	case STEP_SKIPPED: return v->active ? MARK_SKIPPED : MARK_NA;
	case STEP_NA: return MARK_NA;
	case STEP_INTERRUPTED: return MARK_INTERRUPTED;
	default: return MARK_OPEN;
	}
}

/* Whether step V is part of the phase's work: it applies and was not
 * marked n/a. What waits on a decision or can no longer apply is not. */
static int
is_counted(const struct step_view *v)
{
	return v->active && v->state != STEP_NA;
}

int
pane_steps_first_applicable(const struct app *a)
{
	struct step_view v;

	for (int i = 0; i < a->n_visible; i++)
		if (app_step_at(a, i, &v) == 0 && is_counted(&v))
			return i;
	return 0;
}

/* The first visible row whose step is active and in one of the states
 * WANT, A and B; -1 when none is. */
static int
first_row_in(const struct app *a, enum step_state want, enum step_state b)
{
	struct step_view v;

	for (int i = 0; i < a->n_visible; i++)
		if (app_step_at(a, i, &v) == 0 && v.active &&
		    (v.state == want || v.state == b))
			return i;
	return -1;
}

int
pane_steps_resume_row(const struct app *a)
{
	int row = first_row_in(a, STEP_INTERRUPTED, STEP_INTERRUPTED);

	return row >= 0 ? row : first_row_in(a, STEP_OPEN, STEP_FAILED);
}

static int
state_role(enum step_state st, int active)
{
	if (!active)
		return ROLE_STEP_SKIPPED;
	switch (st) {
	case STEP_DONE: return ROLE_STEP_DONE;
	case STEP_RUNNING: return ROLE_STEP_RUNNING;
	case STEP_FAILED: return ROLE_STEP_FAILED;
	case STEP_SKIPPED: case STEP_NA: return ROLE_STEP_SKIPPED;
	case STEP_INTERRUPTED: return ROLE_WARNING;
	default: return ROLE_STEP_OPEN;
	}
}

static void
who_when(const struct step_view *v, char *buf, size_t size)
{
	char when[16];

	buf[0] = '\0';
	if (!v->actor || v->state == STEP_OPEN)
		return;
	snprintf(buf, size, "%s %s", v->actor,
		 timefmt_us(v->wall_us, TF_HM, when, sizeof(when)));
}

/* "n/a (condition: VAR is A|B)": the first condition of step V's when
 * that does not hold. */
static void
condition_label(const struct app *a, const struct step_view *v, char *buf,
		size_t size)
{
	const struct pb_when *w = &v->def->when;
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < w->n_conds; i++) {
		const struct pb_cond *c = &w->conds[i];
		const char *now = app_lookup(c->var, a->session);
		int holds = 0;

		for (size_t j = 0; now && j < c->n_values; j++)
			holds |= strcmp(now, c->values[j]) == 0;
		if (holds)
			continue;
		strbuf_addf(&sb, "%s is ", c->var);
		for (size_t j = 0; j < c->n_values; j++)
			strbuf_addf(&sb, "%s%s", j ? "|" : "", c->values[j]);
		break;
	}
	snprintf(buf, size, "n/a (condition%s%s)", sb.len ? ": " : "",
		 strbuf_str(&sb));
	strbuf_done(&sb);
}

/* Whether message step ID has a delivery still pending. */
static int
is_pending(const struct app *a, const char *id)
{
	struct outbox_view ov;

	for (size_t i = 0; i < session_outbox_pending(a->session); i++)
		if (session_outbox_view(a->session, i, &ov) == 0 && ov.step &&
		    strcmp(ov.step, id) == 0)
			return 1;
	return 0;
}

/* The label at the right end of step V's line; returns 1 when it may
 * only take the room the title leaves (it repeats what the mark says). */
static int
step_label(struct app *a, const struct step_view *v, enum mark m,
	   const struct pb_cond *waiting, char *buf, size_t size)
{
	who_when(v, buf, size);
	if (m == MARK_WAITING) {
		snprintf(buf, size, "waiting on %s", waiting->var);
		return 1;
	}
	if (m == MARK_NA && !v->active && v->state == STEP_OPEN) {
		snprintf(buf, size, "n/a");
		return 1;
	}
	if (m == MARK_NA && !v->active && v->state == STEP_SKIPPED) {
		/* passed by because its condition did not hold: nobody
		 * marked it, so it names the condition, not a person */
		condition_label(a, v, buf, size);
		return 1;
	}
	if (v->state == STEP_OPEN && v->reopened)
		snprintf(buf, size, "reopened");
	else if (v->def->kind == STEP_KIND_MESSAGE && is_pending(a, v->def->id))
		snprintf(buf, size, "queued, not delivered");
	else if (v->state == STEP_RUNNING)
		runview_running_text(a, v, buf, size);
	else if (v->state == STEP_INTERRUPTED)	/* never "failed"; the mark's
						 * legend and the step pane say
						 * the outcome is unknown */
		snprintf(buf, size, "%s", v->cancelled ? "cancelled"
							: "interrupted");
	else if (v->state != STEP_OPEN && v->state != STEP_DONE && !buf[0])
		snprintf(buf, size, "%s", session_state_name(v->state));
	return 0;
}

/* The title from X, then the label at the right end: in up to half the
 * line, or when LABEL_YIELDS only in what the title leaves (cut short with
 * an ellipsis, or left out below 5 columns), so the title is never cut
 * for it. */
static void
draw_title_label(WINDOW *w, int y, int x, struct rect r, const char *title,
		 const char *label, int label_yields, int attr, int label_attr)
{
	int end = r.x + r.w, label_w = draw_width(label);

	if (label_yields) {
		/* two blanks apart, so it never reads as part of the title */
		int left = end - x - draw_width(title) - 2;

		label_w = label_w <= left ? label_w : left >= 5 ? left : 0;
	} else if (label_w > r.w / 2) {
		label_w = r.w / 2;
	}
	draw_title(w, y, x, end - x - label_w - 1, title, attr);
	if (label_w < draw_width(label) && label_w > 1) {
		draw_text(w, y, end - label_w, label_w - 1, label, label_attr);
		draw_text(w, y, end - 1, 1, draw_glyph("\u2026", "~"),
			  label_attr);
	} else if (label_w) {
		draw_text(w, y, end - label_w, label_w, label, label_attr);
	}
}

static void
draw_step(struct app *a, WINDOW *w, int y, struct rect r, int i)
{
	struct step_view v;
	const struct pb_cond *waiting;
	char label[96], *title;
	int selected = i == a->sel;
	int attr, x, yields;
	enum mark m;

	if (app_step_at(a, i, &v) < 0)
		return;
	m = step_mark(a, &v, &waiting);
	attr = selected ? theme_attr(a->focus == PANE_STEPS ? ROLE_CURSOR
							     : ROLE_TITLE)
			: theme_attr(state_role(v.state, v.active));
	draw_fill(w, y, r.x, r.w, selected ? attr : theme_attr(ROLE_NORMAL));
	x = r.x + draw_text(w, y, r.x, r.w, draw_glyph(marks[m].utf8,
						       marks[m].ascii), attr) + 1;
	yields = step_label(a, &v, m, waiting, label, sizeof(label));
	if (v.phase < session_phase(a->session))	/* needs action again */
		x += draw_text(w, y, x, r.x + r.w - x, "again: ", attr);
	title = session_show_text(a->session, v.def->title);
	draw_title_label(w, y, x, r, title, label, yields, attr,
			 selected ? attr : theme_attr(ROLE_JOURNAL_TIME));
	free(title);
}

void
pane_steps_draw(struct app *a, WINDOW *w, struct rect r)
{
	char title[160], skips[32] = "";
	int done = 0, counted = 0, skipped = 0, rows = r.h - 1;
	struct step_view v;

	for (int i = 0; i < a->n_visible; i++) {
		if (app_step_at(a, i, &v) < 0 || !is_counted(&v))
			continue;
		counted++;
		done += v.state == STEP_DONE;
		skipped += v.state == STEP_SKIPPED;
	}
	/* A step skipped when its phase ended was not done: said apart. */
	if (skipped)
		snprintf(skips, sizeof(skips), ", %d skipped", skipped);
	snprintf(title, sizeof(title), " %s: %s  %d/%d%s ",
		 app_pane_name(PANE_STEPS),
		 session_is_complete(a->session) ? "complete"
		 : playbook_phase_name(session_phase(a->session)), done,
		 counted, skips);
	draw_fill(w, r.y, r.x, r.w, theme_attr(a->focus == PANE_STEPS
					       ? ROLE_TITLE_FOCUS : ROLE_TITLE));
	draw_text(w, r.y, r.x, r.w, title, theme_attr(a->focus == PANE_STEPS
					? ROLE_TITLE_FOCUS : ROLE_TITLE));
	if (a->sel < a->steps_top)
		a->steps_top = a->sel;
	if (a->sel >= a->steps_top + rows)
		a->steps_top = a->sel - rows + 1;
	for (int i = 0; i < rows && a->steps_top + i < a->n_visible; i++)
		draw_step(a, w, r.y + 1 + i, r, a->steps_top + i);
	if (a->n_visible == 0)
		draw_text(w, r.y + 1, r.x + 1, r.w - 1, session_is_complete(
			  a->session) ? "All phases done." :
			  "No steps in this phase: press > for the next one.",
			  theme_attr(ROLE_DIM));
}
