/* The replay console: the live console's body (rail, checklist, step,
 * output and journal panes, drawn by the same functions) over a session
 * rebuilt from the journal at the chosen event, a REPLAY header with the
 * session clock of that moment, and a timeline bar with markers. Keys come
 * from the KM_REPLAY context of the one keymap. Nothing is written to the
 * session directory: no lock, no journal line, no console.log. */
#include "config.h"
#include "replay_ui.h"

#include <curses.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "cli.h"
#include "clock.h"
#include "draw.h"
#include "err.h"
#include "evtext.h"
#include "journal.h"
#include "keymap.h"
#include "logbuf.h"
#include "loop.h"
#include "replay.h"
#include "sanitize.h"
#include "strbuf.h"
#include "term.h"
#include "testhook.h"
#include "theme.h"
#include "timefmt.h"
#include "xalloc.h"

#define TICK_US 25000		/* playing: one frame every 25 ms */
#define SELECT_LOOKBACK 500	/* events searched for the selected step */
#define BAR_MIN 20		/* timeline columns an alert leaves */
#define OUTPUT_STEP_US 100000	/* playing: a running step's output is
				 * rebuilt after this much replay time */

static const struct {
	int factor;		/* 0: as fast as the screen draws */
	const char *label;
} speeds[] = { { 1, "1x" }, { 2, "2x" }, { 10, "10x" }, { 0, "max" } };

#define N_SPEEDS ((int)(sizeof(speeds) / sizeof(speeds[0])))

enum prompt {
	PROMPT_NONE,
	PROMPT_FIND,
	PROMPT_TIME,
};

struct rp {
	struct app a;		/* what the panes draw from */
	struct replay *r;
	int playing;
	int speed;		/* index in speeds[] */
	int64_t now;		/* the replay clock: wall µs */
	int64_t play_wall;	/* `now` when playing last (re)started */
	int64_t play_mono;	/* real monotonic time then */
	uint64_t timer;
	uint64_t jpos;		/* the journal pane holds events up to this */
	enum prompt prompt;
	char buf[128];
	size_t len;
	char needle[128];
	int64_t out_now;	/* the replay clock the Output pane was
				 * built for */
	int64_t bar_cols;	/* width the marker cache was made for */
	char *bar;		/* per column: the strongest marker there */
};

/* --- rebuilding the panes at the position -------------------------------------- */

static void
journal_line(uint64_t n, const char *line, size_t len, void *arg)
{
	(void)n;
	(void)len;
	app_summarise_event(arg, line);
}

/* The journal pane: the last APP_LOG_LINES events up to the position,
 * added to what is there when only moving forward a little. */
static void
sync_journal(struct rp *p)
{
	uint64_t pos = replay_pos(p->r), from;
	struct err err = { 0 };

	if (pos < p->jpos || pos - p->jpos > APP_LOG_LINES) {
		logbuf_free(p->a.journal);
		p->a.journal = logbuf_new(APP_LOG_LINES);
		p->jpos = pos > APP_LOG_LINES ? pos - APP_LOG_LINES : 0;
	}
	from = p->jpos + 1;
	if (pos >= from &&
	    replay_each_line(p->r, from, pos, journal_line, &p->a, &err) < 0)
		app_status(&p->a, 1, "%s", err.msg);
	p->jpos = pos;
}

static void
output_item(uint64_t ev, int kind, const char *text, void *arg)
{
	(void)ev;
	if (kind == REPLAY_ITEM_RUN)
		runview_run_line(arg, text);
	else if (kind == REPLAY_ITEM_EVENT)
		free(app_event_output(text, app_output_to_logbuf, arg));
	else
		logbuf_add(arg, kind == REPLAY_ITEM_ALERT ? LOG_ALERT
							  : LOG_OUTPUT, text);
}

static void
sync_output(struct rp *p)
{
	struct err err = { 0 };

	logbuf_free(p->a.log);
	p->a.log = logbuf_new(APP_LOG_LINES);
	p->out_now = p->now;
	app_show_briefing(&p->a);	/* the live console's first lines */
	if (replay_output(p->r, p->now, APP_LOG_LINES, output_item, p->a.log,
			  &err) < 0)
		app_status(&p->a, 1, "%s", err.msg);
}

