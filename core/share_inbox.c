/* Sign-off requests written to a shared session's inbox on its git
 * remote, and the commander's fetching of them (share_inbox.h). */
#include "config.h"
#include "share_inbox.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <git2.h>

#include "err.h"
#include "handoff.h"
#include "loop.h"
#include "runner.h"
#include "sanitize.h"
#include "share.h"
#include "sshsig.h"
#include "xalloc.h"

#define SHARE_REMOTE_PREFIX "refs/rewind/remote/"
#define REQUEST_MAX (64u * 1024)
#define REQUEST_SIG "request.json.sig"
#define FIELD_MAX 512
#define COMMENT_MAX 4096
#define POLL_US 1000000LL
#define POLL_MAX_US (30 * 1000000LL)
#define FETCH_TIMEOUT_US (60 * 1000000LL)

void
share_request_done(struct share_request *r)
{
	free(r->id);
	free(r->session);
	free(r->step);
	free(r->role);
	free(r->name);
	free(r->comment);
	free(r->login);
	free(r->host);
	free(r->gate_hash);
	free(r->head);
	free(r->text);
	free(r->sig);
	memset(r, 0, sizeof(*r));
}

void
share_request_new_id(char out[37])
{
	unsigned char b[16];
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	size_t got = 0;

	while (fd >= 0 && got < sizeof(b)) {
		ssize_t n = read(fd, b + got, sizeof(b) - got);

		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (fd >= 0)
		close(fd);
	for (; got < sizeof(b); got++)	/* no urandom: time and pid */
		b[got] = (unsigned char)(rand() ^ getpid() ^ (int)got);
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4],
		 b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
		 b[14], b[15]);
}

/* --- the approver's side ------------------------------------------------------ */

static char *
request_json(const struct share_request *r)
{
	cJSON *o = cJSON_CreateObject();
	char *text;

	cJSON_AddStringToObject(o, "request", r->id);
	cJSON_AddStringToObject(o, "session", r->session);
	cJSON_AddStringToObject(o, "step", r->step);
	cJSON_AddStringToObject(o, "role", r->role);
	cJSON_AddStringToObject(o, "name", r->name);
	if (r->comment && *r->comment)
		cJSON_AddStringToObject(o, "comment", r->comment);
	cJSON_AddStringToObject(o, "login", r->login);
	cJSON_AddStringToObject(o, "host", r->host);
	cJSON_AddStringToObject(o, "gate_hash", r->gate_hash);
	cJSON_AddStringToObject(o, "head", r->head);
	cJSON_AddNumberToObject(o, "events", (double)r->events);
	text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return text;
}

static int
git_fail(struct err *err, const char *what)
{
	const git_error *e = git_error_last();

	return err_set(err, ERR_IO, "%s: %s", what, e && e->message
		       ? e->message : "libgit2 failed");
}

/* A parentless commit holding request.json. */
/* request.json.sig, the ssh signature of request.json, into TB when
 * the approver signs (KEY). 0, or -1 with ERR. */
static int
insert_signature(git_repository *repo, git_treebuilder *tb, const char *key,
		 const char *text, struct err *err)
{
	git_oid blob;
	char *sig;

	if (!key)
		return 0;
	if (sshsig_sign(key, text, strlen(text), &sig, err) < 0)
		return -1;
	if (git_blob_create_from_buffer(&blob, repo, sig, strlen(sig)) < 0 ||
	    git_treebuilder_insert(NULL, tb, REQUEST_SIG, &blob,
				   GIT_FILEMODE_BLOB) < 0) {
		free(sig);
		return git_fail(err, "request.json.sig");
	}
	free(sig);
	return 0;
}

static int
request_commit(const char *gitdir, const struct share_request *r,
	       const char *key, char out[41], struct err *err)
{
	git_repository *repo = NULL;
	git_treebuilder *tb = NULL;
	git_signature *sig = NULL;
	git_tree *tree = NULL;
	git_oid blob, tree_id, oid;
	char *text = request_json(r);
	char *msg = xasprintf("rewind approve: %s signs %s as %s\n\n"
			      "Rewind-Session: %s\nRewind-Request: %s\n",
			      r->name, r->step, r->role, r->session, r->id);
	int rc = -1;

	if (git_repository_open_bare(&repo, gitdir) < 0 ||
	    git_blob_create_from_buffer(&blob, repo, text, strlen(text)) < 0 ||
	    git_treebuilder_new(&tb, repo, NULL) < 0 ||
	    git_treebuilder_insert(NULL, tb, "request.json", &blob,
				   GIT_FILEMODE_BLOB) < 0)
		git_fail(err, gitdir);
	else if (insert_signature(repo, tb, key, text, err) < 0)
		;
	else if (git_treebuilder_write(&tree_id, tb) < 0 ||
	    git_tree_lookup(&tree, repo, &tree_id) < 0 ||
	    git_signature_now(&sig, "rewind", "rewind@localhost") < 0 ||
	    git_commit_create(&oid, repo, NULL, sig, sig, NULL, msg, tree, 0,
			      NULL) < 0)
		git_fail(err, gitdir);
	else {
		git_oid_tostr(out, 41, &oid);
		rc = 0;
	}
	git_signature_free(sig);
	git_tree_free(tree);
	git_treebuilder_free(tb);
	git_repository_free(repo);
	free(msg);
	free(text);
	return rc;
}

