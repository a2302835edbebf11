#!/bin/sh
# A drill's report gives one recovery time. The web service's p0-outage
# good walk with its communicate phase ten minutes after the verify phase:
# the recovery (the RTO line: start to the end of the verify phase) is
# under the target, the whole session is not; the Metrics table used to
# call the session's total a "recovery time" beside the RTO line's other
# figure. Now only the RTO line speaks of the recovery, and the total
# says it runs to the session's end.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

walk=$src/tests/fixtures/walks/web-service-rollback-scenario-p0-outage.walk
# up to the end of the verify phase at the start; the rest ten minutes on
sed -n '1,/^run verify.monitor$/p' "$walk" >"$tmp/first"
echo next >>"$tmp/first"
sed '1,/^run verify.monitor$/d' "$walk" | sed '1{/^next$/d}' >"$tmp/rest"
REWIND_TEST_NOW=2026-01-01T10:00:00Z "$bin" drill \
	"$src/playbooks/web-service-rollback.json" --batch --operator olga \
	--no-real-in-clone --session-dir "$tmp/s" --scenario=p0-outage \
	<"$tmp/first" >"$tmp/out1" 2>&1
REWIND_TEST_NOW=2026-01-01T10:10:00Z "$bin" drill "$tmp/s" --batch \
	--operator olga <"$tmp/rest" >"$tmp/out2" 2>&1 ||
	fail "the walk did not complete: $(grep '"type":"error"' "$tmp/out2" | head -2)"
"$bin" report "$tmp/s" >"$tmp/report" 2>&1 || fail "no report"
sed -n '/^## Metrics/,/^## Timeline/p' "$tmp/report" >"$tmp/metrics"
grep -i 'recovery time' "$tmp/metrics" | grep -v '^RTO' | grep -v 'not the recovery time' &&
	fail "a line other than the RTO line calls a figure the recovery time"
# About ten minutes: the first part's own run time (a second or so on a
# busy machine) comes off it.
grep -Eq "^\| Session length from the session start \(to its end; not the recovery time\) \| (9m 5[0-9]s|10m)" "$tmp/metrics" ||
	fail "the session-length line does not say it runs to the session's end: $(grep '^| Session length' "$tmp/metrics")"
grep -q '^RTO: .*counted from the session start to the end of the verify phase' "$tmp/metrics" ||
	fail "the RTO line does not say what it counts: $(grep '^RTO' "$tmp/metrics")"
[ "$failed" = 0 ] && echo "PASS: report-drill-times: $(grep -E '^(\| Total|RTO)' "$tmp/metrics" | tr '\n' ' ')"
exit "$failed"
