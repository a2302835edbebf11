/* Internals shared by the session_*.c files; not for front ends. */
#ifndef REWIND_CORE_SESSION_INT_H
#define REWIND_CORE_SESSION_INT_H

#include <stdint.h>

#include "outbox.h"
#include "playbook.h"
#include "session.h"
#include "rtoclock.h"

struct action;
struct cJSON;
struct err;
struct journal;
struct journal_event;
struct proc;
struct runner;
struct share;
struct share_inbox;
struct sources;

struct approval {
	char *role;
	char *name;
	char *hash;	/* gate hash at the time of approval */
	int64_t wall_us;	/* when it was given */
	char *entered;		/* where and by whom, in words (evtext) */
	char *steps_hash;	/* per step, 64 hex digits: the hash of each
				 * step it covered then (session_step_hash),
				 * "-" x 64 for the others */
};

/* Run-time state of one step. */
struct step_rt {
	const struct pb_step *def;
	enum phase_id phase;
	enum step_state state;
	int confirmed;		/* typed confirmation accepted, not yet used */
	char confirmed_for[65];	/* sha256 of the command with the values it
				 * was confirmed for; "" = not recorded */
	int n_runs;
	int n_mistyped;		/* confirmations that did not match */
	char *option;		/* decide: chosen option id */
	struct approval *approvals;
	size_t n_approvals;
	struct proc *proc;	/* live command in progress */
	uint64_t timer;		/* wait step timer */
	void *wait_ctx;		/* context of that timer, freed with it */
	int output_matched;	/* expect.output seen in the output */
	char *cast_rel;		/* output file of the current run */
	char *actor;		/* who last changed the step */
	int64_t wall_us;	/* and when */
	char *result;		/* last run's output tail */
	char *reason;		/* last run's failure reason */
	char *na_reason;	/* why it was marked n/a or skipped */
	char *reopened;		/* why a done step was reopened (it ran with
				 * other values), until it is done again */
	int exit_code;
	void *probe;		/* live probe in flight (session_probe.c) */
	/* The process of the last run (step.spawned), so that a console
	 * resuming after this one died can find it (session_orphan.c). */
	long run_pid;		/* 0 = not known */
	unsigned long long run_start;	/* its start time in /proc */
	char *run_boot;		/* the boot it ran in */
	int64_t run_wall_us;	/* when it was spawned */
	long keeper_pid;	/* its keeper (keeper.h), 0 = none: its
				 * status file (the cast's, .status) then
				 * says how it ended */
	unsigned long long keeper_start;	/* the keeper's start time */
	int orphan;		/* it outlived its console and runs */
	int cancelled;		/* STEP_INTERRUPTED by a cancel, its console
				 * alive: outcome unknown all the same */
	int orphan_stopping;	/* the operator asked it to stop */
	int64_t orphan_kill_us;	/* monotonic: SIGKILL due, 0 = none */
	int64_t orphan_gone_us;	/* monotonic: its process was first seen
				 * gone (its drainer may still write) */
	int run_unknown;	/* the last run's outcome is unknown (it was
				 * interrupted or cancelled), whatever the
				 * step's state since */
	int output_cut;		/* its console died without quitting
				 * (killed): its output may be cut off */
	int ended_news;		/* that end was learned by this console */
	int64_t ended_after_quit;	/* its last run ended after its console
					 * quit, when (the keeper's record) */
	char *hand_check;	/* an interrupted run recorded as having done
				 * its work: what the operator checked */
	char *run_by;		/* who started the last run (step.started) */
	char *orphan_end;	/* how the last run's orphan ended, in words
				 * (what was done to it, what its keeper
				 * recorded), or NULL */
	int exit_known;		/* ...and its keeper recorded its exit
				 * status (outcome unknown all the same) */
	int64_t first_run_us;	/* when its first run started, or 0 */
	struct rto_done done;	/* when its work was done (rtoclock.h) */
	int voided;		/* approve: a sign-off voided since it was
				 * last complete (the phase is reopened) */
	char *voided_note;	/* approve: the last sign-off voided, which
				 * covered steps ran under it while it was
				 * valid and which remain unapproved */
};

