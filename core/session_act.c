/* The action handlers: a table says which step kinds and states each
 * action applies to; common guards run first, then the handler, which
 * journals what happened. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "action.h"
#include "clock.h"
#include "drill.h"
#include "err.h"
#include "identity.h"
#include "journal.h"
#include "report.h"
#include "rtoclock.h"
#include "timefmt.h"
#include "runner.h"
#include "sanitize.h"
#include "session_int.h"
#include "sha256.h"
#include "strbuf.h"
#include "withdrawn.h"
#include "xalloc.h"

typedef int (*act_fn)(struct session *s, struct step_rt *rt,
		      const struct action *a, const char *actor,
		      struct err *err);

#define K(kind) (1u << STEP_KIND_##kind)
#define S(state) (1u << STEP_##state)
#define ALL_KINDS ((1u << STEP_KIND_COUNT) - 1)

/* --- variable references and templates ------------------------------------ */

void
session_each_ref(const struct session *s, const char *text,
		 void (*cb)(const char *name, void *arg), void *arg)
{
	for (size_t i = 0; text && i < s->pb->n_variables; i++)
		if (playbook_text_refs(text, s->pb->variables[i].name))
			cb(s->pb->variables[i].name, arg);
}

int64_t
session_var_offer_us(const struct session *s, const char *name)
{
	const struct pb_variable *v = playbook_find_var(s->pb, name);
	int64_t last = 0;

	for (size_t k = 0; v && k < v->n_time_of; k++) {
		const struct step_rt *rt = session_find_step(s, v->time_of[k]);

		/* when its work was done: a run's end, an interrupted run's
		 * hand check or seen end, never its start (rtoclock.h) */
		if (rt && rt->state == STEP_DONE && rt->done.at > last)
			last = rt->done.at;
	}
	return last;
}

char *
session_var_offer(const struct session *s, const char *name)
{
	int64_t last = session_var_offer_us(s, name);
	time_t t;
	struct tm tm;
	char buf[32];

	if (last <= 0)
		return NULL;
	t = (time_t)(last / 1000000);
	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M UTC", &tm);
	return xstrdup(buf);
}

char *
session_var_fresh_offer(const struct session *s, const char *name)
{
	const char *now = session_var(s, name);
	int64_t us = session_var_offer_us(s, name);
	int64_t at = now ? rtoclock_parse_when(now) : 0;

	if (us <= 0 || (now && (!at || at >= us - us % 60000000)))
		return NULL;
	return session_var_offer(s, name);
}

/* Facts a template may use besides the playbook's variables live in
 * session_send.c (session_fact); an unset variable that takes a step's
 * time (time_of) has it once that step is done. */
static int
expand_one(const struct session *s, const char *name, struct strbuf *out,
	   struct err *err)
{
	const struct pb_variable *v = playbook_find_var(s->pb, name);
	char *fact = !v ? session_fact(s, name) : session_var(s, name) ? NULL
		   : session_var_offer(s, name);
	const char *value = v && session_var(s, name) ? session_var(s, name)
						      : fact;

	if (!v && !session_is_fact(name))
		return err_set(err, ERR_NOTFOUND, "unknown variable ${%s}", name);
	if (!v && !value)
		return err_set(err, ERR_NOTFOUND, "${%s} is not known yet in "
			       "this session", name);
	if (!value)
		return err_set(err, ERR_NOTFOUND, "variable %s is not set "
			       "(set it with: set %s VALUE)", name, name);
	strbuf_adds(out, value);
	free(fact);
	return 0;
}

char *
session_expand(const struct session *s, const char *text, struct err *err)
{
	struct strbuf out = STRBUF_INIT;
	const char *p = text;

	while (*p) {
		const char *end;
		char *name;
		int rc;

		if (p[0] != '$' || p[1] != '{' || !(end = strchr(p + 2, '}'))) {
			strbuf_addc(&out, *p++);
			continue;
		}
		name = xstrndup(p + 2, (size_t)(end - p - 2));
		rc = expand_one(s, name, &out, err);
		free(name);
		if (rc < 0) {
			strbuf_done(&out);
			return NULL;
		}
		p = end + 1;
	}
	return strbuf_detach(&out);
}

/* --- approvals bound to what they approve ---------------------------------- */

static int
gates_step(const struct step_rt *approve, const struct step_rt *rt)
{
	const char *phase = playbook_phase_name(rt->phase);

	if (rt->def->kind == STEP_KIND_APPROVE)
		return 0;
	for (size_t i = 0; i < approve->def->n_gates; i++)
		if (strcmp(approve->def->gates[i], rt->def->id) == 0 ||
		    strcmp(approve->def->gates[i], phase) == 0)
			return 1;
	return 0;
}

int
session_approve_gates(const struct step_rt *ap, const struct step_rt *rt)
{
	return gates_step(ap, rt);
}

struct hash_ctx {
	struct session *s;
	struct sha256 *h;
};

static void
hash_var(const char *name, void *arg)
{
	struct hash_ctx *c = arg;
	const char *v = session_var(c->s, name);

	sha256_update(c->h, name, strlen(name));
	sha256_update(c->h, "=", 1);
	if (v)
		sha256_update(c->h, v, strlen(v) + 1);
	else
		sha256_update(c->h, "\1unset", 6);
}

static void
hash_text(struct hash_ctx *c, const char *text)
{
	if (text) {
		sha256_update(c->h, text, strlen(text));
		session_each_ref(c->s, text, hash_var, c);
	}
	sha256_update(c->h, "\n", 1);
}

static void
hash_step(struct hash_ctx *c, const struct step_rt *rt)
{
	const struct pb_step *d = rt->def;

	hash_text(c, d->id);
	hash_text(c, d->run);
	hash_text(c, d->cwd);
	hash_text(c, d->confirm);
	hash_text(c, d->probe.tag);
	hash_text(c, d->probe.version);
	hash_text(c, d->probe.url);
	hash_text(c, d->template);
}

char *
session_gate_hash(struct session *s, const struct step_rt *approve)
{
	struct sha256 h;
	struct hash_ctx c = { s, &h };
	char hex[65];

	sha256_init(&h);
	for (size_t i = 0; i < s->n_steps; i++) {
		const struct step_rt *rt = &s->steps[i];

		if (gates_step(approve, rt) && session_step_active(s, rt))
			hash_step(&c, rt);
	}
	sha256_final_hex(&h, hex);
	return xstrdup(hex);
}

char *
session_steps_hash(struct session *s, const struct step_rt *ap)
{
	char *all = xmalloc(s->n_steps * 64 + 1);

	for (size_t i = 0; i < s->n_steps; i++) {
		const struct step_rt *rt = &s->steps[i];
		struct sha256 h;
		struct hash_ctx c = { s, &h };
		char hex[65];

		memset(all + i * 64, '-', 64);
		if (!gates_step(ap, rt) || !session_step_active(s, rt))
			continue;
		sha256_init(&h);
		hash_step(&c, rt);
		sha256_final_hex(&h, hex);
		memcpy(all + i * 64, hex, 64);
	}
	all[s->n_steps * 64] = '\0';
	return all;
}

/* Whether RT, covered by approve step AP, is still to run: it applies and
 * is neither done nor n/a nor skipped. */
static int
still_to_run(const struct session *s, const struct step_rt *ap,
	     const struct step_rt *rt)
{
	return gates_step(ap, rt) && session_step_active(s, rt) &&
	       rt->state != STEP_DONE && rt->state != STEP_NA &&
	       rt->state != STEP_SKIPPED;
}

/* Whether approval A of AP no longer covers what is still to run: a step
 * still to run that it did not cover, or whose command or variables have
 * changed since. A change that only touches steps done, n/a or skipped
 * voids nothing: what ran, ran under it while it was valid. */
