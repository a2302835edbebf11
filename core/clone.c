/* Throwaway clones for drills, and the read-only rule for the commands
 * allowed to run in them. The clone is made with libgit2 so that no git
 * process is spawned to make it. */
#include "config.h"
#include "clone.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "err.h"
#include "strbuf.h"
#include "xalloc.h"

#define MAX_WORDS 64

/* --- the read-only rule ------------------------------------------------------ */

struct words {
	char *w[MAX_WORDS];
	size_t n;
};

static void
words_done(struct words *ws)
{
	for (size_t i = 0; i < ws->n; i++)
		free(ws->w[i]);
	ws->n = 0;
}

static const char *const git_readers[] = {
	"log", "show", "diff", "status", "rev-parse", "describe", "ls-files",
	"shortlog", "rev-list", NULL,
};

static const char *const filters[] = {
	"head", "tail", "wc", "grep", "cat", "ls", NULL,
};

/* Options that make `git tag` / `git branch` write something. */
static const char *const ref_writers[] = {
	"-d", "-D", "-m", "-M", "-c", "-C", "-f", "-a", "-s", "-u", "-F",
	"-e", "-t", "--delete", "--move", "--copy", "--force", "--annotate",
	"--sign", "--local-user", "--message", "--file", "--edit", "--track",
	"--set-upstream-to", "--unset-upstream", "--edit-description",
	"--create-reflog", NULL,
};

static int
in_list(const char *const *list, const char *word)
{
	for (; *list; list++)
		if (strcmp(*list, word) == 0)
			return 1;
	return 0;
}

static int
is_writer_option(const char *arg)
{
	size_t len = strcspn(arg, "=");
	char *name = xstrndup(arg, len);
	int bad = in_list(ref_writers, name);

	/* Combined short options such as -fa. */
	if (!bad && arg[0] == '-' && arg[1] != '-')
		for (const char *p = arg + 1; *p && !bad; p++)
			bad = strchr("dDmMcCfasuFet", *p) != NULL;
	free(name);
	return bad;
}

/* `git tag` and `git branch` only list: no writing option, and names
 * only as patterns after -l / --list. */
static int
ref_lister_ok(const struct words *ws, size_t first, char *why, size_t size)
{
	int list = 0, names = 0;

	for (size_t i = first; i < ws->n; i++) {
		const char *a = ws->w[i];

		if (strcmp(a, "-l") == 0 || strcmp(a, "--list") == 0)
			list = 1;
		else if (a[0] != '-')
			names = 1;
		else if (is_writer_option(a)) {
			snprintf(why, size, "git %s %s changes refs",
				 ws->w[first - 1], a);
			return 0;
		}
	}
	if (names && !list) {
		snprintf(why, size, "git %s with a name creates it (list with "
			 "-l)", ws->w[first - 1]);
		return 0;
	}
	return 1;
}

static int
git_ok(const struct words *ws, char *why, size_t size)
{
	const char *sub = ws->n > 1 ? ws->w[1] : "";

	for (size_t i = 1; i < ws->n; i++) {
		if (strncmp(ws->w[i], "--output", 8) == 0 ||
		    strcmp(ws->w[i], "--ext-diff") == 0) {
			snprintf(why, size, "git %s %s writes or runs more",
				 sub, ws->w[i]);
			return 0;
		}
	}
	if (in_list(git_readers, sub))
		return 1;
	if (strcmp(sub, "tag") == 0 || strcmp(sub, "branch") == 0)
		return ref_lister_ok(ws, 2, why, size);
	snprintf(why, size, "git %s is not one of the read-only git commands "
		 "(log, show, diff, status, rev-parse, describe, ls-files, "
		 "shortlog, rev-list, tag -l, branch --list)", sub);
	return 0;
}

static int
simple_ok(const struct words *ws, char *why, size_t size)
{
	if (ws->n == 0) {
		snprintf(why, size, "an empty command");
		return 0;
	}
	if (strcmp(ws->w[0], "git") == 0)
		return git_ok(ws, why, size);
	if (!in_list(filters, ws->w[0])) {
		snprintf(why, size, "%s is not a read-only command (git's "
			 "listing commands, head, tail, wc, grep, cat, ls)",
			 ws->w[0]);
		return 0;
	}
	for (size_t i = 1; i < ws->n; i++) {
		if (strcmp(ws->w[0], "tail") == 0 &&
		    (strcmp(ws->w[i], "-f") == 0 || strcmp(ws->w[i], "-F") == 0)) {
			snprintf(why, size, "tail %s never ends", ws->w[i]);
			return 0;
		}
	}
	return 1;
}

