/* Running steps: live commands through the runner, simulated drill
 * outcomes, probes and waits. Each run is journalled as step.started and
 * step.finished, with its output in an asciicast file of the session. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <git2.h>

#include "cast.h"
#include "clock.h"
#include "clone.h"
#include "cmdenv.h"
#include "drill.h"
#include "err.h"
#include "keeper.h"
#include "loop.h"
#include "runner.h"
#include "session_int.h"
#include "sources.h"
#include "strbuf.h"
#include "testhook.h"
#include "world.h"
#include "xalloc.h"


/* --- shared pieces ------------------------------------------------------------ */

struct unset_ctx {
	const struct session *s;
	const char *first;
};

static void
note_unset(const char *name, void *arg)
{
	struct unset_ctx *c = arg;

	if (!c->first && !session_var(c->s, name))
		c->first = name;
}

static int
check_vars_set(struct session *s, const struct step_rt *rt, struct err *err)
{
	struct unset_ctx c = { s, NULL };

	session_each_ref(s, rt->def->run, note_unset, &c);
	session_each_ref(s, rt->def->cwd, note_unset, &c);
	if (c.first)
		return err_set(err, ERR_STATE, "run %s: variable %s is not set "
			       "(set %s VALUE)", rt->def->id, c.first, c.first);
	return 0;
}

static char *
cast_rel_path(struct session *s, const struct step_rt *rt, struct err *err)
{
	char *dir = xasprintf("%s/output", s->dir);

	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		err_set(err, ERR_IO, "cannot create %s: %s", dir,
			strerror(errno));
		free(dir);
		return NULL;
	}
	free(dir);
	return xasprintf("output/%s-%d.cast", rt->def->id, rt->n_runs + 1);
}

static cJSON *
started_payload(const struct step_rt *rt, const char *command,
		const char *cast, int drill)
{
	cJSON *p = cJSON_CreateObject();

	if (command)
		cJSON_AddStringToObject(p, "command", command);
	if (cast)
		cJSON_AddStringToObject(p, "output", cast);
	cJSON_AddBoolToObject(p, "drill", drill);
	cJSON_AddNumberToObject(p, "run", rt->n_runs + 1);
	return p;
}

/* Whether a run's result meets the step's expectations; fills REASON. */
static int
judge(const struct step_rt *rt, const struct proc_result *res, char *reason,
      size_t size)
{
	const struct pb_step *d = rt->def;

	reason[0] = '\0';
	if (res->cancelled)
		snprintf(reason, size, "cancelled");
	else if (res->timed_out)
		snprintf(reason, size, "timed out");
	else if (res->term_signal)
		snprintf(reason, size, "killed by signal %d", res->term_signal);
	else if (res->exit_code != d->expect_exit)
		snprintf(reason, size, "exit status %d, expected %d",
			 res->exit_code, d->expect_exit);
	else if (d->expect_output && !rt->output_matched)
		snprintf(reason, size, "output did not match /%s/",
			 d->expect_output);
	return reason[0] == '\0';
}

static cJSON *
finished_payload(const struct step_rt *rt, const struct proc_result *res,
		 int drill)
{
	cJSON *p = cJSON_CreateObject();
	char reason[256];
	int ok = judge(rt, res, reason, sizeof(reason));

	cJSON_AddBoolToObject(p, "ok", ok);
	if (!ok)
		cJSON_AddStringToObject(p, "reason", reason);
	cJSON_AddNumberToObject(p, "exit", res->exit_code);
	if (res->term_signal)
		cJSON_AddNumberToObject(p, "signal", res->term_signal);
	cJSON_AddBoolToObject(p, "timed_out", res->timed_out);
	cJSON_AddBoolToObject(p, "cancelled", res->cancelled);
	/* A command stopped while it ran may have acted: neither ok nor
	 * failed (a drill's runs act on nothing). */
	if (res->cancelled && !drill && rt->def->kind == STEP_KIND_RUN)
		cJSON_AddStringToObject(p, "outcome", "unknown");
	cJSON_AddNumberToObject(p, "duration_ms",
				(double)(res->duration_us / 1000));
	cJSON_AddNumberToObject(p, "lines", (double)res->n_lines);
	cJSON_AddNumberToObject(p, "bytes", (double)res->bytes_out);
	cJSON_AddStringToObject(p, "tail", res->tail);
	cJSON_AddBoolToObject(p, "drill", drill);
	return p;
}

static void
match_output(struct step_rt *rt, const char *line)
{
	if (rt->def->expect_output && !rt->output_matched &&
	    regexec(&rt->def->expect_re, line, 0, NULL, 0) == 0)
		rt->output_matched = 1;
}

/* --- drill: simulated outcomes, nothing is executed ------------------------- */