/* Who gave a variable its value, and when (the latest var.set). */
struct var_setter {
	char *by;		/* the event's actor; NULL = never set */
	int64_t wall_us;	/* when */
	int n_sets;		/* var.set events for it so far */
};

struct session {
	struct playbook *pb;
	char *dir;
	char *operator;
	char *workdir;		/* where it started (session.started) */
	int workdir_moved;	/* resumed elsewhere, moved back there */
	int workdir_missing;	/* resumed elsewhere, could not go there */
	char *console_op;	/* this console's --operator (normal form),
				 * which its own actions are journalled
				 * under; NULL = the session's operator */
	enum session_mode mode;
	const char *entry;	/* how this process's actions are entered
				 * (session_set_entry); NULL = console */
	char *scenario;		/* scenario id or NULL */
	const struct clock *clk;
	struct loop *loop;
	struct runner *runner;
	struct redact *redact;	/* secrets scrubbed from every event */
	struct journal *journal;
	int lock_fd;		/* session.lock, held by the owning process */
	struct step_rt *steps;
	size_t n_steps;
	char **values;		/* per playbook variable; NULL = unset */
	struct var_setter *setters;	/* per playbook variable: who set it */
	enum phase_id phase;
	int complete;
	int64_t complete_wall_us;	/* wall time of session.completed */
	int64_t verify_end_wall_us;	/* when the verify phase was left */
	int started;		/* session.started was applied */
	int read_only;		/* destructive steps are refused */
	int replaying;		/* reading back the journal at open */
	int64_t start_wall_us;	/* wall time of session.started */
	uint64_t poll_timer;
	session_tty_cb tty_cb;
	void *tty_arg;
	session_listener_cb listener;
	void *listener_arg;
	struct drill *drill;	/* drill state (drill.c), NULL until needed */
	struct sources *sources;	/* live panes and probes (sources.c) */
	struct cJSON *answers;	/* last journalled source answer texts:
				 * "tags", "registry:NAME" (sources.c) */
	/* messages (session_send.c, outbox.c) */
	struct outbox *outbox;		/* messages not yet delivered */
	session_clipboard_cb clip_cb;
	void *clip_arg;
	int delivers;			/* owns the session: delivers messages */
	char *decision_label;		/* facts: the last decision made */
	char *decision_reason;
	int64_t executed_wall_us;	/* when execute was left, 0 = not yet */
	int64_t reminder_base_us;	/* wall: the cadence counts from here */
	int64_t reminder_due_us;	/* wall: a reminder is due, 0 = none */
	uint64_t reminder_timer;
	uint64_t orphan_timer;		/* polls orphans' /proc entries */
	/* The console driving the session, from the last session.started
	 * or session.resumed ("console"); quit_wall_us once it said it
	 * ended (session.quit), else 0. */
	long driver_pid;		/* 0 = not journalled */
	unsigned long long driver_start;
	char *driver_boot;
	char *driver_login;	/* its real login; NULL = not journalled */
	int64_t driver_quit_us;
	int64_t last_wall_us;		/* the last event's wall time */
	int64_t last_console_us;	/* the last event's but a refusal's
					 * (written by whoever was refused,
					 * not the console) */
	struct share *share;		/* publishing to a git remote, or NULL
					 * (session_share.c) */
	struct share_inbox *inbox;	/* sign-offs written to its inbox
					 * there (session_share.c) */
	char *share_remote;		/* the remote shared to, as given */
	char *origin;			/* a fetched copy: the remote it was
					 * fetched from (session_set_origin) */
	char *taken_by;			/* handed over to them (published
					 * session.handover): read-only here */
	char *offer_to;			/* the commander offered the session
					 * to them (session.handover_offered,
					 * not withdrawn or taken), or NULL */
};

/* A session of PB (taken) with no journal, lock, loop or runner: the
 * model a replay applies events to. Caller frees with session_free. */
/* Whether RT's typed confirmation holds: taken in this console, for the
 * command with the values it has now. */
