/* Publishing a session to a git remote, and reading what was published
 * (share.h). */
#include "config.h"
#include "share.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "clock.h"
#include "err.h"
#include "handoff.h"
#include "loop.h"
#include "runner.h"
#include "sanitize.h"
#include "sha256.h"
#include "strbuf.h"
#include "xalloc.h"

#define PUSH_TIMEOUT_US (60 * 1000000LL)
#define RETRY_FIRST_US 1000000LL
#define RETRY_MAX_US (10 * 1000000LL)	/* a watcher or approver waits
						 * on it */
#define JOURNAL_MAX (256u << 20)

struct share {
	char *remote;
	char *url;		/* REMOTE's URL (a name's, as configured) */
	char *dir;
	char *id;
	char *ref;
	char *gitdir;		/* DIR/share.git */
	struct loop *loop;
	struct runner *runner;
	struct runner *own_runner;	/* made here when none was given */
	share_result_cb on_result;
	void *arg;
	enum share_state state;
	struct proc *proc;	/* the push in flight */
	uint64_t start_timer;	/* a push is due at once */
	uint64_t retry_timer;	/* a push is due after a failure */
	int rechecking;		/* a push while rejected (on_recheck) */
	int64_t retry_at_us;	/* monotonic */
	int failures;		/* in a row */
	uint64_t seq_now;	/* the journal's last event */
	uint64_t seq_published;	/* the events the remote holds */
	uint64_t own_total;	/* share.* events seen */
	uint64_t own_at_push;	/* own_total when the push started */
	uint64_t own_base;	/* own_total when the published snapshot
				 * was taken: those after it are not
				 * counted as unpublished */
	/* the push in flight */
	char commit[41];
	char head[65];
	uint64_t events;
	char *rejected;		/* git's "!" line */
	char *last_err;		/* git's last words on stderr */
	char *fatal;		/* and its first "fatal:" line */
	char *asked;		/* its first line asking for credentials */
	char *why;		/* the last failure, for the header */
	const char *creds;	/* it asked for credentials: what to do */
};

static void
git_begin(void)
{
	git_libgit2_init();
	git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
}

static int
git_fail(struct err *err, const char *what)
{
	const git_error *e = git_error_last();

	return err_set(err, ERR_IO, "%s: %s", what, e && e->message
		       ? e->message : "libgit2 failed");
}

/* --- the private repository ------------------------------------------------- */

/* The configuration file of the repository the current directory is in,
 * or NULL. */
static char *
user_repo_config(void)
{
	git_buf found = { 0 };
	git_repository *repo = NULL;
	char *path = NULL;

	if (git_repository_discover(&found, ".", 0, NULL) == 0 &&
	    git_repository_open(&repo, found.ptr) == 0)
		path = xasprintf("%sconfig", git_repository_commondir(repo));
	git_repository_free(repo);
	git_buf_dispose(&found);
	if (path && path[0] != '/') {
		char cwd[4096], *abs;

		if (getcwd(cwd, sizeof(cwd))) {
			abs = xasprintf("%s/%s", cwd, path);
			free(path);
			path = abs;
		}
	}
	return path;
}

/* GITDIR's own configuration: the user's repository's first (its
 * remotes, insteadOf, extraHeader, credential helpers), then what a bare
 * repository needs, which wins. */
static int
write_config(const char *gitdir, struct err *err)
{
	char *path = xasprintf("%s/config", gitdir);
	char *user = user_repo_config();
	FILE *f = fopen(path, "w");
	int rc = 0;

	if (!f)
		rc = err_set(err, ERR_IO, "%s: %s", path, strerror(errno));
	else {
		if (user && strcmp(user, path) != 0)
			fprintf(f, "[include]\n\tpath = %s\n", user);
		fputs("[core]\n\trepositoryformatversion = 0\n"
		      "\tbare = true\n\tlogallrefupdates = false\n", f);
		if (fclose(f) != 0)
			rc = err_set(err, ERR_IO, "%s: %s", path,
				     strerror(errno));
	}
	free(user);
	free(path);
	return rc;
}

