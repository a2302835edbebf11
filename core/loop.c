/* The event loop: one poll() per iteration over the watched fds and the
 * signal self-pipe, timers in a binary heap on the loop's monotonic clock,
 * and signals turned into ordinary callbacks. */
#include "config.h"
#include "loop.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "err.h"
#include "xalloc.h"

struct loop_fd {
	int fd;
	int events;		/* LOOP_READ | LOOP_WRITE */
	int is_dead;		/* deleted; freed when no dispatch can see it */
	loop_fd_cb cb;
	void *arg;
};

struct loop_timer {
	int64_t deadline_us;	/* on the loop's monotonic clock */
	uint64_t id;		/* also breaks deadline ties: FIFO */
	loop_timer_cb cb;
	void *arg;
};

/* Handlers of one signal: several runners on one loop each watch
 * SIGCHLD (each reaps only its own children, by pid). */
#define LOOP_SIG_HANDLERS 8

struct loop_signal {
	int is_set;		/* our handler is installed */
	struct {
		loop_signal_cb cb;
		void *arg;
	} h[LOOP_SIG_HANDLERS];
	int n;
	struct sigaction old;	/* restored when the last handler goes */
};

struct loop {
	const struct clock *clk;
	struct loop_fd **fds;	/* each allocated alone: stable pointers */
	size_t n_fds, cap_fds;
	struct pollfd *pfds;	/* scratch for poll(), parallel to snap */
	struct loop_fd **snap;	/* the fds polled this iteration */
	size_t cap_pfds;
	int n_dead;		/* dead entries awaiting compaction */
	struct loop_timer *timers;	/* binary min-heap */
	size_t n_timers, cap_timers;
	uint64_t next_timer_id;
	int sig_pipe[2];	/* self-pipe: handler writes, loop reads */
	struct loop_signal sigs[NSIG];
	int is_stopped;
	int depth;		/* nested loop_run_once calls in progress */
};

static void signal_release(struct loop *l, int signo);

/* The handler can't find its loop, so the write end lives here; pending
 * flags keep a signal even if the pipe were ever full. */
static volatile sig_atomic_t sig_write_fd = -1;
static volatile sig_atomic_t sig_pending[NSIG];

static void
on_signal(int signo)
{
	int saved = errno;
	unsigned char byte = (unsigned char)signo;
	ssize_t n;

	sig_pending[signo] = 1;
	if (sig_write_fd >= 0)
		n = write(sig_write_fd, &byte, 1);
	(void)n;
	errno = saved;
}

struct loop *
loop_new(const struct clock *clk)
{
	struct loop *l = xcalloc(1, sizeof(*l));

	l->clk = clk ? clk : clock_system();
	l->next_timer_id = 1;
	l->sig_pipe[0] = l->sig_pipe[1] = -1;
	return l;
}

static void
free_fds(struct loop *l)
{
	for (size_t i = 0; i < l->n_fds; i++)
		free(l->fds[i]);
	free(l->fds);
	free(l->pfds);
	free(l->snap);
}

void
loop_free(struct loop *l)
{
	if (!l)
		return;
	for (int signo = 1; signo < NSIG; signo++)
		if (l->sigs[signo].is_set)
			signal_release(l, signo);
	if (l->sig_pipe[0] >= 0) {
		if (sig_write_fd == l->sig_pipe[1])
			sig_write_fd = -1;
		close(l->sig_pipe[0]);
		close(l->sig_pipe[1]);
	}
	free_fds(l);
	free(l->timers);
	free(l);
}

static struct loop_fd *
find_fd(const struct loop *l, int fd)
{
	for (size_t i = 0; i < l->n_fds; i++)
		if (l->fds[i]->fd == fd && !l->fds[i]->is_dead)
			return l->fds[i];
	return NULL;
}

