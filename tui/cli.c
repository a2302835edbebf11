/* Command-line parsing and the sub-commands that print and exit. */
#include "config.h"
#include "cli.h"

#include <dirent.h>
#include <ftw.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "action.h"
#include "commands.h"
#include "drill.h"
#include "err.h"
#include "evidence.h"
#include "evtext.h"
#include "handoff.h"
#include "identity.h"
#include "journal.h"
#include "lint.h"
#include "playbook.h"
#include "sanitize.h"
#include "session.h"
#include "sessions.h"
#include "sha256.h"
#include "share.h"
#include "share_inbox.h"
#include "strbuf.h"
#include "timefmt.h"
#include "testhook.h"
#include "theme_file.h"
#include "paths.h"
#include "xalloc.h"

static const struct {
	const char *name;
	enum cli_command command;
} commands[] = {
	{ "run", CMD_RUN }, { "drill", CMD_DRILL }, { "check", CMD_CHECK },
	{ "approve", CMD_APPROVE }, { "verify", CMD_VERIFY },
};

#define HELP_TEXT_COL 27	/* where a command's or option's words start */
#define HELP_WIDTH 79

/* "  USAGE   SUMMARY" as the built-in lines are laid out: the summary from
 * HELP_TEXT_COL (on a line of its own when USAGE is longer), wrapped at
 * HELP_WIDTH with its continuation lines indented as far. */
static void
print_command_help(const char *usage, const char *summary)
{
	int col = printf("  %s", usage);
	const char *p = summary;

	if (col + 1 > HELP_TEXT_COL) {
		putchar('\n');
		col = 0;
	}
	while (*p) {
		size_t n = strcspn(p, " ");

		if (col > HELP_TEXT_COL && col + 1 + (int)n > HELP_WIDTH) {
			putchar('\n');
			col = 0;
		}
		if (col < HELP_TEXT_COL)
			col += printf("%*s", HELP_TEXT_COL - col, "");
		else
			col += printf(" ");
		col += printf("%.*s", (int)n, p);
		p += n + (p[n] == ' ');
	}
	putchar('\n');
}

static void
print_help(void)
{
	fputs(
"Usage: rewind [COMMAND] [OPTION]... [ARG]...\n"
"Walk a release rollback playbook through assess, decide, approve, execute,\n"
"verify and communicate, recording every step in a hash-chained journal.\n"
"\n"
"Commands:\n"
"  run PLAYBOOK|SESSION     run a playbook live (real commands), or resume\n"
"  drill PLAYBOOK|SESSION   rehearse a playbook: commands are simulated\n"
"  approve SESSION STEP     approve a step of a running session from here\n"
"  approve REMOTE#SESSION STEP\n"
"                           sign a shared session's step from anywhere\n"
"  verify SESSION [--expect HASH]\n"
"                           check the journal's hash chain (and that it\n"
"                           still holds a hash noted from an earlier verify)\n",
	      stdout);
	for (const struct command *c = commands_table; c->name; c++)
		print_command_help(c->usage, c->summary);
	fputs(
"  (none)                   drill the bundled default playbook\n"
"\n"
"Options:\n"
"  -b, --batch              read actions from stdin, write JSON lines\n"
"  -d, --session-dir=DIR    keep the session in DIR (resumed if it exists)\n"
"  -v, --var=NAME=VALUE     set a playbook variable (repeatable)\n"
"  -o, --operator=NAME      who is driving (default: $USER)\n"
"  -s, --scenario=NAME      drill scenario to inject (its id, or its number)\n"
"      --list-scenarios     list a playbook's drill scenarios (numbers and\n"
"                           briefings) and exit\n"
"      --game-master        with --list-scenarios: also the expected\n"
"                           decisions, the notes and the injections\n"
"      --inject SESSION ID  drill: fire the scenario's injection ID in a\n"
"                           running drill now (the game master's control)\n"
"                           (ID may be the start of exactly one id)\n"
"      --no-real-in-clone   drill: simulate the steps that opt in to run\n"
"                           their read-only command for real in a throwaway\n"
"                           clone of the git target (they do by default)\n"
"      --real-in-clone      drill: the default, accepted for older scripts\n"
"      --read-only          refuse every destructive step\n"
"      --share=REMOTE       run/drill: publish the session as it runs to\n"
"                           refs/rewind/sessions/ID on a git remote (a\n"
"                           remote's name of the repository here, or a URL)\n"
"      --against=REMOTE     verify: the journal still holds every chain\n"
"                           head published to REMOTE (a cut tail shows)\n"
"  -t, --theme=NAME         console colour theme (dark, light, high-contrast,\n"
"                           colorblind, mono, or a file path)\n"
"  -r, --role=ROLE          approve: the role approved as\n"
"  -a, --as=NAME            approve: the approver's name (default: login)\n"
"  -c, --comment=TEXT       approve: a comment\n"
"  -y, --yes                approve: sign without asking (else the answer\n"
"                           is read from stdin, a terminal or not)\n"
"      --take=REMOTE#SESSION\n"
"                           run/drill: take a shared session over from its\n"
"                           commander and go on with it here (only the one\n"
"                           it is offered to, when a hand-over is offered)\n"
"      --new                run: start a new session though a live one of\n"
"                           the playbook started here is still open\n"
"      --force              with --take: take it though its hand-over is\n"
"                           offered to someone else, or its commander\n"
"                           neither offered it nor quit (journalled as\n"
"                           forced)\n"
"      --wait[=SECONDS]     approve REMOTE#SESSION: wait (60 s) until the\n"
"                           commander's console takes or refuses it\n"
"      --expect=HASH        verify: the hash an earlier verify printed (its\n"
"                           start will do): a journal cut or rewritten since\n"
"                           no longer holds it\n"
"  -h, --help               show this help and exit\n"
"  -V, --version            show the version and exit\n"
"\n"
"Batch actions (one per line): set NAME VALUE | tick STEP [NOTE] |\n"
"  na STEP REASON | run STEP | cancel STEP | confirm STEP TEXT |\n"
"  choose STEP OPTION REASON | approve STEP ROLE NAME [COMMENT] | send STEP |\n"
"  note TEXT | predict STEP TEXT | inject ID | handover NAME |\n"
"  withdraw-handover | next | quit\n"
"\n"
"Exit status: 0 success or complete session; 1 invalid playbook, broken\n"
"journal, refused action or incomplete session; 2 usage or start-up error.\n"
"See rewind(1) and rewind-playbook(5).\n", stdout);
}

static int
parse_command(int argc, char **argv, struct cli_opts *o)
{
	if (argc < 2 || argv[1][0] == '-')
		return 1;
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name) == 0) {
			o->command = commands[i].command;
			return 2;
		}
	}
	fprintf(stderr, "rewind: unknown command \"%s\" (try rewind --help)\n",
		argv[1]);
	return -1;
}

static void
add_var(struct cli_opts *o, const char *v)
{
	o->vars = xrealloc(o->vars, (o->n_vars + 2) * sizeof(*o->vars));
	o->vars[o->n_vars++] = v;
	o->vars[o->n_vars] = NULL;
}

enum {
	OPT_LIST_SCENARIOS = 256, OPT_READ_ONLY, OPT_REAL_IN_CLONE,
	OPT_NO_REAL_IN_CLONE, OPT_GAME_MASTER, OPT_INJECT, OPT_EXPECT,
	OPT_SHARE, OPT_AGAINST, OPT_WAIT, OPT_TAKE, OPT_FORCE, OPT_NEW,
};

