/* Building the command an approver runs in their own terminal: from the
 * session's directory, the step and the first role still missing. */
#include "config.h"
#include "handoff.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "playbook.h"
#include "session.h"
#include "share.h"
#include "strbuf.h"
#include "xalloc.h"

static int
is_shell_safe(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || strchr("_@%+=:,./-", c);
}

char *
handoff_shell_quote(const char *text)
{
	struct strbuf sb = STRBUF_INIT;
	const unsigned char *p = (const unsigned char *)text;
	int safe = *p != '\0';

	for (; *p && safe; p++)
		safe = is_shell_safe(*p);
	if (safe)
		return xstrdup(text);
	strbuf_addc(&sb, '\'');
	for (p = (const unsigned char *)text; *p; p++) {
		if (*p == '\'')
			strbuf_adds(&sb, "'\\''");
		else
			strbuf_addc(&sb, (char)*p);
	}
	strbuf_addc(&sb, '\'');
	return strbuf_detach(&sb);
}

int
handoff_has_control(const char *text)
{
	const unsigned char *p = (const unsigned char *)text;

	for (; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return 1;
		/* C1 controls are U+0080..U+009F: 0xC2 0x80..0x9F in UTF-8. */
		if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			return 1;
	}
	return 0;
}

static int
approvals_for(const struct session *s, const char *id, const char *role)
{
	struct approval_view av;
	int n = 0;

	for (size_t j = 0; session_step_approval(s, id, j, &av) == 0; j++)
		n += strcmp(av.role, role) == 0;
	return n;
}

/* The first role of approve step ST still short of its count, or NULL. */
static const char *
missing_role(const struct session *s, const struct pb_step *st)
{
	for (size_t i = 0; i < st->n_roles; i++)
		if (approvals_for(s, st->id, st->roles[i].role) <
		    st->roles[i].count)
			return st->roles[i].role;
	return NULL;
}

/* How an approver elsewhere names S, as one shell word: REMOTE#SESSION
 * when it is reached through a remote (a shared session, a fetched
 * copy: approving the copy would sign nothing), else its folder. */
static char *
handoff_session_arg(const struct session *s, char real[PATH_MAX])
{
	const char *remote = session_origin(s);
	char *id, *arg, *q;

	if (!remote)
		return handoff_shell_quote(realpath(session_dir(s), real)
					   ? real : session_dir(s));
	id = share_session_id(session_dir(s));
	arg = xasprintf("%s#%s", remote, id);
	q = handoff_shell_quote(arg);
	free(arg);
	free(id);
	return q;
}

char *
handoff_command(const struct session *s, const char *id)
{
	const struct pb_step *st = playbook_find_step(session_playbook(s), id,
						   NULL, NULL);
	char real[PATH_MAX];
	const char *role;
	char *dir, *step, *qrole, *cmd;

	if (!st || st->kind != STEP_KIND_APPROVE ||
	    !(role = missing_role(s, st)))
		return NULL;
	dir = handoff_session_arg(s, real);
	step = handoff_shell_quote(st->id);
	qrole = handoff_shell_quote(role);
	cmd = xasprintf("rewind approve %s %s --role %s", dir, step, qrole);
	free(dir);
	free(step);
	free(qrole);
	return cmd;
}
