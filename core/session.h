/* A rollback session: the playbook being walked, the state of every step,
 * the variables, and the journal that records it. State changes only
 * through session_apply() (actions) and through events read back from the
 * journal, so a resumed, watched or replayed session is rebuilt by the
 * same code that built it live. */
#ifndef REWIND_CORE_SESSION_H
#define REWIND_CORE_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "playbook.h"

struct action;
struct clock;
struct cJSON;
struct err;
struct loop;
struct session;
struct sources;

enum session_mode {
	SESSION_LIVE,
	SESSION_DRILL,
};

enum step_state {
	STEP_OPEN,
	STEP_RUNNING,
	STEP_DONE,
	STEP_FAILED,
	STEP_SKIPPED,
	STEP_NA,
	STEP_INTERRUPTED,	/* the console died while it ran: outcome
				 * unknown until someone checks */
};

enum core_event_kind {
	CORE_EV_JOURNAL,	/* an event was journalled (by us or another) */
	CORE_EV_OUTPUT,		/* output of a running step: one line, or
				 * several joined by \n (one read's worth) */
	CORE_EV_STEP_DONE,	/* a running step finished */
	CORE_EV_LOG,		/* a line of a followed log: step = the log's
				 * name, type = "line", "backlog" (was in the
				 * file before) or "notice" (rotated...) */
};

/* What the listener receives; every pointer is borrowed for the call. */
struct core_event {
	enum core_event_kind kind;
	const char *type;	/* journal event type (CORE_EV_JOURNAL) */
	const char *line;	/* the journal line, or the output line */
	const char *step;	/* step id when the event concerns a step */
	size_t len;		/* CORE_EV_OUTPUT: bytes of line, 0 = strlen */
	uint64_t n_lines;	/* CORE_EV_OUTPUT: lines in it, 0 = unknown */
	int foreign;		/* written by another process */
	int history;		/* read back while resuming, not new */
	const char *dir;	/* CORE_EV_JOURNAL: the session directory
				 * (files the event names are in it) */
};

typedef void (*session_listener_cb)(const struct core_event *ev, void *arg);

struct session_opts {
	const char *dir;	/* session directory (created if absent) */
	/* With DIR NULL: names a new session's directory after the id of
	 * the playbook (loaded once, by session_open); the core frees it. */
	char *(*name_dir)(const char *playbook_id);
	const char *playbook;	/* playbook path (new sessions only) */
	enum session_mode mode;	/* new sessions only */
	const char *operator;	/* who drives; NULL = $USER or "operator" */
	const char *scenario;	/* drill scenario id, or NULL */
	const char *const *vars;	/* "NAME=VALUE" presets, NULL-ended */
	const struct clock *clk;	/* NULL = system clock */
	struct loop *loop;	/* needed to run commands; NULL = none */
	int test_mode;		/* record that test hooks are active */
	int read_only;		/* refuse destructive steps (--read-only) */
	/* Resuming only: the published session was handed over to TAKEN_BY
	 * (or someone else wrote it): opened to be read, it journals
	 * nothing and refuses every action, naming them. */
	const char *taken_by;
	/* Resuming only: stay in this directory (a take makes it the
	 * session's: session.handover records it), not the one the session
	 * started or was last taken in. */
	int here;
	session_listener_cb listener;	/* gets every new event, or NULL */
	int listener_history;	/* the listener also gets a resumed
				 * session's past events (history = 1) */
	void *listener_arg;	/* borrowed */
};

/* Make directory PATH and those above it (0700) as needed. Returns 0, or
 * -1 with ERR_IO naming the one that could not be made. */
int session_make_dirs(const char *path, struct err *err);

/* Check that DIR/playbook.json is the copy session.started recorded (its
 * playbook_sha256). Returns 0 (also for a journal without one), or -1 with
 * ERR_CORRUPT naming the file and both hashes, or the read error. */
int session_verify_copy(const char *dir, struct err *err);

/* Open the session in OPTS->dir: resume it when it has a journal (the
 * playbook copy inside it is used, and a run interrupted by a crash is
 * journalled as interrupted), otherwise create the directory (0700), copy
 * the playbook (0600) and start a new journal. Caller frees. Returns NULL
 * with a message naming the file or directory and the cause. */
