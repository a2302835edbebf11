/* How runs show in the console: the Output tab says which command printed
 * what (a line when a run starts and one when it ends, the earlier runs'
 * output read back from their cast files on resume), shows long lines
 * from a column on with tabs expanded, and a running step shows a spinner
 * and its elapsed time, redrawn by a timer that runs only while a step
 * runs. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <cjson/cJSON.h>

#include "app.h"
#include "cast.h"
#include "clock.h"
#include "draw.h"
#include "logbuf.h"
#include "loop.h"
#include "sgr.h"
#include "strbuf.h"
#include "timefmt.h"
#include "xalloc.h"

#define TICK_US 500000		/* spinner frame while a step runs */
#define CAST_READ_MAX (16u << 20)	/* largest cast file read back */
#define TAB_STOP 8

/* --- the Output tab's lines ---------------------------------------------- */

/* Bytes of the character at P (an undecodable byte counts as one). */
static size_t
char_len(const char *p)
{
	mbstate_t st;
	size_t n;

	memset(&st, 0, sizeof(st));
	n = mbrlen(p, strlen(p), &st);
	return n == (size_t)-1 || n == (size_t)-2 || n == 0 ? 1 : n;
}

/* Columns the N bytes at P take on screen (as draw.c shows them). */
static int
char_cols(const char *p, size_t n)
{
	char buf[16];

	if (n >= sizeof(buf))
		return 1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return draw_width(buf);
}

char *
runview_shift(const char *text, int left)
{
	struct strbuf out = STRBUF_INIT;
	struct sgr_style style;
	int col = 0;

	if (left <= 0 && !strchr(text, '\t'))
		return xstrdup(text);
	memset(&style, 0, sizeof(style));
	for (const char *p = text; *p;) {
		size_t n = *p == '\033' ? sgr_parse(p, strlen(p), &style) : 0;
		int cw;

		if (n) {		/* a style takes no column: kept */
			strbuf_add(&out, p, n);
			p += n;
			continue;
		}
		if (*p == '\t') {
			for (int to = (col / TAB_STOP + 1) * TAB_STOP; col < to;
			     col++)
				if (col >= left)
					strbuf_addc(&out, ' ');
			p++;
			continue;
		}
		n = char_len(p);
		cw = char_cols(p, n);
		if (col >= left)
			strbuf_add(&out, p, n);
		col += cw;
		p += n;
	}
	return strbuf_detach(&out);
}

/* "19:30:05" of the journal line's RFC 3339 wall time. */
static void
wall_clock(const cJSON *ev, char *buf, size_t size)
{
	timefmt_rfc3339(cJSON_GetStringValue(cJSON_GetObjectItem(ev, "wall")),
			TF_HMS, buf, size);
}

static const char *
payload_str(const cJSON *p, const char *name)
{
	return cJSON_GetStringValue(cJSON_GetObjectItem(p, name));
}

static void
add_cast_line(int64_t t_us, const char *text, size_t len, void *arg)
{
	char *line = xstrndup(text, len);

	(void)t_us;
	logbuf_add(arg, LOG_OUTPUT, line);
	free(line);
}

/* The path of cast file REL (a step event's "output") inside the session
 * directory DIR, or NULL for none or a path leaving DIR. Caller frees. */
static char *
cast_path(const char *dir, const char *rel)
{
	if (!dir || !rel || !*rel || rel[0] == '/' || strstr(rel, ".."))
		return NULL;
	return xasprintf("%s/%s", dir, rel);
}

static void
run_started(struct logbuf *lb, const cJSON *ev, const char *step)
{
	const cJSON *p = cJSON_GetObjectItem(ev, "payload");
	const char *cmd = payload_str(p, "command");
	char when[16], *line;

	wall_clock(ev, when, sizeof(when));
	line = xasprintf("%s %s  started %s  %s", draw_glyph("\u25b6", ">"),
			 step, when, cmd ? cmd : "(no command)");
	logbuf_add(lb, LOG_RUN, line);
	free(line);
}

