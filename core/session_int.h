/* Internals shared by the session_*.c files; not for front ends. */
#ifndef REWIND_CORE_SESSION_INT_H
#define REWIND_CORE_SESSION_INT_H

#include <stdint.h>

#include "playbook.h"
#include "session.h"

struct action;
struct cJSON;
struct err;
struct journal;
struct journal_event;
struct proc;
struct runner;

struct approval {
	char *role;
	char *name;
	char *hash;	/* gate hash at the time of approval */
};

/* Run-time state of one step. */
struct step_rt {
	const struct pb_step *def;
	enum phase_id phase;
	enum step_state state;
	int confirmed;		/* typed confirmation accepted, not yet used */
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
	int exit_code;
};

struct session {
	struct playbook *pb;
	char *dir;
	char *operator;
	enum session_mode mode;
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
	enum phase_id phase;
	int complete;
	int started;		/* session.started was applied */
	int read_only;		/* destructive steps are refused */
	int replaying;		/* reading back the journal at open */
	int64_t start_wall_us;	/* wall time of session.started */
	uint64_t poll_timer;
	session_tty_cb tty_cb;
	void *tty_arg;
	session_listener_cb listener;
	void *listener_arg;
};

/* Step ID's run-time state, or NULL. */
struct step_rt *session_find_step(const struct session *s, const char *id);

/* Whether the step's `when` holds for the current variables. */
int session_step_active(const struct session *s, const struct step_rt *rt);

/* Append an event (PAYLOAD taken, may be NULL), then apply and announce
 * it. Returns 0, or -1 with ERR when the journal write failed. */
int session_record(struct session *s, const char *actor, const char *type,
		   const char *step, struct cJSON *payload, struct err *err);

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

/* Expand ${NAME} in TEXT from the session's variables and facts into a new
 * string (caller frees); NULL with ERR_NOTFOUND naming an unset name. */
char *session_expand(const struct session *s, const char *text,
		     struct err *err);

/* Call CB for each declared variable named in TEXT as $NAME or ${NAME}. */
void session_each_ref(const struct session *s, const char *text,
		      void (*cb)(const char *name, void *arg), void *arg);

#endif
