/* Replaying a session from its journal, read-only: an index of every
 * journal line (offset, wall time, markers) built in one pass on open,
 * snapshots of the session state every REPLAY_SNAPSHOT_EVERY events, and
 * seeking to the state after any event by restoring the nearest snapshot
 * and applying the events after it. Nothing is ever written to the
 * session directory. */
#ifndef REWIND_CORE_REPLAY_H
#define REWIND_CORE_REPLAY_H

#include <stddef.h>
#include <stdint.h>

struct err;
struct reg_answer;
struct replay;
struct session;
struct strbuf;
struct tag_list;

/* Events between two snapshots of the session state. */
#define REPLAY_SNAPSHOT_EVERY 10000

/* What a journal line is, for the timeline and for jumping. */
enum replay_mark {
	REPLAY_MARK_PHASE = 1 << 0,	/* started, phase advanced, completed */
	REPLAY_MARK_APPROVAL = 1 << 1,	/* approval granted or voided */
	REPLAY_MARK_FAILURE = 1 << 2,	/* failed run, refusal, interruption */
	REPLAY_MARK_DECISION = 1 << 3,	/* a decide step was answered */
	REPLAY_MARK_ALERT = 1 << 4,	/* the console showed it as an alert */
	REPLAY_MARK_RUN = 1 << 5,	/* a step run started */
	REPLAY_MARK_BAD = 1 << 6,	/* unreadable, or where the chain breaks */
	REPLAY_MARK_STATE = 1 << 7,	/* may change the session state */
};

/* The markers ] and [ jump between. */
#define REPLAY_MARKS_JUMP (REPLAY_MARK_PHASE | REPLAY_MARK_APPROVAL | \
			   REPLAY_MARK_FAILURE | REPLAY_MARK_DECISION)

/* What the hash chain check on open found. */
struct replay_integrity {
	uint64_t bad_line;	/* first bad line (1-based), 0 when intact */
	uint64_t unverified_from;	/* first line not proven: bad_line,
					 * or the line before it when only
					 * its prev is wrong (that line may
					 * be the one changed) */
	char reason[256];	/* why, worded as `rewind verify` does */
	int playbook_changed;	/* playbook.json is not the copy the
				 * session started from */
	char playbook_reason[256];
	uint64_t n_unreadable;	/* lines that are not events (not replayed) */
	size_t torn_bytes;	/* unterminated last line, skipped */
};

/* Open the session in DIR for replay: load its playbook copy, index and
 * check its journal, and apply every event (the position is then the
 * end). A broken chain does not fail the open: every readable line is
 * still replayed, and replay_integrity() says where the chain breaks.
 * Never writes. Caller frees. NULL with ERR naming the file and cause. */
struct replay *replay_open(const char *dir, struct err *err);

/* Release R and everything it owns; R may be NULL. */
void replay_free(struct replay *r);

/* Number of journal lines (events) indexed, and the position: how many
 * of them are applied to replay_session() now (0 .. count). */
uint64_t replay_count(const struct replay *r);
uint64_t replay_pos(const struct replay *r);

/* Make the session state that after the first N events (N is clamped to
 * the count). Returns 0, or -1 with ERR when the journal can't be read. */
int replay_seek(struct replay *r, uint64_t n, struct err *err);

/* The session as of the position; borrowed, valid until replay_free. Its
 * state changes with every seek; never apply actions to it. */
struct session *replay_session(const struct replay *r);

/* Wall time (µs) of event N (1-based); event 0 means the first event's
 * time; 0 when the journal is empty. */
int64_t replay_wall(const struct replay *r, uint64_t n);

/* Marker bits (enum replay_mark) of event N (1-based), 0 if out of range. */
unsigned replay_marks(const struct replay *r, uint64_t n);

/* The first event after FROM (DIR > 0) or the last before FROM (DIR < 0)
 * having one of the MASK bits; 0 when there is none. */
uint64_t replay_find_mark(const struct replay *r, uint64_t from, int dir,
			  unsigned mask);

/* The number of events whose wall time is at or before WALL_US. */
uint64_t replay_find_time(const struct replay *r, int64_t wall_us);

/* The first event after FROM whose text as the screens show it (type,
 * step, actor, its words, its payload's strings decoded and without SGR
 * sequences; never the JSON's keys, escapes or hashes) contains NEEDLE
 * (ASCII case ignored), wrapping around to the start; 0 when none does,
 * -1 with ERR on a read error. */
