/* Child processes on the event loop: spawn /bin/sh -c in its own process
 * group, read its output eagerly into bounded line buffers, redact
 * secrets, stream an asciicast file, enforce time-outs and reap only our
 * own children. */
#include "config.h"
#include "runner.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cast.h"
#include "clock.h"
#include "err.h"
#include "keeper.h"
#include "loop.h"
#include "memscan.h"
#include "proctitle.h"
#include "redact.h"
#include "testhook.h"
#include "xalloc.h"

#define READ_CHUNK (256 * 1024)		/* one read() */
#define READS_PER_WAKE 16		/* then let other fds have a turn */
#define PIPE_ROOM (1024 * 1024)		/* pipe buffer asked for */
#define LINE_PIECE (16 * 1024)		/* longer lines come in pieces */
#define TAIL_KEEP (sizeof(((struct proc_result *)0)->tail) - 1)
#define TAIL_BUF (2 * TAIL_KEEP + 2)	/* room to trim rarely */
#define DRAIN_GRACE_US 100000		/* after reap, wait this for EOF */
#define KILL_GRACE_US 2000000		/* SIGTERM -> SIGKILL default */
#define BURST_MIN 4096			/* a wake that read this much... */
#define BURST_PAUSE_US 1000		/* ...leaves the pipe this long */
#define BURST_ROOM (512 * 1024)		/* if it holds this much */
#define KEEPER_START_MS 10000		/* for the keeper's first word */

extern char **environ;

struct stream {
	struct proc *p;
	int fd;			/* read end; -1 once at EOF and closed */
	int no;			/* 1 = stdout, 2 = stderr */
	char *line;		/* the partial line, LINE_PIECE + 1 bytes */
	size_t len;
	int is_mid_line;	/* pieces of the current line were sent */
	size_t room;		/* the pipe's buffer size */
	uint64_t resume_timer;	/* paused after a burst: reads again */
};

struct proc {
	struct runner *r;
	struct proc *next;
	pid_t pid;		/* the child we wait for: the command, or its
				 * keeper (which ends as the command did) */
	pid_t pgid;		/* the command's process group, signalled */
	int status;		/* from waitpid; -1 = unknown */
	int is_reaped;
	int is_terminating;	/* SIGTERM sent, SIGKILL timer armed */
	int is_finishing;	/* on_exit is being called; ignore cancel */
	int timed_out;
	int cancelled;
	struct stream out[2];
	struct redact *secrets;	/* this spawn's env, over the runner's */
	struct cast *cast;	/* NULL when not recording */
	int64_t start_us, end_us, now_us;	/* now_us: time of last read */
	int64_t kill_grace_us;
	uint64_t timeout_timer, kill_timer, drain_timer;
	uint64_t bytes_out, n_lines;
	uint64_t block_lines;	/* in what on_line was last given */
	char tail[TAIL_BUF];	/* recent lines, each ending in \n */
	size_t tail_len;
	proc_line_cb on_line;
	proc_exit_cb on_exit;
	void *arg;
	int multi_line;
};

struct runner {
	struct loop *loop;
	struct proc *procs;	/* spawned, on_exit not yet called */
	size_t n_live;
	uint64_t n_spawned;
	struct redact *secrets;
	char *readbuf;		/* READ_CHUNK + 1, shared by every proc */
};

static void finish(struct proc *p);

/* ---- secrets ----------------------------------------------------------- */

int
runner_is_secret_name(const char *name)
{
	return redact_is_secret_name(name);
}

void
runner_add_secret(struct runner *r, const char *value)
{
	redact_add(r->secrets, value);
}

void
runner_add_env_secrets(struct runner *r, char *const *envp)
{
	redact_add_env(r->secrets, envp);
}

/* ---- tail and cast file ------------------------------------------------- */

/* Drop whole lines from the front until at most KEEP bytes are left. */
static void
tail_trim(struct proc *p, size_t keep)
{
	size_t off = 0;

	while (p->tail_len - off > keep) {
		char *nl = memchr(p->tail + off, '\n', p->tail_len - off);

		off = (size_t)(nl - p->tail) + 1;
	}
	memmove(p->tail, p->tail + off, p->tail_len - off);
	p->tail_len -= off;
}

static void
tail_add(struct proc *p, const char *text, size_t len)
{
	/* One line may fill the tail, newline included, but no more. */
	if (len > TAIL_KEEP - 1) {
		text += len - (TAIL_KEEP - 1);
		len = TAIL_KEEP - 1;
	}
	if (p->tail_len + len + 1 > sizeof(p->tail))
		tail_trim(p, TAIL_KEEP);
	memcpy(p->tail + p->tail_len, text, len);
	p->tail_len += len;
	p->tail[p->tail_len++] = '\n';
}

