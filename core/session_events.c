/* Applying journal events to the session state. This is the only place
 * where step states, variables and the phase change, for live actions,
 * resumed sessions and events appended by other processes alike. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "clock.h"
#include "drill.h"
#include "evtext.h"
#include "journal.h"
#include "runner.h"
#include "session_int.h"
#include "strbuf.h"
#include "timefmt.h"
#include "xalloc.h"

static const char *
pstr(const struct journal_event *ev, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		ev->payload, key));
}

static void
set_value(struct session *s, const char *name, const char *value)
{
	for (size_t i = 0; i < s->pb->n_variables; i++) {
		if (strcmp(s->pb->variables[i].name, name) != 0)
			continue;
		free(s->values[i]);
		s->values[i] = xstrdup_or_null(value);
		if (value && s->pb->variables[i].secret)
			session_add_secret(s, value);
	}
	if (playbook_targets_use(s->pb, name))
		session_resolve_targets(s);
}

static void
on_started(struct session *s, const struct journal_event *ev)
{
	s->start_wall_us = ev->wall_us;
	const char *mode = pstr(ev, "mode");
	const char *scenario = pstr(ev, "scenario");

	free(s->operator);
	s->operator = xstrdup(pstr(ev, "operator") ? pstr(ev, "operator")
						   : ev->actor);
	s->mode = mode && strcmp(mode, "drill") == 0 ? SESSION_DRILL
						     : SESSION_LIVE;
	free(s->scenario);
	s->scenario = xstrdup_or_null(scenario);
	free(s->workdir);
	s->workdir = xstrdup_or_null(pstr(ev, "workdir"));
	if (s->mode == SESSION_DRILL)
		playbook_use_scenario_rto(s->pb, scenario);
	s->started = 1;
}

/* Who set NAME, and when: the latest var.set wins; the Journal tab has
 * the earlier ones. */
static void
note_setter(struct session *s, const char *name,
	    const struct journal_event *ev)
{
	ssize_t i = playbook_var_index(s->pb, name);

	if (i < 0)
		return;
	free(s->setters[i].by);
	s->setters[i].by = xstrdup(ev->actor ? ev->actor : "?");
	s->setters[i].wall_us = ev->wall_us;
	s->setters[i].n_sets++;
}

/* An input step is done once its variable holds a value. */
static void
on_var_set(struct session *s, const struct journal_event *ev)
{
	const char *name = pstr(ev, "name");

	if (!name)
		return;
	set_value(s, name, pstr(ev, "value"));
	note_setter(s, name, ev);
	for (size_t i = 0; i < s->n_steps; i++) {
		struct step_rt *rt = &s->steps[i];

		if (rt->def->kind == STEP_KIND_INPUT &&
		    strcmp(rt->def->variable, name) == 0 &&
		    (rt->state == STEP_OPEN || rt->state == STEP_FAILED))
			rt->state = STEP_DONE;
	}
}

static void
set_state(struct session *s, const struct journal_event *ev,
	  enum step_state st)
{
	struct step_rt *rt = session_find_step(s, ev->step);

	if (rt)
		rt->state = st;
}

static void
on_ticked(struct session *s, const struct journal_event *ev)
{
	struct step_rt *rt = session_find_step(s, ev->step);

	set_state(s, ev, STEP_DONE);
	if (rt) {
		free(rt->reopened);
		rt->reopened = NULL;
	}
	/* A run, not a check: its interrupted run checked by hand and
	 * found to have done its work. */
	if (rt && rt->def->kind != STEP_KIND_CHECK) {
		free(rt->hand_check);
		rt->hand_check = xstrdup(pstr(ev, "note") ? pstr(ev, "note")
					 : "");
	}
}

/* A done step reopened: it ran (or was checked) with values that have
 * changed since; it is to do again. */
static void
on_reopened(struct session *s, const struct journal_event *ev)
{
	struct step_rt *rt = session_find_step(s, ev->step);

	if (!rt)
		return;
	rt->state = STEP_OPEN;
	free(rt->reopened);
	rt->reopened = xstrdup_or_null(pstr(ev, "reason"));
	free(rt->na_reason);	/* no longer n/a */
	rt->na_reason = NULL;
}