static const struct option long_opts[] = {
	{ "batch", no_argument, NULL, 'b' },
	{ "session-dir", required_argument, NULL, 'd' },
	{ "var", required_argument, NULL, 'v' },
	{ "operator", required_argument, NULL, 'o' },
	{ "scenario", required_argument, NULL, 's' },
	{ "list-scenarios", no_argument, NULL, OPT_LIST_SCENARIOS },
	{ "game-master", no_argument, NULL, OPT_GAME_MASTER },
	{ "inject", no_argument, NULL, OPT_INJECT },
	{ "expect", required_argument, NULL, OPT_EXPECT },
	{ "share", required_argument, NULL, OPT_SHARE },
	{ "against", required_argument, NULL, OPT_AGAINST },
	{ "wait", optional_argument, NULL, OPT_WAIT },
	{ "take", required_argument, NULL, OPT_TAKE },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "new", no_argument, NULL, OPT_NEW },
	{ "real-in-clone", no_argument, NULL, OPT_REAL_IN_CLONE },
	{ "no-real-in-clone", no_argument, NULL, OPT_NO_REAL_IN_CLONE },
	{ "read-only", no_argument, NULL, OPT_READ_ONLY },
	{ "theme", required_argument, NULL, 't' },
	{ "role", required_argument, NULL, 'r' },
	{ "as", required_argument, NULL, 'a' },
	{ "comment", required_argument, NULL, 'c' },
	{ "yes", no_argument, NULL, 'y' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static int
apply_option(int c, struct cli_opts *o)
{
	switch (c) {
	case 'b': o->batch = 1; break;
	case 'd': o->session_dir = optarg; break;
	case 'v': add_var(o, optarg); break;
	case 'o': o->operator = optarg; break;
	case 's': o->scenario = optarg; break;
	case OPT_LIST_SCENARIOS: o->list_scenarios = 1; break;
	case OPT_GAME_MASTER: o->game_master = 1; break;
	case OPT_INJECT: o->inject = 1; break;
	case OPT_EXPECT: o->expect = optarg; break;
	case OPT_SHARE: o->share = optarg; break;
	case OPT_AGAINST: o->against = optarg; break;
	case OPT_TAKE: o->take = optarg; break;
	case OPT_FORCE: o->force = 1; break;
	case OPT_NEW: o->new_session = 1; break;
	case OPT_WAIT:
		o->wait_s = optarg ? atoi(optarg) : 60;
		if (o->wait_s <= 0 || o->wait_s > 3600) {
			fprintf(stderr, "rewind: --wait=%s: give seconds, 1 "
				"to 3600\n", optarg);
			return -1;
		}
		break;
	case OPT_REAL_IN_CLONE: o->real_in_clone = 1; break;
	case OPT_NO_REAL_IN_CLONE: o->real_in_clone = 0; break;
	case OPT_READ_ONLY: o->read_only = 1; break;
	case 't': o->theme = optarg; break;
	case 'r': o->role = optarg; break;
	case 'a': o->as = optarg; break;
	case 'c': o->comment = optarg; break;
	case 'y': o->yes = 1; break;
	case 'h': print_help(); return 1;
	case 'V': printf("rewind %s\n", PACKAGE_VERSION); return 1;
	default:
		fputs("Try 'rewind --help' for more information.\n", stderr);
		return -1;
	}
	return 0;
}

/* Sessions kept elsewhere (--session-dir, noted in ROOT/.elsewhere)
 * whose last path component is ARG: their whole paths in *NAMES. */
static size_t
elsewhere_named(const char *root, const char *arg, char ***names)
{
	char *path = xasprintf("%s/.elsewhere", root), *line = NULL;
	FILE *f = fopen(path, "r");
	size_t size = 0, n = 0;
	ssize_t k;

	free(path);
	while (f && (k = getline(&line, &size, f)) > 0) {
		const char *base;

		if (line[k - 1] == '\n')
			line[--k] = '\0';
		base = strrchr(line, '/');
		if (base && strcmp(base + 1, arg) == 0 &&
		    sessions_is_session(line)) {
			*names = xrealloc(*names, (n + 1) * sizeof(**names));
			(*names)[n++] = xstrdup(line);
		}
	}
	free(line);
	if (f)
		fclose(f);
	return n;
}

/* Names under the sessions folder that ARG names: the one spelled so,
 * or else every one ARG begins; else a session kept elsewhere whose
 * folder is named so (its whole path). */
static size_t
sessions_named(const char *root, const char *arg, int exact_only,
	       char ***names)
{
	DIR *d = opendir(root);
	struct dirent *e;
	size_t n = 0;

	*names = NULL;
	while (d && (e = readdir(d))) {
		char *dir;
		int exact = strcmp(e->d_name, arg) == 0;

		if (e->d_name[0] == '.' || (exact_only && !exact) ||
		    strncmp(e->d_name, arg, strlen(arg)) != 0)
			continue;
		dir = xasprintf("%s/%s", root, e->d_name);
		if (sessions_is_session(dir)) {
			if (exact)	/* the name itself wins */
				while (n)
					free((*names)[--n]);
			*names = xrealloc(*names, (n + 1) * sizeof(**names));
			(*names)[n++] = xstrdup(e->d_name);
		}
		free(dir);
		if (exact && n == 1)
			break;
	}
	if (d)
		closedir(d);
	if (!n)
		n = elsewhere_named(root, arg, names);
	return n;
}

char *
cli_find_session(const char *arg, int exact, struct err *err)
{
	char *root, **names, *path = NULL;
	struct stat st;
	size_t n;

	if (!*arg || strchr(arg, '/') || stat(arg, &st) == 0)
		return NULL;
	root = cli_sessions_root();
	n = sessions_named(root, arg, exact, &names);
	if (n == 1)
		path = names[0][0] == '/' ? xstrdup(names[0])
		     : xasprintf("%s/%s", root, names[0]);
	else if (n > 1)
		err_set(err, ERR_INVALID, "%s: %zu sessions in %s begin so "
			"(%s, %s%s): give more of the name", arg, n, root,
			names[0], names[1], n > 2 ? ", ..." : "");
	while (n)
		free(names[--n]);
	free(names);
	free(root);
	return path;
}

/* ARG named no session exactly, for a command that takes the whole name
 * (CMD): when sessions begin so, say that it takes the whole name and
 * name them (-1); 0 when none does. */
static int
refuse_prefix(const char *arg, const char *cmd)
{
	char *root, **names;
	size_t n;
	struct stat st;
	int found;

	if (!*arg || strchr(arg, '/') || stat(arg, &st) == 0)
		return 0;
	root = cli_sessions_root();
	n = sessions_named(root, arg, 0, &names);
	found = n > 0;
	if (found) {
		char *safe = sanitize_text(arg, strlen(arg));

		fprintf(stderr, "rewind: %s: no session is named so; rewind %s "
			"takes a session's whole name (the start of one serves "
			"only to read it: replay, report, verify). %s so:\n",
			safe, cmd, n == 1 ? "One begins" : "These begin");
		for (size_t i = 0; i < n; i++) {
			char *nm = sanitize_text(names[i], strlen(names[i]));

			fprintf(stderr, "  rewind %s %s\n", cmd, nm);
			free(nm);
		}
		free(safe);
	}
	while (n)
		free(names[--n]);
	free(names);
	free(root);
	return found ? -1 : 0;
}

/* A command that takes a session may be given its name in the sessions
 * folder, or the start of it, as `rewind sessions` lists them. */
static int
resolve_session_arg(struct cli_opts *o)
{
	struct err err = { 0 };

	if (!o->n_args || (o->command != CMD_VERIFY &&
			   o->command != CMD_APPROVE &&
			   o->command != CMD_RUN && o->command != CMD_DRILL))
		return 0;
	/* Resuming, or signing, takes the whole name; the start of one is
	 * enough only to read (a mistyped playbook must not resume). */
	o->session_path = cli_find_session(o->args[0],
					   o->command != CMD_VERIFY, &err);
	if (err.msg[0]) {
		cli_print_error("rewind", err.msg);
		return -1;
	}
	if (o->session_path)
		o->args[0] = o->session_path;
	else if (o->command != CMD_VERIFY &&
		 refuse_prefix(o->args[0], o->command == CMD_RUN ? "run"
			       : o->command == CMD_DRILL ? "drill"
			       : "approve") < 0)
		return -1;
	return 0;
}

int
cli_parse(int argc, char **argv, struct cli_opts *o)
{
	int first = parse_command(argc, argv, o);
	int c, rc;

	if (first < 0)
		return -1;
	add_var(o, NULL);
	o->n_vars = 0;
	o->real_in_clone = -1;
	optind = first;
	while ((c = getopt_long(argc, argv, "bd:v:o:s:r:a:c:yt:hV", long_opts,
				NULL)) != -1) {
		if ((rc = apply_option(c, o)) != 0)
			return rc;
	}
	o->args = argv + optind;
	o->n_args = argc - optind;
	if (o->force && !o->take) {
		fputs("rewind: --force goes with --take REMOTE#SESSION (a "
		      "take over a hand-over offered to someone else)\n",
		      stderr);
		return -1;
	}
	return resolve_session_arg(o);
}

void
cli_opts_done(struct cli_opts *o)
{
	free(o->vars);
	o->vars = NULL;
	free(o->session_path);
	o->session_path = NULL;
}

/* Print MSG on stderr; it may quote playbook or journal text, so no
 * control character gets through. */
void
cli_print_error(const char *prefix, const char *msg)
{
	char *safe = sanitize_text(msg, strlen(msg));

	if (prefix)
		fprintf(stderr, "%s: %s\n", prefix, safe);
	else
		fprintf(stderr, "%s\n", safe);
	free(safe);
}

/* --- check ------------------------------------------------------------------ */

struct check_opts {
	int quiet;		/* only the problems of invalid files */
	int strict;		/* warnings make a playbook invalid */
	int json;		/* one JSON document on stdout */
};

/* The outcome of checking one file. */
struct check_result {
	const char *file;
	struct playbook *pb;	/* NULL when it did not load */
	struct err err;		/* why it did not load */
	struct lint_report lint;
};

static size_t
count_steps(const struct playbook *pb)
{
	size_t n = 0;

	for (int p = 0; p < PHASE_COUNT; p++)
		n += pb->phases[p].n_steps;
	return n;
}

static int
check_is_valid(const struct check_result *r, const struct check_opts *co)
{
	return r->pb && r->lint.n_errors == 0 &&
	       !(co->strict && r->lint.n_warnings);
}

static void
check_one(const char *file, struct check_result *r)
{
	memset(r, 0, sizeof(*r));
	r->file = file;
	r->pb = playbook_load_file(file, &r->err);
	if (r->pb)
		lint_playbook(r->pb, &r->lint);
}

static void
check_result_done(struct check_result *r)
{
	playbook_free(r->pb);
	lint_report_done(&r->lint);
}

static const char *
plural(size_t n)
{
	return n == 1 ? "" : "s";
}

static void
check_print_text(const struct check_result *r, const struct check_opts *co)
{
	int valid = check_is_valid(r, co);
	const struct lint_report *lr = &r->lint;

	if (!r->pb) {
		cli_print_error(NULL, r->err.msg);
		if (!co->quiet && r->err.code == ERR_IO)
			printf("%s: unreadable\n", r->file);
		else if (!co->quiet)
			printf("%s: invalid: it does not load (the loader stops "
			       "at the first problem)\n", r->file);
		return;
	}
	for (size_t i = 0; i < lr->n_msgs; i++) {
		char *line;

		if (co->quiet && (valid || (!co->strict &&
				lr->msgs[i].severity == LINT_WARNING)))
			continue;
		line = lint_msg_format(&lr->msgs[i], r->file);
		cli_print_error(NULL, line);
		free(line);
	}
	if (co->quiet)
		return;
	if (valid)
		printf("%s: ok: %s (%zu steps, %zu scenarios; %zu warning%s)\n",
		       r->file, r->pb->id, count_steps(r->pb),
		       r->pb->n_scenarios, lr->n_warnings,
		       plural(lr->n_warnings));
	else
		printf("%s: invalid: %s: %zu error%s, %zu warning%s%s\n",
		       r->file, r->pb->id, lr->n_errors, plural(lr->n_errors),
		       lr->n_warnings, plural(lr->n_warnings),
		       co->strict ? " (--strict: warnings count)" : "");
}

/* The loader's message as a JSON message: "FILE: PATH: PROBLEM". */
static cJSON *
check_load_json(const struct check_result *r)
{
	const char *rule = r->err.code == ERR_IO ? "io"
			 : r->err.code == ERR_PARSE ? "json" : "schema";
	const char *msg = r->err.msg, *colon;
	size_t n = strlen(r->file);
	cJSON *m = cJSON_CreateObject();

	if (strncmp(msg, r->file, n) == 0 && strncmp(msg + n, ": ", 2) == 0)
		msg += n + 2;
	colon = r->err.code == ERR_IO ? NULL : strstr(msg, ": ");
	cJSON_AddStringToObject(m, "severity", "error");
	cJSON_AddStringToObject(m, "rule", rule);
	if (colon) {
		char *path = xstrndup(msg, (size_t)(colon - msg));

		cJSON_AddStringToObject(m, "path", path);
		free(path);
		msg = colon + 2;
	} else {
		cJSON_AddStringToObject(m, "path", "");
	}
	cJSON_AddStringToObject(m, "problem", msg);
	cJSON_AddStringToObject(m, "fix", "");
	return m;
}

static cJSON *
check_lint_json(const struct lint_msg *lm)
{
	cJSON *m = cJSON_CreateObject();

	cJSON_AddStringToObject(m, "severity", lm->severity == LINT_ERROR
					       ? "error" : "warning");
	cJSON_AddStringToObject(m, "rule", lm->rule);
	cJSON_AddStringToObject(m, "path", lm->path);
	cJSON_AddStringToObject(m, "problem", lm->problem);
	cJSON_AddStringToObject(m, "fix", lm->fix);
	return m;
}

static cJSON *
check_file_json(const struct check_result *r, const struct check_opts *co)
{
	cJSON *f = cJSON_CreateObject();
	cJSON *msgs;

	cJSON_AddStringToObject(f, "file", r->file);
	if (r->pb)
		cJSON_AddStringToObject(f, "id", r->pb->id);
	else
		cJSON_AddNullToObject(f, "id");
	cJSON_AddBoolToObject(f, "valid", check_is_valid(r, co));
	cJSON_AddNumberToObject(f, "errors", r->pb ? (double)r->lint.n_errors
						   : 1);
	cJSON_AddNumberToObject(f, "warnings", (double)r->lint.n_warnings);
	msgs = cJSON_AddArrayToObject(f, "messages");
	if (!r->pb)
		cJSON_AddItemToArray(msgs, check_load_json(r));
	for (size_t i = 0; i < r->lint.n_msgs; i++)
		cJSON_AddItemToArray(msgs, check_lint_json(&r->lint.msgs[i]));
	return f;
}

static int
check_files(char **files, int n, const struct check_opts *co)
{
	cJSON *doc = co->json ? cJSON_CreateObject() : NULL;
	cJSON *list = doc ? cJSON_AddArrayToObject(doc, "files") : NULL;
	int bad = 0, unreadable = 0;

	for (int i = 0; i < n; i++) {
		struct check_result r;

		check_one(files[i], &r);
		bad += !check_is_valid(&r, co);
		unreadable += !r.pb && r.err.code == ERR_IO;
		if (doc)
			cJSON_AddItemToArray(list, check_file_json(&r, co));
		else
			check_print_text(&r, co);
		check_result_done(&r);
	}
	if (doc) {
		char *text;

		cJSON_AddBoolToObject(doc, "valid", bad == 0);
		text = cJSON_PrintUnformatted(doc);
		puts(text);
		free(text);
		cJSON_Delete(doc);
	}
	return unreadable ? EXIT_USAGE : bad ? EXIT_INCOMPLETE : EXIT_OK;
}

int
cli_check(const struct cli_opts *o)
{
	struct check_opts co = { 0 };

	if (o->n_args == 0) {
		fputs("rewind check: give at least one playbook\n", stderr);
		return EXIT_USAGE;
	}
	return check_files(o->args, o->n_args, &co);
}

static int
check_usage(FILE *out)
{
	fputs("Usage: rewind check [--strict] [--quiet] [--format=text|json] "
	      "PLAYBOOK...\n"
	      "Validate playbooks (schema, then lint; see rewind-playbook(5),"
	      " CHECK).\n"
	      "Exit status: 0 all valid, 1 some invalid, 2 usage error or "
	      "unreadable file.\n", out);
	return EXIT_USAGE;
}

int
cli_check_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "quiet", no_argument, NULL, 'q' },
		{ "strict", no_argument, NULL, 'S' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct check_opts co = { 0 };
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "q", opts, NULL)) != -1) {
		if (c == 'q')
			co.quiet = 1;
		else if (c == 'S')
			co.strict = 1;
		else if (c == 'f' && (strcmp(optarg, "json") == 0 ||
				      strcmp(optarg, "text") == 0))
			co.json = strcmp(optarg, "json") == 0;
		else if (c == 'h') {
			check_usage(stdout);
			return EXIT_OK;
		} else
			return check_usage(stderr);
	}
	if (optind >= argc) {
		fputs("rewind check: give at least one playbook\n", stderr);
		return check_usage(stderr);
	}
	return check_files(argv + optind, argc - optind, &co);
}

