/* A fixed-capacity ring of strings. */
#include "config.h"
#include "logbuf.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

struct logline {
	char *text;
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

void
logbuf_free(struct logbuf *lb)
{
	if (!lb)
		return;
	for (size_t i = 0; i < lb->max; i++)
		free(lb->lines[i].text);
	free(lb->lines);
	free(lb);
}

void
logbuf_add(struct logbuf *lb, enum log_kind kind, const char *text)
{
	struct logline *l;

	if (lb->n < lb->max) {
		l = &lb->lines[(lb->head + lb->n++) % lb->max];
	} else {
		l = &lb->lines[lb->head];
		lb->head = (lb->head + 1) % lb->max;
		free(l->text);
	}
	l->text = xstrdup(text);
	l->kind = kind;
	lb->total++;
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

long
logbuf_find(const struct logbuf *lb, long from, int dir, const char *needle)
{
	long n = (long)lb->n;

	if (n == 0 || !needle || !*needle)
		return -1;
	for (long k = 1; k <= n; k++) {
		long i = ((from + dir * k) % n + n) % n;

		if (strstr(logbuf_line(lb, (size_t)i, NULL), needle))
			return i;
	}
	return -1;
}
