/* Names of people (the operator, approvers) as the session compares and
 * records them: one normal form, so a look-alike or a stray blank cannot
 * pass for someone else or for a different person. */
#ifndef REWIND_CORE_IDENTITY_H
#define REWIND_CORE_IDENTITY_H

struct err;

/* NAME in its normal form: Unicode NFKC (fullwidth letters become plain
 * ones), leading and trailing blanks removed, every inner run of blanks
 * one space. Refuses (NULL, ERR_INVALID, the message starting with WHAT,
 * e.g. "--as") an empty name, bytes that are not UTF-8, and control and
 * invisible characters (zero-width, bidi controls, soft hyphen, BOM...),
 * naming the character and where it is. Caller frees the result. */
/* The login name of the user running this process ($USER, else the
 * password database), or "operator" when neither has one; borrowed. */
const char *identity_login(void);

/* The real login of this process: the password database's name for
 * getuid() (never $USER, which anyone can set), or "uid N" when it has
 * none; borrowed. */
const char *identity_real_login(void);

char *identity_normalize(const char *name, const char *what,
			 struct err *err);

/* Whether A and B name the same person: equal once normalised and
 * case-folded (Unicode full case folding). A name that cannot be
 * normalised is compared as given, case-folded. */
int identity_same(const char *a, const char *b);

#endif