struct sim {
	int exit_code;
	const char *output;
	int64_t duration_us;
	int timed_out;
	int from_world;		/* the scenario's world answered */
};

/* Whether scenario outcome O stands in for RT's next run: it is RT's and
 * the run is among the first it limits itself to ("runs"). */
static int
outcome_applies(const struct pb_outcome *o, const struct step_rt *rt)
{
	return strcmp(o->step, rt->def->id) == 0 &&
	       (o->runs == 0 || rt->n_runs < o->runs);
}

/* The scenario's forced outcome wins (for the runs it applies to); then
 * the output the step's drill
 * block gives; then the world's answer to the command; then the drill
 * block's exit status (or the expected one) with no output. Returns 0,
 * or -1 when journalling the world's change failed. */
static int
sim_outcome(struct session *s, struct step_rt *rt, const char *actor,
	    struct sim *sim, struct err *err)
{
	const struct pb_scenario *sc = s->scenario
		? playbook_find_scenario(s->pb, s->scenario) : NULL;

	sim->exit_code = rt->def->drill.present ? rt->def->drill.exit_code
						: rt->def->expect_exit;
	sim->output = rt->def->drill.output;
	sim->duration_us = rt->def->drill.duration_us;
	sim->timed_out = 0;
	sim->from_world = 0;
	for (size_t i = 0; sc && i < sc->n_outcomes; i++) {
		const struct pb_outcome *o = &sc->outcomes[i];

		if (!outcome_applies(o, rt))
			continue;
		sim->exit_code = o->exit_code;
		sim->output = o->output;
		sim->duration_us = o->duration_us;
		sim->timed_out = o->timed_out;
		return 0;
	}
	if (rt->def->kind == STEP_KIND_WAIT && rt->def->drill.watch) {
		sim->from_world = drill_world_watch(s, rt, &sim->output,
						    &sim->exit_code);
		return 0;
	}
	if (rt->def->kind != STEP_KIND_RUN)
		return 0;
	/* what the world holds against the run (the old process still on
	 * the port) fails it, whatever the author's output says */
	if (rt->def->drill.watch &&
	    (sim->from_world = drill_world_watch(s, rt, &sim->output,
						 &sim->exit_code)))
		return 0;
	if (sim->output) {	/* the author's text; the world still follows */
		sim->output = drill_output_for(s, rt, sim->output);
		return sim->exit_code == 0 &&
		       drill_world_follow(s, rt, actor, err) < 0 ? -1 : 0;
	}
	switch (drill_world_run(s, rt, actor, &sim->output, &sim->exit_code,
				err)) {
	case -1: return -1;
	case 1: sim->from_world = 1; break;
	}
	return 0;
}

void
session_tail_add(char *tail, const char *line, size_t len)
{
	size_t have = strlen(tail);

	if (len + 1 >= TAIL_MAX)
		return;
	while (have + len + 2 > TAIL_MAX) {
		char *nl = strchr(tail, '\n');
		size_t cut = nl ? (size_t)(nl - tail) + 1 : have;

		memmove(tail, tail + cut, have - cut + 1);
		have -= cut;
	}
	if (have)
		tail[have++] = '\n';
	memcpy(tail + have, line, len);
	tail[have + len] = '\0';
}

/* A live command may have changed the registry or the tags (a dist-tag
 * moved, a tag pushed): ask again at once, so the panes tell the truth
 * without waiting for the next poll. */
static void
refresh_sources_after_run(struct session *s)
{
	if (s->mode == SESSION_LIVE && s->sources)
		sources_refresh(s->sources);
}

static void
notify_step_done(struct session *s, const char *id)
{
	struct core_event ev = { .kind = CORE_EV_STEP_DONE, .step = id };

	if (s->listener)
		s->listener(&ev, s->listener_arg);
}

/* One simulated line reaches the listener and the run's result. */
static void
sim_line(struct session *s, struct step_rt *rt, const char *line, size_t len,
	 struct proc_result *res)
{
	char *copy = xstrndup(line, len);
	struct core_event ev = {
		.kind = CORE_EV_OUTPUT, .line = copy, .step = rt->def->id,
	};

	match_output(rt, copy);
	session_tail_add(res->tail, line, len);
	res->n_lines++;
	res->bytes_out += len + 1;
	if (s->listener)
		s->listener(&ev, s->listener_arg);
	free(copy);
}

static size_t
count_lines(const char *text)
{
	size_t n = 0;

	for (const char *q = text; q && *q; q++)
		n += *q == '\n' || q[1] == '\0';
	return n;
}

/* Length of the line at P; *NEXT is set to the line after it. */
static size_t
line_at(const char *p, const char **next)
{
	size_t len = strcspn(p, "\n");

	*next = p + len + (p[len] == '\n');
	return len;
}

