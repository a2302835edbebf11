/* Where the recovery-time clock starts, one rule for the console's header
 * and the report: at detection when the session has DETECTED_AT (a time
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

#endif
