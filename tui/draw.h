/* Drawing untrusted text safely: sanitized, UTF-8 aware, clipped to a
 * number of screen columns (wide characters count two, combining marks
 * none). */
#ifndef REWIND_TUI_DRAW_H
#define REWIND_TUI_DRAW_H

#include <stddef.h>

struct _win_st;

/* Whether line-drawing glyphs may be UTF-8 (else ASCII fallbacks). */
int draw_utf8(void);

/* Pick a glyph: the UTF-8 form when the locale allows, else ASCII. */
const char *draw_glyph(const char *utf8, const char *ascii);

/* Draw TEXT (any bytes; control characters become visible) at Y, X with
 * ATTR, using at most WIDTH columns; returns the columns used. */
int draw_text(struct _win_st *w, int y, int x, int width, const char *text,
	      int attr);

/* draw_text for a title: one that does not fit in WIDTH ends with an
 * ellipsis (… or ~), so a cut title never reads as whole. */
int draw_title(struct _win_st *w, int y, int x, int width, const char *text,
	       int attr);

/* Draw the LEN bytes of TEXT as draw_text does, at W's cursor, in at most
 * WIDTH columns; returns the columns used and sets *CUT (which the caller
 * clears) when a character did not fit. */
int draw_span(struct _win_st *w, const char *text, size_t len, int width,
	      int attr, int *cut);

/* Fill WIDTH columns at Y, X with blanks in ATTR. */
void draw_fill(struct _win_st *w, int y, int x, int width, int attr);

/* Draw TEXT wrapped at WIDTH columns (breaking at blanks where it can,
 * and at newlines) on at most ROWS rows from Y, X; returns rows used. */
int draw_wrapped(struct _win_st *w, int y, int x, int width, int rows,
		 const char *text, int attr);

/* Where draw_wrapped breaks TEXT's first row of WIDTH columns: the bytes
 * that go on it, ending before a newline (0 when TEXT starts with one),
 * else at least one character. */
size_t draw_wrap_point(const char *text, int width);

/* Display width of TEXT after sanitizing. */
int draw_width(const char *text);

#endif