int session_confirmation_holds(const struct session *s,
			       const struct step_rt *rt);

/* The playbook's targets that name variables, with the values now (a
 * default while unset). */
void session_resolve_targets(struct session *s);

struct session *session_alloc(struct playbook *pb, const char *dir,
			      const struct clock *clk);

/* Snapshots of the run-time state (steps, variables, phase) for replay
 * seeking (session_replay.c). A snapshot is a deep copy; restoring one
 * into a session of the same playbook replaces its state. */
struct session_state;
struct session_state *session_state_dup(const struct session *s);
void session_state_restore(struct session *s, const struct session_state *st);
void session_state_free(struct session_state *st);

/* Step ID's run-time state, or NULL. */
struct step_rt *session_find_step(const struct session *s, const char *id);

/* Whether the step's `when` holds for the current variables. */
int session_step_active(const struct session *s, const struct step_rt *rt);

/* The hash of the steps approve step AP covers now, one per step (see
 * struct approval's steps_hash); caller frees. */
char *session_steps_hash(struct session *s, const struct step_rt *ap);

/* An approval.voided payload P in words when covered steps ran under the
 * sign-off before it was voided (which ran, which remain unapproved), or
 * NULL; caller frees. */
char *session_voided_note(const struct cJSON *p);

/* Append an event (PAYLOAD taken, may be NULL), then apply and announce
 * it. Returns 0, or -1 with ERR when the journal write failed. */
int session_record(struct session *s, const char *actor, const char *type,
		   const char *step, struct cJSON *payload, struct err *err);

/* Whether approve step AP's sign-off covers step RT. */
int session_approve_gates(const struct step_rt *ap, const struct step_rt *rt);

/* Handlers of `handover NAME` (the commander offers the shared session
 * to NAME: session.handover_offered) and `withdraw-handover`
 * (session.handover_withdrawn), session_share.c. */
struct action;
int session_act_handover(struct session *s, struct step_rt *rt,
			 const struct action *a, const char *actor,
			 struct err *err);
int session_act_withdraw_handover(struct session *s, struct step_rt *rt,
				  const struct action *a, const char *actor,
				  struct err *err);

/* Refuse NAME as the operator when a sign-off of NAME is in force on an
 * approve step that gates a step not yet run (session_operator.c). */
int session_check_operator(const struct session *s, const char *name,
			   struct err *err);
/* Make NAME the operator when it is not already: checked as above, then
 * journalled as session.operator_changed (from, to). */
int session_change_operator(struct session *s, const char *name,
			    struct err *err);
/* Replay of session.operator_changed. */
void session_apply_operator_changed(struct session *s, const char *to);

/* Journal the refusal of A (reason in ERR); returns -1. */
int session_refuse(struct session *s, const struct action *a,
		   const char *actor, struct err *err);

/* Mask VALUE from now on in the journal and in command output. */
void session_add_secret(struct session *s, const char *value);

/* Update the state from one journal event (ours or replayed). */
void session_apply_event(struct session *s, const struct journal_event *ev);

/* Hex gate hash of approve step RT under the current variables (caller
 * frees): the commands and variable values of every step it gates. */
char *session_gate_hash(struct session *s, const struct step_rt *rt);

/* Journal approval.granted of step ID by NAME (normal form) as ROLE,
 * its provenance PROV (taken) saying where it came from, if the session
 * takes that sign-off now (session_approval_allowed): -1 with ERR why
 * not. */
int session_grant_remote(struct session *s, const char *id, const char *role,
			 const char *name, const char *comment,
			 struct cJSON *prov, struct err *err);

/* Journal approval.voided for every approval whose gate hash changed. */
int session_check_approvals(struct session *s, struct err *err);

/* Handlers of the action vocabulary (session_act.c). */
int session_act(struct session *s, const struct action *a, const char *actor,
		struct err *err);

/* Start a run, probe or wait step (session_run.c); 0 done, 1 pending. */
int session_run_step(struct session *s, struct step_rt *rt, const char *actor,
		     struct err *err);

/* Cancel a running step. */
int session_cancel_step(struct session *s, struct step_rt *rt,
			struct err *err);