static int
stale_for_what_remains(struct session *s, const struct step_rt *ap,
		       const struct approval *a)
{
	char *now = session_steps_hash(s, ap);
	int stale = 0;

	for (size_t i = 0; i < s->n_steps && !stale; i++)
		stale = still_to_run(s, ap, &s->steps[i]) &&
			(!a->steps_hash || strlen(a->steps_hash) <= i * 64 ||
			 memcmp(a->steps_hash + i * 64, now + i * 64, 64));
	free(now);
	return stale;
}

/* The voided approval A's payload: which covered steps ran under it
 * while it was valid (done since it was given, though reopened since by
 * the change that voids it) and which remain without it (still to run). */
static void
add_void_steps(struct session *s, const struct step_rt *ap,
	       const struct approval *a, cJSON *p)
{
	cJSON *ran = cJSON_AddArrayToObject(p, "ran_while_valid");
	cJSON *left = cJSON_AddArrayToObject(p, "unapproved");

	for (size_t i = 0; i < s->n_steps; i++) {
		const struct step_rt *rt = &s->steps[i];

		if (gates_step(ap, rt) && rt->done.last_done &&
		    rt->done.last_done >= a->wall_us)
			cJSON_AddItemToArray(ran, cJSON_CreateString(
						     rt->def->id));
		if (still_to_run(s, ap, rt))
			cJSON_AddItemToArray(left, cJSON_CreateString(
						     rt->def->id));
	}
}

/* STR's string items joined by ", " into OUT, or "none". */
static void
join_ids(const cJSON *arr, struct strbuf *out)
{
	const cJSON *it;
	int n = 0;

	cJSON_ArrayForEach(it, arr)
		if (cJSON_IsString(it))
			strbuf_addf(out, "%s%s", n++ ? ", " : "",
				    it->valuestring);
	if (!n)
		strbuf_adds(out, "none");
}

char *
session_voided_note(const cJSON *p)
{
	const cJSON *ran = cJSON_GetObjectItemCaseSensitive(p,
							    "ran_while_valid");
	const cJSON *left = cJSON_GetObjectItemCaseSensitive(p, "unapproved");
	const char *name = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(p, "name"));
	const char *role = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(p, "role"));
	struct strbuf sb = STRBUF_INIT;
	char *note;

	if (!cJSON_GetArraySize(ran))	/* nothing ran under it */
		return NULL;
	strbuf_addf(&sb, "%s's sign-off as %s was voided after steps ran "
		    "under it: ran while it was valid: ", name ? name : "?",
		    role ? role : "?");
	join_ids(ran, &sb);
	strbuf_adds(&sb, "; unapproved now: ");
	join_ids(left, &sb);
	note = sanitize_text(strbuf_str(&sb), strlen(strbuf_str(&sb)));
	strbuf_done(&sb);
	return note;
}

static int
void_first_stale(struct session *s, struct step_rt *rt, struct err *err)
{
	char *now = session_gate_hash(s, rt);
	int rc = 0;

	for (size_t i = 0; i < rt->n_approvals; i++) {
		cJSON *p;

		if (strcmp(rt->approvals[i].hash, now) == 0 ||
		    !stale_for_what_remains(s, rt, &rt->approvals[i]))
			continue;
		p = cJSON_CreateObject();
		cJSON_AddStringToObject(p, "role", rt->approvals[i].role);
		cJSON_AddStringToObject(p, "name", rt->approvals[i].name);
		cJSON_AddStringToObject(p, "reason", "the commands or variables "
					"it approved have changed since");
		cJSON_AddStringToObject(p, "gate_hash", now);
		add_void_steps(s, rt, &rt->approvals[i], p);
		rc = session_record(s, "rewind", "approval.voided",
				    rt->def->id, p, err) < 0 ? -1 : 1;
		break;
	}
	free(now);
	return rc;
}

