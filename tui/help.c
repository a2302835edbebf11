/* The help overlay, generated from the action table and the keymap: every
 * binding of every context (or of the replay's alone) with its one-line
 * help. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "draw.h"
#include "keymap.h"
#include "session.h"
#include "theme.h"

/* Whether ACT was already listed for CTX (several keys, one line). */
static int
listed_before(const struct binding *b, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (b[j].ctx == b[i].ctx && b[j].act == b[i].act)
			return 1;
	return 0;
}

/* The console's overlay (ONLY is KM_COUNT) lists every context but the
 * replay console's, and the watch only what works there; the replay's
 * lists its own context alone. */
static int
is_shown(const struct app *a, int only, const struct binding *b)
{
	if (only != KM_COUNT)
		return (int)b->ctx == only;
	/* a hand-over is offered only of a session shared to a remote */
	if (b->act == UI_HANDOVER && (a->watch || !a->session ||
				      session_share_state(a->session) < 0))
		return 0;
	return b->ctx != KM_REPLAY && (!a->watch || keymap_in_watch(b->act));
}

/* Whether context CTX gets a heading: it has a line to show, and it is
 * not the only context shown. */
static int
has_heading(const struct app *a, int only, int ctx)
{
	size_t n;
	const struct binding *b = keymap_bindings(&n);

	if (only != KM_COUNT)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((int)b[i].ctx == ctx && is_shown(a, only, &b[i]))
			return 1;
	return 0;
}

/* Rows of the legend of the checklist's marks: a heading and a line each. */
static int
legend_rows(void)
{
	const char *glyph, *meaning;
	int n = 0;

	while (pane_steps_legend(n, &glyph, &meaning) == 0)
		n++;
	return n + 1;
}

/* Rows the overlay has: the headings and a line per action, then the
 * legend. */
static int
help_rows(const struct app *a, int only)
{
	size_t n;
	const struct binding *b = keymap_bindings(&n);
	int rows = legend_rows();

	for (int ctx = 0; ctx < KM_COUNT; ctx++)
		rows += has_heading(a, only, ctx);
	for (size_t i = 0; i < n; i++)
		rows += is_shown(a, only, &b[i]) && !listed_before(b, i);
	return rows;
}

/* Scrolling stops with the last line at the bottom of H rows. */
static void
clamp_top(struct app *a, int only, int h)
{
	int last_top = help_rows(a, only) - (h - 2);

	if (a->help_top > (last_top > 0 ? last_top : 0))
		a->help_top = last_top > 0 ? last_top : 0;
}

/* The legend of the checklist's marks from row *ROW on (rows before
 * A->help_top scrolled away), while Y is above H - 1. */
static void
draw_legend(struct app *a, WINDOW *w, int h, int width, int *row, int y)
{
	const char *glyph, *meaning;
	char line[256];
	int pad;

	if ((*row)++ >= a->help_top && y < h - 1)
		draw_text(w, y++, 1, width - 2, "Checklist marks",
			  theme_attr(ROLE_TITLE));
	for (int i = 0; pane_steps_legend(i, &glyph, &meaning) == 0 &&
			y < h - 1; i++) {
		if ((*row)++ < a->help_top)
			continue;
		/* padded by columns: a glyph may be several bytes */
		pad = 16 - draw_width(glyph);
		snprintf(line, sizeof(line), "  %s%*s %s", glyph,
			 pad > 0 ? pad : 0, "", meaning);
		draw_text(w, y++, 1, width - 2, line, theme_attr(ROLE_DIALOG));
	}
}

void
help_draw(struct app *a, WINDOW *w, int h, int width, int only)
{
	size_t n;
	const struct binding *b = keymap_bindings(&n);
	int row = 0, y = 1;

	clamp_top(a, only, h);
	for (int i = 0; i < h - 1; i++)
		draw_fill(w, i, 0, width, theme_attr(ROLE_DIALOG));
	draw_text(w, 0, 0, width, only == KM_REPLAY
		  ? " rewind replay keys (any other key closes; j/k scroll) "
		  : " rewind keys (any other key closes; j/k scroll) ",
		  theme_attr(ROLE_DIALOG_TITLE));
	for (int ctx = 0; ctx < KM_COUNT && y < h - 1; ctx++) {
		if (has_heading(a, only, ctx) && row++ >= a->help_top)
			draw_text(w, y++, 1, width - 2, keymap_ctx_name(ctx),
				  theme_attr(ROLE_TITLE));
		for (size_t i = 0; i < n && y < h - 1; i++) {
			char keys[64], line[256];

			if ((int)b[i].ctx != ctx || !is_shown(a, only, &b[i]) ||
			    listed_before(b, i))
				continue;
			if (row++ < a->help_top)
				continue;
			keymap_keys_for(b[i].ctx, b[i].act, keys, sizeof(keys));
			snprintf(line, sizeof(line), "  %-16s %s", keys,
				 uiact_help(b[i].act));
			draw_text(w, y++, 1, width - 2, line,
				  theme_attr(ROLE_DIALOG));
		}
	}
	draw_legend(a, w, h, width, &row, y);
}