/* A check ticked by mistake: open again, no longer ticked by anyone. */
static void
on_unticked(struct session *s, const struct journal_event *ev)
{
	struct step_rt *rt = session_find_step(s, ev->step);

	if (!rt)
		return;
	rt->state = STEP_OPEN;
	free(rt->reopened);
	rt->reopened = NULL;
}

/* A step closed without being done: its state, and the reason given. */
static void
set_closed(struct session *s, const struct journal_event *ev,
	   enum step_state st)
{
	struct step_rt *rt = session_find_step(s, ev->step);

	if (!rt)
		return;
	rt->state = st;
	free(rt->na_reason);
	rt->na_reason = xstrdup_or_null(pstr(ev, "reason"));
}

static void
on_na(struct session *s, const struct journal_event *ev)
{
	set_closed(s, ev, STEP_NA);
}

static void
on_skipped(struct session *s, const struct journal_event *ev)
{
	set_closed(s, ev, STEP_SKIPPED);
}

/* The last lines an interrupted run printed (read from its cast file),
 * when the event says: its outcome stays unknown, but what it printed is
 * shown as a finished run's is. */
static void
keep_tail(struct step_rt *rt, const struct journal_event *ev)
{
	if (!pstr(ev, "tail"))
		return;
	free(rt->result);
	rt->result = xstrdup(pstr(ev, "tail"));
}

static void
on_interrupted(struct session *s, const struct journal_event *ev)
{
	struct step_rt *rt = session_find_step(s, ev->step);

	if (rt) {
		const cJSON *runs = cJSON_GetObjectItemCaseSensitive(
			ev->payload, "still_running");

		rt->state = STEP_INTERRUPTED;
		rt->run_unknown = 1;
		rt->output_cut = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
			ev->payload, "output_may_be_cut"));
		keep_tail(rt, ev);
		/* What was known then: its process still ran (step.orphan
		 * follows), or had ended. */
		if (cJSON_IsBool(runs))
			rt->orphan = cJSON_IsTrue(runs);
		rt->cancelled = 0;
		rt->confirmed = 0;	/* a re-run is confirmed afresh */
		rt->proc = NULL;
	}
}

static void
on_spawned(struct session *s, const struct journal_event *ev)
{
	struct step_rt *rt = session_find_step(s, ev->step);
	const cJSON *pid = cJSON_GetObjectItemCaseSensitive(ev->payload, "pid");
	const char *start = pstr(ev, "start_time");
	const cJSON *keeper = cJSON_GetObjectItemCaseSensitive(ev->payload,
							       "keeper");

	if (!rt || !cJSON_IsNumber(pid))
		return;
	rt->run_pid = (long)pid->valuedouble;
	rt->run_start = start ? strtoull(start, NULL, 10) : 0;
	free(rt->run_boot);
	rt->run_boot = xstrdup_or_null(pstr(ev, "boot_id"));
	rt->run_wall_us = ev->wall_us;
	rt->ended_after_quit = 0;
	rt->keeper_pid = 0;
	rt->keeper_start = 0;
	if (cJSON_IsObject(keeper) &&
	    cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(keeper, "pid"))) {
		const cJSON *ks = cJSON_GetObjectItemCaseSensitive(
			keeper, "start_time");

		rt->keeper_pid = (long)cJSON_GetObjectItemCaseSensitive(
			keeper, "pid")->valuedouble;
		rt->keeper_start = cJSON_IsString(ks)
			? strtoull(ks->valuestring, NULL, 10) : 0;
	}
}

/* A run's process that outlived the console that started it. */
static void
on_orphan(struct session *s, const struct journal_event *ev)
{
	struct step_rt *rt = session_find_step(s, ev->step);

	if (rt) {
		rt->orphan = 1;
		rt->orphan_stopping = 0;
		rt->orphan_kill_us = 0;
	}
}

