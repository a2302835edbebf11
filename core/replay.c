/* Replay: one pass over the journal on open builds the index (offsets,
 * wall times, markers), checks the hash chain, applies every event to a
 * session model and snapshots its state every REPLAY_SNAPSHOT_EVERY
 * events; seeking restores the nearest snapshot at or before the target
 * and applies the events between. Lines that cannot change the state are
 * only scanned, never handed to cJSON, which keeps a million-event open
 * within a second. The session directory is only ever read. */
#include "config.h"
#include "replay.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cast.h"
#include "clock.h"
#include "drill.h"
#include "err.h"
#include "evtext.h"
#include "journal.h"
#include "jsonutf8.h"
#include "playbook.h"
#include "registry.h"
#include "session_int.h"
#include "sgr.h"
#include "sha256.h"
#include "strbuf.h"
#include "tags.h"
#include "xalloc.h"

#define READ_CHUNK (4u << 20)	/* bytes per read while indexing */
#define SEEK_CHUNK (1u << 20)	/* bytes per read while seeking */
#define CAST_MAX (64u << 20)	/* largest asciicast file read back */

struct run_line {
	int64_t t_us;		/* since the run started */
	char *text;
};

/* One run of a step, from its step.started event. */
struct run {
	uint64_t started;	/* event number of step.started */
	uint64_t finished;	/* of its end (finished, interrupted), or 0 */
	int64_t wall_us;	/* when it started */
	int64_t end_us;		/* when it ended */
	char *step;
	char *cast;		/* asciicast path inside the session, or NULL */
	int loaded;		/* lines read from the cast file */
	struct run_line *lines;
	size_t n_lines;
};

/* Event numbers of one kind of sources event, ascending. */
struct evlist {
	uint64_t *ev;
	size_t n, cap;
};

/* What the tags and registry tabs show at src_pos, and the events it was
 * read from (to re-read only what changed). */
struct shown {
	int valid;
	uint64_t pos;
	int have_drill;		/* drill_n_injects and drill are set */
	size_t drill_n_injects;	/* injections merged into drill */
	cJSON *drill;		/* the drill's state then, or NULL */
	uint64_t tags_ev;
	struct tag_list *tags;
	uint64_t *reg_ev;	/* per targets.registry package */
	struct reg_answer **regs;
};

struct replay {
	char *dir;
	int fd;			/* journal.jsonl, read-only */
	struct session *s;	/* the state after pos events */
	uint64_t pos;
	uint64_t n;		/* lines indexed */
	size_t cap;
	uint64_t *off;		/* line k spans off[k-1] .. off[k]-1 ('\n') */
	int64_t *wall;		/* wall[k-1]: wall time of line k */
	uint8_t *marks;		/* marks[k-1] */
	struct session_state **snaps;	/* snaps[i]: state after i*EVERY */
	size_t n_snaps;
	struct run *runs;	/* in order of their start */
	size_t n_runs;
	struct replay_integrity integrity;
	struct evlist tags_evs;		/* tags.answer */
	struct evlist inject_evs;	/* drill.inject */
	struct evlist *reg_evs;		/* registry.answer, per package */
	struct shown shown;
	char last_hash[65];	/* of the last line scanned */
	char *buf;		/* read buffer for seeking and searching */
	size_t buf_cap;
};

/* --- small helpers ------------------------------------------------------- */

static int
read_at(int fd, char *buf, size_t n, uint64_t at, struct err *err)
{
	size_t got = 0;

	while (got < n) {
		ssize_t k = pread(fd, buf + got, n - got, (off_t)(at + got));

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return err_set(err, ERR_IO, "journal read: %s",
				       k < 0 ? strerror(errno)
					     : "file shrank under replay");
		got += (size_t)k;
	}
	return 0;
}

static void
grow_index(struct replay *r)
{
	if (r->n + 1 < r->cap)
		return;
	r->cap = r->cap ? r->cap * 2 : 1024;
	r->off = xrealloc(r->off, (r->cap + 1) * sizeof(*r->off));
	r->wall = xrealloc(r->wall, r->cap * sizeof(*r->wall));
	r->marks = xrealloc(r->marks, r->cap * sizeof(*r->marks));
}

/* The first bad line counts; lines may be noted out of order (the hash
 * chain of a block is checked after its events are applied). */
static void
note_bad_from(struct replay *r, uint64_t line, uint64_t from, const char *why)
{
	if (!r->integrity.unverified_from || from < r->integrity.unverified_from)
		r->integrity.unverified_from = from;
	if (r->integrity.bad_line && r->integrity.bad_line <= line)
		return;
	r->integrity.bad_line = line;
	snprintf(r->integrity.reason, sizeof(r->integrity.reason), "%s", why);
}

static void
note_bad(struct replay *r, uint64_t line, const char *why)
{
	note_bad_from(r, line, line, why);
}

/* --- the fixed layout of a journal line ---------------------------------- */

/* A string field of the line: its body, or NULL for null. */
struct span {
	const char *p;
	size_t len;
};

/* The fields of a line, borrowed from it. */
struct line_info {
	int64_t seq;
	int64_t wall_us;
	int64_t mono;
	const char *type;
	size_t type_len;
	int has_step;
	const char *prev;	/* 64 hex digits */
	struct span actor, phase, step, payload;
};

static int
skip_lit(const char **p, const char *end, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(end - *p) < n || memcmp(*p, lit, n) != 0)
		return 0;
	*p += n;
	return 1;
}

/* A string without escapes: its body in *S and *LEN, after the quote. */
static int
skip_plain(const char **p, const char *end, const char **s, size_t *len)
{
	const char *q;

	if (*p >= end || **p != '"')
		return 0;
	for (q = *p + 1; q < end && *q != '"'; q++)
		if (*q == '\\' || (unsigned char)*q < 0x20)
			return 0;
	if (q >= end)
		return 0;
	*s = *p + 1;
	*len = (size_t)(q - *s);
	*p = q + 1;
	return 1;
}

static int
skip_digits(const char **p, const char *end, int64_t *v)
{
	int is_neg = *p < end && **p == '-';
	const char *start = *p + is_neg;

	*v = 0;
	for (*p = start; *p < end && **p >= '0' && **p <= '9' &&
	     *p - start < 18; (*p)++)
		*v = *v * 10 + (**p - '0');
	if (is_neg)
		*v = -*v;
	return *p > start;
}

static int
skip_nullable(const char **p, const char *end, struct span *sp)
{
	sp->p = NULL;
	sp->len = 0;
	if (skip_lit(p, end, "null"))
		return 1;
	return skip_plain(p, end, &sp->p, &sp->len);
}