int
share_ensure_repo(const char *gitdir, struct err *err)
{
	git_repository *repo = NULL;
	char *head = xasprintf("%s/HEAD", gitdir);
	int exists = access(head, F_OK) == 0;

	free(head);
	git_begin();
	if (!exists) {
		if (git_repository_init(&repo, gitdir, 1) < 0)
			return git_fail(err, gitdir);
		git_repository_free(repo);
	}
	return write_config(gitdir, err);
}

/* A remote's name (no ':' or '/') must be one the configuration knows;
 * *URL its URL as configured (a URL given: itself). */
static int
check_remote(const char *gitdir, const char *remote, char **url,
	     struct err *err)
{
	git_repository *repo = NULL;
	git_config *cfg = NULL;
	git_buf url_buf = { 0 };
	char *key;
	int rc = 0;

	if (!*remote)
		return err_set(err, ERR_INVALID, "--share: give a git remote's "
			       "name or a URL");
	*url = xstrdup(remote);
	if (strpbrk(remote, ":/"))
		return 0;
	key = xasprintf("remote.%s.url", remote);
	if (git_repository_open_bare(&repo, gitdir) < 0 ||
	    git_repository_config_snapshot(&cfg, repo) < 0 ||
	    git_config_get_string_buf(&url_buf, cfg, key) < 0)
		rc = err_set(err, ERR_NOTFOUND, "--share %s: no git remote of "
			     "that name in the repository here (give a "
			     "remote's name of the repository rewind runs in, "
			     "or a URL)", remote);
	else if (url_buf.ptr && url_buf.ptr[0]) {
		free(*url);
		*url = xstrdup(url_buf.ptr);
	}
	git_buf_dispose(&url_buf);
	git_config_free(cfg);
	git_repository_free(repo);
	free(key);
	return rc;
}

/* --- building a publish -------------------------------------------------------- */

/* The journal's whole lines: their count and the last one's hash. */
static void
journal_tail(const char *text, size_t len, uint64_t *events, char head[65])
{
	const char *last = text;

	*events = 0;
	head[0] = '\0';
	for (size_t i = 0; i < len; i++) {
		if (text[i] != '\n')
			continue;
		(*events)++;
		sha256_hex(last, (size_t)(text + i - last), head);
		last = text + i + 1;
	}
}

static int
add_blob(git_repository *repo, git_treebuilder *tb, const char *name,
	 const void *data, size_t len)
{
	git_oid oid;

	if (git_blob_create_from_buffer(&oid, repo, data, len) < 0)
		return -1;
	return git_treebuilder_insert(NULL, tb, name, &oid,
				      GIT_FILEMODE_BLOB);
}

static int
add_file(git_repository *repo, git_treebuilder *tb, const char *dir,
	 const char *name)
{
	struct strbuf sb;
	struct err err = { 0 };
	char *path = xasprintf("%s/%s", dir, name);
	int rc;

	strbuf_init(&sb);
	rc = strbuf_read_file(&sb, path, JOURNAL_MAX, &err);
	if (rc == 0)
		rc = add_blob(repo, tb, name, sb.buf ? sb.buf : "", sb.len);
	else
		rc = 0;		/* not there (yet): nothing to hold */
	strbuf_done(&sb);
	free(path);
	return rc;
}

/* DIR/output's files as a tree. */
static int
output_tree(git_repository *repo, const char *dir, git_oid *oid, int *any)
{
	char *out = xasprintf("%s/output", dir);
	DIR *d = opendir(out);
	git_treebuilder *tb = NULL;
	struct dirent *e;
	int rc = 0;

	*any = 0;
	if (!d) {
		free(out);
		return 0;
	}
	if (git_treebuilder_new(&tb, repo, NULL) < 0)
		rc = -1;
	while (rc == 0 && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		rc = add_file(repo, tb, out, e->d_name);
		*any = 1;
	}
	closedir(d);
	if (rc == 0 && *any)
		rc = git_treebuilder_write(oid, tb);
	git_treebuilder_free(tb);
	free(out);
	return rc;
}