/* How long a run took, from its step.finished payload P: "2.1s" under ten
 * seconds, "42s", "3m05s", "1h02m"; "?" when the journal does not say. */
static void
run_duration(const cJSON *p, char *buf, size_t size)
{
	const cJSON *ms = cJSON_GetObjectItem(p, "duration_ms");
	double s;

	if (!cJSON_IsNumber(ms) || ms->valuedouble < 0) {
		snprintf(buf, size, "?");
		return;
	}
	s = ms->valuedouble / 1000.0;
	if (s < 10)
		snprintf(buf, size, "%.1fs", s);
	else if (s < 60)
		snprintf(buf, size, "%ds", (int)s);
	else if (s < 3600)
		snprintf(buf, size, "%dm%02ds", (int)s / 60, (int)s % 60);
	else
		snprintf(buf, size, "%dh%02dm", (int)s / 3600,
			 (int)s % 3600 / 60);
}

/* How the run ended, in words, at WHEN: "exit 0 after 2.1s at 19:30:05",
 * "exit 1 after 0.3s at 19:30:05: FAILED, exit status 1, expected 0". */
static void
run_outcome(const cJSON *p, const char *when, char *buf, size_t size)
{
	const cJSON *exit_code = cJSON_GetObjectItem(p, "exit");
	const char *reason = payload_str(p, "reason");
	char took[32];

	run_duration(p, took, sizeof(took));
	if (cJSON_IsTrue(cJSON_GetObjectItem(p, "timed_out")))
		snprintf(buf, size, "timed out after %s at %s", took, when);
	else if (session_outcome_unknown(p))
		snprintf(buf, size, "cancelled after %s at %s, outcome unknown "
			 "(its command may have acted)", took, when);
	else if (cJSON_IsTrue(cJSON_GetObjectItem(p, "cancelled")))
		snprintf(buf, size, "cancelled after %s at %s", took, when);
	else
		snprintf(buf, size, "exit %d after %s at %s%s%s",
			 cJSON_IsNumber(exit_code) ? exit_code->valueint : -1,
			 took, when, reason ? ": FAILED, " : "",
			 reason ? reason : "");
}

/* When the console that died was last seen (its last event), from
 * step.interrupted's payload; 0 when the journal does not say. */
static int
last_seen(const cJSON *ev, char *buf, size_t size)
{
	const char *t = payload_str(cJSON_GetObjectItem(ev, "payload"),
				    "last_seen");

	if (!t)
		return 0;
	timefmt_rfc3339(t, TF_HMS, buf, size);
	return 1;
}

static void
run_ended(struct logbuf *lb, const cJSON *ev, const char *step,
	  int interrupted)
{
	const cJSON *p = cJSON_GetObjectItem(ev, "payload");
	char outcome[512], when[16], seen[16], *line;

	wall_clock(ev, when, sizeof(when));
	/* A run that ended after its console quit ended when its keeper
	 * says, not when the next console journalled it. */
	if (payload_str(p, "ended") && cJSON_IsTrue(cJSON_GetObjectItem(
						p, "after_console_quit")))
		timefmt_rfc3339(payload_str(p, "ended"), TF_HMS, when,
				sizeof(when));
	if (interrupted && last_seen(ev, seen, sizeof(seen)))
		snprintf(outcome, sizeof(outcome), "interrupted between %s and "
			 "%s (the console ended then), outcome unknown", seen,
			 when);
	else if (interrupted)
		snprintf(outcome, sizeof(outcome), "interrupted at %s, outcome "
			 "unknown", when);
	else
		run_outcome(p, when, outcome, sizeof(outcome));
	if (!interrupted && cJSON_IsTrue(cJSON_GetObjectItem(
				p, "after_console_quit"))) {
		size_t n = strlen(outcome);

		snprintf(outcome + n, sizeof(outcome) - n, " (after the "
			 "console quit)");
	}
	line = xasprintf("%s %s  %s", draw_glyph("\u25a0", "#"), step,
			 outcome);
	logbuf_add(lb, LOG_RUN, line);
	free(line);
}