/* Run CMD; 0, or -1 with ERR holding git's words. */
static int
run_git(const char *cmd, const char *what, struct err *err)
{
	char *full = xasprintf("GIT_TERMINAL_PROMPT=0 %s 2>&1", cmd);
	char line[512], last[512] = "", fatal[512] = "";
	FILE *p = popen(full, "r");
	char *said, *safe;

	free(full);
	if (!p)
		return err_set(err, ERR_SYS, "%s: %s", what, strerror(errno));
	while (fgets(line, sizeof(line), p)) {
		line[strcspn(line, "\n")] = '\0';
		if (!fatal[0] && strncmp(line, "fatal: ", 7) == 0)
			snprintf(fatal, sizeof(fatal), "%s", line + 7);
		else if (line[0] == '!' || (line[0] && !fatal[0]))
			snprintf(last, sizeof(last), "%s", line);
	}
	if (pclose(p) == 0)
		return 0;
	said = share_git_words(fatal, last);
	safe = sanitize_text(said, strlen(said));
	err_set(err, ERR_IO, "%s: %s", what, safe[0] ? safe : "git failed");
	free(safe);
	free(said);
	return -1;
}

int
share_request_send(const char *gitdir, const char *remote,
		   const struct share_request *r, const char *key,
		   struct err *err)
{
	char commit[41], *gd, *rm, *cmd, *what;
	int rc;

	if (request_commit(gitdir, r, key, commit, err) < 0)
		return -1;
	gd = handoff_shell_quote(gitdir);
	rm = handoff_shell_quote(remote);
	cmd = xasprintf("exec git --git-dir=%s push --porcelain --no-verify "
			"%s %s:" SHARE_INBOX_PREFIX "%s/%s", gd, rm, commit,
			r->session, r->id);
	what = xasprintf("writing the request to %s", remote);
	rc = run_git(cmd, what, err);
	free(what);
	free(cmd);
	free(rm);
	free(gd);
	return rc;
}

/* --- reading a request ------------------------------------------------------ */

/* Field KEY of O: a string of at most MAX bytes (0: absent is allowed). */
static int
field(const cJSON *o, const char *key, size_t max, int need, char **out,
      struct err *err)
{
	const cJSON *v = cJSON_GetObjectItem(o, key);

	*out = NULL;
	if (!v && !need)
		return 0;
	if (!cJSON_IsString(v) || (need && !v->valuestring[0]))
		return err_set(err, ERR_INVALID, "the request has no %s", key);
	if (strlen(v->valuestring) > max)
		return err_set(err, ERR_INVALID, "the request's %s is longer "
			       "than %zu bytes", key, max);
	*out = xstrdup(v->valuestring);
	return 0;
}

int
share_request_parse(const char *text, size_t len, const char *ref_id,
		    struct share_request *r, struct err *err)
{
	cJSON *o = len <= REQUEST_MAX ? cJSON_ParseWithLength(text, len)
				      : NULL;
	const cJSON *ev = cJSON_GetObjectItem(o, "events");
	int rc = -1;