static int
session_tree(struct share *sh, git_repository *repo, const char *journal,
	     size_t len, git_oid *tree)
{
	git_treebuilder *tb = NULL;
	git_oid out;
	int any = 0, rc;

	if (git_treebuilder_new(&tb, repo, NULL) < 0)
		return -1;
	rc = add_blob(repo, tb, "journal.jsonl", journal, len);
	if (rc == 0)
		rc = add_file(repo, tb, sh->dir, "playbook.json");
	if (rc == 0)
		rc = output_tree(repo, sh->dir, &out, &any);
	if (rc == 0 && any)
		rc = git_treebuilder_insert(NULL, tb, "output", &out,
					    GIT_FILEMODE_TREE);
	if (rc == 0)
		rc = git_treebuilder_write(tree, tb);
	git_treebuilder_free(tb);
	return rc;
}

/* Commit TREE on the last one built (the ref only fast-forwards). 1 made,
 * 0 when the tree is the parent's, -1 on failure. */
static int
commit_tree(struct share *sh, git_repository *repo, const git_oid *tree_id)
{
	git_commit *parent = NULL;
	git_tree *tree = NULL;
	git_signature *sig = NULL;
	const git_commit *parents[1];
	git_oid parent_id, oid;
	char *msg;
	int rc = -1;

	if (git_reference_name_to_id(&parent_id, repo, sh->ref) == 0 &&
	    git_commit_lookup(&parent, repo, &parent_id) < 0)
		return -1;
	if (parent && git_oid_equal(git_commit_tree_id(parent), tree_id)) {
		git_oid_tostr(sh->commit, sizeof(sh->commit), &parent_id);
		git_commit_free(parent);
		return 0;
	}
	msg = xasprintf("rewind: %s: %llu events\n\nRewind-Session: %s\n"
			"Rewind-Events: %llu\nRewind-Head: %s\n", sh->id,
			(unsigned long long)sh->events, sh->id,
			(unsigned long long)sh->events, sh->head);
	parents[0] = parent;
	if (git_tree_lookup(&tree, repo, tree_id) == 0 &&
	    git_signature_now(&sig, "rewind", "rewind@localhost") == 0 &&
	    git_commit_create(&oid, repo, sh->ref, sig, sig, NULL, msg, tree,
			      parent ? 1 : 0, parents) == 0) {
		git_oid_tostr(sh->commit, sizeof(sh->commit), &oid);
		rc = 1;
	}
	free(msg);
	git_signature_free(sig);
	git_tree_free(tree);
	git_commit_free(parent);
	return rc;
}

/* The session as it is now, committed in share.git. */
static int
build_publish(struct share *sh, struct err *err)
{
	git_repository *repo = NULL;
	struct strbuf sb;
	char *path = xasprintf("%s/journal.jsonl", sh->dir);
	git_oid tree;
	size_t len;
	int rc = -1;

	strbuf_init(&sb);
	if (strbuf_read_file(&sb, path, JOURNAL_MAX, err) < 0)
		goto out;
	for (len = sb.len; len && sb.buf[len - 1] != '\n'; len--)
		;	/* a line being written is not published yet */
	journal_tail(sb.buf ? sb.buf : "", len, &sh->events, sh->head);
	if (git_repository_open_bare(&repo, sh->gitdir) < 0 ||
	    session_tree(sh, repo, sb.buf ? sb.buf : "", len, &tree) < 0 ||
	    (rc = commit_tree(sh, repo, &tree)) < 0)
		rc = git_fail(err, sh->gitdir);
out:
	git_repository_free(repo);
	strbuf_done(&sb);
	free(path);
	return rc;
}

