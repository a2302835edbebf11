/* A fixed-capacity ring of strings. Lines added in a block share one
 * reference-counted copy of it, so a flood costs a memcpy and a newline
 * scan per read, not an allocation per line. */
#include "config.h"
#include "logbuf.h"

#include <stdlib.h>
#include <string.h>

#include "memscan.h"
#include "xalloc.h"

struct chunk {
	size_t refs;
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

void
logbuf_free(struct logbuf *lb)
{
	if (!lb)
		return;
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
	lb->total++;
	return l;
}

void
logbuf_add(struct logbuf *lb, enum log_kind kind, const char *text)
{
	struct logline *l = next_slot(lb);

	l->text = xstrdup(text);
	l->kind = kind;
}

/* Skip to the last MAX lines of TEXT[0..LEN), which holds N_LINES lines
 * (0: unknown); *SKIPPED gets how many lines were passed over. */
static const char *
last_lines(const char *text, size_t len, size_t max, uint64_t n_lines,
	   unsigned long *skipped)
{
	const char *p = text + len;
	size_t n = 1;

	*skipped = 0;
	while (p > text) {
		const char *nl = memrchr(text, '\n', (size_t)(p - text));

		if (!nl)
			return text;
		if (n == max) {
			*skipped = n_lines > max
				? (unsigned long)(n_lines - max)
				: mem_count(text, '\n', (size_t)(nl - text) + 1);
			return nl + 1;
		}
		n++;
		p = nl;
	}
	return text;
}

void
logbuf_add_lines(struct logbuf *lb, enum log_kind kind, const char *text,
		 size_t len, uint64_t n_lines)
{
	unsigned long skipped;
	const char *from = last_lines(text, len, lb->max, n_lines, &skipped);
	size_t n = len - (size_t)(from - text);
	struct chunk *c = xmalloc(sizeof(*c) + n + 1);
	char *p = c->text, *end = c->text + n;

	memcpy(c->text, from, n);
	*end = '\0';
	c->refs = 0;
	lb->total += skipped;
	for (;;) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		struct logline *l = next_slot(lb);

		if (nl)
			*nl = '\0';
		l->text = p;
		l->chunk = c;
		l->kind = kind;
		c->refs++;
		if (!nl)
			break;
		p = nl + 1;
	}
}

size_t
logbuf_count(const struct logbuf *lb)
{
	return lb->n;
}

unsigned long
logbuf_total(const struct logbuf *lb)
{
	return lb->total;
}

const char *
logbuf_line(const struct logbuf *lb, size_t i, enum log_kind *kind)
{
	const struct logline *l;

	if (i >= lb->n)
		return NULL;
	l = &lb->lines[(lb->head + i) % lb->max];
	if (kind)
		*kind = l->kind;
	return l->text;
}