static int
visible_index(const struct app *a, const char *step)
{
	struct step_view v;

	for (int i = 0; step && i < a->n_visible; i++)
		if (app_step_at(a, i, &v) == 0 && strcmp(v.def->id, step) == 0)
			return i;
	return -1;
}

/* The live console selects the step the operator acts on, and a phase
 * change selects the first: so the selection is the step of the latest
 * event in the current phase that names a visible step. */
static void
sync_selection(struct rp *p)
{
	struct strbuf sb = STRBUF_INIT;
	uint64_t pos = replay_pos(p->r);

	p->a.sel = 0;
	p->a.steps_top = 0;
	for (uint64_t k = pos; k >= 1 && pos - k < SELECT_LOOKBACK; k--) {
		struct journal_event ev;
		int i = -1, stop;

		if (replay_line(p->r, k, &sb, NULL) < 0 ||
		    journal_event_parse(sb.buf, sb.len, &ev, NULL) < 0)
			continue;
		stop = strcmp(ev.type, "phase.advanced") == 0;
		if (!stop && strcmp(ev.type, "action.refused") != 0)
			i = visible_index(&p->a, ev.step);
		journal_event_done(&ev);
		if (i >= 0)
			p->a.sel = i;
		if (i >= 0 || stop)
			break;
	}
	strbuf_done(&sb);
}

static void
sync_panes(struct rp *p)
{
	p->a.last_phase = (int)session_phase(p->a.session);
	app_refresh_steps(&p->a);
	sync_selection(p);
	sync_journal(p);
	sync_output(p);
	app_dirty(&p->a);
}

/* Move to the state after N events, the clock to that event's time. The
 * first position is after the first event: before it there is no session
 * to show. */
static void
go_to(struct rp *p, uint64_t n)
{
	struct err err = { 0 };

	if (n < 1)
		n = 1;
	if (replay_seek(p->r, n, &err) < 0) {
		app_status(&p->a, 1, "%s", err.msg);
		return;
	}
	p->now = replay_wall(p->r, replay_pos(p->r));
	p->play_wall = p->now;
	p->play_mono = clock_mono_now(loop_clock(p->a.loop));
	sync_panes(p);
}

/* --- playing ----------------------------------------------------------------------------- */

static void on_tick(void *arg);

static void
schedule(struct rp *p)
{
	if (p->timer)
		loop_cancel_timer(p->a.loop, p->timer);
	p->timer = p->playing ? loop_add_timer(p->a.loop, TICK_US, on_tick, p)
			      : 0;
}

static void
set_playing(struct rp *p, int on)
{
	if (on && replay_pos(p->r) >= replay_count(p->r))
		go_to(p, 1);	/* play again from the start */
	p->playing = on;
	p->play_wall = p->now;
	p->play_mono = clock_mono_now(loop_clock(p->a.loop));
	schedule(p);
	app_dirty(&p->a);
}

/* One frame: the clock runs at the speed, and every event whose time has
 * come is applied; at full speed a frame moves a fixed share of the
 * journal instead. */
static void
on_tick(void *arg)
{
	struct rp *p = arg;
	uint64_t pos = replay_pos(p->r), n = replay_count(p->r), to;
	int64_t mono = clock_mono_now(loop_clock(p->a.loop));
	size_t escalated = replay_n_escalated(p->r, p->now);

	p->timer = 0;
	if (speeds[p->speed].factor == 0) {
		uint64_t step = n / 400 ? n / 400 : 1;

		to = pos + step < n ? pos + step : n;
		go_to(p, to);
	} else {
		p->now = p->play_wall + (mono - p->play_mono) *
				       speeds[p->speed].factor;
		to = replay_find_time(p->r, p->now);
		if (to > pos && replay_seek(p->r, to, NULL) == 0)
			sync_panes(p);
		else if ((replay_is_running(p->r) &&
			  p->now - p->out_now >= OUTPUT_STEP_US) ||
			 replay_n_escalated(p->r, p->now) != escalated)
			sync_output(p);
	}
	if (replay_pos(p->r) >= n) {
		p->playing = 0;
		app_status(&p->a, 0, "end of the journal (%s: start, %s: "
			   "play again)", keymap_key_label(KM_REPLAY,
							   UI_RP_START),
			   keymap_key_label(KM_REPLAY, UI_RP_PLAY));
	}
	schedule(p);
	app_dirty(&p->a);
}

