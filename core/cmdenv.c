/* One builder for the environment of a playbook's commands. */
#include "config.h"

#include "cmdenv.h"

#include <stdlib.h>

#include "playbook.h"
#include "xalloc.h"

char **
cmdenv_build(const struct cmdenv *c, const char *const *extra)
{
	size_t n = 0, n_extra = 0;
	char **env;

	while (extra && extra[n_extra])
		n_extra++;
	env = xcalloc(c->pb->n_variables + n_extra + 4, sizeof(*env));
	for (size_t i = 0; i < c->pb->n_variables; i++)
		if (c->values && c->values[i])
			env[n++] = xasprintf("%s=%s", c->pb->variables[i].name,
					     c->values[i]);
	env[n++] = xasprintf("REWIND_SESSION_DIR=%s", c->session_dir);
	env[n++] = xasprintf("REWIND_STEP=%s", c->step);
	env[n++] = xasprintf("REWIND_MODE=%s", c->drill ? "drill" : "live");
	for (size_t i = 0; i < n_extra; i++)
		env[n++] = xstrdup(extra[i]);
	return env;
}

void
cmdenv_free(char **env)
{
	for (size_t i = 0; env && env[i]; i++)
		free(env[i]);
	free(env);
}
