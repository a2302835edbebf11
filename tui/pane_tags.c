/* The git tags pane: paints a tag_list (from the watcher, a scenario or
 * the journal) with the session's variable marks; never reads git. */
#include "config.h"

#include "pane_tags.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "draw.h"
#include "tags.h"
#include "theme.h"
#include "timefmt.h"

#define MARK_MAX 16		/* columns for the mark column at most */
#define NAME_MAX_COLS 28
#define DATE_COLS 10
#define COMMIT_COLS 7
#define TALL_ROWS 24		/* from here on, recent commits get room */

struct cols {
	int mark, name, date, commit;	/* widths, 0 = column hidden */
	int x_name, x_date, x_commit, x_msg;
};

static int
imax(int a, int b)
{
	return a > b ? a : b;
}

static int
imin(int a, int b)
{
	return a < b ? a : b;
}

/* --- marks ------------------------------------------------------------- */

static const char *
strip_v(const char *s)
{
	return (s[0] == 'v' || s[0] == 'V') && s[1] >= '0' && s[1] <= '9'
	       ? s + 1 : s;
}

int
pane_mark_matches(const char *mark, const char *tag, size_t *name_len)
{
	const char *eq = strchr(mark, '=');
	size_t n;

	if (!eq || !eq[1])
		return 0;
	n = strcspn(mark, "_=");
	*name_len = n ? n : (size_t)(eq - mark);
	return strcmp(strip_v(eq + 1), strip_v(tag)) == 0;
}

/* The mark column text of T into BUF; returns 2 when a variable marks it,
 * 1 for HEAD alone, 0 for none. */
static int
mark_text(const struct tag_info *t, const char *const *marks, char *buf,
	  size_t size)
{
	size_t len = 0, n;
	int kind = 0;

	buf[0] = '\0';
	if (t->is_on_head) {
		len = (size_t)snprintf(buf, size, "HEAD");
		kind = 1;
	}
	for (size_t i = 0; marks && marks[i] && len + 1 < size; i++) {
		if (!pane_mark_matches(marks[i], t->name, &n))
			continue;
		len += (size_t)snprintf(buf + len, size - len, "%s%.*s",
					len ? "," : "", (int)n, marks[i]);
		if (len >= size)
			len = size - 1;
		kind = 2;
	}
	return kind;
}

/* --- layout ------------------------------------------------------------ */

static int
header_rows(const struct tag_list *tl)
{
	return 1 + (tl->error != NULL || tl->warning != NULL);
}

int
pane_tags_rows(struct rect r, const struct tag_list *tl)
{
	int avail, n;

	if (!tl || (tl->error && !tl->is_stale))
		return 0;
	avail = r.h - header_rows(tl);
	n = (int)tl->n_tags;
	if (tl->n_recent && r.h >= TALL_ROWS && n > avail - (int)tl->n_recent - 1)
		avail -= (int)tl->n_recent + 1;
	return avail < 0 ? 0 : n < avail ? n : avail;
}

static struct cols
layout(struct rect r, const struct tag_list *tl, int top, int rows,
       const char *const *marks)
{
	struct cols c = { 0 };
	char buf[MARK_MAX * 4];
	int x, left;

	for (int i = top; i < top + rows; i++) {
		int wn = draw_width(tl->tags[i].name);

		if (mark_text(&tl->tags[i], marks, buf, sizeof(buf)))
			c.mark = imax(c.mark, draw_width(buf));
		c.name = imax(c.name, wn);
	}
	c.mark = imin(c.mark, MARK_MAX);
	c.name = imin(c.name, NAME_MAX_COLS);
	x = 1 + (c.mark ? c.mark + 1 : 0);
	c.name = imin(c.name, r.w - x - 1);
	c.x_name = x;
	x += c.name + 1;
	left = r.w - x;
	if (left >= DATE_COLS) {
		c.date = DATE_COLS;
		c.x_date = x;
		x += DATE_COLS + 1;
		left = r.w - x;
	}
	if (left >= COMMIT_COLS) {
		c.commit = COMMIT_COLS;
		c.x_commit = x;
		x += COMMIT_COLS + 1;
	}
	c.x_msg = x;
	return c;
}

/* --- drawing ----------------------------------------------------------- */

static void
format_date(int64_t t, char *buf, size_t size)
{
	buf[0] = '\0';
	if (t > 0)
		timefmt_us(t * 1000000, TF_DATE, buf, size);
}

static int
text_at(WINDOW *w, struct rect r, int y, int *x, const char *text, int role)
{
	int room = r.w - *x;

	if (room <= 0)
		return 0;
	*x += draw_text(w, r.y + y, r.x + *x, room, text, theme_attr(role));
	return 1;
}

/* Where HEAD is: its commit, else the tag it is at (a drill world's tag
 * without a commit), else none. */
static const char *
head_text(const struct tag_list *tl)
{
	if (tl->head[0])
		return tl->head;
	for (size_t i = 0; i < tl->n_tags; i++)
		if (tl->tags[i].is_on_head)
			return tl->tags[i].name;
	return "(no commits)";
}