/* When line I (0-based) of N is due: each at its share of the duration. */
static int64_t
line_due(const struct sim *sim, size_t i, size_t n)
{
	return n ? sim->duration_us * (int64_t)(i + 1) / (int64_t)n
		 : sim->duration_us;
}

/* The cast file of the first LIMIT simulated lines, timed as they are
 * shown. */
static int
sim_write(struct session *s, const struct step_rt *rt, const char *cast_rel,
	  const struct sim *sim, size_t limit, struct err *err)
{
	char *path = xasprintf("%s/%s", s->dir, cast_rel);
	struct cast *c = cast_open(path, rt->def->run, clock_wall_now(s->clk),
				   err);
	size_t n = count_lines(sim->output);
	const char *p = sim->output;

	free(path);
	if (!c)
		return -1;
	for (size_t i = 0; p && *p && i < limit; i++) {
		const char *line = p;
		size_t len = line_at(line, &p);

		cast_write(c, line_due(sim, i, n), line, len, 1);
	}
	return cast_close(c, err);
}

static int
sim_finish(struct session *s, struct step_rt *rt, const char *actor,
	   const struct sim *sim, struct proc_result *res, struct err *err)
{
	res->exit_code = sim->timed_out ? -1 : sim->exit_code;
	res->timed_out = sim->timed_out;
	res->duration_us = sim->duration_us;
	if (session_record(s, actor, "step.finished", rt->def->id,
			   finished_payload(rt, res, 1), err) < 0)
		return -1;
	return drill_fire_after(s, rt->def->id, err);
}

/* A paced simulated run: its lines come out over its duration on the
 * loop. One allocation holding no other resource, kept in rt->wait_ctx
 * so that a session ending first frees it with the step. */
struct sim_stream {
	struct session *s;
	struct step_rt *rt;
	struct sim sim;
	const char *next;	/* the next line, in the playbook's text */
	size_t n_lines;
	size_t shown;
	int64_t t0_us;		/* monotonic start */
	struct proc_result res;
	char actor[256];
};

static void on_sim_tick(void *arg);

static void
sim_schedule(struct sim_stream *ss)
{
	int64_t due = ss->t0_us + line_due(&ss->sim, ss->shown, ss->n_lines) -
		      clock_mono_now(ss->s->clk);

	ss->rt->timer = loop_add_timer(ss->s->loop, due, on_sim_tick, ss);
}

static void
on_sim_tick(void *arg)
{
	struct sim_stream *ss = arg;
	struct step_rt *rt = ss->rt;
	struct session *s = ss->s;

	rt->timer = 0;
	if (ss->shown < ss->n_lines) {
		const char *line = ss->next;
		size_t len = line_at(line, &ss->next);

		sim_line(s, rt, line, len, &ss->res);
		ss->shown++;
	}
	if (ss->shown < ss->n_lines) {
		sim_schedule(ss);
		return;
	}
	rt->wait_ctx = NULL;
	/* A failed journal write leaves the step running; the next open
	 * reports it interrupted, which is the truth. */
	sim_finish(s, rt, ss->actor, &ss->sim, &ss->res, NULL);
	notify_step_done(s, rt->def->id);
	free(ss);
}

static int
sim_stream_start(struct session *s, struct step_rt *rt, const char *actor,
		 const struct sim *sim)
{
	struct sim_stream *ss = xcalloc(1, sizeof(*ss));

	ss->s = s;
	ss->rt = rt;
	ss->sim = *sim;
	ss->next = sim->output;
	ss->n_lines = count_lines(sim->output);
	ss->t0_us = clock_mono_now(s->clk);
	snprintf(ss->actor, sizeof(ss->actor), "%s", actor);
	rt->wait_ctx = ss;
	sim_schedule(ss);
	return 1;
}

/* Cancel a paced simulated run: what was shown stays, in the cast too. */
static int
sim_stream_cancel(struct session *s, struct step_rt *rt, struct err *err)
{
	struct sim_stream *ss = rt->wait_ctx;
	int rc;

	loop_cancel_timer(s->loop, rt->timer);
	rt->timer = 0;
	rt->wait_ctx = NULL;
	ss->res.exit_code = -1;
	ss->res.cancelled = 1;
	ss->res.duration_us = clock_mono_now(s->clk) - ss->t0_us;
	if (rt->cast_rel)
		sim_write(s, rt, rt->cast_rel, &ss->sim, ss->shown, NULL);
	rc = session_record(s, s->operator, "step.finished", rt->def->id,
			    finished_payload(rt, &ss->res, 1), err);
	free(ss);
	return rc;
}

static int
sim_run_at_once(struct session *s, struct step_rt *rt, const char *actor,
		const struct sim *sim, struct err *err)
{
	struct proc_result res = { 0 };
	const char *p = sim->output;

	while (p && *p) {
		const char *line = p;
		size_t len = line_at(line, &p);

		sim_line(s, rt, line, len, &res);
	}
	return sim_finish(s, rt, actor, sim, &res, err);
}

