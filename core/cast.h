/* Writer of asciicast v2 files: the recorded output of one step run, with
 * timing, playable with `asciinema play` and read back by replay. */
#ifndef REWIND_CORE_CAST_H
#define REWIND_CORE_CAST_H

#include <stddef.h>
#include <stdint.h>

struct err;
struct cast;

/* Create PATH (mode 0600, truncating; an existing regular file is reset
 * to 0600) and write the header line naming COMMAND (stored as given, so
 * redact it first) and the start time WALL_US, so that even a run whose
 * recorder dies leaves a valid cast. Returns NULL with ERR_IO. */
struct cast *cast_open(const char *path, const char *command,
		       int64_t wall_us, struct err *err);

/* Buffer the output event [T_US µs, "o", TEXT] for LEN bytes of TEXT,
 * with "\r\n" appended when NEWLINE; invalid UTF-8 becomes U+FFFD. Returns
 * -1 once a write to the file has failed (disk full): from then on every
 * write is a no-op, and cast_close reports the error. */
int cast_write(struct cast *c, int64_t t_us, const char *text, size_t len,
	       int newline);

/* One output event holding several lines: TEXT's newlines become "\r\n"
 * and one more ends it (a terminal shows exactly those lines). */
int cast_write_lines(struct cast *c, int64_t t_us, const char *text,
		     size_t len);

/* Write what is buffered (no fdatasync): from then on a reader of the
 * file sees every event written so far. Returns -1 once a write failed. */
int cast_flush(struct cast *c);

/* Flush, fdatasync and close; frees C (may be NULL). Returns -1 with
 * ERR_IO if any write or the sync failed. */
int cast_close(struct cast *c, struct err *err);

/* cast_close without the fdatasync, for callers on the event loop, which
 * must not wait for the disk. */
int cast_close_nosync(struct cast *c, struct err *err);

/* Called for one output line read back from a cast file: its time in µs
 * since the run started, and its LEN bytes of TEXT (no newline, no
 * trailing \r; borrowed for the call). */
typedef void (*cast_line_cb)(int64_t t_us, const char *text, size_t len,
			     void *arg);

/* Read the cast file at PATH (at most MAX bytes) and call CB for each line
 * of its output events, oldest first; the header and other event kinds
 * are skipped. Returns the number of lines, or -1 with ERR_IO naming the
 * path when it cannot be read. */
long cast_each_line(const char *path, size_t max, cast_line_cb cb,
		    void *arg, struct err *err);

/* Follow a cast being written: read the file at PATH from byte *OFFSET
 * (at most MAX bytes) and call CB for each line of the whole event lines
 * found there (a line not yet ended by its newline waits), then move
 * *OFFSET past them. Returns the number of lines, or -1 with ERR_IO
 * naming the path when it cannot be read. */
long cast_follow(const char *path, uint64_t *offset, size_t max,
		 cast_line_cb cb, void *arg, struct err *err);

/* The file descriptor C writes to, or -1 for NULL (a drainer keeps it
 * open when it closes everything else). */
int cast_fd(const struct cast *c);

#endif
