/* `rewind handover SESSION --to NAME | --withdraw [--operator NAME]`: the
 * commander offers a shared session to a named successor (who takes it
 * with rewind run --take REMOTE#SESSION), or withdraws the offer, from a
 * second terminal; the running console publishes it. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "cli.h"
#include "commands.h"
#include "err.h"
#include "identity.h"
#include "sanitize.h"
#include "session.h"
#include "share.h"
#include "xalloc.h"

#define HANDOVER_USAGE "usage: rewind handover SESSION --to NAME " \
	"[--operator NAME]\n       rewind handover SESSION --withdraw " \
	"[--operator NAME]\n"

static int
handover_usage(void)
{
	fputs(HANDOVER_USAGE, stderr);
	return EXIT_USAGE;
}

char *
handover_take_line(const struct session *s, const char *to)
{
	char *remote = session_share_last_url(s);
	char *id = share_session_id(session_dir(s));
	char *line = xasprintf("rewind %s --take %s#%s --operator %s",
			       session_mode(s) == SESSION_DRILL ? "drill"
			       : "run", remote ? remote : "REMOTE", id, to);

	free(id);
	free(remote);
	return line;
}

/* What the successor types to take the session, on stdout. */
static void
print_offered(const struct session *s, const char *to)
{
	char *take = handover_take_line(s, to);
	char *line = xasprintf("rewind: handover offered to %s; %s takes it "
			       "with: %s", to, to, take);
	char *safe = sanitize_text(line, strlen(line));

	printf("%s\n", safe);
	free(safe);
	free(line);
	free(take);
}

/* Apply the offer (TO) or its withdrawal (TO NULL) to DIR as ACTOR. */
static int
apply_handover(const char *dir, const char *to, const char *actor)
{
	struct action a = { .kind = to ? ACT_HANDOVER : ACT_WITHDRAW_HANDOVER };
	struct err err = { 0 };
	struct session *s = session_attach(dir, NULL, &err);
	int rc = -1;

	if (s) {
		a.name = xstrdup_or_null(to);
		rc = session_apply(s, &a, actor, &err);
		action_done(&a);
	}
	if (rc < 0)
		cli_print_error("rewind handover", err.msg);
	else if (to)
		print_offered(s, session_handover_offer(s) ? session_handover_offer(s)
			      : to);
	else
		puts("rewind: the hand-over offer is withdrawn");
	session_free(s);
	return rc < 0 ? (s ? EXIT_INCOMPLETE : EXIT_USAGE) : EXIT_OK;
}

/* ARG as REMOTE#SESSION: the offer is the commander's, made where the
 * session runs, not on a published copy; says so and returns 1. */
static int
names_published(const char *arg)
{
	const char *id;
	char *remote, *msg;

	if (!cli_remote_session_arg(arg, &remote, &id))
		return 0;
	msg = xasprintf("%s names a published session: its commander offers "
			"the hand-over where it runs (rewind handover %s --to "
			"NAME there, or the hand-over key in its console); the "
			"successor then takes it with rewind run --take %s",
			arg, id, arg);
	cli_print_error("rewind handover", msg);
	free(msg);
	free(remote);
	return 1;
}

int
cmd_handover(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "to", required_argument, NULL, 't' },
		{ "withdraw", no_argument, NULL, 'w' },
		{ "operator", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct err err = { 0 };
	const char *to = NULL, *actor = identity_real_login();
	char *found, *name;
	int c, withdraw = 0, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "t:wo:h", longopts, NULL)) != -1) {
		if (c == 't')
			to = optarg;
		else if (c == 'w')
			withdraw = 1;
		else if (c == 'o')
			actor = optarg;
		else if (c == 'h') {
			fputs(HANDOVER_USAGE, stdout);
			return EXIT_OK;
		} else
			return handover_usage();
	}
	if (optind + 1 != argc || !to == !withdraw)
		return handover_usage();
	if (names_published(argv[optind]))
		return EXIT_USAGE;
	found = cli_find_session(argv[optind], 1, &err);
	if (err.msg[0]) {
		cli_print_error("rewind handover", err.msg);
		return EXIT_USAGE;
	}
	name = identity_normalize(actor, "rewind handover: --operator (or "
				  "your login name)", &err);
	if (!name) {
		cli_print_error(NULL, err.msg);
		free(found);
		return EXIT_USAGE;
	}
	rc = apply_handover(found ? found : argv[optind], to, name);
	free(name);
	free(found);
	return rc;
}
