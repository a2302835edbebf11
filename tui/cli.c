/* Command-line parsing and the sub-commands that print and exit. */
#include "config.h"
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "action.h"
#include "commands.h"
#include "err.h"
#include "journal.h"
#include "playbook.h"
#include "sanitize.h"
#include "session.h"
#include "testhook.h"
#include "paths.h"
#include "xalloc.h"

static const struct {
	const char *name;
	enum cli_command command;
} commands[] = {
	{ "run", CMD_RUN }, { "drill", CMD_DRILL }, { "check", CMD_CHECK },
	{ "approve", CMD_APPROVE }, { "verify", CMD_VERIFY },
};

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
"  drill PLAYBOOK|SESSION   rehearse a playbook: nothing real is executed\n"
"  check PLAYBOOK...        validate playbooks; exit 0 only if all are valid\n"
"  approve SESSION STEP     approve a step of a running session from here\n"
"  verify SESSION           check the journal's hash chain\n", stdout);
	for (const struct command *c = commands_table; c->name; c++)
		printf("  %-24s %s\n", c->usage, c->summary);
	fputs(
"  (none)                   drill the bundled default playbook\n"
"\n"
"Options:\n"
"  -b, --batch              read actions from stdin, write JSON lines\n"
"  -d, --session-dir=DIR    keep the session in DIR (resumed if it exists)\n"
"  -v, --var=NAME=VALUE     set a playbook variable (repeatable)\n"
"  -o, --operator=NAME      who is driving (default: $USER)\n"
"  -s, --scenario=NAME      drill scenario to inject\n"
"      --list-scenarios     list a playbook's drill scenarios and exit\n"
"      --read-only          refuse every destructive step\n"
"  -t, --theme=NAME         console colour theme (dark, light, high-contrast,\n"
"                           colorblind, mono, or a file path)\n"
"  -r, --role=ROLE          approve: the role approved as\n"
"  -a, --as=NAME            approve: the approver's name\n"
"  -c, --comment=TEXT       approve: a comment\n"
"  -h, --help               show this help and exit\n"
"  -V, --version            show the version and exit\n"
"\n"
"Batch actions (one per line): set NAME VALUE | tick STEP [NOTE] |\n"
"  na STEP REASON | run STEP | cancel STEP | confirm STEP TEXT |\n"
"  choose STEP OPTION REASON | approve STEP ROLE NAME [COMMENT] | send STEP |\n"
"  note TEXT | next | quit\n"
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

enum { OPT_LIST_SCENARIOS = 256, OPT_READ_ONLY };

static const struct option long_opts[] = {
	{ "batch", no_argument, NULL, 'b' },
	{ "session-dir", required_argument, NULL, 'd' },
	{ "var", required_argument, NULL, 'v' },
	{ "operator", required_argument, NULL, 'o' },
	{ "scenario", required_argument, NULL, 's' },
	{ "list-scenarios", no_argument, NULL, OPT_LIST_SCENARIOS },
	{ "read-only", no_argument, NULL, OPT_READ_ONLY },
	{ "theme", required_argument, NULL, 't' },
	{ "role", required_argument, NULL, 'r' },
	{ "as", required_argument, NULL, 'a' },
	{ "comment", required_argument, NULL, 'c' },
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
	case OPT_READ_ONLY: o->read_only = 1; break;
	case 't': o->theme = optarg; break;
	case 'r': o->role = optarg; break;
	case 'a': o->as = optarg; break;
	case 'c': o->comment = optarg; break;
	case 'h': print_help(); return 1;
	case 'V': printf("rewind %s\n", PACKAGE_VERSION); return 1;
	default:
		fputs("Try 'rewind --help' for more information.\n", stderr);
		return -1;
	}
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
	optind = first;
	while ((c = getopt_long(argc, argv, "bd:v:o:s:r:a:c:t:hV", long_opts,
				NULL)) != -1) {
		if ((rc = apply_option(c, o)) != 0)
			return rc;
	}
	o->args = argv + optind;
	o->n_args = argc - optind;
	return 0;
}

void
cli_opts_done(struct cli_opts *o)
{
	free(o->vars);
	o->vars = NULL;
}

/* Print MSG on stderr; it may quote playbook or journal text, so no
 * control character gets through. */
static void
print_error(const char *msg)
{
	char *safe = sanitize_text(msg, strlen(msg));

	fprintf(stderr, "%s\n", safe);
	free(safe);
}

/* --- check ------------------------------------------------------------------ */

static size_t
count_steps(const struct playbook *pb)
{
	size_t n = 0;

	for (int p = 0; p < PHASE_COUNT; p++)
		n += pb->phases[p].n_steps;
	return n;
}

