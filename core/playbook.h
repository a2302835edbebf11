/* The playbook model: a rollback runbook made executable, loaded from JSON
 * and validated with errors that name the file, the JSON path and the
 * problem. playbooks/schema.json is the published contract; the loader's
 * rules are equal to it. The structs are a read-only description (public
 * fields); all mutable state lives in the session. */
#ifndef REWIND_CORE_PLAYBOOK_H
#define REWIND_CORE_PLAYBOOK_H

#include <regex.h>
#include <stddef.h>
#include <stdint.h>

#include "registry.h"

struct err;

enum phase_id {
	PHASE_ASSESS,
	PHASE_DECIDE,
	PHASE_APPROVE,
	PHASE_EXECUTE,
	PHASE_VERIFY,
	PHASE_COMMUNICATE,
	PHASE_COUNT
};

/* How a message step sends (file is the default). */
enum msg_channel {
	CHANNEL_FILE,
	CHANNEL_WEBHOOK,
	CHANNEL_COMMAND,
	CHANNEL_CLIPBOARD,
	CHANNEL_COUNT
};

/* "file", "webhook", "command", "clipboard", NULL: in enum order. */
extern const char *const msg_channel_names[];
/* Parse a channel name into *C: 0, or -1 for an unknown one. */
int msg_channel_parse(const char *name, enum msg_channel *c);

/* The body a webhook message posts ("slack" is the default). */
enum webhook_style {
	WEBHOOK_SLACK,		/* {"text", "id"} */
	WEBHOOK_GENERIC,	/* {"id", "step", "text", "facts"} */
	WEBHOOK_STYLE_COUNT
};

/* "slack", "generic", NULL: in enum order. */
extern const char *const webhook_style_names[];

enum step_kind {
	STEP_KIND_CHECK,
	STEP_KIND_RUN,
	STEP_KIND_PROBE,
	STEP_KIND_DECIDE,
	STEP_KIND_APPROVE,
	STEP_KIND_INPUT,
	STEP_KIND_MESSAGE,
	STEP_KIND_WAIT,
	STEP_KIND_COUNT
};

enum probe_type {
	PROBE_GIT_HEAD,		/* git HEAD is at tag */
	PROBE_REGISTRY_TAG,	/* registry dist-tag / latest is version */
	PROBE_HTTP,		/* endpoint returns status (and JSON field) */
	PROBE_LOG_COUNT,	/* pattern count below threshold in a window */
	PROBE_TYPE_COUNT
};

/* "when": every condition must hold; a condition holds when the variable
 * is set and its value is one of VALUES. */
struct pb_cond {
	char *var;
	char **values;
	size_t n_values;
};

struct pb_when {
	struct pb_cond *conds;
	size_t n_conds;		/* 0 = always */
};

/* A pattern checked at load and compiled when first matched. */
struct pb_lazy_re;

struct pb_variable {
	char *name;		/* [A-Z][A-Z0-9_]* */
	char *prompt;
	char *default_value;	/* NULL = none */
	char *pattern;		/* ERE matched against the whole value, or NULL */
	struct pb_lazy_re *re;	/* the pattern compiled on first use
				 * (checked at load), when pattern */
	char *from;		/* "tags", "registry" or NULL */
	int secret;		/* never journalled, shown or written */
	char **time_of;		/* step ids: unset, the variable offers the
				 * time the last of them was done */
	size_t n_time_of;
};

struct pb_kv {
	char *name;
	char *value;
};

/* What drill mode shows instead of running a step. */
struct pb_drill {
	int present;
	char *output;		/* text, may hold newlines; NULL = none */
	int exit_code;
	int64_t duration_us;
	int real_in_clone;	/* read-only command may run in a throwaway clone */
	char *state_json;	/* merge patch applied to the drill's world
				 * when the simulated run succeeds, or NULL */
	char *watch;		/* wait: a command the world answers for
				 * what the wait watches, or NULL */
	char *log;		/* check: the world's log that is its
				 * evidence, or NULL */
	char *endpoint;		/* check: the world's HTTP endpoint (its
				 * URL) whose answer is its evidence */
	char *fails_on;		/* check: a line of that log, or the
				 * endpoint's answer "STATUS BODY",
				 * matching it contradicts the check */
	regex_t fails_re;	/* REG_EXTENDED | REG_NOSUB | REG_NEWLINE */
	char *registry;		/* check: the world's registry package
				 * (drill.registry.package, a template)
				 * whose state is its evidence, or NULL */
	char *yanked;		/* ... the version (a template) that must
				 * be yanked there, or NULL */
	char *resolves_not;	/* ... the version (a template) an unpinned
				 * install must no longer resolve, or NULL */
};

