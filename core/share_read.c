/* Reading what was published to a git remote (share.h): fetching it with
 * the user's git, the publishes of a session (its anchors), and a local
 * copy of the latest one for the session list and the watch. */
#include "config.h"
#include "share.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <git2.h>

#include "clock.h"
#include "err.h"
#include "loop.h"
#include "runner.h"
#include "handoff.h"
#include "sanitize.h"
#include "sha256.h"
#include "strbuf.h"
#include "xalloc.h"

static int
git_fail(struct err *err, const char *what)
{
	const git_error *e = git_error_last();

	return err_set(err, ERR_IO, "%s: %s", what, e && e->message
		       ? e->message : "libgit2 failed");
}

char *
share_cache_repo(const char *cache, const char *remote, struct err *err)
{
	char *name = xstrdup(remote), *dir;

	for (char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '.'))
			*p = '_';
	dir = xasprintf("%s/%s.git", cache, name);
	free(name);
	if (share_ensure_repo(dir, err) < 0) {
		free(dir);
		return NULL;
	}
	return dir;
}

char *
share_fetch_command(const char *gitdir, const char *remote, const char *id)
{
	char *gd = handoff_shell_quote(gitdir);
	char *rm = handoff_shell_quote(remote);
	char *spec = id ? xasprintf("+" SHARE_REF_PREFIX "%s:"
				    SHARE_REF_PREFIX "%s", id, id)
			: xstrdup("+" SHARE_REF_PREFIX "*:" SHARE_REF_PREFIX
				  "*");
	char *sq = handoff_shell_quote(spec);
	char *cmd = xasprintf("exec git --git-dir=%s fetch --quiet "
			      "--no-write-fetch-head%s %s %s", gd,
			      id ? "" : " --prune", rm, sq);

	free(gd);
	free(rm);
	free(spec);
	free(sq);
	return cmd;
}

/* Run CMD, its stderr kept; 0, or -1 with ERR holding git's last line. */
static int
run_git(const char *cmd, const char *what, struct err *err)
{
	char *full = xasprintf("%s 2>&1", cmd), line[512], last[512] = "";
	char fatal[512] = "";
	FILE *p = popen(full, "r");
	char *said, *safe;
	int status;

	free(full);
	if (!p)
		return err_set(err, ERR_SYS, "%s: %s", what, strerror(errno));
	while (fgets(line, sizeof(line), p)) {
		line[strcspn(line, "\n")] = '\0';
		if (!fatal[0] && strncmp(line, "fatal: ", 7) == 0)
			snprintf(fatal, sizeof(fatal), "%s", line + 7);
		else if (line[0])
			snprintf(last, sizeof(last), "%s", line);
	}
	status = pclose(p);
	if (status == 0)
		return 0;
	said = share_git_words(fatal, last);
	safe = sanitize_text(said, strlen(said));
	err_set(err, ERR_IO, "%s: %s", what, safe[0] ? safe : "git failed");
	free(safe);
	free(said);
	return -1;
}

int
share_fetch(const char *gitdir, const char *remote, const char *id,
	    struct err *err)
{
	char *cmd = share_fetch_command(gitdir, remote, id);
	char *what = xasprintf("fetching from %s", remote);
	int rc = run_git(cmd, what, err);

	if (rc < 0 && id && strstr(err->msg, "couldn't find remote ref"))
		err_set(err, ERR_NOTFOUND, "%s: no session of that name is "
			"published to %s (rewind sessions %s lists those "
			"there)", id, remote, remote);

	free(what);
	free(cmd);
	return rc;
}

/* The journal blob of COMMIT, or NULL. */
static git_blob *
journal_blob(git_repository *repo, git_commit *commit)
{
	git_tree *tree = NULL;
	const git_tree_entry *e;
	git_blob *blob = NULL;

	if (git_commit_tree(&tree, commit) < 0)
		return NULL;
	e = git_tree_entry_byname(tree, "journal.jsonl");
	if (e)
		git_blob_lookup(&blob, repo, git_tree_entry_id(e));
	git_tree_free(tree);
	return blob;
}

