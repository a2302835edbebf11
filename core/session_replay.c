/* Snapshots of a session's run-time state, so a replay can jump to any
 * event by restoring the nearest snapshot and applying the events after
 * it, instead of applying the whole journal again. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "drill.h"
#include "session_int.h"
#include "xalloc.h"

struct session_state {
	struct step_rt *steps;
	size_t n_steps;
	char **values;
	size_t n_values;
	enum phase_id phase;
	int complete;
	int64_t complete_wall_us;
	int64_t verify_end_wall_us;
	int started;
	int64_t start_wall_us;
	char *operator;
	enum session_mode mode;
	char *scenario;
	char *decision_label;	/* message facts (session_send.c) */
	char *decision_reason;
	int64_t executed_wall_us;
	struct drill *drill;	/* the drill's record (drill.c), or NULL */
};

/* Release the strings and approvals of RT; its scalars stay. */
static void
rt_strings_free(struct step_rt *rt)
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
	rt->run_boot = NULL;
	free(rt->na_reason);
	rt->na_reason = NULL;
	free(rt->reopened);
	rt->reopened = NULL;
	free(rt->hand_check);
	rt->hand_check = NULL;
	free(rt->run_by);
	rt->run_by = NULL;
	free(rt->orphan_end);
	rt->orphan_end = NULL;
	rt->approvals = NULL;
	rt->n_approvals = 0;
	rt->voided_note = NULL;
	rt->voided = 0;
	rt->option = rt->cast_rel = rt->actor = rt->result = rt->reason = NULL;
}

/* A deep copy of SRC into DST; what runs on a loop (process, timer) is
 * never part of a snapshot. */
static void
rt_copy(struct step_rt *dst, const struct step_rt *src)
{
	*dst = *src;
	dst->proc = NULL;
	dst->timer = 0;
	dst->wait_ctx = NULL;
	dst->option = xstrdup_or_null(src->option);
	dst->cast_rel = xstrdup_or_null(src->cast_rel);
	dst->actor = xstrdup_or_null(src->actor);
	dst->result = xstrdup_or_null(src->result);
	dst->reason = xstrdup_or_null(src->reason);
	dst->run_boot = xstrdup_or_null(src->run_boot);
	dst->na_reason = xstrdup_or_null(src->na_reason);
	dst->reopened = xstrdup_or_null(src->reopened);
	dst->hand_check = xstrdup_or_null(src->hand_check);
	dst->run_by = xstrdup_or_null(src->run_by);
	dst->orphan_end = xstrdup_or_null(src->orphan_end);
	dst->approvals = src->n_approvals
		? xcalloc(src->n_approvals, sizeof(*dst->approvals)) : NULL;
	for (size_t i = 0; i < src->n_approvals; i++) {
		dst->approvals[i].role = xstrdup(src->approvals[i].role);
		dst->approvals[i].name = xstrdup(src->approvals[i].name);
		dst->approvals[i].hash = xstrdup(src->approvals[i].hash);
		dst->approvals[i].entered =
			xstrdup_or_null(src->approvals[i].entered);
		dst->approvals[i].wall_us = src->approvals[i].wall_us;
		dst->approvals[i].steps_hash =
			xstrdup_or_null(src->approvals[i].steps_hash);
	}
	dst->voided_note = xstrdup_or_null(src->voided_note);
}

struct session_state *
session_state_dup(const struct session *s)
{
	struct session_state *st = xcalloc(1, sizeof(*st));

	st->n_steps = s->n_steps;
	st->steps = xcalloc(s->n_steps ? s->n_steps : 1, sizeof(*st->steps));
	for (size_t i = 0; i < s->n_steps; i++)
		rt_copy(&st->steps[i], &s->steps[i]);
	st->n_values = s->pb->n_variables;
	st->values = xcalloc(st->n_values ? st->n_values : 1,
			     sizeof(*st->values));
	for (size_t i = 0; i < st->n_values; i++)
		st->values[i] = xstrdup_or_null(s->values[i]);
	st->phase = s->phase;
	st->complete = s->complete;
	st->complete_wall_us = s->complete_wall_us;
	st->verify_end_wall_us = s->verify_end_wall_us;
	st->started = s->started;
	st->start_wall_us = s->start_wall_us;
	st->operator = xstrdup_or_null(s->operator);
	st->mode = s->mode;
	st->scenario = xstrdup_or_null(s->scenario);
	st->decision_label = xstrdup_or_null(s->decision_label);
	st->decision_reason = xstrdup_or_null(s->decision_reason);
	st->executed_wall_us = s->executed_wall_us;
	st->drill = drill_snapshot(s);
	return st;
}

void
session_state_restore(struct session *s, const struct session_state *st)
{
	if (st->n_steps != s->n_steps || st->n_values != s->pb->n_variables)
		BUG("session_state_restore: snapshot of another playbook");
	for (size_t i = 0; i < s->n_steps; i++) {
		rt_strings_free(&s->steps[i]);
		rt_copy(&s->steps[i], &st->steps[i]);
	}
	for (size_t i = 0; i < st->n_values; i++) {
		free(s->values[i]);
		s->values[i] = xstrdup_or_null(st->values[i]);
	}
	s->phase = st->phase;
	s->complete = st->complete;
	s->complete_wall_us = st->complete_wall_us;
	s->verify_end_wall_us = st->verify_end_wall_us;
	s->started = st->started;
	s->start_wall_us = st->start_wall_us;
	free(s->operator);
	s->operator = xstrdup_or_null(st->operator);
	s->mode = st->mode;
	free(s->scenario);
	s->scenario = xstrdup_or_null(st->scenario);
	free(s->decision_label);
	s->decision_label = xstrdup_or_null(st->decision_label);
	free(s->decision_reason);
	s->decision_reason = xstrdup_or_null(st->decision_reason);
	s->executed_wall_us = st->executed_wall_us;
	/* The drill's own record (predictions, injections, lists for the
	 * score card) as it was at the snapshot. */
	drill_restore(s, st->drill);
}

void
session_state_free(struct session_state *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < st->n_steps; i++)
		rt_strings_free(&st->steps[i]);
	drill_snapshot_free(st->drill, st->n_steps);
	free(st->steps);
	for (size_t i = 0; i < st->n_values; i++)
		free(st->values[i]);
	free(st->values);
	free(st->operator);
	free(st->scenario);
	free(st->decision_label);
	free(st->decision_reason);
	free(st);
}
