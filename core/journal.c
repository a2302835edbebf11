/* The session journal: JSON Lines chained by SHA-256, appended durably
 * under flock, and checked line by line whenever it is read. */
#include "config.h"
#include "journal.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "clock.h"
#include "err.h"
#include "jsonutf8.h"
#include "sha256.h"
#include "strbuf.h"
#include "xalloc.h"

#define SCAN_CHUNK (64 * 1024)
#define LINE_MAX_BYTES (16 * 1024 * 1024)	/* longer lines are corrupt */
#define JSON_INT_MAX 9007199254740992.0		/* 2^53: doubles stay exact */

/* How far a reader has checked the file. */
struct chain {
	uint64_t count;		/* good lines before offset */
	off_t offset;		/* end of the last good line */
	char last_hash[65];	/* hex SHA-256 of that line */
};

/* What ingest found after the last good line. */
struct tail {
	size_t bytes;		/* torn bytes after chain.offset, 0 if none */
	bool is_terminated;	/* the torn line has its '\n' but is not JSON */
	uint64_t bad_line;	/* number of a corrupt line, 0 if none */
	bool prev_mismatch;	/* it is bad only for its prev: the line
				 * before it may be the one changed */
	const char *pin;	/* verify: a hash (or its start) to find */
	uint64_t pin_line;	/* the line whose hash it is, 0 if none */
};

struct journal {
	int fd;
	char *path;
	const struct clock *clk;	/* NULL for read-only handles */
	journal_event_cb cb;
	void *arg;
	struct chain chain;
	off_t seen_size;		/* st_size at the last read or write */
	struct timespec seen_mtime;	/* st_mtim at the same moment */
	size_t torn_bytes;
	struct strbuf line;		/* the last line this handle wrote */
};

/* A buffered forward reader over [next, end) of a file. */
struct scan {
	int fd;
	off_t next;		/* file offset of the next byte to read */
	off_t end;		/* file size when the scan began */
	char *buf;
	size_t start, len, cap;	/* unconsumed bytes are buf[start, len) */
};

/* The fields of one line to format, borrowed. */
struct line_fields {
	uint64_t seq;
	int64_t wall_us, mono_us;
	const char *actor, *type, *phase, *step;
	const cJSON *payload;
	const char *prev;
};

/* --- formatting --------------------------------------------------------- */

static void
add_escape(struct strbuf *sb, unsigned char c)
{
	switch (c) {
	case '"': strbuf_adds(sb, "\\\""); break;
	case '\\': strbuf_adds(sb, "\\\\"); break;
	case '\b': strbuf_adds(sb, "\\b"); break;
	case '\f': strbuf_adds(sb, "\\f"); break;
	case '\n': strbuf_adds(sb, "\\n"); break;
	case '\r': strbuf_adds(sb, "\\r"); break;
	case '\t': strbuf_adds(sb, "\\t"); break;
	default: strbuf_addf(sb, "\\u%04x", c); break;
	}
}

static void
add_json_string(struct strbuf *sb, const char *s)
{
	const char *run = s;

	if (!s) {
		strbuf_adds(sb, "null");
		return;
	}
	strbuf_addc(sb, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		jsonutf8_escape(sb, run, (size_t)(s - run));
		add_escape(sb, c);
		run = s + 1;
	}
	jsonutf8_escape(sb, run, (size_t)(s - run));
	strbuf_addc(sb, '"');
}

static void
add_payload(struct strbuf *sb, const cJSON *payload)
{
	char *text;

	if (!payload) {
		strbuf_adds(sb, "{}");
		return;
	}
	text = cJSON_PrintUnformatted(payload);
	if (!text)
		fatal("journal: out of memory formatting a payload");
	jsonutf8_escape(sb, text, strlen(text));
	cJSON_free(text);
}

static void
format_line(struct strbuf *sb, const struct line_fields *f)
{
	char wall[40];

	strbuf_reset(sb);
	strbuf_addf(sb, "{\"seq\":%" PRIu64 ",\"wall\":\"%s\",\"mono\":%" PRId64
		    ",\"actor\":", f->seq,
		    clock_format_rfc3339(f->wall_us, wall, sizeof(wall)),
		    f->mono_us);
	add_json_string(sb, f->actor);
	strbuf_adds(sb, ",\"type\":");
	add_json_string(sb, f->type);
	strbuf_adds(sb, ",\"phase\":");
	add_json_string(sb, f->phase);
	strbuf_adds(sb, ",\"step\":");
	add_json_string(sb, f->step);
	strbuf_adds(sb, ",\"payload\":");
	add_payload(sb, f->payload);
	strbuf_addf(sb, ",\"prev\":\"%s\"}", f->prev);
}