static int
two_digits(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* "2026-11-21T19:30:00.123456Z" exactly as the journal writes it, without
 * the time zone machinery of clock_parse_rfc3339 (a tenth of an open). */
static int
parse_wall(const char *s, size_t n, int64_t *wall_us)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd.ddddddZ";
	int64_t frac = 0;
	char buf[48];

	if (n != sizeof(shape) - 1)
		goto slow;
	for (size_t i = 0; i < n; i++)
		if (shape[i] == 'd' ? s[i] < '0' || s[i] > '9' : s[i] != shape[i])
			goto slow;
	for (size_t i = 20; i < 26; i++)
		frac = frac * 10 + (s[i] - '0');
	if (two_digits(s + 5) < 1 || two_digits(s + 5) > 12 ||
	    two_digits(s + 8) < 1 || two_digits(s + 8) > 31)
		goto slow;
	*wall_us = ((days_from_civil(two_digits(s) * 100 + two_digits(s + 2),
				     two_digits(s + 5), two_digits(s + 8)) *
		     86400 + two_digits(s + 11) * 3600 + two_digits(s + 14) * 60 +
		     two_digits(s + 17)) * 1000000) + frac;
	return 0;
slow:
	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return clock_parse_rfc3339(buf, wall_us);
}

/* Read the fields of LINE when it is laid out as journal_format_line
 * writes it; anything else (0) goes to the full parser. */
static int
scan_fixed(const char *line, size_t len, struct line_info *li)
{
	const char *p = line, *end = line + len, *s;
	size_t n;

	/* verify's rule: a NUL makes a line unreadable (cJSON would read a
	 * string on past it) */
	if (memchr(line, '\0', len))
		return 0;
	if (!skip_lit(&p, end, "{\"seq\":") || !skip_digits(&p, end, &li->seq) ||
	    !skip_lit(&p, end, ",\"wall\":") || !skip_plain(&p, end, &s, &n) ||
	    parse_wall(s, n, &li->wall_us) < 0 ||
	    !skip_lit(&p, end, ",\"mono\":") ||
	    !skip_digits(&p, end, &li->mono) ||
	    !skip_lit(&p, end, ",\"actor\":") ||
	    !skip_plain(&p, end, &li->actor.p, &li->actor.len) ||
	    !skip_lit(&p, end, ",\"type\":") ||
	    !skip_plain(&p, end, &li->type, &li->type_len) ||
	    !skip_lit(&p, end, ",\"phase\":") ||
	    !skip_nullable(&p, end, &li->phase) ||
	    !skip_lit(&p, end, ",\"step\":") ||
	    !skip_nullable(&p, end, &li->step) ||
	    !skip_lit(&p, end, ",\"payload\":"))
		return 0;
	li->has_step = li->step.p != NULL;
	/* The payload is whatever lies between; the tail is fixed. */
	if (end - p < 77 || *p != '{' || memcmp(end - 2, "\"}", 2) != 0 ||
	    memcmp(end - 75, ",\"prev\":\"", 9) != 0 || end[-76] != '}')
		return 0;
	li->payload.p = p;
	li->payload.len = (size_t)(end - 75 - p);
	li->prev = end - 66;
	return strspn(li->prev, "0123456789abcdef") >= 64;
}

static int
type_is(const struct line_info *li, const char *type)
{
	return li->type_len == strlen(type) &&
	       memcmp(li->type, type, li->type_len) == 0;
}

/* Event types that session_apply_event ignores; anything else, and any
 * event naming a step (it records who touched the step), is applied. */
static int
is_inert(const struct line_info *li)
{
	static const char *const inert[] = {
		"note.added", "session.resumed", "session.quit",
		"journal.truncated", "action.refused", NULL,
	};

	if (li->has_step && !type_is(li, "action.refused"))
		return 0;
	for (const char *const *t = inert; *t; t++)
		if (type_is(li, *t))
			return 1;
	return 0;
}

static unsigned
marks_of(const struct line_info *li)
{
	unsigned m = is_inert(li) ? 0 : REPLAY_MARK_STATE;

	if (type_is(li, "session.started") || type_is(li, "phase.advanced") ||
	    type_is(li, "session.completed"))
		m |= REPLAY_MARK_PHASE;
	else if (type_is(li, "approval.granted"))
		m |= REPLAY_MARK_APPROVAL;
	else if (type_is(li, "approval.voided"))
		m |= REPLAY_MARK_APPROVAL | REPLAY_MARK_ALERT;
	else if (type_is(li, "decision.made"))
		m |= REPLAY_MARK_DECISION;
	else if (type_is(li, "action.refused") ||
		 type_is(li, "step.interrupted"))
		m |= REPLAY_MARK_FAILURE | REPLAY_MARK_ALERT;
	else if (type_is(li, "drill.inject") || type_is(li, "log.threshold"))
		m |= REPLAY_MARK_ALERT;	/* the Output pane showed them */
	else if (type_is(li, "step.started"))
		m |= REPLAY_MARK_RUN;
	return m;
}

static char *
span_dup(const struct span *sp)
{
	return sp->p ? xstrndup(sp->p, sp->len) : NULL;
}

/* The event of a scanned line without scanning it again: only the
 * payload goes to cJSON. Returns 0, or -1 when the payload is not a JSON
 * object (the full parser then words the error). EV->line stays NULL. */
static int
event_from_scan(const struct line_info *li, struct journal_event *ev)
{
	int whole;

	memset(ev, 0, sizeof(*ev));
	ev->payload = jsonutf8_parse(li->payload.p, li->payload.len, &whole);
	if (!whole || !cJSON_IsObject(ev->payload)) {
		cJSON_Delete(ev->payload);
		ev->payload = NULL;
		return -1;
	}
	ev->seq = (uint64_t)li->seq;
	ev->wall_us = li->wall_us;
	ev->mono_us = li->mono;
	ev->actor = span_dup(&li->actor);
	ev->type = xstrndup(li->type, li->type_len);
	ev->phase = span_dup(&li->phase);
	ev->step = span_dup(&li->step);
	memcpy(ev->prev, li->prev, 64);
	ev->prev[64] = '\0';
	return 0;
}

static int
payload_is_object(const struct line_info *li)
{
	int whole;
	cJSON *p = jsonutf8_parse(li->payload.p, li->payload.len, &whole);
	int ok = whole && cJSON_IsObject(p);

	cJSON_Delete(p);
	return ok;
}

