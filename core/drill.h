/* Drill mode's own state: the scenario's world (registry, tags, logs) as
 * injections change it, the trainee's predictions, the opt-in throwaway
 * clone, and the score card computed when the session completes. All of
 * it is rebuilt from the journal (drill.inject, step.predicted), so a
 * resumed drill neither loses nor repeats anything.
 *
 * Score card (drill.scorecard event and DIR/scorecard.json). A criterion
 * the drill gave no chance to meet is listed with applies false and null
 * points, and left out of score and max (see rewind-playbook(5)):
 *   decision     30  the scenario's expected option chosen at its decide
 *                    step (applies with an expectation)
 *   answers      10  the scenario's answers (input values) given as it
 *                    has them; each one otherwise costs its share (no
 *                    row at all when the scenario has none)
 *   rto          20  completed within the recovery-time target
 *   phases       10  shared by the phases that have a target
 *   verifications 20 required run/probe steps of verify: each one marked
 *                    n/a costs its share and 5 more, and is listed
 *   checks       10  minus 2 per optional check left open (an optional
 *                    run step is a fallback and never counts)
 *   approvals    10  every role of every active approval obtained
 *   confirmations 10 minus 5 per mistyped confirmation
 *   predictions  10  share of the asked-for predictions that were right
 *                    (judged when the text starts with "ok", "succeeds",
 *                    "fails", "error", "times out" or "exit N")
 * Scores never go below 0 per criterion. */
#ifndef REWIND_CORE_DRILL_H
#define REWIND_CORE_DRILL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct action;
struct cJSON;
struct drill;
struct err;
struct journal_event;
struct pb_inject;
struct pb_scenario;
struct playbook;
struct session;
struct step_rt;
struct strbuf;

/* --- for front ends ----------------------------------------------------------- */

/* What a trainee's views (rewind sessions, replay --print, report) show
 * for the scenario of a drill not yet completed: its id names the answer
 * (critical-bug-published). The game master's watch keeps it. */
#define DRILL_SCENARIO_HIDDEN "hidden until the drill ends"

/* Whether step ID must get a prediction before it runs: a drill, a run
 * step asking for one (its own "predict" or the playbook's drill.predict),
 * and none recorded since its last run. */
int drill_wants_prediction(const struct session *s, const char *id);

/* Whether a prediction's TEXT says what the run will do (it starts with
 * ok, succeeds, passes, fails, error, times out or exit N), so the score
 * card can judge it. */
int drill_prediction_is_judged(const char *text);

/* The prediction recorded for step ID, borrowed, or NULL. */
const char *drill_prediction(const struct session *s, const char *id);

/* The score card as JSON (see the top of this header); caller deletes.
 * Returns NULL for a live session. Fields: scenario, expected {step,
 * option, chosen, followed}, phases [{phase, seconds, target_seconds,
 * within}], total_seconds, rto_seconds, within_rto, skipped [{step,
 * reason}], na [{step, reason}], approvals [{step, role, required,
 * obtained, names}], mistyped [{step, count}], predictions [{step, text,
 * expected, exit, ok, first_lines, right}], unverified [{step, reason}],
 * criteria [{name, points, max, applies, why}], score, max; expected
 * also has rationale and reason. */
struct cJSON *drill_scorecard_json(const struct session *s);

/* In a drill, phase PHASE's time (so far, counted to NOW_US, or the
 * session's clock when 0, as replay counts to its own clock; or in all
 * once it ended) in *TOOK_US and its target (the playbook's rto.phases,
 * 0 = none) in *TARGET_US, as the score card's phases criterion counts
 * them. Returns 0, or -1 (both 0) when not a drill or the phase has not
 * started. */
int drill_phase_time(const struct session *s, int phase, int64_t now_us,
		     int64_t *took_us, int64_t *target_us);

/* When a drill's recovery clock stopped (µs), as the score card counts
 * its recovery time: when the verify phase was left, else at completion;
 * 0 while it runs (and outside a drill). */
int64_t drill_clock_stop(const struct session *s);

/* Whether the scenario's injection I (its index) has fired. */
int drill_inject_fired(const struct session *s, size_t i);

/* One line saying what injection IN does (alert, state keys, log lines);
 * the caller frees it. */