struct session *session_open(const struct session_opts *opts,
			     struct err *err);

/* Open an existing session to act from another process (`rewind
 * approve`): never starts commands, appends as ACTOR. Caller frees. */
struct session *session_attach(const char *dir, const struct clock *clk,
			       struct err *err);

/* Say how this process's actions reach S, for the provenance journalled
 * with every approval: "console" (the default of session_open), "batch",
 * "watch", or "rewind approve" (the default of session_attach). VIA is
 * borrowed: a string constant. */
void session_set_entry(struct session *s, const char *via);

/* Kill running children, close the journal, free S (may be NULL). */
void session_free(struct session *s);

/* Called with SUSPEND = 1 before an interactive step takes over the
 * terminal and with 0 once it is back (the console ends and restores its
 * screen). Without a handler, interactive steps run like others, with
 * stdin from /dev/null. */
typedef void (*session_tty_cb)(int suspend, void *arg);

/* Register the terminal hand-over handler; ARG is borrowed. */
void session_set_tty_handler(struct session *s, session_tty_cb cb,
			     void *arg);

/* Register the one listener (replaces any previous one). ARG is borrowed. */
void session_set_listener(struct session *s, session_listener_cb cb,
			  void *arg);

/* Apply action A by ACTOR (NULL = the operator). Returns 0 when it took
 * effect (its events are journalled and durable), 1 when it started work
 * that finishes later on the loop (a command, a wait), or -1 when refused:
 * ERR says why, and the refusal itself is journalled when the action named
 * a real step. */
int session_apply(struct session *s, const struct action *a,
		  const char *actor, struct err *err);

/* Read events other processes appended; returns how many, or -1. */
int session_poll(struct session *s, struct err *err);

/* Whether run step ID may start now as far as other commands go: 0, or
 * -1 with ERR naming the run step still running (one command runs at a
 * time unless both steps are marked "parallel"). The front end asks
 * before it asks for a confirmation; session_apply checks it again. */
/* Where a drill's run step ID will get its output from on its next run:
 * DRILL_RUN_CLONE for real in the throwaway clone, DRILL_RUN_WORLD
 * simulated from the drill's world (it answers the command, or gives the
 * repository), DRILL_RUN_SCRIPTED from the scenario's outcome or the
 * step's drill block; *WHY (borrowed, may be NULL) says why the clone does
 * not serve. The clone may still refuse a command at run time. */
enum { DRILL_RUN_SCRIPTED, DRILL_RUN_WORLD, DRILL_RUN_CLONE };
int session_drill_run_where(const struct session *s, const char *id,
			    const char **why);

int session_may_run(const struct session *s, const char *id,
		    struct err *err);

/* Journal (as action.refused, actor the operator) that the front end
 * refused to run step ID for REASON before asking the core, so a refused
 * run leaves a trace as one session_apply refuses does. Returns -1. */
int session_refuse_run(struct session *s, const char *id,
		       const char *reason);

/* Journal (as action.refused, with the name, role and provenance a
 * sign-off records) that a front end refused ACTOR's try to approve step
 * ID as ROLE under NAME (as given) for REASON before asking the core: a
 * name that is no name leaves a trace of who tried. Returns -1. */
int session_refuse_approval(struct session *s, const char *id,
			    const char *role, const char *name,
			    const char *actor, const char *reason);

/* Whether a command or wait of this session is still in progress, or a
 * command a dead console left running still runs. */
int session_is_busy(const struct session *s);

/* Whether step.finished PAYLOAD is a run cancelled while it ran: its
 * command may have acted, so it is neither ok nor failed. */
int session_outcome_unknown(const struct cJSON *payload);

/* Journal that the console driving S ends (session.quit) by ACTOR (NULL =
 * the operator): HOW says how ("quit" for q, or the signal's name such as
 * "SIGTERM"), and each command still running is listed with its pid and
 * command as it runs (secrets masked). Each goes on without the console
 * (a drainer keeps its output), whatever the console's end. */
int session_record_quit(struct session *s, const char *actor,
			const char *how, struct err *err);


