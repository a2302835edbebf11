/* Drill state beside the session: the scenario's world and its
 * injections, predictions, the throwaway clone and the score card. It is
 * fed by drill_observe() with every journal event, so resuming rebuilds
 * it exactly. */
#include "config.h"
#include "drill.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "action.h"
#include "clock.h"
#include "clone.h"
#include "err.h"
#include "identity.h"
#include "journal.h"
#include "loop.h"
#include "redact.h"
#include "rtoclock.h"
#include "runner.h"
#include "sanitize.h"
#include "semver.h"
#include "session_int.h"
#include "sources.h"
#include "strbuf.h"
#include "testhook.h"
#include "world.h"
#include "xalloc.h"

#define FIRST_LINES 3

struct prediction {
	char *text;		/* NULL = none */
	int paired;		/* a run finished after it */
	int exit_code;		/* that run's */
	int ok;
	char *first_lines;
};

/* How a step's last drill run went, for a step that opts in to the clone. */
struct clone_note {
	int real;		/* it ran for real in the clone */
	char *why;		/* else why it was simulated, or NULL */
};

struct inject_timer {
	struct session *s;
	size_t i;
	uint64_t id;		/* loop timer, 0 = none */
};

struct drill {
	int paced;
	int clone_off;		/* the operator turned real runs off */
	const struct pb_scenario *sc;
	cJSON *state;		/* the scenario's world, injections applied */
	unsigned char *fired;	/* per injection */
	struct inject_timer *timers;	/* per injection */
	struct prediction *preds;	/* per step */
	unsigned char *finished;	/* per step: a step.finished was seen */
	int64_t phase_start[PHASE_COUNT];
	int64_t phase_end[PHASE_COUNT];
	int64_t start_wall;
	int64_t complete_wall;
	cJSON *skipped;		/* [{step, reason}] */
	cJSON *na;		/* [{step, reason}] */
	cJSON *reasons;		/* {decide step: the operator's reason} */
	struct clone_note *notes;	/* per step */
	char **world_out;	/* per step: the world's last output */
	char **false_clear;	/* per step: the log line that contradicted
				 * its last tick, or NULL */
	char answer[2048];	/* an endpoint's answer "STATUS BODY", as
				 * the check it is evidence of reads it */
	char *clone_dir;
	int clone_tried;	/* made (or failed) once: never again */
	struct err clone_err;	/* why it could not be made */
	struct runner *runner;
};

/* --- allocation ----------------------------------------------------------------- */

static struct drill *
drill_get(struct session *s)
{
	struct drill *d = s->drill;

	if (d)
		return d;
	d = xcalloc(1, sizeof(*d));
	d->preds = xcalloc(s->n_steps + 1, sizeof(*d->preds));
	d->finished = xcalloc(s->n_steps + 1, 1);
	d->notes = xcalloc(s->n_steps + 1, sizeof(*d->notes));
	d->world_out = xcalloc(s->n_steps + 1, sizeof(*d->world_out));
	d->false_clear = xcalloc(s->n_steps + 1, sizeof(*d->false_clear));
	d->skipped = cJSON_CreateArray();
	d->na = cJSON_CreateArray();
	d->reasons = cJSON_CreateObject();
	d->state = cJSON_CreateObject();
	s->drill = d;
	return d;
}

static void
cancel_timers(struct session *s, struct drill *d)
{
	for (size_t i = 0; d->sc && i < d->sc->n_injects; i++) {
		if (d->timers[i].id && s->loop)
			loop_cancel_timer(s->loop, d->timers[i].id);
		d->timers[i].id = 0;
	}
}

static void
remove_clone(struct drill *d)
{
	runner_free(d->runner);
	d->runner = NULL;
	if (d->clone_dir)
		clone_remove(d->clone_dir, NULL);
	free(d->clone_dir);
	d->clone_dir = NULL;
}

void
drill_free(struct session *s)
{
	struct drill *d = s->drill;

	if (!d)
		return;
	cancel_timers(s, d);
	remove_clone(d);
	for (size_t i = 0; i < s->n_steps; i++) {
		free(d->preds[i].text);
		free(d->preds[i].first_lines);
		free(d->notes[i].why);
		free(d->world_out[i]);
		free(d->false_clear[i]);
	}
	free(d->preds);
	free(d->notes);
	free(d->world_out);
	free(d->false_clear);
	free(d->finished);
	free(d->fired);
	free(d->timers);
	cJSON_Delete(d->state);
	cJSON_Delete(d->skipped);
	cJSON_Delete(d->na);
	cJSON_Delete(d->reasons);
	free(d);
	s->drill = NULL;
}

/* --- replay snapshots ---------------------------------------------------------------- */

static struct drill *
drill_copy(const struct drill *d, size_t n_steps, size_t n_injects)
{
	struct drill *c = xcalloc(1, sizeof(*c));

	c->paced = d->paced;
	c->clone_off = d->clone_off;
	c->sc = d->sc;
	c->state = cJSON_Duplicate(d->state, 1);
	c->fired = xcalloc(n_injects + 1, 1);
	if (d->fired)
		memcpy(c->fired, d->fired, n_injects);
	c->timers = xcalloc(n_injects + 1, sizeof(*c->timers));
	c->preds = xcalloc(n_steps + 1, sizeof(*c->preds));
	for (size_t i = 0; i < n_steps; i++) {
		c->preds[i] = d->preds[i];
		c->preds[i].text = xstrdup_or_null(d->preds[i].text);
		c->preds[i].first_lines =
			xstrdup_or_null(d->preds[i].first_lines);
	}
	c->notes = xcalloc(n_steps + 1, sizeof(*c->notes));
	c->world_out = xcalloc(n_steps + 1, sizeof(*c->world_out));
	c->false_clear = xcalloc(n_steps + 1, sizeof(*c->false_clear));
	for (size_t i = 0; i < n_steps; i++) {
		c->notes[i].real = d->notes[i].real;
		c->notes[i].why = xstrdup_or_null(d->notes[i].why);
		c->false_clear[i] = xstrdup_or_null(d->false_clear[i]);
	}
	c->finished = xcalloc(n_steps + 1, 1);
	memcpy(c->finished, d->finished, n_steps);
	memcpy(c->phase_start, d->phase_start, sizeof(c->phase_start));
	memcpy(c->phase_end, d->phase_end, sizeof(c->phase_end));
	c->start_wall = d->start_wall;
	c->complete_wall = d->complete_wall;
	c->skipped = cJSON_Duplicate(d->skipped, 1);
	c->na = cJSON_Duplicate(d->na, 1);
	c->reasons = cJSON_Duplicate(d->reasons, 1);
	return c;
}

static size_t
n_injects(const struct drill *d)
{
	return d->sc ? d->sc->n_injects : 0;
}

struct drill *
drill_snapshot(const struct session *s)
{
	return s->drill ? drill_copy(s->drill, s->n_steps, n_injects(s->drill))
			: NULL;
}

void
drill_snapshot_free(struct drill *snap, size_t n_steps)
{
	if (!snap)
		return;
	for (size_t i = 0; i < n_steps; i++) {
		free(snap->preds[i].text);
		free(snap->preds[i].first_lines);
		free(snap->notes[i].why);
	}
	for (size_t i = 0; i < n_steps; i++) {
		free(snap->world_out[i]);
		free(snap->false_clear[i]);
	}
	free(snap->world_out);
	free(snap->false_clear);
	free(snap->preds);
	free(snap->notes);
	free(snap->finished);
	free(snap->fired);
	free(snap->timers);
	cJSON_Delete(snap->state);
	cJSON_Delete(snap->skipped);
	cJSON_Delete(snap->na);
	cJSON_Delete(snap->reasons);
	free(snap);
}

void
drill_restore(struct session *s, const struct drill *snap)
{
	drill_free(s);
	if (snap)
		s->drill = drill_copy(snap, s->n_steps, n_injects(snap));
}

static ssize_t
step_index(const struct session *s, const char *id)
{
	const struct step_rt *rt = session_find_step(s, id);

	return rt ? rt - s->steps : -1;
}

static ssize_t
inject_index(const struct drill *d, const char *id)
{
	for (size_t i = 0; id && d->sc && i < d->sc->n_injects; i++)
		if (strcmp(d->sc->injects[i].id, id) == 0)
			return (ssize_t)i;
	return -1;
}

/* --- the scenario's world ---------------------------------------------------------- */

/* RFC 7386 JSON merge patch of PATCH (borrowed) into TARGET. */
static void
merge_patch(cJSON *target, const cJSON *patch)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, patch) {
		cJSON *have = cJSON_GetObjectItemCaseSensitive(target, c->string);

		if (cJSON_IsNull(c)) {
			cJSON_DeleteItemFromObjectCaseSensitive(target, c->string);
		} else if (cJSON_IsObject(c) && cJSON_IsObject(have)) {
			merge_patch(have, c);
		} else if (cJSON_IsObject(c)) {
			cJSON *fresh = cJSON_CreateObject();

			merge_patch(fresh, c);
			cJSON_DeleteItemFromObjectCaseSensitive(target, c->string);
			cJSON_AddItemToObject(target, c->string, fresh);
		} else {
			cJSON_DeleteItemFromObjectCaseSensitive(target, c->string);
			cJSON_AddItemToObject(target, c->string,
					      cJSON_Duplicate(c, 1));
		}
	}
}

static cJSON *
object_at(cJSON *parent, const char *key, int array)
{
	cJSON *c = cJSON_GetObjectItemCaseSensitive(parent, key);

	if (array ? cJSON_IsArray(c) : cJSON_IsObject(c))
		return c;
	cJSON_DeleteItemFromObjectCaseSensitive(parent, key);
	c = array ? cJSON_CreateArray() : cJSON_CreateObject();
	cJSON_AddItemToObject(parent, key, c);
	return c;
}

static void
append_lines(cJSON *arr, const char *text)
{
	const char *p = text;

	while (p && *p) {
		size_t len = strcspn(p, "\n");
		char *line = xstrndup(p, len);

		cJSON_AddItemToArray(arr, cJSON_CreateString(line));
		free(line);
		p += len + (p[len] == '\n');
	}
}

static void
apply_inject(struct drill *d, const struct pb_inject *in)
{
	if (in->state_json) {
		cJSON *patch = cJSON_Parse(in->state_json);

		world_resolve_times(patch, d->start_wall);
		merge_patch(d->state, patch);
		cJSON_Delete(patch);
	}
	if (in->log_lines)
		append_lines(object_at(object_at(d->state, "logs", 0),
				       in->log ? in->log : "drill", 1),
			     in->log_lines);
	if (in->alert) {
		cJSON *a = cJSON_CreateObject();

		cJSON_AddStringToObject(a, "id", in->id);
		cJSON_AddStringToObject(a, "text", in->alert);
		cJSON_AddItemToArray(object_at(d->state, "alerts", 1), a);
	}
}

cJSON *
drill_world_start(const struct playbook *pb, const struct pb_scenario *sc,
		  int64_t start_wall)
{
	cJSON *state = pb->drill_state_json ? cJSON_Parse(pb->drill_state_json)
					    : NULL;
	cJSON *patch = sc && sc->state_json ? cJSON_Parse(sc->state_json)
					    : NULL;

	if (!cJSON_IsObject(state)) {
		cJSON_Delete(state);
		state = cJSON_CreateObject();
	}
	if (patch)
		merge_patch(state, patch);
	cJSON_Delete(patch);
	world_resolve_times(state, start_wall);
	return state;
}

/* The world at the start: SCENARIO's state (the session.started event
 * is seen before the session itself reads it). */
static void
start_world(struct session *s, struct drill *d, int64_t wall,
	    const char *scenario)
{
	d->start_wall = wall;
	d->phase_start[PHASE_ASSESS] = wall;
	d->sc = scenario ? playbook_find_scenario(s->pb, scenario) : NULL;
	cJSON_Delete(d->state);
	d->state = drill_world_start(s->pb, d->sc, wall);
	free(d->fired);
	free(d->timers);
	d->fired = xcalloc(d->sc ? d->sc->n_injects + 1 : 1, 1);
	d->timers = xcalloc(d->sc ? d->sc->n_injects + 1 : 1,
			    sizeof(*d->timers));
}

const cJSON *
session_drill_state(const struct session *s)
{
	return s->mode == SESSION_DRILL && s->drill ? s->drill->state : NULL;
}

/* Where the drill's recovery ends (the clock of its card and header), by
 * the report's rule: the verify phase left, or completion, but never
 * before execute and verify steps reopened since were done again; 0 while
 * it still runs (a reopened step not done again in an open drill). *TO
 * (may be NULL) says where, in words. */
static int64_t
recovery_end(const struct session *s, const struct drill *d,
	     const char **to)
{
	struct rto_facts f = { 0 };
	const char *which;
	char why[200];
	int fixed;
	int64_t end;

	f.verify_end_us = d->phase_end[PHASE_VERIFY];
	f.end_us = d->complete_wall;
	f.complete = d->complete_wall != 0;
	session_redo_facts(s, &f.redo_pending, &f.redone_us);
	end = rtoclock_recovery_end(&f, &fixed, &which, why, sizeof(why));
	if (!fixed && d->complete_wall)	/* ended with the redo undone */
		end = d->complete_wall, which = "the end";
	else if (!fixed)
		end = 0;
	if (to)
		*to = which;
	return end;
}

int64_t
drill_clock_stop(const struct session *s)
{
	const struct drill *d = s->mode == SESSION_DRILL ? s->drill : NULL;

	return d ? recovery_end(s, d, NULL) : 0;
}

int
drill_inject_fired(const struct session *s, size_t i)
{
	const struct drill *d = s->mode == SESSION_DRILL ? s->drill : NULL;

	return d && d->sc && i < d->sc->n_injects && d->fired[i];
}

/* --- observing the journal ----------------------------------------------------------- */

static const char *
pstr(const struct journal_event *ev, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		ev->payload, key));
}

static void
note_phase(struct drill *d, const struct journal_event *ev)
{
	enum phase_id from, to;

	if (pstr(ev, "from") && playbook_phase_parse(pstr(ev, "from"), &from) == 0)
		d->phase_end[from] = ev->wall_us;
	if (pstr(ev, "to") && playbook_phase_parse(pstr(ev, "to"), &to) == 0)
		d->phase_start[to] = ev->wall_us;
}

/* One entry per step in LIST (the latest reason wins), so the list stays
 * as long as the playbook however often a step is marked. */
static void
note_listed(cJSON *list, const struct journal_event *ev)
{
	const char *step = ev->step ? ev->step : "";
	cJSON *o, *item;
	int i = 0;

	cJSON_ArrayForEach(item, list) {
		const char *id = cJSON_GetStringValue(
			cJSON_GetObjectItem(item, "step"));

		if (id && strcmp(id, step) == 0) {
			cJSON_DeleteItemFromArray(list, i);
			break;
		}
		i++;
	}
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "step", step);
	cJSON_AddStringToObject(o, "reason", pstr(ev, "reason") ? pstr(ev, "reason")
							      : "");
	cJSON_AddItemToArray(list, o);
}

static char *
first_lines(const char *tail)
{
	const char *p = tail ? tail : "";
	size_t len = 0;

	for (int n = 0; p[len] && n < FIRST_LINES; n++) {
		len += strcspn(p + len, "\n");
		if (p[len] == '\n' && n + 1 < FIRST_LINES && p[len + 1])
			len++;
		else
			break;
	}
	return xstrndup(p, len);
}

static void
note_finished(struct session *s, struct drill *d, const struct journal_event *ev)
{
	ssize_t i = step_index(s, ev->step);
	cJSON *exit_code = cJSON_GetObjectItemCaseSensitive(ev->payload, "exit");
	struct prediction *p;

	if (i < 0)
		return;
	d->finished[i] = 1;
	p = &d->preds[i];
	if (!p->text || p->paired)
		return;
	p->paired = 1;
	p->exit_code = cJSON_IsNumber(exit_code) ? exit_code->valueint : 0;
	p->ok = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ev->payload, "ok"));
	free(p->first_lines);
	p->first_lines = first_lines(pstr(ev, "tail"));
}

static void
note_predicted(struct session *s, struct drill *d,
	       const struct journal_event *ev)
{
	ssize_t i = step_index(s, ev->step);

	if (i < 0 || !pstr(ev, "text"))
		return;
	free(d->preds[i].text);
	d->preds[i].text = xstrdup(pstr(ev, "text"));
	d->preds[i].paired = 0;
}

/* A run started: in the clone, or simulated with the reason why not. */
static void
note_started(struct session *s, struct drill *d,
	     const struct journal_event *ev)
{
	ssize_t i = step_index(s, ev->step);

	if (i < 0)
		return;
	d->notes[i].real = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
		ev->payload, "real_in_clone"));
	free(d->notes[i].why);
	d->notes[i].why = pstr(ev, "clone") ? xstrdup(pstr(ev, "clone")) : NULL;
}

static void judge_tick(struct session *s, struct drill *d, ssize_t i);

