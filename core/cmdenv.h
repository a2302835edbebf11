/* The environment every command of a playbook gets, whatever kind of step
 * runs it (run and interactive steps, message commands): the variables
 * that have values, REWIND_SESSION_DIR, REWIND_STEP and REWIND_MODE, and
 * for a message command REWIND_MESSAGE_ID and REWIND_MESSAGE_FILE. The
 * runner adds them to the user's own environment; `rewind check` asks
 * cmdenv_sets which names a command may use undeclared. */
#ifndef REWIND_CORE_CMDENV_H
#define REWIND_CORE_CMDENV_H

struct playbook;

struct cmdenv {
	const struct playbook *pb;
	char *const *values;		/* one per pb->variables, or NULL */
	const char *session_dir;
	const char *step;		/* the step's id */
	int drill;			/* REWIND_MODE=drill, else live */
	const char *message_id;		/* a message command's, else NULL */
	const char *message_file;	/* the file holding its text */
};

/* A NULL-ended "NAME=value" list; free with cmdenv_free. Never fails. */
char **cmdenv_build(const struct cmdenv *c);
void cmdenv_free(char **env);

/* Whether cmdenv_build sets NAME (the playbook's variables aside) for
 * every command, or also for a message command when IS_MESSAGE. */
int cmdenv_sets(const char *name, int is_message);

#endif
