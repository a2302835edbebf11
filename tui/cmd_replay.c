/* `rewind replay SESSION [--print]` and `rewind watch SESSION`: their
 * options, and the plain-text timeline of --print. */
#include "config.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "identity.h"
#include "app.h"
#include "cli.h"
#include "commands.h"
#include "drill.h"
#include "err.h"
#include "evtext.h"
#include "journal.h"
#include "replay.h"
#include "replay_ui.h"
#include "sanitize.h"
#include "strbuf.h"
#include "xalloc.h"

#define SUMMARY_MAX 160		/* columns of a --print summary */

static const struct option replay_opts[] = {
	{ "print", no_argument, NULL, 'p' },
	{ "theme", required_argument, NULL, 't' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int
usage(const char *cmd, int ok)
{
	FILE *f = ok ? stdout : stderr;

	if (strcmp(cmd, "watch") == 0)
		fputs("Usage: rewind watch [--theme NAME] SESSION\n"
		      "Follow a session another rewind drives, read-only; "
		      "a approves a step.\n", f);
	else
		fputs("Usage: rewind replay [--print] [--theme NAME] SESSION\n"
		      "Replay a session from its journal (read-only); --print "
		      "writes the\ntimeline as plain text instead.\n", f);
	return ok ? EXIT_OK : EXIT_USAGE;
}

/* --- --print ----------------------------------------------------------------- */

static void
add_pair(struct strbuf *sb, const cJSON *item)
{
	char num[32];
	const char *v = cJSON_GetStringValue(item);

	if (cJSON_IsNumber(item)) {
		snprintf(num, sizeof(num), "%g", item->valuedouble);
		v = num;
	} else if (cJSON_IsBool(item)) {
		v = cJSON_IsTrue(item) ? "true" : "false";
	}
	if (!v)
		return;
	strbuf_addf(sb, "%s%s=%s", sb->len ? " " : "", item->string, v);
}

/* A refused sign-off in one line, who tried and from where first (the
 * reason is long and the line is cut at SUMMARY_MAX). */
static void
refused_approval(const struct journal_event *ev, struct strbuf *sb)
{
	static const char *const first[] = { "action", "name", "name_given",
					     "role", NULL };
	char *where = evtext_provenance(ev->payload, 1);

	for (const char *const *k = first; *k; k++)
		add_pair(sb, cJSON_GetObjectItem(ev->payload, *k));
	strbuf_addf(sb, " provenance=%s", where);
	free(where);
	add_pair(sb, cJSON_GetObjectItem(ev->payload, "reason"));
}

/* The payload in one line: its scalar fields as key=value, without the
 * bulky ones (output tails, hashes) that --print readers grep past. */
static void
summary(const struct journal_event *ev, int hide_scenario, struct strbuf *sb)
{
	static const char *const skip[] = { "tail", "playbook_sha256",
					    "gate_hash", "rewind", NULL };
	const cJSON *item;

	strbuf_reset(sb);
	if (strcmp(ev->type, "session.quit") == 0) {
		/* how the console ended and what still ran, in words */
		evtext_quit(ev->payload, sb);
		return;
	}
	if (strcmp(ev->type, "action.refused") == 0 &&
	    cJSON_GetObjectItem(ev->payload, "provenance")) {
		refused_approval(ev, sb);
		return;
	}
	cJSON_ArrayForEach(item, ev->payload) {
		int skipped = 0;

		for (const char *const *k = skip; *k; k++)
			skipped |= strcmp(item->string, *k) == 0;
		if (skipped)
			continue;
		if (hide_scenario && cJSON_IsString(item) &&
		    strcmp(item->string, "scenario") == 0 &&
		    strcmp(ev->type, "session.started") == 0)
			strbuf_addf(sb, "%sscenario=%s", sb->len ? " " : "",
				    DRILL_SCENARIO_HIDDEN);
		else
			add_pair(sb, item);
	}
	if (strcmp(ev->type, "approval.granted") == 0) {
		/* where and by whom, in words (the object is not a scalar) */
		char *where = evtext_provenance(ev->payload, 1);

		strbuf_addf(sb, " provenance=%s", where);
		free(where);
	}
}

static void
print_event(const struct journal_event *ev, int64_t start, uint64_t bad,
	    int hide_scenario)
{
	struct strbuf sum = STRBUF_INIT, line = STRBUF_INIT;
	int64_t el = (ev->wall_us - start) / 1000000;
	char wall[40], *safe, *who = identity_display(ev->actor);
	time_t t = (time_t)(ev->wall_us / 1000000);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(wall, sizeof(wall), "%Y-%m-%dT%H:%M:%SZ", &tm);
	summary(ev, hide_scenario, &sum);
	if (sum.len > SUMMARY_MAX) {
		sum.buf[SUMMARY_MAX - 3] = '\0';
		sum.len = SUMMARY_MAX - 3;
		strbuf_adds(&sum, "...");
	}
	if (el < 0)
		el = 0;
	strbuf_addf(&line, "%s+%02lld:%02lld:%02lld  %s  %-10s %-20s %-24s %s",
		    bad && ev->seq >= bad ? "!" : " ", (long long)(el / 3600),
		    (long long)(el / 60 % 60), (long long)(el % 60), wall,
		    who, ev->type, ev->step ? ev->step : "-",
		    strbuf_str(&sum));
	free(who);
	while (line.len && line.buf[line.len - 1] == ' ')
		line.buf[--line.len] = '\0';
	safe = sanitize_text(line.buf, line.len);
	puts(safe);
	free(safe);
	strbuf_done(&sum);
	strbuf_done(&line);
}

struct print_ctx {
	int64_t start;
	uint64_t bad;
	int hide_scenario;	/* a drill not completed: its scenario's id */
};

static void
print_line(uint64_t n, const char *line, size_t len, void *arg)
{
	struct print_ctx *c = arg;
	struct journal_event ev;

	if (journal_event_parse(line, len, &ev, NULL) < 0) {
		printf("!line %" PRIu64 ": not an event\n", n);
		return;
	}
	print_event(&ev, c->start, c->bad, c->hide_scenario);
	journal_event_done(&ev);
}

static void
print_heading(struct replay *r, const char *dir)
{
	const struct replay_integrity *in = replay_integrity(r);
	const struct playbook *pb = session_playbook(replay_session(r));
	char *text = xasprintf("# rewind replay %s: playbook %s, %" PRIu64
			       " events", dir, pb->id, replay_count(r));
	char *safe = sanitize_text(text, strlen(text));

	puts(safe);
	free(safe);
	free(text);
	if (in->playbook_changed) {
		text = xasprintf("# PLAYBOOK COPY CHANGED: %s",
				 in->playbook_reason);
		safe = sanitize_text(text, strlen(text));
		puts(safe);
		free(safe);
		free(text);
	}
	if (in->bad_line) {
		text = xasprintf("# HASH CHAIN BROKEN at line %" PRIu64 ": %s; "
				 "%s lines marked ! are unverified",
				 in->bad_line, in->reason,
				 in->unverified_from < in->bad_line
				 ? "the line before it may be the one changed;"
				 : "");
		safe = sanitize_text(text, strlen(text));
		puts(safe);
		free(safe);
		free(text);
	} else {
		puts("# hash chain verified");
	}
	puts("# elapsed    wall time             actor      event"
	     "                step                     summary");
}

static int
replay_print(const char *dir)
{
	struct err err = { 0 };
	struct replay *r = replay_open(dir, &err);
	struct print_ctx c;
	int rc, changed;

	if (!r) {
		cli_print_error("rewind replay", err.msg);
		return EXIT_USAGE;
	}
	c.start = session_start_wall(replay_session(r));
	if (!c.start)
		c.start = replay_wall(r, 1);
	c.bad = replay_integrity(r)->unverified_from;
	changed = replay_integrity(r)->playbook_changed;
	c.hide_scenario = !session_is_complete(replay_session(r));
	print_heading(r, dir);
	rc = replay_each_line(r, 1, replay_count(r), print_line, &c, &err);
	if (rc < 0)
		cli_print_error("rewind replay", err.msg);
	replay_free(r);
	return rc < 0 ? EXIT_USAGE
	     : c.bad || changed ? EXIT_INCOMPLETE : EXIT_OK;
}

/* --- the two sub-commands ------------------------------------------------------------ */

/* Parse ARGV for CMD; fills the session, theme and --print. Returns 0 to
 * go on, or an exit status + 1. */
/* ARGV[I] may name a session in the sessions folder (or begin its
 * name): put its directory there. */
static int
find_session(char **argv, int i)
{
	static char *found;
	struct err err = { 0 };

	free(found);
	found = cli_find_session(argv[i], 0, &err);
	if (err.msg[0]) {
		cli_print_error("rewind", err.msg);
		return EXIT_USAGE + 1;
	}
	if (found)
		argv[i] = found;
	return 0;
}

static int
parse(int argc, char **argv, const char **dir, const char **theme,
      int *print)
{
	int c, rc;

	optind = 1;
	opterr = 1;
	while ((c = getopt_long(argc, argv, "t:h", replay_opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (strcmp(argv[0], "watch") == 0)
				return usage(argv[0], 0) + 1;
			*print = 1;
			break;
		case 't': *theme = optarg; break;
		case 'h': return usage(argv[0], 1) + 1;
		default: return usage(argv[0], 0) + 1;
		}
	}
	if (argc - optind != 1)
		return usage(argv[0], 0) + 1;
	rc = find_session(argv, optind);
	*dir = argv[optind];
	return rc;
}

int
cmd_replay(int argc, char **argv)
{
	const char *dir = NULL, *theme = NULL;
	int print = 0;
	int rc = parse(argc, argv, &dir, &theme, &print);

	if (rc)
		return rc - 1;
	return print ? replay_print(dir) : replay_console(dir, theme);
}

/* REMOTE#SESSION (no such file here): fetch the session published to git
 * remote REMOTE and follow its copy in the cache. 0 when DIR names no
 * published session, 1 when O is set for one, -1 when it cannot be read. */
static int
follow_remote(const char *dir, struct cli_opts *o, char **copy,
	      char **owned)
{
	const char *hash = strrchr(dir, '#');
	struct err err = { 0 };
	char *remote, *gitdir, *sessions, *id;
	struct stat st;

	if (!hash || hash == dir || !hash[1] || stat(dir, &st) == 0)
		return 0;
	remote = xstrndup(dir, (size_t)(hash - dir));
	id = xstrdup(hash + 1);
	if (cli_remote_copy_or_cached(remote, id, &gitdir, &sessions,
				      &err) < 0 && err.code == ERR_NOTFOUND) {
		/* the start of a published session's id */
		struct err exact = err;

		free(id);
		err_clear(&err);
		id = cli_remote_find_session(remote, hash + 1, &err);
		if (!id && err.code == ERR_NOTFOUND)
			err = exact;
		if (id && cli_remote_copy_or_cached(remote, id, &gitdir,
						    &sessions, &err) < 0)
			err.code = ERR_IO;
	}
	if (!id || err.code) {
		cli_print_error("rewind watch", err.msg);
		free(remote);
		free(id);
		return -1;
	}
	*copy = xasprintf("%s/%s", sessions, id);
	owned[0] = remote;
	owned[1] = gitdir;
	owned[2] = id;
	o->follow_remote = remote;
	o->follow_gitdir = gitdir;
	o->follow_id = id;
	free(sessions);
	return 1;
}

int
cmd_watch(int argc, char **argv)
{
	struct cli_opts o = { 0 };
	const char *dir = NULL, *theme = NULL;
	char *args[2], *copy = NULL, *owned[3] = { NULL, NULL, NULL };
	int print = 0;
	int rc = parse(argc, argv, &dir, &theme, &print);

	if (rc)
		return rc - 1;
	if ((rc = follow_remote(dir, &o, &copy, owned)) < 0)
		return EXIT_USAGE;
	if (copy)
		dir = copy;
	args[0] = xstrdup(dir);
	args[1] = NULL;
	o.args = args;
	o.n_args = 1;
	o.theme = theme;
	rc = app_watch(&o);
	free(args[0]);
	free(copy);
	free(owned[0]);
	free(owned[1]);
	free(owned[2]);
	return rc;
}
