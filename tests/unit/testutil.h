/* Helpers shared by unit tests: temporary directories and files. */
#ifndef REWIND_TESTS_TESTUTIL_H
#define REWIND_TESTS_TESTUTIL_H

#include <stddef.h>

/* Create a fresh private directory under $TMPDIR (or /tmp); caller frees
 * the returned path. Removed by tu_rmtree. Aborts the test on failure. */
char *tu_mkdtemp(void);

/* Remove PATH and everything below it. */
void tu_rmtree(const char *path);

/* Write LEN bytes of DATA to DIR/NAME; returns the full path (caller frees). */
char *tu_write_file(const char *dir, const char *name, const char *data,
		    size_t len);

/* Read the whole file at PATH (NUL-terminated, *LEN set when not NULL);
 * caller frees; NULL if it can't be read. */
char *tu_read_file(const char *path, size_t *len);

/* Path of a file under the source tree's tests/fixtures (caller frees);
 * uses $REWIND_SRCDIR, falling back to the compile-time source dir. */
char *tu_fixture(const char *rel);

#endif
