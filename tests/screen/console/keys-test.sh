#!/bin/sh
# One key, one meaning: n finds the next match of the last search from the
# checklist too (it opened the note dialog there, and meant "next match" in
# the Output tab), showing the Output tab with the match; m adds a note,
# journalled as note.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session
start_app drill "$REWIND_SRCDIR/playbooks/example.json" \
	--session-dir "$SESSION_DIR" --operator sam
keys Enter				# run assess.status: output to find
wait_text 'assess.status done'
keys /
type_text 'Release 1.3.2'
keys Enter
assert_fixed '[Output]'
keys Tab				# back to the checklist
keys '['				# the Step tab again
assert_fixed '[Step]'
assert_text ' Enter act ' "the checklist does not have the keys"
keys n
refute_fixed 'Note for the journal' "n opened the note dialog in the checklist"
assert_text '^ match at line [0-9]+$' "n did not find the next match from the checklist"
assert_fixed '[Output]' "the match is not shown"
keys m
assert_fixed 'Note for the journal:'
type_text 'paged the on-call'
keys Enter
[ "$(journal_count note.added)" = 1 ] || fail "m did not journal a note"
keys_nowait q
wait_exit
pass "n finds the next match everywhere, m adds a note"
