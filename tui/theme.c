/* The curses half of theming: turns a struct theme into colour pairs and
 * attributes for the terminal at hand, and is the only caller of
 * start_color/init_pair/COLOR_PAIR. */
#include "config.h"
#include "theme.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "theme_file.h"
#include "xalloc.h"

#define MAX_PAIRS 255		/* COLOR_PAIR() keeps 8 bits of a chtype */
#define SGR_PAIRS 64		/* pairs for command output's own colours */

static struct {
	struct theme theme;
	int attrs[ROLE_COUNT];
	int forced_mono;	/* NO_COLOR, or a terminal without colours */
	int started;		/* start_color() done */
	int has_default;	/* use_default_colors() worked: -1 is usable */
	int n_colors;
} cur;

struct pair_table {
	int fg[MAX_PAIRS + 1];
	int bg[MAX_PAIRS + 1];
	int n;			/* pairs 1..n are defined */
	int max;
};

/* The roles' pairs, then up to SGR_PAIRS more for theme_attr_sgr. */
static struct pair_table pairs;

/* The first message for the status bar, and how many there were. */
struct report {
	char *msg;
	size_t size;
	int n;
};

static void report_add(struct report *rep, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
report_add(struct report *rep, const char *fmt, ...)
{
	va_list ap;

	if (rep->n++ > 0 || !rep->msg || rep->size == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(rep->msg, rep->size, fmt, ap);
	va_end(ap);
}

static void
on_warning(const char *msg, void *arg)
{
	report_add(arg, "%s", msg);
}

static void
report_finish(struct report *rep)
{
	size_t len;

	if (rep->n < 2 || !rep->msg || rep->size == 0)
		return;
	len = strlen(rep->msg);
	snprintf(rep->msg + len, rep->size - len, " (+%d more)", rep->n - 1);
}

static attr_t
curses_attrs(unsigned bits)
{
	attr_t a = A_NORMAL;

	if (bits & THEME_BOLD)
		a |= A_BOLD;
	if (bits & THEME_DIM)
		a |= A_DIM;
	if (bits & THEME_UNDERLINE)
		a |= A_UNDERLINE;
	if (bits & THEME_REVERSE)
		a |= A_REVERSE;
	if (bits & THEME_BLINK)
		a |= A_BLINK;
#ifdef A_ITALIC
	if (bits & THEME_ITALIC)
		a |= A_ITALIC;
#endif
	return a;
}

static int
set_pair(int pair, int fg, int bg)
{
#ifdef NCURSES_EXT_COLORS
	return init_extended_pair(pair, fg, bg);
#else
	return init_pair((short)pair, (short)fg, (short)bg);
#endif
}

/* The pair for FG on BG, defining it on first use; pair 0 (the terminal's
 * colours) once the terminal has no pairs left. */
static int
pair_for(struct pair_table *pt, int fg, int bg)
{
	for (int i = 1; i <= pt->n; i++) {
		if (pt->fg[i] == fg && pt->bg[i] == bg)
			return i;
	}
	if (pt->n >= pt->max || set_pair(pt->n + 1, fg, bg) == ERR)
		return 0;
	pt->n++;
	pt->fg[pt->n] = fg;
	pt->bg[pt->n] = bg;
	return pt->n;
}

static int
color_attrs(const struct theme_style *s, struct pair_table *pt)
{
	int fg = theme_color_to_index(&s->fg, cur.n_colors);
	int bg = theme_color_to_index(&s->bg, cur.n_colors);
	attr_t a = curses_attrs(s->attrs);

	/* Eight-colour terminals show the bright half through bold. */
	if (cur.n_colors < 16 && theme_color_to_index(&s->fg, 16) > 8)
		a |= A_BOLD;
	/* Two colours that scaled down to one would hide the text. */
	if (fg == bg && fg >= 0)
		bg = -1;
	if (fg < 0 && bg < 0)
		return (int)a;
	if (!cur.has_default) {
		fg = fg < 0 ? COLOR_WHITE : fg;
		bg = bg < 0 ? COLOR_BLACK : bg;
		if (fg == bg)
			fg = bg == COLOR_WHITE ? COLOR_BLACK : COLOR_WHITE;
	}
	return (int)(a | COLOR_PAIR(pair_for(pt, fg, bg)));
}

/* Make NEXT the active theme (taking its name) and recompute every role. */
static void
apply(struct theme *next)
{
	struct pair_table *pt = &pairs;
	int use_color = cur.started && !cur.forced_mono && !next->mono;

	theme_done(&cur.theme);
	cur.theme = *next;
	memset(next, 0, sizeof(*next));
	pt->n = 0;
	pt->max = COLOR_PAIRS - 1 < MAX_PAIRS ? COLOR_PAIRS - 1 : MAX_PAIRS;
	for (int r = 0; r < ROLE_COUNT; r++) {
		const struct theme_style *s = &cur.theme.styles[r];

		cur.attrs[r] = use_color ? color_attrs(s, pt)
					 : (int)curses_attrs(s->attrs);
	}
	if (pt->max > pt->n + SGR_PAIRS)
		pt->max = pt->n + SGR_PAIRS;
}

static void
fresh_defaults(struct theme *t)
{
	if (cur.forced_mono || !cur.started)
		theme_defaults_mono(t);
	else
		theme_defaults(t);
}

/* Load NAME over the defaults in *T. Under forced mono only a mono theme is
 * taken: NO_COLOR means no colour whatever the config says. */
static int
load_named(struct theme *t, const char *name, struct report *rep)
{
	char **dirs = theme_dirs_new();
	char *path = theme_find_file(name, (const char *const *)dirs);
	struct theme loaded = { 0 };
	int n;

	theme_dirs_free(dirs);
	if (!path) {
		report_add(rep, "theme \"%s\" not found", name);
		return -1;
	}
	/* From the colour default even under forced mono, so loaded.mono
	 * tells whether the file itself has a "mono" line. */
	theme_defaults(&loaded);
	n = theme_load_file(&loaded, path, on_warning, rep);
	free(path);
	if (n < 0 || (cur.forced_mono && !loaded.mono)) {
		theme_done(&loaded);
		return n < 0 ? -1 : 0;
	}
	free(loaded.name);
	loaded.name = xstrdup(name);
	theme_done(t);
	*t = loaded;
	return n == 0 ? 0 : -1;
}

int
theme_switch(const char *name, char *msg, size_t msgsize)
{
	struct theme next = { 0 };
	struct report rep = { msg, msgsize, 0 };
	int rc = 0;

	if (msg && msgsize)
		msg[0] = '\0';
	fresh_defaults(&next);
	if (name && *name)
		rc = load_named(&next, name, &rep);
	report_finish(&rep);
	apply(&next);
	return rc;
}

int
theme_init(const char *name, char *msg, size_t msgsize)
{
	const char *no_color = getenv("NO_COLOR");

	/* ncurses itself ignores NO_COLOR (https://no-color.org). */
	cur.forced_mono = (no_color && *no_color) || !has_colors();
	if (!cur.forced_mono && !cur.started) {
		if (start_color() == OK) {
			cur.started = 1;
			cur.has_default = use_default_colors() == OK;
		}
	}
	if (!cur.started || COLORS < 8 || COLOR_PAIRS < 2)
		cur.forced_mono = 1;
	cur.n_colors = COLORS;
#ifndef NCURSES_EXT_COLORS
	if (cur.n_colors > 256)
		cur.n_colors = 256;
#endif
	return theme_switch(name, msg, msgsize);
}

int
theme_attr(enum theme_role role)
{
	if ((int)role < 0 || role >= ROLE_COUNT)
		return A_NORMAL;
	return cur.attrs[role];
}

int
theme_attr_sgr(enum theme_role role, unsigned attrs,
	       const struct theme_color *fg, const struct theme_color *bg)
{
	struct theme_style s;
	int a;

	if ((int)role < 0 || role >= ROLE_COUNT)
		return A_NORMAL;
	if (theme_is_mono())
		return cur.attrs[role] | (int)curses_attrs(attrs);
	s = cur.theme.styles[role];
	s.attrs |= attrs;
	if (fg && fg->kind != THEME_COLOR_DEFAULT)
		s.fg = *fg;
	if (bg && bg->kind != THEME_COLOR_DEFAULT)
		s.bg = *bg;
	a = color_attrs(&s, &pairs);
	/* No pair left (or none needed): the role's own colours. */
	if (PAIR_NUMBER(a) == 0)
		return cur.attrs[role] | (int)curses_attrs(attrs);
	return a;
}

const char *
theme_name(void)
{
	return cur.theme.name ? cur.theme.name : "mono";
}

int
theme_is_mono(void)
{
	return !cur.started || cur.forced_mono || cur.theme.mono;
}

void
theme_end(void)
{
	theme_done(&cur.theme);
	memset(&cur, 0, sizeof(cur));
}
