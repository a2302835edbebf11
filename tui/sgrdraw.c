/* Drawing command output with its SGR styles: core/sgr.c splits a line into
 * runs, theme.c turns each run's style into attributes, draw.c draws each
 * run sanitized and clipped. The sequences themselves are never drawn. */
#include "config.h"
#include "sgrdraw.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "sgr.h"
#include "strbuf.h"
#include "theme.h"
#include "xalloc.h"

#define ESC '\033'

/* How a run's style becomes attributes: ROLE restyled, or ATTR alone. */
struct paint {
	enum theme_role role;
	int attr;
	int styled;
};

/* A line as shown (its SGR sequences left out) and where each style
 * starts in it. */
struct shown {
	struct strbuf text;
	struct styled {
		size_t at;
		struct sgr_style style;
	} *v;
	size_t n;
};

static unsigned
theme_bits(unsigned flags)
{
	unsigned bits = 0;

	if (flags & SGR_BOLD)
		bits |= THEME_BOLD;
	if (flags & SGR_DIM)
		bits |= THEME_DIM;
	if (flags & SGR_ITALIC)
		bits |= THEME_ITALIC;
	if (flags & SGR_UNDERLINE)
		bits |= THEME_UNDERLINE;
	if (flags & SGR_REVERSE)
		bits |= THEME_REVERSE;
	return bits;
}

static struct theme_color
theme_color_of(const struct sgr_color *c)
{
	struct theme_color tc = { THEME_COLOR_DEFAULT, 0 };

	if (c->kind == SGR_COLOR_INDEXED)
		tc.kind = THEME_COLOR_INDEXED;
	else if (c->kind == SGR_COLOR_RGB)
		tc.kind = THEME_COLOR_RGB;
	tc.value = c->value;
	return tc;
}

static int
run_attr(const struct paint *pt, const struct sgr_style *st)
{
	struct theme_color fg, bg;

	if (!pt->styled)
		return pt->attr;
	if (!st->flags && st->fg.kind == SGR_COLOR_DEFAULT &&
	    st->bg.kind == SGR_COLOR_DEFAULT)
		return theme_attr(pt->role);
	fg = theme_color_of(&st->fg);
	bg = theme_color_of(&st->bg);
	return theme_attr_sgr(pt->role, theme_bits(st->flags), &fg, &bg);
}

/* Draw TEXT's runs from Y, X; once a character does not fit, nothing
 * after it is drawn, as in draw_text. */
static int
draw_runs(WINDOW *w, int y, int x, int width, const char *text,
	  const struct paint *pt)
{
	struct sgr_iter it;
	struct sgr_run run;
	int used = 0, cut = 0;

	wmove(w, y, x);
	sgr_iter_init(&it, text, strlen(text));
	while (!cut && sgr_iter_next(&it, &run))
		used += draw_span(w, text + run.off, run.len, width - used,
				  run_attr(pt, &run.style), &cut);
	return used;
}

int
sgrdraw_line(WINDOW *w, int y, int x, int width, const char *text,
	     enum theme_role role)
{
	struct paint pt = { role, 0, 1 };

	if (width <= 0 || !text)
		return 0;
	if (!strchr(text, ESC))
		return draw_text(w, y, x, width, text, theme_attr(role));
	return draw_runs(w, y, x, width, text, &pt);
}

int
sgrdraw_plain(WINDOW *w, int y, int x, int width, const char *text, int attr)
{
	struct paint pt = { ROLE_NORMAL, attr, 0 };

	if (width <= 0 || !text)
		return 0;
	if (!strchr(text, ESC))
		return draw_text(w, y, x, width, text, attr);
	return draw_runs(w, y, x, width, text, &pt);
}

static void
shown_init(struct shown *sh, const char *line, size_t len)
{
	struct sgr_iter it;
	struct sgr_run run;

	memset(sh, 0, sizeof(*sh));
	sgr_iter_init(&it, line, len);
	while (sgr_iter_next(&it, &run)) {
		sh->v = xrealloc(sh->v, (sh->n + 1) * sizeof(*sh->v));
		sh->v[sh->n].at = sh->text.len;
		sh->v[sh->n++].style = run.style;
		strbuf_add(&sh->text, line + run.off, run.len);
	}
}

static void
shown_done(struct shown *sh)
{
	strbuf_done(&sh->text);
	free(sh->v);
	sh->v = NULL;
	sh->n = 0;
}

/* Draw bytes [A, B) of the shown line at Y, X, each in its style. */
static void
draw_shown(WINDOW *w, int y, int x, int width, const struct shown *sh,
	   size_t a, size_t b, const struct paint *pt)
{
	int used = 0, cut = 0;

	wmove(w, y, x);
	for (size_t i = 0; i < sh->n && !cut; i++) {
		size_t lo = sh->v[i].at;
		size_t hi = i + 1 < sh->n ? sh->v[i + 1].at : sh->text.len;

		if (hi <= a || lo >= b)
			continue;
		lo = lo > a ? lo : a;
		hi = hi < b ? hi : b;
		used += draw_span(w, sh->text.buf + lo, hi - lo, width - used,
				  run_attr(pt, &sh->v[i].style), &cut);
	}
}

/* One line of LEN bytes (no newline) wrapped on at most ROWS rows; an
 * empty line takes one row, as in draw_wrapped. Returns rows used. */
static int
wrap_line(WINDOW *w, int y, int x, int width, int rows, const char *line,
	  size_t len, const struct paint *pt)
{
	struct shown sh;
	size_t a = 0;
	int used = 0;

	shown_init(&sh, line, len);
	do {
		size_t n = sh.text.len ? draw_wrap_point(sh.text.buf + a, width)
				       : 0;

		draw_shown(w, y + used, x, width, &sh, a, a + n, pt);
		used++;
		a += n;
	} while (a < sh.text.len && used < rows);
	shown_done(&sh);
	return used;
}

int
sgrdraw_wrapped(WINDOW *w, int y, int x, int width, int rows,
		const char *text, enum theme_role role)
{
	struct paint pt = { role, 0, 1 };
	const char *p = text;
	int used = 0;

	if (!text)
		return 0;
	if (!strchr(text, ESC))
		return draw_wrapped(w, y, x, width, rows, text,
				    theme_attr(role));
	while (*p && used < rows && width > 0) {
		size_t len = strcspn(p, "\n");

		used += wrap_line(w, y + used, x, width, rows - used, p, len,
				  &pt);
		p += len;
		if (*p == '\n')
			p++;
	}
	return used;
}
