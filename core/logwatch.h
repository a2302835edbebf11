/* Following one log file on the loop with `tail -F` behaviour: polled by
 * a timer with a cheap stat/fstat, it survives rotation (rename and a new
 * file), truncation (copytruncate) and a file that appears later, holds a
 * partial line until its newline and cuts over-long lines. Pattern
 * counters count matching lines over a sliding window and report each
 * crossing of their threshold.
 *
 * Where it starts: at the end, like tail -F. The last few lines already
 * in the file are delivered first flagged LOGWATCH_BACKLOG (context for
 * the operator) and are not counted: counters count what happens during
 * the session. A file that appears later, or a new file after rotation,
 * is read from its beginning. */
#ifndef REWIND_CORE_LOGWATCH_H
#define REWIND_CORE_LOGWATCH_H

#include <regex.h>
#include <stddef.h>
#include <stdint.h>

struct err;
struct loop;
struct logwatch;

enum {
	LOGWATCH_BACKLOG = 1 << 0,	/* was in the file before we started */
	LOGWATCH_CUT = 1 << 1,		/* longer than max_line, cut */
	LOGWATCH_NOTICE = 1 << 2,	/* not a line of the file: "rotated",
					 * "truncated", "appeared"... */
};

/* One line (LEN bytes, NUL-terminated, without its newline) or notice. */
typedef void (*logwatch_line_cb)(const char *line, size_t len, int flags,
				 void *arg);

/* Counter I reached its threshold (COUNT matches in its window); called
 * once per crossing, again only after the count fell below and rose. */
typedef void (*logwatch_threshold_cb)(size_t i, int count, void *arg);

struct logwatch_opts {
	const char *path;
	int64_t interval_us;	/* poll period; 0 = 250 ms */
	size_t max_line;	/* longer lines are cut; 0 = 4096 bytes */
	int n_backlog;		/* lines of context at start; 0 = 10, -1 = none */
	logwatch_line_cb on_line;	/* or NULL */
	logwatch_threshold_cb on_threshold;	/* or NULL */
	void *arg;		/* borrowed */
};

/* Start following OPTS->path on loop L (the first look is immediate, so
 * a file that exists is opened before this returns). Never fails on the
 * file itself (a missing or unreadable file is a status, see
 * logwatch_status). Caller frees with logwatch_free. */
struct logwatch *logwatch_new(struct loop *l, const struct logwatch_opts *o);

/* Stop following and free W (may be NULL); closes the file. */
void logwatch_free(struct logwatch *w);

/* Count lines matching RE (borrowed; must outlive W) over the last
 * WINDOW_US (0 = since the start); report THRESHOLD crossings (0 = never).
 * Returns the counter's index. */
size_t logwatch_add_counter(struct logwatch *w, const regex_t *re,
			    int threshold, int64_t window_us);

/* Matches of counter I inside its window now, or -1 for a bad index. */
int logwatch_count(struct logwatch *w, size_t i);

/* Whether counter I is at or over its threshold (as last reported). */
int logwatch_is_above(const struct logwatch *w, size_t i);

/* Look at the file now instead of waiting for the timer (what the probe
 * does before judging, and what tests use). */
void logwatch_check(struct logwatch *w);

/* One line about the file for people: "following", "waiting for the
 * file to appear", or the error that keeps it from being read. Borrowed. */
const char *logwatch_status(const struct logwatch *w);

/* Whether the file is open and being followed. */
int logwatch_is_open(const struct logwatch *w);

/* Lines read (not counting backlog and notices) since the start. */
uint64_t logwatch_n_lines(const struct logwatch *w);

#endif
