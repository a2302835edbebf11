/* Tests for the poll() event loop: timers, fds, deletion from callbacks
 * and signals through the self-pipe. */
#include "config.h"

#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "loop.h"
#include "suites.h"

/* Run L until *FLAG is set or LIMIT_US passes; returns *FLAG. */
static int
run_until(struct loop *l, const int *flag, int64_t limit_us)
{
	int64_t end = clock_mono_now(clock_system()) + limit_us;

	while (!*flag && clock_mono_now(clock_system()) < end)
		ck_assert_int_ge(loop_run_once(l, 50000), 0);
	return *flag;
}

struct order {
	int seen[8];
	int n;
};

struct tick {
	struct order *o;
	int id;
};

static void
record_tick(void *arg)
{
	struct tick *t = arg;

	t->o->seen[t->o->n++] = t->id;
}

START_TEST(test_loop_timers_fire_in_deadline_order)
{
	struct clock clk;
	struct loop *l;
	struct order o = { { 0 }, 0 };
	struct tick t[4] = { { &o, 1 }, { &o, 2 }, { &o, 3 }, { &o, 4 } };

	/* A manual clock makes equal deadlines exact. */
	clock_init_manual(&clk, 0, 1000000);
	l = loop_new(&clk);
	loop_add_timer(l, 30000, record_tick, &t[2]);
	loop_add_timer(l, 10000, record_tick, &t[0]);
	loop_add_timer(l, 20000, record_tick, &t[1]);
	loop_add_timer(l, 30000, record_tick, &t[3]);	/* tie: FIFO */
	ck_assert_int_eq(loop_run_once(l, 0), 0);
	clock_advance(&clk, 15000);
	ck_assert_int_eq(loop_run_once(l, 0), 1);
	clock_advance(&clk, 15000);
	ck_assert_int_eq(loop_run_once(l, 0), 3);
	ck_assert_int_eq(o.n, 4);
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(o.seen[i], i + 1);
	loop_free(l);
}
END_TEST

START_TEST(test_loop_cancelled_timer_never_fires)
{
	struct loop *l = loop_new(NULL);
	struct order o = { { 0 }, 0 };
	struct tick a = { &o, 1 }, b = { &o, 2 };
	uint64_t id = loop_add_timer(l, 5000, record_tick, &a);

	loop_add_timer(l, 20000, record_tick, &b);
	loop_cancel_timer(l, id);
	loop_cancel_timer(l, id);	/* twice is harmless */
	loop_cancel_timer(l, 9999);	/* unknown too */
	while (o.n < 1)
		ck_assert_int_ge(loop_run_once(l, 1000000), 0);
	ck_assert_int_eq(o.n, 1);
	ck_assert_int_eq(o.seen[0], 2);
	loop_free(l);
}
END_TEST

struct rearm {
	struct loop *l;
	int n_fired;
	uint64_t victim;
	int victim_fired;
};

static void
victim_cb(void *arg)
{
	((struct rearm *)arg)->victim_fired = 1;
}

/* Re-arms itself with a zero delay; cancels the victim on its first run. */
static void
rearm_cb(void *arg)
{
	struct rearm *r = arg;

	if (r->n_fired++ == 0)
		loop_cancel_timer(r->l, r->victim);
	if (r->n_fired < 3)
		loop_add_timer(r->l, 0, rearm_cb, r);
}

static void
set_flag(void *arg)
{
	*(int *)arg = 1;
}

START_TEST(test_loop_timer_callback_may_add_and_cancel_timers)
{
	struct rearm r = { loop_new(NULL), 0, 0, 0 };
	int is_past_victim = 0;

	loop_add_timer(r.l, 0, rearm_cb, &r);
	r.victim = loop_add_timer(r.l, 1000, victim_cb, &r);
	/* A zero-delay re-arm must wait for the next iteration, or a
	 * repeating timer would trap loop_run_once. */
	ck_assert_int_eq(loop_run_once(r.l, 0), 1);
	ck_assert_int_eq(r.n_fired, 1);
	loop_add_timer(r.l, 5000, set_flag, &is_past_victim);
	ck_assert(run_until(r.l, &is_past_victim, 2000000));
	ck_assert_int_eq(r.n_fired, 3);
	ck_assert_int_eq(r.victim_fired, 0);
	loop_free(r.l);
}
END_TEST