static void
info_from_event(const struct journal_event *ev, struct line_info *li)
{
	li->seq = (int64_t)ev->seq;
	li->wall_us = ev->wall_us;
	li->type = ev->type;
	li->type_len = strlen(ev->type);
	li->has_step = ev->step != NULL;
	li->prev = ev->prev;
}

/* --- step runs and their output ---------------------------------------------- */

/* A cast path from the journal, kept only when it stays inside the
 * session directory (a tampered journal must not make us read elsewhere). */
static char *
safe_cast_path(const char *rel)
{
	if (!rel || !*rel || rel[0] == '/' || strstr(rel, "..") != NULL)
		return NULL;
	return xstrdup(rel);
}

static void
track_run(struct replay *r, uint64_t n, const struct journal_event *ev)
{
	const char *out = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		ev->payload, "output"));
	struct run *run;

	if (!ev->step)
		return;
	if (strcmp(ev->type, "step.started") == 0) {
		r->runs = xrealloc(r->runs, (r->n_runs + 1) * sizeof(*r->runs));
		run = &r->runs[r->n_runs++];
		memset(run, 0, sizeof(*run));
		run->started = n;
		run->wall_us = ev->wall_us;
		run->step = xstrdup(ev->step);
		run->cast = safe_cast_path(out);
		return;
	}
	if (strcmp(ev->type, "step.finished") != 0 &&
	    strcmp(ev->type, "step.interrupted") != 0)
		return;
	for (size_t i = r->n_runs; i-- > 0;) {
		run = &r->runs[i];
		if (run->finished || strcmp(run->step, ev->step) != 0)
			continue;
		run->finished = n;
		run->end_us = ev->wall_us;
		return;
	}
}

static void
add_run_line(struct run *run, int64_t t_us, const char *text, size_t len)
{
	if (len && text[len - 1] == '\r')
		len--;
	run->lines = xrealloc(run->lines,
			      (run->n_lines + 1) * sizeof(*run->lines));
	run->lines[run->n_lines].t_us = t_us;
	run->lines[run->n_lines++].text = xstrndup(text, len);
}

static void
add_cast_line(int64_t t_us, const char *text, size_t len, void *arg)
{
	add_run_line(arg, t_us, text, len);
}

/* Read the run's cast file once; a missing or unreadable file leaves it
 * without output (the replay shows the rest). */
static void
load_run(const struct replay *r, struct run *run)
{
	char *path;

	if (run->loaded)
		return;
	run->loaded = 1;
	if (!run->cast)
		return;
	path = xasprintf("%s/%s", r->dir, run->cast);
	cast_each_line(path, CAST_MAX, add_cast_line, run, NULL);
	free(path);
}

static void
run_free(struct run *run)
{
	for (size_t i = 0; i < run->n_lines; i++)
		free(run->lines[i].text);
	free(run->lines);
	free(run->step);
	free(run->cast);
}

/* --- indexing ------------------------------------------------------------------ */

/* What the chain check of a line needs: its seq and prev, kept when the
 * check waits for the hash of the line before. CHECKED is 0 for a line
 * that is not an event (it has no chain to check). */
struct chain_rec {
	int checked;
	int64_t seq;
	char prev[64];
};

static void
check_chain(struct replay *r, uint64_t n, const struct chain_rec *c)
{
	char why[128];

	if (c->seq < 0 || (uint64_t)c->seq != n) {
		snprintf(why, sizeof(why), "seq %" PRId64 ", expected %" PRIu64,
			 c->seq, n);
		note_bad(r, n, why);
	} else if (memcmp(c->prev, r->last_hash, 64) != 0) {
		if (n == 1)
			snprintf(why, sizeof(why), "hash chain broken: prev of "
				 "line 1 is not the genesis value");
		else
			snprintf(why, sizeof(why), "hash chain broken: prev "
				 "does not match line %" PRIu64, n - 1);
		/* line n - 1 may be the one changed */
		note_bad_from(r, n, n > 1 ? n - 1 : n, why);
	}
	if (r->integrity.bad_line == n)
		r->marks[n - 1] |= REPLAY_MARK_BAD;
}

static void
take_snapshot(struct replay *r)
{
	r->snaps = xrealloc(r->snaps, (r->n_snaps + 1) * sizeof(*r->snaps));
	r->snaps[r->n_snaps++] = session_state_dup(r->s);
}

/* A line that is not an event: indexed (so line numbers stay right) but
 * never applied. */
static void
index_unreadable(struct replay *r, uint64_t n, const char *why)
{
	r->wall[n - 1] = n > 1 ? r->wall[n - 2] : 0;
	r->marks[n - 1] = REPLAY_MARK_BAD;
	r->integrity.n_unreadable++;
	note_bad(r, n, why);
}

static void note_source(struct replay *r, uint64_t n,
			const struct journal_event *ev);
static void free_sources(struct replay *r);

/* Index LINE and apply it when it changes state. Its chain check is left
 * in *CHAIN for the caller (index_line, or a block's check once the
 * hashes of its lines are known). */
static void
index_line_body(struct replay *r, const char *line, size_t len,
		struct chain_rec *chain)
{
	struct journal_event ev = { 0 };
	struct line_info li;
	struct err err = { 0 };
	uint64_t n;
	int parsed = 0;

	chain->checked = 0;

	grow_index(r);
	n = ++r->n;
	r->off[n] = r->off[n - 1] + len + 1;
	if (!scan_fixed(line, len, &li)) {
		if (journal_event_parse(line, len, &ev, &err) < 0) {
			index_unreadable(r, n, err.msg);
			goto out;
		}
		parsed = 1;
		info_from_event(&ev, &li);
	}
	r->wall[n - 1] = li.wall_us;
	r->marks[n - 1] = (uint8_t)marks_of(&li);
	/* verify's rule: a line is good only when all of it parses, so a
	 * line that is not applied still has its payload checked */
	if (!parsed && !(r->marks[n - 1] & REPLAY_MARK_STATE) &&
	    !payload_is_object(&li) &&
	    journal_event_parse(line, len, &ev, &err) < 0) {
		index_unreadable(r, n, err.msg);
		goto out;
	}
	chain->checked = 1;
	chain->seq = li.seq;
	memcpy(chain->prev, li.prev, sizeof(chain->prev));
	if (r->marks[n - 1] & REPLAY_MARK_STATE) {
		if (!parsed && event_from_scan(&li, &ev) < 0 &&
		    journal_event_parse(line, len, &ev, &err) < 0) {
			index_unreadable(r, n, err.msg);
			goto out;
		}
		parsed = 1;
		session_apply_event(r->s, &ev);
		track_run(r, n, &ev);
		note_source(r, n, &ev);
		if (strcmp(ev.type, "step.finished") == 0 &&
		    !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ev.payload,
								   "ok")))
			r->marks[n - 1] |= REPLAY_MARK_FAILURE;
	}
