#!/bin/sh
# The score card at 80x24: it does not fit, so its last row says how many
# lines are below and which keys scroll; j, PgDn and G (from the action
# table) scroll it, from the checklist and, after Tab, from the step pane.
# It was cut off, and no key moved it.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session
sed '$d' "$REWIND_SRCDIR/tests/fixtures/walks/example-scenario-p0-outage.walk" |
	run_rewind drill "$REWIND_SRCDIR/playbooks/example.json" --batch \
	--operator olga --no-real-in-clone --scenario=p0-outage \
	--session-dir "$SESSION_DIR" >"$SCREEN_TMP/prefix.out" 2>&1

start_app drill "$SESSION_DIR"
wait_text 'Post-mortem scheduled' 5
keys '>'
wait_text 'Drill score card: ' 5
wait_text 'more lines: j/C-d scroll, G the end' 5
assert_fixed 'Kept in scorecard.json'
refute_text '│ communicate +[0-9]+ s' "the card's last rows fit at 80x24 (make it longer)"
keys j
wait_gone 'Drill score card: ' 5
keys G
wait_text '│ communicate +[0-9]+ s' 5
refute_fixed 'more lines:' "the end of the card still says there is more"
keys g
wait_text 'Drill score card: ' 5
keys Tab
keys PgDn
wait_gone 'Drill score card: ' 5
pass "the score card scrolls at 80x24 and says what is below"
