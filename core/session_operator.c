/* A change of operator when a session is resumed under another name: it
 * is journalled (session.operator_changed, with both names), and refused
 * to someone whose sign-off is in force on steps not yet run, since the
 * person who approved a change may not be the one who runs it. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "err.h"
#include "identity.h"
#include "session_int.h"
#include "xalloc.h"

/* Whether RT is still to run (or to run again): not done, skipped or
 * n/a, and its `when` holds. */
static int
still_to_run(const struct session *s, const struct step_rt *rt)
{
	return rt->state != STEP_DONE && rt->state != STEP_SKIPPED &&
	       rt->state != STEP_NA && session_step_active(s, rt);
}

/* The first step approve step AP gates that is still to run, or NULL. */
static const struct step_rt *
covered_step_to_run(const struct session *s, const struct step_rt *ap)
{
	for (size_t i = 0; i < s->n_steps; i++)
		if (session_approve_gates(ap, &s->steps[i]) &&
		    still_to_run(s, &s->steps[i]))
			return &s->steps[i];
	return NULL;
}

/* The approval in force by NAME on AP, or NULL. */
static const struct approval *
approval_by(const struct step_rt *ap, const char *name)
{
	for (size_t i = 0; i < ap->n_approvals; i++)
		if (identity_same(ap->approvals[i].name, name))
			return &ap->approvals[i];
	return NULL;
}

/* The refusal of NAME as the operator: A, the same person (or one NAME
 * passes for, quoted then), signed AP, whose sign-off covers STEP. */
static int
refuse_signer(const struct session *s, const char *name,
	      const struct approval *a, const struct step_rt *ap,
	      const struct step_rt *step, struct err *err)
{
	char *who = !strcmp(name, a->name) ? xstrdup(a->name)
		: xasprintf("'%s' is the same person as %s, who", name,
			    a->name);
	int rc = err_set(err, ERR_STATE, "--operator %s: %s approved %s as "
			 "%s, and that sign-off covers %s, not yet run; "
			 "whoever approved a change may not run it "
			 "(separation of duties): resume as %s or as someone "
			 "who did not sign", name, who, ap->def->id, a->role,
			 step->def->id,
			 s->operator ? s->operator : "the operator");

	free(who);
	return rc;
}

int
session_check_operator(const struct session *s, const char *name,
		       struct err *err)
{
	for (size_t i = 0; i < s->n_steps; i++) {
		const struct step_rt *ap = &s->steps[i], *step;
		const struct approval *a;

		if (ap->def->kind != STEP_KIND_APPROVE ||
		    !(a = approval_by(ap, name)) ||
		    !(step = covered_step_to_run(s, ap)))
			continue;
		return refuse_signer(s, name, a, ap, step, err);
	}
	return 0;
}

/* Journal the refusal of NAME as the operator (ERR says why) under the
 * login that tried, as a refused sign-off is, so a reviewer sees who
 * tried to take over; nothing else in the session changes. */
static void
journal_refused_operator(struct session *s, const char *name,
			 const struct err *err)
{
	cJSON *p = cJSON_CreateObject();
	struct err ignored = { 0 };

	cJSON_AddStringToObject(p, "action", "take-over");
	cJSON_AddStringToObject(p, "reason", err->msg);
	cJSON_AddStringToObject(p, "name", name);
	cJSON_AddItemToObject(p, "provenance", session_provenance(s));
	session_record(s, identity_real_login(), "action.refused", NULL, p,
		       &ignored);
}

int
session_change_operator(struct session *s, const char *name,
			struct err *err)
{
	cJSON *p;

	if (!s->operator || identity_same(name, s->operator))
		return 0;
	if (session_check_operator(s, name, err) < 0) {
		journal_refused_operator(s, name, err);
		return -1;
	}
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "from", s->operator);
	cJSON_AddStringToObject(p, "to", name);
	return session_record(s, name, "session.operator_changed", NULL, p,
			      err);
}

void
session_apply_operator_changed(struct session *s, const char *to)
{
	if (!to)
		return;
	free(s->operator);
	s->operator = xstrdup(to);
}
