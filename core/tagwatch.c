/* The tags watcher: a worker thread reads, the loop thread polls file
 * stamps and delivers. Lists cross threads only as pointers written to a
 * pipe, so the loop thread owns every list it has read from the pipe. */
#include "config.h"

#include "tagwatch.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "err.h"
#include "loop.h"
#include "tags.h"
#include "xalloc.h"

#define MAX_WATCHED 10

struct tagwatch {
	struct loop *loop;
	char *path;
	tagwatch_cb cb;
	void *arg;
	int fds[2];			/* worker writes lists, loop reads */
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cond;
	int want_read;			/* under mu */
	int stop;			/* under mu */
	uint64_t timer;
	uint64_t stamp;			/* of the files when last read */
	char *watched[MAX_WATCHED];
	size_t n_watched;
	struct tag_list *cur;		/* the list last delivered */
};

/* --- the worker thread --------------------------------------------------- */

static void
post(struct tagwatch *w, struct tag_list *tl)
{
	ssize_t n;

	do
		n = write(w->fds[1], &tl, sizeof(tl));
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(tl))
		tag_list_free(tl);	/* the loop side is gone */
}

static int
wait_for_request(struct tagwatch *w)
{
	int stop;

	pthread_mutex_lock(&w->mu);
	while (!w->want_read && !w->stop)
		pthread_cond_wait(&w->cond, &w->mu);
	w->want_read = 0;
	stop = w->stop;
	pthread_mutex_unlock(&w->mu);
	return !stop;
}

static int
is_superseded(struct tagwatch *w)
{
	int again;

	pthread_mutex_lock(&w->mu);
	again = w->want_read || w->stop;
	pthread_mutex_unlock(&w->mu);
	return again;
}

static int
lacks_details(const struct tag_list *tl)
{
	for (size_t i = 0; i < tl->n_tags; i++)
		if (!tl->tags[i].has_details)
			return 1;
	return 0;
}

/* Quick list first (what a screen shows), then the complete one, unless
 * a newer read is already wanted. */
static void
read_once(struct tagwatch *w)
{
	struct err err = { 0 };
	struct tag_list *tl = tags_read(w->path, &err);
	struct tag_list *full = NULL;

	if (!tl) {
		post(w, tag_list_new_error(w->path, err.msg));
		return;
	}
	if (lacks_details(tl))
		full = tag_list_dup(tl);
	post(w, tl);
	if (!full || is_superseded(w) || tags_load_details(full, &err) < 0 ||
	    is_superseded(w)) {
		tag_list_free(full);
		return;
	}
	post(w, full);
}

static void *
worker(void *arg)
{
	struct tagwatch *w = arg;

	while (wait_for_request(w))
		read_once(w);
	return NULL;
}

/* --- the loop side ------------------------------------------------------- */

static void
request_read(struct tagwatch *w)
{
	pthread_mutex_lock(&w->mu);
	w->want_read = 1;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->mu);
}

static void
mix(uint64_t *h, uint64_t v)
{
	*h = (*h ^ v) * 1099511628211ULL;	/* FNV-1a over whole fields */
}

/* One number that changes when any watched file is created, removed,
 * replaced or rewritten (git writes refs through a lock file and rename,
 * which also changes the directory). */
static uint64_t
stamp_files(const struct tagwatch *w)
{
	uint64_t h = 14695981039346656037ULL;

	for (size_t i = 0; i < w->n_watched; i++) {
		struct stat st;

		if (stat(w->watched[i], &st) < 0) {
			mix(&h, (uint64_t)errno);
			continue;
		}
		mix(&h, (uint64_t)st.st_ino);
		mix(&h, (uint64_t)st.st_size);
		mix(&h, (uint64_t)st.st_mtim.tv_sec);
		mix(&h, (uint64_t)st.st_mtim.tv_nsec);
		mix(&h, (uint64_t)st.st_ctim.tv_nsec);
	}
	return h;
}

static void
watch_add(struct tagwatch *w, char *path)
{
	if (w->n_watched < MAX_WATCHED)
		w->watched[w->n_watched++] = path;
	else
		free(path);
}

static void
watch_clear(struct tagwatch *w)
{
	for (size_t i = 0; i < w->n_watched; i++)
		free(w->watched[i]);
	w->n_watched = 0;
}

/* Which files to poll follows from the last list: before a repository is
 * found, the path itself and its .git (so "git init" is noticed). */
