/* Where the recovery-time clock starts, one rule for the console's header,
 * the report and the drill's score card: at detection when the session has DETECTED_AT (a time
 * the playbook or the operator gave), else at the session's start. */
#ifndef REWIND_CORE_RTOCLOCK_H
#define REWIND_CORE_RTOCLOCK_H

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

#endif