static void tail_end(struct app *a, const char *step);
static void tail_start(struct app *a, const char *step, const char *dir,
		       const cJSON *payload);

/* Whether journal event ROOT ends a run of a past console, whose cast a
 * tail may still follow: its end seen, or its orphan seen gone, or found
 * interrupted with its process gone. */
static int
run_over(const cJSON *root)
{
	const char *type = payload_str(root, "type");
	const cJSON *p = cJSON_GetObjectItem(root, "payload");

	if (!type)
		return 0;
	return strcmp(type, "step.finished") == 0 ||
	       strcmp(type, "step.orphan_ended") == 0 ||
	       (strcmp(type, "step.interrupted") == 0 &&
		!cJSON_IsTrue(cJSON_GetObjectItem(p, "still_running")));
}

/* The run line journal LINE makes (parsed as ROOT): 1 for a start, 2 for
 * an end, 0 when it is neither. */
static int
add_run_line(struct logbuf *lb, const cJSON *root)
{
	const char *type = payload_str(root, "type");
	const char *step = payload_str(root, "step");

	if (!type || !step)
		return 0;
	if (strcmp(type, "step.started") == 0) {
		run_started(lb, root, step);
		if (cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(
				root, "payload"), "interactive")))
			logbuf_add(lb, LOG_RUN, "  (its output goes to the "
				   "terminal, not recorded)");
		return 1;
	}
	if (strcmp(type, "step.finished") == 0 ||
	    strcmp(type, "step.interrupted") == 0) {
		run_ended(lb, root, step, type[5] == 'i');
		return 2;
	}
	return 0;
}

int
runview_run_line(struct logbuf *lb, const char *line)
{
	cJSON *root = cJSON_Parse(line);
	int rc = root ? add_run_line(lb, root) : 0;

	cJSON_Delete(root);
	return rc;
}

void
runview_event(struct app *a, const struct core_event *ev)
{
	cJSON *root;

	if (ev->kind != CORE_EV_JOURNAL || !ev->type ||
	    strncmp(ev->type, "step.", 5) != 0)
		return;
	if (a->watch) {
		runview_watch_line(a, ev->line, ev->dir);
		return;
	}
	root = cJSON_Parse(ev->line);
	if (root && run_over(root))
		tail_end(a, payload_str(root, "step"));	/* its last lines */
	if (root && add_run_line(a->log, root) == 1) {
		if (ev->history)	/* its output, as it was printed, and
					 * more if a drainer still writes it */
			tail_start(a, payload_str(root, "step"), ev->dir,
				   cJSON_GetObjectItem(root, "payload"));
		else {
			a->log_top = -1;	/* follow the new run */
			a->log_left = 0;	/* from its first column */
		}
	}
	cJSON_Delete(root);
}

/* --- rewind watch: the casts of runs under way ---------------------------- */

/* One run the watcher follows: its cast and how far it has been read. */
struct cast_tail {
	char *step;
	char *path;
	uint64_t offset;
};

/* Read what T's cast gained (all of it, a bounded read at a time). */
static void
tail_read(struct app *a, struct cast_tail *t)
{
	uint64_t before;

	do {
		before = t->offset;
		if (cast_follow(t->path, &t->offset, CAST_READ_MAX,
				add_cast_line, a->log, NULL) > 0)
			app_dirty(a);
	} while (t->offset != before);
}

static struct cast_tail *
tail_of(struct app *a, const char *step)
{
	for (size_t i = 0; i < a->n_tails; i++)
		if (strcmp(a->tails[i].step, step) == 0)
			return &a->tails[i];
	return NULL;
}

/* Read the rest of STEP's cast and stop following it. */
static void
tail_end(struct app *a, const char *step)
{
	struct cast_tail *t = tail_of(a, step);

	if (!t)
		return;
	tail_read(a, t);
	free(t->step);
	free(t->path);
	*t = a->tails[--a->n_tails];
}

