/* The output and journal panes (bounded rings, followed or scrolled, with
 * search) and the targets pane (what the playbook and scenario say about
 * the repository, registries, logs and endpoints). */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "app.h"
#include "draw.h"
#include "drill.h"
#include "logbuf.h"
#include "sgr.h"
#include "sgrdraw.h"
#include "theme.h"
#include "world.h"
#include "xalloc.h"

static int
kind_role(enum log_kind k)
{
	return k == LOG_ALERT ? ROLE_ALERT : k == LOG_EVENT ? ROLE_JOURNAL_TIME
		: k == LOG_RUN ? ROLE_TITLE : ROLE_LOG;
}

/* One row of the output or journal pane. A command's line keeps its own
 * SGR styling, except on a search hit, which shows in one style. */
static void
draw_line(WINDOW *w, int y, struct rect r, const char *text,
	  enum log_kind k, int journal, int hit)
{
	if (journal || k != LOG_OUTPUT)
		draw_text(w, y, r.x + 1, r.w - 1, text,
			  theme_attr(hit ? ROLE_SEARCH_MATCH : kind_role(k)));
	else if (hit)
		sgrdraw_plain(w, y, r.x + 1, r.w - 1, text,
			      theme_attr(ROLE_SEARCH_MATCH));
	else
		sgrdraw_line(w, y, r.x + 1, r.w - 1, text, kind_role(k));
}

/* At the bottom right: that the pane is scrolled back (not following),
 * and from which column its lines are shown when not the first. */
static void
draw_marks(struct app *a, WINDOW *w, struct rect r, int scrolled, int left)
{
	char mark[64];
	int n;

	(void)a;
	if (!scrolled && !left)
		return;
	n = snprintf(mark, sizeof(mark), "%s%s", scrolled ? " [scroll]" : "",
		     left ? "" : " ");
	if (left)
		n += snprintf(mark + n, sizeof(mark) - (size_t)n,
			      " [from column %d] ", left + 1);
	if (r.w > n + 2)
		draw_text(w, r.y + r.h - 1, r.x + r.w - n, n, mark,
			  theme_attr(ROLE_DIM));
}

long
pane_log_find(struct logbuf *lb, long from, int dir,
	      const char *needle)
{
	long n = (long)logbuf_count(lb);

	if (n == 0 || !needle || !*needle)
		return -1;
	for (long k = 1; k <= n; k++) {
		long i = ((from + dir * k) % n + n) % n;
		enum log_kind kind;
		const char *text = logbuf_line(lb, (size_t)i, &kind);

		if (kind == LOG_OUTPUT ? sgr_contains(text, needle)
				       : strstr(text, needle) != NULL)
			return i;
	}
	return -1;
}

void
pane_log_draw(struct app *a, WINDOW *w, struct rect r, int journal)
{
	struct logbuf *lb = journal ? a->journal : a->log;
	long top = journal ? a->journal_top : a->log_top;
	long n = (long)logbuf_count(lb);
	long first = top < 0 ? (n > r.h ? n - r.h : 0) : top;

	if (n == 0) {
		draw_text(w, r.y, r.x + 1, r.w - 1, journal
			  ? "No events yet." : "No output yet: run a step.",
			  theme_attr(ROLE_DIM));
		return;
	}
	for (int i = 0; i < r.h && first + i < n; i++) {
		enum log_kind k;
		const char *text = logbuf_line(lb, (size_t)(first + i), &k);
		int hit = !journal && a->search[0] &&
			  first + i == a->search_hit;
		char *shown = runview_shift(text, journal ? 0 : a->log_left);

		draw_line(w, r.y + i, r, shown, k, journal, hit);
		free(shown);
	}
	draw_marks(a, w, r, top >= 0, journal ? 0 : a->log_left);
}

/* Where the Targets tab draws: rows before TOP (scrolled past) are
 * counted, not drawn; ROWS counts them all, to keep TOP in range. */
struct tgt {
	WINDOW *w;
	struct rect r;
	int y;
	long top;
	long rows;
};

static void
targets_line(struct tgt *t, int role, const char *text)
{
	const char *p = text;
	int width = t->r.w - 2;

	while (width > 0 && *p && t->rows < t->top) {
		p += draw_wrap_point(p, width);
		if (*p == '\n')
			p++;
		t->rows++;
	}
	while (width > 0 && *p) {	/* the rest: count, draw what fits */
		size_t n = draw_wrap_point(p, width);

		if (t->y < t->r.y + t->r.h)
			t->y += draw_wrapped(t->w, t->y, t->r.x + 1, width, 1,
					     p, theme_attr(role));
		t->rows++;
		p += n;
		if (*p == '\n')
			p++;
	}
}

/* The drill's world as it is now (the scenario's state with the
 * injections fired so far), in words, one line each: to the game master
 * and after the drill, never to the trainee while it is open (it holds
 * what the probes are there to find). */
static void
scenario_state(struct app *a, struct tgt *t)
{
	const cJSON *state = session_drill_state(a->session);
	char *text, *line, *save = NULL;

	if (!session_scenario(a->session) || !state)
		return;
	if (!app_world_shown(a)) {
		targets_line(t, ROLE_DIM, "The scenario's state is the game "
			     "master's until the drill ends: find it with the "
			     "probes.");
		return;
	}
	targets_line(t, ROLE_TITLE, "Scenario state now:");
	text = world_describe(state);
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *indented = xasprintf("  %s", line);

		targets_line(t, ROLE_NORMAL, indented);
		free(indented);
	}
	free(text);
}

