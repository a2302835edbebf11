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
#include "err.h"
#include "keymap.h"
#include "loop.h"
#include "pane_registry.h"
#include "pane_tags.h"
#include "registry.h"
#include "replay.h"
#include "sources.h"
#include "strbuf.h"
#include "tags.h"
#include "theme.h"
#include "withdrawn.h"
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

/* Why there are no tags to show, when none are coming; NULL while a read
 * is still to come. */
static const char *
tags_absent_why(const struct app *a)
{
	struct sources *src = session_sources(a->session);

	if (src)
		return sources_tags_absent_why(src);
	return a->replay ? "No tags in the journal up to this point." : NULL;
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
	pane_tags_draw(w, r, tl, tags_absent_why(a),
		       a->focus == PANE_TAGS ? a->tags_sel : -1,
		       a->tags_top, (const char *const *)marks);
	free_marks(marks);
}

/* The answers to show in ANSWERS (MAX_ANSWERS at most); returns how many. */
static size_t
shown_answers(const struct app *a, const struct reg_answer **answers)
{
	size_t n = n_answers(a);

	if (n > MAX_ANSWERS)
		n = MAX_ANSWERS;
	for (size_t i = 0; i < n; i++)
		answers[i] = answer_at(a, i);
	return n;
}

/* Versions the registry pane lists, over every package. */
static int
n_versions(const struct reg_answer *const *answers, size_t n)
{
	int total = 0;

	for (size_t i = 0; i < n; i++)
		total += answers[i]->has_data ? (int)answers[i]->n_versions : 0;
	return total;
}

/* Keep the selected version in the registry pane and on screen. */
static void
follow_selection(struct app *a, struct rect r,
		 const struct reg_answer *const *answers, size_t n)
{
	int total = n_versions(answers, n), line;

	if (a->reg_sel >= total)
		a->reg_sel = total ? total - 1 : 0;
	line = pane_registry_line_of(r, answers, n, a->reg_sel);
	if (line < 0)
		return;
	if (line < a->reg_top)
		a->reg_top = line;
	if (line >= a->reg_top + r.h)
		a->reg_top = line - r.h + 1;
}

void
pane_registry_tab_draw(struct app *a, WINDOW *w, struct rect r)
{
	const struct reg_answer *answers[MAX_ANSWERS];
	size_t n = shown_answers(a, answers);
	char **marks = build_marks(a);
	int lines;

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
	if (a->focus == PANE_REGISTRY)
		follow_selection(a, r, answers, n);
	pane_registry_draw_sel(w, r, answers, n, a->reg_top,
			       a->focus == PANE_REGISTRY ? a->reg_sel : -1,
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
		long sel = a->reg_sel + delta;

		a->reg_sel = (int)(sel < 0 ? 0 : sel > 1000000 ? 1000000 : sel);
	}
	app_dirty(a);
}

/* The variable a picked tag or version goes into: the selected input
 * step's, else the one variable declared `"from": FROM`, else none. */
static const char *
pick_target(const struct app *a, const char *from)
{
	struct step_view v;
	const char *only = NULL;
	int n = 0;

	if (app_step_at(a, a->sel, &v) == 0 &&
	    v.def->kind == STEP_KIND_INPUT && v.def->variable)
		return v.def->variable;
	for (size_t i = 0; i < a->pb->n_variables; i++) {
		const struct pb_variable *var = &a->pb->variables[i];

		if (var->from && strcmp(var->from, from) == 0) {
			only = var->name;
			n++;
		}
	}
	return n == 1 ? only : NULL;
}

/* "set NAME "VALUE"" in the batch syntax (quotes and backslashes escaped). */
static char *
set_line(const char *name, const char *value)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "set %s \"", name);
	for (const char *p = value; *p; p++) {
		if (*p == '"' || *p == '\\')
			strbuf_addc(&sb, '\\');
		strbuf_addc(&sb, *p);
	}
	strbuf_addc(&sb, '"');
	return strbuf_detach(&sb);
}

/* Whether VALUE is refused by VAR's pattern only for its leading v. */
static int
only_v_in_the_way(const struct pb_variable *var, const char *value)
{
	return (value[0] == 'v' || value[0] == 'V') &&
	       playbook_var_validate(var, value + 1, NULL) == 0;
}

/* What a pick did, in words for the status line: "RESTORE_VERSION set to
 * 1.2.2 from the Registry tab" ("from tag v1.2.2 (v dropped: the pattern
 * has none)" when a leading v the pattern has no room for was dropped), then a withdrawn restore target's warning, then
 * what the new value did to the session (a step reopened, a sign-off
 * voided: ALERT, the status the set left, or ""). */