static void
on_orphan_stop(struct session *s, const struct journal_event *ev)
{
	struct step_rt *rt = session_find_step(s, ev->step);

	if (rt) {
		char at[32];

		rt->orphan_stopping = 1;
		free(rt->orphan_end);	/* what was done, until it ends */
		rt->orphan_end = xasprintf(
			"stopped by %s (%s sent at %s)", ev->actor
			? ev->actor : "?", pstr(ev, "signal")
			? pstr(ev, "signal") : "a signal",
			timefmt_us(ev->wall_us, TF_HMS_ZONE, at, sizeof(at)));
	}
}

/* How an orphan ended, in words: what the operator did to it (kept from
 * step.orphan_stop), then what its keeper recorded, or that nothing
 * recorded its exit status. */
static void
note_orphan_end(struct step_rt *rt, const struct journal_event *ev)
{
	const char *outcome = pstr(ev, "outcome");
	const char *status = outcome && strcmp(outcome, "unknown") != 0
			     ? outcome : pstr(ev, "exit_status");
	struct strbuf sb = STRBUF_INIT;
	int64_t ended = 0;
	char at[32] = "?";

	rt->exit_known = status != NULL;
	if (!rt->orphan_stopping && !status) {	/* nothing more to say */
		free(rt->orphan_end);
		rt->orphan_end = NULL;
		return;
	}
	if (rt->orphan_stopping && rt->orphan_end)
		strbuf_adds(&sb, rt->orphan_end);
	else
		strbuf_adds(&sb, pstr(ev, "how") ? pstr(ev, "how")
						 : "it ended");
	if (pstr(ev, "ended") &&
	    clock_parse_rfc3339(pstr(ev, "ended"), &ended) == 0)
		timefmt_us(ended, TF_HMS_ZONE, at, sizeof(at));
	if (status)
		strbuf_addf(&sb, "; its keeper recorded: %s at %s", status,
			    at);
	else if (pstr(ev, "keeper"))
		strbuf_adds(&sb, "; its keeper was stopped before it "
			    "recorded the exit status");
	else
		strbuf_adds(&sb, "; its exit status was not recorded");
	free(rt->orphan_end);
	rt->orphan_end = strbuf_detach(&sb);
}

static void
on_orphan_ended(struct session *s, const struct journal_event *ev)
{
	struct step_rt *rt = session_find_step(s, ev->step);

	if (rt) {
		note_orphan_end(rt, ev);
		rt->orphan = 0;
		rt->orphan_kill_us = 0;
		rt->orphan_gone_us = 0;
		keep_tail(rt, ev);
	}
}

static void
on_confirmed(struct session *s, const struct journal_event *ev)
{
	struct step_rt *rt = session_find_step(s, ev->step);

	const char *sha = pstr(ev, "command_sha256");

	if (!rt)
		return;
	rt->confirmed = 1;
	snprintf(rt->confirmed_for, sizeof(rt->confirmed_for), "%s",
		 sha ? sha : "");
}

static void
on_mistyped(struct session *s, const struct journal_event *ev)
{
	struct step_rt *rt = session_find_step(s, ev->step);

	if (rt)
		rt->n_mistyped++;
}

static void
on_step_started(struct session *s, const struct journal_event *ev)
{
	struct step_rt *rt = session_find_step(s, ev->step);
	const char *out = pstr(ev, "output");

	if (!rt)
		return;
	rt->state = STEP_RUNNING;
	if (!rt->first_run_us)
		rt->first_run_us = ev->wall_us;
	rt->cancelled = 0;
	free(rt->reopened);
	rt->reopened = NULL;
	rt->n_runs++;
	rt->output_matched = 0;
	rt->confirmed = 0;	/* used up: each destructive run needs its own */
	rt->run_pid = 0;
	rt->run_start = 0;
	rt->run_wall_us = 0;
	rt->orphan = rt->orphan_stopping = 0;
	rt->orphan_gone_us = 0;
	rt->run_unknown = 0;
	rt->output_cut = 0;
	free(rt->hand_check);
	rt->hand_check = NULL;
	free(rt->orphan_end);
	rt->orphan_end = NULL;
	rt->exit_known = 0;
	free(rt->result);	/* the last run's output is not this one's */
	rt->result = NULL;
	free(rt->run_by);
	rt->run_by = xstrdup_or_null(ev->actor);
	free(rt->cast_rel);
	rt->cast_rel = xstrdup_or_null(out);
}

