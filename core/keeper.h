/* The keeper: a small process between the console and a step's `sh -c`
 * that waits for the command and writes how it ended (exit status or
 * signal, start and end time) to a status file beside the run's output,
 * so that a console that quit or died while the command ran does not
 * lose its outcome (nobody else can wait() for it). It is a program of
 * its own, rewind-keep (keeper_main.c), installed in rewind's libexec
 * folder and linking only the C library, so it starts in about a
 * millisecond; it exits with the command's own status. */
#ifndef REWIND_CORE_KEEPER_H
#define REWIND_CORE_KEEPER_H

#include <stdint.h>

struct err;

/* The keeper program's file name (and its name in ps). */
#define KEEPER_PROGRAM "rewind-keep"

/* Its first argument, which says a runner started it (argv[1]). */
#define KEEPER_ARG "--rewind-internal-keeper"

/* The descriptor on which the keeper writes the command's pid, once. */
#define KEEPER_PID_FD 3

/* What a status file says. */
struct keeper_status {
	long pid;		/* the command's (sh's) pid */
	long keeper_pid;
	int exit_code;		/* -1 when a signal ended it */
	int term_signal;	/* 0 when it exited */
	int64_t started_us;	/* wall clock, on the console's time line */
	int64_t ended_us;
	int64_t duration_us;	/* monotonic */
};

/* Where the keeper program is for the program EXE (a path, or NULL): the
 * rewind-keep beside it when there is one (a build tree), else the one
 * installed in rewind's libexec folder. The caller frees it. */
char *keeper_find(const char *exe);

/* keeper_find for the program running (/proc/self/exe). */
char *keeper_find_for_self(void);

/* Let this program's runners put the keeper PROGRAM (copied; NULL turns
 * it off) before `sh -c` when a spawn names a status file. A spawn fails
 * when PROGRAM cannot be started. */
void keeper_enable(const char *program);

/* The program keeper_enable named (borrowed), or NULL. */
const char *keeper_program(void);

/* Whether keeper_enable named a program. */
int keeper_is_enabled(void);

/* Read the status file PATH into ST. Returns 0, or -1 with ERR_IO when it
 * is missing or unreadable, ERR_PARSE when it is not a keeper's record. */
int keeper_read_status(const char *path, struct keeper_status *st,
		       struct err *err);

/* The status file that goes with the output cast CAST ("x.cast" gives
 * "x.status"); the caller frees it. */
char *keeper_status_path(const char *cast);

#endif
