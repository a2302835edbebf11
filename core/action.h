/* The one vocabulary of actions that changes a session (set, tick, na, reopen,
 * run, confirm, choose, approve, send, note, next, quit, predict, inject,
 * handover, withdraw-handover),
 * and the parser
 * of its text form used by batch mode and `rewind approve`. */
#ifndef REWIND_CORE_ACTION_H
#define REWIND_CORE_ACTION_H

struct err;

#define ACTION_LIST(X)                                                     \
	X(ACT_SET, "set", "set NAME VALUE", 2, 0)                          \
	X(ACT_TICK, "tick", "tick STEP [NOTE]", 1, 1)                       \
	X(ACT_NA, "na", "na STEP REASON", 2, 1)                             \
	X(ACT_REOPEN, "reopen", "reopen STEP [REASON]", 1, 1)               \
	X(ACT_UNTICK, "untick", "untick STEP [REASON]", 1, 1)               \
	X(ACT_RUN, "run", "run STEP", 1, 0)                                 \
	X(ACT_CANCEL, "cancel", "cancel STEP", 1, 0)                        \
	X(ACT_CONFIRM, "confirm", "confirm STEP TEXT", 2, 1)                \
	X(ACT_CHOOSE, "choose", "choose STEP OPTION REASON", 3, 1)          \
	X(ACT_APPROVE, "approve", "approve STEP ROLE NAME [COMMENT]", 3, 1) \
	X(ACT_SEND, "send", "send STEP", 1, 0)                              \
	X(ACT_NOTE, "note", "note TEXT", 1, 1)                              \
	X(ACT_NEXT, "next", "next", 0, 0)                                   \
	X(ACT_QUIT, "quit", "quit", 0, 0)                                   \
	X(ACT_PREDICT, "predict", "predict STEP TEXT", 2, 1)               \
	X(ACT_INJECT, "inject", "inject ID", 1, 0)                          \
	X(ACT_HANDOVER, "handover", "handover NAME", 1, 0)                  \
	X(ACT_WITHDRAW_HANDOVER, "withdraw-handover", "withdraw-handover", 0, 0)

enum action_kind {
#define X(id, name, usage, min_args, rest) id,
	ACTION_LIST(X)
#undef X
	ACT_COUNT
};

/* A parsed action. Which fields are set depends on the kind:
 * set: name, value; tick: step, text (note); na, reopen, untick: step,
 * text (reason);
 * run/cancel/send: step; confirm: step, text; choose: step, option, text;
 * approve: step, role, name (the approver), text (comment); note: text;
 * predict: step, text (what the trainee expects the run to do);
 * inject: name (the scenario's injection a game master fires);
 * handover: name (the successor the commander offers the session to). */
struct action {
	enum action_kind kind;
	char *step;
	char *name;
	char *value;
	char *option;
	char *role;
	char *text;
};

/* Parse one line of the batch language into A (released with
 * action_done). Arguments are split on blanks; double quotes group words
 * (with \" and \\ escapes); the final free-text argument of tick, na,
 * confirm, choose, approve and note takes the rest of the line. Returns 1
 * for an action, 0 for a blank or comment line, -1 with ERR_PARSE. */
int action_parse(const char *line, struct action *a, struct err *err);

/* Release what A owns and zero it; A may be NULL. */
void action_done(struct action *a);

/* Name of KIND ("tick"), and its usage line ("tick STEP [NOTE]"). */
const char *action_name(enum action_kind kind);
const char *action_usage(enum action_kind kind);

#endif
