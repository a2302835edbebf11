/* The table of sub-commands that parse their own options. */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "commands.h"

const struct command commands_table[] = {
	{ NULL, NULL, NULL, NULL },
};

const struct command *
command_find(const char *name)
{
	for (const struct command *c = commands_table; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}
