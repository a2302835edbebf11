/* The fixed rows: header (title, mode, key versions, clock), the phase
 * rail, the status line and the key bar generated from the keymap. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "share.h"
#include "clock.h"
#include "draw.h"
#include "drill.h"
#include "keymap.h"
#include "loop.h"
#include "outbox.h"
#include "testhook.h"
#include "rtoclock.h"
#include "theme.h"
#include "timefmt.h"

/* The value of the variable the playbook's header names, or NULL (none
 * declared, unset, or secret). */
static const char *
header_var(const struct app *a, const char *name)
{
	const struct pb_variable *v = name ? playbook_find_var(a->pb, name)
					   : NULL;

	return v && !v->secret ? session_var(a->session, name) : NULL;
}

/* "FROM -> TO" from the variables the playbook declares under "header";
 * nothing is guessed from names. A version not known yet shows as "?".
 * With steps of the execute phase reopened (a variable they used
 * changed), " (reopened)" after it: TO is not reached yet; returns 1
 * then. */
static int
versions_text(const struct app *a, char *buf, size_t size)
{
	const char *from = header_var(a, a->pb->header.from);
	const char *to = header_var(a, a->pb->header.to);
	const char *arrow = draw_glyph("\u2192", "->");
	int redo = session_phase_reopened(a->session, PHASE_EXECUTE) > 0;
	size_t n = 0;

	buf[0] = '\0';
	if (from && to)
		n = (size_t)snprintf(buf, size, "%s %s %s", from, arrow, to);
	else if (to)
		n = (size_t)snprintf(buf, size, "%s %s", arrow, to);
	else if (from)
		n = (size_t)snprintf(buf, size, "%s %s ?", from, arrow);
	if (redo && n && n < size)
		snprintf(buf + n, size - n, " (reopened)");
	return redo && n;
}

/* A duration as "24m11s" (seconds shown) or "60m" (SECS a whole number
 * of minutes, WHOLE set): never read as a time of day. */
void
bars_duration_text(int64_t secs, int whole, char *buf, size_t size)
{
	if (secs < 0)
		secs = 0;
	if (whole && secs % 60 == 0)
		snprintf(buf, size, "%lldm", (long long)(secs / 60));
	else
		snprintf(buf, size, "%lldm%02llds", (long long)(secs / 60),
			 (long long)(secs % 60));
}

/* Where the recovery time ends once that is known, by the report's
 * rule (session_recovery_end: ROLLED_BACK_AT, the end of the verify
 * phase, completion); a drill's when its verify phase was left, as its
 * card counts. 0 while the clock still runs. */
static int64_t
rto_fixed_end(const struct app *a)
{
	int fixed;
	int64_t end;

	if (session_mode(a->session) == SESSION_DRILL)
		return drill_clock_stop(a->session);
	end = session_recovery_end(a->session, &fixed, NULL);
	return fixed ? end : 0;
}

/* Seconds on the RTO clock at NOW: from detection when the session has
 * DETECTED_AT (as the report counts), else from the session's start; once
 * the point the report measures recovery to is known, to that point, not
 * NOW, so the two agree. A drill's clock is its own, as on the score card:
 * the trainee's DETECTED_AT is the story's time. *FROM the clock's start,
 * *DETECTED which. */
int64_t
bars_rto_elapsed(const struct app *a, int64_t now, int64_t *from,
		 int *detected)
{
	int64_t end = rto_fixed_end(a);
	int64_t elapsed;

	if (end)
		now = end;
	*from = rtoclock_start(session_mode(a->session) == SESSION_DRILL ?
			       NULL : header_var(a, "DETECTED_AT"),
			       session_start_wall(a->session), detected);
	elapsed = (now - *from) / 1000000;
	return elapsed < 0 ? 0 : elapsed;
}

/* The verdict the report gives (rtoclock_verdict) on ELAPSED seconds of
 * TARGET, or NULL while undecided. */
static const char *
rto_verdict(const struct app *a, int64_t elapsed, int64_t target)
{
	char why[256];
	int complete = session_is_complete(a->session);

	return rtoclock_verdict(elapsed, target, complete, complete &&
				session_recovery_unproven(a->session, why,
							  sizeof(why)));
}

