/* Signing and checking a sign-off request with an ssh key, as git signs
 * commits with gpg.format=ssh: ssh-keygen -Y sign / find-principals /
 * verify, under the namespace "rewind-approval", against an allowed
 * signers file in git's format (gpg.ssh.allowedSignersFile). */
#include "config.h"
#include "sshsig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "handoff.h"
#include "sanitize.h"
#include "xalloc.h"

#define NAMESPACE "rewind-approval"
#define SIG_MAX (64 * 1024)

/* A private folder for the files ssh-keygen reads and writes; NULL with
 * ERR. */
static char *
scratch(struct err *err)
{
	const char *tmp = getenv("TMPDIR");
	char *dir = xasprintf("%s/rewind-sig.XXXXXX", tmp && *tmp ? tmp
			      : "/tmp");

	if (mkdtemp(dir))
		return dir;
	err_set(err, ERR_SYS, "%s: %s", dir, strerror(errno));
	free(dir);
	return NULL;
}

static void
scratch_done(char *dir)
{
	static const char *const names[] = { "data", "data.sig", NULL };

	for (int i = 0; names[i]; i++) {
		char *p = xasprintf("%s/%s", dir, names[i]);

		unlink(p);
		free(p);
	}
	rmdir(dir);
	free(dir);
}

static int
write_file(const char *path, const char *data, size_t len, struct err *err)
{
	FILE *f = fopen(path, "w");

	if (!f || fwrite(data, 1, len, f) != len) {
		err_set(err, ERR_SYS, "%s: %s", path, strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	return fclose(f) == 0 ? 0 : err_set(err, ERR_SYS, "%s: %s", path,
					    strerror(errno));
}

/* The whole of file PATH (at most SIG_MAX bytes), or NULL. */
static char *
read_small(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = xmalloc(SIG_MAX + 1);
	size_t n = f ? fread(buf, 1, SIG_MAX, f) : 0;

	if (f)
		fclose(f);
	if (!n || n == SIG_MAX) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

/* Run shell command CMD (its words quoted by the caller); its first line
 * of output in FIRST (when not NULL), its last line of errors in ERR's
 * words. 0 when it exited 0. */
static int
run(const char *cmd, char *first, size_t size, struct err *err,
    const char *what)
{
	char *full = xasprintf("%s 2>&1", cmd), line[512], last[512] = "";
	FILE *p = popen(full, "r");
	int got = 0;

	free(full);
	if (!p)
		return err_set(err, ERR_SYS, "%s: %s", what, strerror(errno));
	while (fgets(line, sizeof(line), p)) {
		line[strcspn(line, "\n")] = '\0';
		if (first && !got++)
			snprintf(first, size, "%s", line);
		if (line[0])
			snprintf(last, sizeof(last), "%s", line);
	}
	if (pclose(p) == 0)
		return 0;
	{
		char *safe = sanitize_text(last, strlen(last));

		err_set(err, ERR_STATE, "%s: %s", what, safe[0] ? safe
			: "ssh-keygen failed");
		free(safe);
	}
	return -1;
}

int
sshsig_sign(const char *key, const char *data, size_t len, char **sig,
	    struct err *err)
{
	char *dir = scratch(err), *path, *qk, *qp, *cmd;
	int rc;

	*sig = NULL;
	if (!dir)
		return -1;
	path = xasprintf("%s/data", dir);
	qk = handoff_shell_quote(key);
	qp = handoff_shell_quote(path);
	cmd = xasprintf("exec ssh-keygen -q -Y sign -n " NAMESPACE
			" -f %s %s </dev/null", qk, qp);
	rc = write_file(path, data, len, err);
	if (rc == 0)
		rc = run(cmd, NULL, 0, err, "signing the request with the "
			 "ssh key of user.signingKey");
	if (rc == 0) {
		char *sp = xasprintf("%s.sig", path);

		*sig = read_small(sp);
		free(sp);
		if (!*sig)
			rc = err_set(err, ERR_STATE, "ssh-keygen wrote no "
				     "signature");
	}
	free(cmd);
	free(qp);
	free(qk);
	free(path);
	scratch_done(dir);
	return rc;
}

/* The principal ALLOWED names for the key that made SIGPATH; NULL with
 * ERR when none does. */
static char *
find_principal(const char *allowed, const char *sigpath, struct err *err)
{
	char *qa = handoff_shell_quote(allowed);
	char *qs = handoff_shell_quote(sigpath);
	char *cmd = xasprintf("exec ssh-keygen -Y find-principals -s %s -f %s "
			      "</dev/null", qs, qa);
	char who[256] = "";
	int rc = run(cmd, who, sizeof(who), err, "its key");

	free(cmd);
	free(qs);
	free(qa);
	if (rc == 0 && who[0])
		return xstrdup(who);
	err_clear(err);
	err_set(err, ERR_STATE, "signed with a key that %s does not list",
		allowed);
	return NULL;
}

int
sshsig_verify(const char *allowed, const char *data, size_t len,
	      const char *sig, char **principal, struct err *err)
{
	char *dir, *path, *sigpath, *who = NULL, *cmd = NULL;
	int rc = -1;

	*principal = NULL;
	if (access(allowed, R_OK) < 0)
		return err_set(err, ERR_IO, "allowed signers %s: %s", allowed,
			       strerror(errno));
	dir = scratch(err);
	if (!dir)
		return -1;
	path = xasprintf("%s/data", dir);
	sigpath = xasprintf("%s/data.sig", dir);
	if (write_file(path, data, len, err) == 0 &&
	    write_file(sigpath, sig, strlen(sig), err) == 0 &&
	    (who = find_principal(allowed, sigpath, err))) {
		char *qa = handoff_shell_quote(allowed);
		char *qw = handoff_shell_quote(who);
		char *qs = handoff_shell_quote(sigpath);
		char *qp = handoff_shell_quote(path);

		cmd = xasprintf("exec ssh-keygen -Y verify -f %s -I %s -n "
				NAMESPACE " -s %s <%s", qa, qw, qs, qp);
		rc = run(cmd, NULL, 0, err, "its signature does not verify");
		free(qp);
		free(qs);
		free(qw);
		free(qa);
	}
	if (rc == 0)
		*principal = who;
	else
		free(who);
	free(cmd);
	free(sigpath);
	free(path);
	scratch_done(dir);
	return rc;
}
