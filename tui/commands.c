/* The table of sub-commands that parse their own options. */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

const struct command commands_table[] = {
	{ "check", "check [--strict] [--quiet] [--format=json] PLAYBOOK...",
	  "validate playbooks: schema and lint; exit 0 only if all are valid",
	  cli_check_main },
	{ "import", "import RUNBOOK.md [-o PLAYBOOK] [--explain]",
	  "draft a playbook from a Markdown runbook", cmd_import },
	{ "report", "report SESSION [--format md|json] [-o FILE]",
	  "write the post-mortem draft of a session", cmd_report },
	{ "replay", "replay [--print] SESSION",
	  "replay a session from its journal, read-only", cmd_replay },
	{ "sessions", "sessions [DIR|REMOTE] [--format text|json]",
	  "list the sessions kept in the state folder (or DIR), or those "
	  "published to a git remote, the most recently active first",
	  cmd_sessions },
	{ "watch", "watch SESSION|REMOTE#SESSION",
	  "follow a session from another terminal (approve from there), or "
	  "one published to a git remote, read-only", cmd_watch },
	{ "handover", "handover SESSION --to NAME|--withdraw",
	  "offer a shared session to a named successor (who takes it with "
	  "run --take REMOTE#SESSION), or withdraw the offer", cmd_handover },
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