static void
tail_result(struct proc *p, struct proc_result *res)
{
	tail_trim(p, TAIL_KEEP);
	if (p->tail_len)
		p->tail_len--;	/* the last newline */
	memcpy(res->tail, p->tail, p->tail_len);
	res->tail[p->tail_len] = '\0';
}

/* One output event; stderr is "o" too, since that is what a terminal
 * would have shown. A failed write (disk full) stops the cast, never the
 * command, so its result is ignored. */
static void
cast_line(struct proc *p, const char *text, size_t len)
{
	if (p->cast)
		cast_write(p->cast, p->now_us - p->start_us, text, len, 1);
}

static int
proc_cast_open(struct proc *p, const struct proc_spec *spec, struct err *err)
{
	char *command;

	if (!spec->cast_path)
		return 0;
	command = redact_apply_str(p->secrets, spec->command);
	p->cast = cast_open(spec->cast_path, command,
			    clock_wall_now(loop_clock(p->r->loop)), err);
	free(command);
	return p->cast ? 0 : -1;
}

/* ---- output ------------------------------------------------------------ */

/* Hand one line (or piece) to the tail, the cast and on_line. TEXT must
 * have a writable byte at TEXT[LEN] so the callback gets a C string. */
static void
deliver(struct proc *p, struct stream *s, char *text, size_t len)
{
	const char *red;

	text[len] = '\0';
	red = redact_line(p->secrets, text, &len);
	tail_add(p, red, len);
	cast_line(p, red, len);
	p->block_lines = 1;
	if (p->on_line)
		p->on_line(p, s->no, red, len, p->arg);
}

/* Append to the partial line, sending a full buffer as a piece first. */
static void
stream_add(struct proc *p, struct stream *s, const char *data, size_t len)
{
	while (len) {
		size_t take;

		if (s->len == LINE_PIECE) {
			deliver(p, s, s->line, s->len);
			s->len = 0;
			s->is_mid_line = 1;
		}
		take = LINE_PIECE - s->len < len ? LINE_PIECE - s->len : len;
		memcpy(s->line + s->len, data, take);
		s->len += take;
		data += take;
		len -= take;
	}
}

/* DATA[LEN] is the newline ending the current line. */
static void
stream_end_line(struct proc *p, struct stream *s, char *data, size_t len)
{
	if (!s->len && len <= LINE_PIECE) {
		deliver(p, s, data, len);
	} else {
		stream_add(p, s, data, len);
		deliver(p, s, s->line, s->len);
	}
	s->len = 0;
	s->is_mid_line = 0;
	p->n_lines++;
}

/* Lines in TEXT[0..LEN), which ends just before a newline. */
static uint64_t
count_lines(const char *text, size_t len)
{
	return 1 + mem_count(text, '\n', len);
}

/* Hand the whole lines TEXT[0..LEN) (the newline at TEXT[LEN] ends the
 * last) over at once: one tail update, one cast event, one callback. */
static void
deliver_block(struct proc *p, struct stream *s, char *text, size_t len)
{
	const char *red;

	p->block_lines = count_lines(text, len);
	p->n_lines += p->block_lines;
	text[len] = '\0';
	red = redact_line(p->secrets, text, &len);
	if (len >= TAIL_KEEP) {
		const char *from = red + len - (TAIL_KEEP - 1);
		const char *nl = memchr(from, '\n', (size_t)(red + len - from));

		if (nl)
			from = nl + 1;
		p->tail_len = 0;
		tail_add(p, from, (size_t)(red + len - from));
	} else {
		tail_add(p, red, len);
	}
	if (p->cast)
		cast_write_lines(p->cast, p->now_us - p->start_us, red, len);
	if (p->on_line)
		p->on_line(p, s->no, red, len, p->arg);
}

/* Multi-line mode: finish a pending partial line, then every whole line
 * of DATA in one block; the rest waits for its newline. */
static void
stream_feed_block(struct proc *p, struct stream *s, char *data, size_t len)
{
	char *last;

	if (s->len || s->is_mid_line) {
		char *nl = memchr(data, '\n', len);

		if (!nl) {
			stream_add(p, s, data, len);
			return;
		}
		stream_end_line(p, s, data, (size_t)(nl - data));
		len -= (size_t)(nl - data) + 1;
		data = nl + 1;
	}
	last = len ? memrchr(data, '\n', len) : NULL;
	if (last) {
		deliver_block(p, s, data, (size_t)(last - data));
		len -= (size_t)(last - data) + 1;
		data = last + 1;
	}
	stream_add(p, s, data, len);
}