static void
clock_text(const struct app *a, int64_t now, char *buf, size_t size,
	   int *late)
{
	int64_t target = playbook_rto_within(a->pb, app_lookup, a->session) /
			 1000000;
	int64_t elapsed, from;
	int detected;
	char since[48] = "", at[24], used[24], of[24], word[32] = "";
	const char *verdict;

	elapsed = bars_rto_elapsed(a, now, &from, &detected);
	if (detected)
		snprintf(since, sizeof(since), " since detected %s",
			 timefmt_us(from, TF_HM_ZONE, at, sizeof(at)));
	verdict = rto_verdict(a, elapsed, target);
	/* Once decided, the report's word: met, missed, not proven. */
	if (verdict)
		snprintf(word, sizeof(word), ", %s", verdict);
	*late = target > 0 && (verdict ? strcmp(verdict, "met") != 0
				       : elapsed > target);
	bars_duration_text(elapsed, 0, used, sizeof(used));
	bars_duration_text(target, 1, of, sizeof(of));
	if (target > 0)
		snprintf(buf, size, "%s of %s RTO%s%s", used, of, word, since);
	else
		snprintf(buf, size, "%s%s", used, since);
}

/* TEXT in WIDTH columns, ending in an ellipsis when it had to be cut, so
 * a cut title is never mistaken for a whole one. */
static void
draw_clipped(WINDOW *w, int y, int x, int width, const char *text, int attr)
{
	if (width <= 1)
		return;
	if (draw_width(text) <= width) {
		draw_text(w, y, x, width, text, attr);
		return;
	}
	x += draw_text(w, y, x, width - 1, text, attr);
	draw_text(w, y, x, 1, draw_glyph("\u2026", "~"), attr);
}

void
bars_escalation_text(const struct pb_escalation *e, char *buf, size_t size)
{
	int64_t secs = e->after_us / 1000000;

	if (secs % 60 == 0)
		snprintf(buf, size, "%lld min: escalate to %s",
			 (long long)(secs / 60), e->notify);
	else
		snprintf(buf, size, "%lld s: escalate to %s", (long long)secs,
			 e->notify);
}

/* LIVE or DRILL, and WATCH before it when following from elsewhere. */
static const char *
mode_label(const struct app *a, int live)
{
	if (a->watch && a->driver_gone_us)
		return " WATCH: NO CONSOLE ";
	if (a->watch)
		return live ? " WATCH LIVE " : " WATCH DRILL ";
	return live ? " LIVE " : " DRILL ";
}

/* Title, versions and the clock text CLK (LATE: in the late colour) from
 * column X of the header row. */
static void
draw_rest(struct app *a, WINDOW *w, int x, int width, const char *clk,
	  int late)
{
	char versions[160], clock[64];
	int clock_w, vers_w, title_min;
	int redo = versions_text(a, versions, sizeof(versions));
	char *since;

	/* Versions and clock matter most at 3 a.m.; the title gets the rest,
	 * but never nothing: "since detected" goes first, then the
	 * versions, so a narrow header still names the playbook. */
	snprintf(clock, sizeof(clock), "%s", clk);
	clk = clock;
	title_min = draw_width(a->pb->title) < 16 ? draw_width(a->pb->title)
						  : 16;
	clock_w = draw_width(clk) + 1;
	vers_w = versions[0] ? draw_width(versions) + 2 : 0;
	if (width - x - clock_w - vers_w - 3 < title_min &&
	    (since = strstr(clock, " since detected"))) {
		*since = '\0';
		clock_w = draw_width(clk) + 1;
	}
	if (width - x - clock_w - vers_w - 3 < title_min)
		vers_w = 0;
	draw_clipped(w, 0, x + 1, width - x - clock_w - vers_w - 3,
		     a->pb->title, theme_attr(ROLE_HEADER));
	if (vers_w && width - clock_w - vers_w > x)
		draw_text(w, 0, width - clock_w - vers_w, vers_w, versions,
			  theme_attr(redo ? ROLE_ALERT : ROLE_TITLE_FOCUS));
	draw_text(w, 0, width - clock_w, clock_w, clk,
		  theme_attr(late ? ROLE_CLOCK_LATE : ROLE_CLOCK));
}

/* A session followed from elsewhere whose last event is a minute old or
 * more and that neither ended nor quit: "; last event 12m ago" (its
 * console may be idle, or gone without a word: a watcher cannot tell). */
static void
follow_idle_text(const struct app *a, char *buf, size_t size)
{
	int64_t idle = clock_wall_now(loop_clock(a->loop)) -
		       session_last_wall(a->session);
	char ago[24];

	buf[0] = '\0';
	if (a->driver_gone_us || session_is_complete(a->session) ||
	    idle < 60 * 1000000LL || !session_last_wall(a->session))
		return;
	bars_duration_text(idle / 1000000, 1, ago, sizeof(ago));
	snprintf(buf, size, "; last event %s ago", ago);
}

/* The session's sharing (--share), in the alert colour while the remote
 * does not hold everything, cut (with an ellipsis) before column LIMIT so
 * the clock after it is never drawn over it; the columns it took. */