START_TEST(test_loop_waits_for_nearest_timer_without_spinning)
{
	struct loop *l = loop_new(NULL);
	struct order o = { { 0 }, 0 };
	struct tick t = { &o, 1 };
	int64_t start = clock_mono_now(clock_system());
	int n_iter = 0;

	loop_add_timer(l, 30000, record_tick, &t);
	while (o.n == 0) {
		ck_assert_int_ge(loop_run_once(l, -1), 0);
		n_iter++;
	}
	ck_assert_int_ge(clock_mono_now(clock_system()) - start, 30000);
	/* Rounding the timeout up means one poll, maybe two, not hundreds. */
	ck_assert_int_le(n_iter, 3);
	/* The cap bounds the wait when no timer is nearer. */
	start = clock_mono_now(clock_system());
	ck_assert_int_eq(loop_run_once(l, 20000), 0);
	ck_assert_int_ge(clock_mono_now(clock_system()) - start, 19000);
	loop_free(l);
}
END_TEST

struct reader {
	struct loop *l;
	char buf[64];
	size_t len;
	int saw_eof;
	int n_calls;
};

static void
read_cb(int fd, int events, void *arg)
{
	struct reader *r = arg;
	ssize_t n;

	r->n_calls++;
	ck_assert(events & LOOP_READ);
	n = read(fd, r->buf + r->len, sizeof(r->buf) - r->len - 1);
	if (n > 0) {
		r->len += (size_t)n;
		return;
	}
	r->saw_eof = 1;
	loop_del_fd(r->l, fd);
}

