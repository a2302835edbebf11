/* Writer of asciicast v2 files: the recorded output of one step run, with
 * timing, playable with `asciinema play` and read back by replay. */
#ifndef REWIND_CORE_CAST_H
#define REWIND_CORE_CAST_H

#include <stddef.h>
#include <stdint.h>

struct err;
struct cast;

/* Create PATH (mode 0600, truncating) and write the header line naming
 * COMMAND and the start time WALL_US. Returns NULL with ERR_IO. */
struct cast *cast_open(const char *path, const char *command,
		       int64_t wall_us, struct err *err);

/* Buffer an output event of LEN bytes of TEXT at T_US µs after the start
 * (a line ending is added as "\r\n" when NEWLINE). Returns 0 or -1. */
int cast_write(struct cast *c, int64_t t_us, const char *text, size_t len,
	       int newline);

/* Flush, fdatasync and close; frees C (may be NULL). Returns 0 or -1. */
int cast_close(struct cast *c, struct err *err);

#endif