void
journal_format_line(struct strbuf *out, const struct journal_event *ev)
{
	const struct line_fields f = {
		.seq = ev->seq, .wall_us = ev->wall_us, .mono_us = ev->mono_us,
		.actor = ev->actor, .type = ev->type,
		.phase = ev->phase, .step = ev->step,
		.payload = ev->payload, .prev = ev->prev,
	};

	assert(ev->actor && ev->type);
	assert(!ev->payload || cJSON_IsObject(ev->payload));
	format_line(out, &f);
}

/* --- parsing ------------------------------------------------------------ */

static const cJSON *
field(const cJSON *root, const char *key, struct err *err)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(root, key);

	if (!it)
		err_set(err, ERR_PARSE, "missing \"%s\"", key);
	return it;
}

/* Read an integral number no smaller than MIN; WHAT names the expectation. */
static int
get_int(const cJSON *root, const char *key, double min, const char *what,
	double *out, struct err *err)
{
	const cJSON *it = field(root, key, err);
	double d;

	if (!it)
		return -1;
	d = it->valuedouble;
	/* The range test comes first: converting an out-of-range double to
	 * an integer is undefined. */
	if (!cJSON_IsNumber(it) || d < min || d > JSON_INT_MAX ||
	    d != (double)(int64_t)d)
		return err_set(err, ERR_PARSE, "\"%s\": expected %s", key, what);
	*out = d;
	return 0;
}

static int
get_str(const cJSON *root, const char *key, bool is_nullable, char **out,
	struct err *err)
{
	const cJSON *it = field(root, key, err);

	if (!it)
		return -1;
	if (is_nullable && cJSON_IsNull(it)) {
		*out = NULL;
		return 0;
	}
	if (!cJSON_IsString(it))
		return err_set(err, ERR_PARSE, "\"%s\": expected a string%s",
			       key, is_nullable ? " or null" : "");
	*out = xstrdup(it->valuestring);
	return 0;
}

static int
get_wall(const cJSON *root, int64_t *wall_us, struct err *err)
{
	const cJSON *it = field(root, "wall", err);

	if (!it)
		return -1;
	if (!cJSON_IsString(it) ||
	    clock_parse_rfc3339(it->valuestring, wall_us) < 0)
		return err_set(err, ERR_PARSE,
			       "\"wall\": expected an RFC 3339 time");
	return 0;
}

static int
get_prev(const cJSON *root, char prev[65], struct err *err)
{
	const cJSON *it = field(root, "prev", err);
	const char *s;

	if (!it)
		return -1;
	s = cJSON_IsString(it) ? it->valuestring : "";
	if (strlen(s) != 64 || strspn(s, "0123456789abcdef") != 64)
		return err_set(err, ERR_PARSE,
			       "\"prev\": expected 64 lower-case hex digits");
	memcpy(prev, s, 65);
	return 0;
}

static int
fill_event(cJSON *root, struct journal_event *ev, struct err *err)
{
	cJSON *payload;
	double seq, mono;

	if (!cJSON_IsObject(root))
		return err_set(err, ERR_PARSE, "not a JSON object");
	if (get_int(root, "seq", 1, "an integer >= 1", &seq, err) < 0 ||
	    get_wall(root, &ev->wall_us, err) < 0 ||
	    get_int(root, "mono", -JSON_INT_MAX, "an integer", &mono,
		    err) < 0 ||
	    get_str(root, "actor", false, &ev->actor, err) < 0 ||
	    get_str(root, "type", false, &ev->type, err) < 0 ||
	    get_str(root, "phase", true, &ev->phase, err) < 0 ||
	    get_str(root, "step", true, &ev->step, err) < 0 ||
	    get_prev(root, ev->prev, err) < 0)
		return -1;
	payload = cJSON_GetObjectItemCaseSensitive(root, "payload");
	if (!payload)
		return err_set(err, ERR_PARSE, "missing \"payload\"");
	if (!cJSON_IsObject(payload))
		return err_set(err, ERR_PARSE,
			       "\"payload\": expected an object");
	ev->payload = cJSON_DetachItemViaPointer(root, payload);
	ev->seq = (uint64_t)seq;
	ev->mono_us = (int64_t)mono;
	return 0;
}

