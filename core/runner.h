/* Child processes for `run` steps: /bin/sh -c in a new process group,
 * variables as environment, non-blocking output pipes read on the loop,
 * output streamed to an asciicast v2 file with timing, time-outs escalating
 * SIGTERM -> SIGKILL to the whole group, and secrets redacted. Output
 * that comes in full pipe buffers (a flood) is read in large reads, at
 * most a millisecond after it was written. */
#ifndef REWIND_CORE_RUNNER_H
#define REWIND_CORE_RUNNER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct err;
struct loop;
struct runner;
struct proc;

/* How a process ended. */
struct proc_result {
	int exit_code;		/* exit status, or -1 when killed by a signal */
	int term_signal;	/* signal that ended it, 0 if it exited */
	int timed_out;		/* the deadline passed and we killed it */
	int cancelled;		/* runner_cancel() was called */
	int64_t duration_us;	/* spawn to reap, on the loop's clock */
	uint64_t bytes_out;	/* bytes read from stdout + stderr */
	uint64_t n_lines;	/* lines (a last line without \n counts) */
	char tail[2048];	/* last lines of output, redacted, NUL-ended */
};

/* One line of output (without its newline, redacted, NUL-ended at LEN,
 * borrowed for the call); STREAM is 1 or 2. Lines longer than the
 * runner's line limit (16 KiB) arrive in pieces. Keep it cheap: it runs
 * on the loop for every line, so a slow callback stalls the whole UI. */
typedef void (*proc_line_cb)(struct proc *p, int stream, const char *line,
			     size_t len, void *arg);
/* The process has been reaped; P is freed right after this returns. */
typedef void (*proc_exit_cb)(struct proc *p, const struct proc_result *res,
			     void *arg);

struct proc_spec {
	const char *command;		/* run as /bin/sh -c COMMAND */
	const char *const *env;		/* extra "NAME=VALUE" entries, NULL-ended */
	const char *cwd;		/* working directory, NULL = inherit */
	const char *cast_path;		/* asciicast v2 output file (0600), or NULL */
	const char *status_path;	/* with keeper_enable: a keeper waits
					 * for the command and writes how it
					 * ended here (see keeper.h), so a
					 * console that dies first does not
					 * lose it; NULL = none */
	int64_t timeout_us;		/* 0 = none */
	int64_t kill_grace_us;		/* SIGTERM -> SIGKILL delay; 0 = 2 s */
	int stdin_null;			/* 1: stdin from /dev/null (batch) */
	int new_session;		/* 1: a session of its own (setsid):
					 * no controlling terminal, so nothing
					 * it runs (ssh asking for a password
					 * or a host key) can open /dev/tty
					 * and write over the console */
	int multi_line;			/* 1: on_line may get several whole
					 * lines at once, joined by \n (the
					 * lines of one read, for speed) */
	proc_line_cb on_line;		/* may be NULL */
	proc_exit_cb on_exit;		/* may be NULL */
	void *arg;			/* borrowed, passed to callbacks */
};

/* Create a runner on loop L (borrowed). It installs a SIGCHLD handler
 * through loop_add_signal. Returns NULL with ERR_SYS on failure. */
struct runner *runner_new(struct loop *l, struct err *err);

/* Lines in what on_line was just given: 1, or the lines of a read in
 * multi-line mode (counted anyway, so a callback need not count again). */
uint64_t proc_block_lines(const struct proc *p);

/* Let P's command go on without this process: a drainer (a child put in
 * the command's process group, so stopping the group stops both) reads
 * its output to the end into its cast file, with nothing else of this
 * process open (no lock, no terminal), then exits. P is freed here: its
 * on_line and on_exit are never called, and runner_free leaves the
 * command alone. Returns the drainer's pid, or -1 when fork fails (P is
 * left as it was). */
pid_t runner_detach(struct proc *p);

/* Kill (SIGKILL to the group) and reap every live child, then free R. */
void runner_free(struct runner *r);

/* Add a secret value to redact (replaced by "********") from every line,
 * tail and cast file the runner writes, children already running
 * included; see redact_add. Empty values are ignored. */
void runner_add_secret(struct runner *r, const char *value);

/* Add the values of every environment variable whose name contains TOKEN,
 * SECRET, PASSWORD or AUTH (case-insensitive) as secrets; see
 * redact_add_env. */
void runner_add_env_secrets(struct runner *r, char *const *envp);

/* Whether NAME looks like a secret's name; same as redact_is_secret_name. */
int runner_is_secret_name(const char *name);

/* Start a child. The returned proc is owned by the runner and stays valid
 * until its on_exit callback returns. Returns NULL with ERR_SYS/ERR_IO
 * (fork, pipe or cast file failure). */
struct proc *runner_spawn(struct runner *r, const struct proc_spec *spec,
			  struct err *err);

/* Ask P to stop: SIGTERM to its group, SIGKILL after the grace period;
 * its result says cancelled. */
void runner_cancel(struct proc *p);

/* The command's process id (also its process-group id). */
pid_t proc_pid(const struct proc *p);

/* The pid of P's keeper, or -1 when it has none. */
pid_t proc_keeper_pid(const struct proc *p);

/* Number of children spawned over the runner's life (for tests). */
uint64_t runner_n_spawned(const struct runner *r);

/* Number of children whose on_exit has not run yet: those still running
 * and those already reaped whose output is still being drained. */
size_t runner_n_live(const struct runner *r);

#endif
