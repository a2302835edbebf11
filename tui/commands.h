/* Sub-commands with their own option parsing (import, report, replay,
 * watch...): each takes the whole command line after "rewind" and returns
 * an exit status from cli.h. */
#ifndef REWIND_TUI_COMMANDS_H
#define REWIND_TUI_COMMANDS_H

struct command {
	const char *name;
	const char *usage;	/* e.g. "report SESSION", for `rewind --help` */
	const char *summary;	/* what it does, one short line */
	int (*main)(int argc, char **argv);	/* argv[0] is the name */
};

/* rewind import (tui/cmd_import.c) and rewind report (tui/cmd_report.c). */
int cmd_import(int argc, char **argv);
int cmd_report(int argc, char **argv);

/* rewind replay and rewind watch (tui/cmd_replay.c). */
int cmd_replay(int argc, char **argv);
int cmd_watch(int argc, char **argv);

/* rewind sessions (tui/cmd_sessions.c). */
int cmd_sessions(int argc, char **argv);

/* rewind handover (tui/cmd_handover.c). */
int cmd_handover(int argc, char **argv);

struct session;

/* What successor TO types to take session S ("rewind drill --take
 * REMOTE#SESSION --operator TO"), unsanitized; caller frees. */
char *handover_take_line(const struct session *s, const char *to);

/* The command named NAME, or NULL. */
const struct command *command_find(const char *name);

/* The table, ended by an entry with a NULL name. */
extern const struct command commands_table[];

#endif