/* --- fast path: lines exactly as format_line writes them ---------------- */

/* A cursor over one line; lines in the scan buffer are not NUL-ended. */
struct cursor {
	const char *p, *end;
};

static bool
eat(struct cursor *c, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(c->end - c->p) < n || memcmp(c->p, lit, n) != 0)
		return false;
	c->p += n;
	return true;
}

/* An integer as format_line writes it: no leading zeros, at most 15
 * digits, so it is exact in the double cJSON would have made of it. */
static bool
eat_int(struct cursor *c, bool is_signed, int64_t *out)
{
	bool is_neg = is_signed && c->p < c->end && *c->p == '-';
	const char *start = c->p + is_neg;
	int64_t v = 0;

	for (c->p = start; c->p < c->end && c->p - start <= 15 &&
	     *c->p >= '0' && *c->p <= '9'; c->p++)
		v = v * 10 + (*c->p - '0');
	if (c->p == start || c->p - start > 15 ||
	    (*start == '0' && c->p - start > 1))
		return false;
	*out = is_neg ? -v : v;
	return true;
}

/* The end quote of a string with no escapes or control characters (the
 * slow path decodes those), or NULL. */
static const char *
plain_string_end(const struct cursor *c)
{
	if (c->p >= c->end || *c->p != '"')
		return NULL;
	for (const char *q = c->p + 1; q < c->end; q++) {
		if (*q == '"')
			return q;
		if (*q == '\\' || (unsigned char)*q < 0x20)
			return NULL;
	}
	return NULL;
}

static bool
eat_str(struct cursor *c, bool is_nullable, char **out)
{
	const char *q;

	if (is_nullable && eat(c, "null")) {
		*out = NULL;
		return true;
	}
	q = plain_string_end(c);
	if (!q)
		return false;
	*out = xstrndup(c->p + 1, (size_t)(q - c->p - 1));
	c->p = q + 1;
	return true;
}

static bool
eat_wall(struct cursor *c, int64_t *wall_us)
{
	const char *q = plain_string_end(c);
	char buf[48];
	size_t n;

	if (!q || (n = (size_t)(q - c->p - 1)) >= sizeof(buf))
		return false;
	memcpy(buf, c->p + 1, n);
	buf[n] = '\0';
	if (clock_parse_rfc3339(buf, wall_us) < 0)
		return false;
	c->p = q + 1;
	return true;
}

static bool
eat_prev(struct cursor *c, char prev[65])
{
	if (!eat(c, ",\"prev\":\"") || c->end - c->p < 64)
		return false;
	memcpy(prev, c->p, 64);
	prev[64] = '\0';
	c->p += 64;
	return strspn(prev, "0123456789abcdef") == 64 && eat(c, "\"}") &&
	       c->p == c->end;
}

/* Parse a line laid out exactly as format_line writes it, handing only
 * the payload to cJSON: opening a long journal is dominated by parsing,
 * and this is several times cheaper. Returns false for anything else,
 * leaving EV for journal_event_done, and the caller takes the slow path,
 * which accepts a superset and words the errors. */
static bool
parse_fast(const char *line, size_t len, struct journal_event *ev)
{
	struct cursor c = { line, line + len };
	const char *end = NULL;
	int64_t seq, mono;

	if (!eat(&c, "{\"seq\":") || !eat_int(&c, false, &seq) || seq < 1 ||
	    !eat(&c, ",\"wall\":") || !eat_wall(&c, &ev->wall_us) ||
	    !eat(&c, ",\"mono\":") || !eat_int(&c, true, &mono) ||
	    !eat(&c, ",\"actor\":") || !eat_str(&c, false, &ev->actor) ||
	    !eat(&c, ",\"type\":") || !eat_str(&c, false, &ev->type) ||
	    !eat(&c, ",\"phase\":") || !eat_str(&c, true, &ev->phase) ||
	    !eat(&c, ",\"step\":") || !eat_str(&c, true, &ev->step) ||
	    !eat(&c, ",\"payload\":") || c.p >= c.end || *c.p != '{')
		return false;
	ev->payload = cJSON_ParseWithLengthOpts(c.p, (size_t)(c.end - c.p),
						&end, 0);
	if (!cJSON_IsObject(ev->payload))
		return false;
	c.p = end;
	if (!eat_prev(&c, ev->prev))
		return false;
	ev->seq = (uint64_t)seq;
	ev->mono_us = mono;
	return true;
}

