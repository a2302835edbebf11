#!/bin/sh
# The Output tab's sideways scroll belongs to what was being read: a new
# run starts from the first column again, and so does selecting another
# step; scrolling right still works between.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session
start_app run "$REWIND_SRCDIR/tests/fixtures/playbooks/trust.json" \
	--session-dir "$SESSION_DIR" --operator olga
keys g j Enter				# a.wide prints 150 digits
wait_for '[ "$(journal_count step.finished a.wide)" = 1 ]' 10
keys Tab ']'				# the Output tab, focused
assert_fixed '[Output]'
keys l l l				# 24 columns to the right
assert_text '│ 4567890123456789' "l did not scroll the output sideways"
refute_fixed '│ ▶ a.wide  started' "the run line was not scrolled"

keys Tab Enter				# the checklist: run a.wide again
wait_for '[ "$(journal_count step.finished a.wide)" = 2 ]' 10
wait_idle
[ "$(screen_text | grep -c '│ ▶ a.wide  started')" = 2 ] ||
	fail "after a new run the Output tab is still scrolled sideways"
assert_text '│ 0123456789' "the new run's output does not start at its first column"

keys Tab l l				# scrolled again, then another step
assert_text '│ 6789012345' "l did not scroll the output sideways again"
keys Tab j Tab
assert_fixed '[Output]'
assert_text '│ 0123456789' "selecting another step kept the sideways scroll"
keys q
keys_nowait Enter
wait_exit
pass "a new run and another step reset the sideways scroll"