int
session_check_approvals(struct session *s, struct err *err)
{
	for (size_t i = 0; i < s->n_steps; i++) {
		struct step_rt *rt = &s->steps[i];
		int rc;

		if (rt->def->kind != STEP_KIND_APPROVE)
			continue;
		while ((rc = void_first_stale(s, rt, err)) > 0)
			;
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* The first approve step that gates RT and is not done, or NULL. */
static const struct step_rt *
missing_approval(const struct session *s, const struct step_rt *rt)
{
	for (size_t i = 0; i < s->n_steps; i++) {
		const struct step_rt *ap = &s->steps[i];

		if (ap->def->kind == STEP_KIND_APPROVE && gates_step(ap, rt) &&
		    session_step_active(s, ap) && ap->state != STEP_DONE)
			return ap;
	}
	return NULL;
}

/* A gated step that restores a version the registry withdrew: the
 * sign-off covers that too, so it says so. */
char *
session_approval_withdrawn(const struct session *s, const char *id)
{
	const struct step_rt *ap = session_find_step(s, id);

	if (!ap || ap->def->kind != STEP_KIND_APPROVE)
		return NULL;
	for (size_t i = 0; i < s->n_steps; i++) {
		const struct step_rt *rt = &s->steps[i];
		char *warning;

		if (!gates_step(ap, rt) || !session_step_active(s, rt))
			continue;
		warning = withdrawn_warning_for_text(s, rt->def->run);
		if (warning)
			return warning;
	}
	return NULL;
}

/* Whether RT is settled, so a sign-off given now no longer covers it:
 * skipped, n/a, or done with no command (a failed or interrupted step
 * may run again, and so may a done one with a command: its re-run needs
 * the sign-off, so the sign-off covers it). */
static int
step_settled(const struct step_rt *rt)
{
	return (rt->state == STEP_DONE && !rt->def->run) ||
	       rt->state == STEP_SKIPPED || rt->state == STEP_NA;
}

char *
session_approval_covers(const struct session *s, const char *id)
{
	const struct step_rt *ap = session_find_step(s, id);
	struct strbuf sb = STRBUF_INIT, settled = STRBUF_INIT;
	char *warning;

	if (!ap || ap->def->kind != STEP_KIND_APPROVE)
		return NULL;
	for (size_t i = 0; i < s->n_steps; i++) {
		const struct step_rt *rt = &s->steps[i];
		char *cmd, *title;

		if (!gates_step(ap, rt) || !session_step_active(s, rt))
			continue;
		title = session_show_text(s, rt->def->title);
		if (step_settled(rt)) {
			strbuf_addf(&settled, "    %s  %s  (%s)\n", rt->def->id,
				    title, session_state_name(rt->state));
			free(title);
			continue;
		}
		strbuf_addf(&sb, "  %s  %s%s%s\n", rt->def->id, title,
			    rt->def->destructive ? "  (destructive)" : "",
			    rt->state == STEP_DONE ? "  (done: it runs again "
			    "only with this sign-off)" : "");
		free(title);
		if (!rt->def->run)
			continue;
		cmd = session_show_command(s, rt->def->run);
		strbuf_addf(&sb, "      %s\n", cmd);
		free(cmd);
	}
	if (!sb.len)
		strbuf_adds(&sb, settled.len
			    ? "  (no step it gates is still to run)\n"
			    : "  (no step it gates applies now)\n");
	if (settled.len)
		strbuf_addf(&sb, "  Not covered, already done or n/a:\n%s",
			    strbuf_str(&settled));
	strbuf_done(&settled);
	warning = session_approval_withdrawn(s, id);
	if (warning)
		strbuf_addf(&sb, "  %s\n", warning);
	free(warning);
	return strbuf_detach(&sb);
}

/* A handler's return value for a refusal it journalled itself. */
#define REFUSED_AND_JOURNALLED (-2)

static cJSON *
refusal_payload(const struct action *a, const struct err *err)
{
	cJSON *p = cJSON_CreateObject();

	cJSON_AddStringToObject(p, "action", action_name(a->kind));
	cJSON_AddStringToObject(p, "reason", err ? err->msg : "");
	return p;
}

/* Never a second copy of a run while the first, left by a console that
 * died, still runs. */
static int
orphan_refusal(const struct step_rt *rt, const char *verb, struct err *err)
{
	return err_set(err, ERR_STATE, "%s %s: its run from the previous "
		       "console is still running (pid %ld); wait for it to "
		       "end, or stop it (cancel %s)", verb, rt->def->id,
		       rt->run_pid, rt->def->id);
}

/* --- handlers ---------------------------------------------------------------- */

/* Whether setting V to VALUE would change a target the sources already
 * watch (they are made once, when the session opens). */
static int
targets_fixed(const struct session *s, const struct pb_variable *v,
	      const char *value)
{
	const char *now = session_var(s, v->name);

	if (!s->sources || !playbook_targets_use(s->pb, v->name))
		return 0;
	if (!now)
		now = v->default_value;
	return !now || strcmp(now, value) != 0;
}

/* Journal step.reopened for step RT with REASON (and what caused it). */
static int
record_reopen(struct session *s, const struct step_rt *rt, const char *reason,
	      const char *after, const char *actor, struct err *err)
{
	cJSON *p = cJSON_CreateObject();

	cJSON_AddStringToObject(p, "reason", reason);
	if (after)
		cJSON_AddStringToObject(p, "after", after);
	return session_record(s, actor, "step.reopened", rt->def->id, p, err);
}

/* Check steps after RUN (in playbook order) ticked after it last ran:
 * they verified what it did with the old values, so they are to do again. */
static int
reopen_checks_after(struct session *s, size_t run, const char *actor,
		    struct err *err)
{
	const struct step_rt *rt = &s->steps[run];
	int64_t ran = rt->wall_us;
	char *why = xasprintf("it verified %s, which ran with other values "
			      "since reopened", rt->def->id);
	int rc = 0;

	for (size_t i = run + 1; i < s->n_steps && rc == 0; i++) {
		struct step_rt *ck = &s->steps[i];

		if (ck->def->kind == STEP_KIND_CHECK && ck->state == STEP_DONE &&
		    ck->wall_us >= ran)
			rc = record_reopen(s, ck, why, rt->def->id, actor, err);
	}
	free(why);
	return rc;
}

/* Whether RT is a message already sent whose text uses variable NAME. */
static int
sent_with(const struct step_rt *rt, const char *name)
{
	return rt->def->kind == STEP_KIND_MESSAGE && rt->state == STEP_DONE &&
	       rt->def->template && playbook_text_refs(rt->def->template, name);
}

/* After V changed from WAS to NOW: every done run step whose command uses
 * V ran with other values than it would now, so it is reopened (to run
 * again), and so are the checks ticked after it. */
static int
reopen_changed_runs(struct session *s, const struct pb_variable *v,
		    const char *was, const char *now, const char *actor,
		    struct err *err)
{
	char *why;
	int rc = 0;

	if (was && strcmp(was, now) == 0)
		return 0;
	why = v->secret ? xasprintf("ran with other values: %s has changed "
				    "since (secret)", v->name)
		: xasprintf("ran with other values: %s was %s, now %s",
			    v->name, was ? was : "unset", now);
	for (size_t i = 0; i < s->n_steps && rc == 0; i++) {
		struct step_rt *rt = &s->steps[i];

		if (sent_with(rt, v->name))
			rc = record_reopen(s, rt, "it was sent with other "
					   "values: send the corrected one", NULL,
					   actor, err);
		if (rt->def->kind != STEP_KIND_RUN || rt->state != STEP_DONE ||
		    !rt->def->run || !playbook_text_refs(rt->def->run, v->name))
			continue;
		rc = reopen_checks_after(s, i, actor, err);
		if (rc == 0)
			rc = record_reopen(s, rt, why, NULL, actor, err);
	}
	free(why);
	return rc;
}

/* The variable holding "latest" (the channel restored), or NULL. */
static const char *
latest_channel_var(const struct session *s)
{
	for (size_t i = 0; i < s->pb->n_variables; i++)
		if (s->values[i] && strcmp(s->values[i], "latest") == 0)
			return s->pb->variables[i].name;
	return NULL;
}

char *
session_value_warning(const struct session *s, const char *name,
		      const char *value)
{
	return prerelease_note(s->pb, name, value, latest_channel_var(s));
}

/* DETECTED_AT VALUE later than now (a minute's slack), in words. */
static char *
future_detection(const struct session *s, const char *name,
		 const char *value)
{
	int64_t at = strcmp(name, "DETECTED_AT") == 0
		? rtoclock_parse_when(value) : 0;
	int64_t now = clock_wall_now(s->clk);
	char when[32];
	int64_t ahead = (at - now + 59999999) / 60000000;	/* whole minutes, up */

	if (!at || at <= now + 60000000)
		return NULL;
	timefmt_us(now, TF_HM_ZONE, when, sizeof(when));
	return xasprintf("Warning: DETECTED_AT %s is %lldh %02lldm in the "
			 "future (now %s): detection cannot come after now; "
			 "was a local time typed as UTC?", value,
			 (long long)(ahead / 60), (long long)(ahead % 60),
			 when);
}

/* A time VALUE for a variable that takes a step's time (time_of, as
 * ROLLED_BACK_AT), earlier than the journal shows that step first ran:
 * in words, or NULL. The report does not use such a time. */
static char *
time_before_run(const struct session *s, const char *name,
		const char *value)
{
	const struct pb_variable *v = playbook_find_var(s->pb, name);
	int64_t at = v && v->n_time_of ? rtoclock_parse_when(value) : 0;
	int64_t now = clock_wall_now(s->clk);
	char when[32];

	/* A time typed to the minute covers that whole minute. */
	if (at && at > now + 60000000) {
		timefmt_us(now, TF_HM_ZONE, when, sizeof(when));
		return xasprintf("Warning: %s %s is in the future (now %s): the "
				 "report will not use it", name, value, when);
	}
	for (size_t k = 0; at && k < v->n_time_of; k++) {
		const struct step_rt *rt = session_find_step(s, v->time_of[k]);

		if (!rt || !rt->first_run_us ||
		    at + 60000000 > rt->first_run_us)
			continue;
		timefmt_us(rt->first_run_us, TF_HM_ZONE, when, sizeof(when));
		return xasprintf("Warning: %s %s is before %s first ran (%s, "
				 "in the journal): it cannot have ended "
				 "before it began; the report will not use "
				 "it", name, value, rt->def->id, when);
	}
	return NULL;
}

/* A and B joined by a space, either may be NULL; both released. */
static char *
join_warnings(char *a, char *b)
{
	char *both;

	if (!a || !b)
		return a ? a : b;
	both = xasprintf("%s %s", a, b);
	free(a);
	free(b);
	return both;
}

char *
session_set_warning(const struct session *s, const char *name,
		    const char *value)
{
	return join_warnings(join_warnings(
				     withdrawn_target_warning(s, name, value),
				     future_detection(s, name, value)),
			     time_before_run(s, name, value));
}

static int
act_set(struct session *s, struct step_rt *rt, const struct action *a,
	const char *actor, struct err *err)
{
	const struct pb_variable *v = playbook_find_var(s->pb, a->name);
	cJSON *p;
	char *was;

	(void)rt;
	if (!v)
		return err_set(err, ERR_NOTFOUND, "set: the playbook declares no "
			       "variable %s", a->name);
	if (playbook_var_validate(v, a->value, err) < 0)
		return err_prefix(err, "set %s", a->name);
	if (targets_fixed(s, v, a->value))
		return err_set(err, ERR_INVALID, "set %s: it names what the "
			       "panes and probes watch (targets); it was fixed "
			       "when the session opened (start a new session "
			       "with --var %s=VALUE)", v->name, v->name);
	was = xstrdup_or_null(session_var(s, v->name) ? session_var(s, v->name)
			      : v->default_value);
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "name", v->name);
	if (v->secret)
		cJSON_AddBoolToObject(p, "secret", 1);
	else
		cJSON_AddStringToObject(p, "value", a->value);
	if (!v->secret) {
		/* the one restore-target rule: pre-release, withdrawn,
		 * unpublished, or the version rolled back from */
		char *warn = session_set_warning(s, v->name, a->value);

		if (warn)
			cJSON_AddStringToObject(p, "warning", warn);
		free(warn);
	}
	if (session_record(s, actor, "var.set", NULL, p, err) < 0 ||
	    reopen_changed_runs(s, v, was, a->value, actor, err) < 0) {
		free(was);
		return -1;
	}
	free(was);
	/* The journal holds no secret (a secret variable, or a value that
	 * contains one was masked): the real value lives in memory only. */
	for (size_t i = 0; i < s->pb->n_variables; i++) {
		if (&s->pb->variables[i] == v &&
		    strcmp(s->values[i] ? s->values[i] : "", a->value) != 0) {
			free(s->values[i]);
			s->values[i] = xstrdup(a->value);
		}
	}
	if (v->secret)
		session_add_secret(s, a->value);
	if (playbook_targets_use(s->pb, v->name))
		session_resolve_targets(s);
	return session_check_approvals(s, err);
}

/* A check is ticked; a run, probe or wait step only when its run was
 * interrupted (its console died, or it was cancelled): ticking it records
 * that the operator checked by hand that the run did its work. */
static int
tick_applies(const struct step_rt *rt, struct err *err)
{
	if (rt->def->kind != STEP_KIND_CHECK && rt->orphan)
		return orphan_refusal(rt, "tick", err);	/* asked nothing */
	if (rt->def->kind == STEP_KIND_CHECK || rt->state == STEP_INTERRUPTED)
		return 0;
	return err_set(err, ERR_STATE, "tick %s: a %s step is done by running "
		       "it; tick records by hand only a run interrupted with its "
		       "outcome unknown", rt->def->id,
		       playbook_kind_name(rt->def->kind));
}

static int
act_tick(struct session *s, struct step_rt *rt, const struct action *a,
	 const char *actor, struct err *err)
{
	int by_hand = rt->def->kind != STEP_KIND_CHECK;
	cJSON *p;

	if (by_hand && rt->orphan)
		return orphan_refusal(rt, "tick", err);
	if (by_hand && (!a->text || !*a->text))
		return err_set(err, ERR_INVALID, "tick %s: say what you checked "
			       "to know the interrupted run did its work (e.g. "
			       "what the registry serves now)", rt->def->id);
	p = cJSON_CreateObject();
	if (a->text && *a->text)
		cJSON_AddStringToObject(p, "note", a->text);
	if (by_hand)
		cJSON_AddTrueToObject(p, "interrupted_run_checked");
	if (session_record(s, actor, "step.ticked", rt->def->id, p, err) < 0)
		return -1;
	/* A ticked check is a finished step: a drill's injections waiting
	 * for it (a yank done by hand, a release seen green) fire now. */
	return drill_fire_after(s, rt->def->id, err);
}

static int
act_na(struct session *s, struct step_rt *rt, const struct action *a,
       const char *actor, struct err *err)
{
	cJSON *p;

	if (rt->orphan)
		return orphan_refusal(rt, "na", err);
	if (!a->text || !*a->text)
		return err_set(err, ERR_INVALID, "na %s: give a reason",
			       rt->def->id);
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "reason", a->text);
	return session_record(s, actor, "step.na", rt->def->id, p, err);
}

