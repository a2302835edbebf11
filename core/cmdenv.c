/* One builder for the environment of a playbook's commands. */
#include "config.h"

#include "cmdenv.h"

#include <stdlib.h>
#include <string.h>

#include "playbook.h"
#include "xalloc.h"

/* The names cmdenv_build sets, in its order: every command's, then a
 * message command's. */
static const char *const names[] = {
	"REWIND_SESSION_DIR", "REWIND_STEP", "REWIND_MODE",
	"REWIND_MESSAGE_ID", "REWIND_MESSAGE_FILE",
};
enum { N_EVERY = 3, N_NAMES = sizeof(names) / sizeof(names[0]) };

char **
cmdenv_build(const struct cmdenv *c)
{
	const char *const values[N_NAMES] = {
		c->session_dir, c->step, c->drill ? "drill" : "live",
		c->message_id, c->message_file,
	};
	size_t n = 0;
	char **env = xcalloc(c->pb->n_variables + N_NAMES + 1, sizeof(*env));

	for (size_t i = 0; i < c->pb->n_variables; i++)
		if (c->values && c->values[i])
			env[n++] = xasprintf("%s=%s", c->pb->variables[i].name,
					     c->values[i]);
	for (size_t i = 0; i < N_NAMES; i++)
		if (i < N_EVERY || (c->message_id && c->message_file))
			env[n++] = xasprintf("%s=%s", names[i], values[i]);
	return env;
}

void
cmdenv_free(char **env)
{
	for (size_t i = 0; env && env[i]; i++)
		free(env[i]);
	free(env);
}

int
cmdenv_sets(const char *name, int is_message)
{
	for (size_t i = 0; i < (is_message ? N_NAMES : N_EVERY); i++)
		if (strcmp(name, names[i]) == 0)
			return 1;
	return 0;
}