static void
on_step_finished(struct session *s, const struct journal_event *ev)
{
	struct step_rt *rt = session_find_step(s, ev->step);
	cJSON *ok = cJSON_GetObjectItemCaseSensitive(ev->payload, "ok");

	if (!rt)
		return;
	free(rt->result);
	free(rt->reason);
	rt->result = pstr(ev, "tail") ? xstrdup(pstr(ev, "tail")) : NULL;
	rt->reason = pstr(ev, "reason") ? xstrdup(pstr(ev, "reason")) : NULL;
	rt->exit_code = cJSON_GetObjectItemCaseSensitive(ev->payload, "exit")
		? cJSON_GetObjectItemCaseSensitive(ev->payload, "exit")->valueint
		: 0;
	rt->state = cJSON_IsTrue(ok) ? STEP_DONE : STEP_FAILED;
	rt->ended_after_quit = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
		ev->payload, "after_console_quit")) ? ev->wall_us : 0;
	/* journalled by this console (not read back): news of this resume */
	rt->ended_news = rt->ended_after_quit && !s->replaying;
	if (rt->ended_after_quit && pstr(ev, "ended")) {
		int64_t at;

		if (clock_parse_rfc3339(pstr(ev, "ended"), &at) == 0)
			rt->ended_after_quit = at;
	}
	/* Its console killed, what it printed after that may be lost (a
	 * step.interrupted may have said so first). */
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
		    ev->payload, "output_may_be_cut")))
		rt->output_cut = 1;
	rt->cancelled = session_outcome_unknown(ev->payload);
	rt->run_unknown = rt->cancelled;
	if (rt->cancelled)
		rt->state = STEP_INTERRUPTED;
	rt->confirmed = 0;	/* each destructive run needs its own */
	rt->proc = NULL;
	rt->timer = 0;
}

static void
on_decision(struct session *s, const struct journal_event *ev)
{
	struct step_rt *rt = session_find_step(s, ev->step);
	const char *option = pstr(ev, "option");

	if (!rt || !option)
		return;
	free(rt->option);
	rt->option = xstrdup(option);
	rt->state = STEP_DONE;
}

static int
approvals_complete(const struct step_rt *rt)
{
	for (size_t i = 0; i < rt->def->n_roles; i++) {
		int have = 0;

		for (size_t j = 0; j < rt->n_approvals; j++)
			have += strcmp(rt->approvals[j].role,
				       rt->def->roles[i].role) == 0;
		if (have < rt->def->roles[i].count)
			return 0;
	}
	return 1;
}

static void
on_approval(struct session *s, const struct journal_event *ev)
{
	struct step_rt *rt = session_find_step(s, ev->step);
	struct approval *a;

	if (!rt || !pstr(ev, "role") || !pstr(ev, "name"))
		return;
	rt->approvals = xrealloc(rt->approvals,
				 (rt->n_approvals + 1) * sizeof(*a));
	a = &rt->approvals[rt->n_approvals++];
	a->role = xstrdup(pstr(ev, "role"));
	a->name = xstrdup(pstr(ev, "name"));
	a->hash = xstrdup(pstr(ev, "gate_hash") ? pstr(ev, "gate_hash") : "");
	a->wall_us = ev->wall_us;
	a->entered = evtext_provenance(ev->payload, 0);
	a->steps_hash = session_steps_hash(s, rt);
	if (approvals_complete(rt))
		rt->state = STEP_DONE;
}

static void
drop_approval(struct step_rt *rt, size_t i)
{
	free(rt->approvals[i].role);
	free(rt->approvals[i].name);
	free(rt->approvals[i].hash);
	free(rt->approvals[i].entered);
	free(rt->approvals[i].steps_hash);
	memmove(&rt->approvals[i], &rt->approvals[i + 1],
		(rt->n_approvals - i - 1) * sizeof(*rt->approvals));
	rt->n_approvals--;
}