/* One command at a time: a run step may start while another runs only
 * when the playbook marks both "parallel". */
static int
check_one_command(const struct session *s, const struct step_rt *rt,
		  struct err *err)
{
	for (size_t i = 0; rt->def->kind == STEP_KIND_RUN && i < s->n_steps;
	     i++) {
		const struct step_rt *o = &s->steps[i];

		if (o == rt || o->def->kind != STEP_KIND_RUN ||
		    (o->state != STEP_RUNNING && !o->orphan) ||
		    (rt->def->parallel && o->def->parallel))
			continue;
		return err_set(err, ERR_STATE, "run %s: step %s is still "
			       "running%s; one command runs at a time (wait for "
			       "it or cancel it; only steps both marked "
			       "\"parallel\": true run together)", rt->def->id,
			       o->def->id, o->orphan ? " from the previous "
			       "console" : "");
	}
	return 0;
}

/* Why RT cannot run now, whatever its confirmation: a run from the
 * previous console still going, RT marked n/a, RT itself or another
 * command running, a
 * destructive step in a read-only session, an approval missing. */
static int
run_refusal(const struct session *s, const struct step_rt *rt,
	    const char *verb, struct err *err)
{
	const struct step_rt *ap = missing_approval(s, rt);

	if (rt->orphan)
		return orphan_refusal(rt, verb, err);
	if (rt->state == STEP_NA)
		return err_set(err, ERR_STATE, "%s %s: the step is marked n/a "
			       "(%s), so it does not run", verb, rt->def->id,
			       rt->na_reason ? rt->na_reason : "no reason");
	if (rt->state == STEP_RUNNING)
		return err_set(err, ERR_STATE, "%s %s: the step is running "
			       "(wait for it, or cancel it)", verb, rt->def->id);
	if (check_one_command(s, rt, err) < 0)
		return -1;
	if (rt->def->destructive && s->read_only)
		return err_set(err, ERR_STATE, "%s %s: the step is destructive "
			       "and this session was opened read-only", verb,
			       rt->def->id);
	if (ap)
		return err_set(err, ERR_STATE, "%s %s: it needs the sign-off "
			       "of %s first (a in the console, or rewind "
			       "approve)", verb, rt->def->id, ap->def->id);
	return 0;
}

int
session_may_run(const struct session *s, const char *id, struct err *err)
{
	const struct step_rt *rt = session_find_step(s, id);

	if (!rt)
		return err_set(err, ERR_NOTFOUND, "run: no step \"%s\"", id);
	return run_refusal(s, rt, "run", err);
}

static const char *
raw_value(const char *name, const void *arg)
{
	return session_var(arg, name);
}

/* The sha256 of RT's command with the values its variables have now
 * (secrets included: only the digest is kept). */
static void
command_digest(const struct session *s, const struct step_rt *rt,
	       char hex[65])
{
	char *text = playbook_subst_refs(rt->def->run ? rt->def->run : "",
					 raw_value, s);

	sha256_hex(text, strlen(text), hex);
	free(text);
}

int
session_confirmation_holds(const struct session *s, const struct step_rt *rt)
{
	char hex[65];

	if (!rt->confirmed)
		return 0;
	if (!rt->confirmed_for[0])	/* a journal from before digests */
		return 1;
	command_digest(s, rt, hex);
	return strcmp(hex, rt->confirmed_for) == 0;
}

/* The confirmation text of RT as the operator must type it now. */
static char *
confirm_text(struct session *s, const struct step_rt *rt, struct err *err)
{
	const char *tmpl = rt->def->confirm ? rt->def->confirm : rt->def->id;
	char *want = session_expand(s, tmpl, err);

	if (want && session_confirm_blank(rt->def->id, tmpl, want, err)) {
		free(want);
		return NULL;
	}
	return want;
}

static int
act_run(struct session *s, struct step_rt *rt, const struct action *a,
	const char *actor, struct err *err)
{
	char *text;

	(void)a;
	if (run_refusal(s, rt, "run", err) < 0) {
		rt->confirmed = 0;	/* a refused run uses it up */
		return -1;
	}
	if (rt->def->destructive && !session_confirmation_holds(s, rt)) {
		int stale = rt->confirmed;

		rt->confirmed = 0;
		if (!(text = session_show_confirm(s, rt->def->confirm ?
						  rt->def->confirm : rt->def->id,
						  err)))
			return -1;
		err_set(err, ERR_STATE, "step %s is destructive: type the "
			"confirmation %s(confirm %s %s)", rt->def->id, stale
			? "again, its values changed since it was typed " : "first ",
			rt->def->id, text);
		free(text);
		return -1;
	}
	return session_run_step(s, rt, actor, err);
}

