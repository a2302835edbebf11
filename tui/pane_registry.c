/* The registry pane: one block of lines per package, drawn from registry
 * answers only (never fetching), through draw_text. */
#include "config.h"

#include "pane_registry.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "draw.h"
#include "pane_tags.h"
#include "reg_backend.h"
#include "registry.h"
#include "theme.h"
#include "timefmt.h"

/* Lines are emitted in order; only those in [top, top + h) are drawn,
 * so one walk serves both drawing and counting (W == NULL). */
struct cursor {
	WINDOW *w;
	struct rect r;
	int top;
	int line;	/* index of the current line in the whole content */
	int x;		/* column on the current line */
	int sel;	/* the selected version (in walk order), or -1 */
	int n_seen;	/* versions walked so far */
	int sel_line;	/* the line the selected version is on, or -1 */
	int on_sel;	/* the current line is the selected version's */
};

static int
visible(const struct cursor *c)
{
	return c->w && c->line >= c->top && c->line < c->top + c->r.h;
}

/* Draw TEXT at the cursor in ROLE, leaving a blank after it. */
static void
put(struct cursor *c, const char *text, int role)
{
	int room = c->r.x + c->r.w - c->x;

	if (!visible(c) || room <= 0 || !*text)
		return;
	c->x += draw_text(c->w, c->r.y + c->line - c->top, c->x, room, text,
			  theme_attr(c->on_sel ? ROLE_CURSOR : role)) + 1;
}

static void
put_at(struct cursor *c, int col, const char *text, int role)
{
	if (c->x < c->r.x + col)
		c->x = c->r.x + col;
	put(c, text, role);
}

static void
newline(struct cursor *c)
{
	c->line++;
	c->x = c->r.x + 1;
	c->on_sel = 0;
}

/* A version line starts: the selected one is highlighted across the
 * pane, so it shows even when its text is short. */
static void
start_version(struct cursor *c)
{
	c->on_sel = c->n_seen++ == c->sel;
	if (!c->on_sel)
		return;
	c->sel_line = c->line;
	if (visible(c))
		draw_fill(c->w, c->r.y + c->line - c->top, c->r.x, c->r.w,
			  theme_attr(ROLE_CURSOR));
}

static void
format_age(int64_t us, char *buf, size_t size)
{
	long long s = us > 0 ? us / 1000000 : 0;

	if (s < 60)
		snprintf(buf, size, "%llds", s);
	else if (s < 3600)
		snprintf(buf, size, "%lldm", s / 60);
	else if (s < 86400)
		snprintf(buf, size, "%lldh", s / 3600);
	else
		snprintf(buf, size, "%lldd", s / 86400);
}

static void
format_date(int64_t us, char *buf, size_t size)
{
	if (!us)
		snprintf(buf, size, "%-16s", "-");
	else
		timefmt_us(us, TF_DATE_HM, buf, size);
}

static void
header_line(struct cursor *c, const struct reg_answer *a, int64_t now_us)
{
	char text[160], age[16];

	snprintf(text, sizeof(text), "%s", reg_type_name(a->type));
	put(c, text, ROLE_DIM);
	put(c, a->package, ROLE_HEADER);
	if (a->source) {
		snprintf(text, sizeof(text), "@ %s", a->source);
		put(c, text, ROLE_DIM);
	}
	if (a->has_data && a->fetched_at_us) {
		format_age(now_us - a->fetched_at_us, age, sizeof(age));
		snprintf(text, sizeof(text), a->stale ? "stale %s" : "%s ago",
			 age);
		put(c, text, a->stale ? ROLE_ALERT : ROLE_DIM);
	} else if (a->stale) {
		put(c, "stale", ROLE_ALERT);
	}
	newline(c);
	if (a->error) {
		put(c, "!", ROLE_ERROR);
		put(c, a->error, ROLE_ERROR);
		newline(c);
	}
}

static void
tags_line(struct cursor *c, const struct reg_answer *a)
{
	if (!a->n_tags)
		return;
	put(c, "dist-tags:", ROLE_DIM);
	for (size_t i = 0; i < a->n_tags; i++) {
		char text[2 * REG_MAX_NAME + 4];

		snprintf(text, sizeof(text), "%s=%s", a->tags[i].name,
			 a->tags[i].version);
		put(c, text, ROLE_NORMAL);
	}
	newline(c);
}

/* NAME=VALUE marks on version V: "ROLLBACK" for ROLLBACK_VERSION. A
 * RESTORE mark on a withdrawn version is an alert; the warning itself
 * gets a line of its own (restore_warning_line), so a narrow pane never
 * cuts it. Returns whether such a mark was put. */
static int
put_marks(struct cursor *c, const struct reg_version *v,
	  const char *const *marks)
{
	int restore_withdrawn = 0;

	for (size_t i = 0; marks && marks[i]; i++) {
		char name[96];
		size_t n;

		if (!pane_mark_matches(marks[i], v->version, &n))
			continue;
		if (n >= 64)
			n = 63;
		memcpy(name, marks[i], n);
		name[n] = '\0';
		if (strcmp(name, "RESTORE") == 0 && (v->deprecated || v->yanked)) {
			put(c, name, ROLE_ALERT);
			restore_withdrawn = 1;
		} else {
			put(c, name, ROLE_STEP_RUNNING);
		}
	}
	return restore_withdrawn;
}