char *drill_describe_inject(const struct pb_inject *in);

/* Append CARD (drill_scorecard_json's) to OUT as readable tables: the
 * criteria (points, or n/a when left out), the decision against the
 * expected one with both reasons, the required verifications marked n/a,
 * optional steps left open, time per phase against its target and the
 * predictions. MARKDOWN: Markdown tables; else aligned plain text. Text
 * from outside is sanitised. Never fails. */
void drill_scorecard_render(const struct cJSON *card, int markdown,
			    struct strbuf *out);

/* Whether steps that opt in (drill.real_in_clone) run their read-only
 * command for real in the throwaway clone: a drill, unless the operator
 * turned it off (session_set_drill_clone). */
int drill_clone_allowed(const struct session *s);

/* In a drill, check step ID (of any phase, not a follow-up) that nothing
 * in the drill's world shows (no scenario outcome, no drill.output: the
 * simulated probe the trainee reads before ticking): it cannot be judged
 * here and is never scored; a tick is on faith. 0 otherwise (not a drill,
 * another kind, or evidence there). */
int drill_unverifiable(const struct session *s, const char *id);

/* In a drill, what the world shows for check step ID: the scenario's
 * outcome for it, else its drill.output; or NULL. */
const char *drill_check_evidence(const struct session *s, const char *id);

/* Whether check step ID's evidence in this drill is the scenario's
 * briefing (its briefing_shows names the step). */
int drill_check_briefed(const struct session *s, const char *id);

/* In a drill, check step ID judged by the world's logs now (drill.log,
 * drill.fails_on): 1 it holds (no line of the log matches), 0 the log
 * contradicts it (*LINE, borrowed until the world changes, is the first
 * line that matches), -1 the step reads no log or the world has no such
 * log. *LOG (borrowed) names the log when it is not -1. */
int drill_check_world(const struct session *s, const char *id,
		      const char **log, const char **line);

/* Whether the drill's world gives the repository (its state has "tags":
 * the tags, HEAD): then git reads that world, never a clone of the
 * operator's own repository, whose tags and HEAD would contradict it. */
int drill_world_has_repo(const struct session *s);

/* How step ID's last drill run went: 1 it ran for real in the clone, 0 it
 * was simulated (*WHY, borrowed, says why when the step opts in and the
 * simulation stood in; else NULL), -1 not run yet or not a drill. */
int drill_clone_run(const struct session *s, const char *id,
		    const char **why);

/* --- for the session_*.c files --------------------------------------------------- */

/* Free S's drill state: cancel its timers, remove the clone. */
void drill_free(struct session *s);

/* A copy of S's drill record (no timers, runner or clone) for replay
 * snapshots, or NULL when S has none; free with drill_snapshot_free. */
struct drill *drill_snapshot(const struct session *s);

/* Replace S's drill record by a copy of SNAP (NULL: none). */
void drill_restore(struct session *s, const struct drill *snap);

/* Free a snapshot (N_STEPS: the session's step count); SNAP may be NULL. */
void drill_snapshot_free(struct drill *snap, size_t n_steps);

/* Note one applied journal event (called for every event, replayed or
 * new); never journals anything itself. */
void drill_observe(struct session *s, const struct journal_event *ev);

/* Start the drill side of an opened session: timed injections are
 * scheduled on the loop and overdue ones (and those after finished
 * steps) fired now. Output shows at once until session_set_drill_pace
 * (or REWIND_TEST_DRILL_PACE) says otherwise. Returns 0 or -1 when
 * journalling failed. A live session: nothing to do. */
int drill_start(struct session *s, struct err *err);

/* The world a drill of PB under scenario SC (may be NULL) starts from:
 * the playbook's drill.state with the scenario's state merged over it (a
 * JSON merge patch), its relative dates counted from START_WALL (µs; 0
 * leaves them, see world_resolve_times). The caller deletes it. */
struct cJSON *drill_world_start(const struct playbook *pb,
				const struct pb_scenario *sc,
				int64_t start_wall);

/* Answer run step RT's command from the world (world_simulate): 1 with
 * *OUTPUT (borrowed until the step runs again or the drill ends) and
 * *EXIT_CODE set, a changed world journalled as drill.world; 0 when the
 * world does not know a command of the line; -1 when journalling
 * failed. */