int64_t replay_find_text(struct replay *r, uint64_t from, const char *needle,
			 struct err *err);

/* replay_find_text forwards (DIR > 0) or backwards (DIR < 0, the last
 * match before FROM, wrapping around to the end). */
int64_t replay_find_text_dir(struct replay *r, uint64_t from, int dir,
			     const char *needle, struct err *err);

/* Replace OUT's contents with the text of line N (1-based, without the
 * newline). Returns 0, or -1 with ERR (out of range, read error). */
int replay_line(struct replay *r, uint64_t n, struct strbuf *out,
		struct err *err);

/* Call CB for lines FIRST..LAST (1-based, inclusive, clamped) in order;
 * LINE is borrowed for the call, LEN bytes and NUL-ended. Returns 0, or
 * -1 with ERR on a read error. */
typedef void (*replay_line_cb)(uint64_t n, const char *line, size_t len,
			       void *arg);
int replay_each_line(struct replay *r, uint64_t first, uint64_t last,
		     replay_line_cb cb, void *arg, struct err *err);

/* What the chain check found (borrowed). */
const struct replay_integrity *replay_integrity(const struct replay *r);

/* What an item of the output pane is. */
enum replay_item {
	REPLAY_ITEM_OUTPUT,	/* an output line of a step run */
	REPLAY_ITEM_EVENT,	/* an alerting event: TEXT is its line */
	REPLAY_ITEM_ALERT,	/* an alert the console raised by itself (an
				 * escalation): TEXT is the line it showed */
	REPLAY_ITEM_RUN,	/* a run starts or ends: TEXT is its
				 * step.started, .finished or .interrupted
				 * line */
};

/* One item of the output pane as of the position and wall time NOW_US:
 * KIND is an enum replay_item (non-zero for alerts); EV is the run's
 * step.started event for an output line, the alerting event, or for an
 * escalation the number of events before it. TEXT is borrowed for the
 * call. */
typedef void (*replay_output_cb)(uint64_t ev, int kind, const char *text,
				 void *arg);

/* Deliver, oldest first, the last MAX items the output pane showed at the
 * position when the clock read NOW_US: the lines each run had printed by
 * then (read from its asciicast file, which may be missing: then nothing)
 * interleaved by time with the alerting events and the escalations raised
 * by then (see replay_n_escalated). Returns the number of items, or -1
 * with ERR on a journal read error. */
long replay_output(struct replay *r, int64_t now_us, size_t max,
		   replay_output_cb cb, void *arg, struct err *err);

/* What the tags and registry tabs showed at the position, as journalled:
 * the latest "tags.answer", and per targets.registry package the latest
 * "registry.answer", at or before the position. In a drill, the
 * scenario's state as the "drill.inject" events up to the position left
 * it wins where it holds the tags or the package, as it did live. Found
 * through an index of those events made on open, so this costs a binary
 * search and the parsing of the few lines that changed. Borrowed: valid
 * until the next of these calls after a seek, or replay_free. */

/* The tag list, or NULL when none was journalled by then. */
const struct tag_list *replay_tags(struct replay *r);

/* The number of registry packages (the playbook's targets.registry), and
 * what package I answered: an empty answer before its first one, an
 * answer carrying the error when its line can't be read back. */
size_t replay_n_registries(const struct replay *r);
const struct reg_answer *replay_registry(struct replay *r, size_t i);

/* Whether a step run is in progress at the position (its output still
 * grows with the clock). */
int replay_is_running(const struct replay *r);

/* How many of the playbook's escalations (targets_rto.escalations, in
 * their order) the console had raised at the position when the session
 * clock read NOW_US: as the live console's once-a-second check does, an
 * escalation is raised once the clock has passed its time and every one
 * before it has been raised. 0 before the session started. */
size_t replay_n_escalated(const struct replay *r, int64_t now_us);

/* Wall time (µs) at which escalation I (0-based) is raised: its time
 * since the session started, or the time of an earlier one when that is
 * later. INT64_MAX when there is no such escalation or no start yet. */
int64_t replay_escalation_due(const struct replay *r, size_t i);

/* Index and apply the lines appended to the journal since the open or
 * the last call (the session goes on: rewind watch), and move the
 * position to the new end; an unterminated last line waits for the next
 * call. Returns the number of new events, or -1 with ERR on a read
 * error. */
int64_t replay_follow(struct replay *r, struct err *err);

#endif