struct pb_option {
	char *id;
	char *label;
	char *description;	/* NULL = none */
	int recommended;	/* the runbook's own pick (no matrix) */
	struct pb_kv *sets;	/* variables set when chosen */
	size_t n_sets;
};

/* A decision matrix: ROW_VAR (and COL_VAR for 2-D) select a cell naming
 * the recommended option. cells has n_rows * max(n_cols, 1) entries. */
struct pb_matrix {
	char *row_var;
	char **rows;
	size_t n_rows;
	char *col_var;		/* NULL for a one-dimensional matrix */
	char **cols;
	size_t n_cols;
	char **cells;		/* option ids, row-major */
};

struct pb_role {
	char *role;
	int count;
};

struct pb_probe {
	enum probe_type type;
	char *tag;		/* git_head: tag template */
	char *package;		/* registry: target package name */
	char *dist_tag;		/* registry: dist-tag, default "latest" */
	char *version;		/* registry: expected version template */
	int withdrawn;		/* registry: instead, VERSION must be
				 * deprecated (npm) or yanked (PyPI) */
	char *url;		/* http: URL template */
	int status;		/* http: expected status, default 200 */
	char *json_field;	/* http: dotted path into the JSON body */
	char *equals;		/* http: expected value of json_field */
	char *log;		/* log_count: log target name */
	char *pattern;		/* log_count: ERE */
	int below;		/* log_count: count must be below this */
	int64_t window_us;	/* log_count: window */
	regex_t re;		/* log_count: compiled pattern (valid when
				 * pattern; REG_NEWLINE, matched per line) */
};

struct pb_step {
	char *id;
	enum step_kind kind;
	char *title;
	char *note;		/* guidance shown with the step, or NULL */
	struct pb_when when;
	int required;		/* blocks `next` while open (default 1) */
	int follow_up;		/* check: work for after the incident (a
				 * root cause, a fix, a process change):
				 * never required, never scored, listed
				 * in the report as a follow-up */

	/* run */
	char *run;		/* shell command; variables arrive as env */
	char *cwd;		/* NULL = the git target or the current dir */
	int64_t timeout_us;	/* 0 = none */
	int expect_exit;	/* default 0 */
	char *expect_output;	/* ERE the output must contain, or NULL */
	regex_t expect_re;	/* REG_EXTENDED | REG_NOSUB | REG_NEWLINE */
	int destructive;
	char *confirm;		/* text to type (may hold ${VAR}); NULL = id */
	int interactive;
	int parallel;		/* may run beside other parallel steps */
	int predict;		/* drill: ask the trainee's prediction first */
	struct pb_drill drill;	/* run, probe, wait, message */

	/* probe */
	struct pb_probe probe;

	/* decide */
	struct pb_option *options;
	size_t n_options;
	struct pb_matrix *matrix;	/* NULL = none */

	/* approve */
	struct pb_role *roles;
	size_t n_roles;
	char **gates;		/* phase or step ids; default {"execute"} */
	size_t n_gates;

	/* input (and decide: variable receiving the option id, may be NULL) */
	char *variable;

	/* message */
	char *template;
	enum msg_channel channel;	/* written as msg_channel_names */
	char *path;		/* file channel: file name */
	char *folder;		/* file channel: also into this folder of
				 * the git target (e.g. "incidents/") */
	char *url;		/* webhook: URL (prefer url_env), or NULL */
	char *url_env;		/* webhook: environment variable holding
				 * the URL, or NULL */
	enum webhook_style style;	/* written as webhook_style_names */
	char *command;		/* command channel: reads the text on stdin */
	int64_t send_timeout_us;	/* webhook/command: 0 = default */

	/* wait */
	int64_t duration_us;
	char **probes;		/* probe step ids repeated while waiting */
	size_t n_probes;
};

struct pb_phase {
	enum phase_id id;
	char *title;
	struct pb_step *steps;
	size_t n_steps;
};

struct pb_registry {
	enum reg_type type;	/* written as one of reg_type_names */
	char *name;
	char **channels;
	size_t n_channels;
	char *url;		/* NULL = from the user's npm / pip config */
};

struct pb_log_pattern {
	char *name;
	char *regex;
	regex_t re;		/* compiled regex (REG_NEWLINE) */
	int threshold;		/* default 1 */
	int64_t window_us;	/* 0 = no window (count since start) */
};

struct pb_log {
	char *name;
	char *path;
	struct pb_log_pattern *patterns;
	size_t n_patterns;
};