static void
stream_feed(struct proc *p, struct stream *s, char *data, size_t len)
{
	char *nl;

	if (p->multi_line) {
		stream_feed_block(p, s, data, len);
		return;
	}
	while (len && (nl = memchr(data, '\n', len))) {
		size_t n = (size_t)(nl - data);

		stream_end_line(p, s, data, n);
		data += n + 1;
		len -= n + 1;
	}
	stream_add(p, s, data, len);
}

/* Close S, sending its unfinished last line (unless QUIET: runner_free). */
static void
stream_close(struct proc *p, struct stream *s, int quiet)
{
	if (s->fd < 0)
		return;
	if (s->resume_timer)
		loop_cancel_timer(p->r->loop, s->resume_timer);
	s->resume_timer = 0;
	loop_del_fd(p->r->loop, s->fd);
	close(s->fd);
	s->fd = -1;
	if (!quiet && (s->len || s->is_mid_line)) {
		if (s->len)
			deliver(p, s, s->line, s->len);
		p->n_lines++;
	}
	s->len = 0;
	s->is_mid_line = 0;
}

/* Read up to MAX_READS chunks; bounded so that a flood of output can't
 * starve the keyboard or a grandchild holding the pipe keep us here.
 * Returns the bytes read. */
static size_t
stream_read(struct proc *p, struct stream *s, int max_reads)
{
	char *buf = p->r->readbuf;
	size_t got = 0;

	while (s->fd >= 0 && max_reads-- > 0) {
		ssize_t n = read(s->fd, buf, READ_CHUNK);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n <= 0) {
			stream_close(p, s, 0);
			break;
		}
		p->now_us = clock_mono_now(loop_clock(p->r->loop));
		p->bytes_out += (uint64_t)n;
		got += (size_t)n;
		stream_feed(p, s, buf, (size_t)n);
	}
	/* What was read is on disk before the loop waits again: a watcher
	 * follows the cast, and a console that dies leaves it readable. */
	if (p->cast)
		cast_flush(p->cast);
	return got;
}

uint64_t
proc_block_lines(const struct proc *p)
{
	return p->block_lines;
}

static int
is_done(const struct proc *p)
{
	return p->is_reaped && p->out[0].fd < 0 && p->out[1].fd < 0;
}

/* ---- exit -------------------------------------------------------------- */

static void
cancel_timer(struct proc *p, uint64_t *id)
{
	if (*id)
		loop_cancel_timer(p->r->loop, *id);
	*id = 0;
}

static void
on_drain_grace(void *arg)
{
	struct proc *p = arg;

	p->drain_timer = 0;
	p->now_us = clock_mono_now(loop_clock(p->r->loop));
	for (int i = 0; i < 2; i++) {
		stream_read(p, &p->out[i], READS_PER_WAKE);
		stream_close(p, &p->out[i], 0);
	}
	finish(p);
}

/* A background grandchild may hold the pipes open forever, so after the
 * reap we read what is there and give EOF only a short grace. */
static void
on_reaped(struct proc *p, int status)
{
	p->is_reaped = 1;
	p->status = status;
	p->end_us = clock_mono_now(loop_clock(p->r->loop));
	cancel_timer(p, &p->timeout_timer);
	cancel_timer(p, &p->kill_timer);
	/* Group members that ignored SIGTERM must not outlive a kill. */
	if (p->is_terminating)
		kill(-p->pgid, SIGKILL);
	for (int i = 0; i < 2; i++)
		stream_read(p, &p->out[i], READS_PER_WAKE);
	if (!is_done(p) && !p->drain_timer)
		p->drain_timer = loop_add_timer(p->r->loop, DRAIN_GRACE_US,
						on_drain_grace, p);
}

static int
try_reap(struct proc *p)
{
	int status;
	pid_t rc;

	do
		rc = waitpid(p->pid, &status, WNOHANG);
	while (rc < 0 && errno == EINTR);
	if (rc == 0)
		return 0;
	/* ECHILD: someone else's waitpid(-1) took it; the status is lost. */
	on_reaped(p, rc < 0 ? -1 : status);
	return 1;
}

