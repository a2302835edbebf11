#!/bin/sh
# A time_of variable (ROLLED_BACK_AT) offers when its step was done: the
# input step's pane shows the offered time, not "(unset)"; and once the
# step, reopened, is run again in a later minute, the time set from its
# first run is stale: the pane and the dialog offer the new run's end, as
# for the first run, and the report counts the recovery to that run's
# exact end, not to the end of the minute typed.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"
. "$REWIND_SRCDIR/tests/screen/state/redo-lib.sh"

REWIND_TEST_NOW=2026-11-21T19:30:50Z
redo_to_communicate 110
keys G
wait_text '│ Variable ROLLED_BACK_AT'
assert_text 'value: not set yet; offered 2026-11-21 19:30 UTC' \
	"the input step does not show the time it offers"
refute_text 'value: \(unset\)'
keys Enter
wait_text 'Offered from the journal: when dist-tag was done'
keys Enter
wait_text 'ROLLED_BACK_AT'
wait_for "grep -q '\"name\":\"ROLLED_BACK_AT\",\"value\":\"2026-11-21 19:30 UTC\"' '$SESSION_DIR/journal.jsonl'"

# Reopened, and run again once the minute has turned.
keys s
keys j Enter				# RESTORE_VERSION
keys C-u
type_text 1.2.1
keys Enter
wait_text 'reopened: ran with other values: RESTORE_VERSION'
wait_text ' (0m1[0-9]s|0m[2-5][0-9]s) of 10m RTO' 20
keys g
wait_text 'again: Point latest'
keys Enter
wait_text 'dist-tag done'
keys G
wait_text '│ Variable ROLLED_BACK_AT'
assert_text 'offered: 2026-11-21 19:31 UTC \(dist-tag was done' \
	"the pane does not offer the re-run's end"
keys Enter
wait_text 'when dist-tag was done again'
assert_text '2026-11-21 19:31 UTC' "the dialog does not offer the re-run's end"
keys Enter
wait_for "grep -q '\"value\":\"2026-11-21 19:31 UTC\"' '$SESSION_DIR/journal.jsonl'"
# The rest done again, then complete.
keys g
wait_text '│ Read the channel back'
keys Enter
wait_text 'dist-tag-check done'
keys j
wait_text '│ Users install the restored version'
keys Space
keys j
wait_text '│ Notice posted'
keys Space
keys '>'
wait_text 'COMPLETE'
keys_nowait q
keys_nowait Enter
wait_exit
run_rewind report "$SESSION_DIR" --format json >"$SCREEN_TMP/report.json" 2>&1
took=$(sed -n 's/.*"rto_took_s":[[:space:]]*\([0-9]*\).*/\1/p' "$SCREEN_TMP/report.json")
end=$(grep '"type":"step.finished"' "$SESSION_DIR/journal.jsonl" | grep '"step":"dist-tag"' |
	tail -1 | sed -n 's/.*"wall":"2026-11-21T19:31:\([0-9][0-9]\).*/\1/p')
[ -n "$end" ] || fail "the re-run did not end in 19:31"
# From 19:30:50 to the re-run's end (19:31:$end), to the second.
# (the start's fraction of a second may take one off)
[ "$took" = $((10 + ${end#0})) ] || [ "$took" = $((9 + ${end#0})) ] ||
	fail "the recovery counts ${took}s, not to the re-run's end (19:31:$end): ROLLED_BACK_AT read as the minute's end"
grep -q '"rto_to":[[:space:]]*"the recovery time recorded (ROLLED_BACK_AT)"' "$SCREEN_TMP/report.json" ||
	fail "the report does not end the recovery at ROLLED_BACK_AT"
pass "a time_of variable offers its step's end, again after a re-run"
