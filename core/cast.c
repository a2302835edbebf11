/* asciicast v2: a JSON header line, then [time, "o", text] events. Writes
 * are buffered so a flood of output costs few system calls, and the first
 * failed write ends the recording quietly: a full disk must not stop the
 * command being recorded. */
#include "config.h"
#include "cast.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <cjson/cJSON.h>

#include "err.h"
#include "strbuf.h"
#include "utf8.h"
#include "xalloc.h"

#define CAST_BUF (64 * 1024)	/* write buffer */
#define ESCAPE_MAX 6		/* longest output for one input sequence */

struct cast {
	int fd;
	int failed;		/* errno of the first failed write, or 0 */
	char *path;
	size_t len;		/* bytes waiting in buf */
	char buf[CAST_BUF];
};

static int
flush(struct cast *c)
{
	size_t off = 0;

	while (!c->failed && off < c->len) {
		ssize_t n = write(c->fd, c->buf + off, c->len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			c->failed = n < 0 ? errno : ENOSPC;
		else
			off += (size_t)n;
	}
	c->len = 0;
	return c->failed ? -1 : 0;
}

static void
put(struct cast *c, const char *s, size_t len)
{
	if (c->failed || (c->len + len > CAST_BUF && flush(c) < 0))
		return;
	memcpy(c->buf + c->len, s, len);
	c->len += len;
}

/* JSON-escape one character or sequence at S into OUT (ESCAPE_MAX bytes);
 * returns bytes written, *USED gets bytes consumed. Bytes that are not
 * UTF-8 become U+FFFD: asciicast players need valid JSON strings. */
static size_t
escape_one(char *out, const unsigned char *s, size_t n, size_t *used)
{
	static const char hex[] = "0123456789abcdef";
	size_t len = utf8_len(s, n);

	*used = len ? len : 1;
	if (!len) {
		memcpy(out, "\\ufffd", 6);
		return 6;
	}
	if (len > 1 || (s[0] >= 0x20 && s[0] != '"' && s[0] != '\\')) {
		memcpy(out, s, len);
		return len;
	}
	out[0] = '\\';
	switch (s[0]) {
	case '"': out[1] = '"'; return 2;
	case '\\': out[1] = '\\'; return 2;
	case '\n': out[1] = 'n'; return 2;
	case '\r': out[1] = 'r'; return 2;
	case '\t': out[1] = 't'; return 2;
	}
	memcpy(out + 1, "u00", 3);
	out[4] = hex[s[0] >> 4];
	out[5] = hex[s[0] & 15];
	return 6;
}

static int
is_plain(unsigned char b)
{
	return b >= 0x20 && b < 0x80 && b != '"' && b != '\\';
}

/* Put LEN bytes of TEXT as the inside of a JSON string; runs of plain
 * ASCII, most of any output, are copied whole. */
static void
put_json(struct cast *c, const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;

	while (len && !c->failed) {
		size_t n = 0, room;

		if (CAST_BUF - c->len < ESCAPE_MAX && flush(c) < 0)
			return;
		room = CAST_BUF - c->len;
		while (n < len && n < room && is_plain(s[n]))
			n++;
		if (n) {
			memcpy(c->buf + c->len, s, n);
			c->len += n;
		} else {
			c->len += escape_one(c->buf + c->len, s, len, &n);
		}
		s += n;
		len -= n;
	}
}

struct cast *
cast_open(const char *path, const char *command, int64_t wall_us,
	  struct err *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	struct cast *c;
	struct stat st;
	char head[128];
	int n;

	if (fd < 0) {
		err_set(err, ERR_IO, "cannot create %s: %s", path,
			strerror(errno));
		return NULL;
	}
	/* O_TRUNC keeps an old file's mode, and output may be sensitive;
	 * but a device such as /dev/null keeps its own. */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (st.st_mode & 07777) != 0600)
		fchmod(fd, 0600);
	c = xmalloc(sizeof(*c));
	c->fd = fd;
	c->failed = 0;
	c->path = xstrdup(path);
	c->len = 0;
	n = snprintf(head, sizeof(head), "{\"version\":2,\"width\":80,"
		     "\"height\":24,\"timestamp\":%" PRId64 ",\"command\":\"",
		     wall_us / 1000000);
	put(c, head, (size_t)n);
	put_json(c, command ? command : "", command ? strlen(command) : 0);
	put(c, "\"}\n", 3);
	flush(c);
	return c;
}

int
cast_fd(const struct cast *c)
{
	return c ? c->fd : -1;
}

int
cast_flush(struct cast *c)
{
	return c ? flush(c) : 0;
}

/* "[secs.micros, \"o\", \"" without printf, which cost a third of the
 * time of a flood of short lines. */
