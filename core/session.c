/* Sessions: open/resume, the event-sourced step state, and the handlers
 * of the action vocabulary. Every change is a journal event first; the
 * state is then updated by applying the line just written, with the same
 * function that rebuilds a resumed or watched session. */
#include "config.h"
#include "session.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "action.h"
#include "clock.h"
#include "drill.h"
#include "err.h"
#include "identity.h"
#include "journal.h"
#include "loop.h"
#include "share.h"
#include "share_inbox.h"
#include "procstat.h"
#include "redact.h"
#include "rtoclock.h"
#include "runner.h"
#include "session_int.h"
#include "sha256.h"
#include "sources.h"
#include "strbuf.h"
#include "xalloc.h"

#define POLL_INTERVAL_US 250000

/* --- small lookups ------------------------------------------------------- */

struct step_rt *
session_find_step(const struct session *s, const char *id)
{
	if (!id)
		return NULL;
	for (size_t i = 0; i < s->n_steps; i++)
		if (strcmp(s->steps[i].def->id, id) == 0)
			return &s->steps[i];
	return NULL;
}

const char *
session_var(const struct session *s, const char *name)
{
	ssize_t i = playbook_var_index(s->pb, name);

	return i < 0 ? NULL : s->values[i];
}

int
session_var_setter(const struct session *s, const char *name,
		   struct var_setter_view *out)
{
	ssize_t i = playbook_var_index(s->pb, name);

	if (i < 0 || !s->setters[i].by)
		return -1;
	out->by = s->setters[i].by;
	out->wall_us = s->setters[i].wall_us;
	out->n_sets = s->setters[i].n_sets;
	return 0;
}

static const char *
lookup_var(const char *name, const void *arg)
{
	return session_var(arg, name);
}

/* A variable's value, or its default while it has none. */
static const char *
value_or_default(const char *name, const void *arg)
{
	const struct session *s = arg;
	const struct pb_variable *v = playbook_find_var(s->pb, name);

	return session_var(s, name) ? session_var(s, name)
	       : v ? v->default_value : NULL;
}

void
session_resolve_targets(struct session *s)
{
	playbook_resolve_targets(s->pb, value_or_default, s);
}

/* Every target that names a variable has a value to watch. */
static int
check_targets_resolved(const struct session *s, struct err *err)
{
	char *name = NULL;
	const struct pb_template *t = playbook_unresolved_target(
		s->pb, value_or_default, s, &name);

	if (!t)
		return 0;
	err_set(err, ERR_INVALID, "%s names $%s, which has no value: give it "
		"with --var %s=VALUE", t->where, name, name);
	free(name);
	return -1;
}

int
session_step_active(const struct session *s, const struct step_rt *rt)
{
	return playbook_when_holds(&rt->def->when, lookup_var, s);
}

const char *
session_state_name(enum step_state st)
{
	static const char *const names[] = {
		[STEP_OPEN] = "open", [STEP_RUNNING] = "running",
		[STEP_DONE] = "done", [STEP_FAILED] = "failed",
		[STEP_SKIPPED] = "skipped", [STEP_NA] = "n/a",
		[STEP_INTERRUPTED] = "interrupted",
	};

	return st <= STEP_INTERRUPTED ? names[st] : "?";
}

/* --- recording: journal first, then apply what was written ---------------- */

static void
notify(struct session *s, const struct core_event *ev)
{
	if (s->listener)
		s->listener(ev, s->listener_arg);
}

static void
apply_line(struct session *s, const struct journal_event *ev, int foreign)
{
	struct core_event cev = {
		.kind = CORE_EV_JOURNAL, .type = ev->type, .line = ev->line,
		.step = ev->step, .foreign = foreign && !s->replaying,
		.history = s->replaying, .dir = s->dir,
	};

	session_apply_event(s, ev);
	if (s->share && !s->replaying)
		share_changed(s->share, ev->seq,
			      strncmp(ev->type, "share.", 6) == 0);
	notify(s, &cev);
}

static void
on_foreign_event(const struct journal_event *ev, void *arg)
{
	apply_line(arg, ev, 1);
}

/* Replace every string in the payload that holds a secret. */
static void
scrub(const struct redact *rd, cJSON *item)
{
	cJSON *child, *next;

	for (child = item ? item->child : NULL; child; child = next) {
		char *clean;

		next = child->next;
		if (!cJSON_IsString(child)) {
			scrub(rd, child);
			continue;
		}
		clean = redact_apply_str(rd, child->valuestring);
		if (strcmp(clean, child->valuestring) != 0)
			cJSON_SetValuestring(child, clean);
		free(clean);
	}
}

/* Who this console's own actions are journalled under: its --operator
 * (a resume may name another), else the session's operator. */
static const char *
console_actor(const struct session *s)
{
	return s->console_op ? s->console_op : s->operator;
}

int
session_record(struct session *s, const char *actor, const char *type,
	       const char *step, cJSON *payload, struct err *err)
{
	struct journal_event ev;
	const char *line = NULL;
	const char *phase;
	struct step_rt *rt = session_find_step(s, step);
	int rc = -1;

	phase = playbook_phase_name(rt ? rt->phase : s->phase);
	scrub(s->redact, payload);
	if (journal_append(s->journal, actor ? actor : console_actor(s), type,
			   phase, step, payload, &line, err) == 0)
		goto out;
	if (journal_event_parse(line, strlen(line), &ev, err) < 0)
		goto out;
	apply_line(s, &ev, 0);
	journal_event_done(&ev);
	rc = 0;
out:
	cJSON_Delete(payload);
	return rc;
}

/* Journal a refusal of an action that named a real step, then return -1
 * with the reason in ERR (already filled by the caller's check). */
/* Who tried a refused sign-off: the name (in normal form, or as given
 * when it has none), the role, and where it was entered, as an
 * approval.granted records them, so a reviewer sees who tried. */
