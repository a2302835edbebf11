/* `rewind sessions [DIR] [--format text|json]`: the sessions kept in the
 * state folder (or DIR), the most recently active first, with what to do
 * next with each (resume, report). */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <wchar.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "commands.h"
#include "err.h"
#include "sanitize.h"
#include "sessions.h"
#include "xalloc.h"

#define SESSIONS_USAGE "usage: rewind sessions [DIR|REMOTE] [--format text|json]\n"

enum { COL_SESSION, COL_MODE, COL_PLAYBOOK, COL_COMMANDER, COL_PHASE,
       COL_STATE, COL_LAST, N_COLS };

static const char *const headings[N_COLS] = {
	"SESSION", "MODE", "PLAYBOOK", "COMMANDER", "PHASE", "STATE",
	"LAST ACTIVITY",
};

/* "2026-12-06 22:02 UTC" in the user's time zone. */
static void
format_time(int64_t wall_us, char *buf, size_t size)
{
	time_t t = (time_t)(wall_us / 1000000);
	struct tm tm;

	if (!localtime_r(&t, &tm) ||
	    !strftime(buf, size, "%Y-%m-%d %H:%M %Z", &tm))
		snprintf(buf, size, "?");
}

/* "4 min ago", "3 h ago", "2 d ago", "just now". */
static void
format_age(int64_t wall_us, char *buf, size_t size)
{
	long long s = (long long)time(NULL) - wall_us / 1000000;

	if (s < 60)
		snprintf(buf, size, "just now");
	else if (s < 3600)
		snprintf(buf, size, "%lld min ago", s / 60);
	else if (s < 48 * 3600)
		snprintf(buf, size, "%lld h ago", s / 3600);
	else
		snprintf(buf, size, "%lld d ago", s / 86400);
}

/* Columns wide enough for the widest cell (counted in terminal columns),
 * each cell safe to print (journal text is outside text). */
struct table {
	char *(*cell)[N_COLS];
	size_t n;
	int width[N_COLS];
};

static int
text_width(const char *s)
{
	mbstate_t st = { 0 };
	int w = 0;
	wchar_t wc;
	size_t k;

	while (*s && (k = mbrtowc(&wc, s, MB_CUR_MAX, &st)) != 0 &&
	       k != (size_t)-1 && k != (size_t)-2) {
		int cw = wcwidth(wc);

		w += cw > 0 ? cw : 0;
		s += k;
	}
	return w + (int)strlen(s);
}

static char *
safe(const char *s)
{
	return sanitize_text(s ? s : "-", strlen(s ? s : "-"));
}

/* A journal whose hash chain breaks: BROKEN before its state, with the
 * first line not proven (rewind verify tells more). */
static void
flag_broken(char **state, uint64_t line)
{
	char *flagged = xasprintf("BROKEN@%llu %s", (unsigned long long)line,
				  *state);

	free(*state);
	*state = flagged;
}

static void
fill_row(char *row[N_COLS], const struct session_summary *s)
{
	char when[64], age[32];

	row[COL_SESSION] = safe(s->name);
	row[COL_MODE] = safe(s->mode);
	row[COL_PLAYBOOK] = safe(s->playbook);
	row[COL_COMMANDER] = safe(s->operator);
	row[COL_PHASE] = safe(s->phase);
	if (s->status == SESSION_INTERRUPTED && s->how)
		row[COL_STATE] = xasprintf("%s (%s)",
					   session_status_name(s->status),
					   s->how);
	else if (s->status == SESSION_STOPPED)
		row[COL_STATE] = xstrdup("stopped at end of input");
	else
		row[COL_STATE] = xstrdup(session_status_name(s->status));
	if (s->broken_line)
		flag_broken(&row[COL_STATE], s->broken_line);
	if (s->status == SESSION_UNREADABLE) {
		row[COL_LAST] = xstrdup("-");
		return;
	}
	format_time(s->last_us, when, sizeof(when));
	format_age(s->last_us, age, sizeof(age));
	row[COL_LAST] = xasprintf("%s (%s)", when, age);
}

static void
table_build(struct table *t, const struct session_summary *list, size_t n)
{
	t->cell = xcalloc(n ? n : 1, sizeof(*t->cell));
	t->n = n;
	for (int c = 0; c < N_COLS; c++)
		t->width[c] = text_width(headings[c]);
	for (size_t i = 0; i < n; i++) {
		fill_row(t->cell[i], &list[i]);
		for (int c = 0; c < N_COLS; c++) {
			int w = text_width(t->cell[i][c]);

			if (w > t->width[c])
				t->width[c] = w;
		}
	}
}