/* For a watcher: whether no console drives the session any more, and
 * since when (*SINCE_US): it said it ended (session.quit), or the process
 * the journal names as its console (pid, start time, boot) has gone, since
 * the last event it journalled at the latest. 0 while it drives, or when
 * the journal does not say which process drives (older journals).
 * ELSEWHERE: the session is a copy published from another machine, whose
 * processes this one cannot see: only its journal's word counts. */
int session_driver_gone(const struct session *s, int elsewhere,
			int64_t *since_us);

/* Publish the session to git remote REMOTE (a remote's name of the
 * repository here, or a URL) as it runs (share.h). 0, or -1 with ERR. */
int session_share(struct session *s, const char *remote, struct err *err);

/* The remote a resumed session was last published to (its last
 * share.published), or NULL. Caller frees. */
char *session_share_last_remote(const struct session *s);
/* The same as a URL (a remote given by name: its URL as configured), as
 * someone on another machine names it; this console's share first. */
char *session_share_last_url(const struct session *s);
/* This session object reads a copy fetched from REMOTE (rewind watch
 * REMOTE#SESSION): what is done to it is done through REMOTE. */
void session_set_origin(struct session *s, const char *remote);
/* The remote the session is reached through from other machines: the
 * one it was fetched from, or the one it is shared to; NULL when it is
 * not shared. */
const char *session_origin(const struct session *s);
/* The same for the session folder DIR, unopened; and in *REJECTED (when
 * not NULL) whether a share.rejected came after its last publish. */
char *session_share_remote_in(const char *dir, int *rejected);
/* The URL DIR was last published to (a remote given by name: its URL). */
char *session_share_url_in(const char *dir);

/* The header's words on sharing in BUF; 0 when the session is not
 * shared. */
int session_share_text(const struct session *s, char *buf, size_t size);

/* Who took the session over (a published session.handover after this
 * console's last event), or NULL. */
const char *session_taken_by(const struct session *s);

/* Journal session.handover: TO takes the session over from FROM, through
 * git remote REMOTE (rewind run --take); OFFERED_TO: the successor FROM
 * had offered it to, or NULL when none was offered; FORCED: taken with
 * --force (offered to someone else, or never offered by a commander who
 * had not quit). 0, or -1 with ERR. */
int session_handover(struct session *s, const char *from, const char *to,
		     const char *remote, const char *offered_to, int forced,
		     struct err *err);

/* The successor the commander offered the session to (rewind handover
 * --to, or the console's hand-over action), not withdrawn or taken yet;
 * NULL when none. */
const char *session_handover_offer(const struct session *s);

/* enum share_state, or -1 when not shared. */
int session_share_state(const struct session *s);

/* Run the loop until what is journalled is published, the remote does
 * not answer, or MAX_US pass (before a batch ends). */
void session_share_settle(struct session *s, int64_t max_us);

/* Whether every phase is done (the final `next` was accepted). */
int session_is_complete(const struct session *s);

/* The directory the session started in (NULL when its journal does not
 * say); *MOVED when this process, resumed from elsewhere, went there (its
 * commands and relative targets mean paths from there), *MISSING when it
 * could not. Either may be NULL. */
const char *session_workdir(const struct session *s, int *moved,
			    int *missing);

/* Wall time (µs) the session was completed at, or 0 while it is not. */
int64_t session_complete_wall(const struct session *s);

/* Where the session's recovery time ends, by the report's rule
 * (rtoclock_recovery_end: ROLLED_BACK_AT, live only, at the journal's
 * exact time when it is the one offered; else when the verify phase was
 * left; else completion, or the last event so far). *FIXED (may be NULL)
 * says whether that point is known yet (else the clock still runs);
 * *WHICH (may be NULL) says which, in words. */
int64_t session_recovery_end(const struct session *s, int *fixed,
			     const char **which);

/* How many steps of PHASE were reopened (a variable they used changed,
 * or a sign-off was voided) and are not done again yet: the phase is not
 * done, whatever the current phase. */
int session_phase_reopened(const struct session *s, enum phase_id phase);

/* Whether an execute or verify step reopened is not done again (*PENDING
 * set to 1) and when the last of them was done again (*REDONE_US raised
 * to it): the recovery proven again. The caller zeroes both first. */