/* An injection waiting for check AFTER fired once it was ticked: a check
 * the registry judges is judged on the world the tick left (the yank done
 * by hand is in the registry now), not on the world just before. */
static void
rejudge_registry_tick(struct session *s, struct drill *d, const char *after)
{
	ssize_t i = after ? step_index(s, after) : -1;

	if (i >= 0 && s->steps[i].def->kind == STEP_KIND_CHECK &&
	    s->steps[i].def->drill.registry && s->steps[i].state == STEP_DONE)
		judge_tick(s, d, i);
}

static void
note_inject(struct session *s, struct drill *d, const struct journal_event *ev)
{
	ssize_t i = inject_index(d, pstr(ev, "id"));

	if (i < 0 || d->fired[i])
		return;
	d->fired[i] = 1;
	if (d->timers[i].id && s->loop)
		loop_cancel_timer(s->loop, d->timers[i].id);
	d->timers[i].id = 0;
	apply_inject(d, &d->sc->injects[i]);
	if (s->sources)		/* the panes show the changed world */
		sources_set_state(s->sources, d->state);
	rejudge_registry_tick(s, d, d->sc->injects[i].after);
}

/* A command changed the world: the event holds the whole new state. */
static void
note_world(struct session *s, struct drill *d, const struct journal_event *ev)
{
	const cJSON *state = cJSON_GetObjectItemCaseSensitive(ev->payload,
							      "state");

	if (!cJSON_IsObject(state))
		return;
	cJSON_Delete(d->state);
	d->state = cJSON_Duplicate(state, 1);
	if (s->sources)
		sources_set_state(s->sources, d->state);
}

static const char *log_contradiction(const struct session *s,
				     struct drill *d,
				     const struct pb_step *st,
				     const char **log);

/* A check was ticked: the world's log line that contradicts it then, if
 * any, is kept for the score card (a false all-clear). */
static void
judge_tick(struct session *s, struct drill *d, ssize_t i)
{
	const char *log, *line = log_contradiction(s, d, s->steps[i].def, &log);

	free(d->false_clear[i]);
	d->false_clear[i] = line ? xstrdup(line) : NULL;
}

static void
note_ticked(struct session *s, struct drill *d, const struct journal_event *ev)
{
	ssize_t i = step_index(s, ev->step);

	if (i >= 0)
		judge_tick(s, d, i);
}

static void
note_reason(struct drill *d, const struct journal_event *ev)
{
	if (!ev->step)
		return;
	cJSON_DeleteItemFromObjectCaseSensitive(d->reasons, ev->step);
	cJSON_AddStringToObject(d->reasons, ev->step, pstr(ev, "reason")
				? pstr(ev, "reason") : "");
}

void
drill_observe(struct session *s, const struct journal_event *ev)
{
	struct drill *d = drill_get(s);
	const char *t = ev->type;

	if (strcmp(t, "session.started") == 0)
		start_world(s, d, ev->wall_us, pstr(ev, "scenario"));
	else if (strcmp(t, "phase.advanced") == 0)
		note_phase(d, ev);
	else if (strcmp(t, "session.completed") == 0)
		d->complete_wall = d->phase_end[PHASE_COMMUNICATE] = ev->wall_us;
	else if (strcmp(t, "step.skipped") == 0)
		note_listed(d->skipped, ev);
	else if (strcmp(t, "step.na") == 0)
		note_listed(d->na, ev);
	else if (strcmp(t, "step.started") == 0)
		note_started(s, d, ev);
	else if (strcmp(t, "step.finished") == 0)
		note_finished(s, d, ev);
	else if (strcmp(t, "step.predicted") == 0)
		note_predicted(s, d, ev);
	else if (strcmp(t, "drill.inject") == 0)
		note_inject(s, d, ev);
	else if (strcmp(t, "decision.made") == 0)
		note_reason(d, ev);
	else if (strcmp(t, "step.ticked") == 0)
		note_ticked(s, d, ev);
	else if (strcmp(t, "drill.world") == 0)
		note_world(s, d, ev);
	else if (strcmp(t, "drill.clone") == 0)
		d->clone_off = !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
			ev->payload, "real_in_clone"));
}

/* --- firing injections ----------------------------------------------------------------- */

/* Each leaf of merge patch NODE under PATH, in words: "registry.pkg.
 * dist-tags.latest becomes "1.2.4"", "... is added", "... is removed";
 * joined by ",". */
static void
describe_patch(struct strbuf *sb, const cJSON *node, const char *path)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, node) {
		char *at = *path ? xasprintf("%s.%s", path, c->string)
				 : xstrdup(c->string);

		if (cJSON_IsObject(c) && c->child) {
			describe_patch(sb, c, at);
		} else {
			char *v = cJSON_PrintUnformatted(c);

			if (cJSON_IsNull(c))
				strbuf_addf(sb, "%s %s is removed",
					    sb->buf[sb->len - 1] == ':' ? "" : ",",
					    at);
			else if (cJSON_IsObject(c))
				strbuf_addf(sb, "%s %s is added",
					    sb->buf[sb->len - 1] == ':' ? "" : ",",
					    at);
			else
				strbuf_addf(sb, "%s %s becomes %s",
					    sb->buf[sb->len - 1] == ':' ? "" : ",",
					    at, v);
			cJSON_free(v);
		}
		free(at);
	}
}

char *
drill_describe_inject(const struct pb_inject *in)
{
	struct strbuf sb = STRBUF_INIT;
	size_t n = 0;

	if (in->alert)
		strbuf_addf(&sb, "alert: %s", in->alert);
	if (in->state_json) {
		cJSON *patch = cJSON_Parse(in->state_json);
		size_t before;

		strbuf_addf(&sb, "%sthe world changes:", sb.len ? "; " : "");
		before = sb.len;
		describe_patch(&sb, patch, "");
		if (sb.len == before)
			strbuf_adds(&sb, " nothing");
		cJSON_Delete(patch);
	}
	for (const char *p = in->log_lines; p && *p; p++)
		n += *p == '\n' || p[1] == '\0';
	if (in->log_lines)
		strbuf_addf(&sb, "%s%zu log line%s arrive in %s",
			    sb.len ? "; " : "", n, n == 1 ? "" : "s",
			    in->log ? in->log : "drill");
	return strbuf_detach(&sb);
}

static cJSON *
inject_payload(const struct pb_inject *in, int64_t start_wall)
{
	cJSON *p = cJSON_CreateObject();
	char *what = drill_describe_inject(in);

	cJSON_AddStringToObject(p, "id", in->id);
	cJSON_AddStringToObject(p, "what", what);
	free(what);
	if (in->after)
		cJSON_AddStringToObject(p, "after", in->after);
	else
		cJSON_AddNumberToObject(p, "at_ms", (double)(in->at_us / 1000));
	if (in->alert)
		cJSON_AddStringToObject(p, "alert", in->alert);
	if (in->state_json) {	/* as applied: replay reads it */
		cJSON *st = cJSON_Parse(in->state_json);

		world_resolve_times(st, start_wall);
		cJSON_AddItemToObject(p, "state", st);
	}
	if (in->log_lines) {
		cJSON_AddStringToObject(p, "log", in->log ? in->log : "drill");
		append_lines(cJSON_AddArrayToObject(p, "lines"), in->log_lines);
	}
	return p;
}

static int
fire(struct session *s, size_t i, struct err *err)
{
	struct drill *d = s->drill;

	if (d->fired[i] || s->complete)
		return 0;
	return session_record(s, "scenario", "drill.inject", NULL,
			      inject_payload(&d->sc->injects[i],
					     d->start_wall), err);
}

static void
on_inject_timer(void *arg)
{
	struct inject_timer *t = arg;

	t->id = 0;
	fire(t->s, t->i, NULL);
}

int
drill_fire_after(struct session *s, const char *id, struct err *err)
{
	struct drill *d = s->drill;

	for (size_t i = 0; d && d->sc && i < d->sc->n_injects; i++) {
		const struct pb_inject *in = &d->sc->injects[i];

		if (in->after && strcmp(in->after, id) == 0 &&
		    fire(s, i, err) < 0)
			return -1;
	}
	return 0;
}

/* Schedule injection I, or fire it when it is already due. */
static int
arm(struct session *s, struct drill *d, size_t i, struct err *err)
{
	const struct pb_inject *in = &d->sc->injects[i];
	int64_t due;
	ssize_t step;

	if (d->fired[i])
		return 0;
	if (in->after) {
		step = step_index(s, in->after);
		return step >= 0 && d->finished[step] ? fire(s, i, err) : 0;
	}
	due = d->start_wall + in->at_us - clock_wall_now(s->clk);
	if (due <= 0)
		return fire(s, i, err);
	if (s->loop) {
		d->timers[i].s = s;
		d->timers[i].i = i;
		d->timers[i].id = loop_add_timer(s->loop, due, on_inject_timer,
						 &d->timers[i]);
	}
	return 0;
}

int
drill_start(struct session *s, struct err *err)
{
	struct drill *d;

	if (s->mode != SESSION_DRILL)
		return 0;
	d = drill_get(s);
	if (testhook_drill_pace() >= 0)
		d->paced = testhook_drill_pace();
	for (size_t i = 0; d->sc && i < d->sc->n_injects; i++)
		if (arm(s, d, i, err) < 0)
			return -1;
	return 0;
}

/* --- predictions ------------------------------------------------------------------------ */

static int
asks_prediction(const struct session *s, const struct step_rt *rt)
{
	return s->mode == SESSION_DRILL && rt->def->kind == STEP_KIND_RUN &&
	       (rt->def->predict || s->pb->drill_predict);
}

int
drill_wants_prediction(const struct session *s, const char *id)
{
	const struct step_rt *rt = session_find_step(s, id);

	return rt && asks_prediction(s, rt) &&
	       !(s->drill && s->drill->preds[rt - s->steps].text);
}

const char *
drill_prediction(const struct session *s, const char *id)
{
	const struct step_rt *rt = session_find_step(s, id);

	return rt && s->drill ? s->drill->preds[rt - s->steps].text : NULL;
}

int
drill_check_prediction(const struct session *s, const struct step_rt *rt,
		       struct err *err)
{
	if (!drill_wants_prediction(s, rt->def->id))
		return 0;
	return err_set(err, ERR_STATE, "run %s: this drill asks what you "
		       "expect first (predict %s TEXT, e.g. predict %s fails "
		       "with E403)", rt->def->id, rt->def->id, rt->def->id);
}

int
drill_act_predict(struct session *s, struct step_rt *rt,
		  const struct action *a, const char *actor, struct err *err)
{
	cJSON *p;

	if (s->mode != SESSION_DRILL)
		return err_set(err, ERR_STATE, "predict %s: predictions belong "
			       "to drills; a live run needs none",
			       rt->def->id);
	if (!a->text || !*a->text)
		return err_set(err, ERR_INVALID, "predict %s: say what you "
			       "expect", rt->def->id);
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "text", a->text);
	return session_record(s, actor, "step.predicted", rt->def->id, p, err);
}

/* --- the world answers commands ------------------------------------------------------- */

static const char *
world_var(const char *name, const void *arg)
{
	return session_var(arg, name);
}

int
drill_world_run(struct session *s, struct step_rt *rt, const char *actor,
		const char **output, int *exit_code, struct err *err)
{
	struct drill *d = drill_get(s);
	ssize_t i = rt - s->steps;
	cJSON *next = cJSON_Duplicate(d->state, 1), *p;
	struct world_run run = { 0 };
	int rc = 0;

	if (!rt->def->run || !world_simulate(next, rt->def->run, world_var, s,
					     &run)) {
		cJSON_Delete(next);
		return 0;
	}
	free(d->world_out[i]);
	d->world_out[i] = run.output;
	*output = run.output;
	*exit_code = run.exit_code;
	if (!run.changed) {
		cJSON_Delete(next);
		return 1;
	}
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "by", rt->def->id);
	cJSON_AddItemToObject(p, "state", next);
	rc = session_record(s, actor, "drill.world", rt->def->id, p, err);
	return rc < 0 ? -1 : 1;
}

int
drill_world_follow(struct session *s, struct step_rt *rt, const char *actor,
		   struct err *err)
{
	struct drill *d = drill_get(s);
	cJSON *next = cJSON_Duplicate(d->state, 1), *p;
	struct world_run run = { 0 };

	if (!rt->def->run || !world_simulate(next, rt->def->run, world_var, s,
					     &run) ||
	    run.exit_code != 0 || !run.changed) {
		if (rt->def->run)
			free(run.output);
		cJSON_Delete(next);
		return 0;
	}
	free(run.output);
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "by", rt->def->id);
	cJSON_AddItemToObject(p, "state", next);
	return session_record(s, actor, "drill.world", rt->def->id, p, err) < 0
	       ? -1 : 1;
}

int
drill_world_watch(struct session *s, struct step_rt *rt, const char **output,
		  int *exit_code)
{
	struct drill *d = drill_get(s);
	ssize_t i = rt - s->steps;
	cJSON *look = cJSON_Duplicate(d->state, 1);
	struct world_run run = { 0 };
	struct strbuf sb = STRBUF_INIT;
	int known = world_simulate(look, rt->def->drill.watch, world_var, s,
				   &run);

	cJSON_Delete(look);
	if (!known)
		return 0;
	if (run.exit_code == 0) {
		free(run.output);
		return 0;
	}
	if (rt->def->kind == STEP_KIND_WAIT)
		strbuf_addf(&sb, "stopped watching: %s exited %d\n",
			    rt->def->drill.watch, run.exit_code);
	strbuf_adds(&sb, run.output ? run.output : "");
	free(run.output);
	free(d->world_out[i]);
	d->world_out[i] = strbuf_detach(&sb);
	*output = d->world_out[i];
	*exit_code = run.exit_code;
	return 1;
}

/* ${NAME} in S's variables, or NULL (unset: the text stays as written). */
static char *
expand_or_null(const struct session *s, const char *text)
{
	struct err err;

	return strstr(text, "${") ? session_expand(s, text, &err) : NULL;
}

const char *
drill_output_for(struct session *s, struct step_rt *rt, const char *text)
{
	struct drill *d = drill_get(s);
	ssize_t i = rt - s->steps;
	char *v = text ? expand_or_null(s, text) : NULL;

	if (!v)
		return text;
	free(d->world_out[i]);
	d->world_out[i] = v;
	return v;
}

/* A step's state patch with ${NAME} in its names and strings expanded, so
 * what the step writes follows the values it ran with (a report file
 * named for the version rolled back). */
static void
expand_patch(const struct session *s, cJSON *node)
{
	cJSON *c;

	cJSON_ArrayForEach(c, node) {
		char *v = c->string ? expand_or_null(s, c->string) : NULL;

		if (v) {
			cJSON_free(c->string);
			c->string = cJSON_malloc(strlen(v) + 1);
			strcpy(c->string, v);
			free(v);
		}
		if (cJSON_IsString(c) && (v = expand_or_null(s, c->valuestring))) {
			cJSON_SetValuestring(c, v);
			free(v);
		}
		expand_patch(s, c);
	}
}

int
drill_world_patch(struct session *s, struct step_rt *rt, const char *actor,
		  struct err *err)
{
	struct drill *d = drill_get(s);
	cJSON *next = cJSON_Duplicate(d->state, 1);
	cJSON *patch = cJSON_Parse(rt->def->drill.state_json), *p;

	expand_patch(s, patch);
	world_resolve_times(patch, d->start_wall);
	merge_patch(next, patch);
	cJSON_Delete(patch);
	if (cJSON_Compare(next, d->state, 1)) {
		cJSON_Delete(next);
		return 0;
	}
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "by", rt->def->id);
	cJSON_AddItemToObject(p, "state", next);
	return session_record(s, actor, "drill.world", rt->def->id, p, err);
}

/* --- the game master's live controls -------------------------------------------------- */

static char *
inject_ids(const struct pb_scenario *sc)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < sc->n_injects; i++)
		strbuf_addf(&sb, "%s%s", i ? ", " : "", sc->injects[i].id);
	return strbuf_detach(&sb);
}

ssize_t
drill_find_inject(const struct pb_scenario *sc, const char *name,
		  struct err *err)
{
	struct strbuf sb = STRBUF_INIT;
	size_t len = strlen(name), n = 0;
	ssize_t found = -1;
	char *ids;

	for (size_t i = 0; i < sc->n_injects; i++)
		if (strcmp(sc->injects[i].id, name) == 0)
			return (ssize_t)i;
	for (size_t i = 0; len && i < sc->n_injects; i++) {
		if (strncmp(sc->injects[i].id, name, len) != 0)
			continue;
		strbuf_addf(&sb, "%s%s", n++ ? ", " : "", sc->injects[i].id);
		found = (ssize_t)i;
	}
	if (n == 1) {
		strbuf_done(&sb);
		return found;
	}
	if (n > 1)
		err_set(err, ERR_NOTFOUND, "inject %s: more than one of this "
			"drill's injections starts so (%s): give more of the "
			"name", name, strbuf_str(&sb));
	strbuf_done(&sb);
	if (n > 1)
		return -1;
	ids = inject_ids(sc);
	err_set(err, ERR_NOTFOUND, "inject %s: no injection %s in this drill's "
		"scenario (it has: %s)", name, name, ids);
	free(ids);
	return -1;
}