struct pb_http {
	char *name;
	char *url;
	int status;
};

struct pb_targets {
	char *git_path;		/* NULL = none */
	struct pb_registry *registries;
	size_t n_registries;
	struct pb_log *logs;
	size_t n_logs;
	struct pb_http *http;
	size_t n_http;
	char *share;		/* git remote to publish to, NULL = none */
	char *share_signers;	/* allowed signers file: remote sign-offs
				 * must be signed by a key it lists */
};

struct pb_rto_rule {
	struct pb_when when;
	int64_t within_us;
	char *label;
};

struct pb_escalation {
	int64_t after_us;
	char *notify;
};

struct pb_rto {
	int64_t default_us;		/* 0 = no overall target */
	struct pb_rto_rule *rules;	/* first matching rule wins */
	size_t n_rules;
	int64_t phase_us[PHASE_COUNT];	/* 0 = no target for the phase */
	struct pb_escalation *escalations;
	size_t n_escalations;
	int64_t drill_us;		/* a drill scenario's own target: wins
					 * over every rule; 0 = none */
	const char *drill_label;	/* borrowed from the scenario */
};

struct pb_outcome {
	char *step;		/* step id */
	int exit_code;
	char *output;
	int64_t duration_us;
	int timed_out;
	int runs;		/* applies to the first RUNS runs; 0: every run */
};

/* A game master's injection into a drill: fired at a time since the
 * session started, or once a step finishes. */
struct pb_inject {
	char *id;
	int64_t at_us;		/* when AFTER is NULL: time since the start */
	char *after;		/* fire once this step finishes, or NULL */
	char *alert;		/* message to the trainee, or NULL */
	char *state_json;	/* merged into the drill state (compact JSON
				 * merge patch), or NULL */
	char *log;		/* log receiving LOG_LINES (default "drill") */
	char *log_lines;	/* log lines that start arriving, or NULL
				 * (not "lines": curses has such a macro) */
};

struct pb_scenario {
	char *id;
	char *title;
	char *description;	/* the game master's notes, or NULL */
	char *briefing;		/* what the trainee is told, or NULL */
	char *expect_step;	/* decide step the expected choice belongs to */
	char *expect_option;	/* the decision a good operator reaches */
	char *expect_rationale;	/* why, shown in the score card, or NULL */
	struct pb_kv *expect_then;	/* decide step -> option: the later
					 * choices the scenario's world forces
					 * on the expected path (a failed
					 * workflow run sends it by hand) */
	size_t n_expect_then;
	struct pb_kv *vars;	/* variable values the scenario presets */
	size_t n_vars;
	struct pb_kv *answers;	/* what a good trainee gives at input steps:
				 * judged, never preset */
	size_t n_answers;
	struct pb_kv *evidence;	/* answer variable -> a passage the drill
				 * shows the trainee that it follows from */
	size_t n_evidence;
	struct pb_outcome *outcomes;	/* forced step outcomes */
	size_t n_outcomes;
	char **briefing_shows;	/* check steps whose evidence the briefing
				 * itself gives */
	size_t n_briefing_shows;
	char *state_json;	/* registry/tags/logs state, compact JSON or NULL */
	struct pb_inject *injects;	/* in playbook order */
	size_t n_injects;
	int64_t rto_us;		/* the drill's own recovery-time target
				 * (from the start to a verified recovery),
				 * 0 = the playbook's targets_rto */
	char *rto_label;	/* what that target stands for, or NULL */
};

/* Update reminders: while the session is open, every CADENCE the console
 * offers message step STEP again. */
struct pb_communicate {
	int64_t cadence_us;	/* 0 = no reminders */
	char *step;		/* a message step id */
};

/* What the header shows as "FROM -> TO": the variables holding the version
 * being rolled back (the bad one) and the one it goes back to; NULL when
 * not declared (nothing is guessed from names). */
struct pb_header {
	char *from;
	char *to;
};

/* A target text that names variables ($NAME, ${NAME}): FIELD is where the
 * resolved text lives, TEXT the text as written, WHERE its JSON path. */
struct pb_template {
	char **field;
	char *text;
	char *where;
	int optional;	/* left NULL while a variable it names has no value */
};

/* A point an imported draft's author must review before using it. */
struct pb_review {
	int line;		/* line of the source runbook, 0 = none */
	char *step;		/* id of the step it is about, or NULL */
	char *text;
};