static void
fill_result(struct proc *p, struct proc_result *res)
{
	memset(res, 0, sizeof(*res));
	res->exit_code = -1;
	if (p->status != -1 && WIFEXITED(p->status))
		res->exit_code = WEXITSTATUS(p->status);
	if (p->status != -1 && WIFSIGNALED(p->status))
		res->term_signal = WTERMSIG(p->status);
	res->timed_out = p->timed_out;
	res->cancelled = p->cancelled;
	res->duration_us = p->end_us - p->start_us;
	res->bytes_out = p->bytes_out;
	res->n_lines = p->n_lines;
	tail_result(p, res);
}

static void
unlink_proc(struct proc *p)
{
	struct proc **pp = &p->r->procs;

	while (*pp != p)
		pp = &(*pp)->next;
	*pp = p->next;
	p->r->n_live--;
}

static void
proc_free(struct proc *p)
{
	for (int i = 0; i < 2; i++)
		free(p->out[i].line);
	cast_close_nosync(p->cast, NULL);
	redact_free(p->secrets);
	free(p);
}

/* Report P and free it. Timers are cancelled last: the last lines and
 * on_exit may still call runner_cancel. */
static void
finish(struct proc *p)
{
	struct proc_result res;

	p->is_finishing = 1;
	stream_close(p, &p->out[0], 0);
	stream_close(p, &p->out[1], 0);
	fill_result(p, &res);
	cast_close_nosync(p->cast, NULL);
	p->cast = NULL;
	unlink_proc(p);
	if (p->on_exit)
		p->on_exit(p, &res, p->arg);
	cancel_timer(p, &p->timeout_timer);
	cancel_timer(p, &p->kill_timer);
	cancel_timer(p, &p->drain_timer);
	proc_free(p);
}

/* Finish every proc that is reaped and drained. Restart the walk after
 * each one: its on_exit may have spawned or finished others. */
static void
finish_ready(struct runner *r)
{
	struct proc *p = r->procs;

	while (p) {
		if (is_done(p)) {
			finish(p);
			p = r->procs;
		} else {
			p = p->next;
		}
	}
}

/* Only our own children: the program may have others, and waitpid(-1)
 * would steal their statuses. */
static void
on_sigchld(int signo, void *arg)
{
	struct runner *r = arg;

	(void)signo;
	for (struct proc *p = r->procs; p; p = p->next)
		if (!p->is_reaped)
			try_reap(p);
	finish_ready(r);
}

static void
on_resume(void *arg)
{
	struct stream *s = arg;

	s->resume_timer = 0;
	if (s->fd >= 0)
		loop_mod_fd(s->p->r->loop, s->fd, LOOP_READ);
}

/* After a wake that read a burst, leave the pipe to fill for a moment:
 * a command flooding output is then read in a few large reads instead
 * of a wake per write it makes (each wake costing a poll, reads, a
 * flush of the cast and a callback), and it does not wait, as the pipe
 * holds more than it writes meanwhile. Output that trickles is read at
 * once; a hang-up still wakes the loop. */
static void
pause_after_burst(struct proc *p, struct stream *s, size_t got)
{
	/* A wake that found the pipe full came too late (the timer fired
	 * late on a busy machine): the command was blocked, so read on. */
	if (got < BURST_MIN || got >= s->room || s->fd < 0 ||
	    s->room < BURST_ROOM || s->resume_timer || p->is_reaped)
		return;
	loop_mod_fd(p->r->loop, s->fd, 0);
	s->resume_timer = loop_add_timer(p->r->loop, BURST_PAUSE_US,
					 on_resume, s);
}

static void
on_readable(int fd, int events, void *arg)
{
	struct stream *s = arg;
	struct proc *p = s->p;

	(void)fd;
	(void)events;
	pause_after_burst(p, s, stream_read(p, s, READS_PER_WAKE));
	/* EOF on both pipes usually means the child exited; don't wait for
	 * SIGCHLD to notice. */
	if (p->out[0].fd < 0 && p->out[1].fd < 0 && !p->is_reaped)
		try_reap(p);
	if (is_done(p) && !p->is_finishing)
		finish(p);
}

/* ---- time-outs and cancel --------------------------------------------- */

static void
on_kill_grace(void *arg)
{
	struct proc *p = arg;

	p->kill_timer = 0;
	kill(-p->pgid, SIGKILL);
}

static void
proc_terminate(struct proc *p)
{
	if (p->is_terminating)
		return;
	p->is_terminating = 1;
	kill(-p->pgid, SIGTERM);
	p->kill_timer = loop_add_timer(p->r->loop, p->kill_grace_us,
				       on_kill_grace, p);
}

