/* A fixed-capacity ring of strings. A block of lines (a read of a
 * command's output) is copied once and waits, unsplit, until somebody
 * looks at a line: a flood hands over a block per read, far more than are
 * ever drawn, and a block that later blocks push out of the ring is freed
 * without its lines ever being found. Lines split from a block share its
 * reference-counted copy. */
#include "config.h"
#include "logbuf.h"

#include <stdlib.h>
#include <string.h>

#include "memscan.h"
#include "xalloc.h"

struct chunk {
	size_t refs;		/* lines of the ring in it */
	struct chunk *next;	/* while pending: the next block */
	size_t len;
	size_t n_lines;
	enum log_kind kind;
	char text[];
};

struct logline {
	char *text;
	struct chunk *chunk;	/* the block TEXT lives in, or NULL */
	enum log_kind kind;
};

struct logbuf {
	struct logline *lines;
	size_t max;
	size_t head;	/* index of the oldest line */
	size_t n;
	unsigned long total;
	struct chunk *pending, *pending_tail;	/* blocks not split yet */
	size_t pending_lines;
};

struct logbuf *
logbuf_new(size_t max)
{
	struct logbuf *lb = xcalloc(1, sizeof(*lb));

	lb->max = max ? max : 1;
	lb->lines = xcalloc(lb->max, sizeof(*lb->lines));
	return lb;
}

static void
line_release(struct logline *l)
{
	if (l->chunk) {
		if (--l->chunk->refs == 0)
			free(l->chunk);
	} else {
		free(l->text);
	}
	l->text = NULL;
	l->chunk = NULL;
}

static void
drop_pending_head(struct logbuf *lb)
{
	struct chunk *c = lb->pending;

	lb->pending = c->next;
	if (!lb->pending)
		lb->pending_tail = NULL;
	lb->pending_lines -= c->n_lines;
	free(c);
}

void
logbuf_free(struct logbuf *lb)
{
	if (!lb)
		return;
	while (lb->pending)
		drop_pending_head(lb);
	for (size_t i = 0; i < lb->max; i++)
		line_release(&lb->lines[i]);
	free(lb->lines);
	free(lb);
}

/* The slot for a new line, its old line released. */
static struct logline *
next_slot(struct logbuf *lb)
{
	struct logline *l;

	if (lb->n < lb->max) {
		size_t i = lb->head + lb->n++;

		l = &lb->lines[i < lb->max ? i : i - lb->max];
	} else {
		l = &lb->lines[lb->head];
		if (++lb->head == lb->max)
			lb->head = 0;
		line_release(l);
	}
	return l;
}

/* Start of the last KEEP lines of C's text (KEEP <= its lines; a count
 * that was wrong gives the whole text, never a read outside it). */
static char *
last_lines(struct chunk *c, size_t keep)
{
	char *p = c->text + c->len;

	if (keep >= c->n_lines)
		return c->text;
	while (keep--) {
		p = memrchr(c->text, '\n', (size_t)(p - c->text));
		if (!p)
			return c->text;
	}
	return p + 1;
}

/* Put C's last KEEP lines into the ring; C is freed when none is kept. */
static void
split_into_ring(struct logbuf *lb, struct chunk *c, size_t keep)
{
	char *p = keep ? last_lines(c, keep) : NULL;
	char *end = c->text + c->len;

	while (p) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		struct logline *l = next_slot(lb);

		if (nl)
			*nl = '\0';
		l->text = p;
		l->chunk = c;
		l->kind = c->kind;
		c->refs++;
		p = nl ? nl + 1 : NULL;
	}
	if (c->refs == 0)
		free(c);
}

/* Split the pending blocks into the ring, only as many of their last
 * lines as it holds. */
static void
split_pending(struct logbuf *lb)
{
	size_t after = lb->pending_lines;	/* lines from C on */

	while (lb->pending) {
		struct chunk *c = lb->pending;
		size_t later = after - c->n_lines;
		size_t keep = later >= lb->max ? 0
			      : c->n_lines < lb->max - later ? c->n_lines
			      : lb->max - later;

		lb->pending = c->next;
		split_into_ring(lb, c, keep);
		after = later;
	}
	lb->pending_tail = NULL;
	lb->pending_lines = 0;
}

void
logbuf_add(struct logbuf *lb, enum log_kind kind, const char *text)
{
	struct logline *l;

	split_pending(lb);
	l = next_slot(lb);
	l->text = xstrdup(text);
	l->kind = kind;
	lb->total++;
}

/* Where the last MAX of TEXT's N lines start (N > MAX), or TEXT: after
 * the MAX-th newline from the end, found a word at a time (a newline at
 * a time cost a call per line kept, 5,000 for each read of a flood). */
static const char *
tail_lines(const char *text, size_t len, size_t n, size_t max)
{
	size_t at = mem_rfind_nth(text, '\n', len, max);

	return at < len && n > max ? text + at + 1 : text;
}

void
logbuf_add_lines(struct logbuf *lb, enum log_kind kind, const char *text,
		 size_t len, uint64_t n_lines)
{
	size_t n = n_lines ? (size_t)n_lines : 1 + mem_count(text, '\n', len);
	const char *from = n > lb->max ? tail_lines(text, len, n, lb->max)
				       : text;
	size_t keep = len - (size_t)(from - text);
	struct chunk *c = xmalloc(sizeof(*c) + keep + 1);

	/* A read larger than the ring keeps only what fits: copying all of
	 * it would cost fresh pages for lines about to be dropped. */
	memcpy(c->text, from, keep);
	c->text[keep] = '\0';
	c->refs = 0;
	c->next = NULL;
	c->len = keep;
	c->n_lines = from == text ? n : lb->max;
	c->kind = kind;
	lb->total += n - c->n_lines;
	if (lb->pending_tail)
		lb->pending_tail->next = c;
	else
		lb->pending = c;
	lb->pending_tail = c;
	lb->pending_lines += c->n_lines;
	lb->total += c->n_lines;
	/* Blocks that the later ones push out entirely go unsplit. */
	while (lb->pending_lines - lb->pending->n_lines >= lb->max)
		drop_pending_head(lb);
}

size_t
logbuf_count(const struct logbuf *lb)
{
	size_t n = lb->n + lb->pending_lines;

	return n < lb->max ? n : lb->max;
}

unsigned long
logbuf_total(const struct logbuf *lb)
{
	return lb->total;
}

const char *
logbuf_line(struct logbuf *lb, size_t i, enum log_kind *kind)
{
	const struct logline *l;

	split_pending(lb);
	if (i >= lb->n)
		return NULL;
	l = &lb->lines[(lb->head + i) % lb->max];
	if (kind)
		*kind = l->kind;
	return l->text;
}