static void
anchor_of(git_repository *repo, git_commit *c, struct share_anchor *a)
{
	git_blob *blob = journal_blob(repo, c);
	const char *text = blob ? git_blob_rawcontent(blob) : "";
	size_t len = blob ? (size_t)git_blob_rawsize(blob) : 0;
	const char *last = text;

	memset(a, 0, sizeof(*a));
	git_oid_tostr(a->commit, sizeof(a->commit), git_commit_id(c));
	a->when_us = (int64_t)git_commit_time(c) * 1000000;
	for (size_t i = 0; i < len; i++) {
		if (text[i] != '\n')
			continue;
		a->events++;
		sha256_hex(last, (size_t)(text + i - last), a->head);
		last = text + i + 1;
	}
	git_blob_free(blob);
}

int
share_ref_continues(const char *gitdir, const char *id, const char *commit,
		    char now[41])
{
	git_repository *repo = NULL;
	char *ref = xasprintf(SHARE_REF_PREFIX "%s", id);
	git_odb *odb = NULL;
	git_oid head, mine;
	int rc = -1;

	now[0] = '\0';
	git_libgit2_init();
	if (git_repository_open_bare(&repo, gitdir) < 0 ||
	    git_reference_name_to_id(&head, repo, ref) < 0 ||
	    git_oid_fromstr(&mine, commit) < 0)
		goto done;
	git_oid_tostr(now, 41, &head);
	if (git_oid_equal(&head, &mine))
		rc = 1;
	else if (git_repository_odb(&odb, repo) < 0)
		goto done;
	else if (!git_odb_exists(odb, &mine))
		rc = 0;		/* fetching the ref did not bring it */
	else
		rc = git_graph_descendant_of(repo, &head, &mine) == 1;
done:
	git_odb_free(odb);
	git_repository_free(repo);
	free(ref);
	return rc;
}

int
share_anchors(const char *gitdir, const char *id, struct share_anchor **out,
	      size_t *n, struct err *err)
{
	git_repository *repo = NULL;
	git_revwalk *walk = NULL;
	char *ref = xasprintf(SHARE_REF_PREFIX "%s", id);
	git_oid oid;
	int rc = -1;

	*out = NULL;
	*n = 0;
	git_libgit2_init();
	if (git_repository_open_bare(&repo, gitdir) < 0 ||
	    git_revwalk_new(&walk, repo) < 0) {
		git_fail(err, gitdir);
		goto done;
	}
	if (git_revwalk_push_ref(walk, ref) < 0) {
		err_set(err, ERR_NOTFOUND, "%s: not published (no %s)", id,
			ref);
		goto done;
	}
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
	git_revwalk_simplify_first_parent(walk);
	while (git_revwalk_next(&oid, walk) == 0) {
		git_commit *c = NULL;

		if (git_commit_lookup(&c, repo, &oid) < 0)
			continue;
		*out = xrealloc(*out, (*n + 1) * sizeof(**out));
		anchor_of(repo, c, &(*out)[(*n)++]);
		git_commit_free(c);
	}
	rc = 0;
done:
	git_revwalk_free(walk);
	git_repository_free(repo);
	free(ref);
	return rc;
}

static int
add_id(git_reference *r, void *arg)
{
	struct { char **ids; size_t n; } *l = arg;
	const char *name = git_reference_name(r);

	l->ids = xrealloc(l->ids, (l->n + 1) * sizeof(*l->ids));
	l->ids[l->n++] = xstrdup(name + strlen(SHARE_REF_PREFIX));
	git_reference_free(r);
	return 0;
}

