/* Sharing a session through a git remote (issue 18): each publish is a
 * commit whose tree holds the journal, the playbook copy and the output
 * casts, built with libgit2 in a private bare repository in the session
 * folder (share.git) and pushed by the user's own `git` (so their
 * transport, credentials and insteadOf work unchanged) to
 * refs/rewind/sessions/<session id>. The private repository includes the
 * configuration of the repository rewind runs in, so a remote's name
 * serves as well as a URL. Pushes run on the event loop's runner, one at
 * a time, the latest state winning; a failed push is retried with
 * back-off; a rejected one (someone else wrote the ref) is never forced. */
#ifndef REWIND_CORE_SHARE_H
#define REWIND_CORE_SHARE_H

#include <stddef.h>
#include <stdint.h>

struct err;
struct loop;
struct runner;
struct share;

#define SHARE_REF_PREFIX "refs/rewind/sessions/"

enum share_state {
	SHARE_PUBLISHED,	/* the remote holds every event */
	SHARE_PUBLISHING,	/* a push is in flight */
	SHARE_OFFLINE,		/* the last push failed; a retry is due */
	SHARE_REJECTED,		/* the remote refused: never forced */
};

/* What a finished push did, for the journal. */
struct share_result {
	enum share_state state;	/* PUBLISHED, OFFLINE or REJECTED */
	char commit[41];	/* the commit pushed */
	char head[65];		/* the chain head it holds */
	uint64_t events;	/* the journal lines it holds */
	const char *remote;	/* as given */
	const char *url;	/* its URL (a remote's name: as configured) */
	const char *ref;	/* refs/rewind/sessions/ID */
	const char *why;	/* git's words when it failed */
	int first_failure;	/* OFFLINE: the first since the last publish */
	const char *creds;	/* OFFLINE: what to do when the remote asked
				 * for credentials the console never types,
				 * or NULL */
};

typedef void (*share_result_cb)(const struct share_result *r, void *arg);

struct share_opts {
	const char *remote;	/* a remote's name or a URL */
	const char *dir;	/* the session folder */
	struct loop *loop;
	struct runner *runner;	/* NULL: the share makes its own */
	share_result_cb on_result;
	void *arg;
};

struct share_status {
	enum share_state state;
	uint64_t pending;	/* events not yet on the remote */
	int64_t retry_in_us;	/* OFFLINE: until the next try */
	const char *remote;
	const char *why;	/* OFFLINE/REJECTED: git's words */
	const char *creds;	/* OFFLINE: needs credentials: what to do,
				 * briefly */
};

/* Start sharing O->dir: check the remote, prepare share.git and publish
 * what the journal holds. Returns NULL with ERR naming the problem. */
struct share *share_start(const struct share_opts *o, struct err *err);

/* The journal gained event SEQ (OWN: a share.* event, which is published
 * with the next change but never starts a push itself). */
void share_changed(struct share *sh, uint64_t seq, int own);

void share_status(const struct share *sh, struct share_status *st);

/* "share: offline, 3 events not published, retrying in 8 s" and the
 * like. */
void share_status_text(const struct share *sh, char *buf, size_t size);

/* Whether a push is in flight or due with events not yet published
 * (the batch waits for it before it ends). */
int share_busy(const struct share *sh);

/* The environment git runs in for the console (pushes and fetches on a
 * loop's runner, which also gives it a session of its own: no terminal
 * to ask on): no terminal prompt (GIT_TERMINAL_PROMPT=0) and ssh in
 * batch mode (GIT_SSH_COMMAND="ssh -o BatchMode=yes"), unless the user
 * set their own ssh command (GIT_SSH_COMMAND, GIT_SSH or core.sshCommand
 * in GITDIR's configuration). NULL-ended, static. */
const char *const *share_git_env(const char *gitdir);

/* What git's words WHY say the remote needs that the console never
 * types (a login, a password, an ssh host key accepted), as what to do
 * (BRIEF: in a few words, for the header); NULL when they say nothing
 * of the kind. */
const char *share_credentials_hint(const char *why, int brief);