out:
	if (parsed)
		journal_event_done(&ev);
	if (n % REPLAY_SNAPSHOT_EVERY == 0)
		take_snapshot(r);
}

/* Check line N's place in the chain, then make HASH (its own) the one
 * the next line must name. */
static void
chain_line(struct replay *r, uint64_t n, const struct chain_rec *c,
	   const char *hash)
{
	if (c->checked)
		check_chain(r, n, c);
	memcpy(r->last_hash, hash, sizeof(r->last_hash));
}

static void
index_line(struct replay *r, const char *line, size_t len)
{
	struct chain_rec c;
	char hash[65];

	index_line_body(r, line, len, &c);
	sha256_hex(line, len, hash);
	chain_line(r, r->n, &c, hash);
}

/* A block of lines whose hashes a second thread works out while the
 * first applies them: the chain's SHA-256 was about a quarter of opening
 * a long journal. */
struct block {
	const char **line;
	size_t *len;
	char (*hash)[65];
	size_t n, cap;
};

static void *
hash_block(void *arg)
{
	struct block *b = arg;

	for (size_t i = 0; i < b->n; i++)
		sha256_hex(b->line[i], b->len[i], b->hash[i]);
	return NULL;
}

static void
block_add(struct block *b, const char *line, size_t len)
{
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 4096;
		b->line = xrealloc(b->line, b->cap * sizeof(*b->line));
		b->len = xrealloc(b->len, b->cap * sizeof(*b->len));
		b->hash = xrealloc(b->hash, b->cap * sizeof(*b->hash));
	}
	b->line[b->n] = line;
	b->len[b->n++] = len;
}

static void
block_free(struct block *b)
{
	free(b->line);
	free(b->len);
	free(b->hash);
}

/* Index B's lines, hashing them on a second thread when there are enough
 * to pay for it; the chain is checked in order afterwards. */
static void
index_block(struct replay *r, struct block *b, struct chain_rec **recs,
	    size_t *recs_cap)
{
	uint64_t first = r->n + 1;
	pthread_t hasher;
	int threaded;

	if (b->n < 256) {
		for (size_t i = 0; i < b->n; i++)
			index_line(r, b->line[i], b->len[i]);
		return;
	}
	if (*recs_cap < b->n) {
		*recs_cap = b->n;
		*recs = xrealloc(*recs, b->n * sizeof(**recs));
	}
	threaded = pthread_create(&hasher, NULL, hash_block, b) == 0;
	for (size_t i = 0; i < b->n; i++)
		index_line_body(r, b->line[i], b->len[i], &(*recs)[i]);
	if (threaded)
		pthread_join(hasher, NULL);
	else
		hash_block(b);
	for (size_t i = 0; i < b->n; i++)
		chain_line(r, first + i, &(*recs)[i], b->hash[i]);
}

/* Index every complete line of the file; an unterminated tail (a write
 * in progress, or torn by a crash) is left out and reported. */
static int
index_file(struct replay *r, struct err *err)
{
	size_t cap = READ_CHUNK, len = 0, recs_cap = 0;
	char *buf = xmalloc(cap);
	struct block b = { 0 };
	struct chain_rec *recs = NULL;
	uint64_t at = 0;
	int rc = 0;

	for (;;) {
		ssize_t k = read(r->fd, buf + len, cap - len);
		size_t start = 0;
		char *nl;

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			rc = err_set(err, ERR_IO, "%s/journal.jsonl: %s", r->dir,
				     strerror(errno));
			break;
		}
		if (k == 0)
			break;
		len += (size_t)k;
		b.n = 0;
		while ((nl = memchr(buf + start, '\n', len - start))) {
			block_add(&b, buf + start, (size_t)(nl - buf - start));
			start = (size_t)(nl - buf) + 1;
		}
		index_block(r, &b, &recs, &recs_cap);
		memmove(buf, buf + start, len - start);
		at += start;
		len -= start;
		if (len == cap) {
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
	}
	r->integrity.torn_bytes = len;
	if (len && !r->integrity.bad_line) {
		r->integrity.bad_line = r->n + 1;
		r->integrity.unverified_from = r->n + 1;
		snprintf(r->integrity.reason, sizeof(r->integrity.reason),
			 "torn last line (%zu bytes without newline)", len);
	}
	(void)at;
	block_free(&b);
	free(recs);
	free(buf);
	return rc;
}

/* --- opening and closing ---------------------------------------------------------- */

static struct playbook *
load_playbook(const char *dir, struct err *err)
{
	char *path = xasprintf("%s/playbook.json", dir);
	size_t len;
	char *text = playbook_read_text(path, &len, err);
	struct playbook *pb = text ? playbook_load_buffer(text, len, path, err)
				   : NULL;

	free(text);
	free(path);
	return pb;
}

static int
open_journal_file(struct replay *r, struct err *err)
{
	char *path = xasprintf("%s/journal.jsonl", r->dir);
	int rc = 0;

	r->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (r->fd < 0)
		rc = err_set(err, errno == ENOENT ? ERR_NOTFOUND : ERR_IO,
			     "open %s: %s", path, strerror(errno));
	free(path);
	return rc;
}

/* Index what the file holds from the fd's offset on, under a shared
 * lock: an appender finishes its line before we read. */
static int
index_locked(struct replay *r, struct err *err)
{
	int rc;

	while (flock(r->fd, LOCK_SH) < 0 && errno == EINTR)
		;
	rc = index_file(r, err);
	flock(r->fd, LOCK_UN);
	return rc;
}

/* Whether the playbook copy replay draws steps and commands from is the
 * one the session started from, as rewind verify checks. */
static void
check_copy(struct replay *r)
{
	struct err err = { 0 };

	if (session_verify_copy(r->dir, &err) == 0)
		return;
	r->integrity.playbook_changed = 1;
	snprintf(r->integrity.playbook_reason,
		 sizeof(r->integrity.playbook_reason), "%s", err.msg);
}

