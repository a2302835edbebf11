/* The terminal under curses, shared by the console and the replay: start
 * and stop curses mode (restored on a fatal error too), follow a resize,
 * and load the colour theme the user chose. */
#ifndef REWIND_TUI_TERM_H
#define REWIND_TUI_TERM_H

#include <stddef.h>

struct err;

/* Start curses on stdin/stdout (keypad, no echo, non-blocking keys,
 * hidden cursor; mouse clicks and wheel when MOUSE). Returns -1 when the
 * terminal cannot position the cursor. */
/* Whether standard input and output are a terminal (the console needs
 * both). */
int term_has_terminal(void);

int term_start(int mouse);

/* Leave curses mode and free the screen; harmless when not started. */
void term_stop(void);

/* Apply the window's new size (after SIGWINCH). */
void term_resize(void);

/* Load theme WANT (NULL: the one named in the user's config, else the
 * default); a warning lands in MSG (empty when none). */
void term_theme(const char *want, char *msg, size_t size);
/* Choose the zone times are shown in: REWIND_TIME, else "time = utc|local"
 * in the config file, else UTC; MSG says what was wrong with a bad value
 * (empty when none). */
void term_time_zone(char *msg, size_t size);

/* Put LEN bytes of TEXT on the terminal's clipboard with OSC 52 (the
 * text travels base64-encoded, so nothing in it reaches the terminal as
 * a control), queued in curses' own output so it cannot land inside a
 * screen update. -1 with ERR when TEXT is too long or curses is not on. */
int term_clipboard(const char *text, size_t len, struct err *err);

#endif
