/* The checklist pane: the steps of the current phase (and earlier steps
 * that need action again), each with a state glyph and word so state never
 * rests on colour alone, and who changed it when. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "draw.h"
#include "outbox.h"
#include "theme.h"

static const char *
state_glyph(enum step_state st)
{
	switch (st) {
	case STEP_DONE: return draw_glyph("[\u2713]", "[x]");
	case STEP_RUNNING: return draw_glyph("[\u2026]", "[~]");
	case STEP_FAILED: return draw_glyph("[\u2717]", "[!]");
	case STEP_SKIPPED: return "[-]";
	case STEP_NA: return "[/]";
	default: return "[ ]";
	}
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
	default: return ROLE_STEP_OPEN;
	}
}

static void
who_when(const struct step_view *v, char *buf, size_t size)
{
	time_t t = (time_t)(v->wall_us / 1000000);
	struct tm tm;

	buf[0] = '\0';
	if (!v->actor || v->state == STEP_OPEN)
		return;
	gmtime_r(&t, &tm);
	snprintf(buf, size, "%s %02d:%02d", v->actor, tm.tm_hour, tm.tm_min);
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

static void
draw_step(struct app *a, WINDOW *w, int y, struct rect r, int i)
{
	struct step_view v;
	char tail[96];
	int selected = i == a->sel;
	int attr, x, tail_w;

	if (app_step_at(a, i, &v) < 0)
		return;
	attr = selected ? theme_attr(a->focus == PANE_STEPS ? ROLE_CURSOR
							     : ROLE_TITLE)
			: theme_attr(state_role(v.state, v.active));
	draw_fill(w, y, r.x, r.w, selected ? attr : theme_attr(ROLE_NORMAL));
	x = r.x + draw_text(w, y, r.x, r.w, state_glyph(v.state), attr) + 1;
	who_when(&v, tail, sizeof(tail));
	if (!v.active)
		snprintf(tail, sizeof(tail), "does not apply");
	else if (v.def->kind == STEP_KIND_MESSAGE && is_pending(a, v.def->id))
		snprintf(tail, sizeof(tail), "queued, not delivered");
	else if (v.state == STEP_RUNNING)
		runview_running_text(a, &v, tail, sizeof(tail));
	else if (v.state != STEP_OPEN && v.state != STEP_DONE && !tail[0])
		snprintf(tail, sizeof(tail), "%s", session_state_name(v.state));
	tail_w = draw_width(tail);
	if (tail_w > r.w / 2)
		tail_w = r.w / 2;
	if (v.phase < session_phase(a->session))	/* needs action again */
		x += draw_text(w, y, x, r.x + r.w - x, "again: ", attr);
	draw_text(w, y, x, r.x + r.w - x - tail_w - 1, v.def->title, attr);
	draw_text(w, y, r.x + r.w - tail_w, tail_w, tail,
		  selected ? attr : theme_attr(ROLE_JOURNAL_TIME));
}

void
pane_steps_draw(struct app *a, WINDOW *w, struct rect r)
{
	char title[160];
	int done = 0, rows = r.h - 1;
	struct step_view v;

	for (int i = 0; i < a->n_visible; i++)
		if (app_step_at(a, i, &v) == 0 &&
		    (v.state == STEP_DONE || v.state == STEP_NA ||
		     v.state == STEP_SKIPPED || !v.active))
			done++;
	snprintf(title, sizeof(title), " %s: %s  %d/%d ",
		 app_pane_name(PANE_STEPS),
		 session_is_complete(a->session) ? "complete"
		 : playbook_phase_name(session_phase(a->session)), done,
		 a->n_visible);
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