static int
parse_slow(const char *line, size_t len, struct journal_event *ev,
	   struct err *err)
{
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithLengthOpts(line, len, &end, 0);
	int rc;

	if (!root || end != line + len) {
		cJSON_Delete(root);
		err_set(err, ERR_PARSE, "not valid JSON");
		return -2;
	}
	rc = fill_event(root, ev, err);
	cJSON_Delete(root);
	return rc;
}

/* Like journal_event_parse, but returns -2 when LINE is not JSON at all,
 * which is what a torn write looks like. */
static int
event_parse(const char *line, size_t len, struct journal_event *ev,
	    struct err *err)
{
	int rc = 0;
	char *plain;
	const char *text;
	size_t plain_len = 0;

	memset(ev, 0, sizeof(*ev));
	/* A NUL would cut the copy in ev->line short of the hashed bytes. */
	if (len == 0 || memchr(line, '\0', len)) {
		err_set(err, ERR_PARSE, "not valid JSON");
		return -2;
	}
	/* Bytes the writer escaped come back as bytes (jsonutf8.h). */
	plain = jsonutf8_unescape(line, len, &plain_len);
	text = plain ? plain : line;
	if (!parse_fast(text, plain ? plain_len : len, ev)) {
		journal_event_done(ev);
		rc = parse_slow(text, plain ? plain_len : len, ev, err);
	}
	free(plain);
	if (rc < 0) {
		journal_event_done(ev);
		return rc;
	}
	ev->line = xstrndup(line, len);
	return 0;
}

int
journal_event_parse(const char *line, size_t len, struct journal_event *ev,
		    struct err *err)
{
	return event_parse(line, len, ev, err) < 0 ? -1 : 0;
}

void
journal_event_done(struct journal_event *ev)
{
	if (!ev)
		return;
	free(ev->actor);
	free(ev->type);
	free(ev->phase);
	free(ev->step);
	free(ev->line);
	cJSON_Delete(ev->payload);
	memset(ev, 0, sizeof(*ev));
}

/* --- reading ------------------------------------------------------------ */

static void
scan_init(struct scan *s, int fd, off_t from, off_t end)
{
	s->fd = fd;
	s->next = from;
	s->end = end;
	s->cap = SCAN_CHUNK;
	s->buf = xmalloc(s->cap);
	s->start = 0;
	s->len = 0;
}

/* Bytes not yet returned as lines: the torn tail once scan_line is done. */
static size_t
scan_left(const struct scan *s)
{
	return s->len - s->start + (size_t)(s->end - s->next);
}

static int
scan_fill(struct scan *s, struct err *err)
{
	size_t want;
	ssize_t n;

	memmove(s->buf, s->buf + s->start, s->len - s->start);
	s->len -= s->start;
	s->start = 0;
	if (s->len == s->cap) {
		if (s->cap >= LINE_MAX_BYTES)
			return err_set(err, ERR_CORRUPT,
				       "line longer than %d bytes",
				       LINE_MAX_BYTES);
		s->cap *= 2;
		s->buf = xrealloc(s->buf, s->cap);
	}
	want = s->cap - s->len;
	if ((off_t)want > s->end - s->next)
		want = (size_t)(s->end - s->next);
	do
		n = pread(s->fd, s->buf + s->len, want, s->next);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return err_set(err, ERR_IO, "read: %s", strerror(errno));
	/* Only a writer ignoring the lock can shrink the file under us. */
	if (n == 0)
		s->end = s->next;
	s->len += (size_t)n;
	s->next += n;
	return 0;
}

/* Return 1 with the next complete line (without '\n') in *LINE and *LEN,
 * valid until the next call; 0 when only an unterminated tail or nothing
 * is left; -1 on a read error or an overlong line. */