/* --- drill: the opt-in real run in the throwaway clone ------------------------ */

/* A command running on a runner for step RT: its real run in a live
 * session, or its opt-in run in a drill's clone. */
struct cmd_run {
	struct session *s;
	struct step_rt *rt;
	char actor[256];
	int drill;
};

static char **build_env(struct session *s, const struct step_rt *rt);

static void
on_cmd_line(struct proc *p, int stream, const char *line, size_t len,
	    void *arg)
{
	struct cmd_run *cr = arg;
	struct core_event ev = {
		.kind = CORE_EV_OUTPUT, .line = line, .step = cr->rt->def->id,
		.len = len, .n_lines = proc_block_lines(p),
	};

	(void)stream;
	match_output(cr->rt, line);
	if (cr->s->listener)
		cr->s->listener(&ev, cr->s->listener_arg);
}

/* A failed journal write leaves the step running; the next open of the
 * session reports it as interrupted, which is the truth. A drill's
 * injections waiting for the step fire once it is recorded. */
static void
on_cmd_exit(struct proc *p, const struct proc_result *res, void *arg)
{
	struct cmd_run *cr = arg;
	struct err err;

	(void)p;
	cr->rt->proc = NULL;
	if (cr->rt->wait_ctx == cr)
		cr->rt->wait_ctx = NULL;
	if (session_record(cr->s, cr->actor, "step.finished", cr->rt->def->id,
			   finished_payload(cr->rt, res, cr->drill),
			   &err) == 0 && cr->drill)
		drill_fire_after(cr->s, cr->rt->def->id, NULL);
	if (!cr->drill)
		refresh_sources_after_run(cr->s);
	notify_step_done(cr->s, cr->rt->def->id);
	free(cr);
}

/* Spawn RT's command on R in CWD with ENV, its output to CAST; returns
 * the run (owned by it until it exits), or NULL with ERR. */
static struct cmd_run *
spawn_cmd(struct session *s, struct runner *r, struct step_rt *rt,
	  const char *cast, const char *cwd, char **env, const char *actor,
	  int drill, struct err *err)
{
	struct cmd_run *cr = xcalloc(1, sizeof(*cr));
	char *cast_path = xasprintf("%s/%s", s->dir, cast);
	char *status_path = keeper_status_path(cast_path);
	struct proc_spec spec = {
		.command = rt->def->run, .env = (const char *const *)env,
		.cwd = cwd, .cast_path = cast_path,
		.status_path = status_path,
		.timeout_us = rt->def->timeout_us, .stdin_null = 1,
		.on_line = on_cmd_line, .on_exit = on_cmd_exit, .arg = cr,
		.multi_line = 1,
	};

	cr->s = s;
	cr->rt = rt;
	cr->drill = drill;
	snprintf(cr->actor, sizeof(cr->actor), "%s", actor);
	rt->proc = runner_spawn(r, &spec, err);
	free(cast_path);
	free(status_path);
	/* Its pid and start time, for a console that resumes after this
	 * one died; the run goes on if the write fails (it is started). */
	if (rt->proc)
		session_record_spawn(s, rt, (long)proc_pid(rt->proc),
				     (long)proc_keeper_pid(rt->proc), actor,
				     NULL);
	if (rt->proc)
		return cr;
	free(cr);
	return NULL;
}

/* The step's environment with git pinned to the clone DIR, so that a
 * GIT_DIR or GIT_WORK_TREE inherited from the operator's shell cannot
 * lead a read-only command to the trainee's repository, and with no
 * optional index refresh (git status). */
static char **
build_clone_env(struct session *s, const struct step_rt *rt,
		const char *dir)
{
	char **env = build_env(s, rt);
	size_t n = 0;

	while (env[n])
		n++;
	env = xrealloc(env, (n + 7) * sizeof(*env));
	env[n++] = xasprintf("GIT_DIR=%s/.git", dir);
	env[n++] = xasprintf("GIT_WORK_TREE=%s", dir);
	env[n++] = xasprintf("GIT_COMMON_DIR=%s/.git", dir);
	env[n++] = xasprintf("GIT_INDEX_FILE=%s/.git/index", dir);
	env[n++] = xasprintf("GIT_OBJECT_DIRECTORY=%s/.git/objects", dir);
	env[n++] = xstrdup("GIT_OPTIONAL_LOCKS=0");
	env[n] = NULL;
	return env;
}

static int
clone_spawn(struct session *s, struct step_rt *rt, const char *cast,
	    const char *dir, const char *actor, struct err *err)
{
	struct runner *r = drill_runner(s, err);
	struct cmd_run *cr;
	char **env;

	if (!r)
		return -1;
	env = build_clone_env(s, rt, dir);
	cr = spawn_cmd(s, r, rt, cast, dir, env, actor, 1, err);
	cmdenv_free(env);
	if (!cr)
		return -1;
	rt->wait_ctx = cr;
	return 1;
}