static void
change_speed(struct rp *p, int dir)
{
	int s = p->speed + dir;

	if (s < 0 || s >= N_SPEEDS)
		return;
	p->speed = s;
	p->play_wall = p->now;
	p->play_mono = clock_mono_now(loop_clock(p->a.loop));
	app_status(&p->a, 0, "speed %s", speeds[s].label);
}

/* --- seeking ------------------------------------------------------------------------------ */

static void
say_event(struct rp *p, const char *what)
{
	struct strbuf sb = STRBUF_INIT;
	char *words = NULL;

	if (replay_pos(p->r) &&
	    replay_line(p->r, replay_pos(p->r), &sb, NULL) == 0)
		words = evtext_line(sb.buf);
	app_status(&p->a, 0, "%s%sevent %llu: %s", what, *what ? ": " : "",
		   (unsigned long long)replay_pos(p->r), words ? words : "");
	free(words);
	strbuf_done(&sb);
}

static void
jump_mark(struct rp *p, int dir)
{
	uint64_t k = replay_find_mark(p->r, replay_pos(p->r), dir,
				      REPLAY_MARKS_JUMP | REPLAY_MARK_BAD);

	if (!k) {
		app_status(&p->a, 1, "no %s phase change, decision, approval "
			   "or failure", dir > 0 ? "later" : "earlier");
		return;
	}
	go_to(p, k);
	say_event(p, "");
}

/* Seek to the next (DIR > 0) or previous match of the last search; the
 * status line says when it wrapped, and when nothing matches. */
static void
find_next(struct rp *p, int dir)
{
	struct err err = { 0 };
	uint64_t pos = replay_pos(p->r);
	int64_t k;

	if (!p->needle[0]) {
		app_status(&p->a, 1, "no search yet: press %s first",
			   keymap_key_label(KM_REPLAY, UI_RP_FIND));
		return;
	}
	k = replay_find_text_dir(p->r, pos, dir, p->needle, &err);
	if (k < 0)
		app_status(&p->a, 1, "%s", err.msg);
	else if (k == 0)
		app_status(&p->a, 1, "no event matches \"%s\"", p->needle);
	else {
		go_to(p, (uint64_t)k);
		say_event(p, dir > 0 && (uint64_t)k <= pos
			  ? "wrapped to the start"
			  : dir < 0 && (uint64_t)k >= pos
			  ? "wrapped to the end" : "match");
	}
}

#define DAY_US (86400 * (int64_t)1000000)

/* What a typed time meant, for the status line. */
enum when_kind {
	WHEN_WALL,	/* 19:42 or 19:42:10: a time of day, in the zone the
			 * console shows times in (timefmt.h) */
	WHEN_SESSION,	/* +12:30 or +1:02:03: as the header clock shows */
	WHEN_MOVE,	/* +5m, -30s: from the replay clock */
	WHEN_DATE,	/* an RFC 3339 date-time */
};

/* The time of day H:M:S on the session's day (the next day when that
 * is more than 12 hours before the start: a session past midnight). */
static int
wall_of_day(int64_t start, unsigned h, unsigned m, unsigned s, int64_t *wall)
{
	int64_t off = timefmt_offset_us(start), day = start + off;

	if (h > 23 || m > 59 || s > 59)
		return -1;
	*wall = day - day % DAY_US +
		((int64_t)h * 3600 + m * 60 + s) * 1000000;
	if (*wall + DAY_US / 2 < day)
		*wall += DAY_US;
	*wall -= off;
	return 0;
}

/* H:M[:S] in TEXT: 0 with the seconds in *SECS, or -1. */
static int
parse_clock(const char *text, int *three, unsigned *h, unsigned *m,
	    unsigned *s)
{
	char extra;

	*h = *m = *s = 0;
	*three = sscanf(text, "%u:%u:%u%c", h, m, s, &extra) == 3;
	if (*three || sscanf(text, "%u:%u%c", h, m, &extra) == 2)
		return 0;
	return -1;
}

