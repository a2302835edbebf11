/* Limits on a regular expression from a playbook, checked before regcomp:
 * glibc compiles counted repetition by copying, so a short pattern can
 * take minutes and gigabytes to compile. */
#ifndef REWIND_CORE_RELIMIT_H
#define REWIND_CORE_RELIMIT_H

struct err;

#define RELIMIT_MAX_LEN 1024	/* bytes */
#define RELIMIT_MAX_DEPTH 16	/* groups inside groups */
#define RELIMIT_MAX_COUNT 1000	/* the largest bound in {m,n} */
#define RELIMIT_MAX_PRODUCT 1000	/* counts nested in counts, multiplied */
#define RELIMIT_MAX_RUN 2	/* repetition operators in a row */

/* Check extended regular expression PATTERN against the limits above.
 * Returns 0, or -1 with ERR_INVALID and a message naming the limit; a
 * pattern that passes may still be refused by regcomp. */
int relimit_check(const char *pattern, struct err *err);

/* A copy of PATTERN (which passed relimit_check) with every counted
 * repetition cut to at most one: "x{2,200}" becomes "x{1,1}". regcomp
 * accepts the copy exactly when it accepts PATTERN, and compiles it in a
 * fraction of the time, so a playbook's patterns can be checked at load
 * and compiled when first used. NULL when out of memory; caller frees. */
char *relimit_shrunk(const char *pattern);

#endif
