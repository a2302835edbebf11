/* Growable byte strings, always NUL-terminated. */
#ifndef REWIND_CORE_STRBUF_H
#define REWIND_CORE_STRBUF_H

#include <stddef.h>

struct err;

struct strbuf {
	char *buf;	/* NUL-terminated; NULL until the first append */
	size_t len;
	size_t cap;
};

#define STRBUF_INIT { NULL, 0, 0 }

/* Make SB empty without memory. */
void strbuf_init(struct strbuf *sb);
/* Release SB's memory (SB may be NULL) and leave it empty. */
void strbuf_done(struct strbuf *sb);
/* Truncate to zero length, keeping the allocation. */
void strbuf_reset(struct strbuf *sb);
/* Append N bytes of DATA (which may hold NULs). */
void strbuf_add(struct strbuf *sb, const void *data, size_t n);
/* Append a C string. */
void strbuf_adds(struct strbuf *sb, const char *s);
/* Append one byte. */
void strbuf_addc(struct strbuf *sb, char c);
/* Append printf-style text. */
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Append the contents of the file at PATH, failing with ERR_IO when it
 * cannot be read or holds more than MAX bytes (0 = no limit); returns 0 or
 * -1 (SB then holds what was read before the failure). */
int strbuf_read_file(struct strbuf *sb, const char *path, size_t max,
		     struct err *err);

/* Return the contents as a C string ("" when empty), borrowed. */
const char *strbuf_str(const struct strbuf *sb);
/* Hand the buffer to the caller (never NULL) and leave SB empty. */
char *strbuf_detach(struct strbuf *sb);

#endif