static int
parse_when(struct rp *p, const char *text, int64_t *wall,
	   enum when_kind *kind)
{
	int64_t start = session_start_wall(p->a.session), d;
	unsigned h, m, s;
	int three;

	if (text[0] == '+' && parse_clock(text + 1, &three, &h, &m, &s) == 0) {
		*kind = WHEN_SESSION;	/* +MM:SS, +H:MM:SS */
		*wall = start + ((three ? (int64_t)h * 3600 + m * 60 + s
				  : (int64_t)h * 60 + m)) * 1000000;
		return m > 59 || s > 59 ? -1 : 0;
	}
	if ((text[0] == '+' || text[0] == '-') &&
	    clock_parse_duration(text + 1, &d) == 0) {
		*kind = WHEN_MOVE;
		*wall = p->now + (text[0] == '+' ? d : -d);
		return 0;
	}
	if (parse_clock(text, &three, &h, &m, &s) == 0) {
		*kind = WHEN_WALL;
		return wall_of_day(start, h, m, s, wall);
	}
	*kind = WHEN_DATE;
	return clock_parse_rfc3339(text, wall);
}

/* "19:42:10" of WALL, as the console shows times. */
static void
clock_of(int64_t wall, char *buf, size_t size)
{
	timefmt_us(wall, TF_HMS, buf, size);
}

/* "+08:53" (or "+1:02:03"): WALL as session time. */
static void
session_time_of(const struct rp *p, int64_t wall, char *buf, size_t size)
{
	int64_t secs = (wall - session_start_wall(p->a.session)) / 1000000;

	if (secs < 0)
		secs = 0;
	if (secs >= 3600)
		snprintf(buf, size, "+%lld:%02lld:%02lld",
			 (long long)(secs / 3600), (long long)(secs / 60 % 60),
			 (long long)(secs % 60));
	else
		snprintf(buf, size, "+%02lld:%02lld", (long long)(secs / 60),
			 (long long)(secs % 60));
}

/* What the seek took the text for, and where that falls: "wall time
 * 19:42:10 (+12:10)", "... (+1:02:00), after the end (19:40:02)". */
static void
describe_when(const struct rp *p, enum when_kind kind, int64_t wall,
	      char *buf, size_t size)
{
	static const char *const kinds[] = {
		[WHEN_WALL] = "wall time", [WHEN_SESSION] = "session time",
		[WHEN_MOVE] = "from the replay clock", [WHEN_DATE] = "date-time",
	};
	int64_t start = session_start_wall(p->a.session);
	int64_t end = replay_wall(p->r, replay_count(p->r));
	char at[16], ses[24], edge[16];
	int n;

	clock_of(wall, at, sizeof(at));
	session_time_of(p, wall, ses, sizeof(ses));
	n = snprintf(buf, size, "%s %s (%s)", kinds[kind], at, ses);
	if (n < 0 || (size_t)n >= size)
		return;
	clock_of(wall > end ? end : start, edge, sizeof(edge));
	if (wall > end || wall < start)
		snprintf(buf + n, size - (size_t)n, ", %s the %s (%s)",
			 wall > end ? "after" : "before",
			 wall > end ? "end" : "start", edge);
}

static void
seek_time(struct rp *p, const char *text)
{
	enum when_kind kind;
	char what[200];
	int64_t wall;

	if (parse_when(p, text, &wall, &kind) < 0) {
		app_status(&p->a, 1, "\"%s\": give 19:42 (wall time), +12:30 "
			   "(session time), +5m, -30s or a date-time", text);
		return;
	}
	go_to(p, replay_find_time(p->r, wall));
	/* The clock shows the time asked for, between two events. */
	if (wall > p->now && replay_pos(p->r) < replay_count(p->r))
		p->now = wall;
	p->play_wall = p->now;
	sync_output(p);
	describe_when(p, kind, wall, what, sizeof(what));
	say_event(p, what);
}

/* --- drawing --------------------------------------------------------------------------------- */