/* Length of the operator at P that ends a simple command (|, ||, &&, ;),
 * 0 when P holds none, -1 for a character that is refused outright. */
static int
operator_len(const char *p)
{
	if ((p[0] == '|' && p[1] == '|') || (p[0] == '&' && p[1] == '&'))
		return 2;
	if (p[0] == '|' || p[0] == ';')
		return 1;
	if (strchr("&<>()`\n", p[0]))
		return -1;
	return 0;
}

struct scan {
	struct words ws;
	struct strbuf word;
	int in_word;
};

static void
end_word(struct scan *sc)
{
	if (!sc->in_word)
		return;
	if (sc->ws.n < MAX_WORDS)
		sc->ws.w[sc->ws.n++] = strbuf_detach(&sc->word);
	else
		strbuf_done(&sc->word);
	sc->in_word = 0;
}

/* Copy a quoted part starting at *P (on the quote) into the word. */
static int
quoted(struct scan *sc, const char **p, char *why, size_t size)
{
	char q = **p;
	const char *s = *p + 1;

	for (; *s && *s != q; s++) {
		if (q == '"' && (*s == '`' || (s[0] == '$' && s[1] == '('))) {
			snprintf(why, size, "command substitution");
			return -1;
		}
		if (q == '"' && *s == '\\' && s[1])
			s++;
		strbuf_addc(&sc->word, *s);
	}
	if (!*s) {
		snprintf(why, size, "an unterminated quote");
		return -1;
	}
	sc->in_word = 1;
	*p = s + 1;
	return 0;
}

static int
check_and_reset(struct scan *sc, char *why, size_t size)
{
	int ok;

	end_word(sc);
	ok = simple_ok(&sc->ws, why, size);
	words_done(&sc->ws);
	return ok;
}

static int
scan_command(struct scan *sc, const char *p, char *why, size_t size)
{
	while (*p) {
		int op = operator_len(p);

		if (op < 0 || (p[0] == '$' && p[1] == '(')) {
			snprintf(why, size, "'%c' (redirection, substitution or "
				 "background job)", p[0]);
			return 0;
		}
		if (op > 0) {
			if (!check_and_reset(sc, why, size))
				return 0;
			p += op;
		} else if (*p == '\'' || *p == '"') {
			if (quoted(sc, &p, why, size) < 0)
				return 0;
		} else if (*p == ' ' || *p == '\t') {
			end_word(sc);
			p++;
		} else {
			strbuf_addc(&sc->word, *p++);
			sc->in_word = 1;
		}
	}
	return check_and_reset(sc, why, size);
}

int
clone_command_is_read_only(const char *command, char *why, size_t size)
{
	struct scan sc = { .word = STRBUF_INIT };
	int ok = scan_command(&sc, command, why, size);

	end_word(&sc);
	words_done(&sc.ws);
	strbuf_done(&sc.word);
	return ok;
}

/* --- making and removing the clone ------------------------------------------- */

static int
git_fail(struct err *err, enum err_code code, const char *what,
	 const char *path)
{
	const git_error *e = git_error_last();

	return err_set(err, code, "%s %s: %s", what, path,
		       e && e->message ? e->message : "libgit2 error");
}

static int
drop_remotes(git_repository *repo, const char *path, struct err *err)
{
	git_strarray names = { 0 };
	int rc = 0;

	if (git_remote_list(&names, repo) < 0)
		return git_fail(err, ERR_IO, "list remotes of", path);
	for (size_t i = 0; i < names.count && rc == 0; i++)
		if (git_remote_delete(repo, names.strings[i]) < 0)
			rc = git_fail(err, ERR_IO, "remove remote of", path);
	git_strarray_dispose(&names);
	return rc;
}

/* An absolute path even for a relative $TMPDIR: commands run with the
 * clone as their working directory and git pinned to it by path. */
static char *
new_clone_dir(struct err *err)
{
	const char *tmp = getenv("TMPDIR");
	char *dir = xasprintf("%s/rewind-drill-XXXXXX",
			      tmp && *tmp ? tmp : "/tmp");
	char *abs;

	if (!mkdtemp(dir)) {
		err_set(err, ERR_IO, "cannot create %s: %s", dir,
			strerror(errno));
		free(dir);
		return NULL;
	}
	abs = realpath(dir, NULL);
	if (!abs) {
		err_set(err, ERR_IO, "cannot resolve %s: %s", dir,
			strerror(errno));
		rmdir(dir);
	}
	free(dir);
	return abs;
}