static int
scan_line(struct scan *s, const char **line, size_t *len, struct err *err)
{
	size_t searched = 0;
	char *nl;

	for (;;) {
		nl = memchr(s->buf + s->start + searched, '\n',
			    s->len - s->start - searched);
		if (nl) {
			*line = s->buf + s->start;
			*len = (size_t)(nl - *line);
			s->start += *len + 1;
			return 1;
		}
		searched = s->len - s->start;
		if (s->next >= s->end)
			return 0;
		if (scan_fill(s, err) < 0)
			return -1;
	}
}

/* Parse LINE and check that it continues CH; -2 when it is not JSON. */
static int
check_line(const struct chain *ch, const char *line, size_t len,
	   struct journal_event *ev, struct err *err)
{
	int rc = event_parse(line, len, ev, err);

	if (rc < 0)
		return rc;
	if (ev->seq != ch->count + 1)
		rc = err_set(err, ERR_CORRUPT,
			     "seq %" PRIu64 ", expected %" PRIu64, ev->seq,
			     ch->count + 1);
	else if (strcmp(ev->prev, ch->last_hash) != 0 && ch->count == 0)
		rc = err_set(err, ERR_CORRUPT, "hash chain broken: "
			     "prev of line 1 is not the genesis value");
	else if (strcmp(ev->prev, ch->last_hash) != 0) {
		err_set(err, ERR_CORRUPT, "hash chain broken: prev does not "
			"match line %" PRIu64, ch->count);
		rc = -3;
	}
	if (rc < 0)
		journal_event_done(ev);
	return rc;
}

/* Check and deliver the complete lines in [CH->offset, SIZE), advancing
 * CH. A torn last line is reported in TAIL, not as an error; any other
 * bad line fails with ERR_CORRUPT and its number in TAIL->bad_line. ERR
 * must not be NULL. */
static int
ingest(int fd, struct chain *ch, off_t size, journal_event_cb cb, void *arg,
       struct tail *tail, struct err *err)
{
	struct journal_event ev;
	struct scan s;
	const char *line;
	size_t len;
	int rc;
	const char *pin = tail->pin;

	memset(tail, 0, sizeof(*tail));
	tail->pin = pin;
	if (size == ch->offset)
		return 0;
	scan_init(&s, fd, ch->offset, size);
	while ((rc = scan_line(&s, &line, &len, err)) == 1) {
		rc = check_line(ch, line, len, &ev, err);
		/* A crash mid-write can only garble the last line. */
		if (rc == -2 && scan_left(&s) == 0) {
			tail->is_terminated = true;
			rc = 0;
			break;
		}
		tail->prev_mismatch = rc == -3;
		if (rc < 0)
			break;
		sha256_hex(line, len, ch->last_hash);
		if (tail->pin && !tail->pin_line &&
		    strncmp(ch->last_hash, tail->pin, strlen(tail->pin)) == 0)
			tail->pin_line = ch->count + 1;
		ch->count++;
		ch->offset += (off_t)len + 1;
		if (cb)
			cb(&ev, arg);
		journal_event_done(&ev);
	}
	tail->bytes = (size_t)(s.end - ch->offset);
	if (rc < 0 && err->code != ERR_IO) {
		err->code = ERR_CORRUPT;
		tail->bad_line = ch->count + 1;
	}
	free(s.buf);
	return rc < 0 ? -1 : 0;
}

/* --- writing ------------------------------------------------------------ */

static int
lock_fd(int fd, int op, const char *path, struct err *err)
{
	while (flock(fd, op) < 0) {
		if (errno != EINTR)
			return err_set(err, ERR_SYS, "flock %s: %s", path,
				       strerror(errno));
	}
	return 0;
}

static void
unlock_fd(int fd)
{
	/* Can only fail for a bad fd; closing it would drop the lock too. */
	(void)flock(fd, LOCK_UN);
}

static int
write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = ENOSPC;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static void
remember_size(struct journal *j)
{
	struct stat st;

	if (fstat(j->fd, &st) < 0) {
		j->seen_size = -1;	/* forces the next poll to look */
		return;
	}
	j->seen_size = st.st_size;
	j->seen_mtime = st.st_mtim;
}

/* Cut whatever part of the line reached the file, so the next reader
 * finds no torn line, and report the original failure. */