static void
draw_header(struct rp *p, int width)
{
	const struct replay_integrity *in = replay_integrity(p->r);
	int live = session_mode(p->a.session) == SESSION_LIVE;
	char broken[64];
	int x;

	draw_fill(stdscr, 0, 0, width, theme_attr(ROLE_HEADER));
	x = draw_text(stdscr, 0, 0, width, " REPLAY ",
		      theme_attr(ROLE_MODE_REPLAY));
	x += draw_text(stdscr, 0, x, width - x, live ? " LIVE " : " DRILL ",
		       theme_attr(live ? ROLE_MODE_LIVE : ROLE_MODE_DRILL));
	if (in->bad_line) {
		snprintf(broken, sizeof(broken), " CHAIN BROKEN line %llu ",
			 (unsigned long long)in->bad_line);
		x += draw_text(stdscr, 0, x, width - x, broken,
			       theme_attr(ROLE_ERROR) | A_REVERSE);
	}
	if (in->playbook_changed)
		x += draw_text(stdscr, 0, x, width - x, " PLAYBOOK CHANGED ",
			       theme_attr(ROLE_ERROR) | A_REVERSE);
	bars_draw_header_rest(&p->a, stdscr, x, width, p->now);
}

/* The strongest marker among events [FIRST, LAST]. */
static char
column_mark(const struct replay *r, uint64_t first, uint64_t last)
{
	unsigned m = 0;

	for (uint64_t k = first; k <= last; k++)
		m |= replay_marks(r, k);
	return m & REPLAY_MARK_BAD ? 'X' : m & REPLAY_MARK_FAILURE ? '!'
	       : m & REPLAY_MARK_APPROVAL ? 'a' : m & REPLAY_MARK_DECISION
	       ? 'd' : m & REPLAY_MARK_PHASE ? '|' : 0;
}

static void
build_bar(struct rp *p, int cols)
{
	uint64_t n = replay_count(p->r);

	free(p->bar);
	p->bar = xcalloc((size_t)cols + 1, 1);
	p->bar_cols = cols;
	for (int c = 0; c < cols && n; c++) {
		uint64_t first = (uint64_t)c * n / (uint64_t)cols + 1;
		uint64_t last = (uint64_t)(c + 1) * n / (uint64_t)cols;

		p->bar[c] = column_mark(p->r, first, last < first ? first
								   : last);
	}
}

static int
mark_role(char m)
{
	return m == 'X' ? ROLE_ERROR : m == '!' ? ROLE_STEP_FAILED
	       : m == 'a' ? ROLE_OK : m == 'd' ? ROLE_WARNING
	       : ROLE_PHASE_CURRENT;
}

/* The live console's status alert for the latest escalation raised by
 * the replay clock, in BUF; 0 when none is. */
static int
escalation_text(struct rp *p, char *buf, size_t size)
{
	size_t n = replay_n_escalated(p->r, p->now);
	const struct pb_escalation *e;

	if (n == 0)
		return 0;
	e = &p->a.pb->rto.escalations[n - 1];
	bars_escalation_text(e, buf, size > 1 ? size - 1 : size);
	strcat(buf, " ");
	return 1;
}

/* The timeline: state and speed, the escalation alert where the live
 * console's status line showed it, the position, a bar over all events
 * with markers (| phase, d decision, a approval, ! failure, X broken
 * chain) and the cursor, and how far along the session clock is. */
