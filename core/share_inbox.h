/* Approving from anywhere (issue 18): an approver on another machine
 * writes a sign-off request as a commit of its own, holding request.json,
 * to refs/rewind/inbox/<session id>/<request id> on the remote the
 * session is shared to (a new ref: never the session's). The commander's
 * console fetches that inbox off the event loop (with the share's
 * back-off) and hands each request it has not seen to the session, which
 * checks it with the rules of a local sign-off and journals it
 * (approval.granted, or action.refused naming why). The outcome reaches
 * the approver in the published journal. */
#ifndef REWIND_CORE_SHARE_INBOX_H
#define REWIND_CORE_SHARE_INBOX_H

#include <stddef.h>
#include <stdint.h>

struct err;
struct loop;
struct runner;

#define SHARE_INBOX_PREFIX "refs/rewind/inbox/"

/* One sign-off request, as written by rewind approve REMOTE#SESSION. */
struct share_request {
	char *id;		/* its own id: the last part of its ref */
	char *session;		/* the session id it is for */
	char *step, *role, *name, *comment;	/* comment may be NULL */
	char *login, *host;	/* where it was written */
	char *gate_hash;	/* what it approved (session_gate_hash) */
	char *head;		/* the published chain head it saw */
	uint64_t events;	/* and that journal's length */
	/* Read from the inbox: request.json as written and its ssh
	 * signature (request.json.sig), both NULL when it is unsigned. */
	char *text, *sig;
	size_t text_len;
};

void share_request_done(struct share_request *r);

/* A fresh random request id (36 characters and the NUL). */
void share_request_new_id(char out[37]);

/* Commit R as request.json in GITDIR (signed with the ssh key KEY into
 * request.json.sig, unless KEY is NULL) and push it with the user's git to
 * REMOTE's refs/rewind/inbox/<R->session>/<R->id> (synchronously; the
 * ref is new, nothing is forced). 0, or -1 with ERR in git's words. */
int share_request_send(const char *gitdir, const char *remote,
		       const struct share_request *r, const char *key,
		       struct err *err);

/* Parse TEXT (request.json) for ref id REF_ID into R. 0, or -1 with ERR
 * saying what is wrong with it. */
int share_request_parse(const char *text, size_t len, const char *ref_id,
			struct share_request *r, struct err *err);

/* A request found in the inbox: R parsed, or NULL with WHY (malformed). */
typedef void (*share_inbox_cb)(const char *ref_id,
			       const struct share_request *r,
			       const char *why, void *arg);

/* Fetch REMOTE's inbox of session ID into GITDIR every second on
 * RUNNER (the share's: a loop has one
 * runner, as each takes its SIGCHLD; NULL: one of its own; a failure backs off to 30 s) and call CB
 * once for each request whose ref id was not marked seen. NULL when no
 * runner can be made. */
struct share_inbox;
struct share_inbox *share_inbox_start(struct loop *l, struct runner *runner,
				      const char *gitdir, const char *remote,
				      const char *id, share_inbox_cb cb,
				      void *arg);
/* The session as published holds a session.handover (event SEQ) to TO:
 * someone took it over (rewind run --take). Called once a publish read. */
typedef void (*share_taken_cb)(const char *to, uint64_t seq, void *arg);
void share_inbox_on_taken(struct share_inbox *in, share_taken_cb cb);
/* The session's ref as fetched (commit THEIRS) neither holds nor is held
 * by this console's own last publish: someone else replaced it. Called
 * once for each such commit fetched. */
typedef void (*share_replaced_cb)(const char *theirs, void *arg);
void share_inbox_on_replaced(struct share_inbox *in, share_replaced_cb cb);

/* REF_ID was handled (before this console: read from the journal). */
void share_inbox_seen(struct share_inbox *in, const char *ref_id);
/* The last fetch's failure, or NULL. */
const char *share_inbox_failing(const struct share_inbox *in);
void share_inbox_free(struct share_inbox *in);

#endif