/* Live probes (session_probe.c): start probe step RT (0 judged, 1 pending
 * on the loop, -1 with ERR); cancel the one in flight (its step.finished
 * says cancelled); drop every one in flight without journalling (before
 * the sources go). */
int session_probe_run(struct session *s, struct step_rt *rt,
		      const char *actor, struct err *err);
int session_probe_cancel(struct session *s, struct step_rt *rt,
			 struct err *err);
void session_probes_done(struct session *s);

/* Runs a console that died left behind (session_orphan.c): journal the
 * process of a run once spawned (step.spawned: pid, start time, boot);
 * on resume, journal each run left unfinished as interrupted and each of
 * their processes that still runs (step.orphan) or has ended since
 * (step.orphan_ended); once on a loop, poll them until they end; stop
 * one for the operator (SIGTERM, then SIGKILL, to its process group;
 * step.orphan_stop), returning 1 while it has not ended yet. */
int session_record_spawn(struct session *s, struct step_rt *rt, long pid,
			 long keeper_pid, const char *actor, struct err *err);
int session_orphans_resume(struct session *s, struct err *err);
/* Journal RT's run as finished with the outcome its keeper recorded
 * (KS) after the console that started it had quit: judged as a live run
 * is, from its saved output (step.finished, recorded_by "keeper").
 * Returns 0, or -1 with ERR when the journal write fails. */
struct keeper_status;
int session_finish_kept(struct session *s, struct step_rt *rt,
			const struct keeper_status *ks, struct err *err);
/* Add "console": this process's pid, start time and boot to P (the
 * payload of session.started or session.resumed), so a watcher can tell
 * whether the console driving the session still runs. */
void session_add_console(struct cJSON *p);
/* Where and by whom an approval (or a refused try at one) was entered:
 * how (console, batch, watch, rewind approve), the real login of the
 * process (getuid, never $USER), its host and terminal, and the
 * session's operator. It proves no more than that: there is no server to
 * vouch for the name typed. */
struct cJSON *session_provenance(const struct session *s);
void session_orphans_start(struct session *s);
void session_orphans_done(struct session *s);
int session_orphan_stop(struct session *s, struct step_rt *rt,
			const char *actor, struct err *err);

/* Expand ${NAME} in TEXT from the session's variables and facts into a new
 * string (caller frees); NULL with ERR_NOTFOUND naming an unset name. */
char *session_expand(const struct session *s, const char *text,
		     struct err *err);

/* Send message step RT (session_send.c): render (or take A->text, the
 * operator's edit), journal message.queued, deliver or queue it. */
int session_send(struct session *s, struct step_rt *rt,
		 const struct action *a, const char *actor, struct err *err);



/* Value of fact NAME (caller frees), or NULL when unknown or not known
 * yet (COMPLETED_AT before execute is over). */
char *session_fact(const struct session *s, const char *name);

/* Update facts, the queue and reminders from one journal event. */
void session_message_event(struct session *s, const struct journal_event *ev);

/* Once the session owns its loop: resume the queue, arm reminders. */
void session_messages_start(struct session *s);

/* Cancel reminder timers and free the queue. */
void session_messages_done(struct session *s);

/* Whether RT is the step update reminders offer (sendable any time). */
int session_is_reminder_step(const struct session *s,
			     const struct step_rt *rt);

/* Call CB for each declared variable named in TEXT as $NAME or ${NAME}. */
void session_each_ref(const struct session *s, const char *text,
		      void (*cb)(const char *name, void *arg), void *arg);

/* Append LINE (LEN bytes) to TAIL, a run's last lines (at most
 * TAIL_MAX bytes with its NUL, the size of struct proc_result's tail),
 * dropping its oldest lines to make room. */
#define TAIL_MAX 2048
void session_tail_add(char *tail, const char *line, size_t len);

/* "workdir" in P: the directory this process runs in, where the
 * session's commands and relative targets mean paths from (written by
 * session.started, and by session.handover for the successor). */
void session_add_workdir(struct cJSON *p);

#endif
