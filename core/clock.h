/* Injected time: a wall clock and a monotonic clock behind one struct, so
 * tests and replay decide what "now" is. */
#ifndef REWIND_CORE_CLOCK_H
#define REWIND_CORE_CLOCK_H

#include <stddef.h>
#include <stdint.h>

struct clock {
	int64_t (*wall_us)(const struct clock *c);	/* µs since the epoch */
	int64_t (*mono_us)(const struct clock *c);	/* µs, arbitrary origin */
	int64_t wall_base_us;	/* manual/offset clocks: wall value at origin */
	int64_t mono_base_us;	/* manual clocks: current monotonic value */
	int64_t mono_origin_us;	/* offset clocks: real monotonic at origin */
};

/* The process-wide system clock (CLOCK_REALTIME + CLOCK_MONOTONIC). */
const struct clock *clock_system(void);

/* Initialise C as a manual clock that only moves through clock_advance(). */
void clock_init_manual(struct clock *c, int64_t wall_us, int64_t mono_us);

/* Initialise C as a clock whose wall time starts at WALL_US now and then
 * runs with the real monotonic clock (used for REWIND_TEST_NOW). */
void clock_init_offset(struct clock *c, int64_t wall_us);

/* Move a manual clock forward by DELTA_US microseconds. */
void clock_advance(struct clock *c, int64_t delta_us);

/* Current wall time of C in microseconds since the epoch. */
int64_t clock_wall_now(const struct clock *c);

/* Current monotonic time of C in microseconds. */
int64_t clock_mono_now(const struct clock *c);

/* Format WALL_US as RFC 3339 UTC with microseconds into BUF (>= 28 bytes):
 * "2026-11-21T19:30:00.123456Z". Returns BUF. */
char *clock_format_rfc3339(int64_t wall_us, char *buf, size_t size);

/* Parse an RFC 3339 / ISO 8601 timestamp (fraction and zone optional; a
 * missing zone means UTC) into µs since the epoch; returns 0 or -1. */
int clock_parse_rfc3339(const char *s, int64_t *wall_us);

/* Parse a duration such as "90s", "15m", "1h30m", "2h" or a plain number
 * of seconds into µs; returns 0, or -1 when S is not a duration. */
int clock_parse_duration(const char *s, int64_t *us);

#endif