	memset(r, 0, sizeof(*r));
	if (!cJSON_IsObject(o))
		err_set(err, ERR_INVALID, "request.json is not a JSON object "
			"(or is over %u bytes)", REQUEST_MAX);
	else if (field(o, "request", 64, 1, &r->id, err) == 0 &&
		 field(o, "session", FIELD_MAX, 1, &r->session, err) == 0 &&
		 field(o, "step", FIELD_MAX, 1, &r->step, err) == 0 &&
		 field(o, "role", FIELD_MAX, 1, &r->role, err) == 0 &&
		 field(o, "name", FIELD_MAX, 1, &r->name, err) == 0 &&
		 field(o, "comment", COMMENT_MAX, 0, &r->comment, err) == 0 &&
		 field(o, "login", FIELD_MAX, 1, &r->login, err) == 0 &&
		 field(o, "host", FIELD_MAX, 1, &r->host, err) == 0 &&
		 field(o, "gate_hash", 64, 1, &r->gate_hash, err) == 0 &&
		 field(o, "head", 64, 0, &r->head, err) == 0)
		rc = 0;
	if (rc == 0) {
		r->events = cJSON_IsNumber(ev) && ev->valuedouble > 0
			? (uint64_t)ev->valuedouble : 0;
		if (!r->head)
			r->head = xstrdup("");
		(void)ref_id;
	} else
		share_request_done(r);
	cJSON_Delete(o);
	return rc;
}

/* --- the commander's side: fetching the inbox -------------------------------- */

struct share_inbox {
	struct loop *loop;
	struct runner *runner;
	struct runner *own_runner;	/* made here when none was given */
	char *gitdir, *remote, *id, *prefix;
	share_inbox_cb cb;
	void *arg;
	struct proc *proc;
	uint64_t timer;
	int failures;
	char **seen;
	size_t n_seen;
	char *why, *last_err;
	share_taken_cb on_taken;
	char taken_seen[41];	/* the published commit last read */
	share_replaced_cb on_replaced;
	char replaced_seen[41];	/* the published commit last judged */
};

static void inbox_tick(void *arg);

static void
inbox_again(struct share_inbox *in)
{
	int64_t delay = POLL_US << (in->failures < 5 ? in->failures : 5);

	if (delay > POLL_MAX_US)
		delay = POLL_MAX_US;
	in->timer = loop_add_timer(in->loop, delay, inbox_tick, in);
}

static int
was_seen(const struct share_inbox *in, const char *ref_id)
{
	for (size_t i = 0; i < in->n_seen; i++)
		if (strcmp(in->seen[i], ref_id) == 0)
			return 1;
	return 0;
}

void
share_inbox_seen(struct share_inbox *in, const char *ref_id)
{
	if (!in || was_seen(in, ref_id))
		return;
	in->seen = xrealloc(in->seen, (in->n_seen + 1) * sizeof(*in->seen));
	in->seen[in->n_seen++] = xstrdup(ref_id);
}

/* File NAME of the commit REF points at, or NULL. */
static git_blob *
request_blob(git_repository *repo, const char *ref, const char *name)
{
	git_oid oid;
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_blob *blob = NULL;
	const git_tree_entry *e;

	if (git_reference_name_to_id(&oid, repo, ref) == 0 &&
	    git_commit_lookup(&c, repo, &oid) == 0 &&
	    git_commit_tree(&tree, c) == 0 &&
	    (e = git_tree_entry_byname(tree, name)) &&
	    git_tree_entry_type(e) == GIT_OBJECT_BLOB)
		git_blob_lookup(&blob, repo, git_tree_entry_id(e));
	git_tree_free(tree);
	git_commit_free(c);
	return blob;
}

/* R's text as signed and its signature, when the request holds one. */
static void
keep_signature(struct share_request *r, git_repository *repo,
	       const char *ref, const git_blob *text)
{
	git_blob *sig = request_blob(repo, ref, REQUEST_SIG);
	size_t n = sig ? (size_t)git_blob_rawsize(sig) : 0;

	if (n && n < 65536 && !memchr(git_blob_rawcontent(sig), '\0', n)) {
		r->sig = xstrndup(git_blob_rawcontent(sig), n);
		r->text = xstrndup(git_blob_rawcontent(text),
				   (size_t)git_blob_rawsize(text));
		r->text_len = (size_t)git_blob_rawsize(text);
	}
	git_blob_free(sig);
}

static void
hand_over(struct share_inbox *in, git_repository *repo, const char *ref)
{
	const char *ref_id = ref + strlen(in->prefix);
	git_blob *blob = request_blob(repo, ref, "request.json");
	struct share_request r;
	struct err err = { 0 };

	share_inbox_seen(in, ref_id);	/* once, whatever it holds */
	if (!blob)
		in->cb(ref_id, NULL, "its commit holds no request.json",
		       in->arg);
	else if (share_request_parse(git_blob_rawcontent(blob),
				     (size_t)git_blob_rawsize(blob), ref_id,
				     &r, &err) < 0)
		in->cb(ref_id, NULL, err.msg, in->arg);
	else {
		keep_signature(&r, repo, ref, blob);
		in->cb(ref_id, &r, NULL, in->arg);
		share_request_done(&r);
	}
	git_blob_free(blob);
}

