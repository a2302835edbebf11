/* The resume banner: what was in flight when the previous console died,
 * above the panes, until every such step has been dealt with (run again,
 * or marked n/a); and the words for such a run's process. */
#include "config.h"
#include "banner.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "draw.h"
#include "keymap.h"
#include "theme.h"
#include "timefmt.h"
#include "xalloc.h"

#define BANNER_MAX_STEPS 3

/* The time of day, in the console's one zone (timefmt.h), naming it. */
static void
time_of_day(int64_t wall_us, char *buf, size_t size)
{
	timefmt_us(wall_us, TF_HMS_ZONE, buf, size);
}

void
banner_run_text(const struct step_view *v, char *buf, size_t size)
{
	char at[32];

	buf[0] = '\0';
	if (v->run_pid <= 0)
		return;
	time_of_day(v->run_wall_us, at, sizeof(at));
	if (v->orphan && v->orphan_stopping)
		snprintf(buf, size, "stopping: pid %ld from the previous "
			 "console, started at %s", v->run_pid, at);
	else if (v->orphan)
		snprintf(buf, size, "still running from the previous console, "
			 "pid %ld, started at %s", v->run_pid, at);
	else
		snprintf(buf, size, "its process (pid %ld, started at %s) has "
			 "ended", v->run_pid, at);
}

void
banner_orphan_hint(const struct step_view *v, char *buf, size_t size)
{
	const char *key = keymap_label_for(KM_STEPS, UI_CANCEL_STEP);

	if (!key)
		key = "?";

	if (v->orphan_stopping)
		snprintf(buf, size, "waiting for it to end (press %s again to "
			 "kill it)", key);
	else
		snprintf(buf, size, "wait for it to end, or press %s to stop it",
			 key);
}

/* Interrupted steps, in playbook order, into OUT (at most MAX). */
static int
interrupted_steps(const struct app *a, struct step_view *out, int max)
{
	size_t n = session_n_steps(a->session);
	int got = 0;

	for (size_t i = 0; i < n && got < max; i++)
		if (session_step_view(a->session, i, &out[got]) == 0 &&
		    out[got].state == STEP_INTERRUPTED && !out[got].cancelled)
			got++;
	return got;
}

static const char heading[] = "RESUMED: the previous console ended while "
	"this was running; outcome unknown, check before running again";

/* Rows TEXT takes wrapped at WIDTH columns (at least one). */
static int
wrapped_rows(const char *text, int width)
{
	int n = 0;

	while (*text && width > 0 && n < 8) {
		text += draw_wrap_point(text, width);
		if (*text == '\n')
			text++;
		n++;
	}
	return n ? n : 1;
}

int
banner_rows(const struct app *a, int width)
{
	struct step_view v[BANNER_MAX_STEPS];
	int n;

	if (!a->resumed || !a->session)
		return 0;
	n = interrupted_steps(a, v, BANNER_MAX_STEPS);
	return n ? wrapped_rows(heading, width - 1) + n : 0;
}

static void
draw_step_row(const struct step_view *v, WINDOW *w, int y, int width)
{
	char run[192], line[512];

	banner_run_text(v, run, sizeof(run));
	snprintf(line, sizeof(line), "  %s: %s%s%s", v->def->id,
		 *run ? run : "its process is not known",
		 v->def->run ? "; command: " : "",
		 v->def->run ? v->def->run : "");
	draw_fill(w, y, 0, width, theme_attr(ROLE_DIALOG));
	/* Cut, it says so; the step pane has the whole of it. */
	draw_title(w, y, 0, width, line, theme_attr(ROLE_DIALOG));
}

void
banner_draw(const struct app *a, WINDOW *w, int y, int width)
{
	struct step_view v[BANNER_MAX_STEPS];
	int n = banner_rows(a, width) ? interrupted_steps(a, v,
							 BANNER_MAX_STEPS) : 0;
	int rows = wrapped_rows(heading, width - 1);

	if (!n)
		return;
	/* The heading wraps rather than lose its end at the edge. */
	for (int i = 0; i < rows; i++)
		draw_fill(w, y + i, 0, width, theme_attr(ROLE_ALERT));
	draw_wrapped(w, y, 1, width - 1, rows, heading,
		     theme_attr(ROLE_ALERT));
	for (int i = 0; i < n; i++)
		draw_step_row(&v[i], w, y + rows + i, width);
}

void
banner_refuse_rerun(struct app *a, const struct step_view *v)
{
	char *line = xasprintf("run %s", v->def->id);
	char hint[128];

	app_apply(a, line);
	free(line);
	banner_orphan_hint(v, hint, sizeof(hint));
	app_status(a, 1, "%s is still running from the previous console "
		   "(pid %ld): not starting a second copy; %s", v->def->id,
		   v->run_pid, hint);
}