static void
tail_start(struct app *a, const char *step, const char *dir,
	   const cJSON *payload)
{
	char *path = cast_path(dir, payload_str(payload, "output"));
	struct cast_tail *t;

	tail_end(a, step);
	if (!path)
		return;
	a->tails = xrealloc(a->tails, (a->n_tails + 1) * sizeof(*a->tails));
	t = &a->tails[a->n_tails++];
	t->step = xstrdup(step);
	t->path = path;
	t->offset = 0;
	tail_read(a, t);
}

void
runview_watch_line(struct app *a, const char *line, const char *dir)
{
	cJSON *root = cJSON_Parse(line);
	const char *type = payload_str(root, "type");
	const char *step = payload_str(root, "step");

	if (type && step && (strcmp(type, "step.finished") == 0 ||
			     strcmp(type, "step.interrupted") == 0))
		tail_end(a, step);	/* its last output before its end */
	if (root && add_run_line(a->log, root) == 1) {
		tail_start(a, step, dir, cJSON_GetObjectItem(root, "payload"));
		a->log_top = -1;
		a->log_left = 0;
	}
	cJSON_Delete(root);
}

void
runview_tail_poll(struct app *a)
{
	for (size_t i = 0; i < a->n_tails; i++)
		tail_read(a, &a->tails[i]);
}

void
runview_tail_done(struct app *a)
{
	for (size_t i = 0; i < a->n_tails; i++) {
		free(a->tails[i].step);
		free(a->tails[i].path);
	}
	free(a->tails);
	a->tails = NULL;
	a->n_tails = 0;
}

/* --- running steps -------------------------------------------------------- */

/* The wall clock the screen shows: the replay's in a replay. */
static int64_t
screen_now(const struct app *a)
{
	if (a->replay)
		return a->replay_now;
	return clock_wall_now(loop_clock(a->loop));
}

void
runview_running_text(const struct app *a, const struct step_view *v,
		     char *buf, size_t size)
{
	static const char *const frames[] = {
		"\u280b", "\u2819", "\u2839", "\u2838", "\u283c", "\u2834",
		"\u2826", "\u2827", "\u2807", "\u280f",
	};
	static const char *const ascii[] = { "|", "/", "-", "\\" };
	int64_t now = screen_now(a);
	int64_t secs = v->wall_us && now > v->wall_us
		       ? (now - v->wall_us) / 1000000 : 0;
	int utf8 = draw_utf8();

	if (a->watch && a->driver_gone_us) {
		struct kept_view k;

		/* Its keeper may have recorded how it ended meanwhile. */
		if (session_step_kept(a->session, v->def->id, &k) <= 0)
			snprintf(buf, size, "no console: outcome unknown");
		else if (k.term_signal)
			snprintf(buf, size, "ended: signal %d (keeper)",
				 k.term_signal);
		else
			snprintf(buf, size, "ended: exit %d (keeper)",
				 k.exit_code);
		return;
	}
	size_t n = utf8 ? sizeof(frames) / sizeof(frames[0]) : 4;
	const char *frame = (utf8 ? frames : ascii)[(now / TICK_US) % (int64_t)n];

	snprintf(buf, size, "running %s %lld:%02lld", frame,
		 (long long)(secs / 60), (long long)(secs % 60));
}

static int
any_running(const struct app *a)
{
	struct step_view v;

	for (size_t i = 0; i < session_n_steps(a->session); i++)
		if (session_step_view(a->session, i, &v) == 0 &&
		    v.state == STEP_RUNNING)
			return 1;
	return 0;
}

static void
on_tick(void *arg)
{
	struct app *a = arg;

	a->tick_timer = 0;
	runview_watch(a);
	app_dirty(a);	/* the spinner's next frame, or its last */
}

void
runview_watch(struct app *a)
{
	/* Events arrive while the session opens, before A has it. */
	if (!a->tick_timer && a->loop && a->session && any_running(a))
		a->tick_timer = loop_add_timer(a->loop, TICK_US, on_tick, a);
}

void
runview_stop(struct app *a)
{
	if (a->tick_timer)
		loop_cancel_timer(a->loop, a->tick_timer);
	a->tick_timer = 0;
}
