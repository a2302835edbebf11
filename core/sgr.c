/* A strict SGR reader: it takes only well-formed, bounded ESC [ ... m
 * sequences and leaves every other byte to the sanitizer, so a sequence
 * it does not understand stays visible. */
#include "config.h"
#include "sgr.h"

#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

#define ESC '\033'

/* The numbers of one sequence; an empty one counts as 0. */
struct params {
	int v[SGR_MAX_PARAMS];
	int n;
};

/* Read "N;N...m" from P (END bounds it) into *PS; the bytes through the
 * 'm', or 0 when malformed or absurd. */
static size_t
read_params(const char *p, const char *end, struct params *ps)
{
	const char *start = p;
	int digits = 0, val = 0;

	ps->n = 0;
	for (; p < end; p++) {
		if (*p >= '0' && *p <= '9') {
			if (++digits > 3)
				return 0;
			val = val * 10 + (*p - '0');
			continue;
		}
		if ((*p != ';' && *p != 'm') || val > 255 ||
		    ps->n == SGR_MAX_PARAMS)
			return 0;
		ps->v[ps->n++] = val;
		if (*p == 'm')
			return (size_t)(p - start) + 1;
		digits = val = 0;
	}
	return 0;
}

/* The colour of 38, 48 or 58 at PS->v[*I] (";5;N" or ";2;R;G;B") into
 * *C, *I moved to its last number; -1 when the form is incomplete. */
static int
ext_color(const struct params *ps, int *i, struct sgr_color *c)
{
	const int *v = ps->v + *i;
	int left = ps->n - *i - 1;

	if (left >= 2 && v[1] == 5) {
		c->kind = SGR_COLOR_INDEXED;
		c->value = v[2];
		*i += 2;
		return 0;
	}
	if (left >= 4 && v[1] == 2) {
		c->kind = SGR_COLOR_RGB;
		c->value = v[2] << 16 | v[3] << 8 | v[4];
		*i += 4;
		return 0;
	}
	return -1;
}

static void
set_color(struct sgr_color *c, int kind, int value)
{
	c->kind = kind;
	c->value = value;
}

/* Flags turned on (codes 1-7) and off (codes 22-27), by code. */
static unsigned
flags_on(int code)
{
	static const unsigned on[8] = { 0, SGR_BOLD, SGR_DIM, SGR_ITALIC,
					SGR_UNDERLINE, 0, 0, SGR_REVERSE };

	return code >= 0 && code < 8 ? on[code] : 0;
}

static unsigned
flags_off(int code)
{
	static const unsigned off[6] = { SGR_BOLD | SGR_DIM, SGR_ITALIC,
					 SGR_UNDERLINE, 0, 0, SGR_REVERSE };

	return code >= 22 && code < 28 ? off[code - 22] : 0;
}

/* Apply the code at PS->v[*I] to *ST (moving *I past a colour's numbers);
 * -1 for a code that makes the whole sequence absurd. */
static int
apply_code(const struct params *ps, int *i, struct sgr_style *st)
{
	int c = ps->v[*i];
	struct sgr_color unused;

	if (c == 0)
		memset(st, 0, sizeof(*st));
	else if (c >= 30 && c <= 37)
		set_color(&st->fg, SGR_COLOR_INDEXED, c - 30);
	else if (c >= 40 && c <= 47)
		set_color(&st->bg, SGR_COLOR_INDEXED, c - 40);
	else if (c >= 90 && c <= 97)
		set_color(&st->fg, SGR_COLOR_INDEXED, c - 90 + 8);
	else if (c >= 100 && c <= 107)
		set_color(&st->bg, SGR_COLOR_INDEXED, c - 100 + 8);
	else if (c == 39 || c == 49)
		set_color(c == 39 ? &st->fg : &st->bg, SGR_COLOR_DEFAULT, 0);
	else if (c == 38 || c == 48 || c == 58)
		/* 58 (underline colour) is read only to skip its numbers. */
		return ext_color(ps, i, c == 38 ? &st->fg
					: c == 48 ? &st->bg : &unused);
	else if (c > 107)
		return -1;
	st->flags = (st->flags | flags_on(c)) & ~flags_off(c);
	return 0;
}

size_t
sgr_parse(const char *text, size_t len, struct sgr_style *style)
{
	struct params ps;
	struct sgr_style st = *style;
	size_t n;

	if (len < 3 || text[0] != ESC || text[1] != '[')
		return 0;
	n = read_params(text + 2, text + len, &ps);
	if (n == 0)
		return 0;
	for (int i = 0; i < ps.n; i++) {
		if (apply_code(&ps, &i, &st) < 0)
			return 0;
	}
	*style = st;
	return n + 2;
}

void
sgr_iter_init(struct sgr_iter *it, const char *text, size_t len)
{
	memset(it, 0, sizeof(*it));
	it->text = text;
	it->len = len;
}

/* Where the next sequence sgr_parse takes starts at or after FROM; the
 * end of the line when there is none. */
static size_t
next_sgr(const struct sgr_iter *it, size_t from)
{
	while (from < it->len) {
		const char *esc = memchr(it->text + from, ESC, it->len - from);
		struct sgr_style scratch = it->style;

		if (!esc)
			break;
		from = (size_t)(esc - it->text);
		if (sgr_parse(esc, it->len - from, &scratch))
			return from;
		from++;
	}
	return it->len;
}

int
sgr_iter_next(struct sgr_iter *it, struct sgr_run *run)
{
	size_t n, end;

	while (it->pos < it->len &&
	       (n = sgr_parse(it->text + it->pos, it->len - it->pos,
			      &it->style)) > 0)
		it->pos += n;
	if (it->pos >= it->len)
		return 0;
	end = next_sgr(it, it->pos + 1);
	run->off = it->pos;
	run->len = end - it->pos;
	run->style = it->style;
	it->pos = end;
	return 1;
}

char *
sgr_strip(const char *text)
{
	struct strbuf sb = STRBUF_INIT;
	struct sgr_iter it;
	struct sgr_run run;

	sgr_iter_init(&it, text, strlen(text));
	while (sgr_iter_next(&it, &run))
		strbuf_add(&sb, text + run.off, run.len);
	return strbuf_detach(&sb);
}

int
sgr_contains(const char *text, const char *needle)
{
	char *shown;
	int found;

	if (!strchr(text, ESC))
		return strstr(text, needle) != NULL;
	shown = sgr_strip(text);
	found = strstr(shown, needle) != NULL;
	free(shown);
	return found;
}
