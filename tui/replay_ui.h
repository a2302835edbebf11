/* The replay console (`rewind replay SESSION`): the live console's panes
 * rebuilt from the journal at any event, with play/pause, speed, stepping,
 * jumps between markers, search, seek to a time and a timeline bar; and
 * the journalled answers `rewind watch` shows in its Tags and Registry
 * tabs. */
#ifndef REWIND_TUI_REPLAY_UI_H
#define REWIND_TUI_REPLAY_UI_H

struct app;

/* Run the replay console on the session in DIR with colour theme THEME
 * (NULL: configured or default); returns an exit status from cli.h. */
int replay_console(const char *dir, const char *theme);

/* rewind watch: the Tags and Registry tabs show the answers the watched
 * session journals. Open A->replay on A->session's directory (left NULL,
 * the reason in the status line, when it cannot be read); follow what
 * was appended since (A is marked dirty when something was); free it. */
void replay_watch_open(struct app *a);
void replay_watch_poll(struct app *a);
void replay_watch_close(struct app *a);

#endif
