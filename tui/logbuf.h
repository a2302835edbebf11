/* The log pane's memory: a bounded ring of lines (command output and
 * journal events), oldest dropped first; the full output stays in the
 * session's cast files. */
#ifndef REWIND_TUI_LOGBUF_H
#define REWIND_TUI_LOGBUF_H

#include <stddef.h>
#include <stdint.h>

enum log_kind {
	LOG_OUTPUT,	/* a line a command printed */
	LOG_EVENT,	/* a journal event, summarised */
	LOG_ALERT,	/* a refusal, failure or alert */
	LOG_RUN,	/* a run starts or ends: step, command, status */
};

struct logbuf;

/* A ring keeping at most MAX lines; caller frees with logbuf_free. */
struct logbuf *logbuf_new(size_t max);
void logbuf_free(struct logbuf *lb);

/* Append a copy of TEXT. */
void logbuf_add(struct logbuf *lb, enum log_kind kind, const char *text);

/* Append the LEN bytes of TEXT as lines split at \n (only the last ones
 * that fit are kept). N_LINES: how many lines TEXT holds when the caller
 * knows, else 0. */
void logbuf_add_lines(struct logbuf *lb, enum log_kind kind, const char *text,
		      size_t len, uint64_t n_lines);

/* Lines held now, and lines ever added (to tell how many were dropped). */
size_t logbuf_count(const struct logbuf *lb);
unsigned long logbuf_total(const struct logbuf *lb);

/* Line I (0 = oldest held), borrowed until the next change; its kind in
 * *KIND when not NULL. Splits the blocks added since into lines. */
const char *logbuf_line(struct logbuf *lb, size_t i, enum log_kind *kind);

#endif