void session_redo_facts(const struct session *s, int *pending,
			int64_t *redone_us);

/* Whether the recovery was never proven (a required verification marked
 * n/a or failed, the rollback itself marked n/a), as the report's RTO and
 * the drill's card judge it; WHY then says which steps. */
int session_recovery_unproven(const struct session *s, char *why,
			      size_t size);

/* The current phase. */
enum phase_id session_phase(const struct session *s);

/* The playbook (borrowed). */
const struct playbook *session_playbook(const struct session *s);

/* State of step ID, or -1 when there is no such step. */
int session_step_state(const struct session *s, const char *id);

/* Value of variable NAME, borrowed, or NULL when unset. */
const char *session_var(const struct session *s, const char *name);

/* A warning about setting NAME to VALUE, in live and drill alike, or NULL
 * (caller frees): a pre-release (1.3.0-beta.2, 1.4.0rc1) as the version
 * restored (the header's "to" variable, offered from the registry) while
 * the channel is latest, which would hand every user a pre-release. */
char *session_value_warning(const struct session *s, const char *name,
			    const char *value);

/* Every warning about setting NAME to VALUE on one line, or NULL
 * (caller frees): the restore-target rule's (withdrawn_target_warning)
 * and a DETECTED_AT later than now ("... is 3h 36m in the future (now
 * 01:24 UTC): was a local time typed as UTC?"). var.set journals it. */
char *session_set_warning(const struct session *s, const char *name,
			  const char *value);

/* Who gave variable NAME its value (a var.set: an input step, s, --var, a
 * pick from the Tags or Registry tab, a default) and when. */
struct var_setter_view {
	const char *by;		/* the event's actor (borrowed) */
	int64_t wall_us;	/* when its latest value was set */
	int n_sets;		/* how many times it was set */
};

/* Fill OUT for variable NAME; returns 0, or -1 when there is no such
 * variable or it was never set. */
int session_var_setter(const struct session *s, const char *name,
		       struct var_setter_view *out);

/* Session directory, operator, mode. */
const char *session_dir(const struct session *s);
const char *session_operator(const struct session *s);
enum session_mode session_mode(const struct session *s);

/* The value variable NAME offers while it is unset: for one declared
 * with "time_of", the time that step was done ("YYYY-MM-DD HH:MM UTC",
 * as the journal has it); caller frees. NULL when there is none (yet). */
char *session_var_offer(const struct session *s, const char *name);
/* The same to the µs (the journal's exact time), or 0. */
int64_t session_var_offer_us(const struct session *s, const char *name);

/* The time to offer for time_of variable NAME now (caller frees), or
 * NULL: session_var_offer's while NAME is unset, or set to a minute
 * before it (its step was run again and done since; offered as for the
 * first run); never over a later time someone typed. */
char *session_var_fresh_offer(const struct session *s, const char *name);

/* Number of journal events. */
uint64_t session_n_events(const struct session *s);

/* The open work of the current phase as a JSON object {"type":"awaiting",
 * "phase":..., "steps":[...]} (caller deletes it). */
struct cJSON *session_awaiting(const struct session *s);

/* Why the session is not complete, as one line (caller frees). */
char *session_describe_open(const struct session *s);

/* A read-only view of one step for front ends; strings are borrowed and
 * valid until the session changes. */
