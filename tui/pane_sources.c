/* The console's side of the live sources: the tags and registry tabs drawn
 * from the session's sources (live watchers, or the drill's injected
 * state), the session's version variables marked in them, picking a tag
 * into a variable, and refreshing on demand. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "clock.h"
#include "draw.h"
#include "loop.h"
#include "pane_registry.h"
#include "pane_tags.h"
#include "replay.h"
#include "sources.h"
#include "tags.h"
#include "theme.h"
#include "xalloc.h"

#define MAX_MARKS 16
#define MAX_ANSWERS 16

/* Variables worth marking: the versions a rollback moves between. */
static int
is_version_var(const char *name)
{
	static const char *const words[] = {
		"VERSION", "TAG", "ROLLBACK", "RESTORE", "GOOD", "BAD",
		"TARGET", "CURRENT", "RELEASE",
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strstr(name, words[i]))
			return 1;
	return 0;
}

/* "NAME=VALUE" for each set version variable, NULL-ended; free with
 * free_marks. */
static char **
build_marks(const struct app *a)
{
	char **marks = xcalloc(MAX_MARKS + 1, sizeof(*marks));
	size_t n = 0;

	for (size_t i = 0; i < a->pb->n_variables && n < MAX_MARKS; i++) {
		const struct pb_variable *v = &a->pb->variables[i];
		const char *val = session_var(a->session, v->name);

		if (val && *val && !v->secret && is_version_var(v->name))
			marks[n++] = xasprintf("%s=%s", v->name, val);
	}
	return marks;
}

static void
free_marks(char **marks)
{
	for (size_t i = 0; marks[i]; i++)
		free(marks[i]);
	free(marks);
}

static const struct tag_list *
current_tags(const struct app *a)
{
	struct sources *src = session_sources(a->session);

	if (src)
		return sources_tags(src);
	return a->replay ? replay_tags(a->replay) : NULL;
}

/* How many registry answers there are to show, and the I-th: the live
 * sources', or in a replay the journal's at the replay position. */
static size_t
n_answers(const struct app *a)
{
	struct sources *src = session_sources(a->session);

	if (src)
		return sources_n_registries(src);
	return a->replay ? replay_n_registries(a->replay) : 0;
}

static const struct reg_answer *
answer_at(const struct app *a, size_t i)
{
	struct sources *src = session_sources(a->session);

	return src ? sources_registry(src, i) : replay_registry(a->replay, i);
}

/* The wall time registry ages count from: the replay's clock in a
 * replay, the loop's otherwise. */
static int64_t
answers_now(const struct app *a)
{
	if (!session_sources(a->session) && a->replay)
		return a->replay_now;
	return clock_wall_now(loop_clock(a->loop));
}

void
pane_tags_tab_draw(struct app *a, WINDOW *w, struct rect r)
{
	char **marks = build_marks(a);
	const struct tag_list *tl = current_tags(a);
	int rows = pane_tags_rows(r, tl);

	if (tl && a->tags_sel >= (int)tl->n_tags)
		a->tags_sel = tl->n_tags ? (int)tl->n_tags - 1 : 0;
	if (a->tags_sel < a->tags_top)
		a->tags_top = a->tags_sel;
	if (rows > 0 && a->tags_sel >= a->tags_top + rows)
		a->tags_top = a->tags_sel - rows + 1;
	pane_tags_draw(w, r, tl, a->focus == PANE_TAGS ? a->tags_sel : -1,
		       a->tags_top, (const char *const *)marks);
	free_marks(marks);
}

void
pane_registry_tab_draw(struct app *a, WINDOW *w, struct rect r)
{
	const struct reg_answer *answers[MAX_ANSWERS];
	size_t n = n_answers(a);
	char **marks = build_marks(a);
	int lines;

	if (n > MAX_ANSWERS)
		n = MAX_ANSWERS;
	for (size_t i = 0; i < n; i++)
		answers[i] = answer_at(a, i);
	if (n == 0) {
		draw_text(w, r.y, r.x + 1, r.w - 1, a->pb->targets.n_registries
			  ? "Registry: no answer yet."
			  : "This playbook names no registry package.",
			  theme_attr(ROLE_DIM));
		free_marks(marks);
		return;
	}
	lines = pane_registry_lines(r, answers, n, (const char *const *)marks);
	if (a->reg_top > lines - r.h)
		a->reg_top = lines - r.h > 0 ? lines - r.h : 0;
	pane_registry_draw(w, r, answers, n, a->reg_top,
			   (const char *const *)marks, answers_now(a));
	free_marks(marks);
}

void
pane_sources_scroll(struct app *a, long delta)
{
	if (a->focus == PANE_TAGS) {
		const struct tag_list *tl = current_tags(a);
		long n = tl ? (long)tl->n_tags : 0, sel = a->tags_sel + delta;

		a->tags_sel = (int)(sel < 0 ? 0 : sel >= n ? (n ? n - 1 : 0)
							     : sel);
	} else if (a->focus == PANE_REGISTRY) {
		long top = a->reg_top + delta;

		a->reg_top = (int)(top < 0 ? 0 : top);
	}
	app_dirty(a);
}

/* The variable a picked tag goes into: the selected input step's, else
 * the one variable declared `"from": "tags"`, else none. */
static const char *
pick_target(const struct app *a)
{
	struct step_view v;
	const char *only = NULL;
	int n = 0;

	if (app_step_at(a, a->sel, &v) == 0 &&
	    v.def->kind == STEP_KIND_INPUT && v.def->variable)
		return v.def->variable;
	for (size_t i = 0; i < a->pb->n_variables; i++) {
		const struct pb_variable *var = &a->pb->variables[i];

		if (var->from && strcmp(var->from, "tags") == 0) {
			only = var->name;
			n++;
		}
	}
	return n == 1 ? only : NULL;
}

void
pane_tags_pick(struct app *a)
{
	const char *tag = pane_tags_name_at(current_tags(a), a->tags_sel);
	const char *var = pick_target(a);
	char *line;

	if (!tag) {
		app_status(a, 1, "no tag selected");
		return;
	}
	if (!var) {
		app_status(a, 1, "select the input step the tag is for (or "
			   "press s to set a variable by name)");
		return;
	}
	line = xasprintf("set %s %s", var, tag);
	if (app_apply(a, line) >= 0)
		app_status(a, 0, "%s = %s (from the tags pane)", var, tag);
	free(line);
}

void
pane_sources_refresh(struct app *a)
{
	struct sources *src = session_sources(a->session);

	if (!src) {
		app_status(a, 1, "no live sources in this session");
		return;
	}
	sources_refresh(src);
	app_status(a, 0, "refreshing tags and registry answers");
}
