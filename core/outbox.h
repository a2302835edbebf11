/* The delivery queue of messages: every send is journalled as
 * message.queued (id, channel, digest, redacted target, the text) before
 * it is attempted, then message.delivered or message.failed. Webhooks and
 * commands are delivered on the loop; transient failures are retried with
 * back-off while the session is open; a resumed session rebuilds the
 * queue from the journal and resends with the same message id. Also the
 * update reminders of a playbook's `communicate` cadence. */
#ifndef REWIND_CORE_OUTBOX_H
#define REWIND_CORE_OUTBOX_H

#include <stddef.h>
#include <stdint.h>

struct err;
struct journal_event;
struct session;
struct outbox;

/* --- for front ends ---------------------------------------------------- */

/* One undelivered message; strings are borrowed until the session
 * changes. */
struct outbox_view {
	const char *id;		/* stable message id (header and body) */
	const char *step;
	const char *channel;	/* "webhook", "command"... */
	const char *target;	/* redacted URL, command or path */
	const char *error;	/* last failure, or NULL before one */
	int attempts;		/* attempts made so far */
	int in_flight;		/* an attempt is under way */
	int given_up;		/* failed for good: send the step again */
	int64_t retry_wall_us;	/* next attempt (wall), 0 = none planned */
};

/* Number of messages queued and not delivered (given-up ones included). */
size_t session_outbox_pending(const struct session *s);

/* Fill OUT for undelivered message I (0-based, oldest first); returns 0,
 * or -1 when I is out of range. */
int session_outbox_view(const struct session *s, size_t i,
			struct outbox_view *out);

/* The undelivered messages, one line each ("ID STEP CHANNEL TARGET:
 * ERROR"), or NULL when every message was delivered; caller frees. */
char *session_outbox_describe(const struct session *s);

/* Place TEXT (LEN bytes) on the user's clipboard (the console writes an
 * OSC 52 sequence); returns 0, or -1 with ERR. */
typedef int (*session_clipboard_cb)(const char *text, size_t len, void *arg,
				    struct err *err);

/* Register the clipboard handler (ARG borrowed). Without one, sends to the
 * clipboard channel are refused (batch mode has no terminal). */
void session_set_clipboard_handler(struct session *s, session_clipboard_cb cb,
				   void *arg);

/* Whether an update reminder is due: returns 1 and sets *STEP (borrowed)
 * and *DUE_WALL_US (either may be NULL), or 0. */
int session_reminder_due(const struct session *s, const char **step,
			 int64_t *due_wall_us);

/* Journal reminder.dismissed for the due reminder (the next one comes a
 * cadence later). Returns 0, or -1 with ERR_STATE when none is due. */
int session_reminder_dismiss(struct session *s, const char *actor,
			     struct err *err);

/* --- tests ------------------------------------------------------------- */

/* Retry back-off: first delay and cap (defaults 2 s and 5 min). */
void session_outbox_set_backoff(struct session *s, int64_t first_us,
				int64_t max_us);

/* Called with the message id after an answer arrived and before it is
 * journalled (a test simulates a crash there). ARG is borrowed. */
typedef void (*outbox_answer_cb)(const char *id, void *arg);
void session_outbox_set_answer_hook(struct session *s, outbox_answer_cb cb,
				    void *arg);

/* --- core internals (session_*.c) -------------------------------------- */

/* A queue for S (borrowed). Never fails. */
struct outbox *outbox_new(struct session *s);

/* Cancel transfers and timers, free OB (may be NULL). */
void outbox_free(struct outbox *ob);

/* Update the queue from a message.* event (ours or read back). */
void outbox_apply(struct outbox *ob, const struct journal_event *ev);

/* Start or schedule delivery of every pending message (the session owns
 * its loop: live, opened with session_open). */
void outbox_resume(struct outbox *ob);

/* Deliver queued message ID now: a file or the clipboard at once (returns
 * -1 with ERR when that failed, after journalling message.failed), a
 * webhook or command on the loop (returns 0; the outcome is journalled
 * later). Drill sessions simulate webhooks and commands. */
int outbox_deliver(struct outbox *ob, const char *id, struct err *err);

#endif
