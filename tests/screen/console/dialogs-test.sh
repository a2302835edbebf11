#!/bin/sh
# Dialogs show everything before it is chosen, run or sent:
# - the decision dialog shows each option's description, keeps the
#   "(recommended)" mark in view when a label is too long for the row, and
#   uses the terminal's width (at 140 columns the long label shows whole);
# - the typed confirmation shows the command as written and as the shell
#   will get it (variables' values in place, the secret one masked);
# - a message longer than the dialog scrolls, says which lines are shown
#   and that more follows, and Enter refuses to send it (nothing
#   journalled, nothing written) until its last line has been in view.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session
SECRET=hunter2secret

# check PATTERN WHAT: WHAT is on screen (ERE), else note the failure and
# go on, so one run shows every missing piece.
check() {
	screen_text | grep -qE -- "$1" || soft_fail "$2"
}

start_app run "$REWIND_SRCDIR/tests/fixtures/playbooks/console.json" \
	--session-dir "$SESSION_DIR" --operator sam --var "PUBLISH_TOKEN=$SECRET"

# --- the decision: descriptions, the mark, the width ----------------------------
keys Enter
assert_fixed 'Decide: How do we respond?'
check '▸ immediate-rollback: Move latest back.*…  \(recommended\)$' \
	"the recommended mark of a long option is cut off at 80 columns"
check '^ +Every install since the bad publish gets the broken build; moving' \
	"the recommended option's description is not shown"
check '^ +Only a few users are affected and a workaround exists\.' \
	"the other options' descriptions are not shown"
resize 140 24
check 'immediate-rollback: Move latest back to the last good version right now, before more users install the broken one  \(recommended\)' \
	"at 140 columns the decision dialog does not use the width to show the whole option"
resize 80 24
keys Escape

# --- the confirmation: raw and resolved -------------------------------------------
keys j Enter
assert_fixed 'Confirm: Move latest back'
check '^ +echo "dist-tag add \$\{PACKAGE\}@\$RESTORE_VERSION latest" --token' \
	"the command as written is not shown"
check '^ +With this session.s values:' "the resolved command has no heading"
check '^ +echo "dist-tag add @demo/widget@1\.2\.2 latest" --token "\*{8}"' \
	"the command with the values it gets is not shown (or the secret is not masked)"
refute_fixed "$SECRET" "the confirmation shows the secret's value"
keys Escape

# --- the message: scrolls, and is only sent once read to its end ----------------------
keys j Enter
assert_fixed 'Send: Tell the team'
assert_fixed 'line 01 of the message: @demo/widget is back at 1.2.2'
check 'lines 1-[0-9]+ of 20 ↓ more below' "the preview does not say more lines follow"
refute_fixed 'line 20' "line 20 fits (the test wants a message longer than the dialog)"
keys Enter
check 'not sent: [0-9]+ more lines below; Down scrolls' \
	"Enter on a message not read to its end did not refuse"
assert_fixed 'Send: Tell the team' "Enter sent a message whose end was never shown"
[ "$(journal_count message.queued a.tell)" = 0 ] || fail "the unread message was journalled as sent"
[ ! -e "$SESSION_DIR/messages/tell.txt" ] || fail "the unread message was written"
keys j
check 'lines 2-[0-9]+ of 20' "j did not scroll the preview"
keys G
assert_fixed 'line 20: the last line, signed sam'
refute_fixed 'more below'
keys Enter
wait_text '\[✓\] Tell the team'
[ "$(grep -c '^line' "$SESSION_DIR/messages/tell.txt")" = 20 ] || fail "the sent message does not have its 20 lines"
pass "decision, confirmation and message dialogs show all before acting"
