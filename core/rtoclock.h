/* Where the recovery-time clock starts, one rule for the console's header,
 * the report and the drill's score card: at detection when the session has DETECTED_AT (a time
 * the playbook or the operator gave), else at the session's start. */
#ifndef REWIND_CORE_RTOCLOCK_H
#define REWIND_CORE_RTOCLOCK_H

#include <stddef.h>
#include <stdint.h>

/* A time as operators type it: RFC 3339, or "YYYY-MM-DD HH:MM[:SS]
 * [UTC]" (UTC); µs since the epoch, or 0 when TEXT is NULL or not one. */
int64_t rtoclock_parse_when(const char *text);

/* The clock's start: DETECTED_AT's value (may be NULL) when it parses,
 * else START_US; *FROM_DETECTED (may be NULL) says which. */
int64_t rtoclock_start(const char *detected_at, int64_t start_us,
		       int *from_detected);

/* Where it ends, one rule for the report and the drill's score card: when
 * the recovery was proven, not when the session ended: ROLLED_BACK_AT's
 * value (may be NULL) when it parses, else VERIFY_END_US (when the verify
 * phase was left) when not 0, else END_US. *WHICH (may be NULL) says
 * which, in words ("the end of the verify phase"). A drill passes NULL
 * for the typed times, here and to rtoclock_start: a trainee's
 * DETECTED_AT and ROLLED_BACK_AT are the story's, the drill's own clock
 * is the measure. */
int64_t rtoclock_end(const char *rolled_back_at, int64_t verify_end_us,
		     int64_t end_us, const char **which);

/* When a step's work was done, by the journal, one rule for the time a
 * time_of variable offers (the console) and the report's exact time: a
 * run that ended in the console, when it ended (the first run that
 * succeeded since its values were last set: a re-run with the same
 * values changes nothing in the world); an interrupted run
 * recorded done by hand (its outcome unknown), the earliest the journal
 * knows that is still after its effect: when the console saw its
 * orphaned process end (step.orphan_ended) or when it was checked by
 * hand, whichever came first; never when it started (the effect may have
 * come after). A check ticked or a message sent: then. */
struct rto_done {
	int64_t at;		/* done, µs; 0 = not done */
	int64_t orphan_end;	/* its last run's process seen ended, or 0 */
	int redo;		/* reopened, not done (nor n/a) again since */
	int64_t redone;		/* done again after its last reopening, or 0 */
	int64_t last_done;	/* when it was last done, kept when it is
				 * reopened (what ran under a sign-off) */
};

struct cJSON;

/* Fold one journal event about the step into D: TYPE and PAYLOAD as
 * journalled, WHEN its wall time. */
void rtoclock_done_event(struct rto_done *d, const char *type,
			 const struct cJSON *payload, int64_t when);

/* What decides where the recovery time ends, gathered by the report from
 * the journal and by the console from its session, so that the header and
 * the report end it at the same point (rtoclock_recovery_end). */
struct rto_facts {
	const char *rolled_back_at;	/* ROLLED_BACK_AT as set, or NULL
					 * (a drill passes NULL) */
	int64_t offered_us;	/* the exact time the journal knows for it
				 * (the time_of steps' done time), or 0 */
	int64_t ran_us;		/* when a time_of step first ran, or 0 */
	const char *ran_step;	/* which */
	int64_t verify_end_us;	/* when the verify phase was left, or 0 */
	int64_t end_us;		/* completion, or the last event so far */
	int complete;
	int redo_pending;	/* an execute or verify step reopened and
				 * not done again: the recovery is no
				 * longer proven, the clock runs */
	int64_t redone_us;	/* when the last of those reopened was done
				 * again, or 0 */
};

/* Where the recovery time ends (rtoclock_end's order) and whether that
 * point is known yet (*FIXED: ROLLED_BACK_AT believed, the verify phase
 * left, or the session complete; else the clock still runs). A
 * REDO_PENDING leaves it not fixed whatever else holds; without a typed
 * time believed the end is never before REDONE_US (the recovery was
 * proven again only then), and once a reopened step was done again a
 * typed time before OFFERED_US (of the run it was about) is stale. A
 * ROLLED_BACK_AT in the minute the journal offered is the journal's exact
 * time; one typed to the minute otherwise counts as the last second of
 * that minute (never understating); one earlier than the step first ran
 * or later than END_US (+ its minute) is not believed. *WHICH says where
 * it ended, in words, in WHY (SIZE bytes) when it needs more. */
int64_t rtoclock_recovery_end(const struct rto_facts *f, int *fixed,
			      const char **which, char *why, size_t size);

/* The verdict on the recovery time, one rule for the report and the
 * header: "not proven" (complete, a required proof n/a or failed),
 * "missed" (over TARGET_S), "met" (complete, within), or NULL while not
 * decided. */
const char *rtoclock_verdict(int64_t took_s, int64_t target_s, int complete,
			     int unproven);

#endif