/* The label of option OPTION of decide step STEP, or OPTION. */
static const char *
option_label(const struct playbook *pb, const char *step, const char *option)
{
	const struct pb_step *st = playbook_find_step(pb, step, NULL, NULL);

	for (size_t i = 0; st && i < st->n_options; i++)
		if (strcmp(st->options[i].id, option) == 0 &&
		    st->options[i].label)
			return st->options[i].label;
	return option;
}

/* When injection IN fires on its own: "after STEP", or "at +MmSSs". */
static void
inject_moment(const struct pb_inject *in, char *buf, size_t size)
{
	long long s = (long long)(in->at_us / 1000000);

	if (in->after)
		snprintf(buf, size, "after %s", in->after);
	else
		snprintf(buf, size, "at +%lldm%02llds of the drill", s / 60,
			 s % 60);
}

/* The scenario's injections not fired yet, each with when it fires on
 * its own and its alert. */
static void
pending_injections(struct app *a, const struct pb_scenario *sc,
		   struct tgt *t)
{
	char when[160], *line;
	size_t pending = 0;

	targets_line(t, ROLE_TITLE, "Injections still to fire:");
	for (size_t i = 0; i < sc->n_injects; i++) {
		const struct pb_inject *in = &sc->injects[i];

		if (drill_inject_fired(a->session, i))
			continue;
		pending++;
		inject_moment(in, when, sizeof(when));
		line = xasprintf("  %s: %s%s%s", in->id, when,
				 in->alert ? "; alert: " : "",
				 in->alert ? in->alert : "");
		targets_line(t, ROLE_NORMAL, line);
		free(line);
	}
	if (!pending)
		targets_line(t, ROLE_DIM, sc->n_injects
			     ? "  none: every injection has fired"
			     : "  none: the scenario has no injections");
	else
		targets_line(t, ROLE_DIM, "  (fire one now: rewind drill "
			     "--inject SESSION ID)");
}

/* The game master's side of a watched drill: the scenario, the decision
 * it expects and why, and the injections still to fire. A trainee's
 * console never shows it. */
static void
game_master(struct app *a, struct tgt *t)
{
	const char *id = session_scenario(a->session);
	const struct pb_scenario *sc = id
		? playbook_find_scenario(a->pb, id) : NULL;
	char *line;

	if (!a->watch || !sc)
		return;
	line = xasprintf("Game master: scenario %s (%s)", sc->id, sc->title);
	targets_line(t, ROLE_TITLE, line);
	free(line);
	if (sc->expect_step)
		line = xasprintf("  Expected decision: %s = %s (%s)",
				 sc->expect_step, sc->expect_option,
				 option_label(a->pb, sc->expect_step,
					      sc->expect_option));
	else
		line = xstrdup("  Expected decision: none (the scenario "
			       "expects none)");
	targets_line(t, ROLE_NORMAL, line);
	free(line);
	if (sc->expect_rationale) {
		line = xasprintf("  Why: %s", sc->expect_rationale);
		targets_line(t, ROLE_NORMAL, line);
		free(line);
	}
	pending_injections(a, sc, t);
}

void
pane_targets_draw(struct app *a, WINDOW *w, struct rect r)
{
	const struct pb_targets *t = &a->pb->targets;
	char line[1024];
	struct tgt tg = { w, r, r.y, a->targets_top, 0 };

	game_master(a, &tg);
	snprintf(line, sizeof(line), "Repository: %s",
		 t->git_path ? t->git_path : "(none; commands run here)");
	targets_line(&tg, ROLE_NORMAL, line);
	for (size_t i = 0; i < t->n_registries; i++) {
		snprintf(line, sizeof(line), "Registry: %s %s%s%s",
			 reg_type_name(t->registries[i].type),
			 t->registries[i].name,
			 t->registries[i].url ? " at " : "",
			 t->registries[i].url ? t->registries[i].url : "");
		targets_line(&tg, ROLE_NORMAL, line);
	}
	for (size_t i = 0; i < t->n_logs; i++) {
		snprintf(line, sizeof(line), "Log %s: %s", t->logs[i].name,
			 t->logs[i].path);
		targets_line(&tg, ROLE_NORMAL, line);
	}
	for (size_t i = 0; i < t->n_http; i++) {
		snprintf(line, sizeof(line), "Endpoint %s: %s (expects %d)",
			 t->http[i].name, t->http[i].url, t->http[i].status);
		targets_line(&tg, ROLE_NORMAL, line);
	}
	targets_line(&tg, ROLE_DIM, session_mode(a->session) ==
		     SESSION_DRILL ? "A drill reads none of them: the Tags and "
		     "Registry tabs show what the scenario gives, and no log "
		     "is followed." : "What they answer: the Tags and "
		     "Registry tabs; followed logs in Output.");
	scenario_state(a, &tg);
	/* Scrolled past the end (the world shrank, or G): show the last
	 * page on the next frame. */
	if (a->targets_top > 0 && a->targets_top > tg.rows - r.h) {
		a->targets_top = tg.rows > r.h ? tg.rows - r.h : 0;
		app_dirty(a);
	}
}