static void
watch_files(struct tagwatch *w, const struct tag_list *tl)
{
	const char *git = tl && tl->gitdir ? tl->gitdir : NULL;
	const char *common = tl && tl->commondir ? tl->commondir : git;

	watch_clear(w);
	watch_add(w, xstrdup(w->path));
	watch_add(w, xasprintf("%s/.git", w->path));
	if (!git)
		return;
	watch_add(w, xasprintf("%s/HEAD", git));
	watch_add(w, xasprintf("%s/index", git));
	watch_add(w, xasprintf("%s/packed-refs", common));
	watch_add(w, xasprintf("%s/refs/tags", common));
	watch_add(w, xasprintf("%s/refs/heads", common));
	if (tl->branch) {
		char *ref = xasprintf("%s/refs/heads/%s", common, tl->branch);
		char *slash = strrchr(ref, '/');

		watch_add(w, xstrdup(ref));
		*slash = '\0';		/* a nested branch's own directory */
		watch_add(w, ref);
	}
}

static void
on_timer(void *arg)
{
	struct tagwatch *w = arg;
	uint64_t stamp = stamp_files(w);

	w->timer = loop_add_timer(w->loop, TAGWATCH_POLL_US, on_timer, w);
	if (stamp != w->stamp) {
		w->stamp = stamp;
		request_read(w);
	}
}

/* A failed read keeps the last good tags on screen, marked stale. */
static struct tag_list *
keep_stale(struct tagwatch *w, struct tag_list *failed)
{
	struct tag_list *stale;

	if (!w->cur || (w->cur->error && !w->cur->is_stale))
		return failed;
	stale = tag_list_dup(w->cur);
	free(stale->error);
	stale->error = xstrdup(failed->error);
	stale->is_stale = 1;
	tag_list_free(failed);
	return stale;
}

static void
deliver(struct tagwatch *w, struct tag_list *tl)
{
	if (tl->error)
		tl = keep_stale(w, tl);
	tag_list_free(w->cur);
	w->cur = tl;
	if (!tl->is_stale) {
		watch_files(w, tl);
		w->stamp = stamp_files(w);
	}
	w->cb(tl, w->arg);
}

static void
on_pipe(int fd, int events, void *arg)
{
	struct tagwatch *w = arg;
	struct tag_list *tl;

	(void)events;
	while (read(fd, &tl, sizeof(tl)) == (ssize_t)sizeof(tl))
		deliver(w, tl);
}

/* --- lifetime ------------------------------------------------------------ */

static int
open_pipe(struct tagwatch *w, struct err *err)
{
	if (pipe2(w->fds, O_CLOEXEC) < 0)
		return err_set(err, ERR_SYS, "tag watcher pipe: %s",
			       strerror(errno));
	fcntl(w->fds[0], F_SETFL, fcntl(w->fds[0], F_GETFL) | O_NONBLOCK);
	return 0;
}

struct tagwatch *
tagwatch_new(struct loop *l, const char *path, tagwatch_cb cb, void *arg,
	     struct err *err)
{
	struct tagwatch *w = xcalloc(1, sizeof(*w));
	int rc;

	w->loop = l;
	w->path = xstrdup(path);
	w->cb = cb;
	w->arg = arg;
	w->fds[0] = w->fds[1] = -1;
	if (open_pipe(w, err) < 0) {
		free(w->path);
		free(w);
		return NULL;
	}
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cond, NULL);
	/* held for the watcher's life, so each read skips libgit2's set-up */
	git_libgit2_init();
	w->want_read = 1;
	rc = pthread_create(&w->thread, NULL, worker, w);
	if (rc != 0) {
		err_set(err, ERR_SYS, "tag watcher thread: %s", strerror(rc));
		w->thread = pthread_self();
		tagwatch_free(w);
		return NULL;
	}
	loop_add_fd(l, w->fds[0], LOOP_READ, on_pipe, w);
	watch_files(w, NULL);
	w->stamp = stamp_files(w);
	w->timer = loop_add_timer(l, TAGWATCH_POLL_US, on_timer, w);
	return w;
}

void
tagwatch_refresh(struct tagwatch *w)
{
	request_read(w);
}

const struct tag_list *
tagwatch_list(const struct tagwatch *w)
{
	return w->cur;
}

static void
drain_pipe(struct tagwatch *w)
{
	struct tag_list *tl;

	while (read(w->fds[0], &tl, sizeof(tl)) == (ssize_t)sizeof(tl))
		tag_list_free(tl);
}

void
tagwatch_free(struct tagwatch *w)
{
	if (!w)
		return;
	if (w->timer)
		loop_cancel_timer(w->loop, w->timer);
	loop_del_fd(w->loop, w->fds[0]);
	pthread_mutex_lock(&w->mu);
	w->stop = 1;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->mu);
	if (!pthread_equal(w->thread, pthread_self()))
		pthread_join(w->thread, NULL);
	drain_pipe(w);
	close(w->fds[0]);
	close(w->fds[1]);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cond);
	git_libgit2_shutdown();
	watch_clear(w);
	tag_list_free(w->cur);
	free(w->path);
	free(w);
}