int drill_world_run(struct session *s, struct step_rt *rt, const char *actor,
		    const char **output, int *exit_code, struct err *err);

/* Run step RT's command, whose output its drill block gives, still acts
 * on the world: when the world knows the line and it succeeds there, the
 * change is journalled as drill.world (the world's own output is
 * dropped), so a `git checkout TAG` moves HEAD in the Tags tab however
 * the step's text reads. 1 changed, 0 not, -1 journalling failed. */
int drill_world_follow(struct session *s, struct step_rt *rt,
		       const char *actor, struct err *err);

/* Step RT's fixed drill output TEXT with ${NAME} replaced by the values
 * the command ran with (a commit message naming $FEATURE): borrowed until
 * RT's next run; TEXT itself when it names no set variable. */
const char *drill_output_for(struct session *s, struct step_rt *rt,
			     const char *text);

/* Wait or run step RT's drill.watch answered by the world (a look only: the
 * world is left as it is). 1 when the watched command fails: *OUTPUT
 * (borrowed as drill_world_run's) says so with the command's output and
 * *EXIT_CODE is its status; 0 when it succeeds or the world does not
 * know it (the step's drill block then stands). */
int drill_world_watch(struct session *s, struct step_rt *rt,
		      const char **output, int *exit_code);

/* Apply run step RT's drill.state (what its simulated, successful run
 * does to the world, such as a workflow that moved a dist-tag), journalled
 * as drill.world when it changes anything; 0 or -1. */
int drill_world_patch(struct session *s, struct step_rt *rt, const char *actor,
		      struct err *err);

/* Fire the injections waiting for step ID to finish; 0 or -1. */
int drill_fire_after(struct session *s, const char *id, struct err *err);

/* Handler of `predict STEP TEXT`: journals step.predicted. */
int drill_act_predict(struct session *s, struct step_rt *rt,
		      const struct action *a, const char *actor,
		      struct err *err);

/* Handler of `inject ID`: a game master fires the scenario's injection
 * ID now, whatever its at/after says (journalled as drill.inject with
 * fired_by). Refused outside a drill, for an unknown id (the message
 * lists the scenario's), once it has fired, or after completion. */
/* The index of SC's injection NAME: its id, or the start of exactly one
 * id; -1 with ERR naming the candidates when the start is ambiguous, or
 * the scenario's ids when none matches. */
ssize_t drill_find_inject(const struct pb_scenario *sc, const char *name,
			  struct err *err);

int drill_act_inject(struct session *s, struct step_rt *rt,
		     const struct action *a, const char *actor,
		     struct err *err);

/* Refuse (-1, ERR_STATE with the predict command to type) a drill run of
 * a step that asks for a prediction and has none; 0 otherwise. */
int drill_check_prediction(const struct session *s, const struct step_rt *rt,
			   struct err *err);

/* At session completion: journal drill.scorecard, write scorecard.json,
 * stop timers and remove the clone. Returns 0 or -1. */
int drill_complete(struct session *s, const char *actor, struct err *err);

/* Whether simulated output streams over time (see drill_start). */
int drill_is_paced(const struct session *s);

/* The throwaway clone's path, made on first use from the playbook's git
 * target and at most once per session (a failure is kept and given
 * again); NULL with ERR_NOTFOUND / ERR_IO when it cannot be made, or
 * ERR_STATE once drill_complete removed it. */
const char *drill_clone_dir(struct session *s, struct err *err);

/* The runner for clone runs, created on first use; NULL with ERR_SYS. */
struct runner *drill_runner(struct session *s, struct err *err);

/* drill_approval_not_counted() for playbook PB's drill run by OPERATOR
 * (may be NULL), where no session is at hand (the report): a static
 * reason, or NULL when the sign-off counts. */
const char *drill_sign_off_not_counted(const struct playbook *pb,
				       const char *operator, const char *role,
				       const char *name);

/* Why a sign-off by NAME for ROLE does not count on a drill's score card,
 * or NULL: the operator signing for themself, or, where the playbook
 * names the drill's approvers for the role (drill.approvers), someone
 * else. */
const char *drill_approval_not_counted(const struct session *s,
				       const char *role, const char *name);

#endif