static void
print_row(const struct table *t, const char *const row[N_COLS])
{
	for (int c = 0; c < N_COLS; c++) {
		if (c == N_COLS - 1) {
			printf("%s\n", row[c]);
			break;
		}
		printf("%s%*s  ", row[c], t->width[c] - text_width(row[c]), "");
	}
}

static void
table_free(struct table *t)
{
	for (size_t i = 0; i < t->n; i++)
		for (int c = 0; c < N_COLS; c++)
			free(t->cell[i][c]);
	free(t->cell);
}

static void
print_why(const struct session_summary *s)
{
	char *name = safe(s->name), *why = safe(s->why);

	printf("%s: unreadable: %s\n", name, why);
	free(name);
	free(why);
}

/* How many of the N sessions in LIST are kept outside ROOT (made with
 * --session-dir, noted in ROOT's .elsewhere). */
static size_t
count_elsewhere(const char *root, const struct session_summary *list,
		size_t n)
{
	size_t len = strlen(root), k = 0;

	for (size_t i = 0; i < n; i++)
		k += strncmp(list[i].dir, root, len) != 0 ||
		     list[i].dir[len] != '/';
	return k;
}

/* Where the N sessions listed are, naming the folder actually listed:
 * ROOT (SHOWN) itself when it is a session's directory, else how many
 * are in it and how many are kept elsewhere. */
static void
print_where(const char *root, const char *shown,
	    const struct session_summary *list, size_t n)
{
	size_t away = count_elsewhere(root, list, n);

	if (sessions_is_session(root))
		printf("\nThe session in %s.", shown);
	else if (away)
		printf("\n%zu session%s: %zu in %s, %zu kept elsewhere "
		       "(made with --session-dir; listed by their whole "
		       "path).", n, n == 1 ? "" : "s", n - away, shown, away);
	else
		printf("\n%zu session%s in %s.", n, n == 1 ? "" : "s", shown);
}

/* The end of the list's text: where they are, what the names serve for. */
static void
print_footer(const char *root, const char *shown,
	     const struct session_summary *list, size_t n, int remote)
{
	if (remote) {
		printf("\n%zu session%s published to %s. rewind watch "
		       "%s#SESSION follows one, read-only.\n", n,
		       n == 1 ? "" : "s", shown, shown);
		return;
	}
	print_where(root, shown, list, n);
	printf(" A session's name (or the start of it, to read) serves for "
	       "its directory: rewind replay, report and verify SESSION; "
	       "rewind run or drill SESSION (its whole name) resumes it.\n");
}

static void
print_text(const char *root, const struct session_summary *list, size_t n,
	   int remote)
{
	struct table t;
	char *shown = safe(root);

	if (!n) {
		printf("no sessions %s %s\n", remote ? "published to" : "in",
		       shown);
		free(shown);
		return;
	}
	table_build(&t, list, n);
	print_row(&t, headings);
	for (size_t i = 0; i < n; i++)
		print_row(&t, (const char *const *)t.cell[i]);
	for (size_t i = 0; i < n; i++)
		if (list[i].status == SESSION_UNREADABLE)
			print_why(&list[i]);
	print_footer(root, shown, list, n, remote);
	table_free(&t);
	free(shown);
}

static void
add_opt_string(cJSON *o, const char *key, const char *value)
{
	if (value)
		cJSON_AddStringToObject(o, key, value);
	else
		cJSON_AddNullToObject(o, key);
}

/* Written as digits: cJSON prints a double, which gives 1.79e+15 for
 * some microsecond times, and typed readers refuse those as integers. */
static void
add_integer(cJSON *o, const char *key, long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", v);
	cJSON_AddRawToObject(o, key, buf);
}