struct replay *
replay_open(const char *dir, struct err *err)
{
	struct playbook *pb = load_playbook(dir, err);
	struct replay *r;

	if (!pb)
		return NULL;
	r = xcalloc(1, sizeof(*r));
	r->dir = xstrdup(dir);
	r->fd = -1;
	r->s = session_alloc(pb, dir, NULL);
	check_copy(r);
	memcpy(r->last_hash, JOURNAL_GENESIS, sizeof(r->last_hash));
	grow_index(r);
	r->off[0] = 0;
	take_snapshot(r);
	if (open_journal_file(r, err) < 0) {
		replay_free(r);
		return NULL;
	}
	if (index_locked(r, err) < 0) {
		replay_free(r);
		return NULL;
	}
	r->pos = r->n;
	return r;
}

int64_t
replay_follow(struct replay *r, struct err *err)
{
	uint64_t before = r->n;
	int rc;

	if (replay_seek(r, r->n, err) < 0)
		return -1;
	/* A torn tail is a line still being written: read it again. */
	if (r->integrity.bad_line == r->n + 1) {
		r->integrity.bad_line = 0;
		r->integrity.unverified_from = 0;
		r->integrity.reason[0] = '\0';
	}
	r->integrity.torn_bytes = 0;
	if (lseek(r->fd, (off_t)r->off[r->n], SEEK_SET) < 0)
		return err_set(err, ERR_IO, "%s/journal.jsonl: %s", r->dir,
			       strerror(errno));
	rc = index_locked(r, err);
	r->pos = r->n;		/* the lines read before an error are applied */
	return rc < 0 ? -1 : (int64_t)(r->n - before);
}

void
replay_free(struct replay *r)
{
	if (!r)
		return;
	if (r->fd >= 0)
		close(r->fd);
	free_sources(r);
	session_free(r->s);
	for (size_t i = 0; i < r->n_snaps; i++)
		session_state_free(r->snaps[i]);
	free(r->snaps);
	for (size_t i = 0; i < r->n_runs; i++)
		run_free(&r->runs[i]);
	free(r->runs);
	free(r->off);
	free(r->wall);
	free(r->marks);
	free(r->buf);
	free(r->dir);
	free(r);
}

/* --- reading lines back ------------------------------------------------------------- */

/* FN gets each line FIRST..LAST, NUL-ended; a non-zero return stops. */
typedef int (*line_fn)(struct replay *r, uint64_t n, char *line, size_t len,
		       void *arg);

static int
each_line(struct replay *r, uint64_t first, uint64_t last, line_fn fn,
	  void *arg, struct err *err)
{
	uint64_t n = first;

	while (n <= last) {
		uint64_t end = n;
		size_t bytes;

		while (end < last && r->off[end + 1] - r->off[n - 1] <= SEEK_CHUNK)
			end++;
		bytes = (size_t)(r->off[end] - r->off[n - 1]);
		if (bytes + 1 > r->buf_cap) {
			r->buf_cap = bytes + 1 > SEEK_CHUNK ? bytes + 1
							    : SEEK_CHUNK + 1;
			r->buf = xrealloc(r->buf, r->buf_cap);
		}
		if (read_at(r->fd, r->buf, bytes, r->off[n - 1], err) < 0)
			return -1;
		for (uint64_t k = n; k <= end; k++) {
			char *line = r->buf + (r->off[k - 1] - r->off[n - 1]);
			size_t len = (size_t)(r->off[k] - r->off[k - 1] - 1);

			line[len] = '\0';
			if (fn(r, k, line, len, arg))
				return 1;
		}
		n = end + 1;
	}
	return 0;
}

static int
apply_one(struct replay *r, uint64_t n, char *line, size_t len, void *arg)
{
	struct journal_event ev;
	struct line_info li;

	(void)arg;
	if (!(r->marks[n - 1] & REPLAY_MARK_STATE))
		return 0;
	if ((!scan_fixed(line, len, &li) || event_from_scan(&li, &ev) < 0) &&
	    journal_event_parse(line, len, &ev, NULL) < 0)
		return 0;
	session_apply_event(r->s, &ev);
	journal_event_done(&ev);
	return 0;
}

int
replay_seek(struct replay *r, uint64_t n, struct err *err)
{
	uint64_t base;

	if (n > r->n)
		n = r->n;
	if (n == r->pos)
		return 0;
	base = n / REPLAY_SNAPSHOT_EVERY * REPLAY_SNAPSHOT_EVERY;
	if (n < r->pos || r->pos < base) {
		session_state_restore(r->s, r->snaps[base /
						     REPLAY_SNAPSHOT_EVERY]);
		r->pos = base;
	}
	if (n > r->pos && each_line(r, r->pos + 1, n, apply_one, NULL, err) < 0)
		return -1;
	r->pos = n;
	return 0;
}

/* --- the public surface ----------------------------------------------------------- */

uint64_t
replay_count(const struct replay *r)
{
	return r->n;
}

uint64_t
replay_pos(const struct replay *r)
{
	return r->pos;
}

struct session *
replay_session(const struct replay *r)
{
	return r->s;
}

const struct replay_integrity *
replay_integrity(const struct replay *r)
{
	return &r->integrity;
}

int64_t
replay_wall(const struct replay *r, uint64_t n)
{
	if (r->n == 0)
		return 0;
	if (n == 0)
		n = 1;
	return r->wall[(n > r->n ? r->n : n) - 1];
}

unsigned
replay_marks(const struct replay *r, uint64_t n)
{
	return n >= 1 && n <= r->n ? r->marks[n - 1] : 0;
}

uint64_t
replay_find_mark(const struct replay *r, uint64_t from, int dir,
		 unsigned mask)
{
	if (dir > 0) {
		for (uint64_t k = from + 1; k <= r->n; k++)
			if (r->marks[k - 1] & mask)
				return k;
		return 0;
	}
	for (uint64_t k = from > r->n + 1 ? r->n : from - (from > 0); k >= 1;
	     k--)
		if (r->marks[k - 1] & mask)
			return k;
	return 0;
}