static int
act_cancel(struct session *s, struct step_rt *rt, const struct action *a,
	   const char *actor, struct err *err)
{
	(void)a;
	if (rt->state == STEP_INTERRUPTED)
		return session_orphan_stop(s, rt, actor, err);
	return session_cancel_step(s, rt, err);
}

/* An interrupted step is cancelled only while its run from the previous
 * console still runs. */
static int
cancel_applies(const struct step_rt *rt, struct err *err)
{
	if (rt->state != STEP_INTERRUPTED || rt->orphan)
		return 0;
	return err_set(err, ERR_STATE, "cancel %s: nothing is running (its "
		       "last run was interrupted)", rt->def->id);
}

/* Whether TYPED is WANT once its outer blanks are trimmed: one rule for
 * the console's dialog and batch mode's quoted text. */
static int
same_but_outer_blanks(const char *want, const char *typed)
{
	size_t n;

	while (*typed && isspace((unsigned char)*typed))
		typed++;
	n = strlen(typed);
	while (n && isspace((unsigned char)typed[n - 1]))
		n--;
	return n == strlen(want) && strncmp(want, typed, n) == 0;
}

static int
act_confirm(struct session *s, struct step_rt *rt, const struct action *a,
	    const char *actor, struct err *err)
{
	char *want, hex[65];
	cJSON *p;
	int rc;

	if (!rt->def->destructive)
		return err_set(err, ERR_STATE, "step %s is not destructive: "
			       "nothing to confirm (run %s)", rt->def->id,
			       rt->def->id);
	/* Nothing is confirmed for a run that cannot start now. */
	if (run_refusal(s, rt, "confirm", err) < 0)
		return -1;
	if (!(want = confirm_text(s, rt, err)))
		return -1;
	if (same_but_outer_blanks(want, a->text)) {
		command_digest(s, rt, hex);
		p = cJSON_CreateObject();
		cJSON_AddStringToObject(p, "command_sha256", hex);
		rc = session_record(s, actor, "step.confirmed", rt->def->id,
				    p, err);
		free(want);
		return rc;
	}
	free(want);
	want = session_show_confirm(s, rt->def->confirm ? rt->def->confirm
					: rt->def->id, err);
	err_set(err, ERR_INVALID, "confirmation of %s does not match: type "
		"exactly \"%s\"", rt->def->id, want ? want : "?");
	free(want);
	session_record(s, actor, "step.confirm_mismatch", rt->def->id,
		       refusal_payload(a, err), NULL);
	return REFUSED_AND_JOURNALLED;
}

/* The matrix cell for the current variable values, or -1. */
static int
matrix_cell(struct session *s, const struct pb_matrix *m)
{
	const char *rv = session_var(s, m->row_var);
	const char *cv = m->col_var ? session_var(s, m->col_var) : NULL;
	size_t ncols = m->col_var ? m->n_cols : 1;
	size_t r, c = 0;

	if (!rv || (m->col_var && !cv))
		return -1;
	for (r = 0; r < m->n_rows && strcmp(m->rows[r], rv) != 0; r++)
		;
	for (; m->col_var && c < m->n_cols && strcmp(m->cols[c], cv) != 0; c++)
		;
	if (r == m->n_rows || (m->col_var && c == m->n_cols))
		return -1;
	return (int)(r * ncols + c);
}

static void
add_recommendation(struct session *s, const struct pb_step *d,
		   const char *option, cJSON *p)
{
	int cell = d->matrix ? matrix_cell(s, d->matrix) : -1;
	cJSON *c;

	if (cell < 0)
		return;
	c = cJSON_AddObjectToObject(p, "cell");
	cJSON_AddStringToObject(c, d->matrix->row_var,
				session_var(s, d->matrix->row_var));
	if (d->matrix->col_var)
		cJSON_AddStringToObject(c, d->matrix->col_var,
					session_var(s, d->matrix->col_var));
	cJSON_AddStringToObject(p, "recommended", d->matrix->cells[cell]);
	cJSON_AddBoolToObject(p, "followed",
			      strcmp(d->matrix->cells[cell], option) == 0);
}

static int
set_from_option(struct session *s, const char *name, const char *value,
		const char *actor, struct err *err)
{
	struct action set = { .kind = ACT_SET };
	int rc;

	set.name = xstrdup(name);
	set.value = xstrdup(value);
	rc = act_set(s, NULL, &set, actor, err);
	action_done(&set);
	return rc;
}

static int
act_choose(struct session *s, struct step_rt *rt, const struct action *a,
	   const char *actor, struct err *err)
{
	const struct pb_option *o = playbook_find_option(rt->def, a->option);
	cJSON *p;

	if (!o)
		return err_set(err, ERR_NOTFOUND, "choose %s: no option \"%s\"",
			       rt->def->id, a->option);
	if (!a->text || !*a->text)
		return err_set(err, ERR_INVALID, "choose %s: give a reason",
			       rt->def->id);
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "option", o->id);
	cJSON_AddStringToObject(p, "label", o->label);
	cJSON_AddStringToObject(p, "reason", a->text);
	add_recommendation(s, rt->def, o->id, p);
	if (session_record(s, actor, "decision.made", rt->def->id, p, err) < 0)
		return -1;
	for (size_t i = 0; i < o->n_sets; i++)
		if (set_from_option(s, o->sets[i].name, o->sets[i].value, actor,
				    err) < 0)
			return -1;
	if (rt->def->variable)
		return set_from_option(s, rt->def->variable, o->id, actor, err);
	return 0;
}

/* The role of D that ROLE names, by the rule for approvers' names
 * (identity.h): blanks trimmed and collapsed, NFKC, case-folded. */
static const struct pb_role *
find_role(const struct pb_step *d, const char *role)
{
	for (size_t i = 0; role && i < d->n_roles; i++)
		if (identity_same(d->roles[i].role, role))
			return &d->roles[i];
	return NULL;
}

const char *
session_role_name(const struct session *s, const char *id, const char *role)
{
	const struct step_rt *rt = session_find_step(s, id);
	const struct pb_role *r = rt && rt->def->kind == STEP_KIND_APPROVE
		? find_role(rt->def, role) : NULL;

	return r ? r->role : NULL;
}

/* Whether TYPED is NAME as is, but for blanks around it: a name typed
 * in another width, font or script is quoted as typed instead. */
static int
typed_as_is(const char *typed, const char *name)
{
	char *t = identity_as_typed(typed);
	int same = !strcmp(t, name);

	free(t);
	return same;
}

/* The refusal of NAME (normalised; TYPED as the person typed it)
 * signing RT as the operator OP, under her own spelling or one that
 * passes for it: the disguise is quoted as typed, made safe for a
 * terminal, so no one reads it as the operator's name. */
static int
refuse_operator(const struct step_rt *rt, const char *name,
		const char *typed, const char *op, struct err *err)
{
	char *shown;

	if (!strcmp(name, op) && typed_as_is(typed, name))
		return err_set(err, ERR_STATE, "approve %s: %s is the operator "
			       "of this session; an approver must be someone "
			       "else", rt->def->id, name);
	shown = identity_as_typed(typed);
	err_set(err, ERR_STATE, "approve %s: '%s' is the same person as the "
		"operator, %s; an approver must be someone else", rt->def->id,
		shown, op);
	free(shown);
	return -1;
}