/* The runner its pushes run on (the one given, or its own): one runner
 * a loop, as each takes the loop's SIGCHLD. */
struct runner *share_runner(const struct share *sh);

/* The URL published to: the remote's as configured when it was given
 * by name (what someone on another machine fetches), else as given. */
const char *share_url(const struct share *sh);

/* The session's ref was found replaced by someone else's commit THEIRS
 * (read by the inbox while idle): REJECTED as a refused push makes it
 * (share.rejected, the header's alarm, pushes again now and then, never
 * forced, to publish once the ref is put back). */
void share_mark_replaced(struct share *sh, const char *theirs);

void share_free(struct share *sh);

/* --- the other end: reading what was published --------------------------- */

/* One publish, read back from the remote's commits. */
struct share_anchor {
	char commit[41];
	char head[65];		/* the chain head it published */
	uint64_t events;
	int64_t when_us;	/* the commit's time */
};

/* Make GITDIR a bare repository (if it is not) whose configuration
 * includes that of the repository the current directory is in. */
int share_ensure_repo(const char *gitdir, struct err *err);

/* What git said when it failed: its "fatal:" line (without the word)
 * and its last line, once each. Caller frees. */
char *share_git_words(const char *fatal, const char *last);

/* The sessions' id from a session folder: its last path component. */
char *share_session_id(const char *dir);

/* A private bare repository for reading REMOTE, under the cache folder
 * CACHE (created), including the configuration of the repository the
 * current directory is in. Caller frees. NULL with ERR. */
char *share_cache_repo(const char *cache, const char *remote,
		       struct err *err);

/* Fetch REMOTE's refs/rewind/sessions/ID (ID NULL: every session) into
 * GITDIR with the user's git (synchronously). 0, or -1 with ERR. */
int share_fetch(const char *gitdir, const char *remote, const char *id,
		struct err *err);

/* The shell command share_fetch runs (for a loop's runner). */
char *share_fetch_command(const char *gitdir, const char *remote,
			  const char *id);

/* Whether GITDIR's ref of session ID (as fetched) is COMMIT or continues
 * it: 1 yes, 0 no (the ref was replaced by a history without it), -1
 * when it cannot be told; *NOW the ref's commit ("" unknown). */
int share_ref_continues(const char *gitdir, const char *id,
			const char *commit, char now[41]);

/* Every publish of session ID in GITDIR, oldest first. 0, or -1. */
int share_anchors(const char *gitdir, const char *id,
		  struct share_anchor **out, size_t *n, struct err *err);

/* The session ids GITDIR holds refs for. */
int share_list_ids(const char *gitdir, char ***ids, size_t *n,
		   struct err *err);

/* Write the latest publish of ID in GITDIR into folder OUT: journal.jsonl
 * only ever grows (what was there must be the start of what was
 * published), the playbook copy and the casts. 1 when it changed, 0 when
 * not, -1 with ERR. */
int share_materialize(const char *gitdir, const char *id, const char *out,
		      struct err *err);
/* OUT becomes a session of its own (a take): it no longer follows the
 * publishes (share_materialize remembers the last in OUT). 0, or -1. */
int share_unmark_copy(const char *out, struct err *err);

/* Following a published session (rewind watch REMOTE#SESSION): fetch
 * every 2 s on loop L's own runner, and grow folder OUT to the latest
 * publish (share_materialize); the watch reads OUT as a local one. */
struct share_follow;
struct share_follow *share_follow_start(struct loop *l, const char *gitdir,
					const char *remote, const char *id,
					const char *out, struct err *err);
/* "remote NAME: fetched 2 s ago", or unreachable and why. */
void share_follow_text(const struct share_follow *f, char *buf,
		       size_t size);
int share_follow_failing(const struct share_follow *f);
const char *share_follow_remote(const struct share_follow *f);
void share_follow_free(struct share_follow *f);

/* How long to wait before the next push after FAILURES failed ones in a
 * row: 1, 2, 4, 8 s, then every 10 s (a watcher or an approver on another
 * machine waits on it; a refused connection costs nothing). */
int64_t share_retry_delay_us(int failures);

#endif