/* --- verify --------------------------------------------------------------------- */

/* The journal of SESSION: the file itself, or journal.jsonl inside it. */
static char *
journal_path(const char *session)
{
	struct stat st;

	if (stat(session, &st) == 0 && S_ISDIR(st.st_mode))
		return xasprintf("%s/journal.jsonl", session);
	return xstrdup(session);
}

/* A chain that links up but lacks the hash --expect noted: the failure
 * first, then what the events left prove (nothing about what was cut),
 * in words that never read like success. Returns 1. */
static int
print_expect_missing(const struct cli_opts *o, const char *path,
		     const struct journal_verify *v)
{
	char *msg = xasprintf("%s: no event has the hash %s: the journal was "
			      "cut or rewritten since that hash was noted",
			      path, o->expect);

	cli_print_error(NULL, msg);
	free(msg);
	fflush(stderr);
	printf("%s: NOT intact against %s: the %llu events left still link "
	       "up (ending at %.16s), which proves nothing about what was "
	       "cut\n", path, o->expect, (unsigned long long)v->n_events,
	       v->last_hash);
	return 1;
}

/* An intact chain, with its last hash to note; with --expect, whether
 * the noted hash is still in it. Returns 0, or 1 when it is not. */
static int
print_intact(const struct cli_opts *o, const char *path,
	     const struct journal_verify *v)
{
	if (o->expect && !v->pin_line)
		return print_expect_missing(o, path, v);
	printf("%s: intact: %llu events, hash chain verified; it ends at "
	       "%.16s (note it: rewind verify --expect %.16s finds a later "
	       "cut or rewrite)\n", path, (unsigned long long)v->n_events,
	       v->last_hash, v->last_hash);
	if (o->expect)
		printf("%s: %s is the hash of event %llu: nothing up to it "
		       "was cut or changed (%llu events since)\n", path,
		       o->expect, (unsigned long long)v->pin_line,
		       (unsigned long long)(v->n_events - v->pin_line));
	return 0;
}

/* The message files the journal vouches for; 1 when one differs. */
static int
check_evidence(const char *dir)
{
	struct evidence ev;
	struct err err = { 0 };
	char *msg;

	if (evidence_check(dir, &ev, &err) < 0) {
		cli_print_error(NULL, err.msg);
		return 1;
	}
	if (ev.n_bad) {
		msg = xasprintf("%s/%s (%u message file%s changed or missing)",
				dir, ev.bad, ev.n_bad, ev.n_bad == 1 ? "" : "s");
		cli_print_error(NULL, msg);
		free(msg);
		return 1;
	}
	if (ev.checked || ev.outside)
		printf("%s: %u message file%s hold%s the text the journal "
		       "holds%s\n", dir, ev.checked, ev.checked == 1 ? "" : "s",
		       ev.checked == 1 ? "s" : "",
		       ev.outside ? "; those delivered outside the session "
				    "folder are not checked" : "");
	return 0;
}

static void
print_broken(const char *path, const struct journal_verify *v)
{
	char *msg = xasprintf("%s: line %llu: %s", path,
			      (unsigned long long)v->bad_line, v->reason);

	cli_print_error(NULL, msg);
	free(msg);
	if (v->unverified_from < v->bad_line)
		fprintf(stderr, "%s: line %llu was changed, or lines after it "
			"removed: nothing from line %llu on is proven (%llu "
			"events are)\n", path,
			(unsigned long long)v->unverified_from,
			(unsigned long long)v->unverified_from,
			(unsigned long long)v->n_events);
}

/* --- verify --against: the chain heads published to a git remote -------------- */

/* The local cache of what remotes hold: $XDG_CACHE_HOME/rewind/remotes. */
char *
cli_remotes_cache(void)
{
	const char *cache = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");

	if (cache && *cache == '/')
		return xasprintf("%s/rewind/remotes", cache);
	return xasprintf("%s/.cache/rewind/remotes",
			 home && *home ? home : ".");
}

/* A copy fetched into the cache names the remote it came from (a dot
 * name: no publish writes one), so that nothing signs the copy. */
#define FETCHED_FROM ".fetched-from"

static void
note_fetched_from(const char *out, const char *remote)
{
	char *path = xasprintf("%s/" FETCHED_FROM, out);
	FILE *f = fopen(path, "w");

	if (f) {
		fprintf(f, "%s\n", remote);
		fclose(f);
	}
	free(path);
}

/* The remote the folder DIR was fetched from (a cache copy), or NULL.
 * Caller frees. */
static char *
fetched_from(const char *dir)
{
	char *path = xasprintf("%s/" FETCHED_FROM, dir), *line = NULL;
	FILE *f = fopen(path, "r");
	size_t size = 0;
	ssize_t n = f ? getline(&line, &size, f) : -1;

	if (f)
		fclose(f);
	free(path);
	if (n <= 1) {
		free(line);
		return NULL;
	}
	line[strcspn(line, "\n")] = '\0';
	return line;
}

/* DIR is a copy fetched from a remote: nothing done to it reaches the
 * session. Says what to type instead (WHAT: the rest of the command
 * line, or NULL) and returns -1; 0 when DIR is no such copy. */
static int
refuse_fetched_copy(const char *cmd, const char *dir, const char *what)
{
	char *remote = fetched_from(dir), *id, *arg, *q, *safe, *rsafe;

	if (!remote)
		return 0;
	id = share_session_id(dir);
	arg = xasprintf("%s#%s", remote, id);
	q = handoff_shell_quote(arg);
	safe = sanitize_text(q, strlen(q));
	rsafe = sanitize_text(remote, strlen(remote));
	fprintf(stderr, "rewind: %s is a copy fetched from %s to watch: "
		"nothing done to it reaches the session; instead: rewind "
		"%s %s%s%s\n", dir, rsafe, cmd, safe, what ? " " : "",
		what ? what : "");
	free(rsafe);
	free(safe);
	free(q);
	free(arg);
	free(id);
	free(remote);
	return -1;
}

static void mark_fetched(const char *gitdir);

int
cli_remote_copy(const char *remote, const char *id, char **gitdir,
		char **sessions, struct err *err)
{
	char *cache = cli_remotes_cache();
	char **ids = NULL;
	size_t n = 0;
	int rc = -1;

	*gitdir = *sessions = NULL;
	if (session_make_dirs(cache, err) < 0 ||
	    !(*gitdir = share_cache_repo(cache, remote, err)))
		goto out;
	*sessions = xasprintf("%.*s.sessions", (int)strlen(*gitdir) - 4,
			      *gitdir);
	if (session_make_dirs(*sessions, err) < 0 ||
	    share_fetch(*gitdir, remote, id, err) < 0)
		goto out;
	if (!id)	/* the whole list is known as of now */
		mark_fetched(*gitdir);
	if (id) {
		char *out = xasprintf("%s/%s", *sessions, id);

		rc = share_materialize(*gitdir, id, out, err) < 0 ? -1 : 0;
		if (rc == 0)
			note_fetched_from(out, remote);
		free(out);
		goto out;
	}
	if (share_list_ids(*gitdir, &ids, &n, err) < 0)
		goto out;
	rc = 0;
	for (size_t i = 0; i < n; i++) {
		char *out = xasprintf("%s/%s", *sessions, ids[i]);
		struct err one = { 0 };

		if (share_materialize(*gitdir, ids[i], out, &one) < 0)
			cli_print_error("rewind", one.msg);
		else
			note_fetched_from(out, remote);
		free(out);
		free(ids[i]);
	}
	free(ids);
out:
	if (rc < 0) {
		free(*gitdir);
		free(*sessions);
		*gitdir = *sessions = NULL;
	}
	free(cache);
	return rc;
}

/* Mark GITDIR as fetched now (git fetch runs with --no-write-fetch-head). */
static void
mark_fetched(const char *gitdir)
{
	char *path = xasprintf("%s/rewind-fetched", gitdir);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd >= 0)
		close(fd);
	free(path);
}

/* When the cache's copy of REMOTE was last fetched ("" when never). */
static void
last_fetched(const char *gitdir, char *buf, size_t size)
{
	char *path = xasprintf("%s/rewind-fetched", gitdir);
	struct stat st;

	buf[0] = '\0';
	if (stat(path, &st) == 0)
		timefmt_us((int64_t)st.st_mtime * 1000000, TF_HMS_ZONE, buf,
			   size);
	free(path);
}

/* The copy of REMOTE (session ID, or every one with ID NULL) fetched
 * earlier, when REMOTE cannot be reached now: 0 with *GITDIR and
 * *SESSIONS, after a warning on stderr that says why and how old the
 * copy is; -1 when there is none (ERR keeps the fetch's failure). */
static int
cached_remote_copy(const char *remote, const char *id, char **gitdir,
		   char **sessions, const struct err *why)
{
	char *cache = cli_remotes_cache(), *probe, *msg;
	char when[64];
	struct err err = { 0 };
	struct stat st;

	*gitdir = share_cache_repo(cache, remote, &err);
	free(cache);
	if (!*gitdir)
		return -1;
	*sessions = xasprintf("%.*s.sessions", (int)strlen(*gitdir) - 4,
			      *gitdir);
	probe = id ? xasprintf("%s/%s/journal.jsonl", *sessions, id)
		   : xstrdup(*sessions);
	/* a list: as of the last fetch of every session (one fetched
	 * alone since does not make the list whole); a session: as of the
	 * last time its copy grew */
	when[0] = '\0';
	if (!id)
		last_fetched(*gitdir, when, sizeof(when));
	else if (stat(probe, &st) == 0)
		timefmt_us((int64_t)st.st_mtime * 1000000, TF_HMS_ZONE, when,
			   sizeof(when));
	if (stat(probe, &st) < 0 || !when[0]) {
		free(probe);
		free(*gitdir);
		free(*sessions);
		*gitdir = *sessions = NULL;
		return -1;
	}
	free(probe);
	msg = xasprintf("%s: showing the copy of %s last fetched at %s",
			why->msg, remote, when);
	cli_print_error("rewind: warning", msg);
	free(msg);
	return 0;
}

/* The one session id in SESSIONS (a cache folder of copies) that begins
 * with PREFIX: a copy of it (caller frees), or NULL with ERR naming none
 * or every one that begins so. */
static char *
one_id_with_prefix(const char *sessions, const char *prefix,
		   const char *remote, struct err *err)
{
	DIR *d = opendir(sessions);
	struct dirent *e;
	struct strbuf all = STRBUF_INIT;
	char *found = NULL;
	int n = 0;

	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.' ||
		    strncmp(e->d_name, prefix, strlen(prefix)) != 0)
			continue;
		strbuf_addf(&all, "%s%s", n++ ? ", " : "", e->d_name);
		free(found);
		found = xstrdup(e->d_name);
	}
	if (d)
		closedir(d);
	if (n != 1) {
		free(found);
		found = NULL;
		if (n == 0)
			err_set(err, ERR_NOTFOUND, "%s: no session published "
				"to %s begins so (rewind sessions %s lists "
				"them)", prefix, remote, remote);
		else
			err_set(err, ERR_INVALID, "%s: %d sessions published "
				"to %s begin so: %s", prefix, n, remote,
				strbuf_str(&all));
	}
	strbuf_done(&all);
	return found;
}

char *
cli_remote_find_session(const char *remote, const char *prefix,
			struct err *err)
{
	char *gitdir = NULL, *sessions = NULL, *id;

	if (cli_remote_copy_or_cached(remote, NULL, &gitdir, &sessions,
				      err) < 0)
		return NULL;
	id = one_id_with_prefix(sessions, prefix, remote, err);
	free(gitdir);
	free(sessions);
	return id;
}