static cJSON *
summary_json(const struct session_summary *s)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "dir", s->dir);
	cJSON_AddStringToObject(o, "session", s->name);
	cJSON_AddStringToObject(o, "state", session_status_name(s->status));
	add_opt_string(o, "why", s->why);
	cJSON_AddBoolToObject(o, "broken", s->broken_line != 0);
	if (s->broken_line)
		add_integer(o, "broken_line", (long long)s->broken_line);
	add_opt_string(o, "mode", s->mode);
	add_opt_string(o, "playbook", s->playbook);
	add_opt_string(o, "title", s->title);
	add_opt_string(o, "operator", s->operator);
	add_opt_string(o, "scenario", s->scenario);
	add_opt_string(o, "phase", s->phase);
	add_opt_string(o, "last_event", s->last_type);
	add_opt_string(o, "how", s->how);
	add_integer(o, "events", (long long)s->events);
	add_integer(o, "started_us", s->started_us);
	add_integer(o, "last_us", s->last_us);
	return o;
}

static void
print_json(const struct session_summary *list, size_t n)
{
	cJSON *arr = cJSON_CreateArray();
	char *text;

	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, summary_json(&list[i]));
	text = cJSON_Print(arr);
	puts(text);
	free(text);
	cJSON_Delete(arr);
}

/* Whether folder DIR is a git repository itself (a bare one, as a team's
 * remote is: HEAD, objects/ and refs/ in it), or holds one (.git). */
static int
is_git_repo(const char *dir)
{
	static const char *const parts[] = { "HEAD", "objects", "refs" };
	struct stat st;
	char *path;
	int n = 0;

	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		path = xasprintf("%s/%s", dir, parts[i]);
		n += stat(path, &st) == 0;
		free(path);
	}
	return n == 3;
}

/* A git remote: a URL, "host:path", a word that is no folder here (a
 * remote's name), or a folder that is a bare git repository (published
 * to by its path); any other path stays a folder of sessions. */
static int
is_remote(const char *arg)
{
	struct stat st;
	size_t colon = strcspn(arg, ":"), slash = strcspn(arg, "/");

	if (strstr(arg, "://") || (arg[colon] && colon < slash))
		return 1;
	if (stat(arg, &st) == 0 && S_ISDIR(st.st_mode))
		return is_git_repo(arg);
	return !arg[slash];
}

/* `rewind sessions REMOTE`: the sessions published there, from a fresh
 * copy in the cache; one not ended is "open" (its console is elsewhere). */
static int
list_remote(const char *remote, const char *format)
{
	struct session_summary *list = NULL;
	struct err err = { 0 };
	char *gitdir, *sessions;
	size_t n = 0;

	if (cli_remote_copy_or_cached(remote, NULL, &gitdir, &sessions,
				      &err) < 0 ||
	    sessions_list(sessions, &list, &n, &err) < 0) {
		cli_print_error("rewind sessions", err.msg);
		free(gitdir);
		free(sessions);
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < n; i++)
		if (list[i].status == SESSION_INTERRUPTED && !list[i].how)
			list[i].status = SESSION_OPEN;
	if (strcmp(format, "json") == 0)
		print_json(list, n);
	else
		print_text(remote, list, n, 1);
	sessions_free(list, n);
	free(gitdir);
	free(sessions);
	return EXIT_OK;
}

int
cmd_sessions(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *format = "text";
	struct session_summary *list;
	struct err err = { 0 };
	char *root;
	size_t n;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "f:h", longopts, NULL)) != -1) {
		if (c == 'f')
			format = optarg;
		else if (c == 'h') {
			fputs(SESSIONS_USAGE, stdout);
			return EXIT_OK;
		} else {
			fputs(SESSIONS_USAGE, stderr);
			return EXIT_USAGE;
		}
	}
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0) {
		fprintf(stderr, "rewind sessions: --format %s: expected text or "
			"json\n", format);
		return EXIT_USAGE;
	}
	if (argc - optind > 1) {
		fputs("rewind sessions: give at most one folder\n", stderr);
		fputs(SESSIONS_USAGE, stderr);
		return EXIT_USAGE;
	}
	if (optind < argc && is_remote(argv[optind]))
		return list_remote(argv[optind], format);
	root = optind < argc ? xstrdup(argv[optind]) : cli_sessions_root();
	if (sessions_list(root, &list, &n, &err) < 0 &&
	    (err.code != ERR_NOTFOUND || optind < argc)) {
		cli_print_error("rewind sessions", err.msg);
		free(root);
		return EXIT_USAGE;
	}
	if (strcmp(format, "json") == 0)
		print_json(list, n);
	else
		print_text(root, list, n, 0);
	sessions_free(list, n);
	free(root);
	return EXIT_OK;
}