static int
draw_share(struct app *a, WINDOW *w, int x, int limit)
{
	char text[512], label[516];
	int state = session_share_state(a->session);

	if (a->follow) {
		const char *offer = session_handover_offer(a->session);
		size_t n = 0;

		/* What the watcher must know first: who is to take it over. */
		if (offer)
			n = (size_t)snprintf(text, sizeof(text), "handover "
					     "offered to %s; ", offer);
		share_follow_text(a->follow, text + n, sizeof(text) - n);
		n = strlen(text);
		follow_idle_text(a, text + n, sizeof(text) - n);
		state = share_follow_failing(a->follow) ? SHARE_OFFLINE
							: SHARE_PUBLISHED;
	} else if (!session_share_text(a->session, text, sizeof(text))) {
		return 0;
	}
	snprintf(label, sizeof(label), " %s ", text);
	if (limit - x < 4)
		return 0;
	draw_clipped(w, 0, x, limit - x, label,
		     theme_attr(state == SHARE_OFFLINE ||
				state == SHARE_REJECTED ? ROLE_ALERT
							: ROLE_DIM));
	return draw_width(label) < limit - x ? draw_width(label) : limit - x;
}

void
bars_draw_header(struct app *a, WINDOW *w, int width)
{
	int live = session_mode(a->session) == SESSION_LIVE;
	int x, late;
	int64_t now;
	char clk[64];

	draw_fill(w, 0, 0, width, theme_attr(ROLE_HEADER));
	x = draw_text(w, 0, 0, width, mode_label(a, live),
		      theme_attr(live ? ROLE_MODE_LIVE : ROLE_MODE_DRILL));
	if (testhook_active())
		x += draw_text(w, 0, x, width - x, " TEST MODE ",
			       theme_attr(ROLE_TEST_MODE));
	/* A watched session nobody drives stands still at its last event. */
	now = a->watch && a->driver_gone_us ? a->driver_gone_us
					     : clock_wall_now(loop_clock(a->loop));
	clock_text(a, now, clk, sizeof(clk), &late);
	x += draw_share(a, w, x, width - draw_width(clk) - 2);
	draw_rest(a, w, x, width, clk, late);
}

void
bars_draw_header_rest(struct app *a, WINDOW *w, int x, int width,
		      int64_t now_us)
{
	char clk[64];
	int late;

	clock_text(a, now_us, clk, sizeof(clk), &late);
	draw_rest(a, w, x, width, clk, late);
}

/* The moment the rail counts a phase's time to: replay's clock in a
 * replay, where the watched driver left in a watch, else 0 (now). */
static int64_t
rail_now(const struct app *a)
{
	if (a->watch && a->driver_gone_us)
		return a->driver_gone_us;
	return a->replay && !a->watch ? a->replay_now : 0;
}

/* In a drill, the current phase's time against its target (" 3m12s of
 * 5m", as the score card counts it) into BUF, or "" when it has none;
 * *LATE when it is over. */
static void
phase_target_text(const struct app *a, enum phase_id p, char *buf,
		  size_t size, int *late)
{
	int64_t took, target;
	char used[24], of[24];

	buf[0] = '\0';
	*late = 0;
	if (drill_phase_time(a->session, (int)p, rail_now(a), &took,
			     &target) < 0 ||
	    !target)
		return;
	*late = took > target;
	bars_duration_text(took / 1000000, 0, used, sizeof(used));
	bars_duration_text(target / 1000000, 1, of, sizeof(of));
	snprintf(buf, size, " %s of %s", used, of);
}

/* The rail's width: each phase's name with its glyph, two columns apart,
 * and EXTRA. */
static int
rail_width(int extra)
{
	int n = 1 + extra;

	for (int p = 0; p < PHASE_COUNT; p++)
		n += 2 + (int)strlen(playbook_phase_name((enum phase_id)p)) +
		     (p + 1 < PHASE_COUNT ? 2 : 0);
	return n;
}

