/* Command output on screen: its own SGR colours and attributes re-rendered
 * through the theme, every other byte drawn as draw.c draws text. */
#ifndef REWIND_TUI_SGRDRAW_H
#define REWIND_TUI_SGRDRAW_H

#include "theme_file.h"

struct _win_st;

/* Draw one line of command output at Y, X in at most WIDTH columns, as
 * draw_text does in ROLE's style, except that its SGR sequences (see
 * sgr_parse) take no columns and restyle the text after them on top of
 * ROLE (theme_attr_sgr). A line without ESC goes straight to draw_text.
 * Returns the columns used. */
int sgrdraw_line(struct _win_st *w, int y, int x, int width, const char *text,
		 enum theme_role role);

/* The same in one ATTR: the SGR sequences are left out and restyle
 * nothing (a highlighted search hit). */
int sgrdraw_plain(struct _win_st *w, int y, int x, int width,
		  const char *text, int attr);

/* Command output TEXT (lines split at newlines) wrapped as draw_wrapped
 * wraps it, on at most ROWS rows from Y, X; each line styled as
 * sgrdraw_line styles it (a style ends with its line). Returns rows used. */
int sgrdraw_wrapped(struct _win_st *w, int y, int x, int width, int rows,
		    const char *text, enum theme_role role);

#endif
