#!/bin/sh
# A restore version changed in the communicate phase reopens the steps
# that used it (dist-tag, dist-tag-check, the check after them): the
# header's FROM -> TO says "(reopened)", the phase rail no longer ticks
# execute and verify, and the RTO clock runs again (the recovery is no
# longer proven) until they are done again; then the rail ticks again,
# the clock stops, and the report counts the recovery to when the
# reopened steps were done again.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"
. "$REWIND_SRCDIR/tests/screen/state/redo-lib.sh"

# header_clock: the RTO clock at the right of the header.
header_clock() {
	row 1 | sed -n 's/.* \([0-9]*m[0-9][0-9]s\) of 10m RTO.*/\1/p'
}

redo_to_communicate 100
wait_text '✓ execute  ✓ verify  ▶ communicate'
assert_text '1\.2\.3 → 1\.2\.2  [0-9]+m[0-9]{2}s of 10m RTO'
c1=$(header_clock)
[ -n "$c1" ] || fail "no RTO clock in the header"

keys s
keys j Enter				# RESTORE_VERSION
keys C-u
type_text 1.2.1
keys Enter
wait_text 'reopened: ran with other values: RESTORE_VERSION was 1\.2\.2, now 1\.2\.1'
assert_text '1\.2\.3 → 1\.2\.1 \(reopened\)  [0-9]+m[0-9]{2}s of 10m RTO' \
	"the header does not say the rollback to 1.2.1 is reopened"
refute_text '✓ execute|✓ verify' "the rail still ticks the reopened phases"
assert_text '↺ execute  ↺ verify  ▶ communicate'
# The clock runs again: the recovery is no longer proven.
wait_for '[ "$(header_clock)" != "$c1" ]' 10

# Done again, in the order they come.
keys g
wait_text 'again: Point latest'
keys Enter
wait_text 'dist-tag done'
keys j
keys Enter
wait_text 'dist-tag-check done'
keys j
wait_idle
keys Space
wait_text '✓ execute  ✓ verify  ▶ communicate'
refute_text '\(reopened\)' "the header still says reopened once done again"
keys j Space				# the notice: then complete
keys '>'
wait_text 'Complete the session\?'
keys y
wait_text 'COMPLETE'
c2=$(header_clock)
keys_nowait q
keys_nowait Enter
wait_exit
run_rewind report "$SESSION_DIR" >"$SCREEN_TMP/report.md" 2>&1
grep -q 'to when the reopened execute and verify steps were done again' \
	"$SCREEN_TMP/report.md" ||
	{ grep RTO "$SCREEN_TMP/report.md"; fail "the report's recovery does not end when the reopened steps were done again"; }
# The header stopped where the report ends it: the same time.
run_rewind report "$SESSION_DIR" --format json >"$SCREEN_TMP/report.json" 2>&1
took=$(sed -n 's/.*"rto_took_s":[[:space:]]*\([0-9]*\).*/\1/p' "$SCREEN_TMP/report.json")
[ "$c2" = "$(printf '%dm%02ds' $((took / 60)) $((took % 60)))" ] ||
	fail "the header's stopped clock ($c2) is not the report's recovery time (${took}s)"
pass "a reopened execute phase reopens the header, the rail and the RTO clock"