int
loop_add_fd(struct loop *l, int fd, int events, loop_fd_cb cb, void *arg)
{
	struct loop_fd *e;

	if (fd < 0 || find_fd(l, fd))
		return -1;
	if (l->n_fds == l->cap_fds) {
		l->cap_fds = l->cap_fds ? l->cap_fds * 2 : 8;
		l->fds = xrealloc(l->fds, l->cap_fds * sizeof(*l->fds));
	}
	e = xcalloc(1, sizeof(*e));
	e->fd = fd;
	e->events = events;
	e->cb = cb;
	e->arg = arg;
	l->fds[l->n_fds++] = e;
	return 0;
}

int
loop_mod_fd(struct loop *l, int fd, int events)
{
	struct loop_fd *e = find_fd(l, fd);

	if (!e)
		return -1;
	e->events = events;
	return 0;
}

void
loop_del_fd(struct loop *l, int fd)
{
	struct loop_fd *e = find_fd(l, fd);

	/* Only mark it: this iteration's snapshot may still point at it. */
	if (e) {
		e->is_dead = 1;
		l->n_dead++;
	}
}

/* Free the entries deleted since the last call; only run when no
 * snapshot is being dispatched. */
static void
compact_fds(struct loop *l)
{
	size_t j = 0;

	if (!l->n_dead)
		return;
	for (size_t i = 0; i < l->n_fds; i++) {
		if (l->fds[i]->is_dead)
			free(l->fds[i]);
		else
			l->fds[j++] = l->fds[i];
	}
	l->n_fds = j;
	l->n_dead = 0;
}

static int
timer_before(const struct loop_timer *a, const struct loop_timer *b)
{
	if (a->deadline_us != b->deadline_us)
		return a->deadline_us < b->deadline_us;
	return a->id < b->id;
}

static void
timer_swap(struct loop *l, size_t i, size_t j)
{
	struct loop_timer t = l->timers[i];

	l->timers[i] = l->timers[j];
	l->timers[j] = t;
}

