/* Names of people (the operator, approvers) as the session compares and
 * records them: one normal form, and one key built from Unicode's
 * confusables (UTS #39, through ICU), so a look-alike or a stray blank
 * cannot pass for someone else or for a different person. */
#ifndef REWIND_CORE_IDENTITY_H
#define REWIND_CORE_IDENTITY_H

struct err;

/* NAME in its normal form: Unicode NFKC (fullwidth letters become plain
 * ones), leading and trailing blanks removed, every inner run of blanks
 * one space. Refuses (NULL, ERR_INVALID, the message starting with WHAT,
 * e.g. "--as") an empty name, bytes that are not UTF-8, and control and
 * invisible characters (zero-width, bidi controls, soft hyphen, BOM...),
 * naming the character and where it is, and a word whose letters mix
 * scripts (a Cyrillic "а" in "аlice"). Caller frees the result. */
/* The login name of the user running this process ($USER, else the
 * password database), or "operator" when neither has one; borrowed. */
const char *identity_login(void);

/* The real login of this process: the password database's name for
 * getuid() (never $USER, which anyone can set), or "uid N" when it has
 * none; borrowed. */
const char *identity_real_login(void);

char *identity_normalize(const char *name, const char *what,
			 struct err *err);

/* Whether A and B name the same person, or look so alike that a reader
 * would take one for the other: their keys (below) meet, the name taken
 * as typed or case-folded first (so a capital and its small letter are
 * one person even where Unicode's confusables map them apart, as Greek
 * eta). Every place that compares people's names compares them so. A
 * name that cannot be normalised is compared as given. */
int identity_same(const char *a, const char *b);

/* NAME's key: normalised, then mapped round after round, until it stops
 * changing, by its Unicode TS #39 confusable skeleton (ICU's spoof
 * checker: Greek, Cyrillic, Cherokee, mathematical... look-alikes to
 * their prototype) and case folding, with stricter rules of ours on top
 * where the data is weaker than a glance (a Latin small capital, barred,
 * hooked or stroked letter is the plain letter its Unicode name says;
 * "ᴉ" and "¡" are i); then marks (accents) dropped, i, l, I, 1 and |
 * all written l (one shape at a glance), spacing and punctuation left
 * out. Caller frees. */
char *identity_skeleton(const char *name);

/* TYPED, a name as someone typed it, for quoting in a refusal: blanks
 * around it dropped, nothing else changed (so "ｉｃ" stays fullwidth),
 * control characters and bad bytes made visible (sanitize.h). Caller
 * frees. */
char *identity_as_typed(const char *typed);

/* NAME as shown to a reader: as is when its letters are Latin (or it has
 * none), else followed by a marker naming its scripts ("алиса [Cyrillic
 * letters]"), so no one takes it for ASCII. Caller frees. */
char *identity_display(const char *name);

#endif