uint64_t
replay_find_time(const struct replay *r, int64_t wall_us)
{
	uint64_t lo = 0, hi = r->n;

	/* Wall times only rise, except across a clock step: take the first
	 * event later than WALL_US as the boundary. */
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (r->wall[mid] <= wall_us)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct find_ctx {
	const char *needle;
	uint64_t hit;
	int keep_last;		/* searching back: the last match, not the first */
};

/* Whether a payload key holds what the screen never shows (digests, ids
 * of the machine). */
static int
is_hidden_key(const char *key)
{
	return key && (strstr(key, "sha256") || strcmp(key, "boot_id") == 0 ||
		       strcmp(key, "start_time") == 0);
}

/* Every string of ITEM, decoded and without SGR sequences, one a line. */
static void
add_strings(struct strbuf *sb, const cJSON *item)
{
	const cJSON *c;
	char *plain;

	if (cJSON_IsString(item) && !is_hidden_key(item->string)) {
		plain = sgr_strip(item->valuestring);
		strbuf_addf(sb, "%s\n", plain);
		free(plain);
	}
	cJSON_ArrayForEach(c, item)
		add_strings(sb, c);
}

/* An event's text as the screens show it: the Journal tab's type, step
 * and actor, its words (evtext), and its payload's strings as the Output
 * tab and the step pane show them (escapes decoded, SGR sequences
 * gone); never the JSON's keys, hashes or escapes. */
static void
shown_text(const char *line, size_t len, struct strbuf *sb)
{
	cJSON *ev = jsonutf8_parse(line, len, NULL);
	char *words;
	static const char *const keys[] = { "type", "step", "actor" };

	if (!ev)
		return;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *v = cJSON_GetStringValue(
			cJSON_GetObjectItem(ev, keys[i]));

		if (v)
			strbuf_addf(sb, "%s\n", v);
	}
	if ((words = evtext_describe(ev))) {
		strbuf_addf(sb, "%s\n", words);
		free(words);
	}
	add_strings(sb, cJSON_GetObjectItem(ev, "payload"));
	cJSON_Delete(ev);
}

static int
match_line(struct replay *r, uint64_t n, char *line, size_t len, void *arg)
{
	struct find_ctx *f = arg;
	struct strbuf sb = STRBUF_INIT;
	int hit;

	(void)r;
	shown_text(line, len, &sb);
	hit = strcasestr(strbuf_str(&sb), f->needle) != NULL;
	strbuf_done(&sb);
	if (!hit)
		return 0;
	f->hit = n;
	return !f->keep_last;
}

int64_t
replay_find_text_dir(struct replay *r, uint64_t from, int dir,
		     const char *needle, struct err *err)
{
	struct find_ctx f = { needle, 0, dir < 0 };
	uint64_t last = from > r->n ? r->n : from;

	if (!needle || !*needle || r->n == 0)
		return 0;
	if (dir < 0) {
		if (last > 1 && each_line(r, 1, last - 1, match_line, &f,
					  err) < 0)
			return -1;
		if (!f.hit && each_line(r, last ? last : 1, r->n, match_line,
					&f, err) < 0)
			return -1;
		return (int64_t)f.hit;
	}
	if (from < r->n &&
	    each_line(r, from + 1, r->n, match_line, &f, err) < 0)
		return -1;
	if (!f.hit && from >= 1 &&
	    each_line(r, 1, last, match_line, &f, err) < 0)
		return -1;
	return (int64_t)f.hit;
}

int64_t
replay_find_text(struct replay *r, uint64_t from, const char *needle,
		 struct err *err)
{
	return replay_find_text_dir(r, from, 1, needle, err);
}

static int
copy_line(struct replay *r, uint64_t n, char *line, size_t len, void *arg)
{
	(void)r;
	(void)n;
	strbuf_reset(arg);
	strbuf_add(arg, line, len);
	return 1;
}

int
replay_line(struct replay *r, uint64_t n, struct strbuf *out,
	    struct err *err)
{
	if (n < 1 || n > r->n)
		return err_set(err, ERR_NOTFOUND, "no event %" PRIu64
			       " (the journal has %" PRIu64 ")", n, r->n);
	return each_line(r, n, n, copy_line, out, err) < 0 ? -1 : 0;
}

struct each_ctx {
	replay_line_cb cb;
	void *arg;
};

static int
pass_line(struct replay *r, uint64_t n, char *line, size_t len, void *arg)
{
	struct each_ctx *c = arg;

	(void)r;
	c->cb(n, line, len, c->arg);
	return 0;
}

int
replay_each_line(struct replay *r, uint64_t first, uint64_t last,
		 replay_line_cb cb, void *arg, struct err *err)
{
	struct each_ctx c = { cb, arg };

	if (first < 1)
		first = 1;
	if (last > r->n)
		last = r->n;
	if (first > last)
		return 0;
	return each_line(r, first, last, pass_line, &c, err) < 0 ? -1 : 0;
}

/* --- the output pane -------------------------------------------------------------- */

struct out_item {
	int64_t when;		/* when the console showed it */
	uint64_t ev;		/* the run's start, or the alerting event */
	size_t idx;		/* line number in the run (0 for alerts) */
	enum replay_item kind;
	const char *text;
	char *owned;		/* alert line text */
};