int
cli_remote_copy_or_cached(const char *remote, const char *id, char **gitdir,
			  char **sessions, struct err *err)
{
	if (cli_remote_copy(remote, id, gitdir, sessions, err) == 0)
		return 0;
	if (err->code != ERR_IO)
		return -1;
	return cached_remote_copy(remote, id, gitdir, sessions, err);
}

/* The repository to fetch REMOTE into for verifying: the cache's, never
 * the session's own share.git, whose ref is what its publisher builds on
 * (a fetch there of a ref someone else forced would make the next publish
 * continue their history). */
static char *
against_repo(const char *remote, struct err *err)
{
	char *cache = cli_remotes_cache(), *own;

	if (session_make_dirs(cache, err) < 0) {
		free(cache);
		return NULL;
	}
	own = share_cache_repo(cache, remote, err);
	free(cache);
	return own;
}

/* The hash of each line of the journal at PATH. */
static char (*line_hashes(const char *path, size_t *n, struct err *err))[65]
{
	struct strbuf sb;
	char (*h)[65] = NULL;
	const char *line;

	*n = 0;
	strbuf_init(&sb);
	if (strbuf_read_file(&sb, path, (size_t)1 << 30, err) < 0)
		return NULL;
	line = sb.buf ? sb.buf : "";
	for (size_t i = 0; i < sb.len; i++) {
		if (sb.buf[i] != '\n')
			continue;
		h = xrealloc(h, (*n + 1) * sizeof(*h));
		sha256_hex(line, (size_t)(sb.buf + i - line), h[(*n)++]);
		line = sb.buf + i + 1;
	}
	strbuf_done(&sb);
	return h ? h : xcalloc(1, sizeof(*h));
}

static void
print_missing(const char *path, const char *remote,
	      const struct share_anchor *a, size_t local)
{
	char when[64];
	char *msg;

	timefmt_us(a->when_us, TF_HMS_ZONE, when, sizeof(when));
	msg = xasprintf("%s: the head published to %s at %s (commit %.12s) "
			"is missing: event %llu with hash %.16s is not in the "
			"local journal (%s): it was %s after it was published",
			path, remote, when, a->commit,
			(unsigned long long)a->events, a->head, a->events > local
			? "it holds fewer events" : "that event differs",
			a->events > local ? "cut" : "rewritten");
	cli_print_error(NULL, msg);
	free(msg);
}

static int remove_tree(const char *dir);

/* How the journal here and the one published now compare: the events
 * both hold alike (COMMON), and those only the remote or only the local
 * journal holds; HANDOVER: the index of the first session.handover among
 * the remote's own (or (size_t)-1), with whom TO and when WALL. */
struct journal_fork {
	size_t common, local, remote, handover;
	char *to, *wall;
};

/* The first session.handover at index COMMON or later of the journal at
 * PATH, into F. */
static void
find_handover(const char *path, struct journal_fork *f)
{
	char *line = NULL;
	FILE *fp = fopen(path, "r");
	size_t size = 0, i = 0;
	ssize_t n;

	f->handover = (size_t)-1;
	while (fp && (n = getline(&line, &size, fp)) > 0) {
		if (i >= f->common && strstr(line, "\"type\":\"session.handover\"")) {
			cJSON *ev = cJSON_ParseWithLength(line, (size_t)n);
			cJSON *p = cJSON_GetObjectItem(ev, "payload");

			f->to = xstrdup_or_null(cJSON_GetStringValue(
				cJSON_GetObjectItem(p, "to")));
			f->wall = xstrdup_or_null(cJSON_GetStringValue(
				cJSON_GetObjectItem(ev, "wall")));
			f->handover = i;
			cJSON_Delete(ev);
			break;
		}
		i++;
	}
	if (fp)
		fclose(fp);
	free(line);
}

/* Compare the local hashes H (N_LOCAL) with the journal published now
 * (read out of GITDIR into a scratch folder). 0, or -1 with ERR. */
static int
compare_published(const char *gitdir, const char *id, char (*h)[65],
		  size_t n_local, struct journal_fork *f, struct err *err)
{
	const char *tmp = getenv("TMPDIR");
	char *tmpl = xasprintf("%s/rewind-verify-XXXXXX",
			       tmp && *tmp ? tmp : "/tmp"), *path = NULL;
	char (*r)[65] = NULL;
	size_t n_remote = 0;
	int rc = -1;

	memset(f, 0, sizeof(*f));
	if (!mkdtemp(tmpl)) {
		rc = err_set(err, ERR_IO, "%s: %s", tmpl, strerror(errno));
		free(tmpl);
		return rc;
	}
	path = xasprintf("%s/journal.jsonl", tmpl);
	if (share_materialize(gitdir, id, tmpl, err) < 0 ||
	    !(r = line_hashes(path, &n_remote, err)))
		goto out;
	while (f->common < n_local && f->common < n_remote &&
	       strcmp(h[f->common], r[f->common]) == 0)
		f->common++;
	f->local = n_local - f->common;
	f->remote = n_remote - f->common;
	find_handover(path, f);
	rc = 0;
out:
	free(r);
	free(path);
	remove_tree(tmpl);
	free(tmpl);
	return rc;
}

/* Whether anchor A is the successor's (published after a hand-over the
 * local journal never had), not missing from here. */
static int
successors_anchor(const struct journal_fork *f, const struct share_anchor *a)
{
	return f->handover != (size_t)-1 && a->events > f->handover;
}

/* Whether every line of the journal at PATH from index FROM on is a
 * record of sharing itself (share.published, share.taken, ...): what a
 * copy journals about its publishes after its last one, not a fork. */
static int
only_share_records(const char *path, size_t from)
{
	char *line = NULL;
	FILE *fp = fopen(path, "r");
	size_t size = 0, i = 0;
	int only = fp != NULL;

	while (only && getline(&line, &size, fp) > 0)
		if (i++ >= from)
			only = strstr(line, "\"type\":\"share.") != NULL;
	if (fp)
		fclose(fp);
	free(line);
	return only;
}

/* What the remote and the local journal hold that the other does not,
 * when neither was rewritten: said, not failed. */
static void
print_fork(const char *path, const char *remote, const struct journal_fork *f)
{
	if (f->remote && f->handover != (size_t)-1) {
		char *to = sanitize_text(f->to ? f->to : "?",
					 strlen(f->to ? f->to : "?"));

		printf("%s: the remote has %zu later event%s, after the "
		       "hand-over to %s at %s: theirs, not missing from "
		       "here\n", path, f->remote,
		       f->remote == 1 ? "" : "s", to, f->wall ? f->wall : "?");
		free(to);
	}
	if (f->local)
		printf("%s: %zu local event%s never published (events %zu to "
		       "%zu): %s\n", path, f->local, f->local == 1 ? "" : "s",
		       f->common + 1, f->common + f->local,
		       only_share_records(path, f->common)
		       ? "this copy's own records of its publishing (share.*), "
			 "written after its last publish: not a fork"
		       : f->remote
		       ? "a fork: the published session went on without them"
		       : "the next publish carries them");
}

static char *journalled_taken_by(const char *dir);

/* The last event of TYPE in the journal at PATH, parsed (caller frees
 * with cJSON_Delete), or NULL. */
static cJSON *
last_event_of(const char *path, const char *type)
{
	char *needle = xasprintf("\"type\":\"%s\"", type), *line = NULL;
	FILE *fp = fopen(path, "r");
	size_t size = 0;
	ssize_t n;
	cJSON *last = NULL;

	while (fp && (n = getline(&line, &size, fp)) > 0) {
		cJSON *ev;

		if (!strstr(line, needle) ||
		    !(ev = cJSON_ParseWithLength(line, (size_t)n)))
			continue;
		cJSON_Delete(last);
		last = ev;
	}
	if (fp)
		fclose(fp);
	free(line);
	free(needle);
	return last;
}

/* The session folder of the journal at PATH. Caller frees. */
static char *
session_dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
}

/* This session's own last publish, from the journal at PATH: its commit,
 * the events it held and when (wall). 0 when it never published. */
static int
last_own_publish(const char *path, char commit[41], unsigned long *events,
		 char when[40])
{
	cJSON *ev = last_event_of(path, "share.published");
	cJSON *p = cJSON_GetObjectItem(ev, "payload");
	cJSON *c = cJSON_GetObjectItem(p, "commit");
	cJSON *e = cJSON_GetObjectItem(p, "events");
	cJSON *w = cJSON_GetObjectItem(ev, "wall");
	int found = cJSON_IsString(c) && strlen(c->valuestring) == 40;

	if (found) {
		snprintf(commit, 41, "%s", c->valuestring);
		*events = cJSON_IsNumber(e) ? (unsigned long)e->valuedouble : 0;
		snprintf(when, 40, "%s", cJSON_IsString(w) ? w->valuestring
							   : "?");
	}
	cJSON_Delete(ev);
	return found;
}

/* The remote's ref no longer holds the last commit the journal at PATH
 * says this session published (someone forced it): said, blaming the
 * remote, not the journal here. 1 when so. */
static int
remote_replaced(const char *gitdir, const char *id, const char *path,
		const char *remote)
{
	char commit[41], now[41], when[40];
	unsigned long events = 0;
	char *msg, *taken, *dir;

	if (!last_own_publish(path, commit, &events, when) ||
	    share_ref_continues(gitdir, id, commit, now) != 0)
		return 0;
	dir = session_dir_of(path);
	taken = journalled_taken_by(dir);
	free(dir);
	msg = xasprintf("%s: the session's ref on %s was replaced: it points "
			"at commit %.12s, which does not continue commit %.12s "
			"that this copy published at %s (%lu events); someone "
			"forced the ref, so what it holds now cannot anchor "
			"this journal (ask who pushed %.12s; the ref belongs "
			"at the session's latest publish%s%s%s)", path, remote,
			now, commit, when, events, now,
			taken ? ", which after the hand-over to " : "",
			taken ? taken : "", taken ? " is theirs, not this "
			"copy's" : "");
	free(taken);
	cli_print_error(NULL, msg);
	free(msg);
	return 1;
}

/* Every head published to O->against must be in the journal at PATH.
 * 0 when it is (the last anchored head printed), else 1. */
static int
verify_against(const struct cli_opts *o, const char *path)
{
	struct err err = { 0 };
	struct share_anchor *a = NULL;
	char *id = share_session_id(o->args[0]);
	char *gitdir = against_repo(o->against, &err);
	char (*h)[65] = NULL;
	size_t n = 0, local = 0, bad = 0, ours = 0, last = 0;
	struct journal_fork f = { 0 };

	if (gitdir && share_fetch(gitdir, o->against, id, &err) == 0 &&
	    remote_replaced(gitdir, id, path, o->against)) {
		bad = 1;
		goto out;
	}
	if (!gitdir || err.code ||
	    share_anchors(gitdir, id, &a, &n, &err) < 0 ||
	    !(h = line_hashes(path, &local, &err)) ||
	    compare_published(gitdir, id, h, local, &f, &err) < 0) {
		cli_print_error(NULL, err.msg);
		bad = 1;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		if (a[i].events == 0 || successors_anchor(&f, &a[i]))
			continue;
		last = i;
		ours++;
		if (a[i].events > local ||
		    strcmp(h[a[i].events - 1], a[i].head) != 0) {
			print_missing(path, o->against, &a[i], local);
			bad++;
		}
	}
	if (!bad)
		print_fork(path, o->against, &f);
	if (!bad && ours)
		printf("%s: anchored: it holds every one of the %zu chain "
		       "heads published to %s%s; the last anchored head is "
		       "%.16s (event %llu, commit %.12s)\n", path, ours,
		       o->against, ours < n ? " before the hand-over" : "",
		       a[last].head, (unsigned long long)a[last].events,
		       a[last].commit);
	else if (bad)
		fprintf(stderr, "%s: %zu of the %zu heads published to %s are "
			"missing\n", path, bad, n, o->against);
out:
	free(f.to);
	free(f.wall);
	free(h);
	free(a);
	free(gitdir);
	free(id);
	return bad ? 1 : 0;
}