static void
add_tried_approval(cJSON *p, const struct action *a, const struct session *s)
{
	struct err ignored;
	char *name = a->name ? identity_normalize(a->name, "approve",
						  &ignored) : NULL;

	if (a->role)
		cJSON_AddStringToObject(p, "role", a->role);
	if (name)
		cJSON_AddStringToObject(p, "name", name);
	else if (a->name)
		cJSON_AddStringToObject(p, "name_given", a->name);
	free(name);
	cJSON_AddItemToObject(p, "provenance", session_provenance(s));
}

int
session_refuse(struct session *s, const struct action *a, const char *actor,
	       struct err *err)
{
	cJSON *p;
	struct err ignored;

	/* Complete (its report written) or handed over, the journal here no
	 * longer changes: a refusal is said, never written after the end. */
	if (s->complete || s->taken_by)
		return -1;
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "action", action_name(a->kind));
	cJSON_AddStringToObject(p, "reason", err ? err->msg : "");
	if (a->kind == ACT_APPROVE)
		add_tried_approval(p, a, s);
	session_record(s, actor, "action.refused", a->step, p, &ignored);
	return -1;
}

int
session_refuse_approval(struct session *s, const char *id,
			const char *role, const char *name,
			const char *actor, const char *reason)
{
	struct action a = { .kind = ACT_APPROVE };
	struct err err = { 0 };

	a.step = xstrdup_or_null(id);
	a.role = xstrdup_or_null(role);
	a.name = xstrdup_or_null(name);
	snprintf(err.msg, sizeof(err.msg), "%s", reason);
	session_refuse(s, &a, actor, &err);
	action_done(&a);
	return -1;
}

int
session_refuse_run(struct session *s, const char *id, const char *reason)
{
	struct step_rt *rt = session_find_step(s, id);
	struct action a = { .kind = ACT_RUN };
	struct err err = { 0 };

	if (!rt)
		return -1;
	a.step = rt->def->id;
	snprintf(err.msg, sizeof(err.msg), "%s", reason);
	return session_refuse(s, &a, NULL, &err);
}

/* --- building the run-time model ------------------------------------------ */

struct session *
session_alloc(struct playbook *pb, const char *dir, const struct clock *clk)
{
	struct session *s = xcalloc(1, sizeof(*s));
	size_t n = 0;

	s->pb = pb;
	s->dir = xstrdup(dir);
	s->clk = clk ? clk : clock_system();
	s->lock_fd = -1;
	s->redact = redact_new();
	redact_add_env(s->redact, environ);
	for (int p = 0; p < PHASE_COUNT; p++)
		n += pb->phases[p].n_steps;
	s->steps = xcalloc(n, sizeof(*s->steps));
	for (int p = 0; p < PHASE_COUNT; p++) {
		for (size_t i = 0; i < pb->phases[p].n_steps; i++) {
			s->steps[s->n_steps].def = &pb->phases[p].steps[i];
			s->steps[s->n_steps++].phase = (enum phase_id)p;
		}
	}
	s->values = xcalloc(pb->n_variables ? pb->n_variables : 1,
			    sizeof(*s->values));
	s->setters = xcalloc(pb->n_variables ? pb->n_variables : 1,
			     sizeof(*s->setters));
	s->outbox = outbox_new(s);
	session_resolve_targets(s);
	return s;
}

static void
step_rt_done(struct step_rt *rt)
{
	for (size_t i = 0; i < rt->n_approvals; i++) {
		free(rt->approvals[i].role);
		free(rt->approvals[i].name);
		free(rt->approvals[i].hash);
		free(rt->approvals[i].entered);
		free(rt->approvals[i].steps_hash);
	}
	free(rt->approvals);
	free(rt->voided_note);
	free(rt->option);
	free(rt->cast_rel);
	free(rt->actor);
	free(rt->result);
	free(rt->reason);
	free(rt->run_boot);
	free(rt->na_reason);
	free(rt->reopened);
	free(rt->hand_check);
	free(rt->run_by);
	free(rt->orphan_end);
	free(rt->wait_ctx);
}

void
session_free(struct session *s)
{
	if (!s)
		return;
	session_messages_done(s);
	session_orphans_done(s);
	if (s->loop && s->poll_timer)
		loop_cancel_timer(s->loop, s->poll_timer);
	for (size_t i = 0; i < s->n_steps; i++)
		if (s->loop && s->steps[i].timer)
			loop_cancel_timer(s->loop, s->steps[i].timer);
	session_probes_done(s);
	share_inbox_free(s->inbox);
	free(s->share_remote);
	free(s->origin);
	free(s->taken_by);
	free(s->offer_to);
	share_free(s->share);
	sources_free(s->sources);
	drill_free(s);
	runner_free(s->runner);
	redact_free(s->redact);
	journal_free(s->journal);
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	for (size_t i = 0; i < s->n_steps; i++)
		step_rt_done(&s->steps[i]);
	free(s->steps);
	for (size_t i = 0; i < s->pb->n_variables; i++) {
		free(s->values[i]);
		free(s->setters[i].by);
	}
	free(s->values);
	free(s->setters);
	playbook_free(s->pb);
	free(s->dir);
	free(s->operator);
	free(s->console_op);
	free(s->scenario);
	free(s->workdir);
	free(s->driver_boot);
	free(s->driver_login);
	cJSON_Delete(s->answers);
	free(s);
}

/* --- files of the session directory ---------------------------------------- */