static int
cmp_items(const void *pa, const void *pb)
{
	const struct out_item *a = pa, *b = pb;

	if (a->when != b->when)
		return a->when < b->when ? -1 : 1;
	if (a->ev != b->ev)
		return a->ev < b->ev ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

struct items {
	struct out_item *v;
	size_t n, cap;
};

static void
push_item(struct items *it, const struct out_item *item)
{
	if (it->n == it->cap) {
		it->cap = it->cap ? it->cap * 2 : 256;
		it->v = xrealloc(it->v, it->cap * sizeof(*it->v));
	}
	it->v[it->n++] = *item;
}

/* Journal line K as a run's start (IDX 0) or end item at WHEN. */
static void
push_run_event(struct replay *r, const struct run *run, uint64_t k,
	       int64_t when, size_t idx, struct items *it)
{
	struct strbuf sb = STRBUF_INIT;
	struct out_item item = { 0 };

	if (replay_line(r, k, &sb, NULL) < 0) {
		strbuf_done(&sb);
		return;
	}
	item.when = when;
	item.ev = run->started;
	item.idx = idx;
	item.kind = REPLAY_ITEM_RUN;
	item.owned = strbuf_detach(&sb);
	item.text = item.owned;
	push_item(it, &item);
}

/* The lines RUN had shown by NOW at the position: all of them once it
 * ended, else those printed by then; a line counts at the time it was
 * printed, but no later than the end of its run. Its start and end
 * events come first and last, as the console shows them. */
static size_t
collect_run(struct replay *r, struct run *run, int64_t now, struct items *it)
{
	int ended = run->finished && run->finished <= r->pos;
	size_t n = 0;

	load_run(r, run);
	push_run_event(r, run, run->started, run->wall_us, 0, it);
	if (ended)
		push_run_event(r, run, run->finished, run->end_us, SIZE_MAX,
			       it);
	for (size_t i = 0; i < run->n_lines; i++) {
		int64_t when = run->wall_us + run->lines[i].t_us;
		struct out_item item = { 0 };

		if (ended && when > run->end_us)
			when = run->end_us;
		if (!ended && when > now)
			continue;
		item.when = when;
		item.ev = run->started;
		item.idx = i + 1;
		item.text = run->lines[i].text;
		push_item(it, &item);
		n++;
	}
	return n;
}

static int
collect_alerts(struct replay *r, size_t max, struct items *it,
	       struct err *err)
{
	size_t got = 0;

	for (uint64_t k = r->pos; k >= 1 && got < max; k--) {
		struct strbuf sb = STRBUF_INIT;
		struct out_item item = { 0 };

		if (!(r->marks[k - 1] & REPLAY_MARK_ALERT))
			continue;
		if (replay_line(r, k, &sb, err) < 0) {
			strbuf_done(&sb);
			return -1;
		}
		item.when = r->wall[k - 1];
		item.ev = k;
		item.kind = REPLAY_ITEM_EVENT;
		item.owned = strbuf_detach(&sb);
		item.text = item.owned;
		push_item(it, &item);
		got++;
	}
	return 0;
}

/* The escalations raised by NOW, each where the clock passed it. */
static void
collect_escalations(struct replay *r, int64_t now, struct items *it)
{
	const struct pb_rto *rto = &session_playbook(r->s)->rto;
	size_t n = replay_n_escalated(r, now);

	for (size_t i = 0; i < n; i++) {
		struct out_item item = { 0 };

		item.when = replay_escalation_due(r, i);
		item.ev = replay_find_time(r, item.when);
		item.kind = REPLAY_ITEM_ALERT;
		item.text = rto->escalations[i].notify;
		push_item(it, &item);
	}
}

long
replay_output(struct replay *r, int64_t now_us, size_t max,
	      replay_output_cb cb, void *arg, struct err *err)
{
	struct items it = { NULL, 0, 0 };
	size_t lines = 0, first;
	long rc;

	for (size_t i = r->n_runs; i-- > 0 && lines < max;)
		if (r->runs[i].started <= r->pos)
			lines += collect_run(r, &r->runs[i], now_us, &it);
	rc = collect_alerts(r, max, &it, err);
	collect_escalations(r, now_us, &it);
	if (rc == 0 && it.n)
		qsort(it.v, it.n, sizeof(*it.v), cmp_items);
	first = it.n > max ? it.n - max : 0;
	for (size_t i = first; rc == 0 && i < it.n; i++)
		cb(it.v[i].ev, (int)it.v[i].kind, it.v[i].text, arg);
	for (size_t i = 0; i < it.n; i++)
		free(it.v[i].owned);
	free(it.v);
	return rc < 0 ? -1 : (long)(it.n - first);
}

int
replay_is_running(const struct replay *r)
{
	for (size_t i = r->n_runs; i-- > 0;) {
		const struct run *run = &r->runs[i];

		if (run->started <= r->pos &&
		    (!run->finished || run->finished > r->pos))
			return 1;
	}
	return 0;
}

/* --- escalations ------------------------------------------------------------------ */

int64_t
replay_escalation_due(const struct replay *r, size_t i)
{
	const struct pb_rto *rto = &session_playbook(r->s)->rto;
	int64_t start = session_start_wall(r->s), due = INT64_MIN;

	if (i >= rto->n_escalations || !session_start_wall(r->s))
		return INT64_MAX;
	/* The console checks them in order and stops at the first one not
	 * due, so one listed after a later one waits for it. */
	for (size_t k = 0; k <= i; k++)
		if (start + rto->escalations[k].after_us > due)
			due = start + rto->escalations[k].after_us;
	return due;
}

size_t
replay_n_escalated(const struct replay *r, int64_t now_us)
{
	size_t n = session_playbook(r->s)->rto.n_escalations, i;

	for (i = 0; i < n && replay_escalation_due(r, i) <= now_us; i++)
		;
	return i;
}

/* --- what the tags and registry tabs showed ---------------------------------------- */

static void
evlist_add(struct evlist *l, uint64_t n)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->ev = xrealloc(l->ev, l->cap * sizeof(*l->ev));
	}
	l->ev[l->n++] = n;
}

/* How many events of L are at or before N. */
static size_t
evlist_count(const struct evlist *l, uint64_t n)
{
	size_t lo = 0, hi = l->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (l->ev[mid] <= n)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The last event of L at or before N, or 0. */
static uint64_t
evlist_last(const struct evlist *l, uint64_t n)
{
	size_t k = evlist_count(l, n);

	return k ? l->ev[k - 1] : 0;
}

static const struct pb_targets *
targets(const struct replay *r)
{
	return &session_playbook(r->s)->targets;
}

static long
registry_index(const struct replay *r, const char *name)
{
	const struct pb_targets *t = targets(r);

	for (size_t i = 0; name && i < t->n_registries; i++)
		if (strcmp(t->registries[i].name, name) == 0)
			return (long)i;
	return -1;
}

static void
note_source(struct replay *r, uint64_t n, const struct journal_event *ev)
{
	long i;

	if (strcmp(ev->type, "tags.answer") == 0) {
		evlist_add(&r->tags_evs, n);
	} else if (strcmp(ev->type, "drill.inject") == 0 ||
		   strcmp(ev->type, "drill.world") == 0) {
		evlist_add(&r->inject_evs, n);
	} else if (strcmp(ev->type, "registry.answer") == 0) {
		i = registry_index(r, cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(ev->payload, "name")));
		if (i < 0)
			return;
		if (!r->reg_evs)
			r->reg_evs = xcalloc(targets(r)->n_registries,
					     sizeof(*r->reg_evs));
		evlist_add(&r->reg_evs[i], n);
	}
}

static void
free_shown(struct replay *r)
{
	struct shown *sh = &r->shown;

	cJSON_Delete(sh->drill);
	tag_list_free(sh->tags);
	for (size_t i = 0; sh->regs && i < targets(r)->n_registries; i++)
		reg_answer_free(sh->regs[i]);
	free(sh->regs);
	free(sh->reg_ev);
	memset(sh, 0, sizeof(*sh));
}

static void
free_sources(struct replay *r)
{
	free_shown(r);
	free(r->tags_evs.ev);
	free(r->inject_evs.ev);
	for (size_t i = 0; r->reg_evs && i < targets(r)->n_registries; i++)
		free(r->reg_evs[i].ev);
	free(r->reg_evs);
}

/* Event N parsed into EV; -1 with ERR when it can't be read back. */
static int
read_event(struct replay *r, uint64_t n, struct journal_event *ev,
	   struct err *err)
{
	struct strbuf sb = STRBUF_INIT;
	int rc = replay_line(r, n, &sb, err);