int
share_list_ids(const char *gitdir, char ***ids, size_t *n, struct err *err)
{
	git_repository *repo = NULL;
	git_reference_iterator *it = NULL;
	git_reference *r;
	struct { char **ids; size_t n; } l = { NULL, 0 };

	git_libgit2_init();
	if (git_repository_open_bare(&repo, gitdir) < 0 ||
	    git_reference_iterator_glob_new(&it, repo,
					    SHARE_REF_PREFIX "*") < 0) {
		git_repository_free(repo);
		return git_fail(err, gitdir);
	}
	while (git_reference_next(&r, it) == 0)
		add_id(r, &l);
	git_reference_iterator_free(it);
	git_repository_free(repo);
	*ids = l.ids;
	*n = l.n;
	return 0;
}

/* --- a local copy of the latest publish ----------------------------------------- */

/* PATH grows to DATA: what it holds must be the start of DATA. 1 grown,
 * 0 already so, -1 with ERR. */
static int
grow_file(const char *path, const void *data, size_t len, int reset,
	  struct err *err)
{
	struct strbuf old;
	struct err ignored = { 0 };
	int fd, rc = 0;

	strbuf_init(&old);
	if (strbuf_read_file(&old, path, (size_t)-1 >> 1, &ignored) < 0)
		strbuf_reset(&old);
	if (old.len > len || (old.len && memcmp(old.buf, data, old.len))) {
		if (!reset) {
			strbuf_done(&old);
			return err_set(err, ERR_CORRUPT, "%s: what was "
				       "published no longer begins with the "
				       "copy fetched before (the published "
				       "session was rewritten)", path);
		}
		/* The remote continued what was fetched: the copy here was
		 * changed, never the remote; fetched again, whole. */
		if (truncate(path, 0) < 0) {
			strbuf_done(&old);
			return err_set(err, ERR_IO, "%s: %s", path,
				       strerror(errno));
		}
		strbuf_reset(&old);
	}
	if (old.len == len) {
		strbuf_done(&old);
		return 0;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0600);
	if (fd < 0 || write(fd, (const char *)data + old.len,
			    len - old.len) != (ssize_t)(len - old.len))
		rc = err_set(err, ERR_IO, "%s: %s", path, strerror(errno));
	else
		rc = 1;
	if (fd >= 0)
		close(fd);
	strbuf_done(&old);
	return rc;
}

static int
write_entry(git_repository *repo, const git_tree_entry *e, const char *out,
	    int reset, struct err *err)
{
	git_blob *blob = NULL;
	char *path;
	int rc;

	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB ||
	    strchr(git_tree_entry_name(e), '/') ||
	    git_tree_entry_name(e)[0] == '.')
		return 0;
	if (git_blob_lookup(&blob, repo, git_tree_entry_id(e)) < 0)
		return git_fail(err, git_tree_entry_name(e));
	path = xasprintf("%s/%s", out, git_tree_entry_name(e));
	rc = grow_file(path, git_blob_rawcontent(blob),
		       (size_t)git_blob_rawsize(blob), reset, err);
	free(path);
	git_blob_free(blob);
	return rc;
}

static int
write_tree(git_repository *repo, git_tree *tree, const char *out, int reset,
	   struct err *err)
{
	int changed = 0;

	if (mkdir(out, 0700) < 0 && errno != EEXIST)
		return err_set(err, ERR_IO, "%s: %s", out, strerror(errno));
	/* The journal last: a watcher reading it finds the casts it names. */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < git_tree_entrycount(tree); i++) {
			const git_tree_entry *e = git_tree_entry_byindex(tree, i);
			int journal = strcmp(git_tree_entry_name(e),
					     "journal.jsonl") == 0;
			int rc = 0;

			if (journal != pass)
				continue;
			if (git_tree_entry_type(e) == GIT_OBJECT_TREE &&
			    strcmp(git_tree_entry_name(e), "output") == 0) {
				git_tree *sub = NULL;
				char *dir = xasprintf("%s/output", out);

				if (git_tree_lookup(&sub, repo,
						    git_tree_entry_id(e)) == 0)
					rc = write_tree(repo, sub, dir, reset,
							err);
				git_tree_free(sub);
				free(dir);
			} else {
				rc = write_entry(repo, e, out, reset, err);
			}
			if (rc < 0)
				return -1;
			changed |= rc;
		}
	}
	return changed;
}