static uint64_t
undo_write(struct journal *j, struct err *err)
{
	int saved = errno;

	if (ftruncate(j->fd, j->chain.offset) == 0)
		(void)fdatasync(j->fd);
	strbuf_reset(&j->line);
	remember_size(j);
	err_set(err, ERR_IO, "append to %s: %s", j->path, strerror(saved));
	return 0;
}

/* Write the next event with LOCK_EX held; returns its seq, or 0. */
static uint64_t
write_event(struct journal *j, const char *actor, const char *type,
	    const char *phase, const char *step, const cJSON *payload,
	    struct err *err)
{
	const struct line_fields f = {
		.seq = j->chain.count + 1,
		.wall_us = clock_wall_now(j->clk),
		.mono_us = clock_mono_now(j->clk),
		.actor = actor, .type = type, .phase = phase, .step = step,
		.payload = payload, .prev = j->chain.last_hash,
	};

	format_line(&j->line, &f);
	/* One write() of line and newline keeps concurrent readers from
	 * ever seeing a line without its end. */
	strbuf_addc(&j->line, '\n');
	if (write_all(j->fd, j->line.buf, j->line.len) < 0 ||
	    fdatasync(j->fd) < 0)
		return undo_write(j, err);
	j->line.buf[--j->line.len] = '\0';
	sha256_hex(j->line.buf, j->line.len, j->chain.last_hash);
	j->chain.count = f.seq;
	j->chain.offset += (off_t)j->line.len + 1;
	remember_size(j);
	return f.seq;
}

static int
hash_range(int fd, off_t at, size_t n, char hex[65])
{
	struct sha256 ctx;
	char buf[8192];
	ssize_t got;

	sha256_init(&ctx);
	while (n > 0) {
		got = pread(fd, buf, n < sizeof(buf) ? n : sizeof(buf), at);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			if (got == 0)
				errno = ENODATA;
			return -1;
		}
		sha256_update(&ctx, buf, (size_t)got);
		at += got;
		n -= (size_t)got;
	}
	sha256_final_hex(&ctx, hex);
	return 0;
}

/* Cut the torn tail of BYTES after the last good line and journal the cut
 * with enough detail (offset, size, digest) to audit what was lost. */
static int
cut_tail(struct journal *j, size_t bytes, struct err *err)
{
	off_t at = j->chain.offset;
	char hex[65];
	cJSON *payload;
	uint64_t seq;

	if (hash_range(j->fd, at, bytes, hex) < 0)
		return err_set(err, ERR_IO, "read %s: %s", j->path,
			       strerror(errno));
	if (ftruncate(j->fd, at) < 0 || fdatasync(j->fd) < 0)
		return err_set(err, ERR_IO, "cut torn line of %s: %s",
			       j->path, strerror(errno));
	j->torn_bytes = bytes;
	payload = cJSON_CreateObject();
	cJSON_AddNumberToObject(payload, "offset", (double)at);
	cJSON_AddNumberToObject(payload, "bytes", (double)bytes);
	cJSON_AddStringToObject(payload, "sha256", hex);
	seq = write_event(j, "rewind", "journal.truncated", NULL, NULL,
			  payload, err);
	cJSON_Delete(payload);
	return seq ? 0 : -1;
}

/* Read what other writers appended since this handle last looked; with
 * MAY_CUT (LOCK_EX held) a torn tail is cut and journalled, otherwise it
 * is left for a writer. */
static int
catch_up(struct journal *j, bool may_cut, struct err *err)
{
	struct stat st;
	struct tail tail = { 0 };
	struct err e;

	if (fstat(j->fd, &st) < 0)
		return err_set(err, ERR_IO, "stat %s: %s", j->path,
			       strerror(errno));
	if (st.st_size < j->chain.offset)
		return err_set(err, ERR_CORRUPT, "%s: file shrank to %lld "
			       "bytes, %lld were already read", j->path,
			       (long long)st.st_size,
			       (long long)j->chain.offset);
	if (ingest(j->fd, &j->chain, st.st_size, j->cb, j->arg, &tail,
		   &e) < 0) {
		if (tail.bad_line)
			return err_set(err, e.code, "%s: line %" PRIu64 ": %s",
				       j->path, tail.bad_line, e.msg);
		return err_set(err, e.code, "%s: %s", j->path, e.msg);
	}
	j->seen_size = st.st_size;
	j->seen_mtime = st.st_mtim;
	if (!j->clk)
		j->torn_bytes = tail.bytes;
	if (tail.bytes == 0 || !may_cut)
		return 0;
	return cut_tail(j, tail.bytes, err);
}