/* --- pushing ---------------------------------------------------------------------- */

static void schedule_push(struct share *sh);

static void
set_why(struct share *sh, const char *why)
{
	free(sh->why);
	sh->why = why ? sanitize_text(why, strlen(why)) : NULL;
}

static void
report(struct share *sh, enum share_state state, const char *why,
       int first)
{
	struct share_result r = {
		.state = state, .events = sh->events, .remote = sh->remote, .url = sh->url,
		.ref = sh->ref, .why = why, .first_failure = first,
		.creds = state == SHARE_OFFLINE ? sh->creds : NULL,
	};

	memcpy(r.commit, sh->commit, sizeof(r.commit));
	memcpy(r.head, sh->head, sizeof(r.head));
	if (sh->on_result)
		sh->on_result(&r, sh->arg);
}

static int64_t
now_us(const struct share *sh)
{
	return clock_mono_now(loop_clock(sh->loop));
}

static void
on_retry(void *arg)
{
	struct share *sh = arg;

	sh->retry_timer = 0;
	schedule_push(sh);
}

int64_t
share_retry_delay_us(int failures)
{
	int64_t delay = RETRY_FIRST_US << (failures < 5 ? failures : 5);

	return delay > RETRY_MAX_US ? RETRY_MAX_US : delay;
}

static void
push_failed(struct share *sh, const char *why)
{
	int64_t delay = share_retry_delay_us(sh->failures);
	const char *creds = share_credentials_hint(why, 0);

	sh->failures++;
	sh->state = SHARE_OFFLINE;
	set_why(sh, why);
	if (creds != sh->creds)		/* a new kind of failure: said again */
		sh->failures = 1;
	sh->creds = creds;
	sh->retry_at_us = now_us(sh) + delay;
	sh->retry_timer = loop_add_timer(sh->loop, delay, on_retry, sh);
	report(sh, SHARE_OFFLINE, sh->why, sh->failures == 1);
}

static void
push_done(struct share *sh)
{
	sh->failures = 0;
	sh->creds = NULL;
	sh->seq_published = sh->events;
	sh->own_base = sh->own_at_push;
	set_why(sh, NULL);
	sh->state = SHARE_PUBLISHED;
	report(sh, SHARE_PUBLISHED, NULL, 0);
	if (share_busy(sh))
		schedule_push(sh);
}

static void
on_push_line(struct proc *p, int stream, const char *line, size_t len,
	     void *arg)
{
	struct share *sh = arg;

	(void)p;
	if (stream == 2 && len && !sh->asked) {
		char *text = xstrndup(line, len);

		if (share_credentials_hint(text, 0))
			sh->asked = xstrdup(strncmp(text, "fatal: ", 7) == 0
					    ? text + 7 : text);
		free(text);
	}
	if (stream == 1 && len && line[0] == '!') {
		free(sh->rejected);
		sh->rejected = xstrndup(line, len);
	} else if (stream == 2 && len > 7 && !sh->fatal &&
		   strncmp(line, "fatal: ", 7) == 0) {
		sh->fatal = xstrndup(line + 7, len - 7);
	} else if (stream == 2 && len) {
		free(sh->last_err);
		sh->last_err = xstrndup(line, len);
	}
}

static void start_push(void *arg);

/* A push of the session's ref, while it is rejected: never forced, so
 * it goes through only once the ref was put back where this publisher
 * left it (or removed), and is refused again otherwise. */
static void
on_recheck(void *arg)
{
	struct share *sh = arg;

	sh->retry_timer = 0;
	sh->rechecking = 1;
	start_push(sh);
	sh->rechecking = 0;
}

/* Someone else wrote the session's ref: said once (share.rejected), and
 * pushed again now and then (1, 2, 4, 8 s, then every 10 s), to publish
 * again as soon as the ref is restored. */
