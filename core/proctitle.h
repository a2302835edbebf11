/* The title a process shows in ps and top. A console's drainer (the
 * process that goes on saving a command's output after its console has
 * quit) is a fork of the console: without a title of its own it would be
 * listed with the console's command line, as if the console still ran. */
#ifndef REWIND_CORE_PROCTITLE_H
#define REWIND_CORE_PROCTITLE_H

/* Remember where the program's arguments live (call once, from main,
 * before anything changes ARGV). */
void proctitle_init(int argc, char **argv);

/* Show TITLE as this process's command line (cut to the room the
 * arguments had) and NAME as its short name (ps -o comm, top; cut to 15
 * bytes). Without proctitle_init only the short name changes. */
void proctitle_set(const char *name, const char *title);

#endif