/* --- the handle --------------------------------------------------------- */

static struct journal *
journal_new(const char *path, const struct clock *clk, journal_event_cb cb,
	    void *arg)
{
	struct journal *j = xcalloc(1, sizeof(*j));

	j->fd = -1;
	j->path = xstrdup(path);
	j->clk = clk;
	j->cb = cb;
	j->arg = arg;
	memcpy(j->chain.last_hash, JOURNAL_GENESIS, sizeof(j->chain.last_hash));
	strbuf_init(&j->line);
	return j;
}

/* Make a new file's directory entry durable, as fdatasync does not. */
static int
sync_parent(const char *path, struct err *err)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	int fd, rc = 0;

	if (slash == dir)
		slash[1] = '\0';	/* "/name" lives in "/" */
	else if (slash)
		*slash = '\0';
	fd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) < 0)
		rc = err_set(err, ERR_IO, "sync directory of %s: %s", path,
			     strerror(errno));
	if (fd >= 0)
		close(fd);
	free(dir);
	return rc;
}

static int
open_fd(struct journal *j, int flags, struct err *err)
{
	bool is_new = false;
	struct stat st;

	j->fd = open(j->path, flags);
	if (j->fd < 0 && errno == ENOENT && (flags & O_APPEND)) {
		j->fd = open(j->path, flags | O_CREAT | O_EXCL, 0600);
		is_new = j->fd >= 0;
		/* Another process created it first: use theirs. */
		if (j->fd < 0 && errno == EEXIST)
			j->fd = open(j->path, flags);
	}
	if (j->fd < 0)
		return err_set(err, errno == ENOENT ? ERR_NOTFOUND : ERR_IO,
			       "open %s: %s", j->path, strerror(errno));
	if (fstat(j->fd, &st) < 0 || !S_ISREG(st.st_mode))
		return err_set(err, ERR_IO, "open %s: not a regular file",
			       j->path);
	return is_new ? sync_parent(j->path, err) : 0;
}

/* First read of the file under lock OP; LOCK_EX may cut a torn tail. */
static int
load(struct journal *j, int op, struct err *err)
{
	int rc;

	if (lock_fd(j->fd, op, j->path, err) < 0)
		return -1;
	rc = catch_up(j, op == LOCK_EX, err);
	unlock_fd(j->fd);
	return rc;
}

struct journal *
journal_open(const char *path, const struct clock *clk, journal_event_cb cb,
	     void *arg, struct err *err)
{
	struct journal *j;

	assert(clk);
	j = journal_new(path, clk, cb, arg);
	if (open_fd(j, O_RDWR | O_APPEND | O_CLOEXEC, err) < 0 ||
	    load(j, LOCK_EX, err) < 0) {
		journal_free(j);
		return NULL;
	}
	return j;
}

struct journal *
journal_open_readonly(const char *path, journal_event_cb cb, void *arg,
		      struct err *err)
{
	struct journal *j = journal_new(path, NULL, cb, arg);

	if (open_fd(j, O_RDONLY | O_CLOEXEC, err) < 0 ||
	    load(j, LOCK_SH, err) < 0) {
		journal_free(j);
		return NULL;
	}
	return j;
}

void
journal_free(struct journal *j)
{
	if (!j)
		return;
	if (j->fd >= 0)
		close(j->fd);
	free(j->path);
	strbuf_done(&j->line);
	free(j);
}

uint64_t
journal_append(struct journal *j, const char *actor, const char *type,
	       const char *phase, const char *step, const cJSON *payload,
	       const char **out_line, struct err *err)
{
	uint64_t seq = 0;

	assert(actor && type);
	if (!j->clk) {
		err_set(err, ERR_STATE, "%s: journal is open read-only",
			j->path);
		return 0;
	}
	if (payload && !cJSON_IsObject(payload)) {
		err_set(err, ERR_INVALID, "%s: %s: payload is not an object",
			j->path, type);
		return 0;
	}
	if (lock_fd(j->fd, LOCK_EX, j->path, err) < 0)
		return 0;
	if (catch_up(j, true, err) == 0)
		seq = write_event(j, actor, type, phase, step, payload, err);
	unlock_fd(j->fd);
	if (seq && out_line)
		*out_line = strbuf_str(&j->line);
	return seq;
}

