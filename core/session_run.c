/* Running steps: live commands through the runner, simulated drill
 * outcomes, probes and waits. Each run is journalled as step.started and
 * step.finished, with its output in an asciicast file of the session. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <regex.h>
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
#include "err.h"
#include "loop.h"
#include "runner.h"
#include "session_int.h"
#include "strbuf.h"
#include "xalloc.h"

#define TAIL_MAX 2048

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
};

/* The scenario's forced outcome wins over the step's drill block. */
static void
sim_outcome(struct session *s, const struct step_rt *rt, struct sim *sim)
{
	const struct pb_scenario *sc = s->scenario
		? playbook_find_scenario(s->pb, s->scenario) : NULL;

	sim->exit_code = rt->def->drill.present ? rt->def->drill.exit_code
						: rt->def->expect_exit;
	sim->output = rt->def->drill.output;
	sim->duration_us = rt->def->drill.duration_us;
	sim->timed_out = 0;
	for (size_t i = 0; sc && i < sc->n_outcomes; i++) {
		const struct pb_outcome *o = &sc->outcomes[i];

		if (strcmp(o->step, rt->def->id) != 0)
			continue;
		sim->exit_code = o->exit_code;
		sim->output = o->output;
		sim->duration_us = o->duration_us;
		sim->timed_out = o->timed_out;
	}
}

static void
tail_add(char *tail, const char *line, size_t len)
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

static void
sim_line(struct session *s, struct step_rt *rt, struct cast *c, int64_t t,
	 const char *line, size_t len, struct proc_result *res)
{
	char *copy = xstrndup(line, len);
	struct core_event ev = {
		.kind = CORE_EV_OUTPUT, .line = copy, .step = rt->def->id,
	};

	if (c)
		cast_write(c, t, line, len, 1);
	match_output(rt, copy);
	tail_add(res->tail, line, len);
	res->n_lines++;
	res->bytes_out += len + 1;
	if (s->listener)
		s->listener(&ev, s->listener_arg);
	free(copy);
}

/* Spread the simulated lines over the simulated duration. */
static int
sim_write(struct session *s, struct step_rt *rt, const char *cast_rel,
	  const struct sim *sim, struct proc_result *res, struct err *err)
{
	char *path = xasprintf("%s/%s", s->dir, cast_rel);
	struct cast *c = cast_open(path, rt->def->run, clock_wall_now(s->clk),
				   err);
	const char *p = sim->output;
	size_t n_lines = 0, i = 0;

	free(path);
	if (!c)
		return -1;
	for (const char *q = p; q && *q; q++)
		n_lines += *q == '\n' || q[1] == '\0';
	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		int64_t t = n_lines ? sim->duration_us * (int64_t)++i /
					      (int64_t)n_lines : 0;

		sim_line(s, rt, c, t, p, len, res);
		p += len + (nl != NULL);
	}
	return cast_close(c, err);
}

static int
run_drill(struct session *s, struct step_rt *rt, const char *actor,
	  struct err *err)
{
	struct proc_result res = { 0 };
	struct sim sim;
	char *cast = cast_rel_path(s, rt, err);
	int rc = -1;

	if (!cast)
		return -1;
	sim_outcome(s, rt, &sim);
	if (session_record(s, actor, "step.started", rt->def->id,
			   started_payload(rt, rt->def->run, cast, 1), err) < 0)
		goto out;
	rt->output_matched = 0;
	if (sim_write(s, rt, cast, &sim, &res, err) < 0)
		goto out;
	res.exit_code = sim.timed_out ? -1 : sim.exit_code;
	res.timed_out = sim.timed_out;
	res.duration_us = sim.duration_us;
	rc = session_record(s, actor, "step.finished", rt->def->id,
			    finished_payload(rt, &res, 1), err);
out:
	free(cast);
	return rc;
}

/* --- live: real commands through the runner ------------------------------------ */

struct live_run {
	struct session *s;
	struct step_rt *rt;
	char actor[256];
};

static void
on_live_line(struct proc *p, int stream, const char *line, size_t len,
	     void *arg)
{
	struct live_run *lr = arg;
	struct core_event ev = {
		.kind = CORE_EV_OUTPUT, .line = line, .step = lr->rt->def->id,
	};

	(void)p;
	(void)stream;
	(void)len;
	match_output(lr->rt, line);
	if (lr->s->listener)
		lr->s->listener(&ev, lr->s->listener_arg);
}

static void
notify_done(const struct live_run *lr)
{
	struct core_event ev = { .kind = CORE_EV_STEP_DONE,
				 .step = lr->rt->def->id };

	if (lr->s->listener)
		lr->s->listener(&ev, lr->s->listener_arg);
}

static void
on_live_exit(struct proc *p, const struct proc_result *res, void *arg)
{
	struct live_run *lr = arg;
	struct err err;

	(void)p;
	lr->rt->proc = NULL;
	/* A failed journal write leaves the step running; the next open of
	 * the session reports it as interrupted, which is the truth. */
	session_record(lr->s, lr->actor, "step.finished", lr->rt->def->id,
		       finished_payload(lr->rt, res, 0), &err);
	notify_done(lr);
	free(lr);
}

static char **
build_env(struct session *s, const struct step_rt *rt)
{
	size_t n = 0;
	char **env = xcalloc(s->pb->n_variables + 4, sizeof(*env));

	for (size_t i = 0; i < s->pb->n_variables; i++)
		if (s->values[i])
			env[n++] = xasprintf("%s=%s", s->pb->variables[i].name,
					     s->values[i]);
	env[n++] = xasprintf("REWIND_SESSION_DIR=%s", s->dir);
	env[n++] = xasprintf("REWIND_STEP=%s", rt->def->id);
	env[n++] = xasprintf("REWIND_MODE=%s",
			     s->mode == SESSION_DRILL ? "drill" : "live");
	return env;
}

