/* The recovery-time clock's start (see rtoclock.h). */
#include "config.h"

#include "rtoclock.h"

#include <stdio.h>
#include <string.h>

#include "clock.h"
#include <cjson/cJSON.h>

int64_t
rtoclock_parse_when(const char *text)
{
	char buf[64];
	int64_t us;
	size_t n;

	if (!text)
		return 0;
	snprintf(buf, sizeof(buf), "%s", text);
	n = strlen(buf);
	if (n > 4 && strcmp(buf + n - 4, " UTC") == 0)
		buf[n - 4] = '\0';
	if (strlen(buf) > 10 && buf[10] == ' ')
		buf[10] = 'T';
	if (strlen(buf) == 16)
		strcat(buf, ":00");
	return clock_parse_rfc3339(buf, &us) == 0 ? us : 0;
}

int64_t
rtoclock_start(const char *detected_at, int64_t start_us, int *from_detected)
{
	int64_t detected = rtoclock_parse_when(detected_at);

	if (from_detected)
		*from_detected = detected != 0;
	return detected ? detected : start_us;
}

int64_t
rtoclock_end(const char *rolled_back_at, int64_t verify_end_us,
	     int64_t end_us, const char **which)
{
	int64_t rolled = rtoclock_parse_when(rolled_back_at);
	const char *w = "the end of the session";
	int64_t end = end_us;

	if (rolled) {
		w = "the recovery time recorded (ROLLED_BACK_AT)";
		end = rolled;
	} else if (verify_end_us) {
		w = "the end of the verify phase";
		end = verify_end_us;
	}
	if (which)
		*which = w;
	return end;
}

/* Whether PAYLOAD's KEY is true. */
static int
ptrue(const cJSON *payload, const char *key)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(payload, key));
}

void
rtoclock_done_event(struct rto_done *d, const char *type,
		    const cJSON *payload, int64_t when)
{
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(payload, "outcome");
	int unknown = cJSON_IsString(o) &&
		      strcmp(o->valuestring, "unknown") == 0;

	/* The world changed at the first success since the step's values
	 * were last set (a change reopens it): a re-run with the same values
	 * ("already set") does not move that time. */
	if (strcmp(type, "step.started") == 0) {
		d->orphan_end = 0;
	} else if (strcmp(type, "step.orphan_ended") == 0) {
		d->orphan_end = when;
	} else if (strcmp(type, "step.finished") == 0) {
		if (!ptrue(payload, "ok") || unknown)
			d->at = 0;
		else if (!d->at)
			d->at = when;
	} else if (strcmp(type, "step.ticked") == 0 && !d->at) {
		/* an interrupted run checked by hand: the earliest known
		 * point after its effect */
		d->at = ptrue(payload, "interrupted_run_checked") &&
			d->orphan_end && d->orphan_end < when ? d->orphan_end
							       : when;
	} else if (strcmp(type, "message.sent") == 0) {
		d->at = when;
	} else if (strcmp(type, "step.na") == 0 ||
		   strcmp(type, "step.skipped") == 0 ||
		   strcmp(type, "step.reopened") == 0 ||
		   strcmp(type, "step.unticked") == 0) {
		d->at = 0;
	}
	if (d->at)
		d->last_done = d->at;
	if (strcmp(type, "step.reopened") == 0) {
		d->redo = 1;
	} else if (d->redo && d->at) {
		d->redo = 0;
		d->redone = d->at;
	} else if (strcmp(type, "step.na") == 0 ||
		   strcmp(type, "step.skipped") == 0) {
		d->redo = 0;	/* closed without being done again */
	}
}

/* Whether TEXT gives a time to the minute only (no seconds). */
static int
to_the_minute(const char *text)
{
	const char *colon = strchr(text, ':');

	return colon && !strchr(colon + 1, ':');
}

/* The typed time, read as the report uses it (see rtoclock_recovery_end);
 * 0 when not believed, *WHY then set. */
static int64_t
typed_end(const struct rto_facts *f, const char **why)
{
	int64_t at = rtoclock_parse_when(f->rolled_back_at);
	int minute = at && to_the_minute(f->rolled_back_at);

	*why = NULL;
	if (!at)
		return 0;
	/* A time typed to the minute covers that whole minute. */
	if (f->ran_us && at + 60000000 <= f->ran_us) {
		*why = "early";
		return 0;
	}
	if (f->end_us && at > f->end_us + 60000000) {
		*why = "late";
		return 0;
	}
	if (minute && f->offered_us &&
	    f->offered_us - f->offered_us % 60000000 == at)
		return f->offered_us;
	/* Typed before the rollback step, reopened, was done again: the
	 * time of the run it was about, not of the one that stands. */
	if (f->redone_us && f->offered_us &&
	    (minute ? at + 59999999 : at) < f->offered_us) {
		*why = "stale";
		return 0;
	}
	return minute ? at + 59000000 : at;
}

int64_t
rtoclock_recovery_end(const struct rto_facts *f, int *fixed,
		      const char **which, char *why, size_t size)
{
	const char *bad;
	int64_t typed = typed_end(f, &bad);
	int64_t end;

	*fixed = !f->redo_pending && (typed || f->verify_end_us ||
				      f->complete);
	if (typed) {
		*which = "the recovery time recorded (ROLLED_BACK_AT)";
		return typed;
	}
	end = rtoclock_end(NULL, f->verify_end_us, f->end_us, which);
	/* A step of the execute or verify phase reopened (a variable it
	 * used changed) proved the recovery again only when done again. */
	if (f->redone_us > end) {
		*which = "when the reopened execute and verify steps were "
			 "done again";
		end = f->redone_us;
	}
	if (bad && strcmp(bad, "stale") == 0)
		snprintf(why, size, "%s (the typed ROLLED_BACK_AT is earlier "
			 "than %s was done again)", *which,
			 f->ran_step ? f->ran_step : "the rollback step");
	else if (bad && strcmp(bad, "early") == 0)
		snprintf(why, size, "%s (the typed ROLLED_BACK_AT is earlier "
			 "than %s first ran, in the journal)", *which,
			 f->ran_step ? f->ran_step : "the step");
	else if (bad)
		snprintf(why, size, "%s (the typed ROLLED_BACK_AT is later "
			 "than the session's end)", *which);
	if (bad)
		*which = why;
	return end;
}

const char *
rtoclock_verdict(int64_t took_s, int64_t target_s, int complete,
		 int unproven)
{
	if (target_s <= 0)
		return NULL;
	if (complete && unproven)
		return "not proven";
	if (took_s > target_s)
		return "missed";
	return complete ? "met" : NULL;
}