static void
push_rejected(struct share *sh, const char *line)
{
	int first = sh->state != SHARE_REJECTED;
	int64_t delay;

	if (first)
		sh->failures = 0;
	delay = share_retry_delay_us(sh->failures++);
	sh->state = SHARE_REJECTED;
	if (line)
		set_why(sh, line);
	sh->retry_at_us = now_us(sh) + delay;
	sh->retry_timer = loop_add_timer(sh->loop, delay, on_recheck, sh);
	if (first)
		report(sh, SHARE_REJECTED, sh->why, 0);
}

static void
on_push_exit(struct proc *p, const struct proc_result *res, void *arg)
{
	struct share *sh = arg;

	(void)p;
	sh->proc = NULL;
	if (res->exit_code == 0)
		push_done(sh);
	else if (sh->rejected)
		push_rejected(sh, sh->rejected);
	else if (sh->state == SHARE_REJECTED)	/* unreachable: still so */
		push_rejected(sh, NULL);
	else {
		/* the line that asked for credentials says it best */
		char *why = sh->asked ? xstrdup(sh->asked)
			  : share_git_words(sh->fatal ? sh->fatal : "",
					    sh->last_err ? sh->last_err : "");

		push_failed(sh, why[0] ? why : res->timed_out
			    ? "git push timed out" : "git push failed");
		free(why);
	}
	free(sh->rejected);
	free(sh->last_err);
	free(sh->fatal);
	free(sh->asked);
	sh->rejected = sh->last_err = sh->fatal = sh->asked = NULL;
}

static char *
push_command(const struct share *sh)
{
	char *gd = handoff_shell_quote(sh->gitdir);
	char *rm = handoff_shell_quote(sh->remote);
	char *cmd = xasprintf("exec git --git-dir=%s push --porcelain "
			      "--no-verify %s %s:%s", gd, rm, sh->commit,
			      sh->ref);

	free(gd);
	free(rm);
	return cmd;
}

/* Whether the user chose the ssh command git runs. */
static int
own_ssh_command(const char *gitdir)
{
	git_repository *repo = NULL;
	git_config *cfg = NULL;
	git_buf cmd = { 0 };
	int own;

	if (getenv("GIT_SSH_COMMAND") || getenv("GIT_SSH"))
		return 1;
	git_begin();
	own = gitdir && git_repository_open_bare(&repo, gitdir) == 0 &&
	      git_repository_config_snapshot(&cfg, repo) == 0 &&
	      git_config_get_string_buf(&cmd, cfg, "core.sshCommand") == 0;
	git_buf_dispose(&cmd);
	git_config_free(cfg);
	git_repository_free(repo);
	return own;
}

const char *const *
share_git_env(const char *gitdir)
{
	static const char *env[3];

	env[0] = "GIT_TERMINAL_PROMPT=0";	/* git never asks */
	env[1] = own_ssh_command(gitdir) ? NULL	/* theirs, as it is */
	       : "GIT_SSH_COMMAND=ssh -o BatchMode=yes";	/* nor ssh */
	env[2] = NULL;
	return env;
}

const char *
share_credentials_hint(const char *why, int brief)
{
	static const char *const host_key[] = {
		"Host key verification failed", "host key", NULL,
	};
	static const char *const login[] = {
		"terminal prompts disabled", "could not read Username",
		"could not read Password", "Authentication failed",
		"Permission denied", "Access denied", "error: 401",
		"error: 403", NULL,
	};

	for (size_t i = 0; why && host_key[i]; i++)
		if (strstr(why, host_key[i]))
			return brief ? "accept the ssh host key (ssh to the "
				       "host once)"
				     : "the console never asks: ssh to the "
				       "host once from a terminal to check "
				       "and accept its host key";
	for (size_t i = 0; why && login[i]; i++)
		if (strstr(why, login[i]))
			return brief ? "store a login (git credential helper) "
				       "or ssh-add a key"
				     : "the console never asks for them: store "
				       "the login with a credential helper "
				       "(git config credential.helper) or "
				       "ssh-add your key";
	return NULL;
}