int
drill_act_inject(struct session *s, struct step_rt *rt, const struct action *a,
		 const char *actor, struct err *err)
{
	struct drill *d = s->drill;
	ssize_t i;
	cJSON *p;

	(void)rt;
	if (s->mode != SESSION_DRILL)
		return err_set(err, ERR_STATE, "inject %s: injections belong "
			       "to drills", a->name);
	if (!d || !d->sc || !d->sc->n_injects)
		return err_set(err, ERR_NOTFOUND, "inject %s: this drill's "
			       "scenario has no injections", a->name);
	i = drill_find_inject(d->sc, a->name, err);
	if (i < 0)
		return -1;
	if (d->fired[i])
		return err_set(err, ERR_STATE, "inject %s: it has fired "
			       "already", d->sc->injects[i].id);
	if (s->complete)
		return err_set(err, ERR_STATE, "inject %s: the drill is "
			       "complete", d->sc->injects[i].id);
	p = inject_payload(&d->sc->injects[i], d->start_wall);
	cJSON_AddStringToObject(p, "fired_by", "game master");
	return session_record(s, actor, "drill.inject", NULL, p, err);
}

/* --- pace and clone switches -------------------------------------------------------------- */

int
drill_is_paced(const struct session *s)
{
	return s->drill && s->drill->paced && s->loop;
}

const char *
drill_check_evidence(const struct session *s, const char *id)
{
	const struct step_rt *rt = session_find_step(s, id);

	const struct pb_scenario *sc;

	if (session_mode(s) != SESSION_DRILL || !rt ||
	    rt->def->kind != STEP_KIND_CHECK)
		return NULL;
	/* The scenario's world wins: what it shows for the check (a failed
	 * run in the list of runs) agrees with what its outcomes showed. */
	sc = s->scenario ? playbook_find_scenario(s->pb, s->scenario) : NULL;
	for (size_t i = 0; sc && i < sc->n_outcomes; i++)
		if (strcmp(sc->outcomes[i].step, id) == 0 &&
		    sc->outcomes[i].output)
			return sc->outcomes[i].output;
	/* What the briefing told the trainee counts as shown. */
	for (size_t i = 0; sc && sc->briefing && i < sc->n_briefing_shows; i++)
		if (strcmp(sc->briefing_shows[i], id) == 0)
			return sc->briefing;
	return rt->def->drill.present ? rt->def->drill.output : NULL;
}

/* The world's log that check ST reads (drill.log), or NULL when it reads
 * none or the world has no such log. */
static const cJSON *
check_log(const struct drill *d, const struct pb_step *st)
{
	const cJSON *logs;

	if (!d || st->kind != STEP_KIND_CHECK || !st->drill.log)
		return NULL;
	logs = cJSON_GetObjectItemCaseSensitive(d->state, "logs");
	logs = cJSON_GetObjectItemCaseSensitive(logs, st->drill.log);
	return cJSON_IsArray(logs) ? logs : NULL;
}

/* The world's answer of the endpoint check ST reads (drill.endpoint), as
 * "STATUS BODY" in D->answer, or NULL when it reads none or the world has
 * no such endpoint. */
static const char *
check_answer(struct drill *d, const struct pb_step *st)
{
	const cJSON *e, *status;
	const char *body;

	if (!d || st->kind != STEP_KIND_CHECK || !st->drill.endpoint)
		return NULL;
	e = cJSON_GetObjectItemCaseSensitive(d->state, "http");
	e = cJSON_GetObjectItemCaseSensitive(e, st->drill.endpoint);
	if (!e)
		return NULL;
	status = cJSON_GetObjectItemCaseSensitive(e, "status");
	body = cJSON_IsString(e) ? e->valuestring : cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(e, "body"));
	snprintf(d->answer, sizeof(d->answer), "%d%s%s",
		 cJSON_IsNumber(status) ? status->valueint : 200,
		 body ? " " : "", body ? body : "");
	return d->answer;
}

/* Template T of check ST's drill.registry in S's variables, or NULL when
 * one it names is not set. */
static char *
registry_text(const struct session *s, const char *t)
{
	struct err err;

	return session_expand(s, t, &err);
}

/* What the world's registry says against version V of package PKG that
 * check ST needs yanked (drill.registry.yanked) or no longer resolved
 * (resolves_not), into D->answer; 1 when it says nothing against it. */
static int
registry_says(struct drill *d, const struct pb_step *st, const char *pkg,
	      const char *v)
{
	char *got;
	int y;

	if (st->drill.yanked) {
		y = world_pip_is_yanked(d->state, pkg, v);
		snprintf(d->answer, sizeof(d->answer), "%s %s is %s", pkg, v,
			 y == 0 ? "not yanked" : "not on the index");
		return y == 1;
	}
	got = world_pip_would_resolve(d->state, pkg);
	snprintf(d->answer, sizeof(d->answer), "an unpinned install of %s "
		 "still resolves %s", pkg, v);
	y = !got || strcmp(got, v) != 0;
	free(got);
	return y;
}

/* Check ST judged by the world's registry (drill.registry): -1 it reads
 * none, the world has no such package or a variable it names is unset;
 * 1 the registry holds it; 0 it contradicts it (D->answer says how).
 * Looking changes nothing (a cached answer is not used up). */
static int
check_registry(const struct session *s, struct drill *d,
	       const struct pb_step *st)
{
	char *pkg, *v;
	int rc = -1;

	if (!d || st->kind != STEP_KIND_CHECK || !st->drill.registry)
		return -1;
	pkg = registry_text(s, st->drill.registry);
	v = registry_text(s, st->drill.yanked ? st->drill.yanked
			  : st->drill.resolves_not);
	if (pkg && v && cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(d->state, "registry"), pkg))
		rc = registry_says(d, st, pkg, v);
	free(pkg);
	free(v);
	return rc;
}

/* Whether the world has the evidence check ST reads (its log, its
 * endpoint or its registry package). */
static int
check_has_world(const struct session *s, struct drill *d,
		const struct pb_step *st)
{
	return check_log(d, st) || check_answer(d, st) ||
	       check_registry(s, d, st) >= 0;
}

/* The first line of check ST's log, or its endpoint's answer, that
 * contradicts it (matches drill.fails_on), or what its registry says
 * against it, or NULL; *LOG names the log, the endpoint or the package. */
static const char *
log_contradiction(const struct session *s, struct drill *d,
		  const struct pb_step *st, const char **log)
{
	const cJSON *lines = check_log(d, st), *l;
	const char *answer = check_answer(d, st);

	*log = st->drill.log ? st->drill.log : st->drill.endpoint
		? st->drill.endpoint : st->drill.registry;
	if (st->drill.registry)
		return check_registry(s, d, st) == 0 ? d->answer : NULL;
	if (answer)
		return regexec(&st->drill.fails_re, answer, 0, NULL, 0) == 0
			? answer : NULL;
	cJSON_ArrayForEach(l, lines)
		if (cJSON_IsString(l) &&
		    regexec(&st->drill.fails_re, l->valuestring, 0, NULL, 0) == 0)
			return l->valuestring;
	return NULL;
}

int
drill_check_world(const struct session *s, const char *id, const char **log,
		  const char **line)
{
	const struct step_rt *rt = session_find_step(s, id);

	*log = *line = NULL;
	if (session_mode(s) != SESSION_DRILL || !rt ||
	    !check_has_world(s, s->drill, rt->def))
		return -1;
	*line = log_contradiction(s, s->drill, rt->def, log);
	return *line ? 0 : 1;
}

int
drill_check_briefed(const struct session *s, const char *id)
{
	const struct pb_scenario *sc = s->scenario
		? playbook_find_scenario(s->pb, s->scenario) : NULL;
	const char *ev = drill_check_evidence(s, id);

	return ev && sc && ev == sc->briefing;
}

int
drill_unverifiable(const struct session *s, const char *id)
{
	const struct step_rt *rt = session_find_step(s, id);
	const char *log, *line;

	return session_mode(s) == SESSION_DRILL && rt &&
	       rt->def->kind == STEP_KIND_CHECK && !rt->def->follow_up &&
	       !drill_check_evidence(s, id) &&
	       drill_check_world(s, id, &log, &line) < 0;
}

int
drill_clone_allowed(const struct session *s)
{
	return s->mode == SESSION_DRILL && !(s->drill && s->drill->clone_off);
}

int
drill_world_has_repo(const struct session *s)
{
	const cJSON *t = s->mode == SESSION_DRILL && s->drill
		? cJSON_GetObjectItemCaseSensitive(s->drill->state, "tags")
		: NULL;

	return cJSON_IsArray(t) || cJSON_IsObject(t);
}

int
drill_clone_run(const struct session *s, const char *id, const char **why)
{
	const struct step_rt *rt = session_find_step(s, id);
	const struct clone_note *n;

	*why = NULL;
	if (!rt || !s->drill || s->mode != SESSION_DRILL || rt->n_runs == 0)
		return -1;
	n = &s->drill->notes[rt - s->steps];
	*why = n->why;
	return n->real;
}

/* The clone is made on the first opted-in run and never again in this
 * session: a failure is remembered, so every later step gives the same
 * reason without another attempt. */
static void
make_clone(struct session *s, struct drill *d)
{
	const char *src = s->pb->targets.git_path;

	d->clone_tried = 1;
	if (!src) {
		err_set(&d->clone_err, ERR_NOTFOUND, "the playbook has no git "
			"target to clone");
		return;
	}
	d->clone_dir = clone_make(src, &d->clone_err);
}

const char *
drill_clone_dir(struct session *s, struct err *err)
{
	struct drill *d = drill_get(s);

	if (!d->clone_tried)
		make_clone(s, d);
	if (d->clone_dir)
		return d->clone_dir;
	if (d->clone_err.code == ERR_NONE)
		err_set(&d->clone_err, ERR_STATE, "the drill's clone was "
			"removed when the drill completed");
	if (err)
		*err = d->clone_err;
	return NULL;
}

struct runner *
drill_runner(struct session *s, struct err *err)
{
	struct drill *d = drill_get(s);

	if (d->runner || !s->loop)
		return d->runner;
	d->runner = runner_new(s->loop, err);
	if (d->runner)
		runner_add_env_secrets(d->runner, environ);
	for (size_t i = 0; d->runner && i < s->pb->n_variables; i++)
		if (s->values[i] && s->pb->variables[i].secret)
			runner_add_secret(d->runner, s->values[i]);
	return d->runner;
}

/* --- the score card ------------------------------------------------------------------------ */

struct score {
	cJSON *card;
	cJSON *criteria;
	int total, max;
};

static cJSON *
criterion_item(struct score *sc, const char *name, const char *why)
{
	cJSON *c = cJSON_CreateObject();

	cJSON_AddStringToObject(c, "name", name);
	cJSON_AddStringToObject(c, "why", why);
	cJSON_AddItemToArray(sc->criteria, c);
	return c;
}

static void
award(struct score *sc, const char *name, int points, int max,
      const char *why)
{
	cJSON *c = criterion_item(sc, name, why);

	if (points < 0)
		points = 0;
	cJSON_AddNumberToObject(c, "points", points);
	cJSON_AddNumberToObject(c, "max", max);
	cJSON_AddBoolToObject(c, "applies", 1);
	sc->total += points;
	sc->max += max;
}

/* A criterion this drill gives no chance to meet: listed with the reason,
 * left out of the total, so no point is ever given for nothing. */
static void
leave_out(struct score *sc, const char *name, const char *why)
{
	cJSON *c = criterion_item(sc, name, why);

	cJSON_AddNullToObject(c, "points");
	cJSON_AddNullToObject(c, "max");
	cJSON_AddBoolToObject(c, "applies", 0);
}

static void
add_str_or_null(cJSON *o, const char *key, const char *value)
{
	if (value)
		cJSON_AddStringToObject(o, key, value);
	else
		cJSON_AddNullToObject(o, key);
}

static void
score_decision(const struct session *s, const struct drill *d,
	       struct score *sc)
{
	const struct pb_scenario *scen = d->sc;
	const struct step_rt *rt;
	cJSON *e;
	int followed;
	char why[512];

	if (!scen || !scen->expect_step) {
		leave_out(sc, "decision", "no expected decision");
		return;
	}
	rt = session_find_step(s, scen->expect_step);
	followed = rt && rt->option && strcmp(rt->option,
					       scen->expect_option) == 0;
	e = cJSON_AddObjectToObject(sc->card, "expected");
	cJSON_AddStringToObject(e, "step", scen->expect_step);
	cJSON_AddStringToObject(e, "option", scen->expect_option);
	add_str_or_null(e, "rationale", scen->expect_rationale);
	add_str_or_null(e, "chosen", rt ? rt->option : NULL);
	add_str_or_null(e, "reason", cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(d->reasons,
						 scen->expect_step)));
	cJSON_AddBoolToObject(e, "followed", followed);
	snprintf(why, sizeof(why), "chose %s%s",
		 rt && rt->option ? rt->option : "nothing",
		 followed ? "" : " (not the expected)");
	award(sc, "decision", followed ? 30 : 0, 30, why);
}

static const char *
lookup_var(const char *name, const void *arg)
{
	return session_var(arg, name);
}

static int64_t
end_wall(const struct session *s, const struct drill *d)
{
	return d->complete_wall ? d->complete_wall : clock_wall_now(s->clk);
}

/* The variables as the scenario's expected decision would have set them:
 * the RTO is judged against its target, so a wrong decision with a longer
 * target never makes the score easier. */
struct expected_vars {
	const struct session *s;
	const struct pb_scenario *sc;
	const struct pb_step *step;	/* the expected decision's step */
	const struct pb_option *opt;	/* the expected option, or NULL */
};

/* Variable NAME as option OPT of decide step ST sets it, or NULL. */
static const char *
option_sets(const struct pb_step *st, const struct pb_option *opt,
	    const char *name)
{
	if (st->variable && strcmp(st->variable, name) == 0)
		return opt->id;
	for (size_t i = 0; i < opt->n_sets; i++)
		if (strcmp(opt->sets[i].name, name) == 0)
			return opt->sets[i].value;
	return NULL;
}

/* Variable NAME as the expected decision, then the later choices the
 * scenario's world forces on its path (expect.then), set it, or NULL:
 * what the walk chose there never changes what the path requires. */
static const char *
expected_sets(const struct expected_vars *e, const char *name)
{
	const char *v = e->opt ? option_sets(e->step, e->opt, name) : NULL;

	for (size_t i = 0; !v && e->sc && i < e->sc->n_expect_then; i++) {
		const struct pb_step *st = playbook_find_step(
			e->s->pb, e->sc->expect_then[i].name, NULL, NULL);
		const struct pb_option *o = st ? playbook_find_option(
			st, e->sc->expect_then[i].value) : NULL;

		if (o)
			v = option_sets(st, o, name);
	}
	return v;
}

static const char *
lookup_expected_var(const char *name, const void *arg)
{
	const struct expected_vars *e = arg;
	const char *v = expected_sets(e, name);

	return v ? v : session_var(e->s, name);
}

static void
expected_option(const struct session *s, const struct drill *d,
		struct expected_vars *e)
{
	const struct pb_step *st = d->sc && d->sc->expect_step
		? playbook_find_step(s->pb, d->sc->expect_step, NULL, NULL)
		: NULL;

	e->s = s;
	e->sc = d->sc;
	e->step = st;
	e->opt = NULL;
	for (size_t i = 0; st && i < st->n_options; i++)
		if (strcmp(st->options[i].id, d->sc->expect_option) == 0)
			e->opt = &st->options[i];
}

static int phase_na(const struct session *s, enum phase_id phase,
		    unsigned kinds, cJSON *arr, int *n_required);
static void list_steps(const cJSON *arr, char *buf, size_t size);

/* Steps of S that prove the recovery (playbook_step_proof, the report's
 * rule too) and apply, left unproven: marked n/a into NA, verifications
 * that failed into FAILED (each {step}); returns how many in all. */
static int
unproven_steps(const struct session *s, cJSON *na, cJSON *failed)
{
	int n = 0;

	for (size_t i = 0; i < s->n_steps; i++) {
		const struct step_rt *rt = &s->steps[i];
		enum pb_proof p = playbook_step_proof(s->pb, s->scenario,
						      rt->phase, rt->def);
		cJSON *o, *arr = rt->state == STEP_NA ? na
			: rt->state == STEP_FAILED && p == PB_PROOF_VERIFIED
			? failed : NULL;

		if (p == PB_PROOF_NONE || !arr ||
		    !session_step_active(s, rt) ||
		    drill_unverifiable(s, rt->def->id))
			continue;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "step", rt->def->id);
		cJSON_AddItemToArray(arr, o);
		n++;
	}
	return n;
}