struct step_view {
	const struct pb_step *def;
	enum phase_id phase;
	enum step_state state;
	int active;		/* its `when` holds */
	const char *actor;	/* who last changed it, or NULL */
	int64_t wall_us;	/* when, or 0 */
	const char *option;	/* decide: chosen option id */
	const char *result;	/* last run: output tail, or NULL */
	const char *reason;	/* last run: why it failed, or NULL */
	const char *na_reason;	/* why it was marked n/a or skipped, or NULL */
	const char *reopened;	/* why it was reopened after it was done
				 * ("ran with other values: ..."), or NULL */
	int exit_code;		/* last run */
	int n_runs;
	int confirmed;		/* typed confirmation pending use */
	size_t n_approvals;
	long run_pid;		/* process of the last run, 0 = unknown */
	int64_t run_wall_us;	/* when it was started, or 0 */
	int orphan;		/* that process outlived a console that
				 * died and still runs */
	int orphan_stopping;	/* ...and the operator asked it to stop */
	int cancelled;		/* interrupted: cancelled while it ran (its
				 * console alive), not by a console's end */
	int run_unknown;	/* the last run's outcome is unknown, whatever
				 * the state since (n/a, checked by hand) */
	int output_cut;		/* its console was killed mid-run: the
				 * output kept may end before the run did */
	int ended_news;		/* this console learned (and journalled)
				 * that end: not an earlier resume */
	int64_t ended_after_quit;	/* its last run ended after its console
					 * quit, at this time (its keeper's
					 * record); 0 otherwise */
	const char *hand_check;	/* an interrupted run recorded as having
				 * done its work (tick): what was checked */
	const char *orphan_end;	/* how its run from a dead console ended
				 * (stopped by whom, what its keeper
				 * recorded), in words; or NULL */
	int exit_known;		/* ...with its exit status, as its keeper
				 * recorded it */
	const char *voided_note;	/* approve: a sign-off voided after
					 * covered steps ran: which ran under
					 * it, which remain unapproved; NULL */
};

/* How a run ended by its keeper's record, before any console journalled
 * it (session_step_kept). */
struct kept_view {
	int exit_code;		/* -1 when a signal ended it */
	int term_signal;	/* 0 when it exited */
	int64_t ended_us;	/* wall clock */
	int output_cut;		/* its console was killed, not quit: what it
				 * printed after that was not kept */
};

/* For a watcher: whether step ID's run, still running in the journal,
 * has ended by its keeper's record (its console gone); fills OUT. 1 when
 * it has, 0 when not (or no record, or it does not run), -1 when there is
 * no such step. Reads a file, journals nothing. */
int session_step_kept(const struct session *s, const char *id,
		      struct kept_view *out);

/* Number of steps in the playbook (all phases). */
size_t session_n_steps(const struct session *s);

/* Fill OUT for step I (0-based, playbook order); returns 0, or -1 when I is
 * out of range. */
int session_step_view(const struct session *s, size_t i,
		      struct step_view *out);

/* One approval given to an approve step; strings are borrowed and valid
 * until the session changes. */
struct approval_view {
	const char *role;	/* as the playbook names it */
	const char *name;	/* the approver, in normal form (identity.h) */
	int64_t wall_us;	/* when it was given */
	const char *entered;	/* where and by whom it was entered, in
				 * words (evtext_provenance); unsanitized */
	const char *not_counted;	/* a drill's: why its score card will
					 * not count it, or NULL */
};

/* Fill OUT with approval J (in the order given) of step ID; returns 0, or
 * -1 when there is no such step or approval. */
int session_step_approval(const struct session *s, const char *id,
			  size_t j, struct approval_view *out);

/* TEXT with ${NAME} replaced by variables and facts (OPERATOR, PLAYBOOK,
 * SESSION_DIR, MODE); caller frees. NULL with ERR_NOTFOUND naming the
 * first unset or unknown name. */
char *session_render(const struct session *s, const char *text,
		     struct err *err);

/* Command TEXT as it will reach the shell: every $NAME or ${NAME} of a
 * variable that is set replaced by its value, secrets (variables marked
 * secret, values from the environment's secrets) masked as ********,
 * other references left as written. Caller frees; never fails. */
char *session_show_command(const struct session *s, const char *text);

/* Confirmation TEXT as the operator is shown it (a prompt, a refusal):
 * session_render's text with every secret value masked as ********.
 * Caller frees; NULL as session_render. */
char *session_show_confirm(const struct session *s, const char *text,
			   struct err *err);

/* Whether WANT, confirmation TMPL of step ID with this session's values,
 * came out blank (a variable it names is empty): then 1 with ERR saying
 * so, as nothing could be typed that names what the step acts on. */
int session_confirm_blank(const char *id, const char *tmpl,
			  const char *want, struct err *err);

/* Step text (a title, a note, a confirmation) as the operator reads it:
 * each $NAME or ${NAME} of a variable that is set replaced by its value
 * (secrets masked), one not set yet by a placeholder: the start of its
 * prompt when short ("‹Version to restore›"), else its name in
 * words ("‹hotfix version›"); never the raw reference. Caller
 * frees; never fails. */