/* The publish a copy was last grown to, kept beside it (a name no
 * publish writes: those starting with a dot are skipped). */
#define COPY_MARK ".published"

static int
read_mark(const char *out, git_oid *oid)
{
	char *path = xasprintf("%s/" COPY_MARK, out), hex[41] = "";
	FILE *f = fopen(path, "r");
	int ok = f && fgets(hex, sizeof(hex), f) && strlen(hex) == 40 &&
		 git_oid_fromstr(oid, hex) == 0;

	if (f)
		fclose(f);
	free(path);
	return ok;
}

static void
write_mark(const char *out, const git_oid *oid)
{
	char *path = xasprintf("%s/" COPY_MARK, out), hex[41];
	FILE *f = fopen(path, "w");

	git_oid_tostr(hex, sizeof(hex), oid);
	if (f) {
		fprintf(f, "%s\n", hex);
		fclose(f);
	}
	free(path);
}

int
share_unmark_copy(const char *out, struct err *err)
{
	char *path = xasprintf("%s/" COPY_MARK, out);
	int rc = unlink(path) < 0 && errno != ENOENT
	       ? err_set(err, ERR_IO, "%s: %s", path, strerror(errno)) : 0;

	free(path);
	return rc;
}

/* Whether OID continues the publish OUT was last grown to: 1 it does (or
 * none is known: 0 in *RESET), 0 it was replaced (ERR says so). */
static int
continues_copy(git_repository *repo, const git_oid *oid, const char *out,
	       int *reset, struct err *err)
{
	git_oid was;
	char now[41], before[41];

	*reset = 0;
	if (!read_mark(out, &was))
		return 1;
	*reset = 1;
	if (git_oid_equal(&was, oid) ||
	    git_graph_descendant_of(repo, oid, &was) == 1)
		return 1;
	git_oid_tostr(now, sizeof(now), oid);
	git_oid_tostr(before, sizeof(before), &was);
	err_set(err, ERR_CORRUPT, "the published session was replaced by a "
		"commit that does not continue it (commit %.12s; this copy "
		"stops at %.12s)", now, before);
	return 0;
}

int
share_materialize(const char *gitdir, const char *id, const char *out,
		  struct err *err)
{
	int reset = 0;
	git_repository *repo = NULL;
	git_commit *c = NULL;
	git_tree *tree = NULL;
	char *ref = xasprintf(SHARE_REF_PREFIX "%s", id);
	git_oid oid;
	int rc = -1;

	git_libgit2_init();
	if (strchr(id, '/') || id[0] == '.')
		err_set(err, ERR_INVALID, "%s: not a session's name", id);
	else if (git_repository_open_bare(&repo, gitdir) < 0)
		git_fail(err, gitdir);
	else if (git_reference_name_to_id(&oid, repo, ref) < 0)
		err_set(err, ERR_NOTFOUND, "%s: no session of that name was "
			"published there", id);
	else if (git_commit_lookup(&c, repo, &oid) < 0 ||
		 git_commit_tree(&tree, c) < 0)
		git_fail(err, id);
	else if (continues_copy(repo, &oid, out, &reset, err) &&
		 (rc = write_tree(repo, tree, out, reset, err)) >= 0)
		write_mark(out, &oid);
	git_tree_free(tree);
	git_commit_free(c);
	git_repository_free(repo);
	free(ref);
	return rc;
}

/* --- following a published session ------------------------------------------------ */

#define FOLLOW_EVERY_US 2000000LL	/* a publish shows within ~3 s */
#define FOLLOW_TIMEOUT_US (60 * 1000000LL)

struct share_follow {
	struct loop *loop;
	struct runner *runner;
	char *gitdir, *remote, *id, *out;
	struct proc *proc;
	uint64_t timer;
	int64_t fetched_us;	/* wall time of the last good fetch */
	char *why;		/* the last failure, NULL after a good one */
	int replaced;		/* WHY: the ref no longer continues the copy */
	char *last_err;
};