static void
on_timeout(void *arg)
{
	struct proc *p = arg;

	p->timeout_timer = 0;
	p->timed_out = 1;
	proc_terminate(p);
}

void
runner_cancel(struct proc *p)
{
	if (!p || p->is_finishing)
		return;
	p->cancelled = 1;
	if (!p->is_reaped) {
		proc_terminate(p);
		return;
	}
	/* Already reaped, only draining: kill what holds the pipes and
	 * finish from the loop, never from inside a caller's callback. */
	kill(-p->pgid, SIGKILL);
	cancel_timer(p, &p->drain_timer);
	p->drain_timer = loop_add_timer(p->r->loop, 0, on_drain_grace, p);
}

/* ---- spawning --------------------------------------------------------- */

static int
check_env(const char *const *env, struct err *err)
{
	for (; env && *env; env++) {
		const char *eq = strchr(*env, '=');

		if (!eq || eq == *env)
			return err_set(err, ERR_INVALID, "environment entry "
				       "'%.40s': expected NAME=VALUE", *env);
	}
	return 0;
}

/* Set ENTRY ("NAME=VALUE", copied) in V, replacing the same name. */
static void
env_set(char **v, size_t *n, const char *entry)
{
	size_t name_len = (size_t)(strchr(entry, '=') - entry) + 1;

	for (size_t i = 0; i < *n; i++) {
		if (!strncmp(v[i], entry, name_len)) {
			free(v[i]);
			v[i] = xstrdup(entry);
			return;
		}
	}
	v[(*n)++] = xstrdup(entry);
}

/* The child's environment, built before fork (no malloc in the child):
 * ours plus EXTRA. Caller frees with env_free. */
static char **
env_build(const char *const *extra)
{
	size_t n_env = 0, n_extra = 0, n = 0;
	char **v;

	while (environ && environ[n_env])
		n_env++;
	while (extra && extra[n_extra])
		n_extra++;
	v = xcalloc(n_env + n_extra + 1, sizeof(*v));
	for (size_t i = 0; i < n_env; i++)
		if (strchr(environ[i], '='))
			env_set(v, &n, environ[i]);
	for (size_t i = 0; i < n_extra; i++)
		env_set(v, &n, extra[i]);
	return v;
}

static void
env_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

/* From here to exec the child shares our memory (vfork): only system
 * calls and table look-ups, nothing that allocates or takes a lock. */
static void
child_write(const char *s)
{
	ssize_t n = write(2, s, strlen(s));

	(void)n;
}

static void __attribute__((noreturn))
child_fail(const char *what, const char *path)
{
	int saved = errno;

	child_write("rewind: ");
	child_write(what);
	child_write(" ");
	child_write(path);
	child_write(": ");
	child_write(strerrordesc_np(saved) ? strerrordesc_np(saved) : "error");
	child_write("\n");
	_exit(127);
}

/* Handlers reset themselves at exec, but ignored signals (SIGPIPE, say)
 * would stay ignored in the command, and our mask would stay blocked. */