static size_t
format_time(char *out, int64_t t_us)
{
	char digits[24];
	int64_t secs = t_us / 1000000, frac = t_us % 1000000;
	size_t n = 0, len = 0;

	out[len++] = '[';
	do {
		digits[n++] = (char)('0' + secs % 10);
		secs /= 10;
	} while (secs > 0);
	while (n > 0)
		out[len++] = digits[--n];
	out[len++] = '.';
	for (int64_t div = 100000; div > 0; div /= 10)
		out[len++] = (char)('0' + (frac / div) % 10);
	memcpy(out + len, ", \"o\", \"", 8);
	return len + 8;
}

int
cast_write(struct cast *c, int64_t t_us, const char *text, size_t len,
	   int newline)
{
	char head[64];

	if (c->failed)
		return -1;
	if (t_us < 0)
		t_us = 0;
	put(c, head, format_time(head, t_us));
	put_json(c, text, len);
	if (newline)
		put(c, "\\r\\n", 4);
	put(c, "\"]\n", 3);
	return c->failed ? -1 : 0;
}

#define ONES UINT64_C(0x0101010101010101)
#define HIGH UINT64_C(0x8080808080808080)

/* High bit of each byte of W that is below N (N <= 0x80). Exact for the
 * lowest such byte; above it a borrow may flag more, which is harmless
 * because only the lowest is used. */
static uint64_t
bytes_below(uint64_t w, unsigned n)
{
	return (w - ONES * n) & ~w & HIGH;
}

/* Bytes before the first one of the 8 at S that is not plain JSON text
 * (a control, a quote, a backslash or a byte of a non-ASCII character);
 * 8 when all are plain. */
static size_t
plain_prefix(const unsigned char *s)
{
	uint64_t w, special;

	memcpy(&w, s, sizeof(w));
	special = bytes_below(w, 0x20) | (w & HIGH) |
		  bytes_below(w ^ (ONES * '"'), 1) |
		  bytes_below(w ^ (ONES * '\\'), 1);
	return special ? (size_t)__builtin_ctzll(special) / 8 : 8;
}

/* Put one byte or sequence that is not plain: a newline as "\r\n",
 * anything else escaped; returns the bytes of S used. */
static size_t
put_special(char **o, const unsigned char *s, size_t left)
{
	size_t used = 1;

	if (*s == '\n') {
		memcpy(*o, "\\r\\n", 4);
		*o += 4;
	} else {
		*o += escape_one(*o, s, left, &used);
	}
	return used;
}

#ifdef __SSE2__
#define BLOCK 16
#define BLOCK_ROOM (BLOCK * 4 + BLOCK)	/* all newlines, then a copy */

/* The bytes of the 16 at S that are not plain JSON text, as a bit mask;
 * *NL gets the newlines among them. A signed compare with 0x20 finds the
 * controls and every byte of a non-ASCII character at once. */
static unsigned
block_specials(const unsigned char *s, unsigned *nl)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
	__m128i low = _mm_cmplt_epi8(v, _mm_set1_epi8(0x20));
	__m128i quote = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
	__m128i bslash = _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'));
	__m128i newline = _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'));

	*nl = (unsigned)_mm_movemask_epi8(newline);
	return (unsigned)_mm_movemask_epi8(
		_mm_or_si128(low, _mm_or_si128(quote, bslash)));
}

/* Put the 16 bytes at S, whose only special bytes are the newlines NL,
 * each newline as "\r\n". Every piece is copied 16 bytes wide and the
 * output pointer moves by its length, so no step waits on the one
 * before but for an add: a line every few cycles for output that is
 * mostly short lines. Reads up to 31 bytes from S and writes up to
 * BLOCK_ROOM at O. */
static char *
put_block_of_lines(char *o, const unsigned char *s, unsigned nl)
{
	unsigned from = 0;

	while (nl) {
		unsigned at = (unsigned)__builtin_ctz(nl);

		memcpy(o, s + from, BLOCK);
		o += at - from;
		memcpy(o, "\\r\\n", 4);
		o += 4;
		from = at + 1;
		nl &= nl - 1;
	}
	memcpy(o, s + from, BLOCK);
	return o + BLOCK - from;
}

/* Put a block at *S if it holds nothing to escape but newlines and both
 * sides have room; returns 0 when the word-wide path must go on. */
static int
try_block(char **o, const char *stop, const unsigned char **s,
	  const unsigned char *end)
{
	unsigned nl;

	if (end - *s < 2 * BLOCK || stop - *o < BLOCK_ROOM ||
	    block_specials(*s, &nl) != nl)
		return 0;
	*o = put_block_of_lines(*o, *s, nl);
	*s += BLOCK;
	return 1;
}
#else
static int
try_block(char **o, const char *stop, const unsigned char **s,
	  const unsigned char *end)
{
	(void)o, (void)stop, (void)s, (void)end;
	return 0;
}
#endif

/* Put TEXT's lines as the inside of a JSON string, each newline as
 * "\r\n": one pass, sixteen bytes at a time where only newlines need
 * work (try_block) and eight otherwise, through a local pointer (through
 * c->len the compiler would store and reload it for every byte). The
 * output stops WORD_ROOM short of the buffer's end so that a whole word
 * and then an escape always fit. */
