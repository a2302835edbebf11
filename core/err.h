/* Error reporting for core: a code plus a human message, filled by the
 * failing function and read by the caller; there is no global buffer. */
#ifndef REWIND_CORE_ERR_H
#define REWIND_CORE_ERR_H

enum err_code {
	ERR_NONE = 0,
	ERR_IO,		/* a file or pipe operation failed */
	ERR_PARSE,	/* malformed input text (JSON, a batch line) */
	ERR_INVALID,	/* well-formed but not acceptable (schema, pattern) */
	ERR_STATE,	/* the action is not allowed in the current state */
	ERR_NOTFOUND,	/* a named step, variable, file or option is missing */
	ERR_CORRUPT,	/* stored data fails its integrity check */
	ERR_SYS,	/* a system call other than file I/O failed */
};

#define ERR_MSG_MAX 1024

struct err {
	enum err_code code;
	char msg[ERR_MSG_MAX];
};

/* Record CODE and a printf-style message in ERR (which may be NULL);
 * always returns -1 so callers can write `return err_set(...)`. */
int err_set(struct err *err, enum err_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prefix ERR's message with a printf-style context and ": "; returns -1. */
int err_prefix(struct err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Reset ERR (may be NULL) to ERR_NONE with an empty message. */
void err_clear(struct err *err);

#endif