int
cli_check(const struct cli_opts *o)
{
	int bad = 0;

	if (o->n_args == 0) {
		fputs("rewind check: give at least one playbook\n", stderr);
		return EXIT_USAGE;
	}
	for (int i = 0; i < o->n_args; i++) {
		struct err err = { 0 };
		struct playbook *pb = playbook_load_file(o->args[i], &err);

		if (!pb) {
			print_error(err.msg);
			bad++;
			continue;
		}
		printf("%s: ok: %s (%zu steps, %zu scenarios)\n", o->args[i],
		       pb->id, count_steps(pb), pb->n_scenarios);
		playbook_free(pb);
	}
	return bad ? EXIT_INCOMPLETE : EXIT_OK;
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
	path = journal_path(o->args[0]);
	rc = journal_verify_file(path, &v, &err);
	if (rc < 0)
		print_error(err.msg);
	else if (rc == 0)
		printf("%s: intact: %llu events, hash chain verified\n", path,
		       (unsigned long long)v.n_events);
	else {
		char *msg = xasprintf("%s: line %llu: %s", path,
				      (unsigned long long)v.bad_line, v.reason);

		print_error(msg);
		free(msg);
	}
	free(path);
	return rc < 0 ? EXIT_USAGE : rc ? EXIT_INCOMPLETE : EXIT_OK;
}

/* --- approve -------------------------------------------------------------------- */

static int
approve_usage(void)
{
	fputs("rewind approve: usage: rewind approve SESSION STEP --role ROLE "
	      "--as NAME [--comment TEXT]\n", stderr);
	return EXIT_USAGE;
}

int
cli_approve(const struct cli_opts *o)
{
	struct action a = { .kind = ACT_APPROVE };
	struct err err = { 0 };
	struct session *s;
	int rc;

	if (o->n_args != 2 || !o->role || !o->as)
		return approve_usage();
	s = session_attach(o->args[0], NULL, &err);
	if (!s) {
		print_error(err.msg);
		return EXIT_USAGE;
	}
	a.step = xstrdup(o->args[1]);
	a.role = xstrdup(o->role);
	a.name = xstrdup(o->as);
	a.text = o->comment ? xstrdup(o->comment) : NULL;
	rc = session_apply(s, &a, o->as, &err);
	if (rc < 0)
		print_error(err.msg);
	else
		printf("%s: %s approved %s as %s\n", o->args[0], o->as,
		       o->args[1], o->role);
	action_done(&a);
	session_free(s);
	return rc < 0 ? EXIT_INCOMPLETE : EXIT_OK;
}

/* --- where things live ---------------------------------------------------------- */

char *
cli_default_playbook(void)
{
	const char *env = getenv("REWIND_DATADIR");
	char *dir = paths_program_dir();
	char *candidates[3];
	char *found = NULL;

	candidates[0] = env && *env ? xasprintf("%s/example.json", env) : NULL;
	candidates[1] = dir ? xasprintf("%s/playbooks/example.json", dir) : NULL;
	candidates[2] = xasprintf("%s/example.json", REWIND_DATADIR);
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
cli_new_session_dir(const char *id)
{
	const char *state = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	char *base, *dir;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	if (state && *state == '/')
		base = xasprintf("%s/rewind/sessions", state);
	else
		base = xasprintf("%s/.local/state/rewind/sessions",
				 home && *home ? home : ".");
	dir = xasprintf("%s/%s-%s-%ld", base, id, stamp, (long)getpid());
	free(base);
	return dir;
}

/* --- opening a session for a front end ----------------------------------------- */

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
	struct err err = { 0 };
	const char *arg = o->n_args ? o->args[0] : NULL;
	struct playbook *pb;

	*playbook = NULL;
	*dir = o->session_dir ? xstrdup(o->session_dir) : NULL;
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
	if (*dir)
		return 0;
	pb = playbook_load_file(*playbook, &err);
	if (!pb) {
		char *safe = sanitize_text(err.msg, strlen(err.msg));

		fprintf(stderr, "%s\n", safe);
		free(safe);
		return -1;
	}
	*dir = cli_new_session_dir(pb->id);
	playbook_free(pb);
	return 0;
}

struct session *
cli_open_session(const struct cli_opts *o, struct loop *loop,
		 const struct clock *clk, session_listener_cb cb, void *arg)
{
	struct session_opts so = { 0 };
	struct err err = { 0 };
	struct session *s;
	char *playbook, *dir;

	if (resolve_target(o, &playbook, &dir) < 0) {
		free(dir);
		return NULL;
	}
	so.dir = dir;
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
	s = session_open(&so, &err);
	if (!s) {
		char *safe = sanitize_text(err.msg, strlen(err.msg));

		fprintf(stderr, "rewind: %s\n", safe);
		free(safe);
	}
	free(playbook);
	free(dir);
	return s;
}

