/* The environment every command of a playbook gets, whatever kind of step
 * runs it (run and interactive steps, message commands): the variables
 * that have values, REWIND_SESSION_DIR, REWIND_STEP and REWIND_MODE, then
 * what the caller adds ("REWIND_MESSAGE_ID=..."). The runner adds them to
 * the user's own environment. */
#ifndef REWIND_CORE_CMDENV_H
#define REWIND_CORE_CMDENV_H

struct playbook;

struct cmdenv {
	const struct playbook *pb;
	char *const *values;		/* one per pb->variables, or NULL */
	const char *session_dir;
	const char *step;		/* the step's id */
	int drill;			/* REWIND_MODE=drill, else live */
};

/* A NULL-ended "NAME=value" list; EXTRA (NULL-ended, may be NULL) is
 * copied after the rest. Free with cmdenv_free. */
char **cmdenv_build(const struct cmdenv *c, const char *const *extra);
void cmdenv_free(char **env);

#endif