static char *
pick_words(struct app *a, const char *name, const char *value,
	   const char *set, enum pane_id pane, const char *alert)
{
	char *warning = withdrawn_target_warning(a->session, name, NULL);
	struct strbuf sb = STRBUF_INIT;

	if (strcmp(set, value) != 0)
		strbuf_addf(&sb, "%s set to %s from tag %s (%c dropped: the "
			    "pattern has none)", name, set, value, value[0]);
	else
		strbuf_addf(&sb, "%s set to %s from the %s tab", name, set,
			    app_pane_name(pane));
	if (warning)
		strbuf_addf(&sb, ". %s", warning);
	if (*alert)
		strbuf_addf(&sb, "; %s", alert);
	free(warning);
	return strbuf_detach(&sb);
}

/* Set VAR to SET (VALUE as picked, in PANE) and say what that did. */
static void
apply_pick(struct app *a, const char *var, const char *value,
	   const char *set, enum pane_id pane)
{
	char *line = set_line(var, set), *words;
	int rc, alerted;

	a->status_alert = 0;
	a->status[0] = '\0';
	rc = app_apply(a, line);
	free(line);
	if (rc < 0)
		return;	/* app_apply said why */
	alerted = a->status_alert;
	words = pick_words(a, var, value, set, pane,
			   alerted ? a->status : "");
	a->status_alert = 0;
	app_status(a, alerted || strstr(words, "Warning:") != NULL, "%s",
		   words);
	free(words);
}

/* The input step of VAR that is done (its value given), or NULL. */
static const char *
done_input_of(const struct app *a, const char *var)
{
	struct step_view v;

	for (size_t i = 0; i < session_n_steps(a->session); i++)
		if (session_step_view(a->session, i, &v) == 0 &&
		    v.def->kind == STEP_KIND_INPUT && v.def->variable &&
		    strcmp(v.def->variable, var) == 0 &&
		    v.state == STEP_DONE)
			return v.def->id;
	return NULL;
}

/* A pick that would replace the value an input step set asks first
 * (y/N): returns 1 when it asked. */
static int
ask_before_replacing(struct app *a, const char *var, const char *value,
		     const char *set, enum pane_id pane)
{
	const char *step = done_input_of(a, var);
	const char *now = session_var(a->session, var);
	struct pick_pending *p = &a->pick_pending;

	if (!step || !now || strcmp(now, set) == 0)
		return 0;
	snprintf(p->var, sizeof(p->var), "%s", var);
	snprintf(p->value, sizeof(p->value), "%s", value);
	snprintf(p->set, sizeof(p->set), "%s", set);
	p->from_tags = pane == PANE_TAGS;
	dialog_open(a, FLOW_PICK_SURE, step);
	snprintf(a->dlg.prompt, sizeof(a->dlg.prompt), "%s (%s) is set to "
		 "%s. Replace it with %s from the %s tab? y/N", var, step,
		 now, set, app_pane_name(pane));
	return 1;
}

void
pane_sources_pick_confirmed(struct app *a)
{
	const struct pick_pending *p = &a->pick_pending;

	apply_pick(a, p->var, p->value, p->set,
		   p->from_tags ? PANE_TAGS : PANE_REGISTRY);
}

/* Set the pick target to VALUE, a WHERE ("tag", "version") picked in the
 * pane FROM ("tags", "registry"), asking first (y/N) when that replaces
 * the value an input step set. A leading v the variable's pattern has
 * no room for is dropped, and the status line says so; nothing is ever
 * added to what was picked. The status line says what was set, from
 * where, even when the new value reopened a step or voided a sign-off
 * (that alert follows it). */
static void
pick_value(struct app *a, const char *value, const char *from,
	   const char *where)
{
	const char *name = pick_target(a, from);
	const struct pb_variable *var = name ? playbook_find_var(a->pb, name)
					     : NULL;
	enum pane_id pane = strcmp(from, "tags") == 0 ? PANE_TAGS
						      : PANE_REGISTRY;
	const char *set = value;
	struct err err = { 0 };

	if (!var) {
		app_status(a, 1, "select the input step the %s is for (or "
			   "press %s to set a variable by name)", where,
			   keymap_key_label(KM_STEPS, UI_SET_VAR));
		return;
	}
	if (playbook_var_validate(var, value, &err) < 0) {
		if (!only_v_in_the_way(var, value)) {
			app_status(a, 1, "%s", err.msg);
			return;
		}
		set = value + 1;
	}
	if (!ask_before_replacing(a, var->name, value, set, pane))
		apply_pick(a, var->name, value, set, pane);
}

void
pane_tags_pick(struct app *a)
{
	const char *tag = pane_tags_name_at(current_tags(a), a->tags_sel);

	if (!tag)
		app_status(a, 1, "no tag selected");
	else
		pick_value(a, tag, "tags", "tag");
}

void
pane_registry_pick(struct app *a)
{
	const struct reg_answer *answers[MAX_ANSWERS];
	size_t n = shown_answers(a, answers);
	const char *version = pane_registry_version_at(answers, n, a->reg_sel);

	if (!version)
		app_status(a, 1, "no version selected");
	else
		pick_value(a, version, "registry", "version");
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
