/* The help overlay, generated from the action table and the keymap: every
 * binding of every context with its one-line help. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "draw.h"
#include "keymap.h"
#include "theme.h"

/* Keys bound to ACT in CTX, joined ("j, Down"). */
static void
keys_for(enum keymap_ctx ctx, enum uiact act, char *buf, size_t size)
{
	size_t n;
	const struct binding *b = keymap_bindings(&n);

	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int seen = 0;

		if (b[i].ctx != ctx || b[i].act != act)
			continue;
		/* Two key codes can share a label (Enter, KEY_ENTER). */
		for (size_t j = 0; j < i; j++)
			seen |= b[j].ctx == ctx && b[j].act == act &&
				strcmp(b[j].label, b[i].label) == 0;
		if (seen)
			continue;
		if (buf[0])
			strncat(buf, ", ", size - strlen(buf) - 1);
		strncat(buf, b[i].label, size - strlen(buf) - 1);
	}
}

/* Whether ACT was already listed for CTX (several keys, one line). */
static int
listed_before(const struct binding *b, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (b[j].ctx == b[i].ctx && b[j].act == b[i].act)
			return 1;
	return 0;
}

/* The console's overlay lists every context but the replay console's,
 * which has its own; the watch lists only what works there. */
static int
is_shown(const struct app *a, const struct binding *b)
{
	return b->ctx != KM_REPLAY && (!a->watch || keymap_in_watch(b->act));
}

/* Whether context CTX has a line to show (it then gets a heading). */
static int
has_lines(const struct app *a, int ctx)
{
	size_t n;
	const struct binding *b = keymap_bindings(&n);

	for (size_t i = 0; i < n; i++)
		if ((int)b[i].ctx == ctx && is_shown(a, &b[i]))
			return 1;
	return 0;
}

/* Rows the overlay has: a heading per context and a line per action. */
static int
help_rows(const struct app *a)
{
	size_t n;
	const struct binding *b = keymap_bindings(&n);
	int rows = 0;

	for (int ctx = 0; ctx < KM_COUNT; ctx++)
		rows += has_lines(a, ctx);
	for (size_t i = 0; i < n; i++)
		rows += is_shown(a, &b[i]) && !listed_before(b, i);
	return rows;
}

void
help_draw(struct app *a, WINDOW *w, int h, int width)
{
	size_t n;
	const struct binding *b = keymap_bindings(&n);
	int row = 0, y = 1;
	int last_top = help_rows(a) - (h - 2);

	/* Scrolling stops with the last line at the bottom. */
	if (a->help_top > (last_top > 0 ? last_top : 0))
		a->help_top = last_top > 0 ? last_top : 0;
	for (int i = 0; i < h - 1; i++)
		draw_fill(w, i, 0, width, theme_attr(ROLE_DIALOG));
	draw_text(w, 0, 0, width, " rewind keys (any other key closes; j/k "
		  "scroll) ", theme_attr(ROLE_DIALOG_TITLE));
	for (int ctx = 0; ctx < KM_COUNT && y < h - 1; ctx++) {
		if (!has_lines(a, ctx))
			continue;
		if (row++ >= a->help_top)
			draw_text(w, y++, 1, width - 2, keymap_ctx_name(ctx),
				  theme_attr(ROLE_TITLE));
		for (size_t i = 0; i < n && y < h - 1; i++) {
			char keys[64], line[256];

			if ((int)b[i].ctx != ctx || !is_shown(a, &b[i]) ||
			    listed_before(b, i))
				continue;
			if (row++ < a->help_top)
				continue;
			keys_for(b[i].ctx, b[i].act, keys, sizeof(keys));
			snprintf(line, sizeof(line), "  %-16s %s", keys,
				 uiact_help(b[i].act));
			draw_text(w, y++, 1, width - 2, line,
				  theme_attr(ROLE_DIALOG));
		}
	}
}
