/* The replay console (`rewind replay SESSION`): the live console's panes
 * rebuilt from the journal at any event, with play/pause, speed, stepping,
 * jumps between markers, search, seek to a time and a timeline bar. */
#ifndef REWIND_TUI_REPLAY_UI_H
#define REWIND_TUI_REPLAY_UI_H

/* Run the replay console on the session in DIR with colour theme THEME
 * (NULL: configured or default); returns an exit status from cli.h. */
int replay_console(const char *dir, const char *theme);

#endif