static int
scenario_sets_outcome(const struct session *s, const struct step_rt *rt)
{
	const struct pb_scenario *sc = s->scenario
		? playbook_find_scenario(s->pb, s->scenario) : NULL;

	for (size_t i = 0; sc && i < sc->n_outcomes; i++)
		if (outcome_applies(&sc->outcomes[i], rt))
			return 1;
	return 0;
}

/* The value the shell will give $NAME: from the step's ENV, else from
 * ours (the spawn inherits it), else empty. */
static const char *
env_value(char **env, const char *name, size_t len)
{
	char *key = xstrndup(name, len);
	const char *v = NULL;

	for (size_t i = 0; env[i] && !v; i++)
		if (strncmp(env[i], key, len) == 0 && env[i][len] == '=')
			v = env[i] + len + 1;
	if (!v)
		v = getenv(key);
	free(key);
	return v ? v : "";
}

/* COMMAND with every variable reference replaced by its value as text,
 * so that the read-only rule sees what git will be given: a value that
 * brings an option such as --output is refused like a literal one (its
 * quotes and operators, which the shell would not re-read, only make
 * the check stricter). */
static char *
expand_for_check(const char *command, char **env)
{
	struct strbuf out = STRBUF_INIT;

	for (const char *p = command; *p;) {
		size_t skip, len = *p == '$' ? playbook_var_ref(p, &skip) : 0;

		if (!len) {
			strbuf_addc(&out, *p++);
			continue;
		}
		strbuf_adds(&out, env_value(env, p + 1 + (p[1] == '{'), len));
		p += skip;
	}
	return strbuf_detach(&out);
}

/* Whether the step's command is still read-only with the values its
 * variables have now; WHY says what is not. */
static int
read_only_now(struct session *s, const struct step_rt *rt, struct err *why)
{
	char **env = build_env(s, rt);
	char *command = expand_for_check(rt->def->run, env);
	char reason[256];
	int ok = clone_command_is_read_only(command, reason, sizeof(reason));

	if (!ok)
		err_set(why, ERR_STATE, "with its variables' values the command "
			"is not read-only: %s", reason);
	free(command);
	cmdenv_free(env);
	return ok;
}

/* The clone an opted-in step runs in, or NULL with the reason the
 * simulation stands in: the operator turned real runs off, the drill's
 * world gives the repository (one world: the panes and the outputs
 * agree), the scenario scripts this step (its story wins over the real
 * repository), or there is no repository to clone. */
static const char *
clone_for(struct session *s, const struct step_rt *rt, const struct sim *sim,
	  struct err *why)
{
	if (sim->from_world) {
		err_set(why, ERR_STATE, "the scenario's world answers this "
			"command, so the panes and its output agree");
		return NULL;
	}
	if (!drill_clone_allowed(s)) {
		err_set(why, ERR_STATE, "real runs in the clone are turned off "
			"for this drill (--no-real-in-clone)");
		return NULL;
	}
	if (drill_world_has_repo(s)) {
		err_set(why, ERR_STATE, "the drill's world gives the "
			"repository (its tags and HEAD); a clone of yours "
			"would show other ones");
		return NULL;
	}
	if (scenario_sets_outcome(s, rt)) {
		err_set(why, ERR_STATE, "scenario %s sets this step's outcome",
			s->scenario);
		return NULL;
	}
	if (!read_only_now(s, rt, why))
		return NULL;
	return drill_clone_dir(s, why);
}

static const char *
run_var(const char *name, const void *arg)
{
	return session_var(arg, name);
}

/* Whether the drill's world answers RT's command (tried on a copy of the
 * world: nothing changes). */
static int
world_answers(const struct session *s, const struct step_rt *rt)
{
	const cJSON *state = session_drill_state(s);
	cJSON *copy = state ? cJSON_Duplicate(state, 1) : NULL;
	struct world_run run = { 0 };
	int known = copy && world_simulate(copy, rt->def->run, run_var,
					  s, &run);

	if (known)
		free(run.output);
	cJSON_Delete(copy);
	return known;
}

