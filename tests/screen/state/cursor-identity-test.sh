#!/bin/sh
# The checklist's cursor stays on the step the operator selected, by
# identity, not by row: a reopened step (an earlier phase's, shown as
# "again:") run again and done leaves the list only once the cursor
# leaves it, so Enter never acts on the step that slid under the cursor
# (dist-tag-check ran when the cursor had been on dist-tag).
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"
. "$REWIND_SRCDIR/tests/screen/state/redo-lib.sh"

redo_to_communicate 100
keys s
keys j Enter				# RESTORE_VERSION
keys C-u
type_text 1.2.1
keys Enter
wait_text 'reopened: ran with other values: RESTORE_VERSION'
keys g
wait_text 'again: Point latest'
assert_text '│ Point latest at the restore version' "the cursor is not on dist-tag"
keys Enter
wait_text 'dist-tag done'
# Done again, it is still the step selected, and its row is still there.
assert_text '^\[✓\] again: Point latest' "the done step left the row under the cursor"
assert_text '│ Point latest at the restore version' \
	"the cursor moved off dist-tag when it was done again"
keys Enter
wait_idle
[ "$(journal_count step.started dist-tag-check)" = 1 ] ||
	fail "Enter ran dist-tag-check: the cursor had been on dist-tag"
pass "the cursor stays on its step when a reopened step is done again"