int
journal_poll(struct journal *j, struct err *err)
{
	uint64_t before = j->chain.count;
	struct stat st;
	int rc;

	if (fstat(j->fd, &st) < 0)
		return err_set(err, ERR_IO, "stat %s: %s", j->path,
			       strerror(errno));
	if (st.st_size == j->seen_size &&
	    st.st_mtim.tv_sec == j->seen_mtime.tv_sec &&
	    st.st_mtim.tv_nsec == j->seen_mtime.tv_nsec)
		return 0;
	/* Writers hold LOCK_EX for the whole write, so under LOCK_SH every
	 * line we see is complete. */
	if (lock_fd(j->fd, LOCK_SH, j->path, err) < 0)
		return -1;
	rc = catch_up(j, false, err);
	unlock_fd(j->fd);
	if (rc < 0)
		return -1;
	return j->chain.count - before > INT_MAX ? INT_MAX
						  : (int)(j->chain.count - before);
}

uint64_t
journal_count(const struct journal *j)
{
	return j->chain.count;
}

const char *
journal_last_hash(const struct journal *j)
{
	return j->chain.last_hash;
}

size_t
journal_torn_bytes(const struct journal *j)
{
	return j->torn_bytes;
}

int
journal_fd(const struct journal *j)
{
	return j->fd;
}

/* --- verification ------------------------------------------------------- */

static int
verify_fd(int fd, const char *path, struct journal_verify *out,
	  struct err *err)
{
	struct chain ch = { .count = 0, .offset = 0 };
	struct tail tail = { .pin = out->pin };
	struct stat st;
	struct err e;

	memcpy(ch.last_hash, JOURNAL_GENESIS, sizeof(ch.last_hash));
	if (lock_fd(fd, LOCK_SH, path, err) < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		return err_set(err, ERR_IO, "stat %s: %s", path,
			       strerror(errno));
	if (ingest(fd, &ch, st.st_size, NULL, NULL, &tail, &e) < 0 &&
	    !tail.bad_line)
		return err_set(err, e.code, "%s: %s", path, e.msg);
	out->n_events = ch.count;
	out->pin_line = tail.pin_line;
	memcpy(out->last_hash, ch.last_hash, sizeof(out->last_hash));
	if (tail.bad_line) {
		out->bad_line = tail.bad_line;
		out->unverified_from = tail.bad_line;
		/* A prev that does not match: its line, or the one before
		 * it, was changed (or lines between removed). */
		if (tail.prev_mismatch && tail.bad_line > 1) {
			out->unverified_from = tail.bad_line - 1;
			out->n_events = tail.bad_line - 2;
		}
		snprintf(out->reason, sizeof(out->reason), "%s", e.msg);
	} else if (tail.bytes > 0) {
		out->bad_line = ch.count + 1;
		out->torn_bytes = tail.bytes;
		if (tail.is_terminated)
			snprintf(out->reason, sizeof(out->reason),
				 "torn last line (not valid JSON)");
		else
			snprintf(out->reason, sizeof(out->reason),
				 "torn last line (%zu bytes without newline)",
				 tail.bytes);
	}
	if (out->bad_line && !out->unverified_from)
		out->unverified_from = out->bad_line;
	if (!out->bad_line && ch.count == 0) {
		out->bad_line = out->unverified_from = 1;
		snprintf(out->reason, sizeof(out->reason), "empty journal: no "
			 "events (a session's starts with session.started)");
	}
	return out->bad_line ? 1 : 0;
}

int
journal_verify_pinned(const char *path, const char *pin,
		      struct journal_verify *out, struct err *err)
{
	int fd, rc;

	memset(out, 0, sizeof(*out));
	out->pin = pin;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(err, errno == ENOENT ? ERR_NOTFOUND : ERR_IO,
			       "open %s: %s", path, strerror(errno));
	rc = verify_fd(fd, path, out, err);
	close(fd);
	return rc;
}

int
journal_verify_file(const char *path, struct journal_verify *out,
		    struct err *err)
{
	return journal_verify_pinned(path, NULL, out, err);
}
