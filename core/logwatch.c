/* tail -F on the loop: a timer looks at the file (stat of the path, fstat
 * of the open descriptor), reads what was appended, splits it into lines
 * and feeds the pattern counters. Inotify would wake us sooner, but a
 * 250 ms poll costs next to nothing and also works on network file
 * systems and for files that do not exist yet. */
#include "config.h"
#include "logwatch.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.h"
#include "loop.h"
#include "strbuf.h"
#include "xalloc.h"

#define DEFAULT_INTERVAL_US	250000
#define DEFAULT_MAX_LINE	4096
#define DEFAULT_BACKLOG		10
#define BACKLOG_BYTES		65536
#define READ_CHUNK		65536
#define READ_BUDGET		((size_t)4 << 20)	/* per look */
#define MAX_TIMES		((size_t)1 << 20)	/* per counter */

struct counter {
	const regex_t *re;
	int threshold;
	int64_t window_us;
	int64_t *times;		/* ring of match times, oldest at head */
	size_t head, n, cap;
	uint64_t total;
	int is_above;
};

struct logwatch {
	struct loop *loop;
	char *path;
	int64_t interval_us;
	size_t max_line;
	int n_backlog;
	logwatch_line_cb on_line;
	logwatch_threshold_cb on_threshold;
	void *arg;
	uint64_t timer;
	int fd;
	dev_t dev;
	ino_t ino;
	off_t offset;
	int has_looked;		/* the first look was done */
	int is_cutting;		/* dropping the rest of an over-long line */
	struct strbuf partial;	/* a line still waiting for its newline */
	struct counter *counters;
	size_t n_counters;
	uint64_t n_lines;
	char status[512];
};

static void on_tick(void *arg);

/* --- counters ------------------------------------------------------------------- */

size_t
logwatch_add_counter(struct logwatch *w, const regex_t *re, int threshold,
		     int64_t window_us)
{
	struct counter *c;

	w->counters = xrealloc(w->counters,
			       (w->n_counters + 1) * sizeof(*w->counters));
	c = &w->counters[w->n_counters];
	memset(c, 0, sizeof(*c));
	c->re = re;
	c->threshold = threshold;
	c->window_us = window_us;
	return w->n_counters++;
}

static void
push_time(struct counter *c, int64_t t)
{
	c->total++;
	if (!c->window_us)
		return;
	if (c->n == c->cap && c->cap < MAX_TIMES) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		int64_t *times = xmalloc(cap * sizeof(*times));

		for (size_t i = 0; i < c->n; i++)
			times[i] = c->times[(c->head + i) % c->cap];
		free(c->times);
		c->times = times;
		c->cap = cap;
		c->head = 0;
	}
	if (c->n == c->cap) {	/* full at the cap: forget the oldest */
		c->head = (c->head + 1) % c->cap;
		c->n--;
	}
	c->times[(c->head + c->n) % c->cap] = t;
	c->n++;
}

static int
counter_count(struct counter *c, int64_t now)
{
	if (!c->window_us)
		return c->total > INT32_MAX ? INT32_MAX : (int)c->total;
	while (c->n && c->times[c->head] <= now - c->window_us) {
		c->head = (c->head + 1) % c->cap;
		c->n--;
	}
	return (int)c->n;
}

static int64_t
now_us(const struct logwatch *w)
{
	return clock_mono_now(loop_clock(w->loop));
}

int
logwatch_count(struct logwatch *w, size_t i)
{
	if (i >= w->n_counters)
		return -1;
	return counter_count(&w->counters[i], now_us(w));
}

int
logwatch_is_above(const struct logwatch *w, size_t i)
{
	return i < w->n_counters && w->counters[i].is_above;
}

/* Report rising crossings; note falls so the next rise reports again. */
static void
update_thresholds(struct logwatch *w)
{
	int64_t now = now_us(w);

	for (size_t i = 0; i < w->n_counters; i++) {
		struct counter *c = &w->counters[i];
		int n = counter_count(c, now);

		if (!c->threshold)
			continue;
		if (n < c->threshold) {
			c->is_above = 0;
		} else if (!c->is_above) {
			c->is_above = 1;
			if (w->on_threshold)
				w->on_threshold(i, n, w->arg);
		}
	}
}

/* --- lines ---------------------------------------------------------------------- */