#define WORD_ROOM (8 + ESCAPE_MAX)
static void
put_json_lines(struct cast *c, const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	const unsigned char *end = s + len;

	while (s < end && !c->failed) {
		char *o, *stop;

		if (CAST_BUF - c->len <= WORD_ROOM && flush(c) < 0)
			return;
		o = c->buf + c->len;
		stop = c->buf + CAST_BUF - WORD_ROOM;
		while (end - s >= 8 && o < stop) {
			size_t k;

			if (try_block(&o, stop, &s, end))
				continue;
			k = plain_prefix(s);

			memcpy(o, s, 8);
			o += k;
			s += k;
			if (k < 8)
				s += put_special(&o, s, (size_t)(end - s));
		}
		while (s < end && o < stop) {
			if (is_plain(*s))
				*o++ = (char)*s++;
			else
				s += put_special(&o, s, (size_t)(end - s));
		}
		c->len = (size_t)(o - c->buf);
	}
}

int
cast_write_lines(struct cast *c, int64_t t_us, const char *text, size_t len)
{
	char head[64];

	if (c->failed)
		return -1;
	put(c, head, format_time(head, t_us < 0 ? 0 : t_us));
	put_json_lines(c, text, len);
	put(c, "\\r\\n\"]\n", 7);
	return c->failed ? -1 : 0;
}

static int
close_cast(struct cast *c, int sync, struct err *err)
{
	int rc = 0;

	if (!c)
		return 0;
	flush(c);
	if (sync && !c->failed && fdatasync(c->fd) < 0)
		c->failed = errno;
	if (c->failed)
		rc = err_set(err, ERR_IO, "cannot write %s: %s", c->path,
			     strerror(c->failed));
	close(c->fd);
	free(c->path);
	free(c);
	return rc;
}

int
cast_close(struct cast *c, struct err *err)
{
	return close_cast(c, 1, err);
}

int
cast_close_nosync(struct cast *c, struct err *err)
{
	return close_cast(c, 0, err);
}

/* --- reading back ---------------------------------------------------------- */

/* One event line, [seconds, "o", text]: each line of its text to CB. */
static long
event_lines(const char *line, size_t len, cast_line_cb cb, void *arg)
{
	cJSON *ev = cJSON_ParseWithLength(line, len);
	cJSON *t = cJSON_GetArrayItem(ev, 0);
	const char *kind = cJSON_GetStringValue(cJSON_GetArrayItem(ev, 1));
	const char *text = cJSON_GetStringValue(cJSON_GetArrayItem(ev, 2));
	long n_lines = 0;

	if (cJSON_IsArray(ev) && cJSON_IsNumber(t) && kind &&
	    strcmp(kind, "o") == 0 && text) {
		int64_t t_us = (int64_t)(t->valuedouble * 1e6 + 0.5);

		while (*text) {
			const char *nl = strchr(text, '\n');
			size_t n = nl ? (size_t)(nl - text) : strlen(text);

			cb(t_us, text, n && text[n - 1] == '\r' ? n - 1 : n,
			   arg);
			n_lines++;
			text += n + (nl != NULL);
		}
	}
	cJSON_Delete(ev);
	return n_lines;
}

long
cast_each_line(const char *path, size_t max, cast_line_cb cb, void *arg,
	       struct err *err)
{
	struct strbuf sb = STRBUF_INIT;
	long n_lines = 0;

	if (strbuf_read_file(&sb, path, max, err) < 0) {
		strbuf_done(&sb);
		return -1;
	}
	for (const char *p = sb.buf, *end = sb.buf + sb.len; p && p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (n && *p == '[')
			n_lines += event_lines(p, n, cb, arg);
		p += n + 1;
	}
	strbuf_done(&sb);
	return n_lines;
}

long
cast_follow(const char *path, uint64_t *offset, size_t max, cast_line_cb cb,
	    void *arg, struct err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *buf;
	ssize_t got;
	long n_lines = 0;
	size_t used = 0;

	if (fd < 0)
		return err_set(err, ERR_IO, "cannot open %s: %s", path,
			       strerror(errno));
	buf = xmalloc(max + 1);
	got = pread(fd, buf, max, (off_t)*offset);
	if (got < 0) {
		err_set(err, ERR_IO, "cannot read %s: %s", path,
			strerror(errno));
		n_lines = -1;
	}
	for (const char *p = buf; got > 0 && p < buf + got;) {
		const char *nl = memchr(p, '\n', (size_t)(buf + got - p));

		if (!nl)
			break;	/* still being written */
		if (nl > p && *p == '[')
			n_lines += event_lines(p, (size_t)(nl - p), cb, arg);
		p = nl + 1;
		used = (size_t)(p - buf);
	}
	*offset += used;
	free(buf);
	close(fd);
	return n_lines;
}