struct playbook {
	char *path;		/* where it was loaded from */
	char *id;
	char *title;
	char *summary;
	char *source;
	int draft;		/* an unreviewed import: run refuses it */
	struct pb_review *review;	/* what the author must review */
	size_t n_review;
	struct pb_variable *variables;
	size_t n_variables;
	struct pb_header header;
	struct pb_targets targets;
	struct pb_rto rto;
	struct pb_phase phases[PHASE_COUNT];
	struct pb_scenario *scenarios;
	size_t n_scenarios;
	int drill_predict;	/* drill.predict: every run step asks */
	char *drill_state_json;	/* drill.state: the world every scenario
				 * starts from (compact JSON) or NULL */
	struct pb_kv *drill_approvers;	/* drill.approvers: role -> one
					 * person the game master plays
					 * (a role may have several) */
	size_t n_drill_approvers;
	struct pb_communicate communicate;
	char *sha256;		/* hex digest of the file's bytes */
	struct pb_template *templates;	/* target texts naming variables */
	size_t n_templates;
};

/* The scenario REF names: its id, or its number as a trainee sees it
 * (1-based, in playbook order: "Scenario 3"); NULL when none. */
const struct pb_scenario *playbook_scenario_ref(const struct playbook *pb,
						const char *ref);

/* SC's number as a trainee sees it (1-based), or 0 for NULL. */
size_t playbook_scenario_number(const struct playbook *pb,
				const struct pb_scenario *sc);

/* Whether scenario SCENARIO (NULL: none) of PB makes step ST fail on every
 * run (an outcome with no "runs" limit and an exit other than the
 * expected one, or a timeout): marked n/a, the step was finished another
 * way (by hand, or by a fallback step), as the scenario means. */
int playbook_outcome_always_fails(const struct playbook *pb,
				  const char *scenario,
				  const struct pb_step *st);

/* What step ST of phase PHASE proves of the recovery, one rule for the
 * console's header, the replay, the report and the drill's score card:
 * PB_PROOF_DONE for a required destructive run step of the execute phase
 * (the rollback itself; a login or a checkout is not) that scenario
 * SCENARIO (NULL: none) does not make fail on every run: marked n/a by
 * hand, the rollback was never done; PB_PROOF_VERIFIED for a required
 * run, probe or wait step of the verify phase: marked n/a by hand or
 * failed, the recovery was never proven; else PB_PROOF_NONE. A step n/a
 * by its condition ("when") proves nothing either way. */
enum pb_proof { PB_PROOF_NONE, PB_PROOF_DONE, PB_PROOF_VERIFIED };
enum pb_proof playbook_step_proof(const struct playbook *pb,
				  const char *scenario, enum phase_id phase,
				  const struct pb_step *st);

/* Load and validate the playbook at PATH. On failure returns NULL with
 * ERR_IO (unreadable), ERR_PARSE (bad JSON, with line and column) or
 * ERR_INVALID, the message starting "PATH: json.path: ". Caller frees. */
struct playbook *playbook_load_file(const char *path, struct err *err);

/* Read the playbook file at PATH whole (size-limited); the caller frees
 * the text. Returns NULL with ERR_IO naming the path and the cause. */
char *playbook_read_text(const char *path, size_t *len, struct err *err);

/* Same as playbook_load_file, from LEN bytes of TEXT; NAME stands for the
 * path in messages. */
struct playbook *playbook_load_buffer(const char *text, size_t len,
				      const char *name, struct err *err);

/* Free PB and everything it owns; PB may be NULL. */
void playbook_free(struct playbook *pb);

/* Find step ID; returns it (borrowed) and sets *PHASE and *INDEX when not
 * NULL, or returns NULL. */
const struct pb_step *playbook_find_step(const struct playbook *pb,
					 const char *id, enum phase_id *phase,
					 size_t *index);

/* Find variable NAME, borrowed, or NULL. */
const struct pb_variable *playbook_find_var(const struct playbook *pb,
					    const char *name);

/* Index of variable NAME in PB's variables, or -1. */
int playbook_var_index(const struct playbook *pb, const char *name);

/* --- variable references in commands and templates ------------------------ */

/* Whether C may be part of a variable's name. */
int playbook_is_name_char(char c);

/* Whether TEXT names NAME as $NAME (a whole word) or ${NAME}. */
int playbook_text_refs(const char *text, const char *name);

/* The length of the name a $NAME or ${NAME} reference at P (on its '$')
 * names, *SKIP getting the whole reference's length; 0 when P starts
 * none. */
size_t playbook_var_ref(const char *p, size_t *skip);

/* A variable's value by NAME for ARG, or NULL when it has none. */
typedef const char *(*playbook_lookup_cb)(const char *name, const void *arg);

/* TEXT with each $NAME or ${NAME} reference whose VALUE(NAME, ARG) is not
 * NULL replaced by that value; other references stay as written. Caller
 * frees. Never fails. */