static void
on_voided(struct session *s, const struct journal_event *ev)
{
	struct step_rt *rt = session_find_step(s, ev->step);
	const char *role = pstr(ev, "role");
	const char *name = pstr(ev, "name");

	for (size_t i = 0; rt && role && name && i < rt->n_approvals; i++) {
		if (strcmp(rt->approvals[i].role, role) == 0 &&
		    strcmp(rt->approvals[i].name, name) == 0) {
			drop_approval(rt, i);
			break;
		}
	}
	if (rt) {
		free(rt->voided_note);
		rt->voided_note = session_voided_note(ev->payload);
		rt->voided = 1;
	}
	if (rt && !approvals_complete(rt))
		rt->state = STEP_OPEN;
}

static void
on_sent(struct session *s, const struct journal_event *ev)
{
	set_state(s, ev, STEP_DONE);
}

static void
on_phase(struct session *s, const struct journal_event *ev)
{
	enum phase_id to;

	if (pstr(ev, "to") && playbook_phase_parse(pstr(ev, "to"), &to) == 0)
		s->phase = to;
	if (pstr(ev, "from") && strcmp(pstr(ev, "from"), "verify") == 0)
		s->verify_end_wall_us = ev->wall_us;
}

static void
on_completed(struct session *s, const struct journal_event *ev)
{
	s->complete = 1;
	s->complete_wall_us = ev->wall_us;
}

/* Keep the answer's text so that a resumed session's sources journal an
 * answer again only when it changed. */
static void
remember_answer(struct session *s, const char *key, const cJSON *answer)
{
	char *text = answer ? cJSON_PrintUnformatted(answer) : NULL;

	if (!text)
		return;
	if (!s->answers)
		s->answers = cJSON_CreateObject();
	cJSON_DeleteItemFromObjectCaseSensitive(s->answers, key);
	cJSON_AddStringToObject(s->answers, key, text);
	free(text);
}

static void
on_tags_answer(struct session *s, const struct journal_event *ev)
{
	remember_answer(s, "tags", ev->payload);
}

static void
on_registry_answer(struct session *s, const struct journal_event *ev)
{
	const char *name = pstr(ev, "name");
	char *key;

	if (!name)
		return;
	key = xasprintf("registry:%s", name);
	remember_answer(s, key, cJSON_GetObjectItemCaseSensitive(ev->payload,
								  "answer"));
	free(key);
}

static void
on_operator_changed(struct session *s, const struct journal_event *ev)
{
	session_apply_operator_changed(s, pstr(ev, "to"));
}

/* An offered hand-over stands until it is withdrawn or taken (by the
 * successor it names, or by a forced take). */
static void
on_handover_offer(struct session *s, const struct journal_event *ev)
{
	free(s->offer_to);
	s->offer_to = strcmp(ev->type, "session.handover_offered") == 0
		    ? xstrdup_or_null(pstr(ev, "to")) : NULL;
	/* Taken over: the successor's directory is the session's now. */
	if (strcmp(ev->type, "session.handover") == 0 && pstr(ev, "workdir")) {
		free(s->workdir);
		s->workdir = xstrdup(pstr(ev, "workdir"));
	}
}

static const struct {
	const char *type;
	void (*apply)(struct session *s, const struct journal_event *ev);
} handlers[] = {
	{ "session.started", on_started },
	{ "var.set", on_var_set },
	{ "step.ticked", on_ticked },
	{ "step.na", on_na },
	{ "step.skipped", on_skipped },
	{ "step.confirmed", on_confirmed },
	{ "step.confirm_mismatch", on_mistyped },
	{ "step.started", on_step_started },
	{ "step.finished", on_step_finished },
	{ "step.interrupted", on_interrupted },
	{ "step.reopened", on_reopened },
	{ "step.unticked", on_unticked },
	{ "step.spawned", on_spawned },
	{ "step.orphan", on_orphan },
	{ "step.orphan_stop", on_orphan_stop },
	{ "step.orphan_ended", on_orphan_ended },
	{ "decision.made", on_decision },
	{ "approval.granted", on_approval },
	{ "approval.voided", on_voided },
	{ "message.sent", on_sent },
	{ "phase.advanced", on_phase },
	{ "session.completed", on_completed },
	{ "session.operator_changed", on_operator_changed },
	{ "session.handover_offered", on_handover_offer },
	{ "session.handover_withdrawn", on_handover_offer },
	{ "session.handover", on_handover_offer },
	{ "tags.answer", on_tags_answer },
	{ "registry.answer", on_registry_answer },
};