static void
deliver(struct logwatch *w, const char *line, size_t len, int flags)
{
	char *copy;

	while (len && line[len - 1] == '\r')
		len--;
	copy = xstrndup(line, len);
	if (!(flags & (LOGWATCH_BACKLOG | LOGWATCH_NOTICE))) {
		int64_t now = now_us(w);

		w->n_lines++;
		for (size_t i = 0; i < w->n_counters; i++)
			if (regexec(w->counters[i].re, copy, 0, NULL, 0) == 0)
				push_time(&w->counters[i], now);
	}
	if (w->on_line)
		w->on_line(copy, len, flags, w->arg);
	free(copy);
}

static void notice(struct logwatch *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
notice(struct logwatch *w, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	deliver(w, buf, strlen(buf), LOGWATCH_NOTICE);
}

/* Add one newline-free SEGMENT to the partial line, cutting at max_line. */
static void
add_segment(struct logwatch *w, const char *seg, size_t len)
{
	size_t room;

	if (w->is_cutting)
		return;
	room = w->max_line - w->partial.len;
	if (len <= room) {
		strbuf_add(&w->partial, seg, len);
		return;
	}
	strbuf_add(&w->partial, seg, room);
	deliver(w, strbuf_str(&w->partial), w->partial.len, LOGWATCH_CUT);
	strbuf_reset(&w->partial);
	w->is_cutting = 1;
}

static void
end_line(struct logwatch *w)
{
	if (!w->is_cutting)
		deliver(w, strbuf_str(&w->partial), w->partial.len, 0);
	strbuf_reset(&w->partial);
	w->is_cutting = 0;
}

static void
feed(struct logwatch *w, const char *data, size_t len)
{
	while (len) {
		const char *nl = memchr(data, '\n', len);
		size_t seg = nl ? (size_t)(nl - data) : len;

		add_segment(w, data, seg);
		if (!nl)
			return;
		end_line(w);
		data += seg + 1;
		len -= seg + 1;
	}
}

/* A last line without its newline in a file we leave is still a line. */
static void
flush_partial(struct logwatch *w)
{
	if (w->partial.len && !w->is_cutting)
		deliver(w, strbuf_str(&w->partial), w->partial.len, 0);
	strbuf_reset(&w->partial);
	w->is_cutting = 0;
}

/* --- the file ------------------------------------------------------------------- */

static int
read_available(struct logwatch *w)
{
	char buf[READ_CHUNK];
	size_t done = 0;
	ssize_t n;

	while (done < READ_BUDGET) {
		n = read(w->fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0;
		w->offset += n;
		done += (size_t)n;
		feed(w, buf, (size_t)n);
	}
	return 1;	/* more may be waiting */
}

static void
close_file(struct logwatch *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
}

static size_t
count_newlines(const char *buf, size_t from, size_t to)
{
	size_t n = 0;

	for (size_t p = from; p < to; p++)
		n += buf[p] == '\n';
	return n;
}

/* Deliver the last n_backlog complete lines before END as context, and
 * keep an unfinished last line as the partial. */
static void
read_backlog(struct logwatch *w, off_t end)
{
	off_t from = end > BACKLOG_BYTES ? end - BACKLOG_BYTES : 0;
	char *buf = xmalloc((size_t)(end - from) + 1);
	ssize_t n = pread(w->fd, buf, (size_t)(end - from), from);
	size_t len = n > 0 ? (size_t)n : 0, i = len, p = 0, skip;

	while (i > 0 && buf[i - 1] != '\n')
		i--;
	if (len - i < w->max_line)
		strbuf_add(&w->partial, buf + i, len - i);
	else
		w->is_cutting = 1;
	/* Reading from the middle of the file: its first line is partial. */
	if (from > 0)
		while (p < i && buf[p++] != '\n')
			;
	skip = count_newlines(buf, p, i);
	skip = skip > (size_t)w->n_backlog ? skip - (size_t)w->n_backlog : 0;
	for (; skip && p < i; skip -= buf[p++] == '\n')
		;
	while (p < i) {
		size_t l = (size_t)((char *)memchr(buf + p, '\n', i - p) -
				    (buf + p));

		deliver(w, buf + p, l < w->max_line ? l : w->max_line,
			LOGWATCH_BACKLOG);
		p += l + 1;
	}
	free(buf);
}

static void
open_file(struct logwatch *w, int at_end)
{
	struct stat st;
	int fd = open(w->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0) {
		if (errno == ENOENT)
			snprintf(w->status, sizeof(w->status),
				 "waiting for %s to appear", w->path);
		else
			snprintf(w->status, sizeof(w->status), "%s: %s",
				 w->path, strerror(errno));
		return;
	}
	if (fstat(fd, &st) < 0 || S_ISDIR(st.st_mode)) {
		snprintf(w->status, sizeof(w->status), "%s: %s", w->path,
			 S_ISDIR(st.st_mode) ? "is a directory"
					     : strerror(errno));
		close(fd);
		return;
	}
	w->fd = fd;
	w->dev = st.st_dev;
	w->ino = st.st_ino;
	w->offset = 0;
	snprintf(w->status, sizeof(w->status), "following %s", w->path);
	if (at_end && S_ISREG(st.st_mode)) {
		if (w->n_backlog > 0)
			read_backlog(w, st.st_size);
		w->offset = lseek(fd, st.st_size, SEEK_SET);
	}
}

static int
was_replaced(const struct logwatch *w)
{
	struct stat st;

	return stat(w->path, &st) == 0 &&
	       (st.st_ino != w->ino || st.st_dev != w->dev);
}

static void
check_truncated(struct logwatch *w)
{
	struct stat st;

	if (fstat(w->fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_size >= w->offset)
		return;
	flush_partial(w);
	lseek(w->fd, 0, SEEK_SET);
	w->offset = 0;
	notice(w, "%s was truncated; reading from its start", w->path);
}

/* One look at the file; returns 1 when unread data remains. */
static int
look(struct logwatch *w)
{
	int first = !w->has_looked;
	int more;

	w->has_looked = 1;
	if (w->fd < 0) {
		open_file(w, first);
		if (w->fd < 0)
			return 0;
		if (!first)
			notice(w, "%s appeared; following it", w->path);
	}
	check_truncated(w);
	more = read_available(w);
	if (!more && was_replaced(w)) {
		/* Rotated: what was appended to the old file is read above;
		 * the new file is read from its start. */
		flush_partial(w);
		close_file(w);
		notice(w, "%s was rotated; following the new file", w->path);
		open_file(w, 0);
		more = w->fd >= 0 && read_available(w);
	}
	update_thresholds(w);
	return more;
}

static void
schedule(struct logwatch *w, int more)
{
	w->timer = loop_add_timer(w->loop, more ? 0 : w->interval_us, on_tick,
				  w);
}

static void
on_tick(void *arg)
{
	struct logwatch *w = arg;

	w->timer = 0;
	schedule(w, look(w));
}

void
logwatch_check(struct logwatch *w)
{
	int more = look(w);

	if (w->timer)
		loop_cancel_timer(w->loop, w->timer);
	schedule(w, more);
}

struct logwatch *
logwatch_new(struct loop *l, const struct logwatch_opts *o)
{
	struct logwatch *w = xcalloc(1, sizeof(*w));

	w->loop = l;
	w->path = xstrdup(o->path);
	w->interval_us = o->interval_us > 0 ? o->interval_us
					    : DEFAULT_INTERVAL_US;
	w->max_line = o->max_line ? o->max_line : DEFAULT_MAX_LINE;
	w->n_backlog = o->n_backlog ? (o->n_backlog < 0 ? 0 : o->n_backlog)
				    : DEFAULT_BACKLOG;
	w->on_line = o->on_line;
	w->on_threshold = o->on_threshold;
	w->arg = o->arg;
	w->fd = -1;
	strbuf_init(&w->partial);
	snprintf(w->status, sizeof(w->status), "not looked at yet");
	schedule(w, look(w));
	return w;
}

void
logwatch_free(struct logwatch *w)
{
	if (!w)
		return;
	if (w->timer)
		loop_cancel_timer(w->loop, w->timer);
	close_file(w);
	strbuf_done(&w->partial);
	for (size_t i = 0; i < w->n_counters; i++)
		free(w->counters[i].times);
	free(w->counters);
	free(w->path);
	free(w);
}

const char *
logwatch_status(const struct logwatch *w)
{
	return w->status;
}

int
logwatch_is_open(const struct logwatch *w)
{
	return w->fd >= 0;
}

uint64_t
logwatch_n_lines(const struct logwatch *w)
{
	return w->n_lines;
}