char *playbook_subst_refs(const char *text, playbook_lookup_cb value,
			  const void *arg);

/* --- targets that name variables (pb_targets.c) ---------------------------- */

/* Keep each target text that names variables (git path, registry name and
 * URL, log path, HTTP URL, a probe's package) as a template; refuses a
 * reference to an undeclared variable, naming where it is. */
int playbook_keep_templates(struct playbook *pb, struct err *err);

/* Whether some target text names variable NAME. */
int playbook_targets_use(const struct playbook *pb, const char *name);

/* Every target template with the values VALUE gives (a reference without
 * one stays as written; an optional one, a registry URL, is left out). */
void playbook_resolve_targets(struct playbook *pb, playbook_lookup_cb value,
			      const void *arg);

/* The first target template with a reference VALUE has no value for, or
 * NULL; *NAME gets that variable's name (caller frees). */
const struct pb_template *playbook_unresolved_target(
	const struct playbook *pb, playbook_lookup_cb value, const void *arg,
	char **name);

void playbook_free_templates(struct playbook *pb);

/* Find scenario ID, borrowed, or NULL (also when ID is NULL). */
const struct pb_scenario *playbook_find_scenario(const struct playbook *pb,
						 const char *id);

/* Find option ID of a decide step, borrowed, or NULL. */
const struct pb_option *playbook_find_option(const struct pb_step *step,
					     const char *id);

/* Check VALUE against variable VAR's pattern: 0 when it matches (or there
 * is no pattern), -1 with ERR_INVALID naming the variable and pattern. */
/* Why VALUE does not match VAR's pattern, naming where it goes wrong:
 * with a default that matches, the first character no value like it can
 * have there ("character 5 'x' is not allowed here; expected like
 * 1.2.3", 0); else the longest start the pattern matches whole (the
 * value and pattern named too, 1). The text is in BUF; -1 when there is
 * nothing to say (it matches, a secret, no pattern, no start leads
 * anywhere). */
int playbook_var_explain(const struct pb_variable *var, const char *value,
			 char *buf, size_t size);

int playbook_var_validate(const struct pb_variable *var, const char *value,
			  struct err *err);

/* Name of a phase ("assess"...) and of a step kind ("check"...). */
const char *playbook_phase_name(enum phase_id id);
const char *playbook_kind_name(enum step_kind kind);

/* Phase id for NAME; returns 0 or -1 when NAME is not a phase. */
int playbook_phase_parse(const char *name, enum phase_id *out);

/* Evaluate WHEN with LOOKUP(name, arg) returning a variable's value or
 * NULL when unset. Returns 1 when it holds, 0 otherwise. */
int playbook_when_holds(const struct pb_when *when,
			const char *(*lookup)(const char *name,
					      const void *arg),
			const void *arg);

/* The condition of WHEN that is still undecided: the first whose variable
 * is unset, provided no condition with a set variable fails already (then
 * WHEN can no longer hold and there is nothing to wait on). NULL when WHEN
 * holds or can no longer hold; borrowed from WHEN. */
const struct pb_cond *playbook_when_waiting_on(const struct pb_when *when,
		const char *(*lookup)(const char *name, const void *arg),
		const void *arg);

/* Step kind for NAME; returns 0 or -1 when NAME is not a step kind. */
int playbook_kind_parse(const char *name, enum step_kind *out);

/* The option a decide step's matrix recommends for the current values of
 * its row (and column) variables, read through LOOKUP; borrowed, or NULL
 * when the step has no matrix or a value is unset or not in the matrix. */
const struct pb_option *playbook_recommend(const struct pb_step *step,
		const char *(*lookup)(const char *name, const void *arg),
		const void *arg);

/* Recovery-time target in µs: the first targets_rto rule whose "when"
 * holds (variables read through LOOKUP), else the default; 0 = none. */
int64_t playbook_rto_within(const struct playbook *pb,
		const char *(*lookup)(const char *name, const void *arg),
		const void *arg);

/* A drill of scenario ID is judged against the scenario's own "rto" where
 * it has one: from then on playbook_rto_within and playbook_rto_label
 * give it, whatever the variables say. No-op for a scenario without one
 * (or an unknown id). */
void playbook_use_scenario_rto(struct playbook *pb, const char *id);

/* The label of the targets_rto rule playbook_rto_within picks (borrowed
 * from PB), or NULL for the default or a rule without one. */
const char *playbook_rto_label(const struct playbook *pb,
		const char *(*lookup)(const char *name, const void *arg),
		const void *arg);

#endif