/* The console that drives the session: who opened or resumed it last,
 * and whether it said it ended. */
static void
note_driver(struct session *s, const struct journal_event *ev)
{
	const cJSON *c, *pid;
	const char *start, *boot;

	if (strcmp(ev->type, "session.quit") == 0) {
		s->driver_quit_us = ev->wall_us;
		return;
	}
	if (strcmp(ev->type, "session.started") != 0 &&
	    strcmp(ev->type, "session.resumed") != 0)
		return;
	c = cJSON_GetObjectItemCaseSensitive(ev->payload, "console");
	pid = cJSON_GetObjectItemCaseSensitive(c, "pid");
	start = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
					     c, "start_time"));
	boot = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
					    c, "boot_id"));
	s->driver_quit_us = 0;
	s->driver_pid = cJSON_IsNumber(pid) && start
			? (long)pid->valuedouble : 0;
	s->driver_start = start ? strtoull(start, NULL, 10) : 0;
	free(s->driver_boot);
	s->driver_boot = xstrdup_or_null(boot);
	free(s->driver_login);
	s->driver_login = xstrdup_or_null(cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(c, "login")));
}

/* Whether EV is rewind's record of how a run that outlived its console
 * went (its keeper's record, its process seen running or gone): the run
 * stays the operator's who started it, not rewind's. */
static int
run_owned(const struct step_rt *rt, const struct journal_event *ev)
{
	if (!rt->run_by || !ev->actor || strcmp(ev->actor, "rewind") != 0)
		return 0;
	if (strcmp(ev->type, "step.finished") == 0)
		return pstr(ev, "recorded_by") &&
		       strcmp(pstr(ev, "recorded_by"), "keeper") == 0;
	return strcmp(ev->type, "step.orphan") == 0 ||
	       strcmp(ev->type, "step.orphan_ended") == 0;
}

/* Remember who touched a step last, and when, for the checklist. */
static void
note_step_actor(struct session *s, const struct journal_event *ev)
{
	struct step_rt *rt = session_find_step(s, ev->step);

	/* Deliveries are the system's: the step stays the sender's. */
	if (!rt || strcmp(ev->type, "action.refused") == 0 ||
	    strcmp(ev->type, "message.delivered") == 0 ||
	    strcmp(ev->type, "message.failed") == 0)
		return;
	free(rt->actor);
	rt->actor = xstrdup(run_owned(rt, ev) ? rt->run_by : ev->actor);
	rt->wall_us = ev->wall_us;
}

/* When the step's work was done, for the time a time_of variable offers
 * (rtoclock_done_event). */
static void
note_step_done(struct session *s, const struct journal_event *ev)
{
	struct step_rt *rt = session_find_step(s, ev->step);

	if (rt)
		rtoclock_done_event(&rt->done, ev->type, ev->payload,
				    ev->wall_us);
}

void
session_apply_event(struct session *s, const struct journal_event *ev)
{
	s->last_wall_us = ev->wall_us;
	if (strcmp(ev->type, "action.refused") != 0)
		s->last_console_us = ev->wall_us;
	note_driver(s, ev);
	note_step_actor(s, ev);
	note_step_done(s, ev);
	session_message_event(s, ev);	/* facts, queue, reminders */
	drill_observe(s, ev);		/* the drill's world, predictions */
	for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++) {
		if (strcmp(handlers[i].type, ev->type) == 0) {
			handlers[i].apply(s, ev);
			return;
		}
	}
	/* Other types (notes, refusals, resumes, cuts) change no state. */
}