static void
draw_header(WINDOW *w, struct rect r, const struct tag_list *tl)
{
	char line[160];
	int x = 1;

	snprintf(line, sizeof(line), "%s @ %s", tl->branch ? tl->branch
		 : tl->is_detached ? "detached" : "(no branch)",
		 head_text(tl));
	text_at(w, r, 0, &x, line, ROLE_HEADER);
	if (tl->is_bare)
		text_at(w, r, 0, &x, "  bare", ROLE_DIM);
	else if (tl->is_dirty) {
		snprintf(line, sizeof(line), "  DIRTY: %zu changed",
			 tl->n_changed);
		text_at(w, r, 0, &x, line, ROLE_WARNING);
	} else
		text_at(w, r, 0, &x, "  clean", ROLE_OK);
	if (tl->is_shallow)
		text_at(w, r, 0, &x, "  shallow", ROLE_WARNING);
	snprintf(line, sizeof(line), "  %zu tag%s", tl->n_total,
		 tl->n_total == 1 ? "" : "s");
	text_at(w, r, 0, &x, line, ROLE_DIM);
}

static void
draw_notice(WINDOW *w, struct rect r, const struct tag_list *tl)
{
	char line[1200];

	if (tl->error)
		snprintf(line, sizeof(line), "STALE: %s", tl->error);
	else
		snprintf(line, sizeof(line), "warning: %s", tl->warning);
	draw_text(w, r.y + 1, r.x + 1, r.w - 1, line,
		  theme_attr(tl->error ? ROLE_ALERT : ROLE_WARNING));
}

static void
draw_commit_col(WINDOW *w, struct rect r, int y, const struct cols *c,
		const struct tag_info *t, int sel_attr)
{
	int blob = t->target == TAG_TARGET_BLOB || t->target == TAG_TARGET_TREE;
	const char *text = blob ? tag_target_name(t->target) : t->commit;

	draw_text(w, r.y + y, r.x + c->x_commit, c->commit, text, sel_attr
		  ? sel_attr : theme_attr(blob ? ROLE_WARNING : ROLE_DIM));
}

static void
draw_tag_row(WINDOW *w, struct rect r, int y, const struct cols *c,
	     const struct tag_info *t, int is_sel, const char *const *marks)
{
	int sel = is_sel ? theme_attr(ROLE_CURSOR) : 0;
	char buf[MARK_MAX * 4];
	int kind = mark_text(t, marks, buf, sizeof(buf));

	if (is_sel)
		draw_fill(w, r.y + y, r.x, r.w, sel);
	if (c->mark && kind)
		draw_text(w, r.y + y, r.x + 1, c->mark, buf, sel ? sel
			  : theme_attr(kind == 2 ? ROLE_WARNING : ROLE_OK));
	draw_text(w, r.y + y, r.x + c->x_name, c->name, t->name, sel ? sel
		  : theme_attr(t->is_semver ? ROLE_NORMAL : ROLE_LOG));
	if (c->date) {
		format_date(t->time, buf, sizeof(buf));
		draw_text(w, r.y + y, r.x + c->x_date, c->date,
			  t->has_details ? buf : "...", sel ? sel
			  : theme_attr(ROLE_JOURNAL_TIME));
	}
	if (c->commit)
		draw_commit_col(w, r, y, c, t, sel);
	if (t->message && c->x_msg < r.w)
		draw_text(w, r.y + y, r.x + c->x_msg, r.w - c->x_msg,
			  t->message, sel ? sel : theme_attr(ROLE_NORMAL));
}

static void
draw_recent(WINDOW *w, struct rect r, int y, const struct tag_list *tl)
{
	if (y >= r.h || !tl->n_recent)
		return;
	draw_text(w, r.y + y++, r.x + 1, r.w - 1, "Recent commits",
		  theme_attr(ROLE_HEADER));
	for (size_t i = 0; i < tl->n_recent && y < r.h; i++, y++) {
		int x = 1;

		text_at(w, r, y, &x, tl->recent[i].id, ROLE_DIM);
		x++;
		text_at(w, r, y, &x, tl->recent[i].subject, ROLE_NORMAL);
	}
}

static void
draw_error(WINDOW *w, struct rect r, const struct tag_list *tl)
{
	char line[1200];

	snprintf(line, sizeof(line), "Tags unavailable: %s", tl->error);
	draw_wrapped(w, r.y, r.x + 1, r.w - 2, r.h, line,
		     theme_attr(ROLE_ERROR));
}

void
pane_tags_draw(WINDOW *w, struct rect r, const struct tag_list *tl,
	       const char *absent, int sel, int top, const char *const *marks)
{
	int rows, y;
	struct cols c;

	if (r.w < 4 || r.h < 1)
		return;
	if (!tl) {
		draw_wrapped(w, r.y, r.x + 1, r.w - 2, r.h,
			     absent ? absent : "Reading tags...",
			     theme_attr(ROLE_DIM));
		return;
	}
	if (tl->error && !tl->is_stale) {
		draw_error(w, r, tl);
		return;
	}
	draw_header(w, r, tl);
	if (header_rows(tl) > 1 && r.h > 1)
		draw_notice(w, r, tl);
	y = header_rows(tl);
	if (tl->n_tags == 0 && y < r.h)
		draw_text(w, r.y + y++, r.x + 1, r.w - 1, "No tags yet.",
			  theme_attr(ROLE_DIM));
	rows = pane_tags_rows(r, tl);
	top = top < 0 ? 0 : top;
	if (top > (int)tl->n_tags - rows)
		top = (int)tl->n_tags - rows;
	c = layout(r, tl, top, rows, marks);
	for (int i = 0; i < rows; i++, y++)
		draw_tag_row(w, r, y, &c, &tl->tags[top + i], top + i == sel,
			     marks);
	draw_recent(w, r, y, tl);
}

const char *
pane_tags_name_at(const struct tag_list *tl, int row)
{
	if (!tl || row < 0 || (size_t)row >= tl->n_tags)
		return NULL;
	return tl->tags[row].name;
}