void
bars_draw_rail(struct app *a, WINDOW *w, int y, int width)
{
	enum phase_id cur = session_phase(a->session);
	int done_all = session_is_complete(a->session);
	int x = 1, late = 0;
	char target[48] = "";

	if (!done_all)
		phase_target_text(a, cur, target, sizeof(target), &late);
	/* Cut, it would read as another number: left out when it has no room. */
	if (target[0] && rail_width(draw_width(target)) > width)
		target[0] = '\0';

	draw_fill(w, y, 0, width, theme_attr(ROLE_NORMAL));
	for (int p = 0; p < PHASE_COUNT && x < width; p++) {
		/* A phase left with steps reopened since is not done. */
		int redo = p < (int)cur &&
			   session_phase_reopened(a->session, (enum phase_id)p);
		int done = (done_all || p < (int)cur) && !redo;
		const char *glyph = done ? draw_glyph("\u2713", "+")
				  : redo ? draw_glyph("\u21ba", "~")
				  : p == (int)cur ? draw_glyph("\u25b6", ">")
						  : draw_glyph("\u00b7", ".");
		int role = done ? ROLE_PHASE_DONE : p == (int)cur || redo
			? ROLE_PHASE_CURRENT : ROLE_PHASE_AHEAD;
		char label[64];

		snprintf(label, sizeof(label), "%s %s", glyph,
			 playbook_phase_name((enum phase_id)p));
		x += draw_text(w, y, x, width - x, label, theme_attr(role));
		if (p == (int)cur && target[0])
			x += draw_text(w, y, x, width - x, target, theme_attr(
					       late ? ROLE_CLOCK_LATE : role));
		if (p + 1 < PHASE_COUNT)
			x += draw_text(w, y, x, width - x, "  ",
				       theme_attr(ROLE_DIM));
	}
	if (done_all && x + 12 < width)
		draw_text(w, y, x + 2, width - x - 2, "COMPLETE",
			  theme_attr(ROLE_OK));
}

/* Undelivered messages, kept in view at the right end of the status line
 * for as long as they are pending. Returns the columns it took. */
/* The pending mark in MARK; returns its width (0: none, or no room). */
static int
pending_mark(struct app *a, int width, char *mark, size_t size)
{
	size_t n = a->session ? session_outbox_pending(a->session) : 0;
	int mw;

	if (n == 0)
		return 0;
	snprintf(mark, size, " %zu pending ", n);
	mw = draw_width(mark);
	return mw + 12 > width ? 0 : mw;
}

static int
draw_pending(struct app *a, WINDOW *w, int y, int width)
{
	char mark[40];
	int mw = pending_mark(a, width, mark, sizeof(mark));

	if (!mw)
		return 0;
	draw_text(w, y, width - mw - 1, mw, mark, theme_attr(ROLE_ALERT));
	return mw + 1;
}

int
bars_status_room(struct app *a, int width)
{
	char mark[40];
	int mw = pending_mark(a, width, mark, sizeof(mark));

	return width - 2 - (mw ? mw + 1 : 0);
}

void
bars_draw_status(struct app *a, WINDOW *w, int y, int width)
{
	int used;

	draw_fill(w, y, 0, width, theme_attr(ROLE_STATUS));
	used = draw_pending(a, w, y, width);
	/* Cut at the edge, it ends in an ellipsis; app_status put the whole
	 * of it in the Output tab. */
	draw_title(w, y, 1, width - 2 - used, a->status,
		   theme_attr(a->status_is_error ? ROLE_ERROR : ROLE_STATUS));
}

/* Whether binding B of another context is hidden by context FIRST,
 * looked up before it, binding the same key. */
static int
shadowed(const struct binding *b, int first, const struct binding *all,
	 size_t n)
{
	if ((int)b->ctx == first)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((int)all[i].ctx == first && all[i].key == b->key)
			return 1;
	return 0;
}

int
bars_draw_hints(struct app *a, WINDOW *w, int y, int x, int width, int ctx,
		int first)
{
	size_t n;
	const struct binding *b = keymap_bindings(&n);

	for (size_t i = 0; i < n && x < width; i++) {
		if (!b[i].on_bar || (int)b[i].ctx != ctx ||
		    (b[i].on_bar == KEYBAR_HANDOFF && !app_handoff_due(a)) ||
		    (b[i].on_bar == KEYBAR_ASK && !dialog_is_yes_no(a)) ||
		    (b[i].on_bar == KEYBAR_TYPED && dialog_is_yes_no(a)) ||
		    (b[i].on_bar == KEYBAR_APPLIES &&
		     !app_act_applies(a, b[i].act)) ||
		    (a->watch && !keymap_in_watch(b[i].act)) ||
		    shadowed(&b[i], first, b, n))
			continue;
		x += draw_text(w, y, x + 1, width - x - 1, b[i].label,
			       theme_attr(ROLE_KEY)) + 1;
		x += draw_text(w, y, x + 1, width - x - 1,
			       uiact_label(b[i].act),
			       theme_attr(ROLE_KEYBAR)) + 1;
	}
	return x;
}

/* The focused context's hints, then the global ones it leaves (a dialog
 * takes its own keys only). */
void
bars_draw_keybar(struct app *a, WINDOW *w, int y, int width)
{
	int ctx = app_keymap_ctx(a);
	int x;

	draw_fill(w, y, 0, width, theme_attr(ROLE_KEYBAR));
	x = bars_draw_hints(a, w, y, 0, width, ctx, ctx);
	if (ctx != KM_GLOBAL && ctx != KM_DIALOG)
		bars_draw_hints(a, w, y, x, width, KM_GLOBAL, ctx);
}