static void read_taken(struct share_inbox *in, git_repository *repo);
static void read_replaced(struct share_inbox *in, git_repository *repo);

/* Each request fetched and not seen, in the order of their refs' names
 * (a request's place in the journal is when it was taken). */
static void
read_inbox(struct share_inbox *in)
{
	git_repository *repo = NULL;
	git_reference_iterator *it = NULL;
	git_reference *ref;
	char *glob = xasprintf("%s*", in->prefix);
	char **fresh = NULL;
	size_t n = 0;

	if (git_repository_open_bare(&repo, in->gitdir) == 0 &&
	    git_reference_iterator_glob_new(&it, repo, glob) == 0) {
		while (git_reference_next(&ref, it) == 0) {
			const char *name = git_reference_name(ref);

			if (!strchr(name + strlen(in->prefix), '/') &&
			    !was_seen(in, name + strlen(in->prefix))) {
				fresh = xrealloc(fresh, (n + 1) *
						 sizeof(*fresh));
				fresh[n++] = xstrdup(name);
			}
			git_reference_free(ref);
		}
	}
	for (size_t i = 0; i < n; i++) {
		hand_over(in, repo, fresh[i]);
		free(fresh[i]);
	}
	free(fresh);
	if (repo && in->on_replaced)
		read_replaced(in, repo);
	if (repo && in->on_taken)
		read_taken(in, repo);
	git_reference_iterator_free(it);
	git_repository_free(repo);
	free(glob);
}

#define HANDOVER "\"type\":\"session.handover\""

/* The last session.handover line of TEXT: its seq and whom to. */
static char *
last_handover(const char *text, size_t len, uint64_t *seq)
{
	char *to = NULL;

	for (const char *p = text, *end = text + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (memmem(p, n, HANDOVER, strlen(HANDOVER))) {
			cJSON *ev = cJSON_ParseWithLength(p, n);
			const cJSON *t = cJSON_GetObjectItem(
				cJSON_GetObjectItem(ev, "payload"), "to");
			const cJSON *q = cJSON_GetObjectItem(ev, "seq");

			if (cJSON_IsString(t) && cJSON_IsNumber(q)) {
				free(to);
				to = xstrdup(t->valuestring);
				*seq = (uint64_t)q->valuedouble;
			}
			cJSON_Delete(ev);
		}
		p += n + 1;
	}
	return to;
}

/* Whether the session's ref as fetched now neither holds nor is held by
 * this console's own last publish (the ref the publisher builds on): some
 * other writer replaced it (a forced push). Told once for each fetched
 * commit, so an idle commander learns of it without publishing. */
static void
read_replaced(struct share_inbox *in, git_repository *repo)
{
	char *theirs = xasprintf(SHARE_REMOTE_PREFIX "%s", in->id);
	char *mine = xasprintf(SHARE_REF_PREFIX "%s", in->id);
	git_oid r, l;
	char hex[41];

	if (git_reference_name_to_id(&r, repo, theirs) < 0 ||
	    git_reference_name_to_id(&l, repo, mine) < 0)
		goto out;
	git_oid_tostr(hex, sizeof(hex), &r);
	if (strcmp(hex, in->replaced_seen) == 0)
		goto out;
	memcpy(in->replaced_seen, hex, sizeof(hex));
	if (git_oid_equal(&r, &l) ||
	    git_graph_descendant_of(repo, &r, &l) == 1 ||
	    git_graph_descendant_of(repo, &l, &r) == 1)
		goto out;
	in->on_replaced(hex, in->arg);
out:
	free(theirs);
	free(mine);
}

/* Whether the session as published now was handed over (someone took it
 * with rewind run --take): told once for each publish read. */
static void
read_taken(struct share_inbox *in, git_repository *repo)
{
	char *ref = xasprintf(SHARE_REMOTE_PREFIX "%s", in->id);
	git_oid oid;
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_blob *blob = NULL;
	const git_tree_entry *e;
	char hex[41], *to;
	uint64_t seq = 0;

	if (git_reference_name_to_id(&oid, repo, ref) < 0)
		goto out;
	git_oid_tostr(hex, sizeof(hex), &oid);
	if (strcmp(hex, in->taken_seen) == 0)
		goto out;
	memcpy(in->taken_seen, hex, sizeof(hex));
	if (git_commit_lookup(&c, repo, &oid) < 0 ||
	    git_commit_tree(&tree, c) < 0 ||
	    !(e = git_tree_entry_byname(tree, "journal.jsonl")) ||
	    git_blob_lookup(&blob, repo, git_tree_entry_id(e)) < 0)
		goto out;
	to = last_handover(git_blob_rawcontent(blob),
			   (size_t)git_blob_rawsize(blob), &seq);
	if (to)
		in->on_taken(to, seq, in->arg);
	free(to);
out:
	git_blob_free(blob);
	git_tree_free(tree);
	git_commit_free(c);
	free(ref);
}