/* The refusal of NAME (TYPED as typed) signing RT again, as AP did. */
static int
refuse_again(const struct step_rt *rt, const char *name, const char *typed,
	     const struct approval *ap, struct err *err)
{
	char *shown;

	if (!strcmp(name, ap->name) && typed_as_is(typed, name))
		return err_set(err, ERR_STATE, "approve %s: %s already "
			       "approved as %s", rt->def->id, ap->name,
			       ap->role);
	shown = identity_as_typed(typed);
	err_set(err, ERR_STATE, "approve %s: '%s' is the same person as %s, "
		"who already approved as %s", rt->def->id, shown, ap->name,
		ap->role);
	free(shown);
	return -1;
}

/* Whether NAME (normalised; TYPED as typed, for the refusal) may sign
 * RT as ROLE: not the operator, no one who signed, a role not full. */
static int
check_approver(const struct session *s, const struct step_rt *rt,
	       const char *name, const char *typed, const struct pb_role *role,
	       struct err *err)
{
	int have = 0;

	if (identity_same(name, s->operator))
		return refuse_operator(rt, name, typed, s->operator, err);
	for (size_t i = 0; i < rt->n_approvals; i++) {
		if (identity_same(rt->approvals[i].name, name))
			return refuse_again(rt, name, typed,
					    &rt->approvals[i], err);
		have += strcmp(rt->approvals[i].role, role->role) == 0;
	}
	if (have >= role->count)
		return err_set(err, ERR_STATE, "approve %s: role %s already has "
			       "its %d approval(s)", rt->def->id, role->role,
			       role->count);
	return 0;
}

/* The terminal this process talks to, if any: stdin's, else stdout's or
 * stderr's; NULL without one. */
static const char *
own_tty(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		const char *t = isatty(fd) ? ttyname(fd) : NULL;

		if (t)
			return t;
	}
	return NULL;
}

/* Entered from another terminal (rewind approve, watch) by the login
 * that drives the operator's console (or, in a journal that does not say
 * which, the login named as the operator): not refused, as an account
 * may be shared, but flagged, so a reviewer sees the operator's own
 * login signed in another's name. */
static void
add_own_login(const struct session *s, cJSON *p)
{
	const char *login = identity_real_login();
	const char *console = s->driver_login ? s->driver_login : s->operator;

	if (!console)
		return;
	if (s->driver_login)
		cJSON_AddStringToObject(p, "operator_login", s->driver_login);
	if (identity_same(login, console))
		cJSON_AddBoolToObject(p, "own_login", 1);
}

cJSON *
session_provenance(const struct session *s)
{
	cJSON *p = cJSON_CreateObject();
	char host[256];
	const char *tty = own_tty();

	if (gethostname(host, sizeof(host)) < 0)
		snprintf(host, sizeof(host), "unknown");
	host[sizeof(host) - 1] = '\0';
	cJSON_AddStringToObject(p, "via", s->entry ? s->entry : "console");
	cJSON_AddStringToObject(p, "login", identity_real_login());
	cJSON_AddStringToObject(p, "host", host);
	if (tty)
		cJSON_AddStringToObject(p, "tty", tty);
	cJSON_AddStringToObject(p, "operator", s->console_op ? s->console_op
				: s->operator);
	if (s->entry && strcmp(s->entry, "batch") != 0)
		add_own_login(s, p);
	return p;
}

static cJSON *
approval_payload(struct session *s, struct step_rt *rt,
		 const struct pb_role *role, const char *name,
		 const char *comment, cJSON *prov)
{
	char *hash = session_gate_hash(s, rt);
	cJSON *p = cJSON_CreateObject(), *gates;

	cJSON_AddStringToObject(p, "role", role->role);
	cJSON_AddStringToObject(p, "name", name);
	if (comment && *comment)
		cJSON_AddStringToObject(p, "comment", comment);
	cJSON_AddStringToObject(p, "gate_hash", hash);
	gates = cJSON_AddArrayToObject(p, "gates");
	for (size_t i = 0; i < rt->def->n_gates; i++)
		cJSON_AddItemToArray(gates,
				     cJSON_CreateString(rt->def->gates[i]));
	free(hash);
	cJSON_AddItemToObject(p, "provenance", prov ? prov
			      : session_provenance(s));
	return p;
}

static int
no_role(const struct step_rt *rt, const char *role, struct err *err)
{
	return err_set(err, ERR_NOTFOUND, "approve %s: no role \"%s\" "
		       "(roles: %s%s)", rt->def->id, role,
		       rt->def->roles[0].role,
		       rt->def->n_roles > 1 ? ", ..." : "");
}


/* The approver's name is compared and journalled in its normal form
 * (identity.h), so " alice" or a fullwidth "ａｌｉｃｅ" is alice. */
static int
act_approve(struct session *s, struct step_rt *rt, const struct action *a,
	    const char *actor, struct err *err)
{
	const struct pb_role *role = find_role(rt->def, a->role);
	char *where, *name;
	int rc;

	(void)actor;
	if (!role)
		return no_role(rt, a->role, err);
	where = xasprintf("approve %s", rt->def->id);
	name = identity_normalize(a->name, where, err);
	free(where);
	if (!name)
		return -1;
	rc = check_approver(s, rt, name, a->name ? a->name : name, role,
			    err);
	if (rc == 0)
		rc = session_record(s, name, "approval.granted", rt->def->id,
				    approval_payload(s, rt, role, name,
						     a->text, NULL), err);
	free(name);
	return rc;
}

char *
session_approval_gate(struct session *s, const char *id)
{
	const struct step_rt *rt = session_find_step(s, id);

	if (!rt || rt->def->kind != STEP_KIND_APPROVE)
		return NULL;
	return session_gate_hash(s, rt);
}

int
session_grant_remote(struct session *s, const char *id, const char *role,
		     const char *name, const char *comment, cJSON *prov,
		     struct err *err)
{
	struct step_rt *rt = session_find_step(s, id);
	const struct pb_role *r;

	if (session_approval_allowed(s, id, role, name, err) < 0) {
		cJSON_Delete(prov);
		return -1;
	}
	r = find_role(rt->def, role);
	return session_record(s, name, "approval.granted", rt->def->id,
			      approval_payload(s, rt, r, name, comment, prov),
			      err);
}

static int
act_send(struct session *s, struct step_rt *rt, const struct action *a,
	 const char *actor, struct err *err)
{
	return session_send(s, rt, a, actor, err);
}

static int
act_note(struct session *s, struct step_rt *rt, const struct action *a,
	 const char *actor, struct err *err)
{
	cJSON *p = cJSON_CreateObject();

	(void)rt;
	cJSON_AddStringToObject(p, "text", a->text ? a->text : "");
	return session_record(s, actor, "note.added", NULL, p, err);
}

static int
blocking_steps(const struct session *s, struct strbuf *why)
{
	int n = 0;

	for (size_t i = 0; i < s->n_steps; i++) {
		const struct step_rt *rt = &s->steps[i];
		int pending = rt->state == STEP_OPEN ||
			      rt->state == STEP_FAILED ||
			      rt->state == STEP_RUNNING ||
			      rt->state == STEP_INTERRUPTED;

		if (rt->phase != s->phase || !pending ||
		    !session_step_active(s, rt))
			continue;
		if (!rt->def->required && rt->state != STEP_RUNNING)
			continue;
		strbuf_addf(why, "%s%s (%s, %s)", n++ ? ", " : "", rt->def->id,
			    playbook_kind_name(rt->def->kind),
			    session_state_name(rt->state));
	}
	return n;
}

/* Why step RT is skipped as the phase ends: a failed or interrupted
 * optional step says so (it ran), never "left open". */
static const char *
leftover_reason(const struct session *s, const struct step_rt *rt)
{
	if (!session_step_active(s, rt))
		return SESSION_INACTIVE_REASON;
	if (rt->state == STEP_FAILED)
		return "optional step failed and was left as it was";
	if (rt->state == STEP_INTERRUPTED)
		return "optional step interrupted (outcome unknown) and left";
	return "optional step left open";
}