static void
free_env(char **env)
{
	for (size_t i = 0; env && env[i]; i++)
		free(env[i]);
	free(env);
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
	struct live_run *lr = xcalloc(1, sizeof(*lr));
	char **env = build_env(s, rt);
	char *cast_path = xasprintf("%s/%s", s->dir, cast);
	struct proc_spec spec = {
		.command = rt->def->run, .env = (const char *const *)env,
		.cwd = cwd, .cast_path = cast_path,
		.timeout_us = rt->def->timeout_us, .stdin_null = 1,
		.on_line = on_live_line, .on_exit = on_live_exit, .arg = lr,
	};

	lr->s = s;
	lr->rt = rt;
	snprintf(lr->actor, sizeof(lr->actor), "%s", actor);
	rt->proc = runner_spawn(s->runner, &spec, err);
	free_env(env);
	free(cast_path);
	if (rt->proc)
		return 1;
	free(lr);
	return -1;
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
	snprintf(res.tail, sizeof(res.tail), "(interactive: the output went "
		 "to the terminal)");
	return session_record(s, actor, "step.finished", rt->def->id,
			      finished_payload(rt, &res, 0), err);
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
	p = started_payload(rt, rt->def->run, cast, 0);
	cJSON_AddStringToObject(p, "cwd", cwd);
	if (session_record(s, actor, "step.started", rt->def->id, p, err) < 0)
		goto out;
	rt->output_matched = 0;
	if (rt->def->interactive && s->tty_cb) {
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

static int
peel_commit(git_repository *repo, const char *spec, git_oid *out,
	    char *why, size_t size)
{
	git_object *obj = NULL;
	git_object *commit = NULL;
	int rc = -1;

	if (git_revparse_single(&obj, repo, spec) < 0 ||
	    git_object_peel(&commit, obj, GIT_OBJECT_COMMIT) < 0) {
		const git_error *e = git_error_last();

		snprintf(why, size, "%s: %s", spec, e ? e->message : "not found");
	} else {
		git_oid_cpy(out, git_object_id(commit));
		rc = 0;
	}
	git_object_free(commit);
	git_object_free(obj);
	return rc;
}

/* git_head: HEAD and the expected tag peel to the same commit. */
static int
probe_git_head(struct session *s, const char *tag, char *why, size_t size)
{
	const char *path = s->pb->targets.git_path ? s->pb->targets.git_path
						    : ".";
	git_repository *repo = NULL;
	git_oid head, want;
	char *ref = xasprintf("refs/tags/%s", tag);
	int ok = 0;

	git_libgit2_init();
	if (git_repository_open_ext(&repo, path, 0, NULL) < 0) {
		snprintf(why, size, "%s: not a git repository", path);
	} else if (peel_commit(repo, "HEAD", &head, why, size) == 0 &&
		   peel_commit(repo, ref, &want, why, size) == 0) {
		char a[12], b[12];

		ok = git_oid_equal(&head, &want);
		git_oid_tostr(a, sizeof(a), &head);
		git_oid_tostr(b, sizeof(b), &want);
		snprintf(why, size, ok ? "HEAD is at %s (%s)"
				       : "HEAD is at %.0s%s, tag %s is at %s",
			 tag, a, tag, b);
	}
	free(ref);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return ok;
}

static int
run_probe_live(struct session *s, struct step_rt *rt, const char *actor,
	       struct err *err)
{
	struct proc_result res = { 0 };
	char why[512];
	char *tag;
	int ok;

	if (rt->def->probe.type != PROBE_GIT_HEAD)
		return err_set(err, ERR_STATE, "run %s: live probes of this type "
			       "need the registry, HTTP and log sources, which "
			       "this build does not have yet; check by hand and "
			       "mark it with: na %s REASON", rt->def->id,
			       rt->def->id);
	tag = session_expand(s, rt->def->probe.tag, err);
	if (!tag || session_record(s, actor, "step.started", rt->def->id,
				   started_payload(rt, NULL, NULL, 0), err) < 0) {
		free(tag);
		return -1;
	}
	ok = probe_git_head(s, tag, why, sizeof(why));
	free(tag);
	res.exit_code = ok ? rt->def->expect_exit : 1;
	snprintf(res.tail, sizeof(res.tail), "%s", why);
	return session_record(s, actor, "step.finished", rt->def->id,
			      finished_payload(rt, &res, 0), err);
}

static void
on_wait_over(void *arg)
{
	struct live_run *lr = arg;
	struct proc_result res = { .exit_code = lr->rt->def->expect_exit };

	lr->rt->timer = 0;
	lr->rt->wait_ctx = NULL;
	res.duration_us = lr->rt->def->duration_us;
	snprintf(res.tail, sizeof(res.tail), "waited %lld s",
		 (long long)(res.duration_us / 1000000));
	session_record(lr->s, lr->actor, "step.finished", lr->rt->def->id,
		       finished_payload(lr->rt, &res, 0), NULL);
	notify_done(lr);
	free(lr);
}

static int
run_wait_live(struct session *s, struct step_rt *rt, const char *actor,
	      struct err *err)
{
	struct live_run *lr;
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

	if (rt->proc) {
		runner_cancel(rt->proc);
		return 0;
	}
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
