/* The sessions kept in a state folder, summed up from the head and tail of
 * each journal: what `rewind sessions` lists. Reading a journal's two ends
 * keeps a folder of hundreds of long sessions quick to list; the hash
 * chain is not checked here (rewind verify does that). */
#ifndef REWIND_CORE_SESSIONS_H
#define REWIND_CORE_SESSIONS_H

#include <stddef.h>
#include <stdint.h>

struct err;

/* The HOW of a session.quit journalled by a batch run that stopped at the
 * end of its input before the session completed (resumable, not
 * interrupted). */
#define SESSION_END_OF_INPUT "end of input"

enum session_status {
	SESSION_RUNNING,	/* a console holds the session's lock */
	SESSION_QUIT,		/* left with q (or batch quit): resumable */
	SESSION_COMPLETED,	/* every required step settled */
	SESSION_INTERRUPTED,	/* its console died, or ended on a signal
				 * (a closed terminal): resumable */
	SESSION_UNREADABLE,	/* no journal, or its first line is no event */
	SESSION_STOPPED,	/* a batch run stopped at the end of its
				 * input: resumable */
	SESSION_OPEN,		/* published to a git remote, not ended
				 * (whether a console drives it is not
				 * known from here) */
};

struct session_summary {
	char *dir;		/* the session's directory */
	char *name;		/* its last path component */
	/* From session.started; NULL when absent. */
	char *playbook;		/* the playbook's id */
	char *title;
	char *mode;		/* "live" or "drill" */
	char *operator;		/* the current one: the last
				 * session.operator_changed's, if any */
	char *scenario;
	char *workdir;		/* where it started (its commands run) */
	char *phase;		/* phase of the last event that had one */
	char *last_type;	/* type of the last event */
	char *how;		/* a last session.quit's "how": "quit" (q),
				 * "SIGHUP", "SIGTERM"...; NULL otherwise */
	enum session_status status;
	char *why;		/* SESSION_UNREADABLE: what is wrong */
	int64_t started_us;	/* wall clock of the first event */
	int64_t last_us;	/* and of the last */
	uint64_t events;	/* seq of the last event */
	uint64_t broken_line;	/* the first line its hash chain does not
				 * prove (changed, cut out), 0 = intact */
};

/* Sum up every session directory under ROOT (a directory holding one
 * directory per session, as $XDG_STATE_HOME/rewind/sessions does, and
 * those its .elsewhere file names; or a session directory itself), the
 * most recently active first. Returns 0
 * with *OUT (caller frees with sessions_free) and *N, or -1 with ERR_IO
 * or ERR_NOTFOUND naming ROOT. */
int sessions_list(const char *root, struct session_summary **out, size_t *n,
		  struct err *err);

void sessions_free(struct session_summary *list, size_t n);

/* Note session directory DIR, kept outside ROOT (--session-dir), in
 * ROOT/.elsewhere, so that listing ROOT lists it too (once; ROOT must
 * exist). A DIR inside ROOT is not noted. Returns 0, or -1 when the note
 * could not be written. */
int sessions_note_elsewhere(const char *root, const char *dir);

/* Whether DIR holds a session (a journal.jsonl). */
int sessions_is_session(const char *dir);

/* "running", "quit", "completed", "interrupted", "unreadable" or
 * "open". */
const char *session_status_name(enum session_status s);

#endif