/* Steps of the phase left behind: inactive ones and optional open ones. */
static int
skip_leftovers(struct session *s, const char *actor, struct err *err)
{
	for (size_t i = 0; i < s->n_steps; i++) {
		struct step_rt *rt = &s->steps[i];
		cJSON *p;

		if (rt->phase != s->phase ||
		    (rt->state != STEP_OPEN && rt->state != STEP_FAILED &&
		     rt->state != STEP_INTERRUPTED))
			continue;
		p = cJSON_CreateObject();
		cJSON_AddStringToObject(p, "reason", leftover_reason(s, rt));
		if (!session_step_active(s, rt))
			cJSON_AddBoolToObject(p, "inactive", 1);
		if (session_record(s, actor, "step.skipped", rt->def->id, p,
				   err) < 0)
			return -1;
	}
	return 0;
}

/* Closing with messages undelivered is allowed (the channel may be down
 * for hours) but recorded, for the report. */
static cJSON *
completed_payload(const struct session *s)
{
	cJSON *p = cJSON_CreateObject();
	cJSON *ids = cJSON_AddArrayToObject(p, "undelivered");
	struct outbox_view v;

	for (size_t i = 0; session_outbox_view(s, i, &v) == 0; i++)
		cJSON_AddItemToArray(ids, cJSON_CreateString(v.id));
	return p;
}

static int
act_next(struct session *s, struct step_rt *rt, const struct action *a,
	 const char *actor, struct err *err)
{
	struct strbuf why = STRBUF_INIT;
	cJSON *p;

	(void)rt;
	(void)a;
	if (blocking_steps(s, &why) > 0) {
		err_set(err, ERR_STATE, "next: phase %s still has open required "
			"steps: %s", playbook_phase_name(s->phase),
			strbuf_str(&why));
		strbuf_done(&why);
		return -1;
	}
	strbuf_done(&why);
	if (skip_leftovers(s, actor, err) < 0)
		return -1;
	if (s->phase == PHASE_COMMUNICATE) {
		if (session_record(s, actor, "session.completed", NULL,
				   completed_payload(s), err) < 0)
			return -1;
		if (drill_complete(s, actor, err) < 0)	/* the score card */
			return -1;
		report_write_session(s->dir, NULL);	/* best effort */
		return 0;
	}
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "from", playbook_phase_name(s->phase));
	cJSON_AddStringToObject(p, "to", playbook_phase_name(s->phase + 1));
	return session_record(s, actor, "phase.advanced", NULL, p, err);
}

/* The operator quits while commands run: each goes on without the
 * console (a drainer keeps reading its output into its cast file), and
 * the next console finds it still running, or its outcome unknown, by
 * the pid and start time step.spawned recorded. */
static void
detach_running(struct session *s)
{
	for (size_t i = 0; i < s->n_steps; i++) {
		struct step_rt *rt = &s->steps[i];

		if (rt->proc && runner_detach(rt->proc) >= 0)
			rt->proc = NULL;
	}
}

static int
act_quit(struct session *s, struct step_rt *rt, const struct action *a,
	 const char *actor, struct err *err)
{
	(void)rt;
	(void)a;
	return session_record_quit(s, actor, "quit", err);
}

/* The commands still running as the console ends: step, pid, command. */
static cJSON *
running_list(struct session *s)
{
	cJSON *list = cJSON_CreateArray();

	for (size_t i = 0; i < s->n_steps; i++) {
		struct step_rt *rt = &s->steps[i];
		cJSON *o;
		char *cmd;

		if (rt->state != STEP_RUNNING)
			continue;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "step", rt->def->id);
		if (rt->run_pid > 0)
			cJSON_AddNumberToObject(o, "pid", (double)rt->run_pid);
		if (rt->def->run) {
			cmd = session_show_command(s, rt->def->run);
			cJSON_AddStringToObject(o, "command", cmd);
			free(cmd);
		}
		cJSON_AddItemToArray(list, o);
	}
	return list;
}

int
session_record_quit(struct session *s, const char *actor, const char *how,
		    struct err *err)
{
	cJSON *p;
	int rc;

	/* Complete, it no longer changes; taken over, it is someone else's
	 * to journal: nothing to record. */
	if (s->complete || s->taken_by) {
		detach_running(s);
		return 0;
	}
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "how", how);
	cJSON_AddItemToObject(p, "running", running_list(s));
	rc = session_record(s, actor, "session.quit", NULL, p, err);
	/* q, a closed terminal and SIGTERM alike: what runs goes on */
	detach_running(s);
	return rc;
}

/* A step marked n/a by mistake is open again (step.reopened), to do. */
static int
act_reopen(struct session *s, struct step_rt *rt, const struct action *a,
	   const char *actor, struct err *err)
{
	char *why = xasprintf("it was marked n/a (%s); reopened%s%s",
			      rt->na_reason ? rt->na_reason : "no reason",
			      a->text && *a->text ? ": " : "",
			      a->text ? a->text : "");
	int rc = record_reopen(s, rt, why, NULL, actor, err);

	free(why);
	return rc;
}

/* A check ticked by mistake is open again (step.unticked), to do. */
static int
act_untick(struct session *s, struct step_rt *rt, const struct action *a,
	   const char *actor, struct err *err)
{
	cJSON *p = cJSON_CreateObject();

	if (a->text && *a->text)
		cJSON_AddStringToObject(p, "reason", a->text);
	return session_record(s, actor, "step.unticked", rt->def->id, p, err);
}

/* --- the transition table -------------------------------------------------- */

struct act_rule {
	unsigned kinds;		/* step kinds it applies to; 0 = no step */
	unsigned states;	/* states it is allowed from */
	const char *needs;	/* what the kinds are, for refusals */
	act_fn fn;
	/* a further rule on the step, or NULL: -1 with ERR saying why not */
	int (*only_if)(const struct step_rt *rt, struct err *err);
};

static const struct act_rule rules[ACT_COUNT] = {
	[ACT_SET] = { 0, 0, NULL, act_set },
	[ACT_TICK] = { K(CHECK) | K(RUN) | K(PROBE) | K(WAIT),
		       S(OPEN) | S(FAILED) | S(INTERRUPTED), "check steps, and "
		       "runs interrupted with their outcome unknown", act_tick,
		       tick_applies },
	[ACT_NA] = { ALL_KINDS & ~K(APPROVE),
		     S(OPEN) | S(FAILED) | S(INTERRUPTED),
		     "any step but an approval (an approval is signed, "
		     "never marked n/a)", act_na },
	[ACT_REOPEN] = { ALL_KINDS & ~K(APPROVE), S(NA), "steps marked n/a",
			 act_reopen },
	[ACT_UNTICK] = { K(CHECK), S(DONE), "ticked check steps",
			 act_untick },
	[ACT_RUN] = { K(RUN) | K(PROBE) | K(WAIT),
		      S(OPEN) | S(FAILED) | S(DONE) | S(INTERRUPTED),
		      "run, probe and wait steps", act_run },
	[ACT_CANCEL] = { K(RUN) | K(PROBE) | K(WAIT),
			 S(RUNNING) | S(INTERRUPTED),
			 "run, probe and wait steps", act_cancel,
			 cancel_applies },
	[ACT_CONFIRM] = { K(RUN), S(OPEN) | S(FAILED) | S(DONE) |
			  S(INTERRUPTED), "run steps", act_confirm },
	[ACT_CHOOSE] = { K(DECIDE), S(OPEN) | S(DONE), "decide steps",
			 act_choose },
	[ACT_APPROVE] = { K(APPROVE), S(OPEN) | S(DONE), "approve steps",
			  act_approve },
	[ACT_SEND] = { K(MESSAGE), S(OPEN) | S(FAILED) | S(DONE),
		       "message steps", act_send },
	[ACT_NOTE] = { 0, 0, NULL, act_note },
	[ACT_NEXT] = { 0, 0, NULL, act_next },
	[ACT_QUIT] = { 0, 0, NULL, act_quit },
	[ACT_PREDICT] = { K(RUN), S(OPEN) | S(FAILED) | S(DONE), "run steps",
			  drill_act_predict },
	[ACT_INJECT] = { 0, 0, NULL, drill_act_inject },
	[ACT_HANDOVER] = { 0, 0, NULL, session_act_handover },
	[ACT_WITHDRAW_HANDOVER] = { 0, 0, NULL, session_act_withdraw_handover },
};

