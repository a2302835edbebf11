/* The command line: sub-commands, their options, and the ones that need no
 * console (check, verify, approve). */
#ifndef REWIND_TUI_CLI_H
#define REWIND_TUI_CLI_H

#include <stddef.h>

#include "session.h"

enum cli_command {
	CMD_DEFAULT,	/* no sub-command: drill of the bundled default */
	CMD_RUN,
	CMD_DRILL,
	CMD_CHECK,
	CMD_APPROVE,
	CMD_VERIFY,
};

/* Exit statuses, documented in rewind(1). */
enum {
	EXIT_OK = 0,
	EXIT_INCOMPLETE = 1,	/* invalid playbook, broken journal, refusal,
				 * or a batch session left incomplete */
	EXIT_USAGE = 2,		/* bad command line or unusable input */
};

struct cli_opts {
	enum cli_command command;
	int batch;
	int list_scenarios;
	int game_master;	/* --list-scenarios: show the answers */
	int inject;		/* drill --inject SESSION ID */
	const char *expect;	/* verify --expect HASH */
	const char *share;	/* run/drill --share REMOTE */
	const char *against;	/* verify --against REMOTE */
	const char *take;	/* run/drill --take REMOTE#SESSION */
	int force;		/* --take --force: over a hand-over offered
				 * to someone else */
	int new_session;	/* run --new: start one though a live
				 * session of the playbook is open here */
	/* watch REMOTE#SESSION: args[0] is the local copy in the cache */
	const char *follow_remote, *follow_gitdir, *follow_id;
	int real_in_clone;	/* drill: 0 opted-in steps stay simulated,
				 * 1 they run in a clone, -1 not said (a
				 * new drill: 1; a resumed one: as before) */
	int read_only;
	int yes;		/* approve: sign without asking */
	int wait_s;		/* approve REMOTE#SESSION --wait[=S]: how
				 * long to wait for the outcome; 0 not */
	int history;		/* front end wants a resumed session's past */
	const char *session_dir;
	const char *operator;
	const char *scenario;
	const char *role;
	const char *as;
	const char *comment;
	const char *theme;
	const char **vars;	/* NAME=VALUE, NULL-ended */
	size_t n_vars;
	char **args;		/* positional arguments after the command */
	char *session_path;	/* args[0] when a session's name was given
				 * for it (cli_find_session) */
	int n_args;
};

/* Parse ARGV into O (O->vars is allocated: free with cli_opts_done).
 * Prints --help/--version itself and returns 1 then; returns 0 to go on,
 * -1 after printing a usage error to stderr. */
int cli_parse(int argc, char **argv, struct cli_opts *o);

/* Release what cli_parse allocated. */
void cli_opts_done(struct cli_opts *o);

/* The sub-commands that need no console; each returns an exit status. */
int cli_check(const struct cli_opts *o);
int cli_verify(const struct cli_opts *o);
int cli_approve(const struct cli_opts *o);
int cli_inject(const struct cli_opts *o);

/* `rewind check [--strict] [--quiet] [--format=json] PLAYBOOK...` with its
 * own options (ARGV[0] is "check"): loader and lint messages, a summary
 * per file; returns 0 all valid, 1 some invalid, 2 usage or unreadable. */
int cli_check_main(int argc, char **argv);

struct clock;
struct loop;

/* Open or resume the session O names (a playbook, a session directory,
 * --session-dir, or the bundled default) on LOOP, announcing events to CB.
 * Prints the reason to stderr and returns NULL when it cannot. */
struct session *cli_open_session(const struct cli_opts *o, struct loop *loop,
				 const struct clock *clk,
				 session_listener_cb cb, void *arg);

/* Path of the bundled default playbook (caller frees), or NULL. */
char *cli_default_playbook(void);

/* A new session directory under $XDG_STATE_HOME/rewind/sessions for
 * playbook ID (caller frees). */
/* The session directory ARG names, when ARG is no path that exists and
 * has no '/': the session of that name in the sessions folder, or (unless
 * EXACT) the one whose name begins so (caller frees). NULL when there is
 * none, or with ERR_INVALID when several begin so. */
char *cli_find_session(const char *arg, int exact, struct err *err);

/* The folder new sessions are kept in: $XDG_STATE_HOME/rewind/sessions,
 * or ~/.local/state/rewind/sessions. Caller frees. */
char *cli_sessions_root(void);

/* Where what git remotes hold is kept: $XDG_CACHE_HOME/rewind/remotes. */
char *cli_remotes_cache(void);

/* Fetch what git remote REMOTE publishes (session ID, or every one with
 * ID NULL) into the cache: *GITDIR the repository, *SESSIONS the folder
 * holding a copy of each session (caller frees both). 0, or -1 with ERR
 * (a session that cannot be copied is said on stderr). */
/* REMOTE#SESSION (no such file here): 1 with *REMOTE and *ID (caller
 * frees *REMOTE; *ID points into ARG), else 0. */
int cli_remote_session_arg(const char *arg, char **remote,
			   const char **id);

int cli_remote_copy(const char *remote, const char *id, char **gitdir,
		    char **sessions, struct err *err);

/* cli_remote_copy, or when REMOTE cannot be reached, the copy fetched
 * earlier, after a warning on stderr naming the failure and the time of
 * that fetch (for reading only: listing, watching, replaying). */
int cli_remote_copy_or_cached(const char *remote, const char *id,
			      char **gitdir, char **sessions,
			      struct err *err);

/* The whole id of the one session published to REMOTE whose id begins
 * with PREFIX (every session fetched into the cache); caller frees. NULL
 * with ERR: none, several (named), or the fetch's failure. */
char *cli_remote_find_session(const char *remote, const char *prefix,
			      struct err *err);

char *cli_new_session_dir(const char *id);

/* Print MSG on stderr as harmless text (controls made visible), after
 * "PREFIX: " unless PREFIX is NULL. */
void cli_print_error(const char *prefix, const char *msg);

#endif