static struct proc *
spawn_push(struct share *sh, struct err *err)
{
	char *cmd = push_command(sh);
	struct proc_spec spec = {
		.command = cmd, .env = share_git_env(sh->gitdir),
		.cwd = sh->dir, .new_session = 1,
		.timeout_us = PUSH_TIMEOUT_US, .stdin_null = 1,
		.on_line = on_push_line, .on_exit = on_push_exit, .arg = sh,
	};
	struct proc *p = runner_spawn(sh->runner, &spec, err);

	free(cmd);
	return p;
}

/* Build the publish of the session as it is now and push it. */
static void
start_push(void *arg)
{
	struct share *sh = arg;
	struct err err = { 0 };
	int made;

	sh->start_timer = 0;
	if (sh->proc || (sh->state == SHARE_REJECTED && !sh->rechecking))
		return;
	sh->own_at_push = sh->own_total;
	made = build_publish(sh, &err);
	if (made < 0) {
		push_failed(sh, err.msg);
		return;
	}
	sh->proc = spawn_push(sh, &err);
	if (!sh->proc)
		push_failed(sh, err.msg);
	else if (sh->state != SHARE_REJECTED)	/* still, until it goes */
		sh->state = SHARE_PUBLISHING;
}

/* A push at once (on the loop, so that a burst of events is one push),
 * unless one is in flight (its end starts the next) or a retry waits. */
static void
schedule_push(struct share *sh)
{
	if (sh->proc || sh->start_timer || sh->retry_timer ||
	    sh->state == SHARE_REJECTED)
		return;
	sh->start_timer = loop_add_timer(sh->loop, 0, start_push, sh);
}

char *
share_git_words(const char *fatal, const char *last)
{
	if (*fatal && *last && strcmp(fatal, last) != 0)
		return xasprintf("%s %s", fatal, last);
	return xstrdup(*fatal ? fatal : last);
}

/* --- the publishing side's surface ---------------------------------------- */

char *
share_session_id(const char *dir)
{
	size_t n = strlen(dir);
	const char *base;

	while (n > 1 && dir[n - 1] == '/')
		n--;
	base = dir + n;
	while (base > dir && base[-1] != '/')
		base--;
	return xstrndup(base, (size_t)(dir + n - base));
}

struct share *
share_start(const struct share_opts *o, struct err *err)
{
	struct share *sh = xcalloc(1, sizeof(*sh));

	sh->remote = xstrdup(o->remote);
	sh->dir = xstrdup(o->dir);
	sh->id = share_session_id(o->dir);
	sh->ref = xasprintf(SHARE_REF_PREFIX "%s", sh->id);
	sh->gitdir = xasprintf("%s/share.git", o->dir);
	sh->loop = o->loop;
	sh->on_result = o->on_result;
	sh->arg = o->arg;
	sh->runner = o->runner;
	if (!sh->runner)
		sh->runner = sh->own_runner = runner_new(o->loop, err);
	if (!sh->runner || share_ensure_repo(sh->gitdir, err) < 0 ||
	    check_remote(sh->gitdir, sh->remote, &sh->url, err) < 0) {
		share_free(sh);
		return NULL;
	}
	sh->state = SHARE_PUBLISHING;
	sh->seq_now = 1;	/* unknown until the first push counts */
	schedule_push(sh);
	return sh;
}

const char *
share_url(const struct share *sh)
{
	return sh->url ? sh->url : sh->remote;
}

