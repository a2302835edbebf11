/* Whether the version an operator restores is one the registry has
 * withdrawn (npm "deprecated", PyPI "yanked"), not published at all, or a
 * pre-release restored onto latest: the one rule the console's dialogs,
 * rewind approve's summary and the report share. The restore
 * target is the variable the playbook's header names as "to"; nothing is
 * guessed from names. */
#ifndef REWIND_CORE_WITHDRAWN_H
#define REWIND_CORE_WITHDRAWN_H

#include <stddef.h>

struct playbook;
struct reg_answer;
struct session;

/* VERSION (a leading v ignored) as one of ANSWERS (N of them) marks it
 * withdrawn, in words: "pkg@1.2.1 is deprecated: MESSAGE" or "pkg 1.2.1
 * is yanked: REASON", made safe for a terminal; NULL when none does.
 * Caller frees. */
char *withdrawn_note(const struct reg_answer *const *answers, size_t n,
		     const char *version);

/* VERSION (a leading v ignored) as none of ANSWERS (N) that know their
 * package's versions publishes it, in words: "1.3.0-beta.1.2.1 is not a
 * published version of rewind-fixture", made safe for a terminal; NULL
 * when one publishes it or none knows. Caller frees. */
char *unpublished_note(const struct reg_answer *const *answers, size_t n,
		       const char *version);

/* VALUE of PB's restore target NAME (a "from": "registry" variable) as a
 * pre-release restored while the variable CHANNEL holds "latest" (NULL:
 * none does), in words: "GOOD 1.3.0-beta.2 is a pre-release: restoring
 * it onto latest (CHANNEL) hands every user a pre-release; restore a
 * release"; NULL otherwise. Caller frees. */
char *prerelease_note(const struct playbook *pb, const char *name,
		      const char *value, const char *channel);

/* Whether NAME is PB's restore target (its header's "to"). */
int withdrawn_is_target(const struct playbook *pb, const char *name);

/* The warnings for the restore target NAME holding VALUE (NULL: its
 * value now in S), the one rule every place that shows the restore uses:
 * by the registry answers S knows (its live or drill sources, else the
 * last ones its journal holds) "Warning: restoring a withdrawn version:
 * pkg@1.2.1 is deprecated: MESSAGE" and "Warning: 1.2.9 is not a
 * published version of pkg", and "Warning: " with prerelease_note's
 * words while a variable holds latest; those that apply, in that order,
 * on one line. NULL when NAME is not the restore target, has no value, or
 * none applies. Caller frees. */
char *withdrawn_target_warning(const struct session *s, const char *name,
			       const char *value);

/* The same for the restore target, whatever its name, when TEXT (a
 * command or confirmation as written) names it; NULL otherwise. */
char *withdrawn_warning_for_text(const struct session *s, const char *text);

/* The warning (as withdrawn_target_warning's) for a step that approval
 * step ID gates and that restores a withdrawn version, or NULL. Caller
 * frees. */
char *session_approval_withdrawn(const struct session *s, const char *id);

#endif
