/* Test hooks, read only here: REWIND_TEST_NOW fixes the wall clock's
 * starting point, REWIND_TEST_IDLE names a file whose counter rises each
 * time the program goes idle (screen tests wait on it). */
#ifndef REWIND_CORE_TESTHOOK_H
#define REWIND_CORE_TESTHOOK_H

struct clock;
struct err;

/* If REWIND_TEST_NOW is set (RFC 3339 time or seconds since the epoch),
 * initialise C as a clock starting then and return 1; return 0 when it is
 * unset, -1 with ERR_INVALID when it is malformed. */
int testhook_clock(struct clock *c, struct err *err);

/* Whether any test hook is active (shown as TEST MODE, journalled). */
int testhook_active(void);

/* Bump the REWIND_TEST_IDLE counter, if that hook is set. */
void testhook_idle(void);

/* REWIND_TEST_DRILL_PACE: 1 makes drills stream simulated output over its
 * duration even in batch or test mode, 0 shows it at once; -1 when unset
 * (or anything else). */
int testhook_drill_pace(void);

/* REWIND_TEST_SPAWN_LOG names a file to which every child process the
 * program starts appends one line: "CWD<TAB>COMMAND" (CWD "." when
 * inherited). Call just before fork(); failures are ignored. */
void testhook_spawned(const char *cwd, const char *command);

/* REWIND_TEST_FRAME_LOG names a file that gets, once, the wall-clock time
 * in nanoseconds since the epoch at which the first complete frame was
 * handed to the terminal (make bench reads it); REWIND_TEST_FRAMES names a
 * file whose counter rises with each frame drawn (screen tests count
 * redraws with it). Call after each frame. */
void testhook_frame_drawn(void);

#endif