int
session_drill_run_where(const struct session *s, const char *id,
			const char **why)
{
	const struct step_rt *rt = session_find_step(s, id);

	*why = NULL;
	if (!rt || s->mode != SESSION_DRILL || rt->def->kind != STEP_KIND_RUN ||
	    !rt->def->run)
		return DRILL_RUN_SCRIPTED;
	if (scenario_sets_outcome(s, rt)) {
		*why = "the scenario scripts this step's outcome";
		return DRILL_RUN_SCRIPTED;
	}
	if (!rt->def->drill.output && world_answers(s, rt))
		return DRILL_RUN_WORLD;
	if (!rt->def->drill.real_in_clone)
		return DRILL_RUN_SCRIPTED;
	if (drill_world_has_repo(s)) {
		*why = "the drill's world gives the repository";
		return DRILL_RUN_WORLD;
	}
	if (!drill_clone_allowed(s)) {
		*why = "real runs in the clone are turned off";
		return DRILL_RUN_SCRIPTED;
	}
	return DRILL_RUN_CLONE;
}

/* Run the step for real in the clone; 0 when it does not run there (the
 * simulation stands in, and the step.started event says why). */
static int
run_in_clone(struct session *s, struct step_rt *rt, const char *cast,
	     const struct sim *sim, const char *actor, struct err *err)
{
	struct err why = { 0 };
	const char *dir = clone_for(s, rt, sim, &why);
	cJSON *p = started_payload(rt, rt->def->run, cast, 1);
	int rc;

	if (!dir) {
		cJSON_AddStringToObject(p, "clone", why.msg);
		return session_record(s, actor, "step.started", rt->def->id, p,
				      err) < 0 ? -1 : 0;
	}
	cJSON_AddBoolToObject(p, "real_in_clone", 1);
	if (session_record(s, actor, "step.started", rt->def->id, p, err) < 0)
		return -1;
	rt->output_matched = 0;
	rc = clone_spawn(s, rt, cast, dir, actor, err);
	if (rc < 0) {
		struct proc_result res = { .exit_code = 127 };

		snprintf(res.tail, sizeof(res.tail), "%s",
			 err ? err->msg : "spawn failed");
		session_record(s, actor, "step.finished", rt->def->id,
			       finished_payload(rt, &res, 1), NULL);
	}
	return rc;
}

/* Whether RT opted in to run in the clone; without a loop nothing can
 * run, and the simulation stands in silently. */
static int
wants_clone(const struct session *s, const struct step_rt *rt)
{
	return rt->def->kind == STEP_KIND_RUN && rt->def->drill.real_in_clone &&
	       s->loop;
}

static int
run_drill(struct session *s, struct step_rt *rt, const char *actor,
	  struct err *err)
{
	struct sim sim;
	char *cast;
	int rc = -1;

	if (drill_check_prediction(s, rt, err) < 0)
		return -1;
	cast = cast_rel_path(s, rt, err);
	if (!cast)
		return -1;
	if (sim_outcome(s, rt, actor, &sim, err) < 0)
		goto out;
	if (!sim.from_world && !sim.timed_out &&
	    sim.exit_code == rt->def->expect_exit &&
	    rt->def->drill.state_json &&
	    drill_world_patch(s, rt, actor, err) < 0)
		goto out;
	if (wants_clone(s, rt)) {
		rc = run_in_clone(s, rt, cast, &sim, actor, err);
		if (rc != 0)
			goto out;
	} else if (session_record(s, actor, "step.started", rt->def->id,
				  started_payload(rt, rt->def->run, cast, 1),
				  err) < 0) {
		goto out;
	}
	rt->output_matched = 0;
	if (drill_is_paced(s)) {
		rc = sim_write(s, rt, cast, &sim, SIZE_MAX, err) < 0 ? -1
			: sim_stream_start(s, rt, actor, &sim);
		goto out;
	}
	rc = sim_write(s, rt, cast, &sim, SIZE_MAX, err) < 0 ? -1
		: sim_run_at_once(s, rt, actor, &sim, err);
out:
	free(cast);
	return rc;
}

/* --- a run that ended after its console quit --------------------------------- */

#define KEPT_CAST_MAX (64u << 20)	/* of a cast read back for a result */

struct kept_read {
	struct step_rt *rt;
	struct proc_result *res;
};

static void
kept_line(int64_t t_us, const char *text, size_t len, void *arg)
{
	struct kept_read *kr = arg;
	char *copy = xstrndup(text, len);

	(void)t_us;
	match_output(kr->rt, copy);
	session_tail_add(kr->res->tail, text, len);
	kr->res->n_lines++;
	kr->res->bytes_out += len + 1;
	free(copy);
}