/* Under a withdrawn version the restore target names: "! RESTORE is a
 * deprecated version", short enough for an 80-column terminal's pane. */
static void
restore_warning_line(struct cursor *c, const struct reg_version *v)
{
	char text[64];

	snprintf(text, sizeof(text), "! RESTORE is a %s version",
		 v->deprecated ? "deprecated" : "yanked");
	put_at(c, 2, text, ROLE_ALERT);
	newline(c);
}

/* The dist-tags pointing at V, "<latest beta>". */
static void
put_tags_of(struct cursor *c, const struct reg_answer *a, const char *v)
{
	for (size_t i = 0; i < a->n_tags; i++) {
		char text[REG_MAX_NAME + 4];

		if (strcmp(a->tags[i].version, v))
			continue;
		snprintf(text, sizeof(text), "<%s>", a->tags[i].name);
		put(c, text, ROLE_OK);
	}
}

static int
version_width(const struct reg_answer *a, int cap)
{
	int w = 7;

	for (size_t i = 0; i < a->n_versions; i++) {
		int n = (int)strlen(a->versions[i].version);

		if (n > w)
			w = n;
	}
	return w > cap ? cap : w;
}

static void
version_line(struct cursor *c, const struct reg_answer *a,
	     const struct reg_version *v, int vw, const char *const *marks)
{
	char date[32];
	int withdrawn = v->deprecated || v->yanked;
	int pre = registry_version_is_prerelease(a->type, v->version);
	int restore_withdrawn;

	start_version(c);
	put_at(c, 2, v->version, withdrawn ? ROLE_WARNING
				 : pre ? ROLE_DIM : ROLE_NORMAL);
	format_date(v->published_us, date, sizeof(date));
	put_at(c, 3 + vw, date, ROLE_JOURNAL_TIME);
	put_tags_of(c, a, v->version);
	/* The marks come before the warning, which is long: in a narrow pane
	 * the mark stays and the warning is cut (its word first). */
	restore_withdrawn = put_marks(c, v, marks);
	if (v->deprecated) {
		put(c, "DEPRECATED:", ROLE_WARNING);
		put(c, v->deprecated, ROLE_WARNING);
	} else if (v->yanked) {
		put(c, "YANKED", ROLE_WARNING);
		if (v->yanked_reason)
			put(c, v->yanked_reason, ROLE_WARNING);
	}
	newline(c);
	if (restore_withdrawn)
		restore_warning_line(c, v);
}

static void
package_block(struct cursor *c, const struct reg_answer *a,
	      const char *const *marks, int64_t now_us)
{
	int vw = version_width(a, c->r.w > 60 ? 24 : 16);

	header_line(c, a, now_us);
	if (!a->has_data) {
		if (!a->error) {
			put(c, a->note ? a->note : "asking the registry...",
			    ROLE_DIM);
			newline(c);
		}
		return;
	}
	tags_line(c, a);
	if (!a->n_versions) {
		put(c, "no versions", ROLE_DIM);
		newline(c);
	}
	for (size_t i = a->n_versions; i-- > 0;)
		version_line(c, a, &a->versions[i], vw, marks);
}

static void
walk(struct cursor *c, const struct reg_answer *const *answers, size_t n,
     const char *const *marks, int64_t now_us)
{
	c->x = c->r.x + 1;
	if (!n) {
		put(c, "No registry targets in this playbook.", ROLE_DIM);
		newline(c);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (i)
			newline(c);
		package_block(c, answers[i], marks, now_us);
	}
}

void
pane_registry_draw(WINDOW *w, struct rect r,
		   const struct reg_answer *const *answers, size_t n, int top,
		   const char *const *marks, int64_t now_us)
{
	pane_registry_draw_sel(w, r, answers, n, top, -1, marks, now_us);
}

void
pane_registry_draw_sel(WINDOW *w, struct rect r,
		       const struct reg_answer *const *answers, size_t n,
		       int top, int sel, const char *const *marks,
		       int64_t now_us)
{
	struct cursor c = { .w = w, .r = r, .top = top < 0 ? 0 : top,
			    .sel = sel, .sel_line = -1 };

	walk(&c, answers, n, marks, now_us);
}

int
pane_registry_lines(struct rect r, const struct reg_answer *const *answers,
		    size_t n, const char *const *marks)
{
	struct cursor c = { .w = NULL, .r = r, .sel = -1, .sel_line = -1 };

	walk(&c, answers, n, marks, 0);
	return c.line;
}

int
pane_registry_line_of(struct rect r, const struct reg_answer *const *answers,
		      size_t n, int sel)
{
	struct cursor c = { .w = NULL, .r = r, .sel = sel, .sel_line = -1 };

	walk(&c, answers, n, NULL, 0);
	return c.sel_line;
}

const char *
pane_registry_version_at(const struct reg_answer *const *answers, size_t n,
			 int sel)
{
	for (size_t i = 0; i < n && sel >= 0; i++) {
		const struct reg_answer *a = answers[i];
		size_t nv = a->has_data ? a->n_versions : 0;

		if ((size_t)sel < nv)
			return a->versions[nv - 1 - (size_t)sel].version;
		sel -= (int)nv;
	}
	return NULL;
}