static void follow_tick(void *arg);

static void
follow_again(struct share_follow *f)
{
	f->timer = loop_add_timer(f->loop, FOLLOW_EVERY_US, follow_tick, f);
}

static void
follow_line(struct proc *p, int stream, const char *line, size_t len,
	    void *arg)
{
	struct share_follow *f = arg;

	(void)p;
	if (stream == 2 && len) {
		free(f->last_err);
		f->last_err = sanitize_text(line, len);
	}
}

static void
follow_exit(struct proc *p, const struct proc_result *res, void *arg)
{
	struct share_follow *f = arg;
	struct err err = { 0 };

	(void)p;
	f->proc = NULL;
	free(f->why);
	f->why = NULL;
	f->replaced = 0;
	if (res->exit_code != 0)
		f->why = xstrdup(f->last_err ? f->last_err : "git fetch failed");
	else if (share_materialize(f->gitdir, f->id, f->out, &err) < 0) {
		f->why = xstrdup(err.msg);
		f->replaced = err.code == ERR_CORRUPT;
	} else
		f->fetched_us = clock_wall_now(loop_clock(f->loop));
	free(f->last_err);
	f->last_err = NULL;
	follow_again(f);
}

static void
follow_tick(void *arg)
{
	struct share_follow *f = arg;
	struct err err = { 0 };
	char *cmd = share_fetch_command(f->gitdir, f->remote, f->id);
	struct proc_spec spec = {
		.command = cmd, .env = share_git_env(f->gitdir),
		.new_session = 1, .timeout_us = FOLLOW_TIMEOUT_US,
		.stdin_null = 1, .on_line = follow_line, .on_exit = follow_exit,
		.arg = f,
	};

	f->timer = 0;
	f->proc = runner_spawn(f->runner, &spec, &err);
	free(cmd);
	if (!f->proc) {
		free(f->why);
		f->why = xstrdup(err.msg);
		follow_again(f);
	}
}

struct share_follow *
share_follow_start(struct loop *l, const char *gitdir, const char *remote,
		   const char *id, const char *out, struct err *err)
{
	struct share_follow *f = xcalloc(1, sizeof(*f));

	f->loop = l;
	f->runner = runner_new(l, err);
	if (!f->runner) {
		free(f);
		return NULL;
	}
	f->gitdir = xstrdup(gitdir);
	f->remote = xstrdup(remote);
	f->id = xstrdup(id);
	f->out = xstrdup(out);
	f->fetched_us = clock_wall_now(loop_clock(l));
	follow_again(f);
	return f;
}

void
share_follow_text(const struct share_follow *f, char *buf, size_t size)
{
	int64_t ago = (clock_wall_now(loop_clock(f->loop)) - f->fetched_us) /
		      1000000;

	if (f->why && f->replaced)
		snprintf(buf, size, "remote %s: ALARM: %s", f->remote, f->why);
	else if (f->why && f->fetched_us)
		snprintf(buf, size, "remote %s: unreachable, showing what was "
			 "fetched %lld s ago; retrying (%s)", f->remote,
			 (long long)(ago < 0 ? 0 : ago), f->why);
	else if (f->why)
		snprintf(buf, size, "remote %s: unreachable, retrying (%s)",
			 f->remote, f->why);
	else
		snprintf(buf, size, "remote %s: fetched %lld s ago", f->remote,
			 (long long)(ago < 0 ? 0 : ago));
}

int
share_follow_failing(const struct share_follow *f)
{
	return f->why != NULL;
}

const char *
share_follow_remote(const struct share_follow *f)
{
	return f->remote;
}

void
share_follow_free(struct share_follow *f)
{
	if (!f)
		return;
	if (f->timer)
		loop_cancel_timer(f->loop, f->timer);
	runner_free(f->runner);
	free(f->gitdir);
	free(f->remote);
	free(f->id);
	free(f->out);
	free(f->why);
	free(f->last_err);
	free(f);
}
