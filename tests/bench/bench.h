/* What every benchmark prints after a figure that has a goal: PASS when
 * the goal is met, MISS when not, as the line's last word. make bench
 * (tests/bench/run-all.sh) counts them into its last line. */
#ifndef REWIND_BENCH_H
#define REWIND_BENCH_H

static inline const char *
bench_verdict(int met)
{
	return met ? "PASS" : "MISS";
}

#endif
