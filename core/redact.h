/* Secret values and their removal from text: wherever a secret would be
 * shown or stored (command output, cast files, journal payloads) it reads
 * REDACT_MASK instead. */
#ifndef REWIND_CORE_REDACT_H
#define REWIND_CORE_REDACT_H

#include <stddef.h>

#define REDACT_MASK "********"

/* A secret shorter than this many bytes is masked only where it stands as
 * a whole word (nothing of a word glued to it), never inside other
 * words: masking a two-letter password inside "about" would garble every
 * line and say where the secret occurs. */
#define REDACT_MIN_SUBSTRING 6

struct redact;

/* Create an empty set of secrets; the caller frees it with redact_free.
 * Never fails. */
struct redact *redact_new(void);

/* Create a set that also masks PARENT's secrets, including those added to
 * PARENT later; PARENT is borrowed and must outlive the result, and a
 * chain may be at most four sets deep. Never fails. */
struct redact *redact_new_child(const struct redact *parent);

/* Free RD (may be NULL); its children must be freed first. */
void redact_free(struct redact *rd);

/* Add VALUE (copied; NULL and "" are ignored) as a secret. A value with
 * newlines is added line by line, so it is masked in text that is
 * redacted one line at a time, too. */
void redact_add(struct redact *rd, const char *value);

/* Add the value of ENTRY ("NAME=VALUE") when NAME looks like a secret's
 * (redact_is_secret_name); other entries are ignored. */
void redact_add_env_entry(struct redact *rd, const char *entry);

/* redact_add_env_entry for every entry of ENVP (NULL-ended, may be NULL),
 * such as environ. */
void redact_add_env(struct redact *rd, char *const *envp);

/* Whether NAME (may be NULL) contains TOKEN, SECRET, PASSWORD or AUTH,
 * ignoring case; AUTH inside AUTHOR does not count (GIT_AUTHOR_NAME is
 * not a secret), AUTHORIZATION does. */
int redact_is_secret_name(const char *name);

/* Return a NUL-ended copy of LEN bytes of TEXT (caller frees) in which
 * every secret of RD (may be NULL) is replaced by REDACT_MASK, longest
 * first so a secret containing another goes whole, one shorter than
 * REDACT_MIN_SUBSTRING only as a whole word; *OUT_LEN (may be
 * NULL) gets its length. Never fails. */
char *redact_apply(const struct redact *rd, const char *text, size_t len,
		   size_t *out_len);

/* redact_apply for the C string S (caller frees the result). */
char *redact_apply_str(const struct redact *rd, const char *s);

/* redact_apply without the copy, for hot paths: returns TEXT itself when
 * no secret occurs in its LEN bytes, else a NUL-ended buffer owned by RD
 * and valid until the next call on RD, and sets *LEN to its length.
 * Never fails. */
const char *redact_line(struct redact *rd, const char *text, size_t *len);

#endif