/* A recovery never proven (a required verification marked n/a or failed,
 * or a required rollback step of the execute phase marked n/a: the
 * rollback was never done) is never within its target: WHY says so, as
 * the report's RTO does. */
static int
unproven_recovery(const struct session *s, char *why, size_t size)
{
	cJSON *na = cJSON_CreateArray(), *failed = cJSON_CreateArray();
	int n = unproven_steps(s, na, failed);
	int n_na = cJSON_GetArraySize(na), n_failed = n - n_na;
	char steps[256], more[256];

	steps[0] = more[0] = '\0';
	if (n_na)
		list_steps(na, steps, sizeof(steps));
	if (n_failed)
		list_steps(failed, more, sizeof(more));
	cJSON_Delete(na);
	cJSON_Delete(failed);
	if (!n)
		return 0;
	snprintf(why, size, "the recovery was never proven (%s%s%s%s%s)",
		 steps, n_na ? " marked n/a" : "",
		 n_na && n_failed ? "; " : "", more,
		 n_failed ? " failed" : "");
	return 1;
}

/* The recovery time, counted as the report counts a drill's
 * (rtoclock.h): from the start to the end of the verify phase, else to
 * the end; *TO says which. The times a trainee types (DETECTED_AT,
 * ROLLED_BACK_AT) belong to the story, not to the drill's clock. */
static int64_t
recovery_time(const struct session *s, const struct drill *d,
	      const char **to)
{
	int64_t end = recovery_end(s, d, to);

	if (!end)	/* still running: to now, as the header counts */
		end = rtoclock_end(NULL, 0, end_wall(s, d), to);
	return end - rtoclock_start(NULL, d->start_wall, NULL);
}

static int64_t scenario_rto(const struct session *s, const struct drill *d,
			    const struct expected_vars *ev);

static void
score_rto(const struct session *s, const struct drill *d, struct score *sc)
{
	int64_t total = end_wall(s, d) - d->start_wall;
	const char *to;
	int64_t took = recovery_time(s, d, &to);
	struct expected_vars ev;
	int64_t chosen = playbook_rto_within(s->pb, lookup_var, s);
	int64_t rto;
	char why[256];

	expected_option(s, d, &ev);
	rto = ev.opt ? scenario_rto(s, d, &ev) : chosen;

	cJSON_AddNumberToObject(sc->card, "total_seconds",
				(double)(total / 1000000));
	if (!rto) {
		cJSON_AddNullToObject(sc->card, "rto_seconds");
		leave_out(sc, "rto", "no target");
		return;
	}
	cJSON_AddNumberToObject(sc->card, "rto_seconds",
				(double)(rto / 1000000));
	if (ev.opt && !s->pb->rto.drill_us) {	/* else the scenario's */
		cJSON_AddStringToObject(sc->card, "rto_of", ev.opt->id);
		cJSON_AddNumberToObject(sc->card, "rto_chosen_seconds",
					(double)(chosen / 1000000));
	}
	cJSON_AddNumberToObject(sc->card, "recovery_seconds",
				(double)(took / 1000000));
	cJSON_AddStringToObject(sc->card, "recovery_to", to);
	if (s->pb->rto.drill_us)
		snprintf(why, sizeof(why), "%lld s (to %s) of %lld s, the "
			 "scenario's target%s%s", (long long)(took / 1000000),
			 to, (long long)(rto / 1000000),
			 s->pb->rto.drill_label ? ": " : "",
			 s->pb->rto.drill_label ? s->pb->rto.drill_label : "");
	else if (ev.opt && chosen != rto)
		snprintf(why, sizeof(why), "%lld s (to %s) of %lld s, the "
			 "target of the expected decision %s (the decision "
			 "taken allows %lld s)", (long long)(took / 1000000),
			 to, (long long)(rto / 1000000), ev.opt->id,
			 (long long)(chosen / 1000000));
	else if (ev.opt)
		snprintf(why, sizeof(why), "%lld s (to %s) of %lld s, the "
			 "target of the expected decision %s",
			 (long long)(took / 1000000), to,
			 (long long)(rto / 1000000), ev.opt->id);
	else
		snprintf(why, sizeof(why), "%lld s (to %s) of %lld s",
			 (long long)(took / 1000000), to,
			 (long long)(rto / 1000000));
	if (unproven_recovery(s, why, sizeof(why))) {
		cJSON_AddFalseToObject(sc->card, "within_rto");
		award(sc, "rto", 0, 20, why);
		return;
	}
	cJSON_AddBoolToObject(sc->card, "within_rto", took <= rto);
	award(sc, "rto", took <= rto ? 20 : 0, 20, why);
}

/* Phase P's time in D (so far, or in all once it ended; 0 before it
 * started) and its target: what the score card and the console's phase
 * rail both read. */
static int
phase_time(const struct session *s, const struct drill *d, int p,
	   int64_t *took_us, int64_t *target_us)
{
	int64_t end = d->phase_end[p] ? d->phase_end[p] : end_wall(s, d);

	*target_us = s->pb->rto.phase_us[p];
	*took_us = d->phase_start[p] ? end - d->phase_start[p] : 0;
	if (*took_us < 0)
		*took_us = 0;
	return d->phase_start[p] ? 0 : -1;
}

int
drill_phase_time(const struct session *s, int phase, int64_t now_us,
		 int64_t *took_us, int64_t *target_us)
{
	const struct drill *d = s->drill;

	*took_us = *target_us = 0;
	if (s->mode != SESSION_DRILL || !d || phase < 0 ||
	    phase >= PHASE_COUNT)
		return -1;
	if (!now_us || d->phase_end[phase] || d->complete_wall)
		return phase_time(s, d, phase, took_us, target_us);
	*target_us = s->pb->rto.phase_us[phase];
	if (!d->phase_start[phase])
		return -1;
	*took_us = now_us > d->phase_start[phase]
		   ? now_us - d->phase_start[phase] : 0;
	return 0;
}

static const char *na_charged_in(const struct step_rt *rt);

/* The first required step of PHASE that applies, that the drill can
 * judge and that was marked n/a (not one the scenario makes fail on every
 * run), or NULL: a phase's time counts only when its work was done. One
 * that its phase's criterion charges (na_charged_in) costs there, once:
 * with CHARGED, it goes into *CHARGED instead (the first such). */
static const char *
phase_first_na(const struct session *s, int phase,
	       const struct step_rt **charged)
{
	for (size_t i = 0; i < s->n_steps; i++) {
		const struct step_rt *rt = &s->steps[i];

		if ((int)rt->phase != phase || !rt->def->required ||
		    rt->state != STEP_NA || !session_step_active(s, rt) ||
		    drill_unverifiable(s, rt->def->id) ||
		    playbook_outcome_always_fails(s->pb, s->scenario,
						  rt->def))
			continue;
		if (!charged || !na_charged_in(rt))
			return rt->def->id;
		if (!*charged)
			*charged = rt;
	}
	return NULL;
}

/* Say in phase entry O that its step RT marked n/a is charged under its
 * phase's criterion, not here. */
static int
add_charged(cJSON *o, const struct step_rt *rt)
{
	char *text = xasprintf("%s marked n/a, charged under %s",
			       rt->def->id, na_charged_in(rt));

	cJSON_AddStringToObject(o, "na_charged", text);
	free(text);
	return 1;
}

static void
score_phases(const struct session *s, const struct drill *d,
	     struct score *sc)
{
	cJSON *arr = cJSON_AddArrayToObject(sc->card, "phases");
	int targets = 0, met = 0, n_charged = 0;
	char why[128];

	for (int p = 0; p < PHASE_COUNT; p++) {
		int64_t target, took;
		cJSON *o = cJSON_CreateObject();

		const struct step_rt *charged = NULL;
		const char *na = NULL;
		int within, done;

		phase_time(s, d, p, &took, &target);
		within = took <= target;
		done = d->phase_start[p] && d->phase_end[p] &&
		       !(na = phase_first_na(s, p, &charged));

		cJSON_AddStringToObject(o, "phase", playbook_phase_name(p));
		cJSON_AddNumberToObject(o, "seconds", (double)(took / 1000000));
		if (target) {
			cJSON_AddNumberToObject(o, "target_seconds",
						(double)(target / 1000000));
			cJSON_AddBoolToObject(o, "within", within);
			if (!done)	/* fast by leaving its work undone */
				add_str_or_null(o, "not_done", na ? na
						: "the phase was not finished");
			else if (charged)	/* costs once, there */
				n_charged += add_charged(o, charged);
			targets++;
			met += within && done;
		}
		cJSON_AddItemToArray(arr, o);
	}
	if (!targets) {
		leave_out(sc, "phases", "no targets");
		return;
	}
	snprintf(why, sizeof(why), "%d of %d met with their work done%s",
		 met, targets, n_charged ? " (a step marked n/a is charged "
		 "under its phase's criterion, not here)" : "");
	award(sc, "phases", 10 * met / targets, 10, why);
}

#define KIND(k) (1u << STEP_KIND_##k)
/* Steps that check or do something (a run, probe, checklist item or
 * message). */
#define CHECKING_KINDS \
	(KIND(RUN) | KIND(PROBE) | KIND(CHECK) | KIND(MESSAGE))

/* Required steps of PHASE that apply and are of KINDS (a KIND() mask),
 * into *N; those marked n/a are listed in ARR (step, reason) and
 * returned. */
static int
phase_na(const struct session *s, enum phase_id phase, unsigned kinds,
	 cJSON *arr, int *n)
{
	int n_na = 0;

	*n = 0;
	for (size_t i = 0; i < s->n_steps; i++) {
		const struct step_rt *rt = &s->steps[i];
		cJSON *o;

		if (rt->phase != phase || !rt->def->required ||
		    !(kinds & (1u << rt->def->kind)) ||
		    !session_step_active(s, rt) ||
		    drill_unverifiable(s, rt->def->id) ||
		    (phase == PHASE_EXECUTE &&
		     playbook_outcome_always_fails(s->pb, s->scenario,
						   rt->def)))
			continue;
		(*n)++;
		if (rt->state != STEP_NA)
			continue;
		n_na++;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "step", rt->def->id);
		cJSON_AddStringToObject(o, "reason", rt->na_reason
					? rt->na_reason : "");
		/* it ran, failed, and was then waved away */
		if (rt->reason)
			cJSON_AddStringToObject(o, "failed_first", rt->reason);
		cJSON_AddItemToArray(arr, o);
	}
	return n_na;
}

/* The verifications of ARR that failed and were then marked n/a, named
 * after WHY: "; failed, then marked n/a: verify.monitor". */
static void
add_waved_why(const cJSON *arr, char *why, size_t size)
{
	const cJSON *o;
	size_t len = strlen(why);
	int first = 1;

	cJSON_ArrayForEach(o, arr) {
		const char *step = cJSON_GetStringValue(
			cJSON_GetObjectItem(o, "step"));

		if (!step || !cJSON_GetObjectItem(o, "failed_first"))
			continue;
		snprintf(why + len, size - len, "%s%s", first
			 ? "; failed, then marked n/a: " : ", ", step);
		len = strlen(why);
		first = 0;
	}
}

/* Checks of any phase that apply and that nothing in the drill's world
 * shows: listed (ticked on faith, or left open), never scored. */
static void
add_unverifiable(const struct session *s, struct score *sc)
{
	cJSON *arr = cJSON_AddArrayToObject(sc->card, "unverifiable");

	for (size_t i = 0; i < s->n_steps; i++) {
		const struct step_rt *rt = &s->steps[i];
		cJSON *o;

		if (!session_step_active(s, rt) ||
		    !drill_unverifiable(s, rt->def->id))
			continue;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "step", rt->def->id);
		cJSON_AddStringToObject(o, "reason", rt->state == STEP_DONE
					? "ticked on faith: nothing in the drill "
					  "showed it"
					: "nothing in the drill shows it");
		cJSON_AddItemToArray(arr, o);
	}
}

static void add_spaced(struct strbuf *sb, const char *text);
static int phase_wrong_path(const struct session *s, const struct drill *d,
			    enum phase_id phase, unsigned kinds, cJSON *arr);
static void add_wrong_path_why(const struct session *s,
			       const struct drill *d, const cJSON *arr,
			       int n_wrong, int n, char *why, size_t size);

/* Checks that apply and read the world's log, into *N; those ticked while
 * the log contradicted them (a false all-clear) into ARR with the line
 * the trainee should have seen, and in words into WHY; how many. */
static int
false_all_clears(const struct session *s, cJSON *arr, struct strbuf *why,
		 int *n)
{
	int n_false = 0;

	*n = 0;
	for (size_t i = 0; i < s->n_steps; i++) {
		const struct step_rt *rt = &s->steps[i];
		const char *line = s->drill->false_clear[i];
		cJSON *o;

		const struct pb_drill *dr = &rt->def->drill;
		const char *src = dr->log ? dr->log : dr->endpoint
			? dr->endpoint : dr->registry;

		if (rt->def->kind != STEP_KIND_CHECK || !src ||
		    !session_step_active(s, rt))
			continue;
		(*n)++;
		if (!line || rt->state != STEP_DONE)
			continue;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "step", rt->def->id);
		if (dr->registry) {
			char *pkg = registry_text(s, dr->registry);

			cJSON_AddStringToObject(o, "registry", pkg ? pkg : src);
			free(pkg);
		} else {
			cJSON_AddStringToObject(o, dr->log ? "log"
						: "endpoint", src);
		}
		cJSON_AddStringToObject(o, "line", line);
		cJSON_AddItemToArray(arr, o);
		strbuf_addf(why, dr->log
			    ? "%s%s ticked while the %s log showed \""
			    : dr->endpoint
			    ? "%s%s ticked while the endpoint %s answered \""
			    : "%s%s ticked while the registry said \"",
			    n_false ? "; " : "", rt->def->id, src);
		add_spaced(why, line);
		strbuf_adds(why, "\"");
		n_false++;
	}
	return n_false;
}

/* All-clears: a check the world's log judges (drill.log) ticked while
 * the log contradicted it costs its share; no row when no such check
 * applies. */
static int counts_in(const struct session *s, const struct step_rt *rt,
		     const char *name);

static void
score_all_clears(const struct session *s, struct score *sc)
{
	cJSON *arr = cJSON_AddArrayToObject(sc->card, "false_all_clears");
	struct strbuf why = STRBUF_INIT;
	int n, n_false = false_all_clears(s, arr, &why, &n);

	if (!n) {	/* not even a row: most playbooks have none */
		for (size_t i = 0; i < s->n_steps; i++)
			if (counts_in(s, &s->steps[i], "all-clears") == 1) {
				/* one a path has: the path decides */
				leave_out(sc, "all-clears", "none applies");
				break;
			}
		strbuf_done(&why);
		return;
	}
	if (!n_false)
		strbuf_addf(&why, "none of %d check(s) the world's logs, "
			    "endpoints and registry judge ticked against "
			    "them", n);
	award(sc, "all-clears", 10 - 10 * n_false / n, 10, strbuf_str(&why));
	strbuf_done(&why);
}

/* Verifications: a required run or probe of the verify phase marked n/a
 * leaves the recovery unproven. */
static void
score_verifications(const struct session *s, const struct drill *d,
		    struct score *sc)
{
	cJSON *arr = cJSON_AddArrayToObject(sc->card, "unverified");
	cJSON *wrong = cJSON_AddArrayToObject(sc->card, "wrong_path_verified");
	unsigned kinds = KIND(RUN) | KIND(PROBE) | KIND(WAIT) | KIND(CHECK);
	int n, n_na = phase_na(s, PHASE_VERIFY, kinds, arr, &n);
	int n_wrong = phase_wrong_path(s, d, PHASE_VERIFY, kinds, wrong);
	char why[512];

	add_unverifiable(s, sc);
	if (!n) {
		leave_out(sc, "verifications", "none required");
		return;
	}
	snprintf(why, sizeof(why), "%d of %d marked n/a", n_na, n);
	add_waved_why(arr, why, sizeof(why));
	if (n_wrong)
		add_wrong_path_why(s, d, wrong, n_wrong, n, why, sizeof(why));
	award(sc, "verifications", 20 - 20 * (n_na + n_wrong) / n -
	      (n_na ? 5 : 0), 20, why);
}

/* The rollback itself: a required run step of the execute phase marked
 * n/a (not by a condition) was never done, whatever the trainee did by
 * hand; it costs, and is listed. */
/* Whether RT would apply after the expected decision: its condition
 * names the expected decision's variable and holds, or waits only on
 * variables the decision taken left unset (a later choice of the
 * expected path, such as the rollback's scope). */