/* A bare chain proves what it holds, not that nothing was cut after its
 * last line. */
static void
print_bare_chain(const struct cli_opts *o, const char *path)
{
	char *own = xasprintf("%s/share.git", o->args[0]);
	int shared = access(own, F_OK) == 0;

	free(own);
	if (shared)
		printf("%s: this session was published (--share): rewind "
		       "verify --against REMOTE also checks that no tail was "
		       "cut since\n", path);
	else
		printf("%s: a bare hash chain cannot detect a cut tail (the "
		       "last events removed); run with --share REMOTE and "
		       "verify --against REMOTE to anchor it\n", path);
}

int
cli_verify(const struct cli_opts *o)
{
	struct journal_verify v = { 0 };
	struct err err = { 0 };
	char *path;
	int rc;

	if (o->n_args != 1) {
		fputs("rewind verify: give one session directory\n", stderr);
		return EXIT_USAGE;
	}
	if (o->expect && (strlen(o->expect) < 8 ||
			  strspn(o->expect, "0123456789abcdef") !=
			  strlen(o->expect))) {
		fprintf(stderr, "rewind verify: --expect %s: give at least 8 "
			"of the hex digits verify printed\n", o->expect);
		return EXIT_USAGE;
	}
	path = journal_path(o->args[0]);
	rc = journal_verify_pinned(path, o->expect, &v, &err);
	if (rc == 0 && session_verify_copy(o->args[0], &err) < 0)
		rc = err.code == ERR_CORRUPT ? 2 : -1;
	if (rc < 0 || rc == 2)
		cli_print_error(NULL, err.msg);
	else if (rc == 0 && o->against)
		rc = print_intact(o, path, &v) | verify_against(o, path) |
		     check_evidence(o->args[0]);
	else if (rc == 0) {
		rc = print_intact(o, path, &v) || check_evidence(o->args[0]);
		if (!o->expect)
			print_bare_chain(o, path);
	}
	else
		print_broken(path, &v);
	free(path);
	return rc < 0 ? EXIT_USAGE : rc ? EXIT_INCOMPLETE : EXIT_OK;
}

/* --- approve -------------------------------------------------------------------- */

static int
approve_usage(void)
{
	fputs("rewind approve: usage: rewind approve SESSION STEP --role ROLE "
	      "[--as NAME] [--comment TEXT] [--yes]\n", stderr);
	return EXIT_USAGE;
}

/* "DIR: NAME approved STEP as ROLE", each part sanitized. */
static void
print_approved(const char *dir, const char *name, const char *step,
	       const char *role)
{
	const char *parts[4] = { dir, name, step, role };
	char *safe[4];

	for (int i = 0; i < 4; i++)
		safe[i] = sanitize_text(parts[i], strlen(parts[i]));
	printf("%s: %s approved %s as %s\n", safe[0], safe[1], safe[2],
	       safe[3]);
	for (int i = 0; i < 4; i++)
		free(safe[i]);
}

/* The approver's name: --as, else the real login name (never $USER:
 * anyone can set it). The journal keeps the real login beside --as. */
static const char *
approver_name(const struct cli_opts *o)
{
	return o->as ? o->as : identity_real_login();
}

/* --as named someone other than the login running this: both are in the
 * journal, and the approver is told so. */
static void
print_login_beside(const char *name)
{
	char *safe = sanitize_text(name, strlen(name));

	printf("rewind approve: the journal records your login, %s, beside "
	       "the name %s\n", identity_real_login(), safe);
	free(safe);
}

/* A hand-off line's placeholder typed as it was, never a name. */
static int
is_placeholder(const char *name)
{
	return strcasecmp(name, "NAME") == 0 ||
	       strcasecmp(name, "YOUR NAME") == 0 ||
	       (name[0] == '<' && name[strlen(name) - 1] == '>');
}

/* "NAME signs STEP as ROLE. It covers:" and then COVERS line by line,
 * each line sanitized (the newlines between them are not text to
 * escape). */
static void
print_covers(const char *name, const char *step, const char *role,
	     const char *covers)
{
	const char *parts[3] = { name, step, role };
	char *safe[3];

	for (int i = 0; i < 3; i++)
		safe[i] = sanitize_text(parts[i], strlen(parts[i]));
	printf("%s signs %s as %s. It covers:\n", safe[0], safe[1], safe[2]);
	for (int i = 0; i < 3; i++)
		free(safe[i]);
	for (const char *p = covers; *p;) {
		size_t len = strcspn(p, "\n");
		char *line = sanitize_text(p, len);

		printf("%s\n", line);
		free(line);
		p += len + (p[len] == '\n');
	}
}

/* --role as the playbook writes the role it names (the rule of
 * approvers' names), else as typed. */
static const char *
shown_role(const struct cli_opts *o, const struct session *s)
{
	const char *r = session_role_name(s, o->args[1], o->role);

	return r ? r : o->role;
}

/* ANSWER (one line, its newline included or not) is "y" or "yes" in any
 * case, blanks around it ignored: anything else is no. */
static int
answer_is_yes(const char *answer)
{
	size_t len;

	answer += strspn(answer, " \t");
	len = strcspn(answer, " \t\r\n");
	if (answer[len + strspn(answer + len, " \t\r\n")])
		return 0;
	return (len == 1 && strncasecmp(answer, "y", 1) == 0) ||
	       (len == 3 && strncasecmp(answer, "yes", 3) == 0);
}

/* Show what signing step ID of S covers; unless --yes, ask before
 * signing and read the answer from stdin, a terminal or not: a script's
 * "n" (or no answer at all) must never sign. Returns whether to sign. */
static int
approver_agrees(const struct cli_opts *o, const struct session *s,
		const char *name)
{
	char *covers = session_approval_covers(s, o->args[1]);
	char answer[64];
	int tty = isatty(STDIN_FILENO);

	if (covers) {
		print_covers(name, o->args[1], shown_role(o, s), covers);
		free(covers);
	}
	if (o->yes)
		return 1;
	fputs("Sign it? [y/N] ", stdout);
	fflush(stdout);
	if (fgets(answer, sizeof(answer), stdin) && answer_is_yes(answer)) {
		if (!tty)
			fputs("y\n", stdout);
		return 1;
	}
	if (!tty)
		fputs("\n", stdout);
	fputs(tty ? "rewind approve: not signed (the answer was not y)\n"
	      : "rewind approve: not signed: the answer read from stdin was "
		"not y or yes (--yes signs without asking, for scripts)\n",
	      stderr);
	return 0;
}

/* --- approve REMOTE#SESSION: a sign-off written to the session's inbox --------- */

int
cli_remote_session_arg(const char *arg, char **remote, const char **id)
{
	const char *hash = strrchr(arg, '#');
	struct stat st;

	if (!hash || hash == arg || !hash[1] || strchr(hash + 1, '/') ||
	    stat(arg, &st) == 0)
		return 0;
	*remote = xstrndup(arg, (size_t)(hash - arg));
	*id = hash + 1;
	return 1;
}

static void
print_safe(FILE *f, const char *fmt_prefix, const char *text)
{
	char *safe = sanitize_text(text, strlen(text));

	fprintf(f, "%s%s\n", fmt_prefix, safe);
	free(safe);
}

/* What the published journal at PATH says of request ID, its line
 * parsed, or NULL while it says nothing. */
static cJSON *
request_outcome(const char *path, const char *id)
{
	char *needle = xasprintf("\"request\":\"%s\"", id), *line = NULL;
	FILE *f = fopen(path, "r");
	size_t size = 0;
	ssize_t n;
	cJSON *ev = NULL;

	while (!ev && f && (n = getline(&line, &size, f)) > 0)
		if (strstr(line, needle))
			ev = cJSON_ParseWithLength(line, (size_t)n);
	if (f)
		fclose(f);
	free(line);
	free(needle);
	return ev;
}

/* Say what the commander's console did with a request, from its journal
 * event EV: 0 taken, 1 refused. */
static int
print_outcome(const cJSON *ev, const char *id)
{
	const char *type = cJSON_GetStringValue(cJSON_GetObjectItem(ev,
								    "type"));
	char *words = evtext_describe(ev);
	char *head = xasprintf("rewind approve: request %.8s %s: ", id,
			       type && strcmp(type, "approval.granted") == 0
			       ? "taken" : "REFUSED");

	print_safe(stdout, head, words ? words : "?");
	free(head);
	free(words);
	return type && strcmp(type, "approval.granted") == 0 ? 0 : 1;
}

/* Requests this login on this host wrote earlier that the commander's
 * console refused: told again, as the approver may not have waited. */
static void
print_earlier_refusals(const char *path, const char *login,
		       const char *host)
{
	char *line = NULL;
	FILE *f = fopen(path, "r");
	size_t size = 0;
	ssize_t n;

	while (f && (n = getline(&line, &size, f)) > 0) {
		cJSON *ev, *pv;
		const char *l, *h, *id;

		if (!strstr(line, "\"remote approve\"") ||
		    !strstr(line, "\"action.refused\""))
			continue;
		ev = cJSON_ParseWithLength(line, (size_t)n);
		pv = cJSON_GetObjectItem(cJSON_GetObjectItem(ev, "payload"),
					 "provenance");
		l = cJSON_GetStringValue(cJSON_GetObjectItem(pv, "login"));
		h = cJSON_GetStringValue(cJSON_GetObjectItem(pv, "host"));
		id = cJSON_GetStringValue(cJSON_GetObjectItem(pv, "request"));
		if (l && h && id && strcmp(l, login) == 0 &&
		    strcmp(h, host) == 0)
			print_outcome(ev, id);
		cJSON_Delete(ev);
	}
	if (f)
		fclose(f);
	free(line);
}

/* Fetch the published session again until its journal tells what became
 * of request ID, for up to WAIT_S seconds. */
static int
wait_outcome(const char *remote, const char *id, const char *req,
	     int wait_s)
{
	struct timespec pause = { 0, 500 * 1000000L };
	time_t end = time(NULL) + wait_s;

	printf("rewind approve: waiting up to %d s for the commander's "
	       "console\n", wait_s);
	fflush(stdout);
	do {
		struct err err = { 0 };
		char *gitdir = NULL, *sessions = NULL, *path;
		cJSON *ev = NULL;

		if (cli_remote_copy(remote, id, &gitdir, &sessions, &err) == 0) {
			path = xasprintf("%s/%s/journal.jsonl", sessions, id);
			ev = request_outcome(path, req);
			free(path);
		}
		free(gitdir);
		free(sessions);
		if (ev) {
			int rc = print_outcome(ev, req);

			cJSON_Delete(ev);
			return rc ? EXIT_INCOMPLETE : EXIT_OK;
		}
		nanosleep(&pause, NULL);
	} while (time(NULL) < end);
	printf("rewind approve: request %.8s: no answer in %d s (the "
	       "commander's console takes requests while it runs; rewind "
	       "watch %s#%s shows it when it does)\n", req, wait_s, remote,
	       id);
	return EXIT_INCOMPLETE;
}

/* The request for O's sign-off of the published copy S (at DIR) as NAME. */
static void
fill_request(const struct cli_opts *o, struct session *s, const char *dir,
	     const char *id, const char *name, struct share_request *r)
{
	char host[256], req[37], *path = xasprintf("%s/journal.jsonl", dir);
	struct err err = { 0 };
	char (*h)[65];
	size_t n = 0;

	if (gethostname(host, sizeof(host)) < 0)
		snprintf(host, sizeof(host), "unknown");
	host[sizeof(host) - 1] = '\0';
	share_request_new_id(req);
	h = line_hashes(path, &n, &err);
	memset(r, 0, sizeof(*r));
	r->id = xstrdup(req);
	r->session = xstrdup(id);
	r->step = xstrdup(o->args[1]);
	r->role = xstrdup(shown_role(o, s));
	r->name = xstrdup(name);
	r->comment = xstrdup_or_null(o->comment);
	r->login = xstrdup(identity_real_login());
	r->host = xstrdup(host);
	r->gate_hash = session_approval_gate(s, o->args[1]);
	r->head = xstrdup(h && n ? h[n - 1] : "");
	r->events = n;
	free(h);
	free(path);
}