static void
draw_timeline(struct rp *p, int y, int width)
{
	uint64_t n = replay_count(p->r), pos = replay_pos(p->r);
	const struct replay_integrity *in = replay_integrity(p->r);
	char left[64], right[96], alert[256];
	int x, cols, cur;

	draw_fill(stdscr, y, 0, width, theme_attr(ROLE_STATUS));
	snprintf(left, sizeof(left), " %s %-3s ", p->playing
		 ? draw_glyph("\u25b6", ">") : draw_glyph("\u2016", "="),
		 speeds[p->speed].label);
	snprintf(right, sizeof(right), " %llu/%llu%s ", (unsigned long long)pos,
		 (unsigned long long)n,
		 in->unverified_from && pos >= in->unverified_from
		 ? " UNVERIFIED" : "");
	x = draw_text(stdscr, y, 0, width, left, theme_attr(ROLE_STATUS));
	cols = width - x - draw_width(right) - 1;
	/* The alert comes first; the bar keeps BAR_MIN columns. */
	if (escalation_text(p, alert, sizeof(alert)) && cols > BAR_MIN) {
		int used = draw_text(stdscr, y, x, cols - BAR_MIN, alert,
				     theme_attr(ROLE_ERROR));

		x += used;
		cols -= used;
	}
	if (cols < 4)
		return;
	if (cols != p->bar_cols)
		build_bar(p, cols);
	cur = n ? (int)((pos ? pos - 1 : 0) * (uint64_t)cols / n) : 0;
	for (int c = 0; c < cols; c++) {
		char m = p->bar[c];
		char mark[2] = { m, '\0' };
		const char *g = m ? mark : draw_glyph("\u2500", "-");

		if (c == cur)
			draw_text(stdscr, y, x + c, 1, draw_glyph("\u25cf", "o"),
				  theme_attr(ROLE_CURSOR));
		else
			draw_text(stdscr, y, x + c, 1, g,
				  theme_attr(m ? mark_role(m) : ROLE_DIM));
	}
	draw_text(stdscr, y, x + cols + 1, width - x - cols - 1, right,
		  theme_attr(in->unverified_from && pos >= in->unverified_from
			     ? ROLE_ERROR : ROLE_STATUS));
}

/* The key bar: the prompt being typed, the status message, or the
 * replay's key hints. */
static void
draw_keybar(struct rp *p, int y, int width)
{
	draw_fill(stdscr, y, 0, width, theme_attr(ROLE_KEYBAR));
	if (p->prompt != PROMPT_NONE) {
		char line[256];

		snprintf(line, sizeof(line), " %s %s_", p->prompt == PROMPT_FIND
			 ? "find:" : "time (12:30, +5m, -30s):", p->buf);
		draw_text(stdscr, y, 0, width, line, theme_attr(ROLE_INPUT));
		return;
	}
	if (p->a.status[0]) {
		draw_text(stdscr, y, 1, width - 1, p->a.status,
			  theme_attr(p->a.status_is_error ? ROLE_ERROR
							  : ROLE_KEYBAR));
		return;
	}
	bars_draw_hints(&p->a, stdscr, y, 0, width, KM_REPLAY, KM_REPLAY);
}

static void
redraw(struct rp *p)
{
	int h = LINES, w = COLS;

	if (w < APP_MIN_COLS || h < APP_MIN_ROWS) {
		app_draw_too_small(stdscr, h, w);
	} else {
		werase(stdscr);
		p->a.replay_now = p->now;
		app_draw_body(&p->a, stdscr, h, w);
		draw_header(p, w);
		draw_timeline(p, h - 2, w);
		draw_keybar(p, h - 1, w);
		if (p->a.help)
			help_draw(&p->a, stdscr, h, w, KM_REPLAY);
	}
	wnoutrefresh(stdscr);
	doupdate();
}

/* --- keys ------------------------------------------------------------------------------------------ */

static void
prompt_open(struct rp *p, enum prompt which)
{
	p->prompt = which;
	p->buf[0] = '\0';
	p->len = 0;
	app_dirty(&p->a);
}

static void
prompt_submit(struct rp *p)
{
	enum prompt which = p->prompt;

	p->prompt = PROMPT_NONE;
	if (!p->len)
		return;
	if (which == PROMPT_FIND) {
		snprintf(p->needle, sizeof(p->needle), "%s", p->buf);
		find_next(p, 1);
	} else {
		seek_time(p, p->buf);
	}
}

static void
prompt_key(struct rp *p, int key)
{
	enum uiact act = keymap_lookup(KM_DIALOG, key, 0);

	if (act == UI_SUBMIT)
		prompt_submit(p);
	else if (act == UI_DISMISS)
		p->prompt = PROMPT_NONE;
	else if ((key == KEY_BACKSPACE || key == 127 || key == 8) && p->len)
		p->buf[--p->len] = '\0';
	else if (key >= 0x20 && key < 0x7f && p->len + 1 < sizeof(p->buf)) {
		p->buf[p->len++] = (char)key;
		p->buf[p->len] = '\0';
	}
	app_dirty(&p->a);
}