static void
sift_up(struct loop *l, size_t i)
{
	while (i > 0 && timer_before(&l->timers[i], &l->timers[(i - 1) / 2])) {
		timer_swap(l, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void
sift_down(struct loop *l, size_t i)
{
	for (;;) {
		size_t left = 2 * i + 1, right = left + 1, min = i;

		if (left < l->n_timers &&
		    timer_before(&l->timers[left], &l->timers[min]))
			min = left;
		if (right < l->n_timers &&
		    timer_before(&l->timers[right], &l->timers[min]))
			min = right;
		if (min == i)
			return;
		timer_swap(l, i, min);
		i = min;
	}
}

static void
remove_timer_at(struct loop *l, size_t i)
{
	l->n_timers--;
	if (i == l->n_timers)
		return;
	l->timers[i] = l->timers[l->n_timers];
	sift_down(l, i);
	sift_up(l, i);
}

uint64_t
loop_add_timer(struct loop *l, int64_t delay_us, loop_timer_cb cb, void *arg)
{
	struct loop_timer *t;
	uint64_t id = l->next_timer_id++;

	if (l->n_timers == l->cap_timers) {
		l->cap_timers = l->cap_timers ? l->cap_timers * 2 : 16;
		l->timers = xrealloc(l->timers,
				     l->cap_timers * sizeof(*l->timers));
	}
	t = &l->timers[l->n_timers++];
	t->deadline_us = clock_mono_now(l->clk) + (delay_us > 0 ? delay_us : 0);
	t->id = id;
	t->cb = cb;
	t->arg = arg;
	/* sift_up moves the entry: T may hold another timer afterwards. */
	sift_up(l, l->n_timers - 1);
	return id;
}

void
loop_cancel_timer(struct loop *l, uint64_t id)
{
	for (size_t i = 0; i < l->n_timers; i++) {
		if (l->timers[i].id == id) {
			remove_timer_at(l, i);
			return;
		}
	}
}

static int
open_self_pipe(struct loop *l, struct err *err)
{
	if (l->sig_pipe[0] >= 0)
		return 0;
	if (pipe2(l->sig_pipe, O_NONBLOCK | O_CLOEXEC) < 0) {
		l->sig_pipe[0] = l->sig_pipe[1] = -1;
		return err_set(err, ERR_SYS, "signal self-pipe: %s",
			       strerror(errno));
	}
	sig_write_fd = l->sig_pipe[1];
	return 0;
}

int
loop_add_signal(struct loop *l, int signo, loop_signal_cb cb, void *arg,
		struct err *err)
{
	struct loop_signal *s;
	struct sigaction sa;

	if (signo <= 0 || signo >= NSIG)
		return err_set(err, ERR_SYS, "signal %d: out of range", signo);
	if (open_self_pipe(l, err) < 0)
		return -1;
	s = &l->sigs[signo];
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* Stopped children are not our business, only exits are. */
	sa.sa_flags = SA_RESTART | (signo == SIGCHLD ? SA_NOCLDSTOP : 0);
	for (int i = 0; i < s->n; i++)
		if (s->h[i].cb == cb && s->h[i].arg == arg)
			return 0;	/* already delivered there */
	if (s->n == LOOP_SIG_HANDLERS)
		return err_set(err, ERR_SYS, "signal %s: more than %d "
			       "handlers", strsignal(signo), LOOP_SIG_HANDLERS);
	if (!s->is_set && sigaction(signo, &sa, &s->old) < 0)
		return err_set(err, ERR_SYS, "sigaction %s: %s",
			       strsignal(signo), strerror(errno));
	s->is_set = 1;
	s->h[s->n].cb = cb;
	s->h[s->n].arg = arg;
	s->n++;
	return 0;
}

/* Restore the disposition loop_add_signal replaced, and forget SIGNO. */
static void
signal_release(struct loop *l, int signo)
{
	struct loop_signal *s = &l->sigs[signo];

	if (s->is_set)
		sigaction(signo, &s->old, NULL);
	memset(s, 0, sizeof(*s));
	sig_pending[signo] = 0;
}

void
loop_del_signal(struct loop *l, int signo, loop_signal_cb cb, void *arg)
{
	struct loop_signal *s;

	if (signo <= 0 || signo >= NSIG || !l->sigs[signo].is_set)
		return;
	s = &l->sigs[signo];
	for (int i = 0; i < s->n; i++) {
		if (s->h[i].cb != cb || s->h[i].arg != arg)
			continue;
		memmove(&s->h[i], &s->h[i + 1],
			(size_t)(s->n - i - 1) * sizeof(s->h[0]));
		s->n--;
		break;
	}
	if (s->n == 0)
		signal_release(l, signo);
}

/* Poll timeout in ms: the nearest deadline rounded up (so we never wake
 * early and spin), capped by MAX_WAIT_US; 0 only when a timer is due. */
static int
poll_timeout_ms(const struct loop *l, int64_t max_wait_us)
{
	int64_t wait_us = max_wait_us;
	int64_t ms;

	if (l->n_timers) {
		int64_t due = l->timers[0].deadline_us - clock_mono_now(l->clk);

		if (due < 0)
			due = 0;
		if (wait_us < 0 || due < wait_us)
			wait_us = due;
	}
	if (wait_us < 0)
		return -1;
	ms = (wait_us + 999) / 1000;
	return ms > INT_MAX ? INT_MAX : (int)ms;
}

static short
poll_events(int events)
{
	short ev = 0;

	if (events & LOOP_READ)
		ev |= POLLIN;
	if (events & LOOP_WRITE)
		ev |= POLLOUT;
	return ev;
}

/* Fill pfds/snap; slot 0 is the self-pipe (fd -1 when there is none). */
static size_t
build_pollset(struct loop *l)
{
	size_t n = l->n_fds + 1;

	if (n > l->cap_pfds) {
		l->cap_pfds = n * 2;
		l->pfds = xrealloc(l->pfds, l->cap_pfds * sizeof(*l->pfds));
		l->snap = xrealloc(l->snap, l->cap_pfds * sizeof(*l->snap));
	}
	l->pfds[0] = (struct pollfd){ .fd = l->sig_pipe[0], .events = POLLIN };
	l->snap[0] = NULL;
	for (size_t i = 0; i < l->n_fds; i++) {
		struct loop_fd *e = l->fds[i];

		/* A paused fd (no events) must not report hangups either,
		 * or a watcher that paused at EOF would spin. */
		l->pfds[i + 1] = (struct pollfd){
			.fd = e->events ? e->fd : -1,
			.events = poll_events(e->events),
		};
		l->snap[i + 1] = e;
	}
	return n;
}

static int
dispatch_fds(struct loop *l, size_t n)
{
	int n_run = 0;

	for (size_t i = 1; i < n; i++) {
		short rev = l->pfds[i].revents;
		struct loop_fd *e = l->snap[i];
		int ev = 0;

		if (!rev || e->is_dead)
			continue;
		if (rev & (POLLIN | POLLHUP | POLLERR | POLLNVAL))
			ev |= LOOP_READ;
		if (rev & POLLOUT ||
		    (rev & (POLLERR | POLLHUP) && e->events & LOOP_WRITE))
			ev |= LOOP_WRITE;
		e->cb(e->fd, ev, e->arg);
		n_run++;
	}
	return n_run;
}

static int
dispatch_signals(struct loop *l)
{
	unsigned char buf[256];
	int n_run = 0;

	/* The bytes only wake us; the pending flags say which signals. */
	while (read(l->sig_pipe[0], buf, sizeof(buf)) > 0)
		;
	for (int signo = 1; signo < NSIG; signo++) {
		struct loop_signal *s = &l->sigs[signo];

		if (!sig_pending[signo] || !s->is_set)
			continue;
		sig_pending[signo] = 0;
		/* A handler may remove itself (a runner freed): walk a copy. */
		struct loop_signal now = *s;

		for (int i = 0; i < now.n; i++)
			now.h[i].cb(signo, now.h[i].arg);
		n_run++;
	}
	return n_run;
}

/* Run the timers due now. Timers added by these callbacks wait for the
 * next iteration even with a zero delay, so a re-arming timer can't trap
 * us here. */
static int
dispatch_timers(struct loop *l)
{
	int64_t now = clock_mono_now(l->clk);
	uint64_t last_id = l->next_timer_id - 1;
	int n_run = 0;

	while (l->n_timers && l->timers[0].deadline_us <= now &&
	       l->timers[0].id <= last_id) {
		struct loop_timer t = l->timers[0];

		remove_timer_at(l, 0);
		t.cb(t.arg);
		n_run++;
	}
	return n_run;
}

int
loop_run_once(struct loop *l, int64_t max_wait_us)
{
	size_t n;
	int rc, n_run = 0;

	/* A nested call would reuse the scratch arrays the outer dispatch
	 * is walking; nothing needs one, so treat it as a bug. */
	if (l->depth)
		BUG("loop_run_once called from a loop callback");
	compact_fds(l);
	n = build_pollset(l);
	rc = poll(l->pfds, n, poll_timeout_ms(l, max_wait_us));
	if (rc < 0 && errno != EINTR)
		return -1;
	l->depth++;
	if (rc > 0) {
		n_run += dispatch_fds(l, n);
		if (l->pfds[0].revents)
			n_run += dispatch_signals(l);
	}
	n_run += dispatch_timers(l);
	l->depth--;
	compact_fds(l);
	return n_run;
}

int
loop_run(struct loop *l)
{
	l->is_stopped = 0;
	while (!l->is_stopped)
		if (loop_run_once(l, -1) < 0)
			return -1;
	return 0;
}

void
loop_stop(struct loop *l)
{
	l->is_stopped = 1;
}

const struct clock *
loop_clock(const struct loop *l)
{
	return l->clk;
}
