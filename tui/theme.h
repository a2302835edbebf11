/* The active colour theme on the terminal: colour pairs and attributes for
 * each semantic role, monochrome under NO_COLOR or without colours, and
 * switching themes at run time. The only module that touches colour pairs. */
#ifndef REWIND_TUI_THEME_H
#define REWIND_TUI_THEME_H

#include <stddef.h>

#include "theme_file.h"

/* After initscr()/newterm(): choose colour or mono (NO_COLOR set and
 * non-empty, or no colours), start colours and load theme NAME (NULL: the
 * compiled-in default) from the theme_dirs_new() search path. The first
 * warning, or "not found", goes into MSG (empty otherwise) and the default
 * fills in what could not be used. Returns 0, or -1 with the theme still
 * usable. */
int theme_init(const char *name, char *msg, size_t msgsize);

/* Load theme NAME (NULL: the default) as theme_init does and redefine the
 * colour pairs; the caller then redraws every pane. Same MSG and result as
 * theme_init; a theme that can't be found leaves the default in place. */
int theme_switch(const char *name, char *msg, size_t msgsize);

/* The curses attributes of ROLE (an attr_t: COLOR_PAIR(n) | A_BOLD ...,
 * attributes alone in mono); A_NORMAL before theme_init or for an unknown
 * role. */
int theme_attr(enum theme_role role);

/* The attributes of ROLE restyled by a command's own SGR: ROLE's plus
 * ATTRS (THEME_BOLD ...), in FG on BG (NULL or "default": ROLE's colour)
 * scaled to the terminal. Mono (NO_COLOR, no colours, a mono theme) keeps
 * ROLE's attributes plus ATTRS; so does running out of the small cache of
 * colour pairs (refilled by each theme switch). Never fails. */
int theme_attr_sgr(enum theme_role role, unsigned attrs,
		   const struct theme_color *fg, const struct theme_color *bg);

/* The active theme's name as asked for ("dark", "mono", "light", a path);
 * borrowed until the next theme_switch. */
const char *theme_name(void);

/* Whether only attributes are in use (NO_COLOR, no colours, a mono theme). */
int theme_is_mono(void);

/* Release the active theme (after endwin()); theme_attr then gives
 * A_NORMAL until the next theme_init. */
void theme_end(void);

#endif