static void
step_event(struct rp *p, int dir)
{
	uint64_t pos = replay_pos(p->r);

	if (dir < 0 && pos <= 1) {
		app_status(&p->a, 1, "this is the first event");
		return;
	}
	p->playing = 0;
	schedule(p);
	go_to(p, dir > 0 ? pos + 1 : pos - 1);
	say_event(p, "");
}

/* The replay has no focus to move: the scroll keys act on the side tab
 * shown (Output, Journal, Tags...), or on the checklist beside the Step
 * tab. */
static void
show_tab(struct rp *p, int dir)
{
	app_tab(&p->a, dir);
	p->a.focus = p->a.side == PANE_DETAIL ? PANE_STEPS : p->a.side;
}

static void
do_act(struct rp *p, enum uiact act)
{
	switch (act) {
	case UI_RP_PLAY: set_playing(p, !p->playing); break;
	case UI_RP_FASTER: change_speed(p, 1); break;
	case UI_RP_SLOWER: change_speed(p, -1); break;
	case UI_RP_NEXT_EVENT: step_event(p, 1); break;
	case UI_RP_PREV_EVENT: step_event(p, -1); break;
	case UI_RP_NEXT_MARK: jump_mark(p, 1); break;
	case UI_RP_PREV_MARK: jump_mark(p, -1); break;
	case UI_RP_FIND: prompt_open(p, PROMPT_FIND); break;
	case UI_RP_FIND_NEXT: find_next(p, 1); break;
	case UI_RP_FIND_PREV: find_next(p, -1); break;
	case UI_RP_SEEK_TIME: prompt_open(p, PROMPT_TIME); break;
	case UI_RP_START: go_to(p, 1); say_event(p, "start"); break;
	case UI_RP_END:
		go_to(p, replay_count(p->r));
		app_status(&p->a, 0, "end");
		break;
	case UI_TAB_NEXT: show_tab(p, 1); break;
	case UI_TAB_PREV: show_tab(p, -1); break;
	case UI_SCROLL_LEFT: case UI_SCROLL_RIGHT:
		app_scroll_sideways(&p->a, act);
		break;
	case UI_MOVE_DOWN: app_scroll(&p->a, 1); break;
	case UI_MOVE_UP: app_scroll(&p->a, -1); break;
	case UI_PAGE_DOWN: app_scroll(&p->a, (LINES - 4) / 2); break;
	case UI_PAGE_UP: app_scroll(&p->a, -(LINES - 4) / 2); break;
	case UI_HELP:
		p->a.help = !p->a.help;
		p->a.help_top = 0;
		break;
	case UI_REDRAW: clearok(curscr, TRUE); break;
	case UI_RP_QUIT: p->a.quit = 1; break;
	default: break;
	}
	app_dirty(&p->a);
}

static void
on_key(struct rp *p, int key)
{
	enum uiact act;

	if (key == KEY_RESIZE || key == KEY_MOUSE) {
		app_dirty(&p->a);
		return;
	}
	if (p->prompt != PROMPT_NONE) {
		prompt_key(p, key);
		return;
	}
	p->a.status[0] = '\0';
	act = keymap_lookup(KM_REPLAY, key, 1);
	/* j and k scroll the overlay (app_scroll); any other key closes it. */
	if (p->a.help && act != UI_HELP && act != UI_RP_QUIT &&
	    act != UI_MOVE_DOWN && act != UI_MOVE_UP) {
		p->a.help = 0;
		app_dirty(&p->a);
		return;
	}
	do_act(p, act);
}

static void
on_stdin(int fd, int events, void *arg)
{
	int key;

	(void)fd;
	(void)events;
	while ((key = getch()) != ERR)
		on_key(arg, key);
}

static void
on_winch(int signo, void *arg)
{
	struct rp *p = arg;

	(void)signo;
	term_resize();
	app_dirty(&p->a);
}

/* --- the terminal ------------------------------------------------------------------------------- */

