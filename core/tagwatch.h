/* Keeping a repository's tag list current without blocking the loop: a
 * worker thread reads with its own libgit2 repository, a loop timer polls
 * the few files that change when refs do (HEAD, packed-refs, index,
 * refs/tags, refs/heads, the branch's ref) and asks for a re-read when one
 * changed. Results come back through a pipe watched by the loop. */
#ifndef REWIND_CORE_TAGWATCH_H
#define REWIND_CORE_TAGWATCH_H

#include <stdint.h>

struct err;
struct loop;
struct tag_list;
struct tagwatch;

/* Poll interval of the ref files: changes show within twice this. */
#define TAGWATCH_POLL_US 500000

/* A new list arrived, on the loop thread. LIST is borrowed: it stays
 * valid until the next call of CB or tagwatch_free (tag_list_dup it to
 * keep it). When the repository cannot be read, LIST->error says why; if
 * an earlier read worked, LIST then holds those tags with is_stale set.
 * A large repository gets two calls: the tags with the details of the
 * first TAGS_DETAILED first, then the same with every detail. */
typedef void (*tagwatch_cb)(const struct tag_list *list, void *arg);

/* Start watching the repository at PATH (or enclosing it) on loop L; the
 * first read starts at once. ARG is borrowed. Returns NULL with ERR_SYS
 * when the pipe or the thread cannot be made. */
struct tagwatch *tagwatch_new(struct loop *l, const char *path,
			      tagwatch_cb cb, void *arg, struct err *err);

/* Ask for a re-read now, whatever the files say. */
void tagwatch_refresh(struct tagwatch *w);

/* The last list delivered, borrowed as in tagwatch_cb; NULL before the
 * first. */
const struct tag_list *tagwatch_list(const struct tagwatch *w);

/* Stop: cancel the timer, wait for a read in progress, free everything
 * (including the last list). W may be NULL. */
void tagwatch_free(struct tagwatch *w);

#endif