static char *
dir_file(const char *dir, const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

int
session_make_dirs(const char *path, struct err *err)
{
	char *p = xstrdup(path);
	int rc = 0;

	for (char *q = p + 1; *q; q++) {
		if (*q != '/')
			continue;
		*q = '\0';
		if (mkdir(p, 0700) < 0 && errno != EEXIST)
			rc = err_set(err, ERR_IO, "cannot create directory %s: %s",
				     p, strerror(errno));
		*q = '/';
		if (rc < 0)
			break;
	}
	if (rc == 0 && mkdir(p, 0700) < 0 && errno != EEXIST)
		rc = err_set(err, ERR_IO, "cannot create session directory %s: %s",
			     p, strerror(errno));
	free(p);
	return rc;
}

/* Write PATH whole or not at all (through PATH.tmp and rename), so a
 * crash never leaves half a playbook copy. */
static int
write_file_atomic(const char *path, const char *data, size_t len,
		  struct err *err)
{
	char *tmp = xasprintf("%s.tmp", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ssize_t n = -1;

	if (fd < 0) {
		err_set(err, ERR_IO, "cannot create %s: %s", tmp,
			strerror(errno));
		free(tmp);
		return -1;
	}
	for (size_t off = 0; off < len; off += (size_t)n) {
		n = write(fd, data + off, len - off);
		if (n < 0 && errno == EINTR)
			n = 0;
		else if (n < 0)
			break;
	}
	if (n < 0 || fsync(fd) < 0 || rename(tmp, path) < 0) {
		err_set(err, ERR_IO, "cannot write %s: %s", path,
			strerror(errno));
		close(fd);
		free(tmp);
		return -1;
	}
	close(fd);
	free(tmp);
	return 0;
}

/* Take session.lock so one process at a time drives the session. */
static int
lock_session(struct session *s, struct err *err)
{
	char *path = dir_file(s->dir, "session.lock");

	s->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (s->lock_fd < 0) {
		err_set(err, ERR_IO, "cannot open %s: %s", path,
			strerror(errno));
		free(path);
		return -1;
	}
	free(path);
	if (flock(s->lock_fd, LOCK_EX | LOCK_NB) < 0)
		return err_set(err, ERR_STATE,
			       "session %s is already open in another rewind "
			       "process (use `rewind approve` to act on it "
			       "from here)", s->dir);
	return 0;
}

/* --- opening ------------------------------------------------------------- */

static struct playbook *
load_copy(const char *dir, struct err *err)
{
	char *path = dir_file(dir, "playbook.json");
	struct playbook *pb;
	size_t len;
	char *text = playbook_read_text(path, &len, err);

	pb = text ? playbook_load_buffer(text, len, path, err) : NULL;
	free(text);
	free(path);
	return pb;
}

static int
open_journal(struct session *s, struct err *err)
{
	char *path = dir_file(s->dir, "journal.jsonl");

	s->journal = journal_open(path, s->clk, on_foreign_event, s, err);
	free(path);
	return s->journal ? 0 : -1;
}

static const char *
default_operator(const char *given)
{
	return given && *given ? given : identity_login();
}

/* Check --var presets before anything is written. */
static int
check_presets(const struct playbook *pb, const char *const *vars,
	      struct err *err)
{
	for (size_t i = 0; vars && vars[i]; i++) {
		const char *eq = strchr(vars[i], '=');
		char *name = xstrndup(vars[i], eq ? (size_t)(eq - vars[i]) : 0);
		const struct pb_variable *v = eq ? playbook_find_var(pb, name)
						 : NULL;
		int rc = 0;

		if (!eq)
			rc = err_set(err, ERR_INVALID,
				     "--var %s: expected NAME=VALUE", vars[i]);
		else if (!v)
			rc = err_set(err, ERR_NOTFOUND,
				     "--var %s: the playbook declares no "
				     "variable %s", vars[i], name);
		else
			rc = playbook_var_validate(v, eq + 1, err);
		free(name);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int
apply_presets(struct session *s, const char *const *vars, const char *actor,
	      struct err *err)
{
	for (size_t i = 0; vars && vars[i]; i++) {
		const char *eq = strchr(vars[i], '=');
		struct action a = { .kind = ACT_SET };
		int rc;

		a.name = xstrndup(vars[i], (size_t)(eq - vars[i]));
		a.value = xstrdup(eq + 1);
		/* Resuming with the same command line changes nothing. */
		rc = session_var(s, a.name) &&
		     strcmp(session_var(s, a.name), a.value) == 0
			? 0 : session_act(s, &a, actor, err);
		action_done(&a);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int
asked_by_input(const struct session *s, const char *name)
{
	for (size_t i = 0; i < s->n_steps; i++)
		if (s->steps[i].def->kind == STEP_KIND_INPUT &&
		    strcmp(s->steps[i].def->variable, name) == 0)
			return 1;
	return 0;
}

/* A default is the value unless an input step asks for the variable, in
 * which case it is only offered there. Only unset variables are filled,
 * so a session killed half-way through its start finishes it on resume. */
static int
apply_defaults(struct session *s, struct err *err)
{
	for (size_t i = 0; i < s->pb->n_variables; i++) {
		const struct pb_variable *v = &s->pb->variables[i];
		struct action a = { .kind = ACT_SET };
		int rc;

		if (!v->default_value || s->values[i] ||
		    asked_by_input(s, v->name))
			continue;
		a.name = xstrdup(v->name);
		a.value = xstrdup(v->default_value);
		rc = session_act(s, &a, "rewind", err);
		action_done(&a);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int
apply_scenario_vars(struct session *s, struct err *err)
{
	const struct pb_scenario *sc;

	if (!s->scenario)
		return 0;
	sc = playbook_find_scenario(s->pb, s->scenario);
	for (size_t i = 0; sc && i < sc->n_vars; i++) {
		struct action a = { .kind = ACT_SET };
		int rc;

		if (session_var(s, sc->vars[i].name))
			continue;
		a.name = xstrdup(sc->vars[i].name);
		a.value = xstrdup(sc->vars[i].value);
		rc = session_act(s, &a, "scenario", err);
		action_done(&a);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* The directory the session starts in: its commands and its relative
 * targets (a git repository ".", log files) mean paths from there, also
 * when it is resumed from elsewhere. */
void
session_add_workdir(cJSON *p)
{
	char *here = getcwd(NULL, 0);

	if (here)
		cJSON_AddStringToObject(p, "workdir", here);
	free(here);
}

/* Resumed from another directory: go where the session started (its
 * session directory made absolute first, so it is still found), and say
 * so in P (session.resumed); when that directory cannot be entered, stay
 * and say that instead. */
static void
enter_workdir(struct session *s, cJSON *p)
{
	char *here = getcwd(NULL, 0), *dir;

	if (!s->workdir || !here || strcmp(here, s->workdir) == 0) {
		free(here);
		return;
	}
	dir = realpath(s->dir, NULL);
	if (dir && chdir(s->workdir) == 0) {
		free(s->dir);
		s->dir = dir;
		s->workdir_moved = 1;
		cJSON_AddStringToObject(p, "workdir", s->workdir);
		cJSON_AddStringToObject(p, "resumed_from", here);
	} else {
		free(dir);
		s->workdir_missing = 1;
		cJSON_AddStringToObject(p, "workdir_missing", s->workdir);
	}
	free(here);
}

static cJSON *
started_payload(const struct session *s, const struct session_opts *o)
{
	cJSON *p = cJSON_CreateObject();

	cJSON_AddStringToObject(p, "playbook", s->pb->id);
	cJSON_AddStringToObject(p, "title", s->pb->title);
	cJSON_AddStringToObject(p, "playbook_sha256", s->pb->sha256);
	cJSON_AddStringToObject(p, "mode",
				o->mode == SESSION_DRILL ? "drill" : "live");
	cJSON_AddStringToObject(p, "operator", default_operator(o->operator));
	if (o->scenario)	/* the id, also when the trainee gave its number */
		cJSON_AddStringToObject(p, "scenario", playbook_scenario_ref(
			s->pb, o->scenario)->id);
	cJSON_AddBoolToObject(p, "test_mode", o->test_mode);
	cJSON_AddStringToObject(p, "rewind", PACKAGE_VERSION);
	session_add_workdir(p);
	session_add_console(p);
	return p;
}

static int
check_scenario(const struct playbook *pb, const struct session_opts *o,
	       struct err *err)
{
	if (!o->scenario)
		return 0;
	if (o->mode != SESSION_DRILL)
		return err_set(err, ERR_INVALID,
			       "--scenario is for drills (rewind drill)");
	if (!playbook_scenario_ref(pb, o->scenario))
		return err_set(err, ERR_NOTFOUND,
			       "%s: no scenario \"%s\" (see rewind drill "
			       "--list-scenarios)", pb->path, o->scenario);
	return 0;
}

/* A draft from rewind import has not been reviewed: it may be drilled,
 * never run for real. */
static int
check_not_draft(const struct playbook *pb, const struct session_opts *o,
		struct err *err)
{
	if (!pb->draft || o->mode == SESSION_DRILL)
		return 0;
	return err_set(err, ERR_INVALID, "%s: the playbook is a draft from "
		       "rewind import (%zu review points): review it, remove "
		       "\"draft\": true, then run it; rewind drill walks it "
		       "as it is", pb->path, pb->n_review);
}

/* The directory of a new session: the one given, or one named after PB's
 * id. Caller frees. */
static char *
session_dir_for(const struct session_opts *o, const struct playbook *pb)
{
	return o->dir ? xstrdup(o->dir) : o->name_dir(pb->id);
}

static struct session *
create_session(const struct session_opts *o, struct err *err)
{
	struct playbook *pb;
	struct session *s;
	char *text, *path, *dir;
	size_t len;
	int rc;

	if (!o->playbook) {
		err_set(err, ERR_INVALID, "no playbook given");
		return NULL;
	}
	text = playbook_read_text(o->playbook, &len, err);
	pb = text ? playbook_load_buffer(text, len, o->playbook, err) : NULL;
	dir = pb ? session_dir_for(o, pb) : NULL;
	if (!pb || check_presets(pb, o->vars, err) < 0 ||
	    check_scenario(pb, o, err) < 0 || check_not_draft(pb, o, err) < 0 ||
	    session_make_dirs(dir, err) < 0) {
		free(text);
		free(dir);
		playbook_free(pb);
		return NULL;
	}
	s = session_alloc(pb, dir, o->clk);
	session_set_listener(s, o->listener, o->listener_arg);
	path = dir_file(dir, "playbook.json");
	rc = write_file_atomic(path, text, len, err);
	free(path);
	free(text);
	free(dir);
	if (rc < 0 || lock_session(s, err) < 0 || open_journal(s, err) < 0 ||
	    session_record(s, default_operator(o->operator), "session.started",
			   NULL, started_payload(s, o), err) < 0) {
		session_free(s);
		return NULL;
	}
	return s;
}

/* The playbook_sha256 of the first session.started in journal PATH (caller
 * frees), or NULL when there is none. */
static char *
journalled_playbook_sha(const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, *sha = NULL;
	size_t cap = 0;
	ssize_t n;

	while (f && !sha && (n = getline(&line, &cap, f)) > 0) {
		struct journal_event ev;

		if (!strstr(line, "\"session.started\"") ||
		    journal_event_parse(line, (size_t)n - (line[n - 1] == '\n'),
					&ev, NULL) < 0)
			continue;
		if (strcmp(ev.type, "session.started") == 0)
			sha = xstrdup_or_null(cJSON_GetStringValue(
				cJSON_GetObjectItemCaseSensitive(
					ev.payload, "playbook_sha256")));
		journal_event_done(&ev);
	}
	free(line);
	if (f)
		fclose(f);
	return sha;
}

int
session_verify_copy(const char *dir, struct err *err)
{
	char *jpath = dir_file(dir, "journal.jsonl");
	char *ppath = dir_file(dir, "playbook.json");
	char *want = journalled_playbook_sha(jpath);
	char got[65];
	size_t len;
	char *text = want ? playbook_read_text(ppath, &len, err) : NULL;
	int rc = 0;

	if (want && !text)
		rc = -1;
	else if (want) {
		sha256_hex(text, len, got);
		if (strcmp(got, want) != 0)
			rc = err_set(err, ERR_CORRUPT, "%s: the playbook copy "
				     "was changed after the session started: "
				     "sha256 %s, session.started recorded %s",
				     ppath, got, want);
	}
	free(text);
	free(want);
	free(ppath);
	free(jpath);
	return rc;
}

static struct session *
resume_session(const struct session_opts *o, struct err *err)
{
	struct playbook *pb = session_verify_copy(o->dir, err) < 0 ? NULL
			    : load_copy(o->dir, err);
	struct session *s;
	cJSON *p;

	if (!pb)
		return NULL;
	s = session_alloc(pb, o->dir, o->clk);
	if (o->listener_history)
		session_set_listener(s, o->listener, o->listener_arg);
	s->replaying = 1;
	if (lock_session(s, err) < 0 || open_journal(s, err) < 0) {
		s->replaying = 0;
		goto fail;
	}
	s->replaying = 0;
	/* A typed confirmation never outlives the console it was typed in:
	 * a run refused after it, or values changed meanwhile, would
	 * otherwise run on one Enter in the next. */
	for (size_t i = 0; i < s->n_steps; i++)
		s->steps[i].confirmed = 0;
	/* A crash right after the journal was created leaves no start
	 * event (maybe only the record of a cut torn line): start now. */
	if (!s->started) {
		if (session_record(s, default_operator(o->operator),
				   "session.started", NULL,
				   started_payload(s, o), err) < 0)
			goto fail;
	}
	if (o->playbook || o->scenario) {
		/* Resuming uses the copy; a different mode is a mistake. */
		if ((o->mode == SESSION_DRILL) != (s->mode == SESSION_DRILL)) {
			err_set(err, ERR_INVALID, "session %s is a %s session: "
				"resume it with rewind %s", o->dir,
				s->mode == SESSION_DRILL ? "drill" : "live",
				s->mode == SESSION_DRILL ? "drill" : "run");
			goto fail;
		}
	}
	/* Events before this point are history, not news. */
	session_set_listener(s, o->listener, o->listener_arg);
	/* A completed session no longer changes (its report.md was written
	 * as it completed): opened to be read, it journals nothing. */
	if (s->complete) {
		/* Its relative targets are read from where it ran. */
		cJSON *none = cJSON_CreateObject();

		if (!o->here)
			enter_workdir(s, none);
		cJSON_Delete(none);
		return s;
	}
	if (o->taken_by) {
		s->taken_by = xstrdup(o->taken_by);
		return s;
	}
	/* A --var refused (apply_presets would refuse it after the resume
	 * was journalled) is refused before anything is written. */
	if (check_presets(s->pb, o->vars, err) < 0)
		goto fail;
	/* Another operator takes over: journalled, unless she signed off
	 * steps still to run. */
	if (o->operator && session_change_operator(s, o->operator, err) < 0)
		goto fail;
	p = cJSON_CreateObject();
	cJSON_AddNumberToObject(p, "pid", getpid());
	session_add_console(p);
	if (!o->here)
		enter_workdir(s, p);
	if (session_orphans_resume(s, err) < 0 ||
	    session_record(s, o->operator ? o->operator : s->operator,
			   "session.resumed", NULL, p, err) < 0)
		goto fail;
	return s;
fail:
	session_free(s);
	return NULL;
}

int
session_confirm_blank(const char *id, const char *tmpl, const char *want,
		      struct err *err)
{
	for (const char *p = want; *p; p++)
		if (!isspace((unsigned char)*p))
			return 0;
	err_set(err, ERR_STATE, "confirm %s: its confirmation \"%s\" comes "
		"out empty with this session's values (a variable it names is "
		"empty): set it to what the step acts on first", id, tmpl);
	return 1;
}

void
session_add_secret(struct session *s, const char *value)
{
	redact_add(s->redact, value);
	if (s->runner)
		runner_add_secret(s->runner, value);
}

static void
poll_tick(void *arg)
{
	struct session *s = arg;
	struct err err;

	s->poll_timer = 0;
	session_poll(s, &err);
	s->poll_timer = loop_add_timer(s->loop, POLL_INTERVAL_US, poll_tick, s);
}

static int
attach_loop(struct session *s, struct loop *l, struct err *err)
{
	s->loop = l;
	if (!l)
		return 0;
	s->poll_timer = loop_add_timer(l, POLL_INTERVAL_US, poll_tick, s);
	if (s->mode != SESSION_LIVE)
		return 0;	/* a drill never spawns anything */
	s->runner = runner_new(l, err);
	if (!s->runner)
		return -1;
	runner_add_env_secrets(s->runner, environ);
	for (size_t i = 0; i < s->pb->n_variables; i++)
		if (s->values[i] && s->pb->variables[i].secret)
			runner_add_secret(s->runner, s->values[i]);
	return 0;
}

/* Open with OPTS' operator in its normal form (identity.h). */
static struct session *
open_as(const struct session_opts *o, int exists, struct err *err)
{
	struct session_opts named = *o;
	char *op = NULL;
	struct session *s;

	if (o->operator &&
	    !(op = identity_normalize(o->operator, "--operator", err)))
		return NULL;
	named.operator = op;
	s = exists ? resume_session(&named, err) : create_session(&named, err);
	if (s)
		s->console_op = op;
	else
		free(op);
	return s;
}

/* Does DIR hold a session to resume? An empty journal is a creation that
 * died before its first line. */
static int
session_exists(const char *dir)
{
	char *jpath = dir_file(dir, "journal.jsonl");
	char *ppath = dir_file(dir, "playbook.json");
	struct stat st;
	int exists = stat(jpath, &st) == 0 && st.st_size > 0 &&
		     access(ppath, F_OK) == 0;

	free(jpath);
	free(ppath);
	return exists;
}

struct session *
session_open(const struct session_opts *o, struct err *err)
{
	struct session *s;

	if (!o->dir && !o->name_dir) {
		err_set(err, ERR_INVALID, "no session directory given");
		return NULL;
	}
	s = open_as(o, o->dir && session_exists(o->dir), err);
	if (!s)
		return NULL;
	s->read_only = o->read_only;
	if (attach_loop(s, o->loop, err) < 0 ||
	    drill_start(s, err) < 0 ||
	    apply_scenario_vars(s, err) < 0 || apply_defaults(s, err) < 0 ||
	    apply_presets(s, o->vars, console_actor(s), err) < 0) {
		session_free(s);
		return NULL;
	}
	/* Live panes and probes; a drill's sources show its scenario. */
	if (check_targets_resolved(s, err) < 0 ||
	    (o->loop && !(s->sources = sources_new(s, err)))) {
		session_free(s);
		return NULL;
	}
	if (s->mode == SESSION_DRILL)
		sources_set_state(s->sources, session_drill_state(s));
	session_messages_start(s);	/* resumes the delivery queue */
	session_orphans_start(s);	/* watches runs a dead console left */
	return s;
}

void
session_set_entry(struct session *s, const char *via)
{
	s->entry = via;
}

struct session *
session_attach(const char *dir, const struct clock *clk, struct err *err)
{
	struct playbook *pb = load_copy(dir, err);
	struct session *s;

	if (!pb)
		return NULL;
	s = session_alloc(pb, dir, clk);
	s->entry = "rewind approve";
	if (open_journal(s, err) < 0) {
		session_free(s);
		return NULL;
	}
	if (!s->started) {
		err_set(err, ERR_CORRUPT, "%s/journal.jsonl: no session.started "
			"event", dir);
		session_free(s);
		return NULL;
	}
	return s;
}

/* --- the public surface ---------------------------------------------------- */

void
session_set_tty_handler(struct session *s, session_tty_cb cb, void *arg)
{
	s->tty_cb = cb;
	s->tty_arg = arg;
}

void
session_set_listener(struct session *s, session_listener_cb cb, void *arg)
{
	s->listener = cb;
	s->listener_arg = arg;
}

int
session_apply(struct session *s, const struct action *a, const char *actor,
	      struct err *err)
{
	err_clear(err);
	if (session_poll(s, err) < 0)
		return -1;
	return session_act(s, a, actor ? actor : console_actor(s), err);
}

int
session_poll(struct session *s, struct err *err)
{
	return journal_poll(s->journal, err);
}

int
session_is_busy(const struct session *s)
{
	for (size_t i = 0; i < s->n_steps; i++)
		if (s->steps[i].state == STEP_RUNNING || s->steps[i].orphan)
			return 1;
	return 0;
}

int64_t
session_last_wall(const struct session *s)
{
	return s->last_wall_us;
}

int
session_driver_gone(const struct session *s, int elsewhere,
		    int64_t *since_us)
{
	if (s->driver_quit_us) {
		*since_us = s->driver_quit_us;
		return 1;
	}
	if (elsewhere || !s->driver_pid || procstat_is_running((pid_t)s->driver_pid,
						  s->driver_start,
						  s->driver_boot))
		return 0;
	*since_us = s->last_wall_us;
	return 1;
}

int
session_outcome_unknown(const cJSON *payload)
{
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(payload, "outcome");

	return cJSON_IsString(o) && strcmp(o->valuestring, "unknown") == 0;
}

int
session_is_complete(const struct session *s)
{
	return s->complete;
}

int64_t
session_complete_wall(const struct session *s)
{
	return s->complete ? s->complete_wall_us : 0;
}

/* When a step ROLLED_BACK_AT takes its time from first ran, or 0. */
static int64_t
rollback_ran_at(const struct session *s, const char **step)
{
	const struct pb_variable *v = playbook_find_var(s->pb,
							"ROLLED_BACK_AT");
	int64_t first = 0;

	for (size_t k = 0; v && k < v->n_time_of; k++) {
		const struct step_rt *rt = session_find_step(s, v->time_of[k]);

		if (rt && rt->first_run_us &&
		    (!first || rt->first_run_us < first)) {
			first = rt->first_run_us;
			*step = v->time_of[k];
		}
	}
	return first;
}

int
session_phase_reopened(const struct session *s, enum phase_id phase)
{
	int n = 0;

	for (size_t i = 0; i < s->n_steps; i++) {
		const struct step_rt *rt = &s->steps[i];

		/* a sign-off voided and not given again reopens its
		 * approve step as a changed variable reopens a run */
		if (rt->phase == phase && (rt->done.redo ||
		    (rt->voided && rt->state == STEP_OPEN &&
		     session_step_active(s, rt))))
			n++;
	}
	return n;
}

void
session_redo_facts(const struct session *s, int *pending, int64_t *redone_us)
{
	for (size_t i = 0; i < s->n_steps; i++) {
		const struct step_rt *rt = &s->steps[i];

		if (rt->phase != PHASE_EXECUTE && rt->phase != PHASE_VERIFY)
			continue;
		*pending |= rt->done.redo;
		if (rt->done.redone > *redone_us)
			*redone_us = rt->done.redone;
	}
}

int64_t
session_recovery_end(const struct session *s, int *fixed,
		     const char **which)
{
	struct rto_facts f = { 0 };
	static char why[200];
	const char *w;
	int fx;

	f.rolled_back_at = s->mode == SESSION_DRILL ? NULL
			 : session_var(s, "ROLLED_BACK_AT");
	f.ran_us = f.rolled_back_at ? rollback_ran_at(s, &f.ran_step) : 0;
	f.offered_us = session_var_offer_us(s, "ROLLED_BACK_AT");
	f.verify_end_us = s->verify_end_wall_us;
	f.end_us = s->complete ? s->complete_wall_us : s->last_wall_us;
	f.complete = s->complete;
	session_redo_facts(s, &f.redo_pending, &f.redone_us);
	if (!fixed)
		fixed = &fx;
	return rtoclock_recovery_end(&f, fixed, which ? which : &w, why,
				     sizeof(why));
}

enum phase_id
session_phase(const struct session *s)
{
	return s->phase;
}

const struct playbook *
session_playbook(const struct session *s)
{
	return s->pb;
}

int
session_step_state(const struct session *s, const char *id)
{
	struct step_rt *rt = session_find_step(s, id);

	return rt ? (int)rt->state : -1;
}

const char *
session_dir(const struct session *s)
{
	return s->dir;
}

const char *
session_operator(const struct session *s)
{
	return s->operator;
}

enum session_mode
session_mode(const struct session *s)
{
	return s->mode;
}

size_t
session_n_steps(const struct session *s)
{
	return s->n_steps;
}

int
session_step_view(const struct session *s, size_t i, struct step_view *out)
{
	const struct step_rt *rt;

	if (i >= s->n_steps)
		return -1;
	rt = &s->steps[i];
	out->def = rt->def;
	out->phase = rt->phase;
	out->state = rt->state;
	out->active = session_step_active(s, rt);
	out->actor = rt->actor;
	out->wall_us = rt->wall_us;
	out->option = rt->option;
	out->result = rt->result;
	out->reason = rt->reason;
	out->na_reason = rt->na_reason;
	out->reopened = rt->reopened;
	out->exit_code = rt->exit_code;
	out->n_runs = rt->n_runs;
	out->confirmed = session_confirmation_holds(s, rt);
	out->n_approvals = rt->n_approvals;
	out->run_pid = rt->run_pid;
	out->run_wall_us = rt->run_wall_us;
	out->orphan = rt->orphan;
	out->orphan_stopping = rt->orphan_stopping;
	out->cancelled = rt->cancelled;
	out->run_unknown = rt->run_unknown;
	out->output_cut = rt->output_cut;
	out->ended_after_quit = rt->ended_after_quit;
	out->ended_news = rt->ended_news;
	out->hand_check = rt->hand_check;
	out->orphan_end = rt->orphan_end;
	out->exit_known = rt->exit_known;
	out->voided_note = rt->voided_note;
	return 0;
}

int
session_step_approval(const struct session *s, const char *id, size_t j,
		      struct approval_view *out)
{
	const struct step_rt *rt = session_find_step(s, id);

	if (!rt || j >= rt->n_approvals)
		return -1;
	out->role = rt->approvals[j].role;
	out->name = rt->approvals[j].name;
	out->wall_us = rt->approvals[j].wall_us;
	out->entered = rt->approvals[j].entered;
	out->not_counted = s->mode == SESSION_DRILL
		? drill_approval_not_counted(s, out->role, out->name) : NULL;
	return 0;
}

char *
session_render(const struct session *s, const char *text, struct err *err)
{
	return session_expand(s, text, err);
}

/* A variable's value as a command shown on screen gets it: a secret's
 * masked, an unset one left as its reference. */
static const char *
shown_value(const char *name, const void *arg)
{
	const struct session *s = arg;
	int i = playbook_var_index(s->pb, name);

	if (i < 0 || !s->values[i])
		return NULL;
	return s->pb->variables[i].secret ? REDACT_MASK : s->values[i];
}

char *
session_show_confirm(const struct session *s, const char *text,
		     struct err *err)
{
	char *want = session_render(s, text, err);
	char *shown;

	if (!want)
		return NULL;
	shown = redact_apply_str(s->redact, want);
	free(want);
	return shown;
}

char *
session_show_command(const struct session *s, const char *text)
{
	char *subst = playbook_subst_refs(text, shown_value, s);
	char *shown = redact_apply_str(s->redact, subst);

	free(subst);
	return shown;
}

/* Labels handed out while one text is shown. */
struct label_store {
	char *made[32];
	size_t n;
};

struct labels {
	const struct session *s;
	struct label_store *store;
};

#define LABEL_PROMPT_MAX 24	/* longer prompts would swamp a title */

/* "‹PROMPT›", the prompt up to its first "(", ":" or ",", when
 * that is short; else the name in words ("‹hotfix version›" for
 * HOTFIX_VERSION). */
static const char *
label_of(struct label_store *st, const struct pb_variable *v)
{
	const char *p = v->prompt ? v->prompt : "";
	size_t len = strcspn(p, "(:,");
	char *words;

	while (len && p[len - 1] == ' ')
		len--;
	if (st->n == sizeof(st->made) / sizeof(st->made[0]))
		return v->name;
	if (len && len <= LABEL_PROMPT_MAX) {
		st->made[st->n] = xasprintf("\u2039%.*s\u203a", (int)len, p);
		return st->made[st->n++];
	}
	words = xstrdup(v->name);
	for (char *c = words; *c; c++)
		*c = *c == '_' ? ' ' : (char)tolower((unsigned char)*c);
	st->made[st->n] = xasprintf("\u2039%s\u203a", words);
	free(words);
	return st->made[st->n++];
}

static const char *
shown_or_label(const char *name, const void *arg)
{
	const struct labels *l = arg;
	int i = playbook_var_index(l->s->pb, name);

	if (i < 0)
		return NULL;
	if (l->s->values[i])
		return l->s->pb->variables[i].secret ? REDACT_MASK
						       : l->s->values[i];
	return label_of(l->store, &l->s->pb->variables[i]);
}

char *
session_show_text(const struct session *s, const char *text)
{
	struct label_store st = { .n = 0 };
	struct labels l = { s, &st };
	char *subst = playbook_subst_refs(text, shown_or_label, &l);
	char *shown = redact_apply_str(s->redact, subst);

	free(subst);
	for (size_t i = 0; i < st.n; i++)
		free(st.made[i]);
	return shown;
}

const char *
session_scenario(const struct session *s)
{
	return s->scenario;
}

struct sources *
session_sources(const struct session *s)
{
	return s->sources;
}

int64_t
session_start_wall(const struct session *s)
{
	return s->start_wall_us;
}

uint64_t
session_n_events(const struct session *s)
{
	/* A replayed session has no journal of its own. */
	return s->journal ? journal_count(s->journal) : 0;
}

/* --- what is left to do ---------------------------------------------------- */

static int
is_pending(const struct step_rt *rt)
{
	return rt->state == STEP_OPEN || rt->state == STEP_RUNNING ||
	       rt->state == STEP_FAILED || rt->state == STEP_INTERRUPTED;
}

struct missing_ctx {
	const struct session *s;
	cJSON *list;
};

static void
add_if_unset(const char *name, void *arg)
{
	struct missing_ctx *m = arg;
	char *offer = session_var(m->s, name) ? NULL
		      : session_var_offer(m->s, name);

	if (!session_var(m->s, name) && !offer)
		cJSON_AddItemToArray(m->list, cJSON_CreateString(name));
	free(offer);
}

static void
add_missing_vars(const struct session *s, const char *text, cJSON *item)
{
	struct missing_ctx m = { s, cJSON_CreateArray() };

	session_each_ref(s, text, add_if_unset, &m);
	if (cJSON_GetArraySize(m.list))
		cJSON_AddItemToObject(item, "missing", m.list);
	else
		cJSON_Delete(m.list);
}

static void
add_decide_needs(const struct step_rt *rt, cJSON *item)
{
	cJSON *opts = cJSON_AddArrayToObject(item, "options");

	for (size_t i = 0; i < rt->def->n_options; i++) {
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "id", rt->def->options[i].id);
		cJSON_AddStringToObject(o, "label", rt->def->options[i].label);
		cJSON_AddItemToArray(opts, o);
	}
}

static int
count_role(const struct step_rt *rt, const char *role)
{
	int n = 0;

	for (size_t i = 0; i < rt->n_approvals; i++)
		n += strcmp(rt->approvals[i].role, role) == 0;
	return n;
}

static void
add_approve_needs(const struct step_rt *rt, cJSON *item)
{
	cJSON *roles = cJSON_AddArrayToObject(item, "roles");

	for (size_t i = 0; i < rt->def->n_roles; i++) {
		cJSON *r = cJSON_CreateObject();

		cJSON_AddStringToObject(r, "role", rt->def->roles[i].role);
		cJSON_AddNumberToObject(r, "count", rt->def->roles[i].count);
		cJSON_AddNumberToObject(r, "have",
					count_role(rt, rt->def->roles[i].role));
		cJSON_AddItemToArray(roles, r);
	}
}

static void
add_input_needs(const struct session *s, const struct step_rt *rt,
		cJSON *item)
{
	const struct pb_variable *v = playbook_find_var(s->pb,
							rt->def->variable);

	cJSON_AddStringToObject(item, "variable", rt->def->variable);
	if (v && v->default_value)
		cJSON_AddStringToObject(item, "default", v->default_value);
	if (v && v->pattern)
		cJSON_AddStringToObject(item, "pattern", v->pattern);
}

static void
add_run_needs(const struct session *s, const struct step_rt *rt, cJSON *item)
{
	struct err err;
	char *text;

	cJSON_AddStringToObject(item, "command", rt->def->run);
	add_missing_vars(s, rt->def->run, item);
	if (rt->orphan)		/* left by a console that died */
		cJSON_AddNumberToObject(item, "still_running_pid",
					(double)rt->run_pid);
	if (!rt->def->destructive)
		return;
	text = session_show_confirm(s, rt->def->confirm ? rt->def->confirm
						      : rt->def->id, &err);
	if (text)
		cJSON_AddStringToObject(item, "confirm", text);
	cJSON_AddBoolToObject(item, "confirmed", rt->confirmed);
	free(text);
}

static cJSON *
awaiting_item(const struct session *s, const struct step_rt *rt)
{
	cJSON *item = cJSON_CreateObject();

	cJSON_AddStringToObject(item, "id", rt->def->id);
	cJSON_AddStringToObject(item, "kind", playbook_kind_name(rt->def->kind));
	cJSON_AddStringToObject(item, "title", rt->def->title);
	cJSON_AddStringToObject(item, "state", session_state_name(rt->state));
	switch (rt->def->kind) {
	case STEP_KIND_DECIDE: add_decide_needs(rt, item); break;
	case STEP_KIND_APPROVE: add_approve_needs(rt, item); break;
	case STEP_KIND_INPUT: add_input_needs(s, rt, item); break;
	case STEP_KIND_RUN: add_run_needs(s, rt, item); break;
	case STEP_KIND_MESSAGE: add_missing_vars(s, rt->def->template, item);
		break;
	default: break;
	}
	return item;
}

cJSON *
session_awaiting(const struct session *s)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *steps, *optional, *reopened;

	cJSON_AddStringToObject(root, "type", "awaiting");
	cJSON_AddStringToObject(root, "phase", s->complete ? "complete" :
				playbook_phase_name(s->phase));
	steps = cJSON_AddArrayToObject(root, "steps");
	optional = cJSON_AddArrayToObject(root, "optional");
	reopened = cJSON_AddArrayToObject(root, "reopened");
	for (size_t i = 0; i < s->n_steps && !s->complete; i++) {
		struct step_rt *rt = &s->steps[i];

		if (!is_pending(rt) || !session_step_active(s, rt) ||
		    rt->phase > s->phase)
			continue;
		if (rt->phase < s->phase)
			cJSON_AddItemToArray(reopened, awaiting_item(s, rt));
		else
			cJSON_AddItemToArray(rt->def->required ? steps : optional,
					     awaiting_item(s, rt));
	}
	return root;
}

char *
session_describe_open(const struct session *s)
{
	struct strbuf sb = STRBUF_INIT;
	int n = 0;

	if (s->complete)
		return xstrdup("complete");
	strbuf_addf(&sb, "in phase %s", playbook_phase_name(s->phase));
	for (size_t i = 0; i < s->n_steps; i++) {
		const struct step_rt *rt = &s->steps[i];

		if (rt->phase != s->phase || !is_pending(rt) ||
		    !rt->def->required || !session_step_active(s, rt))
			continue;
		strbuf_addf(&sb, "%s %s (%s)", n++ ? "," : "; open:",
			    rt->def->id, session_state_name(rt->state));
	}
	if (n == 0)
		strbuf_adds(&sb, "; next is what remains");
	return strbuf_detach(&sb);
}

const char *
session_workdir(const struct session *s, int *moved, int *missing)
{
	if (moved)
		*moved = s->workdir_moved;
	if (missing)
		*missing = s->workdir_missing;
	return s->workdir;
}