static int
clone_into(const char *src, const char *dir, struct err *err)
{
	git_clone_options opts;
	git_repository *check = NULL, *repo = NULL;
	int rc;

	git_clone_options_init(&opts, GIT_CLONE_OPTIONS_VERSION);

	if (git_repository_open_ext(&check, src,
				    GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0)
		return git_fail(err, ERR_NOTFOUND, "no repository at", src);
	git_repository_free(check);
	opts.local = GIT_CLONE_LOCAL_NO_LINKS;
	if (git_clone(&repo, src, dir, &opts) < 0)
		return git_fail(err, ERR_IO, "clone", src);
	rc = drop_remotes(repo, dir, err);
	git_repository_free(repo);
	return rc;
}

/* --- clones left behind by a drill that was killed --------------------------- */

#define OWNER_FILE ".git/rewind-owner"

/* When process PID started (clock ticks after boot, from /proc), so that
 * a reused pid is not taken for the owner; 0 when unknown. */
static unsigned long long
process_start(pid_t pid)
{
	char *path = xasprintf("/proc/%ld/stat", (long)pid);
	struct strbuf sb = STRBUF_INIT;
	unsigned long long start = 0;
	const char *p;

	if (strbuf_read_file(&sb, path, 4096, NULL) == 0 &&
	    (p = strrchr(strbuf_str(&sb), ')'))) {
		/* after the name: state, then 18 fields, then the start */
		if (sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u "
			   "%*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
			   &start) != 1)
			start = 0;
	}
	strbuf_done(&sb);
	free(path);
	return start;
}

/* Mark DIR as this process's clone: "PID START". */
static void
write_owner(const char *dir)
{
	char *path = xasprintf("%s/" OWNER_FILE, dir);
	FILE *f = fopen(path, "w");

	if (f) {
		fprintf(f, "%ld %llu\n", (long)getpid(),
			process_start(getpid()));
		fclose(f);
	}
	free(path);
}

/* Whether the clone at DIR has an owner mark and its owner is gone. A
 * clone without a mark is being made, or is not ours: it stays. */
static int
owner_is_gone(const char *dir)
{
	char *path = xasprintf("%s/" OWNER_FILE, dir);
	FILE *f = fopen(path, "r");
	long pid = 0;
	unsigned long long start = 0;
	int n = f ? fscanf(f, "%ld %llu", &pid, &start) : 0;

	if (f)
		fclose(f);
	free(path);
	if (n < 1 || pid <= 0)
		return 0;
	if (kill((pid_t)pid, 0) < 0)
		return errno == ESRCH;
	return n == 2 && start && process_start((pid_t)pid) != start;
}

void
clone_sweep_stale(void)
{
	const char *tmp = getenv("TMPDIR");
	const char *base = tmp && *tmp ? tmp : "/tmp";
	DIR *d = opendir(base);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		char *dir;
		struct stat st;

		if (strncmp(e->d_name, "rewind-drill-", 13) != 0)
			continue;
		dir = xasprintf("%s/%s", base, e->d_name);
		if (lstat(dir, &st) == 0 && S_ISDIR(st.st_mode) &&
		    st.st_uid == getuid() && owner_is_gone(dir))
			clone_remove(dir, NULL);
		free(dir);
	}
	if (d)
		closedir(d);
}

char *
clone_make(const char *src, struct err *err)
{
	char *dir;
	int rc;

	clone_sweep_stale();
	dir = new_clone_dir(err);
	if (!dir)
		return NULL;
	git_libgit2_init();
	rc = clone_into(src, dir, err);
	git_libgit2_shutdown();
	if (rc == 0)
		write_owner(dir);
	if (rc < 0) {
		clone_remove(dir, NULL);
		free(dir);
		return NULL;
	}
	return dir;
}

static int
remove_entries(const char *dir, struct err *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int rc = 0;

	if (!d)
		return err_set(err, ERR_IO, "cannot open %s: %s", dir,
			       strerror(errno));
	while ((e = readdir(d)) && rc == 0) {
		char *path;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		path = xasprintf("%s/%s", dir, e->d_name);
		rc = clone_remove(path, err);
		free(path);
	}
	closedir(d);
	return rc;
}

int
clone_remove(const char *path, struct err *err)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : err_set(err, ERR_IO, "cannot stat "
						      "%s: %s", path,
						      strerror(errno));
	if (S_ISDIR(st.st_mode)) {
		/* Git marks objects read-only; the directory must be
		 * writable to unlink them. */
		chmod(path, 0700);
		if (remove_entries(path, err) < 0)
			return -1;
		if (rmdir(path) < 0)
			return err_set(err, ERR_IO, "cannot remove %s: %s",
				       path, strerror(errno));
		return 0;
	}
	if (unlink(path) < 0)
		return err_set(err, ERR_IO, "cannot remove %s: %s", path,
			       strerror(errno));
	return 0;
}
