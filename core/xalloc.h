/* Allocation that never returns NULL, and the fatal hook that restores the
 * terminal before an abort. */
#ifndef REWIND_CORE_XALLOC_H
#define REWIND_CORE_XALLOC_H

#include <stddef.h>

typedef void (*fatal_hook_cb)(void);

/* Install HOOK to run once before any fatal abort (e.g. to end curses). */
void fatal_set_hook(fatal_hook_cb hook);

/* Print "rewind: fatal: MSG" to stderr after running the hook, then abort. */
void fatal(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

/* Allocators: like their libc namesakes but abort through fatal() instead
 * of returning NULL; the caller owns and frees the result. */
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* A copy of S, or NULL when S is NULL. */
char *xstrdup_or_null(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Abort with file and line: for broken invariants, never for bad input. */
#define BUG(msg) fatal("BUG at %s:%d: %s", __FILE__, __LINE__, (msg))

#endif
