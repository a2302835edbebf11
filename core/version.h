/* One total order for the version strings a registry lists, whatever
 * scheme each follows (qsort and the Registry pane need one):
 *
 * - A string that is a SemVer 2.0 version ("1.2.3", "v1.3.0-beta.1+b5":
 *   exactly three numbers, no leading zeros) is read as SemVer, even where
 *   PEP 440 would read it too ("1.0.0-r1" is a SemVer pre-release).
 * - Otherwise a string that is a PEP 440 version ("1.0", "2!1.0rc1",
 *   "1.0.post2.dev1+local", in any spelling PEP 440 normalises, such as
 *   "1.0-r1" or "1.0-beta-2") is read as PEP 440.
 * - Anything else is "other": its leading dotted numbers ("1.0" of
 *   "1.0-hotfix"; none counts as 0) and the rest as text.
 *
 * Versions compare by epoch (PEP 440 only, otherwise 0), then by release
 * numbers (a missing part counts as 0, so 1.0 == 1.0.0); for the same
 * release: PEP 440 development releases (1.0.dev1), then pre-releases —
 * PEP 440 ones (a < b < rc), then SemVer ones (by SemVer precedence),
 * then other strings (by their text, byte by byte) — then the release
 * itself, then PEP 440 post-releases (1.0.post1); a PEP 440 local label
 * (+ubuntu1) sorts after the same version without one. SemVer build
 * metadata (+build.5) does not order. Strings that compare equal
 * ("1.0" and "v1.0.0") are the same version. */
#ifndef REWIND_CORE_VERSION_H
#define REWIND_CORE_VERSION_H

/* Compare version strings A and B in the order above: <0, 0 or >0. */
int version_cmp(const char *a, const char *b);

/* Whether V sorts below its own release: a SemVer or PEP 440 pre-release,
 * a PEP 440 development release, or an "other" string with a suffix. */
int version_is_prerelease(const char *v);

#endif