/* The conditions of W that fail now, in words: one that holds is no
 * reason for a refusal. */
static void
describe_when(const struct session *s, const struct pb_when *w,
	      struct strbuf *sb)
{
	for (size_t i = 0; i < w->n_conds; i++) {
		const struct pb_cond *c = &w->conds[i];
		const char *v = session_var(s, c->var);
		int holds = 0;

		for (size_t j = 0; v && j < c->n_values; j++)
			holds |= strcmp(c->values[j], v) == 0;
		if (holds)
			continue;
		strbuf_addf(sb, "%s%s in [", sb->len ? "; " : "", c->var);
		for (size_t j = 0; j < c->n_values; j++)
			strbuf_addf(sb, "%s%s", j ? ", " : "", c->values[j]);
		strbuf_addf(sb, "] but it is %s", v ? v : "unset");
	}
}

static int
refuse_state(const struct step_rt *rt, const struct action *a,
	     struct err *err)
{
	const char *hint = "";

	if (rt->state == STEP_RUNNING)
		hint = " (wait for it or cancel it)";
	else if (rt->state == STEP_DONE && a->kind == ACT_TICK)
		hint = " already";
	return err_set(err, ERR_STATE, "%s %s: the step is %s%s",
		       action_name(a->kind), rt->def->id,
		       session_state_name(rt->state), hint);
}

static int
check_step(const struct session *s, const struct act_rule *r,
	   const struct step_rt *rt, const struct action *a, struct err *err)
{
	struct strbuf sb = STRBUF_INIT;

	if (!(r->kinds & (1u << rt->def->kind)))
		return err_set(err, ERR_STATE, "%s applies to %s; %s is %s "
			       "%s step", action_name(a->kind), r->needs,
			       rt->def->id, strchr("aeiou",
				       *playbook_kind_name(rt->def->kind))
			       ? "an" : "a",
			       playbook_kind_name(rt->def->kind));
	if (rt->phase > s->phase && !session_is_reminder_step(s, rt))
		return err_set(err, ERR_STATE, "step %s belongs to phase %s; the "
			       "session is in phase %s (finish it, then next)",
			       rt->def->id, playbook_phase_name(rt->phase),
			       playbook_phase_name(s->phase));
	if (!session_step_active(s, rt)) {
		describe_when(s, &rt->def->when, &sb);
		err_set(err, ERR_STATE, "step %s does not apply: its condition "
			"needs %s", rt->def->id, strbuf_str(&sb));
		strbuf_done(&sb);
		return -1;
	}
	if (!(r->states & (1u << rt->state)))
		return refuse_state(rt, a, err);
	return r->only_if ? r->only_if(rt, err) : 0;
}

/* Whether the session can take a sign-off of RT now, by the transition
 * table's rule for approve (its phase reached, it applies, its state):
 * -1 with ERR saying why not. */
static int
approval_untimely(const struct session *s, const struct step_rt *rt,
		  struct err *err)
{
	struct action a = { .kind = ACT_APPROVE, .step = (char *)rt->def->id };

	if (s->complete)
		return err_set(err, ERR_STATE, "approve: the session is "
			       "complete");
	return check_step(s, &rules[ACT_APPROVE], rt, &a, err);
}

int
session_may_na(const struct session *s, const char *id, struct err *err)
{
	const struct step_rt *rt = session_find_step(s, id);
	struct action a = { .kind = ACT_NA };

	if (!rt)
		return err_set(err, ERR_NOTFOUND, "na: no step \"%s\"", id);
	a.step = (char *)rt->def->id;
	return check_step(s, &rules[ACT_NA], rt, &a, err);
}

int
session_approval_allowed(const struct session *s, const char *id,
			 const char *role, const char *name, struct err *err)
{
	const struct step_rt *rt = session_find_step(s, id);
	const struct pb_role *r;

	if (!rt)
		return err_set(err, ERR_NOTFOUND, "approve %s: no such step",
			       id);
	if (rt->def->kind != STEP_KIND_APPROVE)
		return err_set(err, ERR_INVALID, "approve %s: a %s step, not "
			       "an approval", id,
			       playbook_kind_name(rt->def->kind));
	if (approval_untimely(s, rt, err) < 0)
		return -1;
	r = find_role(rt->def, role);
	if (!r)
		return no_role(rt, role, err);
	return check_approver(s, rt, name, name, r, err);
}

/* Whether some role of approval RT still lacks a sign-off (a fully
 * signed approval takes no more: check_approver refuses every name). */
static int
approval_has_room(const struct step_rt *rt)
{
	for (size_t i = 0; i < rt->def->n_roles; i++) {
		int have = 0;

		for (size_t j = 0; j < rt->n_approvals; j++)
			have += strcmp(rt->approvals[j].role,
				       rt->def->roles[i].role) == 0;
		if (have < rt->def->roles[i].count)
			return 1;
	}
	return 0;
}

/* Whether next would move on now: no required step of the phase left
 * open (act_next refuses with the same list otherwise). */
static int
next_applies(const struct session *s)
{
	struct strbuf why = STRBUF_INIT;
	int n = blocking_steps(s, &why);

	strbuf_done(&why);
	return n == 0;
}

int
session_act_applies(const struct session *s, int kind, const char *id)
{
	struct action a = { .kind = (enum action_kind)kind };
	const struct step_rt *rt;

	if (kind < 0 || kind >= ACT_COUNT || s->complete || s->taken_by)
		return 0;
	if (kind == ACT_NEXT)
		return next_applies(s);
	if (!rules[kind].kinds)
		return 1;
	rt = id ? session_find_step(s, id) : NULL;
	if (!rt)
		return 0;
	a.step = rt->def->id;
	if (kind == ACT_APPROVE && !approval_has_room(rt))
		return 0;
	return check_step(s, &rules[kind], rt, &a, NULL) == 0;
}

int
session_act(struct session *s, const struct action *a, const char *actor,
	    struct err *err)
{
	const struct act_rule *r;
	struct step_rt *rt = NULL;
	int rc;

	if (a->kind >= ACT_COUNT)
		return err_set(err, ERR_PARSE, "unknown action");
	r = &rules[a->kind];
	if (s->taken_by && a->kind != ACT_QUIT)
		return err_set(err, ERR_STATE, "%s: the session was handed "
			       "over to %s, who runs it now: this console is "
			       "read-only", action_name(a->kind), s->taken_by);
	if (s->complete && a->kind != ACT_QUIT)
		return err_set(err, ERR_STATE, "%s: the session is complete "
			       "and no longer changes", action_name(a->kind));
	if (r->kinds) {
		rt = session_find_step(s, a->step);
		if (!rt)
			return err_set(err, ERR_NOTFOUND, "%s: no step \"%s\" in "
				       "playbook %s", action_name(a->kind),
				       a->step ? a->step : "", s->pb->id);
		if (check_step(s, r, rt, a, err) < 0)
			return session_refuse(s, a, actor, err);
	}
	rc = r->fn(s, rt, a, actor, err);
	if (rc == REFUSED_AND_JOURNALLED)
		return -1;
	if (rc < 0 && rt && err && err->code != ERR_IO)
		return session_refuse(s, a, actor, err);
	return rc;
}