static int
expected_applies(const struct step_rt *rt, const struct expected_vars *ev)
{
	const struct pb_when *w = &rt->def->when;
	int on_decision = 0;

	for (size_t i = 0; i < w->n_conds; i++)
		on_decision |= ev->step->variable &&
			       strcmp(w->conds[i].var, ev->step->variable) == 0;
	return on_decision &&
	       (playbook_when_holds(w, lookup_expected_var, ev) ||
		playbook_when_waiting_on(w, lookup_expected_var, ev) != NULL);
}

/* The expected decision's path, looked at DEPTH steps back: a variable
 * is as that decision sets it, else as given only when a step that sets
 * it (an input or decide step) can apply on that path; a value the wrong
 * path alone gave (its later choices) is unset there. */
struct expected_path {
	const struct session *s;
	const struct expected_vars *ev;
	int depth;
};

static int path_has(const struct expected_path *p, const struct pb_when *w);

static const char *
lookup_on_path(const char *name, const void *arg)
{
	const struct expected_path *p = arg;
	const struct expected_vars *ev = p->ev;
	struct expected_path back = { p->s, ev, p->depth - 1 };
	const char *v = expected_sets(ev, name);
	int setters = 0;

	if (v)
		return v;
	if (p->depth <= 0)
		return session_var(p->s, name);
	for (size_t i = 0; i < p->s->n_steps; i++) {
		const struct pb_step *st = p->s->steps[i].def;

		if (!st->variable || strcmp(st->variable, name) != 0)
			continue;
		setters++;
		if (path_has(&back, &st->when))
			return session_var(p->s, name);
	}
	return setters ? NULL : session_var(p->s, name);
}

/* Whether a step with condition W can apply on the expected decision's
 * path: W holds there, or still waits on a later choice of it. */
static int
path_has(const struct expected_path *p, const struct pb_when *w)
{
	return playbook_when_holds(w, lookup_on_path, p) ||
	       playbook_when_waiting_on(w, lookup_on_path, p) != NULL;
}

static int
expected_path_has(const struct session *s, const struct expected_vars *ev,
		  const struct pb_when *w, int depth)
{
	struct expected_path p = { s, ev, depth };

	return path_has(&p, w);
}

/* Whether RT, which applies, belongs to the path of a wrong decision:
 * the scenario's expected decision was not followed, and on its path RT
 * would not apply (expected_path_has). */
static int
on_wrong_path(const struct session *s, const struct drill *d,
	      const struct step_rt *rt)
{
	struct expected_vars ev;
	const struct step_rt *dec;

	expected_option(s, d, &ev);
	if (!ev.opt)
		return 0;
	dec = session_find_step(s, d->sc->expect_step);
	if (!dec || !dec->option || strcmp(dec->option, ev.opt->id) == 0)
		return 0;
	return !expected_path_has(s, &ev, &rt->def->when, 4);
}

/* The required steps of PHASE of KINDS (a KIND() mask) that apply, count
 * in its criterion (not the drill's unverifiable checks) and belong to the
 * path of a wrong decision, into ARR; how many. */
static int
phase_wrong_path(const struct session *s, const struct drill *d,
		 enum phase_id phase, unsigned kinds, cJSON *arr)
{
	int n = 0;

	for (size_t i = 0; i < s->n_steps; i++) {
		const struct step_rt *rt = &s->steps[i];
		cJSON *o;

		if (rt->phase != phase || !rt->def->required ||
		    !(kinds & (1u << rt->def->kind)) ||
		    !session_step_active(s, rt) || rt->state == STEP_NA ||
		    drill_unverifiable(s, rt->def->id) ||
		    (phase == PHASE_EXECUTE &&
		     playbook_outcome_always_fails(s->pb, s->scenario,
						   rt->def)) ||
		    !on_wrong_path(s, d, rt))
			continue;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "step", rt->def->id);
		cJSON_AddItemToArray(arr, o);
		n++;
	}
	return n;
}

/* ", and N of M on the path of the decision taken (X), not the expected
 * Y: a, b" after WHY (of SIZE), from ARR. */
static void
add_wrong_path_why(const struct session *s, const struct drill *d,
		   const cJSON *arr, int n_wrong, int n, char *why,
		   size_t size)
{
	const struct step_rt *dec = session_find_step(s, d->sc->expect_step);
	size_t len = strlen(why);
	char list[256];

	list_steps(arr, list, sizeof(list));
	snprintf(why + len, size - len, "; %d of %d done on the path of the "
		 "decision taken (%s), not the expected %s, so not counted: %s",
		 n_wrong, n, dec && dec->option ? dec->option : "?",
		 d->sc->expect_option, list);
}

/* The decide step whose choice sets the variable RT's condition still
 * waits on along the expected path (a route, such as FIX_ROUTE), when no
 * value was ever given to it; NULL otherwise. */
static const struct pb_step *
unmade_route(const struct session *s, const struct step_rt *rt,
	     const struct expected_vars *ev)
{
	const struct pb_cond *c = playbook_when_waiting_on(
		&rt->def->when, lookup_expected_var, ev);

	if (!c || playbook_when_holds(&rt->def->when, lookup_expected_var, ev))
		return NULL;
	for (size_t i = 0; i < s->n_steps; i++) {
		const struct pb_step *st = s->steps[i].def;

		if (st->kind == STEP_KIND_DECIDE && st->variable &&
		    strcmp(st->variable, c->var) == 0)
			return st;
	}
	return NULL;
}

/* Add decision ST, never made, to ARR once: its routes' steps are owed
 * as one missing decision, not each route's steps (a walk runs one
 * route); 1 when it was added. */
static int
add_unmade(cJSON *arr, const struct pb_step *st)
{
	struct strbuf sb = STRBUF_INIT;
	const cJSON *o;
	cJSON *item;

	cJSON_ArrayForEach(o, arr)
		if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
				   o, "step")), st->id) == 0)
			return 0;
	strbuf_adds(&sb, "the decision missing: never chosen (");
	for (size_t i = 0; i < st->n_options; i++)
		strbuf_addf(&sb, "%s%s", i ? (i + 1 == st->n_options ? " or "
					      : ", ") : "",
			    st->options[i].id);
	strbuf_adds(&sb, "), so no route's steps ran");
	item = cJSON_CreateObject();
	cJSON_AddStringToObject(item, "step", st->id);
	cJSON_AddStringToObject(item, "reason", strbuf_str(&sb));
	cJSON_AddTrueToObject(item, "decision");
	cJSON_AddItemToArray(arr, item);
	strbuf_done(&sb);
	return 1;
}

/* The required run steps of the execute phase that the scenario's
 * expected decision would have run but the decision taken left out, into
 * ARR; how many. Steps waiting on a route decision that was never made
 * count as that one decision missing (add_unmade). */
static int
expected_execution(const struct session *s, const struct drill *d,
		   cJSON *arr)
{
	struct expected_vars ev;
	int n = 0;

	expected_option(s, d, &ev);
	for (size_t i = 0; ev.opt && i < s->n_steps; i++) {
		const struct step_rt *rt = &s->steps[i];
		const struct pb_step *route;
		cJSON *o;

		if (rt->phase != PHASE_EXECUTE || !rt->def->required ||
		    rt->def->kind != STEP_KIND_RUN ||
		    session_step_active(s, rt) ||
		    !expected_applies(rt, &ev) ||
		    playbook_outcome_always_fails(s->pb, s->scenario, rt->def))
			continue;
		if ((route = unmade_route(s, rt, &ev))) {
			n += add_unmade(arr, route);
			continue;
		}
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "step", rt->def->id);
		cJSON_AddStringToObject(o, "reason", "the decision taken left "
					"it out");
		cJSON_AddItemToArray(arr, o);
		n++;
	}
	return n;
}

/* No execute step applied: left out when the scenario expects none
 * either; else the decision taken skipped the rollback, and that costs
 * the criterion, naming what the expected decision runs. */
static void
score_no_execution(const struct session *s, const struct drill *d,
		   struct score *sc, cJSON *arr)
{
	int n = expected_execution(s, d, arr);
	struct expected_vars ev;
	const char *chosen;
	char why[384], list[256];

	if (!n) {
		leave_out(sc, "execution", "no required execute step to run");
		return;
	}
	expected_option(s, d, &ev);
	chosen = ev.step->variable ? session_var(s, ev.step->variable) : NULL;
	list_steps(arr, list, sizeof(list));
	snprintf(why, sizeof(why), "no rollback step ran: the decision taken "
		 "(%s) left out %d required execute step%s that the expected "
		 "decision %s runs: %s", chosen ? chosen : "another", n,
		 n == 1 ? "" : "s", ev.opt->id, list);
	award(sc, "execution", 0, 10, why);
}

/* Say in WHY, of SIZE, what the expected path needed and the walk left
 * out (LEFT, from expected_execution): the steps never run, and a route
 * decision never made, in words; each goes into ARR, the card's list. */
static void
add_left_why(const cJSON *left, cJSON *arr, char *why, size_t size)
{
	cJSON *steps = cJSON_CreateArray();
	const cJSON *o;
	size_t len;
	char list[256];

	cJSON_ArrayForEach(o, left) {
		cJSON_AddItemToArray(arr, cJSON_Duplicate(o, 1));
		if (!cJSON_GetObjectItemCaseSensitive(o, "decision"))
			cJSON_AddItemToArray(steps, cJSON_Duplicate(o, 1));
	}
	if (cJSON_GetArraySize(steps)) {
		len = strlen(why);
		list_steps(steps, list, sizeof(list));
		snprintf(why + len, size - len, "; never run, though the "
			 "scenario's path needs them: %s", list);
	}
	cJSON_Delete(steps);
	cJSON_ArrayForEach(o, left) {
		if (!cJSON_GetObjectItemCaseSensitive(o, "decision"))
			continue;
		len = strlen(why);
		snprintf(why + len, size - len, "; %s: %s",
			 cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
				 o, "step")),
			 cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
				 o, "reason")));
	}
}

/* The run steps of PHASE that ran and stand (done or failed), by id, into ARR: what a
 * heading about the ones marked n/a must not deny. */
static void
phase_ran(const struct session *s, enum phase_id phase, cJSON *arr)
{
	for (size_t i = 0; i < s->n_steps; i++) {
		const struct step_rt *rt = &s->steps[i];

		if (rt->phase == phase && rt->def->kind == STEP_KIND_RUN &&
		    rt->n_runs > 0 && rt->state != STEP_NA)
			cJSON_AddItemToArray(arr,
					     cJSON_CreateString(rt->def->id));
	}
}

static void
score_execution(const struct session *s, const struct drill *d,
		struct score *sc)
{
	cJSON *arr = cJSON_AddArrayToObject(sc->card, "unexecuted");
	cJSON *wrong = cJSON_AddArrayToObject(sc->card, "wrong_path_executed");
	cJSON *left = cJSON_CreateArray();
	int n, n_na = phase_na(s, PHASE_EXECUTE, KIND(RUN), arr, &n);
	int n_wrong = phase_wrong_path(s, d, PHASE_EXECUTE, KIND(RUN), wrong);
	int n_left, n_unmade = 0;
	const cJSON *o;
	char why[1024], list[256];

	phase_ran(s, PHASE_EXECUTE, cJSON_AddArrayToObject(sc->card,
							   "executed"));
	if (!n) {
		cJSON_Delete(left);
		score_no_execution(s, d, sc, arr);
		return;
	}
	/* what the expected path runs and a later choice of the walk left
	 * out (a workflow run taken as done that the world made fail) */
	n_left = expected_execution(s, d, left);
	cJSON_ArrayForEach(o, left)
		n_unmade += cJSON_GetObjectItemCaseSensitive(o, "decision") != NULL;
	list_steps(arr, list, sizeof(list));
	if (n_na)
		snprintf(why, sizeof(why), "%d of %d required execute steps "
			 "marked n/a instead of run: %s", n_na,
			 n + n_left - n_unmade, list);
	else if (n_left > n_unmade)
		snprintf(why, sizeof(why), "%d of %d required execute steps "
			 "run", n, n + n_left - n_unmade);
	else if (n_left)	/* the rest waits on the decision missing */
		snprintf(why, sizeof(why), "%d required execute step%s run",
			 n, n == 1 ? "" : "s");
	else
		snprintf(why, sizeof(why), "all %d required execute steps run",
			 n);
	if (n_left)
		add_left_why(left, arr, why, sizeof(why));
	cJSON_Delete(left);
	if (n_wrong)
		add_wrong_path_why(s, d, wrong, n_wrong, n, why, sizeof(why));
	award(sc, "execution", 10 - 10 * (n_na + n_wrong + n_left) /
	      (n + n_left) - (n_na || n_left ? 5 : 0), 10, why);
}

/* Whether RT is a restore step: a run step of the execute phase whose
 * command names the restore target NAME (a test of a candidate in the
 * decide phase names it too, and restores nothing). */
static int
is_restore_step(const struct step_rt *rt, const char *name)
{
	return rt->phase == PHASE_EXECUTE && rt->def->kind == STEP_KIND_RUN &&
	       rt->def->run && playbook_text_refs(rt->def->run, name);
}

/* The restore step that ran to success, else one that applies (NULL when
 * none does): the restore was carried out, or was the walk's to do. */
static const struct step_rt *
restore_step(const struct session *s, const char *name, int *done)
{
	const struct step_rt *open = NULL;

	*done = 0;
	for (size_t i = 0; i < s->n_steps; i++) {
		const struct step_rt *rt = &s->steps[i];

		if (!is_restore_step(rt, name) || !session_step_active(s, rt))
			continue;
		if (rt->state == STEP_DONE) {
			*done = 1;
			return rt;
		}
		if (!open)
			open = rt;
	}
	return open;
}

/* Whether the drill's world serves VERSION now: 1 a dist-tag of a package
 * of its registry points at it that did not at the drill's start, 0 none
 * does (WHERE, of SIZE, says what the tags serve instead), -1 the world
 * has no dist-tag to judge by (then the restore step judges). */
static int
restored_in_world(const struct session *s, const struct drill *d,
		  const char *version, char *where, size_t size)
{
	cJSON *start = drill_world_start(s->pb, d->sc, d->start_wall);
	const cJSON *pkg;
	int judged = 0, served = 0;
	size_t len = 0;

	where[0] = '\0';
	cJSON_ArrayForEach(pkg, cJSON_GetObjectItemCaseSensitive(d->state,
								 "registry")) {
		const cJSON *tags = cJSON_GetObjectItemCaseSensitive(
			pkg, "dist-tags");
		const cJSON *was = cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(
				cJSON_GetObjectItemCaseSensitive(start,
								 "registry"),
				pkg->string), "dist-tags");
		const cJSON *t;

		cJSON_ArrayForEach(t, tags) {
			const char *now = cJSON_GetStringValue(t);
			const char *before = cJSON_GetStringValue(
				cJSON_GetObjectItemCaseSensitive(was,
								 t->string));

			judged = 1;
			if (!now)
				continue;
			if (strcmp(now, version) == 0 &&
			    (!before || strcmp(before, version) != 0)) {
				served = 1;
				snprintf(where, size, "%s of %s serves it",
					 t->string, pkg->string);
				break;
			}
			if (len + 1 < size)
				len += (size_t)snprintf(where + len, size - len,
					"%s%s %s", len ? ", " : "",
					t->string, now);
		}
		if (served)
			break;
	}
	cJSON_Delete(start);
	return served ? 1 : judged ? 0 : -1;
}

/* The restore target, judged by what the drill's world serves (a channel
 * moved to the version), else by the restore step done (a checkout of the
 * tag), never by the variable's value alone: a restore never carried out
 * scores 0, naming what the world still serves. A pre-release put in place
 * of a release (a beta on latest) is a wrong restore value that weighs
 * more than one wrong answer, whatever the decision was (when it was not
 * to roll back, the decision criterion already scores the rollback
 * itself). Left out when no restore step applies. */
static void
score_restore(const struct session *s, const struct drill *d,
	      struct score *sc)
{
	const char *to = s->pb->header.to;
	const char *version = to ? session_var(s, to) : NULL;
	const struct step_rt *step;
	struct semver v;
	char why[512], where[256];
	int done, world;

	if (!to)
		return;		/* the playbook names no restore target */
	step = restore_step(s, to, &done);
	if (!step || !version || !*version) {
		leave_out(sc, "restore", "nothing restored");
		return;
	}
	world = restored_in_world(s, d, version, where, sizeof(where));
	if (world == 0 || (world < 0 && !done)) {
		if (world == 0)
			snprintf(why, sizeof(why), "%s (%s) never restored: "
				 "no dist-tag of the drill's world moved to it "
				 "(%s)", version, to, where);
		else
			snprintf(why, sizeof(why), "%s (%s) never restored: "
				 "%s was not done", version, to, step->def->id);
		award(sc, "restore", 0, 10, why);
		return;
	}
	if (semver_parse(version, &v) && v.pre) {
		snprintf(why, sizeof(why), "restored pre-release %s (%s): a "
			 "pre-release in place of a release", version, to);
		cJSON_AddStringToObject(sc->card, "prerelease_restored",
					version);
		award(sc, "restore", 0, 10, why);
		return;
	}
	if (world > 0)
		snprintf(why, sizeof(why), "restored %s (%s), a release: %s",
			 version, to, where);
	else
		snprintf(why, sizeof(why), "restored %s (%s), a release, by %s",
			 version, to, step->def->id);
	award(sc, "restore", 10, 10, why);
}

