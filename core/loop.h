/* The one event loop: a single poll() over every file descriptor (stdin,
 * child pipes, sockets, the signal self-pipe) with timers on the
 * monotonic clock. Callbacks never block. */
#ifndef REWIND_CORE_LOOP_H
#define REWIND_CORE_LOOP_H

#include <stdint.h>

struct clock;
struct err;
struct loop;

enum {
	LOOP_READ = 1 << 0,
	LOOP_WRITE = 1 << 1,
};

/* FD is ready: EVENTS holds LOOP_READ/LOOP_WRITE; hangup and error are
 * reported as LOOP_READ so the callback's read() sees EOF or the error. */
typedef void (*loop_fd_cb)(int fd, int events, void *arg);
/* A timer fired; it is already removed (re-add to repeat). */
typedef void (*loop_timer_cb)(void *arg);
/* A signal arrived (delivered from the loop, not from the handler). */
typedef void (*loop_signal_cb)(int signo, void *arg);

/* Create a loop reading time from CLK (borrowed; NULL = system clock).
 * Caller frees with loop_free. */
struct loop *loop_new(const struct clock *clk);

/* Free L and everything it owns (timers, the self-pipe); restores signal
 * dispositions it changed. Registered fds are not closed. L may be NULL. */
void loop_free(struct loop *l);

/* Watch FD for EVENTS; ARG is borrowed. Returns 0, or -1 if FD is already
 * watched. */
int loop_add_fd(struct loop *l, int fd, int events, loop_fd_cb cb, void *arg);
/* Change the events watched for FD; returns 0, or -1 if not watched. */
int loop_mod_fd(struct loop *l, int fd, int events);
/* Stop watching FD (safe to call from inside any callback). */
void loop_del_fd(struct loop *l, int fd);

/* Call CB once, DELAY_US microseconds from now. Returns a timer id > 0. */
uint64_t loop_add_timer(struct loop *l, int64_t delay_us, loop_timer_cb cb,
			void *arg);
/* Cancel timer ID; harmless if it already fired or was cancelled. */
void loop_cancel_timer(struct loop *l, uint64_t id);

/* Deliver SIGNO to CB through the self-pipe (the handler only writes the
 * signal number), besides any other handler of SIGNO (at most 8). For SIGCHLD, the loop also reaps nothing itself: the
 * callback does the waitpid(WNOHANG) loop. Returns 0 or -1 with ERR_SYS. */
int loop_add_signal(struct loop *l, int signo, loop_signal_cb cb, void *arg,
		    struct err *err);
/* Stop delivering SIGNO to CB with ARG; once no handler is left, restore
 * the disposition loop_add_signal replaced. Several handlers may share a
 * signal (each runner on a loop watches SIGCHLD); each is called in turn.
 * Harmless if that handler is not registered. */
void loop_del_signal(struct loop *l, int signo, loop_signal_cb cb, void *arg);

/* Run one iteration: poll with a timeout of the nearest timer (capped at
 * MAX_WAIT_US; -1 = no cap), then dispatch ready fds, signals and due
 * timers. Returns the number of callbacks run, or -1 on a poll error
 * other than EINTR. */
int loop_run_once(struct loop *l, int64_t max_wait_us);

/* Run until loop_stop() is called; returns 0, or -1 on a poll error. */
int loop_run(struct loop *l);
/* Make loop_run return after the current iteration. */
void loop_stop(struct loop *l);

/* The clock the loop measures with, borrowed. */
const struct clock *loop_clock(const struct loop *l);

#endif
