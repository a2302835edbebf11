/* The session journal: an append-only JSON Lines file where every line is
 * one event chained to the previous line by SHA-256, written durably
 * (fdatasync) under flock so several processes can append safely. */
#ifndef REWIND_CORE_JOURNAL_H
#define REWIND_CORE_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

struct clock;
struct err;
struct cJSON;
struct journal;
struct strbuf;

/* One event, as read back from a journal line. All strings are owned by
 * the event; payload is a cJSON object (never NULL, maybe empty). */
struct journal_event {
	uint64_t seq;		/* 1-based, consecutive */
	int64_t wall_us;	/* wall clock, µs since the epoch */
	int64_t mono_us;	/* monotonic clock of the writing process, µs */
	char *actor;		/* who: operator name, approver, "rewind" */
	char *type;		/* e.g. "step.ticked" */
	char *phase;		/* phase id or NULL */
	char *step;		/* step id or NULL */
	struct cJSON *payload;
	char prev[65];		/* hex SHA-256 of the previous line */
	char *line;		/* the exact line text, without '\n' */
};

/* Called for each event read from the file that this handle did not write
 * itself (another process appended it, or it predates the open). EV is
 * borrowed for the call. It runs with the file locked, so it must not call
 * back into the same journal (defer any append to after the call). */
typedef void (*journal_event_cb)(const struct journal_event *ev, void *arg);

/* Genesis value of "prev" on line 1: 64 zeros. */
#define JOURNAL_GENESIS \
	"0000000000000000000000000000000000000000000000000000000000000000"

/* Open (creating with mode 0600 when absent) the journal at PATH. Existing
 * lines are checked: a torn last line (no final newline, or not valid
 * JSON) is cut off and a "journal.truncated" event recording the cut is
 * appended; any earlier bad line or broken chain fails with ERR_CORRUPT
 * naming the line number, and the file is left untouched. Each existing
 * event is passed to CB (may be NULL) in order. CLK is borrowed. Returns
 * the handle (caller frees with journal_free) or NULL. */
struct journal *journal_open(const char *path, const struct clock *clk,
			     journal_event_cb cb, void *arg, struct err *err);

/* Open read-only: same checks and callback, but never writes, never cuts,
 * and takes only a shared lock while reading. A torn last line is skipped
 * and reported through journal_torn_bytes(). */
struct journal *journal_open_readonly(const char *path, journal_event_cb cb,
				      void *arg, struct err *err);

/* Close J and release everything it owns; J may be NULL. */
void journal_free(struct journal *j);

/* Append one event under an exclusive flock: first read any lines other
 * processes appended (passing them to the open callback), then write the
 * line, fdatasync, and unlock. PAYLOAD is borrowed (may be NULL = {}),
 * PHASE and STEP may be NULL. On success, if OUT_LINE is not NULL, *OUT_LINE
 * is a borrowed pointer to the line written (valid until the next call on
 * J). Returns the new event's seq, or 0 on failure (ERR_IO; ERR_STATE on a
 * read-only handle; ERR_CORRUPT when another writer's lines are bad). */
uint64_t journal_append(struct journal *j, const char *actor,
			const char *type, const char *phase, const char *step,
			const struct cJSON *payload, const char **out_line,
			struct err *err);

/* Read lines appended by other processes since the last read or append,
 * passing each to the callback; cheap when nothing changed (one fstat).
 * Returns the number of new events, or -1 on failure. */
int journal_poll(struct journal *j, struct err *err);

/* Number of events in the journal as known to this handle. */
uint64_t journal_count(const struct journal *j);

/* Hex SHA-256 of the last line (JOURNAL_GENESIS when empty), borrowed. */
const char *journal_last_hash(const struct journal *j);

/* Bytes of a torn last line that were cut (read-write open) or skipped
 * (read-only open); 0 when the file ended cleanly. */
size_t journal_torn_bytes(const struct journal *j);

/* The file descriptor, for waiting on changes; borrowed. */
int journal_fd(const struct journal *j);

/* Parse one line into EV (which the caller releases with
 * journal_event_done); returns 0, or -1 with ERR_PARSE saying which field
 * is missing or has the wrong type. */
int journal_event_parse(const char *line, size_t len,
			struct journal_event *ev, struct err *err);

/* Release what EV owns; EV may be NULL. */
void journal_event_done(struct journal_event *ev);

/* Replace OUT's contents with EV formatted as a journal line, byte for
 * byte what journal_append writes, without the '\n' (EV->line is ignored,
 * a NULL payload is written as {}); cannot fail. */
void journal_format_line(struct strbuf *out, const struct journal_event *ev);

/* Result of journal_verify_file. */
struct journal_verify {
	uint64_t n_events;	/* lines proven (before unverified_from) */
	uint64_t bad_line;	/* first bad line (1-based), 0 if intact */
	uint64_t unverified_from;	/* first line not proven: bad_line,
					 * or the line before it when only
					 * bad_line's prev is wrong (that
					 * line may be the one changed) */
	size_t torn_bytes;	/* size of an unterminated last line */
	char reason[256];	/* why bad_line is bad */
	char last_hash[65];	/* hash of the last good line: pin it to
				 * find a cut or rewrite later */
	const char *pin;	/* journal_verify_pinned's PIN */
	uint64_t pin_line;	/* the good line whose hash starts with
				 * PIN, 0 when none does */
};

/* Walk the hash chain of the journal at PATH without modifying it. Returns
 * 0 when every line parses, has seq = line number and the right "prev";
 * 1 when some line is bad or there is none (filled in OUT); -1 when the
 * file can't be read. */
int journal_verify_file(const char *path, struct journal_verify *out,
			struct err *err);

/* The same, also looking for the line whose hash begins with PIN (hex,
 * as a reviewer noted it from an earlier verify): OUT->pin_line. A
 * journal cut or rewritten since no longer holds it. */
int journal_verify_pinned(const char *path, const char *pin,
			  struct journal_verify *out, struct err *err);

#endif