/* git config KEY as the user's git reads it here (their global and this
 * repository's settings), or NULL. */
static char *
git_config_get(const char *key)
{
	char *cmd = xasprintf("git config --get %s 2>/dev/null </dev/null",
			      key);
	FILE *p = popen(cmd, "r");
	char line[1024] = "";
	int ok = p && fgets(line, sizeof(line), p) != NULL;

	if (p && pclose(p) != 0)
		ok = 0;
	free(cmd);
	line[strcspn(line, "\n")] = '\0';
	return ok && line[0] ? xstrdup(line) : NULL;
}

/* The ssh key the approver signs requests with: git's own signing key
 * when git signs with ssh (gpg.format=ssh, user.signingKey a key file;
 * ~/ expanded), or NULL (the request goes unsigned). */
static char *
approver_signing_key(void)
{
	char *format = git_config_get("gpg.format");
	char *key = format && strcmp(format, "ssh") == 0
		  ? git_config_get("user.signingkey") : NULL;

	free(format);
	if (key && strncmp(key, "~/", 2) == 0 && getenv("HOME")) {
		char *full = xasprintf("%s/%s", getenv("HOME"), key + 2);

		free(key);
		key = full;
	}
	if (key && strncmp(key, "key::", 5) == 0) {
		fputs("rewind approve: user.signingKey holds a key itself "
		      "(key::...): give git a key file to sign requests "
		      "with; this one goes unsigned\n", stderr);
		free(key);
		key = NULL;
	}
	return key;
}

/* ID is no session published to REMOTE: when it is the start of one, ERR
 * says signing takes the whole name, and names it (a sign-off never
 * guesses which session it is for). */
static void
name_whole_session(const char *remote, const char *id, struct err *err)
{
	struct err none = { 0 };
	char *full = cli_remote_find_session(remote, id, &none);

	if (full)
		err_set(err, ERR_NOTFOUND, "%s: no session of that name is "
			"published to %s; signing takes a session's whole "
			"name: %s begins so (rewind approve '%s#%s' ...)", id,
			remote, full, remote, full);
	else if (none.code == ERR_INVALID)	/* several begin so */
		err_set(err, ERR_NOTFOUND, "%s: signing takes a session's "
			"whole name; %s", id, none.msg);
	free(full);
}

/* Sign step args[1] of the session published to REMOTE as ID: a request
 * written to its inbox there, which the commander's console takes or
 * refuses (and journals which). */
static int
approve_remote(const struct cli_opts *o, const char *remote, const char *id,
	       const char *name)
{
	struct err err = { 0 };
	struct share_request r = { 0 };
	char *gitdir = NULL, *sessions = NULL, *copy = NULL, *path;
	char *key = NULL;
	struct session *s = NULL;
	int rc = EXIT_USAGE;

	if (cli_remote_copy(remote, id, &gitdir, &sessions, &err) < 0) {
		if (err.code == ERR_NOTFOUND)
			name_whole_session(remote, id, &err);
		goto out;
	}
	copy = xasprintf("%s/%s", sessions, id);
	if (!(s = session_attach(copy, NULL, &err)))
		goto out;
	if (session_is_complete(s)) {
		err_set(&err, ERR_STATE, "%s: the session is complete: there "
			"is nothing left to sign (nothing was written)", id);
		goto out;
	}
	if (!session_role_name(s, o->args[1], o->role) &&
	    session_approval_allowed(s, o->args[1], o->role, name, &err) < 0)
		goto out;	/* no such step or role: nothing to send */
	if (session_approval_allowed(s, o->args[1], o->role, name, &err) < 0)
		print_safe(stdout, "rewind approve: as published, the session "
			   "would refuse it (the commander's console decides, "
			   "on the session as it is now): ", err.msg);
	else if (!approver_agrees(o, s, name)) {
		rc = EXIT_INCOMPLETE;
		goto done;
	}
	err_clear(&err);
	fill_request(o, s, copy, id, name, &r);
	path = xasprintf("%s/journal.jsonl", copy);
	print_earlier_refusals(path, r.login, r.host);
	free(path);
	key = approver_signing_key();
	if (share_request_send(gitdir, remote, &r, key, &err) < 0)
		goto out;
	printf("rewind approve: request %.8s written to %s: %s signs %s as "
	       "%s%s%s%s; the commander's console takes or refuses it\n",
	       r.id, remote, r.name, r.step, r.role, key ? " (signed with "
	       : " (unsigned: git signs with no ssh key here)", key ? key : "",
	       key ? ")" : "");
	rc = o->wait_s ? wait_outcome(remote, id, r.id, o->wait_s) : EXIT_OK;
	goto done;
out:
	cli_print_error("rewind approve", err.msg);
done:
	share_request_done(&r);
	session_free(s);
	free(key);
	free(copy);
	free(gitdir);
	free(sessions);
	return rc;
}

/* A sign-off refused before the session was asked (a name that is no
 * name, a placeholder) still leaves a trace in the session's journal of
 * who tried, from where; nothing when the session cannot be read. */
static void
journal_refused_name(const struct cli_opts *o, const char *reason)
{
	struct err err = { 0 };
	struct session *s = session_attach(o->args[0], NULL, &err);

	if (!s)
		return;
	if (session_is_complete(s))	/* its journal no longer changes */
		fprintf(stderr, "rewind approve: the session is complete and "
			"no longer changes: nothing was written\n");
	else
		session_refuse_approval(s, o->args[1], o->role,
					approver_name(o), identity_real_login(),
					reason);
	session_free(s);
}

/* The approver's name in normal form, or NULL when it is no name (an
 * error printed, the refusal journalled). */
static char *
approver_normal_name(const struct cli_opts *o)
{
	struct err err = { 0 };
	char *name = identity_normalize(approver_name(o), o->as
					? "rewind approve: --as"
					: "rewind approve: your login name (or --as)",
					&err);
	char *safe;

	if (!name) {
		cli_print_error(NULL, err.msg);
		journal_refused_name(o, err.msg);
		return NULL;
	}
	if (!is_placeholder(name))
		return name;
	safe = sanitize_text(name, strlen(name));
	fprintf(stderr, "rewind approve: --as %s is a placeholder, not "
		"a name: give your own (or leave --as out: your login "
		"name signs)\n", safe);
	free(safe);
	journal_refused_name(o, "--as is a placeholder, not a name");
	free(name);
	return NULL;
}

/* Approving a copy fetched to watch would sign nothing: refused,
 * naming the command that signs the session. 0, or -1. */
static int
approve_fetched_copy(const struct cli_opts *o)
{
	char *step = handoff_shell_quote(o->args[1]);
	char *role = handoff_shell_quote(o->role);
	char *as = o->as ? handoff_shell_quote(o->as) : NULL;
	char *rest = xasprintf("%s --role %s%s%s", step, role,
			       as ? " --as " : "", as ? as : "");
	int rc = refuse_fetched_copy("approve", o->args[0], rest);

	free(rest);
	free(as);
	free(role);
	free(step);
	return rc;
}

int
cli_approve(const struct cli_opts *o)
{
	struct action a = { .kind = ACT_APPROVE };
	struct err err = { 0 };
	struct session *s;
	char *name, *remote;
	const char *id;
	int rc;

	if (o->n_args != 2 || !o->role)
		return approve_usage();
	if (approve_fetched_copy(o) < 0)
		return EXIT_USAGE;
	/* Refused before anything is journalled under the name as typed. */
	name = approver_normal_name(o);
	if (!name)
		return EXIT_USAGE;
	if (cli_remote_session_arg(o->args[0], &remote, &id)) {
		rc = approve_remote(o, remote, id, name);
		free(remote);
		free(name);
		return rc;
	}
	s = session_attach(o->args[0], NULL, &err);
	if (!s) {
		cli_print_error(NULL, err.msg);
		free(name);
		return EXIT_USAGE;
	}
	/* A sign-off that will be refused shows nothing to agree to: the
	 * session refuses it below (and journals the refusal). */
	if (session_approval_allowed(s, o->args[1], o->role, name, &err) == 0 &&
	    !approver_agrees(o, s, name)) {
		free(name);
		session_free(s);
		return EXIT_INCOMPLETE;
	}
	a.step = xstrdup(o->args[1]);
	a.role = xstrdup(o->role);
	/* as typed: the session normalises it, and a refusal quotes it so */
	a.name = xstrdup(approver_name(o));
	a.text = xstrdup_or_null(o->comment);
	rc = session_apply(s, &a, name, &err);
	if (rc < 0)
		cli_print_error(NULL, err.msg);
	else {
		print_approved(o->args[0], name, o->args[1],
			       shown_role(o, s));
		if (!identity_same(name, identity_real_login()))
			print_login_beside(name);
	}
	action_done(&a);
	free(name);
	session_free(s);
	return rc < 0 ? EXIT_INCOMPLETE : EXIT_OK;
}

static void
print_injected(const char *dir, const char *id)
{
	char *d = sanitize_text(dir, strlen(dir));
	char *i = sanitize_text(id, strlen(id));

	printf("rewind: injection %s fired in %s\n", i, d);
	free(i);
	free(d);
}

/* The id of the injection NAME (an id or the start of one) fired in S,
 * borrowed. */
static const char *
injected_id(const struct session *s, const char *name)
{
	const struct pb_scenario *sc = playbook_find_scenario(
		session_playbook(s), session_scenario(s));
	ssize_t i = sc ? drill_find_inject(sc, name, NULL) : -1;

	return i >= 0 ? sc->injects[i].id : name;
}

/* `rewind drill --inject SESSION ID`: the game master, from a second
 * terminal, fires one of the scenario's injections in a running drill;
 * the trainee's console shows it as a scripted one. */
int
cli_inject(const struct cli_opts *o)
{
	struct action a = { .kind = ACT_INJECT };
	struct err err = { 0 };
	struct session *s;
	struct stat st;
	int rc;

	if (o->command != CMD_DRILL || o->n_args != 2) {
		fputs("usage: rewind drill --inject SESSION ID (the ids: rewind "
		      "drill --list-scenarios --game-master PLAYBOOK)\n", stderr);
		return EXIT_USAGE;
	}
	if (stat(o->args[0], &st) != 0 || !S_ISDIR(st.st_mode)) {
		char *msg = xasprintf("drill --inject: no session %s (the "
				      "session directory does not exist)",
				      o->args[0]);

		cli_print_error("rewind", msg);
		free(msg);
		return EXIT_USAGE;
	}
	s = session_attach(o->args[0], NULL, &err);
	if (!s) {
		cli_print_error("rewind", err.msg);
		return EXIT_USAGE;
	}
	a.name = xstrdup(o->args[1]);
	rc = session_apply(s, &a, "game master", &err);
	if (rc < 0)
		cli_print_error("rewind", err.msg);
	else
		print_injected(o->args[0], injected_id(s, o->args[1]));
	action_done(&a);
	session_free(s);
	return rc < 0 ? EXIT_INCOMPLETE : EXIT_OK;
}

/* --- where things live ---------------------------------------------------------- */

/* The playbook plain `rewind` drills: seed 004's web-service rollback
 * (P0-P3 matrix, partial rollbacks, escalation timers; no network and no
 * repository of the user's needed in a drill). example.json stays as the
 * small tutorial. */
#define DEFAULT_PLAYBOOK "web-service-rollback.json"

char *
cli_default_playbook(void)
{
	const char *env = getenv("REWIND_DATADIR");
	char *dir = paths_program_dir();
	char *candidates[3];
	char *found = NULL;

	candidates[0] = env && *env ? xasprintf("%s/" DEFAULT_PLAYBOOK, env)
				    : NULL;
	candidates[1] = dir ? xasprintf("%s/playbooks/" DEFAULT_PLAYBOOK, dir)
			    : NULL;
	candidates[2] = xasprintf("%s/" DEFAULT_PLAYBOOK, REWIND_DATADIR);
	for (int i = 0; i < 3; i++) {
		if (!found && candidates[i] && access(candidates[i], R_OK) == 0)
			found = candidates[i];
		else
			free(candidates[i]);
	}
	free(dir);
	return found;
}

