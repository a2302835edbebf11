#!/bin/sh
# At 80x24 the approve phase opens on what the operator needs to sign: the
# step pane (the approval, its roles and the approver's command) with the
# checklist taking the keys, even when the Output tab was shown before.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session
printf '%s\n' 'set VERSION 1.2.3' 'run a.wide' 'confirm a.tag 1.2.3' 'run a.tag' \
	'choose a.route a route a only' 'tick a.look' >"$SCREEN_TMP/prefix.walk"
run_rewind run "$REWIND_SRCDIR/tests/fixtures/playbooks/trust.json" \
	--batch --operator olga --session-dir "$SESSION_DIR" \
	<"$SCREEN_TMP/prefix.walk" >"$SCREEN_TMP/prefix.out" 2>&1
[ "$(journal_count step.finished)" = 2 ] ||
	{ cat "$SCREEN_TMP/prefix.out"; fail "the batch prefix did not run a.wide and a.tag"; }

start_app run "$SESSION_DIR" --operator olga
keys ']'				# the Output tab
assert_fixed '[Output]'
keys '>'				# decide (no steps): still Output
assert_fixed '[Output]'
keys '>'				# approve
assert_fixed '▶ approve'
assert_fixed '[Step]' "the approve phase did not open on the step pane"
assert_fixed 'Release Manager: 0 of 1 signed'
keys a					# the checklist has the keys: approve
assert_fixed 'Approve' "a did not open the approval from the checklist"
keys Escape
keys q
keys_nowait Enter
wait_exit
pass "the approve phase opens on the step pane"