	if (rc == 0)
		rc = journal_event_parse(sb.buf, sb.len, ev, err);
	strbuf_done(&sb);
	return rc;
}

/* RFC 7386 merge of PATCH into TARGET, as drill injections change the
 * scenario's state. */
static void
merge_state(cJSON *target, const cJSON *patch)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, patch) {
		cJSON *have = cJSON_GetObjectItemCaseSensitive(target, c->string);

		if (cJSON_IsObject(c) && cJSON_IsObject(have)) {
			merge_state(have, c);
			continue;
		}
		cJSON_DeleteItemFromObjectCaseSensitive(target, c->string);
		if (cJSON_IsObject(c)) {
			cJSON *fresh = cJSON_CreateObject();

			merge_state(fresh, c);
			cJSON_AddItemToObject(target, c->string, fresh);
		} else if (!cJSON_IsNull(c)) {
			cJSON_AddItemToObject(target, c->string,
					      cJSON_Duplicate(c, 1));
		}
	}
}

/* The drill's state after its first N_INJECTS injections and commands
 * that changed it (drill.world). */
static cJSON *
drill_state_at(struct replay *r, size_t n_injects)
{
	const struct pb_scenario *sc = playbook_find_scenario(
		session_playbook(r->s), session_scenario(r->s));
	cJSON *state = drill_world_start(session_playbook(r->s), sc,
					  session_start_wall(r->s));

	for (size_t k = 0; k < n_injects; k++) {
		struct journal_event ev;
		const cJSON *st;

		if (read_event(r, r->inject_evs.ev[k], &ev, NULL) < 0)
			continue;
		st = cJSON_GetObjectItemCaseSensitive(ev.payload, "state");
		if (strcmp(ev.type, "drill.world") == 0 && cJSON_IsObject(st)) {
			cJSON_Delete(state);	/* a command changed it all */
			state = cJSON_Duplicate(st, 1);
		} else {
			merge_state(state, st);
		}
		journal_event_done(&ev);
	}
	return state;
}

static const char *
git_path(const struct replay *r)
{
	return targets(r)->git_path ? targets(r)->git_path : ".";
}

static struct tag_list *
tags_from(struct replay *r, const cJSON *json, uint64_t ev_n)
{
	struct journal_event ev;
	struct tag_list *tl = NULL;
	struct err err = { 0 };

	if (json)
		tl = tag_list_from_json(json, &err);
	else if (read_event(r, ev_n, &ev, &err) == 0) {
		tl = tag_list_from_json(ev.payload, &err);
		journal_event_done(&ev);
	}
	return tl ? tl : tag_list_new_error(git_path(r), err.msg);
}

static struct reg_answer *
registry_from(struct replay *r, size_t i, const cJSON *json, uint64_t ev_n)
{
	const struct pb_registry *def = &targets(r)->registries[i];
	enum reg_type t = def->type;
	struct journal_event ev = { 0 };
	struct reg_answer *a = NULL;
	struct err err = { 0 };
	char *text = NULL;

	if (!json && ev_n && read_event(r, ev_n, &ev, &err) == 0) {
		json = cJSON_GetObjectItemCaseSensitive(ev.payload, "answer");
		if (!cJSON_IsObject(json)) {
			err_set(&err, ERR_PARSE, "journal line %" PRIu64 ": "
				"registry.answer without an answer", ev_n);
			json = NULL;
		}
	}
	if (json && (text = cJSON_PrintUnformatted(json)))
		a = reg_answer_from_json(text, strlen(text), t, def->name,
					 &err);
	free(text);
	journal_event_done(&ev);
	if (!a) {
		a = reg_answer_new(t, def->name);
		if (json || ev_n)
			reg_answer_set_error(a, err.msg);
		else
			reg_answer_set_note(a, "no answer in the journal up to "
					    "this point");
	}
	return a;
}

/* Bring r->shown to the position, re-reading only what changed. */
static void
sync_shown(struct replay *r)
{
	struct shown *sh = &r->shown;
	size_t n_regs = targets(r)->n_registries, n_inj;
	const cJSON *tags, *regs;
	int changed = 0;
	uint64_t ev;

	if (sh->valid && sh->pos == r->pos)
		return;
	if (!sh->valid) {
		sh->reg_ev = xcalloc(n_regs + 1, sizeof(*sh->reg_ev));
		sh->regs = xcalloc(n_regs + 1, sizeof(*sh->regs));
	}
	n_inj = evlist_count(&r->inject_evs, r->pos);
	if (session_mode(r->s) == SESSION_DRILL &&
	    (!sh->have_drill || n_inj != sh->drill_n_injects)) {
		cJSON_Delete(sh->drill);
		sh->drill = drill_state_at(r, n_inj);
		sh->drill_n_injects = n_inj;
		sh->have_drill = changed = 1;
	} else if (session_mode(r->s) != SESSION_DRILL && sh->have_drill) {
		cJSON_Delete(sh->drill);
		sh->drill = NULL;
		sh->have_drill = 0;
		changed = 1;
	}
	tags = cJSON_GetObjectItemCaseSensitive(sh->drill, "tags");
	regs = cJSON_GetObjectItemCaseSensitive(sh->drill, "registry");
	ev = evlist_last(&r->tags_evs, r->pos);
	if (!sh->valid || changed || ev != sh->tags_ev) {
		tag_list_free(sh->tags);
		sh->tags = tags || ev ? tags_from(r, tags, ev) : NULL;
		sh->tags_ev = ev;
	}
	for (size_t i = 0; i < n_regs; i++) {
		ev = r->reg_evs ? evlist_last(&r->reg_evs[i], r->pos) : 0;
		if (sh->valid && !changed && ev == sh->reg_ev[i])
			continue;
		reg_answer_free(sh->regs[i]);
		sh->regs[i] = registry_from(r, i,
			cJSON_GetObjectItemCaseSensitive(
				regs, targets(r)->registries[i].name), ev);
		sh->reg_ev[i] = ev;
	}
	sh->valid = 1;
	sh->pos = r->pos;
}

const struct tag_list *
replay_tags(struct replay *r)
{
	sync_shown(r);
	return r->shown.tags;
}

size_t
replay_n_registries(const struct replay *r)
{
	return targets(r)->n_registries;
}

const struct reg_answer *
replay_registry(struct replay *r, size_t i)
{
	if (i >= targets(r)->n_registries)
		return NULL;
	sync_shown(r);
	return r->shown.regs[i];
}