char *
cli_sessions_root(void)
{
	const char *state = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");

	if (state && *state == '/')
		return xasprintf("%s/rewind/sessions", state);
	return xasprintf("%s/.local/state/rewind/sessions",
			 home && *home ? home : ".");
}

char *
cli_new_session_dir(const char *id)
{
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	char *base = cli_sessions_root(), *dir;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	dir = xasprintf("%s/%s-%s-%ld", base, id, stamp, (long)getpid());
	free(base);
	return dir;
}

/* --- opening a session for a front end ----------------------------------------- */

/* The newest live session of playbook ID, started in directory HERE,
 * that is not complete (NULL: none; caller frees), from the sessions
 * folder's list. */
static char *
open_same_session(const char *id, const char *here, char *what, size_t size)
{
	char *root = cli_sessions_root(), *found = NULL;
	struct session_summary *list = NULL;
	size_t n = 0;
	struct err err = { 0 };

	if (sessions_list(root, &list, &n, &err) < 0)
		n = 0;
	for (size_t i = 0; i < n && !found; i++) {
		const struct session_summary *s = &list[i];

		if (!s->playbook || strcmp(s->playbook, id) != 0 || !s->mode ||
		    strcmp(s->mode, "live") != 0 || !s->workdir ||
		    strcmp(s->workdir, here) != 0 ||
		    s->status == SESSION_COMPLETED ||
		    s->status == SESSION_UNREADABLE)
			continue;
		found = xstrdup(s->dir);
		snprintf(what, size, "%s (phase %s, %s)", s->name,
			 s->phase ? s->phase : "?",
			 session_status_name(s->status));
	}
	sessions_free(list, n);
	free(root);
	return found;
}

/* rewind run PLAYBOOK (no --session-dir, no --new) while a live session of
 * the same playbook started here is open: batch refuses (-1), naming it
 * and how to resume it; the console asks whether to resume it (*DIR set
 * to it, 1) or start a new one (0). */
static int
ask_open_same(const struct cli_opts *o, const char *playbook, char **dir)
{
	struct playbook *pb = playbook_load_file(playbook, NULL);
	char *here = getcwd(NULL, 0), what[512], answer[16], *found, *safe;
	int rc = 0;

	found = pb && here ? open_same_session(pb->id, here, what,
					       sizeof(what)) : NULL;
	playbook_free(pb);
	free(here);
	if (!found)
		return 0;
	safe = sanitize_text(what, strlen(what));
	fprintf(stderr, "rewind: a live session of this playbook started "
		"here is still open: %s; resume it with: rewind run %s\n",
		safe, found);
	free(safe);
	if (o->batch || !isatty(STDIN_FILENO)) {
		fputs("rewind: not starting a second one (--new starts a new "
		      "session anyway)\n", stderr);
		free(found);
		return -1;
	}
	fputs("Resume it (r), start a new one (n) or quit (q)? [r/n/q] ",
	      stderr);
	if (!fgets(answer, sizeof(answer), stdin) || answer[0] == 'q' ||
	    answer[0] == 'Q' || (answer[0] != 'n' && answer[0] != 'N' &&
				 answer[0] != 'r' && answer[0] != 'R')) {
		free(found);
		return -1;
	}
	if (answer[0] == 'r' || answer[0] == 'R') {
		*dir = found;
		rc = 1;
	} else {
		free(found);
	}
	return rc;
}

static int
is_session_dir(const char *path)
{
	char *j = xasprintf("%s/journal.jsonl", path);
	int yes = access(j, F_OK) == 0;

	free(j);
	return yes;
}

/* Work out the playbook and session directory from the arguments. */
static int
resolve_target(const struct cli_opts *o, char **playbook, char **dir)
{
	const char *arg = o->n_args ? o->args[0] : NULL;

	*playbook = NULL;
	*dir = xstrdup_or_null(o->session_dir);
	if (arg && is_session_dir(arg)) {
		free(*dir);
		*dir = xstrdup(arg);
		return 0;
	}
	if (!arg && *dir && is_session_dir(*dir))
		return 0;
	*playbook = arg ? xstrdup(arg) : cli_default_playbook();
	if (!*playbook) {
		fputs("rewind: no playbook given and the bundled default was "
		      "not found (set REWIND_DATADIR)\n", stderr);
		return -1;
	}
	/* Without a directory, session_open names one after the playbook's
	 * id once it has loaded it: a playbook is read once at start. */
	return 0;
}

/* A new session kept outside the sessions folder (--session-dir) is
 * noted there, so that rewind sessions lists it too; a note that cannot
 * be written costs the session nothing. */
static void
note_elsewhere(const char *dir)
{
	char *root = cli_sessions_root();
	struct err err = { 0 };

	if (session_make_dirs(root, &err) == 0)
		(void)sessions_note_elsewhere(root, dir);
	free(root);
}

/* The remote to publish S to: --share, else the one a resumed session
 * was published to, else the playbook's targets.share, else a line
 * "share = REMOTE" in the config file; 0 when the session is not
 * shared. */
static int
share_remote(const struct cli_opts *o, const struct session *s, char *out,
	     size_t size)
{
	char *was = o->share ? NULL : session_share_last_remote(s);
	const char *pb = session_playbook(s)->targets.share;
	const char *use = o->share ? o->share : was ? was : pb;

	if (use) {
		snprintf(out, size, "%s", use);
		free(was);
		return 1;
	}
	return config_value("share", out, size);
}

/* --- run --take REMOTE#SESSION: a hand-over -------------------------------------- */

/* The commander of the journal at PATH: the last to start, resume or
 * take it; in *OFFER the successor a hand-over is offered to, or NULL;
 * in *QUIT (when not NULL) the time of its console's session.quit
 * ("" when its console never said it quit). Caller frees all three. */
static char *
last_commander_quit(const char *path, char **offer, char **quit)
{
	char *line = NULL, *who = xstrdup("?");
	FILE *f = fopen(path, "r");
	size_t size = 0;
	ssize_t n;

	*offer = NULL;
	if (quit)
		*quit = xstrdup("");
	while (f && (n = getline(&line, &size, f)) > 0) {
		cJSON *ev, *p;
		const char *type, *name = NULL;

		if (!strstr(line, "\"session."))
			continue;
		ev = cJSON_ParseWithLength(line, (size_t)n);
		type = cJSON_GetStringValue(cJSON_GetObjectItem(ev, "type"));
		p = cJSON_GetObjectItem(ev, "payload");
		if (type && (strcmp(type, "session.started") == 0 ||
			     strcmp(type, "session.resumed") == 0))
			name = cJSON_GetStringValue(cJSON_GetObjectItem(ev,
								"actor"));
		else if (type && strcmp(type, "session.handover") == 0)
			name = cJSON_GetStringValue(cJSON_GetObjectItem(p,
									"to"));
		if (type && strncmp(type, "session.handover", 16) == 0) {
			const char *to = cJSON_GetStringValue(
				cJSON_GetObjectItem(p, "to"));

			free(*offer);
			*offer = strcmp(type, "session.handover_offered") == 0
			       ? xstrdup_or_null(to) : NULL;
		}
		if (name) {
			free(who);
			who = xstrdup(name);
		}
		if (quit && type && (name || strcmp(type, "session.quit") == 0)) {
			const char *t = cJSON_GetStringValue(
				cJSON_GetObjectItem(ev, "time"));

			free(*quit);
			*quit = xstrdup(!name && t ? t : "");
		}
		cJSON_Delete(ev);
	}
	if (f)
		fclose(f);
	free(line);
	return who;
}

static char *
last_commander(const char *path, char **offer)
{
	return last_commander_quit(path, offer, NULL);
}

/* A hand-over offered to someone else is theirs to take, and a session
 * its commander neither offered nor quit is still theirs (their console
 * may be running it now): both refused without --force (as a protected
 * ref refuses a push that is not forced). 0, or -1 with ERR. */
static int
take_offered(const struct cli_opts *o, const char *copy, struct err *err)
{
	char *path = xasprintf("%s/journal.jsonl", copy), *offer, *quit;
	char *from = last_commander_quit(path, &offer, &quit);
	const char *to = o->operator ? o->operator : identity_real_login();
	int rc = 0;

	if (o->force || (offer ? identity_same(offer, to) : quit[0] != '\0'))
		;
	else if (offer)
		rc = err_set(err, ERR_STATE, "--take: not taken: %s offered the "
			     "session to %s, not to %s: only %s takes it (%s "
			     "can withdraw the offer; --force takes it anyway, "
			     "and the journal says it was forced)", from,
			     offer, to, offer, from);
	else
		rc = err_set(err, ERR_STATE, "--take: not taken: %s commands "
			     "the session and neither offered it (rewind "
			     "handover SESSION --to %s) nor quit: their console "
			     "may be running it now. If %s is gone (a dead "
			     "machine), --force takes it, and the journal says "
			     "it was forced", from, to, from);
	free(offer);
	free(quit);
	free(from);
	free(path);
	return rc;
}

/* The published copy at COPY is whole and open: its chain verifies, it
 * has not completed. 0, or -1 with ERR. */
static int
take_checks(const struct cli_opts *o, const char *copy, struct err *err)
{
	enum session_mode want = o->command == CMD_RUN ? SESSION_LIVE
			       : SESSION_DRILL;
	struct journal_verify v = { 0 };
	char *path = xasprintf("%s/journal.jsonl", copy);
	struct session *s;
	int rc = journal_verify_pinned(path, NULL, &v, err);

	if (rc > 0)
		err_set(err, ERR_CORRUPT, "%s: line %llu: %s: the published "
			"journal's chain is broken, not taken", path,
			(unsigned long long)v.bad_line, v.reason);
	free(path);
	if (rc != 0)
		return -1;
	s = session_attach(copy, NULL, err);
	if (!s)
		return -1;
	rc = session_is_complete(s) ? err_set(err, ERR_STATE, "%s: the "
			"session is complete: nothing to take", copy) : 0;
	if (rc == 0 && (session_mode(s) == SESSION_DRILL) !=
		       (want == SESSION_DRILL))
		rc = err_set(err, ERR_STATE, "--take: not taken: %s is a %s "
			     "session: take it with rewind %s --take %s",
			     o->take, session_mode(s) == SESSION_DRILL
			     ? "drill" : "live", session_mode(s) ==
			     SESSION_DRILL ? "drill" : "run", o->take);
	session_free(s);
	return rc;
}

/* A take's folder holds this file until the hand-over is published: a
 * folder holding it was fetched for a take that never completed. */
#define TAKE_PENDING "take.pending"

static int
take_pending(const char *dir)
{
	char *path = xasprintf("%s/" TAKE_PENDING, dir);
	int yes = access(path, F_OK) == 0;

	free(path);
	return yes;
}

static int
mark_take_pending(const char *dir, int on, struct err *err)
{
	char *path = xasprintf("%s/" TAKE_PENDING, dir);
	FILE *f = on ? fopen(path, "w") : NULL;
	int rc = 0;

	if (on && (!f || fputs("fetched for a take: not taken yet\n", f) < 0))
		rc = err_set(err, ERR_IO, "%s: %s", path, strerror(errno));
	if (f && fclose(f) != 0 && rc == 0)
		rc = err_set(err, ERR_IO, "%s: %s", path, strerror(errno));
	if (!on && unlink(path) < 0)
		rc = err_set(err, ERR_IO, "%s: %s", path, strerror(errno));
	free(path);
	return rc;
}

static int
remove_entry(const char *path, const struct stat *st, int flag,
	     struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		return rmdir(path) < 0 ? -1 : 0;
	return unlink(path) < 0 ? -1 : 0;
}