static void
inbox_line(struct proc *p, int stream, const char *line, size_t len,
	   void *arg)
{
	struct share_inbox *in = arg;

	(void)p;
	if (stream == 2 && len) {
		free(in->last_err);
		in->last_err = sanitize_text(line, len);
	}
}

static void
inbox_exit(struct proc *p, const struct proc_result *res, void *arg)
{
	struct share_inbox *in = arg;

	(void)p;
	in->proc = NULL;
	free(in->why);
	in->why = NULL;
	if (res->exit_code != 0) {
		in->failures++;
		in->why = xstrdup(in->last_err ? in->last_err
				  : "git fetch failed");
	} else {
		in->failures = 0;
		read_inbox(in);
	}
	free(in->last_err);
	in->last_err = NULL;
	inbox_again(in);
}

static char *
inbox_fetch_command(const struct share_inbox *in)
{
	char *gd = handoff_shell_quote(in->gitdir);
	char *rm = handoff_shell_quote(in->remote);
	char *spec = xasprintf("+%s*:%s*", in->prefix, in->prefix);
	char *sq = handoff_shell_quote(spec);
	char *cmd = xasprintf("exec git --git-dir=%s fetch --quiet "
			      "--no-write-fetch-head --prune %s %s "
			      "'+" SHARE_REF_PREFIX "%s:" SHARE_REMOTE_PREFIX
			      "%s'", gd, rm, sq, in->id, in->id);

	free(gd);
	free(rm);
	free(spec);
	free(sq);
	return cmd;
}

static void
inbox_tick(void *arg)
{
	struct share_inbox *in = arg;
	struct err err = { 0 };
	char *cmd = inbox_fetch_command(in);
	struct proc_spec spec = {
		.command = cmd, .env = share_git_env(in->gitdir),
		.new_session = 1, .timeout_us = FETCH_TIMEOUT_US,
		.stdin_null = 1, .on_line = inbox_line, .on_exit = inbox_exit,
		.arg = in,
	};

	in->timer = 0;
	in->proc = runner_spawn(in->runner, &spec, &err);
	free(cmd);
	if (!in->proc) {
		in->failures++;
		free(in->why);
		in->why = xstrdup(err.msg);
		inbox_again(in);
	}
}

struct share_inbox *
share_inbox_start(struct loop *l, struct runner *runner, const char *gitdir,
		  const char *remote, const char *id, share_inbox_cb cb,
		  void *arg)
{
	struct share_inbox *in = xcalloc(1, sizeof(*in));

	in->loop = l;
	in->runner = runner;
	if (!runner) {
		struct err err = { 0 };

		in->runner = in->own_runner = runner_new(l, &err);
		if (!in->runner) {
			free(in);
			return NULL;
		}
	}
	in->gitdir = xstrdup(gitdir);
	in->remote = xstrdup(remote);
	in->id = xstrdup(id);
	in->prefix = xasprintf(SHARE_INBOX_PREFIX "%s/", id);
	in->cb = cb;
	in->arg = arg;
	in->timer = loop_add_timer(l, 0, inbox_tick, in);
	return in;
}

void
share_inbox_on_taken(struct share_inbox *in, share_taken_cb cb)
{
	if (in)
		in->on_taken = cb;
}

void
share_inbox_on_replaced(struct share_inbox *in, share_replaced_cb cb)
{
	if (in)
		in->on_replaced = cb;
}

const char *
share_inbox_failing(const struct share_inbox *in)
{
	return in ? in->why : NULL;
}

void
share_inbox_free(struct share_inbox *in)
{
	if (!in)
		return;
	if (in->timer)
		loop_cancel_timer(in->loop, in->timer);
	if (in->proc)
		runner_cancel(in->proc);
	runner_free(in->own_runner);
	for (size_t i = 0; i < in->n_seen; i++)
		free(in->seen[i]);
	free(in->seen);
	free(in->gitdir);
	free(in->remote);
	free(in->id);
	free(in->prefix);
	free(in->why);
	free(in->last_err);
	free(in);
}