int
session_finish_kept(struct session *s, struct step_rt *rt,
		    const struct keeper_status *ks, struct err *err)
{
	struct proc_result res = { 0 };
	struct kept_read kr = { rt, &res };
	char when[40];
	cJSON *p;

	res.exit_code = ks->exit_code;
	res.term_signal = ks->term_signal;
	res.cancelled = rt->orphan_stopping;
	res.duration_us = ks->duration_us;
	/* Its output, saved by the drainer, judged as the console would */
	rt->output_matched = 0;
	if (rt->cast_rel && !strstr(rt->cast_rel, "..")) {
		char *path = xasprintf("%s/%s", s->dir, rt->cast_rel);

		cast_each_line(path, KEPT_CAST_MAX, kept_line, &kr, NULL);
		free(path);
	}
	p = finished_payload(rt, &res, 0);
	cJSON_AddStringToObject(p, "recorded_by", "keeper");
	cJSON_AddStringToObject(p, "ended", clock_format_rfc3339(
					ks->ended_us, when, sizeof(when)));
	cJSON_AddBoolToObject(p, "after_console_quit", 1);
	/* Killed, not quit: no drainer kept what it printed after that.
	 * Found ended at the resume, the dead console's quit (or none)
	 * tells; found running first, its step.interrupted told. */
	if (rt->output_cut ||
	    (rt->state == STEP_RUNNING && !s->driver_quit_us))
		cJSON_AddBoolToObject(p, "output_may_be_cut", 1);
	return session_record(s, "rewind", "step.finished", rt->def->id, p,
			      err);
}

/* --- live: real commands through the runner ------------------------------------ */

static char **
build_env(struct session *s, const struct step_rt *rt)
{
	struct cmdenv c = { .pb = s->pb, .values = s->values,
			    .session_dir = s->dir, .step = rt->def->id,
			    .drill = s->mode == SESSION_DRILL };

	return cmdenv_build(&c);
}

static char *
resolve_cwd(struct session *s, const struct step_rt *rt, struct err *err)
{
	if (rt->def->cwd)
		return session_expand(s, rt->def->cwd, err);
	if (s->pb->targets.git_path)
		return xstrdup(s->pb->targets.git_path);
	return xstrdup(".");
}

static int
spawn_live(struct session *s, struct step_rt *rt, const char *cast,
	   const char *cwd, const char *actor, struct err *err)
{
	char **env = build_env(s, rt);
	struct cmd_run *cr = spawn_cmd(s, s->runner, rt, cast, cwd, env,
				       actor, 0, err);

	cmdenv_free(env);
	return cr ? 1 : -1;
}

/* The child of an interactive step: the terminal's own process group,
 * the terminal as stdin/stdout/stderr, variables as environment. */
static void
exec_interactive(struct session *s, const struct step_rt *rt, const char *cwd)
{
	char **env = build_env(s, rt);

	for (size_t i = 0; env[i]; i++)
		putenv(env[i]);
	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	if (cwd && chdir(cwd) < 0) {
		fprintf(stderr, "rewind: cd %s: %s\n", cwd, strerror(errno));
		_exit(127);
	}
	execl("/bin/sh", "sh", "-c", rt->def->run, (char *)NULL);
	_exit(127);
}

