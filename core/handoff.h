/* The hand-off to approvers: the exact `rewind approve` command the
 * commander gives someone who must sign an approve step. */
#ifndef REWIND_CORE_HANDOFF_H
#define REWIND_CORE_HANDOFF_H

struct session;

/* "rewind approve DIR STEP --role ROLE" for approve step ID of S: DIR the
 * session directory made absolute, ROLE the first role still short of its
 * approvals, DIR, STEP and ROLE shell-quoted where needed. It runs as it
 * is: the approver's login name signs (--as NAME signs under another), so
 * no placeholder can be approved by mistake.
 * NULL when ID is no approve step or every role has its approvals.
 * Caller frees. */
char *handoff_command(const struct session *s, const char *id);

/* TEXT as one word for a POSIX shell: as it is when made only of
 * characters a shell leaves alone, else in single quotes. Caller frees. */
char *handoff_shell_quote(const char *text);

/* Whether TEXT has a control character (C0, DEL or C1), which must never
 * reach a clipboard that is pasted into a shell. */
int handoff_has_control(const char *text);

#endif
