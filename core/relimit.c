/* Limits on playbook regular expressions, so that regcomp only ever sees
 * patterns it compiles in bounded time and memory. */
#include "config.h"
#include "relimit.h"

#include <stdlib.h>
#include <string.h>

#include "err.h"

struct scan {
	const char *p;
	long weight[RELIMIT_MAX_DEPTH + 1];	/* largest inside each group */
	int depth;
	long last;	/* weight of the atom a repetition would apply to */
	int run;	/* repetition operators after that atom */
};

/* Skip a bracket expression starting at '['; returns the byte after ']'
 * (or the end: regcomp reports the missing bracket). */
static const char *
skip_bracket(const char *p)
{
	p++;
	if (*p == '^')
		p++;
	if (*p == ']')
		p++;
	while (*p && *p != ']') {
		if (*p == '[' && (p[1] == ':' || p[1] == '.' || p[1] == '=')) {
			const char *end = strchr(p + 2, p[1]);

			p = end && end[1] == ']' ? end + 2 : p + 1;
		} else
			p++;
	}
	return *p ? p + 1 : p;
}

/* The interval "{m}", "{m,}" or "{m,n}" at P: its bounds (*HI = -1 when
 * open) and length. Returns -1 when P is no interval (glibc takes '{'
 * literally then). */
static int
interval_parts(const char *p, long *lo, long *hi, size_t *len)
{
	char *end;

	if (p[1] < '0' || p[1] > '9')
		return -1;
	*lo = strtol(p + 1, &end, 10);
	*hi = *lo;
	if (*end == ',') {
		*hi = end[1] >= '0' && end[1] <= '9' ? strtol(end + 1, &end, 10)
						    : -1;
		if (*end == ',')
			end++;
	}
	if (*end != '}')
		return -1;
	*len = (size_t)(end - p) + 1;
	return 0;
}

/* The upper bound of an interval at P, its length in *LEN; an open one
 * counts as one more than its lower bound. -1 when P is no interval. */
static long
interval_bound(const char *p, size_t *len)
{
	long lo, hi;

	if (interval_parts(p, &lo, &hi, len) < 0)
		return -1;
	if (hi < 0)
		hi = lo + 1;
	return lo > hi ? lo : hi;
}

static void
add_atom(struct scan *s, long weight)
{
	s->last = weight;
	s->run = 0;
	if (weight > s->weight[s->depth])
		s->weight[s->depth] = weight;
}

static int
repeat(struct scan *s, long bound, struct err *err)
{
	if (++s->run > RELIMIT_MAX_RUN)
		return err_set(err, ERR_INVALID, "%d repetition operators in "
			       "a row (the limit is %d)", s->run,
			       RELIMIT_MAX_RUN);
	if (bound > RELIMIT_MAX_COUNT)
		return err_set(err, ERR_INVALID, "a count of %ld in {} (the "
			       "limit is %d)", bound, RELIMIT_MAX_COUNT);
	if (bound > 1)
		s->last *= bound;
	if (s->last > RELIMIT_MAX_PRODUCT)
		return err_set(err, ERR_INVALID, "nested counted repetitions "
			       "multiply to %ld (the limit is %d)", s->last,
			       RELIMIT_MAX_PRODUCT);
	if (s->last > s->weight[s->depth])
		s->weight[s->depth] = s->last;
	return 0;
}

static int
open_group(struct scan *s, struct err *err)
{
	if (s->depth == RELIMIT_MAX_DEPTH)
		return err_set(err, ERR_INVALID, "groups nested %d deep (the "
			       "limit is %d)", s->depth + 1 + (int)strspn(
				       s->p + 1, "("), RELIMIT_MAX_DEPTH);
	s->weight[++s->depth] = 1;
	s->run = 0;
	return 0;
}

static void
close_group(struct scan *s)
{
	if (s->depth == 0) {	/* a lone ')' is an ordinary character */
		add_atom(s, 1);
		return;
	}
	s->depth--;
	add_atom(s, s->weight[s->depth + 1]);
}

static int
scan_one(struct scan *s, struct err *err)
{
	size_t len = 1;
	long bound;

	switch (*s->p) {
	case '\\':
		add_atom(s, 1);
		len = s->p[1] ? 2 : 1;
		break;
	case '[':
		add_atom(s, 1);
		len = (size_t)(skip_bracket(s->p) - s->p);
		break;
	case '(':
		return open_group(s, err) < 0 ? -1 : (s->p++, 0);
	case ')':
		close_group(s);
		break;
	case '|':
		s->run = 0;
		break;
	case '*': case '+': case '?':
		return repeat(s, 1, err) < 0 ? -1 : (s->p++, 0);
	case '{':
		bound = interval_bound(s->p, &len);
		if (bound < 0)
			add_atom(s, 1);
		else if (repeat(s, bound, err) < 0)
			return -1;
		break;
	default:
		add_atom(s, 1);
	}
	s->p += len;
	return 0;
}

int
relimit_check(const char *pattern, struct err *err)
{
	struct scan s = { .p = pattern, .weight = { 1 }, .last = 1 };
	size_t n = strlen(pattern);

	if (n > RELIMIT_MAX_LEN)
		return err_set(err, ERR_INVALID, "pattern of %zu bytes, the "
			       "limit is %d", n, RELIMIT_MAX_LEN);
	while (*s.p)
		if (scan_one(&s, err) < 0)
			return -1;
	return 0;
}

/* Append the interval at P (LEN bytes) to OUT with its counts cut to at
 * most 1, keeping its form; an interval regcomp refuses (m > n) is kept
 * as it is, so that it is still refused. */
static char *
shrink_interval(char *out, const char *p, size_t len)
{
	long lo, hi;

	if (interval_parts(p, &lo, &hi, &len) < 0 || (hi >= 0 && lo > hi) ||
	    (hi >= 0 && p[len - 2] == ',')) {	/* "{1,2,}": as it is */
		memcpy(out, p, len);
		return out + len;
	}
	*out++ = '{';
	*out++ = lo > 0 ? '1' : '0';
	if (hi != lo || p[len - 2] == ',') {
		*out++ = ',';
		if (hi >= 0)
			*out++ = hi > 0 ? '1' : '0';
	}
	*out++ = '}';
	return out;
}

char *
relimit_shrunk(const char *pattern)
{
	char *copy = malloc(strlen(pattern) + 1), *out = copy;
	const char *p = pattern;
	size_t len;
	long lo, hi;

	if (!copy)
		return NULL;
	while (*p) {
		if (*p == '\\')
			len = p[1] ? 2 : 1;
		else if (*p == '[')
			len = (size_t)(skip_bracket(p) - p);
		else if (*p == '{' && interval_parts(p, &lo, &hi, &len) == 0) {
			out = shrink_interval(out, p, len);
			p += len;
			continue;
		} else
			len = 1;
		memcpy(out, p, len);
		out += len;
		p += len;
	}
	*out = '\0';
	return copy;
}