static int
wait_interactive(pid_t pid, struct proc_result *res)
{
	void (*old_int)(int) = signal(SIGINT, SIG_IGN);
	void (*old_quit)(int) = signal(SIGQUIT, SIG_IGN);
	int status = 0;
	pid_t got;

	while ((got = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	signal(SIGINT, old_int);
	signal(SIGQUIT, old_quit);
	res->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	res->term_signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	return got == pid ? 0 : -1;
}

/* Hand the terminal to the command and wait for it: the screen is
 * suspended meanwhile, so blocking here is what the operator expects. */
static int
run_interactive(struct session *s, struct step_rt *rt, const char *cwd,
		const char *actor, struct err *err)
{
	struct proc_result res = { 0 };
	int64_t t0 = clock_mono_now(s->clk);
	pid_t pid;

	s->tty_cb(1, s->tty_arg);
	testhook_spawned(cwd, rt->def->run);
	pid = fork();
	if (pid == 0)
		exec_interactive(s, rt, cwd);
	if (pid < 0 || wait_interactive(pid, &res) < 0) {
		s->tty_cb(0, s->tty_arg);
		return err_set(err, ERR_SYS, "run %s: %s", rt->def->id,
			       strerror(errno));
	}
	s->tty_cb(0, s->tty_arg);
	res.duration_us = clock_mono_now(s->clk) - t0;
	snprintf(res.tail, sizeof(res.tail), "(interactive: its output went "
		 "to the terminal and was not recorded)");
	refresh_sources_after_run(s);
	return session_record(s, actor, "step.finished", rt->def->id,
			      finished_payload(rt, &res, 0), err);
}

/* Whether RT runs handed the terminal (a console is there to hand it). */
static int
is_interactive(const struct session *s, const struct step_rt *rt)
{
	return rt->def->interactive && s->tty_cb;
}

static int
run_live(struct session *s, struct step_rt *rt, const char *actor,
	 struct err *err)
{
	char *cast = NULL, *cwd = NULL;
	cJSON *p;
	int rc = -1;

	if (!s->runner)
		return err_set(err, ERR_STATE, "run %s: this session has no "
			       "event loop to run commands on", rt->def->id);
	cast = cast_rel_path(s, rt, err);
	cwd = cast ? resolve_cwd(s, rt, err) : NULL;
	if (!cwd)
		goto out;
	/* An interactive step's output goes to the terminal: no cast is
	 * written, so none is named. */
	p = started_payload(rt, rt->def->run, is_interactive(s, rt) ? NULL
			    : cast, 0);
	if (is_interactive(s, rt))
		cJSON_AddBoolToObject(p, "interactive", 1);
	cJSON_AddStringToObject(p, "cwd", cwd);
	if (session_record(s, actor, "step.started", rt->def->id, p, err) < 0)
		goto out;
	rt->output_matched = 0;
	if (is_interactive(s, rt)) {
		rc = run_interactive(s, rt, cwd, actor, err);
		goto out;
	}
	rc = spawn_live(s, rt, cast, cwd, actor, err);
	if (rc < 0) {
		struct proc_result res = { .exit_code = 127 };

		snprintf(res.tail, sizeof(res.tail), "%s",
			 err ? err->msg : "spawn failed");
		session_record(s, actor, "step.finished", rt->def->id,
			       finished_payload(rt, &res, 0), NULL);
	}
out:
	free(cast);
	free(cwd);
	return rc;
}

/* --- probes and waits ------------------------------------------------------------ */

/* Probes are judged against the session's sources (session_probe.c). */
static int
run_probe_live(struct session *s, struct step_rt *rt, const char *actor,
	       struct err *err)
{
	return session_probe_run(s, rt, actor, err);
}

static void
on_wait_over(void *arg)
{
	struct cmd_run *lr = arg;
	struct proc_result res = { .exit_code = lr->rt->def->expect_exit };

	lr->rt->timer = 0;
	lr->rt->wait_ctx = NULL;
	res.duration_us = lr->rt->def->duration_us;
	snprintf(res.tail, sizeof(res.tail), "waited %lld s",
		 (long long)(res.duration_us / 1000000));
	session_record(lr->s, lr->actor, "step.finished", lr->rt->def->id,
		       finished_payload(lr->rt, &res, 0), NULL);
	notify_step_done(lr->s, lr->rt->def->id);
	free(lr);
}

static int
run_wait_live(struct session *s, struct step_rt *rt, const char *actor,
	      struct err *err)
{
	struct cmd_run *lr;
	cJSON *p = started_payload(rt, NULL, NULL, 0);

	if (!s->loop) {
		cJSON_Delete(p);
		return err_set(err, ERR_STATE, "run %s: no event loop to wait on",
			       rt->def->id);
	}
	cJSON_AddNumberToObject(p, "duration_ms",
				(double)(rt->def->duration_us / 1000));
	if (session_record(s, actor, "step.started", rt->def->id, p, err) < 0)
		return -1;
	lr = xcalloc(1, sizeof(*lr));
	lr->s = s;
	lr->rt = rt;
	snprintf(lr->actor, sizeof(lr->actor), "%s", actor);
	rt->wait_ctx = lr;
	rt->timer = loop_add_timer(s->loop, rt->def->duration_us, on_wait_over,
				   lr);
	return 1;
}

int
session_run_step(struct session *s, struct step_rt *rt, const char *actor,
		 struct err *err)
{
	if (rt->def->kind == STEP_KIND_RUN && check_vars_set(s, rt, err) < 0)
		return -1;
	if (s->mode == SESSION_DRILL)
		return run_drill(s, rt, actor, err);
	switch (rt->def->kind) {
	case STEP_KIND_RUN: return run_live(s, rt, actor, err);
	case STEP_KIND_PROBE: return run_probe_live(s, rt, actor, err);
	case STEP_KIND_WAIT: return run_wait_live(s, rt, actor, err);
	default: BUG("run on a step kind that cannot run");
	}
}

int
session_cancel_step(struct session *s, struct step_rt *rt, struct err *err)
{
	struct proc_result res = { .exit_code = -1, .cancelled = 1 };

	if (s->mode == SESSION_DRILL && rt->timer && rt->wait_ctx)
		return sim_stream_cancel(s, rt, err);
	if (rt->proc) {
		runner_cancel(rt->proc);
		return 0;
	}
	if (rt->probe)
		return session_probe_cancel(s, rt, err);
	if (!rt->timer)
		return err_set(err, ERR_STATE, "cancel %s: nothing to cancel",
			       rt->def->id);
	loop_cancel_timer(s->loop, rt->timer);
	rt->timer = 0;
	free(rt->wait_ctx);
	rt->wait_ctx = NULL;
	snprintf(res.tail, sizeof(res.tail), "wait cancelled");
	return session_record(s, s->operator, "step.finished", rt->def->id,
			      finished_payload(rt, &res, 0), err);
}
