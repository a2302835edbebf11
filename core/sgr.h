/* The SGR sequences (ESC [ params m) in a line of command output, read
 * without curses: the line is split into runs of text, each with the style
 * the sequences before it set. Anything else stays text for the sanitizer. */
#ifndef REWIND_CORE_SGR_H
#define REWIND_CORE_SGR_H

#include <stddef.h>

/* Style flags. */
#define SGR_BOLD 0x01u
#define SGR_DIM 0x02u
#define SGR_ITALIC 0x04u
#define SGR_UNDERLINE 0x08u
#define SGR_REVERSE 0x10u

/* Numbers in one sequence past which it is absurd and stays visible text;
 * with at most three digits a number, a sequence is at most 65 bytes. */
#define SGR_MAX_PARAMS 16

enum sgr_color_kind {
	SGR_COLOR_DEFAULT,	/* none set, or 39 / 49: the pane's own */
	SGR_COLOR_INDEXED,	/* 0-255: 30-37 give 0-7, 90-97 give 8-15 */
	SGR_COLOR_RGB,		/* value 0xrrggbb (38;2;R;G;B) */
};

struct sgr_color {
	int kind;		/* enum sgr_color_kind */
	int value;
};

struct sgr_style {
	unsigned flags;		/* SGR_BOLD | ... */
	struct sgr_color fg, bg;
};

/* TEXT[off, off + len) of the line, drawn in STYLE. */
struct sgr_run {
	size_t off, len;
	struct sgr_style style;
};

/* Walks a line run by run; see sgr_iter_init. */
struct sgr_iter {
	const char *text;
	size_t len, pos;
	struct sgr_style style;
};

/* The length of the SGR sequence at the start of the LEN bytes of TEXT,
 * applied to *STYLE; 0, with *STYLE untouched, when TEXT does not start
 * with one we take: any other escape, private or intermediate bytes, ':'
 * sub-parameters, a truncated sequence, more than SGR_MAX_PARAMS numbers, a
 * number of more than three digits or above 255, a code above 107, or a
 * 38/48/58
 * without a complete ;5;N or ;2;R;G;B. Codes 0-107 we do not draw (blink,
 * conceal, strike...) are taken and ignored. */
size_t sgr_parse(const char *text, size_t len, struct sgr_style *style);

/* Start walking the LEN bytes of TEXT (borrowed) in the default style. */
void sgr_iter_init(struct sgr_iter *it, const char *text, size_t len);

/* The next non-empty run of text into *RUN: 1, or 0 at the end. Runs
 * never hold an SGR sequence sgr_parse takes; every other byte is in
 * exactly one run. */
int sgr_iter_next(struct sgr_iter *it, struct sgr_run *run);

/* TEXT without its SGR sequences, as a new string (caller frees); never
 * NULL. */
char *sgr_strip(const char *text);

/* Whether TEXT as shown (its SGR sequences left out) contains NEEDLE; a
 * TEXT without ESC is a plain strstr. */
int sgr_contains(const char *text, const char *needle);

#endif