/* "a, b and 3 more" of the steps in ARR, into BUF. */
static void
list_steps(const cJSON *arr, char *buf, size_t size)
{
	const cJSON *o;
	size_t len = 0;
	int i = 0, n = cJSON_GetArraySize(arr);

	buf[0] = '\0';
	cJSON_ArrayForEach(o, arr) {
		const char *id = cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(o, "step"));

		if (i == 3) {
			snprintf(buf + len, size - len, " and %d more", n - 3);
			return;
		}
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
					i ? ", " : "", id ? id : "?");
		if (len >= size)
			return;
		i++;
	}
}

/* The assessment: a required check of the assess phase marked n/a was
 * never looked at. */
static void
score_assessment(const struct session *s, struct score *sc)
{
	cJSON *arr = cJSON_AddArrayToObject(sc->card, "unassessed");
	int n_assess, n_decide, na_assess, na_decide, n, n_na, lost;
	char why[384], list[256];

	/* The decide phase's checks (a candidate's tests) assess too; each
	 * phase costs its own share, so one never dilutes the other. */
	na_assess = phase_na(s, PHASE_ASSESS, CHECKING_KINDS, arr, &n_assess);
	na_decide = phase_na(s, PHASE_DECIDE, CHECKING_KINDS, arr, &n_decide);
	n = n_assess + n_decide;
	n_na = na_assess + na_decide;
	lost = (n_assess ? 10 * na_assess / n_assess : 0) +
	       (n_decide ? 10 * na_decide / n_decide : 0);

	if (!n) {
		leave_out(sc, "assessment", "no required check to run");
		return;
	}
	list_steps(arr, list, sizeof(list));
	if (n_na)
		snprintf(why, sizeof(why), "%d of %d required assess and decide "
			 "checks marked n/a instead of run: %s", n_na, n, list);
	else
		snprintf(why, sizeof(why), "all %d required assess and decide "
			 "checks done", n);
	award(sc, "assessment", 10 - lost - (n_na ? 2 : 0), 10, why);
}

/* Message steps that apply and were not sent (marked n/a, or still open
 * when the drill ended), into ARR. */
static int
unsent_messages(const struct session *s, cJSON *arr)
{
	int n = 0;

	for (size_t i = 0; i < s->n_steps; i++) {
		const struct step_rt *rt = &s->steps[i];

		if (rt->def->kind != STEP_KIND_MESSAGE ||
		    !session_step_active(s, rt) || rt->state == STEP_DONE ||
		    (!rt->def->required && rt->state != STEP_NA))
			continue;
		cJSON_AddItemToArray(arr, cJSON_CreateString(rt->def->id));
		n++;
	}
	return n;
}

/* The strings of ARR joined by ", "; the caller frees it. */
static char *
join_strings(const cJSON *arr)
{
	struct strbuf sb = STRBUF_INIT;
	const cJSON *o;

	cJSON_ArrayForEach(o, arr)
		strbuf_addf(&sb, "%s%s", sb.len ? ", " : "",
			    cJSON_GetStringValue(o) ? o->valuestring : "?");
	return strbuf_detach(&sb);
}

/* The communication: the users and the team were told, and the
 * follow-up steps were done rather than marked n/a. */
static void
score_communication(const struct session *s, struct score *sc)
{
	cJSON *arr = cJSON_AddArrayToObject(sc->card, "uncommunicated");
	cJSON *unsent = cJSON_AddArrayToObject(sc->card, "unsent");
	int n, n_na = phase_na(s, PHASE_COMMUNICATE, CHECKING_KINDS,
				 arr, &n);
	int n_unsent = unsent_messages(s, unsent);
	char why[512], list[256];
	char *names;
	int points;

	if (!n && !n_unsent) {
		leave_out(sc, "communication", "nothing to communicate");
		return;
	}
	list_steps(arr, list, sizeof(list));
	names = n_unsent ? join_strings(unsent) : NULL;
	if (n_na && n_unsent)
		snprintf(why, sizeof(why), "%d message(s) never sent (%s); %d of "
			 "%d required communicate steps marked n/a: %s",
			 n_unsent, names, n_na, n, list);
	else if (n_unsent)
		snprintf(why, sizeof(why), "%d message(s) never sent (%s)",
			 n_unsent, names);
	else if (n_na)
		snprintf(why, sizeof(why), "%d of %d required communicate steps "
			 "marked n/a: %s", n_na, n, list);
	else
		snprintf(why, sizeof(why), "every message sent, all %d "
			 "required steps done", n);
	free(names);
	points = n ? 10 - 10 * n_na / n : 10;
	award(sc, "communication", points - (n_unsent ? 5 : 0) -
	      (n_na ? 2 : 0), 10, why);
}

/* Whether a skipped step counts against the trainee: an optional
 * checklist item left open does; an inactive step is the playbook's
 * doing, and an optional run step is a fallback (a forced checkout, a
 * retry) that a good operator leaves alone unless it is needed. */
static int
counts_as_skipped(const struct session *s, const cJSON *item)
{
	const char *r = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(item, "reason"));
	const struct step_rt *rt = session_find_step(s, cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(item, "step")));

	if (r && strstr(r, "when condition"))
		return 0;
	if (rt && (rt->def->follow_up || drill_unverifiable(s, rt->def->id)))
		return 0;	/* for after the incident, or nothing to see */
	return !rt || rt->def->kind == STEP_KIND_CHECK;
}

/* Follow-up checks (work for after the incident) that apply and were
 * not done: listed on the card, never scored. */
static void
add_follow_ups(const struct session *s, struct score *sc)
{
	cJSON *arr = cJSON_AddArrayToObject(sc->card, "follow_ups");

	for (size_t i = 0; i < s->n_steps; i++) {
		const struct step_rt *rt = &s->steps[i];

		if (rt->def->follow_up && rt->state != STEP_DONE &&
		    session_step_active(s, rt))
			cJSON_AddItemToArray(arr,
					     cJSON_CreateString(rt->def->id));
	}
}

/* The criterion that already charges RT for being marked n/a, or NULL:
 * a required step of the kinds its phase's criterion counts (phase_na)
 * costs there, once: assess and decide (assessment), execute's runs
 * (execution), verify (verifications), communicate (communication). */
static const char *
na_charged_in(const struct step_rt *rt)
{
	static const struct {
		const char *criterion;
		unsigned kinds;
	} by_phase[PHASE_COUNT] = {
		[PHASE_ASSESS] = { "assessment", CHECKING_KINDS },
		[PHASE_DECIDE] = { "assessment", CHECKING_KINDS },
		[PHASE_EXECUTE] = { "execution", KIND(RUN) },
		[PHASE_VERIFY] = { "verifications", KIND(RUN) | KIND(PROBE) |
				   KIND(WAIT) | KIND(CHECK) },
		[PHASE_COMMUNICATE] = { "communication", CHECKING_KINDS },
	};

	if (rt->state != STEP_NA || !rt->def->required ||
	    !(by_phase[rt->phase].kinds & (1u << rt->def->kind)))
		return NULL;
	return by_phase[rt->phase].criterion;
}

/* The checks that apply and that the drill can judge (not follow-ups,
 * not the ones nothing shows), into *JUDGED; those ticked and not against
 * the world (a false all-clear) into *DONE: the points go to what was
 * done, never to what was marked n/a or left open. A required check
 * marked n/a that another criterion charges (na_charged_in) is neither:
 * it goes into *EXCUSED, and WHERE names that criterion. */
static void
checks_done(const struct session *s, const struct drill *d, int *judged,
	    int *done, int *excused, const char **where)
{
	*judged = *done = *excused = 0;
	*where = NULL;
	for (size_t i = 0; i < s->n_steps; i++) {
		const struct step_rt *rt = &s->steps[i];
		const char *charged = na_charged_in(rt);

		if (rt->def->kind != STEP_KIND_CHECK || rt->def->follow_up ||
		    !session_step_active(s, rt) ||
		    drill_unverifiable(s, rt->def->id))
			continue;
		if (charged) {
			(*excused)++;
			if (!*where || strcmp(*where, charged) == 0)
				*where = charged;
			else
				*where = "their phases' criteria";
			continue;
		}
		(*judged)++;
		*done += rt->state == STEP_DONE && !d->false_clear[i];
	}
}

/* Checks done and holding. One mistake costs once: a required check
 * marked n/a is charged by its phase's criterion and left out here; when
 * it was the only check to judge, the criterion keeps its maximum (the
 * scenario's, the same for every walk) and loses nothing. */
static void
score_checks(const struct session *s, const struct drill *d,
	     struct score *sc)
{
	int n = 0, judged, done, excused;
	const char *where;
	const cJSON *c;
	char why[256];

	cJSON_AddItemToObject(sc->card, "skipped", cJSON_CreateArray());
	cJSON_ArrayForEach(c, d->skipped) {
		if (!counts_as_skipped(s, c))
			continue;
		cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(
			sc->card, "skipped"), cJSON_Duplicate(c, 1));
		n++;
	}
	cJSON_AddItemToObject(sc->card, "na", cJSON_Duplicate(d->na, 1));
	add_follow_ups(s, sc);
	checks_done(s, d, &judged, &done, &excused, &where);
	if (!judged && !excused) {
		leave_out(sc, "checks", "no check the drill can judge");
		return;
	}
	snprintf(why, sizeof(why), "%d of %d check(s) done and holding; ",
		 done, judged);
	if (excused)
		snprintf(why + strlen(why), sizeof(why) - strlen(why),
			 "%d required marked n/a, charged under %s; ",
			 excused, where);
	snprintf(why + strlen(why), sizeof(why) - strlen(why),
		 "%d optional left open", n);
	award(sc, "checks", judged ? 10 * done / judged : 10, 10, why);
}

const char *
drill_approval_not_counted(const struct session *s, const char *role,
			   const char *name)
{
	return drill_sign_off_not_counted(s->pb, session_operator(s), role,
					  name);
}

const char *
drill_sign_off_not_counted(const struct playbook *pb, const char *operator,
			   const char *role, const char *name)
{
	int named = 0, listed = 0;

	if (operator && identity_same(name, operator))
		return "the operator signed for themself";
	for (size_t i = 0; i < pb->n_drill_approvers; i++) {
		const struct pb_kv *a = &pb->drill_approvers[i];

		if (strcasecmp(a->name, role) != 0)
			continue;
		named = 1;
		listed |= identity_same(a->value, name);
	}
	return named && !listed ? "not one of the drill's approvers for the "
				  "role" : NULL;
}

static int
count_role(const struct session *s, const struct step_rt *rt,
	   const char *role, cJSON *names, cJSON *refused)
{
	int n = 0;

	for (size_t i = 0; i < rt->n_approvals; i++) {
		const char *name = rt->approvals[i].name;
		const char *why;
		cJSON *o;

		if (strcmp(rt->approvals[i].role, role) != 0)
			continue;
		why = drill_approval_not_counted(s, role, name);
		if (!why) {
			n++;
			cJSON_AddItemToArray(names, cJSON_CreateString(name));
			continue;
		}
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", name);
		cJSON_AddStringToObject(o, "why", why);
		cJSON_AddItemToArray(refused, o);
	}
	return n;
}

/* "all obtained: Release Manager by dana" or "missing: Release Manager
 * for approve.x (0 of 1)", from ARR (score_approvals' items). */
static void
approvals_why(const cJSON *arr, int missing, char *buf, size_t size)
{
	const cJSON *o;
	size_t len = (size_t)snprintf(buf, size, "%s", missing
				      ? "missing:" : "all obtained:");

	cJSON_ArrayForEach(o, arr) {
		int req = cJSON_GetObjectItemCaseSensitive(o, "required")->valueint;
		int got = cJSON_GetObjectItemCaseSensitive(o, "obtained")->valueint;
		const char *role = cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(o, "role"));
		const char *step = cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(o, "step"));

		const cJSON *nc;

		if (len >= size || (missing && got >= req))
			continue;
		len += (size_t)snprintf(buf + len, size - len, " %s for %s "
					"(%d of %d)", role, step, got, req);
		cJSON_ArrayForEach(nc, cJSON_GetObjectItemCaseSensitive(
					   o, "not_counted")) {
			if (len >= size)
				break;
			len += (size_t)snprintf(buf + len, size - len,
				"; %s's sign-off does not count: %s",
				cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(nc, "name")),
				cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(nc, "why")));
		}
	}
}

/* TEXT into SB with each run of tabs and newlines (a column of a
 * command's output) as two spaces, so that the card shows no ^I. */
static void
add_spaced(struct strbuf *sb, const char *text)
{
	for (const char *p = text; *p;) {
		size_t run = strspn(p, "\t\n");

		if (run) {
			strbuf_adds(sb, "  ");
			p += run;
		} else {
			strbuf_addc(sb, *p++);
		}
	}
}

/* Whether a string anywhere in NODE (the drill's world: the Targets,
 * Tags and Registry tabs show it) holds passage EV. */
static int
world_holds(const cJSON *node, const char *ev)
{
	const cJSON *c;

	if (cJSON_IsString(node))
		return strcasestr(node->valuestring, ev) != NULL;
	cJSON_ArrayForEach(c, node)
		if ((c->string && strcasestr(c->string, ev)) ||
		    world_holds(c, ev))
			return 1;
	return 0;
}

/* Whether a fired injection of D showed passage EV (its alert or the log
 * lines it added). */
static int
alert_holds(const struct drill *d, const char *ev)
{
	for (size_t i = 0; d->sc && i < d->sc->n_injects; i++) {
		const struct pb_inject *in = &d->sc->injects[i];

		if (d->fired[i] &&
		    ((in->alert && strcasestr(in->alert, ev)) ||
		     (in->log_lines && strcasestr(in->log_lines, ev))))
			return 1;
	}
	return 0;
}

/* The output step RT gives in this drill when it is simulated: the
 * scenario's outcome for it, else its drill.output; or NULL. */
static const char *
fixed_output(const struct session *s, const struct step_rt *rt)
{
	const struct pb_scenario *sc = s->drill->sc;

	for (size_t i = 0; sc && i < sc->n_outcomes; i++)
		if (strcmp(sc->outcomes[i].step, rt->def->id) == 0 &&
		    sc->outcomes[i].output)
			return sc->outcomes[i].output;
	return rt->def->drill.output;
}

/* Whether step RT showed passage EV: its last run's output as journalled,
 * or the fixed output it ran with (not when it ran for real in the clone:
 * the trainee saw the clone's output then, not that one); a check that
 * applies shows its output beside it. */
static int
step_showed(const struct session *s, const struct step_rt *rt,
	    const char *ev)
{
	const char *out = fixed_output(s, rt), *why;

	if (rt->def->kind == STEP_KIND_CHECK)	/* shown beside the check */
		return out && session_step_active(s, rt) &&
		       strcasestr(out, ev);
	if (!rt->n_runs)
		return 0;
	if (rt->result && strcasestr(rt->result, ev))
		return 1;
	return out && strcasestr(out, ev) &&
	       drill_clone_run(s, rt->def->id, &why) != 1;
}

/* Where the trainee was shown passage EV, into SB as the card says it
 * ("the briefing showed", "decide.tags showed"): 1; or 0 with SB naming
 * the step that shows it but was never run ("decide.tags shows it, but
 * it was not run"), or empty when nothing shows it. */
static int
evidence_seen(const struct session *s, const char *ev, struct strbuf *sb)
{
	const struct drill *d = s->drill;
	const struct step_rt *unrun = NULL;

	if (d->sc && d->sc->briefing && strcasestr(d->sc->briefing, ev)) {
		strbuf_adds(sb, "the briefing showed");
		return 1;
	}
	if (alert_holds(d, ev)) {
		strbuf_adds(sb, "an alert showed");
		return 1;
	}
	for (size_t i = 0; i < s->n_steps; i++) {
		const struct step_rt *rt = &s->steps[i];
		const char *out = fixed_output(s, rt);

		if (step_showed(s, rt, ev)) {
			strbuf_addf(sb, "%s showed", rt->def->id);
			return 1;
		}
		if (!unrun && !rt->n_runs && rt->def->kind != STEP_KIND_CHECK &&
		    out && strcasestr(out, ev))
			unrun = rt;
	}
	if (world_holds(d->state, ev)) {
		strbuf_adds(sb, "the drill's world showed");
		return 1;
	}
	if (unrun)
		strbuf_addf(sb, "%s shows it, but it was not run",
			    unrun->def->id);
	return 0;
}

/* What the drill showed that ANSWER follows from (the scenario's
 * evidence) and where: on the answer's item O, and after its reason in
 * WHY. Only a passage the trainee saw is quoted; one only a step that
 * never ran would have shown is named with that step, unquoted. */
