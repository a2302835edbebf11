/* The keeper: a small process between the console and a step's `sh -c`
 * that waits for the command and writes how it ended (exit status or
 * signal, start and end time) to a status file beside the run's output,
 * so that a console that quit or died while the command ran does not
 * lose its outcome (nobody else can wait() for it). It is this program
 * run again in a hidden mode; it exits with the command's own status. */
#ifndef REWIND_CORE_KEEPER_H
#define REWIND_CORE_KEEPER_H

#include <stdint.h>

struct err;

/* The first argument that selects the keeper mode (argv[1]). */
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

/* Whether ARGV asks for the keeper mode. */
int keeper_is_asked(int argc, char **argv);

/* The keeper's whole life: ARGV is KEEPER_ARG STATUS_PATH WALL_OFFSET_US
 * COMMAND after the program name. Runs the command, writes its status
 * file, and returns only when the command could not be started (with the
 * exit status to use); otherwise it ends as the command ended. */
int keeper_main(int argc, char **argv);

/* Let this program's runners put a keeper before `sh -c` when a spawn
 * names a status file (only a program whose main calls keeper_main can
 * serve as its own keeper). */
void keeper_enable(void);

/* Whether keeper_enable was called. */
int keeper_is_enabled(void);

/* Read the status file PATH into ST. Returns 0, or -1 with ERR_IO when it
 * is missing or unreadable, ERR_PARSE when it is not a keeper's record. */
int keeper_read_status(const char *path, struct keeper_status *st,
		       struct err *err);

/* The status file that goes with the output cast CAST ("x.cast" gives
 * "x.status"); the caller frees it. */
char *keeper_status_path(const char *cast);

#endif
