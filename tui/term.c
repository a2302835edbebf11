/* The terminal under curses (see term.h). */
#include "config.h"
#include "term.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <term.h>
#include <unistd.h>

#include "err.h"
#include "osc52.h"
#include "theme.h"
#include "theme_file.h"
#include "timefmt.h"
#include "xalloc.h"

static SCREEN *screen;

static void
restore_terminal(void)
{
	if (screen && !isendwin())
		endwin();
}

static int
terminal_usable(void)
{
	const char *cup = tigetstr("cup");

	return cup && cup != (char *)-1;
}

int
term_has_terminal(void)
{
	return isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
}

int
term_start(int mouse)
{
	/* Into a pipe the console would draw for no one, reading an input
	 * that is never a key (and spin on its end). */
	if (!term_has_terminal())
		return -1;
	screen = newterm(NULL, stdout, stdin);
	if (!screen)
		return -1;
	if (!terminal_usable()) {
		term_stop();
		return -1;
	}
	fatal_set_hook(restore_terminal);
	set_escdelay(25);
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	if (mouse) {
		mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED |
			  BUTTON5_PRESSED, NULL);
		mouseinterval(0);
	}
	return 0;
}

void
term_stop(void)
{
	if (!screen)
		return;
	endwin();
	delscreen(screen);
	screen = NULL;
	fatal_set_hook(NULL);
}

void
term_resize(void)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
}

void
term_theme(const char *want, char *msg, size_t size)
{
	char name[128];

	msg[0] = '\0';
	if (!want && theme_config_name(name, sizeof(name)))
		want = name;
	theme_init(want, msg, size);
}

void
term_time_zone(char *msg, size_t size)
{
	const char *env = getenv("REWIND_TIME");
	char conf[16];
	const char *want = env && *env ? env
		: config_value("time", conf, sizeof(conf)) ? conf : NULL;

	msg[0] = '\0';
	if (want && timefmt_choose(want) < 0)
		snprintf(msg, size, "%s: time zone \"%.16s\" is neither utc "
			 "nor local; showing UTC", env && *env ? "REWIND_TIME"
			 : "config", want);
}

int
term_clipboard(const char *text, size_t len, struct err *err)
{
	char *seq;

	if (!screen || isendwin())
		return err_set(err, ERR_STATE, "no terminal to copy to");
	seq = osc52_encode(text, len);
	if (!seq)
		return err_set(err, ERR_INVALID, "the text is too long for the "
			       "clipboard (over %d bytes)", OSC52_MAX_TEXT);
	/* Curses writes its frames from its own buffer and putp goes
	 * through stdio: send the pending frame first, so the sequence
	 * lands between two frames, never inside one. */
	doupdate();
	putp(seq);
	fflush(stdout);
	free(seq);
	return 0;
}
