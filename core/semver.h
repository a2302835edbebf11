/* Semantic Versioning 2.0 precedence for tag and package versions: parsing
 * ("v1.2.3-rc.1+build", with an optional v/V prefix) and ordering, where a
 * pre-release sorts below its release and build metadata is ignored. */
#ifndef REWIND_CORE_SEMVER_H
#define REWIND_CORE_SEMVER_H

#include <stddef.h>
#include <stdint.h>

/* A parsed version; PRE points into the parsed string (borrowed). */
struct semver {
	uint64_t major, minor, patch;
	const char *pre;	/* pre-release identifiers, NULL when none */
	size_t pre_len;		/* bytes of PRE, up to '+' or the end */
};

/* Parse S as a SemVer 2.0 version (an optional leading 'v' or 'V' is
 * allowed); returns 1 and fills OUT (which may be NULL) when S is one,
 * 0 when it is not (leading zeros, empty identifiers, overflow...). */
int semver_parse(const char *s, struct semver *out);

/* Whether V has a pre-release part as SemVer writes it: a hyphen right
 * after the leading numbers and dots ("1.3.0-beta.1", "v2.0.0-rc.1";
 * "+build" is not one), whether or not V parses strictly. */
int semver_is_prerelease(const char *v);

/* Compare two parsed versions by precedence: <0, 0 or >0. */
int semver_cmp(const struct semver *a, const struct semver *b);

/* Compare version strings A and B by SemVer precedence (<0, 0, >0); a
 * semver string sorts above any non-semver one, and two non-semver
 * strings compare with strcmp. Never fails. */
int semver_compare(const char *a, const char *b);

#endif