START_TEST(test_loop_fd_callback_sees_data_then_eof)
{
	struct reader r = { .l = loop_new(NULL) };
	int fds[2];

	ck_assert_int_eq(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
	ck_assert_int_eq(loop_add_fd(r.l, fds[0], LOOP_READ, read_cb, &r), 0);
	ck_assert_int_eq(loop_add_fd(r.l, fds[0], LOOP_READ, read_cb, &r), -1);
	ck_assert_int_eq(write(fds[1], "hello", 5), 5);
	close(fds[1]);
	ck_assert(run_until(r.l, &r.saw_eof, 2000000));
	r.buf[r.len] = '\0';
	ck_assert_str_eq(r.buf, "hello");
	/* Removed at EOF: further iterations call nothing. */
	ck_assert_int_eq(loop_run_once(r.l, 0), 0);
	ck_assert_int_eq(loop_mod_fd(r.l, fds[0], LOOP_READ), -1);
	close(fds[0]);
	loop_free(r.l);
}
END_TEST

struct killer {
	struct loop *l;
	int fd_a, fd_b;
	int n_a, n_b;
};

static void
kill_both_cb(int fd, int events, void *arg)
{
	struct killer *k = arg;

	(void)events;
	if (fd == k->fd_a)
		k->n_a++;
	else
		k->n_b++;
	/* Whichever runs first removes both, itself included. */
	loop_del_fd(k->l, k->fd_a);
	loop_del_fd(k->l, k->fd_b);
}

START_TEST(test_loop_del_fd_inside_callback_is_safe)
{
	struct killer k = { .l = loop_new(NULL) };
	int a[2], b[2];

	ck_assert_int_eq(pipe2(a, O_NONBLOCK | O_CLOEXEC), 0);
	ck_assert_int_eq(pipe2(b, O_NONBLOCK | O_CLOEXEC), 0);
	k.fd_a = a[0];
	k.fd_b = b[0];
	loop_add_fd(k.l, a[0], LOOP_READ, kill_both_cb, &k);
	loop_add_fd(k.l, b[0], LOOP_READ, kill_both_cb, &k);
	ck_assert_int_eq(write(a[1], "x", 1), 1);
	ck_assert_int_eq(write(b[1], "y", 1), 1);
	/* Both are ready in the same poll; only one callback may run. */
	ck_assert_int_eq(loop_run_once(k.l, 1000000), 1);
	ck_assert_int_eq(k.n_a + k.n_b, 1);
	ck_assert_int_eq(loop_run_once(k.l, 0), 0);
	/* The same fd can be watched again after its removal. */
	ck_assert_int_eq(loop_add_fd(k.l, a[0], LOOP_READ, kill_both_cb, &k),
			 0);
	ck_assert_int_eq(loop_run_once(k.l, 1000000), 1);
	for (int i = 0; i < 2; i++) {
		close(a[i]);
		close(b[i]);
	}
	loop_free(k.l);
}
END_TEST

struct writer {
	int n_write;
};

static void
write_cb(int fd, int events, void *arg)
{
	struct writer *w = arg;

	(void)fd;
	if (events & LOOP_WRITE)
		w->n_write++;
}

START_TEST(test_loop_mod_fd_switches_watched_events)
{
	struct loop *l = loop_new(NULL);
	struct writer w = { 0 };
	int fds[2];

	ck_assert_int_eq(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
	/* Watching nothing: even an idle writable pipe stays quiet. */
	ck_assert_int_eq(loop_add_fd(l, fds[1], 0, write_cb, &w), 0);
	ck_assert_int_eq(loop_run_once(l, 10000), 0);
	ck_assert_int_eq(loop_mod_fd(l, fds[1], LOOP_WRITE), 0);
	ck_assert_int_eq(loop_run_once(l, 1000000), 1);
	ck_assert_int_eq(w.n_write, 1);
	loop_del_fd(l, fds[1]);
	close(fds[0]);
	close(fds[1]);
	loop_free(l);
}
END_TEST

struct sig_seen {
	int signo;
	int n;
};

static void
sig_cb(int signo, void *arg)
{
	struct sig_seen *s = arg;

	s->signo = signo;
	s->n++;
}

START_TEST(test_loop_signal_arrives_through_self_pipe)
{
	struct loop *l = loop_new(NULL);
	struct sig_seen s = { 0, 0 };

	ck_assert_int_eq(loop_add_signal(l, SIGUSR1, sig_cb, &s, NULL), 0);
	raise(SIGUSR1);
	/* The handler itself only wrote a byte; the callback runs here. */
	ck_assert_int_eq(s.n, 0);
	ck_assert(run_until(l, &s.n, 2000000));
	ck_assert_int_eq(s.signo, SIGUSR1);
	ck_assert_int_eq(s.n, 1);
	loop_free(l);
}
END_TEST

/* Two runners on one loop each watch SIGCHLD: both are called; removing
 * one leaves the other, and the disposition is restored with the last. */
START_TEST(test_loop_signal_has_several_handlers)
{
	struct loop *l = loop_new(NULL);
	struct sig_seen a = { 0, 0 }, b = { 0, 0 };
	struct sigaction now;

	signal(SIGUSR1, SIG_IGN);
	ck_assert_int_eq(loop_add_signal(l, SIGUSR1, sig_cb, &a, NULL), 0);
	ck_assert_int_eq(loop_add_signal(l, SIGUSR1, sig_cb, &b, NULL), 0);
	raise(SIGUSR1);
	ck_assert(run_until(l, &b.n, 2000000));
	ck_assert_int_eq(a.n, 1);
	ck_assert_int_eq(b.n, 1);
	loop_del_signal(l, SIGUSR1, sig_cb, &a);
	sigaction(SIGUSR1, NULL, &now);
	ck_assert(now.sa_handler != SIG_IGN);
	b.n = 0;
	raise(SIGUSR1);
	ck_assert(run_until(l, &b.n, 2000000));
	ck_assert_int_eq(a.n, 1);
	ck_assert_int_eq(b.n, 1);
	loop_del_signal(l, SIGUSR1, sig_cb, &b);
	sigaction(SIGUSR1, NULL, &now);
	ck_assert(now.sa_handler == SIG_IGN);
	signal(SIGUSR1, SIG_DFL);
	loop_free(l);
}
END_TEST

START_TEST(test_loop_free_restores_signal_disposition)
{
	struct loop *l = loop_new(NULL);
	struct sig_seen s = { 0, 0 };
	struct sigaction before, after;

	signal(SIGUSR2, SIG_IGN);
	ck_assert_int_eq(loop_add_signal(l, SIGUSR2, sig_cb, &s, NULL), 0);
	sigaction(SIGUSR2, NULL, &after);
	ck_assert(after.sa_handler != SIG_IGN);
	loop_free(l);
	sigaction(SIGUSR2, NULL, &before);
	ck_assert(before.sa_handler == SIG_IGN);
	signal(SIGUSR2, SIG_DFL);
}
END_TEST

static void
stop_cb(void *arg)
{
	loop_stop(arg);
}

START_TEST(test_loop_run_returns_after_loop_stop)
{
	struct loop *l = loop_new(NULL);

	loop_add_timer(l, 10000, stop_cb, l);
	ck_assert_int_eq(loop_run(l), 0);
	ck_assert_ptr_eq(loop_clock(l), clock_system());
	loop_free(l);
	loop_free(NULL);
}
END_TEST

/* One TCase per behaviour, named after the fact its test states. */
static void
add_case(Suite *s, const TTest *test)
{
	TCase *tc = tcase_create(test->name);

	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test);
	suite_add_tcase(s, tc);
}

Suite *
loop_suite(void)
{
	Suite *s = suite_create("loop");

	add_case(s, test_loop_timers_fire_in_deadline_order);
	add_case(s, test_loop_cancelled_timer_never_fires);
	add_case(s, test_loop_timer_callback_may_add_and_cancel_timers);
	add_case(s, test_loop_waits_for_nearest_timer_without_spinning);
	add_case(s, test_loop_fd_callback_sees_data_then_eof);
	add_case(s, test_loop_del_fd_inside_callback_is_safe);
	add_case(s, test_loop_mod_fd_switches_watched_events);
	add_case(s, test_loop_signal_arrives_through_self_pipe);
	add_case(s, test_loop_signal_has_several_handlers);
	add_case(s, test_loop_free_restores_signal_disposition);
	add_case(s, test_loop_run_returns_after_loop_stop);
	return s;
}