static void
add_evidence(const struct session *s, struct strbuf *why, cJSON *o,
	     const struct pb_scenario *scen, const char *answer)
{
	struct strbuf where = STRBUF_INIT;

	for (size_t i = 0; i < scen->n_evidence; i++) {
		if (strcmp(scen->evidence[i].name, answer) != 0)
			continue;
		if (evidence_seen(s, scen->evidence[i].value, &where)) {
			cJSON_AddStringToObject(o, "evidence",
						scen->evidence[i].value);
			cJSON_AddStringToObject(o, "seen_in", strbuf_str(&where));
			strbuf_addf(why, " (%s: \"", strbuf_str(&where));
			add_spaced(why, scen->evidence[i].value);
			strbuf_adds(why, "\")");
		} else if (where.len) {
			cJSON_AddStringToObject(o, "not_seen", strbuf_str(&where));
			strbuf_addf(why, " (%s)", strbuf_str(&where));
		}
		break;
	}
	strbuf_done(&where);
}

/* The scenario's answers (what a good trainee gives at the input steps)
 * against the values given: each one wrong or never given costs its
 * share, and the reason names it with both values. */
static void
score_answers(const struct session *s, const struct drill *d,
	      struct score *sc)
{
	const struct pb_scenario *scen = d->sc;
	cJSON *arr;
	struct strbuf why = STRBUF_INIT;
	size_t right = 0;

	if (!scen || !scen->n_answers)
		return;	/* not even a row: most scenarios of other
			 * playbooks have none */
	arr = cJSON_AddArrayToObject(sc->card, "answers");
	for (size_t i = 0; i < scen->n_answers; i++) {
		const struct pb_kv *a = &scen->answers[i];
		const char *given = session_var(s, a->name);
		int ok = given && strcmp(given, a->value) == 0;
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "variable", a->name);
		cJSON_AddStringToObject(o, "expected", a->value);
		add_str_or_null(o, "given", given);
		cJSON_AddBoolToObject(o, "right", ok);
		cJSON_AddItemToArray(arr, o);
		right += ok;
		if (ok)
			continue;
		strbuf_addf(&why, "%s%s %s%s, the scenario's is %s",
			    why.len ? "; " : "", a->name,
			    given ? "given as " : "never given",
			    given ? given : "", a->value);
		add_evidence(s, &why, o, scen, a->name);
	}
	if (right == scen->n_answers)
		strbuf_addf(&why, "all %zu as the scenario has them",
			    scen->n_answers);
	award(sc, "answers", (int)(10 * right / scen->n_answers), 10,
	      strbuf_str(&why));
	strbuf_done(&why);
}

/* One role of approval step RT: obtained against required, into ARR;
 * SKIPPED_BY (the expected option, or NULL) when the decision taken
 * passed the step by. Whether the role is missing. */
static int
approval_role(const struct session *s, const struct step_rt *rt, size_t r,
	      const char *skipped_by, cJSON *arr)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *names = cJSON_CreateArray();
	cJSON *refused = cJSON_CreateArray();
	int have = skipped_by ? 0 : count_role(s, rt, rt->def->roles[r].role,
						names, refused);

	cJSON_AddStringToObject(o, "step", rt->def->id);
	cJSON_AddStringToObject(o, "role", rt->def->roles[r].role);
	cJSON_AddNumberToObject(o, "required", rt->def->roles[r].count);
	cJSON_AddNumberToObject(o, "obtained", have);
	cJSON_AddItemToObject(o, "names", names);
	cJSON_AddItemToObject(o, "not_counted", refused);
	if (skipped_by)
		cJSON_AddStringToObject(o, "skipped_by_decision", skipped_by);
	cJSON_AddItemToArray(arr, o);
	return have < rt->def->roles[r].count;
}

/* Every role of every approval that applies, and of every approval the
 * decision taken passed by that the scenario's expected decision goes
 * through (a wrong decision never makes "missed approval" unscorable). */
static void
score_approvals(const struct session *s, const struct drill *d,
		struct score *sc)
{
	cJSON *arr = cJSON_AddArrayToObject(sc->card, "approvals");
	struct expected_vars ev;
	int missing = 0, roles = 0, skipped = 0;
	char why[512];

	expected_option(s, d, &ev);
	for (size_t i = 0; i < s->n_steps; i++) {
		const struct step_rt *rt = &s->steps[i];
		const char *by = NULL;

		if (rt->def->kind != STEP_KIND_APPROVE)
			continue;
		if (!session_step_active(s, rt)) {
			if (!ev.opt || !playbook_when_holds(&rt->def->when,
							    lookup_expected_var,
							    &ev))
				continue;
			by = ev.opt->id;
			skipped++;
		}
		for (size_t r = 0; r < rt->def->n_roles; r++, roles++)
			missing += approval_role(s, rt, r, by, arr);
	}
	if (!roles) {
		leave_out(sc, "approvals", "none needed");
		return;
	}
	approvals_why(arr, missing, why, sizeof(why));
	if (skipped) {
		size_t len = strlen(why);

		snprintf(why + len, sizeof(why) - len, " (the decision taken "
			 "passed %s by; the expected decision %s goes through "
			 "%s)", skipped > 1 ? "them" : "it", ev.opt->id,
			 skipped > 1 ? "them" : "it");
	}
	award(sc, "approvals", missing ? 0 : 10, 10, why);
}

static int
has_destructive_step(const struct session *s)
{
	for (size_t i = 0; i < s->n_steps; i++)
		if (s->steps[i].def->destructive &&
		    session_step_active(s, &s->steps[i]))
			return 1;
	return 0;
}

static void
score_confirmations(const struct session *s, struct score *sc)
{
	cJSON *arr = cJSON_AddArrayToObject(sc->card, "mistyped");
	int n = 0;
	char why[64];

	for (size_t i = 0; i < s->n_steps; i++) {
		cJSON *o;

		if (!s->steps[i].n_mistyped)
			continue;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "step", s->steps[i].def->id);
		cJSON_AddNumberToObject(o, "count", s->steps[i].n_mistyped);
		cJSON_AddItemToArray(arr, o);
		n += s->steps[i].n_mistyped;
	}
	if (!n && !has_destructive_step(s)) {
		leave_out(sc, "confirmations", "none asked");
		return;
	}
	snprintf(why, sizeof(why), "%d mistyped", n);
	award(sc, "confirmations", 10 - 5 * n, 10, why);
}
enum verdict { V_NONE, V_OK, V_FAIL, V_EXIT };

/* What a prediction's first words say about the run. */
static enum verdict
parse_verdict(const char *text, int *exit_code)
{
	static const char *const oks[] = { "ok", "succeed", "success",
					   "pass", NULL };
	static const char *const fails[] = { "fail", "error", "time out",
					     "times out", "timeout", NULL };

	while (isspace((unsigned char)*text))
		text++;
	if (strncasecmp(text, "exit ", 5) == 0 &&
	    isdigit((unsigned char)text[5])) {
		*exit_code = atoi(text + 5);
		return V_EXIT;
	}
	for (size_t i = 0; oks[i]; i++)
		if (strncasecmp(text, oks[i], strlen(oks[i])) == 0)
			return V_OK;
	for (size_t i = 0; fails[i]; i++)
		if (strncasecmp(text, fails[i], strlen(fails[i])) == 0)
			return V_FAIL;
	return V_NONE;
}

int
drill_prediction_is_judged(const char *text)
{
	int code;

	return parse_verdict(text, &code) != V_NONE;
}

static const char *
verdict_name(enum verdict v)
{
	return v == V_OK ? "ok" : v == V_FAIL ? "fails" : v == V_EXIT ? "exit"
								     : NULL;
}

static int
prediction_item(const struct prediction *p, const char *step, cJSON *arr)
{
	cJSON *o = cJSON_CreateObject();
	int want_exit = 0, right = -1;
	enum verdict v = parse_verdict(p->text, &want_exit);

	cJSON_AddStringToObject(o, "step", step);
	cJSON_AddStringToObject(o, "text", p->text);
	if (verdict_name(v))
		cJSON_AddStringToObject(o, "expected", verdict_name(v));
	if (p->paired) {
		cJSON_AddNumberToObject(o, "exit", p->exit_code);
		cJSON_AddBoolToObject(o, "ok", p->ok);
		cJSON_AddStringToObject(o, "first_lines", p->first_lines);
		if (v != V_NONE)
			right = v == V_OK ? p->ok : v == V_FAIL ? !p->ok
				: p->exit_code == want_exit;
	}
	if (right >= 0)
		cJSON_AddBoolToObject(o, "right", right);
	else
		cJSON_AddNullToObject(o, "right");
	cJSON_AddItemToArray(arr, o);
	return right;
}

static void
score_predictions(const struct session *s, const struct drill *d,
		  struct score *sc)
{
	cJSON *arr = cJSON_AddArrayToObject(sc->card, "predictions");
	int judged = 0, right = 0, asked = 0;
	char why[128];

	for (size_t i = 0; i < s->n_steps; i++) {
		int r;

		if (!d->preds[i].text)
			continue;
		asked += asks_prediction(s, &s->steps[i]);
		r = prediction_item(&d->preds[i], s->steps[i].def->id, arr);
		judged += r >= 0;
		right += r > 0;
	}
	if (!asked) {
		leave_out(sc, "predictions", "none asked");
		return;
	}
	snprintf(why, sizeof(why), "%d of %d right%s", right, asked,
		 judged < asked ? " (say ok, fails or exit N)" : "");
	award(sc, "predictions", 10 * right / asked, 10, why);
}

/* --- one maximum for every walk of a scenario ------------------------------------ */

/* Whether step RT counts in criterion NAME (the steps whose presence makes
 * it apply): 1 yes, 0 no, -1 NAME is not decided by the steps on a path
 * (the decision, the answers, the RTO, the phases). */
static int
counts_in(const struct session *s, const struct step_rt *rt,
	  const char *name)
{
	const struct pb_step *st = rt->def;
	unsigned k = 1u << st->kind;
	int verifiable = st->kind != STEP_KIND_CHECK ||
			 !drill_unverifiable(s, st->id);

	if (strcmp(name, "assessment") == 0)
		return (rt->phase == PHASE_ASSESS || rt->phase == PHASE_DECIDE)
		       && st->required && (k & CHECKING_KINDS) && verifiable;
	if (strcmp(name, "execution") == 0)
		return rt->phase == PHASE_EXECUTE && st->required &&
		       st->kind == STEP_KIND_RUN &&
		       !playbook_outcome_always_fails(s->pb, s->scenario, st);
	if (strcmp(name, "restore") == 0)
		return s->pb->header.to &&
		       is_restore_step(rt, s->pb->header.to);
	if (strcmp(name, "verifications") == 0)
		return rt->phase == PHASE_VERIFY && st->required && verifiable &&
		       (k & (KIND(RUN) | KIND(PROBE) | KIND(WAIT) | KIND(CHECK)));
	if (strcmp(name, "all-clears") == 0)
		return st->kind == STEP_KIND_CHECK && (st->drill.log ||
		       st->drill.endpoint || st->drill.registry);
	if (strcmp(name, "communication") == 0)
		return rt->phase == PHASE_COMMUNICATE && st->required &&
		       (k & CHECKING_KINDS) && verifiable;
	if (strcmp(name, "checks") == 0)
		return st->kind == STEP_KIND_CHECK && !st->follow_up &&
		       verifiable;
	if (strcmp(name, "approvals") == 0)
		return st->kind == STEP_KIND_APPROVE;
	if (strcmp(name, "confirmations") == 0)
		return st->destructive;
	if (strcmp(name, "predictions") == 0)
		return asks_prediction(s, rt);
	return -1;
}

/* The scenario's path: the expected decision EV, then, where the walk
 * took another, each later decision as its matrix recommends for the
 * scenario's answers (a good operator's), looked at DEPTH decisions on. */
struct scenario_path {
	const struct session *s;
	const struct drill *d;
	const struct expected_vars *ev;
	int followed;		/* the walk took the expected decision */
	int depth;
};

static const char *lookup_scenario_path(const char *name, const void *arg);

/* The value of a variable no step of the path sets: set (so no condition
 * waits on it) and matching no condition's values. */
static const char not_on_path[] = "(not set on this path)";

/* Variable NAME on path NEXT as the steps that set it (an input, a
 * decision, an option's sets such as BY_HAND) would: 1 with *VALUE when
 * the path decides it (not_on_path: none of them applies there, or the
 * option a matrix recommends sets nothing), 0 when it is as the walk has it; what
 * the walk's wrong path set never brings in steps of its own. */
static int
path_sets(const struct scenario_path *p, const struct scenario_path *next,
	  const char *name, const char **value)
{
	int setters = 0;

	for (size_t i = 0; i < p->s->n_steps; i++) {
		const struct pb_step *st = p->s->steps[i].def;
		const struct pb_option *o;
		const char *v = NULL;
		int sets = st->variable && strcmp(st->variable, name) == 0;

		for (size_t k = 0; k < st->n_options; k++)
			sets |= option_sets(st, &st->options[k], name) != NULL;
		if (!sets)
			continue;
		setters++;
		if (!playbook_when_holds(&st->when, lookup_scenario_path,
					 next) &&
		    !playbook_when_waiting_on(&st->when, lookup_scenario_path,
					      next))
			continue;
		if (!st->matrix || !(o = playbook_recommend(
				st, lookup_scenario_path, next)))
			return 0;	/* a choice of the walk's own */
		if ((v = option_sets(st, o, name))) {
			*value = v;
			return 1;
		}
	}
	*value = not_on_path;
	return setters > 0;
}

static const char *
lookup_scenario_path(const char *name, const void *arg)
{
	const struct scenario_path *p = arg;
	const struct expected_vars *ev = p->ev;
	struct scenario_path next = *p;
	const char *v = expected_sets(ev, name);

	if (v)
		return v;
	if (p->followed)
		return session_var(p->s, name);	/* the walk's own path */
	for (size_t i = 0; i < p->d->sc->n_answers; i++)
		if (strcmp(p->d->sc->answers[i].name, name) == 0)
			return p->d->sc->answers[i].value;
	next.depth--;
	for (size_t i = 0; p->depth > 0 && i < p->s->n_steps; i++) {
		const struct pb_step *st = p->s->steps[i].def;
		const struct pb_option *o;

		if (st->kind != STEP_KIND_DECIDE || !st->variable ||
		    strcmp(st->variable, name) != 0 || !st->matrix)
			continue;
		o = playbook_recommend(st, lookup_scenario_path, &next);
		if (o)
			return o->id;
	}
	if (p->depth > 0 && path_sets(p, &next, name, &v))
		return v;
	return session_var(p->s, name);
}

static int
followed_expected(const struct session *s, const struct drill *d,
		  const struct expected_vars *ev)
{
	const struct step_rt *dec = session_find_step(s, d->sc->expect_step);

	return dec && dec->option && strcmp(dec->option, ev->opt->id) == 0;
}

/* The recovery-time target on the scenario's path: a wrong decision (and
 * the choices after it) never changes the target the drill is judged
 * against. */
static int64_t
scenario_rto(const struct session *s, const struct drill *d,
	     const struct expected_vars *ev)
{
	struct scenario_path p = { s, d, ev, followed_expected(s, d, ev), 4 };

	return playbook_rto_within(s->pb, lookup_scenario_path, &p);
}

/* Path P with variable NAME fixed to VALUE: one route of a choice the
 * walk never made. */
struct route {
	const struct scenario_path *p;
	const char *name, *value;
};

static const char *
lookup_route(const char *name, const void *arg)
{
	const struct route *r = arg;

	return strcmp(name, r->name) == 0 ? r->value
					   : lookup_scenario_path(name, r->p);
}

/* Whether restore step RT, waiting on path P for a choice the walk never
 * made, is owed whichever option of that choice a good operator takes: a
 * route without any restore step (a hotfix instead of a recovery branch)
 * owes none. */
static int
restore_on_every_route(const struct session *s, const struct scenario_path *p,
		       const struct step_rt *rt)
{
	const struct pb_cond *wait = playbook_when_waiting_on(
		&rt->def->when, lookup_scenario_path, p);
	const char *var = wait ? wait->var : NULL;

	for (size_t i = 0; var && i < s->n_steps; i++) {
		const struct pb_step *st = s->steps[i].def;

		if (st->kind != STEP_KIND_DECIDE || !st->variable ||
		    strcmp(st->variable, var) != 0)
			continue;
		for (size_t o = 0; o < st->n_options; o++) {
			struct route r = { p, var, st->options[o].id };
			int any = 0;

			for (size_t k = 0; !any && k < s->n_steps; k++)
				any = counts_in(s, &s->steps[k], "restore") &&
				      (playbook_when_holds(
					      &s->steps[k].def->when,
					      lookup_route, &r) ||
				       playbook_when_waiting_on(
					      &s->steps[k].def->when,
					      lookup_route, &r));
			if (!any)
				return 0;
		}
	}
	return 1;
}