static int
remove_tree(const char *dir)
{
	return nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* A take that was refused or lost leaves nothing behind. */
static void
remove_take(const char *dir)
{
	if (remove_tree(dir) < 0)
		fprintf(stderr, "rewind: could not remove %s (a take that "
			"did not complete): remove it by hand\n", dir);
}

/* DIR is in the way of a take: what it is, and what to do. -1. */
static int
take_in_the_way(const struct cli_opts *o, const char *dir, struct err *err)
{
	const char *cmd = o->command == CMD_RUN ? "run" : "drill";

	if (take_pending(dir))
		return err_set(err, ERR_STATE, "--take: %s is left from a take "
			       "that never completed (it was fetched, never "
			       "taken): remove it (rm -r %s) and take again, "
			       "or take into another folder with --session-dir",
			       dir, dir);
	return err_set(err, ERR_STATE, "--take: %s already exists here (a "
		       "copy of this session on this machine): if you run the "
		       "session, resume it with rewind %s %s; else move it "
		       "away, or take into another folder with --session-dir",
		       dir, cmd, dir);
}

/* Fetch O->take, check it, and lay it out as a session folder here (the
 * published files, and share.git holding the published ref, so the next
 * publish fast-forwards it). The folder, with *REMOTE and *FROM (the
 * commander it is taken from); NULL with ERR. */
static char *
take_prepare(const struct cli_opts *o, char **remote, char **from,
	     char **offer, char **quit, struct err *err)
{
	const char *id;
	char *gitdir = NULL, *sessions = NULL, *copy = NULL, *dir = NULL;
	char *own = NULL, *journal;
	struct stat st;

	*from = *offer = NULL;
	if (!cli_remote_session_arg(o->take, remote, &id)) {
		err_set(err, ERR_INVALID, "--take %s: give REMOTE#SESSION "
			"(rewind sessions REMOTE lists them)", o->take);
		*remote = NULL;
		return NULL;
	}
	if (cli_remote_copy(*remote, id, &gitdir, &sessions, err) < 0)
		goto out;
	copy = xasprintf("%s/%s", sessions, id);
	if (take_checks(o, copy, err) < 0 || take_offered(o, copy, err) < 0)
		goto out;
	if (o->session_dir)
		dir = xstrdup(o->session_dir);
	else {
		char *root = cli_sessions_root();

		dir = xasprintf("%s/%s", root, id);
		free(root);
	}
	if (stat(dir, &st) == 0) {
		take_in_the_way(o, dir, err);
		goto fail;
	}
	own = xasprintf("%s/share.git", dir);
	if (session_make_dirs(dir, err) < 0)
		goto fail;
	if (mark_take_pending(dir, 1, err) < 0 ||
	    share_materialize(gitdir, id, dir, err) < 0 ||
	    share_unmark_copy(dir, err) < 0 ||
	    share_ensure_repo(own, err) < 0 ||
	    share_fetch(own, *remote, id, err) < 0) {
		remove_take(dir);
		goto fail;
	}
	journal = xasprintf("%s/journal.jsonl", dir);
	*from = last_commander_quit(journal, offer, quit);
	free(journal);
	goto out;
fail:
	free(dir);
	dir = NULL;
out:
	free(own);
	free(copy);
	free(gitdir);
	free(sessions);
	return dir;
}

#define TAKE_PUBLISH_US (30 * 1000000LL)

/* Journal the hand-over and publish it: taken only when the published
 * ref fast-forwards to it (nobody wrote it since the fetch). */
static int
take_publish(struct session *s, const char *remote, const char *from,
	     const char *to, const char *offer, int forced, struct err *err)
{
	if (session_handover(s, from, to, remote, offer, forced, err) < 0 ||
	    session_share(s, remote, err) < 0)
		return -1;
	session_share_settle(s, TAKE_PUBLISH_US);
	if (session_share_state(s) == SHARE_PUBLISHED)
		return 0;
	return err_set(err, ERR_STATE, "--take: not taken: %s did not take "
		       "the hand-over as a fast-forward of the session's ref "
		       "(someone wrote it since it was fetched, or it does not "
		       "answer); nothing was published", remote);
}

static struct session *
take_session(const struct cli_opts *o, struct session_opts *so)
{
	struct err err = { 0 };
	char *remote = NULL, *from = NULL, *offer = NULL, *quit = NULL;
	char *dir = take_prepare(o, &remote, &from, &offer, &quit, &err);
	const char *to = o->operator ? o->operator : identity_real_login();
	struct session *s = NULL;
	int forced = dir && (offer ? !identity_same(offer, to) : !quit[0]);

	if (dir) {
		so->dir = dir;
		so->here = 1;	/* the taker's commands run here */
		s = session_open(so, &err);
		if (s && (take_publish(s, remote, from, to, offer, forced,
				       &err) < 0 ||
			  mark_take_pending(dir, 0, &err) < 0)) {
			session_free(s);
			s = NULL;
		}
		if (!s)
			remove_take(dir);
		else if (o->session_dir)
			note_elsewhere(dir);
		if (s) {
			char *t = sanitize_text(to, strlen(to));
			char *f = sanitize_text(from, strlen(from));

			fprintf(stderr, "rewind: %s took the session over from "
				"%s through %s%s\n", t, f, remote,
				!forced ? (offer ? " (as offered)" : "")
				: offer ? " (forced: it was offered to someone "
					  "else)"
				: " (forced: it was neither offered nor quit)");
			free(t);
			free(f);
		}
	}
	if (!s)
		cli_print_error("rewind", err.msg);
	free(dir);
	free(remote);
	free(from);
	free(offer);
	free(quit);
	return s;
}

/* --- resuming a shared session that may have moved on ---------------------------- */

/* The last session.handover line of the journal at PATH, or NULL. */
static char *
last_handover_line(const char *path)
{
	char *line = NULL, *last = NULL;
	FILE *f = fopen(path, "r");
	size_t size = 0;

	while (f && getline(&line, &size, f) > 0)
		if (strstr(line, "\"type\":\"session.handover\"")) {
			free(last);
			last = xstrdup(line);
		}
	if (f)
		fclose(f);
	free(line);
	return last;
}

static int
journal_has_line(const char *path, const char *want)
{
	char *line = NULL;
	FILE *f = fopen(path, "r");
	size_t size = 0;
	int found = 0;

	while (!found && f && getline(&line, &size, f) > 0)
		found = strcmp(line, want) == 0;
	if (f)
		fclose(f);
	free(line);
	return found;
}

/* Who runs the session published from COPY (the remote's copy) instead
 * of the commander of the local journal LOCAL: the successor of a
 * hand-over LOCAL never journalled, or (REJECTED: the last publish from
 * here was refused) the published commander when not the local one.
 * NULL when the local copy is still the commander's. */
static char *
published_commander(const char *copy, const char *local, int rejected)
{
	char *offer, *who = last_commander(copy, &offer);
	char *mine = NULL, *hand = last_handover_line(copy);
	int taken = hand && !journal_has_line(local, hand);

	free(offer);
	if (!taken && rejected) {
		mine = last_commander(local, &offer);
		free(offer);
		taken = !identity_same(who, mine);
	}
	free(mine);
	free(hand);
	if (taken)
		return who;
	free(who);
	return NULL;
}

/* Resuming DIR, a session published to a remote: fetch what the remote
 * holds now; when someone else runs it there, who (the copy here opens
 * read-only). NULL when it is ours, or the remote does not answer. */
/* Who took the session over from the copy in DIR, as its own journal
 * says (share.taken, journalled when its console noticed), or NULL. */
static char *
journalled_taken_by(const char *dir)
{
	char *path = xasprintf("%s/journal.jsonl", dir);
	cJSON *ev = last_event_of(path, "share.taken");
	cJSON *to = cJSON_GetObjectItem(cJSON_GetObjectItem(ev, "payload"),
					"to");
	char *who = cJSON_IsString(to) ? xstrdup(to->valuestring) : NULL;

	cJSON_Delete(ev);
	free(path);
	return who;
}

static char *
resumed_taken_by(const char *dir)
{
	int rejected = 0;
	char *remote = session_share_remote_in(dir, &rejected);
	char *id, *gitdir = NULL, *sessions = NULL, *copy, *local, *who;
	struct err err = { 0 };

	if ((who = journalled_taken_by(dir))) {
		char *w = sanitize_text(who, strlen(who));
		char *url = session_share_url_in(dir);
		char *sid = share_session_id(dir);
		char *follow = url ? xasprintf("; follow it with rewind watch "
					       "%s#%s", url, sid) : xstrdup("");
		char *f = sanitize_text(follow, strlen(follow));

		fprintf(stderr, "rewind: %s: the session was handed over to "
			"%s, who runs it now (this copy journalled the take): "
			"opened read-only%s\n", dir, w, f);
		free(f);
		free(follow);
		free(sid);
		free(url);
		free(w);
		free(remote);
		return who;
	}
	if (!remote)
		return NULL;
	id = share_session_id(dir);
	/* The remote unreachable, or its ref replaced (put back to an old
	 * commit of this copy's own, it would hide a take): what was fetched
	 * before still tells of a take it saw. */
	if (cli_remote_copy(remote, id, &gitdir, &sessions, &err) < 0 &&
	    cached_remote_copy(remote, id, &gitdir, &sessions, &err) < 0) {
		free(id);
		free(remote);
		return NULL;
	}
	copy = xasprintf("%s/%s/journal.jsonl", sessions, id);
	local = xasprintf("%s/journal.jsonl", dir);
	who = published_commander(copy, local, rejected);
	if (who) {
		char *w = sanitize_text(who, strlen(who));

		fprintf(stderr, "rewind: %s: the session was handed over to %s, "
			"who runs it now (as published to %s): opened "
			"read-only; follow it with rewind watch %s#%s\n", dir,
			w, remote, remote, id);
		free(w);
	}
	free(copy);
	free(local);
	free(gitdir);
	free(sessions);
	free(id);
	free(remote);
	return who;
}

/* DIR was fetched for a take that never completed: not the commander's
 * session to resume. 0, or -1 (said why). */
static int
refuse_untaken(const char *dir)
{
	if (!take_pending(dir))
		return 0;
	fprintf(stderr, "rewind: %s was fetched for a take that never "
		"completed: it is a copy, not a session you run (its "
		"commander still does); remove it (rm -r %s) and take the "
		"session with --take REMOTE#SESSION\n", dir, dir);
	return -1;
}

struct session *
cli_open_session(const struct cli_opts *o, struct loop *loop,
		 const struct clock *clk, session_listener_cb cb, void *arg)
{
	struct session_opts so = { 0 };
	struct err err = { 0 };
	struct session *s;
	char *playbook, *dir, remote[1024], *taken;
	int fresh;

	if (resolve_target(o, &playbook, &dir) < 0) {
		free(playbook);
		free(dir);
		return NULL;
	}
	so.dir = dir;
	so.name_dir = cli_new_session_dir;
	so.playbook = playbook;
	so.mode = o->command == CMD_RUN ? SESSION_LIVE : SESSION_DRILL;
	so.operator = o->operator;
	so.scenario = o->scenario;
	so.vars = o->vars;
	so.clk = clk;
	so.loop = loop;
	so.test_mode = testhook_active();
	so.read_only = o->read_only;
	so.listener = cb;
	so.listener_arg = arg;
	so.listener_history = o->history;
	if (o->take) {
		free(playbook);
		free(dir);
		return take_session(o, &so);
	}
	if (!dir && playbook && o->command == CMD_RUN && !o->new_session &&
	    !o->session_dir) {
		int same = ask_open_same(o, playbook, &dir);

		if (same < 0) {
			free(playbook);
			return NULL;
		}
		if (same) {	/* resume it */
			free(playbook);
			playbook = NULL;
			so.playbook = NULL;
			so.dir = dir;
		}
	}
	fresh = dir && !is_session_dir(dir);
	if (!fresh && dir && (refuse_untaken(dir) < 0 ||
			      refuse_fetched_copy(o->command == CMD_RUN ?
						  "run --take" : "drill --take",
						  dir, NULL) < 0)) {
		free(playbook);
		free(dir);
		return NULL;
	}
	taken = fresh || !dir ? NULL : resumed_taken_by(dir);
	so.taken_by = taken;
	s = session_open(&so, &err);
	if (s && fresh)
		note_elsewhere(dir);
	if (s && o->real_in_clone >= 0 &&
	    session_set_drill_clone(s, o->real_in_clone, &err) < 0) {
		session_free(s);
		s = NULL;
	}
	if (s && !taken && share_remote(o, s, remote, sizeof(remote)) &&
	    session_share(s, remote, &err) < 0) {
		session_free(s);
		s = NULL;
	}
	if (!s) {
		cli_print_error("rewind", err.msg);
	}
	free(playbook);
	free(dir);
	free(taken);
	return s;
}

