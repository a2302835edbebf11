/* The throwaway clone of a drill: a local copy of the target repository
 * (libgit2, no hard links, remotes removed) in which a step that opted in
 * runs its read-only command for real, and the rule of what read-only
 * means. */
#ifndef REWIND_CORE_CLONE_H
#define REWIND_CORE_CLONE_H

#include <stddef.h>

struct err;

/* Whether COMMAND only reads: every simple command of it (separated by
 * |, ||, && or ;) is a listing git command (log, show, diff, status,
 * rev-parse, describe, ls-files, shortlog, rev-list, tag or branch in
 * their list forms) or head, tail, wc, grep, cat, ls; no redirection, no
 * substitution, no background job. Returns 1, or 0 with the reason in
 * WHY (SIZE bytes). */
int clone_command_is_read_only(const char *command, char *why, size_t size);

/* Clone the repository at SRC (not searched upwards) into a new
 * directory "rewind-drill-XXXXXX" under $TMPDIR (or /tmp), check out its
 * HEAD, delete its remotes and mark it with this process as its owner. Returns the clone's absolute path (caller
 * frees), or NULL with ERR_NOTFOUND (SRC is no repository) or ERR_IO. */
char *clone_make(const char *src, struct err *err);

/* Remove the clones under $TMPDIR (or /tmp) that a drill of this user
 * left behind when it was killed: those whose owner process is gone.
 * clone_make does it before making a new one. */
void clone_sweep_stale(void);

/* Remove DIR and everything below it (symbolic links are not followed).
 * Returns 0, or -1 with ERR_IO naming the first path that resisted. */
int clone_remove(const char *dir, struct err *err);

#endif