/* Whether criterion NAME applies on the scenario's path (a step of its
 * kind applies there): 1, 0, or -1 when the path does not decide it. */
static int
applies_on_path(const struct session *s, const struct drill *d,
		const struct expected_vars *ev, const char *name)
{
	struct scenario_path p = { s, d, ev, followed_expected(s, d, ev), 4 };
	int any = 0;

	for (size_t i = 0; i < s->n_steps; i++) {
		int c = counts_in(s, &s->steps[i], name);

		if (c < 0)
			return -1;
		if (c && (playbook_when_holds(&s->steps[i].def->when,
					      lookup_scenario_path, &p) ||
			  (!p.followed && (strcmp(name, "restore") != 0 ||
			   restore_on_every_route(s, &p, &s->steps[i])) &&
			   playbook_when_waiting_on(
				   &s->steps[i].def->when,
				   lookup_scenario_path, &p))))
			any = 1;	/* a choice the walk never made waits */
	}
	return any;
}

/* The most criterion NAME gives. */
static int
criterion_max(const char *name)
{
	if (strcmp(name, "decision") == 0)
		return 30;
	return strcmp(name, "rto") == 0 ||
	       strcmp(name, "verifications") == 0 ? 20 : 10;
}

/* Criterion C, which the walk gave points, does not apply on the expected
 * path: left out of the total, saying why. */
static void
drop_criterion(struct score *sc, cJSON *c, const char *expected)
{
	char why[512];

	sc->total -= cJSON_GetObjectItemCaseSensitive(c, "points")->valueint;
	sc->max -= cJSON_GetObjectItemCaseSensitive(c, "max")->valueint;
	snprintf(why, sizeof(why), "not on the path of the expected decision "
		 "%s (the walk's: %s)", expected, cJSON_GetStringValue(
			 cJSON_GetObjectItemCaseSensitive(c, "why")));
	cJSON_ReplaceItemInObjectCaseSensitive(c, "why",
					       cJSON_CreateString(why));
	cJSON_ReplaceItemInObjectCaseSensitive(c, "points", cJSON_CreateNull());
	cJSON_ReplaceItemInObjectCaseSensitive(c, "max", cJSON_CreateNull());
	cJSON_ReplaceItemInObjectCaseSensitive(c, "applies",
					       cJSON_CreateFalse());
}

/* Criterion C, which the walk left out, applies on the expected path: it
 * is scored, at no points, saying what was never done. */
static void
zero_criterion(const struct session *s, const struct drill *d,
	       const struct expected_vars *ev, struct score *sc, cJSON *c,
	       const char *name)
{
	struct scenario_path p = { s, d, ev, followed_expected(s, d, ev), 4 };
	cJSON *left = cJSON_CreateArray();
	char why[512], list[256];
	int max = criterion_max(name);

	/* what the walk's path left out that the scenario's path has (a
	 * message the decision taken never reached) */
	for (size_t i = 0; i < s->n_steps; i++) {
		const struct step_rt *rt = &s->steps[i];

		if (counts_in(s, rt, name) == 1 &&
		    !session_step_active(s, rt) &&
		    playbook_when_holds(&rt->def->when, lookup_scenario_path,
					&p)) {
			cJSON *o = cJSON_CreateObject();

			cJSON_AddStringToObject(o, "step", rt->def->id);
			cJSON_AddItemToArray(left, o);
		}
	}
	if (cJSON_GetArraySize(left)) {
		list_steps(left, list, sizeof(list));
		snprintf(why, sizeof(why), "never done: the decision taken "
			 "left out %s (the expected decision %s needs %s)",
			 list, ev->opt->id, cJSON_GetArraySize(left) == 1
			 ? "it" : "them");
	} else {
		snprintf(why, sizeof(why), "never done: %s (the expected "
			 "decision %s needs it)", cJSON_GetStringValue(
				 cJSON_GetObjectItemCaseSensitive(c, "why")),
			 ev->opt->id);
	}
	cJSON_Delete(left);
	cJSON_ReplaceItemInObjectCaseSensitive(c, "why",
					       cJSON_CreateString(why));
	cJSON_ReplaceItemInObjectCaseSensitive(c, "points",
					       cJSON_CreateNumber(0));
	cJSON_ReplaceItemInObjectCaseSensitive(c, "max",
					       cJSON_CreateNumber(max));
	cJSON_ReplaceItemInObjectCaseSensitive(c, "applies",
					       cJSON_CreateTrue());
	sc->max += max;
}

/* One maximum for every walk of a playbook and scenario: which criteria
 * count is decided by the path of the scenario's expected decision, not by
 * the walk. What the walk skipped (or a wrong decision passed by) loses
 * its points instead of leaving the total; what only a wrong path brought
 * in adds nothing to it. Without an expected decision, as the walk has
 * it. */
static void
fix_max_to_scenario(const struct session *s, const struct drill *d,
		    struct score *sc)
{
	struct expected_vars ev;
	cJSON *c;

	expected_option(s, d, &ev);
	if (!ev.opt)
		return;
	cJSON_ArrayForEach(c, sc->criteria) {
		const char *name = cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(c, "name"));
		int on_path = name ? applies_on_path(s, d, &ev, name) : -1;
		int applies = cJSON_IsTrue(
			cJSON_GetObjectItemCaseSensitive(c, "applies"));

		if (on_path == 0 && applies)
			drop_criterion(sc, c, ev.opt->id);
		else if (on_path == 1 && !applies)
			zero_criterion(s, d, &ev, sc, c, name);
	}
}

cJSON *
drill_scorecard_json(const struct session *s)
{
	struct score sc = { 0 };
	const struct drill *d = s->drill;

	if (s->mode != SESSION_DRILL || !d)
		return NULL;
	sc.card = cJSON_CreateObject();
	cJSON_AddStringToObject(sc.card, "playbook", s->pb->id);
	if (s->scenario)
		cJSON_AddStringToObject(sc.card, "scenario", s->scenario);
	else
		cJSON_AddNullToObject(sc.card, "scenario");
	cJSON_AddBoolToObject(sc.card, "complete", s->complete);
	sc.criteria = cJSON_CreateArray();
	score_decision(s, d, &sc);
	score_answers(s, d, &sc);
	score_rto(s, d, &sc);
	score_phases(s, d, &sc);
	score_assessment(s, &sc);
	score_execution(s, d, &sc);
	score_restore(s, d, &sc);
	score_verifications(s, d, &sc);
	score_all_clears(s, &sc);
	score_communication(s, &sc);
	score_checks(s, d, &sc);
	score_approvals(s, d, &sc);
	score_confirmations(s, &sc);
	score_predictions(s, d, &sc);
	fix_max_to_scenario(s, d, &sc);
	cJSON_AddItemToObject(sc.card, "criteria", sc.criteria);
	cJSON_AddNumberToObject(sc.card, "score", sc.total);
	cJSON_AddNumberToObject(sc.card, "max", sc.max);
	return sc.card;
}

static int
write_scorecard(const struct session *s, const cJSON *card, struct err *err)
{
	char *path = xasprintf("%s/scorecard.json", s->dir);
	char *tmp = xasprintf("%s.tmp", path);
	char *text = cJSON_Print(card);
	size_t len = strlen(text);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int rc = 0;

	if (fd < 0 || write(fd, text, len) != (ssize_t)len ||
	    write(fd, "\n", 1) != 1 || fsync(fd) < 0 || rename(tmp, path) < 0)
		rc = err_set(err, ERR_IO, "cannot write %s: %s", path,
			     strerror(errno));
	if (fd >= 0)
		close(fd);
	if (rc < 0)
		unlink(tmp);
	cJSON_free(text);
	free(tmp);
	free(path);
	return rc;
}

int
drill_complete(struct session *s, const char *actor, struct err *err)
{
	cJSON *card;

	if (s->mode != SESSION_DRILL || !s->drill)
		return 0;
	cancel_timers(s, s->drill);
	remove_clone(s->drill);
	card = drill_scorecard_json(s);
	if (write_scorecard(s, card, err) < 0) {
		cJSON_Delete(card);
		return -1;
	}
	return session_record(s, actor, "drill.scorecard", NULL, card, err);
}

void
session_set_drill_pace(struct session *s, int paced)
{
	drill_get(s)->paced = testhook_drill_pace() >= 0 ? testhook_drill_pace()
						       : paced;
}

int
session_set_drill_clone(struct session *s, int allowed, struct err *err)
{
	cJSON *p;

	if (s->mode != SESSION_DRILL || drill_clone_allowed(s) == !!allowed)
		return 0;
	p = cJSON_CreateObject();
	cJSON_AddBoolToObject(p, "real_in_clone", allowed);
	return session_record(s, s->operator, "drill.clone", NULL, p, err);
}

/* --- the score card as a table --------------------------------------------------------------- */

static const char *
str_of(const cJSON *o, const char *key)
{
	const char *v = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(o, key));

	return v ? v : "";
}

static int
int_of(const cJSON *o, const char *key)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(n) ? n->valueint : 0;
}

/* KEY's text, sanitised (it may hold what an operator typed); caller
 * frees. */
static char *
clean_of(const cJSON *o, const char *key)
{
	const char *v = str_of(o, key);

	return sanitize_text(v, strlen(v));
}

static void
row(struct strbuf *out, int md, const char *a, const char *b, const char *c)
{
	if (md)
		strbuf_addf(out, "| %s | %s | %s |\n", a, b, c);
	else
		strbuf_addf(out, "%-13s %7s  %s\n", a, b, c);
}

static void
render_criteria(const cJSON *card, int md, struct strbuf *out)
{
	const cJSON *c;

	if (!cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(card,
								 "criteria")))
		return;
	row(out, md, "criterion", "points", "why");
	if (md)
		strbuf_adds(out, "|---|---:|---|\n");
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(card,
							       "criteria")) {
		char pts[32];
		char *why = clean_of(c, "why");

		if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "applies")))
			snprintf(pts, sizeof(pts), "%d / %d",
				 int_of(c, "points"), int_of(c, "max"));
		else
			snprintf(pts, sizeof(pts), "n/a");
		row(out, md, str_of(c, "name"), pts, why);
		free(why);
	}
}

static void
render_decision(const cJSON *card, int md, struct strbuf *out)
{
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(card, "expected");
	char *reason, *rationale;

	if (!e)
		return;
	reason = clean_of(e, "reason");
	rationale = clean_of(e, "rationale");
	strbuf_addf(out, "\n%sDecision at %s%s\n%s", md ? "### " : "",
		    str_of(e, "step"), md ? "" : ":", md ? "\n" : "");
	row(out, md, "", "option", "reason");
	if (md)
		strbuf_adds(out, "|---|---|---|\n");
	row(out, md, "expected", str_of(e, "option"), *rationale ? rationale
	    : "(the scenario gives none)");
	row(out, md, "chosen", *str_of(e, "chosen") ? str_of(e, "chosen")
	    : "nothing", *reason ? reason : "(none given)");
	free(reason);
	free(rationale);
}

static void
render_phases(const cJSON *card, int md, struct strbuf *out)
{
	const cJSON *p;

	if (!cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(card,
								 "phases")))
		return;
	strbuf_addf(out, "\n%sTime per phase%s\n%s", md ? "### " : "",
		    md ? "" : ":", md ? "\n" : "");
	row(out, md, "phase", "took", "target");
	if (md)
		strbuf_adds(out, "|---|---:|---|\n");
	cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(card, "phases")) {
		char took[32], target[256];
		const cJSON *t = cJSON_GetObjectItemCaseSensitive(
			p, "target_seconds");
		const cJSON *nd = cJSON_GetObjectItemCaseSensitive(
			p, "not_done");
		int within = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
			p, "within"));
		const char *nc = cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(p, "na_charged"));

		snprintf(took, sizeof(took), "%d s", int_of(p, "seconds"));
		/* in time with its work undone is not met, as the card says */
		if (t && within && cJSON_IsString(nd) &&
		    strchr(nd->valuestring, '.'))
			snprintf(target, sizeof(target), "%d s, not met: %s "
				 "marked n/a", int_of(p, "target_seconds"),
				 nd->valuestring);
		else if (t && within && nd)
			snprintf(target, sizeof(target), "%d s, not met: %s",
				 int_of(p, "target_seconds"),
				 cJSON_IsString(nd) ? nd->valuestring
				 : "its work was not done");
		else if (t)
			snprintf(target, sizeof(target), "%d s, %s%s%s%s",
				 int_of(p, "target_seconds"),
				 within ? "met" : "MISSED", nc ? " (" : "",
				 nc ? nc : "", nc ? ")" : "");
		else
			snprintf(target, sizeof(target), "none");
		row(out, md, str_of(p, "phase"), took, target);
	}
}

/* A list of {step, reason} under TITLE, when it has any. */
static void
render_steps(const cJSON *card, const char *key, const char *title, int md,
	     struct strbuf *out)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(card, key);
	const cJSON *it;

	if (!cJSON_GetArraySize(list))
		return;
	strbuf_addf(out, "\n%s%s%s\n%s", md ? "### " : "", title, md ? "" : ":",
		    md ? "\n" : "");
	cJSON_ArrayForEach(it, list) {
		char *why = clean_of(it, "reason");

		strbuf_addf(out, "%s%s: %s\n", md ? "- " : "  ",
			    str_of(it, "step"), why);
		free(why);
	}
}

/* Follow-up checks not done in the session: for after the incident. */
/* The required execute steps marked n/a, under a heading that says what
 * did run (a restore that ran with its tests waved is no "rollback never
 * done"). */
static void
render_unexecuted(const cJSON *card, int md, struct strbuf *out)
{
	const cJSON *ran = cJSON_GetObjectItemCaseSensitive(card, "executed");
	const cJSON *it;
	struct strbuf title = STRBUF_INIT;
	int n = 0;

	strbuf_adds(&title, "Required execute steps marked n/a (");
	cJSON_ArrayForEach(it, ran) {
		if (!cJSON_IsString(it))
			continue;
		if (n++ < 4)
			strbuf_addf(&title, "%s%s", n == 1 ? "these execute "
				    "steps did run: " : ", ", it->valuestring);
	}
	if (n > 4)
		strbuf_addf(&title, " and %d more", n - 4);
	strbuf_adds(&title, n ? ")" : "nothing of the rollback ran)");
	render_steps(card, "unexecuted", title.buf, md, out);
	strbuf_done(&title);
}

static void
render_follow_ups(const cJSON *card, int md, struct strbuf *out)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(card, "follow_ups");
	const cJSON *it;

	if (!cJSON_GetArraySize(list))
		return;
	strbuf_addf(out, "\n%sFollow-ups for after the incident (not "
		    "scored)%s\n%s", md ? "### " : "", md ? "" : ":",
		    md ? "\n" : "");
	cJSON_ArrayForEach(it, list)
		strbuf_addf(out, "%s%s\n", md ? "- " : "  ",
			    cJSON_GetStringValue(it) ? it->valuestring : "?");
}

static void
render_predictions(const cJSON *card, int md, struct strbuf *out)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(card,
							     "predictions");
	const cJSON *p;

	if (!cJSON_GetArraySize(list))
		return;
	strbuf_addf(out, "\n%sPredictions%s\n%s", md ? "### " : "",
		    md ? "" : ":", md ? "\n" : "");
	row(out, md, "step", "judged", "prediction");
	if (md)
		strbuf_adds(out, "|---|---|---|\n");
	cJSON_ArrayForEach(p, list) {
		const cJSON *right = cJSON_GetObjectItemCaseSensitive(p, "right");
		char *text = clean_of(p, "text");

		row(out, md, str_of(p, "step"), cJSON_IsTrue(right) ? "right"
		    : cJSON_IsFalse(right) ? "wrong" : "unjudged", text);
		free(text);
	}
}

void
drill_scorecard_render(const cJSON *card, int markdown, struct strbuf *out)
{
	int md = markdown;

	strbuf_addf(out, "%sScore: %d", md ? "**" : "", int_of(card, "score"));
	if (cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(card, "max")))
		strbuf_addf(out, " / %d", int_of(card, "max"));
	strbuf_addf(out, "%s\n%s", md ? "**" : "", md ? "\n" : "");
	render_criteria(card, md, out);
	render_decision(card, md, out);
	render_unexecuted(card, md, out);
	render_steps(card, "unverified", "Required verifications marked n/a "
		     "(not proven)", md, out);
	render_steps(card, "unassessed", "Required assess checks marked n/a "
		     "(never looked at)", md, out);
	render_steps(card, "uncommunicated", "Required communicate steps "
		     "marked n/a", md, out);
	render_steps(card, "skipped", "Optional steps left open", md, out);
	render_steps(card, "unverifiable", "Checks the drill cannot show "
		     "(not scored; a tick is on faith)", md, out);
	render_follow_ups(card, md, out);
	render_phases(card, md, out);
	render_predictions(card, md, out);
}

int
session_recovery_unproven(const struct session *s, char *why, size_t size)
{
	return unproven_recovery(s, why, size);
}