static void
child_reset_signals(void)
{
	struct sigaction dfl;
	sigset_t none;

	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	for (int signo = 1; signo < NSIG; signo++)
		sigaction(signo, &dfl, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

static void
child_move_fd(int from, int to)
{
	/* dup2 onto itself would keep O_CLOEXEC and lose the fd at exec. */
	if (from == to)
		fcntl(to, F_SETFD, 0);
	else
		dup2(from, to);
}

struct child_args {
	const char *exe;	/* /bin/sh, or the keeper program */
	char *argv[6];		/* sh -c COMMAND, or the keeper's */
	char **envp;
	const char *cwd;
	int stdin_null;
	int new_session;
	int out_w, err_w;
	int pid_w;		/* the keeper's end for the command's pid */
};

static void __attribute__((noreturn))
child_exec(const struct child_args *a)
{
	int fd;

	if (!a->new_session || setsid() < 0)
		setpgid(0, 0);
	child_reset_signals();
	if (a->stdin_null) {
		fd = open("/dev/null", O_RDONLY);
		if (fd < 0)
			child_fail("open", "/dev/null");
		child_move_fd(fd, 0);
	}
	child_move_fd(a->out_w, 1);
	child_move_fd(a->err_w, 2);
	/* Fds someone opened without O_CLOEXEC must not reach commands. */
	close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
	if (a->pid_w >= 0)
		child_move_fd(a->pid_w, KEEPER_PID_FD);
	if (a->cwd && chdir(a->cwd) < 0)
		child_fail("chdir", a->cwd);
	execve(a->exe, a->argv, a->envp);
	child_fail("exec", a->exe);
}

/* vfork, not fork: the child borrows our memory until it execs, so
 * starting a command copies no page tables and our next writes take no
 * copy-on-write faults (measured: about a third of the console's CPU
 * for a command that prints 1,000,000 lines). Every signal is blocked
 * so no handler of ours runs in the child before it resets them. */
static pid_t
fork_child(const struct child_args *a)
{
	sigset_t all, old;
	pid_t pid;
	int saved;

	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	pid = vfork();
	if (pid == 0)
		child_exec(a);
	saved = errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	errno = saved;
	/* Also here, so a kill(-pid) right after spawn finds the group. */
	if (pid > 0)
		setpgid(pid, pid);
	return pid;
}

/* A pipe for one stream; *ROOM gets its buffer's size (0 if unknown). */
static int
open_pipe(int fds[2], size_t *room, struct err *err)
{
	int got = 0;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return err_set(err, ERR_SYS, "pipe: %s", strerror(errno));
	/* Only our end: the command must see an ordinary blocking pipe. */
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
#ifdef F_SETPIPE_SZ
	/* Room for a burst while the console draws (best effort). */
	got = fcntl(fds[0], F_SETPIPE_SZ, PIPE_ROOM);
#endif
	*room = got > 0 ? (size_t)got : 0;
	return 0;
}

static void
close_pipes(int fds[2][2])
{
	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 2; j++)
			if (fds[i][j] >= 0)
				close(fds[i][j]);
}

static struct proc *
proc_new(struct runner *r, const struct proc_spec *spec)
{
	struct proc *p = xcalloc(1, sizeof(*p));

	p->r = r;
	p->status = -1;
	p->kill_grace_us = spec->kill_grace_us > 0 ? spec->kill_grace_us
						    : KILL_GRACE_US;
	p->on_line = spec->on_line;
	p->multi_line = spec->multi_line;
	p->on_exit = spec->on_exit;
	p->arg = spec->arg;
	for (int i = 0; i < 2; i++) {
		p->out[i].p = p;
		p->out[i].fd = -1;
		p->out[i].no = i + 1;
		p->out[i].line = xmalloc(LINE_PIECE + 1);
	}
	p->secrets = redact_new_child(r->secrets);
	for (const char *const *e = spec->env; e && *e; e++)
		redact_add_env_entry(p->secrets, *e);
	p->start_us = clock_mono_now(loop_clock(r->loop));
	p->now_us = p->start_us;
	return p;
}

/* Hand the read ends to the loop and start the clock on the time-out. */
static void
proc_start(struct proc *p, const struct proc_spec *spec, int fds[2][2])
{
	struct runner *r = p->r;

	for (int i = 0; i < 2; i++) {
		close(fds[i][1]);
		p->out[i].fd = fds[i][0];
		fds[i][0] = fds[i][1] = -1;
		loop_add_fd(r->loop, p->out[i].fd, LOOP_READ, on_readable,
			    &p->out[i]);
	}
	if (spec->timeout_us > 0)
		p->timeout_timer = loop_add_timer(r->loop, spec->timeout_us,
						  on_timeout, p);
	p->next = r->procs;
	r->procs = p;
	r->n_live++;
	r->n_spawned++;
}

/* The keeper's arguments (keeper_main.c): its status file, the console's
 * wall clock less the real one (so that its times are on the journal's
 * time line), the command. */
static void
keeper_argv(struct proc *p, const struct proc_spec *spec,
	    struct child_args *a)
{
	static char name[] = "rewind-keep", mode[] = KEEPER_ARG;
	struct timespec ts;
	int64_t real;

	clock_gettime(CLOCK_REALTIME, &ts);
	real = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
	a->exe = keeper_program();
	a->argv[0] = name;
	a->argv[1] = mode;
	a->argv[2] = xstrdup(spec->status_path);
	a->argv[3] = xasprintf("%lld", (long long)(clock_wall_now(
				loop_clock(p->r->loop)) - real));
	a->argv[4] = xstrdup(spec->command);
}

/* The command's pid, from the keeper KEEPER on FD (it forks at once, so
 * this waits a few milliseconds at most); -1 when it says nothing. */
static pid_t
read_keeper_pid(int fd)
{
	char line[32];
	size_t len = 0;
	struct pollfd pfd = { fd, POLLIN, 0 };

	while (len < sizeof(line) - 1) {
		int ready = poll(&pfd, 1, KEEPER_START_MS);
		ssize_t n;

		if (ready < 0 && errno == EINTR)
			continue;
		if (ready <= 0)
			return -1;
		n = read(fd, line + len, sizeof(line) - 1 - len);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			return -1;
		len += (size_t)n;
		if (memchr(line, '\n', len))
			break;
	}
	line[len] = '\0';
	return (pid_t)strtol(line, NULL, 10);
}

/* The keeper started: learn the command's pid, or stop the keeper. */
static int
keeper_handshake(struct proc *p, int pid_r, const char *command,
		 struct err *err)
{
	p->pgid = read_keeper_pid(pid_r);
	if (p->pgid > 0)
		return 0;
	kill(-p->pid, SIGKILL);
	while (waitpid(p->pid, NULL, 0) < 0 && errno == EINTR)
		;
	if (access(keeper_program(), X_OK) < 0)
		return err_set(err, ERR_SYS, "the keeper %s: %s (the step "
			       "`%.60s` did not start)", keeper_program(),
			       strerror(errno), command);
	return err_set(err, ERR_SYS, "the keeper %s did not start `%.60s`",
		       keeper_program(), command);
}

/* Fork and exec the command (behind a keeper when the spec names a
 * status file) with the write ends FDS[i][1]; sets P's pids, or returns
 * -1 with ERR set. */
static int
spawn_child(struct proc *p, const struct proc_spec *spec, int fds[2][2],
	    struct err *err)
{
	static char sh[] = "sh", dash_c[] = "-c";
	struct child_args a = { .exe = "/bin/sh", .cwd = spec->cwd,
				.stdin_null = spec->stdin_null,
				.new_session = spec->new_session,
				.out_w = fds[0][1], .err_w = fds[1][1],
				.pid_w = -1 };
	int pid_fds[2] = { -1, -1 }, rc = 0;

	if (spec->status_path && keeper_is_enabled()) {
		if (pipe2(pid_fds, O_CLOEXEC) < 0)
			return err_set(err, ERR_SYS, "pipe: %s",
				       strerror(errno));
		a.pid_w = pid_fds[1];
		keeper_argv(p, spec, &a);
	} else {
		a.argv[0] = sh;
		a.argv[1] = dash_c;
		a.argv[2] = xstrdup(spec->command);
	}
	a.envp = env_build(spec->env);
	testhook_spawned(spec->cwd, spec->command);
	p->pid = p->pgid = fork_child(&a);
	if (p->pid < 0)
		rc = err_set(err, ERR_SYS, "vfork: %s", strerror(errno));
	if (pid_fds[1] >= 0)
		close(pid_fds[1]);
	if (rc == 0 && a.pid_w >= 0)
		rc = keeper_handshake(p, pid_fds[0], spec->command, err);
	if (pid_fds[0] >= 0)
		close(pid_fds[0]);
	for (int i = 2; i < 5; i++)
		free(a.argv[i]);
	env_free(a.envp);
	return rc;
}

struct proc *
runner_spawn(struct runner *r, const struct proc_spec *spec, struct err *err)
{
	int fds[2][2] = { { -1, -1 }, { -1, -1 } };
	struct proc *p;

	if (check_env(spec->env, err) < 0)
		return NULL;
	p = proc_new(r, spec);
	if (open_pipe(fds[0], &p->out[0].room, err) < 0 ||
	    open_pipe(fds[1], &p->out[1].room, err) < 0 ||
	    proc_cast_open(p, spec, err) < 0)
		goto fail;
	if (spawn_child(p, spec, fds, err) < 0)
		goto fail;
	proc_start(p, spec, fds);
	return p;
fail:
	close_pipes(fds);
	if (p->cast) {
		cast_close_nosync(p->cast, NULL);
		p->cast = NULL;
		unlink(spec->cast_path);
	}
	proc_free(p);
	return NULL;
}

/* ---- the runner ------------------------------------------------------- */

struct runner *
runner_new(struct loop *l, struct err *err)
{
	struct runner *r = xcalloc(1, sizeof(*r));

	r->loop = l;
	if (loop_add_signal(l, SIGCHLD, on_sigchld, r, err) < 0) {
		free(r);
		return NULL;
	}
	r->secrets = redact_new();
	r->readbuf = xmalloc(READ_CHUNK + 1);
	return r;
}

/* Kill and reap P without any callback: its owner is going away. */
static void
proc_abandon(struct proc *p)
{
	p->is_finishing = 1;
	if (!p->is_reaped || p->out[0].fd >= 0 || p->out[1].fd >= 0)
		kill(-p->pgid, SIGKILL);
	while (!p->is_reaped && waitpid(p->pid, NULL, 0) < 0 && errno == EINTR)
		;
	stream_close(p, &p->out[0], 1);
	stream_close(p, &p->out[1], 1);
	cancel_timer(p, &p->timeout_timer);
	cancel_timer(p, &p->kill_timer);
	cancel_timer(p, &p->drain_timer);
	proc_free(p);
}

/* In the drainer: every descriptor but P's pipes and cast closed, the
 * standard ones on /dev/null (the terminal and the session's lock stay
 * with the console). */
static void
drainer_close_others(const struct proc *p)
{
	int keep[3] = { p->out[0].fd, p->out[1].fd, cast_fd(p->cast) };
	int null = open("/dev/null", O_RDWR);
	long max = sysconf(_SC_OPEN_MAX);

	for (int fd = 0; fd <= 2 && null >= 0; fd++)
		if (fd != keep[0] && fd != keep[1] && fd != keep[2])
			dup2(null, fd);
	for (int fd = 3; fd < (max > 0 && max < 65536 ? max : 65536); fd++)
		if (fd != keep[0] && fd != keep[1] && fd != keep[2])
			close(fd);
}

/* In ps and top, the drainer says what it is, not the console's command
 * line (the console has gone). */
static void
name_drainer(const struct proc *p)
{
	char title[96];

	snprintf(title, sizeof(title),
		 "rewind: output of pid %ld (its console quit)",
		 (long)p->pgid);
	proctitle_set("rewind-drain", title);
}

/* The drainer's whole life: read P's pipes to their end, each line into
 * the cast (redacted, as the console would have), then exit. */
static void __attribute__((noreturn))
drain_alone(struct proc *p)
{
	struct pollfd fds[2];
	char *buf = p->r->readbuf;

	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGCHLD, SIG_DFL);
	(void)setpgid(0, p->pgid);	/* stopped with its command */
	name_drainer(p);
	drainer_close_others(p);
	p->on_line = NULL;
	for (;;) {
		nfds_t n = 0;

		for (int i = 0; i < 2; i++)
			if (p->out[i].fd >= 0)
				fds[n++] = (struct pollfd){ p->out[i].fd, POLLIN, 0 };
		if (n == 0)
			break;
		if (poll(fds, n, -1) < 0 && errno != EINTR)
			break;
		for (int i = 0; i < 2; i++) {
			struct stream *st = &p->out[i];
			ssize_t got;

			if (st->fd < 0)
				continue;
			got = read(st->fd, buf, READ_CHUNK);
			if (got < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			p->now_us = clock_mono_now(loop_clock(p->r->loop));
			if (got > 0) {
				stream_feed(p, st, buf, (size_t)got);
				continue;
			}
			close(st->fd);
			st->fd = -1;
			if (st->len)
				deliver(p, st, st->line, st->len);
		}
		cast_flush(p->cast);
	}
	cast_close(p->cast, NULL);
	_exit(0);
}

pid_t
runner_detach(struct proc *p)
{
	pid_t pid;

	if (p->cast)
		cast_flush(p->cast);	/* nothing written twice */
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		drain_alone(p);
	for (int i = 0; i < 2; i++)
		if (p->out[i].fd >= 0) {
			loop_del_fd(p->r->loop, p->out[i].fd);
			close(p->out[i].fd);
			p->out[i].fd = -1;
		}
	cancel_timer(p, &p->timeout_timer);
	cancel_timer(p, &p->kill_timer);
	cancel_timer(p, &p->drain_timer);
	unlink_proc(p);
	proc_free(p);
	return pid;
}

void
runner_free(struct runner *r)
{
	if (!r)
		return;
	while (r->procs) {
		struct proc *p = r->procs;

		r->procs = p->next;
		proc_abandon(p);
	}
	loop_del_signal(r->loop, SIGCHLD, on_sigchld, r);
	redact_free(r->secrets);
	free(r->readbuf);
	free(r);
}

pid_t
proc_pid(const struct proc *p)
{
	return p->pgid;
}

pid_t
proc_keeper_pid(const struct proc *p)
{
	return p->pid != p->pgid ? p->pid : -1;
}

uint64_t
runner_n_spawned(const struct runner *r)
{
	return r->n_spawned;
}

size_t
runner_n_live(const struct runner *r)
{
	return r->n_live;
}