char *session_show_text(const struct session *s, const char *text);

/* What a sign-off of approve step ID covers, in lines for the approver:
 * each active step it gates still to run, with its command as it will
 * run (secrets masked) and whether it is destructive; then, apart, the
 * gated steps already done, skipped or n/a, which it no longer covers.
 * NULL when ID is no approve step. Caller frees. */
char *session_approval_covers(const struct session *s, const char *id);

/* The gate hash a sign-off of approve step ID would carry now (the
 * commands and values of the steps it gates), for a sign-off written
 * elsewhere (share_inbox.h); NULL when ID is no approve step. Caller
 * frees. */
char *session_approval_gate(struct session *s, const char *id);

/* The role of approve step ID that ROLE names (compared as approvers'
 * names are: blanks, NFKC and case do not matter), as the playbook
 * writes it (borrowed), or NULL when the step has no such role. */
const char *session_role_name(const struct session *s, const char *id,
			      const char *role);

/* 0 when NAME may sign approve step ID as ROLE now, else -1 with ERR
 * saying why (no such step or role, a phase the session has not reached,
 * a step that does not apply, a complete session, the operator, already
 * signed, the role full): checked before anything is shown to the
 * approver. */
/* Whether step ID may be marked n/a now: 0, or -1 with ERR saying why
 * not (an approval is signed, never n/a; a done step; another phase's),
 * as session_apply would refuse it; the front end asks before it asks
 * for a reason. Nothing is journalled. */
int session_may_na(const struct session *s, const char *id,
		   struct err *err);

int session_approval_allowed(const struct session *s, const char *id,
			     const char *role, const char *name,
			     struct err *err);

/* Whether an action of KIND on step ID passes the transition table now
 * (the session not complete nor handed over, the step's kind, phase,
 * condition and state allow it): what the console's key bar offers. KIND
 * is an enum action_kind. An approval applies only while a role still lacks a
 * sign-off; next only while no required step of the phase is open;
 * another action that takes no step always applies. */
int session_act_applies(const struct session *s, int kind,
			const char *id);

/* The session's live sources (sources.h: tags, registries, logs), or
 * NULL for a session without a loop; borrowed. */
struct sources *session_sources(const struct session *s);

/* The drill scenario's id, or NULL (borrowed). */
const char *session_scenario(const struct session *s);

/* The drill's world for the panes: the scenario's "state" (registry,
 * tags, logs...) with the injections fired so far applied, plus "alerts"
 * [{id, text}] and "logs" {NAME: [lines]}; borrowed, valid until the next
 * event. NULL in a live session. */
const struct cJSON *session_drill_state(const struct session *s);

/* Stream a drill's simulated output over its duration on the loop (1:
 * the console) or show it at once (0, the default: batch mode, tests).
 * REWIND_TEST_DRILL_PACE=0/1 overrides both. Needs a loop to pace. */
void session_set_drill_pace(struct session *s, int paced);

/* Whether steps that opt in (drill.real_in_clone) run their read-only
 * command for real in a throwaway clone of the git target: on by default
 * in a drill; 0 keeps them simulated, each saying so in its step.started
 * event. A change is journalled (drill.clone), so a resumed drill keeps
 * it. Returns 0, or -1 with ERR when the journal write failed. */
int session_set_drill_clone(struct session *s, int allowed,
			    struct err *err);

/* Wall time of the session's start event (µs since the epoch). */
int64_t session_start_wall(const struct session *s);
/* The wall time of the journal's last event (0 when none). */
int64_t session_last_wall(const struct session *s);

/* Names of the facts templates and commands may name besides the
 * playbook's variables (OPERATOR, PLAYBOOK, ...), NULL-ended. */
extern const char *const session_fact_names[];

/* Whether NAME is one of them. */
int session_is_fact(const char *name);

/* The reason journalled for a step left behind because its "when"
 * condition did not hold (its step.skipped also carries "inactive": true). */
#define SESSION_INACTIVE_REASON "its when condition does not hold"

/* Name of a step state ("open", "done"...). */
const char *session_state_name(enum step_state st);

#endif