static void
theme_setup(struct rp *p, const char *theme)
{
	char msg[256];

	term_theme(theme, msg, sizeof(msg));
	if (msg[0])
		app_status(&p->a, 1, "%s", msg);
	term_time_zone(msg, sizeof(msg));
	if (msg[0])
		app_status(&p->a, 1, "%s", msg);
}

/* The chain check's verdict, on screen from the start. */
static void
greet(struct rp *p)
{
	const struct replay_integrity *in = replay_integrity(p->r);

	if (in->playbook_changed)
		app_status(&p->a, 1, "%s: the steps and commands shown may "
			   "not be those the session ran",
			   in->playbook_reason);
	else if (in->bad_line)
		app_status(&p->a, 1, "journal line %llu: %s; events from "
			   "line %llu on are unverified",
			   (unsigned long long)in->bad_line, in->reason,
			   (unsigned long long)in->unverified_from);
	else
		app_status(&p->a, 0, "REPLAY of %llu events, hash chain "
			   "verified: Space plays, ? for help",
			   (unsigned long long)replay_count(p->r));
}

static void
run_loop(struct rp *p)
{
	while (!p->a.quit) {
		if (p->a.dirty) {
			p->a.dirty = 0;
			redraw(p);
		}
		testhook_idle();
		if (loop_run_once(p->a.loop, -1) < 0)
			break;
	}
}

static void
rp_done(struct rp *p)
{
	if (p->timer)
		loop_cancel_timer(p->a.loop, p->timer);
	replay_free(p->r);
	logbuf_free(p->a.log);
	logbuf_free(p->a.journal);
	free(p->a.visible);
	loop_free(p->a.loop);
	free(p->bar);
}

static int
rp_init(struct rp *p, const char *dir)
{
	struct err err = { 0 };

	memset(p, 0, sizeof(*p));
	p->r = replay_open(dir, &err);
	if (!p->r) {
		cli_print_error("rewind", err.msg);
		return -1;
	}
	p->a.loop = loop_new(NULL);
	p->a.session = replay_session(p->r);
	p->a.replay = p->r;
	p->a.log = logbuf_new(APP_LOG_LINES);
	p->a.journal = logbuf_new(APP_LOG_LINES);
	app_init_view(&p->a);
	p->now = replay_wall(p->r, replay_pos(p->r));
	sync_panes(p);
	return 0;
}

/* --- rewind watch: the answers the watched session journals -------------------- */

void
replay_watch_open(struct app *a)
{
	struct err err = { 0 };

	a->replay_now = clock_wall_now(loop_clock(a->loop));
	a->replay = replay_open(session_dir(a->session), &err);
	if (!a->replay)
		app_status(a, 1, "tags and registry tabs: %s", err.msg);
}

void
replay_watch_poll(struct app *a)
{
	struct err err = { 0 };
	int64_t n;

	if (!a->replay)
		return;
	/* Registry ages count from now: the watch follows the present. */
	a->replay_now = clock_wall_now(loop_clock(a->loop));
	n = replay_follow(a->replay, &err);
	if (n < 0)
		app_status(a, 1, "tags and registry tabs: %s", err.msg);
	else if (n > 0)
		app_dirty(a);
}

void
replay_watch_close(struct app *a)
{
	replay_free(a->replay);
	a->replay = NULL;
}

int
replay_console(const char *dir, const char *theme)
{
	struct rp p;

	if (rp_init(&p, dir) < 0)
		return EXIT_USAGE;
	loop_add_signal(p.a.loop, SIGWINCH, on_winch, &p, NULL);
	if (term_start(0) < 0) {
		fprintf(stderr, "rewind: the terminal (TERM=%s) cannot run the "
			"console; use rewind replay --print\n",
			getenv("TERM") ? getenv("TERM") : "unset");
		rp_done(&p);
		return EXIT_USAGE;
	}
	theme_setup(&p, theme);
	if (!p.a.status[0])
		greet(&p);
	loop_add_fd(p.a.loop, STDIN_FILENO, LOOP_READ, on_stdin, &p);
	app_dirty(&p.a);
	run_loop(&p);
	loop_del_fd(p.a.loop, STDIN_FILENO);
	pane_detail_done(&p.a);
	term_stop();
	theme_end();
	rp_done(&p);
	return EXIT_OK;
}
