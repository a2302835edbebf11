/* Text output for every pane: one sanitizer, one clipping rule. */
#include "config.h"
#include "draw.h"

#include <curses.h>
#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "sanitize.h"

int
draw_utf8(void)
{
	static int cached = -1;

	if (cached < 0) {
		const char *cs = nl_langinfo(CODESET);

		cached = cs && (strcmp(cs, "UTF-8") == 0 ||
				strcmp(cs, "utf8") == 0);
	}
	return cached;
}

const char *
draw_glyph(const char *utf8, const char *ascii)
{
	return draw_utf8() ? utf8 : ascii;
}

/* Walk the LEN bytes of TEXT sanitized, drawing (when W) each character
 * that fits WIDTH; *CUT (when not NULL) tells whether one did not fit. */
static int
walk(const char *text, size_t len, int width, WINDOW *w, int attr, int *cut)
{
	char *safe = sanitize_text(text, len);
	mbstate_t st;
	const char *p = safe, *end = safe + strlen(safe);
	int used = 0;

	memset(&st, 0, sizeof(st));
	if (w)
		wattrset(w, attr);
	while (p < end) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, p, (size_t)(end - p), &st);
		int cw;

		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			/* Not decodable in this locale: show a placeholder. */
			wc = L'?';
			n = 1;
			memset(&st, 0, sizeof(st));
		}
		cw = wcwidth(wc);
		if (cw < 0)
			cw = 1, wc = L'?';
		if (used + cw > width) {
			if (cut)
				*cut = 1;
			break;
		}
		if (w)
			waddnwstr(w, &wc, 1);
		used += cw;
		p += n;
	}
	free(safe);
	return used;
}

int
draw_text(WINDOW *w, int y, int x, int width, const char *text, int attr)
{
	if (width <= 0 || !text)
		return 0;
	wmove(w, y, x);
	return walk(text, strlen(text), width, w, attr, NULL);
}

int
draw_title(WINDOW *w, int y, int x, int width, const char *text, int attr)
{
	int used;

	if (width <= 0 || !text)
		return 0;
	if (draw_width(text) <= width)
		return draw_text(w, y, x, width, text, attr);
	used = draw_text(w, y, x, width - 1, text, attr);
	return used + draw_text(w, y, x + used, 1, draw_glyph("\u2026", "~"),
				attr);
}

int
draw_span(WINDOW *w, const char *text, size_t len, int width, int attr,
	  int *cut)
{
	/* Width 0 still takes the combining marks that end a span. */
	return walk(text, len, width < 0 ? 0 : width, w, attr, cut);
}

void
draw_fill(WINDOW *w, int y, int x, int width, int attr)
{
	wattrset(w, attr);
	for (int i = 0; i < width; i++)
		mvwaddch(w, y, x + i, ' ');
}

int
draw_width(const char *text)
{
	return walk(text, strlen(text), 1 << 30, NULL, 0, NULL);
}

/* Columns that fit of TEXT's first N bytes' worth: the byte length of the
 * longest prefix of TEXT (up to a newline) that fits WIDTH columns,
 * preferring to break after a blank. */
static size_t
fit_prefix(const char *text, int width)
{
	size_t best_blank = 0, i = 0, len = strcspn(text, "\n");
	int used = 0;
	mbstate_t st;

	memset(&st, 0, sizeof(st));
	while (i < len) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, text + i, len - i, &st);
		int cw;

		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			n = 1;
			cw = 4;	/* shown as \xNN */
			memset(&st, 0, sizeof(st));
		} else {
			cw = wcwidth(wc) < 0 ? 2 : wcwidth(wc);
		}
		if (used + cw > width)
			return best_blank ? best_blank : (i ? i : n);
		if (text[i] == ' ')
			best_blank = i + 1;
		used += cw;
		i += n;
	}
	return i;
}

size_t
draw_wrap_point(const char *text, int width)
{
	return fit_prefix(text, width);
}

int
draw_wrapped(WINDOW *w, int y, int x, int width, int rows, const char *text,
	     int attr)
{
	int used = 0;
	const char *p = text;

	while (p && *p && used < rows && width > 0) {
		size_t n = fit_prefix(p, width);

		wmove(w, y + used, x);
		draw_span(w, p, n, width, attr, NULL);
		used++;
		p += n;
		if (*p == '\n')
			p++;
	}
	return used;
}