void
share_mark_replaced(struct share *sh, const char *theirs)
{
	char *why;

	if (!sh || sh->state == SHARE_REJECTED || sh->proc)
		return;		/* said already, or a push will tell */
	why = xasprintf("the session's ref on the remote now points at "
			"commit %.12s, which does not continue this "
			"session's publishes (someone else wrote it)", theirs);
	if (sh->start_timer) {
		loop_cancel_timer(sh->loop, sh->start_timer);
		sh->start_timer = 0;
	}
	if (sh->retry_timer) {
		loop_cancel_timer(sh->loop, sh->retry_timer);
		sh->retry_timer = 0;
	}
	push_rejected(sh, why);
	free(why);
}

void
share_changed(struct share *sh, uint64_t seq, int own)
{
	if (!sh)
		return;
	if (seq > sh->seq_now)
		sh->seq_now = seq;
	if (own) {
		sh->own_total++;
		return;
	}
	schedule_push(sh);
}

/* The journal's events that need no publish: those published, and the
 * share.* events since. */
static uint64_t
done_seq(const struct share *sh)
{
	return sh->seq_published + (sh->own_total - sh->own_base);
}

int
share_busy(const struct share *sh)
{
	return sh && sh->state != SHARE_REJECTED &&
	       (sh->proc || sh->start_timer ||
		sh->seq_now > done_seq(sh));
}

void
share_status(const struct share *sh, struct share_status *st)
{
	uint64_t done = done_seq(sh);

	st->state = sh->state;
	st->pending = sh->seq_now > done ? sh->seq_now - done : 0;
	st->retry_in_us = sh->state == SHARE_OFFLINE ||
			  sh->state == SHARE_REJECTED
		? sh->retry_at_us - now_us(sh) : 0;
	if (st->retry_in_us < 0)
		st->retry_in_us = 0;
	st->remote = sh->remote;
	st->why = sh->why;
	st->creds = sh->state == SHARE_OFFLINE && sh->creds
		  ? share_credentials_hint(sh->why, 1) : NULL;
}

void
share_status_text(const struct share *sh, char *buf, size_t size)
{
	struct share_status st;
	const char *s;

	share_status(sh, &st);
	s = st.pending == 1 ? "" : "s";
	switch (st.state) {
	case SHARE_OFFLINE:
		if (st.creds) {
			snprintf(buf, size, "share: needs credentials: %s; "
				 "%llu event%s not published, retrying in "
				 "%lld s", st.creds,
				 (unsigned long long)st.pending, s,
				 (long long)((st.retry_in_us + 999999) /
					     1000000));
			break;
		}
		snprintf(buf, size, "share: offline, %llu event%s not "
			 "published, retrying in %lld s",
			 (unsigned long long)st.pending, s,
			 (long long)((st.retry_in_us + 999999) / 1000000));
		break;
	case SHARE_REJECTED:
		snprintf(buf, size, "share: REJECTED by %s, someone else wrote "
			 "the session's ref (not forced; pushing again in "
			 "%lld s)", st.remote,
			 (long long)((st.retry_in_us + 999999) / 1000000));
		break;
	case SHARE_PUBLISHING:
		snprintf(buf, size, "share: publishing to %s", st.remote);
		break;
	default:
		if (st.pending)
			snprintf(buf, size, "share: %llu event%s to publish",
				 (unsigned long long)st.pending, s);
		else
			snprintf(buf, size, "share: published to %s",
				 st.remote);
		break;
	}
}

struct runner *
share_runner(const struct share *sh)
{
	return sh->runner;
}

void
share_free(struct share *sh)
{
	if (!sh)
		return;
	if (sh->start_timer)
		loop_cancel_timer(sh->loop, sh->start_timer);
	if (sh->retry_timer)
		loop_cancel_timer(sh->loop, sh->retry_timer);
	if (sh->proc)
		runner_cancel(sh->proc);
	runner_free(sh->own_runner);
	free(sh->remote);
	free(sh->url);
	free(sh->dir);
	free(sh->id);
	free(sh->ref);
	free(sh->gitdir);
	free(sh->rejected);
	free(sh->last_err);
	free(sh->fatal);
	free(sh->asked);
	free(sh->why);
	free(sh);
}
